/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The syncer the window binds to, against the real pfdo-regiond: it asks
 * for a password, forgets a refused one, reports its phases as properties,
 * counts what waits, syncs by itself on its timer, and stops when told.
 */
#include "config.h"

#include <locale.h>

#include "pfdo-children.h"
#include "pfdo-syncer.h"
#include "pfdo-test-server.h"
#include "pfdo-transport.h"
#include "pfdo-validate.h"

#define PASSWORD "демо-пароль-1"

typedef struct
{
  char        *dir;
  GSubprocess *server;
  char        *base;
  PfdoStore   *store;
  PfdoSyncer  *syncer;
  /* What the signals and notifications said. */
  guint        finished;
  GError      *error;
  guint        passwords_asked;
  GArray      *phases;
  guint        max_total;
} Fixture;

static void
finished_cb (PfdoSyncer *syncer,
             GError     *error,
             Fixture    *fixture)
{
  fixture->finished++;
  g_clear_error (&fixture->error);
  if (error != NULL)
    fixture->error = g_error_copy (error);
}

static void
password_needed_cb (PfdoSyncer *syncer,
                    GError     *error,
                    Fixture    *fixture)
{
  fixture->passwords_asked++;
}

static void
phase_cb (PfdoSyncer *syncer,
          GParamSpec *pspec,
          Fixture    *fixture)
{
  PfdoSyncPhase phase = pfdo_syncer_get_phase (syncer);

  g_array_append_val (fixture->phases, phase);
}

static void
total_cb (PfdoSyncer *syncer,
          GParamSpec *pspec,
          Fixture    *fixture)
{
  fixture->max_total = MAX (fixture->max_total, pfdo_syncer_get_total (syncer));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  /* Slow enough that a sync can be stopped half-way. */
  const char *env[] = { "PFDO_REGIOND_DELAY_MS", data, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *desk = NULL;

  fixture->dir = g_dir_make_tmp ("pfdo-syncer-XXXXXX", NULL);
  fixture->server = pfdo_test_server_start (fixture->dir, PASSWORD, data != NULL ? env : NULL,
                                            &fixture->base);
  desk = g_build_filename (fixture->dir, "desk.sqlite", NULL);
  fixture->store = pfdo_store_open (desk, &error);
  g_assert_no_error (error);
  fixture->syncer = pfdo_syncer_new (fixture->store);
  fixture->phases = g_array_new (FALSE, FALSE, sizeof (PfdoSyncPhase));
  g_signal_connect (fixture->syncer, "finished", G_CALLBACK (finished_cb), fixture);
  g_signal_connect (fixture->syncer, "password-needed", G_CALLBACK (password_needed_cb), fixture);
  g_signal_connect (fixture->syncer, "notify::phase", G_CALLBACK (phase_cb), fixture);
  g_signal_connect (fixture->syncer, "notify::total", G_CALLBACK (total_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->syncer);
  g_clear_object (&fixture->store);
  g_clear_error (&fixture->error);
  g_array_unref (fixture->phases);
  pfdo_test_server_stop (fixture->server);
  pfdo_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->base);
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_error ("the syncer did not finish in time");
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the syncer has finished @n times in all. */
static void
wait_finished (Fixture *fixture,
               guint    n)
{
  guint guard = g_timeout_add_seconds (60, give_up_cb, NULL);

  while (fixture->finished < n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static void
register_family (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  char digits[12] = "512345678";
  g_autofree char *snils = NULL;
  PfdoChildInput child = {
    .last_name = "Синкова", .first_name = "Ольга", .birth_date = "2015-03-04", .sex = "f",
    .document_type = "birth_certificate", .document_series = "II-ДН", .document_number = "123456",
  };
  PfdoFamilyInput input = {
    .parent = { .last_name = "Синкова", .first_name = "Мария", .phone = "+79185554433" },
    .children = &child, .n_children = 1,
  };

  g_snprintf (digits + 9, 3, "%02u", pfdo_snils_checksum (digits));
  snils = pfdo_snils_format (digits);
  child.snils = snils;
  result = pfdo_family_register (store, &input, NULL, &error);
  g_assert_no_error (error);
}

static void
sign_in_locally (PfdoStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pfdo_store_set_operator_login (store, "ivanova", &error));
  g_assert_no_error (error);
}

static void
test_password (Fixture       *fixture,
               gconstpointer  data)
{
  /* No server: nothing to do, and nothing asked. */
  g_assert_false (pfdo_syncer_sync (fixture->syncer));
  g_assert_cmpuint (fixture->passwords_asked, ==, 0);

  /* A server, but no password yet: the operator is asked. */
  pfdo_syncer_set_server (fixture->syncer, fixture->base, NULL);
  g_assert_true (pfdo_syncer_get_online (fixture->syncer));
  g_assert_false (pfdo_syncer_sync (fixture->syncer));
  g_assert_cmpuint (fixture->passwords_asked, ==, 1);

  /* A wrong one is refused, forgotten, and asked for again. */
  pfdo_syncer_set_credentials (fixture->syncer, "ivanova", "неверный-пароль");
  g_assert_true (pfdo_syncer_sync (fixture->syncer));
  g_assert_true (pfdo_syncer_get_busy (fixture->syncer));
  g_assert_false (pfdo_syncer_sync (fixture->syncer));
  wait_finished (fixture, 1);
  g_assert_error (fixture->error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (fixture->passwords_asked, ==, 2);
  g_assert_false (pfdo_syncer_has_password (fixture->syncer));
  g_assert_false (pfdo_syncer_get_busy (fixture->syncer));
  g_assert_null (pfdo_syncer_get_last_sync (fixture->syncer));
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  gboolean pushed = FALSE, pulled = FALSE;

  pfdo_syncer_set_server (fixture->syncer, fixture->base, NULL);
  pfdo_syncer_set_credentials (fixture->syncer, "ivanova", PASSWORD);
  g_assert_true (pfdo_syncer_sync (fixture->syncer));
  wait_finished (fixture, 1);
  g_assert_no_error (fixture->error);
  g_assert_nonnull (pfdo_syncer_get_last_sync (fixture->syncer));
  g_assert_cmpuint (pfdo_syncer_get_last_stats (fixture->syncer)->pulled, >, 1000);

  /* Work done offline is counted as waiting, then sent. */
  sign_in_locally (fixture->store);
  register_family (fixture->store);
  pfdo_syncer_refresh (fixture->syncer);
  g_assert_cmpuint (pfdo_syncer_get_pending (fixture->syncer), ==, 1);

  g_array_set_size (fixture->phases, 0);
  g_assert_true (pfdo_syncer_sync (fixture->syncer));
  wait_finished (fixture, 2);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (pfdo_syncer_get_pending (fixture->syncer), ==, 0);
  g_assert_cmpuint (pfdo_syncer_get_rejected (fixture->syncer), ==, 0);
  g_assert_cmpuint (pfdo_syncer_get_last_stats (fixture->syncer)->applied, ==, 1);
  g_assert_cmpuint (fixture->max_total, ==, 1);

  /* The phases went by in order and ended idle. */
  g_assert_cmpuint (fixture->phases->len, >=, 3);
  g_assert_cmpint (g_array_index (fixture->phases, PfdoSyncPhase, 0), ==, PFDO_SYNC_PHASE_SIGN_IN);
  for (guint i = 0; i < fixture->phases->len; i++)
    {
      PfdoSyncPhase phase = g_array_index (fixture->phases, PfdoSyncPhase, i);

      pushed |= phase == PFDO_SYNC_PHASE_PUSH;
      pulled |= phase == PFDO_SYNC_PHASE_PULL;
      if (phase == PFDO_SYNC_PHASE_PUSH)
        g_assert_false (pulled);
    }
  g_assert_true (pushed && pulled);
  g_assert_cmpint (g_array_index (fixture->phases, PfdoSyncPhase, fixture->phases->len - 1), ==,
                   PFDO_SYNC_PHASE_IDLE);
  g_assert_cmpint (pfdo_syncer_get_phase (fixture->syncer), ==, PFDO_SYNC_PHASE_IDLE);
}

static void
test_timer (Fixture       *fixture,
            gconstpointer  data)
{
  pfdo_syncer_set_server (fixture->syncer, fixture->base, NULL);
  pfdo_syncer_set_credentials (fixture->syncer, "ivanova", PASSWORD);
  /* Nobody presses Sync: the timer does, twice. */
  pfdo_syncer_set_interval (fixture->syncer, 1);
  wait_finished (fixture, 2);
  g_assert_no_error (fixture->error);
  pfdo_syncer_set_interval (fixture->syncer, 0);
  g_assert_nonnull (pfdo_syncer_get_last_sync (fixture->syncer));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pfdo_syncer_set_server (fixture->syncer, fixture->base, NULL);
  pfdo_syncer_set_credentials (fixture->syncer, "ivanova", PASSWORD);
  g_assert_true (pfdo_syncer_sync (fixture->syncer));
  /* Stopped while the slow server thinks about the sign-in. */
  pfdo_syncer_cancel (fixture->syncer);
  wait_finished (fixture, 1);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (pfdo_syncer_get_busy (fixture->syncer));
  g_assert_null (pfdo_syncer_get_last_sync (fixture->syncer));
  /* The password stays: a stop is not a refusal. */
  g_assert_true (pfdo_syncer_has_password (fixture->syncer));
  g_assert_cmpint (pfdo_store_query_int (fixture->store, "SELECT count (*) FROM program", NULL,
                                         &error), ==, 0);
  g_assert_no_error (error);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* An http:// server on another machine is refused until the settings
 * allow it: the syncer says why, and neither syncs nor asks for a
 * password. 0.0.0.0 is not loopback by its address, yet Linux connects it
 * to this machine, where the test server listens. */
static void
test_plain_http (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *any = NULL;
  guint notified = 0;

  g_assert_true (g_str_has_prefix (fixture->base, "http://127.0.0.1:"));
  any = g_strconcat ("http://0.0.0.0:", fixture->base + strlen ("http://127.0.0.1:"), NULL);
  g_signal_connect (fixture->syncer, "notify::refusal", G_CALLBACK (count_notify_cb), &notified);

  pfdo_syncer_set_server (fixture->syncer, any, NULL);
  g_assert_error ((GError *) pfdo_syncer_get_refusal (fixture->syncer), PFDO_TRANSPORT_ERROR,
                  PFDO_TRANSPORT_ERROR_PLAIN_HTTP);
  g_assert_cmpuint (notified, ==, 1);
  pfdo_syncer_set_credentials (fixture->syncer, "ivanova", PASSWORD);
  g_assert_false (pfdo_syncer_sync (fixture->syncer));
  g_assert_false (pfdo_syncer_get_busy (fixture->syncer));
  g_assert_cmpuint (fixture->passwords_asked, ==, 0);

  /* Loopback needs no permission. */
  pfdo_syncer_set_server (fixture->syncer, fixture->base, NULL);
  g_assert_null (pfdo_syncer_get_refusal (fixture->syncer));
  g_assert_cmpuint (notified, ==, 2);

  /* Allowed explicitly, the same address syncs. */
  pfdo_syncer_set_server (fixture->syncer, any, NULL);
  g_assert_nonnull (pfdo_syncer_get_refusal (fixture->syncer));
  pfdo_syncer_set_allow_plain_http (fixture->syncer, TRUE);
  g_assert_null (pfdo_syncer_get_refusal (fixture->syncer));
  g_assert_cmpuint (notified, ==, 4);
  g_assert_true (pfdo_syncer_sync (fixture->syncer));
  wait_finished (fixture, 1);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (pfdo_syncer_get_last_stats (fixture->syncer)->pulled, >, 0);

  /* Not an address at all. */
  pfdo_syncer_set_server (fixture->syncer, "pfdo.example.ru", NULL);
  g_assert_error ((GError *) pfdo_syncer_get_refusal (fixture->syncer), PFDO_TRANSPORT_ERROR,
                  PFDO_TRANSPORT_ERROR_BAD_ADDRESS);
  g_assert_false (pfdo_syncer_sync (fixture->syncer));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/syncer/password", Fixture, NULL, fixture_set_up, test_password,
              fixture_tear_down);
  g_test_add ("/syncer/progress", Fixture, NULL, fixture_set_up, test_progress,
              fixture_tear_down);
  g_test_add ("/syncer/timer", Fixture, NULL, fixture_set_up, test_timer, fixture_tear_down);
  g_test_add ("/syncer/cancel", Fixture, "800", fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/syncer/plain-http", Fixture, NULL, fixture_set_up, test_plain_http,
              fixture_tear_down);

  return g_test_run ();
}
