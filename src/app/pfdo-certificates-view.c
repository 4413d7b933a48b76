/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificate-list.h"
#include "pfdo-certificate-page.h"
#include "pfdo-certificate-row.h"
#include "pfdo-certificates-view.h"
#include "pfdo-register.h"
#include "pfdo-ui.h"

/*
 * The certificates view: the register of the municipality's certificates
 * and, one click or Enter away, a certificate's page. The window gives it
 * the store, asks it to reload after a sync brought changes, and to focus
 * its search on Ctrl+F. The list is read from the store page by page, so
 * it costs the same on 400 000 certificates as on 40.
 */

struct _PfdoCertificatesView
{
  AdwBin               parent_instance;

  PfdoStore           *store;

  GtkStack            *stack;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *status_dropdown;
  GtkLabel            *count_label;
  GtkStack            *list_stack;
  GtkScrolledWindow   *scrolled;
  GtkListView         *list_view;
  GtkNoSelection      *selection;
  PfdoCertificateList *list;
  AdwStatusPage       *empty_page;
  PfdoCertificatePage *page;
  GtkBox              *header_box;
};

G_DEFINE_FINAL_TYPE (PfdoCertificatesView, pfdo_certificates_view, ADW_TYPE_BIN)

/* The statuses in the order of the filter's items; the first is all. */
static const char *filter_statuses[] = {
  NULL, "issued", "accounting", "personified", "frozen", "closed",
};

static const char *
selected_status (PfdoCertificatesView *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  return selected < G_N_ELEMENTS (filter_statuses) ? filter_statuses[selected] : NULL;
}

static void
update_count (PfdoCertificatesView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean filtered = (text != NULL && *text != '\0') || selected_status (self) != NULL;
  g_autofree char *count = pfdo_ui_format_count (n);
  g_autofree char *label = g_strdup_printf (ngettext ("%s certificate", "%s certificates", n),
                                            count);

  gtk_label_set_label (self->count_label, label);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "rows");
      return;
    }
  if (filtered)
    {
      adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Certificates Found"));
      adw_status_page_set_description (self->empty_page,
                                       _("No certificate number starts with these digits and no "
                                         "child's surname with these letters. Check what was "
                                         "typed, or choose “All statuses”."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "x-office-address-book-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Certificates Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Certificates appear here when the desk issues them to "
                                         "confirmed children, or when a sync brings them from the "
                                         "regional server."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
apply_filter (PfdoCertificatesView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *municipality_id = NULL;

  if (self->store != NULL)
    municipality_id = pfdo_store_dup_municipality_id (self->store);
  if (!pfdo_certificate_list_set_filter (self->list, municipality_id, selected_status (self),
                                         gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                         &error))
    pfdo_ui_toast (GTK_WIDGET (self), error->message);
  update_count (self);
}

static void
search_changed_cb (PfdoCertificatesView *self)
{
  apply_filter (self);
}

static void
status_selected_cb (PfdoCertificatesView *self)
{
  apply_filter (self);
}

static void
open_position (PfdoCertificatesView *self,
               guint                 position)
{
  g_autoptr(PfdoCertificateItem) item = g_list_model_get_item (G_LIST_MODEL (self->list),
                                                               position);
  g_autoptr(GError) error = NULL;

  if (item == NULL || pfdo_certificate_item_get_id (item) == NULL)
    return;
  if (!pfdo_certificate_page_load (self->page, pfdo_certificate_item_get_id (item), &error))
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "page");
  pfdo_certificate_page_focus (self->page);
}

static void
list_view_activate_cb (PfdoCertificatesView *self,
                         guint                 position)
{
  open_position (self, position);
}

/* Enter in the search opens the first certificate found: a scanned
 * number goes straight to its page. */
static void
search_activate_cb (PfdoCertificatesView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    open_position (self, 0);
}

static void
page_back_cb (PfdoCertificatesView *self)
{
  gtk_stack_set_visible_child_name (self->stack, "list");
  /* The list kept its place; the keyboard goes back to it. */
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
page_changed_cb (PfdoCertificatesView *self,
                 const char           *certificate_id)
{
  g_autoptr(GError) error = NULL;

  if (!pfdo_certificate_list_refresh_item (self->list, certificate_id, &error))
    pfdo_ui_toast (GTK_WIDGET (self), error->message);
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              PfdoCertificatesView     *self)
{
  gtk_list_item_set_child (list_item, pfdo_certificate_row_new ());
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PfdoCertificatesView     *self)
{
  pfdo_certificate_row_set_item (PFDO_CERTIFICATE_ROW (gtk_list_item_get_child (list_item)),
                                 gtk_list_item_get_item (list_item));
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               PfdoCertificatesView     *self)
{
  pfdo_certificate_row_set_item (PFDO_CERTIFICATE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

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

  g_type_ensure (PFDO_TYPE_CERTIFICATE_ITEM);
  g_type_ensure (PFDO_TYPE_CERTIFICATE_LIST);
  g_type_ensure (PFDO_TYPE_CERTIFICATE_PAGE);
  g_type_ensure (PFDO_TYPE_CERTIFICATE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-certificates-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, count_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, list_view);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, selection);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, list);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, page);
  gtk_widget_class_bind_template_child (widget_class, PfdoCertificatesView, header_box);
  gtk_widget_class_bind_template_callback (widget_class, row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_back_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
}

static void
pfdo_certificates_view_init (PfdoCertificatesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's own child is not a bound template child: disposing the
   * template would unparent it behind AdwBin's back. */
  self->stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
  gtk_box_append (self->header_box, pfdo_certificate_row_new_header ());
  update_count (self);
}

void
pfdo_certificates_view_set_store (PfdoCertificatesView *self,
                                  PfdoStore            *store)
{
  g_return_if_fail (PFDO_IS_CERTIFICATES_VIEW (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  g_set_object (&self->store, store);
  pfdo_certificate_list_set_store (self->list, store);
  pfdo_certificate_page_set_store (self->page, store);
  gtk_stack_set_visible_child_name (self->stack, "list");
  pfdo_certificates_view_reload (self);
}

/* Reads the store again: a sync brought changes, or the operator changed. */
void
pfdo_certificates_view_reload (PfdoCertificatesView *self)
{
  g_return_if_fail (PFDO_IS_CERTIFICATES_VIEW (self));

  apply_filter (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "page") == 0)
    pfdo_certificate_page_reload (self->page);
}

void
pfdo_certificates_view_focus_search (PfdoCertificatesView *self)
{
  g_return_if_fail (PFDO_IS_CERTIFICATES_VIEW (self));

  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
