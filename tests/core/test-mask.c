/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What lists show of a SNILS, a document and a phone: the end only, from
 * whatever spelling the store or a person used.
 */
#include "config.h"

#include <locale.h>

#include "pfdo-mask.h"

static void
test_snils (void)
{
  const struct
  {
    const char *input;
    const char *masked;
  } cases[] = {
    { "112-233-445 95", "***-***-445 95" },
    { "11223344595", "***-***-445 95" },
    { " 112 233 445-95 ", "***-***-445 95" },
    { "141-008-408 00", "***-***-408 00" },
    { "112-233-445 9", NULL },
    { "112-233-445 955", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = pfdo_mask_snils (cases[i].input);

      g_assert_cmpstr (masked, ==, cases[i].masked);
    }
}

static void
test_document (void)
{
  const struct
  {
    const char *series;
    const char *number;
    const char *masked;
  } cases[] = {
    { "II-ДН", "123456", "II-ДН ***456" },
    { " II-ДН ", "123 456", "II-ДН ***456" },
    /* A passport: its series is half of its identity. */
    { "07 12", "345678", "** ** ***678" },
    { NULL, "654321", "***321" },
    { "", "12", "***12" },
    { "II-ДН", NULL, NULL },
    { "II-ДН", "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = pfdo_mask_document (cases[i].series, cases[i].number);

      g_assert_cmpstr (masked, ==, cases[i].masked);
    }
}

static void
test_phone (void)
{
  const struct
  {
    const char *input;
    const char *masked;
  } cases[] = {
    { "+79181234567", "+7 *** ***-45-67" },
    { "8 (918) 123-45-67", "+7 *** ***-45-67" },
    { "12345", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = pfdo_mask_phone (cases[i].input);

      g_assert_cmpstr (masked, ==, cases[i].masked);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mask/snils", test_snils);
  g_test_add_func ("/mask/document", test_document);
  g_test_add_func ("/mask/phone", test_phone);

  return g_test_run ();
}
