/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The walk-in desk as a clerk uses it: real widgets under Xvfb, in
 * Russian, on the demo region, signed in as the capital's МОЦ clerk.
 */
#include "config.h"

#include "pfdo-children.h"
#include "pfdo-test-ui.h"
#include "pfdo-ui.h"
#include "pfdo-validate.h"
#include "pfdo-verification-view.h"
#include "pfdo-window.h"

typedef struct
{
  PfdoStore            *store;
  PfdoWindow           *window;
  PfdoVerificationView *view;
  GtkEditable          *search;
} Fixture;

/* The check box of the row titled @title, as a clerk finds it. */
static GtkWidget *
find_check (GtkWidget  *widget,
            const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_check (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
settle (Fixture *fixture)
{
  pfdo_test_ui_settle (GTK_WINDOW (fixture->window));
}

static gboolean
shows (Fixture    *fixture,
       const char *text)
{
  g_autofree char *all = pfdo_test_ui_text (GTK_WIDGET (fixture->window));

  return strstr (all, text) != NULL;
}

static void
assert_shows (Fixture    *fixture,
              const char *text)
{
  pfdo_test_ui_assert_shows (GTK_WINDOW (fixture->window), text);
}

/* Types @query into the search as a clerk or a scanner would. */
static void
type_search (Fixture    *fixture,
             const char *query,
             gboolean    enter)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.focus-search", NULL);
  gtk_editable_set_text (fixture->search, query);
  if (enter)
    g_signal_emit_by_name (fixture->search, "activate");
  else
    g_signal_emit_by_name (fixture->search, "search-changed");
  settle (fixture);
}

static void
press (Fixture    *fixture,
       GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = pfdo_test_ui_find_button (root, label);

  if (button == NULL)
    g_error ("No button “%s” on the screen", label);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* A click, at once: activating a button clicks only after a delay. */
  g_signal_emit_by_name (button, "clicked");
  settle (fixture);
}

static gboolean
button_enabled (Fixture    *fixture,
                const char *label)
{
  GtkWidget *button = pfdo_test_ui_find_button (GTK_WIDGET (fixture->window), label);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static void
tick (Fixture    *fixture,
      const char *title)
{
  GtkWidget *check = find_check (GTK_WIDGET (fixture->window), title);

  if (check == NULL)
    g_error ("No check “%s” on the screen", title);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  settle (fixture);
}

static char *
query_text (Fixture    *fixture,
            const char *sql,
            const char *param)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (fixture->store, sql, &error);
  char *value = NULL;

  g_assert_no_error (error);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = pfdo_test_ui_store (TRUE);
  g_assert_true (pfdo_store_set_operator_login (fixture->store, "ivanova", &error));
  g_assert_no_error (error);
  fixture->window = pfdo_window_new (NULL, fixture->store, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "verification");
  settle (fixture);
  fixture->view = PFDO_VERIFICATION_VIEW (pfdo_test_ui_find_shown (GTK_WIDGET (fixture->window),
                                                        PFDO_TYPE_VERIFICATION_VIEW));
  g_assert_nonnull (fixture->view);
  fixture->search = GTK_EDITABLE (pfdo_test_ui_find_shown (GTK_WIDGET (fixture->view),
                                                GTK_TYPE_SEARCH_ENTRY));
  g_assert_nonnull (fixture->search);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pfdo_test_ui_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->store);
}

/* The queue counts the municipality's waiting children, oldest first. */
static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  gint64 waiting = pfdo_store_query_int (fixture->store,
                                         "SELECT count(*) FROM child WHERE verification_status = "
                                         "'unverified' AND municipality_id = ?",
                                         pfdo_store_get_operator_municipality_id (fixture->store),
                                         NULL);
  g_autofree char *count = pfdo_ui_format_count (waiting);
  g_autofree char *title = g_strdup_printf ("Ожидают подтверждения: %s", count);
  g_autofree char *oldest = query_text (fixture,
                                        "SELECT last_name || ' ' || first_name FROM child "
                                        "WHERE verification_status = 'unverified' AND "
                                        "municipality_id = ? ORDER BY created_at, id LIMIT 1",
                                        pfdo_store_get_operator_municipality_id (fixture->store));

  g_assert_cmpint (waiting, >, 0);
  assert_shows (fixture, title);
  assert_shows (fixture, oldest);
  pfdo_test_ui_screenshot (GTK_WIDGET (fixture->window), "verification-queue.png");

  /* Nobody by that name: the empty state says what to do. */
  type_search (fixture, "Несуществующая", FALSE);
  assert_shows (fixture, "Никто не найден");
}

/* The first unverified child of the operator's municipality, in @order,
 * that has likely twins (@with_twins) or none; fills @out_row with the
 * columns id, snils, last_name, first_name, birth_date. */
static void
find_child (Fixture    *fixture,
            const char *order,
            gboolean    with_twins,
            char      **out_row)
{
  g_autofree char *sql = g_strconcat ("SELECT id, snils, last_name, first_name, birth_date, "
                                      "document_number FROM child WHERE verification_status = "
                                      "'unverified' AND municipality_id = ? AND (? OR "
                                      "(snils IS NOT NULL AND id NOT IN "
                                      "(SELECT child_id FROM certificate))) ORDER BY ",
                                      order, NULL);
  sqlite3_stmt *stmt = pfdo_store_prepare (fixture->store, sql, NULL);
  gboolean found = FALSE;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, pfdo_store_get_operator_municipality_id (fixture->store), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, with_twins);
  while (!found && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *column[6];
      g_autoptr(GPtrArray) twins = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (column); i++)
        column[i] = (const char *) sqlite3_column_text (stmt, (int) i);
      twins = pfdo_children_find_duplicates (fixture->store, column[0], column[1], column[2],
                                             column[3], column[4], column[5], NULL);
      if (twins != NULL && (twins->len > 0) == with_twins)
        {
          found = TRUE;
          for (guint i = 0; i < 5; i++)
            out_row[i] = g_strdup (column[i]);
        }
    }
  sqlite3_reset (stmt);
  g_assert_true (found);
}

/* A SNILS typed and Enter: the one child opens; three documents ticked,
 * confirmed; then the certificate is issued and activated in place. */
static void
test_confirm_issue_activate (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(GStrv) row = g_new0 (char *, 6);
  const char *child, *formatted, *last_name;
  g_autofree char *status = NULL;
  g_autofree char *number = NULL;

  /* An unverified child with a SNILS, no certificate and no twin. */
  find_child (fixture, "id", FALSE, row);
  child = row[0];
  formatted = row[1];
  last_name = row[2];

  type_search (fixture, formatted, TRUE);
  assert_shows (fixture, last_name);
  assert_shows (fixture, "Предъявленные документы");
  assert_shows (fixture, formatted);  /* the card shows the SNILS whole */
  g_assert_false (button_enabled (fixture, "_Подтвердить"));

  tick (fixture, "_Свидетельство о рождении или паспорт ребёнка");
  tick (fixture, "_СНИЛС ребёнка");
  g_assert_false (button_enabled (fixture, "_Подтвердить"));
  tick (fixture, "_Документ, удостоверяющий личность родителя");
  g_assert_true (button_enabled (fixture, "_Подтвердить"));
  pfdo_test_ui_screenshot (GTK_WIDGET (fixture->window), "verification-card.png");

  press (fixture, GTK_WIDGET (fixture->window), "_Подтвердить");
  assert_shows (fixture, "Данные ребёнка подтверждены.");
  assert_shows (fixture, "Подтверждено");
  assert_shows (fixture, "Иванова Мария Петровна");
  status = query_text (fixture, "SELECT verification_status FROM child WHERE id = ?", child);
  g_assert_cmpstr (status, ==, "verified");
  g_clear_pointer (&status, g_free);

  press (fixture, GTK_WIDGET (fixture->window), "_Выдать сертификат");
  number = query_text (fixture, "SELECT number FROM certificate WHERE child_id = ?", child);
  g_assert_nonnull (number);
  assert_shows (fixture, number);
  assert_shows (fixture, "Выдан, не активирован");

  press (fixture, GTK_WIDGET (fixture->window), "_Активировать");
  assert_shows (fixture, "Сертификат активирован");
  status = query_text (fixture, "SELECT status FROM certificate WHERE child_id = ?", child);
  g_assert_true (g_str_equal (status, "accounting") || g_str_equal (status, "personified"));
  pfdo_test_ui_screenshot (GTK_WIDGET (fixture->window), "verification-certificate.png");

  /* The family asks what the child can attend: the catalog for that age. */
  press (fixture, GTK_WIDGET (fixture->window), "_Программы для этого ребёнка");
  g_assert_cmpstr (pfdo_window_get_visible_view (fixture->window), ==, "catalog");
  {
    g_autofree char *age = pfdo_ui_format_age (row[4]);

    assert_shows (fixture, age);
  }
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "verification");
  settle (fixture);

  /* Escape goes back to the queue, which no longer holds the child. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "verification.back", NULL);
  settle (fixture);
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (fixture->window)),
                                         GTK_WIDGET (fixture->search)));
}

/* A child whose twin is in the demo region: the duplicate is shown side by
 * side before Confirm; the clerk rejects with a reason, then corrects the
 * record with a SNILS typo first caught at the field. */
static void
test_duplicate_reject_correct (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(GStrv) found = g_new0 (char *, 6);
  g_autofree char *birth = NULL;
  g_autofree char *query = NULL;
  g_autofree char *status = NULL;
  g_autofree char *reason = NULL;
  GtkListBoxRow *row = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *list;
  const char *child;

  find_child (fixture, "created_at DESC", TRUE, found);
  child = found[0];
  birth = pfdo_ui_format_date (found[4]);
  query = g_strdup_printf ("%s %s %s", found[2], found[3], birth);

  /* Surname, name and birth date find both; the clerk opens this one. */
  type_search (fixture, query, FALSE);
  list = pfdo_test_ui_find_shown (GTK_WIDGET (fixture->view), GTK_TYPE_LIST_BOX);
  for (GtkWidget *r = gtk_widget_get_first_child (list); r != NULL; r = gtk_widget_get_next_sibling (r))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (r), "child-id"), child) == 0)
      row = GTK_LIST_BOX_ROW (r);
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activate");
  settle (fixture);

  assert_shows (fixture, "Возможные двойники");
  assert_shows (fixture, "Совпадение: ");
  assert_shows (fixture, "Уже в базе");
  tick (fixture, "_Свидетельство о рождении или паспорт ребёнка");
  tick (fixture, "_СНИЛС ребёнка");
  tick (fixture, "_Документ, удостоверяющий личность родителя");
  /* All documents, but the twins not yet compared: no confirmation. */
  g_assert_false (button_enabled (fixture, "_Подтвердить"));
  tick (fixture, "Я сравнил(а) возможных _двойников: это другой ребёнок");
  g_assert_true (button_enabled (fixture, "_Подтвердить"));
  pfdo_test_ui_screenshot (GTK_WIDGET (fixture->window), "verification-duplicate.png");

  /* Rejected instead, with one of the common reasons. */
  press (fixture, GTK_WIDGET (fixture->window), "_Отклонить…");
  dialog = pfdo_test_ui_wait_for_dialog ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "reject"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (GTK_WIDGET (dialog),
                                                             "Ребёнок уже зарегистрирован")),
                               TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "reject"));
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "verification-reject.png");
  adw_message_dialog_response (dialog, "reject");
  gtk_window_destroy (GTK_WINDOW (dialog));
  settle (fixture);
  status = query_text (fixture, "SELECT verification_status FROM child WHERE id = ?", child);
  reason = query_text (fixture, "SELECT verification_reason FROM child WHERE id = ?", child);
  g_assert_cmpstr (status, ==, "rejected");
  g_assert_cmpstr (reason, ==, "Ребёнок уже зарегистрирован");
  g_clear_pointer (&status, g_free);
  assert_shows (fixture, "Причина отклонения");
  assert_shows (fixture, "Ребёнок уже зарегистрирован");

  /* The correction: a SNILS with a wrong checksum is caught at its field. */
  press (fixture, GTK_WIDGET (fixture->window), "_Исправить данные…");
  {
    GtkWidget *snils_row = NULL;

    for (GtkWidget *w = pfdo_test_ui_find_shown (GTK_WIDGET (fixture->view), ADW_TYPE_ENTRY_ROW); w != NULL;
         w = gtk_widget_get_next_sibling (w))
      if (ADW_IS_ENTRY_ROW (w) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "СНИЛС") == 0)
        snils_row = w;
    g_assert_nonnull (snils_row);
    gtk_editable_set_text (GTK_EDITABLE (snils_row), "112-233-445 96");
    press (fixture, GTK_WIDGET (fixture->window), "_Сохранить исправление");
    assert_shows (fixture, "СНИЛС");
    g_assert_true (gtk_widget_has_css_class (snils_row, "error"));
    status = query_text (fixture, "SELECT verification_status FROM child WHERE id = ?", child);
    g_assert_cmpstr (status, ==, "rejected");
    g_clear_pointer (&status, g_free);
    pfdo_test_ui_screenshot (GTK_WIDGET (fixture->window), "verification-correct.png");

    gtk_editable_set_text (GTK_EDITABLE (snils_row), "112-233-445 95");
    press (fixture, GTK_WIDGET (fixture->window), "_Сохранить исправление");
  }
  assert_shows (fixture, "Исправление сохранено");
  status = query_text (fixture, "SELECT verification_status || ' ' || snils FROM child "
                                "WHERE id = ?", child);
  g_assert_cmpstr (status, ==, "unverified 112-233-445 95");
}

/* "Lost certificate number": the name and the birth date find it. */
static void
test_lost_number (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *query = NULL;
  g_autofree char *number = NULL;
  sqlite3_stmt *stmt;

  stmt = pfdo_store_prepare (fixture->store,
                             "SELECT c.last_name, c.first_name, c.birth_date, z.number "
                             "FROM child c JOIN certificate z ON z.child_id = c.id "
                             "WHERE c.municipality_id = ? ORDER BY c.id LIMIT 1", NULL);
  sqlite3_bind_text (stmt, 1, pfdo_store_get_operator_municipality_id (fixture->store), -1,
                     SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    g_autofree char *birth = pfdo_ui_format_date ((const char *) sqlite3_column_text (stmt, 2));

    query = g_strdup_printf ("%s %s %s", sqlite3_column_text (stmt, 0),
                             sqlite3_column_text (stmt, 1), birth);
    number = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  }
  sqlite3_reset (stmt);

  type_search (fixture, query, TRUE);
  assert_shows (fixture, number);
  assert_shows (fixture, "Номер сертификата");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "verification.copy-number", NULL);
  assert_shows (fixture, "Номер сертификата скопирован.");
  g_assert_false (shows (fixture, "Никто не найден"));
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("/verification/queue", test_queue);
  TEST ("/verification/confirm-issue-activate", test_confirm_issue_activate);
  TEST ("/verification/duplicate-reject-correct", test_duplicate_reject_correct);
  TEST ("/verification/lost-number", test_lost_number);
#undef TEST

  return g_test_run ();
}
