/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pfdo-children.h"
#include "pfdo-store.h"

G_BEGIN_DECLS

#define PFDO_TYPE_FAMILY_FORM (pfdo_family_form_get_type ())

G_DECLARE_FINAL_TYPE (PfdoFamilyForm, pfdo_family_form, PFDO, FAMILY_FORM, GtkBox)

GtkWidget        *pfdo_family_form_new            (void);
void              pfdo_family_form_set_session    (PfdoFamilyForm  *self,
                                                   PfdoStore       *store,
                                                   const char      *session_id);
guint             pfdo_family_form_get_n_children (PfdoFamilyForm  *self);
void              pfdo_family_form_add_child      (PfdoFamilyForm  *self);
void              pfdo_family_form_clear          (PfdoFamilyForm  *self);
gboolean          pfdo_family_form_is_empty       (PfdoFamilyForm  *self);
char             *pfdo_family_form_dup_draft      (PfdoFamilyForm  *self);
void              pfdo_family_form_load_draft     (PfdoFamilyForm  *self,
                                                   const char      *draft_json);
PfdoFamilyResult *pfdo_family_form_save           (PfdoFamilyForm  *self,
                                                   GError         **error);
void              pfdo_family_form_focus_start    (PfdoFamilyForm  *self);
GtkEditable      *pfdo_family_form_get_editable   (PfdoFamilyForm  *self,
                                                   const char      *field);
GtkWidget        *pfdo_family_form_get_twin_check (PfdoFamilyForm  *self,
                                                   guint            child);
const char       *pfdo_family_form_get_message    (PfdoFamilyForm  *self,
                                                   const char      *field);

G_END_DECLS
