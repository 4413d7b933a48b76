/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-meeting"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-certificates.h"
#include "pfdo-class-list.h"
#include "pfdo-export.h"
#include "pfdo-domain-private.h"
#include "pfdo-error.h"
#include "pfdo-meeting.h"
#include "pfdo-text.h"

/*
 * A parent meeting is the desk's own record: which families of which class
 * were registered, the form being typed (saved as the clerk types, so that
 * a closed lid or a crash loses nothing), and how many likely twins were
 * caught. The families themselves are registered by the domain core like
 * any other, with their outbox operations and audit records, in the same
 * transaction as the session's own rows.
 */

void
pfdo_meeting_session_free (PfdoMeetingSession *session)
{
  if (session == NULL)
    return;
  g_free (session->id);
  g_free (session->office_id);
  g_free (session->office_name);
  g_free (session->class_name);
  g_free (session->created_at);
  g_free (session->closed_at);
  g_free (session);
}

void
pfdo_meeting_office_free (PfdoMeetingOffice *office)
{
  if (office == NULL)
    return;
  g_free (office->id);
  g_free (office->name);
  g_free (office->kind);
  g_free (office->address);
  g_free (office->phone);
  g_free (office->hours);
  g_free (office);
}

void
pfdo_meeting_child_free (PfdoMeetingChild *child)
{
  if (child == NULL)
    return;
  g_free (child->parent_id);
  g_free (child->parent_last_name);
  g_free (child->parent_first_name);
  g_free (child->parent_middle_name);
  g_free (child->phone);
  g_free (child->email);
  g_free (child->child_id);
  g_free (child->last_name);
  g_free (child->first_name);
  g_free (child->middle_name);
  g_free (child->birth_date);
  g_free (child->certificate_number);
  g_free (child->certificate_status);
  g_free (child->verification_status);
  g_free (child);
}

/**
 * pfdo_meeting_offices:
 *
 * The schools and kindergartens of the operator's municipality, the
 * operator's own office first.
 *
 * Returns: (transfer full) (element-type PfdoMeetingOffice): the offices,
 *   or %NULL with @error set
 */
GPtrArray *
pfdo_meeting_offices (PfdoStore  *store,
                      GError    **error)
{
  g_autoptr(GPtrArray) offices = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_meeting_office_free);
  g_autofree char *municipality_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  municipality_id = pfdo_store_dup_municipality_id (store);
  stmt = pfdo_store_prepare (store,
                             "SELECT id, name, kind FROM office "
                             "WHERE (?1 IS NULL OR municipality_id = ?1) "
                             "AND kind IN ('school', 'kindergarten') "
                             "ORDER BY id IS NOT ?2, kind DESC, name COLLATE NOCASE, id",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pfdo_store_get_operator_office_id (store), -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoMeetingOffice *office = g_new0 (PfdoMeetingOffice, 1);

      office->id = pfdo_column_dup (stmt, 0);
      office->name = pfdo_column_dup (stmt, 1);
      office->kind = pfdo_column_dup (stmt, 2);
      g_ptr_array_add (offices, office);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&offices);
}

/**
 * pfdo_meeting_dup_moc:
 *
 * The municipal support centre of the operator's municipality: where the
 * families bring their documents, as the memo tells them.
 *
 * Returns: (transfer full) (nullable): the МОЦ, or %NULL when the store
 *   has none (@error unset) or on error
 */
PfdoMeetingOffice *
pfdo_meeting_dup_moc (PfdoStore  *store,
                      GError    **error)
{
  g_autofree char *municipality_id = NULL;
  PfdoMeetingOffice *office = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  municipality_id = pfdo_store_dup_municipality_id (store);
  stmt = pfdo_store_prepare (store,
                             "SELECT id, name, kind, address, phone, hours FROM office "
                             "WHERE municipality_id = ? AND kind = 'moc' "
                             "ORDER BY id IS NOT ?, id LIMIT 1",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pfdo_store_get_operator_office_id (store), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      office = g_new0 (PfdoMeetingOffice, 1);
      office->id = pfdo_column_dup (stmt, 0);
      office->name = pfdo_column_dup (stmt, 1);
      office->kind = pfdo_column_dup (stmt, 2);
      office->address = pfdo_column_dup (stmt, 3);
      office->phone = pfdo_column_dup (stmt, 4);
      office->hours = pfdo_column_dup (stmt, 5);
    }
  else if (rc != SQLITE_DONE)
    pfdo_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return office;
}

/**
 * pfdo_meeting_load:
 *
 * Returns: (transfer full): the session, or %NULL with @error set
 */
PfdoMeetingSession *
pfdo_meeting_load (PfdoStore   *store,
                   const char  *session_id,
                   GError     **error)
{
  g_autoptr(PfdoMeetingSession) session = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  stmt = pfdo_store_prepare (store,
                             "SELECT s.id, s.office_id, o.name, s.class_name, s.created_at, s.closed_at "
                             "FROM meeting_session s LEFT JOIN office o ON o.id = s.office_id "
                             "WHERE s.id = ?",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      session = g_new0 (PfdoMeetingSession, 1);
      session->id = pfdo_column_dup (stmt, 0);
      session->office_id = pfdo_column_dup (stmt, 1);
      session->office_name = pfdo_column_dup (stmt, 2);
      session->class_name = pfdo_column_dup (stmt, 3);
      session->created_at = pfdo_column_dup (stmt, 4);
      session->closed_at = pfdo_column_dup (stmt, 5);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  if (session == NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("There is no such parent meeting on this desk."));
      return NULL;
    }
  return g_steal_pointer (&session);
}

typedef struct
{
  const char *id;
  const char *office_id;
  const char *class_name;
} StartData;

static gboolean
start_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  StartData *data = user_data;
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt;

  stmt = pfdo_store_prepare (store,
                             "INSERT INTO meeting_session (id, office_id, class_name, operator_id, "
                             "created_at) VALUES (?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, data->office_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, data->class_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, pfdo_store_get_operator_id (store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  return pfdo_store_audit (store, "meeting.start", "meeting_session", data->id, NULL, error);
}

/**
 * pfdo_meeting_start:
 * @office_id: the school or kindergarten where the meeting is held
 * @class_name: the class or group, as the school calls it (`3 «Б»`)
 *
 * Starts a parent meeting of the signed-in operator.
 *
 * Returns: (transfer full): the new session, or %NULL with @error set
 */
PfdoMeetingSession *
pfdo_meeting_start (PfdoStore   *store,
                    const char  *office_id,
                    const char  *class_name,
                    GError     **error)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *office_municipality = NULL;
  StartData data;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (!pfdo_require_action (store, PFDO_ACTION_MEETING, error))
    return NULL;

  name = g_strstrip (g_strdup (class_name != NULL ? class_name : ""));
  if (*name == '\0')
    {
      g_set_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMPTY,
                   _("Type the class or group of the meeting."));
      return NULL;
    }
  if (g_utf8_strlen (name, -1) > 40)
    {
      g_set_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
                   _("The name of the class is too long."));
      return NULL;
    }

  office_municipality = pfdo_query_text (store,
                                         "SELECT municipality_id FROM office WHERE id = ? "
                                         "AND kind IN ('school', 'kindergarten')",
                                         office_id, error);
  if (office_municipality == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                     _("Choose the school or kindergarten where the meeting is held."));
      return NULL;
    }
  if (!pfdo_check_scope (store, office_municipality, error))
    return NULL;

  id = pfdo_uuid_new ();
  data.id = id;
  data.office_id = office_id;
  data.class_name = name;
  if (!pfdo_store_write (store, start_cb, &data, error))
    return NULL;

  return pfdo_meeting_load (store, id, error);
}

/**
 * pfdo_meeting_find_open:
 *
 * The operator's latest meeting that was not closed, to resume it.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL when there is
 *   none (and @error is not set) or on error
 */
PfdoMeetingSession *
pfdo_meeting_find_open (PfdoStore  *store,
                        GError    **error)
{
  GError *local_error = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  stmt = pfdo_store_prepare (store,
                             "SELECT id FROM meeting_session WHERE operator_id IS ? "
                             "AND closed_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, pfdo_store_get_operator_id (store), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = pfdo_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    pfdo_store_set_error (store, rc, &local_error);
  sqlite3_reset (stmt);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (id == NULL)
    return NULL;
  return pfdo_meeting_load (store, id, error);
}

static gboolean
require_open (PfdoStore   *store,
              const char  *session_id,
              GError     **error)
{
  g_autoptr(PfdoMeetingSession) session = pfdo_meeting_load (store, session_id, error);

  if (session == NULL)
    return FALSE;
  if (session->closed_at != NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("This parent meeting is finished; start a new one."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
close_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  const char *session_id = user_data;
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt;

  stmt = pfdo_store_prepare (store,
                             "UPDATE meeting_session SET closed_at = ?2, draft = NULL, "
                             "draft_duplicate = 0 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;
  return pfdo_store_audit (store, "meeting.close", "meeting_session", session_id, NULL, error);
}

/**
 * pfdo_meeting_close:
 *
 * Ends a meeting; a form left half-typed in it is dropped.
 */
gboolean
pfdo_meeting_close (PfdoStore   *store,
                    const char  *session_id,
                    GError     **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_MEETING, error) ||
      !require_open (store, session_id, error))
    return FALSE;
  return pfdo_store_write (store, close_cb, (gpointer) session_id, error);
}

/**
 * pfdo_meeting_save_draft:
 * @draft_json: (nullable): the form as JSON, or %NULL when the form is
 *   empty again
 *
 * Keeps the form being typed. One statement that commits at once and does
 * not announce a change of the store: it runs at every keystroke.
 */
gboolean
pfdo_meeting_save_draft (PfdoStore   *store,
                         const char  *session_id,
                         const char  *draft_json,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_MEETING, error))
    return FALSE;
  /* An empty form forgets that a twin was noted for it. */
  stmt = pfdo_store_prepare (store,
                             "UPDATE meeting_session SET draft = ?2, "
                             "draft_duplicate = CASE WHEN ?2 IS NULL THEN 0 ELSE draft_duplicate END "
                             "WHERE id = ?1 AND closed_at IS NULL",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, draft_json, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  if (sqlite3_changes (pfdo_store_get_db (store)) == 0)
    return require_open (store, session_id, error);
  return TRUE;
}

/**
 * pfdo_meeting_dup_draft:
 *
 * Returns: (transfer full) (nullable): the form left half-typed in the
 *   session, or %NULL when there is none (@error unset) or on error
 */
char *
pfdo_meeting_dup_draft (PfdoStore   *store,
                        const char  *session_id,
                        GError     **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  return pfdo_query_text (store, "SELECT draft FROM meeting_session WHERE id = ?", session_id,
                          error);
}

/* A likely twin shown for the form being typed counts once per form. */
static gboolean
note_duplicate (PfdoStore   *store,
                const char  *session_id,
                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = pfdo_store_prepare (store,
                             "UPDATE meeting_session SET duplicates_caught = duplicates_caught + 1, "
                             "draft_duplicate = 1 WHERE id = ? AND draft_duplicate = 0",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

/**
 * pfdo_meeting_note_duplicate:
 *
 * Counts a likely twin that the desk showed for the form being typed; a
 * form counts once however many times its twin is shown.
 */
gboolean
pfdo_meeting_note_duplicate (PfdoStore   *store,
                             const char  *session_id,
                             GError     **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_MEETING, error))
    return FALSE;
  return note_duplicate (store, session_id, error);
}

typedef struct
{
  const char            *session_id;
  const PfdoFamilyInput *input;
  char                 **out_field;
  PfdoFamilyResult      *result;
  gboolean               keep_draft;     /* an import: the form being typed stays */
  const char            *family_key;     /* an import: the rows' keys, one per child */
  const char * const    *row_keys;
} SaveData;

static gboolean
save_family_cb (PfdoStore *store,
                gpointer   user_data,
                GError   **error)
{
  SaveData *data = user_data;
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt;

  data->result = pfdo_family_register (store, data->input, data->out_field, error);
  if (data->result == NULL)
    return FALSE;

  /* A parent already in the session (a second list row of the family)
   * keeps the place of the family. */
  stmt = pfdo_store_prepare (store,
                             "INSERT INTO meeting_family (session_id, seq, parent_id, saved_at) "
                             "SELECT ?1, coalesce (max (seq), 0) + 1, ?2, ?3 FROM meeting_family "
                             "WHERE session_id = ?1 AND NOT EXISTS (SELECT 1 FROM meeting_family "
                             "WHERE session_id = ?1 AND parent_id = ?2)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, data->result->parent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  for (guint i = 0; i < data->result->child_ids->len; i++)
    {
      stmt = pfdo_store_prepare (store,
                                 "INSERT INTO meeting_child (session_id, child_id, parent_id) "
                                 "VALUES (?, ?, ?)",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, data->session_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (data->result->child_ids, i), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, data->result->parent_id, -1, SQLITE_TRANSIENT);
      if (!pfdo_store_step_done (store, stmt, error))
        return FALSE;
    }

  for (guint i = 0; data->row_keys != NULL && i < data->result->child_ids->len; i++)
    {
      stmt = pfdo_store_prepare (store,
                                 "INSERT INTO meeting_import (row_key, family_key, parent_id, child_id, "
                                 "session_id) VALUES (?, ?, ?, ?, ?)",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, data->row_keys[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, data->family_key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, data->result->parent_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, g_ptr_array_index (data->result->child_ids, i), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, data->session_id, -1, SQLITE_TRANSIENT);
      if (!pfdo_store_step_done (store, stmt, error))
        return FALSE;
    }

  /* The form is saved: nothing is left half-typed. */
  if (!data->keep_draft)
    {
      stmt = pfdo_store_prepare (store,
                                 "UPDATE meeting_session SET draft = NULL, draft_duplicate = 0 WHERE id = ?",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, data->session_id, -1, SQLITE_TRANSIENT);
      if (!pfdo_store_step_done (store, stmt, error))
        return FALSE;
    }

  return pfdo_store_audit (store, "meeting.family", "meeting_session", data->session_id,
                           data->result->parent_id, error);
}

/* Whether any child of @input has a likely twin in the store. */
static gboolean
has_twins (PfdoStore              *store,
           const PfdoFamilyInput  *input,
           gboolean               *out_found,
           GError                **error)
{
  *out_found = FALSE;
  for (guint i = 0; i < input->n_children && !*out_found; i++)
    {
      g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autoptr(GPtrArray) twins = NULL;

      /* A child that does not pass the checks is refused later anyway. */
      if (!pfdo_child_input_normalize (&input->children[i], fields, NULL, NULL))
        continue;
      twins = pfdo_children_find_duplicates (store, NULL, g_hash_table_lookup (fields, "snils"),
                                             g_hash_table_lookup (fields, "last_name"),
                                             g_hash_table_lookup (fields, "first_name"),
                                             g_hash_table_lookup (fields, "birth_date"),
                                             g_hash_table_lookup (fields, "document_number"),
                                             error);
      if (twins == NULL)
        return FALSE;
      *out_found = twins->len > 0;
    }
  return TRUE;
}

/**
 * pfdo_meeting_save_family:
 * @out_field: (out) (optional): where the input is wrong, as
 *   pfdo_family_register() says it
 *
 * Registers a family at the meeting: parent, children, their certificates
 * with numbers from the desk's leased blocks, the outbox operations, the
 * audit records and the session's own rows, in one transaction; the form's
 * draft is cleared in it too. A refusal for a likely twin is counted in the
 * session's duplicates caught, as is a twin saved by the operator's choice.
 *
 * Returns: (transfer full): what was made, or %NULL with @error set
 */
PfdoFamilyResult *
pfdo_meeting_save_family (PfdoStore              *store,
                          const char             *session_id,
                          const PfdoFamilyInput  *input,
                          char                  **out_field,
                          GError                **error)
{
  GError *local_error = NULL;
  SaveData data = { session_id, input, out_field, NULL, FALSE, NULL, NULL };

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  if (!pfdo_require_action (store, PFDO_ACTION_MEETING, error) ||
      !require_open (store, session_id, error))
    return NULL;

  if (input->allow_duplicates)
    {
      gboolean found;

      if (!has_twins (store, input, &found, error))
        return NULL;
      if (found && !note_duplicate (store, session_id, error))
        return NULL;
    }

  if (!pfdo_store_write (store, save_family_cb, &data, &local_error))
    {
      g_clear_pointer (&data.result, pfdo_family_result_free);
      if (g_error_matches (local_error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD) &&
          !note_duplicate (store, session_id, NULL))
        g_warning ("Could not count a caught duplicate");
      g_propagate_error (error, local_error);
      return NULL;
    }
  return data.result;
}

/**
 * pfdo_meeting_get_summary:
 *
 * The running figures of a meeting.
 */
gboolean
pfdo_meeting_get_summary (PfdoStore           *store,
                          const char          *session_id,
                          PfdoMeetingSummary  *out_summary,
                          GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_summary != NULL, FALSE);

  memset (out_summary, 0, sizeof *out_summary);
  stmt = pfdo_store_prepare (store,
                             "SELECT (SELECT count(*) FROM meeting_family WHERE session_id = ?1), "
                             "(SELECT count(*) FROM meeting_child WHERE session_id = ?1), "
                             "(SELECT count(*) FROM meeting_child m JOIN certificate c "
                             " ON c.child_id = m.child_id WHERE m.session_id = ?1), "
                             "(SELECT duplicates_caught FROM meeting_session WHERE id = ?1), "
                             "(SELECT count(*) FROM outbox WHERE state = 'pending')",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out_summary->families = sqlite3_column_int64 (stmt, 0);
      out_summary->children = sqlite3_column_int64 (stmt, 1);
      out_summary->certificates = sqlite3_column_int64 (stmt, 2);
      out_summary->duplicates_caught = sqlite3_column_int64 (stmt, 3);
      out_summary->operations_waiting = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }

  out_summary->numbers_left = pfdo_number_blocks_remaining (store, error);
  return out_summary->numbers_left >= 0;
}

/**
 * pfdo_meeting_children:
 * @parent_id: (nullable): one family only
 *
 * The children registered at the meeting, family by family in the order
 * they were saved.
 *
 * Returns: (transfer full) (element-type PfdoMeetingChild): the children,
 *   or %NULL with @error set
 */
GPtrArray *
pfdo_meeting_children (PfdoStore   *store,
                       const char  *session_id,
                       const char  *parent_id,
                       GError     **error)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_meeting_child_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  stmt = pfdo_store_prepare (store,
                             "SELECT f.seq, p.id, p.last_name, p.first_name, p.middle_name, p.phone, "
                             "p.email, c.id, c.last_name, c.first_name, c.middle_name, c.birth_date, "
                             "x.number, x.status, c.verification_status "
                             "FROM meeting_child m "
                             "JOIN meeting_family f ON f.session_id = m.session_id AND f.parent_id = m.parent_id "
                             "JOIN parent p ON p.id = m.parent_id JOIN child c ON c.id = m.child_id "
                             "LEFT JOIN certificate x ON x.child_id = c.id "
                             "WHERE m.session_id = ?1 AND (?2 IS NULL OR m.parent_id = ?2) "
                             "ORDER BY f.seq, c.created_at, c.rowid",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, parent_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoMeetingChild *child = g_new0 (PfdoMeetingChild, 1);

      child->family_no = sqlite3_column_int (stmt, 0);
      child->parent_id = pfdo_column_dup (stmt, 1);
      child->parent_last_name = pfdo_column_dup (stmt, 2);
      child->parent_first_name = pfdo_column_dup (stmt, 3);
      child->parent_middle_name = pfdo_column_dup (stmt, 4);
      child->phone = pfdo_column_dup (stmt, 5);
      child->email = pfdo_column_dup (stmt, 6);
      child->child_id = pfdo_column_dup (stmt, 7);
      child->last_name = pfdo_column_dup (stmt, 8);
      child->first_name = pfdo_column_dup (stmt, 9);
      child->middle_name = pfdo_column_dup (stmt, 10);
      child->birth_date = pfdo_column_dup (stmt, 11);
      child->certificate_number = pfdo_column_dup (stmt, 12);
      child->certificate_status = pfdo_column_dup (stmt, 13);
      child->verification_status = pfdo_column_dup (stmt, 14);
      g_ptr_array_add (children, child);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&children);
}

/**
 * pfdo_meeting_session_has_child:
 *
 * Whether @child_id was registered at this meeting: a twin found there is
 * a slip of this very meeting.
 */
gboolean
pfdo_meeting_session_has_child (PfdoStore   *store,
                                const char  *session_id,
                                const char  *child_id,
                                GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean found;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  stmt = pfdo_store_prepare (store,
                             "SELECT 1 FROM meeting_child WHERE session_id = ? AND child_id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, child_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  found = rc == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    pfdo_store_set_error (store, rc, error);
  return found;
}

void
pfdo_meeting_import_free (PfdoMeetingImport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->skipped, g_ptr_array_unref);
  g_free (report);
}

static void
skip_free (PfdoMeetingSkip *skip)
{
  g_free (skip->reason);
  g_free (skip);
}

static int
compare_skips (gconstpointer a,
               gconstpointer b)
{
  const PfdoMeetingSkip *x = *(PfdoMeetingSkip * const *) a;
  const PfdoMeetingSkip *y = *(PfdoMeetingSkip * const *) b;

  return x->line < y->line ? -1 : x->line > y->line;
}

static void
skip_row (PfdoMeetingImport  *report,
          const PfdoClassRow *row,
          const char         *reason)
{
  PfdoMeetingSkip *skip = g_new0 (PfdoMeetingSkip, 1);

  skip->line = row->line;
  skip->reason = g_strdup (reason);
  g_ptr_array_add (report->skipped, skip);
}

/* Every problem of a row, each after its column's title. */
static char *
dup_row_problems (const PfdoClassRow *row)
{
  GString *text = g_string_new (NULL);

  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    if (row->problem[f] != NULL)
      {
        if (text->len > 0)
          g_string_append (text, "; ");
        /* Translators: a column of a class list and what is wrong in it. */
        g_string_append_printf (text, _("%s: %s"), pfdo_class_field_title (f), row->problem[f]);
      }
  return g_string_free (text, FALSE);
}

/* The child of @family at @field (`children[2].snils`), or -1. */
static int
child_of_field (const char *field)
{
  if (field == NULL || !g_str_has_prefix (field, "children["))
    return -1;
  return (int) g_ascii_strtoull (field + strlen ("children["), NULL, 10);
}

/* Registers the rows of one family of the list, leaving out the children
 * the core refuses (a likely twin, a wrong field) with their reasons. */
static gboolean
import_family (PfdoStore          *store,
               const char         *session_id,
               GPtrArray          *rows,
               PfdoMeetingImport  *report,
               GError            **error)
{
  g_autoptr(GPtrArray) left = g_ptr_array_copy (rows, NULL, NULL);
  const PfdoClassRow *first = g_ptr_array_index (rows, 0);
  g_autofree char *parent_id = NULL;
  GError *local_error = NULL;

  parent_id = pfdo_query_text (store, "SELECT parent_id FROM meeting_import WHERE family_key = ? "
                               "LIMIT 1", first->family_key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  while (left->len > 0)
    {
      g_autofree PfdoChildInput *children = g_new0 (PfdoChildInput, left->len);
      g_autofree const char **keys = g_new0 (const char *, left->len + 1);
      g_autofree char *field = NULL;
      PfdoFamilyInput input = { { 0 } };
      SaveData data = { session_id, &input, &field, NULL, TRUE, first->family_key, NULL };
      int refused;

      for (guint i = 0; i < left->len; i++)
        {
          const PfdoClassRow *row = g_ptr_array_index (left, i);

          children[i] = (PfdoChildInput) {
            .last_name = row->value[PFDO_CLASS_FIELD_LAST_NAME],
            .first_name = row->value[PFDO_CLASS_FIELD_FIRST_NAME],
            .middle_name = row->value[PFDO_CLASS_FIELD_MIDDLE_NAME],
            .birth_date = row->value[PFDO_CLASS_FIELD_BIRTH_DATE],
            .sex = row->value[PFDO_CLASS_FIELD_SEX],
            .snils = row->value[PFDO_CLASS_FIELD_SNILS],
            .document_type = row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE],
            .document_series = row->value[PFDO_CLASS_FIELD_DOCUMENT_SERIES],
            .document_number = row->value[PFDO_CLASS_FIELD_DOCUMENT_NUMBER],
          };
          keys[i] = row->row_key;
        }
      input.parent.id = parent_id;
      input.parent.last_name = first->parent_last_name;
      input.parent.first_name = first->parent_first_name;
      input.parent.middle_name = first->parent_middle_name;
      input.parent.phone = first->value[PFDO_CLASS_FIELD_PHONE];
      input.parent.email = first->value[PFDO_CLASS_FIELD_EMAIL];
      input.children = children;
      input.n_children = left->len;
      input.issue_certificates = TRUE;
      data.row_keys = keys;

      if (pfdo_store_write (store, save_family_cb, &data, &local_error))
        {
          report->families += parent_id == NULL ? 1 : 0;
          report->children += data.result->child_ids->len;
          pfdo_family_result_free (data.result);
          return TRUE;
        }
      g_clear_pointer (&data.result, pfdo_family_result_free);

      /* A refusal of the store itself stops the import; one of the data
       * leaves the row (or the family) out. */
      if (local_error->domain != PFDO_DOMAIN_ERROR && local_error->domain != PFDO_VALIDATION_ERROR)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      refused = child_of_field (field);
      if (refused < 0 || (guint) refused >= left->len)
        {
          for (guint i = 0; i < left->len; i++)
            skip_row (report, g_ptr_array_index (left, i), local_error->message);
          g_clear_error (&local_error);
          return TRUE;
        }
      if (g_error_matches (local_error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD) &&
          !note_duplicate (store, session_id, error))
        return FALSE;
      skip_row (report, g_ptr_array_index (left, refused), local_error->message);
      g_ptr_array_remove_index (left, refused);
      g_clear_error (&local_error);
    }
  return TRUE;
}

/**
 * pfdo_meeting_import_class_list:
 * @list: a class list read by pfdo_class_list_load()
 *
 * Registers the valid rows of a class list at the meeting, family by
 * family (rows with the same parent and phone), each family in one
 * transaction with its certificates. Rows with problems, rows imported
 * before (by this or any meeting) and children the core refuses, such as a
 * likely twin of a child already registered, are skipped with the reason;
 * importing the same list again adds nothing. A form being typed stays.
 *
 * Returns: (transfer full): what was imported and what was skipped, or
 *   %NULL with @error set when the store refused
 */
PfdoMeetingImport *
pfdo_meeting_import_class_list (PfdoStore            *store,
                                const char           *session_id,
                                const PfdoClassList  *list,
                                GError              **error)
{
  g_autoptr(PfdoMeetingImport) report = g_new0 (PfdoMeetingImport, 1);
  g_autoptr(GHashTable) families = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (list != NULL, NULL);

  report->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) skip_free);
  if (!pfdo_require_action (store, PFDO_ACTION_MEETING, error) ||
      !require_open (store, session_id, error))
    return NULL;

  for (guint i = 0; i < list->rows->len; i++)
    {
      const PfdoClassRow *row = g_ptr_array_index (list->rows, i);
      GPtrArray *family;
      gint64 seen;

      if (!pfdo_class_row_is_valid (row))
        {
          g_autofree char *problems = dup_row_problems (row);

          skip_row (report, row, problems);
          continue;
        }
      seen = pfdo_store_query_int (store, "SELECT count(*) FROM meeting_import WHERE row_key = ?",
                                   row->row_key, error);
      if (seen < 0)
        return NULL;
      if (seen > 0)
        {
          skip_row (report, row, _("Imported before"));
          continue;
        }
      family = g_hash_table_lookup (families, row->family_key);
      if (family == NULL)
        {
          family = g_ptr_array_new ();
          g_hash_table_insert (families, row->family_key, family);
          g_ptr_array_add (order, family);
        }
      g_ptr_array_add (family, (gpointer) row);
    }

  for (guint i = 0; i < order->len; i++)
    if (!import_family (store, session_id, g_ptr_array_index (order, i), report, error))
      return NULL;

  /* Skipped rows in the order of the file. */
  g_ptr_array_sort (report->skipped, compare_skips);
  return g_steal_pointer (&report);
}

static gboolean
audit_export_cb (PfdoStore *store,
                 gpointer   user_data,
                 GError   **error)
{
  return pfdo_store_audit (store, "meeting.export", "meeting_session", user_data, NULL, error);
}

/**
 * pfdo_meeting_export:
 * @format: CSV or .xlsx
 *
 * Writes the meeting's families, children, certificate numbers and
 * statuses to @path, whole or not at all. Personal data leaves the desk:
 * the export is an audit record.
 */
gboolean
pfdo_meeting_export (PfdoStore         *store,
                     const char        *session_id,
                     const char        *path,
                     PfdoExportFormat   format,
                     GError           **error)
{
  g_autoptr(PfdoMeetingSession) session = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree PfdoExportRow *rows = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_MEETING, error))
    return FALSE;
  session = pfdo_meeting_load (store, session_id, error);
  if (session == NULL)
    return FALSE;
  children = pfdo_meeting_children (store, session_id, NULL, error);
  if (children == NULL)
    return FALSE;

  rows = g_new0 (PfdoExportRow, MAX (children->len, 1));
  for (guint i = 0; i < children->len; i++)
    {
      PfdoMeetingChild *child = g_ptr_array_index (children, i);
      char *parent = g_strjoin (" ", child->parent_last_name, child->parent_first_name,
                                child->parent_middle_name, NULL);

      g_ptr_array_add (names, parent);
      rows[i] = (PfdoExportRow) {
        .family_no = child->family_no,
        .parent_name = parent,
        .phone = child->phone,
        .email = child->email,
        .child_last_name = child->last_name,
        .child_first_name = child->first_name,
        .child_middle_name = child->middle_name,
        .birth_date = child->birth_date,
        .certificate_number = child->certificate_number,
        .certificate_status = child->certificate_status,
        .verification_status = child->verification_status,
      };
    }
  /* Translators: the title of an exported meeting: the class and the school. */
  title = g_strdup_printf (_("%s, %s"), session->class_name,
                           session->office_name != NULL ? session->office_name : "");
  /* Recorded first: what cannot be accounted for does not leave. */
  return pfdo_store_write (store, audit_export_cb, (gpointer) session_id, error) &&
         pfdo_export_write (path, format, title, rows, children->len, error);
}
