/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PFDO_TYPE_APPLICATION (pfdo_application_get_type ())

G_DECLARE_FINAL_TYPE (PfdoApplication, pfdo_application, PFDO, APPLICATION, AdwApplication)

PfdoApplication *pfdo_application_new           (void);
char            *pfdo_application_default_store (void);

G_END_DECLS
