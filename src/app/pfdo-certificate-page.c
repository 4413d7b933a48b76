/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificate-enroll-dialog.h"
#include "pfdo-certificate-item.h"
#include "pfdo-certificate-page.h"
#include "pfdo-certificates.h"
#include "pfdo-enrollments.h"
#include "pfdo-ledger.h"
#include "pfdo-register.h"
#include "pfdo-text.h"
#include "pfdo-ui.h"

/*
 * A certificate's page: its status and history, its balance for the
 * period, every ledger entry, its enrollments, and what the regional
 * server made of this desk's changes. The actions a clerk may take are
 * widget actions, enabled by the status and the operator's role in one
 * place, actions_update(); each is one call of the core, which refuses
 * anyway, and its refusal is shown in a toast.
 */

struct _PfdoCertificatePage
{
  AdwBin            parent_instance;

  PfdoStore        *store;
  PfdoRegisterCard *card;
  gint64            available;

  GtkButton        *back_button;
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *status_badge;
  AdwPreferencesPage *preferences_page;
  AdwActionRow     *status_row;
  GtkLabel         *status_value;
  AdwActionRow     *child_row;
  GtkLabel         *child_value;
  GtkLabel         *municipality_value;
  AdwActionRow     *quota_row;
  GtkLabel         *quota_value;
  AdwActionRow     *sync_row;
  GtkLabel         *sync_value;
  GtkWidget        *actions_box;
  GtkWidget        *activate_button;
  GtkWidget        *personified_button;
  GtkWidget        *accounting_button;
  GtkWidget        *freeze_button;
  GtkWidget        *unfreeze_button;
  GtkWidget        *close_button;
  GtkWidget        *enroll_button;
  GtkLabel         *role_label;
  AdwPreferencesGroup *balance_group;
  GtkLabel         *granted_value;
  GtkLabel         *reserved_value;
  GtkLabel         *charged_value;
  GtkLabel         *refunded_value;
  GtkLabel         *expired_value;
  GtkLabel         *available_value;
  GtkListBox       *enrollments_list;
  GtkListBox       *entries_list;
  GtkListBox       *history_list;
};

G_DEFINE_FINAL_TYPE (PfdoCertificatePage, pfdo_certificate_page, ADW_TYPE_BIN)

enum {
  SIGNAL_BACK,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* `2026-11-24T10:05:00Z` as local `24.11.2026 13:05`; a date alone as
 * `24.11.2026`. */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  int y, m, d;

  if (iso == NULL)
    return g_strdup ("");
  if (strlen (iso) == 10 && sscanf (iso, "%d-%d-%d", &y, &m, &d) == 3)
    return g_strdup_printf ("%02d.%02d.%04d", d, m, y);
  utc = g_date_time_new_from_iso8601 (iso, NULL);
  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%d.%m.%Y %H:%M");
}

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "certificate.issue") == 0)
    return _("Issued");
  if (g_strcmp0 (action, "certificate.activate") == 0)
    return _("Activated");
  if (g_strcmp0 (action, "certificate.convert") == 0)
    return _("Status changed");
  if (g_strcmp0 (action, "certificate.freeze") == 0)
    return _("Frozen");
  if (g_strcmp0 (action, "certificate.unfreeze") == 0)
    return _("Unfrozen");
  if (g_strcmp0 (action, "certificate.close") == 0)
    return _("Closed");
  return action;
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "grant") == 0)
    return _("Nominal granted");
  if (g_strcmp0 (kind, "reserve") == 0)
    return _("Reserved");
  if (g_strcmp0 (kind, "release") == 0)
    return _("Reserve released");
  if (g_strcmp0 (kind, "charge") == 0)
    return _("Charged");
  if (g_strcmp0 (kind, "refund") == 0)
    return _("Refunded");
  if (g_strcmp0 (kind, "expire") == 0)
    return _("Expired at the period's end");
  return kind;
}

static const char *
enrollment_status_label (const char *status)
{
  if (g_strcmp0 (status, "requested") == 0)
    return _("Requested");
  if (g_strcmp0 (status, "active") == 0)
    return _("Studying");
  if (g_strcmp0 (status, "finished") == 0)
    return _("Finished");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  return status;
}

/* `accounting → frozen` in the operator's words. */
static char *
format_detail (const char *detail)
{
  g_auto(GStrv) parts = NULL;

  if (detail == NULL)
    return NULL;
  parts = g_strsplit (detail, " → ", 2);
  if (g_strv_length (parts) != 2)
    return g_strdup (detail);
  return g_strdup_printf ("%s → %s", pfdo_certificate_status_label (parts[0]),
                          pfdo_certificate_status_label (parts[1]));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
placeholder_row (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "pfdo-placeholder");
  return label;
}

static GtkWidget *
value_label (const char *text,
             const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static gboolean
can_change (PfdoCertificatePage *self)
{
  return self->store != NULL &&
         pfdo_store_get_operator_role (self->store) >= PFDO_ROLE_MOC_CLERK;
}

static gboolean
status_is (PfdoCertificatePage *self,
           const char          *status)
{
  return self->card != NULL && g_strcmp0 (self->card->status, status) == 0;
}

/* One place decides what can be done: the status and the operator's role.
 * Buttons of actions that cannot be taken are hidden. */
static void
actions_update (PfdoCertificatePage *self)
{
  gboolean clerk = can_change (self);
  gboolean active = status_is (self, "accounting") || status_is (self, "personified");
  gboolean personified_mode = self->card != NULL &&
                              g_strcmp0 (self->card->municipality_mode, "personified") == 0;
  struct {
    const char *action;
    GtkWidget  *button;
    gboolean    enabled;
  } actions[] = {
    { "page.activate", self->activate_button, clerk && status_is (self, "issued") },
    { "page.make-personified", self->personified_button,
      clerk && status_is (self, "accounting") && personified_mode },
    { "page.make-accounting", self->accounting_button, clerk && status_is (self, "personified") },
    { "page.freeze", self->freeze_button, clerk && active },
    { "page.unfreeze", self->unfreeze_button, clerk && status_is (self, "frozen") },
    { "page.close", self->close_button, clerk && self->card != NULL && !status_is (self, "closed") },
    { "page.enroll", self->enroll_button, clerk && active },
  };
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i].action, actions[i].enabled);
      gtk_widget_set_visible (actions[i].button, actions[i].enabled);
      any |= actions[i].enabled && actions[i].button != self->enroll_button;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel-enrollment", clerk);
  gtk_widget_set_visible (self->actions_box, any);

  if (self->store != NULL && pfdo_store_get_operator_id (self->store) == NULL)
    gtk_label_set_label (self->role_label,
                         _("Sign in as a clerk of the МОЦ to change the certificate."));
  else if (!clerk)
    gtk_label_set_label (self->role_label,
                         _("Only the МОЦ's clerks change certificates and enroll children; "
                           "you can look them up."));
  else if (status_is (self, "closed"))
    gtk_label_set_label (self->role_label,
                         _("The certificate is closed for good: the child cannot get another one."));
  gtk_widget_set_visible (GTK_WIDGET (self->role_label),
                          !clerk || status_is (self, "closed"));
}

static void
show_card (PfdoCertificatePage *self)
{
  PfdoRegisterCard *card = self->card;
  g_autofree char *child = NULL;
  g_autofree char *birth = format_time (card->birth_date);
  g_autofree char *issued = format_time (card->issued_at);
  g_autofree char *since = NULL;
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;
  const char *status_label = pfdo_certificate_status_label (card->status);
  PfdoRecordSync sync;

  child = g_strjoin (" ", card->last_name, card->first_name,
                     card->middle_name != NULL ? card->middle_name : "", NULL);
  g_strstrip (child);

  gtk_label_set_label (self->title_label, card->number);
  gtk_label_set_label (self->subtitle_label, child);
  gtk_label_set_label (self->status_badge, status_label);
  for (const char * const *s = pfdo_register_statuses (); *s != NULL; s++)
    {
      g_autofree char *css = g_strconcat ("pfdo-status-", *s, NULL);

      if (g_str_equal (*s, card->status))
        gtk_widget_add_css_class (GTK_WIDGET (self->status_badge), css);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->status_badge), css);
    }

  gtk_label_set_label (self->status_value, status_label);
  if (status_is (self, "closed"))
    {
      g_autofree char *closed = format_time (card->closed_at);

      since = g_strdup_printf (_("Closed on %s: %s"), closed,
                               card->close_reason != NULL ? card->close_reason : "");
    }
  else if (card->activated_at != NULL)
    {
      g_autofree char *activated = format_time (card->activated_at);

      since = g_strdup_printf (_("Issued on %s, activated on %s"), issued, activated);
    }
  else
    since = g_strdup_printf (_("Issued on %s, not activated yet"), issued);
  adw_action_row_set_subtitle (self->status_row, since);

  gtk_label_set_label (self->child_value, child);
  {
    g_autofree char *born = g_strdup_printf (_("Born on %s"), birth);

    adw_action_row_set_subtitle (self->child_row, born);
  }
  gtk_label_set_label (self->municipality_value, card->municipality_name);

  gtk_widget_set_visible (GTK_WIDGET (self->quota_row),
                          g_strcmp0 (card->municipality_mode, "personified") == 0);
  {
    g_autofree char *left = pfdo_ui_format_count (MAX (card->pf_quota - card->pf_issued, 0));
    g_autofree char *quota = pfdo_ui_format_count (card->pf_quota);
    g_autofree char *text = g_strdup_printf (_("%s of %s places left"), left, quota);

    gtk_label_set_label (self->quota_value, text);
  }

  sync = pfdo_store_get_record_sync (self->store, "certificate", card->id, &code, &detail, &error);
  switch (sync)
    {
    case PFDO_RECORD_SYNC_WAITING:
      gtk_label_set_label (self->sync_value, _("Waiting to be sent"));
      adw_action_row_set_subtitle (self->sync_row,
                                   _("This desk's change goes to the server at the next sync."));
      break;
    case PFDO_RECORD_SYNC_SYNCED:
      gtk_label_set_label (self->sync_value, _("Synced"));
      adw_action_row_set_subtitle (self->sync_row, _("The server applied this desk's changes."));
      break;
    case PFDO_RECORD_SYNC_REJECTED:
      {
        g_autofree char *why = g_strdup_printf (_("The server refused the change: %s"),
                                                detail != NULL ? detail
                                                : code != NULL ? code : _("no reason given"));

        gtk_label_set_label (self->sync_value, _("Rejected"));
        adw_action_row_set_subtitle (self->sync_row, why);
      }
      break;
    case PFDO_RECORD_SYNC_NONE:
    default:
      gtk_label_set_label (self->sync_value, error != NULL ? _("Unknown") : _("Up to date"));
      adw_action_row_set_subtitle (self->sync_row,
                                   error != NULL ? error->message
                                                 : _("This desk has not changed the certificate."));
      break;
    }
}

static void
show_balance (PfdoCertificatePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf (_("Balance for %s"), self->card->period);
  PfdoBalance balance = { 0 };
  struct {
    GtkLabel *label;
    gint64    kopecks;
  } figures[6];

  adw_preferences_group_set_title (self->balance_group, title);
  if (!pfdo_ledger_balance (self->store, self->card->id, self->card->period, &balance, &error))
    pfdo_ui_toast (GTK_WIDGET (self), error->message);
  self->available = MAX (balance.available, 0);

  figures[0].label = self->granted_value;
  figures[0].kopecks = balance.granted;
  figures[1].label = self->reserved_value;
  figures[1].kopecks = balance.reserved - balance.released;
  figures[2].label = self->charged_value;
  figures[2].kopecks = balance.charged;
  figures[3].label = self->refunded_value;
  figures[3].kopecks = balance.refunded;
  figures[4].label = self->expired_value;
  figures[4].kopecks = balance.expired;
  figures[5].label = self->available_value;
  figures[5].kopecks = self->available;
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *money = pfdo_text_rubles (figures[i].kopecks);

      gtk_label_set_label (figures[i].label, money);
    }

  if (g_strcmp0 (self->card->status, "accounting") != 0 || balance.granted > 0)
    adw_preferences_group_set_description (self->balance_group, NULL);
  else
    adw_preferences_group_set_description (self->balance_group,
                                           _("A certificate of accounting pays for no programs: "
                                             "it has no nominal. Budget-funded programs need no "
                                             "money from it."));
}

static void
show_enrollments (PfdoCertificatePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) enrollments = pfdo_register_enrollments (self->store, self->card->id,
                                                                &error);

  clear_list (self->enrollments_list);
  if (enrollments == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (enrollments->len == 0)
    {
      gtk_list_box_append (self->enrollments_list,
                           placeholder_row (_("The child is not enrolled in any program. "
                                              "Enroll… finds a program and its group.")));
      return;
    }
  for (guint i = 0; i < enrollments->len; i++)
    {
      PfdoRegisterEnrollment *e = g_ptr_array_index (enrollments, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *monthly = pfdo_text_rubles (e->monthly_kopecks);
      g_autofree char *reserved = pfdo_text_rubles (e->reserved_kopecks);
      g_autofree char *months = g_strdup_printf (ngettext ("%d month", "%d months", e->months),
                                                 (int) e->months);
      g_autofree char *subtitle = NULL;
      GtkWidget *status = gtk_label_new (enrollment_status_label (e->status));

      if (e->monthly_kopecks > 0)
        subtitle = g_strdup_printf (_("%s · %s × %s a month · %s reserved"), e->group_name, months,
                                    monthly, reserved);
      else
        subtitle = g_strdup_printf (_("%s · %s · not paid from the certificate"), e->group_name,
                                    months);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), e->program_title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (status, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
      if (can_change (self) &&
          (g_strcmp0 (e->status, "active") == 0 || g_strcmp0 (e->status, "requested") == 0))
        {
          GtkWidget *cancel = gtk_button_new_with_mnemonic (_("Cancel _Enrollment"));

          gtk_widget_set_valign (cancel, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "page.cancel-enrollment");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (cancel), "s", e->id);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), cancel);
        }
      g_object_set_data_full (G_OBJECT (row), "enrollment-id", g_strdup (e->id), g_free);
      g_object_set_data_full (G_OBJECT (row), "program-title", g_strdup (e->program_title),
                              g_free);
      g_object_set_data (G_OBJECT (row), "reserved", GSIZE_TO_POINTER (e->reserved_kopecks));
      gtk_list_box_append (self->enrollments_list, row);
    }
}

static void
show_entries (PfdoCertificatePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pfdo_register_entries (self->store, self->card->id, &error);

  clear_list (self->entries_list);
  if (entries == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (entries->len == 0)
    {
      gtk_list_box_append (self->entries_list,
                           placeholder_row (_("No money has moved on this certificate yet.")));
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      PfdoRegisterEntry *entry = g_ptr_array_index (entries, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = format_time (entry->created_at);
      g_autofree char *money = pfdo_text_rubles (entry->amount_kopecks);
      g_autofree char *subtitle = NULL;
      g_autofree char *amount = NULL;
      gboolean in = g_strcmp0 (entry->kind, "grant") == 0 ||
                    g_strcmp0 (entry->kind, "refund") == 0 ||
                    g_strcmp0 (entry->kind, "release") == 0;

      if (entry->program_title != NULL)
        subtitle = g_strdup_printf ("%s · %s · %s", when, entry->period, entry->program_title);
      else
        subtitle = g_strdup_printf ("%s · %s", when, entry->period);
      amount = g_strdup_printf ("%s%s", in ? "+" : "−", money);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kind_label (entry->kind));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 value_label (amount, in ? "pfdo-money-in" : "pfdo-money-out"));
      gtk_list_box_append (self->entries_list, row);
    }
}

static void
show_history (PfdoCertificatePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = pfdo_register_history (self->store, self->card->id, &error);

  clear_list (self->history_list);
  if (events == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (events->len == 0)
    {
      /* A certificate that came from the server: its dates say what is known. */
      g_autofree char *issued = format_time (self->card->issued_at);
      g_autofree char *text = g_strdup_printf (_("Issued on %s. Changes made at this desk are "
                                                 "listed here, with who made them."),
                                               issued);

      gtk_list_box_append (self->history_list, placeholder_row (text));
      return;
    }
  for (guint i = 0; i < events->len; i++)
    {
      PfdoRegisterEvent *event = g_ptr_array_index (events, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = format_time (event->at);
      g_autofree char *change = format_detail (event->detail);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", when,
                                                   event->operator_name != NULL
                                                   ? event->operator_name
                                                   : _("operator unknown"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), action_label (event->action));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (change != NULL)
        {
          GtkWidget *label = gtk_label_new (change);

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      gtk_list_box_append (self->history_list, row);
    }
}

/**
 * pfdo_certificate_page_load:
 *
 * Shows a certificate; %FALSE with @error set when it cannot be read.
 */
gboolean
pfdo_certificate_page_load (PfdoCertificatePage *self,
                            const char          *certificate_id,
                            GError             **error)
{
  PfdoRegisterCard *card;

  g_return_val_if_fail (PFDO_IS_CERTIFICATE_PAGE (self), FALSE);
  g_return_val_if_fail (certificate_id != NULL, FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  card = pfdo_register_card_load (self->store, certificate_id, error);
  if (card == NULL)
    return FALSE;
  g_clear_pointer (&self->card, pfdo_register_card_free);
  self->card = card;

  show_card (self);
  show_balance (self);
  show_enrollments (self);
  show_entries (self);
  show_history (self);
  actions_update (self);
  return TRUE;
}

void
pfdo_certificate_page_reload (PfdoCertificatePage *self)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PFDO_IS_CERTIFICATE_PAGE (self));

  if (self->card == NULL || self->store == NULL)
    return;
  id = g_strdup (self->card->id);
  if (!pfdo_certificate_page_load (self, id, &error))
    pfdo_ui_toast (GTK_WIDGET (self), error->message);
}

/* After an action: the page and the register's row show the new state,
 * and a toast says what was done. */
static void
done (PfdoCertificatePage *self,
      const char          *what)
{
  g_autofree char *id = g_strdup (self->card->id);

  pfdo_certificate_page_reload (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, id);
  pfdo_ui_toast (GTK_WIDGET (self), what);
}

static void
refused (PfdoCertificatePage *self,
         GError              *error)
{
  pfdo_ui_toast (GTK_WIDGET (self), error->message);
  /* The store may have changed under the page: show what is true now. */
  pfdo_certificate_page_reload (self);
}

typedef enum
{
  ASK_PERSONIFIED,
  ASK_FREEZE,
  ASK_CLOSE,
  ASK_CANCEL_ENROLLMENT,
} Ask;

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "confirm", *text != '\0');
}

static void
ask_response_cb (AdwMessageDialog    *dialog,
                 const char          *response,
                 PfdoCertificatePage *self)
{
  Ask ask = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "ask"));
  const char *argument = g_object_get_data (G_OBJECT (dialog), "argument");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason");
  g_autoptr(GError) error = NULL;
  const char *reason = entry != NULL ? gtk_editable_get_text (entry) : NULL;
  gboolean ok = FALSE;
  g_autofree char *what = NULL;

  if (g_strcmp0 (response, "confirm") != 0 || self->card == NULL)
    return;

  switch (ask)
    {
    case ASK_PERSONIFIED:
      ok = pfdo_certificate_convert (self->store, self->card->id, "personified", &error);
      what = g_strdup (_("The certificate is personified: it pays for certified programs."));
      break;
    case ASK_FREEZE:
      ok = pfdo_certificate_freeze (self->store, self->card->id, reason, &error);
      what = g_strdup (_("The certificate is frozen."));
      break;
    case ASK_CLOSE:
      ok = pfdo_certificate_close (self->store, self->card->id, reason, &error);
      what = g_strdup (_("The certificate is closed."));
      break;
    case ASK_CANCEL_ENROLLMENT:
      {
        gint64 reserved = pfdo_ledger_reserved_for (self->store, argument, NULL);
        g_autofree char *money = pfdo_text_rubles (MAX (reserved, 0));

        ok = pfdo_enrollment_cancel (self->store, argument, &error);
        what = reserved > 0
               ? g_strdup_printf (_("The enrollment is cancelled; %s returned to the certificate."),
                                  money)
               : g_strdup (_("The enrollment is cancelled."));
      }
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok)
    done (self, what);
  else
    refused (self, error);
}

/* Asks before an action that uses up a finite thing or cannot be undone;
 * with @reason, the answer needs a reason typed. */
static void
ask (PfdoCertificatePage    *self,
     Ask                     what,
     const char             *argument,
     const char             *heading,
     const char             *body,
     const char             *confirm,
     AdwResponseAppearance   appearance,
     gboolean                reason)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Back"), "confirm", confirm, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", appearance);
  adw_message_dialog_set_default_response (dialog, reason ? "confirm" : "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "ask", GUINT_TO_POINTER (what));
  g_object_set_data_full (G_OBJECT (dialog), "argument", g_strdup (argument), g_free);

  if (reason)
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Reason"), -1);
      adw_message_dialog_set_extra_child (dialog, entry);
      adw_message_dialog_set_response_enabled (dialog, "confirm", FALSE);
      g_signal_connect_object (entry, "changed", G_CALLBACK (reason_changed_cb), dialog, 0);
      g_object_set_data (G_OBJECT (dialog), "reason", entry);
    }

  g_signal_connect_object (dialog, "response", G_CALLBACK (ask_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

static void
activate_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PfdoCertificatePage *self = PFDO_CERTIFICATE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (pfdo_certificate_activate (self->store, self->card->id, &error))
    done (self, _("The certificate is activated: the child can study on budget-funded programs."));
  else
    refused (self, error);
}

static void
make_personified_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PfdoCertificatePage *self = PFDO_CERTIFICATE_PAGE (widget);
  g_autofree char *left = pfdo_ui_format_count (MAX (self->card->pf_quota - self->card->pf_issued,
                                                     0));
  g_autofree char *quota = pfdo_ui_format_count (self->card->pf_quota);
  g_autofree char *body = g_strdup_printf (_("The certificate will take one place of the "
                                             "municipality's quota of personified certificates: "
                                             "%s of %s places are left. The nominal is granted "
                                             "for the period."),
                                           left, quota);

  ask (self, ASK_PERSONIFIED, NULL, _("Make the Certificate Personified?"), body,
       _("Make _Personified"), ADW_RESPONSE_SUGGESTED, FALSE);
}

static void
make_accounting_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PfdoCertificatePage *self = PFDO_CERTIFICATE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (pfdo_certificate_convert (self->store, self->card->id, "accounting", &error))
    done (self, _("The certificate is back in accounting status; its place in the quota is free."));
  else
    refused (self, error);
}

static void
freeze_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  ask (PFDO_CERTIFICATE_PAGE (widget), ASK_FREEZE, NULL, _("Freeze the Certificate?"),
       _("A frozen certificate pays for nothing and cannot be used to enroll until it is "
         "unfrozen. Say why it is frozen."),
       _("_Freeze"), ADW_RESPONSE_SUGGESTED, TRUE);
}

static void
unfreeze_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PfdoCertificatePage *self = PFDO_CERTIFICATE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (pfdo_certificate_unfreeze (self->store, self->card->id, NULL, &error))
    done (self, _("The certificate is unfrozen."));
  else
    refused (self, error);
}

static void
close_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  ask (PFDO_CERTIFICATE_PAGE (widget), ASK_CLOSE, NULL, _("Close the Certificate?"),
       _("A closed certificate stays in the register, and the child never gets another one. "
         "Say why it is closed: the child turned 18, left the municipality, or the "
         "certificate was revoked."),
       _("_Close Certificate"), ADW_RESPONSE_DESTRUCTIVE, TRUE);
}

static void
cancel_enrollment_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PfdoCertificatePage *self = PFDO_CERTIFICATE_PAGE (widget);
  const char *enrollment_id = g_variant_get_string (parameter, NULL);
  gint64 reserved = pfdo_ledger_reserved_for (self->store, enrollment_id, NULL);
  g_autofree char *money = pfdo_text_rubles (MAX (reserved, 0));
  g_autofree char *body = NULL;

  if (reserved > 0)
    body = g_strdup_printf (_("The child leaves the group. What is still reserved for it, %s, "
                              "returns to the certificate."),
                            money);
  else
    body = g_strdup (_("The child leaves the group."));
  ask (self, ASK_CANCEL_ENROLLMENT, enrollment_id, _("Cancel the Enrollment?"), body,
       _("Cancel _Enrollment"), ADW_RESPONSE_DESTRUCTIVE, FALSE);
}

static void
enrolled_cb (PfdoCertificatePage *self,
             const char          *message)
{
  done (self, message);
}

static void
enroll_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  PfdoCertificatePage *self = PFDO_CERTIFICATE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  PfdoCertificateEnrollDialog *dialog;

  dialog = pfdo_certificate_enroll_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               self->store, self->card->id, self->available);
  g_signal_connect_object (dialog, "enrolled", G_CALLBACK (enrolled_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pfdo_certificate_page_dispose (GObject *object)
{
  PfdoCertificatePage *self = PFDO_CERTIFICATE_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_CERTIFICATE_PAGE);
  g_clear_object (&self->store);
  g_clear_pointer (&self->card, pfdo_register_card_free);

  G_OBJECT_CLASS (pfdo_certificate_page_parent_class)->dispose (object);
}

static void
pfdo_certificate_page_class_init (PfdoCertificatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_certificate_page_dispose;

  /**
   * PfdoCertificatePage::back:
   *
   * The operator asked to go back to the register (Escape or the button).
   */
  signals[SIGNAL_BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PfdoCertificatePage::changed:
   * @certificate_id: the certificate
   *
   * An action changed the certificate: its row in the register must follow.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-certificate-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PfdoCertificatePage, name)
  BIND (back_button);
  BIND (title_label);
  BIND (subtitle_label);
  BIND (status_badge);
  BIND (preferences_page);
  BIND (status_row);
  BIND (status_value);
  BIND (child_row);
  BIND (child_value);
  BIND (municipality_value);
  BIND (quota_row);
  BIND (quota_value);
  BIND (sync_row);
  BIND (sync_value);
  BIND (actions_box);
  BIND (activate_button);
  BIND (personified_button);
  BIND (accounting_button);
  BIND (freeze_button);
  BIND (unfreeze_button);
  BIND (close_button);
  BIND (enroll_button);
  BIND (role_label);
  BIND (balance_group);
  BIND (granted_value);
  BIND (reserved_value);
  BIND (charged_value);
  BIND (refunded_value);
  BIND (expired_value);
  BIND (available_value);
  BIND (enrollments_list);
  BIND (entries_list);
  BIND (history_list);
#undef BIND

  gtk_widget_class_install_action (widget_class, "page.back", NULL, back_cb);
  gtk_widget_class_install_action (widget_class, "page.activate", NULL, activate_cb);
  gtk_widget_class_install_action (widget_class, "page.make-personified", NULL,
                                   make_personified_cb);
  gtk_widget_class_install_action (widget_class, "page.make-accounting", NULL, make_accounting_cb);
  gtk_widget_class_install_action (widget_class, "page.freeze", NULL, freeze_cb);
  gtk_widget_class_install_action (widget_class, "page.unfreeze", NULL, unfreeze_cb);
  gtk_widget_class_install_action (widget_class, "page.close", NULL, close_cb);
  gtk_widget_class_install_action (widget_class, "page.enroll", NULL, enroll_cb);
  gtk_widget_class_install_action (widget_class, "page.cancel-enrollment", "s",
                                   cancel_enrollment_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "page.back", NULL);
}

static void
pfdo_certificate_page_init (PfdoCertificatePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  actions_update (self);
}

void
pfdo_certificate_page_set_store (PfdoCertificatePage *self,
                                 PfdoStore           *store)
{
  g_return_if_fail (PFDO_IS_CERTIFICATE_PAGE (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  g_set_object (&self->store, store);
  g_clear_pointer (&self->card, pfdo_register_card_free);
  actions_update (self);
}

const char *
pfdo_certificate_page_get_certificate_id (PfdoCertificatePage *self)
{
  g_return_val_if_fail (PFDO_IS_CERTIFICATE_PAGE (self), NULL);

  return self->card != NULL ? self->card->id : NULL;
}

/* The keyboard goes to the page: Escape leads back from there. */
void
pfdo_certificate_page_focus (PfdoCertificatePage *self)
{
  g_return_if_fail (PFDO_IS_CERTIFICATE_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
}
