/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-search.h"

G_BEGIN_DECLS

/* Everything the verification desk shows of one child: the child, the
 * parent, the decision and the certificate. Dates are ISO 8601. */
typedef struct
{
  char *id;
  char *last_name;
  char *first_name;
  char *middle_name;
  char *birth_date;
  char *sex;
  char *snils;
  char *document_type;
  char *document_series;
  char *document_number;
  char *address;
  char *municipality_id;
  char *municipality_name;
  char *created_at;
  char *verification_status;
  char *verification_decided_at;
  char *verification_reason;
  char *verification_operator_name;
  char *parent_id;
  char *parent_last_name;
  char *parent_first_name;
  char *parent_middle_name;
  char *parent_phone;
  char *parent_email;
  char *certificate_id;        /* NULL when the child has none */
  char *certificate_number;
  char *certificate_status;
} PfdoChildCard;

void           pfdo_child_card_free (PfdoChildCard  *card);
PfdoChildCard *pfdo_child_card_load (PfdoStore      *store,
                                     const char     *child_id,
                                     GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoChildCard, pfdo_child_card_free)

G_END_DECLS
