/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pfdo-sync.h"

G_BEGIN_DECLS

/*
 * The steps of a sync that the sync bundles share with the network sync,
 * so that a bundle's results and changes land exactly as a sync's would;
 * and the parsers of the server's answers, on their own for the fuzzer.
 */

JsonNode *pfdo_sync_parse_answer   (const char      *data,
                                    gsize            size,
                                    GError         **error);
gboolean  pfdo_sync_check_results  (JsonNode        *root,
                                    GPtrArray       *op_ids,
                                    JsonArray      **out_results,
                                    GError         **error);
gboolean  pfdo_sync_check_page     (JsonNode        *root,
                                    JsonArray      **out_changes,
                                    const char     **out_cursor,
                                    gboolean        *out_more,
                                    GError         **error);
gboolean  pfdo_sync_check_operation (JsonNode       *operation);

/* Inside the caller's pfdo_store_write(). */
gboolean  pfdo_sync_mark_results   (PfdoStore       *store,
                                    JsonArray       *results,
                                    PfdoSyncStats   *stats,
                                    GError         **error);
gboolean  pfdo_sync_apply_changes  (PfdoStore       *store,
                                    JsonArray       *changes,
                                    PfdoSyncStats   *stats,
                                    GError         **error);

/* What an offline desk sent on a bundle, and where the answers go. */
typedef struct
{
  const char *device_id;      /* the offline desk's */
  const char *operator_id;    /* its operator: the origin of operations that name none */
  JsonArray  *operations;     /* op_id, type, at, payload, operator_id; checked */
  const char *since;          /* its cursor; NULL: from the start */
  gint64      numbers_left;   /* its unused certificate numbers; < 0: lease none */

  /* Once signed in, before anything is sent: FALSE refuses the relay. */
  gboolean  (*signed_in) (JsonObject  *operator,
                          const char  *region,
                          gpointer     data,
                          GError     **error);
  /* Each answer to a batch, and each page of the feed, as they come. */
  gboolean  (*results)   (JsonNode    *answer,
                          gpointer     data,
                          GError     **error);
  gboolean  (*page)      (JsonNode    *page,
                          gpointer     data,
                          GError     **error);
  gpointer    data;
} PfdoSyncRelay;

gboolean  pfdo_sync_relay          (PfdoStore             *store,
                                    const char            *base_uri,
                                    const char            *login,
                                    const char            *password,
                                    const PfdoSyncOptions *options,
                                    const PfdoSyncRelay   *relay,
                                    char                 **out_cursor,
                                    PfdoSyncStats         *out_stats,
                                    GCancellable          *cancellable,
                                    GError               **error);

G_END_DECLS
