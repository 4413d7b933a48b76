/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-register"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-domain-private.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-register.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

/*
 * The register of certificates as the desk reads it: a region holds
 * 400 000 certificates, so the register is never read whole. Without a
 * search it is cut into segments, one per municipality and status, each of
 * which is a range of the certificate_register index (municipality_id,
 * status, rowid): counting a segment and reading a page of it at any offset
 * only walks that index. A search reads a range of the number index or of
 * the children's name index. Every row carries its balance for its
 * municipality's period, summed on the ledger's covering index.
 */

/* The order of statuses in the register: the certificate's life. */
static const char * const statuses[] = {
  "issued", "accounting", "personified", "frozen", "closed", NULL,
};

/* The education year of a certificate's municipality, from its period's
 * first day (the year starts in September), or today's as ?9. */
#define PERIOD_SQL(m)                                                                       \
  "coalesce ((SELECT printf ('%d/%02d', y, (y + 1) % 100) FROM (SELECT CAST (substr ("      \
  "period_start, 1, 4) AS INTEGER) - (substr (period_start, 6, 2) < '09') AS y "          \
  "FROM municipality WHERE id = " m " AND period_start IS NOT NULL)), ?9)"

/* What is available of x's balance in x's period; never below zero. */
#define AVAILABLE_SQL                                                                       \
  "max (0, (SELECT coalesce (sum (CASE kind WHEN 'grant' THEN amount_kopecks "              \
  "WHEN 'refund' THEN amount_kopecks WHEN 'release' THEN amount_kopecks "                   \
  "ELSE -amount_kopecks END), 0) FROM ledger_entry "                                        \
  "WHERE certificate_id = x.id AND period = x.period))"

#define ROW_COLUMNS                                                                         \
  "SELECT x.id, x.number, ch.last_name, ch.first_name, x.status, x.municipality_id, "      \
  "x.period, " AVAILABLE_SQL " "

#define INNER_COLUMNS                                                                       \
  "c.id, c.number, c.child_id, c.status, c.municipality_id, " PERIOD_SQL ("c.municipality_id") \
  " AS period"

/* Rows of one segment, by offset on the register index alone; the other
 * columns are read for the page's rows only. */
static const char segment_rows_sql[] =
  ROW_COLUMNS
  "FROM (SELECT c.rowid AS r, " INNER_COLUMNS " FROM certificate c WHERE c.rowid IN "
  "(SELECT rowid FROM certificate WHERE municipality_id = ?1 AND status = ?2 "
  "ORDER BY rowid LIMIT ?3 OFFSET ?4)) x JOIN child ch ON ch.id = x.child_id ORDER BY x.r";

#define NUMBER_WHERE                                                                        \
  "WHERE c.number >= ?1 AND c.number < ?2 AND (?3 IS NULL OR c.municipality_id = ?3) "      \
  "AND (?4 IS NULL OR c.status = ?4) "

static const char number_count_sql[] =
  "SELECT count(*) FROM certificate c " NUMBER_WHERE;

static const char number_rows_sql[] =
  ROW_COLUMNS
  "FROM (SELECT " INNER_COLUMNS " FROM certificate c " NUMBER_WHERE
  "ORDER BY c.number LIMIT ?5 OFFSET ?6) x JOIN child ch ON ch.id = x.child_id ORDER BY x.number";

#define NAME_WHERE                                                                          \
  "WHERE n.search_last_name >= ?1 AND n.search_last_name < ?2 "                             \
  "AND n.search_first_name >= ?7 AND n.search_first_name < ?8 "                             \
  "AND (?3 IS NULL OR c.municipality_id = ?3) AND (?4 IS NULL OR c.status = ?4) "

static const char name_count_sql[] =
  "SELECT count(*) FROM child n JOIN certificate c ON c.child_id = n.id " NAME_WHERE;

static const char name_rows_sql[] =
  ROW_COLUMNS
  "FROM (SELECT " INNER_COLUMNS ", n.search_last_name AS k1, n.search_first_name AS k2, "
  "n.birth_date AS k3, n.rowid AS k4 FROM child n JOIN certificate c ON c.child_id = n.id "
  NAME_WHERE "ORDER BY k1, k2, k3, k4 LIMIT ?5 OFFSET ?6) x "
  "JOIN child ch ON ch.id = x.child_id ORDER BY x.k1, x.k2, x.k3, x.k4";

/* The largest code point: every string with a prefix sorts below the
 * prefix followed by it. */
#define MAX_CHAR "\xf4\x8f\xbf\xbf"

typedef enum
{
  KIND_SEGMENTS,
  KIND_NUMBER,
  KIND_NAME,
} QueryKind;

typedef struct
{
  char  *municipality_id;
  char  *status;
  guint  start;
  guint  n_rows;
} Segment;

struct _PfdoRegisterQuery
{
  PfdoStore *store;
  QueryKind  kind;
  char      *municipality_id;
  char      *status;
  char      *today;
  GArray    *segments;   /* of Segment, in the register's order */
  char      *low, *high, *first_low, *first_high;
  guint      n_rows;
};

void
pfdo_register_row_free (PfdoRegisterRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->number);
  g_free (row->last_name);
  g_free (row->first_name);
  g_free (row->status);
  g_free (row->municipality_id);
  g_free (row->period);
  g_free (row);
}

void
pfdo_register_card_free (PfdoRegisterCard *card)
{
  if (card == NULL)
    return;
  g_free (card->id);
  g_free (card->number);
  g_free (card->status);
  g_free (card->frozen_from);
  g_free (card->issued_at);
  g_free (card->activated_at);
  g_free (card->closed_at);
  g_free (card->close_reason);
  g_free (card->child_id);
  g_free (card->last_name);
  g_free (card->first_name);
  g_free (card->middle_name);
  g_free (card->birth_date);
  g_free (card->municipality_id);
  g_free (card->municipality_name);
  g_free (card->municipality_mode);
  g_free (card->period);
  g_free (card);
}

void
pfdo_register_event_free (PfdoRegisterEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->at);
  g_free (event->action);
  g_free (event->detail);
  g_free (event->operator_name);
  g_free (event);
}

void
pfdo_register_entry_free (PfdoRegisterEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->created_at);
  g_free (entry->period);
  g_free (entry->kind);
  g_free (entry->enrollment_id);
  g_free (entry->program_title);
  g_free (entry);
}

void
pfdo_register_enrollment_free (PfdoRegisterEnrollment *enrollment)
{
  if (enrollment == NULL)
    return;
  g_free (enrollment->id);
  g_free (enrollment->status);
  g_free (enrollment->program_id);
  g_free (enrollment->program_title);
  g_free (enrollment->funding);
  g_free (enrollment->group_name);
  g_free (enrollment->period);
  g_free (enrollment->created_at);
  g_free (enrollment);
}

void
pfdo_register_group_free (PfdoRegisterGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->id);
  g_free (group->name);
  g_free (group->teacher);
  g_free (group->starts_on);
  g_free (group);
}

void
pfdo_register_program_free (PfdoRegisterProgram *program)
{
  if (program == NULL)
    return;
  g_free (program->id);
  g_free (program->title);
  g_free (program->funding);
  g_free (program);
}

/**
 * pfdo_register_statuses:
 *
 * Returns: (transfer none): the certificate statuses in the register's
 *   order, %NULL-terminated
 */
const char * const *
pfdo_register_statuses (void)
{
  return statuses;
}

static int
status_rank (const char *status)
{
  for (int i = 0; statuses[i] != NULL; i++)
    if (g_strcmp0 (statuses[i], status) == 0)
      return i;
  return G_N_ELEMENTS (statuses);
}

static char *
dup_today_period (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return pfdo_period_for_date (&date);
}

static void
bind_today (sqlite3_stmt *stmt,
            const char   *today)
{
  sqlite3_bind_text (stmt, 9, today, -1, SQLITE_TRANSIENT);
}

/**
 * pfdo_register_dup_period:
 * @municipality_id: (nullable): a municipality
 *
 * Returns: (transfer full): the education year whose balance the desk
 *   shows for the municipality's certificates, e.g. `2026/27`
 */
char *
pfdo_register_dup_period (PfdoStore  *store,
                          const char *municipality_id,
                          GError    **error)
{
  g_autofree char *today = dup_today_period ();
  sqlite3_stmt *stmt;
  char *period = NULL;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  stmt = pfdo_store_prepare (store, "SELECT " PERIOD_SQL ("?1"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, municipality_id, -1, SQLITE_TRANSIENT);
  bind_today (stmt, today);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    period = pfdo_column_dup (stmt, 0);
  else
    pfdo_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return period;
}

static void
segment_clear (gpointer data)
{
  Segment *segment = data;

  g_free (segment->municipality_id);
  g_free (segment->status);
}

static int
segment_compare (gconstpointer a,
                 gconstpointer b)
{
  const Segment *sa = a, *sb = b;
  int cmp = g_strcmp0 (sa->municipality_id, sb->municipality_id);

  return cmp != 0 ? cmp : status_rank (sa->status) - status_rank (sb->status);
}

static gboolean
count_segments (PfdoRegisterQuery *query,
                GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* Index-only: a group by over certificate_register. */
  if (query->municipality_id != NULL)
    {
      stmt = pfdo_store_prepare (query->store,
                                 "SELECT municipality_id, status, count(*) FROM certificate "
                                 "WHERE municipality_id = ?1 GROUP BY status",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, query->municipality_id, -1, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = pfdo_store_prepare (query->store,
                                 "SELECT municipality_id, status, count(*) FROM certificate "
                                 "GROUP BY municipality_id, status",
                                 error);
      if (stmt == NULL)
        return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Segment segment = { 0 };
      const char *status = (const char *) sqlite3_column_text (stmt, 1);

      if (query->status != NULL && g_strcmp0 (status, query->status) != 0)
        continue;
      segment.municipality_id = pfdo_column_dup (stmt, 0);
      segment.status = g_strdup (status);
      segment.n_rows = (guint) sqlite3_column_int64 (stmt, 2);
      g_array_append_val (query->segments, segment);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (query->store, rc, error);
      return FALSE;
    }

  g_array_sort (query->segments, segment_compare);
  query->n_rows = 0;
  for (guint i = 0; i < query->segments->len; i++)
    {
      Segment *segment = &g_array_index (query->segments, Segment, i);

      segment->start = query->n_rows;
      query->n_rows += segment->n_rows;
    }
  return TRUE;
}

static void
bind_search (PfdoRegisterQuery *query,
             sqlite3_stmt      *stmt)
{
  sqlite3_bind_text (stmt, 1, query->low, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, query->high, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, query->municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, query->status, -1, SQLITE_TRANSIENT);
  if (query->kind == KIND_NAME)
    {
      sqlite3_bind_text (stmt, 7, query->first_low, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, query->first_high, -1, SQLITE_TRANSIENT);
    }
}

/* Reads @text as a certificate number (digits, maybe with spaces or
 * dashes), or as a surname prefix, or a whole surname and a name prefix. */
static void
parse_text (PfdoRegisterQuery *query,
            const char        *text)
{
  g_autofree char *folded = pfdo_text_fold (text);
  gboolean digits = folded != NULL && *folded != '\0';
  const char *space;

  gboolean any_digit = FALSE;

  for (const char *p = folded; digits && *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) && *p != ' ' && *p != '-')
        digits = FALSE;
      any_digit |= g_ascii_isdigit (*p);
    }
  digits &= any_digit;

  if (folded == NULL || *folded == '\0')
    query->kind = KIND_SEGMENTS;
  else if (digits)
    {
      query->kind = KIND_NUMBER;
      query->low = pfdo_text_digits (folded);
      /* ':' follows '9': every number starting with the digits is below. */
      query->high = g_strconcat (query->low, ":", NULL);
    }
  else if ((space = strchr (folded, ' ')) != NULL)
    {
      query->kind = KIND_NAME;
      query->low = g_strndup (folded, space - folded);
      query->high = g_strconcat (query->low, "\x01", NULL);
      query->first_low = g_strdup (space + 1);
      query->first_high = g_strconcat (query->first_low, MAX_CHAR, NULL);
    }
  else
    {
      query->kind = KIND_NAME;
      query->low = g_strdup (folded);
      query->high = g_strconcat (folded, MAX_CHAR, NULL);
      query->first_low = g_strdup ("");
      query->first_high = g_strdup (MAX_CHAR);
    }
}

/**
 * pfdo_register_query_new:
 * @municipality_id: (nullable): one municipality's certificates, or all
 * @status: (nullable): certificates in this status only
 * @text: (nullable): a certificate number or its first digits; a surname
 *   or its beginning; or a surname and the beginning of a name
 *
 * Counts the certificates that match. The query reads the store each time
 * rows are asked for; a change of the store needs a new query.
 *
 * Returns: (transfer full): the query, or %NULL with @error set
 */
PfdoRegisterQuery *
pfdo_register_query_new (PfdoStore  *store,
                         const char *municipality_id,
                         const char *status,
                         const char *text,
                         GError    **error)
{
  g_autoptr(PfdoRegisterQuery) query = NULL;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  query = g_new0 (PfdoRegisterQuery, 1);
  query->store = g_object_ref (store);
  query->municipality_id = g_strdup (municipality_id);
  query->status = g_strdup (status);
  query->today = dup_today_period ();
  query->segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  g_array_set_clear_func (query->segments, segment_clear);
  parse_text (query, text);

  if (query->kind == KIND_SEGMENTS)
    {
      if (!count_segments (query, error))
        return NULL;
    }
  else
    {
      sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                               query->kind == KIND_NUMBER ? number_count_sql
                                                                          : name_count_sql,
                                               error);
      int rc;

      if (stmt == NULL)
        return NULL;
      bind_search (query, stmt);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        query->n_rows = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_ROW)
        {
          pfdo_store_set_error (store, rc, error);
          return NULL;
        }
    }
  return g_steal_pointer (&query);
}

void
pfdo_register_query_free (PfdoRegisterQuery *query)
{
  if (query == NULL)
    return;
  g_clear_object (&query->store);
  g_free (query->municipality_id);
  g_free (query->status);
  g_free (query->today);
  g_clear_pointer (&query->segments, g_array_unref);
  g_free (query->low);
  g_free (query->high);
  g_free (query->first_low);
  g_free (query->first_high);
  g_free (query);
}

guint
pfdo_register_query_get_n_rows (PfdoRegisterQuery *query)
{
  g_return_val_if_fail (query != NULL, 0);

  return query->n_rows;
}

static PfdoRegisterRow *
read_row (sqlite3_stmt *stmt)
{
  PfdoRegisterRow *row = g_new0 (PfdoRegisterRow, 1);

  row->id = pfdo_column_dup (stmt, 0);
  row->number = pfdo_column_dup (stmt, 1);
  row->last_name = pfdo_column_dup (stmt, 2);
  row->first_name = pfdo_column_dup (stmt, 3);
  row->status = pfdo_column_dup (stmt, 4);
  row->municipality_id = pfdo_column_dup (stmt, 5);
  row->period = pfdo_column_dup (stmt, 6);
  row->available = sqlite3_column_int64 (stmt, 7);
  return row;
}

/* Steps @stmt to the end, appending its rows; resets it either way. */
static gboolean
read_rows (PfdoStore    *store,
           sqlite3_stmt *stmt,
           GPtrArray    *rows,
           GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * pfdo_register_query_rows:
 * @position: the first row's position
 * @limit: how many rows at most
 *
 * Returns: (transfer full) (element-type PfdoRegisterRow): the rows from
 *   @position on, fewer at the end, or %NULL with @error set
 */
GPtrArray *
pfdo_register_query_rows (PfdoRegisterQuery *query,
                          guint              position,
                          guint              limit,
                          GError           **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (query != NULL, NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_register_row_free);
  if (position >= query->n_rows || limit == 0)
    return g_steal_pointer (&rows);
  limit = MIN (limit, query->n_rows - position);

  if (query->kind != KIND_SEGMENTS)
    {
      stmt = pfdo_store_prepare (query->store,
                                 query->kind == KIND_NUMBER ? number_rows_sql : name_rows_sql,
                                 error);
      if (stmt == NULL)
        return NULL;
      bind_search (query, stmt);
      sqlite3_bind_int64 (stmt, 5, limit);
      sqlite3_bind_int64 (stmt, 6, position);
      bind_today (stmt, query->today);
      if (!read_rows (query->store, stmt, rows, error))
        return NULL;
      return g_steal_pointer (&rows);
    }

  /* A page may run over the end of one segment into the next. */
  for (guint i = 0; i < query->segments->len && rows->len < limit; i++)
    {
      Segment *segment = &g_array_index (query->segments, Segment, i);
      guint at = position + rows->len;

      if (at >= segment->start + segment->n_rows)
        continue;
      /* A segment that gave fewer rows than it counted: the store changed. */
      if (at < segment->start)
        break;
      stmt = pfdo_store_prepare (query->store, segment_rows_sql, error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, segment->municipality_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, segment->status, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, limit - rows->len);
      sqlite3_bind_int64 (stmt, 4, at - segment->start);
      bind_today (stmt, query->today);
      if (!read_rows (query->store, stmt, rows, error))
        return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * pfdo_register_row_load:
 *
 * Reads one certificate's line of the register again, after a change.
 *
 * Returns: (transfer full): the row, or %NULL with @error set
 */
PfdoRegisterRow *
pfdo_register_row_load (PfdoStore  *store,
                        const char *certificate_id,
                        GError    **error)
{
  g_autofree char *today = dup_today_period ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_register_row_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  stmt = pfdo_store_prepare (store,
                             ROW_COLUMNS "FROM (SELECT " INNER_COLUMNS " FROM certificate c "
                             "WHERE c.id = ?1) x JOIN child ch ON ch.id = x.child_id",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_TRANSIENT);
  bind_today (stmt, today);
  if (!read_rows (store, stmt, rows, error))
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("The certificate was not found."));
      return NULL;
    }
  return g_ptr_array_steal_index (rows, 0);
}

/**
 * pfdo_register_card_load:
 *
 * Returns: (transfer full): what the certificate's page shows at its top,
 *   or %NULL with @error set
 */
PfdoRegisterCard *
pfdo_register_card_load (PfdoStore  *store,
                         const char *certificate_id,
                         GError    **error)
{
  g_autofree char *today = dup_today_period ();
  PfdoRegisterCard *card = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  stmt = pfdo_store_prepare (store,
                             "SELECT c.id, c.number, c.status, c.frozen_from, c.issued_at, "
                             "c.activated_at, c.closed_at, c.close_reason, c.child_id, "
                             "ch.last_name, ch.first_name, ch.middle_name, ch.birth_date, "
                             "c.municipality_id, m.name, m.mode, "
                             PERIOD_SQL ("c.municipality_id") ", m.pf_quota, m.pf_issued "
                             "FROM certificate c JOIN child ch ON ch.id = c.child_id "
                             "JOIN municipality m ON m.id = c.municipality_id WHERE c.id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_TRANSIENT);
  bind_today (stmt, today);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      card = g_new0 (PfdoRegisterCard, 1);
      card->id = pfdo_column_dup (stmt, 0);
      card->number = pfdo_column_dup (stmt, 1);
      card->status = pfdo_column_dup (stmt, 2);
      card->frozen_from = pfdo_column_dup (stmt, 3);
      card->issued_at = pfdo_column_dup (stmt, 4);
      card->activated_at = pfdo_column_dup (stmt, 5);
      card->closed_at = pfdo_column_dup (stmt, 6);
      card->close_reason = pfdo_column_dup (stmt, 7);
      card->child_id = pfdo_column_dup (stmt, 8);
      card->last_name = pfdo_column_dup (stmt, 9);
      card->first_name = pfdo_column_dup (stmt, 10);
      card->middle_name = pfdo_column_dup (stmt, 11);
      card->birth_date = pfdo_column_dup (stmt, 12);
      card->municipality_id = pfdo_column_dup (stmt, 13);
      card->municipality_name = pfdo_column_dup (stmt, 14);
      card->municipality_mode = pfdo_column_dup (stmt, 15);
      card->period = pfdo_column_dup (stmt, 16);
      card->pf_quota = sqlite3_column_int64 (stmt, 17);
      card->pf_issued = sqlite3_column_int64 (stmt, 18);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                 _("The certificate was not found."));
  else
    pfdo_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return card;
}

typedef gpointer (*ReadFunc) (sqlite3_stmt *stmt);

/* Rows of a statement with one text parameter, each read by @read. */
static GPtrArray *
read_list (PfdoStore      *store,
           const char     *sql,
           const char     *param,
           ReadFunc        read,
           GDestroyNotify  free_func,
           GError        **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (free_func);
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read (stmt));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gpointer
read_event (sqlite3_stmt *stmt)
{
  PfdoRegisterEvent *event = g_new0 (PfdoRegisterEvent, 1);

  event->at = pfdo_column_dup (stmt, 0);
  event->action = pfdo_column_dup (stmt, 1);
  event->detail = pfdo_column_dup (stmt, 2);
  event->operator_name = pfdo_column_dup (stmt, 3);
  return event;
}

/**
 * pfdo_register_history:
 *
 * Returns: (transfer full) (element-type PfdoRegisterEvent): the
 *   certificate's changes from the audit log, oldest first
 */
GPtrArray *
pfdo_register_history (PfdoStore  *store,
                       const char *certificate_id,
                       GError    **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  return read_list (store,
                    "SELECT a.at, a.action, a.detail, o.full_name FROM audit_log a "
                    "LEFT JOIN operator o ON o.id = a.operator_id "
                    "WHERE a.entity = 'certificate' AND a.record_id = ?1 ORDER BY a.seq",
                    certificate_id, read_event, (GDestroyNotify) pfdo_register_event_free, error);
}

static gpointer
read_entry (sqlite3_stmt *stmt)
{
  PfdoRegisterEntry *entry = g_new0 (PfdoRegisterEntry, 1);

  entry->id = pfdo_column_dup (stmt, 0);
  entry->created_at = pfdo_column_dup (stmt, 1);
  entry->period = pfdo_column_dup (stmt, 2);
  entry->kind = pfdo_column_dup (stmt, 3);
  entry->amount_kopecks = sqlite3_column_int64 (stmt, 4);
  entry->enrollment_id = pfdo_column_dup (stmt, 5);
  entry->program_title = pfdo_column_dup (stmt, 6);
  return entry;
}

/**
 * pfdo_register_entries:
 *
 * Returns: (transfer full) (element-type PfdoRegisterEntry): every ledger
 *   entry of the certificate, oldest first
 */
GPtrArray *
pfdo_register_entries (PfdoStore  *store,
                       const char *certificate_id,
                       GError    **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  return read_list (store,
                    "SELECT l.id, l.created_at, l.period, l.kind, l.amount_kopecks, "
                    "l.enrollment_id, p.title FROM ledger_entry l "
                    "LEFT JOIN enrollment e ON e.id = l.enrollment_id "
                    "LEFT JOIN program p ON p.id = e.program_id "
                    "WHERE l.certificate_id = ?1 ORDER BY l.created_at, l.rowid",
                    certificate_id, read_entry, (GDestroyNotify) pfdo_register_entry_free, error);
}

static gpointer
read_enrollment (sqlite3_stmt *stmt)
{
  PfdoRegisterEnrollment *enrollment = g_new0 (PfdoRegisterEnrollment, 1);

  enrollment->id = pfdo_column_dup (stmt, 0);
  enrollment->status = pfdo_column_dup (stmt, 1);
  enrollment->program_id = pfdo_column_dup (stmt, 2);
  enrollment->program_title = pfdo_column_dup (stmt, 3);
  enrollment->funding = pfdo_column_dup (stmt, 4);
  enrollment->group_name = pfdo_column_dup (stmt, 5);
  enrollment->period = pfdo_column_dup (stmt, 6);
  enrollment->created_at = pfdo_column_dup (stmt, 7);
  enrollment->months = sqlite3_column_int64 (stmt, 8);
  enrollment->monthly_kopecks = sqlite3_column_int64 (stmt, 9);
  enrollment->reserved_kopecks = sqlite3_column_int64 (stmt, 10);
  return enrollment;
}

/**
 * pfdo_register_enrollments:
 *
 * Returns: (transfer full) (element-type PfdoRegisterEnrollment): the
 *   certificate's enrollments, newest first
 */
GPtrArray *
pfdo_register_enrollments (PfdoStore  *store,
                           const char *certificate_id,
                           GError    **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  return read_list (store,
                    "SELECT e.id, e.status, e.program_id, p.title, p.funding, g.name, e.period, "
                    "e.created_at, e.months, e.monthly_kopecks, "
                    "(SELECT coalesce (sum (CASE kind WHEN 'reserve' THEN amount_kopecks "
                    "WHEN 'release' THEN -amount_kopecks ELSE 0 END), 0) FROM ledger_entry "
                    "WHERE enrollment_id = e.id) "
                    "FROM enrollment e JOIN program p ON p.id = e.program_id "
                    "JOIN \"group\" g ON g.id = e.group_id WHERE e.certificate_id = ?1 "
                    "ORDER BY e.created_at DESC, e.rowid DESC",
                    certificate_id, read_enrollment,
                    (GDestroyNotify) pfdo_register_enrollment_free, error);
}

/**
 * pfdo_register_program_load:
 *
 * Returns: (transfer full): what enrolling in the program costs, or %NULL
 *   with @error set
 */
PfdoRegisterProgram *
pfdo_register_program_load (PfdoStore  *store,
                            const char *program_id,
                            GError    **error)
{
  PfdoRegisterProgram *program = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (program_id != NULL, NULL);

  stmt = pfdo_store_prepare (store,
                             "SELECT id, title, funding, coalesce (months, 0), hour_price_kopecks, "
                             "coalesce (hours_total, 0), age_min, age_max, "
                             "enrollment_open AND is_active FROM program WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, program_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      program = g_new0 (PfdoRegisterProgram, 1);
      program->id = pfdo_column_dup (stmt, 0);
      program->title = pfdo_column_dup (stmt, 1);
      program->funding = pfdo_column_dup (stmt, 2);
      program->months = MAX (sqlite3_column_int64 (stmt, 3), 1);
      /* The same cost the enrollment will reserve. */
      if (g_strcmp0 (program->funding, "certified") == 0)
        program->monthly_kopecks =
          pfdo_program_monthly_kopecks (sqlite3_column_int64 (stmt, 4),
                                        sqlite3_column_int64 (stmt, 5), program->months);
      program->age_min = sqlite3_column_int64 (stmt, 6);
      program->age_max = sqlite3_column_int64 (stmt, 7);
      program->open = sqlite3_column_int (stmt, 8) != 0;
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                 _("The program was not found."));
  else
    pfdo_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return program;
}

static gpointer
read_group (sqlite3_stmt *stmt)
{
  PfdoRegisterGroup *group = g_new0 (PfdoRegisterGroup, 1);

  group->id = pfdo_column_dup (stmt, 0);
  group->name = pfdo_column_dup (stmt, 1);
  group->teacher = pfdo_column_dup (stmt, 2);
  group->starts_on = pfdo_column_dup (stmt, 3);
  group->capacity = sqlite3_column_int64 (stmt, 4);
  group->enrolled = sqlite3_column_int64 (stmt, 5);
  return group;
}

/**
 * pfdo_register_program_groups:
 *
 * Returns: (transfer full) (element-type PfdoRegisterGroup): the program's
 *   groups, by their first day
 */
GPtrArray *
pfdo_register_program_groups (PfdoStore  *store,
                              const char *program_id,
                              GError    **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (program_id != NULL, NULL);

  return read_list (store,
                    "SELECT id, name, teacher, starts_on, capacity, enrolled FROM \"group\" "
                    "WHERE program_id = ?1 ORDER BY starts_on, name, id",
                    program_id, read_group, (GDestroyNotify) pfdo_register_group_free, error);
}
