/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

gboolean  pfdo_server_ledger_run  (PfdoStore    *store,
                                   const char   *job_name,
                                   const char   *argument,
                                   guint        *out_written,
                                   GError      **error);

G_END_DECLS
