/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The benchmarks of the store and the domain core: seeding a region, the
 * desk's look-ups and the catalog search on a full region, and the size of
 * the store. One "name: value unit" line per figure on stdout; progress on
 * stderr. Queries are drawn from the seeded data itself, so every look-up
 * finds something, as at a real desk.
 */
#define G_LOG_DOMAIN "pfdo-bench"

#include "config.h"

#include "pfdo-bench-common.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <sys/resource.h>

#include "pfdo-check.h"
#include "pfdo-child-card.h"
#include "pfdo-demo-region.h"
#include "pfdo-search.h"
#include "pfdo-store.h"

#define N_QUERIES 400

/* Every n-th value of a column, so the sample spreads over the region. */
static GPtrArray *
sample_column (PfdoStore  *store,
               const char *sql,
               guint       wanted)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *picked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_ptr_array_add (all, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  for (guint i = 0; i < wanted && all->len > 0; i++)
    g_ptr_array_add (picked, g_strdup (g_ptr_array_index (all, (i * 7919u) % all->len)));
  return picked;
}

typedef GPtrArray *(*SearchFunc) (PfdoStore *store, const char *query, GError **error);

static GPtrArray *
search_children (PfdoStore  *store,
                 const char *query,
                 GError    **error)
{
  return pfdo_search_children (store, query, 50, NULL, error);
}

static GPtrArray *
search_catalog (PfdoStore  *store,
                const char *query,
                GError    **error)
{
  return pfdo_catalog_search (store, query, 50, error);
}

/* Runs each query once and returns the times in milliseconds; counts the
 * queries that found nothing, which would make the figure meaningless. */
static GArray *
time_queries (PfdoStore  *store,
              GPtrArray  *queries,
              SearchFunc  func,
              guint      *out_empty)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));

  *out_empty = 0;
  for (guint i = 0; i < queries->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      found = func (store, g_ptr_array_index (queries, i), &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      if (found->len == 0)
        (*out_empty)++;
      g_array_append_val (samples, ms);
    }
  return samples;
}

static GPtrArray *
open_card (PfdoStore  *store,
           const char *child_id,
           GError    **error)
{
  g_autoptr(PfdoChildCard) card = pfdo_child_card_load (store, child_id, error);
  GPtrArray *found = g_ptr_array_new ();

  /* One "found" item: the card was read (and its audit record written). */
  if (card != NULL)
    g_ptr_array_add (found, (gpointer) "card");
  return found;
}

static void
report_search (const char *name,
               PfdoStore  *store,
               GPtrArray  *queries,
               SearchFunc  func,
               gboolean    with_p99)
{
  guint empty = 0;
  g_autoptr(GArray) warm = time_queries (store, queries, func, &empty);
  g_autoptr(GArray) samples = time_queries (store, queries, func, &empty);

  g_print ("%s_ms_median: %.3f ms\n", name, pfdo_bench_percentile (samples, 0.5));
  if (with_p99)
    g_print ("%s_ms_p99: %.3f ms\n", name, pfdo_bench_percentile (samples, 0.99));
  if (empty > 0)
    g_printerr ("# %s: %u of %u queries found nothing\n", name, empty, queries->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scale_name = NULL;
  g_autofree char *keep = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  PfdoDemoScale scale;
  GStatBuf st;
  struct rusage usage;
  gint64 start;
  GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale_name, "demo or region", "SCALE" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "keep the seeded store at FILE", "FILE" },
    { NULL },
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !pfdo_demo_scale_from_string (scale_name != NULL ? scale_name : "region", &scale))
    {
      g_printerr ("usage: pfdo-bench [--scale demo|region] [--keep FILE]\n");
      return 2;
    }

  if (keep != NULL)
    path = g_strdup (keep);
  else
    {
      dir = g_dir_make_tmp ("pfdo-bench-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "region.sqlite", NULL);
    }

  store = pfdo_store_open (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  if (!pfdo_demo_region_generate (store, scale, 1, pfdo_bench_progress_cb, NULL, NULL, &error))
    {
      g_printerr ("seeding failed: %s\n", error->message);
      return 1;
    }
  g_print ("seed_%s_s: %.1f s\n", scale == PFDO_DEMO_SCALE_REGION ? "region" : "demo",
           (g_get_monotonic_time () - start) / 1e6);

  /* Sizes are read after the write-ahead log went into the file. */
  g_assert_true (pfdo_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_print ("store_size_mib: %.1f MiB\n", st.st_size / (1024.0 * 1024.0));

  queries = sample_column (store, "SELECT snils FROM child WHERE snils IS NOT NULL", N_QUERIES);
  report_search ("find_snils", store, queries, search_children, FALSE);
  g_clear_pointer (&queries, g_ptr_array_unref);

  queries = sample_column (store, "SELECT last_name || ' ' || first_name FROM child", N_QUERIES);
  report_search ("find_name", store, queries, search_children, FALSE);
  g_clear_pointer (&queries, g_ptr_array_unref);

  queries = sample_column (store, "SELECT number FROM certificate", N_QUERIES);
  report_search ("find_certificate", store, queries, search_children, FALSE);
  g_clear_pointer (&queries, g_ptr_array_unref);

  /* A card as the clerk opens it: the read and its audit record, a
   * committed write of its own. */
  g_assert_true (pfdo_store_set_operator_login (store, "ivanova", &error));
  queries = sample_column (store, "SELECT id FROM child WHERE municipality_id = (SELECT "
                                  "municipality_id FROM operator WHERE login = 'ivanova')",
                           N_QUERIES);
  report_search ("child_card", store, queries, open_card, TRUE);
  g_clear_pointer (&queries, g_ptr_array_unref);
  pfdo_store_set_operator (store, NULL, NULL);

  /* What a parent types at the catalog: the start of a word of a title,
   * sometimes two words. */
  queries = sample_column (store,
                           "SELECT CASE WHEN rowid % 3 = 0 "
                           "  THEN substr (title, 1, instr (title || ' ', ' ') + 2) "
                           "  ELSE substr (title, 1, 4) END FROM program",
                           N_QUERIES);
  report_search ("catalog_search", store, queries, search_catalog, TRUE);
  g_clear_pointer (&queries, g_ptr_array_unref);

  start = g_get_monotonic_time ();
  problems = pfdo_check_run (store, &error);
  g_assert_no_error (error);
  g_print ("check_%s_s: %.1f s\n", scale == PFDO_DEMO_SCALE_REGION ? "region" : "demo",
           (g_get_monotonic_time () - start) / 1e6);
  g_print ("check_problems: %u count\n", problems->len);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak_rss_mib: %.1f MiB\n", usage.ru_maxrss / 1024.0);

  g_clear_object (&store);
  if (keep == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (path);
      g_rmdir (dir);
    }

  return problems->len == 0 ? 0 : 1;
}
