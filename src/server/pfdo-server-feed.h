/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* The changes feed: every write to an entity of the contract leaves a
 * numbered change, in one sequence under the store's single writer. */

gboolean  pfdo_server_feed_install  (PfdoStore    *store,
                                     GError      **error);

/* One page of changes after @since that the reader may see: catalog
 * entities everywhere, personal ones of @municipality_id only, number
 * blocks of @device_id only. Returns the JSON body of GET /changes. */
char     *pfdo_server_feed_page     (PfdoStore    *store,
                                     gint64        since,
                                     guint         limit,
                                     const char   *municipality_id,
                                     const char   *device_id,
                                     GError      **error);

typedef struct
{
  guint64 superseded;   /* changes a later change of the same row made useless */
  guint64 deletes;      /* deletes older than the retention */
  gint64  floor;        /* cursors below it now get cursor_expired */
} PfdoFeedPruneStats;

gboolean  pfdo_server_feed_prune    (PfdoStore           *store,
                                     guint                keep_days,
                                     PfdoFeedPruneStats  *out_stats,
                                     GError             **error);

G_END_DECLS
