/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-text"

#include "config.h"

#include <string.h>

#include "pfdo-text.h"

/**
 * pfdo_text_fold:
 * @text: (nullable): UTF-8 text
 *
 * The one spelling used for searching and matching: lower case, ё as е,
 * runs of white space as one space, no space at either end.
 *
 * Returns: (transfer full) (nullable): the folded text, or %NULL for %NULL
 */
char *
pfdo_text_fold (const char *text)
{
  g_autofree char *lower = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  lower = g_utf8_strdown (text, -1);
  out = g_string_sized_new (strlen (lower));

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          space = FALSE;
        }
      if (c == 0x0451) /* ё */
        c = 0x0435;    /* е */
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

gboolean
pfdo_text_equal_folded (const char *a,
                        const char *b)
{
  g_autofree char *fa = pfdo_text_fold (a);
  g_autofree char *fb = pfdo_text_fold (b);

  return g_strcmp0 (fa, fb) == 0;
}

/**
 * pfdo_text_edit_distance:
 * @a: UTF-8 text
 * @b: UTF-8 text
 * @limit: the largest distance of interest
 *
 * Levenshtein distance between @a and @b counted in characters. Anything
 * beyond @limit is reported as @limit + 1, which lets the caller stop early.
 */
guint
pfdo_text_edit_distance (const char *a,
                         const char *b,
                         guint       limit)
{
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  g_autofree guint *prev = NULL;
  g_autofree guint *cur = NULL;
  glong la = 0, lb = 0;

  g_return_val_if_fail (a != NULL && b != NULL, limit + 1);

  ua = g_utf8_to_ucs4 (a, -1, NULL, &la, NULL);
  ub = g_utf8_to_ucs4 (b, -1, NULL, &lb, NULL);
  if (ua == NULL || ub == NULL)
    return limit + 1;
  if ((guint) ABS (la - lb) > limit)
    return limit + 1;

  prev = g_new (guint, lb + 1);
  cur = g_new (guint, lb + 1);
  for (glong j = 0; j <= lb; j++)
    prev[j] = j;

  for (glong i = 1; i <= la; i++)
    {
      guint row_min;

      cur[0] = i;
      row_min = cur[0];
      for (glong j = 1; j <= lb; j++)
        {
          guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;
          guint best = prev[j - 1] + cost;

          best = MIN (best, prev[j] + 1);
          best = MIN (best, cur[j - 1] + 1);
          cur[j] = best;
          row_min = MIN (row_min, best);
        }
      if (row_min > limit)
        return limit + 1;
      {
        guint *tmp = prev;
        prev = cur;
        cur = tmp;
      }
    }

  return MIN (prev[lb], limit + 1);
}

/* Only the digits of @text, in order. */
char *
pfdo_text_digits (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

char *
pfdo_uuid_new (void)
{
  return g_uuid_string_random ();
}

/* The current time in RFC 3339, UTC, to the second. */
char *
pfdo_now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * pfdo_text_rubles:
 * @kopecks: an amount in kopecks
 *
 * The amount as Russian money is written: digits grouped by three with a
 * no-break space, a decimal comma and the ruble sign, e.g. `12 345,67 ₽`.
 *
 * Returns: (transfer full): the text
 */
char *
pfdo_text_rubles (gint64 kopecks)
{
  g_autofree char *digits = NULL;
  GString *out = g_string_new (NULL);
  guint64 magnitude = kopecks < 0 ? (guint64) (-(kopecks + 1)) + 1 : (guint64) kopecks;
  gsize len;

  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / 100);
  len = strlen (digits);

  if (kopecks < 0)
    g_string_append (out, "−");
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, "\u00a0");
      g_string_append_c (out, digits[i]);
    }
  g_string_append_printf (out, ",%02u\u00a0₽", (guint) (magnitude % 100));
  return g_string_free (out, FALSE);
}

/**
 * pfdo_read_first_line:
 *
 * Reads the first line of a file without its line end: how the tools take
 * a password, which must not be on the command line where every user of
 * the machine can read it. The rest of the file is wiped from memory.
 *
 * Returns: (transfer full) (nullable): the line, or %NULL with @error set
 */
char *
pfdo_read_first_line (const char  *path,
                      GError     **error)
{
  char *contents = NULL;
  gsize length = 0;
  char *end;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  end = strpbrk (contents, "\r\n");
  if (end != NULL)
    memset (end, 0, length - (gsize) (end - contents));
  return contents;
}
