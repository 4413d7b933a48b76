/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-children"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-certificates-private.h"
#include "pfdo-children.h"
#include "pfdo-domain-private.h"
#include "pfdo-error.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

/*
 * Families and children: registration, the duplicate finder, and the
 * one-time verification of a child's data by a clerk. Each action writes
 * its change, its outbox operation and its audit record in one
 * transaction; a refusal writes nothing.
 */

void
pfdo_family_result_free (PfdoFamilyResult *result)
{
  if (result == NULL)
    return;
  g_free (result->parent_id);
  g_clear_pointer (&result->child_ids, g_ptr_array_unref);
  g_clear_pointer (&result->certificate_numbers, g_ptr_array_unref);
  g_free (result);
}

void
pfdo_duplicate_free (PfdoDuplicate *duplicate)
{
  if (duplicate == NULL)
    return;
  g_free (duplicate->child_id);
  g_free (duplicate);
}

const char *
pfdo_match_reason_describe (PfdoMatchReason reason)
{
  switch (reason)
    {
    case PFDO_MATCH_SNILS:
      return _("the same SNILS");
    case PFDO_MATCH_NAME_BIRTH_DATE:
      return _("the same surname, name and birth date");
    case PFDO_MATCH_DOCUMENT:
      return _("the same birth date and a document number that differs by at most one character");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
set_field (char       **out_field,
           const char  *prefix,
           const char  *field)
{
  if (out_field == NULL)
    return;
  g_free (*out_field);
  *out_field = prefix != NULL ? g_strconcat (prefix, field, NULL) : g_strdup (field);
}

/* Normalises one value into @fields, or fails naming the field; takes
 * @value either way. */
static gboolean
take_value (GHashTable  *fields,
            const char  *field,
            const char  *label,
            char        *value,
            GError      *local_error,
            char       **out_field,
            GError     **error)
{
  if (local_error != NULL)
    {
      g_free (value);
      g_prefix_error (&local_error, "%s: ", label);
      g_propagate_error (error, local_error);
      set_field (out_field, NULL, field);
      return FALSE;
    }
  g_hash_table_insert (fields, g_strdup (field), value);
  return TRUE;
}

/**
 * pfdo_child_input_normalize:
 * @out_fields: filled with column → normalised value (values may be %NULL)
 * @out_field: (out) (optional): the name of the field that is wrong
 *
 * Checks a child's data as typed and brings it to the stored spelling:
 * names in Cyrillic, a birth date that exists and an age of 5–17 today,
 * SNILS with its checksum, a document of the right shape.
 */
gboolean
pfdo_child_input_normalize (const PfdoChildInput  *input,
                            GHashTable            *out_fields,
                            char                 **out_field,
                            GError               **error)
{
  GError *local_error = NULL;
  char *value;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (out_fields != NULL, FALSE);

  value = pfdo_name_normalize (input->last_name, FALSE, &local_error);
  if (!take_value (out_fields, "last_name", _("Child's surname"), value, local_error, out_field,
                   error))
    return FALSE;
  value = pfdo_name_normalize (input->first_name, FALSE, &local_error);
  if (!take_value (out_fields, "first_name", _("Child's name"), value, local_error, out_field,
                   error))
    return FALSE;
  value = pfdo_name_normalize (input->middle_name, TRUE, &local_error);
  if (!take_value (out_fields, "middle_name", _("Child's patronymic"), value, local_error,
                   out_field, error))
    return FALSE;

  {
    GDate birth, today;
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    g_date_clear (&birth, 1);
    g_date_clear (&today, 1);
    g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                    g_date_time_get_year (now));
    value = NULL;
    if (pfdo_date_parse (input->birth_date, &birth, &local_error))
      {
        int age = pfdo_age_on (&birth, &today);

        if (age < 5 || age > 17)
          g_set_error (&local_error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_AGE,
                       _("A certificate is issued to children aged 5 to 17; by this date the "
                         "child is %d."), age);
        else
          value = pfdo_date_to_iso (&birth);
      }
    if (!take_value (out_fields, "birth_date", _("Birth date"), value, local_error, out_field,
                     error))
      return FALSE;
  }

  if (g_strcmp0 (input->sex, "m") != 0 && g_strcmp0 (input->sex, "f") != 0)
    g_set_error (&local_error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
                 _("Choose the child's sex."));
  if (!take_value (out_fields, "sex", _("Sex"), g_strdup (input->sex), local_error, out_field,
                   error))
    return FALSE;

  value = NULL;
  if (input->snils != NULL && *input->snils != '\0')
    value = pfdo_snils_normalize (input->snils, &local_error);
  if (!take_value (out_fields, "snils", _("SNILS"), value, local_error, out_field, error))
    return FALSE;

  {
    char *series = NULL;
    char *number = NULL;
    gboolean any = (input->document_type != NULL && *input->document_type != '\0') ||
                   (input->document_number != NULL && *input->document_number != '\0');

    if (any)
      pfdo_document_validate (input->document_type, input->document_series,
                              input->document_number, &series, &number, &local_error);
    if (local_error != NULL)
      {
        g_prefix_error (&local_error, "%s: ", _("Document"));
        g_propagate_error (error, local_error);
        set_field (out_field, NULL, "document_number");
        return FALSE;
      }
    g_hash_table_insert (out_fields, g_strdup ("document_type"),
                         any ? g_strdup (input->document_type) : NULL);
    g_hash_table_insert (out_fields, g_strdup ("document_series"), series);
    g_hash_table_insert (out_fields, g_strdup ("document_number"), number);
  }

  value = input->address != NULL ? g_strstrip (g_strdup (input->address)) : NULL;
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  g_hash_table_insert (out_fields, g_strdup ("address"), value);

  return TRUE;
}

static GHashTable *
fields_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static const char *
field (GHashTable *fields,
       const char *name)
{
  return g_hash_table_lookup (fields, name);
}

static void
add_duplicate (GPtrArray       *found,
               const char      *child_id,
               PfdoMatchReason  reason)
{
  PfdoDuplicate *duplicate;

  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (((PfdoDuplicate *) g_ptr_array_index (found, i))->child_id, child_id))
      return;

  duplicate = g_new0 (PfdoDuplicate, 1);
  duplicate->child_id = g_strdup (child_id);
  duplicate->reason = reason;
  g_ptr_array_add (found, duplicate);
}

/* Document numbers compared by their letters and digits only. */
static char *
document_key (const char *number)
{
  GString *key = g_string_new (NULL);

  for (const char *p = number; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (key, g_unichar_toupper (c));
    }
  return g_string_free (key, FALSE);
}

/**
 * pfdo_children_find_duplicates:
 * @exclude_child_id: (nullable): the child being checked, not its own twin
 * @snils: (nullable): formatted SNILS
 * @birth_date: (nullable): `YYYY-MM-DD`
 *
 * Children that are likely the same child: the same SNILS; the same
 * surname, name and birth date (case and ё/е aside); or the same birth date
 * and a document number one edit away. Never a match on the name alone.
 *
 * Returns: (transfer full) (element-type PfdoDuplicate): the candidates,
 *   each once with its strongest reason; %NULL with @error set on failure
 */
GPtrArray *
pfdo_children_find_duplicates (PfdoStore   *store,
                               const char  *exclude_child_id,
                               const char  *snils,
                               const char  *last_name,
                               const char  *first_name,
                               const char  *birth_date,
                               const char  *document_number,
                               GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_duplicate_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (snils != NULL && *snils != '\0')
    {
      stmt = pfdo_store_prepare (store, "SELECT id FROM child WHERE snils = ?1 AND id IS NOT ?2",
                                 error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, snils, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, exclude_child_id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_duplicate (found, (const char *) sqlite3_column_text (stmt, 0), PFDO_MATCH_SNILS);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          pfdo_store_set_error (store, rc, error);
          return NULL;
        }
    }

  if (last_name != NULL && first_name != NULL && birth_date != NULL)
    {
      stmt = pfdo_store_prepare (store,
                                 "SELECT id FROM child WHERE search_last_name = pfdo_fold (?1) "
                                 "AND search_first_name = pfdo_fold (?2) AND birth_date = ?3 "
                                 "AND id IS NOT ?4",
                                 error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, last_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, first_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, birth_date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, exclude_child_id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_duplicate (found, (const char *) sqlite3_column_text (stmt, 0),
                       PFDO_MATCH_NAME_BIRTH_DATE);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          pfdo_store_set_error (store, rc, error);
          return NULL;
        }
    }

  if (document_number != NULL && *document_number != '\0' && birth_date != NULL)
    {
      g_autofree char *key = document_key (document_number);

      /* About a hundred children share a birth date in a full region, so
       * comparing each of their numbers is cheap. */
      stmt = pfdo_store_prepare (store,
                                 "SELECT id, document_number FROM child WHERE birth_date = ?1 "
                                 "AND document_number IS NOT NULL AND id IS NOT ?2",
                                 error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, birth_date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, exclude_child_id, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autofree char *other = document_key ((const char *) sqlite3_column_text (stmt, 1));

          if (*key != '\0' && pfdo_text_edit_distance (key, other, 1) <= 1)
            add_duplicate (found, (const char *) sqlite3_column_text (stmt, 0),
                           PFDO_MATCH_DOCUMENT);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          pfdo_store_set_error (store, rc, error);
          return NULL;
        }
    }

  return g_steal_pointer (&found);
}

static gboolean
refuse_duplicate (GPtrArray *duplicates,
                  GError   **error)
{
  PfdoDuplicate *first = g_ptr_array_index (duplicates, 0);

  g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD,
               _("This child may already be registered: a record with %s exists. Compare the "
                 "records, and save only if they are different children."),
               pfdo_match_reason_describe (first->reason));
  return FALSE;
}

static const char *
home_municipality (PfdoStore *store)
{
  return pfdo_store_get_operator_municipality_id (store);
}

typedef struct
{
  const PfdoFamilyInput *input;
  GHashTable            *parent;
  GPtrArray             *children;   /* of GHashTable */
  PfdoFamilyResult      *result;
} RegisterData;

static gboolean
insert_child (PfdoStore  *store,
              const char *child_id,
              const char *parent_id,
              const char *now,
              GHashTable *fields,
              GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = pfdo_store_prepare (store,
                             "INSERT INTO child (id, parent_id, last_name, first_name, middle_name, "
                             "birth_date, sex, snils, document_type, document_series, "
                             "document_number, address, municipality_id, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, child_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, parent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, field (fields, "last_name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, field (fields, "first_name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, field (fields, "middle_name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, field (fields, "birth_date"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, field (fields, "sex"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, field (fields, "snils"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, field (fields, "document_type"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, field (fields, "document_series"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, field (fields, "document_number"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, field (fields, "address"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, home_municipality (store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, now, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

/* The payload of family.register, built by SQLite's JSON functions from the
 * rows just written, so it says exactly what the store holds. */
#define CHILD_JSON \
  "json_object ('id', c.id, 'parent_id', c.parent_id, 'last_name', c.last_name, " \
  "'first_name', c.first_name, 'middle_name', c.middle_name, 'birth_date', c.birth_date, " \
  "'sex', c.sex, 'snils', c.snils, 'document', json_object ('type', c.document_type, " \
  "'series', c.document_series, 'number', c.document_number), 'address', c.address, " \
  "'municipality_id', c.municipality_id)"

static gboolean
register_cb (PfdoStore *store,
             gpointer   user_data,
             GError   **error)
{
  RegisterData *data = user_data;
  PfdoFamilyResult *result = data->result;
  g_autofree char *now = pfdo_now_utc ();
  g_autofree char *payload = NULL;
  sqlite3_stmt *stmt;
  gint64 parent_exists;

  parent_exists = pfdo_store_query_int (store, "SELECT count(*) FROM parent WHERE id = ?",
                                        result->parent_id, error);
  if (parent_exists < 0)
    return FALSE;

  if (parent_exists == 0)
    {
      stmt = pfdo_store_prepare (store,
                                 "INSERT INTO parent (id, last_name, first_name, middle_name, phone, "
                                 "email, municipality_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, result->parent_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, field (data->parent, "last_name"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, field (data->parent, "first_name"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, field (data->parent, "middle_name"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, field (data->parent, "phone"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, field (data->parent, "email"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, home_municipality (store), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
      if (!pfdo_store_step_done (store, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < data->children->len; i++)
    if (!insert_child (store, g_ptr_array_index (result->child_ids, i), result->parent_id, now,
                       g_ptr_array_index (data->children, i), error))
      return FALSE;

  stmt = pfdo_store_prepare (store,
                             "SELECT json_object ("
                             " 'parent', (SELECT json_object ('id', id, 'last_name', last_name, "
                             "   'first_name', first_name, 'middle_name', middle_name, 'phone', phone, "
                             "   'email', email, 'municipality_id', municipality_id, "
                             "   'created_at', created_at) FROM parent WHERE id = ?1), "
                             " 'children', (SELECT json_group_array (json (" CHILD_JSON ")) "
                             "   FROM child c WHERE c.parent_id = ?1 AND c.created_at = ?2))",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, result->parent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    payload = pfdo_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (payload == NULL)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("Could not record the operation for the regional server."));
      return FALSE;
    }

  if (!pfdo_store_enqueue (store, "family.register", "parent", result->parent_id, payload, error) ||
      !pfdo_store_audit (store, "family.register", "parent", result->parent_id, NULL, error))
    return FALSE;

  for (guint i = 0; i < result->child_ids->len; i++)
    {
      const char *child_id = g_ptr_array_index (result->child_ids, i);

      if (!pfdo_store_audit (store, "child.register", "child", child_id, NULL, error))
        return FALSE;
      if (data->input->issue_certificates)
        {
          char *number = NULL;

          if (!pfdo_certificate_issue_in_write (store, child_id, NULL, &number, error))
            return FALSE;
          g_ptr_array_add (result->certificate_numbers, number);
        }
    }

  return TRUE;
}

/**
 * pfdo_family_register:
 * @input: the parent, the children, and whether to issue certificates
 * @out_field: (out) (optional): where the input is wrong, e.g.
 *   `children[1].snils`, when it is refused for that
 *
 * Registers a parent and children (and issues their certificates) in one
 * transaction with the family.register and certificate.issue operations
 * and the audit records. A likely twin of a child already in the store is
 * refused unless @input allows duplicates, which the operator chooses
 * after seeing the twin.
 *
 * Returns: (transfer full): what was made, or %NULL with @error set
 */
PfdoFamilyResult *
pfdo_family_register (PfdoStore              *store,
                      const PfdoFamilyInput  *input,
                      char                  **out_field,
                      GError                **error)
{
  g_autoptr(GHashTable) parent = fields_new ();
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(PfdoFamilyResult) result = NULL;
  RegisterData data;
  GError *local_error = NULL;
  char *value;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  if (!pfdo_require_action (store, PFDO_ACTION_FAMILY_REGISTER, error))
    return NULL;

  value = pfdo_name_normalize (input->parent.last_name, FALSE, &local_error);
  if (!take_value (parent, "last_name", _("Parent's surname"), value, local_error, out_field,
                   error))
    goto parent_field;
  value = pfdo_name_normalize (input->parent.first_name, FALSE, &local_error);
  if (!take_value (parent, "first_name", _("Parent's name"), value, local_error, out_field, error))
    goto parent_field;
  value = pfdo_name_normalize (input->parent.middle_name, TRUE, &local_error);
  if (!take_value (parent, "middle_name", _("Parent's patronymic"), value, local_error, out_field,
                   error))
    goto parent_field;
  value = pfdo_phone_normalize (input->parent.phone, &local_error);
  if (!take_value (parent, "phone", _("Phone"), value, local_error, out_field, error))
    goto parent_field;
  value = pfdo_email_normalize (input->parent.email, &local_error);
  if (!take_value (parent, "email", _("E-mail"), value, local_error, out_field, error))
    goto parent_field;

  if (input->n_children == 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
                   _("Add at least one child."));
      set_field (out_field, NULL, "children");
      return NULL;
    }

  for (guint i = 0; i < input->n_children; i++)
    {
      g_autoptr(GHashTable) child = fields_new ();
      g_autofree char *prefix = g_strdup_printf ("children[%u].", i);
      g_autoptr(GPtrArray) twins = NULL;

      if (!pfdo_child_input_normalize (&input->children[i], child, out_field, error))
        {
          if (out_field != NULL && *out_field != NULL)
            {
              g_autofree char *bare = g_steal_pointer (out_field);
              set_field (out_field, prefix, bare);
            }
          return NULL;
        }

      /* The same SNILS twice in one family is a typing slip. */
      for (guint j = 0; j < children->len && field (child, "snils") != NULL; j++)
        if (g_strcmp0 (field (g_ptr_array_index (children, j), "snils"), field (child, "snils")) == 0)
          {
            g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD,
                         _("Two children of the family have the same SNILS."));
            set_field (out_field, prefix, "snils");
            return NULL;
          }

      if (!input->allow_duplicates)
        {
          twins = pfdo_children_find_duplicates (store, NULL, field (child, "snils"),
                                                 field (child, "last_name"),
                                                 field (child, "first_name"),
                                                 field (child, "birth_date"),
                                                 field (child, "document_number"), error);
          if (twins == NULL)
            return NULL;
          if (twins->len > 0)
            {
              PfdoMatchReason reason = ((PfdoDuplicate *) g_ptr_array_index (twins, 0))->reason;

              /* The field that matched, so that the form points at it. */
              set_field (out_field, prefix,
                         reason == PFDO_MATCH_SNILS ? "snils"
                         : reason == PFDO_MATCH_DOCUMENT ? "document_number"
                         : "last_name");
              refuse_duplicate (twins, error);
              return NULL;
            }
        }

      g_ptr_array_add (children, g_steal_pointer (&child));
    }

  if (home_municipality (store) == NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("The operator's account is not bound to a municipality."));
      return NULL;
    }

  result = g_new0 (PfdoFamilyResult, 1);
  result->parent_id = input->parent.id != NULL ? g_strdup (input->parent.id) : pfdo_uuid_new ();
  result->child_ids = g_ptr_array_new_with_free_func (g_free);
  result->certificate_numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < input->n_children; i++)
    g_ptr_array_add (result->child_ids, input->children[i].id != NULL
                                          ? g_strdup (input->children[i].id)
                                          : pfdo_uuid_new ());

  data.input = input;
  data.parent = parent;
  data.children = children;
  data.result = result;
  if (!pfdo_store_write (store, register_cb, &data, error))
    return NULL;

  return g_steal_pointer (&result);

parent_field:
  if (out_field != NULL && *out_field != NULL)
    {
      g_autofree char *bare = g_steal_pointer (out_field);
      set_field (out_field, "parent.", bare);
    }
  return NULL;
}

typedef struct
{
  char *municipality_id;
  char *status;
  char *snils;
  char *last_name;
  char *first_name;
  char *birth_date;
  char *document_number;
} ChildState;

static void
child_state_clear (ChildState *state)
{
  g_free (state->municipality_id);
  g_free (state->status);
  g_free (state->snils);
  g_free (state->last_name);
  g_free (state->first_name);
  g_free (state->birth_date);
  g_free (state->document_number);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ChildState, child_state_clear)

static gboolean
load_child_state (PfdoStore  *store,
                  const char *child_id,
                  ChildState *state,
                  GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pfdo_store_prepare (store,
                             "SELECT municipality_id, verification_status, snils, last_name, "
                             "first_name, birth_date, document_number FROM child WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, child_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->municipality_id = pfdo_column_dup (stmt, 0);
      state->status = pfdo_column_dup (stmt, 1);
      state->snils = pfdo_column_dup (stmt, 2);
      state->last_name = pfdo_column_dup (stmt, 3);
      state->first_name = pfdo_column_dup (stmt, 4);
      state->birth_date = pfdo_column_dup (stmt, 5);
      state->document_number = pfdo_column_dup (stmt, 6);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("The child was not found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  return pfdo_check_scope (store, state->municipality_id, error);
}

typedef struct
{
  const char    *child_id;
  gboolean       verify;
  PfdoDocuments  seen;
  gboolean       allow_duplicates;
  const char    *reason;
} DecisionData;

static gboolean
decide_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  DecisionData *data = user_data;
  g_auto(ChildState) state = { 0 };
  g_autofree char *now = pfdo_now_utc ();
  g_autofree char *payload = NULL;
  const char *documents = NULL;
  sqlite3_stmt *stmt;

  if (!load_child_state (store, data->child_id, &state, error))
    return FALSE;

  if (g_strcmp0 (state.status, "verified") == 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED,
                   _("The child's data has already been confirmed; a confirmation stays."));
      return FALSE;
    }
  if (g_strcmp0 (state.status, "rejected") == 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_DECIDED,
                   _("The child's data was rejected: correct the record first, then decide "
                     "again."));
      return FALSE;
    }

  if (data->verify)
    {
      if (!data->allow_duplicates)
        {
          g_autoptr(GPtrArray) twins = NULL;

          twins = pfdo_children_find_duplicates (store, data->child_id, state.snils,
                                                 state.last_name, state.first_name,
                                                 state.birth_date, state.document_number, error);
          if (twins == NULL)
            return FALSE;
          if (twins->len > 0)
            return refuse_duplicate (twins, error);
        }
      documents = "[\"birth_certificate\", \"snils\", \"parent_passport\"]";
    }

  stmt = pfdo_store_prepare (store,
                             "UPDATE child SET verification_status = ?1, "
                             "verification_decided_at = ?2, verification_operator_id = ?3, "
                             "verification_office_id = ?4, verification_reason = ?5, "
                             "verification_documents = ?6 WHERE id = ?7",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->verify ? "verified" : "rejected", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, pfdo_store_get_operator_id (store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, pfdo_store_get_operator_office_id (store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, data->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, documents, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, data->child_id, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  payload = pfdo_query_text (store,
                             "SELECT json_object ('child_id', id, 'decision', verification_status, "
                             "'reason', verification_reason, 'documents', "
                             "json (coalesce (verification_documents, '[]'))) FROM child WHERE id = ?",
                             data->child_id, error);
  if (payload == NULL)
    return FALSE;

  return pfdo_store_enqueue (store, "child.verify", "child", data->child_id, payload, error) &&
         pfdo_store_audit (store, "child.verify", "child", data->child_id,
                           data->verify ? "verified" : "rejected", error);
}

/**
 * pfdo_child_verify:
 * @seen: the documents the clerk checked; all three are needed
 * @allow_duplicates: %TRUE once the clerk has compared the likely twins
 *
 * Confirms a child's data, once. A likely twin in the store refuses the
 * confirmation with %PFDO_DOMAIN_ERROR_DUPLICATE_CHILD until the clerk has
 * seen it.
 */
gboolean
pfdo_child_verify (PfdoStore     *store,
                   const char    *child_id,
                   PfdoDocuments  seen,
                   gboolean       allow_duplicates,
                   GError       **error)
{
  DecisionData data = { child_id, TRUE, seen, allow_duplicates, NULL };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (child_id != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_CHILD_VERIFY, error))
    return FALSE;
  if ((seen & PFDO_DOCUMENTS_ALL) != PFDO_DOCUMENTS_ALL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DOCUMENTS_MISSING,
                   _("Check all the documents first: the child's birth certificate or "
                     "passport, the SNILS and the parent's identity document."));
      return FALSE;
    }
  return pfdo_store_write (store, decide_cb, &data, error);
}

/**
 * pfdo_child_reject:
 * @reason: why, for the family and for whoever corrects the record
 *
 * Rejects a child's data; the record can be corrected and decided again.
 */
gboolean
pfdo_child_reject (PfdoStore  *store,
                   const char *child_id,
                   const char *reason,
                   GError    **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  DecisionData data = { child_id, FALSE, 0, FALSE, trimmed };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (child_id != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_CHILD_VERIFY, error))
    return FALSE;
  if (*trimmed == '\0')
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED,
                   _("Give the reason for the rejection."));
      return FALSE;
    }
  return pfdo_store_write (store, decide_cb, &data, error);
}

typedef struct
{
  const char *child_id;
  GHashTable *fields;
} CorrectData;

static gboolean
correct_cb (PfdoStore *store,
            gpointer   user_data,
            GError   **error)
{
  CorrectData *data = user_data;
  g_auto(ChildState) state = { 0 };
  g_autofree char *payload = NULL;
  sqlite3_stmt *stmt;

  if (!load_child_state (store, data->child_id, &state, error))
    return FALSE;
  if (g_strcmp0 (state.status, "verified") == 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED,
                   _("The child's data has already been confirmed and cannot be corrected "
                     "here."));
      return FALSE;
    }

  stmt = pfdo_store_prepare (store,
                             "UPDATE child SET last_name = ?1, first_name = ?2, middle_name = ?3, "
                             "birth_date = ?4, sex = ?5, snils = ?6, document_type = ?7, "
                             "document_series = ?8, document_number = ?9, "
                             "address = coalesce (?10, address), "
                             "verification_status = 'unverified', verification_reason = NULL, "
                             "verification_decided_at = NULL, verification_operator_id = NULL, "
                             "verification_office_id = NULL, verification_documents = NULL "
                             "WHERE id = ?11",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, field (data->fields, "last_name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, field (data->fields, "first_name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, field (data->fields, "middle_name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, field (data->fields, "birth_date"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, field (data->fields, "sex"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, field (data->fields, "snils"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, field (data->fields, "document_type"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, field (data->fields, "document_series"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, field (data->fields, "document_number"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, field (data->fields, "address"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, data->child_id, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  payload = pfdo_query_text (store,
                             "SELECT json_object ('child_id', c.id, 'fields', json (" CHILD_JSON
                             ")) FROM child c WHERE c.id = ?",
                             data->child_id, error);
  if (payload == NULL)
    return FALSE;

  return pfdo_store_enqueue (store, "child.correct", "child", data->child_id, payload, error) &&
         pfdo_store_audit (store, "child.correct", "child", data->child_id, NULL, error);
}

/**
 * pfdo_child_correct:
 * @input: the child's whole data as corrected
 * @out_field: (out) (optional): the field that is wrong, when refused for it
 *
 * Corrects a rejected (or not yet decided) child's data with the same
 * checks as registration; the record then waits for a new decision.
 */
gboolean
pfdo_child_correct (PfdoStore             *store,
                    const char            *child_id,
                    const PfdoChildInput  *input,
                    char                 **out_field,
                    GError               **error)
{
  g_autoptr(GHashTable) fields = fields_new ();
  CorrectData data = { child_id, fields };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (child_id != NULL && input != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_CHILD_CORRECT, error))
    return FALSE;
  if (!pfdo_child_input_normalize (input, fields, out_field, error))
    return FALSE;
  return pfdo_store_write (store, correct_cb, &data, error);
}
