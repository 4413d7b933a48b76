/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-class-list.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CLASS_IMPORT_DIALOG (pfdo_class_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PfdoClassImportDialog, pfdo_class_import_dialog, PFDO, CLASS_IMPORT_DIALOG,
                      AdwWindow)

PfdoClassImportDialog *pfdo_class_import_dialog_new        (GtkWindow             *parent,
                                                            PfdoStore             *store,
                                                            const char            *session_id,
                                                            const char            *file_name,
                                                            PfdoClassList         *list);
guint                  pfdo_class_import_dialog_get_n_new  (PfdoClassImportDialog *self);
gboolean               pfdo_class_import_dialog_run_import (PfdoClassImportDialog *self,
                                                            GError               **error);

G_END_DECLS
