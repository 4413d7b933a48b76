/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pfdo-regiond as the desk meets it: the real program on 127.0.0.1, real
 * HTTP, a real store. Accounts, sign-in, throttling and bad input.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>

#include "pfdo-store.h"

typedef struct
{
  char        *dir;
  char        *db;
  char        *password_file;
  GSubprocess *server;
  char        *base;
  SoupSession *session;
} Fixture;

static int
run_regiond (char **out,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("PFDO_REGIOND"));
  va_start (ap, out);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, NULL,
                (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, out, NULL, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
start_server (Fixture    *fixture,
              const char *token_ttl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  fixture->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                      g_getenv ("PFDO_REGIOND"), "--db", fixture->db, "--listen",
                                      "127.0.0.1:0", "--token-ttl", token_ttl, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->server));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  fixture->base = g_strdup (line + strlen ("listening on "));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;

  fixture->dir = g_dir_make_tmp ("pfdo-regiond-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "server.sqlite", NULL);
  fixture->password_file = g_build_filename (fixture->dir, "password", NULL);
  store = pfdo_store_open (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_store_exec (store,
                                  "INSERT INTO municipality (id, name, mode) VALUES "
                                  "('m1', 'Тестовый округ', 'personified');"
                                  "INSERT INTO office (id, name, kind, municipality_id) VALUES "
                                  "('o1', 'МОЦ', 'moc', 'm1');",
                                  &error));
  g_assert_true (pfdo_store_set_setting (store, "region", "26", &error));
  g_clear_object (&store);

  g_assert_true (g_file_set_contents (fixture->password_file, "секретный пароль 1\n", -1, NULL));
  g_assert_cmpint (run_regiond (NULL, "operator", "add", "ivanova", "--role", "moc_clerk",
                                "--municipality", "m1", "--office", "o1", "--name",
                                "Иванова Мария Петровна", "--password-file",
                                fixture->password_file, "--db", fixture->db, NULL),
                   ==, 0);

  fixture->session = soup_session_new ();
  start_server (fixture, data != NULL ? data : "3600");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_assert_true (g_subprocess_wait (fixture->server, NULL, NULL));
  /* SIGTERM is a clean stop. */
  g_assert_true (g_subprocess_get_if_exited (fixture->server));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->server), ==, 0);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->session);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture->db, suffixes[i], NULL);

      g_unlink (path);
    }
  g_unlink (fixture->password_file);
  g_rmdir (fixture->dir);
  g_free (fixture->password_file);
  g_free (fixture->db);
  g_free (fixture->dir);
  g_free (fixture->base);
}

/* One request; returns the status and the parsed body. */
static guint
request (Fixture     *fixture,
         const char  *method,
         const char  *path,
         const char  *body,
         gsize        body_length,
         JsonObject **out_object)
{
  g_autofree char *uri = g_strconcat (fixture->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *content_type;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length ? body_length : strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  /* Errors are problem+json, the rest JSON. */
  if (soup_message_get_status (msg) >= 400)
    g_assert_cmpstr (content_type, ==, "application/problem+json");
  else
    g_assert_cmpstr (content_type, ==, "application/json");

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                             (gssize) g_bytes_get_size (response), &error));
  g_assert_no_error (error);
  if (out_object != NULL)
    *out_object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return soup_message_get_status (msg);
}

static void
assert_problem (Fixture    *fixture,
                const char *method,
                const char *path,
                const char *body,
                guint       status,
                const char *code)
{
  g_autoptr(JsonObject) problem = NULL;

  g_assert_cmpuint (request (fixture, method, path, body, 0, &problem), ==, status);
  g_assert_cmpstr (json_object_get_string_member (problem, "code"), ==, code);
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, status);
  g_assert_nonnull (json_object_get_string_member (problem, "detail"));
}

static void
test_health (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonObject) health = NULL;

  g_assert_cmpuint (request (fixture, "GET", "/api/v1/health", NULL, 0, &health), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (health, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (health, "api"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (health, "region"), ==, "26");
}

static void
test_session (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(JsonObject) other = NULL;
  JsonObject *op;

  g_assert_cmpuint (request (fixture, "POST", "/api/v1/session",
                             "{\"login\": \"ivanova\", \"password\": \"секретный пароль 1\", "
                             "\"device\": {\"id\": \"d1\", \"name\": \"окно 2\"}, \"extra\": 1}",
                             0, &session),
                    ==, 200);
  g_assert_cmpuint (strlen (json_object_get_string_member (session, "token")), ==, 64);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (session, "expires_at"), "Z"));
  op = json_object_get_object_member (session, "operator");
  g_assert_cmpstr (json_object_get_string_member (op, "login"), ==, "ivanova");
  g_assert_cmpstr (json_object_get_string_member (op, "role"), ==, "moc_clerk");
  g_assert_cmpstr (json_object_get_string_member (op, "municipality_id"), ==, "m1");
  g_assert_cmpstr (json_object_get_string_member (op, "office_id"), ==, "o1");
  g_assert_cmpstr (json_object_get_string_member (op, "full_name"), ==, "Иванова Мария Петровна");

  /* Every sign-in gets its own token. */
  g_assert_cmpuint (request (fixture, "POST", "/api/v1/session",
                             "{\"login\": \"ivanova\", \"password\": \"секретный пароль 1\"}", 0,
                             &other),
                    ==, 200);
  g_assert_cmpstr (json_object_get_string_member (session, "token"), !=,
                   json_object_get_string_member (other, "token"));

  assert_problem (fixture, "POST", "/api/v1/session",
                  "{\"login\": \"ivanova\", \"password\": \"wrong password\"}", 401,
                  "invalid_credentials");
  assert_problem (fixture, "POST", "/api/v1/session",
                  "{\"login\": \"nobody\", \"password\": \"секретный пароль 1\"}", 401,
                  "invalid_credentials");
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  const char *bodies[] = {
    "{\"login\": \"ivanova\", \"password\": ",      /* truncated */
    "not json at all",
    "[1, 2, 3]",                                    /* not an object */
    "{\"login\": 17, \"password\": \"x\"}",         /* a wrong type */
    "{\"login\": \"ivanova\"}",                     /* a missing field */
    "{\"login\": \"ivanova\", \"password\": null}",
    "{\"login\": \"ivanova\", \"password\": \"x\", \"device\": 5}",
    "\xff\xfe{}",                                   /* not UTF-8 */
    "",
  };
  g_autofree char *huge = NULL;
  gsize huge_length = 9 * 1024 * 1024;
  g_autoptr(JsonObject) problem = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_problem (fixture, "POST", "/api/v1/session", bodies[i], 400, "bad_request");

  huge = g_malloc (huge_length);
  memset (huge, ' ', huge_length);
  huge[0] = '{';
  huge[huge_length - 1] = '}';
  g_assert_cmpuint (request (fixture, "POST", "/api/v1/session", huge, huge_length, &problem), ==,
                    413);
  g_assert_cmpstr (json_object_get_string_member (problem, "code"), ==, "payload_too_large");

  assert_problem (fixture, "GET", "/api/v1/no-such-thing", NULL, 404, "not_found");
  assert_problem (fixture, "GET", "/api/v1/session", NULL, 405, "method_not_allowed");
  assert_problem (fixture, "DELETE", "/api/v1/health", NULL, 405, "method_not_allowed");

  /* After all that, the server still answers. */
  g_assert_cmpuint (request (fixture, "GET", "/api/v1/health", NULL, 0, NULL), ==, 200);
}

static void
test_throttling (Fixture       *fixture,
                 gconstpointer  data)
{
  for (guint i = 0; i < 5; i++)
    assert_problem (fixture, "POST", "/api/v1/session",
                    "{\"login\": \"ivanova\", \"password\": \"guess\"}", 401, "invalid_credentials");

  /* Now even the right password waits. */
  assert_problem (fixture, "POST", "/api/v1/session",
                  "{\"login\": \"ivanova\", \"password\": \"секретный пароль 1\"}", 429,
                  "too_many_attempts");
}

static void
test_accounts (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *list = NULL;
  g_autofree char *short_password = g_build_filename (fixture->dir, "short", NULL);

  /* The list shows logins and places, never a hash. */
  g_assert_cmpint (run_regiond (&list, "operator", "list", "--db", fixture->db, NULL), ==, 0);
  g_assert_cmpstr (list, ==, "ivanova\tmoc_clerk\tm1\to1\tactive\n");
  g_clear_pointer (&list, g_free);

  /* Refusals: a wrong command line (2), work that fails (1). */
  g_assert_cmpint (run_regiond (NULL, "operator", "add", "petrov", "--db", fixture->db, NULL), ==,
                   2);
  g_assert_cmpint (run_regiond (NULL, "operator", "add", "petrov", "--role", "king",
                                "--municipality", "m1", "--password-file", fixture->password_file,
                                "--db", fixture->db, NULL),
                   ==, 1);
  g_assert_cmpint (run_regiond (NULL, "operator", "add", "petrov", "--role", "moc_admin",
                                "--municipality", "m9", "--password-file", fixture->password_file,
                                "--db", fixture->db, NULL),
                   ==, 1);
  g_assert_true (g_file_set_contents (short_password, "1234\n", -1, NULL));
  g_assert_cmpint (run_regiond (NULL, "operator", "add", "petrov", "--role", "moc_admin",
                                "--municipality", "m1", "--password-file", short_password, "--db",
                                fixture->db, NULL),
                   ==, 1);
  g_unlink (short_password);
  g_assert_cmpint (run_regiond (NULL, "operator", "disable", "nobody", "--db", fixture->db, NULL),
                   ==, 1);
  g_assert_cmpint (run_regiond (NULL, "--listen", "127.0.0.1", "--db", fixture->db, NULL), ==, 2);

  /* The password is stored as an Argon2id hash only. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PfdoStore) store = pfdo_store_open (fixture->db, &error);
    sqlite3_stmt *stmt = pfdo_store_prepare (store, "SELECT password_hash FROM operator", &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), "$argon2id$"));
    g_assert_null (strstr ((const char *) sqlite3_column_text (stmt, 0), "секрет"));
    sqlite3_reset (stmt);
  }

  /* A disabled account cannot sign in. */
  g_assert_cmpint (run_regiond (NULL, "operator", "disable", "ivanova", "--db", fixture->db, NULL),
                   ==, 0);
  assert_problem (fixture, "POST", "/api/v1/session",
                  "{\"login\": \"ivanova\", \"password\": \"секретный пароль 1\"}", 401,
                  "invalid_credentials");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("/regiond/health", test_health);
  TEST ("/regiond/session", test_session);
  TEST ("/regiond/bad-input", test_bad_input);
  TEST ("/regiond/throttling", test_throttling);
  TEST ("/regiond/accounts", test_accounts);
#undef TEST

  return g_test_run ();
}
