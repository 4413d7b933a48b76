/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificate-item.h"
#include "pfdo-text.h"

/*
 * One line of the register as the list shows it: small, with the text
 * already formatted, so that binding a row costs nothing but a label.
 */

struct _PfdoCertificateItem
{
  GObject  parent_instance;

  char    *id;
  char    *number;
  char    *child;
  char    *status;
  char    *status_label;
  char    *available;
  char    *period;
};

G_DEFINE_FINAL_TYPE (PfdoCertificateItem, pfdo_certificate_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_CHILD,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_AVAILABLE,
  PROP_PERIOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * pfdo_certificate_status_label:
 *
 * Returns: (transfer none): the certificate status in the operator's words
 */
const char *
pfdo_certificate_status_label (const char *status)
{
  if (g_strcmp0 (status, "issued") == 0)
    return _("Issued");
  if (g_strcmp0 (status, "accounting") == 0)
    return _("Accounting");
  if (g_strcmp0 (status, "personified") == 0)
    return _("Personified");
  if (g_strcmp0 (status, "frozen") == 0)
    return _("Frozen");
  if (g_strcmp0 (status, "closed") == 0)
    return _("Closed");
  return status != NULL ? status : "";
}

static void
pfdo_certificate_item_finalize (GObject *object)
{
  PfdoCertificateItem *self = PFDO_CERTIFICATE_ITEM (object);

  g_free (self->id);
  g_free (self->number);
  g_free (self->child);
  g_free (self->status);
  g_free (self->status_label);
  g_free (self->available);
  g_free (self->period);

  G_OBJECT_CLASS (pfdo_certificate_item_parent_class)->finalize (object);
}

static void
pfdo_certificate_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PfdoCertificateItem *self = PFDO_CERTIFICATE_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_CHILD:
      g_value_set_string (value, self->child);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, self->status_label);
      break;
    case PROP_AVAILABLE:
      g_value_set_string (value, self->available);
      break;
    case PROP_PERIOD:
      g_value_set_string (value, self->period);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_certificate_item_class_init (PfdoCertificateItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pfdo_certificate_item_finalize;
  object_class->get_property = pfdo_certificate_item_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_CHILD] = g_param_spec_string ("child", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  properties[PROP_AVAILABLE] = g_param_spec_string ("available", NULL, NULL, NULL, flags);
  properties[PROP_PERIOD] = g_param_spec_string ("period", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pfdo_certificate_item_init (PfdoCertificateItem *self)
{
}

/* Sets *@field to @value and notifies @prop when it really changed. */
static void
set_field (PfdoCertificateItem *self,
           char               **field,
           const char          *value,
           guint                prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * pfdo_certificate_item_update:
 *
 * Takes a row read again after a change; bound labels follow.
 */
void
pfdo_certificate_item_update (PfdoCertificateItem   *self,
                              const PfdoRegisterRow *row)
{
  g_autofree char *child = NULL;
  g_autofree char *available = NULL;

  g_return_if_fail (PFDO_IS_CERTIFICATE_ITEM (self));
  g_return_if_fail (row != NULL);

  child = g_strdup_printf ("%s %s", row->last_name != NULL ? row->last_name : "",
                           row->first_name != NULL ? row->first_name : "");
  available = pfdo_text_rubles (row->available);

  g_object_freeze_notify (G_OBJECT (self));
  set_field (self, &self->id, row->id, PROP_ID);
  set_field (self, &self->number, row->number, PROP_NUMBER);
  set_field (self, &self->child, child, PROP_CHILD);
  set_field (self, &self->status, row->status, PROP_STATUS);
  set_field (self, &self->status_label, pfdo_certificate_status_label (row->status),
             PROP_STATUS_LABEL);
  set_field (self, &self->available, available, PROP_AVAILABLE);
  set_field (self, &self->period, row->period, PROP_PERIOD);
  g_object_thaw_notify (G_OBJECT (self));
}

PfdoCertificateItem *
pfdo_certificate_item_new (const PfdoRegisterRow *row)
{
  PfdoCertificateItem *self = g_object_new (PFDO_TYPE_CERTIFICATE_ITEM, NULL);

  if (row != NULL)
    pfdo_certificate_item_update (self, row);
  return self;
}

const char *
pfdo_certificate_item_get_id (PfdoCertificateItem *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_ITEM (self), NULL);
  return self->id;
}

const char *
pfdo_certificate_item_get_number (PfdoCertificateItem *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_ITEM (self), NULL);
  return self->number;
}

const char *
pfdo_certificate_item_get_child (PfdoCertificateItem *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_ITEM (self), NULL);
  return self->child;
}

const char *
pfdo_certificate_item_get_status (PfdoCertificateItem *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_ITEM (self), NULL);
  return self->status;
}

const char *
pfdo_certificate_item_get_available (PfdoCertificateItem *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_ITEM (self), NULL);
  return self->available;
}

const char *
pfdo_certificate_item_get_period (PfdoCertificateItem *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_ITEM (self), NULL);
  return self->period;
}
