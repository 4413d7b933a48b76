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

GSubprocess *
pfdo_test_server_start (const char         *dir,
                        const char         *password,
                        const char * const *env,
                        char              **out_base)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (dir, "server.sqlite", NULL);
  g_autofree char *line = NULL;
  GSubprocess *server;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  for (guint i = 0; env != NULL && env[i] != NULL && env[i + 1] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PFDO_REGIOND"), "--db", db,
                                        "--listen", "127.0.0.1:0", "--seed", "demo",
                                        "--demo-password", password, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  *out_base = g_strdup (line + strlen ("listening on "));
  return server;
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
