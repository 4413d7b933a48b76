/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CERTIFICATES_VIEW (pfdo_certificates_view_get_type ())

G_DECLARE_FINAL_TYPE (PfdoCertificatesView, pfdo_certificates_view, PFDO, CERTIFICATES_VIEW, AdwBin)

void pfdo_certificates_view_set_store    (PfdoCertificatesView *self,
                                      PfdoStore       *store);
void pfdo_certificates_view_reload       (PfdoCertificatesView *self);
void pfdo_certificates_view_focus_search (PfdoCertificatesView *self);

G_END_DECLS
