/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ledger against a reference model: many random sequences of grants,
 * reserves, releases, charges, refunds, expiries, enrollments, cancels and
 * replays. After every step the core's balance must equal the model's and
 * never go below zero, and what each enrollment holds must equal the
 * model's; the ledger invariants of pfdo-check run after every sequence
 * for its certificate, and the whole store check every 1 000 sequences and
 * at the end.
 *
 * PFDO_TEST_SEED replays a run; PFDO_LEDGER_SEQUENCES sets how many.
 */
#include "config.h"

#include <locale.h>

#include "pfdo-check.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-test-fixture.h"

#define PERIOD_ENROLLED "2026/27"
#define PERIOD_OTHER    "2025/26"
#define STEPS           12

typedef struct
{
  gint64 granted, reserved, released, charged, refunded, expired;
  gint64 unassigned;   /* still held by reserves of no enrollment */
} Model;

typedef struct
{
  char   *id;
  gint64  reserved;    /* what the enrollment reserved, less what it released */
  gboolean open;
} ModelEnrollment;

typedef struct
{
  PfdoStore      *store;
  GRand          *rand;
  char           *certificate;
  Model           periods[2];
  GPtrArray      *enrollments;
  GPtrArray      *entry_ids;  /* appended entries, for replays */
  guint           refused;
  guint           applied;
} Run;

static gint64
available (const Model *m)
{
  return m->granted - m->reserved + m->released - m->charged + m->refunded - m->expired;
}

static void
model_enrollment_free (gpointer data)
{
  ModelEnrollment *e = data;

  g_free (e->id);
  g_free (e);
}

typedef struct
{
  Run            *run;
  PfdoLedgerKind  kind;
  const char     *period;
  gint64          amount;
  const char     *entry_id;
  const char     *enrollment_id;
  const char     *month;
} Step;

static gboolean
append_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  Step *step = user_data;

  if (step->month != NULL)
    return pfdo_ledger_charge_reserved (store, step->enrollment_id, step->month, step->amount,
                                        error);
  return pfdo_ledger_append (store, step->entry_id, step->run->certificate, step->period,
                             step->kind, step->amount, step->enrollment_id, NULL, error);
}

static void
check_balances (Run *run)
{
  for (guint p = 0; p < 2; p++)
    {
      g_autoptr(GError) error = NULL;
      const Model *m = &run->periods[p];
      PfdoBalance b;

      g_assert_true (pfdo_ledger_balance (run->store, run->certificate,
                                          p == 0 ? PERIOD_ENROLLED : PERIOD_OTHER, &b, &error));
      g_assert_no_error (error);
      g_assert_cmpint (b.granted, ==, m->granted);
      g_assert_cmpint (b.reserved, ==, m->reserved);
      g_assert_cmpint (b.released, ==, m->released);
      g_assert_cmpint (b.charged, ==, m->charged);
      g_assert_cmpint (b.refunded, ==, m->refunded);
      g_assert_cmpint (b.expired, ==, m->expired);
      g_assert_cmpint (b.available, ==, available (m));
      g_assert_cmpint (b.available, >=, 0);
    }

  /* What each enrollment still holds, to the kopeck. */
  for (guint i = 0; i < run->enrollments->len; i++)
    {
      g_autoptr(GError) error = NULL;
      ModelEnrollment *e = g_ptr_array_index (run->enrollments, i);

      g_assert_cmpint (pfdo_ledger_reserved_for (run->store, e->id, &error), ==, e->reserved);
      g_assert_no_error (error);
    }
}

/* pfdo-check's ledger invariants, for one certificate: cheap enough to run
 * after every sequence, where the whole check runs every so often. */
static void
check_ledger_invariants (Run *run)
{
  g_autoptr(GError) error = NULL;
  gint64 broken;

  broken = pfdo_store_query_int (
    run->store,
    "SELECT (SELECT count(*) FROM (SELECT period, "
    "   sum (CASE kind WHEN 'grant' THEN amount_kopecks WHEN 'refund' THEN amount_kopecks "
    "        WHEN 'release' THEN amount_kopecks ELSE -amount_kopecks END) AS available, "
    "   sum (CASE kind WHEN 'charge' THEN amount_kopecks ELSE 0 END) AS charged, "
    "   sum (CASE kind WHEN 'refund' THEN amount_kopecks ELSE 0 END) AS refunded "
    "   FROM ledger_entry WHERE certificate_id = ?1 GROUP BY period) "
    "  WHERE available < 0 OR refunded > charged) "
    "+ (SELECT count(*) FROM (SELECT enrollment_id, "
    "   sum (CASE kind WHEN 'reserve' THEN amount_kopecks WHEN 'release' THEN -amount_kopecks "
    "        ELSE 0 END) AS reserved FROM ledger_entry "
    "   WHERE certificate_id = ?1 AND enrollment_id IS NOT NULL GROUP BY enrollment_id, period) "
    "  WHERE reserved < 0) "
    "+ (SELECT count(*) FROM enrollment e WHERE e.certificate_id = ?1 AND e.status = 'cancelled' "
    "   AND (SELECT coalesce (sum (CASE kind WHEN 'reserve' THEN amount_kopecks "
    "        WHEN 'release' THEN -amount_kopecks ELSE 0 END), 0) FROM ledger_entry "
    "        WHERE enrollment_id = e.id) > 0) "
    "+ (SELECT count(*) FROM ledger_entry l JOIN enrollment e ON e.id = l.enrollment_id "
    "   WHERE l.certificate_id = ?1 AND e.certificate_id IS NOT ?1) "
    "+ (SELECT count(*) FROM enrollment e JOIN ledger_entry l ON l.enrollment_id = e.id "
    "   WHERE e.certificate_id = ?1 AND l.certificate_id IS NOT ?1)",
    run->certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpint (broken, ==, 0);
}

/* One random direct ledger entry; the model decides what must happen. */
static void
random_entry (Run *run)
{
  guint p = g_rand_int_range (run->rand, 0, 2);
  Model *m = &run->periods[p];
  PfdoLedgerKind kind = g_rand_int_range (run->rand, PFDO_LEDGER_GRANT, PFDO_LEDGER_EXPIRE + 1);
  gint64 amount = g_rand_int_range (run->rand, 0, 12) == 0
                    ? -g_rand_int_range (run->rand, 0, 3)
                    : g_rand_int_range (run->rand, 1, kind == PFDO_LEDGER_GRANT ? 2000000 : 300000);
  g_autofree char *entry_id = g_strdup_printf ("e-%08x%08x", g_rand_int (run->rand),
                                               g_rand_int (run->rand));
  Step step = { run, kind, p == 0 ? PERIOD_ENROLLED : PERIOD_OTHER, amount, entry_id, NULL,
                NULL };
  g_autoptr(GError) error = NULL;
  int expected = -1;
  gboolean ok;

  if (amount <= 0)
    expected = PFDO_DOMAIN_ERROR_INVALID_AMOUNT;
  else
    switch (kind)
      {
      case PFDO_LEDGER_GRANT:
        break;
      case PFDO_LEDGER_RESERVE:
      case PFDO_LEDGER_CHARGE:
      case PFDO_LEDGER_EXPIRE:
        if (amount > available (m))
          expected = PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE;
        break;
      case PFDO_LEDGER_RELEASE:
        /* Without an enrollment only what such reserves hold is freed. */
        if (amount > m->unassigned)
          expected = PFDO_DOMAIN_ERROR_OVER_RELEASE;
        break;
      case PFDO_LEDGER_REFUND:
        if (amount > m->charged - m->refunded)
          expected = PFDO_DOMAIN_ERROR_OVER_REFUND;
        break;
      default:
        g_assert_not_reached ();
      }

  ok = pfdo_store_write (run->store, append_cb, &step, &error);
  if (expected >= 0)
    {
      g_assert_false (ok);
      g_assert_error (error, PFDO_DOMAIN_ERROR, expected);
      run->refused++;
      return;
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  run->applied++;
  g_ptr_array_add (run->entry_ids, g_steal_pointer (&entry_id));

  switch (kind)
    {
    case PFDO_LEDGER_GRANT: m->granted += amount; break;
    case PFDO_LEDGER_RESERVE: m->reserved += amount; m->unassigned += amount; break;
    case PFDO_LEDGER_RELEASE: m->released += amount; m->unassigned -= amount; break;
    case PFDO_LEDGER_CHARGE: m->charged += amount; break;
    case PFDO_LEDGER_REFUND: m->refunded += amount; break;
    case PFDO_LEDGER_EXPIRE: m->expired += amount; break;
    default: g_assert_not_reached ();
    }
}

static void
random_replay (Run *run)
{
  g_autoptr(GError) error = NULL;
  const char *entry_id;
  Step step = { run, PFDO_LEDGER_EXPIRE, PERIOD_OTHER, 999999999, NULL, NULL, NULL };

  if (run->entry_ids->len == 0)
    return;
  /* A replay of an entry already in the ledger is harmless whatever it
   * carries: here an expiry far larger than any balance. */
  entry_id = g_ptr_array_index (run->entry_ids,
                                g_rand_int_range (run->rand, 0, (gint32) run->entry_ids->len));
  step.entry_id = entry_id;
  g_assert_true (pfdo_store_write (run->store, append_cb, &step, &error));
  g_assert_no_error (error);
}

static void
random_enroll (Run *run)
{
  Model *m = &run->periods[0];
  guint months = (guint) g_rand_int_range (run->rand, 1, 10);
  gint64 cost = months * PFDO_TEST_MONTHLY;
  g_autoptr(GError) error = NULL;
  char *enrollment_id = NULL;
  gboolean ok = pfdo_enrollment_create (run->store, run->certificate, "g-random", months,
                                        &enrollment_id, &error);

  if (cost > available (m))
    {
      g_assert_false (ok);
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE);
      run->refused++;
    }
  else
    {
      ModelEnrollment *e = g_new0 (ModelEnrollment, 1);

      g_assert_no_error (error);
      g_assert_true (ok);
      e->id = enrollment_id;
      e->reserved = cost;
      e->open = TRUE;
      g_ptr_array_add (run->enrollments, e);
      m->reserved += cost;
      run->applied++;
    }
}

static void
random_enrollment_step (Run *run)
{
  ModelEnrollment *e;
  Model *m = &run->periods[0];
  g_autoptr(GError) error = NULL;

  if (run->enrollments->len == 0)
    {
      random_enroll (run);
      return;
    }
  e = g_ptr_array_index (run->enrollments,
                         g_rand_int_range (run->rand, 0, (gint32) run->enrollments->len));

  if (g_rand_boolean (run->rand))
    {
      /* A month's charge of the reservation: allowed up to what is left. */
      static const char *months[] = { "2026-09", "2026-10", "2026-11", "2026-12" };
      const char *month = months[g_rand_int_range (run->rand, 0, G_N_ELEMENTS (months))];
      g_autofree char *charge_id = NULL;
      gint64 amount = g_rand_int_range (run->rand, 1, 2 * PFDO_TEST_MONTHLY);
      Step step = { run, PFDO_LEDGER_CHARGE, PERIOD_ENROLLED, amount, NULL, e->id, month };
      g_autofree char *what = g_strconcat ("charge:", month, NULL);
      gint64 exists;
      gboolean ok;

      charge_id = pfdo_ledger_derived_id (e->id, what);
      exists = pfdo_store_query_int (run->store, "SELECT count(*) FROM ledger_entry WHERE id = ?",
                                     charge_id, &error);
      g_assert_no_error (error);
      ok = pfdo_store_write (run->store, append_cb, &step, &error);

      if (exists > 0)
        {
          /* The month was charged already: a replay changes nothing. */
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else if (amount > e->reserved)
        {
          g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
          run->refused++;
        }
      else
        {
          g_assert_no_error (error);
          e->reserved -= amount;
          m->released += amount;
          m->charged += amount;
          run->applied++;
        }
    }
  else
    {
      gboolean ok = pfdo_enrollment_cancel (run->store, e->id, &error);

      if (!e->open)
        {
          g_assert_false (ok);
          g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
          run->refused++;
        }
      else
        {
          g_assert_no_error (error);
          m->released += e->reserved;
          e->reserved = 0;
          e->open = FALSE;
          run->applied++;
        }
    }
}

/* A release of an enrollment's reservation, written directly: at most what
 * the enrollment still holds on this certificate in its own period. */
static void
random_enrollment_release (Run *run)
{
  ModelEnrollment *e;
  guint p = g_rand_int_range (run->rand, 0, 4) == 0 ? 1 : 0;
  Model *m = &run->periods[p];
  g_autofree char *entry_id = g_strdup_printf ("r-%08x%08x", g_rand_int (run->rand),
                                               g_rand_int (run->rand));
  gint64 amount;
  Step step = { run, PFDO_LEDGER_RELEASE, p == 0 ? PERIOD_ENROLLED : PERIOD_OTHER, 0, NULL, NULL,
                NULL };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (run->enrollments->len == 0)
    {
      random_enroll (run);
      return;
    }
  e = g_ptr_array_index (run->enrollments,
                         g_rand_int_range (run->rand, 0, (gint32) run->enrollments->len));
  /* In the other period, aim at what reserves of no enrollment hold there:
   * an enrollment's release must not free those either. */
  if (p != 0 && m->unassigned > 0 && g_rand_boolean (run->rand))
    amount = g_rand_int_range (run->rand, 1, (gint32) MIN (m->unassigned + 1, G_MAXINT32));
  else
    amount = g_rand_int_range (run->rand, 1, (gint32) MIN (2 * e->reserved + 2, G_MAXINT32));
  step.amount = amount;
  step.entry_id = entry_id;
  step.enrollment_id = e->id;

  ok = pfdo_store_write (run->store, append_cb, &step, &error);
  /* The enrollment's money is in the enrolled period only. */
  if (p != 0 || amount > e->reserved)
    {
      g_assert_false (ok);
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_OVER_RELEASE);
      run->refused++;
      return;
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  e->reserved -= amount;
  m->released += amount;
  run->applied++;
  g_ptr_array_add (run->entry_ids, g_steal_pointer (&entry_id));
}

/* A personified certificate of a verified child, as the server sent it. */
static char *
new_certificate (PfdoStore *store,
                 guint      n)
{
  g_autoptr(GError) error = NULL;
  char *id = g_strdup_printf ("z-%u", n);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO parent (id, last_name, first_name, municipality_id, created_at) "
    "VALUES ('p-%u', 'Иванова', 'Ольга', 'm1', 'now');"
    "INSERT INTO child (id, parent_id, last_name, first_name, birth_date, sex, municipality_id, "
    "verification_status, verification_decided_at, created_at) VALUES ('c-%u', 'p-%u', "
    "'Иванова', 'Анна', '2015-03-07', 'f', 'm1', 'verified', 'now', 'now');"
    "INSERT INTO certificate (id, number, child_id, municipality_id, status, issued_at) "
    "VALUES ('%s', 'n-%u', 'c-%u', 'm1', 'personified', 'now');",
    n, n, n, id, n, n);

  g_assert_true (pfdo_store_exec (store, sql, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_random (PfdoTestFixture *fixture,
             gconstpointer    data)
{
  const char *seed_env = g_getenv ("PFDO_TEST_SEED");
  const char *n_env = g_getenv ("PFDO_LEDGER_SEQUENCES");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10)
                                  : (guint32) g_get_real_time ();
  guint sequences = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 10000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  guint applied = 0, refused = 0;

  g_print ("# seed: %u (replay with PFDO_TEST_SEED=%u)\n", seed, seed);

  /* The rules are under test here, not durability: no fsync per step. */
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "PRAGMA synchronous = OFF;"
                                  "UPDATE municipality SET pf_quota = 1000000 WHERE id = 'm1';"
                                  "INSERT INTO \"group\" (id, program_id, name, capacity, "
                                  "starts_on) VALUES ('g-random', 'pr-cert', 'Группа', 1000000000, "
                                  "'2026-09-01')",
                                  &error));
  g_assert_no_error (error);
  pfdo_test_as (fixture, "op-clerk");

  for (guint s = 0; s < sequences; s++)
    {
      Run run = { 0 };

      run.store = fixture->store;
      run.rand = rand;
      run.certificate = new_certificate (fixture->store, s);
      run.enrollments = g_ptr_array_new_with_free_func (model_enrollment_free);
      run.entry_ids = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < STEPS; i++)
        {
          /* Most certificates start the period with their nominal. */
          /* Some also carry money, and a reserve, from the period before. */
          if (i == 0 && g_rand_int_range (rand, 0, 4) == 0)
            {
              Step grant = { &run, PFDO_LEDGER_GRANT, PERIOD_OTHER, 500000, NULL, NULL, NULL };
              Step reserve = { &run, PFDO_LEDGER_RESERVE, PERIOD_OTHER, 200000, NULL, NULL, NULL };

              g_assert_true (pfdo_store_write (fixture->store, append_cb, &grant, &error));
              g_assert_true (pfdo_store_write (fixture->store, append_cb, &reserve, &error));
              g_assert_no_error (error);
              run.periods[1].granted += 500000;
              run.periods[1].reserved += 200000;
              run.periods[1].unassigned += 200000;
            }
          if (i == 0 && g_rand_int_range (rand, 0, 10) < 8)
            {
              Step step = { &run, PFDO_LEDGER_GRANT, PERIOD_ENROLLED, PFDO_TEST_NOMINAL, NULL, NULL,
                            NULL };

              g_assert_true (pfdo_store_write (fixture->store, append_cb, &step, &error));
              g_assert_no_error (error);
              run.periods[0].granted += PFDO_TEST_NOMINAL;
              continue;
            }
          switch (g_rand_int_range (rand, 0, 11))
            {
            case 0:
            case 1:
            case 2:
            case 3:
              random_entry (&run);
              break;
            case 4:
              random_replay (&run);
              break;
            case 5:
              random_enroll (&run);
              break;
            case 6:
              random_enrollment_release (&run);
              break;
            default:
              random_enrollment_step (&run);
              break;
            }
          check_balances (&run);
        }
      check_ledger_invariants (&run);

      applied += run.applied;
      refused += run.refused;
      g_free (run.certificate);
      g_ptr_array_unref (run.enrollments);
      g_ptr_array_unref (run.entry_ids);

      if ((s + 1) % 1000 == 0 || s + 1 == sequences)
        {
          g_autoptr(GPtrArray) problems = pfdo_check_run (fixture->store, &error);

          g_assert_no_error (error);
          for (guint i = 0; i < problems->len; i++)
            g_printerr ("seed %u, sequence %u: %s\n", seed, s,
                        (const char *) g_ptr_array_index (problems, i));
          g_assert_cmpuint (problems->len, ==, 0);
        }
    }

  g_print ("# %u sequences: %u steps applied, %u refused as the model expected\n", sequences,
           applied, refused);
  /* Both kinds of outcome happened, or the test proved little. */
  g_assert_cmpuint (applied, >, sequences);
  g_assert_cmpuint (refused, >, sequences / 4);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ledger/random", PfdoTestFixture, NULL, pfdo_test_fixture_set_up, test_random,
              pfdo_test_fixture_tear_down);

  return g_test_run ();
}
