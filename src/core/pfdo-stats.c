/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-stats"

#include "config.h"

#include <string.h>

#include "pfdo-stats.h"

typedef struct
{
  const char *sql;
  gsize       offset;
} Count;

#define FIELD(f) G_STRUCT_OFFSET (PfdoStats, f)

static const Count counts[] = {
  { "SELECT count(*) FROM municipality", FIELD (municipalities) },
  { "SELECT count(*) FROM office", FIELD (offices) },
  { "SELECT count(*) FROM provider", FIELD (providers) },
  { "SELECT count(*) FROM program", FIELD (programs) },
  { "SELECT count(*) FROM \"group\"", FIELD (groups) },
  { "SELECT count(*) FROM review", FIELD (reviews) },
  { "SELECT count(*) FROM parent", FIELD (parents) },
  { "SELECT count(*) FROM child", FIELD (children) },
  { "SELECT count(*) FROM enrollment", FIELD (enrollments) },
  { "SELECT count(*) FROM ledger_entry", FIELD (ledger_entries) },
  { "SELECT count(*) FROM number_block", FIELD (number_blocks) },
  { "SELECT count(*) FROM operator", FIELD (operators) },
  { "SELECT count(*) FROM audit_log", FIELD (audit_records) },
  { "SELECT count(*) FROM outbox WHERE state = 'pending'", FIELD (outbox_pending) },
  { "SELECT count(*) FROM outbox WHERE state = 'rejected'", FIELD (outbox_rejected) },
};

typedef struct
{
  const char *key;
  gsize       offset;
} Group;

static const Group verification[] = {
  { "unverified", FIELD (children_unverified) },
  { "verified", FIELD (children_verified) },
  { "rejected", FIELD (children_rejected) },
};

static const Group statuses[] = {
  { "issued", FIELD (certificates_issued) },
  { "accounting", FIELD (certificates_accounting) },
  { "personified", FIELD (certificates_personified) },
  { "frozen", FIELD (certificates_frozen) },
  { "closed", FIELD (certificates_closed) },
};

static const Group ledger_kinds[] = {
  { "grant", FIELD (granted_kopecks) },
  { "reserve", FIELD (reserved_kopecks) },
  { "release", FIELD (released_kopecks) },
  { "charge", FIELD (charged_kopecks) },
  { "refund", FIELD (refunded_kopecks) },
  { "expire", FIELD (expired_kopecks) },
};

#undef FIELD

/* Runs a `SELECT key, value … GROUP BY key` and stores each value in the
 * field named for its key; keys not listed are ignored. */
static gboolean
load_groups (PfdoStore   *store,
             const char  *sql,
             const Group *groups,
             gsize        n_groups,
             PfdoStats   *stats,
             gint64      *total,
             GError     **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      gint64 value = sqlite3_column_int64 (stmt, 1);

      for (gsize i = 0; i < n_groups; i++)
        if (g_strcmp0 (key, groups[i].key) == 0)
          G_STRUCT_MEMBER (gint64, stats, groups[i].offset) = value;
      if (total != NULL)
        *total += value;
    }
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * pfdo_stats_load:
 * @store: a #PfdoStore
 * @stats: (out caller-allocates): filled with the figures
 * @error: a location for a #GError
 *
 * Counts every entity and sums the ledger. Reads in one transaction so that
 * the figures agree with each other.
 */
gboolean
pfdo_stats_load (PfdoStore  *store,
                 PfdoStats  *stats,
                 GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);

  if (!pfdo_store_exec (store, "BEGIN", error))
    return FALSE;

  for (gsize i = 0; ok && i < G_N_ELEMENTS (counts); i++)
    {
      gint64 value = pfdo_store_query_int (store, counts[i].sql, NULL, error);

      ok = value >= 0;
      G_STRUCT_MEMBER (gint64, stats, counts[i].offset) = value;
    }

  ok = ok &&
       load_groups (store, "SELECT verification_status, count(*) FROM child GROUP BY 1",
                    verification, G_N_ELEMENTS (verification), stats, NULL, error) &&
       load_groups (store, "SELECT status, count(*) FROM certificate GROUP BY 1",
                    statuses, G_N_ELEMENTS (statuses), stats, &stats->certificates, error) &&
       load_groups (store, "SELECT kind, sum(amount_kopecks) FROM ledger_entry GROUP BY 1",
                    ledger_kinds, G_N_ELEMENTS (ledger_kinds), stats, NULL, error);

  pfdo_store_exec (store, ok ? "COMMIT" : "ROLLBACK", NULL);

  stats->available_kopecks = stats->granted_kopecks - stats->charged_kopecks +
                             stats->refunded_kopecks - stats->expired_kopecks -
                             (stats->reserved_kopecks - stats->released_kopecks);
  return ok;
}
