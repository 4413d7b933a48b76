/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_AUDIT_WINDOW (pfdo_audit_window_get_type ())

G_DECLARE_FINAL_TYPE (PfdoAuditWindow, pfdo_audit_window, PFDO, AUDIT_WINDOW, AdwWindow)

PfdoAuditWindow *pfdo_audit_window_new       (GtkWindow       *parent,
                                              PfdoStore       *store);
GListModel      *pfdo_audit_window_get_model (PfdoAuditWindow *self);

G_END_DECLS
