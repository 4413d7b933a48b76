/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* 'PFD0': marks a SQLite file as a pfdo-desk store. */
#define PFDO_STORE_APPLICATION_ID 0x50464430

typedef enum
{
  PFDO_ROLE_NONE = 0,
  PFDO_ROLE_SCHOOL_STAFF,
  PFDO_ROLE_MOC_CLERK,
  PFDO_ROLE_MOC_ADMIN,
} PfdoRole;

#define PFDO_TYPE_STORE (pfdo_store_get_type ())

G_DECLARE_FINAL_TYPE (PfdoStore, pfdo_store, PFDO, STORE, GObject)

typedef gboolean (*PfdoStoreWriteFunc) (PfdoStore *store,
                                        gpointer   user_data,
                                        GError   **error);

PfdoStore    *pfdo_store_open                  (const char         *path,
                                                GError            **error);
const char   *pfdo_store_get_path              (PfdoStore          *self);
int           pfdo_store_get_schema_version    (PfdoStore          *self);
int           pfdo_store_get_latest_version    (void);
sqlite3      *pfdo_store_get_db                (PfdoStore          *self);

sqlite3_stmt *pfdo_store_prepare               (PfdoStore          *self,
                                                const char         *sql,
                                                GError            **error);
gboolean      pfdo_store_exec                  (PfdoStore          *self,
                                                const char         *sql,
                                                GError            **error);
gboolean      pfdo_store_step_done             (PfdoStore          *self,
                                                sqlite3_stmt       *stmt,
                                                GError            **error);
gint64        pfdo_store_query_int             (PfdoStore          *self,
                                                const char         *sql,
                                                const char         *text_param,
                                                GError            **error);
gboolean      pfdo_store_write                 (PfdoStore          *self,
                                                PfdoStoreWriteFunc  func,
                                                gpointer            user_data,
                                                GError            **error);
gboolean      pfdo_store_in_transaction        (PfdoStore          *self);
void          pfdo_store_set_error             (PfdoStore          *self,
                                                int                 rc,
                                                GError            **error);

char         *pfdo_store_dup_setting           (PfdoStore          *self,
                                                const char         *key);
gboolean      pfdo_store_set_setting           (PfdoStore          *self,
                                                const char         *key,
                                                const char         *value,
                                                GError            **error);
const char   *pfdo_store_get_device_id         (PfdoStore          *self);

gboolean      pfdo_store_set_operator          (PfdoStore          *self,
                                                const char         *operator_id,
                                                GError            **error);
gboolean      pfdo_store_set_cache_kib         (PfdoStore          *self,
                                                guint               kib,
                                                GError            **error);
gboolean      pfdo_store_set_operator_login    (PfdoStore          *self,
                                                const char         *login,
                                                GError            **error);
const char   *pfdo_store_get_operator_id       (PfdoStore          *self);
PfdoRole      pfdo_store_get_operator_role     (PfdoStore          *self);
const char   *pfdo_store_get_operator_municipality_id (PfdoStore   *self);
char         *pfdo_store_dup_municipality_id   (PfdoStore          *self);
const char   *pfdo_store_get_operator_office_id       (PfdoStore   *self);
gboolean      pfdo_store_require_role          (PfdoStore          *self,
                                                PfdoRole            least,
                                                GError            **error);

gboolean      pfdo_store_audit                 (PfdoStore          *self,
                                                const char         *action,
                                                const char         *entity,
                                                const char         *record_id,
                                                const char         *detail,
                                                GError            **error);
/* What the regional server made of this desk's changes to one record. */
typedef enum
{
  PFDO_RECORD_SYNC_NONE,       /* this desk did not change it */
  PFDO_RECORD_SYNC_SYNCED,     /* every change was applied */
  PFDO_RECORD_SYNC_WAITING,    /* a change waits to be sent */
  PFDO_RECORD_SYNC_REJECTED,   /* the latest answer was a refusal: see its code */
} PfdoRecordSync;

PfdoRecordSync pfdo_store_get_record_sync      (PfdoStore          *self,
                                                const char         *entity,
                                                const char         *id,
                                                char              **out_code,
                                                char              **out_detail,
                                                GError            **error);
void          pfdo_store_set_keeps_outbox      (PfdoStore          *self,
                                                gboolean            keeps);
gboolean      pfdo_store_enqueue               (PfdoStore          *self,
                                                const char         *type,
                                                const char         *entity,
                                                const char         *entity_id,
                                                const char         *payload_json,
                                                GError            **error);

PfdoRole      pfdo_role_from_string            (const char         *role);
const char   *pfdo_role_to_string              (PfdoRole            role);

G_END_DECLS
