/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-error"

#include "config.h"

#include "pfdo-error.h"

G_DEFINE_QUARK (pfdo-store-error-quark, pfdo_store_error)
G_DEFINE_QUARK (pfdo-validation-error-quark, pfdo_validation_error)
G_DEFINE_QUARK (pfdo-domain-error-quark, pfdo_domain_error)

/* Kept in the order of PfdoDomainError; the names are the API's codes. */
static const char *domain_codes[] = {
  [PFDO_DOMAIN_ERROR_NOT_FOUND] = "not_found",
  [PFDO_DOMAIN_ERROR_FORBIDDEN] = "forbidden",
  [PFDO_DOMAIN_ERROR_NO_OPERATOR] = "no_operator",
  [PFDO_DOMAIN_ERROR_INVALID_FIELD] = "invalid_field",
  [PFDO_DOMAIN_ERROR_DUPLICATE_CHILD] = "duplicate_child",
  [PFDO_DOMAIN_ERROR_ALREADY_VERIFIED] = "already_verified",
  [PFDO_DOMAIN_ERROR_ALREADY_DECIDED] = "already_decided",
  [PFDO_DOMAIN_ERROR_REASON_REQUIRED] = "reason_required",
  [PFDO_DOMAIN_ERROR_DOCUMENTS_MISSING] = "documents_missing",
  [PFDO_DOMAIN_ERROR_NOT_REJECTED] = "not_rejected",
  [PFDO_DOMAIN_ERROR_CERTIFICATE_EXISTS] = "certificate_exists",
  [PFDO_DOMAIN_ERROR_NUMBER_NOT_LEASED] = "number_not_leased",
  [PFDO_DOMAIN_ERROR_NUMBER_USED] = "number_used",
  [PFDO_DOMAIN_ERROR_NO_NUMBERS_LEFT] = "no_numbers_left",
  [PFDO_DOMAIN_ERROR_CHILD_NOT_VERIFIED] = "child_not_verified",
  [PFDO_DOMAIN_ERROR_INVALID_STATE] = "invalid_state",
  [PFDO_DOMAIN_ERROR_NOT_PERSONIFIED_MUNICIPALITY] = "not_personified_municipality",
  [PFDO_DOMAIN_ERROR_QUOTA_EXHAUSTED] = "quota_exhausted",
  [PFDO_DOMAIN_ERROR_INVALID_AMOUNT] = "invalid_amount",
  [PFDO_DOMAIN_ERROR_INSUFFICIENT_BALANCE] = "insufficient_balance",
  [PFDO_DOMAIN_ERROR_OVER_RELEASE] = "over_release",
  [PFDO_DOMAIN_ERROR_OVER_REFUND] = "over_refund",
  [PFDO_DOMAIN_ERROR_NO_PLACES] = "no_places",
  [PFDO_DOMAIN_ERROR_AGE_OUT_OF_RANGE] = "age_out_of_range",
  [PFDO_DOMAIN_ERROR_ENROLLMENT_CLOSED] = "enrollment_closed",
  [PFDO_DOMAIN_ERROR_NOT_PAYABLE] = "not_payable",
};

static const char *validation_codes[] = {
  [PFDO_VALIDATION_ERROR_EMPTY] = "empty",
  [PFDO_VALIDATION_ERROR_SNILS_FORMAT] = "snils_invalid",
  [PFDO_VALIDATION_ERROR_SNILS_CHECKSUM] = "snils_invalid",
  [PFDO_VALIDATION_ERROR_PHONE] = "phone_invalid",
  [PFDO_VALIDATION_ERROR_NAME_LETTERS] = "name_invalid",
  [PFDO_VALIDATION_ERROR_NAME_TOO_LONG] = "name_invalid",
  [PFDO_VALIDATION_ERROR_DATE] = "date_invalid",
  [PFDO_VALIDATION_ERROR_AGE] = "age_out_of_range",
  [PFDO_VALIDATION_ERROR_DOCUMENT] = "document_invalid",
  [PFDO_VALIDATION_ERROR_EMAIL] = "email_invalid",
  [PFDO_VALIDATION_ERROR_INVALID] = "invalid_field",
};

const char *
pfdo_domain_error_to_code (PfdoDomainError code)
{
  if ((guint) code >= G_N_ELEMENTS (domain_codes) || domain_codes[code] == NULL)
    return "unknown";
  return domain_codes[code];
}

gboolean
pfdo_domain_error_from_code (const char      *code,
                             PfdoDomainError *out_code)
{
  g_return_val_if_fail (code != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (domain_codes); i++)
    {
      if (domain_codes[i] != NULL && g_str_equal (domain_codes[i], code))
        {
          if (out_code != NULL)
            *out_code = (PfdoDomainError) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
pfdo_validation_error_to_code (PfdoValidationError code)
{
  if ((guint) code >= G_N_ELEMENTS (validation_codes) || validation_codes[code] == NULL)
    return "invalid_field";
  return validation_codes[code];
}
