/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-bundle.h"

G_BEGIN_DECLS

/* For the tests and the fuzzer: a bundle sealed with cheaper key
 * derivation limits, a lower ceiling on what a header may ask for, and a
 * bundle read through without a store. */
PfdoBundleWriter *pfdo_bundle_writer_new_with_limits (GOutputStream        *out,
                                                      const PfdoBundleInfo *info,
                                                      const char           *passphrase,
                                                      guint64               opslimit,
                                                      gsize                 memlimit,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          pfdo_bundle_writer_add_text        (PfdoBundleWriter     *self,
                                                      const char           *text,
                                                      gsize                 len,
                                                      gboolean              last,
                                                      GError              **error);
void              pfdo_bundle_set_max_memlimit       (gsize                 memlimit);
gboolean          pfdo_bundle_verify_stream          (GInputStream         *in,
                                                      const char           *passphrase,
                                                      GError              **error);

G_END_DECLS
