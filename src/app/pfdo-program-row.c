/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-program-row.h"
#include "pfdo-program-text.h"

/*
 * A program in the catalog's results: title, provider and municipality,
 * how it is paid for, the ages, the rating, and whether it can be chosen
 * now, so that the clerk sees a closed program before opening it.
 */

struct _PfdoProgramRow
{
  AdwActionRow     parent_instance;

  PfdoProgramItem *item;

  GtkLabel        *funding_label;
  GtkLabel        *facts_label;
  GtkLabel        *state_label;
};

G_DEFINE_FINAL_TYPE (PfdoProgramRow, pfdo_program_row, ADW_TYPE_ACTION_ROW)

static void
pfdo_program_row_dispose (GObject *object)
{
  PfdoProgramRow *self = PFDO_PROGRAM_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_PROGRAM_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (pfdo_program_row_parent_class)->dispose (object);
}

static void
pfdo_program_row_class_init (PfdoProgramRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_program_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/pfdo/Desk/pfdo-program-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, funding_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, facts_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, state_label);
}

static void
pfdo_program_row_init (PfdoProgramRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The one reason a row has room for, the most telling first. */
static const char *
state_text (PfdoProgramBlocks blocks)
{
  if (blocks & PFDO_PROGRAM_BLOCK_CLOSED)
    return _("Enrolment closed");
  if (blocks & PFDO_PROGRAM_BLOCK_NO_GROUPS)
    return _("No groups yet");
  if (blocks & PFDO_PROGRAM_BLOCK_NO_PLACES)
    return _("No free places");
  if (blocks & PFDO_PROGRAM_BLOCK_AGE)
    return _("Not for this age");
  return _("Enrolment open");
}

/**
 * pfdo_program_row_new:
 * @age: the child's age the clerk filters by, or -1
 */
GtkWidget *
pfdo_program_row_new (PfdoProgramItem *item,
                      int              age)
{
  const PfdoCatalogProgram *program;
  PfdoProgramRow *self;
  PfdoProgramBlocks blocks;
  g_autofree char *subtitle = NULL;
  g_autofree char *ages = NULL;
  g_autofree char *rating = NULL;
  g_autofree char *facts = NULL;

  g_return_val_if_fail (PFDO_IS_PROGRAM_ITEM (item), NULL);

  program = pfdo_program_item_get_program (item);
  self = g_object_new (PFDO_TYPE_PROGRAM_ROW, NULL);
  self->item = g_object_ref (item);

  subtitle = g_strdup_printf ("%s · %s · %s", program->provider_name,
                              program->municipality_name,
                              pfdo_program_direction_name (program->direction));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), program->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  ages = pfdo_program_age_text (program->age_min, program->age_max);
  rating = pfdo_program_rating_text (program->rating, program->reviews_count);
  facts = g_strdup_printf ("%s · %s", ages, rating);
  gtk_label_set_text (self->funding_label, pfdo_program_funding_name (program->funding));
  gtk_label_set_text (self->facts_label, facts);

  blocks = pfdo_catalog_program_blocks (program, age);
  gtk_label_set_text (self->state_label, state_text (blocks));
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), blocks != 0 ? "error" : "success");
  return GTK_WIDGET (self);
}

PfdoProgramItem *
pfdo_program_row_get_item (PfdoProgramRow *self)
{
  g_return_val_if_fail (PFDO_IS_PROGRAM_ROW (self), NULL);

  return self->item;
}
