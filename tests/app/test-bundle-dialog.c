/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transfer dialogs as a clerk uses them, on real widgets under Xvfb,
 * with the real pfdo-regiond: export on an offline desk, send and reply
 * on a connected one, import the reply back; a wrong passphrase said, and
 * nothing applied until the right one.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pfdo-bundle-dialog.h"
#include "pfdo-children.h"
#include "pfdo-sync.h"
#include "pfdo-test-server.h"
#include "pfdo-test-ui.h"

#define PASSWORD   "пароль-окна"
#define PASSPHRASE "ключ от флешки 2026"

static void
finished_cb (PfdoBundleDialog *dialog,
             gboolean          ok,
             int              *result)
{
  *result = ok ? 1 : 0;
}

static void
applied_cb (PfdoBundleDialog *dialog,
            guint            *applied)
{
  (*applied)++;
}

/* Clicks @label and waits for the work to end; whether it was done. */
static gboolean
run (PfdoBundleDialog *dialog,
     const char       *label)
{
  GtkWidget *button = pfdo_test_ui_find_button (GTK_WIDGET (dialog), label);
  int result = -1;
  gulong handler;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  handler = g_signal_connect (dialog, "finished", G_CALLBACK (finished_cb), &result);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (pfdo_bundle_dialog_get_busy (dialog));
  while (result < 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (dialog, handler);
  g_assert_cmpint (result, >=, 0);
  g_assert_false (pfdo_bundle_dialog_get_busy (dialog));
  return result == 1;
}

/* The password rows of @dialog, in order. */
static void
collect_password_rows (GtkWidget *widget,
                       GPtrArray *rows)
{
  if (ADW_IS_PASSWORD_ENTRY_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_password_rows (child, rows);
}

static GtkEditable *
password_row (PfdoBundleDialog *dialog,
              guint             index)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_password_rows (GTK_WIDGET (dialog), rows);
  g_assert_cmpuint (index, <, rows->len);
  return GTK_EDITABLE (g_ptr_array_index (rows, index));
}

static gint64
pending (PfdoStore *store)
{
  return pfdo_store_query_int (store, "SELECT count(*) FROM outbox WHERE state = 'pending'",
                               NULL, NULL);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-bundle-dialog-XXXXXX", NULL);
  g_autofree char *base = NULL;
  g_autofree char *offline_path = g_build_filename (dir, "offline.sqlite", NULL);
  g_autofree char *connected_path = g_build_filename (dir, "connected.sqlite", NULL);
  g_autofree char *export_path = g_build_filename (dir, "export.pfdobundle", NULL);
  g_autofree char *reply_path = g_build_filename (dir, "reply.pfdobundle", NULL);
  g_autofree char *child = NULL;
  g_autofree char *municipality = NULL;
  g_autoptr(PfdoStore) offline = NULL;
  g_autoptr(PfdoStore) connected = NULL;
  g_autoptr(PfdoSyncer) syncer = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *server = pfdo_test_server_start (dir, PASSWORD, NULL, &base);
  PfdoBundleDialog *dialog;
  GtkWidget *button;
  guint applied = 0;
  sqlite3_stmt *stmt;

  offline = pfdo_store_open (offline_path, &error);
  connected = pfdo_store_open (connected_path, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_sync_run (offline, base, "ivanova", PASSWORD, NULL, NULL, &error));
  g_assert_true (pfdo_sync_run (connected, base, "petrov", PASSWORD, NULL, NULL, &error));
  g_assert_true (pfdo_store_set_operator_login (offline, "ivanova", &error));
  g_assert_true (pfdo_store_set_operator_login (connected, "petrov", &error));
  g_assert_no_error (error);

  /* Offline, a clerk confirms a child. */
  municipality = pfdo_store_dup_setting (offline, "municipality_id");
  stmt = pfdo_store_prepare (offline, "SELECT id FROM child WHERE verification_status = "
                                      "'unverified' AND municipality_id = ? ORDER BY id LIMIT 1",
                             &error);
  sqlite3_bind_text (stmt, 1, municipality, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  child = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_assert_true (pfdo_child_verify (offline, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_cmpint (pending (offline), ==, 1);

  /* Export: nothing until the file and two equal, long enough passphrases. */
  dialog = pfdo_bundle_dialog_new_export (NULL, offline);
  pfdo_test_ui_show (GTK_WINDOW (dialog));
  button = pfdo_test_ui_find_button (GTK_WIDGET (dialog), _("_Export"));
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));
  pfdo_bundle_dialog_set_file (dialog, export_path);
  gtk_editable_set_text (password_row (dialog, 0), "короткий");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_nonnull (pfdo_bundle_dialog_get_message (dialog));
  gtk_editable_set_text (password_row (dialog, 0), PASSPHRASE);
  gtk_editable_set_text (password_row (dialog, 1), "ключ от флешки 2027");
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_editable_set_text (password_row (dialog, 1), PASSPHRASE);
  g_assert_true (gtk_widget_get_sensitive (button));
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "bundle-export.png");
  g_assert_true (run (dialog, _("_Export")));
  g_assert_nonnull (strstr (pfdo_bundle_dialog_get_message (dialog), "export.pfdobundle"));
  g_assert_true (g_file_test (export_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (pending (offline), ==, 1);
  pfdo_test_ui_destroy (GTK_WINDOW (dialog));

  /* A connected desk sends it and writes the reply. */
  syncer = pfdo_syncer_new (connected);
  pfdo_syncer_set_server (syncer, base, NULL);
  pfdo_syncer_set_credentials (syncer, "petrov", NULL);
  dialog = pfdo_bundle_dialog_new_import (NULL, connected, syncer);
  pfdo_test_ui_show (GTK_WINDOW (dialog));
  pfdo_bundle_dialog_set_file (dialog, export_path);
  pfdo_bundle_dialog_set_reply_file (dialog, reply_path);
  gtk_editable_set_text (password_row (dialog, 0), PASSPHRASE);
  button = pfdo_test_ui_find_button (GTK_WIDGET (dialog), _("_Send and Write the Reply"));
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_editable_set_text (password_row (dialog, 2), PASSWORD);
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "bundle-relay.png");
  g_assert_true (run (dialog, _("_Send and Write the Reply")));
  g_assert_true (g_file_test (reply_path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (pfdo_bundle_dialog_get_message (dialog), "reply.pfdobundle"));
  pfdo_test_ui_destroy (GTK_WINDOW (dialog));

  /* Back at the offline desk: a wrong passphrase is said and applies
   * nothing; the right one applies the reply. */
  dialog = pfdo_bundle_dialog_new_import (NULL, offline, NULL);
  g_signal_connect (dialog, "applied", G_CALLBACK (applied_cb), &applied);
  pfdo_test_ui_show (GTK_WINDOW (dialog));
  pfdo_bundle_dialog_set_file (dialog, reply_path);
  gtk_editable_set_text (password_row (dialog, 0), "не тот ключ 2026");
  g_assert_false (run (dialog, _("_Import")));
  g_assert_nonnull (pfdo_bundle_dialog_get_message (dialog));
  g_assert_cmpuint (applied, ==, 0);
  g_assert_cmpint (pending (offline), ==, 1);
  gtk_editable_set_text (password_row (dialog, 0), PASSPHRASE);
  g_assert_true (run (dialog, _("_Import")));
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpint (pending (offline), ==, 0);
  pfdo_test_ui_screenshot (GTK_WIDGET (dialog), "bundle-imported.png");
  pfdo_test_ui_destroy (GTK_WINDOW (dialog));

  /* The reply again on the connected desk: refused as soon as it is chosen. */
  dialog = pfdo_bundle_dialog_new_import (NULL, connected, syncer);
  pfdo_test_ui_show (GTK_WINDOW (dialog));
  pfdo_bundle_dialog_set_file (dialog, reply_path);
  gtk_editable_set_text (password_row (dialog, 0), PASSPHRASE);
  button = pfdo_test_ui_find_button (GTK_WIDGET (dialog), _("_Import"));
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_nonnull (pfdo_bundle_dialog_get_message (dialog));
  pfdo_test_ui_destroy (GTK_WINDOW (dialog));

  g_clear_object (&syncer);
  pfdo_test_server_stop (server);
  g_clear_object (&offline);
  g_clear_object (&connected);
  pfdo_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  pfdo_test_ui_init (&argc, &argv);

  g_test_add_func ("/bundle-dialog/round-trip", test_round_trip);

  return g_test_run ();
}
