/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-children"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stddef.h>

#include "pfdo-child-card.h"
#include "pfdo-domain-private.h"
#include "pfdo-error.h"

/*
 * What the walk-in desk reads: one child's card, and the queue of children
 * who wait for their data to be confirmed, oldest registration first.
 */

/* The card's fields in the order of the query's columns. */
static const gsize card_fields[] = {
  G_STRUCT_OFFSET (PfdoChildCard, id),
  G_STRUCT_OFFSET (PfdoChildCard, last_name),
  G_STRUCT_OFFSET (PfdoChildCard, first_name),
  G_STRUCT_OFFSET (PfdoChildCard, middle_name),
  G_STRUCT_OFFSET (PfdoChildCard, birth_date),
  G_STRUCT_OFFSET (PfdoChildCard, sex),
  G_STRUCT_OFFSET (PfdoChildCard, snils),
  G_STRUCT_OFFSET (PfdoChildCard, document_type),
  G_STRUCT_OFFSET (PfdoChildCard, document_series),
  G_STRUCT_OFFSET (PfdoChildCard, document_number),
  G_STRUCT_OFFSET (PfdoChildCard, address),
  G_STRUCT_OFFSET (PfdoChildCard, municipality_id),
  G_STRUCT_OFFSET (PfdoChildCard, municipality_name),
  G_STRUCT_OFFSET (PfdoChildCard, created_at),
  G_STRUCT_OFFSET (PfdoChildCard, verification_status),
  G_STRUCT_OFFSET (PfdoChildCard, verification_decided_at),
  G_STRUCT_OFFSET (PfdoChildCard, verification_reason),
  G_STRUCT_OFFSET (PfdoChildCard, verification_operator_name),
  G_STRUCT_OFFSET (PfdoChildCard, parent_id),
  G_STRUCT_OFFSET (PfdoChildCard, parent_last_name),
  G_STRUCT_OFFSET (PfdoChildCard, parent_first_name),
  G_STRUCT_OFFSET (PfdoChildCard, parent_middle_name),
  G_STRUCT_OFFSET (PfdoChildCard, parent_phone),
  G_STRUCT_OFFSET (PfdoChildCard, parent_email),
  G_STRUCT_OFFSET (PfdoChildCard, certificate_id),
  G_STRUCT_OFFSET (PfdoChildCard, certificate_number),
  G_STRUCT_OFFSET (PfdoChildCard, certificate_status),
};

#define CARD_FIELD(card, i) G_STRUCT_MEMBER (char *, card, card_fields[i])

void
pfdo_child_card_free (PfdoChildCard *card)
{
  if (card == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (card_fields); i++)
    g_free (CARD_FIELD (card, i));
  g_free (card);
}

static gboolean
audit_view_cb (PfdoStore *store,
               gpointer   user_data,
               GError   **error)
{
  return pfdo_store_audit (store, "child.view", "child", user_data, NULL, error);
}

/**
 * pfdo_child_card_load:
 *
 * Reads one child's card, for a signed-in operator. A child of another
 * municipality than the operator's is not shown. The card holds the whole
 * SNILS and document, so every card read is an audit record (`child.view`,
 * the operator, the time and the child's id); a card that cannot be
 * recorded is not given.
 *
 * Returns: (transfer full): the card, or %NULL with @error set
 */
PfdoChildCard *
pfdo_child_card_load (PfdoStore   *store,
                      const char  *child_id,
                      GError     **error)
{
  g_autoptr(PfdoChildCard) card = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);
  g_return_val_if_fail (child_id != NULL, NULL);

  if (!pfdo_require_action (store, PFDO_ACTION_CHILD_VIEW, error))
    return NULL;
  stmt = pfdo_store_prepare (store,
                             "SELECT c.id, c.last_name, c.first_name, c.middle_name, c.birth_date, "
                             "c.sex, c.snils, c.document_type, c.document_series, "
                             "c.document_number, c.address, c.municipality_id, m.name, "
                             "c.created_at, c.verification_status, c.verification_decided_at, "
                             "c.verification_reason, o.full_name, p.id, p.last_name, "
                             "p.first_name, p.middle_name, p.phone, p.email, z.id, z.number, "
                             "z.status "
                             "FROM child c JOIN parent p ON p.id = c.parent_id "
                             "LEFT JOIN municipality m ON m.id = c.municipality_id "
                             "LEFT JOIN operator o ON o.id = c.verification_operator_id "
                             "LEFT JOIN certificate z ON z.child_id = c.id WHERE c.id = ?",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, child_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      card = g_new0 (PfdoChildCard, 1);
      for (guint i = 0; i < G_N_ELEMENTS (card_fields); i++)
        CARD_FIELD (card, i) = pfdo_column_dup (stmt, (int) i);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("The child was not found."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      return NULL;
    }
  if (!pfdo_check_scope (store, card->municipality_id, error) ||
      !pfdo_store_write (store, audit_view_cb, card->id, error))
    return NULL;
  return g_steal_pointer (&card);
}
