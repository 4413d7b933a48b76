/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The power cut: a child process does random domain actions on a real
 * store and is killed with SIGKILL at a random moment, again and again.
 * After every kill the store must open, pass the whole check, and hold
 * every action either wholly or not at all: a family with all its
 * children, certificates, outbox operations and audit records, or nothing.
 *
 * PFDO_TEST_SEED replays a run; PFDO_CRASH_KILLS sets the number of kills.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfdo-certificates.h"
#include "pfdo-check.h"
#include "pfdo-children.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-store.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

#define MUNICIPALITY "m-crash"
#define GROUP        "g-crash"
#define OPERATOR     "op-crash"

static const char *self_path;

static void
exec_or_die (PfdoStore  *store,
             const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!pfdo_store_exec (store, sql, &error))
    g_error ("setup failed: %s", error->message);
}

static void
set_up_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  exec_or_die (store,
               "INSERT INTO municipality (id, name, mode, nominal_kopecks, pf_quota) "
               "VALUES ('" MUNICIPALITY "', 'Тестовый округ', 'personified', 2000000, 1000000);"
               "INSERT INTO office (id, name, kind, municipality_id) "
               "VALUES ('o-crash', 'МОЦ', 'moc', '" MUNICIPALITY "');"
               "INSERT INTO operator (id, login, full_name, role, municipality_id, office_id, "
               "created_at) VALUES ('" OPERATOR "', 'crash', 'Оператор', 'moc_admin', '"
               MUNICIPALITY "', 'o-crash', '2026-11-24T00:00:00Z');"
               "INSERT INTO provider (id, name, kind, municipality_id) "
               "VALUES ('p-crash', 'Дом творчества', 'municipal', '" MUNICIPALITY "');"
               "INSERT INTO program (id, provider_id, municipality_id, title, direction, age_min, "
               "age_max, funding, hours_total, months, hour_price_kopecks) VALUES ('pr-crash', "
               "'p-crash', '" MUNICIPALITY "', 'Робототехника', 'technical', 5, 17, 'certified', "
               "72, 9, 15000);"
               "INSERT INTO \"group\" (id, program_id, name, capacity, starts_on) VALUES ('"
               GROUP "', 'pr-crash', 'Группа 1', 1000000, '2026-09-01');");
  g_assert_true (pfdo_store_set_operator (store, OPERATOR, &error));
  g_assert_true (pfdo_number_block_add (store, "b-crash", "2600000001", "2609999999", &error));
  g_assert_no_error (error);
}

/* A random valid SNILS above the unchecked range. */
static char *
random_snils (GRand *rand)
{
  char digits[12];
  guint check;

  for (guint i = 0; i < 9; i++)
    digits[i] = (char) ('0' + g_rand_int_range (rand, i == 0 ? 1 : 0, 10));
  digits[9] = '\0';
  check = pfdo_snils_checksum (digits);
  g_snprintf (digits + 9, 3, "%02u", check);
  return pfdo_snils_format (digits);
}

static const char *
pick_id (PfdoStore  *store,
         const char *sql,
         GRand      *rand,
         char      **out)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pfdo_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  *out = ids->len > 0 ? g_strdup (g_ptr_array_index (ids, g_rand_int_range (rand, 0,
                                                                             (gint32) ids->len)))
                      : NULL;
  return *out;
}

static void
register_family (PfdoStore *store,
                 GRand     *rand)
{
  static const char *surnames[] = { "Иванов", "Петров", "Сидоров", "Королёв", "Кузнецов" };
  static const char *names[] = { "Артём", "Мария", "Иван", "Анна", "Пётр" };
  PfdoChildInput children[3] = { { 0 } };
  char *snils[3] = { NULL };
  char birth[3][11];
  char number[3][7];
  PfdoFamilyInput family = { { 0 } };
  g_autoptr(PfdoFamilyResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = g_strdup_printf ("+7918%07d", g_rand_int_range (rand, 0, 9999999));
  const char *surname = surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))];

  family.parent.last_name = surname;
  family.parent.first_name = "Ольга";
  family.parent.phone = phone;
  family.n_children = (guint) g_rand_int_range (rand, 1, 4);
  family.children = children;
  family.issue_certificates = g_rand_boolean (rand);
  family.allow_duplicates = TRUE;

  for (guint i = 0; i < family.n_children; i++)
    {
      snils[i] = random_snils (rand);
      g_snprintf (birth[i], sizeof birth[i], "20%02d-%02d-%02d", g_rand_int_range (rand, 10, 19),
                  g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      g_snprintf (number[i], sizeof number[i], "%06d", g_rand_int_range (rand, 0, 999999));
      children[i].last_name = surname;
      children[i].first_name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];
      children[i].birth_date = birth[i];
      children[i].sex = "m";
      children[i].snils = snils[i];
      children[i].document_type = "birth_certificate";
      children[i].document_series = "II-ДН";
      children[i].document_number = number[i];
    }

  result = pfdo_family_register (store, &family, NULL, &error);
  /* Refusals are part of the game (an age of 4, say); store errors are not. */
  if (error != NULL && error->domain == PFDO_STORE_ERROR)
    g_error ("store error while registering: %s", error->message);

  for (guint i = 0; i < family.n_children; i++)
    g_free (snils[i]);
}

static void
expect_no_store_error (GError *error)
{
  if (error != NULL && error->domain == PFDO_STORE_ERROR)
    g_error ("store error: %s", error->message);
}

/* Personification and its grant for the period, as one action. */
static gboolean
personify_write (PfdoStore *store,
                 gpointer   user_data,
                 GError   **error)
{
  const char *certificate_id = user_data;
  g_autofree char *entry = pfdo_uuid_new ();

  return pfdo_certificate_convert (store, certificate_id, "personified", error) &&
         pfdo_ledger_append (store, entry, certificate_id, "2026/27", PFDO_LEDGER_GRANT, 2000000,
                             NULL, NULL, error);
}

/* A month's charge of an enrollment, as the server's ledger job sends it. */
static gboolean
charge_write (PfdoStore *store,
              gpointer   user_data,
              GError   **error)
{
  const char *enrollment_id = user_data;
  gint64 reserved = pfdo_ledger_reserved_for (store, enrollment_id, error);

  if (reserved <= 0)
    return reserved == 0;
  return pfdo_ledger_charge_reserved (store, enrollment_id, "2026-10", MIN (reserved, 100000),
                                      error);
}

/* The body of the child process: never returns. */
static void
run_child (const char *path,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  if (store == NULL || !pfdo_store_set_operator (store, OPERATOR, &error))
    g_error ("cannot open the store: %s", error->message);
  /* Tells the parent the store is open, so that the moment of the kill
   * falls among the writes however slow the start (ASan, a busy machine). */
  if (write (STDOUT_FILENO, "r", 1) != 1)
    g_error ("cannot tell the parent the store is open");

  for (;;)
    {
      g_autofree char *id = NULL;
      g_autoptr(GError) local_error = NULL;
      int action = g_rand_int_range (rand, 0, 10);

      switch (action)
        {
        case 0:
        case 1:
          register_family (store, rand);
          break;
        case 2:
          if (pick_id (store, "SELECT id FROM child WHERE verification_status = 'unverified'",
                       rand, &id))
            pfdo_child_verify (store, id, PFDO_DOCUMENTS_ALL, TRUE, &local_error);
          break;
        case 3:
          if (pick_id (store, "SELECT id FROM child WHERE verification_status = 'unverified'",
                       rand, &id))
            pfdo_child_reject (store, id, "Документы не совпадают", &local_error);
          break;
        case 4:
          if (pick_id (store,
                       "SELECT z.id FROM certificate z JOIN child c ON c.id = z.child_id "
                       "WHERE z.status = 'issued' AND c.verification_status = 'verified'",
                       rand, &id))
            pfdo_certificate_activate (store, id, &local_error);
          else if (pick_id (store,
                            "SELECT c.id FROM child c WHERE c.verification_status = 'verified' "
                            "AND NOT EXISTS (SELECT 1 FROM certificate z WHERE z.child_id = c.id)",
                            rand, &id))
            pfdo_certificate_issue (store, id, NULL, NULL, &local_error);
          break;
        case 5:
          if (pick_id (store, "SELECT id FROM certificate WHERE status = 'accounting'", rand, &id))
            pfdo_store_write (store, personify_write, id, &local_error);
          break;
        case 6:
          if (pick_id (store, "SELECT id FROM certificate WHERE status = 'personified'", rand, &id))
            pfdo_enrollment_create (store, id, GROUP, (guint) g_rand_int_range (rand, 1, 10), NULL,
                                    &local_error);
          break;
        case 7:
          if (pick_id (store, "SELECT id FROM enrollment WHERE status IN ('requested', 'active')",
                       rand, &id))
            pfdo_enrollment_cancel (store, id, &local_error);
          break;
        case 8:
          if (pick_id (store, "SELECT id FROM certificate WHERE status IN ('accounting', "
                              "'personified')", rand, &id))
            pfdo_certificate_freeze (store, id, "Переезд", &local_error);
          else if (pick_id (store, "SELECT id FROM certificate WHERE status = 'frozen'", rand, &id))
            pfdo_certificate_unfreeze (store, id, "Вернулись", &local_error);
          break;
        case 9:
          if (pick_id (store, "SELECT id FROM enrollment WHERE status IN ('requested', 'active')",
                       rand, &id))
            pfdo_store_write (store, charge_write, id, &local_error);
          break;
        default:
          g_assert_not_reached ();
        }
      expect_no_store_error (local_error);
    }
}

/* Counts of records that break the all-or-nothing rule; each must be 0. */
static const struct
{
  const char *what;
  const char *sql;
} wholeness[] = {
  { "parents without their family.register operation",
    "SELECT count(*) FROM parent p WHERE NOT EXISTS (SELECT 1 FROM outbox o "
    "WHERE o.entity = 'parent' AND o.entity_id = p.id AND o.type = 'family.register')" },
  { "family.register operations without their parent",
    "SELECT count(*) FROM outbox o WHERE o.type = 'family.register' "
    "AND NOT EXISTS (SELECT 1 FROM parent p WHERE p.id = o.entity_id)" },
  { "parents without children",
    "SELECT count(*) FROM parent p WHERE NOT EXISTS (SELECT 1 FROM child c "
    "WHERE c.parent_id = p.id)" },
  { "children without their registration audit record",
    "SELECT count(*) FROM child c WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
    "WHERE a.entity = 'child' AND a.record_id = c.id AND a.action = 'child.register')" },
  { "registration audit records without their child",
    "SELECT count(*) FROM audit_log a WHERE a.action = 'child.register' "
    "AND NOT EXISTS (SELECT 1 FROM child c WHERE c.id = a.record_id)" },
  /* Every operation has exactly as many audit records, and the reverse;
   * leasing numbers is recorded but sends nothing. */
  { "outbox operations without their audit record",
    "SELECT count(*) FROM (SELECT type, entity, entity_id, count(*) FROM outbox GROUP BY 1, 2, 3 "
    "EXCEPT SELECT action, entity, record_id, count(*) FROM audit_log GROUP BY 1, 2, 3)" },
  { "audit records without their outbox operation",
    "SELECT count(*) FROM (SELECT action, entity, record_id, count(*) FROM audit_log "
    "WHERE action NOT IN ('child.register', 'number_block.add') GROUP BY 1, 2, 3 "
    "EXCEPT SELECT type, entity, entity_id, count(*) FROM outbox GROUP BY 1, 2, 3)" },
  { "certificates without their certificate.issue operation",
    "SELECT count(*) FROM certificate z WHERE NOT EXISTS (SELECT 1 FROM outbox o "
    "WHERE o.entity = 'certificate' AND o.entity_id = z.id AND o.type = 'certificate.issue')" },
  { "decided children without their child.verify operation",
    "SELECT count(*) FROM child c WHERE c.verification_status <> 'unverified' "
    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'child' AND o.entity_id = c.id "
    "AND o.type = 'child.verify')" },
  { "enrollments without their enrollment.create operation",
    "SELECT count(*) FROM enrollment e WHERE NOT EXISTS (SELECT 1 FROM outbox o "
    "WHERE o.entity = 'enrollment' AND o.entity_id = e.id AND o.type = 'enrollment.create')" },
  { "certified enrollments without their reservation",
    "SELECT count(*) FROM enrollment e WHERE NOT EXISTS (SELECT 1 FROM ledger_entry l "
    "WHERE l.enrollment_id = e.id AND l.kind = 'reserve')" },
  { "used numbers that do not match the certificates",
    "SELECT (SELECT sum (used) FROM number_block) - (SELECT count(*) FROM certificate)" },
};

static void
check_store (const char *path,
             guint       kill_index,
             guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_no_error (error);
  problems = pfdo_check_run (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("after kill %u (child seed %u): %s", kill_index, seed,
                    (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (wholeness); i++)
    {
      gint64 broken = pfdo_store_query_int (store, wholeness[i].sql, NULL, &error);

      g_assert_no_error (error);
      if (broken != 0)
        g_test_message ("after kill %u (child seed %u): %" G_GINT64_FORMAT " %s", kill_index,
                        seed, broken, wholeness[i].what);
      g_assert_cmpint (broken, ==, 0);
    }
}

static void
test_crash (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-crash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.sqlite", NULL);
  const char *seed_env = g_getenv ("PFDO_TEST_SEED");
  const char *kills_env = g_getenv ("PFDO_CRASH_KILLS");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10)
                                  : (guint32) g_get_real_time ();
  guint kills = kills_env != NULL ? (guint) g_ascii_strtoull (kills_env, NULL, 10) : 250;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  gint64 children, families, enrollments;

  g_test_message ("seed: %u (replay with PFDO_TEST_SEED=%u)", seed, seed);
  g_print ("# seed: %u\n", seed);

  set_up_store (path);

  for (guint i = 0; i < kills; i++)
    {
      guint32 child_seed = g_rand_int (rand);
      g_autofree char *seed_arg = g_strdup_printf ("%u", child_seed);
      const char *argv[] = { self_path, "--crash-child", path, seed_arg, NULL };
      GPid pid;
      int status = 0;
      int out = -1;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &pid, NULL, &out, NULL, &error);
      g_assert_no_error (error);

      /* One kill in eight lands while the store is being opened; the others
       * anywhere from before the first write to deep inside a run of
       * actions, counted from the moment the store is open. */
      if (g_rand_int_range (rand, 0, 8) > 0)
        {
          struct pollfd ready = { .fd = out, .events = POLLIN };
          char byte;

          if (poll (&ready, 1, 30000) == 1)
            g_assert_cmpint (read (out, &byte, 1), ==, 1);
          g_usleep ((gulong) g_rand_int_range (rand, 0, 60000));
        }
      else
        g_usleep ((gulong) g_rand_int_range (rand, 0, 10000));
      kill (pid, SIGKILL);
      close (out);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);

      /* The child must die by our hand, not fail on its own. */
      if (!(WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL))
        g_error ("the child (seed %u) ended on its own with status %d", child_seed, status);

      check_store (path, i, child_seed);
    }

  /* The run must have done real work, or the test proves nothing. */
  store = pfdo_store_open (path, &error);
  g_assert_no_error (error);
  families = pfdo_store_query_int (store, "SELECT count(*) FROM parent", NULL, &error);
  children = pfdo_store_query_int (store, "SELECT count(*) FROM child", NULL, &error);
  enrollments = pfdo_store_query_int (store, "SELECT count(*) FROM enrollment", NULL, &error);
  g_test_message ("%u kills: %" G_GINT64_FORMAT " families, %" G_GINT64_FORMAT
                  " children, %" G_GINT64_FORMAT " enrollments",
                  kills, families, children, enrollments);
  g_assert_cmpint (families, >, kills / 4);
  g_assert_cmpint (enrollments, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    {
      run_child (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));
      return 0;
    }

  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crash/sigkill", test_crash);
  return g_test_run ();
}
