/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real pfdo-regiond ($PFDO_REGIOND) on a free port of 127.0.0.1, its
 * store in @dir, seeded with the demo region whose operators (sidorova,
 * ivanova, petrov) sign in with @password. @env: NULL-terminated pairs of
 * fault variables, or NULL. Dies with the test. */
GSubprocess *pfdo_test_server_start (const char         *dir,
                                     const char         *password,
                                     const char * const *env,
                                     char              **out_base);
/* The same over https:// with the certificate and key in PEM files. */
GSubprocess *pfdo_test_server_start_tls (const char     *dir,
                                         const char     *password,
                                         const char     *tls_cert,
                                         const char     *tls_key,
                                         char          **out_base);
void         pfdo_test_server_stop  (GSubprocess        *server);

/* Removes @dir and the files in it, unless $PFDO_TEST_KEEP_DIRS is set. */
void         pfdo_test_remove_dir   (const char         *dir);

G_END_DECLS
