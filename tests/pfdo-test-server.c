/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "pfdo-test-server.h"

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
start_server (const char         *dir,
              const char         *password,
              const char * const *env,
              const char         *tls_cert,
              const char         *tls_key,
              char              **out_base)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (dir, "server.sqlite", NULL);
  g_autofree char *line = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GSubprocess *server;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  for (guint i = 0; env != NULL && env[i] != NULL && env[i + 1] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_ptr_array_add (argv, (char *) g_getenv ("PFDO_REGIOND"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:0");
  g_ptr_array_add (argv, "--seed");
  g_ptr_array_add (argv, "demo");
  g_ptr_array_add (argv, "--demo-password");
  g_ptr_array_add (argv, (char *) password);
  if (tls_cert != NULL)
    {
      g_ptr_array_add (argv, "--tls-cert");
      g_ptr_array_add (argv, (char *) tls_cert);
      g_ptr_array_add (argv, "--tls-key");
      g_ptr_array_add (argv, (char *) tls_key);
    }
  g_ptr_array_add (argv, NULL);
  server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  /* With G_MESSAGES_DEBUG the server's debug lines come first. */
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (!g_str_has_prefix (line, "listening on "));
  *out_base = g_strdup (line + strlen ("listening on "));
  return server;
}

GSubprocess *
pfdo_test_server_start (const char         *dir,
                        const char         *password,
                        const char * const *env,
                        char              **out_base)
{
  return start_server (dir, password, env, NULL, NULL, out_base);
}

GSubprocess *
pfdo_test_server_start_tls (const char  *dir,
                            const char  *password,
                            const char  *tls_cert,
                            const char  *tls_key,
                            char       **out_base)
{
  g_return_val_if_fail (tls_cert != NULL && tls_key != NULL, NULL);

  return start_server (dir, password, NULL, tls_cert, tls_key, out_base);
}

void
pfdo_test_server_stop (GSubprocess *server)
{
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_object_unref (server);
}

void
pfdo_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  /* tests/data/check-no-pii.py reads the stores a test used. */
  if (g_getenv ("PFDO_TEST_KEEP_DIRS") != NULL)
    return;
  handle = g_dir_open (dir, 0, NULL);

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}
