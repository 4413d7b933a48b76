/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-ledger.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

/*
 * A small real region for the domain tests: municipality m1 (personified,
 * quota 3, nominal 10 000 ₽) with its МОЦ o1 and school o3, municipality
 * m2 (accounting only) with МОЦ o2 and school o4; operators op-staff, op-clerk, op-admin of m1 and op-other of m2;
 * programs: pr-cert (certified, 5–17, 800 ₽ a month for 9 months) with
 * group g-cert (2 places), pr-budget with g-budget, pr-closed (enrollment
 * closed) with g-closed, pr-teen (14–17) with g-teen; this desk's number
 * block 0000000001–0000000005.
 */
typedef struct
{
  char      *dir;
  char      *path;
  PfdoStore *store;
} PfdoTestFixture;

#define PFDO_TEST_MONTHLY 80000
#define PFDO_TEST_NOMINAL 1000000

void        pfdo_test_fixture_set_up     (PfdoTestFixture *fixture,
                                          gconstpointer    data);
void        pfdo_test_fixture_tear_down  (PfdoTestFixture *fixture,
                                          gconstpointer    data);
void        pfdo_test_as                 (PfdoTestFixture *fixture,
                                          const char      *operator_id);
gint64      pfdo_test_count              (PfdoTestFixture *fixture,
                                          const char      *sql);
char       *pfdo_test_text               (PfdoTestFixture *fixture,
                                          const char      *sql,
                                          const char      *param);
char       *pfdo_test_register_child     (PfdoTestFixture *fixture,
                                          const char      *last_name,
                                          const char      *first_name,
                                          const char      *birth_date,
                                          const char      *snils,
                                          const char      *document_number);
char       *pfdo_test_child_snils        (guint            n);
char       *pfdo_test_active_certificate (PfdoTestFixture *fixture,
                                          const char      *last_name,
                                          const char      *birth_date,
                                          gboolean         personified);
char       *pfdo_test_row_counts         (PfdoTestFixture *fixture);
gboolean    pfdo_test_ledger_append      (PfdoTestFixture *fixture,
                                          const char      *entry_id,
                                          const char      *certificate_id,
                                          const char      *period,
                                          PfdoLedgerKind   kind,
                                          gint64           amount_kopecks,
                                          const char      *enrollment_id,
                                          gboolean        *out_appended,
                                          GError         **error);
PfdoBalance pfdo_test_balance            (PfdoTestFixture *fixture,
                                          const char      *certificate_id,
                                          const char      *period);
char       *pfdo_test_date_from_today    (int              years,
                                          int              days);

G_END_DECLS
