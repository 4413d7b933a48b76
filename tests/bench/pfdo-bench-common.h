/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What every benchmark program of build-aux/dev bench shares. */

/* The @p-th fraction (0.5 the median, 0.99, 1.0 the largest) of
 * @samples, which it sorts. */
double pfdo_bench_percentile  (GArray     *samples,
                               double      p);
/* The demo generator's progress: each phase once it is done, on stderr. */
void   pfdo_bench_progress_cb (const char *phase,
                               guint64     done,
                               guint64     total,
                               gpointer    user_data);

G_END_DECLS
