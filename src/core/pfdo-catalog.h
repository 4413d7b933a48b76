/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pfdo-store.h"

G_BEGIN_DECLS

/* What the clerk narrows the catalog to. Text fields are codes of the
 * regional API ("sports", "certified", "blended"); %NULL means any. */
typedef struct
{
  const char *text;                 /* words, each a prefix; %NULL or "" browses */
  const char *direction;
  const char *municipality_id;
  const char *funding;
  const char *form;
  int         age;                  /* the child's age; -1: any */
  gboolean    disability_friendly;
  gboolean    enrollment_open;
  gboolean    free_places;          /* some group has enrolled < capacity */
} PfdoCatalogFilter;

#define PFDO_CATALOG_FILTER_INIT { .age = -1 }

/* Why a program cannot be chosen now; 0 when it can. */
typedef enum
{
  PFDO_PROGRAM_BLOCK_NONE      = 0,
  PFDO_PROGRAM_BLOCK_INACTIVE  = 1 << 0,
  PFDO_PROGRAM_BLOCK_CLOSED    = 1 << 1,
  PFDO_PROGRAM_BLOCK_NO_GROUPS = 1 << 2,
  PFDO_PROGRAM_BLOCK_NO_PLACES = 1 << 3,
  PFDO_PROGRAM_BLOCK_AGE       = 1 << 4,
} PfdoProgramBlocks;

/* One lesson a week of a group: weekday 1 (Monday) to 7, "HH:MM" times. */
typedef struct
{
  guint weekday;
  char  start[6];
  char  end[6];
} PfdoCatalogSlot;

typedef struct
{
  char   *id;
  char   *name;
  char   *teacher;
  char   *starts_on;
  char   *ends_on;
  gint64  capacity;
  gint64  enrolled;
  GArray *slots;                    /* PfdoCatalogSlot, by weekday */
} PfdoCatalogGroup;

typedef struct
{
  gint64  rating;
  char   *text;
  char   *author;
  char   *created_at;
} PfdoCatalogReview;

/* A program as the catalog shows it. The list fills the summary; the
 * program page (pfdo_catalog_get_program()) fills the rest too. */
typedef struct
{
  char      *id;
  char      *title;
  char      *provider_name;
  char      *municipality_id;
  char      *municipality_name;
  char      *direction;
  char      *activity;
  char      *level;                 /* %NULL when not stated */
  char      *form;
  char      *funding;
  gint64     age_min;
  gint64     age_max;
  double     rating;                /* 0 without reviews */
  gint64     reviews_count;
  gint64     hour_price_kopecks;
  gint64     hours_total;
  gint64     months;
  gboolean   enrollment_open;
  gboolean   disability_friendly;
  gboolean   is_active;
  gint64     n_groups;
  gint64     free_places;           /* over all groups */

  /* The page only. */
  char      *description;
  char      *address;
  char      *provider_address;
  char      *provider_phone;
  GPtrArray *groups;                /* PfdoCatalogGroup */
  GPtrArray *reviews;               /* PfdoCatalogReview, newest first */
} PfdoCatalogProgram;

typedef struct
{
  GPtrArray *programs;              /* PfdoCatalogProgram */
  guint      total;                 /* all that match, at most PFDO_CATALOG_COUNT_MAX */
  gboolean   total_is_lower_bound;  /* more than total match */
} PfdoCatalogResult;

typedef struct
{
  char *id;
  char *name;
} PfdoCatalogMunicipality;

/* Counting stops here, so that a one-letter search stays fast. */
#define PFDO_CATALOG_COUNT_MAX 1000

void                pfdo_catalog_program_free      (PfdoCatalogProgram       *program);
void                pfdo_catalog_group_free        (PfdoCatalogGroup         *group);
void                pfdo_catalog_review_free       (PfdoCatalogReview        *review);
void                pfdo_catalog_result_free       (PfdoCatalogResult        *result);
void                pfdo_catalog_municipality_free (PfdoCatalogMunicipality  *municipality);

PfdoCatalogResult  *pfdo_catalog_query             (PfdoStore                *store,
                                                    const PfdoCatalogFilter  *filter,
                                                    guint                     limit,
                                                    GError                  **error);
PfdoCatalogProgram *pfdo_catalog_get_program       (PfdoStore                *store,
                                                    const char               *program_id,
                                                    guint                     max_reviews,
                                                    GError                  **error);
GPtrArray          *pfdo_catalog_list_municipalities (PfdoStore              *store,
                                                      GError                **error);

PfdoProgramBlocks   pfdo_catalog_program_blocks    (const PfdoCatalogProgram *program,
                                                    int                       age);
gint64              pfdo_catalog_program_monthly_kopecks (const PfdoCatalogProgram *program);
gint64              pfdo_catalog_program_cost_kopecks    (const PfdoCatalogProgram *program);
gint64              pfdo_catalog_group_free_places (const PfdoCatalogGroup   *group);
gboolean            pfdo_catalog_parse_schedule    (PfdoStore                *store,
                                                    const char               *json,
                                                    GArray                   *slots,
                                                    GError                  **error);
char               *pfdo_catalog_schedule_text     (const GArray             *slots);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoCatalogProgram, pfdo_catalog_program_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoCatalogResult, pfdo_catalog_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PfdoCatalogMunicipality, pfdo_catalog_municipality_free)

G_END_DECLS
