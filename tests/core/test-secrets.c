/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server token sealed in the store for a desk without a keyring: it
 * opens after a restart with the operator's password and with nothing
 * else, the store's file never holds it in the clear, and a box moved to
 * another row or another desk does not open. And the password checked
 * against the kept hash without signing anyone in or out, as unlocking
 * the desk does.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pfdo-error.h"
#include "pfdo-operators.h"
#include "pfdo-secrets.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define SERVER   "https://pfdo.example.ru"
#define TOKEN    "tok-7f3a9c1e5b2d4680-the-session-token"
#define PASSWORD "пароль-оператора-1"

/* Whether @needle occurs anywhere in the bytes of @path (and its WAL). */
static gboolean
file_holds (const char *path,
            const char *needle)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (name, &contents, &length, NULL))
        continue;
      for (gsize at = 0; at + strlen (needle) <= length; at++)
        if (memcmp (contents + at, needle, strlen (needle)) == 0)
          return TRUE;
    }
  return FALSE;
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = pfdo_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
test_sealed_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *rows = NULL;

  /* Nothing kept yet: nothing, and no error. */
  g_assert_false (pfdo_secrets_has_token (fixture->store, SERVER, "clerk"));
  g_assert_null (pfdo_secrets_open_token (fixture->store, SERVER, "clerk", PASSWORD, &error));
  g_assert_no_error (error);

  g_assert_true (pfdo_secrets_seal_token (fixture->store, SERVER, "clerk", TOKEN, PASSWORD,
                                          &error));
  g_assert_no_error (error);
  g_assert_true (pfdo_secrets_has_token (fixture->store, SERVER, "clerk"));

  /* Neither the row nor the file holds the token, the password, the
   * server or the login in the clear. */
  rows = pfdo_test_text (fixture, "SELECT group_concat (key || '=' || value, ';') FROM sync_state "
                                  "WHERE key LIKE 'token%'", NULL);
  g_assert_nonnull (rows);
  g_assert_null (strstr (rows, TOKEN));
  g_assert_null (strstr (rows, "7f3a9c1e5b2d4680"));
  g_assert_null (strstr (rows, PASSWORD));
  g_assert_null (strstr (rows, "clerk"));
  g_assert_null (strstr (rows, "pfdo.example.ru"));

  /* A restart: a new store object on the same file. */
  reopen (fixture);
  g_assert_false (file_holds (fixture->path, "7f3a9c1e5b2d4680"));
  g_assert_false (file_holds (fixture->path, "session-token"));

  token = pfdo_secrets_open_token (fixture->store, SERVER, "clerk", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN);
  pfdo_secrets_wipe (&token);
  g_assert_null (token);

  /* Not with another password, nor for another login or server. */
  g_assert_null (pfdo_secrets_open_token (fixture->store, SERVER, "clerk", "пароль-оператора-2",
                                          &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_null (pfdo_secrets_open_token (fixture->store, SERVER, "admin", PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_null (pfdo_secrets_open_token (fixture->store, "https://other.example.ru", "clerk",
                                          PASSWORD, &error));
  g_assert_no_error (error);

  /* A new token replaces the old one. */
  g_assert_true (pfdo_secrets_seal_token (fixture->store, SERVER, "clerk", "tok-second", PASSWORD,
                                          &error));
  token = pfdo_secrets_open_token (fixture->store, SERVER, "clerk", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-second");
  g_clear_pointer (&token, g_free);

  /* Forgotten, it is gone. */
  g_assert_true (pfdo_secrets_forget_token (fixture->store, SERVER, "clerk", &error));
  g_assert_no_error (error);
  g_assert_false (pfdo_secrets_has_token (fixture->store, SERVER, "clerk"));
  g_assert_null (pfdo_secrets_open_token (fixture->store, SERVER, "clerk", PASSWORD, &error));
  g_assert_no_error (error);
}

/* A box copied to another login's row, or into another desk's store (its
 * own salt), does not open with the same password. */
static void
test_box_moved (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pfdo-secrets-XXXXXX", NULL);
  g_autofree char *other_path = g_build_filename (dir, "other.sqlite", NULL);
  g_autoptr(PfdoStore) other = NULL;
  g_autofree char *box = NULL;
  g_autofree char *salt = NULL;
  g_autofree char *other_salt = NULL;
  g_autofree char *clerk_row = NULL;
  g_autofree char *admin_row = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (pfdo_secrets_seal_token (fixture->store, SERVER, "clerk", TOKEN, PASSWORD,
                                          &error));
  g_assert_true (pfdo_secrets_seal_token (fixture->store, SERVER, "admin", "tok-admin", PASSWORD,
                                          &error));
  g_assert_no_error (error);
  box = pfdo_test_text (fixture, "SELECT value FROM sync_state WHERE key LIKE 'token:%' "
                                 "ORDER BY rowid LIMIT 1", NULL);
  clerk_row = pfdo_test_text (fixture, "SELECT key FROM sync_state WHERE key LIKE 'token:%' "
                                       "ORDER BY rowid LIMIT 1", NULL);
  admin_row = pfdo_test_text (fixture, "SELECT key FROM sync_state WHERE key LIKE 'token:%' "
                                       "ORDER BY rowid DESC LIMIT 1", NULL);
  g_assert_cmpstr (clerk_row, !=, admin_row);

  /* The clerk's box in the admin's row. */
  g_assert_true (pfdo_store_set_setting (fixture->store, admin_row, box, &error));
  g_assert_null (pfdo_secrets_open_token (fixture->store, SERVER, "admin", PASSWORD, &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* The clerk's box in another desk, which has its own salt. */
  other = pfdo_store_open (other_path, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_secrets_seal_token (other, SERVER, "someone", "tok-other", PASSWORD,
                                          &error));
  g_assert_true (pfdo_store_set_setting (other, clerk_row, box, &error));
  salt = pfdo_store_dup_setting (fixture->store, "token_salt");
  other_salt = pfdo_store_dup_setting (other, "token_salt");
  g_assert_cmpstr (salt, !=, other_salt);
  g_assert_null (pfdo_secrets_open_token (other, SERVER, "clerk", PASSWORD, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* A damaged box is said to be damaged. */
  stmt = pfdo_store_prepare (fixture->store, "UPDATE sync_state SET value = 'v1:AAAA' "
                                             "WHERE key = ?", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, clerk_row, -1, SQLITE_TRANSIENT);
  g_assert_true (pfdo_store_step_done (fixture->store, stmt, &error));
  g_assert_null (pfdo_secrets_open_token (fixture->store, SERVER, "clerk", PASSWORD, &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CORRUPT);

  g_clear_object (&other);
  g_remove (other_path);
  g_rmdir (dir);
}

/* Unlocking checks the password against the kept hash and signs nobody in
 * or out. */
static void
test_verify_password (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  pfdo_test_as (fixture, "op-clerk");
  g_assert_null (pfdo_secrets_dup_password_hash (fixture->store, "op-clerk"));
  g_assert_null (pfdo_secrets_dup_password_hash (fixture->store, NULL));
  g_assert_true (pfdo_operator_keep_password (fixture->store, "clerk", PASSWORD, &error));
  g_assert_no_error (error);

  hash = pfdo_secrets_dup_password_hash (fixture->store, "op-clerk");
  g_assert_nonnull (hash);
  g_assert_true (pfdo_secrets_verify_password (hash, PASSWORD));
  g_assert_false (pfdo_secrets_verify_password (hash, "пароль-оператора-2"));
  g_assert_false (pfdo_secrets_verify_password (hash, ""));
  g_assert_cmpstr (pfdo_store_get_operator_id (fixture->store), ==, "op-clerk");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/secrets/sealed-token", Fixture, NULL, pfdo_test_fixture_set_up,
              test_sealed_token, pfdo_test_fixture_tear_down);
  g_test_add ("/secrets/box-moved", Fixture, NULL, pfdo_test_fixture_set_up, test_box_moved,
              pfdo_test_fixture_tear_down);
  g_test_add ("/secrets/verify-password", Fixture, NULL, pfdo_test_fixture_set_up,
              test_verify_password, pfdo_test_fixture_tear_down);

  return g_test_run ();
}
