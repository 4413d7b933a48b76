/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a list shows of the identifiers a card shows whole. */
char *pfdo_mask_snils    (const char *snils);
char *pfdo_mask_document (const char *series,
                          const char *number);
char *pfdo_mask_phone    (const char *phone);

G_END_DECLS
