/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* What is wrong with the first broken link of the audit chain. */
typedef enum
{
  PFDO_AUDIT_FAULT_NONE,
  PFDO_AUDIT_FAULT_GAP,          /* the record is missing: the seqs jump over it */
  PFDO_AUDIT_FAULT_PREV_HASH,    /* it does not hold the hash of the record before it */
  PFDO_AUDIT_FAULT_HASH,         /* its hash is not the hash of what it says */
} PfdoAuditFault;

/* What pfdo_audit_verify() found. */
typedef struct
{
  gint64          count;         /* records read */
  gint64          last_seq;
  char           *head;          /* the last record's hash; 64 zeros when empty */
  PfdoAuditFault  fault;
  gint64          broken_seq;    /* the first broken link, or 0; for a gap the first missing seq */
  gint64          found_seq;     /* for a gap: the seq the log goes on with */
} PfdoAuditCheck;

/* Which records the audit view shows. Every field is optional. */
typedef struct
{
  const char *operator_id;
  const char *action;            /* e.g. `child.view` */
  const char *child_id;          /* the child's own records, its certificate's and enrollments' */
  const char *from_at;           /* RFC 3339 UTC, inclusive */
  const char *to_at;             /* RFC 3339 UTC, exclusive */
} PfdoAuditFilter;

/* One record of the log, as the audit view shows it. */
typedef struct
{
  gint64  seq;
  char   *at;
  char   *operator_id;
  char   *operator_name;         /* NULL when the operator is not known here */
  char   *action;
  char   *entity;
  char   *record_id;
  char   *detail;
  char   *child_id;              /* the child the record concerns, if any */
  char   *child_name;            /* looked up when read; NULL when not in this store */
} PfdoAuditRecord;

/* An operator the audit view can filter by. */
typedef struct
{
  char *id;
  char *full_name;
  char *role;
} PfdoAuditOperator;

typedef struct _PfdoAuditQuery PfdoAuditQuery;

void                pfdo_audit_check_clear       (PfdoAuditCheck         *check);
gboolean            pfdo_audit_verify            (PfdoStore              *store,
                                                  PfdoAuditCheck         *out_check,
                                                  GError                **error);
const char         *pfdo_audit_fault_to_string   (PfdoAuditFault          fault);
char               *pfdo_audit_check_describe    (const PfdoAuditCheck   *check);
gboolean            pfdo_audit_get_head          (PfdoStore              *store,
                                                  gint64                 *out_count,
                                                  char                  **out_head,
                                                  GError                **error);

const char * const *pfdo_audit_actions           (void);
const char         *pfdo_audit_action_label      (const char             *action,
                                                  const char             *detail);
char               *pfdo_audit_detail_text       (const PfdoAuditRecord  *record);

void                pfdo_audit_operator_free     (PfdoAuditOperator      *op);
GPtrArray          *pfdo_audit_list_operators    (PfdoStore              *store,
                                                  GError                **error);

void                pfdo_audit_record_free       (PfdoAuditRecord        *record);
PfdoAuditQuery     *pfdo_audit_query_new         (PfdoStore              *store,
                                                  const PfdoAuditFilter  *filter,
                                                  GError                **error);
void                pfdo_audit_query_free        (PfdoAuditQuery         *query);
guint               pfdo_audit_query_get_n_rows  (PfdoAuditQuery         *query);
GPtrArray          *pfdo_audit_query_rows        (PfdoAuditQuery         *query,
                                                  guint                   position,
                                                  guint                   limit,
                                                  GError                **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PfdoAuditCheck, pfdo_audit_check_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoAuditOperator, pfdo_audit_operator_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoAuditRecord, pfdo_audit_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoAuditQuery, pfdo_audit_query_free)

G_END_DECLS
