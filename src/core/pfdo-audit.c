/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-audit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-audit.h"
#include "pfdo-domain-private.h"
#include "pfdo-error.h"
#include "pfdo-export.h"

/*
 * The audit log read back: the check of its hash chain, the head the desk
 * anchors on the regional server at every sync, and the filtered pages of
 * the audit view. The log holds ids only; names are looked up when a page
 * is read.
 */

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

void
pfdo_audit_check_clear (PfdoAuditCheck *check)
{
  g_clear_pointer (&check->head, g_free);
}

/* The record's hash as pfdo_store_audit() makes it: every field and a
 * newline, in this order. */
static char *
hash_record (sqlite3_stmt *stmt)
{
  /* prev_hash, at, operator_id, action, entity, record_id, detail */
  static const int order[] = { 7, 1, 2, 3, 4, 5, 6 };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *v = (const char *) sqlite3_column_text (stmt, order[i]);

      v = v != NULL ? v : "";
      g_checksum_update (checksum, (const guchar *) v, strlen (v));
      g_checksum_update (checksum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * pfdo_audit_verify:
 * @out_check: (out caller-allocates): what was found; clear it with
 *   pfdo_audit_check_clear()
 *
 * Reads the whole log in seq order and recomputes its chain: each record
 * must follow the one before it without a gap, hold that record's hash,
 * and hash to its own. Stops at the first broken link. A record cut off
 * the end leaves a whole chain: the anchors sent to the regional server
 * tell that.
 *
 * Returns: %TRUE when the check ran (the chain may still be broken: see
 *   @out_check's fault); %FALSE with @error set when it could not
 */
gboolean
pfdo_audit_verify (PfdoStore       *store,
                   PfdoAuditCheck  *out_check,
                   GError         **error)
{
  g_auto(PfdoAuditCheck) check = { 0 };
  g_autofree char *expected_prev = g_strdup (GENESIS);
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_check != NULL, FALSE);

  stmt = pfdo_store_prepare (store,
                             "SELECT seq, at, operator_id, action, entity, record_id, detail, "
                             "prev_hash, hash FROM audit_log ORDER BY seq",
                             error);
  if (stmt == NULL)
    return FALSE;

  while (check.fault == PFDO_AUDIT_FAULT_NONE && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *prev = (const char *) sqlite3_column_text (stmt, 7);
      const char *hash = (const char *) sqlite3_column_text (stmt, 8);
      g_autofree char *computed = hash_record (stmt);

      if (seq != check.last_seq + 1)
        {
          check.fault = PFDO_AUDIT_FAULT_GAP;
          check.broken_seq = check.last_seq + 1;
          check.found_seq = seq;
        }
      else if (g_strcmp0 (prev, expected_prev) != 0)
        {
          check.fault = PFDO_AUDIT_FAULT_PREV_HASH;
          check.broken_seq = seq;
        }
      else if (g_strcmp0 (hash, computed) != 0)
        {
          check.fault = PFDO_AUDIT_FAULT_HASH;
          check.broken_seq = seq;
        }
      check.count++;
      check.last_seq = seq;
      g_free (expected_prev);
      expected_prev = g_strdup (hash);
    }
  sqlite3_reset (stmt);
  if (check.fault == PFDO_AUDIT_FAULT_NONE && rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }

  check.head = g_steal_pointer (&expected_prev);
  *out_check = check;
  check.head = NULL;
  return TRUE;
}

/**
 * pfdo_audit_fault_to_string:
 *
 * Returns: the fault's stable name, for scripts: `gap`, `prev_hash_mismatch`,
 *   `hash_mismatch`, or `none`
 */
const char *
pfdo_audit_fault_to_string (PfdoAuditFault fault)
{
  switch (fault)
    {
    case PFDO_AUDIT_FAULT_GAP:
      return "gap";
    case PFDO_AUDIT_FAULT_PREV_HASH:
      return "prev_hash_mismatch";
    case PFDO_AUDIT_FAULT_HASH:
      return "hash_mismatch";
    case PFDO_AUDIT_FAULT_NONE:
    default:
      return "none";
    }
}

/**
 * pfdo_audit_check_describe:
 *
 * Returns: (transfer full): what is wrong with the first broken link, in
 *   the operator's words, or %NULL when the chain is whole
 */
char *
pfdo_audit_check_describe (const PfdoAuditCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);

  switch (check->fault)
    {
    case PFDO_AUDIT_FAULT_GAP:
      return g_strdup_printf (_("record %lld is missing: the log goes on with record %lld"),
                              (long long) check->broken_seq, (long long) check->found_seq);
    case PFDO_AUDIT_FAULT_PREV_HASH:
      return g_strdup_printf (_("record %lld does not hold the hash of the record before it: "
                                "that one was changed or replaced"),
                              (long long) check->broken_seq);
    case PFDO_AUDIT_FAULT_HASH:
      return g_strdup_printf (_("record %lld does not match its hash: it was changed after it "
                                "was written"),
                              (long long) check->broken_seq);
    case PFDO_AUDIT_FAULT_NONE:
    default:
      return NULL;
    }
}

/**
 * pfdo_audit_get_head:
 * @out_count: (out): how many records the log holds
 * @out_head: (out) (transfer full): the last record's hash, 64 zeros for an
 *   empty log
 *
 * What the desk anchors on the regional server: the server refuses a later
 * anchor with fewer records, or with as many and another head.
 */
gboolean
pfdo_audit_get_head (PfdoStore  *store,
                     gint64     *out_count,
                     char      **out_head,
                     GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_count != NULL && out_head != NULL, FALSE);

  stmt = pfdo_store_prepare (store,
                             "SELECT (SELECT count(*) FROM audit_log), "
                             "(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)",
                             error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_count = sqlite3_column_int64 (stmt, 0);
      *out_head = g_strdup (sqlite3_column_type (stmt, 1) != SQLITE_NULL
                            ? (const char *) sqlite3_column_text (stmt, 1) : GENESIS);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Actions in the audit view's words */

typedef struct
{
  const char *action;
  const char *label;
} ActionLabel;

static const ActionLabel action_labels[] = {
  { "child.view", N_("Child’s card opened") },
  { "family.register", N_("Family registered") },
  { "child.register", N_("Child registered") },
  { "child.verify", N_("Child’s data confirmed or rejected") },
  { "child.correct", N_("Child’s data corrected") },
  { "certificate.issue", N_("Certificate issued") },
  { "certificate.activate", N_("Certificate activated") },
  { "certificate.convert", N_("Certificate converted") },
  { "certificate.freeze", N_("Certificate frozen") },
  { "certificate.unfreeze", N_("Certificate unfrozen") },
  { "certificate.close", N_("Certificate closed") },
  { "enrollment.create", N_("Child enrolled in a program") },
  { "enrollment.cancel", N_("Enrollment cancelled") },
  { "number_block.add", N_("Certificate numbers leased") },
  { "meeting.start", N_("Parent meeting started") },
  { "meeting.family", N_("Family registered at a parent meeting") },
  { "meeting.export", N_("Parent meeting saved to a file") },
  { "meeting.close", N_("Parent meeting finished") },
};

/**
 * pfdo_audit_actions:
 *
 * Returns: (transfer none): the actions the desk records, in the order the
 *   audit view offers them as a filter, %NULL-terminated
 */
const char * const *
pfdo_audit_actions (void)
{
  static const char *actions[G_N_ELEMENTS (action_labels) + 1];

  if (actions[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
      actions[i] = action_labels[i].action;
  return actions;
}

/**
 * pfdo_audit_action_label:
 * @detail: (nullable): the record's detail; it tells a confirmation from
 *   a rejection
 *
 * Returns: (transfer none): what was done, in the operator's words; an
 *   action the desk does not know, as it is
 */
const char *
pfdo_audit_action_label (const char *action,
                         const char *detail)
{
  g_return_val_if_fail (action != NULL, NULL);

  if (g_str_equal (action, "child.verify") && g_strcmp0 (detail, "verified") == 0)
    return _("Child’s data confirmed");
  if (g_str_equal (action, "child.verify") && g_strcmp0 (detail, "rejected") == 0)
    return _("Child’s data rejected");
  for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
    if (g_str_equal (action, action_labels[i].action))
      return _(action_labels[i].label);
  return action;
}

/**
 * pfdo_audit_detail_text:
 *
 * Returns: (transfer full) (nullable): the record's detail in the
 *   operator's words: a certificate's change of status; %NULL when the
 *   detail says nothing more than the action
 */
char *
pfdo_audit_detail_text (const PfdoAuditRecord *record)
{
  g_auto(GStrv) statuses = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  if (record->detail == NULL || !g_str_equal (record->entity, "certificate"))
    return NULL;
  statuses = g_strsplit (record->detail, " → ", 2);
  if (g_strv_length (statuses) != 2)
    return g_strdup (record->detail);
  return g_strdup_printf ("%s → %s", pfdo_export_certificate_status_label (statuses[0]),
                          pfdo_export_certificate_status_label (statuses[1]));
}

/* The audit view's query */

void
pfdo_audit_operator_free (PfdoAuditOperator *op)
{
  if (op == NULL)
    return;
  g_free (op->id);
  g_free (op->full_name);
  g_free (op->role);
  g_free (op);
}

/**
 * pfdo_audit_list_operators:
 *
 * The operators this desk knows, by name, for the audit view's filter;
 * for the МОЦ administrator only.
 *
 * Returns: (transfer full) (element-type PfdoAuditOperator): the
 *   operators, or %NULL with @error set
 */
GPtrArray *
pfdo_audit_list_operators (PfdoStore  *store,
                           GError    **error)
{
  g_autoptr(GPtrArray) operators = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (!pfdo_require_action (store, PFDO_ACTION_AUDIT_VIEW, error))
    return NULL;
  stmt = pfdo_store_prepare (store, "SELECT id, full_name, role FROM operator "
                                    "ORDER BY full_name, login", error);
  if (stmt == NULL)
    return NULL;
  operators = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_audit_operator_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PfdoAuditOperator *op = g_new0 (PfdoAuditOperator, 1);

      op->id = pfdo_column_dup (stmt, 0);
      op->full_name = pfdo_column_dup (stmt, 1);
      op->role = pfdo_column_dup (stmt, 2);
      g_ptr_array_add (operators, op);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&operators);
}

void
pfdo_audit_record_free (PfdoAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->at);
  g_free (record->operator_id);
  g_free (record->operator_name);
  g_free (record->action);
  g_free (record->entity);
  g_free (record->record_id);
  g_free (record->detail);
  g_free (record->child_id);
  g_free (record->child_name);
  g_free (record);
}

struct _PfdoAuditQuery
{
  PfdoStore *store;
  char      *where;       /* the filter's conditions, with named parameters */
  char      *operator_id;
  char      *action;
  char      *child_id;
  char      *from_at;
  char      *to_at;
  gint64     low_seq;     /* the seqs the dates span */
  gint64     high_seq;
  guint      n_rows;
  GTree     *marks;       /* position → the seq of the row there, as read */
};

void
pfdo_audit_query_free (PfdoAuditQuery *query)
{
  if (query == NULL)
    return;
  g_clear_object (&query->store);
  g_free (query->where);
  g_free (query->operator_id);
  g_free (query->action);
  g_free (query->child_id);
  g_free (query->from_at);
  g_free (query->to_at);
  g_clear_pointer (&query->marks, g_tree_destroy);
  g_free (query);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  guint x = GPOINTER_TO_UINT (a), y = GPOINTER_TO_UINT (b);

  return x < y ? -1 : x > y;
}

static void
bind_filter (PfdoAuditQuery *query,
             sqlite3_stmt   *stmt)
{
  const struct
  {
    const char *name;
    const char *value;
  } texts[] = {
    { ":operator", query->operator_id },
    { ":action", query->action },
    { ":child", query->child_id },
    { ":from", query->from_at },
    { ":to", query->to_at },
  };
  int index;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if ((index = sqlite3_bind_parameter_index (stmt, texts[i].name)) > 0)
      sqlite3_bind_text (stmt, index, texts[i].value, -1, SQLITE_TRANSIENT);
  if ((index = sqlite3_bind_parameter_index (stmt, ":low")) > 0)
    sqlite3_bind_int64 (stmt, index, query->low_seq);
  if ((index = sqlite3_bind_parameter_index (stmt, ":high")) > 0)
    sqlite3_bind_int64 (stmt, index, query->high_seq);
}

/* The first or last seq of a date: the log is written in time order, so
 * a date range is a seq range, found on the index of `at`; a page of a
 * month is then a range scan like any other. */
static gboolean
find_seq (PfdoAuditQuery *query,
          const char     *sql,
          const char     *at,
          gint64         *out_seq,
          GError        **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (query->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      pfdo_store_set_error (query->store, rc, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * pfdo_audit_query_new:
 * @filter: (nullable): which records; %NULL for all
 *
 * Counts the records that match, for the МОЦ administrator only (the
 * `audit.view` action). The query reads the store each time rows are asked
 * for; a change of the store needs a new query.
 *
 * Returns: (transfer full): the query, or %NULL with @error set
 */
PfdoAuditQuery *
pfdo_audit_query_new (PfdoStore              *store,
                      const PfdoAuditFilter  *filter,
                      GError                **error)
{
  static const PfdoAuditFilter none = { 0 };
  g_autoptr(PfdoAuditQuery) query = NULL;
  g_autoptr(GString) where = g_string_new ("1");
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (!pfdo_require_action (store, PFDO_ACTION_AUDIT_VIEW, error))
    return NULL;
  if (filter == NULL)
    filter = &none;

  query = g_new0 (PfdoAuditQuery, 1);
  query->store = g_object_ref (store);
  query->operator_id = g_strdup (filter->operator_id);
  query->action = g_strdup (filter->action);
  query->child_id = g_strdup (filter->child_id);
  query->from_at = g_strdup (filter->from_at);
  query->to_at = g_strdup (filter->to_at);
  query->marks = g_tree_new_full (compare_positions, NULL, NULL, g_free);
  query->low_seq = 1;
  query->high_seq = G_MAXINT64;

  if (query->from_at != NULL)
    {
      query->low_seq = G_MAXINT64;
      if (!find_seq (query, "SELECT seq FROM audit_log WHERE at >= ? ORDER BY at, seq LIMIT 1",
                     query->from_at, &query->low_seq, error))
        return NULL;
    }
  if (query->to_at != NULL)
    {
      query->high_seq = 0;
      if (!find_seq (query, "SELECT seq FROM audit_log WHERE at < ? ORDER BY at DESC, seq DESC "
                            "LIMIT 1", query->to_at, &query->high_seq, error))
        return NULL;
    }

  /* One statement for each set of filters: each is planned on its index. */
  if (query->operator_id != NULL)
    g_string_append (where, " AND a.operator_id = :operator");
  if (query->action != NULL)
    g_string_append (where, " AND a.action = :action");
  if (query->child_id != NULL)
    g_string_append (where,
                     " AND (a.entity = 'child' AND a.record_id = :child"
                     " OR a.entity = 'certificate' AND a.record_id IN"
                     " (SELECT z.id FROM certificate z WHERE z.child_id = :child)"
                     " OR a.entity = 'enrollment' AND a.record_id IN"
                     " (SELECT e.id FROM enrollment e WHERE e.child_id = :child))");
  if (query->from_at != NULL || query->to_at != NULL)
    {
      g_string_append (where, " AND a.seq BETWEEN :low AND :high");
      /* Exact at the edges, whatever a clock did. */
      if (query->from_at != NULL)
        g_string_append (where, " AND a.at >= :from");
      if (query->to_at != NULL)
        g_string_append (where, " AND a.at < :to");
    }
  query->where = g_strdup (where->str);

  sql = g_strconcat ("SELECT count(*) FROM audit_log a WHERE ", query->where, NULL);
  stmt = pfdo_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_filter (query, stmt);
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
  return g_steal_pointer (&query);
}

guint
pfdo_audit_query_get_n_rows (PfdoAuditQuery *query)
{
  g_return_val_if_fail (query != NULL, 0);

  return query->n_rows;
}

static PfdoAuditRecord *
read_record (sqlite3_stmt *stmt)
{
  PfdoAuditRecord *record = g_new0 (PfdoAuditRecord, 1);

  record->seq = sqlite3_column_int64 (stmt, 0);
  record->at = pfdo_column_dup (stmt, 1);
  record->operator_id = pfdo_column_dup (stmt, 2);
  record->operator_name = pfdo_column_dup (stmt, 3);
  record->action = pfdo_column_dup (stmt, 4);
  record->entity = pfdo_column_dup (stmt, 5);
  record->record_id = pfdo_column_dup (stmt, 6);
  record->detail = pfdo_column_dup (stmt, 7);
  record->child_id = pfdo_column_dup (stmt, 8);
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    record->child_name = g_strjoin (" ", (const char *) sqlite3_column_text (stmt, 9),
                                    (const char *) sqlite3_column_text (stmt, 10),
                                    (const char *) sqlite3_column_text (stmt, 11), NULL);
  return record;
}

/**
 * pfdo_audit_query_rows:
 * @position: the first row's position, newest record first
 * @limit: how many rows at most
 *
 * Reads a page from the nearest position already read: the next page of a
 * scrolled list is a range scan of the index from the last seq it showed,
 * however far down the log it is.
 *
 * Returns: (transfer full) (element-type PfdoAuditRecord): the rows from
 *   @position on, fewer at the end, or %NULL with @error set
 */
GPtrArray *
pfdo_audit_query_rows (PfdoAuditQuery *query,
                       guint           position,
                       guint           limit,
                       GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *sql = NULL;
  GTreeNode *mark;
  gint64 bound = G_MAXINT64;
  guint from = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (query != NULL, NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_audit_record_free);
  if (position >= query->n_rows || limit == 0)
    return g_steal_pointer (&rows);
  limit = MIN (limit, query->n_rows - position);

  /* The nearest row read at or before @position: rows from there on have
   * a seq at most its seq. */
  mark = g_tree_upper_bound (query->marks, GUINT_TO_POINTER (position));
  mark = mark != NULL ? g_tree_node_previous (mark) : g_tree_node_last (query->marks);
  if (mark != NULL)
    {
      from = GPOINTER_TO_UINT (g_tree_node_key (mark));
      bound = *(gint64 *) g_tree_node_value (mark);
    }

  /* The page first, on the filter's index; then the names, for its rows
   * only. A record's child is its own id, or its certificate's or
   * enrollment's child, whether or not this store holds that child. */
  sql = g_strconcat ("SELECT x.seq, x.at, x.operator_id, o.full_name, x.action, x.entity, "
                     "x.record_id, x.detail, x.child_id, ch.last_name, ch.first_name, "
                     "ch.middle_name FROM (SELECT a.*, CASE a.entity "
                     "WHEN 'child' THEN a.record_id "
                     "WHEN 'certificate' THEN (SELECT z.child_id FROM certificate z "
                     "WHERE z.id = a.record_id) "
                     "WHEN 'enrollment' THEN (SELECT e.child_id FROM enrollment e "
                     "WHERE e.id = a.record_id) END AS child_id "
                     "FROM audit_log a WHERE ", query->where, " AND a.seq <= :bound "
                     "ORDER BY a.seq DESC LIMIT :limit OFFSET :offset) x "
                     "LEFT JOIN operator o ON o.id = x.operator_id "
                     "LEFT JOIN child ch ON ch.id = x.child_id ORDER BY x.seq DESC",
                     NULL);
  stmt = pfdo_store_prepare (query->store, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_filter (query, stmt);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":bound"), bound);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), position - from);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_record (stmt));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (query->store, rc, error);
      return NULL;
    }

  if (rows->len > 0)
    {
      PfdoAuditRecord *last = g_ptr_array_index (rows, rows->len - 1);

      g_tree_insert (query->marks, GUINT_TO_POINTER (position + rows->len - 1),
                     g_memdup2 (&last->seq, sizeof last->seq));
    }
  return g_steal_pointer (&rows);
}
