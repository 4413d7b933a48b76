/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-catalog.h"

G_BEGIN_DECLS

#define PFDO_TYPE_PROGRAM_PAGE (pfdo_program_page_get_type ())

G_DECLARE_FINAL_TYPE (PfdoProgramPage, pfdo_program_page, PFDO, PROGRAM_PAGE, AdwBin)

void pfdo_program_page_show_program (PfdoProgramPage          *self,
                                     const PfdoCatalogProgram *program,
                                     int                       age);

G_END_DECLS
