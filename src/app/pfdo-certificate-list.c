/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include "pfdo-certificate-list.h"
#include "pfdo-register.h"

/*
 * The register as a GListModel backed by the database: it knows its size
 * from a count, and reads rows in pages of PAGE_SIZE when the list asks for
 * them, keeping the last MAX_PAGES pages; near a page's edge the next
 * one is read ahead while the main loop is idle. Filtering and searching are a new
 * query, never a GTK filter over the whole table.
 */

#define PAGE_SIZE 200
#define MAX_PAGES 8
/* Rows from a page's edge at which the neighbouring page is read ahead. */
#define READ_AHEAD 80

struct _PfdoCertificateList
{
  GObject            parent_instance;

  PfdoStore         *store;
  char              *municipality_id;
  char              *status;
  char              *text;

  PfdoRegisterQuery *query;
  guint              n_items;
  GHashTable        *pages;     /* page number → GPtrArray of PfdoCertificateItem */
  GQueue             recent;    /* page numbers, the most recently used first */
  guint              pages_loaded;
  guint              read_ahead_id;
  guint              read_ahead_page;
};

static void pfdo_certificate_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PfdoCertificateList, pfdo_certificate_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pfdo_certificate_list_model_init))

static GType
pfdo_certificate_list_get_item_type (GListModel *model)
{
  return PFDO_TYPE_CERTIFICATE_ITEM;
}

static guint
pfdo_certificate_list_get_n_items (GListModel *model)
{
  return PFDO_CERTIFICATE_LIST (model)->n_items;
}

static void
drop_pages (PfdoCertificateList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
}

/* The page that holds @page_number, read now if it is not kept. */
static GPtrArray *
get_page (PfdoCertificateList *self,
          guint                page_number)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_number));
  if (items != NULL)
    {
      /* Most recently used first. */
      if (g_queue_peek_head (&self->recent) != GUINT_TO_POINTER (page_number))
        {
          g_queue_remove (&self->recent, GUINT_TO_POINTER (page_number));
          g_queue_push_head (&self->recent, GUINT_TO_POINTER (page_number));
        }
      return items;
    }

  rows = pfdo_register_query_rows (self->query, page_number * PAGE_SIZE, PAGE_SIZE, &error);
  if (rows == NULL)
    {
      /* No personal data in SQLite's messages. */
      g_warning ("Could not read the register: %s", error->message);
      rows = g_ptr_array_new ();
    }
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, pfdo_certificate_item_new (g_ptr_array_index (rows, i)));
  self->pages_loaded++;

  if (g_queue_get_length (&self->recent) >= MAX_PAGES)
    {
      gpointer oldest = g_queue_pop_tail (&self->recent);

      g_hash_table_remove (self->pages, oldest);
    }
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_number), items);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (page_number));
  return items;
}

static gboolean
read_ahead_cb (gpointer user_data)
{
  PfdoCertificateList *self = user_data;

  self->read_ahead_id = 0;
  if (self->query != NULL && self->read_ahead_page * PAGE_SIZE < self->n_items)
    get_page (self, self->read_ahead_page);
  return G_SOURCE_REMOVE;
}

/* Reads @page_number between frames, before the list scrolls onto it. */
static void
read_ahead (PfdoCertificateList *self,
            guint                page_number)
{
  if (self->read_ahead_id != 0 || page_number * PAGE_SIZE >= self->n_items ||
      g_hash_table_contains (self->pages, GUINT_TO_POINTER (page_number)))
    return;
  self->read_ahead_page = page_number;
  self->read_ahead_id = g_idle_add_full (G_PRIORITY_LOW, read_ahead_cb, self, NULL);
}

static gpointer
pfdo_certificate_list_get_item (GListModel *model,
                                guint       position)
{
  PfdoCertificateList *self = PFDO_CERTIFICATE_LIST (model);
  GPtrArray *items;
  guint offset;

  if (position >= self->n_items)
    return NULL;

  items = get_page (self, position / PAGE_SIZE);
  offset = position % PAGE_SIZE;
  if (offset >= PAGE_SIZE - READ_AHEAD)
    read_ahead (self, position / PAGE_SIZE + 1);
  else if (offset < READ_AHEAD && position >= PAGE_SIZE)
    read_ahead (self, position / PAGE_SIZE - 1);
  /* A page shorter than counted: the store changed under the list. The
   * list still gets an item; a reload puts things right. */
  if (offset >= items->len)
    return pfdo_certificate_item_new (NULL);
  return g_object_ref (g_ptr_array_index (items, offset));
}

static void
pfdo_certificate_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pfdo_certificate_list_get_item_type;
  iface->get_n_items = pfdo_certificate_list_get_n_items;
  iface->get_item = pfdo_certificate_list_get_item;
}

static void
pfdo_certificate_list_finalize (GObject *object)
{
  PfdoCertificateList *self = PFDO_CERTIFICATE_LIST (object);

  g_clear_handle_id (&self->read_ahead_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_pointer (&self->query, pfdo_register_query_free);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->recent);
  g_free (self->municipality_id);
  g_free (self->status);
  g_free (self->text);

  G_OBJECT_CLASS (pfdo_certificate_list_parent_class)->finalize (object);
}

static void
pfdo_certificate_list_class_init (PfdoCertificateListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pfdo_certificate_list_finalize;
}

static void
pfdo_certificate_list_init (PfdoCertificateList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
}

PfdoCertificateList *
pfdo_certificate_list_new (void)
{
  return g_object_new (PFDO_TYPE_CERTIFICATE_LIST, NULL);
}

/* Replaces every item: a new count, no pages kept. */
static void
replace_query (PfdoCertificateList *self,
               PfdoRegisterQuery   *query)
{
  guint removed = self->n_items;

  g_clear_handle_id (&self->read_ahead_id, g_source_remove);
  g_clear_pointer (&self->query, pfdo_register_query_free);
  drop_pages (self);
  self->pages_loaded = 0;

  /* Removed first, then added, in two signals: GTK 4.8's list looks for
   * the row it was anchored to among all the added items of one signal,
   * which would read every page of the register. */
  self->n_items = 0;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  self->query = query;
  self->n_items = query != NULL ? pfdo_register_query_get_n_rows (query) : 0;
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
}

/**
 * pfdo_certificate_list_set_store:
 *
 * Empties the list; set_filter() or reload() reads the new store.
 */
void
pfdo_certificate_list_set_store (PfdoCertificateList *self,
                                 PfdoStore           *store)
{
  g_return_if_fail (PFDO_IS_CERTIFICATE_LIST (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  replace_query (self, NULL);
}

/**
 * pfdo_certificate_list_reload:
 *
 * Counts again and forgets the pages read: the store changed.
 */
gboolean
pfdo_certificate_list_reload (PfdoCertificateList *self,
                              GError             **error)
{
  PfdoRegisterQuery *query;

  g_return_val_if_fail (PFDO_IS_CERTIFICATE_LIST (self), FALSE);

  if (self->store == NULL)
    {
      replace_query (self, NULL);
      return TRUE;
    }
  query = pfdo_register_query_new (self->store, self->municipality_id, self->status, self->text,
                                   error);
  if (query == NULL)
    return FALSE;
  replace_query (self, query);
  return TRUE;
}

/**
 * pfdo_certificate_list_set_filter:
 * @municipality_id: (nullable): one municipality, or all
 * @status: (nullable): one status, or all
 * @text: (nullable): a number's first digits or a surname's first letters
 */
gboolean
pfdo_certificate_list_set_filter (PfdoCertificateList *self,
                                  const char          *municipality_id,
                                  const char          *status,
                                  const char          *text,
                                  GError             **error)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_LIST (self), FALSE);

  g_free (self->municipality_id);
  self->municipality_id = g_strdup (municipality_id);
  g_free (self->status);
  self->status = g_strdup (status);
  g_free (self->text);
  self->text = g_strdup (text);
  return pfdo_certificate_list_reload (self, error);
}

/**
 * pfdo_certificate_list_refresh_item:
 *
 * Reads one certificate's line again after an action and updates its item
 * where a kept page holds it; the rows keep their places until a reload.
 */
gboolean
pfdo_certificate_list_refresh_item (PfdoCertificateList *self,
                                    const char          *certificate_id,
                                    GError             **error)
{
  g_autoptr(PfdoRegisterRow) row = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PFDO_IS_CERTIFICATE_LIST (self), FALSE);
  g_return_val_if_fail (certificate_id != NULL, FALSE);

  if (self->store == NULL)
    return TRUE;
  row = pfdo_register_row_load (self->store, certificate_id, error);
  if (row == NULL)
    return FALSE;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *items = value;

      for (guint i = 0; i < items->len; i++)
        {
          PfdoCertificateItem *item = g_ptr_array_index (items, i);

          if (g_strcmp0 (pfdo_certificate_item_get_id (item), certificate_id) == 0)
            pfdo_certificate_item_update (item, row);
        }
    }
  return TRUE;
}

/* How many pages were read from the store since the last count: tests and
 * benchmarks check that the list reads on demand. */
guint
pfdo_certificate_list_get_pages_loaded (PfdoCertificateList *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_LIST (self), 0);

  return self->pages_loaded;
}
