/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-audit-item.h"

/*
 * One record of the audit log as a row of the audit view shows it: the
 * local time, the operator's name, the action in words, the child the
 * record is about (its name looked up when the page was read: the log
 * holds ids only) and the change it made.
 */

struct _PfdoAuditItem
{
  GObject  parent_instance;

  gint64   seq;
  char    *time;
  char    *operator;
  char    *action;
  char    *subject;
  char    *detail;
};

G_DEFINE_FINAL_TYPE (PfdoAuditItem, pfdo_audit_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME,
  PROP_OPERATOR,
  PROP_ACTION,
  PROP_SUBJECT,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pfdo_audit_item_finalize (GObject *object)
{
  PfdoAuditItem *self = PFDO_AUDIT_ITEM (object);

  g_free (self->time);
  g_free (self->operator);
  g_free (self->action);
  g_free (self->subject);
  g_free (self->detail);

  G_OBJECT_CLASS (pfdo_audit_item_parent_class)->finalize (object);
}

static void
pfdo_audit_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PfdoAuditItem *self = PFDO_AUDIT_ITEM (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_string (value, self->time);
      break;
    case PROP_OPERATOR:
      g_value_set_string (value, self->operator);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_audit_item_class_init (PfdoAuditItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pfdo_audit_item_finalize;
  object_class->get_property = pfdo_audit_item_get_property;

  properties[PROP_TIME] =
    g_param_spec_string ("time", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPERATOR] =
    g_param_spec_string ("operator", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pfdo_audit_item_init (PfdoAuditItem *self)
{
}

static char *
format_time (const char *at)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) moment = at != NULL ? g_date_time_new_from_iso8601 (at, utc) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (moment == NULL)
    return g_strdup (at != NULL ? at : "");
  local = g_date_time_to_local (moment);
  return g_date_time_format (local, "%d.%m.%Y %H:%M:%S");
}

/**
 * pfdo_audit_item_new:
 * @record: (nullable): the record; %NULL for an empty row (the log changed
 *   under the list)
 */
PfdoAuditItem *
pfdo_audit_item_new (const PfdoAuditRecord *record)
{
  PfdoAuditItem *self = g_object_new (PFDO_TYPE_AUDIT_ITEM, NULL);

  if (record == NULL)
    return self;

  self->seq = record->seq;
  self->time = format_time (record->at);
  if (record->operator_name != NULL)
    self->operator = g_strdup (record->operator_name);
  else if (record->operator_id != NULL)
    /* Translators: an operator this desk has no name for, by id. */
    self->operator = g_strdup_printf (_("operator %s"), record->operator_id);
  else
    self->operator = g_strdup (_("no operator"));
  self->action = g_strdup (pfdo_audit_action_label (record->action, record->detail));
  if (record->child_name != NULL)
    self->subject = g_strdup (record->child_name);
  else if (record->child_id != NULL)
    self->subject = g_strdup (_("a child not in this store"));
  else
    self->subject = g_strdup ("");
  self->detail = pfdo_audit_detail_text (record);
  if (self->detail == NULL)
    self->detail = g_strdup ("");
  return self;
}

gint64
pfdo_audit_item_get_seq (PfdoAuditItem *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_ITEM (self), 0);

  return self->seq;
}

const char *
pfdo_audit_item_get_time (PfdoAuditItem *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_ITEM (self), NULL);

  return self->time;
}

const char *
pfdo_audit_item_get_operator (PfdoAuditItem *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_ITEM (self), NULL);

  return self->operator;
}

const char *
pfdo_audit_item_get_action (PfdoAuditItem *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_ITEM (self), NULL);

  return self->action;
}

const char *
pfdo_audit_item_get_subject (PfdoAuditItem *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_ITEM (self), NULL);

  return self->subject;
}

const char *
pfdo_audit_item_get_detail (PfdoAuditItem *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_ITEM (self), NULL);

  return self->detail;
}
