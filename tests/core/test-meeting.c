/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pfdo-certificates.h"
#include "pfdo-class-list.h"
#include "pfdo-error.h"
#include "pfdo-meeting.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

static PfdoMeetingSession *
start (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PfdoMeetingSession *session;

  pfdo_test_as (fixture, "op-staff");
  session = pfdo_meeting_start (fixture->store, "o3", " 3 «Б» ", &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

/* A family of one parent and @n_children children; child i gets the
 * SNILS of @snils_base + i and a birth date 8 + i years ago. */
typedef struct
{
  PfdoChildInput   children[3];
  char            *snils[3];
  char            *birth_dates[3];
  char            *numbers[3];
  PfdoFamilyInput  family;
} Family;

static void
family_init (Family     *family,
             const char *last_name,
             guint       n_children,
             guint       snils_base)
{
  static const char *names[] = { "Мария", "Иван", "Пётр" };

  memset (family, 0, sizeof *family);
  for (guint i = 0; i < n_children; i++)
    {
      family->snils[i] = pfdo_test_child_snils (snils_base + i);
      family->birth_dates[i] = pfdo_test_date_from_today (-(8 + (int) i), -30);
      family->numbers[i] = g_strdup_printf ("%06u", 300000 + snils_base + i);
      family->children[i] = (PfdoChildInput) {
        .last_name = last_name,
        .first_name = names[i],
        .birth_date = family->birth_dates[i],
        .sex = i == 0 ? "f" : "m",
        .snils = family->snils[i],
        .document_type = "birth_certificate",
        .document_series = "II-ДН",
        .document_number = family->numbers[i],
      };
    }
  family->family = (PfdoFamilyInput) {
    .parent = { .last_name = last_name, .first_name = "Ольга", .phone = "8 918 123-45-67" },
    .children = family->children,
    .n_children = n_children,
    .issue_certificates = TRUE,
  };
}

static void
family_clear (Family *family)
{
  for (guint i = 0; i < G_N_ELEMENTS (family->children); i++)
    {
      g_free (family->snils[i]);
      g_free (family->birth_dates[i]);
      g_free (family->numbers[i]);
    }
}

static void
test_start (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = NULL;
  g_autoptr(PfdoMeetingSession) open = NULL;
  g_autoptr(GPtrArray) offices = NULL;

  /* Nobody signed in: refused. */
  pfdo_test_as (fixture, NULL);
  session = pfdo_meeting_start (fixture->store, "o3", "3Б", &error);
  g_assert_null (session);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
  g_clear_error (&error);

  pfdo_test_as (fixture, "op-staff");
  session = pfdo_meeting_start (fixture->store, "o3", "  ", &error);
  g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMPTY);
  g_clear_error (&error);

  /* A school of another municipality, and a МОЦ, are not schools here. */
  session = pfdo_meeting_start (fixture->store, "o4", "3Б", &error);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  session = pfdo_meeting_start (fixture->store, "o1", "3Б", &error);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  offices = pfdo_meeting_offices (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, ==, 1);
  g_assert_cmpstr (((PfdoMeetingOffice *) g_ptr_array_index (offices, 0))->id, ==, "o3");

  open = pfdo_meeting_find_open (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (open);

  session = start (fixture);
  g_assert_cmpstr (session->class_name, ==, "3 «Б»");
  g_assert_cmpstr (session->office_name, ==, "Школа № 1");
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE action = 'meeting.start'"),
                   ==, 1);

  /* Another operator does not resume this operator's meeting. */
  pfdo_test_as (fixture, "op-clerk");
  open = pfdo_meeting_find_open (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (open);

  pfdo_test_as (fixture, "op-staff");
  open = pfdo_meeting_find_open (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (open);
  g_assert_cmpstr (open->id, ==, session->id);
  g_clear_pointer (&open, pfdo_meeting_session_free);

  g_assert_true (pfdo_meeting_close (fixture->store, session->id, &error));
  g_assert_no_error (error);
  open = pfdo_meeting_find_open (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (open);

  g_assert_false (pfdo_meeting_close (fixture->store, session->id, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
}

static void
test_save_family (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autofree char *draft = NULL;
  PfdoMeetingSummary summary;
  PfdoMeetingChild *child;
  Family family;

  g_assert_true (pfdo_meeting_save_draft (fixture->store, session->id,
                                          "{\"parent\":{\"last_name\":\"Сидор\"}}", &error));
  g_assert_no_error (error);

  family_init (&family, "Сидорова", 2, 1);
  result = pfdo_meeting_save_family (fixture->store, session->id, &family.family, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->certificate_numbers->len, ==, 2);

  /* The form's draft went with the saved family. */
  draft = pfdo_meeting_dup_draft (fixture->store, session->id, &error);
  g_assert_no_error (error);
  g_assert_null (draft);

  g_assert_true (pfdo_meeting_get_summary (fixture->store, session->id, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.families, ==, 1);
  g_assert_cmpint (summary.children, ==, 2);
  g_assert_cmpint (summary.certificates, ==, 2);
  g_assert_cmpint (summary.duplicates_caught, ==, 0);
  g_assert_cmpint (summary.numbers_left, ==, 3);
  /* family.register and two certificate.issue. */
  g_assert_cmpint (summary.operations_waiting, ==, 3);

  children = pfdo_meeting_children (fixture->store, session->id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 2);
  child = g_ptr_array_index (children, 0);
  g_assert_cmpuint (child->family_no, ==, 1);
  g_assert_cmpstr (child->parent_last_name, ==, "Сидорова");
  g_assert_cmpstr (child->phone, ==, "+79181234567");
  g_assert_cmpstr (child->first_name, ==, "Мария");
  g_assert_cmpstr (child->certificate_number, ==, g_ptr_array_index (result->certificate_numbers, 0));
  g_assert_cmpstr (child->certificate_status, ==, "issued");
  g_assert_cmpstr (child->verification_status, ==, "unverified");
  g_assert_true (pfdo_meeting_session_has_child (fixture->store, session->id, child->child_id,
                                                 &error));
  g_assert_no_error (error);

  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE action = 'meeting.family'"),
                   ==, 1);
  family_clear (&family);
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autoptr(PfdoFamilyResult) first = NULL;
  g_autoptr(PfdoFamilyResult) twin = NULL;
  PfdoMeetingSummary summary;
  Family family, again;

  family_init (&family, "Петрова", 1, 10);
  first = pfdo_meeting_save_family (fixture->store, session->id, &family.family, NULL, &error);
  g_assert_no_error (error);

  /* The same child typed again by another parent: refused, and counted
   * once however often the operator tries. */
  family_init (&again, "Петрова", 1, 10);
  again.family.parent.first_name = "Нина";
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *field = NULL;

      twin = pfdo_meeting_save_family (fixture->store, session->id, &again.family, &field, &error);
      g_assert_null (twin);
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD);
      g_assert_cmpstr (field, ==, "children[0].snils");
      g_clear_error (&error);
    }
  g_assert_true (pfdo_meeting_get_summary (fixture->store, session->id, &summary, &error));
  g_assert_cmpint (summary.duplicates_caught, ==, 1);
  g_assert_cmpint (summary.families, ==, 1);

  /* The operator chose to save it: still one caught. */
  again.family.allow_duplicates = TRUE;
  twin = pfdo_meeting_save_family (fixture->store, session->id, &again.family, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (twin);
  g_clear_pointer (&twin, pfdo_family_result_free);
  g_assert_true (pfdo_meeting_get_summary (fixture->store, session->id, &summary, &error));
  g_assert_cmpint (summary.duplicates_caught, ==, 1);
  g_assert_cmpint (summary.families, ==, 2);

  /* A new form whose twin the desk showed counts again, once. */
  g_assert_true (pfdo_meeting_note_duplicate (fixture->store, session->id, &error));
  g_assert_true (pfdo_meeting_note_duplicate (fixture->store, session->id, &error));
  g_assert_true (pfdo_meeting_get_summary (fixture->store, session->id, &summary, &error));
  g_assert_cmpint (summary.duplicates_caught, ==, 2);
  /* Emptying the form starts a new one. */
  g_assert_true (pfdo_meeting_save_draft (fixture->store, session->id, NULL, &error));
  g_assert_true (pfdo_meeting_note_duplicate (fixture->store, session->id, &error));
  g_assert_true (pfdo_meeting_get_summary (fixture->store, session->id, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.duplicates_caught, ==, 3);

  family_clear (&family);
  family_clear (&again);
}

static void
test_draft (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autofree char *draft = NULL;
  const char *json = "{\"parent\":{\"last_name\":\"Кузнецова\",\"phone\":\"+7918\"}}";

  g_assert_true (pfdo_meeting_save_draft (fixture->store, session->id, json, &error));
  g_assert_no_error (error);

  /* Reopened, as after a crash. */
  g_clear_object (&fixture->store);
  fixture->store = pfdo_store_open (fixture->path, &error);
  g_assert_no_error (error);
  draft = pfdo_meeting_dup_draft (fixture->store, session->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft, ==, json);

  g_assert_false (pfdo_meeting_save_draft (fixture->store, session->id, "{\"parent\":", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  pfdo_test_as (fixture, "op-staff");
  g_assert_true (pfdo_meeting_close (fixture->store, session->id, &error));
  g_assert_false (pfdo_meeting_save_draft (fixture->store, session->id, json, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (pfdo_meeting_save_draft (fixture->store, "no-such-session", json, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
}

/* When the leased numbers run out in the middle of a family, nothing of the
 * family stays, and the form is still there to save later. */
static void
test_all_or_nothing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *draft = NULL;
  PfdoMeetingSummary summary;
  Family big, last;

  family_init (&big, "Волкова", 3, 20);
  for (guint i = 0; i < 1; i++)
    {
      g_autoptr(PfdoFamilyResult) result =
        pfdo_meeting_save_family (fixture->store, session->id, &big.family, NULL, &error);
      g_assert_no_error (error);
    }
  /* Two numbers are left; this family needs three. */
  family_init (&last, "Зайцева", 3, 40);
  g_assert_true (pfdo_meeting_save_draft (fixture->store, session->id, "{\"n\":1}", &error));
  before = pfdo_test_row_counts (fixture);
  {
    g_autoptr(PfdoFamilyResult) result =
      pfdo_meeting_save_family (fixture->store, session->id, &last.family, NULL, &error);
    g_assert_null (result);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  draft = pfdo_meeting_dup_draft (fixture->store, session->id, &error);
  g_assert_cmpstr (draft, ==, "{\"n\":1}");
  g_assert_true (pfdo_meeting_get_summary (fixture->store, session->id, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.families, ==, 1);
  g_assert_cmpint (summary.numbers_left, ==, 2);

  family_clear (&big);
  family_clear (&last);
}

static PfdoClassList *
load_list (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists", name, NULL);
  PfdoClassList *list = pfdo_class_list_load (path, &error);

  g_assert_no_error (error);
  return list;
}

/* A class list imported, imported again, and re-saved in cp1251: the
 * families once, and nothing twice. */
static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autoptr(PfdoClassList) list = load_list ("utf8-bom-semicolon.csv");
  g_autoptr(PfdoClassList) again = load_list ("cp1251-semicolon.csv");
  g_autoptr(PfdoMeetingImport) first = NULL;
  g_autoptr(PfdoMeetingImport) second = NULL;
  g_autoptr(PfdoMeetingImport) third = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *counts_after = NULL;
  guint valid = pfdo_class_list_count_valid (list);
  gint64 parents;

  pfdo_test_as (fixture, "op-admin");
  g_assert_true (pfdo_number_block_add (fixture->store, "b2", "0000000006", "0000000100", &error));
  g_assert_no_error (error);
  pfdo_test_as (fixture, "op-staff");
  g_assert_true (pfdo_meeting_save_draft (fixture->store, session->id, "{\"typed\":1}", &error));

  g_assert_cmpuint (valid, >, 2);
  first = pfdo_meeting_import_class_list (fixture->store, session->id, list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->children, ==, valid);
  g_assert_cmpuint (first->skipped->len, ==, list->rows->len - valid);
  parents = pfdo_test_count (fixture, "SELECT count(DISTINCT parent_id) FROM meeting_import");
  g_assert_cmpint (first->families, ==, parents);
  /* Rows of one parent and phone are one family. */
  g_assert_cmpint (parents, <, valid);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM meeting_child m JOIN certificate c "
                                             "ON c.child_id = m.child_id"), ==, valid);
  /* The form being typed stays. */
  {
    g_autofree char *draft = pfdo_meeting_dup_draft (fixture->store, session->id, &error);

    g_assert_cmpstr (draft, ==, "{\"typed\":1}");
  }

  counts = pfdo_test_row_counts (fixture);
  second = pfdo_meeting_import_class_list (fixture->store, session->id, list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->children, ==, 0);
  g_assert_cmpuint (second->families, ==, 0);
  g_assert_cmpuint (second->skipped->len, ==, list->rows->len);
  third = pfdo_meeting_import_class_list (fixture->store, session->id, again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (third->children, ==, 0);
  counts_after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (counts_after, ==, counts);
}

/* Bad rows are reported by their line; the good ones are imported. */
static void
test_import_bad_rows (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autoptr(PfdoClassList) list = load_list ("bad-rows.csv");
  g_autoptr(PfdoMeetingImport) report = NULL;
  guint valid = pfdo_class_list_count_valid (list);

  report = pfdo_meeting_import_class_list (fixture->store, session->id, list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->children, ==, valid);
  g_assert_cmpuint (report->skipped->len, ==, list->rows->len - valid);
  for (guint i = 0; i < report->skipped->len; i++)
    {
      PfdoMeetingSkip *skip = g_ptr_array_index (report->skipped, i);
      const PfdoClassRow *row = NULL;

      for (guint r = 0; r < list->rows->len; r++)
        if (((PfdoClassRow *) g_ptr_array_index (list->rows, r))->line == skip->line)
          row = g_ptr_array_index (list->rows, r);
      g_assert_nonnull (row);
      g_assert_false (pfdo_class_row_is_valid (row));
      g_assert_cmpuint (strlen (skip->reason), >, 0);
      if (i > 0)
        g_assert_cmpuint (skip->line, >, ((PfdoMeetingSkip *) g_ptr_array_index (report->skipped, i - 1))->line);
    }
}

/* A child already in the store is not imported again as a twin. */
static void
test_import_twin (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autoptr(PfdoClassList) list = load_list ("utf8-bom-semicolon.csv");
  g_autoptr(PfdoMeetingImport) report = NULL;
  const PfdoClassRow *row = NULL;
  g_autofree char *twin = NULL;
  PfdoMeetingSummary summary;

  for (guint r = 0; r < list->rows->len && row == NULL; r++)
    if (pfdo_class_row_is_valid (g_ptr_array_index (list->rows, r)) &&
        ((PfdoClassRow *) g_ptr_array_index (list->rows, r))->value[PFDO_CLASS_FIELD_SNILS] != NULL)
      row = g_ptr_array_index (list->rows, r);
  g_assert_nonnull (row);
  twin = pfdo_test_register_child (fixture, "Другая", "Девочка", "2016-01-01",
                                   row->value[PFDO_CLASS_FIELD_SNILS], "900001");
  pfdo_test_as (fixture, "op-admin");
  g_assert_true (pfdo_number_block_add (fixture->store, "b2", "0000000006", "0000000100", &error));
  pfdo_test_as (fixture, "op-staff");

  report = pfdo_meeting_import_class_list (fixture->store, session->id, list, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->children, ==, pfdo_class_list_count_valid (list) - 1);
  g_assert_cmpuint (report->skipped->len, >=, 1);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < report->skipped->len; i++)
      found |= ((PfdoMeetingSkip *) g_ptr_array_index (report->skipped, i))->line == row->line;
    g_assert_true (found);
  }
  g_assert_true (pfdo_meeting_get_summary (fixture->store, session->id, &summary, &error));
  g_assert_cmpint (summary.duplicates_caught, ==, 1);
}

/* The session as a spreadsheet: one line per child, numbers as text. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoMeetingSession) session = start (fixture);
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "session.csv", NULL);
  g_autofree char *xlsx = g_build_filename (fixture->dir, "session.xlsx", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  Family family;

  family_init (&family, "Орлова", 2, 60);
  result = pfdo_meeting_save_family (fixture->store, session->id, &family.family, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (pfdo_meeting_export (fixture->store, session->id, path, PFDO_EXPORT_CSV, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf"));
  lines = g_strsplit (contents, "\r\n", -1);
  /* The header, two children, and the end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *number = g_strdup_printf ("=\"\"%s\"\"",
                                                 (char *) g_ptr_array_index (result->certificate_numbers, i));

      g_assert_nonnull (strstr (lines[i + 1], number));
      g_assert_nonnull (strstr (lines[i + 1], "Орлова"));
    }

  g_assert_true (pfdo_meeting_export (fixture->store, session->id, xlsx, PFDO_EXPORT_XLSX, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));
  family_clear (&family);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/meeting/start", test_start);
  TEST ("/meeting/save-family", test_save_family);
  TEST ("/meeting/duplicates", test_duplicates);
  TEST ("/meeting/draft", test_draft);
  TEST ("/meeting/all-or-nothing", test_all_or_nothing);
  TEST ("/meeting/import", test_import);
  TEST ("/meeting/import-bad-rows", test_import_bad_rows);
  TEST ("/meeting/import-twin", test_import_twin);
  TEST ("/meeting/export", test_export);

  return g_test_run ();
}
