/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificate-enroll-dialog.h"
#include "pfdo-enrollments.h"
#include "pfdo-ledger.h"
#include "pfdo-register.h"
#include "pfdo-search.h"
#include "pfdo-text.h"
#include "pfdo-ui.h"

/*
 * Enrolling a certificate's child: find a program by its title in the
 * catalog, pick one of its groups and the months; the dialog shows what a
 * month costs and what the enrollment reserves on the certificate. The
 * core decides: a refusal (balance, age, places, closed enrollment) is
 * shown in the dialog in the core's words, and the clerk can choose again.
 */

#define RESULTS_LIMIT 30

struct _PfdoCertificateEnrollDialog
{
  AdwWindow            parent_instance;

  PfdoStore           *store;
  char                *certificate_id;
  gint64               available;
  PfdoRegisterProgram *program;
  GPtrArray           *groups;   /* of PfdoRegisterGroup, as in group_names */

  AdwWindowTitle      *window_title;
  GtkButton           *enroll_button;
  GtkSearchEntry      *search_entry;
  GtkListBox          *programs_list;
  AdwPreferencesGroup *enrollment_group;
  AdwComboRow         *group_row;
  GtkStringList       *group_names;
  GtkSpinButton       *months_spin;
  AdwPreferencesGroup *cost_group;
  GtkLabel            *monthly_label;
  GtkLabel            *reserve_label;
  GtkLabel            *available_label;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (PfdoCertificateEnrollDialog, pfdo_certificate_enroll_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_ENROLLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
funding_label (const char *funding)
{
  if (g_strcmp0 (funding, "certified") == 0)
    return _("paid from the certificate");
  if (g_strcmp0 (funding, "budget") == 0)
    return _("budget-funded");
  if (g_strcmp0 (funding, "paid") == 0)
    return _("paid by the family");
  return funding;
}

static void
show_error (PfdoCertificateEnrollDialog *self,
            const char                  *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static PfdoRegisterGroup *
selected_group (PfdoCertificateEnrollDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->group_row);

  if (self->groups == NULL || selected >= self->groups->len)
    return NULL;
  return g_ptr_array_index (self->groups, selected);
}

static void
update_cost (PfdoCertificateEnrollDialog *self)
{
  g_autofree char *available = pfdo_text_rubles (self->available);
  guint months = (guint) gtk_spin_button_get_value_as_int (self->months_spin);

  gtk_label_set_label (self->available_label, available);
  if (self->program == NULL)
    {
      gtk_label_set_label (self->monthly_label, "—");
      gtk_label_set_label (self->reserve_label, "—");
      adw_preferences_group_set_description (self->cost_group, NULL);
    }
  else if (self->program->monthly_kopecks > 0)
    {
      g_autofree char *monthly = pfdo_text_rubles (self->program->monthly_kopecks);
      g_autofree char *reserve = pfdo_text_rubles (self->program->monthly_kopecks * months);

      gtk_label_set_label (self->monthly_label, monthly);
      gtk_label_set_label (self->reserve_label, reserve);
      adw_preferences_group_set_description (self->cost_group,
                                             _("The months' cost is reserved on the certificate "
                                               "now and charged month by month."));
    }
  else
    {
      g_autofree char *nothing = pfdo_text_rubles (0);

      gtk_label_set_label (self->monthly_label, funding_label (self->program->funding));
      gtk_label_set_label (self->reserve_label, nothing);
      adw_preferences_group_set_description (self->cost_group,
                                             _("Nothing is reserved on the certificate for this "
                                               "program."));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->enroll_button),
                            self->program != NULL && selected_group (self) != NULL);
}

static void
clear_programs (PfdoCertificateEnrollDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->programs_list))) != NULL)
    gtk_list_box_remove (self->programs_list, child);
}

static void
placeholder (PfdoCertificateEnrollDialog *self,
             const char                  *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "pfdo-placeholder");
  gtk_list_box_set_placeholder (self->programs_list, label);
}

static void
search_changed_cb (PfdoCertificateEnrollDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;

  clear_programs (self);
  if (text == NULL || *text == '\0')
    {
      placeholder (self, _("Type a few letters of the program's title."));
      return;
    }
  matches = pfdo_catalog_search (self->store, text, RESULTS_LIMIT, &error);
  if (matches == NULL)
    {
      placeholder (self, error->message);
      return;
    }
  placeholder (self, _("No program has these words in its title. Try another word."));
  for (guint i = 0; i < matches->len; i++)
    {
      PfdoProgramMatch *match = g_ptr_array_index (matches, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s · ages %d–%d"),
                                                   match->provider_name,
                                                   funding_label (match->funding),
                                                   (int) match->age_min, (int) match->age_max);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), match->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "program-id", g_strdup (match->program_id), g_free);
      gtk_list_box_append (self->programs_list, row);
    }
}

static void
program_selected_cb (PfdoCertificateEnrollDialog *self,
                     GtkListBoxRow               *row)
{
  g_autoptr(GError) error = NULL;
  const char *program_id = row != NULL ? g_object_get_data (G_OBJECT (row), "program-id") : NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;

  /* The list unselects its rows as the dialog goes away. */
  if (self->error_label == NULL)
    return;

  builder = g_strv_builder_new ();
  show_error (self, NULL);
  g_clear_pointer (&self->program, pfdo_register_program_free);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  gtk_string_list_splice (self->group_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->group_names)), NULL);

  if (program_id != NULL)
    {
      self->program = pfdo_register_program_load (self->store, program_id, &error);
      if (self->program != NULL)
        self->groups = pfdo_register_program_groups (self->store, program_id, &error);
      if (error != NULL)
        show_error (self, error->message);
    }

  if (self->groups != NULL)
    for (guint i = 0; i < self->groups->len; i++)
      {
        PfdoRegisterGroup *group = g_ptr_array_index (self->groups, i);
        gint64 free_places = MAX (group->capacity - group->enrolled, 0);
        g_autofree char *name = g_strdup_printf (ngettext ("%s · %d of %d place free",
                                                           "%s · %d of %d places free",
                                                           free_places),
                                                 group->name, (int) free_places,
                                                 (int) group->capacity);

        g_strv_builder_add (builder, name);
      }
  names = g_strv_builder_end (builder);
  gtk_string_list_splice (self->group_names, 0, 0, (const char * const *) names);

  if (self->program != NULL)
    {
      gtk_spin_button_set_range (self->months_spin, 1, (double) self->program->months);
      gtk_spin_button_set_value (self->months_spin, (double) self->program->months);
      adw_window_title_set_subtitle (self->window_title, self->program->title);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrollment_group), self->program != NULL);
  adw_combo_row_set_selected (self->group_row, 0);
  update_cost (self);
}

static void
group_selected_cb (PfdoCertificateEnrollDialog *self)
{
  show_error (self, NULL);
  update_cost (self);
}

static void
months_changed_cb (PfdoCertificateEnrollDialog *self)
{
  show_error (self, NULL);
  update_cost (self);
}

static void
enroll_clicked_cb (PfdoCertificateEnrollDialog *self)
{
  PfdoRegisterGroup *group = selected_group (self);
  guint months = (guint) gtk_spin_button_get_value_as_int (self->months_spin);
  g_autoptr(GError) error = NULL;
  g_autofree char *enrollment_id = NULL;
  g_autofree char *message = NULL;
  gint64 reserved;

  if (self->program == NULL || group == NULL)
    return;
  if (!pfdo_enrollment_create (self->store, self->certificate_id, group->id, months,
                               &enrollment_id, &error))
    {
      /* The core's reason; the clerk may pick another group or program. */
      show_error (self, error->message);
      return;
    }

  reserved = pfdo_ledger_reserved_for (self->store, enrollment_id, NULL);
  if (reserved > 0)
    {
      g_autofree char *money = pfdo_text_rubles (reserved);

      message = g_strdup_printf (_("Enrolled in “%s”; %s reserved on the certificate."),
                                 self->program->title, money);
    }
  else
    message = g_strdup_printf (_("Enrolled in “%s”."), self->program->title);
  g_signal_emit (self, signals[SIGNAL_ENROLLED], 0, message);
  gtk_window_close (GTK_WINDOW (self));
}

static void
pfdo_certificate_enroll_dialog_dispose (GObject *object)
{
  PfdoCertificateEnrollDialog *self = PFDO_CERTIFICATE_ENROLL_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_CERTIFICATE_ENROLL_DIALOG);
  g_clear_object (&self->store);
  g_clear_pointer (&self->certificate_id, g_free);
  g_clear_pointer (&self->program, pfdo_register_program_free);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (pfdo_certificate_enroll_dialog_parent_class)->dispose (object);
}

static void
pfdo_certificate_enroll_dialog_class_init (PfdoCertificateEnrollDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_certificate_enroll_dialog_dispose;

  /**
   * PfdoCertificateEnrollDialog::enrolled:
   * @message: what was done, for a toast
   */
  signals[SIGNAL_ENROLLED] = g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-certificate-enroll-dialog.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificateEnrollDialog, name)
  BIND (window_title);
  BIND (enroll_button);
  BIND (search_entry);
  BIND (programs_list);
  BIND (enrollment_group);
  BIND (group_row);
  BIND (group_names);
  BIND (months_spin);
  BIND (cost_group);
  BIND (monthly_label);
  BIND (reserve_label);
  BIND (available_label);
  BIND (error_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, program_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, group_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, months_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, enroll_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pfdo_certificate_enroll_dialog_init (PfdoCertificateEnrollDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pfdo_certificate_enroll_dialog_new:
 * @available_kopecks: what the certificate has available, to show
 */
PfdoCertificateEnrollDialog *
pfdo_certificate_enroll_dialog_new (GtkWindow  *parent,
                                    PfdoStore  *store,
                                    const char *certificate_id,
                                    gint64      available_kopecks)
{
  PfdoCertificateEnrollDialog *self;
  g_autoptr(PfdoRegisterCard) card = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  self = g_object_new (PFDO_TYPE_CERTIFICATE_ENROLL_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->certificate_id = g_strdup (certificate_id);
  self->available = available_kopecks;

  card = pfdo_register_card_load (store, certificate_id, NULL);
  if (card != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("Certificate %s"), card->number);

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  placeholder (self, _("Type a few letters of the program's title."));
  update_cost (self);

  /* The tests drive the dialog through its widgets, as a clerk does. */
  g_object_set_data (G_OBJECT (self), "search", self->search_entry);
  g_object_set_data (G_OBJECT (self), "programs", self->programs_list);
  g_object_set_data (G_OBJECT (self), "group", self->group_row);
  g_object_set_data (G_OBJECT (self), "months", self->months_spin);
  g_object_set_data (G_OBJECT (self), "error", self->error_label);
  return self;
}
