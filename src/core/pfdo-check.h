/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

GPtrArray *pfdo_check_run          (PfdoStore  *store,
                                    GError    **error);
gboolean   pfdo_check_audit_chain  (PfdoStore  *store,
                                    gint64     *out_broken_seq,
                                    GError    **error);

G_END_DECLS
