/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pfdo-transport.h"

/*
 * How the desk reaches the regional server. Everything it sends is
 * children's personal data or an operator's password, so the rules are
 * strict by default: plain HTTP only to this machine itself (tests, a
 * demo) unless the settings allow it explicitly; TLS certificates always
 * verified, against the system's authorities or a regional CA file; and no
 * redirect followed, since one could lead the password to plain HTTP or to
 * another host.
 *
 * libsoup 3 verifies certificates by itself: a certificate that does not
 * pass is refused unless a handler of SoupMessage::accept-certificate
 * accepts it, and the desk connects none.
 */

G_DEFINE_QUARK (pfdo-transport-error-quark, pfdo_transport_error)

/**
 * pfdo_transport_is_loopback:
 * @base_uri: (nullable): a server address
 *
 * Returns: whether @base_uri names this machine: localhost, 127.0.0.0/8
 *   or ::1
 */
gboolean
pfdo_transport_is_loopback (const char *base_uri)
{
  g_autoptr(GUri) uri = base_uri != NULL ? g_uri_parse (base_uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * pfdo_transport_check_address:
 * @base_uri: the regional server's address
 * @allow_plain_http: whether the settings allow http:// to another machine
 *
 * Refuses an address the desk must not send personal data to: one that is
 * not http:// or https:// with a host, and plain http:// to a server that
 * is not this machine, unless @allow_plain_http.
 */
gboolean
pfdo_transport_check_address (const char  *base_uri,
                              gboolean     allow_plain_http,
                              GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (base_uri != NULL, FALSE);

  uri = g_uri_parse (base_uri, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (scheme == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, PFDO_TRANSPORT_ERROR, PFDO_TRANSPORT_ERROR_BAD_ADDRESS,
                   _("“%s” is not the address of a regional server: it must begin with "
                     "https:// and name the server."),
                   base_uri);
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !allow_plain_http &&
      !pfdo_transport_is_loopback (base_uri))
    {
      g_set_error (error, PFDO_TRANSPORT_ERROR, PFDO_TRANSPORT_ERROR_PLAIN_HTTP,
                   _("The desk refuses plain HTTP to %s: children's personal data and the "
                     "password would cross the network unencrypted. Use an https:// address, "
                     "or allow plain HTTP explicitly (the allow-plain-http setting, or "
                     "pfdo-ctl sync --allow-plain-http)."),
                   host);
      return FALSE;
    }
  return TRUE;
}

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  /* The contract has no redirects; one followed could carry the password
   * to plain HTTP or to another host. It is answered as it is instead. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
}

/**
 * pfdo_transport_secure_session:
 * @ca_file: (nullable): a regional CA in PEM, trusted instead of the
 *   system's authorities; %NULL or empty: the system's
 *
 * Sets @session up for the regional server: certificates verified against
 * @ca_file or the system's authorities, and no redirect followed.
 */
gboolean
pfdo_transport_secure_session (SoupSession  *session,
                               const char   *ca_file,
                               GError      **error)
{
  g_return_val_if_fail (SOUP_IS_SESSION (session), FALSE);

  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &local_error);

      if (database == NULL)
        {
          g_set_error (error, PFDO_TRANSPORT_ERROR, PFDO_TRANSPORT_ERROR_CA_FILE,
                       _("The regional CA file %s cannot be read: %s"), ca_file,
                       local_error->message);
          return FALSE;
        }
      soup_session_set_tls_database (session, database);
    }
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), NULL);
  return TRUE;
}
