/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Roles: every action of the core tried by nobody, school staff, a МОЦ
 * clerk and a МОЦ administrator, through the core's own API. An allowed
 * action succeeds and leaves its audit record; a refused one fails with
 * the right code and changes nothing.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pfdo-audit.h"
#include "pfdo-certificates.h"
#include "pfdo-child-card.h"
#include "pfdo-children.h"
#include "pfdo-class-list.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-meeting.h"
#include "pfdo-roles.h"
#include "pfdo-test-fixture.h"
#include "pfdo-validate.h"

typedef PfdoTestFixture Fixture;

typedef enum
{
  AS_NOBODY,
  AS_STAFF,
  AS_CLERK,
  AS_ADMIN,
  N_AS
} As;

static const char *const operators[N_AS] = { NULL, "op-staff", "op-clerk", "op-admin" };
static const char *const as_names[N_AS] = { "nobody", "school-staff", "moc-clerk", "moc-admin" };

/* The table as README.md and pfdo-roles.c show it, written out again: the
 * test fails when the code's table moves away from the documented one. */
static const struct
{
  PfdoAction  action;
  const char *name;
  gboolean    may[N_AS];
} table[] = {
  { PFDO_ACTION_FAMILY_REGISTER, "family.register", { FALSE, TRUE, TRUE, TRUE } },
  { PFDO_ACTION_CHILD_CORRECT, "child.correct", { FALSE, TRUE, TRUE, TRUE } },
  { PFDO_ACTION_CHILD_VIEW, "child.view", { FALSE, TRUE, TRUE, TRUE } },
  { PFDO_ACTION_CHILD_VERIFY, "child.verify", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_CERTIFICATE_ISSUE, "certificate.issue", { FALSE, TRUE, TRUE, TRUE } },
  { PFDO_ACTION_CERTIFICATE_ACTIVATE, "certificate.activate", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_CERTIFICATE_CONVERT, "certificate.convert", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_CERTIFICATE_FREEZE, "certificate.freeze", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_CERTIFICATE_UNFREEZE, "certificate.unfreeze", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_CERTIFICATE_CLOSE, "certificate.close", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_ENROLLMENT_CREATE, "enrollment.create", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_ENROLLMENT_CANCEL, "enrollment.cancel", { FALSE, FALSE, TRUE, TRUE } },
  { PFDO_ACTION_NUMBER_BLOCK_ADD, "number_block.add", { FALSE, TRUE, TRUE, TRUE } },
  { PFDO_ACTION_MEETING, "meeting", { FALSE, TRUE, TRUE, TRUE } },
  { PFDO_ACTION_AUDIT_VIEW, "audit.view", { FALSE, FALSE, FALSE, TRUE } },
};

/* What one call needs, made as the administrator before the call. */
typedef struct
{
  char *child_id;
  char *certificate_id;
  char *enrollment_id;
  char *session_id;
  char *dir;
} Ready;

typedef struct
{
  const char *path;
  PfdoAction  action;
  const char *recorded;   /* the audit record an allowed call leaves; NULL for none */
  void      (*prepare)    (Fixture *fixture, Ready *ready);
  gboolean  (*run)        (Fixture *fixture, Ready *ready, GError **error);
} Call;

typedef struct
{
  const Call *call;
  As          as;
} Case;

static char *
next_snils (void)
{
  static guint serial;

  return pfdo_test_child_snils (3000 + ++serial);
}

/* Preparations */

static void
prepare_nothing (Fixture *fixture,
                 Ready   *ready)
{
}

static void
prepare_child (Fixture *fixture,
               Ready   *ready)
{
  g_autofree char *snils = next_snils ();
  g_autofree char *birth = pfdo_test_date_from_today (-9, 0);

  ready->child_id = pfdo_test_register_child (fixture, "Ролева", "Анна", birth, snils, "200001");
}

static void
prepare_rejected_child (Fixture *fixture,
                        Ready   *ready)
{
  g_autoptr(GError) error = NULL;

  prepare_child (fixture, ready);
  g_assert_true (pfdo_child_reject (fixture->store, ready->child_id, "Нет СНИЛС", &error));
  g_assert_no_error (error);
}

static void
prepare_issued (Fixture *fixture,
                Ready   *ready)
{
  g_autoptr(GError) error = NULL;

  prepare_child (fixture, ready);
  g_assert_true (pfdo_child_verify (fixture->store, ready->child_id, PFDO_DOCUMENTS_ALL, TRUE,
                                    &error));
  g_assert_true (pfdo_certificate_issue (fixture->store, ready->child_id, &ready->certificate_id,
                                         NULL, &error));
  g_assert_no_error (error);
}

static void
prepare_active (Fixture *fixture,
                Ready   *ready)
{
  g_autofree char *birth = pfdo_test_date_from_today (-9, 0);

  ready->certificate_id = pfdo_test_active_certificate (fixture, "Активова", birth, FALSE);
}

static void
prepare_frozen (Fixture *fixture,
                Ready   *ready)
{
  g_autoptr(GError) error = NULL;

  prepare_active (fixture, ready);
  g_assert_true (pfdo_certificate_freeze (fixture->store, ready->certificate_id, "Болезнь",
                                          &error));
  g_assert_no_error (error);
}

static void
prepare_enrollment (Fixture *fixture,
                    Ready   *ready)
{
  g_autoptr(GError) error = NULL;

  prepare_active (fixture, ready);
  g_assert_true (pfdo_enrollment_create (fixture->store, ready->certificate_id, "g-budget", 9,
                                         &ready->enrollment_id, &error));
  g_assert_no_error (error);
}

static void
prepare_meeting (Fixture *fixture,
                 Ready   *ready)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = pfdo_meeting_start (fixture->store, "o3", "3 «Б»",
                                                              &error);

  g_assert_no_error (error);
  ready->session_id = g_strdup (session->id);
}

/* Calls */

static PfdoFamilyInput
family_input (PfdoChildInput *child,
              const char     *snils,
              const char     *birth)
{
  PfdoFamilyInput family = {
    .parent = { .last_name = "Ролева", .first_name = "Ольга", .phone = "+79181230000" },
    .children = child,
    .n_children = 1,
    .allow_duplicates = TRUE,
  };

  *child = (PfdoChildInput) {
    .last_name = "Ролева",
    .first_name = "Вера",
    .birth_date = birth,
    .sex = "f",
    .snils = snils,
    .document_type = "birth_certificate",
    .document_series = "II-ДН",
    .document_number = "300001",
  };
  return family;
}

static gboolean
run_family_register (Fixture  *fixture,
                     Ready    *ready,
                     GError  **error)
{
  g_autofree char *snils = next_snils ();
  g_autofree char *birth = pfdo_test_date_from_today (-8, 0);
  PfdoChildInput child;
  PfdoFamilyInput family = family_input (&child, snils, birth);
  g_autoptr(PfdoFamilyResult) result = pfdo_family_register (fixture->store, &family, NULL,
                                                             error);

  return result != NULL;
}

static gboolean
run_child_correct (Fixture  *fixture,
                   Ready    *ready,
                   GError  **error)
{
  g_autofree char *snils = next_snils ();
  g_autofree char *birth = pfdo_test_date_from_today (-9, 0);
  PfdoChildInput child;

  family_input (&child, snils, birth);
  return pfdo_child_correct (fixture->store, ready->child_id, &child, NULL, error);
}

static gboolean
run_child_view (Fixture  *fixture,
                Ready    *ready,
                GError  **error)
{
  g_autoptr(PfdoChildCard) card = pfdo_child_card_load (fixture->store, ready->child_id, error);

  return card != NULL;
}

static gboolean
run_child_verify (Fixture  *fixture,
                  Ready    *ready,
                  GError  **error)
{
  return pfdo_child_verify (fixture->store, ready->child_id, PFDO_DOCUMENTS_ALL, TRUE, error);
}

static gboolean
run_child_reject (Fixture  *fixture,
                  Ready    *ready,
                  GError  **error)
{
  return pfdo_child_reject (fixture->store, ready->child_id, "Опечатка в СНИЛС", error);
}

static gboolean
run_certificate_issue (Fixture  *fixture,
                       Ready    *ready,
                       GError  **error)
{
  return pfdo_certificate_issue (fixture->store, ready->child_id, NULL, NULL, error);
}

static gboolean
run_certificate_issue_numbered (Fixture  *fixture,
                                Ready    *ready,
                                GError  **error)
{
  return pfdo_certificate_issue_numbered (fixture->store, "z-roles", ready->child_id,
                                          "0000000003", pfdo_store_get_device_id (fixture->store),
                                          error);
}

static gboolean
run_certificate_activate (Fixture  *fixture,
                          Ready    *ready,
                          GError  **error)
{
  return pfdo_certificate_activate (fixture->store, ready->certificate_id, error);
}

static gboolean
run_certificate_convert (Fixture  *fixture,
                         Ready    *ready,
                         GError  **error)
{
  return pfdo_certificate_convert (fixture->store, ready->certificate_id, "personified", error);
}

static gboolean
run_certificate_freeze (Fixture  *fixture,
                        Ready    *ready,
                        GError  **error)
{
  return pfdo_certificate_freeze (fixture->store, ready->certificate_id, "Болезнь", error);
}

static gboolean
run_certificate_unfreeze (Fixture  *fixture,
                          Ready    *ready,
                          GError  **error)
{
  return pfdo_certificate_unfreeze (fixture->store, ready->certificate_id, NULL, error);
}

static gboolean
run_certificate_close (Fixture  *fixture,
                       Ready    *ready,
                       GError  **error)
{
  return pfdo_certificate_close (fixture->store, ready->certificate_id, "Переезд", error);
}

static gboolean
run_enrollment_create (Fixture  *fixture,
                       Ready    *ready,
                       GError  **error)
{
  return pfdo_enrollment_create (fixture->store, ready->certificate_id, "g-budget", 9, NULL,
                                 error);
}

static gboolean
run_enrollment_cancel (Fixture  *fixture,
                       Ready    *ready,
                       GError  **error)
{
  return pfdo_enrollment_cancel (fixture->store, ready->enrollment_id, error);
}

static gboolean
run_number_block_add (Fixture  *fixture,
                      Ready    *ready,
                      GError  **error)
{
  return pfdo_number_block_add (fixture->store, "b-roles", "0000000100", "0000000199", error);
}

static gboolean
run_meeting_start (Fixture  *fixture,
                   Ready    *ready,
                   GError  **error)
{
  g_autoptr(PfdoMeetingSession) session = pfdo_meeting_start (fixture->store, "o3", "4 «А»",
                                                              error);

  return session != NULL;
}

static gboolean
run_meeting_save_draft (Fixture  *fixture,
                        Ready    *ready,
                        GError  **error)
{
  return pfdo_meeting_save_draft (fixture->store, ready->session_id, "{\"parent\": {}}", error);
}

static gboolean
run_meeting_note_duplicate (Fixture  *fixture,
                            Ready    *ready,
                            GError  **error)
{
  return pfdo_meeting_note_duplicate (fixture->store, ready->session_id, error);
}

static gboolean
run_meeting_save_family (Fixture  *fixture,
                         Ready    *ready,
                         GError  **error)
{
  g_autofree char *snils = next_snils ();
  g_autofree char *birth = pfdo_test_date_from_today (-8, 0);
  PfdoChildInput child;
  PfdoFamilyInput family = family_input (&child, snils, birth);
  g_autoptr(PfdoFamilyResult) result = NULL;

  result = pfdo_meeting_save_family (fixture->store, ready->session_id, &family, NULL, error);
  return result != NULL;
}

static gboolean
run_meeting_import (Fixture  *fixture,
                    Ready    *ready,
                    GError  **error)
{
  g_autofree char *snils = next_snils ();
  g_autofree char *birth = pfdo_test_date_from_today (-8, 0);
  g_autofree char *csv = NULL;
  g_autoptr(PfdoClassList) list = NULL;
  g_autoptr(PfdoMeetingImport) report = NULL;
  GDate date;

  g_assert_true (pfdo_date_parse (birth, &date, NULL));
  csv = g_strdup_printf ("Фамилия;Имя;Отчество;Дата рождения;Пол;СНИЛС;Вид документа;Серия;"
                         "Номер;ФИО родителя;Телефон\n"
                         "Ролева;Зоя;Ивановна;%02d.%02d.%04d;Ж;%s;Свидетельство о рождении;"
                         "II-ДН;400001;Ролева Ольга Петровна;8 918 123-00-01\n",
                         g_date_get_day (&date), g_date_get_month (&date),
                         g_date_get_year (&date), snils);
  list = pfdo_class_list_parse (csv, strlen (csv), error);
  g_assert_nonnull (list);
  g_assert_cmpuint (pfdo_class_list_count_valid (list), ==, 1);
  report = pfdo_meeting_import_class_list (fixture->store, ready->session_id, list, error);
  if (report != NULL)
    g_assert_cmpuint (report->families, ==, 1);
  return report != NULL;
}

static gboolean
run_meeting_export (Fixture  *fixture,
                    Ready    *ready,
                    GError  **error)
{
  g_autofree char *path = NULL;
  gboolean done;

  ready->dir = g_dir_make_tmp ("pfdo-roles-XXXXXX", NULL);
  path = g_build_filename (ready->dir, "meeting.csv", NULL);
  done = pfdo_meeting_export (fixture->store, ready->session_id, path, PFDO_EXPORT_CSV, error);
  /* Nothing leaves the desk when refused. */
  g_assert_true (done == g_file_test (path, G_FILE_TEST_EXISTS));
  g_unlink (path);
  g_rmdir (ready->dir);
  return done;
}

static gboolean
run_meeting_close (Fixture  *fixture,
                   Ready    *ready,
                   GError  **error)
{
  return pfdo_meeting_close (fixture->store, ready->session_id, error);
}

static gboolean
run_audit_view (Fixture  *fixture,
                Ready    *ready,
                GError  **error)
{
  g_autoptr(PfdoAuditQuery) query = pfdo_audit_query_new (fixture->store, NULL, error);

  return query != NULL;
}

static const Call calls[] = {
  { "family-register", PFDO_ACTION_FAMILY_REGISTER, "family.register", prepare_nothing,
    run_family_register },
  { "child-correct", PFDO_ACTION_CHILD_CORRECT, "child.correct", prepare_rejected_child,
    run_child_correct },
  { "child-view", PFDO_ACTION_CHILD_VIEW, "child.view", prepare_child, run_child_view },
  { "child-verify", PFDO_ACTION_CHILD_VERIFY, "child.verify", prepare_child, run_child_verify },
  { "child-reject", PFDO_ACTION_CHILD_VERIFY, "child.verify", prepare_child, run_child_reject },
  { "certificate-issue", PFDO_ACTION_CERTIFICATE_ISSUE, "certificate.issue", prepare_child,
    run_certificate_issue },
  { "certificate-issue-numbered", PFDO_ACTION_CERTIFICATE_ISSUE, "certificate.issue",
    prepare_child, run_certificate_issue_numbered },
  { "certificate-activate", PFDO_ACTION_CERTIFICATE_ACTIVATE, "certificate.activate",
    prepare_issued, run_certificate_activate },
  { "certificate-convert", PFDO_ACTION_CERTIFICATE_CONVERT, "certificate.convert",
    prepare_active, run_certificate_convert },
  { "certificate-freeze", PFDO_ACTION_CERTIFICATE_FREEZE, "certificate.freeze", prepare_active,
    run_certificate_freeze },
  { "certificate-unfreeze", PFDO_ACTION_CERTIFICATE_UNFREEZE, "certificate.unfreeze",
    prepare_frozen, run_certificate_unfreeze },
  { "certificate-close", PFDO_ACTION_CERTIFICATE_CLOSE, "certificate.close", prepare_active,
    run_certificate_close },
  { "enrollment-create", PFDO_ACTION_ENROLLMENT_CREATE, "enrollment.create", prepare_active,
    run_enrollment_create },
  { "enrollment-cancel", PFDO_ACTION_ENROLLMENT_CANCEL, "enrollment.cancel",
    prepare_enrollment, run_enrollment_cancel },
  { "number-block-add", PFDO_ACTION_NUMBER_BLOCK_ADD, "number_block.add", prepare_nothing,
    run_number_block_add },
  { "meeting-start", PFDO_ACTION_MEETING, "meeting.start", prepare_nothing, run_meeting_start },
  /* The form kept at every key is not an action of its own: the family
   * saved from it is. */
  { "meeting-save-draft", PFDO_ACTION_MEETING, NULL, prepare_meeting, run_meeting_save_draft },
  { "meeting-note-duplicate", PFDO_ACTION_MEETING, NULL, prepare_meeting,
    run_meeting_note_duplicate },
  { "meeting-save-family", PFDO_ACTION_MEETING, "meeting.family", prepare_meeting,
    run_meeting_save_family },
  { "meeting-import", PFDO_ACTION_MEETING, "meeting.family", prepare_meeting,
    run_meeting_import },
  { "meeting-export", PFDO_ACTION_MEETING, "meeting.export", prepare_meeting,
    run_meeting_export },
  { "meeting-close", PFDO_ACTION_MEETING, "meeting.close", prepare_meeting, run_meeting_close },
  { "audit-view", PFDO_ACTION_AUDIT_VIEW, NULL, prepare_nothing, run_audit_view },
};

static Case cases[G_N_ELEMENTS (calls) * N_AS];

static gboolean
table_allows (PfdoAction action,
              As         as)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].action == action)
      return table[i].may[as];
  g_assert_not_reached ();
}

/* The code's table is the documented one, cell by cell. */
static void
test_table (void)
{
  const PfdoRole roles[N_AS] = { PFDO_ROLE_NONE, PFDO_ROLE_SCHOOL_STAFF, PFDO_ROLE_MOC_CLERK,
                                 PFDO_ROLE_MOC_ADMIN };

  g_assert_cmpuint (G_N_ELEMENTS (table), ==, PFDO_N_ACTIONS);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpstr (pfdo_action_to_string (table[i].action), ==, table[i].name);
      for (guint as = 0; as < N_AS; as++)
        {
          g_test_message ("%s as %s", table[i].name, as_names[as]);
          g_assert_cmpint (pfdo_role_allows (roles[as], table[i].action), ==, table[i].may[as]);
        }
    }

  /* Every action of the table is tried by a call below. */
  for (guint i = 0; i < PFDO_N_ACTIONS; i++)
    {
      gboolean tried = FALSE;

      for (guint c = 0; c < G_N_ELEMENTS (calls); c++)
        tried = tried || calls[c].action == (PfdoAction) i;
      g_assert_true (tried);
    }
}

static void
test_call (Fixture       *fixture,
           gconstpointer  data)
{
  const Case *test = data;
  const Call *call = test->call;
  gboolean allowed = table_allows (call->action, test->as);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 records, recorded;
  Ready ready = { 0 };
  gboolean done;

  pfdo_test_as (fixture, "op-admin");
  call->prepare (fixture, &ready);
  pfdo_test_as (fixture, operators[test->as]);
  before = pfdo_test_row_counts (fixture);
  records = pfdo_test_count (fixture, "SELECT count(*) FROM audit_log");

  done = call->run (fixture, &ready, &error);
  after = pfdo_test_row_counts (fixture);

  if (allowed)
    {
      g_assert_no_error (error);
      g_assert_true (done);
      if (call->recorded != NULL)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE seq > "
                                                  "%" G_GINT64_FORMAT " AND action = '%s' AND "
                                                  "operator_id = '%s'", records, call->recorded,
                                                  operators[test->as]);

          /* Every action leaves its record, with its operator. */
          recorded = pfdo_test_count (fixture, sql);
          g_assert_cmpint (recorded, >=, 1);
        }
    }
  else
    {
      int code = test->as == AS_NOBODY ? PFDO_DOMAIN_ERROR_NO_OPERATOR
                                       : PFDO_DOMAIN_ERROR_FORBIDDEN;

      g_assert_false (done);
      g_assert_error (error, PFDO_DOMAIN_ERROR, code);
      /* The refusal says what was refused, in words. */
      g_assert_cmpuint (strlen (error->message), >, 10);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"), ==, records);
    }

  g_free (ready.child_id);
  g_free (ready.certificate_id);
  g_free (ready.enrollment_id);
  g_free (ready.session_id);
  g_free (ready.dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/roles/table", test_table);
  for (guint c = 0; c < G_N_ELEMENTS (calls); c++)
    for (guint as = 0; as < N_AS; as++)
      {
        Case *test = &cases[c * N_AS + as];
        g_autofree char *path = g_strdup_printf ("/roles/%s/%s", calls[c].path, as_names[as]);

        test->call = &calls[c];
        test->as = as;
        g_test_add (path, Fixture, test, pfdo_test_fixture_set_up, test_call,
                    pfdo_test_fixture_tear_down);
      }

  return g_test_run ();
}
