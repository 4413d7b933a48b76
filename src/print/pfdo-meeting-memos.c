/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-print"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pfdo-error.h"
#include "pfdo-meeting.h"
#include "pfdo-meeting-memos.h"

struct _PfdoMeetingMemos
{
  GPtrArray         *children;   /* PfdoMeetingChild*, family by family */
  GArray            *memo_children;
  GArray            *families;   /* PfdoMemoFamily, pointing into the two above */
  PfdoMeetingOffice *moc;
  char              *navigator_url;
  PfdoMemoSettings   settings;
};

void
pfdo_meeting_memos_free (PfdoMeetingMemos *memos)
{
  if (memos == NULL)
    return;
  g_clear_pointer (&memos->families, g_array_unref);
  g_clear_pointer (&memos->memo_children, g_array_unref);
  g_clear_pointer (&memos->children, g_ptr_array_unref);
  g_clear_pointer (&memos->moc, pfdo_meeting_office_free);
  g_free (memos->navigator_url);
  g_free (memos);
}

/**
 * pfdo_meeting_memos_load:
 * @parent_id: (nullable): one family only, or every family of the meeting
 * @navigator_url: (nullable): the regional Navigator from the settings
 *
 * Returns: (transfer full): the memos, or %NULL with @error set; a meeting
 *   without families is an error the operator can read
 */
PfdoMeetingMemos *
pfdo_meeting_memos_load (PfdoStore   *store,
                         const char  *session_id,
                         const char  *parent_id,
                         const char  *navigator_url,
                         GError     **error)
{
  g_autoptr(PfdoMeetingMemos) memos = g_new0 (PfdoMeetingMemos, 1);
  GError *local_error = NULL;
  guint start = 0;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  memos->children = pfdo_meeting_children (store, session_id, parent_id, error);
  if (memos->children == NULL)
    return NULL;
  if (memos->children->len == 0)
    {
      g_set_error_literal (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND,
                           _("No family is registered at this meeting yet."));
      return NULL;
    }
  memos->moc = pfdo_meeting_dup_moc (store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  memos->navigator_url = g_strdup (navigator_url);

  /* The children first, all of them: the families point into the array. */
  memos->memo_children = g_array_sized_new (FALSE, TRUE, sizeof (PfdoMemoChild),
                                            memos->children->len);
  for (guint i = 0; i < memos->children->len; i++)
    {
      PfdoMeetingChild *child = g_ptr_array_index (memos->children, i);
      PfdoMemoChild memo = {
        .last_name = child->last_name,
        .first_name = child->first_name,
        .middle_name = child->middle_name,
        .birth_date = child->birth_date,
        .certificate_number = child->certificate_number,
      };

      g_array_append_val (memos->memo_children, memo);
    }

  memos->families = g_array_new (FALSE, TRUE, sizeof (PfdoMemoFamily));
  for (guint i = 1; i <= memos->children->len; i++)
    {
      PfdoMeetingChild *first = g_ptr_array_index (memos->children, start);
      PfdoMeetingChild *child = i < memos->children->len ? g_ptr_array_index (memos->children, i)
                                                         : NULL;
      PfdoMemoFamily family;

      if (child != NULL && g_strcmp0 (child->parent_id, first->parent_id) == 0)
        continue;
      family = (PfdoMemoFamily) {
        .parent_last_name = first->parent_last_name,
        .parent_first_name = first->parent_first_name,
        .parent_middle_name = first->parent_middle_name,
        .children = &g_array_index (memos->memo_children, PfdoMemoChild, start),
        .n_children = i - start,
      };
      g_array_append_val (memos->families, family);
      start = i;
    }

  memos->settings = (PfdoMemoSettings) {
    .navigator_url = memos->navigator_url,
    .moc_name = memos->moc != NULL ? memos->moc->name : NULL,
    .moc_phone = memos->moc != NULL ? memos->moc->phone : NULL,
    .moc_address = memos->moc != NULL ? memos->moc->address : NULL,
    .moc_hours = memos->moc != NULL ? memos->moc->hours : NULL,
  };
  return g_steal_pointer (&memos);
}

guint
pfdo_meeting_memos_get_n_families (PfdoMeetingMemos *memos)
{
  g_return_val_if_fail (memos != NULL, 0);

  return memos->families->len;
}

const PfdoMemoFamily *
pfdo_meeting_memos_get_family (PfdoMeetingMemos *memos,
                               guint             index)
{
  g_return_val_if_fail (memos != NULL, NULL);
  g_return_val_if_fail (index < memos->families->len, NULL);

  return &g_array_index (memos->families, PfdoMemoFamily, index);
}

const PfdoMemoSettings *
pfdo_meeting_memos_get_settings (PfdoMeetingMemos *memos)
{
  g_return_val_if_fail (memos != NULL, NULL);

  return &memos->settings;
}

/**
 * pfdo_meeting_memos_write_pdf:
 *
 * One page per family, in the order they were registered.
 */
gboolean
pfdo_meeting_memos_write_pdf (PfdoMeetingMemos  *memos,
                              const char        *path,
                              GError           **error)
{
  g_autofree const PfdoMemoFamily **families = NULL;

  g_return_val_if_fail (memos != NULL, FALSE);

  families = g_new0 (const PfdoMemoFamily *, memos->families->len);
  for (guint i = 0; i < memos->families->len; i++)
    families[i] = &g_array_index (memos->families, PfdoMemoFamily, i);
  return pfdo_memo_write_pdf (path, families, memos->families->len, &memos->settings, error);
}
