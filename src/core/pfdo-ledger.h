/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

typedef enum
{
  PFDO_LEDGER_GRANT,
  PFDO_LEDGER_RESERVE,
  PFDO_LEDGER_RELEASE,
  PFDO_LEDGER_CHARGE,
  PFDO_LEDGER_REFUND,
  PFDO_LEDGER_EXPIRE,
} PfdoLedgerKind;

/* One certificate's money in one period, in kopecks. */
typedef struct
{
  gint64 granted;
  gint64 reserved;
  gint64 released;
  gint64 charged;
  gint64 refunded;
  gint64 expired;
  /* grants − charges + refunds − expired − (reserves − releases) */
  gint64 available;
} PfdoBalance;

const char *pfdo_ledger_kind_to_string   (PfdoLedgerKind  kind);
gboolean    pfdo_ledger_kind_from_string (const char     *name,
                                          PfdoLedgerKind *out_kind);

gboolean    pfdo_ledger_balance          (PfdoStore      *store,
                                          const char     *certificate_id,
                                          const char     *period,
                                          PfdoBalance    *out_balance,
                                          GError        **error);
gint64      pfdo_ledger_reserved_for     (PfdoStore      *store,
                                          const char     *enrollment_id,
                                          GError        **error);
gboolean    pfdo_ledger_append           (PfdoStore      *store,
                                          const char     *entry_id,
                                          const char     *certificate_id,
                                          const char     *period,
                                          PfdoLedgerKind  kind,
                                          gint64          amount_kopecks,
                                          const char     *enrollment_id,
                                          gboolean       *out_appended,
                                          GError        **error);
gboolean    pfdo_ledger_charge_reserved  (PfdoStore      *store,
                                          const char     *enrollment_id,
                                          const char     *month,
                                          gint64          amount_kopecks,
                                          GError        **error);
char       *pfdo_ledger_derived_id       (const char     *enrollment_id,
                                          const char     *what);

G_END_DECLS
