/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The fuzzers' seeds: valid bundles of both kinds, their records, and the
 * server's answers, written into two corpus folders.
 *
 *   fuzz-seeds BUNDLE_CORPUS SYNC_JSON_CORPUS
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "fuzz-samples.h"
#include "pfdo-bundle-private.h"

#define PASSPHRASE "ключ от флешки 2026"

static void
write_seed (const char *dir,
            const char *name,
            guchar      mode,
            const char *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = g_malloc (len + 1);
  g_autoptr(GError) error = NULL;

  contents[0] = (char) mode;
  memcpy (contents + 1, data, len);
  if (!g_file_set_contents (path, contents, (gssize) len + 1, &error))
    g_error ("%s", error->message);
}

static void
write_json (const char *dir,
            const char *name,
            const char *json)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, json, -1, &error))
    g_error ("%s", error->message);
}

/* A bundle of @records (one JSON object a line), sealed as the fuzzer
 * seals them: the same header and the cheapest derivation. */
static GBytes *
seal (const char * const *records,
      gboolean            reply)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PfdoBundleWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  PfdoBundleInfo info = {
    .kind = reply ? PFDO_BUNDLE_KIND_REPLY : PFDO_BUNDLE_KIND_EXPORT,
    .bundle_id = (char *) "b1", .region = (char *) "26", .municipality_id = (char *) "m1",
    .device_id = (char *) "d1", .to_device_id = (char *) "d2", .in_reply_to = (char *) "b0",
    .created_at = (char *) "2026-09-01T08:00:00Z",
  };

  writer = pfdo_bundle_writer_new_with_limits (out, &info, PASSPHRASE,
                                               crypto_pwhash_OPSLIMIT_MIN,
                                               crypto_pwhash_MEMLIMIT_MIN, NULL, &error);
  for (guint i = 0; writer != NULL && records[i] != NULL; i++)
    if (!pfdo_bundle_writer_add_text (writer, records[i], strlen (records[i]),
                                      records[i + 1] == NULL, &error))
      break;
  if (error != NULL)
    g_error ("%s", error->message);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
write_bundle_seeds (const char          *dir,
                    const char          *name,
                    const char * const  *records,
                    gboolean             reply)
{
  g_autoptr(GBytes) bundle = seal (records, reply);
  g_autofree char *lines = g_strjoinv ("\n", (char **) records);
  g_autofree char *bundle_name = g_strconcat (name, ".pfdobundle", NULL);
  g_autofree char *records_name = g_strconcat (name, ".records", NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data (bundle, &len);

  write_seed (dir, bundle_name, 0, data, len);
  write_seed (dir, records_name, reply ? 3 : 1, lines, strlen (lines));
}

int
main (int   argc,
      char *argv[])
{
  const char *export[] = {
    "{\"manifest\": {\"operator\": {\"id\": \"op1\", \"login\": \"ivanova\"}, \"cursor\": "
    "\"12.e1\", \"numbers_left\": 120, \"operations\": 3}}",
    "{\"operations\": " FUZZ_OPERATIONS "}",
    "{\"end\": {\"operations\": 3}}",
    NULL,
  };
  const char *reply[] = {
    "{\"manifest\": {\"since\": \"12.e1\", \"relayed_by\": {\"id\": \"op2\", \"login\": "
    "\"petrov\"}, \"operations\": 3}}",
    FUZZ_ANSWER,
    "{\"page\": " FUZZ_PAGE "}",
    "{\"page\": " FUZZ_PAGE_EMPTY "}",
    "{\"end\": {\"results\": 3, \"pages\": 2, \"changes\": 14, \"cursor\": \"1200.e1\"}}",
    NULL,
  };

  if (argc != 3)
    {
      g_printerr ("Usage: fuzz-seeds BUNDLE_CORPUS SYNC_JSON_CORPUS\n");
      return 2;
    }
  if (sodium_init () < 0)
    return 1;
  g_mkdir_with_parents (argv[1], 0700);
  g_mkdir_with_parents (argv[2], 0700);

  write_bundle_seeds (argv[1], "export", export, FALSE);
  write_bundle_seeds (argv[1], "reply", reply, TRUE);

  write_json (argv[2], "answer.json", FUZZ_ANSWER);
  write_json (argv[2], "problem.json", FUZZ_PROBLEM);
  write_json (argv[2], "page.json", FUZZ_PAGE);
  write_json (argv[2], "page-empty.json", FUZZ_PAGE_EMPTY);
  /* Nested deeper than the parsers allow: the refusal is a path too. */
  {
    g_autofree char *deep = g_strnfill (200, '[');

    write_json (argv[2], "deep.json", deep);
  }
  return 0;
}
