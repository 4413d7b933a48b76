/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include "pfdo-audit-list.h"

/*
 * The audit log as a GListModel backed by the database, newest record
 * first: it knows its size from a count and reads pages of PAGE_SIZE rows
 * when the list asks for them, keeping the last MAX_PAGES. The core reads
 * each page from the nearest one already read, so scrolling down a big log
 * stays a range scan of an index. A filter is a new query.
 */

#define PAGE_SIZE 200
#define MAX_PAGES 8

struct _PfdoAuditList
{
  GObject         parent_instance;

  PfdoAuditQuery *query;
  guint           n_items;
  GHashTable     *pages;     /* page number → GPtrArray of PfdoAuditItem */
  GQueue          recent;    /* page numbers, the most recently used first */
  guint           pages_loaded;
};

static void pfdo_audit_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PfdoAuditList, pfdo_audit_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pfdo_audit_list_model_init))

static GType
pfdo_audit_list_get_item_type (GListModel *model)
{
  return PFDO_TYPE_AUDIT_ITEM;
}

static guint
pfdo_audit_list_get_n_items (GListModel *model)
{
  return PFDO_AUDIT_LIST (model)->n_items;
}

/* The page that holds @page_number, read now if it is not kept. */
static GPtrArray *
get_page (PfdoAuditList *self,
          guint          page_number)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_number));
  if (items != NULL)
    {
      if (g_queue_peek_head (&self->recent) != GUINT_TO_POINTER (page_number))
        {
          g_queue_remove (&self->recent, GUINT_TO_POINTER (page_number));
          g_queue_push_head (&self->recent, GUINT_TO_POINTER (page_number));
        }
      return items;
    }

  rows = pfdo_audit_query_rows (self->query, page_number * PAGE_SIZE, PAGE_SIZE, &error);
  if (rows == NULL)
    {
      /* SQLite's messages hold no personal data. */
      g_warning ("Could not read the audit log: %s", error->message);
      rows = g_ptr_array_new ();
    }
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, pfdo_audit_item_new (g_ptr_array_index (rows, i)));
  self->pages_loaded++;

  if (g_queue_get_length (&self->recent) >= MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->recent));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_number), items);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (page_number));
  return items;
}

static gpointer
pfdo_audit_list_get_item (GListModel *model,
                          guint       position)
{
  PfdoAuditList *self = PFDO_AUDIT_LIST (model);
  GPtrArray *items;
  guint offset;

  if (position >= self->n_items)
    return NULL;

  items = get_page (self, position / PAGE_SIZE);
  offset = position % PAGE_SIZE;
  /* A page shorter than counted: the log changed under the list. */
  if (offset >= items->len)
    return pfdo_audit_item_new (NULL);
  return g_object_ref (g_ptr_array_index (items, offset));
}

static void
pfdo_audit_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pfdo_audit_list_get_item_type;
  iface->get_n_items = pfdo_audit_list_get_n_items;
  iface->get_item = pfdo_audit_list_get_item;
}

static void
pfdo_audit_list_finalize (GObject *object)
{
  PfdoAuditList *self = PFDO_AUDIT_LIST (object);

  g_clear_pointer (&self->query, pfdo_audit_query_free);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->recent);

  G_OBJECT_CLASS (pfdo_audit_list_parent_class)->finalize (object);
}

static void
pfdo_audit_list_class_init (PfdoAuditListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pfdo_audit_list_finalize;
}

static void
pfdo_audit_list_init (PfdoAuditList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
}

PfdoAuditList *
pfdo_audit_list_new (void)
{
  return g_object_new (PFDO_TYPE_AUDIT_LIST, NULL);
}

/**
 * pfdo_audit_list_set_filter:
 * @store: (nullable): the store to read; %NULL empties the list
 * @filter: (nullable): which records; %NULL for all
 *
 * Counts the records that match and shows them from the newest. A query
 * the core refuses (the operator is not the МОЦ administrator) empties
 * the list and sets @error.
 */
gboolean
pfdo_audit_list_set_filter (PfdoAuditList          *self,
                            PfdoStore              *store,
                            const PfdoAuditFilter  *filter,
                            GError                **error)
{
  PfdoAuditQuery *query = NULL;
  guint removed;

  g_return_val_if_fail (PFDO_IS_AUDIT_LIST (self), FALSE);
  g_return_val_if_fail (store == NULL || PFDO_IS_STORE (store), FALSE);

  if (store != NULL)
    query = pfdo_audit_query_new (store, filter, error);

  removed = self->n_items;
  g_clear_pointer (&self->query, pfdo_audit_query_free);
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
  self->pages_loaded = 0;

  /* Removed first, then added, in two signals: GTK 4.8's list looks for
   * its anchor among all the items of one signal, which would read every
   * page of the log. */
  self->n_items = 0;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  self->query = query;
  self->n_items = query != NULL ? pfdo_audit_query_get_n_rows (query) : 0;
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
  return store == NULL || query != NULL;
}

/* Pages read since the last filter: tests check that the list reads on
 * demand. */
guint
pfdo_audit_list_get_pages_loaded (PfdoAuditList *self)
{
  g_return_val_if_fail (PFDO_IS_AUDIT_LIST (self), 0);

  return self->pages_loaded;
}
