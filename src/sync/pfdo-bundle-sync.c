/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-bundle"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pfdo-bundle-private.h"
#include "pfdo-bundle-sync.h"
#include "pfdo-error.h"
#include "pfdo-json.h"
#include "pfdo-sync-private.h"
#include "pfdo-text.h"

/*
 * The records of a bundle, each a JSON object with one member:
 *
 * export: {"manifest": {"operator": {"id", "login"}, "cursor", "numbers_left",
 *                       "operations": N}}
 *         {"operations": [{"op_id", "type", "at", "payload", "operator_id"}, …]}  (≤ 500 each)
 *         {"end": {"operations": N}}
 *
 * reply:  {"manifest": {"since", "relayed_by": {"id", "login"}, "operations": N}}
 *         {"results": [{"op_id", "status", "code", "detail", "seq"}, …]}  (as each push answered)
 *         {"page": {"changes": […], "cursor", "more"}}                   (as the feed gave them)
 *         {"end": {"results": N, "pages": P, "changes": C, "cursor"}}
 *
 * A reply is applied in one transaction with the same functions a network
 * sync uses, so a refused reply leaves the store as it was, and a reply
 * applied twice, or after a later one, changes nothing the second time.
 */

#define OPERATIONS_PER_RECORD 500

void
pfdo_bundle_export_free (PfdoBundleExport *export)
{
  if (export == NULL)
    return;
  g_free (export->bundle_id);
  g_free (export);
}

static gboolean
invalid (GError     **error,
         const char  *what)
{
  /* Sealed with the passphrase, so written by a desk: a bug, or a format
   * this desk does not know. */
  g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_INVALID,
               _("The transfer file is sealed correctly, but its contents are not what a "
                 "transfer file holds (%s)."), what);
  return FALSE;
}

/* The one member of a record, and its name. */
static JsonNode *
record_member (JsonNode    *record,
               const char **out_name)
{
  JsonObject *object = json_node_get_object (record);
  g_autoptr(GList) names = json_object_get_members (object);

  if (names == NULL || names->next != NULL)
    return NULL;
  *out_name = names->data;
  return json_object_get_member (object, names->data);
}

/* Whether this desk may take @info: an export of another desk of its
 * municipality, or a reply addressed to it. */
gboolean
pfdo_bundle_check_for_desk (PfdoStore             *store,
                            const PfdoBundleInfo  *info,
                            GError               **error)
{
  g_autofree char *region = NULL;
  g_autofree char *municipality = NULL;
  const char *device = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  device = pfdo_store_get_device_id (store);
  region = pfdo_store_dup_setting (store, "region");
  municipality = pfdo_store_dup_setting (store, "municipality_id");

  if (info->kind == PFDO_BUNDLE_KIND_EXPORT && g_strcmp0 (info->device_id, device) == 0)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_OWN_EXPORT,
                           _("This transfer file was made on this very desk. Take it to a desk "
                             "with a connection to the regional server, and import here the "
                             "reply file that desk writes."));
      return FALSE;
    }
  if (info->kind == PFDO_BUNDLE_KIND_REPLY && g_strcmp0 (info->to_device_id, device) != 0)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_DESK,
                           _("This reply file is meant for another desk: import it on the desk "
                             "whose transfer file it answers."));
      return FALSE;
    }
  if (region != NULL && info->region != NULL && !g_str_equal (region, info->region))
    {
      g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_REGION,
                   _("This transfer file comes from another region (%s; this desk works in "
                     "region %s)."), info->region, region);
      return FALSE;
    }
  if (municipality == NULL)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_NOT_READY,
                           _("This desk has never synced with the regional server, so it "
                             "cannot tell whose transfer files it may take. Sync it once "
                             "first."));
      return FALSE;
    }
  if (!g_str_equal (municipality, info->municipality_id))
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_MUNICIPALITY,
                           _("This transfer file comes from a desk of another municipality; "
                             "only a desk of the same municipality may take it."));
      return FALSE;
    }
  return TRUE;
}

/* The bundle at @path, its header checked for this desk and its key
 * derived. */
static PfdoBundleReader *
open_bundle (PfdoStore     *store,
             const char    *path,
             const char    *passphrase,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(PfdoBundleReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;

  in = g_file_read (file, cancellable, &local_error);
  if (in == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_IO,
                     _("The transfer file cannot be read: %s"), local_error->message);
      return NULL;
    }
  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (in), 256 * 1024);
  reader = pfdo_bundle_reader_new (buffered, cancellable, error);
  if (reader == NULL ||
      !pfdo_bundle_check_for_desk (store, pfdo_bundle_reader_get_info (reader), error) ||
      !pfdo_bundle_reader_unlock (reader, passphrase, error))
    return NULL;
  return g_steal_pointer (&reader);
}

/* A bundle written beside its place and moved there once whole and on
 * the disk, so a stick pulled out early leaves no half a bundle under the
 * bundle's name. */
typedef struct
{
  char          *path;
  char          *part;
  int            fd;
  GOutputStream *out;
} OutFile;

static void
out_file_clear (OutFile *file)
{
  g_clear_object (&file->out);
  if (file->fd >= 0)
    {
      close (file->fd);
      file->fd = -1;
    }
  if (file->part != NULL)
    g_unlink (file->part);
  g_clear_pointer (&file->part, g_free);
  g_clear_pointer (&file->path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OutFile, out_file_clear)

static gboolean
write_error (GError     **error,
             const char  *path,
             int          errsv)
{
  g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_IO,
               _("The transfer file cannot be written: %s: %s"), path, g_strerror (errsv));
  return FALSE;
}

static gboolean
out_file_open (OutFile     *file,
               const char  *path,
               GError     **error)
{
  g_autoptr(GOutputStream) raw = NULL;

  file->fd = -1;
  file->path = g_strdup (path);
  file->part = g_strconcat (path, ".part", NULL);
  file->fd = g_open (file->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (file->fd < 0)
    {
      int errsv = errno;

      g_clear_pointer (&file->part, g_free);
      return write_error (error, path, errsv);
    }
  raw = g_unix_output_stream_new (file->fd, FALSE);
  file->out = g_buffered_output_stream_new_sized (raw, 256 * 1024);
  return TRUE;
}

static gboolean
out_file_commit (OutFile      *file,
                 GCancellable *cancellable,
                 GError      **error)
{
  GError *local_error = NULL;

  if (!g_output_stream_close (file->out, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, local_error);
      else
        {
          g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_IO,
                       _("The transfer file cannot be written: %s"), local_error->message);
          g_error_free (local_error);
        }
      return FALSE;
    }
  if (fsync (file->fd) != 0 || close (file->fd) != 0)
    {
      int errsv = errno;

      file->fd = -1;
      return write_error (error, file->path, errsv);
    }
  file->fd = -1;
  if (g_rename (file->part, file->path) != 0)
    return write_error (error, file->path, errno);
  g_clear_pointer (&file->part, g_free);
  return TRUE;
}

static JsonNode *
record_of (const char *name,
           JsonNode   *value)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (object, name, value);
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
string_or_null (const char *value)
{
  JsonNode *node = json_node_new (value != NULL ? JSON_NODE_VALUE : JSON_NODE_NULL);

  if (value != NULL)
    json_node_set_string (node, value);
  return node;
}

static void
object_set_int (JsonObject *object,
                const char *name,
                gint64      value)
{
  json_object_set_int_member (object, name, value);
}

static gboolean
audit_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  const char * const *what = user_data;

  return pfdo_store_audit (store, what[0], "bundle", what[1], what[2], error);
}

/* What an export is made of, read in one snapshot of the store. */
typedef struct
{
  PfdoBundleInfo *info;
  char           *operator_id;
  char           *operator_login;
  char           *cursor;
  gint64          numbers_left;
  JsonArray      *operations;
} Export;

static void
export_clear (Export *export)
{
  g_clear_pointer (&export->info, pfdo_bundle_info_free);
  g_clear_pointer (&export->operator_id, g_free);
  g_clear_pointer (&export->operator_login, g_free);
  g_clear_pointer (&export->cursor, g_free);
  g_clear_pointer (&export->operations, json_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Export, export_clear)

static gboolean
collect_export_cb (PfdoStore *store,
                   gpointer   user_data,
                   GError   **error)
{
  Export *export = user_data;
  sqlite3_stmt *stmt;
  int rc;

  export->operator_login = NULL;
  stmt = pfdo_store_prepare (store, "SELECT login FROM operator WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, export->operator_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    export->operator_login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  export->cursor = pfdo_store_dup_setting (store, "cursor");
  export->numbers_left = pfdo_store_query_int (store,
                                               "SELECT coalesce (sum (CAST (last AS INTEGER) - "
                                               "CAST (first AS INTEGER) + 1 - used), 0) "
                                               "FROM number_block WHERE device_id = ?",
                                               pfdo_store_get_device_id (store), error);
  if (export->numbers_left < 0)
    return FALSE;

  /* The outbox as a push would send it: pending, oldest first. */
  stmt = pfdo_store_prepare (store,
                             "SELECT json_object ('op_id', op_id, 'type', type, 'at', at, "
                             "'payload', json (payload), 'operator_id', operator_id) "
                             "FROM outbox WHERE state = 'pending' ORDER BY seq",
                             error);
  if (stmt == NULL)
    return FALSE;
  export->operations = json_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) parse_error = NULL;
      JsonNode *operation = json_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                              &parse_error);

      if (operation == NULL)
        {
          sqlite3_reset (stmt);
          g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CORRUPT,
                       "An outbox operation is not JSON: %s", parse_error->message);
          return FALSE;
        }
      json_array_add_element (export->operations, operation);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * pfdo_bundle_export:
 * @path: where the bundle is written; a file there is replaced
 *
 * Writes the desk's pending operations, its device, its operator, its
 * cursor and its unused certificate numbers, sealed with @passphrase. The
 * operations stay pending in the outbox until a reply, or a sync, says
 * what became of them. Blocking.
 *
 * Returns: (transfer full): what was written, or %NULL
 */
PfdoBundleExport *
pfdo_bundle_export (PfdoStore     *store,
                    const char    *path,
                    const char    *passphrase,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_auto(Export) export = { 0 };
  g_auto(OutFile) file = { .fd = -1 };
  g_autoptr(PfdoBundleWriter) writer = NULL;
  g_autoptr(JsonNode) end = NULL;
  PfdoBundleExport *result;
  JsonObject *manifest, *operator, *summary;
  guint total;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL && passphrase != NULL, NULL);

  if (!pfdo_bundle_check_passphrase (passphrase, error))
    return NULL;
  if (pfdo_store_get_operator_id (store) == NULL)
    {
      g_set_error_literal (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR,
                           _("Sign in first: a transfer file says which operator made it."));
      return NULL;
    }

  export.info = g_new0 (PfdoBundleInfo, 1);
  export.info->kind = PFDO_BUNDLE_KIND_EXPORT;
  export.info->bundle_id = pfdo_uuid_new ();
  export.info->created_at = pfdo_now_utc ();
  export.info->region = pfdo_store_dup_setting (store, "region");
  export.info->municipality_id = pfdo_store_dup_setting (store, "municipality_id");
  export.info->device_id = g_strdup (pfdo_store_get_device_id (store));
  export.operator_id = g_strdup (pfdo_store_get_operator_id (store));
  if (export.info->municipality_id == NULL)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_NOT_READY,
                           _("This desk has never synced with the regional server: a transfer "
                             "file needs the municipality and the changes feed the first sync "
                             "brings."));
      return NULL;
    }
  if (!pfdo_store_write (store, collect_export_cb, &export, error))
    return NULL;

  if (!out_file_open (&file, path, error))
    return NULL;
  writer = pfdo_bundle_writer_new (file.out, export.info, passphrase, cancellable, error);
  if (writer == NULL)
    return NULL;

  total = json_array_get_length (export.operations);
  {
    g_autoptr(JsonNode) record = NULL;

    manifest = json_object_new ();
    operator = json_object_new ();
    json_object_set_string_member (operator, "id", export.operator_id);
    json_object_set_member (operator, "login", string_or_null (export.operator_login));
    json_object_set_object_member (manifest, "operator", operator);
    json_object_set_member (manifest, "cursor", string_or_null (export.cursor));
    object_set_int (manifest, "numbers_left", export.numbers_left);
    object_set_int (manifest, "operations", total);
    record = record_of ("manifest", json_node_init_object (json_node_alloc (), manifest));
    json_object_unref (manifest);
    if (!pfdo_bundle_writer_add (writer, record, cancellable, error))
      return NULL;
  }

  for (guint first = 0; first < total; first += OPERATIONS_PER_RECORD)
    {
      g_autoptr(JsonNode) record = NULL;
      JsonArray *batch = json_array_sized_new (OPERATIONS_PER_RECORD);

      for (guint i = first; i < MIN (total, first + OPERATIONS_PER_RECORD); i++)
        json_array_add_element (batch, json_array_dup_element (export.operations, i));
      record = record_of ("operations", json_node_init_array (json_node_alloc (), batch));
      json_array_unref (batch);
      if (!pfdo_bundle_writer_add (writer, record, cancellable, error))
        return NULL;
    }

  summary = json_object_new ();
  object_set_int (summary, "operations", total);
  end = record_of ("end", json_node_init_object (json_node_alloc (), summary));
  json_object_unref (summary);
  if (!pfdo_bundle_writer_finish (writer, end, cancellable, error) ||
      !out_file_commit (&file, cancellable, error))
    return NULL;

  /* Children's personal data left the desk: who took it, and when. */
  {
    const char *what[] = { "bundle.export", export.info->bundle_id, NULL };

    if (!pfdo_store_write (store, audit_cb, what, error))
      return NULL;
  }

  result = g_new0 (PfdoBundleExport, 1);
  result->operations = total;
  result->bundle_id = g_strdup (export.info->bundle_id);
  return result;
}

/* An export bundle read whole: nothing is sent before all of it is known
 * to be as written. */
static gboolean
read_export (PfdoBundleReader  *reader,
             Export            *export,
             GCancellable      *cancellable,
             GError           **error)
{
  gboolean last = FALSE;
  gint64 announced = -1;
  guint records = 0;

  export->operations = json_array_new ();
  while (!last)
    {
      g_autoptr(JsonNode) record = pfdo_bundle_reader_next (reader, &last, cancellable, error);
      const char *name = NULL;
      JsonNode *value;

      if (record == NULL)
        return FALSE;
      value = record_member (record, &name);
      if (value == NULL)
        return invalid (error, "a record of several parts");

      if (records++ == 0)
        {
          JsonObject *manifest = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value)
                                                                : NULL;
          JsonObject *operator = pfdo_json_get_object (manifest, "operator");
          JsonNode *cursor = manifest != NULL ? json_object_get_member (manifest, "cursor") : NULL;

          if (!g_str_equal (name, "manifest") || pfdo_json_get_string (operator, "id") == NULL ||
              !pfdo_json_get_int (manifest, "numbers_left", &export->numbers_left) ||
              !pfdo_json_get_int (manifest, "operations", &announced) || announced < 0 ||
              cursor == NULL ||
              (!JSON_NODE_HOLDS_NULL (cursor) && pfdo_json_get_string (manifest, "cursor") == NULL))
            return invalid (error, "no manifest first");
          export->operator_id = g_strdup (pfdo_json_get_string (operator, "id"));
          export->operator_login = g_strdup (pfdo_json_get_string (operator, "login"));
          export->cursor = g_strdup (pfdo_json_get_string (manifest, "cursor"));
          if (last)
            return invalid (error, "no end");
        }
      else if (g_str_equal (name, "operations") && !last)
        {
          JsonArray *batch = JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;

          if (batch == NULL)
            return invalid (error, "operations that are not a list");
          for (guint i = 0; i < json_array_get_length (batch); i++)
            {
              JsonNode *operation = json_array_get_element (batch, i);

              if (!pfdo_sync_check_operation (operation))
                return invalid (error, "an operation without its id, type, time or payload");
              json_array_add_element (export->operations, json_node_copy (operation));
            }
        }
      else if (g_str_equal (name, "end") && last)
        {
          gint64 count = -1;

          if (!JSON_NODE_HOLDS_OBJECT (value) ||
              !pfdo_json_get_int (json_node_get_object (value), "operations", &count) ||
              count != announced || count != json_array_get_length (export->operations))
            return invalid (error, "an end that does not count the operations");
        }
      else
        return invalid (error, "a record out of place");
    }
  return TRUE;
}

/* The connected desk's side: the reply written as the relay goes. */
typedef struct
{
  PfdoStore        *store;
  Export           *export;
  const char       *passphrase;
  const char       *reply_path;
  OutFile           file;
  PfdoBundleWriter *writer;
  GCancellable     *cancellable;
  guint             results;
  guint             pages;
  guint             changes;
} Relay;

static gboolean
relay_signed_in_cb (JsonObject  *operator,
                    const char  *region,
                    gpointer     user_data,
                    GError     **error)
{
  Relay *relay = user_data;
  const PfdoBundleInfo *info = relay->export->info;
  g_autoptr(PfdoBundleInfo) reply = g_new0 (PfdoBundleInfo, 1);
  g_autoptr(JsonNode) record = NULL;
  PfdoRole role = pfdo_role_from_string (pfdo_json_get_string (operator, "role"));
  JsonObject *manifest, *relayed_by;

  /* The server checks this too, one operation at a time; said once here,
   * and before the other municipality's changes are asked for. */
  if (g_strcmp0 (pfdo_json_get_string (operator, "municipality_id"), info->municipality_id) != 0)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_MUNICIPALITY,
                           _("This transfer file comes from a desk of another municipality; "
                             "only an operator of the same municipality may send it."));
      return FALSE;
    }
  if (region != NULL && info->region != NULL && !g_str_equal (region, info->region))
    {
      g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_REGION,
                   _("This transfer file comes from another region (%s; the server serves "
                     "region %s)."), info->region, region);
      return FALSE;
    }
  if (role != PFDO_ROLE_MOC_CLERK && role != PFDO_ROLE_MOC_ADMIN)
    {
      g_set_error_literal (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                           _("Only a МОЦ clerk or administrator may send another desk's work "
                             "to the server."));
      return FALSE;
    }

  reply->kind = PFDO_BUNDLE_KIND_REPLY;
  reply->region = g_strdup (region != NULL ? region : info->region);
  reply->municipality_id = g_strdup (info->municipality_id);
  reply->device_id = g_strdup (pfdo_store_get_device_id (relay->store));
  reply->to_device_id = g_strdup (info->device_id);
  reply->in_reply_to = g_strdup (info->bundle_id);
  if (!out_file_open (&relay->file, relay->reply_path, error))
    return FALSE;
  relay->writer = pfdo_bundle_writer_new (relay->file.out, reply, relay->passphrase,
                                          relay->cancellable, error);
  if (relay->writer == NULL)
    return FALSE;

  manifest = json_object_new ();
  json_object_set_member (manifest, "since", string_or_null (relay->export->cursor));
  relayed_by = json_object_new ();
  json_object_set_member (relayed_by, "id",
                          string_or_null (pfdo_json_get_string (operator, "id")));
  json_object_set_member (relayed_by, "login",
                          string_or_null (pfdo_json_get_string (operator, "login")));
  json_object_set_object_member (manifest, "relayed_by", relayed_by);
  object_set_int (manifest, "operations", json_array_get_length (relay->export->operations));
  record = record_of ("manifest", json_node_init_object (json_node_alloc (), manifest));
  json_object_unref (manifest);
  return pfdo_bundle_writer_add (relay->writer, record, relay->cancellable, error);
}

static gboolean
relay_results_cb (JsonNode  *answer,
                  gpointer   user_data,
                  GError   **error)
{
  Relay *relay = user_data;
  g_autoptr(JsonNode) record = NULL;
  JsonArray *results = json_object_get_array_member (json_node_get_object (answer), "results");

  relay->results += json_array_get_length (results);
  record = record_of ("results", json_node_init_array (json_node_alloc (), results));
  return pfdo_bundle_writer_add (relay->writer, record, relay->cancellable, error);
}

static gboolean
relay_page_cb (JsonNode  *page,
               gpointer   user_data,
               GError   **error)
{
  Relay *relay = user_data;
  g_autoptr(JsonNode) record = NULL;
  JsonArray *changes = json_object_get_array_member (json_node_get_object (page), "changes");

  relay->pages++;
  relay->changes += json_array_get_length (changes);
  record = record_of ("page", json_node_copy (page));
  return pfdo_bundle_writer_add (relay->writer, record, relay->cancellable, error);
}

/**
 * pfdo_bundle_relay:
 * @path: an export bundle of another desk of this municipality
 * @login: an operator of the municipality, a МОЦ clerk or administrator
 * @reply_path: where the reply goes; a file there is replaced
 *
 * Sends the offline desk's operations to the server with their own
 * op_ids, on behalf of their origin, and writes the reply: the server's
 * result for each and the changes since the offline desk's cursor. This
 * desk's store, outbox and cursor are left as they were (an audit record
 * says the relay happened). The bundle is read whole before anything is
 * sent; sending it again is harmless, the server answers "duplicate".
 * Blocking.
 */
gboolean
pfdo_bundle_relay (PfdoStore             *store,
                   const char            *path,
                   const char            *passphrase,
                   const char            *base_uri,
                   const char            *login,
                   const char            *password,
                   const PfdoSyncOptions *options,
                   const char            *reply_path,
                   PfdoSyncStats         *out_stats,
                   GCancellable          *cancellable,
                   GError               **error)
{
  g_autoptr(PfdoBundleReader) reader = NULL;
  g_auto(Export) export = { 0 };
  Relay relay = { 0 };
  PfdoSyncRelay steps = { 0 };
  g_autofree char *cursor = NULL;
  g_autoptr(JsonNode) end = NULL;
  JsonObject *summary;
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL && passphrase != NULL && reply_path != NULL, FALSE);

  /* Whoever works at this desk, before the server says the same. */
  if (pfdo_store_get_operator_id (store) != NULL &&
      !pfdo_store_require_role (store, PFDO_ROLE_MOC_CLERK, error))
    return FALSE;
  reader = open_bundle (store, path, passphrase, cancellable, error);
  if (reader == NULL)
    return FALSE;
  if (pfdo_bundle_reader_get_info (reader)->kind != PFDO_BUNDLE_KIND_EXPORT)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_KIND,
                           _("This is a reply file: import it on the desk it answers; only a "
                             "transfer file of an offline desk is sent to the server."));
      return FALSE;
    }
  export.info = pfdo_bundle_info_copy (pfdo_bundle_reader_get_info (reader));
  if (!read_export (reader, &export, cancellable, error))
    return FALSE;

  relay.store = store;
  relay.export = &export;
  relay.passphrase = passphrase;
  relay.cancellable = cancellable;
  relay.reply_path = reply_path;
  relay.file.fd = -1;

  steps.device_id = export.info->device_id;
  steps.operator_id = export.operator_id;
  steps.operations = export.operations;
  steps.since = export.cursor;
  steps.numbers_left = export.numbers_left;
  steps.signed_in = relay_signed_in_cb;
  steps.results = relay_results_cb;
  steps.page = relay_page_cb;
  steps.data = &relay;

  ok = pfdo_sync_relay (store, base_uri, login, password, options, &steps, &cursor, out_stats,
                        cancellable, error);
  if (ok)
    {
      summary = json_object_new ();
      object_set_int (summary, "results", relay.results);
      object_set_int (summary, "pages", relay.pages);
      object_set_int (summary, "changes", relay.changes);
      json_object_set_member (summary, "cursor", string_or_null (cursor));
      end = record_of ("end", json_node_init_object (json_node_alloc (), summary));
      json_object_unref (summary);
      ok = pfdo_bundle_writer_finish (relay.writer, end, cancellable, error) &&
           out_file_commit (&relay.file, cancellable, error);
    }
  if (ok)
    {
      const char *what[] = { "bundle.relay", export.info->bundle_id, export.info->device_id };

      ok = pfdo_store_write (store, audit_cb, what, error);
    }

  g_clear_pointer (&relay.writer, pfdo_bundle_writer_free);
  out_file_clear (&relay.file);
  return ok;
}

/* The offline desk's side: a reply applied record by record inside one
 * transaction. */
typedef struct
{
  PfdoBundleReader       *reader;
  PfdoStore              *store;     /* NULL: only read and check */
  const PfdoSyncOptions  *options;
  GCancellable           *cancellable;
  PfdoSyncStats           stats;
  gboolean                moves_cursor;
  char                   *since;
  gint64                  operations;
  guint                   results;
  guint                   pages;
  guint                   changes;
} Reply;

static gboolean
read_reply_cb (PfdoStore *store,
               gpointer   user_data,
               GError   **error)
{
  Reply *reply = user_data;
  gboolean last = FALSE;
  guint records = 0;

  while (!last)
    {
      g_autoptr(JsonNode) record = pfdo_bundle_reader_next (reply->reader, &last,
                                                            reply->cancellable, error);
      const char *name = NULL;
      JsonNode *value;

      if (record == NULL)
        return FALSE;
      value = record_member (record, &name);
      if (value == NULL)
        return invalid (error, "a record of several parts");

      if (records++ == 0)
        {
          JsonObject *manifest = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value)
                                                                : NULL;
          JsonNode *since = manifest != NULL ? json_object_get_member (manifest, "since") : NULL;

          if (!g_str_equal (name, "manifest") || since == NULL ||
              (!JSON_NODE_HOLDS_NULL (since) && pfdo_json_get_string (manifest, "since") == NULL) ||
              !pfdo_json_get_int (manifest, "operations", &reply->operations) ||
              reply->operations < 0 || last)
            return invalid (error, "no manifest first");
          reply->since = g_strdup (pfdo_json_get_string (manifest, "since"));
          /* The header is authenticated now: check it again. */
          if (store != NULL &&
              !pfdo_bundle_check_for_desk (store, pfdo_bundle_reader_get_info (reply->reader),
                                           error))
            return FALSE;
        }
      else if (g_str_equal (name, "results") && !last)
        {
          g_autoptr(JsonNode) answer = record_of ("results", json_node_copy (value));
          JsonArray *results;

          if (reply->pages > 0 ||
              !pfdo_sync_check_results (answer, NULL, &results, NULL))
            return invalid (error, "results that do not answer operations");
          reply->results += json_array_get_length (results);
          if (store != NULL && !pfdo_sync_mark_results (store, results, &reply->stats, error))
            return FALSE;
        }
      else if (g_str_equal (name, "page") && !last)
        {
          JsonArray *changes;

          if (!pfdo_sync_check_page (value, &changes, NULL, NULL, NULL))
            return invalid (error, "a page of changes without its cursor");
          reply->pages++;
          reply->changes += json_array_get_length (changes);
          if (store != NULL && !pfdo_sync_apply_changes (store, changes, &reply->stats, error))
            return FALSE;
          if (reply->options != NULL && reply->options->progress != NULL)
            reply->options->progress (PFDO_SYNC_PHASE_PULL, reply->stats.pulled, 0,
                                      reply->options->progress_data);
        }
      else if (g_str_equal (name, "end") && last)
        {
          JsonObject *summary = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value)
                                                               : NULL;
          const char *cursor = pfdo_json_get_string (summary, "cursor");
          gint64 results = -1, pages = -1, changes = -1;
          g_autofree char *current = NULL;

          if (!pfdo_json_get_int (summary, "results", &results) ||
              !pfdo_json_get_int (summary, "pages", &pages) ||
              !pfdo_json_get_int (summary, "changes", &changes) || results != reply->results ||
              results != reply->operations || pages != reply->pages ||
              changes != reply->changes || cursor == NULL || pages == 0)
            return invalid (error, "an end that does not count what came before");
          if (store == NULL)
            continue;

          /* The cursor moves only from where this reply starts: a reply
           * that answers an older export, or comes a second time, brings
           * nothing the store does not have, and the cursor never goes
           * back. */
          current = pfdo_store_dup_setting (store, "cursor");
          reply->moves_cursor = g_strcmp0 (current, reply->since) == 0;
          if (reply->moves_cursor && !pfdo_store_set_setting (store, "cursor", cursor, error))
            return FALSE;
          reply->stats.pages = reply->pages;
        }
      else
        return invalid (error, "a record out of place");
    }

  return store == NULL ||
         pfdo_store_audit (store, "bundle.import", "bundle",
                           pfdo_bundle_reader_get_info (reply->reader)->bundle_id,
                           pfdo_bundle_reader_get_info (reply->reader)->in_reply_to, error);
}

/**
 * pfdo_bundle_import_reply:
 * @path: a reply bundle addressed to this desk
 * @options: (nullable): only its progress callback is used
 *
 * Applies the server's results to the outbox and the changes to the
 * store, with the functions a network sync uses, and moves the cursor if
 * the reply starts where the desk's cursor is. All in one transaction:
 * a reply refused anywhere, even at its last byte, leaves the store as it
 * was. Blocking.
 */
gboolean
pfdo_bundle_import_reply (PfdoStore             *store,
                          const char            *path,
                          const char            *passphrase,
                          const PfdoSyncOptions *options,
                          PfdoSyncStats         *out_stats,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_autoptr(PfdoBundleReader) reader = NULL;
  Reply reply = { 0 };
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL && passphrase != NULL, FALSE);

  reader = open_bundle (store, path, passphrase, cancellable, error);
  if (reader == NULL)
    return FALSE;
  if (pfdo_bundle_reader_get_info (reader)->kind != PFDO_BUNDLE_KIND_REPLY)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_KIND,
                           _("This is a transfer file of an offline desk, not a reply: it is "
                             "sent to the server from a connected desk."));
      return FALSE;
    }

  reply.reader = reader;
  reply.store = store;
  reply.options = options;
  reply.cancellable = cancellable;
  ok = pfdo_store_write (store, read_reply_cb, &reply, error);
  if (out_stats != NULL)
    *out_stats = ok ? reply.stats : (PfdoSyncStats) { 0 };
  g_free (reply.since);
  return ok;
}

/**
 * pfdo_bundle_verify_stream:
 * @in: a bundle of either kind
 *
 * Reads the whole bundle and checks every record, applying nothing and
 * without a store: for the fuzzer, and for a look at a file.
 */
gboolean
pfdo_bundle_verify_stream (GInputStream  *in,
                           const char    *passphrase,
                           GError       **error)
{
  g_autoptr(PfdoBundleReader) reader = NULL;

  reader = pfdo_bundle_reader_new (in, NULL, error);
  if (reader == NULL || !pfdo_bundle_reader_unlock (reader, passphrase, error))
    return FALSE;

  if (pfdo_bundle_reader_get_info (reader)->kind == PFDO_BUNDLE_KIND_EXPORT)
    {
      g_auto(Export) export = { 0 };

      return read_export (reader, &export, NULL, error);
    }
  else
    {
      Reply reply = { 0 };
      gboolean ok;

      reply.reader = reader;
      ok = read_reply_cb (NULL, &reply, error);
      g_free (reply.since);
      return ok;
    }
}
