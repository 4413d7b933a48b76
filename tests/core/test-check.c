/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store check, the stats and the ledger's own rules on a real store. */
#include "config.h"

#include <locale.h>

#include "pfdo-check.h"
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

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/check/finds-each-violation", test_finds_each_violation);
  TEST ("/check/append-only", test_append_only);
  TEST ("/check/ledger-rules-and-stats", test_ledger_rules);

  return g_test_run ();
}
