/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Class lists read from real CSV files in tests/fixtures/class-lists.
 *
 * The children there are born in 2016–2019, so they stay 5 to 17 years
 * old from 2025 until the end of 2033; the child that must be too old was
 * born in 2005. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pfdo-class-list.h"
#include "pfdo-error.h"

static PfdoClassList *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists", name,
                                                 NULL);
  g_autoptr(GError) error = NULL;
  PfdoClassList *list = pfdo_class_list_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static PfdoClassRow *
get_row (PfdoClassList *list,
         guint          i)
{
  g_assert_cmpuint (i, <, list->rows->len);
  return g_ptr_array_index (list->rows, i);
}

/* Asserts that the row has no problem, telling which one it has. */
static void
assert_row_valid (const PfdoClassRow *row)
{
  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    if (row->problem[f] != NULL)
      g_error ("line %u, %s: %s", row->line, pfdo_class_field_title (f), row->problem[f]);
  g_assert_true (pfdo_class_row_is_valid (row));
}

static void
assert_problem (const PfdoClassRow *row,
                PfdoClassField      field,
                const char         *fragment)
{
  g_assert_nonnull (row->problem[field]);
  if (strstr (row->problem[field], fragment) == NULL)
    g_error ("line %u, %s: “%s” has no “%s”", row->line, pfdo_class_field_title (field),
             row->problem[field], fragment);
}

static void
test_utf8_bom_semicolon (void)
{
  g_autoptr(PfdoClassList) list = load_fixture ("utf8-bom-semicolon.csv");
  PfdoClassRow *row;

  g_assert_cmpstr (list->encoding, ==, "UTF-8");
  g_assert_cmpint (list->delimiter, ==, ';');
  g_assert_cmpuint (list->headers->len, ==, 12);
  /* The BOM is not part of the first header. */
  g_assert_cmpstr (g_ptr_array_index (list->headers, 0), ==, "Фамилия");
  g_assert_cmpstr (g_ptr_array_index (list->headers, 11), ==, "E-mail");
  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    g_assert_cmpint (list->column[f], ==, (int) f);

  /* The blank line and the row of delimiters (lines 5 and 6) are skipped. */
  g_assert_cmpuint (list->rows->len, ==, 4);
  g_assert_cmpuint (pfdo_class_list_count_valid (list), ==, 4);

  row = get_row (list, 0);
  assert_row_valid (row);
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_LAST_NAME], ==, "Соколова");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_FIRST_NAME], ==, "Дарья");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_MIDDLE_NAME], ==, "Андреевна");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_BIRTH_DATE], ==, "2016-03-05");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SEX], ==, "f");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SNILS], ==, "123-456-789 64");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "birth_certificate");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_SERIES], ==, "III-АГ");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_NUMBER], ==, "512345");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_PARENT_NAME], ==, "Соколова Елена Викторовна");
  g_assert_cmpstr (row->parent_last_name, ==, "Соколова");
  g_assert_cmpstr (row->parent_first_name, ==, "Елена");
  g_assert_cmpstr (row->parent_middle_name, ==, "Викторовна");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_PHONE], ==, "+79185551234");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_EMAIL], ==, "sokolova@example.ru");

  /* A SNILS and a certificate number that lost a leading zero. */
  row = get_row (list, 1);
  assert_row_valid (row);
  g_assert_cmpuint (row->line, ==, 3);
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_SNILS], ==, "4567891200");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SNILS], ==, "045-678-912 00");
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_DOCUMENT_NUMBER], ==, "12345");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_NUMBER], ==, "012345");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "birth_certificate");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SEX], ==, "m");
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_EMAIL], ==, "");
  g_assert_null (row->value[PFDO_CLASS_FIELD_EMAIL]);

  /* Two zeros lost; a date without leading zeros; ten digits of a phone. */
  row = get_row (list, 2);
  assert_row_valid (row);
  g_assert_cmpuint (row->line, ==, 4);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SNILS], ==, "006-543-219 20");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_BIRTH_DATE], ==, "2017-09-01");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SEX], ==, "m");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "birth_certificate");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_PHONE], ==, "+79185550000");

  /* No patronymic and no documents: neither is required. */
  row = get_row (list, 3);
  assert_row_valid (row);
  g_assert_cmpuint (row->line, ==, 7);
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_MIDDLE_NAME], ==, "");
  g_assert_null (row->value[PFDO_CLASS_FIELD_MIDDLE_NAME]);
  g_assert_null (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE]);
  g_assert_null (row->value[PFDO_CLASS_FIELD_SNILS]);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_BIRTH_DATE], ==, "2019-04-12");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_PHONE], ==, "+79285550101");

  /* One mother and one phone, written in two ways, make one family. */
  g_assert_cmpstr (get_row (list, 0)->family_key, ==, get_row (list, 1)->family_key);
  g_assert_cmpstr (get_row (list, 0)->family_key, !=, get_row (list, 2)->family_key);
  g_assert_cmpstr (get_row (list, 2)->family_key, !=, get_row (list, 3)->family_key);
  for (guint i = 0; i < list->rows->len; i++)
    for (guint j = i + 1; j < list->rows->len; j++)
      g_assert_cmpstr (get_row (list, i)->row_key, !=, get_row (list, j)->row_key);
}

static void
test_utf8_comma_quoted (void)
{
  g_autoptr(PfdoClassList) list = load_fixture ("utf8-comma-quoted.csv");
  PfdoClassRow *row;

  g_assert_cmpstr (list->encoding, ==, "UTF-8");
  g_assert_cmpint (list->delimiter, ==, ',');
  g_assert_cmpuint (list->headers->len, ==, 13);
  /* A column the desk does not know is kept among the headers only. */
  g_assert_cmpstr (g_ptr_array_index (list->headers, 12), ==, "Примечание");
  g_assert_cmpuint (list->rows->len, ==, 2);

  row = get_row (list, 0);
  assert_row_valid (row);
  g_assert_cmpuint (row->line, ==, 2);
  /* A doubled quote inside a quoted cell is one quote. */
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==,
                   "Свидетельство о рождении \"РФ\"");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "birth_certificate");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_SERIES], ==, "II-МЮ");
  /* A line break inside a quoted cell is white space. */
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_PARENT_NAME], ==, "Кузнецова Мария Сергеевна");
  g_assert_cmpstr (row->parent_middle_name, ==, "Сергеевна");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SNILS], ==, "345-678-912 26");

  /* The row after a cell of two lines starts on line 4. */
  row = get_row (list, 1);
  assert_row_valid (row);
  g_assert_cmpuint (row->line, ==, 4);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_LAST_NAME], ==, "Кузнецова");
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_SNILS], ==, "");
  g_assert_null (row->value[PFDO_CLASS_FIELD_SNILS]);
  g_assert_null (row->problem[PFDO_CLASS_FIELD_SNILS]);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_EMAIL], ==, "kuznetsova@example.ru");

  g_assert_cmpstr (get_row (list, 0)->family_key, ==, get_row (list, 1)->family_key);
}

static void
test_cp1251_resave (void)
{
  g_autoptr(PfdoClassList) utf8 = load_fixture ("utf8-bom-semicolon.csv");
  g_autoptr(PfdoClassList) cp1251 = load_fixture ("cp1251-semicolon.csv");
  g_autoptr(PfdoClassList) again = load_fixture ("cp1251-semicolon.csv");

  g_assert_cmpstr (cp1251->encoding, ==, "CP1251");
  g_assert_cmpint (cp1251->delimiter, ==, ';');
  g_assert_cmpstr (g_ptr_array_index (cp1251->headers, 9), ==, "ФИО родителя");
  g_assert_cmpuint (cp1251->rows->len, ==, utf8->rows->len);

  /* The same children, in capitals, with ё as е, other spellings of
   * dates, numbers and phones, and spaces around cells: each is the same
   * child and family as in the UTF-8 file, and the same every time. */
  for (guint i = 0; i < cp1251->rows->len; i++)
    {
      PfdoClassRow *a = get_row (utf8, i);
      PfdoClassRow *b = get_row (cp1251, i);

      assert_row_valid (b);
      g_assert_cmpuint (b->line, ==, i + 2);
      g_assert_cmpstr (a->row_key, ==, b->row_key);
      g_assert_cmpstr (a->family_key, ==, b->family_key);
      g_assert_cmpstr (b->row_key, ==, get_row (again, i)->row_key);
      for (guint f = PFDO_CLASS_FIELD_BIRTH_DATE; f <= PFDO_CLASS_FIELD_DOCUMENT_NUMBER; f++)
        g_assert_cmpstr (a->value[f], ==, b->value[f]);
      g_assert_cmpstr (a->value[PFDO_CLASS_FIELD_PHONE], ==, b->value[PFDO_CLASS_FIELD_PHONE]);
    }

  g_assert_cmpstr (get_row (cp1251, 0)->value[PFDO_CLASS_FIELD_LAST_NAME], ==, "Соколова");
  g_assert_cmpstr (get_row (cp1251, 1)->raw[PFDO_CLASS_FIELD_LAST_NAME], ==, "Соколов");
  g_assert_cmpstr (get_row (cp1251, 1)->raw[PFDO_CLASS_FIELD_PARENT_NAME], ==,
                   "Соколова Елена Викторовна");
  g_assert_cmpstr (get_row (cp1251, 2)->value[PFDO_CLASS_FIELD_FIRST_NAME], ==, "Артем");
}

static void
test_english_reordered (void)
{
  g_autoptr(PfdoClassList) list = load_fixture ("english-reordered.csv");
  PfdoClassRow *row;

  g_assert_cmpint (list->delimiter, ==, ',');
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_PHONE], ==, 0);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_PARENT_NAME], ==, 1);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_SEX], ==, 3);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_LAST_NAME], ==, 4);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_EMAIL], ==, 11);
  g_assert_cmpstr (g_ptr_array_index (list->headers, 1), ==, "Parent full name");
  g_assert_cmpuint (list->rows->len, ==, 3);

  /* Spaces around and inside cells; the kind of document told by a
   * birth certificate series typed without its hyphen. */
  row = get_row (list, 0);
  assert_row_valid (row);
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_LAST_NAME], ==, "Морозова");
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_PARENT_NAME], ==, "Морозова Ирина Олеговна");
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_PHONE], ==, "+7 (928) 555-33-22");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_PHONE], ==, "+79285553322");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_BIRTH_DATE], ==, "2016-08-30");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SEX], ==, "f");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SNILS], ==, "456-789-123 44");
  g_assert_cmpstr (row->raw[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "birth_certificate");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_SERIES], ==, "III-АБ");
  g_assert_null (row->value[PFDO_CLASS_FIELD_MIDDLE_NAME]);

  /* A passport told by a series of three digits that lost its zero; the
   * number lost one too. */
  row = get_row (list, 1);
  assert_row_valid (row);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SEX], ==, "m");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "passport");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_SERIES], ==, "07 12");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_NUMBER], ==, "034567");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SNILS], ==, "567-891-234 53");
  g_assert_cmpstr (get_row (list, 0)->family_key, ==, row->family_key);

  row = get_row (list, 2);
  assert_row_valid (row);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "foreign");
  g_assert_null (row->value[PFDO_CLASS_FIELD_DOCUMENT_SERIES]);
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_DOCUMENT_NUMBER], ==, "AB1234567");
  g_assert_cmpstr (row->value[PFDO_CLASS_FIELD_SEX], ==, "f");
  g_assert_cmpstr (get_row (list, 0)->family_key, !=, row->family_key);
}

static void
test_bad_rows (void)
{
  const struct
  {
    guint           line;
    PfdoClassField  field;
    const char     *fragment;
  } cases[] = {
    { 2, PFDO_CLASS_FIELD_SNILS, "check digits" },
    { 3, PFDO_CLASS_FIELD_LAST_NAME, "Latin" },
    { 4, PFDO_CLASS_FIELD_BIRTH_DATE, "no such date" },
    { 5, PFDO_CLASS_FIELD_BIRTH_DATE, "aged 5 to 17" },
    { 6, PFDO_CLASS_FIELD_PHONE, "mobile number" },
    { 7, PFDO_CLASS_FIELD_SNILS, "exponent" },
    { 8, PFDO_CLASS_FIELD_SEX, "empty" },
    { 9, PFDO_CLASS_FIELD_DOCUMENT_TYPE, "kind of document" },
    { 10, PFDO_CLASS_FIELD_DOCUMENT_SERIES, "Roman number" },
    { 11, PFDO_CLASS_FIELD_PARENT_NAME, "surname, name and patronymic" },
    { 12, PFDO_CLASS_FIELD_EMAIL, "e-mail" },
    { 13, PFDO_CLASS_FIELD_LAST_NAME, "already on line 2" },
  };
  g_autoptr(PfdoClassList) list = load_fixture ("bad-rows.csv");
  PfdoClassRow *last;

  g_assert_cmpuint (list->rows->len, ==, G_N_ELEMENTS (cases) + 1);
  g_assert_cmpuint (pfdo_class_list_count_valid (list), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PfdoClassRow *row = get_row (list, i);

      g_test_message ("line %u", cases[i].line);
      g_assert_cmpuint (row->line, ==, cases[i].line);
      g_assert_false (pfdo_class_row_is_valid (row));
      assert_problem (row, cases[i].field, cases[i].fragment);
      /* The wrong cell has no value; every other cell is sound. */
      if (cases[i].field != PFDO_CLASS_FIELD_LAST_NAME || cases[i].line == 3)
        g_assert_null (row->value[cases[i].field]);
      for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
        if (f != cases[i].field)
          g_assert_null (row->problem[f]);
    }

  last = get_row (list, G_N_ELEMENTS (cases));
  g_assert_cmpuint (last->line, ==, 14);
  assert_row_valid (last);
}

static void
test_unknown_headers (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "class-lists",
                                                 "unknown-headers.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoClassList) list = pfdo_class_list_load (path, &error);

  g_assert_null (list);
  g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID);
  /* "Дата рождения" was found; the rest of the required columns were not. */
  g_assert_true (g_str_has_prefix (error->message, "Columns not found: Surname, Name, Sex, "
                                                   "Parent's full name, Phone."));
  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    g_assert_nonnull (strstr (error->message, pfdo_class_field_title (f)));
}

static PfdoClassList *
parse_text (const char  *text,
            GError     **error)
{
  return pfdo_class_list_parse (text, strlen (text), error);
}

#define HEADER "Фамилия;Имя;Дата рождения;Пол;ФИО родителя;Телефон"

static void
test_file_refused (void)
{
  const struct
  {
    const char *data;
    gsize       length;
    const char *fragment;
  } cases[] = {
    { "", 0, "empty" },
    { "\xEF\xBB\xBF\r\n\r\n", 7, "empty" },
    /* UTF-16, as a spreadsheet's "Unicode text". */
    { "\xFF\xFE\x24\x04", 4, "not a CSV file" },
    { "\x24\x04\x3B\x00", 4, "not a CSV file" },
    /* 0x98 is not a character of Windows-1251. */
    { "\xD4\xE0\x98\n", 4, "neither in UTF-8 nor in Windows-1251" },
    /* A quote opened on line 3 that never closes. */
    { HEADER "\nВолков;Иван;01.01.2017;М;Волкова Анна;89180000000\n"
             "Волкова;\"Ева;01.01.2017;Ж;Волкова Анна;89180000000\n", 0, "line 3" },
    /* A stray quote after a closed one. */
    { HEADER "\n\"Волков\"ич;Иван;01.01.2017;М;Волкова Анна;89180000000\n", 0, "line 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize length = cases[i].length > 0 || *cases[i].data == '\0' ? cases[i].length
                                                                    : strlen (cases[i].data);
      g_autoptr(PfdoClassList) list = pfdo_class_list_parse (cases[i].data, length, &error);

      g_assert_null (list);
      g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID);
      g_test_message ("case %u: %s", i, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }
}

static void
test_title_above_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoClassList) list = parse_text ("Список 3 «А» класса;;;;;\n"
                                              ";;;;;\n" HEADER "\n"
                                              "Волков;Иван;01.01.2017;М;Волкова Анна;"
                                              "89180000000\n",
                                              &error);

  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (list->headers, 0), ==, "Фамилия");
  g_assert_cmpuint (list->rows->len, ==, 1);
  g_assert_cmpuint (get_row (list, 0)->line, ==, 4);
  assert_row_valid (get_row (list, 0));
  /* Absent columns have no cell, no value and no problem. */
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_SNILS], ==, -1);
  g_assert_null (get_row (list, 0)->raw[PFDO_CLASS_FIELD_SNILS]);
  g_assert_null (get_row (list, 0)->raw[PFDO_CLASS_FIELD_MIDDLE_NAME]);
}

static void
test_header_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoClassList) list = parse_text (HEADER, &error);

  /* Not an error: the preview says there is nobody to import. */
  g_assert_no_error (error);
  g_assert_cmpuint (list->headers->len, ==, 6);
  g_assert_cmpuint (list->rows->len, ==, 0);
}

static void
test_header_variants (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoClassList) list =
    parse_text ("ФАМИЛИЯ РЕБЕНКА,Имя_ребёнка,Д.р.,Sex,\"ФИО родителя (законного "
                "представителя)\",Тел.,Эл. почта,СНИЛС*\n"
                "Волков,Иван,01.01.2017 0:00:00,мужской,Волкова Анна,8 918 000-00-00,,\n"
                "Волкова,Ева,01.01.2017,Ж,Волкова Анна,8 918 000-00-00,,\n",
                &error);

  g_assert_no_error (error);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_LAST_NAME], ==, 0);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_FIRST_NAME], ==, 1);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_BIRTH_DATE], ==, 2);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_SEX], ==, 3);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_PARENT_NAME], ==, 4);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_PHONE], ==, 5);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_EMAIL], ==, 6);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_SNILS], ==, 7);
  g_assert_cmpint (list->column[PFDO_CLASS_FIELD_MIDDLE_NAME], ==, -1);

  /* A date saved with its time; a parent without a patronymic. */
  assert_row_valid (get_row (list, 0));
  g_assert_cmpstr (get_row (list, 0)->value[PFDO_CLASS_FIELD_BIRTH_DATE], ==, "2017-01-01");
  g_assert_null (get_row (list, 0)->parent_middle_name);
  g_assert_cmpstr (get_row (list, 0)->value[PFDO_CLASS_FIELD_PARENT_NAME], ==, "Волкова Анна");
  /* Twins: one family, two children. */
  assert_row_valid (get_row (list, 1));
  g_assert_cmpstr (get_row (list, 0)->family_key, ==, get_row (list, 1)->family_key);
  g_assert_cmpstr (get_row (list, 0)->row_key, !=, get_row (list, 1)->row_key);
}

static void
test_numbers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoClassList) list =
    parse_text (HEADER ";СНИЛС;Вид документа;Серия;Номер\n"
                /* A phone in exponent form. */
                "Волков;Иван;01.01.2017;М;Волкова Анна;9,18123E+09;;;;\n"
                /* Four digits: no zeros put back in the unchecked range. */
                "Волков;Пётр;01.01.2017;М;Волкова Анна;89180000000;1234;;;\n"
                /* A number without a series or a kind. */
                "Волков;Лев;01.01.2017;М;Волкова Анна;89180000000;;;;123456\n"
                /* A passport series and number, the kind told by the series. */
                "Волков;Ян;01.01.2017;М;Волкова Анна;89180000000;;;0712;1\n"
                /* A birth certificate wrong in both its series and number. */
                "Волков;Ной;01.01.2017;М;Волкова Анна;89180000000;;Свидетельство о рождении;"
                "III-АБВ;1234567\n",
                &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->rows->len, ==, 5);
  assert_problem (get_row (list, 0), PFDO_CLASS_FIELD_PHONE, "exponent");
  assert_problem (get_row (list, 1), PFDO_CLASS_FIELD_SNILS, "11 digits");
  assert_problem (get_row (list, 2), PFDO_CLASS_FIELD_DOCUMENT_TYPE, "series does not tell");
  g_assert_null (get_row (list, 2)->problem[PFDO_CLASS_FIELD_DOCUMENT_NUMBER]);
  assert_row_valid (get_row (list, 3));
  g_assert_cmpstr (get_row (list, 3)->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE], ==, "passport");
  g_assert_cmpstr (get_row (list, 3)->value[PFDO_CLASS_FIELD_DOCUMENT_NUMBER], ==, "000001");
  assert_problem (get_row (list, 4), PFDO_CLASS_FIELD_DOCUMENT_SERIES, "Roman number");
  assert_problem (get_row (list, 4), PFDO_CLASS_FIELD_DOCUMENT_NUMBER, "6 digits");
}

static void
test_field_titles (void)
{
  guint required = 0;

  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    {
      g_assert_nonnull (pfdo_class_field_title (f));
      if (pfdo_class_field_is_required (f))
        required++;
    }
  g_assert_cmpstr (pfdo_class_field_title (PFDO_CLASS_FIELD_PARENT_NAME), ==,
                   "Parent's full name");
  g_assert_cmpuint (required, ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/class-list/utf8-bom-semicolon", test_utf8_bom_semicolon);
  g_test_add_func ("/class-list/utf8-comma-quoted", test_utf8_comma_quoted);
  g_test_add_func ("/class-list/cp1251-resave", test_cp1251_resave);
  g_test_add_func ("/class-list/english-reordered", test_english_reordered);
  g_test_add_func ("/class-list/bad-rows", test_bad_rows);
  g_test_add_func ("/class-list/unknown-headers", test_unknown_headers);
  g_test_add_func ("/class-list/file-refused", test_file_refused);
  g_test_add_func ("/class-list/title-above-header", test_title_above_header);
  g_test_add_func ("/class-list/header-only", test_header_only);
  g_test_add_func ("/class-list/header-variants", test_header_variants);
  g_test_add_func ("/class-list/numbers", test_numbers);
  g_test_add_func ("/class-list/field-titles", test_field_titles);

  return g_test_run ();
}
