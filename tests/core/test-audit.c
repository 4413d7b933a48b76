/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audit log: append-only under the store's triggers, its chain checked
 * record by record (a changed, re-hashed or deleted record is named by its
 * seq), a child's card read is a record, and the audit view's filtered
 * pages read from a real log.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pfdo-audit.h"
#include "pfdo-certificates.h"
#include "pfdo-child-card.h"
#include "pfdo-children.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

/* SQL on the store's file through a connection of its own, as someone
 * with the file and the sqlite3 tool would run it. */
static int
raw_exec (Fixture    *fixture,
          const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    g_test_message ("%s", sqlite3_errmsg (db));
  sqlite3_close (db);
  return rc;
}

static void
drop_triggers (Fixture *fixture)
{
  g_assert_cmpint (raw_exec (fixture, "DROP TRIGGER audit_log_no_update; "
                                      "DROP TRIGGER audit_log_no_delete; "
                                      "DROP TRIGGER audit_log_no_replace"), ==, SQLITE_OK);
}

/* A log of real actions: registrations, decisions, a certificate's
 * changes, card reads. */
static void
make_log (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *child = NULL;
  g_autoptr(PfdoChildCard) card = NULL;

  pfdo_test_as (fixture, "op-clerk");
  certificate = pfdo_test_active_certificate (fixture, "Журналова", "2015-05-05", FALSE);
  g_assert_true (pfdo_certificate_freeze (fixture->store, certificate, "Болезнь", &error));
  g_assert_no_error (error);
  child = pfdo_test_register_child (fixture, "Журналов", "Пётр", "2014-04-04", NULL, "777001");
  card = pfdo_child_card_load (fixture->store, child, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"), >=, 8);
}

static void
verify (Fixture        *fixture,
        PfdoAuditCheck *check)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_audit_verify (fixture->store, check, &error));
  g_assert_no_error (error);
}

/* The store refuses to change or delete a record, whoever asks. */
static void
test_triggers (Fixture       *fixture,
               gconstpointer  data)
{
  const char *refused[] = {
    "UPDATE audit_log SET action = 'nothing' WHERE seq = 2",
    "UPDATE audit_log SET hash = hash",
    "DELETE FROM audit_log WHERE seq = 3",
    "DELETE FROM audit_log",
    "INSERT OR REPLACE INTO audit_log (seq, at, action, entity, record_id, prev_hash, hash) "
    "VALUES (2, 'now', 'nothing', 'child', 'x', 'y', 'z')",
  };
  g_auto(PfdoAuditCheck) check = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_log (fixture);
  before = pfdo_test_text (fixture, "SELECT group_concat (hash || action, ',') FROM audit_log",
                           NULL);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", refused[i]);
      /* Through the store and through a connection of its own. */
      g_assert_false (pfdo_store_exec (fixture->store, refused[i], &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "append-only"));
      g_assert_cmpint (raw_exec (fixture, refused[i]), ==, SQLITE_CONSTRAINT);
    }
  after = pfdo_test_text (fixture, "SELECT group_concat (hash || action, ',') FROM audit_log",
                          NULL);
  g_assert_cmpstr (after, ==, before);

  verify (fixture, &check);
  g_assert_cmpint (check.fault, ==, PFDO_AUDIT_FAULT_NONE);
}

/* A whole log: every record checked, the head is the last hash. */
static void
test_whole (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(PfdoAuditCheck) empty = { 0 };
  g_auto(PfdoAuditCheck) check = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *last = NULL;
  gint64 count = -1;

  /* A new store's log holds the fixture's lease of numbers only. */
  verify (fixture, &empty);
  g_assert_cmpint (empty.fault, ==, PFDO_AUDIT_FAULT_NONE);
  g_assert_cmpint (empty.count, ==, 1);

  make_log (fixture);
  verify (fixture, &check);
  g_assert_cmpint (check.fault, ==, PFDO_AUDIT_FAULT_NONE);
  g_assert_cmpint (check.broken_seq, ==, 0);
  g_assert_cmpint (check.count, ==, pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"));
  g_assert_cmpint (check.last_seq, ==, check.count);
  last = pfdo_test_text (fixture, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL);
  g_assert_cmpstr (check.head, ==, last);
  g_assert_null (pfdo_audit_check_describe (&check));

  g_assert_true (pfdo_audit_get_head (fixture->store, &count, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, check.count);
  g_assert_cmpstr (head, ==, last);
}

/* The hash a record should have, made here as the store makes it. */
static char *
rehash (Fixture *fixture,
        gint64   seq)
{
  g_autofree char *sql = g_strdup_printf ("SELECT prev_hash || char (10) || at || char (10) || "
                                          "coalesce (operator_id, '') || char (10) || action || "
                                          "char (10) || entity || char (10) || record_id || "
                                          "char (10) || coalesce (detail, '') || char (10) "
                                          "FROM audit_log WHERE seq = %" G_GINT64_FORMAT, seq);
  g_autofree char *text = pfdo_test_text (fixture, sql, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* A changed record is named by its seq; re-hashing it moves the break to
 * the record after it, which no longer follows it. */
static void
test_modified (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(PfdoAuditCheck) check = { 0 };
  g_auto(PfdoAuditCheck) rehashed = { 0 };
  g_autofree char *own = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *text = NULL;

  make_log (fixture);
  /* The store's own hash of a record is the one made here. */
  own = rehash (fixture, 5);
  g_assert_cmpstr (own, ==, pfdo_test_text (fixture, "SELECT hash FROM audit_log WHERE seq = 5",
                                            NULL));

  drop_triggers (fixture);
  g_assert_cmpint (raw_exec (fixture, "UPDATE audit_log SET operator_id = 'op-staff' "
                                      "WHERE seq = 5"), ==, SQLITE_OK);
  verify (fixture, &check);
  g_assert_cmpint (check.fault, ==, PFDO_AUDIT_FAULT_HASH);
  g_assert_cmpint (check.broken_seq, ==, 5);
  g_assert_cmpstr (pfdo_audit_fault_to_string (check.fault), ==, "hash_mismatch");
  text = pfdo_audit_check_describe (&check);
  g_assert_nonnull (strstr (text, "5"));

  /* Whoever changed it also made its hash again. */
  g_free (own);
  own = rehash (fixture, 5);
  sql = g_strdup_printf ("UPDATE audit_log SET hash = '%s' WHERE seq = 5", own);
  g_assert_cmpint (raw_exec (fixture, sql), ==, SQLITE_OK);
  verify (fixture, &rehashed);
  g_assert_cmpint (rehashed.fault, ==, PFDO_AUDIT_FAULT_PREV_HASH);
  g_assert_cmpint (rehashed.broken_seq, ==, 6);
  g_assert_cmpstr (pfdo_audit_fault_to_string (rehashed.fault), ==, "prev_hash_mismatch");
}

/* A deleted record is named by its seq, the first or one in the middle. */
static void
test_deleted (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(PfdoAuditCheck) cut = { 0 };
  g_auto(PfdoAuditCheck) middle = { 0 };
  g_auto(PfdoAuditCheck) first = { 0 };
  g_autofree char *sql = NULL;
  gint64 last_seq;

  make_log (fixture);
  last_seq = pfdo_test_count (fixture, "SELECT max (seq) FROM audit_log");
  drop_triggers (fixture);

  /* The last record cut off leaves a whole, shorter chain: only the
   * anchor the server keeps tells that (tests/sync). */
  sql = g_strdup_printf ("DELETE FROM audit_log WHERE seq = %" G_GINT64_FORMAT, last_seq);
  g_assert_cmpint (raw_exec (fixture, sql), ==, SQLITE_OK);
  verify (fixture, &cut);
  g_assert_cmpint (cut.fault, ==, PFDO_AUDIT_FAULT_NONE);
  g_assert_cmpint (cut.count, ==, last_seq - 1);

  g_assert_cmpint (raw_exec (fixture, "DELETE FROM audit_log WHERE seq IN (4, 5)"), ==, SQLITE_OK);
  verify (fixture, &middle);
  g_assert_cmpint (middle.fault, ==, PFDO_AUDIT_FAULT_GAP);
  g_assert_cmpint (middle.broken_seq, ==, 4);
  g_assert_cmpint (middle.found_seq, ==, 6);
  g_assert_cmpstr (pfdo_audit_fault_to_string (middle.fault), ==, "gap");

  g_assert_cmpint (raw_exec (fixture, "DELETE FROM audit_log WHERE seq = 1"), ==, SQLITE_OK);
  verify (fixture, &first);
  g_assert_cmpint (first.fault, ==, PFDO_AUDIT_FAULT_GAP);
  g_assert_cmpint (first.broken_seq, ==, 1);
  g_assert_cmpint (first.found_seq, ==, 2);
}

/* Reading a card is a record with the operator and the child's id and
 * nothing personal; a card not shown is no record. */
static void
test_card_view (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *child = pfdo_test_register_child (fixture, "Карточкина", "Анна", "2015-03-07",
                                                     "112-233-445 95", "123456");
  g_autoptr(PfdoChildCard) card = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *record = NULL;
  g_autofree char *expected = NULL;
  gint64 before;

  pfdo_test_as (fixture, "op-staff");
  before = pfdo_test_count (fixture, "SELECT count(*) FROM audit_log");
  card = pfdo_child_card_load (fixture->store, child, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"), ==, before + 1);
  record = pfdo_test_text (fixture, "SELECT action || ' ' || entity || ' ' || record_id || ' ' || "
                                    "operator_id || ' ' || coalesce (detail, '-') FROM audit_log "
                                    "ORDER BY seq DESC LIMIT 1", NULL);
  /* Exactly the action, the child's id and the operator: nothing else,
   * so no name, SNILS or document (the random id may hold any digits). */
  expected = g_strdup_printf ("child.view child %s op-staff -", child);
  g_assert_cmpstr (record, ==, expected);
  g_clear_pointer (&card, pfdo_child_card_free);

  /* Refused: another municipality's operator, nobody, a child not there. */
  pfdo_test_as (fixture, "op-other");
  g_assert_null (pfdo_child_card_load (fixture->store, child, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (pfdo_store_set_operator (fixture->store, NULL, NULL));
  g_assert_null (pfdo_child_card_load (fixture->store, child, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
  g_clear_error (&error);
  pfdo_test_as (fixture, "op-clerk");
  g_assert_null (pfdo_child_card_load (fixture->store, "no-such-child", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"), ==, before + 1);
}

/* A log written at chosen times: seq n at minute n, operators and actions
 * in turn, every tenth record about child ch-7. The chain is not the
 * point here, the pages are. */
static void
plant_log (Fixture *fixture,
           guint    n)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  g_autoptr(GError) error = NULL;

  g_string_append (sql, "INSERT INTO parent (id, last_name, first_name, phone, municipality_id, "
                        "created_at) VALUES ('pa-7', 'Страницына', 'Ольга', '+79180000007', "
                        "'m1', 'now');"
                        "INSERT INTO child (id, parent_id, last_name, first_name, birth_date, "
                        "sex, municipality_id, created_at) VALUES ('ch-7', 'pa-7', "
                        "'Страницына', 'Майя', '2015-01-01', 'f', 'm1', 'now');");
  for (guint i = 1; i <= n; i++)
    {
      const char *operator = i % 3 == 0 ? "op-staff" : i % 3 == 1 ? "op-clerk" : "op-admin";
      const char *action = i % 2 == 0 ? "child.view" : "certificate.freeze";
      const char *record = i % 10 == 0 ? "ch-7" : "ch-other";
      g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
      g_autoptr(GDateTime) then = g_date_time_add_minutes (at, (int) i);
      g_autofree char *text = g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");

      g_string_append_printf (sql, "INSERT INTO audit_log (at, operator_id, action, entity, "
                                   "record_id, prev_hash, hash) VALUES ('%s', '%s', '%s', "
                                   "'child', '%s', 'p%u', 'h%u');",
                              text, operator, action, record, i, i);
    }
  g_string_append (sql, "COMMIT;");
  /* The store's connection: the child's triggers use its functions. */
  g_assert_true (pfdo_store_exec (fixture->store, sql->str, &error));
  g_assert_no_error (error);
}

/* The seqs that match, newest first, as plain SQL says. */
static GArray *
expected_seqs (Fixture    *fixture,
               const char *where)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM audit_log WHERE %s ORDER BY seq DESC",
                                          where);
  sqlite3_stmt *stmt = pfdo_store_prepare (fixture->store, sql, &error);
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (seqs, seq);
    }
  sqlite3_reset (stmt);
  return seqs;
}

/* Reads the query's rows page by page, then at positions out of order,
 * and compares them with plain SQL's. */
static void
assert_pages (Fixture               *fixture,
              const PfdoAuditFilter *filter,
              const char            *where)
{
  g_autoptr(GArray) seqs = expected_seqs (fixture, where);
  g_autoptr(PfdoAuditQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  const guint jumps[] = { 250, 3, 0, 999, 41, 998, 500, 1 };

  query = pfdo_audit_query_new (fixture->store, filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pfdo_audit_query_get_n_rows (query), ==, seqs->len);

  for (guint position = 0; position < seqs->len; position += 37)
    {
      g_autoptr(GPtrArray) rows = pfdo_audit_query_rows (query, position, 37, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, MIN (37, seqs->len - position));
      for (guint i = 0; i < rows->len; i++)
        g_assert_cmpint (((PfdoAuditRecord *) g_ptr_array_index (rows, i))->seq, ==,
                         g_array_index (seqs, gint64, position + i));
    }
  for (guint j = 0; j < G_N_ELEMENTS (jumps); j++)
    {
      g_autoptr(GPtrArray) rows = pfdo_audit_query_rows (query, jumps[j], 5, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        g_assert_cmpint (((PfdoAuditRecord *) g_ptr_array_index (rows, i))->seq, ==,
                         g_array_index (seqs, gint64, jumps[j] + i));
      if (jumps[j] >= seqs->len)
        g_assert_cmpuint (rows->len, ==, 0);
    }
}

static void
test_query (Fixture       *fixture,
            gconstpointer  data)
{
  const struct
  {
    PfdoAuditFilter filter;
    const char     *where;
  } filters[] = {
    { { NULL }, "1" },
    { { .operator_id = "op-staff" }, "operator_id = 'op-staff'" },
    { { .action = "child.view" }, "action = 'child.view'" },
    { { .operator_id = "op-clerk", .action = "certificate.freeze" },
      "operator_id = 'op-clerk' AND action = 'certificate.freeze'" },
    { { .child_id = "ch-7" }, "record_id = 'ch-7'" },
    /* Minutes 100 to 399 of the day. */
    { { .from_at = "2026-01-01T01:40:00Z", .to_at = "2026-01-01T06:40:00Z" },
      "at >= '2026-01-01T01:40:00Z' AND at < '2026-01-01T06:40:00Z'" },
    { { .from_at = "2026-01-01T10:00:00Z" }, "at >= '2026-01-01T10:00:00Z'" },
    { { .to_at = "2026-01-01T00:30:00Z", .operator_id = "op-admin" },
      "at < '2026-01-01T00:30:00Z' AND operator_id = 'op-admin'" },
    { { .from_at = "2027-01-01T00:00:00Z" }, "0" },
    { { .operator_id = "nobody-here" }, "0" },
  };
  g_autoptr(PfdoAuditQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) operators = NULL;
  g_autoptr(GError) error = NULL;
  PfdoAuditRecord *record;

  drop_triggers (fixture);
  g_assert_cmpint (raw_exec (fixture, "DELETE FROM audit_log"), ==, SQLITE_OK);
  plant_log (fixture, 1000);

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_test_message ("filter: %s", filters[i].where);
      assert_pages (fixture, &filters[i].filter, filters[i].where);
    }

  /* The child's name and the operator's are read with the row. */
  query = pfdo_audit_query_new (fixture->store, &(PfdoAuditFilter) { .child_id = "ch-7" },
                                &error);
  g_assert_no_error (error);
  rows = pfdo_audit_query_rows (query, 0, 1, &error);
  g_assert_no_error (error);
  record = g_ptr_array_index (rows, 0);
  g_assert_cmpint (record->seq, ==, 1000);
  g_assert_cmpstr (record->child_id, ==, "ch-7");
  g_assert_cmpstr (record->child_name, ==, "Страницына Майя");
  g_assert_cmpstr (record->operator_name, ==, "Специалист");
  g_assert_cmpstr (record->action, ==, "child.view");
  g_assert_cmpstr (record->at, ==, "2026-01-01T16:40:00Z");

  /* The operators to filter by, for the administrator. */
  operators = pfdo_audit_list_operators (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (operators->len, ==, 4);
  g_assert_cmpstr (((PfdoAuditOperator *) g_ptr_array_index (operators, 0))->full_name, ==,
                   "Администратор");
  g_clear_pointer (&operators, g_ptr_array_unref);

  /* Only the administrator reads the log, or who is in it. */
  pfdo_test_as (fixture, "op-clerk");
  g_clear_pointer (&query, pfdo_audit_query_free);
  query = pfdo_audit_query_new (fixture->store, NULL, &error);
  g_assert_null (query);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  operators = pfdo_audit_list_operators (fixture->store, &error);
  g_assert_null (operators);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
}

/* A certificate's and an enrollment's records belong to the child too,
 * and show its name; their details read as words. */
static void
test_query_child (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *certificate = NULL;
  g_autofree char *child = NULL;
  g_autofree char *enrollment = NULL;
  g_autoptr(PfdoAuditQuery) query = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) actions = g_string_new (NULL);

  pfdo_test_as (fixture, "op-clerk");
  certificate = pfdo_test_active_certificate (fixture, "Детова", "2015-05-05", FALSE);
  child = pfdo_test_text (fixture, "SELECT child_id FROM certificate WHERE id = ?", certificate);
  g_assert_true (pfdo_enrollment_create (fixture->store, certificate, "g-budget", 9, &enrollment,
                                         &error));
  g_assert_true (pfdo_certificate_freeze (fixture->store, certificate, "Болезнь", &error));
  g_assert_no_error (error);
  /* Another child's records stay out. */
  g_free (pfdo_test_active_certificate (fixture, "Другова", "2014-05-05", FALSE));

  pfdo_test_as (fixture, "op-admin");
  query = pfdo_audit_query_new (fixture->store, &(PfdoAuditFilter) { .child_id = child }, &error);
  g_assert_no_error (error);
  rows = pfdo_audit_query_rows (query, 0, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      PfdoAuditRecord *record = g_ptr_array_index (rows, i);
      g_autofree char *detail = pfdo_audit_detail_text (record);

      g_assert_cmpstr (record->child_id, ==, child);
      g_assert_true (g_str_has_prefix (record->child_name, "Детова Анна"));
      g_string_append_printf (actions, "%s%s%s%s", actions->len > 0 ? ", " : "", record->action,
                              detail != NULL ? ": " : "", detail != NULL ? detail : "");
    }
  g_assert_cmpstr (actions->str, ==,
                   "certificate.freeze: Accounting → Frozen, enrollment.create, "
                   "certificate.activate: Issued → Accounting, certificate.issue, child.verify, "
                   "child.register");
  g_assert_cmpstr (pfdo_audit_action_label ("child.verify", "rejected"), ==,
                   "Child’s data rejected");
  g_assert_cmpstr (pfdo_audit_action_label ("something.new", NULL), ==, "something.new");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/audit/triggers", test_triggers);
  TEST ("/audit/whole", test_whole);
  TEST ("/audit/modified", test_modified);
  TEST ("/audit/deleted", test_deleted);
  TEST ("/audit/card-view", test_card_view);
  TEST ("/audit/query", test_query);
  TEST ("/audit/query-child", test_query_child);

  return g_test_run ();
}
