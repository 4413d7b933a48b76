/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pfdo-audit.h"
#include "pfdo-check.h"
#include "pfdo-domain-private.h"

/*
 * What must always hold in a store, whatever happened to it: SQLite's own
 * checks and the domain's invariants. Each invariant is one query that
 * returns how many records break it and one of their ids (never personal
 * data), so that a report can be read and followed up.
 */

typedef struct
{
  const char *what;
  const char *sql;
} Invariant;

/* The balance of a certificate and period, as in DESIGN.md. */
#define BALANCE_BY_CERTIFICATE \
  "SELECT certificate_id, period, " \
  "  sum (CASE kind WHEN 'grant' THEN amount_kopecks WHEN 'charge' THEN -amount_kopecks " \
  "       WHEN 'refund' THEN amount_kopecks WHEN 'expire' THEN -amount_kopecks " \
  "       WHEN 'reserve' THEN -amount_kopecks WHEN 'release' THEN amount_kopecks END) AS available, " \
  "  sum (CASE kind WHEN 'charge' THEN amount_kopecks ELSE 0 END) AS charged, " \
  "  sum (CASE kind WHEN 'refund' THEN amount_kopecks ELSE 0 END) AS refunded " \
  "FROM ledger_entry GROUP BY certificate_id, period"

static const Invariant invariants[] = {
  { N_("certificates in an active status whose child's data is not verified"),
    "SELECT count(*), min (z.id) FROM certificate z JOIN child c ON c.id = z.child_id "
    "WHERE z.status IN ('accounting', 'personified', 'frozen') "
    "AND c.verification_status <> 'verified'" },
  { N_("children with more than one certificate"),
    "SELECT count(*), min (child_id) FROM (SELECT child_id FROM certificate "
    "GROUP BY child_id HAVING count(*) > 1)" },
  { N_("certificates of another municipality than their child's"),
    "SELECT count(*), min (z.id) FROM certificate z JOIN child c ON c.id = z.child_id "
    "WHERE z.municipality_id <> c.municipality_id" },
  { N_("personified certificates in a municipality without personified financing"),
    "SELECT count(*), min (z.id) FROM certificate z JOIN municipality m ON m.id = z.municipality_id "
    "WHERE (z.status = 'personified' OR z.frozen_from = 'personified') AND m.mode <> 'personified'" },
  { N_("municipalities with more personified certificates than their quota"),
    "SELECT count(*), min (id) FROM municipality m WHERE pf_issued > pf_quota OR pf_quota < "
    "(SELECT count(*) FROM certificate z WHERE z.municipality_id = m.id "
    " AND (z.status = 'personified' OR (z.status = 'frozen' AND z.frozen_from = 'personified')))" },
  { N_("closed certificates without a closing date"),
    "SELECT count(*), min (id) FROM certificate WHERE status = 'closed' AND closed_at IS NULL" },
  { N_("certificate balances below zero"),
    "SELECT count(*), min (certificate_id) FROM (" BALANCE_BY_CERTIFICATE ") WHERE available < 0" },
  { N_("certificates with more refunded than charged"),
    "SELECT count(*), min (certificate_id) FROM (" BALANCE_BY_CERTIFICATE ") WHERE refunded > charged" },
  { N_("enrollments with more released than reserved"),
    "SELECT count(*), min (enrollment_id) FROM (SELECT enrollment_id, "
    "  sum (CASE kind WHEN 'reserve' THEN amount_kopecks WHEN 'release' THEN -amount_kopecks "
    "       ELSE 0 END) AS reserved FROM ledger_entry WHERE enrollment_id IS NOT NULL "
    "  GROUP BY enrollment_id) WHERE reserved < 0" },
  { N_("ledger entries of an enrollment booked on another certificate"),
    "SELECT count(*), min (l.id) FROM ledger_entry l JOIN enrollment e ON e.id = l.enrollment_id "
    "WHERE e.certificate_id IS NOT l.certificate_id" },
  { N_("cancelled enrollments that still hold a reservation"),
    "SELECT count(*), min (e.id) FROM enrollment e WHERE e.status = 'cancelled' AND "
    "(SELECT coalesce (sum (CASE kind WHEN 'reserve' THEN amount_kopecks "
    "  WHEN 'release' THEN -amount_kopecks ELSE 0 END), 0) FROM ledger_entry "
    "  WHERE enrollment_id = e.id) > 0" },
  /* A desk holds the enrollments of its own municipality only, so a group
   * may count more than the desk sees, never fewer. */
  { N_("groups whose count of enrolled children is wrong or over capacity"),
    "SELECT count(*), min (g.id) FROM \"group\" g WHERE g.enrolled > g.capacity OR g.enrolled < "
    "(SELECT count(*) FROM enrollment e WHERE e.group_id = g.id "
    " AND e.status IN ('requested', 'active'))" },
  { N_("verified children without a decision date"),
    "SELECT count(*), min (id) FROM child WHERE verification_status = 'verified' "
    "AND verification_decided_at IS NULL" },
  { N_("rejected children without a reason"),
    "SELECT count(*), min (id) FROM child WHERE verification_status = 'rejected' "
    "AND coalesce (verification_reason, '') = ''" },
  { N_("outbox operations whose record does not exist"),
    "SELECT count(*), min (o.op_id) FROM outbox o WHERE o.state = 'pending' AND NOT CASE o.entity "
    "WHEN 'parent' THEN EXISTS (SELECT 1 FROM parent WHERE id = o.entity_id) "
    "WHEN 'child' THEN EXISTS (SELECT 1 FROM child WHERE id = o.entity_id) "
    "WHEN 'certificate' THEN EXISTS (SELECT 1 FROM certificate WHERE id = o.entity_id) "
    "WHEN 'enrollment' THEN EXISTS (SELECT 1 FROM enrollment WHERE id = o.entity_id) "
    "ELSE 0 END" },
  { N_("outbox operations with a payload that is not a JSON object"),
    "SELECT count(*), min (op_id) FROM outbox WHERE json_type (payload) IS NOT 'object'" },
  { N_("number blocks that used more numbers than they hold"),
    "SELECT count(*), min (id) FROM number_block "
    "WHERE CAST (first AS INTEGER) + used > CAST (last AS INTEGER) + 1" },
};

static gboolean
check_pragma (PfdoStore  *store,
              const char *sql,
              const char *ok_value,
              GPtrArray  *problems,
              GError    **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, error);
  int rc;
  guint rows = 0;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *value = (const char *) sqlite3_column_text (stmt, 0);

      if (ok_value != NULL && g_strcmp0 (value, ok_value) == 0)
        continue;
      if (rows++ < 5)
        g_ptr_array_add (problems, g_strdup_printf ("%s: %s", sql, value != NULL ? value : ""));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * pfdo_check_audit_chain:
 * @out_broken_seq: (out) (optional): the first record whose link is broken,
 *   or 0
 *
 * Recomputes the audit log's hash chain from the start; see
 * pfdo_audit_verify() for what is wrong with the link.
 *
 * Returns: %TRUE when the chain is whole
 */
gboolean
pfdo_check_audit_chain (PfdoStore *store,
                        gint64    *out_broken_seq,
                        GError   **error)
{
  g_auto(PfdoAuditCheck) check = { 0 };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  if (!pfdo_audit_verify (store, &check, error))
    return FALSE;
  if (out_broken_seq != NULL)
    *out_broken_seq = check.broken_seq;
  return check.fault == PFDO_AUDIT_FAULT_NONE;
}

/**
 * pfdo_check_run:
 *
 * Runs SQLite's integrity and foreign key checks and every invariant of
 * the domain.
 *
 * Returns: (transfer full) (element-type utf8): one line for each problem
 *   found, empty when the store is sound; %NULL with @error set when the
 *   checks themselves could not run
 */
GPtrArray *
pfdo_check_run (PfdoStore *store,
                GError   **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  gint64 broken = 0;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (!check_pragma (store, "PRAGMA integrity_check", "ok", problems, error) ||
      !check_pragma (store, "PRAGMA foreign_key_check", NULL, problems, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (invariants); i++)
    {
      sqlite3_stmt *stmt = pfdo_store_prepare (store, invariants[i].sql, error);
      gint64 count = 0;
      g_autofree char *example = NULL;
      int rc;

      if (stmt == NULL)
        return NULL;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          count = sqlite3_column_int64 (stmt, 0);
          example = pfdo_column_dup (stmt, 1);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          pfdo_store_set_error (store, rc, error);
          return NULL;
        }
      if (count > 0)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("%lld %s (for example %s)"), (long long) count,
                                          _(invariants[i].what), example != NULL ? example : "—"));
    }

  if (!pfdo_check_audit_chain (store, &broken, error))
    {
      if (error != NULL && *error != NULL)
        return NULL;
      g_ptr_array_add (problems,
                       g_strdup_printf (_("the audit log's chain is broken at record %lld"),
                                        (long long) broken));
    }

  return g_steal_pointer (&problems);
}
