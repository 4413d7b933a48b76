/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-sync.h"
#include "pfdo-token.h"

G_BEGIN_DECLS

#define PFDO_TYPE_SYNCER (pfdo_syncer_get_type ())

G_DECLARE_FINAL_TYPE (PfdoSyncer, pfdo_syncer, PFDO, SYNCER, GObject)

PfdoSyncer    *pfdo_syncer_new              (PfdoStore   *store);
void           pfdo_syncer_set_server       (PfdoSyncer  *self,
                                             const char  *base_uri,
                                             const char  *ca_file);
const char    *pfdo_syncer_get_server       (PfdoSyncer  *self);
void           pfdo_syncer_set_allow_plain_http (PfdoSyncer *self,
                                                 gboolean    allow);
const GError  *pfdo_syncer_get_refusal      (PfdoSyncer  *self);
void           pfdo_syncer_set_credentials  (PfdoSyncer  *self,
                                             const char  *login,
                                             const char  *password);
gboolean       pfdo_syncer_sign_in          (PfdoSyncer  *self,
                                             const char  *login,
                                             const char  *password);
gboolean       pfdo_syncer_get_last_sign_in (PfdoSyncer  *self);
void           pfdo_syncer_set_token_keeping (PfdoSyncer      *self,
                                              PfdoTokenKeeping keeping);
const char    *pfdo_syncer_get_login        (PfdoSyncer  *self);
gboolean       pfdo_syncer_has_password     (PfdoSyncer  *self);
void           pfdo_syncer_set_interval     (PfdoSyncer  *self,
                                             guint        seconds);
void           pfdo_syncer_set_min_numbers  (PfdoSyncer  *self,
                                             guint        min_numbers);
gboolean       pfdo_syncer_sync             (PfdoSyncer  *self);
void           pfdo_syncer_cancel           (PfdoSyncer  *self);
void           pfdo_syncer_refresh          (PfdoSyncer  *self);

gboolean       pfdo_syncer_get_busy         (PfdoSyncer  *self);
gboolean       pfdo_syncer_get_online       (PfdoSyncer  *self);
PfdoSyncPhase  pfdo_syncer_get_phase        (PfdoSyncer  *self);
guint          pfdo_syncer_get_done         (PfdoSyncer  *self);
guint          pfdo_syncer_get_total        (PfdoSyncer  *self);
guint          pfdo_syncer_get_pending      (PfdoSyncer  *self);
guint          pfdo_syncer_get_rejected     (PfdoSyncer  *self);
GDateTime     *pfdo_syncer_get_last_sync    (PfdoSyncer  *self);
const PfdoSyncStats *pfdo_syncer_get_last_stats (PfdoSyncer *self);
gboolean       pfdo_syncer_get_audit_diverged (PfdoSyncer *self);

G_END_DECLS
