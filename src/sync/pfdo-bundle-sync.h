/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-bundle.h"
#include "pfdo-sync.h"

G_BEGIN_DECLS

/*
 * A sync carried on a USB stick: the offline desk exports its outbox, a
 * connected desk of the same municipality relays it to the server and
 * writes the reply, and the offline desk imports the reply as if it had
 * synced itself.
 */

/* What an export holds, for the window to say before it is written. */
typedef struct
{
  guint  operations;     /* pending operations carried */
  char  *bundle_id;
} PfdoBundleExport;

PfdoBundleExport *pfdo_bundle_export         (PfdoStore             *store,
                                              const char            *path,
                                              const char            *passphrase,
                                              GCancellable          *cancellable,
                                              GError               **error);
void              pfdo_bundle_export_free    (PfdoBundleExport      *export);

gboolean          pfdo_bundle_relay          (PfdoStore             *store,
                                              const char            *path,
                                              const char            *passphrase,
                                              const char            *base_uri,
                                              const char            *login,
                                              const char            *password,
                                              const PfdoSyncOptions *options,
                                              const char            *reply_path,
                                              PfdoSyncStats         *out_stats,
                                              GCancellable          *cancellable,
                                              GError               **error);

gboolean          pfdo_bundle_import_reply   (PfdoStore             *store,
                                              const char            *path,
                                              const char            *passphrase,
                                              const PfdoSyncOptions *options,
                                              PfdoSyncStats         *out_stats,
                                              GCancellable          *cancellable,
                                              GError               **error);

gboolean          pfdo_bundle_check_for_desk (PfdoStore             *store,
                                              const PfdoBundleInfo  *info,
                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoBundleExport, pfdo_bundle_export_free)

G_END_DECLS
