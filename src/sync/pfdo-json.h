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

/* Deeper than anything the contract nests (a change's data's document is
 * five levels down): json-glib parses recursively, and some tens of
 * thousands of "[" overflow the stack. */
#define PFDO_JSON_MAX_DEPTH 64

gboolean    pfdo_json_check_depth (const char  *data,
                                   gsize        length,
                                   guint        max_depth);
gboolean    pfdo_json_load        (JsonParser  *parser,
                                   const char  *data,
                                   gsize        length,
                                   GError     **error);

G_END_DECLS
