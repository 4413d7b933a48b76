/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void  pfdo_ui_toast        (GtkWidget  *widget,
                            const char *text);
char *pfdo_ui_format_count (gint64      value);

G_END_DECLS
