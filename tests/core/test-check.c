/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store check, the stats and the ledger's own rules on a real store. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pfdo-check.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-stats.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

static guint
count_problems (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = pfdo_check_run (fixture->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  return problems->len;
}

static void
plant (Fixture    *fixture,
       const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_exec (fixture->store, sql, &error));
  g_assert_no_error (error);
}

static void
test_finds_each_violation (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *certificate = pfdo_test_active_certificate (fixture, "Иванова", "2014-01-01",
                                                               TRUE);
  g_autofree char *sql = NULL;
  const char *violations[] = {
    /* A balance below zero. */
    "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
    "VALUES ('bad-1', '%s', '2026/27', 'charge', 100, 'now')",
    /* A refund of what was never charged. */
    "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
    "VALUES ('bad-2', '%s', '2025/26', 'refund', 100, 'now')",
    /* An active certificate of a child whose data is not confirmed. */
    "UPDATE child SET verification_status = 'unverified' WHERE id = (SELECT child_id FROM "
    "certificate WHERE id = '%s')",
    /* A personified certificate in an accounting-only municipality. */
    "UPDATE municipality SET mode = 'accounting_only' WHERE id = (SELECT municipality_id FROM "
    "certificate WHERE id = '%s')",
    /* More personified than the quota. */
    "UPDATE municipality SET pf_quota = 0 WHERE id = (SELECT municipality_id FROM certificate "
    "WHERE id = '%s')",
    /* An outbox operation whose record is gone. */
    "INSERT INTO outbox (op_id, type, at, payload, entity, entity_id) VALUES ('op-x%s', "
    "'child.verify', 'now', '{}', 'child', 'no-such-child')",
    /* A group that counts fewer enrolled children than it has. */
    "INSERT INTO enrollment (id, child_id, certificate_id, program_id, group_id, status, months, "
    "created_at) SELECT 'en-x', child_id, id, 'pr-budget', 'g-budget', 'active', 1, 'now' "
    "FROM certificate WHERE id = '%s'",
    /* A group over its capacity. */
    "UPDATE \"group\" SET capacity = 1, enrolled = 2 WHERE id = 'g-budget' AND '%s' <> ''",
    /* A broken link of the audit chain. */
    "INSERT INTO audit_log (at, action, entity, record_id, prev_hash, hash) VALUES ('now', "
    "'child.verify', 'child', '%s', 'forged', 'forged')",
  };

  g_assert_cmpuint (count_problems (fixture), ==, 0);

  /* Each violation alone is found, and undone before the next. */
  for (guint i = 0; i < G_N_ELEMENTS (violations); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("violation %u", i);
      g_assert_true (pfdo_store_exec (fixture->store, "SAVEPOINT planted", &error));
      sql = g_strdup_printf (violations[i], certificate);
      plant (fixture, sql);
      g_clear_pointer (&sql, g_free);
      g_assert_cmpuint (count_problems (fixture), >=, 1);
      g_assert_true (pfdo_store_exec (fixture->store, "ROLLBACK TO planted; RELEASE planted",
                                      &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count_problems (fixture), ==, 0);
    }
}

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *certificate = pfdo_test_active_certificate (fixture, "Петрова", "2014-01-01",
                                                               TRUE);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO ledger_entry (id, certificate_id, period, "
                                          "kind, amount_kopecks, created_at) VALUES ('g1', '%s', "
                                          "'2026/27', 'grant', 1000, 'now')",
                                          certificate);
  const char *refused[] = {
    "UPDATE ledger_entry SET amount_kopecks = 5000",
    "DELETE FROM ledger_entry",
    "UPDATE audit_log SET action = 'nothing'",
    "DELETE FROM audit_log",
  };
  gint64 broken = -1;
  g_autoptr(GError) error = NULL;

  plant (fixture, sql);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_assert_false (pfdo_store_exec (fixture->store, refused[i], &local_error));
      g_assert_nonnull (local_error);
    }
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT amount_kopecks FROM ledger_entry"), ==, 1000);

  g_assert_true (pfdo_check_audit_chain (fixture->store, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpint (broken, ==, 0);
}

static gboolean
append_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  const char **args = user_data;
  PfdoLedgerKind kind;
  gint64 amount = g_ascii_strtoll (args[3], NULL, 10);

  g_assert_true (pfdo_ledger_kind_from_string (args[2], &kind));
  return pfdo_ledger_append (store, args[0], args[1], "2026/27", kind, amount, NULL, NULL, error);
}

static void
test_ledger_rules (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Сидорова", "2014-01-01", TRUE);
  const struct
  {
    const char *id, *kind, *amount;
    int         code;  /* -1: applied */
  } steps[] = {
    { "a", "grant", "10000", -1 },
    { "b", "charge", "12000", PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE },
    { "c", "reserve", "6000", -1 },
    { "d", "charge", "5000", PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE },
    { "e", "release", "7000", PFDO_DOMAIN_ERROR_OVER_RELEASE },
    { "f", "release", "2000", -1 },
    { "g", "charge", "6000", -1 },
    { "h", "refund", "7000", PFDO_DOMAIN_ERROR_OVER_REFUND },
    { "i", "refund", "1000", -1 },
    { "j", "expire", "1000", -1 },
    { "k", "expire", "0", PFDO_DOMAIN_ERROR_INVALID_AMOUNT },
    { "a", "grant", "10000", -1 }, /* a replay: nothing changes */
  };
  PfdoBalance balance;
  g_autoptr(GError) error = NULL;
  PfdoStats stats;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *args[] = { steps[i].id, z, steps[i].kind, steps[i].amount };
      gboolean ok = pfdo_store_write (fixture->store, append_cb, args, &local_error);

      if (steps[i].code < 0)
        {
          g_assert_no_error (local_error);
          g_assert_true (ok);
        }
      else
        g_assert_error (local_error, PFDO_DOMAIN_ERROR, steps[i].code);
    }

  g_assert_true (pfdo_ledger_balance (fixture->store, z, "2026/27", &balance, &error));
  g_assert_cmpint (balance.granted, ==, 10000);
  g_assert_cmpint (balance.reserved, ==, 6000);
  g_assert_cmpint (balance.released, ==, 2000);
  g_assert_cmpint (balance.charged, ==, 6000);
  g_assert_cmpint (balance.refunded, ==, 1000);
  g_assert_cmpint (balance.expired, ==, 1000);
  g_assert_cmpint (balance.available, ==, 10000 - 6000 + 2000 - 6000 + 1000 - 1000);

  /* Another period is another balance. */
  g_assert_true (pfdo_ledger_balance (fixture->store, z, "2025/26", &balance, &error));
  g_assert_cmpint (balance.available, ==, 0);

  /* Derived ids are stable and differ by what they are for. */
  {
    g_autofree char *a = pfdo_ledger_derived_id ("e1", "reserve");
    g_autofree char *b = pfdo_ledger_derived_id ("e1", "reserve");
    g_autofree char *c = pfdo_ledger_derived_id ("e1", "charge:2026-10");

    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (a, !=, c);
    g_assert_cmpuint (strlen (a), ==, 36);
  }

  /* The stats agree with the ledger and the registry. */
  g_assert_true (pfdo_stats_load (fixture->store, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.municipalities, ==, 2);
  g_assert_cmpint (stats.children, ==, 1);
  g_assert_cmpint (stats.children_verified, ==, 1);
  g_assert_cmpint (stats.certificates_personified, ==, 1);
  g_assert_cmpint (stats.ledger_entries, ==, 6);
  g_assert_cmpint (stats.granted_kopecks, ==, 10000);
  g_assert_cmpint (stats.available_kopecks, ==, 0);
  g_assert_cmpint (stats.programs, ==, 4);
  g_assert_cmpint (stats.outbox_pending, ==,
                   pfdo_test_count (fixture, "SELECT count(*) FROM outbox"));
}

/* The problems the check reports, each checked to contain @expected (a
 * NULL-terminated list) and nothing else. */
static void
assert_problems (Fixture     *fixture,
                 const char **expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = pfdo_check_run (fixture->store, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("found: %s", (const char *) g_ptr_array_index (problems, i));
  for (; expected[n] != NULL; n++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < problems->len && !found; i++)
        found = strstr (g_ptr_array_index (problems, i), expected[n]) != NULL;
      if (!found)
        g_test_message ("missing: %s", expected[n]);
      g_assert_true (found);
    }
  g_assert_cmpuint (problems->len, ==, n);
}

/* @template with its {names} filled in. */
static char *
fill (const char *template,
      const char *certificate,
      const char *enrollment,
      const char *child,
      const char *over,
      const char *seq)
{
  GString *text = g_string_new (template);

  g_string_replace (text, "{certificate}", certificate, 0);
  g_string_replace (text, "{enrollment}", enrollment, 0);
  g_string_replace (text, "{child}", child, 0);
  g_string_replace (text, "{over}", over, 0);
  g_string_replace (text, "{seq}", seq, 0);
  return g_string_free (text, FALSE);
}

static void
test_each_violation_named (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Иванова", "2014-01-01", TRUE);
  g_autofree char *enrollment = NULL;
  g_autofree char *pending = pfdo_test_register_child (fixture, "Петрова", "Вера", "2013-01-01",
                                                       NULL, "987654");
  g_autoptr(GError) error = NULL;
  gint64 last_seq;
  const struct
  {
    const char *sql;           /* with {certificate}, {enrollment}, {child}, {over}, {seq} */
    const char *expected[4];
  } violations[] = {
    { "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
      "VALUES ('neg', '{certificate}', '2024/25', 'expire', 1, 'now')",
      { "1 certificate balances below zero (for example {certificate})", NULL } },
    { "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
      "VALUES ('ref', '{certificate}', '2026/27', 'refund', 1, 'now')",
      { "1 certificates with more refunded than charged (for example {certificate})", NULL } },
    { "UPDATE child SET verification_status = 'unverified' WHERE id = (SELECT child_id FROM "
      "certificate WHERE id = '{certificate}')",
      { "1 certificates in an active status whose child's data is not verified", NULL } },
    { "UPDATE certificate SET municipality_id = 'm2' WHERE id = '{certificate}'",
      { "1 certificates of another municipality than their child's",
        "1 personified certificates in a municipality without personified financing",
        "1 municipalities with more personified certificates than their quota (for example m2)" } },
    { "UPDATE municipality SET mode = 'accounting_only' WHERE id = 'm1'",
      { "1 personified certificates in a municipality without personified financing", NULL } },
    { "UPDATE municipality SET pf_quota = 0, pf_issued = 0 WHERE id = 'm1'",
      { "1 municipalities with more personified certificates than their quota (for example m1)",
        NULL } },
    { "UPDATE municipality SET pf_issued = 4 WHERE id = 'm1'",
      { "1 municipalities with more personified certificates than their quota", NULL } },
    { "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, enrollment_id, "
      "created_at) VALUES ('over', '{certificate}', '2026/27', 'release', {over}, '{enrollment}', 'now')",
      { "1 enrollments with more released than reserved (for example {enrollment})", NULL } },
    { "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, enrollment_id, "
      "created_at) SELECT 'other', id, '2026/27', 'grant', 1, '{enrollment}', 'now' FROM certificate "
      "WHERE id <> '{certificate}'",
      { "1 ledger entries of an enrollment booked on another certificate (for example other)",
        NULL } },
    { "UPDATE enrollment SET status = 'cancelled' WHERE id = '{enrollment}'",
      { "1 cancelled enrollments that still hold a reservation (for example {enrollment})", NULL } },
    { "UPDATE \"group\" SET enrolled = 0 WHERE id = 'g-cert'",
      { "1 groups whose count of enrolled children is wrong or over capacity (for example g-cert)",
        NULL } },
    { "UPDATE \"group\" SET enrolled = 3 WHERE id = 'g-cert'",
      { "1 groups whose count of enrolled children is wrong or over capacity (for example g-cert)",
        NULL } },
    { "UPDATE child SET verification_decided_at = NULL WHERE verification_status = 'verified'",
      { "verified children without a decision date", NULL } },
    /* The schema lets a rejected child have no reason at all (NULL). */
    { "UPDATE child SET verification_status = 'rejected', verification_reason = NULL "
      "WHERE id = '{child}'",
      { "1 rejected children without a reason (for example {child})", NULL } },
    { "INSERT INTO outbox (op_id, type, at, payload, entity, entity_id) VALUES ('op-ghost', "
      "'certificate.close', 'now', '{}', 'certificate', 'no-such-certificate')",
      { "1 outbox operations whose record does not exist (for example op-ghost)", NULL } },
    { "INSERT INTO outbox (op_id, type, at, payload, entity, entity_id) VALUES ('op-list', "
      "'child.verify', 'now', '[1, 2]', 'child', '{child}')",
      { "1 outbox operations with a payload that is not a JSON object (for example op-list)",
        NULL } },
    { "UPDATE number_block SET used = 6 WHERE id = 'b1'",
      { "1 number blocks that used more numbers than they hold (for example b1)", NULL } },
    /* A record appended behind the store's back: the right link, a made-up
     * hash; and one that links to nothing. */
    { "INSERT INTO audit_log (at, action, entity, record_id, prev_hash, hash) SELECT 'now', "
      "'child.verify', 'child', '{child}', hash, 'forged' FROM audit_log ORDER BY seq DESC LIMIT 1",
      { "the audit log's chain is broken at record {seq}", NULL } },
    { "INSERT INTO audit_log (at, action, entity, record_id, prev_hash, hash) VALUES ('now', "
      "'child.verify', 'child', '{child}', 'forged', 'forged')",
      { "the audit log's chain is broken at record {seq}", NULL } },
    /* A record whose parent is gone, past the foreign keys. */
    { "PRAGMA defer_foreign_keys = ON; INSERT INTO child (id, parent_id, last_name, first_name, "
      "birth_date, sex, municipality_id, created_at) VALUES ('orphan', 'no-such-parent', "
      "'Сидорова', 'Анна', '2014-01-01', 'f', 'm1', 'now')",
      { "PRAGMA foreign_key_check", NULL } },
  };
  g_autofree char *reserved = NULL;
  g_autofree char *next_seq = NULL;

  g_assert_true (pfdo_test_ledger_append (fixture, "grant", z, "2026/27", PFDO_LEDGER_GRANT,
                                          PFDO_TEST_NOMINAL, NULL, NULL, &error));
  g_assert_true (pfdo_enrollment_create (fixture->store, z, "g-cert", 9, &enrollment, &error));
  g_assert_no_error (error);
  /* A second certificate, so that one can be booked on the wrong one. */
  g_free (pfdo_test_active_certificate (fixture, "Орлова", "2014-01-01", FALSE));
  reserved = g_strdup_printf ("%d", 9 * PFDO_TEST_MONTHLY + 1);
  last_seq = pfdo_test_count (fixture, "SELECT max (seq) FROM audit_log");
  next_seq = g_strdup_printf ("%" G_GINT64_FORMAT, last_seq + 1);

  {
    const char *none[] = { NULL };

    assert_problems (fixture, none);
  }

  for (guint i = 0; i < G_N_ELEMENTS (violations); i++)
    {
      g_autofree char *sql = NULL;
      const char *expected[G_N_ELEMENTS (violations[i].expected)] = { NULL };
      g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

      g_test_message ("violation %u", i);
      sql = fill (violations[i].sql, z, enrollment, pending, reserved, next_seq);
      for (guint j = 0; violations[i].expected[j] != NULL; j++)
        {
          char *text = fill (violations[i].expected[j], z, enrollment, pending, reserved,
                             next_seq);

          g_ptr_array_add (owned, text);
          expected[j] = text;
        }

      g_assert_true (pfdo_store_exec (fixture->store, "SAVEPOINT planted", &error));
      g_assert_true (pfdo_store_exec (fixture->store, sql, &error));
      g_assert_no_error (error);
      assert_problems (fixture, expected);
      g_assert_true (pfdo_store_exec (fixture->store, "ROLLBACK TO planted; RELEASE planted",
                                      &error));
      g_assert_no_error (error);
    }

  {
    const char *none[] = { NULL };

    assert_problems (fixture, none);
  }
}

/* What the schema refuses outright need not be checked for. */
static void
test_schema_refuses (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Иванова", "2014-01-01", TRUE);
  g_autofree char *counts = pfdo_test_row_counts (fixture);
  g_autofree char *after = NULL;
  const char *refused[] = {
    /* A second certificate for a child, even a closed first one. */
    "INSERT INTO certificate (id, number, child_id, municipality_id, issued_at) SELECT 'z2', "
    "'9999999999', child_id, municipality_id, 'now' FROM certificate WHERE id = '%s'",
    /* A number issued twice. */
    "INSERT INTO certificate (id, number, child_id, municipality_id, issued_at) SELECT 'z3', "
    "number, 'x', municipality_id, 'now' FROM certificate WHERE id = '%s'",
    /* Closed without a date. */
    "UPDATE certificate SET status = 'closed', closed_at = NULL WHERE id = '%s'",
    /* Rejected with an empty reason. */
    "UPDATE child SET verification_status = 'rejected', verification_reason = '' WHERE id = "
    "(SELECT child_id FROM certificate WHERE id = '%s')",
    /* A status, a kind, an amount that do not exist. */
    "UPDATE certificate SET status = 'lost' WHERE id = '%s'",
    "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
    "VALUES ('x', '%s', '2026/27', 'payout', 1, 'now')",
    "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
    "VALUES ('x', '%s', '2026/27', 'grant', -1, 'now')",
    /* A group fuller than empty, a quota below zero. */
    "UPDATE \"group\" SET enrolled = -1 WHERE id = 'g-cert' AND '%s' <> ''",
    "UPDATE municipality SET pf_issued = -1 WHERE id = 'm1' AND '%s' <> ''",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = g_strdup_printf (refused[i], z);

      g_test_message ("%s", sql);
      g_assert_false (pfdo_store_exec (fixture->store, sql, &error));
      g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
    }
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, counts);
  g_assert_cmpuint (count_problems (fixture), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/check/finds-each-violation", test_finds_each_violation);
  TEST ("/check/append-only", test_append_only);
  TEST ("/check/ledger-rules-and-stats", test_ledger_rules);
  TEST ("/check/each-violation-named", test_each_violation_named);
  TEST ("/check/schema-refuses", test_schema_refuses);

  return g_test_run ();
}
