/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* One line of the register of certificates. */
typedef struct
{
  char   *id;
  char   *number;
  char   *last_name;
  char   *first_name;
  char   *status;
  char   *municipality_id;
  char   *period;       /* the education year its balance is for, e.g. `2026/27` */
  gint64  available;    /* kopecks available in that period */
} PfdoRegisterRow;

/* A filtered register that knows its size and reads rows by position. */
typedef struct _PfdoRegisterQuery PfdoRegisterQuery;

/* Everything the certificate's page shows at its top. */
typedef struct
{
  char   *id;
  char   *number;
  char   *status;
  char   *frozen_from;
  char   *issued_at;
  char   *activated_at;
  char   *closed_at;
  char   *close_reason;
  char   *child_id;
  char   *last_name;
  char   *first_name;
  char   *middle_name;
  char   *birth_date;
  char   *municipality_id;
  char   *municipality_name;
  char   *municipality_mode;
  char   *period;
  gint64  pf_quota;
  gint64  pf_issued;
} PfdoRegisterCard;

/* A change of the certificate, from the audit log. */
typedef struct
{
  char *at;
  char *action;          /* e.g. `certificate.freeze` */
  char *detail;          /* e.g. `accounting → frozen` */
  char *operator_name;   /* NULL when the operator is not known here */
} PfdoRegisterEvent;

/* One ledger entry of the certificate. */
typedef struct
{
  char   *id;
  char   *created_at;
  char   *period;
  char   *kind;
  gint64  amount_kopecks;
  char   *enrollment_id;
  char   *program_title;   /* of the entry's enrollment, if any */
} PfdoRegisterEntry;

/* One enrollment paid with (or recorded on) the certificate. */
typedef struct
{
  char   *id;
  char   *status;
  char   *program_id;
  char   *program_title;
  char   *funding;
  char   *group_name;
  char   *period;
  char   *created_at;
  gint64  months;
  gint64  monthly_kopecks;
  gint64  reserved_kopecks;   /* still reserved for it on the ledger */
} PfdoRegisterEnrollment;

/* A group of a program, for the enroll dialog. */
typedef struct
{
  char   *id;
  char   *name;
  char   *teacher;
  char   *starts_on;
  gint64  capacity;
  gint64  enrolled;
} PfdoRegisterGroup;

/* What enrolling in a program costs. */
typedef struct
{
  char   *id;
  char   *title;
  char   *funding;
  gint64  months;            /* the program's own length; at least 1 */
  gint64  monthly_kopecks;   /* what a certified program costs a month; 0 otherwise */
  gint64  age_min;
  gint64  age_max;
  gboolean open;
} PfdoRegisterProgram;

void                pfdo_register_row_free          (PfdoRegisterRow        *row);
void                pfdo_register_card_free         (PfdoRegisterCard       *card);
void                pfdo_register_event_free        (PfdoRegisterEvent      *event);
void                pfdo_register_entry_free        (PfdoRegisterEntry      *entry);
void                pfdo_register_enrollment_free   (PfdoRegisterEnrollment *enrollment);
void                pfdo_register_group_free        (PfdoRegisterGroup      *group);
void                pfdo_register_program_free      (PfdoRegisterProgram    *program);

const char * const *pfdo_register_statuses          (void);
char               *pfdo_register_dup_period        (PfdoStore              *store,
                                                     const char             *municipality_id,
                                                     GError                **error);

PfdoRegisterQuery  *pfdo_register_query_new         (PfdoStore              *store,
                                                     const char             *municipality_id,
                                                     const char             *status,
                                                     const char             *text,
                                                     GError                **error);
void                pfdo_register_query_free        (PfdoRegisterQuery      *query);
guint               pfdo_register_query_get_n_rows  (PfdoRegisterQuery      *query);
GPtrArray          *pfdo_register_query_rows        (PfdoRegisterQuery      *query,
                                                     guint                   position,
                                                     guint                   limit,
                                                     GError                **error);
PfdoRegisterRow    *pfdo_register_row_load          (PfdoStore              *store,
                                                     const char             *certificate_id,
                                                     GError                **error);

PfdoRegisterCard   *pfdo_register_card_load         (PfdoStore              *store,
                                                     const char             *certificate_id,
                                                     GError                **error);
GPtrArray          *pfdo_register_history           (PfdoStore              *store,
                                                     const char             *certificate_id,
                                                     GError                **error);
GPtrArray          *pfdo_register_entries           (PfdoStore              *store,
                                                     const char             *certificate_id,
                                                     GError                **error);
GPtrArray          *pfdo_register_enrollments       (PfdoStore              *store,
                                                     const char             *certificate_id,
                                                     GError                **error);
PfdoRegisterProgram *pfdo_register_program_load     (PfdoStore              *store,
                                                     const char             *program_id,
                                                     GError                **error);
GPtrArray          *pfdo_register_program_groups    (PfdoStore              *store,
                                                     const char             *program_id,
                                                     GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoRegisterQuery, pfdo_register_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoRegisterRow, pfdo_register_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoRegisterCard, pfdo_register_card_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoRegisterProgram, pfdo_register_program_free)

G_END_DECLS
