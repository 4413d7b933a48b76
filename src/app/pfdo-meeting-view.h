/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-family-form.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_MEETING_VIEW (pfdo_meeting_view_get_type ())

G_DECLARE_FINAL_TYPE (PfdoMeetingView, pfdo_meeting_view, PFDO, MEETING_VIEW, AdwBin)

void            pfdo_meeting_view_set_store      (PfdoMeetingView *self,
                                                  PfdoStore       *store);
void            pfdo_meeting_view_reload         (PfdoMeetingView *self);
void            pfdo_meeting_view_focus_search   (PfdoMeetingView *self);
const char     *pfdo_meeting_view_get_session_id (PfdoMeetingView *self);
PfdoFamilyForm *pfdo_meeting_view_get_form       (PfdoMeetingView *self);
void            pfdo_meeting_view_save_memos_async  (PfdoMeetingView     *self,
                                                     const char          *parent_id,
                                                     const char          *path,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        pfdo_meeting_view_save_memos_finish (PfdoMeetingView     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
GtkWindow      *pfdo_meeting_view_preview_class_list (PfdoMeetingView *self,
                                                      const char      *path,
                                                      GError         **error);

G_END_DECLS
