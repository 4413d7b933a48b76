/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pfdo-certificates.h"
#include "pfdo-children.h"
#include "pfdo-ledger.h"
#include "pfdo-test-fixture.h"
#include "pfdo-validate.h"

static const char setup_sql[] =
  "INSERT INTO municipality (id, name, mode, nominal_kopecks, pf_quota) VALUES "
  "  ('m1', 'Тестовый округ', 'personified', 1000000, 3), "
  "  ('m2', 'Соседний округ', 'accounting_only', 0, 0);"
  "INSERT INTO office (id, name, kind, municipality_id) VALUES "
  "  ('o1', 'МОЦ', 'moc', 'm1'), ('o2', 'МОЦ', 'moc', 'm2'), "
  "  ('o3', 'Школа № 1', 'school', 'm1'), ('o4', 'Школа № 2', 'school', 'm2');"
  "INSERT INTO operator (id, login, full_name, role, municipality_id, office_id, created_at) VALUES "
  "  ('op-staff', 'staff', 'Учитель', 'school_staff', 'm1', 'o1', '2026-01-01T00:00:00Z'), "
  "  ('op-clerk', 'clerk', 'Специалист', 'moc_clerk', 'm1', 'o1', '2026-01-01T00:00:00Z'), "
  "  ('op-admin', 'admin', 'Администратор', 'moc_admin', 'm1', 'o1', '2026-01-01T00:00:00Z'), "
  "  ('op-other', 'other', 'Специалист', 'moc_clerk', 'm2', 'o2', '2026-01-01T00:00:00Z');"
  "INSERT INTO provider (id, name, kind, municipality_id) VALUES "
  "  ('p1', 'Дом творчества', 'municipal', 'm1');"
  "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, age_max, "
  "  funding, hours_total, months, hour_price_kopecks, enrollment_open, description) VALUES "
  "  ('pr-cert', 'p1', 'm1', 'Робототехника', 'technical', 5, 17, 'certified', 72, 9, 10000, 1, "
  "   'Конструирование и программирование роботов'), "
  "  ('pr-budget', 'p1', 'm1', 'Ёлочные игрушки', 'arts', 5, 17, 'budget', 72, 9, 0, 1, NULL), "
  "  ('pr-closed', 'p1', 'm1', 'Шахматы', 'sports', 5, 17, 'certified', 72, 9, 10000, 0, NULL), "
  "  ('pr-teen', 'p1', 'm1', 'Журналистика', 'social', 14, 17, 'certified', 72, 9, 10000, 1, "
  "   NULL);"
  "INSERT INTO \"group\" (id, program_id, name, capacity, starts_on) VALUES "
  "  ('g-cert', 'pr-cert', 'Группа 1', 2, '2026-09-01'), "
  "  ('g-budget', 'pr-budget', 'Группа 1', 10, '2026-09-01'), "
  "  ('g-closed', 'pr-closed', 'Группа 1', 10, '2026-09-01'), "
  "  ('g-teen', 'pr-teen', 'Группа 1', 10, '2026-09-01');";

void
pfdo_test_fixture_set_up (PfdoTestFixture *fixture,
                          gconstpointer    data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pfdo-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store.sqlite", NULL);
  fixture->store = pfdo_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_store_exec (fixture->store, setup_sql, &error));
  g_assert_no_error (error);
  pfdo_test_as (fixture, "op-admin");
  g_assert_true (pfdo_number_block_add (fixture->store, "b1", "0000000001", "0000000005",
                                        &error));
  g_assert_no_error (error);
}

void
pfdo_test_fixture_tear_down (PfdoTestFixture *fixture,
                             gconstpointer    data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

void
pfdo_test_as (PfdoTestFixture *fixture,
              const char      *operator_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator (fixture->store, operator_id, &error));
  g_assert_no_error (error);
}

gint64
pfdo_test_count (PfdoTestFixture *fixture,
                 const char      *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pfdo_store_query_int (fixture->store, sql, NULL, &error);

  g_assert_no_error (error);
  return n;
}

char *
pfdo_test_text (PfdoTestFixture *fixture,
                const char      *sql,
                const char      *param)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (fixture->store, sql, &error);
  char *value = NULL;

  g_assert_no_error (error);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return value;
}

/* A valid SNILS, different for every @n. */
char *
pfdo_test_child_snils (guint n)
{
  char digits[12];

  g_snprintf (digits, 10, "%09u", 200000000u + n * 7u);
  g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
  return pfdo_snils_format (digits);
}

char *
pfdo_test_register_child (PfdoTestFixture *fixture,
                          const char      *last_name,
                          const char      *first_name,
                          const char      *birth_date,
                          const char      *snils,
                          const char      *document_number)
{
  PfdoChildInput child = {
    .last_name = last_name,
    .first_name = first_name,
    .birth_date = birth_date,
    .sex = "f",
    .snils = snils,
    .document_type = "birth_certificate",
    .document_series = "II-ДН",
    .document_number = document_number,
  };
  PfdoFamilyInput family = {
    .parent = { .last_name = last_name, .first_name = "Ольга", .phone = "+79181234567" },
    .children = &child,
    .n_children = 1,
    .allow_duplicates = TRUE,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) result = pfdo_family_register (fixture->store, &family, NULL,
                                                             &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return g_strdup (g_ptr_array_index (result->child_ids, 0));
}

/* A verified child with an activated certificate, personified if asked. */
char *
pfdo_test_active_certificate (PfdoTestFixture *fixture,
                              const char      *last_name,
                              const char      *birth_date,
                              gboolean         personified)
{
  static guint serial;
  g_autoptr(GError) error = NULL;
  g_autofree char *snils = pfdo_test_child_snils (1000 + ++serial);
  g_autofree char *number = g_strdup_printf ("%06u", 500000 + serial);
  g_autofree char *child_id = pfdo_test_register_child (fixture, last_name, "Анна", birth_date,
                                                        snils, number);
  char *certificate_id = NULL;

  g_assert_true (pfdo_child_verify (fixture->store, child_id, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (pfdo_certificate_issue (fixture->store, child_id, &certificate_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pfdo_certificate_activate (fixture->store, certificate_id, &error));
  g_assert_no_error (error);
  if (personified)
    {
      g_assert_true (pfdo_certificate_convert (fixture->store, certificate_id, "personified",
                                               &error));
      g_assert_no_error (error);
    }
  return certificate_id;
}

/* The counts that must not move when a rule refuses an action. */
char *
pfdo_test_row_counts (PfdoTestFixture *fixture)
{
  return g_strdup_printf ("parent=%" G_GINT64_FORMAT " child=%" G_GINT64_FORMAT
                          " certificate=%" G_GINT64_FORMAT " enrollment=%" G_GINT64_FORMAT
                          " ledger=%" G_GINT64_FORMAT " outbox=%" G_GINT64_FORMAT
                          " audit=%" G_GINT64_FORMAT " used=%" G_GINT64_FORMAT
                          " enrolled=%" G_GINT64_FORMAT " pf=%" G_GINT64_FORMAT,
                          pfdo_test_count (fixture, "SELECT count(*) FROM parent"),
                          pfdo_test_count (fixture, "SELECT count(*) FROM child"),
                          pfdo_test_count (fixture, "SELECT count(*) FROM certificate"),
                          pfdo_test_count (fixture, "SELECT count(*) FROM enrollment"),
                          pfdo_test_count (fixture, "SELECT count(*) FROM ledger_entry"),
                          pfdo_test_count (fixture, "SELECT count(*) FROM outbox"),
                          pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"),
                          pfdo_test_count (fixture, "SELECT coalesce (sum (used), 0) FROM number_block"),
                          pfdo_test_count (fixture, "SELECT coalesce (sum (enrolled), 0) FROM \"group\""),
                          pfdo_test_count (fixture, "SELECT sum (pf_issued) FROM municipality"));
}

typedef struct
{
  const char     *entry_id;
  const char     *certificate_id;
  const char     *period;
  PfdoLedgerKind  kind;
  gint64          amount_kopecks;
  const char     *enrollment_id;
  gboolean       *out_appended;
} LedgerAppend;

static gboolean
ledger_append_cb (PfdoStore *store,
                  gpointer   user_data,
                  GError   **error)
{
  LedgerAppend *a = user_data;

  return pfdo_ledger_append (store, a->entry_id, a->certificate_id, a->period, a->kind,
                             a->amount_kopecks, a->enrollment_id, a->out_appended, error);
}

/* One ledger entry through the core, in a write of its own. */
gboolean
pfdo_test_ledger_append (PfdoTestFixture *fixture,
                         const char      *entry_id,
                         const char      *certificate_id,
                         const char      *period,
                         PfdoLedgerKind   kind,
                         gint64           amount_kopecks,
                         const char      *enrollment_id,
                         gboolean        *out_appended,
                         GError         **error)
{
  LedgerAppend a = { entry_id, certificate_id, period, kind, amount_kopecks, enrollment_id,
                     out_appended };

  return pfdo_store_write (fixture->store, ledger_append_cb, &a, error);
}

PfdoBalance
pfdo_test_balance (PfdoTestFixture *fixture,
                   const char      *certificate_id,
                   const char      *period)
{
  g_autoptr(GError) error = NULL;
  PfdoBalance balance;

  g_assert_true (pfdo_ledger_balance (fixture->store, certificate_id, period, &balance, &error));
  g_assert_no_error (error);
  return balance;
}

/* Today's local date moved by @years and @days, as `YYYY-MM-DD`: birth
 * dates for an age that stays right whatever day the tests run. */
char *
pfdo_test_date_from_today (int years,
                           int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  if (years > 0)
    g_date_add_years (&date, years);
  else if (years < 0)
    g_date_subtract_years (&date, -years);
  if (days > 0)
    g_date_add_days (&date, days);
  else if (days < 0)
    g_date_subtract_days (&date, -days);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}
