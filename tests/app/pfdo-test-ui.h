/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-store.h"

G_BEGIN_DECLS

void              pfdo_test_ui_init             (int        *argc,
                                                 char     ***argv);
/* A store in a new temporary folder; @seeded: with the demo region. */
PfdoStore        *pfdo_test_ui_store            (gboolean    seeded);
/* Presents @window and waits until it is mapped, sized, loaded and drawn. */
void              pfdo_test_ui_show             (GtkWindow  *window);
/* Shows @window and runs what is pending. */
void              pfdo_test_ui_settle           (GtkWindow  *window);
/* Fails unless a visible label of @window holds @text. */
void              pfdo_test_ui_assert_shows     (GtkWindow  *window,
                                                 const char *text);
void              pfdo_test_ui_screenshot       (GtkWidget  *widget,
                                                 const char *name);
/* The visible labels under @widget, one per line. */
char             *pfdo_test_ui_text             (GtkWidget  *widget);
/* Destroys @window and checks that nothing keeps it alive. */
void              pfdo_test_ui_destroy          (GtkWindow  *window);
GtkWindow        *pfdo_test_ui_find_window      (GType       type);
AdwMessageDialog *pfdo_test_ui_find_dialog      (void);
AdwMessageDialog *pfdo_test_ui_wait_for_dialog  (void);
GtkWidget        *pfdo_test_ui_find_button      (GtkWidget  *widget,
                                                 const char *label);
GtkWidget        *pfdo_test_ui_find_text        (GtkWidget  *widget);
GtkWidget        *pfdo_test_ui_find_type        (GtkWidget  *widget,
                                                 GType       type);
GtkWidget        *pfdo_test_ui_find_shown       (GtkWidget  *widget,
                                                 GType       type);

G_END_DECLS
