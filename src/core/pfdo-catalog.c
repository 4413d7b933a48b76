/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-catalog.h"
#include "pfdo-domain-private.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-search.h"

/*
 * The catalog of the region's programs: search as you type over the FTS5
 * index, filters that work with and without words, and a program's page
 * with its groups, schedule, cost and reviews.
 *
 * The statement is built from the filters in use, so that the planner
 * sees only real conditions and can take the municipality index; values
 * are always bound. Each spelling of the statement is prepared once and
 * cached by the store.
 *
 * Browsing without words shows the best rated first. No index of the
 * schema serves that order, and sorting 25 000 programs for every click
 * on a filter takes longer than a frame, so the order is kept in a
 * temporary table of this connection (temp.catalog_order), read in order
 * until a page of matches is found. It is built again when the store
 * changed since: another connection committed (a sync; PRAGMA
 * data_version) or this one wrote.
 */

void
pfdo_catalog_group_free (PfdoCatalogGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->id);
  g_free (group->name);
  g_free (group->teacher);
  g_free (group->starts_on);
  g_free (group->ends_on);
  g_clear_pointer (&group->slots, g_array_unref);
  g_free (group);
}

void
pfdo_catalog_review_free (PfdoCatalogReview *review)
{
  if (review == NULL)
    return;
  g_free (review->text);
  g_free (review->author);
  g_free (review->created_at);
  g_free (review);
}

void
pfdo_catalog_program_free (PfdoCatalogProgram *program)
{
  if (program == NULL)
    return;
  g_free (program->id);
  g_free (program->title);
  g_free (program->provider_name);
  g_free (program->municipality_id);
  g_free (program->municipality_name);
  g_free (program->direction);
  g_free (program->activity);
  g_free (program->level);
  g_free (program->form);
  g_free (program->funding);
  g_free (program->description);
  g_free (program->address);
  g_free (program->provider_address);
  g_free (program->provider_phone);
  g_clear_pointer (&program->groups, g_ptr_array_unref);
  g_clear_pointer (&program->reviews, g_ptr_array_unref);
  g_free (program);
}

void
pfdo_catalog_result_free (PfdoCatalogResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->programs, g_ptr_array_unref);
  g_free (result);
}

void
pfdo_catalog_municipality_free (PfdoCatalogMunicipality *municipality)
{
  if (municipality == NULL)
    return;
  g_free (municipality->id);
  g_free (municipality->name);
  g_free (municipality);
}

/* The summary columns, in the order read_summary() reads them. */
#define SUMMARY_COLUMNS \
  "p.id, p.title, v.name, p.municipality_id, m.name, p.direction, p.activity, p.level, " \
  "p.form, p.funding, p.age_min, p.age_max, p.rating_avg, p.reviews_count, " \
  "p.hour_price_kopecks, p.hours_total, p.months, p.enrollment_open, " \
  "p.disability_friendly, p.is_active, " \
  "(SELECT count (*) FROM \"group\" g WHERE g.program_id = p.id), " \
  "(SELECT coalesce (sum (max (g.capacity - g.enrolled, 0)), 0) FROM \"group\" g " \
  " WHERE g.program_id = p.id)"
#define N_SUMMARY_COLUMNS 22

static PfdoCatalogProgram *
read_summary (sqlite3_stmt *stmt)
{
  PfdoCatalogProgram *program = g_new0 (PfdoCatalogProgram, 1);

  program->id = pfdo_column_dup (stmt, 0);
  program->title = pfdo_column_dup (stmt, 1);
  program->provider_name = pfdo_column_dup (stmt, 2);
  program->municipality_id = pfdo_column_dup (stmt, 3);
  program->municipality_name = pfdo_column_dup (stmt, 4);
  program->direction = pfdo_column_dup (stmt, 5);
  program->activity = pfdo_column_dup (stmt, 6);
  program->level = pfdo_column_dup (stmt, 7);
  program->form = pfdo_column_dup (stmt, 8);
  program->funding = pfdo_column_dup (stmt, 9);
  program->age_min = sqlite3_column_int64 (stmt, 10);
  program->age_max = sqlite3_column_int64 (stmt, 11);
  program->rating = sqlite3_column_double (stmt, 12);
  program->reviews_count = sqlite3_column_int64 (stmt, 13);
  program->hour_price_kopecks = sqlite3_column_int64 (stmt, 14);
  program->hours_total = sqlite3_column_int64 (stmt, 15);
  program->months = sqlite3_column_int64 (stmt, 16);
  program->enrollment_open = sqlite3_column_int (stmt, 17) != 0;
  program->disability_friendly = sqlite3_column_int (stmt, 18) != 0;
  program->is_active = sqlite3_column_int (stmt, 19) != 0;
  program->n_groups = sqlite3_column_int64 (stmt, 20);
  program->free_places = sqlite3_column_int64 (stmt, 21);
  return program;
}

/* The key under which the store carries when the order was built. */
#define ORDER_STAMP "pfdo-catalog-order-stamp"

typedef struct
{
  gint64 data_version;
  gint64 total_changes;
} OrderStamp;

/* Makes temp.catalog_order the active programs, best rated first, as the
 * store is now. */
static gboolean
ensure_order (PfdoStore  *store,
              GError    **error)
{
  sqlite3 *db = pfdo_store_get_db (store);
  OrderStamp *stamp = g_object_get_data (G_OBJECT (store), ORDER_STAMP);
  gint64 data_version = pfdo_store_query_int (store, "PRAGMA data_version", NULL, error);

  if (data_version < 0)
    return FALSE;
  if (stamp != NULL && stamp->data_version == data_version &&
      stamp->total_changes == sqlite3_total_changes64 (db))
    return TRUE;

  if (!pfdo_store_exec (store,
                        "CREATE TEMP TABLE IF NOT EXISTS catalog_order ("
                        "  n INTEGER PRIMARY KEY, pk INTEGER NOT NULL);"
                        "DELETE FROM temp.catalog_order;"
                        "INSERT INTO temp.catalog_order (pk) SELECT pk FROM main.program "
                        "WHERE is_active = 1 "
                        "ORDER BY coalesce (rating_avg, 0) DESC, reviews_count DESC, title, pk;",
                        error))
    return FALSE;

  stamp = g_new (OrderStamp, 1);
  stamp->data_version = data_version;
  stamp->total_changes = sqlite3_total_changes64 (db);
  g_object_set_data_full (G_OBJECT (store), ORDER_STAMP, stamp, g_free);
  return TRUE;
}

/* Ranking more matches than this would not fit in a keystroke. */
#define RANK_MAX 3000

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/* The FROM and WHERE of a query for a filter, and the values to bind in
 * the order of their `?`: as text, or as a number where the text is NULL.
 * With words, ?1 is the FTS5 query. */
typedef struct
{
  const char *from;
  GString    *where;
  GPtrArray  *texts;
  GArray     *numbers;    /* gint64 */
  const char *fts;
} Query;

static void
query_add (Query      *query,
           const char *condition,
           const char *text,
           gint64      number)
{
  g_string_append_printf (query->where, " AND %s", condition);
  g_ptr_array_add (query->texts, (gpointer) text);
  g_array_append_val (query->numbers, number);
}

static void
query_build (Query                   *query,
             const PfdoCatalogFilter *filter,
             const char              *fts)
{
  query->fts = fts;
  query->where = g_string_new ("p.is_active = 1");
  query->texts = g_ptr_array_new ();
  query->numbers = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* With words the index leads: CROSS JOIN keeps the planner from walking
   * a municipality's programs and asking the index about each. */
  if (fts != NULL)
    {
      query->from = "program_fts f CROSS JOIN program p ON p.pk = f.rowid";
      g_string_append (query->where, " AND program_fts MATCH ?1");
    }
  else
    query->from = "program p";

  if (is_set (filter->municipality_id))
    query_add (query, "p.municipality_id = ?", filter->municipality_id, 0);
  if (is_set (filter->direction))
    query_add (query, "p.direction = ?", filter->direction, 0);
  if (is_set (filter->funding))
    query_add (query, "p.funding = ?", filter->funding, 0);
  if (is_set (filter->form))
    query_add (query, "p.form = ?", filter->form, 0);
  if (filter->age >= 0)
    {
      query_add (query, "p.age_min <= ?", NULL, filter->age);
      query_add (query, "p.age_max >= ?", NULL, filter->age);
    }
  if (filter->disability_friendly)
    g_string_append (query->where, " AND p.disability_friendly = 1");
  if (filter->enrollment_open)
    g_string_append (query->where, " AND p.enrollment_open = 1");
  if (filter->free_places)
    g_string_append (query->where,
                     " AND EXISTS (SELECT 1 FROM \"group\" g WHERE g.program_id = p.id"
                     " AND g.enrolled < g.capacity)");
}

static void
query_bind (Query        *query,
            sqlite3_stmt *stmt)
{
  int first = 1;

  if (query->fts != NULL)
    {
      sqlite3_bind_text (stmt, 1, query->fts, -1, SQLITE_TRANSIENT);
      first = 2;
    }
  for (guint i = 0; i < query->texts->len; i++)
    {
      const char *text = g_ptr_array_index (query->texts, i);

      if (text != NULL)
        sqlite3_bind_text (stmt, first + (int) i, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, first + (int) i, g_array_index (query->numbers, gint64, i));
    }
}

static void
query_clear (Query *query)
{
  g_string_free (query->where, TRUE);
  g_ptr_array_unref (query->texts);
  g_array_unref (query->numbers);
}

/* The one number of a statement's one row. */
static gboolean
step_count (PfdoStore     *store,
            sqlite3_stmt  *stmt,
            gint64        *out_count,
            GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *out_count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* How many programs match, up to PFDO_CATALOG_COUNT_MAX + 1. */
static gboolean
count_matches (PfdoStore  *store,
               Query      *query,
               gint64     *out_count,
               GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM (SELECT 1 FROM %s WHERE %s "
                                          "LIMIT %d)", query->from, query->where->str,
                                          PFDO_CATALOG_COUNT_MAX + 1);
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  query_bind (query, stmt);
  return step_count (store, stmt, out_count, error);
}

/* Whether a word of @fts ("x"* "yz"*) has one letter: the index has no
 * one-letter prefixes, so such a word merges the lists of every word it
 * begins, nearly the whole region, each time it is asked about. */
static gboolean
has_one_letter_word (const char *fts)
{
  for (const char *p = fts; (p = strchr (p, '"')) != NULL; p = strchr (p + 1, '"') + 1)
    if (g_utf8_strlen (p + 1, strchr (p + 1, '"') - (p + 1)) < 2)
      return TRUE;
  return FALSE;
}

/* Whether ranking the matches of @fts is cheap enough for a keystroke:
 * bm25 is computed for every match. */
static gboolean
worth_ranking (PfdoStore   *store,
               const char  *fts,
               gboolean    *out_rank,
               GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count;

  if (has_one_letter_word (fts))
    {
      *out_rank = FALSE;
      return TRUE;
    }

  stmt = pfdo_store_prepare (store,
                             "SELECT count (*) FROM (SELECT 1 FROM program_fts "
                             "WHERE program_fts MATCH ? LIMIT " G_STRINGIFY (RANK_MAX) " + 1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_TRANSIENT);
  if (!step_count (store, stmt, &count, error))
    return FALSE;
  *out_rank = count <= RANK_MAX;
  return TRUE;
}

/**
 * pfdo_catalog_query:
 * @filter: what to look for; words and any filters
 * @limit: the most programs to return
 *
 * The programs of the region that match @filter. With words, the best
 * matches come first (FTS5 rank; every word a prefix; ё = е) when the
 * words are specific enough to rank in a keystroke's time
 * (up to 3 000 matches), in catalog order otherwise. Without
 * words the catalog is browsed: the best rated first, then by title.
 * Programs taken off the catalog (not active) are never shown.
 *
 * How many match is counted up to %PFDO_CATALOG_COUNT_MAX, and not at all
 * while a word has one letter: then the total is the number returned and
 * total_is_lower_bound says that more match.
 *
 * Returns: (transfer full): the first @limit programs and how many match
 *   in all, or %NULL with @error set
 */
PfdoCatalogResult *
pfdo_catalog_query (PfdoStore                *store,
                    const PfdoCatalogFilter  *filter,
                    guint                     limit,
                    GError                  **error)
{
  g_autoptr(PfdoCatalogResult) result = NULL;
  g_autofree char *fts = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *inner = NULL;
  gboolean rank = FALSE;
  gboolean more = FALSE;
  const char *keys, *inner_order, *outer_order;
  Query query;
  sqlite3_stmt *stmt;
  gint64 total;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (limit > 0 && limit < G_MAXINT, NULL);

  fts = pfdo_catalog_fts_query (filter->text);
  if (fts != NULL && !worth_ranking (store, fts, &rank, error))
    return NULL;
  if (fts == NULL && !ensure_order (store, error))
    return NULL;
  /* The keys to order by, as the inner query names them (k1, k2, k3),
   * its own ORDER BY, and the outer one. */
  if (fts == NULL)
    {
      keys = "o.n AS k1, 0 AS k2, '' AS k3";
      inner_order = "o.n";
      outer_order = "s.k1";
    }
  else if (rank)
    {
      keys = "f.rank AS k1, 0 AS k2, '' AS k3";
      inner_order = "k1, p.pk";
      outer_order = "s.k1, s.pk";
    }
  else
    {
      keys = "0 AS k1, 0 AS k2, '' AS k3";
      inner_order = "f.rowid";
      outer_order = "s.pk";
    }

  /* Only the keys are ordered; the columns, with their group counts, are
   * read for the rows shown. One more than shown tells whether to count. */
  query_build (&query, filter, fts);
  if (fts != NULL)
    inner = g_strdup_printf ("SELECT p.pk AS pk, %s FROM %s WHERE %s ORDER BY %s LIMIT %u",
                             keys, query.from, query.where->str, inner_order, limit + 1);
  else
    /* The order is walked and each program looked up by its key until a
     * page matches. (As a join, SQLite would first scan every program
     * into a Bloom filter.) */
    inner = g_strdup_printf ("SELECT o.pk AS pk, %s FROM temp.catalog_order o "
                             "WHERE EXISTS (SELECT 1 FROM program p WHERE p.pk = o.pk AND %s) "
                             "ORDER BY %s LIMIT %u",
                             keys, query.where->str, inner_order, limit + 1);
  sql = g_strdup_printf ("SELECT " SUMMARY_COLUMNS " FROM (%s) s "
                         "JOIN program p ON p.pk = s.pk "
                         "JOIN provider v ON v.id = p.provider_id "
                         "JOIN municipality m ON m.id = p.municipality_id ORDER BY %s",
                         inner, outer_order);
  stmt = pfdo_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      query_clear (&query);
      return NULL;
    }
  query_bind (&query, stmt);

  result = g_new0 (PfdoCatalogResult, 1);
  result->programs = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_catalog_program_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (result->programs->len == limit)
        {
          more = TRUE;
          rc = SQLITE_DONE;
          break;
        }
      g_ptr_array_add (result->programs, read_summary (stmt));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      query_clear (&query);
      return NULL;
    }

  total = result->programs->len;
  if (more && fts != NULL && has_one_letter_word (fts))
    {
      /* Counting would merge those lists again: "more than shown" it is,
       * until the next letter. */
      query_clear (&query);
      result->total = result->programs->len;
      result->total_is_lower_bound = TRUE;
      return g_steal_pointer (&result);
    }
  if (more && !count_matches (store, &query, &total, error))
    {
      query_clear (&query);
      return NULL;
    }
  query_clear (&query);

  result->total_is_lower_bound = total > PFDO_CATALOG_COUNT_MAX;
  result->total = (guint) MIN (total, PFDO_CATALOG_COUNT_MAX);
  return g_steal_pointer (&result);
}

/* "HH:MM" on a 24-hour clock. */
static gboolean
is_time (const char *text)
{
  return text != NULL && strlen (text) == 5 && g_ascii_isdigit (text[0]) &&
         g_ascii_isdigit (text[1]) && text[2] == ':' && g_ascii_isdigit (text[3]) &&
         g_ascii_isdigit (text[4]) && (text[0] - '0') * 10 + (text[1] - '0') < 24 &&
         text[3] < '6';
}

/**
 * pfdo_catalog_parse_schedule:
 * @json: a group's schedule: `[{"weekday": 1, "start": "16:00", "end": "17:30"}, …]`
 * @slots: (element-type PfdoCatalogSlot): where the lessons go, by weekday
 *
 * Reads a schedule defensively: a missing or mistyped field, a weekday
 * outside 1–7 or a time that is not HH:MM refuses the whole schedule.
 *
 * Returns: whether @json was a schedule
 */
gboolean
pfdo_catalog_parse_schedule (PfdoStore   *store,
                             const char  *json,
                             GArray      *slots,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  guint before = slots->len;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (slots != NULL, FALSE);

  /* SQLite's own JSON reader: one row per lesson, or one row of NULLs
   * for an empty array; json_each() only sees a valid array. */
  stmt = pfdo_store_prepare (store,
                             "SELECT a.ok, j.type, "
                             "json_type (j.value, '$.weekday'), json_extract (j.value, '$.weekday'), "
                             "json_type (j.value, '$.start'), json_extract (j.value, '$.start'), "
                             "json_type (j.value, '$.end'), json_extract (j.value, '$.end') "
                             "FROM (SELECT CASE WHEN json_valid (?1) THEN json_type (?1) = 'array' "
                             "ELSE 0 END AS ok) a "
                             "LEFT JOIN json_each (CASE WHEN a.ok THEN ?1 ELSE '[]' END) j",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json != NULL ? json : "", -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoCatalogSlot slot = { 0 };
      const char *start = (const char *) sqlite3_column_text (stmt, 5);
      const char *end = (const char *) sqlite3_column_text (stmt, 7);
      gint64 weekday = sqlite3_column_int64 (stmt, 3);

      if (sqlite3_column_int (stmt, 0) == 0)
        goto bad;
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        break;
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "object") != 0 ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "integer") != 0 ||
          weekday < 1 || weekday > 7 ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), "text") != 0 ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), "text") != 0 ||
          !is_time (start) || !is_time (end))
        goto bad;
      slot.weekday = (guint) weekday;
      memcpy (slot.start, start, 6);
      memcpy (slot.end, end, 6);
      g_array_append_val (slots, slot);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      g_array_set_size (slots, before);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;

bad:
  sqlite3_reset (stmt);
  g_array_set_size (slots, before);
  g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
                       _("The group's schedule cannot be read"));
  return FALSE;
}

/**
 * pfdo_catalog_schedule_text:
 * @slots: (element-type PfdoCatalogSlot): lessons of a week
 *
 * Returns: (transfer full): the week as people write it, e.g.
 *   "Mon 16:00–17:30, Wed 16:00–17:30" (in Russian "Пн 16:00–17:30, …"),
 *   or an empty string without lessons
 */
char *
pfdo_catalog_schedule_text (const GArray *slots)
{
  /* TRANSLATORS: short weekday names, as in a timetable. */
  const char *days[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
                         N_("Sun") };
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (slots != NULL, NULL);

  for (guint i = 0; i < slots->len; i++)
    {
      const PfdoCatalogSlot *slot = &g_array_index (slots, PfdoCatalogSlot, i);

      g_assert (slot->weekday >= 1 && slot->weekday <= 7);
      g_string_append_printf (out, "%s%s %s–%s", i > 0 ? ", " : "",
                              _(days[slot->weekday - 1]), slot->start, slot->end);
    }
  return g_string_free (out, FALSE);
}

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  const PfdoCatalogSlot *x = a;
  const PfdoCatalogSlot *y = b;

  if (x->weekday != y->weekday)
    return x->weekday < y->weekday ? -1 : 1;
  return strcmp (x->start, y->start);
}

static gboolean
read_groups (PfdoStore           *store,
             PfdoCatalogProgram  *program,
             GError             **error)
{
  g_autoptr(GPtrArray) schedules = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "SELECT id, name, teacher, starts_on, ends_on, capacity, "
                                           "enrolled, schedule FROM \"group\" WHERE program_id = ? "
                                           "ORDER BY name, id",
                                           error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, program->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoCatalogGroup *group = g_new0 (PfdoCatalogGroup, 1);

      group->id = pfdo_column_dup (stmt, 0);
      group->name = pfdo_column_dup (stmt, 1);
      group->teacher = pfdo_column_dup (stmt, 2);
      group->starts_on = pfdo_column_dup (stmt, 3);
      group->ends_on = pfdo_column_dup (stmt, 4);
      group->capacity = sqlite3_column_int64 (stmt, 5);
      group->enrolled = sqlite3_column_int64 (stmt, 6);
      group->slots = g_array_new (FALSE, FALSE, sizeof (PfdoCatalogSlot));
      g_ptr_array_add (schedules, pfdo_column_dup (stmt, 7));
      g_ptr_array_add (program->groups, group);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }

  /* The schedules are read once the statement above is done with. A
   * schedule the desk cannot read leaves the group without one: the page
   * still shows the group and its places. */
  for (guint i = 0; i < program->groups->len; i++)
    {
      PfdoCatalogGroup *group = g_ptr_array_index (program->groups, i);
      g_autoptr(GError) local_error = NULL;

      if (!pfdo_catalog_parse_schedule (store, g_ptr_array_index (schedules, i), group->slots,
                                        &local_error))
        {
          if (!g_error_matches (local_error, PFDO_VALIDATION_ERROR,
                                PFDO_VALIDATION_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Group %s: %s", group->id, local_error->message);
        }
      g_array_sort (group->slots, compare_slots);
    }
  return TRUE;
}

static gboolean
read_reviews (PfdoStore           *store,
              PfdoCatalogProgram  *program,
              guint                max_reviews,
              GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (max_reviews == 0)
    return TRUE;
  stmt = pfdo_store_prepare (store,
                             "SELECT rating, text, author, created_at FROM review "
                             "WHERE program_id = ? ORDER BY created_at DESC, id LIMIT ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, program->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) MIN (max_reviews, G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoCatalogReview *review = g_new0 (PfdoCatalogReview, 1);

      review->rating = sqlite3_column_int64 (stmt, 0);
      review->text = pfdo_column_dup (stmt, 1);
      review->author = pfdo_column_dup (stmt, 2);
      review->created_at = pfdo_column_dup (stmt, 3);
      g_ptr_array_add (program->reviews, review);
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
 * pfdo_catalog_get_program:
 * @program_id: the program's id
 * @max_reviews: the most reviews to read, newest first
 *
 * Everything the program page shows: the summary, the description, the
 * provider's address and phone, the groups with their schedules, and the
 * reviews.
 *
 * Returns: (transfer full): the program, or %NULL with @error set
 *   (%PFDO_DOMAIN_ERROR_NOT_FOUND for an unknown id)
 */
PfdoCatalogProgram *
pfdo_catalog_get_program (PfdoStore   *store,
                          const char  *program_id,
                          guint        max_reviews,
                          GError     **error)
{
  g_autoptr(PfdoCatalogProgram) program = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (program_id != NULL, NULL);

  stmt = pfdo_store_prepare (store,
                             "SELECT " SUMMARY_COLUMNS ", p.description, p.address, v.address, "
                             "v.phone FROM program p JOIN provider v ON v.id = p.provider_id "
                             "JOIN municipality m ON m.id = p.municipality_id WHERE p.id = ?",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, program_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      program = read_summary (stmt);
      program->description = pfdo_column_dup (stmt, N_SUMMARY_COLUMNS);
      program->address = pfdo_column_dup (stmt, N_SUMMARY_COLUMNS + 1);
      program->provider_address = pfdo_column_dup (stmt, N_SUMMARY_COLUMNS + 2);
      program->provider_phone = pfdo_column_dup (stmt, N_SUMMARY_COLUMNS + 3);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("The program is not in the catalog"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }

  program->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_catalog_group_free);
  program->reviews = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_catalog_review_free);
  if (!read_groups (store, program, error) || !read_reviews (store, program, max_reviews, error))
    return NULL;
  return g_steal_pointer (&program);
}

/**
 * pfdo_catalog_list_municipalities:
 *
 * Returns: (transfer full) (element-type PfdoCatalogMunicipality): the
 *   region's municipalities by name, or %NULL with @error set
 */
GPtrArray *
pfdo_catalog_list_municipalities (PfdoStore  *store,
                                  GError    **error)
{
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  stmt = pfdo_store_prepare (store, "SELECT id, name FROM municipality ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_catalog_municipality_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoCatalogMunicipality *municipality = g_new0 (PfdoCatalogMunicipality, 1);

      municipality->id = pfdo_column_dup (stmt, 0);
      municipality->name = pfdo_column_dup (stmt, 1);
      g_ptr_array_add (found, municipality);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&found);
}

/**
 * pfdo_catalog_group_free_places:
 *
 * Returns: the places left in @group; never below zero
 */
gint64
pfdo_catalog_group_free_places (const PfdoCatalogGroup *group)
{
  g_return_val_if_fail (group != NULL, 0);

  return MAX (group->capacity - group->enrolled, 0);
}

/**
 * pfdo_catalog_program_blocks:
 * @age: the child's age, or -1 when not known
 *
 * Why a family cannot choose @program now: the reasons the catalog must
 * show instead of letting the clerk find out at the application.
 *
 * Returns: the reasons, or %PFDO_PROGRAM_BLOCK_NONE
 */
PfdoProgramBlocks
pfdo_catalog_program_blocks (const PfdoCatalogProgram *program,
                             int                       age)
{
  PfdoProgramBlocks blocks = PFDO_PROGRAM_BLOCK_NONE;

  g_return_val_if_fail (program != NULL, PFDO_PROGRAM_BLOCK_NONE);

  if (!program->is_active)
    blocks |= PFDO_PROGRAM_BLOCK_INACTIVE;
  if (!program->enrollment_open)
    blocks |= PFDO_PROGRAM_BLOCK_CLOSED;
  if (program->n_groups == 0)
    blocks |= PFDO_PROGRAM_BLOCK_NO_GROUPS;
  else if (program->free_places <= 0)
    blocks |= PFDO_PROGRAM_BLOCK_NO_PLACES;
  if (age >= 0 && (age < program->age_min || age > program->age_max))
    blocks |= PFDO_PROGRAM_BLOCK_AGE;
  return blocks;
}

/**
 * pfdo_catalog_program_monthly_kopecks:
 *
 * Returns: what a month of @program costs, as an enrollment is charged
 */
gint64
pfdo_catalog_program_monthly_kopecks (const PfdoCatalogProgram *program)
{
  g_return_val_if_fail (program != NULL, 0);

  return pfdo_program_monthly_kopecks (program->hour_price_kopecks, program->hours_total,
                                       MAX (program->months, 1));
}

/**
 * pfdo_catalog_program_cost_kopecks:
 *
 * Returns: the full cost of @program: every month of it, as a certificate
 *   would pay for it
 */
gint64
pfdo_catalog_program_cost_kopecks (const PfdoCatalogProgram *program)
{
  g_return_val_if_fail (program != NULL, 0);

  return pfdo_catalog_program_monthly_kopecks (program) * MAX (program->months, 1);
}
