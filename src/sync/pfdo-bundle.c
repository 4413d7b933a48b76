/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-bundle"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pfdo-bundle-private.h"
#include "pfdo-json.h"
#include "pfdo-text.h"

/*
 * The file format of a sync bundle, version 1. Everything a bundle holds
 * is children's personal data, so all of it but a short header of ids is
 * sealed; the header is authenticated with the rest.
 *
 *   offset  size  what
 *   0       8     magic "PFDOBNDL"
 *   8       1     format version: 1
 *   9       1     0
 *   10      2     N, the header's length, big-endian, 2..16384
 *   12      N     the header: a JSON object in UTF-8 (kind, ids, region,
 *                 the key derivation's parameters and salt, a key check)
 *   12+N    24    the header of a crypto_secretstream_xchacha20poly1305 stream
 *   then records, each:
 *           4     L, the sealed record's length, big-endian
 *           4     L with every bit flipped (a changed length is told from a short file)
 *           L     the sealed record: a JSON object in UTF-8, and 17 bytes of tag
 *
 * The key: Argon2id (crypto_pwhash) of the passphrase, with a random salt
 * and the MODERATE limits (3 passes over 256 MiB, about half a second on
 * a laptop): the passphrase is the only secret, a lost stick can be
 * attacked at leisure, and a bundle is made or opened a few times a week,
 * so a slow derivation costs the clerk nothing and an attacker much. Two
 * keys come from it with crypto_kdf: the stream's, and a 16-byte check
 * stored in the header, which tells a wrong passphrase from a damaged
 * file (it lets an attacker test a passphrase no faster than the first
 * record does).
 *
 * The first record is sealed with every byte before it as additional
 * data, and the stream chains each record to the ones before, so a
 * changed header, a changed, dropped or reordered record fails. The last
 * record carries the FINAL tag and nothing may follow it: a file cut
 * anywhere is told apart from a changed one.
 */

#define MAGIC            "PFDOBNDL"
#define MAGIC_LEN        8
#define FORMAT_VERSION   1
#define PREFIX_LEN       12
#define HEADER_MAX       16384
#define RECORD_MAX       (64 * 1024 * 1024)
#define SALT_LEN         16
#define CHECK_LEN        16
#define KDF_CONTEXT      "pfdobndl"

typedef crypto_secretstream_xchacha20poly1305_state StreamState;

G_DEFINE_QUARK (pfdo-bundle-error-quark, pfdo_bundle_error)

/* The most memory a header may ask the derivation for; lowered by the fuzzer. */
static gsize max_memlimit = crypto_pwhash_MEMLIMIT_MODERATE;

struct _PfdoBundleWriter
{
  GOutputStream  *out;
  GByteArray     *ad;           /* every byte before the first record, until it is sealed */
  StreamState     state;
  guint           records;
  gboolean        finished;
};

struct _PfdoBundleReader
{
  GInputStream   *in;
  PfdoBundleInfo *info;
  GByteArray     *prefix;       /* every byte before the first record */
  guint64         opslimit;
  gsize           memlimit;
  guchar          salt[SALT_LEN];
  guchar          check[CHECK_LEN];
  guchar          stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  StreamState     state;
  gboolean        unlocked;
  gboolean        finished;
  guint           records;
};

static gboolean
ensure_sodium (GError **error)
{
  static gsize ready = 0;
  static gboolean ok;

  if (g_once_init_enter (&ready))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&ready, 1);
    }
  if (!ok)
    g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_IO,
                         _("The encryption library could not be started."));
  return ok;
}

const char *
pfdo_bundle_kind_to_string (PfdoBundleKind kind)
{
  return kind == PFDO_BUNDLE_KIND_REPLY ? "reply" : "export";
}

/**
 * pfdo_bundle_info_copy:
 *
 * Returns: (transfer full): a copy of @info
 */
PfdoBundleInfo *
pfdo_bundle_info_copy (const PfdoBundleInfo *info)
{
  PfdoBundleInfo *copy = g_new0 (PfdoBundleInfo, 1);

  copy->kind = info->kind;
  copy->bundle_id = g_strdup (info->bundle_id);
  copy->region = g_strdup (info->region);
  copy->municipality_id = g_strdup (info->municipality_id);
  copy->device_id = g_strdup (info->device_id);
  copy->to_device_id = g_strdup (info->to_device_id);
  copy->in_reply_to = g_strdup (info->in_reply_to);
  copy->created_at = g_strdup (info->created_at);
  return copy;
}

void
pfdo_bundle_info_free (PfdoBundleInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->bundle_id);
  g_free (info->region);
  g_free (info->municipality_id);
  g_free (info->device_id);
  g_free (info->to_device_id);
  g_free (info->in_reply_to);
  g_free (info->created_at);
  g_free (info);
}

static gboolean
set_io_error (GError     **error,
              GError      *cause,
              gboolean     writing)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return FALSE;
    }
  if (writing)
    g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_IO,
                 _("The transfer file cannot be written: %s"), cause->message);
  else
    g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_IO,
                 _("The transfer file cannot be read: %s"), cause->message);
  g_error_free (cause);
  return FALSE;
}

static gboolean
tampered (GError **error)
{
  g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TAMPERED,
                       _("The transfer file was damaged or changed after it was written. "
                         "Nothing was taken from it; ask for the file to be made again."));
  return FALSE;
}

static gboolean
truncated (GError **error)
{
  g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_TRUNCATED,
                       _("The transfer file is incomplete: it ends too early, perhaps the "
                         "stick was removed before copying finished. Nothing was taken from "
                         "it; copy the file again."));
  return FALSE;
}

/* A passphrase in one Unicode form, so a й typed as one character or as
 * и and a breve opens the same file. */
static char *
normalize_passphrase (const char *passphrase)
{
  if (!g_utf8_validate (passphrase, -1, NULL))
    return g_strdup (passphrase);
  return g_utf8_normalize (passphrase, -1, G_NORMALIZE_NFC);
}

/**
 * pfdo_bundle_check_passphrase:
 *
 * Whether @passphrase is long enough to seal a bundle with.
 */
gboolean
pfdo_bundle_check_passphrase (const char  *passphrase,
                              GError     **error)
{
  if (passphrase == NULL || !g_utf8_validate (passphrase, -1, NULL) ||
      g_utf8_strlen (passphrase, -1) < PFDO_BUNDLE_PASSPHRASE_MIN)
    {
      g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WEAK_PASSPHRASE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The passphrase is too short: a transfer file holds children's "
                                "personal data, use at least %u character.",
                                "The passphrase is too short: a transfer file holds children's "
                                "personal data, use at least %u characters.",
                                PFDO_BUNDLE_PASSPHRASE_MIN),
                   PFDO_BUNDLE_PASSPHRASE_MIN);
      return FALSE;
    }
  return TRUE;
}

/* The stream's key and the check, from the passphrase. */
static gboolean
derive_keys (const char   *passphrase,
             const guchar *salt,
             guint64       opslimit,
             gsize         memlimit,
             guchar       *stream_key,
             guchar       *check,
             GError      **error)
{
  g_autofree char *normalized = normalize_passphrase (passphrase);
  guchar master[32];
  int rc;

  rc = crypto_pwhash (master, sizeof master, normalized, strlen (normalized), salt, opslimit,
                      memlimit, crypto_pwhash_ALG_ARGON2ID13);
  sodium_memzero (normalized, strlen (normalized));
  if (rc != 0)
    {
      /* Only memory can fail here: the limits were checked. */
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_IO,
                           _("There is not enough memory to open the transfer file's lock."));
      return FALSE;
    }
  crypto_kdf_derive_from_key (stream_key, crypto_secretstream_xchacha20poly1305_KEYBYTES, 1,
                              KDF_CONTEXT, master);
  crypto_kdf_derive_from_key (check, CHECK_LEN, 2, KDF_CONTEXT, master);
  sodium_memzero (master, sizeof master);
  return TRUE;
}

static char *
to_hex (const guchar *bytes,
        gsize         len)
{
  char *hex = g_malloc (len * 2 + 1);

  return sodium_bin2hex (hex, len * 2 + 1, bytes, len);
}

static gboolean
from_hex (const char *hex,
          guchar     *bytes,
          gsize       len)
{
  gsize bin_len = 0;

  return hex != NULL && strlen (hex) == len * 2 &&
         sodium_hex2bin (bytes, len, hex, len * 2, NULL, &bin_len, NULL) == 0 && bin_len == len;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static gboolean
write_all (GOutputStream  *out,
           const void     *data,
           gsize           len,
           GCancellable   *cancellable,
           GError        **error)
{
  GError *local_error = NULL;

  if (!g_output_stream_write_all (out, data, len, NULL, cancellable, &local_error))
    return set_io_error (error, local_error, TRUE);
  return TRUE;
}

/**
 * pfdo_bundle_writer_new:
 * @out: where the bundle goes; the writer keeps a reference
 * @info: the header; @bundle_id and @created_at are filled in if %NULL
 *
 * Derives the key from @passphrase and writes the header. Blocking: the
 * derivation takes about half a second on purpose.
 *
 * Returns: (transfer full): a writer to add the records to, or %NULL
 */
PfdoBundleWriter *
pfdo_bundle_writer_new (GOutputStream         *out,
                        const PfdoBundleInfo  *info,
                        const char            *passphrase,
                        GCancellable          *cancellable,
                        GError               **error)
{
  return pfdo_bundle_writer_new_with_limits (out, info, passphrase,
                                             crypto_pwhash_OPSLIMIT_MODERATE,
                                             crypto_pwhash_MEMLIMIT_MODERATE, cancellable, error);
}

PfdoBundleWriter *
pfdo_bundle_writer_new_with_limits (GOutputStream         *out,
                                    const PfdoBundleInfo  *info,
                                    const char            *passphrase,
                                    guint64                opslimit,
                                    gsize                  memlimit,
                                    GCancellable          *cancellable,
                                    GError               **error)
{
  g_autoptr(PfdoBundleWriter) self = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *header = NULL;
  g_autofree char *salt_hex = NULL;
  g_autofree char *check_hex = NULL;
  g_autofree char *bundle_id = NULL;
  g_autofree char *created_at = NULL;
  guchar prefix[PREFIX_LEN];
  guchar salt[SALT_LEN];
  guchar check[CHECK_LEN];
  guchar key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guchar stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  gsize header_len;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), NULL);
  g_return_val_if_fail (info != NULL && info->municipality_id != NULL &&
                        info->device_id != NULL, NULL);
  g_return_val_if_fail (info->kind == PFDO_BUNDLE_KIND_EXPORT ||
                        (info->to_device_id != NULL && info->in_reply_to != NULL), NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  randombytes_buf (salt, sizeof salt);
  if (!derive_keys (passphrase, salt, opslimit, memlimit, key, check, error))
    return NULL;

  bundle_id = info->bundle_id != NULL ? g_strdup (info->bundle_id) : pfdo_uuid_new ();
  created_at = info->created_at != NULL ? g_strdup (info->created_at) : pfdo_now_utc ();
  salt_hex = to_hex (salt, sizeof salt);
  check_hex = to_hex (check, sizeof check);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "kind", pfdo_bundle_kind_to_string (info->kind));
  add_string (builder, "bundle_id", bundle_id);
  add_string (builder, "region", info->region);
  add_string (builder, "municipality_id", info->municipality_id);
  add_string (builder, "device_id", info->device_id);
  add_string (builder, "to_device_id", info->to_device_id);
  add_string (builder, "in_reply_to", info->in_reply_to);
  add_string (builder, "created_at", created_at);
  json_builder_set_member_name (builder, "kdf");
  json_builder_begin_object (builder);
  add_string (builder, "alg", "argon2id13");
  json_builder_set_member_name (builder, "opslimit");
  json_builder_add_int_value (builder, (gint64) opslimit);
  json_builder_set_member_name (builder, "memlimit");
  json_builder_add_int_value (builder, (gint64) memlimit);
  add_string (builder, "salt", salt_hex);
  json_builder_end_object (builder);
  add_string (builder, "check", check_hex);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  header = json_to_string (root, FALSE);
  header_len = strlen (header);
  g_return_val_if_fail (header_len <= HEADER_MAX, NULL);

  memcpy (prefix, MAGIC, MAGIC_LEN);
  prefix[8] = FORMAT_VERSION;
  prefix[9] = 0;
  prefix[10] = (guchar) (header_len >> 8);
  prefix[11] = (guchar) (header_len & 0xff);

  self = g_new0 (PfdoBundleWriter, 1);
  self->out = g_object_ref (out);
  crypto_secretstream_xchacha20poly1305_init_push (&self->state, stream_header, key);
  sodium_memzero (key, sizeof key);

  /* The first record is sealed with all of this as additional data. */
  self->ad = g_byte_array_sized_new (PREFIX_LEN + header_len + sizeof stream_header);
  g_byte_array_append (self->ad, prefix, PREFIX_LEN);
  g_byte_array_append (self->ad, (const guint8 *) header, header_len);
  g_byte_array_append (self->ad, stream_header, sizeof stream_header);
  if (!write_all (out, self->ad->data, self->ad->len, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Seals @len bytes of @text as the next record. */
static gboolean
writer_push_text (PfdoBundleWriter  *self,
                  const char        *text,
                  gsize              len,
                  guchar             tag,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autofree guchar *sealed = NULL;
  unsigned long long sealed_len = 0;
  guchar frame[8];
  guint32 length;

  g_return_val_if_fail (self != NULL && !self->finished, FALSE);
  g_return_val_if_fail (len > 0 && len <= RECORD_MAX, FALSE);

  sealed = g_malloc (len + crypto_secretstream_xchacha20poly1305_ABYTES);
  crypto_secretstream_xchacha20poly1305_push (&self->state, sealed, &sealed_len,
                                              (const guchar *) text, len,
                                              self->ad != NULL ? self->ad->data : NULL,
                                              self->ad != NULL ? self->ad->len : 0, tag);
  g_clear_pointer (&self->ad, g_byte_array_unref);

  length = (guint32) sealed_len;
  for (guint i = 0; i < 4; i++)
    {
      frame[i] = (guchar) (length >> (24 - 8 * i));
      frame[4 + i] = (guchar) ~frame[i];
    }
  self->records++;
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    self->finished = TRUE;
  return write_all (self->out, frame, sizeof frame, cancellable, error) &&
         write_all (self->out, sealed, sealed_len, cancellable, error);
}

static gboolean
writer_push (PfdoBundleWriter  *self,
             JsonNode          *record,
             guchar             tag,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (record != NULL && JSON_NODE_HOLDS_OBJECT (record), FALSE);

  text = json_to_string (record, FALSE);
  ok = writer_push_text (self, text, strlen (text), tag, cancellable, error);
  sodium_memzero (text, strlen (text));
  return ok;
}

/* For the fuzzer: a record of any bytes, even no JSON at all. */
gboolean
pfdo_bundle_writer_add_text (PfdoBundleWriter  *self,
                             const char        *text,
                             gsize              len,
                             gboolean           last,
                             GError           **error)
{
  GError *local_error = NULL;

  if (!writer_push_text (self, text, len,
                         last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                              : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
                         NULL, error))
    return FALSE;
  if (last && !g_output_stream_flush (self->out, NULL, &local_error))
    return set_io_error (error, local_error, TRUE);
  return TRUE;
}

/**
 * pfdo_bundle_writer_add:
 * @record: a JSON object
 *
 * Seals @record and writes it.
 */
gboolean
pfdo_bundle_writer_add (PfdoBundleWriter  *self,
                        JsonNode          *record,
                        GCancellable      *cancellable,
                        GError           **error)
{
  return writer_push (self, record, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
                      cancellable, error);
}

/**
 * pfdo_bundle_writer_finish:
 * @last: the last record, a JSON object
 *
 * Seals @last as the end of the bundle and flushes; the stream stays open.
 */
gboolean
pfdo_bundle_writer_finish (PfdoBundleWriter  *self,
                           JsonNode          *last,
                           GCancellable      *cancellable,
                           GError           **error)
{
  GError *local_error = NULL;

  if (!writer_push (self, last, crypto_secretstream_xchacha20poly1305_TAG_FINAL, cancellable,
                    error))
    return FALSE;
  if (!g_output_stream_flush (self->out, cancellable, &local_error))
    return set_io_error (error, local_error, TRUE);
  return TRUE;
}

void
pfdo_bundle_writer_free (PfdoBundleWriter *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->ad, g_byte_array_unref);
  g_object_unref (self->out);
  sodium_memzero (&self->state, sizeof self->state);
  g_free (self);
}

/* Reads exactly @len bytes; FALSE with *@out_short at the end of the file
 * before them. */
static gboolean
read_exactly (GInputStream  *in,
              void          *buffer,
              gsize          len,
              gsize         *out_read,
              GCancellable  *cancellable,
              GError       **error)
{
  GError *local_error = NULL;
  gsize n = 0;

  if (!g_input_stream_read_all (in, buffer, len, &n, cancellable, &local_error))
    return set_io_error (error, local_error, FALSE);
  if (out_read != NULL)
    *out_read = n;
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  const char *value = pfdo_json_get_string (object, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The header's JSON, all of it checked before it is believed. */
static gboolean
read_header (PfdoBundleReader  *self,
             const char        *text,
             gsize              len,
             GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PfdoBundleInfo) info = g_new0 (PfdoBundleInfo, 1);
  JsonNode *root;
  JsonObject *header, *kdf;
  const char *kind;
  gint64 opslimit = 0, memlimit = 0;

  if (!g_utf8_validate (text, (gssize) len, NULL) || !pfdo_json_load (parser, text, len, NULL))
    return tampered (error);
  root = json_parser_get_root (parser);
  header = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  kdf = pfdo_json_get_object (header, "kdf");
  kind = member_string (header, "kind");

  if (g_strcmp0 (kind, "export") == 0)
    info->kind = PFDO_BUNDLE_KIND_EXPORT;
  else if (g_strcmp0 (kind, "reply") == 0)
    info->kind = PFDO_BUNDLE_KIND_REPLY;
  else
    return tampered (error);

  info->bundle_id = g_strdup (member_string (header, "bundle_id"));
  info->region = g_strdup (member_string (header, "region"));
  info->municipality_id = g_strdup (member_string (header, "municipality_id"));
  info->device_id = g_strdup (member_string (header, "device_id"));
  info->to_device_id = g_strdup (member_string (header, "to_device_id"));
  info->in_reply_to = g_strdup (member_string (header, "in_reply_to"));
  info->created_at = g_strdup (member_string (header, "created_at"));
  if (info->bundle_id == NULL || info->municipality_id == NULL || info->device_id == NULL ||
      info->created_at == NULL ||
      (info->kind == PFDO_BUNDLE_KIND_REPLY &&
       (info->to_device_id == NULL || info->in_reply_to == NULL)))
    return tampered (error);

  /* Limits a header may not raise: a changed header must not make the
   * desk spend a gigabyte before it is found out. */
  if (g_strcmp0 (pfdo_json_get_string (kdf, "alg"), "argon2id13") != 0 ||
      !pfdo_json_get_int (kdf, "opslimit", &opslimit) ||
      !pfdo_json_get_int (kdf, "memlimit", &memlimit) ||
      opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      memlimit < (gint64) crypto_pwhash_MEMLIMIT_MIN || (guint64) memlimit > max_memlimit ||
      !from_hex (pfdo_json_get_string (kdf, "salt"), self->salt, SALT_LEN) ||
      !from_hex (pfdo_json_get_string (header, "check"), self->check, CHECK_LEN))
    return tampered (error);

  self->opslimit = (guint64) opslimit;
  self->memlimit = (gsize) memlimit;
  self->info = g_steal_pointer (&info);
  return TRUE;
}

/**
 * pfdo_bundle_reader_new:
 * @in: the bundle; the reader keeps a reference
 *
 * Reads the header. Nothing in it is authenticated before
 * pfdo_bundle_reader_unlock() and the first record.
 *
 * Returns: (transfer full): a reader, or %NULL
 */
PfdoBundleReader *
pfdo_bundle_reader_new (GInputStream  *in,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(PfdoBundleReader) self = NULL;
  guchar prefix[PREFIX_LEN];
  g_autofree char *header = NULL;
  gsize n = 0, header_len;

  g_return_val_if_fail (G_IS_INPUT_STREAM (in), NULL);

  if (!ensure_sodium (error))
    return NULL;
  self = g_new0 (PfdoBundleReader, 1);
  self->in = g_object_ref (in);

  if (!read_exactly (in, prefix, PREFIX_LEN, &n, cancellable, error))
    return NULL;
  if (n < MAGIC_LEN ? n == 0 || memcmp (prefix, MAGIC, n) != 0 : memcmp (prefix, MAGIC, MAGIC_LEN) != 0)
    {
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_NOT_A_BUNDLE,
                           _("This is not a transfer file of PFDO Desk."));
      return NULL;
    }
  if (n < PREFIX_LEN)
    {
      truncated (error);
      return NULL;
    }
  /* Only the magic and the version are the same in every format. */
  if (prefix[8] > FORMAT_VERSION)
    {
      g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_NEWER_VERSION,
                   _("This transfer file was made by a newer version of PFDO Desk (format %u; "
                     "this desk reads format %u). Update the desk to open it."),
                   prefix[8], FORMAT_VERSION);
      return NULL;
    }
  header_len = ((gsize) prefix[10] << 8) | prefix[11];
  if (prefix[8] == 0 || prefix[9] != 0 || header_len < 2 || header_len > HEADER_MAX)
    {
      tampered (error);
      return NULL;
    }

  header = g_malloc (header_len + 1);
  if (!read_exactly (in, header, header_len, &n, cancellable, error))
    return NULL;
  if (n < header_len)
    {
      truncated (error);
      return NULL;
    }
  header[header_len] = '\0';
  if (!read_header (self, header, header_len, error))
    return NULL;

  if (!read_exactly (in, self->stream_header, sizeof self->stream_header, &n, cancellable,
                     error))
    return NULL;
  if (n < sizeof self->stream_header)
    {
      truncated (error);
      return NULL;
    }

  self->prefix = g_byte_array_sized_new (PREFIX_LEN + header_len + sizeof self->stream_header);
  g_byte_array_append (self->prefix, prefix, PREFIX_LEN);
  g_byte_array_append (self->prefix, (const guint8 *) header, header_len);
  g_byte_array_append (self->prefix, self->stream_header, sizeof self->stream_header);
  return g_steal_pointer (&self);
}

/**
 * pfdo_bundle_reader_get_info:
 *
 * Returns: (transfer none): the header; authenticated only once the first
 *   record was read
 */
const PfdoBundleInfo *
pfdo_bundle_reader_get_info (PfdoBundleReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->info;
}

/**
 * pfdo_bundle_reader_unlock:
 *
 * Derives the key from @passphrase and checks it against the header's
 * check. Blocking: the derivation takes about half a second on purpose.
 */
gboolean
pfdo_bundle_reader_unlock (PfdoBundleReader  *self,
                           const char        *passphrase,
                           GError           **error)
{
  guchar key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guchar check[CHECK_LEN];

  g_return_val_if_fail (self != NULL && !self->unlocked, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  if (!derive_keys (passphrase, self->salt, self->opslimit, self->memlimit, key, check, error))
    return FALSE;
  if (sodium_memcmp (check, self->check, CHECK_LEN) != 0)
    {
      sodium_memzero (key, sizeof key);
      g_set_error_literal (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_WRONG_PASSPHRASE,
                           _("The passphrase does not open this transfer file. Check the "
                             "keyboard layout and Caps Lock, and ask whoever made the file "
                             "for the passphrase."));
      return FALSE;
    }
  /* The stream's header is a random nonce: any 24 bytes are accepted, and
   * a changed one fails the first record. */
  crypto_secretstream_xchacha20poly1305_init_pull (&self->state, self->stream_header, key);
  sodium_memzero (key, sizeof key);
  self->unlocked = TRUE;
  return TRUE;
}

/**
 * pfdo_bundle_reader_next:
 * @out_last: (out): whether this was the last record
 *
 * Reads and opens the next record. After the last, the reader checks that
 * nothing follows it.
 *
 * Returns: (transfer full): the record, a JSON object, or %NULL
 */
JsonNode *
pfdo_bundle_reader_next (PfdoBundleReader  *self,
                         gboolean          *out_last,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autofree guchar *sealed = NULL;
  g_autofree guchar *text = NULL;
  g_autoptr(JsonParser) parser = NULL;
  unsigned long long text_len = 0;
  guchar frame[8];
  guchar tag = 0;
  guint32 length = 0;
  gsize n = 0;
  JsonNode *root;

  g_return_val_if_fail (self != NULL && self->unlocked && !self->finished, NULL);
  g_return_val_if_fail (out_last != NULL, NULL);

  if (!read_exactly (self->in, frame, sizeof frame, &n, cancellable, error))
    return NULL;
  if (n < sizeof frame)
    {
      truncated (error);
      return NULL;
    }
  for (guint i = 0; i < 4; i++)
    {
      if ((frame[4 + i] ^ frame[i]) != 0xff)
        {
          tampered (error);
          return NULL;
        }
      length = (length << 8) | frame[i];
    }
  if (length <= crypto_secretstream_xchacha20poly1305_ABYTES ||
      length > RECORD_MAX + crypto_secretstream_xchacha20poly1305_ABYTES)
    {
      tampered (error);
      return NULL;
    }

  sealed = g_malloc (length);
  if (!read_exactly (self->in, sealed, length, &n, cancellable, error))
    return NULL;
  if (n < length)
    {
      truncated (error);
      return NULL;
    }

  text = g_malloc (length);
  if (crypto_secretstream_xchacha20poly1305_pull (&self->state, text, &text_len, &tag, sealed,
                                                  length,
                                                  self->records == 0 ? self->prefix->data : NULL,
                                                  self->records == 0 ? self->prefix->len : 0) != 0 ||
      (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
       tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL))
    {
      tampered (error);
      return NULL;
    }
  self->records++;

  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    {
      guchar extra;

      /* Bytes after the end were added: the file is not as written. */
      if (!read_exactly (self->in, &extra, 1, &n, cancellable, error))
        return NULL;
      if (n > 0)
        {
          tampered (error);
          return NULL;
        }
      self->finished = TRUE;
    }

  parser = json_parser_new ();
  if (!g_utf8_validate ((const char *) text, (gssize) text_len, NULL) ||
      !pfdo_json_load (parser, (const char *) text, text_len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      sodium_memzero (text, text_len);
      g_set_error (error, PFDO_BUNDLE_ERROR, PFDO_BUNDLE_ERROR_INVALID,
                   _("The transfer file is sealed correctly, but its record %u is not what a "
                     "transfer file holds."), self->records);
      return NULL;
    }
  sodium_memzero (text, text_len);
  *out_last = self->finished;
  return json_parser_steal_root (parser);
}

void
pfdo_bundle_reader_free (PfdoBundleReader *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->in);
  g_clear_pointer (&self->info, pfdo_bundle_info_free);
  g_clear_pointer (&self->prefix, g_byte_array_unref);
  sodium_memzero (&self->state, sizeof self->state);
  g_free (self);
}

/**
 * pfdo_bundle_peek:
 *
 * The header of the bundle at @path, without the passphrase: what kind of
 * bundle it is and whose. Not authenticated: enough to choose what to ask
 * for, never to decide what to apply.
 *
 * Returns: (transfer full): the header, or %NULL
 */
PfdoBundleInfo *
pfdo_bundle_peek (const char  *path,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(PfdoBundleReader) reader = NULL;
  GError *local_error = NULL;

  in = g_file_read (file, NULL, &local_error);
  if (in == NULL)
    {
      set_io_error (error, local_error, FALSE);
      return NULL;
    }
  reader = pfdo_bundle_reader_new (G_INPUT_STREAM (in), NULL, error);
  if (reader == NULL)
    return NULL;
  return g_steal_pointer (&reader->info);
}

void
pfdo_bundle_set_max_memlimit (gsize memlimit)
{
  max_memlimit = MIN (memlimit, (gsize) crypto_pwhash_MEMLIMIT_MODERATE);
}
