/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-domain"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pfdo-domain-private.h"
#include "pfdo-error.h"

char *
pfdo_column_dup (sqlite3_stmt *stmt,
                 int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The first column of the first row as text; %NULL when there is no row
 * (without an error) or on failure (with @error set). */
char *
pfdo_query_text (PfdoStore  *store,
                 const char *sql,
                 const char *param,
                 GError    **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, error);
  char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = pfdo_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    pfdo_store_set_error (store, rc, error);
  sqlite3_reset (stmt);
  return value;
}

/* A desk acts on the personal data of its operator's municipality only. */
gboolean
pfdo_check_scope (PfdoStore  *store,
                  const char *municipality_id,
                  GError    **error)
{
  const char *own = pfdo_store_get_operator_municipality_id (store);

  if (own != NULL && g_strcmp0 (own, municipality_id) != 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("This record belongs to another municipality."));
      return FALSE;
    }
  return TRUE;
}
