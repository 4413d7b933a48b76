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
#include "pfdo-validate.h"

/*
 * A whole region as the regional server would send it: municipalities with
 * their МОЦ and schools, providers, programs, groups, reviews, families,
 * certificates, enrollments and the ledger, all consistent with the rules
 * the core enforces (pfdo-check finds nothing). Everything comes from one
 * seeded generator, so a seed always gives the same region, and it is
 * written in one transaction: a failed or cancelled seed leaves nothing.
 */

#define PERIOD        "2026/27"
#define ID_LEN        37
#define PROGRESS_STEP 20000

/* The demo's calendar, in days from 1 September 2025: everything happens
 * between then and its "today", 24 November 2026, so a seed gives the same
 * region whenever it runs, and every record's dates follow one another. */
#define DAY_AUGUST_1    334
#define DAY_PERIOD      365   /* 2026-09-01, the start of the period */
#define DAY_NOVEMBER_10 435
#define DAY_TODAY       449   /* 2026-11-24 */
#define N_DAYS          (DAY_TODAY + 1)

typedef struct
{
  guint providers;
  guint programs;
  guint reviews;
  guint children;
  gboolean demo;             /* families in a few municipalities only */
} Scale;

static const Scale scales[] = {
  [PFDO_DEMO_SCALE_DEMO] = { 40, 300, 1800, 2000, TRUE },
  [PFDO_DEMO_SCALE_REGION] = { 2500, 25000, 150000, 420000, FALSE },
};

/* Where the demo scale puts its families: the capital, where the demo's
 * operators work, a personified district and an accounting-only one. */
static const struct
{
  const char *name;
  guint       weight;
} demo_populated[] = {
  { "город Ставрополь", 60 },
  { "Шпаковский муниципальный округ", 25 },
  { "Минераловодский муниципальный округ", 15 },
};

typedef enum
{
  GROUP_AUTUMN,              /* 1 September 2026 to 31 May 2027 */
  GROUP_WINTER,              /* 11 January 2027 to 31 May 2027 */
  GROUP_SHORT,               /* an autumn intensive, September and October */
} GroupKind;

typedef struct
{
  char      id[ID_LEN];
  char      program_id[ID_LEN];
  GroupKind kind;
  int       age_min;
  int       age_max;
  int       capacity;
  int       enrolled;        /* requested and active: what the group counts */
  int       taken;           /* finished ones too: the places that were used */
  gint64    monthly;
  int       months;
  gboolean  certified;
} Group;

typedef struct
{
  char       id[ID_LEN];
  char       moc_id[ID_LEN];
  char       clerk_id[ID_LEN];
  guint      weight;
  guint      children_goal;
  guint      children;
  guint      pf_issued;
  guint      pf_quota;
  guint      numbers;
  gint64     nominal;
  GArray    *providers;      /* indices into the generator's providers */
  GArray    *pools[2][2];    /* open groups by [certified][short] */
} Municipality;

typedef struct
{
  char  date[11];
  guint8 age_september;      /* on 2026-09-01 */
  guint8 age_january;        /* on 2027-01-11 */
  guint8 age_today;
} Birthday;

typedef struct
{
  PfdoStore            *store;
  guint64               rng;
  guint64               id_seq;
  guint64               snils_seq;
  guint64               ticks;
  const Scale          *scale;
  PfdoDemoProgressFunc  progress;
  gpointer              user_data;
  GCancellable         *cancellable;
  Municipality         *municipalities;
  guint                 total_weight;
  GArray               *groups;
  GPtrArray            *provider_ids;
  GArray               *provider_municipality;
  char                  days[N_DAYS][11];
  GArray               *birthdays;
  char                  ivanova_id[ID_LEN];
  char                  petrov_id[ID_LEN];
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
  return hi > lo ? lo + below (gen, hi - lo + 1) : lo;
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

/* A name-based id (version 5 layout): the same municipality has the same
 * id whatever the seed, so a desk and a server seeded apart agree on it. */
static void
make_name_id (const char *kind,
              const char *name,
              char        out[ID_LEN])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 d[20];
  gsize len = sizeof d;

  g_checksum_update (checksum, (const guchar *) "pfdo-demo\n", -1);
  g_checksum_update (checksum, (const guchar *) kind, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) name, -1);
  g_checksum_get_digest (checksum, d, &len);
  d[6] = (d[6] & 0x0f) | 0x50;
  d[8] = (d[8] & 0x3f) | 0x80;
  g_snprintf (out, ID_LEN, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
              d[13], d[14], d[15]);
}

static void
init_calendar (Generator *gen)
{
  GDate day, today, september, january;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, G_DATE_SEPTEMBER, 2025);
  for (guint i = 0; i < N_DAYS; i++)
    {
      g_snprintf (gen->days[i], sizeof gen->days[i], "%04u-%02u-%02u", g_date_get_year (&day),
                  g_date_get_month (&day), g_date_get_day (&day));
      g_date_add_days (&day, 1);
    }

  /* Every birthday of a child aged 5 to 17 today, youngest first. */
  g_date_clear (&today, 1);
  g_date_clear (&september, 1);
  g_date_clear (&january, 1);
  g_date_set_dmy (&today, 24, G_DATE_NOVEMBER, 2026);
  g_date_set_dmy (&september, 1, G_DATE_SEPTEMBER, 2026);
  g_date_set_dmy (&january, 11, G_DATE_JANUARY, 2027);
  day = today;
  g_date_subtract_years (&day, 5);
  gen->birthdays = g_array_new (FALSE, FALSE, sizeof (Birthday));
  while (pfdo_age_on (&day, &today) <= 17)
    {
      Birthday b;

      g_snprintf (b.date, sizeof b.date, "%04u-%02u-%02u", g_date_get_year (&day),
                  g_date_get_month (&day), g_date_get_day (&day));
      b.age_september = (guint8) MAX (pfdo_age_on (&day, &september), 0);
      b.age_january = (guint8) pfdo_age_on (&day, &january);
      b.age_today = (guint8) pfdo_age_on (&day, &today);
      g_array_append_val (gen->birthdays, b);
      g_date_subtract_days (&day, 1);
    }
}

/* A moment of a working day, 9:00 to 18:59 local time (UTC+3). */
static void
stamp (Generator *gen,
       guint      day,
       char       out[21])
{
  g_snprintf (out, 21, "%sT%02u:%02u:%02uZ", gen->days[MIN (day, DAY_TODAY)],
              between (gen, 6, 15), below (gen, 60), below (gen, 60));
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

/* Binds text that lives until the statement is stepped. */
static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

/* Tells the caller how far a phase got, now and then, and stops when asked. */
static gboolean
report (Generator  *gen,
        const char *phase,
        guint64     done,
        guint64     total,
        GError    **error)
{
  if ((++gen->ticks & 1023) == 0 &&
      g_cancellable_set_error_if_cancelled (gen->cancellable, error))
    return FALSE;
  if (gen->progress != NULL && (done % PROGRESS_STEP == 0 || done == total))
    gen->progress (phase, done, total, gen->user_data);
  return TRUE;
}

static char *
random_phone (Generator *gen)
{
  static const char *codes[] = { "918", "928", "961", "962", "905", "906", "988", "909" };
  const char *code = codes[below (gen, G_N_ELEMENTS (codes))];

  return g_strdup_printf ("+7%s%07u", code, below (gen, 10000000));
}

static char *
landline (Generator *gen)
{
  guint a = between (gen, 20, 99);
  guint b = below (gen, 100);

  return g_strdup_printf ("8 (8652) %02u-%02u-%02u", a, b, below (gen, 100));
}

static char *
address_in (Generator  *gen,
            guint       municipality)
{
  const char *street = pfdo_demo_streets[below (gen, pfdo_demo_n_streets)];

  return g_strdup_printf ("%s, %s, %u", pfdo_demo_municipalities[municipality].centre, street,
                          between (gen, 1, 180));
}

/* A full name for staff: Иванова Мария Петровна. */
static char *
staff_name (Generator *gen)
{
  const char *surname = pfdo_demo_surnames[below (gen, pfdo_demo_n_surnames)];
  const PfdoDemoMaleName *father = &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];
  g_autofree char *last = NULL;

  if (chance (gen, 800))
    {
      const char *first = pfdo_demo_female_names[below (gen, pfdo_demo_n_female_names)];

      last = pfdo_demo_surname_for (surname, TRUE);
      return g_strdup_printf ("%s %s %s", last, first, father->patronymic_f);
    }
  return g_strdup_printf ("%s %s %s", surname,
                          pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)].name,
                          father->patronymic_m);
}

/* A municipality chosen in proportion to its children. */
static guint
weighted_municipality (Generator *gen)
{
  guint pick = below (gen, gen->total_weight);

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
  sqlite3_stmt *muni = pfdo_store_prepare (
    gen->store,
    "INSERT INTO municipality (id, name, mode, period_start, period_end, nominal_kopecks) "
    "VALUES (?, ?, ?, '2026-09-01', '2027-08-31', ?)",
    error);
  sqlite3_stmt *office = pfdo_store_prepare (
    gen->store,
    "INSERT INTO office (id, name, kind, municipality_id, address, phone, hours) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    error);

  if (muni == NULL || office == NULL)
    return FALSE;

  for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
    {
      const PfdoDemoMunicipality *ref = &pfdo_demo_municipalities[i];
      Municipality *m = &gen->municipalities[i];
      guint schools, kindergartens;

      make_name_id ("municipality", ref->name, m->id);
      m->weight = ref->weight;
      if (gen->scale->demo)
        {
          m->weight = 0;
          for (guint d = 0; d < G_N_ELEMENTS (demo_populated); d++)
            if (g_str_equal (demo_populated[d].name, ref->name))
              m->weight = demo_populated[d].weight;
        }
      gen->total_weight += m->weight;
      /* Nominals of 20 000 to 26 000 rubles a year. */
      m->nominal = ref->personified ? 2000000 + 100000 * (gint64) below (gen, 7) : 0;
      m->providers = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint a = 0; a < 2; a++)
        for (guint b = 0; b < 2; b++)
          m->pools[a][b] = g_array_new (FALSE, FALSE, sizeof (guint));

      sqlite3_bind_text (muni, 1, m->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (muni, 2, ref->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (muni, 3, ref->personified ? "personified" : "accounting_only", -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (muni, 4, m->nominal);
      if (!step_check (gen, muni, error))
        return FALSE;

      schools = gen->scale->demo ? (i == 0 ? 8 : 3) : MAX (3, ref->weight * 2);
      kindergartens = MAX (1, schools / 4);
      for (guint s = 0; s <= schools + kindergartens; s++)
        {
          char id[ID_LEN];
          gboolean kindergarten = s > schools;
          g_autofree char *name = NULL;
          g_autofree char *address = address_in (gen, i);
          g_autofree char *phone = landline (gen);

          if (s == 0)
            name = g_strdup_printf ("МОЦ дополнительного образования: %s", ref->name);
          else if (kindergarten)
            name = g_strdup_printf ("МБДОУ детский сад № %u, %s", s - schools, ref->centre);
          else
            name = g_strdup_printf ("МБОУ СОШ № %u, %s", s, ref->centre);

          make_id (gen, id);
          if (s == 0)
            memcpy (m->moc_id, id, ID_LEN);
          sqlite3_bind_text (office, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_text (office, 2, name, -1, SQLITE_STATIC);
          sqlite3_bind_text (office, 3, s == 0 ? "moc" : kindergarten ? "kindergarten" : "school",
                             -1, SQLITE_STATIC);
          sqlite3_bind_text (office, 4, m->id, -1, SQLITE_STATIC);
          sqlite3_bind_text (office, 5, address, -1, SQLITE_STATIC);
          sqlite3_bind_text (office, 6, phone, -1, SQLITE_STATIC);
          sqlite3_bind_text (office, 7, s == 0 ? "пн–пт 9:00–18:00" : "пн–пт 8:00–17:00", -1,
                             SQLITE_STATIC);
          if (!step_check (gen, office, error))
            return FALSE;
        }
    }

  /* The children each municipality gets, in proportion to its weight; the
   * rounding goes to the capital. */
  {
    guint given = 0;

    for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
      {
        Municipality *m = &gen->municipalities[i];

        m->children_goal = (guint) ((guint64) gen->scale->children * m->weight / gen->total_weight);
        given += m->children_goal;
      }
    gen->municipalities[0].children_goal += gen->scale->children - given;
  }

  return report (gen, "municipalities", pfdo_demo_n_municipalities, pfdo_demo_n_municipalities,
                 error);
}

/* The operators: the three of the desk in the capital's МОЦ, and a clerk
 * for every other МОЦ, who decided that municipality's verifications. */
static gboolean
generate_operators (Generator  *gen,
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
                                         "VALUES (?, ?, ?, ?, ?, ?, '2025-08-20T09:00:00Z')",
                                         error);

  if (op == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    {
      char id[ID_LEN];

      make_id (gen, id);
      if (i == 0)
        memcpy (gen->ivanova_id, id, ID_LEN);
      else if (i == 1)
        memcpy (gen->petrov_id, id, ID_LEN);
      sqlite3_bind_text (op, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 2, operators[i].login, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 3, operators[i].full_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 4, operators[i].role, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 5, capital->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 6, capital->moc_id, -1, SQLITE_STATIC);
      if (!step_check (gen, op, error))
        return FALSE;
    }
  memcpy (capital->clerk_id, gen->ivanova_id, ID_LEN);

  for (guint mi = 1; mi < pfdo_demo_n_municipalities; mi++)
    {
      Municipality *m = &gen->municipalities[mi];
      g_autofree char *login = g_strdup_printf ("moc-%02u", mi + 1);
      g_autofree char *full_name = staff_name (gen);

      make_id (gen, m->clerk_id);
      sqlite3_bind_text (op, 1, m->clerk_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 2, login, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 3, full_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 4, "moc_clerk", -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 5, m->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (op, 6, m->moc_id, -1, SQLITE_STATIC);
      if (!step_check (gen, op, error))
        return FALSE;
    }
  return TRUE;
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

  if (stmt == NULL)
    return FALSE;

  for (guint p = 0; p < gen->scale->providers; p++)
    {
      char id[ID_LEN];
      /* Every municipality has providers: the first ones go round them all. */
      guint m = p < pfdo_demo_n_municipalities ? p : weighted_municipality (gen);
      const char *base = pfdo_demo_provider_names[below (gen, pfdo_demo_n_provider_names)];
      g_autofree char *name = NULL;
      g_autofree char *inn = g_strdup_printf ("26%08u", below (gen, 100000000));
      g_autofree char *address = address_in (gen, m);
      g_autofree char *phone = landline (gen);
      const char *kind;

      if (g_str_equal (base, "ИП"))
        {
          const char *surname = pfdo_demo_surnames[below (gen, pfdo_demo_n_surnames)];
          const char *first = pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)].name;
          const PfdoDemoMaleName *grandfather =
            &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];
          const char *middle = grandfather->patronymic_m;

          name = g_strdup_printf ("ИП %s %s %s", surname, first, middle);
          kind = "sole_proprietor";
        }
      else
        {
          guint number = between (gen, 1, 40);

          name = g_strdup_printf ("%s № %u (%s)", base, number, pfdo_demo_municipalities[m].centre);
          kind = g_str_has_prefix (base, "ООО") || g_str_has_prefix (base, "АНО") ||
                         g_str_has_prefix (base, "ЧУ")
                     ? "private"
                     : g_str_has_prefix (base, "ГБУ") ? "state" : "municipal";
        }

      make_id (gen, id);
      g_ptr_array_add (gen->provider_ids, g_strdup (id));
      g_array_append_val (gen->provider_municipality, m);
      g_array_append_val (gen->municipalities[m].providers, p);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, inn, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, gen->municipalities[m].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, address, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, phone, -1, SQLITE_STATIC);
      if (!step_check (gen, stmt, error) ||
          !report (gen, "providers", p + 1, gen->scale->providers, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_group (Generator    *gen,
              sqlite3_stmt *stmt,
              Group        *group,
              guint         index,
              GError      **error)
{
  static const char *starts[] = { "2026-09-01", "2027-01-11", "2026-09-01" };
  static const char *ends[] = { "2027-05-31", "2027-05-31", "2026-10-31" };
  g_autofree char *name = g_strdup_printf ("Группа %u", index + 1);
  g_autofree char *teacher = staff_name (gen);
  g_autofree char *schedule = NULL;
  guint day1 = between (gen, 1, 5);
  guint day2 = day1 + between (gen, 1, 2);
  guint hour = between (gen, 14, 18);

  schedule = g_strdup_printf ("[{\"weekday\": %u, \"start\": \"%02u:00\", \"end\": \"%02u:30\"}, "
                              "{\"weekday\": %u, \"start\": \"%02u:00\", \"end\": \"%02u:30\"}]",
                              day1, hour, hour + 1, day2, hour, hour + 1);
  sqlite3_bind_text (stmt, 1, group->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, group->program_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, teacher, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, schedule, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, group->capacity);
  sqlite3_bind_text (stmt, 7, starts[group->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, ends[group->kind], -1, SQLITE_STATIC);
  return step_check (gen, stmt, error);
}

static gboolean
write_review (Generator     *gen,
              sqlite3_stmt  *stmt,
              const char    *program_id,
              guint          rating,
              GError       **error)
{
  char id[ID_LEN];
  char at[21];
  const char *text = rating >= 4 ? pfdo_demo_reviews_good[below (gen, pfdo_demo_n_reviews_good)]
                                 : pfdo_demo_reviews_bad[below (gen, pfdo_demo_n_reviews_bad)];
  const char *first = pfdo_demo_female_names[below (gen, pfdo_demo_n_female_names)];
  const char *surname = pfdo_demo_surnames[below (gen, pfdo_demo_n_surnames)];
  char initial[8] = { 0 };
  g_autofree char *author = NULL;

  g_utf8_strncpy (initial, surname, 1);
  author = g_strdup_printf ("%s %s.", first, initial);
  make_id (gen, id);
  stamp (gen, below (gen, N_DAYS), at);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, program_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) rating);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, author, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, at, -1, SQLITE_STATIC);
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
  sqlite3_stmt *group_stmt = pfdo_store_prepare (
    gen->store,
    "INSERT INTO \"group\" (id, program_id, name, teacher, schedule, capacity, enrolled, "
    "starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
    error);
  guint reviews_left = gen->scale->reviews;
  guint8 *ratings = g_new0 (guint8, gen->scale->reviews + 1);
  gboolean ok = FALSE;

  if (program == NULL || review == NULL || group_stmt == NULL)
    goto out;

  for (guint p = 0; p < gen->scale->programs; p++)
    {
      const PfdoDemoDirection *dir = &pfdo_demo_directions[below (gen, pfdo_demo_n_directions)];
      const PfdoDemoProgramKind *kind;
      const char *const *suffixes;
      guint n_kinds = 0, n_suffixes = 0, level;
      guint provider, m;
      const char *funding;
      char id[ID_LEN];
      g_autofree char *title = NULL;
      g_autofree char *description = NULL;
      g_autofree char *address = NULL;
      /* An autumn intensive now and then: over by November, closed. */
      gboolean intensive = chance (gen, 40);
      int age_min = (int) between (gen, 5, 12);
      int age_span = (int) between (gen, 3, 8);   /* drawn apart: MIN() evaluates twice */
      int age_max = MIN (17, age_min + age_span);
      int hours = intensive ? 16 : (int) (36 * between (gen, 1, 4));
      int months = intensive ? 2 : chance (gen, 700) ? 9 : 8;
      gint64 hour_price = 0;
      guint n_reviews, n_groups, rating_sum = 0;
      gboolean open = !intensive && chance (gen, 930);
      guint roll = below (gen, 100);

      /* Each provider has a program; the rest go where the children are. */
      if (p < gen->provider_ids->len)
        provider = p;
      else
        {
          GArray *list = gen->municipalities[weighted_municipality (gen)].providers;

          provider = g_array_index (list, guint, below (gen, list->len));
        }
      m = g_array_index (gen->provider_municipality, guint, provider);
      address = address_in (gen, m);

      while (dir->kinds[n_kinds].title != NULL)
        n_kinds++;
      kind = &dir->kinds[below (gen, n_kinds)];
      level = intensive ? 0 : below (gen, G_N_ELEMENTS (levels));
      suffixes = pfdo_demo_level_suffixes[level];
      while (suffixes[n_suffixes] != NULL)
        n_suffixes++;

      /* Certified programs are where certificates can pay for them. */
      if (pfdo_demo_municipalities[m].personified)
        funding = roll < 70 ? "certified" : roll < 95 ? "budget" : "paid";
      else
        funding = roll < 15 ? "certified" : roll < 85 ? "budget" : "paid";
      if (!g_str_equal (funding, "budget"))
        hour_price = 6000 + 500 * (gint64) below (gen, 19);

      title = intensive ? g_strconcat (kind->title, ": осенний интенсив", NULL)
                        : g_strconcat (kind->title, suffixes[below (gen, n_suffixes)], NULL);
      description = g_strdup_printf ("Направленность: %s. Для детей %d–%d лет, "
                                     "вид деятельности: %s. Занятия в группах до 25 человек, "
                                     "%d ч за %d мес. Итог — %s.",
                                     dir->name, age_min, age_max, kind->activity, hours, months,
                                     dir->outcome);
      make_id (gen, id);

      /* Reviews are drawn before the program row, which carries their
       * average. */
      n_reviews = below (gen, 2 * gen->scale->reviews / gen->scale->programs + 1);
      if (p + 1 == gen->scale->programs || n_reviews > reviews_left)
        n_reviews = reviews_left;
      reviews_left -= n_reviews;
      for (guint r = 0; r < n_reviews; r++)
        {
          ratings[r] = (guint8) (chance (gen, 750) ? between (gen, 4, 5) : between (gen, 1, 3));
          rating_sum += ratings[r];
        }

      sqlite3_bind_text (program, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (program, 2, g_ptr_array_index (gen->provider_ids, provider), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (program, 3, gen->municipalities[m].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (program, 4, title, -1, SQLITE_STATIC);
      sqlite3_bind_text (program, 5, dir->direction, -1, SQLITE_STATIC);
      sqlite3_bind_int (program, 6, age_min);
      sqlite3_bind_int (program, 7, age_max);
      sqlite3_bind_text (program, 8, kind->activity, -1, SQLITE_STATIC);
      sqlite3_bind_text (program, 9, levels[level], -1, SQLITE_STATIC);
      sqlite3_bind_text (program, 10, forms[below (gen, G_N_ELEMENTS (forms))], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (program, 11, funding, -1, SQLITE_STATIC);
      sqlite3_bind_int (program, 12, chance (gen, 150));
      sqlite3_bind_text (program, 13, description, -1, SQLITE_STATIC);
      sqlite3_bind_int (program, 14, hours);
      sqlite3_bind_int (program, 15, months);
      sqlite3_bind_int64 (program, 16, hour_price);
      sqlite3_bind_text (program, 17, address, -1, SQLITE_STATIC);
      if (n_reviews > 0)
        sqlite3_bind_double (program, 18, (double) rating_sum / n_reviews);
      sqlite3_bind_int (program, 19, (int) n_reviews);
      sqlite3_bind_int (program, 20, open);
      if (!step_check (gen, program, error))
        goto out;

      for (guint r = 0; r < n_reviews; r++)
        if (!write_review (gen, review, id, ratings[r], error))
          goto out;

      /* 2.4 groups a program on average. */
      n_groups = 1 + below (gen, 3) + (chance (gen, 400) ? 1 : 0);
      for (guint g = 0; g < n_groups; g++)
        {
          Group group = { 0 };
          guint index;

          make_id (gen, group.id);
          memcpy (group.program_id, id, ID_LEN);
          group.kind = intensive ? GROUP_SHORT : chance (gen, 800) ? GROUP_AUTUMN : GROUP_WINTER;
          group.age_min = age_min;
          group.age_max = age_max;
          group.capacity = (int) between (gen, 10, 25);
          group.months = group.kind == GROUP_WINTER ? MIN (months, 5) : months;
          group.monthly = pfdo_program_monthly_kopecks (hour_price, hours, months);
          group.certified = g_str_equal (funding, "certified");
          if (!insert_group (gen, group_stmt, &group, g, error))
            goto out;
          index = gen->groups->len;
          g_array_append_val (gen->groups, group);
          /* Paid programs are the family's business, not the certificate's. */
          if ((open || intensive) && !g_str_equal (funding, "paid"))
            g_array_append_val (gen->municipalities[m].pools[group.certified][intensive], index);
        }

      if (!report (gen, "programs", p + 1, gen->scale->programs, error))
        goto out;
    }
  ok = TRUE;

out:
  g_free (ratings);
  return ok;
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
  char            id[ID_LEN];
  gboolean        female;
  const char     *first_name;
  const char     *middle_name;
  const Birthday *birthday;
  char           *last_name;
  char           *snils;
  const char     *document_type;
  char            series[16];
  char            number[8];
  const char     *status;
  const char     *reason;
  guint           created_day;
  char            created_at[21];
  guint           decided_day;
  char            decided_at[21];
  const char     *operator_id;
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
  sqlite3_bind_text (st->ledger, 1, entry_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->ledger, 2, certificate_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->ledger, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st->ledger, 4, amount);
  bind_text (st->ledger, 5, enrollment_id);
  sqlite3_bind_text (st->ledger, 6, at, -1, SQLITE_STATIC);
  st->ledger_entries++;
  return step_check (gen, st->ledger, error);
}

/* An entry with the id the core derives for the same enrollment and event,
 * so the server's copy of it is recognised when it comes. */
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

/* September and October of an autumn group, charged at the end of each
 * month as the server does: a release and a charge of one month. */
static gboolean
charge_autumn (Generator        *gen,
               FamilyStatements *st,
               const char       *enrollment_id,
               const char       *certificate_id,
               gint64            monthly,
               GError          **error)
{
  static const char *months[] = { "2026-09", "2026-10" };
  static const char *at[] = { "2026-10-01T00:30:00Z", "2026-11-01T00:30:00Z" };

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      g_autofree char *release = g_strconcat ("release:", months[i], NULL);
      g_autofree char *charge = g_strconcat ("charge:", months[i], NULL);

      if (!write_derived (gen, st, enrollment_id, release, certificate_id, "release", monthly,
                          at[i], error) ||
          !write_derived (gen, st, enrollment_id, charge, certificate_id, "charge", monthly,
                          at[i], error))
        return FALSE;
    }
  return TRUE;
}

/* Enrolls a child in up to @wanted groups of the municipality: requested
 * and active ones for this year, finished autumn intensives, a cancelled
 * one now and then. A certified group reserves its whole cost from
 * @available and is charged month by month. */
static gboolean
enroll (Generator        *gen,
        FamilyStatements *st,
        Municipality     *m,
        const ChildDraft *child,
        const char       *certificate_id,
        gboolean          personified,
        guint             activated_day,
        guint             wanted,
        gint64           *available,
        GError          **error)
{
  guint picked[8];
  guint n_picked = 0;

  for (guint attempt = 0; attempt < wanted * 8 && wanted > 0 && n_picked < G_N_ELEMENTS (picked);
       attempt++)
    {
      gboolean intensive = chance (gen, 100);
      gboolean certified = personified && chance (gen, 850);
      GArray *pool = m->pools[certified][intensive];
      Group *group;
      char enrollment_id[ID_LEN];
      char created_at[21];
      char reserved_at[21];
      char cancelled_at[21];
      const char *status;
      guint created_day;
      gint64 cost, reserved;
      guint index;
      gboolean again = FALSE;
      int age;

      if (pool->len == 0)
        continue;
      index = g_array_index (pool, guint, below (gen, pool->len));
      group = &g_array_index (gen->groups, Group, index);
      /* Never twice in one group. */
      for (guint i = 0; i < n_picked; i++)
        again = again || picked[i] == index;
      if (again)
        continue;
      cost = group->certified ? group->monthly * group->months : 0;
      age = group->kind == GROUP_WINTER ? child->birthday->age_january
                                        : child->birthday->age_september;

      if (group->taken >= group->capacity || age < group->age_min || age > group->age_max)
        continue;
      if (group->certified && (cost <= 0 || cost > *available))
        continue;

      /* Autumn groups were applied for in August, by an activated
       * certificate; January ones this autumn, the latest still waiting
       * for the provider. */
      if (group->kind == GROUP_WINTER)
        {
          if (activated_day + 1 > DAY_TODAY)
            continue;
          created_day = between (gen, MAX (activated_day + 1, DAY_PERIOD + 15), DAY_TODAY);
        }
      else
        {
          if (activated_day + 1 > DAY_PERIOD - 1)
            continue;
          created_day = between (gen, MAX (activated_day + 1, DAY_AUGUST_1), DAY_PERIOD - 1);
        }

      if (group->kind == GROUP_SHORT)
        status = "finished";
      else if (group->kind == GROUP_WINTER && created_day >= DAY_NOVEMBER_10)
        status = "requested";   /* so a winter cancellation is always before today */
      else
        status = chance (gen, 30) ? "cancelled" : "active";

      make_id (gen, enrollment_id);
      stamp (gen, created_day, created_at);
      sqlite3_bind_text (st->enrollment, 1, enrollment_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->enrollment, 2, child->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->enrollment, 3, certificate_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->enrollment, 4, group->program_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->enrollment, 5, group->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->enrollment, 6, status, -1, SQLITE_STATIC);
      sqlite3_bind_int (st->enrollment, 7, group->months);
      sqlite3_bind_int64 (st->enrollment, 8, group->certified ? group->monthly : 0);
      sqlite3_bind_text (st->enrollment, 9, PERIOD, -1, SQLITE_STATIC);
      sqlite3_bind_text (st->enrollment, 10, created_at, -1, SQLITE_STATIC);
      if (!step_check (gen, st->enrollment, error))
        return FALSE;
      picked[n_picked++] = index;

      if (!g_str_equal (status, "cancelled"))
        group->taken++;
      if (g_str_equal (status, "active") || g_str_equal (status, "requested"))
        group->enrolled++;

      if (group->certified)
        {
          /* Nothing is reserved before the period's nominal is granted. */
          g_strlcpy (reserved_at, created_day < DAY_PERIOD ? "2026-09-01T00:10:00Z" : created_at,
                     sizeof reserved_at);
          if (!write_derived (gen, st, enrollment_id, "reserve", certificate_id, "reserve", cost,
                              reserved_at, error))
            return FALSE;
          *available -= cost;
          reserved = cost;

          if (g_str_equal (status, "cancelled"))
            {
              /* Given up before the first month was charged. */
              guint day = group->kind == GROUP_WINTER ? created_day + between (gen, 1, 10)
                                                      : between (gen, DAY_PERIOD + 1,
                                                                 DAY_PERIOD + 25);

              stamp (gen, day, cancelled_at);
              if (!write_derived (gen, st, enrollment_id, "cancel", certificate_id, "release",
                                  reserved, cancelled_at, error))
                return FALSE;
              *available += reserved;
            }
          else if (group->kind != GROUP_WINTER)
            {
              if (!charge_autumn (gen, st, enrollment_id, certificate_id, group->monthly, error))
                return FALSE;

              /* A missed lesson now and then comes back as a refund. */
              if (chance (gen, 40) && group->monthly / 4 > 0)
                {
                  if (!write_derived (gen, st, enrollment_id, "refund:2026-10", certificate_id,
                                      "refund", group->monthly / 4, "2026-11-05T07:00:00Z",
                                      error))
                    return FALSE;
                  *available += group->monthly / 4;
                }
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
draw_child (Generator              *gen,
            ChildDraft             *draft,
            const char             *family_surname,
            const PfdoDemoMaleName *father,
            guint64                 sequence)
{
  static const char *letters[] = { "ДН", "ГВ", "ЖЕ", "АГ", "ВО", "КБ", "МЮ", "ЕС" };
  static const char *romans[] = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII" };

  draft->female = chance (gen, 490);
  draft->first_name = draft->female
                          ? pfdo_demo_female_names[below (gen, pfdo_demo_n_female_names)]
                          : pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)].name;
  draft->middle_name = draft->female ? father->patronymic_f : father->patronymic_m;
  draft->last_name = pfdo_demo_surname_for (family_surname, draft->female);
  draft->birthday = &g_array_index (gen->birthdays, Birthday,
                                    below (gen, gen->birthdays->len));
  draft->snils = chance (gen, 960) ? next_snils (gen) : NULL;

  /* A passport from 14, a birth certificate before. */
  if (draft->birthday->age_today >= 14)
    {
      draft->document_type = "passport";
      g_snprintf (draft->series, sizeof draft->series, "07 %02u", between (gen, 10, 24));
    }
  else
    {
      const char *roman = romans[below (gen, G_N_ELEMENTS (romans))];

      draft->document_type = "birth_certificate";
      g_snprintf (draft->series, sizeof draft->series, "%s-%s", roman,
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
              GError          **error)
{
  sqlite3_stmt *stmt = st->child;
  gboolean decided = !g_str_equal (draft->status, "unverified");

  sqlite3_bind_text (stmt, 1, draft->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, parent_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, draft->last_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, draft->first_name, -1, SQLITE_STATIC);
  bind_text (stmt, 5, draft->middle_name);
  sqlite3_bind_text (stmt, 6, draft->birthday->date, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, draft->female ? "f" : "m", -1, SQLITE_STATIC);
  bind_text (stmt, 8, draft->snils);
  sqlite3_bind_text (stmt, 9, draft->document_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, draft->series, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, draft->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, draft->status, -1, SQLITE_STATIC);
  if (decided)
    {
      sqlite3_bind_text (stmt, 15, draft->decided_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 16, draft->operator_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 17, m->moc_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 18,
                         g_str_equal (draft->status, "verified")
                             ? "[\"birth_certificate\", \"snils\", \"parent_passport\"]"
                             : "[\"birth_certificate\"]",
                         -1, SQLITE_STATIC);
    }
  bind_text (stmt, 19, draft->reason);
  sqlite3_bind_text (stmt, 20, draft->created_at, -1, SQLITE_STATIC);
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
                    guint             closed_day,
                    GError          **error)
{
  sqlite3_stmt *stmt = st->certificate;
  g_autofree char *number = g_strdup_printf ("26%02u%06u", municipality_index + 1, ++m->numbers);
  char closed_at[21];

  make_id (gen, out_id);
  sqlite3_bind_text (stmt, 1, out_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, child->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_STATIC);
  /* Issued at registration, activated when the clerk confirmed the data. */
  sqlite3_bind_text (stmt, 6, child->created_at, -1, SQLITE_STATIC);
  if (!g_str_equal (status, "issued"))
    sqlite3_bind_text (stmt, 7, child->decided_at, -1, SQLITE_STATIC);
  if (g_str_equal (status, "closed"))
    {
      stamp (gen, closed_day, closed_at);
      sqlite3_bind_text (stmt, 8, closed_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, pfdo_demo_close_reasons[below (gen, pfdo_demo_n_close_reasons)],
                         -1, SQLITE_STATIC);
    }
  bind_text (stmt, 10, frozen_from);
  return step_check (gen, stmt, error);
}

/* Decides what becomes of a registered child: its certificate, the
 * certificate's status, enrollments and ledger. */
static gboolean
settle_child (Generator        *gen,
              FamilyStatements *st,
              guint             municipality_index,
              ChildDraft       *child,
              GError          **error)
{
  Municipality *m = &gen->municipalities[municipality_index];
  const PfdoDemoMunicipality *ref = &pfdo_demo_municipalities[municipality_index];
  char certificate_id[ID_LEN];
  char granted_at[21];
  const char *status;
  const char *frozen_from = NULL;
  gboolean personified = FALSE;
  guint closed_day = 0;
  gint64 available;
  guint roll;

  if (!chance (gen, 955))
    return TRUE; /* registered, no certificate yet */

  if (!g_str_equal (child->status, "verified"))
    return insert_certificate (gen, st, m, municipality_index, child, certificate_id, "issued",
                               NULL, 0, error);

  roll = below (gen, 1000);
  if (roll < 40)
    status = "issued"; /* confirmed, not yet activated */
  else if (roll < 50 && child->decided_day < DAY_TODAY)
    {
      status = "closed";
      closed_day = between (gen, child->decided_day + 1, DAY_TODAY);
    }
  else if (ref->personified && m->pf_issued < m->pf_quota && roll < 900)
    {
      personified = TRUE;
      status = roll < 885 ? "personified" : "frozen";
      frozen_from = roll < 885 ? NULL : "personified";
    }
  else
    {
      status = roll < 990 ? "accounting" : "frozen";
      frozen_from = roll < 990 ? NULL : "accounting";
    }

  if (!insert_certificate (gen, st, m, municipality_index, child, certificate_id, status,
                           frozen_from, closed_day, error))
    return FALSE;

  /* The period's nominal: granted on its first day, or when the
   * certificate became personified later. */
  g_strlcpy (granted_at, child->decided_day < DAY_PERIOD ? "2026-09-01T00:00:00Z"
                                                         : child->decided_at,
             sizeof granted_at);
  if (personified)
    {
      /* The id the server's grant job derives, so running it changes nothing. */
      g_autofree char *grant_id = pfdo_ledger_derived_id (certificate_id, "grant:" PERIOD);

      m->pf_issued++;
      if (!write_ledger (gen, st, grant_id, certificate_id, "grant", m->nominal, NULL, granted_at,
                         error))
        return FALSE;
    }

  /* Frozen certificates were frozen before anyone enrolled. */
  if (frozen_from != NULL || !(g_str_equal (status, "personified") ||
                               g_str_equal (status, "accounting")))
    return TRUE;

  available = personified ? m->nominal : 0;
  roll = below (gen, 100);
  return enroll (gen, st, m, child, certificate_id, personified, child->decided_day,
                 personified ? (roll < 5 ? 0 : roll < 25 ? 1 : roll < 60 ? 2 : roll < 85 ? 3 : 4)
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
  g_autofree char *email = NULL;

  if (chance (gen, 400))
    email = g_strdup_printf ("parent%u@mail.ru", below (gen, 10000000));
  sqlite3_bind_text (st->parent, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->parent, 2, last_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->parent, 3, first_name, -1, SQLITE_STATIC);
  bind_text (st->parent, 4, middle_name);
  sqlite3_bind_text (st->parent, 5, phone, -1, SQLITE_STATIC);
  bind_text (st->parent, 6, email);
  sqlite3_bind_text (st->parent, 7, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->parent, 8, created_at, -1, SQLITE_STATIC);
  return step_check (gen, st->parent, error);
}

/* The real-life problem of DOMAIN.md: the same child filed again by the
 * father as another family, the surname typed without ё and one digit of
 * the document number changed. Left unverified, for a clerk to catch. */
static gboolean
file_twin (Generator        *gen,
           FamilyStatements *st,
           Municipality     *m,
           const char       *family_surname,
           const ChildDraft *original,
           GError          **error)
{
  ChildDraft twin = *original;
  char parent_id[ID_LEN];
  const PfdoDemoMaleName *father = &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];
  const char *middle = pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)].patronymic_m;
  g_autofree char *address = address_in (gen, (guint) (m - gen->municipalities));
  g_autofree char *spelled = pfdo_demo_surname_for (family_surname, original->female);
  guint digit = below (gen, 6);
  gboolean ok;

  make_id (gen, parent_id);
  twin.created_day = between (gen, original->created_day, DAY_TODAY);
  stamp (gen, twin.created_day, twin.created_at);
  if (!insert_parent (gen, st, parent_id, family_surname, father->name, middle, m,
                      twin.created_at, error))
    return FALSE;

  make_id (gen, twin.id);
  twin.last_name = without_yo (spelled);
  twin.snils = NULL;
  twin.number[digit] = (char) ('0' + (twin.number[digit] - '0' + 1) % 10);
  twin.status = "unverified";
  twin.reason = NULL;
  ok = insert_child (gen, st, &twin, parent_id, m, address, error);
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
  st.child = pfdo_store_prepare (
    gen->store,
    "INSERT INTO child (id, parent_id, last_name, first_name, middle_name, birth_date, sex, "
    "snils, document_type, document_series, document_number, address, municipality_id, "
    "verification_status, verification_decided_at, verification_operator_id, "
    "verification_office_id, verification_documents, verification_reason, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
      m->pf_quota = pfdo_demo_municipalities[mi].personified ? m->children_goal * 4 / 5 : 0;

      while (m->children < m->children_goal)
        {
          char parent_id[ID_LEN];
          char created_at[21];
          const char *surname = pfdo_demo_surnames[below (gen, pfdo_demo_n_surnames)];
          const PfdoDemoMaleName *father =
            &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];
          const PfdoDemoMaleName *grandfather =
            &pfdo_demo_male_names[below (gen, pfdo_demo_n_male_names)];
          const char *mother_name = pfdo_demo_female_names[below (gen, pfdo_demo_n_female_names)];
          gboolean mother = chance (gen, 820);
          /* Some families write their ё as е in every document. */
          g_autofree char *family_surname = strstr (surname, "ё") != NULL && chance (gen, 200)
                                                ? without_yo (surname)
                                                : g_strdup (surname);
          g_autofree char *parent_surname = pfdo_demo_surname_for (family_surname, mother);
          g_autofree char *address = address_in (gen, mi);
          guint roll = below (gen, 100);
          guint n_children = roll < 68 ? 1 : roll < 92 ? 2 : 3;
          guint created_day = below (gen, N_DAYS);

          make_id (gen, parent_id);
          stamp (gen, created_day, created_at);
          if (!insert_parent (gen, &st, parent_id, parent_surname,
                              mother ? mother_name : father->name,
                              mother ? grandfather->patronymic_f : grandfather->patronymic_m, m,
                              created_at, error))
            return FALSE;

          for (guint c = 0; c < n_children && m->children < m->children_goal; c++)
            {
              ChildDraft child = { { 0 } };
              guint verdict = below (gen, 1000);
              gboolean ok;

              draw_child (gen, &child, family_surname, father, st.children_done);
              child.created_day = created_day;
              memcpy (child.created_at, created_at, sizeof created_at);
              /* A clerk decides within three weeks; the newest wait. */
              child.decided_day = created_day + between (gen, 1, 21);
              if (child.decided_day > DAY_TODAY)
                verdict = 900;
              child.status = verdict < 800 ? "verified" : verdict < 940 ? "unverified" : "rejected";
              if (verdict >= 940)
                child.reason = pfdo_demo_reject_reasons[below (gen, pfdo_demo_n_reject_reasons)];
              if (verdict < 800 || verdict >= 940)
                {
                  stamp (gen, child.decided_day, child.decided_at);
                  child.operator_id = mi == 0 && chance (gen, 300) ? gen->petrov_id : m->clerk_id;
                }
              ok = insert_child (gen, &st, &child, parent_id, m, address, error) &&
                   settle_child (gen, &st, mi, &child, error);
              m->children++;
              st.children_done++;
              if (ok && chance (gen, 4) && m->children < m->children_goal)
                ok = file_twin (gen, &st, m, family_surname, &child, error);
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
        sqlite3_bind_text (muni, 3, m->id, -1, SQLITE_STATIC);
        if (!step_check (gen, muni, error))
          return FALSE;
      }
    for (guint g = 0; g < gen->groups->len; g++)
      {
        Group *gr = &g_array_index (gen->groups, Group, g);

        if (gr->enrolled == 0)
          continue;
        sqlite3_bind_int (group, 1, gr->enrolled);
        sqlite3_bind_text (group, 2, gr->id, -1, SQLITE_STATIC);
        if (!step_check (gen, group, error))
          return FALSE;
      }
  }

  g_debug ("%" G_GUINT64_FORMAT " ledger entries", st.ledger_entries);
  return TRUE;
}

/* What makes the store this desk's: its leased numbers and its place. */
static gboolean
generate_desk (Generator  *gen,
               GError    **error)
{
  sqlite3_stmt *block = pfdo_store_prepare (gen->store,
                                            "INSERT INTO number_block (id, device_id, first, last, "
                                            "used, leased_at) VALUES (?, ?, '2699000001', "
                                            "'2699001000', 0, '2026-11-20T09:00:00Z')",
                                            error);
  char id[ID_LEN];

  if (block == NULL)
    return FALSE;

  make_id (gen, id);
  sqlite3_bind_text (block, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (block, 2, pfdo_store_get_device_id (gen->store), -1, SQLITE_STATIC);
  if (!step_check (gen, block, error))
    return FALSE;

  return pfdo_store_set_setting (gen->store, "municipality_id", gen->municipalities[0].id,
                                 error) &&
         pfdo_store_set_setting (gen->store, "region", "26", error);
}

static gboolean
generate_cb (PfdoStore *store,
             gpointer   user_data,
             GError   **error)
{
  Generator *gen = user_data;
  gint64 children = pfdo_store_query_int (store, "SELECT count(*) FROM child", NULL, error);
  gint64 municipalities;

  if (children < 0)
    return FALSE;
  municipalities = pfdo_store_query_int (store, "SELECT count(*) FROM municipality", NULL, error);
  if (municipalities < 0)
    return FALSE;
  if (children > 0 || municipalities > 0)
    {
      g_set_error_literal (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_FAILED,
                           _("The store already holds a region; a demo region is created only in "
                             "an empty store."));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (gen->cancellable, error))
    return FALSE;

  return generate_municipalities (gen, error) && generate_operators (gen, error) &&
         generate_providers (gen, error) && generate_programs (gen, error) &&
         generate_families (gen, error) && generate_desk (gen, error);
}

/**
 * pfdo_demo_scale_from_string:
 * @name: `demo` or `region`
 * @out_scale: (out): the scale
 *
 * Returns: whether @name is a scale
 */
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
 * transaction. The region is the same for a seed, ids included; only the
 * store's own device id differs between stores.
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
  Generator *gen;
  gint64 cache_size;
  gboolean ok;

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (scale <= PFDO_DEMO_SCALE_REGION, FALSE);
  g_return_val_if_fail (!pfdo_store_in_transaction (store), FALSE);

  gen = g_new0 (Generator, 1);
  gen->store = store;
  gen->rng = seed * 0x2545f4914f6cdd1dull + 1;
  gen->scale = &scales[scale];
  gen->progress = progress;
  gen->user_data = user_data;
  gen->cancellable = cancellable;
  gen->municipalities = g_new0 (Municipality, pfdo_demo_n_municipalities);
  gen->groups = g_array_new (FALSE, FALSE, sizeof (Group));
  gen->provider_ids = g_ptr_array_new_with_free_func (g_free);
  gen->provider_municipality = g_array_new (FALSE, FALSE, sizeof (guint));
  init_calendar (gen);

  /* One big transaction. A crash in the middle loses only the seed, which
   * can be run again, so the file is not synced until the end; a larger
   * cache keeps the indexes in memory. */
  cache_size = pfdo_store_query_int (store, "PRAGMA cache_size", NULL, NULL);
  pfdo_store_exec (store, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144", NULL);
  ok = pfdo_store_write (store, generate_cb, gen, error);
  pfdo_store_exec (store, "PRAGMA synchronous = FULL", NULL);
  {
    g_autofree char *restore = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT,
                                                cache_size != 0 ? cache_size : -32000);

    pfdo_store_exec (store, restore, NULL);
  }
  /* The write-ahead log holds the whole region now: move it into the file
   * and give its space back. */
  if (ok)
    pfdo_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA optimize", NULL);

  for (guint i = 0; i < pfdo_demo_n_municipalities; i++)
    {
      Municipality *m = &gen->municipalities[i];

      g_clear_pointer (&m->providers, g_array_unref);
      for (guint a = 0; a < 2; a++)
        for (guint b = 0; b < 2; b++)
          g_clear_pointer (&m->pools[a][b], g_array_unref);
    }
  g_free (gen->municipalities);
  g_array_unref (gen->groups);
  g_ptr_array_unref (gen->provider_ids);
  g_array_unref (gen->provider_municipality);
  g_array_unref (gen->birthdays);
  g_free (gen);
  return ok;
}
