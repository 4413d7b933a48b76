/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* A child's data as typed: any usual spelling; the core normalises it. */
typedef struct
{
  const char *id;              /* optional: a new id when NULL */
  const char *last_name;
  const char *first_name;
  const char *middle_name;     /* optional */
  const char *birth_date;
  const char *sex;             /* "m" | "f" */
  const char *snils;           /* optional */
  const char *document_type;   /* "birth_certificate" | "passport" | "foreign" */
  const char *document_series;
  const char *document_number;
  const char *address;         /* optional */
} PfdoChildInput;

typedef struct
{
  const char *id;              /* optional: a new id when NULL */
  const char *last_name;
  const char *first_name;
  const char *middle_name;     /* optional */
  const char *phone;
  const char *email;           /* optional */
} PfdoParentInput;

typedef struct
{
  PfdoParentInput        parent;
  const PfdoChildInput  *children;
  guint                  n_children;
  gboolean               issue_certificates;
  gboolean               allow_duplicates;
} PfdoFamilyInput;

/* What a family registration made. */
typedef struct
{
  char      *parent_id;
  GPtrArray *child_ids;
  GPtrArray *certificate_numbers;
} PfdoFamilyResult;

typedef enum
{
  PFDO_MATCH_SNILS,
  PFDO_MATCH_NAME_BIRTH_DATE,
  PFDO_MATCH_DOCUMENT,
} PfdoMatchReason;

typedef struct
{
  char            *child_id;
  PfdoMatchReason  reason;
} PfdoDuplicate;

/* Documents the clerk has seen, for verification. */
typedef enum
{
  PFDO_DOCUMENT_CHILD_IDENTITY = 1 << 0,  /* birth certificate or passport */
  PFDO_DOCUMENT_SNILS          = 1 << 1,
  PFDO_DOCUMENT_PARENT_IDENTITY = 1 << 2,
} PfdoDocuments;

#define PFDO_DOCUMENTS_ALL (PFDO_DOCUMENT_CHILD_IDENTITY | PFDO_DOCUMENT_SNILS | \
                            PFDO_DOCUMENT_PARENT_IDENTITY)

void         pfdo_family_result_free      (PfdoFamilyResult      *result);
void         pfdo_duplicate_free          (PfdoDuplicate         *duplicate);
const char  *pfdo_match_reason_describe   (PfdoMatchReason        reason);

gboolean     pfdo_child_input_normalize   (const PfdoChildInput  *input,
                                           GHashTable            *out_fields,
                                           char                 **out_field,
                                           GError               **error);
GPtrArray   *pfdo_children_find_duplicates (PfdoStore            *store,
                                           const char            *exclude_child_id,
                                           const char            *snils,
                                           const char            *last_name,
                                           const char            *first_name,
                                           const char            *birth_date,
                                           const char            *document_number,
                                           GError               **error);
PfdoFamilyResult *pfdo_family_register    (PfdoStore             *store,
                                           const PfdoFamilyInput *input,
                                           char                 **out_field,
                                           GError               **error);
gboolean     pfdo_child_verify            (PfdoStore             *store,
                                           const char            *child_id,
                                           PfdoDocuments          seen,
                                           gboolean               allow_duplicates,
                                           GError               **error);
gboolean     pfdo_child_reject            (PfdoStore             *store,
                                           const char            *child_id,
                                           const char            *reason,
                                           GError               **error);
gboolean     pfdo_child_correct           (PfdoStore             *store,
                                           const char            *child_id,
                                           const PfdoChildInput  *input,
                                           char                 **out_field,
                                           GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoFamilyResult, pfdo_family_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoDuplicate, pfdo_duplicate_free)

G_END_DECLS
