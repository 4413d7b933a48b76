/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pfdo-catalog.h"

G_BEGIN_DECLS

#define PFDO_TYPE_PROGRAM_ITEM (pfdo_program_item_get_type ())

G_DECLARE_FINAL_TYPE (PfdoProgramItem, pfdo_program_item, PFDO, PROGRAM_ITEM, GObject)

PfdoProgramItem          *pfdo_program_item_new         (PfdoCatalogProgram *program,
                                                         int                 age);
void                      pfdo_program_item_set_program (PfdoProgramItem    *self,
                                                         PfdoCatalogProgram *program,
                                                         int                 age);
const PfdoCatalogProgram *pfdo_program_item_get_program (PfdoProgramItem    *self);
const char               *pfdo_program_item_get_id      (PfdoProgramItem    *self);
int                       pfdo_program_item_get_age     (PfdoProgramItem    *self);

G_END_DECLS
