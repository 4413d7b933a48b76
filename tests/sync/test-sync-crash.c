/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The desk killed with SIGKILL at random moments while it registers
 * families and syncs with the real server, again and again. After each
 * kill the desk's store passes the check; at the end one more sync brings
 * desk and server to agree: every family the desk holds is on the server
 * once, nothing pending, nothing doubled.
 *
 * PFDO_TEST_SEED replays a run; PFDO_SYNC_KILLS sets the number of kills.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "pfdo-check.h"
#include "pfdo-children.h"
#include "pfdo-error.h"
#include "pfdo-sync.h"
#include "pfdo-validate.h"

#define PASSWORD "демо-пароль-1"

static const char *self_path;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
sign_in_locally (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator_login (store, "ivanova", &error));
  g_assert_no_error (error);
}

static void
register_family (PfdoStore *store,
                 guint      n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  char digits[12];
  g_autofree char *snils = NULL;
  char birth[11];
  char number[7];
  PfdoChildInput child = {
    .last_name = "Крашева", .first_name = "Анна", .birth_date = birth, .sex = "f",
    .document_type = "birth_certificate", .document_series = "II-ДН", .document_number = number,
  };
  PfdoFamilyInput input = {
    .parent = { .last_name = "Крашева", .first_name = "Мария", .phone = "+79181112233" },
    .children = &child, .n_children = 1, .allow_duplicates = TRUE,
  };

  g_snprintf (digits, 10, "%09u", 600000000u + n * 11u);
  g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
  snils = pfdo_snils_format (digits);
  child.snils = snils;
  g_snprintf (birth, sizeof birth, "2013-%02u-%02u", 1 + n % 12, 1 + n % 28);
  g_snprintf (number, sizeof number, "%06u", (700000 + n * 7) % 1000000);
  result = pfdo_family_register (store, &input, NULL, &error);
  if (error != NULL && error->domain == PFDO_STORE_ERROR)
    g_error ("store error: %s", error->message);
}

/* The child: registers a family, syncs, again, until it is killed. */
static void
run_child (const char *path,
           const char *base,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  if (store == NULL)
    g_error ("cannot open the desk: %s", error->message);
  sign_in_locally (store);
  for (;;)
    {
      g_autoptr(GError) sync_error = NULL;

      register_family (store, g_rand_int_range (rand, 0, 1000000));
      if (!pfdo_sync_run (store, base, "ivanova", PASSWORD, NULL, NULL, &sync_error) &&
          sync_error->domain != PFDO_SYNC_ERROR)
        g_error ("sync failed in the store: %s", sync_error->message);
    }
}

static void
check_desk (const char *path,
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
  /* A family in the store has its operation, pending or answered. */
  g_assert_cmpint (pfdo_store_query_int (store,
                                         "SELECT count(*) FROM parent p WHERE p.last_name = "
                                         "'Крашева' AND NOT EXISTS (SELECT 1 FROM outbox o "
                                         "WHERE o.entity_id = p.id)",
                                         NULL, &error),
                   ==, 0);
}

static gint64
count (PfdoStore  *store,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pfdo_store_query_int (store, sql, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_sync_crash (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-sync-crash-XXXXXX", NULL);
  g_autofree char *server_db = g_build_filename (dir, "server.sqlite", NULL);
  g_autofree char *desk_path = g_build_filename (dir, "desk.sqlite", NULL);
  g_autofree char *other_path = g_build_filename (dir, "other.sqlite", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *seed_env = g_getenv ("PFDO_TEST_SEED");
  const char *kills_env = g_getenv ("PFDO_SYNC_KILLS");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10)
                                  : (guint32) g_get_real_time ();
  guint kills = kills_env != NULL ? (guint) g_ascii_strtoull (kills_env, NULL, 10) : 100;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  const char *base;

  g_print ("# seed: %u (replay with PFDO_TEST_SEED=%u)\n", seed, seed);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PFDO_REGIOND"), "--db",
                                        server_db, "--listen", "127.0.0.1:0", "--seed", "demo",
                                        "--demo-password", PASSWORD, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  base = line + strlen ("listening on ");

  /* The desk's first sync, whole, before the kills begin. */
  {
    g_autoptr(PfdoStore) desk = pfdo_store_open (desk_path, &error);

    g_assert_no_error (error);
    g_assert_true (pfdo_sync_run (desk, base, "ivanova", PASSWORD, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  for (guint i = 0; i < kills; i++)
    {
      guint32 child_seed = g_rand_int (rand);
      g_autofree char *seed_arg = g_strdup_printf ("%u", child_seed);
      const char *argv[] = { self_path, "--sync-child", desk_path, base, seed_arg, NULL };
      GPid pid;
      int status = 0;

      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                     &error);
      g_assert_no_error (error);
      g_usleep ((gulong) g_rand_int_range (rand, 5000, 400000));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      if (!(WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL))
        g_error ("the desk (seed %u) ended on its own with status %d", child_seed, status);

      check_desk (desk_path, i, child_seed);
    }

  /* One more sync, not interrupted: desk and server agree. */
  {
    g_autoptr(PfdoStore) desk = pfdo_store_open (desk_path, &error);
    g_autoptr(PfdoStore) other = pfdo_store_open (other_path, &error);
    g_autoptr(GPtrArray) problems = NULL;
    gint64 families;

    g_assert_no_error (error);
    g_assert_true (pfdo_sync_run (desk, base, "ivanova", PASSWORD, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (desk, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 0);
    g_assert_cmpint (count (desk, "SELECT count(*) FROM outbox WHERE state = 'rejected'"), ==,
                     count (desk, "SELECT count(*) FROM outbox WHERE state = 'rejected' AND "
                                  "code = 'duplicate_child'"));
    families = count (desk, "SELECT count(*) FROM parent p WHERE last_name = 'Крашева' AND "
                            "EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = p.id AND "
                            "o.state IN ('applied', 'duplicate'))");
    g_test_message ("%u kills; %" G_GINT64_FORMAT " families reached the server", kills,
                    families);
    g_assert_cmpint (families, >, 0);

    g_assert_true (pfdo_sync_run (other, base, "petrov", PASSWORD, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (other, "SELECT count(*) FROM parent WHERE last_name = 'Крашева'"), ==,
                     families);
    problems = pfdo_check_run (other, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }

  /* And the server's own store holds. */
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autoptr(PfdoStore) store = pfdo_store_open (server_db, &error);
    g_autoptr(GPtrArray) problems = NULL;

    g_assert_no_error (error);
    problems = pfdo_check_run (store, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < problems->len; i++)
      g_test_message ("server: %s", (const char *) g_ptr_array_index (problems, i));
    g_assert_cmpuint (problems->len, ==, 0);
  }

  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    /* tests/data/check-no-pii.py reads the stores a test used. */
    while (g_getenv ("PFDO_TEST_KEEP_DIRS") == NULL && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
    if (g_getenv ("PFDO_TEST_KEEP_DIRS") == NULL)
      g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  if (argc == 5 && g_str_equal (argv[1], "--sync-child"))
    {
      run_child (argv[2], argv[3], (guint32) g_ascii_strtoull (argv[4], NULL, 10));
      return 0;
    }

  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/crash", test_sync_crash);
  return g_test_run ();
}
