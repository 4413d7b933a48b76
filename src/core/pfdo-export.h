/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * One line of an exported parent-meeting session: one child, with the data
 * of the family repeated on every child's line so that a spreadsheet can sort
 * and filter it. Every string is borrowed; any but the child's names may be
 * NULL, which leaves the cell empty.
 */
typedef struct
{
  guint       family_no;            /* 1, 2, … in the order the families were registered */
  const char *parent_name;          /* the parent's full name as one string */
  const char *phone;                /* normalised, like +79181234567 */
  const char *email;
  const char *child_last_name;
  const char *child_first_name;
  const char *child_middle_name;
  const char *birth_date;           /* ISO 8601, like 2015-03-10 */
  const char *certificate_number;
  const char *certificate_status;   /* issued, accounting, personified, frozen, closed */
  const char *verification_status;  /* unverified, verified, rejected */
} PfdoExportRow;

typedef enum
{
  PFDO_EXPORT_CSV,
  PFDO_EXPORT_XLSX,
} PfdoExportFormat;

gboolean     pfdo_export_write                      (const char           *path,
                                                     PfdoExportFormat      format,
                                                     const char           *title,
                                                     const PfdoExportRow  *rows,
                                                     guint                 n_rows,
                                                     GError              **error);

gboolean     pfdo_export_format_from_string         (const char           *name,
                                                     PfdoExportFormat     *out_format);
const char  *pfdo_export_format_to_string           (PfdoExportFormat      format);

const char  *pfdo_export_certificate_status_label   (const char           *status);
const char  *pfdo_export_verification_status_label  (const char           *status);

char        *pfdo_export_sheet_name                 (const char           *title);

G_END_DECLS
