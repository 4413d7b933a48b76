/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificate-row.h"

/*
 * One line of the register: number, child, status, available balance and
 * period, in columns of fixed width that the header row shares.
 *
 * Made in code, without a template, on purpose: GTK 4.8's list keeps
 * about 200 rows realised around the visible ones and makes new ones as
 * the list scrolls, and measured on a full region a GtkColumnView's five
 * cells per row (each a list item with its own widget) cost two and a half
 * times the frame time of this one widget with five labels.
 */

enum {
  COLUMN_NUMBER,
  COLUMN_CHILD,
  COLUMN_STATUS,
  COLUMN_AVAILABLE,
  COLUMN_PERIOD,
  N_COLUMNS
};

static const struct
{
  int         width;      /* -1: takes the room left */
  float       xalign;
  const char *css_class;
} columns[N_COLUMNS] = {
  [COLUMN_NUMBER] = { 130, 0.0, "numeric" },
  [COLUMN_CHILD] = { -1, 0.0, NULL },
  [COLUMN_STATUS] = { 190, 0.0, NULL },
  [COLUMN_AVAILABLE] = { 130, 1.0, "numeric" },
  [COLUMN_PERIOD] = { 80, 1.0, "numeric" },
};

struct _PfdoCertificateRow
{
  GtkWidget            parent_instance;

  GtkWidget           *labels[N_COLUMNS];
  PfdoCertificateItem *item;
  gulong               notify_id;
};

G_DEFINE_FINAL_TYPE (PfdoCertificateRow, pfdo_certificate_row, GTK_TYPE_WIDGET)

static void
show_item (PfdoCertificateRow *self)
{
  PfdoCertificateItem *item = self->item;
  const char *texts[N_COLUMNS] = { NULL };

  if (item != NULL)
    {
      texts[COLUMN_NUMBER] = pfdo_certificate_item_get_number (item);
      texts[COLUMN_CHILD] = pfdo_certificate_item_get_child (item);
      texts[COLUMN_STATUS] = pfdo_certificate_status_label (pfdo_certificate_item_get_status (item));
      texts[COLUMN_AVAILABLE] = pfdo_certificate_item_get_available (item);
      texts[COLUMN_PERIOD] = pfdo_certificate_item_get_period (item);
    }
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_label_set_label (GTK_LABEL (self->labels[i]), texts[i] != NULL ? texts[i] : "");
}

static void
item_notify_cb (PfdoCertificateRow *self)
{
  show_item (self);
}

/**
 * pfdo_certificate_row_set_item:
 * @item: (nullable): the line to show; the row follows its changes
 */
void
pfdo_certificate_row_set_item (PfdoCertificateRow  *self,
                               PfdoCertificateItem *item)
{
  g_return_if_fail (PFDO_IS_CERTIFICATE_ROW (self));
  g_return_if_fail (item == NULL || PFDO_IS_CERTIFICATE_ITEM (item));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_id, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->notify_id = g_signal_connect_object (item, "notify", G_CALLBACK (item_notify_cb), self,
                                               G_CONNECT_SWAPPED);
  show_item (self);
}

static void
pfdo_certificate_row_dispose (GObject *object)
{
  PfdoCertificateRow *self = PFDO_CERTIFICATE_ROW (object);

  pfdo_certificate_row_set_item (self, NULL);
  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_pointer (&self->labels[i], gtk_widget_unparent);

  G_OBJECT_CLASS (pfdo_certificate_row_parent_class)->dispose (object);
}

static void
pfdo_certificate_row_class_init (PfdoCertificateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_certificate_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pfdo-certificate-row");
}

static void
pfdo_certificate_row_init (PfdoCertificateRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), columns[i].xalign);
      gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      if (columns[i].width > 0)
        gtk_widget_set_size_request (label, columns[i].width, -1);
      else
        gtk_widget_set_hexpand (label, TRUE);
      if (columns[i].css_class != NULL)
        gtk_widget_add_css_class (label, columns[i].css_class);
      gtk_widget_set_parent (label, GTK_WIDGET (self));
      self->labels[i] = label;
    }
  gtk_widget_add_css_class (self->labels[COLUMN_PERIOD], "dim-label");
}

GtkWidget *
pfdo_certificate_row_new (void)
{
  return g_object_new (PFDO_TYPE_CERTIFICATE_ROW, NULL);
}

/**
 * pfdo_certificate_row_new_header:
 *
 * The row of column titles above the register, in the rows' columns.
 */
GtkWidget *
pfdo_certificate_row_new_header (void)
{
  PfdoCertificateRow *self = g_object_new (PFDO_TYPE_CERTIFICATE_ROW, NULL);
  const char *titles[N_COLUMNS] = {
    [COLUMN_NUMBER] = _("Number"),
    [COLUMN_CHILD] = _("Child"),
    [COLUMN_STATUS] = _("Status"),
    [COLUMN_AVAILABLE] = _("Available"),
    [COLUMN_PERIOD] = _("Period"),
  };

  gtk_widget_add_css_class (GTK_WIDGET (self), "pfdo-register-header");
  gtk_widget_remove_css_class (self->labels[COLUMN_PERIOD], "dim-label");
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_label_set_label (GTK_LABEL (self->labels[i]), titles[i]);
  return GTK_WIDGET (self);
}
