/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include "pfdo-program-item.h"

/*
 * A place in the catalog's results, holding the program found there and
 * the child's age it is judged for. The results keep their items from one
 * keystroke to the next and put new programs into them, and the rows on
 * screen follow ::changed: the list view then reuses its rows instead of
 * building new ones for every key.
 */

struct _PfdoProgramItem
{
  GObject             parent_instance;

  PfdoCatalogProgram *program;
  int                 age;
};

G_DEFINE_FINAL_TYPE (PfdoProgramItem, pfdo_program_item, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

  /**
   * PfdoProgramItem::changed:
   *
   * Another program, or another age, is in the item.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pfdo_program_item_init (PfdoProgramItem *self)
{
  self->age = -1;
}

/**
 * pfdo_program_item_new:
 * @program: (transfer full): the program
 * @age: the child's age the program is judged for, or -1
 */
PfdoProgramItem *
pfdo_program_item_new (PfdoCatalogProgram *program,
                       int                 age)
{
  PfdoProgramItem *self;

  g_return_val_if_fail (program != NULL, NULL);

  self = g_object_new (PFDO_TYPE_PROGRAM_ITEM, NULL);
  self->program = program;
  self->age = age;
  return self;
}

/**
 * pfdo_program_item_set_program:
 * @program: (transfer full): the program now in this place
 */
void
pfdo_program_item_set_program (PfdoProgramItem    *self,
                               PfdoCatalogProgram *program,
                               int                 age)
{
  g_return_if_fail (PFDO_IS_PROGRAM_ITEM (self));
  g_return_if_fail (program != NULL);

  g_clear_pointer (&self->program, pfdo_catalog_program_free);
  self->program = program;
  self->age = age;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
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

int
pfdo_program_item_get_age (PfdoProgramItem *self)
{
  g_return_val_if_fail (PFDO_IS_PROGRAM_ITEM (self), -1);

  return self->age;
}
