/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *number;
  char *child_id;
  char *municipality_id;
  char *status;
  char *issued_at;
  char *activated_at;
  char *closed_at;
  char *close_reason;
  char *frozen_from;
} PfdoCertificate;

void              pfdo_certificate_free           (PfdoCertificate  *certificate);
PfdoCertificate  *pfdo_certificate_load           (PfdoStore        *store,
                                                   const char       *certificate_id,
                                                   GError          **error);
gboolean          pfdo_certificate_issue          (PfdoStore        *store,
                                                   const char       *child_id,
                                                   char            **out_certificate_id,
                                                   char            **out_number,
                                                   GError          **error);
gboolean          pfdo_certificate_issue_numbered (PfdoStore        *store,
                                                   const char       *certificate_id,
                                                   const char       *child_id,
                                                   const char       *number,
                                                   const char       *device_id,
                                                   GError          **error);
gboolean          pfdo_certificate_activate       (PfdoStore        *store,
                                                   const char       *certificate_id,
                                                   GError          **error);
gboolean          pfdo_certificate_convert        (PfdoStore        *store,
                                                   const char       *certificate_id,
                                                   const char       *to_status,
                                                   GError          **error);
gboolean          pfdo_certificate_freeze         (PfdoStore        *store,
                                                   const char       *certificate_id,
                                                   const char       *reason,
                                                   GError          **error);
gboolean          pfdo_certificate_unfreeze       (PfdoStore        *store,
                                                   const char       *certificate_id,
                                                   const char       *reason,
                                                   GError          **error);
gboolean          pfdo_certificate_close          (PfdoStore        *store,
                                                   const char       *certificate_id,
                                                   const char       *reason,
                                                   GError          **error);
gint64            pfdo_number_blocks_remaining    (PfdoStore        *store,
                                                   GError          **error);
gboolean          pfdo_number_block_add           (PfdoStore        *store,
                                                   const char       *block_id,
                                                   const char       *first,
                                                   const char       *last,
                                                   GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoCertificate, pfdo_certificate_free)

G_END_DECLS
