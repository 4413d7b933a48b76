/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* The store's figures: counts of each entity and the ledger totals. */
typedef struct
{
  gint64 municipalities;
  gint64 offices;
  gint64 providers;
  gint64 programs;
  gint64 groups;
  gint64 reviews;
  gint64 parents;
  gint64 children;
  gint64 children_unverified;
  gint64 children_verified;
  gint64 children_rejected;
  gint64 certificates;
  gint64 certificates_issued;
  gint64 certificates_accounting;
  gint64 certificates_personified;
  gint64 certificates_frozen;
  gint64 certificates_closed;
  gint64 enrollments;
  gint64 ledger_entries;
  gint64 number_blocks;
  gint64 operators;
  gint64 audit_records;
  gint64 outbox_pending;
  gint64 outbox_rejected;
  /* Ledger totals, in kopecks. */
  gint64 granted_kopecks;
  gint64 reserved_kopecks;
  gint64 released_kopecks;
  gint64 charged_kopecks;
  gint64 refunded_kopecks;
  gint64 expired_kopecks;
  gint64 available_kopecks;
} PfdoStats;

gboolean  pfdo_stats_load  (PfdoStore  *store,
                            PfdoStats  *stats,
                            GError    **error);

G_END_DECLS
