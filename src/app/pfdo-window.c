/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-audit-window.h"
#include "pfdo-bundle-dialog.h"
#include "pfdo-catalog-view.h"
#include "pfdo-certificates-view.h"
#include "pfdo-lock-page.h"
#include "pfdo-meeting-view.h"
#include "pfdo-operators.h"
#include "pfdo-roles.h"
#include "pfdo-sync-status.h"
#include "pfdo-ui.h"
#include "pfdo-verification-view.h"
#include "pfdo-window.h"

/*
 * The desk's window: the catalog, the verification desk and the ledger,
 * switched from the header bar, with the sync state beside them. The
 * window owns the store and the syncer and hands the store to each view.
 */

struct _PfdoWindow
{
  AdwApplicationWindow  parent_instance;

  PfdoStore            *store;
  PfdoSyncer           *syncer;
  GSettings            *settings;
  guint                 views_tick;    /* the first frame is being made */
  guint                 views_idle;    /* the views get the store after the first frame */
  gboolean              views_pending; /* until they have it */
  gboolean              sync_asked;    /* by the operator, not by the timer */
  AdwMessageDialog     *sign_in_dialog;
  GtkWindow            *audit_window;  /* while open */
  char                 *signing_login;     /* typed, until the server answers */
  char                 *signing_password;

  GtkStack             *lock_stack;
  PfdoLockPage         *lock_page;
  AdwToastOverlay      *toast_overlay;
  PfdoSyncStatus       *sync_status;
  AdwViewSwitcherTitle *switcher_title;
  GtkLabel             *operator_label;
  GtkLabel             *municipality_label;
  char                 *municipality_name;
  GtkStack             *content_stack;
  AdwViewStack         *view_stack;
  /* The pages hold the views, each made when first shown or after the
   * first frame, so that the window's first frame costs one view. */
  AdwBin               *catalog_bin;
  AdwBin               *verification_bin;
  AdwBin               *certificates_bin;
  AdwBin               *meeting_bin;
  PfdoCatalogView      *catalog_view;
  PfdoVerificationView *verification_view;
  PfdoCertificatesView *certificates_view;
  PfdoMeetingView      *meeting_view;
  gboolean              views_have_store;
};

G_DEFINE_FINAL_TYPE (PfdoWindow, pfdo_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNCER,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Who works at the desk, and for which municipality: in the header, the
 * surname with initials, and the whole name in the tooltip. */
static void
show_operator (PfdoWindow *self)
{
  g_autofree char *name = pfdo_operator_dup_full_name (self->store,
                                                       pfdo_store_get_operator_id (self->store));
  g_autofree char *tooltip = NULL;
  GString *short_name = g_string_new (NULL);
  gboolean audit;

  if (name != NULL && *name != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (name, " ", -1);

      g_string_append (short_name, parts[0]);
      for (guint i = 1; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          {
            g_string_append_c (short_name, ' ');
            g_string_append_unichar (short_name, g_utf8_get_char (parts[i]));
            g_string_append_c (short_name, '.');
          }
    }
  else
    g_string_append (short_name, _("Nobody signed in"));
  gtk_label_set_label (self->operator_label, short_name->str);
  /* The menu offers the audit log to whom the core shows it; another
   * operator at the desk does not find it open. */
  audit = pfdo_role_allows (pfdo_store_get_operator_role (self->store), PFDO_ACTION_AUDIT_VIEW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-audit", audit);
  if (!audit && self->audit_window != NULL)
    gtk_window_destroy (self->audit_window);
  gtk_label_set_label (self->municipality_label,
                       self->municipality_name != NULL ? self->municipality_name : "");
  /* Translators: the operator and the municipality in the header. */
  tooltip = g_strdup_printf (_("%s · %s"), name != NULL ? name : short_name->str,
                             self->municipality_name != NULL ? self->municipality_name : "");
  gtk_widget_set_tooltip_text (gtk_widget_get_parent (GTK_WIDGET (self->operator_label)),
                               tooltip);
  g_string_free (short_name, TRUE);
}

/* Whether the store holds a region, and the name of the desk's
 * municipality: index look-ups, cheap enough for the main thread even on
 * a full region. */
static void
reload (PfdoWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *municipality_id = pfdo_store_dup_municipality_id (self->store);
  gint64 held;
  sqlite3_stmt *stmt;

  held = pfdo_store_query_int (self->store,
                               "SELECT EXISTS (SELECT 1 FROM municipality) OR "
                               "EXISTS (SELECT 1 FROM program) OR EXISTS (SELECT 1 FROM child)",
                               NULL, &error);
  if (error != NULL)
    {
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                           _("The store cannot be read"),
                                                           error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  g_clear_pointer (&self->municipality_name, g_free);
  stmt = pfdo_store_prepare (self->store, "SELECT name FROM municipality WHERE id = ?", NULL);
  if (stmt != NULL && municipality_id != NULL)
    {
      sqlite3_bind_text (stmt, 1, municipality_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        self->municipality_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }

  gtk_stack_set_visible_child_name (self->content_stack, held ? "views" : "empty");
  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        self->municipality_name != NULL
                                        ? self->municipality_name : "");
  show_operator (self);
}

/* Makes the view of page @name if it is not made yet; it gets the store
 * once the views have it. */
static void
build_view (PfdoWindow *self,
            const char *name)
{
  GtkWidget *view = NULL;
  AdwBin *bin = NULL;

  if (g_strcmp0 (name, "catalog") == 0 && self->catalog_view == NULL)
    {
      view = g_object_new (PFDO_TYPE_CATALOG_VIEW, NULL);
      self->catalog_view = PFDO_CATALOG_VIEW (view);
      bin = self->catalog_bin;
      if (self->views_have_store)
        pfdo_catalog_view_set_store (self->catalog_view, self->store);
    }
  else if (g_strcmp0 (name, "verification") == 0 && self->verification_view == NULL)
    {
      view = g_object_new (PFDO_TYPE_VERIFICATION_VIEW, NULL);
      self->verification_view = PFDO_VERIFICATION_VIEW (view);
      bin = self->verification_bin;
      if (self->views_have_store)
        pfdo_verification_view_set_store (self->verification_view, self->store);
    }
  else if (g_strcmp0 (name, "certificates") == 0 && self->certificates_view == NULL)
    {
      view = g_object_new (PFDO_TYPE_CERTIFICATES_VIEW, NULL);
      self->certificates_view = PFDO_CERTIFICATES_VIEW (view);
      bin = self->certificates_bin;
      if (self->views_have_store)
        pfdo_certificates_view_set_store (self->certificates_view, self->store);
    }
  else if (g_strcmp0 (name, "meeting") == 0 && self->meeting_view == NULL)
    {
      view = g_object_new (PFDO_TYPE_MEETING_VIEW, NULL);
      self->meeting_view = PFDO_MEETING_VIEW (view);
      bin = self->meeting_bin;
      if (self->views_have_store)
        pfdo_meeting_view_set_store (self->meeting_view, self->store);
    }
  if (view != NULL)
    adw_bin_set_child (bin, view);
}

/* Another operator signed in over the locked desk: the views are made
 * anew, so that nothing the locked operator typed is theirs to see or to
 * save. */
static void
drop_views (PfdoWindow *self)
{
  AdwBin *bins[] = { self->catalog_bin, self->verification_bin, self->certificates_bin,
                     self->meeting_bin };

  for (guint i = 0; i < G_N_ELEMENTS (bins); i++)
    adw_bin_set_child (bins[i], NULL);
  self->catalog_view = NULL;
  self->verification_view = NULL;
  self->certificates_view = NULL;
  self->meeting_view = NULL;
  build_view (self, adw_view_stack_get_visible_child_name (self->view_stack));
  if (self->views_have_store)
    {
      build_view (self, "catalog");
      build_view (self, "verification");
      build_view (self, "certificates");
      build_view (self, "meeting");
    }
}

/* Every view made so far reads the store again. */
static void
reload_views (PfdoWindow *self)
{
  if (self->catalog_view != NULL)
    pfdo_catalog_view_reload (self->catalog_view);
  if (self->verification_view != NULL)
    pfdo_verification_view_reload (self->verification_view);
  if (self->certificates_view != NULL)
    pfdo_certificates_view_reload (self->certificates_view);
  if (self->meeting_view != NULL)
    pfdo_meeting_view_reload (self->meeting_view);
}

static void
visible_view_changed_cb (PfdoWindow *self)
{
  build_view (self, adw_view_stack_get_visible_child_name (self->view_stack));
}

static void
show_view_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);
  const char *view = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, view) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, view);
}

static void
toast (PfdoWindow *self,
       const char *text)
{
  pfdo_ui_toast (GTK_WIDGET (self->content_stack), text);
}

/* The catalog for one child: from the verification desk's card. */
static void
fit_catalog_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "catalog");
  build_view (self, "catalog");
  pfdo_catalog_view_fit_to_age (self->catalog_view, g_variant_get_int32 (parameter));
}

static void
focus_search_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);

  build_view (self, view);
  if (g_strcmp0 (view, "catalog") == 0)
    pfdo_catalog_view_focus_search (self->catalog_view);
  else if (g_strcmp0 (view, "verification") == 0)
    pfdo_verification_view_focus_search (self->verification_view);
  else if (g_strcmp0 (view, "certificates") == 0)
    pfdo_certificates_view_focus_search (self->certificates_view);
  else if (g_strcmp0 (view, "meeting") == 0)
    pfdo_meeting_view_focus_search (self->meeting_view);
}

/* Whether the desk signs in and syncs through the regional server: one is
 * set, and its address is not refused (pfdo-transport.h). */
static gboolean
has_usable_server (PfdoWindow *self)
{
  return self->syncer != NULL && pfdo_syncer_get_server (self->syncer) != NULL &&
         pfdo_syncer_get_refusal (self->syncer) == NULL;
}

/* The typed password is kept only until the server has answered. */
static void
forget_signing (PfdoWindow *self)
{
  if (self->signing_password != NULL)
    memset (self->signing_password, 0, strlen (self->signing_password));
  g_clear_pointer (&self->signing_password, g_free);
  g_clear_pointer (&self->signing_login, g_free);
}

/* Every view reads the store again for the operator now at the desk. A
 * sign-in over the locked desk unlocks it: for the same operator as it
 * was, for another one without the locked operator's work. */
static void
operator_changed (PfdoWindow *self)
{
  const char *operator_id = pfdo_store_get_operator_id (self->store);

  if (pfdo_lock_page_get_locked (self->lock_page) && operator_id != NULL)
    {
      if (g_strcmp0 (operator_id, pfdo_lock_page_get_operator_id (self->lock_page)) != 0)
        drop_views (self);
      pfdo_lock_page_unlock (self->lock_page);
    }
  show_operator (self);
  reload_views (self);
}

/* The lock page over the desk, or the desk; nothing under the page is
 * reached by a shortcut meanwhile. */
static void
locked_changed_cb (PfdoWindow *self)
{
  gboolean locked = pfdo_lock_page_get_locked (self->lock_page);

  gtk_stack_set_visible_child_name (self->lock_stack, locked ? "locked" : "desk");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-view", !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-search", !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fit-catalog", !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-transfer", !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-transfer", !locked);
}

static void
lock_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);

  if (!pfdo_lock_page_lock (self->lock_page))
    toast (self, _("Nobody is signed in at this desk: there is nothing to lock."));
}

static void
sign_in_offline (PfdoWindow *self,
                 const char *login,
                 const char *password)
{
  g_autoptr(GError) error = NULL;

  if (!pfdo_operator_sign_in (self->store, login, password, &error))
    {
      toast (self, error->message);
      operator_changed (self);
      return;
    }
  operator_changed (self);
  toast (self, _("Signed in at this desk without the regional server."));
}

static void
keep_password_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  char **args = task_data;   /* path, login, password */
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (args[0], &error);

  if (store == NULL || !pfdo_operator_keep_password (store, args[1], args[2], &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
wipe_args (char **args)
{
  if (args[2] != NULL)
    memset (args[2], 0, strlen (args[2]));
  g_strfreev (args);
}

static void
keep_password_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not keep the password for signing in offline: %s", error->message);
}

/* The server accepted the operator: every action from now on is theirs,
 * and the password's hash is kept (slowly, off the main thread) so that
 * they can sign in here offline. */
static void
signed_in_online (PfdoWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  char **args;

  if (!pfdo_store_set_operator_login (self->store, self->signing_login, &error))
    {
      toast (self, error->message);
      forget_signing (self);
      return;
    }
  operator_changed (self);

  args = g_new0 (char *, 4);
  args[0] = g_strdup (pfdo_store_get_path (self->store));
  args[1] = g_strdup (self->signing_login);
  args[2] = g_strdup (self->signing_password);
  forget_signing (self);
  task = g_task_new (NULL, NULL, keep_password_cb, NULL);
  g_task_set_source_tag (task, signed_in_online);
  g_task_set_task_data (task, args, (GDestroyNotify) wipe_args);
  g_task_run_in_thread (task, keep_password_thread);
}

static void
sign_in_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PfdoWindow       *self)
{
  GtkEditable *login = g_object_get_data (G_OBJECT (dialog), "login");
  GtkEditable *password = g_object_get_data (G_OBJECT (dialog), "password");
  g_autofree char *login_text = g_strstrip (g_strdup (gtk_editable_get_text (login)));

  /* One answer per dialog (Enter may bring a second as it closes); the
   * next question is a new dialog. */
  g_signal_handlers_disconnect_by_func (dialog, sign_in_response_cb, self);
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->sign_in_dialog);
  self->sign_in_dialog = NULL;
  if (!g_str_equal (response, "sign-in") || *login_text == '\0')
    return;

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-login", login_text);

  /* Without a server the desk checks the password itself. */
  if (!has_usable_server (self))
    {
      sign_in_offline (self, login_text, gtk_editable_get_text (password));
      gtk_editable_set_text (password, "");
      return;
    }

  forget_signing (self);
  self->signing_login = g_strdup (login_text);
  self->signing_password = g_strdup (gtk_editable_get_text (password));
  /* The password field forgets what was typed. */
  gtk_editable_set_text (password, "");
  self->sync_asked = TRUE;
  pfdo_syncer_sign_in (self->syncer, self->signing_login, self->signing_password);
}

/* Asks for the operator's login and password on the regional server;
 * @refused says the server did not accept the last ones. */
static void
ask_password (PfdoWindow *self,
              gboolean    refused)
{
  GtkWidget *list, *login, *password;
  g_autofree char *last_login = NULL;
  g_autofree char *body = NULL;
  gboolean online;

  if (self->sign_in_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
      return;
    }

  online = has_usable_server (self);
  if (self->syncer != NULL && pfdo_syncer_get_refusal (self->syncer) != NULL)
    /* Translators: why the server is not used, then how the password is checked. */
    body = g_strdup_printf (_("%s\n\nUntil then the password is checked against the one given "
                              "at the last sign-in with the network."),
                            pfdo_syncer_get_refusal (self->syncer)->message);
  else if (refused)
    body = g_strdup (_("The server did not accept the login or the password. Type them again."));
  else if (online)
    body = g_strdup_printf (_("Server: %s"), pfdo_syncer_get_server (self->syncer));
  else
    body = g_strdup (_("This desk works without a regional server: the password is checked "
                       "against the one given at the last sign-in with the network."));
  self->sign_in_dialog =
    ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                online ? _("Sign In to the Regional Server")
                                                       : _("Sign In at the Desk"), body));
  g_object_add_weak_pointer (G_OBJECT (self->sign_in_dialog),
                             (gpointer *) &self->sign_in_dialog);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  login = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (login), _("Login"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (login), TRUE);
  if (self->syncer != NULL && pfdo_syncer_get_login (self->syncer) != NULL)
    last_login = g_strdup (pfdo_syncer_get_login (self->syncer));
  else if (self->settings != NULL)
    last_login = g_settings_get_string (self->settings, "last-login");
  gtk_editable_set_text (GTK_EDITABLE (login), last_login != NULL ? last_login : "");
  password = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password), _("Password"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (password), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), login);
  gtk_list_box_append (GTK_LIST_BOX (list), password);
  adw_message_dialog_set_extra_child (self->sign_in_dialog, list);
  /* Held by the dialog until it is finalized: libadwaita 1.2's entry rows
   * react to the window's focus change while the dialog is torn down, and
   * crashed the desk after Enter when they were gone already. */
  g_object_set_data_full (G_OBJECT (self->sign_in_dialog), "login", g_object_ref (login),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (self->sign_in_dialog), "password", g_object_ref (password),
                          g_object_unref);

  adw_message_dialog_add_responses (self->sign_in_dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-in", _("_Sign In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->sign_in_dialog, "sign-in",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (self->sign_in_dialog, "sign-in");
  adw_message_dialog_set_close_response (self->sign_in_dialog, "cancel");
  g_signal_connect (self->sign_in_dialog, "response", G_CALLBACK (sign_in_response_cb), self);
  gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
  gtk_widget_grab_focus (last_login != NULL && *last_login != '\0' ? password : login);
}

static void
password_needed_cb (PfdoSyncer *syncer,
                    GError     *error,
                    PfdoWindow *self)
{
  ask_password (self, error != NULL);
}

/* What a clerk can do about a failed sync, in the clerk's words. */
static const char *
sync_error_text (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _("The sync was stopped. What was already sent and received is kept.");
  if (error->domain != PFDO_SYNC_ERROR)
    return error->message;
  switch ((PfdoSyncError) error->code)
    {
    case PFDO_SYNC_ERROR_NETWORK:
      return _("The regional server cannot be reached. Work goes on; the operations will be "
               "sent at the next sync.");
    case PFDO_SYNC_ERROR_TLS:
      return _("The regional server's certificate did not pass the check. Nothing was sent. "
               "Ask the administrator to check the server address and the CA file.");
    case PFDO_SYNC_ERROR_THROTTLED:
      return _("Too many failed sign-ins. Try again in a few minutes.");
    case PFDO_SYNC_ERROR_UNAUTHORIZED:
      return _("The server did not accept the login or the password.");
    case PFDO_SYNC_ERROR_AUDIT_DIVERGED:
      return _("The audit log does not match the server’s: tell the МОЦ administrator.");
    case PFDO_SYNC_ERROR_SERVER:
    case PFDO_SYNC_ERROR_PROTOCOL:
    default:
      return _("The regional server answered with an error. Try to sync again later.");
    }
}

static void
sync_finished_cb (PfdoSyncer *syncer,
                  GError     *error,
                  PfdoWindow *self)
{
  const PfdoSyncStats *stats = pfdo_syncer_get_last_stats (syncer);
  gboolean asked = self->sync_asked;
  /* A sync that ran before the sign-in typed says nothing of its password. */
  gboolean signing = self->signing_login != NULL && pfdo_syncer_get_last_sign_in (syncer);

  if (self->signing_login == NULL || signing)
    self->sync_asked = FALSE;
  if (stats->pulled > 0 || stats->applied > 0)
    {
      /* What the sync brought, in every view. */
      reload_views (self);
      reload (self);
    }

  if (signing)
    {
      /* A diverged audit log is the administrator's to answer: the
       * operator is signed in all the same. */
      if (error == NULL ||
          g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED))
        signed_in_online (self);
      else if (g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_NETWORK))
        {
          /* No network: the same operator may still sign in here. */
          g_autofree char *login = g_strdup (self->signing_login);
          g_autofree char *password = g_strdup (self->signing_password);

          forget_signing (self);
          sign_in_offline (self, login, password);
          memset (password, 0, strlen (password));
          return;
        }
      else if (!g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED))
        forget_signing (self);
    }

  /* A refused password has its dialog; an automatic sync that failed only
   * for the network is the status line's to say. */
  if (g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED) ||
      (!asked && g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_NETWORK)))
    return;
  if (error != NULL)
    {
      toast (self, sync_error_text (error));
      return;
    }
  if (stats->rejected > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "The server rejected %u operation: see the records marked.",
                                      "The server rejected %u operations: see the records marked.",
                                      stats->rejected), stats->rejected);

      toast (self, text);
    }
  else if (asked || stats->pushed > 0)
    {
      /* Translators: a sync's summary: operations sent, changes received. */
      g_autofree char *text = g_strdup_printf (_("Synced: %u sent, %u received."),
                                               stats->pushed, stats->pulled);

      toast (self, text);
    }
}

static void
sync_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);

  if (self->syncer == NULL)
    return;
  if (pfdo_syncer_get_busy (self->syncer))
    {
      pfdo_syncer_cancel (self->syncer);
      return;
    }
  if (pfdo_syncer_get_server (self->syncer) == NULL)
    {
      toast (self, _("No regional server is set for this desk: it works offline."));
      return;
    }
  if (pfdo_syncer_get_refusal (self->syncer) != NULL)
    {
      toast (self, pfdo_syncer_get_refusal (self->syncer)->message);
      return;
    }
  self->sync_asked = TRUE;
  pfdo_syncer_sync (self->syncer);
}

static void
show_audit_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);

  if (self->audit_window == NULL)
    {
      self->audit_window = GTK_WINDOW (pfdo_audit_window_new (GTK_WINDOW (self), self->store));
      g_object_add_weak_pointer (G_OBJECT (self->audit_window), (gpointer *) &self->audit_window);
    }
  gtk_window_present (self->audit_window);
}

static void
sign_in_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);

  ask_password (self, FALSE);
}

/* A sync on a USB stick: pfdo-bundle-dialog.c; a reply reloads the views. */
static void
transfer_applied_cb (PfdoWindow *self)
{
  reload_views (self);
  reload (self);
  if (self->syncer != NULL)
    pfdo_syncer_refresh (self->syncer);
}

static void
transfer_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PfdoWindow *self = PFDO_WINDOW (widget);
  PfdoBundleDialog *dialog = g_str_equal (action_name, "win.export-transfer")
    ? pfdo_bundle_dialog_new_export (GTK_WINDOW (self), self->store)
    : pfdo_bundle_dialog_new_import (GTK_WINDOW (self), self->store, self->syncer);

  g_signal_connect_object (dialog, "applied", G_CALLBACK (transfer_applied_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
give_views_store_cb (gpointer user_data)
{
  PfdoWindow *self = user_data;

  self->views_idle = 0;
  self->views_pending = FALSE;
  /* The visible view is made already; the others now, after the first frame. */
  build_view (self, "catalog");
  build_view (self, "verification");
  build_view (self, "certificates");
  build_view (self, "meeting");
  pfdo_catalog_view_set_store (self->catalog_view, self->store);
  pfdo_verification_view_set_store (self->verification_view, self->store);
  pfdo_certificates_view_set_store (self->certificates_view, self->store);
  pfdo_meeting_view_set_store (self->meeting_view, self->store);
  self->views_have_store = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  return G_SOURCE_REMOVE;
}

/* The first frame is on its way: it is painted before an idle runs, so
 * the other views are made and read the store only once it is shown. An
 * idle added earlier would run while the window waits to be mapped. */
static gboolean
first_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  PfdoWindow *self = PFDO_WINDOW (widget);

  self->views_tick = 0;
  self->views_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, give_views_store_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

static void
pfdo_window_constructed (GObject *object)
{
  PfdoWindow *self = PFDO_WINDOW (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (pfdo_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  /* The views read a few index pages at a time: the cache sized for a
   * sync's bulk writes would only hold memory. */
  if (!pfdo_store_set_cache_kib (self->store, 8 * 1024, &error))
    g_warning ("Could not size the store's cache: %s", error->message);
  /* The window is drawn first, the views' rows a moment later: on a full
   * region reading them takes longer than a frame. */
  self->views_pending = TRUE;
  self->views_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), first_tick_cb, NULL, NULL);
  reload (self);

  pfdo_lock_page_set_store (self->lock_page, self->store);
  pfdo_lock_page_watch (self->lock_page, GTK_WINDOW (self));
  g_signal_connect_object (self->lock_page, "notify::locked", G_CALLBACK (locked_changed_cb),
                           self, G_CONNECT_SWAPPED);

  pfdo_sync_status_set_syncer (self->sync_status, self->syncer);
  if (self->syncer != NULL)
    {
      /* A clerk's action waits in the outbox: the header counts it at once. */
      g_signal_connect_object (self->store, "changed", G_CALLBACK (pfdo_syncer_refresh),
                               self->syncer, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->syncer, "password-needed", G_CALLBACK (password_needed_cb),
                               self, 0);
      g_signal_connect_object (self->syncer, "finished", G_CALLBACK (sync_finished_cb), self, 0);
    }

  if (self->settings != NULL)
    {
      g_autofree char *view = g_settings_get_string (self->settings, "last-view");

      if (adw_view_stack_get_child_by_name (self->view_stack, view) != NULL)
        adw_view_stack_set_visible_child_name (self->view_stack, view);
    }
  /* The first frame shows one view: this one. */
  build_view (self, adw_view_stack_get_visible_child_name (self->view_stack));
}

static gboolean
pfdo_window_close_request (GtkWindow *window)
{
  PfdoWindow *self = PFDO_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      g_settings_set_string (self->settings, "last-view",
                             adw_view_stack_get_visible_child_name (self->view_stack));
    }

  return GTK_WINDOW_CLASS (pfdo_window_parent_class)->close_request (window);
}

static void
pfdo_window_dispose (GObject *object)
{
  PfdoWindow *self = PFDO_WINDOW (object);

  g_clear_handle_id (&self->views_idle, g_source_remove);
  if (self->views_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->views_tick);
  self->views_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_WINDOW);
  if (self->sign_in_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->sign_in_dialog));
  if (self->audit_window != NULL)
    {
      GtkWindow *audit = g_steal_pointer (&self->audit_window);

      g_object_remove_weak_pointer (G_OBJECT (audit), (gpointer *) &self->audit_window);
      gtk_window_destroy (audit);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->syncer);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->municipality_name, g_free);
  forget_signing (self);

  G_OBJECT_CLASS (pfdo_window_parent_class)->dispose (object);
}

static void
pfdo_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PfdoWindow *self = PFDO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNCER:
      g_value_set_object (value, self->syncer);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->views_pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PfdoWindow *self = PFDO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SYNCER:
      self->syncer = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_window_class_init (PfdoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pfdo_window_constructed;
  object_class->dispose = pfdo_window_dispose;
  object_class->get_property = pfdo_window_get_property;
  object_class->set_property = pfdo_window_set_property;
  window_class->close_request = pfdo_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PFDO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCER] =
    g_param_spec_object ("syncer", NULL, NULL, PFDO_TYPE_SYNCER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/pfdo/Desk/pfdo-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, lock_stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, operator_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, municipality_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, catalog_bin);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, verification_bin);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, certificates_bin);
  gtk_widget_class_bind_template_child (widget_class, PfdoWindow, meeting_bin);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action_cb);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action_cb);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action_cb);
  gtk_widget_class_install_action (widget_class, "win.show-audit", NULL, show_audit_action_cb);
  gtk_widget_class_install_action (widget_class, "win.export-transfer", NULL, transfer_action_cb);
  gtk_widget_class_install_action (widget_class, "win.import-transfer", NULL, transfer_action_cb);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL,
                                   focus_search_action_cb);
  gtk_widget_class_install_action (widget_class, "win.fit-catalog", "i", fit_catalog_action_cb);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.focus-search", NULL);
}

static void
pfdo_window_init (PfdoWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  g_type_ensure (PFDO_TYPE_SYNC_STATUS);
  g_type_ensure (PFDO_TYPE_LOCK_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (visible_view_changed_cb), self, G_CONNECT_SWAPPED);

  /* Without the installed schema (a build run in place) nothing is kept. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      int width, height;

      self->settings = g_settings_new (APP_ID);
      g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_settings_bind (self->settings, "lock-after-minutes", self->lock_page,
                       "lock-after-minutes", G_SETTINGS_BIND_GET);
    }
}

/**
 * pfdo_window_new:
 * @syncer: (nullable): how the desk syncs; %NULL for a desk without one
 */
PfdoWindow *
pfdo_window_new (GtkApplication *application,
                 PfdoStore      *store,
                 PfdoSyncer     *syncer)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (syncer == NULL || PFDO_IS_SYNCER (syncer), NULL);

  return g_object_new (PFDO_TYPE_WINDOW, "application", application, "store", store,
                       "syncer", syncer, NULL);
}

PfdoSyncer *
pfdo_window_get_syncer (PfdoWindow *self)
{
  g_return_val_if_fail (PFDO_IS_WINDOW (self), NULL);

  return self->syncer;
}

const char *
pfdo_window_get_sync_text (PfdoWindow *self)
{
  g_return_val_if_fail (PFDO_IS_WINDOW (self), NULL);

  return pfdo_sync_status_get_text (self->sync_status);
}

PfdoStore *
pfdo_window_get_store (PfdoWindow *self)
{
  g_return_val_if_fail (PFDO_IS_WINDOW (self), NULL);

  return self->store;
}

const char *
pfdo_window_get_visible_view (PfdoWindow *self)
{
  g_return_val_if_fail (PFDO_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

gboolean
pfdo_window_get_loading (PfdoWindow *self)
{
  g_return_val_if_fail (PFDO_IS_WINDOW (self), FALSE);

  return self->views_pending;
}

gboolean
pfdo_window_is_empty (PfdoWindow *self)
{
  g_return_val_if_fail (PFDO_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "empty") == 0;
}
