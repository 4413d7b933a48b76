/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Defensive reads of the contract's JSON, for the desk and the server
 * alike: a member that is missing or of another type reads as absent. */
const char *pfdo_json_get_string  (JsonObject  *object,
                                   const char  *name);
gboolean    pfdo_json_get_int     (JsonObject  *object,
                                   const char  *name,
                                   gint64      *out_value);
JsonObject *pfdo_json_get_object  (JsonObject  *object,
                                   const char  *name);

G_END_DECLS
