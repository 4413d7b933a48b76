/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-ctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pfdo-audit.h"
#include "pfdo-bundle-sync.h"
#include "pfdo-check.h"
#include "pfdo-demo-region.h"
#include "pfdo-mask.h"
#include "pfdo-meeting.h"
#include "pfdo-search.h"
#include "pfdo-stats.h"
#include "pfdo-store.h"
#include "pfdo-sync.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

/* Exit codes: the work failed, or the command line was wrong. */
#define EXIT_FAILED 1
#define EXIT_USAGE  2

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *args;
  const char  *summary;
  CommandFunc  func;
} Command;

static const Command *find_command (const char *name);

static int
usage (const char *name)
{
  const Command *command = find_command (name);

  if (command != NULL)
    g_printerr (_("Usage: pfdo-ctl %s %s\n"), command->name, _(command->args));
  return EXIT_USAGE;
}

static int
fail (GError *error)
{
  g_printerr ("pfdo-ctl: %s\n", error->message);
  g_error_free (error);
  return EXIT_FAILED;
}

/* Parses the options of one subcommand; leaves the positional arguments in
 * argv. A wrong command line is the usage line and exit code 2. */
static gboolean
parse_options (const char    *name,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("pfdo-ctl %s: %s\n", name, error->message);
      return FALSE;
    }
  return TRUE;
}

static int
command_init (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(PfdoStore) store = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("init", entries, &argc, &argv) || db == NULL || argc != 1)
    return usage ("init");

  store = pfdo_store_open (db, &error);
  if (store == NULL)
    return fail (error);

  g_print (_("Store %s is ready, schema version %d.\n"), db,
           pfdo_store_get_schema_version (store));
  return 0;
}

static void
seed_progress_cb (const char *phase,
                  guint64     done,
                  guint64     total,
                  gpointer    user_data)
{
  gboolean tty = GPOINTER_TO_INT (user_data);
  guint percent = total > 0 ? (guint) (done * 100 / total) : 100;

  /* On a terminal one line is rewritten; in a log every phase stays. */
  if (tty)
    g_printerr ("\r\033[K%s: %u%%", phase, percent);
  else if (done == total)
    g_printerr ("%s: %" G_GUINT64_FORMAT "\n", phase, total);
}

static int
command_seed (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *scale_name = NULL;
  g_autofree char *seed_text = NULL;
  g_autoptr(PfdoStore) store = NULL;
  GError *error = NULL;
  PfdoDemoScale scale;
  guint64 seed = 1;
  gboolean tty = isatty (STDERR_FILENO);
  gint64 started;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale_name, NULL, NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("seed", entries, &argc, &argv) || db == NULL || argc != 1 ||
      !pfdo_demo_scale_from_string (scale_name != NULL ? scale_name : "demo", &scale))
    return usage ("seed");
  if (seed_text != NULL && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
    return usage ("seed");

  store = pfdo_store_open (db, &error);
  if (store == NULL)
    return fail (error);

  started = g_get_monotonic_time ();
  if (!pfdo_demo_region_generate (store, scale, seed, seed_progress_cb, GINT_TO_POINTER (tty),
                                  NULL, &error))
    {
      if (tty)
        g_printerr ("\n");
      return fail (error);
    }
  if (tty)
    g_printerr ("\n");

  g_printerr (_("Seeded in %.1f s.\n"), (g_get_monotonic_time () - started) / 1e6);
  return 0;
}

static int
command_stats (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  g_autoptr(PfdoStore) store = NULL;
  GError *error = NULL;
  PfdoStats stats;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL },
    { NULL },
  };
  const struct
  {
    const char *key;
    const gint64 *value;
    gboolean money;
  } rows[] = {
    { "municipalities", &stats.municipalities, FALSE },
    { "offices", &stats.offices, FALSE },
    { "providers", &stats.providers, FALSE },
    { "programs", &stats.programs, FALSE },
    { "groups", &stats.groups, FALSE },
    { "reviews", &stats.reviews, FALSE },
    { "parents", &stats.parents, FALSE },
    { "children", &stats.children, FALSE },
    { "children_unverified", &stats.children_unverified, FALSE },
    { "children_verified", &stats.children_verified, FALSE },
    { "children_rejected", &stats.children_rejected, FALSE },
    { "certificates", &stats.certificates, FALSE },
    { "certificates_issued", &stats.certificates_issued, FALSE },
    { "certificates_accounting", &stats.certificates_accounting, FALSE },
    { "certificates_personified", &stats.certificates_personified, FALSE },
    { "certificates_frozen", &stats.certificates_frozen, FALSE },
    { "certificates_closed", &stats.certificates_closed, FALSE },
    { "enrollments", &stats.enrollments, FALSE },
    { "ledger_entries", &stats.ledger_entries, FALSE },
    { "number_blocks", &stats.number_blocks, FALSE },
    { "operators", &stats.operators, FALSE },
    { "audit_records", &stats.audit_records, FALSE },
    { "outbox_pending", &stats.outbox_pending, FALSE },
    { "outbox_rejected", &stats.outbox_rejected, FALSE },
    { "granted_kopecks", &stats.granted_kopecks, TRUE },
    { "reserved_kopecks", &stats.reserved_kopecks, TRUE },
    { "released_kopecks", &stats.released_kopecks, TRUE },
    { "charged_kopecks", &stats.charged_kopecks, TRUE },
    { "refunded_kopecks", &stats.refunded_kopecks, TRUE },
    { "expired_kopecks", &stats.expired_kopecks, TRUE },
    { "available_kopecks", &stats.available_kopecks, TRUE },
  };

  if (!parse_options ("stats", entries, &argc, &argv) || db == NULL || argc != 1)
    return usage ("stats");

  store = pfdo_store_open (db, &error);
  if (store == NULL)
    return fail (error);
  if (!pfdo_stats_load (store, &stats, &error))
    return fail (error);

  if (json)
    {
      /* Every value is an integer and every key a constant: no escaping. */
      g_autoptr(GString) out = g_string_new ("{");

      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        g_string_append_printf (out, "%s\"%s\": %lld", i > 0 ? ", " : "", rows[i].key,
                                (long long) *rows[i].value);
      g_string_append (out, "}\n");
      fputs (out->str, stdout);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      if (rows[i].money)
        {
          g_autofree char *rubles = pfdo_text_rubles (*rows[i].value);

          g_print ("%-26s %s\n", rows[i].key, rubles);
        }
      else
        g_print ("%-26s %lld\n", rows[i].key, (long long) *rows[i].value);
    }
  return 0;
}

static int
command_check (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("check", entries, &argc, &argv) || db == NULL || argc != 1)
    return usage ("check");

  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("pfdo-ctl: there is no store at %s\n"), db);
      return EXIT_FAILED;
    }

  store = pfdo_store_open (db, &error);
  if (store == NULL)
    return fail (error);
  problems = pfdo_check_run (store, &error);
  if (problems == NULL)
    return fail (error);

  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (problems, i));

  if (problems->len > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "The store has %u problem.\n",
                               "The store has %u problems.\n", problems->len),
                  problems->len);
      return EXIT_FAILED;
    }

  g_print (_("The store is consistent.\n"));
  return 0;
}

/* `audit verify`: the chain of the audit log, record by record. Exit 1
 * names the first broken link: its seq and what is wrong, with a stable
 * word for scripts (gap, prev_hash_mismatch, hash_mismatch). */
static int
command_audit (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_auto(PfdoAuditCheck) check = { 0 };
  g_autofree char *what = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("audit", entries, &argc, &argv) || db == NULL || argc != 2 ||
      !g_str_equal (argv[1], "verify"))
    return usage ("audit");

  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("pfdo-ctl: there is no store at %s\n"), db);
      return EXIT_FAILED;
    }
  store = pfdo_store_open (db, &error);
  if (store == NULL || !pfdo_audit_verify (store, &check, &error))
    return fail (error);

  what = pfdo_audit_check_describe (&check);
  if (what != NULL)
    {
      /* Translators: the seq, a stable word (gap, hash_mismatch, …) and
       * what is wrong, in words. */
      g_print (_("The audit log is broken at record %lld (%s): %s.\n"),
               (long long) check.broken_seq, pfdo_audit_fault_to_string (check.fault), what);
      return EXIT_FAILED;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "The audit log is whole: %lld record, head %s.\n",
                        "The audit log is whole: %lld records, head %s.\n",
                        (gulong) MIN (check.count, G_MAXLONG)),
           (long long) check.count, check.head);
  return 0;
}

static int
command_find (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  g_autofree char *query = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("find", entries, &argc, &argv) || db == NULL || argc < 2)
    return usage ("find");

  query = g_strjoinv (" ", argv + 1);
  store = pfdo_store_open (db, &error);
  if (store == NULL)
    return fail (error);

  matches = pfdo_search_children (store, query, 50, NULL, &error);
  if (matches == NULL)
    return fail (error);

  if (matches->len == 0)
    {
      g_printerr (_("Nothing found.\n"));
      return EXIT_FAILED;
    }

  for (guint i = 0; i < matches->len; i++)
    {
      PfdoChildMatch *m = g_ptr_array_index (matches, i);
      /* A terminal's scrollback is a log: the ends of the numbers only. */
      g_autofree char *snils = pfdo_mask_snils (m->snils);
      g_autofree char *phone = pfdo_mask_phone (m->parent_phone);

      g_print ("%s %s %s, %s, %s %s, %s\n", m->last_name, m->first_name,
               m->middle_name != NULL ? m->middle_name : "", m->birth_date, _("SNILS"),
               snils != NULL ? snils : "—",
               m->verification_status);
      g_print ("  %s: %s %s %s, %s\n", _("parent"), m->parent_last_name, m->parent_first_name,
               m->parent_middle_name != NULL ? m->parent_middle_name : "",
               phone != NULL ? phone : "—");
      if (m->certificate_number != NULL)
        g_print ("  %s: %s, %s\n", _("certificate"), m->certificate_number, m->certificate_status);
      else
        g_print ("  %s\n", _("no certificate"));
    }
  return 0;
}

static int
command_validate (int    argc,
                  char **argv)
{
  g_autofree char *value = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { NULL },
  };

  if (!parse_options ("validate", entries, &argc, &argv) || argc != 3)
    return usage ("validate");

  if (g_str_equal (argv[1], "snils"))
    value = pfdo_snils_normalize (argv[2], &error);
  else if (g_str_equal (argv[1], "phone"))
    value = pfdo_phone_normalize (argv[2], &error);
  else if (g_str_equal (argv[1], "name"))
    value = pfdo_name_normalize (argv[2], FALSE, &error);
  else
    return usage ("validate");

  if (value == NULL)
    return fail (error);

  g_print ("%s\n", value);
  return 0;
}

static void
sync_progress_cb (PfdoSyncPhase phase,
                  guint         done,
                  guint         total,
                  gpointer      user_data)
{
  gboolean tty = GPOINTER_TO_INT (user_data);
  const char *name = NULL;

  switch (phase)
    {
    case PFDO_SYNC_PHASE_SIGN_IN:
      name = _("signing in");
      break;
    case PFDO_SYNC_PHASE_PUSH:
      name = _("sending");
      break;
    case PFDO_SYNC_PHASE_PULL:
      name = _("receiving");
      break;
    case PFDO_SYNC_PHASE_IDLE:
    default:
      if (tty)
        g_printerr ("\r\033[K");
      return;
    }

  if (!tty && phase == PFDO_SYNC_PHASE_PULL && done % 5000 != 0)
    return;
  if (total > 0)
    g_printerr (tty ? "\r\033[K%s: %u / %u" : "%s: %u / %u\n", name, done, total);
  else if (done > 0)
    g_printerr (tty ? "\r\033[K%s: %u" : "%s: %u\n", name, done);
  else
    g_printerr (tty ? "\r\033[K%s" : "%s\n", name);
}

/* The options of a command that talks to the regional server. */
typedef struct
{
  char     *server;
  char     *login;
  char     *password_file;
  char     *ca_file;
  gboolean  allow_plain_http;
} ServerArgs;

#define SERVER_ENTRIES(args)                                                                \
  { "server", 0, 0, G_OPTION_ARG_STRING, &(args).server, NULL, NULL },                      \
  { "login", 0, 0, G_OPTION_ARG_STRING, &(args).login, NULL, NULL },                        \
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &(args).password_file, NULL, NULL },      \
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &(args).ca_file, NULL, NULL },                  \
  { "allow-plain-http", 0, 0, G_OPTION_ARG_NONE, &(args).allow_plain_http, NULL, NULL }

static void
server_args_clear (ServerArgs *args)
{
  g_free (args->server);
  g_free (args->login);
  g_free (args->password_file);
  g_free (args->ca_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ServerArgs, server_args_clear)

/* The sync's options for @args, with its progress on stderr. */
static PfdoSyncOptions
server_sync_options (const ServerArgs *args)
{
  return (PfdoSyncOptions) {
    .ca_file = args->ca_file,
    .allow_plain_http = args->allow_plain_http,
    .progress = sync_progress_cb,
    .progress_data = GINT_TO_POINTER (isatty (STDERR_FILENO)),
  };
}

static int
command_sync (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *password = NULL;
  g_auto(ServerArgs) server = { 0 };
  g_autoptr(PfdoStore) store = NULL;
  GError *error = NULL;
  PfdoSyncStats stats = { 0 };
  PfdoSyncOptions options;
  gboolean ok;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    SERVER_ENTRIES (server),
    { NULL },
  };

  if (!parse_options ("sync", entries, &argc, &argv) || db == NULL || server.server == NULL ||
      server.login == NULL || server.password_file == NULL || argc != 1)
    return usage ("sync");

  password = pfdo_read_first_line (server.password_file, &error);
  if (password == NULL)
    return fail (error);
  store = pfdo_store_open (db, &error);
  if (store == NULL)
    return fail (error);

  options = server_sync_options (&server);
  ok = pfdo_sync_run_full (store, server.server, server.login, password, &options, &stats, NULL,
                           &error);
  memset (password, 0, strlen (password));
  /* What was done stays done, also when the sync stopped half-way. */
  g_print (_("pushed: %u applied, %u duplicate, %u rejected; pulled: %u changes\n"),
           stats.applied, stats.duplicates, stats.rejected, stats.pulled);
  if (!ok)
    return fail (error);
  return 0;
}


/* The operator a headless change is recorded with: the one named, or the
 * one who worked at this desk last. */
static gboolean
act_as (PfdoStore   *store,
        const char  *login,
        GError     **error)
{
  g_autofree char *last = NULL;
  sqlite3_stmt *stmt;

  if (login != NULL)
    return pfdo_store_set_operator_login (store, login, error);

  stmt = pfdo_store_prepare (store,
                             "SELECT o.login FROM audit_log a JOIN operator o ON o.id = a.operator_id "
                             "WHERE o.is_active = 1 ORDER BY a.seq DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    last = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (last == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Nobody has worked at this desk yet: name the operator with --login."));
      return FALSE;
    }
  return pfdo_store_set_operator_login (store, last, error);
}

static int
command_import_class (int    argc,
                      char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *office = NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *login = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(PfdoClassList) list = NULL;
  g_autoptr(PfdoMeetingSession) session = NULL;
  g_autoptr(PfdoMeetingImport) report = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, NULL, NULL },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class_name, NULL, NULL },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("import-class", entries, &argc, &argv) || db == NULL || office == NULL ||
      class_name == NULL || argc != 2)
    return usage ("import-class");

  /* A file that cannot be read is refused before anything is written. */
  list = pfdo_class_list_load (argv[1], &error);
  if (list == NULL)
    return fail (error);
  store = pfdo_store_open (db, &error);
  if (store == NULL || !act_as (store, login, &error))
    return fail (error);
  session = pfdo_meeting_start (store, office, class_name, &error);
  if (session == NULL)
    return fail (error);
  g_print ("session: %s\n", session->id);

  report = pfdo_meeting_import_class_list (store, session->id, list, &error);
  if (report == NULL)
    return fail (error);
  /* Translators: keep the words before the colons: scripts read them. */
  g_print (_("imported: %u families, %u children; skipped: %u rows\n"), report->families,
           report->children, report->skipped->len);
  for (guint i = 0; i < report->skipped->len; i++)
    {
      PfdoMeetingSkip *skip = g_ptr_array_index (report->skipped, i);

      g_print (_("line %u: %s\n"), skip->line, skip->reason);
    }
  return 0;
}

static int
command_export_session (int    argc,
                        char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *out = NULL;
  g_autofree char *login = NULL;
  g_autoptr(PfdoStore) store = NULL;
  PfdoExportFormat format;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, NULL, NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, NULL, NULL },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("export-session", entries, &argc, &argv) || db == NULL || out == NULL ||
      argc != 2 || !pfdo_export_format_from_string (format_name != NULL ? format_name : "csv",
                                                    &format))
    return usage ("export-session");

  /* The export is someone's, in the audit log. */
  store = pfdo_store_open (db, &error);
  if (store == NULL || !act_as (store, login, &error))
    return fail (error);
  if (!pfdo_meeting_export (store, argv[1], out, format, &error))
    return fail (error);
  g_print (_("written: %s\n"), out);
  return 0;
}


/* A passphrase from the first line of a file: never on the command line,
 * where ps and the shell's history would keep it. */
static char *
read_passphrase (const char  *path,
                 GError     **error)
{
  return pfdo_read_first_line (path, error);
}

static void
wipe_text (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
}

static int
command_bundle_export (int    argc,
                       char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *out = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *login = NULL;
  g_autofree char *passphrase = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(PfdoBundleExport) export = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, NULL, NULL },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file, NULL, NULL },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("bundle export", entries, &argc, &argv) || db == NULL || out == NULL ||
      passphrase_file == NULL || argc != 1)
    return usage ("bundle export");

  passphrase = read_passphrase (passphrase_file, &error);
  if (passphrase == NULL)
    return fail (error);
  store = pfdo_store_open (db, &error);
  if (store == NULL || !act_as (store, login, &error))
    return fail (error);
  export = pfdo_bundle_export (store, out, passphrase, NULL, &error);
  wipe_text (passphrase);
  if (export == NULL)
    return fail (error);
  /* Translators: keep the words before the colons: scripts read them. */
  g_print (_("exported: %u operations; written: %s\n"), export->operations, out);
  return 0;
}

/* Applies a reply on the offline desk it was written for: the reply's
 * half of `bundle import`, and all of `bundle reply`. */
static int
apply_reply (PfdoStore             *store,
             const char            *path,
             const char            *passphrase_file,
             const PfdoSyncOptions *options)
{
  g_autofree char *passphrase = NULL;
  GError *error = NULL;
  PfdoSyncStats stats = { 0 };
  gboolean ok;

  passphrase = read_passphrase (passphrase_file, &error);
  if (passphrase == NULL)
    return fail (error);
  ok = pfdo_bundle_import_reply (store, path, passphrase, options, &stats, NULL, &error);
  wipe_text (passphrase);
  if (!ok)
    return fail (error);
  /* Translators: keep the words before the colons: scripts read them. */
  g_print (_("imported: %u applied, %u duplicate, %u rejected; pulled: %u changes\n"),
           stats.applied, stats.duplicates, stats.rejected, stats.pulled);
  return 0;
}

/* Opens the store at @db and reads what the file at @path is, if it is
 * meant for this desk. */
static gboolean
open_for_bundle (const char      *db,
                 const char      *path,
                 PfdoStore      **store,
                 PfdoBundleInfo **info,
                 GError         **error)
{
  *store = pfdo_store_open (db, error);
  if (*store == NULL)
    return FALSE;
  *info = pfdo_bundle_peek (path, error);
  return *info != NULL && pfdo_bundle_check_for_desk (*store, *info, error);
}

static int
command_bundle_import (int    argc,
                       char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *passphrase = NULL;
  g_autofree char *password = NULL;
  g_auto(ServerArgs) server = { 0 };
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(PfdoBundleInfo) info = NULL;
  GError *error = NULL;
  PfdoSyncStats stats = { 0 };
  PfdoSyncOptions options;
  gboolean ok;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file, NULL, NULL },
    { "reply", 0, 0, G_OPTION_ARG_FILENAME, &reply, NULL, NULL },
    SERVER_ENTRIES (server),
    { NULL },
  };

  if (!parse_options ("bundle import", entries, &argc, &argv) || db == NULL ||
      passphrase_file == NULL || argc != 2)
    return usage ("bundle import");

  /* What the file is decides what is done with it: another desk's export
   * is sent to the server and answered, a reply is applied. */
  if (!open_for_bundle (db, argv[1], &store, &info, &error))
    return fail (error);
  options = server_sync_options (&server);
  if (info->kind == PFDO_BUNDLE_KIND_REPLY)
    return apply_reply (store, argv[1], passphrase_file, &options);

  if (server.server == NULL || server.login == NULL || server.password_file == NULL ||
      reply == NULL)
    {
      g_printerr (_("pfdo-ctl: %s is another desk's transfer file: name the server, the "
                    "operator and where the reply goes (--server, --login, --password-file, "
                    "--reply).\n"), argv[1]);
      return usage ("bundle import");
    }
  passphrase = read_passphrase (passphrase_file, &error);
  if (passphrase == NULL)
    return fail (error);
  password = pfdo_read_first_line (server.password_file, &error);
  if (password == NULL)
    return fail (error);
  ok = act_as (store, server.login, &error) &&
       pfdo_bundle_relay (store, argv[1], passphrase, server.server, server.login, password,
                          &options, reply, &stats, NULL, &error);
  wipe_text (password);
  wipe_text (passphrase);
  if (!ok)
    return fail (error);
  /* Translators: keep the words before the colons: scripts read them. */
  g_print (_("relayed: %u applied, %u duplicate, %u rejected; reply: %u changes; "
             "written: %s\n"), stats.applied, stats.duplicates, stats.rejected, stats.pulled,
           reply);
  return 0;
}

/* `bundle reply`: the offline desk takes its answer back; another desk's
 * export given by mistake is refused before the passphrase is read. */
static int
command_bundle_reply (int    argc,
                      char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *passphrase_file = NULL;
  g_auto(ServerArgs) none = { 0 };
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(PfdoBundleInfo) info = NULL;
  GError *error = NULL;
  PfdoSyncOptions options;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, NULL, NULL },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file, NULL, NULL },
    { NULL },
  };

  if (!parse_options ("bundle reply", entries, &argc, &argv) || db == NULL ||
      passphrase_file == NULL || argc != 2)
    return usage ("bundle reply");

  if (!open_for_bundle (db, argv[1], &store, &info, &error))
    return fail (error);
  if (info->kind != PFDO_BUNDLE_KIND_REPLY)
    {
      g_printerr (_("pfdo-ctl: %s is another desk's transfer file, not a reply: send it to the "
                    "server with “bundle import”.\n"), argv[1]);
      return 1;
    }
  options = server_sync_options (&none);
  return apply_reply (store, argv[1], passphrase_file, &options);
}

static int
command_bundle_info (int    argc,
                     char **argv)
{
  g_autoptr(PfdoBundleInfo) info = NULL;
  GError *error = NULL;
  GOptionEntry entries[] = {
    { NULL },
  };

  if (!parse_options ("bundle info", entries, &argc, &argv) || argc != 2)
    return usage ("bundle info");

  /* Ids only, as the clear header has them: no passphrase is asked. */
  info = pfdo_bundle_peek (argv[1], &error);
  if (info == NULL)
    return fail (error);
  g_print ("kind: %s\n", pfdo_bundle_kind_to_string (info->kind));
  g_print ("bundle_id: %s\n", info->bundle_id);
  g_print ("created_at: %s\n", info->created_at);
  g_print ("region: %s\n", info->region != NULL ? info->region : "");
  g_print ("municipality_id: %s\n", info->municipality_id);
  g_print ("device_id: %s\n", info->device_id);
  if (info->kind == PFDO_BUNDLE_KIND_REPLY)
    {
      g_print ("to_device_id: %s\n", info->to_device_id);
      g_print ("in_reply_to: %s\n", info->in_reply_to);
    }
  return 0;
}

static const Command commands[] = {
  { "init", N_("--db FILE"), N_("create a store or bring it to the current schema"),
    command_init },
  { "seed", N_("--db FILE --scale demo|region [--seed N]"),
    N_("fill an empty store with a generated demo region"), command_seed },
  { "stats", N_("--db FILE [--json]"), N_("count each entity and total the ledger"),
    command_stats },
  { "check", N_("--db FILE"), N_("check the store's integrity and the domain's invariants"),
    command_check },
  { "audit", N_("verify --db FILE"),
    N_("check the audit log's hash chain and name its first broken link"), command_audit },
  { "find", N_("--db FILE QUERY"),
    N_("find children by SNILS, phone, certificate number or name with birth date"),
    command_find },
  { "sync", N_("--db FILE --server URL --login LOGIN --password-file FILE [--ca-file FILE] "
               "[--allow-plain-http]"),
    N_("sync the store with the regional server: send the outbox, receive the changes"),
    command_sync },
  { "bundle export", N_("--db FILE --out FILE --passphrase-file FILE [--login LOGIN]"),
    N_("on an offline desk: write the pending operations to a sealed transfer file"),
    command_bundle_export },
  { "bundle import",
    N_("--db FILE --passphrase-file FILE [--server URL --login LOGIN --password-file FILE "
       "[--ca-file FILE] [--allow-plain-http] --reply FILE] BUNDLE"),
    N_("another desk's transfer file: send it to the server and write the reply; "
       "a reply: apply it to this desk"),
    command_bundle_import },
  { "bundle reply", N_("--db FILE --passphrase-file FILE REPLY"),
    N_("on the offline desk: apply the reply to its transfer file"), command_bundle_reply },
  { "bundle info", N_("BUNDLE"),
    N_("print a transfer file's kind and ids, without the passphrase"), command_bundle_info },
  { "import-class", N_("--db FILE --office ID --class NAME [--login LOGIN] CSV"),
    N_("start a parent meeting and register the families of a class list"),
    command_import_class },
  { "export-session", N_("--db FILE SESSION_ID --format csv|xlsx --out FILE [--login LOGIN]"),
    N_("write a parent meeting's families and certificate numbers to a spreadsheet"),
    command_export_session },
  { "validate", N_("snils|phone|name VALUE"), N_("print the normalised value or the reason it "
                                                  "is refused"), command_validate },
};

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static int
general_usage (void)
{
  g_printerr (_("Usage: pfdo-ctl COMMAND [ARGUMENTS]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %-9s %s\n            %s\n", commands[i].name, _(commands[i].args),
                _(commands[i].summary));
  return EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("PFDO_LOCALEDIR");
  const Command *command;

  setlocale (LC_ALL, "");
  /* stdout is the command's answer, which scripts read; messages, debug
   * ones too, go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return general_usage ();

  /* Two-word commands first: "bundle export". */
  if (argc >= 3)
    {
      g_autofree char *two = g_strdup_printf ("%s %s", argv[1], argv[2]);

      command = find_command (two);
      if (command != NULL)
        return command->func (argc - 2, argv + 2);
    }
  command = find_command (argv[1]);
  if (command == NULL)
    return general_usage ();

  return command->func (argc - 1, argv + 1);
}
