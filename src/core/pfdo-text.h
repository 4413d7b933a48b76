/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *pfdo_text_fold          (const char *text);
gboolean  pfdo_text_equal_folded  (const char *a,
                                   const char *b);
guint     pfdo_text_edit_distance (const char *a,
                                   const char *b,
                                   guint       limit);
char     *pfdo_text_digits        (const char *text);
char     *pfdo_uuid_new           (void);
char     *pfdo_now_utc            (void);
char     *pfdo_text_rubles        (gint64      kopecks);
char     *pfdo_read_first_line    (const char *path,
                                   GError    **error);

G_END_DECLS
