/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-regiond"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pfdo-demo-region.h"
#include "pfdo-server-feed.h"
#include "pfdo-server-ledger.h"
#include "pfdo-server.h"
#include "pfdo-text.h"

/*
 * pfdo-regiond --db FILE --listen 127.0.0.1:PORT [--token-ttl SECONDS]
 *              [--tls-cert PEM --tls-key PEM]
 * pfdo-regiond operator add LOGIN --role ROLE --municipality ID [--office ID]
 *                           [--name "FULL NAME"] --password-file FILE --db FILE
 * pfdo-regiond operator list --db FILE
 * pfdo-regiond operator disable LOGIN --db FILE
 * pfdo-regiond changes prune --keep-days N --db FILE
 *
 * Exit codes: 1 when the work fails, 2 for a wrong command line.
 */

static int
usage (void)
{
  g_printerr ("Usage: pfdo-regiond --db FILE --listen 127.0.0.1:PORT [--token-ttl SECONDS]\n"
              "                   [--tls-cert PEM --tls-key PEM]\n"
              "                   [--seed demo|region [--seed-value N] --demo-password P]\n"
              "       pfdo-regiond operator add LOGIN --role ROLE --municipality ID "
              "[--office ID] [--name NAME] --password-file FILE --db FILE\n"
              "       pfdo-regiond operator list --db FILE\n"
              "       pfdo-regiond operator disable LOGIN --db FILE\n"
              "       pfdo-regiond ledger grant|expire --period 2026/27 --db FILE\n"
              "       pfdo-regiond ledger charge --month 2026-10 --db FILE\n"
              "       pfdo-regiond changes prune --keep-days N --db FILE\n");
  return 2;
}

static int
fail (GError *error)
{
  g_printerr ("pfdo-regiond: %s\n", error->message);
  g_error_free (error);
  return 1;
}

static gboolean
parse (GOptionEntry  *entries,
       int           *argc,
       char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("pfdo-regiond: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
operator_command (int    argc,
                  char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *role = NULL;
  g_autofree char *municipality = NULL;
  g_autofree char *office = NULL;
  g_autofree char *name = NULL;
  g_autofree char *password_file = NULL;
  g_autoptr(PfdoStore) store = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, NULL, NULL },
    { "municipality", 0, 0, G_OPTION_ARG_STRING, &municipality, NULL, NULL },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, NULL, NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, NULL, NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, NULL, NULL },
    { NULL },
  };

  if (!parse (entries, &argc, &argv) || argc < 2 || db == NULL)
    return usage ();

  if (g_str_equal (argv[1], "add"))
    {
      g_autofree char *password = NULL;

      if (argc != 3 || role == NULL || municipality == NULL || password_file == NULL)
        return usage ();
      password = pfdo_read_first_line (password_file, &error);
      if (password == NULL)
        return fail (error);
      store = pfdo_store_open (db, &error);
      if (store == NULL)
        return fail (error);
      if (!pfdo_server_operator_add (store, argv[2], name, role, municipality, office, password,
                                     &error))
        {
          memset (password, 0, strlen (password));
          return fail (error);
        }
      memset (password, 0, strlen (password));
      g_print ("operator %s added\n", argv[2]);
      return 0;
    }

  if (g_str_equal (argv[1], "disable"))
    {
      if (argc != 3)
        return usage ();
      store = pfdo_store_open (db, &error);
      if (store == NULL || !pfdo_server_operator_disable (store, argv[2], &error))
        return fail (error);
      g_print ("operator %s disabled\n", argv[2]);
      return 0;
    }

  if (g_str_equal (argv[1], "list"))
    {
      sqlite3_stmt *stmt;

      if (argc != 2)
        return usage ();
      store = pfdo_store_open (db, &error);
      if (store == NULL)
        return fail (error);
      /* Logins and places only: never a hash. */
      stmt = pfdo_store_prepare (store,
                                 "SELECT login, role, municipality_id, coalesce (office_id, '-'), "
                                 "CASE is_active WHEN 1 THEN 'active' ELSE 'disabled' END "
                                 "FROM operator ORDER BY login",
                                 &error);
      if (stmt == NULL)
        return fail (error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_print ("%s\t%s\t%s\t%s\t%s\n", sqlite3_column_text (stmt, 0),
                 sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                 sqlite3_column_text (stmt, 3), sqlite3_column_text (stmt, 4));
      sqlite3_reset (stmt);
      return 0;
    }

  return usage ();
}

static int
ledger_command (int    argc,
                char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *period = NULL;
  g_autofree char *month = NULL;
  g_autoptr(PfdoStore) store = NULL;
  GError *error = NULL;
  guint written = 0;
  const char *argument;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, NULL, NULL },
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, NULL, NULL },
    { NULL },
  };

  if (!parse (entries, &argc, &argv) || argc != 2 || db == NULL)
    return usage ();
  if (g_str_equal (argv[1], "charge"))
    {
      if (month == NULL || !g_regex_match_simple ("^[0-9]{4}-(0[1-9]|1[0-2])$", month, 0, 0))
        return usage ();
      argument = month;
    }
  else
    {
      if (period == NULL || !g_regex_match_simple ("^[0-9]{4}/[0-9]{2}$", period, 0, 0))
        return usage ();
      argument = period;
    }

  store = pfdo_store_open (db, &error);
  if (store == NULL || !pfdo_server_ledger_run (store, argv[1], argument, &written, &error))
    return fail (error);
  g_print ("ledger %s %s: %u entries written\n", argv[1], argument, written);
  return 0;
}

static int
changes_command (int    argc,
                 char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(PfdoStore) store = NULL;
  GError *error = NULL;
  PfdoFeedPruneStats stats = { 0 };
  gint keep_days = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "keep-days", 0, 0, G_OPTION_ARG_INT, &keep_days, NULL, NULL },
    { NULL },
  };

  if (!parse (entries, &argc, &argv) || argc != 2 || !g_str_equal (argv[1], "prune") ||
      db == NULL || keep_days < 0)
    return usage ();

  store = pfdo_store_open (db, &error);
  if (store == NULL || !pfdo_server_feed_prune (store, (guint) keep_days, &stats, &error))
    return fail (error);
  g_print ("changes prune: %" G_GUINT64_FORMAT " superseded, %" G_GUINT64_FORMAT
           " deletes older than %d days removed; cursors before %" G_GINT64_FORMAT " expire\n",
           stats.superseded, stats.deletes, keep_days, stats.floor);
  return 0;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
serve_command (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *listen = NULL;
  gint64 token_ttl = 0;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(PfdoServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *host = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *demo_password = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  gint64 seed_value = 1;
  g_autoptr(GPtrArray) logins = g_ptr_array_new_with_free_func (g_free);
  PfdoDemoScale scale = PFDO_DEMO_SCALE_DEMO;
  const char *colon;
  guint64 port = 0;
  guint16 bound = 0;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, NULL, NULL },
    { "token-ttl", 0, 0, G_OPTION_ARG_INT64, &token_ttl, NULL, NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, NULL, NULL },
    { "seed-value", 0, 0, G_OPTION_ARG_INT64, &seed_value, NULL, NULL },
    { "demo-password", 0, 0, G_OPTION_ARG_STRING, &demo_password, NULL, NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, NULL, NULL },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, NULL, NULL },
    { NULL },
  };

  if (!parse (entries, &argc, &argv) || argc != 1 || db == NULL || listen == NULL ||
      (tls_cert == NULL) != (tls_key == NULL))
    return usage ();
  if (seed != NULL && (!pfdo_demo_scale_from_string (seed, &scale) || demo_password == NULL ||
                       seed_value < 0))
    return usage ();
  colon = strrchr (listen, ':');
  if (colon == NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXUINT16, &port, NULL) ||
      token_ttl < 0)
    return usage ();
  host = g_strndup (listen, (gsize) (colon - listen));

  store = pfdo_store_open (db, &error);
  if (store == NULL)
    return fail (error);

  /* A demo region, once, with one operator of each role of its capital
   * who can sign in with the demo password. */
  if (seed != NULL)
    {
      static const char *demo_logins[][2] = {
        { "sidorova", "school_staff" }, { "ivanova", "moc_clerk" }, { "petrov", "moc_admin" },
      };
      gint64 regions = pfdo_store_query_int (store, "SELECT count(*) FROM municipality", NULL,
                                             &error);

      if (regions < 0)
        return fail (error);
      if (regions == 0 &&
          !pfdo_demo_region_generate (store, scale, (guint64) seed_value, NULL, NULL, NULL, &error))
        return fail (error);
      for (guint i = 0; i < G_N_ELEMENTS (demo_logins); i++)
        {
          g_autofree char *municipality = NULL;
          g_autofree char *office = NULL;
          sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                                   "SELECT municipality_id, office_id FROM "
                                                   "operator WHERE login = ?",
                                                   &error);

          if (stmt == NULL)
            return fail (error);
          sqlite3_bind_text (stmt, 1, demo_logins[i][0], -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              municipality = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
              office = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
            }
          sqlite3_reset (stmt);
          if (municipality == NULL)
            continue;
          if (!pfdo_server_operator_add (store, demo_logins[i][0], NULL, demo_logins[i][1],
                                         municipality, office, demo_password, &error))
            return fail (error);
          g_ptr_array_add (logins, g_strdup_printf ("operator %s (%s)", demo_logins[i][0],
                                                    demo_logins[i][1]));
        }
    }

  server = pfdo_server_new (store, &error);
  if (server == NULL)
    return fail (error);
  if (token_ttl > 0)
    pfdo_server_set_token_ttl (server, token_ttl);
  if (tls_cert != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (tls_cert, tls_key,
                                                                                &error);

      if (certificate == NULL)
        return fail (error);
      pfdo_server_set_tls_certificate (server, certificate);
    }
  if (!pfdo_server_listen (server, host, (guint16) port, &bound, &error))
    return fail (error);

  /* The first line tells a script or a test where to connect. */
  g_print ("listening on %s://%s:%u\n", tls_cert != NULL ? "https" : "http", host, bound);
  for (guint i = 0; i < logins->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (logins, i));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  /* stdout says where the server listens and what a command did; its
   * messages, debug ones too, go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc >= 2 && g_str_equal (argv[1], "operator"))
    return operator_command (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "ledger"))
    return ledger_command (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "changes"))
    return changes_command (argc - 1, argv + 1);
  return serve_command (argc, argv);
}
