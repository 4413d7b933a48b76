/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

/* Applies one pushed operation once, ever: the result of an op_id is kept
 * and answered again for a replay. Adds the result object to @builder;
 * %FALSE when the store failed and the batch must be sent again. */
gboolean  pfdo_server_ops_install  (PfdoStore    *store,
                                    GError      **error);
gboolean  pfdo_server_ops_apply    (PfdoStore    *store,
                                    const char   *operator_id,
                                    const char   *device_id,
                                    JsonNode     *operation,
                                    JsonBuilder  *builder);

G_END_DECLS
