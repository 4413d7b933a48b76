/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include "pfdo-ui.h"

/*
 * Small things every view of the desk needs in the same way.
 */

/**
 * pfdo_ui_toast:
 * @widget: a widget inside the window
 *
 * Shows @text as a toast of the window that holds @widget: the way a view
 * says what happened without stopping the clerk.
 */
void
pfdo_ui_toast (GtkWidget  *widget,
               const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  if (overlay == NULL)
    {
      g_warning ("A toast without a window to show it: %s", text);
      return;
    }
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
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
