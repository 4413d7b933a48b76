/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"
#include "pfdo-syncer.h"

G_BEGIN_DECLS

#define PFDO_TYPE_WINDOW (pfdo_window_get_type ())

G_DECLARE_FINAL_TYPE (PfdoWindow, pfdo_window, PFDO, WINDOW, AdwApplicationWindow)

PfdoWindow *pfdo_window_new               (GtkApplication *application,
                                           PfdoStore      *store,
                                           PfdoSyncer     *syncer);
PfdoSyncer *pfdo_window_get_syncer        (PfdoWindow     *self);
const char *pfdo_window_get_sync_text     (PfdoWindow     *self);
PfdoStore  *pfdo_window_get_store         (PfdoWindow     *self);
const char *pfdo_window_get_visible_view  (PfdoWindow     *self);
gboolean    pfdo_window_get_loading       (PfdoWindow     *self);
gboolean    pfdo_window_is_empty          (PfdoWindow     *self);

G_END_DECLS
