/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reference data of the demo region: real municipalities of Stavropol
 * krai and realistic Russian names, titles and addresses. */

typedef struct
{
  const char *name;
  const char *kind;          /* городской округ or муниципальный округ, as in the csv */
  const char *centre;        /* where the МОЦ and the schools are */
  gboolean    personified;   /* a pilot of personified financing since 2021 */
  guint       weight;        /* children, in thousands, roughly */
} PfdoDemoMunicipality;

typedef struct
{
  const char *name;
  const char *patronymic_m;
  const char *patronymic_f;
} PfdoDemoMaleName;

/* A program title with the activity (вид деятельности) it belongs to. */
typedef struct
{
  const char *title;
  const char *activity;
} PfdoDemoProgramKind;

typedef struct
{
  const char                *direction;   /* the API's code */
  const char                *name;        /* направленность, in Russian */
  const char                *outcome;     /* what the year ends with, for descriptions */
  const PfdoDemoProgramKind *kinds;       /* ends with { NULL, NULL } */
} PfdoDemoDirection;

extern const PfdoDemoMunicipality pfdo_demo_municipalities[];
extern const guint pfdo_demo_n_municipalities;

extern const char *const pfdo_demo_surnames[];   /* male forms */
extern const guint pfdo_demo_n_surnames;
extern const PfdoDemoMaleName pfdo_demo_male_names[];
extern const guint pfdo_demo_n_male_names;
extern const char *const pfdo_demo_female_names[];
extern const guint pfdo_demo_n_female_names;
extern const char *const pfdo_demo_streets[];
extern const guint pfdo_demo_n_streets;
extern const PfdoDemoDirection pfdo_demo_directions[];
extern const guint pfdo_demo_n_directions;
/* Title endings per level (start, base, advanced), each list ends with NULL. */
extern const char *const *const pfdo_demo_level_suffixes[];
extern const char *const pfdo_demo_provider_kinds[];
extern const guint pfdo_demo_n_provider_kinds;
extern const char *const pfdo_demo_provider_names[];
extern const guint pfdo_demo_n_provider_names;
extern const char *const pfdo_demo_reviews_good[];   /* for ratings 4 and 5 */
extern const guint pfdo_demo_n_reviews_good;
extern const char *const pfdo_demo_reviews_bad[];    /* for ratings 1 to 3 */
extern const guint pfdo_demo_n_reviews_bad;
extern const char *const pfdo_demo_reject_reasons[];
extern const guint pfdo_demo_n_reject_reasons;

extern const char *const pfdo_demo_close_reasons[];
extern const guint pfdo_demo_n_close_reasons;

char *pfdo_demo_surname_for (const char *male_surname,
                             gboolean    female);

G_END_DECLS
