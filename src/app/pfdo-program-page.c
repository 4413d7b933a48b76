/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-program-page.h"
#include "pfdo-program-text.h"
#include "pfdo-text.h"

/*
 * A program's page in the catalog: what a family asks about at the desk
 * (who teaches, where, when, for which ages, what it costs and what the
 * certificate pays), the groups with their schedules and free places, the
 * reviews, and first of all whether the program can be chosen now and, if
 * not, why.
 */

struct _PfdoProgramPage
{
  AdwBin             parent_instance;

  GtkScrolledWindow *scrolled_window;
  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkWidget         *state_box;
  GtkImage          *state_icon;
  GtkLabel          *state_title_label;
  GtkLabel          *state_label;
  GtkListBox        *facts_list;
  GtkListBox        *provider_list;
  GtkListBox        *cost_list;
  GtkWidget         *description_group;
  GtkLabel          *description_label;
  AdwPreferencesGroup *groups_group;
  GtkListBox        *groups_list;
  AdwPreferencesGroup *reviews_group;
  GtkListBox        *reviews_list;
};

G_DEFINE_FINAL_TYPE (PfdoProgramPage, pfdo_program_page, ADW_TYPE_BIN)

static void
pfdo_program_page_dispose (GObject *object)
{
  /* The bin's child is a template child: the bin lets go of it first, or
   * it would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), PFDO_TYPE_PROGRAM_PAGE);

  G_OBJECT_CLASS (pfdo_program_page_parent_class)->dispose (object);
}

static void
pfdo_program_page_class_init (PfdoProgramPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_program_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/pfdo/Desk/pfdo-program-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, state_box);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, state_icon);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, state_title_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, facts_list);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, provider_list);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, cost_list);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, description_group);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, groups_group);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, groups_list);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, reviews_group);
  gtk_widget_class_bind_template_child (widget_class, PfdoProgramPage, reviews_list);
}

static void
pfdo_program_page_init (PfdoProgramPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A row with @title and, beside it, @value; both plain text. */
static AdwActionRow *
add_row (GtkListBox *list,
         const char *title,
         const char *value)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *label;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (value != NULL)
    {
      label = gtk_label_new (value);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      /* Short values stay on one line; long ones wrap at a readable width. */
      if (g_utf8_strlen (value, -1) > 32)
        {
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_width_chars (GTK_LABEL (label), 32);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
        }
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      adw_action_row_add_suffix (row, label);
    }
  gtk_list_box_append (list, GTK_WIDGET (row));
  return row;
}

static void
show_state (PfdoProgramPage          *self,
            const PfdoCatalogProgram *program,
            int                       age)
{
  PfdoProgramBlocks blocks = pfdo_catalog_program_blocks (program, age);
  g_autofree char *reasons = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "success");
  if (blocks == PFDO_PROGRAM_BLOCK_NONE)
    {
      g_autofree char *places = g_strdup_printf (ngettext ("%d free place in its groups.",
                                                           "%d free places in its groups.",
                                                           (gulong) program->free_places),
                                                 (int) program->free_places);

      gtk_image_set_from_icon_name (self->state_icon, "emblem-ok-symbolic");
      gtk_label_set_text (self->state_title_label, _("The program can be chosen"));
      gtk_label_set_text (self->state_label, places);
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "success");
      return;
    }
  reasons = pfdo_program_blocks_text (blocks, program, age);
  gtk_image_set_from_icon_name (self->state_icon, "dialog-warning-symbolic");
  gtk_label_set_text (self->state_title_label, _("The program cannot be chosen now"));
  gtk_label_set_text (self->state_label, reasons);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "warning");
}

static void
show_facts (PfdoProgramPage          *self,
            const PfdoCatalogProgram *program)
{
  g_autofree char *ages = pfdo_program_age_text (program->age_min, program->age_max);
  g_autofree char *hours = NULL;

  clear_list (self->facts_list);
  add_row (self->facts_list, _("Direction"), pfdo_program_direction_name (program->direction));
  if (program->activity != NULL)
    add_row (self->facts_list, _("Activity"), program->activity);
  add_row (self->facts_list, _("Age"), ages);
  if (program->level != NULL)
    add_row (self->facts_list, _("Level"), pfdo_program_level_name (program->level));
  add_row (self->facts_list, _("Form"), pfdo_program_form_name (program->form));
  if (program->hours_total > 0 && program->months > 0)
    {
      /* TRANSLATORS: "72 hours over 9 months" */
      g_autofree char *h = g_strdup_printf (ngettext ("%d hour", "%d hours",
                                                      (gulong) program->hours_total),
                                            (int) program->hours_total);
      g_autofree char *m = g_strdup_printf (ngettext ("%d month", "%d months",
                                                      (gulong) program->months),
                                            (int) program->months);

      hours = g_strdup_printf (_("%s over %s"), h, m);
      add_row (self->facts_list, _("Duration"), hours);
    }
  add_row (self->facts_list, _("Children with disabilities"),
           program->disability_friendly ? _("Adapted") : _("Not adapted"));
  add_row (self->facts_list, _("Municipality"), program->municipality_name);
  if (program->address != NULL)
    add_row (self->facts_list, _("Where the classes are"), program->address);
}

static void
show_provider (PfdoProgramPage          *self,
               const PfdoCatalogProgram *program)
{
  clear_list (self->provider_list);
  add_row (self->provider_list, C_("provider", "Name"), program->provider_name);
  add_row (self->provider_list, _("Address"),
           program->provider_address != NULL ? program->provider_address : _("Not given"));
  add_row (self->provider_list, _("Phone"),
           program->provider_phone != NULL ? program->provider_phone : _("Not given"));
}

static void
show_cost (PfdoProgramPage          *self,
           const PfdoCatalogProgram *program)
{
  gint64 monthly = pfdo_catalog_program_monthly_kopecks (program);
  gint64 full = pfdo_catalog_program_cost_kopecks (program);
  g_autofree char *hour_price = pfdo_text_rubles (program->hour_price_kopecks);
  g_autofree char *monthly_text = pfdo_text_rubles (monthly);
  g_autofree char *full_text = pfdo_text_rubles (full);

  clear_list (self->cost_list);
  add_row (self->cost_list, _("Funding"), pfdo_program_funding_name (program->funding));
  if (g_strcmp0 (program->funding, "budget") == 0)
    {
      add_row (self->cost_list, _("For the family"),
               _("Free: the municipality pays; the certificate is needed for the record"));
      return;
    }
  add_row (self->cost_list, _("Price of an hour"), hour_price);
  add_row (self->cost_list, _("A month"), monthly_text);
  if (g_strcmp0 (program->funding, "certified") == 0)
    add_row (self->cost_list, _("Full cost, payable by certificate"), full_text);
  else
    add_row (self->cost_list, _("Full cost, paid by the family"), full_text);
}

static void
show_groups (PfdoProgramPage          *self,
             const PfdoCatalogProgram *program)
{
  clear_list (self->groups_list);
  if (program->groups == NULL || program->groups->len == 0)
    {
      add_row (self->groups_list, _("No groups yet"), NULL);
      return;
    }
  for (guint i = 0; i < program->groups->len; i++)
    {
      const PfdoCatalogGroup *group = g_ptr_array_index (program->groups, i);
      gint64 free_places = pfdo_catalog_group_free_places (group);
      g_autofree char *schedule = pfdo_catalog_schedule_text (group->slots);
      g_autofree char *starts = pfdo_program_date_text (group->starts_on);
      g_autofree char *ends = pfdo_program_date_text (group->ends_on);
      g_autofree char *places = pfdo_program_places_text (free_places, group->capacity);
      GString *subtitle = g_string_new (NULL);
      AdwActionRow *row;
      GtkWidget *label;

      g_string_append (subtitle, *schedule != '\0' ? schedule : _("No schedule yet"));
      g_string_append_c (subtitle, '\n');
      if (group->ends_on != NULL)
        g_string_append_printf (subtitle, _("From %s to %s"), starts, ends);
      else
        g_string_append_printf (subtitle, _("From %s"), starts);
      if (group->teacher != NULL)
        {
          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, _("Teacher: %s"), group->teacher);
        }

      row = add_row (self->groups_list, group->name, NULL);
      adw_action_row_set_subtitle (row, subtitle->str);
      adw_action_row_set_subtitle_lines (row, 0);
      g_string_free (subtitle, TRUE);

      label = gtk_label_new (places);
      gtk_widget_add_css_class (label, free_places > 0 ? "success" : "error");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (row, label);
    }
}

static void
show_reviews (PfdoProgramPage          *self,
              const PfdoCatalogProgram *program)
{
  g_autofree char *rating = pfdo_program_rating_text (program->rating, program->reviews_count);

  clear_list (self->reviews_list);
  adw_preferences_group_set_description (self->reviews_group, rating);
  if (program->reviews == NULL || program->reviews->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->reviews_list), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->reviews_list), TRUE);
  for (guint i = 0; i < program->reviews->len; i++)
    {
      const PfdoCatalogReview *review = g_ptr_array_index (program->reviews, i);
      g_autofree char *date = pfdo_program_date_text (review->created_at);
      g_autofree char *title = NULL;
      GString *stars = g_string_new (NULL);
      AdwActionRow *row;

      for (gint64 s = 1; s <= 5; s++)
        g_string_append (stars, s <= review->rating ? "★" : "☆");
      /* The date of a timestamp is its first ten characters. */
      if (review->created_at != NULL && strlen (review->created_at) > 10)
        {
          g_autofree char *day = g_strndup (review->created_at, 10);

          g_free (date);
          date = pfdo_program_date_text (day);
        }
      title = g_strdup_printf ("%s  %s, %s", stars->str,
                               review->author != NULL ? review->author : _("Anonymous"), date);
      g_string_free (stars, TRUE);

      row = add_row (self->reviews_list, title, NULL);
      adw_action_row_set_subtitle (row, review->text != NULL ? review->text : "");
      adw_action_row_set_subtitle_lines (row, 0);
    }
}

/**
 * pfdo_program_page_show_program:
 * @program: a program read with pfdo_catalog_get_program()
 * @age: the child's age the clerk filters by, or -1
 *
 * Fills the page with @program, scrolled to its top.
 */
void
pfdo_program_page_show_program (PfdoProgramPage          *self,
                                const PfdoCatalogProgram *program,
                                int                       age)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (PFDO_IS_PROGRAM_PAGE (self));
  g_return_if_fail (program != NULL);

  subtitle = g_strdup_printf ("%s · %s", program->provider_name, program->municipality_name);
  gtk_label_set_text (self->title_label, program->title);
  gtk_label_set_text (self->subtitle_label, subtitle);
  show_state (self, program, age);
  show_facts (self, program);
  show_provider (self, program);
  show_cost (self, program);
  gtk_widget_set_visible (self->description_group,
                          program->description != NULL && *program->description != '\0');
  gtk_label_set_text (self->description_label,
                      program->description != NULL ? program->description : "");
  show_groups (self, program);
  show_reviews (self, program);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}
