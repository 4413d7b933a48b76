/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* The regional server's session token, sealed in the store with a key
 * derived from the operator's password: for a desk without a keyring. */
gboolean  pfdo_secrets_seal_token        (PfdoStore   *store,
                                          const char  *server,
                                          const char  *login,
                                          const char  *token,
                                          const char  *password,
                                          GError     **error);
char     *pfdo_secrets_open_token        (PfdoStore   *store,
                                          const char  *server,
                                          const char  *login,
                                          const char  *password,
                                          GError     **error);
gboolean  pfdo_secrets_has_token         (PfdoStore   *store,
                                          const char  *server,
                                          const char  *login);
gboolean  pfdo_secrets_forget_token      (PfdoStore   *store,
                                          const char  *server,
                                          const char  *login,
                                          GError     **error);

/* The operator's password against the hash kept at the last online
 * sign-in, without signing anyone in or out: for unlocking the desk. */
char     *pfdo_secrets_dup_password_hash (PfdoStore   *store,
                                          const char  *operator_id);
gboolean  pfdo_secrets_verify_password   (const char  *hash,
                                          const char  *password);

/* Overwrites @secret before it is freed. */
void      pfdo_secrets_wipe              (char       **secret);

G_END_DECLS
