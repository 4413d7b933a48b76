/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-class-list"

#include "config.h"

#include <csv.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-class-list.h"
#include "pfdo-error.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

/*
 * Class lists as schools and spreadsheets export them (DOMAIN.md, "dirty
 * exports"): UTF-8 with or without a BOM or Windows-1251; `;` or `,`
 * between cells; quoted cells; numbers that lost their leading zeros; white
 * space anywhere. libcsv splits the cells; this unit finds the columns by
 * their names and checks every cell with the rules of registration, so that
 * the preview can show each problem at its cell and the import can take
 * only the rows without one.
 */

/* A class list is a few hundred rows; anything far larger is not one. */
#define CLASS_LIST_MAX_BYTES (16 * 1024 * 1024)

/* The header may follow a title of a few lines ("Список 3 «А» класса"). */
#define HEADER_SEARCH_ROWS 10

/* SNILS whose first nine digits are at most this are not checked
 * (DOMAIN.md), so zeros are not put back in front of such a number. */
#define SNILS_UNCHECKED_MAX 1001998

/* The column names the desk recognises, compared by dup_word_key(): case,
 * ё/е, spaces, punctuation and anything in parentheses aside. */
static const struct
{
  PfdoClassField  field;
  const char     *name;
} header_names[] = {
  { PFDO_CLASS_FIELD_LAST_NAME, "Фамилия" },
  { PFDO_CLASS_FIELD_LAST_NAME, "Фамилия ребёнка" },
  { PFDO_CLASS_FIELD_LAST_NAME, "Фамилия обучающегося" },
  { PFDO_CLASS_FIELD_LAST_NAME, "Фамилия ученика" },
  { PFDO_CLASS_FIELD_LAST_NAME, "Surname" },
  { PFDO_CLASS_FIELD_LAST_NAME, "Last name" },
  { PFDO_CLASS_FIELD_LAST_NAME, "Family name" },
  { PFDO_CLASS_FIELD_LAST_NAME, "Child's surname" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "Имя" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "Имя ребёнка" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "Имя обучающегося" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "Имя ученика" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "First name" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "Given name" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "Name" },
  { PFDO_CLASS_FIELD_FIRST_NAME, "Child's name" },
  { PFDO_CLASS_FIELD_MIDDLE_NAME, "Отчество" },
  { PFDO_CLASS_FIELD_MIDDLE_NAME, "Отчество ребёнка" },
  { PFDO_CLASS_FIELD_MIDDLE_NAME, "Отчество обучающегося" },
  { PFDO_CLASS_FIELD_MIDDLE_NAME, "Отчество ученика" },
  { PFDO_CLASS_FIELD_MIDDLE_NAME, "Middle name" },
  { PFDO_CLASS_FIELD_MIDDLE_NAME, "Patronymic" },
  { PFDO_CLASS_FIELD_MIDDLE_NAME, "Child's patronymic" },
  { PFDO_CLASS_FIELD_BIRTH_DATE, "Дата рождения" },
  { PFDO_CLASS_FIELD_BIRTH_DATE, "Дата рождения ребёнка" },
  { PFDO_CLASS_FIELD_BIRTH_DATE, "Д.р." },
  { PFDO_CLASS_FIELD_BIRTH_DATE, "Birth date" },
  { PFDO_CLASS_FIELD_BIRTH_DATE, "Date of birth" },
  { PFDO_CLASS_FIELD_BIRTH_DATE, "DOB" },
  { PFDO_CLASS_FIELD_BIRTH_DATE, "Birthday" },
  { PFDO_CLASS_FIELD_SEX, "Пол" },
  { PFDO_CLASS_FIELD_SEX, "Пол ребёнка" },
  { PFDO_CLASS_FIELD_SEX, "Sex" },
  { PFDO_CLASS_FIELD_SEX, "Gender" },
  { PFDO_CLASS_FIELD_SNILS, "СНИЛС" },
  { PFDO_CLASS_FIELD_SNILS, "СНИЛС ребёнка" },
  { PFDO_CLASS_FIELD_SNILS, "SNILS" },
  { PFDO_CLASS_FIELD_SNILS, "Child's SNILS" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Вид документа" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Тип документа" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Документ" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Документ ребёнка" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Вид документа ребёнка" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Document type" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Document kind" },
  { PFDO_CLASS_FIELD_DOCUMENT_TYPE, "Document" },
  { PFDO_CLASS_FIELD_DOCUMENT_SERIES, "Серия" },
  { PFDO_CLASS_FIELD_DOCUMENT_SERIES, "Серия документа" },
  { PFDO_CLASS_FIELD_DOCUMENT_SERIES, "Серия свидетельства" },
  { PFDO_CLASS_FIELD_DOCUMENT_SERIES, "Series" },
  { PFDO_CLASS_FIELD_DOCUMENT_SERIES, "Document series" },
  { PFDO_CLASS_FIELD_DOCUMENT_NUMBER, "Номер" },
  { PFDO_CLASS_FIELD_DOCUMENT_NUMBER, "Номер документа" },
  { PFDO_CLASS_FIELD_DOCUMENT_NUMBER, "Номер свидетельства" },
  { PFDO_CLASS_FIELD_DOCUMENT_NUMBER, "Number" },
  { PFDO_CLASS_FIELD_DOCUMENT_NUMBER, "Document number" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "ФИО родителя" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "ФИО законного представителя" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "Родитель" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "Законный представитель" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "Parent" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "Parent full name" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "Parent's full name" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "Parent name" },
  { PFDO_CLASS_FIELD_PARENT_NAME, "Parent's name" },
  { PFDO_CLASS_FIELD_PHONE, "Телефон" },
  { PFDO_CLASS_FIELD_PHONE, "Телефон родителя" },
  { PFDO_CLASS_FIELD_PHONE, "Контактный телефон" },
  { PFDO_CLASS_FIELD_PHONE, "Мобильный телефон" },
  { PFDO_CLASS_FIELD_PHONE, "Тел." },
  { PFDO_CLASS_FIELD_PHONE, "Phone" },
  { PFDO_CLASS_FIELD_PHONE, "Phone number" },
  { PFDO_CLASS_FIELD_PHONE, "Telephone" },
  { PFDO_CLASS_FIELD_PHONE, "Mobile" },
  { PFDO_CLASS_FIELD_PHONE, "Parent's phone" },
  { PFDO_CLASS_FIELD_EMAIL, "E-mail" },
  { PFDO_CLASS_FIELD_EMAIL, "Эл. почта" },
  { PFDO_CLASS_FIELD_EMAIL, "Электронная почта" },
  { PFDO_CLASS_FIELD_EMAIL, "Адрес электронной почты" },
  { PFDO_CLASS_FIELD_EMAIL, "Почта" },
  { PFDO_CLASS_FIELD_EMAIL, "E-mail родителя" },
  { PFDO_CLASS_FIELD_EMAIL, "Mail" },
  { PFDO_CLASS_FIELD_EMAIL, "Parent's e-mail" },
};

/* Spellings of the child's sex, as dup_word_key() gives them. */
static const struct
{
  const char *word;
  const char *sex;
} sex_words[] = {
  { "м", "m" }, { "муж", "m" }, { "мужской", "m" }, { "мальчик", "m" },
  { "m", "m" }, { "male", "m" }, { "boy", "m" },
  { "ж", "f" }, { "жен", "f" }, { "женский", "f" }, { "девочка", "f" },
  { "f", "f" }, { "female", "f" }, { "girl", "f" },
};

/**
 * pfdo_class_field_title:
 * @field: a column
 *
 * Returns: the column's name for the preview and for the message that
 *   lists the expected columns, translated
 */
const char *
pfdo_class_field_title (PfdoClassField field)
{
  switch (field)
    {
    case PFDO_CLASS_FIELD_LAST_NAME:
      return C_("class list column", "Surname");
    case PFDO_CLASS_FIELD_FIRST_NAME:
      return C_("class list column", "Name");
    case PFDO_CLASS_FIELD_MIDDLE_NAME:
      return C_("class list column", "Patronymic");
    case PFDO_CLASS_FIELD_BIRTH_DATE:
      return C_("class list column", "Birth date");
    case PFDO_CLASS_FIELD_SEX:
      return C_("class list column", "Sex");
    case PFDO_CLASS_FIELD_SNILS:
      return C_("class list column", "SNILS");
    case PFDO_CLASS_FIELD_DOCUMENT_TYPE:
      return C_("class list column", "Document type");
    case PFDO_CLASS_FIELD_DOCUMENT_SERIES:
      return C_("class list column", "Series");
    case PFDO_CLASS_FIELD_DOCUMENT_NUMBER:
      return C_("class list column", "Number");
    case PFDO_CLASS_FIELD_PARENT_NAME:
      return C_("class list column", "Parent's full name");
    case PFDO_CLASS_FIELD_PHONE:
      return C_("class list column", "Phone");
    case PFDO_CLASS_FIELD_EMAIL:
      return C_("class list column", "E-mail");
    case PFDO_CLASS_N_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pfdo_class_field_is_required:
 * @field: a column
 *
 * The columns without which no row could be registered: the child's
 * surname, name, birth date and sex, the parent's full name and phone. A
 * file without one of them is refused as a whole. The patronymic, SNILS,
 * document and e-mail may be absent, as at registration; the documents are
 * then seen at verification.
 *
 * Returns: whether a class list must have the column
 */
gboolean
pfdo_class_field_is_required (PfdoClassField field)
{
  switch (field)
    {
    case PFDO_CLASS_FIELD_LAST_NAME:
    case PFDO_CLASS_FIELD_FIRST_NAME:
    case PFDO_CLASS_FIELD_BIRTH_DATE:
    case PFDO_CLASS_FIELD_SEX:
    case PFDO_CLASS_FIELD_PARENT_NAME:
    case PFDO_CLASS_FIELD_PHONE:
      return TRUE;
    case PFDO_CLASS_FIELD_MIDDLE_NAME:
    case PFDO_CLASS_FIELD_SNILS:
    case PFDO_CLASS_FIELD_DOCUMENT_TYPE:
    case PFDO_CLASS_FIELD_DOCUMENT_SERIES:
    case PFDO_CLASS_FIELD_DOCUMENT_NUMBER:
    case PFDO_CLASS_FIELD_EMAIL:
      return FALSE;
    case PFDO_CLASS_N_FIELDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

static void
pfdo_class_row_free (PfdoClassRow *row)
{
  if (row == NULL)
    return;

  for (guint i = 0; i < PFDO_CLASS_N_FIELDS; i++)
    {
      g_free (row->raw[i]);
      g_free (row->value[i]);
      g_free (row->problem[i]);
    }
  g_free (row->parent_last_name);
  g_free (row->parent_first_name);
  g_free (row->parent_middle_name);
  g_free (row->family_key);
  g_free (row->row_key);
  g_free (row);
}

void
pfdo_class_list_free (PfdoClassList *list)
{
  if (list == NULL)
    return;

  g_free (list->encoding);
  g_clear_pointer (&list->headers, g_ptr_array_unref);
  g_clear_pointer (&list->rows, g_ptr_array_unref);
  g_free (list);
}

/**
 * pfdo_class_row_is_valid:
 * @row: a row of a class list
 *
 * Returns: whether no cell of @row has a problem, so that it may be imported
 */
gboolean
pfdo_class_row_is_valid (const PfdoClassRow *row)
{
  g_return_val_if_fail (row != NULL, FALSE);

  for (guint i = 0; i < PFDO_CLASS_N_FIELDS; i++)
    if (row->problem[i] != NULL)
      return FALSE;
  return TRUE;
}

guint
pfdo_class_list_count_valid (const PfdoClassList *list)
{
  guint n = 0;

  g_return_val_if_fail (list != NULL, 0);

  for (guint i = 0; i < list->rows->len; i++)
    if (pfdo_class_row_is_valid (g_ptr_array_index (list->rows, i)))
      n++;
  return n;
}

/* Text and its pieces */

static gboolean
is_empty (const char *raw)
{
  return raw == NULL || *raw == '\0';
}

/* White space trimmed at both ends and each run of it, no-break spaces and
 * the line breaks of a quoted cell included, made one space. */
static char *
dup_squeezed (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F)
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* The letters and digits of @text in lower case with ё as е, leaving out
 * anything in parentheses: "Дата рождения (ДД.ММ.ГГГГ)" and "дата_рождения"
 * are both "датарождения". */
static char *
dup_word_key (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  GString *key = g_string_new (NULL);
  guint depth = 0;

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(')
        depth++;
      else if (c == ')' && depth > 0)
        depth--;
      else if (depth == 0 && g_unichar_isalnum (c))
        g_string_append_unichar (key, c == 0x0451 ? 0x0435 : c);
    }

  return g_string_free (key, FALSE);
}

static gboolean
is_digits (const char *text)
{
  if (is_empty (text))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* @digits with zeros in front up to @width: a spreadsheet that took a
 * number for a figure dropped them. */
static char *
dup_zero_padded (const char *digits,
                 gsize       width)
{
  gsize len = strlen (digits);
  g_autofree char *zeros = NULL;

  if (len >= width)
    return g_strdup (digits);
  zeros = g_strnfill (width - len, '0');
  return g_strconcat (zeros, digits, NULL);
}

/* 1.12233E+10 or 1,12233E+10: a long number a spreadsheet showed in
 * exponent form and saved so, its last digits gone. */
static gboolean
is_exponent_form (const char *text)
{
  const char *p = text;

  if (is_empty (text) || !g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.' || *p == ',')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != 'e' && *p != 'E')
    return FALSE;
  p++;
  if (*p == '+' || *p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return *p == '\0';
}

/* A hex digest of the parts, each ended by a line break (which no cell
 * holds once squeezed). */
static char *
dup_digest (const char *part,
            ...)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  va_list args;

  va_start (args, part);
  for (const char *p = part; p != NULL; p = va_arg (args, const char *))
    {
      g_checksum_update (checksum, (const guchar *) p, -1);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
    }
  va_end (args);

  return g_strdup (g_checksum_get_string (checksum));
}

/* Reading the file */

/* The file as UTF-8 text, its BOM left out. Valid UTF-8 is taken for
 * UTF-8, anything else for Windows-1251: Cyrillic in Windows-1251 is
 * practically never valid UTF-8. */
static char *
decode_text (const char  *data,
             gsize        length,
             char       **out_encoding,
             GError     **error)
{
  char *text;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  /* UTF-16 ("Unicode text" of a spreadsheet) starts with its own BOM or
   * has zero bytes, as binary files do; neither encoding of a class list
   * has them. */
  if ((length >= 2 && (memcmp (data, "\xFF\xFE", 2) == 0 || memcmp (data, "\xFE\xFF", 2) == 0)) ||
      memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
                           _("This is not a CSV file. Save the class list from the spreadsheet "
                             "as CSV (comma or semicolon separated)."));
      return NULL;
    }

  if (g_utf8_validate (data, (gssize) length, NULL))
    {
      *out_encoding = g_strdup ("UTF-8");
      return g_strndup (data, length);
    }

  /* The only way this fails is a byte Windows-1251 does not have (0x98),
   * which the message below says better than iconv's. */
  text = g_convert (data, (gssize) length, "UTF-8", "CP1251", NULL, NULL, NULL);
  if (text == NULL)
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
                           _("The file is neither in UTF-8 nor in Windows-1251. Save the class "
                             "list from the spreadsheet as CSV again."));
      return NULL;
    }

  *out_encoding = g_strdup ("CP1251");
  return text;
}

/* `;` or `,`, whichever the first line that has either holds more of
 * outside quotes: the header line, or a title padded with delimiters. */
static char
detect_delimiter (const char *text)
{
  guint semicolons = 0;
  guint commas = 0;
  guint lines = 0;
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == ';')
        semicolons++;
      else if (*p == ',')
        commas++;
      else if (*p == '\n' && (semicolons + commas > 0 || ++lines >= HEADER_SEARCH_ROWS))
        break;
    }

  return semicolons > 0 && semicolons >= commas ? ';' : ',';
}

/* One row as libcsv gave it, with the line it starts on. */
typedef struct
{
  guint      line;
  GPtrArray *cells;
} Record;

static void
record_free (Record *record)
{
  g_ptr_array_unref (record->cells);
  g_free (record);
}

typedef struct
{
  GPtrArray *records;          /* of Record */
  GPtrArray *cells;            /* of the record being read */
  guint      line;             /* the line being fed to libcsv, from 1 */
  guint      record_line;      /* the line the record being read starts on */
  gboolean   between_records;
} Reader;

static void
reader_field_cb (void   *field,
                 size_t  len,
                 void   *user_data)
{
  Reader *reader = user_data;
  g_autofree char *text = g_strndup (field != NULL ? field : "", len);

  g_ptr_array_add (reader->cells, dup_squeezed (text));
}

static void
reader_row_cb (int   c,
               void *user_data)
{
  Reader *reader = user_data;
  Record *record;
  gboolean empty = TRUE;

  reader->between_records = TRUE;

  /* A row of delimiters only, as spreadsheets write under a table. */
  for (guint i = 0; i < reader->cells->len && empty; i++)
    empty = is_empty (g_ptr_array_index (reader->cells, i));
  if (empty)
    {
      g_ptr_array_set_size (reader->cells, 0);
      return;
    }

  record = g_new0 (Record, 1);
  record->line = reader->record_line;
  record->cells = g_steal_pointer (&reader->cells);
  reader->cells = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (reader->records, record);
}

/* Whether libcsv passes over the line without starting a row. */
static gboolean
is_blank_line (const char *line,
               gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '\n')
      return FALSE;
  return TRUE;
}

static void
set_csv_error (struct csv_parser  *parser,
               guint               line,
               GError            **error)
{
  g_set_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
               _("The file cannot be read as a table at line %u (%s). Check the quotes on that "
                 "line, or save the class list from the spreadsheet as CSV again."),
               line, csv_strerror (csv_error (parser)));
}

/* Splits @text into rows of cells. libcsv is fed one physical line at a
 * time, so that each row knows the line it starts on even when a quoted
 * cell holds a line break. */
static GPtrArray *
read_records (const char  *text,
              char         delimiter,
              GError     **error)
{
  struct csv_parser parser;
  Reader reader = { 0 };
  const char *p = text;

  /* Strict: a stray quote is reported, not silently swallowing the rest
   * of the file into one cell. */
  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    g_assert_not_reached ();
  csv_set_delim (&parser, (unsigned char) delimiter);

  reader.records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  reader.cells = g_ptr_array_new_with_free_func (g_free);
  reader.line = 1;
  reader.between_records = TRUE;

  while (*p != '\0')
    {
      const char *end = p;
      gsize len;

      /* A line ends with \n, \r\n or a lone \r. */
      while (*end != '\0' && *end != '\n' && *end != '\r')
        end++;
      if (*end == '\r')
        end++;
      if (*end == '\n')
        end++;
      len = (gsize) (end - p);

      if (reader.between_records && !is_blank_line (p, len))
        {
          reader.record_line = reader.line;
          reader.between_records = FALSE;
        }

      if (csv_parse (&parser, p, len, reader_field_cb, reader_row_cb, &reader) != len)
        {
          set_csv_error (&parser, reader.line, error);
          goto failed;
        }

      reader.line++;
      p = end;
    }

  if (csv_fini (&parser, reader_field_cb, reader_row_cb, &reader) != 0)
    {
      /* The quoted cell that never closes starts on the record's line. */
      set_csv_error (&parser, reader.record_line, error);
      goto failed;
    }

  csv_free (&parser);
  g_ptr_array_unref (reader.cells);
  return reader.records;

failed:
  csv_free (&parser);
  g_ptr_array_unref (reader.cells);
  g_ptr_array_unref (reader.records);
  return NULL;
}

/* The header */

static gboolean
header_names_field (const char     *key,
                    PfdoClassField *out_field)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_names); i++)
    {
      g_autofree char *name = dup_word_key (header_names[i].name);

      if (g_str_equal (key, name))
        {
          *out_field = header_names[i].field;
          return TRUE;
        }
    }
  return FALSE;
}

/* Finds the known columns among @cells; the first column of a name wins.
 * Returns how many required columns are missing. */
static guint
match_header (GPtrArray *cells,
              int        column[PFDO_CLASS_N_FIELDS])
{
  guint missing = 0;

  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    column[f] = -1;

  for (guint i = 0; i < cells->len; i++)
    {
      g_autofree char *key = dup_word_key (g_ptr_array_index (cells, i));
      PfdoClassField field;

      if (*key != '\0' && header_names_field (key, &field) && column[field] < 0)
        column[field] = (int) i;
    }

  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    if (column[f] < 0 && pfdo_class_field_is_required (f))
      missing++;
  return missing;
}

static void
set_header_error (const int   column[PFDO_CLASS_N_FIELDS],
                  GError    **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) required = g_string_new (NULL);

  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    {
      const char *title = pfdo_class_field_title (f);

      g_string_append_printf (expected, "%s%s", expected->len > 0 ? ", " : "", title);
      if (!pfdo_class_field_is_required (f))
        continue;
      g_string_append_printf (required, "%s%s", required->len > 0 ? ", " : "", title);
      if (column == NULL || column[f] < 0)
        g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", title);
    }

  g_set_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
               _("Columns not found: %s. The first line of the file must name the columns, in "
                 "any order: %s (required: %s)."),
               missing->str, expected->str, required->str);
}

/* The checks of one row */

static void
set_problem (PfdoClassRow   *row,
             PfdoClassField  field,
             const char     *message)
{
  if (row->problem[field] == NULL)
    row->problem[field] = g_strdup (message);
}

/* Sets the message of *@error as the field's problem and clears @error. */
static void
take_problem (PfdoClassRow    *row,
              PfdoClassField   field,
              GError         **error)
{
  g_assert (error != NULL && *error != NULL);
  set_problem (row, field, (*error)->message);
  g_clear_error (error);
}

/* Checks that a required cell is there; returns whether it has text. */
static gboolean
check_filled (PfdoClassRow   *row,
              PfdoClassField  field)
{
  if (!is_empty (row->raw[field]))
    return TRUE;
  if (pfdo_class_field_is_required (field))
    set_problem (row, field, _("The field is empty."));
  return FALSE;
}

/* Checks a cell that must hold a number and reports one in exponent form. */
static gboolean
check_not_exponent (PfdoClassRow   *row,
                    PfdoClassField  field)
{
  if (!is_exponent_form (row->raw[field]))
    return TRUE;
  set_problem (row, field,
               _("The spreadsheet saved this number in exponent form and its last digits are "
                 "lost. Format the column as text in the spreadsheet and type the number "
                 "again."));
  return FALSE;
}

static void
check_name (PfdoClassRow   *row,
            PfdoClassField  field)
{
  GError *error = NULL;

  if (!check_filled (row, field))
    return;
  row->value[field] = pfdo_name_normalize (row->raw[field], field == PFDO_CLASS_FIELD_MIDDLE_NAME,
                                           &error);
  if (error != NULL)
    take_problem (row, field, &error);
}

/* Returns the birth date as YYYY-MM-DD whenever it is a date, even one out
 * of the age range, for the row's identity. */
static char *
check_birth_date (PfdoClassRow *row,
                  const GDate  *today)
{
  static const char *midnights[] = { " 0:00:00", " 00:00:00", " 0:00", " 00:00" };
  g_autofree char *text = NULL;
  GError *error = NULL;
  GDate birth;
  char *iso;
  int age;

  if (!check_filled (row, PFDO_CLASS_FIELD_BIRTH_DATE))
    return NULL;

  /* A date cell saved with its time of day. */
  text = g_strdup (row->raw[PFDO_CLASS_FIELD_BIRTH_DATE]);
  for (guint i = 0; i < G_N_ELEMENTS (midnights); i++)
    if (g_str_has_suffix (text, midnights[i]))
      text[strlen (text) - strlen (midnights[i])] = '\0';

  if (!pfdo_date_parse (text, &birth, &error))
    {
      take_problem (row, PFDO_CLASS_FIELD_BIRTH_DATE, &error);
      return NULL;
    }

  iso = pfdo_date_to_iso (&birth);
  age = pfdo_age_on (&birth, today);
  if (g_date_compare (&birth, today) > 0)
    set_problem (row, PFDO_CLASS_FIELD_BIRTH_DATE, _("The birth date is in the future."));
  else if (age < 5 || age > 17)
    {
      g_autofree char *message =
        g_strdup_printf (_("A certificate is issued to children aged 5 to 17; by this date the "
                           "child is %d."), age);

      set_problem (row, PFDO_CLASS_FIELD_BIRTH_DATE, message);
    }
  else
    row->value[PFDO_CLASS_FIELD_BIRTH_DATE] = g_strdup (iso);

  return iso;
}

static void
check_sex (PfdoClassRow *row)
{
  g_autofree char *key = NULL;

  if (!check_filled (row, PFDO_CLASS_FIELD_SEX))
    return;

  key = dup_word_key (row->raw[PFDO_CLASS_FIELD_SEX]);
  for (guint i = 0; i < G_N_ELEMENTS (sex_words); i++)
    if (g_str_equal (key, sex_words[i].word))
      {
        row->value[PFDO_CLASS_FIELD_SEX] = g_strdup (sex_words[i].sex);
        return;
      }

  set_problem (row, PFDO_CLASS_FIELD_SEX, _("Write the sex as M (male) or F (female)."));
}

static void
check_snils (PfdoClassRow *row)
{
  const char *raw = row->raw[PFDO_CLASS_FIELD_SNILS];
  GError *error = NULL;

  if (!check_filled (row, PFDO_CLASS_FIELD_SNILS) ||
      !check_not_exponent (row, PFDO_CLASS_FIELD_SNILS))
    return;

  if (is_digits (raw) && strlen (raw) < 11)
    {
      g_autofree char *padded = dup_zero_padded (raw, 11);

      /* Only a number the checksum guards gets its zeros back; a short
       * number in the unchecked range is more likely cut than padded. */
      if (g_ascii_strtoull (padded, NULL, 10) / 100 > SNILS_UNCHECKED_MAX)
        raw = padded;
      row->value[PFDO_CLASS_FIELD_SNILS] = pfdo_snils_normalize (raw, &error);
    }
  else
    row->value[PFDO_CLASS_FIELD_SNILS] = pfdo_snils_normalize (raw, &error);

  if (error != NULL)
    take_problem (row, PFDO_CLASS_FIELD_SNILS, &error);
}

static const char *
parse_document_type (const char *raw)
{
  g_autofree char *key = dup_word_key (raw);

  /* "Паспорт иностранного гражданина" is a foreign document. */
  if (strstr (key, "иностран") != NULL || g_str_has_prefix (key, "foreign"))
    return "foreign";
  if (g_str_has_prefix (key, "свид") || g_str_has_prefix (key, "свво") ||
      g_str_equal (key, "сор") || g_str_has_prefix (key, "birth"))
    return "birth_certificate";
  if (g_str_has_prefix (key, "паспорт") || g_str_has_prefix (key, "passport"))
    return "passport";
  return NULL;
}

/* The number of digits of @text if it has nothing but digits and spaces. */
static int
count_digits_only (const char *text)
{
  int n = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        n++;
      else if (*p != ' ')
        return -1;
    }
  return n;
}

/* The kind of document told by its series when the cell is empty: a
 * birth certificate's series is a Roman number and two Cyrillic letters
 * (III-АБ); a passport's, four digits (three when a zero was lost). */
static const char *
infer_document_type (const char *series)
{
  int digits;

  if (is_empty (series))
    return NULL;
  if (pfdo_document_validate ("birth_certificate", series, "000000", NULL, NULL, NULL))
    return "birth_certificate";
  digits = count_digits_only (series);
  if (digits == 3 || digits == 4)
    return "passport";
  return NULL;
}

static void
check_document (PfdoClassRow *row)
{
  const char *type_raw = row->raw[PFDO_CLASS_FIELD_DOCUMENT_TYPE];
  const char *series_raw = row->raw[PFDO_CLASS_FIELD_DOCUMENT_SERIES];
  const char *number_raw = row->raw[PFDO_CLASS_FIELD_DOCUMENT_NUMBER];
  g_autofree char *series = NULL;
  g_autofree char *number = NULL;
  const char *type;
  const char *sample_series;
  const char *sample_number;
  GError *error = NULL;

  /* The document is optional at registration, and seen at verification. */
  if (is_empty (type_raw) && is_empty (series_raw) && is_empty (number_raw))
    return;

  check_not_exponent (row, PFDO_CLASS_FIELD_DOCUMENT_SERIES);
  check_not_exponent (row, PFDO_CLASS_FIELD_DOCUMENT_NUMBER);

  if (!is_empty (type_raw))
    {
      type = parse_document_type (type_raw);
      if (type == NULL)
        set_problem (row, PFDO_CLASS_FIELD_DOCUMENT_TYPE,
                     _("Write the kind of document: birth certificate, passport or foreign "
                       "document."));
    }
  else
    {
      type = infer_document_type (series_raw);
      if (type == NULL)
        set_problem (row, PFDO_CLASS_FIELD_DOCUMENT_TYPE,
                     _("The kind of document is not given and the series does not tell it. "
                       "Write birth certificate, passport or foreign document."));
    }
  if (type == NULL)
    return;
  row->value[PFDO_CLASS_FIELD_DOCUMENT_TYPE] = g_strdup (type);

  /* Zeros a spreadsheet dropped from the front of a number. */
  if (g_str_equal (type, "passport") && is_digits (series_raw) && strlen (series_raw) == 3)
    series = dup_zero_padded (series_raw, 4);
  else
    series = g_strdup (series_raw);
  if (!g_str_equal (type, "foreign") && is_digits (number_raw) && strlen (number_raw) < 6)
    number = dup_zero_padded (number_raw, 6);
  else
    number = g_strdup (number_raw);

  /* Each cell is checked with a sound counterpart, so that the problem
   * shows at the cell that has it, by the same rules as registration. */
  if (g_str_equal (type, "birth_certificate"))
    {
      sample_series = "I-АА";
      sample_number = "000000";
    }
  else if (g_str_equal (type, "passport"))
    {
      sample_series = "0000";
      sample_number = "000000";
    }
  else
    {
      sample_series = NULL;
      sample_number = "0";
    }

  if (row->problem[PFDO_CLASS_FIELD_DOCUMENT_NUMBER] == NULL)
    {
      if (is_empty (number))
        set_problem (row, PFDO_CLASS_FIELD_DOCUMENT_NUMBER, _("The field is empty."));
      else if (!pfdo_document_validate (type, sample_series, number, NULL,
                                        &row->value[PFDO_CLASS_FIELD_DOCUMENT_NUMBER], &error))
        take_problem (row, PFDO_CLASS_FIELD_DOCUMENT_NUMBER, &error);
    }

  if (row->problem[PFDO_CLASS_FIELD_DOCUMENT_SERIES] == NULL)
    {
      if (is_empty (series) && !g_str_equal (type, "foreign"))
        set_problem (row, PFDO_CLASS_FIELD_DOCUMENT_SERIES, _("The field is empty."));
      else if (!pfdo_document_validate (type, series, sample_number,
                                        &row->value[PFDO_CLASS_FIELD_DOCUMENT_SERIES], NULL,
                                        &error))
        take_problem (row, PFDO_CLASS_FIELD_DOCUMENT_SERIES, &error);
    }
}

/* "Петрова - Водкина" as "Петрова-Водкина", so that a double surname stays
 * one word when the full name is split at its spaces. */
static char *
dup_hyphens_joined (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' && (p[1] == '-' || (out->len > 0 && out->str[out->len - 1] == '-')))
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* ФИО родителя in one cell: the surname, the name, and the rest as the
 * patronymic ("Мамедов Али Гасан оглы"). */
static void
check_parent (PfdoClassRow *row)
{
  static const struct
  {
    const char *label;
    gboolean    optional;
  } parts_info[] = {
    { N_("Parent's surname"), FALSE },
    { N_("Parent's name"), FALSE },
    { N_("Parent's patronymic"), TRUE },
  };
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  char *names[3] = { NULL, NULL, NULL };

  if (!check_filled (row, PFDO_CLASS_FIELD_PARENT_NAME))
    return;

  text = dup_hyphens_joined (row->raw[PFDO_CLASS_FIELD_PARENT_NAME]);
  parts = g_strsplit (text, " ", 3);
  if (g_strv_length (parts) < 2)
    {
      set_problem (row, PFDO_CLASS_FIELD_PARENT_NAME,
                   _("Write the parent's surname, name and patronymic in this cell."));
      return;
    }

  for (guint i = 0; i < 3 && parts[i] != NULL; i++)
    {
      GError *error = NULL;

      names[i] = pfdo_name_normalize (parts[i], parts_info[i].optional, &error);
      if (error != NULL)
        {
          g_autofree char *message = g_strdup_printf ("%s: %s", _(parts_info[i].label),
                                                      error->message);

          set_problem (row, PFDO_CLASS_FIELD_PARENT_NAME, message);
          g_error_free (error);
          break;
        }
    }

  if (row->problem[PFDO_CLASS_FIELD_PARENT_NAME] != NULL)
    {
      for (guint i = 0; i < 3; i++)
        g_free (names[i]);
      return;
    }

  row->value[PFDO_CLASS_FIELD_PARENT_NAME] = names[2] != NULL
    ? g_strjoin (" ", names[0], names[1], names[2], NULL)
    : g_strjoin (" ", names[0], names[1], NULL);
  row->parent_last_name = names[0];
  row->parent_first_name = names[1];
  row->parent_middle_name = names[2];
}

static void
check_phone (PfdoClassRow *row)
{
  GError *error = NULL;

  if (!check_filled (row, PFDO_CLASS_FIELD_PHONE) ||
      !check_not_exponent (row, PFDO_CLASS_FIELD_PHONE))
    return;

  /* Ten digits starting with 9 are a number without its +7. */
  row->value[PFDO_CLASS_FIELD_PHONE] = pfdo_phone_normalize (row->raw[PFDO_CLASS_FIELD_PHONE],
                                                             &error);
  if (error != NULL)
    take_problem (row, PFDO_CLASS_FIELD_PHONE, &error);
}

static void
check_email (PfdoClassRow *row)
{
  GError *error = NULL;

  if (!check_filled (row, PFDO_CLASS_FIELD_EMAIL))
    return;

  row->value[PFDO_CLASS_FIELD_EMAIL] = pfdo_email_normalize (row->raw[PFDO_CLASS_FIELD_EMAIL],
                                                             &error);
  if (error != NULL)
    take_problem (row, PFDO_CLASS_FIELD_EMAIL, &error);
}

/* The folded spelling of a cell for a key: its normalised value when it
 * has one, else the cell as typed. */
static char *
dup_key_part (const PfdoClassRow *row,
              PfdoClassField      field)
{
  const char *text = row->value[field] != NULL ? row->value[field] : row->raw[field];

  return pfdo_text_fold (text != NULL ? text : "");
}

/* Builds the row of @record and checks it. Returns whether the row has a
 * known identity (surname, name and a date), which is then in row_key. */
static PfdoClassRow *
row_new (const Record *record,
         const int     column[PFDO_CLASS_N_FIELDS],
         const GDate  *today,
         gboolean     *out_identified)
{
  PfdoClassRow *row = g_new0 (PfdoClassRow, 1);
  g_autofree char *birth_date = NULL;

  row->line = record->line;
  for (guint f = 0; f < PFDO_CLASS_N_FIELDS; f++)
    if (column[f] >= 0)
      row->raw[f] = g_strdup ((guint) column[f] < record->cells->len
                              ? g_ptr_array_index (record->cells, column[f])
                              : "");

  check_name (row, PFDO_CLASS_FIELD_LAST_NAME);
  check_name (row, PFDO_CLASS_FIELD_FIRST_NAME);
  check_name (row, PFDO_CLASS_FIELD_MIDDLE_NAME);
  birth_date = check_birth_date (row, today);
  check_sex (row);
  check_snils (row);
  check_document (row);
  check_parent (row);
  check_phone (row);
  check_email (row);

  {
    g_autofree char *last = dup_key_part (row, PFDO_CLASS_FIELD_LAST_NAME);
    g_autofree char *first = dup_key_part (row, PFDO_CLASS_FIELD_FIRST_NAME);
    g_autofree char *date = birth_date != NULL ? g_strdup (birth_date)
                                               : dup_key_part (row, PFDO_CLASS_FIELD_BIRTH_DATE);
    g_autofree char *parent = dup_key_part (row, PFDO_CLASS_FIELD_PARENT_NAME);
    g_autofree char *phone = row->value[PFDO_CLASS_FIELD_PHONE] != NULL
                               ? g_strdup (row->value[PFDO_CLASS_FIELD_PHONE])
                               : pfdo_text_digits (row->raw[PFDO_CLASS_FIELD_PHONE]);

    row->row_key = dup_digest ("child", last, first, date, NULL);
    row->family_key = dup_digest ("family", parent, phone, NULL);
  }

  *out_identified = row->value[PFDO_CLASS_FIELD_LAST_NAME] != NULL &&
                    row->value[PFDO_CLASS_FIELD_FIRST_NAME] != NULL && birth_date != NULL;
  return row;
}

/**
 * pfdo_class_list_parse:
 * @data: the bytes of a CSV file
 * @length: the length of @data
 * @error: return location for a #PFDO_VALIDATION_ERROR
 *
 * Reads a class list: detects the encoding and the delimiter, finds the
 * header among the first lines by the names of its columns, and checks
 * every row. A row's problems do not fail the parse; they are in the row.
 * The file is refused as a whole when it is not CSV text, when libcsv
 * cannot read it, or when a required column is missing; the message then
 * names the columns expected.
 *
 * Returns: (transfer full) (nullable): the list, or %NULL with @error set
 */
PfdoClassList *
pfdo_class_list_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(PfdoClassList) list = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;
  int best_column[PFDO_CLASS_N_FIELDS];
  guint best_missing = G_MAXUINT;
  guint header = G_MAXUINT;
  GDate today;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > CLASS_LIST_MAX_BYTES)
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
                           _("The file is too large for a class list."));
      return NULL;
    }

  list = g_new0 (PfdoClassList, 1);
  list->headers = g_ptr_array_new_with_free_func (g_free);
  list->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_class_row_free);

  text = decode_text (data != NULL ? data : "", length, &list->encoding, error);
  if (text == NULL)
    return NULL;
  list->delimiter = detect_delimiter (text);

  records = read_records (text, list->delimiter, error);
  if (records == NULL)
    return NULL;
  if (records->len == 0)
    {
      g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID,
                           _("The file is empty."));
      return NULL;
    }

  /* The header is the first row that names every required column. */
  for (guint i = 0; i < records->len && i < HEADER_SEARCH_ROWS && header == G_MAXUINT; i++)
    {
      Record *record = g_ptr_array_index (records, i);
      int column[PFDO_CLASS_N_FIELDS];
      guint missing = match_header (record->cells, column);

      if (missing < best_missing)
        {
          best_missing = missing;
          memcpy (best_column, column, sizeof column);
        }
      if (missing == 0)
        header = i;
    }

  if (header == G_MAXUINT)
    {
      set_header_error (best_column, error);
      return NULL;
    }

  memcpy (list->column, best_column, sizeof best_column);
  {
    Record *record = g_ptr_array_index (records, header);

    for (guint i = 0; i < record->cells->len; i++)
      g_ptr_array_add (list->headers, g_strdup (g_ptr_array_index (record->cells, i)));
  }

  now = g_date_time_new_now_local ();
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));

  /* The same child twice in one file would be registered twice. */
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);

  for (guint i = header + 1; i < records->len; i++)
    {
      PfdoClassRow *row;
      gboolean identified = FALSE;
      PfdoClassRow *earlier;

      row = row_new (g_ptr_array_index (records, i), list->column, &today, &identified);
      g_ptr_array_add (list->rows, row);
      if (!identified)
        continue;

      earlier = g_hash_table_lookup (seen, row->row_key);
      if (earlier != NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("A child with the same surname, name and birth date is already "
                               "on line %u."), earlier->line);

          set_problem (row, PFDO_CLASS_FIELD_LAST_NAME, message);
        }
      else
        g_hash_table_insert (seen, row->row_key, row);
    }

  return g_steal_pointer (&list);
}

/**
 * pfdo_class_list_load:
 * @path: a CSV file
 * @error: return location for a #GFileError or a #PFDO_VALIDATION_ERROR
 *
 * Reads the file and parses it as pfdo_class_list_parse() does.
 *
 * Returns: (transfer full) (nullable): the list, or %NULL with @error set
 */
PfdoClassList *
pfdo_class_list_load (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return pfdo_class_list_parse (contents, length, error);
}
