/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-certificates.h"
#include "pfdo-children.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

static char *
status_of (Fixture    *fixture,
           const char *certificate_id)
{
  return pfdo_test_text (fixture, "SELECT status FROM certificate WHERE id = ?", certificate_id);
}

static void
test_issue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *child = pfdo_test_register_child (fixture, "Иванова", "Анна", "2015-03-07",
                                                     NULL, "123456");
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  /* Numbers come from this desk's leased block, zero-padded, in order. */
  pfdo_test_as (fixture, "op-staff");
  g_assert_cmpint (pfdo_number_blocks_remaining (fixture->store, NULL), ==, 5);
  g_assert_true (pfdo_certificate_issue (fixture->store, child, &id, &number, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (number, ==, "0000000001");
  g_assert_cmpint (pfdo_number_blocks_remaining (fixture->store, NULL), ==, 4);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type = "
                                             "'certificate.issue'"), ==, 1);

  /* One certificate per child, ever. */
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_certificate_issue (fixture->store, child, NULL, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  g_assert_false (pfdo_certificate_issue (fixture->store, "no-such-child", NULL, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
}

static void
test_numbers_run_out (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A number used elsewhere (a certificate that came from the server) is
   * skipped, not issued twice. */
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "UPDATE number_block SET used = 0; "
                                  "INSERT INTO parent (id, last_name, first_name, municipality_id, "
                                  "created_at) VALUES ('px', 'Фролова', 'Ирина', 'm1', 'now'); "
                                  "INSERT INTO child (id, parent_id, last_name, first_name, "
                                  "birth_date, sex, municipality_id, created_at) VALUES ('cx', "
                                  "'px', 'Фролова', 'Ира', '2015-01-01', 'f', 'm1', 'now'); "
                                  "INSERT INTO certificate (id, number, child_id, municipality_id, "
                                  "issued_at) VALUES ('zx', '0000000002', 'cx', 'm1', 'now')",
                                  &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *child = NULL;
      g_autofree char *number = NULL;
      g_autofree char *doc = g_strdup_printf ("%06u", 100000 + i);
      const char *names[] = { "Анна", "Мария", "Ольга", "Вера" };

      child = pfdo_test_register_child (fixture, "Смирнова", names[i], "2014-02-02", NULL, doc);
      g_assert_true (pfdo_certificate_issue (fixture->store, child, NULL, &number, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (number, !=, "0000000002");
    }

  {
    g_autofree char *child = pfdo_test_register_child (fixture, "Смирнова", "Юлия", "2014-02-02",
                                                       NULL, "200000");
    g_autofree char *before = pfdo_test_row_counts (fixture);
    g_autofree char *after = NULL;

    g_assert_cmpint (pfdo_number_blocks_remaining (fixture->store, NULL), ==, 0);
    g_assert_false (pfdo_certificate_issue (fixture->store, child, NULL, NULL, &error));
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT);
    after = pfdo_test_row_counts (fixture);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_lifecycle (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *child = pfdo_test_register_child (fixture, "Иванова", "Анна", "2015-03-07",
                                                     NULL, "123456");
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;

  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_certificate_issue (fixture->store, child, &id, NULL, &error));
  g_assert_no_error (error);

  /* Activation needs a confirmed child. */
  g_assert_false (pfdo_certificate_activate (fixture->store, id, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CHILD_NOT_VERIFIED);
  g_clear_error (&error);
  g_assert_true (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_certificate_activate (fixture->store, id, &error));
  g_assert_no_error (error);
  status = status_of (fixture, id);
  g_assert_cmpstr (status, ==, "accounting");
  g_clear_pointer (&status, g_free);

  /* Invalid transitions. */
  g_assert_false (pfdo_certificate_activate (fixture->store, id, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_unfreeze (fixture->store, id, "Вернулись", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_convert (fixture->store, id, "closed", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Personified and back; the municipality's counter follows. */
  g_assert_true (pfdo_certificate_convert (fixture->store, id, "personified", &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality WHERE id = 'm1'"),
                   ==, 1);
  g_assert_true (pfdo_certificate_convert (fixture->store, id, "accounting", &error));
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality WHERE id = 'm1'"),
                   ==, 0);
  g_assert_true (pfdo_certificate_convert (fixture->store, id, "personified", &error));

  /* Freeze keeps where it came from; the quota stays taken meanwhile. */
  g_assert_false (pfdo_certificate_freeze (fixture->store, id, "", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_true (pfdo_certificate_freeze (fixture->store, id, "Болезнь", &error));
  status = pfdo_test_text (fixture, "SELECT status || ' ' || frozen_from FROM certificate WHERE "
                                    "id = ?", id);
  g_assert_cmpstr (status, ==, "frozen personified");
  g_clear_pointer (&status, g_free);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality WHERE id = 'm1'"),
                   ==, 1);
  g_assert_true (pfdo_certificate_unfreeze (fixture->store, id, "Выздоровел", &error));
  status = status_of (fixture, id);
  g_assert_cmpstr (status, ==, "personified");
  g_clear_pointer (&status, g_free);

  /* Closing needs a reason and frees the quota. */
  g_assert_false (pfdo_certificate_close (fixture->store, id, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_true (pfdo_certificate_close (fixture->store, id, "Переезд", &error));
  g_assert_no_error (error);
  status = status_of (fixture, id);
  g_assert_cmpstr (status, ==, "closed");
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality WHERE id = 'm1'"),
                   ==, 0);
  g_assert_false (pfdo_certificate_activate (fixture->store, id, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* Still one certificate per child: a closed one counts. */
  g_assert_false (pfdo_certificate_issue (fixture->store, child, NULL, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS);
  g_clear_error (&error);

  /* Every change went to the outbox and the audit log together. */
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE entity = "
                                             "'certificate'"),
                   ==, pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE entity = "
                                                 "'certificate'"));
}

static void
test_quota_and_mode (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *a = pfdo_test_active_certificate (fixture, "Алексеева", "2014-01-01", TRUE);
  g_autofree char *b = pfdo_test_active_certificate (fixture, "Борисова", "2014-01-01", TRUE);
  g_autofree char *c = pfdo_test_active_certificate (fixture, "Васильева", "2014-01-01", TRUE);
  g_autofree char *d = pfdo_test_active_certificate (fixture, "Григорьева", "2014-01-01", FALSE);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  /* The quota of m1 is 3. */
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_certificate_convert (fixture->store, d, "personified", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_QUOTA_EXHAUSTED);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* An accounting-only municipality has no personified certificates. */
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "UPDATE municipality SET mode = 'accounting_only', pf_quota = 10 "
                                  "WHERE id = 'm1'",
                                  &error));
  g_assert_false (pfdo_certificate_convert (fixture->store, d, "personified", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_PERSONIFIED_MUNICIPALITY);
}

static void
test_enrolled_cannot_leave (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *id = pfdo_test_active_certificate (fixture, "Дмитриева", "2014-01-01", TRUE);
  g_autofree char *grant = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_exec (fixture->store, "SELECT 1", &error));
  grant = g_strdup_printf ("INSERT INTO ledger_entry (id, certificate_id, period, kind, "
                           "amount_kopecks, created_at) VALUES ('grant-1', '%s', '2026/27', "
                           "'grant', %d, 'now')",
                           id, PFDO_TEST_NOMINAL);
  g_assert_true (pfdo_store_exec (fixture->store, grant, &error));
  g_assert_true (pfdo_enrollment_create (fixture->store, id, "g-cert", 9, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (pfdo_certificate_convert (fixture->store, id, "accounting", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_close (fixture->store, id, "Переезд", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
}

static void
test_issue_numbered (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *a = pfdo_test_register_child (fixture, "Орлова", "Анна", "2014-02-02", NULL,
                                                 "100001");
  g_autofree char *b = pfdo_test_register_child (fixture, "Орлова", "Вера", "2012-02-02", NULL,
                                                 "100002");
  const char *device = pfdo_store_get_device_id (fixture->store);
  g_autofree char *before = NULL;
  const struct
  {
    const char *id, *child, *number, *device;
    int         code;
  } refused[] = {
    { "z2", NULL, "0000000009", NULL, PFDO_DOMAIN_ERROR_NUMBER_NOT_LEASED },
    { "z2", NULL, "0000000003", "another-desk", PFDO_DOMAIN_ERROR_NUMBER_NOT_LEASED },
    { "z2", NULL, "0000000002", NULL, PFDO_DOMAIN_ERROR_NUMBER_USED },
    { "z2", NULL, "12345", NULL, PFDO_DOMAIN_ERROR_INVALID_FIELD },
    { "z1", NULL, "0000000004", NULL, PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS },
    { "z2", "a", "0000000004", NULL, PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS },
  };
  g_autoptr(GError) error = NULL;

  /* As the server receives it: the desk's own id and number. */
  g_assert_true (pfdo_certificate_issue_numbered (fixture->store, "z1", a, "0000000002", device,
                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM certificate WHERE id = 'z1' "
                                             "AND number = '0000000002'"), ==, 1);

  before = pfdo_test_row_counts (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *after = NULL;

      g_assert_false (pfdo_certificate_issue_numbered (fixture->store, refused[i].id,
                                                       refused[i].child != NULL ? a : b,
                                                       refused[i].number,
                                                       refused[i].device != NULL
                                                         ? refused[i].device
                                                         : device,
                                                       &local_error));
      g_assert_error (local_error, PFDO_DOMAIN_ERROR, refused[i].code);
      after = pfdo_test_row_counts (fixture);
      g_assert_cmpstr (after, ==, before);
    }
}

typedef enum
{
  STATE_ISSUED,
  STATE_ACCOUNTING,
  STATE_PERSONIFIED,
  STATE_FROZEN_ACCOUNTING,
  STATE_FROZEN_PERSONIFIED,
  STATE_CLOSED,
  N_STATES
} State;

typedef enum
{
  ACTION_ACTIVATE,
  ACTION_TO_PERSONIFIED,
  ACTION_TO_ACCOUNTING,
  ACTION_FREEZE,
  ACTION_UNFREEZE,
  ACTION_CLOSE,
  N_ACTIONS
} Action;

static const char *state_names[] = {
  "issued", "accounting", "personified", "frozen", "frozen", "closed",
};

static const char *action_ops[] = {
  "certificate.activate", "certificate.convert", "certificate.convert", "certificate.freeze",
  "certificate.unfreeze", "certificate.close",
};

static gboolean
act (Fixture    *fixture,
     const char *id,
     Action      action,
     GError    **error)
{
  switch (action)
    {
    case ACTION_ACTIVATE:
      return pfdo_certificate_activate (fixture->store, id, error);
    case ACTION_TO_PERSONIFIED:
      return pfdo_certificate_convert (fixture->store, id, "personified", error);
    case ACTION_TO_ACCOUNTING:
      return pfdo_certificate_convert (fixture->store, id, "accounting", error);
    case ACTION_FREEZE:
      return pfdo_certificate_freeze (fixture->store, id, "Болезнь", error);
    case ACTION_UNFREEZE:
      return pfdo_certificate_unfreeze (fixture->store, id, "Выздоровел", error);
    case ACTION_CLOSE:
      return pfdo_certificate_close (fixture->store, id, "Переезд", error);
    case N_ACTIONS:
    default:
      g_assert_not_reached ();
    }
}

/* A certificate of a verified child, brought to @state through the core. */
static char *
certificate_in (Fixture *fixture,
                State    state)
{
  static guint serial;
  g_autofree char *snils = pfdo_test_child_snils (5000 + ++serial);
  g_autofree char *document = g_strdup_printf ("%06u", 700000 + serial * 3);
  g_autofree char *child = pfdo_test_register_child (fixture, "Кузнецова", "Анна", "2014-01-01",
                                                     snils, document);
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_assert_true (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_certificate_issue (fixture->store, child, &id, NULL, &error));
  g_assert_no_error (error);
  if (state == STATE_ISSUED)
    return id;
  g_assert_true (act (fixture, id, ACTION_ACTIVATE, &error));
  if (state == STATE_PERSONIFIED || state == STATE_FROZEN_PERSONIFIED)
    g_assert_true (act (fixture, id, ACTION_TO_PERSONIFIED, &error));
  if (state == STATE_FROZEN_ACCOUNTING || state == STATE_FROZEN_PERSONIFIED)
    g_assert_true (act (fixture, id, ACTION_FREEZE, &error));
  if (state == STATE_CLOSED)
    g_assert_true (act (fixture, id, ACTION_CLOSE, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_transitions (Fixture       *fixture,
                  gconstpointer  data)
{
  /* What each action makes of each status; NULL: invalid_state. */
  static const char *after[N_STATES][N_ACTIONS] = {
    [STATE_ISSUED] = { "accounting", NULL, NULL, NULL, NULL, "closed" },
    [STATE_ACCOUNTING] = { NULL, "personified", NULL, "frozen", NULL, "closed" },
    [STATE_PERSONIFIED] = { NULL, NULL, "accounting", "frozen", NULL, "closed" },
    [STATE_FROZEN_ACCOUNTING] = { NULL, NULL, NULL, NULL, "accounting", "closed" },
    [STATE_FROZEN_PERSONIFIED] = { NULL, NULL, NULL, NULL, "personified", "closed" },
    [STATE_CLOSED] = { NULL, NULL, NULL, NULL, NULL, NULL },
  };
  /* How the municipality's count of personified certificates moves. */
  static const int quota_moves[N_STATES][N_ACTIONS] = {
    [STATE_ACCOUNTING] = { 0, +1, 0, 0, 0, 0 },
    [STATE_PERSONIFIED] = { 0, 0, -1, 0, 0, -1 },
    [STATE_FROZEN_PERSONIFIED] = { 0, 0, 0, 0, 0, -1 },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_exec (fixture->store,
                                  "UPDATE municipality SET pf_quota = 1000 WHERE id = 'm1'",
                                  &error));
  g_assert_true (pfdo_number_block_add (fixture->store, "b-big", "0000001000", "0000001999",
                                        &error));
  g_assert_no_error (error);
  pfdo_test_as (fixture, "op-clerk");

  for (guint s = 0; s < N_STATES; s++)
    for (guint a = 0; a < N_ACTIONS; a++)
      {
        g_autofree char *id = certificate_in (fixture, (State) s);
        g_autofree char *before = pfdo_test_row_counts (fixture);
        g_autofree char *status_before = status_of (fixture, id);
        g_autofree char *status_after = NULL;
        g_autofree char *counts_after = NULL;
        gint64 pf_before = pfdo_test_count (fixture, "SELECT pf_issued FROM municipality "
                                                     "WHERE id = 'm1'");
        gint64 outbox = pfdo_test_count (fixture, "SELECT count(*) FROM outbox");
        gint64 audit = pfdo_test_count (fixture, "SELECT count(*) FROM audit_log");
        gboolean ok;

        g_test_message ("%s (%u) → %s", state_names[s], s, action_ops[a]);
        g_assert_cmpstr (status_before, ==, state_names[s]);
        ok = act (fixture, id, (Action) a, &error);
        status_after = status_of (fixture, id);

        if (after[s][a] == NULL)
          {
            g_assert_false (ok);
            g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE);
            g_clear_error (&error);
            g_assert_cmpstr (status_after, ==, status_before);
            counts_after = pfdo_test_row_counts (fixture);
            g_assert_cmpstr (counts_after, ==, before);
            continue;
          }

        g_assert_no_error (error);
        g_assert_true (ok);
        g_assert_cmpstr (status_after, ==, after[s][a]);
        g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality "
                                                   "WHERE id = 'm1'"),
                         ==, pf_before + quota_moves[s][a]);
        /* One operation and one audit record, saying the change only. */
        g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox"), ==, outbox + 1);
        g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"), ==,
                         audit + 1);
        {
          g_autofree char *op = pfdo_test_text (fixture, "SELECT type || ' ' || "
                                                         "json_extract (payload, '$.certificate_id') "
                                                         "FROM outbox ORDER BY seq DESC LIMIT 1",
                                                NULL);
          g_autofree char *detail = pfdo_test_text (fixture, "SELECT detail FROM audit_log "
                                                             "ORDER BY seq DESC LIMIT 1", NULL);
          g_autofree char *expected_op = g_strdup_printf ("%s %s", action_ops[a], id);
          g_autofree char *expected_detail = g_strdup_printf ("%s → %s", state_names[s],
                                                              after[s][a]);

          g_assert_cmpstr (op, ==, expected_op);
          g_assert_cmpstr (detail, ==, expected_detail);
        }
      }

  /* The count of personified certificates matches the register. */
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality WHERE id = 'm1'"),
                   ==, pfdo_test_count (fixture, "SELECT count(*) FROM certificate WHERE "
                                                 "status = 'personified' OR frozen_from = "
                                                 "'personified'"));
}

static void
test_roles_and_scope (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *accounting = certificate_in (fixture, STATE_ACCOUNTING);
  g_autofree char *snils = pfdo_test_child_snils (9001);
  g_autofree char *child = pfdo_test_register_child (fixture, "Белова", "Анна", "2014-01-01",
                                                     snils, "901234");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  before = pfdo_test_row_counts (fixture);

  /* Nobody signed in: nothing at all. */
  g_assert_true (pfdo_store_set_operator (fixture->store, NULL, NULL));
  g_assert_false (pfdo_certificate_issue (fixture->store, child, NULL, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
  g_clear_error (&error);
  for (guint a = 0; a < N_ACTIONS; a++)
    {
      g_assert_false (act (fixture, accounting, (Action) a, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
      g_clear_error (&error);
    }

  /* School staff issue, but do not change a certificate's status. */
  pfdo_test_as (fixture, "op-staff");
  for (guint a = 0; a < N_ACTIONS; a++)
    {
      g_assert_false (act (fixture, accounting, (Action) a, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
      g_clear_error (&error);
    }

  /* Another municipality's clerk sees neither the child nor the
   * certificate. */
  pfdo_test_as (fixture, "op-other");
  g_assert_false (pfdo_certificate_issue (fixture->store, child, NULL, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  for (guint a = 0; a < N_ACTIONS; a++)
    {
      g_assert_false (act (fixture, accounting, (Action) a, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
      g_clear_error (&error);
    }

  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  {
    g_autofree char *status = status_of (fixture, accounting);

    g_assert_cmpstr (status, ==, "accounting");
  }

  /* An unknown certificate; an unknown target status. */
  pfdo_test_as (fixture, "op-admin");
  for (guint a = 0; a < N_ACTIONS; a++)
    {
      g_assert_false (act (fixture, "no-such-certificate", (Action) a, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
  g_assert_false (pfdo_certificate_convert (fixture->store, accounting, "frozen", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_convert (fixture->store, accounting, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_clear_pointer (&after, g_free);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* School staff may issue. */
  pfdo_test_as (fixture, "op-staff");
  g_assert_true (pfdo_certificate_issue (fixture->store, child, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_activation_needs_verified_child (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *unverified = pfdo_test_register_child (fixture, "Белова", "Анна", "2014-01-01",
                                                          NULL, "901234");
  g_autofree char *rejected = pfdo_test_register_child (fixture, "Белова", "Вера", "2012-01-01",
                                                        NULL, "905678");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *row = NULL;
  g_autoptr(GError) error = NULL;

  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_child_reject (fixture->store, rejected, "Нет документов", &error));
  g_assert_true (pfdo_certificate_issue (fixture->store, unverified, &a, NULL, &error));
  g_assert_true (pfdo_certificate_issue (fixture->store, rejected, &b, NULL, &error));
  g_assert_no_error (error);

  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_certificate_activate (fixture->store, a, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CHILD_NOT_VERIFIED);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_activate (fixture->store, b, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_CHILD_NOT_VERIFIED);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  g_assert_true (pfdo_child_verify (fixture->store, unverified, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_certificate_activate (fixture->store, a, &error));
  g_assert_no_error (error);
  row = pfdo_test_text (fixture, "SELECT status || ' ' || (activated_at IS NOT NULL) || ' ' || "
                                 "(closed_at IS NULL) FROM certificate WHERE id = ?", a);
  g_assert_cmpstr (row, ==, "accounting 1 1");
}

static void
test_close (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *frozen = certificate_in (fixture, STATE_FROZEN_PERSONIFIED);
  g_autofree char *issued = certificate_in (fixture, STATE_ISSUED);
  g_autofree char *row = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  pfdo_test_as (fixture, "op-clerk");
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality WHERE id = 'm1'"),
                   ==, 1);

  /* A reason is needed: none, empty or blank, and nothing is written. */
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_certificate_close (fixture->store, frozen, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_close (fixture->store, frozen, "", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_close (fixture->store, frozen, "   ", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pfdo_certificate_freeze (fixture->store, issued, " ", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* A frozen personified certificate gives its place in the quota back. */
  g_assert_true (pfdo_certificate_close (fixture->store, frozen, "  Исполнилось 18 лет ", &error));
  g_assert_no_error (error);
  row = pfdo_test_text (fixture, "SELECT status || '|' || close_reason || '|' || "
                                 "(closed_at IS NOT NULL) || '|' || coalesce (frozen_from, '-') "
                                 "FROM certificate WHERE id = ?", frozen);
  g_assert_cmpstr (row, ==, "closed|Исполнилось 18 лет|1|-");
  g_clear_pointer (&row, g_free);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT pf_issued FROM municipality WHERE id = 'm1'"),
                   ==, 0);
  row = pfdo_test_text (fixture, "SELECT json_extract (payload, '$.reason') FROM outbox "
                                 "WHERE type = 'certificate.close'", NULL);
  g_assert_cmpstr (row, ==, "Исполнилось 18 лет");
  g_clear_pointer (&row, g_free);

  /* An issued certificate, never activated, can be closed too. */
  g_assert_true (pfdo_certificate_close (fixture->store, issued, "Ошибка выдачи", &error));
  g_assert_no_error (error);
  row = status_of (fixture, issued);
  g_assert_cmpstr (row, ==, "closed");
}

static void
test_number_blocks (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct
  {
    const char *first, *last;
  } bad_blocks[] = {
    { "0000000010", "0000000009" },
    { "0000000001", "000000010" },
    { "000000000a", "0000000010" },
    { "", "0000000010" },
    { NULL, "0000000010" },
    { "-000000001", "0000000010" },
  };
  const char *expected[] = {
    "0000000001", "0000000002", "0000000003", "0000000004", "0000000005",
    "0000000098", "0000000099", "0000000100", "0000000101",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_blocks); i++)
    {
      g_assert_false (pfdo_number_block_add (fixture->store, "bad", bad_blocks[i].first,
                                             bad_blocks[i].last, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD);
      g_clear_error (&error);
    }
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM number_block"), ==, 1);

  /* A second block, crossing a power of ten; another desk's block is never
   * used here. Adding a block twice changes nothing. */
  g_assert_true (pfdo_number_block_add (fixture->store, "b2", "0000000098", "0000000101", &error));
  g_assert_true (pfdo_number_block_add (fixture->store, "b2", "0000000098", "0000000101", &error));
  g_assert_no_error (error);
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "INSERT INTO number_block (id, device_id, first, last, "
                                  "leased_at) VALUES ('b-other', 'another-desk', '0000000500', "
                                  "'0000000599', '2000-01-01T00:00:00Z')",
                                  &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_number_blocks_remaining (fixture->store, NULL), ==, 9);

  pfdo_test_as (fixture, "op-staff");
  for (guint i = 0; i < G_N_ELEMENTS (expected) + 1; i++)
    {
      g_autofree char *snils = pfdo_test_child_snils (6000 + i);
      g_autofree char *document = g_strdup_printf ("%06u", 810000 + i * 13);
      g_autofree char *child = pfdo_test_register_child (fixture, "Титова", "Анна", "2014-01-01",
                                                         snils, document);
      g_autofree char *number = NULL;
      g_autofree char *before = pfdo_test_row_counts (fixture);

      if (i == G_N_ELEMENTS (expected))
        {
          g_autofree char *after = NULL;

          g_assert_false (pfdo_certificate_issue (fixture->store, child, NULL, &number, &error));
          g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT);
          g_assert_null (number);
          after = pfdo_test_row_counts (fixture);
          g_assert_cmpstr (after, ==, before);
          break;
        }
      g_assert_true (pfdo_certificate_issue (fixture->store, child, NULL, &number, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (number, ==, expected[i]);
      g_assert_cmpint (pfdo_number_blocks_remaining (fixture->store, NULL), ==,
                       G_N_ELEMENTS (expected) - i - 1);
    }
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT used FROM number_block WHERE id = 'b-other'"),
                   ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/certificates/issue", test_issue);
  TEST ("/certificates/numbers-run-out", test_numbers_run_out);
  TEST ("/certificates/lifecycle", test_lifecycle);
  TEST ("/certificates/issue-numbered", test_issue_numbered);
  TEST ("/certificates/quota-and-mode", test_quota_and_mode);
  TEST ("/certificates/enrolled-cannot-leave", test_enrolled_cannot_leave);
  TEST ("/certificates/transitions", test_transitions);
  TEST ("/certificates/roles-and-scope", test_roles_and_scope);
  TEST ("/certificates/activation-needs-verified-child", test_activation_needs_verified_child);
  TEST ("/certificates/close", test_close);
  TEST ("/certificates/number-blocks", test_number_blocks);

  return g_test_run ();
}
