/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The register of certificates on a full region, as a clerk sees it: the
 * view is shown in a window (run it under Xvfb), the list scrolled
 * through 2 000 rows by its adjustment, one step a frame, and the work of
 * each frame timed from the frame clock's update to its after-paint. Also
 * the time from giving the view the store to its first painted rows, and
 * searches as typed. One "name: value unit" line per figure on stdout.
 */
#define G_LOG_DOMAIN "pfdo-bench"

#include "config.h"

#include "pfdo-bench-common.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <time.h>

#include "pfdo-certificate-list.h"
#include "pfdo-certificates-view.h"
#include "pfdo-demo-region.h"
#include "pfdo-store.h"

#define SCROLL_ROWS 2000
#define STEP_ROWS   10

typedef struct
{
  GtkAdjustment *adjustment;
  PfdoCertificateList *list;
  GArray        *frames;      /* double ms per frame */
  GArray        *intervals;   /* double ms from one painted frame to the next */
  gint64         last_paint;
  double         step;        /* pixels a frame */
  double         target;      /* the value to stop at */
  gint64         started;     /* this frame's update, µs */
  gint64         cpu_started; /* the main thread's CPU time then, µs */
  GArray        *cpu;         /* double CPU ms of the main thread per frame */
  gboolean       scrolling;
  gboolean       painted;
  gboolean       jumping;
  guint          jump;
} Bench;

/* The main thread's CPU time: what a frame cost this process, without
 * the time other processes of a shared machine took the CPU from it. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
update_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->started = g_get_monotonic_time ();
  bench->cpu_started = thread_cpu_us ();
  if (!bench->scrolling)
    return;

  if (bench->jumping)
    {
      /* Far jumps, as when the scroll bar is dragged: each lands on pages
       * never read. */
      double upper = gtk_adjustment_get_upper (bench->adjustment) -
                     gtk_adjustment_get_page_size (bench->adjustment);
      double fractions[] = { 0.5, 0.9, 0.25, 0.75, 1.0, 0.1, 0.6 };

      if (bench->jump < G_N_ELEMENTS (fractions))
        gtk_adjustment_set_value (bench->adjustment, upper * fractions[bench->jump++]);
      else
        bench->scrolling = FALSE;
      return;
    }

  if (gtk_adjustment_get_value (bench->adjustment) >= bench->target)
    bench->scrolling = FALSE;
  else
    gtk_adjustment_set_value (bench->adjustment,
                              gtk_adjustment_get_value (bench->adjustment) + bench->step);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  bench->painted = TRUE;
  if (bench->scrolling && bench->started > 0)
    {
      double ms = (now - bench->started) / 1000.0;
      double cpu = (thread_cpu_us () - bench->cpu_started) / 1000.0;

      g_array_append_val (bench->frames, ms);
      g_array_append_val (bench->cpu, cpu);
      if (bench->last_paint > 0)
        {
          double interval = (now - bench->last_paint) / 1000.0;

          g_array_append_val (bench->intervals, interval);
        }
    }
  bench->last_paint = now;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  /* Keeps the frame clock running while the bench scrolls. */
  return G_SOURCE_CONTINUE;
}

static void
wait_painted (Bench *bench)
{
  bench->painted = FALSE;
  while (!bench->painted)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The register's list: the list view over the certificates, not the one
 * in the status filter's popup. */
static GtkWidget *
find_register (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    {
      GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));

      if (GTK_IS_NO_SELECTION (model) &&
          PFDO_IS_CERTIFICATE_LIST (gtk_no_selection_get_model (GTK_NO_SELECTION (model))))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_register (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Times a search typed into the register, count and first page included. */
static double
time_search (PfdoCertificatesView *view,
             GtkEditable          *entry,
             const char           *text)
{
  gint64 start = g_get_monotonic_time ();

  gtk_editable_set_text (entry, text);
  /* The view searches on search-changed; emit it now, without the delay. */
  g_signal_emit_by_name (entry, "search-changed");
  return (g_get_monotonic_time () - start) / 1000.0;
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
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  Bench bench = { 0 };
  PfdoDemoScale scale;
  PfdoCertificatesView *view;
  GtkWidget *window, *overlay, *list_view;
  GtkEditable *entry;
  GdkFrameClock *clock;
  gint64 start;
  guint n_items;
  const char *typed[] = { "и", "ив", "иван", "пет", "2601", "260100", "2601000123", "смирнова а" };
  GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale_name, "demo or region", "SCALE" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
      "keep the seeded store at FILE, or use it if it is seeded already", "FILE" },
    { NULL },
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !pfdo_demo_scale_from_string (scale_name != NULL ? scale_name : "region", &scale))
    {
      g_printerr ("usage: pfdo-bench-certificates [--scale demo|region] [--keep FILE]\n");
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("pfdo-bench-certificates needs a display: run it under xvfb-run\n");
      return 2;
    }
  adw_init ();

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
  if (pfdo_store_query_int (store, "SELECT count(*) FROM certificate", NULL, NULL) == 0 &&
      !pfdo_demo_region_generate (store, scale, 1, pfdo_bench_progress_cb, NULL, NULL, &error))
    {
      g_printerr ("seeding failed: %s\n", error->message);
      return 1;
    }
  g_printerr ("\n");

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  overlay = adw_toast_overlay_new ();
  view = g_object_new (PFDO_TYPE_CERTIFICATES_VIEW, NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (window);
  bench.frames = g_array_new (FALSE, FALSE, sizeof (double));
  bench.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  bench.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (clock, "update", G_CALLBACK (update_cb), &bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  gtk_widget_add_tick_callback (window, tick_cb, NULL, NULL);
  wait_painted (&bench);

  /* Open: the store given, until the first rows are painted. */
  start = g_get_monotonic_time ();
  pfdo_certificates_view_set_store (view, store);
  gtk_widget_queue_draw (window);
  wait_painted (&bench);
  g_print ("certificates_open_ms: %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  list_view = find_register (GTK_WIDGET (view));
  bench.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  bench.list = PFDO_CERTIFICATE_LIST (gtk_no_selection_get_model (GTK_NO_SELECTION (
    gtk_list_view_get_model (GTK_LIST_VIEW (list_view)))));
  n_items = g_list_model_get_n_items (G_LIST_MODEL (bench.list));
  g_print ("certificates_rows: %u count\n", n_items);

  /* Scroll 2 000 rows, STEP_ROWS a frame. */
  for (guint i = 0; i < 10; i++)
    wait_painted (&bench);
  {
    double row = gtk_adjustment_get_upper (bench.adjustment) / MAX (n_items, 1);

    bench.step = row * STEP_ROWS;
    bench.target = MIN (row * SCROLL_ROWS, gtk_adjustment_get_upper (bench.adjustment) -
                                           gtk_adjustment_get_page_size (bench.adjustment));
  }
  bench.scrolling = TRUE;
  while (bench.scrolling)
    g_main_context_iteration (NULL, TRUE);
  g_print ("certificates_scroll_frames: %u count\n", bench.frames->len);
  g_print ("certificates_scroll_frame_ms_median: %.2f ms\n", pfdo_bench_percentile (bench.frames, 0.5));
  g_print ("certificates_scroll_frame_ms_p99: %.2f ms\n", pfdo_bench_percentile (bench.frames, 0.99));
  /* From one painted frame to the next: includes work done between frames,
   * and the frame clock's own pace (16.7 ms at 60 Hz). */
  g_print ("certificates_scroll_interval_ms_p99: %.2f ms\n", pfdo_bench_percentile (bench.intervals, 0.99));
  g_print ("certificates_scroll_frame_cpu_ms_median: %.2f ms\n", pfdo_bench_percentile (bench.cpu, 0.5));
  g_print ("certificates_scroll_frame_cpu_ms_p99: %.2f ms\n", pfdo_bench_percentile (bench.cpu, 0.99));
  g_print ("certificates_pages_read: %u count\n",
           pfdo_certificate_list_get_pages_loaded (bench.list));

  /* Far jumps of the scroll bar. */
  g_array_set_size (bench.frames, 0);
  bench.jumping = TRUE;
  bench.scrolling = TRUE;
  while (bench.scrolling)
    g_main_context_iteration (NULL, TRUE);
  g_print ("certificates_jump_frame_ms_max: %.2f ms\n", pfdo_bench_percentile (bench.frames, 1.0));

  /* Searches as typed: count and first page. */
  entry = GTK_EDITABLE (find_type (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY));
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      double ms = time_search (view, entry, typed[i]);

      g_array_append_val (searches, ms);
      wait_painted (&bench);
    }
  g_print ("certificates_search_ms_median: %.2f ms\n", pfdo_bench_percentile (searches, 0.5));
  g_print ("certificates_search_ms_max: %.2f ms\n", pfdo_bench_percentile (searches, 1.0));

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (bench.frames);
  g_array_unref (bench.intervals);
  g_array_unref (bench.cpu);
  g_clear_object (&store);
  if (keep == NULL)
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
