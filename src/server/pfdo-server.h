/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

/* Request bodies above this are refused with 413 (REGIONAL_API.md). */
#define PFDO_SERVER_MAX_BODY (8 * 1024 * 1024)

/* Failed sign-ins of one login before it is throttled, and for how long. */
#define PFDO_SERVER_MAX_FAILURES 5
#define PFDO_SERVER_THROTTLE_S   600

#define PFDO_TYPE_SERVER (pfdo_server_get_type ())

G_DECLARE_FINAL_TYPE (PfdoServer, pfdo_server, PFDO, SERVER, GObject)

PfdoServer *pfdo_server_new             (PfdoStore    *store,
                                         GError      **error);
void        pfdo_server_set_token_ttl   (PfdoServer   *self,
                                         gint64        seconds);
void        pfdo_server_set_tls_certificate (PfdoServer      *self,
                                             GTlsCertificate *certificate);
gboolean    pfdo_server_listen          (PfdoServer   *self,
                                         const char   *host,
                                         guint16       port,
                                         guint16      *out_port,
                                         GError      **error);

/* Accounts, kept in the operator table with Argon2id password hashes. */
gboolean    pfdo_server_operator_add    (PfdoStore    *store,
                                         const char   *login,
                                         const char   *full_name,
                                         const char   *role,
                                         const char   *municipality_id,
                                         const char   *office_id,
                                         const char   *password,
                                         GError      **error);
gboolean    pfdo_server_operator_disable (PfdoStore   *store,
                                          const char  *login,
                                          GError     **error);

G_END_DECLS
