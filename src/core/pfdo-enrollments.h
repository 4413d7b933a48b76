/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

gboolean  pfdo_enrollment_create  (PfdoStore   *store,
                                   const char  *certificate_id,
                                   const char  *group_id,
                                   guint        months,
                                   char       **out_enrollment_id,
                                   GError     **error);
gboolean  pfdo_enrollment_create_with_id (PfdoStore   *store,
                                          const char  *enrollment_id,
                                          const char  *certificate_id,
                                          const char  *group_id,
                                          guint        months,
                                          GError     **error);
gboolean  pfdo_enrollment_cancel  (PfdoStore   *store,
                                   const char  *enrollment_id,
                                   GError     **error);
gint64    pfdo_program_monthly_kopecks (gint64  hour_price_kopecks,
                                        gint64  hours_total,
                                        gint64  months);

G_END_DECLS
