/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

gboolean pfdo_certificate_issue_in_write (PfdoStore   *store,
                                          const char  *child_id,
                                          char       **out_certificate_id,
                                          char       **out_number,
                                          GError     **error);

G_END_DECLS
