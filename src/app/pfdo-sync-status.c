/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-sync-status.h"
#include "pfdo-transport.h"

/*
 * The header bar's word on sync: the Sync button (Stop while a sync runs)
 * and one line that says what the desk is doing or what waits, bound to
 * the syncer's properties.
 */

struct _PfdoSyncStatus
{
  GtkWidget   parent_instance;

  PfdoSyncer *syncer;

  GtkButton  *button;
  GtkSpinner *spinner;
  GtkLabel   *label;
};

G_DEFINE_FINAL_TYPE (PfdoSyncStatus, pfdo_sync_status, GTK_TYPE_WIDGET)

/**
 * pfdo_sync_status_describe:
 * @now: the time to compare the last sync with
 *
 * Returns: (transfer full): the status line for @syncer, most urgent first
 */
char *
pfdo_sync_status_describe (PfdoSyncer *syncer,
                           GDateTime  *now)
{
  guint pending = pfdo_syncer_get_pending (syncer);
  guint rejected = pfdo_syncer_get_rejected (syncer);
  GDateTime *last = pfdo_syncer_get_last_sync (syncer);

  if (pfdo_syncer_get_busy (syncer))
    {
      guint done = pfdo_syncer_get_done (syncer);
      guint total = pfdo_syncer_get_total (syncer);

      switch (pfdo_syncer_get_phase (syncer))
        {
        case PFDO_SYNC_PHASE_PUSH:
          /* Translators: operations sent to the regional server so far. */
          return g_strdup_printf (_("Sending: %u of %u"), done, total);
        case PFDO_SYNC_PHASE_PULL:
          if (done == 0)
            return g_strdup (_("Receiving changes…"));
          return g_strdup_printf (_("Changes received: %u"), done);
        case PFDO_SYNC_PHASE_SIGN_IN:
        case PFDO_SYNC_PHASE_IDLE:
        default:
          return g_strdup (_("Signing in to the server…"));
        }
    }

  if (pfdo_syncer_get_server (syncer) == NULL)
    return g_strdup (_("No server set: working offline"));
  /* The whole reason is in the tooltip; the line says what it means. */
  if (pfdo_syncer_get_refusal (syncer) != NULL)
    {
      if (g_error_matches (pfdo_syncer_get_refusal (syncer), PFDO_TRANSPORT_ERROR,
                           PFDO_TRANSPORT_ERROR_PLAIN_HTTP))
        return g_strdup (_("Not synced: the server's address is not encrypted"));
      return g_strdup (_("Not synced: the server's address is wrong"));
    }
  if (pfdo_syncer_get_audit_diverged (syncer))
    return g_strdup (_("Audit log differs from the server’s"));
  if (rejected > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u operation rejected",
                                         "%u operations rejected", rejected), rejected);
  if (!pfdo_syncer_get_online (syncer))
    {
      if (pending > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Offline; %u operation waiting",
                                             "Offline; %u operations waiting", pending),
                                pending);
      return g_strdup (_("Offline"));
    }
  if (pending > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u operation waiting",
                                         "%u operations waiting", pending), pending);
  if (last != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (last);
      g_autoptr(GDateTime) today = g_date_time_to_local (now);
      g_autofree char *when = NULL;

      if (g_date_time_get_year (local) == g_date_time_get_year (today) &&
          g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (today))
        when = g_date_time_format (local, "%H:%M");
      else
        when = g_date_time_format (local, "%d.%m.%Y %H:%M");
      /* Translators: the time, or the date and time, of the last sync. */
      return g_strdup_printf (_("Synced at %s"), when);
    }
  return g_strdup (_("Not synced yet"));
}

static void
update (PfdoSyncStatus *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  const GError *refusal;
  gboolean busy;

  if (self->syncer == NULL)
    return;
  refusal = pfdo_syncer_get_refusal (self->syncer);

  busy = pfdo_syncer_get_busy (self->syncer);
  text = pfdo_sync_status_describe (self->syncer, now);
  gtk_label_set_label (self->label, text);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_button_set_icon_name (self->button, busy ? "process-stop-symbolic"
                                               : "view-refresh-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                               busy ? _("Stop the Sync (Ctrl+R)")
                                    : _("Synchronise with the Regional Server (Ctrl+R)"));
  /* An icon-only button: its name is what a screen reader says. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  busy ? _("Stop the Sync")
                                       : _("Synchronise with the Regional Server"),
                                  -1);
  if ((pfdo_syncer_get_rejected (self->syncer) > 0 || refusal != NULL ||
       pfdo_syncer_get_audit_diverged (self->syncer)) && !busy)
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->label), "warning");
  /* The line is short; what it means is in its tooltip. */
  if (refusal != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), refusal->message);
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->label),
                                 pfdo_syncer_get_audit_diverged (self->syncer) && !busy
                                 ? _("The regional server found this desk’s audit log cut short or "
                                     "rewritten since an earlier sync. The desk’s work is still "
                                     "sent and received; tell the МОЦ administrator.")
                                 : NULL);
}

static void
notify_cb (PfdoSyncer     *syncer,
           GParamSpec     *pspec,
           PfdoSyncStatus *self)
{
  update (self);
}

/**
 * pfdo_sync_status_set_syncer:
 * @syncer: (nullable): the syncer to show
 */
void
pfdo_sync_status_set_syncer (PfdoSyncStatus *self,
                             PfdoSyncer     *syncer)
{
  g_return_if_fail (PFDO_IS_SYNC_STATUS (self));

  if (self->syncer != NULL)
    g_signal_handlers_disconnect_by_func (self->syncer, notify_cb, self);
  g_set_object (&self->syncer, syncer);
  if (syncer != NULL)
    g_signal_connect (syncer, "notify", G_CALLBACK (notify_cb), self);
  update (self);
}

/**
 * pfdo_sync_status_get_text:
 *
 * Returns: the status line as shown
 */
const char *
pfdo_sync_status_get_text (PfdoSyncStatus *self)
{
  g_return_val_if_fail (PFDO_IS_SYNC_STATUS (self), NULL);

  return gtk_label_get_label (self->label);
}

static void
pfdo_sync_status_dispose (GObject *object)
{
  PfdoSyncStatus *self = PFDO_SYNC_STATUS (object);

  GtkWidget *child;

  pfdo_sync_status_set_syncer (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_SYNC_STATUS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pfdo_sync_status_parent_class)->dispose (object);
}

static void
pfdo_sync_status_class_init (PfdoSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_sync_status_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoSyncStatus, button);
  gtk_widget_class_bind_template_child (widget_class, PfdoSyncStatus, spinner);
  gtk_widget_class_bind_template_child (widget_class, PfdoSyncStatus, label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pfdo_sync_status_init (PfdoSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}
