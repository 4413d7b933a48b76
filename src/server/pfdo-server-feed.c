/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-server"

#include "config.h"

#include <string.h>

#include "pfdo-server-feed.h"

/*
 * Triggers on every entity table append to change_log, so no write can
 * skip the feed, whoever makes it: an operation, a ledger job, a seed. An
 * update that did not raise the row's version raises it, so a desk can
 * always tell a newer row from an older one. The scope column decides who
 * may read a change even after its row is gone.
 */

typedef struct
{
  const char *name;        /* the contract's entity */
  const char *table;       /* as written in SQL */
  const char *scope;       /* an expression over NEW/OLD (written as R.) */
  gboolean    versioned;
  const char *data;        /* the contract's fields, for json_object () */
} Entity;

static const Entity entities[] = {
  { "municipality", "municipality", "NULL", TRUE,
    "'id', id, 'name', name, 'oktmo', oktmo, 'mode', mode, 'period_start', period_start, "
    "'period_end', period_end, 'nominal_kopecks', nominal_kopecks, 'pf_quota', pf_quota, "
    "'pf_issued', pf_issued" },
  { "office", "office", "NULL", TRUE,
    "'id', id, 'name', name, 'kind', kind, 'municipality_id', municipality_id, 'address', "
    "address, 'phone', phone, 'hours', hours" },
  { "provider", "provider", "NULL", TRUE,
    "'id', id, 'name', name, 'inn', inn, 'kind', kind, 'municipality_id', municipality_id, "
    "'address', address, 'phone', phone" },
  { "program", "program", "NULL", TRUE,
    "'id', id, 'provider_id', provider_id, 'municipality_id', municipality_id, 'title', title, "
    "'direction', direction, 'age_min', age_min, 'age_max', age_max, 'activity', activity, "
    "'level', level, 'form', form, 'funding', funding, 'disability_friendly', "
    "json (CASE disability_friendly WHEN 1 THEN 'true' ELSE 'false' END), 'description', "
    "description, 'hours_total', hours_total, 'months', months, 'hour_price_kopecks', "
    "hour_price_kopecks, 'address', address, 'rating_avg', rating_avg, 'reviews_count', "
    "reviews_count, 'enrollment_open', json (CASE enrollment_open WHEN 1 THEN 'true' ELSE "
    "'false' END), 'is_active', json (CASE is_active WHEN 1 THEN 'true' ELSE 'false' END)" },
  { "group", "\"group\"", "NULL", TRUE,
    "'id', id, 'program_id', program_id, 'name', name, 'teacher', teacher, 'schedule', "
    "json (schedule), 'capacity', capacity, 'enrolled', enrolled, 'starts_on', starts_on, "
    "'ends_on', ends_on" },
  { "review", "review", "NULL", TRUE,
    "'id', id, 'program_id', program_id, 'rating', rating, 'text', text, 'author', author, "
    "'created_at', created_at" },
  { "parent", "parent", "R.municipality_id", TRUE,
    "'id', id, 'last_name', last_name, 'first_name', first_name, 'middle_name', middle_name, "
    "'phone', phone, 'email', email, 'municipality_id', municipality_id, 'created_at', "
    "created_at" },
  { "child", "child", "R.municipality_id", TRUE,
    "'id', id, 'parent_id', parent_id, 'last_name', last_name, 'first_name', first_name, "
    "'middle_name', middle_name, 'birth_date', birth_date, 'sex', sex, 'snils', snils, "
    "'document', CASE WHEN document_type IS NULL THEN NULL ELSE json_object ('type', "
    "document_type, 'series', document_series, 'number', document_number) END, 'address', "
    "address, 'municipality_id', municipality_id, 'verification', json_object ('status', "
    "verification_status, 'decided_at', verification_decided_at, 'operator_id', "
    "verification_operator_id, 'office_id', verification_office_id, 'reason', "
    "verification_reason)" },
  { "certificate", "certificate", "R.municipality_id", TRUE,
    "'id', id, 'number', number, 'child_id', child_id, 'municipality_id', municipality_id, "
    "'status', status, 'issued_at', issued_at, 'activated_at', activated_at, 'closed_at', "
    "closed_at, 'close_reason', close_reason" },
  { "enrollment", "enrollment", "(SELECT municipality_id FROM child WHERE id = R.child_id)", TRUE,
    "'id', id, 'child_id', child_id, 'certificate_id', certificate_id, 'program_id', program_id, "
    "'group_id', group_id, 'status', status, 'months', months, 'monthly_kopecks', "
    "monthly_kopecks, 'created_at', created_at" },
  { "ledger_entry", "ledger_entry",
    "(SELECT municipality_id FROM certificate WHERE id = R.certificate_id)", FALSE,
    "'id', id, 'certificate_id', certificate_id, 'period', period, 'kind', kind, "
    "'amount_kopecks', amount_kopecks, 'enrollment_id', enrollment_id, 'created_at', "
    "created_at" },
  { "number_block", "number_block", "R.device_id", TRUE,
    "'id', id, 'device_id', device_id, 'first', first, 'last', last" },
};

static const char feed_schema[] =
  "CREATE TABLE IF NOT EXISTS change_log ("
  "  seq     INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  entity  TEXT NOT NULL,"
  "  id      TEXT NOT NULL,"
  "  op      TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),"
  "  version INTEGER NOT NULL,"
  "  scope   TEXT,"
  "  at      TEXT"    /* when, for pruning; NULL in logs older than the column */
  ");"
  "CREATE INDEX IF NOT EXISTS change_log_scope ON change_log (scope, seq);"
  "CREATE INDEX IF NOT EXISTS change_log_row ON change_log (entity, id);";

/* The time now in SQL, written for printf: the triggers' text is formatted. */
#define NOW "strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now')"

static char *
scope_of (const Entity *entity,
          const char   *row)
{
  g_autofree char *prefix = g_strconcat (row, ".", NULL);
  g_auto(GStrv) parts = g_strsplit (entity->scope, "R.", -1);

  return g_strjoinv (prefix, parts);
}

static gboolean
install_cb (PfdoStore *store,
            gpointer   user_data,
            GError   **error)
{
  return pfdo_store_exec (store, user_data, error);
}

/**
 * pfdo_server_feed_install:
 *
 * Creates the change log and the triggers that feed it; idempotent.
 */
gboolean
pfdo_server_feed_install (PfdoStore  *store,
                          GError    **error)
{
  g_autoptr(GString) sql = g_string_new (feed_schema);
  gint64 exists;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  exists = pfdo_store_query_int (store, "SELECT count(*) FROM sqlite_master "
                                        "WHERE type = 'table' AND name = 'change_log'",
                                 NULL, error);
  if (exists < 0)
    return FALSE;
  if (exists > 0)
    {
      gint64 has_at = pfdo_store_query_int (store,
                                            "SELECT count(*) FROM pragma_table_info "
                                            "('change_log') WHERE name = ?",
                                            "at", error);

      if (has_at < 0)
        return FALSE;
      /* The table must have the column before the schema's index text. */
      if (has_at == 0)
        g_string_prepend (sql, "ALTER TABLE change_log ADD COLUMN at TEXT;");
    }

  /* Identifiers and expressions here are this file's constants only. */
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      const Entity *e = &entities[i];
      g_autofree char *scope_new = scope_of (e, "NEW");
      g_autofree char *scope_old = scope_of (e, "OLD");
      const char *version_new = e->versioned ? "NEW.version" : "1";
      const char *version_old = e->versioned ? "OLD.version" : "1";

      /* Made anew at every start, so an older store's triggers learn the
       * columns added since. */
      g_string_append_printf (sql,
                              "DROP TRIGGER IF EXISTS %s_feed_insert;"
                              "CREATE TRIGGER %s_feed_insert AFTER INSERT ON %s "
                              "BEGIN INSERT INTO change_log (entity, id, op, version, scope, at) "
                              "VALUES ('%s', NEW.id, 'upsert', %s, %s, " NOW "); END;",
                              e->name, e->name, e->table, e->name, version_new, scope_new);
      g_string_append_printf (sql,
                              "DROP TRIGGER IF EXISTS %s_feed_delete;"
                              "CREATE TRIGGER %s_feed_delete AFTER DELETE ON %s "
                              "BEGIN INSERT INTO change_log (entity, id, op, version, scope, at) "
                              "VALUES ('%s', OLD.id, 'delete', %s + 1, %s, " NOW "); END;",
                              e->name, e->name, e->table, e->name, version_old, scope_old);
      if (e->versioned)
        g_string_append_printf (sql,
                                "DROP TRIGGER IF EXISTS %s_feed_update;"
                                "CREATE TRIGGER %s_feed_update AFTER UPDATE ON %s "
                                "BEGIN "
                                "UPDATE %s SET version = OLD.version + 1 WHERE id = NEW.id "
                                "AND NEW.version <= OLD.version; "
                                "INSERT INTO change_log (entity, id, op, version, scope, at) "
                                "VALUES ('%s', NEW.id, 'upsert', max (NEW.version, "
                                "OLD.version + 1), %s, " NOW "); END;",
                                e->name, e->name, e->table, e->table, e->name, scope_new);
    }

  /* A store filled before it served (a seeded region) gets its rows into
   * the feed once, parents before children. */
  if (exists == 0)
    for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
      g_string_append_printf (sql,
                              "INSERT INTO change_log (entity, id, op, version, scope, at) "
                              "SELECT '%s', id, 'upsert', %s, %s, " NOW " FROM %s AS R "
                              "ORDER BY R.rowid;",
                              entities[i].name, entities[i].versioned ? "R.version" : "1",
                              entities[i].scope, entities[i].table);

  return pfdo_store_write (store, install_cb, sql->str, error);
}

static const Entity *
find_entity (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_str_equal (entities[i].name, name))
      return &entities[i];
  return NULL;
}

/* The statement that writes one upsert change whole, data included. Its
 * text is built once per entity: pages call it for every change. */
static sqlite3_stmt *
prepare_upsert (PfdoStore     *store,
                const Entity  *entity,
                GError       **error)
{
  static char *sql[G_N_ELEMENTS (entities)];
  gsize index = (gsize) (entity - entities);

  if (g_once_init_enter (&sql[index]))
    g_once_init_leave (&sql[index],
                       g_strdup_printf ("SELECT json_object ('seq', ?1, 'entity', '%s', "
                                        "'id', id, 'op', 'upsert', 'version', %s, "
                                        "'data', json_object (%s)) FROM %s WHERE id = ?2",
                                        entity->name, entity->versioned ? "version" : "1",
                                        entity->data, entity->table));

  return pfdo_store_prepare (store, sql[index], error);
}

char *
pfdo_server_feed_page (PfdoStore   *store,
                       gint64       since,
                       guint        limit,
                       const char  *municipality_id,
                       const char  *device_id,
                       GError     **error)
{
  g_autoptr(GString) out = g_string_new ("{\"changes\": [");
  sqlite3_stmt *changes;
  g_autofree char *epoch = NULL;
  gint64 last = since;
  guint n = 0, processed = 0;
  gboolean more = FALSE;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  /* One read transaction: the page is one consistent snapshot. */
  if (!pfdo_store_exec (store, "BEGIN", error))
    return NULL;

  /* In seq order along the rowid, filtering the scope on the way: through
   * the scope index SQLite would merge and sort every remaining change of
   * the three scopes for each page, which made a region's first pull
   * quadratic. */
  changes = pfdo_store_prepare (store,
                                "SELECT seq, entity, id, op, version FROM change_log NOT INDEXED "
                                "WHERE seq > ?1 AND (scope IS NULL OR scope = ?2 OR scope = ?3) "
                                "ORDER BY seq LIMIT ?4",
                                error);
  if (changes == NULL)
    goto failed;
  sqlite3_bind_int64 (changes, 1, since);
  sqlite3_bind_text (changes, 2, municipality_id != NULL ? municipality_id : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (changes, 3, device_id != NULL ? device_id : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (changes, 4, (gint64) limit + 1);

  while ((rc = sqlite3_step (changes)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (changes, 0);
      const char *entity_name = (const char *) sqlite3_column_text (changes, 1);
      const char *id = (const char *) sqlite3_column_text (changes, 2);
      const char *op = (const char *) sqlite3_column_text (changes, 3);
      const Entity *entity = find_entity (entity_name);
      sqlite3_stmt *row;

      if (processed++ == limit)
        {
          more = TRUE;
          break;
        }
      last = seq;
      if (entity == NULL)
        continue;

      if (g_str_equal (op, "upsert"))
        {
          row = prepare_upsert (store, entity, error);
          if (row == NULL)
            goto failed;
          sqlite3_bind_int64 (row, 1, seq);
          sqlite3_bind_text (row, 2, id, -1, SQLITE_TRANSIENT);
        }
      else
        {
          row = pfdo_store_prepare (store,
                                    "SELECT json_object ('seq', seq, 'entity', entity, 'id', id, "
                                    "'op', 'delete', 'version', version) FROM change_log "
                                    "WHERE seq = ?1",
                                    error);
          if (row == NULL)
            goto failed;
          sqlite3_bind_int64 (row, 1, seq);
        }

      /* An upsert whose row is gone is followed by its delete: skip it. */
      if (sqlite3_step (row) == SQLITE_ROW)
        {
          if (n++ > 0)
            g_string_append (out, ", ");
          g_string_append (out, (const char *) sqlite3_column_text (row, 0));
        }
      sqlite3_reset (row);
      sqlite3_clear_bindings (row);
    }
  sqlite3_reset (changes);
  sqlite3_clear_bindings (changes);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      goto failed;
    }

  epoch = pfdo_store_dup_setting (store, "changes_epoch");
  pfdo_store_exec (store, "COMMIT", NULL);
  if (epoch != NULL)
    g_string_append_printf (out, "], \"cursor\": \"%lld.%s\", \"more\": %s}", (long long) last,
                            epoch, more ? "true" : "false");
  else
    g_string_append_printf (out, "], \"cursor\": \"%lld\", \"more\": %s}", (long long) last,
                            more ? "true" : "false");
  return g_string_free (g_steal_pointer (&out), FALSE);

failed:
  pfdo_store_exec (store, "ROLLBACK", NULL);
  return NULL;
}

typedef struct
{
  guint               keep_days;
  PfdoFeedPruneStats *stats;
} Prune;

static gboolean
prune_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  Prune *prune = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -(gint) prune->keep_days);
  g_autofree char *cutoff_text = g_date_time_format (cutoff, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *floor_text = NULL;
  g_autofree char *old_floor = pfdo_store_dup_setting (store, "changes_floor");
  gint64 floor, superseded, deletes;

  /* A row's older changes say nothing its latest does not: the feed
   * serves the row as it is now. Dropping them expires no cursor. */
  if (!pfdo_store_exec (store,
                        "DELETE FROM change_log WHERE seq NOT IN "
                        "(SELECT max (seq) FROM change_log GROUP BY entity, id)",
                        error))
    return FALSE;
  superseded = sqlite3_changes (pfdo_store_get_db (store));

  /* A delete is the only news of a row that is gone: once it is dropped,
   * a cursor from before it could miss it, so such cursors expire. */
  floor = pfdo_store_query_int (store,
                                "SELECT coalesce (max (seq), 0) FROM change_log "
                                "WHERE op = 'delete' AND at < ?",
                                cutoff_text, error);
  if (floor < 0)
    return FALSE;
  if (floor > 0)
    {
      sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                               "DELETE FROM change_log WHERE op = 'delete' "
                                               "AND at < ?",
                                               error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, cutoff_text, -1, SQLITE_TRANSIENT);
      if (!pfdo_store_step_done (store, stmt, error))
        return FALSE;
    }
  deletes = floor > 0 ? sqlite3_changes (pfdo_store_get_db (store)) : 0;

  floor = MAX (floor, old_floor != NULL ? g_ascii_strtoll (old_floor, NULL, 10) : 0);
  floor_text = g_strdup_printf ("%" G_GINT64_FORMAT, floor);
  if (floor > 0 && !pfdo_store_set_setting (store, "changes_floor", floor_text, error))
    return FALSE;
  /* Cursors handed out from now on are past the deletes dropped. */
  if (deletes > 0)
    {
      g_autofree char *epoch = pfdo_store_dup_setting (store, "changes_epoch");
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               (epoch != NULL ? g_ascii_strtoll (epoch, NULL, 10)
                                                              : 0) + 1);

      if (!pfdo_store_set_setting (store, "changes_epoch", next, error))
        return FALSE;
    }

  prune->stats->superseded = (guint64) superseded;
  prune->stats->deletes = (guint64) deletes;
  prune->stats->floor = floor;
  return TRUE;
}

/**
 * pfdo_server_feed_prune:
 * @keep_days: deletes younger than this many days are kept
 *
 * Shrinks the change log: drops every change that a later change of the
 * same row supersedes, and the deletes older than @keep_days; cursors from
 * before the newest delete dropped then get `cursor_expired`.
 */
gboolean
pfdo_server_feed_prune (PfdoStore           *store,
                        guint                keep_days,
                        PfdoFeedPruneStats  *out_stats,
                        GError             **error)
{
  PfdoFeedPruneStats stats = { 0 };
  Prune prune = { keep_days, &stats };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);

  if (!pfdo_server_feed_install (store, error) ||
      !pfdo_store_write (store, prune_cb, &prune, error))
    return FALSE;
  if (out_stats != NULL)
    *out_stats = stats;
  return TRUE;
}
