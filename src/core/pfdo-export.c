/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "pfdo-error.h"
#include "pfdo-export.h"
#include "pfdo-validate.h"

/*
 * The export of a parent-meeting session: one line per child, as a CSV file
 * that a spreadsheet opens as it is, or as an .xlsx workbook.
 *
 * Both are written to a temporary file beside the target, flushed to the
 * disk and renamed over the target, so that a crash or a full disk leaves
 * either the old file or the new one, never half a file. The files hold
 * personal data and are created readable by their owner only (0600).
 */

typedef enum
{
  COLUMN_FAMILY,
  COLUMN_PARENT,
  COLUMN_PHONE,
  COLUMN_EMAIL,
  COLUMN_LAST_NAME,
  COLUMN_FIRST_NAME,
  COLUMN_MIDDLE_NAME,
  COLUMN_BIRTH_DATE,
  COLUMN_CERTIFICATE,
  COLUMN_CERTIFICATE_STATUS,
  COLUMN_VERIFICATION,
  N_COLUMNS
} Column;

/* What a cell holds decides how each format writes it. */
typedef enum
{
  CELL_EMPTY,
  CELL_NUMBER,     /* the family's number */
  CELL_TEXT,       /* words of the desk's own, such as a status */
  CELL_USER_TEXT,  /* typed by a person: may look like a formula */
  CELL_LITERAL,    /* digits that must stay text: certificate number, phone */
  CELL_DATE,
} CellKind;

typedef struct
{
  CellKind  kind;
  char     *text;
  guint     number;
  GDate     date;
} Cell;

/* Excel's widest useful column and the extra room a header needs for the
 * autofilter's drop-down button, in characters. */
#define MAX_COLUMN_WIDTH 60.0
#define FILTER_BUTTON_WIDTH 3.0

/* Excel's limit on a sheet name, in UTF-16 code units. */
#define SHEET_NAME_MAX 31

static const char *
column_title (Column column)
{
  switch (column)
    {
    case COLUMN_FAMILY:
      return C_("export column", "Family No.");
    case COLUMN_PARENT:
      return C_("export column", "Parent");
    case COLUMN_PHONE:
      return C_("export column", "Phone");
    case COLUMN_EMAIL:
      return C_("export column", "E-mail");
    case COLUMN_LAST_NAME:
      return C_("export column", "Child's surname");
    case COLUMN_FIRST_NAME:
      return C_("export column", "First name");
    case COLUMN_MIDDLE_NAME:
      return C_("export column", "Patronymic");
    case COLUMN_BIRTH_DATE:
      return C_("export column", "Date of birth");
    case COLUMN_CERTIFICATE:
      return C_("export column", "Certificate number");
    case COLUMN_CERTIFICATE_STATUS:
      return C_("export column", "Certificate status");
    case COLUMN_VERIFICATION:
      return C_("export column", "Data confirmation");
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/**
 * pfdo_export_format_from_string:
 * @name: `csv` or `xlsx`, in any case
 * @out_format: (out) (optional): the format
 *
 * Returns: whether @name is a known format
 */
gboolean
pfdo_export_format_from_string (const char       *name,
                                PfdoExportFormat *out_format)
{
  PfdoExportFormat format;

  g_return_val_if_fail (name != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "csv") == 0)
    format = PFDO_EXPORT_CSV;
  else if (g_ascii_strcasecmp (name, "xlsx") == 0)
    format = PFDO_EXPORT_XLSX;
  else
    return FALSE;

  if (out_format != NULL)
    *out_format = format;
  return TRUE;
}

/**
 * pfdo_export_format_to_string:
 *
 * Returns: (transfer none): the format's name, which is also the file's
 *   extension: `csv` or `xlsx`
 */
const char *
pfdo_export_format_to_string (PfdoExportFormat format)
{
  switch (format)
    {
    case PFDO_EXPORT_CSV:
      return "csv";
    case PFDO_EXPORT_XLSX:
      return "xlsx";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pfdo_export_certificate_status_label:
 * @status: (nullable): issued, accounting, personified, frozen or closed
 *
 * The same words as the desk's certificate list uses.
 *
 * Returns: (transfer none): the status in the operator's words; empty for
 *   a child without a certificate, and an unknown status as it is
 */
const char *
pfdo_export_certificate_status_label (const char *status)
{
  if (status == NULL)
    return "";
  if (g_str_equal (status, "issued"))
    return _("Issued");
  if (g_str_equal (status, "accounting"))
    return _("Accounting");
  if (g_str_equal (status, "personified"))
    return _("Personified");
  if (g_str_equal (status, "frozen"))
    return _("Frozen");
  if (g_str_equal (status, "closed"))
    return _("Closed");
  return status;
}

/**
 * pfdo_export_verification_status_label:
 * @status: (nullable): unverified, verified or rejected
 *
 * The same words as the desk's verification view uses.
 *
 * Returns: (transfer none): the state of the check of the child's data
 */
const char *
pfdo_export_verification_status_label (const char *status)
{
  if (status == NULL)
    return "";
  if (g_str_equal (status, "unverified"))
    return _("Awaiting confirmation");
  if (g_str_equal (status, "verified"))
    return _("Confirmed");
  if (g_str_equal (status, "rejected"))
    return _("Rejected");
  return status;
}

static gboolean
is_sheet_name_edge (gunichar c)
{
  return c == '\'' || g_unichar_isspace (c);
}

/* Removes apostrophes and spaces from both ends: Excel refuses a sheet name
 * that starts or ends with an apostrophe. */
static void
strip_sheet_name_edges (GString *name)
{
  while (name->len > 0 && is_sheet_name_edge (g_utf8_get_char (name->str)))
    g_string_erase (name, 0, g_utf8_next_char (name->str) - name->str);

  while (name->len > 0)
    {
      const char *last = g_utf8_find_prev_char (name->str, name->str + name->len);

      if (!is_sheet_name_edge (g_utf8_get_char (last)))
        break;
      g_string_truncate (name, last - name->str);
    }
}

/**
 * pfdo_export_sheet_name:
 * @title: (nullable): the session's title
 *
 * Makes @title a name that Excel accepts for a worksheet: at most 31
 * characters, none of `[ ] : * ? / \`, no apostrophe at either end, not
 * empty and not the reserved “History”. Brackets become parentheses,
 * slashes dashes (dates stay readable) and a colon a dot.
 *
 * Returns: (transfer full): the sheet's name
 */
char *
pfdo_export_sheet_name (const char *title)
{
  g_autofree char *valid = g_utf8_make_valid (title != NULL ? title : "", -1);
  g_autoptr(GString) name = g_string_new (NULL);
  const char *end;
  guint units = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '[':
          c = '(';
          break;
        case ']':
          c = ')';
          break;
        case '/':
        case '\\':
          c = '-';
          break;
        case ':':
          c = '.';
          break;
        case '*':
        case '?':
          continue;
        default:
          if (g_unichar_iscntrl (c))
            c = ' ';
          break;
        }
      g_string_append_unichar (name, c);
    }
  strip_sheet_name_edges (name);

  /* Excel counts UTF-16 code units: a character beyond the BMP is two. */
  end = name->str;
  while (*end != '\0')
    {
      guint width = g_utf8_get_char (end) > 0xFFFF ? 2 : 1;

      if (units + width > SHEET_NAME_MAX)
        break;
      units += width;
      end = g_utf8_next_char (end);
    }
  g_string_truncate (name, end - name->str);
  strip_sheet_name_edges (name);

  if (name->len == 0 || g_ascii_strcasecmp (name->str, "History") == 0)
    return g_strdup (C_("sheet name", "Session"));

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Reads an ISO 8601 calendar date, and nothing else. */
static gboolean
parse_iso_date (const char *text,
                GDate      *out_date)
{
  guint value[3] = { 0, 0, 0 };
  const guint starts[3] = { 0, 5, 8 };
  const guint lengths[3] = { 4, 2, 2 };

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;

  for (guint i = 0; i < 3; i++)
    for (guint j = starts[i]; j < starts[i] + lengths[i]; j++)
      {
        if (!g_ascii_isdigit (text[j]))
          return FALSE;
        value[i] = value[i] * 10 + (guint) (text[j] - '0');
      }

  /* Excel's dates start in 1900. */
  if (value[0] < 1900 || !g_date_valid_dmy (value[2], value[1], value[0]))
    return FALSE;

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, value[2], value[1], value[0]);
  return TRUE;
}

static void
set_text_cell (Cell       *cell,
               CellKind    kind,
               const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  cell->kind = kind;
  cell->text = g_utf8_make_valid (text, -1);
}

/* The cells of one line, in column order; free them with clear_cells(). */
static void
fill_cells (const PfdoExportRow *row,
            Cell                 cells[N_COLUMNS])
{
  memset (cells, 0, sizeof (Cell) * N_COLUMNS);

  cells[COLUMN_FAMILY].kind = CELL_NUMBER;
  cells[COLUMN_FAMILY].number = row->family_no;

  set_text_cell (&cells[COLUMN_PARENT], CELL_USER_TEXT, row->parent_name);
  if (row->phone != NULL && *row->phone != '\0')
    {
      g_autofree char *formatted = pfdo_phone_format (row->phone);

      set_text_cell (&cells[COLUMN_PHONE], CELL_LITERAL, formatted);
    }
  set_text_cell (&cells[COLUMN_EMAIL], CELL_USER_TEXT, row->email);
  set_text_cell (&cells[COLUMN_LAST_NAME], CELL_USER_TEXT, row->child_last_name);
  set_text_cell (&cells[COLUMN_FIRST_NAME], CELL_USER_TEXT, row->child_first_name);
  set_text_cell (&cells[COLUMN_MIDDLE_NAME], CELL_USER_TEXT, row->child_middle_name);

  if (parse_iso_date (row->birth_date, &cells[COLUMN_BIRTH_DATE].date))
    cells[COLUMN_BIRTH_DATE].kind = CELL_DATE;
  else
    set_text_cell (&cells[COLUMN_BIRTH_DATE], CELL_USER_TEXT, row->birth_date);

  set_text_cell (&cells[COLUMN_CERTIFICATE], CELL_LITERAL, row->certificate_number);
  set_text_cell (&cells[COLUMN_CERTIFICATE_STATUS], CELL_TEXT,
                 pfdo_export_certificate_status_label (row->certificate_status));
  set_text_cell (&cells[COLUMN_VERIFICATION], CELL_TEXT,
                 pfdo_export_verification_status_label (row->verification_status));
}

static void
clear_cells (Cell cells[N_COLUMNS])
{
  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_pointer (&cells[i].text, g_free);
}

/* Files */

static void
set_file_error (GError    **error,
                const char *path,
                int         saved_errno)
{
  g_autofree char *name = g_filename_display_basename (path);
  int code = PFDO_STORE_ERROR_IO;

  if (saved_errno == ENOSPC)
    code = PFDO_STORE_ERROR_FULL;
#ifdef EDQUOT
  if (saved_errno == EDQUOT)
    code = PFDO_STORE_ERROR_FULL;
#endif

  g_set_error (error, PFDO_STORE_ERROR, code,
               _("Could not save “%s”: %s"), name, g_strerror (saved_errno));
}

/* Creates an empty temporary file in the target's folder, so that the final
 * rename stays on one file system and is atomic. */
static int
open_temp_beside (const char  *path,
                  char       **out_temp_path,
                  GError     **error)
{
  g_autofree char *temp_path = g_strconcat (path, ".XXXXXX", NULL);
  int fd;

  fd = g_mkstemp_full (temp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_file_error (error, path, errno);
      return -1;
    }

  *out_temp_path = g_steal_pointer (&temp_path);
  return fd;
}

/* Flushes the temporary file to the disk and puts it in the target's place;
 * takes @fd, or opens the file again when @fd is -1. On failure the
 * temporary file is removed. */
static gboolean
commit_temp (int          fd,
             const char  *temp_path,
             const char  *path,
             GError     **error)
{
  int saved_errno = 0;

  if (fd < 0)
    fd = g_open (temp_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    saved_errno = errno;
  else
    {
      if (g_fsync (fd) != 0)
        saved_errno = errno;
      if (close (fd) != 0 && saved_errno == 0)
        saved_errno = errno;
    }

  if (saved_errno == 0 && g_rename (temp_path, path) != 0)
    saved_errno = errno;

  if (saved_errno != 0)
    {
      g_unlink (temp_path);
      set_file_error (error, path, saved_errno);
      return FALSE;
    }
  return TRUE;
}

static int
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return errno;
        }
      data += written;
      length -= (gsize) written;
    }
  return 0;
}

/* CSV */

/* A cell that starts like a formula is run as one by Excel and Calc (CSV
 * or formula injection, OWASP): a typed value gets a leading apostrophe,
 * which shows that it is text. The full-width signs are read as formulas
 * by some East Asian versions of Excel. */
static gboolean
looks_like_formula (const char *text)
{
  switch (g_utf8_get_char (text))
    {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case '\n':
    case 0xFF1D:  /* FULLWIDTH EQUALS SIGN */
    case 0xFF0B:  /* FULLWIDTH PLUS SIGN */
    case 0xFF0D:  /* FULLWIDTH HYPHEN-MINUS */
    case 0xFF20:  /* FULLWIDTH COMMERCIAL AT */
      return TRUE;
    default:
      return FALSE;
    }
}

/* The text of a cell as the CSV file holds it, before quoting.
 *
 * Certificate numbers and phones are written as text formulas, ="0012345678".
 * The alternatives lose or soil the value:
 *  - a plain 0012345678 becomes the number 12345678 in Excel and in Calc,
 *    and so does a quoted one: quotes only delimit a CSV field;
 *  - a leading apostrophe marks text when typed, but a CSV reader keeps it
 *    as part of the value, in sight;
 *  - a leading tab or zero-width space keeps the digits text, but travels
 *    unseen with every copied number and breaks searches and lookups.
 * Excel, which opens a CSV file without asking, evaluates the formula to the
 * text with its zeros. Calc (checked with 7.4) does the same when “Evaluate
 * formulas” is checked in its import dialog, and otherwise shows
 * ="0012345678" as it is, every digit still there. A spreadsheet saves the
 * value, not the formula, when it writes the file again. The .xlsx export
 * needs no such compromise: its cells are typed. A phone gets the same form
 * because Excel takes its leading plus for the start of a formula. */
static char *
csv_cell_text (const Cell *cell)
{
  switch (cell->kind)
    {
    case CELL_EMPTY:
      return g_strdup ("");
    case CELL_NUMBER:
      return g_strdup_printf ("%u", cell->number);
    case CELL_TEXT:
      return g_strdup (cell->text);
    case CELL_USER_TEXT:
      if (looks_like_formula (cell->text))
        return g_strconcat ("'", cell->text, NULL);
      return g_strdup (cell->text);
    case CELL_LITERAL:
      {
        GString *formula = g_string_new ("=\"");

        for (const char *p = cell->text; *p != '\0'; p++)
          {
            if (*p == '"')
              g_string_append_c (formula, '"');
            g_string_append_c (formula, *p);
          }
        g_string_append_c (formula, '"');
        return g_string_free (formula, FALSE);
      }
    case CELL_DATE:
      return g_strdup_printf ("%02u.%02u.%04u", g_date_get_day (&cell->date),
                              (guint) g_date_get_month (&cell->date),
                              (guint) g_date_get_year (&cell->date));
    default:
      g_assert_not_reached ();
    }
}

/* RFC 4180 quoting: a field with the delimiter, a quote or a line break is
 * put in quotes, and its quotes doubled. */
static void
append_csv_field (GString    *out,
                  const char *value)
{
  if (strpbrk (value, ";\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* UTF-8 with a byte order mark, which is how Excel tells UTF-8 from the
 * ANSI code page (cp1251 on a Russian Windows); a semicolon between fields,
 * the list separator of the Russian locale, so that Excel splits the
 * columns when the file is simply opened; CRLF after every line. */
static char *
build_csv (const PfdoExportRow *rows,
           guint                n_rows,
           gsize               *out_length)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (c > 0)
        g_string_append_c (out, ';');
      append_csv_field (out, column_title (c));
    }
  g_string_append (out, "\r\n");

  for (guint i = 0; i < n_rows; i++)
    {
      Cell cells[N_COLUMNS];

      fill_cells (&rows[i], cells);
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          g_autofree char *text = csv_cell_text (&cells[c]);

          if (c > 0)
            g_string_append_c (out, ';');
          append_csv_field (out, text);
        }
      g_string_append (out, "\r\n");
      clear_cells (cells);
    }

  *out_length = out->len;
  return g_string_free (out, FALSE);
}

static gboolean
write_csv (const char          *path,
           const PfdoExportRow *rows,
           guint                n_rows,
           GError             **error)
{
  g_autofree char *temp_path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  int saved_errno;
  int fd;

  data = build_csv (rows, n_rows, &length);

  fd = open_temp_beside (path, &temp_path, error);
  if (fd < 0)
    return FALSE;

  saved_errno = write_all (fd, data, length);
  if (saved_errno != 0)
    {
      close (fd);
      g_unlink (temp_path);
      set_file_error (error, path, saved_errno);
      return FALSE;
    }

  return commit_temp (fd, temp_path, path, error);
}

/* XLSX */

static void
set_xlsx_error (GError     **error,
                const char  *path,
                lxw_error    err)
{
  g_autofree char *name = g_filename_display_basename (path);

  g_debug ("libxlsxwriter failed: %s", lxw_strerror (err));

  switch (err)
    {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("There is not enough memory to build the spreadsheet “%s”."), name);
      break;

    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("Could not save “%s”: a value is too long for a spreadsheet cell."), name);
      break;

    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("Could not save “%s”: the session has more lines than a worksheet holds."),
                   name);
      break;

    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_IO,
                   _("Could not save “%s”: the spreadsheet could not be written to the disk."),
                   name);
      break;

    default:
      g_set_error (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                   _("Could not build the spreadsheet “%s”."), name);
      break;
    }
}

/* The width a column needs for @cell, in characters of the default font. */
static double
cell_width (const Cell *cell)
{
  switch (cell->kind)
    {
    case CELL_EMPTY:
      return 0;
    case CELL_NUMBER:
      return 1 + (cell->number >= 10) + (cell->number >= 100) + (cell->number >= 1000);
    case CELL_DATE:
      return 10;
    case CELL_TEXT:
    case CELL_USER_TEXT:
    case CELL_LITERAL:
    default:
      {
        g_auto(GStrv) lines = g_strsplit_set (cell->text, "\r\n", -1);
        glong widest = 0;

        for (guint i = 0; lines[i] != NULL; i++)
          widest = MAX (widest, g_utf8_strlen (lines[i], -1));
        return widest;
      }
    }
}

static lxw_error
write_cell (lxw_worksheet *sheet,
            lxw_row_t      row,
            lxw_col_t      col,
            const Cell    *cell,
            lxw_format    *date_format,
            lxw_format    *literal_format)
{
  switch (cell->kind)
    {
    case CELL_EMPTY:
      return LXW_NO_ERROR;

    case CELL_NUMBER:
      return worksheet_write_number (sheet, row, col, cell->number, NULL);

    case CELL_TEXT:
    case CELL_USER_TEXT:
      /* A string cell is never read as a formula: no apostrophe is needed. */
      return worksheet_write_string (sheet, row, col, cell->text, NULL);

    case CELL_LITERAL:
      /* A string cell in the built-in Text format (49, “@”) stays text when it
       * is edited. */
      return worksheet_write_string (sheet, row, col, cell->text, literal_format);

    case CELL_DATE:
      {
        lxw_datetime datetime = {
          .year = g_date_get_year (&cell->date),
          .month = g_date_get_month (&cell->date),
          .day = g_date_get_day (&cell->date),
        };

        return worksheet_write_datetime (sheet, row, col, &datetime, date_format);
      }

    default:
      g_assert_not_reached ();
    }
}

static lxw_error
fill_workbook (lxw_workbook        *workbook,
               const char          *title,
               const PfdoExportRow *rows,
               guint                n_rows)
{
  g_autofree char *sheet_name = pfdo_export_sheet_name (title);
  g_autofree char *doc_title = g_utf8_make_valid (title != NULL ? title : sheet_name, -1);
  lxw_doc_properties properties = { .title = doc_title };
  lxw_format *header_format;
  lxw_format *date_format;
  lxw_format *literal_format;
  lxw_worksheet *sheet;
  double widths[N_COLUMNS];
  lxw_error err;

  err = workbook_set_properties (workbook, &properties);
  if (err != LXW_NO_ERROR)
    return err;

  err = workbook_validate_sheet_name (workbook, sheet_name);
  if (err != LXW_NO_ERROR)
    return err;
  sheet = workbook_add_worksheet (workbook, sheet_name);
  header_format = workbook_add_format (workbook);
  date_format = workbook_add_format (workbook);
  literal_format = workbook_add_format (workbook);
  if (sheet == NULL || header_format == NULL || date_format == NULL || literal_format == NULL)
    return LXW_ERROR_MEMORY_MALLOC_FAILED;

  format_set_bold (header_format);
  format_set_bottom (header_format, LXW_BORDER_THIN);
  format_set_num_format (date_format, "dd.mm.yyyy");
  format_set_num_format_index (literal_format, 49);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      const char *text = column_title (c);

      err = worksheet_write_string (sheet, 0, c, text, header_format);
      if (err != LXW_NO_ERROR)
        return err;
      /* Bold type is about a tenth wider. */
      widths[c] = g_utf8_strlen (text, -1) * 1.1 + FILTER_BUTTON_WIDTH;
    }

  for (guint i = 0; i < n_rows; i++)
    {
      Cell cells[N_COLUMNS];

      fill_cells (&rows[i], cells);
      for (guint c = 0; c < N_COLUMNS && err == LXW_NO_ERROR; c++)
        {
          err = write_cell (sheet, i + 1, c, &cells[c], date_format, literal_format);
          widths[c] = MAX (widths[c], cell_width (&cells[c]));
        }
      clear_cells (cells);
      if (err != LXW_NO_ERROR)
        return err;
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      err = worksheet_set_column (sheet, c, c, MIN (widths[c] + 1, MAX_COLUMN_WIDTH), NULL);
      if (err != LXW_NO_ERROR)
        return err;
    }

  worksheet_freeze_panes (sheet, 1, 0);
  err = worksheet_autofilter (sheet, 0, 0, n_rows, N_COLUMNS - 1);
  if (err != LXW_NO_ERROR)
    return err;

  /* On paper: across the page, one page wide, the header on every page. */
  worksheet_set_landscape (sheet);
  worksheet_fit_to_pages (sheet, 1, 0);
  return worksheet_repeat_rows (sheet, 0, 0);
}

static gboolean
write_xlsx (const char          *path,
            const char          *title,
            const PfdoExportRow *rows,
            guint                n_rows,
            GError             **error)
{
  g_autofree char *temp_path = NULL;
  lxw_workbook_options options = { .constant_memory = LXW_FALSE };
  lxw_workbook *workbook;
  lxw_error err;
  int fd;

  fd = open_temp_beside (path, &temp_path, error);
  if (fd < 0)
    return FALSE;
  /* libxlsxwriter opens the file by its name and writes it from the start. */
  close (fd);

  workbook = workbook_new_opt (temp_path, &options);
  if (workbook == NULL)
    {
      g_unlink (temp_path);
      set_xlsx_error (error, path, LXW_ERROR_MEMORY_MALLOC_FAILED);
      return FALSE;
    }

  err = fill_workbook (workbook, title, rows, n_rows);
  if (err != LXW_NO_ERROR)
    {
      lxw_workbook_free (workbook);
      g_unlink (temp_path);
      set_xlsx_error (error, path, err);
      return FALSE;
    }

  /* Writes the file and frees the workbook, whatever it returns. */
  err = workbook_close (workbook);
  if (err != LXW_NO_ERROR)
    {
      g_unlink (temp_path);
      set_xlsx_error (error, path, err);
      return FALSE;
    }

  return commit_temp (-1, temp_path, path, error);
}

/**
 * pfdo_export_write:
 * @path: the file to write; an existing one is replaced whole
 * @format: CSV or XLSX
 * @title: (nullable): the session's title: the worksheet's name and the
 *   workbook's title in an .xlsx file; a CSV file has no place for it
 * @rows: (array length=n_rows): one line per child
 * @n_rows: the number of lines
 * @error: a #PFDO_STORE_ERROR when the file cannot be written
 *
 * Writes the session as a spreadsheet. Either the whole file is written or,
 * on an error, nothing changes at @path.
 *
 * Returns: whether the file was written
 */
gboolean
pfdo_export_write (const char           *path,
                   PfdoExportFormat      format,
                   const char           *title,
                   const PfdoExportRow  *rows,
                   guint                 n_rows,
                   GError              **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (format)
    {
    case PFDO_EXPORT_CSV:
      return write_csv (path, rows, n_rows, error);
    case PFDO_EXPORT_XLSX:
      return write_xlsx (path, title, rows, n_rows, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}
