/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CERTIFICATE_ENROLL_DIALOG (pfdo_certificate_enroll_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PfdoCertificateEnrollDialog, pfdo_certificate_enroll_dialog, PFDO,
                      CERTIFICATE_ENROLL_DIALOG, AdwWindow)

PfdoCertificateEnrollDialog *pfdo_certificate_enroll_dialog_new (GtkWindow  *parent,
                                                                 PfdoStore  *store,
                                                                 const char *certificate_id,
                                                                 gint64      available_kopecks);

G_END_DECLS
