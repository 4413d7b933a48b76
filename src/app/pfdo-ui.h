/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void  pfdo_ui_toast        (GtkWidget  *widget,
                            const char *text);
char *pfdo_ui_format_count (gint64      value);
char *pfdo_ui_format_date  (const char *iso_date);
char *pfdo_ui_format_time  (const char *iso_time);
char *pfdo_ui_format_age   (const char *iso_birth_date);
char *pfdo_ui_mask_snils   (const char *snils);

G_END_DECLS
