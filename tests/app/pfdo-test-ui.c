/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the desk's UI tests share: a store, a window shown and drawn, the
 * text a person can read, screenshots (PFDO_SCREENSHOT_DIR=DIR keeps a PNG
 * of each), and widgets found the way a person finds them: by their label.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-demo-region.h"
#include "pfdo-test-ui.h"
#include "pfdo-window.h"

PfdoStore *
pfdo_test_ui_store (gboolean seeded)
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
void
pfdo_test_ui_show (GtkWindow *window)
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

void
pfdo_test_ui_settle (GtkWindow *window)
{
  pfdo_test_ui_show (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
pfdo_test_ui_assert_shows (GtkWindow  *window,
                           const char *text)
{
  g_autofree char *all = NULL;

  pfdo_test_ui_settle (window);
  all = pfdo_test_ui_text (GTK_WIDGET (window));
  if (strstr (all, text) == NULL)
    g_error ("“%s” is not on the screen; it shows:\n%s", text, all);
}

void
pfdo_test_ui_screenshot (GtkWidget  *widget,
                         const char *name)
{
  const char *dir = g_getenv ("PFDO_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  /* What was changed last is drawn first. */
  if (GTK_IS_WINDOW (widget))
    pfdo_test_ui_show (GTK_WINDOW (widget));
  g_mkdir_with_parents (dir, 0700);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

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

/* The labels a person can read in a widget tree: those on the screen. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

char *
pfdo_test_ui_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

void
pfdo_test_ui_destroy (GtkWindow *window)
{
  GtkWidget *weak = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &weak);
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* Nothing keeps the window alive once it is closed. */
  g_assert_null (weak);
}

/* A shown top-level window of @type, or %NULL. */
GtkWindow *
pfdo_test_ui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return GTK_WINDOW (window);
    }
  return NULL;
}

AdwMessageDialog *
pfdo_test_ui_find_dialog (void)
{
  return (AdwMessageDialog *) pfdo_test_ui_find_window (ADW_TYPE_MESSAGE_DIALOG);
}

AdwMessageDialog *
pfdo_test_ui_wait_for_dialog (void)
{
  AdwMessageDialog *dialog;

  while ((dialog = pfdo_test_ui_find_dialog ()) == NULL)
    g_main_context_iteration (NULL, TRUE);
  pfdo_test_ui_show (GTK_WINDOW (dialog));
  return dialog;
}

GtkWidget *
pfdo_test_ui_find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pfdo_test_ui_find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
pfdo_test_ui_find_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pfdo_test_ui_find_text (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* GTK and the desk's translations for a UI test program: in Russian, on a
 * display (the suite runs under Xvfb). */
void
pfdo_test_ui_init (int    *argc,
                   char ***argv)
{
  const char *localedir = g_getenv ("PFDO_LOCALEDIR");

  /* The desk speaks Russian; gtk_test_init() would force English. */
  g_setenv ("LANGUAGE", "ru", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (argc, argv, NULL);
  /* No display is a broken set-up, not a skip. */
  if (!gtk_init_check ())
    g_error ("No display: run the suite with xvfb-run (build-aux/dev test does).");
  adw_init ();
  /* What a test looks at is the end of a change, not the animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* The application adds its icons itself; here there is no application. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/ru/pfdo/Desk/icons");
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type,
           gboolean   shown)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (!shown || gtk_widget_get_mapped (widget)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type, shown);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first widget of @type under @widget, depth first, or NULL. */
GtkWidget *
pfdo_test_ui_find_type (GtkWidget *widget,
                        GType      type)
{
  return find_type (widget, type, FALSE);
}

/* The same, among the widgets on the screen only. */
GtkWidget *
pfdo_test_ui_find_shown (GtkWidget *widget,
                         GType      type)
{
  return find_type (widget, type, TRUE);
}
