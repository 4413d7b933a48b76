/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-search"

#include "config.h"

#include <string.h>

#include "pfdo-domain-private.h"
#include "pfdo-search.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

/*
 * The desk's look-up: one field that understands a SNILS, a phone, a
 * certificate number (also typed by a barcode scanner) or a surname with
 * an optional name, patronymic and birth date. Every path is an index
 * look-up, so a full region answers in milliseconds.
 */

/* Past every character: the upper bound of a prefix range on a text index. */
#define PREFIX_END "\xf4\x8f\xbf\xbf"

void
pfdo_child_match_free (PfdoChildMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->child_id);
  g_free (match->last_name);
  g_free (match->first_name);
  g_free (match->middle_name);
  g_free (match->birth_date);
  g_free (match->snils);
  g_free (match->verification_status);
  g_free (match->municipality_id);
  g_free (match->parent_id);
  g_free (match->parent_last_name);
  g_free (match->parent_first_name);
  g_free (match->parent_middle_name);
  g_free (match->parent_phone);
  g_free (match->certificate_id);
  g_free (match->certificate_number);
  g_free (match->certificate_status);
  g_free (match);
}

void
pfdo_program_match_free (PfdoProgramMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->program_id);
  g_free (match->title);
  g_free (match->provider_name);
  g_free (match->direction);
  g_free (match->funding);
  g_free (match);
}

const char *
pfdo_query_kind_to_string (PfdoQueryKind kind)
{
  switch (kind)
    {
    case PFDO_QUERY_EMPTY: return "empty";
    case PFDO_QUERY_SNILS: return "snils";
    case PFDO_QUERY_PHONE: return "phone";
    case PFDO_QUERY_CERTIFICATE: return "certificate";
    case PFDO_QUERY_NAME: return "name";
    default: g_return_val_if_reached (NULL);
    }
}

#define MATCH_SELECT \
  "SELECT c.id, c.last_name, c.first_name, c.middle_name, c.birth_date, c.snils, " \
  "c.verification_status, c.municipality_id, p.id, p.last_name, p.first_name, p.middle_name, " \
  "p.phone, z.id, z.number, z.status " \
  "FROM child c JOIN parent p ON p.id = c.parent_id LEFT JOIN certificate z ON z.child_id = c.id "

static gboolean
contains (GPtrArray  *found,
          const char *child_id)
{
  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (((PfdoChildMatch *) g_ptr_array_index (found, i))->child_id, child_id))
      return TRUE;
  return FALSE;
}

/* Steps @stmt (already bound) and adds each new child to @found, up to
 * @limit. */
static gboolean
collect (PfdoStore     *store,
         sqlite3_stmt  *stmt,
         const char    *middle_prefix,
         GPtrArray     *found,
         guint          limit,
         GError       **error)
{
  int rc;

  while (found->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoChildMatch *match;

      if (contains (found, (const char *) sqlite3_column_text (stmt, 0)))
        continue;
      if (middle_prefix != NULL)
        {
          g_autofree char *middle = pfdo_text_fold ((const char *) sqlite3_column_text (stmt, 3));

          if (middle == NULL || !g_str_has_prefix (middle, middle_prefix))
            continue;
        }

      match = g_new0 (PfdoChildMatch, 1);
      match->child_id = pfdo_column_dup (stmt, 0);
      match->last_name = pfdo_column_dup (stmt, 1);
      match->first_name = pfdo_column_dup (stmt, 2);
      match->middle_name = pfdo_column_dup (stmt, 3);
      match->birth_date = pfdo_column_dup (stmt, 4);
      match->snils = pfdo_column_dup (stmt, 5);
      match->verification_status = pfdo_column_dup (stmt, 6);
      match->municipality_id = pfdo_column_dup (stmt, 7);
      match->parent_id = pfdo_column_dup (stmt, 8);
      match->parent_last_name = pfdo_column_dup (stmt, 9);
      match->parent_first_name = pfdo_column_dup (stmt, 10);
      match->parent_middle_name = pfdo_column_dup (stmt, 11);
      match->parent_phone = pfdo_column_dup (stmt, 12);
      match->certificate_id = pfdo_column_dup (stmt, 13);
      match->certificate_number = pfdo_column_dup (stmt, 14);
      match->certificate_status = pfdo_column_dup (stmt, 15);
      g_ptr_array_add (found, match);
    }
  if (found->len < limit && rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
find_by_text (PfdoStore   *store,
              const char  *sql,
              const char  *value,
              GPtrArray   *found,
              guint        limit,
              GError     **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  return collect (store, stmt, NULL, found, limit, error);
}

static gboolean
is_number_like (const char *query)
{
  gboolean digit = FALSE;

  for (const char *p = query; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (strchr (" -+().", *p) == NULL)
        return FALSE;
    }
  return digit;
}

static gboolean
search_number (PfdoStore      *store,
               const char     *query,
               GPtrArray      *found,
               guint           limit,
               PfdoQueryKind  *kind,
               GError        **error)
{
  g_autofree char *digits = pfdo_text_digits (query);
  g_autofree char *snils = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *padded = NULL;
  guint before;

  if (strlen (digits) == 11)
    snils = pfdo_snils_normalize (digits, NULL);
  phone = pfdo_phone_normalize (query, NULL);

  if (snils != NULL)
    {
      before = found->len;
      if (!find_by_text (store, MATCH_SELECT "WHERE c.snils = ? ORDER BY c.id", snils, found, limit,
                         error))
        return FALSE;
      if (found->len > before)
        *kind = PFDO_QUERY_SNILS;
    }

  /* Certificate numbers are text: a spreadsheet may have lost the leading
   * zeros of a 10-digit number, so the padded spelling is tried too. */
  before = found->len;
  if (!find_by_text (store,
                     MATCH_SELECT "WHERE c.id IN (SELECT child_id FROM certificate WHERE number = ?)",
                     digits, found, limit, error))
    return FALSE;
  if (strlen (digits) < 10)
    {
      padded = g_strdup_printf ("%010" G_GUINT64_FORMAT, g_ascii_strtoull (digits, NULL, 10));
      if (!find_by_text (store,
                         MATCH_SELECT "WHERE c.id IN (SELECT child_id FROM certificate WHERE number = ?)",
                         padded, found, limit, error))
        return FALSE;
    }
  if (found->len > before && *kind == PFDO_QUERY_EMPTY)
    *kind = PFDO_QUERY_CERTIFICATE;

  if (phone != NULL)
    {
      before = found->len;
      if (!find_by_text (store,
                         MATCH_SELECT "WHERE c.parent_id IN (SELECT id FROM parent WHERE phone = ?) "
                         "ORDER BY c.birth_date",
                         phone, found, limit, error))
        return FALSE;
      if (found->len > before && *kind == PFDO_QUERY_EMPTY)
        *kind = PFDO_QUERY_PHONE;
    }

  if (*kind == PFDO_QUERY_EMPTY)
    *kind = snils != NULL ? PFDO_QUERY_SNILS
          : phone != NULL ? PFDO_QUERY_PHONE
          : PFDO_QUERY_CERTIFICATE;
  return TRUE;
}

static gboolean
search_name (PfdoStore   *store,
             const char  *query,
             GPtrArray   *found,
             guint        limit,
             GError     **error)
{
  g_autofree char *folded = pfdo_text_fold (query);
  g_auto(GStrv) tokens = g_strsplit (folded, " ", -1);
  g_autofree char *birth_date = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *last_end = NULL;
  g_autofree char *first_end = NULL;
  const char *first = "";
  const char *middle = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      GDate date;

      if (*tokens[i] == '\0')
        continue;
      g_date_clear (&date, 1);
      if (g_ascii_isdigit (tokens[i][0]) && pfdo_date_parse (tokens[i], &date, NULL))
        {
          g_free (birth_date);
          birth_date = pfdo_date_to_iso (&date);
        }
      else
        g_ptr_array_add (names, tokens[i]);
    }
  if (names->len == 0)
    return TRUE;
  if (names->len > 1)
    first = g_ptr_array_index (names, 1);
  if (names->len > 2)
    middle = g_ptr_array_index (names, 2);

  last_end = g_strconcat (g_ptr_array_index (names, 0), PREFIX_END, NULL);
  first_end = g_strconcat (first, PREFIX_END, NULL);

  /* The child's own surname first, then children of a parent with it. */
  stmt = pfdo_store_prepare (store,
                             MATCH_SELECT
                             "WHERE c.search_last_name >= ?1 AND c.search_last_name < ?2 "
                             "AND c.search_first_name >= ?3 AND c.search_first_name < ?4 "
                             "AND (?5 IS NULL OR c.birth_date = ?5) "
                             "ORDER BY c.search_last_name, c.search_first_name, c.birth_date",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, g_ptr_array_index (names, 0), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, last_end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, first_end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, birth_date, -1, SQLITE_TRANSIENT);
  if (!collect (store, stmt, middle, found, limit, error))
    return FALSE;

  if (found->len >= limit || names->len > 1)
    return TRUE;

  stmt = pfdo_store_prepare (store,
                             MATCH_SELECT
                             "WHERE p.search_last_name >= ?1 AND p.search_last_name < ?2 "
                             "AND (?3 IS NULL OR c.birth_date = ?3) "
                             "ORDER BY p.search_last_name, c.birth_date",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, g_ptr_array_index (names, 0), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, last_end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, birth_date, -1, SQLITE_TRANSIENT);
  return collect (store, stmt, NULL, found, limit, error);
}

/**
 * pfdo_search_children:
 * @query: what the clerk typed or the scanner sent
 * @limit: the most children to return
 * @out_kind: (out) (optional): what @query was taken for
 *
 * Returns: (transfer full) (element-type PfdoChildMatch): the children
 *   found, or %NULL with @error set
 */
GPtrArray *
pfdo_search_children (PfdoStore      *store,
                      const char     *query,
                      guint           limit,
                      PfdoQueryKind  *out_kind,
                      GError        **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_child_match_free);
  g_autofree char *trimmed = g_strstrip (g_strdup (query != NULL ? query : ""));
  PfdoQueryKind kind = PFDO_QUERY_EMPTY;
  gboolean ok = TRUE;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (*trimmed != '\0' && limit > 0)
    {
      if (is_number_like (trimmed))
        ok = search_number (store, trimmed, found, limit, &kind, error);
      else
        {
          kind = PFDO_QUERY_NAME;
          ok = search_name (store, trimmed, found, limit, error);
        }
    }

  if (out_kind != NULL)
    *out_kind = kind;
  return ok ? g_steal_pointer (&found) : NULL;
}

/**
 * pfdo_children_queue:
 * @municipality_id: (nullable): the municipality whose children wait, or
 *   %NULL for the whole store
 * @limit: the most children to return
 * @out_total: (out) (optional): how many wait in all
 *
 * The children whose data waits to be confirmed, oldest registration
 * first: the walk-in desk's queue.
 *
 * Returns: (transfer full) (element-type PfdoChildMatch): the first
 *   @limit of them, or %NULL with @error set
 */
GPtrArray *
pfdo_children_queue (PfdoStore   *store,
                     const char  *municipality_id,
                     guint        limit,
                     gint64      *out_total,
                     GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_child_match_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  /* Two spellings, so that each walks its own index. */
  if (municipality_id != NULL)
    stmt = pfdo_store_prepare (store,
                               MATCH_SELECT "WHERE c.municipality_id = ?1 AND "
                               "c.verification_status = 'unverified' "
                               "ORDER BY c.created_at, c.id LIMIT ?2",
                               error);
  else
    stmt = pfdo_store_prepare (store,
                               MATCH_SELECT "WHERE c.verification_status = 'unverified' "
                               "ORDER BY c.created_at, c.id LIMIT ?2",
                               error);
  if (stmt == NULL)
    return NULL;
  if (municipality_id != NULL)
    sqlite3_bind_text (stmt, 1, municipality_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  if (!collect (store, stmt, NULL, found, limit, error))
    return NULL;

  if (out_total != NULL)
    {
      GError *count_error = NULL;

      if (municipality_id != NULL)
        *out_total = pfdo_store_query_int (store,
                                           "SELECT count(*) FROM child WHERE municipality_id = ? "
                                           "AND verification_status = 'unverified'",
                                           municipality_id, &count_error);
      else
        *out_total = pfdo_store_query_int (store,
                                           "SELECT count(*) FROM child "
                                           "WHERE verification_status = 'unverified'",
                                           NULL, &count_error);
      if (count_error != NULL)
        {
          g_propagate_error (error, count_error);
          return NULL;
        }
    }
  return g_steal_pointer (&found);
}

/**
 * pfdo_catalog_fts_query:
 * @text: words as typed
 *
 * An FTS5 query in which every word is a prefix and all must match, in
 * the index's spelling (ё as е). Quotes keep the words from being read
 * as FTS5 syntax.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL with no words
 */
char *
pfdo_catalog_fts_query (const char *text)
{
  g_autofree char *folded = pfdo_text_fold (text);
  GString *query = g_string_new (NULL);
  GString *word = g_string_new (NULL);

  for (const char *p = folded != NULL ? folded : "";; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_string_append_printf (query, "%s\"%s\"*", query->len > 0 ? " " : "", word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  g_string_free (word, TRUE);

  if (query->len == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }
  return g_string_free (query, FALSE);
}

/**
 * pfdo_catalog_search:
 * @text: words as typed; each is a prefix
 * @limit: the most programs to return
 *
 * Full-text search of the region's programs by title, activity,
 * description and provider, best matches first.
 *
 * Returns: (transfer full) (element-type PfdoProgramMatch): the programs,
 *   or %NULL with @error set
 */
GPtrArray *
pfdo_catalog_search (PfdoStore   *store,
                     const char  *text,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_program_match_free);
  g_autofree char *query = pfdo_catalog_fts_query (text);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (query == NULL || limit == 0)
    return g_steal_pointer (&found);

  stmt = pfdo_store_prepare (store,
                             "SELECT p.id, p.title, v.name, p.direction, p.funding, p.age_min, "
                             "p.age_max FROM (SELECT rowid, rank FROM program_fts "
                             "WHERE program_fts MATCH ?1 ORDER BY rank LIMIT ?2) f "
                             "JOIN program p ON p.pk = f.rowid "
                             "JOIN provider v ON v.id = p.provider_id ORDER BY f.rank",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoProgramMatch *match = g_new0 (PfdoProgramMatch, 1);

      match->program_id = pfdo_column_dup (stmt, 0);
      match->title = pfdo_column_dup (stmt, 1);
      match->provider_name = pfdo_column_dup (stmt, 2);
      match->direction = pfdo_column_dup (stmt, 3);
      match->funding = pfdo_column_dup (stmt, 4);
      match->age_min = sqlite3_column_int64 (stmt, 5);
      match->age_max = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (found, match);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&found);
}
