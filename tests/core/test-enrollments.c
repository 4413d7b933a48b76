/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-certificates.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-test-fixture.h"
#include "pfdo-validate.h"

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

static void
exec_ok (Fixture    *fixture,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_exec (fixture->store, sql, &error));
  g_assert_no_error (error);
}

/* The age counts on the day the group starts, not today. */
static void
test_age_on_group_start (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *starts = pfdo_test_date_from_today (1, 0);
  g_autofree char *sql = NULL;
  struct
  {
    int         years, days;     /* birth date: the group's start moved by these */
    const char *group;
    gboolean    fits;
  } cases[] = {
    { -14, 0, "g-teen14", TRUE },    /* 14 on the first day */
    { -14, 1, "g-teen14", FALSE },   /* 14 the day after */
    { -11, 1, "g-young", TRUE },     /* 10 on the first day */
    { -11, 0, "g-young", FALSE },    /* 11 on the first day */
    { -5, 0, "g-young", TRUE },      /* 5 on the first day */
    { -5, 1, "g-young", FALSE },     /* 4 on the first day */
  };

  sql = g_strdup_printf ("INSERT INTO program (id, provider_id, municipality_id, title, direction, "
                         "age_min, age_max, funding, months) VALUES "
                         "('pr-teen14', 'p1', 'm1', 'Дебаты', 'social', 14, 17, 'budget', 9), "
                         "('pr-young', 'p1', 'm1', 'Лепка', 'arts', 5, 10, 'budget', 9);"
                         "INSERT INTO \"group\" (id, program_id, name, capacity, starts_on) VALUES "
                         "('g-teen14', 'pr-teen14', 'Группа', 100, '%s'), "
                         "('g-young', 'pr-young', 'Группа', 100, '%s')",
                         starts, starts);
  exec_ok (fixture, sql);
  exec_ok (fixture, "INSERT INTO number_block (id, device_id, first, last) SELECT 'b-more', "
                    "value, '0000100000', '0000100999' FROM sync_state WHERE key = 'device_id'");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *birth = NULL;
      g_autofree char *certificate = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      GDate start, date;
      gboolean ok;

      /* The group starts a year from today: birth = start + years + days. */
      g_date_clear (&start, 1);
      g_assert_true (pfdo_date_parse (starts, &start, NULL));
      date = start;
      if (cases[i].years < 0)
        g_date_subtract_years (&date, -cases[i].years);
      g_date_add_days (&date, cases[i].days);
      birth = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                               g_date_get_day (&date));
      /* Children of 4 cannot be registered at all: make the child a
       * year older for the register, then put the real birth date back. */
      certificate = pfdo_test_active_certificate (fixture, "Яковлева", "2014-01-01", FALSE);
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("UPDATE child SET birth_date = '%s' WHERE id = (SELECT child_id FROM "
                             "certificate WHERE id = '%s')", birth, certificate);
      exec_ok (fixture, sql);

      g_test_message ("case %u: %s in %s", i, birth, cases[i].group);
      before = pfdo_test_row_counts (fixture);
      ok = pfdo_enrollment_create (fixture->store, certificate, cases[i].group, 0, NULL, &error);
      after = pfdo_test_row_counts (fixture);
      if (cases[i].fits)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_AGE_OUT_OF_RANGE);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_places (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *a = pfdo_test_active_certificate (fixture, "Антонова", "2014-05-05", FALSE);
  g_autofree char *b = pfdo_test_active_certificate (fixture, "Белова", "2014-05-05", FALSE);
  g_autofree char *c = pfdo_test_active_certificate (fixture, "Волкова", "2014-05-05", FALSE);
  g_autofree char *first = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  exec_ok (fixture, "INSERT INTO \"group\" (id, program_id, name, capacity, starts_on) VALUES "
                    "('g-two', 'pr-budget', 'Малая', 2, '2026-09-01'), "
                    "('g-none', 'pr-budget', 'Пустая', 0, '2026-09-01')");

  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_enrollment_create (fixture->store, a, "g-none", 1, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_PLACES);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  g_assert_true (pfdo_enrollment_create (fixture->store, a, "g-two", 1, &first, &error));
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT enrolled FROM \"group\" WHERE id = 'g-two'"),
                   ==, 1);
  g_assert_true (pfdo_enrollment_create (fixture->store, b, "g-two", 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT enrolled FROM \"group\" WHERE id = 'g-two'"),
                   ==, 2);

  g_clear_pointer (&before, g_free);
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_enrollment_create (fixture->store, c, "g-two", 1, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_PLACES);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* A cancelled enrollment frees its place. */
  g_assert_true (pfdo_enrollment_cancel (fixture->store, first, &error));
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT enrolled FROM \"group\" WHERE id = 'g-two'"),
                   ==, 1);
  g_assert_true (pfdo_enrollment_create (fixture->store, c, "g-two", 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT enrolled FROM \"group\" WHERE id = 'g-two'"),
                   ==, 2);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM enrollment WHERE group_id = "
                                             "'g-two' AND status = 'active'"), ==, 2);
}

static void
test_what_can_pay (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *accounting = pfdo_test_active_certificate (fixture, "Антонова", "2014-05-05",
                                                              FALSE);
  g_autofree char *personified = pfdo_test_active_certificate (fixture, "Белова", "2014-05-05",
                                                               TRUE);
  g_autofree char *frozen = pfdo_test_active_certificate (fixture, "Волкова", "2014-05-05", TRUE);
  g_autofree char *closed = pfdo_test_active_certificate (fixture, "Глебова", "2014-05-05", FALSE);
  g_autofree char *issued = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  struct
  {
    const char *certificate;
    const char *group;
    int         code;   /* -1: enrolled */
  } cases[] = {
    /* A certified program needs a personified certificate. */
    { accounting, "g-cert", PFDO_DOMAIN_ERROR_NOT_PAYABLE },
    { NULL /* issued */, "g-cert", PFDO_DOMAIN_ERROR_NOT_PAYABLE },
    { frozen, "g-cert", PFDO_DOMAIN_ERROR_NOT_PAYABLE },
    /* Any program needs an active certificate. */
    { NULL /* issued */, "g-budget", PFDO_DOMAIN_ERROR_INVALID_STATE },
    { frozen, "g-budget", PFDO_DOMAIN_ERROR_INVALID_STATE },
    { closed, "g-budget", PFDO_DOMAIN_ERROR_INVALID_STATE },
    { closed, "g-paid", PFDO_DOMAIN_ERROR_INVALID_STATE },
    /* Closed or inactive programs take nobody. */
    { personified, "g-closed", PFDO_DOMAIN_ERROR_ENROLLMENT_CLOSED },
    { accounting, "g-inactive", PFDO_DOMAIN_ERROR_ENROLLMENT_CLOSED },
    { "no-such-certificate", "g-budget", PFDO_DOMAIN_ERROR_NOT_FOUND },
    { accounting, "no-such-group", PFDO_DOMAIN_ERROR_NOT_FOUND },
    /* What is allowed: budget and paid programs with either status. */
    { accounting, "g-budget", -1 },
    { personified, "g-budget", -1 },
    { accounting, "g-paid", -1 },
  };

  {
    g_autofree char *snils = pfdo_test_child_snils (4242);
    g_autofree char *child = pfdo_test_register_child (fixture, "Дёмина", "Анна", "2014-05-05",
                                                       snils, "424242");

    g_assert_true (pfdo_certificate_issue (fixture->store, child, &issued, NULL, &error));
    g_assert_no_error (error);
  }
  cases[1].certificate = issued;
  cases[3].certificate = issued;
  exec_ok (fixture, "INSERT INTO program (id, provider_id, municipality_id, title, direction, "
                    "age_min, age_max, funding, months, hour_price_kopecks, hours_total, "
                    "is_active) VALUES "
                    "('pr-paid', 'p1', 'm1', 'Английский', 'social', 5, 17, 'paid', 9, 30000, 72, 1), "
                    "('pr-inactive', 'p1', 'm1', 'Гитара', 'arts', 5, 17, 'budget', 9, 0, 72, 0);"
                    "INSERT INTO \"group\" (id, program_id, name, capacity, starts_on) VALUES "
                    "('g-paid', 'pr-paid', 'Группа', 10, '2026-09-01'), "
                    "('g-inactive', 'pr-inactive', 'Группа', 10, '2026-09-01')");
  g_assert_true (pfdo_test_ledger_append (fixture, "grant-p", personified, "2026/27",
                                          PFDO_LEDGER_GRANT, PFDO_TEST_NOMINAL, NULL, NULL,
                                          &error));
  g_assert_true (pfdo_test_ledger_append (fixture, "grant-f", frozen, "2026/27",
                                          PFDO_LEDGER_GRANT, PFDO_TEST_NOMINAL, NULL, NULL,
                                          &error));
  g_assert_true (pfdo_certificate_freeze (fixture->store, frozen, "Болезнь", &error));
  g_assert_true (pfdo_certificate_close (fixture->store, closed, "Переезд", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *after = NULL;
      g_autofree char *enrollment = NULL;
      gboolean ok;

      g_test_message ("case %u: %s", i, cases[i].group);
      g_clear_pointer (&before, g_free);
      before = pfdo_test_row_counts (fixture);
      ok = pfdo_enrollment_create (fixture->store, cases[i].certificate, cases[i].group, 0,
                                   &enrollment, &error);
      after = pfdo_test_row_counts (fixture);
      if (cases[i].code < 0)
        {
          g_autofree char *row = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          /* Not from the certificate: no money moves. */
          row = pfdo_test_text (fixture, "SELECT status || ' ' || months || ' ' || monthly_kopecks "
                                         "|| ' ' || period FROM enrollment WHERE id = ?",
                                enrollment);
          g_assert_cmpstr (row, ==, "active 9 0 2026/27");
          g_assert_cmpint (pfdo_store_query_int (fixture->store, "SELECT count(*) FROM ledger_entry "
                                                                 "WHERE enrollment_id = ?",
                                                 enrollment, NULL), ==, 0);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, PFDO_DOMAIN_ERROR, cases[i].code);
      g_clear_error (&error);
      g_assert_null (enrollment);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_reserve_and_cancel (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *z = pfdo_test_active_certificate (fixture, "Егорова", "2014-05-05", TRUE);
  g_autofree char *whole = NULL;
  g_autofree char *part = NULL;
  g_autofree char *row = NULL;
  g_autofree char *reserve_id = NULL;
  g_autofree char *cancel_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  PfdoBalance balance;

  grant (fixture, z, PFDO_TEST_NOMINAL);
  exec_ok (fixture, "UPDATE \"group\" SET capacity = 5 WHERE id = 'g-cert'");

  /* 0 months: the program's own 9; the reserve is derived from the
   * enrollment, so the server's copy is recognised. */
  g_assert_true (pfdo_enrollment_create (fixture->store, z, "g-cert", 0, &whole, &error));
  g_assert_no_error (error);
  reserve_id = pfdo_ledger_derived_id (whole, "reserve");
  row = pfdo_test_text (fixture, "SELECT kind || ' ' || amount_kopecks || ' ' || period || ' ' || "
                                 "certificate_id FROM ledger_entry WHERE id = ?", reserve_id);
  {
    g_autofree char *expected = g_strdup_printf ("reserve %d 2026/27 %s", 9 * PFDO_TEST_MONTHLY,
                                                 z);

    g_assert_cmpstr (row, ==, expected);
  }
  g_clear_pointer (&row, g_free);
  row = pfdo_test_text (fixture, "SELECT json_extract (payload, '$.months') || ' ' || "
                                 "json_extract (payload, '$.monthly_kopecks') FROM outbox "
                                 "WHERE type = 'enrollment.create'", NULL);
  g_assert_cmpstr (row, ==, "9 80000");
  g_clear_pointer (&row, g_free);

  /* What is left: 10 000 − 7 200 = 2 800 ₽, enough for 3 months, not 4. */
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_enrollment_create (fixture->store, z, "g-cert", 4, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  g_assert_true (pfdo_enrollment_create (fixture->store, z, "g-cert", 3, &part, &error));
  g_assert_no_error (error);
  balance = pfdo_test_balance (fixture, z, "2026/27");
  g_assert_cmpint (balance.reserved, ==, 12 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (balance.available, ==, PFDO_TEST_NOMINAL - 12 * PFDO_TEST_MONTHLY);

  /* Cancelling releases exactly what each still holds. */
  g_assert_true (pfdo_enrollment_cancel (fixture->store, part, &error));
  g_assert_no_error (error);
  cancel_id = pfdo_ledger_derived_id (part, "cancel");
  g_assert_cmpint (pfdo_store_query_int (fixture->store, "SELECT amount_kopecks FROM ledger_entry "
                                                         "WHERE id = ? AND kind = 'release'",
                                         cancel_id, NULL), ==, 3 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, part, NULL), ==, 0);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, whole, NULL), ==,
                   9 * PFDO_TEST_MONTHLY);
  balance = pfdo_test_balance (fixture, z, "2026/27");
  g_assert_cmpint (balance.available, ==, PFDO_TEST_NOMINAL - 9 * PFDO_TEST_MONTHLY);

  /* Refusals write nothing: a second cancel, the wrong role, no record. */
  g_clear_pointer (&before, g_free);
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_enrollment_cancel (fixture->store, part, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (pfdo_enrollment_cancel (fixture->store, "no-such-enrollment", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  pfdo_test_as (fixture, "op-other");
  g_assert_false (pfdo_enrollment_cancel (fixture->store, whole, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (pfdo_enrollment_create (fixture->store, z, "g-cert", 1, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  pfdo_test_as (fixture, "op-staff");
  g_assert_false (pfdo_enrollment_create (fixture->store, z, "g-cert", 1, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (pfdo_store_set_operator (fixture->store, NULL, NULL));
  g_assert_false (pfdo_enrollment_cancel (fixture->store, whole, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* An id given by another desk is taken once. */
  pfdo_test_as (fixture, "op-clerk");
  g_assert_false (pfdo_enrollment_create_with_id (fixture->store, whole, z, "g-cert", 1, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (pfdo_enrollment_create_with_id (fixture->store, "enr-from-desk-2", z, "g-cert", 1,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_ledger_reserved_for (fixture->store, "enr-from-desk-2", NULL), ==,
                   PFDO_TEST_MONTHLY);

  /* The group counts what is active. */
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT enrolled FROM \"group\" WHERE id = 'g-cert'"),
                   ==, 2);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type = "
                                             "'enrollment.cancel'"), ==, 1);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE action LIKE "
                                             "'enrollment.%'"), ==, 4);
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
  TEST ("/enrollments/age-on-group-start", test_age_on_group_start);
  TEST ("/enrollments/places", test_places);
  TEST ("/enrollments/what-can-pay", test_what_can_pay);
  TEST ("/enrollments/reserve-and-cancel", test_reserve_and_cancel);

  return g_test_run ();
}
