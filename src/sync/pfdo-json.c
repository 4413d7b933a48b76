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
