/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The family's memo as the desk saves it: one family's one-page PDF, the
 * figure a clerk waits for after saving a family, and the PDF of a whole
 * parent meeting (30 families) printed at its end. Each is the median of
 * several runs after one warm-up, which loads the fonts. No display is
 * needed. One "name: value unit" line per figure on stdout; the first,
 * cold run on stderr.
 *
 *   pfdo-bench-memo [--runs N]
 */
#define G_LOG_DOMAIN "pfdo-bench"

#include "config.h"

#include "pfdo-bench-common.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-memo.h"

#define N_MEETING 30

static const PfdoMemoChild children[] = {
  { "Смирнов", "Пётр", "Александрович", "2016-03-01", "0000123456" },
  { "Смирнова", "Анна", "Александровна", "2013-11-20", "5202004417" },
};

static const PfdoMemoSettings settings = {
  "https://р52.навигатор.дети/",
  "МОЦ Богородского муниципального округа",
  "+78317044123",
  "г. Богородск, ул. Ленина, д. 206, каб. 12",
  "пн–пт 9:00–17:00, обед 12:00–13:00",
};

static double
time_write (const char                   *path,
            const PfdoMemoFamily * const *families,
            guint                         n_families)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!pfdo_memo_write_pdf (path, families, n_families, &settings, &error))
    g_error ("%s", error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
report (const char                   *name,
        const char                   *path,
        const PfdoMemoFamily * const *families,
        guint                         n_families,
        guint                         runs)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  double cold = time_write (path, families, n_families);

  for (guint i = 0; i < runs; i++)
    {
      double ms = time_write (path, families, n_families);

      g_array_append_val (samples, ms);
    }
  g_print ("%s: %.2f ms\n", name, pfdo_bench_percentile (samples, 0.5));
  g_printerr ("# %s: first run %.2f ms, %u runs, max %.2f ms\n", name, cold, runs,
              pfdo_bench_percentile (samples, 1.0));
}

int
main (int   argc,
      char *argv[])
{
  int runs = 15;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  PfdoMemoFamily family = { "Смирнова", "Мария", "Викторовна", children, 1 };
  PfdoMemoFamily meeting[N_MEETING];
  const PfdoMemoFamily *one[] = { &family };
  const PfdoMemoFamily *all[N_MEETING];
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "runs per figure (15)", "N" },
    { NULL },
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1)
    {
      g_printerr ("usage: pfdo-bench-memo [--runs N]\n");
      return 2;
    }

  dir = g_dir_make_tmp ("pfdo-bench-memo-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "memo.pdf", NULL);

  /* A meeting's families have one child or two. */
  for (guint i = 0; i < N_MEETING; i++)
    {
      meeting[i] = family;
      meeting[i].n_children = 1 + i % 2;
      all[i] = &meeting[i];
    }

  report ("memo_pdf_ms", path, one, 1, runs);
  report ("memo_pdf_30_families_ms", path, all, N_MEETING, MAX (runs / 3, 1));

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
