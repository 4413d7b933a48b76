/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

typedef enum
{
  PFDO_QUERY_EMPTY,
  PFDO_QUERY_SNILS,
  PFDO_QUERY_PHONE,
  PFDO_QUERY_CERTIFICATE,
  PFDO_QUERY_NAME,
} PfdoQueryKind;

/* A child found at the desk, with the parent and the certificate. */
typedef struct
{
  char *child_id;
  char *last_name;
  char *first_name;
  char *middle_name;
  char *birth_date;
  char *snils;
  char *verification_status;
  char *municipality_id;
  char *parent_id;
  char *parent_last_name;
  char *parent_first_name;
  char *parent_middle_name;
  char *parent_phone;
  char *certificate_id;        /* NULL when the child has none */
  char *certificate_number;
  char *certificate_status;
} PfdoChildMatch;

typedef struct
{
  char   *program_id;
  char   *title;
  char   *provider_name;
  char   *direction;
  char   *funding;
  gint64  age_min;
  gint64  age_max;
} PfdoProgramMatch;

void           pfdo_child_match_free     (PfdoChildMatch   *match);
void           pfdo_program_match_free   (PfdoProgramMatch *match);
const char    *pfdo_query_kind_to_string (PfdoQueryKind     kind);

GPtrArray     *pfdo_search_children      (PfdoStore        *store,
                                          const char       *query,
                                          guint             limit,
                                          PfdoQueryKind    *out_kind,
                                          GError          **error);
GPtrArray     *pfdo_children_queue       (PfdoStore        *store,
                                          const char       *municipality_id,
                                          guint             limit,
                                          gint64           *out_total,
                                          GError          **error);
char          *pfdo_catalog_fts_query    (const char       *text);
GPtrArray     *pfdo_catalog_search       (PfdoStore        *store,
                                          const char       *text,
                                          guint             limit,
                                          GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoChildMatch, pfdo_child_match_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoProgramMatch, pfdo_program_match_free)

G_END_DECLS
