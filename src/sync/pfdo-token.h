/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* Where the regional server's session token is kept between runs. */
typedef enum
{
  PFDO_TOKEN_KEEPING_MEMORY,    /* nowhere: it lives as long as the syncer */
  PFDO_TOKEN_KEEPING_STORE,     /* sealed in the store, with a key from the password */
  PFDO_TOKEN_KEEPING_KEYRING,   /* the Secret Service where one is unlocked, else the store */
} PfdoTokenKeeping;

#define PFDO_TYPE_TOKEN_KEEPING (pfdo_token_keeping_get_type ())

GType     pfdo_token_keeping_get_type (void);

/* Blocking (D-Bus, Argon2id): call them off the main thread. */
gboolean  pfdo_token_keep     (PfdoTokenKeeping   keeping,
                               PfdoStore         *store,
                               const char        *server,
                               const char        *login,
                               const char        *token,
                               const char        *password,
                               PfdoTokenKeeping  *out_kept,
                               GError           **error);
char     *pfdo_token_find     (PfdoTokenKeeping   keeping,
                               PfdoStore         *store,
                               const char        *server,
                               const char        *login,
                               const char        *password,
                               PfdoTokenKeeping  *out_found,
                               GError           **error);
void      pfdo_token_forget   (PfdoTokenKeeping   keeping,
                               PfdoStore         *store,
                               const char        *server,
                               const char        *login);

G_END_DECLS
