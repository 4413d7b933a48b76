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

  return g_test_run ();
}
