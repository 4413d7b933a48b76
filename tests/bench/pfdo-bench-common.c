/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pfdo-bench-common.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
pfdo_bench_percentile (GArray *samples,
                       double  p)
{
  g_assert (samples->len > 0);
  g_array_sort (samples, compare_double);
  return g_array_index (samples, double, (guint) (p * (samples->len - 1) + 0.5));
}

void
pfdo_bench_progress_cb (const char *phase,
                        guint64     done,
                        guint64     total,
                        gpointer    user_data)
{
  if (done == total)
    g_printerr ("# %s: %" G_GUINT64_FORMAT "\n", phase, total);
}
