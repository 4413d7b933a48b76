/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-check.h"
#include "pfdo-demo-region.h"
#include "pfdo-error.h"
#include "pfdo-validate.h"

/* The temporary folders of the stores, removed when the tests are over. */
static GPtrArray *temp_dirs;

static char *
temp_store_path (void)
{
  char *dir = g_dir_make_tmp ("pfdo-demo-XXXXXX", NULL);

  g_assert_nonnull (dir);
  g_ptr_array_add (temp_dirs, dir);
  return g_build_filename (dir, "store.sqlite", NULL);
}

static void
remove_temp_dirs (void)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < temp_dirs->len; i++)
    {
      const char *dir = g_ptr_array_index (temp_dirs, i);

      for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
        {
          g_autofree char *file = g_strconcat (dir, "/store.sqlite", suffixes[j], NULL);

          g_unlink (file);
        }
      g_rmdir (dir);
    }
  g_ptr_array_unref (temp_dirs);
}

static PfdoStore *
seeded_store (guint64 seed)
{
  g_autofree char *path = temp_store_path ();
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
    "(SELECT group_concat (title, ',') FROM program) || "
    "(SELECT group_concat (id || status || group_id || created_at, ',') FROM enrollment) || "
    "(SELECT group_concat (id || enrolled || starts_on, ',') FROM \"group\") || "
    "(SELECT group_concat (id || login || full_name, ',') FROM operator)",
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
  const char *enrollment_statuses[] = { "requested", "active", "finished", "cancelled" };
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);

  g_assert_cmpint (count (store, "SELECT count(*) FROM municipality"), ==, 33);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child"), ==, 2000);
  g_assert_cmpint (count (store, "SELECT count(*) FROM parent"), >, 1100);
  g_assert_cmpint (count (store, "SELECT count(*) FROM parent"), <, 1800);
  g_assert_cmpint (count (store, "SELECT count(*) FROM provider"), ==, 40);
  g_assert_cmpint (count (store, "SELECT count(*) FROM program"), ==, 300);
  g_assert_cmpint (count (store, "SELECT count(*) FROM review"), ==, 1800);
  g_assert_cmpint (count (store, "SELECT count(*) FROM \"group\""), >, 500);
  g_assert_cmpint (count (store, "SELECT count(*) FROM office WHERE kind = 'moc'"), ==, 33);
  g_assert_cmpint (count (store, "SELECT count(*) FROM program_fts"), ==, 300);
  /* All 33 municipalities, with a provider each; families in three. */
  g_assert_cmpint (count (store, "SELECT count(DISTINCT municipality_id) FROM provider"), ==, 33);
  g_assert_cmpint (count (store, "SELECT count(DISTINCT municipality_id) FROM child"), ==, 3);
  g_assert_cmpint (count (store, "SELECT count(*) FROM municipality WHERE mode = 'personified'"),
                   ==, 10);

  /* Every status and every verification outcome is there. */
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM certificate "
                                              "WHERE status = '%s'", statuses[i]);

      g_assert_cmpint (count (store, sql), >, 0);
    }
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE verification_status = "
                                 "'rejected' AND length (verification_reason) > 0"), >, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE verification_status = "
                                 "'unverified'"), >, 0);
  g_assert_cmpint (count (store, "SELECT count(DISTINCT kind) FROM ledger_entry"), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (enrollment_statuses); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM enrollment "
                                              "WHERE status = '%s'", enrollment_statuses[i]);

      g_assert_cmpint (count (store, sql), >, 0);
    }
  g_assert_cmpint (count (store, "SELECT count(*) FROM certificate WHERE status = 'frozen' "
                                 "AND frozen_from IS NULL"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM certificate WHERE status = 'closed' "
                                 "AND length (close_reason) > 0"), >, 0);

  /* Dates follow one another: registered, decided, activated, enrolled,
   * booked, all by the demo's today. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE verification_decided_at < "
                                 "created_at OR created_at > '2026-11-25'"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE verification_status <> "
                                 "'unverified' AND verification_operator_id NOT IN "
                                 "(SELECT id FROM operator)"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM certificate WHERE activated_at < issued_at "
                                 "OR closed_at < coalesce (activated_at, issued_at)"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM enrollment e JOIN certificate z "
                                 "ON z.id = e.certificate_id WHERE e.created_at < z.activated_at"),
                   ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM ledger_entry WHERE created_at > "
                                 "'2026-11-25'"), ==, 0);
  /* Sep and Oct are charged as a release and a charge of one month. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM ledger_entry l JOIN enrollment e "
                                 "ON e.id = l.enrollment_id WHERE l.kind = 'charge' "
                                 "AND l.amount_kopecks <> e.monthly_kopecks"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM ledger_entry WHERE kind = 'charge'"), ==,
                   count (store, "SELECT count(*) FROM ledger_entry WHERE kind = 'release' "
                                 "AND created_at IN ('2026-10-01T00:30:00Z', "
                                 "'2026-11-01T00:30:00Z')"));
  /* Every personified certificate has its nominal. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM certificate z WHERE (status = 'personified' "
                                 "OR frozen_from = 'personified') AND NOT EXISTS (SELECT 1 FROM "
                                 "ledger_entry WHERE certificate_id = z.id AND kind = 'grant')"),
                   ==, 0);
  /* Children are enrolled where their age fits on the group's first day. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM enrollment e "
                                 "JOIN child c ON c.id = e.child_id "
                                 "JOIN program p ON p.id = e.program_id JOIN \"group\" g "
                                 "ON g.id = e.group_id WHERE CAST (strftime ('%Y', g.starts_on) AS "
                                 "INTEGER) - CAST (strftime ('%Y', c.birth_date) AS INTEGER) - "
                                 "(strftime ('%m-%d', g.starts_on) < "
                                 "strftime ('%m-%d', c.birth_date)) "
                                 "NOT BETWEEN p.age_min AND p.age_max"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM (SELECT 1 FROM enrollment "
                                 "GROUP BY child_id, group_id HAVING count(*) > 1)"), ==, 0);
  /* Passports from 14, birth certificates with a series like II-ДН before. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE document_type = 'passport' "
                                 "AND birth_date > '2012-11-24'"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM child WHERE document_type = "
                                 "'birth_certificate' AND (birth_date <= '2012-11-24' OR "
                                 "document_series NOT LIKE '%_-__' OR "
                                 "length (document_number) <> 6)"),
                   ==, 0);
  /* Parents' phones are Russian mobiles as stored. */
  g_assert_cmpint (count (store, "SELECT count(*) FROM parent WHERE phone NOT GLOB "
                                 "'+79[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"), ==, 0);

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
                                 "(SELECT count(*) FROM certificate z "
                                 "WHERE z.municipality_id = m.id AND (z.status = 'personified' "
                                 "OR z.frozen_from = 'personified'))"),
                   ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM certificate z JOIN municipality m "
                                 "ON m.id = z.municipality_id WHERE z.status = 'personified' "
                                 "AND m.mode <> 'personified'"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM municipality WHERE pf_issued > pf_quota"),
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
  g_assert_cmpint (count (store, "SELECT count(*) FROM number_block WHERE first = '2699000001' "
                                 "AND last = '2699001000' AND device_id = (SELECT value FROM "
                                 "sync_state WHERE key = 'device_id')"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM operator o JOIN municipality m "
                                 "ON m.id = o.municipality_id JOIN office f ON f.id = o.office_id "
                                 "WHERE o.login IN ('ivanova', 'petrov', 'sidorova') "
                                 "AND m.name = 'город Ставрополь' AND f.kind = 'moc'"), ==, 3);
  g_assert_cmpint (count (store, "SELECT count(*) FROM sync_state s JOIN municipality m "
                                 "ON m.id = s.value WHERE s.key = 'municipality_id' "
                                 "AND m.name = 'город Ставрополь'"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM sync_state WHERE key = 'region' "
                                 "AND value = '26'"), ==, 1);
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

  /* Municipalities keep their ids whatever the seed, so a desk and a
   * server seeded apart agree on them. */
  g_assert_cmpint (count (a, "SELECT count(*) FROM municipality"), ==, 33);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *ida = pfdo_store_dup_setting (a, "municipality_id");
    g_autofree char *idc = pfdo_store_dup_setting (c, "municipality_id");

    g_assert_no_error (error);
    g_assert_nonnull (ida);
    g_assert_cmpstr (ida, ==, idc);
  }
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
  g_autofree char *path = temp_store_path ();
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
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-region/contents", test_demo_contents);
  g_test_add_func ("/demo-region/determinism", test_determinism);
  g_test_add_func ("/demo-region/refuses-non-empty", test_refuses_non_empty);
  g_test_add_func ("/demo-region/cancel-leaves-nothing", test_cancel_leaves_nothing);

  temp_dirs = g_ptr_array_new_with_free_func (g_free);
  ret = g_test_run ();
  remove_temp_dirs ();
  return ret;
}
