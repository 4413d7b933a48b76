/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server's session token kept between runs: in the keyring where the
 * session has one, otherwise sealed in the store with a key from the
 * password; and the syncer that syncs after a restart with it, without a
 * new sign-in, against the real pfdo-regiond.
 *
 * Run plainly, the process has no session bus: the store is where tokens
 * go. run-with-keyring.sh runs the same program in a D-Bus session of its
 * own with an unlocked gnome-keyring and PFDO_TEST_KEYRING=1: the keyring
 * tests run there, and skip elsewhere.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>

#include "pfdo-secrets.h"
#include "pfdo-syncer.h"
#include "pfdo-test-server.h"
#include "pfdo-token.h"

#define SERVER   "https://pfdo.example.ru"
#define TOKEN    "tok-5c2e81d04a9b3f76-kept-session"
#define PASSWORD "пароль-токена-1"

static gboolean
with_keyring (void)
{
  return g_getenv ("PFDO_TEST_KEYRING") != NULL;
}

typedef struct
{
  char      *dir;
  char      *path;
  PfdoStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pfdo-token-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "desk.sqlite", NULL);
  fixture->store = pfdo_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  pfdo_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* A restart: a new store object on the same file. */
static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = pfdo_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

/* Whether @needle occurs anywhere in the store's files. */
static gboolean
store_holds (Fixture    *fixture,
             const char *needle)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (fixture->path, suffixes[i], NULL);
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

/* No keyring: the token is sealed in the store, opens after a restart
 * with the password and with nothing else, and is never there in the
 * clear. */
static void
test_store (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  PfdoTokenKeeping where = PFDO_TOKEN_KEEPING_KEYRING;

  if (with_keyring ())
    {
      g_test_skip ("the session has a keyring");
      return;
    }

  /* Memory only: nothing is kept. */
  g_assert_true (pfdo_token_keep (PFDO_TOKEN_KEEPING_MEMORY, fixture->store, SERVER, "ivanova",
                                  TOKEN, PASSWORD, &where, &error));
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_MEMORY);
  g_assert_false (pfdo_secrets_has_token (fixture->store, SERVER, "ivanova"));

  /* Without a password there is nothing to seal it with. */
  g_assert_true (pfdo_token_keep (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "ivanova",
                                  TOKEN, NULL, &where, &error));
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_MEMORY);
  g_assert_false (pfdo_secrets_has_token (fixture->store, SERVER, "ivanova"));

  /* No keyring here: sealed in the store. A trailing slash is the same
   * server. */
  g_assert_true (pfdo_token_keep (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER "/",
                                  "ivanova", TOKEN, PASSWORD, &where, &error));
  g_assert_no_error (error);
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_STORE);

  reopen (fixture);
  g_assert_false (store_holds (fixture, "5c2e81d04a9b3f76"));
  g_assert_null (pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "ivanova",
                                  NULL, &where, &error));
  g_assert_no_error (error);
  token = pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "ivanova",
                           PASSWORD, &where, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN);
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_STORE);
  pfdo_secrets_wipe (&token);

  g_assert_null (pfdo_token_find (PFDO_TOKEN_KEEPING_STORE, fixture->store, SERVER, "ivanova",
                                  "пароль-токена-2", &where, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (pfdo_token_find (PFDO_TOKEN_KEEPING_MEMORY, fixture->store, SERVER, "ivanova",
                                  PASSWORD, &where, &error));
  g_assert_no_error (error);

  pfdo_token_forget (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "ivanova");
  g_assert_null (pfdo_token_find (PFDO_TOKEN_KEEPING_STORE, fixture->store, SERVER, "ivanova",
                                  PASSWORD, &where, &error));
  g_assert_no_error (error);
}

/* A keyring: the token goes there, not into the store (a copy sealed
 * before goes), and is found after a restart without the password. */
static void
test_keyring (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  PfdoTokenKeeping where = PFDO_TOKEN_KEEPING_MEMORY;

  if (!with_keyring ())
    {
      g_test_skip ("no keyring in this session (see run-with-keyring.sh)");
      return;
    }

  g_assert_true (pfdo_token_keep (PFDO_TOKEN_KEEPING_STORE, fixture->store, SERVER, "ivanova",
                                  "tok-sealed-before", PASSWORD, &where, &error));
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_STORE);

  g_assert_true (pfdo_token_keep (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "ivanova",
                                  TOKEN, PASSWORD, &where, &error));
  g_assert_no_error (error);
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_KEYRING);
  g_assert_false (pfdo_secrets_has_token (fixture->store, SERVER, "ivanova"));
  g_assert_true (pfdo_token_keep (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "petrov",
                                  "tok-petrov", NULL, &where, &error));
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_KEYRING);

  reopen (fixture);
  g_assert_false (store_holds (fixture, "5c2e81d04a9b3f76"));
  token = pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER "/", "ivanova",
                           NULL, &where, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN);
  g_assert_cmpint (where, ==, PFDO_TOKEN_KEEPING_KEYRING);
  g_clear_pointer (&token, g_free);
  token = pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "petrov", NULL,
                           &where, &error);
  g_assert_cmpstr (token, ==, "tok-petrov");
  g_clear_pointer (&token, g_free);
  g_assert_null (pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store,
                                  "https://other.example.ru", "ivanova", NULL, &where, &error));
  g_assert_no_error (error);
  /* The keyring is not looked in unless asked. */
  g_assert_null (pfdo_token_find (PFDO_TOKEN_KEEPING_STORE, fixture->store, SERVER, "ivanova",
                                  PASSWORD, &where, &error));
  g_assert_no_error (error);

  pfdo_token_forget (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "ivanova");
  g_assert_null (pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "ivanova",
                                  NULL, &where, &error));
  g_assert_no_error (error);
  token = pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "petrov", NULL,
                           &where, &error);
  g_assert_cmpstr (token, ==, "tok-petrov");
  pfdo_token_forget (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, SERVER, "petrov");
}

/* The syncer across restarts, against the real server. */
typedef struct
{
  guint   finished;
  guint   passwords_asked;
  GError *error;
} Outcome;

static void
finished_cb (PfdoSyncer *syncer,
             GError     *error,
             Outcome    *outcome)
{
  outcome->finished++;
  g_clear_error (&outcome->error);
  if (error != NULL)
    outcome->error = g_error_copy (error);
}

static void
password_needed_cb (PfdoSyncer *syncer,
                    GError     *error,
                    Outcome    *outcome)
{
  outcome->passwords_asked++;
}

static PfdoSyncer *
new_syncer (PfdoStore  *store,
            const char *base,
            Outcome    *outcome)
{
  PfdoSyncer *syncer = pfdo_syncer_new (store);

  pfdo_syncer_set_server (syncer, base, NULL);
  pfdo_syncer_set_token_keeping (syncer, PFDO_TOKEN_KEEPING_KEYRING);
  g_signal_connect (syncer, "finished", G_CALLBACK (finished_cb), outcome);
  g_signal_connect (syncer, "password-needed", G_CALLBACK (password_needed_cb), outcome);
  return syncer;
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_error ("the syncer did not finish in time");
  return G_SOURCE_REMOVE;
}

static void
wait_finished (Outcome *outcome,
               guint    n)
{
  guint guard = g_timeout_add_seconds (60, give_up_cb, NULL);

  while (outcome->finished < n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

/* The server's sessions: each sign-in makes one. */
static gint64
server_sessions (const char *dir,
                 const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "server.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

#define COUNT_SESSIONS "SELECT count (*) FROM server_session"

static void
test_syncer_restart (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *base = NULL;
  GSubprocess *server = pfdo_test_server_start (fixture->dir, PASSWORD, NULL, &base);
  Outcome outcome = { 0 };
  g_autoptr(PfdoSyncer) syncer = new_syncer (fixture->store, base, &outcome);

  /* The operator signs in: one session, kept. */
  g_assert_true (pfdo_syncer_sign_in (syncer, "ivanova", PASSWORD));
  wait_finished (&outcome, 1);
  g_assert_no_error (outcome.error);
  g_assert_true (pfdo_syncer_get_last_sign_in (syncer));
  g_assert_cmpint (server_sessions (fixture->dir, COUNT_SESSIONS), ==, 1);
  g_assert_cmpint (pfdo_secrets_has_token (fixture->store, base, "ivanova"), !=, with_keyring ());

  /* The next sync uses it: no new session. */
  g_assert_true (pfdo_syncer_sync (syncer));
  wait_finished (&outcome, 2);
  g_assert_no_error (outcome.error);
  g_assert_false (pfdo_syncer_get_last_sign_in (syncer));
  g_assert_cmpint (server_sessions (fixture->dir, COUNT_SESSIONS), ==, 1);

  /* A restart. */
  g_clear_object (&syncer);
  reopen (fixture);
  outcome.finished = 0;
  syncer = new_syncer (fixture->store, base, &outcome);
  pfdo_syncer_set_credentials (syncer, "ivanova", NULL);
  if (with_keyring ())
    {
      /* The keyring gives the session back: a sync without a password. */
      g_assert_true (pfdo_syncer_sync (syncer));
      wait_finished (&outcome, 1);
      g_assert_no_error (outcome.error);
      g_assert_cmpuint (outcome.passwords_asked, ==, 0);
    }
  else
    {
      /* Sealed in the store, the session waits for the password: the
       * operator is asked... */
      g_assert_true (pfdo_syncer_sync (syncer));
      wait_finished (&outcome, 1);
      g_assert_error (outcome.error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED);
      g_assert_cmpuint (outcome.passwords_asked, ==, 1);
      /* ... and it opens with the password (a sign-in at the desk without
       * the network, say), still with no new session. */
      pfdo_syncer_set_credentials (syncer, "ivanova", PASSWORD);
      g_assert_true (pfdo_syncer_sync (syncer));
      wait_finished (&outcome, 2);
      g_assert_no_error (outcome.error);
    }
  g_assert_cmpint (server_sessions (fixture->dir, COUNT_SESSIONS), ==, 1);

  /* The server ends the session (it expired): a restart without the
   * password asks for it, and the refused token is forgotten. */
  g_clear_object (&syncer);
  g_assert_cmpint (server_sessions (fixture->dir, "DELETE FROM server_session RETURNING 1"), ==, 1);
  g_assert_cmpint (server_sessions (fixture->dir, COUNT_SESSIONS), ==, 0);
  reopen (fixture);
  outcome.finished = 0;
  outcome.passwords_asked = 0;
  syncer = new_syncer (fixture->store, base, &outcome);
  if (with_keyring ())
    {
      g_autofree char *token = NULL;

      pfdo_syncer_set_credentials (syncer, "ivanova", NULL);
      g_assert_true (pfdo_syncer_sync (syncer));
      wait_finished (&outcome, 1);
      g_assert_error (outcome.error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED);
      g_assert_cmpuint (outcome.passwords_asked, ==, 1);
      token = pfdo_token_find (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, base, "ivanova", NULL,
                               NULL, NULL);
      g_assert_null (token);
    }
  else
    {
      /* With the password, the refused session is replaced by a new one. */
      g_autofree char *both = g_strconcat (base, "\n", "ivanova", NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, both, -1);
      g_autofree char *row = g_strconcat ("token:", hash, NULL);
      g_autofree char *before = pfdo_store_dup_setting (fixture->store, row);
      g_autofree char *after = NULL;

      g_assert_nonnull (before);
      pfdo_syncer_set_credentials (syncer, "ivanova", PASSWORD);
      g_assert_true (pfdo_syncer_sync (syncer));
      wait_finished (&outcome, 1);
      g_assert_no_error (outcome.error);
      g_assert_cmpuint (outcome.passwords_asked, ==, 0);
      g_assert_cmpint (server_sessions (fixture->dir, COUNT_SESSIONS), ==, 1);
      g_assert_true (pfdo_secrets_has_token (fixture->store, base, "ivanova"));
      after = pfdo_store_dup_setting (fixture->store, row);
      g_assert_nonnull (after);
      g_assert_cmpstr (before, !=, after);
    }

  g_clear_error (&outcome.error);
  g_clear_object (&syncer);
  pfdo_token_forget (PFDO_TOKEN_KEEPING_KEYRING, fixture->store, base, "ivanova");
  pfdo_test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *runtime = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* Outside run-with-keyring.sh the test has no session bus of its own,
   * and must not find the developer's. */
  if (!with_keyring ())
    {
      runtime = g_dir_make_tmp ("pfdo-token-run-XXXXXX", NULL);
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
    }

  g_test_add ("/token/store", Fixture, NULL, fixture_set_up, test_store, fixture_tear_down);
  g_test_add ("/token/keyring", Fixture, NULL, fixture_set_up, test_keyring, fixture_tear_down);
  g_test_add ("/token/syncer-restart", Fixture, NULL, fixture_set_up, test_syncer_restart,
              fixture_tear_down);

  status = g_test_run ();
  if (runtime != NULL)
    g_rmdir (runtime);
  return status;
}
