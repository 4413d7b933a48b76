/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The catalog view as a clerk types into it, on a full region: for each
 * keystroke, the time from the text being set to the results being in the
 * view's list model, and to the next frame drawn with them. Words are
 * drawn from the region's own titles, activities and providers, typed one
 * character at a time. Run under Xvfb (build-aux/dev bench does); one
 * "name: value unit" line per figure on stdout, progress on stderr.
 *
 *   pfdo-bench-catalog [--scale region|demo] [--store FILE]
 *
 * --store reuses a seeded store (or seeds FILE once and keeps it).
 */
#define G_LOG_DOMAIN "pfdo-bench"

#include "config.h"

#include "pfdo-bench-common.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-catalog-view.h"
#include "pfdo-catalog.h"
#include "pfdo-demo-region.h"
#include "pfdo-store.h"

#define N_WORDS 60

typedef struct
{
  GtkWidget *window;
  GtkWidget *entry;
  guint      changes;
  gboolean   painted;
} Bench;

static void
report (const char *name,
        GArray     *samples)
{
  g_print ("%s_ms_p50: %.2f ms\n", name, pfdo_bench_percentile (samples, 0.5));
  g_print ("%s_ms_p99: %.2f ms\n", name, pfdo_bench_percentile (samples, 0.99));
  g_printerr ("# %s: %u samples, max %.2f ms\n", name, samples->len,
              pfdo_bench_percentile (samples, 1.0));
}

/* What a clerk would type: the first one or two words of titles,
 * activities and provider names spread over the region, lower case. */
static GPtrArray *
sample_words (PfdoStore *store)
{
  const char *sql[] = {
    "SELECT title FROM program WHERE pk % 997 = 1",
    "SELECT activity FROM program WHERE pk % 1499 = 7 AND activity IS NOT NULL",
    "SELECT v.name FROM provider v WHERE rowid % 211 = 3",
  };
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (guint q = 0; q < G_N_ELEMENTS (sql); q++)
    {
      sqlite3_stmt *stmt = pfdo_store_prepare (store, sql[q], &error);

      g_assert_no_error (error);
      while (sqlite3_step (stmt) == SQLITE_ROW && words->len < N_WORDS * (q + 1) / 3)
        {
          g_autofree char *lower = g_utf8_strdown ((const char *) sqlite3_column_text (stmt, 0),
                                                   -1);
          GString *spaced = g_string_new (NULL);
          g_auto(GStrv) parts = NULL;
          GString *typed = g_string_new (NULL);
          guint n = 0;

          /* Words only: quotes, signs and punctuation become spaces. */
          for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
            {
              gunichar c = g_utf8_get_char (p);

              g_string_append_unichar (spaced, g_unichar_isalnum (c) ? c : ' ');
            }
          parts = g_strsplit (spaced->str, " ", -1);
          g_string_free (spaced, TRUE);

          /* Providers are typed by their name, not their legal form. */
          for (guint i = q == 2 ? 1 : 0; parts[i] != NULL && n < 1 + (words->len % 2); i++)
            if (g_utf8_strlen (parts[i], -1) >= 3)
              {
                g_string_append_printf (typed, "%s%s", n > 0 ? " " : "", parts[i]);
                n++;
              }
          if (typed->len > 0)
            g_ptr_array_add (words, g_string_free (typed, FALSE));
          else
            g_string_free (typed, TRUE);
        }
      sqlite3_reset (stmt);
    }
  return words;
}

static void
changed_cb (PfdoCatalogView *view,
            Bench           *bench)
{
  bench->changes++;
}

static void
paint_cb (GdkFrameClock *clock,
          Bench         *bench)
{
  bench->painted = TRUE;
}

static void
wait_frame (Bench *bench)
{
  bench->painted = FALSE;
  gtk_widget_queue_draw (bench->window);
  while (!bench->painted)
    g_main_context_iteration (NULL, TRUE);
}

static double
wait_results (Bench  *bench,
              guint   before,
              gint64  start,
              double *out_frame_ms)
{
  double ms;

  while (bench->changes == before)
    g_main_context_iteration (NULL, TRUE);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  wait_frame (bench);
  *out_frame_ms = (g_get_monotonic_time () - start) / 1000.0;
  return ms;
}

/* Types @c at the end of the search, as a key press does, and returns the
 * milliseconds until the results are in the model, and in @out_frame_ms
 * until a frame with them was drawn. (gtk_editable_set_text() would
 * empty the entry first, and the view would browse in between.) */
static double
type_char (Bench    *bench,
           gunichar  c,
           double   *out_frame_ms)
{
  char utf8[8] = { 0 };
  int length = g_unichar_to_utf8 (c, utf8);
  int position = -1;
  guint before = bench->changes;
  gint64 start = g_get_monotonic_time ();

  gtk_editable_insert_text (GTK_EDITABLE (bench->entry), utf8, length, &position);
  return wait_results (bench, before, start, out_frame_ms);
}

/* Clears the search, as Escape or Ctrl+A and Delete do. */
static double
clear (Bench *bench)
{
  guint before = bench->changes;
  gint64 start = g_get_monotonic_time ();
  double frame_ms;

  gtk_editable_delete_text (GTK_EDITABLE (bench->entry), 0, -1);
  return wait_results (bench, before, start, &frame_ms);
}

/* Types every word a character at a time, clearing the search between
 * words; keystrokes and clearings are timed apart. */
static void
type_words (Bench     *bench,
            GPtrArray *words,
            GArray    *keys,
            GArray    *frames,
            GArray    *clears)
{
  for (guint w = 0; w < words->len; w++)
    {
      const char *word = g_ptr_array_index (words, w);
      double frame_ms;
      double ms;

      for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
        {
          ms = type_char (bench, g_utf8_get_char (p), &frame_ms);
          if (keys != NULL)
            {
              g_array_append_val (keys, ms);
              g_array_append_val (frames, frame_ms);
            }
        }
      ms = clear (bench);
      if (clears != NULL)
        g_array_append_val (clears, ms);
    }
}

typedef struct
{
  double  ms;
  char   *text;
} Slow;

static int
compare_slow (gconstpointer a,
              gconstpointer b)
{
  double x = ((const Slow *) a)->ms, y = ((const Slow *) b)->ms;

  return (y > x) - (y < x);
}

/* The same keystrokes straight to the core query, without the view; the
 * slowest are named on stderr. */
static GArray *
time_core (PfdoStore *store,
           GPtrArray *words)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) slow = g_array_new (FALSE, FALSE, sizeof (Slow));

  for (guint w = 0; w < words->len; w++)
    {
      const char *word = g_ptr_array_index (words, w);

      for (const char *p = g_utf8_next_char (word);; p = g_utf8_next_char (p))
        {
          g_autofree char *typed = g_strndup (word, p - word);
          PfdoCatalogFilter filter = PFDO_CATALOG_FILTER_INIT;
          g_autoptr(PfdoCatalogResult) result = NULL;
          g_autoptr(GError) error = NULL;
          gint64 start = g_get_monotonic_time ();
          double ms;

          filter.text = typed;
          result = pfdo_catalog_query (store, &filter, 50, &error);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_assert_no_error (error);
          g_array_append_val (samples, ms);
          g_array_append_vals (slow, &(Slow) { ms, g_steal_pointer (&typed) }, 1);
          if (*p == '\0')
            break;
        }
    }
  g_array_sort (slow, compare_slow);
  for (guint i = 0; i < slow->len; i++)
    {
      Slow *entry = &g_array_index (slow, Slow, i);

      if (i < 8)
        g_printerr ("# slow: «%s» %.2f ms\n", entry->text, entry->ms);
      g_free (entry->text);
    }
  return samples;
}

/* Browsing by filters alone, each once and cold in the statement cache:
 * what a click on a filter costs. Not a keystroke figure. */
static GArray *
time_filters (PfdoStore *store)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *municipality = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (store, "SELECT id FROM municipality ORDER BY name LIMIT 1",
                                           &error);

  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    municipality = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  for (guint i = 0; i < 9; i++)
    {
      PfdoCatalogFilter filter = PFDO_CATALOG_FILTER_INIT;
      g_autoptr(PfdoCatalogResult) result = NULL;
      const char *names[] = { "direction", "age", "municipality", "funding", "form",
                              "disability_friendly", "enrollment_open", "free_places",
                              "municipality+age+open" };
      gint64 start;
      double ms;

      switch (i)
        {
        case 0: filter.direction = "sports"; break;
        case 1: filter.age = 9; break;
        case 2: filter.municipality_id = municipality; break;
        case 3: filter.funding = "certified"; break;
        case 4: filter.form = "distance"; break;
        case 5: filter.disability_friendly = TRUE; break;
        case 6: filter.enrollment_open = TRUE; break;
        case 7: filter.free_places = TRUE; break;
        default:
          filter.municipality_id = municipality;
          filter.age = 9;
          filter.enrollment_open = TRUE;
          break;
        }
      start = g_get_monotonic_time ();
      result = pfdo_catalog_query (store, &filter, 50, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_printerr ("# browse by %s: %.2f ms, %u%s programs\n", names[i], ms, result->total,
                  result->total_is_lower_bound ? "+" : "");
      g_array_append_val (samples, ms);
    }
  return samples;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scale_name = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) clears = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) core = NULL;
  g_autoptr(GArray) filters = NULL;
  PfdoCatalogView *view;
  GtkWidget *overlay;
  PfdoDemoScale scale;
  Bench bench = { 0 };
  guint n_keys = 0;
  gint64 load_start;
  gulong handler;
  int max_words = N_WORDS;
  GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale_name, "demo or region", "SCALE" },
    { "words", 0, 0, G_OPTION_ARG_INT, &max_words, "type at most N words", "N" },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "reuse or keep the store at FILE",
      "FILE" },
    { NULL },
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !pfdo_demo_scale_from_string (scale_name != NULL ? scale_name : "region", &scale))
    {
      g_printerr ("usage: pfdo-bench-catalog [--scale demo|region] [--store FILE]\n");
      return 2;
    }

  /* Quiet under Xvfb: no accessibility bus, no dconf. */
  if (g_getenv ("GTK_A11Y") == NULL)
    g_setenv ("GTK_A11Y", "none", TRUE);
  if (g_getenv ("GSETTINGS_BACKEND") == NULL)
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("pfdo-bench-catalog needs a display: run it under xvfb-run\n");
      return 1;
    }
  adw_init ();

  if (store_path != NULL)
    path = g_strdup (store_path);
  else
    {
      dir = g_dir_make_tmp ("pfdo-bench-catalog-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "region.sqlite", NULL);
    }
  store = pfdo_store_open (path, &error);
  g_assert_no_error (error);
  if (pfdo_store_query_int (store, "SELECT count (*) FROM program", NULL, &error) == 0)
    {
      g_printerr ("# seeding %s\n", path);
      if (!pfdo_demo_region_generate (store, scale, 1, pfdo_bench_progress_cb, NULL, NULL, &error))
        {
          g_printerr ("seeding failed: %s\n", error->message);
          return 1;
        }
    }
  g_assert_no_error (error);
  g_printerr ("# programs: %" G_GINT64_FORMAT "\n",
              pfdo_store_query_int (store, "SELECT count (*) FROM program", NULL, NULL));

  words = sample_words (store);
  if (max_words > 0 && (guint) max_words < words->len)
    g_ptr_array_set_size (words, max_words);
  for (guint w = 0; w < words->len; w++)
    n_keys += g_utf8_strlen (g_ptr_array_index (words, w), -1);
  g_printerr ("# %u words, %u keystrokes, e.g. «%s», «%s»\n", words->len, n_keys,
              (char *) g_ptr_array_index (words, 0),
              (char *) g_ptr_array_index (words, words->len - 1));

  /* The view in a window the size of the desk's, as the window holds it. */
  bench.window = gtk_window_new ();
  overlay = adw_toast_overlay_new ();
  view = g_object_new (PFDO_TYPE_CATALOG_VIEW, NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (bench.window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1366, 768);
  g_signal_connect (view, "results-changed", G_CALLBACK (changed_cb), &bench);
  /* The first browse makes the catalog's order: once, and after a sync. */
  load_start = g_get_monotonic_time ();
  pfdo_catalog_view_set_store (view, store);
  g_print ("catalog_view_load_ms: %.2f ms\n", (g_get_monotonic_time () - load_start) / 1000.0);
  gtk_window_present (GTK_WINDOW (bench.window));
  while (!gtk_widget_get_mapped (bench.window))
    g_main_context_iteration (NULL, TRUE);
  handler = g_signal_connect (gtk_widget_get_frame_clock (bench.window), "after-paint",
                              G_CALLBACK (paint_cb), &bench);
  wait_frame (&bench);
  pfdo_catalog_view_focus_search (view);
  bench.entry = GTK_WIDGET (gtk_widget_get_ancestor (gtk_window_get_focus (GTK_WINDOW (bench.window)),
                                                     GTK_TYPE_SEARCH_ENTRY));
  g_assert_nonnull (bench.entry);

  /* Once to warm the page cache, as a desk that has been open a while. */
  type_words (&bench, words, NULL, NULL, NULL);
  type_words (&bench, words, keys, frames, clears);
  core = time_core (store, words);
  filters = time_filters (store);

  /* What a frame costs with nothing changed: the floor of the figures
   * above on this display (Xvfb draws in software). */
  for (guint i = 0; i < 50; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      wait_frame (&bench);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (idle, ms);
    }

  report ("catalog_keystroke_to_results", keys);
  report ("catalog_keystroke_to_frame", frames);
  report ("catalog_query_core", core);
  report ("catalog_clear_to_browse", clears);
  report ("catalog_browse_by_filter", filters);
  report ("catalog_unchanged_frame", idle);

  g_signal_handler_disconnect (gtk_widget_get_frame_clock (bench.window), handler);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&store);
  if (dir != NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_unlink (file);
        }
      g_rmdir (dir);
    }
  return 0;
}
