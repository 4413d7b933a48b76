/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pfdo-certificate-item.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CERTIFICATE_ROW (pfdo_certificate_row_get_type ())

G_DECLARE_FINAL_TYPE (PfdoCertificateRow, pfdo_certificate_row, PFDO, CERTIFICATE_ROW, GtkWidget)

GtkWidget *pfdo_certificate_row_new        (void);
GtkWidget *pfdo_certificate_row_new_header (void);
void       pfdo_certificate_row_set_item   (PfdoCertificateRow  *self,
                                            PfdoCertificateItem *item);

G_END_DECLS
