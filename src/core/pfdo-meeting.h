/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-children.h"
#include "pfdo-class-list.h"
#include "pfdo-export.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

/* A parent meeting: the families of one class of one school, registered by
 * a member of school staff, often offline. */
typedef struct
{
  char *id;
  char *office_id;
  char *office_name;
  char *class_name;
  char *created_at;
  char *closed_at;
} PfdoMeetingSession;

/* The running summary of a session. */
typedef struct
{
  gint64 families;
  gint64 children;
  gint64 certificates;
  gint64 duplicates_caught;
  gint64 operations_waiting;   /* of the whole desk, not only of this session */
  gint64 numbers_left;         /* in the desk's leased blocks */
} PfdoMeetingSummary;

/* A school or kindergarten where a meeting can be held. */
typedef struct
{
  char *id;
  char *name;
  char *kind;
  char *address;
  char *phone;
  char *hours;
} PfdoMeetingOffice;

/* One child of a session's family, with what the memo and the export say. */
typedef struct
{
  guint  family_no;
  char  *parent_id;
  char  *parent_last_name;
  char  *parent_first_name;
  char  *parent_middle_name;
  char  *phone;
  char  *email;
  char  *child_id;
  char  *last_name;
  char  *first_name;
  char  *middle_name;
  char  *birth_date;
  char  *certificate_number;    /* NULL when none was issued */
  char  *certificate_status;
  char  *verification_status;
} PfdoMeetingChild;

/* A row of a class list that was not imported, and why. */
typedef struct
{
  guint  line;
  char  *reason;
} PfdoMeetingSkip;

/* What an import of a class list did. */
typedef struct
{
  guint      families;   /* new families */
  guint      children;
  GPtrArray *skipped;    /* PfdoMeetingSkip*, in the order of the file */
} PfdoMeetingImport;

void                pfdo_meeting_session_free      (PfdoMeetingSession  *session);
void                pfdo_meeting_office_free       (PfdoMeetingOffice   *office);
void                pfdo_meeting_child_free        (PfdoMeetingChild    *child);

GPtrArray          *pfdo_meeting_offices           (PfdoStore           *store,
                                                    GError             **error);
PfdoMeetingOffice  *pfdo_meeting_dup_moc           (PfdoStore           *store,
                                                    GError             **error);
PfdoMeetingSession *pfdo_meeting_start             (PfdoStore           *store,
                                                    const char          *office_id,
                                                    const char          *class_name,
                                                    GError             **error);
PfdoMeetingSession *pfdo_meeting_load              (PfdoStore           *store,
                                                    const char          *session_id,
                                                    GError             **error);
PfdoMeetingSession *pfdo_meeting_find_open         (PfdoStore           *store,
                                                    GError             **error);
gboolean            pfdo_meeting_close             (PfdoStore           *store,
                                                    const char          *session_id,
                                                    GError             **error);

gboolean            pfdo_meeting_save_draft        (PfdoStore           *store,
                                                    const char          *session_id,
                                                    const char          *draft_json,
                                                    GError             **error);
char               *pfdo_meeting_dup_draft         (PfdoStore           *store,
                                                    const char          *session_id,
                                                    GError             **error);

gboolean            pfdo_meeting_note_duplicate    (PfdoStore           *store,
                                                    const char          *session_id,
                                                    GError             **error);
PfdoFamilyResult   *pfdo_meeting_save_family       (PfdoStore           *store,
                                                    const char          *session_id,
                                                    const PfdoFamilyInput *input,
                                                    char               **out_field,
                                                    GError             **error);
gboolean            pfdo_meeting_get_summary       (PfdoStore           *store,
                                                    const char          *session_id,
                                                    PfdoMeetingSummary  *out_summary,
                                                    GError             **error);
GPtrArray          *pfdo_meeting_children          (PfdoStore           *store,
                                                    const char          *session_id,
                                                    const char          *parent_id,
                                                    GError             **error);
gboolean            pfdo_meeting_session_has_child (PfdoStore           *store,
                                                    const char          *session_id,
                                                    const char          *child_id,
                                                    GError             **error);

void                pfdo_meeting_import_free       (PfdoMeetingImport   *report);
PfdoMeetingImport  *pfdo_meeting_import_class_list (PfdoStore           *store,
                                                    const char          *session_id,
                                                    const PfdoClassList *list,
                                                    GError             **error);
gboolean            pfdo_meeting_export            (PfdoStore           *store,
                                                    const char          *session_id,
                                                    const char          *path,
                                                    PfdoExportFormat     format,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoMeetingOffice, pfdo_meeting_office_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoMeetingImport, pfdo_meeting_import_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoMeetingSession, pfdo_meeting_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoMeetingChild, pfdo_meeting_child_free)

G_END_DECLS
