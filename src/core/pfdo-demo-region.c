/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pfdo-demo-names.h"
#include "pfdo-demo-region.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

/*
 * A whole region as the regional server would send it: municipalities with
 * their МОЦ and schools, providers, programs, groups, reviews, families,
 * certificates, enrollments and the ledger, all consistent with the rules
 * the core enforces (pfdo-check finds nothing). Everything comes from one
 * seeded generator, so a seed always gives the same region, and it is
 * written in one transaction: a failed or cancelled seed leaves nothing.
 */

#define TODAY         "2026-11-24"
#define PERIOD        "2026/27"
#define ID_LEN        37
#define PROGRESS_STEP 20000

typedef struct
{
  guint providers;
  guint programs;
  guint reviews;
  guint children;
  guint schools_per_thousand;
} Scale;

static const Scale scales[] = {
  [PFDO_DEMO_SCALE_DEMO] = { 60, 400, 2400, 2000, 0 },
  [PFDO_DEMO_SCALE_REGION] = { 2500, 25000, 150000, 420000, 1 },
};

typedef struct
{
  char   id[ID_LEN];
  char   program_id[ID_LEN];
  guint  municipality;
  int    age_min;
  int    age_max;
  int    capacity;
  int    enrolled;
  gint64 monthly;
  int    months;
  gboolean certified;
  gboolean open;
  gboolean autumn;           /* starts on 1 September: two months charged */
} Group;

typedef struct
{
  char    id[ID_LEN];
  guint   weight;
  guint   children_goal;
  guint   children;
  guint   pf_issued;
  guint   pf_quota;
  guint   numbers;
  gint64  nominal;
  GArray *groups_certified;  /* indices into groups */
  GArray *groups_budget;
  char    moc_id[ID_LEN];
  GPtrArray *schools;
} Municipality;

typedef struct
{
  PfdoStore            *store;
  sqlite3              *db;
  guint64               rng;
  guint64               id_seq;
  guint64               snils_seq;
  const Scale          *scale;
  PfdoDemoProgressFunc  progress;
  gpointer              user_data;
  GCancellable         *cancellable;
  Municipality         *municipalities;
  GArray               *groups;
  GPtrArray            *provider_ids;
  GArray               *provider_municipality;
} Generator;

/* splitmix64: small, fast and the same everywhere. */
static guint64
next_random (Generator *gen)
{
  guint64 z = (gen->rng += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static guint
below (Generator *gen,
       guint      n)
{
  return n > 0 ? (guint) (next_random (gen) % n) : 0;
}

static gboolean
chance (Generator *gen,
        guint      percent_x10)
{
  return below (gen, 1000) < percent_x10;
}

static guint
between (Generator *gen,
         guint      lo,
         guint      hi)
{
  return lo + below (gen, hi - lo + 1);
}

/* UUID-shaped ids that grow with creation, so every index on them is
 * appended to rather than split at random places. */
static void
make_id (Generator *gen,
         char       out[ID_LEN])
{
  guint64 seq = ++gen->id_seq;
  guint64 r = next_random (gen);

  g_snprintf (out, ID_LEN, "%08x-%04x-4%03x-%04x-%012llx", (guint32) (seq >> 16),
              (guint32) (seq & 0xffff), (guint32) (r & 0xfff),
              (guint32) (0x8000 | ((r >> 12) & 0x3fff)),
              (unsigned long long) ((r >> 16) & 0xffffffffffffull));
}

static void
random_timestamp (Generator *gen,
                  char       out[21],
                  guint      from_month)
{
  /* Months counted from September 2025 (0) to November 2026 (14). */
  guint m = between (gen, from_month, 14);
  guint year = 2025 + (8 + m) / 12;
  guint month = (8 + m) % 12 + 1;
  guint day = between (gen, 1, m == 14 ? 23 : 28);

  g_snprintf (out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", year, month, day, between (gen, 6, 17),
              below (gen, 60), below (gen, 60));
}

static gboolean
step_check (Generator    *gen,
            sqlite3_stmt *stmt,
            GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      pfdo_store_set_error (gen->store, rc, error);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
report (Generator  *gen,
        const char *phase,
        guint64     done,
        guint64     total,
        GError    **error)
{
  if (g_cancellable_set_error_if_cancelled (gen->cancellable, error))
    return FALSE;
  if (gen->progress != NULL && (done % PROGRESS_STEP == 0 || done == total))
    gen->progress (phase, done, total, gen->user_data);
  return TRUE;
}

static char *
random_phone (Generator *gen)
{
  static const char *codes[] = { "918", "928", "961", "962", "905", "906", "988", "909" };

  return g_strdup_printf ("+7%s%07u", codes[below (gen, G_N_ELEMENTS (codes))],
                          below (gen, 10000000));
}

static char *
landline (Generator *gen)
{
  return g_strdup_printf ("8 (8652) %02u-%02u-%02u", between (gen, 20, 99), below (gen, 100),
                          below (gen, 100));
}

static char *
address_in (Generator  *gen,
            guint       municipality)
{
  return g_strdup_printf ("%s, %s, %u", pfdo_demo_municipalities[municipality].centre,
                          pfdo_demo_streets[below (gen, pfdo_demo_n_streets)],
                          between (gen, 1, 180));
}

/* A municipality chosen in proportion to its children. */
static guint
weighted_municipality (Generator *gen,
                       guint      total_weight)
{
  guint pick = below (gen, total_weight);

  for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
    {
      if (pick < gen->municipalities[i].weight)
        return i;
      pick -= gen->municipalities[i].weight;
    }
  return 0;
}

static gboolean
generate_municipalities (Generator  *gen,
                         GError    **error)
{
  sqlite3_stmt *muni = pfdo_store_prepare (gen->store,
                                           "INSERT INTO municipality (id, name, mode, period_start, "
                                           "period_end, nominal_kopecks) VALUES (?, ?, ?, "
                                           "'2026-09-01', '2027-08-31', ?)",
                                           error);
  sqlite3_stmt *office = pfdo_store_prepare (gen->store,
                                             "INSERT INTO office (id, name, kind, municipality_id, "
                                             "address, phone, hours) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                             error);
  guint total_weight = 0;

  if (muni == NULL || office == NULL)
    return FALSE;

  for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
    total_weight += pfdo_demo_municipalities[i].weight;

  for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
    {
      const PfdoDemoMunicipality *ref = &pfdo_demo_municipalities[i];
      Municipality *m = &gen->municipalities[i];
      guint schools;

      make_id (gen, m->id);
      /* The demo puts most of its families in the capital, where the demo
       * operators work. */
      m->weight = ref->weight * (gen->scale == &scales[PFDO_DEMO_SCALE_DEMO] && i == 0 ? 6 : 1);
      m->nominal = ref->personified ? 2000000 + 100000 * (gint64) below (gen, 7) : 0;
      m->groups_certified = g_array_new (FALSE, FALSE, sizeof (guint));
      m->groups_budget = g_array_new (FALSE, FALSE, sizeof (guint));
      m->schools = g_ptr_array_new_with_free_func (g_free);

      sqlite3_bind_text (muni, 1, m->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (muni, 2, ref->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (muni, 3, ref->personified ? "personified" : "accounting_only", -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (muni, 4, m->nominal);
      if (!step_check (gen, muni, error))
        return FALSE;

      schools = gen->scale->schools_per_thousand ? MAX (3, ref->weight * 2) : 3;
      for (guint s = 0; s <= schools; s++)
        {
          char id[ID_LEN];
          g_autofree char *name = s == 0 ? g_strdup_printf ("МОЦ: %s", ref->name)
                                         : g_strdup_printf ("МБОУ СОШ № %u", s);
          g_autofree char *address = address_in (gen, i);
          g_autofree char *phone = landline (gen);

          make_id (gen, id);
          if (s == 0)
            memcpy (m->moc_id, id, ID_LEN);
          else
            g_ptr_array_add (m->schools, g_strdup (id));
          sqlite3_bind_text (office, 1, id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (office, 2, name, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (office, 3, s == 0 ? "moc" : "school", -1, SQLITE_STATIC);
          sqlite3_bind_text (office, 4, m->id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (office, 5, address, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (office, 6, phone, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (office, 7, s == 0 ? "пн–пт 9:00–18:00" : "пн–сб 8:00–17:00", -1,
                             SQLITE_STATIC);
          if (!step_check (gen, office, error))
            return FALSE;
        }
    }

  /* The children each municipality gets, in proportion to its weight. */
  {
    guint weight = 0, given = 0;

    for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
      weight += gen->municipalities[i].weight;
    for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
      {
        Municipality *m = &gen->municipalities[i];

        m->children_goal = (guint) ((guint64) gen->scale->children * m->weight / weight);
        given += m->children_goal;
      }
    gen->municipalities[0].children_goal += gen->scale->children - given;
  }

  return report (gen, "municipalities", pfdo_demo_n_municipalities, pfdo_demo_n_municipalities,
                 error);
}

static gboolean
generate_providers (Generator  *gen,
                    GError    **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (gen->store,
                                           "INSERT INTO provider (id, name, inn, kind, "
                                           "municipality_id, address, phone) "
                                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                           error);
  guint total_weight = 0;

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
    total_weight += gen->municipalities[i].weight;

  for (guint p = 0; p < gen->scale->providers; p++)
    {
      char id[ID_LEN];
      /* Every municipality has providers: the first ones go round them all. */
      guint m = p < pfdo_demo_n_municipalities ? p : weighted_municipality (gen, total_weight);
      guint pattern = below (gen, pfdo_demo_n_provider_names);
      const char *base = pfdo_demo_provider_names[pattern];
      g_autofree char *name = NULL;
      g_autofree char *inn = g_strdup_printf ("26%08u", below (gen, 100000000));
      g_autofree char *address = address_in (gen, m);
      g_autofree char *phone = landline (gen);
      const char *kind;

      if (g_str_equal (base, "ИП"))
        {
          const PfdoDemoMaleName *n = &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];

          name = g_strdup_printf ("ИП %s %s %s",
                                  pfdo_demo_surnames[below (gen, pfdo_demo_n_surnames)], n->name,
                                  pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)].patronymic_m);
          kind = "sole_proprietor";
        }
      else
        {
          name = g_strdup_printf ("%s № %u (%s)", base, between (gen, 1, 40),
                                  pfdo_demo_municipalities[m].centre);
          kind = g_str_has_prefix (base, "ООО") || g_str_has_prefix (base, "АНО") ||
                         g_str_has_prefix (base, "ЧУ")
                     ? "private"
                     : g_str_has_prefix (base, "ГБУ") ? "state" : "municipal";
        }

      make_id (gen, id);
      g_ptr_array_add (gen->provider_ids, g_strdup (id));
      g_array_append_val (gen->provider_municipality, m);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, inn, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, gen->municipalities[m].id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, address, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, phone, -1, SQLITE_TRANSIENT);
      if (!step_check (gen, stmt, error) ||
          !report (gen, "providers", p + 1, gen->scale->providers, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_group (Generator  *gen,
              Group      *group,
              guint       index,
              GError    **error)
{
  static const char *teachers_f[] = { "Анна Сергеевна", "Елена Викторовна", "Ольга Ивановна",
                                      "Марина Петровна", "Татьяна Юрьевна" };
  static const char *teachers_m[] = { "Игорь Николаевич", "Сергей Александрович",
                                      "Алексей Михайлович", "Дмитрий Олегович" };
  sqlite3_stmt *stmt = pfdo_store_prepare (gen->store,
                                           "INSERT INTO \"group\" (id, program_id, name, teacher, "
                                           "schedule, capacity, enrolled, starts_on, ends_on) "
                                           "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                                           error);
  g_autofree char *name = g_strdup_printf ("Группа %u", index + 1);
  g_autofree char *schedule = NULL;
  guint day1 = between (gen, 1, 5);
  guint day2 = day1 + between (gen, 1, 2);
  guint hour = between (gen, 14, 18);
  const char *teacher = chance (gen, 700) ? teachers_f[below (gen, G_N_ELEMENTS (teachers_f))]
                                          : teachers_m[below (gen, G_N_ELEMENTS (teachers_m))];

  if (stmt == NULL)
    return FALSE;

  schedule = g_strdup_printf ("[{\"weekday\": %u, \"start\": \"%02u:00\", \"end\": \"%02u:30\"}, "
                              "{\"weekday\": %u, \"start\": \"%02u:00\", \"end\": \"%02u:30\"}]",
                              day1, hour, hour + 1, day2, hour, hour + 1);
  sqlite3_bind_text (stmt, 1, group->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, group->program_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, teacher, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, schedule, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, group->capacity);
  sqlite3_bind_text (stmt, 7, group->autumn ? "2026-09-01" : "2027-01-11", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, "2027-05-31", -1, SQLITE_STATIC);
  return step_check (gen, stmt, error);
}

/* Draws one review; writes it when @stmt is given. */
static gboolean
write_review (Generator     *gen,
              sqlite3_stmt  *stmt,
              const char    *program_id,
              guint         *out_rating,
              GError       **error)
{
  char id[ID_LEN];
  char at[21];
  guint rating = chance (gen, 750) ? between (gen, 4, 5) : between (gen, 1, 3);
  const char *text = pfdo_demo_reviews[below (gen, pfdo_demo_n_reviews)];
  g_autofree char *author = g_strdup_printf (
    "%s %.2s.", pfdo_demo_female_names[below (gen, pfdo_demo_n_female_names)],
    pfdo_demo_surnames[below (gen, pfdo_demo_n_surnames)]);

  make_id (gen, id);
  random_timestamp (gen, at, 0);
  if (out_rating != NULL)
    *out_rating = rating;
  if (stmt == NULL)
    return TRUE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, program_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) rating);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, author, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, at, -1, SQLITE_TRANSIENT);
  return step_check (gen, stmt, error);
}

static gboolean
generate_programs (Generator  *gen,
                   GError    **error)
{
  static const char *levels[] = { "start", "base", "advanced" };
  static const char *forms[] = { "in_person", "in_person", "in_person", "blended", "distance" };
  sqlite3_stmt *program = pfdo_store_prepare (
    gen->store,
    "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, age_max, "
    "activity, level, form, funding, disability_friendly, description, hours_total, months, "
    "hour_price_kopecks, address, rating_avg, reviews_count, enrollment_open) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);
  sqlite3_stmt *review = pfdo_store_prepare (gen->store,
                                             "INSERT INTO review (id, program_id, rating, text, "
                                             "author, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                             error);
  guint reviews_left = gen->scale->reviews;

  if (program == NULL || review == NULL)
    return FALSE;

  for (guint p = 0; p < gen->scale->programs; p++)
    {
      const PfdoDemoDirection *dir = &pfdo_demo_directions[below (gen, pfdo_demo_n_directions)];
      guint n_titles = 0, n_activities = 0;
      guint provider = p < gen->provider_ids->len ? p : below (gen, gen->provider_ids->len);
      guint m = g_array_index (gen->provider_municipality, guint, provider);
      const char *funding;
      char id[ID_LEN];
      g_autofree char *title = NULL;
      g_autofree char *description = NULL;
      g_autofree char *address = address_in (gen, m);
      int age_min = (int) between (gen, 5, 12);
      int age_max = age_min + (int) between (gen, 3, 8);
      int hours = (int) (36 * between (gen, 1, 3));
      int months = chance (gen, 700) ? 9 : 8;
      gint64 hour_price = 0;
      guint n_reviews, n_groups, rating_sum = 0;
      guint64 saved_rng, saved_seq;
      gboolean open = chance (gen, 920);
      guint roll = below (gen, 100);

      age_max = MIN (age_max, 17);
      while (dir->titles[n_titles] != NULL)
        n_titles++;
      while (dir->activities[n_activities] != NULL)
        n_activities++;

      funding = roll < 55 ? "certified" : roll < 90 ? "budget" : "paid";
      if (!g_str_equal (funding, "budget"))
        hour_price = 6000 + 500 * (gint64) below (gen, 19);

      title = g_strconcat (dir->titles[below (gen, n_titles)],
                           pfdo_demo_title_levels[below (gen, pfdo_demo_n_title_levels)], NULL);
      description = g_strdup_printf ("Программа для детей %d–%d лет: %s. Занятия проходят в "
                                     "группах до 25 человек, %d часов за %d месяцев. "
                                     "Итог — выступление, выставка или соревнование.",
                                     age_min, age_max, dir->activities[below (gen, n_activities)],
                                     hours, months);
      make_id (gen, id);

      /* MIN() evaluates its arguments twice: draw first. */
      n_reviews = below (gen, 2 * gen->scale->reviews / gen->scale->programs + 1);
      n_reviews = p + 1 == gen->scale->programs ? reviews_left : MIN (reviews_left, n_reviews);
      reviews_left -= n_reviews;
      /* The rating is known before the program row is written: the reviews
       * are drawn once for it and drawn again, identically, to be written. */
      saved_rng = gen->rng;
      saved_seq = gen->id_seq;
      for (guint r = 0; r < n_reviews; r++)
        {
          guint rating;

          if (!write_review (gen, NULL, id, &rating, error))
            return FALSE;
          rating_sum += rating;
        }

      sqlite3_bind_text (program, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (program, 2, g_ptr_array_index (gen->provider_ids, provider), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (program, 3, gen->municipalities[m].id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (program, 4, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (program, 5, dir->direction, -1, SQLITE_STATIC);
      sqlite3_bind_int (program, 6, age_min);
      sqlite3_bind_int (program, 7, age_max);
      sqlite3_bind_text (program, 8, dir->activities[below (gen, n_activities)], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (program, 9, levels[below (gen, G_N_ELEMENTS (levels))], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (program, 10, forms[below (gen, G_N_ELEMENTS (forms))], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (program, 11, funding, -1, SQLITE_STATIC);
      sqlite3_bind_int (program, 12, chance (gen, 150));
      sqlite3_bind_text (program, 13, description, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (program, 14, hours);
      sqlite3_bind_int (program, 15, months);
      sqlite3_bind_int64 (program, 16, hour_price);
      sqlite3_bind_text (program, 17, address, -1, SQLITE_TRANSIENT);
      if (n_reviews > 0)
        sqlite3_bind_double (program, 18, (double) rating_sum / n_reviews);
      sqlite3_bind_int (program, 19, (int) n_reviews);
      sqlite3_bind_int (program, 20, open);
      if (!step_check (gen, program, error))
        return FALSE;

      gen->rng = saved_rng;
      gen->id_seq = saved_seq;
      for (guint r = 0; r < n_reviews; r++)
        if (!write_review (gen, review, id, NULL, error))
          return FALSE;

      n_groups = between (gen, 1, 4) - (chance (gen, 300) ? 1 : 0);
      n_groups = MAX (n_groups, 1);
      for (guint g = 0; g < n_groups; g++)
        {
          Group group = { 0 };
          guint index;

          make_id (gen, group.id);
          memcpy (group.program_id, id, ID_LEN);
          group.municipality = m;
          group.age_min = age_min;
          group.age_max = age_max;
          group.capacity = (int) between (gen, 12, 30);
          group.months = months;
          group.monthly = pfdo_program_monthly_kopecks (hour_price, hours, months);
          group.certified = g_str_equal (funding, "certified");
          group.open = open;
          group.autumn = chance (gen, 800);
          if (!insert_group (gen, &group, g, error))
            return FALSE;
          index = gen->groups->len;
          g_array_append_val (gen->groups, group);
          if (open && group.certified)
            g_array_append_val (gen->municipalities[m].groups_certified, index);
          else if (open && g_str_equal (funding, "budget"))
            g_array_append_val (gen->municipalities[m].groups_budget, index);
        }

      if (!report (gen, "programs", p + 1, gen->scale->programs, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  sqlite3_stmt *parent;
  sqlite3_stmt *child;
  sqlite3_stmt *certificate;
  sqlite3_stmt *enrollment;
  sqlite3_stmt *ledger;
  guint64       children_done;
  guint64       ledger_entries;
} FamilyStatements;

typedef struct
{
  char        id[ID_LEN];
  gboolean    female;
  const char *first_name;
  const char *middle_name;
  char        birth_date[11];
  char       *last_name;
  char       *snils;
  const char *document_type;
  char        series[16];
  char        number[8];
  const char *status;
  const char *reason;
} ChildDraft;

static gboolean
write_ledger (Generator        *gen,
              FamilyStatements *st,
              const char       *entry_id,
              const char       *certificate_id,
              const char       *kind,
              gint64            amount,
              const char       *enrollment_id,
              const char       *at,
              GError          **error)
{
  char generated[ID_LEN];

  if (entry_id == NULL)
    {
      make_id (gen, generated);
      entry_id = generated;
    }
  sqlite3_bind_text (st->ledger, 1, entry_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st->ledger, 2, certificate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st->ledger, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st->ledger, 4, amount);
  bind_text (st->ledger, 5, enrollment_id);
  sqlite3_bind_text (st->ledger, 6, at, -1, SQLITE_STATIC);
  st->ledger_entries++;
  return step_check (gen, st->ledger, error);
}

/* A derived id, as the core writes it for the same enrollment and event. */
static gboolean
write_derived (Generator        *gen,
               FamilyStatements *st,
               const char       *enrollment_id,
               const char       *what,
               const char       *certificate_id,
               const char       *kind,
               gint64            amount,
               const char       *at,
               GError          **error)
{
  g_autofree char *id = pfdo_ledger_derived_id (enrollment_id, what);

  return write_ledger (gen, st, id, certificate_id, kind, amount, enrollment_id, at, error);
}

/* Enrolls a child in up to @wanted groups of the municipality; a certified
 * group reserves its whole cost from @available. */
static gboolean
enroll (Generator        *gen,
        FamilyStatements *st,
        Municipality     *m,
        const ChildDraft *child,
        const char       *certificate_id,
        gboolean          personified,
        guint             wanted,
        gint64           *available,
        GError          **error)
{
  GArray *pool = personified ? m->groups_certified : m->groups_budget;
  GDate birth;

  if (pool->len == 0 || wanted == 0)
    return TRUE;

  g_date_clear (&birth, 1);
  pfdo_date_parse (child->birth_date, &birth, NULL);

  for (guint attempt = 0; attempt < wanted * 6 && wanted > 0; attempt++)
    {
      Group *group = &g_array_index (gen->groups, Group,
                                     g_array_index (pool, guint, below (gen, pool->len)));
      char enrollment_id[ID_LEN];
      char created_at[21];
      GDate start;
      gint64 cost = group->certified ? group->monthly * group->months : 0;
      gboolean cancelled;

      if (group->enrolled >= group->capacity)
        continue;
      g_date_clear (&start, 1);
      if (group->autumn)
        g_date_set_dmy (&start, 1, G_DATE_SEPTEMBER, 2026);
      else
        g_date_set_dmy (&start, 11, G_DATE_JANUARY, 2027);
      if (!pfdo_age_fits (&birth, &start, group->age_min, group->age_max))
        continue;
      if (group->certified && (cost <= 0 || cost > *available))
        continue;

      cancelled = chance (gen, 30);
      make_id (gen, enrollment_id);
      random_timestamp (gen, created_at, 11);
      sqlite3_bind_text (st->enrollment, 1, enrollment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (st->enrollment, 2, child->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (st->enrollment, 3, certificate_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (st->enrollment, 4, group->program_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (st->enrollment, 5, group->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (st->enrollment, 6, cancelled ? "cancelled" : "active", -1, SQLITE_STATIC);
      sqlite3_bind_int (st->enrollment, 7, group->months);
      sqlite3_bind_int64 (st->enrollment, 8, group->certified ? group->monthly : 0);
      sqlite3_bind_text (st->enrollment, 9, PERIOD, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->enrollment, 10, created_at, -1, SQLITE_TRANSIENT);
      if (!step_check (gen, st->enrollment, error))
        return FALSE;
      if (!cancelled)
        group->enrolled++;

      if (group->certified)
        {
          gint64 reserved = cost;

          if (!write_derived (gen, st, enrollment_id, "reserve", certificate_id, "reserve", cost,
                              "2026-08-25T10:00:00Z", error))
            return FALSE;
          *available -= cost;

          /* September and October were taught and charged. */
          if (group->autumn && !cancelled)
            {
              static const char *months[] = { "2026-09", "2026-10" };

              for (guint i = 0; i < G_N_ELEMENTS (months); i++)
                {
                  g_autofree char *release = g_strconcat ("release:", months[i], NULL);
                  g_autofree char *charge = g_strconcat ("charge:", months[i], NULL);
                  const char *at = i == 0 ? "2026-10-01T03:00:00Z" : "2026-11-01T03:00:00Z";

                  if (!write_derived (gen, st, enrollment_id, release, certificate_id, "release",
                                      group->monthly, at, error) ||
                      !write_derived (gen, st, enrollment_id, charge, certificate_id, "charge",
                                      group->monthly, at, error))
                    return FALSE;
                  reserved -= group->monthly;
                }

              /* A missed lesson now and then comes back as a refund. */
              if (chance (gen, 40))
                {
                  gint64 refund = group->monthly / 4;

                  if (refund > 0 &&
                      !write_derived (gen, st, enrollment_id, "refund:2026-10", certificate_id,
                                      "refund", refund, "2026-11-05T03:00:00Z", error))
                    return FALSE;
                  *available += refund;
                }
            }

          if (cancelled)
            {
              if (!write_derived (gen, st, enrollment_id, "cancel", certificate_id, "release",
                                  reserved, "2026-09-10T10:00:00Z", error))
                return FALSE;
              *available += reserved;
            }
        }

      if (--wanted == 0)
        break;
    }
  return TRUE;
}

static void
child_draft_clear (ChildDraft *draft)
{
  g_clear_pointer (&draft->last_name, g_free);
  g_clear_pointer (&draft->snils, g_free);
}

/* A unique valid SNILS: the sequence number spread over the checked range
 * by a multiplier prime to the range's size. */
static char *
next_snils (Generator *gen)
{
  guint64 n = 1002000 + (++gen->snils_seq * 387420489ull) % 998000000ull;
  char digits[12];

  g_snprintf (digits, 10, "%09" G_GUINT64_FORMAT, n);
  g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
  return pfdo_snils_format (digits);
}

static void
draw_child (Generator  *gen,
            ChildDraft *draft,
            const char *family_surname,
            const PfdoDemoMaleName *father,
            guint64     sequence)
{
  static const char *letters[] = { "ДН", "ГВ", "ЖЕ", "АГ", "ВО", "КБ", "МЮ", "ЕС" };
  static const char *romans[] = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII" };
  guint year = between (gen, 2009, 2020);
  guint month = between (gen, 1, 12);
  guint day = between (gen, 1, 28);
  int age;

  draft->female = chance (gen, 490);
  draft->first_name = draft->female
                          ? pfdo_demo_female_names[below (gen, pfdo_demo_n_female_names)]
                          : pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)].name;
  draft->middle_name = draft->female ? father->patronymic_f : father->patronymic_m;
  draft->last_name = pfdo_demo_surname_for (family_surname, draft->female);
  g_snprintf (draft->birth_date, sizeof draft->birth_date, "%04u-%02u-%02u", year, month, day);
  draft->snils = chance (gen, 960) ? next_snils (gen) : NULL;

  /* Age on the demo's today decides the document. */
  age = 2026 - (int) year - ((month > 11 || (month == 11 && day > 24)) ? 1 : 0);
  if (age >= 14)
    {
      draft->document_type = "passport";
      g_snprintf (draft->series, sizeof draft->series, "07 %02u", between (gen, 10, 24));
    }
  else
    {
      draft->document_type = "birth_certificate";
      g_snprintf (draft->series, sizeof draft->series, "%s-%s",
                  romans[below (gen, G_N_ELEMENTS (romans))],
                  letters[below (gen, G_N_ELEMENTS (letters))]);
    }
  g_snprintf (draft->number, sizeof draft->number, "%06u",
              (guint) ((sequence * 7919u + below (gen, 7919)) % 1000000u));

  make_id (gen, draft->id);
}

static gboolean
insert_child (Generator        *gen,
              FamilyStatements *st,
              const ChildDraft *draft,
              const char       *parent_id,
              Municipality     *m,
              const char       *address,
              const char       *created_at,
              GError          **error)
{
  sqlite3_stmt *stmt = st->child;
  gboolean decided = !g_str_equal (draft->status, "unverified");

  sqlite3_bind_text (stmt, 1, draft->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, parent_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, draft->last_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, draft->first_name, -1, SQLITE_STATIC);
  bind_text (stmt, 5, draft->middle_name);
  sqlite3_bind_text (stmt, 6, draft->birth_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, draft->female ? "f" : "m", -1, SQLITE_STATIC);
  bind_text (stmt, 8, draft->snils);
  sqlite3_bind_text (stmt, 9, draft->document_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, draft->series, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, draft->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, m->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, draft->status, -1, SQLITE_STATIC);
  if (decided)
    {
      sqlite3_bind_text (stmt, 15, "2026-09-15T10:00:00Z", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 16, m->moc_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 17,
                         g_str_equal (draft->status, "verified")
                             ? "[\"birth_certificate\", \"snils\", \"parent_passport\"]"
                             : "[\"birth_certificate\"]",
                         -1, SQLITE_STATIC);
    }
  bind_text (stmt, 18, draft->reason);
  sqlite3_bind_text (stmt, 19, created_at, -1, SQLITE_TRANSIENT);
  return step_check (gen, stmt, error);
}

static gboolean
insert_certificate (Generator        *gen,
                    FamilyStatements *st,
                    Municipality     *m,
                    guint             municipality_index,
                    const ChildDraft *child,
                    char              out_id[ID_LEN],
                    const char       *status,
                    const char       *frozen_from,
                    const char       *created_at,
                    GError          **error)
{
  sqlite3_stmt *stmt = st->certificate;
  g_autofree char *number = g_strdup_printf ("26%02u%06u", municipality_index + 1, ++m->numbers);
  gboolean closed = g_str_equal (status, "closed");

  make_id (gen, out_id);
  sqlite3_bind_text (stmt, 1, out_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, child->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, m->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, created_at, -1, SQLITE_TRANSIENT);
  if (!g_str_equal (status, "issued"))
    sqlite3_bind_text (stmt, 7, "2026-09-15T10:05:00Z", -1, SQLITE_STATIC);
  if (closed)
    {
      sqlite3_bind_text (stmt, 8, "2026-10-20T12:00:00Z", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, "Семья переехала в другой регион", -1, SQLITE_STATIC);
    }
  bind_text (stmt, 10, frozen_from);
  return step_check (gen, stmt, error);
}

/* Decides what becomes of a registered child: verification, certificate,
 * its status, enrollments and ledger. */
static gboolean
settle_child (Generator        *gen,
              FamilyStatements *st,
              guint             municipality_index,
              ChildDraft       *child,
              const char       *created_at,
              GError          **error)
{
  Municipality *m = &gen->municipalities[municipality_index];
  const PfdoDemoMunicipality *ref = &pfdo_demo_municipalities[municipality_index];
  char certificate_id[ID_LEN];
  const char *status;
  const char *frozen_from = NULL;
  gboolean personified = FALSE;
  gint64 available;
  guint roll;

  if (!chance (gen, 955))
    return TRUE; /* registered, no certificate yet */

  if (!g_str_equal (child->status, "verified"))
    return insert_certificate (gen, st, m, municipality_index, child, certificate_id, "issued",
                               NULL, created_at, error);

  roll = below (gen, 1000);
  if (roll < 40)
    status = "issued"; /* confirmed, not yet activated */
  else if (roll < 50)
    status = "closed";
  else if (ref->personified && m->pf_issued < m->pf_quota && roll < 880)
    {
      personified = TRUE;
      status = roll < 865 ? "personified" : "frozen";
      frozen_from = roll < 865 ? NULL : "personified";
    }
  else
    {
      status = roll < 990 ? "accounting" : "frozen";
      frozen_from = roll < 990 ? NULL : "accounting";
    }

  if (!insert_certificate (gen, st, m, municipality_index, child, certificate_id, status,
                           frozen_from, created_at, error))
    return FALSE;

  if (personified)
    {
      m->pf_issued++;
      if (!write_ledger (gen, st, NULL, certificate_id, "grant", m->nominal, NULL,
                         "2026-09-01T00:00:00Z", error))
        return FALSE;
    }

  /* Frozen certificates were frozen before anyone enrolled. */
  if (frozen_from != NULL || g_str_equal (status, "closed") || g_str_equal (status, "issued"))
    return TRUE;

  available = personified ? m->nominal : 0;
  roll = below (gen, 100);
  return enroll (gen, st, m, child, certificate_id, personified,
                 personified ? (roll < 10 ? 0 : roll < 45 ? 1 : roll < 85 ? 2 : 3)
                             : (roll < 40 ? 0 : roll < 85 ? 1 : 2),
                 &available, error);
}

/* Replaces every ё with е: the spelling a hurried clerk types. */
static char *
without_yo (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, c == 0x0451 ? 0x0435 : c == 0x0401 ? 0x0415 : c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
insert_parent (Generator        *gen,
               FamilyStatements *st,
               const char       *id,
               const char       *last_name,
               const char       *first_name,
               const char       *middle_name,
               Municipality     *m,
               const char       *created_at,
               GError          **error)
{
  g_autofree char *phone = random_phone (gen);
  g_autofree char *email = chance (gen, 400) ? g_strdup_printf ("parent%u@mail.ru",
                                                                  below (gen, 10000000))
                                             : NULL;

  sqlite3_bind_text (st->parent, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st->parent, 2, last_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st->parent, 3, first_name, -1, SQLITE_STATIC);
  bind_text (st->parent, 4, middle_name);
  sqlite3_bind_text (st->parent, 5, phone, -1, SQLITE_TRANSIENT);
  bind_text (st->parent, 6, email);
  sqlite3_bind_text (st->parent, 7, m->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st->parent, 8, created_at, -1, SQLITE_TRANSIENT);
  return step_check (gen, st->parent, error);
}

/* The real-life problem of DOMAIN.md: the same child filed again by the
 * other parent, with the surname typed without ё and one digit of the
 * document number changed. Left unverified, for a clerk to catch. */
static gboolean
file_twin (Generator        *gen,
           FamilyStatements *st,
           Municipality     *m,
           const ChildDraft *original,
           GError          **error)
{
  ChildDraft twin = *original;
  char parent_id[ID_LEN];
  char created_at[21];
  const PfdoDemoMaleName *father = &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];
  g_autofree char *father_surname = NULL;
  g_autofree char *address = address_in (gen, (guint) (m - gen->municipalities));
  guint digit = below (gen, 6);
  gboolean ok;

  make_id (gen, parent_id);
  random_timestamp (gen, created_at, 12);
  father_surname = pfdo_demo_surname_for (original->last_name, FALSE);
  if (!insert_parent (gen, st, parent_id, father_surname, father->name,
                      pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)].patronymic_m, m,
                      created_at, error))
    return FALSE;

  make_id (gen, twin.id);
  twin.last_name = without_yo (original->last_name);
  twin.snils = NULL;
  twin.number[digit] = (char) ('0' + (twin.number[digit] - '0' + 1) % 10);
  twin.status = "unverified";
  twin.reason = NULL;
  ok = insert_child (gen, st, &twin, parent_id, m, address, created_at, error);
  g_free (twin.last_name);
  m->children++;
  st->children_done++;
  return ok;
}

static gboolean
generate_families (Generator  *gen,
                   GError    **error)
{
  FamilyStatements st = { 0 };
  guint64 total = gen->scale->children;

  st.parent = pfdo_store_prepare (gen->store,
                                  "INSERT INTO parent (id, last_name, first_name, middle_name, "
                                  "phone, email, municipality_id, created_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                  error);
  st.child = pfdo_store_prepare (gen->store,
                                 "INSERT INTO child (id, parent_id, last_name, first_name, "
                                 "middle_name, birth_date, sex, snils, document_type, "
                                 "document_series, document_number, address, municipality_id, "
                                 "verification_status, verification_decided_at, "
                                 "verification_office_id, verification_documents, "
                                 "verification_reason, created_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 error);
  st.certificate = pfdo_store_prepare (gen->store,
                                       "INSERT INTO certificate (id, number, child_id, "
                                       "municipality_id, status, issued_at, activated_at, "
                                       "closed_at, close_reason, frozen_from) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       error);
  st.enrollment = pfdo_store_prepare (gen->store,
                                      "INSERT INTO enrollment (id, child_id, certificate_id, "
                                      "program_id, group_id, status, months, monthly_kopecks, "
                                      "period, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                      error);
  st.ledger = pfdo_store_prepare (gen->store,
                                  "INSERT INTO ledger_entry (id, certificate_id, period, kind, "
                                  "amount_kopecks, enrollment_id, created_at) "
                                  "VALUES (?, ?, '" PERIOD "', ?, ?, ?, ?)",
                                  error);
  if (st.parent == NULL || st.child == NULL || st.certificate == NULL || st.enrollment == NULL ||
      st.ledger == NULL)
    return FALSE;

  for (guint mi = 0; mi < pfdo_demo_n_municipalities; mi++)
    {
      Municipality *m = &gen->municipalities[mi];

      /* Room for most, not all: the quota is a real limit. */
      m->pf_quota = pfdo_demo_municipalities[mi].personified ? m->children_goal * 9 / 10 : 0;

      while (m->children < m->children_goal)
        {
          char parent_id[ID_LEN];
          char created_at[21];
          const char *surname = pfdo_demo_surnames[below (gen, pfdo_demo_n_surnames)];
          const PfdoDemoMaleName *father =
            &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];
          gboolean mother = chance (gen, 820);
          g_autofree char *parent_surname = pfdo_demo_surname_for (surname, mother);
          g_autofree char *address = address_in (gen, mi);
          guint roll = below (gen, 100);
          guint n_children = roll < 68 ? 1 : roll < 92 ? 2 : 3;

          const PfdoDemoMaleName *grandfather =
            &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];

          make_id (gen, parent_id);
          random_timestamp (gen, created_at, 0);
          if (!insert_parent (gen, &st, parent_id, parent_surname,
                              mother ? pfdo_demo_female_names[below (gen,
                                                                     pfdo_demo_n_female_names)]
                                     : father->name,
                              mother ? grandfather->patronymic_f : grandfather->patronymic_m, m,
                              created_at, error))
            return FALSE;

          for (guint c = 0; c < n_children && m->children < m->children_goal; c++)
            {
              ChildDraft child = { { 0 } };
              guint verdict = below (gen, 1000);
              gboolean ok;

              draw_child (gen, &child, surname, father, st.children_done);
              child.status = verdict < 800 ? "verified" : verdict < 940 ? "unverified" : "rejected";
              child.reason = verdict >= 940 ? pfdo_demo_reject_reasons[below (
                                                gen, pfdo_demo_n_reject_reasons)]
                                            : NULL;
              ok = insert_child (gen, &st, &child, parent_id, m, address, created_at, error) &&
                   settle_child (gen, &st, mi, &child, created_at, error);
              m->children++;
              st.children_done++;
              if (ok && chance (gen, 4) && m->children < m->children_goal)
                ok = file_twin (gen, &st, m, &child, error);
              child_draft_clear (&child);
              if (!ok || !report (gen, "children", MIN (st.children_done, total), total, error))
                return FALSE;
            }
        }
    }

  /* The counters the municipality and the groups keep. */
  {
    sqlite3_stmt *muni = pfdo_store_prepare (gen->store,
                                             "UPDATE municipality SET pf_quota = ?, pf_issued = ? "
                                             "WHERE id = ?",
                                             error);
    sqlite3_stmt *group = pfdo_store_prepare (gen->store,
                                              "UPDATE \"group\" SET enrolled = ? WHERE id = ?",
                                              error);

    if (muni == NULL || group == NULL)
      return FALSE;
    for (guint mi = 0; mi < pfdo_demo_n_municipalities; mi++)
      {
        Municipality *m = &gen->municipalities[mi];

        sqlite3_bind_int (muni, 1, (int) m->pf_quota);
        sqlite3_bind_int (muni, 2, (int) m->pf_issued);
        sqlite3_bind_text (muni, 3, m->id, -1, SQLITE_TRANSIENT);
        if (!step_check (gen, muni, error))
          return FALSE;
      }
    for (guint g = 0; g < gen->groups->len; g++)
      {
        Group *gr = &g_array_index (gen->groups, Group, g);

        if (gr->enrolled == 0)
          continue;
        sqlite3_bind_int (group, 1, gr->enrolled);
        sqlite3_bind_text (group, 2, gr->id, -1, SQLITE_TRANSIENT);
        if (!step_check (gen, group, error))
          return FALSE;
      }
  }

  g_debug ("%" G_GUINT64_FORMAT " ledger entries", st.ledger_entries);
  return TRUE;
}

static gboolean
generate_desk (Generator  *gen,
               GError    **error)
{
  static const struct
  {
    const char *login;
    const char *full_name;
    const char *role;
  } operators[] = {
    { "ivanova", "Иванова Мария Петровна", "moc_clerk" },
    { "petrov", "Петров Андрей Николаевич", "moc_admin" },
    { "sidorova", "Сидорова Елена Викторовна", "school_staff" },
  };
  Municipality *capital = &gen->municipalities[0];
  sqlite3_stmt *op = pfdo_store_prepare (gen->store,
                                         "INSERT INTO operator (id, login, full_name, role, "
                                         "municipality_id, office_id, created_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?, '2026-08-20T09:00:00Z')",
                                         error);
  sqlite3_stmt *block = pfdo_store_prepare (gen->store,
                                            "INSERT INTO number_block (id, device_id, first, last, "
                                            "used, leased_at) VALUES (?, ?, '2699000001', "
                                            "'2699001000', 0, '2026-11-20T09:00:00Z')",
                                            error);
  char id[ID_LEN];

  if (op == NULL || block == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    {
      make_id (gen, id);
      sqlite3_bind_text (op, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (op, 2, operators[i].login, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 3, operators[i].full_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 4, operators[i].role, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 5, capital->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (op, 6,
                         g_str_equal (operators[i].role, "school_staff")
                             ? g_ptr_array_index (capital->schools, 0)
                             : capital->moc_id,
                         -1, SQLITE_TRANSIENT);
      if (!step_check (gen, op, error))
        return FALSE;
    }

  /* One clerk for every other municipality. */
  for (guint mi = 1; mi < pfdo_demo_n_municipalities; mi++)
    {
      g_autofree char *login = g_strdup_printf ("clerk-%02u", mi + 1);
      g_autofree char *full_name = g_strdup_printf ("Специалист МОЦ № %u", mi + 1);

      make_id (gen, id);
      sqlite3_bind_text (op, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (op, 2, login, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (op, 3, full_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (op, 4, "moc_clerk", -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 5, gen->municipalities[mi].id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (op, 6, gen->municipalities[mi].moc_id, -1, SQLITE_TRANSIENT);
      if (!step_check (gen, op, error))
        return FALSE;
    }

  make_id (gen, id);
  sqlite3_bind_text (block, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (block, 2, pfdo_store_get_device_id (gen->store), -1, SQLITE_TRANSIENT);
  if (!step_check (gen, block, error))
    return FALSE;

  return pfdo_store_set_setting (gen->store, "municipality_id", capital->id, error) &&
         pfdo_store_set_setting (gen->store, "region", "26", error);
}

static gboolean
generate_cb (PfdoStore *store,
             gpointer   user_data,
             GError   **error)
{
  Generator *gen = user_data;
  gint64 children = pfdo_store_query_int (store, "SELECT count(*) FROM child", NULL, error);

  if (children < 0)
    return FALSE;
  if (children > 0 ||
      pfdo_store_query_int (store, "SELECT count(*) FROM municipality", NULL, NULL) > 0)
    {
      g_set_error_literal (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                           _("The store already holds a region; a demo region is created only in "
                             "an empty store."));
      return FALSE;
    }

  return generate_municipalities (gen, error) && generate_providers (gen, error) &&
         generate_programs (gen, error) && generate_families (gen, error) &&
         generate_desk (gen, error);
}

gboolean
pfdo_demo_scale_from_string (const char    *name,
                             PfdoDemoScale *out_scale)
{
  g_return_val_if_fail (out_scale != NULL, FALSE);

  if (g_strcmp0 (name, "demo") == 0)
    *out_scale = PFDO_DEMO_SCALE_DEMO;
  else if (g_strcmp0 (name, "region") == 0)
    *out_scale = PFDO_DEMO_SCALE_REGION;
  else
    return FALSE;
  return TRUE;
}

/**
 * pfdo_demo_region_generate:
 * @store: an empty store
 * @scale: demo (about 2 000 children) or the full region
 * @seed: the same seed gives the same region
 * @progress: (nullable): called now and then with the phase and its progress
 * @cancellable: (nullable): stops the work; nothing is written then
 *
 * Fills an empty store with a demo region of Stavropol krai in one
 * transaction.
 */
gboolean
pfdo_demo_region_generate (PfdoStore             *store,
                           PfdoDemoScale          scale,
                           guint64                seed,
                           PfdoDemoProgressFunc   progress,
                           gpointer               user_data,
                           GCancellable          *cancellable,
                           GError               **error)
{
  Generator gen = { 0 };
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (scale <= PFDO_DEMO_SCALE_REGION, FALSE);

  gen.store = store;
  gen.db = pfdo_store_get_db (store);
  gen.rng = seed * 0x2545f4914f6cdd1dull + 1;
  gen.scale = &scales[scale];
  gen.progress = progress;
  gen.user_data = user_data;
  gen.cancellable = cancellable;
  gen.municipalities = g_new0 (Municipality, pfdo_demo_n_municipalities);
  gen.groups = g_array_new (FALSE, FALSE, sizeof (Group));
  gen.provider_ids = g_ptr_array_new_with_free_func (g_free);
  gen.provider_municipality = g_array_new (FALSE, FALSE, sizeof (guint));

  /* One big transaction: a larger cache helps, and the write-ahead log is
   * synced once at the commit either way. */
  pfdo_store_exec (store, "PRAGMA cache_size = -262144", NULL);
  ok = pfdo_store_write (store, generate_cb, &gen, error);
  pfdo_store_exec (store, "PRAGMA cache_size = -16384", NULL);
  if (ok)
    pfdo_store_exec (store, "PRAGMA optimize", NULL);

  for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
    {
      g_clear_pointer (&gen.municipalities[i].groups_certified, g_array_unref);
      g_clear_pointer (&gen.municipalities[i].groups_budget, g_array_unref);
      g_clear_pointer (&gen.municipalities[i].schools, g_ptr_array_unref);
    }
  g_free (gen.municipalities);
  g_array_unref (gen.groups);
  g_ptr_array_unref (gen.provider_ids);
  g_array_unref (gen.provider_municipality);
  return ok;
}
