/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-json"

#include "config.h"

#include "pfdo-json.h"

/**
 * pfdo_json_get_string:
 * @object: (nullable): an object, or %NULL
 *
 * Returns: (nullable): the member's string, or %NULL when it is missing or
 *   not a string
 */
const char *
pfdo_json_get_string (JsonObject *object,
                      const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * pfdo_json_get_int:
 * @object: (nullable): an object, or %NULL
 *
 * Returns: whether the member is an integer (not a float, not a string)
 */
gboolean
pfdo_json_get_int (JsonObject *object,
                   const char *name,
                   gint64     *out_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

/**
 * pfdo_json_get_object:
 * @object: (nullable): an object, or %NULL
 *
 * Returns: (nullable) (transfer none): the member's object, or %NULL
 */
JsonObject *
pfdo_json_get_object (JsonObject *object,
                      const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * pfdo_json_check_depth:
 * @data: (array length=length): JSON text, perhaps not valid
 *
 * Returns: whether no array or object in @data, outside strings, is nested
 *   deeper than @max_depth
 */
gboolean
pfdo_json_check_depth (const char *data,
                       gsize       length,
                       guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * pfdo_json_load:
 * @data: (array length=length): JSON text from outside: a server, a desk, a file
 *
 * json_parser_load_from_data() for text nobody vouches for: nesting
 * deeper than %PFDO_JSON_MAX_DEPTH is refused before the recursive parser
 * can overflow the stack on it.
 */
gboolean
pfdo_json_load (JsonParser  *parser,
                const char  *data,
                gsize        length,
                GError     **error)
{
  /* An empty body (a redirect not followed, a proxy's error) is no JSON
   * either, and json-glib would complain of the NULL it may come as. */
  if (data == NULL || length == 0 || length > G_MAXSSIZE)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           length == 0 ? "no JSON text" : "JSON text too long");
      return FALSE;
    }
  if (!pfdo_json_check_depth (data, length, PFDO_JSON_MAX_DEPTH))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "JSON nested deeper than %u levels", PFDO_JSON_MAX_DEPTH);
      return FALSE;
    }
  return json_parser_load_from_data (parser, data, (gssize) length, error);
}
