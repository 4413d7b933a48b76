/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pfdo-mask.h"
#include "pfdo-ui.h"
#include "pfdo-validate.h"

/*
 * Small things every view of the desk needs in the same way.
 */

/* Gives every icon-only button under @widget the name @label. */
static void
name_icon_buttons (GtkWidget  *widget,
                   const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL &&
          gtk_button_get_icon_name (GTK_BUTTON (child)) != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        label, -1);
      else
        name_icon_buttons (child, label);
    }
}

/**
 * pfdo_ui_toast:
 * @widget: a widget inside the window
 *
 * Shows @text as a toast of the window that holds @widget: the way a view
 * says what happened without stopping the clerk. The newest word replaces
 * the one before, which would otherwise wait its turn in the queue while
 * the clerk already does the next thing.
 */
void
pfdo_ui_toast (GtkWidget  *widget,
               const char *text)
{
  GtkWidget *overlay = NULL;
  AdwToast *toast;
  AdwToast *shown;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_warning ("A toast without a window to show it");
      return;
    }
  shown = g_object_get_data (G_OBJECT (overlay), "pfdo-last-toast");
  if (shown != NULL)
    adw_toast_dismiss (shown);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  g_object_set_data_full (G_OBJECT (overlay), "pfdo-last-toast", g_object_ref (toast),
                          g_object_unref);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);

  /* libadwaita 1.2 leaves the toast's close button without a name (screen
   * readers say "GtkImage"); the toast shown is the overlay's other child,
   * made at once because the one before was dismissed. */
  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay)))
      name_icon_buttons (child, _("Dismiss"));
}

/**
 * pfdo_ui_format_count:
 *
 * Returns: (transfer full): @value the Russian way: 420000 as "420 000",
 * with a no-break space
 */
char *
pfdo_ui_format_count (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%lld", (long long) ABS (value));
  GString *out = g_string_new (value < 0 ? "−" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, "\u00a0");
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * pfdo_ui_format_date:
 * @iso_date: (nullable): a date as YYYY-MM-DD
 *
 * Returns: (transfer full) (nullable): the date as DD.MM.YYYY, or @iso_date
 *   as it is when it is not a date
 */
char *
pfdo_ui_format_date (const char *iso_date)
{
  int year, month, day;

  if (iso_date == NULL)
    return NULL;
  if (sscanf (iso_date, "%4d-%2d-%2d", &year, &month, &day) != 3)
    return g_strdup (iso_date);
  return g_strdup_printf ("%02d.%02d.%04d", day, month, year);
}

/**
 * pfdo_ui_format_time:
 * @iso_time: (nullable): a moment in ISO 8601, as the store keeps it
 *
 * Returns: (transfer full) (nullable): the moment in local time, as
 *   DD.MM.YYYY HH:MM
 */
char *
pfdo_ui_format_time (const char *iso_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso_time == NULL)
    return NULL;
  utc = g_date_time_new_from_iso8601 (iso_time, g_time_zone_new_utc ());
  if (utc == NULL)
    return g_strdup (iso_time);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%d.%m.%Y %H:%M");
}

/**
 * pfdo_ui_format_age:
 * @iso_birth_date: (nullable): a birth date as YYYY-MM-DD
 *
 * Returns: (transfer full): the age today in words, "9 лет"
 */
char *
pfdo_ui_format_age (const char *iso_birth_date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate birth, today;
  int age;

  g_date_clear (&birth, 1);
  g_date_clear (&today, 1);
  if (iso_birth_date == NULL || !pfdo_date_parse (iso_birth_date, &birth, NULL))
    return g_strdup ("");
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  age = pfdo_age_on (&birth, &today);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year", "%d years", age), age);
}

/**
 * pfdo_ui_mask_snils:
 * @snils: (nullable): a SNILS as the store keeps it, 112-233-445 95
 *
 * Lists show only the end of a SNILS, enough to tell two children apart;
 * the card shows it whole. See pfdo-mask.c.
 *
 * Returns: (transfer full) (nullable): "***-***-445 95"
 */
char *
pfdo_ui_mask_snils (const char *snils)
{
  return pfdo_mask_snils (snils);
}
