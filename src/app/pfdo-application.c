/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pfdo-application.h"
#include "pfdo-window.h"

struct _PfdoApplication
{
  AdwApplication  parent_instance;

  char           *store_path;
  char           *server;      /* --server: this run's regional server */
  char           *login;       /* --login: offered at the sign-in */
  PfdoStore      *store;
  PfdoSyncer     *syncer;
};

G_DEFINE_FINAL_TYPE (PfdoApplication, pfdo_application, ADW_TYPE_APPLICATION)

/**
 * pfdo_application_default_store:
 *
 * Returns: (transfer full): the store in the user's data folder
 */
char *
pfdo_application_default_store (void)
{
  return g_build_filename (g_get_user_data_dir (), "pfdo-desk", "store.sqlite", NULL);
}

static void
show_open_error (PfdoApplication *self,
                 const char      *message)
{
  AdwMessageDialog *dialog;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("The store cannot be opened"),
                                                       message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_application_quit), self);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The syncer as the settings describe it; --server wins for one run. */
static PfdoSyncer *
new_syncer (PfdoApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *server = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *last_login = NULL;
  PfdoSyncer *syncer = pfdo_syncer_new (self->store);

  /* Without the installed schema (a build run in place) the defaults. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      settings = g_settings_new (APP_ID);
      server = g_settings_get_string (settings, "server-url");
      ca_file = g_settings_get_string (settings, "ca-file");
      last_login = g_settings_get_string (settings, "last-login");
      pfdo_syncer_set_interval (syncer, 60 * g_settings_get_uint (settings, "sync-interval"));
      pfdo_syncer_set_min_numbers (syncer, g_settings_get_uint (settings, "min-numbers"));
      pfdo_syncer_set_allow_plain_http (syncer,
                                        g_settings_get_boolean (settings, "allow-plain-http"));
    }
  else
    pfdo_syncer_set_interval (syncer, 5 * 60);

  pfdo_syncer_set_server (syncer, self->server != NULL ? self->server : server, ca_file);
  /* The session of the last run, in the keyring (or sealed in the store
   * until the password is typed), lets the desk sync at once. */
  pfdo_syncer_set_token_keeping (syncer, PFDO_TOKEN_KEEPING_KEYRING);
  if (self->login != NULL)
    pfdo_syncer_set_credentials (syncer, self->login, NULL);
  else if (last_login != NULL && *last_login != '\0')
    pfdo_syncer_set_credentials (syncer, last_login, NULL);
  return syncer;
}

static void
pfdo_application_activate (GApplication *app)
{
  PfdoApplication *self = PFDO_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store_path == NULL)
    self->store_path = pfdo_application_default_store ();

  /* Children's personal data: the folder is the user's alone. */
  dir = g_path_get_dirname (self->store_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_warning ("Could not create the folder of the store: %s", g_strerror (errno));

  if (self->store == NULL)
    self->store = pfdo_store_open (self->store_path, &error);
  if (self->store == NULL)
    {
      show_open_error (self, error->message);
      return;
    }

  self->syncer = new_syncer (self);
  window = GTK_WINDOW (pfdo_window_new (GTK_APPLICATION (app), self->store, self->syncer));
  gtk_window_present (window);

  /* With a server in reach, the operator signs in to it; without, at the
   * desk, with the password kept at the last online sign-in. A session
   * kept from the last run syncs meanwhile, without the password; without
   * one, the sync asks for it. */
  if (pfdo_syncer_get_server (self->syncer) != NULL &&
      pfdo_syncer_get_refusal (self->syncer) == NULL && pfdo_syncer_get_online (self->syncer))
    {
      pfdo_syncer_sync (self->syncer);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
    }
  else if (pfdo_store_query_int (self->store, "SELECT count(*) FROM operator", NULL, NULL) > 0)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
}

static int
pfdo_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  PfdoApplication *self = PFDO_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);

      g_free (self->store_path);
      self->store_path = g_file_get_path (file);
    }
  if (g_variant_dict_lookup (options, "server", "s", &self->server) &&
      !g_uri_is_valid (self->server, G_URI_FLAGS_NONE, NULL))
    {
      g_printerr (_("Not a server address: %s\n"), self->server);
      return 2;
    }
  g_variant_dict_lookup (options, "login", "s", &self->login);
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("pfdo-desk %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The pfdo-desk developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("PFDO Desk"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The pfdo-desk developers"),
                         "developers", developers,
                         "comments", _("The desk of a municipal support centre: the program "
                                       "catalog, child verification and the certificate ledger."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb },
  { "quit", quit_action_cb },
};

static void
pfdo_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *view_accels[][2] = {
    { "<Control>1", NULL },
    { "<Control>2", NULL },
    { "<Control>3", NULL },
    { "<Control>4", NULL },
  };
  static const char *views[] = { "catalog", "verification", "certificates", "meeting" };

  G_APPLICATION_CLASS (pfdo_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *action = g_strdup_printf ("win.show-view::%s", views[i]);

      gtk_application_set_accels_for_action (GTK_APPLICATION (app), action, view_accels[i]);
    }
}

static void
pfdo_application_finalize (GObject *object)
{
  PfdoApplication *self = PFDO_APPLICATION (object);

  g_clear_object (&self->syncer);
  g_clear_object (&self->store);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->login, g_free);

  G_OBJECT_CLASS (pfdo_application_parent_class)->finalize (object);
}

static void
pfdo_application_class_init (PfdoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pfdo_application_finalize;
  app_class->activate = pfdo_application_activate;
  app_class->startup = pfdo_application_startup;
  app_class->handle_local_options = pfdo_application_handle_local_options;
}

static void
pfdo_application_init (PfdoApplication *self)
{
  static const GOptionEntry options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open the store FILE"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Sync with the regional server at URL instead of the one in the settings"), N_("URL") },
    { "login", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Offer LOGIN at the sign-in to the regional server"), N_("LOGIN") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

PfdoApplication *
pfdo_application_new (void)
{
  /* Several desks with different stores may run side by side (a clerk
   * checking a demo store, say): every instance is its own. */
  return g_object_new (PFDO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/ru/pfdo/Desk",
                       NULL);
}
