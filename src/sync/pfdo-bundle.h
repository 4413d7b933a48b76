/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A sync bundle: the file that carries an offline desk's work to a
 * connected desk, and the answers back. See pfdo-bundle.c for the format.
 */

#define PFDO_BUNDLE_ERROR (pfdo_bundle_error_quark ())

/* Nothing of a bundle is applied when any of these is raised. */
typedef enum
{
  PFDO_BUNDLE_ERROR_IO,                 /* the file cannot be read or written */
  PFDO_BUNDLE_ERROR_NOT_A_BUNDLE,       /* not a transfer file of pfdo-desk at all */
  PFDO_BUNDLE_ERROR_NEWER_VERSION,      /* made by a newer pfdo-desk */
  PFDO_BUNDLE_ERROR_WRONG_PASSPHRASE,
  PFDO_BUNDLE_ERROR_TAMPERED,           /* a byte differs from what was written */
  PFDO_BUNDLE_ERROR_TRUNCATED,          /* the file ends before its end */
  PFDO_BUNDLE_ERROR_INVALID,            /* sealed right, but not what a bundle holds */
  PFDO_BUNDLE_ERROR_WEAK_PASSPHRASE,    /* too short to protect personal data */
  PFDO_BUNDLE_ERROR_WRONG_KIND,         /* a reply where an export was expected, or back */
  PFDO_BUNDLE_ERROR_WRONG_REGION,
  PFDO_BUNDLE_ERROR_WRONG_MUNICIPALITY,
  PFDO_BUNDLE_ERROR_WRONG_DESK,         /* a reply addressed to another desk */
  PFDO_BUNDLE_ERROR_OWN_EXPORT,         /* an export brought back to the desk that made it */
  PFDO_BUNDLE_ERROR_NOT_READY,          /* this desk has not synced once: nothing to say who it is */
} PfdoBundleError;

typedef enum
{
  PFDO_BUNDLE_KIND_EXPORT,   /* an offline desk's outbox, for a connected desk to push */
  PFDO_BUNDLE_KIND_REPLY,    /* the server's answers and changes, for that offline desk */
} PfdoBundleKind;

/* A passphrase shorter than this, in characters, is refused when sealing. */
#define PFDO_BUNDLE_PASSPHRASE_MIN 10

/* The header, readable without the passphrase and authenticated with it. */
typedef struct
{
  PfdoBundleKind  kind;
  char           *bundle_id;
  char           *region;            /* the server's region; NULL: unknown */
  char           *municipality_id;
  char           *device_id;         /* the desk that wrote it */
  char           *to_device_id;      /* a reply: the desk it answers; else NULL */
  char           *in_reply_to;       /* a reply: the export's bundle_id; else NULL */
  char           *created_at;
} PfdoBundleInfo;

typedef struct _PfdoBundleWriter PfdoBundleWriter;
typedef struct _PfdoBundleReader PfdoBundleReader;

GQuark                pfdo_bundle_error_quark      (void);
const char           *pfdo_bundle_kind_to_string   (PfdoBundleKind     kind);

PfdoBundleInfo       *pfdo_bundle_info_copy        (const PfdoBundleInfo *info);
void                  pfdo_bundle_info_free        (PfdoBundleInfo    *info);
PfdoBundleInfo       *pfdo_bundle_peek             (const char        *path,
                                                    GError           **error);
gboolean              pfdo_bundle_check_passphrase (const char        *passphrase,
                                                    GError           **error);

PfdoBundleWriter     *pfdo_bundle_writer_new       (GOutputStream     *out,
                                                    const PfdoBundleInfo *info,
                                                    const char        *passphrase,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
gboolean              pfdo_bundle_writer_add       (PfdoBundleWriter  *self,
                                                    JsonNode          *record,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
gboolean              pfdo_bundle_writer_finish    (PfdoBundleWriter  *self,
                                                    JsonNode          *last,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
void                  pfdo_bundle_writer_free      (PfdoBundleWriter  *self);

PfdoBundleReader     *pfdo_bundle_reader_new       (GInputStream      *in,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
const PfdoBundleInfo *pfdo_bundle_reader_get_info  (PfdoBundleReader  *self);
gboolean              pfdo_bundle_reader_unlock    (PfdoBundleReader  *self,
                                                    const char        *passphrase,
                                                    GError           **error);
JsonNode             *pfdo_bundle_reader_next      (PfdoBundleReader  *self,
                                                    gboolean          *out_last,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
void                  pfdo_bundle_reader_free      (PfdoBundleReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoBundleInfo, pfdo_bundle_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoBundleWriter, pfdo_bundle_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoBundleReader, pfdo_bundle_reader_free)

G_END_DECLS
