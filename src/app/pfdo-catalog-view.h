/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CATALOG_VIEW (pfdo_catalog_view_get_type ())

G_DECLARE_FINAL_TYPE (PfdoCatalogView, pfdo_catalog_view, PFDO, CATALOG_VIEW, AdwBin)

void        pfdo_catalog_view_set_store      (PfdoCatalogView *self,
                                              PfdoStore       *store);
void        pfdo_catalog_view_reload         (PfdoCatalogView *self);
void        pfdo_catalog_view_focus_search   (PfdoCatalogView *self);
void        pfdo_catalog_view_fit_to_age     (PfdoCatalogView *self,
                                              int              age);
GListModel *pfdo_catalog_view_get_results    (PfdoCatalogView *self);
const char *pfdo_catalog_view_get_program_id (PfdoCatalogView *self);

G_END_DECLS
