/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The audit log as a МОЦ administrator reads it: real widgets under Xvfb,
 * in Russian, on the demo region. Only the administrator finds it in the
 * menu and the core refuses it to the others; the filters show what plain
 * SQL counts; a big log is read a page at a time; and a sync whose audit
 * anchor the server refuses says so.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "pfdo-audit-item.h"
#include "pfdo-audit-list.h"
#include "pfdo-audit-window.h"
#include "pfdo-child-card.h"
#include "pfdo-children.h"
#include "pfdo-test-server.h"
#include "pfdo-test-ui.h"
#include "pfdo-window.h"

typedef struct
{
  PfdoStore *store;
  char      *child_id;     /* a child of the capital with a SNILS, confirmed */
  char      *child_snils;
  char      *child_name;
  char      *ivanova_id;
} Fixture;

static char *
query_text (PfdoStore  *store,
            const char *sql,
            const char *param)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, &error);
  char *value = NULL;

  g_assert_no_error (error);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return value;
}

static guint
query_count (PfdoStore  *store,
             const char *sql,
             const char *param)
{
  g_autofree char *text = query_text (store, sql, param);

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

static void
sign_in (PfdoStore  *store,
         const char *login)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator_login (store, login, &error));
  g_assert_no_error (error);
}

static void
open_card (PfdoStore  *store,
           const char *child_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoChildCard) card = pfdo_child_card_load (store, child_id, &error);

  g_assert_no_error (error);
}

/* A day of work: the clerk opens cards and confirms a child, school staff
 * registers a family, the administrator looks at a card. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;
  g_autofree char *municipality = NULL;
  g_autoptr(PfdoFamilyResult) family = NULL;
  PfdoChildInput child = {
    .last_name = "Журналова", .first_name = "Ника", .birth_date = "2016-06-06", .sex = "f",
    .document_type = "birth_certificate", .document_series = "II-ДН", .document_number = "626262",
  };
  PfdoFamilyInput input = {
    .parent = { .last_name = "Журналова", .first_name = "Алла", .phone = "+79186260000" },
    .children = &child, .n_children = 1, .allow_duplicates = TRUE,
  };

  fixture->store = pfdo_test_ui_store (TRUE);
  sign_in (fixture->store, "ivanova");
  fixture->ivanova_id = g_strdup (pfdo_store_get_operator_id (fixture->store));
  municipality = g_strdup (pfdo_store_get_operator_municipality_id (fixture->store));
  fixture->child_id = query_text (fixture->store, "SELECT id FROM child WHERE municipality_id = ? "
                                  "AND snils IS NOT NULL AND verification_status = 'unverified' "
                                  "ORDER BY id LIMIT 1", municipality);
  other = query_text (fixture->store, "SELECT id FROM child WHERE municipality_id = ? "
                      "AND verification_status = 'unverified' ORDER BY id DESC LIMIT 1",
                      municipality);
  fixture->child_snils = query_text (fixture->store, "SELECT snils FROM child WHERE id = ?",
                                     fixture->child_id);
  fixture->child_name = query_text (fixture->store, "SELECT last_name || ' ' || first_name || "
                                    "coalesce (' ' || middle_name, '') FROM child WHERE id = ?",
                                    fixture->child_id);

  open_card (fixture->store, fixture->child_id);
  g_assert_true (pfdo_child_verify (fixture->store, fixture->child_id, PFDO_DOCUMENTS_ALL, TRUE,
                                    &error));
  g_assert_no_error (error);
  open_card (fixture->store, fixture->child_id);
  open_card (fixture->store, other);

  sign_in (fixture->store, "sidorova");
  family = pfdo_family_register (fixture->store, &input, NULL, &error);
  g_assert_no_error (error);

  sign_in (fixture->store, "petrov");
  open_card (fixture->store, fixture->child_id);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->child_id);
  g_free (fixture->child_snils);
  g_free (fixture->child_name);
  g_free (fixture->ivanova_id);
}

static PfdoAuditWindow *
find_audit_window (void)
{
  return (PfdoAuditWindow *) pfdo_test_ui_find_window (PFDO_TYPE_AUDIT_WINDOW);
}

/* What the main menu lists, opened as a person opens it. */
static char *
menu_text (PfdoWindow *window)
{
  GtkWidget *button = pfdo_test_ui_find_shown (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  char *text;

  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  pfdo_test_ui_settle (GTK_WINDOW (window));
  text = pfdo_test_ui_text (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  pfdo_test_ui_settle (GTK_WINDOW (window));
  return text;
}

/* "Журнал действий" is in the menu of the administrator only; asked for
 * all the same, it does not open for anyone else. */
static void
test_menu (Fixture       *fixture,
           gconstpointer  data)
{
  const struct
  {
    const char *login;
    gboolean    admin;
  } operators[] = {
    { "sidorova", FALSE },
    { "ivanova", FALSE },
    { "petrov", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    {
      PfdoWindow *window;
      g_autofree char *menu = NULL;
      PfdoAuditWindow *audit;

      g_test_message ("signed in as %s", operators[i].login);
      sign_in (fixture->store, operators[i].login);
      window = pfdo_window_new (NULL, fixture->store, NULL);
      pfdo_test_ui_show (GTK_WINDOW (window));

      menu = menu_text (window);
  g_assert_nonnull (strstr (menu, "Комбинации клавиш"));
      g_assert_true ((strstr (menu, "Журнал действий") != NULL) == operators[i].admin);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-audit", NULL);
      pfdo_test_ui_settle (GTK_WINDOW (window));
      audit = find_audit_window ();
      g_assert_true ((audit != NULL) == operators[i].admin);
      if (audit != NULL)
        {
          pfdo_test_ui_settle (GTK_WINDOW (audit));
          g_assert_cmpuint (g_list_model_get_n_items (pfdo_audit_window_get_model (audit)), >, 0);
          /* Asked again, the same window comes forward. */
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-audit", NULL);
          pfdo_test_ui_settle (GTK_WINDOW (window));
          g_assert_true (find_audit_window () == audit);
        }
      /* The log closes with the desk. */
      pfdo_test_ui_destroy (GTK_WINDOW (window));
      g_assert_null (find_audit_window ());
    }
}

/* Opened by another role all the same, the window says why it is empty,
 * in the core's words. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  PfdoAuditWindow *window;

  sign_in (fixture->store, "ivanova");
  window = pfdo_audit_window_new (NULL, fixture->store);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Журнал действий не может быть показан");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Ваша роль не позволяет просматривать журнал "
                                                  "действий: вы вошли как специалист МОЦ.");
  g_assert_cmpuint (g_list_model_get_n_items (pfdo_audit_window_get_model (window)), ==, 0);
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

static guint
shown_count (PfdoAuditWindow *window)
{
  return g_list_model_get_n_items (pfdo_audit_window_get_model (window));
}

/* Every record shown says @text in @property. */
static void
assert_every (PfdoAuditWindow *window,
              const char      *property,
              const char      *text)
{
  GListModel *model = pfdo_audit_window_get_model (window);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PfdoAuditItem) item = g_list_model_get_item (model, i);
      g_autofree char *value = NULL;

      g_object_get (item, property, &value, NULL);
      g_assert_cmpstr (value, ==, text);
    }
}

static void
select_string (GtkWidget  *window,
               const char *tooltip,
               const char *text)
{
  GtkWidget *found = NULL;
  GListModel *model;

  /* The drop-down a person finds by its tooltip. */
  for (GtkWidget *widget = pfdo_test_ui_find_shown (window, GTK_TYPE_DROP_DOWN);
       widget != NULL;
       widget = gtk_widget_get_next_sibling (widget))
    if (GTK_IS_DROP_DOWN (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
      found = widget;
  g_assert_nonnull (found);
  model = gtk_drop_down_get_model (GTK_DROP_DOWN (found));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (found), i);
        pfdo_test_ui_settle (GTK_WINDOW (window));
        return;
      }
  g_error ("No “%s” in the drop-down “%s”", text, tooltip);
}

/* The entry whose placeholder begins with @placeholder. */
static GtkEditable *
find_entry (GtkWidget  *widget,
            const char *placeholder)
{
  g_autofree char *shown = NULL;

  if (GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget))
    g_object_get (widget, "placeholder-text", &shown, NULL);
  if (shown != NULL && g_str_has_prefix (shown, placeholder))
    return GTK_EDITABLE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEditable *found = find_entry (child, placeholder);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
type_into (PfdoAuditWindow *window,
           const char      *placeholder,
           const char      *text,
           gboolean         enter)
{
  GtkEditable *entry = find_entry (GTK_WIDGET (window), placeholder);

  g_assert_nonnull (entry);
  gtk_editable_set_text (entry, text);
  if (enter)
    g_signal_emit_by_name (entry, "activate");
  pfdo_test_ui_settle (GTK_WINDOW (window));
}

static char *
local_date (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%d.%m.%Y");
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  guint total = query_count (fixture->store, "SELECT count(*) FROM audit_log", NULL);
  guint by_ivanova = query_count (fixture->store, "SELECT count(*) FROM audit_log WHERE "
                                  "operator_id = ?", fixture->ivanova_id);
  guint views_by_ivanova = query_count (fixture->store, "SELECT count(*) FROM audit_log WHERE "
                                        "action = 'child.view' AND operator_id = ?",
                                        fixture->ivanova_id);
  guint of_child = query_count (fixture->store, "SELECT count(*) FROM audit_log WHERE "
                                "entity = 'child' AND record_id = ?", fixture->child_id);
  g_autofree char *total_text = g_strdup_printf ("%u записей", total);
  g_autofree char *today = local_date (0);
  g_autofree char *tomorrow = local_date (1);
  g_autofree char *yesterday = local_date (-1);
  g_autofree char *child_line = NULL;
  PfdoAuditWindow *window;

  g_assert_cmpuint (total, ==, 7);
  g_assert_cmpuint (views_by_ivanova, ==, 3);
  g_assert_cmpuint (of_child, ==, 4);

  window = pfdo_audit_window_new (NULL, fixture->store);
  pfdo_test_ui_settle (GTK_WINDOW (window));
  pfdo_test_ui_screenshot (GTK_WIDGET (window), "audit-log.png");

  /* Everything, newest first, in words: the administrator's look at the
   * child's card is the last record. */
  g_assert_cmpuint (shown_count (window), ==, total);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), total_text);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Просмотр карточки ребёнка");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Подтверждение данных ребёнка");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Регистрация семьи");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Петров Андрей Николаевич");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Сидорова Елена Викторовна");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), fixture->child_name);
  {
    g_autoptr(PfdoAuditItem) newest = g_list_model_get_item (pfdo_audit_window_get_model (window),
                                                             0);

    g_assert_cmpstr (pfdo_audit_item_get_operator (newest), ==, "Петров Андрей Николаевич");
    g_assert_cmpstr (pfdo_audit_item_get_action (newest), ==, "Просмотр карточки ребёнка");
    g_assert_cmpstr (pfdo_audit_item_get_subject (newest), ==, fixture->child_name);
  }

  /* One operator. */
  select_string (GTK_WIDGET (window), "Показать записи одного оператора",
                 "Иванова Мария Петровна");
  g_assert_cmpuint (shown_count (window), ==, by_ivanova);
  assert_every (window, "operator", "Иванова Мария Петровна");

  /* One operator's card reads. */
  select_string (GTK_WIDGET (window), "Показать один вид действий", "Просмотр карточки ребёнка");
  g_assert_cmpuint (shown_count (window), ==, views_by_ivanova);
  assert_every (window, "action", "Просмотр карточки ребёнка");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "3 записи");

  /* One child, found by its SNILS: its records by everyone. */
  select_string (GTK_WIDGET (window), "Показать записи одного оператора", "Все операторы");
  select_string (GTK_WIDGET (window), "Показать один вид действий", "Все действия");
  type_into (window, "Ребёнок:", fixture->child_snils, TRUE);
  child_line = g_strdup_printf ("Записи о ребёнке: %s", fixture->child_name);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), child_line);
  g_assert_cmpuint (shown_count (window), ==, of_child);
  assert_every (window, "subject", fixture->child_name);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Подтверждение данных ребёнка");

  /* Dates: everything happened today. */
  type_into (window, "С ДД.ММ.ГГГГ", tomorrow, FALSE);
  g_assert_cmpuint (shown_count (window), ==, 0);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Нет записей");
  type_into (window, "С ДД.ММ.ГГГГ", today, FALSE);
  g_assert_cmpuint (shown_count (window), ==, of_child);
  type_into (window, "По ДД.ММ.ГГГГ", yesterday, FALSE);
  g_assert_cmpuint (shown_count (window), ==, 0);
  type_into (window, "По ДД.ММ.ГГГГ", today, FALSE);
  g_assert_cmpuint (shown_count (window), ==, of_child);
  /* A wrong date is marked and changes nothing. */
  type_into (window, "По ДД.ММ.ГГГГ", "32.13.2026", TRUE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_entry (GTK_WIDGET (window), "По ")),
                                           "error"));
  g_assert_cmpuint (shown_count (window), ==, of_child);
  type_into (window, "По ДД.ММ.ГГГГ", "", FALSE);
  type_into (window, "С ДД.ММ.ГГГГ", "", FALSE);

  /* All children again. */
  g_signal_emit_by_name (pfdo_test_ui_find_button (GTK_WIDGET (window), "_Все дети"), "clicked");
  pfdo_test_ui_settle (GTK_WINDOW (window));
  g_assert_cmpuint (shown_count (window), ==, total);

  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

/* A year of a busy desk: the window opens on the newest page and reads
 * the others only when they are scrolled to. */
static void
test_big_log (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first_page = NULL;
  PfdoAuditWindow *window;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  PfdoAuditList *list;
  gint64 timer;
  guint total;

  /* Records as the desk writes them, without the chain (the view does not
   * check it): 100 000 of the clerk's card reads. */
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                  "FROM n WHERE i < 100000) INSERT INTO audit_log (at, "
                                  "operator_id, action, entity, record_id, prev_hash, hash) "
                                  "SELECT strftime ('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || "
                                  "(100000 - i) || ' minutes'), (SELECT id FROM operator WHERE "
                                  "login = 'ivanova'), 'child.view', 'child', 'ch-' || i, "
                                  "'p' || i, 'h' || i FROM n",
                                  &error));
  g_assert_no_error (error);
  total = query_count (fixture->store, "SELECT count(*) FROM audit_log", NULL);

  timer = g_get_monotonic_time ();
  window = pfdo_audit_window_new (NULL, fixture->store);
  pfdo_test_ui_settle (GTK_WINDOW (window));
  g_test_message ("opened on %u records in %.1f ms", total,
                  (g_get_monotonic_time () - timer) / 1000.0);
  /* The newest page: the planted records, whose children are not here. */
  first_page = pfdo_test_ui_text (GTK_WIDGET (window));
  g_assert_null (strstr (first_page, fixture->child_name));
  g_assert_nonnull (strstr (first_page, "ребёнок не из этого хранилища"));
  list = PFDO_AUDIT_LIST (pfdo_audit_window_get_model (window));
  g_assert_cmpuint (shown_count (window), ==, total);
  g_assert_cmpuint (pfdo_audit_list_get_pages_loaded (list), <=, 2);

  /* To the end of the log: the first records of the desk are shown. */
  scrolled = GTK_SCROLLED_WINDOW (pfdo_test_ui_find_shown (GTK_WIDGET (window),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  timer = g_get_monotonic_time ();
  for (guint i = 0; i < 5; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      pfdo_test_ui_settle (GTK_WINDOW (window));
    }
  g_test_message ("scrolled to the end in %.1f ms, %u pages read",
                  (g_get_monotonic_time () - timer) / 1000.0,
                  pfdo_audit_list_get_pages_loaded (list));
  /* The pages between were never read. */
  g_assert_cmpuint (pfdo_audit_list_get_pages_loaded (list), <=, 12);
  /* At the end, the day's first work: the clerk's look at the child. */
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), fixture->child_name);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Подтверждение данных ребёнка");
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

static void
finished_cb (PfdoSyncer  *syncer,
             GError      *error,
             GError     **out_error)
{
  g_clear_error (out_error);
  if (error != NULL)
    *out_error = g_error_copy (error);
  g_object_set_data (G_OBJECT (syncer), "finished", GINT_TO_POINTER (1));
}

static void
sync_and_wait (PfdoWindow *window,
               PfdoSyncer *syncer)
{
  g_object_set_data (G_OBJECT (syncer), "finished", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  while (g_object_get_data (G_OBJECT (syncer), "finished") == NULL ||
         pfdo_window_get_loading (window))
    g_main_context_iteration (NULL, TRUE);
  pfdo_test_ui_settle (GTK_WINDOW (window));
}

/* The server refuses the desk's audit anchor: the clerk reads why. */
static void
test_diverged_sync (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-app-audit-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.sqlite", NULL);
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sync_error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  g_autoptr(PfdoSyncer) syncer = NULL;
  g_autoptr(PfdoFamilyResult) family = NULL;
  GSubprocess *server = pfdo_test_server_start (dir, "пароль-журнала", NULL, &base);
  PfdoChildInput child = {
    .last_name = "Якорева", .first_name = "Зоя", .birth_date = "2016-03-03", .sex = "f",
    .document_type = "birth_certificate", .document_series = "II-ДН", .document_number = "737373",
  };
  PfdoFamilyInput input = {
    .parent = { .last_name = "Якорева", .first_name = "Алла", .phone = "+79187370000" },
    .children = &child, .n_children = 1, .allow_duplicates = TRUE,
  };
  PfdoWindow *window;

  g_assert_no_error (error);
  syncer = pfdo_syncer_new (store);
  pfdo_syncer_set_server (syncer, base, NULL);
  pfdo_syncer_set_credentials (syncer, "ivanova", "пароль-журнала");
  g_signal_connect (syncer, "finished", G_CALLBACK (finished_cb), &sync_error);
  window = pfdo_window_new (NULL, store, syncer);
  pfdo_test_ui_show (GTK_WINDOW (window));

  sync_and_wait (window, syncer);
  g_assert_no_error (sync_error);
  sign_in (store, "ivanova");
  family = pfdo_family_register (store, &input, NULL, &error);
  g_assert_no_error (error);
  sync_and_wait (window, syncer);
  g_assert_no_error (sync_error);

  /* Another family waits to be sent; the log loses its end behind the
   * store's back, that family's records and more. */
  g_clear_pointer (&family, pfdo_family_result_free);
  child.first_name = "Ия";
  child.birth_date = "2015-04-04";
  child.document_number = "747474";
  family = pfdo_family_register (store, &input, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_store_exec (store, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log "
                                         "WHERE seq > 1",
                                  &error));
  g_assert_no_error (error);
  sync_and_wait (window, syncer);
  g_assert_error (sync_error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED);
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Журнал действий не совпадает с сервером: "
                                                  "сообщите администратору МОЦ.");
  /* The header says it until a sync ends well; the work went all the
   * same and the time of the sync is kept. */
  g_assert_cmpstr (pfdo_window_get_sync_text (window), ==, "Журнал действий расходится с сервером");
  g_assert_cmpuint (pfdo_syncer_get_last_stats (syncer)->pushed, ==, 1);
  g_assert_cmpuint (pfdo_syncer_get_last_stats (syncer)->applied, ==, 1);
  g_assert_cmpint (pfdo_store_query_int (store, "SELECT count(*) FROM outbox WHERE "
                                                "state = 'pending'", NULL, NULL), ==, 0);
  pfdo_test_ui_screenshot (GTK_WIDGET (window), "audit-diverged.png");

  pfdo_test_ui_destroy (GTK_WINDOW (window));
  g_clear_object (&syncer);
  pfdo_test_server_stop (server);
  g_clear_object (&store);
  pfdo_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("/audit-window/menu", test_menu);
  TEST ("/audit-window/refused", test_refused);
  TEST ("/audit-window/filters", test_filters);
  TEST ("/audit-window/big-log", test_big_log);
#undef TEST
  g_test_add_func ("/audit-window/diverged-sync", test_diverged_sync);

  return g_test_run ();
}
