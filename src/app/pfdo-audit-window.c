/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pfdo-audit.h"
#include "pfdo-audit-list.h"
#include "pfdo-audit-window.h"
#include "pfdo-search.h"
#include "pfdo-ui.h"
#include "pfdo-validate.h"

/*
 * Who did what at this desk, for the МОЦ administrator: the audit log
 * newest first, filtered by operator, action, dates (local, inclusive)
 * and child. The child is found the way the desk finds one (SNILS, phone,
 * certificate number, surname with name and birth date) and the filter
 * holds its id; the rows show names looked up when a page is read. The
 * core refuses the log to any other role, whatever opened this window.
 */

struct _PfdoAuditWindow
{
  AdwWindow        parent_instance;

  PfdoStore       *store;
  GPtrArray       *operator_ids;   /* parallel to the operator drop-down, after "all" */
  char            *child_id;
  gboolean         refused;
  gboolean         filling;        /* the drop-downs are being filled */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkWidget       *filter_box;
  GtkDropDown     *operator_dropdown;
  GtkStringList   *operator_names;
  GtkDropDown     *action_dropdown;
  GtkStringList   *action_names;
  GtkEntry        *from_entry;
  GtkEntry        *to_entry;
  GtkSearchEntry  *child_entry;
  GtkWidget       *child_bar;
  GtkLabel        *child_label;
  GtkStack        *list_stack;
  GtkColumnView   *column_view;
  PfdoAuditList   *list;
  AdwStatusPage   *empty_page;
  GtkPopover      *matches_popover;
};

G_DEFINE_FINAL_TYPE (PfdoAuditWindow, pfdo_audit_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A date typed in the operator's time zone, as the instant its day
 * starts, in UTC as the log keeps time; @next: the day after it. */
static char *
dup_day_start (GtkEntry *entry,
               gboolean  next,
               gboolean *out_valid)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  GDate date;

  *out_valid = TRUE;
  if (*text == '\0')
    return NULL;
  if (!pfdo_date_parse (text, &date, NULL))
    {
      *out_valid = FALSE;
      return NULL;
    }
  if (next)
    g_date_add_days (&date, 1);
  local = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                 g_date_get_day (&date), 0, 0, 0);
  utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
show_refusal (PfdoAuditWindow *self,
              const GError    *error)
{
  self->refused = TRUE;
  gtk_widget_set_sensitive (self->filter_box, FALSE);
  adw_status_page_set_icon_name (self->empty_page, "action-unavailable-symbolic");
  adw_status_page_set_title (self->empty_page, _("The Audit Log Cannot Be Shown"));
  adw_status_page_set_description (self->empty_page, error->message);
  adw_window_title_set_subtitle (self->window_title, "");
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* Reads the log again with what the filters say now. */
static void
apply_filter (PfdoAuditWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *from_at = NULL;
  g_autofree char *to_at = NULL;
  g_autofree char *count = NULL;
  g_autofree char *subtitle = NULL;
  PfdoAuditFilter filter = { 0 };
  const char * const *actions = pfdo_audit_actions ();
  guint operator = gtk_drop_down_get_selected (self->operator_dropdown);
  guint action = gtk_drop_down_get_selected (self->action_dropdown);
  gboolean from_valid, to_valid;
  guint n;

  if (self->store == NULL || self->refused || self->filling)
    return;

  from_at = dup_day_start (self->from_entry, FALSE, &from_valid);
  to_at = dup_day_start (self->to_entry, TRUE, &to_valid);
  if (!from_valid || !to_valid)
    return;

  if (operator != GTK_INVALID_LIST_POSITION && operator > 0 && self->operator_ids != NULL &&
      operator - 1 < self->operator_ids->len)
    filter.operator_id = g_ptr_array_index (self->operator_ids, operator - 1);
  if (action != GTK_INVALID_LIST_POSITION && action > 0)
    filter.action = actions[action - 1];
  filter.child_id = self->child_id;
  filter.from_at = from_at;
  filter.to_at = to_at;

  if (!pfdo_audit_list_set_filter (self->list, self->store, &filter, &error))
    {
      show_refusal (self, error);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  count = pfdo_ui_format_count (n);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record", "%s records", n),
                              count);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  if (n == 0)
    {
      adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Records"));
      adw_status_page_set_description (self->empty_page,
                                       _("Nothing in the audit log matches the filters."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "rows" : "empty");
}

static void
filter_changed_cb (PfdoAuditWindow *self)
{
  apply_filter (self);
}

/* A date is applied once it is a whole date, or empty; a wrong one is
 * marked and changes nothing. */
static void
date_changed_cb (PfdoAuditWindow *self,
                 GtkEntry        *entry)
{
  gboolean valid;
  g_autofree char *at = dup_day_start (entry, FALSE, &valid);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (valid || strlen (text) < strlen ("01.01.2026"))
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  if (valid)
    apply_filter (self);
}

static void
date_activate_cb (PfdoAuditWindow *self,
                  GtkEntry        *entry)
{
  gboolean valid;
  g_autofree char *at = dup_day_start (entry, FALSE, &valid);

  if (!valid)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      pfdo_ui_toast (GTK_WIDGET (self->list_stack),
                     _("Enter the date as DD.MM.YYYY, for example 07.03.2015."));
    }
}

/* The records of one child, named above the list. */
static void
choose_child (PfdoAuditWindow      *self,
              const PfdoChildMatch *match)
{
  g_autofree char *birth = pfdo_ui_format_date (match->birth_date);
  g_autofree char *text = NULL;

  g_free (self->child_id);
  self->child_id = g_strdup (match->child_id);
  /* Translators: the child whose records the audit log shows: the name
   * and the birth date. */
  text = g_strdup_printf (_("Records of %s %s%s%s, %s"), match->last_name, match->first_name,
                          match->middle_name != NULL ? " " : "",
                          match->middle_name != NULL ? match->middle_name : "",
                          birth != NULL ? birth : "");
  gtk_label_set_label (self->child_label, text);
  gtk_widget_set_visible (self->child_bar, TRUE);
  if (self->matches_popover != NULL)
    gtk_popover_popdown (self->matches_popover);
  apply_filter (self);
}

static void
match_activated_cb (GtkListBox      *box,
                    GtkListBoxRow   *row,
                    PfdoAuditWindow *self)
{
  GPtrArray *matches = g_object_get_data (G_OBJECT (box), "matches");
  int index = gtk_list_box_row_get_index (row);

  if (matches != NULL && index >= 0 && (guint) index < matches->len)
    choose_child (self, g_ptr_array_index (matches, index));
}

/* Several children match: the administrator picks one. A list shows the
 * SNILS masked, as every list of the desk does. */
static void
offer_matches (PfdoAuditWindow *self,
               GPtrArray       *matches)
{
  GtkWidget *box = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (box, "boxed-list");
  for (guint i = 0; i < matches->len; i++)
    {
      PfdoChildMatch *match = g_ptr_array_index (matches, i);
      g_autofree char *birth = pfdo_ui_format_date (match->birth_date);
      g_autofree char *snils = pfdo_ui_mask_snils (match->snils);
      g_autofree char *title = g_strjoin (" ", match->last_name, match->first_name,
                                          match->middle_name, NULL);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      subtitle = g_strdup_printf ("%s%s%s", birth != NULL ? birth : "", snils != NULL ? " · " : "",
                                  snils != NULL ? snils : "");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (GTK_LIST_BOX (box), row);
    }
  g_object_set_data_full (G_OBJECT (box), "matches", g_ptr_array_ref (matches),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (box, "row-activated", G_CALLBACK (match_activated_cb), self, 0);

  if (self->matches_popover == NULL)
    {
      self->matches_popover = GTK_POPOVER (gtk_popover_new ());
      gtk_widget_set_parent (GTK_WIDGET (self->matches_popover), GTK_WIDGET (self->child_entry));
    }
  gtk_popover_set_child (self->matches_popover, box);
  gtk_popover_popup (self->matches_popover);
}

static void
child_activate_cb (PfdoAuditWindow *self)
{
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->child_entry));

  if (self->store == NULL || *text == '\0')
    return;
  matches = pfdo_search_children (self->store, text, 20, NULL, &error);
  if (matches == NULL)
    pfdo_ui_toast (GTK_WIDGET (self->list_stack), error->message);
  else if (matches->len == 0)
    pfdo_ui_toast (GTK_WIDGET (self->list_stack),
                   _("No child found. Type a SNILS, a phone, a certificate number, or a surname "
                     "with a name and a birth date."));
  else if (matches->len == 1)
    choose_child (self, g_ptr_array_index (matches, 0));
  else
    offer_matches (self, matches);
}

static void
clear_child_clicked_cb (PfdoAuditWindow *self)
{
  g_clear_pointer (&self->child_id, g_free);
  gtk_widget_set_visible (self->child_bar, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->child_entry), "");
  apply_filter (self);
}

/* The drop-downs: every operator the desk knows, every action it records. */
static void
fill_filters (PfdoAuditWindow *self)
{
  g_autoptr(GPtrArray) operators = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *actions = pfdo_audit_actions ();

  operators = pfdo_audit_list_operators (self->store, &error);
  if (operators == NULL)
    {
      show_refusal (self, error);
      return;
    }

  self->filling = TRUE;
  self->operator_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (self->operator_names, _("All operators"));
  for (guint i = 0; i < operators->len; i++)
    {
      PfdoAuditOperator *op = g_ptr_array_index (operators, i);

      g_ptr_array_add (self->operator_ids, g_strdup (op->id));
      gtk_string_list_append (self->operator_names, op->full_name);
    }
  gtk_string_list_append (self->action_names, _("All actions"));
  for (guint i = 0; actions[i] != NULL; i++)
    gtk_string_list_append (self->action_names, pfdo_audit_action_label (actions[i], NULL));
  gtk_drop_down_set_selected (self->operator_dropdown, 0);
  gtk_drop_down_set_selected (self->action_dropdown, 0);
  self->filling = FALSE;
}

static void
pfdo_audit_window_constructed (GObject *object)
{
  PfdoAuditWindow *self = PFDO_AUDIT_WINDOW (object);

  G_OBJECT_CLASS (pfdo_audit_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  fill_filters (self);
  apply_filter (self);
}

static void
pfdo_audit_window_dispose (GObject *object)
{
  PfdoAuditWindow *self = PFDO_AUDIT_WINDOW (object);

  if (self->matches_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->matches_popover));
  self->matches_popover = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_AUDIT_WINDOW);
  g_clear_object (&self->store);
  g_clear_pointer (&self->operator_ids, g_ptr_array_unref);
  g_clear_pointer (&self->child_id, g_free);

  G_OBJECT_CLASS (pfdo_audit_window_parent_class)->dispose (object);
}

static void
pfdo_audit_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PfdoAuditWindow *self = PFDO_AUDIT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_audit_window_class_init (PfdoAuditWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pfdo_audit_window_constructed;
  object_class->dispose = pfdo_audit_window_dispose;
  object_class->set_property = pfdo_audit_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PFDO_TYPE_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PFDO_TYPE_AUDIT_LIST);
  g_type_ensure (PFDO_TYPE_AUDIT_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class, "/ru/pfdo/Desk/pfdo-audit-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, filter_box);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, operator_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, operator_names);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, action_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, action_names);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, from_entry);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, to_entry);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, child_entry);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, child_bar);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, child_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, list);
  gtk_widget_class_bind_template_child (widget_class, PfdoAuditWindow, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, child_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_child_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pfdo_audit_window_init (PfdoAuditWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pfdo_audit_window_new:
 * @parent: (nullable): the desk's window
 *
 * Opens the audit log for the operator signed in at @store; the core
 * refuses it to every role but the МОЦ administrator, and the window then
 * says why.
 */
PfdoAuditWindow *
pfdo_audit_window_new (GtkWindow *parent,
                       PfdoStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  return g_object_new (PFDO_TYPE_AUDIT_WINDOW, "transient-for", parent, "store", store, NULL);
}

/**
 * pfdo_audit_window_get_model:
 *
 * Returns: (transfer none): the records shown, newest first
 */
GListModel *
pfdo_audit_window_get_model (PfdoAuditWindow *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_WINDOW (self), NULL);

  return G_LIST_MODEL (self->list);
}
