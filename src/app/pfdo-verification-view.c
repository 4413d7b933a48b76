/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-verification-view.h"

/*
 * The verification view. The window gives it the store, asks it to reload after
 * a sync brought changes, and to focus its search on Ctrl+F.
 */

struct _PfdoVerificationView
{
  AdwBin          parent_instance;

  PfdoStore      *store;

  GtkSearchEntry *search_entry;
};

G_DEFINE_FINAL_TYPE (PfdoVerificationView, pfdo_verification_view, ADW_TYPE_BIN)

static void
pfdo_verification_view_dispose (GObject *object)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_VERIFICATION_VIEW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pfdo_verification_view_parent_class)->dispose (object);
}

static void
pfdo_verification_view_class_init (PfdoVerificationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_verification_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-verification-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, search_entry);
}

static void
pfdo_verification_view_init (PfdoVerificationView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pfdo_verification_view_set_store (PfdoVerificationView *self,
                                      PfdoStore       *store)
{
  g_return_if_fail (PFDO_IS_VERIFICATION_VIEW (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  g_set_object (&self->store, store);
  pfdo_verification_view_reload (self);
}

/* Reads the store again: a sync brought changes. */
void
pfdo_verification_view_reload (PfdoVerificationView *self)
{
  g_return_if_fail (PFDO_IS_VERIFICATION_VIEW (self));
}

void
pfdo_verification_view_focus_search (PfdoVerificationView *self)
{
  g_return_if_fail (PFDO_IS_VERIFICATION_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
