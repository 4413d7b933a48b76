/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificates.h"
#include "pfdo-class-import-dialog.h"
#include "pfdo-meeting-memos.h"
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
  GSettings      *settings;
  char           *last_parent_id; /* the family saved last: Ctrl+P prints its memo */

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

static void show_saved_toast (PfdoMeetingView *self,
                              const char      *text);

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
  g_free (self->last_parent_id);
  self->last_parent_id = g_strdup (result->parent_id);
  gtk_widget_action_set_enabled (widget, "meeting.print-last", TRUE);
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
  show_saved_toast (self, text);
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


/* Memos */

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              PfdoMeetingMemos  *memos)
{
  pfdo_memo_draw (gtk_print_context_get_cairo_context (context),
                  gtk_print_context_get_width (context), gtk_print_context_get_height (context),
                  pfdo_meeting_memos_get_family (memos, page),
                  pfdo_meeting_memos_get_settings (memos));
}

static PfdoMeetingMemos *
load_memos (PfdoMeetingView  *self,
            const char       *parent_id,
            GError          **error)
{
  g_autofree char *navigator = self->settings != NULL
                               ? g_settings_get_string (self->settings, "navigator-url")
                               : g_strdup ("https://р26.навигатор.дети/");

  return pfdo_meeting_memos_load (self->store, self->session->id, parent_id, navigator, error);
}

/* The print dialog for one family's memo, or every family's; it can also
 * save them as PDF ("Print to File"). */
static void
print_memos (PfdoMeetingView *self,
             const char      *parent_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  PfdoMeetingMemos *memos;
  GtkPrintOperationResult result;

  if (self->session == NULL)
    return;
  memos = load_memos (self, parent_id, &error);
  if (memos == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, _("Certificate memo"));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_n_pages (operation, pfdo_meeting_memos_get_n_families (memos));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), memos);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    pfdo_ui_toast (GTK_WIDGET (self), error->message);
  pfdo_meeting_memos_free (memos);
}

static void
memo_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  print_memos (PFDO_MEETING_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
print_last_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);

  if (self->last_parent_id != NULL)
    print_memos (self, self->last_parent_id);
}

static void
print_last_toast_cb (PfdoMeetingView *self)
{
  if (self->last_parent_id != NULL)
    print_memos (self, self->last_parent_id);
}

/* A toast that offers the memo of the family just saved. */
static void
show_saved_toast (PfdoMeetingView *self,
                  const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    return;
  pfdo_ui_toast (GTK_WIDGET (self), text);
  toast = g_object_get_data (G_OBJECT (overlay), "pfdo-last-toast");
  if (toast == NULL)
    return;
  /* The toast lives in the window's overlay, outside this view and its
   * actions: its button calls back instead. */
  adw_toast_set_button_label (toast, _("_Print the Memo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (print_last_toast_cb), self,
                           G_CONNECT_SWAPPED);
}

typedef struct
{
  PfdoMeetingMemos *memos;
  char             *path;
} MemosJob;

static void
memos_job_free (MemosJob *job)
{
  pfdo_meeting_memos_free (job->memos);
  g_free (job->path);
  g_free (job);
}

static void
write_memos_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  MemosJob *job = task_data;
  GError *error = NULL;

  if (pfdo_meeting_memos_write_pdf (job->memos, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pfdo_meeting_view_save_memos_async:
 * @parent_id: (nullable): one family, or every family of the meeting
 *
 * Writes the memos to a PDF at @path, a page per family. The families are
 * read from the store at once; the pages (about ten milliseconds each, a
 * second for a hundred families) are drawn and written on a worker
 * thread, so the window keeps answering.
 */
void
pfdo_meeting_view_save_memos_async (PfdoMeetingView     *self,
                                    const char          *parent_id,
                                    const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PfdoMeetingMemos *memos;
  MemosJob *job;

  g_return_if_fail (PFDO_IS_MEETING_VIEW (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pfdo_meeting_view_save_memos_async);
  memos = load_memos (self, parent_id, &error);
  if (memos == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = g_new0 (MemosJob, 1);
  job->memos = memos;
  job->path = g_strdup (path);
  g_task_set_task_data (task, job, (GDestroyNotify) memos_job_free);
  g_task_run_in_thread (task, write_memos_thread);
}

gboolean
pfdo_meeting_view_save_memos_finish (PfdoMeetingView  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
dup_file_name (PfdoMeetingView *self,
               const char      *kind,
               const char      *extension)
{
  g_autofree char *name = g_strdup_printf ("%s %s.%s", kind, self->session->class_name, extension);

  /* A class like 3/4 «Б» makes no folder. The name is handed over, not
   * freed on the way out. */
  return g_strdelimit (g_steal_pointer (&name), "/\\:*?\"<>|", '-');
}

/* Saving a file of the meeting: a file chooser, then @func writes it
 * and, at once or when it is done, a toast says where or why not. */
typedef void (*SaveFunc) (PfdoMeetingView *self,
                          GFile           *file,
                          int              how);

typedef struct
{
  PfdoMeetingView *self;
  SaveFunc         func;
  int              how;
} SaveRequest;

/* @done holds a %s for the file's name. */
static void
toast_saved (PfdoMeetingView *self,
             GFile           *file,
             const char      *done,
             const GError    *error)
{
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  base = g_file_get_basename (file);
  text = g_strdup_printf (done, base);
  pfdo_ui_toast (GTK_WIDGET (self), text);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  SaveRequest     *request)
{
  PfdoMeetingView *self = request->self;

  if (response == GTK_RESPONSE_ACCEPT && self->session != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      request->func (self, file, request->how);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
  g_free (request);
}

static void
choose_file_to_save (PfdoMeetingView *self,
                     const char      *title,
                     const char      *accept,
                     const char      *kind,
                     const char      *extension,
                     SaveFunc         func,
                     int              how)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  SaveRequest *request = g_new0 (SaveRequest, 1);

  request->self = g_object_ref (self);
  request->func = func;
  request->how = how;
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, accept, _("_Cancel"));
  name = dup_file_name (self, kind, extension);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
memos_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;

  pfdo_meeting_view_save_memos_finish (self, result, &error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.memos", TRUE);
  toast_saved (self, file, _("The memos are saved to %s."), error);
}

static void
save_memos (PfdoMeetingView *self,
            GFile           *file,
            int              how)
{
  g_autofree char *path = g_file_get_path (file);

  /* One save at a time; the window stays usable meanwhile. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.memos", FALSE);
  pfdo_ui_toast (GTK_WIDGET (self), _("Saving the memos…"));
  pfdo_meeting_view_save_memos_async (self, NULL, path, NULL, memos_saved_cb,
                                      g_object_ref (file));
}

static void
memos_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);

  if (self->session != NULL)
    choose_file_to_save (self, _("Save All Memos as PDF"), _("_Save"), _("Memos"), "pdf",
                         save_memos, 0);
}

/* Export */

static void
save_export (PfdoMeetingView *self,
             GFile           *file,
             int              how)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;

  pfdo_meeting_export (self->store, self->session->id, path, (PfdoExportFormat) how, &error);
  toast_saved (self, file, _("The meeting is exported to %s."), error);
}

static void
export_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);
  PfdoExportFormat format;

  if (self->session == NULL ||
      !pfdo_export_format_from_string (g_variant_get_string (parameter, NULL), &format))
    return;
  choose_file_to_save (self, _("Export the Meeting"), _("_Export"), _("Meeting"),
                       pfdo_export_format_to_string (format), save_export, format);
}

/* Import */

static void
imported_cb (PfdoClassImportDialog *dialog,
             PfdoMeetingImport     *report,
             PfdoMeetingView       *self)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("Imported: %u families, %u children; skipped: %u rows."),
                          report->families, report->children, report->skipped->len);
  pfdo_ui_toast (GTK_WIDGET (self), text);
  show_summary (self);
  show_families (self);
}

/**
 * pfdo_meeting_view_preview_class_list:
 *
 * Reads a class list and shows the preview of its import; a file that
 * cannot be read says why.
 *
 * Returns: (transfer none) (nullable): the preview, or %NULL with @error set
 */
GtkWindow *
pfdo_meeting_view_preview_class_list (PfdoMeetingView  *self,
                                      const char       *path,
                                      GError          **error)
{
  PfdoClassImportDialog *dialog;
  g_autofree char *base = NULL;
  PfdoClassList *list;

  g_return_val_if_fail (PFDO_IS_MEETING_VIEW (self), NULL);
  g_return_val_if_fail (self->session != NULL, NULL);

  list = pfdo_class_list_load (path, error);
  if (list == NULL)
    return NULL;
  base = g_path_get_basename (path);
  dialog = pfdo_class_import_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         self->store, self->session->id, base, list);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    PfdoMeetingView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->session != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
      if (pfdo_meeting_view_preview_class_list (self, path, &error) == NULL)
        {
          AdwMessageDialog *message;

          message = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                                _("The class list cannot be imported"),
                                                                error->message));
          adw_message_dialog_add_response (message, "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (message));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PfdoMeetingView *self = PFDO_MEETING_VIEW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->session == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Import a Class List"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Class lists (CSV)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
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
  g_clear_object (&self->settings);
  g_clear_pointer (&self->last_parent_id, g_free);
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
  gtk_widget_class_install_action (widget_class, "meeting.memo", "s", memo_action_cb);
  gtk_widget_class_install_action (widget_class, "meeting.print-last", NULL, print_last_action_cb);
  gtk_widget_class_install_action (widget_class, "meeting.memos", NULL, memos_action_cb);
  gtk_widget_class_install_action (widget_class, "meeting.export", "s", export_action_cb);
  gtk_widget_class_install_action (widget_class, "meeting.import", NULL, import_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "meeting.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "meeting.add-child", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "meeting.print-last", NULL);
}

static void
pfdo_meeting_view_init (PfdoMeetingView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = NULL;

    /* Without the installed schema (a build run in place) the defaults. */
    if (source != NULL)
      schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
    if (schema != NULL)
      self->settings = g_settings_new (APP_ID);
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting.print-last", FALSE);

  self->form = PFDO_FAMILY_FORM (pfdo_family_form_new ());
  gtk_box_insert_child_after (self->form_box, GTK_WIDGET (self->form), NULL);
  g_signal_connect_swapped (self->form, "changed", G_CALLBACK (form_changed_cb), self);
  g_signal_connect_swapped (self->form, "twin-shown", G_CALLBACK (show_summary), self);
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
