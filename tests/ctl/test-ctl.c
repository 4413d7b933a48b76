/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pfdo-ctl as a person uses it: the real program, run as a child process,
 * on a real store; exit codes and what it prints.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>

#include "pfdo-test-server.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static int
run_ctl (char **out,
         char **err,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *ctl = g_getenv ("PFDO_CTL");
  int status = 0;
  va_list ap;

  g_assert_nonnull (ctl);
  g_ptr_array_add (args, (char *) ctl);
  va_start (ap, err);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  /* What is not captured must not reach the TAP stream. */
  g_spawn_sync (NULL, (char **) args->pdata, NULL,
                (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) |
                  (err == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0),
                NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
query_text (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec_sql (const char *db_path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("pfdo-ctl-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "store.sqlite", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pfdo_test_remove_dir (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->dir);
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  const char *commands[] = { "init", "seed", "stats", "check", "find", "validate", "audit" };

  g_assert_cmpint (run_ctl (NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (run_ctl (NULL, NULL, "frobnicate", NULL), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_ctl (NULL, &err, commands[i], "--no-such-option", NULL), ==, 2);
      g_assert_nonnull (strstr (err, commands[i]));
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_ctl (NULL, &err, commands[i], NULL), ==, 2);
      g_assert_nonnull (strstr (err, "pfdo-ctl"));
    }

  g_assert_cmpint (run_ctl (NULL, NULL, "seed", "--db", fixture->db, "--scale", "planet", NULL),
                   ==, 2);
  g_assert_cmpint (run_ctl (NULL, NULL, "validate", "inn", "123", NULL), ==, 2);
  /* Nothing was created by a wrong command line. */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

static void
test_validate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_ctl (&out, NULL, "validate", "snils", "11223344595", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "112-233-445 95\n");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_ctl (&out, &err, "validate", "snils", "112-233-445 96", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "pfdo-ctl:"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_ctl (&out, NULL, "validate", "phone", "8 (918) 123-45-67", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "+79181234567\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, "validate", "phone", "123", NULL), ==, 1);

  g_assert_cmpint (run_ctl (&out, NULL, "validate", "name", "королёва", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Королёва\n");
  g_assert_cmpint (run_ctl (NULL, NULL, "validate", "name", "Koroleva", NULL), ==, 1);
}

static void
test_init_and_errors (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *not_a_store = g_build_filename (fixture->dir, "notes.txt", NULL);

  g_assert_cmpint (run_ctl (NULL, NULL, "init", "--db", fixture->db, NULL), ==, 0);
  g_assert_cmpint (run_ctl (NULL, NULL, "init", "--db", fixture->db, NULL), ==, 0);
  g_assert_cmpint (run_ctl (NULL, NULL, "check", "--db", fixture->db, NULL), ==, 0);

  /* A file that is not a store is refused and left alone. */
  g_assert_true (g_file_set_contents (not_a_store, "shopping list", -1, NULL));
  g_assert_cmpint (run_ctl (NULL, &err, "stats", "--db", not_a_store, NULL), ==, 1);
  g_assert_cmpstr (err, !=, "");
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (not_a_store, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "shopping list");
  }
  g_unlink (not_a_store);

  /* A store from a newer program is refused, not touched. */
  exec_sql (fixture->db, "PRAGMA user_version = 999");
  g_assert_cmpint (run_ctl (NULL, NULL, "stats", "--db", fixture->db, NULL), ==, 1);
  {
    g_autofree char *version = query_text (fixture->db, "PRAGMA user_version");

    g_assert_cmpstr (version, ==, "999");
  }
}

static void
test_seeded (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *snils = NULL;
  g_autofree char *number = NULL;

  g_assert_cmpint (run_ctl (NULL, &err, "seed", "--db", fixture->db, "--scale", "demo", "--seed",
                            "7", NULL),
                   ==, 0);
  /* Progress goes to stderr, nothing personal to stdout. */
  g_assert_cmpstr (err, !=, "");
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_ctl (NULL, NULL, "seed", "--db", fixture->db, "--scale", "demo", NULL), ==,
                   1);

  g_assert_cmpint (run_ctl (&out, NULL, "stats", "--db", fixture->db, "--json", NULL), ==, 0);
  {
    g_autofree char *children = query_text (fixture->db, "SELECT count(*) FROM child");
    g_autofree char *expected = g_strdup_printf ("\"children\": %s,", children);

    g_assert_true (g_str_has_prefix (out, "{\"municipalities\": 33,"));
    g_assert_nonnull (strstr (out, expected));
  }
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_ctl (&out, NULL, "check", "--db", fixture->db, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  /* The look-up finds a child by SNILS typed without separators and shows
   * the certificate number, with the SNILS itself masked. */
  snils = query_text (fixture->db,
                      "SELECT c.snils FROM child c JOIN certificate z ON z.child_id = c.id "
                      "WHERE c.snils IS NOT NULL ORDER BY c.id LIMIT 1");
  number = query_text (fixture->db,
                       "SELECT z.number FROM child c JOIN certificate z ON z.child_id = c.id "
                       "WHERE c.snils IS NOT NULL ORDER BY c.id LIMIT 1");
  g_assert_nonnull (snils);
  {
    g_autofree char *masked = g_strdup_printf (" ***-***-%s,", snils + strlen ("112-233-"));
    g_autofree char *phone = query_text (fixture->db, "SELECT p.phone FROM child c JOIN parent p "
                                                      "ON p.id = c.parent_id WHERE c.snils IS NOT "
                                                      "NULL AND EXISTS (SELECT 1 FROM certificate "
                                                      "z WHERE z.child_id = c.id) ORDER BY c.id "
                                                      "LIMIT 1");
    g_autofree char *masked_phone = g_strdup_printf ("+7 *** ***-%.2s-%.2s",
                                                     phone + strlen (phone) - 4,
                                                     phone + strlen (phone) - 2);

    g_assert_cmpint (run_ctl (&out, NULL, "find", "--db", fixture->db, snils, NULL), ==, 0);
    g_assert_nonnull (strstr (out, number));
    g_assert_null (strstr (out, snils));
    /* The ends only, as every list shows them. */
    g_assert_nonnull (strstr (out, masked));
    g_assert_null (strstr (out, phone + 2));
    g_assert_nonnull (strstr (out, masked_phone));
  }
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_ctl (&out, NULL, "find", "--db", fixture->db, "Несуществующая", NULL), ==,
                   1);
  g_clear_pointer (&out, g_free);

  /* A planted violation: a ledger that goes below zero. */
  exec_sql (fixture->db,
            "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at) "
            "SELECT 'planted', id, '2026/27', 'charge', 100000000, '2026-11-24T00:00:00Z' "
            "FROM certificate WHERE status = 'personified' LIMIT 1");
  g_assert_cmpint (run_ctl (&out, &err, "check", "--db", fixture->db, NULL), ==, 1);
  g_assert_cmpstr (out, !=, "");
}

static int
exec_sql_rc (const char *db_path,
             const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

/* `audit verify`: a whole log in one line; a changed or a deleted record
 * named by its seq, made behind the triggers, which refuse both. */
static void
test_audit_verify (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists",
                                                "utf8-bom-semicolon.csv", NULL);
  g_autofree char *office = NULL;
  g_autofree char *count = NULL;
  g_autofree char *head = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_ctl (&out, &err, "audit", "verify", "--db", fixture->db, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no store"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A log of real work: a class list registered at a meeting. */
  g_assert_cmpint (run_ctl (NULL, NULL, "seed", "--db", fixture->db, "--scale", "demo", NULL),
                   ==, 0);
  office = query_text (fixture->db, "SELECT o.id FROM office o JOIN operator p ON "
                                    "p.municipality_id = o.municipality_id WHERE p.login = "
                                    "'sidorova' AND o.kind = 'school' ORDER BY o.id LIMIT 1");
  g_assert_cmpint (run_ctl (NULL, NULL, "import-class", "--db", fixture->db, "--office", office,
                            "--class", "3Б", "--login", "sidorova", csv, NULL), ==, 0);
  count = query_text (fixture->db, "SELECT count(*) FROM audit_log");
  head = query_text (fixture->db, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), >=, 6);

  g_assert_cmpint (run_ctl (&out, NULL, "audit", "verify", "--db", fixture->db, NULL), ==, 0);
  expected = g_strdup_printf ("The audit log is whole: %s records, head %s.\n", count, head);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);

  /* The store refuses to change or delete a record. */
  g_assert_cmpint (exec_sql_rc (fixture->db, "UPDATE audit_log SET detail = 'x' WHERE seq = 3"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_sql_rc (fixture->db, "DELETE FROM audit_log WHERE seq = 2"), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (run_ctl (NULL, NULL, "audit", "verify", "--db", fixture->db, NULL), ==, 0);

  /* Someone with the file and sqlite3 does it all the same. */
  exec_sql (fixture->db, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
  exec_sql (fixture->db, "UPDATE audit_log SET operator_id = NULL WHERE seq = 3");
  g_assert_cmpint (run_ctl (&out, NULL, "audit", "verify", "--db", fixture->db, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (out, "The audit log is broken at record 3 (hash_mismatch): "));
  g_clear_pointer (&out, g_free);

  exec_sql (fixture->db, "DELETE FROM audit_log WHERE seq = 2");
  g_assert_cmpint (run_ctl (&out, NULL, "audit", "verify", "--db", fixture->db, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (out, "The audit log is broken at record 2 (gap): "));
}

/* One full sync against the real server: the summary on stdout, progress
 * on stderr, and a refused password as a failure that names the cause. */
static void
test_sync (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *base = NULL;
  g_autofree char *password = g_build_filename (fixture->dir, "password", NULL);
  g_autofree char *wrong = g_build_filename (fixture->dir, "wrong", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *children = NULL;
  GSubprocess *server = pfdo_test_server_start (fixture->dir, "пароль-для-теста", NULL, &base);

  g_assert_true (g_file_set_contents (password, "пароль-для-теста\n", -1, NULL));
  g_assert_true (g_file_set_contents (wrong, "не-тот-пароль\n", -1, NULL));

  g_assert_cmpint (run_ctl (&out, &err, "sync", "--db", fixture->db, "--server", base, "--login",
                            "ivanova", "--password-file", wrong, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (out, "pushed: 0 applied, 0 duplicate, 0 rejected; pulled: 0 "));
  g_assert_nonnull (strstr (err, "invalid_credentials"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_ctl (&out, &err, "sync", "--db", fixture->db, "--server", base, "--login",
                            "ivanova", "--password-file", password, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "pushed: 0 applied, 0 duplicate, 0 rejected; pulled: "));
  g_assert_nonnull (strstr (err, "receiving"));
  /* The summary's count is what landed in the store. */
  children = query_text (fixture->db, "SELECT count (*) FROM child");
  g_assert_cmpint (g_ascii_strtoll (children, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (strstr (out, "pulled: ") + strlen ("pulled: "), NULL, 10), >,
                   g_ascii_strtoll (children, NULL, 10));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_ctl (&out, NULL, "sync", "--db", fixture->db, "--server", base, "--login",
                            "ivanova", "--password-file", password, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "pushed: 0 applied, 0 duplicate, 0 rejected; pulled: 0 changes\n");

  g_assert_cmpint (run_ctl (NULL, NULL, "sync", "--db", fixture->db, NULL), ==, 2);
  pfdo_test_server_stop (server);
}

/* Plain HTTP to another machine is refused on stderr, before anything is
 * sent, unless --allow-plain-http says otherwise. 0.0.0.0 is not loopback
 * by its address, yet Linux connects it to this machine, where the test
 * server listens. */
static void
test_sync_plain_http (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *base = NULL;
  g_autofree char *any = NULL;
  g_autofree char *password = g_build_filename (fixture->dir, "password", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *children = NULL;
  GSubprocess *server = pfdo_test_server_start (fixture->dir, "пароль-для-теста", NULL, &base);

  g_assert_true (g_file_set_contents (password, "пароль-для-теста\n", -1, NULL));
  g_assert_true (g_str_has_prefix (base, "http://127.0.0.1:"));
  any = g_strconcat ("http://0.0.0.0:", base + strlen ("http://127.0.0.1:"), NULL);

  g_assert_cmpint (run_ctl (&out, &err, "sync", "--db", fixture->db, "--server", any, "--login",
                            "ivanova", "--password-file", password, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "0.0.0.0"));
  g_assert_nonnull (strstr (err, "--allow-plain-http"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* In the clerk's language. */
  g_setenv ("LANGUAGE", "ru", TRUE);
  g_assert_cmpint (run_ctl (&out, &err, "sync", "--db", fixture->db, "--server", any, "--login",
                            "ivanova", "--password-file", password, NULL), ==, 1);
  g_unsetenv ("LANGUAGE");
  g_assert_nonnull (strstr (err, "по HTTP без шифрования"));
  children = query_text (fixture->db, "SELECT count (*) FROM child");
  g_assert_cmpstr (children, ==, "0");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&children, g_free);

  g_assert_cmpint (run_ctl (&out, &err, "sync", "--db", fixture->db, "--server", any, "--login",
                            "ivanova", "--password-file", password, "--allow-plain-http", NULL),
                   ==, 0);
  children = query_text (fixture->db, "SELECT count (*) FROM child");
  g_assert_cmpint (g_ascii_strtoll (children, NULL, 10), >, 0);
  pfdo_test_server_stop (server);
}

/* A class list imported headless, again (nothing twice), and exported. */
static void
test_import_class (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *office = NULL;
  g_autofree char *session = NULL;
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists",
                                                "bad-rows.csv", NULL);
  g_autofree char *sheet = g_build_filename (fixture->dir, "session.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *count = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run_ctl (NULL, NULL, "seed", "--db", fixture->db, "--scale", "demo", NULL), ==, 0);
  office = query_text (fixture->db, "SELECT o.id FROM office o JOIN operator p ON "
                                    "p.municipality_id = o.municipality_id WHERE p.login = "
                                    "'sidorova' AND o.kind = 'school' ORDER BY o.id LIMIT 1");
  g_assert_nonnull (office);

  /* Nobody has worked at a new desk: the operator must be named. */
  g_assert_cmpint (run_ctl (NULL, &err, "import-class", "--db", fixture->db, "--office", office,
                            "--class", "3Б", csv, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--login"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_ctl (&out, NULL, "import-class", "--db", fixture->db, "--office", office,
                            "--class", "3Б", "--login", "sidorova", csv, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "session: "));
  session = g_strdup (lines[0] + strlen ("session: "));
  g_assert_cmpstr (lines[1], ==, "imported: 1 families, 1 children; skipped: 12 rows");
  g_assert_true (g_str_has_prefix (lines[2], "line 2: "));
  g_assert_nonnull (strstr (lines[2], "SNILS"));
  g_assert_true (g_str_has_prefix (lines[13], "line 13: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&lines, g_strfreev);

  /* Again, as the desk's last operator: nothing is imported twice. */
  g_assert_cmpint (run_ctl (&out, NULL, "import-class", "--db", fixture->db, "--office", office,
                            "--class", "3Б", csv, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[1], ==, "imported: 0 families, 0 children; skipped: 13 rows");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_ctl (&out, NULL, "export-session", "--db", fixture->db, session,
                            "--format", "csv", "--out", sheet, NULL), ==, 0);
  g_assert_true (g_file_get_contents (sheet, &contents, NULL, NULL));
  count = query_text (fixture->db, "SELECT x.number FROM meeting_child m JOIN certificate x ON "
                                   "x.child_id = m.child_id");
  g_assert_nonnull (count);
  g_assert_nonnull (strstr (contents, count));
  g_assert_cmpint (run_ctl (NULL, NULL, "export-session", "--db", fixture->db, session,
                            "--format", "pdf", "--out", sheet, NULL), ==, 2);
  g_assert_cmpint (run_ctl (NULL, NULL, "export-session", "--db", fixture->db, "no-such-session",
                            "--format", "xlsx", "--out", sheet, NULL), ==, 1);
}


/* A sync carried on a stick, headless: export on the offline desk, relay
 * on the connected one, the reply back (`bundle reply`, and `bundle
 * import` again, which takes either kind); and the refusals a person
 * meets. */
static void
test_bundle (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *base = NULL;
  g_autofree char *password = g_build_filename (fixture->dir, "password", NULL);
  g_autofree char *passphrase = g_build_filename (fixture->dir, "passphrase", NULL);
  g_autofree char *wrong = g_build_filename (fixture->dir, "wrong-passphrase", NULL);
  g_autofree char *connected = g_build_filename (fixture->dir, "connected.sqlite", NULL);
  g_autofree char *export = g_build_filename (fixture->dir, "export.pfdobundle", NULL);
  g_autofree char *reply = g_build_filename (fixture->dir, "reply.pfdobundle", NULL);
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists",
                                                "bad-rows.csv", NULL);
  g_autofree char *office = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *left = NULL;
  GSubprocess *server = pfdo_test_server_start (fixture->dir, "пароль-для-теста", NULL, &base);
  guint64 changes = 0;

  g_assert_true (g_file_set_contents (password, "пароль-для-теста\n", -1, NULL));
  g_assert_true (g_file_set_contents (passphrase, "ключ от флешки 2026\n", -1, NULL));
  g_assert_true (g_file_set_contents (wrong, "не тот ключ 2026\n", -1, NULL));
  g_assert_cmpint (run_ctl (NULL, NULL, "sync", "--db", fixture->db, "--server", base, "--login",
                            "ivanova", "--password-file", password, NULL), ==, 0);
  g_assert_cmpint (run_ctl (NULL, NULL, "sync", "--db", connected, "--server", base, "--login",
                            "petrov", "--password-file", password, NULL), ==, 0);

  /* Offline: a class list at a parent meeting. */
  office = query_text (fixture->db, "SELECT o.id FROM office o JOIN operator p ON "
                                    "p.municipality_id = o.municipality_id WHERE p.login = "
                                    "'ivanova' AND o.kind = 'school' ORDER BY o.id LIMIT 1");
  g_assert_cmpint (run_ctl (NULL, NULL, "import-class", "--db", fixture->db, "--office", office,
                            "--class", "3Б", "--login", "ivanova", csv, NULL), ==, 0);
  pending = query_text (fixture->db, "SELECT count(*) FROM outbox WHERE state = 'pending'");
  g_assert_cmpint (g_ascii_strtoll (pending, NULL, 10), >, 0);

  g_assert_cmpint (run_ctl (NULL, NULL, "bundle", "export", "--db", fixture->db, NULL), ==, 2);
  g_assert_cmpint (run_ctl (&out, NULL, "bundle", "export", "--db", fixture->db, "--out", export,
                            "--passphrase-file", passphrase, NULL), ==, 0);
  expected = g_strdup_printf ("exported: %s operations; written: %s\n", pending, export);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&expected, g_free);

  g_assert_cmpint (run_ctl (&out, NULL, "bundle", "info", export, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "kind: export\n"));
  g_clear_pointer (&out, g_free);

  /* The export back on its own desk, and on the connected desk without a
   * server to send it to. */
  g_assert_cmpint (run_ctl (NULL, &err, "bundle", "import", "--db", fixture->db,
                            "--passphrase-file", passphrase, export, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "made on this very desk"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, &err, "bundle", "import", "--db", connected,
                            "--passphrase-file", passphrase, export, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--server"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, &err, "bundle", "import", "--db", connected,
                            "--passphrase-file", wrong, "--server", base, "--login", "petrov",
                            "--password-file", password, "--reply", reply, export, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "passphrase"));
  g_assert_false (g_file_test (reply, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_ctl (&out, NULL, "bundle", "import", "--db", connected,
                            "--passphrase-file", passphrase, "--server", base, "--login", "petrov",
                            "--password-file", password, "--reply", reply, export, NULL), ==, 0);
  expected = g_strdup_printf ("relayed: %s applied, 0 duplicate, 0 rejected; reply: ", pending);
  g_assert_true (g_str_has_prefix (out, expected));
  changes = g_ascii_strtoull (out + strlen (expected), NULL, 10);
  g_assert_cmpuint (changes, >, 0);
  g_assert_true (g_str_has_suffix (out, reply) || strstr (out, reply) != NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&expected, g_free);

  /* `bundle reply` takes replies only: the export given by mistake is
   * refused, and nothing is asked of the server. */
  g_assert_cmpint (run_ctl (NULL, &err, "bundle", "reply", "--db", connected,
                            "--passphrase-file", passphrase, export, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not a reply"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_ctl (NULL, NULL, "bundle", "reply", "--db", fixture->db, reply, NULL),
                   ==, 2);

  /* Back on the offline desk: the results and the changes, once. */
  g_assert_cmpint (run_ctl (&out, NULL, "bundle", "reply", "--db", fixture->db,
                            "--passphrase-file", passphrase, reply, NULL), ==, 0);
  expected = g_strdup_printf ("imported: %s applied, 0 duplicate, 0 rejected; pulled: %"
                              G_GUINT64_FORMAT " changes\n", pending, changes);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&expected, g_free);
  left = query_text (fixture->db, "SELECT count(*) FROM outbox WHERE state = 'pending'");
  g_assert_cmpstr (left, ==, "0");

  g_assert_cmpint (run_ctl (&out, NULL, "bundle", "import", "--db", fixture->db,
                            "--passphrase-file", passphrase, reply, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "imported: 0 applied, 0 duplicate, 0 rejected; "));
  g_clear_pointer (&out, g_free);

  /* The reply is not the connected desk's to take. */
  g_assert_cmpint (run_ctl (NULL, &err, "bundle", "import", "--db", connected,
                            "--passphrase-file", passphrase, reply, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "another desk"));
  g_assert_cmpint (run_ctl (NULL, NULL, "check", "--db", fixture->db, NULL), ==, 0);
  pfdo_test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ctl/usage", Fixture, NULL, fixture_set_up, test_usage, fixture_tear_down);
  g_test_add ("/ctl/validate", Fixture, NULL, fixture_set_up, test_validate, fixture_tear_down);
  g_test_add ("/ctl/init-and-errors", Fixture, NULL, fixture_set_up, test_init_and_errors,
              fixture_tear_down);
  g_test_add ("/ctl/seeded", Fixture, NULL, fixture_set_up, test_seeded, fixture_tear_down);
  g_test_add ("/ctl/audit-verify", Fixture, NULL, fixture_set_up, test_audit_verify,
              fixture_tear_down);
  g_test_add ("/ctl/sync", Fixture, NULL, fixture_set_up, test_sync, fixture_tear_down);
  g_test_add ("/ctl/sync-plain-http", Fixture, NULL, fixture_set_up, test_sync_plain_http,
              fixture_tear_down);
  g_test_add ("/ctl/import-class", Fixture, NULL, fixture_set_up, test_import_class,
              fixture_tear_down);
  g_test_add ("/ctl/bundle", Fixture, NULL, fixture_set_up, test_bundle, fixture_tear_down);

  return g_test_run ();
}
