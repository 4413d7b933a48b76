/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-certificates.h"
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

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  TEST ("/search/children", test_children);
  TEST ("/search/catalog", test_catalog);

  return g_test_run ();
}
