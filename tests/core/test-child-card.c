/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-certificates.h"
#include "pfdo-child-card.h"
#include "pfdo-children.h"
#include "pfdo-error.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

/* The card holds the child, the parent, the decision and the certificate. */
static void
test_card (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *anna = pfdo_test_register_child (fixture, "Королёва", "Анна", "2015-03-07",
                                                    NULL, "123456");
  g_autofree char *number = NULL;
  g_autoptr(PfdoChildCard) card = NULL;
  g_autoptr(GError) error = NULL;

  card = pfdo_child_card_load (fixture->store, anna, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (card->id, ==, anna);
  g_assert_cmpstr (card->last_name, ==, "Королёва");
  g_assert_cmpstr (card->first_name, ==, "Анна");
  g_assert_cmpstr (card->birth_date, ==, "2015-03-07");
  g_assert_cmpstr (card->document_number, ==, "123456");
  g_assert_cmpstr (card->municipality_name, ==, "Тестовый округ");
  g_assert_cmpstr (card->verification_status, ==, "unverified");
  g_assert_null (card->verification_operator_name);
  g_assert_nonnull (card->parent_last_name);
  g_assert_nonnull (card->parent_phone);
  g_assert_null (card->certificate_id);
  g_clear_pointer (&card, pfdo_child_card_free);

  /* Confirmed by the clerk, with a certificate: the card says both. */
  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_child_verify (fixture->store, anna, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_certificate_issue (fixture->store, anna, NULL, &number, &error));
  g_assert_no_error (error);
  card = pfdo_child_card_load (fixture->store, anna, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (card->verification_status, ==, "verified");
  g_assert_cmpstr (card->verification_operator_name, ==, "Специалист");
  g_assert_nonnull (card->verification_decided_at);
  g_assert_cmpstr (card->certificate_number, ==, number);
  g_assert_cmpstr (card->certificate_status, ==, "issued");
  g_clear_pointer (&card, pfdo_child_card_free);

  /* Another municipality's clerk does not see it; nobody sees a child
   * that is not there. */
  pfdo_test_as (fixture, "op-other");
  card = pfdo_child_card_load (fixture->store, anna, &error);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_assert_null (card);
  g_clear_error (&error);
  card = pfdo_child_card_load (fixture->store, "no-such-child", &error);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (card);
}

static const char *
match_id (GPtrArray *found,
          guint      i)
{
  return ((PfdoChildMatch *) g_ptr_array_index (found, i))->child_id;
}

/* The queue: the municipality's unverified children, oldest first. */
static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *first = pfdo_test_register_child (fixture, "Антонова", "Юлия", "2014-01-01",
                                                     NULL, "100001");
  g_autofree char *second = pfdo_test_register_child (fixture, "Борисов", "Илья", "2013-02-02",
                                                      NULL, "100002");
  g_autofree char *third = pfdo_test_register_child (fixture, "Волкова", "Ева", "2012-03-03",
                                                     NULL, "100003");
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = -1;

  /* Registration order as the clock saw it, whatever the ids are. */
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "UPDATE child SET created_at = CASE last_name "
                                  "WHEN 'Волкова' THEN '2026-01-01T00:00:00Z' "
                                  "WHEN 'Антонова' THEN '2026-02-01T00:00:00Z' "
                                  "ELSE '2026-03-01T00:00:00Z' END", &error));
  queue = pfdo_children_queue (fixture->store, "m1", 2, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 3);
  g_assert_cmpuint (queue->len, ==, 2);
  g_assert_cmpstr (match_id (queue, 0), ==, third);
  g_assert_cmpstr (match_id (queue, 1), ==, first);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* Decided children leave the queue; another municipality's is empty. */
  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_child_verify (fixture->store, third, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_child_reject (fixture->store, first, "Не тот документ", &error));
  g_assert_no_error (error);
  queue = pfdo_children_queue (fixture->store, "m1", 10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 1);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpstr (match_id (queue, 0), ==, second);
  g_clear_pointer (&queue, g_ptr_array_unref);

  queue = pfdo_children_queue (fixture->store, "m2", 10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 0);
  g_assert_cmpuint (queue->len, ==, 0);
  g_clear_pointer (&queue, g_ptr_array_unref);

  queue = pfdo_children_queue (fixture->store, NULL, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/child-card/card", test_card);
  TEST ("/child-card/queue", test_queue);

  return g_test_run ();
}
