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
#include <signal.h>
#include <sys/prctl.h>

#include "pfdo-check.h"
#include "pfdo-demo-region.h"
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
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_server (Fixture    *fixture,
              const char *token_ttl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  /* A failed test must not leave its server running. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fixture->server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PFDO_REGIOND"),
                                                 "--db", fixture->db, "--listen", "127.0.0.1:0",
                                                 "--token-ttl", token_ttl, NULL);
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
                                  "('o1', 'МОЦ', 'moc', 'm1');"
                                  "INSERT INTO municipality (id, name, mode) VALUES "
                                  "('m2', 'Соседний округ', 'accounting_only');"
                                  "INSERT INTO provider (id, name, kind, municipality_id) VALUES "
                                  "('pv2', 'Дом творчества', 'municipal', 'm2');"
                                  "INSERT INTO program (id, provider_id, municipality_id, title, "
                                  "direction, age_min, age_max, funding, enrollment_open) VALUES "
                                  "('pr2', 'pv2', 'm2', 'Шахматы', 'sports', 6, 12, 'budget', 1);"
                                  "INSERT INTO review (id, program_id, rating, created_at) VALUES "
                                  "('r2', 'pr2', 5, 'now');"
                                  "INSERT INTO parent (id, last_name, first_name, municipality_id, "
                                  "created_at) VALUES ('p1', 'Иванова', 'Ольга', 'm1', 'now'), "
                                  "('p2', 'Петрова', 'Анна', 'm2', 'now');"
                                  "INSERT INTO child (id, parent_id, last_name, first_name, "
                                  "birth_date, sex, municipality_id, document_type, "
                                  "document_series, document_number, created_at) VALUES "
                                  "('c1', 'p1', 'Иванова', 'Анна', '2015-03-07', 'f', 'm1', "
                                  "'birth_certificate', 'II-ДН', '123456', 'now'), "
                                  "('c2', 'p2', 'Петрова', 'Вера', '2014-01-01', 'f', 'm2', NULL, "
                                  "NULL, NULL, 'now');",
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

  /* Nested deep enough to overflow a recursive parser's stack: refused,
   * and the server still answers. */
  {
    g_autofree char *deep = g_malloc (1000001);

    memset (deep, '[', 1000000);
    deep[1000000] = '\0';
    assert_problem (fixture, "POST", "/api/v1/session", deep, 400, "bad_request");
    assert_problem (fixture, "POST", "/api/v1/session", "{}", 400, "bad_request");
  }

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


static char *
sign_in (Fixture *fixture)
{
  g_autoptr(JsonObject) session = NULL;

  g_assert_cmpuint (request (fixture, "POST", "/api/v1/session",
                             "{\"login\": \"ivanova\", \"password\": \"секретный пароль 1\", "
                             "\"device\": {\"id\": \"d1\"}}",
                             0, &session),
                    ==, 200);
  return g_strdup (json_object_get_string_member (session, "token"));
}

/* A request with a bearer token; a body makes it a POST. */
static guint
call_with_token (Fixture     *fixture,
                 const char  *path,
                 const char  *token,
                 const char  *body,
                 JsonObject **out_object)
{
  g_autofree char *uri = g_strconcat (fixture->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (body != NULL ? "POST" : "GET", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  response = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                             (gssize) g_bytes_get_size (response), &error));
  if (out_object != NULL)
    *out_object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return soup_message_get_status (msg);
}

static guint
get_with_token (Fixture     *fixture,
                const char  *path,
                const char  *token,
                JsonObject **out_object)
{
  return call_with_token (fixture, path, token, NULL, out_object);
}

/* Pulls every page after @cursor; "entity:id:op:version" per change. */
static GPtrArray *
pull (Fixture     *fixture,
      const char  *token,
      char       **cursor,
      guint        limit)
{
  GPtrArray *seen = g_ptr_array_new_with_free_func (g_free);
  gint64 last_seq = -1;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(JsonObject) page = NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s&limit=%u", *cursor,
                                               limit);
      JsonArray *changes;

      g_assert_cmpuint (get_with_token (fixture, path, token, &page), ==, 200);
      changes = json_object_get_array_member (page, "changes");
      g_assert_cmpuint (json_array_get_length (changes), <=, limit);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          gint64 seq = json_object_get_int_member (change, "seq");

          /* Strictly growing, never repeated within a pull. */
          g_assert_cmpint (seq, >, last_seq);
          last_seq = seq;
          g_ptr_array_add (seen, g_strdup_printf ("%s:%s:%s:%" G_GINT64_FORMAT,
                                                  json_object_get_string_member (change, "entity"),
                                                  json_object_get_string_member (change, "id"),
                                                  json_object_get_string_member (change, "op"),
                                                  json_object_get_int_member (change, "version")));
        }
      g_free (*cursor);
      *cursor = g_strdup (json_object_get_string_member (page, "cursor"));
      more = json_object_get_boolean_member (page, "more");
    }
  return seen;
}

static gboolean
has (GPtrArray  *seen,
     const char *item)
{
  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (g_ptr_array_index (seen, i), item))
      return TRUE;
  return FALSE;
}

static void
write_directly (Fixture    *fixture,
                const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (fixture->db, &error);

  g_assert_no_error (error);
  g_assert_true (pfdo_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *token = sign_in (fixture);
  g_autofree char *cursor = g_strdup ("0");
  g_autoptr(GPtrArray) seen = pull (fixture, token, &cursor, 3);
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(JsonObject) page = NULL;

  /* The catalog of the whole region, the personal data of m1 only. */
  g_assert_true (has (seen, "municipality:m1:upsert:0"));
  g_assert_true (has (seen, "municipality:m2:upsert:0"));
  g_assert_true (has (seen, "program:pr2:upsert:0"));
  g_assert_true (has (seen, "review:r2:upsert:0"));
  g_assert_true (has (seen, "parent:p1:upsert:0"));
  g_assert_true (has (seen, "child:c1:upsert:0"));
  g_assert_false (has (seen, "parent:p2:upsert:0"));
  g_assert_false (has (seen, "child:c2:upsert:0"));
  g_assert_cmpuint (seen->len, ==, 8);

  /* A change made afterwards, by anyone, comes next with a newer version;
   * a delete comes as a delete. */
  write_directly (fixture, "UPDATE child SET first_name = 'Мария' WHERE id = 'c1';"
                           "UPDATE child SET first_name = 'Вероника' WHERE id = 'c2';"
                           "DELETE FROM review WHERE id = 'r2';");
  later = pull (fixture, token, &cursor, 500);
  g_assert_cmpuint (later->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (later, 0), ==, "child:c1:upsert:1");
  g_assert_cmpstr (g_ptr_array_index (later, 1), ==, "review:r2:delete:1");

  /* The data has the contract's shape. */
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?limit=1000", token, &page), ==, 200);
  {
    JsonArray *changes = json_object_get_array_member (page, "changes");

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *change = json_array_get_object_element (changes, i);
        JsonObject *child;

        if (!g_str_equal (json_object_get_string_member (change, "entity"), "child") ||
            json_object_get_int_member (change, "version") != 1)
          continue;
        child = json_object_get_object_member (change, "data");
        g_assert_cmpstr (json_object_get_string_member (child, "first_name"), ==, "Мария");
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                           child, "document"), "series"), ==, "II-ДН");
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                           child, "verification"), "status"), ==, "unverified");
      }
  }

  /* Refusals. */
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes", NULL, NULL), ==, 401);
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes", "forged", NULL), ==, 401);
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?limit=0", token, NULL), ==, 400);
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?limit=1001", token, NULL), ==, 400);
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?since=abc", token, NULL), ==, 400);
  write_directly (fixture, "INSERT INTO sync_state (key, value) VALUES ('changes_floor', '5'), "
                           "('changes_epoch', '1')");
  {
    g_autoptr(JsonObject) problem = NULL;

    g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?since=1", token, &problem), ==,
                      410);
    g_assert_cmpstr (json_object_get_string_member (problem, "code"), ==, "cursor_expired");
  }
}

/* Pruning: superseded changes go without a trace, old deletes go and take
 * the cursors from before them along; from the start is always served. */
static void
test_prune (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *token = sign_in (fixture);
  g_autofree char *cursor = g_strdup ("0");
  g_autofree char *old_cursor = NULL;
  g_autofree char *out = NULL;
  g_autofree char *from_start = g_strdup ("0");
  g_autoptr(GPtrArray) first = pull (fixture, token, &cursor, 500);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(JsonObject) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  gint64 rows;

  g_assert_true (has (first, "review:r2:upsert:0"));
  old_cursor = g_strdup (cursor);
  write_directly (fixture, "UPDATE child SET first_name = 'Мария' WHERE id = 'c1';"
                           "UPDATE child SET first_name = 'Марина' WHERE id = 'c1';"
                           "DELETE FROM review WHERE id = 'r2';");
  /* The delete happened long ago; the updates just now. */
  write_directly (fixture, "UPDATE change_log SET at = '2000-01-01T00:00:00Z' WHERE op = 'delete'");

  g_assert_cmpint (run_regiond (&out, "changes", "prune", "--keep-days", "30", "--db",
                                fixture->db, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "changes prune: 3 superseded, 1 deletes older than 30 "
                                        "days removed; cursors before "));
  /* One change per row is left: the latest. */
  store = pfdo_store_open (fixture->db, &error);
  g_assert_no_error (error);
  rows = pfdo_store_query_int (store, "SELECT count (*) - count (DISTINCT entity || ':' || id) "
                               "FROM change_log", NULL, &error);
  g_assert_cmpint (rows, ==, 0);
  g_clear_object (&store);

  /* A desk that pulled before the delete must start over... */
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?since=1", token, &problem), ==, 410);
  g_assert_cmpstr (json_object_get_string_member (problem, "code"), ==, "cursor_expired");
  g_clear_pointer (&problem, json_object_unref);
  {
    g_autofree char *path = g_strconcat ("/api/v1/changes?since=", old_cursor, NULL);

    g_assert_cmpuint (get_with_token (fixture, path, token, NULL), ==, 410);
  }
  /* ...and starting over is served: every row once, as it is now. */
  fresh = pull (fixture, token, &from_start, 500);
  g_assert_true (has (fresh, "child:c1:upsert:2"));
  g_assert_false (has (fresh, "child:c1:upsert:0"));
  g_assert_false (has (fresh, "review:r2:upsert:0"));
  g_assert_cmpuint (fresh->len, ==, first->len - 1);

  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?since=1.x", token, NULL), ==, 400);
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes?since=1.1.1", token, NULL), ==, 400);

  /* Pruning again finds nothing more, and a cursor from now goes on. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_regiond (&out, "changes", "prune", "--keep-days", "30", "--db",
                                fixture->db, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "changes prune: 0 superseded, 0 deletes"));
  again = pull (fixture, token, &from_start, 500);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpint (run_regiond (NULL, "changes", "prune", "--db", fixture->db, NULL), ==, 2);
}

static void
test_number_blocks (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *token = sign_in (fixture);
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autofree char *cursor = g_strdup ("0");
  g_autoptr(GPtrArray) seen = NULL;
  const char *bad[] = { "{\"device_id\": \"d1\", \"size\": 0}",
                        "{\"device_id\": \"d1\", \"size\": 1001}" };

  write_directly (fixture, "INSERT INTO certificate (id, number, child_id, municipality_id, "
                           "issued_at) VALUES ('z1', '2600000500', 'c1', 'm1', 'now')");

  g_assert_cmpuint (call_with_token (fixture, "/api/v1/number-blocks", token,
                                     "{\"device_id\": \"d1\", \"size\": 200}", &a),
                    ==, 201);
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/number-blocks", token,
                                     "{\"device_id\": \"d1\", \"size\": 1}", &b),
                    ==, 201);
  /* After every number issued, and after each other, without a gap. */
  g_assert_cmpstr (json_object_get_string_member (a, "first"), ==, "2600000501");
  g_assert_cmpstr (json_object_get_string_member (a, "last"), ==, "2600000700");
  g_assert_cmpstr (json_object_get_string_member (b, "first"), ==, "2600000701");
  g_assert_cmpstr (json_object_get_string_member (b, "last"), ==, "2600000701");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) problem = NULL;

      g_assert_cmpuint (call_with_token (fixture, "/api/v1/number-blocks", token, bad[i],
                                         &problem),
                        ==, 422);
      g_assert_cmpstr (json_object_get_string_member (problem, "field"), ==, "size");
    }
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/number-blocks", token,
                                     "{\"device_id\": \"d1\", \"size\": \"200\"}", NULL),
                    ==, 400);
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/number-blocks", NULL,
                                     "{\"device_id\": \"d1\", \"size\": 2}", NULL),
                    ==, 401);

  /* The desk that signed in as d1 sees its blocks in the feed. */
  seen = pull (fixture, token, &cursor, 500);
  {
    g_autofree char *block = g_strdup_printf ("number_block:%s:upsert:0",
                                              json_object_get_string_member (a, "id"));

    g_assert_true (has (seen, block));
  }
}

#define FAMILY(op, parent, child, snils) \
  "{\"op_id\": \"" op "\", \"type\": \"family.register\", \"at\": \"2026-11-24T10:00:00Z\", " \
  "\"payload\": {\"parent\": {\"id\": \"" parent "\", \"last_name\": \"Королёва\", " \
  "\"first_name\": \"Ольга\", \"phone\": \"+79181234567\"}, \"children\": [{\"id\": \"" \
  child "\", \"last_name\": \"Королёва\", \"first_name\": \"Анна\", \"birth_date\": " \
  "\"2015-03-07\", \"sex\": \"f\", \"snils\": \"" snils "\", \"document\": {\"type\": " \
  "\"birth_certificate\", \"series\": \"II-ДН\", \"number\": \"654321\"}}]}}"

#define VERIFY(op, child, decision) \
  "{\"op_id\": \"" op "\", \"type\": \"child.verify\", \"payload\": {\"child_id\": \"" child \
  "\", \"decision\": \"" decision "\", \"reason\": \"Опечатка\", \"documents\": " \
  "[\"birth_certificate\", \"snils\", \"parent_passport\"]}}"

static const char batch[] =
  "{\"operations\": ["
  FAMILY ("op-1", "P1", "C1", "112-233-445 95") ", "
  FAMILY ("op-1", "P1", "C1", "112-233-445 95") ", "
  FAMILY ("op-2", "P2", "C2", "112-233-445 96") ", "
  FAMILY ("op-3", "P3", "C3", "112-233-445 95") ", "
  VERIFY ("op-4", "C1", "verified") ", "
  VERIFY ("op-5", "C1", "rejected") ", "
  VERIFY ("op-6", "C1", "verified") ", "
  "{\"op_id\": \"op-7\", \"type\": \"child.teleport\", \"payload\": {}}, "
  "{\"op_id\": \"op-8\", \"type\": \"child.verify\"}, "
  "{\"op_id\": \"op-9\", \"type\": \"certificate.activate\", \"payload\": "
  "{\"certificate_id\": \"nowhere\"}}"
  "]}";

static void
check_results (JsonObject  *response,
               const char **expected)
{
  JsonArray *results = json_object_get_array_member (response, "results");

  g_assert_cmpuint (json_array_get_length (results), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      g_autofree char *got = g_strdup_printf (
        "%s %s%s%s", json_object_get_string_member (r, "op_id"),
        json_object_get_string_member (r, "status"), json_object_has_member (r, "code") ? " " : "",
        json_object_has_member (r, "code") ? json_object_get_string_member (r, "code") : "");

      g_assert_cmpstr (got, ==, expected[i]);
    }
}

static void
test_operations (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *token = sign_in (fixture);
  g_autofree char *other = NULL;
  g_autofree char *cursor = g_strdup ("0");
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  const char *expected_first[] = {
    "op-1 applied", "op-1 duplicate", "op-2 rejected snils_invalid",
    "op-3 rejected duplicate_child", "op-4 applied", "op-5 rejected already_decided",
    "op-6 applied", "op-7 rejected invalid_field", "op-8 rejected bad_request",
    "op-9 rejected not_found", NULL,
  };
  const char *expected_again[] = {
    "op-1 duplicate", "op-1 duplicate", "op-2 rejected snils_invalid",
    "op-3 rejected duplicate_child", "op-4 duplicate", "op-5 rejected already_decided",
    "op-6 duplicate", "op-7 rejected invalid_field", "op-8 rejected bad_request",
    "op-9 rejected not_found", NULL,
  };

  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token, batch, &first), ==,
                    200);
  check_results (first, expected_first);
  {
    JsonObject *r = json_array_get_object_element (json_object_get_array_member (first,
                                                                                 "results"), 2);

    g_assert_cmpstr (json_object_get_string_member (r, "field"), ==, "children[0].snils");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                       json_object_get_array_member (first, "results"), 0), "seq"), >, 0);
  }

  /* The family and the decision reach the feed, once. */
  before = pull (fixture, token, &cursor, 500);
  /* A change carries the row as it is now: the registration's change
   * already shows the decision that followed. */
  g_assert_true (has (before, "parent:P1:upsert:0"));
  g_assert_true (has (before, "child:C1:upsert:1"));
  g_assert_false (has (before, "child:C2:upsert:0"));
  g_assert_false (has (before, "parent:P3:upsert:0"));

  /* The same batch again, from any desk: nothing applied twice. */
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token, batch, &again), ==,
                    200);
  check_results (again, expected_again);
  after = pull (fixture, token, &cursor, 500);
  g_assert_cmpuint (after->len, ==, 0);

  /* A clerk of another municipality changes nothing of this one. */
  g_assert_cmpint (run_regiond (NULL, "operator", "add", "other", "--role", "moc_admin",
                                "--municipality", "m2", "--password-file", fixture->password_file,
                                "--db", fixture->db, NULL),
                   ==, 0);
  {
    g_autoptr(JsonObject) session = NULL;
    g_autoptr(JsonObject) response = NULL;
    const char *expected[] = { "op-10 rejected forbidden", NULL };

    g_assert_cmpuint (request (fixture, "POST", "/api/v1/session",
                               "{\"login\": \"other\", \"password\": \"секретный пароль 1\"}",
                               0, &session),
                      ==, 200);
    other = g_strdup (json_object_get_string_member (session, "token"));
    g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", other,
                                       "{\"operations\": [" VERIFY ("op-10", "C1", "rejected")
                                       "]}", &response),
                      ==, 200);
    check_results (response, expected);
  }

  /* Certificates with the desk's own numbers, from its own block. */
  {
    g_autoptr(JsonObject) block = NULL;
    g_autoptr(JsonObject) response = NULL;
    g_autofree char *body = NULL;
    const char *expected[] = { "op-11 applied", "op-12 rejected certificate_exists",
                               "op-13 rejected number_not_leased", "op-14 rejected invalid_field",
                               NULL };
    const char *first;

    g_assert_cmpuint (call_with_token (fixture, "/api/v1/number-blocks", token,
                                       "{\"device_id\": \"d1\", \"size\": 10}", &block),
                      ==, 201);
    first = json_object_get_string_member (block, "first");
    body = g_strdup_printf (
      "{\"operations\": ["
      "{\"op_id\": \"op-11\", \"type\": \"certificate.issue\", \"payload\": "
      "{\"certificate_id\": \"Z1\", \"child_id\": \"C1\", \"number\": \"%s\"}}, "
      "{\"op_id\": \"op-12\", \"type\": \"certificate.issue\", \"payload\": "
      "{\"certificate_id\": \"Z2\", \"child_id\": \"C1\", \"number\": \"%s\"}}, "
      "{\"op_id\": \"op-13\", \"type\": \"certificate.issue\", \"payload\": "
      "{\"certificate_id\": \"Z3\", \"child_id\": \"c1\", \"number\": \"2699999999\"}}, "
      /* An id that is taken already: bad input, not a failure to retry. */
      "{\"op_id\": \"op-14\", \"type\": \"family.register\", \"payload\": {\"parent\": "
      "{\"id\": \"P9\", \"last_name\": \"Смирнова\", \"first_name\": \"Ольга\", "
      "\"phone\": \"+79180000000\"}, \"children\": [{\"id\": \"C1\", \"last_name\": "
      "\"Смирнова\", \"first_name\": \"Ирина\", \"birth_date\": \"2013-05-05\", \"sex\": "
      "\"f\", \"snils\": \"141-008-408 00\"}]}}]}",
      first, first);
    g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token, body, &response),
                      ==, 200);
    check_results (response, expected);
  }

  /* The batch itself must have the contract's shape. */
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token,
                                     "{\"operations\": []}", NULL), ==, 422);
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token,
                                     "{\"operations\": {}}", NULL), ==, 400);
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", NULL, batch, NULL), ==, 401);
}

static char *
operator_id (Fixture    *fixture,
             const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (fixture->db, &error);
  char *id = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (store, "SELECT id FROM operator WHERE login = ?",
                                           &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_assert_nonnull (id);
  return id;
}

static char *
token_of (Fixture    *fixture,
          const char *login)
{
  g_autoptr(JsonObject) session = NULL;
  g_autofree char *body = g_strdup_printf ("{\"login\": \"%s\", \"password\": "
                                           "\"секретный пароль 1\"}", login);

  g_assert_cmpuint (request (fixture, "POST", "/api/v1/session", body, 0, &session), ==, 200);
  return g_strdup (json_object_get_string_member (session, "token"));
}

/* One operation carried on a bundle, with its origin. */
static char *
relayed (const char *op_id,
         const char *type,
         const char *payload,
         const char *origin_operator,
         const char *origin_device)
{
  return g_strdup_printf ("{\"operations\": [{\"op_id\": \"%s\", \"type\": \"%s\", "
                          "\"payload\": %s, \"origin\": {\"operator_id\": \"%s\"%s%s%s}}]}",
                          op_id, type, payload, origin_operator,
                          origin_device != NULL ? ", \"device_id\": \"" : "",
                          origin_device != NULL ? origin_device : "",
                          origin_device != NULL ? "\"" : "");
}

static void
expect_one (Fixture    *fixture,
            const char *token,
            const char *body,
            const char *expected)
{
  g_autoptr(JsonObject) response = NULL;
  const char *results[] = { expected, NULL };

  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token, body, &response), ==,
                    200);
  check_results (response, results);
}

/* Operations of an offline desk relayed by a connected one: applied as
 * their origin's, once, whoever sends them; only a МОЦ clerk or admin of
 * the same municipality relays, and the origin's own role still counts. */
static void
test_relayed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *clerk = sign_in (fixture);
  g_autofree char *clerk_id = operator_id (fixture, "ivanova");
  g_autofree char *school = NULL;
  g_autofree char *school_id = NULL;
  g_autofree char *stranger_id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *direct = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  const char *family =
    "{\"parent\": {\"id\": \"RP1\", \"last_name\": \"Королёва\", \"first_name\": "
    "\"Ольга\", \"phone\": \"+79181234567\"}, \"children\": [{\"id\": \"RC1\", "
    "\"last_name\": \"Королёва\", \"first_name\": \"Анна\", \"birth_date\": \"2015-03-07\", "
    "\"sex\": \"f\", \"snils\": \"112-233-445 95\", \"document\": {\"type\": "
    "\"birth_certificate\", \"series\": \"II-ДН\", \"number\": \"654321\"}}]}";
  const char *verify = "{\"child_id\": \"RC1\", \"decision\": \"verified\", "
                       "\"documents\": [\"birth_certificate\", \"snils\", \"parent_passport\"]}";
  sqlite3_stmt *stmt;

  g_assert_cmpint (run_regiond (NULL, "operator", "add", "school", "--role", "school_staff",
                                "--municipality", "m1", "--office", "o1", "--password-file",
                                fixture->password_file, "--db", fixture->db, NULL), ==, 0);
  g_assert_cmpint (run_regiond (NULL, "operator", "add", "stranger", "--role", "school_staff",
                                "--municipality", "m2", "--password-file",
                                fixture->password_file, "--db", fixture->db, NULL), ==, 0);
  school = token_of (fixture, "school");
  school_id = operator_id (fixture, "school");
  stranger_id = operator_id (fixture, "stranger");

  /* The clerk relays the school's registration: applied, as the school's. */
  body = relayed ("op-r1", "family.register", family, school_id, "dev-school");
  expect_one (fixture, clerk, body, "op-r1 applied");
  expect_one (fixture, clerk, body, "op-r1 duplicate");
  /* The school's desk later pushes it itself: still once. */
  direct = g_strdup_printf ("{\"operations\": [{\"op_id\": \"op-r1\", \"type\": "
                            "\"family.register\", \"payload\": %s}]}", family);
  expect_one (fixture, school, direct, "op-r1 duplicate");

  store = pfdo_store_open (fixture->db, &error);
  g_assert_no_error (error);
  stmt = pfdo_store_prepare (store, "SELECT operator_id, device_id, relayed_by FROM op_log "
                                    "WHERE op_id = 'op-r1'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, school_id);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "dev-school");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, clerk_id);
  sqlite3_reset (stmt);
  g_assert_cmpint (pfdo_store_query_int (store, "SELECT count(*) FROM child WHERE id = ?", "RC1",
                                         &error), ==, 1);
  g_clear_object (&store);

  /* The origin's role counts: school staff do not verify children. */
  g_clear_pointer (&body, g_free);
  body = relayed ("op-r2", "child.verify", verify, school_id, "dev-school");
  expect_one (fixture, clerk, body, "op-r2 rejected forbidden");
  /* School staff do not relay. */
  g_clear_pointer (&body, g_free);
  body = relayed ("op-r3", "child.verify", verify, clerk_id, "dev-clerk");
  expect_one (fixture, school, body, "op-r3 rejected forbidden");
  /* An origin of another municipality, or of nobody. */
  g_clear_pointer (&body, g_free);
  body = relayed ("op-r4", "family.register", family, stranger_id, "dev-m2");
  expect_one (fixture, clerk, body, "op-r4 rejected forbidden");
  g_clear_pointer (&body, g_free);
  body = relayed ("op-r5", "family.register", family, "nobody", "dev-x");
  expect_one (fixture, clerk, body, "op-r5 rejected forbidden");
  /* An origin without its device. */
  g_clear_pointer (&body, g_free);
  body = relayed ("op-r6", "family.register", family, school_id, NULL);
  expect_one (fixture, clerk, body, "op-r6 rejected bad_request");
}

static void
test_enrollment_ops (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *token = sign_in (fixture);
  g_autoptr(JsonObject) block = NULL;
  g_autoptr(JsonObject) response = NULL;
  g_autofree char *body = NULL;
  /* A certified program of m1 at 800 ₽ a month, a quota, and c1 verified. */
  write_directly (fixture,
                  "UPDATE municipality SET pf_quota = 10, nominal_kopecks = 1000000 WHERE id = 'm1';"
                  "INSERT INTO provider (id, name, kind, municipality_id) VALUES "
                  "('pv1', 'Кванториум', 'private', 'm1');"
                  "INSERT INTO program (id, provider_id, municipality_id, title, direction, "
                  "age_min, age_max, funding, hours_total, months, hour_price_kopecks) VALUES "
                  "('pr1', 'pv1', 'm1', 'Робототехника', 'technical', 5, 17, 'certified', 72, 9, "
                  "10000), ('pr-teen', 'pv1', 'm1', 'Журналистика', 'social', 14, 17, "
                  "'certified', 72, 9, 10000);"
                  "INSERT INTO \"group\" (id, program_id, name, capacity, starts_on) VALUES "
                  "('g1', 'pr1', 'Группа 1', 10, '2026-09-01'), ('g-teen', 'pr-teen', 'Группа 1', "
                  "10, '2026-09-01');");
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/number-blocks", token,
                                     "{\"device_id\": \"d1\", \"size\": 1}", &block),
                    ==, 201);
  /* The server grants the nominal itself at the start of a period; here
   * the grant is written as that job would. */
  body = g_strdup_printf (
    "{\"operations\": ["
    VERIFY ("e-1", "c1", "verified") ", "
    "{\"op_id\": \"e-2\", \"type\": \"certificate.issue\", \"payload\": "
    "{\"certificate_id\": \"Z1\", \"child_id\": \"c1\", \"number\": \"%s\"}}, "
    "{\"op_id\": \"e-3\", \"type\": \"certificate.activate\", \"payload\": "
    "{\"certificate_id\": \"Z1\"}}, "
    "{\"op_id\": \"e-4\", \"type\": \"certificate.convert\", \"payload\": "
    "{\"certificate_id\": \"Z1\", \"to\": \"personified\"}}"
    "]}",
    json_object_get_string_member (block, "first"));
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token, body, &response), ==,
                    200);
  write_directly (fixture, "INSERT INTO ledger_entry (id, certificate_id, period, kind, "
                           "amount_kopecks, created_at) VALUES ('grant-z1', 'Z1', '2026/27', "
                           "'grant', 1000000, 'now')");
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&response, json_object_unref);

  body = g_strdup (
    "{\"operations\": ["
    VERIFY ("e-1", "c1", "verified") ", "
    "{\"op_id\": \"e-2\", \"type\": \"x\", \"payload\": {}}, "
    "{\"op_id\": \"e-3\", \"type\": \"x\", \"payload\": {}}, "
    "{\"op_id\": \"e-4\", \"type\": \"x\", \"payload\": {}}, "
    "{\"op_id\": \"e-5\", \"type\": \"enrollment.create\", \"payload\": {"
    "\"enrollment_id\": \"E1\", \"certificate_id\": \"Z1\", \"program_id\": \"pr1\", "
    "\"group_id\": \"g1\", \"months\": 9, \"monthly_kopecks\": 1}}, "
    "{\"op_id\": \"e-6\", \"type\": \"enrollment.create\", \"payload\": {"
    "\"enrollment_id\": \"E2\", \"certificate_id\": \"Z1\", \"program_id\": \"pr1\", "
    "\"group_id\": \"g1\", \"months\": 9, \"monthly_kopecks\": 80000}}, "
    "{\"op_id\": \"e-7\", \"type\": \"enrollment.create\", \"payload\": {"
    "\"enrollment_id\": \"E3\", \"certificate_id\": \"Z1\", \"program_id\": \"pr-teen\", "
    "\"group_id\": \"g-teen\", \"months\": 1, \"monthly_kopecks\": 80000}}, "
    "{\"op_id\": \"e-8\", \"type\": \"enrollment.cancel\", \"payload\": "
    "{\"enrollment_id\": \"E1\"}}, "
    "{\"op_id\": \"e-9\", \"type\": \"child.correct\", \"payload\": {\"child_id\": "
    "\"c1\", \"fields\": {\"last_name\": \"Иванова\", \"first_name\": \"Анна\", "
    "\"birth_date\": \"2015-03-07\", \"sex\": \"f\"}}}"
    "]}");
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/operations", token, body, &response), ==,
                    200);
  /* e-1 … e-4 were applied in the first batch: replays now. */
  {
    JsonArray *results = json_object_get_array_member (response, "results");
    g_autoptr(GString) got = g_string_new (NULL);

    for (guint i = 0; i < json_array_get_length (results); i++)
      {
        JsonObject *r = json_array_get_object_element (results, i);

        g_string_append_printf (got, "%s %s%s%s|", json_object_get_string_member (r, "op_id"),
                                json_object_get_string_member (r, "status"),
                                json_object_has_member (r, "code") ? " " : "",
                                json_object_has_member (r, "code")
                                  ? json_object_get_string_member (r, "code")
                                  : "");
      }
    g_assert_cmpstr (got->str, ==,
                     "e-1 duplicate|e-2 duplicate|e-3 duplicate|e-4 duplicate|e-5 applied|"
                     "e-6 rejected insufficient_balance|e-7 rejected age_out_of_range|"
                     "e-8 applied|e-9 rejected already_verified|");
  }
}

static void
test_audit_anchors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *token = sign_in (fixture);
  const char *a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  const char *b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  const struct
  {
    const char *device;
    int         count;
    const char *head;
    guint       status;
  } steps[] = {
    { "d1", 10, a, 201 },
    { "d1", 10, a, 201 },   /* the same anchor again */
    { "d1", 12, b, 201 },   /* the chain grew */
    { "d1", 12, a, 409 },   /* same length, another head: rewritten */
    { "d1", 11, b, 409 },   /* shorter than before: records removed */
    { "d2", 1, a, 201 },    /* another desk is another chain */
    { "d1", -1, a, 422 },
    { "d1", 13, "ABC", 422 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(JsonObject) response = NULL;
      g_autofree char *body = g_strdup_printf ("{\"device_id\": \"%s\", \"count\": %d, "
                                               "\"head\": \"%s\"}",
                                               steps[i].device, steps[i].count, steps[i].head);

      g_test_message ("anchor %u", i);
      g_assert_cmpuint (call_with_token (fixture, "/api/v1/audit-anchors", token, body,
                                         &response),
                        ==, steps[i].status);
      if (steps[i].status == 409)
        g_assert_cmpstr (json_object_get_string_member (response, "code"), ==,
                         "audit_chain_diverged");
    }
  g_assert_cmpuint (call_with_token (fixture, "/api/v1/audit-anchors", token,
                                     "{\"device_id\": \"d1\", \"count\": \"1\"}", NULL),
                    ==, 400);
}

/* The demo a newcomer starts: a seeded region and its three operators. */
static void
test_seed_demo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-regiond-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.sqlite", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) logins = g_string_new (NULL);
  g_autofree char *first = NULL;
  Fixture fixture = { 0 };

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PFDO_REGIOND"), "--db", db,
                                        "--listen", "127.0.0.1:0", "--seed", "demo",
                                        "--demo-password", "демо-пароль-1", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  first = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_true (g_str_has_prefix (first, "listening on http://127.0.0.1:"));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

      g_string_append_printf (logins, "%s\n", line);
    }
  g_assert_cmpstr (logins->str, ==,
                   "operator sidorova (school_staff)\noperator ivanova (moc_clerk)\n"
                   "operator petrov (moc_admin)\n");

  fixture.base = g_strdup (first + strlen ("listening on "));
  fixture.session = soup_session_new ();
  {
    g_autoptr(JsonObject) session = NULL;
    g_autoptr(JsonObject) page = NULL;
    const char *token;

    g_assert_cmpuint (request (&fixture, "POST", "/api/v1/session",
                               "{\"login\": \"ivanova\", \"password\": \"демо-пароль-1\"}", 0,
                               &session),
                      ==, 200);
    /* The name the generator gave stays. */
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (session,
                                                                                   "operator"),
                                                    "full_name"), ==, "Иванова Мария Петровна");
    token = json_object_get_string_member (session, "token");
    g_assert_cmpuint (get_with_token (&fixture, "/api/v1/changes?limit=1000", token, &page), ==,
                      200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==,
                      1000);
    g_assert_true (json_object_get_boolean_member (page, "more"));
  }

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, NULL));
  g_clear_object (&fixture.session);
  g_free (fixture.base);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

static guint
entries_written (const char *out)
{
  const char *colon = strrchr (out, ':');

  g_assert_nonnull (colon);
  return (guint) g_ascii_strtoull (colon + 1, NULL, 10);
}

/* The ledger jobs on a demo region: each writes once, however often run. */
/* Enrollments of 2026/27 that still hold part of their reservation. */
static gint64
open_reservations (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (db, &error);
  gint64 n;

  g_assert_no_error (error);
  n = pfdo_store_query_int (store,
                            "SELECT count(*) FROM (SELECT enrollment_id, sum (CASE kind WHEN "
                            "'reserve' THEN amount_kopecks WHEN 'release' THEN -amount_kopecks "
                            "ELSE 0 END) AS reserved FROM ledger_entry WHERE period = ? AND "
                            "enrollment_id IS NOT NULL GROUP BY enrollment_id) WHERE reserved > 0",
                            "2026/27", &error);
  g_assert_no_error (error);
  return n;
}

static void
test_ledger_jobs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-regiond-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (db, &error);
  g_autoptr(GPtrArray) problems = NULL;
  const struct
  {
    const char *job, *option, *value;
    gboolean    writes;
  } runs[] = {
    /* The seed granted 2026/27 with the job's own ids already. */
    { "grant", "--period", "2026/27", FALSE },
    { "charge", "--month", "2026-11", TRUE },
    { "charge", "--month", "2026-11", FALSE },
    { "expire", "--period", "2026/27", TRUE },
    { "expire", "--period", "2026/27", FALSE },
    { "grant", "--period", "2026/27", FALSE },
  };
  gint64 entries;

  g_assert_true (pfdo_demo_region_generate (store, PFDO_DEMO_SCALE_DEMO, 3, NULL, NULL, NULL,
                                            &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *out = NULL;

      /* Before the period ends, enrollments hold money reserved. */
      if (g_str_equal (runs[i].job, "expire") && runs[i].writes)
        g_assert_cmpint (open_reservations (db), >, 0);
      g_test_message ("ledger %s %s", runs[i].job, runs[i].value);
      g_assert_cmpint (run_regiond (&out, "ledger", runs[i].job, runs[i].option, runs[i].value,
                                    "--db", db, NULL),
                       ==, 0);
      if (runs[i].writes)
        g_assert_cmpuint (entries_written (out), >, 0);
      else
        g_assert_cmpuint (entries_written (out), ==, 0);
    }

  g_assert_cmpint (run_regiond (NULL, "ledger", "charge", "--month", "2026-13", "--db", db, NULL),
                   ==, 2);
  g_assert_cmpint (run_regiond (NULL, "ledger", "grant", "--period", "2026", "--db", db, NULL), ==,
                   2);
  g_assert_cmpint (run_regiond (NULL, "ledger", "fly", "--period", "2026/27", "--db", db, NULL),
                   ==, 1);

  /* After expiry nothing of the period is left, and the store holds. */
  store = pfdo_store_open (db, &error);
  g_assert_no_error (error);
  problems = pfdo_check_run (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  entries = pfdo_store_query_int (store,
                                  "SELECT count(*) FROM (SELECT certificate_id, sum (CASE kind "
                                  "WHEN 'grant' THEN amount_kopecks WHEN 'refund' THEN "
                                  "amount_kopecks WHEN 'release' THEN amount_kopecks ELSE "
                                  "-amount_kopecks END) AS available FROM ledger_entry WHERE "
                                  "period = '2026/27' GROUP BY certificate_id) WHERE available <> 0",
                                  NULL, &error);
  g_assert_cmpint (entries, ==, 0);
  /* Nor is anything left reserved for months that will not come. */
  g_assert_cmpint (open_reservations (db), ==, 0);
  g_clear_object (&store);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

static void
test_token_expiry (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *token = sign_in (fixture);

  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes", token, NULL), ==, 200);
  g_usleep (2100 * 1000);
  g_assert_cmpuint (get_with_token (fixture, "/api/v1/changes", token, NULL), ==, 401);
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
  TEST ("/regiond/changes", test_changes);
  TEST ("/regiond/number-blocks", test_number_blocks);
  TEST ("/regiond/operations", test_operations);
  TEST ("/regiond/relayed", test_relayed);
  TEST ("/regiond/enrollment-ops", test_enrollment_ops);
  TEST ("/regiond/audit-anchors", test_audit_anchors);
  g_test_add_func ("/regiond/seed-demo", test_seed_demo);
  TEST ("/regiond/prune", test_prune);
  g_test_add_func ("/regiond/ledger-jobs", test_ledger_jobs);
  g_test_add ("/regiond/token-expiry", Fixture, "1", fixture_set_up, test_token_expiry,
              fixture_tear_down);
#undef TEST

  return g_test_run ();
}
