/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-validate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "pfdo-error.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

#define NAME_PART_MAX 60

/* SNILS whose first nine digits are at most this are not checked. */
#define SNILS_UNCHECKED_MAX 1001998

static gboolean
is_blank (const char *input)
{
  if (input == NULL)
    return TRUE;
  for (const char *p = input; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Keeps the digits of @input if every other character is one of @allowed;
 * returns %NULL when anything else is there (a letter, say). */
static char *
dup_digits_only (const char *input,
                 const char *allowed)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = input; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (allowed, *p) == NULL)
        {
          g_string_free (digits, TRUE);
          return NULL;
        }
    }

  return g_string_free (digits, FALSE);
}

/**
 * pfdo_snils_checksum:
 * @nine_digits: the first nine digits of a SNILS
 *
 * The check number of DOMAIN.md: 9·d1 + 8·d2 + … + 1·d9 modulo 101,
 * with 100 written as 0.
 *
 * Returns: the check number, 0 to 99
 */
guint
pfdo_snils_checksum (const char *nine_digits)
{
  guint sum = 0;

  g_return_val_if_fail (nine_digits != NULL, 0);

  for (guint i = 0; i < 9 && g_ascii_isdigit (nine_digits[i]); i++)
    sum += (guint) (nine_digits[i] - '0') * (9 - i);

  sum %= 101;
  return sum == 100 ? 0 : sum;
}

/**
 * pfdo_snils_format:
 * @eleven_digits: eleven digits
 *
 * Returns: (transfer full): the SNILS written like `112-233-445 95`
 */
char *
pfdo_snils_format (const char *eleven_digits)
{
  const char *d = eleven_digits;

  g_return_val_if_fail (eleven_digits != NULL && strlen (eleven_digits) == 11, NULL);

  return g_strdup_printf ("%.3s-%.3s-%.3s %.2s", d, d + 3, d + 6, d + 9);
}

/**
 * pfdo_snils_normalize:
 * @input: a SNILS as typed: with or without dashes and spaces
 * @error: return location for a #PFDO_VALIDATION_ERROR
 *
 * Returns: (transfer full) (nullable): the SNILS written like `112-233-445 95`
 */
char *
pfdo_snils_normalize (const char  *input,
                      GError     **error)
{
  g_autofree char *digits = NULL;
  guint64 first_nine;
  guint check;

  if (is_blank (input))
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMPTY,
                           _("Enter the SNILS."));
      return NULL;
    }

  digits = dup_digits_only (input, " -\t");
  if (digits == NULL || strlen (digits) != 11)
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_SNILS_FORMAT,
                           _("A SNILS has 11 digits, for example 112-233-445 95."));
      return NULL;
    }

  first_nine = g_ascii_strtoull (digits, NULL, 10) / 100;
  check = (guint) ((digits[9] - '0') * 10 + (digits[10] - '0'));
  if (first_nine > SNILS_UNCHECKED_MAX && check != pfdo_snils_checksum (digits))
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_SNILS_CHECKSUM,
                           _("The SNILS check digits do not match: there is a typo in the "
                             "number."));
      return NULL;
    }

  return pfdo_snils_format (digits);
}

/**
 * pfdo_phone_normalize:
 * @input: a Russian mobile number in any usual spelling
 * @error: return location for a #PFDO_VALIDATION_ERROR
 *
 * Accepts 8 (918) 123-45-67, +7 918 1234567, 9181234567 and the like.
 *
 * Returns: (transfer full) (nullable): the number written like `+79181234567`
 */
char *
pfdo_phone_normalize (const char  *input,
                      GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *digits = NULL;
  const char *rest;
  gsize len;

  if (is_blank (input))
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMPTY,
                           _("Enter the phone number."));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (input));
  /* A plus may only lead the number. */
  digits = dup_digits_only (trimmed[0] == '+' ? trimmed + 1 : trimmed, " -()\t.");
  len = digits != NULL ? strlen (digits) : 0;

  if (len == 11 && (digits[0] == '7' || (digits[0] == '8' && trimmed[0] != '+')))
    rest = digits + 1;
  else if (len == 10 && trimmed[0] != '+')
    rest = digits;
  else
    rest = NULL;

  if (rest == NULL || rest[0] != '9')
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_PHONE,
                           _("Enter a Russian mobile number, for example +7 918 123-45-67."));
      return NULL;
    }

  return g_strconcat ("+7", rest, NULL);
}

/**
 * pfdo_phone_format:
 * @normalized: a number written like `+79181234567`
 *
 * Returns: (transfer full): the number as `+7 918 123-45-67`
 */
char *
pfdo_phone_format (const char *normalized)
{
  const char *d;

  g_return_val_if_fail (normalized != NULL, NULL);

  if (strlen (normalized) != 12 || !g_str_has_prefix (normalized, "+7"))
    return g_strdup (normalized);

  d = normalized + 2;
  return g_strdup_printf ("+7 %.3s %.3s-%.2s-%.2s", d, d + 3, d + 6, d + 8);
}

static gboolean
is_cyrillic_letter (gunichar c)
{
  return (c >= 0x0410 && c <= 0x044F) || c == 0x0401 || c == 0x0451;
}

/* Capitalises one part of a name typed all in lower or all in upper case;
 * mixed case is the person's own spelling and is kept. */
static void
append_name_part (GString    *out,
                  const char *part,
                  gsize       len)
{
  g_autofree char *copy = g_strndup (part, len);
  g_autofree char *lower = g_utf8_strdown (copy, -1);
  g_autofree char *upper = g_utf8_strup (copy, -1);
  const char *source = copy;
  gunichar first;

  if (g_strcmp0 (copy, lower) == 0 || g_strcmp0 (copy, upper) == 0)
    source = lower;

  first = g_unichar_toupper (g_utf8_get_char (source));
  g_string_append_unichar (out, first);
  g_string_append (out, g_utf8_next_char (source));
}

/**
 * pfdo_name_normalize:
 * @input: (nullable): a surname, name or patronymic as typed
 * @optional: whether the part may be absent (the patronymic)
 * @error: return location for a #PFDO_VALIDATION_ERROR
 *
 * Cyrillic letters only, parts joined by one space or one hyphen, at most
 * 60 letters a part; each part starts with a capital letter.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL with no error for
 *   an absent optional part
 */
char *
pfdo_name_normalize (const char  *input,
                     gboolean     optional,
                     GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GString) out = NULL;
  const char *part = NULL;
  guint part_len = 0;
  gunichar separator = 0;

  if (is_blank (input))
    {
      if (!optional)
        g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMPTY,
                             _("This field is required."));
      return NULL;
    }

  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_NAME_LETTERS,
                           _("Use Cyrillic letters only."));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (input));
  out = g_string_new (NULL);

  for (const char *p = trimmed;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && is_cyrillic_letter (c))
        {
          if (part == NULL)
            {
              if (separator != 0)
                g_string_append_unichar (out, separator);
              separator = 0;
              part = p;
              part_len = 0;
            }
          if (++part_len > NAME_PART_MAX)
            {
              g_set_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_NAME_TOO_LONG,
                           _("A part of a name may have at most %d letters."), NAME_PART_MAX);
              return NULL;
            }
          continue;
        }

      if (part != NULL)
        {
          append_name_part (out, part, (gsize) (p - part));
          part = NULL;
        }

      if (c == 0)
        break;

      if (c == ' ' || c == '\t' || c == '-' || c == 0x2010 || c == 0x2011)
        {
          gunichar sep = c == ' ' || c == '\t' ? ' ' : '-';

          /* Spaces around a hyphen are dropped; two hyphens are a typo. */
          if (out->len == 0 || (separator == '-' && sep == '-'))
            goto bad_separator;
          if (separator == 0 || sep == '-')
            separator = sep;
          continue;
        }

      if (g_unichar_isalpha (c))
        g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_NAME_LETTERS,
                             _("Use Cyrillic letters only: the name contains a Latin or "
                               "other letter."));
      else
        g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_NAME_LETTERS,
                             _("Use Cyrillic letters only, with a space or a hyphen between "
                               "parts."));
      return NULL;
    }

  if (separator != 0)
    goto bad_separator;

  return g_strdup (out->str);

bad_separator:
  g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_NAME_LETTERS,
                       _("A hyphen or space may only stand between two parts of a name."));
  return NULL;
}

/**
 * pfdo_date_parse:
 * @input: (nullable): a date as `ДД.ММ.ГГГГ` or `YYYY-MM-DD`
 * @out_date: (out): the date
 * @error: return location for a #PFDO_VALIDATION_ERROR
 *
 * Returns: whether @input is a date that exists
 */
gboolean
pfdo_date_parse (const char  *input,
                 GDate       *out_date,
                 GError     **error)
{
  guint a = 0, b = 0, c = 0;
  int consumed = 0;
  guint day, month, year;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (out_date != NULL, FALSE);

  if (is_blank (input))
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMPTY,
                           _("Enter the date."));
      return FALSE;
    }

  trimmed = g_strstrip (g_strdup (input));
  if (sscanf (trimmed, "%4u-%2u-%2u%n", &a, &b, &c, &consumed) == 3 && consumed == 10 &&
      trimmed[consumed] == '\0')
    {
      year = a;
      month = b;
      day = c;
    }
  else if ((sscanf (trimmed, "%2u.%2u.%4u%n", &a, &b, &c, &consumed) == 3 ||
            sscanf (trimmed, "%2u/%2u/%4u%n", &a, &b, &c, &consumed) == 3) &&
           trimmed[consumed] == '\0' && c >= 1000)
    {
      day = a;
      month = b;
      year = c;
    }
  else
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DATE,
                           _("Enter the date as DD.MM.YYYY, for example 07.03.2015."));
      return FALSE;
    }

  if (year < 1900 || year > 2100 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month,
                                                      (GDateYear) year))
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DATE,
                           _("There is no such date."));
      return FALSE;
    }

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

char *
pfdo_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/**
 * pfdo_age_on:
 * @birth: the birth date
 * @on: the date of interest
 *
 * Returns: full years of age on @on; a child born on 29 February turns a
 *   year older on 1 March in a common year
 */
int
pfdo_age_on (const GDate *birth,
             const GDate *on)
{
  int age;

  g_return_val_if_fail (birth != NULL && g_date_valid (birth), -1);
  g_return_val_if_fail (on != NULL && g_date_valid (on), -1);

  age = (int) g_date_get_year (on) - (int) g_date_get_year (birth);
  if (g_date_get_month (on) < g_date_get_month (birth) ||
      (g_date_get_month (on) == g_date_get_month (birth) &&
       g_date_get_day (on) < g_date_get_day (birth)))
    age--;

  return age;
}

gboolean
pfdo_age_fits (const GDate *birth,
               const GDate *on,
               int          age_min,
               int          age_max)
{
  int age = pfdo_age_on (birth, on);

  return age >= age_min && age <= age_max;
}

/**
 * pfdo_period_for_date:
 * @date: a date
 *
 * The education year runs from September to August.
 *
 * Returns: (transfer full): the period as `2026/27`
 */
char *
pfdo_period_for_date (const GDate *date)
{
  guint year;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  year = g_date_get_year (date);
  if (g_date_get_month (date) < G_DATE_SEPTEMBER)
    year--;

  return g_strdup_printf ("%u/%02u", year, (year + 1) % 100);
}

/* Latin letters that look like Cyrillic ones are typed by mistake in the
 * letter part of a birth certificate series. */
static gunichar
cyrillic_lookalike (gunichar c)
{
  static const struct
  {
    gunichar latin;
    gunichar cyrillic;
  } map[] = {
    { 'A', 0x0410 }, { 'B', 0x0412 }, { 'E', 0x0415 }, { 'K', 0x041A }, { 'M', 0x041C },
    { 'H', 0x041D }, { 'O', 0x041E }, { 'P', 0x0420 }, { 'C', 0x0421 }, { 'T', 0x0422 },
    { 'Y', 0x0423 }, { 'X', 0x0425 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (map[i].latin == c)
      return map[i].cyrillic;
  return c;
}

/* The reverse: Roman numerals typed with Cyrillic letters. */
static gunichar
roman_lookalike (gunichar c)
{
  switch (c)
    {
    case 0x0406: /* І */
      return 'I';
    case 0x0425: /* Х */
      return 'X';
    case 0x0421: /* С */
      return 'C';
    case 0x041C: /* М */
      return 'M';
    default:
      return c;
    }
}

/* A birth certificate series: a Roman number, a hyphen, two Cyrillic
 * letters (II-ДН). The last two letters are the Cyrillic part whatever
 * the keyboard layout was; everything before them is the Roman number. */
static char *
normalize_birth_series (const char *input)
{
  g_autofree char *upper = g_utf8_strup (input, -1);
  g_autofree gunichar *chars = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  glong n = 0;

  chars = g_new0 (gunichar, strlen (upper) + 1);
  for (const char *p = upper; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != ' ' && c != '-')
        chars[n++] = c;
    }

  if (n < 3 || n > 8)
    return NULL;

  for (glong i = 0; i < n - 2; i++)
    {
      gunichar r = roman_lookalike (chars[i]);

      if (r >= 0x80 || strchr ("IVXLCM", (int) r) == NULL)
        return NULL;
      g_string_append_c (out, (char) r);
    }
  g_string_append_c (out, '-');
  for (glong i = n - 2; i < n; i++)
    {
      gunichar c = cyrillic_lookalike (chars[i]);

      if (!(c >= 0x0410 && c <= 0x042F) && c != 0x0401)
        return NULL;
      g_string_append_unichar (out, c);
    }

  return g_strdup (out->str);
}

/**
 * pfdo_document_validate:
 * @type: `birth_certificate`, `passport` or `foreign`
 * @series: (nullable): the series as typed
 * @number: (nullable): the number as typed
 * @out_series: (out) (optional): the stored series
 * @out_number: (out) (optional): the stored number
 * @error: return location for a #PFDO_VALIDATION_ERROR
 *
 * A birth certificate is II-ДН 123456, a passport 07 12 123456; a foreign
 * document is kept as typed (letters and digits).
 */
gboolean
pfdo_document_validate (const char  *type,
                        const char  *series,
                        const char  *number,
                        char       **out_series,
                        char       **out_number,
                        GError     **error)
{
  g_autofree char *s = NULL;
  g_autofree char *n = NULL;

  if (g_strcmp0 (type, "birth_certificate") == 0)
    {
      n = number != NULL ? dup_digits_only (number, " ") : NULL;
      if (n == NULL || strlen (n) != 6)
        {
          g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT,
                               _("A birth certificate number has 6 digits."));
          return FALSE;
        }
      s = series != NULL ? normalize_birth_series (series) : NULL;
      if (s == NULL)
        {
          g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT,
                               _("A birth certificate series is a Roman number and two "
                                 "Cyrillic letters, for example II-ДН."));
          return FALSE;
        }
    }
  else if (g_strcmp0 (type, "passport") == 0)
    {
      g_autofree char *digits = series != NULL ? dup_digits_only (series, " ") : NULL;

      if (digits == NULL || strlen (digits) != 4)
        {
          g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT,
                               _("A passport series has 4 digits, for example 07 12."));
          return FALSE;
        }
      n = number != NULL ? dup_digits_only (number, " ") : NULL;
      if (n == NULL || strlen (n) != 6)
        {
          g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT,
                               _("A passport number has 6 digits."));
          return FALSE;
        }
      s = g_strdup_printf ("%.2s %.2s", digits, digits + 2);
    }
  else if (g_strcmp0 (type, "foreign") == 0)
    {
      s = is_blank (series) ? NULL : g_strstrip (g_utf8_strup (series, -1));
      n = is_blank (number) ? NULL : g_strstrip (g_utf8_strup (number, -1));
      if (n == NULL || g_utf8_strlen (n, -1) > 20 || (s != NULL && g_utf8_strlen (s, -1) > 20))
        {
          g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT,
                               _("Enter the document number, at most 20 characters."));
          return FALSE;
        }
      for (const char *p = n; *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isalnum (g_utf8_get_char (p)))
          {
            g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT,
                                 _("A document number has only letters and digits."));
            return FALSE;
          }
    }
  else
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT,
                           _("Choose the kind of document: birth certificate, passport or "
                             "foreign document."));
      return FALSE;
    }

  if (out_series != NULL)
    *out_series = g_steal_pointer (&s);
  if (out_number != NULL)
    *out_number = g_steal_pointer (&n);
  return TRUE;
}

/**
 * pfdo_email_normalize:
 * @input: (nullable): an e-mail address as typed
 * @error: return location for a #PFDO_VALIDATION_ERROR
 *
 * Returns: (transfer full) (nullable): the address with its domain in
 *   lower case, or %NULL with no error when nothing was typed
 */
char *
pfdo_email_normalize (const char  *input,
                      GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *domain = NULL;
  const char *at;

  if (is_blank (input))
    return NULL;

  trimmed = g_strstrip (g_strdup (input));
  at = strchr (trimmed, '@');
  if (!g_utf8_validate (trimmed, -1, NULL) || at == NULL || at == trimmed ||
      strchr (at + 1, '@') != NULL || strchr (trimmed, ' ') != NULL ||
      strchr (at + 1, '.') == NULL || at[1] == '.' || g_str_has_suffix (trimmed, "."))
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMAIL,
                           _("Enter the e-mail as name@example.ru, or leave it empty."));
      return NULL;
    }

  domain = g_utf8_strdown (at + 1, -1);
  return g_strdup_printf ("%.*s@%s", (int) (at - trimmed), trimmed, domain);
}
