/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SNILS (DOMAIN.md): 11 digits, shown like 112-233-445 95. */
guint     pfdo_snils_checksum          (const char  *nine_digits);
char     *pfdo_snils_format            (const char  *eleven_digits);
char     *pfdo_snils_normalize         (const char  *input,
                                        GError     **error);

/* Russian mobile phones, stored like +79181234567. */
char     *pfdo_phone_normalize         (const char  *input,
                                        GError     **error);
char     *pfdo_phone_format            (const char  *normalized);

/* Names: Cyrillic letters with a space or hyphen between parts. */
char     *pfdo_name_normalize          (const char  *input,
                                        gboolean     optional,
                                        GError     **error);

/* Dates and ages. */
gboolean  pfdo_date_parse              (const char  *input,
                                        GDate       *out_date,
                                        GError     **error);
char     *pfdo_date_to_iso             (const GDate *date);
int       pfdo_age_on                  (const GDate *birth,
                                        const GDate *on);
gboolean  pfdo_age_fits                (const GDate *birth,
                                        const GDate *on,
                                        int          age_min,
                                        int          age_max);
char     *pfdo_period_for_date         (const GDate *date);

/* Identity documents of a child. */
gboolean  pfdo_document_validate       (const char  *type,
                                        const char  *series,
                                        const char  *number,
                                        char       **out_series,
                                        char       **out_number,
                                        GError     **error);

/* E-mail: a light shape check, not RFC 5322. */
char     *pfdo_email_normalize         (const char  *input,
                                        GError     **error);

G_END_DECLS
