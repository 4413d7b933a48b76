/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-memo.h"

G_BEGIN_DECLS

/* How the memo lays out on a page, for the tests. */
typedef struct
{
  double bottom;  /* the lowest point the content reaches */
  double limit;   /* the lowest point it may reach: the page less its margin */
  double scale;   /* the font scale chosen: 1.0 unless the text had to shrink */
} PfdoMemoFit;

PfdoMemoFit  pfdo_memo_measure  (cairo_t                *cr,
                                 double                  width,
                                 double                  height,
                                 const PfdoMemoFamily   *family,
                                 const PfdoMemoSettings *settings);

G_END_DECLS
