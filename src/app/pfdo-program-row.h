/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pfdo-program-item.h"

G_BEGIN_DECLS

#define PFDO_TYPE_PROGRAM_ROW (pfdo_program_row_get_type ())

G_DECLARE_FINAL_TYPE (PfdoProgramRow, pfdo_program_row, PFDO, PROGRAM_ROW, GtkWidget)

GtkWidget       *pfdo_program_row_new      (void);
void             pfdo_program_row_set_item (PfdoProgramRow  *self,
                                            PfdoProgramItem *item);
PfdoProgramItem *pfdo_program_row_get_item (PfdoProgramRow  *self);
const char      *pfdo_program_row_get_title (PfdoProgramRow *self);

G_END_DECLS
