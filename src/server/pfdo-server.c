/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "pfdo-error.h"
#include "pfdo-json.h"
#include "pfdo-server-feed.h"
#include "pfdo-server-ops.h"
#include "pfdo-server.h"
#include "pfdo-text.h"

/*
 * The reference regional server: the contract of REGIONAL_API.md over a
 * SoupServer, on its own store. Bad input of any shape is answered with
 * the contract's problem+json and a stable code, never with a 5xx.
 */

struct _PfdoServer
{
  GObject     parent_instance;

  PfdoStore  *store;
  SoupServer *soup;
  GHashTable *failures;   /* login → Failures */
  gint64      token_ttl;
  gboolean    tls;        /* listens for https:// with its own certificate */
  /* Fault injection for the sync tests (PFDO_REGIOND_FAULT_RATE, percent):
   * a 500 before a request is handled, or an answer lost after it was. */
  guint       fault_rate;
  GRand      *faults;
  /* PFDO_REGIOND_LOSE_ANSWERS: the first so many pushes are applied and
   * their answers lost, the fault a desk must survive without doubling. */
  guint       lose_answers;
  /* PFDO_REGIOND_DELAY_MS: every request waits up to so long before it is
   * handled, a slow server; PFDO_REGIOND_DUPLICATE_RATE (percent): a
   * request is handled twice, as a retransmitting proxy would send it. */
  guint       delay_ms;
  guint       duplicate_rate;
};

G_DEFINE_FINAL_TYPE (PfdoServer, pfdo_server, G_TYPE_OBJECT)

/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef struct
{
  guint  count;
  gint64 first;     /* monotonic seconds of the first failure in the window */
} Failures;

/* The server's own bookkeeping next to the contract's entities. */
static const char server_schema[] =
  "CREATE TABLE IF NOT EXISTS audit_anchor ("
  "  device_id   TEXT NOT NULL,"
  "  count       INTEGER NOT NULL,"
  "  head        TEXT NOT NULL,"
  "  operator_id TEXT NOT NULL,"
  "  received_at TEXT NOT NULL,"
  "  PRIMARY KEY (device_id, count)"
  ");"
  "CREATE TABLE IF NOT EXISTS server_session ("
  "  token_hash  TEXT PRIMARY KEY NOT NULL,"
  "  operator_id TEXT NOT NULL REFERENCES operator (id),"
  "  device_id   TEXT,"
  "  device_name TEXT,"
  "  created_at  TEXT NOT NULL,"
  "  expires_at  INTEGER NOT NULL"
  ");";

static void
pfdo_server_finalize (GObject *object)
{
  PfdoServer *self = PFDO_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->faults, g_rand_free);

  G_OBJECT_CLASS (pfdo_server_parent_class)->finalize (object);
}

static void
pfdo_server_class_init (PfdoServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pfdo_server_finalize;
}

static void
pfdo_server_init (PfdoServer *self)
{
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->token_ttl = 8 * 3600;
}

/* Responses. */

static void
respond_node (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  /* set_response appends: a request handled twice answers once. */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
respond_builder (SoupServerMessage *msg,
                 guint              status,
                 JsonBuilder       *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  respond_node (msg, status, "application/json", node);
}

/* The contract's error: a stable code for programs, a detail for people. */
static void
respond_problem (SoupServerMessage *msg,
                 guint              status,
                 const char        *code,
                 const char        *detail,
                 const char        *field)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "about:blank");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, status == STATUS_TOO_MANY_REQUESTS
                                             ? "Too Many Requests"
                                             : soup_status_get_phrase (status));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  if (field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  respond_node (msg, status, "application/problem+json", node);
}

/* Requests. */

/* The body as a JSON object, or a 400/413 answered already. */
static JsonObject *
read_object (SoupServerMessage  *msg,
             JsonParser        **out_parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  gsize length;
  const char *data;

  if (body->length > PFDO_SERVER_MAX_BODY)
    {
      respond_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                       "The request body is larger than 8 MiB.", NULL);
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &length);
  parser = json_parser_new_immutable ();
  if (length == 0 || !g_utf8_validate (data, (gssize) length, NULL) ||
      !pfdo_json_load (parser, data, length, &error))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "The request body is not valid JSON.", NULL);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "The request body must be a JSON object.", NULL);
      return NULL;
    }

  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

/* A member that must be a non-empty string; NULL when it is not. */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  const char *value = pfdo_json_get_string (object, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static void
handle_health (PfdoServer        *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *region = pfdo_store_dup_setting (self->store, "region");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "api");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, region != NULL ? region : "26");
  json_builder_end_object (builder);
  respond_builder (msg, SOUP_STATUS_OK, builder);
}

typedef struct
{
  char *id;
  char *login;
  char *full_name;
  char *role;
  char *municipality_id;
  char *office_id;
  char *password_hash;
} Operator;

static void
operator_clear (Operator *op)
{
  g_free (op->id);
  g_free (op->login);
  g_free (op->full_name);
  g_free (op->role);
  g_free (op->municipality_id);
  g_free (op->office_id);
  if (op->password_hash != NULL)
    sodium_memzero (op->password_hash, strlen (op->password_hash));
  g_free (op->password_hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Operator, operator_clear)

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
load_operator (PfdoStore  *store,
               const char *login,
               Operator   *out)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "SELECT id, login, full_name, role, municipality_id, "
                                           "office_id, password_hash FROM operator "
                                           "WHERE login = ? AND is_active = 1",
                                           NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->id = column_dup (stmt, 0);
      out->login = column_dup (stmt, 1);
      out->full_name = column_dup (stmt, 2);
      out->role = column_dup (stmt, 3);
      out->municipality_id = column_dup (stmt, 4);
      out->office_id = column_dup (stmt, 5);
      out->password_hash = column_dup (stmt, 6);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return found;
}

static gboolean
throttled (PfdoServer *self,
           const char *login)
{
  Failures *f = g_hash_table_lookup (self->failures, login);
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

  if (f == NULL)
    return FALSE;
  if (now - f->first >= PFDO_SERVER_THROTTLE_S)
    {
      g_hash_table_remove (self->failures, login);
      return FALSE;
    }
  return f->count >= PFDO_SERVER_MAX_FAILURES;
}

static void
count_failure (PfdoServer *self,
               const char *login)
{
  Failures *f = g_hash_table_lookup (self->failures, login);

  if (f == NULL)
    {
      f = g_new0 (Failures, 1);
      f->first = g_get_monotonic_time () / G_USEC_PER_SEC;
      g_hash_table_insert (self->failures, g_strdup (login), f);
    }
  f->count++;
}

typedef struct
{
  const char *token_hash;
  const char *operator_id;
  const char *device_id;
  const char *device_name;
  gint64      expires_at;
} SessionRow;

static gboolean
insert_session_cb (PfdoStore *store,
                   gpointer   user_data,
                   GError   **error)
{
  SessionRow *row = user_data;
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "INSERT INTO server_session (token_hash, operator_id, "
                                           "device_id, device_name, created_at, expires_at) "
                                           "VALUES (?, ?, ?, ?, ?, ?)",
                                           error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, row->operator_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, row->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, row->device_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, row->expires_at);
  return pfdo_store_step_done (store, stmt, error) &&
         pfdo_store_exec (store, "DELETE FROM server_session WHERE expires_at < unixepoch ()",
                          error);
}

static void
handle_session (PfdoServer        *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_auto(Operator) op = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *token_hash = NULL;
  JsonObject *request = read_object (msg, &parser);
  JsonNode *device_node;
  JsonObject *device = NULL;
  const char *login, *password;
  guchar raw[32];
  char token[sizeof raw * 2 + 1];
  SessionRow row = { 0 };

  if (request == NULL)
    return;

  login = string_member (request, "login");
  password = string_member (request, "password");
  if (login == NULL || password == NULL)
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "Both login and password are required strings.",
                       login == NULL ? "login" : "password");
      return;
    }
  device_node = json_object_get_member (request, "device");
  if (device_node != NULL && JSON_NODE_HOLDS_OBJECT (device_node))
    device = json_node_get_object (device_node);
  else if (device_node != NULL && !JSON_NODE_HOLDS_NULL (device_node))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", "device must be an object.",
                       "device");
      return;
    }

  if (throttled (self, login))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", G_STRINGIFY (PFDO_SERVER_THROTTLE_S));
      respond_problem (msg, STATUS_TOO_MANY_REQUESTS, "too_many_attempts",
                       "Too many failed sign-ins for this login; try again later.", NULL);
      return;
    }

  if (!load_operator (self->store, login, &op) || op.password_hash == NULL ||
      crypto_pwhash_str_verify (op.password_hash, password, strlen (password)) != 0)
    {
      count_failure (self, login);
      respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                       "The login or the password is wrong.", NULL);
      return;
    }
  g_hash_table_remove (self->failures, login);

  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (token, sizeof token, raw, sizeof raw);
  token_hash = hash_token (token);
  expires = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC +
                                           self->token_ttl);
  expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");

  row.token_hash = token_hash;
  row.operator_id = op.id;
  row.device_id = device != NULL ? string_member (device, "id") : NULL;
  row.device_name = device != NULL ? string_member (device, "name") : NULL;
  row.expires_at = g_date_time_to_unix (expires);
  if (!pfdo_store_write (self->store, insert_session_cb, &row, &error))
    {
      g_warning ("Could not record a session: %s", error->message);
      respond_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                       "The server could not record the session; try again.", NULL);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_text);
  json_builder_set_member_name (builder, "operator");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, op.id);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, op.login);
  json_builder_set_member_name (builder, "full_name");
  json_builder_add_string_value (builder, op.full_name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, op.role);
  json_builder_set_member_name (builder, "municipality_id");
  json_builder_add_string_value (builder, op.municipality_id);
  json_builder_set_member_name (builder, "office_id");
  if (op.office_id != NULL)
    json_builder_add_string_value (builder, op.office_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  sodium_memzero (raw, sizeof raw);
  sodium_memzero (token, sizeof token);
  respond_builder (msg, SOUP_STATUS_OK, builder);
}

typedef struct
{
  char *operator_id;
  char *device_id;
  char *role;
  char *municipality_id;
  char *office_id;
} Caller;

static void
caller_clear (Caller *caller)
{
  g_free (caller->operator_id);
  g_free (caller->device_id);
  g_free (caller->role);
  g_free (caller->municipality_id);
  g_free (caller->office_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Caller, caller_clear)

/* Who is calling, by the bearer token; a 401 is answered otherwise. */
static gboolean
authenticate (PfdoServer        *self,
              SoupServerMessage *msg,
              Caller            *out)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree char *token_hash = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    {
      token_hash = hash_token (header + 7);
      stmt = pfdo_store_prepare (self->store,
                                 "SELECT s.operator_id, s.device_id, o.role, o.municipality_id, "
                                 "o.office_id FROM server_session s JOIN operator o "
                                 "ON o.id = s.operator_id WHERE s.token_hash = ? "
                                 "AND s.expires_at > unixepoch () AND o.is_active = 1",
                                 NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              out->operator_id = column_dup (stmt, 0);
              out->device_id = column_dup (stmt, 1);
              out->role = column_dup (stmt, 2);
              out->municipality_id = column_dup (stmt, 3);
              out->office_id = column_dup (stmt, 4);
              found = TRUE;
            }
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
        }
    }

  if (!found)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                       "Sign in again: the token is missing, wrong or expired.", NULL);
    }
  return found;
}

/* The caller and the body of a request that needs both; NULL when one
 * of them was refused and answered already. */
static JsonObject *
read_request (PfdoServer         *self,
              SoupServerMessage  *msg,
              Caller             *out_caller,
              JsonParser        **out_parser)
{
  if (!authenticate (self, msg, out_caller))
    return NULL;
  return read_object (msg, out_parser);
}

static gboolean
query_number (GHashTable *query,
              const char *name,
              guint64     min,
              guint64     max,
              guint64    *value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (text == NULL)
    return TRUE;
  return g_ascii_string_to_unsigned (text, 10, min, max, value, NULL);
}

/* A cursor is "SEQ" or "SEQ.EPOCH": the epoch grows each time pruning
 * drops deletes, so a cursor tells whether it was handed out before. */
static gboolean
parse_cursor (GHashTable *query,
              guint64    *seq,
              guint64    *epoch)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  g_auto(GStrv) parts = NULL;

  *seq = 0;
  *epoch = 0;
  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ".", 3);
  return g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXINT64, seq, NULL) &&
         (parts[1] == NULL ||
          (parts[2] == NULL &&
           g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, epoch, NULL)));
}

static void
handle_changes (PfdoServer        *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_auto(Caller) caller = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  g_autofree char *floor_text = NULL;
  g_autofree char *epoch_text = NULL;
  guint64 since = 0, cursor_epoch = 0, limit = 500;
  gsize length;

  if (!authenticate (self, msg, &caller))
    return;

  if (!parse_cursor (query, &since, &cursor_epoch) ||
      !query_number (query, "limit", 1, 1000, &limit))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "since is a cursor from an earlier page; limit is 1 to 1000.",
                       query != NULL && g_hash_table_contains (query, "limit") ? "limit" : "since");
      return;
    }

  /* A cursor handed out before deletes it had not reached were pruned: the
   * desk must start over. From the start (0) is always served. */
  floor_text = pfdo_store_dup_setting (self->store, "changes_floor");
  epoch_text = pfdo_store_dup_setting (self->store, "changes_epoch");
  if (floor_text != NULL && since > 0 && since < g_ascii_strtoull (floor_text, NULL, 10) &&
      cursor_epoch < (epoch_text != NULL ? g_ascii_strtoull (epoch_text, NULL, 10) : 0))
    {
      respond_problem (msg, SOUP_STATUS_GONE, "cursor_expired",
                       "The cursor is older than the changes kept: pull again from the start.",
                       NULL);
      return;
    }

  page = pfdo_server_feed_page (self->store, (gint64) since, (guint) limit,
                                caller.municipality_id, caller.device_id, &error);
  if (page == NULL)
    {
      g_warning ("Could not read the changes: %s", error->message);
      respond_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                       "The server could not read the changes; try again.", NULL);
      return;
    }

  length = strlen (page);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&page), length);
}

typedef struct
{
  const char *device_id;
  gint64      size;
  char       *id;
  char       *first;
  char       *last;
} Lease;

/* Blocks never overlap each other nor any number already issued. */
static gboolean
lease_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  Lease *lease = user_data;
  g_autofree char *now = pfdo_now_utc ();
  gint64 next = pfdo_store_query_int (store,
                                      "SELECT max (2600000000, "
                                      "coalesce ((SELECT max (CAST (last AS INTEGER)) "
                                      "FROM number_block), 0), "
                                      "coalesce ((SELECT max (CAST (number AS INTEGER)) "
                                      "FROM certificate), 0)) + 1",
                                      NULL, error);
  sqlite3_stmt *stmt;

  if (next <= 0)
    return FALSE;
  if (next + lease->size - 1 > 9999999999)
    {
      g_set_error_literal (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT,
                           "The region has no certificate numbers left.");
      return FALSE;
    }

  lease->id = pfdo_uuid_new ();
  lease->first = g_strdup_printf ("%010lld", (long long) next);
  lease->last = g_strdup_printf ("%010lld", (long long) (next + lease->size - 1));
  stmt = pfdo_store_prepare (store,
                             "INSERT INTO number_block (id, device_id, first, last, leased_at) "
                             "VALUES (?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lease->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lease->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lease->first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, lease->last, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

static void
handle_number_blocks (PfdoServer        *self,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  g_auto(Caller) caller = { 0 };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *request;
  Lease lease = { 0 };

  request = read_request (self, msg, &caller, &parser);
  if (request == NULL)
    return;

  lease.device_id = string_member (request, "device_id");
  if (lease.device_id == NULL || !pfdo_json_get_int (request, "size", &lease.size))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "device_id is a string and size an integer.",
                       lease.device_id == NULL ? "device_id" : "size");
      return;
    }
  if (lease.size < 1 || lease.size > 1000)
    {
      respond_problem (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_field",
                       "A block holds 1 to 1000 numbers.", "size");
      return;
    }

  if (!pfdo_store_write (self->store, lease_cb, &lease, &error))
    {
      if (g_error_matches (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT))
        respond_problem (msg, SOUP_STATUS_CONFLICT, "no_numbers_left", error->message, NULL);
      else
        {
          g_warning ("Could not lease a number block: %s", error->message);
          respond_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                           "The server could not lease a block; try again.", NULL);
        }
      g_free (lease.id);
      g_free (lease.first);
      g_free (lease.last);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, lease.id);
  json_builder_set_member_name (builder, "first");
  json_builder_add_string_value (builder, lease.first);
  json_builder_set_member_name (builder, "last");
  json_builder_add_string_value (builder, lease.last);
  json_builder_end_object (builder);
  g_free (lease.id);
  g_free (lease.first);
  g_free (lease.last);
  respond_builder (msg, SOUP_STATUS_CREATED, builder);
}

typedef struct
{
  const Caller *caller;
  JsonArray    *list;
  JsonBuilder  *builder;
} Batch;

static gboolean
apply_batch_cb (PfdoStore *store,
                gpointer   user_data,
                GError   **error)
{
  Batch *batch = user_data;

  for (guint i = 0; i < json_array_get_length (batch->list); i++)
    if (!pfdo_server_ops_apply (store, batch->caller->operator_id, batch->caller->device_id,
                                json_array_get_element (batch->list, i), batch->builder))
      {
        g_set_error_literal (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                             "an operation could not be applied or recorded");
        return FALSE;
      }
  return TRUE;
}

static void
handle_operations (PfdoServer        *self,
                   SoupServerMessage *msg,
                   GHashTable        *query)
{
  g_auto(Caller) caller = { 0 };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *request;
  JsonNode *list_node;
  JsonArray *list;
  Batch batch = { 0 };
  guint n;

  request = read_request (self, msg, &caller, &parser);
  if (request == NULL)
    return;

  list_node = json_object_get_member (request, "operations");
  if (list_node == NULL || !JSON_NODE_HOLDS_ARRAY (list_node))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "operations must be an array.", "operations");
      return;
    }
  list = json_node_get_array (list_node);
  n = json_array_get_length (list);
  if (n < 1 || n > 500)
    {
      respond_problem (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_field",
                       "A batch holds 1 to 500 operations.", "operations");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  batch.caller = &caller;
  batch.list = list;
  batch.builder = builder;
  /* The whole batch is one transaction, each operation a savepoint in it:
   * one commit to disk per batch, and a failure of the store leaves
   * nothing of the batch behind for the desk to send again. */
  if (!pfdo_store_write (self->store, apply_batch_cb, &batch, &error))
    {
      g_warning ("Could not apply a batch: %s", error->message);
      respond_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                       "The server could not apply the operations now; send them again.",
                       NULL);
      return;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  respond_builder (msg, SOUP_STATUS_OK, builder);
}

typedef struct
{
  const char *device_id;
  gint64      count;
  const char *head;
  const char *operator_id;
  gboolean    diverged;
} Anchor;

/* The desk's audit log only grows: a shorter chain than one seen before,
 * or the same length with another head, means it was rewritten. */
static gboolean
anchor_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  Anchor *anchor = user_data;
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "SELECT count(*) FROM audit_anchor WHERE device_id = ?1 "
                                           "AND (count > ?2 OR (count = ?2 AND head <> ?3))",
                                           error);
  gint64 conflicts = -1;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, anchor->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, anchor->count);
  sqlite3_bind_text (stmt, 3, anchor->head, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    conflicts = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (conflicts < 0)
    {
      g_set_error_literal (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                           "Could not read the anchors");
      return FALSE;
    }
  if (conflicts > 0)
    {
      anchor->diverged = TRUE;
      return TRUE;
    }

  stmt = pfdo_store_prepare (store,
                             "INSERT OR IGNORE INTO audit_anchor (device_id, count, head, "
                             "operator_id, received_at) VALUES (?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, anchor->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, anchor->count);
  sqlite3_bind_text (stmt, 3, anchor->head, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, anchor->operator_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

static void
handle_audit_anchors (PfdoServer        *self,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  g_auto(Caller) caller = { 0 };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *request;
  Anchor anchor = { 0 };

  request = read_request (self, msg, &caller, &parser);
  if (request == NULL)
    return;

  anchor.device_id = string_member (request, "device_id");
  anchor.head = string_member (request, "head");
  anchor.operator_id = caller.operator_id;
  if (anchor.device_id == NULL || anchor.head == NULL ||
      !pfdo_json_get_int (request, "count", &anchor.count))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "device_id and head are strings, count an integer.", NULL);
      return;
    }
  if (anchor.count < 0 || strlen (anchor.head) != 64 ||
      strspn (anchor.head, "0123456789abcdef") != 64)
    {
      respond_problem (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_field",
                       "count is at least 0 and head a SHA-256 in lower-case hex.",
                       anchor.count < 0 ? "count" : "head");
      return;
    }

  if (!pfdo_store_write (self->store, anchor_cb, &anchor, &error))
    {
      g_warning ("Could not record an audit anchor: %s", error->message);
      respond_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                       "The server could not record the anchor; try again.", NULL);
      return;
    }
  if (anchor.diverged)
    {
      respond_problem (msg, SOUP_STATUS_CONFLICT, "audit_chain_diverged",
                       "This desk's audit log no longer continues what it sent before.", NULL);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, anchor.device_id);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, anchor.count);
  json_builder_end_object (builder);
  respond_builder (msg, SOUP_STATUS_CREATED, builder);
}

typedef void (*Handler) (PfdoServer *self, SoupServerMessage *msg, GHashTable *query);

static const struct
{
  const char *path;
  const char *method;
  Handler     handler;
} routes[] = {
  { "/api/v1/health", "GET", handle_health },
  { "/api/v1/session", "POST", handle_session },
  { "/api/v1/changes", "GET", handle_changes },
  { "/api/v1/number-blocks", "POST", handle_number_blocks },
  { "/api/v1/operations", "POST", handle_operations },
  { "/api/v1/audit-anchors", "POST", handle_audit_anchors },
};

static void
dispatch (PfdoServer        *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean path_known = FALSE;

  if (self->faults != NULL && (guint) g_rand_int_range (self->faults, 0, 200) < self->fault_rate)
    {
      respond_problem (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "injected_fault",
                       "A fault injected for a test.", NULL);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!g_str_equal (path, routes[i].path))
        continue;
      path_known = TRUE;
      if (g_str_equal (method, routes[i].method))
        {
          if (self->duplicate_rate > 0 &&
              (guint) g_rand_int_range (self->faults, 0, 100) < self->duplicate_rate)
            routes[i].handler (self, msg, query);
          routes[i].handler (self, msg, query);
          /* The work is committed; the answer never arrives. */
          if ((self->lose_answers > 0 && routes[i].handler == handle_operations &&
               self->lose_answers-- > 0) ||
              (self->faults != NULL &&
               (guint) g_rand_int_range (self->faults, 0, 200) < self->fault_rate))
            {
              g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

              g_io_stream_close (stream, NULL, NULL);
            }
          return;
        }
    }

  if (path_known)
    respond_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                     "This method is not served at this address.", NULL);
  else
    respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing at this address.",
                     NULL);
}

typedef struct
{
  PfdoServer        *self;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  gboolean           gone;    /* the client hung up while it waited */
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  g_object_unref (delayed->self);
  g_object_unref (delayed->msg);
  g_free (delayed->path);
  g_clear_pointer (&delayed->query, g_hash_table_unref);
  g_free (delayed);
}

static void
delayed_gone_cb (SoupServerMessage *msg,
                 Delayed           *delayed)
{
  delayed->gone = TRUE;
}

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  g_signal_handlers_disconnect_by_func (delayed->msg, delayed_gone_cb, delayed);
  /* A slow server still does the work of a request whose client gave up. */
  dispatch (delayed->self, delayed->msg, delayed->path, delayed->query);
  if (!delayed->gone)
    soup_server_message_unpause (delayed->msg);
  return G_SOURCE_REMOVE;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  PfdoServer *self = user_data;
  Delayed *delayed;

  if (self->delay_ms == 0)
    {
      dispatch (self, msg, path, query);
      return;
    }

  delayed = g_new0 (Delayed, 1);
  delayed->self = g_object_ref (self);
  delayed->msg = g_object_ref (msg);
  delayed->path = g_strdup (path);
  delayed->query = query != NULL ? g_hash_table_ref (query) : NULL;
  g_signal_connect (msg, "disconnected", G_CALLBACK (delayed_gone_cb), delayed);
  soup_server_message_pause (msg);
  g_timeout_add_full (G_PRIORITY_DEFAULT,
                      (guint) g_rand_int_range (self->faults, 0, (gint32) self->delay_ms + 1),
                      delayed_cb, delayed, (GDestroyNotify) delayed_free);
}

/**
 * pfdo_server_new:
 * @store: the server's own store
 *
 * Returns: (transfer full) (nullable): a server, not yet listening
 */
PfdoServer *
pfdo_server_new (PfdoStore  *store,
                 GError    **error)
{
  g_autoptr(PfdoServer) self = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                           "libsodium could not be initialised");
      return NULL;
    }
  if (!pfdo_store_exec (store, server_schema, error) || !pfdo_server_feed_install (store, error) ||
      !pfdo_server_ops_install (store, error))
    return NULL;

  self = g_object_new (PFDO_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  /* Operations end here: the domain core queues none for sending. */
  pfdo_store_set_keeps_outbox (store, FALSE);
  if (g_getenv ("PFDO_REGIOND_LOSE_ANSWERS") != NULL)
    self->lose_answers = (guint) g_ascii_strtoull (g_getenv ("PFDO_REGIOND_LOSE_ANSWERS"), NULL,
                                                   10);
  if (g_getenv ("PFDO_REGIOND_DELAY_MS") != NULL)
    self->delay_ms = (guint) MIN (g_ascii_strtoull (g_getenv ("PFDO_REGIOND_DELAY_MS"), NULL, 10),
                                  60000);
  if (g_getenv ("PFDO_REGIOND_DUPLICATE_RATE") != NULL)
    self->duplicate_rate = (guint) MIN (g_ascii_strtoull (g_getenv ("PFDO_REGIOND_DUPLICATE_RATE"),
                                                          NULL, 10), 100);
  if (g_getenv ("PFDO_REGIOND_FAULT_RATE") != NULL)
    self->fault_rate = (guint) MIN (g_ascii_strtoull (g_getenv ("PFDO_REGIOND_FAULT_RATE"), NULL,
                                                      10), 100);
  if (self->fault_rate > 0 || self->delay_ms > 0 || self->duplicate_rate > 0)
    {
      const char *seed = g_getenv ("PFDO_REGIOND_FAULT_SEED");

      self->faults = g_rand_new_with_seed ((guint32) g_ascii_strtoull (seed != NULL ? seed : "1",
                                                                      NULL, 10));
      g_printerr ("pfdo-regiond: injecting faults: %u%% errors, delays up to %u ms, "
                  "%u%% requests handled twice\n", self->fault_rate, self->delay_ms,
                  self->duplicate_rate);
    }
  self->soup = soup_server_new ("server-header", "pfdo-regiond/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, "/", server_cb, self, NULL);
  return g_steal_pointer (&self);
}

void
pfdo_server_set_token_ttl (PfdoServer *self,
                           gint64      seconds)
{
  g_return_if_fail (PFDO_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  self->token_ttl = seconds;
}

/**
 * pfdo_server_set_tls_certificate:
 * @certificate: the server's certificate with its private key
 *
 * Serves https:// with @certificate instead of plain http://: the way a
 * regional server faces the network (REGIONAL_API.md), and the way the
 * tests check that the desk verifies certificates. Call it before
 * pfdo_server_listen().
 */
void
pfdo_server_set_tls_certificate (PfdoServer      *self,
                                 GTlsCertificate *certificate)
{
  g_return_if_fail (PFDO_IS_SERVER (self));
  g_return_if_fail (G_IS_TLS_CERTIFICATE (certificate));

  soup_server_set_tls_certificate (self->soup, certificate);
  self->tls = TRUE;
}

gboolean
pfdo_server_listen (PfdoServer  *self,
                    const char  *host,
                    guint16      port,
                    guint16     *out_port,
                    GError     **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (PFDO_IS_SERVER (self), FALSE);

  address = g_inet_socket_address_new_from_string (host, port);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not an IP address: %s", host);
      return FALSE;
    }
  if (!soup_server_listen (self->soup, address, self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (out_port != NULL && uris != NULL)
    *out_port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

typedef struct
{
  const char *login;
  const char *full_name;
  const char *role;
  const char *municipality_id;
  const char *office_id;
  const char *hash;
  gboolean    keep_name;   /* no name given: an existing account keeps its own */
} NewOperator;

static gboolean
add_operator_cb (PfdoStore *store,
                 gpointer   user_data,
                 GError   **error)
{
  NewOperator *op = user_data;
  g_autofree char *id = pfdo_uuid_new ();
  g_autofree char *now = pfdo_now_utc ();
  sqlite3_stmt *stmt;

  if (pfdo_store_query_int (store, "SELECT count(*) FROM municipality WHERE id = ?",
                            op->municipality_id, error) != 1)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                     "There is no municipality %s", op->municipality_id);
      return FALSE;
    }
  if (op->office_id != NULL &&
      pfdo_store_query_int (store, "SELECT count(*) FROM office WHERE id = ?", op->office_id,
                            error) != 1)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                     "There is no office %s", op->office_id);
      return FALSE;
    }

  stmt = pfdo_store_prepare (store,
                             "INSERT INTO operator (id, login, full_name, role, municipality_id, "
                             "office_id, password_hash, is_active, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) "
                             "ON CONFLICT (login) DO UPDATE SET full_name = CASE WHEN ?9 "
                             "THEN operator.full_name ELSE excluded.full_name END, "
                             "role = excluded.role, municipality_id = excluded.municipality_id, "
                             "office_id = excluded.office_id, "
                             "password_hash = excluded.password_hash, is_active = 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, op->login, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, op->full_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, op->role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, op->municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, op->office_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, op->hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, op->keep_name);
  return pfdo_store_step_done (store, stmt, error);
}

/**
 * pfdo_server_operator_add:
 *
 * Adds an account, or replaces the role, place and password of an existing
 * login. The password is kept only as an Argon2id hash.
 */
gboolean
pfdo_server_operator_add (PfdoStore   *store,
                          const char  *login,
                          const char  *full_name,
                          const char  *role,
                          const char  *municipality_id,
                          const char  *office_id,
                          const char  *password,
                          GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  NewOperator op = { login, full_name != NULL ? full_name : login, role, municipality_id,
                     office_id, hash, full_name == NULL };
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (login != NULL && password != NULL, FALSE);

  if (pfdo_role_from_string (role) == PFDO_ROLE_NONE)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
                   "Unknown role %s: school_staff, moc_clerk or moc_admin", role);
      return FALSE;
    }
  if (strlen (password) < 8)
    {
      g_set_error_literal (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
                           "A password has at least 8 characters");
      return FALSE;
    }
  if (sodium_init () < 0 ||
      crypto_pwhash_str_alg (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                           "Could not hash the password (out of memory?)");
      return FALSE;
    }

  ok = pfdo_store_write (store, add_operator_cb, &op, error);
  sodium_memzero (hash, sizeof hash);
  return ok;
}

static gboolean
disable_operator_cb (PfdoStore *store,
                     gpointer   user_data,
                     GError   **error)
{
  const char *login = user_data;
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "UPDATE operator SET is_active = 0 WHERE login = ?",
                                           error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (pfdo_store_get_db (store)) == 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND, "There is no login %s",
                   login);
      return FALSE;
    }
  /* A disabled account's sessions end at once. */
  stmt = pfdo_store_prepare (store,
                             "DELETE FROM server_session WHERE operator_id IN "
                             "(SELECT id FROM operator WHERE login = ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

gboolean
pfdo_server_operator_disable (PfdoStore   *store,
                              const char  *login,
                              GError     **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  if (!pfdo_store_exec (store, server_schema, error))
    return FALSE;
  return pfdo_store_write (store, disable_operator_cb, (gpointer) login, error);
}
