/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The benchmarks of sync against the real pfdo-regiond on 127.0.0.1: the
 * first pull of a region into an empty desk, the same pages fetched and
 * stored by the plainest possible loop for comparison, a push of 10 000
 * operations, and a sync with nothing to do. One "name: value unit" line
 * per figure on stdout; progress on stderr. The servers' seeding is never
 * timed.
 */
#define G_LOG_DOMAIN "pfdo-bench-sync"

#include "config.h"

#include "pfdo-bench-common.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "pfdo-children.h"
#include "pfdo-sync.h"
#include "pfdo-validate.h"

#define PASSWORD       "демо-пароль-1"
#define PULL_LIMIT     500
#define PUSH_OPS       10000
#define IDLE_RUNS      5
/* Days of birth dates the benchmark's children spread over: with the ages
 * of 6 to 16 they all pass the 5–17 rule whatever today is. */
#define BIRTH_DAYS     4000
/* Seeding a full region takes about a minute; a demo a few seconds. */
#define SEED_TIMEOUT_S (30 * 60)
#define LINE_TIMEOUT_S 10

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *lines;
  char             *db;
  char             *base;
  char             *login;
} Server;

/* What exit must undo, whichever way it comes. */
static GPtrArray *servers;
static char *work_dir;

static void server_stop (Server *server);

static void
remove_work_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (work_dir == NULL)
    return;
  dir = g_dir_open (work_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (work_dir, name, NULL);

      if (g_unlink (path) != 0)
        g_printerr ("pfdo-bench-sync: cannot remove %s\n", path);
    }
  if (g_rmdir (work_dir) != 0)
    g_printerr ("pfdo-bench-sync: cannot remove %s\n", work_dir);
  g_clear_pointer (&work_dir, g_free);
}

static void
clean_up (void)
{
  while (servers != NULL && servers->len > 0)
    server_stop (g_ptr_array_index (servers, servers->len - 1));
  g_clear_pointer (&servers, g_ptr_array_unref);
  remove_work_dir ();
}

G_NORETURN static void G_GNUC_PRINTF (1, 2)
die (const char *format,
     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("pfdo-bench-sync: %s\n", message);
  clean_up ();
  exit (1);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The server must not outlive the benchmark, even one killed. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* One line of the server's stdout, or an error when it ends or stays
 * silent for @timeout_s. */
static char *
read_line (GDataInputStream  *lines,
           guint              timeout_s,
           GError           **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (timeout_s);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  char *line;

  g_main_context_push_thread_default (context);
  g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
  g_source_attach (timeout, context);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, read_line_cb,
                                       &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &local_error);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 "pfdo-regiond said nothing for %u s", timeout_s);
  else if (local_error != NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                "Cannot read pfdo-regiond's output: ");
  else if (line == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "pfdo-regiond ended before it said what was asked (see its messages above)");
  return line;
}

static void
server_free (Server *server)
{
  g_clear_object (&server->lines);
  g_clear_object (&server->process);
  g_free (server->db);
  g_free (server->base);
  g_free (server->login);
  g_free (server);
}

/* Stops the server and removes its store. */
static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_subprocess_send_signal (server->process, SIGTERM);
  if (!g_subprocess_wait (server->process, NULL, &error))
    g_printerr ("pfdo-bench-sync: waiting for pfdo-regiond: %s\n", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (server->db, suffixes[i], NULL);

      g_unlink (path);
    }
  g_ptr_array_remove (servers, server);
}

/* A server seeded with @scale; returns once it listens, so its seeding is
 * never part of a figure. Signs in as its moc_clerk. */
static Server *
server_start (const char *regiond,
              const char *scale,
              const char *name)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Server *server = g_new0 (Server, 1);
  gint64 start = g_get_monotonic_time ();

  server->db = g_build_filename (work_dir, name, NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, &error, regiond, "--db", server->db,
                                                 "--listen", "127.0.0.1:0", "--seed", scale,
                                                 "--demo-password", PASSWORD, NULL);
  if (server->process == NULL)
    {
      server_free (server);
      die ("cannot start %s: %s", regiond, error->message);
    }
  g_ptr_array_add (servers, server);
  server->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));

  g_printerr ("# seeding a %s server…\n", scale);
  line = read_line (server->lines, SEED_TIMEOUT_S, &error);
  if (line == NULL)
    die ("the %s server did not start: %s", scale, error->message);
  if (!g_str_has_prefix (line, "listening on "))
    die ("the %s server's first line is not \"listening on URL\": %s", scale, line);
  server->base = g_strdup (line + strlen ("listening on "));
  g_printerr ("# %s server seeded in %.1f s, at %s\n", scale, seconds_since (start),
              server->base);

  /* Then one line per demo operator: "operator LOGIN (ROLE)". */
  while (server->login == NULL)
    {
      g_autofree char *login_line = read_line (server->lines, LINE_TIMEOUT_S, &error);
      g_auto(GStrv) words = NULL;

      if (login_line == NULL)
        die ("the %s server named no moc_clerk to sign in as: %s", scale, error->message);
      words = g_strsplit (login_line, " ", -1);
      if (g_strv_length (words) == 3 && g_str_equal (words[0], "operator") &&
          g_str_equal (words[2], "(moc_clerk)"))
        server->login = g_strdup (words[1]);
    }
  return server;
}

static PfdoStore *
open_desk (const char *name)
{
  g_autofree char *path = g_build_filename (work_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PfdoStore *store = pfdo_store_open (path, &error);

  if (store == NULL)
    die ("cannot create the desk store %s: %s", path, error->message);
  return store;
}

static PfdoSyncStats
sync_desk (PfdoStore  *store,
           Server     *server,
           const char *what)
{
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };

  if (!pfdo_sync_run (store, server->base, server->login, PASSWORD, &stats, NULL, &error))
    die ("%s: the sync failed: %s", what, error->message);
  return stats;
}

static gint64
count_pending (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pfdo_store_query_int (store, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                                   NULL, &error);

  if (n < 0)
    die ("cannot count the outbox: %s", error->message);
  return n;
}

/* The baseline: what fetching and storing the feed costs at the least. */

/* Sends a request and parses its JSON object; the status in @out_status. */
static JsonParser *
fetch_json (SoupSession  *session,
            const char   *method,
            const char   *uri,
            const char   *token,
            const char   *body,
            guint        *out_status,
            GError      **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a URI: %s", uri);
      return NULL;
    }
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

  response = soup_session_send_and_read (session, msg, NULL, error);
  if (response == NULL)
    return NULL;
  *out_status = soup_message_get_status (msg);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                   (gssize) g_bytes_get_size (response), error))
    return NULL;
  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s %s answered HTTP %u without a JSON object", method, uri, *out_status);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

static char *
sign_in (SoupSession  *session,
         Server       *server,
         GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *body = NULL;
  g_autofree char *uri = g_strconcat (server->base, "/api/v1/session", NULL);
  g_autofree char *device_id = g_uuid_string_random ();
  JsonObject *response;
  JsonNode *token;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, server->login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, PASSWORD);
  json_builder_set_member_name (builder, "device");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, device_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "pfdo-bench-sync");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);

  parser = fetch_json (session, "POST", uri, NULL, body, &status, error);
  if (parser == NULL)
    return NULL;
  response = json_node_get_object (json_parser_get_root (parser));
  token = json_object_get_member (response, "token");
  if (status != 200 || token == NULL || json_node_get_value_type (token) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "POST /session answered HTTP %u without a token", status);
      return NULL;
    }
  return g_strdup (json_node_get_string (token));
}

static gboolean
sqlite_failed (sqlite3     *db,
               const char  *what,
               GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite, %s: %s", what,
               sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
insert_page (sqlite3       *db,
             sqlite3_stmt  *insert,
             JsonArray     *changes,
             guint         *inserted,
             GError       **error)
{
  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_failed (db, "BEGIN", error);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *change;
      JsonNode *data;
      g_autofree char *text = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a change is not an object");
          return FALSE;
        }
      change = json_node_get_object (node);
      data = json_object_get_member (change, "data");
      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        text = json_to_string (data, FALSE);

      sqlite3_bind_text (insert, 1, json_object_get_string_member_with_default (change, "entity",
                                                                                NULL),
                         -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, json_object_get_string_member_with_default (change, "id",
                                                                                NULL),
                         -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 3, json_object_get_int_member_with_default (change, "version",
                                                                              0));
      sqlite3_bind_text (insert, 4, text, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (insert) != SQLITE_DONE)
        return sqlite_failed (db, "INSERT", error);
      sqlite3_reset (insert);
      (*inserted)++;
    }

  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_failed (db, "COMMIT", error);
  return TRUE;
}

/* Fetches the whole feed as @server's moc_clerk into one plain table of a
 * new SQLite file at @path, with the desk store's journal and sync pragmas
 * so that only the work differs. Returns the seconds it took, or a
 * negative number with @error set. */
static double
pull_baseline (Server      *server,
               const char  *path,
               guint       *out_changes,
               GError     **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *token = NULL;
  g_autofree char *cursor = g_strdup ("0");
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  gboolean more = TRUE;
  double seconds = -1;
  gint64 start;

  *out_changes = 0;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      sqlite_failed (db, path, error);
      goto out;
    }
  if (sqlite3_exec (db,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = FULL;"
                    "CREATE TABLE change (entity TEXT, id TEXT, version INTEGER, data TEXT);",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      sqlite_failed (db, "CREATE TABLE", error);
      goto out;
    }
  if (sqlite3_prepare_v2 (db, "INSERT INTO change (entity, id, version, data) VALUES (?, ?, ?, ?)",
                          -1, &insert, NULL) != SQLITE_OK)
    {
      sqlite_failed (db, "prepare", error);
      goto out;
    }

  start = g_get_monotonic_time ();
  session = soup_session_new_with_options ("user-agent", "pfdo-bench-sync", "timeout", 30, NULL);
  token = sign_in (session, server, error);
  if (token == NULL)
    goto out;

  while (more)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);
      g_autofree char *uri = g_strdup_printf ("%s/api/v1/changes?since=%s&limit=%d",
                                              server->base, escaped, PULL_LIMIT);
      g_autoptr(JsonParser) parser = NULL;
      JsonObject *page;
      JsonNode *changes;
      JsonNode *next;
      guint status = 0;

      parser = fetch_json (session, "GET", uri, token, NULL, &status, error);
      if (parser == NULL)
        goto out;
      page = json_node_get_object (json_parser_get_root (parser));
      changes = json_object_get_member (page, "changes");
      next = json_object_get_member (page, "cursor");
      if (status != 200 || changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) || next == NULL ||
          json_node_get_value_type (next) != G_TYPE_STRING ||
          !json_object_has_member (page, "more"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "GET /changes answered HTTP %u without changes, cursor and more", status);
          goto out;
        }
      more = json_object_get_boolean_member (page, "more");
      if (!insert_page (db, insert, json_node_get_array (changes), out_changes, error))
        goto out;
      g_free (cursor);
      cursor = g_strdup (json_node_get_string (next));
    }
  seconds = seconds_since (start);

out:
  sqlite3_finalize (insert);
  sqlite3_close (db);
  return seconds;
}

/* The push: families registered offline, one operation each. */

static void
sign_in_locally (PfdoStore  *store,
                 const char *login)
{
  g_autoptr(GError) error = NULL;

  if (!pfdo_store_set_operator_login (store, login, &error))
    die ("cannot sign in as %s on the desk: %s", login, error->message);
}

/* Family @n, unlike any other the benchmark makes and, by its surname,
 * unlike any of the seed, so that the server applies it: its own SNILS;
 * families that share a birth date differ in the first name and in two
 * digits of the document number. */
static void
register_family (PfdoStore *store,
                 guint      n)
{
  static const char *names[] = {
    "Алиса", "Вера", "Глафира", "Дина", "Ева", "Зоя", "Инна", "Лада",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *snils = NULL;
  g_autofree char *field = NULL;
  guint day = n % BIRTH_DAYS;
  guint k = n / BIRTH_DAYS;
  GDate birth;
  char digits[12];
  char birth_date[11];
  char number[7];
  PfdoChildInput child = {
    .last_name = "Замерова", .first_name = names[k % G_N_ELEMENTS (names)],
    .birth_date = birth_date, .sex = "f", .document_type = "birth_certificate",
    .document_series = "II-ДН", .document_number = number,
  };
  PfdoFamilyInput input = {
    .parent = { .last_name = "Замерова", .first_name = "Мария", .phone = "+79180000000" },
    .children = &child, .n_children = 1, .allow_duplicates = TRUE,
  };

  g_assert (k < G_N_ELEMENTS (names));
  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_date_subtract_years (&birth, 6);
  g_date_subtract_days (&birth, day);
  g_snprintf (birth_date, sizeof birth_date, "%04u-%02u-%02u", g_date_get_year (&birth),
              g_date_get_month (&birth), g_date_get_day (&birth));

  g_snprintf (digits, 10, "%09u", 600000000u + n * 11u);
  g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
  snils = pfdo_snils_format (digits);
  child.snils = snils;
  g_snprintf (number, sizeof number, "%u%u%04u", k, k, day);

  result = pfdo_family_register (store, &input, &field, &error);
  if (result == NULL)
    die ("cannot register family %u offline (%s): %s", n, field != NULL ? field : "-",
         error->message);
}

static void
report_rejections (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "SELECT code, detail, count(*) FROM outbox WHERE "
                                           "state = 'rejected' GROUP BY code, detail "
                                           "ORDER BY count(*) DESC LIMIT 5",
                                           &error);

  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_printerr ("# rejected %d× %s: %s\n", sqlite3_column_int (stmt, 2),
                sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
}

static void
bench_pull (const char *regiond,
            const char *scale)
{
  Server *server = server_start (regiond, scale, "pull-server.sqlite");
  g_autoptr(PfdoStore) desk = open_desk ("pull-desk.sqlite");
  g_autofree char *baseline_path = g_build_filename (work_dir, "baseline.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats;
  double desk_s, baseline_s;
  guint baseline_changes = 0;
  gint64 start;

  g_printerr ("# first pull into an empty desk as %s…\n", server->login);
  start = g_get_monotonic_time ();
  stats = sync_desk (desk, server, "the first pull");
  desk_s = seconds_since (start);
  g_print ("pull_region_s: %.1f s\n", desk_s);
  g_print ("pull_region_changes: %u changes\n", stats.pulled);
  g_printerr ("# %u pages\n", stats.pages);

  g_printerr ("# the same feed by a plain loop…\n");
  baseline_s = pull_baseline (server, baseline_path, &baseline_changes, &error);
  if (baseline_s < 0)
    die ("the baseline pull failed: %s", error->message);
  g_printerr ("# the baseline stored %u changes\n", baseline_changes);
  g_print ("pull_baseline_s: %.1f s\n", baseline_s);
  g_print ("pull_ratio: %.2f x\n", desk_s / baseline_s);

  /* The region is big: its files go before the next server seeds. */
  g_clear_object (&desk);
  server_stop (server);
}

static void
bench_push_and_idle (const char *regiond)
{
  Server *server = server_start (regiond, "demo", "push-server.sqlite");
  g_autoptr(PfdoStore) desk = open_desk ("push-desk.sqlite");
  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  PfdoSyncStats stats;
  gint64 pending, start;
  guint families = 0;

  sync_desk (desk, server, "the push desk's first pull");
  sign_in_locally (desk, server->login);

  g_printerr ("# registering families offline…\n");
  start = g_get_monotonic_time ();
  while ((pending = count_pending (desk)) < PUSH_OPS)
    for (gint64 i = pending; i < PUSH_OPS; i++)
      register_family (desk, families++);
  g_printerr ("# %u families, %" G_GINT64_FORMAT " pending operations, in %.1f s\n", families,
              pending, seconds_since (start));

  start = g_get_monotonic_time ();
  stats = sync_desk (desk, server, "the push");
  g_print ("push_10k_ops_s: %.1f s\n", seconds_since (start));
  g_print ("push_10k_ops_count: %u ops\n", stats.pushed);
  g_printerr ("# applied %u, duplicates %u, rejected %u; then pulled %u changes\n",
              stats.applied, stats.duplicates, stats.rejected, stats.pulled);
  if (stats.rejected > 0)
    {
      report_rejections (desk);
      die ("the server rejected %u of the %u operations pushed", stats.rejected, stats.pushed);
    }
  if (stats.pushed < pending || count_pending (desk) > 0)
    die ("the push left %" G_GINT64_FORMAT " operations pending", count_pending (desk));

  for (guint i = 0; i < IDLE_RUNS; i++)
    {
      double ms;

      start = g_get_monotonic_time ();
      stats = sync_desk (desk, server, "an idle sync");
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (stats.pushed > 0 || stats.pulled > 0)
        die ("an idle sync had work: it pushed %u and pulled %u", stats.pushed, stats.pulled);
      g_array_append_val (idle, ms);
    }
  g_print ("sync_idle_ms: %.1f ms\n", pfdo_bench_percentile (idle, 0.5));

  g_clear_object (&desk);
  server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *regiond = NULL;
  g_autofree char *scale = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "regiond", 0, 0, G_OPTION_ARG_FILENAME, &regiond, "the pfdo-regiond to start", "PATH" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale, "the pulled server's seed: demo or region",
      "SCALE" },
    { NULL },
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1 || regiond == NULL ||
      (scale != NULL && !g_str_equal (scale, "demo") && !g_str_equal (scale, "region")))
    {
      if (error != NULL)
        g_printerr ("pfdo-bench-sync: %s\n", error->message);
      g_printerr ("usage: pfdo-bench-sync --regiond PATH [--scale demo|region]\n");
      return 2;
    }
  if (!g_file_test (regiond, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("pfdo-bench-sync: %s is not an executable pfdo-regiond\n", regiond);
      return 1;
    }

  servers = g_ptr_array_new_with_free_func ((GDestroyNotify) server_free);
  work_dir = g_dir_make_tmp ("pfdo-bench-sync-XXXXXX", &error);
  if (work_dir == NULL)
    die ("cannot make a temporary directory: %s", error->message);

  bench_pull (regiond, scale != NULL ? scale : "region");
  bench_push_and_idle (regiond);

  clean_up ();
  return 0;
}
