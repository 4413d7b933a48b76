/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_SYNC_ERROR (pfdo_sync_error_quark ())

typedef enum
{
  PFDO_SYNC_ERROR_NETWORK,        /* could not reach the server: retry later */
  PFDO_SYNC_ERROR_UNAUTHORIZED,   /* the password is wrong or the token expired */
  PFDO_SYNC_ERROR_THROTTLED,      /* too many failed sign-ins */
  PFDO_SYNC_ERROR_PROTOCOL,       /* the server answered what the contract does not allow */
  PFDO_SYNC_ERROR_SERVER,         /* 5xx, after the retries */
} PfdoSyncError;

typedef struct
{
  guint pushed;       /* operations sent */
  guint applied;
  guint duplicates;
  guint rejected;
  guint pulled;       /* changes applied to the store */
  guint pages;
} PfdoSyncStats;

GQuark    pfdo_sync_error_quark  (void);

/* One whole sync: sign in, push the outbox in batches of at most 500,
 * oldest first, then pull the changes feed page by page, each page in one
 * transaction with its cursor. Blocking: run it in a worker thread. */
gboolean  pfdo_sync_run          (PfdoStore      *store,
                                  const char     *base_uri,
                                  const char     *login,
                                  const char     *password,
                                  PfdoSyncStats  *out_stats,
                                  GCancellable   *cancellable,
                                  GError        **error);

G_END_DECLS
