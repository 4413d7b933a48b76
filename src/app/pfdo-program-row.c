/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-program-row.h"
#include "pfdo-program-text.h"

/*
 * A program in the catalog's results: title, provider and municipality,
 * how it is paid for, the ages, the rating, and whether it can be chosen
 * now, so that the clerk sees a closed program before opening it. The
 * results' list view recycles rows: an item is set on a row and replaced.
 */

struct _PfdoProgramRow
{
  GtkWidget        parent_instance;

  PfdoProgramItem *item;
  gulong           changed_id;

  GtkLabel        *title_label;
  GtkLabel        *subtitle_label;
  GtkLabel        *funding_label;
  GtkLabel        *facts_label;
  GtkLabel        *state_label;
};

G_DEFINE_FINAL_TYPE (PfdoProgramRow, pfdo_program_row, GTK_TYPE_WIDGET)

static void
pfdo_program_row_dispose (GObject *object)
{
  PfdoProgramRow *self = PFDO_PROGRAM_ROW (object);
  GtkWidget *child;

  pfdo_program_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_PROGRAM_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pfdo_program_row_parent_class)->dispose (object);
}

static void
pfdo_program_row_class_init (PfdoProgramRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_program_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/pfdo/Desk/pfdo-program-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, funding_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, facts_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramRow, state_label);
}

static void
pfdo_program_row_init (PfdoProgramRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pfdo_program_row_new (void)
{
  return g_object_new (PFDO_TYPE_PROGRAM_ROW, NULL);
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
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

/* Shows what the item holds now. Labels are set only when they change:
 * most of a row stays the same from one keystroke to the next. */
static void
update (PfdoProgramRow *self)
{
  const PfdoCatalogProgram *program = pfdo_program_item_get_program (self->item);
  PfdoProgramBlocks blocks = pfdo_catalog_program_blocks (program,
                                                          pfdo_program_item_get_age (self->item));
  g_autofree char *subtitle = NULL;
  g_autofree char *ages = NULL;
  g_autofree char *rating = NULL;
  g_autofree char *facts = NULL;

  subtitle = g_strdup_printf ("%s · %s · %s", program->provider_name,
                              program->municipality_name,
                              pfdo_program_direction_name (program->direction));
  ages = pfdo_program_age_text (program->age_min, program->age_max);
  rating = pfdo_program_rating_text (program->rating, program->reviews_count);
  facts = g_strdup_printf ("%s · %s", ages, rating);

  set_text (self->title_label, program->title);
  set_text (self->subtitle_label, subtitle);
  set_text (self->funding_label, pfdo_program_funding_name (program->funding));
  set_text (self->facts_label, facts);
  set_text (self->state_label, state_text (blocks));
  if (blocks != 0)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "success");
    }
}

/**
 * pfdo_program_row_set_item:
 * @item: (nullable): the item to show and follow, or %NULL to let go
 */
void
pfdo_program_row_set_item (PfdoProgramRow  *self,
                           PfdoProgramItem *item)
{
  g_return_if_fail (PFDO_IS_PROGRAM_ROW (self));
  g_return_if_fail (item == NULL || PFDO_IS_PROGRAM_ITEM (item));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->changed_id, self->item);
  g_set_object (&self->item, item);
  if (item == NULL)
    return;
  self->changed_id = g_signal_connect_swapped (item, "changed", G_CALLBACK (update), self);
  update (self);
}

PfdoProgramItem *
pfdo_program_row_get_item (PfdoProgramRow *self)
{
  g_return_val_if_fail (PFDO_IS_PROGRAM_ROW (self), NULL);

  return self->item;
}

/* The title as the row shows it. */
const char *
pfdo_program_row_get_title (PfdoProgramRow *self)
{
  g_return_val_if_fail (PFDO_IS_PROGRAM_ROW (self), NULL);

  return gtk_label_get_text (self->title_label);
}
