/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-sync"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pfdo-audit-anchor.h"
#include "pfdo-json.h"
#include "pfdo-sync-private.h"
#include "pfdo-text.h"
#include "pfdo-transport.h"

/*
 * The desk's side of REGIONAL_API.md. Nothing is lost and nothing doubled
 * because every step is one transaction that can be repeated: a pushed
 * batch is marked with its results in one write (a lost answer means the
 * batch goes again and comes back "duplicate"); a pulled page is applied
 * with its cursor in one write (a lost page is fetched again, and an
 * upsert that is not newer changes nothing).
 */

G_DEFINE_QUARK (pfdo-sync-error-quark, pfdo_sync_error)

G_DEFINE_ENUM_TYPE (PfdoSyncPhase, pfdo_sync_phase,
                    G_DEFINE_ENUM_VALUE (PFDO_SYNC_PHASE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (PFDO_SYNC_PHASE_SIGN_IN, "sign-in"),
                    G_DEFINE_ENUM_VALUE (PFDO_SYNC_PHASE_PUSH, "push"),
                    G_DEFINE_ENUM_VALUE (PFDO_SYNC_PHASE_PULL, "pull"))

#define PUSH_BATCH   500
#define PULL_LIMIT   500
#define MAX_ATTEMPTS 5
/* While online a desk keeps at least this many unused certificate numbers,
 * leasing a block of BLOCK_SIZE when it has fewer. */
#define NUMBERS_LOW  50
#define BLOCK_SIZE   200
#define TIMEOUT_S    30

typedef struct
{
  PfdoStore       *store;
  SoupSession     *session;
  char            *base;
  char            *login;
  char            *password;
  char            *token;
  GCancellable    *cancellable;
  JsonObject      *operator;   /* as the server described the signed-in operator */
  char            *device_id;  /* the device signed in for; NULL: the store's own */
  char            *region;     /* as GET /health names it; NULL until known */
  PfdoSyncOptions  options;
} Sync;

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
sync_clear (Sync *sync)
{
  g_clear_object (&sync->session);
  g_clear_pointer (&sync->base, g_free);
  g_clear_pointer (&sync->login, g_free);
  wipe (&sync->password);
  wipe (&sync->token);
  g_clear_pointer (&sync->operator, json_object_unref);
  g_clear_pointer (&sync->device_id, g_free);
  g_clear_pointer (&sync->region, g_free);
}

static void
report (Sync          *sync,
        PfdoSyncPhase  phase,
        guint          done,
        guint          total)
{
  if (sync->options.progress != NULL)
    sync->options.progress (phase, done, total, sync->options.progress_data);
}

static gboolean sign_in (Sync *sync, GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sync, sync_clear)

/* Waits before a retry: exponential with jitter, and cancellable. */
static gboolean
back_off (Sync    *sync,
          guint    attempt,
          GError **error)
{
  gint64 delay_ms = (gint64) (100 << MIN (attempt, 6)) + g_random_int_range (0, 100);

  for (gint64 waited = 0; waited < delay_ms; waited += 20)
    {
      if (g_cancellable_set_error_if_cancelled (sync->cancellable, error))
        return FALSE;
      g_usleep (20 * 1000);
    }
  return TRUE;
}

/* One call of the contract, retried on network errors, 5xx and 429.
 * Returns the parsed JSON body (NULL with @error set on failure) and the
 * status in @out_status. */
static JsonNode *
call (Sync        *sync,
      const char  *method,
      const char  *path,
      const char  *body,
      guint       *out_status,
      GError     **error)
{
  guint sign_ins_left = 3;

  for (guint attempt = 0;; attempt++)
    {
      g_autofree char *uri = g_strconcat (sync->base, "/api/v1", path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonNode *root;
      guint status;

      if (msg == NULL)
        {
          g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL,
                       "Not a server address: %s", sync->base);
          return NULL;
        }
      if (body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }
      if (sync->token != NULL)
        {
          g_autofree char *header = g_strconcat ("Bearer ", sync->token, NULL);

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                        header);
        }

      response = soup_session_send_and_read (sync->session, msg, sync->cancellable,
                                             &local_error);
      if (response == NULL)
        {
          /* An untrusted certificate does not get better with retries. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              local_error->domain == G_TLS_ERROR || attempt + 1 >= MAX_ATTEMPTS)
            {
              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                g_propagate_error (error, g_steal_pointer (&local_error));
              else if (local_error->domain == G_TLS_ERROR)
                g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_TLS,
                             "The regional server's certificate is not trusted: %s",
                             local_error->message);
              else
                g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_NETWORK,
                             "The regional server cannot be reached: %s", local_error->message);
              return NULL;
            }
          if (!back_off (sync, attempt, error))
            return NULL;
          continue;
        }

      status = soup_message_get_status (msg);
      /* A token that expired mid-sync: sign in again with the same password,
       * a few times at most; a refused password is the operator's to answer. */
      if (status == 401 && sync->token != NULL && sign_ins_left-- > 0)
        {
          attempt--;
          wipe (&sync->token);
          g_clear_pointer (&sync->operator, json_object_unref);
          if (sync->options.token_func != NULL)
            sync->options.token_func (NULL, sync->options.token_data);
          if (!sign_in (sync, error))
            return NULL;
          continue;
        }
      if ((status >= 500 || status == 429) && !g_str_equal (path, "/session") &&
          attempt + 1 < MAX_ATTEMPTS)
        {
          if (!back_off (sync, attempt, error))
            return NULL;
          continue;
        }
      if (status >= 500)
        {
          g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_SERVER,
                       "The regional server failed (HTTP %u); try again later.", status);
          return NULL;
        }

      root = pfdo_sync_parse_answer (g_bytes_get_data (response, NULL),
                                     g_bytes_get_size (response), &local_error);
      if (root == NULL)
        {
          g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL,
                       "The regional server answered HTTP %u without a JSON object.", status);
          return NULL;
        }
      *out_status = status;
      return root;
    }
}

/**
 * pfdo_sync_parse_answer:
 * @data: (array length=size): a body as the server sent it
 *
 * The body of an answer as JSON; every answer of the contract is an object.
 *
 * Returns: (transfer full): the root, or %NULL with a protocol error
 */
JsonNode *
pfdo_sync_parse_answer (const char  *data,
                        gsize        size,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!pfdo_json_load (parser, data, size, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL,
                           "The answer is not a JSON object.");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gboolean
protocol_error (GError    **error,
                const char *what)
{
  g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL,
               "The regional server's answer does not follow the contract: %s", what);
  return FALSE;
}

/* A problem+json answer as an error a person can act on. */
static gboolean
problem_error (JsonNode  *root,
               guint      status,
               GError   **error)
{
  JsonObject *problem = json_node_get_object (root);
  const char *code = pfdo_json_get_string (problem, "code");
  const char *detail = pfdo_json_get_string (problem, "detail");

  if (status == 401)
    g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED,
                 "The regional server did not accept the sign-in (%s).",
                 code != NULL ? code : "unauthorized");
  else if (status == 429)
    g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_THROTTLED,
                 "Too many failed sign-ins; try again later.");
  else
    g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL, "HTTP %u %s: %s", status,
                 code != NULL ? code : "", detail != NULL ? detail : "");
  return FALSE;
}

/* The region the server serves, kept with the operator: a sync bundle is
 * labelled with it. Only a label: a server that does not say is no error. */
static void
learn_region (Sync *sync)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  const char *region;

  /* Asked once: empty while unknown, so a sign-in inside the call below
   * does not ask again. */
  sync->region = g_strdup ("");
  root = call (sync, "GET", "/health", NULL, &status, &error);
  if (root == NULL)
    {
      g_debug ("The server's region is unknown: %s", error->message);
      return;
    }
  region = pfdo_json_get_string (json_node_get_object (root), "region");
  if (status == 200 && region != NULL && *region != '\0')
    {
      g_free (sync->region);
      sync->region = g_strdup (region);
    }
}

static gboolean
sign_in (Sync    *sync,
         GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  JsonObject *response;
  const char *token;
  guint status = 0;

  /* A kept session the server refused, and no password to start anew. */
  if (sync->password == NULL)
    {
      g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED,
                   "The kept session has ended; the password is needed to sign in again.");
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, sync->login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, sync->password);
  json_builder_set_member_name (builder, "device");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sync->device_id != NULL ? sync->device_id :
                                 pfdo_store_get_device_id (sync->store));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, g_get_host_name ());
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);

  report (sync, PFDO_SYNC_PHASE_SIGN_IN, 0, 0);
  root = call (sync, "POST", "/session", body, &status, error);
  wipe (&body);
  if (root == NULL)
    return FALSE;
  if (status != 200)
    return problem_error (root, status, error);

  response = json_node_get_object (root);
  token = pfdo_json_get_string (response, "token");
  if (token == NULL || json_object_get_member (response, "operator") == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (response, "operator")) ||
      pfdo_json_get_string (json_object_get_object_member (response, "operator"), "id") == NULL)
    return protocol_error (error, "a session without a token or an operator");

  sync->token = g_strdup (token);
  sync->operator = json_object_ref (json_object_get_object_member (response, "operator"));
  if (sync->options.token_func != NULL)
    sync->options.token_func (sync->token, sync->options.token_data);
  return TRUE;
}

static gboolean
is_result_status (const char *status)
{
  return g_strcmp0 (status, "applied") == 0 || g_strcmp0 (status, "duplicate") == 0 ||
         g_strcmp0 (status, "rejected") == 0;
}

/**
 * pfdo_sync_check_results:
 * @root: an answer to `POST /operations`
 * @op_ids: (element-type utf8) (nullable): the operations sent, in order;
 *   %NULL to check only the results' shape
 * @out_results: (out) (transfer none) (optional): the results, in @root
 *
 * Whether @root answers each operation sent with a result the contract
 * allows, in the order sent. Nothing is marked unless all are.
 */
gboolean
pfdo_sync_check_results (JsonNode    *root,
                         GPtrArray   *op_ids,
                         JsonArray  **out_results,
                         GError     **error)
{
  JsonNode *list = JSON_NODE_HOLDS_OBJECT (root) ?
                   json_object_get_member (json_node_get_object (root), "results") : NULL;
  JsonArray *results;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return protocol_error (error, "an answer without its results");
  results = json_node_get_array (list);
  if (op_ids != NULL && json_array_get_length (results) != op_ids->len)
    return protocol_error (error, "not one result per operation");

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *op_id = pfdo_json_get_string (result, "op_id");

      if (op_id == NULL || !is_result_status (pfdo_json_get_string (result, "status")) ||
          (op_ids != NULL && !g_str_equal (op_id, g_ptr_array_index (op_ids, i))))
        return protocol_error (error, "a result that does not answer its operation");
    }

  if (out_results != NULL)
    *out_results = results;
  return TRUE;
}

/**
 * pfdo_sync_mark_results:
 * @results: results checked with pfdo_sync_check_results()
 *
 * Marks each pending operation of the outbox with its result, inside the
 * caller's write. An operation that is not pending keeps its first result,
 * so results that come again (a lost answer, a second bundle) change
 * nothing.
 */
gboolean
pfdo_sync_mark_results (PfdoStore      *store,
                        JsonArray      *results,
                        PfdoSyncStats  *stats,
                        GError        **error)
{
  g_autofree char *now = pfdo_now_utc ();

  g_return_val_if_fail (pfdo_store_in_transaction (store), FALSE);

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *op_id = pfdo_json_get_string (result, "op_id");
      const char *status = pfdo_json_get_string (result, "status");
      gint64 seq = 0;
      sqlite3_stmt *stmt;

      if (op_id == NULL || !is_result_status (status))
        return protocol_error (error, "a result that does not answer its operation");
      pfdo_json_get_int (result, "seq", &seq);

      stmt = pfdo_store_prepare (store,
                                 "UPDATE outbox SET state = ?, code = ?, detail = ?, "
                                 "server_seq = ?, attempts = attempts + 1, sent_at = ? "
                                 "WHERE op_id = ? AND state = 'pending'",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, pfdo_json_get_string (result, "code"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, pfdo_json_get_string (result, "detail"), -1, SQLITE_TRANSIENT);
      if (seq > 0)
        sqlite3_bind_int64 (stmt, 4, seq);
      else
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, op_id, -1, SQLITE_TRANSIENT);
      if (!pfdo_store_step_done (store, stmt, error))
        return FALSE;
      /* An answer that came before (a second reply) is not counted again. */
      if (sqlite3_changes (pfdo_store_get_db (store)) == 0)
        continue;

      if (g_str_equal (status, "applied"))
        stats->applied++;
      else if (g_str_equal (status, "duplicate"))
        stats->duplicates++;
      else
        stats->rejected++;
    }
  return TRUE;
}

typedef struct
{
  JsonArray     *results;
  PfdoSyncStats *stats;
} PushResults;

static gboolean
mark_results_cb (PfdoStore *store,
                 gpointer   user_data,
                 GError   **error)
{
  PushResults *push = user_data;

  return pfdo_sync_mark_results (store, push->results, push->stats, error);
}

/* One batch of operations, @body as the contract's request; the answer's
 * root, checked against @op_ids. */
static JsonNode *
send_batch (Sync        *sync,
            const char  *body,
            GPtrArray   *op_ids,
            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  guint status = 0;

  root = call (sync, "POST", "/operations", body, &status, error);
  if (root == NULL)
    return NULL;
  if (status != 200)
    {
      problem_error (root, status, error);
      return NULL;
    }
  if (!pfdo_sync_check_results (root, op_ids, NULL, error))
    return NULL;
  return g_steal_pointer (&root);
}

/* The outbox, oldest first, in batches; each batch's results in one write. */
static gboolean
push (Sync           *sync,
      PfdoSyncStats  *stats,
      GError        **error)
{
  gint64 total = pfdo_store_query_int (sync->store,
                                       "SELECT count (*) FROM outbox WHERE state = 'pending'",
                                       NULL, error);

  if (total < 0)
    return FALSE;
  report (sync, PFDO_SYNC_PHASE_PUSH, 0, (guint) total);

  for (;;)
    {
      g_autoptr(GString) body = g_string_new ("{\"operations\": [");
      g_autoptr(GPtrArray) op_ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonNode) root = NULL;
      sqlite3_stmt *stmt = pfdo_store_prepare (sync->store,
                                               "SELECT json_object ('op_id', op_id, 'type', type, "
                                               "'at', at, 'payload', json (payload)), op_id "
                                               "FROM outbox WHERE state = 'pending' "
                                               "ORDER BY seq LIMIT ?",
                                               error);
      PushResults results = { 0 };

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, PUSH_BATCH);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          if (op_ids->len > 0)
            g_string_append (body, ", ");
          g_string_append (body, (const char *) sqlite3_column_text (stmt, 0));
          g_ptr_array_add (op_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
      if (op_ids->len == 0)
        return TRUE;
      g_string_append (body, "]}");

      root = send_batch (sync, body->str, op_ids, error);
      if (root == NULL)
        return FALSE;
      results.results = json_object_get_array_member (json_node_get_object (root), "results");
      results.stats = stats;
      if (!pfdo_store_write (sync->store, mark_results_cb, &results, error))
        return FALSE;
      stats->pushed += op_ids->len;
      report (sync, PFDO_SYNC_PHASE_PUSH, stats->pushed, MAX ((guint) total, stats->pushed));
    }
}

/* How each entity's data lands in the desk's table; an upsert that is not
 * newer than the stored row changes nothing. */
typedef struct
{
  const char *entity;
  const char *upsert;
  const char *remove;
} Landing;

#define J(path) "json_extract (?1, '$." path "')"

static const Landing landings[] = {
  { "municipality",
    "INSERT INTO municipality (id, name, oktmo, mode, period_start, period_end, nominal_kopecks, "
    "pf_quota, pf_issued, version) SELECT " J ("id") ", " J ("name") ", " J ("oktmo") ", "
    J ("mode") ", " J ("period_start") ", " J ("period_end") ", coalesce (" J ("nominal_kopecks")
    ", 0), coalesce (" J ("pf_quota") ", 0), coalesce (" J ("pf_issued") ", 0), ?2 WHERE true "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, oktmo = excluded.oktmo, mode = "
    "excluded.mode, period_start = excluded.period_start, period_end = excluded.period_end, "
    "nominal_kopecks = excluded.nominal_kopecks, pf_quota = excluded.pf_quota, pf_issued = "
    "excluded.pf_issued, version = excluded.version WHERE excluded.version > municipality.version",
    "DELETE FROM municipality WHERE id = ?1" },
  { "office",
    "INSERT INTO office (id, name, kind, municipality_id, address, phone, hours, version) SELECT "
    J ("id") ", " J ("name") ", " J ("kind") ", " J ("municipality_id") ", " J ("address") ", "
    J ("phone") ", " J ("hours") ", ?2 WHERE true ON CONFLICT (id) DO UPDATE SET name = "
    "excluded.name, kind = excluded.kind, municipality_id = excluded.municipality_id, address = "
    "excluded.address, phone = excluded.phone, hours = excluded.hours, version = excluded.version "
    "WHERE excluded.version > office.version",
    "DELETE FROM office WHERE id = ?1" },
  { "provider",
    "INSERT INTO provider (id, name, inn, kind, municipality_id, address, phone, version) SELECT "
    J ("id") ", " J ("name") ", " J ("inn") ", " J ("kind") ", " J ("municipality_id") ", "
    J ("address") ", " J ("phone") ", ?2 WHERE true ON CONFLICT (id) DO UPDATE SET name = "
    "excluded.name, inn = excluded.inn, kind = excluded.kind, municipality_id = "
    "excluded.municipality_id, address = excluded.address, phone = excluded.phone, version = "
    "excluded.version WHERE excluded.version > provider.version",
    "DELETE FROM provider WHERE id = ?1" },
  { "program",
    "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, age_max, "
    "activity, level, form, funding, disability_friendly, description, hours_total, months, "
    "hour_price_kopecks, address, rating_avg, reviews_count, enrollment_open, is_active, version) "
    "SELECT " J ("id") ", " J ("provider_id") ", " J ("municipality_id") ", " J ("title") ", "
    J ("direction") ", " J ("age_min") ", " J ("age_max") ", " J ("activity") ", " J ("level")
    ", coalesce (" J ("form") ", 'in_person'), " J ("funding") ", coalesce ("
    J ("disability_friendly") ", 0), " J ("description") ", " J ("hours_total") ", " J ("months")
    ", coalesce (" J ("hour_price_kopecks") ", 0), " J ("address") ", " J ("rating_avg")
    ", coalesce (" J ("reviews_count") ", 0), coalesce (" J ("enrollment_open") ", 1), coalesce ("
    J ("is_active") ", 1), ?2 WHERE true ON CONFLICT (id) DO UPDATE SET provider_id = "
    "excluded.provider_id, municipality_id = excluded.municipality_id, title = excluded.title, "
    "direction = excluded.direction, age_min = excluded.age_min, age_max = excluded.age_max, "
    "activity = excluded.activity, level = excluded.level, form = excluded.form, funding = "
    "excluded.funding, disability_friendly = excluded.disability_friendly, description = "
    "excluded.description, hours_total = excluded.hours_total, months = excluded.months, "
    "hour_price_kopecks = excluded.hour_price_kopecks, address = excluded.address, rating_avg = "
    "excluded.rating_avg, reviews_count = excluded.reviews_count, enrollment_open = "
    "excluded.enrollment_open, is_active = excluded.is_active, version = excluded.version "
    "WHERE excluded.version > program.version",
    "DELETE FROM program WHERE id = ?1" },
  { "group",
    "INSERT INTO \"group\" (id, program_id, name, teacher, schedule, capacity, enrolled, "
    "starts_on, ends_on, version) SELECT " J ("id") ", " J ("program_id") ", " J ("name") ", "
    J ("teacher") ", coalesce (json (" J ("schedule") "), '[]'), " J ("capacity") ", coalesce ("
    J ("enrolled") ", 0), " J ("starts_on") ", " J ("ends_on") ", ?2 WHERE true ON CONFLICT (id) "
    "DO UPDATE SET program_id = excluded.program_id, name = excluded.name, teacher = "
    "excluded.teacher, schedule = excluded.schedule, capacity = excluded.capacity, enrolled = "
    "excluded.enrolled, starts_on = excluded.starts_on, ends_on = excluded.ends_on, version = "
    "excluded.version WHERE excluded.version > \"group\".version",
    "DELETE FROM \"group\" WHERE id = ?1" },
  { "review",
    "INSERT INTO review (id, program_id, rating, text, author, created_at, version) SELECT "
    J ("id") ", " J ("program_id") ", " J ("rating") ", " J ("text") ", " J ("author") ", "
    J ("created_at") ", ?2 WHERE true ON CONFLICT (id) DO UPDATE SET program_id = "
    "excluded.program_id, rating = excluded.rating, text = excluded.text, author = "
    "excluded.author, created_at = excluded.created_at, version = excluded.version "
    "WHERE excluded.version > review.version",
    "DELETE FROM review WHERE id = ?1" },
  { "parent",
    "INSERT INTO parent (id, last_name, first_name, middle_name, phone, email, municipality_id, "
    "created_at, version) SELECT " J ("id") ", " J ("last_name") ", " J ("first_name") ", "
    J ("middle_name") ", " J ("phone") ", " J ("email") ", " J ("municipality_id") ", coalesce ("
    J ("created_at") ", strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')), ?2 WHERE true ON CONFLICT (id) "
    "DO UPDATE SET last_name = excluded.last_name, first_name = excluded.first_name, "
    "middle_name = excluded.middle_name, phone = excluded.phone, email = excluded.email, "
    "municipality_id = excluded.municipality_id, version = excluded.version "
    "WHERE excluded.version > parent.version",
    "DELETE FROM parent WHERE id = ?1" },
  { "child",
    "INSERT INTO child (id, parent_id, last_name, first_name, middle_name, birth_date, sex, snils, "
    "document_type, document_series, document_number, address, municipality_id, "
    "verification_status, verification_decided_at, verification_operator_id, "
    "verification_office_id, verification_reason, created_at, version) SELECT " J ("id") ", "
    J ("parent_id") ", " J ("last_name") ", " J ("first_name") ", " J ("middle_name") ", "
    J ("birth_date") ", " J ("sex") ", " J ("snils") ", " J ("document.type") ", "
    J ("document.series") ", " J ("document.number") ", " J ("address") ", " J ("municipality_id")
    ", coalesce (" J ("verification.status") ", 'unverified'), " J ("verification.decided_at")
    ", " J ("verification.operator_id") ", " J ("verification.office_id") ", "
    J ("verification.reason") ", strftime ('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2 WHERE true "
    "ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, last_name = "
    "excluded.last_name, first_name = excluded.first_name, middle_name = excluded.middle_name, "
    "birth_date = excluded.birth_date, sex = excluded.sex, snils = excluded.snils, document_type "
    "= excluded.document_type, document_series = excluded.document_series, document_number = "
    "excluded.document_number, address = excluded.address, municipality_id = "
    "excluded.municipality_id, verification_status = excluded.verification_status, "
    "verification_decided_at = excluded.verification_decided_at, verification_operator_id = "
    "excluded.verification_operator_id, verification_office_id = "
    "excluded.verification_office_id, verification_reason = excluded.verification_reason, "
    "version = excluded.version WHERE excluded.version > child.version",
    "DELETE FROM child WHERE id = ?1" },
  { "certificate",
    "INSERT INTO certificate (id, number, child_id, municipality_id, status, issued_at, "
    "activated_at, closed_at, close_reason, version) SELECT " J ("id") ", " J ("number") ", "
    J ("child_id") ", " J ("municipality_id") ", " J ("status") ", " J ("issued_at") ", "
    J ("activated_at") ", " J ("closed_at") ", " J ("close_reason") ", ?2 WHERE true "
    "ON CONFLICT (id) DO UPDATE SET number = excluded.number, child_id = excluded.child_id, "
    "municipality_id = excluded.municipality_id, status = excluded.status, issued_at = "
    "excluded.issued_at, activated_at = excluded.activated_at, closed_at = excluded.closed_at, "
    "close_reason = excluded.close_reason, frozen_from = CASE excluded.status WHEN 'frozen' "
    "THEN coalesce (certificate.frozen_from, CASE certificate.status WHEN 'frozen' THEN NULL "
    "ELSE certificate.status END) END, version = excluded.version "
    "WHERE excluded.version > certificate.version",
    "DELETE FROM certificate WHERE id = ?1" },
  { "enrollment",
    "INSERT INTO enrollment (id, child_id, certificate_id, program_id, group_id, status, months, "
    "monthly_kopecks, created_at, version) SELECT " J ("id") ", " J ("child_id") ", "
    J ("certificate_id") ", " J ("program_id") ", " J ("group_id") ", " J ("status") ", "
    J ("months") ", coalesce (" J ("monthly_kopecks") ", 0), " J ("created_at") ", ?2 WHERE true "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status, months = excluded.months, "
    "monthly_kopecks = excluded.monthly_kopecks, version = excluded.version "
    "WHERE excluded.version > enrollment.version",
    "DELETE FROM enrollment WHERE id = ?1" },
  /* Append-only: an entry is there or not. */
  { "ledger_entry",
    "INSERT OR IGNORE INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, "
    "enrollment_id, created_at) SELECT " J ("id") ", " J ("certificate_id") ", " J ("period")
    ", " J ("kind") ", " J ("amount_kopecks") ", " J ("enrollment_id") ", " J ("created_at")
    " WHERE ?2 IS NOT NULL",
    NULL },
  /* How many numbers of a block were used is the desk's own count. */
  { "number_block",
    "INSERT INTO number_block (id, device_id, first, last, version) SELECT " J ("id") ", "
    J ("device_id") ", " J ("first") ", " J ("last") ", ?2 WHERE true ON CONFLICT (id) DO UPDATE "
    "SET device_id = excluded.device_id, first = excluded.first, last = excluded.last, version = "
    "excluded.version WHERE excluded.version > number_block.version",
    "DELETE FROM number_block WHERE id = ?1" },
};

#undef J

static const Landing *
find_landing (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (landings); i++)
    if (g_str_equal (landings[i].entity, entity))
      return &landings[i];
  return NULL;
}

typedef struct
{
  PfdoStore     *store;
  JsonNode      *root;       /* the page as it came, owned */
  JsonArray     *changes;
  char          *cursor;
  PfdoSyncStats *stats;
  GError        *error;
} Page;

static void
page_free (Page *page)
{
  json_node_unref (page->root);
  g_free (page->cursor);
  g_clear_error (&page->error);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/**
 * pfdo_sync_apply_changes:
 * @changes: a page's changes, as the feed gives them
 *
 * Applies the changes of a page to the store, inside the caller's write:
 * an upsert that is not newer than the stored row changes nothing, a
 * delete of a row the desk still refers to keeps it. A change that breaks
 * the desk's schema refuses the whole page.
 */
gboolean
pfdo_sync_apply_changes (PfdoStore      *store,
                         JsonArray      *changes,
                         PfdoSyncStats  *stats,
                         GError        **error)
{
  g_return_val_if_fail (pfdo_store_in_transaction (store), FALSE);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonObject *change = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *entity = pfdo_json_get_string (change, "entity");
      const char *id = pfdo_json_get_string (change, "id");
      const char *op = pfdo_json_get_string (change, "op");
      const Landing *landing = entity != NULL ? find_landing (entity) : NULL;
      JsonNode *data = change != NULL ? json_object_get_member (change, "data") : NULL;
      gint64 version = 0;
      sqlite3_stmt *stmt;
      int rc;

      if (id == NULL || op == NULL || !pfdo_json_get_int (change, "version", &version))
        return protocol_error (error, "a change without its id, op or version");
      /* An entity this desk does not know is a newer contract's: skip it. */
      if (landing == NULL)
        continue;

      if (g_str_equal (op, "upsert"))
        {
          g_autofree char *text = NULL;

          if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data) ||
              g_strcmp0 (pfdo_json_get_string (json_node_get_object (data), "id"), id) != 0)
            return protocol_error (error, "an upsert without its data");
          text = json_to_string (data, FALSE);
          stmt = pfdo_store_prepare (store, landing->upsert, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, version);
        }
      else if (g_str_equal (op, "delete"))
        {
          if (landing->remove == NULL)
            continue;
          stmt = pfdo_store_prepare (store, landing->remove, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
        }
      else
        return protocol_error (error, "an op that is neither upsert nor delete");

      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      /* A row the desk still refers to is kept; a row that breaks a rule of
       * the desk's schema is bad data, and the page is refused whole. */
      if (rc == SQLITE_CONSTRAINT && g_str_equal (op, "delete"))
        continue;
      if (rc != SQLITE_DONE)
        {
          pfdo_store_set_error (store, rc, error);
          g_prefix_error (error, "Change %s %s: ", entity, id);
          return FALSE;
        }
      stats->pulled++;
    }
  return TRUE;
}

static gboolean
apply_page_cb (PfdoStore *store,
               gpointer   user_data,
               GError   **error)
{
  Page *page = user_data;

  return pfdo_sync_apply_changes (store, page->changes, page->stats, error) &&
         pfdo_store_set_setting (store, "cursor", page->cursor, error);
}

static gpointer
apply_page_thread (gpointer data)
{
  Page *page = data;

  pfdo_store_write (page->store, apply_page_cb, page, &page->error);
  return NULL;
}

/* Waits for the page being written, if any; FALSE with its error when it
 * could not be. */
static gboolean
finish_page (GThread       **applying,
             Page          **page,
             PfdoSyncStats  *stats,
             GError        **error)
{
  if (*applying == NULL)
    return TRUE;
  g_thread_join (g_steal_pointer (applying));
  if ((*page)->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&(*page)->error));
      g_clear_pointer (page, page_free);
      return FALSE;
    }
  stats->pages++;
  g_clear_pointer (page, page_free);
  return TRUE;
}

/**
 * pfdo_sync_check_page:
 * @root: a page of `GET /changes`
 * @out_changes: (out) (transfer none) (optional): its changes, in @root
 * @out_cursor: (out) (transfer none) (optional): the cursor after it, in @root
 * @out_more: (out) (optional): whether more pages follow
 *
 * Whether @root is a page as the contract has it; each change is checked
 * as it is applied.
 */
gboolean
pfdo_sync_check_page (JsonNode     *root,
                      JsonArray   **out_changes,
                      const char  **out_cursor,
                      gboolean     *out_more,
                      GError      **error)
{
  JsonObject *response = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *changes = response != NULL ? json_object_get_member (response, "changes") : NULL;
  JsonNode *more = response != NULL ? json_object_get_member (response, "more") : NULL;
  const char *cursor = pfdo_json_get_string (response, "cursor");

  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) || cursor == NULL || more == NULL ||
      !JSON_NODE_HOLDS_VALUE (more) || json_node_get_value_type (more) != G_TYPE_BOOLEAN)
    return protocol_error (error, "a page without changes, cursor or more");

  if (out_changes != NULL)
    *out_changes = json_node_get_array (changes);
  if (out_cursor != NULL)
    *out_cursor = cursor;
  if (out_more != NULL)
    *out_more = json_node_get_boolean (more);
  return TRUE;
}

/* The page after @cursor, checked; a cursor too old for the server is
 * replaced by the start of the feed. */
static JsonNode *
fetch_page (Sync     *sync,
            char    **cursor,
            GError  **error)
{
  for (;;)
    {
      g_autofree char *escaped = g_uri_escape_string (*cursor != NULL ? *cursor : "0", NULL,
                                                      TRUE);
      g_autofree char *path = g_strdup_printf ("/changes?since=%s&limit=%d", escaped,
                                               PULL_LIMIT);
      g_autoptr(JsonNode) root = NULL;
      guint status = 0;

      root = call (sync, "GET", path, NULL, &status, error);
      if (root == NULL)
        return NULL;

      /* Too old a cursor: everything again from the start; the outbox
       * stays as it is. */
      if (status == 410 && g_strcmp0 (*cursor, "0") != 0)
        {
          g_free (*cursor);
          *cursor = g_strdup ("0");
          continue;
        }
      if (status != 200)
        {
          problem_error (root, status, error);
          return NULL;
        }
      if (!pfdo_sync_check_page (root, NULL, NULL, NULL, error))
        return NULL;
      return g_steal_pointer (&root);
    }
}

/* The feed a page at a time, each page and its cursor in one transaction.
 * A page is written on a thread of its own while the next one is on its
 * way, so a first pull of a region costs the longer of the two, not their
 * sum; only this thread talks to the server, only that one to the store. */
static gboolean
pull (Sync           *sync,
      PfdoSyncStats  *stats,
      GError        **error)
{
  g_autofree char *cursor = pfdo_store_dup_setting (sync->store, "cursor");
  GThread *applying = NULL;
  Page *written = NULL;
  gboolean more = TRUE;
  g_autoptr(GError) fetch_error = NULL;

  report (sync, PFDO_SYNC_PHASE_PULL, 0, 0);
  while (more)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(Page) page = NULL;
      JsonArray *changes;
      const char *next;

      if (g_cancellable_set_error_if_cancelled (sync->cancellable, &fetch_error))
        break;

      root = fetch_page (sync, &cursor, &fetch_error);
      if (root == NULL)
        break;
      pfdo_sync_check_page (root, &changes, &next, &more, NULL);
      g_free (cursor);
      cursor = g_strdup (next);

      if (!finish_page (&applying, &written, stats, error))
        return FALSE;
      report (sync, PFDO_SYNC_PHASE_PULL, stats->pulled, 0);

      page = g_new0 (Page, 1);
      page->store = sync->store;
      page->changes = changes;
      page->root = g_steal_pointer (&root);
      page->cursor = g_strdup (next);
      page->stats = stats;
      written = g_steal_pointer (&page);
      applying = g_thread_new ("pfdo-pull", apply_page_thread, written);
    }

  /* What was fetched before a failure is still written: it is whole. */
  if (!finish_page (&applying, &written, stats, error))
    return FALSE;
  if (fetch_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&fetch_error));
      return FALSE;
    }
  report (sync, PFDO_SYNC_PHASE_PULL, stats->pulled, 0);
  return TRUE;
}

/* Numbers for the days offline, for @device_id that has @left unused: a new
 * block reaches the store through the feed, with the rest of the pull. */
static gboolean
lease_block (Sync        *sync,
             const char  *device_id,
             gint64       left,
             GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status = 0;

  if (left >= (sync->options.min_numbers > 0 ? sync->options.min_numbers : NUMBERS_LOW))
    return TRUE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_id);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, MAX (BLOCK_SIZE, sync->options.min_numbers * 4));
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);
  root = call (sync, "POST", "/number-blocks", body, &status, error);
  if (root == NULL)
    return FALSE;
  if (status != 201)
    return problem_error (root, status, error);
  return TRUE;
}

static gboolean
lease_numbers (Sync     *sync,
               GError  **error)
{
  gint64 left = pfdo_store_query_int (sync->store,
                                      "SELECT coalesce (sum (CAST (last AS INTEGER) - "
                                      "CAST (first AS INTEGER) + 1 - used), 0) FROM number_block "
                                      "WHERE device_id = ?",
                                      pfdo_store_get_device_id (sync->store), error);

  return left >= 0 && lease_block (sync, pfdo_store_get_device_id (sync->store), left, error);
}

/* The audit log's head, after the push that its records went with. */
static gboolean
anchor_audit (Sync     *sync,
              GError  **error)
{
  g_autofree char *body = pfdo_audit_anchor_dup_body (sync->store, error);
  g_autoptr(JsonNode) root = NULL;
  guint status = 0;

  if (body == NULL)
    return FALSE;
  root = call (sync, "POST", "/audit-anchors", body, &status, error);
  return root != NULL && pfdo_audit_anchor_answer (status, root, error);
}

/* The signed-in operator, once the municipality is in the store. */
static gboolean
keep_operator_cb (PfdoStore *store,
                  gpointer   user_data,
                  GError   **error)
{
  Sync *sync = user_data;
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "INSERT INTO operator (id, login, full_name, role, "
                                           "municipality_id, office_id, created_at) "
                                           "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO "
                                           "UPDATE SET login = excluded.login, full_name = "
                                           "excluded.full_name, role = excluded.role, "
                                           "municipality_id = excluded.municipality_id, "
                                           "office_id = excluded.office_id, is_active = 1",
                                           error);
  const char *municipality_id = pfdo_json_get_string (sync->operator, "municipality_id");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, pfdo_json_get_string (sync->operator, "id"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pfdo_json_get_string (sync->operator, "login"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, pfdo_json_get_string (sync->operator, "full_name"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, pfdo_json_get_string (sync->operator, "role"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, pfdo_json_get_string (sync->operator, "office_id"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error) &&
         pfdo_store_set_setting (store, "municipality_id", municipality_id, error) &&
         (sync->region == NULL || *sync->region == '\0' ||
          pfdo_store_set_setting (store, "region", sync->region, error));
}

gboolean
pfdo_sync_run (PfdoStore      *store,
               const char     *base_uri,
               const char     *login,
               const char     *password,
               PfdoSyncStats  *out_stats,
               GCancellable   *cancellable,
               GError        **error)
{
  return pfdo_sync_run_full (store, base_uri, login, password, NULL, out_stats, cancellable,
                             error);
}

static gboolean
run (Sync           *sync,
     PfdoSyncStats  *stats,
     GError        **error)
{
  g_autoptr(GError) diverged = NULL;

  /* A kept session needs no sign-in; the operator was kept at the one
   * that began it. */
  if (!(sync->token != NULL || sign_in (sync, error)) || !push (sync, stats, error))
    return FALSE;
  learn_region (sync);
  /* A rewritten log is for the administrator to answer; the clerk's work
   * still goes and comes, and the sync ends with the error. */
  if (!anchor_audit (sync, &diverged) &&
      !g_error_matches (diverged, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED))
    {
      g_propagate_error (error, g_steal_pointer (&diverged));
      return FALSE;
    }
  if (!lease_numbers (sync, error) || !pull (sync, stats, error) ||
      (sync->operator != NULL && !pfdo_store_write (sync->store, keep_operator_cb, sync, error)))
    return FALSE;
  if (diverged != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&diverged));
      return FALSE;
    }
  return TRUE;
}

/* A session with the server at @base_uri as @login, not yet signed in:
 * the same for a sync and for a relayed bundle. */
static gboolean
sync_init (Sync                  *sync,
           PfdoStore             *store,
           const char            *base_uri,
           const char            *login,
           const char            *password,
           const PfdoSyncOptions *options,
           GCancellable          *cancellable,
           GError               **error)
{
  g_autofree char *user_agent = g_strdup_printf ("pfdo-desk/%s", PACKAGE_VERSION);

  if (options != NULL)
    sync->options = *options;
  if (!pfdo_transport_check_address (base_uri, sync->options.allow_plain_http, error))
    return FALSE;
  sync->store = store;
  sync->cancellable = cancellable;
  sync->login = g_strdup (login);
  sync->password = g_strdup (password);
  sync->token = g_strdup (sync->options.token);
  sync->base = g_strdup (base_uri);
  if (g_str_has_suffix (sync->base, "/"))
    sync->base[strlen (sync->base) - 1] = '\0';
  sync->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", sync->options.timeout_s > 0 ?
                                                            sync->options.timeout_s : TIMEOUT_S,
                                                 "idle-timeout", 60, NULL);
  return pfdo_transport_secure_session (sync->session, sync->options.ca_file, error);
}

gboolean
pfdo_sync_run_full (PfdoStore             *store,
                    const char            *base_uri,
                    const char            *login,
                    const char            *password,
                    const PfdoSyncOptions *options,
                    PfdoSyncStats         *out_stats,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_auto(Sync) sync = { 0 };
  PfdoSyncStats stats = { 0 };
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (base_uri != NULL && login != NULL, FALSE);
  g_return_val_if_fail (password != NULL || (options != NULL && options->token != NULL), FALSE);

  if (!sync_init (&sync, store, base_uri, login, password, options, cancellable, error))
    return FALSE;
  ok = run (&sync, &stats, error);
  report (&sync, PFDO_SYNC_PHASE_IDLE, 0, 0);
  if (out_stats != NULL)
    *out_stats = stats;
  return ok;
}

/**
 * pfdo_sync_check_operation:
 * @operation: an operation as an outbox holds it
 *
 * Whether @operation has what the contract needs to send it: a string
 * op_id, type and time, an object payload, and a string operator_id if
 * any.
 */
gboolean
pfdo_sync_check_operation (JsonNode *operation)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (operation) ? json_node_get_object (operation)
                                                           : NULL;
  JsonNode *operator_id = object != NULL ? json_object_get_member (object, "operator_id") : NULL;

  return pfdo_json_get_string (object, "op_id") != NULL &&
         pfdo_json_get_string (object, "type") != NULL &&
         pfdo_json_get_string (object, "at") != NULL &&
         pfdo_json_get_object (object, "payload") != NULL &&
         (operator_id == NULL || JSON_NODE_HOLDS_NULL (operator_id) ||
          pfdo_json_get_string (object, "operator_id") != NULL);
}

/* One operation of an offline desk as the contract sends it for its origin. */
static void
add_relayed (JsonBuilder   *builder,
             JsonObject    *operation,
             const char    *device_id,
             const char    *operator_id)
{
  const char *origin = pfdo_json_get_string (operation, "operator_id");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op_id");
  json_builder_add_string_value (builder, pfdo_json_get_string (operation, "op_id"));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, pfdo_json_get_string (operation, "type"));
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, pfdo_json_get_string (operation, "at"));
  json_builder_set_member_name (builder, "payload");
  json_builder_add_value (builder, json_node_copy (json_object_get_member (operation, "payload")));
  json_builder_set_member_name (builder, "origin");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operator_id");
  json_builder_add_string_value (builder, origin != NULL ? origin : operator_id);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* The offline desk's operations, in batches, each answer handed on. */
static gboolean
relay_operations (Sync                *sync,
                  const PfdoSyncRelay *relay,
                  PfdoSyncStats       *stats,
                  GError             **error)
{
  guint total = relay->operations != NULL ? json_array_get_length (relay->operations) : 0;

  report (sync, PFDO_SYNC_PHASE_PUSH, 0, total);
  for (guint first = 0; first < total; first += PUSH_BATCH)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(GPtrArray) op_ids = g_ptr_array_new ();
      g_autoptr(JsonNode) request = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = NULL;
      JsonArray *results;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "operations");
      json_builder_begin_array (builder);
      for (guint i = first; i < MIN (total, first + PUSH_BATCH); i++)
        {
          JsonObject *operation = json_array_get_object_element (relay->operations, i);

          g_ptr_array_add (op_ids, (gpointer) pfdo_json_get_string (operation, "op_id"));
          add_relayed (builder, operation, relay->device_id, relay->operator_id);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      request = json_builder_get_root (builder);
      body = json_to_string (request, FALSE);

      root = send_batch (sync, body, op_ids, error);
      if (root == NULL)
        return FALSE;
      pfdo_sync_check_results (root, op_ids, &results, NULL);
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          const char *status = pfdo_json_get_string (json_array_get_object_element (results, i),
                                                     "status");

          if (g_str_equal (status, "applied"))
            stats->applied++;
          else if (g_str_equal (status, "duplicate"))
            stats->duplicates++;
          else
            stats->rejected++;
        }
      if (!relay->results (root, relay->data, error))
        return FALSE;
      stats->pushed += op_ids->len;
      report (sync, PFDO_SYNC_PHASE_PUSH, stats->pushed, total);
    }
  return TRUE;
}

/* The feed since the offline desk's cursor, each page handed on; nothing
 * of it touches this desk's store or cursor. */
static gboolean
relay_changes (Sync                 *sync,
               const PfdoSyncRelay  *relay,
               PfdoSyncStats        *stats,
               char                **out_cursor,
               GError              **error)
{
  g_autofree char *cursor = g_strdup (relay->since);
  gboolean more = TRUE;

  report (sync, PFDO_SYNC_PHASE_PULL, 0, 0);
  while (more)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonArray *changes;
      const char *next;

      if (g_cancellable_set_error_if_cancelled (sync->cancellable, error))
        return FALSE;
      root = fetch_page (sync, &cursor, error);
      if (root == NULL)
        return FALSE;
      pfdo_sync_check_page (root, &changes, &next, &more, NULL);
      if (!relay->page (root, relay->data, error))
        return FALSE;
      g_free (cursor);
      cursor = g_strdup (next);
      stats->pulled += json_array_get_length (changes);
      stats->pages++;
      report (sync, PFDO_SYNC_PHASE_PULL, stats->pulled, 0);
    }
  *out_cursor = g_steal_pointer (&cursor);
  return TRUE;
}

/**
 * pfdo_sync_relay:
 * @store: the connected desk's store; nothing is written to it
 * @relay: what the offline desk sent, and where the answers go
 * @out_cursor: (out) (transfer full): the cursor after the last page
 *
 * Syncs for an offline desk whose work came on a sync bundle: signs in as
 * @login, speaking for the offline desk's device, so that the feed is
 * scoped as that desk's own (its number blocks, not this desk's); pushes
 * its operations with their own op_ids and their origin; leases numbers
 * for it if it is short of them; and pulls the changes since its cursor.
 * The answers and the pages go to @relay's callbacks as they come.
 * Blocking: run it in a worker thread.
 */
gboolean
pfdo_sync_relay (PfdoStore             *store,
                 const char            *base_uri,
                 const char            *login,
                 const char            *password,
                 const PfdoSyncOptions *options,
                 const PfdoSyncRelay   *relay,
                 char                 **out_cursor,
                 PfdoSyncStats         *out_stats,
                 GCancellable          *cancellable,
                 GError               **error)
{
  g_auto(Sync) sync = { 0 };
  PfdoSyncStats stats = { 0 };
  PfdoSyncOptions relay_options = { 0 };
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (base_uri != NULL && login != NULL && password != NULL, FALSE);
  g_return_val_if_fail (relay != NULL && relay->device_id != NULL, FALSE);
  g_return_val_if_fail (relay->results != NULL && relay->page != NULL, FALSE);
  g_return_val_if_fail (out_cursor != NULL, FALSE);
  for (guint i = 0; relay->operations != NULL && i < json_array_get_length (relay->operations); i++)
    g_return_val_if_fail (pfdo_sync_check_operation (json_array_get_element (relay->operations,
                                                                             i)), FALSE);

  /* A session kept for this desk speaks for this desk's device: the relay
   * signs in for the other one, and its session is kept nowhere. */
  if (options != NULL)
    relay_options = *options;
  relay_options.token = NULL;
  relay_options.token_func = NULL;
  if (!sync_init (&sync, store, base_uri, login, password, &relay_options, cancellable, error))
    return FALSE;
  sync.device_id = g_strdup (relay->device_id);

  ok = sign_in (&sync, error);
  if (ok)
    learn_region (&sync);
  ok = ok &&
       (relay->signed_in == NULL ||
        relay->signed_in (sync.operator, sync.region != NULL && *sync.region != '\0' ?
                          sync.region : NULL, relay->data, error)) &&
       relay_operations (&sync, relay, &stats, error) &&
       (relay->numbers_left < 0 ||
        lease_block (&sync, relay->device_id, relay->numbers_left, error)) &&
       relay_changes (&sync, relay, &stats, out_cursor, error);
  report (&sync, PFDO_SYNC_PHASE_IDLE, 0, 0);
  if (out_stats != NULL)
    *out_stats = stats;
  return ok;
}
