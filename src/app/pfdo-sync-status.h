/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pfdo-syncer.h"

G_BEGIN_DECLS

#define PFDO_TYPE_SYNC_STATUS (pfdo_sync_status_get_type ())

G_DECLARE_FINAL_TYPE (PfdoSyncStatus, pfdo_sync_status, PFDO, SYNC_STATUS, GtkWidget)

void        pfdo_sync_status_set_syncer  (PfdoSyncStatus *self,
                                          PfdoSyncer     *syncer);
const char *pfdo_sync_status_get_text    (PfdoSyncStatus *self);
char       *pfdo_sync_status_describe    (PfdoSyncer     *syncer,
                                          GDateTime      *now);

G_END_DECLS
