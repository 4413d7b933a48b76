/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "pfdo-secrets.h"
#include "pfdo-token.h"

/*
 * The regional server's session token, kept so that the desk syncs after
 * a restart without asking the password again while the token is valid.
 * Where the operator's session has a keyring (the Secret Service, unlocked)
 * it goes there, under the schema ru.pfdo.Desk.Token with the server and
 * the login as attributes; otherwise it is sealed in the store with a key
 * from the operator's password (pfdo-secrets.c), and opens only once the
 * password is typed again. Never in plain text, never in a log: the
 * messages below name what failed, not what was kept.
 *
 * The desk never makes the keyring ask anything: a locked keyring, or one
 * without a default collection, counts as no keyring, and a session bus is
 * used only if the session has one already (autolaunching one under X
 * would leave a daemon behind).
 */

G_DEFINE_ENUM_TYPE (PfdoTokenKeeping, pfdo_token_keeping,
                    G_DEFINE_ENUM_VALUE (PFDO_TOKEN_KEEPING_MEMORY, "memory"),
                    G_DEFINE_ENUM_VALUE (PFDO_TOKEN_KEEPING_STORE, "store"),
                    G_DEFINE_ENUM_VALUE (PFDO_TOKEN_KEEPING_KEYRING, "keyring"))

static const SecretSchema token_schema = {
  "ru.pfdo.Desk.Token", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* The server as it is kept: without a trailing slash, so that
 * https://x/ and https://x are one server. */
static char *
normalize_server (const char *server)
{
  char *normal = g_strdup (server);
  gsize length = strlen (normal);

  while (length > 0 && normal[length - 1] == '/')
    normal[--length] = '\0';
  return normal;
}

/* The Secret Service of the session, if there is a session bus already. */
static SecretService *
dup_service (void)
{
  g_autofree char *bus = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  g_autoptr(GError) error = NULL;
  SecretService *service;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL && !g_file_test (bus, G_FILE_TEST_EXISTS))
    return NULL;
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  if (service == NULL)
    g_debug ("No Secret Service: %s", error->message);
  return service;
}

/* Whether the keyring can keep a token without asking the operator. */
static gboolean
keyring_is_open (SecretService *service)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection =
    secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                      NULL, &error);

  if (collection == NULL)
    {
      g_debug ("The keyring has no default collection: %s",
               error != NULL ? error->message : "none set");
      return FALSE;
    }
  if (secret_collection_get_locked (collection))
    {
      g_debug ("The keyring is locked: the token is kept in the store");
      return FALSE;
    }
  return TRUE;
}

static GHashTable *
new_attributes (const char *server,
                const char *login)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, "server", (gpointer) server);
  g_hash_table_insert (attributes, "login", (gpointer) login);
  return attributes;
}

/* The unlocked items kept for @server and @login; their secrets loaded
 * if @load. Nothing is unlocked for this, so nothing is asked. */
static GList *
search_keyring (SecretService *service,
                const char    *server,
                const char    *login,
                gboolean       load)
{
  g_autoptr(GHashTable) attributes = new_attributes (server, login);
  g_autoptr(GError) error = NULL;
  GList *items = secret_service_search_sync (service, &token_schema, attributes,
                                             load ? SECRET_SEARCH_LOAD_SECRETS : SECRET_SEARCH_NONE,
                                             NULL, &error);

  if (error != NULL)
    g_debug ("The keyring could not be searched: %s", error->message);
  return items;
}

/**
 * pfdo_token_keep:
 * @password: (nullable): the operator's password, which seals the token
 *   when there is no keyring; without it nothing is kept then
 * @out_kept: (out) (optional): where the token went
 *
 * Keeps @token for @server and @login as @keeping says; a copy kept
 * elsewhere before is forgotten, so that there is one at most.
 */
gboolean
pfdo_token_keep (PfdoTokenKeeping   keeping,
                 PfdoStore         *store,
                 const char        *server,
                 const char        *login,
                 const char        *token,
                 const char        *password,
                 PfdoTokenKeeping  *out_kept,
                 GError           **error)
{
  g_autofree char *normal = NULL;
  PfdoTokenKeeping kept = PFDO_TOKEN_KEEPING_MEMORY;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (server != NULL && login != NULL && token != NULL, FALSE);

  normal = normalize_server (server);
  if (keeping == PFDO_TOKEN_KEEPING_KEYRING)
    {
      g_autoptr(SecretService) service = dup_service ();
      g_autoptr(GError) local_error = NULL;
      g_autofree char *label = NULL;

      /* Translators: the name of the kept session in the keyring. */
      label = g_strdup_printf (_("PFDO Desk: %s on %s"), login, normal);
      if (service != NULL && keyring_is_open (service) &&
          secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT, label, token, NULL,
                                      &local_error, "server", normal, "login", login, NULL))
        {
          if (!pfdo_secrets_forget_token (store, normal, login, error))
            return FALSE;
          kept = PFDO_TOKEN_KEEPING_KEYRING;
        }
      else if (local_error != NULL)
        g_debug ("The keyring did not keep the token: %s", local_error->message);
    }

  if (kept == PFDO_TOKEN_KEEPING_MEMORY && keeping != PFDO_TOKEN_KEEPING_MEMORY &&
      password != NULL)
    {
      if (!pfdo_secrets_seal_token (store, normal, login, token, password, error))
        return FALSE;
      kept = PFDO_TOKEN_KEEPING_STORE;
    }

  if (out_kept != NULL)
    *out_kept = kept;
  return TRUE;
}

/**
 * pfdo_token_find:
 * @password: (nullable): opens a token sealed in the store
 * @out_found: (out) (optional): where the token was
 *
 * Returns: (transfer full) (nullable): the token kept for @server and
 *   @login, to be freed with pfdo_secrets_wipe(); %NULL with no error if
 *   there is none (or none that opens without a password)
 */
char *
pfdo_token_find (PfdoTokenKeeping   keeping,
                 PfdoStore         *store,
                 const char        *server,
                 const char        *login,
                 const char        *password,
                 PfdoTokenKeeping  *out_found,
                 GError           **error)
{
  g_autofree char *normal = NULL;
  char *token = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (server != NULL && login != NULL, NULL);

  if (out_found != NULL)
    *out_found = PFDO_TOKEN_KEEPING_MEMORY;
  if (keeping == PFDO_TOKEN_KEEPING_MEMORY)
    return NULL;

  normal = normalize_server (server);
  if (keeping == PFDO_TOKEN_KEEPING_KEYRING)
    {
      g_autoptr(SecretService) service = dup_service ();
      GList *items = service != NULL ? search_keyring (service, normal, login, TRUE) : NULL;

      for (GList *l = items; l != NULL && token == NULL; l = l->next)
        {
          SecretValue *value = secret_item_get_secret (l->data);
          const char *text = value != NULL ? secret_value_get_text (value) : NULL;

          if (text != NULL && *text != '\0')
            token = g_strdup (text);
          g_clear_pointer (&value, secret_value_unref);
        }
      g_list_free_full (items, g_object_unref);
      if (token != NULL)
        {
          if (out_found != NULL)
            *out_found = PFDO_TOKEN_KEEPING_KEYRING;
          return token;
        }
    }

  if (password == NULL)
    return NULL;
  token = pfdo_secrets_open_token (store, normal, login, password, error);
  if (token != NULL && out_found != NULL)
    *out_found = PFDO_TOKEN_KEEPING_STORE;
  return token;
}

/**
 * pfdo_token_forget:
 *
 * Forgets the token kept for @server and @login wherever it is: the
 * server refused it.
 */
void
pfdo_token_forget (PfdoTokenKeeping  keeping,
                   PfdoStore        *store,
                   const char       *server,
                   const char       *login)
{
  g_autofree char *normal = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PFDO_IS_STORE (store));
  g_return_if_fail (server != NULL && login != NULL);

  if (keeping == PFDO_TOKEN_KEEPING_MEMORY)
    return;
  normal = normalize_server (server);
  if (keeping == PFDO_TOKEN_KEEPING_KEYRING)
    {
      g_autoptr(SecretService) service = dup_service ();
      GList *items = service != NULL ? search_keyring (service, normal, login, FALSE) : NULL;

      for (GList *l = items; l != NULL; l = l->next)
        {
          g_autoptr(GError) delete_error = NULL;

          if (!secret_item_get_locked (l->data) &&
              !secret_item_delete_sync (l->data, NULL, &delete_error))
            g_debug ("The keyring kept the refused token: %s", delete_error->message);
        }
      g_list_free_full (items, g_object_unref);
    }
  if (!pfdo_secrets_forget_token (store, normal, login, &error))
    g_debug ("The store kept the refused token: %s", error->message);
}
