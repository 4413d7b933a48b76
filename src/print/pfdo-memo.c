/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-print"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "pfdo-memo-private.h"
#include "pfdo-validate.h"

/*
 * The memo answers what families registered "for the register" never got
 * told (DOMAIN.md, point 4): what the certificate is, what each status
 * gives, and what is left to do. Short plain sentences, the certificate
 * number large, the steps numbered, the Navigator one camera shot away.
 *
 * The page is laid out first only to measure, and if four children with
 * long names would push it off the page, again at smaller font scales
 * until it fits; then once more to draw. Sizes are absolute, in the user units of the
 * cairo context (points), so the page is the same on paper, in the print
 * preview and in the PDF.
 */

G_DEFINE_QUARK (pfdo-print-error-quark, pfdo_print_error)

/* Debian's default fonts (fonts-dejavu-core), with Cyrillic. */
#define SANS "DejaVu Sans,Sans"
#define MONO "DejaVu Sans Mono,Monospace"

#define MAX_MARGIN 42.0  /* about 15 mm */
#define MIN_SCALE  0.6
#define SCALE_PRECISION 0.01

/* The QR code has a quiet zone of 4 modules (ISO/IEC 18004) and is about
 * 4 cm across in all, which a phone reads from arm's length. It does not
 * shrink with the text. */
#define QR_QUIET 4
#define QR_SIDE  113.0
#define QR_GAP   14.0

typedef enum
{
  STYLE_TITLE,
  STYLE_SUBTITLE,
  STYLE_HEADING,
  STYLE_BODY,
  STYLE_SMALL,
  STYLE_NUMBER,
  STYLE_URL,
} Style;

static const struct
{
  const char  *family;
  double       size;         /* points, at scale 1 */
  PangoWeight  weight;
  float        line_spacing; /* 0: the font's own */
} styles[] = {
  [STYLE_TITLE]    = { SANS, 16.0, PANGO_WEIGHT_BOLD, 0 },
  [STYLE_SUBTITLE] = { SANS, 11.5, PANGO_WEIGHT_NORMAL, 0 },
  [STYLE_HEADING]  = { SANS, 12.5, PANGO_WEIGHT_BOLD, 0 },
  [STYLE_BODY]     = { SANS, 10.0, PANGO_WEIGHT_NORMAL, 1.2f },
  [STYLE_SMALL]    = { SANS, 8.5, PANGO_WEIGHT_NORMAL, 1.15f },
  [STYLE_NUMBER]   = { MONO, 20.0, PANGO_WEIGHT_BOLD, 0 },
  [STYLE_URL]      = { MONO, 12.0, PANGO_WEIGHT_BOLD, 0 },
};

typedef enum
{
  INK_TEXT,
  INK_MUTED,
  INK_ACCENT,
  INK_BOX,
  INK_RULE,
  INK_WHITE,
  INK_BLACK,
} Ink;

typedef struct
{
  cairo_t      *cr;
  PangoContext *pango;
  QRcode       *qr;       /* the Navigator's address; NULL without one */
  gboolean      drawing;  /* FALSE while only measuring */
  double        scale;
  double        left;     /* the text column */
  double        width;
  double        y;        /* where the next block starts */
} Page;

static void
set_ink (cairo_t *cr,
         Ink      ink)
{
  /* Dark enough to stay readable from a grey-scale office printer. */
  static const double rgb[][3] = {
    [INK_TEXT] = { 0.10, 0.10, 0.10 },
    [INK_MUTED] = { 0.33, 0.33, 0.33 },
    [INK_ACCENT] = { 0.09, 0.27, 0.47 },
    [INK_BOX] = { 0.93, 0.95, 0.97 },
    [INK_RULE] = { 0.62, 0.66, 0.72 },
    [INK_WHITE] = { 1.0, 1.0, 1.0 },
    [INK_BLACK] = { 0.0, 0.0, 0.0 },
  };

  cairo_set_source_rgb (cr, rgb[ink][0], rgb[ink][1], rgb[ink][2]);
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/* Surname, name and middle name, those that are there. */
static char *
join_name (const char *last_name,
           const char *first_name,
           const char *middle_name)
{
  const char *parts[] = { last_name, first_name, middle_name };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (!is_set (parts[i]))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

/* 2016-03-01 as 01.03.2016, the way Russian forms write dates; anything
 * else as it is. */
static char *
format_date (const char *iso)
{
  GDate date;
  char buffer[16];

  g_date_clear (&date, 1);
  if (!pfdo_date_parse (iso, &date, NULL) ||
      g_date_strftime (buffer, sizeof buffer, "%d.%m.%Y", &date) == 0)
    return g_strdup (iso);
  return g_strdup (buffer);
}

static PangoLayout *
new_layout (Page   *page,
            Style   style,
            double  width)
{
  PangoLayout *layout = pango_layout_new (page->pango);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family_static (desc, styles[style].family);
  pango_font_description_set_weight (desc, styles[style].weight);
  pango_font_description_set_absolute_size (desc, styles[style].size * page->scale * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);

  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
    }
  pango_layout_set_line_spacing (layout, styles[style].line_spacing);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return pango_units_to_double (height);
}

static double
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_size (layout, &width, NULL);
  return pango_units_to_double (width);
}

static void
show_layout (Page        *page,
             PangoLayout *layout,
             Ink          ink,
             double       x,
             double       y)
{
  if (!page->drawing)
    return;
  set_ink (page->cr, ink);
  cairo_move_to (page->cr, x, y);
  pango_cairo_show_layout (page->cr, layout);
}

/* A block of Pango markup across the text column; @space_after in points
 * at scale 1. */
static void
add_markup (Page       *page,
            Style       style,
            Ink         ink,
            const char *markup,
            double      space_after)
{
  g_autoptr(PangoLayout) layout = new_layout (page, style, page->width);

  pango_layout_set_markup (layout, markup, -1);
  show_layout (page, layout, ink, page->left, page->y);
  page->y += layout_height (layout) + space_after * page->scale;
}

static void
add_text (Page       *page,
          Style       style,
          Ink         ink,
          const char *text,
          double      space_after)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);

  add_markup (page, style, ink, markup, space_after);
}

/* "Label: value", the label in bold: neither is markup. */
static void
add_labelled (Page       *page,
              const char *label,
              const char *value,
              double      space_after)
{
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b> %s", label, value);

  add_markup (page, STYLE_BODY, INK_TEXT, markup, space_after);
}

static void
add_heading (Page       *page,
             const char *text)
{
  page->y += 6 * page->scale;
  add_text (page, STYLE_HEADING, INK_ACCENT, text, 3);
}

/* A list item: @mark ("1.", "•") in the margin, the item's blocks indented
 * after it, added by the caller between begin_item() and end_item(). */
static double
begin_item (Page       *page,
            const char *mark,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = new_layout (page, STYLE_BODY, -1);
  double indent = 16 * page->scale;
  g_autofree char *markup = g_markup_printf_escaped (bold ? "<b>%s</b>" : "%s", mark);

  pango_layout_set_markup (layout, markup, -1);
  show_layout (page, layout, bold ? INK_ACCENT : INK_TEXT, page->left, page->y);
  page->left += indent;
  page->width -= indent;
  return indent;
}

static void
end_item (Page   *page,
          double  indent,
          double  space_after)
{
  page->left -= indent;
  page->width += indent;
  page->y += space_after * page->scale;
}

static void
add_child (Page                *page,
           const PfdoMemoChild *child)
{
  double pad = 8 * page->scale;
  double inner_left = page->left + pad;
  double inner_width = page->width - 2 * pad;
  double top = page->y;
  double y = top + pad;
  g_autofree char *name = join_name (child->last_name, child->first_name, child->middle_name);
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) name_layout = new_layout (page, STYLE_BODY, inner_width);
  g_autoptr(PangoLayout) label = NULL;
  g_autoptr(PangoLayout) number = NULL;
  double row_height;
  double label_y;
  double number_x;
  double number_y;

  if (is_set (child->birth_date))
    {
      g_autofree char *date = format_date (child->birth_date);
      /* Translators: the child's name, then the date of birth (01.03.2016). */
      g_autofree char *born = g_strdup_printf (_("date of birth: %s"), date);

      markup = g_markup_printf_escaped ("<span size=\"115%%\"><b>%s</b></span>, %s", name, born);
    }
  else
    markup = g_markup_printf_escaped ("<span size=\"115%%\"><b>%s</b></span>", name);
  pango_layout_set_markup (name_layout, markup, -1);
  y += layout_height (name_layout) + 4 * page->scale;

  if (is_set (child->certificate_number))
    {
      double gap = 8 * page->scale;

      label = new_layout (page, STYLE_BODY, -1);
      pango_layout_set_text (label, _("Certificate number:"), -1);
      /* The number is one unbroken string of digits, as it is typed into
       * the Navigator and as a PDF reader copies it. */
      number = new_layout (page, STYLE_NUMBER, -1);
      pango_layout_set_text (number, child->certificate_number, -1);

      if (layout_width (label) + gap + layout_width (number) <= inner_width)
        {
          /* On one line, on one baseline. */
          double drop = pango_units_to_double (pango_layout_get_baseline (number) -
                                               pango_layout_get_baseline (label));

          number_x = inner_left + layout_width (label) + gap;
          number_y = y;
          label_y = y + drop;
          row_height = MAX (layout_height (number), drop + layout_height (label));
        }
      else
        {
          number_x = inner_left;
          number_y = y + layout_height (label) + 2 * page->scale;
          label_y = y;
          row_height = number_y - y + layout_height (number);
        }
    }
  else
    {
      label = new_layout (page, STYLE_BODY, inner_width);
      pango_layout_set_text (label,
                             _("No certificate number has been issued yet; the support centre "
                               "will give it to you."), -1);
      label_y = y;
      number_x = number_y = 0;
      row_height = layout_height (label);
    }
  page->y = y + row_height + pad;

  if (page->drawing)
    {
      double radius = 5 * page->scale;
      double bottom = page->y;
      double right = page->left + page->width;

      cairo_new_sub_path (page->cr);
      cairo_arc (page->cr, right - radius, top + radius, radius, -G_PI / 2, 0);
      cairo_arc (page->cr, right - radius, bottom - radius, radius, 0, G_PI / 2);
      cairo_arc (page->cr, page->left + radius, bottom - radius, radius, G_PI / 2, G_PI);
      cairo_arc (page->cr, page->left + radius, top + radius, radius, G_PI, 3 * G_PI / 2);
      cairo_close_path (page->cr);
      set_ink (page->cr, INK_BOX);
      cairo_fill_preserve (page->cr);
      set_ink (page->cr, INK_RULE);
      cairo_set_line_width (page->cr, 0.8);
      cairo_stroke (page->cr);
    }
  show_layout (page, name_layout, INK_TEXT, inner_left, top + pad);
  show_layout (page, label, number != NULL ? INK_MUTED : INK_TEXT, inner_left, label_y);
  if (number != NULL)
    show_layout (page, number, INK_BLACK, number_x, number_y);
  page->y += 6 * page->scale;
}

/* The address on a line of its own, never wrapped nor hyphenated (the
 * layout has no width): in a smaller font if it is long, so that it can be
 * typed as printed. */
static void
add_url (Page       *page,
         const char *url)
{
  g_autoptr(PangoLayout) layout = new_layout (page, STYLE_URL, -1);
  double width;

  pango_layout_set_text (layout, url, -1);

  width = layout_width (layout);
  if (width > page->width)
    {
      PangoFontDescription *desc = pango_font_description_copy (
        pango_layout_get_font_description (layout));

      pango_font_description_set_absolute_size (
        desc, pango_font_description_get_size (desc) * page->width / width);
      pango_layout_set_font_description (layout, desc);
      pango_font_description_free (desc);
    }
  page->y += 2 * page->scale;
  show_layout (page, layout, INK_BLACK, page->left, page->y);
  page->y += layout_height (layout) + 2 * page->scale;
}

static void
draw_qr (cairo_t      *cr,
         const QRcode *qr,
         double        x,
         double        y,
         double        side)
{
  double module = side / (qr->width + 2 * QR_QUIET);

  cairo_save (cr);
  set_ink (cr, INK_WHITE);
  cairo_rectangle (cr, x, y, side, side);
  cairo_fill (cr);

  /* One path of whole runs of dark modules, filled at once, so that no
   * seam shows between neighbouring squares. */
  cairo_new_path (cr);
  for (int row = 0; row < qr->width; row++)
    {
      const unsigned char *line = qr->data + row * qr->width;

      for (int col = 0; col < qr->width;)
        {
          int start = col;

          if (!(line[col] & 1))
            {
              col++;
              continue;
            }
          while (col < qr->width && (line[col] & 1))
            col++;
          cairo_rectangle (cr, x + (QR_QUIET + start) * module, y + (QR_QUIET + row) * module,
                           (col - start) * module, module);
        }
    }
  set_ink (cr, INK_BLACK);
  cairo_fill (cr);
  cairo_restore (cr);
}

static double
begin_step (Page  *page,
            guint  number)
{
  g_autofree char *mark = g_strdup_printf ("%u.", number);

  return begin_item (page, mark, TRUE);
}

/* Below the QR code, the steps take the whole width again. */
static void
widen_below (Page   *page,
             double  qr_bottom,
             double  full_width)
{
  if (page->y > qr_bottom + QR_GAP / 2)
    page->width = full_width;
}

static void
add_steps (Page                   *page,
           const PfdoMemoSettings *settings)
{
  const QRcode *qr = page->qr;
  double top = page->y;
  double qr_bottom = top;
  double full_width = page->width;
  double indent;

  /* The code stands to the right of the steps, beside the first one. */
  if (qr != NULL)
    {
      double x = page->left + page->width - QR_SIDE;
      g_autoptr(PangoLayout) caption = new_layout (page, STYLE_SMALL, QR_SIDE);

      if (page->drawing)
        draw_qr (page->cr, qr, x, top, QR_SIDE);
      pango_layout_set_alignment (caption, PANGO_ALIGN_CENTER);
      pango_layout_set_text (caption, _("Point your phone’s camera here to open the Navigator"),
                             -1);
      show_layout (page, caption, INK_MUTED, x, top + QR_SIDE + 2);
      qr_bottom = top + QR_SIDE + 2 + layout_height (caption);
      page->width -= QR_SIDE + QR_GAP;
    }

  indent = begin_step (page, 1);
  if (is_set (settings->navigator_url))
    {
      add_text (page, STYLE_BODY, INK_TEXT,
                _("Sign in to the regional Navigator of additional education (register if you "
                  "have no account there yet). Type its address or point your phone’s camera at "
                  "the QR code:"), 0);
      add_url (page, settings->navigator_url);
    }
  else
    add_text (page, STYLE_BODY, INK_TEXT,
              _("Sign in to the regional Navigator of additional education (register if you "
                "have no account there yet). The support centre will tell you its address."), 0);
  end_item (page, indent, 4);

  indent = begin_step (page, 2);
  add_text (page, STYLE_BODY, INK_TEXT,
            _("In your personal account, find your child by the certificate number and check "
              "the data: surname, name, date of birth."), 0);
  end_item (page, indent, 4);

  widen_below (page, qr_bottom, full_width);

  indent = begin_step (page, 3);
  add_text (page, STYLE_BODY, INK_TEXT,
            _("Bring the documents to the support centre to confirm the child’s data. Until "
              "they are confirmed, the certificate cannot be used."), 2);
  {
    const char *documents[] = {
      _("the child’s birth certificate or passport;"),
      _("the child’s SNILS;"),
      _("your passport or another identity document."),
    };

    for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
      {
        double bullet = begin_item (page, "•", FALSE);

        add_text (page, STYLE_BODY, INK_TEXT, documents[i], 0);
        end_item (page, bullet, 0);
      }
  }
  page->y += 3 * page->scale;
  if (is_set (settings->moc_name))
    {
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", settings->moc_name);

      add_markup (page, STYLE_BODY, INK_TEXT, markup, 0);
    }
  if (is_set (settings->moc_address))
    add_labelled (page, _("Address:"), settings->moc_address, 0);
  if (is_set (settings->moc_phone))
    {
      g_autofree char *phone = pfdo_phone_format (settings->moc_phone);

      add_labelled (page, _("Phone:"), phone, 0);
    }
  if (is_set (settings->moc_hours))
    add_labelled (page, _("Hours:"), settings->moc_hours, 0);
  end_item (page, indent, 4);
  widen_below (page, qr_bottom, full_width);

  indent = begin_step (page, 4);
  add_text (page, STYLE_BODY, INK_TEXT,
            _("Choose a program in the Navigator’s catalogue and apply. Free programs need the "
              "accounting certificate; paid certified programs need the personified financing "
              "certificate."), 0);
  end_item (page, indent, 0);

  page->width = full_width;
  page->y = MAX (page->y, qr_bottom);
}

static void
add_footer (Page                   *page,
            const PfdoMemoSettings *settings)
{
  g_autofree char *phone = NULL;
  g_autofree char *text = NULL;

  if (!is_set (settings->moc_phone))
    return;

  phone = pfdo_phone_format (settings->moc_phone);
  if (is_set (settings->moc_name))
    /* Translators: the support centre's phone, then its name. */
    text = g_strdup_printf (_("Questions? Call %s (%s)."), phone, settings->moc_name);
  else
    text = g_strdup_printf (_("Questions? Call %s."), phone);

  page->y += 10 * page->scale;
  if (page->drawing)
    {
      set_ink (page->cr, INK_RULE);
      cairo_set_line_width (page->cr, 0.6);
      cairo_move_to (page->cr, page->left, page->y);
      cairo_line_to (page->cr, page->left + page->width, page->y);
      cairo_stroke (page->cr);
    }
  page->y += 5 * page->scale;
  add_text (page, STYLE_SMALL, INK_MUTED, text, 0);
}

/* Lays the whole memo out from the top of the page and returns where it
 * ends. */
static double
lay_out (Page                   *page,
         double                  top,
         const PfdoMemoFamily   *family,
         const PfdoMemoSettings *settings)
{
  g_autofree char *parent = join_name (family->parent_last_name, family->parent_first_name,
                                       family->parent_middle_name);

  page->y = top;
  add_text (page, STYLE_TITLE, INK_ACCENT,
            _("Memo on the certificate of additional education"), 2);
  add_text (page, STYLE_SUBTITLE, INK_MUTED, _("What it gives and what to do next"), 10);
  if (is_set (parent))
    add_labelled (page, _("Parent or guardian:"), parent, 4);

  if (family->n_children > 0)
    {
      add_heading (page, family->n_children == 1 ? _("Your child") : _("Your children"));
      for (guint i = 0; i < family->n_children; i++)
        add_child (page, &family->children[i]);
      add_labelled (page, _("Keep this memo."),
                    /* Translators: step 3 is the one with the support centre's address. */
                    _("The certificate number is needed every time you enrol your child in a "
                      "club or class. If it gets lost, the support centre (see step 3) will "
                      "find it by the child’s name and date of birth."), 0);
    }

  add_heading (page, _("What the certificate is"));
  add_text (page, STYLE_BODY, INK_TEXT,
            _("The certificate of additional education is an electronic record in the regional "
              "register, not a paper document. A child gets it once, and it is valid until the "
              "age of 18. With it, the child can attend clubs, sports sections and studios, and "
              "the money for the classes follows the child to the organisation you choose."), 0);

  add_heading (page, _("What it gives"));
  add_text (page, STYLE_BODY, INK_TEXT,
            _("A certificate has one of two statuses. You will see your child’s in the "
              "Navigator."), 3);
  {
    /* Translators: the two statuses of DOMAIN.md, by the names the
     * Navigator shows: сертификат учёта, сертификат персонифицированного
     * финансирования. */
    const char *statuses[][2] = {
      { _("Accounting certificate:"),
        _("free classes in programs paid for by the municipal budget. The certificate gets "
          "this status once the child’s data have been confirmed.") },
      { _("Personified financing certificate (with a nominal):"),
        _("in addition, classes in paid certified programs, paid from the certificate’s "
          "nominal while its balance lasts. The nominal is granted for each period on a "
          "request in the Navigator, in the order of requests, while the municipality’s fund "
          "lasts. Money left unused does not carry over and is not paid out. Other paid "
          "programs are paid for by the family.") },
    };

    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      {
        double indent = begin_item (page, "•", FALSE);

        add_labelled (page, statuses[i][0], statuses[i][1], 0);
        end_item (page, indent, 3);
      }
  }

  add_heading (page, _("What to do next"));
  add_steps (page, settings);
  add_footer (page, settings);
  return page->y;
}

static PangoContext *
create_pango_context (cairo_t *cr)
{
  PangoContext *pango = pango_cairo_create_context (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  /* The same line breaks on the screen, on paper and in the PDF: no
   * hinting, no rounding to device pixels. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (pango, FALSE);
  return pango;
}

static double
page_margin (double width,
             double height)
{
  return MIN (MAX_MARGIN, MIN (width, height) * 0.07);
}

static QRcode *
encode_qr (const char *url)
{
  QRcode *qr;

  if (!is_set (url))
    return NULL;
  /* The address as it is, UTF-8 in byte mode: what phones read. */
  qr = QRcode_encodeString8bit (url, 0, QR_ECLEVEL_M);
  if (qr == NULL)
    g_warning ("The Navigator’s address is too long for a QR code (%s)", g_strerror (errno));
  return qr;
}

/* Lays the memo out at @scale from the page's margin; returns where it
 * ends. */
static double
lay_out_at (Page                   *page,
            double                  scale,
            double                  width,
            double                  height,
            const PfdoMemoFamily   *family,
            const PfdoMemoSettings *settings)
{
  double margin = page_margin (width, height);

  page->scale = scale;
  page->left = margin;
  page->width = width - 2 * margin;
  return lay_out (page, margin, family, settings);
}

/* The largest font scale, down to MIN_SCALE, at which the memo fits,
 * found by halving the interval: the height grows with the scale, if not
 * smoothly (lines wrap). */
static PfdoMemoFit
fit (Page                   *page,
     double                  width,
     double                  height,
     const PfdoMemoFamily   *family,
     const PfdoMemoSettings *settings)
{
  PfdoMemoFit fit = { 0, height - page_margin (width, height), 1.0 };
  double fits = MIN_SCALE;
  double overflows = 1.0;

  page->drawing = FALSE;
  fit.bottom = lay_out_at (page, 1.0, width, height, family, settings);
  if (fit.bottom > fit.limit)
    {
      while (overflows - fits > SCALE_PRECISION)
        {
          double middle = (fits + overflows) / 2;

          if (lay_out_at (page, middle, width, height, family, settings) <= fit.limit)
            fits = middle;
          else
            overflows = middle;
        }
      fit.scale = fits;
      fit.bottom = lay_out_at (page, fits, width, height, family, settings);
    }
  return fit;
}

PfdoMemoFit
pfdo_memo_measure (cairo_t                *cr,
                   double                  width,
                   double                  height,
                   const PfdoMemoFamily   *family,
                   const PfdoMemoSettings *settings)
{
  Page page = { cr, create_pango_context (cr), encode_qr (settings->navigator_url) };
  PfdoMemoFit fitted = fit (&page, width, height, family, settings);

  g_clear_pointer (&page.qr, QRcode_free);
  g_object_unref (page.pango);
  return fitted;
}

/**
 * pfdo_memo_draw:
 * @cr: where to draw, in points
 * @width: the page's width
 * @height: the page's height
 * @family: the family
 * @settings: the desk's settings: the Navigator and the support centre
 *
 * Draws one family's memo on one page.
 */
void
pfdo_memo_draw (cairo_t                *cr,
                double                  width,
                double                  height,
                const PfdoMemoFamily   *family,
                const PfdoMemoSettings *settings)
{
  Page page = { cr };
  double scale;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (family != NULL);
  g_return_if_fail (family->n_children == 0 || family->children != NULL);
  g_return_if_fail (settings != NULL);

  cairo_save (cr);
  page.pango = create_pango_context (cr);
  page.qr = encode_qr (settings->navigator_url);
  scale = fit (&page, width, height, family, settings).scale;
  page.drawing = TRUE;
  lay_out_at (&page, scale, width, height, family, settings);
  g_clear_pointer (&page.qr, QRcode_free);
  g_object_unref (page.pango);
  cairo_restore (cr);
}

static cairo_status_t
append_bytes_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * pfdo_memo_write_pdf:
 * @path: the PDF file to write
 * @families: (array length=n_families): the families, one page each
 * @n_families: how many
 * @settings: the desk's settings
 * @error: return location for a #GError
 *
 * Writes the memos as one PDF of A4 pages. The document is made in memory
 * and then replaces @path in one step, so a failure leaves no half file.
 *
 * Returns: %TRUE on success
 */
gboolean
pfdo_memo_write_pdf (const char                   *path,
                     const PfdoMemoFamily * const *families,
                     guint                         n_families,
                     const PfdoMemoSettings       *settings,
                     GError                      **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (families != NULL || n_families == 0, FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  surface = cairo_pdf_surface_create_for_stream (append_bytes_cb, bytes,
                                                 PFDO_MEMO_A4_WIDTH, PFDO_MEMO_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  _("Memo on the certificate of additional education"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR,
                                  GETTEXT_PACKAGE " " PACKAGE_VERSION);
  cr = cairo_create (surface);
  for (guint i = 0; i < n_families; i++)
    {
      pfdo_memo_draw (cr, PFDO_MEMO_A4_WIDTH, PFDO_MEMO_A4_HEIGHT, families[i], settings);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PFDO_PRINT_ERROR, PFDO_PRINT_ERROR_RENDER,
                   _("Could not make the memo: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  /* The memo holds children's names: readable by its owner only. */
  if (!g_file_set_contents_full (path, (const char *) bytes->data, bytes->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, PFDO_PRINT_ERROR, PFDO_PRINT_ERROR_IO,
                   _("Could not save the memo: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}
