/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-sync"

#include "config.h"

#include <string.h>

#include "pfdo-syncer.h"
#include "pfdo-text.h"
#include "pfdo-transport.h"

/*
 * The sync engine as the window uses it: one sync at a time on a worker
 * thread with its own connection to the store, its progress as properties
 * on the main thread, automatic syncs when the network comes back and every
 * few minutes while online, and the operator's password kept in memory
 * only, for as long as the server accepts it. The server's session token
 * is kept in memory too, and between runs where pfdo-token.c says, so that
 * a sync needs no sign-in while the session lasts.
 */

struct _PfdoSyncer
{
  GObject          parent_instance;

  PfdoStore       *store;
  char            *base;
  char            *ca_file;
  gboolean         allow_plain_http;
  GError          *refusal;    /* why the server's address is refused, or NULL */
  char            *login;
  char            *password;
  char            *token;           /* the session for base and login, or NULL */
  PfdoTokenKeeping keeping;
  gboolean         check_password;  /* the next sync is a sign-in the server checks */
  gboolean         last_sign_in;    /* the sync that ended last was one */
  guint            min_numbers;

  GNetworkMonitor *monitor;
  gulong           monitor_handler;
  guint            interval_s;
  guint            timer;

  GCancellable    *cancellable;
  gboolean         online;
  PfdoSyncPhase    phase;
  guint            done;
  guint            total;
  guint            pending;
  guint            rejected;
  GDateTime       *last_sync;
  PfdoSyncStats    last_stats;
  gboolean         audit_diverged;   /* until a sync ends well */
};

G_DEFINE_FINAL_TYPE (PfdoSyncer, pfdo_syncer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_ONLINE,
  PROP_PHASE,
  PROP_DONE,
  PROP_TOTAL,
  PROP_PENDING,
  PROP_REJECTED,
  PROP_LAST_SYNC,
  PROP_REFUSAL,
  PROP_AUDIT_DIVERGED,
  N_PROPS
};

enum {
  FINISHED,
  PASSWORD_NEEDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* What one sync on the worker thread needs: copies, not the syncer's own
 * fields, which the main thread may change meanwhile. */
typedef struct
{
  PfdoSyncer       *syncer;    /* for progress only; the task holds a reference */
  GMainContext     *context;
  char             *path;
  char             *base;
  char             *ca_file;
  gboolean          allow_plain_http;
  char             *login;
  char             *password;
  char             *token;     /* the session to use, and at the end the one in use */
  gboolean          token_changed;
  gboolean          sign_in;   /* the password is the server's to check */
  PfdoTokenKeeping  keeping;
  guint             min_numbers;
  PfdoSyncStats     stats;
} Job;

static void
job_free (Job *job)
{
  g_main_context_unref (job->context);
  g_free (job->path);
  g_free (job->base);
  g_free (job->ca_file);
  g_free (job->login);
  wipe (&job->password);
  wipe (&job->token);
  g_free (job);
}

typedef struct
{
  PfdoSyncer    *syncer;
  PfdoSyncPhase  phase;
  guint          done;
  guint          total;
} Progress;

static gboolean
progress_idle_cb (gpointer user_data)
{
  Progress *progress = user_data;
  PfdoSyncer *self = progress->syncer;

  /* A late report of a sync that already ended changes nothing. */
  if (self->cancellable != NULL)
    {
      g_object_freeze_notify (G_OBJECT (self));
      if (self->phase != progress->phase)
        {
          self->phase = progress->phase;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
        }
      if (self->done != progress->done)
        {
          self->done = progress->done;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
        }
      if (self->total != progress->total)
        {
          self->total = progress->total;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
        }
      g_object_thaw_notify (G_OBJECT (self));
    }
  return G_SOURCE_REMOVE;
}

static void
progress_free (Progress *progress)
{
  g_object_unref (progress->syncer);
  g_free (progress);
}

/* Called on the worker thread. */
static void
job_progress (PfdoSyncPhase phase,
              guint         done,
              guint         total,
              gpointer      user_data)
{
  Job *job = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->syncer = g_object_ref (job->syncer);
  progress->phase = phase;
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, progress_idle_cb, progress,
                              (GDestroyNotify) progress_free);
}

/* Called on the worker thread when the server gave a new session, or
 * refused the one the job began with (@token %NULL). */
static void
job_token_cb (const char *token,
              gpointer    user_data)
{
  Job *job = user_data;

  wipe (&job->token);
  job->token = g_strdup (token);
  job->token_changed = TRUE;
}

static gboolean
mark_synced_cb (PfdoStore *store,
                gpointer   user_data,
                GError   **error)
{
  g_autofree char *now = pfdo_now_utc ();

  return pfdo_store_set_setting (store, "last_sync_at", now, error);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = pfdo_store_open (job->path, &error);
  PfdoSyncOptions options = {
    .ca_file = job->ca_file,
    .allow_plain_http = job->allow_plain_http,
    .min_numbers = job->min_numbers,
    .progress = job_progress,
    .progress_data = job,
    .token_func = job_token_cb,
    .token_data = job,
  };
  gboolean ok;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A session kept from before, unless this is a sign-in: that is the
   * server's to check, and no kept session stands in for it. */
  if (!job->sign_in && job->token == NULL)
    job->token = pfdo_token_find (job->keeping, store, job->base, job->login, job->password,
                                  NULL, NULL);
  if (job->token == NULL && job->password == NULL)
    {
      g_task_return_new_error (task, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED,
                               "No session is kept for this operator, and no password is known.");
      return;
    }

  options.token = job->token;
  ok = pfdo_sync_run_full (store, job->base, job->login, job->password, &options, &job->stats,
                           cancellable, &error);
  /* A diverged audit log ends a sync that did everything else: the desk
   * is synced, and the error still says what the server found. */
  if (ok || g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED))
    ok = pfdo_store_write (store, mark_synced_cb, NULL, error == NULL ? &error : NULL) &&
         error == NULL;

  /* Kept, or forgotten if refused, whatever became of the rest. */
  if (job->token_changed && job->token != NULL)
    {
      g_autoptr(GError) keep_error = NULL;

      if (!pfdo_token_keep (job->keeping, store, job->base, job->login, job->token, job->password,
                            NULL, &keep_error))
        g_debug ("The session could not be kept: %s", keep_error->message);
    }
  else if (job->token_changed)
    pfdo_token_forget (job->keeping, store, job->base, job->login);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
set_idle (PfdoSyncer *self)
{
  g_clear_object (&self->cancellable);
  self->phase = PFDO_SYNC_PHASE_IDLE;
  self->done = 0;
  self->total = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PfdoSyncer *self = PFDO_SYNCER (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  self->last_stats = job->stats;
  self->last_sign_in = job->sign_in;

  /* The session in use at the end, for the next sync: unless the server,
   * the operator or the password changed meanwhile. */
  if (!self->check_password && g_strcmp0 (job->base, self->base) == 0 &&
      g_strcmp0 (job->login, self->login) == 0)
    {
      wipe (&self->token);
      self->token = g_strdup (job->token);
    }

  g_object_freeze_notify (G_OBJECT (self));
  /* The server's word on the audit log stands until a sync ends well. */
  if (error == NULL ||
      g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED))
    {
      gboolean diverged = error != NULL;

      if (diverged != self->audit_diverged)
        {
          self->audit_diverged = diverged;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIT_DIVERGED]);
        }
    }
  set_idle (self);
  pfdo_syncer_refresh (self);
  g_object_thaw_notify (G_OBJECT (self));

  /* The server refused the password, or the kept session with no password
   * to begin a new one: forget them and ask. A sign-in typed meanwhile
   * answers that already. */
  if (g_error_matches (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_UNAUTHORIZED) &&
      !self->check_password)
    {
      if (g_strcmp0 (self->password, job->password) == 0)
        wipe (&self->password);
      wipe (&self->token);
      g_signal_emit (self, signals[PASSWORD_NEEDED], 0, job->password != NULL ? error : NULL);
    }
  g_signal_emit (self, signals[FINISHED], 0, error);

  /* A sign-in asked while this sync ran goes now. */
  if (self->check_password)
    pfdo_syncer_sync (self);
}

/**
 * pfdo_syncer_sync:
 *
 * Starts a sync unless one is running. Without a server there is nothing
 * to do; without a password the syncer asks for one (`password-needed`).
 *
 * Returns: %TRUE if a sync started
 */
gboolean
pfdo_syncer_sync (PfdoSyncer *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_val_if_fail (PFDO_IS_SYNCER (self), FALSE);

  /* A refused address stays refused until the settings change; the
   * status line says why. */
  if (self->cancellable != NULL || self->base == NULL || self->refusal != NULL)
    return FALSE;
  /* Without a password a session kept in the keyring may do; one sealed
   * in the store needs the password to open. */
  if (self->login == NULL ||
      (self->password == NULL && self->token == NULL &&
       self->keeping != PFDO_TOKEN_KEEPING_KEYRING))
    {
      g_signal_emit (self, signals[PASSWORD_NEEDED], 0, NULL);
      return FALSE;
    }

  job = g_new0 (Job, 1);
  job->syncer = self;
  job->context = g_main_context_ref_thread_default ();
  job->path = g_strdup (pfdo_store_get_path (self->store));
  job->base = g_strdup (self->base);
  job->ca_file = g_strdup (self->ca_file);
  job->allow_plain_http = self->allow_plain_http;
  job->login = g_strdup (self->login);
  job->password = g_strdup (self->password);
  job->sign_in = self->check_password;
  job->token = job->sign_in ? NULL : g_strdup (self->token);
  job->keeping = self->keeping;
  job->min_numbers = self->min_numbers;
  self->check_password = FALSE;

  self->cancellable = g_cancellable_new ();
  self->phase = PFDO_SYNC_PHASE_SIGN_IN;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);

  task = g_task_new (self, self->cancellable, sync_cb, NULL);
  g_task_set_source_tag (task, pfdo_syncer_sync);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, sync_thread);
  return TRUE;
}

/**
 * pfdo_syncer_cancel:
 *
 * Stops the running sync at the next step; what was applied stays.
 */
void
pfdo_syncer_cancel (PfdoSyncer *self)
{
  g_return_if_fail (PFDO_IS_SYNCER (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/**
 * pfdo_syncer_refresh:
 *
 * Counts again what waits in the outbox; call it after a local action.
 */
void
pfdo_syncer_refresh (PfdoSyncer *self)
{
  gint64 pending, rejected;
  g_autofree char *last = NULL;

  g_return_if_fail (PFDO_IS_SYNCER (self));

  pending = pfdo_store_query_int (self->store,
                                  "SELECT count (*) FROM outbox WHERE state = 'pending'", NULL,
                                  NULL);
  rejected = pfdo_store_query_int (self->store,
                                   "SELECT count (*) FROM outbox WHERE state = 'rejected'", NULL,
                                   NULL);
  last = pfdo_store_dup_setting (self->store, "last_sync_at");

  g_object_freeze_notify (G_OBJECT (self));
  if (pending >= 0 && (guint) pending != self->pending)
    {
      self->pending = (guint) pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (rejected >= 0 && (guint) rejected != self->rejected)
    {
      self->rejected = (guint) rejected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REJECTED]);
    }
  if (last != NULL)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (last, NULL);

      if (at != NULL && (self->last_sync == NULL || !g_date_time_equal (at, self->last_sync)))
        {
          g_clear_pointer (&self->last_sync, g_date_time_unref);
          self->last_sync = g_steal_pointer (&at);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
update_online (PfdoSyncer *self)
{
  gboolean online = pfdo_transport_is_loopback (self->base) ||
                    g_network_monitor_get_network_available (self->monitor);

  if (online == self->online)
    return;
  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);

  /* The network came back: what waited goes now. */
  if (online && (self->password != NULL || self->token != NULL))
    pfdo_syncer_sync (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    PfdoSyncer      *self)
{
  update_online (self);
}

static gboolean
timer_cb (gpointer user_data)
{
  PfdoSyncer *self = user_data;

  if (self->online && (self->password != NULL || self->token != NULL))
    pfdo_syncer_sync (self);
  return G_SOURCE_CONTINUE;
}

/**
 * pfdo_syncer_set_interval:
 * @seconds: between automatic syncs while online; 0 for none
 */
void
pfdo_syncer_set_interval (PfdoSyncer *self,
                          guint       seconds)
{
  g_return_if_fail (PFDO_IS_SYNCER (self));

  g_clear_handle_id (&self->timer, g_source_remove);
  self->interval_s = seconds;
  if (seconds > 0)
    self->timer = g_timeout_add_seconds (seconds, timer_cb, self);
}

/* Whether the address may be used as the settings stand; the desk checks
 * it again before every sync, so this is for the status line. */
static void
update_refusal (PfdoSyncer *self)
{
  g_autoptr(GError) refusal = NULL;

  if (self->base != NULL)
    pfdo_transport_check_address (self->base, self->allow_plain_http, &refusal);
  if (refusal == NULL && self->refusal == NULL)
    return;
  if (refusal != NULL && self->refusal != NULL &&
      g_error_matches (refusal, self->refusal->domain, self->refusal->code) &&
      g_str_equal (refusal->message, self->refusal->message))
    return;
  g_clear_error (&self->refusal);
  self->refusal = g_steal_pointer (&refusal);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUSAL]);
}

/**
 * pfdo_syncer_set_server:
 * @base_uri: (nullable): the regional server, e.g. `https://pfdo.example.ru`;
 *   %NULL or empty: this desk works without a server
 * @ca_file: (nullable): a regional CA in PEM instead of the system's
 */
void
pfdo_syncer_set_server (PfdoSyncer *self,
                        const char *base_uri,
                        const char *ca_file)
{
  g_return_if_fail (PFDO_IS_SYNCER (self));

  /* A session belongs to its server. */
  if (g_strcmp0 (self->base, base_uri) != 0)
    wipe (&self->token);
  g_free (self->base);
  self->base = base_uri != NULL && *base_uri != '\0' ? g_strdup (base_uri) : NULL;
  g_free (self->ca_file);
  self->ca_file = ca_file != NULL && *ca_file != '\0' ? g_strdup (ca_file) : NULL;
  update_refusal (self);
  update_online (self);
}

/**
 * pfdo_syncer_set_allow_plain_http:
 * @allow: whether http:// to a server that is not this machine is allowed;
 *   the settings must say so explicitly (pfdo-transport.h)
 */
void
pfdo_syncer_set_allow_plain_http (PfdoSyncer *self,
                                  gboolean    allow)
{
  g_return_if_fail (PFDO_IS_SYNCER (self));

  self->allow_plain_http = !!allow;
  update_refusal (self);
}

/**
 * pfdo_syncer_get_refusal:
 *
 * Returns: (nullable) (transfer none): why the server's address is refused
 *   (PFDO_TRANSPORT_ERROR), in words for the operator; %NULL if it is not
 */
const GError *
pfdo_syncer_get_refusal (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), NULL);

  return self->refusal;
}

const char *
pfdo_syncer_get_server (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), NULL);

  return self->base;
}

/**
 * pfdo_syncer_set_credentials:
 * @password: (nullable): kept in memory only, until the server refuses it
 */
void
pfdo_syncer_set_credentials (PfdoSyncer *self,
                             const char *login,
                             const char *password)
{
  g_return_if_fail (PFDO_IS_SYNCER (self));

  /* A session belongs to its operator. */
  if (g_strcmp0 (self->login, login) != 0)
    wipe (&self->token);
  g_free (self->login);
  self->login = g_strdup (login);
  wipe (&self->password);
  self->password = g_strdup (password);
}

/**
 * pfdo_syncer_sign_in:
 *
 * Signs @login in at the regional server with @password: the next sync
 * begins a new session, whatever session is kept, so that the server
 * checks the password; it starts now, or when the running sync ends.
 * pfdo_syncer_get_last_sign_in() tells the sign-in's `finished` from an
 * earlier sync's.
 *
 * Returns: %TRUE if the sign-in started or waits for the running sync
 */
gboolean
pfdo_syncer_sign_in (PfdoSyncer *self,
                     const char *login,
                     const char *password)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), FALSE);
  g_return_val_if_fail (login != NULL && password != NULL, FALSE);

  pfdo_syncer_set_credentials (self, login, password);
  wipe (&self->token);
  self->check_password = TRUE;
  if (self->cancellable != NULL)
    return TRUE;
  return pfdo_syncer_sync (self);
}

/**
 * pfdo_syncer_get_last_sign_in:
 *
 * Returns: whether the sync that ended last was a sign-in asked with
 *   pfdo_syncer_sign_in()
 */
gboolean
pfdo_syncer_get_last_sign_in (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), FALSE);

  return self->last_sign_in;
}

/**
 * pfdo_syncer_set_token_keeping:
 *
 * Where the server's session is kept between runs (pfdo-token.h); by
 * default in memory only.
 */
void
pfdo_syncer_set_token_keeping (PfdoSyncer       *self,
                               PfdoTokenKeeping  keeping)
{
  g_return_if_fail (PFDO_IS_SYNCER (self));

  self->keeping = keeping;
}

const char *
pfdo_syncer_get_login (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), NULL);

  return self->login;
}

gboolean
pfdo_syncer_has_password (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), FALSE);

  return self->password != NULL;
}

/**
 * pfdo_syncer_set_min_numbers:
 * @min_numbers: unused leased certificate numbers to keep while online
 */
void
pfdo_syncer_set_min_numbers (PfdoSyncer *self,
                             guint       min_numbers)
{
  g_return_if_fail (PFDO_IS_SYNCER (self));

  self->min_numbers = min_numbers;
}

gboolean
pfdo_syncer_get_busy (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), FALSE);

  return self->cancellable != NULL;
}

gboolean
pfdo_syncer_get_online (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), FALSE);

  return self->online;
}

PfdoSyncPhase
pfdo_syncer_get_phase (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), PFDO_SYNC_PHASE_IDLE);

  return self->phase;
}

guint
pfdo_syncer_get_done (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), 0);

  return self->done;
}

guint
pfdo_syncer_get_total (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), 0);

  return self->total;
}

guint
pfdo_syncer_get_pending (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), 0);

  return self->pending;
}

guint
pfdo_syncer_get_rejected (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), 0);

  return self->rejected;
}

/**
 * pfdo_syncer_get_last_sync:
 *
 * Returns: (nullable) (transfer none): when this desk last synced whole
 */
GDateTime *
pfdo_syncer_get_last_sync (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), NULL);

  return self->last_sync;
}

gboolean
pfdo_syncer_get_audit_diverged (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), FALSE);

  return self->audit_diverged;
}

/**
 * pfdo_syncer_get_last_stats:
 *
 * Returns: (transfer none): the figures of the last sync that ended
 */
const PfdoSyncStats *
pfdo_syncer_get_last_stats (PfdoSyncer *self)
{
  g_return_val_if_fail (PFDO_IS_SYNCER (self), NULL);

  return &self->last_stats;
}

static void
pfdo_syncer_dispose (GObject *object)
{
  PfdoSyncer *self = PFDO_SYNCER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);

  G_OBJECT_CLASS (pfdo_syncer_parent_class)->dispose (object);
}

static void
pfdo_syncer_finalize (GObject *object)
{
  PfdoSyncer *self = PFDO_SYNCER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->base);
  g_free (self->ca_file);
  g_clear_error (&self->refusal);
  g_free (self->login);
  wipe (&self->password);
  wipe (&self->token);
  g_clear_pointer (&self->last_sync, g_date_time_unref);

  G_OBJECT_CLASS (pfdo_syncer_parent_class)->finalize (object);
}

static void
pfdo_syncer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PfdoSyncer *self = PFDO_SYNCER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, pfdo_syncer_get_busy (self));
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_REJECTED:
      g_value_set_uint (value, self->rejected);
      break;
    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;
    case PROP_REFUSAL:
      g_value_set_boxed (value, self->refusal);
      break;
    case PROP_AUDIT_DIVERGED:
      g_value_set_boolean (value, self->audit_diverged);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pfdo_syncer_class_init (PfdoSyncerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pfdo_syncer_dispose;
  object_class->finalize = pfdo_syncer_finalize;
  object_class->get_property = pfdo_syncer_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL, PFDO_TYPE_SYNC_PHASE, PFDO_SYNC_PHASE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DONE] =
    g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REJECTED] =
    g_param_spec_uint ("rejected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REFUSAL] =
    g_param_spec_boxed ("refusal", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PfdoSyncer:audit-diverged:
   *
   * The regional server refused the desk's audit anchor at the last sync
   * that reached it: the log was cut short or rewritten.
   */
  properties[PROP_AUDIT_DIVERGED] =
    g_param_spec_boolean ("audit-diverged", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PfdoSyncer::finished:
   * @error: (nullable): why the sync did not end well
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /**
   * PfdoSyncer::password-needed:
   * @error: (nullable): the server's refusal, or %NULL before the first sync
   */
  signals[PASSWORD_NEEDED] = g_signal_new ("password-needed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           1, G_TYPE_ERROR);
}

static void
pfdo_syncer_init (PfdoSyncer *self)
{
  self->monitor = g_network_monitor_get_default ();
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
}

/**
 * pfdo_syncer_new:
 * @store: the window's store; syncs open their own connection to its file
 *
 * Returns: (transfer full): a syncer without a server until one is set
 */
PfdoSyncer *
pfdo_syncer_new (PfdoStore *store)
{
  PfdoSyncer *self;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  self = g_object_new (PFDO_TYPE_SYNCER, NULL);
  self->store = g_object_ref (store);
  self->online = g_network_monitor_get_network_available (self->monitor);
  pfdo_syncer_refresh (self);
  return self;
}
