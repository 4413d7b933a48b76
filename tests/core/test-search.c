/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-certificates.h"
#include "pfdo-children.h"
#include "pfdo-search.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The ids found for @query, sorted and joined, and what it was taken for. */
static char *
find (Fixture       *fixture,
      const char    *query,
      PfdoQueryKind *out_kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = pfdo_search_children (fixture->store, query, 50, out_kind, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (names, ((PfdoChildMatch *) g_ptr_array_index (found, i))->first_name);
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static void
test_children (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *anna = pfdo_test_register_child (fixture, "Королёва", "Анна", "2015-03-07",
                                                    "112-233-445 95", "123456");
  g_autofree char *vera = pfdo_test_register_child (fixture, "Королёва", "Вера", "2013-01-02",
                                                    NULL, "223344");
  g_autofree char *olga = pfdo_test_register_child (fixture, "Корнеева", "Ольга", "2015-03-07",
                                                    NULL, "334455");
  g_autofree char *maria = pfdo_test_register_child (fixture, "Смирнова", "Мария", "2012-12-12",
                                                     NULL, "445566");
  g_autofree char *number = NULL;
  g_autoptr(GError) error = NULL;
  const struct
  {
    const char   *query;
    const char   *expected;
    PfdoQueryKind kind;
  } cases[] = {
    /* SNILS in any spelling. */
    { "112-233-445 95", "Анна", PFDO_QUERY_SNILS },
    { "11223344595", "Анна", PFDO_QUERY_SNILS },
    { "112 233 445 95", "Анна", PFDO_QUERY_SNILS },
    /* The parent's phone, in any spelling: everyone registered with it. */
    { "8 (918) 123-45-67", "Анна,Вера,Мария,Ольга", PFDO_QUERY_PHONE },
    { "+79181234567", "Анна,Вера,Мария,Ольга", PFDO_QUERY_PHONE },
    /* Names: surname prefix, ё = е, case, name, birth date. */
    { "королева", "Анна,Вера", PFDO_QUERY_NAME },
    { "Королёва", "Анна,Вера", PFDO_QUERY_NAME },
    { "кор", "Анна,Вера,Ольга", PFDO_QUERY_NAME },
    { "королева анна", "Анна", PFDO_QUERY_NAME },
    { "Королева 02.01.2013", "Вера", PFDO_QUERY_NAME },
    { "кор 07.03.2015", "Анна,Ольга", PFDO_QUERY_NAME },
    { "Смирнова Мария 2012-12-12", "Мария", PFDO_QUERY_NAME },
    /* What does not match finds nothing. */
    { "Королёва Мария", "", PFDO_QUERY_NAME },
    { "Сидорова", "", PFDO_QUERY_NAME },
    { "112-233-445 96", "", PFDO_QUERY_SNILS },
  };

  g_assert_true (pfdo_certificate_issue (fixture->store, vera, NULL, &number, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (number, ==, "0000000001");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PfdoQueryKind kind;
      g_autofree char *found = find (fixture, cases[i].query, &kind);

      g_test_message ("%s", cases[i].query);
      g_assert_cmpstr (found, ==, cases[i].expected);
      if (cases[i].expected[0] != '\0' || cases[i].kind != PFDO_QUERY_SNILS)
        g_assert_cmpint (kind, ==, cases[i].kind);
    }

  /* A certificate number, also as a barcode scanner or a parent types it
   * without the leading zeros; the match carries the certificate. */
  {
    g_autoptr(GPtrArray) found = pfdo_search_children (fixture->store, "1", 50, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (((PfdoChildMatch *) g_ptr_array_index (found, 0))->certificate_number, ==,
                     "0000000001");
    g_assert_cmpstr (((PfdoChildMatch *) g_ptr_array_index (found, 0))->first_name, ==, "Вера");
  }
  {
    g_autofree char *found = find (fixture, "0000000001", NULL);

    g_assert_cmpstr (found, ==, "Вера");
  }
  {
    g_autofree char *found = find (fixture, "   ", NULL);

    g_assert_cmpstr (found, ==, "");
  }
}

static char *
catalog (Fixture    *fixture,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = pfdo_catalog_search (fixture->store, text, 50, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (ids, ((PfdoProgramMatch *) g_ptr_array_index (found, i))->program_id);
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

static void
test_catalog (Fixture       *fixture,
              gconstpointer  data)
{
  const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "робот", "pr-cert" },
    { "Робототехника", "pr-cert" },
    { "РОБ", "pr-cert" },
    { "программирование", "pr-cert" },      /* the description */
    { "елочные", "pr-budget" },             /* ё = е */
    { "ёлоч", "pr-budget" },
    { "дом творч", "pr-budget,pr-cert,pr-closed,pr-teen" }, /* the provider */
    { "робот шахматы", "" },
    { "футбол", "" },
    /* FTS syntax typed by a person is text, not an error. */
    { "\"робот", "pr-cert" },
    { "робот*) (", "pr-cert" },
    { "робот OR шахматы", "" }, /* OR is a word here, not an operator */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = catalog (fixture, cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }
}

static void
exec_ok (Fixture    *fixture,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_exec (fixture->store, sql, &error));
  g_assert_no_error (error);
}

static void
test_children_more (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *semenova = pfdo_test_register_child (fixture, "Семёнова", "Алёна", "2014-02-03",
                                                        NULL, "111111");
  g_autofree char *semenov = pfdo_test_register_child (fixture, "Семенов", "Артём", "2012-06-07",
                                                       NULL, "222222");
  g_autofree char *namesake = pfdo_test_register_child (fixture, "Семёнова", "Алёна", "2013-09-10",
                                                        NULL, "333333");
  g_autoptr(PfdoFamilyResult) other_family = NULL;
  g_autoptr(GError) error = NULL;
  const struct
  {
    const char   *query;
    const char   *expected;
    PfdoQueryKind kind;
  } cases[] = {
    /* ё and е are one letter, both ways, in any case. */
    { "семенова", "Алёна,Алёна", PFDO_QUERY_NAME },
    { "СЕМЁНОВА", "Алёна,Алёна", PFDO_QUERY_NAME },
    { "Семенова Алена", "Алёна,Алёна", PFDO_QUERY_NAME },
    { "семёнов артем", "Артём", PFDO_QUERY_NAME },
    /* A prefix of the surname finds both spellings of the family. */
    { "семен", "Алёна,Алёна,Артём", PFDO_QUERY_NAME },
    /* The name is a prefix too. */
    { "семенова ал", "Алёна,Алёна", PFDO_QUERY_NAME },
    { "семенова ар", "", PFDO_QUERY_NAME },
    /* The birth date tells namesakes apart, in either spelling. */
    { "Семёнова Алёна 03.02.2014", "Алёна", PFDO_QUERY_NAME },
    { "Семёнова 2013-09-10", "Алёна", PFDO_QUERY_NAME },
    { "семенова 04.02.2014", "", PFDO_QUERY_NAME },
    /* With the patronymic. */
    { "семенова алена игоревна", "Алёна", PFDO_QUERY_NAME },
    { "семенова алена иг", "Алёна", PFDO_QUERY_NAME },
    { "семенова алена петровна", "", PFDO_QUERY_NAME },
    /* Extra spaces do not matter. */
    { "  семёнова    алёна  ", "Алёна,Алёна", PFDO_QUERY_NAME },
    /* The parent's surname finds the children of that parent. */
    { "Кравцов", "Дарья", PFDO_QUERY_NAME },
    { "кравцова", "Дарья", PFDO_QUERY_NAME },
    /* But surname and name are the child's own. */
    { "Кравцов Дарья", "", PFDO_QUERY_NAME },
    /* The parent's phone in the spellings people use. */
    { "8-916-000-11-22", "Дарья", PFDO_QUERY_PHONE },
    { "+7 (916) 000 11 22", "Дарья", PFDO_QUERY_PHONE },
    { "89160001122", "Дарья", PFDO_QUERY_PHONE },
    { "+7 916 000-11-23", "", PFDO_QUERY_PHONE },
    /* A certificate number with or without its leading zeros. */
    { "0001234567", "Артём", PFDO_QUERY_CERTIFICATE },
    { "1234567", "Артём", PFDO_QUERY_CERTIFICATE },
    { "001234567", "Артём", PFDO_QUERY_CERTIFICATE },
    { "12345670", "", PFDO_QUERY_CERTIFICATE },
    { "123456", "", PFDO_QUERY_CERTIFICATE },
  };

  /* A patronymic for one of the namesakes; a certificate with leading
   * zeros, as the server sent it. */
  {
    g_autofree char *sql = g_strdup_printf (
      "UPDATE child SET middle_name = 'Игоревна' WHERE id = '%s';"
      "INSERT INTO certificate (id, number, child_id, municipality_id, issued_at) "
      "VALUES ('z-semenov', '0001234567', '%s', 'm1', 'now')",
      semenova, semenov);

    exec_ok (fixture, sql);
  }
  g_assert_nonnull (namesake);

  /* A family where the parent's surname differs from the child's. */
  {
    PfdoChildInput child = {
      .last_name = "Орлова", .first_name = "Дарья", .birth_date = "2013-03-03", .sex = "f",
      .document_type = "birth_certificate", .document_series = "II-ДН",
      .document_number = "444444",
    };
    PfdoFamilyInput family = {
      .parent = { .last_name = "Кравцова", .first_name = "Ирина", .phone = "+79160001122" },
      .children = &child,
      .n_children = 1,
    };

    other_family = pfdo_family_register (fixture->store, &family, NULL, &error);
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PfdoQueryKind kind = PFDO_QUERY_EMPTY;
      g_autofree char *found = NULL;

      g_test_message ("%s", cases[i].query);
      found = find (fixture, cases[i].query, &kind);
      g_assert_cmpstr (found, ==, cases[i].expected);
      g_assert_cmpint (kind, ==, cases[i].kind);
    }

  /* The match carries the certificate, and the limit holds. */
  {
    g_autoptr(GPtrArray) found = pfdo_search_children (fixture->store, "1234567", 10, NULL,
                                                       &error);
    PfdoChildMatch *match;

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    match = g_ptr_array_index (found, 0);
    g_assert_cmpstr (match->child_id, ==, semenov);
    g_assert_cmpstr (match->certificate_id, ==, "z-semenov");
    g_assert_cmpstr (match->certificate_number, ==, "0001234567");
    g_assert_cmpstr (match->certificate_status, ==, "issued");
    g_assert_cmpstr (match->parent_phone, ==, "+79181234567");
  }
  {
    g_autoptr(GPtrArray) found = pfdo_search_children (fixture->store, "семен", 2, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 2);
  }
  {
    PfdoQueryKind kind = PFDO_QUERY_NAME;
    g_autoptr(GPtrArray) found = pfdo_search_children (fixture->store, "семен", 0, &kind, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
  }
  {
    PfdoQueryKind kind = PFDO_QUERY_NAME;
    g_autoptr(GPtrArray) found = pfdo_search_children (fixture->store, NULL, 10, &kind, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
    g_assert_cmpint (kind, ==, PFDO_QUERY_EMPTY);
  }
}

static void
test_catalog_follows_changes (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *found = NULL;

  /* More words narrow, across title, activity, description and provider. */
  found = catalog (fixture, "робот дом");
  g_assert_cmpstr (found, ==, "pr-cert");
  g_clear_pointer (&found, g_free);
  found = catalog (fixture, "шахм");
  g_assert_cmpstr (found, ==, "pr-closed");
  g_clear_pointer (&found, g_free);
  found = catalog (fixture, "  ,.;  ");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);

  /* A renamed provider is found by its new name only. */
  exec_ok (fixture, "UPDATE provider SET name = 'Центр «Ёжик»' WHERE id = 'p1'");
  found = catalog (fixture, "ежик");
  g_assert_cmpstr (found, ==, "pr-budget,pr-cert,pr-closed,pr-teen");
  g_clear_pointer (&found, g_free);
  found = catalog (fixture, "творчества");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);

  /* A changed title, an activity, a new program and a removed one. */
  exec_ok (fixture, "UPDATE program SET title = 'Лёгкая атлетика', activity = 'Бег' "
                    "WHERE id = 'pr-closed'");
  found = catalog (fixture, "шахматы");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);
  found = catalog (fixture, "легкая бег");
  g_assert_cmpstr (found, ==, "pr-closed");
  g_clear_pointer (&found, g_free);
  exec_ok (fixture, "INSERT INTO provider (id, name, kind, municipality_id) VALUES "
                    "('p2', 'Станция юных техников', 'municipal', 'm1');"
                    "INSERT INTO program (id, provider_id, municipality_id, title, direction, "
                    "age_min, age_max, funding) VALUES ('pr-new', 'p2', 'm1', 'Авиамоделирование', "
                    "'technical', 7, 14, 'budget');"
                    "DELETE FROM \"group\" WHERE program_id = 'pr-teen';"
                    "DELETE FROM program WHERE id = 'pr-teen'");
  found = catalog (fixture, "юных авиа");
  g_assert_cmpstr (found, ==, "pr-new");
  g_clear_pointer (&found, g_free);
  found = catalog (fixture, "журналистика");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);

  /* The limit holds; what is found carries the provider's name. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) matches = pfdo_catalog_search (fixture->store, "ежик", 2, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (matches->len, ==, 2);
    g_assert_cmpstr (((PfdoProgramMatch *) g_ptr_array_index (matches, 0))->provider_name, ==,
                     "Центр «Ёжик»");
  }
  {
    g_autofree char *query = pfdo_catalog_fts_query ("Ёлки-палки «AND» 42");

    g_assert_cmpstr (query, ==, "\"елки\"* \"палки\"* \"and\"* \"42\"*");
  }
  g_assert_null (pfdo_catalog_fts_query (""));
  g_assert_null (pfdo_catalog_fts_query (NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/search/children", test_children);
  TEST ("/search/catalog", test_catalog);
  TEST ("/search/children-more", test_children_more);
  TEST ("/search/catalog-follows-changes", test_catalog_follows_changes);

  return g_test_run ();
}
