/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The locked desk as a clerk meets it, on real widgets under Xvfb, in
 * Russian: Ctrl+L and the idle time lock it; nothing of the views is on
 * the screen meanwhile, nor the dialogs; a wrong password is refused and,
 * from the third, answered ever more slowly; the right one brings the desk
 * back with what was typed and where the cursor was; another operator
 * signs in instead, and finds none of the locked operator's work.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-lock-page.h"
#include "pfdo-operators.h"
#include "pfdo-test-ui.h"
#include "pfdo-verification-view.h"
#include "pfdo-window.h"

#define PASSWORD       "пароль-замка-1"
#define OTHER_PASSWORD "пароль-замка-2"
#define TYPED          "Кузнецов"

static gboolean
give_up_cb (gpointer user_data)
{
  g_error ("%s did not happen in time", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, for @seconds at most. */
static void
wait_until (gboolean    (*done) (PfdoLockPage *page),
            PfdoLockPage *page,
            guint         seconds,
            const char   *what)
{
  guint guard = g_timeout_add_seconds (seconds, give_up_cb, (gpointer) what);

  while (!done (page))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static gboolean
is_locked (PfdoLockPage *page)
{
  return pfdo_lock_page_get_locked (page);
}

static gboolean
is_unlocked (PfdoLockPage *page)
{
  return !pfdo_lock_page_get_locked (page);
}

static gboolean
is_checked (PfdoLockPage *page)
{
  return !pfdo_lock_page_get_checking (page);
}

static gboolean
can_unlock (PfdoLockPage *page)
{
  return gtk_widget_get_sensitive (pfdo_test_ui_find_button (GTK_WIDGET (page),
                                                             "_Разблокировать"));
}

/* Types @password on the lock page and presses Enter, or Unlock. */
static void
type_password (PfdoLockPage *page,
               const char   *password,
               gboolean      enter)
{
  GtkWidget *text = pfdo_test_ui_find_text (GTK_WIDGET (page));

  g_assert_nonnull (text);
  gtk_editable_set_text (GTK_EDITABLE (text), password);
  if (enter)
    g_signal_emit_by_name (text, "activate");
  else
    /* A click, at once: activating a button clicks only after a delay. */
    g_signal_emit_by_name (pfdo_test_ui_find_button (GTK_WIDGET (page), "_Разблокировать"),
                           "clicked");
  wait_until (is_checked, page, 20, "the password check");
}

/* Types into the sign-in dialog and presses Sign In. */
static void
sign_in (AdwMessageDialog *dialog,
         const char       *login,
         const char       *password)
{
  GtkEditable *login_row = g_object_get_data (G_OBJECT (dialog), "login");
  GtkEditable *password_row = g_object_get_data (G_OBJECT (dialog), "password");

  gtk_editable_set_text (login_row, login);
  gtk_editable_set_text (password_row, password);
  gtk_widget_activate (pfdo_test_ui_find_button (GTK_WIDGET (dialog), "_Войти"));
  while (pfdo_test_ui_find_dialog () == dialog)
    g_main_context_iteration (NULL, TRUE);
}

static PfdoStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  PfdoStore *store = pfdo_test_ui_store (TRUE);

  /* As after the operators' last online sign-ins. */
  g_assert_true (pfdo_operator_keep_password (store, "ivanova", PASSWORD, &error));
  g_assert_true (pfdo_operator_keep_password (store, "petrov", OTHER_PASSWORD, &error));
  g_assert_true (pfdo_operator_sign_in (store, "ivanova", PASSWORD, &error));
  g_assert_no_error (error);
  return store;
}

/* The verification view, shown, with TYPED in its search. */
static GtkWidget *
type_search (PfdoWindow  *window,
             GtkWidget  **out_text)
{
  GtkWidget *text;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "verification");
  pfdo_test_ui_show (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL);
  text = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (GTK_IS_TEXT (text));
  gtk_editable_set_text (GTK_EDITABLE (text), TYPED);
  /* At once, not after the entry's pause. */
  g_signal_emit_by_name (gtk_widget_get_ancestor (text, GTK_TYPE_SEARCH_ENTRY), "search-changed");
  pfdo_test_ui_settle (GTK_WINDOW (window));
  *out_text = text;
  return gtk_widget_get_ancestor (text, PFDO_TYPE_VERIFICATION_VIEW);
}

static void
test_lock_and_unlock (void)
{
  g_autoptr(PfdoStore) store = new_store ();
  PfdoWindow *window = pfdo_window_new (NULL, store, NULL);
  g_autofree char *text = NULL;
  g_autofree char *view_text = NULL;
  AdwMessageDialog *dialog;
  PfdoLockPage *page;
  GtkWidget *view, *search;

  pfdo_test_ui_show (GTK_WINDOW (window));
  page = PFDO_LOCK_PAGE (pfdo_test_ui_find_type (GTK_WIDGET (window), PFDO_TYPE_LOCK_PAGE));
  g_assert_nonnull (page);
  g_assert_false (pfdo_lock_page_get_locked (page));
  /* The settings' default: ten minutes. */
  g_assert_cmpfloat (pfdo_lock_page_get_lock_after_minutes (page), ==, 10);

  view = type_search (window, &search);
  g_assert_true (gtk_widget_get_mapped (view));
  view_text = pfdo_test_ui_text (view);
  /* The view shows the children it found, or those waiting. */
  g_assert_cmpstr (view_text, !=, "");

  /* A dialog open at the time is hidden with the rest. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  dialog = pfdo_test_ui_wait_for_dialog ();

  /* Ctrl+L. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL);
  pfdo_test_ui_settle (GTK_WINDOW (window));
  g_assert_true (pfdo_lock_page_get_locked (page));
  g_assert_false (gtk_widget_get_mapped (view));
  g_assert_false (gtk_widget_get_mapped (search));
  g_clear_pointer (&view_text, g_free);
  view_text = pfdo_test_ui_text (view);
  g_assert_cmpstr (view_text, ==, "");
  g_assert_null (pfdo_test_ui_find_dialog ());
  text = pfdo_test_ui_text (GTK_WIDGET (window));
  g_assert_null (strstr (text, TYPED));
  g_assert_nonnull (strstr (text, "Рабочее место заблокировано"));
  g_assert_nonnull (strstr (text, "Вход выполнен: Иванова Мария Петровна."));
  pfdo_test_ui_screenshot (GTK_WIDGET (window), "locked.png");
  /* No shortcut reaches under the page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "catalog");
  g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, "verification");
  g_assert_true (gtk_widget_is_focus (pfdo_test_ui_find_text (GTK_WIDGET (page))));

  /* Wrong, twice: refused, still locked. */
  type_password (page, "не-тот-пароль", TRUE);
  g_assert_true (pfdo_lock_page_get_locked (page));
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Неверный пароль.");
  g_assert_true (can_unlock (page));
  type_password (page, "другой-пароль", FALSE);
  g_assert_true (pfdo_lock_page_get_locked (page));
  g_assert_true (can_unlock (page));

  /* Another operator's password is wrong here too. */
  type_password (page, OTHER_PASSWORD, TRUE);
  g_assert_true (pfdo_lock_page_get_locked (page));
  /* The third failure: the next try waits. */
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Неверный пароль. Повторите через 5 секунд.");
  g_assert_false (can_unlock (page));
  type_password (page, PASSWORD, TRUE);
  g_assert_true (pfdo_lock_page_get_locked (page));
  wait_until (can_unlock, page, 20, "the end of the wait");

  /* The right one: the desk as it was, the cursor where it was. */
  type_password (page, PASSWORD, FALSE);
  pfdo_test_ui_settle (GTK_WINDOW (window));
  g_assert_false (pfdo_lock_page_get_locked (page));
  g_assert_true (gtk_widget_get_mapped (view));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, TYPED);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == search);
  g_clear_pointer (&view_text, g_free);
  view_text = pfdo_test_ui_text (view);
  g_assert_cmpstr (view_text, !=, "");
  g_assert_cmpstr (pfdo_store_get_operator_id (store), !=, NULL);
  /* The dialog comes back. */
  g_assert_true (pfdo_test_ui_find_dialog () == dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  while (pfdo_test_ui_find_dialog () == dialog)
    g_main_context_iteration (NULL, TRUE);

  /* Nobody signed in: nothing to lock, and the desk says so. */
  pfdo_store_set_operator (store, NULL, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL);
  g_assert_false (pfdo_lock_page_get_locked (page));
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "На рабочем месте никто не вошёл");

  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

/* Without input for the time the settings give, the desk locks itself;
 * with 0 it never does. */
static void
test_idle_lock (void)
{
  g_autoptr(PfdoStore) store = new_store ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  PfdoWindow *window = pfdo_window_new (NULL, store, NULL);
  PfdoLockPage *page;
  GtkWidget *view, *search;
  gint64 started;

  pfdo_test_ui_show (GTK_WINDOW (window));
  page = PFDO_LOCK_PAGE (pfdo_test_ui_find_type (GTK_WIDGET (window), PFDO_TYPE_LOCK_PAGE));
  view = type_search (window, &search);

  /* A third of a second. */
  started = g_get_monotonic_time ();
  g_settings_set_double (settings, "lock-after-minutes", 0.3 / 60);
  g_assert_cmpfloat (pfdo_lock_page_get_lock_after_minutes (page), ==, 0.3 / 60);
  wait_until (is_locked, page, 20, "the idle lock");
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 300 * 1000);
  pfdo_test_ui_settle (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_mapped (view));

  /* Never, from now on. */
  g_settings_set_double (settings, "lock-after-minutes", 0);
  type_password (page, PASSWORD, TRUE);
  wait_until (is_unlocked, page, 20, "the unlock");
  started = g_get_monotonic_time ();
  while (g_get_monotonic_time () - started < G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (pfdo_lock_page_get_locked (page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, TYPED);

  g_settings_reset (settings, "lock-after-minutes");
  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

/* Another operator cannot unlock the desk into this one's work: they sign
 * in through the desk's sign-in, and the views are made anew. */
static void
test_other_operator (void)
{
  g_autoptr(PfdoStore) store = new_store ();
  PfdoWindow *window = pfdo_window_new (NULL, store, NULL);
  g_autofree char *ivanova = g_strdup (pfdo_store_get_operator_id (store));
  AdwMessageDialog *dialog;
  PfdoLockPage *page;
  GtkWidget *view, *search, *new_search;

  pfdo_test_ui_show (GTK_WINDOW (window));
  page = PFDO_LOCK_PAGE (pfdo_test_ui_find_type (GTK_WIDGET (window), PFDO_TYPE_LOCK_PAGE));
  view = type_search (window, &search);
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL);
  g_assert_true (pfdo_lock_page_get_locked (page));

  /* A wrong password at the sign-in: still locked, for the same operator. */
  g_signal_emit_by_name (pfdo_test_ui_find_button (GTK_WIDGET (page),
                                                   "Войти как _другой оператор…"), "clicked");
  dialog = pfdo_test_ui_wait_for_dialog ();
  sign_in (dialog, "petrov", "не-тот-пароль");
  g_assert_true (pfdo_lock_page_get_locked (page));
  g_assert_nonnull (view);
  /* The desk's sign-in signed everyone out before it refused; the locked
   * operator's password brings that operator back, with the work. */
  g_assert_null (pfdo_store_get_operator_id (store));
  type_password (page, PASSWORD, TRUE);
  g_assert_false (pfdo_lock_page_get_locked (page));
  g_assert_cmpstr (pfdo_store_get_operator_id (store), ==, ivanova);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, TYPED);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL);
  g_assert_true (pfdo_lock_page_get_locked (page));

  g_signal_emit_by_name (pfdo_test_ui_find_button (GTK_WIDGET (page),
                                                   "Войти как _другой оператор…"), "clicked");
  dialog = pfdo_test_ui_wait_for_dialog ();
  sign_in (dialog, "petrov", OTHER_PASSWORD);
  pfdo_test_ui_settle (GTK_WINDOW (window));
  g_assert_false (pfdo_lock_page_get_locked (page));
  g_assert_cmpstr (pfdo_store_get_operator_id (store), !=, ivanova);
  g_assert_cmpint (pfdo_store_get_operator_role (store), ==, PFDO_ROLE_MOC_ADMIN);
  /* The locked operator's view is gone, with what was typed in it. */
  g_assert_null (view);
  g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, "verification");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL);
  new_search = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (GTK_IS_TEXT (new_search));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (new_search)), ==, "");
  pfdo_test_ui_assert_shows (GTK_WINDOW (window), "Петров А. Н.");

  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

  g_test_add_func ("/lock/lock-and-unlock", test_lock_and_unlock);
  g_test_add_func ("/lock/idle", test_idle_lock);
  g_test_add_func ("/lock/other-operator", test_other_operator);

  return g_test_run ();
}
