/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-memo.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

/* The memos of a parent meeting's families, read from the store once:
 * what the print dialog draws page by page and the PDF of the session. */
typedef struct _PfdoMeetingMemos PfdoMeetingMemos;

PfdoMeetingMemos       *pfdo_meeting_memos_load          (PfdoStore         *store,
                                                          const char        *session_id,
                                                          const char        *parent_id,
                                                          const char        *navigator_url,
                                                          GError           **error);
void                    pfdo_meeting_memos_free          (PfdoMeetingMemos  *memos);
guint                   pfdo_meeting_memos_get_n_families (PfdoMeetingMemos *memos);
const PfdoMemoFamily   *pfdo_meeting_memos_get_family    (PfdoMeetingMemos  *memos,
                                                          guint              index);
const PfdoMemoSettings *pfdo_meeting_memos_get_settings  (PfdoMeetingMemos  *memos);
gboolean                pfdo_meeting_memos_write_pdf     (PfdoMeetingMemos  *memos,
                                                          const char        *path,
                                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoMeetingMemos, pfdo_meeting_memos_free)

G_END_DECLS
