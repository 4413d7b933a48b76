/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pfdo-child-card.h"
#include "pfdo-error.h"
#include "pfdo-family-form.h"
#include "pfdo-meeting.h"
#include "pfdo-text.h"
#include "pfdo-ui.h"
#include "pfdo-validate.h"

/*
 * One family as a member of school staff types it at a parent meeting,
 * with the keyboard only: the parent, then one or more children. Enter
 * moves to the next field (and on the last one saves, through the view's
 * meeting.save action); each field is checked as it is typed and says
 * what is wrong at the field itself. A child's surname comes from the
 * parent's, the sex from the patronymic and the document from the age,
 * until the operator sets them. A likely twin in the store is shown inside
 * the child's group, and saving it needs the tick "another child".
 *
 * Field names are the core's: `parent.phone`, `children[1].snils`.
 */

typedef enum
{
  CHILD_LAST_NAME,
  CHILD_FIRST_NAME,
  CHILD_MIDDLE_NAME,
  CHILD_BIRTH_DATE,
  CHILD_SNILS,
  CHILD_DOCUMENT_SERIES,
  CHILD_DOCUMENT_NUMBER,
  N_CHILD_FIELDS
} ChildField;

typedef enum
{
  PARENT_LAST_NAME,
  PARENT_FIRST_NAME,
  PARENT_MIDDLE_NAME,
  PARENT_PHONE,
  PARENT_EMAIL,
  N_PARENT_FIELDS
} ParentField;

static const char * const child_keys[N_CHILD_FIELDS] = {
  "last_name", "first_name", "middle_name", "birth_date", "snils", "document_series",
  "document_number",
};
static const char * const parent_keys[N_PARENT_FIELDS] = {
  "last_name", "first_name", "middle_name", "phone", "email",
};
static const char * const document_types[] = { "birth_certificate", "passport", "foreign" };

typedef struct
{
  AdwEntryRow        *row;
  GtkLabel           *message;
  GtkEventController *focus;
  char               *name;       /* the core's name of the field */
  gboolean     touched;    /* left once: incomplete input is wrong now */
} Field;

typedef struct
{
  PfdoFamilyForm      *form;
  AdwPreferencesGroup *group;
  Field                fields[N_CHILD_FIELDS];
  AdwComboRow         *sex;
  AdwComboRow         *document_type;
  GtkWidget           *twin_box;
  GtkLabel            *twin_label;
  GtkCheckButton      *twin_check;
  char                *twin_id;
  PfdoChildCard       *twin_card;           /* opened once per twin: an audited view */
  gboolean             last_name_set;       /* typed, not copied from the parent */
  gboolean             sex_set;
  gboolean             document_type_set;
} Child;

struct _PfdoFamilyForm
{
  GtkBox      parent_instance;

  PfdoStore  *store;
  char       *session_id;
  Field       parent[N_PARENT_FIELDS];
  GtkBox     *children_box;
  GPtrArray  *children;      /* Child* */
  gboolean    loading;       /* filling in from a draft: no checks, no signal */
  gboolean    guessing;      /* the form sets a combo, not the operator */
};

G_DEFINE_FINAL_TYPE (PfdoFamilyForm, pfdo_family_form, GTK_TYPE_BOX)

enum {
  CHANGED,
  TWIN_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
child_free (Child *child)
{
  for (guint i = 0; i < N_CHILD_FIELDS; i++)
    g_free (child->fields[i].name);
  g_free (child->twin_id);
  g_clear_pointer (&child->twin_card, pfdo_child_card_free);
  g_free (child);
}

static const char *
text_of (Field *field)
{
  return gtk_editable_get_text (GTK_EDITABLE (field->row));
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static void
show_message (Field      *field,
              const char *message)
{
  gtk_label_set_label (field->message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (field->message), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (field->row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (field->row), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message != NULL ? message : "", -1);
}

static int
count_digits (const char *text)
{
  int n = 0;

  for (; text != NULL && *text != '\0'; text++)
    n += g_ascii_isdigit (*text);
  return n;
}

/* A birth date typed as digits only (`05032016`, `050316`) gets its dots:
 * the fastest way to type a date on a number pad. */
static char *
dup_date_text (const char *text)
{
  g_autofree char *digits = NULL;
  gsize n;

  if (text == NULL || strchr (text, '.') != NULL || strchr (text, '-') != NULL)
    return g_strstrip (g_strdup (text != NULL ? text : ""));
  digits = g_strstrip (g_strdup (text));
  n = strlen (digits);
  if ((n == 8 || n == 6) && (guint) count_digits (digits) == n)
    {
      if (n == 8)
        return g_strdup_printf ("%.2s.%.2s.%.4s", digits, digits + 2, digits + 4);
      return g_strdup_printf ("%.2s.%.2s.20%.2s", digits, digits + 2, digits + 4);
    }
  return g_strdup (digits);
}

/* The age a birth date gives today, or -1. */
static int
age_of (const char *text)
{
  g_autofree char *date_text = dup_date_text (text);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate birth, today;

  if (!pfdo_date_parse (date_text, &birth, NULL))
    return -1;
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return pfdo_age_on (&birth, &today);
}

/* What is wrong with a child's field, or %NULL; @complete asks also about
 * input that may still be being typed. */
static char *
check_child_field (Child      *child,
                   ChildField  which,
                   gboolean    complete)
{
  const char *text = text_of (&child->fields[which]);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (is_blank (text))
    {
      if (complete && which != CHILD_MIDDLE_NAME && which != CHILD_SNILS)
        return g_strdup (_("Fill this in"));
      return NULL;
    }

  switch (which)
    {
    case CHILD_LAST_NAME:
    case CHILD_FIRST_NAME:
    case CHILD_MIDDLE_NAME:
      value = pfdo_name_normalize (text, which == CHILD_MIDDLE_NAME, &error);
      break;

    case CHILD_BIRTH_DATE:
      {
        g_autofree char *date_text = dup_date_text (text);
        GDate birth;
        int age;

        if (!complete && count_digits (text) < 6)
          return NULL;
        if (!pfdo_date_parse (date_text, &birth, &error))
          break;
        age = age_of (text);
        if (age < 5 || age > 17)
          /* Translators: %d is the child's age in years. */
          return g_strdup_printf (_("A certificate is for ages 5 to 17; the child is %d"), age);
        return NULL;
      }

    case CHILD_SNILS:
      if (!complete && count_digits (text) < 11)
        return NULL;
      value = pfdo_snils_normalize (text, &error);
      break;

    case CHILD_DOCUMENT_SERIES:
    case CHILD_DOCUMENT_NUMBER:
      {
        guint type = adw_combo_row_get_selected (child->document_type);
        const char *series = text_of (&child->fields[CHILD_DOCUMENT_SERIES]);
        const char *number = text_of (&child->fields[CHILD_DOCUMENT_NUMBER]);
        g_autofree char *out_series = NULL;
        g_autofree char *out_number = NULL;

        /* The pair is checked once both are typed, at the number. */
        if (which == CHILD_DOCUMENT_SERIES || is_blank (series) ||
            (!complete && count_digits (number) < 6))
          return NULL;
        if (type >= G_N_ELEMENTS (document_types))
          return NULL;
        if (!pfdo_document_validate (document_types[type], series, number, &out_series,
                                     &out_number, &error))
          break;
        return NULL;
      }

    case N_CHILD_FIELDS:
    default:
      g_assert_not_reached ();
    }

  return error != NULL ? g_strdup (error->message) : NULL;
}

static char *
check_parent_field (Field       *field,
                    ParentField  which,
                    gboolean     complete)
{
  const char *text = text_of (field);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (is_blank (text))
    {
      if (complete && which != PARENT_MIDDLE_NAME && which != PARENT_EMAIL)
        return g_strdup (_("Fill this in"));
      return NULL;
    }

  switch (which)
    {
    case PARENT_LAST_NAME:
    case PARENT_FIRST_NAME:
    case PARENT_MIDDLE_NAME:
      value = pfdo_name_normalize (text, which == PARENT_MIDDLE_NAME, &error);
      break;
    case PARENT_PHONE:
      if (!complete && count_digits (text) < 10)
        return NULL;
      value = pfdo_phone_normalize (text, &error);
      break;
    case PARENT_EMAIL:
      if (!complete && strchr (text, '.') == NULL)
        return NULL;
      value = pfdo_email_normalize (text, &error);
      break;
    case N_PARENT_FIELDS:
    default:
      g_assert_not_reached ();
    }

  return error != NULL ? g_strdup (error->message) : NULL;
}

/* Children: twins */

static void
show_twin (Child            *child,
           PfdoChildCard    *twin,
           PfdoMatchReason   reason)
{
  PfdoFamilyForm *self = child->form;
  g_autofree char *birth = pfdo_ui_format_date (twin->birth_date);
  g_autofree char *snils = pfdo_ui_mask_snils (twin->snils);
  g_autofree char *name = g_strjoin (" ", twin->last_name, twin->first_name,
                                     twin->middle_name != NULL ? twin->middle_name : "", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean here;

  here = pfdo_meeting_session_has_child (self->store, self->session_id, twin->id, NULL);
  text = g_strdup_printf (here
                          /* Translators: a likely twin of the child being typed:
                           * name, birth date, masked SNILS, certificate number, the
                           * reason of the match. */
                          ? _("Maybe already registered at this meeting: %s, born %s, SNILS %s, certificate %s; the match: %s.")
                          : _("Maybe already registered: %s, born %s, SNILS %s, certificate %s; the match: %s."),
                          g_strstrip (name), birth != NULL ? birth : "—",
                          snils != NULL ? snils : "—",
                          twin->certificate_number != NULL ? twin->certificate_number : "—",
                          pfdo_match_reason_describe (reason));
  gtk_label_set_label (child->twin_label, text);

  gtk_widget_set_visible (child->twin_box, TRUE);
  if (g_strcmp0 (child->twin_id, twin->id) == 0)
    return;

  /* A new twin: counted (once per form, by the core) and announced, so
   * that the summary is read again only then and not at every key. */
  g_free (child->twin_id);
  child->twin_id = g_strdup (twin->id);
  gtk_check_button_set_active (child->twin_check, FALSE);
  if (!pfdo_meeting_note_duplicate (self->store, self->session_id, &error))
    g_warning ("Could not count a caught duplicate: %s", error->message);
  g_signal_emit (self, signals[TWIN_SHOWN], 0);
}

static void
hide_twin (Child *child)
{
  g_clear_pointer (&child->twin_id, g_free);
  gtk_check_button_set_active (child->twin_check, FALSE);
  gtk_widget_set_visible (child->twin_box, FALSE);
}

/* Looks for a twin with what is typed so far: by SNILS, by document, by
 * name and birth date; index look-ups, fast enough at every keystroke. */
static void
check_twins (Child *child)
{
  PfdoFamilyForm *self = child->form;
  PfdoChildInput input = { 0 };
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) twins = NULL;
  g_autofree char *birth = dup_date_text (text_of (&child->fields[CHILD_BIRTH_DATE]));
  g_autofree char *snils = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *birth_date = NULL;
  g_autofree char *number = NULL;
  GDate date;

  if (self->store == NULL)
    return;

  input.snils = text_of (&child->fields[CHILD_SNILS]);
  snils = pfdo_snils_normalize (input.snils, NULL);
  last_name = pfdo_name_normalize (text_of (&child->fields[CHILD_LAST_NAME]), FALSE, NULL);
  first_name = pfdo_name_normalize (text_of (&child->fields[CHILD_FIRST_NAME]), FALSE, NULL);
  if (pfdo_date_parse (birth, &date, NULL))
    birth_date = pfdo_date_to_iso (&date);
  if (count_digits (text_of (&child->fields[CHILD_DOCUMENT_NUMBER])) >= 6)
    number = pfdo_text_digits (text_of (&child->fields[CHILD_DOCUMENT_NUMBER]));

  if (snils == NULL && number == NULL && (last_name == NULL || first_name == NULL || birth_date == NULL))
    {
      hide_twin (child);
      return;
    }

  twins = pfdo_children_find_duplicates (self->store, NULL, snils,
                                         birth_date != NULL ? last_name : NULL,
                                         birth_date != NULL ? first_name : NULL,
                                         birth_date, number, NULL);
  if (twins != NULL && twins->len > 0)
    {
      PfdoDuplicate *twin = g_ptr_array_index (twins, 0);

      /* The twin's card is opened once: opening it again at every key
       * would only add records to the audit log. */
      if (child->twin_card == NULL || g_strcmp0 (child->twin_card->id, twin->child_id) != 0)
        {
          g_clear_pointer (&child->twin_card, pfdo_child_card_free);
          child->twin_card = pfdo_child_card_load (self->store, twin->child_id, NULL);
        }
      if (child->twin_card != NULL)
        {
          show_twin (child, child->twin_card, twin->reason);
          return;
        }
    }
  hide_twin (child);
}

/* Children: what follows from what was typed */

static void
guess_sex (Child *child)
{
  g_autofree char *folded = NULL;

  if (child->sex_set)
    return;
  folded = g_utf8_strdown (text_of (&child->fields[CHILD_MIDDLE_NAME]), -1);
  g_strstrip (folded);
  /* Russian patronymics tell the sex; 0 is "not chosen". */
  child->form->guessing = TRUE;
  if (g_str_has_suffix (folded, "вич") || g_str_has_suffix (folded, "ич") ||
      g_str_has_suffix (folded, "оглы") || g_str_has_suffix (folded, "улы"))
    adw_combo_row_set_selected (child->sex, 1);
  else if (g_str_has_suffix (folded, "вна") || g_str_has_suffix (folded, "чна") ||
           g_str_has_suffix (folded, "кызы") || g_str_has_suffix (folded, "қызы"))
    adw_combo_row_set_selected (child->sex, 2);
  else
    adw_combo_row_set_selected (child->sex, 0);
  child->form->guessing = FALSE;
}

static void
guess_document_type (Child *child)
{
  int age;

  if (child->document_type_set)
    return;
  age = age_of (text_of (&child->fields[CHILD_BIRTH_DATE]));
  /* A passport is issued at 14. */
  child->form->guessing = TRUE;
  adw_combo_row_set_selected (child->document_type, age >= 14 ? 1 : 0);
  child->form->guessing = FALSE;
}

/* Focus and Enter */

/* Every field in the order Enter walks them. */
static GPtrArray *
dup_chain (PfdoFamilyForm *self)
{
  GPtrArray *chain = g_ptr_array_new ();

  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    g_ptr_array_add (chain, &self->parent[i]);
  for (guint c = 0; c < self->children->len; c++)
    {
      Child *child = g_ptr_array_index (self->children, c);

      for (guint i = 0; i < N_CHILD_FIELDS; i++)
        g_ptr_array_add (chain, &child->fields[i]);
    }
  return chain;
}

static void
entry_activated_cb (AdwEntryRow    *row,
                    PfdoFamilyForm *self)
{
  g_autoptr(GPtrArray) chain = dup_chain (self);

  for (guint i = 0; i < chain->len; i++)
    {
      Field *field = g_ptr_array_index (chain, i);

      if (field->row != row)
        continue;
      if (i + 1 < chain->len)
        {
          Field *next = g_ptr_array_index (chain, i + 1);

          gtk_widget_grab_focus (GTK_WIDGET (next->row));
        }
      else
        gtk_widget_activate_action (GTK_WIDGET (self), "meeting.save", NULL);
      return;
    }
}

/* Checks the field the focus left: now incomplete input is wrong too. */
static void
focus_leave_cb (GtkEventControllerFocus *controller,
                Field                   *field)
{
  PfdoFamilyForm *self = g_object_get_data (G_OBJECT (controller), "pfdo-form");
  Child *child = g_object_get_data (G_OBJECT (controller), "pfdo-child");
  g_autofree char *message = NULL;

  if (is_blank (text_of (field)))
    return;
  field->touched = TRUE;
  if (child != NULL)
    message = check_child_field (child, (ChildField) (field - child->fields), TRUE);
  else
    message = check_parent_field (field, (ParentField) (field - self->parent), TRUE);
  show_message (field, message);
}

static void emit_changed (PfdoFamilyForm *self);
static void renumber_children (PfdoFamilyForm *self);

static void
child_field_changed_cb (GtkEditable *editable,
                        Child       *child)
{
  PfdoFamilyForm *self = child->form;

  if (self->loading)
    return;

  for (guint i = 0; i < N_CHILD_FIELDS; i++)
    if (GTK_EDITABLE (child->fields[i].row) == editable)
      {
        g_autofree char *message = NULL;

        if (i == CHILD_LAST_NAME)
          child->last_name_set = !is_blank (text_of (&child->fields[i]));
        if (i == CHILD_MIDDLE_NAME)
          guess_sex (child);
        if (i == CHILD_BIRTH_DATE)
          guess_document_type (child);
        message = check_child_field (child, i, child->fields[i].touched);
        show_message (&child->fields[i], message);
        /* The series and the number are one document. */
        if (i == CHILD_DOCUMENT_SERIES)
          {
            g_autofree char *number = check_child_field (child, CHILD_DOCUMENT_NUMBER,
                                                         child->fields[CHILD_DOCUMENT_NUMBER].touched);
            show_message (&child->fields[CHILD_DOCUMENT_NUMBER], number);
          }
      }
  check_twins (child);
  emit_changed (self);
}

static void
parent_field_changed_cb (GtkEditable    *editable,
                         PfdoFamilyForm *self)
{
  if (self->loading)
    return;

  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    if (GTK_EDITABLE (self->parent[i].row) == editable)
      {
        g_autofree char *message = check_parent_field (&self->parent[i], i,
                                                       self->parent[i].touched);

        show_message (&self->parent[i], message);
      }

  /* The children's surname is the parent's until typed otherwise. */
  if (editable == GTK_EDITABLE (self->parent[PARENT_LAST_NAME].row))
    for (guint c = 0; c < self->children->len; c++)
      {
        Child *child = g_ptr_array_index (self->children, c);

        if (child->last_name_set)
          continue;
        g_signal_handlers_block_by_func (child->fields[CHILD_LAST_NAME].row,
                                         child_field_changed_cb, child);
        gtk_editable_set_text (GTK_EDITABLE (child->fields[CHILD_LAST_NAME].row),
                               gtk_editable_get_text (editable));
        g_signal_handlers_unblock_by_func (child->fields[CHILD_LAST_NAME].row,
                                           child_field_changed_cb, child);
      }
  emit_changed (self);
}

static void
combo_selected_cb (AdwComboRow *combo,
                   GParamSpec  *pspec,
                   Child       *child)
{
  PfdoFamilyForm *self = child->form;

  if (self->loading)
    return;
  /* A choice the operator made, not a guess: kept from now on. */
  if (!self->guessing)
    {
      if (combo == child->sex)
        child->sex_set = TRUE;
      else
        child->document_type_set = TRUE;
    }
  if (combo == child->sex && adw_combo_row_get_selected (combo) != 0)
    gtk_widget_remove_css_class (GTK_WIDGET (combo), "error");
  emit_changed (self);
}

static void
twin_toggled_cb (GtkCheckButton *check,
                 Child          *child)
{
  if (!child->form->loading)
    emit_changed (child->form);
}

static void
emit_changed (PfdoFamilyForm *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* Building */

static void
field_init (Field          *field,
            const char     *name,
            const char     *title,
            GtkInputPurpose purpose,
            PfdoFamilyForm *self,
            Child          *child)
{
  GtkEventController *focus;

  field->name = g_strdup (name);
  field->row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (field->row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  adw_entry_row_set_input_purpose (field->row, purpose);
  field->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (field->message), "error");
  gtk_widget_add_css_class (GTK_WIDGET (field->message), "caption");
  gtk_label_set_wrap (field->message, TRUE);
  gtk_label_set_max_width_chars (field->message, 28);
  gtk_label_set_xalign (field->message, 1);
  gtk_widget_set_visible (GTK_WIDGET (field->message), FALSE);
  adw_entry_row_add_suffix (field->row, GTK_WIDGET (field->message));

  g_signal_connect (field->row, "entry-activated", G_CALLBACK (entry_activated_cb), self);
  focus = gtk_event_controller_focus_new ();
  field->focus = focus;
  g_object_set_data (G_OBJECT (focus), "pfdo-form", self);
  g_object_set_data (G_OBJECT (focus), "pfdo-child", child);
  g_signal_connect (focus, "leave", G_CALLBACK (focus_leave_cb), field);
  gtk_widget_add_controller (GTK_WIDGET (field->row), focus);
}

static AdwComboRow *
combo_new (const char         *title,
           const char * const *items)
{
  AdwComboRow *combo = ADW_COMBO_ROW (adw_combo_row_new ());
  GtkStringList *model = gtk_string_list_new ((const char * const *) items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), title);
  adw_combo_row_set_model (combo, G_LIST_MODEL (model));
  g_object_unref (model);
  return combo;
}

/* Takes a child's group out of the form. The focused row may outlive its
 * group for a moment (the window still holds it when the focus moves on),
 * so nothing of it may call back into the freed child. */
static void
remove_child (PfdoFamilyForm *self,
              Child          *child)
{
  for (guint i = 0; i < N_CHILD_FIELDS; i++)
    {
      gtk_widget_remove_controller (GTK_WIDGET (child->fields[i].row), child->fields[i].focus);
      g_signal_handlers_disconnect_by_data (child->fields[i].row, child);
      g_signal_handlers_disconnect_by_data (child->fields[i].row, self);
    }
  g_signal_handlers_disconnect_by_data (child->sex, child);
  g_signal_handlers_disconnect_by_data (child->document_type, child);
  g_signal_handlers_disconnect_by_data (child->twin_check, child);
  gtk_box_remove (self->children_box, GTK_WIDGET (child->group));
  g_ptr_array_remove (self->children, child);
}

static void
remove_child_clicked_cb (GtkButton *button,
                         Child     *child)
{
  PfdoFamilyForm *self = child->form;

  g_signal_handlers_disconnect_by_data (button, child);
  remove_child (self, child);
  renumber_children (self);
  emit_changed (self);
  pfdo_family_form_focus_start (self);
}

static void
renumber_children (PfdoFamilyForm *self)
{
  for (guint c = 0; c < self->children->len; c++)
    {
      Child *child = g_ptr_array_index (self->children, c);
      g_autofree char *title = NULL;

      /* Translators: the heading of the n-th child of a family. */
      title = g_strdup_printf (_("Child %u"), c + 1);
      adw_preferences_group_set_title (child->group, title);
      for (guint i = 0; i < N_CHILD_FIELDS; i++)
        {
          g_free (child->fields[i].name);
          child->fields[i].name = g_strdup_printf ("children[%u].%s", c, child_keys[i]);
        }
    }
}

static Child *
append_child (PfdoFamilyForm *self)
{
  const char *sexes[] = { C_("sex", "Not chosen"), _("Male"), _("Female"), NULL };
  const char *documents[] = { _("Birth certificate"), _("Passport"), _("Foreign document"), NULL };
  const char *titles[N_CHILD_FIELDS] = {
    _("Child's surname"), _("Child's name"), _("Child's patronymic"),
    _("Birth date (DD.MM.YYYY)"), _("Child's SNILS"), _("Document series"),
    _("Document number"),
  };
  const GtkInputPurpose purposes[N_CHILD_FIELDS] = {
    GTK_INPUT_PURPOSE_NAME, GTK_INPUT_PURPOSE_NAME, GTK_INPUT_PURPOSE_NAME,
    GTK_INPUT_PURPOSE_DIGITS, GTK_INPUT_PURPOSE_DIGITS, GTK_INPUT_PURPOSE_FREE_FORM,
    GTK_INPUT_PURPOSE_DIGITS,
  };
  Child *child = g_new0 (Child, 1);
  GtkWidget *remove;

  child->form = self;
  child->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  for (guint i = 0; i < N_CHILD_FIELDS; i++)
    {
      field_init (&child->fields[i], child_keys[i], titles[i], purposes[i], self, child);
      adw_preferences_group_add (child->group, GTK_WIDGET (child->fields[i].row));
      g_signal_connect (child->fields[i].row, "changed", G_CALLBACK (child_field_changed_cb),
                        child);
      if (i == CHILD_MIDDLE_NAME)
        {
          child->sex = combo_new (_("Sex"), sexes);
          adw_preferences_group_add (child->group, GTK_WIDGET (child->sex));
        }
      if (i == CHILD_SNILS)
        {
          child->document_type = combo_new (_("Document"), documents);
          adw_preferences_group_add (child->group, GTK_WIDGET (child->document_type));
        }
    }
  g_signal_connect (child->sex, "notify::selected", G_CALLBACK (combo_selected_cb), child);
  g_signal_connect (child->document_type, "notify::selected", G_CALLBACK (combo_selected_cb),
                    child);

  child->twin_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (child->twin_box, "card");
  gtk_widget_add_css_class (child->twin_box, "pfdo-twin");
  child->twin_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (child->twin_label, TRUE);
  gtk_label_set_xalign (child->twin_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (child->twin_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (child->twin_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (child->twin_label), 12);
  gtk_box_append (GTK_BOX (child->twin_box), GTK_WIDGET (child->twin_label));
  child->twin_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (
                                          _("It is _another child: save anyway")));
  gtk_widget_set_margin_start (GTK_WIDGET (child->twin_check), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (child->twin_check), 12);
  g_signal_connect (child->twin_check, "toggled", G_CALLBACK (twin_toggled_cb), child);
  gtk_box_append (GTK_BOX (child->twin_box), GTK_WIDGET (child->twin_check));
  gtk_widget_set_margin_top (child->twin_box, 12);
  gtk_widget_set_visible (child->twin_box, FALSE);
  adw_preferences_group_add (child->group, child->twin_box);

  if (self->children->len > 0)
    {
      remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_tooltip_text (remove, _("Remove this child from the form"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove this child from the form"), -1);
      gtk_widget_add_css_class (remove, "flat");
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_child_clicked_cb), child);
      adw_preferences_group_set_header_suffix (child->group, remove);
    }

  g_ptr_array_add (self->children, child);
  gtk_box_append (self->children_box, GTK_WIDGET (child->group));
  renumber_children (self);

  /* The parent's surname, until typed otherwise. */
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (child->fields[CHILD_LAST_NAME].row),
                         text_of (&self->parent[PARENT_LAST_NAME]));
  self->loading = FALSE;
  return child;
}

static void
pfdo_family_form_dispose (GObject *object)
{
  PfdoFamilyForm *self = PFDO_FAMILY_FORM (object);

  g_clear_pointer (&self->children, g_ptr_array_unref);
  G_OBJECT_CLASS (pfdo_family_form_parent_class)->dispose (object);
}

static void
pfdo_family_form_finalize (GObject *object)
{
  PfdoFamilyForm *self = PFDO_FAMILY_FORM (object);

  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    g_free (self->parent[i].name);
  g_clear_object (&self->store);
  g_free (self->session_id);
  G_OBJECT_CLASS (pfdo_family_form_parent_class)->finalize (object);
}

static void
pfdo_family_form_class_init (PfdoFamilyFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pfdo_family_form_dispose;
  object_class->finalize = pfdo_family_form_finalize;

  /**
   * PfdoFamilyForm::changed:
   *
   * Something was typed or chosen: the view keeps the draft.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * PfdoFamilyForm::twin-shown:
   *
   * A likely twin of a child was shown: the meeting counted it.
   */
  signals[TWIN_SHOWN] = g_signal_new ("twin-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pfdo_family_form_init (PfdoFamilyForm *self)
{
  const char *titles[N_PARENT_FIELDS] = {
    _("Parent's surname"), _("Parent's name"), _("Parent's patronymic"), _("Phone"),
    _("E-mail (optional)"),
  };
  const GtkInputPurpose purposes[N_PARENT_FIELDS] = {
    GTK_INPUT_PURPOSE_NAME, GTK_INPUT_PURPOSE_NAME, GTK_INPUT_PURPOSE_NAME,
    GTK_INPUT_PURPOSE_PHONE, GTK_INPUT_PURPOSE_EMAIL,
  };
  AdwPreferencesGroup *group;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 18);
  self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) child_free);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Parent"));
  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    {
      g_autofree char *name = g_strdup_printf ("parent.%s", parent_keys[i]);

      field_init (&self->parent[i], name, titles[i], purposes[i], self, NULL);
      adw_preferences_group_add (group, GTK_WIDGET (self->parent[i].row));
      g_signal_connect (self->parent[i].row, "changed", G_CALLBACK (parent_field_changed_cb),
                        self);
    }
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (group));

  self->children_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->children_box));
  append_child (self);
}

GtkWidget *
pfdo_family_form_new (void)
{
  return g_object_new (PFDO_TYPE_FAMILY_FORM, NULL);
}

void
pfdo_family_form_set_session (PfdoFamilyForm *self,
                              PfdoStore      *store,
                              const char     *session_id)
{
  g_return_if_fail (PFDO_IS_FAMILY_FORM (self));

  g_set_object (&self->store, store);
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
}

guint
pfdo_family_form_get_n_children (PfdoFamilyForm *self)
{
  g_return_val_if_fail (PFDO_IS_FAMILY_FORM (self), 0);

  return self->children->len;
}

/**
 * pfdo_family_form_add_child:
 *
 * One more child of the family; the cursor goes to its name (the surname
 * is the parent's).
 */
void
pfdo_family_form_add_child (PfdoFamilyForm *self)
{
  Child *child;

  g_return_if_fail (PFDO_IS_FAMILY_FORM (self));

  if (self->children->len >= 9)
    return;
  child = append_child (self);
  gtk_widget_grab_focus (GTK_WIDGET (child->fields[CHILD_FIRST_NAME].row));
  emit_changed (self);
}

/**
 * pfdo_family_form_clear:
 *
 * An empty form with one child, for the next family.
 */
void
pfdo_family_form_clear (PfdoFamilyForm *self)
{
  g_return_if_fail (PFDO_IS_FAMILY_FORM (self));

  self->loading = TRUE;
  while (self->children->len > 0)
    remove_child (self, g_ptr_array_index (self->children, self->children->len - 1));
  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->parent[i].row), "");
      self->parent[i].touched = FALSE;
      show_message (&self->parent[i], NULL);
    }
  self->loading = FALSE;
  append_child (self);
}

gboolean
pfdo_family_form_is_empty (PfdoFamilyForm *self)
{
  g_return_val_if_fail (PFDO_IS_FAMILY_FORM (self), TRUE);

  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    if (!is_blank (text_of (&self->parent[i])))
      return FALSE;
  for (guint c = 0; c < self->children->len; c++)
    {
      Child *child = g_ptr_array_index (self->children, c);

      for (guint i = CHILD_FIRST_NAME; i < N_CHILD_FIELDS; i++)
        if (!is_blank (text_of (&child->fields[i])))
          return FALSE;
    }
  return self->children->len <= 1;
}

void
pfdo_family_form_focus_start (PfdoFamilyForm *self)
{
  g_return_if_fail (PFDO_IS_FAMILY_FORM (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->parent[PARENT_LAST_NAME].row));
}

/* Drafts */

/**
 * pfdo_family_form_dup_draft:
 *
 * Returns: (transfer full) (nullable): the form as JSON, or %NULL when it
 *   is empty
 */
char *
pfdo_family_form_dup_draft (PfdoFamilyForm *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (PFDO_IS_FAMILY_FORM (self), NULL);

  if (pfdo_family_form_is_empty (self))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parent");
  json_builder_begin_object (builder);
  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    {
      json_builder_set_member_name (builder, parent_keys[i]);
      json_builder_add_string_value (builder, text_of (&self->parent[i]));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "children");
  json_builder_begin_array (builder);
  for (guint c = 0; c < self->children->len; c++)
    {
      Child *child = g_ptr_array_index (self->children, c);

      json_builder_begin_object (builder);
      for (guint i = 0; i < N_CHILD_FIELDS; i++)
        {
          json_builder_set_member_name (builder, child_keys[i]);
          json_builder_add_string_value (builder, text_of (&child->fields[i]));
        }
      json_builder_set_member_name (builder, "sex");
      json_builder_add_int_value (builder, adw_combo_row_get_selected (child->sex));
      json_builder_set_member_name (builder, "document_type");
      json_builder_add_int_value (builder, adw_combo_row_get_selected (child->document_type));
      json_builder_set_member_name (builder, "last_name_set");
      json_builder_add_boolean_value (builder, child->last_name_set);
      json_builder_set_member_name (builder, "sex_set");
      json_builder_add_boolean_value (builder, child->sex_set);
      json_builder_set_member_name (builder, "document_type_set");
      json_builder_add_boolean_value (builder, child->document_type_set);
      json_builder_set_member_name (builder, "another_child");
      json_builder_add_boolean_value (builder, gtk_check_button_get_active (child->twin_check));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

/**
 * pfdo_family_form_load_draft:
 *
 * Fills the form in with a draft kept by pfdo_family_form_dup_draft(); a
 * draft that cannot be read leaves the form empty.
 */
void
pfdo_family_form_load_draft (PfdoFamilyForm *self,
                             const char     *draft_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *parent;
  JsonArray *children;

  g_return_if_fail (PFDO_IS_FAMILY_FORM (self));

  pfdo_family_form_clear (self);
  if (draft_json == NULL || !json_parser_load_from_data (parser, draft_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  parent = json_object_has_member (root, "parent")
           ? json_object_get_object_member (root, "parent") : NULL;
  children = json_object_has_member (root, "children")
             ? json_object_get_array_member (root, "children") : NULL;

  self->loading = TRUE;
  for (guint i = 0; i < N_PARENT_FIELDS && parent != NULL; i++)
    gtk_editable_set_text (GTK_EDITABLE (self->parent[i].row), member_string (parent, parent_keys[i]));
  for (guint c = 0; children != NULL && c < json_array_get_length (children) && c < 9; c++)
    {
      JsonObject *object = json_array_get_object_element (children, c);
      Child *child;

      if (object == NULL)
        continue;
      if (c > 0)
        {
          self->loading = FALSE;
          child = append_child (self);
          self->loading = TRUE;
        }
      else
        child = g_ptr_array_index (self->children, 0);
      for (guint i = 0; i < N_CHILD_FIELDS; i++)
        gtk_editable_set_text (GTK_EDITABLE (child->fields[i].row),
                               member_string (object, child_keys[i]));
      adw_combo_row_set_selected (child->sex, json_object_get_int_member_with_default (object, "sex", 0));
      adw_combo_row_set_selected (child->document_type,
                                  json_object_get_int_member_with_default (object, "document_type", 0));
      child->last_name_set = json_object_get_boolean_member_with_default (object, "last_name_set", FALSE);
      child->sex_set = json_object_get_boolean_member_with_default (object, "sex_set", FALSE);
      child->document_type_set = json_object_get_boolean_member_with_default (object,
                                                                              "document_type_set",
                                                                              FALSE);
      check_twins (child);
      gtk_check_button_set_active (child->twin_check,
                                   json_object_get_boolean_member_with_default (object,
                                                                                "another_child",
                                                                                FALSE));
    }
  self->loading = FALSE;
}

/* Saving */

static Field *
find_field (PfdoFamilyForm *self,
            const char     *name)
{
  g_autoptr(GPtrArray) chain = NULL;

  if (name == NULL)
    return NULL;
  chain = dup_chain (self);
  for (guint i = 0; i < chain->len; i++)
    {
      Field *field = g_ptr_array_index (chain, i);

      if (g_strcmp0 (field->name, name) == 0)
        return field;
    }
  return NULL;
}

/* Marks every field that is wrong or missing; the first one takes the
 * cursor. */
static gboolean
check_all (PfdoFamilyForm  *self,
           GError         **error)
{
  GtkWidget *first = NULL;
  const char *first_message = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < N_PARENT_FIELDS; i++)
    {
      char *message = check_parent_field (&self->parent[i], i, TRUE);

      self->parent[i].touched = TRUE;
      show_message (&self->parent[i], message);
      if (message != NULL && first == NULL)
        {
          first = GTK_WIDGET (self->parent[i].row);
          first_message = message;
        }
      if (message != NULL)
        g_ptr_array_add (messages, message);
    }
  for (guint c = 0; c < self->children->len; c++)
    {
      Child *child = g_ptr_array_index (self->children, c);

      for (guint i = 0; i < N_CHILD_FIELDS; i++)
        {
          char *message = check_child_field (child, i, TRUE);

          child->fields[i].touched = TRUE;
          show_message (&child->fields[i], message);
          if (message != NULL && first == NULL)
            {
              first = GTK_WIDGET (child->fields[i].row);
              first_message = message;
            }
          if (message != NULL)
            g_ptr_array_add (messages, message);
        }
      if (adw_combo_row_get_selected (child->sex) == 0)
        {
          gtk_widget_add_css_class (GTK_WIDGET (child->sex), "error");
          if (first == NULL)
            {
              first = GTK_WIDGET (child->sex);
              first_message = _("Choose the child's sex");
            }
        }
      if (gtk_widget_get_visible (child->twin_box) &&
          !gtk_check_button_get_active (child->twin_check) && first == NULL)
        {
          first = GTK_WIDGET (child->twin_check);
          first_message = _("Check the likely twin: is it the same child?");
        }
    }

  if (first == NULL)
    return TRUE;
  gtk_widget_grab_focus (first);
  g_set_error_literal (error, PFDO_VALIDATION_ERROR, PFDO_VALIDATION_ERROR_INVALID, first_message);
  return FALSE;
}

/**
 * pfdo_family_form_save:
 *
 * Checks the form and registers the family at the meeting in one
 * transaction; on success the form is empty again for the next family. On
 * a refusal the wrong field says why and takes the cursor.
 *
 * Returns: (transfer full): what was registered, or %NULL with @error set
 */
PfdoFamilyResult *
pfdo_family_form_save (PfdoFamilyForm  *self,
                       GError         **error)
{
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (PfdoChildInput));
  g_autoptr(GPtrArray) dates = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *field_name = NULL;
  PfdoFamilyResult *result;
  PfdoFamilyInput input = { 0 };
  gboolean allow_duplicates = FALSE;
  GError *local_error = NULL;
  Field *field;

  g_return_val_if_fail (PFDO_IS_FAMILY_FORM (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  if (!check_all (self, error))
    return NULL;

  for (guint c = 0; c < self->children->len; c++)
    {
      Child *child = g_ptr_array_index (self->children, c);
      guint type = adw_combo_row_get_selected (child->document_type);
      char *date = dup_date_text (text_of (&child->fields[CHILD_BIRTH_DATE]));
      PfdoChildInput one = {
        .last_name = text_of (&child->fields[CHILD_LAST_NAME]),
        .first_name = text_of (&child->fields[CHILD_FIRST_NAME]),
        .middle_name = text_of (&child->fields[CHILD_MIDDLE_NAME]),
        .birth_date = date,
        .sex = adw_combo_row_get_selected (child->sex) == 2 ? "f" : "m",
        .snils = is_blank (text_of (&child->fields[CHILD_SNILS])) ? NULL
                 : text_of (&child->fields[CHILD_SNILS]),
        .document_type = type < G_N_ELEMENTS (document_types) ? document_types[type] : NULL,
        .document_series = text_of (&child->fields[CHILD_DOCUMENT_SERIES]),
        .document_number = text_of (&child->fields[CHILD_DOCUMENT_NUMBER]),
      };

      g_ptr_array_add (dates, date);
      g_array_append_val (inputs, one);
      if (gtk_widget_get_visible (child->twin_box) && gtk_check_button_get_active (child->twin_check))
        allow_duplicates = TRUE;
    }

  input.parent.last_name = text_of (&self->parent[PARENT_LAST_NAME]);
  input.parent.first_name = text_of (&self->parent[PARENT_FIRST_NAME]);
  input.parent.middle_name = text_of (&self->parent[PARENT_MIDDLE_NAME]);
  input.parent.phone = text_of (&self->parent[PARENT_PHONE]);
  input.parent.email = is_blank (text_of (&self->parent[PARENT_EMAIL])) ? NULL
                       : text_of (&self->parent[PARENT_EMAIL]);
  input.children = (const PfdoChildInput *) (gpointer) inputs->data;
  input.n_children = inputs->len;
  input.issue_certificates = TRUE;
  input.allow_duplicates = allow_duplicates;

  result = pfdo_meeting_save_family (self->store, self->session_id, &input, &field_name,
                                     &local_error);
  if (result == NULL)
    {
      field = find_field (self, field_name);
      if (field != NULL)
        {
          show_message (field, local_error->message);
          gtk_widget_grab_focus (GTK_WIDGET (field->row));
        }
      /* A twin the live check could not see (another child of this form). */
      if (g_error_matches (local_error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_DUPLICATE_CHILD))
        for (guint c = 0; c < self->children->len; c++)
          check_twins (g_ptr_array_index (self->children, c));
      g_propagate_error (error, local_error);
      return NULL;
    }

  pfdo_family_form_clear (self);
  return result;
}

/* For the tests: the editable of a field by its core name. */
GtkEditable *
pfdo_family_form_get_editable (PfdoFamilyForm *self,
                               const char     *field)
{
  Field *found;

  g_return_val_if_fail (PFDO_IS_FAMILY_FORM (self), NULL);

  found = find_field (self, field);
  return found != NULL ? GTK_EDITABLE (found->row) : NULL;
}

GtkWidget *
pfdo_family_form_get_twin_check (PfdoFamilyForm *self,
                                 guint           child)
{
  g_return_val_if_fail (PFDO_IS_FAMILY_FORM (self), NULL);

  if (child >= self->children->len)
    return NULL;
  return GTK_WIDGET (((Child *) g_ptr_array_index (self->children, child))->twin_check);
}

/**
 * pfdo_family_form_get_message:
 *
 * Returns: (nullable): what the form says at @field, or %NULL when it
 *   says nothing
 */
const char *
pfdo_family_form_get_message (PfdoFamilyForm *self,
                              const char     *field)
{
  Field *found;

  g_return_val_if_fail (PFDO_IS_FAMILY_FORM (self), NULL);

  found = find_field (self, field);
  if (found == NULL || !gtk_widget_get_visible (GTK_WIDGET (found->message)))
    return NULL;
  return gtk_label_get_label (found->message);
}
