/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-program-item.h"

G_BEGIN_DECLS

#define PFDO_TYPE_PROGRAM_ROW (pfdo_program_row_get_type ())

G_DECLARE_FINAL_TYPE (PfdoProgramRow, pfdo_program_row, PFDO, PROGRAM_ROW, AdwActionRow)

GtkWidget       *pfdo_program_row_new      (PfdoProgramItem *item,
                                            int              age);
PfdoProgramItem *pfdo_program_row_get_item (PfdoProgramRow  *self);

G_END_DECLS
