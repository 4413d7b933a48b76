/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include "pfdo-program-item.h"

/*
 * A program found in the catalog, as an item of the results' list model.
 */

struct _PfdoProgramItem
{
  GObject             parent_instance;

  PfdoCatalogProgram *program;
};

G_DEFINE_FINAL_TYPE (PfdoProgramItem, pfdo_program_item, G_TYPE_OBJECT)

static void
pfdo_program_item_finalize (GObject *object)
{
  PfdoProgramItem *self = PFDO_PROGRAM_ITEM (object);

  g_clear_pointer (&self->program, pfdo_catalog_program_free);

  G_OBJECT_CLASS (pfdo_program_item_parent_class)->finalize (object);
}

static void
pfdo_program_item_class_init (PfdoProgramItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pfdo_program_item_finalize;
}

static void
pfdo_program_item_init (PfdoProgramItem *self)
{
}

/**
 * pfdo_program_item_new:
 * @program: (transfer full): the program
 */
PfdoProgramItem *
pfdo_program_item_new (PfdoCatalogProgram *program)
{
  PfdoProgramItem *self;

  g_return_val_if_fail (program != NULL, NULL);

  self = g_object_new (PFDO_TYPE_PROGRAM_ITEM, NULL);
  self->program = program;
  return self;
}

const PfdoCatalogProgram *
pfdo_program_item_get_program (PfdoProgramItem *self)
{
  g_return_val_if_fail (PFDO_IS_PROGRAM_ITEM (self), NULL);

  return self->program;
}

const char *
pfdo_program_item_get_id (PfdoProgramItem *self)
{
  g_return_val_if_fail (PFDO_IS_PROGRAM_ITEM (self), NULL);

  return self->program->id;
}
