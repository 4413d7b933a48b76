/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session export, read back by independent readers: Python's csv module
 * for the CSV file and Python's zipfile for the .xlsx package. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include "pfdo-error.h"
#include "pfdo-export.h"

typedef struct
{
  char *dir;
} Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

/* Three families; the first has two children, the second's child has no
 * certificate yet, and the third parent typed a name that Excel would run
 * as a formula. */
static const PfdoExportRow session[] = {
  { 1, "Иванова Мария Петровна", "+79181234567", "ivanova@example.ru",
    "Иванов", "Пётр", "Сергеевич", "2015-03-10", "2601000123", "accounting", "verified" },
  { 1, "Иванова Мария Петровна", "+79181234567", "ivanova@example.ru",
    "Иванова", "Анна", NULL, "2017-11-02", "0000000001", "personified", "verified" },
  { 2, "Петрова; Анна \"Аня\" Игоревна", "+79280000001", NULL,
    "Петров", "Игорь", "Андреевич", "2012-01-31", NULL, NULL, "unverified" },
  { 3, "=1+2", "+79610000002", "@SUM(A1:A2)",
    "Сидоров", "Олег", "Олегович", "2019-12-01", "2601000124", "issued", "rejected" },
};

static const char *english_titles[] = {
  "Family No.", "Parent", "Phone", "E-mail", "Child's surname", "First name", "Patronymic",
  "Date of birth", "Certificate number", "Certificate status", "Data confirmation",
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pfdo-export-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* The names in the test's folder, sorted and joined by spaces. */
static char *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static char *
run_python (const char *script,
            const char *arg1,
            const char *arg2)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  const char *argv[] = { python, "-c", script, arg1, arg2, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_nonnull (python);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 failed: %s", err);
  return out;
}

/* The records of a CSV file as Python's csv module reads them, strictly:
 * a stray quote is an error. */
static GPtrArray *
read_csv (const char *path)
{
  static const char script[] =
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n"
    "    rows = list(csv.reader(f, delimiter=';', strict=True))\n"
    "sys.stdout.buffer.write('\\x1e'.join('\\x1f'.join(r) for r in rows).encode('utf-8'))\n";
  g_autofree char *out = run_python (script, path, NULL);
  g_auto(GStrv) records = g_strsplit (out, "\x1e", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; records[i] != NULL; i++)
    g_ptr_array_add (rows, g_strsplit (records[i], "\x1f", -1));
  return rows;
}

static const char *
field (GPtrArray *rows,
       guint      row,
       guint      column)
{
  char **record;

  g_assert_cmpuint (row, <, rows->len);
  record = g_ptr_array_index (rows, row);
  g_assert_cmpuint (column, <, g_strv_length (record));
  return record[column];
}

/* One part of an .xlsx package, read by Python's zipfile after checking
 * every member's CRC. */
static char *
read_xlsx_part (const char *path,
                const char *part)
{
  static const char script[] =
    "import sys, zipfile\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "assert z.testzip() is None\n"
    "sys.stdout.buffer.write(z.read(sys.argv[2]))\n";

  return run_python (script, path, part);
}

static char *
match_group (const char *pattern,
             const char *text,
             int         group)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  g_assert_nonnull (regex);
  if (!g_regex_match (regex, text, 0, &info))
    return NULL;
  return g_match_info_fetch (info, group);
}

static GPtrArray *
match_all (const char *pattern,
           const char *text,
           int         group)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (regex);
  g_regex_match (regex, text, 0, &info);
  while (g_match_info_matches (info))
    {
      g_ptr_array_add (found, g_match_info_fetch (info, group));
      g_match_info_next (info, NULL);
    }
  return found;
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static char *
write_session (Fixture          *fixture,
               PfdoExportFormat  format,
               const char       *name,
               const char       *title)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (pfdo_export_write (path, format, title, session, G_N_ELEMENTS (session),
                                    &error));
  g_assert_no_error (error);
  return path;
}

static void
test_csv_bytes (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = write_session (fixture, PFDO_EXPORT_CSV, "session.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *header = NULL;
  g_autofree char *listing = NULL;
  GStatBuf st;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 3);
  g_assert_cmpmem (contents, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_utf8_validate (contents, length, NULL));

  /* CRLF after every line and nowhere else (no field of the session holds
   * a line break), a semicolon between the fields. */
  g_assert_cmpuint (count_occurrences (contents, "\r\n"), ==, 1 + G_N_ELEMENTS (session));
  g_assert_cmpuint (count_occurrences (contents, "\n"), ==, 1 + G_N_ELEMENTS (session));
  g_assert_cmpuint (count_occurrences (contents, "\r"), ==, 1 + G_N_ELEMENTS (session));
  g_assert_true (g_str_has_suffix (contents, "\r\n"));
  header = g_strjoinv (";", (char **) english_titles);
  g_assert_true (g_str_has_prefix (contents + 3, header));
  g_assert_cmpint (contents[3 + strlen (header)], ==, '\r');

  /* The file holds personal data: its owner's only, and no temporary file
   * is left beside it. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "session.csv");
}

static void
test_csv_read_back (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = write_session (fixture, PFDO_EXPORT_CSV, "session.csv", NULL);
  g_autoptr(GPtrArray) rows = read_csv (path);

  g_assert_cmpuint (rows->len, ==, 1 + G_N_ELEMENTS (session));
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, i)), ==,
                      G_N_ELEMENTS (english_titles));
  for (guint c = 0; c < G_N_ELEMENTS (english_titles); c++)
    g_assert_cmpstr (field (rows, 0, c), ==, english_titles[c]);

  /* The first child, column by column. */
  g_assert_cmpstr (field (rows, 1, 0), ==, "1");
  g_assert_cmpstr (field (rows, 1, 1), ==, "Иванова Мария Петровна");
  g_assert_cmpstr (field (rows, 1, 2), ==, "=\"+7 918 123-45-67\"");
  g_assert_cmpstr (field (rows, 1, 3), ==, "ivanova@example.ru");
  g_assert_cmpstr (field (rows, 1, 4), ==, "Иванов");
  g_assert_cmpstr (field (rows, 1, 5), ==, "Пётр");
  g_assert_cmpstr (field (rows, 1, 6), ==, "Сергеевич");
  g_assert_cmpstr (field (rows, 1, 7), ==, "10.03.2015");
  g_assert_cmpstr (field (rows, 1, 8), ==, "=\"2601000123\"");
  g_assert_cmpstr (field (rows, 1, 9), ==, "Accounting");
  g_assert_cmpstr (field (rows, 1, 10), ==, "Confirmed");

  /* The second child of the same family: no patronymic, and a number whose
   * leading zeros a spreadsheet must keep. */
  g_assert_cmpstr (field (rows, 2, 0), ==, "1");
  g_assert_cmpstr (field (rows, 2, 6), ==, "");
  g_assert_cmpstr (field (rows, 2, 8), ==, "=\"0000000001\"");
  g_assert_cmpstr (field (rows, 2, 9), ==, "Personified");

  /* The delimiter and quotes inside a name survive the round trip; a child
   * without a certificate has empty cells. */
  g_assert_cmpstr (field (rows, 3, 1), ==, "Петрова; Анна \"Аня\" Игоревна");
  g_assert_cmpstr (field (rows, 3, 3), ==, "");
  g_assert_cmpstr (field (rows, 3, 7), ==, "31.01.2012");
  g_assert_cmpstr (field (rows, 3, 8), ==, "");
  g_assert_cmpstr (field (rows, 3, 9), ==, "");
  g_assert_cmpstr (field (rows, 3, 10), ==, "Awaiting confirmation");

  /* Typed values that a spreadsheet would run are shown as text. */
  g_assert_cmpstr (field (rows, 4, 0), ==, "3");
  g_assert_cmpstr (field (rows, 4, 1), ==, "'=1+2");
  g_assert_cmpstr (field (rows, 4, 3), ==, "'@SUM(A1:A2)");
  g_assert_cmpstr (field (rows, 4, 4), ==, "Сидоров");
  g_assert_cmpstr (field (rows, 4, 9), ==, "Issued");
  g_assert_cmpstr (field (rows, 4, 10), ==, "Rejected");
}

static void
test_csv_quoting (Fixture       *fixture,
                  gconstpointer  data)
{
  const PfdoExportRow rows[] = {
    { 7, "Первая строка\r\nвторая", NULL, "a\"b\"@example.ru", "Кузнецов\nЛ.", "Ян\rа",
      "А;Б", "не дата", "12\"34", "closed", "verified" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "quoting.csv", NULL);
  g_autoptr(GPtrArray) read = NULL;

  g_assert_true (pfdo_export_write (path, PFDO_EXPORT_CSV, NULL, rows, 1, &error));
  g_assert_no_error (error);

  read = read_csv (path);
  g_assert_cmpuint (read->len, ==, 2);
  g_assert_cmpstr (field (read, 1, 0), ==, "7");
  g_assert_cmpstr (field (read, 1, 1), ==, "Первая строка\r\nвторая");
  g_assert_cmpstr (field (read, 1, 2), ==, "");
  g_assert_cmpstr (field (read, 1, 3), ==, "a\"b\"@example.ru");
  g_assert_cmpstr (field (read, 1, 4), ==, "Кузнецов\nЛ.");
  g_assert_cmpstr (field (read, 1, 5), ==, "Ян\rа");
  g_assert_cmpstr (field (read, 1, 6), ==, "А;Б");
  /* What is not an ISO date is written as it came. */
  g_assert_cmpstr (field (read, 1, 7), ==, "не дата");
  /* A quote inside the text formula is doubled as Excel's syntax wants. */
  g_assert_cmpstr (field (read, 1, 8), ==, "=\"12\"\"34\"");
  g_assert_cmpstr (field (read, 1, 9), ==, "Closed");
}

static void
test_csv_formula_injection (Fixture       *fixture,
                            gconstpointer  data)
{
  const struct
  {
    const char *typed;
    const char *written;
  } cases[] = {
    { "=HYPERLINK(\"http://example.com\";\"x\")", "'=HYPERLINK(\"http://example.com\";\"x\")" },
    { "+7", "'+7" },
    { "-2+3", "'-2+3" },
    { "@A1", "'@A1" },
    { "\tX", "'\tX" },
    { "＝1+1", "'＝1+1" },
    { "Анна-Мария", "Анна-Мария" },
    { "a=b@c.ru", "a=b@c.ru" },
    { "'уже", "'уже" },
  };
  PfdoExportRow rows[G_N_ELEMENTS (cases)];
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "injection.csv", NULL);
  g_autoptr(GPtrArray) read = NULL;

  memset (rows, 0, sizeof rows);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      rows[i].family_no = i + 1;
      rows[i].parent_name = cases[i].typed;
      rows[i].email = cases[i].typed;
      rows[i].child_last_name = cases[i].typed;
      rows[i].child_first_name = cases[i].typed;
      rows[i].child_middle_name = cases[i].typed;
    }

  g_assert_true (pfdo_export_write (path, PFDO_EXPORT_CSV, NULL, rows, G_N_ELEMENTS (rows),
                                    &error));
  g_assert_no_error (error);

  read = read_csv (path);
  g_assert_cmpuint (read->len, ==, 1 + G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (field (read, i + 1, 1), ==, cases[i].written);
      g_assert_cmpstr (field (read, i + 1, 3), ==, cases[i].written);
      for (guint c = 4; c <= 6; c++)
        g_assert_cmpstr (field (read, i + 1, c), ==, cases[i].written);
    }
}

static void
test_replaces_existing (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "session.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (pfdo_export_write (path, PFDO_EXPORT_CSV, NULL, session, 1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
  g_assert_cmpuint (count_occurrences (contents, "\r\n"), ==, 2);
  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "session.csv");
}

static void
test_failing_path (Fixture       *fixture,
                   gconstpointer  data)
{
  const PfdoExportFormat formats[] = { PFDO_EXPORT_CSV, PFDO_EXPORT_XLSX };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *missing = g_build_filename (fixture->dir, "missing", "session.csv", NULL);
      g_autofree char *folder = g_build_filename (fixture->dir, "folder", NULL);
      g_autofree char *listing = NULL;
      g_autoptr(GError) error = NULL;

      /* A folder that does not exist. */
      g_assert_false (pfdo_export_write (missing, formats[i], "Собрание", session,
                                         G_N_ELEMENTS (session), &error));
      g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_IO);
      g_assert_nonnull (strstr (error->message, "session.csv"));
      g_clear_error (&error);
      g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
      listing = list_dir (fixture->dir);
      g_assert_cmpstr (listing, ==, "");
      g_free (listing);

      /* A target that is a folder: the whole file is written, then cannot
       * take the folder's place, and the temporary file goes away. */
      g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
      g_assert_false (pfdo_export_write (folder, formats[i], "Собрание", session,
                                         G_N_ELEMENTS (session), &error));
      g_assert_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_IO);
      g_clear_error (&error);
      g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
      listing = list_dir (fixture->dir);
      g_assert_cmpstr (listing, ==, "folder");
      g_free (listing);
      listing = list_dir (folder);
      g_assert_cmpstr (listing, ==, "");
      g_assert_cmpint (g_rmdir (folder), ==, 0);
    }
}

/* The number format id of a cell's style, through styles.xml. */
static char *
style_number_format_id (const char *styles,
                        guint       style)
{
  g_autofree char *xfs = match_group ("<cellXfs[^>]*>(.*?)</cellXfs>", styles, 1);
  g_autoptr(GPtrArray) xf = NULL;
  char *id;

  g_assert_nonnull (xfs);
  xf = match_all ("<xf ([^>]*)>", xfs, 1);
  g_assert_cmpuint (style, <, xf->len);
  id = match_group ("numFmtId=\"([0-9]+)\"", g_ptr_array_index (xf, style), 1);
  g_assert_nonnull (id);
  return id;
}

/* The code of a cell's own (not built-in) number format. */
static char *
style_number_format (const char *styles,
                     guint       style)
{
  g_autofree char *id = style_number_format_id (styles, style);
  g_autofree char *pattern = NULL;

  pattern = g_strdup_printf ("<numFmt numFmtId=\"%s\" formatCode=\"([^\"]*)\"", id);
  return match_group (pattern, styles, 1);
}

static gboolean
style_is_bold (const char *styles,
               guint       style)
{
  g_autofree char *xfs = match_group ("<cellXfs[^>]*>(.*?)</cellXfs>", styles, 1);
  g_autofree char *fonts_xml = match_group ("<fonts[^>]*>(.*?)</fonts>", styles, 1);
  g_autoptr(GPtrArray) xf = NULL;
  g_autoptr(GPtrArray) fonts = NULL;
  g_autofree char *font_id = NULL;
  guint64 n;

  xf = match_all ("<xf ([^>]*)>", xfs, 1);
  fonts = match_all ("<font>(.*?)</font>", fonts_xml, 1);
  g_assert_cmpuint (style, <, xf->len);
  font_id = match_group ("fontId=\"([0-9]+)\"", g_ptr_array_index (xf, style), 1);
  n = g_ascii_strtoull (font_id, NULL, 10);
  g_assert_cmpuint (n, <, fonts->len);
  return strstr (g_ptr_array_index (fonts, n), "<b/>") != NULL;
}

/* The text of a shared-string cell. */
static char *
shared_string (const char *sheet,
               const char *strings,
               const char *cell)
{
  g_autofree char *pattern = g_strdup_printf ("<c r=\"%s\"[^>]* t=\"s\"><v>([0-9]+)</v></c>", cell);
  g_autofree char *index = match_group (pattern, sheet, 1);
  g_autoptr(GPtrArray) all = match_all ("<si><t[^>]*>(.*?)</t></si>", strings, 1);
  guint64 n;

  if (index == NULL)
    return NULL;
  n = g_ascii_strtoull (index, NULL, 10);
  g_assert_cmpuint (n, <, all->len);
  return g_strdup (g_ptr_array_index (all, n));
}

static void
test_xlsx (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = write_session (fixture, PFDO_EXPORT_XLSX, "session.xlsx",
                                         "Собрание 12/05/2025: 1[А] класс?");
  g_autofree char *sheet = read_xlsx_part (path, "xl/worksheets/sheet1.xml");
  g_autofree char *strings = read_xlsx_part (path, "xl/sharedStrings.xml");
  g_autofree char *styles = read_xlsx_part (path, "xl/styles.xml");
  g_autofree char *workbook = read_xlsx_part (path, "xl/workbook.xml");
  g_autofree char *listing = list_dir (fixture->dir);
  g_autofree char *header_style = NULL;
  g_autofree char *cert_style = NULL;
  g_autofree char *date_style = NULL;
  g_autofree char *date_value = NULL;
  g_autofree char *date_format = NULL;
  g_autoptr(GPtrArray) cols = NULL;
  g_autoptr(GPtrArray) row_numbers = NULL;
  GDate epoch;
  GDate birth;
  char *text;

  g_assert_cmpstr (listing, ==, "session.xlsx");

  /* One worksheet named after the title as Excel allows. */
  g_assert_cmpuint (count_occurrences (workbook, "<sheet "), ==, 1);
  g_assert_nonnull (strstr (workbook, "<sheet name=\"Собрание 12-05-2025. 1(А) класс\""));

  /* A header and one row per child. */
  row_numbers = match_all ("<row r=\"([0-9]+)\"", sheet, 1);
  g_assert_cmpuint (row_numbers->len, ==, 1 + G_N_ELEMENTS (session));
  g_assert_cmpstr (g_ptr_array_index (row_numbers, row_numbers->len - 1), ==, "5");

  /* The header: bold, frozen, with a filter over the whole table. */
  text = shared_string (sheet, strings, "A1");
  g_assert_cmpstr (text, ==, "Family No.");
  g_free (text);
  text = shared_string (sheet, strings, "K1");
  g_assert_cmpstr (text, ==, "Data confirmation");
  g_free (text);
  header_style = match_group ("<c r=\"A1\" s=\"([0-9]+)\"", sheet, 1);
  g_assert_nonnull (header_style);
  g_assert_true (style_is_bold (styles, g_ascii_strtoull (header_style, NULL, 10)));
  g_assert_nonnull (strstr (sheet, "ySplit=\"1\""));
  g_assert_nonnull (strstr (sheet, "state=\"frozen\""));
  g_assert_nonnull (strstr (sheet, "<autoFilter ref=\"A1:K5\"/>"));

  /* Certificate numbers are strings, leading zeros and all. */
  text = shared_string (sheet, strings, "I2");
  g_assert_cmpstr (text, ==, "2601000123");
  g_free (text);
  text = shared_string (sheet, strings, "I3");
  g_assert_cmpstr (text, ==, "0000000001");
  g_free (text);
  text = shared_string (sheet, strings, "I5");
  g_assert_cmpstr (text, ==, "2601000124");
  g_free (text);
  g_assert_null (strstr (sheet, "r=\"I4\""));
  /* … in Excel's built-in Text format, so that an edit keeps them text. */
  cert_style = match_group ("<c r=\"I3\" s=\"([0-9]+)\"", sheet, 1);
  g_assert_nonnull (cert_style);
  text = style_number_format_id (styles, g_ascii_strtoull (cert_style, NULL, 10));
  g_assert_cmpstr (text, ==, "49");
  g_free (text);
  text = shared_string (sheet, strings, "C2");
  g_assert_cmpstr (text, ==, "+7 918 123-45-67");
  g_free (text);

  /* A string cell is never a formula: the typed name is written as it is. */
  text = shared_string (sheet, strings, "B5");
  g_assert_cmpstr (text, ==, "=1+2");
  g_free (text);
  g_assert_null (strstr (sheet, "<f>"));

  /* The birth date is a number of days with a day.month.year style. */
  date_style = match_group ("<c r=\"H2\" s=\"([0-9]+)\"><v>([0-9.]+)</v></c>", sheet, 1);
  date_value = match_group ("<c r=\"H2\" s=\"([0-9]+)\"><v>([0-9.]+)</v></c>", sheet, 2);
  g_assert_nonnull (date_style);
  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 30, G_DATE_DECEMBER, 1899);
  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, 10, G_DATE_MARCH, 2015);
  g_assert_cmpuint (g_ascii_strtoull (date_value, NULL, 10), ==,
                    g_date_get_julian (&birth) - g_date_get_julian (&epoch));
  date_format = style_number_format (styles, g_ascii_strtoull (date_style, NULL, 10));
  g_assert_cmpstr (date_format, ==, "dd.mm.yyyy");

  /* The family's number is a number; the statuses are the desk's words. */
  g_assert_nonnull (strstr (sheet, "<c r=\"A3\"><v>1</v></c>"));
  text = shared_string (sheet, strings, "J2");
  g_assert_cmpstr (text, ==, "Accounting");
  g_free (text);
  text = shared_string (sheet, strings, "K4");
  g_assert_cmpstr (text, ==, "Awaiting confirmation");
  g_free (text);

  /* Every column has a width, and the parent's fits the longest name. */
  cols = match_all ("<col min=\"([0-9]+)\" max=\"[0-9]+\" width=\"([0-9.]+)\"", sheet, 0);
  g_assert_cmpuint (cols->len, ==, G_N_ELEMENTS (english_titles));
  text = match_group ("<col min=\"2\" max=\"2\" width=\"([0-9.]+)\"", sheet, 1);
  g_assert_cmpfloat (g_ascii_strtod (text, NULL), >=,
                     g_utf8_strlen ("Петрова; Анна \"Аня\" Игоревна", -1));
  g_free (text);
}

static void
test_xlsx_empty (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "empty.xlsx", NULL);
  g_autofree char *sheet = NULL;
  g_autofree char *workbook = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_export_write (path, PFDO_EXPORT_XLSX, NULL, NULL, 0, &error));
  g_assert_no_error (error);
  sheet = read_xlsx_part (path, "xl/worksheets/sheet1.xml");
  workbook = read_xlsx_part (path, "xl/workbook.xml");
  g_assert_cmpuint (count_occurrences (sheet, "<row "), ==, 1);
  g_assert_nonnull (strstr (workbook, "<sheet name=\"Session\""));
}

static void
test_sheet_name (void)
{
  const struct
  {
    const char *title;
    const char *name;
  } cases[] = {
    { NULL, "Session" },
    { "", "Session" },
    { " ''  ", "Session" },
    { "History", "Session" },
    { "HISTORY", "Session" },
    { "'Собрание'", "Собрание" },
    { "a/b\\c[d]e:f*g?h", "a-b-c(d)e.fgh" },
    { "Строка\tвторая", "Строка вторая" },
    /* 40 letters: the first 31 are kept. */
    { "абвгдеёжзийклмнопрстуфхцчшщъыьэюяабвгде", "абвгдеёжзийклмнопрстуфхцчшщъыьэ" },
    /* 30 letters and a character that Excel counts twice. */
    { "абвгдеёжзийклмнопрстуфхцчшщъыь\xF0\x9F\x98\x80", "абвгдеёжзийклмнопрстуфхцчшщъыь" },
    /* A cut that ends in spaces and an apostrophe is trimmed again. */
    { "Собрание                      ' и ещё", "Собрание" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = pfdo_export_sheet_name (cases[i].title);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_labels_and_formats (void)
{
  PfdoExportFormat format = PFDO_EXPORT_CSV;

  g_assert_cmpstr (pfdo_export_certificate_status_label ("issued"), ==, "Issued");
  g_assert_cmpstr (pfdo_export_certificate_status_label ("accounting"), ==, "Accounting");
  g_assert_cmpstr (pfdo_export_certificate_status_label ("personified"), ==, "Personified");
  g_assert_cmpstr (pfdo_export_certificate_status_label ("frozen"), ==, "Frozen");
  g_assert_cmpstr (pfdo_export_certificate_status_label ("closed"), ==, "Closed");
  g_assert_cmpstr (pfdo_export_certificate_status_label (NULL), ==, "");
  g_assert_cmpstr (pfdo_export_certificate_status_label ("lost"), ==, "lost");
  g_assert_cmpstr (pfdo_export_verification_status_label ("unverified"), ==,
                   "Awaiting confirmation");
  g_assert_cmpstr (pfdo_export_verification_status_label ("verified"), ==, "Confirmed");
  g_assert_cmpstr (pfdo_export_verification_status_label ("rejected"), ==, "Rejected");
  g_assert_cmpstr (pfdo_export_verification_status_label (NULL), ==, "");

  g_assert_true (pfdo_export_format_from_string ("xlsx", &format));
  g_assert_cmpint (format, ==, PFDO_EXPORT_XLSX);
  g_assert_true (pfdo_export_format_from_string ("CSV", &format));
  g_assert_cmpint (format, ==, PFDO_EXPORT_CSV);
  g_assert_false (pfdo_export_format_from_string ("ods", &format));
  g_assert_false (pfdo_export_format_from_string ("", &format));
  g_assert_cmpint (format, ==, PFDO_EXPORT_CSV);
  g_assert_cmpstr (pfdo_export_format_to_string (PFDO_EXPORT_CSV), ==, "csv");
  g_assert_cmpstr (pfdo_export_format_to_string (PFDO_EXPORT_XLSX), ==, "xlsx");
}

int
main (int   argc,
      char *argv[])
{
  /* The column titles are checked in the source language. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  TEST ("/export/csv/bytes", test_csv_bytes);
  TEST ("/export/csv/read-back", test_csv_read_back);
  TEST ("/export/csv/quoting", test_csv_quoting);
  TEST ("/export/csv/formula-injection", test_csv_formula_injection);
  TEST ("/export/replaces-existing", test_replaces_existing);
  TEST ("/export/failing-path", test_failing_path);
  TEST ("/export/xlsx/session", test_xlsx);
  TEST ("/export/xlsx/empty", test_xlsx_empty);
  g_test_add_func ("/export/sheet-name", test_sheet_name);
  g_test_add_func ("/export/labels-and-formats", test_labels_and_formats);

  return g_test_run ();
}
