/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pfdo-register.h"

G_BEGIN_DECLS

#define PFDO_TYPE_CERTIFICATE_ITEM (pfdo_certificate_item_get_type ())

G_DECLARE_FINAL_TYPE (PfdoCertificateItem, pfdo_certificate_item, PFDO, CERTIFICATE_ITEM, GObject)

PfdoCertificateItem *pfdo_certificate_item_new           (const PfdoRegisterRow *row);
void                 pfdo_certificate_item_update        (PfdoCertificateItem   *self,
                                                          const PfdoRegisterRow *row);
const char          *pfdo_certificate_item_get_id        (PfdoCertificateItem   *self);
const char          *pfdo_certificate_item_get_number    (PfdoCertificateItem   *self);
const char          *pfdo_certificate_item_get_child     (PfdoCertificateItem   *self);
const char          *pfdo_certificate_item_get_status    (PfdoCertificateItem   *self);
const char          *pfdo_certificate_item_get_available (PfdoCertificateItem   *self);
const char          *pfdo_certificate_item_get_period    (PfdoCertificateItem   *self);

const char          *pfdo_certificate_status_label       (const char            *status);

G_END_DECLS
