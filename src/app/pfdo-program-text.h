/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pfdo-catalog.h"

G_BEGIN_DECLS

/* The words the catalog shows for the codes of a program, in one place
 * for the list and the program page. */

typedef struct
{
  const char *code;
  const char *name;       /* translatable, marked with N_() */
} PfdoProgramChoice;

extern const PfdoProgramChoice pfdo_program_directions[];
extern const guint             pfdo_program_n_directions;
extern const PfdoProgramChoice pfdo_program_fundings[];
extern const guint             pfdo_program_n_fundings;
extern const PfdoProgramChoice pfdo_program_forms[];
extern const guint             pfdo_program_n_forms;

/* The minimum and maximum age of a child the catalog asks about. */
#define PFDO_PROGRAM_AGE_MIN 5
#define PFDO_PROGRAM_AGE_MAX 18

const char *pfdo_program_direction_name (const char               *code);
const char *pfdo_program_funding_name   (const char               *code);
const char *pfdo_program_form_name      (const char               *code);
const char *pfdo_program_level_name     (const char               *code);
char       *pfdo_program_age_text       (gint64                    age_min,
                                         gint64                    age_max);
char       *pfdo_program_rating_text    (double                    rating,
                                         gint64                    reviews_count);
char       *pfdo_program_places_text    (gint64                    free_places,
                                         gint64                    capacity);
char       *pfdo_program_blocks_text    (PfdoProgramBlocks         blocks,
                                         const PfdoCatalogProgram *program,
                                         int                       age);
char       *pfdo_program_date_text      (const char               *iso_date);

G_END_DECLS
