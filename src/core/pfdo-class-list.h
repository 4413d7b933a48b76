/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A class list for mass issuance at a parent meeting: a spreadsheet saved
 * as CSV, one row per child. This unit only reads and checks the file; it
 * writes nothing anywhere.
 */

/* The columns the desk knows, in the order the preview shows them. */
typedef enum
{
  PFDO_CLASS_FIELD_LAST_NAME,
  PFDO_CLASS_FIELD_FIRST_NAME,
  PFDO_CLASS_FIELD_MIDDLE_NAME,
  PFDO_CLASS_FIELD_BIRTH_DATE,
  PFDO_CLASS_FIELD_SEX,
  PFDO_CLASS_FIELD_SNILS,
  PFDO_CLASS_FIELD_DOCUMENT_TYPE,
  PFDO_CLASS_FIELD_DOCUMENT_SERIES,
  PFDO_CLASS_FIELD_DOCUMENT_NUMBER,
  PFDO_CLASS_FIELD_PARENT_NAME,
  PFDO_CLASS_FIELD_PHONE,
  PFDO_CLASS_FIELD_EMAIL,
  PFDO_CLASS_N_FIELDS
} PfdoClassField;

/* One child of the list, checked with the rules of registration. */
typedef struct
{
  guint  line;                           /* the physical line the row starts on, from 1 */
  char  *raw[PFDO_CLASS_N_FIELDS];       /* the cell with its white space trimmed and
                                          * collapsed; "" when empty, NULL when the file
                                          * has no such column */
  char  *value[PFDO_CLASS_N_FIELDS];     /* the stored spelling, NULL when empty or wrong:
                                          * names as pfdo_name_normalize() gives them,
                                          * birth date as YYYY-MM-DD, sex "m" or "f",
                                          * SNILS as pfdo_snils_normalize() gives it
                                          * (112-233-445 95), document type
                                          * "birth_certificate", "passport" or "foreign"
                                          * (inferred from the series when the cell is
                                          * empty), series and number as
                                          * pfdo_document_validate() gives them, the
                                          * parent's full name, phone as +79181234567,
                                          * e-mail as pfdo_email_normalize() gives it */
  char  *problem[PFDO_CLASS_N_FIELDS];   /* what is wrong with the cell, translated for
                                          * the clerk; NULL when it is fine */
  char  *parent_last_name;               /* ФИО родителя split in three, normalised; */
  char  *parent_first_name;              /* NULL unless the parent's name is valid; */
  char  *parent_middle_name;             /* the patronymic may be NULL anyway */
  char  *family_key;                     /* equal for the rows of one family: the same
                                          * parent's name and phone (a hex digest) */
  char  *row_key;                        /* the child's identity across imports of the
                                          * same or a re-saved file: a hex digest of the
                                          * folded surname, name and birth date */
} PfdoClassRow;

typedef struct
{
  char       *encoding;                     /* "UTF-8" or "CP1251", as detected */
  char        delimiter;                    /* ';' or ',' */
  GPtrArray  *headers;                      /* (element-type utf8): the cells of the
                                             * header row, trimmed */
  int         column[PFDO_CLASS_N_FIELDS];  /* the index into @headers of each field's
                                             * column, or -1 when the file has none */
  GPtrArray  *rows;                         /* (element-type PfdoClassRow): the rows after
                                             * the header in file order; empty lines and
                                             * rows of empty cells are skipped */
} PfdoClassList;

PfdoClassList *pfdo_class_list_parse          (const char           *data,
                                               gsize                 length,
                                               GError              **error);
PfdoClassList *pfdo_class_list_load           (const char           *path,
                                               GError              **error);
void           pfdo_class_list_free           (PfdoClassList        *list);
guint          pfdo_class_list_count_valid    (const PfdoClassList  *list);

gboolean       pfdo_class_row_is_valid        (const PfdoClassRow   *row);

const char    *pfdo_class_field_title         (PfdoClassField        field);
gboolean       pfdo_class_field_is_required   (PfdoClassField        field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoClassList, pfdo_class_list_free)

G_END_DECLS
