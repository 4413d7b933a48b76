/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

gboolean pfdo_operator_keep_password (PfdoStore   *store,
                                      const char  *login,
                                      const char  *password,
                                      GError     **error);
gboolean pfdo_operator_sign_in       (PfdoStore   *store,
                                      const char  *login,
                                      const char  *password,
                                      GError     **error);
char    *pfdo_operator_dup_full_name (PfdoStore   *store,
                                      const char  *operator_id);

G_END_DECLS
