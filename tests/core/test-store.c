/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-error.h"
#include "pfdo-store.h"
#include "pfdo-text.h"

static char *
temp_store_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-test-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "store.db", NULL);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static void
test_store_create (void)
{
  g_autofree char *path = temp_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autofree char *device_id = NULL;

  store = pfdo_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  /* Personal data: only the owner reads a new store. */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  g_assert_cmpint (pfdo_store_get_latest_version (), >=, 1);
  g_assert_cmpint (pfdo_store_get_schema_version (store), ==, pfdo_store_get_latest_version ());
  g_assert_cmpint (pfdo_store_query_int (store, "PRAGMA foreign_keys", NULL, &error), ==, 1);
  g_assert_cmpint (pfdo_store_query_int (store, "PRAGMA synchronous", NULL, &error), ==, 2);
  g_assert_cmpint (pfdo_store_query_int (store, "PRAGMA application_id", NULL, &error), ==,
                   PFDO_STORE_APPLICATION_ID);
  g_assert_nonnull (pfdo_store_get_device_id (store));
  device_id = g_strdup (pfdo_store_get_device_id (store));
  g_clear_object (&store);

  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, pfdo_store_get_latest_version ());

  /* Reopening migrates nothing and keeps the device. */
  store = pfdo_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pfdo_store_get_device_id (store), ==, device_id);
  {
    g_autofree char *wal = NULL;
    sqlite3_stmt *stmt = pfdo_store_prepare (store, "PRAGMA journal_mode", &error);
    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    wal = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    g_assert_cmpstr (wal, ==, "wal");
  }
}

static void
test_store_refuses_newer (void)
{
  g_autofree char *path = temp_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  sqlite3 *db = NULL;

  store = pfdo_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  /* A later program's store: a version this one does not know, in rollback
   * journal mode so that the file alone is the whole store. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 999",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  store = pfdo_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_TOO_NEW);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 999);
}

static void
test_store_refuses_foreign (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-test-XXXXXX", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_set_contents (text, "this is not a database, just some notes\n"
                                      "and a second line to make it longer than a header",
                                      -1, NULL));
  store = pfdo_store_open (text, &error);
  g_assert_null (store);
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_NOT_A_STORE);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE notes (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = pfdo_store_open (other, &error);
  g_assert_null (store);
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_NOT_A_STORE);
}

typedef struct
{
  const char *key;
  gboolean    fail;
  gboolean    nested_fail;
} WriteData;

static gboolean
write_nested_cb (PfdoStore *store,
                 gpointer   user_data,
                 GError   **error)
{
  WriteData *data = user_data;

  if (!pfdo_store_set_setting (store, "nested", "yes", error))
    return FALSE;
  if (data->nested_fail)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE, "nested refusal");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  WriteData *data = user_data;
  g_autoptr(GError) nested_error = NULL;

  g_assert_true (pfdo_store_in_transaction (store));
  if (!pfdo_store_set_setting (store, data->key, "1", error))
    return FALSE;
  /* A nested write that fails is undone alone, as a savepoint. */
  if (!pfdo_store_write (store, write_nested_cb, data, &nested_error))
    g_assert_error (nested_error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  if (data->fail)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE, "refused");
      return FALSE;
    }
  return TRUE;
}

static void
count_changed_cb (guint *count)
{
  (*count)++;
}

static void
test_store_write (void)
{
  g_autofree char *path = temp_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  WriteData ok = { "committed", FALSE, TRUE };
  WriteData bad = { "rolled-back", TRUE, FALSE };
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *v3 = NULL;
  guint changed = 0;

  g_assert_no_error (error);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (count_changed_cb), &changed);
  g_assert_true (pfdo_store_write (store, write_cb, &ok, &error));
  g_assert_no_error (error);
  /* One commit, one word to whoever shows the store. */
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (pfdo_store_in_transaction (store));
  v1 = pfdo_store_dup_setting (store, "committed");
  g_assert_cmpstr (v1, ==, "1");
  v3 = pfdo_store_dup_setting (store, "nested");
  g_assert_null (v3);

  g_assert_false (pfdo_store_write (store, write_cb, &bad, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  v2 = pfdo_store_dup_setting (store, "rolled-back");
  g_assert_null (v2);
  g_assert_false (pfdo_store_in_transaction (store));
  /* Nothing changed, nothing said. */
  g_assert_cmpuint (changed, ==, 1);
}

static gboolean
audit_twice_cb (PfdoStore *store,
                gpointer   user_data,
                GError   **error)
{
  return pfdo_store_audit (store, "test.first", "child", "c1", NULL, error) &&
         pfdo_store_audit (store, "test.second", "child", "c1", "issued → accounting", error) &&
         pfdo_store_enqueue (store, "child.verify", "child", "c1", "{\"child_id\": \"c1\"}", error);
}

static void
test_store_append_only (void)
{
  g_autofree char *path = temp_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  sqlite3_stmt *stmt;
  g_autofree char *first_hash = NULL;
  g_autofree char *second_prev = NULL;

  g_assert_no_error (error);
  g_assert_true (pfdo_store_write (store, audit_twice_cb, NULL, &error));
  g_assert_no_error (error);

  stmt = pfdo_store_prepare (store, "SELECT hash, prev_hash FROM audit_log ORDER BY seq", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  first_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  second_prev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  g_assert_cmpstr (first_hash, ==, second_prev);
  g_assert_cmpint (strlen (first_hash), ==, 64);

  g_assert_false (pfdo_store_exec (store, "UPDATE audit_log SET action = 'x'", &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (pfdo_store_exec (store, "DELETE FROM audit_log", &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (pfdo_store_exec (store,
    "INSERT INTO municipality (id, name, mode) VALUES ('m1', 'Город', 'personified');"
    "INSERT INTO parent (id, last_name, first_name, municipality_id, created_at)"
    "  VALUES ('p1', 'Иванова', 'Анна', 'm1', '2026-01-01T00:00:00Z');"
    "INSERT INTO child (id, parent_id, last_name, first_name, birth_date, sex, municipality_id,"
    "  created_at) VALUES ('c1', 'p1', 'Иванов', 'Пётр', '2015-01-01', 'm', 'm1', '2026');"
    "INSERT INTO certificate (id, number, child_id, municipality_id, issued_at)"
    "  VALUES ('z1', '0000000001', 'c1', 'm1', '2026');"
    "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at)"
    "  VALUES ('l1', 'z1', '2026/27', 'grant', 100, '2026');", &error));
  g_assert_no_error (error);
  g_assert_false (pfdo_store_exec (store, "UPDATE ledger_entry SET amount_kopecks = 1", &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (pfdo_store_exec (store, "DELETE FROM ledger_entry", &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Zero and negative amounts never enter the ledger. */
  g_assert_false (pfdo_store_exec (store,
    "INSERT INTO ledger_entry (id, certificate_id, period, kind, amount_kopecks, created_at)"
    "  VALUES ('l2', 'z1', '2026/27', 'grant', 0, '2026')", &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* One certificate per child, ever. */
  g_assert_false (pfdo_store_exec (store,
    "INSERT INTO certificate (id, number, child_id, municipality_id, issued_at)"
    "  VALUES ('z2', '0000000002', 'c1', 'm1', '2026')", &error));
  g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Search columns are folded: ё is е, case does not matter. */
  g_assert_cmpint (pfdo_store_query_int (store,
                   "SELECT count(*) FROM child WHERE search_first_name = ?", "петр", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_store_query_int (store, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                                         NULL, &error), ==, 1);
}

static gboolean
enqueue_three_cb (PfdoStore *store,
                  gpointer   user_data,
                  GError   **error)
{
  return pfdo_store_enqueue (store, "child.verify", "child", "c1", "{}", error) &&
         pfdo_store_enqueue (store, "child.correct", "child", "c1", "{}", error) &&
         pfdo_store_enqueue (store, "certificate.activate", "certificate", "z1", "{}", error);
}

static PfdoRecordSync
record_sync (PfdoStore  *store,
             const char *entity,
             const char *id,
             char      **out_code)
{
  g_autoptr(GError) error = NULL;
  PfdoRecordSync state = pfdo_store_get_record_sync (store, entity, id, out_code, NULL, &error);

  g_assert_no_error (error);
  return state;
}

/* A record shows what the server made of this desk's changes to it. */
static void
test_store_record_sync (void)
{
  g_autofree char *path = temp_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  g_autofree char *code = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (record_sync (store, "child", "c1", NULL), ==, PFDO_RECORD_SYNC_NONE);
  g_assert_true (pfdo_store_write (store, enqueue_three_cb, NULL, &error));
  g_assert_cmpint (record_sync (store, "child", "c1", NULL), ==, PFDO_RECORD_SYNC_WAITING);
  g_assert_cmpint (record_sync (store, "child", "c2", NULL), ==, PFDO_RECORD_SYNC_NONE);

  /* The first refused, the second made after it still waiting: waiting. */
  g_assert_true (pfdo_store_exec (store, "UPDATE outbox SET state = 'rejected', code = "
                                         "'already_decided', detail = 'at another office' "
                                         "WHERE type = 'child.verify'", &error));
  g_assert_cmpint (record_sync (store, "child", "c1", &code), ==, PFDO_RECORD_SYNC_WAITING);
  g_assert_null (code);
  /* The newer one refused too: the refusal shows, with its code. */
  g_assert_true (pfdo_store_exec (store, "UPDATE outbox SET state = 'rejected', code = "
                                         "'invalid_field' WHERE type = 'child.correct'", &error));
  g_assert_cmpint (record_sync (store, "child", "c1", &code), ==, PFDO_RECORD_SYNC_REJECTED);
  g_assert_cmpstr (code, ==, "invalid_field");
  g_clear_pointer (&code, g_free);

  /* A later change applied: the refusal was dealt with. */
  g_assert_true (pfdo_store_exec (store, "UPDATE outbox SET state = 'applied' "
                                         "WHERE type = 'child.correct'", &error));
  g_assert_cmpint (record_sync (store, "child", "c1", &code), ==, PFDO_RECORD_SYNC_SYNCED);
  g_assert_null (code);
  g_assert_cmpint (record_sync (store, "certificate", "z1", NULL), ==, PFDO_RECORD_SYNC_WAITING);
  g_assert_true (pfdo_store_exec (store, "UPDATE outbox SET state = 'duplicate' "
                                         "WHERE type = 'certificate.activate'", &error));
  g_assert_cmpint (record_sync (store, "certificate", "z1", NULL), ==, PFDO_RECORD_SYNC_SYNCED);
}

/* An operator signs in by login; a disabled or unknown one cannot. */
static void
test_store_operator_login (void)
{
  g_autofree char *path = temp_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (pfdo_store_exec (store,
                                  "INSERT INTO municipality (id, name, mode) VALUES "
                                  "('m1', 'Округ', 'personified');"
                                  "INSERT INTO operator (id, login, full_name, role, "
                                  "municipality_id, is_active, created_at) VALUES "
                                  "('op-1', 'clerk', 'Специалист', 'moc_clerk', 'm1', 1, 'now'), "
                                  "('op-2', 'gone', 'Уволена', 'moc_admin', 'm1', 0, 'now');",
                                  &error));
  g_assert_true (pfdo_store_set_operator_login (store, "clerk", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pfdo_store_get_operator_id (store), ==, "op-1");
  g_assert_cmpint (pfdo_store_get_operator_role (store), ==, PFDO_ROLE_MOC_CLERK);
  g_assert_cmpstr (pfdo_store_get_operator_municipality_id (store), ==, "m1");

  /* A refused sign-in leaves nobody signed in, not the one before. */
  g_assert_false (pfdo_store_set_operator_login (store, "gone", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (pfdo_store_get_operator_id (store));
  g_clear_error (&error);
  g_assert_false (pfdo_store_set_operator_login (store, "nobody", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_assert_cmpint (pfdo_store_get_operator_role (store), ==, PFDO_ROLE_NONE);
}

static void
test_store_catalog_index (void)
{
  g_autofree char *path = temp_store_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (pfdo_store_exec (store,
    "INSERT INTO municipality (id, name, mode) VALUES ('m1', 'Город', 'personified');"
    "INSERT INTO provider (id, name, kind, municipality_id) VALUES ('pr1', 'Дом творчества Ёлочка', 'municipal', 'm1');"
    "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, age_max, funding, activity)"
    "  VALUES ('g1', 'pr1', 'm1', 'Робототехника для начинающих', 'technical', 7, 12, 'certified', 'конструирование');"
    "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, age_max, funding)"
    "  VALUES ('g2', 'pr1', 'm1', 'Шахматы', 'sports', 5, 17, 'budget');", &error));
  g_assert_no_error (error);

  /* Prefix, any case, and ё typed as е both find the provider's programs. */
  g_assert_cmpint (pfdo_store_query_int (store,
                   "SELECT count(*) FROM program_fts WHERE program_fts MATCH ?", "робот*", &error), ==, 1);
  g_assert_cmpint (pfdo_store_query_int (store,
                   "SELECT count(*) FROM program_fts WHERE program_fts MATCH ?", "елочка", &error), ==, 2);
  g_assert_true (pfdo_store_exec (store,
                                  "UPDATE provider SET name = 'Станция юных техников' WHERE id = 'pr1'",
                                  &error));
  g_assert_cmpint (pfdo_store_query_int (store,
                   "SELECT count(*) FROM program_fts WHERE program_fts MATCH ?", "елочка", &error), ==, 0);
  g_assert_cmpint (pfdo_store_query_int (store,
                   "SELECT count(*) FROM program_fts WHERE program_fts MATCH ?", "техн*", &error), ==, 2);
  g_assert_true (pfdo_store_exec (store, "DELETE FROM program WHERE id = 'g2'", &error));
  g_assert_cmpint (pfdo_store_query_int (store,
                   "SELECT count(*) FROM program_fts WHERE program_fts MATCH ?", "шахм*", &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_text_fold (void)
{
  struct { const char *in, *out; } cases[] = {
    { "Пётр", "петр" },
    { "  ЁЛКИН   Семён  ", "елкин семен" },
    { "Анна-Мария", "анна-мария" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = pfdo_text_fold (cases[i].in);
      g_assert_cmpstr (folded, ==, cases[i].out);
    }
  g_assert_null (pfdo_text_fold (NULL));
  g_assert_true (pfdo_text_equal_folded ("Ёжиков", "ежиков"));
  g_assert_false (pfdo_text_equal_folded ("Ежиков", "Ежова"));

  g_assert_cmpuint (pfdo_text_edit_distance ("123456", "123456", 1), ==, 0);
  g_assert_cmpuint (pfdo_text_edit_distance ("123456", "123457", 1), ==, 1);
  g_assert_cmpuint (pfdo_text_edit_distance ("123456", "12345", 1), ==, 1);
  g_assert_cmpuint (pfdo_text_edit_distance ("123456", "1234567", 1), ==, 1);
  g_assert_cmpuint (pfdo_text_edit_distance ("123456", "654321", 1), ==, 2);
  g_assert_cmpuint (pfdo_text_edit_distance ("АБВ", "АБГ", 3), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/create", test_store_create);
  g_test_add_func ("/store/refuses-newer", test_store_refuses_newer);
  g_test_add_func ("/store/refuses-foreign", test_store_refuses_foreign);
  g_test_add_func ("/store/write", test_store_write);
  g_test_add_func ("/store/append-only", test_store_append_only);
  g_test_add_func ("/store/catalog-index", test_store_catalog_index);
  g_test_add_func ("/store/record-sync", test_store_record_sync);
  g_test_add_func ("/store/operator-login", test_store_operator_login);
  g_test_add_func ("/text/fold", test_text_fold);

  return g_test_run ();
}
