/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The catalog as a clerk uses it: real widgets under Xvfb, in Russian, on
 * the demo region. The clerk types into the search, picks filters, opens a
 * program and goes back; the test reads what the screen shows.
 * PFDO_SCREENSHOT_DIR=DIR keeps a PNG of each state.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-catalog-view.h"
#include "pfdo-program-page.h"
#include "pfdo-program-row.h"
#include "pfdo-test-ui.h"
#include "pfdo-window.h"

/* The demo region's three robotics programs, best match first. */
#define ROBOTICS "Робототехника|Робототехника: мастерская|Робототехника: первые шаги"

typedef struct
{
  PfdoWindow      *window;
  PfdoCatalogView *view;
  guint            changes;
} Desk;

/* A preferences row by the title the clerk reads on it. */
static GtkWidget *
find_row (GtkWidget  *widget,
          GType       type,
          const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The result rows on screen. */
static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (PFDO_IS_PROGRAM_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GPtrArray *
result_rows (Desk *desk)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (desk->view), rows);
  return rows;
}

static gboolean
row_on_screen (Desk       *desk,
               const char *title)
{
  g_autoptr(GPtrArray) rows = result_rows (desk);

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (pfdo_program_row_get_title (g_ptr_array_index (rows, i)), title))
      return TRUE;
  return FALSE;
}

/* The titles of the results, in order, joined with "|"; the first ones
 * must be on screen as rows. */
static char *
result_titles (Desk *desk)
{
  GListModel *results = pfdo_catalog_view_get_results (desk->view);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PfdoProgramItem) item = g_list_model_get_item (results, i);
      const char *title = pfdo_program_item_get_program (item)->title;

      if (i < 5 && !row_on_screen (desk, title))
        g_error ("“%s” is in the results but not on screen", title);
      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", title);
    }
  return g_string_free (out, FALSE);
}

/* The program row that has the keyboard focus, or NULL. */
static PfdoProgramRow *
focused_row (Desk *desk)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (desk->window));

  if (focus == NULL)
    return NULL;
  if (PFDO_IS_PROGRAM_ROW (focus))
    return PFDO_PROGRAM_ROW (focus);
  return (PfdoProgramRow *) pfdo_test_ui_find_type (focus, PFDO_TYPE_PROGRAM_ROW);
}

static void
changed_cb (PfdoCatalogView *view,
            Desk            *desk)
{
  desk->changes++;
}

/* Shown and drawn, with the list ↔ page slide over. */
static void
settle (Desk *desk)
{
  GtkStack *stack = GTK_STACK (pfdo_test_ui_find_type (GTK_WIDGET (desk->view), GTK_TYPE_STACK));

  while (gtk_stack_get_transition_running (stack))
    g_main_context_iteration (NULL, TRUE);
  pfdo_test_ui_show (GTK_WINDOW (desk->window));
}

static void
wait_for_results (Desk *desk,
                  guint before)
{
  while (desk->changes == before)
    g_main_context_iteration (NULL, TRUE);
  settle (desk);
}

/* Types @text as the clerk would, a character at a time at the end of
 * the search, and waits for the results of each. */
static void
type_search (Desk       *desk,
             const char *text)
{
  GtkWidget *entry = pfdo_test_ui_find_type (GTK_WIDGET (desk->view), GTK_TYPE_SEARCH_ENTRY);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint before = desk->changes;
      int position = -1;

      gtk_editable_insert_text (GTK_EDITABLE (entry), p, g_utf8_next_char (p) - p, &position);
      /* Results come after each key, not after Enter. */
      wait_for_results (desk, before);
    }
}

static void
clear_search (Desk *desk)
{
  GtkWidget *entry = pfdo_test_ui_find_type (GTK_WIDGET (desk->view), GTK_TYPE_SEARCH_ENTRY);
  guint before = desk->changes;

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_for_results (desk, before);
}

static void
choose (Desk       *desk,
        const char *row_title,
        const char *item)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_row (GTK_WIDGET (desk->view), ADW_TYPE_COMBO_ROW,
                                              row_title));
  GListModel *model;
  guint before = desk->changes;

  g_assert_nonnull (row);
  model = adw_combo_row_get_model (row);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) string = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (string), item) == 0)
        {
          adw_combo_row_set_selected (row, i);
          wait_for_results (desk, before);
          return;
        }
    }
  g_error ("No item “%s” in “%s”", item, row_title);
}

static void
toggle (Desk       *desk,
        const char *row_title)
{
  GtkWidget *row = find_row (GTK_WIDGET (desk->view), ADW_TYPE_ACTION_ROW, row_title);
  guint before = desk->changes;

  g_assert_nonnull (row);
  adw_action_row_activate (ADW_ACTION_ROW (row));
  wait_for_results (desk, before);
}

/* The labels on screen: mapped, so not those of the stack's hidden page. */
static void
collect_mapped (GtkWidget *widget,
                GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mapped (child, out);
}

static char *
view_text (Desk *desk)
{
  GString *out = g_string_new (NULL);
  g_autofree char *all = pfdo_test_ui_text (GTK_WIDGET (desk->view));

  collect_mapped (GTK_WIDGET (desk->view), out);
  /* What is on screen is among what the shared helper reads. */
  g_assert_true (out->len <= strlen (all));
  return g_string_free (out, FALSE);
}

static void
assert_shows (Desk       *desk,
              const char *expected)
{
  g_autofree char *text = view_text (desk);

  if (strstr (text, expected) == NULL)
    g_error ("“%s” is not shown; the view shows:\n%s", expected, text);
}

static void
assert_hides (Desk       *desk,
              const char *unexpected)
{
  g_autofree char *text = view_text (desk);

  if (strstr (text, unexpected) != NULL)
    g_error ("“%s” is shown and should not be; the view shows:\n%s", unexpected, text);
}

/* Opens the program with @title as a click or Enter on its row does. */
static void
open_row (Desk       *desk,
          const char *title)
{
  GListModel *results = pfdo_catalog_view_get_results (desk->view);
  g_autoptr(GPtrArray) rows = result_rows (desk);
  GtkWidget *list;

  /* The results' list, not a list in a combo row's popover. */
  g_assert_true (row_on_screen (desk, title));
  list = gtk_widget_get_ancestor (g_ptr_array_index (rows, 0), GTK_TYPE_LIST_VIEW);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PfdoProgramItem) item = g_list_model_get_item (results, i);

      if (g_str_equal (pfdo_program_item_get_program (item)->title, title))
        {
          g_signal_emit_by_name (list, "activate", i);
          settle (desk);
          g_assert_cmpstr (pfdo_catalog_view_get_program_id (desk->view), ==,
                           pfdo_program_item_get_id (item));
          return;
        }
    }
  g_error ("No row “%s”", title);
}

/* Whether the view's shortcuts send Escape to catalog.back. */
static gboolean
escape_goes_back (GtkWidget *view)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);

  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (g_str_equal (trigger, "Escape") && GTK_IS_NAMED_ACTION (action) &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                           "catalog.back"))
            return TRUE;
        }
    }
  return FALSE;
}

/* Escape, as the view binds it. */
static void
press_escape (Desk *desk)
{
  g_assert_true (escape_goes_back (GTK_WIDGET (desk->view)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk->view), "catalog.back", NULL));
  settle (desk);
}

static void
desk_open (Desk      *desk,
           PfdoStore *store,
           int        width,
           int        height)
{
  desk->window = pfdo_window_new (NULL, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (desk->window), width, height);
  pfdo_test_ui_show (GTK_WINDOW (desk->window));
  gtk_widget_activate_action (GTK_WIDGET (desk->window), "win.show-view", "s", "catalog");
  desk->view = PFDO_CATALOG_VIEW (pfdo_test_ui_find_type (GTK_WIDGET (desk->window), PFDO_TYPE_CATALOG_VIEW));
  g_assert_nonnull (desk->view);
  g_signal_connect (desk->view, "results-changed", G_CALLBACK (changed_cb), desk);
  settle (desk);
}

static void
test_search_and_filters (void)
{
  g_autoptr(PfdoStore) store = pfdo_test_ui_store (TRUE);
  g_autofree char *titles = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Desk desk = { 0 };

  desk_open (&desk, store, 1366, 768);

  /* Without words the catalog is browsed, and says how much there is. */
  assert_shows (&desk, "Показаны первые 50 из 300 программ");
  g_assert_cmpuint (g_list_model_get_n_items (pfdo_catalog_view_get_results (desk.view)), ==, 50);
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-browse-1366.png");
  rows = result_rows (&desk);
  g_assert_cmpuint (rows->len, >, 5);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Ctrl+F puts the cursor in the search; results come as the clerk types. */
  gtk_widget_activate_action (GTK_WIDGET (desk.window), "win.focus-search", NULL);
  g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (GTK_WINDOW (desk.window))));
  type_search (&desk, "робот");
  titles = result_titles (&desk);
  /* The titles that match come first; then programs of a «Школа
   * робототехники» or with robots in the description. */
  g_assert_true (g_str_has_prefix (titles, ROBOTICS "|"));
  assert_shows (&desk, "Найдено 5 программ");
  assert_shows (&desk, "Оплачивается сертификатом");
  assert_shows (&desk, "8–16 лет");
  assert_shows (&desk, "Набор открыт");
  g_clear_pointer (&titles, g_free);
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-search-1366.png");

  /* Each word is a prefix, in any case. */
  clear_search (&desk);
  type_search (&desk, "РОБОТ МАСТ");
  titles = result_titles (&desk);
  g_assert_cmpstr (titles, ==, "Робототехника: мастерская");
  g_clear_pointer (&titles, g_free);

  /* ё and е are one letter: the provider is in «с. Грачёвка». */
  clear_search (&desk);
  type_search (&desk, "грачевка");
  titles = result_titles (&desk);
  g_assert_nonnull (strstr (titles, "3D-моделирование и печать: осенний интенсив"));
  g_clear_pointer (&titles, g_free);
  assert_shows (&desk, "с. Грачёвка");

  /* A filter narrows the words' results. */
  clear_search (&desk);
  type_search (&desk, "робот");
  choose (&desk, "Форма обучения", "Заочная");
  titles = result_titles (&desk);
  g_assert_cmpstr (titles, ==, "Робототехника: мастерская");
  g_clear_pointer (&titles, g_free);
  assert_shows (&desk, "Найдена 1 программа");

  /* Nothing found says what to do. */
  choose (&desk, "Направленность", "Художественная");
  titles = result_titles (&desk);
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);
  assert_shows (&desk, "Программы не найдены");
  assert_hides (&desk, "Найдено 0");
  assert_shows (&desk, "Попробуйте другие слова или меньше фильтров");
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-empty-1366.png");

  /* Filters work without words: the catalog is browsed through them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk.view), "catalog.reset-filters",
                                             NULL));
  pfdo_test_ui_show (GTK_WINDOW (desk.window));
  assert_shows (&desk, "Показаны первые 50 из 300 программ");
  choose (&desk, "Направленность", "Техническая");
  toggle (&desk, "Для детей с ОВЗ");
  g_assert_cmpuint (g_list_model_get_n_items (pfdo_catalog_view_get_results (desk.view)), <, 50);
  rows = result_rows (&desk);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *text = pfdo_test_ui_text (g_ptr_array_index (rows, i));

      g_assert_nonnull (strstr (text, "Техническая"));
    }
  g_clear_pointer (&rows, g_ptr_array_unref);
  assert_hides (&desk, "Показаны первые");

  /* Enrolment open: no row says it is closed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk.view), "catalog.reset-filters",
                                             NULL));
  pfdo_test_ui_show (GTK_WINDOW (desk.window));
  type_search (&desk, "интенсив");
  assert_shows (&desk, "Набор закрыт");
  toggle (&desk, "Набор открыт");
  assert_hides (&desk, "Набор закрыт");

  pfdo_test_ui_destroy (GTK_WINDOW (desk.window));
}

static void
test_program_page (void)
{
  g_autoptr(PfdoStore) store = pfdo_test_ui_store (TRUE);
  g_autofree char *titles = NULL;
  Desk desk = { 0 };

  desk_open (&desk, store, 1100, 720);

  /* A program whose provider closed the enrolment says so on its page. */
  type_search (&desk, "дзюдо подготовка к конк");
  titles = result_titles (&desk);
  g_assert_cmpstr (titles, ==, "Дзюдо: подготовка к конкурсам и соревнованиям");
  assert_shows (&desk, "Набор закрыт");
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-search-1100.png");
  open_row (&desk, "Дзюдо: подготовка к конкурсам и соревнованиям");
  assert_shows (&desk, "Программу сейчас нельзя выбрать");
  assert_shows (&desk, "Поставщик закрыл набор.");
  assert_shows (&desk, "ИП Баранов Олег Алексеевич");
  assert_shows (&desk, "Физкультурно-спортивная");
  assert_shows (&desk, "8–12 лет");
  assert_shows (&desk, "Группы и расписание");
  assert_shows (&desk, "Группа 1");
  assert_shows (&desk, "Полная стоимость, оплачивается сертификатом");
  assert_shows (&desk, "\u00a0₽");
  assert_shows (&desk, "Отзывы");
  {
    g_autofree char *text = view_text (&desk);
    g_autoptr(GRegex) schedule = g_regex_new ("(Пн|Вт|Ср|Чт|Пт|Сб|Вс) [0-9]{2}:[0-9]{2}–[0-9]{2}:[0-9]{2}",
                                              0, 0, NULL);
    g_autoptr(GRegex) places = g_regex_new ("Свободно [0-9]+ из [0-9]+ мест(а)?|Мест нет", 0, 0,
                                            NULL);

    g_assert_true (g_regex_match (schedule, text, 0, NULL));
    g_assert_true (g_regex_match (places, text, 0, NULL));
  }
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-program-closed-1100.png");
  {
    GtkWidget *page = pfdo_test_ui_find_type (GTK_WIDGET (desk.view), PFDO_TYPE_PROGRAM_PAGE);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
      GTK_SCROLLED_WINDOW (pfdo_test_ui_find_type (page, GTK_TYPE_SCROLLED_WINDOW)));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2 -
                                          gtk_adjustment_get_page_size (adjustment) / 2);
    settle (&desk);
    pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-program-closed-1100-middle.png");
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    settle (&desk);
    pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-program-closed-1100-bottom.png");
  }

  /* Escape: back to the list as it was, on the row that was opened. */
  press_escape (&desk);
  g_assert_null (pfdo_catalog_view_get_program_id (desk.view));
  assert_shows (&desk, "Найдена 1 программа");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (pfdo_test_ui_find_type (GTK_WIDGET (desk.view),
                                                                     GTK_TYPE_SEARCH_ENTRY))),
                   ==, "дзюдо подготовка к конк");
  g_assert_nonnull (focused_row (&desk));
  g_assert_cmpstr (pfdo_program_row_get_title (focused_row (&desk)), ==,
                   "Дзюдо: подготовка к конкурсам и соревнованиям");

  /* The child's age: a program for older children says why it does not fit. */
  clear_search (&desk);
  choose (&desk, "Возраст ребёнка", "5 лет");
  type_search (&desk, "робот");
  titles = (g_free (titles), result_titles (&desk));
  g_assert_null (strstr (titles, "Робототехника"));
  choose (&desk, "Возраст ребёнка", "Любой");
  titles = (g_free (titles), result_titles (&desk));
  g_assert_true (g_str_has_prefix (titles, ROBOTICS "|"));

  /* Enter in the search goes on to the results; Enter on a row opens it. */
  gtk_widget_activate_action (GTK_WIDGET (desk.window), "win.focus-search", NULL);
  g_signal_emit_by_name (gtk_window_get_focus (GTK_WINDOW (desk.window)), "activate");
  g_assert_nonnull (focused_row (&desk));
  g_assert_cmpstr (pfdo_program_row_get_title (focused_row (&desk)), ==, "Робототехника");
  /* Enter: the focused row's activation. */
  g_assert_true (gtk_widget_activate (gtk_window_get_focus (GTK_WINDOW (desk.window))));
  settle (&desk);
  g_assert_nonnull (pfdo_catalog_view_get_program_id (desk.view));
  assert_shows (&desk, "Программу можно выбрать");
  assert_shows (&desk, "Стоимость часа");
  assert_hides (&desk, "Программу сейчас нельзя выбрать");
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-program-open-1100.png");

  /* Ctrl+F from the page: back to the search. */
  gtk_widget_activate_action (GTK_WIDGET (desk.window), "win.focus-search", NULL);
  g_assert_null (pfdo_catalog_view_get_program_id (desk.view));
  g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (GTK_WINDOW (desk.window))));

  pfdo_test_ui_destroy (GTK_WINDOW (desk.window));
}

/* The child's age: programs for other ages leave the list, and the rows
 * left are all for that age. */
static void
test_age (void)
{
  g_autoptr(PfdoStore) store = pfdo_test_ui_store (TRUE);
  g_autofree char *titles = NULL;
  Desk desk = { 0 };

  desk_open (&desk, store, 1366, 768);
  type_search (&desk, "робототехника");
  open_row (&desk, "Робототехника: первые шаги");
  assert_shows (&desk, "Программу можно выбрать");
  assert_shows (&desk, "8–14 лет");
  press_escape (&desk);

  /* 15: the program for 8–14 leaves; those for 8–16 stay. */
  choose (&desk, "Возраст ребёнка", "15 лет");
  titles = result_titles (&desk);
  g_assert_cmpstr (titles, ==, "Робототехника|Робототехника: мастерская");
  assert_hides (&desk, "8–14 лет");
  assert_hides (&desk, "Не подходит по возрасту");
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "catalog-age-1366.png");

  pfdo_test_ui_destroy (GTK_WINDOW (desk.window));
}

/* An empty store: the catalog says where the programs come from. */
static void
test_empty_catalog (void)
{
  g_autoptr(PfdoStore) store = pfdo_test_ui_store (FALSE);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  PfdoCatalogView *view = g_object_new (PFDO_TYPE_CATALOG_VIEW, NULL);
  g_autofree char *text = NULL;

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  pfdo_catalog_view_set_store (view, store);
  pfdo_test_ui_show (GTK_WINDOW (window));
  text = pfdo_test_ui_text (GTK_WIDGET (view));
  g_assert_nonnull (strstr (text, "Каталог пуст"));
  g_assert_nonnull (strstr (text, "Ctrl+R"));
  pfdo_test_ui_screenshot (window, "catalog-no-programs.png");
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

  g_test_add_func ("/catalog-view/search-and-filters", test_search_and_filters);
  g_test_add_func ("/catalog-view/program-page", test_program_page);
  g_test_add_func ("/catalog-view/age", test_age);
  g_test_add_func ("/catalog-view/empty-catalog", test_empty_catalog);

  return g_test_run ();
}
