/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificates-view.h"

/*
 * The certificates view. The window gives it the store, asks it to reload after
 * a sync brought changes, and to focus its search on Ctrl+F.
 */

struct _PfdoCertificatesView
{
  AdwBin          parent_instance;

  PfdoStore      *store;

  GtkSearchEntry *search_entry;
};

G_DEFINE_FINAL_TYPE (PfdoCertificatesView, pfdo_certificates_view, ADW_TYPE_BIN)

static void
pfdo_certificates_view_dispose (GObject *object)
{
  PfdoCertificatesView *self = PFDO_CERTIFICATES_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_CERTIFICATES_VIEW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pfdo_certificates_view_parent_class)->dispose (object);
}

static void
pfdo_certificates_view_class_init (PfdoCertificatesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_certificates_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-certificates-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, search_entry);
}

static void
pfdo_certificates_view_init (PfdoCertificatesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pfdo_certificates_view_set_store (PfdoCertificatesView *self,
                                      PfdoStore       *store)
{
  g_return_if_fail (PFDO_IS_CERTIFICATES_VIEW (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  g_set_object (&self->store, store);
  pfdo_certificates_view_reload (self);
}

/* Reads the store again: a sync brought changes. */
void
pfdo_certificates_view_reload (PfdoCertificatesView *self)
{
  g_return_if_fail (PFDO_IS_CERTIFICATES_VIEW (self));
}

void
pfdo_certificates_view_focus_search (PfdoCertificatesView *self)
{
  g_return_if_fail (PFDO_IS_CERTIFICATES_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
