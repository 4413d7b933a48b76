/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How the desk reaches the regional server: plain HTTP only to this
 * machine unless allowed; TLS certificates verified against the system's
 * authorities or a regional CA file, with the host name checked; no
 * redirect followed. The TLS tests run the real pfdo-regiond over https://
 * on 127.0.0.1 with a CA and certificates that openssl makes for the test.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pfdo-sync.h"
#include "pfdo-test-server.h"
#include "pfdo-transport.h"

#define PASSWORD "пароль-tls-1"

static void
test_address_policy (void)
{
  static const struct
  {
    const char *uri;
    gboolean    allowed;             /* with plain HTTP not allowed */
    gboolean    allowed_if_plain_ok; /* with plain HTTP allowed explicitly */
    int         code;                /* the refusal without the setting, or -1 */
  } cases[] = {
    { "https://pfdo.example.ru", TRUE, TRUE, -1 },
    { "https://10.1.2.3:8443/", TRUE, TRUE, -1 },
    { "HTTPS://pfdo.example.ru", TRUE, TRUE, -1 },
    { "http://127.0.0.1:8080", TRUE, TRUE, -1 },
    { "http://127.8.9.10:8080", TRUE, TRUE, -1 },
    { "http://[::1]:8080", TRUE, TRUE, -1 },
    { "http://localhost:8080", TRUE, TRUE, -1 },
    { "http://LocalHost", TRUE, TRUE, -1 },
    { "http://pfdo.example.ru", FALSE, TRUE, PFDO_TRANSPORT_ERROR_PLAIN_HTTP },
    { "http://192.168.1.10:8080", FALSE, TRUE, PFDO_TRANSPORT_ERROR_PLAIN_HTTP },
    { "http://128.0.0.1", FALSE, TRUE, PFDO_TRANSPORT_ERROR_PLAIN_HTTP },
    { "http://0.0.0.0:8080", FALSE, TRUE, PFDO_TRANSPORT_ERROR_PLAIN_HTTP },
    { "http://[::2]:8080", FALSE, TRUE, PFDO_TRANSPORT_ERROR_PLAIN_HTTP },
    { "http://localhost.example.ru", FALSE, TRUE, PFDO_TRANSPORT_ERROR_PLAIN_HTTP },
    { "http://127.0.0.1.example.ru", FALSE, TRUE, PFDO_TRANSPORT_ERROR_PLAIN_HTTP },
    { "ftp://pfdo.example.ru", FALSE, FALSE, PFDO_TRANSPORT_ERROR_BAD_ADDRESS },
    { "pfdo.example.ru", FALSE, FALSE, PFDO_TRANSPORT_ERROR_BAD_ADDRESS },
    { "https://", FALSE, FALSE, PFDO_TRANSPORT_ERROR_BAD_ADDRESS },
    { "", FALSE, FALSE, PFDO_TRANSPORT_ERROR_BAD_ADDRESS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) plain_error = NULL;
      gboolean allowed = pfdo_transport_check_address (cases[i].uri, FALSE, &error);
      gboolean allowed_if_plain_ok = pfdo_transport_check_address (cases[i].uri, TRUE,
                                                                   &plain_error);

      g_test_message ("%s", cases[i].uri);
      g_assert_cmpint (allowed, ==, cases[i].allowed);
      g_assert_cmpint (allowed_if_plain_ok, ==, cases[i].allowed_if_plain_ok);
      if (cases[i].code >= 0)
        g_assert_error (error, PFDO_TRANSPORT_ERROR, cases[i].code);
      else
        g_assert_no_error (error);
      if (!allowed_if_plain_ok)
        g_assert_error (plain_error, PFDO_TRANSPORT_ERROR, PFDO_TRANSPORT_ERROR_BAD_ADDRESS);
    }
}

static PfdoStore *
new_desk (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PfdoStore *store = pfdo_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
count_programs (PfdoStore *store)
{
  return pfdo_store_query_int (store, "SELECT count (*) FROM program", NULL, NULL);
}

/* Plain HTTP to another machine is refused before anything is sent: no
 * connection is tried, so the refusal comes at once even for an address
 * nobody answers at. */
static void
test_plain_http_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pfdo-transport-XXXXXX", NULL);
  g_autoptr(PfdoStore) store = new_desk (dir, "desk.sqlite");
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };
  PfdoSyncOptions options = { .timeout_s = 60 };
  gint64 started = g_get_monotonic_time ();

  /* 192.0.2.0/24 is TEST-NET-1: nothing answers there. */
  g_assert_false (pfdo_sync_run_full (store, "http://192.0.2.10:8080", "ivanova", PASSWORD,
                                      &options, &stats, NULL, &error));
  g_assert_error (error, PFDO_TRANSPORT_ERROR, PFDO_TRANSPORT_ERROR_PLAIN_HTTP);
  g_assert_nonnull (strstr (error->message, "192.0.2.10"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  g_assert_cmpuint (stats.pushed + stats.pulled, ==, 0);
  g_assert_cmpint (count_programs (store), ==, 0);

  g_clear_object (&store);
  pfdo_test_remove_dir (dir);
}

/* A CA, and server certificates it signs, made with openssl in @dir. */
typedef struct
{
  char *dir;
  char *ca;          /* the regional CA's certificate */
  char *other_ca;    /* a CA that signed nothing the server holds */
  char *cert;        /* for 127.0.0.1 */
  char *key;
  char *wrong_cert;  /* for another host name, signed by the same CA */
  char *wrong_key;
} Pki;

static void
run_openssl (const char *dir,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, "openssl");
  va_start (args, dir);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &errors, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("openssl %s failed: %s", (const char *) argv->pdata[1], errors);
}

static void
make_ca (Pki        *pki,
         const char *name,
         const char *subject)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);

  run_openssl (pki->dir, "req", "-x509", "-config", "openssl.cnf", "-extensions", "ca",
               "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", key, "-out", cert, "-days", "2", "-subj", subject, NULL);
}

static void
make_server_cert (Pki        *pki,
                  const char *name,
                  const char *extensions,
                  const char *serial)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *request = g_strconcat (name, ".csr", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);

  run_openssl (pki->dir, "req", "-new", "-config", "openssl.cnf", "-newkey", "ec", "-pkeyopt",
               "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", request,
               "-subj", "/CN=pfdo-regiond", NULL);
  run_openssl (pki->dir, "x509", "-req", "-in", request, "-CA", "ca.pem", "-CAkey", "ca.key",
               "-set_serial", serial, "-days", "2", "-extfile", "openssl.cnf", "-extensions",
               extensions, "-out", cert, NULL);
}

static void
pki_make (Pki *pki)
{
  static const char config[] =
    "[req]\n"
    "distinguished_name = dn\n"
    "[dn]\n"
    "[ca]\n"
    "basicConstraints = critical, CA:true\n"
    "keyUsage = critical, keyCertSign, cRLSign\n"
    "subjectKeyIdentifier = hash\n"
    "[server]\n"
    "basicConstraints = critical, CA:false\n"
    "keyUsage = critical, digitalSignature\n"
    "extendedKeyUsage = serverAuth\n"
    "subjectAltName = IP:127.0.0.1\n"
    "[wrong_host]\n"
    "basicConstraints = critical, CA:false\n"
    "keyUsage = critical, digitalSignature\n"
    "extendedKeyUsage = serverAuth\n"
    "subjectAltName = DNS:pfdo.example.ru\n";
  g_autofree char *config_path = NULL;
  g_autoptr(GError) error = NULL;

  pki->dir = g_dir_make_tmp ("pfdo-pki-XXXXXX", NULL);
  config_path = g_build_filename (pki->dir, "openssl.cnf", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  make_ca (pki, "ca", "/CN=PFDO Test Regional CA");
  make_ca (pki, "other-ca", "/CN=PFDO Test Other CA");
  make_server_cert (pki, "server", "server", "1001");
  make_server_cert (pki, "wrong-host", "wrong_host", "1002");

  pki->ca = g_build_filename (pki->dir, "ca.pem", NULL);
  pki->other_ca = g_build_filename (pki->dir, "other-ca.pem", NULL);
  pki->cert = g_build_filename (pki->dir, "server.pem", NULL);
  pki->key = g_build_filename (pki->dir, "server.key", NULL);
  pki->wrong_cert = g_build_filename (pki->dir, "wrong-host.pem", NULL);
  pki->wrong_key = g_build_filename (pki->dir, "wrong-host.key", NULL);
}

static void
pki_clear (Pki *pki)
{
  pfdo_test_remove_dir (pki->dir);
  g_free (pki->dir);
  g_free (pki->ca);
  g_free (pki->other_ca);
  g_free (pki->cert);
  g_free (pki->key);
  g_free (pki->wrong_cert);
  g_free (pki->wrong_key);
}

/* One sync of a new desk against @base, with @ca_file or the system's
 * authorities. */
static gboolean
sync_desk (const char     *dir,
           const char     *name,
           const char     *base,
           const char     *ca_file,
           PfdoSyncStats  *stats,
           gint64         *programs,
           GError        **error)
{
  g_autoptr(PfdoStore) store = new_desk (dir, name);
  PfdoSyncOptions options = { .ca_file = ca_file };
  gboolean ok = pfdo_sync_run_full (store, base, "ivanova", PASSWORD, &options, stats, NULL,
                                    error);

  *programs = count_programs (store);
  return ok;
}

static void
test_tls_verified (void)
{
  Pki pki = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("pfdo-transport-XXXXXX", NULL);
  g_autofree char *base = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };
  GSubprocess *server;
  gint64 programs = -1;

  pki_make (&pki);
  server = pfdo_test_server_start_tls (dir, PASSWORD, pki.cert, pki.key, &base);
  g_assert_true (g_str_has_prefix (base, "https://127.0.0.1:"));

  /* The system's authorities do not know the regional CA: refused, and
   * nothing sent or received. */
  g_assert_false (sync_desk (dir, "system-ca.sqlite", base, NULL, &stats, &programs, &error));
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_TLS);
  g_assert_cmpuint (stats.pushed + stats.pulled, ==, 0);
  g_assert_cmpint (programs, ==, 0);
  g_clear_error (&error);

  /* Another CA is no better. */
  g_assert_false (sync_desk (dir, "other-ca.sqlite", base, pki.other_ca, &stats, &programs,
                             &error));
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_TLS);
  g_assert_cmpint (programs, ==, 0);
  g_clear_error (&error);

  /* A CA file that is not there is said so. */
  missing = g_build_filename (dir, "no-such-ca.pem", NULL);
  g_assert_false (sync_desk (dir, "missing-ca.sqlite", base, missing, &stats, &programs,
                             &error));
  g_assert_error (error, PFDO_TRANSPORT_ERROR, PFDO_TRANSPORT_ERROR_CA_FILE);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* With the regional CA file the same server is trusted: a whole sync. */
  g_assert_true (sync_desk (dir, "regional-ca.sqlite", base, pki.ca, &stats, &programs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, >, 0);
  g_assert_cmpint (programs, >, 0);

  pfdo_test_server_stop (server);
  pfdo_test_remove_dir (dir);
  pki_clear (&pki);
}

/* A certificate the regional CA signed, but for another host name, is
 * refused: the name is checked, not only the signature. */
static void
test_tls_wrong_host (void)
{
  Pki pki = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("pfdo-transport-XXXXXX", NULL);
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;
  PfdoSyncStats stats = { 0 };
  GSubprocess *server;
  gint64 programs = -1;

  pki_make (&pki);
  server = pfdo_test_server_start_tls (dir, PASSWORD, pki.wrong_cert, pki.wrong_key, &base);

  g_assert_false (sync_desk (dir, "desk.sqlite", base, pki.ca, &stats, &programs, &error));
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_TLS);
  g_assert_cmpuint (stats.pushed + stats.pulled, ==, 0);
  g_assert_cmpint (programs, ==, 0);

  pfdo_test_server_stop (server);
  pfdo_test_remove_dir (dir);
  pki_clear (&pki);
}

/* A server that answers the sign-in with a redirect, in its own thread. */
typedef struct
{
  GMutex        lock;
  GCond         cond;
  GMainContext *context;
  GMainLoop    *loop;
  char         *base;
  char         *elsewhere;
  gint          followed;
} Redirector;

static void
answer_json (SoupServerMessage *msg,
             guint              status,
             const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

/* Signs the desk in and leases it numbers as the contract says, then
 * sends its pull elsewhere: a GET, which libsoup would follow. */
static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Redirector *redirector = user_data;

  if (g_str_has_prefix (path, "/elsewhere"))
    {
      g_atomic_int_inc (&redirector->followed);
      answer_json (msg, 200, "{\"changes\": [], \"cursor\": \"1\", \"more\": false}");
    }
  else if (g_str_equal (path, "/api/v1/session"))
    answer_json (msg, 200,
                 "{\"token\": \"redirect-token\", \"expires_at\": \"2099-01-01T00:00:00Z\", "
                 "\"operator\": {\"id\": \"op-1\", \"login\": \"ivanova\", \"full_name\": "
                 "\"Test\", \"role\": \"moc_clerk\", \"municipality_id\": \"m-1\", "
                 "\"office_id\": null}}");
  else if (g_str_equal (path, "/api/v1/number-blocks"))
    answer_json (msg, 201, "{\"id\": \"b-1\", \"first\": \"1\", \"last\": \"200\"}");
  else
    soup_server_message_set_redirect (msg, 302, redirector->elsewhere);
}

static gpointer
redirector_thread (gpointer user_data)
{
  Redirector *redirector = user_data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *base = NULL;

  g_main_context_push_thread_default (redirector->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, redirect_cb, redirector, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  g_mutex_lock (&redirector->lock);
  redirector->base = g_strdup (base);
  redirector->elsewhere = g_strconcat (base, "/elsewhere", NULL);
  g_cond_signal (&redirector->cond);
  g_mutex_unlock (&redirector->lock);

  g_main_loop_run (redirector->loop);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (redirector->context);
  return NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* A redirect is answered as it is, never followed: one could carry the
 * password to plain HTTP or to another host. */
static void
test_redirect_not_followed (void)
{
  Redirector redirector = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("pfdo-transport-XXXXXX", NULL);
  g_autoptr(PfdoStore) store = new_desk (dir, "desk.sqlite");
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_mutex_init (&redirector.lock);
  g_cond_init (&redirector.cond);
  redirector.context = g_main_context_new ();
  redirector.loop = g_main_loop_new (redirector.context, FALSE);
  thread = g_thread_new ("redirector", redirector_thread, &redirector);
  g_mutex_lock (&redirector.lock);
  while (redirector.base == NULL)
    g_cond_wait (&redirector.cond, &redirector.lock);
  g_mutex_unlock (&redirector.lock);

  g_assert_false (pfdo_sync_run (store, redirector.base, "ivanova", PASSWORD, NULL, NULL,
                                 &error));
  g_assert_cmpint (g_atomic_int_get (&redirector.followed), ==, 0);
  g_assert_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL);

  g_main_context_invoke (redirector.context, quit_cb, redirector.loop);
  g_thread_join (thread);
  g_main_loop_unref (redirector.loop);
  g_main_context_unref (redirector.context);
  g_free (redirector.base);
  g_free (redirector.elsewhere);
  g_mutex_clear (&redirector.lock);
  g_cond_clear (&redirector.cond);
  g_clear_object (&store);
  pfdo_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/transport/address-policy", test_address_policy);
  g_test_add_func ("/transport/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/transport/tls/verified", test_tls_verified);
  g_test_add_func ("/transport/tls/wrong-host", test_tls_wrong_host);
  g_test_add_func ("/transport/redirect-not-followed", test_redirect_not_followed);

  return g_test_run ();
}
