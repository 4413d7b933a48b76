/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pfdo-bundle-dialog.h"
#include "pfdo-bundle-sync.h"
#include "pfdo-error.h"
#include "pfdo-ui.h"

/*
 * A sync on a USB stick, as a clerk does it: on an offline desk, the work
 * waiting to be sent is written to a transfer file sealed with a
 * passphrase; on a connected desk, another desk's transfer file is sent
 * to the server and answered with a reply file; back on the offline desk,
 * the reply is imported. The work runs on a worker thread with its own
 * connection to the store; the dialog shows its progress and says what
 * came of it in words.
 */

typedef enum
{
  MODE_EXPORT,
  MODE_IMPORT,
} Mode;

struct _PfdoBundleDialog
{
  AdwWindow             parent_instance;

  Mode                  mode;
  PfdoStore            *store;
  PfdoSyncer           *syncer;
  GCancellable         *cancellable;
  char                 *path;
  char                 *reply_path;
  PfdoBundleInfo       *info;        /* import: the chosen file's clear header */
  gboolean              busy;
  gboolean              done;
  gboolean              closed;      /* the window is gone; the work may still end */
  char                 *message;

  GtkButton            *action_button;
  GtkButton            *cancel_button;
  GtkLabel             *intro;
  AdwActionRow         *file_row;
  AdwActionRow         *reply_row;
  AdwPasswordEntryRow  *passphrase_row;
  AdwPasswordEntryRow  *repeat_row;
  AdwPasswordEntryRow  *password_row;
  GtkWidget            *password_group;
  GtkLabel             *status;
  GtkProgressBar       *progress;
};

G_DEFINE_FINAL_TYPE (PfdoBundleDialog, pfdo_bundle_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the worker needs, copied: the dialog may close while it runs. */
typedef struct
{
  Mode             mode;
  PfdoBundleKind   kind;
  char            *db_path;
  char            *operator_id;
  char            *path;
  char            *reply_path;
  char            *passphrase;
  char            *server;
  char            *ca_file;
  gboolean         allow_plain_http;
  char            *login;
  char            *password;
  PfdoSyncStats    stats;
  guint            operations;
  GWeakRef         dialog;
} Job;

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_free (job->operator_id);
  g_free (job->path);
  g_free (job->reply_path);
  wipe (&job->passphrase);
  g_free (job->server);
  g_free (job->ca_file);
  g_free (job->login);
  wipe (&job->password);
  g_weak_ref_clear (&job->dialog);
  g_free (job);
}

static void
set_status (PfdoBundleDialog *self,
            const char       *text,
            gboolean          is_error)
{
  g_free (self->message);
  self->message = g_strdup (text);
  gtk_label_set_label (self->status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

static const char *
passphrase_text (AdwPasswordEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Whether everything the work needs is there, and why not. */
static void
update (PfdoBundleDialog *self)
{
  const char *passphrase = passphrase_text (self->passphrase_row);
  gboolean ready = !self->busy && !self->done && self->path != NULL && *passphrase != '\0';
  gboolean relay = self->mode == MODE_IMPORT && self->info != NULL &&
                   self->info->kind == PFDO_BUNDLE_KIND_EXPORT;

  if (self->mode == MODE_EXPORT)
    {
      const char *repeat = passphrase_text (self->repeat_row);

      ready = ready && g_utf8_strlen (passphrase, -1) >= PFDO_BUNDLE_PASSPHRASE_MIN &&
              g_str_equal (passphrase, repeat);
      if (!self->busy && !self->done && *repeat != '\0' && !g_str_equal (passphrase, repeat))
        set_status (self, _("The passphrases differ."), TRUE);
      else if (!self->busy && !self->done && *passphrase != '\0' &&
               g_utf8_strlen (passphrase, -1) < PFDO_BUNDLE_PASSPHRASE_MIN)
        {
          g_autofree char *text =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The passphrase needs at least %u character.",
                                          "The passphrase needs at least %u characters.",
                                          PFDO_BUNDLE_PASSPHRASE_MIN),
                             PFDO_BUNDLE_PASSPHRASE_MIN);

          set_status (self, text, TRUE);
        }
      else if (!self->busy && !self->done)
        set_status (self, NULL, FALSE);
    }
  else
    {
      ready = ready && self->info != NULL;
      if (relay)
        ready = ready && self->reply_path != NULL &&
                *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';
    }

  gtk_widget_set_visible (self->password_group, relay);
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_button), ready);
  gtk_button_set_label (self->action_button,
                        self->mode == MODE_EXPORT ? _("_Export")
                        : relay ? _("_Send and Write the Reply") : _("_Import"));
}

static void
entry_changed_cb (PfdoBundleDialog *self)
{
  update (self);
}

static char *
dup_display_path (const char *path)
{
  return g_filename_display_name (path);
}

static char *
dup_date_name (const char *prefix)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");

  return g_strdup_printf ("%s-%s.pfdobundle", prefix, date);
}

/* What the chosen file is, said before the passphrase is asked for. */
static void
describe_import (PfdoBundleDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&self->info, pfdo_bundle_info_free);
  self->info = pfdo_bundle_peek (self->path, &error);
  if (self->info != NULL && !pfdo_bundle_check_for_desk (self->store, self->info, &error))
    g_clear_pointer (&self->info, pfdo_bundle_info_free);
  if (self->info == NULL)
    {
      gtk_label_set_label (self->intro, _("Choose a transfer file from a USB stick."));
      set_status (self, error->message, TRUE);
      return;
    }

  when = pfdo_ui_format_time (self->info->created_at);
  if (self->info->kind == PFDO_BUNDLE_KIND_EXPORT)
    {
      /* Translators: %s is when the other desk wrote the file. */
      text = g_strdup_printf (_("A transfer file of an offline desk of this municipality, "
                                "written %s. Its work will be sent to the regional server on "
                                "that desk's behalf, and a reply file written for it."), when);
      if (self->syncer != NULL && pfdo_syncer_get_login (self->syncer) != NULL)
        {
          /* Translators: %s is the operator's login. */
          g_autofree char *title = g_strdup_printf (_("Password of %s for the regional server"),
                                                    pfdo_syncer_get_login (self->syncer));

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), title);
        }
      if (self->syncer == NULL || pfdo_syncer_get_server (self->syncer) == NULL)
        {
          g_clear_pointer (&self->info, pfdo_bundle_info_free);
          set_status (self, _("This desk has no regional server to send the file to: take "
                              "it to a desk with a connection."), TRUE);
        }
      else
        set_status (self, NULL, FALSE);
      if (self->reply_path == NULL && self->info != NULL)
        {
          g_autofree char *dir = g_path_get_dirname (self->path);
          g_autofree char *name = dup_date_name ("pfdo-reply");
          g_autofree char *reply = g_build_filename (dir, name, NULL);

          pfdo_bundle_dialog_set_reply_file (self, reply);
        }
    }
  else
    {
      /* Translators: %s is when the connected desk wrote the reply. */
      text = g_strdup_printf (_("The reply for this desk, written %s: the server's answers to "
                                "the work sent, and what changed in the region since."), when);
      set_status (self, NULL, FALSE);
    }
  gtk_label_set_label (self->intro, text);
}

/**
 * pfdo_bundle_dialog_set_file:
 *
 * The transfer file to write (export) or to read (import), as the file
 * chooser gives it.
 */
void
pfdo_bundle_dialog_set_file (PfdoBundleDialog *self,
                             const char       *path)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (PFDO_IS_BUNDLE_DIALOG (self));

  g_free (self->path);
  self->path = g_strdup (path);
  shown = path != NULL ? dup_display_path (path) : NULL;
  adw_action_row_set_subtitle (self->file_row, shown != NULL ? shown : _("Not chosen"));
  if (self->mode == MODE_IMPORT && path != NULL)
    describe_import (self);
  update (self);
}

void
pfdo_bundle_dialog_set_reply_file (PfdoBundleDialog *self,
                                   const char       *path)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (PFDO_IS_BUNDLE_DIALOG (self));

  g_free (self->reply_path);
  self->reply_path = g_strdup (path);
  shown = path != NULL ? dup_display_path (path) : NULL;
  adw_action_row_set_subtitle (self->reply_row, shown != NULL ? shown : _("Not chosen"));
  update (self);
}

typedef struct
{
  PfdoBundleDialog *self;
  gboolean          reply;
} Choice;

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     Choice          *choice)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (choice->reply)
        pfdo_bundle_dialog_set_reply_file (choice->self, path);
      else
        pfdo_bundle_dialog_set_file (choice->self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (choice->self);
  g_free (choice);
}

static void
choose (PfdoBundleDialog *self,
        gboolean          reply)
{
  gboolean save = self->mode == MODE_EXPORT || reply;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  Choice *choice = g_new0 (Choice, 1);

  choice->self = g_object_ref (self);
  choice->reply = reply;
  chooser = gtk_file_chooser_native_new (save ? _("Save the Transfer File")
                                              : _("Open a Transfer File"),
                                         GTK_WINDOW (self),
                                         save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                              : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         save ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Transfer files"));
  gtk_file_filter_add_suffix (filter, "pfdobundle");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (save)
    {
      g_autofree char *name = dup_date_name (reply ? "pfdo-reply" : "pfdo-transfer");

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
choose_file_cb (PfdoBundleDialog *self)
{
  choose (self, FALSE);
}

static void
choose_reply_cb (PfdoBundleDialog *self)
{
  choose (self, TRUE);
}

/* Progress, from the worker to the main thread. */
typedef struct
{
  GWeakRef      dialog;
  PfdoSyncPhase phase;
  guint         done;
  guint         total;
} Progress;

static gboolean
show_progress_cb (gpointer data)
{
  Progress *progress = data;
  g_autoptr(PfdoBundleDialog) self = g_weak_ref_get (&progress->dialog);
  g_autofree char *text = NULL;

  if (self != NULL && self->busy)
    {
      switch (progress->phase)
        {
        case PFDO_SYNC_PHASE_SIGN_IN:
          text = g_strdup (_("Signing in to the regional server…"));
          break;
        case PFDO_SYNC_PHASE_PUSH:
          /* Translators: operations sent so far, of all. */
          text = g_strdup_printf (_("Sending the other desk's work: %u of %u…"), progress->done,
                                  progress->total);
          break;
        case PFDO_SYNC_PHASE_PULL:
          /* Translators: changes received or applied so far. */
          text = g_strdup_printf (_("Changes in the region: %u…"), progress->done);
          break;
        case PFDO_SYNC_PHASE_IDLE:
        default:
          break;
        }
      if (text != NULL)
        gtk_progress_bar_set_text (self->progress, text);
      if (progress->total > 0)
        gtk_progress_bar_set_fraction (self->progress,
                                       (double) progress->done / progress->total);
      else
        gtk_progress_bar_pulse (self->progress);
    }
  g_weak_ref_clear (&progress->dialog);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

static void
job_progress (PfdoSyncPhase phase,
              guint         done,
              guint         total,
              gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(PfdoBundleDialog) self = g_weak_ref_get (&job->dialog);
  Progress *progress;

  if (self == NULL)
    return;
  progress = g_new0 (Progress, 1);
  g_weak_ref_init (&progress->dialog, self);
  progress->phase = phase;
  progress->done = done;
  progress->total = total;
  g_idle_add (show_progress_cb, progress);
}

static void
bundle_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (job->db_path, &error);
  PfdoSyncOptions options = {
    .ca_file = job->ca_file,
    .allow_plain_http = job->allow_plain_http,
    .progress = job_progress,
    .progress_data = job,
  };
  gboolean ok = FALSE;

  if (store != NULL &&
      (job->operator_id == NULL || pfdo_store_set_operator (store, job->operator_id, &error)))
    {
      if (job->mode == MODE_EXPORT)
        {
          g_autoptr(PfdoBundleExport) export = pfdo_bundle_export (store, job->path,
                                                                   job->passphrase, cancellable,
                                                                   &error);

          ok = export != NULL;
          if (ok)
            job->operations = export->operations;
        }
      else if (job->kind == PFDO_BUNDLE_KIND_EXPORT)
        ok = pfdo_bundle_relay (store, job->path, job->passphrase, job->server, job->login,
                                job->password, &options, job->reply_path, &job->stats,
                                cancellable, &error);
      else
        ok = pfdo_bundle_import_reply (store, job->path, job->passphrase, &options, &job->stats,
                                       cancellable, &error);
    }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* A failure in the clerk's words; the bundle's errors are already. */
static const char *
error_text (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _("Stopped. Nothing was taken from the file.");
  if (error->domain != PFDO_SYNC_ERROR)
    return error->message;
  switch ((PfdoSyncError) error->code)
    {
    case PFDO_SYNC_ERROR_NETWORK:
      return _("The regional server cannot be reached. Try again when the connection is "
               "back: sending the same file again is safe.");
    case PFDO_SYNC_ERROR_TLS:
      return _("The regional server's certificate did not pass the check. Nothing was sent. "
               "Ask the administrator to check the server address and the CA file.");
    case PFDO_SYNC_ERROR_THROTTLED:
      return _("Too many failed sign-ins. Try again in a few minutes.");
    case PFDO_SYNC_ERROR_UNAUTHORIZED:
      return _("The server did not accept the login or the password.");
    case PFDO_SYNC_ERROR_SERVER:
    case PFDO_SYNC_ERROR_PROTOCOL:
    default:
      return _("The regional server answered with an error. Try again later: sending the "
               "same file again is safe.");
    }
}

static char *
dup_result_text (Job *job)
{
  g_autofree char *file = NULL;

  if (job->mode == MODE_EXPORT)
    {
      file = g_path_get_basename (job->path);
      /* Translators: %u operations, %s the file's name. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Written to %2$s: %1$u operation waiting to be "
                                           "sent. Take the file to a МОЦ with a connection, "
                                           "and bring back the reply file it writes. The "
                                           "operation stays waiting here until then.",
                                           "Written to %2$s: %1$u operations waiting to be "
                                           "sent. Take the file to a МОЦ with a connection, "
                                           "and bring back the reply file it writes. The "
                                           "operations stay waiting here until then.",
                                           job->operations),
                              job->operations, file);
    }
  if (job->kind == PFDO_BUNDLE_KIND_EXPORT)
    {
      file = g_path_get_basename (job->reply_path);
      /* Translators: the counts of the other desk's operations, then the reply file's name. */
      return g_strdup_printf (_("Sent. Operations accepted: %u, accepted before: %u, refused: "
                                "%u. The reply is written to %s: take it back to the desk the "
                                "transfer file came from."),
                              job->stats.applied, job->stats.duplicates, job->stats.rejected,
                              file);
    }
  if (job->stats.rejected > 0)
    return g_strdup_printf (_("The reply is imported. Operations accepted: %u, refused: %u (see "
                              "the records marked). Changes received: %u."),
                            job->stats.applied + job->stats.duplicates, job->stats.rejected,
                            job->stats.pulled);
  return g_strdup_printf (_("The reply is imported. Operations accepted: %u. Changes received: "
                            "%u."),
                          job->stats.applied + job->stats.duplicates, job->stats.pulled);
}

static void
set_busy (PfdoBundleDialog *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->progress), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->file_row), !busy && !self->done);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reply_row), !busy && !self->done);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_row), !busy && !self->done);
  gtk_widget_set_sensitive (GTK_WIDGET (self->repeat_row), !busy && !self->done);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy && !self->done);
  update (self);
}

static void
bundle_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  /* Held for the work and let go here, on the main thread: the task
   * itself may be let go by the worker thread a moment later. */
  g_autoptr(PfdoBundleDialog) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* Closed while working: a reply that was applied all the same still
   * changes what the window shows. */
  if (self->closed)
    {
      if (ok && job->mode == MODE_IMPORT && job->kind == PFDO_BUNDLE_KIND_REPLY)
        g_signal_emit (self, signals[APPLIED], 0);
      return;
    }
  if (!ok)
    {
      set_busy (self, FALSE);
      set_status (self, error_text (error), TRUE);
      g_signal_emit (self, signals[FINISHED], 0, FALSE);
      return;
    }

  {
    g_autofree char *text = dup_result_text (job);

    self->done = TRUE;
    set_busy (self, FALSE);
    set_status (self, text, FALSE);
  }
  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_widget_set_visible (GTK_WIDGET (self->action_button), FALSE);
  if (job->mode == MODE_IMPORT && job->kind == PFDO_BUNDLE_KIND_REPLY)
    g_signal_emit (self, signals[APPLIED], 0);
  g_signal_emit (self, signals[FINISHED], 0, TRUE);
}

static void
action_clicked_cb (PfdoBundleDialog *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->action_button)))
    return;

  job = g_new0 (Job, 1);
  job->mode = self->mode;
  job->kind = self->info != NULL ? self->info->kind : PFDO_BUNDLE_KIND_EXPORT;
  job->db_path = g_strdup (pfdo_store_get_path (self->store));
  job->operator_id = g_strdup (pfdo_store_get_operator_id (self->store));
  job->path = g_strdup (self->path);
  job->reply_path = g_strdup (self->reply_path);
  job->passphrase = g_strdup (passphrase_text (self->passphrase_row));
  g_weak_ref_init (&job->dialog, self);
  if (self->mode == MODE_IMPORT && job->kind == PFDO_BUNDLE_KIND_EXPORT)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      job->server = g_strdup (pfdo_syncer_get_server (self->syncer));
      job->login = g_strdup (pfdo_syncer_get_login (self->syncer));
      job->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
      if (schema != NULL)
        {
          g_autoptr(GSettings) settings = g_settings_new (APP_ID);

          job->ca_file = g_settings_get_string (settings, "ca-file");
          job->allow_plain_http = g_settings_get_boolean (settings, "allow-plain-http");
        }
      if (job->login == NULL)
        {
          job_free (job);
          set_status (self, _("Sign in to the server first: the other desk's work is sent "
                              "in your name."), TRUE);
          return;
        }
    }

  /* What was typed is not kept in the window once it is with the worker. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, self->mode == MODE_EXPORT
                             ? _("Sealing the file…") : _("Opening the file…"));
  set_status (self, NULL, FALSE);
  set_busy (self, TRUE);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, bundle_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, action_clicked_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, bundle_thread);
}

static void
cancel_clicked_cb (PfdoBundleDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_request_cb (PfdoBundleDialog *self)
{
  /* Work already sent stays sent; only what is left is stopped. */
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
pfdo_bundle_dialog_dispose (GObject *object)
{
  PfdoBundleDialog *self = PFDO_BUNDLE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (pfdo_bundle_dialog_parent_class)->dispose (object);
}

static void
pfdo_bundle_dialog_finalize (GObject *object)
{
  PfdoBundleDialog *self = PFDO_BUNDLE_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->syncer);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self->reply_path);
  g_free (self->message);
  g_clear_pointer (&self->info, pfdo_bundle_info_free);
  G_OBJECT_CLASS (pfdo_bundle_dialog_parent_class)->finalize (object);
}

static void
pfdo_bundle_dialog_class_init (PfdoBundleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_bundle_dialog_dispose;
  object_class->finalize = pfdo_bundle_dialog_finalize;

  /**
   * PfdoBundleDialog::applied:
   *
   * A reply was imported: the store changed as after a sync.
   */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PfdoBundleDialog::finished:
   * @ok: whether the work was done
   *
   * The work ended, and the dialog says how.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
file_row_new (const char *title,
              GCallback   callback,
              gpointer    user_data)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Choose…"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Not chosen"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (button, "clicked", callback, user_data);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
password_row_new (const char *title,
                  gpointer    user_data)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (entry_changed_cb), user_data);
  return row;
}

static void
pfdo_bundle_dialog_init (PfdoBundleDialog *self)
{
  GtkWidget *box, *header, *content, *clamp, *group;

  gtk_window_set_default_size (GTK_WINDOW (self), 560, -1);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_hide_on_close (GTK_WINDOW (self), FALSE);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), GTK_WIDGET (self->cancel_button));
  self->action_button = GTK_BUTTON (gtk_button_new_with_mnemonic (""));
  gtk_button_set_use_underline (self->action_button, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->action_button), "suggested-action");
  g_signal_connect_swapped (self->action_button, "clicked", G_CALLBACK (action_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->action_button));
  gtk_box_append (GTK_BOX (box), header);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);

  self->intro = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->intro, TRUE);
  gtk_label_set_xalign (self->intro, 0);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->intro));

  group = adw_preferences_group_new ();
  self->file_row = ADW_ACTION_ROW (file_row_new (_("Transfer file"), G_CALLBACK (choose_file_cb),
                                                 self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->file_row));
  self->passphrase_row = ADW_PASSWORD_ENTRY_ROW (password_row_new (_("Passphrase"), self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->passphrase_row));
  self->repeat_row = ADW_PASSWORD_ENTRY_ROW (password_row_new (_("The passphrase again"), self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->repeat_row));
  gtk_box_append (GTK_BOX (content), group);

  /* Only for another desk's transfer file: where the reply goes, and the
   * password it is sent with. */
  self->password_group = adw_preferences_group_new ();
  self->reply_row = ADW_ACTION_ROW (file_row_new (_("Reply file"), G_CALLBACK (choose_reply_cb),
                                                  self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->password_group),
                             GTK_WIDGET (self->reply_row));
  self->password_row = ADW_PASSWORD_ENTRY_ROW (password_row_new (_("Your password for the "
                                                                   "regional server"), self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->password_group),
                             GTK_WIDGET (self->password_row));
  gtk_widget_set_visible (self->password_group, FALSE);
  gtk_box_append (GTK_BOX (content), self->password_group);

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->progress));

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_selectable (self->status, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->status));

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_box_append (GTK_BOX (box), clamp);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * pfdo_bundle_dialog_new_export:
 *
 * On an offline desk: the work waiting to be sent, to a transfer file.
 */
PfdoBundleDialog *
pfdo_bundle_dialog_new_export (GtkWindow *parent,
                               PfdoStore *store)
{
  PfdoBundleDialog *self = g_object_new (PFDO_TYPE_BUNDLE_DIALOG, "transient-for", parent,
                                         "title", _("Export for Transfer"), NULL);
  g_autofree char *intro = NULL;
  gint64 pending;

  self->mode = MODE_EXPORT;
  self->store = g_object_ref (store);
  pending = pfdo_store_query_int (store, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                                  NULL, NULL);
  intro = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u operation is waiting to be sent. Without a "
                                        "connection, write it to a transfer file for a USB "
                                        "stick: a МОЦ with a connection sends it to the "
                                        "regional server and writes a reply file to bring "
                                        "back. The file is sealed with a passphrase: tell it "
                                        "to the other office by phone, never on the stick.",
                                        "%u operations are waiting to be sent. Without a "
                                        "connection, write them to a transfer file for a USB "
                                        "stick: a МОЦ with a connection sends them to the "
                                        "regional server and writes a reply file to bring "
                                        "back. The file is sealed with a passphrase: tell it "
                                        "to the other office by phone, never on the stick.",
                                        (gulong) MAX (pending, 0)),
                           (guint) MAX (pending, 0));
  gtk_label_set_label (self->intro, intro);
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_row), TRUE);
  update (self);
  return self;
}

/**
 * pfdo_bundle_dialog_new_import:
 * @syncer: (nullable): the desk's syncer: the server and the login a
 *   transfer file of another desk is sent with
 *
 * A transfer file of another desk, or the reply to this desk's.
 */
PfdoBundleDialog *
pfdo_bundle_dialog_new_import (GtkWindow  *parent,
                               PfdoStore  *store,
                               PfdoSyncer *syncer)
{
  PfdoBundleDialog *self = g_object_new (PFDO_TYPE_BUNDLE_DIALOG, "transient-for", parent,
                                         "title", _("Import Transfer"), NULL);

  self->mode = MODE_IMPORT;
  self->store = g_object_ref (store);
  self->syncer = syncer != NULL ? g_object_ref (syncer) : NULL;
  gtk_label_set_label (self->intro, _("Choose a transfer file from a USB stick: another "
                                      "desk's work to send to the server, or the reply to "
                                      "this desk's."));
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_row), FALSE);
  update (self);
  return self;
}

/**
 * pfdo_bundle_dialog_get_message:
 *
 * Returns: (nullable): what the dialog says now: a result, or why not
 */
const char *
pfdo_bundle_dialog_get_message (PfdoBundleDialog *self)
{
  g_return_val_if_fail (PFDO_IS_BUNDLE_DIALOG (self), NULL);

  return self->message;
}

gboolean
pfdo_bundle_dialog_get_busy (PfdoBundleDialog *self)
{
  g_return_val_if_fail (PFDO_IS_BUNDLE_DIALOG (self), FALSE);

  return self->busy;
}
