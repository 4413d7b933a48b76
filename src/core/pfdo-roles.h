/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* What an operator can do at the desk; pfdo-roles.c holds the table of
 * which role may do which. */
typedef enum
{
  PFDO_ACTION_FAMILY_REGISTER,       /* a parent and children, with certificates */
  PFDO_ACTION_CHILD_CORRECT,         /* a rejected child's data */
  PFDO_ACTION_CHILD_VIEW,            /* the child's card, with the whole SNILS and document */
  PFDO_ACTION_CHILD_VERIFY,          /* confirm or reject the child's data */
  PFDO_ACTION_CERTIFICATE_ISSUE,
  PFDO_ACTION_CERTIFICATE_ACTIVATE,
  PFDO_ACTION_CERTIFICATE_CONVERT,
  PFDO_ACTION_CERTIFICATE_FREEZE,
  PFDO_ACTION_CERTIFICATE_UNFREEZE,
  PFDO_ACTION_CERTIFICATE_CLOSE,
  PFDO_ACTION_ENROLLMENT_CREATE,
  PFDO_ACTION_ENROLLMENT_CANCEL,
  PFDO_ACTION_NUMBER_BLOCK_ADD,      /* certificate numbers leased for the days offline */
  PFDO_ACTION_MEETING,               /* a parent meeting: start, type, save, import, close */
  PFDO_ACTION_AUDIT_VIEW,            /* who did what */
  PFDO_N_ACTIONS
} PfdoAction;

const char *pfdo_action_to_string  (PfdoAction   action);
PfdoRole    pfdo_action_get_role   (PfdoAction   action);
gboolean    pfdo_role_allows       (PfdoRole     role,
                                    PfdoAction   action);
const char *pfdo_role_describe     (PfdoRole     role);
gboolean    pfdo_require_action    (PfdoStore   *store,
                                    PfdoAction   action,
                                    GError     **error);

G_END_DECLS
