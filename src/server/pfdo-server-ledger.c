/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-server"

#include "config.h"

#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-server-ledger.h"

/*
 * The server's ledger jobs (REGIONAL_API.md, "Ledger, server side"). Every
 * entry they write has an id derived from what it is for, so running a job
 * twice, or after a crash half-way, writes nothing twice.
 */

typedef struct
{
  const char *what;      /* "grant", "charge" or "expire" */
  const char *argument;  /* the period, or the month for charges */
  guint       written;
} Job;

static GPtrArray *
column_list (PfdoStore   *store,
             const char  *sql,
             const char  *param,
             guint        columns,
             GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, columns + 1);

      for (guint i = 0; i < columns; i++)
        row[i] = g_strdup ((const char *) sqlite3_column_text (stmt, (int) i));
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
append (PfdoStore       *store,
        Job             *job,
        const char      *seed,
        const char      *certificate_id,
        PfdoLedgerKind   kind,
        gint64           amount,
        GError         **error)
{
  g_autofree char *what = g_strconcat (job->what, ":", job->argument, NULL);
  g_autofree char *id = pfdo_ledger_derived_id (seed, what);
  gboolean appended = FALSE;

  if (!pfdo_ledger_append (store, id, certificate_id, job->argument, kind, amount, NULL,
                           &appended, error))
    return FALSE;
  job->written += appended;
  return TRUE;
}

/* The nominal of its municipality to every personified certificate. */
static gboolean
grant_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  Job *job = user_data;
  g_autoptr(GPtrArray) rows = column_list (store,
                                           "SELECT z.id, m.nominal_kopecks FROM certificate z "
                                           "JOIN municipality m ON m.id = z.municipality_id "
                                           "WHERE m.mode = 'personified' AND m.nominal_kopecks > 0 "
                                           "AND (z.status = 'personified' OR "
                                           "(z.status = 'frozen' AND z.frozen_from = 'personified'))",
                                           NULL, 2, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (!append (store, job, row[0], row[0], PFDO_LEDGER_GRANT,
                   g_ascii_strtoll (row[1], NULL, 10), error))
        return FALSE;
    }
  return TRUE;
}

/* One month of each active certified enrollment's reservation. */
static gboolean
charge_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  Job *job = user_data;
  g_autoptr(GPtrArray) rows = column_list (store,
                                           "SELECT id, monthly_kopecks FROM enrollment "
                                           "WHERE status = 'active' AND certificate_id IS NOT NULL "
                                           "AND monthly_kopecks > 0",
                                           NULL, 2, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      g_autofree char *what = g_strconcat ("charge:", job->argument, NULL);
      g_autofree char *charge_id = pfdo_ledger_derived_id (row[0], what);
      gint64 reserved, exists;

      exists = pfdo_store_query_int (store, "SELECT count(*) FROM ledger_entry WHERE id = ?",
                                     charge_id, error);
      if (exists < 0)
        return FALSE;
      if (exists > 0)
        continue;
      reserved = pfdo_ledger_reserved_for (store, row[0], error);
      if (reserved < 0)
        return FALSE;
      if (reserved == 0)
        continue;
      if (!pfdo_ledger_charge_reserved (store, row[0], job->argument,
                                        MIN (reserved, g_ascii_strtoll (row[1], NULL, 10)), error))
        return FALSE;
      job->written += 2;
    }
  return TRUE;
}

/* What is left of the period's money expires at its end: first what
 * enrollments still hold reserved for months that will not come, then
 * everything available. */
static gboolean
expire_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  Job *job = user_data;
  g_autoptr(GPtrArray) enrollments = column_list (store,
                                                  "SELECT id, certificate_id FROM enrollment "
                                                  "WHERE period = ? AND certificate_id IS NOT NULL",
                                                  job->argument, 2, error);
  g_autoptr(GPtrArray) rows = NULL;

  if (enrollments == NULL)
    return FALSE;
  for (guint i = 0; i < enrollments->len; i++)
    {
      char **row = g_ptr_array_index (enrollments, i);
      g_autofree char *what = g_strconcat ("release:", job->argument, NULL);
      g_autofree char *id = pfdo_ledger_derived_id (row[0], what);
      gint64 reserved = pfdo_ledger_reserved_for (store, row[0], error);
      gboolean appended = FALSE;

      if (reserved < 0)
        return FALSE;
      if (reserved == 0)
        continue;
      if (!pfdo_ledger_append (store, id, row[1], job->argument, PFDO_LEDGER_RELEASE, reserved,
                               row[0], &appended, error))
        return FALSE;
      job->written += appended;
    }

  rows = column_list (store, "SELECT DISTINCT certificate_id FROM ledger_entry WHERE period = ?",
                      job->argument, 1, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      PfdoBalance balance;

      if (!pfdo_ledger_balance (store, row[0], job->argument, &balance, error))
        return FALSE;
      if (balance.available > 0 &&
          !append (store, job, row[0], row[0], PFDO_LEDGER_EXPIRE, balance.available, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * pfdo_server_ledger_run:
 * @job: `grant` or `expire` with a period (`2026/27`), `charge` with a
 *   month (`2026-10`)
 * @out_written: (out) (optional): how many entries were written
 *
 * Runs one ledger job in one transaction; running it again writes nothing.
 */
gboolean
pfdo_server_ledger_run (PfdoStore   *store,
                        const char  *job_name,
                        const char  *argument,
                        guint       *out_written,
                        GError     **error)
{
  Job job = { job_name, argument, 0 };
  PfdoStoreWriteFunc func;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (job_name != NULL && argument != NULL, FALSE);

  if (g_str_equal (job_name, "grant"))
    func = grant_cb;
  else if (g_str_equal (job_name, "charge"))
    func = charge_cb;
  else if (g_str_equal (job_name, "expire"))
    func = expire_cb;
  else
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
                   "Unknown ledger job %s: grant, charge or expire", job_name);
      return FALSE;
    }

  if (!pfdo_store_write (store, func, &job, error))
    return FALSE;
  if (out_written != NULL)
    *out_written = job.written;
  return TRUE;
}
