/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-error.h"
#include "pfdo-validate.h"

static void
test_snils_checksum (void)
{
  /* The examples of DOMAIN.md. */
  g_assert_cmpuint (pfdo_snils_checksum ("112233445"), ==, 95);
  g_assert_cmpuint (pfdo_snils_checksum ("141008408"), ==, 0);  /* S = 100 */
  g_assert_cmpuint (pfdo_snils_checksum ("952530077"), ==, 0);  /* S = 201 */
  g_assert_cmpuint (pfdo_snils_checksum ("000000001"), ==, 1);
}

static void
test_snils_normalize_good (void)
{
  const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "112-233-445 95", "112-233-445 95" },
    { "11223344595", "112-233-445 95" },
    { " 112 233 445 95 ", "112-233-445 95" },
    { "112-233-445-95", "112-233-445 95" },
    { "141-008-408 00", "141-008-408 00" },
    { "952-530-077 00", "952-530-077 00" },
    /* At most 001-001-998: not checked at all. */
    { "001-001-998 17", "001-001-998 17" },
    { "000-000-001 99", "000-000-001 99" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = pfdo_snils_normalize (cases[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (value, ==, cases[i].expected);
    }
}

static void
test_snils_normalize_bad (void)
{
  const struct
  {
    const char *input;
    int code;
  } cases[] = {
    { "112-233-445 96", PFDO_VALIDATION_ERROR_SNILS_CHECKSUM },
    { "952-530-077 01", PFDO_VALIDATION_ERROR_SNILS_CHECKSUM },
    { "001-001-999 00", PFDO_VALIDATION_ERROR_SNILS_CHECKSUM },
    { "112-233-445 9", PFDO_VALIDATION_ERROR_SNILS_FORMAT },
    { "112-233-445 951", PFDO_VALIDATION_ERROR_SNILS_FORMAT },
    { "112-233-44a 95", PFDO_VALIDATION_ERROR_SNILS_FORMAT },
    { "112.233.445.95", PFDO_VALIDATION_ERROR_SNILS_FORMAT },
    { "", PFDO_VALIDATION_ERROR_EMPTY },
    { "   ", PFDO_VALIDATION_ERROR_EMPTY },
    { NULL, PFDO_VALIDATION_ERROR_EMPTY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = pfdo_snils_normalize (cases[i].input, &error);

      g_assert_null (value);
      g_assert_error (error, PFDO_VALIDATION_ERROR, cases[i].code);
      g_assert_nonnull (error->message);
    }
}

static void
test_phone (void)
{
  const struct
  {
    const char *input;
    const char *expected;
  } good[] = {
    { "8 (918) 123-45-67", "+79181234567" },
    { "+7 918 1234567", "+79181234567" },
    { "+7(918)123-45-67", "+79181234567" },
    { "89181234567", "+79181234567" },
    { "79181234567", "+79181234567" },
    { "9181234567", "+79181234567" },
    { " 918 123 45 67 ", "+79181234567" },
  };
  const char *bad[] = {
    "", "12345", "+8 918 123-45-67", "8 (8652) 12-34-56", "+7 918 123-45-6",
    "+7 918 123-45-678", "8-918-123-45-6x", "+7 918 +123-45-67", "+3 918 123 45 67", NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = pfdo_phone_normalize (good[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (value, ==, good[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = pfdo_phone_normalize (bad[i], &error);

      g_assert_null (value);
      g_assert_true (g_error_matches (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_PHONE) ||
                     g_error_matches (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMPTY));
    }

  {
    g_autofree char *shown = pfdo_phone_format ("+79181234567");

    g_assert_cmpstr (shown, ==, "+7 918 123-45-67");
  }
}

static void
test_name_good (void)
{
  const struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    { "Иванова", "Иванова" },
    { "  иванова  ", "Иванова" },
    { "КОРОЛЁВ", "Королёв" },
    { "римский-корсаков", "Римский-Корсаков" },
    { "Римский - Корсаков", "Римский-Корсаков" },
    { "анна  мария", "Анна Мария" },
    { "Ёлкин", "Ёлкин" },
    { "оглы", "Оглы" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = pfdo_name_normalize (cases[i].input, FALSE, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (value, ==, cases[i].expected);
    }
}

static void
test_name_bad (void)
{
  const struct
  {
    const char *input;
    int code;
  } cases[] = {
    { "Ivanova", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { "Ивaнова", PFDO_VALIDATION_ERROR_NAME_LETTERS }, /* a Latin a inside */
    { "Иванова1", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { "Иванова.", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { "-Иванова", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { "Иванова-", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { "Иванова--Петрова", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { "", PFDO_VALIDATION_ERROR_EMPTY },
    { NULL, PFDO_VALIDATION_ERROR_EMPTY },
  };
  g_autoptr(GString) long_name = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = pfdo_name_normalize (cases[i].input, FALSE, &error);

      g_assert_null (value);
      g_assert_error (error, PFDO_VALIDATION_ERROR, cases[i].code);
    }

  /* 60 letters a part is the limit. */
  for (guint i = 0; i < 60; i++)
    g_string_append (long_name, "а");
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *value = pfdo_name_normalize (long_name->str, FALSE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (value);
  }
  g_string_append (long_name, "б");
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *value = pfdo_name_normalize (long_name->str, FALSE, &error);

    g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_NAME_TOO_LONG);
    g_assert_null (value);
  }
}

static void
test_name_optional (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = pfdo_name_normalize ("  ", TRUE, &error);
  g_autofree char *middle = NULL;

  g_assert_no_error (error);
  g_assert_null (value);

  middle = pfdo_name_normalize ("петрович", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (middle, ==, "Петрович");
}

static void
test_dates (void)
{
  GDate date, on;
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;
  const char *bad[] = { "31.02.2015", "2015-13-01", "7 марта", "07.03.15", "2015-3-7x", "",
                        "29.02.2015", "01.01.1800" };

  g_assert_true (pfdo_date_parse ("07.03.2015", &date, &error));
  g_assert_no_error (error);
  iso = pfdo_date_to_iso (&date);
  g_assert_cmpstr (iso, ==, "2015-03-07");

  g_assert_true (pfdo_date_parse ("2015-03-07", &on, &error));
  g_assert_cmpint (g_date_compare (&date, &on), ==, 0);
  g_assert_true (pfdo_date_parse ("7.3.2015", &on, &error));
  g_assert_cmpint (g_date_compare (&date, &on), ==, 0);
  g_assert_true (pfdo_date_parse ("29.02.2016", &on, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_assert_false (pfdo_date_parse (bad[i], &on, &local_error));
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == PFDO_VALIDATION_ERROR);
    }
}

static void
test_age (void)
{
  GDate birth, on;

  g_date_clear (&birth, 1);
  g_date_clear (&on, 1);
  g_date_set_dmy (&birth, 7, G_DATE_MARCH, 2015);

  g_date_set_dmy (&on, 6, G_DATE_MARCH, 2026);
  g_assert_cmpint (pfdo_age_on (&birth, &on), ==, 10);
  g_date_set_dmy (&on, 7, G_DATE_MARCH, 2026);
  g_assert_cmpint (pfdo_age_on (&birth, &on), ==, 11);
  g_date_set_dmy (&on, 1, G_DATE_SEPTEMBER, 2026);
  g_assert_true (pfdo_age_fits (&birth, &on, 7, 11));
  g_assert_true (pfdo_age_fits (&birth, &on, 11, 11));
  g_assert_false (pfdo_age_fits (&birth, &on, 12, 17));
  g_assert_false (pfdo_age_fits (&birth, &on, 5, 10));

  /* Born on 29 February: older on 1 March of a common year. */
  g_date_set_dmy (&birth, 29, G_DATE_FEBRUARY, 2016);
  g_date_set_dmy (&on, 28, G_DATE_FEBRUARY, 2023);
  g_assert_cmpint (pfdo_age_on (&birth, &on), ==, 6);
  g_date_set_dmy (&on, 1, G_DATE_MARCH, 2023);
  g_assert_cmpint (pfdo_age_on (&birth, &on), ==, 7);
}

static void
test_period (void)
{
  GDate d;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, G_DATE_SEPTEMBER, 2026);
  a = pfdo_period_for_date (&d);
  g_date_set_dmy (&d, 31, G_DATE_AUGUST, 2027);
  b = pfdo_period_for_date (&d);
  g_date_set_dmy (&d, 31, G_DATE_AUGUST, 2026);
  c = pfdo_period_for_date (&d);

  g_assert_cmpstr (a, ==, "2026/27");
  g_assert_cmpstr (b, ==, "2026/27");
  g_assert_cmpstr (c, ==, "2025/26");
}

static void
test_documents (void)
{
  const struct
  {
    const char *type, *series, *number, *out_series, *out_number;
  } good[] = {
    { "birth_certificate", "II-ДН", "123456", "II-ДН", "123456" },
    { "birth_certificate", "ii дн", "123 456", "II-ДН", "123456" },
    { "birth_certificate", "IV-AГ", "000123", "IV-АГ", "000123" }, /* Latin A */
    { "birth_certificate", "ІІ-ДН", "123456", "II-ДН", "123456" }, /* Cyrillic І */
    { "birth_certificate", "XIV-СМ", "654321", "XIV-СМ", "654321" },
    { "passport", "07 12", "123456", "07 12", "123456" },
    { "passport", "0712", "123 456", "07 12", "123456" },
    { "foreign", NULL, "ab1234567", NULL, "AB1234567" },
  };
  const struct
  {
    const char *type, *series, *number;
  } bad[] = {
    { "birth_certificate", "II-ДН", "12345" },
    { "birth_certificate", "II-ДН", "1234567" },
    { "birth_certificate", "ДН", "123456" },
    { "birth_certificate", "II-Д", "123456" },
    { "birth_certificate", "II-ДН", "12345а" },
    { "birth_certificate", "AB-ДН", "123456" },
    { "birth_certificate", NULL, "123456" },
    { "passport", "071", "123456" },
    { "passport", "07 12", "12345" },
    { "foreign", NULL, "AB-12" },
    { "foreign", NULL, "" },
    { "driver", "1", "2" },
    { NULL, "II-ДН", "123456" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *series = NULL;
      g_autofree char *number = NULL;

      g_assert_true (pfdo_document_validate (good[i].type, good[i].series, good[i].number,
                                             &series, &number, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (series, ==, good[i].out_series);
      g_assert_cmpstr (number, ==, good[i].out_number);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *series = NULL;
      g_autofree char *number = NULL;

      g_assert_false (pfdo_document_validate (bad[i].type, bad[i].series, bad[i].number,
                                              &series, &number, &error));
      g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_DOCUMENT);
      g_assert_null (series);
      g_assert_null (number);
    }
}

static void
test_email (void)
{
  const char *bad[] = { "ivanova", "@mail.ru", "a@b", "a@@mail.ru", "a b@mail.ru", "a@mail.ru.",
                        "a@.ru" };
  g_autoptr(GError) error = NULL;
  g_autofree char *value = pfdo_email_normalize (" Ivanova@Mail.RU ", &error);
  g_autofree char *empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "Ivanova@mail.ru");

  empty = pfdo_email_normalize ("  ", &error);
  g_assert_no_error (error);
  g_assert_null (empty);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *v = pfdo_email_normalize (bad[i], &local_error);

      g_assert_null (v);
      g_assert_error (local_error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_EMAIL);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/snils/checksum", test_snils_checksum);
  g_test_add_func ("/validate/snils/good", test_snils_normalize_good);
  g_test_add_func ("/validate/snils/bad", test_snils_normalize_bad);
  g_test_add_func ("/validate/phone", test_phone);
  g_test_add_func ("/validate/name/good", test_name_good);
  g_test_add_func ("/validate/name/bad", test_name_bad);
  g_test_add_func ("/validate/name/optional", test_name_optional);
  g_test_add_func ("/validate/dates", test_dates);
  g_test_add_func ("/validate/age", test_age);
  g_test_add_func ("/validate/period", test_period);
  g_test_add_func ("/validate/documents", test_documents);
  g_test_add_func ("/validate/email", test_email);

  return g_test_run ();
}
