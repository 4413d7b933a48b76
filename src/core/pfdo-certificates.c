/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-certificates"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "pfdo-certificates.h"
#include "pfdo-certificates-private.h"
#include "pfdo-domain-private.h"
#include "pfdo-error.h"
#include "pfdo-text.h"

/*
 * The certificate's life: issued → accounting (activated; the child's data
 * is verified) ⇄ personified (the municipality is in personified mode and
 * has room in its quota); accounting or personified ⇄ frozen; closed at
 * the end. One certificate per child, ever.
 */

void
pfdo_certificate_free (PfdoCertificate *certificate)
{
  if (certificate == NULL)
    return;
  g_free (certificate->id);
  g_free (certificate->number);
  g_free (certificate->child_id);
  g_free (certificate->municipality_id);
  g_free (certificate->status);
  g_free (certificate->issued_at);
  g_free (certificate->activated_at);
  g_free (certificate->closed_at);
  g_free (certificate->close_reason);
  g_free (certificate->frozen_from);
  g_free (certificate);
}

PfdoCertificate *
pfdo_certificate_load (PfdoStore  *store,
                       const char *certificate_id,
                       GError    **error)
{
  PfdoCertificate *certificate = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  stmt = pfdo_store_prepare (store,
                             "SELECT id, number, child_id, municipality_id, status, issued_at, "
                             "activated_at, closed_at, close_reason, frozen_from "
                             "FROM certificate WHERE id = ?",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      certificate = g_new0 (PfdoCertificate, 1);
      certificate->id = pfdo_column_dup (stmt, 0);
      certificate->number = pfdo_column_dup (stmt, 1);
      certificate->child_id = pfdo_column_dup (stmt, 2);
      certificate->municipality_id = pfdo_column_dup (stmt, 3);
      certificate->status = pfdo_column_dup (stmt, 4);
      certificate->issued_at = pfdo_column_dup (stmt, 5);
      certificate->activated_at = pfdo_column_dup (stmt, 6);
      certificate->closed_at = pfdo_column_dup (stmt, 7);
      certificate->close_reason = pfdo_column_dup (stmt, 8);
      certificate->frozen_from = pfdo_column_dup (stmt, 9);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                 _("The certificate was not found."));
  else
    pfdo_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return certificate;
}

static gboolean
parse_number (const char *text,
              guint64    *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  *out = g_ascii_strtoull (text, &end, 10);
  return end != NULL && *end == '\0';
}

typedef struct
{
  const char *block_id;
  const char *first;
  const char *last;
} BlockData;

static gboolean
add_block_cb (PfdoStore *store,
              gpointer   user_data,
              GError   **error)
{
  BlockData *data = user_data;
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt;

  stmt = pfdo_store_prepare (store,
                             "INSERT INTO number_block (id, device_id, first, last, used, "
                             "leased_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->block_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pfdo_store_get_device_id (store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, data->first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, data->last, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;
  /* The same block again changes nothing, and is no new record. */
  if (sqlite3_changes (pfdo_store_get_db (store)) == 0)
    return TRUE;
  return pfdo_store_audit (store, "number_block.add", "number_block", data->block_id, NULL,
                           error);
}

/**
 * pfdo_number_block_add:
 *
 * Records a block of certificate numbers leased by this desk, with its
 * audit record. Inside or outside a write.
 */
gboolean
pfdo_number_block_add (PfdoStore  *store,
                       const char *block_id,
                       const char *first,
                       const char *last,
                       GError    **error)
{
  BlockData data = { block_id, first, last };
  guint64 a, b;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (block_id != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_NUMBER_BLOCK_ADD, error))
    return FALSE;
  if (!parse_number (first, &a) || !parse_number (last, &b) || b < a ||
      strlen (first) != strlen (last))
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
                   _("A block of certificate numbers must run from a smaller number to a larger "
                     "one of the same length."));
      return FALSE;
    }
  return pfdo_store_write (store, add_block_cb, &data, error);
}

/**
 * pfdo_number_blocks_remaining:
 *
 * Returns: how many leased certificate numbers this desk has not used yet,
 *   or -1 with @error set
 */
gint64
pfdo_number_blocks_remaining (PfdoStore *store,
                              GError   **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), -1);

  return pfdo_store_query_int (store,
                               "SELECT coalesce (sum (CAST (last AS INTEGER) - CAST (first AS INTEGER) "
                               "+ 1 - used), 0) FROM number_block WHERE device_id = ?",
                               pfdo_store_get_device_id (store), error);
}

/* Takes the next unused number of this desk's leased blocks, skipping any
 * that a certificate already carries. */
static char *
take_number (PfdoStore *store,
             GError   **error)
{
  const char *sql =
    "SELECT id, first, last, used FROM number_block "
    "WHERE device_id = ? AND CAST (first AS INTEGER) + used <= CAST (last AS INTEGER) "
    "ORDER BY leased_at, first LIMIT 1";

  for (;;)
    {
      g_autofree char *block_id = NULL;
      g_autofree char *first = NULL;
      g_autofree char *number = NULL;
      sqlite3_stmt *stmt;
      guint64 start = 0;
      gint64 used = 0, taken;
      int rc;

      stmt = pfdo_store_prepare (store, sql, error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, pfdo_store_get_device_id (store), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          block_id = pfdo_column_dup (stmt, 0);
          first = pfdo_column_dup (stmt, 1);
          used = sqlite3_column_int64 (stmt, 3);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          pfdo_store_set_error (store, rc, error);
          return NULL;
        }
      if (block_id == NULL || !parse_number (first, &start))
        {
          g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT,
                       _("This desk has no certificate numbers left. Connect to the regional "
                         "server to lease a new block of numbers."));
          return NULL;
        }

      number = g_strdup_printf ("%0*" G_GUINT64_FORMAT, (int) strlen (first),
                                start + (guint64) used);

      stmt = pfdo_store_prepare (store, "UPDATE number_block SET used = used + 1 WHERE id = ?",
                                 error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, block_id, -1, SQLITE_TRANSIENT);
      if (!pfdo_store_step_done (store, stmt, error))
        return NULL;

      taken = pfdo_store_query_int (store, "SELECT count(*) FROM certificate WHERE number = ?",
                                    number, error);
      if (taken < 0)
        return NULL;
      if (taken == 0)
        return g_steal_pointer (&number);
    }
}

/**
 * pfdo_certificate_issue_in_write:
 *
 * Issues the child's certificate inside the caller's write: the number
 * comes from this desk's leased block, and the certificate.issue operation
 * and the audit record are written with it.
 */
/* A number issued on a desk: ten digits from a block leased to that desk
 * (to any desk when @device_id is %NULL), not issued before. */
static gboolean
claim_number (PfdoStore   *store,
              const char  *number,
              const char  *device_id,
              GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *block_id = NULL;
  gint64 used;

  if (strlen (number) != 10 || strspn (number, "0123456789") != 10)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
                   _("A certificate number has 10 digits."));
      return FALSE;
    }
  used = pfdo_store_query_int (store, "SELECT count(*) FROM certificate WHERE number = ?", number,
                               error);
  if (used < 0)
    return FALSE;
  if (used > 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NUMBER_USED,
                   _("Certificate number %s is already issued."), number);
      return FALSE;
    }

  stmt = pfdo_store_prepare (store,
                             "SELECT id FROM number_block WHERE (?1 IS NULL OR device_id = ?1) "
                             "AND length (first) = length (?2) AND first <= ?2 AND last >= ?2 "
                             "LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    block_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (block_id == NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NUMBER_NOT_LEASED,
                   _("Certificate number %s is not from a block leased to this desk."), number);
      return FALSE;
    }

  stmt = pfdo_store_prepare (store, "UPDATE number_block SET used = used + 1 WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, block_id, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

static gboolean
issue_certificate (PfdoStore   *store,
                   const char  *child_id,
                   const char  *given_id,
                   const char  *given_number,
                   const char  *device_id,
                   char       **out_certificate_id,
                   char       **out_number,
                   GError     **error)
{
  g_autofree char *municipality_id = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *number = NULL;
  g_autofree char *certificate_id = given_id != NULL ? g_strdup (given_id) : pfdo_uuid_new ();
  g_autofree char *now = pfdo_now_utc ();
  g_autofree char *payload = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  municipality_id = pfdo_query_text (store, "SELECT municipality_id FROM child WHERE id = ?",
                                     child_id, &local_error);
  if (municipality_id == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                     _("The child was not found."));
      return FALSE;
    }
  if (!pfdo_check_scope (store, municipality_id, error))
    return FALSE;

  existing = pfdo_query_text (store, "SELECT number FROM certificate WHERE child_id = ?",
                              child_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (existing != NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS,
                   _("The child already has certificate № %s; a child gets one certificate, ever."),
                   existing);
      return FALSE;
    }

  if (given_id != NULL &&
      pfdo_store_query_int (store, "SELECT count(*) FROM certificate WHERE id = ?", given_id,
                            error) != 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS,
                     _("A certificate with this id exists already."));
      return FALSE;
    }

  if (given_number != NULL)
    {
      if (!claim_number (store, given_number, device_id, error))
        return FALSE;
      number = g_strdup (given_number);
    }
  else
    {
      number = take_number (store, error);
      if (number == NULL)
        return FALSE;
    }

  stmt = pfdo_store_prepare (store,
                             "INSERT INTO certificate (id, number, child_id, municipality_id, "
                             "status, issued_at) VALUES (?, ?, ?, ?, 'issued', ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, child_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  payload = pfdo_query_text (store,
                             "SELECT json_object ('certificate_id', id, 'child_id', child_id, "
                             "'number', number) FROM certificate WHERE id = ?",
                             certificate_id, error);
  if (payload == NULL ||
      !pfdo_store_enqueue (store, "certificate.issue", "certificate", certificate_id, payload,
                           error) ||
      !pfdo_store_audit (store, "certificate.issue", "certificate", certificate_id, NULL, error))
    return FALSE;

  if (out_certificate_id != NULL)
    *out_certificate_id = g_steal_pointer (&certificate_id);
  if (out_number != NULL)
    *out_number = g_steal_pointer (&number);
  return TRUE;
}

gboolean
pfdo_certificate_issue_in_write (PfdoStore   *store,
                                 const char  *child_id,
                                 char       **out_certificate_id,
                                 char       **out_number,
                                 GError     **error)
{
  return issue_certificate (store, child_id, NULL, NULL, NULL, out_certificate_id, out_number,
                            error);
}

typedef struct
{
  const char *child_id;
  const char *given_id;
  const char *given_number;
  const char *device_id;
  char       *certificate_id;
  char       *number;
} IssueData;

static gboolean
issue_numbered_cb (PfdoStore *store,
                   gpointer   user_data,
                   GError   **error)
{
  IssueData *data = user_data;

  return issue_certificate (store, data->child_id, data->given_id, data->given_number,
                            data->device_id, NULL, NULL, error);
}

/**
 * pfdo_certificate_issue_numbered:
 * @certificate_id: the id the issuing desk gave the certificate
 * @number: the number it took from its leased block
 * @device_id: (nullable): the issuing desk
 *
 * A certificate issued elsewhere, as the regional server receives it: the
 * number must come from a block leased to that desk and be unused, and the
 * child must have no certificate yet.
 */
gboolean
pfdo_certificate_issue_numbered (PfdoStore   *store,
                                 const char  *certificate_id,
                                 const char  *child_id,
                                 const char  *number,
                                 const char  *device_id,
                                 GError     **error)
{
  IssueData data = { child_id, certificate_id, number, device_id, NULL, NULL };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (certificate_id != NULL && child_id != NULL && number != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_CERTIFICATE_ISSUE, error))
    return FALSE;
  return pfdo_store_write (store, issue_numbered_cb, &data, error);
}

static gboolean
issue_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  IssueData *data = user_data;

  return pfdo_certificate_issue_in_write (store, data->child_id, &data->certificate_id,
                                          &data->number, error);
}

/**
 * pfdo_certificate_issue:
 * @out_certificate_id: (out) (optional): the new certificate's id
 * @out_number: (out) (optional): its number
 *
 * Issues a certificate to a child that has none, with a number from this
 * desk's leased block. Allowed to every role.
 */
gboolean
pfdo_certificate_issue (PfdoStore   *store,
                        const char  *child_id,
                        char       **out_certificate_id,
                        char       **out_number,
                        GError     **error)
{
  IssueData data = { child_id, NULL, NULL, NULL, NULL, NULL };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (child_id != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_CERTIFICATE_ISSUE, error))
    return FALSE;
  if (!pfdo_store_write (store, issue_cb, &data, error))
    return FALSE;

  if (out_certificate_id != NULL)
    *out_certificate_id = g_steal_pointer (&data.certificate_id);
  if (out_number != NULL)
    *out_number = g_steal_pointer (&data.number);
  g_free (data.certificate_id);
  g_free (data.number);
  return TRUE;
}

typedef enum
{
  CHANGE_ACTIVATE,
  CHANGE_TO_PERSONIFIED,
  CHANGE_TO_ACCOUNTING,
  CHANGE_FREEZE,
  CHANGE_UNFREEZE,
  CHANGE_CLOSE,
} Change;

/* The action of the roles table each change is. */
static const PfdoAction change_actions[] = {
  [CHANGE_ACTIVATE] = PFDO_ACTION_CERTIFICATE_ACTIVATE,
  [CHANGE_TO_PERSONIFIED] = PFDO_ACTION_CERTIFICATE_CONVERT,
  [CHANGE_TO_ACCOUNTING] = PFDO_ACTION_CERTIFICATE_CONVERT,
  [CHANGE_FREEZE] = PFDO_ACTION_CERTIFICATE_FREEZE,
  [CHANGE_UNFREEZE] = PFDO_ACTION_CERTIFICATE_UNFREEZE,
  [CHANGE_CLOSE] = PFDO_ACTION_CERTIFICATE_CLOSE,
};

typedef struct
{
  const char *certificate_id;
  Change      change;
  const char *reason;
} ChangeData;

static gboolean
refuse_state (PfdoCertificate *certificate,
              GError         **error)
{
  g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE,
               _("This cannot be done with a certificate in status “%s”."),
               certificate->status);
  return FALSE;
}

/* Moves the municipality's count of personified certificates by @delta,
 * refusing when the quota is used up. */
static gboolean
move_quota (PfdoStore  *store,
            const char *municipality_id,
            int         delta,
            GError    **error)
{
  sqlite3_stmt *stmt;

  if (delta > 0)
    {
      g_autofree char *mode = NULL;
      gint64 room;

      mode = pfdo_query_text (store, "SELECT mode FROM municipality WHERE id = ?",
                              municipality_id, error);
      if (g_strcmp0 (mode, "personified") != 0)
        {
          g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_PERSONIFIED_MUNICIPALITY,
                       _("The municipality keeps accounting certificates only: a certificate "
                         "cannot be made personified here."));
          return FALSE;
        }
      room = pfdo_store_query_int (store,
                                   "SELECT pf_quota - pf_issued FROM municipality WHERE id = ?",
                                   municipality_id, error);
      if (room < 0 && error != NULL && *error != NULL)
        return FALSE;
      if (room <= 0)
        {
          g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_QUOTA_EXHAUSTED,
                       _("The municipality's quota of personified certificates is used up."));
          return FALSE;
        }
    }

  stmt = pfdo_store_prepare (store,
                             "UPDATE municipality SET pf_issued = max (pf_issued + ?, 0) WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, delta);
  sqlite3_bind_text (stmt, 2, municipality_id, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

static gint64
count_open_enrollments (PfdoStore  *store,
                        const char *certificate_id,
                        GError    **error)
{
  return pfdo_store_query_int (store,
                               "SELECT count(*) FROM enrollment WHERE certificate_id = ? "
                               "AND status IN ('requested', 'active')",
                               certificate_id, error);
}

static gboolean
change_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  ChangeData *data = user_data;
  g_autoptr(PfdoCertificate) certificate = NULL;
  g_autofree char *now = pfdo_now_utc ();
  g_autofree char *detail = NULL;
  g_autofree char *payload = NULL;
  const char *status = NULL;
  const char *frozen_from = NULL;
  const char *op_type = NULL;
  const char *sql;
  sqlite3_stmt *stmt;
  gboolean personified_before, personified_after;

  certificate = pfdo_certificate_load (store, data->certificate_id, error);
  if (certificate == NULL)
    return FALSE;
  if (!pfdo_check_scope (store, certificate->municipality_id, error))
    return FALSE;

  switch (data->change)
    {
    case CHANGE_ACTIVATE:
      {
        g_autofree char *verification = NULL;

        if (g_strcmp0 (certificate->status, "issued") != 0)
          return refuse_state (certificate, error);
        verification = pfdo_query_text (store,
                                        "SELECT verification_status FROM child WHERE id = ?",
                                        certificate->child_id, error);
        if (g_strcmp0 (verification, "verified") != 0)
          {
            g_clear_error (error);
            g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CHILD_NOT_VERIFIED,
                         _("The child's data has not been confirmed yet: check the documents "
                           "and confirm them first."));
            return FALSE;
          }
        status = "accounting";
        op_type = "certificate.activate";
      }
      break;

    case CHANGE_TO_PERSONIFIED:
      if (g_strcmp0 (certificate->status, "accounting") != 0)
        return refuse_state (certificate, error);
      status = "personified";
      op_type = "certificate.convert";
      break;

    case CHANGE_TO_ACCOUNTING:
      {
        gint64 open;

        if (g_strcmp0 (certificate->status, "personified") != 0)
          return refuse_state (certificate, error);
        open = pfdo_store_query_int (store,
                                     "SELECT count(*) FROM enrollment e JOIN program p "
                                     "ON p.id = e.program_id WHERE e.certificate_id = ? "
                                     "AND e.status IN ('requested', 'active') "
                                     "AND p.funding = 'certified'",
                                     certificate->id, error);
        if (open < 0)
          return FALSE;
        if (open > 0)
          {
            g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE,
                         _("The certificate pays for programs now: cancel those enrollments "
                           "before returning it to accounting status."));
            return FALSE;
          }
        status = "accounting";
        op_type = "certificate.convert";
      }
      break;

    case CHANGE_FREEZE:
      if (g_strcmp0 (certificate->status, "accounting") != 0 &&
          g_strcmp0 (certificate->status, "personified") != 0)
        return refuse_state (certificate, error);
      status = "frozen";
      frozen_from = certificate->status;
      op_type = "certificate.freeze";
      break;

    case CHANGE_UNFREEZE:
      if (g_strcmp0 (certificate->status, "frozen") != 0)
        return refuse_state (certificate, error);
      status = certificate->frozen_from != NULL ? certificate->frozen_from : "accounting";
      op_type = "certificate.unfreeze";
      break;

    case CHANGE_CLOSE:
      {
        gint64 open;

        if (g_strcmp0 (certificate->status, "closed") == 0)
          return refuse_state (certificate, error);
        open = count_open_enrollments (store, certificate->id, error);
        if (open < 0)
          return FALSE;
        if (open > 0)
          {
            g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE,
                         _("The child is still enrolled in programs paid with this certificate: "
                           "cancel the enrollments first."));
            return FALSE;
          }
        status = "closed";
        op_type = "certificate.close";
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* The municipality's quota counts personified certificates, frozen ones
   * included, since they come back personified. */
  personified_before = g_strcmp0 (certificate->status, "personified") == 0 ||
                       g_strcmp0 (certificate->frozen_from, "personified") == 0;
  personified_after = g_strcmp0 (status, "personified") == 0 ||
                      (g_strcmp0 (status, "frozen") == 0 &&
                       g_strcmp0 (frozen_from, "personified") == 0);
  if (personified_before != personified_after &&
      !move_quota (store, certificate->municipality_id, personified_after ? 1 : -1, error))
    return FALSE;

  sql = "UPDATE certificate SET status = ?1, frozen_from = ?2, "
        "activated_at = CASE WHEN ?1 = 'accounting' AND activated_at IS NULL THEN ?3 "
        "  ELSE activated_at END, "
        "closed_at = CASE WHEN ?1 = 'closed' THEN ?3 ELSE closed_at END, "
        "close_reason = CASE WHEN ?1 = 'closed' THEN ?4 ELSE close_reason END "
        "WHERE id = ?5";
  stmt = pfdo_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, frozen_from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, data->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, certificate->id, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  stmt = pfdo_store_prepare (store,
                             "SELECT CASE ?2 WHEN 'certificate.activate' "
                             "  THEN json_object ('certificate_id', ?1) "
                             "WHEN 'certificate.convert' "
                             "  THEN json_object ('certificate_id', ?1, 'to', ?3) "
                             "ELSE json_object ('certificate_id', ?1, 'reason', ?4) END",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, certificate->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, op_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, data->reason, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    payload = pfdo_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (payload == NULL)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("Could not record the operation for the regional server."));
      return FALSE;
    }

  /* A status change, never personal data. */
  detail = g_strdup_printf ("%s → %s", certificate->status, status);
  return pfdo_store_enqueue (store, op_type, "certificate", certificate->id, payload, error) &&
         pfdo_store_audit (store, op_type, "certificate", certificate->id, detail, error);
}

static gboolean
change_status (PfdoStore  *store,
               const char *certificate_id,
               Change      change,
               const char *reason,
               GError    **error)
{
  ChangeData data = { certificate_id, change, reason };
  g_autofree char *trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (certificate_id != NULL, FALSE);

  if (!pfdo_require_action (store, change_actions[change], error))
    return FALSE;
  if ((change == CHANGE_FREEZE || change == CHANGE_CLOSE) && *trimmed == '\0')
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED,
                   _("Give the reason."));
      return FALSE;
    }
  data.reason = *trimmed != '\0' ? trimmed : NULL;
  return pfdo_store_write (store, change_cb, &data, error);
}

/**
 * pfdo_certificate_activate:
 *
 * Issued → accounting; the child's data must be verified.
 */
gboolean
pfdo_certificate_activate (PfdoStore  *store,
                           const char *certificate_id,
                           GError    **error)
{
  return change_status (store, certificate_id, CHANGE_ACTIVATE, NULL, error);
}

/**
 * pfdo_certificate_convert:
 * @to_status: `personified` or `accounting`
 *
 * Accounting → personified takes a place of the municipality's quota;
 * personified → accounting gives it back.
 */
gboolean
pfdo_certificate_convert (PfdoStore  *store,
                          const char *certificate_id,
                          const char *to_status,
                          GError    **error)
{
  if (g_strcmp0 (to_status, "personified") == 0)
    return change_status (store, certificate_id, CHANGE_TO_PERSONIFIED, NULL, error);
  if (g_strcmp0 (to_status, "accounting") == 0)
    return change_status (store, certificate_id, CHANGE_TO_ACCOUNTING, NULL, error);

  g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
               _("A certificate can be converted to personified or accounting status only."));
  return FALSE;
}

gboolean
pfdo_certificate_freeze (PfdoStore  *store,
                         const char *certificate_id,
                         const char *reason,
                         GError    **error)
{
  return change_status (store, certificate_id, CHANGE_FREEZE, reason, error);
}

gboolean
pfdo_certificate_unfreeze (PfdoStore  *store,
                           const char *certificate_id,
                           const char *reason,
                           GError    **error)
{
  return change_status (store, certificate_id, CHANGE_UNFREEZE, reason, error);
}

/**
 * pfdo_certificate_close:
 * @reason: why: the child turned 18, left the municipality, revocation, …
 *
 * Closes the certificate for good; it stays in the register, and the child
 * never gets another one.
 */
gboolean
pfdo_certificate_close (PfdoStore  *store,
                        const char *certificate_id,
                        const char *reason,
                        GError    **error)
{
  return change_status (store, certificate_id, CHANGE_CLOSE, reason, error);
}
