/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-catalog-view.h"
#include "pfdo-catalog.h"
#include "pfdo-program-item.h"
#include "pfdo-program-page.h"
#include "pfdo-program-row.h"
#include "pfdo-program-text.h"
#include "pfdo-search.h"
#include "pfdo-ui.h"

/*
 * The catalog view: search as you type over the region's programs, with
 * filters that also work without words (the catalog is then browsed), and
 * a program's page in place of the list. The window gives it the store,
 * asks it to reload after a sync brought changes, and to focus its search
 * on Ctrl+F.
 *
 * Every query is one indexed SQLite read of a few milliseconds
 * (tests/bench/pfdo-bench-catalog.c measures it), so it runs on each
 * keystroke on the main thread, without a worker and without waiting.
 */

/* The results shown at first, and how many more each scroll to the end
 * adds. */
#define PAGE_SIZE 50
#define MAX_SHOWN 500
#define MAX_REVIEWS 20

struct _PfdoCatalogView
{
  AdwBin           parent_instance;

  PfdoStore       *store;
  GListStore      *results;          /* PfdoProgramItem */
  GPtrArray       *municipality_ids; /* by position in the municipality row, 0 = any */
  char            *program_id;       /* the program on the page, or NULL */
  guint            limit;
  guint            filling : 1;      /* the filter rows are being set: no queries */
  guint            more : 1;         /* more programs match than are shown */

  GtkStack        *stack;
  GtkWidget       *list_page;
  GtkSearchEntry  *search_entry;
  AdwComboRow     *direction_row;
  AdwComboRow     *age_row;
  AdwComboRow     *municipality_row;
  AdwComboRow     *funding_row;
  AdwComboRow     *form_row;
  GtkSwitch       *disability_switch;
  GtkSwitch       *open_switch;
  GtkSwitch       *places_switch;
  GtkStack        *results_stack;
  GtkScrolledWindow *results_window;
  GtkLabel        *count_label;
  GtkListView     *results_view;
  PfdoProgramPage *program_page;
};

G_DEFINE_FINAL_TYPE (PfdoCatalogView, pfdo_catalog_view, ADW_TYPE_BIN)

enum
{
  SIGNAL_RESULTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh (PfdoCatalogView *self);

/* The age chosen in the filter, or -1 for any. */
static int
selected_age (PfdoCatalogView *self)
{
  guint selected = adw_combo_row_get_selected (self->age_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return -1;
  return PFDO_PROGRAM_AGE_MIN + (int) selected - 1;
}

/* The code chosen in a row of @choices, "any" being the first item. */
static const char *
selected_code (AdwComboRow             *row,
               const PfdoProgramChoice *choices,
               guint                    n_choices)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == 0 || selected > n_choices)
    return NULL;
  return choices[selected - 1].code;
}

static void
read_filter (PfdoCatalogView   *self,
             PfdoCatalogFilter *filter)
{
  guint municipality = adw_combo_row_get_selected (self->municipality_row);

  *filter = (PfdoCatalogFilter) PFDO_CATALOG_FILTER_INIT;
  filter->text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  filter->direction = selected_code (self->direction_row, pfdo_program_directions,
                                     pfdo_program_n_directions);
  filter->funding = selected_code (self->funding_row, pfdo_program_fundings,
                                   pfdo_program_n_fundings);
  filter->form = selected_code (self->form_row, pfdo_program_forms, pfdo_program_n_forms);
  filter->age = selected_age (self);
  if (municipality > 0 && municipality < self->municipality_ids->len)
    filter->municipality_id = g_ptr_array_index (self->municipality_ids, municipality);
  filter->disability_friendly = gtk_switch_get_active (self->disability_switch);
  filter->enrollment_open = gtk_switch_get_active (self->open_switch);
  filter->free_places = gtk_switch_get_active (self->places_switch);
}

static gboolean
filter_is_blank (const PfdoCatalogFilter *filter)
{
  g_autofree char *fts = pfdo_catalog_fts_query (filter->text);

  return fts == NULL && filter->direction == NULL && filter->municipality_id == NULL &&
         filter->funding == NULL && filter->form == NULL && filter->age < 0 &&
         !filter->disability_friendly && !filter->enrollment_open && !filter->free_places;
}

static char *
count_text (const PfdoCatalogResult *result)
{
  g_autofree char *shown = pfdo_ui_format_count (result->programs->len);
  g_autofree char *total = pfdo_ui_format_count (result->total);

  if (result->total_is_lower_bound && result->total == result->programs->len)
    return g_strdup_printf (ngettext ("Showing the first %s program; type more letters to narrow "
                                      "the search",
                                      "Showing the first %s programs; type more letters to narrow "
                                      "the search", result->total),
                            shown);
  if (result->total_is_lower_bound)
    return g_strdup_printf (ngettext ("Showing the first %s of more than %s program",
                                      "Showing the first %s of more than %s programs",
                                      result->total),
                            shown, total);
  if (result->total > result->programs->len)
    return g_strdup_printf (ngettext ("Showing the first %s of %s program",
                                      "Showing the first %s of %s programs", result->total),
                            shown, total);
  return g_strdup_printf (ngettext ("%s program found", "%s programs found", result->total),
                          total);
}

static void
actions_update (PfdoCatalogView *self)
{
  gboolean on_page = self->program_id != NULL;
  PfdoCatalogFilter filter;

  read_filter (self, &filter);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalog.back", on_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalog.reset-filters",
                                 !filter_is_blank (&filter));
}

/* Runs the query for what the clerk typed and chose, and shows it. */
static void
refresh (PfdoCatalogView *self)
{
  g_autoptr(PfdoCatalogResult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  PfdoCatalogFilter filter;
  gboolean more;
  guint shown;
  int age;

  if (self->filling)
    return;
  actions_update (self);
  if (self->store == NULL)
    {
      g_list_store_remove_all (self->results);
      gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
      gtk_stack_set_visible_child_name (self->results_stack, "no-catalog");
      g_signal_emit (self, signals[SIGNAL_RESULTS_CHANGED], 0);
      return;
    }

  read_filter (self, &filter);
  result = pfdo_catalog_query (self->store, &filter, self->limit, &error);
  if (result == NULL)
    {
      /* The list keeps what it showed; the clerk learns why it did not change. */
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      g_signal_emit (self, signals[SIGNAL_RESULTS_CHANGED], 0);
      return;
    }

  /* The places already in the list get their new programs; only the
   * difference in length is added or removed. */
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  age = selected_age (self);
  for (guint i = 0; i < MIN (shown, result->programs->len); i++)
    {
      g_autoptr(PfdoProgramItem) item = g_list_model_get_item (G_LIST_MODEL (self->results), i);

      pfdo_program_item_set_program (item, g_steal_pointer (&result->programs->pdata[i]), age);
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = shown; i < result->programs->len; i++)
    g_ptr_array_add (items, pfdo_program_item_new (g_steal_pointer (&result->programs->pdata[i]),
                                                   age));
  if (shown > result->programs->len)
    g_list_store_splice (self->results, result->programs->len, shown - result->programs->len,
                         NULL, 0);
  else if (items->len > 0)
    g_list_store_splice (self->results, shown, 0, items->pdata, items->len);

  if (result->programs->len == 0)
    gtk_stack_set_visible_child_name (self->results_stack,
                                      filter_is_blank (&filter) ? "no-catalog" : "empty");
  else
    gtk_stack_set_visible_child_name (self->results_stack, "results");

  /* An empty result has its status page to say so. */
  count = count_text (result);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), result->programs->len > 0);
  more = result->total > result->programs->len && self->limit < MAX_SHOWN;
  self->more = more;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalog.show-more", more);

  g_signal_emit (self, signals[SIGNAL_RESULTS_CHANGED], 0);
}

/* New words or filters show the first page again, from its top. */
static void
restart (PfdoCatalogView *self)
{
  self->limit = PAGE_SIZE;
  refresh (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->results_window), 0);
}

static void
setup_row_cb (PfdoCatalogView          *self,
              GtkListItem              *list_item,
              GtkSignalListItemFactory *factory)
{
  gtk_list_item_set_child (list_item, pfdo_program_row_new ());
}

static void
bind_row_cb (PfdoCatalogView          *self,
             GtkListItem              *list_item,
             GtkSignalListItemFactory *factory)
{
  pfdo_program_row_set_item (PFDO_PROGRAM_ROW (gtk_list_item_get_child (list_item)),
                             gtk_list_item_get_item (list_item));
}

static void
unbind_row_cb (PfdoCatalogView          *self,
               GtkListItem              *list_item,
               GtkSignalListItemFactory *factory)
{
  pfdo_program_row_set_item (PFDO_PROGRAM_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
search_changed_cb (PfdoCatalogView *self)
{
  restart (self);
}

static void
filter_changed_cb (PfdoCatalogView *self)
{
  restart (self);
}

/* Enter or Down in the search: on to the results, at the first. */
static gboolean
focus_first_result (PfdoCatalogView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->results)) == 0)
    return FALSE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->results_window), 0);
  return gtk_widget_child_focus (GTK_WIDGET (self->results_view), GTK_DIR_TAB_FORWARD);
}

static void
search_activate_cb (PfdoCatalogView *self)
{
  focus_first_result (self);
}

static gboolean
search_key_pressed_cb (PfdoCatalogView       *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    return focus_first_result (self);
  return GDK_EVENT_PROPAGATE;
}

/* Escape in the search clears it, as in every GNOME search. */
static void
stop_search_cb (PfdoCatalogView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static gboolean
show_program (PfdoCatalogView *self,
              const char      *program_id)
{
  g_autoptr(PfdoCatalogProgram) program = NULL;
  g_autoptr(GError) error = NULL;

  program = pfdo_catalog_get_program (self->store, program_id, MAX_REVIEWS, &error);
  if (program == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return FALSE;
    }
  pfdo_program_page_show_program (self->program_page, program, selected_age (self));
  if (self->program_id != program_id)
    {
      g_free (self->program_id);
      self->program_id = g_strdup (program_id);
    }
  gtk_stack_set_visible_child_name (self->stack, "program");
  actions_update (self);
  return TRUE;
}

static void
result_activated_cb (PfdoCatalogView *self,
                     guint            position)
{
  g_autoptr(PfdoProgramItem) item = g_list_model_get_item (G_LIST_MODEL (self->results), position);

  if (item != NULL && show_program (self, pfdo_program_item_get_id (item)))
    gtk_widget_grab_focus (GTK_WIDGET (self->program_page));
}

/* Scrolled to the end: the next programs come in. */
static void
edge_reached_cb (PfdoCatalogView *self,
                 GtkPositionType  position)
{
  if (position == GTK_POS_BOTTOM && self->more)
    gtk_widget_activate_action (GTK_WIDGET (self), "catalog.show-more", NULL);
}

/* Back to the list as it was: the words, the filters, the scroll, and the
 * row the program was opened from (the list view keeps its focus there). */
static void
back_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  PfdoCatalogView *self = PFDO_CATALOG_VIEW (widget);

  g_clear_pointer (&self->program_id, g_free);
  gtk_stack_set_visible_child_name (self->stack, "list");
  actions_update (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->results)) == 0 ||
      !gtk_widget_grab_focus (GTK_WIDGET (self->results_view)))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
reset_filters_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PfdoCatalogView *self = PFDO_CATALOG_VIEW (widget);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  adw_combo_row_set_selected (self->direction_row, 0);
  adw_combo_row_set_selected (self->age_row, 0);
  adw_combo_row_set_selected (self->municipality_row, 0);
  adw_combo_row_set_selected (self->funding_row, 0);
  adw_combo_row_set_selected (self->form_row, 0);
  gtk_switch_set_active (self->disability_switch, FALSE);
  gtk_switch_set_active (self->open_switch, FALSE);
  gtk_switch_set_active (self->places_switch, FALSE);
  self->filling = FALSE;
  restart (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_more_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PfdoCatalogView *self = PFDO_CATALOG_VIEW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->results_window);
  double value = gtk_adjustment_get_value (adjustment);

  self->limit = MIN (self->limit + PAGE_SIZE, MAX_SHOWN);
  refresh (self);
  /* The rows shown stay where they were; the new ones come below. */
  gtk_adjustment_set_value (adjustment, value);
}

/* A combo row's items: "any" first, then @choices by their names. */
static void
set_choices (AdwComboRow             *row,
             const char              *any,
             const PfdoProgramChoice *choices,
             guint                    n_choices)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, any);
  for (guint i = 0; i < n_choices; i++)
    gtk_string_list_append (list, _(choices[i].name));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static void
fill_ages (PfdoCatalogView *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("Any age"));
  for (int age = PFDO_PROGRAM_AGE_MIN; age <= PFDO_PROGRAM_AGE_MAX; age++)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%d year", "%d years", (gulong) age),
                                               age);

      gtk_string_list_append (list, text);
    }
  adw_combo_row_set_model (self->age_row, G_LIST_MODEL (list));
}

/* The municipalities of the store; the chosen one stays chosen. */
static void
fill_municipalities (PfdoCatalogView *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) municipalities = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chosen = NULL;
  guint selected = adw_combo_row_get_selected (self->municipality_row);
  guint position = 0;

  if (selected > 0 && selected < self->municipality_ids->len)
    chosen = g_strdup (g_ptr_array_index (self->municipality_ids, selected));

  g_ptr_array_set_size (self->municipality_ids, 0);
  g_ptr_array_add (self->municipality_ids, g_strdup (""));
  gtk_string_list_append (list, _("Any municipality"));
  if (self->store != NULL)
    {
      municipalities = pfdo_catalog_list_municipalities (self->store, &error);
      if (municipalities == NULL)
        pfdo_ui_toast (GTK_WIDGET (self), error->message);
    }
  for (guint i = 0; municipalities != NULL && i < municipalities->len; i++)
    {
      PfdoCatalogMunicipality *municipality = g_ptr_array_index (municipalities, i);

      if (g_strcmp0 (municipality->id, chosen) == 0)
        position = self->municipality_ids->len;
      g_ptr_array_add (self->municipality_ids, g_strdup (municipality->id));
      gtk_string_list_append (list, municipality->name);
    }

  self->filling = TRUE;
  adw_combo_row_set_model (self->municipality_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->municipality_row, position);
  self->filling = FALSE;
}

static void
pfdo_catalog_view_dispose (GObject *object)
{
  PfdoCatalogView *self = PFDO_CATALOG_VIEW (object);

  /* The bin's child is a template child: the bin lets go of it first, or
   * it would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_CATALOG_VIEW);
  g_clear_object (&self->store);
  g_clear_object (&self->results);
  g_clear_pointer (&self->municipality_ids, g_ptr_array_unref);
  g_clear_pointer (&self->program_id, g_free);

  G_OBJECT_CLASS (pfdo_catalog_view_parent_class)->dispose (object);
}

static void
pfdo_catalog_view_class_init (PfdoCatalogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_catalog_view_dispose;

  /**
   * PfdoCatalogView::results-changed:
   *
   * The results were read again: after each keystroke, filter, reload.
   */
  signals[SIGNAL_RESULTS_CHANGED] = g_signal_new ("results-changed", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);

  g_type_ensure (PFDO_TYPE_PROGRAM_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-catalog-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, list_page);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, direction_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, age_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, municipality_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, funding_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, form_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, disability_switch);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, open_switch);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, places_switch);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, results_window);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, count_label);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, results_view);
  gtk_widget_class_bind_template_child (widget_class, PfdoCatalogView, program_page);

  gtk_widget_class_install_action (widget_class, "catalog.back", NULL, back_cb);
  gtk_widget_class_install_action (widget_class, "catalog.reset-filters", NULL, reset_filters_cb);
  gtk_widget_class_install_action (widget_class, "catalog.show-more", NULL, show_more_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "catalog.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "catalog.back",
                                       NULL);
}

static void
pfdo_catalog_view_init (PfdoCatalogView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->limit = PAGE_SIZE;
  self->results = g_list_store_new (PFDO_TYPE_PROGRAM_ITEM);
  self->municipality_ids = g_ptr_array_new_with_free_func (g_free);
  /* A list view makes rows for the programs on screen only, and reuses
   * them from one keystroke to the next. */
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  g_signal_connect_swapped (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect_swapped (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect_swapped (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->results_view, factory);
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (selection));

  self->filling = TRUE;
  set_choices (self->direction_row, _("Any direction"), pfdo_program_directions,
               pfdo_program_n_directions);
  set_choices (self->funding_row, _("Any funding"), pfdo_program_fundings,
               pfdo_program_n_fundings);
  set_choices (self->form_row, _("Any form"), pfdo_program_forms, pfdo_program_n_forms);
  fill_ages (self);
  fill_municipalities (self);
  self->filling = FALSE;

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb),
                            self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_activate_cb), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  /* Typing anywhere in the list goes into the search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, self->list_page);

  g_signal_connect_swapped (self->results_view, "activate", G_CALLBACK (result_activated_cb),
                            self);
  g_signal_connect_swapped (self->results_window, "edge-reached", G_CALLBACK (edge_reached_cb),
                            self);
  g_signal_connect_swapped (self->direction_row, "notify::selected",
                            G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->age_row, "notify::selected", G_CALLBACK (filter_changed_cb),
                            self);
  g_signal_connect_swapped (self->municipality_row, "notify::selected",
                            G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->funding_row, "notify::selected", G_CALLBACK (filter_changed_cb),
                            self);
  g_signal_connect_swapped (self->form_row, "notify::selected", G_CALLBACK (filter_changed_cb),
                            self);
  g_signal_connect_swapped (self->disability_switch, "notify::active",
                            G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->open_switch, "notify::active", G_CALLBACK (filter_changed_cb),
                            self);
  g_signal_connect_swapped (self->places_switch, "notify::active",
                            G_CALLBACK (filter_changed_cb), self);
  actions_update (self);
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

  fill_municipalities (self);
  refresh (self);
  /* The program on the page may have changed too, or be gone. */
  if (self->program_id != NULL)
    {
      g_autofree char *program_id = g_strdup (self->program_id);

      if (self->store == NULL || !show_program (self, program_id))
        gtk_widget_activate_action (GTK_WIDGET (self), "catalog.back", NULL);
    }
}

void
pfdo_catalog_view_focus_search (PfdoCatalogView *self)
{
  g_return_if_fail (PFDO_IS_CATALOG_VIEW (self));

  if (self->program_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "catalog.back", NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * pfdo_catalog_view_fit_to_age:
 * @age: a child's age
 *
 * Shows the programs a child of @age may choose: the age filter set, the
 * other filters and the words kept.
 */
void
pfdo_catalog_view_fit_to_age (PfdoCatalogView *self,
                              int              age)
{
  g_return_if_fail (PFDO_IS_CATALOG_VIEW (self));

  if (self->program_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "catalog.back", NULL);
  age = CLAMP (age, PFDO_PROGRAM_AGE_MIN, PFDO_PROGRAM_AGE_MAX);
  adw_combo_row_set_selected (self->age_row, (guint) (age - PFDO_PROGRAM_AGE_MIN + 1));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * pfdo_catalog_view_get_results:
 *
 * Returns: (transfer none): the programs shown, #PfdoProgramItem each
 */
GListModel *
pfdo_catalog_view_get_results (PfdoCatalogView *self)
{
  g_return_val_if_fail (PFDO_IS_CATALOG_VIEW (self), NULL);

  return G_LIST_MODEL (self->results);
}

/**
 * pfdo_catalog_view_get_program_id:
 *
 * Returns: (nullable): the id of the program on the page, or %NULL when
 *   the list is shown
 */
const char *
pfdo_catalog_view_get_program_id (PfdoCatalogView *self)
{
  g_return_val_if_fail (PFDO_IS_CATALOG_VIEW (self), NULL);

  return self->program_id;
}
