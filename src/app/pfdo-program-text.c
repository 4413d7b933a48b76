/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "pfdo-program-text.h"

/*
 * The catalog's words for a program's codes: directions, funding, forms,
 * levels, ages, places and the reasons a program cannot be chosen.
 */

const PfdoProgramChoice pfdo_program_directions[] = {
  { "technical", N_("Technical") },
  { "natural_science", N_("Natural science") },
  { "sports", N_("Physical culture and sports") },
  { "arts", N_("Arts") },
  { "tourism", N_("Tourism and local history") },
  { "social", N_("Social and humanitarian") },
};
const guint pfdo_program_n_directions = G_N_ELEMENTS (pfdo_program_directions);

const PfdoProgramChoice pfdo_program_fundings[] = {
  { "certified", N_("Paid by certificate") },
  { "budget", N_("Budget, free for the family") },
  { "paid", N_("Paid by the family") },
};
const guint pfdo_program_n_fundings = G_N_ELEMENTS (pfdo_program_fundings);

const PfdoProgramChoice pfdo_program_forms[] = {
  { "in_person", N_("In person") },
  { "blended", N_("Blended") },
  { "distance", N_("Distance") },
};
const guint pfdo_program_n_forms = G_N_ELEMENTS (pfdo_program_forms);

static const PfdoProgramChoice levels[] = {
  { "start", N_("Starting") },
  { "base", N_("Basic") },
  { "advanced", N_("Advanced") },
};

static const char *
find_name (const PfdoProgramChoice *choices,
           guint                    n_choices,
           const char              *code)
{
  for (guint i = 0; i < n_choices; i++)
    if (g_strcmp0 (choices[i].code, code) == 0)
      return _(choices[i].name);
  /* A code a newer server sent: show it rather than nothing. */
  return code != NULL ? code : "—";
}

const char *
pfdo_program_direction_name (const char *code)
{
  return find_name (pfdo_program_directions, pfdo_program_n_directions, code);
}

const char *
pfdo_program_funding_name (const char *code)
{
  return find_name (pfdo_program_fundings, pfdo_program_n_fundings, code);
}

const char *
pfdo_program_form_name (const char *code)
{
  return find_name (pfdo_program_forms, pfdo_program_n_forms, code);
}

const char *
pfdo_program_level_name (const char *code)
{
  return find_name (levels, G_N_ELEMENTS (levels), code);
}

/* "7–12 years" */
char *
pfdo_program_age_text (gint64 age_min,
                       gint64 age_max)
{
  if (age_min == age_max)
    return g_strdup_printf (ngettext ("%d year", "%d years", (gulong) age_max), (int) age_max);
  /* TRANSLATORS: an age range; the plural follows the upper age. */
  return g_strdup_printf (ngettext ("%d–%d year", "%d–%d years", (gulong) age_max), (int) age_min,
                          (int) age_max);
}

/* "★ 4.5 · 12 reviews", or "No reviews yet" */
char *
pfdo_program_rating_text (double rating,
                          gint64 reviews_count)
{
  int tenths = (int) (rating * 10 + 0.5);
  g_autofree char *count = NULL;

  if (reviews_count <= 0)
    return g_strdup (_("No reviews yet"));
  count = g_strdup_printf (ngettext ("%d review", "%d reviews", (gulong) reviews_count),
                           (int) reviews_count);
  /* TRANSLATORS: the decimal separator of a rating such as 4.5. */
  return g_strdup_printf ("★ %d%s%d · %s", tenths / 10, C_("decimal separator", "."), tenths % 10,
                          count);
}

/* "3 of 15 places free", or "No free places" */
char *
pfdo_program_places_text (gint64 free_places,
                          gint64 capacity)
{
  if (free_places <= 0)
    return g_strdup (_("No free places"));
  return g_strdup_printf (ngettext ("%d of %d place free", "%d of %d places free",
                                    (gulong) capacity),
                          (int) free_places, (int) capacity);
}

/* The reasons, each a sentence of its own. */
char *
pfdo_program_blocks_text (PfdoProgramBlocks         blocks,
                          const PfdoCatalogProgram *program,
                          int                       age)
{
  GString *out = g_string_new (NULL);

  if (blocks & PFDO_PROGRAM_BLOCK_INACTIVE)
    g_string_append_printf (out, "%s ", _("The program was taken off the catalog."));
  if (blocks & PFDO_PROGRAM_BLOCK_CLOSED)
    g_string_append_printf (out, "%s ", _("The provider has closed the enrolment."));
  if (blocks & PFDO_PROGRAM_BLOCK_NO_GROUPS)
    g_string_append_printf (out, "%s ",
                            _("The provider has not set up any group with a schedule yet."));
  if (blocks & PFDO_PROGRAM_BLOCK_NO_PLACES)
    g_string_append_printf (out, "%s ", _("Every group is full."));
  if (blocks & PFDO_PROGRAM_BLOCK_AGE)
    {
      g_autofree char *range = pfdo_program_age_text (program->age_min, program->age_max);
      g_autofree char *child = g_strdup_printf (ngettext ("%d year", "%d years", (gulong) age),
                                                age);

      /* TRANSLATORS: "The program is for 14–17 years; the child is 10 years." */
      g_string_append_printf (out, _("The program is for %s, and the child is %s."), range,
                              child);
      g_string_append_c (out, ' ');
    }
  if (out->len > 0)
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* "2026-09-01" as "01.09.2026" */
char *
pfdo_program_date_text (const char *iso_date)
{
  int year, month, day;

  if (iso_date == NULL || sscanf (iso_date, "%4d-%2d-%2d", &year, &month, &day) != 3)
    return g_strdup (iso_date != NULL ? iso_date : "—");
  return g_strdup_printf ("%02d.%02d.%04d", day, month, year);
}
