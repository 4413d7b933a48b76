/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SNILS and document numbers on the screen: whole on the child's card
 * only, masked (***-***-445 95) or absent in every list of the desk: the
 * verification queue and search results, the certificates register, the
 * meeting's families, a class list's preview, the catalog, the audit log's
 * choice of children. Real widgets under Xvfb, in Russian, on the demo
 * region; what counts is the text a person can read.
 */
#include "config.h"

#include <string.h>

#include "pfdo-audit-window.h"
#include "pfdo-class-import-dialog.h"
#include "pfdo-class-list.h"
#include "pfdo-meeting.h"
#include "pfdo-test-ui.h"
#include "pfdo-window.h"

typedef struct
{
  PfdoStore *store;
  GPtrArray *snils;       /* every child's, as stored */
  GPtrArray *documents;   /* every child's document number */
} Fixture;

static void
collect (PfdoStore  *store,
         const char *sql,
         GPtrArray  *into)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (into, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = pfdo_test_ui_store (TRUE);
  fixture->snils = g_ptr_array_new_with_free_func (g_free);
  fixture->documents = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->snils, g_ptr_array_unref);
  g_clear_pointer (&fixture->documents, g_ptr_array_unref);
}

static void
sign_in (Fixture    *fixture,
         const char *login)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator_login (fixture->store, login, &error));
  g_assert_no_error (error);
}

/* The identifiers to look for: read after the test's own changes. */
static void
read_identifiers (Fixture *fixture)
{
  g_ptr_array_set_size (fixture->snils, 0);
  g_ptr_array_set_size (fixture->documents, 0);
  collect (fixture->store, "SELECT snils FROM child WHERE snils IS NOT NULL", fixture->snils);
  collect (fixture->store, "SELECT document_number FROM child WHERE document_number IS NOT NULL",
           fixture->documents);
  g_assert_cmpuint (fixture->snils->len, >, 100);
  g_assert_cmpuint (fixture->documents->len, >, 100);
}

/* @number in @text, not as part of a longer number. */
static gboolean
holds_number (const char *text,
              const char *number)
{
  gsize len = strlen (number);

  for (const char *at = strstr (text, number); at != NULL; at = strstr (at + 1, number))
    if ((at == text || !g_ascii_isdigit (at[-1])) && !g_ascii_isdigit (at[len]))
      return TRUE;
  return FALSE;
}

/* No SNILS (in its stored spelling or as bare digits) and no document
 * number of any child is readable in @widget. */
static void
assert_masked (Fixture    *fixture,
               GtkWidget  *widget,
               const char *where)
{
  g_autofree char *text = NULL;

  if (GTK_IS_WINDOW (widget))
    pfdo_test_ui_settle (GTK_WINDOW (widget));
  text = pfdo_test_ui_text (widget);
  g_test_message ("%s: %" G_GSIZE_FORMAT " characters on the screen", where, strlen (text));
  g_assert_cmpuint (strlen (text), >, 20);
  for (guint i = 0; i < fixture->snils->len; i++)
    {
      const char *snils = g_ptr_array_index (fixture->snils, i);
      g_autoptr(GString) bare = g_string_new (NULL);

      for (const char *p = snils; *p != '\0'; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (bare, *p);
      if (strstr (text, snils) != NULL || holds_number (text, bare->str))
        g_error ("%s shows the SNILS %s whole:\n%s", where, snils, text);
    }
  for (guint i = 0; i < fixture->documents->len; i++)
    {
      const char *number = g_ptr_array_index (fixture->documents, i);

      if (holds_number (text, number))
        g_error ("%s shows the document number %s:\n%s", where, number, text);
    }
}

static char *
first_school (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offices = pfdo_meeting_offices (fixture->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, >, 0);
  return g_strdup (((PfdoMeetingOffice *) g_ptr_array_index (offices, 0))->id);
}

static PfdoWindow *
open_view (Fixture    *fixture,
           const char *view)
{
  PfdoWindow *window = pfdo_window_new (NULL, fixture->store, NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", view);
  pfdo_test_ui_show (GTK_WINDOW (window));
  pfdo_test_ui_settle (GTK_WINDOW (window));
  return window;
}

/* The queue and the search results mask; the card shows the SNILS and the
 * document whole. */
static void
test_verification (Fixture       *fixture,
                   gconstpointer  data)
{
  PfdoWindow *window;
  GtkEditable *search;
  g_autofree char *surname = NULL;
  g_autofree char *snils = NULL;
  g_autofree char *number = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  sign_in (fixture, "ivanova");
  read_identifiers (fixture);
  window = open_view (fixture, "verification");
  assert_masked (fixture, GTK_WIDGET (window), "the verification queue");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "СНИЛС ***-***-");

  /* A surname shared by several children of the capital: a list. */
  stmt = pfdo_store_prepare (fixture->store,
                             "SELECT last_name, snils, document_number FROM child WHERE "
                             "municipality_id = ? AND snils IS NOT NULL AND last_name IN "
                             "(SELECT last_name FROM child WHERE municipality_id = ?1 GROUP BY 1 "
                             "HAVING count(*) > 2) ORDER BY id LIMIT 1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, pfdo_store_get_operator_municipality_id (fixture->store), -1,
                     SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  surname = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  snils = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  number = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  sqlite3_reset (stmt);

  search = GTK_EDITABLE (pfdo_test_ui_find_shown (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (search, surname);
  g_signal_emit_by_name (search, "search-changed");
  pfdo_test_ui_settle (GTK_WINDOW (window));
  assert_masked (fixture, GTK_WIDGET (window), "the search results");
  masked = g_strdup_printf ("СНИЛС ***-***-%s", snils + strlen ("112-233-"));
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), masked);

  /* The card: whole. */
  gtk_editable_set_text (search, snils);
  g_signal_emit_by_name (search, "activate");
  pfdo_test_ui_settle (GTK_WINDOW (window));
  text = pfdo_test_ui_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, snils));
  g_assert_true (holds_number (text, number));

  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

/* The register lists certificates by number and name only. */
static void
test_certificates (Fixture       *fixture,
                   gconstpointer  data)
{
  PfdoWindow *window;

  sign_in (fixture, "ivanova");
  read_identifiers (fixture);
  window = open_view (fixture, "certificates");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Номер");
  assert_masked (fixture, GTK_WIDGET (window), "the certificates register");
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

/* The catalog holds no one's personal data. */
static void
test_catalog (Fixture       *fixture,
              gconstpointer  data)
{
  PfdoWindow *window;

  read_identifiers (fixture);
  window = open_view (fixture, "catalog");
  assert_masked (fixture, GTK_WIDGET (window), "the catalog");
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

/* A meeting's families, saved with a SNILS and a document each. */
static void
test_meeting (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PfdoMeetingSession) session = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autofree char *office = NULL;
  g_autoptr(GError) error = NULL;
  PfdoChildInput child = {
    .last_name = "Маскова", .first_name = "Лиза", .birth_date = "2016-07-07", .sex = "f",
    .snils = "112-233-445 95", .document_type = "birth_certificate",
    .document_series = "II-ДН", .document_number = "818181",
  };
  PfdoFamilyInput family = {
    .parent = { .last_name = "Маскова", .first_name = "Вера", .phone = "+79188180000" },
    .children = &child, .n_children = 1, .issue_certificates = TRUE, .allow_duplicates = TRUE,
  };
  PfdoWindow *window;

  sign_in (fixture, "sidorova");
  office = first_school (fixture);
  session = pfdo_meeting_start (fixture->store, office, "2А", &error);
  g_assert_no_error (error);
  result = pfdo_meeting_save_family (fixture->store, session->id, &family, NULL, &error);
  g_assert_no_error (error);
  read_identifiers (fixture);

  window = open_view (fixture, "meeting");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "1. Маскова Вера");
  assert_masked (fixture, GTK_WIDGET (window), "the meeting's families");
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

/* A class list's preview: every row, none of its SNILS or numbers. */
static void
test_import_preview (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists",
                                                 "utf8-bom-semicolon.csv", NULL);
  g_autoptr(PfdoMeetingSession) session = NULL;
  g_autoptr(PfdoClassList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *office = NULL;
  PfdoClassImportDialog *dialog;

  sign_in (fixture, "sidorova");
  read_identifiers (fixture);
  list = pfdo_class_list_load (path, &error);
  g_assert_no_error (error);
  /* The file's own identifiers too. */
  for (guint i = 0; i < list->rows->len; i++)
    {
      PfdoClassRow *row = g_ptr_array_index (list->rows, i);

      if (row->raw[PFDO_CLASS_FIELD_SNILS] != NULL && *row->raw[PFDO_CLASS_FIELD_SNILS] != '\0')
        g_ptr_array_add (fixture->snils, g_strdup (row->raw[PFDO_CLASS_FIELD_SNILS]));
      if (row->raw[PFDO_CLASS_FIELD_DOCUMENT_NUMBER] != NULL &&
          *row->raw[PFDO_CLASS_FIELD_DOCUMENT_NUMBER] != '\0')
        g_ptr_array_add (fixture->documents,
                         g_strdup (row->raw[PFDO_CLASS_FIELD_DOCUMENT_NUMBER]));
    }
  office = first_school (fixture);
  session = pfdo_meeting_start (fixture->store, office, "2Б", &error);
  g_assert_no_error (error);

  dialog = pfdo_class_import_dialog_new (NULL, fixture->store, session->id, "класс.csv",
                                         g_steal_pointer (&list));
  pfdo_test_ui_show (GTK_WINDOW (dialog));
  pfdo_test_ui_assert_shows (GTK_WINDOW (dialog), "Строка 2");
  assert_masked (fixture, GTK_WIDGET (dialog), "the class list's preview");
  pfdo_test_ui_destroy (GTK_WINDOW (dialog));
}

/* The audit log's choice of children, when a search finds several. */
static void
test_audit_children (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *query = NULL;
  g_autoptr(GError) error = NULL;
  PfdoAuditWindow *window;
  GtkWidget *entry;
  GtkWidget *popover;

  sign_in (fixture, "petrov");
  read_identifiers (fixture);
  /* A phone of a parent with several children: a choice. */
  {
    sqlite3_stmt *stmt = pfdo_store_prepare (fixture->store,
                                             "SELECT p.phone FROM parent p JOIN child c ON "
                                             "c.parent_id = p.id WHERE p.municipality_id = ? "
                                             "GROUP BY p.id HAVING count(*) > 1 LIMIT 1", &error);

    g_assert_no_error (error);
    sqlite3_bind_text (stmt, 1, pfdo_store_get_operator_municipality_id (fixture->store), -1,
                       SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    query = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
  }

  window = pfdo_audit_window_new (NULL, fixture->store);
  pfdo_test_ui_show (GTK_WINDOW (window));
  entry = pfdo_test_ui_find_shown (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), query);
  g_signal_emit_by_name (entry, "activate");
  pfdo_test_ui_settle (GTK_WINDOW (window));
  popover = pfdo_test_ui_find_type (entry, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_mapped (popover));
  assert_masked (fixture, popover, "the audit log's choice of children");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "***-***-");
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("/masking/verification", test_verification);
  TEST ("/masking/certificates", test_certificates);
  TEST ("/masking/catalog", test_catalog);
  TEST ("/masking/meeting", test_meeting);
  TEST ("/masking/import-preview", test_import_preview);
  TEST ("/masking/audit-children", test_audit_children);
#undef TEST

  return g_test_run ();
}
