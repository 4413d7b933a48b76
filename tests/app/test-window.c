/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window as a person sees it: real widgets under Xvfb, in Russian, on
 * a real store. PFDO_SCREENSHOT_DIR=DIR keeps a PNG of each window shown.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pfdo-children.h"
#include "pfdo-test-server.h"
#include "pfdo-test-ui.h"
#include "pfdo-window.h"

/* Whether the keyboard focus is inside @widget. */
static gboolean
has_focus_within (GtkWindow *window,
                  GtkWidget *widget)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static GtkWidget *
visible_view (PfdoWindow *window)
{
  GtkWidget *stack = gtk_widget_get_ancestor (gtk_window_get_focus (GTK_WINDOW (window)),
                                              ADW_TYPE_VIEW_STACK);

  return stack != NULL ? adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack)) : NULL;
}

static void
test_seeded_window (void)
{
  g_autoptr(PfdoStore) store = pfdo_test_ui_store (TRUE);
  PfdoWindow *window = pfdo_window_new (NULL, store, NULL);
  const char *views[] = { "catalog", "verification", "certificates" };
  const char *titles[] = { "Каталог", "Подтверждение", "Сертификаты" };
  g_autofree char *text = NULL;

  pfdo_test_ui_show (GTK_WINDOW (window));
  g_assert_false (pfdo_window_is_empty (window));
  g_assert_true (pfdo_window_get_store (window) == store);

  /* The header names the store's municipality, in Russian. */
  text = pfdo_test_ui_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "город Ставрополь"));
  g_clear_pointer (&text, g_free);

  /* Each view is one action away, and Ctrl+F puts the cursor in its search. */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *name = g_strconcat (views[i], ".png", NULL);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", views[i]);
      pfdo_test_ui_show (GTK_WINDOW (window));
      g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, views[i]);
      text = pfdo_test_ui_text (GTK_WIDGET (window));
      g_assert_nonnull (strstr (text, titles[i]));
      g_clear_pointer (&text, g_free);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL);
      g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (GTK_WINDOW (window))));
      g_assert_true (has_focus_within (GTK_WINDOW (window), visible_view (window)));
      pfdo_test_ui_screenshot (GTK_WIDGET (window), name);
    }

  /* An unknown view changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "nowhere");
  g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, "certificates");

  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

static void
test_empty_window (void)
{
  g_autoptr(PfdoStore) store = pfdo_test_ui_store (FALSE);
  PfdoWindow *window = pfdo_window_new (NULL, store, NULL);
  g_autofree char *text = NULL;

  pfdo_test_ui_show (GTK_WINDOW (window));
  g_assert_true (pfdo_window_is_empty (window));
  text = pfdo_test_ui_text (GTK_WIDGET (window));
  /* The empty state says what to do. */
  g_assert_nonnull (strstr (text, "Хранилище пусто"));
  g_assert_nonnull (strstr (text, "build-aux/dev demo"));
  pfdo_test_ui_screenshot (GTK_WIDGET (window), "empty.png");

  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

static void
count_cb (gpointer  instance,
          GError   *error,
          guint    *count)
{
  (*count)++;
}

/* Types into the sign-in dialog as an operator would, then presses Sign In
 * or Enter in the password field. */
static void
sign_in (AdwMessageDialog *dialog,
         const char       *login,
         const char       *password,
         gboolean          enter)
{
  GtkEditable *login_row = g_object_get_data (G_OBJECT (dialog), "login");
  GtkEditable *password_row = g_object_get_data (G_OBJECT (dialog), "password");
  GtkWidget *button = pfdo_test_ui_find_button (GTK_WIDGET (dialog), "_Войти");

  g_assert_nonnull (login_row);
  g_assert_nonnull (password_row);
  g_assert_nonnull (button);
  gtk_editable_set_text (login_row, login);
  gtk_editable_set_text (password_row, password);
  if (enter)
    {
      GtkWidget *text = pfdo_test_ui_find_text (GTK_WIDGET (password_row));

      /* Enter is pressed where the password was typed. */
      gtk_window_set_focus (GTK_WINDOW (dialog), text);
      g_signal_emit_by_name (text, "activate");
    }
  else
    gtk_widget_activate (button);
  /* A pressed button clicks a moment later; the dialog closes with it. */
  while (pfdo_test_ui_find_dialog () == dialog)
    g_main_context_iteration (NULL, TRUE);
}

/* An empty desk pointed at the real server: Sync asks for the password,
 * a wrong one is asked for again, the right one brings the region in, and
 * the header says so. */
static void
test_sync_window (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-app-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.sqlite", NULL);
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  g_autoptr(PfdoSyncer) syncer = NULL;
  GSubprocess *server = pfdo_test_server_start (dir, "пароль-окна", NULL, &base);
  AdwMessageDialog *dialog;
  PfdoWindow *window;
  guint finished = 0;

  g_assert_no_error (error);
  syncer = pfdo_syncer_new (store);
  pfdo_syncer_set_server (syncer, base, NULL);
  g_signal_connect (syncer, "finished", G_CALLBACK (count_cb), &finished);
  window = pfdo_window_new (NULL, store, syncer);
  pfdo_test_ui_show (GTK_WINDOW (window));
  g_assert_true (pfdo_window_is_empty (window));
  g_assert_cmpstr (pfdo_window_get_sync_text (window), ==, "Ещё не синхронизировано");

  /* Ctrl+R: without a password the desk asks for one. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  dialog = pfdo_test_ui_wait_for_dialog ();
  text = pfdo_test_ui_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Вход на региональный сервер"));
  g_assert_nonnull (strstr (text, base));
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "sign-in.png");
  g_clear_pointer (&text, g_free);

  sign_in (dialog, "ivanova", "не-тот-пароль", FALSE);
  while (finished < 1)
    g_main_context_iteration (NULL, TRUE);
  dialog = pfdo_test_ui_wait_for_dialog ();
  text = pfdo_test_ui_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Сервер не принял логин или пароль"));
  g_clear_pointer (&text, g_free);

  sign_in (dialog, "ivanova", "пароль-окна", TRUE);
  while (finished < 2 || pfdo_window_get_loading (window))
    g_main_context_iteration (NULL, TRUE);
  pfdo_test_ui_show (GTK_WINDOW (window));
  g_assert_false (pfdo_window_is_empty (window));
  g_assert_true (g_str_has_prefix (pfdo_window_get_sync_text (window), "Синхронизировано в "));
  text = pfdo_test_ui_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Синхронизировано: отправлено 0, получено "));
  g_assert_nonnull (strstr (text, "город Ставрополь"));
  pfdo_test_ui_screenshot (GTK_WIDGET (window), "synced.png");
  /* The operator the server accepted works at the desk now, and the
   * header says who and where. */
  g_assert_nonnull (strstr (text, "Иванова М. П.\nгород Ставрополь"));
  g_assert_cmpint (pfdo_store_get_operator_role (store), ==, PFDO_ROLE_MOC_CLERK);

  /* A clerk's action is counted in the header at once. */
  {
    g_autofree char *child = NULL;
    sqlite3_stmt *stmt = pfdo_store_prepare (store, "SELECT id FROM child WHERE "
                                             "verification_status = 'unverified' AND "
                                             "municipality_id = ? LIMIT 1", NULL);

    sqlite3_bind_text (stmt, 1, pfdo_store_get_operator_municipality_id (store), -1,
                       SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    child = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    g_assert_true (pfdo_child_reject (store, child, "Нет документов", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (pfdo_window_get_sync_text (window), ==, "Ждёт отправки 1 операция");
  }

  pfdo_test_ui_destroy (GTK_WINDOW (window));
  g_clear_object (&syncer);
  pfdo_test_server_stop (server);

  /* The hash for signing in offline is kept off the main thread. */
  while (pfdo_store_query_int (store, "SELECT count(*) FROM operator WHERE login = 'ivanova' "
                                      "AND password_hash IS NOT NULL", NULL, NULL) == 0)
    g_main_context_iteration (NULL, TRUE);

  /* Offline (no server at all): the desk checks the password itself. */
  pfdo_store_set_operator (store, NULL, NULL);
  window = pfdo_window_new (NULL, store, NULL);
  pfdo_test_ui_show (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  dialog = pfdo_test_ui_wait_for_dialog ();
  g_clear_pointer (&text, g_free);
  text = pfdo_test_ui_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Вход на рабочем месте"));
  sign_in (dialog, "ivanova", "не-тот-пароль", TRUE);
  pfdo_test_ui_show (GTK_WINDOW (window));
  g_clear_pointer (&text, g_free);
  text = pfdo_test_ui_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Неверный логин или пароль."));
  g_assert_nonnull (strstr (text, "Вход не выполнен"));
  g_assert_null (pfdo_store_get_operator_id (store));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  dialog = pfdo_test_ui_wait_for_dialog ();
  sign_in (dialog, "ivanova", "пароль-окна", FALSE);
  pfdo_test_ui_show (GTK_WINDOW (window));
  g_clear_pointer (&text, g_free);
  text = pfdo_test_ui_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Иванова М. П.\nгород Ставрополь"));
  g_assert_cmpint (pfdo_store_get_operator_role (store), ==, PFDO_ROLE_MOC_CLERK);

  pfdo_test_ui_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  pfdo_test_remove_dir (dir);
}

/* A server at a plain http:// address on another machine: the header says
 * it is not used and why, Sync says so instead of connecting, and the
 * sign-in is the desk's own. 192.0.2.0/24 is TEST-NET-1: nothing there
 * would answer, so anything but an immediate refusal would hang. */
static void
test_plain_http_window (void)
{
  g_autoptr(PfdoStore) store = pfdo_test_ui_store (TRUE);
  g_autoptr(PfdoSyncer) syncer = pfdo_syncer_new (store);
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  PfdoWindow *window;

  pfdo_syncer_set_server (syncer, "http://192.0.2.10:8080", NULL);
  window = pfdo_window_new (NULL, store, syncer);
  pfdo_test_ui_show (GTK_WINDOW (window));
  g_assert_cmpstr (pfdo_window_get_sync_text (window), ==,
                   "Не синхронизировано: адрес сервера без шифрования");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  g_assert_false (pfdo_syncer_get_busy (syncer));
  pfdo_test_ui_assert_shows (GTK_WINDOW (window),
                             "Рабочее место не подключается к 192.0.2.10 по HTTP без шифрования");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  dialog = pfdo_test_ui_wait_for_dialog ();
  text = pfdo_test_ui_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Вход на рабочем месте"));
  g_assert_nonnull (strstr (text, "192.0.2.10"));
  gtk_window_close (GTK_WINDOW (dialog));
  while (pfdo_test_ui_find_dialog () == dialog)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pfdo_syncer_get_busy (syncer));

  /* Allowed explicitly, the address is the server's again. */
  pfdo_syncer_set_allow_plain_http (syncer, TRUE);
  g_assert_cmpstr (pfdo_window_get_sync_text (window), !=,
                   "Не синхронизировано: адрес сервера без шифрования");

  pfdo_test_ui_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

  g_test_add_func ("/window/seeded", test_seeded_window);
  g_test_add_func ("/window/empty", test_empty_window);
  g_test_add_func ("/window/sync", test_sync_window);
  g_test_add_func ("/window/plain-http", test_plain_http_window);

  return g_test_run ();
}
