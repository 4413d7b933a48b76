/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-class-import-dialog.h"
#include "pfdo-meeting.h"
#include "pfdo-ui.h"

/*
 * The preview of a class list before it is imported: every row as it
 * will be imported, with the problems of each row at its fields, and what
 * will happen to it. Only the rows shown as ready are imported.
 */

struct _PfdoClassImportDialog
{
  AdwWindow      parent_instance;

  PfdoStore     *store;
  char          *session_id;
  PfdoClassList *list;
  guint          n_new;       /* valid rows not imported before */

  GtkLabel      *summary;
  GtkListBox    *rows;
  GtkButton     *import_button;
};

G_DEFINE_FINAL_TYPE (PfdoClassImportDialog, pfdo_class_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_row_title (const PfdoClassRow *row)
{
  g_autofree char *birth = NULL;
  GString *name = g_string_new (NULL);

  for (guint f = PFDO_CLASS_FIELD_LAST_NAME; f <= PFDO_CLASS_FIELD_MIDDLE_NAME; f++)
    if (row->raw[f] != NULL && *row->raw[f] != '\0')
      g_string_append_printf (name, name->len > 0 ? " %s" : "%s", row->raw[f]);
  birth = g_strdup (row->raw[PFDO_CLASS_FIELD_BIRTH_DATE] != NULL
                    ? row->raw[PFDO_CLASS_FIELD_BIRTH_DATE] : "");
  /* Translators: a row of a class list: its line, the child, the birth date. */
  return g_strdup_printf (_("Line %u · %s, %s"), row->line, name->len > 0 ? name->str : "—",
                          *birth != '\0' ? birth : "—");
}

static GtkWidget *
row_widget (PfdoClassImportDialog *self,
            const PfdoClassRow    *row)
{
  g_autofree char *title = dup_row_title (row);
  GtkWidget *widget = adw_action_row_new ();
  GtkWidget *icon;
  GString *detail = g_string_new (NULL);
  gint64 seen = 0;
  gboolean valid = pfdo_class_row_is_valid (row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  if (valid)
    seen = pfdo_store_query_int (self->store, "SELECT count(*) FROM meeting_import WHERE row_key = ?",
                                 row->row_key, NULL);

  if (!valid)
    {
      for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
        if (row->problem[f] != NULL)
          {
            if (detail->len > 0)
              g_string_append_c (detail, '\n');
            /* Translators: a column of the class list and what is wrong in it. */
            g_string_append_printf (detail, _("%s: %s"), pfdo_class_field_title (f), row->problem[f]);
          }
      gtk_widget_add_css_class (widget, "error");
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
    }
  else if (seen > 0)
    {
      g_string_append (detail, _("Imported before: will be skipped"));
      gtk_widget_add_css_class (widget, "dim-label");
      icon = gtk_image_new_from_icon_name ("edit-redo-symbolic");
    }
  else
    {
      /* Translators: a row ready for import: the parent and the phone. */
      g_string_append_printf (detail, _("Ready: parent %s, phone %s"),
                              row->raw[PFDO_CLASS_FIELD_PARENT_NAME],
                              row->raw[PFDO_CLASS_FIELD_PHONE]);
      icon = gtk_image_new_from_icon_name ("object-select-symbolic");
      self->n_new++;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), detail->str);
  adw_action_row_add_prefix (ADW_ACTION_ROW (widget), icon);
  g_string_free (detail, TRUE);
  return widget;
}

static void
fill (PfdoClassImportDialog *self,
      const char            *file_name)
{
  g_autofree char *summary = NULL;
  g_autofree char *label = NULL;
  guint valid = pfdo_class_list_count_valid (self->list);

  self->n_new = 0;
  for (guint i = 0; i < self->list->rows->len; i++)
    gtk_list_box_append (self->rows, row_widget (self, g_ptr_array_index (self->list->rows, i)));

  /* Translators: the file, its encoding and delimiter, and the counts. */
  summary = g_strdup_printf (_("%s (%s, delimiter «%c»): %u rows, %u with problems, %u ready to import."),
                             file_name, self->list->encoding, self->list->delimiter,
                             self->list->rows->len, self->list->rows->len - valid, self->n_new);
  gtk_label_set_label (self->summary, summary);

  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Import %u Row", "_Import %u Rows",
                                        self->n_new),
                           self->n_new);
  gtk_button_set_label (self->import_button, label);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), self->n_new > 0);
}

static void
cancel_clicked_cb (PfdoClassImportDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
import_clicked_cb (PfdoClassImportDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (!pfdo_class_import_dialog_run_import (self, &error))
    {
      gtk_label_set_label (self->summary, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->summary), "error");
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
pfdo_class_import_dialog_finalize (GObject *object)
{
  PfdoClassImportDialog *self = PFDO_CLASS_IMPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_free (self->session_id);
  g_clear_pointer (&self->list, pfdo_class_list_free);
  G_OBJECT_CLASS (pfdo_class_import_dialog_parent_class)->finalize (object);
}

static void
pfdo_class_import_dialog_class_init (PfdoClassImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pfdo_class_import_dialog_finalize;

  /**
   * PfdoClassImportDialog::imported:
   * @report: (type gpointer): the #PfdoMeetingImport
   *
   * The rows were imported; the dialog closes after this.
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pfdo_class_import_dialog_init (PfdoClassImportDialog *self)
{
  GtkWidget *box, *header, *cancel, *scrolled, *clamp, *content;

  gtk_window_set_title (GTK_WINDOW (self), _("Import a Class List"));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 560);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->import_button = GTK_BUTTON (gtk_button_new_with_mnemonic (""));
  gtk_button_set_use_underline (self->import_button, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->import_button), "suggested-action");
  g_signal_connect_swapped (self->import_button, "clicked", G_CALLBACK (import_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->import_button));
  gtk_box_append (GTK_BOX (box), header);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->summary, TRUE);
  gtk_label_set_xalign (self->summary, 0);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->summary));
  self->rows = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->rows, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->rows), "boxed-list");
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->rows));

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * pfdo_class_import_dialog_new:
 * @list: (transfer full): the list read from @file_name
 */
PfdoClassImportDialog *
pfdo_class_import_dialog_new (GtkWindow     *parent,
                              PfdoStore     *store,
                              const char    *session_id,
                              const char    *file_name,
                              PfdoClassList *list)
{
  PfdoClassImportDialog *self = g_object_new (PFDO_TYPE_CLASS_IMPORT_DIALOG,
                                              "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  self->session_id = g_strdup (session_id);
  self->list = list;
  fill (self, file_name);
  gtk_widget_grab_focus (GTK_WIDGET (self->import_button));
  return self;
}

guint
pfdo_class_import_dialog_get_n_new (PfdoClassImportDialog *self)
{
  g_return_val_if_fail (PFDO_IS_CLASS_IMPORT_DIALOG (self), 0);

  return self->n_new;
}

/**
 * pfdo_class_import_dialog_run_import:
 *
 * Imports the ready rows and announces what was done with ::imported.
 */
gboolean
pfdo_class_import_dialog_run_import (PfdoClassImportDialog  *self,
                                     GError                **error)
{
  g_autoptr(PfdoMeetingImport) report = NULL;

  g_return_val_if_fail (PFDO_IS_CLASS_IMPORT_DIALOG (self), FALSE);

  report = pfdo_meeting_import_class_list (self->store, self->session_id, self->list, error);
  if (report == NULL)
    return FALSE;
  g_signal_emit (self, signals[IMPORTED], 0, report);
  return TRUE;
}
