/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificates.h"
#include "pfdo-meeting-view.h"
#include "pfdo-meeting.h"
#include "pfdo-ui.h"

/*
 * The parent-meeting mode: a member of school staff chooses the school and
 * types the class, then registers the families one form at a time. The
 * meeting is the operator's until finished: opening the desk again (after
 * a crash, a flat battery or a closed lid) brings back the meeting and the
 * form as it was left, down to the last key.
 */

struct _PfdoMeetingView
{
  AdwBin          parent_instance;

  PfdoStore      *store;
  PfdoMeetingSession *session;
  GPtrArray      *offices;        /* PfdoMeetingOffice* */

  GtkStack       *stack;
  AdwComboRow    *office_row;
  AdwEntryRow    *class_row;
  GtkLabel       *start_numbers;
  GtkLabel       *start_error;
  GtkLabel       *meeting_title;
  GtkBox         *form_box;
  GtkLabel       *form_error;
  PfdoFamilyForm *form;
  AdwActionRow   *families_row;
  AdwActionRow   *children_row;
  AdwActionRow   *certificates_row;
  AdwActionRow   *duplicates_row;
  AdwActionRow   *waiting_row;
  AdwActionRow   *numbers_row;
  GtkListBox     *families_list;
};

G_DEFINE_FINAL_TYPE (PfdoMeetingView, pfdo_meeting_view, ADW_TYPE_BIN)

/* A figure of the summary, at the end of its row where the eye looks. */
static void
set_figure (AdwActionRow *row,
            gint64        value)
{
  g_autofree char *text = pfdo_ui_format_count (value);
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "pfdo-figure");

  if (label == NULL)
    {
      label = gtk_label_new (NULL);
      gtk_widget_add_css_class (label, "title-4");
      adw_action_row_add_suffix (row, label);
      g_object_set_data (G_OBJECT (row), "pfdo-figure", label);
    }
  gtk_label_set_label (GTK_LABEL (label), text);
}

static void
show_families (PfdoMeetingView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) children = NULL;
  GtkWidget *row = NULL;
  GString *subtitle = NULL;
  const char *parent_id = NULL;

  /* GTK 4.8 has no gtk_list_box_remove_all(); the placeholder stays. */
  for (GtkListBoxRow *old = gtk_list_box_get_row_at_index (self->families_list, 0);
       old != NULL;
       old = gtk_list_box_get_row_at_index (self->families_list, 0))
    gtk_list_box_remove (self->families_list, GTK_WIDGET (old));
  children = pfdo_meeting_children (self->store, self->session->id, NULL, &error);
  if (children == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }

  /* The newest family on top: the one whose memo is asked for. */
  for (guint i = 0; i <= children->len; i++)
    {
      PfdoMeetingChild *child = i < children->len ? g_ptr_array_index (children, i) : NULL;
      g_autofree char *line = NULL;

      if (row != NULL && (child == NULL || g_strcmp0 (child->parent_id, parent_id) != 0))
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
          gtk_list_box_prepend (self->families_list, row);
          g_string_free (subtitle, TRUE);
          row = NULL;
        }
      if (child == NULL)
        break;
      if (row == NULL)
        {
          g_autofree char *title = NULL;
          GtkWidget *memo;

          parent_id = child->parent_id;
          /* Translators: a family at the meeting: its number and the parent. */
          title = g_strdup_printf (_("%u. %s %s"), child->family_no, child->parent_last_name,
                                   child->parent_first_name);
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          memo = gtk_button_new_from_icon_name ("printer-symbolic");
          gtk_widget_set_valign (memo, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (memo, "flat");
          gtk_widget_set_tooltip_text (memo, _("Print the family's memo"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (memo), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Print the family's memo"), -1);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (memo), "meeting.memo");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (memo), "s", child->parent_id);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), memo);
          subtitle = g_string_new (NULL);
        }
      /* Translators: a child and the certificate number issued. */
      line = g_strdup_printf (_("%s: certificate %s"), child->first_name,
                              child->certificate_number != NULL ? child->certificate_number : "—");
      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, line);
    }
}

static void
show_summary (PfdoMeetingView *self)
{
  g_autoptr(GError) error = NULL;
  PfdoMeetingSummary summary;

  if (self->session == NULL)
    return;
  if (!pfdo_meeting_get_summary (self->store, self->session->id, &summary, &error))
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  set_figure (self->families_row, summary.families);
  set_figure (self->children_row, summary.children);
  set_figure (self->certificates_row, summary.certificates);
  set_figure (self->duplicates_row, summary.duplicates_caught);
  set_figure (self->waiting_row, summary.operations_waiting);
  set_figure (self->numbers_row, summary.numbers_left);
  if (summary.numbers_left < 10)
    gtk_widget_add_css_class (GTK_WIDGET (self->numbers_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->numbers_row), "error");
}

/* How many certificate numbers the desk holds: said before the meeting
 * starts, not when they run out in the middle of it. */
static void
show_numbers_left (PfdoMeetingView *self)
{
  g_autoptr(GError) error = NULL;
  gint64 left = pfdo_number_blocks_remaining (self->store, &error);
  g_autofree char *text = NULL;
  g_autofree char *count = pfdo_ui_format_count (MAX (left, 0));

  if (left < 0)
    text = g_strdup (error->message);
  else if (left == 0)
    text = g_strdup (_("This desk has no certificate numbers left: sync with the regional server "
                       "before the meeting, or families will be registered without certificates."));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This desk can issue %s more certificate number: about "
                                         "one per child.",
                                         "This desk can issue %s more certificate numbers: about "
                                         "one per child.",
                                         left),
                            count);
  gtk_label_set_label (self->start_numbers, text);
  if (left < 30)
    gtk_widget_add_css_class (GTK_WIDGET (self->start_numbers), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->start_numbers), "warning");
}

static void
open_session (PfdoMeetingView    *self,
              PfdoMeetingSession *session)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *title = NULL;

  g_clear_pointer (&self->session, pfdo_meeting_session_free);
  self->session = session;

  /* Translators: the class and the school of the meeting. */
  title = g_strdup_printf (_("%s · %s"), session->class_name,
                           session->office_name != NULL ? session->office_name : "");
  gtk_label_set_label (self->meeting_title, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->meeting_title), title);

  pfdo_family_form_set_session (self->form, self->store, session->id);
  draft = pfdo_meeting_dup_draft (self->store, session->id, &error);
  if (error != NULL)
    pfdo_ui_toast (GTK_WIDGET (self), error->message);
  if (draft != NULL)
    pfdo_family_form_load_draft (self->form, draft);
  else
    pfdo_family_form_clear (self->form);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);

  show_summary (self);
  show_families (self);
  gtk_stack_set_visible_child_name (self->stack, "meeting");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.save", TRUE);
  pfdo_family_form_focus_start (self->form);
}

static void
show_start (PfdoMeetingView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->session, pfdo_meeting_session_free);
  g_clear_pointer (&self->offices, g_ptr_array_unref);
  self->offices = pfdo_meeting_offices (self->store, &error);
  if (self->offices != NULL)
    for (guint i = 0; i < self->offices->len; i++)
      gtk_string_list_append (names, ((PfdoMeetingOffice *) g_ptr_array_index (self->offices, i))->name);
  adw_combo_row_set_model (self->office_row, G_LIST_MODEL (names));

  gtk_label_set_label (self->start_error, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->start_error), error != NULL);
  show_numbers_left (self);
  gtk_stack_set_visible_child_name (self->stack, "start");
}

static void
form_changed_cb (PfdoMeetingView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL;

  if (self->session == NULL)
    return;
  /* At every key: one small statement, so that nothing typed is lost. */
  draft = pfdo_family_form_dup_draft (self->form);
  if (!pfdo_meeting_save_draft (self->store, self->session->id, draft, &error))
    pfdo_ui_toast (GTK_WIDGET (self), error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);
  show_summary (self);
}

static void
class_activated_cb (PfdoMeetingView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "meeting.start", NULL);
}

/* Actions */

static void
start_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);
  g_autoptr(GError) error = NULL;
  PfdoMeetingSession *session;
  guint selected = adw_combo_row_get_selected (self->office_row);
  const char *office_id = NULL;

  if (self->store == NULL)
    return;
  if (self->offices != NULL && selected < self->offices->len)
    office_id = ((PfdoMeetingOffice *) g_ptr_array_index (self->offices, selected))->id;
  session = pfdo_meeting_start (self->store, office_id,
                                gtk_editable_get_text (GTK_EDITABLE (self->class_row)), &error);
  if (session == NULL)
    {
      gtk_label_set_label (self->start_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->start_error), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->class_row));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->class_row), "");
  open_session (self, session);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autofree char *text = NULL;

  if (self->session == NULL)
    return;
  result = pfdo_family_form_save (self->form, &error);
  if (result == NULL)
    {
      gtk_label_set_label (self->form_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->form_error), TRUE);
      show_summary (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->form_error), FALSE);
  if (result->certificate_numbers->len > 0)
    {
      g_autofree char *numbers = NULL;

      g_ptr_array_add (result->certificate_numbers, NULL);
      numbers = g_strjoinv (", ", (char **) result->certificate_numbers->pdata);
      g_ptr_array_remove_index (result->certificate_numbers, result->certificate_numbers->len - 1);
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The family is registered; certificate %s.",
                                           "The family is registered; certificates %s.",
                                           result->certificate_numbers->len),
                              numbers);
    }
  else
    text = g_strdup (_("The family is registered."));
  pfdo_ui_toast (widget, text);
  show_summary (self);
  show_families (self);
  pfdo_family_form_focus_start (self->form);
}

static void
add_child_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);

  if (self->session != NULL)
    pfdo_family_form_add_child (self->form);
}

static void
finish_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PfdoMeetingView  *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "finish") != 0 || self->session == NULL)
    return;
  if (!pfdo_meeting_close (self->store, self->session->id, &error))
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  pfdo_ui_toast (GTK_WIDGET (self), _("The meeting is finished."));
  show_start (self);
}

static void
finish_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);
  AdwMessageDialog *dialog;
  const char *body;

  if (self->session == NULL)
    return;
  body = pfdo_family_form_is_empty (self->form)
         ? _("The families registered stay registered; the meeting cannot be resumed.")
         : _("The form being typed will be dropped; the families registered stay registered.");
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("Finish the meeting?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "finish", _("_Finish"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "finish", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (finish_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
pfdo_meeting_view_dispose (GObject *object)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_MEETING_VIEW);
  g_clear_pointer (&self->session, pfdo_meeting_session_free);
  g_clear_pointer (&self->offices, g_ptr_array_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pfdo_meeting_view_parent_class)->dispose (object);
}

static void
pfdo_meeting_view_class_init (PfdoMeetingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_meeting_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/pfdo/Desk/pfdo-meeting-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, office_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, class_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, start_numbers);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, start_error);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, meeting_title);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, form_box);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, form_error);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, families_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, children_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, certificates_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, duplicates_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, waiting_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, numbers_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoMeetingView, families_list);
  gtk_widget_class_bind_template_callback (widget_class, class_activated_cb);

  gtk_widget_class_install_action (widget_class, "meeting.start", NULL, start_action_cb);
  gtk_widget_class_install_action (widget_class, "meeting.save", NULL, save_action_cb);
  gtk_widget_class_install_action (widget_class, "meeting.add-child", NULL, add_child_action_cb);
  gtk_widget_class_install_action (widget_class, "meeting.finish", NULL, finish_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "meeting.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "meeting.add-child", NULL);
}

static void
pfdo_meeting_view_init (PfdoMeetingView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->form = PFDO_FAMILY_FORM (pfdo_family_form_new ());
  gtk_box_insert_child_after (self->form_box, GTK_WIDGET (self->form), NULL);
  g_signal_connect_swapped (self->form, "changed", G_CALLBACK (form_changed_cb), self);
}

/**
 * pfdo_meeting_view_set_store:
 *
 * Shows the operator's meeting left unfinished, with its form as it was
 * left, or the start of a new one.
 */
void
pfdo_meeting_view_set_store (PfdoMeetingView *self,
                             PfdoStore       *store)
{
  g_return_if_fail (PFDO_IS_MEETING_VIEW (self));

  if (!g_set_object (&self->store, store))
    return;
  pfdo_meeting_view_reload (self);
}

void
pfdo_meeting_view_reload (PfdoMeetingView *self)
{
  g_autoptr(GError) error = NULL;
  PfdoMeetingSession *session;

  g_return_if_fail (PFDO_IS_MEETING_VIEW (self));

  if (self->store == NULL)
    return;
  session = pfdo_meeting_find_open (self->store, &error);
  if (error != NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  /* The meeting being typed stays as it is: a sync must not disturb the
   * form. Another operator at the desk has a meeting of their own. */
  if (session != NULL && self->session != NULL && g_strcmp0 (session->id, self->session->id) == 0)
    {
      pfdo_meeting_session_free (session);
      show_summary (self);
      show_families (self);
    }
  else if (session != NULL)
    open_session (self, session);
  else
    show_start (self);
}

void
pfdo_meeting_view_focus_search (PfdoMeetingView *self)
{
  g_return_if_fail (PFDO_IS_MEETING_VIEW (self));

  if (self->session != NULL)
    pfdo_family_form_focus_start (self->form);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->class_row));
}

const char *
pfdo_meeting_view_get_session_id (PfdoMeetingView *self)
{
  g_return_val_if_fail (PFDO_IS_MEETING_VIEW (self), NULL);

  return self->session != NULL ? self->session->id : NULL;
}

PfdoFamilyForm *
pfdo_meeting_view_get_form (PfdoMeetingView *self)
{
  g_return_val_if_fail (PFDO_IS_MEETING_VIEW (self), NULL);

  return self->form;
}
