/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pfdo-catalog.h"
#include "pfdo-error.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

#define TEST(path, func) \
  g_test_add (path, Fixture, NULL, pfdo_test_fixture_set_up, func, pfdo_test_fixture_tear_down)

/* Beside the fixture's four programs of m1 (pr-cert, pr-budget,
 * pr-closed, pr-teen; all in person, none for ОВЗ): a distance program
 * of m2 for children with disabilities whose only group is full, a
 * blended one without groups, and one taken off the catalog. */
static const char more_sql[] =
  "INSERT INTO provider (id, name, kind, municipality_id, address, phone) VALUES "
  "  ('p2', 'Центр «Ёлка»', 'private', 'm2', 'ул. Ленина, 1', '+78652000000');"
  "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, age_max, "
  "  funding, form, disability_friendly, hours_total, months, hour_price_kopecks, rating_avg, "
  "  reviews_count, activity) VALUES "
  "  ('pr-dist', 'p2', 'm2', 'Юный натуралист', 'natural_science', 7, 10, 'paid', 'distance', "
  "   1, 36, 9, 25000, 4.5, 2, 'Биология'), "
  "  ('pr-blend', 'p2', 'm2', 'Родной край', 'tourism', 10, 15, 'budget', 'blended', 0, 36, 9, "
  "   0, 3.0, 1, 'Краеведение');"
  "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, age_max, "
  "  funding, is_active) VALUES "
  "  ('pr-gone', 'p2', 'm2', 'Робототехника для всех', 'technical', 5, 17, 'budget', 0);"
  "INSERT INTO \"group\" (id, program_id, name, capacity, enrolled, starts_on, schedule) VALUES "
  "  ('g-dist', 'pr-dist', 'Группа 1', 5, 5, '2026-09-01', "
  "   '[{\"weekday\": 3, \"start\": \"16:00\", \"end\": \"17:30\"}, "
  "     {\"weekday\": 1, \"start\": \"15:00\", \"end\": \"15:45\"}]');"
  "INSERT INTO review (id, program_id, rating, text, author, created_at) VALUES "
  "  ('r1', 'pr-dist', 5, 'Отлично', 'Анна К.', '2026-03-01T10:00:00Z'), "
  "  ('r2', 'pr-dist', 4, 'Хорошо', 'Ольга П.', '2026-04-01T10:00:00Z');";

static void
add_more (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_exec (fixture->store, more_sql, &error));
  g_assert_no_error (error);
}

/* The ids found, in the order found, joined with commas. */
static char *
query (Fixture                 *fixture,
       const PfdoCatalogFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoCatalogResult) result = pfdo_catalog_query (fixture->store, filter, 50, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->total, ==, result->programs->len);
  g_assert_false (result->total_is_lower_bound);
  for (guint i = 0; i < result->programs->len; i++)
    g_ptr_array_add (ids, ((PfdoCatalogProgram *) g_ptr_array_index (result->programs, i))->id);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The same, sorted: for the filters, where the order is not the point. */
static char *
query_set (Fixture                 *fixture,
           const PfdoCatalogFilter *filter)
{
  g_autofree char *found = query (fixture, filter);
  g_auto(GStrv) ids = g_strsplit (found, ",", -1);

  if (*found == '\0')
    return g_strdup ("");
  qsort (ids, g_strv_length (ids), sizeof (char *), compare_strings);
  return g_strjoinv (",", ids);
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "робот", "pr-cert" },                 /* pr-gone is not active */
    { "РОБОТОТЕХНИКА", "pr-cert" },
    { "ро", "pr-blend,pr-cert" },           /* a prefix of two letters; «Родной» too */
    { "елоч", "pr-budget" },                /* ё = е */
    { "Ёлочн игр", "pr-budget" },           /* every word a prefix */
    { "ёлка", "pr-blend,pr-dist" },         /* the provider, ё typed */
    { "елка натур", "pr-dist" },
    { "биолог", "pr-dist" },                /* the activity */
    { "роботов", "pr-cert" },               /* the description */
    { "робот шахм", "" },
    { "\"робот*) (", "pr-cert" },           /* FTS syntax typed is text */
  };

  add_more (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PfdoCatalogFilter filter = PFDO_CATALOG_FILTER_INIT;
      g_autofree char *found = NULL;

      filter.text = cases[i].text;
      found = query_set (fixture, &filter);
      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  PfdoCatalogFilter filter = PFDO_CATALOG_FILTER_INIT;
  g_autofree char *all = NULL;

  add_more (fixture);

  /* Nothing set browses the whole active catalog. */
  all = query_set (fixture, &filter);
  g_assert_cmpstr (all, ==, "pr-blend,pr-budget,pr-cert,pr-closed,pr-dist,pr-teen");

#define CHECK(expected) \
  G_STMT_START { \
    g_autofree char *found_ = query_set (fixture, &filter); \
    g_assert_cmpstr (found_, ==, expected); \
    filter = (PfdoCatalogFilter) PFDO_CATALOG_FILTER_INIT; \
  } G_STMT_END

  filter.direction = "sports";
  CHECK ("pr-closed");
  filter.direction = "natural_science";
  CHECK ("pr-dist");
  filter.municipality_id = "m2";
  CHECK ("pr-blend,pr-dist");
  filter.funding = "certified";
  CHECK ("pr-cert,pr-closed,pr-teen");
  filter.funding = "paid";
  CHECK ("pr-dist");
  filter.form = "blended";
  CHECK ("pr-blend");
  filter.form = "in_person";
  CHECK ("pr-budget,pr-cert,pr-closed,pr-teen");
  filter.disability_friendly = TRUE;
  CHECK ("pr-dist");
  filter.enrollment_open = TRUE;
  CHECK ("pr-blend,pr-budget,pr-cert,pr-dist,pr-teen");
  /* pr-dist's group is full and pr-blend has none. */
  filter.free_places = TRUE;
  CHECK ("pr-budget,pr-cert,pr-closed,pr-teen");
  /* Age: both ends of a range count. */
  filter.age = 14;
  CHECK ("pr-blend,pr-budget,pr-cert,pr-closed,pr-teen");
  filter.age = 13;
  CHECK ("pr-blend,pr-budget,pr-cert,pr-closed");
  filter.age = 7;
  CHECK ("pr-budget,pr-cert,pr-closed,pr-dist");
  filter.age = 4;
  CHECK ("");

  /* Filters with words, and filters together. */
  filter.text = "ёлка";
  filter.form = "distance";
  CHECK ("pr-dist");
  filter.text = "ро";
  filter.municipality_id = "m1";
  CHECK ("pr-cert");
  filter.funding = "certified";
  filter.enrollment_open = TRUE;
  filter.age = 15;
  CHECK ("pr-cert,pr-teen");
  filter.municipality_id = "m1";
  filter.direction = "natural_science";
  CHECK ("");
#undef CHECK
}

/* Browsing puts the best rated first; a page says how many there are. */
static void
test_order_and_total (Fixture       *fixture,
                      gconstpointer  data)
{
  PfdoCatalogFilter filter = PFDO_CATALOG_FILTER_INIT;
  g_autoptr(PfdoCatalogResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  add_more (fixture);
  found = query (fixture, &filter);
  g_assert_true (g_str_has_prefix (found, "pr-dist,pr-blend,"));
  g_clear_pointer (&found, g_free);

  /* The order browsing keeps follows what is written after it was made:
   * a new best rated program comes first, a program taken off leaves. */
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "INSERT INTO program (id, provider_id, municipality_id, title, "
                                  "direction, age_min, age_max, funding, rating_avg) VALUES "
                                  "('pr-new', 'p1', 'm1', 'Шашки', 'sports', 5, 17, 'budget', 5.0);"
                                  "UPDATE program SET is_active = 0 WHERE id = 'pr-blend';",
                                  &error));
  g_assert_no_error (error);
  found = query (fixture, &filter);
  g_assert_true (g_str_has_prefix (found, "pr-new,pr-dist,"));
  g_assert_null (strstr (found, "pr-blend"));
  g_assert_true (pfdo_store_exec (fixture->store,
                                  "DELETE FROM program WHERE id = 'pr-new';"
                                  "UPDATE program SET is_active = 1 WHERE id = 'pr-blend';",
                                  &error));
  g_assert_no_error (error);

  result = pfdo_catalog_query (fixture->store, &filter, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->programs->len, ==, 2);
  g_assert_cmpuint (result->total, ==, 6);
  g_assert_false (result->total_is_lower_bound);
  g_clear_pointer (&result, pfdo_catalog_result_free);

  filter.text = "ро";
  result = pfdo_catalog_query (fixture->store, &filter, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->programs->len, ==, 1);
  g_assert_cmpuint (result->total, ==, 2);
  g_assert_false (result->total_is_lower_bound);
  g_clear_pointer (&result, pfdo_catalog_result_free);

  /* A one-letter word is not counted: "more than one". */
  filter.text = "р";
  result = pfdo_catalog_query (fixture->store, &filter, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->programs->len, ==, 1);
  g_assert_cmpuint (result->total, ==, 1);
  g_assert_true (result->total_is_lower_bound);
  g_clear_pointer (&result, pfdo_catalog_result_free);

  /* All of a one-letter search fits: that is the total. */
  result = pfdo_catalog_query (fixture->store, &filter, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->programs->len, ==, 2);
  g_assert_cmpuint (result->total, ==, 2);
  g_assert_false (result->total_is_lower_bound);
}

static void
test_program (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PfdoCatalogProgram) program = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *schedule = NULL;
  PfdoCatalogGroup *group;
  PfdoCatalogReview *review;

  add_more (fixture);
  program = pfdo_catalog_get_program (fixture->store, "pr-dist", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (program->title, ==, "Юный натуралист");
  g_assert_cmpstr (program->provider_name, ==, "Центр «Ёлка»");
  g_assert_cmpstr (program->provider_address, ==, "ул. Ленина, 1");
  g_assert_cmpstr (program->provider_phone, ==, "+78652000000");
  g_assert_cmpstr (program->municipality_name, ==, "Соседний округ");
  g_assert_cmpstr (program->activity, ==, "Биология");
  g_assert_cmpint (program->n_groups, ==, 1);
  g_assert_cmpint (program->free_places, ==, 0);
  g_assert_cmpuint (program->groups->len, ==, 1);
  group = g_ptr_array_index (program->groups, 0);
  g_assert_cmpint (pfdo_catalog_group_free_places (group), ==, 0);
  /* Lessons come by weekday, whatever the order in the record. */
  schedule = pfdo_catalog_schedule_text (group->slots);
  g_assert_cmpstr (schedule, ==, "Mon 15:00–15:45, Wed 16:00–17:30");
  g_assert_cmpuint (program->reviews->len, ==, 2);
  review = g_ptr_array_index (program->reviews, 0);
  g_assert_cmpstr (review->author, ==, "Ольга П.");
  g_assert_cmpint (review->rating, ==, 4);

  /* 250 ₽ an hour, 36 hours over 9 months: 1 000 ₽ a month, 9 000 ₽ in all. */
  g_assert_cmpint (pfdo_catalog_program_monthly_kopecks (program), ==, 100000);
  g_assert_cmpint (pfdo_catalog_program_cost_kopecks (program), ==, 900000);

  g_assert_cmpint (pfdo_catalog_program_blocks (program, -1), ==, PFDO_PROGRAM_BLOCK_NO_PLACES);
  g_assert_cmpint (pfdo_catalog_program_blocks (program, 12), ==,
                   PFDO_PROGRAM_BLOCK_NO_PLACES | PFDO_PROGRAM_BLOCK_AGE);
  g_clear_pointer (&program, pfdo_catalog_program_free);

  program = pfdo_catalog_get_program (fixture->store, "pr-closed", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_catalog_program_blocks (program, 10), ==, PFDO_PROGRAM_BLOCK_CLOSED);
  g_clear_pointer (&program, pfdo_catalog_program_free);

  program = pfdo_catalog_get_program (fixture->store, "pr-blend", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_catalog_program_blocks (program, 4), ==,
                   PFDO_PROGRAM_BLOCK_NO_GROUPS | PFDO_PROGRAM_BLOCK_AGE);
  g_clear_pointer (&program, pfdo_catalog_program_free);

  program = pfdo_catalog_get_program (fixture->store, "pr-cert", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pfdo_catalog_program_blocks (program, 10), ==, PFDO_PROGRAM_BLOCK_NONE);
  g_assert_cmpuint (program->reviews->len, ==, 0);
  g_clear_pointer (&program, pfdo_catalog_program_free);

  program = pfdo_catalog_get_program (fixture->store, "pr-gone", 0, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_catalog_program_blocks (program, -1) & PFDO_PROGRAM_BLOCK_INACTIVE);
  g_clear_pointer (&program, pfdo_catalog_program_free);

  program = pfdo_catalog_get_program (fixture->store, "pr-nowhere", 0, &error);
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_assert_null (program);
}

static void
test_schedule (Fixture       *fixture,
               gconstpointer  data)
{
  const char *bad[] = {
    "", "{", "{}", "[1]", "[{\"weekday\": 0, \"start\": \"16:00\", \"end\": \"17:00\"}]",
    "[{\"weekday\": 8, \"start\": \"16:00\", \"end\": \"17:00\"}]",
    "[{\"weekday\": \"1\", \"start\": \"16:00\", \"end\": \"17:00\"}]",
    "[{\"weekday\": 1, \"start\": \"4pm\", \"end\": \"17:00\"}]",
    "[{\"weekday\": 1, \"start\": \"16:00\"}]",
    "[{\"weekday\": 1, \"start\": 1600, \"end\": \"17:00\"}]",
  };
  g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (PfdoCatalogSlot));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (pfdo_catalog_parse_schedule (fixture->store, "[]", slots, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (slots->len, ==, 0);

  g_assert_true (pfdo_catalog_parse_schedule (
    fixture->store, "[{\"weekday\": 7, \"start\": \"10:00\", \"end\": \"11:30\"}]", slots, &error));
  g_assert_no_error (error);
  text = pfdo_catalog_schedule_text (slots);
  g_assert_cmpstr (text, ==, "Sun 10:00–11:30");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_false (pfdo_catalog_parse_schedule (fixture->store, bad[i], slots, &error));
      g_assert_error (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID);
      g_clear_error (&error);
      /* A refused schedule adds nothing. */
      g_assert_cmpuint (slots->len, ==, 1);
    }
}

static void
test_municipalities (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = pfdo_catalog_list_municipalities (fixture->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((PfdoCatalogMunicipality *) g_ptr_array_index (list, 0))->name, ==,
                   "Соседний округ");
  g_assert_cmpstr (((PfdoCatalogMunicipality *) g_ptr_array_index (list, 1))->id, ==, "m1");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  TEST ("/catalog/text", test_text);
  TEST ("/catalog/filters", test_filters);
  TEST ("/catalog/order-and-total", test_order_and_total);
  TEST ("/catalog/program", test_program);
  TEST ("/catalog/schedule", test_schedule);
  TEST ("/catalog/municipalities", test_municipalities);

  return g_test_run ();
}
