/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The register of certificates as a clerk uses it: real widgets under Xvfb,
 * in Russian, on the demo region. PFDO_SCREENSHOT_DIR=DIR keeps a PNG of
 * each screen.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pfdo-certificate-enroll-dialog.h"
#include "pfdo-certificate-item.h"
#include "pfdo-certificate-list.h"
#include "pfdo-certificate-page.h"
#include "pfdo-certificates-view.h"
#include "pfdo-ledger.h"
#include "pfdo-register.h"
#include "pfdo-test-ui.h"
#include "pfdo-text.h"
#include "pfdo-window.h"

typedef struct
{
  PfdoStore            *store;
  PfdoWindow           *window;
  PfdoCertificatesView *view;
  GtkEditable          *search;
  GtkDropDown          *status;
  GtkListView        *list_view;
  PfdoCertificateList  *list;
  GtkStack             *stack;
  PfdoCertificatePage  *page;
} Desk;

/* The register's list: the list view over the certificates, not the one
 * in the status filter's popup. */
static GtkWidget *
find_register (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    {
      GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));

      if (GTK_IS_NO_SELECTION (model) &&
          PFDO_IS_CERTIFICATE_LIST (gtk_no_selection_get_model (GTK_NO_SELECTION (model))))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_register (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean contains (GtkWidget  *widget,
                          const char *text);

static void
wait_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Waits until the window has drawn what changed. */
static void
settle (Desk *desk)
{
  wait_ms (50);
  pfdo_test_ui_show (GTK_WINDOW (desk->window));
}

static gboolean
contains (GtkWidget  *widget,
          const char *text)
{
  g_autofree char *all = pfdo_test_ui_text (widget);

  return strstr (all, text) != NULL;
}

static void
assert_text (GtkWidget  *widget,
             const char *text)
{
  g_autofree char *all = pfdo_test_ui_text (widget);

  if (strstr (all, text) == NULL)
    g_error ("“%s” is not on the screen:\n%s", text, all);
}

/* Waits for a toast with @text, dismissing the ones before it: toasts
 * queue, one shown at a time. */
static void
assert_toast (Desk       *desk,
              const char *text)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      GtkWidget *toast = toast_type != 0 ? pfdo_test_ui_find_type (GTK_WIDGET (desk->window), toast_type)
                                         : NULL;
      GtkWidget *close;

      if (toast != NULL && contains (toast, text))
        {
          close = pfdo_test_ui_find_type (toast, GTK_TYPE_BUTTON);
          if (close != NULL)
            gtk_widget_activate (close);
          return;
        }
      if (toast != NULL && (close = pfdo_test_ui_find_type (toast, GTK_TYPE_BUTTON)) != NULL)
        gtk_widget_activate (close);
      wait_ms (300);
    }
  g_error ("No toast says “%s”", text);
}

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
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return value;
}

static void
sign_in_as (PfdoStore  *store,
            const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = query_text (store, "SELECT id FROM operator WHERE login = ?", login);

  g_assert_nonnull (id);
  g_assert_true (pfdo_store_set_operator (store, id, &error));
  g_assert_no_error (error);
}

static void
desk_open (Desk       *desk,
           const char *login,
           int         width,
           int         height)
{
  /* Screens are taken when things stand still, not halfway through a slide. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  desk->store = pfdo_test_ui_store (TRUE);
  sign_in_as (desk->store, login);
  desk->window = pfdo_window_new (NULL, desk->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (desk->window), width, height);
  pfdo_test_ui_show (GTK_WINDOW (desk->window));
  gtk_widget_activate_action (GTK_WIDGET (desk->window), "win.show-view", "s", "certificates");
  desk->view = PFDO_CERTIFICATES_VIEW (pfdo_test_ui_find_type (GTK_WIDGET (desk->window),
                                                  PFDO_TYPE_CERTIFICATES_VIEW));
  g_assert_nonnull (desk->view);
  desk->search = GTK_EDITABLE (pfdo_test_ui_find_type (GTK_WIDGET (desk->view), GTK_TYPE_SEARCH_ENTRY));
  desk->status = GTK_DROP_DOWN (pfdo_test_ui_find_type (GTK_WIDGET (desk->view), GTK_TYPE_DROP_DOWN));
  desk->list_view = GTK_LIST_VIEW (find_register (GTK_WIDGET (desk->view)));
  desk->stack = GTK_STACK (pfdo_test_ui_find_type (GTK_WIDGET (desk->view), GTK_TYPE_STACK));
  desk->page = PFDO_CERTIFICATE_PAGE (pfdo_test_ui_find_type (GTK_WIDGET (desk->view),
                                                 PFDO_TYPE_CERTIFICATE_PAGE));
  desk->list = PFDO_CERTIFICATE_LIST (gtk_no_selection_get_model (
    GTK_NO_SELECTION (gtk_list_view_get_model (desk->list_view))));
  settle (desk);
}

static void
desk_close (Desk *desk)
{
  pfdo_test_ui_destroy (GTK_WINDOW (desk->window));
  g_clear_object (&desk->store);
}

static guint
n_rows (Desk *desk)
{
  return g_list_model_get_n_items (G_LIST_MODEL (desk->list));
}

/* Types into the register's search and waits for the list to follow. */
static void
search (Desk       *desk,
        const char *text)
{
  gtk_editable_set_text (desk->search, text);
  /* The search entry waits a moment after the last key. */
  wait_ms (400);
  settle (desk);
}

static gboolean
page_shown (Desk *desk)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (desk->stack), "page") == 0;
}

static void
click (GtkWidget  *where,
       const char *label)
{
  GtkWidget *button = pfdo_test_ui_find_button (where, label);

  if (button == NULL)
    g_error ("No button “%s”", label);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  /* A pressed button clicks a moment later. */
  wait_ms (400);
}

/* Answers the message dialog now shown, typing a reason if it asks one. */
static void
answer (const char *reason)
{
  AdwMessageDialog *dialog = pfdo_test_ui_wait_for_dialog ();
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason");

  if (entry != NULL)
    {
      g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
      gtk_editable_set_text (entry, reason);
      g_assert_true (adw_message_dialog_get_response_enabled (dialog, "confirm"));
    }
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_close (GTK_WINDOW (dialog));
  while (pfdo_test_ui_find_dialog () == dialog)
    g_main_context_iteration (NULL, TRUE);
}

static PfdoCertificateEnrollDialog *
wait_for_enroll_dialog (void)
{
  GtkWindow *dialog;

  while ((dialog = pfdo_test_ui_find_window (PFDO_TYPE_CERTIFICATE_ENROLL_DIALOG)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pfdo_test_ui_show (dialog);
  return PFDO_CERTIFICATE_ENROLL_DIALOG (dialog);
}

/* The child's age on the first day of the group, as the core counts it. */
#define AGE_ON_START                                                                          \
  "(CAST (strftime ('%Y', coalesce (g.starts_on, date ('now'))) AS INTEGER) - "               \
  "CAST (strftime ('%Y', ch.birth_date) AS INTEGER) - "                                       \
  "(strftime ('%m-%d', coalesce (g.starts_on, date ('now'))) < strftime ('%m-%d', "           \
  "ch.birth_date)))"

/* Certified programs with one group with places, costing 1 to 10 000 ₽. */
#define PROGRAMS                                                                              \
  "SELECT p.id FROM program p JOIN \"group\" g ON g.program_id = p.id, certificate c "        \
  "JOIN child ch ON ch.id = c.child_id WHERE c.id = ?1 AND p.funding = 'certified' "          \
  "AND p.enrollment_open AND p.is_active AND g.enrolled < g.capacity "                        \
  "AND p.hour_price_kopecks * coalesce (p.hours_total, 0) BETWEEN 100 AND 1000000 "           \
  "AND (SELECT count(*) FROM \"group\" g2 WHERE g2.program_id = p.id) = 1 AND "

/* A personified certificate of the operator's municipality with its
 * nominal and no enrollment, a certified program whose ages fit its child,
 * and one whose ages do not. */
static void
pick (PfdoStore  *store,
      char      **out_certificate,
      char      **out_fitting,
      char      **out_not_fitting)
{
  const char *municipality = pfdo_store_get_operator_municipality_id (store);

  *out_certificate = query_text (store,
                                 "SELECT c.id FROM certificate c WHERE c.municipality_id = ?1 "
                                 "AND c.status = 'personified' AND NOT EXISTS (SELECT 1 FROM "
                                 "enrollment e WHERE e.certificate_id = c.id) AND (SELECT sum "
                                 "(amount_kopecks) FROM ledger_entry l WHERE l.certificate_id = "
                                 "c.id AND kind = 'grant') > 0 ORDER BY c.number LIMIT 1",
                                 municipality);
  g_assert_nonnull (*out_certificate);
  *out_fitting = query_text (store,
                             PROGRAMS AGE_ON_START " BETWEEN p.age_min AND p.age_max "
                             "ORDER BY p.pk LIMIT 1",
                             *out_certificate);
  *out_not_fitting = query_text (store,
                                 PROGRAMS AGE_ON_START " NOT BETWEEN p.age_min AND p.age_max "
                                 "ORDER BY p.pk LIMIT 1",
                                 *out_certificate);
  g_assert_nonnull (*out_fitting);
  g_assert_nonnull (*out_not_fitting);
}

/* Finds the program in the dialog by typing its title, and selects it. */
static void
choose_program (PfdoCertificateEnrollDialog *dialog,
                PfdoStore                   *store,
                const char                  *program_id)
{
  g_autofree char *title = query_text (store, "SELECT title FROM program WHERE id = ?",
                                       program_id);
  g_autofree char *provider = query_text (store, "SELECT v.name FROM program p JOIN provider v "
                                          "ON v.id = p.provider_id WHERE p.id = ?", program_id);
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "search");
  GtkListBox *programs = g_object_get_data (G_OBJECT (dialog), "programs");
  g_autofree char *query = g_strdup_printf ("%s %s", title, provider);

  gtk_editable_set_text (entry, query);
  wait_ms (400);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (programs)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "program-id"), program_id) == 0)
      {
        gtk_list_box_select_row (programs, GTK_LIST_BOX_ROW (row));
        return;
      }
  g_error ("The program was not among those found for its title");
}

static PfdoBalance
balance_of (PfdoStore  *store,
            const char *certificate_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *period = pfdo_register_dup_period (store,
                                                      pfdo_store_get_operator_municipality_id (store),
                                                      &error);
  PfdoBalance balance;

  g_assert_true (pfdo_ledger_balance (store, certificate_id, period, &balance, &error));
  g_assert_no_error (error);
  return balance;
}

static void
assert_rubles (GtkWidget *widget,
               gint64     kopecks)
{
  g_autofree char *money = pfdo_text_rubles (kopecks);

  assert_text (widget, money);
}

/* Search, filter, and the list reads pages on demand. */
static void
test_register (void)
{
  Desk desk = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *surname = NULL;
  g_autofree char *prefix = NULL;
  gint64 total, frozen;
  const char *municipality;

  desk_open (&desk, "ivanova", 1366, 768);
  municipality = pfdo_store_get_operator_municipality_id (desk.store);
  total = pfdo_store_query_int (desk.store,
                                "SELECT count(*) FROM certificate WHERE municipality_id = ?",
                                municipality, NULL);
  frozen = pfdo_store_query_int (desk.store,
                                 "SELECT count(*) FROM certificate WHERE municipality_id = ? "
                                 "AND status = 'frozen'", municipality, NULL);
  g_assert_cmpint (total, >, 400);
  g_assert_cmpint (frozen, >, 0);

  /* The whole municipality, counted; only the pages on screen were read. */
  g_assert_cmpuint (n_rows (&desk), ==, total);
  g_assert_cmpuint (pfdo_certificate_list_get_pages_loaded (desk.list), <, (total + 199) / 200);
  assert_text (GTK_WIDGET (desk.view), "Номер");
  assert_text (GTK_WIDGET (desk.view), "Ребёнок");
  assert_text (GTK_WIDGET (desk.view), "Доступно");
  assert_text (GTK_WIDGET (desk.view), "2026/27");
  {
    g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, total);

    if (total >= 1000)
      {
        g_free (count);
        count = g_strdup_printf ("%" G_GINT64_FORMAT "\u00a0%03" G_GINT64_FORMAT " сертификат",
                                 total / 1000, total % 1000);
      }
    assert_text (GTK_WIDGET (desk.view), count);
  }
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificates-register.png");

  /* Ctrl+F puts the cursor in the search. */
  gtk_widget_activate_action (GTK_WIDGET (desk.window), "win.focus-search", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (desk.window)),
                                         GTK_WIDGET (desk.search)));

  /* A number typed as a scanner types it finds that one certificate. */
  number = query_text (desk.store, "SELECT number FROM certificate WHERE municipality_id = ? "
                       "AND status = 'personified' ORDER BY number DESC LIMIT 1", municipality);
  surname = query_text (desk.store, "SELECT ch.last_name FROM certificate c JOIN child ch ON "
                        "ch.id = c.child_id WHERE c.number = ?", number);
  search (&desk, number);
  g_assert_cmpuint (n_rows (&desk), ==, 1);
  assert_text (GTK_WIDGET (desk.view), number);
  assert_text (GTK_WIDGET (desk.view), surname);
  assert_text (GTK_WIDGET (desk.view), "Персонифицированный");
  assert_text (GTK_WIDGET (desk.view), "1 сертификат");

  /* A surname's first letters, in lower case. */
  prefix = g_utf8_substring (surname, 0, 3);
  {
    g_autofree char *lower = g_utf8_strdown (prefix, -1);

    search (&desk, lower);
  }
  g_assert_cmpuint (n_rows (&desk), >=, 1);
  assert_text (GTK_WIDGET (desk.view), surname);

  /* Nothing found says what to do. */
  search (&desk, "Щщщщ");
  g_assert_cmpuint (n_rows (&desk), ==, 0);
  assert_text (GTK_WIDGET (desk.view), "Сертификаты не найдены");
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificates-not-found.png");
  search (&desk, "");

  /* The status filter: frozen ones only. */
  gtk_drop_down_set_selected (desk.status, 4);
  settle (&desk);
  g_assert_cmpuint (n_rows (&desk), ==, frozen);
  assert_text (GTK_WIDGET (desk.view), "Заморожен");
  g_assert_false (contains (GTK_WIDGET (desk.list_view), "Персонифицированный"));
  gtk_drop_down_set_selected (desk.status, 0);
  settle (&desk);
  g_assert_cmpuint (n_rows (&desk), ==, total);

  desk_close (&desk);
}

/* Opening a certificate, enrolling it, cancelling, freezing and
 * unfreezing, all through the widgets; the page, the row and the toasts
 * say what happened. */
static void
test_page_actions (void)
{
  Desk desk = { 0 };
  g_autofree char *certificate = NULL;
  g_autofree char *fitting = NULL;
  g_autofree char *too_young = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  PfdoCertificateEnrollDialog *dialog;
  GtkLabel *error_label;
  PfdoBalance before, after;
  gint64 reserved;

  desk_open (&desk, "ivanova", 1366, 768);
  pick (desk.store, &certificate, &fitting, &too_young);
  number = query_text (desk.store, "SELECT number FROM certificate WHERE id = ?", certificate);
  title = query_text (desk.store, "SELECT title FROM program WHERE id = ?", fitting);
  before = balance_of (desk.store, certificate);
  g_assert_cmpint (before.available, >, 0);

  /* Enter in the search opens the certificate found. */
  search (&desk, number);
  g_signal_emit_by_name (pfdo_test_ui_find_type (GTK_WIDGET (desk.search), GTK_TYPE_TEXT), "activate");
  settle (&desk);
  g_assert_true (page_shown (&desk));
  assert_text (GTK_WIDGET (desk.page), number);
  assert_text (GTK_WIDGET (desk.page), "Баланс за 2026/27");
  assert_text (GTK_WIDGET (desk.page), "Начислен номинал");
  assert_rubles (GTK_WIDGET (desk.page), before.granted);
  assert_rubles (GTK_WIDGET (desk.page), before.available);
  assert_text (GTK_WIDGET (desk.page), "Ребёнок не зачислен ни в одну программу");
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificate-page.png");

  /* Enroll: the core refuses a program for older children, in its words. */
  click (GTK_WIDGET (desk.page), "_Зачислить…");
  dialog = wait_for_enroll_dialog ();
  error_label = g_object_get_data (G_OBJECT (dialog), "error");
  choose_program (dialog, desk.store, too_young);
  click (GTK_WIDGET (dialog), "_Зачислить");
  wait_ms (50);
  if (!gtk_widget_get_visible (GTK_WIDGET (error_label)))
    g_error ("No refusal shown; dialog visible: %d, text: %s",
             gtk_widget_get_visible (GTK_WIDGET (dialog)), gtk_label_get_label (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (error_label), "Программа для детей"));
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "certificate-enroll-refused.png");

  /* The fitting program: its cost and the reservation are shown. */
  choose_program (dialog, desk.store, fitting);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  pfdo_test_ui_show (GTK_WINDOW (dialog));
  assert_text (GTK_WIDGET (dialog), "В месяц");
  assert_text (GTK_WIDGET (dialog), "Резерв на сертификате");
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "certificate-enroll.png");
  /* Enrolled, the dialog closes and is gone. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  click (GTK_WIDGET (dialog), "_Зачислить");
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);
  settle (&desk);

  after = balance_of (desk.store, certificate);
  reserved = after.reserved - after.released;
  g_assert_cmpint (reserved, >, 0);
  g_assert_cmpint (after.available, ==, before.available - reserved);
  assert_toast (&desk, "Ребёнок зачислен в");
  assert_text (GTK_WIDGET (desk.page), title);
  assert_text (GTK_WIDGET (desk.page), "Зарезервировано");
  assert_rubles (GTK_WIDGET (desk.page), after.available);
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificate-enrolled.png");
  {
    /* The enrollments and the ledger, further down the page. */
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (pfdo_test_ui_find_type (GTK_WIDGET (desk.page),
                                                                  GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    settle (&desk);
    pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificate-enrolled-ledger.png");
    gtk_adjustment_set_value (adjustment, 0);
  }

  /* Cancel: the reserve is released and the balance is whole again. */
  click (GTK_WIDGET (desk.page), "Отменить _зачисление");
  answer (NULL);
  settle (&desk);
  after = balance_of (desk.store, certificate);
  g_assert_cmpint (after.available, ==, before.available);
  assert_toast (&desk, "Зачисление отменено");
  assert_text (GTK_WIDGET (desk.page), "Резерв возвращён");
  assert_text (GTK_WIDGET (desk.page), "Отменено");
  g_assert_null (pfdo_test_ui_find_button (GTK_WIDGET (desk.page), "Отменить _зачисление"));

  /* Freeze needs a reason; the page, the history and the row follow. */
  click (GTK_WIDGET (desk.page), "_Заморозить…");
  answer ("Заявление родителя");
  settle (&desk);
  assert_toast (&desk, "Сертификат заморожен");
  assert_text (GTK_WIDGET (desk.page), "Персонифицированный → Заморожен");
  assert_text (GTK_WIDGET (desk.page), "Иванова Мария Петровна");
  assert_text (GTK_WIDGET (desk.page), "Ожидает отправки");
  {
    /* A frozen certificate enrolls nowhere. */
    GtkWidget *enroll = pfdo_test_ui_find_button (GTK_WIDGET (desk.page), "_Зачислить…");

    g_assert_true (enroll == NULL || !gtk_widget_get_visible (enroll));
  }
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificate-frozen.png");

  /* Escape leads back to the register, where the row says frozen. */
  gtk_widget_activate_action (GTK_WIDGET (desk.page), "page.back", NULL);
  settle (&desk);
  g_assert_false (page_shown (&desk));
  {
    g_autoptr(PfdoCertificateItem) item = g_list_model_get_item (G_LIST_MODEL (desk.list), 0);

    g_assert_cmpstr (pfdo_certificate_item_get_number (item), ==, number);
    g_assert_cmpstr (pfdo_certificate_item_get_status (item), ==, "frozen");
  }
  assert_text (GTK_WIDGET (desk.view), "Заморожен");

  /* Open it again from the list, and unfreeze. */
  g_signal_emit_by_name (desk.list_view, "activate", 0);
  settle (&desk);
  g_assert_true (page_shown (&desk));
  click (GTK_WIDGET (desk.page), "_Разморозить");
  settle (&desk);
  assert_toast (&desk, "Сертификат разморожен");
  g_assert_cmpstr (query_text (desk.store, "SELECT status FROM certificate WHERE id = ?",
                               certificate), ==, "personified");
  {
    g_autoptr(PfdoCertificateItem) item = g_list_model_get_item (G_LIST_MODEL (desk.list), 0);

    g_assert_cmpstr (pfdo_certificate_item_get_status (item), ==, "personified");
  }

  desk_close (&desk);
}

/* Status changes: personified within the quota and back, and activation
 * refused by the core while the child's data is not confirmed. */
static void
test_status_changes (void)
{
  Desk desk = { 0 };
  const char *municipality;
  g_autofree char *accounting = NULL;
  g_autofree char *unverified = NULL;
  g_autofree char *quota_left = NULL;
  g_autofree char *body = NULL;
  gint64 issued_before;
  AdwMessageDialog *dialog;

  desk_open (&desk, "ivanova", 1366, 768);
  municipality = pfdo_store_get_operator_municipality_id (desk.store);
  accounting = query_text (desk.store, "SELECT number FROM certificate WHERE municipality_id = ? "
                           "AND status = 'accounting' ORDER BY number LIMIT 1", municipality);
  unverified = query_text (desk.store, "SELECT c.number FROM certificate c JOIN child ch ON "
                           "ch.id = c.child_id WHERE c.municipality_id = ? AND c.status = "
                           "'issued' AND ch.verification_status <> 'verified' ORDER BY c.number "
                           "LIMIT 1", municipality);
  g_assert_nonnull (accounting);
  issued_before = pfdo_store_query_int (desk.store, "SELECT pf_issued FROM municipality "
                                       "WHERE id = ?", municipality, NULL);
  quota_left = g_strdup_printf ("%" G_GINT64_FORMAT,
                                pfdo_store_query_int (desk.store, "SELECT pf_quota - pf_issued "
                                                      "FROM municipality WHERE id = ?",
                                                      municipality, NULL));

  /* Personified: the dialog says how much of the quota is left. */
  search (&desk, accounting);
  g_signal_emit_by_name (desk.list_view, "activate", 0);
  settle (&desk);
  click (GTK_WIDGET (desk.page), "Сделать _персонифицированным…");
  dialog = pfdo_test_ui_wait_for_dialog ();
  g_object_get (dialog, "body", &body, NULL);
  g_assert_nonnull (strstr (body, "осталось"));
  g_assert_nonnull (strstr (body, quota_left));
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "certificate-personify.png");
  answer (NULL);
  settle (&desk);
  assert_toast (&desk, "персонифицированный");
  g_assert_cmpint (pfdo_store_query_int (desk.store, "SELECT pf_issued FROM municipality "
                                         "WHERE id = ?", municipality, NULL),
                   ==, issued_before + 1);
  assert_text (GTK_WIDGET (desk.page), "Учёт → Персонифицированный");

  /* And back to accounting: the place returns to the quota. */
  click (GTK_WIDGET (desk.page), "Вернуть в _учёт");
  settle (&desk);
  assert_toast (&desk, "место в квоте освободилось");
  g_assert_cmpint (pfdo_store_query_int (desk.store, "SELECT pf_issued FROM municipality "
                                         "WHERE id = ?", municipality, NULL),
                   ==, issued_before);

  /* Activation of a certificate whose child is not confirmed: refused. */
  if (unverified != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (desk.page), "page.back", NULL);
      search (&desk, unverified);
      g_signal_emit_by_name (desk.list_view, "activate", 0);
      settle (&desk);
      click (GTK_WIDGET (desk.page), "_Активировать");
      settle (&desk);
      assert_toast (&desk, "Данные ребёнка ещё не подтверждены");
      assert_text (GTK_WIDGET (desk.page), "Выдан");
    }

  desk_close (&desk);
}

/* School staff look certificates up; the actions are not offered, and the
 * page says who can take them. The core refuses anyway. */
static void
test_school_staff (void)
{
  Desk desk = { 0 };
  g_autofree char *number = NULL;
  const char *labels[] = { "_Зачислить…", "_Заморозить…", "_Закрыть…",
                           "Сделать _персонифицированным…" };

  desk_open (&desk, "sidorova", 1100, 720);
  number = query_text (desk.store, "SELECT number FROM certificate WHERE municipality_id = ? "
                       "AND status = 'accounting' ORDER BY number LIMIT 1",
                       pfdo_store_get_operator_municipality_id (desk.store));
  search (&desk, number);
  g_signal_emit_by_name (desk.list_view, "activate", 0);
  settle (&desk);
  g_assert_true (page_shown (&desk));
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkWidget *button = pfdo_test_ui_find_button (GTK_WIDGET (desk.page), labels[i]);

      g_assert_true (button == NULL || !gtk_widget_get_visible (button));
    }
  assert_text (GTK_WIDGET (desk.page), "Только специалисты МОЦ");

  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificate-school-staff.png");

  /* An action asked for all the same is refused, in the core's words. */
  gtk_widget_action_set_enabled (GTK_WIDGET (desk.page), "page.make-accounting", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk.page), "page.make-accounting",
                                             NULL));
  assert_toast (&desk, "Ваша роль не позволяет");

  desk_close (&desk);
}

/* The smaller window still reads well, and the list keeps its place. */
static void
test_small_window (void)
{
  Desk desk = { 0 };

  GtkAdjustment *adjustment;
  double row, value;
  guint position;

  desk_open (&desk, "ivanova", 1100, 720);
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificates-register-1100.png");

  /* Scrolled down the register, a certificate opened and closed again:
   * the list is where it was. */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (desk.list_view));
  row = gtk_adjustment_get_upper (adjustment) / n_rows (&desk);
  gtk_adjustment_set_value (adjustment, row * 500);
  settle (&desk);
  value = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (value, >, row * 400);
  position = (guint) (value / row) + 3;
  g_signal_emit_by_name (desk.list_view, "activate", position);
  settle (&desk);
  g_assert_true (page_shown (&desk));
  {
    g_autoptr(PfdoCertificateItem) item = g_list_model_get_item (G_LIST_MODEL (desk.list),
                                                                 position);

    assert_text (GTK_WIDGET (desk.page), pfdo_certificate_item_get_number (item));
  }
  pfdo_test_ui_screenshot (GTK_WIDGET (desk.window), "certificate-page-1100.png");
  gtk_widget_activate_action (GTK_WIDGET (desk.page), "page.back", NULL);
  settle (&desk);
  g_assert_false (page_shown (&desk));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, value);
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (desk.window)),
                                         GTK_WIDGET (desk.list_view)) ||
                 gtk_window_get_focus (GTK_WINDOW (desk.window)) == GTK_WIDGET (desk.list_view));
  desk_close (&desk);
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);
  {
    /* The application's styling, as the desk shows it. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/ru/pfdo/Desk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/certificates-view/register", test_register);
  g_test_add_func ("/certificates-view/page-actions", test_page_actions);
  g_test_add_func ("/certificates-view/status-changes", test_status_changes);
  g_test_add_func ("/certificates-view/school-staff", test_school_staff);
  g_test_add_func ("/certificates-view/small-window", test_small_window);

  return g_test_run ();
}
