/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_LOCK_PAGE (pfdo_lock_page_get_type ())

G_DECLARE_FINAL_TYPE (PfdoLockPage, pfdo_lock_page, PFDO, LOCK_PAGE, GtkWidget)

void        pfdo_lock_page_set_store              (PfdoLockPage *self,
                                                   PfdoStore    *store);
void        pfdo_lock_page_watch                  (PfdoLockPage *self,
                                                   GtkWindow    *window);
double      pfdo_lock_page_get_lock_after_minutes (PfdoLockPage *self);
void        pfdo_lock_page_set_lock_after_minutes (PfdoLockPage *self,
                                                   double        minutes);
gboolean    pfdo_lock_page_lock                   (PfdoLockPage *self);
void        pfdo_lock_page_unlock                 (PfdoLockPage *self);
gboolean    pfdo_lock_page_get_locked             (PfdoLockPage *self);
const char *pfdo_lock_page_get_operator_id        (PfdoLockPage *self);
gboolean    pfdo_lock_page_get_checking           (PfdoLockPage *self);

G_END_DECLS
