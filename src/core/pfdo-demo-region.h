/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

typedef enum
{
  PFDO_DEMO_SCALE_DEMO,     /* about 2 000 children */
  PFDO_DEMO_SCALE_REGION,   /* the full region of DESIGN.md: 420 000 children */
} PfdoDemoScale;

typedef void (*PfdoDemoProgressFunc) (const char *phase,
                                      guint64     done,
                                      guint64     total,
                                      gpointer    user_data);

gboolean  pfdo_demo_scale_from_string (const char            *name,
                                       PfdoDemoScale         *out_scale);
gboolean  pfdo_demo_region_generate   (PfdoStore             *store,
                                       PfdoDemoScale          scale,
                                       guint64                seed,
                                       PfdoDemoProgressFunc   progress,
                                       gpointer               user_data,
                                       GCancellable          *cancellable,
                                       GError               **error);

G_END_DECLS
