/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pfdo-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PfdoApplication) app = NULL;
  const char *localedir = g_getenv ("PFDO_LOCALEDIR");

  /* A build can run untranslated-installed: PFDO_LOCALEDIR points at it. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = pfdo_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
