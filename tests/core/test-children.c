/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-children.h"
#include "pfdo-error.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

static PfdoChildInput
good_child (const char *snils)
{
  PfdoChildInput child = {
    .last_name = "королёва",
    .first_name = "анна",
    .middle_name = "сергеевна",
    .birth_date = "07.03.2015",
    .sex = "f",
    .snils = snils,
    .document_type = "birth_certificate",
    .document_series = "II-ДН",
    .document_number = "123456",
  };
  return child;
}

static PfdoFamilyInput
family_of (PfdoChildInput *children,
           guint           n)
{
  PfdoFamilyInput family = {
    .parent = { .last_name = "Королёва", .first_name = "Ольга", .phone = "8 (918) 123-45-67",
                .email = "olga@mail.ru" },
    .children = children,
    .n_children = n,
  };
  return family;
}

static void
test_register (Fixture       *fixture,
               gconstpointer  data)
{
  PfdoChildInput children[2] = { good_child ("112-233-445 95"), good_child (NULL) };
  PfdoFamilyInput family = family_of (children, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autofree char *name = NULL;
  g_autofree char *phone = NULL;

  children[1].first_name = "Пётр";
  children[1].sex = "m";
  children[1].middle_name = "Сергеевич";
  children[1].last_name = "Королёв";
  children[1].document_number = "654321";
  pfdo_test_as (fixture, "op-staff");

  result = pfdo_family_register (fixture->store, &family, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->child_ids->len, ==, 2);

  /* The stored spelling, one operation for the server, an audit record
   * per record made. */
  name = pfdo_test_text (fixture, "SELECT last_name || ' ' || first_name FROM child WHERE id = ?",
                         g_ptr_array_index (result->child_ids, 0));
  g_assert_cmpstr (name, ==, "Королёва Анна");
  phone = pfdo_test_text (fixture, "SELECT phone FROM parent WHERE id = ?", result->parent_id);
  g_assert_cmpstr (phone, ==, "+79181234567");
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type = "
                                             "'family.register' AND json_array_length (payload, "
                                             "'$.children') = 2"), ==, 1);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE action = "
                                             "'child.register' AND operator_id = 'op-staff'"),
                   ==, 2);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM child WHERE "
                                             "verification_status = 'unverified'"), ==, 2);
  /* Nothing personal in the audit log. */
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE "
                                             "coalesce (detail, '') LIKE '%Королёв%' OR "
                                             "coalesce (detail, '') LIKE '%112-233%'"), ==, 0);
}

static void
test_register_refusals (Fixture       *fixture,
                        gconstpointer  data)
{
  const struct
  {
    const char *what;
    const char *value;
    GQuark      domain;
    int         code;
    const char *field;
  } cases[] = {
    { "snils", "112-233-445 96", 0, PFDO_VALIDATION_ERROR_SNILS_CHECKSUM, "children[1].snils" },
    { "first_name", "Anna", 0, PFDO_VALIDATION_ERROR_NAME_LETTERS, "children[1].first_name" },
    { "birth_date", "07.03.2023", 0, PFDO_VALIDATION_ERROR_AGE, "children[1].birth_date" },
    { "birth_date", "31.02.2015", 0, PFDO_VALIDATION_ERROR_DATE, "children[1].birth_date" },
    { "document_number", "12345", 0, PFDO_VALIDATION_ERROR_DOCUMENT,
      "children[1].document_number" },
    { "phone", "12-34-56", 0, PFDO_VALIDATION_ERROR_PHONE, "parent.phone" },
    { "twin_snils", "112-233-445 95", 1, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD, "children[1].snils" },
  };
  g_autofree char *before = NULL;

  pfdo_test_as (fixture, "op-staff");
  before = pfdo_test_row_counts (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PfdoChildInput children[2] = { good_child ("112-233-445 95"), good_child (NULL) };
      PfdoFamilyInput family = family_of (children, 2);
      g_autoptr(GError) error = NULL;
      g_autoptr(PfdoFamilyResult) result = NULL;
      g_autofree char *field = NULL;
      g_autofree char *after = NULL;

      children[1].first_name = "Мария";
      if (g_str_equal (cases[i].what, "snils") || g_str_equal (cases[i].what, "twin_snils"))
        children[1].snils = cases[i].value;
      else if (g_str_equal (cases[i].what, "first_name"))
        children[1].first_name = cases[i].value;
      else if (g_str_equal (cases[i].what, "birth_date"))
        children[1].birth_date = cases[i].value;
      else if (g_str_equal (cases[i].what, "document_number"))
        children[1].document_number = cases[i].value;
      else if (g_str_equal (cases[i].what, "phone"))
        family.parent.phone = cases[i].value;

      result = pfdo_family_register (fixture->store, &family, &field, &error);
      g_assert_null (result);
      g_assert_error (error, (cases[i].domain ? PFDO_DOMAIN_ERROR : PFDO_VALIDATION_ERROR),
                      cases[i].code);
      g_assert_cmpstr (field, ==, cases[i].field);

      /* Nothing of the family was written. */
      after = pfdo_test_row_counts (fixture);
      g_assert_cmpstr (after, ==, before);
    }

  /* A family without children, and an operator without the right. */
  {
    PfdoFamilyInput family = family_of (NULL, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(PfdoFamilyResult) result = pfdo_family_register (fixture->store, &family, NULL,
                                                               &error);

    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD);
  }
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *original = pfdo_test_register_child (fixture, "Королёва", "Анна", "2015-03-07",
                                                        "112-233-445 95", "123456");
  const struct
  {
    const char *last_name, *first_name, *birth_date, *snils, *document;
    int         reason; /* -1: not a duplicate */
  } cases[] = {
    { "Смирнова", "Мария", "2014-01-01", "112-233-445 95", "999999", PFDO_MATCH_SNILS },
    { "КОРОЛЕВА", "анна", "2015-03-07", NULL, "777777", PFDO_MATCH_NAME_BIRTH_DATE },
    { "Смирнова", "Мария", "2015-03-07", NULL, "123457", PFDO_MATCH_DOCUMENT },
    { "Смирнова", "Мария", "2015-03-07", NULL, "12346", PFDO_MATCH_DOCUMENT },
    /* Namesakes are not twins: never match on the name alone. */
    { "Королёва", "Анна", "2015-03-08", NULL, "777777", -1 },
    /* One edit away, but another birth date. */
    { "Смирнова", "Мария", "2016-03-07", NULL, "123457", -1 },
    /* Same birth date, two edits away. */
    { "Смирнова", "Мария", "2015-03-07", NULL, "123478", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found =
        pfdo_children_find_duplicates (fixture->store, NULL, cases[i].snils, cases[i].last_name,
                                       cases[i].first_name, cases[i].birth_date, cases[i].document,
                                       &error);

      g_assert_no_error (error);
      if (cases[i].reason < 0)
        {
          g_assert_cmpuint (found->len, ==, 0);
          continue;
        }
      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpstr (((PfdoDuplicate *) g_ptr_array_index (found, 0))->child_id, ==, original);
      g_assert_cmpint (((PfdoDuplicate *) g_ptr_array_index (found, 0))->reason, ==,
                       cases[i].reason);
    }

  /* The child itself is not its own twin. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) found =
      pfdo_children_find_duplicates (fixture->store, original, "112-233-445 95", "Королёва",
                                     "Анна", "2015-03-07", "123456", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
  }

  /* Registration refuses a likely twin unless the operator chose to save. */
  {
    PfdoChildInput child = good_child (NULL);
    PfdoFamilyInput family = family_of (&child, 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(PfdoFamilyResult) refused = NULL;
    g_autoptr(PfdoFamilyResult) saved = NULL;
    g_autofree char *before = pfdo_test_row_counts (fixture);
    g_autofree char *after = NULL;

    child.document_number = "555555";
    refused = pfdo_family_register (fixture->store, &family, NULL, &error);
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD);
    g_assert_null (refused);
    after = pfdo_test_row_counts (fixture);
    g_assert_cmpstr (after, ==, before);
    g_clear_error (&error);

    family.allow_duplicates = TRUE;
    saved = pfdo_family_register (fixture->store, &family, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (saved);
  }
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *child = pfdo_test_register_child (fixture, "Иванова", "Анна", "2015-03-07",
                                                     "112-233-445 95", "123456");
  g_autofree char *twin = pfdo_test_register_child (fixture, "Иванова", "Анна", "2015-03-07",
                                                    NULL, "123457");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;

  before = pfdo_test_row_counts (fixture);

  /* School staff register; only the МОЦ confirms. */
  pfdo_test_as (fixture, "op-staff");
  g_assert_false (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Another municipality's clerk cannot touch this child. */
  pfdo_test_as (fixture, "op-other");
  g_assert_false (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  pfdo_test_as (fixture, "op-clerk");
  g_assert_false (pfdo_child_verify (fixture->store, child,
                                     PFDO_DOCUMENT_CHILD_IDENTITY | PFDO_DOCUMENT_SNILS, TRUE,
                                     &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DOCUMENTS_MISSING);
  g_clear_error (&error);

  /* The likely twin must be seen before confirming. */
  g_assert_false (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, FALSE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD);
  g_clear_error (&error);

  g_assert_false (pfdo_child_verify (fixture->store, "no-such-child", PFDO_DOCUMENTS_ALL, TRUE,
                                     &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  g_assert_true (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_no_error (error);
  status = pfdo_test_text (fixture, "SELECT verification_status || ' ' || "
                                    "verification_office_id FROM child WHERE id = ?", child);
  g_assert_cmpstr (status, ==, "verified o1");
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type = "
                                             "'child.verify' AND json_extract (payload, "
                                             "'$.decision') = 'verified'"), ==, 1);

  /* A verified child stays verified. */
  g_assert_false (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED);
  g_clear_error (&error);
  g_assert_false (pfdo_child_reject (fixture->store, child, "Опечатка", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED);
  g_clear_error (&error);

  /* The twin: a rejection needs a reason. */
  g_assert_false (pfdo_child_reject (fixture->store, twin, "  ", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_true (pfdo_child_reject (fixture->store, twin, "Повторная заявка", &error));
  g_assert_no_error (error);
  g_assert_false (pfdo_child_verify (fixture->store, twin, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);
}

static void
test_correct (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *child = pfdo_test_register_child (fixture, "Петрова", "Анна", "2015-03-07",
                                                     NULL, "123456");
  PfdoChildInput fixed = good_child ("112-233-445 95");
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *status = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_child_reject (fixture->store, child, "СНИЛС не указан", &error));
  g_assert_no_error (error);

  /* A correction is checked like a registration, at the field. */
  before = pfdo_test_row_counts (fixture);
  fixed.snils = "112-233-445 96";
  g_assert_false (pfdo_child_correct (fixture->store, child, &fixed, &field, &error));
  g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_SNILS_CHECKSUM);
  g_assert_cmpstr (field, ==, "snils");
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  fixed.snils = "112-233-445 95";
  g_assert_true (pfdo_child_correct (fixture->store, child, &fixed, NULL, &error));
  g_assert_no_error (error);
  status = pfdo_test_text (fixture, "SELECT verification_status || ' ' || snils || ' ' || "
                                    "last_name FROM child WHERE id = ?", child);
  g_assert_cmpstr (status, ==, "unverified 112-233-445 95 Королёва");
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type = "
                                             "'child.correct'"), ==, 1);

  /* Once verified, the data is not corrected here. */
  g_assert_true (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (pfdo_child_correct (fixture->store, child, &fixed, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/children/register", test_register);
  TEST ("/children/register-refusals", test_register_refusals);
  TEST ("/children/duplicates", test_duplicates);
  TEST ("/children/verify", test_verify);
  TEST ("/children/correct", test_correct);

  return g_test_run ();
}
