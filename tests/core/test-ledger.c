/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger's rules on a real store: every kind of entry, the balances,
 * each refusal with its code and nothing written, replays, derived ids,
 * monthly charges of a reservation, and the append-only table. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

#define PERIOD      "2026/27"
#define PERIOD_LAST "2025/26"

static gboolean
append (Fixture        *fixture,
        const char     *entry_id,
        const char     *certificate_id,
        const char     *period,
        PfdoLedgerKind  kind,
        gint64          amount,
        const char     *enrollment_id,
        GError        **error)
{
  return pfdo_test_ledger_append (fixture, entry_id, certificate_id, period, kind, amount,
                                  enrollment_id, NULL, error);
}

static void
append_ok (Fixture        *fixture,
           const char     *entry_id,
           const char     *certificate_id,
           const char     *period,
           PfdoLedgerKind  kind,
           gint64          amount,
           const char     *enrollment_id)
{
  g_autoptr(GError) error = NULL;
  gboolean appended = FALSE;

  g_assert_true (pfdo_test_ledger_append (fixture, entry_id, certificate_id, period, kind, amount,
                                          enrollment_id, &appended, &error));
  g_assert_no_error (error);
  g_assert_true (appended);
}

static char *
balance_text (Fixture    *fixture,
              const char *certificate_id,
              const char *period)
{
  PfdoBalance b = pfdo_test_balance (fixture, certificate_id, period);

  return g_strdup_printf ("granted=%" G_GINT64_FORMAT " reserved=%" G_GINT64_FORMAT
                          " released=%" G_GINT64_FORMAT " charged=%" G_GINT64_FORMAT
                          " refunded=%" G_GINT64_FORMAT " expired=%" G_GINT64_FORMAT
                          " available=%" G_GINT64_FORMAT,
                          b.granted, b.reserved, b.released, b.charged, b.refunded, b.expired,
                          b.available);
}

static void
test_kind_names (void)
{
  const char *names[] = { "grant", "reserve", "release", "charge", "refund", "expire" };
  PfdoLedgerKind kind;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (pfdo_ledger_kind_to_string ((PfdoLedgerKind) i), ==, names[i]);
      g_assert_true (pfdo_ledger_kind_from_string (names[i], &kind));
      g_assert_cmpint (kind, ==, i);
    }
  g_assert_false (pfdo_ledger_kind_from_string ("Grant", &kind));
  g_assert_false (pfdo_ledger_kind_from_string ("payout", &kind));
  g_assert_false (pfdo_ledger_kind_from_string ("", &kind));
  g_assert_false (pfdo_ledger_kind_from_string (NULL, &kind));
}

static void
test_each_kind (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Иванова", "2014-01-01", TRUE);
  const struct
  {
    PfdoLedgerKind kind;
    gint64         amount;
    const char    *balance;
  } steps[] = {
    { PFDO_LEDGER_GRANT, 1000000, "granted=1000000 reserved=0 released=0 charged=0 refunded=0 "
                                  "expired=0 available=1000000" },
    { PFDO_LEDGER_RESERVE, 300000, "granted=1000000 reserved=300000 released=0 charged=0 "
                                   "refunded=0 expired=0 available=700000" },
    { PFDO_LEDGER_RELEASE, 100000, "granted=1000000 reserved=300000 released=100000 charged=0 "
                                   "refunded=0 expired=0 available=800000" },
    { PFDO_LEDGER_CHARGE, 250000, "granted=1000000 reserved=300000 released=100000 "
                                  "charged=250000 refunded=0 expired=0 available=550000" },
    { PFDO_LEDGER_REFUND, 50000, "granted=1000000 reserved=300000 released=100000 charged=250000 "
                                 "refunded=50000 expired=0 available=600000" },
    { PFDO_LEDGER_EXPIRE, 600000, "granted=1000000 reserved=300000 released=100000 "
                                  "charged=250000 refunded=50000 expired=600000 available=0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *id = g_strdup_printf ("entry-%u", i);
      g_autofree char *balance = NULL;
      g_autofree char *row = NULL;

      append_ok (fixture, id, z, PERIOD, steps[i].kind, steps[i].amount, NULL);
      balance = balance_text (fixture, z, PERIOD);
      g_assert_cmpstr (balance, ==, steps[i].balance);

      /* The entry as stored: its kind, amount, period and who made it. */
      row = pfdo_test_text (fixture, "SELECT kind || ' ' || amount_kopecks || ' ' || period || ' ' "
                                     "|| operator_id || ' ' || (enrollment_id IS NULL) "
                                     "FROM ledger_entry WHERE id = ?", id);
      {
        g_autofree char *expected = g_strdup_printf ("%s %" G_GINT64_FORMAT " %s op-admin 1",
                                                     pfdo_ledger_kind_to_string (steps[i].kind),
                                                     steps[i].amount, PERIOD);

        g_assert_cmpstr (row, ==, expected);
      }
    }
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM ledger_entry"), ==,
                   G_N_ELEMENTS (steps));

  /* A new id is made when none is given. */
  {
    g_autoptr(GError) error = NULL;
    gboolean appended = FALSE;

    g_assert_true (pfdo_test_ledger_append (fixture, NULL, z, PERIOD, PFDO_LEDGER_GRANT, 1, NULL,
                                            &appended, &error));
    g_assert_no_error (error);
    g_assert_true (appended);
    g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM ledger_entry WHERE "
                                               "length (id) = 36"), ==, 1);
  }
}

static void
test_balances_apart (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *a = pfdo_test_active_certificate (fixture, "Алексеева", "2014-01-01", TRUE);
  g_autofree char *b = pfdo_test_active_certificate (fixture, "Борисова", "2014-01-01", TRUE);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  append_ok (fixture, "a-grant", a, PERIOD, PFDO_LEDGER_GRANT, 1000000, NULL);
  append_ok (fixture, "a-charge", a, PERIOD, PFDO_LEDGER_CHARGE, 400000, NULL);
  append_ok (fixture, "a-last", a, PERIOD_LAST, PFDO_LEDGER_GRANT, 700000, NULL);
  append_ok (fixture, "b-grant", b, PERIOD, PFDO_LEDGER_GRANT, 200000, NULL);

  text = balance_text (fixture, a, PERIOD);
  g_assert_cmpstr (text, ==, "granted=1000000 reserved=0 released=0 charged=400000 refunded=0 "
                             "expired=0 available=600000");
  g_clear_pointer (&text, g_free);
  text = balance_text (fixture, a, PERIOD_LAST);
  g_assert_cmpstr (text, ==, "granted=700000 reserved=0 released=0 charged=0 refunded=0 "
                             "expired=0 available=700000");
  g_clear_pointer (&text, g_free);
  text = balance_text (fixture, b, PERIOD);
  g_assert_cmpstr (text, ==, "granted=200000 reserved=0 released=0 charged=0 refunded=0 "
                             "expired=0 available=200000");
  g_clear_pointer (&text, g_free);
  /* No entries: all zero, not an error. */
  text = balance_text (fixture, b, PERIOD_LAST);
  g_assert_cmpstr (text, ==, "granted=0 reserved=0 released=0 charged=0 refunded=0 expired=0 "
                             "available=0");
  g_clear_pointer (&text, g_free);
  text = balance_text (fixture, "no-such-certificate", PERIOD);
  g_assert_cmpstr (text, ==, "granted=0 reserved=0 released=0 charged=0 refunded=0 expired=0 "
                             "available=0");

  /* Money of one period does not pay in another, nor another's money. */
  g_assert_false (append (fixture, "b-charge", b, PERIOD, PFDO_LEDGER_CHARGE, 200001, NULL,
                          &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE);
  g_clear_error (&error);
  g_assert_false (append (fixture, "a-last-charge", a, PERIOD_LAST, PFDO_LEDGER_CHARGE, 700001,
                          NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE);
  g_clear_error (&error);
  /* A refund in the period without charges has nothing to return. */
  g_assert_false (append (fixture, "a-last-refund", a, PERIOD_LAST, PFDO_LEDGER_REFUND, 1, NULL,
                          &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_REFUND);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Сидорова", "2014-01-01", TRUE);
  g_autofree char *before = NULL;
  g_autofree char *balance_before = NULL;
  const struct
  {
    PfdoLedgerKind kind;
    gint64         amount;
    int            code;
  } refused[] = {
    /* available is 500 000 − 200 000 reserved − 100 000 charged = 200 000. */
    { PFDO_LEDGER_RESERVE, 200001, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE },
    { PFDO_LEDGER_CHARGE, 200001, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE },
    { PFDO_LEDGER_EXPIRE, 200001, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE },
    { PFDO_LEDGER_CHARGE, G_MAXINT64, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE },
    /* 200 000 reserved. */
    { PFDO_LEDGER_RELEASE, 200001, PFDO_DOMAIN_ERROR_OVER_RELEASE },
    /* 100 000 charged. */
    { PFDO_LEDGER_REFUND, 100001, PFDO_DOMAIN_ERROR_OVER_REFUND },
    { PFDO_LEDGER_GRANT, 0, PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
    { PFDO_LEDGER_GRANT, -100, PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
    { PFDO_LEDGER_RESERVE, 0, PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
    { PFDO_LEDGER_RELEASE, -1, PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
    { PFDO_LEDGER_CHARGE, 0, PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
    { PFDO_LEDGER_REFUND, G_MININT64, PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
    { PFDO_LEDGER_EXPIRE, -5, PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
  };

  append_ok (fixture, "grant", z, PERIOD, PFDO_LEDGER_GRANT, 500000, NULL);
  append_ok (fixture, "reserve", z, PERIOD, PFDO_LEDGER_RESERVE, 200000, NULL);
  append_ok (fixture, "charge", z, PERIOD, PFDO_LEDGER_CHARGE, 100000, NULL);
  before = pfdo_test_row_counts (fixture);
  balance_before = balance_text (fixture, z, PERIOD);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = g_strdup_printf ("refused-%u", i);
      g_autofree char *after = NULL;
      g_autofree char *balance_after = NULL;
      gboolean appended = TRUE;

      g_test_message ("refusal %u", i);
      g_assert_false (pfdo_test_ledger_append (fixture, id, z, PERIOD, refused[i].kind,
                                               refused[i].amount, NULL, &appended, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, refused[i].code);
      g_assert_false (appended);
      after = pfdo_test_row_counts (fixture);
      g_assert_cmpstr (after, ==, before);
      balance_after = balance_text (fixture, z, PERIOD);
      g_assert_cmpstr (balance_after, ==, balance_before);
    }

  /* An unknown certificate. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (append (fixture, "ghost", "no-such-certificate", PERIOD, PFDO_LEDGER_GRANT,
                            100, NULL, &error));
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  }

  /* Limits count what was refunded and released before. */
  append_ok (fixture, "refund-part", z, PERIOD, PFDO_LEDGER_REFUND, 60000, NULL);
  append_ok (fixture, "release-part", z, PERIOD, PFDO_LEDGER_RELEASE, 150000, NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (append (fixture, "refund-more", z, PERIOD, PFDO_LEDGER_REFUND, 40001, NULL,
                            &error));
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_REFUND);
    g_clear_error (&error);
    g_assert_false (append (fixture, "release-more", z, PERIOD, PFDO_LEDGER_RELEASE, 50001, NULL,
                            &error));
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  }

  /* Up to the last kopeck is allowed, and then available is exactly 0. */
  append_ok (fixture, "release-all", z, PERIOD, PFDO_LEDGER_RELEASE, 50000, NULL);
  append_ok (fixture, "refund-all", z, PERIOD, PFDO_LEDGER_REFUND, 40000, NULL);
  append_ok (fixture, "reserve-all", z, PERIOD, PFDO_LEDGER_RESERVE, 500000, NULL);
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).available, ==, 0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (append (fixture, "one-more", z, PERIOD, PFDO_LEDGER_EXPIRE, 1, NULL, &error));
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE);
  }
  append_ok (fixture, "release-again", z, PERIOD, PFDO_LEDGER_RELEASE, 500000, NULL);
  append_ok (fixture, "expire-all", z, PERIOD, PFDO_LEDGER_EXPIRE, 500000, NULL);
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).available, ==, 0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (append (fixture, "one-more", z, PERIOD, PFDO_LEDGER_RELEASE, 1, NULL, &error));
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  }
}

typedef struct
{
  const char *certificate_id;
} TwoEntries;

static gboolean
good_then_bad_cb (PfdoStore *store,
                  gpointer   user_data,
                  GError   **error)
{
  TwoEntries *data = user_data;

  return pfdo_ledger_append (store, "good", data->certificate_id, PERIOD, PFDO_LEDGER_GRANT, 1000,
                             NULL, NULL, error) &&
         pfdo_ledger_append (store, "bad", data->certificate_id, PERIOD, PFDO_LEDGER_CHARGE, 1001,
                             NULL, NULL, error);
}

static void
test_refusal_undoes_the_write (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Фролова", "2014-01-01", TRUE);
  g_autofree char *before = pfdo_test_row_counts (fixture);
  g_autofree char *after = NULL;
  TwoEntries entries = { z };
  g_autoptr(GError) error = NULL;

  /* The second entry is refused: the first, in the same write, goes too. */
  g_assert_false (pfdo_store_write (fixture->store, good_then_bad_cb, &entries, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).granted, ==, 0);
}

static void
test_replay (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Петрова", "2014-01-01", TRUE);
  g_autofree char *other = pfdo_test_active_certificate (fixture, "Орлова", "2014-01-01", TRUE);
  g_autofree char *before = NULL;
  g_autofree char *balance_before = NULL;
  const struct
  {
    const char     *certificate;
    const char     *period;
    PfdoLedgerKind  kind;
    gint64          amount;
  } replays[] = {
    { NULL, PERIOD, PFDO_LEDGER_GRANT, 1000000 },     /* the same entry again */
    { NULL, PERIOD, PFDO_LEDGER_GRANT, 5 },           /* whatever it carries */
    { NULL, PERIOD, PFDO_LEDGER_EXPIRE, 999999999 },  /* would be refused if new */
    { NULL, PERIOD, PFDO_LEDGER_REFUND, 0 },
    { NULL, PERIOD_LAST, PFDO_LEDGER_GRANT, 1000000 },
    { "other", PERIOD, PFDO_LEDGER_GRANT, 1000000 },
  };

  append_ok (fixture, "grant-2026", z, PERIOD, PFDO_LEDGER_GRANT, 1000000, NULL);
  before = pfdo_test_row_counts (fixture);
  balance_before = balance_text (fixture, z, PERIOD);

  for (guint i = 0; i < G_N_ELEMENTS (replays); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;
      g_autofree char *balance_after = NULL;
      gboolean appended = TRUE;

      g_assert_true (pfdo_test_ledger_append (fixture, "grant-2026",
                                              replays[i].certificate != NULL ? other : z,
                                              replays[i].period, replays[i].kind,
                                              replays[i].amount, NULL, &appended, &error));
      g_assert_no_error (error);
      g_assert_false (appended);
      after = pfdo_test_row_counts (fixture);
      g_assert_cmpstr (after, ==, before);
      balance_after = balance_text (fixture, z, PERIOD);
      g_assert_cmpstr (balance_after, ==, balance_before);
    }
  g_assert_cmpint (pfdo_test_balance (fixture, other, PERIOD).granted, ==, 0);
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD_LAST).granted, ==, 0);
}

static void
test_derived_ids (void)
{
  g_autofree char *a = pfdo_ledger_derived_id ("e1", "reserve");
  g_autofree char *b = pfdo_ledger_derived_id ("e1", "reserve");
  g_autofree char *c = pfdo_ledger_derived_id ("e1", "charge:2026-10");
  g_autofree char *d = pfdo_ledger_derived_id ("e2", "reserve");
  g_autofree char *e = pfdo_ledger_derived_id ("enr-1", "charge:2026-10");
  g_autofree char *f = pfdo_ledger_derived_id ("e1", "charge:2026-11");
  g_autofree char *g = pfdo_ledger_derived_id ("e1\nreserve", "");

  /* Stable: a desk and the server, each on its own, derive the same id.
   * The values are pinned: changing the derivation would double every
   * entry that crosses the changes feed. */
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, "918cc3a3-5b5e-5525-b5ba-553005887153");
  g_assert_cmpstr (e, ==, "047a2fb5-fe03-58b8-b20f-f8a81d021757");

  /* Different for another enrollment or another purpose. */
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a, !=, d);
  g_assert_cmpstr (c, !=, f);
  g_assert_cmpstr (a, !=, g);

  /* UUID-shaped, version 5, RFC 4122 variant. */
  {
    const char *ids[] = { a, c, d, e, f };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_assert_true (g_uuid_string_is_valid (ids[i]));
        g_assert_cmpint (ids[i][14], ==, '5');
        g_assert_nonnull (strchr ("89ab", ids[i][19]));
      }
  }
}

static void
grant (Fixture    *fixture,
       const char *certificate_id,
       gint64      amount)
{
  g_autofree char *id = g_strdup_printf ("grant-%s", certificate_id);

  append_ok (fixture, id, certificate_id, PERIOD, PFDO_LEDGER_GRANT, amount, NULL);
}

typedef struct
{
  const char *enrollment_id;
  const char *month;
  gint64      amount;
} Charge;

static gboolean
charge_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  Charge *charge = user_data;

  return pfdo_ledger_charge_reserved (store, charge->enrollment_id, charge->month, charge->amount,
                                      error);
}

static gboolean
charge (Fixture    *fixture,
        const char *enrollment_id,
        const char *month,
        gint64      amount,
        GError    **error)
{
  Charge c = { enrollment_id, month, amount };

  return pfdo_store_write (fixture->store, charge_cb, &c, error);
}

static void
test_charge_reserved (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Смирнова", "2014-01-01", TRUE);
  g_autofree char *enrollment = NULL;
  g_autofree char *release_id = NULL;
  g_autofree char *charge_id = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 available;

  grant (fixture, z, PFDO_TEST_NOMINAL);
  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_enrollment_create (fixture->store, z, "g-cert", 3, &enrollment, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, enrollment, NULL), ==,
                   3 * PFDO_TEST_MONTHLY);
  available = pfdo_test_balance (fixture, z, PERIOD).available;
  g_assert_cmpint (available, ==, PFDO_TEST_NOMINAL - 3 * PFDO_TEST_MONTHLY);

  /* A month's charge is a release and a charge of the same amount, with
   * ids derived from the enrollment and the month. */
  g_assert_true (charge (fixture, enrollment, "2026-09", PFDO_TEST_MONTHLY, &error));
  g_assert_no_error (error);
  release_id = pfdo_ledger_derived_id (enrollment, "release:2026-09");
  charge_id = pfdo_ledger_derived_id (enrollment, "charge:2026-09");
  pair = pfdo_test_text (fixture,
                         "SELECT group_concat (kind || ' ' || amount_kopecks || ' ' || period, ', ') "
                         "FROM (SELECT * FROM ledger_entry WHERE enrollment_id = ? "
                         "AND kind <> 'reserve' ORDER BY kind DESC)",
                         enrollment);
  g_assert_cmpstr (pair, ==, "release 80000 2026/27, charge 80000 2026/27");
  g_assert_cmpint (pfdo_store_query_int (fixture->store,
                                         "SELECT count(*) FROM ledger_entry WHERE id = ?",
                                         release_id, NULL), ==, 1);
  g_assert_cmpint (pfdo_store_query_int (fixture->store,
                                         "SELECT count(*) FROM ledger_entry WHERE id = ?",
                                         charge_id, NULL), ==, 1);
  /* available does not move; the reservation shrinks. */
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).available, ==, available);
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).charged, ==, PFDO_TEST_MONTHLY);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, enrollment, NULL), ==,
                   2 * PFDO_TEST_MONTHLY);

  /* The same month again is a replay. */
  before = pfdo_test_row_counts (fixture);
  g_assert_true (charge (fixture, enrollment, "2026-09", PFDO_TEST_MONTHLY, &error));
  g_assert_no_error (error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* More than is still reserved: refused, neither half written. */
  g_assert_false (charge (fixture, enrollment, "2026-10", 2 * PFDO_TEST_MONTHLY + 1, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  g_clear_error (&error);
  g_assert_false (charge (fixture, enrollment, "2026-10", 0, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_AMOUNT);
  g_clear_error (&error);
  g_assert_false (charge (fixture, "no-such-enrollment", "2026-10", 1, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* The rest, to the kopeck; then nothing is left to charge. */
  g_assert_true (charge (fixture, enrollment, "2026-10", PFDO_TEST_MONTHLY, &error));
  g_assert_true (charge (fixture, enrollment, "2026-11", PFDO_TEST_MONTHLY, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, enrollment, NULL), ==, 0);
  g_assert_false (charge (fixture, enrollment, "2026-12", 1, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).available, ==, available);
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).charged, ==, 3 * PFDO_TEST_MONTHLY);
}

static void
test_release_by_enrollment (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Козлова", "2014-01-01", TRUE);
  g_autofree char *other = pfdo_test_active_certificate (fixture, "Лебедева", "2014-01-01", TRUE);
  g_autofree char *enrollment = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  grant (fixture, z, PFDO_TEST_NOMINAL);
  grant (fixture, other, PFDO_TEST_NOMINAL);
  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_enrollment_create (fixture->store, z, "g-cert", 2, &enrollment, &error));
  g_assert_no_error (error);
  /* A reserve of no enrollment on the same certificate, and one on
   * another certificate. */
  append_ok (fixture, "loose", z, PERIOD, PFDO_LEDGER_RESERVE, 10000, NULL);
  append_ok (fixture, "other-loose", other, PERIOD, PFDO_LEDGER_RESERVE, 500000, NULL);
  before = pfdo_test_row_counts (fixture);

  /* Without an enrollment only the loose reserve can be freed: the
   * enrollment's monthly charges draw on the rest. */
  g_assert_false (append (fixture, "r1", z, PERIOD, PFDO_LEDGER_RELEASE, 10001, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  g_clear_error (&error);

  /* With the enrollment, at most what it still holds. */
  g_assert_false (append (fixture, "r2", z, PERIOD, PFDO_LEDGER_RELEASE,
                          2 * PFDO_TEST_MONTHLY + 1, enrollment, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  g_clear_error (&error);

  /* Not on another certificate's reservation, nor in another period. */
  g_assert_false (append (fixture, "r3", other, PERIOD, PFDO_LEDGER_RELEASE, 1000, enrollment,
                          &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  g_clear_error (&error);
  append_ok (fixture, "last-grant", z, PERIOD_LAST, PFDO_LEDGER_GRANT, 100000, NULL);
  append_ok (fixture, "last-loose", z, PERIOD_LAST, PFDO_LEDGER_RESERVE, 50000, NULL);
  g_clear_pointer (&before, g_free);
  before = pfdo_test_row_counts (fixture);
  g_assert_false (append (fixture, "r4", z, PERIOD_LAST, PFDO_LEDGER_RELEASE, 1000, enrollment,
                          &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, enrollment, NULL), ==,
                   2 * PFDO_TEST_MONTHLY);

  append_ok (fixture, "r5", z, PERIOD, PFDO_LEDGER_RELEASE, PFDO_TEST_MONTHLY, enrollment);
  append_ok (fixture, "r6", z, PERIOD, PFDO_LEDGER_RELEASE, 10000, NULL);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, enrollment, NULL), ==,
                   PFDO_TEST_MONTHLY);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, "no-such-enrollment", NULL), ==, 0);
}

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Новикова", "2014-01-01", TRUE);
  const char *refused[] = {
    "UPDATE ledger_entry SET amount_kopecks = 5000",
    "UPDATE ledger_entry SET kind = 'grant' WHERE kind = 'charge'",
    "UPDATE ledger_entry SET certificate_id = certificate_id",
    "DELETE FROM ledger_entry",
    "DELETE FROM ledger_entry WHERE id = 'charge'",
    /* A plain insert of an id that is there already. */
    "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
    "SELECT id, certificate_id, period, 'grant', 1, 'now' FROM ledger_entry WHERE id = 'charge'",
  };
  g_autofree char *before = NULL;
  g_autofree char *entries = NULL;

  append_ok (fixture, "grant", z, PERIOD, PFDO_LEDGER_GRANT, 100000, NULL);
  append_ok (fixture, "charge", z, PERIOD, PFDO_LEDGER_CHARGE, 30000, NULL);
  before = pfdo_test_row_counts (fixture);
  entries = pfdo_test_text (fixture, "SELECT group_concat (id || kind || amount_kopecks) "
                                     "FROM ledger_entry", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;
      g_autofree char *entries_after = NULL;

      g_test_message ("%s", refused[i]);
      g_assert_false (pfdo_store_exec (fixture->store, refused[i], &error));
      g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
      after = pfdo_test_row_counts (fixture);
      g_assert_cmpstr (after, ==, before);
      entries_after = pfdo_test_text (fixture, "SELECT group_concat (id || kind || amount_kopecks) "
                                               "FROM ledger_entry", NULL);
      g_assert_cmpstr (entries_after, ==, entries);
    }

  /* The schema's own checks hold for raw SQL too. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = g_strdup_printf ("INSERT INTO ledger_entry (id, certificate_id, "
                                            "period, kind, amount_kopecks, created_at) VALUES "
                                            "('zero', '%s', '2026/27', 'grant', 0, 'now')", z);

    g_assert_false (pfdo_store_exec (fixture->store, sql, &error));
    g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
  }
  g_assert_cmpint (pfdo_test_balance (fixture, z, PERIOD).available, ==, 70000);
}

/* INSERT OR REPLACE deletes the row it replaces, and SQLite fires DELETE
 * triggers for that only with recursive_triggers on: migration 0002 refuses
 * a second row with an existing key instead. */
static void
test_append_only_replace (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Павлова", "2014-01-01", TRUE);
  const struct
  {
    const char *table;
    const char *sql;
    const char *rows;
  } replaced[] = {
    { "ledger_entry",
      "INSERT OR REPLACE INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, "
      "created_at) SELECT id, certificate_id, period, 'grant', 1, 'now' FROM ledger_entry "
      "WHERE id = 'charge'",
      "SELECT group_concat (id || kind || amount_kopecks) FROM ledger_entry" },
    { "audit_log",
      "REPLACE INTO audit_log (seq, at, action, entity, record_id, prev_hash, hash) "
      "SELECT seq, at, 'nothing', entity, record_id, prev_hash, hash FROM audit_log "
      "WHERE seq = 1",
      "SELECT group_concat (seq || action || hash) FROM audit_log" },
  };
  g_autofree char *before = NULL;

  append_ok (fixture, "grant", z, PERIOD, PFDO_LEDGER_GRANT, 100000, NULL);
  append_ok (fixture, "charge", z, PERIOD, PFDO_LEDGER_CHARGE, 30000, NULL);
  before = pfdo_test_row_counts (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (replaced); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *rows = pfdo_test_text (fixture, replaced[i].rows, NULL);
      g_autofree char *rows_after = NULL;
      g_autofree char *after = NULL;
      gboolean ok;

      g_assert_true (pfdo_store_exec (fixture->store, "SAVEPOINT replace", &error));
      ok = pfdo_store_exec (fixture->store, replaced[i].sql, &error);
      rows_after = pfdo_test_text (fixture, replaced[i].rows, NULL);
      after = pfdo_test_row_counts (fixture);
      g_assert_true (pfdo_store_exec (fixture->store, "ROLLBACK TO replace; RELEASE replace",
                                      NULL));
      g_assert_false (ok);
      g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
      g_assert_cmpstr (rows_after, ==, rows);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_outside_a_write (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Морозова", "2014-01-01", TRUE);
  g_autofree char *before = pfdo_test_row_counts (fixture);
  g_autofree char *after = NULL;

  /* The ledger is written only together with the change it belongs to. */
  g_test_expect_message ("pfdo-ledger", G_LOG_LEVEL_CRITICAL, "*pfdo_store_in_transaction*");
  g_assert_false (pfdo_ledger_append (fixture->store, "x", z, PERIOD, PFDO_LEDGER_GRANT, 100, NULL,
                                      NULL, NULL));
  g_test_assert_expected_messages ();
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ledger/kind-names", test_kind_names);
  g_test_add_func ("/ledger/derived-ids", test_derived_ids);
  TEST ("/ledger/each-kind", test_each_kind);
  TEST ("/ledger/balances-apart", test_balances_apart);
  TEST ("/ledger/refusals", test_refusals);
  TEST ("/ledger/refusal-undoes-the-write", test_refusal_undoes_the_write);
  TEST ("/ledger/replay", test_replay);
  TEST ("/ledger/charge-reserved", test_charge_reserved);
  TEST ("/ledger/release-by-enrollment", test_release_by_enrollment);
  TEST ("/ledger/append-only", test_append_only);
  TEST ("/ledger/append-only-replace", test_append_only_replace);
  TEST ("/ledger/outside-a-write", test_outside_a_write);

  return g_test_run ();
}
