/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

/* The anchor of the desk's audit chain on the regional server
 * (REGIONAL_API.md, "Audit anchors"): what is sent, and what the answer
 * means. The sync engine makes the call. */
char     *pfdo_audit_anchor_dup_body  (PfdoStore  *store,
                                       GError    **error);
gboolean  pfdo_audit_anchor_answer    (guint       status,
                                       JsonNode   *root,
                                       GError    **error);

G_END_DECLS
