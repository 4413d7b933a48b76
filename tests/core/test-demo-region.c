/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-check.h"
#include "pfdo-demo-region.h"
#include "pfdo-error.h"
#include "pfdo-validate.h"

static PfdoStore *
seeded_store (guint64 seed)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-demo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (pfdo_demo_region_generate (store, PFDO_DEMO_SCALE_DEMO, seed, NULL, NULL, NULL,
                                            &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static gint64
count (PfdoStore  *store,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pfdo_store_query_int (store, sql, NULL, &error);

  g_assert_no_error (error);
  return n;
}

/* A fingerprint of the people and money in a store. */
static char *
fingerprint (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (
    store,
    "SELECT (SELECT group_concat (id || last_name || first_name || birth_date || "
    "  coalesce (snils, '') || verification_status, ',') FROM child) || "
    "(SELECT group_concat (number || status, ',') FROM certificate) || "
    "(SELECT group_concat (id || kind || amount_kopecks, ',') FROM ledger_entry) || "
    "(SELECT group_concat (title, ',') FROM program)",
    &error);
  char *value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                         (const char *) sqlite3_column_text (stmt, 0), -1);
  sqlite3_reset (stmt);
  return value;
}

static void
test_demo_contents (void)
{
  g_autoptr(PfdoStore) store = seeded_store (7);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = pfdo_check_run (store, &error);
  const char *statuses[] = { "issued", "accounting", "personified", "frozen", "closed" };
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_cmpint (count (store, "SELECT count(*) FROM municipality"), ==, 33);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child"), ==, 2000);
  g_assert_cmpint (count (store, "SELECT count(*) FROM parent"), >, 1100);
  g_assert_cmpint (count (store, "SELECT count(*) FROM parent"), <, 1800);
  g_assert_cmpint (count (store, "SELECT count(*) FROM program"), ==, 400);
  g_assert_cmpint (count (store, "SELECT count(*) FROM review"), ==, 2400);
  g_assert_cmpint (count (store, "SELECT count(*) FROM office WHERE kind = 'moc'"), ==, 33);
  g_assert_cmpint (count (store, "SELECT count(*) FROM program_fts"), ==, 400);

  /* Every status and every verification outcome is there. */
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM certificate WHERE status = '%s'",
                                              statuses[i]);

      g_assert_cmpint (count (store, sql), >, 0);
    }
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE verification_status = "
                                 "'rejected' AND length (verification_reason) > 0"), >, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE verification_status = "
                                 "'unverified'"), >, 0);
  g_assert_cmpint (count (store, "SELECT count(DISTINCT kind) FROM ledger_entry"), ==, 5);
  g_assert_cmpint (count (store, "SELECT count(*) FROM enrollment WHERE status = 'cancelled'"), >,
                   0);

  /* Every child is 5 to 17 today, every program's ages are in range. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE birth_date > '2021-11-24' "
                                 "OR birth_date <= '2008-11-24'"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM program WHERE age_min < 5 OR age_max > 17 "
                                 "OR age_max < age_min"), ==, 0);

  /* Near-duplicates of DOMAIN.md are planted: same name and birth date in
   * another family. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM child a JOIN child b ON a.id < b.id "
                                 "AND a.search_last_name = b.search_last_name "
                                 "AND a.search_first_name = b.search_first_name "
                                 "AND a.birth_date = b.birth_date AND a.parent_id <> b.parent_id"),
                   >, 0);

  /* Personified only where the municipality finances it, within quota. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM municipality m WHERE pf_issued <> "
                                 "(SELECT count(*) FROM certificate z WHERE z.municipality_id = m.id "
                                 "AND (z.status = 'personified' OR z.frozen_from = 'personified'))"),
                   ==, 0);

  /* Every SNILS is valid and unique; names have the right gender forms. */
  stmt = pfdo_store_prepare (store, "SELECT snils FROM child WHERE snils IS NOT NULL", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      const char *snils = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *normalized = pfdo_snils_normalize (snils, &local_error);

      g_assert_no_error (local_error);
      g_assert_cmpstr (normalized, ==, snils);
    }
  sqlite3_reset (stmt);
  g_assert_cmpint (count (store, "SELECT count(*) - count(DISTINCT snils) FROM child "
                                 "WHERE snils IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE sex = 'f' AND "
                                 "(middle_name LIKE '%вич' OR last_name LIKE '%ов')"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE sex = 'm' AND "
                                 "(middle_name LIKE '%вна' OR last_name LIKE '%ова')"), ==, 0);

  /* The desk can issue at once: its own leased numbers and operators. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM number_block WHERE used = 0"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM operator WHERE login IN ('ivanova', "
                                 "'petrov', 'sidorova')"), ==, 3);
  g_assert_cmpint (count (store, "SELECT count(*) FROM outbox"), ==, 0);
}

static void
test_determinism (void)
{
  g_autoptr(PfdoStore) a = seeded_store (11);
  g_autoptr(PfdoStore) b = seeded_store (11);
  g_autoptr(PfdoStore) c = seeded_store (12);
  g_autofree char *fa = fingerprint (a);
  g_autofree char *fb = fingerprint (b);
  g_autofree char *fc = fingerprint (c);

  g_assert_cmpstr (fa, ==, fb);
  g_assert_cmpstr (fa, !=, fc);
}

static void
test_refuses_non_empty (void)
{
  g_autoptr(PfdoStore) store = seeded_store (3);
  g_autoptr(GError) error = NULL;
  gint64 before = count (store, "SELECT count(*) FROM child");

  g_assert_false (pfdo_demo_region_generate (store, PFDO_DEMO_SCALE_DEMO, 3, NULL, NULL, NULL,
                                             &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child"), ==, before);
}

static void
test_cancel_leaves_nothing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-demo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  g_assert_false (pfdo_demo_region_generate (store, PFDO_DEMO_SCALE_DEMO, 1, NULL, NULL,
                                             cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count (store, "SELECT count(*) FROM municipality"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM office"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-region/contents", test_demo_contents);
  g_test_add_func ("/demo-region/determinism", test_determinism);
  g_test_add_func ("/demo-region/refuses-non-empty", test_refuses_non_empty);
  g_test_add_func ("/demo-region/cancel-leaves-nothing", test_cancel_leaves_nothing);

  return g_test_run ();
}
