/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer: the sync engine's reading of the server's answers on
 * arbitrary bytes. Each input is parsed as an answer, checked as a push
 * answer (with and without the operations it should answer) and as a
 * page of the feed; what passes is marked or applied to a real store
 * inside a transaction that is always rolled back, so that every input
 * meets the same store.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>

#include "pfdo-sync-private.h"

static PfdoStore *store;
static GPtrArray *op_ids;

typedef struct
{
  JsonArray *results;
  JsonArray *changes;
} Input;

static gboolean
apply_and_undo_cb (PfdoStore *store,
                   gpointer   user_data,
                   GError   **error)
{
  Input *input = user_data;
  PfdoSyncStats stats = { 0 };
  g_autoptr(GError) local_error = NULL;

  if (input->results != NULL)
    pfdo_sync_mark_results (store, input->results, &stats, &local_error);
  g_clear_error (&local_error);
  if (input->changes != NULL)
    pfdo_sync_apply_changes (store, input->changes, &stats, &local_error);

  /* Always undone: the next input meets the same store. */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "undo");
  return FALSE;
}

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pfdo-fuzz-sync-json-XXXXXX", &error);
  g_autofree char *path = NULL;

  /* A critical warning is a bug the fuzzer found. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_assert_no_error (error);
  path = g_build_filename (dir, "desk.sqlite", NULL);
  store = pfdo_store_open (path, &error);
  g_assert_no_error (error);
  /* Three operations waiting, as the sample answer answers them. */
  g_assert_true (pfdo_store_exec (store,
                                  "INSERT INTO outbox (op_id, type, at, payload, entity, "
                                  "entity_id) VALUES ('a', 'child.verify', '2026-09-03T09:00:00Z', "
                                  "'{}', 'child', 'c1'), ('b', 'certificate.issue', "
                                  "'2026-09-03T09:05:00Z', '{}', 'certificate', 'x1'), "
                                  "('c', 'certificate.activate', '2026-09-03T09:06:00Z', '{}', "
                                  "'certificate', 'x1')",
                                  &error));
  g_assert_no_error (error);
  op_ids = g_ptr_array_new ();
  g_ptr_array_add (op_ids, (gpointer) "a");
  g_ptr_array_add (op_ids, (gpointer) "b");
  g_ptr_array_add (op_ids, (gpointer) "c");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  Input input = { 0 };
  const char *cursor = NULL;
  gboolean more = FALSE;

  root = pfdo_sync_parse_answer ((const char *) data, size, NULL);
  if (root == NULL)
    return 0;

  pfdo_sync_check_results (root, op_ids, NULL, NULL);
  if (!pfdo_sync_check_results (root, NULL, &input.results, NULL))
    input.results = NULL;
  if (!pfdo_sync_check_page (root, &input.changes, &cursor, &more, NULL))
    input.changes = NULL;
  if (input.results != NULL || input.changes != NULL)
    pfdo_store_write (store, apply_and_undo_cb, &input, NULL);
  return 0;
}
