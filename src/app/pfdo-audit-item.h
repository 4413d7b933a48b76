/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pfdo-audit.h"

G_BEGIN_DECLS

#define PFDO_TYPE_AUDIT_ITEM (pfdo_audit_item_get_type ())

G_DECLARE_FINAL_TYPE (PfdoAuditItem, pfdo_audit_item, PFDO, AUDIT_ITEM, GObject)

PfdoAuditItem *pfdo_audit_item_new          (const PfdoAuditRecord *record);
gint64         pfdo_audit_item_get_seq      (PfdoAuditItem         *self);
const char    *pfdo_audit_item_get_time     (PfdoAuditItem         *self);
const char    *pfdo_audit_item_get_operator (PfdoAuditItem         *self);
const char    *pfdo_audit_item_get_action   (PfdoAuditItem         *self);
const char    *pfdo_audit_item_get_subject  (PfdoAuditItem         *self);
const char    *pfdo_audit_item_get_detail   (PfdoAuditItem         *self);

G_END_DECLS
