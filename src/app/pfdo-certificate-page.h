/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CERTIFICATE_PAGE (pfdo_certificate_page_get_type ())

G_DECLARE_FINAL_TYPE (PfdoCertificatePage, pfdo_certificate_page, PFDO, CERTIFICATE_PAGE, AdwBin)

void        pfdo_certificate_page_set_store          (PfdoCertificatePage *self,
                                                      PfdoStore           *store);
gboolean    pfdo_certificate_page_load               (PfdoCertificatePage *self,
                                                      const char          *certificate_id,
                                                      GError             **error);
void        pfdo_certificate_page_reload             (PfdoCertificatePage *self);
const char *pfdo_certificate_page_get_certificate_id (PfdoCertificatePage *self);
void        pfdo_certificate_page_focus              (PfdoCertificatePage *self);

G_END_DECLS
