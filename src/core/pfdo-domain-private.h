/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-roles.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

/* Helpers shared by the domain modules; not part of the core's API. */

char     *pfdo_query_text       (PfdoStore   *store,
                                 const char  *sql,
                                 const char  *param,
                                 GError     **error);
gboolean  pfdo_check_scope      (PfdoStore   *store,
                                 const char  *municipality_id,
                                 GError     **error);
char     *pfdo_column_dup       (sqlite3_stmt *stmt,
                                 int           column);

G_END_DECLS
