/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pfdo-audit-item.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_AUDIT_LIST (pfdo_audit_list_get_type ())

G_DECLARE_FINAL_TYPE (PfdoAuditList, pfdo_audit_list, PFDO, AUDIT_LIST, GObject)

PfdoAuditList *pfdo_audit_list_new              (void);
gboolean       pfdo_audit_list_set_filter       (PfdoAuditList         *self,
                                                 PfdoStore             *store,
                                                 const PfdoAuditFilter *filter,
                                                 GError               **error);
guint          pfdo_audit_list_get_pages_loaded (PfdoAuditList         *self);

G_END_DECLS
