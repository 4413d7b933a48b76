/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-enrollments"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pfdo-domain-private.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-ledger.h"
#include "pfdo-text.h"
#include "pfdo-validate.h"

/*
 * Enrollment of a child in a program group. A certified program is paid
 * from the certificate: enrolling reserves months × monthly cost, and
 * cancelling releases what is still reserved. Budget programs need an
 * activated certificate; paid ones are paid by the family.
 */

/**
 * pfdo_program_monthly_kopecks:
 *
 * The monthly cost of a program: its hour price times its hours, spread
 * evenly over its months (rounded down to the kopeck).
 */
gint64
pfdo_program_monthly_kopecks (gint64 hour_price_kopecks,
                              gint64 hours_total,
                              gint64 months)
{
  if (months <= 0 || hour_price_kopecks <= 0 || hours_total <= 0)
    return 0;
  return hour_price_kopecks * hours_total / months;
}

typedef struct
{
  const char *certificate_id;
  const char *group_id;
  guint       months;
  const char *given_id;    /* the id a desk gave it, as the server receives it */
  char       *enrollment_id;
} CreateData;

typedef struct
{
  char   *certificate_status;
  char   *municipality_id;
  char   *child_id;
  char   *birth_date;
  char   *program_id;
  char   *funding;
  gint64  age_min;
  gint64  age_max;
  gint64  hour_price;
  gint64  hours_total;
  gint64  program_months;
  gboolean open;
  gint64  capacity;
  gint64  enrolled;
  char   *starts_on;
} Facts;

static void
facts_clear (Facts *facts)
{
  g_free (facts->certificate_status);
  g_free (facts->municipality_id);
  g_free (facts->child_id);
  g_free (facts->birth_date);
  g_free (facts->program_id);
  g_free (facts->funding);
  g_free (facts->starts_on);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

static gboolean
load_facts (PfdoStore  *store,
            const char *certificate_id,
            const char *group_id,
            Facts      *facts,
            GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pfdo_store_prepare (store,
                             "SELECT c.status, c.municipality_id, c.child_id, ch.birth_date, "
                             "p.id, p.funding, p.age_min, p.age_max, p.hour_price_kopecks, "
                             "coalesce (p.hours_total, 0), coalesce (p.months, 0), "
                             "p.enrollment_open AND p.is_active, g.capacity, g.enrolled, g.starts_on "
                             "FROM certificate c JOIN child ch ON ch.id = c.child_id, "
                             "\"group\" g JOIN program p ON p.id = g.program_id "
                             "WHERE c.id = ?1 AND g.id = ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, group_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      facts->certificate_status = pfdo_column_dup (stmt, 0);
      facts->municipality_id = pfdo_column_dup (stmt, 1);
      facts->child_id = pfdo_column_dup (stmt, 2);
      facts->birth_date = pfdo_column_dup (stmt, 3);
      facts->program_id = pfdo_column_dup (stmt, 4);
      facts->funding = pfdo_column_dup (stmt, 5);
      facts->age_min = sqlite3_column_int64 (stmt, 6);
      facts->age_max = sqlite3_column_int64 (stmt, 7);
      facts->hour_price = sqlite3_column_int64 (stmt, 8);
      facts->hours_total = sqlite3_column_int64 (stmt, 9);
      facts->program_months = sqlite3_column_int64 (stmt, 10);
      facts->open = sqlite3_column_int (stmt, 11) != 0;
      facts->capacity = sqlite3_column_int64 (stmt, 12);
      facts->enrolled = sqlite3_column_int64 (stmt, 13);
      facts->starts_on = pfdo_column_dup (stmt, 14);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("The certificate or the program group was not found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  return pfdo_check_scope (store, facts->municipality_id, error);
}

static void
today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static gboolean
create_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  CreateData *data = user_data;
  g_auto(Facts) facts = { 0 };
  g_autofree char *now = pfdo_now_utc ();
  g_autofree char *period = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *enrollment_id = data->given_id != NULL ? g_strdup (data->given_id)
                                                         : pfdo_uuid_new ();
  GDate birth, start;
  gint64 monthly = 0;
  guint months;
  gboolean certified;
  sqlite3_stmt *stmt;

  if (!load_facts (store, data->certificate_id, data->group_id, &facts, error))
    return FALSE;

  certified = g_strcmp0 (facts.funding, "certified") == 0;

  if (certified && g_strcmp0 (facts.certificate_status, "personified") != 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_PAYABLE,
                   _("A certified program is paid from a personified certificate; this "
                     "certificate is not personified."));
      return FALSE;
    }
  if (g_strcmp0 (facts.certificate_status, "accounting") != 0 &&
      g_strcmp0 (facts.certificate_status, "personified") != 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE,
                   _("The certificate must be activated and not frozen or closed to enroll."));
      return FALSE;
    }
  if (!facts.open)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ENROLLMENT_CLOSED,
                   _("Enrollment in this program is closed."));
      return FALSE;
    }
  if (facts.enrolled >= facts.capacity)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NO_PLACES,
                   _("There are no free places in this group."));
      return FALSE;
    }

  /* The age on the first day of the group's period must fit the program. */
  g_date_clear (&birth, 1);
  g_date_clear (&start, 1);
  if (facts.starts_on == NULL || !pfdo_date_parse (facts.starts_on, &start, NULL))
    today (&start);
  if (!pfdo_date_parse (facts.birth_date, &birth, error))
    return FALSE;
  if (!pfdo_age_fits (&birth, &start, (int) facts.age_min, (int) facts.age_max))
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_AGE_OUT_OF_RANGE,
                   _("The program is for children aged %d to %d; on the day the group starts "
                     "the child is %d."),
                   (int) facts.age_min, (int) facts.age_max, pfdo_age_on (&birth, &start));
      return FALSE;
    }
  period = pfdo_period_for_date (&start);

  months = data->months > 0 ? data->months : (guint) MAX (facts.program_months, 1);
  if (certified)
    monthly = pfdo_program_monthly_kopecks (facts.hour_price, facts.hours_total,
                                            MAX (facts.program_months, 1));

  stmt = pfdo_store_prepare (store,
                             "INSERT INTO enrollment (id, child_id, certificate_id, program_id, "
                             "group_id, status, months, monthly_kopecks, period, created_at) "
                             "VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, enrollment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, facts.child_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, data->certificate_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, facts.program_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, data->group_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, months);
  sqlite3_bind_int64 (stmt, 7, monthly);
  sqlite3_bind_text (stmt, 8, period, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  stmt = pfdo_store_prepare (store, "UPDATE \"group\" SET enrolled = enrolled + 1 WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->group_id, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  if (certified && monthly > 0)
    {
      g_autofree char *reserve_id = pfdo_ledger_derived_id (enrollment_id, "reserve");

      if (!pfdo_ledger_append (store, reserve_id, data->certificate_id, period,
                               PFDO_LEDGER_RESERVE, monthly * (gint64) months, enrollment_id,
                               NULL, error))
        return FALSE;
    }

  payload = pfdo_query_text (store,
                             "SELECT json_object ('enrollment_id', id, 'certificate_id', "
                             "certificate_id, 'program_id', program_id, 'group_id', group_id, "
                             "'months', months, 'monthly_kopecks', monthly_kopecks) "
                             "FROM enrollment WHERE id = ?",
                             enrollment_id, error);
  if (payload == NULL ||
      !pfdo_store_enqueue (store, "enrollment.create", "enrollment", enrollment_id, payload,
                           error) ||
      !pfdo_store_audit (store, "enrollment.create", "enrollment", enrollment_id, NULL, error))
    return FALSE;

  data->enrollment_id = g_steal_pointer (&enrollment_id);
  return TRUE;
}

static gboolean
create_enrollment (PfdoStore   *store,
                   const char  *given_id,
                   const char  *certificate_id,
                   const char  *group_id,
                   guint        months,
                   char       **out_enrollment_id,
                   GError     **error)
{
  CreateData data = { certificate_id, group_id, months, given_id, NULL };

  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (certificate_id != NULL && group_id != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_ENROLLMENT_CREATE, error))
    return FALSE;
  if (given_id != NULL &&
      pfdo_store_query_int (store, "SELECT count(*) FROM enrollment WHERE id = ?", given_id,
                            error) != 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE,
                     _("An enrollment with this id exists already."));
      return FALSE;
    }

  if (!pfdo_store_write (store, create_cb, &data, error))
    return FALSE;

  if (out_enrollment_id != NULL)
    *out_enrollment_id = g_steal_pointer (&data.enrollment_id);
  g_free (data.enrollment_id);
  return TRUE;
}

/**
 * pfdo_enrollment_create:
 * @months: how many months; 0 for the program's own length
 * @out_enrollment_id: (out) (optional): the new enrollment's id
 *
 * Enrolls the certificate's child in a program group. Refused when the
 * certificate cannot pay for the program, the enrollment is closed, the
 * group is full, the child's age does not fit, or (certified programs)
 * the balance does not cover months × monthly cost.
 */
gboolean
pfdo_enrollment_create (PfdoStore   *store,
                        const char  *certificate_id,
                        const char  *group_id,
                        guint        months,
                        char       **out_enrollment_id,
                        GError     **error)
{
  return create_enrollment (store, NULL, certificate_id, group_id, months, out_enrollment_id,
                            error);
}

/**
 * pfdo_enrollment_create_with_id:
 * @enrollment_id: the id the enrolling desk gave it
 *
 * pfdo_enrollment_create() as the regional server receives it.
 */
gboolean
pfdo_enrollment_create_with_id (PfdoStore   *store,
                                const char  *enrollment_id,
                                const char  *certificate_id,
                                const char  *group_id,
                                guint        months,
                                GError     **error)
{
  g_return_val_if_fail (enrollment_id != NULL, FALSE);

  return create_enrollment (store, enrollment_id, certificate_id, group_id, months, NULL, error);
}

static gboolean
cancel_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  const char *enrollment_id = user_data;
  g_autofree char *status = NULL;
  g_autofree char *certificate_id = NULL;
  g_autofree char *group_id = NULL;
  g_autofree char *period = NULL;
  g_autofree char *municipality_id = NULL;
  g_autofree char *payload = NULL;
  sqlite3_stmt *stmt;
  gint64 reserved;
  int rc;

  stmt = pfdo_store_prepare (store,
                             "SELECT e.status, e.certificate_id, e.group_id, e.period, "
                             "ch.municipality_id FROM enrollment e "
                             "JOIN child ch ON ch.id = e.child_id WHERE e.id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, enrollment_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      status = pfdo_column_dup (stmt, 0);
      certificate_id = pfdo_column_dup (stmt, 1);
      group_id = pfdo_column_dup (stmt, 2);
      period = pfdo_column_dup (stmt, 3);
      municipality_id = pfdo_column_dup (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                   _("The enrollment was not found."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      pfdo_store_set_error (store, rc, error);
      return FALSE;
    }
  if (!pfdo_check_scope (store, municipality_id, error))
    return FALSE;
  if (g_strcmp0 (status, "active") != 0 && g_strcmp0 (status, "requested") != 0)
    {
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_STATE,
                   _("Only an active or requested enrollment can be cancelled."));
      return FALSE;
    }

  stmt = pfdo_store_prepare (store, "UPDATE enrollment SET status = 'cancelled' WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, enrollment_id, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  stmt = pfdo_store_prepare (store,
                             "UPDATE \"group\" SET enrolled = max (enrolled - 1, 0) WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, group_id, -1, SQLITE_TRANSIENT);
  if (!pfdo_store_step_done (store, stmt, error))
    return FALSE;

  reserved = pfdo_ledger_reserved_for (store, enrollment_id, error);
  if (reserved < 0)
    return FALSE;
  if (reserved > 0 && certificate_id != NULL && period != NULL)
    {
      g_autofree char *release_id = pfdo_ledger_derived_id (enrollment_id, "cancel");

      if (!pfdo_ledger_append (store, release_id, certificate_id, period, PFDO_LEDGER_RELEASE,
                               reserved, enrollment_id, NULL, error))
        return FALSE;
    }

  payload = pfdo_query_text (store, "SELECT json_object ('enrollment_id', ?)", enrollment_id,
                             error);
  return payload != NULL &&
         pfdo_store_enqueue (store, "enrollment.cancel", "enrollment", enrollment_id, payload,
                             error) &&
         pfdo_store_audit (store, "enrollment.cancel", "enrollment", enrollment_id, NULL, error);
}

/**
 * pfdo_enrollment_cancel:
 *
 * Cancels an enrollment, frees its place and releases what is still
 * reserved for it.
 */
gboolean
pfdo_enrollment_cancel (PfdoStore  *store,
                        const char *enrollment_id,
                        GError    **error)
{
  g_return_val_if_fail (PFDO_IS_STORE (store), FALSE);
  g_return_val_if_fail (enrollment_id != NULL, FALSE);

  if (!pfdo_require_action (store, PFDO_ACTION_ENROLLMENT_CANCEL, error))
    return FALSE;
  return pfdo_store_write (store, cancel_cb, (gpointer) enrollment_id, error);
}
