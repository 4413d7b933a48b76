/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-mask"

#include "config.h"

#include <string.h>

#include "pfdo-mask.h"
#include "pfdo-text.h"

/*
 * Lists, search results, terminals and anything else but the child's card
 * show only the end of a SNILS, a document number or a phone: enough to
 * tell two children (or two parents) apart at a glance, not enough to
 * use. The card, which is an audited read, shows them whole.
 *
 *   SNILS      112-233-445 95     →  ***-***-445 95   (the last five digits)
 *   document   II-ДН 123456       →  II-ДН ***456     (the series, the last three digits)
 *   phone      +79181234567       →  +7 *** ***-45-67 (the last four digits)
 *
 * The series of a birth certificate (II-ДН) names the registry office's
 * region, not the child, so it stays; a passport's series (4 digits) is
 * masked with its number since together they identify a person.
 */

/**
 * pfdo_mask_snils:
 * @snils: (nullable): a SNILS in any spelling, with or without separators
 *
 * Returns: (transfer full) (nullable): `***-***-445 95`, or %NULL when
 *   @snils does not hold the eleven digits of a SNILS
 */
char *
pfdo_mask_snils (const char *snils)
{
  g_autofree char *digits = snils != NULL ? pfdo_text_digits (snils) : NULL;

  if (digits == NULL || strlen (digits) != 11)
    return NULL;
  return g_strdup_printf ("***-***-%.3s %.2s", digits + 6, digits + 9);
}

/**
 * pfdo_mask_document:
 * @series: (nullable): the document's series, e.g. `II-ДН` or `0712`
 * @number: (nullable): its number
 *
 * Returns: (transfer full) (nullable): `II-ДН ***456`: a series with
 *   letters and the last three digits of the number, every other digit
 *   masked; %NULL without a number
 */
char *
pfdo_mask_document (const char *series,
                    const char *number)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *trimmed_series = g_strstrip (g_strdup (series != NULL ? series : ""));
  g_autofree char *digits = number != NULL ? pfdo_text_digits (number) : NULL;
  gsize len;

  if (digits == NULL || *digits == '\0')
    return NULL;

  /* Letters stay: a registry office's code. Digits go: a passport's
   * series is half of its identity. */
  for (const char *p = trimmed_series; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (out, '*');
      else
        g_string_append_unichar (out, g_utf8_get_char (p));
    }
  if (out->len > 0)
    g_string_append_c (out, ' ');

  len = strlen (digits);
  g_string_append (out, "***");
  g_string_append (out, digits + (len > 3 ? len - 3 : 0));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * pfdo_mask_phone:
 * @phone: (nullable): a phone as the store keeps it, `+79181234567`
 *
 * Returns: (transfer full) (nullable): `+7 *** ***-45-67`, or %NULL without
 *   a phone of ten digits or more
 */
char *
pfdo_mask_phone (const char *phone)
{
  g_autofree char *digits = phone != NULL ? pfdo_text_digits (phone) : NULL;
  gsize len;

  if (digits == NULL || strlen (digits) < 10)
    return NULL;
  len = strlen (digits);
  return g_strdup_printf ("+7 *** ***-%.2s-%.2s", digits + len - 4, digits + len - 2);
}
