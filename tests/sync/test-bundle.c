/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sync bundles: the file format on its own (every byte changed, every
 * length cut), and the whole trip with the real pfdo-regiond on
 * 127.0.0.1: an offline desk's export relayed by a connected desk and
 * the reply imported, compared with a twin of the desk that synced over
 * the network with a twin of the server.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sodium.h>
#include <string.h>

#include "pfdo-bundle-private.h"
#include "pfdo-bundle-sync.h"
#include "pfdo-certificates.h"
#include "pfdo-check.h"
#include "pfdo-children.h"
#include "pfdo-error.h"
#include "pfdo-sync-private.h"
#include "pfdo-test-server.h"
#include "pfdo-validate.h"

#define PASSWORD   "демо-пароль-1"
#define PASSPHRASE "ключ от флешки 2026"

typedef struct
{
  char        *dir;
  GSubprocess *server;
  char        *base;
  char        *twin_dir;      /* a copy of the server, for the desk that syncs over the network */
  GSubprocess *twin;
  char        *twin_base;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("pfdo-bundle-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  if (data != NULL)
    fixture->server = pfdo_test_server_start (fixture->dir, PASSWORD, NULL, &fixture->base);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->server != NULL)
    pfdo_test_server_stop (fixture->server);
  if (fixture->twin != NULL)
    pfdo_test_server_stop (fixture->twin);
  pfdo_test_remove_dir (fixture->dir);
  if (fixture->twin_dir != NULL)
    pfdo_test_remove_dir (fixture->twin_dir);
  g_free (fixture->dir);
  g_free (fixture->base);
  g_free (fixture->twin_dir);
  g_free (fixture->twin_base);
}

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static PfdoStore *
open_desk (const char *path)
{
  g_autoptr(GError) error = NULL;
  PfdoStore *store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
sync_as (Fixture    *fixture,
         const char *base,
         PfdoStore  *store,
         const char *login)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_sync_run (store, base, login, PASSWORD, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
sign_in_locally (PfdoStore  *store,
                 const char *login)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator_login (store, login, &error));
  g_assert_no_error (error);
}

static gint64
count (PfdoStore  *store,
       const char *sql,
       const char *param)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pfdo_store_query_int (store, sql, param, &error);

  g_assert_no_error (error);
  return n;
}

/* Copies a closed SQLite file, with its journal if it has one. */
static void
copy_db (const char *from,
         const char *to)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *src = g_strconcat (from, suffixes[i], NULL);
      g_autofree char *dst = g_strconcat (to, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;

      g_unlink (dst);
      if (!g_file_test (src, G_FILE_TEST_EXISTS))
        continue;
      g_assert_true (g_file_get_contents (src, &contents, &len, &error));
      g_assert_true (g_file_set_contents (dst, contents, (gssize) len, &error));
      g_assert_no_error (error);
    }
}

/* Stops the server, copies its store, and starts both: two servers with
 * the same past. */
static void
start_twin_server (Fixture *fixture)
{
  g_autofree char *from = path_in (fixture, "server.sqlite");
  g_autofree char *to = NULL;

  pfdo_test_server_stop (g_steal_pointer (&fixture->server));
  g_clear_pointer (&fixture->base, g_free);
  fixture->twin_dir = g_dir_make_tmp ("pfdo-bundle-twin-XXXXXX", NULL);
  to = g_build_filename (fixture->twin_dir, "server.sqlite", NULL);
  copy_db (from, to);
  fixture->server = pfdo_test_server_start (fixture->dir, PASSWORD, NULL, &fixture->base);
  fixture->twin = pfdo_test_server_start (fixture->twin_dir, PASSWORD, NULL,
                                          &fixture->twin_base);
}

/* One family registered offline, its child confirmed and given an active
 * certificate: four operations. */
static void
work_offline (PfdoStore *store,
              guint      n)
{
  const char *names[] = { "Алиса", "Вера", "Глафира", "Дина", "Ева", "Зоя" };
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) family = NULL;
  g_autofree char *certificate_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *snils = NULL;
  char digits[12];
  char birth[11];
  char document[7];
  PfdoChildInput child = {
    .last_name = "Переносова", .first_name = names[n % G_N_ELEMENTS (names)],
    .birth_date = birth, .sex = "f", .document_type = "birth_certificate",
    .document_series = "III-ДН", .document_number = document,
  };
  PfdoFamilyInput input = {
    .parent = { .last_name = "Переносова", .first_name = "Ольга", .phone = "+79185550000" },
    .children = &child, .n_children = 1,
  };

  g_snprintf (digits, 10, "%09u", 700000000u + n * 31u);
  g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
  snils = pfdo_snils_format (digits);
  child.snils = snils;
  g_snprintf (birth, sizeof birth, "2015-%02u-%02u", 1 + n % 12, 3 + n % 25);
  g_snprintf (document, sizeof document, "%06u", 310000 + n * 7);

  family = pfdo_family_register (store, &input, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_child_verify (store, g_ptr_array_index (family->child_ids, 0),
                                    PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_certificate_issue (store, g_ptr_array_index (family->child_ids, 0),
                                         &certificate_id, &number, &error));
  g_assert_true (pfdo_certificate_activate (store, certificate_id, &error));
  g_assert_no_error (error);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every row of @table as text, sorted, without the columns in @skip
 * (NULL-terminated "table.column" names). */
static void
dump_table (PfdoStore          *store,
            const char         *table,
            const char * const *skip,
            GString            *out)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *info = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
  sqlite3 *db = pfdo_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  guint columns = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, info, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *column = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *qualified = g_strdup_printf ("%s.%s", table, column);

      if (skip != NULL && g_strv_contains (skip, qualified))
        continue;
      g_string_append_printf (sql, "%squote (\"%s\")", columns++ > 0 ? " || '|' || " : "",
                              column);
    }
  sqlite3_finalize (stmt);
  g_string_append_printf (sql, " FROM \"%s\"", table);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_ptr_array_sort (rows, compare_rows);
  g_string_append_printf (out, "== %s (%u rows)\n", table, rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (rows, i));
}

/* Every table of the store, the audit log and the sync state included:
 * what "nothing was applied" is compared on. */
static char *
dump_all (PfdoStore *store)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (sqlite3_prepare_v2 (pfdo_store_get_db (store),
                                       "SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < tables->len; i++)
    dump_table (store, g_ptr_array_index (tables, i), NULL, out);
  return g_string_free (out, FALSE);
}

typedef enum
{
  SAME_SERVER = 0,
  TWIN_SERVER = 1 << 0,    /* the other desk synced with the twin server */
  DONE_IS_DONE = 1 << 1,   /* "duplicate" is "applied" */
} Compare;

/* What a sync decides: the synced entities, the outbox's answers and the
 * sync state. Left out: when an answer came (sent_at), when a row first
 * landed on this desk (child.created_at), and the audit log, which says
 * how the answers came. Against the twin server, also the times that
 * server stamped when it applied an operation, a second earlier or later
 * than this one. With DONE_IS_DONE, an operation applied and one answered
 * "duplicate" (applied before, from another bundle) are the same. */
static char *
dump_synced (PfdoStore *store,
             Compare    compare)
{
  const char *tables[] = {
    "municipality", "office", "provider", "program", "group", "review", "parent", "child",
    "certificate", "enrollment", "ledger_entry", "number_block", "sync_state", "outbox",
  };
  const char *skip[] = { "outbox.sent_at", "child.created_at", NULL };
  const char *skip_twin[] = {
    "outbox.sent_at", "child.created_at", "child.verification_decided_at",
    "certificate.issued_at", "certificate.activated_at", NULL,
  };
  GString *out = g_string_new (NULL);
  gboolean done_is_done = (compare & DONE_IS_DONE) != 0;

  if (done_is_done)
    g_assert_cmpint (sqlite3_exec (pfdo_store_get_db (store),
                                   "UPDATE outbox SET state = 'applied' WHERE state = 'duplicate'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    dump_table (store, tables[i], (compare & TWIN_SERVER) != 0 ? skip_twin : skip, out);
  return g_string_free (out, FALSE);
}

static void
assert_same_text (const char *what,
                  const char *a,
                  const char *b)
{
  guint line = 1;

  /* Walked once: splitting dumps of megabytes into lines is slow under
   * ASan, whose strstr measures the rest of the string at every call. */
  for (gsize i = 0; a[i] != '\0' || b[i] != '\0'; i++)
    {
      if (a[i] != b[i])
        {
          /* Row numbers only: the rows hold test data, not people. */
          g_test_message ("%s: line %u differs", what, line);
          g_test_fail ();
          return;
        }
      if (a[i] == '\n')
        line++;
    }
}

static gboolean
contains (const char *data,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_consistent (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = pfdo_check_run (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
export_to (PfdoStore  *store,
           const char *path,
           guint       expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoBundleExport) export = pfdo_bundle_export (store, path, PASSPHRASE, NULL,
                                                           &error);

  g_assert_no_error (error);
  g_assert_cmpuint (export->operations, ==, expected);
}

static PfdoSyncStats
relay (Fixture    *fixture,
       PfdoStore  *store,
       const char *in,
       const char *out)
{
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };

  g_assert_true (pfdo_bundle_relay (store, in, PASSPHRASE, fixture->base, "petrov", PASSWORD,
                                    NULL, out, &stats, NULL, &error));
  g_assert_no_error (error);
  return stats;
}

static PfdoSyncStats
import_reply (PfdoStore  *store,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };

  g_assert_true (pfdo_bundle_import_reply (store, path, PASSPHRASE, NULL, &stats, NULL, &error));
  g_assert_no_error (error);
  return stats;
}

/* The offline desk after its first sync, the connected desk, and a closed
 * copy of the offline desk's file made by @prepare_twin's caller. */
typedef struct
{
  char      *offline_path;
  char      *twin_path;
  PfdoStore *offline;
  PfdoStore *connected;
} Desks;

static void
desks_clear (Desks *desks)
{
  g_clear_object (&desks->offline);
  g_clear_object (&desks->connected);
  g_free (desks->offline_path);
  g_free (desks->twin_path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Desks, desks_clear)

static void
desks_init (Fixture *fixture,
            Desks   *desks)
{
  g_autofree char *connected_path = path_in (fixture, "connected.sqlite");

  desks->offline_path = path_in (fixture, "offline.sqlite");
  desks->twin_path = path_in (fixture, "twin.sqlite");
  desks->offline = open_desk (desks->offline_path);
  desks->connected = open_desk (connected_path);
  /* Both desks synced once while the district still had a network. */
  sync_as (fixture, fixture->base, desks->offline, "ivanova");
  sync_as (fixture, fixture->base, desks->connected, "petrov");
  sign_in_locally (desks->offline, "ivanova");
  sign_in_locally (desks->connected, "petrov");
}

/* The offline desk's file copied, as it is now, to the twin. */
static PfdoStore *
copy_to_twin (Desks *desks)
{
  g_clear_object (&desks->offline);
  copy_db (desks->offline_path, desks->twin_path);
  desks->offline = open_desk (desks->offline_path);
  sign_in_locally (desks->offline, "ivanova");
  return open_desk (desks->twin_path);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Desks) desks = { 0 };
  g_autoptr(PfdoStore) twin = NULL;
  g_autofree char *export_path = path_in (fixture, "export.pfdobundle");
  g_autofree char *reply_path = path_in (fixture, "reply.pfdobundle");
  g_autofree char *connected_before = NULL;
  g_autofree char *connected_after = NULL;
  g_autofree char *outbox_before = NULL;
  g_autofree char *outbox_after = NULL;
  g_autofree char *bundle_state = NULL;
  g_autofree char *network_state = NULL;
  g_autofree char *server_db = NULL;
  g_autofree char *region = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;
  g_autofree char *contents = NULL;
  PfdoSyncStats stats;
  gsize len = 0;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  desks_init (fixture, &desks);
  region = pfdo_store_dup_setting (desks.offline, "region");
  g_assert_cmpstr (region, ==, "26");
  start_twin_server (fixture);

  /* Days offline: two families. */
  work_offline (desks.offline, 1);
  work_offline (desks.offline, 2);
  twin = copy_to_twin (&desks);

  /* Export: the operations stay pending. */
  outbox_before = dump_synced (desks.offline, SAME_SERVER);
  cursor_before = pfdo_store_dup_setting (desks.offline, "cursor");
  export_to (desks.offline, export_path, 8);
  outbox_after = dump_synced (desks.offline, SAME_SERVER);
  assert_same_text ("export leaves the outbox", outbox_before, outbox_after);
  g_assert_cmpint (count (desks.offline, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                          NULL), ==, 8);

  /* Nothing of the children is readable in the file. */
  g_assert_true (g_file_get_contents (export_path, &contents, &len, NULL));
  g_assert_false (contains (contents, len, "Переносова"));
  g_assert_false (contains (contents, len, "III-ДН"));
  g_assert_false (contains (contents, len, "+79185550000"));

  /* The connected desk relays it; its own store does not change but for
   * the audit record of the relay. */
  connected_before = dump_synced (desks.connected, SAME_SERVER);
  stats = relay (fixture, desks.connected, export_path, reply_path);
  g_assert_cmpuint (stats.pushed, ==, 8);
  g_assert_cmpuint (stats.applied, ==, 8);
  g_assert_cmpuint (stats.pulled, >, 0);
  connected_after = dump_synced (desks.connected, SAME_SERVER);
  assert_same_text ("the relaying desk's store", connected_before, connected_after);
  g_assert_cmpint (count (desks.connected, "SELECT count(*) FROM audit_log WHERE action = "
                                           "'bundle.relay'", NULL), ==, 1);

  /* The server knows who relayed what for whom. */
  server_db = path_in (fixture, "server.sqlite");
  g_assert_cmpint (sqlite3_open_v2 (server_db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM op_log l JOIN operator r "
                                           "ON r.id = l.relayed_by JOIN operator o ON "
                                           "o.id = l.operator_id WHERE r.login = 'petrov' AND "
                                           "o.login = 'ivanova' AND l.device_id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, pfdo_store_get_device_id (desks.offline), -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 8);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Back at the offline desk. */
  stats = import_reply (desks.offline, reply_path);
  g_assert_cmpuint (stats.applied, ==, 8);
  g_assert_cmpuint (stats.pulled, >, 0);
  g_assert_cmpint (count (desks.offline, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                          NULL), ==, 0);
  cursor_after = pfdo_store_dup_setting (desks.offline, "cursor");
  g_assert_cmpstr (cursor_after, !=, cursor_before);
  assert_consistent (desks.offline);

  /* The twin synced over the network with the twin server: the same. */
  sync_as (fixture, fixture->twin_base, twin, "ivanova");
  bundle_state = dump_synced (desks.offline, TWIN_SERVER);
  network_state = dump_synced (twin, TWIN_SERVER);
  assert_same_text ("bundle against network", bundle_state, network_state);

  /* And a sync after the bundle finds nothing to do. */
  {
    g_autoptr(GError) error = NULL;
    PfdoSyncStats again = { 0 };

    g_assert_true (pfdo_sync_run (desks.offline, fixture->base, "ivanova", PASSWORD, &again,
                                  NULL, &error));
    g_assert_cmpuint (again.pushed, ==, 0);
  }
}

static void
test_double_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Desks) desks = { 0 };
  g_autofree char *export_path = path_in (fixture, "export.pfdobundle");
  g_autofree char *reply_path = path_in (fixture, "reply.pfdobundle");
  g_autofree char *again_path = path_in (fixture, "reply-again.pfdobundle");
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *thrice = NULL;
  PfdoSyncStats stats;

  desks_init (fixture, &desks);
  work_offline (desks.offline, 3);
  export_to (desks.offline, export_path, 4);

  /* The same stick relayed twice: the second time, all duplicates. */
  stats = relay (fixture, desks.connected, export_path, reply_path);
  g_assert_cmpuint (stats.applied, ==, 4);
  stats = relay (fixture, desks.connected, export_path, again_path);
  g_assert_cmpuint (stats.applied, ==, 0);
  g_assert_cmpuint (stats.duplicates, ==, 4);

  import_reply (desks.offline, reply_path);
  once = dump_synced (desks.offline, SAME_SERVER);
  /* The same reply again, and the reply to the second relay. */
  stats = import_reply (desks.offline, reply_path);
  g_assert_cmpuint (stats.applied + stats.duplicates + stats.rejected, ==, 0);
  twice = dump_synced (desks.offline, SAME_SERVER);
  assert_same_text ("a reply imported twice", once, twice);
  import_reply (desks.offline, again_path);
  thrice = dump_synced (desks.offline, SAME_SERVER);
  assert_same_text ("the reply to a second relay", once, thrice);
  g_assert_cmpint (count (desks.offline, "SELECT count(*) FROM outbox WHERE state = 'applied'",
                          NULL), ==, 4);
  assert_consistent (desks.offline);
}

static void
test_reordered (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(Desks) desks = { 0 };
  g_autoptr(PfdoStore) twin = NULL;
  g_autofree char *first_path = path_in (fixture, "first.pfdobundle");
  g_autofree char *second_path = path_in (fixture, "second.pfdobundle");
  g_autofree char *first_reply = path_in (fixture, "first-reply.pfdobundle");
  g_autofree char *second_reply = path_in (fixture, "second-reply.pfdobundle");
  g_autofree char *bundle_state = NULL;
  g_autofree char *network_state = NULL;
  PfdoSyncStats stats;

  desks_init (fixture, &desks);
  start_twin_server (fixture);

  /* Monday's stick, then Wednesday's, which carries Monday's work again. */
  work_offline (desks.offline, 4);
  export_to (desks.offline, first_path, 4);
  work_offline (desks.offline, 5);
  export_to (desks.offline, second_path, 8);
  twin = copy_to_twin (&desks);

  stats = relay (fixture, desks.connected, first_path, first_reply);
  g_assert_cmpuint (stats.applied, ==, 4);
  stats = relay (fixture, desks.connected, second_path, second_reply);
  g_assert_cmpuint (stats.applied, ==, 4);
  g_assert_cmpuint (stats.duplicates, ==, 4);

  /* The replies come back the other way round. */
  import_reply (desks.offline, second_reply);
  import_reply (desks.offline, first_reply);
  g_assert_cmpint (count (desks.offline, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                          NULL), ==, 0);
  assert_consistent (desks.offline);

  sync_as (fixture, fixture->twin_base, twin, "ivanova");
  bundle_state = dump_synced (desks.offline, TWIN_SERVER | DONE_IS_DONE);
  network_state = dump_synced (twin, TWIN_SERVER | DONE_IS_DONE);
  assert_same_text ("reordered bundles against network", bundle_state, network_state);
}


/* The format on its own, sealed with the cheapest derivation so that
 * every byte can be tried. */
static GBytes *
small_bundle (const char *passphrase)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PfdoBundleWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(JsonNode) operations = NULL;
  g_autoptr(JsonNode) end = NULL;
  PfdoBundleInfo info = {
    .kind = PFDO_BUNDLE_KIND_EXPORT, .region = (char *) "26",
    .municipality_id = (char *) "00000000-0000-4000-8000-000000000001",
    .device_id = (char *) "00000000-0000-4000-8000-0000000000d1",
  };

  writer = pfdo_bundle_writer_new_with_limits (out, &info, passphrase,
                                               crypto_pwhash_OPSLIMIT_MIN,
                                               crypto_pwhash_MEMLIMIT_MIN, NULL, &error);
  g_assert_no_error (error);
  manifest = json_from_string ("{\"manifest\": {\"operator\": {\"id\": \"op-1\", \"login\": "
                               "\"ivanova\"}, \"cursor\": \"12.e\", \"numbers_left\": 120, "
                               "\"operations\": 2}}", NULL);
  operations = json_from_string ("{\"operations\": [{\"op_id\": \"a\", \"type\": "
                                 "\"certificate.activate\", \"at\": \"2026-09-01T08:00:00Z\", "
                                 "\"payload\": {\"certificate_id\": \"c1\"}, \"operator_id\": "
                                 "\"op-1\"}, {\"op_id\": \"b\", \"type\": \"certificate.freeze\", "
                                 "\"at\": \"2026-09-01T08:01:00Z\", \"payload\": "
                                 "{\"certificate_id\": \"c1\", \"reason\": \"x\"}, "
                                 "\"operator_id\": null}]}", NULL);
  end = json_from_string ("{\"end\": {\"operations\": 2}}", NULL);
  g_assert_true (pfdo_bundle_writer_add (writer, manifest, NULL, &error));
  g_assert_true (pfdo_bundle_writer_add (writer, operations, NULL, &error));
  g_assert_true (pfdo_bundle_writer_finish (writer, end, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static gboolean
verify (const guchar  *data,
        gsize          len,
        const char    *passphrase,
        GError       **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, (gssize) len, NULL);

  return pfdo_bundle_verify_stream (in, passphrase, error);
}

/* Where the records start: after the prefix, the header and the stream's
 * header. */
static gsize
records_offset (const guchar *data)
{
  return 12 + (((gsize) data[10] << 8) | data[11]) + 24;
}

static void
test_format (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) bytes = small_bundle (PASSPHRASE);
  gsize len = 0;
  const guchar *original = g_bytes_get_data (bytes, &len);
  g_autofree guchar *copy = g_memdup2 (original, len);
  gsize body = records_offset (original);
  g_autoptr(GError) error = NULL;
  guint counts[PFDO_BUNDLE_ERROR_NOT_READY + 1] = { 0 };

  g_assert_true (verify (original, len, PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_false (contains ((const char *) original, len, "certificate.activate"));

  g_assert_false (verify (original, len, "другой ключ 2026", &error));
  g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);

  /* Every byte changed, two ways: never accepted, and told for what it is. */
  for (gsize i = 0; i < len; i++)
    for (guint mask = 0x01; mask <= 0x80; mask <<= 7)
      {
        memcpy (copy, original, len);
        copy[i] ^= mask;
        g_assert_false (verify (copy, len, PASSPHRASE, &error));
        g_assert_nonnull (error);
        g_assert_true (error->domain == PFDO_BUNDLE_ERROR);
        counts[error->code]++;
        if (i < 8)
          g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_NOT_A_BUNDLE);
        else if (i == 8 && mask == 0x80)
          g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_NEWER_VERSION);
        else if (i < body - 24)
          g_assert_true (error->code == PFDO_BUNDLE_ERROR_TAMPERED ||
                         error->code == PFDO_BUNDLE_ERROR_WRONG_PASSPHRASE);
        else
          g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TAMPERED);
        g_clear_error (&error);
      }
  g_test_message ("%" G_GSIZE_FORMAT " bytes changed two ways: %u tampered, %u wrong "
                  "passphrase (salt or check), %u not a bundle, %u newer", len,
                  counts[PFDO_BUNDLE_ERROR_TAMPERED], counts[PFDO_BUNDLE_ERROR_WRONG_PASSPHRASE],
                  counts[PFDO_BUNDLE_ERROR_NOT_A_BUNDLE], counts[PFDO_BUNDLE_ERROR_NEWER_VERSION]);
  g_assert_cmpuint (counts[PFDO_BUNDLE_ERROR_WRONG_PASSPHRASE], >, 0);

  /* Cut at every length. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_assert_false (verify (original, cut, PASSPHRASE, &error));
      if (cut == 0)
        g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_NOT_A_BUNDLE);
      else
        g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TRUNCATED);
      g_clear_error (&error);
    }

  /* A byte added at the end. */
  {
    g_autofree guchar *longer = g_malloc (len + 1);

    memcpy (longer, original, len);
    longer[len] = 0;
    g_assert_false (verify (longer, len + 1, PASSPHRASE, &error));
    g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TAMPERED);
    g_clear_error (&error);
  }

  /* The middle record taken out: the others are whole, the chain is not. */
  {
    gsize first = body, second, third;
    g_autofree guchar *shorter = g_malloc (len);

    second = first + 8 + (((gsize) original[first] << 24) | ((gsize) original[first + 1] << 16) |
                          ((gsize) original[first + 2] << 8) | original[first + 3]);
    third = second + 8 + (((gsize) original[second] << 24) | ((gsize) original[second + 1] << 16) |
                          ((gsize) original[second + 2] << 8) | original[second + 3]);
    memcpy (shorter, original, second);
    memcpy (shorter + second, original + third, len - third);
    g_assert_false (verify (shorter, len - (third - second), PASSPHRASE, &error));
    g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TAMPERED);
    g_clear_error (&error);
  }

  /* A header that asks for more memory than the desk allows. */
  pfdo_bundle_set_max_memlimit (4096);
  g_assert_false (verify (original, len, PASSPHRASE, &error));
  g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TAMPERED);
  pfdo_bundle_set_max_memlimit (G_MAXSIZE);
}

static gint64
server_count (Fixture    *fixture,
              const char *sql)
{
  g_autofree char *path = path_in (fixture, "server.sqlite");
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* A copy of @from with its first @len bytes, one of them changed. */
static char *
write_variant (Fixture    *fixture,
               const char *from,
               gsize       len,
               gssize      flip)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  char *path = path_in (fixture, "variant.pfdobundle");

  g_assert_true (g_file_get_contents (from, &contents, &size, &error));
  g_assert_cmpuint (len, <=, size);
  if (flip >= 0)
    contents[flip] ^= 0x20;
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, &error));
  g_assert_no_error (error);
  return path;
}

/* Imports @path on @store, expects @code, and that the store did not change. */
static void
assert_refused (PfdoStore  *store,
                const char *path,
                const char *passphrase,
                int         code)
{
  g_autofree char *before = dump_all (store);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (pfdo_bundle_import_reply (store, path, passphrase, NULL, NULL, NULL, &error));
  g_assert_error (error, PFDO_BUNDLE_ERROR, code);
  after = dump_all (store);
  assert_same_text ("a refused bundle", before, after);
}

static void
assert_relay_refused (Fixture    *fixture,
                      PfdoStore  *store,
                      const char *path,
                      const char *login,
                      GQuark      domain,
                      int         code)
{
  g_autofree char *reply = path_in (fixture, "refused-reply.pfdobundle");
  g_autofree char *before = dump_all (store);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ops = server_count (fixture, "SELECT count(*) FROM op_log");

  g_assert_false (pfdo_bundle_relay (store, path, PASSPHRASE, fixture->base, login, PASSWORD,
                                     NULL, reply, NULL, NULL, &error));
  g_assert_error (error, domain, code);
  g_assert_false (g_file_test (reply, G_FILE_TEST_EXISTS));
  g_assert_cmpint (server_count (fixture, "SELECT count(*) FROM op_log"), ==, ops);
  after = dump_all (store);
  assert_same_text ("a refused relay", before, after);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(Desks) desks = { 0 };
  g_autofree char *export_path = path_in (fixture, "export.pfdobundle");
  g_autofree char *reply_path = path_in (fixture, "reply.pfdobundle");
  g_autofree char *contents = NULL;
  g_autofree char *municipality = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) boundaries = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize size = 0, header_len, body;
  const char *created;

  desks_init (fixture, &desks);
  work_offline (desks.offline, 6);
  export_to (desks.offline, export_path, 4);
  relay (fixture, desks.connected, export_path, reply_path);

  g_assert_true (g_file_get_contents (reply_path, &contents, &size, &error));
  header_len = ((gsize) (guchar) contents[10] << 8) | (guchar) contents[11];
  body = 12 + header_len + 24;
  for (gsize at = body; at < size;)
    {
      g_array_append_val (boundaries, at);
      at += 8 + (((gsize) (guchar) contents[at] << 24) | ((gsize) (guchar) contents[at + 1] << 16) |
                 ((gsize) (guchar) contents[at + 2] << 8) | (guchar) contents[at + 3]);
    }
  g_assert_cmpuint (boundaries->len, >=, 4);
  created = g_strstr_len (contents + 12, (gssize) header_len, "\"created_at\":\"");
  g_assert_nonnull (created);

  /* A byte changed in the header, the stream's header, a record, a frame,
   * a tag. */
  {
    gsize positions[] = {
      9, (gsize) (created - contents) + 16, 12 + header_len + 5,
      g_array_index (boundaries, gsize, 0) + 8 + 3, g_array_index (boundaries, gsize, 1) + 2,
      g_array_index (boundaries, gsize, 2) + 8 + 40, size / 2, size - 1,
    };

    for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
      {
        g_autofree char *variant = write_variant (fixture, reply_path, size, positions[i]);

        assert_refused (desks.offline, variant, PASSPHRASE, PFDO_BUNDLE_ERROR_TAMPERED);
      }
  }

  /* Cut anywhere: in the prefix, the header, the first record, at the
   * boundary before the last record, a byte short. */
  {
    gsize lengths[] = {
      5, 11, 12 + header_len / 2, body - 3, body + 20,
      g_array_index (boundaries, gsize, boundaries->len - 1), size - 1,
    };

    for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
      {
        g_autofree char *variant = write_variant (fixture, reply_path, lengths[i], -1);

        assert_refused (desks.offline, variant, PASSPHRASE, PFDO_BUNDLE_ERROR_TRUNCATED);
      }
  }

  assert_refused (desks.offline, reply_path, "неверный ключ 2026",
                  PFDO_BUNDLE_ERROR_WRONG_PASSPHRASE);

  /* A newer format, and a file that is no bundle at all. */
  {
    g_autofree char *variant = write_variant (fixture, reply_path, size, -1);
    g_autofree char *csv = path_in (fixture, "class.csv");

    contents[8] = 2;
    g_assert_true (g_file_set_contents (variant, contents, (gssize) size, NULL));
    contents[8] = 1;
    assert_refused (desks.offline, variant, PASSPHRASE, PFDO_BUNDLE_ERROR_NEWER_VERSION);
    g_assert_true (g_file_set_contents (csv, "Фамилия;Имя\n", -1, NULL));
    assert_refused (desks.offline, csv, PASSPHRASE, PFDO_BUNDLE_ERROR_NOT_A_BUNDLE);
  }

  /* The reply on a desk it is not meant for; the export back on its desk;
   * an export where a reply is expected. */
  assert_refused (desks.connected, reply_path, PASSPHRASE, PFDO_BUNDLE_ERROR_WRONG_DESK);
  assert_refused (desks.offline, export_path, PASSPHRASE, PFDO_BUNDLE_ERROR_OWN_EXPORT);
  assert_refused (desks.connected, export_path, PASSPHRASE, PFDO_BUNDLE_ERROR_WRONG_KIND);

  /* A desk of another region. */
  g_assert_true (pfdo_store_set_setting (desks.offline, "region", "27", &error));
  assert_refused (desks.offline, reply_path, PASSPHRASE, PFDO_BUNDLE_ERROR_WRONG_REGION);
  g_assert_true (pfdo_store_set_setting (desks.offline, "region", "26", &error));

  /* Relays refused before anything is sent. */
  assert_relay_refused (fixture, desks.offline, export_path, "ivanova", PFDO_BUNDLE_ERROR,
                        PFDO_BUNDLE_ERROR_OWN_EXPORT);
  assert_relay_refused (fixture, desks.connected, reply_path, "petrov", PFDO_BUNDLE_ERROR,
                        PFDO_BUNDLE_ERROR_WRONG_DESK);
  {
    g_autofree char *variant = write_variant (fixture, export_path, 0, -1);
    g_autofree char *export_contents = NULL;
    gsize export_size = 0;

    g_assert_true (g_file_get_contents (export_path, &export_contents, &export_size, NULL));
    g_free (variant);
    variant = write_variant (fixture, export_path, export_size, (gssize) export_size - 1);
    assert_relay_refused (fixture, desks.connected, variant, "petrov", PFDO_BUNDLE_ERROR,
                          PFDO_BUNDLE_ERROR_TAMPERED);
    g_free (variant);
    variant = write_variant (fixture, export_path, export_size - 30, -1);
    assert_relay_refused (fixture, desks.connected, variant, "petrov", PFDO_BUNDLE_ERROR,
                          PFDO_BUNDLE_ERROR_TRUNCATED);
  }
  /* School staff may not send another desk's work. */
  assert_relay_refused (fixture, desks.connected, export_path, "sidorova", PFDO_DOMAIN_ERROR,
                        PFDO_DOMAIN_ERROR_FORBIDDEN);
  municipality = pfdo_store_dup_setting (desks.connected, "municipality_id");
  g_assert_true (pfdo_store_set_setting (desks.connected, "municipality_id",
                                         "00000000-0000-4000-8000-00000000ffff", &error));
  assert_relay_refused (fixture, desks.connected, export_path, "petrov", PFDO_BUNDLE_ERROR,
                        PFDO_BUNDLE_ERROR_WRONG_MUNICIPALITY);
  g_assert_true (pfdo_store_set_setting (desks.connected, "municipality_id", municipality,
                                         &error));

  /* After all that, the real reply is taken. */
  import_reply (desks.offline, reply_path);
  g_assert_cmpint (count (desks.offline, "SELECT count(*) FROM outbox WHERE state = 'applied'",
                          NULL), ==, 4);
}

/* Nesting deep enough to overflow json-glib's recursive parser (found with
 * the fuzz targets): refused in a server's answer, in a bundle's clear
 * header and in a sealed record, without a crash. */
static void
test_deep_json (Fixture       *fixture,
                gconstpointer  data)
{
  gsize depth = 1000000;
  g_autofree char *deep = g_malloc (depth);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  memset (deep, '[', depth);
  root = pfdo_sync_parse_answer (deep, depth, &error);
  g_assert_null (root);
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* Within the contract's nesting, and in strings, brackets are fine. */
  root = pfdo_sync_parse_answer ("{\"a\": [[[\"[[[[\"]]]}", 19, &error);
  g_assert_no_error (error);
  g_clear_pointer (&root, json_node_unref);

  /* A clear header of 16 KiB of "[" after a good prefix. */
  {
    guchar *bundle = g_malloc0 (12 + 16384 + 24);
    g_autoptr(GInputStream) in = NULL;

    memcpy (bundle, "PFDOBNDL", 8);
    bundle[8] = 1;
    bundle[10] = 16384 >> 8;
    bundle[11] = 0;
    memset (bundle + 12, '[', 16384);
    in = g_memory_input_stream_new_from_data (bundle, 12 + 16384 + 24, g_free);
    g_assert_false (pfdo_bundle_verify_stream (in, PASSPHRASE, &error));
    g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TAMPERED);
    g_clear_error (&error);
  }

  /* A sealed record of it: the file is whole, its content is not a bundle's. */
  {
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
    g_autoptr(PfdoBundleWriter) writer = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GInputStream) in = NULL;
    PfdoBundleInfo info = {
      .kind = PFDO_BUNDLE_KIND_EXPORT, .municipality_id = (char *) "m1",
      .device_id = (char *) "d1",
    };

    writer = pfdo_bundle_writer_new_with_limits (out, &info, PASSPHRASE,
                                                 crypto_pwhash_OPSLIMIT_MIN,
                                                 crypto_pwhash_MEMLIMIT_MIN, NULL, &error);
    g_assert_true (pfdo_bundle_writer_add_text (writer, deep, depth, TRUE, &error));
    g_assert_no_error (error);
    g_output_stream_close (out, NULL, NULL);
    bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
    in = g_memory_input_stream_new_from_bytes (bytes);
    g_assert_false (pfdo_bundle_verify_stream (in, PASSPHRASE, &error));
    g_assert_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_INVALID);
  }
}

int
main (int   argc,
      char *argv[])
{
  static const gboolean with_server = TRUE;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bundle/format", Fixture, NULL, fixture_set_up, test_format, fixture_tear_down);
  g_test_add ("/bundle/deep-json", Fixture, NULL, fixture_set_up, test_deep_json,
              fixture_tear_down);
  g_test_add ("/bundle/refused", Fixture, &with_server, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/bundle/round-trip", Fixture, &with_server, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/bundle/double-import", Fixture, &with_server, fixture_set_up,
              test_double_import, fixture_tear_down);
  g_test_add ("/bundle/reordered", Fixture, &with_server, fixture_set_up, test_reordered,
              fixture_tear_down);

  return g_test_run ();
}
