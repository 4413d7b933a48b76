/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define PFDO_TRANSPORT_ERROR (pfdo_transport_error_quark ())

typedef enum
{
  PFDO_TRANSPORT_ERROR_BAD_ADDRESS,   /* not an http:// or https:// address with a host */
  PFDO_TRANSPORT_ERROR_PLAIN_HTTP,    /* http:// to a server that is not this machine */
  PFDO_TRANSPORT_ERROR_CA_FILE,       /* the regional CA file cannot be read */
} PfdoTransportError;

GQuark    pfdo_transport_error_quark     (void);

gboolean  pfdo_transport_is_loopback     (const char   *base_uri);
gboolean  pfdo_transport_check_address   (const char   *base_uri,
                                          gboolean      allow_plain_http,
                                          GError      **error);
gboolean  pfdo_transport_secure_session  (SoupSession  *session,
                                          const char   *ca_file,
                                          GError      **error);

G_END_DECLS
