/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-certificates.h"
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
    { "birth_date", "too-young", 0, PFDO_VALIDATION_ERROR_AGE, "children[1].birth_date" },
    { "birth_date", "31.02.2015", 0, PFDO_VALIDATION_ERROR_DATE, "children[1].birth_date" },
    { "document_number", "12345", 0, PFDO_VALIDATION_ERROR_DOCUMENT,
      "children[1].document_number" },
    { "phone", "12-34-56", 0, PFDO_VALIDATION_ERROR_PHONE, "parent.phone" },
    { "twin_snils", "112-233-445 95", 1, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD, "children[1].snils" },
  };
  g_autofree char *before = NULL;
  /* Four years old today: a year short of the youngest age. */
  g_autofree char *too_young = pfdo_test_date_from_today (-4, 0);

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
        children[1].birth_date = g_str_equal (cases[i].value, "too-young") ? too_young
                                                                           : cases[i].value;
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

/* Where the input is wrong: each field alone, with its exact code and the
 * name the form shows it under; nothing is written for any of them. */
static void
test_register_each_field (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *age_4 = pfdo_test_date_from_today (-5, 1);
  g_autofree char *age_5 = pfdo_test_date_from_today (-5, 0);
  g_autofree char *age_17 = pfdo_test_date_from_today (-18, 1);
  g_autofree char *age_18 = pfdo_test_date_from_today (-18, 0);
  g_autofree char *unborn = pfdo_test_date_from_today (1, 0);
  g_autofree char *long_name = NULL;
  g_autofree char *too_long_name = NULL;
  g_autofree char *before = NULL;
  enum { CHILD, PARENT };
  struct
  {
    int         who;
    const char *field;
    const char *value;
    int         code;           /* -1: accepted */
  } cases[] = {
    { CHILD, "last_name", "", PFDO_VALIDATION_ERROR_EMPTY },
    { CHILD, "last_name", NULL, PFDO_VALIDATION_ERROR_EMPTY },
    { CHILD, "last_name", "   ", PFDO_VALIDATION_ERROR_EMPTY },
    { CHILD, "last_name", "Ivanova", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { CHILD, "last_name", NULL /* too long */, PFDO_VALIDATION_ERROR_NAME_TOO_LONG },
    { CHILD, "first_name", "Анна1", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { CHILD, "first_name", "", PFDO_VALIDATION_ERROR_EMPTY },
    { CHILD, "middle_name", "Sergeevna", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { CHILD, "birth_date", "", PFDO_VALIDATION_ERROR_EMPTY },
    { CHILD, "birth_date", "2015-13-01", PFDO_VALIDATION_ERROR_DATE },
    { CHILD, "birth_date", "29.02.2015", PFDO_VALIDATION_ERROR_DATE },
    { CHILD, "birth_date", "вчера", PFDO_VALIDATION_ERROR_DATE },
    { CHILD, "birth_date", NULL /* 4 */, PFDO_VALIDATION_ERROR_AGE },
    { CHILD, "birth_date", NULL /* 18 */, PFDO_VALIDATION_ERROR_AGE },
    { CHILD, "birth_date", NULL /* unborn */, PFDO_VALIDATION_ERROR_AGE },
    { CHILD, "sex", "x", PFDO_VALIDATION_ERROR_INVALID },
    { CHILD, "sex", NULL, PFDO_VALIDATION_ERROR_INVALID },
    { CHILD, "snils", "123", PFDO_VALIDATION_ERROR_SNILS_FORMAT },
    { CHILD, "snils", "112-233-445 96", PFDO_VALIDATION_ERROR_SNILS_CHECKSUM },
    { CHILD, "document_type", "driver_licence", PFDO_VALIDATION_ERROR_DOCUMENT },
    { CHILD, "document_number", "12345", PFDO_VALIDATION_ERROR_DOCUMENT },
    { CHILD, "document_number", "", PFDO_VALIDATION_ERROR_DOCUMENT },
    { PARENT, "last_name", "", PFDO_VALIDATION_ERROR_EMPTY },
    { PARENT, "first_name", "Olga", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { PARENT, "middle_name", "123", PFDO_VALIDATION_ERROR_NAME_LETTERS },
    { PARENT, "phone", "", PFDO_VALIDATION_ERROR_EMPTY },
    { PARENT, "phone", "12-34-56", PFDO_VALIDATION_ERROR_PHONE },
    { PARENT, "email", "olga@", PFDO_VALIDATION_ERROR_EMAIL },
    { PARENT, "email", "olga mail.ru", PFDO_VALIDATION_ERROR_EMAIL },
    /* The edges that are allowed. */
    { CHILD, "birth_date", NULL /* 5 */, -1 },
    { CHILD, "birth_date", NULL /* 17 */, -1 },
    { CHILD, "middle_name", NULL, -1 },
    { CHILD, "snils", "", -1 },
    { CHILD, "last_name", NULL /* 60 letters */, -1 },
    { PARENT, "email", NULL, -1 },
  };
  guint accepted = 0;

  {
    GString *name = g_string_new (NULL);

    for (guint i = 0; i < 60; i++)
      g_string_append (name, i == 0 ? "Ж" : "ж");
    long_name = g_strdup (name->str);
    g_string_append (name, "ж");
    too_long_name = g_string_free (name, FALSE);
  }
  cases[4].value = too_long_name;
  cases[12].value = age_4;
  cases[13].value = age_18;
  cases[14].value = unborn;
  cases[29].value = age_5;
  cases[30].value = age_17;
  cases[33].value = long_name;

  pfdo_test_as (fixture, "op-staff");
  before = pfdo_test_row_counts (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *snils = pfdo_test_child_snils (i);
      g_autofree char *document = g_strdup_printf ("%06u", 300000 + i * 11);
      PfdoChildInput child = good_child (snils);
      PfdoFamilyInput family = family_of (&child, 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(PfdoFamilyResult) result = NULL;
      g_autofree char *field = NULL;
      g_autofree char *expected_field = NULL;
      g_autofree char *after = NULL;
      const char **slot = NULL;

      /* Field checks come first; twins are another test. */
      child.first_name = "Анна";
      child.birth_date = "2014-01-01";
      child.document_number = document;
      family.parent.email = "olga@mail.ru";
      family.allow_duplicates = TRUE;
      if (cases[i].who == CHILD)
        {
          if (g_str_equal (cases[i].field, "last_name")) slot = &child.last_name;
          else if (g_str_equal (cases[i].field, "first_name")) slot = &child.first_name;
          else if (g_str_equal (cases[i].field, "middle_name")) slot = &child.middle_name;
          else if (g_str_equal (cases[i].field, "birth_date")) slot = &child.birth_date;
          else if (g_str_equal (cases[i].field, "sex")) slot = &child.sex;
          else if (g_str_equal (cases[i].field, "snils")) slot = &child.snils;
          else if (g_str_equal (cases[i].field, "document_type")) slot = &child.document_type;
          else if (g_str_equal (cases[i].field, "document_number")) slot = &child.document_number;
        }
      else
        {
          if (g_str_equal (cases[i].field, "last_name")) slot = &family.parent.last_name;
          else if (g_str_equal (cases[i].field, "first_name")) slot = &family.parent.first_name;
          else if (g_str_equal (cases[i].field, "middle_name")) slot = &family.parent.middle_name;
          else if (g_str_equal (cases[i].field, "phone")) slot = &family.parent.phone;
          else if (g_str_equal (cases[i].field, "email")) slot = &family.parent.email;
        }
      g_assert_nonnull (slot);
      *slot = cases[i].value;

      g_test_message ("case %u: %s", i, cases[i].field);
      result = pfdo_family_register (fixture->store, &family, &field, &error);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (result);
          g_assert_null (field);
          accepted++;
          g_clear_pointer (&before, g_free);
          before = pfdo_test_row_counts (fixture);
          continue;
        }

      g_assert_null (result);
      g_assert_error (error, PFDO_VALIDATION_ERROR, cases[i].code);
      /* A document is one field on the form: its number. */
      expected_field = g_strconcat (cases[i].who == CHILD ? "children[0]." : "parent.",
                                    g_str_equal (cases[i].field, "document_type")
                                      ? "document_number" : cases[i].field,
                                    NULL);
      g_assert_cmpstr (field, ==, expected_field);
      after = pfdo_test_row_counts (fixture);
      g_assert_cmpstr (after, ==, before);
    }
  g_assert_cmpuint (accepted, ==, 6);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM child"), ==, 6);
}

/* A child already in the store comes back in another family's form. */
static void
test_register_store_twins (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *original = pfdo_test_register_child (fixture, "Королёва", "Анна", "2015-03-07",
                                                        "112-233-445 95", "123456");
  g_autofree char *before = NULL;
  const struct
  {
    const char *last_name, *first_name, *birth_date, *snils, *document;
    const char *field;   /* NULL: not a twin, saved */
  } cases[] = {
    /* The same SNILS, whatever else differs. */
    { "Смирнова", "Мария", "01.01.2014", "11223344595", "999999", "children[0].snils" },
    /* Surname, name and birth date in another case and with е for ё. */
    { "КОРОЛЕВА", "анна", "07.03.2015", NULL, "777777", "children[0].last_name" },
    { "королева", "АННА", "2015-03-07", NULL, "777777", "children[0].last_name" },
    /* The same birth date and a document number one edit away. */
    { "Смирнова", "Мария", "07.03.2015", NULL, "123457", "children[0].document_number" },
    { "Смирнова", "Ольга", "07.03.2015", NULL, "12 34 56", "children[0].document_number" },
    /* Namesakes born on another day are other children. */
    { "Королёва", "Анна", "08.03.2015", NULL, "777778", NULL },
    { "Королёва", "Анна", "07.03.2016", NULL, "123456", NULL },
    /* Same birth date, but the name differs and the document two edits. */
    { "Королёва", "Мария", "07.03.2015", NULL, "124466", NULL },
  };

  pfdo_test_as (fixture, "op-staff");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PfdoChildInput child = good_child (cases[i].snils);
      PfdoFamilyInput family = family_of (&child, 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(PfdoFamilyResult) result = NULL;
      g_autofree char *field = NULL;
      g_autofree char *after = NULL;

      child.last_name = cases[i].last_name;
      child.first_name = cases[i].first_name;
      child.middle_name = NULL;
      child.birth_date = cases[i].birth_date;
      child.document_number = cases[i].document;
      g_test_message ("case %u", i);
      g_clear_pointer (&before, g_free);
      before = pfdo_test_row_counts (fixture);

      result = pfdo_family_register (fixture->store, &family, &field, &error);
      after = pfdo_test_row_counts (fixture);
      if (cases[i].field == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (result);
          g_assert_cmpstr (after, !=, before);
          continue;
        }
      g_assert_null (result);
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD);
      g_assert_cmpstr (field, ==, cases[i].field);
      g_assert_cmpstr (after, ==, before);

      /* Saved on purpose once the operator has seen the twin. */
      g_clear_error (&error);
      g_clear_pointer (&field, g_free);
      family.allow_duplicates = TRUE;
      result = pfdo_family_register (fixture->store, &family, &field, &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_assert_null (field);
    }
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM child"), ==,
                   1 + G_N_ELEMENTS (cases));

  /* Two children of one form with one SNILS: a typing slip, nothing saved. */
  {
    g_autofree char *snils = pfdo_test_child_snils (77);
    PfdoChildInput children[3] = { good_child (NULL), good_child (snils), good_child (snils) };
    PfdoFamilyInput family = family_of (children, 3);
    g_autoptr(GError) error = NULL;
    g_autoptr(PfdoFamilyResult) result = NULL;
    g_autofree char *field = NULL;
    g_autofree char *after = NULL;

    children[0].first_name = "Ирина";
    children[0].document_number = "400001";
    children[1].first_name = "Юлия";
    children[1].document_number = "500001";
    children[2].first_name = "Яна";
    children[2].document_number = "600001";
    family.allow_duplicates = TRUE;
    g_clear_pointer (&before, g_free);
    before = pfdo_test_row_counts (fixture);
    result = pfdo_family_register (fixture->store, &family, &field, &error);
    g_assert_null (result);
    g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD);
    g_assert_cmpstr (field, ==, "children[2].snils");
    after = pfdo_test_row_counts (fixture);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_find_duplicates_reasons (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *a = pfdo_test_register_child (fixture, "Ёлкина", "Алёна", "2014-04-04",
                                                 "112-233-445 95", "654321");
  g_autofree char *b = pfdo_test_register_child (fixture, "Сомова", "Ирина", "2014-04-04", NULL,
                                                 "654322");
  g_autofree char *c = pfdo_test_register_child (fixture, "Елкина", "Алена", "2014-04-04", NULL,
                                                 "111111");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GHashTable *reasons = g_hash_table_new (g_str_hash, g_str_equal);

  /* Each child once, with the strongest reason that matched it. */
  found = pfdo_children_find_duplicates (fixture->store, NULL, "112-233-445 95", "елкина",
                                         "АЛЕНА", "2014-04-04", "65-43-21", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 3);
  for (guint i = 0; i < found->len; i++)
    {
      PfdoDuplicate *d = g_ptr_array_index (found, i);

      g_assert_false (g_hash_table_contains (reasons, d->child_id));
      g_hash_table_insert (reasons, d->child_id, GINT_TO_POINTER (d->reason));
    }
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (reasons, a)), ==, PFDO_MATCH_SNILS);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (reasons, b)), ==, PFDO_MATCH_DOCUMENT);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (reasons, c)), ==,
                   PFDO_MATCH_NAME_BIRTH_DATE);
  g_hash_table_unref (reasons);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Every reason has words for the operator. */
  g_assert_nonnull (pfdo_match_reason_describe (PFDO_MATCH_SNILS));
  g_assert_nonnull (pfdo_match_reason_describe (PFDO_MATCH_NAME_BIRTH_DATE));
  g_assert_nonnull (pfdo_match_reason_describe (PFDO_MATCH_DOCUMENT));

  /* Nothing to compare: nothing found. A name alone is never enough. */
  found = pfdo_children_find_duplicates (fixture->store, NULL, NULL, NULL, NULL, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = pfdo_children_find_duplicates (fixture->store, NULL, "", "Ёлкина", "Алёна", NULL, "",
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  /* A birth date alone, or with a document far away, is not enough. */
  found = pfdo_children_find_duplicates (fixture->store, NULL, NULL, NULL, NULL, "2014-04-04",
                                         "999999", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_decisions_write_once (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *child = pfdo_test_register_child (fixture, "Иванова", "Анна", "2015-03-07",
                                                     "112-233-445 95", "123456");
  g_autofree char *other = pfdo_test_register_child (fixture, "Петрова", "Вера", "2013-01-01",
                                                     NULL, "223344");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *row = NULL;
  g_autoptr(GError) error = NULL;
  const PfdoDocuments partial[] = {
    0,
    PFDO_DOCUMENT_CHILD_IDENTITY,
    PFDO_DOCUMENT_CHILD_IDENTITY | PFDO_DOCUMENT_SNILS,
    PFDO_DOCUMENT_CHILD_IDENTITY | PFDO_DOCUMENT_PARENT_IDENTITY,
    PFDO_DOCUMENT_SNILS | PFDO_DOCUMENT_PARENT_IDENTITY,
  };
  gint64 outbox, audit;

  before = pfdo_test_row_counts (fixture);

  /* Nobody signed in. */
  g_assert_true (pfdo_store_set_operator (fixture->store, NULL, NULL));
  g_assert_false (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
  g_clear_error (&error);
  g_assert_false (pfdo_child_reject (fixture->store, child, "Причина", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
  g_clear_error (&error);

  /* School staff cannot decide. */
  pfdo_test_as (fixture, "op-staff");
  g_assert_false (pfdo_child_reject (fixture->store, child, "Причина", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* All three documents, or no confirmation. */
  pfdo_test_as (fixture, "op-clerk");
  for (guint i = 0; i < G_N_ELEMENTS (partial); i++)
    {
      g_assert_false (pfdo_child_verify (fixture->store, child, partial[i], TRUE, &error));
      g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DOCUMENTS_MISSING);
      g_clear_error (&error);
    }

  /* A rejection needs a reason: none, empty or blank. */
  g_assert_false (pfdo_child_reject (fixture->store, child, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pfdo_child_reject (fixture->store, child, "", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pfdo_child_reject (fixture->store, child, " \t\n", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (pfdo_child_reject (fixture->store, "no-such-child", "Причина", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  row = pfdo_test_text (fixture, "SELECT group_concat (verification_status) FROM child", NULL);
  g_assert_cmpstr (row, ==, "unverified,unverified");
  g_clear_pointer (&row, g_free);

  /* A confirmation: one operation for the server, one audit record. */
  outbox = pfdo_test_count (fixture, "SELECT count(*) FROM outbox");
  audit = pfdo_test_count (fixture, "SELECT count(*) FROM audit_log");
  g_assert_true (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox"), ==, outbox + 1);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log"), ==, audit + 1);
  row = pfdo_test_text (fixture,
                        "SELECT o.type || ' ' || o.entity_id || ' ' || o.operator_id || ' ' || "
                        "json_extract (o.payload, '$.decision') || ' ' || "
                        "json_array_length (o.payload, '$.documents') || ' ' || a.action || ' ' || "
                        "a.detail || ' ' || a.operator_id FROM outbox o, audit_log a "
                        "WHERE o.seq = (SELECT max (seq) FROM outbox) "
                        "AND a.seq = (SELECT max (seq) FROM audit_log) AND o.entity_id = ?",
                        child);
  {
    g_autofree char *expected = g_strdup_printf ("child.verify %s op-clerk verified 3 "
                                                 "child.verify verified op-clerk", child);

    g_assert_cmpstr (row, ==, expected);
  }
  g_clear_pointer (&row, g_free);
  row = pfdo_test_text (fixture, "SELECT verification_status || ' ' || verification_operator_id "
                                 "|| ' ' || verification_office_id || ' ' || "
                                 "(verification_decided_at IS NOT NULL) || ' ' || "
                                 "(verification_reason IS NULL) FROM child WHERE id = ?", child);
  g_assert_cmpstr (row, ==, "verified op-clerk o1 1 1");
  g_clear_pointer (&row, g_free);

  /* Decided once: the other decision and the same again write nothing. */
  g_clear_pointer (&before, g_free);
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_child_verify (fixture->store, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED);
  g_clear_error (&error);
  g_assert_false (pfdo_child_reject (fixture->store, child, "Передумали", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* A rejection keeps its reason, trimmed, and writes once too. */
  g_assert_true (pfdo_child_reject (fixture->store, other, "  Нет СНИЛС  ", &error));
  g_assert_no_error (error);
  row = pfdo_test_text (fixture,
                        "SELECT c.verification_status || '|' || c.verification_reason || '|' || "
                        "json_extract (o.payload, '$.decision') || '|' || "
                        "json_extract (o.payload, '$.reason') || '|' || "
                        "json_array_length (o.payload, '$.documents') FROM child c JOIN outbox o "
                        "ON o.entity_id = c.id AND o.type = 'child.verify' WHERE c.id = ?",
                        other);
  g_assert_cmpstr (row, ==, "rejected|Нет СНИЛС|rejected|Нет СНИЛС|0");
  g_clear_pointer (&row, g_free);
  g_clear_pointer (&before, g_free);
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_child_reject (fixture->store, other, "Ещё раз", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);
  g_assert_false (pfdo_child_verify (fixture->store, other, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);

  /* No personal data in the audit log, only ids and decisions. */
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE "
                                             "coalesce (detail, '') LIKE '%СНИЛС%' OR "
                                             "coalesce (detail, '') LIKE '%Иванова%'"), ==, 0);
}

static void
test_correct_rules (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *rejected = pfdo_test_register_child (fixture, "Петрова", "Анна", "2015-03-07",
                                                        NULL, "123456");
  g_autofree char *fresh = pfdo_test_register_child (fixture, "Сидорова", "Вера", "2013-01-01",
                                                     NULL, "223344");
  PfdoChildInput fixed = good_child ("112-233-445 95");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *row = NULL;
  g_autofree char *field = NULL;
  g_autoptr(GError) error = NULL;

  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_child_reject (fixture->store, rejected, "Неверный СНИЛС", &error));
  g_assert_no_error (error);
  before = pfdo_test_row_counts (fixture);

  /* Refusals write nothing. */
  g_assert_true (pfdo_store_set_operator (fixture->store, NULL, NULL));
  g_assert_false (pfdo_child_correct (fixture->store, rejected, &fixed, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_OPERATOR);
  g_clear_error (&error);
  pfdo_test_as (fixture, "op-other");
  g_assert_false (pfdo_child_correct (fixture->store, rejected, &fixed, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);
  pfdo_test_as (fixture, "op-staff");
  g_assert_false (pfdo_child_correct (fixture->store, "no-such-child", &fixed, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  fixed.first_name = "Anna";
  g_assert_false (pfdo_child_correct (fixture->store, rejected, &fixed, &field, &error));
  g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_NAME_LETTERS);
  g_assert_cmpstr (field, ==, "first_name");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);
  fixed.first_name = "анна";
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  /* School staff may correct; the record waits for a new decision with
   * the old one cleared. */
  g_assert_true (pfdo_child_correct (fixture->store, rejected, &fixed, &field, &error));
  g_assert_no_error (error);
  g_assert_null (field);
  row = pfdo_test_text (fixture,
                        "SELECT verification_status || '|' || coalesce (verification_reason, '-') "
                        "|| '|' || coalesce (verification_decided_at, '-') || '|' || "
                        "coalesce (verification_operator_id, '-') || '|' || snils || '|' || "
                        "first_name FROM child WHERE id = ?", rejected);
  g_assert_cmpstr (row, ==, "unverified|-|-|-|112-233-445 95|Анна");
  g_clear_pointer (&row, g_free);
  row = pfdo_test_text (fixture,
                        "SELECT json_extract (payload, '$.child_id') || '|' || "
                        "json_extract (payload, '$.fields.snils') || '|' || operator_id "
                        "FROM outbox WHERE type = 'child.correct'", NULL);
  {
    g_autofree char *expected = g_strdup_printf ("%s|112-233-445 95|op-staff", rejected);

    g_assert_cmpstr (row, ==, expected);
  }
  g_clear_pointer (&row, g_free);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE action = "
                                             "'child.correct'"), ==, 1);

  /* A record not yet decided can be corrected as well. */
  fixed.snils = NULL;
  fixed.last_name = "Сидорова";
  fixed.first_name = "Вера";
  fixed.birth_date = "01.01.2013";
  fixed.document_number = "223345";
  g_assert_true (pfdo_child_correct (fixture->store, fresh, &fixed, NULL, &error));
  g_assert_no_error (error);
  row = pfdo_test_text (fixture, "SELECT verification_status || ' ' || document_number FROM child "
                                 "WHERE id = ?", fresh);
  g_assert_cmpstr (row, ==, "unverified 223345");
  g_clear_pointer (&row, g_free);

  /* A confirmed record is not corrected here. */
  pfdo_test_as (fixture, "op-clerk");
  g_assert_true (pfdo_child_verify (fixture->store, fresh, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&before, g_free);
  before = pfdo_test_row_counts (fixture);
  g_assert_false (pfdo_child_correct (fixture->store, fresh, &fixed, NULL, &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  row = pfdo_test_text (fixture, "SELECT verification_status FROM child WHERE id = ?", fresh);
  g_assert_cmpstr (row, ==, "verified");
}

/* A family registered with its certificates stands or falls as a whole:
 * when the numbers run out at the sixth child, nothing of it stays. */
static void
test_register_all_or_nothing (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *names[] = { "Анна", "Вера", "Ольга", "Мария", "Юлия", "Яна" };
  PfdoChildInput children[G_N_ELEMENTS (names)];
  char *documents[G_N_ELEMENTS (names)];
  PfdoFamilyInput family;
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      documents[i] = g_strdup_printf ("%06u", 610000 + i * 17);
      children[i] = good_child (NULL);
      children[i].first_name = names[i];
      children[i].document_number = documents[i];
    }
  family = family_of (children, G_N_ELEMENTS (children));
  family.issue_certificates = TRUE;

  pfdo_test_as (fixture, "op-staff");
  before = pfdo_test_row_counts (fixture);
  result = pfdo_family_register (fixture->store, &family, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT);
  g_clear_error (&error);
  after = pfdo_test_row_counts (fixture);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  g_assert_cmpint (pfdo_number_blocks_remaining (fixture->store, NULL), ==, 5);

  /* Five fit, numbered in order, one operation and a record for each. */
  family.n_children = 5;
  result = pfdo_family_register (fixture->store, &family, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->certificate_numbers->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (result->certificate_numbers, 0), ==, "0000000001");
  g_assert_cmpstr (g_ptr_array_index (result->certificate_numbers, 4), ==, "0000000005");
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type = "
                                             "'certificate.issue'"), ==, 5);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM outbox WHERE type = "
                                             "'family.register'"), ==, 1);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM audit_log WHERE action <> "
                                             "'number_block.add'"), ==, 1 + 5 + 5);
  g_assert_cmpint (pfdo_test_count (fixture, "SELECT count(*) FROM certificate c JOIN child ch "
                                             "ON ch.id = c.child_id WHERE c.status = 'issued' "
                                             "AND c.municipality_id = ch.municipality_id"), ==, 5);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (documents[i]);
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
  TEST ("/children/register-each-field", test_register_each_field);
  TEST ("/children/register-store-twins", test_register_store_twins);
  TEST ("/children/find-duplicates-reasons", test_find_duplicates_reasons);
  TEST ("/children/decisions-write-once", test_decisions_write_once);
  TEST ("/children/correct-rules", test_correct_rules);
  TEST ("/children/register-all-or-nothing", test_register_all_or_nothing);

  return g_test_run ();
}
