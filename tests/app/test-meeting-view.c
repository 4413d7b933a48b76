/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The parent meeting as a member of school staff runs it: real widgets
 * under Xvfb, in Russian, on the demo region, signed in as sidorova
 * (school staff), with the keyboard only. The typist below types into
 * whatever has the focus, one character per key, presses Enter on the
 * focused field and the view's shortcuts (Ctrl+N, Ctrl+S) where the focus
 * is: if the form did not move the cursor where the next value belongs,
 * the value lands in the wrong field and the test fails.
 */
#include "config.h"

#include <string.h>

#include <signal.h>

#include "pfdo-check.h"
#include "pfdo-family-form.h"
#include "pfdo-meeting-view.h"
#include "pfdo-test-server.h"
#include "pfdo-test-ui.h"
#include "pfdo-validate.h"
#include "pfdo-window.h"

typedef struct
{
  PfdoStore       *store;
  PfdoWindow      *window;
  PfdoMeetingView *view;
  guint            keys;      /* pressed so far by the typist */
} Fixture;

static void
settle (Fixture *fixture)
{
  pfdo_test_ui_settle (GTK_WINDOW (fixture->window));
}

static void
assert_shows (Fixture    *fixture,
              const char *text)
{
  pfdo_test_ui_assert_shows (GTK_WINDOW (fixture->window), text);
}

static GtkWidget *
focus (Fixture *fixture)
{
  GtkWidget *widget = gtk_root_get_focus (GTK_ROOT (fixture->window));

  g_assert_nonnull (widget);
  return widget;
}

/* Types @text where the cursor is, a key per character. */
static void
type (Fixture    *fixture,
      const char *text)
{
  GtkWidget *widget = focus (fixture);

  if (!GTK_IS_EDITABLE (widget))
    g_error ("Typing “%s”, but the focus is on a %s", text, G_OBJECT_TYPE_NAME (widget));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (widget));

      gtk_editable_insert_text (GTK_EDITABLE (widget), p, g_utf8_next_char (p) - p, &position);
      gtk_editable_set_position (GTK_EDITABLE (widget), position);
      fixture->keys++;
    }
  settle (fixture);
}

static void
enter (Fixture *fixture)
{
  GtkWidget *widget = focus (fixture);

  g_assert_true (GTK_IS_TEXT (widget));
  g_signal_emit_by_name (widget, "activate");
  fixture->keys++;
  settle (fixture);
}

/* Ctrl+A and the new value. */
static void
retype (Fixture    *fixture,
        const char *text)
{
  GtkWidget *widget = focus (fixture);

  gtk_editable_delete_text (GTK_EDITABLE (widget), 0, -1);
  fixture->keys++;
  type (fixture, text);
}

/* A shortcut of the view, pressed where the focus is. */
static void
shortcut (Fixture    *fixture,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (focus (fixture), action, NULL));
  fixture->keys++;
  settle (fixture);
}

/* Types @text into the field and presses Enter; the field must have the
 * focus already: the form put it there. */
static void
field (Fixture    *fixture,
       const char *name,
       const char *text)
{
  PfdoFamilyForm *form = pfdo_meeting_view_get_form (fixture->view);
  GtkEditable *editable = pfdo_family_form_get_editable (form, name);
  GtkWidget *widget = focus (fixture);

  g_assert_nonnull (editable);
  if (gtk_widget_get_ancestor (widget, ADW_TYPE_ENTRY_ROW) != GTK_WIDGET (editable))
    g_error ("The cursor should be in %s", name);
  if (text != NULL)
    type (fixture, text);
}

static const char *
text_at (Fixture    *fixture,
         const char *name)
{
  return gtk_editable_get_text (pfdo_family_form_get_editable (pfdo_meeting_view_get_form (fixture->view),
                                                               name));
}

static char *
pfdo_store_query_text_for_test (PfdoStore  *store,
                                const char *sql)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, NULL);
  char *value = NULL;

  g_assert_nonnull (stmt);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static gint64
count (Fixture    *fixture,
       const char *sql,
       const char *param)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pfdo_store_query_int (fixture->store, sql, param, &error);

  g_assert_no_error (error);
  return n;
}

static void
open_window (Fixture *fixture)
{
  fixture->window = pfdo_window_new (NULL, fixture->store, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "meeting");
  settle (fixture);
  fixture->view = PFDO_MEETING_VIEW (pfdo_test_ui_find_shown (GTK_WIDGET (fixture->window),
                                                              PFDO_TYPE_MEETING_VIEW));
  g_assert_nonnull (fixture->view);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = pfdo_test_ui_store (TRUE);
  g_assert_true (pfdo_store_set_operator_login (fixture->store, "sidorova", &error));
  g_assert_no_error (error);
  open_window (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pfdo_test_ui_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->store);
}

/* The class is typed on the start page; Enter starts the meeting. */
static void
start_meeting (Fixture *fixture)
{
  assert_shows (fixture, "Родительское собрание");
  assert_shows (fixture, "Можно выдать ещё");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.focus-search", NULL);
  type (fixture, "3Б");
  enter (fixture);
  assert_shows (fixture, "3Б");
  g_assert_nonnull (pfdo_meeting_view_get_session_id (fixture->view));
}

static char *
date_digits (int years_ago)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (g_date_time_add_years (now, -years_ago), -40);

  return g_date_time_format (then, "%d%m%Y");
}

static char *
snils_digits (guint n)
{
  char digits[12];

  g_snprintf (digits, 10, "%09u", 700000000u + n * 13u);
  g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
  return g_strdup (digits);
}

/* A parent, the phone, no e-mail; then the first child's surname, which
 * is the parent's already. */
static void
type_parent (Fixture    *fixture,
             const char *last_name,
             const char *first_name,
             const char *middle_name,
             const char *phone)
{
  field (fixture, "parent.last_name", last_name);
  enter (fixture);
  field (fixture, "parent.first_name", first_name);
  enter (fixture);
  field (fixture, "parent.middle_name", middle_name);
  enter (fixture);
  field (fixture, "parent.phone", phone);
  enter (fixture);
  field (fixture, "parent.email", NULL);
  enter (fixture);
  field (fixture, "children[0].last_name", NULL);
  g_assert_cmpstr (text_at (fixture, "children[0].last_name"), ==, last_name);
  enter (fixture);
}

/* From the child's name on; the surname was passed already. */
static void
type_child (Fixture    *fixture,
            guint       index,
            const char *first_name,
            const char *middle_name,
            const char *birth_digits,
            const char *snils,
            const char *series,
            const char *number)
{
  g_autofree char *prefix = g_strdup_printf ("children[%u].", index);
  g_autofree char *name = g_strconcat (prefix, "first_name", NULL);
  g_autofree char *middle = g_strconcat (prefix, "middle_name", NULL);
  g_autofree char *birth = g_strconcat (prefix, "birth_date", NULL);
  g_autofree char *snils_field = g_strconcat (prefix, "snils", NULL);
  g_autofree char *series_field = g_strconcat (prefix, "document_series", NULL);
  g_autofree char *number_field = g_strconcat (prefix, "document_number", NULL);

  field (fixture, name, first_name);
  enter (fixture);
  field (fixture, middle, middle_name);
  enter (fixture);
  field (fixture, birth, birth_digits);
  enter (fixture);
  field (fixture, snils_field, snils);
  enter (fixture);
  field (fixture, series_field, series);
  enter (fixture);
  field (fixture, number_field, number);
}

static void
assert_figure (Fixture    *fixture,
               const char *title,
               const char *figure)
{
  g_autofree char *all = NULL;
  g_autofree char *expected = g_strdup_printf ("%s\n%s\n", title, figure);

  settle (fixture);
  all = pfdo_test_ui_text (GTK_WIDGET (fixture->view));
  if (strstr (all, expected) == NULL)
    g_error ("“%s” should be %s; the view shows:\n%s", title, figure, all);
}

/* Three families through the keyboard only: two children in one, a twin
 * of a child already registered in another, a SNILS typo in the third. */
static void
test_three_families (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *date1 = date_digits (9);
  g_autofree char *date2 = date_digits (12);
  g_autofree char *date3 = date_digits (7);
  g_autofree char *snils1 = snils_digits (1);
  g_autofree char *snils2 = snils_digits (2);
  g_autofree char *snils3 = snils_digits (3);
  g_autofree char *typo = g_strdup (snils3);
  g_autofree char *twin_last = NULL;
  g_autofree char *twin_first = NULL;
  g_autofree char *twin_middle = NULL;
  g_autofree char *twin_birth = NULL;
  g_autofree char *twin_snils = NULL;
  g_autofree char *twin_number = NULL;
  g_autofree char *twin_series = NULL;
  g_autofree char *twin_birth_digits = NULL;
  const char *session_id;
  GtkWidget *check;
  sqlite3_stmt *stmt;
  gint64 children_before = count (fixture, "SELECT count(*) FROM child", NULL);

  start_meeting (fixture);
  session_id = pfdo_meeting_view_get_session_id (fixture->view);

  /* 1. Two children: the second is Ctrl+N away. */
  type_parent (fixture, "Кузнецова", "Анна", "Петровна", "9181112233");
  type_child (fixture, 0, "Мария", "Сергеевна", date1, snils1, "II-ДН", "512345");
  shortcut (fixture, "meeting.add-child");
  /* The new child's surname is the family's; the cursor is at the name. */
  g_assert_cmpstr (text_at (fixture, "children[1].last_name"), ==, "Кузнецова");
  type_child (fixture, 1, "Иван", "Сергеевич", date2, snils2, "II-ДН", "512346");
  shortcut (fixture, "meeting.save");
  assert_shows (fixture, "Семья зарегистрирована");
  assert_figure (fixture, "Семей", "1");
  assert_figure (fixture, "Детей", "2");
  assert_figure (fixture, "Выдано сертификатов", "2");
  /* The form is empty again, the cursor at its start. */
  field (fixture, "parent.last_name", NULL);
  g_assert_cmpstr (text_at (fixture, "children[0].first_name"), ==, "");

  /* 2. A child of the demo region typed again for another parent. */
  stmt = pfdo_store_prepare (fixture->store,
                             "SELECT last_name, first_name, middle_name, birth_date, snils, "
                             "document_series, document_number FROM child WHERE snils IS NOT NULL "
                             "AND document_type = 'birth_certificate' AND middle_name IS NOT NULL "
                             "AND birth_date > date ('now', '-13 years') "
                             "AND birth_date < date ('now', '-6 years') ORDER BY rowid LIMIT 1",
                             NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  twin_last = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  twin_first = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  twin_middle = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  twin_birth = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  twin_snils = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  twin_series = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  twin_number = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  sqlite3_reset (stmt);
  twin_birth_digits = g_strdup_printf ("%.2s%.2s%.4s", twin_birth + 8, twin_birth + 5, twin_birth);

  type_parent (fixture, twin_last, "Ольга", "Ивановна", "9182223344");
  type_child (fixture, 0, twin_first, twin_middle, twin_birth_digits, twin_snils, twin_series,
              twin_number);
  assert_shows (fixture, "Возможно, уже зарегистрирован");
  assert_shows (fixture, "тот же СНИЛС");
  assert_figure (fixture, "Поймано дублей", "1");
  /* Saving without a choice is refused, and says why. */
  shortcut (fixture, "meeting.save");
  assert_shows (fixture, "Проверьте возможный дубль");
  assert_figure (fixture, "Семей", "1");
  check = pfdo_family_form_get_twin_check (pfdo_meeting_view_get_form (fixture->view), 0);
  g_assert_true (gtk_widget_is_focus (check));
  /* The operator looked, and it is another child: Space ticks it. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  fixture->keys++;
  shortcut (fixture, "meeting.save");
  assert_shows (fixture, "Семья зарегистрирована");
  assert_figure (fixture, "Семей", "2");
  assert_figure (fixture, "Поймано дублей", "1");

  /* 3. A SNILS typo: the last digit off by one. */
  typo[10] = typo[10] == '9' ? '0' : typo[10] + 1;
  type_parent (fixture, "Белова", "Ирина", "Олеговна", "9183334455");
  field (fixture, "children[0].first_name", "Дарья");
  enter (fixture);
  field (fixture, "children[0].middle_name", "Андреевна");
  enter (fixture);
  field (fixture, "children[0].birth_date", date3);
  enter (fixture);
  field (fixture, "children[0].snils", typo);
  assert_shows (fixture, "Контрольное число СНИЛС");
  g_assert_nonnull (pfdo_family_form_get_message (pfdo_meeting_view_get_form (fixture->view),
                                                  "children[0].snils"));
  retype (fixture, snils3);
  g_assert_null (pfdo_family_form_get_message (pfdo_meeting_view_get_form (fixture->view),
                                               "children[0].snils"));
  enter (fixture);
  field (fixture, "children[0].document_series", "III-АК");
  enter (fixture);
  field (fixture, "children[0].document_number", "612345");
  /* Enter on the last field saves. */
  enter (fixture);
  assert_shows (fixture, "Семья зарегистрирована");

  assert_figure (fixture, "Семей", "3");
  assert_figure (fixture, "Детей", "4");
  assert_figure (fixture, "Выдано сертификатов", "4");
  assert_figure (fixture, "Поймано дублей", "1");
  assert_shows (fixture, "3. Белова Ирина");

  /* The store: four children more, all of this meeting, with numbers. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM child", NULL), ==, children_before + 4);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM meeting_child m JOIN certificate c "
                                   "ON c.child_id = m.child_id WHERE m.session_id = ?",
                          session_id), ==, 4);
  {
    g_autofree char *stored = pfdo_snils_format (snils3);
    g_autofree char *stored_typo = pfdo_snils_format (typo);

    g_assert_cmpint (count (fixture, "SELECT count(*) FROM child WHERE snils = ?", stored), ==, 1);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM child WHERE snils = ?", stored_typo), ==, 0);
  }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM child WHERE snils = ?", twin_snils), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM child WHERE first_name = 'Иван' AND "
                                   "middle_name = 'Сергеевич' AND sex = 'm' AND last_name = ?",
                          "Кузнецова"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT draft IS NULL FROM meeting_session WHERE id = ?",
                          session_id), ==, 1);
  pfdo_test_ui_screenshot (GTK_WIDGET (fixture->window), "meeting");
}

/* What was typed is there when the desk opens again. */
static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *session_id = NULL;

  start_meeting (fixture);
  session_id = g_strdup (pfdo_meeting_view_get_session_id (fixture->view));
  type_parent (fixture, "Орлова", "Вера", "Павловна", "9184445566");
  field (fixture, "children[0].first_name", "Соф");

  pfdo_test_ui_destroy (GTK_WINDOW (fixture->window));
  open_window (fixture);
  g_assert_cmpstr (pfdo_meeting_view_get_session_id (fixture->view), ==, session_id);
  g_assert_cmpstr (text_at (fixture, "parent.last_name"), ==, "Орлова");
  g_assert_cmpstr (text_at (fixture, "parent.phone"), ==, "9184445566");
  g_assert_cmpstr (text_at (fixture, "children[0].last_name"), ==, "Орлова");
  g_assert_cmpstr (text_at (fixture, "children[0].first_name"), ==, "Соф");
}

/* The keys a trained operator presses for a family of one parent and one
 * child, next to the characters of the data itself. */
static void
test_keystrokes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *date = date_digits (10);
  g_autofree char *snils = snils_digits (9);
  const char *values[] = { "Смирнова", "Елена", "Викторовна", "9185556677", "Смирнова",
                           "Полина", "Андреевна", date, snils, "II-ДН", "712345" };
  guint data_chars = 0;

  start_meeting (fixture);
  fixture->keys = 0;
  type_parent (fixture, values[0], values[1], values[2], values[3]);
  type_child (fixture, 0, values[5], values[6], values[7], values[8], values[9], values[10]);
  enter (fixture);
  assert_shows (fixture, "Семья зарегистрирована");

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    data_chars += g_utf8_strlen (values[i], -1);
  g_test_message ("register_family_keystrokes: %u keys", fixture->keys);
  g_test_message ("register_family_data_characters: %u keys", data_chars);
  /* The form may not cost more than a key per field over the data. */
  g_assert_cmpuint (fixture->keys, <=, data_chars + 12);
}


/* The memo of a family saved a moment ago, as a PDF: its number, the
 * МОЦ's address and the Navigator. */
static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_memos (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *date = date_digits (8);
  g_autofree char *snils = snils_digits (21);
  g_autofree char *dir = g_dir_make_tmp ("pfdo-memo-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "memos.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  g_autofree char *address = NULL;
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *suggested = NULL;
  GtkWidget *chooser;
  int status = 0;

  start_meeting (fixture);
  type_parent (fixture, "Громова", "Алла", "Юрьевна", "9186667788");
  type_child (fixture, 0, "Ника", "Олеговна", date, snils, "II-ДН", "812345");
  shortcut (fixture, "meeting.save");
  assert_shows (fixture, "Семья зарегистрирована");

  /* Written on a worker thread while the window keeps running. */
  pfdo_meeting_view_save_memos_async (fixture->view, NULL, pdf, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pfdo_meeting_view_save_memos_finish (fixture->view, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  number = pfdo_store_query_text_for_test (fixture->store,
                                           "SELECT x.number FROM meeting_child m JOIN certificate x "
                                           "ON x.child_id = m.child_id");
  address = pfdo_store_query_text_for_test (fixture->store,
                                            "SELECT address FROM office WHERE kind = 'moc' AND "
                                            "municipality_id = (SELECT municipality_id FROM operator "
                                            "WHERE login = 'sidorova') ORDER BY id LIMIT 1");
  g_assert_nonnull (number);
  g_assert_nonnull (strstr (text, number));
  g_assert_nonnull (strstr (text, "Громова"));
  g_assert_nonnull (address);
  g_assert_nonnull (strstr (text, address));
  g_assert_nonnull (strstr (text, "навигатор.дети"));

  /* From the menu: the save dialog offers a name with the class in it
   * (the name once reached the dialog freed). Answering the dialog itself
   * is GTK's to test: under Xvfb it answers when it has checked the
   * folder on its own, which a test cannot wait for. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "meeting.memos", NULL));
  /* GtkFileChooserNative shows this dialog where there is no portal. */
  while ((chooser = (GtkWidget *) pfdo_test_ui_find_window (GTK_TYPE_FILE_CHOOSER_DIALOG)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (suggested, ==, "Памятки 3Б.pdf");
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  settle (fixture);
  g_assert_null (chooser);

  pfdo_test_remove_dir (dir);
}

/* A class list previewed, its problems at the rows, and imported. */
static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists",
                                                "bad-rows.csv", NULL);
  g_autofree char *all = NULL;
  GtkWindow *preview;
  GtkWidget *button;

  start_meeting (fixture);
  preview = pfdo_meeting_view_preview_class_list (fixture->view, csv, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  pfdo_test_ui_show (preview);
  all = pfdo_test_ui_text (GTK_WIDGET (preview));
  if (strstr (all, "Строка 3") == NULL || strstr (all, "латин") == NULL ||
      strstr (all, "строк — 13, с ошибками — 12, готовы к импорту — 1") == NULL)
    g_error ("The preview shows:\n%s", all);
  pfdo_test_ui_screenshot (GTK_WIDGET (preview), "meeting-import");

  button = pfdo_test_ui_find_button (GTK_WIDGET (preview), "_Импортировать 1 строку");
  g_assert_nonnull (button);
  g_object_add_weak_pointer (G_OBJECT (preview), (gpointer *) &preview);
  g_signal_emit_by_name (button, "clicked");
  settle (fixture);
  g_assert_null (preview);
  assert_shows (fixture, "Импортировано семей: 1, детей: 1");
  assert_figure (fixture, "Семей", "1");

  /* The same list again: nothing is ready. */
  preview = pfdo_meeting_view_preview_class_list (fixture->view, csv, &error);
  g_assert_no_error (error);
  pfdo_test_ui_show (preview);
  g_clear_pointer (&all, g_free);
  all = pfdo_test_ui_text (GTK_WIDGET (preview));
  g_assert_nonnull (strstr (all, "Уже импортирована"));
  gtk_window_destroy (preview);
  settle (fixture);
}


/* Killing the desk: a child process of this test types into the real
 * desk on a store both share and is killed with SIGKILL, which no code can
 * catch; the test then opens the store as the desk would after a restart. */

typedef enum
{
  KILL_TYPING,         /* half a family typed */
  KILL_IN_COMMIT,      /* saving: the family's transaction is committing */
  KILL_AFTER_COMMIT,   /* saving: the commit is on disk, the desk had no time to go on */
} KillPoint;

static int
kill_in_commit_cb (void *data)
{
  raise (SIGKILL);
  return 0;
}

static int
kill_after_commit_cb (void       *data,
                      sqlite3    *db,
                      const char *name,
                      int         pages)
{
  raise (SIGKILL);
  return SQLITE_OK;
}

static void
kill_desk (KillPoint point)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *date = date_digits (11);
  g_autofree char *snils = snils_digits (31);
  sqlite3 *db;

  fixture.store = pfdo_store_open (g_getenv ("PFDO_KILL_STORE"), &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_store_set_operator_login (fixture.store, "sidorova", &error));
  open_window (&fixture);
  start_meeting (&fixture);
  type_parent (&fixture, "Лебедева", "Дина", "Львовна", "9187778899");
  if (point == KILL_TYPING)
    {
      field (&fixture, "children[0].first_name", "Алис");
      raise (SIGKILL);
    }
  type_child (&fixture, 0, "Алиса", "Игоревна", date, snils, "II-ДН", "912345");
  db = pfdo_store_get_db (fixture.store);
  if (point == KILL_IN_COMMIT)
    sqlite3_commit_hook (db, kill_in_commit_cb, NULL);
  else
    sqlite3_wal_hook (db, kill_after_commit_cb, NULL);
  shortcut (&fixture, "meeting.save");
  g_error ("The desk saved the family and lived on");
}

/* After the restart: the store is sound; the family is there whole, with
 * its certificate, its operations and the meeting's rows, or not at all
 * and then its form is; returns whether it was saved. */
static gboolean
assert_restarted (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gint64 parents, children;

  problems = pfdo_check_run (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);

  /* The demo region has its own Лебедевы: this family has its phone. */
  parents = count (fixture, "SELECT count(*) FROM parent WHERE phone = ?", "+79187778899");
  children = count (fixture, "SELECT count(*) FROM child c JOIN parent p ON p.id = c.parent_id "
                             "WHERE p.phone = ?", "+79187778899");
  g_assert_cmpint (parents, ==, children);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM meeting_child m JOIN parent p ON "
                                   "p.id = m.parent_id JOIN certificate x ON x.child_id = m.child_id "
                                   "WHERE p.phone = ?", "+79187778899"), ==, children);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox o JOIN parent p ON "
                                   "p.id = o.entity_id WHERE o.type = 'family.register' AND "
                                   "p.phone = ?", "+79187778899"), ==, parents);

  open_window (fixture);
  g_assert_nonnull (pfdo_meeting_view_get_session_id (fixture->view));
  if (parents == 0)
    {
      g_assert_cmpstr (text_at (fixture, "parent.last_name"), ==, "Лебедева");
      g_assert_cmpstr (text_at (fixture, "parent.phone"), ==, "9187778899");
    }
  else
    {
      g_assert_cmpstr (text_at (fixture, "parent.last_name"), ==, "");
      assert_figure (fixture, "Семей", "1");
    }
  return parents > 0;
}

static void
test_kill (gconstpointer data)
{
  KillPoint point = GPOINTER_TO_INT (data);
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  gboolean saved;

  if (g_test_subprocess ())
    {
      kill_desk (point);
      return;
    }

  fixture.store = pfdo_test_ui_store (TRUE);
  path = g_strdup (pfdo_store_get_path (fixture.store));
  dir = g_path_get_dirname (path);
  g_clear_object (&fixture.store);
  g_setenv ("PFDO_KILL_STORE", path, TRUE);

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  /* Killed, not failed: no assertion, no critical, no error of its own. */
  g_test_trap_assert_stderr_unmatched ("*ERROR*");
  g_test_trap_assert_stderr_unmatched ("*CRITICAL*");

  fixture.store = pfdo_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_store_set_operator_login (fixture.store, "sidorova", &error));
  saved = assert_restarted (&fixture);
  if (point == KILL_TYPING)
    g_assert_cmpstr (text_at (&fixture, "children[0].first_name"), ==, "Алис");
  /* Killed inside the commit: nothing of it; killed after it: all of it. */
  if (point == KILL_IN_COMMIT || point == KILL_TYPING)
    g_assert_false (saved);
  else
    g_assert_true (saved);

  pfdo_test_ui_destroy (GTK_WINDOW (fixture.window));
  g_clear_object (&fixture.store);
  pfdo_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("/meeting-view/three-families", test_three_families);
  TEST ("/meeting-view/resume", test_resume);
  TEST ("/meeting-view/keystrokes", test_keystrokes);
  TEST ("/meeting-view/memos", test_memos);
  TEST ("/meeting-view/import", test_import);
#undef TEST
  g_test_add_data_func ("/meeting-view/kill/typing", GINT_TO_POINTER (KILL_TYPING), test_kill);
  g_test_add_data_func ("/meeting-view/kill/in-commit", GINT_TO_POINTER (KILL_IN_COMMIT), test_kill);
  g_test_add_data_func ("/meeting-view/kill/after-commit", GINT_TO_POINTER (KILL_AFTER_COMMIT),
                        test_kill);

  return g_test_run ();
}
