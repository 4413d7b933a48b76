/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The desk's start and memory on a full-region store, next to a bare GTK
 * window started the same way. Each start is a fresh process (this
 * program run with --child), timed from its main() to the first frame
 * drawn; the figure is the median of several starts.
 *
 *   pfdo-bench-desk --db STORE [--runs N]
 *
 * prints startup_first_frame_ms, gtk_hello_first_frame_ms,
 * startup_ratio, app_rss_mib (every view visited) and gtk_hello_rss_mib
 * (the bare window's, for what GTK and the renderer take alone). Run under a display
 * (build-aux/dev bench uses Xvfb).
 */
#include "config.h"

#include "pfdo-bench-common.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "pfdo-window.h"

static gint64 started_at;

static void
die (const char *message)
{
  g_printerr ("pfdo-bench-desk: %s\n", message);
  exit (1);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *drawn)
{
  *drawn = TRUE;
}

static void
wait_first_frame (GtkWidget *window)
{
  gboolean drawn = FALSE;
  GdkFrameClock *clock;
  gulong handler;

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &drawn);
  while (!drawn)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

static double
rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

/* One start: a bare window with a label, or the desk on @db. Prints the
 * milliseconds from main() to the first frame, and the desk's memory once
 * every view has been shown. */
static int
run_child (const char *db)
{
  GtkWidget *window;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  double ms;

  gtk_init ();
  adw_init ();
  if (db == NULL)
    {
      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
      gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello"));
    }
  else
    {
      store = pfdo_store_open (db, &error);
      if (store == NULL)
        die (error->message);
      window = GTK_WIDGET (pfdo_window_new (NULL, store, NULL));
    }
  gtk_window_present (GTK_WINDOW (window));
  wait_first_frame (window);
  ms = (g_get_monotonic_time () - started_at) / 1000.0;
  g_print ("%.1f\n", ms);

  if (db != NULL)
    {
      const char *views[] = { "catalog", "verification", "certificates", "meeting" };

      /* The figures load on a worker thread; then each view once. */
      while (pfdo_window_get_loading (PFDO_WINDOW (window)))
        g_main_context_iteration (NULL, TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (views); i++)
        {
          gtk_widget_activate_action (window, "win.show-view", "s", views[i]);
          gtk_widget_queue_draw (window);
          wait_first_frame (window);
        }
      g_print ("%.1f\n", rss_mib ());
    }
  else
    g_print ("%.1f\n", rss_mib ());
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* Starts this program @runs times as a child; returns the median of the
 * first figure each printed, and the largest second one in @out_second. */
static double
median_start (const char *self_path,
              const char *db,
              guint       runs,
              double     *out_second)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  *out_second = 0;
  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      double ms;

      if (db != NULL)
        child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--child",
                                  "--db", db, NULL);
      else
        child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--child",
                                  NULL);
      if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error))
        die (error->message);
      if (!g_subprocess_get_successful (child))
        die ("a start failed");
      lines = g_strsplit (out, "\n", -1);
      ms = g_ascii_strtod (lines[0], NULL);
      g_array_append_val (times, ms);
      if (lines[1] != NULL && *lines[1] != '\0')
        *out_second = MAX (*out_second, g_ascii_strtod (lines[1], NULL));
    }
  return pfdo_bench_percentile (times, 0.5);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  gboolean child = FALSE;
  int runs = 5;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "a full-region store", "FILE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "starts of each", "N" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child, NULL, NULL },
    { NULL }
  };
  double desk_ms, hello_ms, rss, hello_rss, cairo_rss, hello_cairo_rss, unused;

  started_at = g_get_monotonic_time ();
  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die (error->message);
  if (child)
    return run_child (db);
  if (db == NULL || runs < 1)
    die ("usage: pfdo-bench-desk --db STORE [--runs N]");

  /* One start to warm the page cache, as a desk opened every morning. */
  median_start (argv[0], db, 1, &unused);
  hello_ms = median_start (argv[0], NULL, (guint) runs, &hello_rss);
  desk_ms = median_start (argv[0], db, (guint) runs, &rss);
  /* Under Xvfb GTK draws with software GL, which alone takes most of a bare
   * window's memory; the same with the cairo renderer tells the desk's own. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  median_start (argv[0], NULL, 1, &hello_cairo_rss);
  median_start (argv[0], db, 1, &cairo_rss);
  g_print ("gtk_hello_first_frame_ms: %.1f ms\n", hello_ms);
  g_print ("startup_first_frame_ms: %.1f ms\n", desk_ms);
  g_print ("startup_ratio: %.2f\n", desk_ms / hello_ms);
  g_print ("gtk_hello_rss_mib: %.1f MiB\n", hello_rss);
  g_print ("app_rss_mib: %.1f MiB\n", rss);
  g_print ("gtk_hello_rss_cairo_mib: %.1f MiB\n", hello_cairo_rss);
  g_print ("app_rss_cairo_mib: %.1f MiB\n", cairo_rss);
  return 0;
}
