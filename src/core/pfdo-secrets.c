/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pfdo-domain-private.h"
#include "pfdo-error.h"
#include "pfdo-secrets.h"

/*
 * What the desk keeps of an operator's secrets. The password itself is
 * never kept: only its Argon2id hash (pfdo-operators.c), which unlocks the
 * desk too. The regional server's session token is kept in a keyring where
 * there is one (src/sync/pfdo-token.c); otherwise here, sealed with
 * crypto_secretbox under a key derived from the operator's password with
 * Argon2id and a random salt of this desk, so that a stolen store gives
 * the token away no more easily than the password. The sealed text names
 * the server and the login it belongs to, so that a box copied to another
 * row does not open there.
 *
 * Nothing here logs a token, a password or a key, and every buffer that
 * held one is overwritten before it is freed.
 */

#define SALT_KEY      "token_salt"
#define BOX_PREFIX    "token:"
#define BOX_VERSION   "v1:"
#define PLAIN_HEADER  "pfdo-token-v1\n"

void
pfdo_secrets_wipe (char **secret)
{
  if (*secret != NULL)
    sodium_memzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* The row a token for @server and @login is kept in: named by a hash, so
 * that neither needs escaping. */
static char *
box_key (const char *server,
         const char *login)
{
  g_autofree char *both = g_strconcat (server, "\n", login, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, both, -1);

  return g_strconcat (BOX_PREFIX, hash, NULL);
}

static gboolean
init_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("The encryption library could not be started."));
      return FALSE;
    }
  return TRUE;
}

/* The desk's salt, made once. */
static gboolean
ensure_salt_cb (PfdoStore *store,
                gpointer   user_data,
                GError   **error)
{
  g_autofree char *salt = pfdo_store_dup_setting (store, SALT_KEY);
  guchar bytes[crypto_pwhash_SALTBYTES];

  if (salt != NULL)
    return TRUE;
  randombytes_buf (bytes, sizeof bytes);
  salt = g_base64_encode (bytes, sizeof bytes);
  return pfdo_store_set_setting (store, SALT_KEY, salt, error);
}

/* The key for @password with the desk's salt: slow on purpose. */
static gboolean
derive_key (PfdoStore   *store,
            const char  *password,
            guchar       key[crypto_secretbox_KEYBYTES],
            GError     **error)
{
  g_autofree char *encoded = pfdo_store_dup_setting (store, SALT_KEY);
  g_autofree guchar *salt = NULL;
  gsize salt_len = 0;

  if (encoded != NULL)
    salt = g_base64_decode (encoded, &salt_len);
  if (salt == NULL || salt_len != crypto_pwhash_SALTBYTES)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CORRUPT,
                   _("The store's key salt is damaged; sign in with the network again."));
      return FALSE;
    }
  if (crypto_pwhash (key, crypto_secretbox_KEYBYTES, password, strlen (password), salt,
                     crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("Not enough memory to derive the key from the password."));
      return FALSE;
    }
  return TRUE;
}

/**
 * pfdo_secrets_seal_token:
 * @server: the regional server's address
 * @password: the operator's password, which the server has just accepted
 *
 * Keeps @token for @server and @login, sealed under a key from @password:
 * only the same password opens it again. Slow on purpose (tenths of a
 * second): call it off the main thread.
 */
gboolean
pfdo_secrets_seal_token (PfdoStore   *store,
                         const char  *server,
                         const char  *login,
                         const char  *token,
                         const char  *password,
                         GError     **error)
{
  guchar key[crypto_secretbox_KEYBYTES];
  g_autofree char *plain = NULL;
  g_autofree char *row = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *value = NULL;
  g_autofree guchar *sealed = NULL;
  gsize plain_len, sealed_len;
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (server != NULL && login != NULL && token != NULL && password != NULL,
                        FALSE);

  if (!init_sodium (error) || !pfdo_store_write (store, ensure_salt_cb, NULL, error) ||
      !derive_key (store, password, key, error))
    return FALSE;

  plain = g_strconcat (PLAIN_HEADER, server, "\n", login, "\n", token, NULL);
  plain_len = strlen (plain);
  sealed_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain_len;
  sealed = g_malloc (sealed_len);
  randombytes_buf (sealed, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (sealed + crypto_secretbox_NONCEBYTES, (const guchar *) plain, plain_len,
                         sealed, key);
  sodium_memzero (key, sizeof key);
  sodium_memzero (plain, plain_len);

  encoded = g_base64_encode (sealed, sealed_len);
  value = g_strconcat (BOX_VERSION, encoded, NULL);
  row = box_key (server, login);
  ok = pfdo_store_set_setting (store, row, value, error);
  return ok;
}

/**
 * pfdo_secrets_has_token:
 *
 * Returns: whether a sealed token for @server and @login is kept, without
 *   opening it
 */
gboolean
pfdo_secrets_has_token (PfdoStore  *store,
                        const char *server,
                        const char *login)
{
  g_autofree char *row = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (server != NULL && login != NULL, FALSE);

  row = box_key (server, login);
  value = pfdo_store_dup_setting (store, row);
  return value != NULL && *value != '\0';
}

/**
 * pfdo_secrets_open_token:
 *
 * Opens the token kept for @server and @login with @password. Slow on
 * purpose: call it off the main thread.
 *
 * Returns: (transfer full) (nullable): the token, to be freed with
 *   pfdo_secrets_wipe(); %NULL without an error if none is kept, %NULL with
 *   an error if @password does not open it
 */
char *
pfdo_secrets_open_token (PfdoStore   *store,
                         const char  *server,
                         const char  *login,
                         const char  *password,
                         GError     **error)
{
  guchar key[crypto_secretbox_KEYBYTES];
  g_autofree char *row = NULL;
  g_autofree char *value = NULL;
  g_autofree char *expected = NULL;
  g_autofree guchar *sealed = NULL;
  char *plain;
  char *token = NULL;
  gsize sealed_len = 0;
  gsize plain_len;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (server != NULL && login != NULL && password != NULL, NULL);

  row = box_key (server, login);
  value = pfdo_store_dup_setting (store, row);
  if (value == NULL || *value == '\0')
    return NULL;
  if (g_str_has_prefix (value, BOX_VERSION))
    sealed = g_base64_decode (value + strlen (BOX_VERSION), &sealed_len);
  if (sealed == NULL || sealed_len <= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CORRUPT,
                   _("The kept session of the regional server is damaged."));
      return NULL;
    }
  if (!init_sodium (error) || !derive_key (store, password, key, error))
    return NULL;

  plain_len = sealed_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
  plain = g_malloc (plain_len + 1);
  if (crypto_secretbox_open_easy ((guchar *) plain, sealed + crypto_secretbox_NONCEBYTES,
                                  sealed_len - crypto_secretbox_NONCEBYTES, sealed, key) != 0)
    {
      sodium_memzero (key, sizeof key);
      g_free (plain);
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("The password does not open the kept session of the regional server."));
      return NULL;
    }
  sodium_memzero (key, sizeof key);
  plain[plain_len] = '\0';

  /* Sealed for this server and login, not moved here from another row. */
  expected = g_strconcat (PLAIN_HEADER, server, "\n", login, "\n", NULL);
  if (plain_len > strlen (expected) && strncmp (plain, expected, strlen (expected)) == 0)
    token = g_strdup (plain + strlen (expected));
  sodium_memzero (plain, plain_len);
  g_free (plain);
  if (token == NULL)
    g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CORRUPT,
                 _("The kept session of the regional server is damaged."));
  return token;
}

/**
 * pfdo_secrets_forget_token:
 *
 * Forgets the token kept for @server and @login, if any: the server
 * refused it, or it is kept elsewhere now.
 */
gboolean
pfdo_secrets_forget_token (PfdoStore   *store,
                           const char  *server,
                           const char  *login,
                           GError     **error)
{
  g_autofree char *row = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (server != NULL && login != NULL, FALSE);

  row = box_key (server, login);
  stmt = pfdo_store_prepare (store, "DELETE FROM sync_state WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

/**
 * pfdo_secrets_dup_password_hash:
 * @operator_id: (nullable): an operator of this desk
 *
 * Returns: (transfer full) (nullable): the Argon2id hash kept at the
 *   operator's last online sign-in, or %NULL if there is none
 */
char *
pfdo_secrets_dup_password_hash (PfdoStore  *store,
                                const char *operator_id)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (operator_id == NULL)
    return NULL;
  return pfdo_query_text (store,
                          "SELECT password_hash FROM operator WHERE id = ? AND is_active = 1",
                          operator_id, NULL);
}

/**
 * pfdo_secrets_verify_password:
 * @hash: from pfdo_secrets_dup_password_hash()
 *
 * Slow on purpose (tenths of a second): call it off the main thread.
 *
 * Returns: whether @password is the one @hash was made from
 */
gboolean
pfdo_secrets_verify_password (const char *hash,
                              const char *password)
{
  g_return_val_if_fail (hash != NULL && password != NULL, FALSE);

  return sodium_init () >= 0 && crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}
