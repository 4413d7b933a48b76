/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-operators"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pfdo-domain-private.h"
#include "pfdo-error.h"
#include "pfdo-operators.h"

/*
 * Signing in at the desk. An operator's account comes from the regional
 * server; once the operator has signed in there, the desk keeps a slow
 * salted hash of the password (Argon2id), so that the same operator can
 * sign in while the desk is offline. The password itself is never kept.
 */

/**
 * pfdo_operator_keep_password:
 *
 * Keeps a hash of @password for @login's offline sign-in, after the
 * regional server accepted it. Slow on purpose (tenths of a second):
 * call it off the main thread.
 */
gboolean
pfdo_operator_keep_password (PfdoStore   *store,
                             const char  *login,
                             const char  *password,
                             GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (login != NULL && password != NULL, FALSE);

  if (sodium_init () < 0 ||
      crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("The password could not be kept for signing in offline: not enough "
                     "memory."));
      return FALSE;
    }
  stmt = pfdo_store_prepare (store, "UPDATE operator SET password_hash = ? WHERE login = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, login, -1, SQLITE_TRANSIENT);
  ok = pfdo_store_step_done (store, stmt, error);
  sodium_memzero (hash, sizeof hash);
  return ok;
}

/**
 * pfdo_operator_sign_in:
 *
 * Signs @login in at the desk without the server: the password is checked
 * against the hash kept at the last online sign-in. On success every
 * following action is taken on the operator's behalf.
 */
gboolean
pfdo_operator_sign_in (PfdoStore   *store,
                       const char  *login,
                       const char  *password,
                       GError     **error)
{
  g_autofree char *hash = NULL;
  gboolean found = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (login != NULL && password != NULL, FALSE);

  stmt = pfdo_store_prepare (store,
                             "SELECT password_hash FROM operator WHERE login = ? AND is_active = 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      hash = pfdo_column_dup (stmt, 0);
    }
  sqlite3_reset (stmt);

  pfdo_store_set_operator (store, NULL, NULL);
  if (!found)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("This desk knows no operator with this login. Sign in once while the "
                     "regional server is reachable."));
      return FALSE;
    }
  if (hash == NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("This operator has not signed in at this desk with the network yet. Sign "
                     "in once while the regional server is reachable."));
      return FALSE;
    }
  if (sodium_init () < 0 || crypto_pwhash_str_verify (hash, password, strlen (password)) != 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("The login or the password is wrong."));
      return FALSE;
    }
  return pfdo_store_set_operator_login (store, login, error);
}

/**
 * pfdo_operator_dup_full_name:
 *
 * Returns: (transfer full) (nullable): the operator's full name
 */
char *
pfdo_operator_dup_full_name (PfdoStore  *store,
                             const char *operator_id)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (operator_id == NULL)
    return NULL;
  return pfdo_query_text (store, "SELECT full_name FROM operator WHERE id = ?", operator_id, NULL);
}
