/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"
#include "pfdo-syncer.h"

G_BEGIN_DECLS

#define PFDO_TYPE_BUNDLE_DIALOG (pfdo_bundle_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PfdoBundleDialog, pfdo_bundle_dialog, PFDO, BUNDLE_DIALOG, AdwWindow)

PfdoBundleDialog *pfdo_bundle_dialog_new_export  (GtkWindow        *parent,
                                                  PfdoStore        *store);
PfdoBundleDialog *pfdo_bundle_dialog_new_import  (GtkWindow        *parent,
                                                  PfdoStore        *store,
                                                  PfdoSyncer       *syncer);
void              pfdo_bundle_dialog_set_file    (PfdoBundleDialog *self,
                                                  const char       *path);
void              pfdo_bundle_dialog_set_reply_file (PfdoBundleDialog *self,
                                                  const char       *path);
const char       *pfdo_bundle_dialog_get_message (PfdoBundleDialog *self);
gboolean          pfdo_bundle_dialog_get_busy    (PfdoBundleDialog *self);

G_END_DECLS
