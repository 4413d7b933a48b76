/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Desks and the real pfdo-regiond over HTTP on 127.0.0.1: offline work,
 * sync, a second desk that sees it, and two desks that disagree.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>

#include "pfdo-certificates.h"
#include "pfdo-check.h"
#include "pfdo-children.h"
#include "pfdo-sync.h"
#include "pfdo-validate.h"

#define PASSWORD "демо-пароль-1"

typedef struct
{
  char        *dir;
  GSubprocess *server;
  char        *base;
  guint        timeout_s;
  guint        sign_ins;   /* counted through the progress callback */
} Fixture;

/* The server's faults for one test, and the desk's patience. */
typedef struct
{
  const char *fault_rate;       /* percent: 500s and answers lost at random */
  const char *lose_answers;     /* the first so many pushes lose their answer */
  const char *delay_ms;         /* a slow server: each request waits up to so long */
  const char *duplicate_rate;   /* percent: requests handled twice */
  const char *token_ttl;        /* seconds */
  guint       timeout_s;        /* the desk's per-request timeout */
} Faults;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *line = NULL;
  const Faults *faults = data;

  fixture->dir = g_dir_make_tmp ("pfdo-sync-XXXXXX", NULL);
  db = g_build_filename (fixture->dir, "server.sqlite", NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "PFDO_REGIOND_FAULT_SEED", "7", TRUE);
  if (faults != NULL)
    {
      const char *env[][2] = {
        { "PFDO_REGIOND_FAULT_RATE", faults->fault_rate },
        { "PFDO_REGIOND_LOSE_ANSWERS", faults->lose_answers },
        { "PFDO_REGIOND_DELAY_MS", faults->delay_ms },
        { "PFDO_REGIOND_DUPLICATE_RATE", faults->duplicate_rate },
      };

      for (guint i = 0; i < G_N_ELEMENTS (env); i++)
        if (env[i][1] != NULL)
          g_subprocess_launcher_setenv (launcher, env[i][0], env[i][1], TRUE);
      fixture->timeout_s = faults->timeout_s;
    }
  fixture->server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PFDO_REGIOND"),
                                                 "--db", db, "--listen", "127.0.0.1:0", "--seed",
                                                 "demo", "--demo-password", PASSWORD,
                                                 "--token-ttl",
                                                 faults != NULL && faults->token_ttl != NULL ?
                                                 faults->token_ttl : "3600", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->server));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  fixture->base = g_strdup (line + strlen ("listening on "));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_object (&fixture->server);
  /* tests/data/check-no-pii.py reads the stores a test used. */
  while (g_getenv ("PFDO_TEST_KEEP_DIRS") == NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  if (g_getenv ("PFDO_TEST_KEEP_DIRS") == NULL)
    g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->base);
}

static PfdoStore *
new_desk (Fixture    *fixture,
          const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PfdoStore *store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static PfdoSyncStats
sync_as (Fixture    *fixture,
         PfdoStore  *store,
         const char *login)
{
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };

  g_assert_true (pfdo_sync_run (store, fixture->base, login, PASSWORD, &stats, NULL, &error));
  g_assert_no_error (error);
  return stats;
}

static void
sign_in_locally (PfdoStore  *store,
                 const char *login)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator_login (store, login, &error));
  g_assert_no_error (error);
}

static gint64
count (PfdoStore  *store,
       const char *sql,
       const char *param)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pfdo_store_query_int (store, sql, param, &error);

  g_assert_no_error (error);
  return n;
}

static void
assert_consistent (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = pfdo_check_run (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_offline_then_sync (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PfdoStore) desk = new_desk (fixture, "desk-a.sqlite");
  g_autoptr(PfdoStore) other = new_desk (fixture, "desk-b.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) family = NULL;
  g_autofree char *certificate_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *municipality = NULL;
  PfdoSyncStats stats;
  PfdoChildInput child = {
    .last_name = "Журавлёва", .first_name = "Алиса", .middle_name = "Игоревна",
    .birth_date = "12.04.2016", .sex = "f", .snils = "141-008-408 00",
    .document_type = "birth_certificate", .document_series = "III-КБ",
    .document_number = "424242",
  };
  PfdoFamilyInput input = {
    .parent = { .last_name = "Журавлёва", .first_name = "Дарья", .phone = "+7 928 555-44-33" },
    .children = &child,
    .n_children = 1,
  };

  /* The first sync brings the region and this desk's numbers. */
  stats = sync_as (fixture, desk, "ivanova");
  g_assert_cmpuint (stats.pulled, >, 1000);
  g_assert_cmpuint (stats.pushed, ==, 0);
  municipality = pfdo_store_dup_setting (desk, "municipality_id");
  g_assert_nonnull (municipality);
  g_assert_cmpint (count (desk, "SELECT count(*) FROM municipality", NULL), ==, 33);
  /* Personal data of its own municipality only. */
  g_assert_cmpint (count (desk, "SELECT count(*) FROM child WHERE municipality_id <> ?",
                          municipality),
                   ==, 0);
  g_assert_cmpint (count (desk, "SELECT count(*) FROM child", NULL), >, 100);
  g_assert_cmpint (pfdo_number_blocks_remaining (desk, NULL), >=, 50);
  assert_consistent (desk);

  /* Offline: a family registered, the child confirmed, a certificate. */
  sign_in_locally (desk, "ivanova");
  family = pfdo_family_register (desk, &input, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pfdo_child_verify (desk, g_ptr_array_index (family->child_ids, 0),
                                    PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_certificate_issue (desk, g_ptr_array_index (family->child_ids, 0),
                                         &certificate_id, &number, &error));
  g_assert_true (pfdo_certificate_activate (desk, certificate_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (desk, "SELECT count(*) FROM outbox WHERE state = 'pending'", NULL), ==,
                   4);

  stats = sync_as (fixture, desk, "ivanova");
  g_assert_cmpuint (stats.pushed, ==, 4);
  g_assert_cmpuint (stats.applied, ==, 4);
  g_assert_cmpuint (stats.rejected, ==, 0);
  g_assert_cmpint (count (desk, "SELECT count(*) FROM outbox WHERE state = 'pending'", NULL), ==,
                   0);
  assert_consistent (desk);

  /* A second desk of the municipality sees exactly that. */
  sync_as (fixture, other, "petrov");
  g_assert_cmpint (count (other, "SELECT count(*) FROM certificate WHERE number = ? AND "
                                 "status = 'accounting'", number), ==, 1);
  g_assert_cmpint (count (other, "SELECT count(*) FROM child WHERE snils = '141-008-408 00' AND "
                                 "verification_status = 'verified'", NULL), ==, 1);
  assert_consistent (other);

  /* Syncing again changes nothing. */
  stats = sync_as (fixture, desk, "ivanova");
  g_assert_cmpuint (stats.pushed, ==, 0);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PfdoStore) a = new_desk (fixture, "desk-a.sqlite");
  g_autoptr(PfdoStore) b = new_desk (fixture, "desk-b.sqlite");
  g_autoptr(GError) error = NULL;
  g_autofree char *municipality = NULL;
  g_autofree char *child = NULL;
  PfdoSyncStats stats;
  sqlite3_stmt *stmt;

  sync_as (fixture, a, "ivanova");
  sync_as (fixture, b, "petrov");
  municipality = pfdo_store_dup_setting (a, "municipality_id");

  /* An unverified child nobody has a twin of. */
  stmt = pfdo_store_prepare (a,
                             "SELECT c.id FROM child c WHERE c.verification_status = "
                             "'unverified' AND c.municipality_id = ? AND c.snils IS NOT NULL "
                             "AND NOT EXISTS (SELECT 1 FROM child t WHERE t.id <> c.id AND "
                             "t.birth_date = c.birth_date) ORDER BY c.id LIMIT 1",
                             &error);
  sqlite3_bind_text (stmt, 1, municipality, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  child = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  /* Both offline: one confirms, the other rejects. */
  sign_in_locally (a, "ivanova");
  sign_in_locally (b, "petrov");
  g_assert_true (pfdo_child_verify (a, child, PFDO_DOCUMENTS_ALL, TRUE, &error));
  g_assert_true (pfdo_child_reject (b, child, "Документы не совпадают", &error));
  g_assert_no_error (error);

  /* The first to arrive wins; the second is told, on the record. */
  stats = sync_as (fixture, a, "ivanova");
  g_assert_cmpuint (stats.applied, ==, 1);
  stats = sync_as (fixture, b, "petrov");
  g_assert_cmpuint (stats.rejected, ==, 1);
  g_assert_cmpint (count (b, "SELECT count(*) FROM outbox WHERE state = 'rejected' AND "
                             "code = 'already_decided' AND entity_id = ?", child),
                   ==, 1);
  /* And the second desk now shows what stands. */
  g_assert_cmpint (count (b, "SELECT count(*) FROM child WHERE id = ? AND "
                             "verification_status = 'verified'", child),
                   ==, 1);
  assert_consistent (b);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PfdoStore) desk = new_desk (fixture, "desk-a.sqlite");
  g_autoptr(GError) error = NULL;

  g_assert_false (pfdo_sync_run (desk, fixture->base, "ivanova", "wrong", NULL, NULL, &error));
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Nothing listens there: a network error, after the retries. */
  g_assert_false (pfdo_sync_run (desk, "http://127.0.0.1:9", "ivanova", PASSWORD, NULL, NULL,
                                 &error));
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_NETWORK);
}

static void
count_sign_ins (PfdoSyncPhase phase,
                guint         done,
                guint         total,
                gpointer      user_data)
{
  Fixture *fixture = user_data;

  if (phase == PFDO_SYNC_PHASE_SIGN_IN)
    fixture->sign_ins++;
}

/* Syncs until it succeeds, as a clerk presses Sync again. */
static guint
sync_through_faults (Fixture    *fixture,
                     PfdoStore  *store,
                     const char *login)
{
  PfdoSyncOptions options = {
    .timeout_s = fixture->timeout_s, .progress = count_sign_ins, .progress_data = fixture,
  };

  for (guint tries = 1; tries <= 40; tries++)
    {
      g_autoptr(GError) error = NULL;

      if (pfdo_sync_run_full (store, fixture->base, login, PASSWORD, &options, NULL, NULL,
                              &error))
        return tries;
      if (error != NULL)
        g_test_message ("sync: %s", error->message);
      /* Only what a fault causes; never a refusal of the data. */
      g_assert_true (g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_NETWORK) ||
                     g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_SERVER));
    }
  g_assert_not_reached ();
}

/* Lost answers after commits, 500s, a slow server whose answers come after
 * the desk gave up, requests handled twice, tokens that expire mid-sync:
 * the end state is as without them. */
static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  const Faults *faults = data;
  g_autoptr(PfdoStore) desk = new_desk (fixture, "desk-a.sqlite");
  g_autoptr(PfdoStore) other = new_desk (fixture, "desk-b.sqlite");
  const char *names[] = { "Алиса", "Вера", "Глафира", "Дина", "Ева", "Зоя", "Инна", "Лада" };
  guint families = 40, tries;
  gint64 done, sent;

  tries = sync_through_faults (fixture, desk, "ivanova");
  sign_in_locally (desk, "ivanova");

  for (guint i = 0; i < families; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PfdoFamilyResult) result = NULL;
      char digits[12];
      g_autofree char *snils = NULL;
      char birth[11];
      char number[7];
      PfdoChildInput child = {
        .last_name = "Тестова", .first_name = names[i % G_N_ELEMENTS (names)],
        .birth_date = birth, .sex = "f", .document_type = "birth_certificate",
        .document_series = "II-ДН", .document_number = number,
      };
      PfdoFamilyInput input = {
        .parent = { .last_name = "Тестова", .first_name = "Мария", .phone = "+79180000000" },
        .children = &child, .n_children = 1, .allow_duplicates = TRUE,
      };

      g_snprintf (digits, 10, "%09u", 500000000u + i * 13u);
      g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
      snils = pfdo_snils_format (digits);
      child.snils = snils;
      g_snprintf (birth, sizeof birth, "2014-%02u-%02u", 1 + i % 12, 1 + i % 27);
      g_snprintf (number, sizeof number, "%06u", 900000 + i * 17);
      result = pfdo_family_register (desk, &input, NULL, &error);
      g_assert_no_error (error);
    }

  tries += sync_through_faults (fixture, desk, "ivanova");
  g_test_message ("%u syncs were needed through the faults, with %u sign-ins; %" G_GINT64_FORMAT
                  " operations came back as duplicates", tries, fixture->sign_ins,
                  count (desk, "SELECT count(*) FROM outbox WHERE state = 'duplicate'", NULL));
  /* Tokens that expire mid-sync: the desk signed in again by itself. */
  if (faults->token_ttl != NULL)
    g_assert_cmpuint (fixture->sign_ins, >, tries);

  /* Every operation has its answer, none is left pending or doubled. */
  sent = count (desk, "SELECT count(*) FROM outbox", NULL);
  done = count (desk, "SELECT count(*) FROM outbox WHERE state IN ('applied', 'duplicate')", NULL);
  g_assert_cmpint (sent, ==, families);
  g_assert_cmpint (count (desk, "SELECT count(*) FROM outbox WHERE state = 'pending'", NULL), ==,
                   0);

  /* Another desk sees each family that was applied, exactly once. */
  sync_through_faults (fixture, other, "petrov");
  g_assert_cmpint (count (other, "SELECT count(*) FROM child WHERE last_name = 'Тестова'", NULL),
                   ==, done);
  g_assert_cmpint (count (other, "SELECT count(*) FROM parent WHERE last_name = 'Тестова'", NULL),
                   ==, done);
  g_assert_cmpint (done, ==, families);
  /* The lost answers and the requests handled twice were there: the batch
   * came back as duplicates. */
  if (faults->lose_answers != NULL || faults->duplicate_rate != NULL)
    g_assert_cmpint (count (desk, "SELECT count(*) FROM outbox WHERE state = 'duplicate'",
                            NULL), >, 0);
  assert_consistent (desk);
  assert_consistent (other);
}

int
main (int   argc,
      char *argv[])
{
  static const Faults errors = { .fault_rate = "30", .lose_answers = "2" };
  /* Answers later than the desk waits, and tokens shorter than a sync. */
  static const Faults slow = { .delay_ms = "1500", .timeout_s = 1, .token_ttl = "5" };
  static const Faults duplicated = { .duplicate_rate = "100" };

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/offline-then-sync", Fixture, NULL, fixture_set_up, test_offline_then_sync,
              fixture_tear_down);
  g_test_add ("/sync/conflict", Fixture, NULL, fixture_set_up, test_conflict, fixture_tear_down);
  g_test_add ("/sync/wrong-password", Fixture, NULL, fixture_set_up, test_wrong_password,
              fixture_tear_down);
  g_test_add ("/sync/faults/errors-and-lost-answers", Fixture, &errors, fixture_set_up,
              test_faults, fixture_tear_down);
  g_test_add ("/sync/faults/slow-server", Fixture, &slow, fixture_set_up, test_faults,
              fixture_tear_down);
  g_test_add ("/sync/faults/duplicated-requests", Fixture, &duplicated, fixture_set_up,
              test_faults, fixture_tear_down);

  return g_test_run ();
}
