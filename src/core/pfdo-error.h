/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The store: SQLite, files and migrations. */
#define PFDO_STORE_ERROR (pfdo_store_error_quark ())

typedef enum
{
  PFDO_STORE_ERROR_FAILED,
  PFDO_STORE_ERROR_NOT_A_STORE,
  PFDO_STORE_ERROR_TOO_NEW,
  PFDO_STORE_ERROR_CORRUPT,
  PFDO_STORE_ERROR_BUSY,
  PFDO_STORE_ERROR_CONSTRAINT,
  PFDO_STORE_ERROR_IO,
  PFDO_STORE_ERROR_FULL,
  PFDO_STORE_ERROR_READONLY,
} PfdoStoreError;

/* Input that does not have the shape a value must have. */
#define PFDO_VALIDATION_ERROR (pfdo_validation_error_quark ())

typedef enum
{
  PFDO_VALIDATION_ERROR_EMPTY,
  PFDO_VALIDATION_ERROR_SNILS_FORMAT,
  PFDO_VALIDATION_ERROR_SNILS_CHECKSUM,
  PFDO_VALIDATION_ERROR_PHONE,
  PFDO_VALIDATION_ERROR_NAME_LETTERS,
  PFDO_VALIDATION_ERROR_NAME_TOO_LONG,
  PFDO_VALIDATION_ERROR_DATE,
  PFDO_VALIDATION_ERROR_AGE,
  PFDO_VALIDATION_ERROR_DOCUMENT,
  PFDO_VALIDATION_ERROR_EMAIL,
  PFDO_VALIDATION_ERROR_INVALID,
} PfdoValidationError;

/* A rule of the domain that refuses an action. Every code has a stable
 * machine-readable name, the same as the regional API's where one exists. */
#define PFDO_DOMAIN_ERROR (pfdo_domain_error_quark ())

typedef enum
{
  PFDO_DOMAIN_ERROR_NOT_FOUND,
  PFDO_DOMAIN_ERROR_FORBIDDEN,
  PFDO_DOMAIN_ERROR_NO_OPERATOR,
  PFDO_DOMAIN_ERROR_INVALID_FIELD,
  PFDO_DOMAIN_ERROR_DUPLICATE_CHILD,
  PFDO_DOMAIN_ERROR_ALREADY_VERIFIED,
  PFDO_DOMAIN_ERROR_ALREADY_DECIDED,
  PFDO_DOMAIN_ERROR_REASON_REQUIRED,
  PFDO_DOMAIN_ERROR_DOCUMENTS_MISSING,
  PFDO_DOMAIN_ERROR_NOT_REJECTED,
  PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS,
  PFDO_DOMAIN_ERROR_NUMBER_NOT_LEASED,
  PFDO_DOMAIN_ERROR_NUMBER_USED,
  PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT,
  PFDO_DOMAIN_ERROR_CHILD_NOT_VERIFIED,
  PFDO_DOMAIN_ERROR_INVALID_STATE,
  PFDO_DOMAIN_ERROR_NOT_PERSONIFIED_MUNICIPALITY,
  PFDO_DOMAIN_ERROR_QUOTA_EXHAUSTED,
  PFDO_DOMAIN_ERROR_INVALID_AMOUNT,
  PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE,
  PFDO_DOMAIN_ERROR_OVER_RELEASE,
  PFDO_DOMAIN_ERROR_OVER_REFUND,
  PFDO_DOMAIN_ERROR_NO_PLACES,
  PFDO_DOMAIN_ERROR_AGE_OUT_OF_RANGE,
  PFDO_DOMAIN_ERROR_ENROLLMENT_CLOSED,
  PFDO_DOMAIN_ERROR_NOT_PAYABLE,
} PfdoDomainError;

GQuark       pfdo_store_error_quark         (void);
GQuark       pfdo_validation_error_quark    (void);
GQuark       pfdo_domain_error_quark        (void);

const char  *pfdo_domain_error_to_code      (PfdoDomainError  code);
gboolean     pfdo_domain_error_from_code    (const char      *code,
                                             PfdoDomainError *out_code);
const char  *pfdo_validation_error_to_code  (PfdoValidationError code);

G_END_DECLS
