/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's figures after known changes made through the core. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pfdo-certificates.h"
#include "pfdo-children.h"
#include "pfdo-enrollments.h"
#include "pfdo-stats.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

static PfdoStats
load (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;
  PfdoStats stats;

  g_assert_true (pfdo_stats_load (store, &stats, &error));
  g_assert_no_error (error);
  return stats;
}

static void
test_empty (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.sqlite", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  PfdoStore *store = pfdo_store_open (path, &error);
  PfdoStats stats;
  PfdoStats zero = { 0 };

  g_assert_no_error (error);
  /* Every figure of an empty store is zero; each field is compared. */
  memset (&stats, 0xff, sizeof stats);
  g_assert_true (pfdo_stats_load (store, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (&stats, sizeof stats, &zero, sizeof zero);

  g_object_unref (store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static void
test_counts (Fixture       *fixture,
             gconstpointer  data)
{
  PfdoChildInput children[3] = {
    { .last_name = "Королёва", .first_name = "Анна", .birth_date = "2015-03-07", .sex = "f",
      .snils = "112-233-445 95", .document_type = "birth_certificate",
      .document_series = "II-ДН", .document_number = "123456" },
    { .last_name = "Королёв", .first_name = "Пётр", .birth_date = "2013-04-08", .sex = "m",
      .document_type = "birth_certificate", .document_series = "II-ДН",
      .document_number = "223344" },
    { .last_name = "Королёва", .first_name = "Вера", .birth_date = "2012-05-09", .sex = "f",
      .document_type = "birth_certificate", .document_series = "II-ДН",
      .document_number = "334455" },
  };
  PfdoFamilyInput family = {
    .parent = { .last_name = "Королёва", .first_name = "Ольга", .phone = "+79181234567" },
    .children = children,
    .n_children = G_N_ELEMENTS (children),
    .issue_certificates = TRUE,
  };
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autofree char *anna_certificate = NULL;
  g_autofree char *petr_certificate = NULL;
  g_autofree char *vera_certificate = NULL;
  g_autoptr(GError) error = NULL;
  PfdoStats before, stats;
  const char *anna, *petr, *vera;

  before = load (fixture->store);
  g_assert_cmpint (before.municipalities, ==, 2);
  g_assert_cmpint (before.offices, ==, 4);
  g_assert_cmpint (before.providers, ==, 1);
  g_assert_cmpint (before.programs, ==, 4);
  g_assert_cmpint (before.groups, ==, 4);
  g_assert_cmpint (before.reviews, ==, 0);
  g_assert_cmpint (before.operators, ==, 4);
  g_assert_cmpint (before.number_blocks, ==, 1);
  g_assert_cmpint (before.parents, ==, 0);
  g_assert_cmpint (before.children, ==, 0);
  g_assert_cmpint (before.certificates, ==, 0);
  /* The fixture's lease of its number block. */
  g_assert_cmpint (before.audit_records, ==, 1);
  g_assert_cmpint (before.outbox_pending, ==, 0);

  /* One family, three children, three certificates issued with it. */
  pfdo_test_as (fixture, "op-clerk");
  result = pfdo_family_register (fixture->store, &family, NULL, &error);
  g_assert_no_error (error);
  anna = g_ptr_array_index (result->child_ids, 0);
  petr = g_ptr_array_index (result->child_ids, 1);
  vera = g_ptr_array_index (result->child_ids, 2);
  anna_certificate = pfdo_test_text (fixture, "SELECT id FROM certificate WHERE child_id = ?", anna);
  petr_certificate = pfdo_test_text (fixture, "SELECT id FROM certificate WHERE child_id = ?", petr);
  vera_certificate = pfdo_test_text (fixture, "SELECT id FROM certificate WHERE child_id = ?", vera);

  stats = load (fixture->store);
  g_assert_cmpint (stats.parents, ==, 1);
  g_assert_cmpint (stats.children, ==, 3);
  g_assert_cmpint (stats.children_unverified, ==, 3);
  g_assert_cmpint (stats.children_verified, ==, 0);
  g_assert_cmpint (stats.children_rejected, ==, 0);
  g_assert_cmpint (stats.certificates, ==, 3);
  g_assert_cmpint (stats.certificates_issued, ==, 3);
  /* family.register and three certificate.issue; an audit record for
   * the family, each child and each certificate. */
  g_assert_cmpint (stats.outbox_pending, ==, 4);
  g_assert_cmpint (stats.audit_records, ==, 1 + 7);

  /* Anna verified, personified and paid; Pyotr verified and activated,
   * then frozen; Vera rejected and her certificate closed. */
  g_assert_true (pfdo_child_verify (fixture->store, anna, PFDO_DOCUMENTS_ALL, FALSE, &error));
  g_assert_true (pfdo_child_verify (fixture->store, petr, PFDO_DOCUMENTS_ALL, FALSE, &error));
  g_assert_true (pfdo_child_reject (fixture->store, vera, "Нет свидетельства", &error));
  g_assert_true (pfdo_certificate_activate (fixture->store, anna_certificate, &error));
  g_assert_true (pfdo_certificate_convert (fixture->store, anna_certificate, "personified",
                                           &error));
  g_assert_true (pfdo_certificate_activate (fixture->store, petr_certificate, &error));
  g_assert_true (pfdo_certificate_freeze (fixture->store, petr_certificate, "Болезнь", &error));
  g_assert_true (pfdo_certificate_close (fixture->store, vera_certificate, "Переезд", &error));
  g_assert_no_error (error);

  g_assert_true (pfdo_test_ledger_append (fixture, "grant", anna_certificate, "2026/27",
                                          PFDO_LEDGER_GRANT, PFDO_TEST_NOMINAL, NULL, NULL,
                                          &error));
  g_assert_true (pfdo_enrollment_create (fixture->store, anna_certificate, "g-cert", 9, NULL,
                                         &error));
  g_assert_true (pfdo_test_ledger_append (fixture, "charge", anna_certificate, "2026/27",
                                          PFDO_LEDGER_CHARGE, 30000, NULL, NULL, &error));
  g_assert_true (pfdo_test_ledger_append (fixture, "refund", anna_certificate, "2026/27",
                                          PFDO_LEDGER_REFUND, 10000, NULL, NULL, &error));
  g_assert_true (pfdo_test_ledger_append (fixture, "grant-last", anna_certificate, "2025/26",
                                          PFDO_LEDGER_GRANT, 5000, NULL, NULL, &error));
  g_assert_true (pfdo_test_ledger_append (fixture, "expire-last", anna_certificate, "2025/26",
                                          PFDO_LEDGER_EXPIRE, 5000, NULL, NULL, &error));
  g_assert_no_error (error);

  stats = load (fixture->store);
  g_assert_cmpint (stats.children, ==, 3);
  g_assert_cmpint (stats.children_unverified, ==, 0);
  g_assert_cmpint (stats.children_verified, ==, 2);
  g_assert_cmpint (stats.children_rejected, ==, 1);
  g_assert_cmpint (stats.certificates, ==, 3);
  g_assert_cmpint (stats.certificates_issued, ==, 0);
  g_assert_cmpint (stats.certificates_accounting, ==, 0);
  g_assert_cmpint (stats.certificates_personified, ==, 1);
  g_assert_cmpint (stats.certificates_frozen, ==, 1);
  g_assert_cmpint (stats.certificates_closed, ==, 1);
  g_assert_cmpint (stats.enrollments, ==, 1);
  g_assert_cmpint (stats.ledger_entries, ==, 6);
  g_assert_cmpint (stats.granted_kopecks, ==, PFDO_TEST_NOMINAL + 5000);
  g_assert_cmpint (stats.reserved_kopecks, ==, 9 * PFDO_TEST_MONTHLY);
  g_assert_cmpint (stats.released_kopecks, ==, 0);
  g_assert_cmpint (stats.charged_kopecks, ==, 30000);
  g_assert_cmpint (stats.refunded_kopecks, ==, 10000);
  g_assert_cmpint (stats.expired_kopecks, ==, 5000);
  g_assert_cmpint (stats.available_kopecks, ==,
                   PFDO_TEST_NOMINAL - 9 * PFDO_TEST_MONTHLY - 30000 + 10000);
  /* 4 + 3 decisions + 5 status changes + 1 enrollment. */
  g_assert_cmpint (stats.outbox_pending, ==, 13);
  g_assert_cmpint (stats.outbox_rejected, ==, 0);
  g_assert_cmpint (stats.audit_records, ==, 1 + 7 + 3 + 5 + 1);
  /* The registry's own figures did not move. */
  g_assert_cmpint (stats.municipalities, ==, before.municipalities);
  g_assert_cmpint (stats.programs, ==, before.programs);
  g_assert_cmpint (stats.operators, ==, before.operators);

  /* The server answers: one applied, one rejected. */
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "UPDATE outbox SET state = 'applied' WHERE seq = 1; "
                                  "UPDATE outbox SET state = 'rejected', code = 'invalid_state' "
                                  "WHERE seq = 2",
                                  &error));
  g_assert_no_error (error);
  stats = load (fixture->store);
  g_assert_cmpint (stats.outbox_pending, ==, 11);
  g_assert_cmpint (stats.outbox_rejected, ==, 1);

  /* The figures agree with a direct count. */
  g_assert_cmpint (stats.certificates, ==,
                   pfdo_test_count (fixture, "SELECT count(*) FROM certificate"));
  g_assert_cmpint (stats.audit_records, ==,
                   pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"));
  g_assert_cmpint (stats.ledger_entries, ==,
                   pfdo_test_count (fixture, "SELECT count(*) FROM ledger_entry"));

  /* Stats read, they do not write. */
  {
    g_autofree char *counts = pfdo_test_row_counts (fixture);
    g_autofree char *again = NULL;

    load (fixture->store);
    again = pfdo_test_row_counts (fixture);
    g_assert_cmpstr (again, ==, counts);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats/empty", test_empty);
  TEST ("/stats/counts", test_counts);

  return g_test_run ();
}
