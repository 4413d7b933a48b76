/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_VERIFICATION_VIEW (pfdo_verification_view_get_type ())

G_DECLARE_FINAL_TYPE (PfdoVerificationView, pfdo_verification_view, PFDO, VERIFICATION_VIEW, AdwBin)

void pfdo_verification_view_set_store    (PfdoVerificationView *self,
                                      PfdoStore       *store);
void pfdo_verification_view_reload       (PfdoVerificationView *self);
void pfdo_verification_view_focus_search (PfdoVerificationView *self);
void pfdo_verification_view_open_child   (PfdoVerificationView *self,
                                          const char           *child_id);

G_END_DECLS
