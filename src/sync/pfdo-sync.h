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
  PFDO_SYNC_ERROR_TLS,            /* the server's certificate is not trusted */
  PFDO_SYNC_ERROR_AUDIT_DIVERGED, /* the server saw this desk's audit log rewritten */
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

typedef enum
{
  PFDO_SYNC_PHASE_IDLE,
  PFDO_SYNC_PHASE_SIGN_IN,
  PFDO_SYNC_PHASE_PUSH,      /* done and total: operations */
  PFDO_SYNC_PHASE_PULL,      /* done: changes applied; total unknown (0) */
} PfdoSyncPhase;

#define PFDO_TYPE_SYNC_PHASE (pfdo_sync_phase_get_type ())

/* Called on the syncing thread, between two steps. */
typedef void (*PfdoSyncProgressFunc) (PfdoSyncPhase phase,
                                      guint         done,
                                      guint         total,
                                      gpointer      user_data);

/* Called on the syncing thread with each new session token, or with %NULL
 * when the one given in PfdoSyncOptions.token was refused. */
typedef void (*PfdoSyncTokenFunc) (const char *token,
                                   gpointer    user_data);

typedef struct
{
  const char          *ca_file;      /* a regional CA (PEM) instead of the system's; nullable */
  gboolean             allow_plain_http;  /* http:// to another machine; see pfdo-transport.h */
  guint                min_numbers;  /* unused leased numbers to keep; 0: the default, 50 */
  guint                timeout_s;    /* per request; 0: the default, 30 */
  PfdoSyncProgressFunc progress;
  gpointer             progress_data;
  const char          *token;        /* a session token kept from before; nullable */
  PfdoSyncTokenFunc    token_func;   /* to keep the new one; nullable */
  gpointer             token_data;
} PfdoSyncOptions;

GQuark    pfdo_sync_error_quark  (void);
GType     pfdo_sync_phase_get_type (void);

/* One whole sync: sign in, push the outbox in batches of at most 500,
 * oldest first, anchor the audit log's head on the server, then pull the
 * changes feed page by page, each page in one transaction with its cursor.
 * Blocking: run it in a worker thread. A diverged audit log does not stop
 * the sync: it ends with %PFDO_SYNC_ERROR_AUDIT_DIVERGED once the rest is
 * done. */
gboolean  pfdo_sync_run          (PfdoStore      *store,
                                  const char     *base_uri,
                                  const char     *login,
                                  const char     *password,
                                  PfdoSyncStats  *out_stats,
                                  GCancellable   *cancellable,
                                  GError        **error);
/* The same, with @options (nullable). With options->token the sync uses
 * that session and signs in only if the server refuses it; @password may
 * then be %NULL, and a refused token is PFDO_SYNC_ERROR_UNAUTHORIZED. */
gboolean  pfdo_sync_run_full     (PfdoStore             *store,
                                  const char            *base_uri,
                                  const char            *login,
                                  const char            *password,
                                  const PfdoSyncOptions *options,
                                  PfdoSyncStats         *out_stats,
                                  GCancellable          *cancellable,
                                  GError               **error);

G_END_DECLS
