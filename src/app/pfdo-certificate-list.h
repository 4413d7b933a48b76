/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pfdo-certificate-item.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CERTIFICATE_LIST (pfdo_certificate_list_get_type ())

G_DECLARE_FINAL_TYPE (PfdoCertificateList, pfdo_certificate_list, PFDO, CERTIFICATE_LIST, GObject)

PfdoCertificateList *pfdo_certificate_list_new              (void);
void                 pfdo_certificate_list_set_store        (PfdoCertificateList *self,
                                                             PfdoStore           *store);
gboolean             pfdo_certificate_list_set_filter       (PfdoCertificateList *self,
                                                             const char          *municipality_id,
                                                             const char          *status,
                                                             const char          *text,
                                                             GError             **error);
gboolean             pfdo_certificate_list_reload           (PfdoCertificateList *self,
                                                             GError             **error);
gboolean             pfdo_certificate_list_refresh_item     (PfdoCertificateList *self,
                                                             const char          *certificate_id,
                                                             GError             **error);
guint                pfdo_certificate_list_get_pages_loaded (PfdoCertificateList *self);

G_END_DECLS
