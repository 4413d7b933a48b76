/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pfdo-certificates.h"
#include "pfdo-demo-region.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-register.h"
#include "pfdo-test-fixture.h"
#include "pfdo-text.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

/* The demo region, generated once for the paging tests. */
static PfdoStore *demo_store;
static char *demo_dir;

static PfdoStore *
demo (void)
{
  if (demo_store == NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;

      demo_dir = g_dir_make_tmp ("pfdo-register-XXXXXX", NULL);
      path = g_build_filename (demo_dir, "store.sqlite", NULL);
      demo_store = pfdo_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (pfdo_demo_region_generate (demo_store, PFDO_DEMO_SCALE_DEMO, 5, NULL, NULL,
                                                NULL, &error));
      g_assert_no_error (error);
    }
  return demo_store;
}

/* The ids the register must list, in its order, by a plain slow query. */
static GPtrArray *
expected_ids (PfdoStore  *store,
              const char *municipality_id,
              const char *status)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "SELECT id FROM certificate WHERE "
                                           "(?1 IS NULL OR municipality_id = ?1) AND "
                                           "(?2 IS NULL OR status = ?2) ORDER BY municipality_id, "
                                           "CASE status WHEN 'issued' THEN 0 WHEN 'accounting' "
                                           "THEN 1 WHEN 'personified' THEN 2 WHEN 'frozen' THEN 3 "
                                           "ELSE 4 END, rowid",
                                           &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ids;
}

/* Reads the whole query in pages of @page and checks it against @ids. */
static void
assert_pages (PfdoRegisterQuery *query,
              GPtrArray         *ids,
              guint              page)
{
  g_autoptr(GError) error = NULL;
  guint n = pfdo_register_query_get_n_rows (query);

  g_assert_cmpuint (n, ==, ids->len);
  for (guint position = 0; position < n; position += page)
    {
      g_autoptr(GPtrArray) rows = pfdo_register_query_rows (query, position, page, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, MIN (page, n - position));
      for (guint i = 0; i < rows->len; i++)
        {
          PfdoRegisterRow *row = g_ptr_array_index (rows, i);

          g_assert_cmpstr (row->id, ==, g_ptr_array_index (ids, position + i));
          g_assert_nonnull (row->number);
          g_assert_nonnull (row->last_name);
          g_assert_cmpstr (row->period, ==, "2026/27");
          g_assert_cmpint (row->available, >=, 0);
        }
    }
  /* Past the end there is nothing. */
  {
    g_autoptr(GPtrArray) rows = pfdo_register_query_rows (query, n, 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 0);
  }
}

static void
test_paging (void)
{
  PfdoStore *store = demo ();
  g_autofree char *municipality = pfdo_store_dup_setting (store, "municipality_id");
  const char * const *statuses = pfdo_register_statuses ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (municipality);

  /* One municipality, every status: pages of many sizes cut segments anywhere. */
  {
    g_autoptr(GPtrArray) ids = expected_ids (store, municipality, NULL);
    g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality, NULL, NULL,
                                                                  &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, >, 500);
    assert_pages (query, ids, 200);
    assert_pages (query, ids, 7);
    assert_pages (query, ids, ids->len + 5);
  }

  /* Every municipality. */
  {
    g_autoptr(GPtrArray) ids = expected_ids (store, NULL, NULL);
    g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, NULL, NULL, "", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==,
                      pfdo_store_query_int (store, "SELECT count(*) FROM certificate", NULL, NULL));
    assert_pages (query, ids, 200);
  }

  /* Each status alone. */
  for (guint s = 0; statuses[s] != NULL; s++)
    {
      g_autoptr(GPtrArray) ids = expected_ids (store, municipality, statuses[s]);
      g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality,
                                                                    statuses[s], NULL, &error);

      g_assert_no_error (error);
      assert_pages (query, ids, 50);
      if (query != NULL && pfdo_register_query_get_n_rows (query) > 0)
        {
          g_autoptr(GPtrArray) rows = pfdo_register_query_rows (query, 0, 1, &error);

          g_assert_cmpstr (((PfdoRegisterRow *) rows->pdata[0])->status, ==, statuses[s]);
        }
    }

  /* An unknown status has no rows. */
  {
    g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality, "lost",
                                                                  NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pfdo_register_query_get_n_rows (query), ==, 0);
  }
}

/* The balance of each row is what pfdo_ledger_balance() says. */
static void
test_row_balance (void)
{
  PfdoStore *store = demo ();
  g_autofree char *municipality = pfdo_store_dup_setting (store, "municipality_id");
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality,
                                                                "personified", NULL, &error);
  g_autoptr(GPtrArray) rows = NULL;
  guint positive = 0;

  g_assert_no_error (error);
  rows = pfdo_register_query_rows (query, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      PfdoRegisterRow *row = g_ptr_array_index (rows, i);
      g_autoptr(PfdoRegisterRow) again = NULL;
      PfdoBalance balance;

      g_assert_true (pfdo_ledger_balance (store, row->id, row->period, &balance, &error));
      g_assert_no_error (error);
      g_assert_cmpint (row->available, ==, MAX (balance.available, 0));
      positive += row->available > 0;

      again = pfdo_register_row_load (store, row->id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again->number, ==, row->number);
      g_assert_cmpint (again->available, ==, row->available);
    }
  g_assert_cmpuint (positive, >, 0);
}

static void
test_search (void)
{
  PfdoStore *store = demo ();
  g_autofree char *municipality = pfdo_store_dup_setting (store, "municipality_id");
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoRegisterQuery) all = pfdo_register_query_new (store, municipality, NULL, NULL,
                                                              &error);
  g_autoptr(GPtrArray) first = pfdo_register_query_rows (all, 0, 1, &error);
  PfdoRegisterRow *row = g_ptr_array_index (first, 0);
  g_autofree char *prefix = g_strndup (row->number, 6);
  g_autofree char *spaced = g_strdup_printf (" %.3s-%s ", row->number, row->number + 3);
  g_autofree char *surname = NULL;
  g_autofree char *both = NULL;
  gint64 expected;

  g_assert_no_error (error);

  /* The whole number, typed with a dash and spaces, finds that certificate. */
  {
    g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality, NULL,
                                                                  spaced, &error);
    g_autoptr(GPtrArray) rows = pfdo_register_query_rows (query, 0, 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pfdo_register_query_get_n_rows (query), ==, 1);
    g_assert_cmpstr (((PfdoRegisterRow *) rows->pdata[0])->id, ==, row->id);
  }

  /* The first digits find every number that starts with them, in order. */
  {
    g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality, NULL,
                                                                  prefix, &error);
    g_autoptr(GPtrArray) rows = NULL;
    g_autofree char *like = g_strconcat (prefix, "%", NULL);
    sqlite3_stmt *stmt;

    g_assert_no_error (error);
    stmt = pfdo_store_prepare (store, "SELECT count(*) FROM certificate WHERE number LIKE ?1 "
                               "AND municipality_id = ?2", &error);
    sqlite3_bind_text (stmt, 1, like, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, municipality, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    expected = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    g_assert_cmpint (pfdo_register_query_get_n_rows (query), ==, expected);
    g_assert_cmpint (expected, >, 1);
    rows = pfdo_register_query_rows (query, 0, G_MAXUINT, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, expected);
    for (guint i = 1; i < rows->len; i++)
      g_assert_cmpstr (((PfdoRegisterRow *) rows->pdata[i - 1])->number, <,
                       ((PfdoRegisterRow *) rows->pdata[i])->number);
  }

  /* A surname's beginning, in any case and with е for ё; pages join up. */
  surname = pfdo_text_fold (row->last_name);
  {
    g_autofree char *start = g_utf8_substring (surname, 0, 3);
    g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality, NULL,
                                                                  start, &error);
    guint n = pfdo_register_query_get_n_rows (query);
    g_autoptr(GPtrArray) whole = pfdo_register_query_rows (query, 0, n, &error);
    g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
    gboolean found = FALSE;

    g_assert_no_error (error);
    g_assert_cmpuint (n, >=, 1);
    for (guint position = 0; position < n; position += 3)
      {
        g_autoptr(GPtrArray) rows = pfdo_register_query_rows (query, position, 3, &error);

        g_assert_no_error (error);
        for (guint i = 0; i < rows->len; i++)
          g_ptr_array_add (seen, g_strdup (((PfdoRegisterRow *) rows->pdata[i])->id));
      }
    g_assert_cmpuint (seen->len, ==, n);
    for (guint i = 0; i < n; i++)
      {
        PfdoRegisterRow *r = g_ptr_array_index (whole, i);
        g_autofree char *folded = pfdo_text_fold (r->last_name);

        g_assert_cmpstr (seen->pdata[i], ==, r->id);
        g_assert_true (g_str_has_prefix (folded, start));
        found |= g_strcmp0 (r->id, row->id) == 0;
      }
    g_assert_true (found);
  }

  /* A whole surname and a name's beginning narrow it down. */
  {
    g_autofree char *name_start = g_utf8_substring (row->first_name, 0, 2);
    g_autoptr(PfdoRegisterQuery) query = NULL;
    g_autoptr(GPtrArray) rows = NULL;
    gboolean found = FALSE;

    both = g_strdup_printf ("%s  %s", row->last_name, name_start);
    query = pfdo_register_query_new (store, municipality, NULL, both, &error);
    g_assert_no_error (error);
    rows = pfdo_register_query_rows (query, 0, G_MAXUINT, &error);
    for (guint i = 0; i < rows->len; i++)
      {
        PfdoRegisterRow *r = g_ptr_array_index (rows, i);

        g_assert_cmpstr (r->last_name, ==, row->last_name);
        g_assert_true (g_str_has_prefix (r->first_name, name_start));
        found |= g_strcmp0 (r->id, row->id) == 0;
      }
    g_assert_true (found);
  }

  /* The search keeps the status filter; nothing matches nonsense. */
  {
    g_autoptr(PfdoRegisterQuery) query = pfdo_register_query_new (store, municipality,
                                                                  row->status, spaced, &error);
    g_autoptr(PfdoRegisterQuery) other = pfdo_register_query_new (store, municipality, "closed",
                                                                  spaced, &error);
    g_autoptr(PfdoRegisterQuery) none = pfdo_register_query_new (store, municipality, NULL,
                                                                 "Щщщщщ", &error);
    g_autoptr(PfdoRegisterQuery) dash = pfdo_register_query_new (store, municipality, NULL,
                                                                 " - ", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pfdo_register_query_get_n_rows (query), ==, 1);
    if (g_strcmp0 (row->status, "closed") != 0)
      g_assert_cmpuint (pfdo_register_query_get_n_rows (other), ==, 0);
    g_assert_cmpuint (pfdo_register_query_get_n_rows (none), ==, 0);
    /* A dash alone is not a number that every certificate starts with. */
    g_assert_cmpuint (pfdo_register_query_get_n_rows (dash), ==, 0);
  }
}

/* The page of one certificate: card, history with the operator's name,
 * ledger entries and enrollments with what they still reserve. */
static void
test_page (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *enrollment = NULL;
  g_autoptr(PfdoRegisterCard) card = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) enrollments = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(PfdoRegisterProgram) program = NULL;
  g_autofree char *period = NULL;
  g_autofree char *sql = NULL;
  PfdoRegisterEnrollment *e;
  PfdoRegisterEvent *event;

  g_assert_true (pfdo_store_exec (fixture->store,
                                  "UPDATE municipality SET period_start = '2026-09-01'", &error));
  pfdo_test_as (fixture, "op-clerk");
  certificate = pfdo_test_active_certificate (fixture, "Ёлкина", "2014-05-05", TRUE);
  sql = g_strdup_printf ("INSERT INTO ledger_entry (id, certificate_id, period, kind, "
                         "amount_kopecks, created_at) VALUES ('g1', '%s', '2026/27', 'grant', %d, "
                         "'2026-09-01T00:00:00Z')", certificate, PFDO_TEST_NOMINAL);
  g_assert_true (pfdo_store_exec (fixture->store, sql, &error));
  g_assert_true (pfdo_enrollment_create (fixture->store, certificate, "g-cert", 9, &enrollment,
                                         &error));
  g_assert_no_error (error);

  period = pfdo_register_dup_period (fixture->store, "m1", &error);
  g_assert_cmpstr (period, ==, "2026/27");

  card = pfdo_register_card_load (fixture->store, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (card->status, ==, "personified");
  g_assert_cmpstr (card->last_name, ==, "Ёлкина");
  g_assert_cmpstr (card->municipality_name, ==, "Тестовый округ");
  g_assert_cmpstr (card->period, ==, "2026/27");
  g_assert_cmpint (card->pf_quota, ==, 3);
  g_assert_cmpint (card->pf_issued, ==, 1);

  history = pfdo_register_history (fixture->store, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);   /* issue, activate, convert */
  event = g_ptr_array_index (history, 2);
  g_assert_cmpstr (event->action, ==, "certificate.convert");
  g_assert_cmpstr (event->detail, ==, "accounting → personified");
  g_assert_cmpstr (event->operator_name, ==, "Специалист");

  entries = pfdo_register_entries (fixture->store, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((PfdoRegisterEntry *) entries->pdata[0])->kind, ==, "grant");
  g_assert_cmpstr (((PfdoRegisterEntry *) entries->pdata[1])->kind, ==, "reserve");
  g_assert_cmpint (((PfdoRegisterEntry *) entries->pdata[1])->amount_kopecks, ==,
                   9 * PFDO_TEST_MONTHLY);
  g_assert_cmpstr (((PfdoRegisterEntry *) entries->pdata[1])->program_title, ==, "Робототехника");

  enrollments = pfdo_register_enrollments (fixture->store, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (enrollments->len, ==, 1);
  e = g_ptr_array_index (enrollments, 0);
  g_assert_cmpstr (e->id, ==, enrollment);
  g_assert_cmpstr (e->group_name, ==, "Группа 1");
  g_assert_cmpint (e->months, ==, 9);
  g_assert_cmpint (e->monthly_kopecks, ==, PFDO_TEST_MONTHLY);
  g_assert_cmpint (e->reserved_kopecks, ==, 9 * PFDO_TEST_MONTHLY);

  /* A cancel releases the reserve: the enrollment holds nothing any more. */
  g_assert_true (pfdo_enrollment_cancel (fixture->store, enrollment, &error));
  g_assert_no_error (error);
  g_clear_pointer (&enrollments, g_ptr_array_unref);
  enrollments = pfdo_register_enrollments (fixture->store, certificate, &error);
  e = g_ptr_array_index (enrollments, 0);
  g_assert_cmpstr (e->status, ==, "cancelled");
  g_assert_cmpint (e->reserved_kopecks, ==, 0);

  /* The row in the register has the whole nominal available again. */
  {
    g_autoptr(PfdoRegisterRow) row = pfdo_register_row_load (fixture->store, certificate, &error);

    g_assert_no_error (error);
    g_assert_cmpint (row->available, ==, PFDO_TEST_NOMINAL);
  }

  program = pfdo_register_program_load (fixture->store, "pr-cert", &error);
  g_assert_no_error (error);
  g_assert_cmpint (program->monthly_kopecks, ==, PFDO_TEST_MONTHLY);
  g_assert_cmpint (program->months, ==, 9);
  g_assert_true (program->open);
  groups = pfdo_register_program_groups (fixture->store, "pr-cert", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpint (((PfdoRegisterGroup *) groups->pdata[0])->capacity, ==, 2);

  g_assert_null (pfdo_register_card_load (fixture->store, "nope", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
}

/* The desk shows the operator's municipality, else its own, else all. */
static void
test_municipality (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *setting = NULL;
  g_autofree char *own = NULL;

  g_assert_true (pfdo_store_set_operator (fixture->store, NULL, &error));
  none = pfdo_store_dup_municipality_id (fixture->store);
  g_assert_null (none);
  g_assert_true (pfdo_store_set_setting (fixture->store, "municipality_id", "m2", &error));
  setting = pfdo_store_dup_municipality_id (fixture->store);
  g_assert_cmpstr (setting, ==, "m2");
  pfdo_test_as (fixture, "op-clerk");
  own = pfdo_store_dup_municipality_id (fixture->store);
  g_assert_cmpstr (own, ==, "m1");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/register/paging", test_paging);
  g_test_add_func ("/register/row-balance", test_row_balance);
  g_test_add_func ("/register/search", test_search);
  TEST ("/register/page", test_page);
  TEST ("/register/municipality", test_municipality);

  status = g_test_run ();
  g_clear_object (&demo_store);
  if (demo_dir != NULL)
    {
      /* The store's files go with the folder. */
      for (const char *suffix = ""; suffix != NULL;
           suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
        {
          g_autofree char *file = g_strconcat (demo_dir, "/store.sqlite", suffix, NULL);

          g_remove (file);
        }
      g_rmdir (demo_dir);
      g_free (demo_dir);
    }
  return status;
}
