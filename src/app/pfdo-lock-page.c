/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pfdo-lock-page.h"
#include "pfdo-operators.h"
#include "pfdo-secrets.h"

/*
 * The page that covers the desk when it is locked: after a while without
 * input (lock-after-minutes), or at once with Ctrl+L. It shows who is
 * signed in and asks for that operator's password, checked against the
 * hash kept at the last online sign-in, off the main thread. Everything
 * under it stays as it was (the window only switches its stack to this
 * page, which unmaps the views), so what was typed is there after the
 * unlock; the window's dialogs are hidden meanwhile and come back.
 *
 * Only the operator the desk was locked for unlocks it here. Another one
 * signs in through the window's sign-in (the button below), and the
 * window then drops the locked operator's unsaved work before it shows
 * the desk (pfdo-window.c).
 *
 * Wrong passwords are answered more slowly from the third on: 5 seconds,
 * then twice as long each time, at most 5 minutes.
 */

#define FREE_FAILURES   3
#define FIRST_DELAY_S   5
#define LONGEST_DELAY_S 300

struct _PfdoLockPage
{
  GtkWidget      parent_instance;

  PfdoStore     *store;
  GtkWindow     *window;            /* watched for input; weak */
  double         lock_after_minutes;
  gint64         last_activity;     /* monotonic, µs */
  guint          idle_timer;
  guint          scan_idle;         /* new windows to watch */

  gboolean       locked;
  char          *operator_id;       /* whom the desk is locked for */
  GtkWidget     *focus_before;      /* weak */
  GPtrArray     *hidden;            /* the window's dialogs, hidden while locked */

  GCancellable  *cancellable;
  gboolean       checking;
  guint          failures;
  guint          retry_timer;

  AdwStatusPage *status_page;
  AdwEntryRow   *password_row;
  GtkLabel      *message_label;
};

G_DEFINE_FINAL_TYPE (PfdoLockPage, pfdo_lock_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOCKED,
  PROP_CHECKING,
  PROP_LOCK_AFTER_MINUTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark watched_quark;

static void
show_message (PfdoLockPage *self,
              const char   *text)
{
  gtk_label_set_label (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
}

static void
actions_update (PfdoLockPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lock.unlock",
                                 self->locked && !self->checking && self->retry_timer == 0);
}

static void schedule (PfdoLockPage *self);

static gboolean
idle_timer_cb (gpointer user_data)
{
  PfdoLockPage *self = user_data;
  gint64 idle_us = g_get_monotonic_time () - self->last_activity;

  self->idle_timer = 0;
  if (idle_us >= (gint64) (self->lock_after_minutes * 60 * G_USEC_PER_SEC))
    {
      /* Nobody signed in: nothing to lock; look again after a while. */
      if (!pfdo_lock_page_lock (self))
        {
          self->last_activity = g_get_monotonic_time ();
          schedule (self);
        }
    }
  else
    schedule (self);
  return G_SOURCE_REMOVE;
}

/* One timer for the rest of the idle time: input only notes the time it
 * came, so that a moving pointer costs nothing. */
static void
schedule (PfdoLockPage *self)
{
  gint64 limit_us, left_us;

  g_clear_handle_id (&self->idle_timer, g_source_remove);
  if (self->locked || self->window == NULL || self->lock_after_minutes <= 0)
    return;

  limit_us = (gint64) (self->lock_after_minutes * 60 * G_USEC_PER_SEC);
  left_us = limit_us - (g_get_monotonic_time () - self->last_activity);
  self->idle_timer = g_timeout_add ((guint) CLAMP (left_us / 1000 + 1, 1, G_MAXUINT),
                                    idle_timer_cb, self);
}

static gboolean
input_cb (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          PfdoLockPage             *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  /* A dialog counts while it belongs to the watched window. */
  if (widget != GTK_WIDGET (self->window) &&
      gtk_window_get_transient_for (GTK_WINDOW (widget)) != self->window)
    return GDK_EVENT_PROPAGATE;

  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
    case GDK_TOUCHPAD_HOLD:
      self->last_activity = g_get_monotonic_time ();
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
watch_window (PfdoLockPage *self,
              GtkWindow    *window)
{
  GtkEventController *controller;

  if (g_object_get_qdata (G_OBJECT (window), watched_quark) == self)
    return;
  g_object_set_qdata (G_OBJECT (window), watched_quark, self);
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (input_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

/* Dialogs are windows of their own: input there is activity too. They
 * are watched once made, not while they are being constructed. */
static gboolean
scan_windows_cb (gpointer user_data)
{
  PfdoLockPage *self = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  self->scan_idle = 0;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      watch_window (self, window);
    }
  return G_SOURCE_REMOVE;
}

static void
toplevels_changed_cb (PfdoLockPage *self)
{
  if (self->scan_idle == 0 && self->window != NULL)
    self->scan_idle = g_idle_add (scan_windows_cb, self);
}

/**
 * pfdo_lock_page_watch:
 * @window: the window this page covers
 *
 * Counts key and pointer input to @window and its dialogs as activity:
 * the desk locks after lock-after-minutes without any.
 */
void
pfdo_lock_page_watch (PfdoLockPage *self,
                      GtkWindow    *window)
{
  g_return_if_fail (PFDO_IS_LOCK_PAGE (self));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (self->window == NULL);

  g_set_weak_pointer (&self->window, window);
  watch_window (self, window);
  g_signal_connect_object (gtk_window_get_toplevels (), "items-changed",
                           G_CALLBACK (toplevels_changed_cb), self, G_CONNECT_SWAPPED);
  toplevels_changed_cb (self);
  self->last_activity = g_get_monotonic_time ();
  schedule (self);
}

void
pfdo_lock_page_set_store (PfdoLockPage *self,
                          PfdoStore    *store)
{
  g_return_if_fail (PFDO_IS_LOCK_PAGE (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  g_set_object (&self->store, store);
}

double
pfdo_lock_page_get_lock_after_minutes (PfdoLockPage *self)
{
  g_return_val_if_fail (PFDO_IS_LOCK_PAGE (self), 0);

  return self->lock_after_minutes;
}

/**
 * pfdo_lock_page_set_lock_after_minutes:
 * @minutes: without input for so long, the desk locks; 0: never
 *
 * The idle time starts again from now.
 */
void
pfdo_lock_page_set_lock_after_minutes (PfdoLockPage *self,
                                       double        minutes)
{
  g_return_if_fail (PFDO_IS_LOCK_PAGE (self));

  minutes = MAX (minutes, 0);
  self->last_activity = g_get_monotonic_time ();
  if (minutes != self->lock_after_minutes)
    {
      self->lock_after_minutes = minutes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCK_AFTER_MINUTES]);
    }
  schedule (self);
}

static void
hide_dialogs (PfdoLockPage *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != self->window && gtk_window_get_transient_for (window) == self->window &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          g_ptr_array_add (self->hidden, g_object_ref (window));
          gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
        }
    }
}

static void
show_dialogs (PfdoLockPage *self)
{
  for (guint i = 0; i < self->hidden->len; i++)
    {
      GtkWindow *window = g_ptr_array_index (self->hidden, i);

      /* Closed meanwhile (the window's own code may close one): gone. */
      if (gtk_window_get_transient_for (window) == self->window)
        gtk_window_present (window);
    }
  g_ptr_array_set_size (self->hidden, 0);
}

/**
 * pfdo_lock_page_lock:
 *
 * Locks the desk for the operator signed in now: the page says so and
 * asks for the password; the window shows it over everything (notify::
 * locked) and hides its dialogs.
 *
 * Returns: whether the desk is locked; %FALSE if nobody is signed in
 */
gboolean
pfdo_lock_page_lock (PfdoLockPage *self)
{
  const char *operator_id;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (PFDO_IS_LOCK_PAGE (self), FALSE);

  if (self->locked)
    return TRUE;
  operator_id = self->store != NULL ? pfdo_store_get_operator_id (self->store) : NULL;
  if (operator_id == NULL)
    return FALSE;

  g_free (self->operator_id);
  self->operator_id = g_strdup (operator_id);
  name = pfdo_operator_dup_full_name (self->store, operator_id);
  /* Translators: the operator the desk is locked for. */
  description = g_strdup_printf (_("%s is signed in. Type the password to go on."),
                                 name != NULL ? name : "");
  adw_status_page_set_description (self->status_page, description);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (self->retry_timer == 0)
    show_message (self, NULL);

  /* Where the operator was, before the stack hides it. */
  if (self->window != NULL)
    g_set_weak_pointer (&self->focus_before, gtk_window_get_focus (self->window));
  hide_dialogs (self);
  g_clear_handle_id (&self->idle_timer, g_source_remove);
  self->locked = TRUE;
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  return TRUE;
}

/**
 * pfdo_lock_page_unlock:
 *
 * Shows the desk again as it was: for the window once an operator has
 * signed in through its own sign-in; the page unlocks itself after the
 * right password.
 */
void
pfdo_lock_page_unlock (PfdoLockPage *self)
{
  g_return_if_fail (PFDO_IS_LOCK_PAGE (self));

  if (!self->locked)
    return;
  /* A check still running answers nothing now. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->checking)
    {
      self->checking = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
    }

  self->locked = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_message (self, NULL);
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  show_dialogs (self);
  if (self->focus_before != NULL && gtk_widget_get_mapped (self->focus_before))
    gtk_widget_grab_focus (self->focus_before);
  g_clear_weak_pointer (&self->focus_before);
  self->last_activity = g_get_monotonic_time ();
  schedule (self);
}

gboolean
pfdo_lock_page_get_locked (PfdoLockPage *self)
{
  g_return_val_if_fail (PFDO_IS_LOCK_PAGE (self), FALSE);

  return self->locked;
}

/**
 * pfdo_lock_page_get_operator_id:
 *
 * Returns: (nullable): the operator the desk was locked for last
 */
const char *
pfdo_lock_page_get_operator_id (PfdoLockPage *self)
{
  g_return_val_if_fail (PFDO_IS_LOCK_PAGE (self), NULL);

  return self->operator_id;
}

/**
 * pfdo_lock_page_get_checking:
 *
 * Returns: whether a typed password is being checked
 */
gboolean
pfdo_lock_page_get_checking (PfdoLockPage *self)
{
  g_return_val_if_fail (PFDO_IS_LOCK_PAGE (self), FALSE);

  return self->checking;
}

typedef struct
{
  char *hash;
  char *password;
} Check;

static void
check_free (Check *check)
{
  pfdo_secrets_wipe (&check->hash);
  pfdo_secrets_wipe (&check->password);
  g_free (check);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Check *check = task_data;

  g_task_return_boolean (task, pfdo_secrets_verify_password (check->hash, check->password));
}

static gboolean
retry_cb (gpointer user_data)
{
  PfdoLockPage *self = user_data;

  self->retry_timer = 0;
  show_message (self, _("The password is wrong."));
  actions_update (self);
  return G_SOURCE_REMOVE;
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PfdoLockPage *self = PFDO_LOCK_PAGE (object);
  gboolean right;

  /* Unlocked meanwhile by a sign-in, or the page is gone. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  right = g_task_propagate_boolean (G_TASK (result), NULL);
  self->checking = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);

  if (right)
    {
      self->failures = 0;
      /* The desk's sign-in signs out before it checks: a failed one
       * meanwhile leaves the locked operator signed out. */
      if (g_strcmp0 (pfdo_store_get_operator_id (self->store), self->operator_id) != 0)
        pfdo_store_set_operator (self->store, self->operator_id, NULL);
      pfdo_lock_page_unlock (self);
      return;
    }

  self->failures++;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (self->failures >= FREE_FAILURES)
    {
      guint delay = MIN ((guint) FIRST_DELAY_S << MIN (self->failures - FREE_FAILURES, 8),
                         (guint) LONGEST_DELAY_S);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "The password is wrong. Try again "
                                                            "in %u second.",
                                                            "The password is wrong. Try again "
                                                            "in %u seconds.", delay), delay);

      self->retry_timer = g_timeout_add_seconds (delay, retry_cb, self);
      show_message (self, text);
    }
  else
    show_message (self, _("The password is wrong."));
  actions_update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
unlock_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PfdoLockPage *self = PFDO_LOCK_PAGE (widget);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(GTask) task = NULL;
  char *hash;
  Check *check;

  if (!self->locked || self->checking || self->retry_timer != 0)
    return;
  if (*password == '\0')
    {
      show_message (self, _("Type the password."));
      return;
    }
  /* An index look-up: the slow part, the hash, runs in a thread. */
  hash = pfdo_secrets_dup_password_hash (self->store, self->operator_id);
  if (hash == NULL)
    {
      show_message (self, _("This desk keeps no password for this operator. Sign in again "
                            "while the regional server is reachable."));
      return;
    }

  check = g_new0 (Check, 1);
  check->hash = hash;
  check->password = g_strdup (password);
  self->checking = TRUE;
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);

  task = g_task_new (self, self->cancellable, check_cb, NULL);
  g_task_set_source_tag (task, unlock_action_cb);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, check_thread);
}

static void
password_activated_cb (PfdoLockPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "lock.unlock", NULL);
}

static void
pfdo_lock_page_dispose (GObject *object)
{
  PfdoLockPage *self = PFDO_LOCK_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_timer, g_source_remove);
  g_clear_handle_id (&self->scan_idle, g_source_remove);
  g_clear_handle_id (&self->retry_timer, g_source_remove);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->focus_before);
  g_ptr_array_set_size (self->hidden, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_LOCK_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pfdo_lock_page_parent_class)->dispose (object);
}

static void
pfdo_lock_page_finalize (GObject *object)
{
  PfdoLockPage *self = PFDO_LOCK_PAGE (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->hidden);
  g_free (self->operator_id);

  G_OBJECT_CLASS (pfdo_lock_page_parent_class)->finalize (object);
}

static void
pfdo_lock_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PfdoLockPage *self = PFDO_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;
    case PROP_LOCK_AFTER_MINUTES:
      g_value_set_double (value, self->lock_after_minutes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_lock_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PfdoLockPage *self = PFDO_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOCK_AFTER_MINUTES:
      pfdo_lock_page_set_lock_after_minutes (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_lock_page_class_init (PfdoLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_lock_page_dispose;
  object_class->finalize = pfdo_lock_page_finalize;
  object_class->get_property = pfdo_lock_page_get_property;
  object_class->set_property = pfdo_lock_page_set_property;

  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCK_AFTER_MINUTES] =
    g_param_spec_double ("lock-after-minutes", NULL, NULL, 0, 1440, 10,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/pfdo/Desk/pfdo-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoLockPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, PfdoLockPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, PfdoLockPage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "lock.unlock", NULL, unlock_action_cb);

  watched_quark = g_quark_from_static_string ("pfdo-lock-page-watched");
}

static void
pfdo_lock_page_init (PfdoLockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->hidden = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->lock_after_minutes = 10;
  actions_update (self);
}
