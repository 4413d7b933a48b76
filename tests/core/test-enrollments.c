/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

static void
grant (Fixture    *fixture,
       const char *certificate_id,
       gint64      amount)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO ledger_entry (id, certificate_id, period, "
                                          "kind, amount_kopecks, created_at) VALUES ('g-%s', "
                                          "'%s', '2026/27', 'grant', %" G_GINT64_FORMAT ", 'now')",
                                          certificate_id, certificate_id, amount);

  g_assert_true (pfdo_store_exec (fixture->store, sql, &error));
  g_assert_no_error (error);
}

static PfdoBalance
balance_of (Fixture    *fixture,
            const char *certificate_id)
{
  g_autoptr(GError) error = NULL;
  PfdoBalance balance;

  g_assert_true (pfdo_ledger_balance (fixture->store, certificate_id, "2026/27", &balance,
                                      &error));
  g_assert_no_error (error);
  return balance;
}

static gboolean
charge_two_months (PfdoStore *store,
                   gpointer   user_data,
                   GError   **error)
{
  return pfdo_ledger_charge_reserved (store, user_data, "2026-09", PFDO_TEST_MONTHLY, error) &&
         pfdo_ledger_charge_reserved (store, user_data, "2026-10", PFDO_TEST_MONTHLY, error) &&
         /* A replayed month changes nothing. */
         pfdo_ledger_charge_reserved (store, user_data, "2026-10", PFDO_TEST_MONTHLY, error);
}

static void
test_monthly_cost (void)
{
  g_assert_cmpint (pfdo_program_monthly_kopecks (10000, 72, 9), ==, PFDO_TEST_MONTHLY);
  g_assert_cmpint (pfdo_program_monthly_kopecks (0, 72, 9), ==, 0);
  g_assert_cmpint (pfdo_program_monthly_kopecks (10000, 72, 0), ==, 0);
}

static void
test_create_and_cancel (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *certificate = pfdo_test_active_certificate (fixture, "Иванова", "2014-05-05",
                                                               TRUE);
  g_autofree char *enrollment = NULL;
  g_autoptr(GError) error = NULL;
  PfdoBalance balance;

  grant (fixture, certificate, PFDO_TEST_NOMINAL);

  /* A certified program reserves months × monthly cost. */
  g_assert_true (pfdo_enrollment_create (fixture->store, certificate, "g-cert", 9, &enrollment,
                                         &error));
  g_assert_no_error (error);
  balance = balance_of (fixture, certificate);
  g_assert_cmpint (balance.reserved, ==, 9 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (balance.available, ==, PFDO_TEST_NOMINAL - 9 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, enrollment, NULL), ==,
                   9 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT enrolled FROM \"group\" WHERE id = 'g-cert'"),
                   ==, 1);

  /* Two months are taught and charged; a cancel releases the rest. */
  g_assert_true (pfdo_store_write (fixture->store, charge_two_months, enrollment, &error));
  g_assert_no_error (error);

  pfdo_test_as (fixture, "op-staff");
  g_assert_false (pfdo_enrollment_cancel (fixture->store, enrollment, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  pfdo_test_as (fixture, "op-clerk");

  g_assert_true (pfdo_enrollment_cancel (fixture->store, enrollment, &error));
  g_assert_no_error (error);
  balance = balance_of (fixture, certificate);
  g_assert_cmpint (balance.charged, ==, 2 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (balance.reserved - balance.released, ==, 0);
  g_assert_cmpint (balance.available, ==, PFDO_TEST_NOMINAL - 2 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT enrolled FROM \"group\" WHERE id = 'g-cert'"),
                   ==, 0);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type IN "
                                             "('enrollment.create', 'enrollment.cancel')"), ==, 2);

  g_assert_false (pfdo_enrollment_cancel (fixture->store, enrollment, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *poor = pfdo_test_active_certificate (fixture, "Петрова", "2014-05-05", TRUE);
  g_autofree char *young = pfdo_test_active_certificate (fixture, "Сидорова", "2014-05-05", TRUE);
  g_autofree char *accounting = pfdo_test_active_certificate (fixture, "Орлова", "2014-05-05",
                                                              FALSE);
  g_autofree char *rich = pfdo_test_active_certificate (fixture, "Зайцева", "2014-05-05", TRUE);
  g_autofree char *before = NULL;
  const struct
  {
    const char *certificate;
    const char *group;
    guint       months;
    int         code;
  } cases[] = {
    /* 9 months × 800 ₽ = 7 200 ₽, the grant is 5 000 ₽. */
    { poor, "g-cert", 9, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE },
    { young, "g-teen", 9, PFDO_DOMAIN_ERROR_AGE_OUT_OF_RANGE },
    { accounting, "g-cert", 9, PFDO_DOMAIN_ERROR_NOT_PAYABLE },
    { rich, "g-closed", 9, PFDO_DOMAIN_ERROR_ENROLLMENT_CLOSED },
    { rich, "no-such-group", 9, PFDO_DOMAIN_ERROR_NOT_FOUND },
  };

  grant (fixture, poor, 500000);
  grant (fixture, young, PFDO_TEST_NOMINAL);
  grant (fixture, rich, 10 * PFDO_TEST_NOMINAL);
  before = pfdo_test_row_counts (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_assert_false (pfdo_enrollment_create (fixture->store, cases[i].certificate, cases[i].group,
                                              cases[i].months, NULL, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, cases[i].code);
      after = pfdo_test_row_counts (fixture);
      g_assert_cmpstr (after, ==, before);
    }

  /* A budget program takes an accounting certificate, and reserves nothing. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (pfdo_enrollment_create (fixture->store, accounting, "g-budget", 9, NULL,
                                           &error));
    g_assert_no_error (error);
    g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM ledger_entry WHERE kind = "
                                               "'reserve'"), ==, 0);
  }

  /* The group has two places. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *full = NULL;
    g_autofree char *after = NULL;

    g_assert_true (pfdo_enrollment_create (fixture->store, rich, "g-cert", 1, NULL, &error));
    g_assert_true (pfdo_enrollment_create (fixture->store, young, "g-cert", 1, NULL, &error));
    g_assert_no_error (error);
    full = pfdo_test_row_counts (fixture);
    g_assert_false (pfdo_enrollment_create (fixture->store, rich, "g-cert", 1, NULL, &error));
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_PLACES);
    after = pfdo_test_row_counts (fixture);
    g_assert_cmpstr (after, ==, full);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/enrollments/monthly-cost", test_monthly_cost);
  TEST ("/enrollments/create-and-cancel", test_create_and_cancel);
  TEST ("/enrollments/refusals", test_refusals);

  return g_test_run ();
}
