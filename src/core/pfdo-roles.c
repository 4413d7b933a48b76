/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-roles"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pfdo-error.h"
#include "pfdo-roles.h"

/*
 * Who may do what. The core checks this table at the start of every
 * action, whatever the window shows or hides, and so does the regional
 * server, which runs the same core as the operator who pushed the
 * operation. The roles are ordered: each may do what the one before it
 * may, and more (REGIONAL_API.md, "Roles").
 *
 *   action                 school_staff  moc_clerk  moc_admin
 *   family.register             yes         yes        yes
 *   child.correct               yes         yes        yes
 *   child.view                  yes         yes        yes
 *   child.verify (and reject)    -          yes        yes
 *   certificate.issue           yes         yes        yes
 *   certificate.activate         -          yes        yes
 *   certificate.convert          -          yes        yes
 *   certificate.freeze           -          yes        yes
 *   certificate.unfreeze         -          yes        yes
 *   certificate.close            -          yes        yes
 *   enrollment.create            -          yes        yes
 *   enrollment.cancel            -          yes        yes
 *   number_block.add            yes         yes        yes
 *   meeting                     yes         yes        yes
 *   audit.view                   -           -         yes
 *
 * Nobody signed in may do none of them. README.md shows the same table;
 * tests/core/test-roles.c tries every cell.
 */

typedef struct
{
  PfdoAction  action;
  const char *name;
  PfdoRole    least;
  const char *what;   /* for the refusal: "… does not allow you to <what>" */
} Rule;

static const Rule rules[] = {
  { PFDO_ACTION_FAMILY_REGISTER, "family.register", PFDO_ROLE_SCHOOL_STAFF,
    N_("register families") },
  { PFDO_ACTION_CHILD_CORRECT, "child.correct", PFDO_ROLE_SCHOOL_STAFF,
    N_("correct a child’s data") },
  { PFDO_ACTION_CHILD_VIEW, "child.view", PFDO_ROLE_SCHOOL_STAFF,
    N_("open a child’s card") },
  { PFDO_ACTION_CHILD_VERIFY, "child.verify", PFDO_ROLE_MOC_CLERK,
    N_("confirm or reject a child’s data") },
  { PFDO_ACTION_CERTIFICATE_ISSUE, "certificate.issue", PFDO_ROLE_SCHOOL_STAFF,
    N_("issue certificates") },
  { PFDO_ACTION_CERTIFICATE_ACTIVATE, "certificate.activate", PFDO_ROLE_MOC_CLERK,
    N_("activate certificates") },
  { PFDO_ACTION_CERTIFICATE_CONVERT, "certificate.convert", PFDO_ROLE_MOC_CLERK,
    N_("change a certificate between accounting and personified") },
  { PFDO_ACTION_CERTIFICATE_FREEZE, "certificate.freeze", PFDO_ROLE_MOC_CLERK,
    N_("freeze certificates") },
  { PFDO_ACTION_CERTIFICATE_UNFREEZE, "certificate.unfreeze", PFDO_ROLE_MOC_CLERK,
    N_("unfreeze certificates") },
  { PFDO_ACTION_CERTIFICATE_CLOSE, "certificate.close", PFDO_ROLE_MOC_CLERK,
    N_("close certificates") },
  { PFDO_ACTION_ENROLLMENT_CREATE, "enrollment.create", PFDO_ROLE_MOC_CLERK,
    N_("enroll children in programs") },
  { PFDO_ACTION_ENROLLMENT_CANCEL, "enrollment.cancel", PFDO_ROLE_MOC_CLERK,
    N_("cancel enrollments") },
  { PFDO_ACTION_NUMBER_BLOCK_ADD, "number_block.add", PFDO_ROLE_SCHOOL_STAFF,
    N_("lease certificate numbers") },
  { PFDO_ACTION_MEETING, "meeting", PFDO_ROLE_SCHOOL_STAFF,
    N_("hold parent meetings") },
  { PFDO_ACTION_AUDIT_VIEW, "audit.view", PFDO_ROLE_MOC_ADMIN,
    N_("see the audit log") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (rules) == PFDO_N_ACTIONS);

static const Rule *
find_rule (PfdoAction action)
{
  g_assert ((guint) action < G_N_ELEMENTS (rules));
  g_assert (rules[action].action == action);
  return &rules[action];
}

/**
 * pfdo_action_to_string:
 *
 * Returns: the action's name, as in the table: `child.verify`
 */
const char *
pfdo_action_to_string (PfdoAction action)
{
  g_return_val_if_fail ((guint) action < PFDO_N_ACTIONS, NULL);

  return find_rule (action)->name;
}

/**
 * pfdo_action_get_role:
 *
 * Returns: the least role that may take @action
 */
PfdoRole
pfdo_action_get_role (PfdoAction action)
{
  g_return_val_if_fail ((guint) action < PFDO_N_ACTIONS, PFDO_ROLE_MOC_ADMIN);

  return find_rule (action)->least;
}

/**
 * pfdo_role_allows:
 *
 * Returns: whether an operator of @role may take @action; nobody signed in
 *   (%PFDO_ROLE_NONE) may take none
 */
gboolean
pfdo_role_allows (PfdoRole   role,
                  PfdoAction action)
{
  g_return_val_if_fail ((guint) action < PFDO_N_ACTIONS, FALSE);

  return role != PFDO_ROLE_NONE && role >= find_rule (action)->least;
}

/**
 * pfdo_role_describe:
 *
 * Returns: the role in the operator's words
 */
const char *
pfdo_role_describe (PfdoRole role)
{
  switch (role)
    {
    case PFDO_ROLE_SCHOOL_STAFF:
      return _("school staff");
    case PFDO_ROLE_MOC_CLERK:
      return _("МОЦ clerk");
    case PFDO_ROLE_MOC_ADMIN:
      return _("МОЦ administrator");
    case PFDO_ROLE_NONE:
    default:
      return _("nobody signed in");
    }
}

/**
 * pfdo_require_action:
 *
 * Refuses @action, with a message that says what and why, when nobody is
 * signed in (%PFDO_DOMAIN_ERROR_NO_OPERATOR) or when the operator's role
 * does not allow it (%PFDO_DOMAIN_ERROR_FORBIDDEN).
 */
gboolean
pfdo_require_action (PfdoStore   *store,
                     PfdoAction   action,
                     GError     **error)
{
  const Rule *rule;
  PfdoRole role;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) action < PFDO_N_ACTIONS, FALSE);

  rule = find_rule (action);
  role = pfdo_store_get_operator_role (store);
  if (pfdo_store_get_operator_id (store) == NULL)
    {
      /* Translators: "Sign in to <register families>." */
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR,
                   _("Sign in to %s."), _(rule->what));
      return FALSE;
    }
  if (!pfdo_role_allows (role, action))
    {
      /* Translators: "Your role does not allow you to <activate
       * certificates>: you are signed in as <school staff>." */
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN,
                   _("Your role does not allow you to %s: you are signed in as %s."),
                   _(rule->what), pfdo_role_describe (role));
      return FALSE;
    }
  return TRUE;
}
