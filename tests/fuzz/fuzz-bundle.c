/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer: the sync bundle reader on arbitrary bytes, with a fixed
 * passphrase. The first byte chooses how the rest is used:
 *
 *   bit 0 clear: the rest is a bundle file, read whole;
 *   bit 0 set:   the rest is the records of a bundle, one per line, sealed
 *                with the passphrase (an export, or a reply if bit 1 is
 *                set) and read back: what the fuzzer could never forge past
 *                the authentication is reached this way.
 *
 * The key derivation runs at the cheapest limits: headers asking for more
 * than 64 KiB are refused as tampered, the seeds are sealed with 8 KiB.
 */
#include "config.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "pfdo-bundle-private.h"

#define PASSPHRASE "ключ от флешки 2026"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  pfdo_bundle_set_max_memlimit (64 * 1024);
  return 0;
}

static GBytes *
seal (const char *records,
      gsize       len,
      gboolean    reply)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(PfdoBundleWriter) writer = NULL;
  PfdoBundleInfo info = {
    .kind = reply ? PFDO_BUNDLE_KIND_REPLY : PFDO_BUNDLE_KIND_EXPORT,
    .bundle_id = (char *) "b1", .region = (char *) "26", .municipality_id = (char *) "m1",
    .device_id = (char *) "d1", .to_device_id = (char *) "d2", .in_reply_to = (char *) "b0",
    .created_at = (char *) "2026-09-01T08:00:00Z",
  };
  gsize start = 0;

  writer = pfdo_bundle_writer_new_with_limits (out, &info, PASSPHRASE,
                                               crypto_pwhash_OPSLIMIT_MIN,
                                               crypto_pwhash_MEMLIMIT_MIN, NULL, NULL);
  g_assert_nonnull (writer);
  while (start < len)
    {
      const char *newline = memchr (records + start, '\n', len - start);
      gsize end = newline != NULL ? (gsize) (newline - records) : len;

      /* An empty line is no record: the writer refuses empty ones. */
      if (end > start)
        g_assert_true (pfdo_bundle_writer_add_text (writer, records + start, end - start,
                                                    newline == NULL, NULL));
      else if (newline == NULL)
        g_assert_true (pfdo_bundle_writer_add_text (writer, "{}", 2, TRUE, NULL));
      start = end + 1;
    }
  if (len == 0 || records[len - 1] == '\n')
    g_assert_true (pfdo_bundle_writer_add_text (writer, "{}", 2, TRUE, NULL));
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (size == 0)
    return 0;
  if ((data[0] & 1) == 0)
    bytes = g_bytes_new (data + 1, size - 1);
  else
    bytes = seal ((const char *) data + 1, size - 1, (data[0] & 2) != 0);

  in = g_memory_input_stream_new_from_bytes (bytes);
  ok = pfdo_bundle_verify_stream (in, PASSPHRASE, &error);
  /* Every refusal is a bundle error, with a message for the clerk. */
  g_assert_true (ok == (error == NULL));
  g_assert_true (ok || (error->domain == PFDO_BUNDLE_ERROR && error->message != NULL));
  return 0;
}
