/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* The printed memo for a family registered at a desk or a parent meeting:
 * who the children are, their certificate numbers, what a certificate
 * gives, what is left to do, and where the support centre is. No GTK: the
 * desk's print dialog, pfdo-ctl and the tests draw the same page. */

#define PFDO_PRINT_ERROR (pfdo_print_error_quark ())

typedef enum
{
  PFDO_PRINT_ERROR_IO,      /* the file could not be written */
  PFDO_PRINT_ERROR_RENDER,  /* cairo could not make the document */
} PfdoPrintError;

/* ISO A4 in points: the page pfdo_memo_write_pdf() writes. */
#define PFDO_MEMO_A4_WIDTH  595.276
#define PFDO_MEMO_A4_HEIGHT 841.890

typedef struct
{
  const char *last_name;
  const char *first_name;
  const char *middle_name;          /* nullable */
  const char *birth_date;           /* ISO 8601; nullable */
  const char *certificate_number;   /* NULL if none was issued */
} PfdoMemoChild;

typedef struct
{
  const char          *parent_last_name;
  const char          *parent_first_name;
  const char          *parent_middle_name;   /* nullable */
  const PfdoMemoChild *children;
  guint                n_children;
} PfdoMemoFamily;

/* The desk's settings the memo shows; any of them may be NULL or empty,
 * and the memo then leaves that line out. */
typedef struct
{
  const char *navigator_url;  /* the regional Navigator, encoded as it is in the QR code */
  const char *moc_name;       /* the municipal support centre (МОЦ) */
  const char *moc_phone;      /* shown as +7 XXX XXX-XX-XX when stored as +7XXXXXXXXXX */
  const char *moc_address;
  const char *moc_hours;      /* when documents are received: free text */
} PfdoMemoSettings;

GQuark    pfdo_print_error_quark (void);

/* Draws one family's memo on a page of @width × @height in the user units
 * of @cr, which must be points (a GtkPrintOperation with GTK_UNIT_POINTS:
 * pass gtk_print_context_get_width() and _get_height()). The text shrinks
 * a little when it would not fit, up to four children on A4. */
void      pfdo_memo_draw         (cairo_t                      *cr,
                                  double                        width,
                                  double                        height,
                                  const PfdoMemoFamily         *family,
                                  const PfdoMemoSettings       *settings);

/* Writes one A4 page per family to a PDF at @path, atomically: the file is
 * either the whole new document or what it was before. */
gboolean  pfdo_memo_write_pdf    (const char                   *path,
                                  const PfdoMemoFamily * const *families,
                                  guint                         n_families,
                                  const PfdoMemoSettings       *settings,
                                  GError                      **error);

G_END_DECLS
