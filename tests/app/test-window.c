/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window as a person sees it: real widgets under Xvfb, in Russian, on
 * a real store. PFDO_SCREENSHOT_DIR=DIR keeps a PNG of each window shown.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-demo-region.h"
#include "pfdo-test-server.h"
#include "pfdo-window.h"

static PfdoStore *
temp_store (gboolean seeded)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  if (seeded)
    g_assert_true (pfdo_demo_region_generate (store, PFDO_DEMO_SCALE_DEMO, 5, NULL, NULL, NULL,
                                              &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static void
frame_cb (GdkFrameClock *clock,
          gboolean      *drawn)
{
  *drawn = TRUE;
}

/* Presented is not enough: wait until mapped, sized and one frame drawn. */
static void
show_and_wait (GtkWindow *window)
{
  gboolean drawn = FALSE;
  GdkFrameClock *clock;
  gulong handler;

  gtk_window_present (window);
  /* The figures are read on a worker thread. */
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)) ||
         gtk_widget_get_width (GTK_WIDGET (window)) == 0 ||
         (PFDO_IS_WINDOW (window) && pfdo_window_get_loading (PFDO_WINDOW (window))))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_cb), &drawn);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  while (!drawn)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("PFDO_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The labels a person can read in a widget tree. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static char *
visible_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

static void
destroy_and_check (GtkWindow *window)
{
  GtkWidget *weak = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &weak);
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* Nothing keeps the window alive once it is closed. */
  g_assert_null (weak);
}

static void
test_seeded_window (void)
{
  g_autoptr(PfdoStore) store = temp_store (TRUE);
  PfdoWindow *window = pfdo_window_new (NULL, store, NULL);
  g_autofree char *text = NULL;
  gint64 programs = pfdo_store_query_int (store, "SELECT count(*) FROM program", NULL, NULL);
  g_autofree char *programs_text = g_strdup_printf ("\n%" G_GINT64_FORMAT "\n", programs);

  show_and_wait (GTK_WINDOW (window));
  g_assert_false (pfdo_window_is_empty (window));
  g_assert_true (pfdo_window_get_store (window) == store);

  /* The catalog's figures are the store's, and the words are Russian. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "catalog");
  show_and_wait (GTK_WINDOW (window));
  g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, "catalog");
  text = visible_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Каталог"));
  g_assert_nonnull (strstr (text, "Программы"));
  g_assert_nonnull (strstr (text, programs_text));
  g_assert_nonnull (strstr (text, "город Ставрополь"));
  screenshot (GTK_WIDGET (window), "catalog.png");
  g_clear_pointer (&text, g_free);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "verification");
  show_and_wait (GTK_WINDOW (window));
  g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, "verification");
  text = visible_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Ожидают подтверждения"));
  screenshot (GTK_WIDGET (window), "verification.png");
  g_clear_pointer (&text, g_free);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "certificates");
  show_and_wait (GTK_WINDOW (window));
  g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, "certificates");
  text = visible_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "₽"));
  g_assert_nonnull (strstr (text, "\n1\u00a0000\n")); /* numbers of the desk's block */
  screenshot (GTK_WIDGET (window), "certificates.png");

  /* An unknown view changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "nowhere");
  g_assert_cmpstr (pfdo_window_get_visible_view (window), ==, "certificates");

  destroy_and_check (GTK_WINDOW (window));
}

static void
test_empty_window (void)
{
  g_autoptr(PfdoStore) store = temp_store (FALSE);
  PfdoWindow *window = pfdo_window_new (NULL, store, NULL);
  g_autofree char *text = NULL;

  show_and_wait (GTK_WINDOW (window));
  g_assert_true (pfdo_window_is_empty (window));
  text = visible_text (GTK_WIDGET (window));
  /* The empty state says what to do. */
  g_assert_nonnull (strstr (text, "Хранилище пусто"));
  g_assert_nonnull (strstr (text, "build-aux/dev demo"));
  screenshot (GTK_WIDGET (window), "empty.png");

  destroy_and_check (GTK_WINDOW (window));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static AdwMessageDialog *
wait_for_dialog (void)
{
  AdwMessageDialog *dialog;

  while ((dialog = find_dialog ()) == NULL)
    g_main_context_iteration (NULL, TRUE);
  show_and_wait (GTK_WINDOW (dialog));
  return dialog;
}

static void
count_cb (gpointer  instance,
          GError   *error,
          guint    *count)
{
  (*count)++;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text (child);

      if (found != NULL)
        return found;
    }
  return NULL;
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
  GtkWidget *button = find_button (GTK_WIDGET (dialog), "_Войти");

  g_assert_nonnull (login_row);
  g_assert_nonnull (password_row);
  g_assert_nonnull (button);
  gtk_editable_set_text (login_row, login);
  gtk_editable_set_text (password_row, password);
  if (enter)
    {
      GtkWidget *text = find_text (GTK_WIDGET (password_row));

      /* Enter is pressed where the password was typed. */
      gtk_window_set_focus (GTK_WINDOW (dialog), text);
      g_signal_emit_by_name (text, "activate");
    }
  else
    gtk_widget_activate (button);
  /* A pressed button clicks a moment later; the dialog closes with it. */
  while (find_dialog () == dialog)
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
  show_and_wait (GTK_WINDOW (window));
  g_assert_true (pfdo_window_is_empty (window));
  g_assert_cmpstr (pfdo_window_get_sync_text (window), ==, "Ещё не синхронизировано");

  /* Ctrl+R: without a password the desk asks for one. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  dialog = wait_for_dialog ();
  text = visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Вход на региональный сервер"));
  g_assert_nonnull (strstr (text, base));
  screenshot (GTK_WIDGET (dialog), "sign-in.png");
  g_clear_pointer (&text, g_free);

  sign_in (dialog, "ivanova", "не-тот-пароль", FALSE);
  while (finished < 1)
    g_main_context_iteration (NULL, TRUE);
  dialog = wait_for_dialog ();
  text = visible_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "Сервер не принял логин или пароль"));
  g_clear_pointer (&text, g_free);

  sign_in (dialog, "ivanova", "пароль-окна", TRUE);
  while (finished < 2 || pfdo_window_get_loading (window))
    g_main_context_iteration (NULL, TRUE);
  show_and_wait (GTK_WINDOW (window));
  g_assert_false (pfdo_window_is_empty (window));
  g_assert_true (g_str_has_prefix (pfdo_window_get_sync_text (window), "Синхронизировано в "));
  text = visible_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "Синхронизировано: отправлено 0, получено "));
  g_assert_nonnull (strstr (text, "Программы"));
  screenshot (GTK_WIDGET (window), "synced.png");

  destroy_and_check (GTK_WINDOW (window));
  g_clear_object (&syncer);
  g_clear_object (&store);
  pfdo_test_server_stop (server);
  pfdo_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("PFDO_LOCALEDIR");

  /* The desk speaks Russian; gtk_test_init() would force English. */
  g_setenv ("LANGUAGE", "ru", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  /* The suite runs under Xvfb: no display is a broken set-up, not a skip. */
  if (!gtk_init_check ())
    g_error ("No display: run the suite with xvfb-run (build-aux/dev test does).");
  adw_init ();
  /* The application adds its icons itself; here there is no application. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/ru/pfdo/Desk/icons");

  g_test_add_func ("/window/seeded", test_seeded_window);
  g_test_add_func ("/window/empty", test_empty_window);
  g_test_add_func ("/window/sync", test_sync_window);

  return g_test_run ();
}
