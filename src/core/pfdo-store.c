/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-store"

#include "config.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pfdo-error.h"
#include "pfdo-migrations-resources.h"
#include "pfdo-store.h"
#include "pfdo-text.h"

#define MIGRATIONS_PATH "/ru/pfdo/Desk/migrations/"
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/**
 * PfdoStore:
 *
 * One desk's SQLite file: one connection, the pragmas, the migrations, a
 * cache of prepared statements and the single write path. Every change is
 * made inside pfdo_store_write(), in one `BEGIN IMMEDIATE` transaction
 * (a savepoint when nested), together with its audit record and outbox
 * operation. A store is used from one thread at a time.
 */
struct _PfdoStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;
  guint       write_depth;
  char       *device_id;
  gboolean    no_outbox;

  char       *operator_id;
  PfdoRole    operator_role;
  char       *operator_municipality_id;
  char       *operator_office_id;
};

G_DEFINE_FINAL_TYPE (PfdoStore, pfdo_store, G_TYPE_OBJECT)

static void
pfdo_store_finalize (GObject *object)
{
  PfdoStore *self = (PfdoStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_exec (self->db, "PRAGMA optimize", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->operator_id, g_free);
  g_clear_pointer (&self->operator_municipality_id, g_free);
  g_clear_pointer (&self->operator_office_id, g_free);

  G_OBJECT_CLASS (pfdo_store_parent_class)->finalize (object);
}

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pfdo_store_class_init (PfdoStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pfdo_store_finalize;

  /**
   * PfdoStore::changed:
   *
   * A write through pfdo_store_write() was committed, on the thread that
   * made it: whoever shows counts of the store reads them again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pfdo_store_init (PfdoStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

static void
set_sqlite_error (sqlite3 *db,
                  int      rc,
                  GError **error)
{
  PfdoStoreError code;
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = PFDO_STORE_ERROR_BUSY;
      break;
    case SQLITE_CORRUPT:
      code = PFDO_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_NOTADB:
      code = PFDO_STORE_ERROR_NOT_A_STORE;
      break;
    case SQLITE_CONSTRAINT:
      code = PFDO_STORE_ERROR_CONSTRAINT;
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      code = PFDO_STORE_ERROR_IO;
      break;
    case SQLITE_FULL:
      code = PFDO_STORE_ERROR_FULL;
      break;
    case SQLITE_READONLY:
      code = PFDO_STORE_ERROR_READONLY;
      break;
    default:
      code = PFDO_STORE_ERROR_FAILED;
      break;
    }

  /* SQLite's messages name tables and columns, never the values. */
  g_set_error (error, PFDO_STORE_ERROR, code, _("The store could not be read or written: %s"),
               message);
}

void
pfdo_store_set_error (PfdoStore *self,
                      int        rc,
                      GError   **error)
{
  g_return_if_fail (PFDO_IS_STORE (self));

  set_sqlite_error (self->db, rc, error);
}

/* pfdo_fold(text): the SQL face of pfdo_text_fold(), used by generated
 * columns and the catalog index. */
static void
sql_fold (sqlite3_context *context,
          int              argc,
          sqlite3_value  **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  folded = pfdo_text_fold (text);
  sqlite3_result_text (context, folded, -1, g_free);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gint64
pragma_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static GPtrArray *
list_migrations (void)
{
  g_auto(GStrv) names = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  names = g_resource_enumerate_children (pfdo_migrations_get_resource (), MIGRATIONS_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (list, g_strdup (names[i]));

  /* Names start with their number, zero-padded: sorting orders them. */
  g_ptr_array_sort (list, compare_names);
  return list;
}

/**
 * pfdo_store_get_latest_version:
 *
 * Returns: the schema version this program writes: the number of migrations
 */
int
pfdo_store_get_latest_version (void)
{
  g_autoptr(GPtrArray) list = list_migrations ();

  return (int) list->len;
}

static gboolean
apply_migrations (PfdoStore *self,
                  int        from,
                  GError   **error)
{
  g_autoptr(GPtrArray) list = list_migrations ();

  for (guint i = (guint) from; i < list->len; i++)
    {
      g_autofree char *path = g_strconcat (MIGRATIONS_PATH, g_ptr_array_index (list, i), NULL);
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", i + 1);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      gsize len;

      bytes = g_resource_lookup_data (pfdo_migrations_get_resource (), path,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));

      if (!exec_sql (self->db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_sql (self->db, sql, error) ||
          !exec_sql (self->db, pragma, error) ||
          !exec_sql (self->db, "COMMIT", error))
        {
          g_autoptr(GError) local_error = NULL;

          exec_sql (self->db, "ROLLBACK", &local_error);
          g_prefix_error (error, _("Could not upgrade the store to version %u: "), i + 1);
          return FALSE;
        }
      g_debug ("Store migrated to version %u", i + 1);
    }

  return TRUE;
}

static gboolean
ensure_device_id (PfdoStore *self,
                  GError   **error)
{
  self->device_id = pfdo_store_dup_setting (self, "device_id");
  if (self->device_id != NULL)
    return TRUE;

  self->device_id = pfdo_uuid_new ();
  return pfdo_store_set_setting (self, "device_id", self->device_id, error);
}

/**
 * pfdo_store_open:
 * @path: the store's file; created when missing
 * @error: a location for a #GError
 *
 * Opens a store, creating it or bringing its schema up to date. A file that
 * is not a store, or a store written by a newer program, is refused and left
 * as it is.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
PfdoStore *
pfdo_store_open (const char *path,
                 GError    **error)
{
  g_autoptr(PfdoStore) self = NULL;
  gint64 application_id, user_version, objects;
  int latest;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PFDO_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  /* Children's personal data: a new store is readable by its owner only,
   * and SQLite gives its -wal and -shm files the same permissions. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);

      if (fd >= 0)
        g_close (fd, NULL);
    }

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_IO,
                   _("Could not open the store “%s”: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  rc = sqlite3_create_function (self->db, "pfdo_fold", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                sql_fold, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }

  /* Look before writing anything: a foreign or newer file stays untouched. */
  application_id = pragma_int (self->db, "PRAGMA application_id");
  user_version = pragma_int (self->db, "PRAGMA user_version");
  objects = pragma_int (self->db, "SELECT count(*) FROM sqlite_schema");
  if (application_id < 0 || user_version < 0 || objects < 0)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_NOT_A_STORE,
                   _("“%s” is not a pfdo-desk store."), path);
      return NULL;
    }
  if (application_id != PFDO_STORE_APPLICATION_ID && (application_id != 0 || objects > 0))
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_NOT_A_STORE,
                   _("“%s” is not a pfdo-desk store."), path);
      return NULL;
    }

  latest = pfdo_store_get_latest_version ();
  if (user_version > latest)
    {
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_TOO_NEW,
                   _("The store “%s” was written by a newer version of pfdo-desk "
                     "(schema %d, this program knows up to %d). Update the program; "
                     "the store was not changed."),
                   path, (int) user_version, latest);
      return NULL;
    }

  if (!exec_sql (self->db,
                 "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = FULL;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA temp_store = MEMORY;"
                 "PRAGMA cache_size = -32000;",
                 error))
    return NULL;

  if (application_id == 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d",
                                              PFDO_STORE_APPLICATION_ID);
      if (!exec_sql (self->db, sql, error))
        return NULL;
    }

  if (!apply_migrations (self, (int) user_version, error))
    return NULL;

  if (!ensure_device_id (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
pfdo_store_get_path (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);

  return self->path;
}

int
pfdo_store_get_schema_version (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), -1);

  return (int) pragma_int (self->db, "PRAGMA user_version");
}

/**
 * pfdo_store_get_db:
 *
 * The raw connection, for core modules that need more than the helpers
 * here (bulk loading, column reads). Every write still goes inside
 * pfdo_store_write().
 *
 * Returns: (transfer none): the connection
 */
sqlite3 *
pfdo_store_get_db (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);

  return self->db;
}

/**
 * pfdo_store_prepare:
 * @self: a #PfdoStore
 * @sql: one SQL statement with `?` parameters; values are only ever bound
 * @error: a location for a #GError
 *
 * A cached prepared statement, reset and with its bindings cleared. The
 * statement belongs to the store: do not finalize it, and finish with it
 * before preparing the same SQL again.
 *
 * Returns: (transfer none): the statement, or %NULL with @error set
 */
sqlite3_stmt *
pfdo_store_prepare (PfdoStore  *self,
                    const char *sql,
                    GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self->db, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
pfdo_store_exec (PfdoStore  *self,
                 const char *sql,
                 GError    **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);

  return exec_sql (self->db, sql, error);
}

/**
 * pfdo_store_step_done:
 *
 * Steps a statement that changes rows (or whose first row is not wanted)
 * and resets it.
 */
gboolean
pfdo_store_step_done (PfdoStore    *self,
                      sqlite3_stmt *stmt,
                      GError      **error)
{
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);
  g_return_val_if_fail (stmt != NULL, FALSE);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (self->db, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * pfdo_store_query_int:
 * @text_param: (nullable): bound to the first `?`, if any
 *
 * Returns: the first column of the first row, 0 when there is no row, or
 *   -1 with @error set
 */
gint64
pfdo_store_query_int (PfdoStore  *self,
                      const char *sql,
                      const char *text_param,
                      GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 value = 0;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (self), -1);

  stmt = pfdo_store_prepare (self, sql, error);
  if (stmt == NULL)
    return -1;
  if (text_param != NULL)
    sqlite3_bind_text (stmt, 1, text_param, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, rc, error);
      value = -1;
    }
  sqlite3_reset (stmt);
  return value;
}

/**
 * pfdo_store_write:
 * @self: a #PfdoStore
 * @func: the change; returns %FALSE with its error set to undo everything
 * @user_data: for @func
 * @error: a location for a #GError
 *
 * Runs @func in one `BEGIN IMMEDIATE … COMMIT` transaction, or in a
 * savepoint when called from inside another write. When @func fails or the
 * commit fails, nothing of it stays.
 */
gboolean
pfdo_store_write (PfdoStore          *self,
                  PfdoStoreWriteFunc  func,
                  gpointer            user_data,
                  GError            **error)
{
  g_autofree char *savepoint = NULL;
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->write_depth == 0)
    {
      if (!exec_sql (self->db, "BEGIN IMMEDIATE", error))
        return FALSE;
    }
  else
    {
      savepoint = g_strdup_printf ("SAVEPOINT pfdo_%u", self->write_depth);
      if (!exec_sql (self->db, savepoint, error))
        return FALSE;
    }

  self->write_depth++;
  ok = func (self, user_data, error);
  self->write_depth--;

  if (ok)
    {
      if (savepoint == NULL)
        ok = exec_sql (self->db, "COMMIT", error);
      else
        {
          g_autofree char *release = g_strdup_printf ("RELEASE pfdo_%u", self->write_depth);
          ok = exec_sql (self->db, release, error);
        }
      if (ok && savepoint == NULL)
        g_signal_emit (self, signals[CHANGED], 0);
      if (ok)
        return TRUE;
    }

  /* Undo; a failure here must not hide the error that caused it. */
  if (savepoint == NULL)
    {
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  else
    {
      g_autofree char *undo = g_strdup_printf ("ROLLBACK TO pfdo_%u; RELEASE pfdo_%u",
                                               self->write_depth, self->write_depth);
      sqlite3_exec (self->db, undo, NULL, NULL, NULL);
    }
  return FALSE;
}

gboolean
pfdo_store_in_transaction (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);

  return self->write_depth > 0;
}

char *
pfdo_store_dup_setting (PfdoStore  *self,
                        const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = pfdo_store_prepare (self, "SELECT value FROM sync_state WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
pfdo_store_set_setting (PfdoStore  *self,
                        const char *key,
                        const char *value,
                        GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = pfdo_store_prepare (self,
                             "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (self, stmt, error);
}

const char *
pfdo_store_get_device_id (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);

  return self->device_id;
}

PfdoRole
pfdo_role_from_string (const char *role)
{
  if (g_strcmp0 (role, "school_staff") == 0)
    return PFDO_ROLE_SCHOOL_STAFF;
  if (g_strcmp0 (role, "moc_clerk") == 0)
    return PFDO_ROLE_MOC_CLERK;
  if (g_strcmp0 (role, "moc_admin") == 0)
    return PFDO_ROLE_MOC_ADMIN;
  return PFDO_ROLE_NONE;
}

const char *
pfdo_role_to_string (PfdoRole role)
{
  switch (role)
    {
    case PFDO_ROLE_SCHOOL_STAFF:
      return "school_staff";
    case PFDO_ROLE_MOC_CLERK:
      return "moc_clerk";
    case PFDO_ROLE_MOC_ADMIN:
      return "moc_admin";
    case PFDO_ROLE_NONE:
    default:
      return NULL;
    }
}

/**
 * pfdo_store_set_operator:
 * @operator_id: (nullable): an active operator's id, or %NULL to sign out
 *
 * The operator on whose behalf every following action is taken and
 * recorded.
 */
gboolean
pfdo_store_set_operator (PfdoStore  *self,
                         const char *operator_id,
                         GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);

  g_clear_pointer (&self->operator_id, g_free);
  g_clear_pointer (&self->operator_municipality_id, g_free);
  g_clear_pointer (&self->operator_office_id, g_free);
  self->operator_role = PFDO_ROLE_NONE;

  if (operator_id == NULL)
    return TRUE;

  stmt = pfdo_store_prepare (self,
                             "SELECT role, municipality_id, office_id FROM operator "
                             "WHERE id = ? AND is_active = 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, operator_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("There is no active operator with this account."));
      return FALSE;
    }

  self->operator_id = g_strdup (operator_id);
  self->operator_role = pfdo_role_from_string ((const char *) sqlite3_column_text (stmt, 0));
  self->operator_municipality_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  self->operator_office_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * pfdo_store_dup_municipality_id:
 *
 * Returns: (transfer full) (nullable): the municipality the desk serves:
 *   the signed-in operator's, else the desk's own (kept at its last sync),
 *   else %NULL
 */
char *
pfdo_store_dup_municipality_id (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);

  if (self->operator_municipality_id != NULL)
    return g_strdup (self->operator_municipality_id);
  return pfdo_store_dup_setting (self, "municipality_id");
}

/**
 * pfdo_store_set_cache_kib:
 * @kib: the most memory the connection keeps of the file's pages
 *
 * A store opens with a cache sized for bulk work (sync, import, checks);
 * the window, which reads a few index pages at a time, keeps less.
 */
gboolean
pfdo_store_set_cache_kib (PfdoStore  *self,
                          guint       kib,
                          GError    **error)
{
  g_autofree char *pragma = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);

  pragma = g_strdup_printf ("PRAGMA cache_size = -%u", kib);
  return exec_sql (self->db, pragma, error);
}

/**
 * pfdo_store_set_operator_login:
 * @login: an active operator's login
 *
 * Like pfdo_store_set_operator(), for the operator who signs in with
 * @login: the way a person names the account.
 */
gboolean
pfdo_store_set_operator_login (PfdoStore  *self,
                               const char *login,
                               GError    **error)
{
  g_autofree char *operator_id = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  stmt = pfdo_store_prepare (self, "SELECT id FROM operator WHERE login = ? AND is_active = 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    operator_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (operator_id == NULL)
    {
      pfdo_store_set_operator (self, NULL, NULL);
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("There is no active operator with this account."));
      return FALSE;
    }
  return pfdo_store_set_operator (self, operator_id, error);
}

const char *
pfdo_store_get_operator_id (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);

  return self->operator_id;
}

PfdoRole
pfdo_store_get_operator_role (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), PFDO_ROLE_NONE);

  return self->operator_role;
}

const char *
pfdo_store_get_operator_municipality_id (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);

  return self->operator_municipality_id;
}

const char *
pfdo_store_get_operator_office_id (PfdoStore *self)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), NULL);

  return self->operator_office_id;
}

/**
 * pfdo_store_require_role:
 * @least: the least role that may take the action
 *
 * Refuses when nobody is signed in, or when the operator's role is below
 * @least (school_staff < moc_clerk < moc_admin).
 */
gboolean
pfdo_store_require_role (PfdoStore *self,
                         PfdoRole   least,
                         GError   **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);

  if (self->operator_id == NULL)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR,
                   _("Sign in before making changes."));
      return FALSE;
    }
  if (self->operator_role < least)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("Your role does not allow this action."));
      return FALSE;
    }
  return TRUE;
}

/**
 * pfdo_store_audit:
 * @action: what was done, e.g. `child.verify`
 * @entity: the kind of record
 * @record_id: the record's id
 * @detail: (nullable): a note without personal data, e.g. a status change
 *
 * Appends a record to the hash-chained audit log. Call it inside
 * pfdo_store_write() so that it stands or falls with the change.
 */
gboolean
pfdo_store_audit (PfdoStore  *self,
                  const char *action,
                  const char *entity,
                  const char *record_id,
                  const char *detail,
                  GError    **error)
{
  g_autofree char *at = pfdo_now_utc ();
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && entity != NULL && record_id != NULL, FALSE);
  g_return_val_if_fail (self->write_depth > 0, FALSE);

  stmt = pfdo_store_prepare (self, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else
    prev_hash = g_strdup (AUDIT_GENESIS);
  sqlite3_reset (stmt);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
#define FEED(s) G_STMT_START { const char *v_ = (s) ? (s) : ""; \
    g_checksum_update (checksum, (const guchar *) v_, strlen (v_)); \
    g_checksum_update (checksum, (const guchar *) "\n", 1); } G_STMT_END
  FEED (prev_hash);
  FEED (at);
  FEED (self->operator_id);
  FEED (action);
  FEED (entity);
  FEED (record_id);
  FEED (detail);
#undef FEED
  hash = g_strdup (g_checksum_get_string (checksum));

  stmt = pfdo_store_prepare (self,
                             "INSERT INTO audit_log (at, operator_id, action, entity, record_id, "
                             "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->operator_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, record_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, prev_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, hash, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (self, stmt, error);
}

/**
 * pfdo_store_get_record_sync:
 * @entity: the record's entity in the regional API, e.g. `child`
 * @out_code: (out) (optional): the refusal's code, when rejected
 * @out_detail: (out) (optional): the server's words about it
 *
 * The sync state the desk shows on a record: waiting while a change is
 * unsent, unless the server refused a newer one; rejected when the latest
 * answered change was refused; otherwise synced, or none if the desk never
 * changed it. On a failure to read, returns
 * %PFDO_RECORD_SYNC_NONE with @error set.
 */
PfdoRecordSync
pfdo_store_get_record_sync (PfdoStore   *self,
                            const char  *entity,
                            const char  *id,
                            char       **out_code,
                            char       **out_detail,
                            GError     **error)
{
  PfdoRecordSync result = PFDO_RECORD_SYNC_NONE;
  gint64 answered_seq = 0, pending_seq = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (self), PFDO_RECORD_SYNC_NONE);
  g_return_val_if_fail (entity != NULL && id != NULL, PFDO_RECORD_SYNC_NONE);

  if (out_code != NULL)
    *out_code = NULL;
  if (out_detail != NULL)
    *out_detail = NULL;

  /* Answered changes newest first, then whether any waits. */
  stmt = pfdo_store_prepare (self,
                             "SELECT state, code, detail, seq FROM outbox WHERE entity = ?1 "
                             "AND entity_id = ?2 ORDER BY state = 'pending', seq DESC",
                             error);
  if (stmt == NULL)
    return PFDO_RECORD_SYNC_NONE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *state = (const char *) sqlite3_column_text (stmt, 0);

      if (g_str_equal (state, "pending"))
        {
          pending_seq = sqlite3_column_int64 (stmt, 3);
          break;
        }
      if (result != PFDO_RECORD_SYNC_NONE)
        continue;
      answered_seq = sqlite3_column_int64 (stmt, 3);
      if (g_str_equal (state, "rejected"))
        {
          result = PFDO_RECORD_SYNC_REJECTED;
          if (out_code != NULL)
            *out_code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          if (out_detail != NULL)
            *out_detail = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
        }
      else
        result = PFDO_RECORD_SYNC_SYNCED;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pfdo_store_set_error (self, rc, error);
      return PFDO_RECORD_SYNC_NONE;
    }

  /* A change made after the refusal (a correction, say) waits its turn. */
  if (pending_seq > answered_seq || (pending_seq > 0 && result != PFDO_RECORD_SYNC_REJECTED))
    {
      result = PFDO_RECORD_SYNC_WAITING;
      if (out_code != NULL)
        g_clear_pointer (out_code, g_free);
      if (out_detail != NULL)
        g_clear_pointer (out_detail, g_free);
    }
  return result;
}

/**
 * pfdo_store_set_keeps_outbox:
 * @keeps: %FALSE on the regional server, whose own store is the destination
 *
 * Whether actions queue their operations for the regional server.
 */
void
pfdo_store_set_keeps_outbox (PfdoStore *self,
                             gboolean   keeps)
{
  g_return_if_fail (PFDO_IS_STORE (self));

  self->no_outbox = !keeps;
}

/**
 * pfdo_store_enqueue:
 * @type: the operation's type in the regional API, e.g. `child.verify`
 * @entity: the kind of record it concerns, so its sync state can be shown
 * @entity_id: that record's id
 * @payload_json: the operation's payload, a JSON object
 *
 * Appends an operation to the outbox with a fresh op_id (the idempotency
 * key). Call it inside pfdo_store_write() together with the change.
 */
gboolean
pfdo_store_enqueue (PfdoStore  *self,
                    const char *type,
                    const char *entity,
                    const char *entity_id,
                    const char *payload_json,
                    GError    **error)
{
  g_autofree char *op_id = pfdo_uuid_new ();
  g_autofree char *at = pfdo_now_utc ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (self), FALSE);
  g_return_val_if_fail (type != NULL && entity != NULL && entity_id != NULL, FALSE);
  g_return_val_if_fail (payload_json != NULL, FALSE);
  g_return_val_if_fail (self->write_depth > 0, FALSE);

  /* The regional server is where operations go: it keeps none to send. */
  if (self->no_outbox)
    return TRUE;

  stmt = pfdo_store_prepare (self,
                             "INSERT INTO outbox (op_id, type, at, payload, entity, entity_id, "
                             "operator_id) VALUES (?, ?, ?, json (?), ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, payload_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, entity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, self->operator_id, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (self, stmt, error);
}
