/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-ledger"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-text.h"

/*
 * The ledger is append-only: every movement of money is a new entry and the
 * balance is always computed from the entries. The rules here keep the
 * balance of every certificate and period from going below zero; they run
 * inside the caller's write, so a refusal leaves nothing behind.
 */

static const char *kind_names[] = {
  [PFDO_LEDGER_GRANT] = "grant",
  [PFDO_LEDGER_RESERVE] = "reserve",
  [PFDO_LEDGER_RELEASE] = "release",
  [PFDO_LEDGER_CHARGE] = "charge",
  [PFDO_LEDGER_REFUND] = "refund",
  [PFDO_LEDGER_EXPIRE] = "expire",
};

const char *
pfdo_ledger_kind_to_string (PfdoLedgerKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

gboolean
pfdo_ledger_kind_from_string (const char     *name,
                              PfdoLedgerKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      {
        *out_kind = (PfdoLedgerKind) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * pfdo_ledger_balance:
 * @out_balance: (out caller-allocates): the sums by kind and what is available
 *
 * Sums one certificate's entries for @period.
 */
gboolean
pfdo_ledger_balance (PfdoStore   *store,
                     const char  *certificate_id,
                     const char  *period,
                     PfdoBalance *out_balance,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (certificate_id != NULL && period != NULL, FALSE);
  g_return_val_if_fail (out_balance != NULL, FALSE);

  memset (out_balance, 0, sizeof *out_balance);

  stmt = pfdo_store_prepare (store,
                             "SELECT kind, sum(amount_kopecks) FROM ledger_entry "
                             "WHERE certificate_id = ? AND period = ? GROUP BY kind",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoLedgerKind kind;
      gint64 sum = sqlite3_column_int64 (stmt, 1);

      if (!pfdo_ledger_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &kind))
        continue;
      switch (kind)
        {
        case PFDO_LEDGER_GRANT: out_balance->granted = sum; break;
        case PFDO_LEDGER_RESERVE: out_balance->reserved = sum; break;
        case PFDO_LEDGER_RELEASE: out_balance->released = sum; break;
        case PFDO_LEDGER_CHARGE: out_balance->charged = sum; break;
        case PFDO_LEDGER_REFUND: out_balance->refunded = sum; break;
        case PFDO_LEDGER_EXPIRE: out_balance->expired = sum; break;
        default: g_assert_not_reached ();
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }

  out_balance->available = out_balance->granted - out_balance->charged + out_balance->refunded -
                           out_balance->expired - (out_balance->reserved - out_balance->released);
  return TRUE;
}

/**
 * pfdo_ledger_reserved_for:
 *
 * Returns: what is still reserved for an enrollment (reserves − releases),
 *   or -1 with @error set
 */
gint64
pfdo_ledger_reserved_for (PfdoStore  *store,
                          const char *enrollment_id,
                          GError    **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), -1);
  g_return_val_if_fail (enrollment_id != NULL, -1);

  return pfdo_store_query_int (store,
                               "SELECT coalesce (sum (CASE kind WHEN 'reserve' THEN amount_kopecks "
                               "WHEN 'release' THEN -amount_kopecks ELSE 0 END), 0) "
                               "FROM ledger_entry WHERE enrollment_id = ?",
                               enrollment_id, error);
}

static gboolean
refuse_amount (PfdoDomainError code,
               gint64          room,
               GError        **error)
{
  g_autofree char *money = pfdo_text_rubles (room);

  switch (code)
    {
    case PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE:
      g_set_error (error, PFDO_DOMAIN_ERROR, code,
                   _("Not enough money on the certificate: %s available."), money);
      break;
    case PFDO_DOMAIN_ERROR_OVER_RELEASE:
      g_set_error (error, PFDO_DOMAIN_ERROR, code,
                   _("Cannot release more than is still reserved (%s)."), money);
      break;
    case PFDO_DOMAIN_ERROR_OVER_REFUND:
      g_set_error (error, PFDO_DOMAIN_ERROR, code,
                   _("Cannot refund more than was charged (%s can be refunded)."), money);
      break;
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* What reserves still hold on one certificate and period: those of
 * @enrollment_id, or those of no enrollment when it is %NULL. An
 * enrollment's money sits on its own certificate and in its own period; a
 * release elsewhere must not count it. Returns -1 on error. */
static gint64
reserved_in (PfdoStore   *store,
             const char  *certificate_id,
             const char  *period,
             const char  *enrollment_id,
             GError     **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "SELECT coalesce (sum (CASE kind WHEN 'reserve' THEN "
                                           "amount_kopecks ELSE -amount_kopecks END), 0) "
                                           "FROM ledger_entry WHERE certificate_id = ?1 "
                                           "AND period = ?2 AND enrollment_id IS ?3 "
                                           "AND kind IN ('reserve', 'release')",
                                           error);
  gint64 value = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
  if (enrollment_id != NULL)
    sqlite3_bind_text (stmt, 3, enrollment_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 3);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW)
    pfdo_store_set_error (store, rc, error);
  return value;
}

/**
 * pfdo_ledger_append:
 * @entry_id: (nullable): the entry's id; a new one when %NULL. An entry
 *   whose id is already in the ledger is a replay and changes nothing.
 * @enrollment_id: (nullable): the enrollment a reserve, release or charge
 *   belongs to
 * @out_appended: (out) (optional): %FALSE for a replay
 *
 * Appends one entry after checking the rules: amounts are positive;
 * reserve, charge and expire never take `available` below zero; a release
 * frees at most what is still reserved on the certificate in the period
 * (for its enrollment, or by reserves of no enrollment); a refund returns
 * at most what was charged.
 * Must be called inside pfdo_store_write().
 */
gboolean
pfdo_ledger_append (PfdoStore      *store,
                    const char     *entry_id,
                    const char     *certificate_id,
                    const char     *period,
                    PfdoLedgerKind  kind,
                    gint64          amount_kopecks,
                    const char     *enrollment_id,
                    gboolean       *out_appended,
                    GError        **error)
{
  g_autofree char *new_id = NULL;
  g_autofree char *now = NULL;
  PfdoBalance balance;
  sqlite3_stmt *stmt;
  gint64 exists;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (certificate_id != NULL && period != NULL, FALSE);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), FALSE);
  g_return_val_if_fail (pfdo_store_in_transaction (store), FALSE);

  if (out_appended != NULL)
    *out_appended = FALSE;

  if (entry_id != NULL)
    {
      exists = pfdo_store_query_int (store, "SELECT count(*) FROM ledger_entry WHERE id = ?",
                                     entry_id, error);
      if (exists < 0)
        return FALSE;
      if (exists > 0)
        return TRUE;
    }

  if (amount_kopecks <= 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_AMOUNT,
                   _("An amount must be greater than zero."));
      return FALSE;
    }

  exists = pfdo_store_query_int (store, "SELECT count(*) FROM certificate WHERE id = ?",
                                 certificate_id, error);
  if (exists <= 0)
    {
      if (exists == 0)
        g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                     _("The certificate was not found."));
      return FALSE;
    }

  if (!pfdo_ledger_balance (store, certificate_id, period, &balance, error))
    return FALSE;

  switch (kind)
    {
    case PFDO_LEDGER_GRANT:
      break;

    case PFDO_LEDGER_RESERVE:
    case PFDO_LEDGER_CHARGE:
    case PFDO_LEDGER_EXPIRE:
      if (amount_kopecks > balance.available)
        return refuse_amount (PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE,
                              MAX (balance.available, 0), error);
      break;

    case PFDO_LEDGER_RELEASE:
      {
        gint64 room = balance.reserved - balance.released;

        if (enrollment_id != NULL)
          {
            gint64 for_enrollment = reserved_in (store, certificate_id, period, enrollment_id,
                                                 error);

            if (for_enrollment < 0)
              return FALSE;
            room = MIN (room, for_enrollment);
          }
        else
          {
            /* A release of no enrollment must not free what an enrollment
             * reserved: its monthly charges would have nothing to draw on. */
            gint64 unassigned = reserved_in (store, certificate_id, period, NULL, error);

            if (unassigned < 0)
              return FALSE;
            room = MIN (room, unassigned);
          }
        if (amount_kopecks > room)
          return refuse_amount (PFDO_DOMAIN_ERROR_OVER_RELEASE, MAX (room, 0), error);
      }
      break;

    case PFDO_LEDGER_REFUND:
      if (amount_kopecks > balance.charged - balance.refunded)
        return refuse_amount (PFDO_DOMAIN_ERROR_OVER_REFUND,
                              MAX (balance.charged - balance.refunded, 0), error);
      break;

    default:
      g_assert_not_reached ();
    }

  if (entry_id == NULL)
    entry_id = new_id = pfdo_uuid_new ();
  now = pfdo_now_utc ();

  stmt = pfdo_store_prepare (store,
                             "INSERT INTO ledger_entry (id, certificate_id, period, kind, "
                             "amount_kopecks, enrollment_id, created_at, operator_id) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entry_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, certificate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, period, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, amount_kopecks);
  sqlite3_bind_text (stmt, 6, enrollment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, pfdo_store_get_operator_id (store), -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  if (out_appended != NULL)
    *out_appended = TRUE;
  return TRUE;
}

/**
 * pfdo_ledger_derived_id:
 * @enrollment_id: an enrollment's id
 * @what: what the entry is for, e.g. `reserve` or `charge:2026-10`
 *
 * An entry id derived from the enrollment, so that the desk and the server,
 * each writing the entry on its own, write the same entry: when the server's
 * copy arrives through the changes feed it is recognised, not doubled.
 *
 * Returns: (transfer full): a UUID-shaped id (version 5 layout, SHA-1)
 */
char *
pfdo_ledger_derived_id (const char *enrollment_id,
                        const char *what)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_return_val_if_fail (enrollment_id != NULL && what != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) "pfdo-ledger\n", -1);
  g_checksum_update (checksum, (const guchar *) enrollment_id, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) what, -1);
  g_checksum_get_digest (checksum, digest, &len);

  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

/**
 * pfdo_ledger_charge_reserved:
 * @month: the month charged, `YYYY-MM`; charging a month twice is a replay
 *
 * Turns @amount_kopecks of an enrollment's reservation into a charge: a
 * release and a charge of the same amount, so `available` does not move
 * and the reservation shrinks as the charges grow. Inside a write.
 */
gboolean
pfdo_ledger_charge_reserved (PfdoStore  *store,
                             const char *enrollment_id,
                             const char *month,
                             gint64      amount_kopecks,
                             GError    **error)
{
  g_autofree char *certificate_id = NULL;
  g_autofree char *period = NULL;
  g_autofree char *release_what = g_strconcat ("release:", month, NULL);
  g_autofree char *charge_what = g_strconcat ("charge:", month, NULL);
  g_autofree char *release_id = pfdo_ledger_derived_id (enrollment_id, release_what);
  g_autofree char *charge_id = pfdo_ledger_derived_id (enrollment_id, charge_what);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (enrollment_id != NULL && month != NULL, FALSE);

  stmt = pfdo_store_prepare (store,
                             "SELECT certificate_id, period FROM enrollment WHERE id = ? "
                             "AND certificate_id IS NOT NULL",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, enrollment_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      certificate_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      period = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (certificate_id == NULL || period == NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("The enrollment was not found or is not paid from a certificate."));
      return FALSE;
    }

  return pfdo_ledger_append (store, release_id, certificate_id, period, PFDO_LEDGER_RELEASE,
                             amount_kopecks, enrollment_id, NULL, error) &&
         pfdo_ledger_append (store, charge_id, certificate_id, period, PFDO_LEDGER_CHARGE,
                             amount_kopecks, enrollment_id, NULL, error);
}
