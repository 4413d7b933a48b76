/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audit log's head on the real pfdo-regiond: anchored at every sync,
 * and a desk whose log was cut short or rewritten since is told so, while
 * its work still syncs.
 */
#include "config.h"

#include <locale.h>

#include "pfdo-audit.h"
#include "pfdo-audit-anchor.h"
#include "pfdo-children.h"
#include "pfdo-sync.h"
#include "pfdo-test-server.h"

#define PASSWORD "пароль-якоря"

typedef struct
{
  char        *dir;
  GSubprocess *server;
  char        *base;
  PfdoStore   *desk;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pfdo-anchor-XXXXXX", NULL);
  fixture->server = pfdo_test_server_start (fixture->dir, PASSWORD, NULL, &fixture->base);
  path = g_build_filename (fixture->dir, "desk.sqlite", NULL);
  fixture->desk = pfdo_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->desk);
  pfdo_test_server_stop (fixture->server);
  pfdo_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->base);
}

/* The anchors the server keeps for this desk, newest last: "count head". */
static char *
server_anchors (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "server.sqlite", NULL);
  g_autoptr(GString) anchors = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count, head FROM audit_anchor "
                                           "WHERE device_id = ? ORDER BY count", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, pfdo_store_get_device_id (fixture->desk), -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (anchors, "%s%lld %s", anchors->len > 0 ? "; " : "",
                            (long long) sqlite3_column_int64 (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&anchors), FALSE);
}

static char *
desk_head (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  gint64 count = -1;

  g_assert_true (pfdo_audit_get_head (fixture->desk, &count, &head, &error));
  g_assert_no_error (error);
  return g_strdup_printf ("%lld %s", (long long) count, head);
}

static gboolean
sync_desk (Fixture        *fixture,
           PfdoSyncStats  *stats,
           GError        **error)
{
  return pfdo_sync_run (fixture->desk, fixture->base, "ivanova", PASSWORD, stats, NULL, error);
}

/* A child registered at the desk: records for the next anchor. */
static void
register_child (Fixture    *fixture,
                const char *first_name)
{
  static guint serial;
  g_autofree char *birth = g_strdup_printf ("2016-02-%02u", 1 + serial % 28);
  g_autofree char *number = g_strdup_printf ("5151%02u", serial++ * 11 % 100);
  PfdoChildInput child = {
    .last_name = "Якорева", .first_name = first_name, .birth_date = birth, .sex = "f",
    .document_type = "birth_certificate", .document_series = "II-ДН", .document_number = number,
  };
  PfdoFamilyInput family = {
    .parent = { .last_name = "Якорева", .first_name = "Мария", .phone = "+79185550101" },
    .children = &child, .n_children = 1, .allow_duplicates = TRUE,
  };
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator_login (fixture->desk, "ivanova", &error));
  result = pfdo_family_register (fixture->desk, &family, NULL, &error);
  g_assert_no_error (error);
}

static int
raw_exec (Fixture    *fixture,
          const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (pfdo_store_get_path (fixture->desk), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

/* Every sync leaves the desk's count and head on the server; syncing
 * again with nothing new is the same anchor, kept once. */
static void
test_anchored (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *anchors = NULL;
  g_autofree char *expected = NULL;
  PfdoSyncStats stats = { 0 };

  g_assert_true (sync_desk (fixture, &stats, &error));
  g_assert_no_error (error);
  first = desk_head (fixture);
  anchors = server_anchors (fixture);
  /* The first sync found an empty log: the genesis head. */
  g_assert_cmpstr (anchors, ==,
                   "0 0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_true (g_str_has_prefix (first, "0 "));

  register_child (fixture, "Анна");
  g_assert_true (sync_desk (fixture, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  second = desk_head (fixture);
  g_clear_pointer (&anchors, g_free);
  anchors = server_anchors (fixture);
  expected = g_strdup_printf ("%s; %s", first, second);
  g_assert_cmpstr (anchors, ==, expected);

  g_assert_true (sync_desk (fixture, &stats, &error));
  g_assert_no_error (error);
  g_clear_pointer (&anchors, g_free);
  anchors = server_anchors (fixture);
  g_assert_cmpstr (anchors, ==, expected);
}

/* Records cut off the end: the chain is whole on the desk, but the
 * server has seen it longer. The sync still sends and receives, and ends
 * with the error the clerk is shown. */
static void
test_cut_short (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(PfdoAuditCheck) check = { 0 };
  PfdoSyncStats stats = { 0 };

  g_assert_true (sync_desk (fixture, &stats, &error));
  register_child (fixture, "Анна");
  g_assert_true (sync_desk (fixture, &stats, &error));
  g_assert_no_error (error);

  /* Work waits to be sent; then the log loses its end, that work's
   * records with it. */
  register_child (fixture, "Вера");
  g_assert_cmpint (raw_exec (fixture, "DROP TRIGGER audit_log_no_delete; "
                                      "DELETE FROM audit_log WHERE seq > 1"), ==, SQLITE_OK);
  g_assert_true (pfdo_audit_verify (fixture->desk, &check, &error));
  g_assert_cmpint (check.fault, ==, PFDO_AUDIT_FAULT_NONE);
  g_assert_cmpint (check.count, ==, 1);

  g_assert_false (sync_desk (fixture, &stats, &error));
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED);
  /* The work went all the same. */
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_assert_cmpint (pfdo_store_query_int (fixture->desk, "SELECT count(*) FROM outbox WHERE "
                                                        "state = 'pending'", NULL, NULL), ==, 0);
  g_assert_cmpuint (stats.pulled, >, 0);
}

/* The last record rewritten, chain and all: as many records, another
 * head. */
static void
test_rewritten (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };

  g_assert_true (sync_desk (fixture, &stats, &error));
  register_child (fixture, "Анна");
  g_assert_true (sync_desk (fixture, &stats, &error));
  g_assert_no_error (error);

  g_assert_cmpint (raw_exec (fixture, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET "
                                      "hash = 'ffffffffffffffffffffffffffffffffffffffffffffffffffff"
                                      "ffffffffffff' WHERE seq = (SELECT max (seq) FROM "
                                      "audit_log)"), ==, SQLITE_OK);
  g_assert_false (sync_desk (fixture, &stats, &error));
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED);
}

/* The answers, read without a server. */
static void
test_answers (void)
{
  const struct
  {
    guint       status;
    const char *body;
    int         code;   /* -1: kept */
  } answers[] = {
    { 201, "{\"device_id\": \"d\", \"count\": 3}", -1 },
    { 409, "{\"code\": \"audit_chain_diverged\", \"status\": 409}",
      PFDO_SYNC_ERROR_AUDIT_DIVERGED },
    { 409, "{\"code\": \"something_else\"}", PFDO_SYNC_ERROR_PROTOCOL },
    { 422, "{\"code\": \"invalid_field\", \"field\": \"head\"}", PFDO_SYNC_ERROR_PROTOCOL },
    { 200, "{}", PFDO_SYNC_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(JsonNode) root = json_from_string (answers[i].body, NULL);
      g_autoptr(GError) error = NULL;
      gboolean kept = pfdo_audit_anchor_answer (answers[i].status, root, &error);

      g_assert_cmpint (kept, ==, answers[i].code < 0);
      if (answers[i].code >= 0)
        g_assert_error (error, PFDO_SYNC_ERROR, answers[i].code);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit-anchor/answers", test_answers);
  g_test_add ("/audit-anchor/anchored", Fixture, NULL, fixture_set_up, test_anchored,
              fixture_tear_down);
  g_test_add ("/audit-anchor/cut-short", Fixture, NULL, fixture_set_up, test_cut_short,
              fixture_tear_down);
  g_test_add ("/audit-anchor/rewritten", Fixture, NULL, fixture_set_up, test_rewritten,
              fixture_tear_down);

  return g_test_run ();
}
