/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pfdo-certificates.h"
#include "pfdo-child-card.h"
#include "pfdo-children.h"
#include "pfdo-search.h"
#include "pfdo-ui.h"
#include "pfdo-validate.h"
#include "pfdo-verification-view.h"

/*
 * The walk-in desk: one search field that understands a SNILS, a phone, a
 * certificate number (a barcode scanner types digits and Enter) or a
 * surname with a name and a birth date; the municipality's queue of
 * children who wait; and the child's card, where the clerk ticks the
 * documents seen, compares likely twins, confirms or rejects, corrects a
 * rejected record and issues and activates the certificate.
 */

#define RESULTS_LIMIT 50

struct _PfdoVerificationView
{
  AdwBin          parent_instance;

  PfdoStore      *store;
  PfdoChildCard  *card;            /* the child on the card page */
  GPtrArray      *twins;           /* PfdoDuplicate of the card's child */
  GPtrArray      *twin_cards;      /* PfdoChildCard of each twin */
  GtkWidget      *document_checks[3];
  GtkWidget      *twins_check;     /* "these are different children" */
  GtkWidget      *confirm_button;
  GtkWidget      *reject_dialog;

  GtkStack       *stack;
  GtkSearchEntry *search_entry;
  GtkLabel       *list_title;
  GtkListBox     *results;
  AdwStatusPage  *empty_page;
  GtkBox         *card_box;
  GtkScrolledWindow *card_scroller;
  GtkWidget      *back_button;
  GtkWidget      *primary_button;  /* the card's next step, for the keyboard */
  char           *later_card;      /* the card to read again once the click is over */
  guint           later_idle;
  AdwEntryRow    *edit_last_name;
  AdwEntryRow    *edit_first_name;
  AdwEntryRow    *edit_middle_name;
  AdwEntryRow    *edit_birth_date;
  AdwComboRow    *edit_sex;
  AdwEntryRow    *edit_snils;
  AdwComboRow    *edit_document_type;
  AdwEntryRow    *edit_document_series;
  AdwEntryRow    *edit_document_number;
  AdwEntryRow    *edit_address;
  GtkLabel       *edit_error;
};

G_DEFINE_FINAL_TYPE (PfdoVerificationView, pfdo_verification_view, ADW_TYPE_BIN)

static const char *document_types[] = { "birth_certificate", "passport", "foreign" };

/* The reasons a clerk gives most often, to pick with one key. */
static const char *common_reasons[] = {
  N_("The documents were not presented or are incomplete"),
  N_("The data differ from the documents"),
  N_("The SNILS does not match the SNILS document"),
  N_("The child is registered already"),
  N_("The child does not live in this municipality"),
};

static void open_card (PfdoVerificationView *self,
                       const char           *child_id);

/* Words and formats */

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "verified") == 0)
    return _("Confirmed");
  if (g_strcmp0 (status, "rejected") == 0)
    return _("Rejected");
  return _("Awaiting confirmation");
}

static const char *
status_style (const char *status)
{
  if (g_strcmp0 (status, "verified") == 0)
    return "success";
  if (g_strcmp0 (status, "rejected") == 0)
    return "error";
  return "warning";
}

static const char *
certificate_status_text (const char *status)
{
  if (g_strcmp0 (status, "issued") == 0)
    return _("Issued, not activated");
  if (g_strcmp0 (status, "accounting") == 0)
    return _("Accounting certificate");
  if (g_strcmp0 (status, "personified") == 0)
    return _("Personified funding certificate");
  if (g_strcmp0 (status, "frozen") == 0)
    return _("Frozen");
  if (g_strcmp0 (status, "closed") == 0)
    return _("Closed");
  return status;
}

static const char *
document_type_text (const char *type)
{
  if (g_strcmp0 (type, "birth_certificate") == 0)
    return _("Birth certificate");
  if (g_strcmp0 (type, "passport") == 0)
    return _("Passport");
  if (g_strcmp0 (type, "foreign") == 0)
    return _("Foreign document");
  return _("No document");
}

static char *
full_name (const char *last,
           const char *first,
           const char *middle)
{
  return g_strjoin (" ", last != NULL ? last : "", first != NULL ? first : "",
                    middle != NULL ? middle : "", NULL);
}

static char *
document_text (const PfdoChildCard *card)
{
  if (card->document_number == NULL)
    return g_strdup (_("No document"));
  return g_strdup_printf ("%s %s %s", document_type_text (card->document_type),
                          card->document_series != NULL ? card->document_series : "",
                          card->document_number);
}

static char *
snils_text (const char *snils)
{
  return g_strdup (snils != NULL ? snils : _("No SNILS"));
}

/* Rows and groups */

static GtkWidget *
add_group (PfdoVerificationView *self,
           const char           *title,
           const char           *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (self->card_box, group);
  return group;
}

/* A row with a value a clerk may need to read out or copy. */
static GtkWidget *
add_field (GtkWidget  *group,
           const char *title,
           const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value != NULL && *value != '\0' ? value : "—");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Wrapped only when the row is really too narrow. */
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
pill_label (const char *text,
            const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "status-pill");
  gtk_widget_add_css_class (label, style);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static GtkWidget *
button_new (const char *label,
            const char *action,
            const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, "pill");
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  return button;
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* The list: the queue or what the search found */

static GtkWidget *
child_row_new (const PfdoChildMatch *match)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = full_name (match->last_name, match->first_name, match->middle_name);
  g_autofree char *title = g_markup_escape_text (name, -1);
  g_autofree char *birth = pfdo_ui_format_date (match->birth_date);
  g_autofree char *snils = pfdo_ui_mask_snils (match->snils);
  g_autofree char *parent = g_strdup_printf ("%s %s", match->parent_last_name,
                                             match->parent_first_name);
  g_autofree char *phone = match->parent_phone != NULL
                           ? pfdo_phone_format (match->parent_phone) : NULL;
  GString *subtitle = g_string_new (birth);
  g_autofree char *subtitle_markup = NULL;

  if (snils != NULL)
    g_string_append_printf (subtitle, " · %s %s", _("SNILS"), snils);
  if (match->certificate_number != NULL)
    /* Translators: "certificate 0000001234" in a list row. */
    g_string_append_printf (subtitle, " · %s %s", _("certificate"), match->certificate_number);
  /* Translators: "parent Surname Name, +7 ..." in a list row. */
  g_string_append_printf (subtitle, "\n%s %s%s%s", _("parent"), parent,
                          phone != NULL ? ", " : "", phone != NULL ? phone : "");
  subtitle_markup = g_markup_escape_text (subtitle->str, -1);
  g_string_free (subtitle, TRUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle_markup);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             pill_label (status_text (match->verification_status),
                                         status_style (match->verification_status)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "child-id", g_strdup (match->child_id), g_free);
  return row;
}

static void
show_matches (PfdoVerificationView *self,
              GPtrArray            *found)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, row);
  for (guint i = 0; i < found->len; i++)
    gtk_list_box_append (self->results, child_row_new (g_ptr_array_index (found, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->results), found->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), found->len == 0);
}

static void
load_list (PfdoVerificationView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (self->store == NULL)
    return;

  if (*trimmed == '\0')
    {
      gint64 total = 0;
      g_autofree char *count = NULL;
      /* Before anyone has signed in, the desk's own municipality: its
       * queue is read from the index, not from the whole store. */
      g_autofree char *municipality = pfdo_store_dup_municipality_id (self->store);

      found = pfdo_children_queue (self->store, municipality, RESULTS_LIMIT, &total, &error);
      count = pfdo_ui_format_count (total);
      title = g_strdup_printf (_("Awaiting confirmation: %s, oldest registration first"), count);
      adw_status_page_set_title (self->empty_page, _("Nobody Is Waiting"));
      adw_status_page_set_description (self->empty_page,
                                       _("Every child of the municipality has been decided. To "
                                         "find a child, type a SNILS, a phone, a certificate "
                                         "number or a surname."));
    }
  else
    {
      found = pfdo_search_children (self->store, text, RESULTS_LIMIT, NULL, &error);
      if (found != NULL)
        {
          g_autofree char *count = pfdo_ui_format_count (found->len);

          title = found->len >= RESULTS_LIMIT
                  ? g_strdup_printf (_("Found: the first %s; add a name or a birth date"), count)
                  : g_strdup_printf (_("Found: %s"), count);
        }
      adw_status_page_set_title (self->empty_page, _("Nobody Found"));
      adw_status_page_set_description (self->empty_page,
                                       _("Check the spelling, or type the surname with the name "
                                         "and the birth date: Иванова Анна 07.03.2015."));
    }

  if (found == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  gtk_label_set_label (self->list_title, title);
  show_matches (self, found);
}

static void
search_changed_cb (PfdoVerificationView *self)
{
  load_list (self);
}

/* Enter, or the scanner's Enter after the digits: one child found opens
 * at once, several go to the first row. */
static void
search_activate_cb (PfdoVerificationView *self)
{
  GtkListBoxRow *first;

  load_list (self);
  first = gtk_list_box_get_row_at_index (self->results, 0);
  if (first == NULL)
    return;
  if (gtk_list_box_get_row_at_index (self->results, 1) == NULL)
    open_card (self, g_object_get_data (G_OBJECT (first), "child-id"));
  else
    gtk_widget_grab_focus (GTK_WIDGET (first));
}

static void
row_activated_cb (PfdoVerificationView *self,
                  GtkListBoxRow        *row)
{
  open_card (self, g_object_get_data (G_OBJECT (row), "child-id"));
}

/* The card */

static gboolean
documents_complete (PfdoVerificationView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->document_checks); i++)
    if (self->document_checks[i] == NULL ||
        !gtk_check_button_get_active (GTK_CHECK_BUTTON (self->document_checks[i])))
      return FALSE;
  return TRUE;
}

static void
update_actions (PfdoVerificationView *self)
{
  gboolean on_card = self->card != NULL;
  gboolean undecided = on_card && g_strcmp0 (self->card->verification_status, "unverified") == 0;
  gboolean verified = on_card && g_strcmp0 (self->card->verification_status, "verified") == 0;
  gboolean twins_ok = self->twins_check == NULL ||
                      gtk_check_button_get_active (GTK_CHECK_BUTTON (self->twins_check));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verification.confirm",
                                 undecided && documents_complete (self) && twins_ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verification.reject", undecided);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verification.correct",
                                 on_card && !verified);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verification.issue",
                                 verified && self->card->certificate_id == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verification.activate",
                                 verified &&
                                 g_strcmp0 (self->card->certificate_status, "issued") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verification.copy-number",
                                 on_card && self->card->certificate_number != NULL);
}

static void
check_toggled_cb (PfdoVerificationView *self)
{
  update_actions (self);
}

static GtkWidget *
add_check (PfdoVerificationView *self,
           GtkWidget            *group,
           const char           *title,
           const char           *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return check;
}

static void
add_header (PfdoVerificationView *self)
{
  PfdoChildCard *card = self->card;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *name = full_name (card->last_name, card->first_name, card->middle_name);
  GtkWidget *title = gtk_label_new (name);
  g_autofree char *birth = pfdo_ui_format_date (card->birth_date);
  g_autofree char *age = pfdo_ui_format_age (card->birth_date);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s", birth, age,
                                               card->municipality_name != NULL
                                               ? card->municipality_name : "");
  GtkWidget *subtitle_label = gtk_label_new (subtitle);

  gtk_label_set_selectable (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-1");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (line), title);
  gtk_box_append (GTK_BOX (line), pill_label (status_text (card->verification_status),
                                              status_style (card->verification_status)));
  gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0);
  gtk_widget_add_css_class (subtitle_label, "dim-label");
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), subtitle_label);
  gtk_widget_set_margin_top (box, 12);
  gtk_box_append (self->card_box, box);
}

static void
add_decision (PfdoVerificationView *self)
{
  PfdoChildCard *card = self->card;
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;
  PfdoRecordSync sync;
  GtkWidget *group;

  sync = pfdo_store_get_record_sync (self->store, "child", card->id, &code, &detail, &error);
  if (g_strcmp0 (card->verification_status, "unverified") != 0)
    {
      g_autofree char *when = pfdo_ui_format_time (card->verification_decided_at);

      group = add_group (self, _("Decision"), NULL);
      add_field (group, _("Decided"), when);
      add_field (group, _("By"), card->verification_operator_name);
      if (card->verification_reason != NULL)
        add_field (group, _("Reason for the rejection"), card->verification_reason);
      if (g_strcmp0 (card->verification_status, "rejected") == 0)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         _("Correct the data with the family, then confirm "
                                           "again"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     button_new (_("C_orrect Data…"), "verification.correct",
                                                 NULL));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
    }

  if (sync == PFDO_RECORD_SYNC_WAITING || sync == PFDO_RECORD_SYNC_REJECTED)
    {
      group = add_group (self, _("Regional Server"), NULL);
      if (sync == PFDO_RECORD_SYNC_WAITING)
        add_field (group, _("Changes of this desk"), _("Waiting to be sent at the next sync"));
      else
        add_field (group, _("The server refused the change"),
                   detail != NULL ? detail : code);
    }
}

static void
add_child_and_parent (PfdoVerificationView *self)
{
  PfdoChildCard *card = self->card;
  g_autofree char *snils = snils_text (card->snils);
  g_autofree char *document = document_text (card);
  g_autofree char *registered = pfdo_ui_format_time (card->created_at);
  g_autofree char *parent = full_name (card->parent_last_name, card->parent_first_name,
                                       card->parent_middle_name);
  g_autofree char *phone = card->parent_phone != NULL ? pfdo_phone_format (card->parent_phone)
                                                      : NULL;
  GtkWidget *group;

  group = add_group (self, _("Child"), NULL);
  add_field (group, _("Sex"), g_strcmp0 (card->sex, "f") == 0 ? _("Female") : _("Male"));
  add_field (group, _("SNILS"), snils);
  add_field (group, _("Identity document"), document);
  add_field (group, _("Address"), card->address);
  add_field (group, _("Registered"), registered);

  group = add_group (self, _("Parent"), NULL);
  add_field (group, _("Full name"), parent);
  add_field (group, _("Phone"), phone);
  add_field (group, _("E-mail"), card->parent_email);
}

/* The likely twins, side by side with the child on the card. */
static void
add_twins (PfdoVerificationView *self)
{
  GtkWidget *group;

  if (self->twins == NULL || self->twins->len == 0)
    return;

  group = add_group (self, _("Possible Duplicates"),
                     _("The store holds children who may be this one. Compare them with the "
                       "documents before confirming."));
  for (guint i = 0; i < self->twins->len; i++)
    {
      PfdoDuplicate *twin = g_ptr_array_index (self->twins, i);
      PfdoChildCard *other = g_ptr_array_index (self->twin_cards, i);
      PfdoChildCard *pair[] = { self->card, other };
      GtkWidget *frame = gtk_frame_new (NULL);
      GtkWidget *grid = gtk_grid_new ();
      g_autofree char *reason = g_strdup_printf (_("Match: %s"),
                                                 pfdo_match_reason_describe (twin->reason));
      GtkWidget *reason_label = gtk_label_new (reason);
      const char *headers[] = { "", _("This child"), _("Already in the store") };

      gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
      gtk_grid_set_column_homogeneous (GTK_GRID (grid), FALSE);
      gtk_widget_set_margin_start (grid, 12);
      gtk_widget_set_margin_end (grid, 12);
      gtk_widget_set_margin_top (grid, 12);
      gtk_widget_set_margin_bottom (grid, 12);
      gtk_label_set_xalign (GTK_LABEL (reason_label), 0);
      gtk_label_set_wrap (GTK_LABEL (reason_label), TRUE);
      gtk_widget_add_css_class (reason_label, "warning");
      gtk_grid_attach (GTK_GRID (grid), reason_label, 0, 0, 3, 1);
      for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
        {
          GtkWidget *label = gtk_label_new (headers[c]);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "heading");
          gtk_grid_attach (GTK_GRID (grid), label, (int) c, 1, 1, 1);
        }
      for (guint r = 0; r < 5; r++)
        {
          const char *titles[] = { _("Full name"), _("Birth date"), _("SNILS"),
                                   _("Identity document"), _("Status") };
          GtkWidget *title = gtk_label_new (titles[r]);

          gtk_label_set_xalign (GTK_LABEL (title), 0);
          gtk_widget_add_css_class (title, "dim-label");
          gtk_grid_attach (GTK_GRID (grid), title, 0, (int) r + 2, 1, 1);
          for (guint c = 0; c < 2; c++)
            {
              PfdoChildCard *who = pair[c];
              g_autofree char *value = NULL;
              GtkWidget *label;

              if (r == 0)
                value = full_name (who->last_name, who->first_name, who->middle_name);
              else if (r == 1)
                value = pfdo_ui_format_date (who->birth_date);
              else if (r == 2)
                value = snils_text (who->snils);
              else if (r == 3)
                value = document_text (who);
              else
                value = g_strdup (status_text (who->verification_status));
              label = gtk_label_new (value);
              gtk_label_set_xalign (GTK_LABEL (label), 0);
              gtk_label_set_wrap (GTK_LABEL (label), TRUE);
              gtk_label_set_selectable (GTK_LABEL (label), TRUE);
              gtk_widget_set_hexpand (label, TRUE);
              gtk_grid_attach (GTK_GRID (grid), label, (int) c + 1, (int) r + 2, 1, 1);
            }
        }
      {
        GtkWidget *open = gtk_button_new_with_label (_("Open the Other Card"));

        gtk_widget_set_halign (open, GTK_ALIGN_START);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "verification.open-child");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", other->id);
        gtk_grid_attach (GTK_GRID (grid), open, 2, 7, 1, 1);
      }
      gtk_frame_set_child (GTK_FRAME (frame), grid);
      gtk_widget_add_css_class (frame, "card");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
    }
}

static void
add_checklist (PfdoVerificationView *self)
{
  GtkWidget *group;
  GtkWidget *buttons;

  if (g_strcmp0 (self->card->verification_status, "unverified") != 0)
    return;

  group = add_group (self, _("Documents Seen"),
                     _("Tick each original the family has shown. Confirm is possible once all "
                       "three are ticked."));
  self->document_checks[0] = add_check (self, group,
                                        _("The child's _birth certificate or passport"), NULL);
  self->document_checks[1] = add_check (self, group, _("The child's _SNILS"), NULL);
  self->document_checks[2] = add_check (self, group, _("The parent's _identity document"),
                                        NULL);
  if (self->twins != NULL && self->twins->len > 0)
    self->twins_check = add_check (self, group,
                                   _("I compared the possible _duplicates: this is another child"),
                                   _("The duplicates are shown above."));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), button_new (_("C_orrect Data…"), "verification.correct",
                                                 NULL));
  gtk_box_append (GTK_BOX (buttons), button_new (_("_Reject…"), "verification.reject",
                                                 "destructive-action"));
  self->confirm_button = button_new (_("_Confirm"), "verification.confirm", "suggested-action");
  gtk_box_append (GTK_BOX (buttons), self->confirm_button);
  gtk_box_append (self->card_box, buttons);
}

static void
add_certificate (PfdoVerificationView *self)
{
  PfdoChildCard *card = self->card;
  GtkWidget *group;
  GtkWidget *row;

  if (card->certificate_id == NULL)
    {
      group = add_group (self, _("Certificate"), NULL);
      row = adw_action_row_new ();
      if (g_strcmp0 (card->verification_status, "verified") == 0)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         _("The child has no certificate yet"));
          self->primary_button = button_new (_("_Issue Certificate"), "verification.issue",
                                             "suggested-action");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->primary_button);
        }
      else
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                       _("A certificate is issued once the data is confirmed"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return;
    }

  group = add_group (self, _("Certificate"), NULL);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Certificate number"));
  {
    GtkWidget *number = gtk_label_new (card->certificate_number);
    GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
    GtkWidget *print = gtk_button_new_from_icon_name ("document-print-symbolic");

    gtk_label_set_selectable (GTK_LABEL (number), TRUE);
    gtk_widget_add_css_class (number, "title-3");
    gtk_widget_add_css_class (number, "numeric");
    gtk_widget_set_valign (number, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (copy, _("Copy the Number"));
    gtk_widget_set_tooltip_text (print, _("Print the Number for the Family"));
    /* Icon-only buttons: GTK 4.8 would name them "GtkImage". */
    gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Copy the Number"), -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (print), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Print the Number for the Family"), -1);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "verification.copy-number");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (print), "verification.print-number");
    gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
    gtk_widget_set_valign (print, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (copy, "flat");
    gtk_widget_add_css_class (print, "flat");
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), number);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), print);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Status"));
  if (g_strcmp0 (card->certificate_status, "accounting") == 0 ||
      g_strcmp0 (card->certificate_status, "personified") == 0)
    {
      GtkWidget *fit = button_new (_("_Programs for This Child"), "verification.fit-catalog",
                                   NULL);

      gtk_widget_set_valign (fit, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), fit);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_label_new (certificate_status_text (card->certificate_status)));
  if (g_strcmp0 (card->certificate_status, "issued") == 0 &&
      g_strcmp0 (card->verification_status, "verified") == 0)
    {
      self->primary_button = button_new (_("_Activate"), "verification.activate",
                                         "suggested-action");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->primary_button);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
forget_card (PfdoVerificationView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* The focus leaves the card before its widgets go: GTK 4.8 would look
   * at the removed widget once more. */
  if (focus != NULL && self->card_box != NULL &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self->card_box)))
    gtk_widget_grab_focus (self->back_button);

  g_clear_pointer (&self->card, pfdo_child_card_free);
  g_clear_pointer (&self->twins, g_ptr_array_unref);
  g_clear_pointer (&self->twin_cards, g_ptr_array_unref);
  memset (self->document_checks, 0, sizeof self->document_checks);
  self->twins_check = NULL;
  self->confirm_button = NULL;
  self->primary_button = NULL;
  if (self->card_box != NULL)
    clear_box (self->card_box);
}

/* Reads the card of @child_id again and shows it; the ticks already made
 * are kept when it is the same child. */
static gboolean
show_card (PfdoVerificationView *self,
           const char           *child_id)
{
  g_autofree char *id = g_strdup (child_id);
  g_autoptr(PfdoChildCard) card = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ticked[3] = { FALSE, FALSE, FALSE };
  gboolean same = self->card != NULL && g_strcmp0 (self->card->id, child_id) == 0;

  card = pfdo_child_card_load (self->store, id, &error);
  if (card == NULL)
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return FALSE;
    }
  if (same)
    for (guint i = 0; i < G_N_ELEMENTS (ticked); i++)
      ticked[i] = self->document_checks[i] != NULL &&
                  gtk_check_button_get_active (GTK_CHECK_BUTTON (self->document_checks[i]));

  forget_card (self);
  self->card = g_steal_pointer (&card);

  if (g_strcmp0 (self->card->verification_status, "unverified") == 0)
    {
      self->twins = pfdo_children_find_duplicates (self->store, self->card->id, self->card->snils,
                                                   self->card->last_name, self->card->first_name,
                                                   self->card->birth_date,
                                                   self->card->document_number, &error);
      if (self->twins == NULL)
        {
          pfdo_ui_toast (GTK_WIDGET (self), error->message);
          g_clear_error (&error);
        }
      else
        {
          self->twin_cards = g_ptr_array_new_with_free_func ((GDestroyNotify) pfdo_child_card_free);
          for (guint i = 0; i < self->twins->len; i++)
            {
              PfdoDuplicate *twin = g_ptr_array_index (self->twins, i);
              PfdoChildCard *other = pfdo_child_card_load (self->store, twin->child_id, NULL);

              /* A twin of another municipality is still a twin: show what
               * the duplicate finder knows, without the record. */
              if (other == NULL)
                {
                  other = g_new0 (PfdoChildCard, 1);
                  other->id = g_strdup (twin->child_id);
                }
              g_ptr_array_add (self->twin_cards, other);
            }
        }
    }

  add_header (self);
  add_decision (self);
  add_twins (self);
  add_checklist (self);
  add_certificate (self);
  add_child_and_parent (self);

  for (guint i = 0; i < G_N_ELEMENTS (ticked); i++)
    if (ticked[i] && self->document_checks[i] != NULL)
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->document_checks[i]), TRUE);
  update_actions (self);
  /* The keyboard goes on with the next step. */
  if (self->primary_button != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->card_box)))
    gtk_widget_grab_focus (self->primary_button);
  return TRUE;
}

static gboolean
show_card_later_cb (gpointer user_data)
{
  PfdoVerificationView *self = user_data;
  g_autofree char *id = g_steal_pointer (&self->later_card);

  self->later_idle = 0;
  if (id != NULL && self->card != NULL && g_str_equal (id, self->card->id))
    show_card (self, id);
  return G_SOURCE_REMOVE;
}

/* The card is rebuilt after an action taken with one of its own buttons:
 * not while that button is still being clicked. */
static void
show_card_later (PfdoVerificationView *self,
                 const char           *child_id)
{
  g_free (self->later_card);
  self->later_card = g_strdup (child_id);
  if (self->later_idle == 0)
    self->later_idle = g_idle_add (show_card_later_cb, self);
}

static void
open_card (PfdoVerificationView *self,
           const char           *child_id)
{
  if (child_id == NULL || !show_card (self, child_id))
    return;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->card_scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "card");
  if (self->document_checks[0] != NULL)
    gtk_widget_grab_focus (self->document_checks[0]);
  else if (self->primary_button != NULL)
    gtk_widget_grab_focus (self->primary_button);
  else
    gtk_widget_grab_focus (self->back_button);
}

/* Actions */

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "edit") == 0 && self->card != NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "card");
      return;
    }
  if (g_strcmp0 (page, "list") == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      return;
    }
  forget_card (self);
  update_actions (self);
  load_list (self);
  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
open_child_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_card (PFDO_VERIFICATION_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean twins_seen;

  if (self->card == NULL)
    return;
  id = g_strdup (self->card->id);
  twins_seen = self->twins_check != NULL &&
               gtk_check_button_get_active (GTK_CHECK_BUTTON (self->twins_check));
  if (!pfdo_child_verify (self->store, id, documents_complete (self) ? PFDO_DOCUMENTS_ALL : 0,
                          twins_seen, &error))
    {
      pfdo_ui_toast (widget, error->message);
      /* A twin that arrived since the card was opened is shown now. */
      show_card_later (self, id);
      return;
    }
  pfdo_ui_toast (widget, _("The child's data is confirmed."));
  show_card_later (self, id);
}

static void
reject_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    PfdoVerificationView *self)
{
  GtkEditable *other = g_object_get_data (G_OBJECT (dialog), "other");
  const char *picked = g_object_get_data (G_OBJECT (dialog), "picked");
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason;

  self->reject_dialog = NULL;
  if (!g_str_equal (response, "reject") || self->card == NULL)
    return;
  reason = *gtk_editable_get_text (other) != '\0' ? gtk_editable_get_text (other) : picked;
  id = g_strdup (self->card->id);
  if (!pfdo_child_reject (self->store, id, reason, &error))
    {
      pfdo_ui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  pfdo_ui_toast (GTK_WIDGET (self), _("The child's data is rejected; the reason is kept on the "
                                      "card."));
  show_card_later (self, id);
}

static void
reject_reason_changed (AdwMessageDialog *dialog)
{
  GtkEditable *other = g_object_get_data (G_OBJECT (dialog), "other");
  const char *picked = g_object_get_data (G_OBJECT (dialog), "picked");
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (other)));

  adw_message_dialog_set_response_enabled (dialog, "reject", *typed != '\0' || picked != NULL);
}

static void
reason_toggled_cb (GtkCheckButton   *check,
                   AdwMessageDialog *dialog)
{
  if (gtk_check_button_get_active (check))
    g_object_set_data (G_OBJECT (dialog), "picked",
                       g_object_get_data (G_OBJECT (check), "reason"));
  reject_reason_changed (dialog);
}

static void
reject_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  GtkWidget *list, *other;
  GtkWidget *group_check = NULL;
  AdwMessageDialog *dialog;

  if (self->card == NULL)
    return;
  name = full_name (self->card->last_name, self->card->first_name, self->card->middle_name);
  body = g_strdup_printf (_("%s: the record can be corrected with the family and confirmed "
                            "later. Pick the reason or type your own."), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Reject the Child's Data?"), body));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < G_N_ELEMENTS (common_reasons); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(common_reasons[i]));
      gtk_check_button_set_group (GTK_CHECK_BUTTON (check),
                                  group_check != NULL ? GTK_CHECK_BUTTON (group_check) : NULL);
      group_check = check;
      g_object_set_data (G_OBJECT (check), "reason", (gpointer) _(common_reasons[i]));
      g_signal_connect (check, "toggled", G_CALLBACK (reason_toggled_cb), dialog);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  other = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (other), _("Another reason"));
  g_signal_connect_swapped (other, "changed", G_CALLBACK (reject_reason_changed), dialog);
  gtk_list_box_append (GTK_LIST_BOX (list), other);
  g_object_set_data_full (G_OBJECT (dialog), "other", g_object_ref (other), g_object_unref);
  adw_message_dialog_set_extra_child (dialog, list);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "reject", _("_Reject"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "reject", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "reject", FALSE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reject_response_cb), self, 0);
  self->reject_dialog = GTK_WIDGET (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
correct_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  PfdoChildCard *card = self->card;
  g_autofree char *birth = NULL;
  g_autofree char *snils = NULL;

  if (card == NULL)
    return;
  birth = pfdo_ui_format_date (card->birth_date);
  snils = g_strdup (card->snils);
  set_entry (self->edit_last_name, card->last_name);
  set_entry (self->edit_first_name, card->first_name);
  set_entry (self->edit_middle_name, card->middle_name);
  set_entry (self->edit_birth_date, birth);
  set_entry (self->edit_snils, snils);
  set_entry (self->edit_document_series, card->document_series);
  set_entry (self->edit_document_number, card->document_number);
  set_entry (self->edit_address, card->address);
  adw_combo_row_set_selected (self->edit_sex, g_strcmp0 (card->sex, "f") == 0 ? 1 : 0);
  adw_combo_row_set_selected (self->edit_document_type, 0);
  for (guint i = 0; i < G_N_ELEMENTS (document_types); i++)
    if (g_strcmp0 (card->document_type, document_types[i]) == 0)
      adw_combo_row_set_selected (self->edit_document_type, i);
  gtk_widget_set_visible (GTK_WIDGET (self->edit_error), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "edit");
  gtk_widget_grab_focus (GTK_WIDGET (self->edit_last_name));
}

static GtkWidget *
field_row (PfdoVerificationView *self,
           const char           *field)
{
  if (g_strcmp0 (field, "last_name") == 0)
    return GTK_WIDGET (self->edit_last_name);
  if (g_strcmp0 (field, "first_name") == 0)
    return GTK_WIDGET (self->edit_first_name);
  if (g_strcmp0 (field, "middle_name") == 0)
    return GTK_WIDGET (self->edit_middle_name);
  if (g_strcmp0 (field, "birth_date") == 0)
    return GTK_WIDGET (self->edit_birth_date);
  if (g_strcmp0 (field, "sex") == 0)
    return GTK_WIDGET (self->edit_sex);
  if (g_strcmp0 (field, "snils") == 0)
    return GTK_WIDGET (self->edit_snils);
  if (g_strcmp0 (field, "document_series") == 0)
    return GTK_WIDGET (self->edit_document_series);
  if (g_strcmp0 (field, "document_number") == 0 || g_strcmp0 (field, "document_type") == 0)
    return GTK_WIDGET (self->edit_document_number);
  if (g_strcmp0 (field, "address") == 0)
    return GTK_WIDGET (self->edit_address);
  return NULL;
}

static void
save_correction_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  AdwEntryRow *rows[] = { self->edit_last_name, self->edit_first_name, self->edit_middle_name,
                          self->edit_birth_date, self->edit_snils, self->edit_document_series,
                          self->edit_document_number, self->edit_address };
  guint document = adw_combo_row_get_selected (self->edit_document_type);
  PfdoChildInput input = {
    .last_name = gtk_editable_get_text (GTK_EDITABLE (self->edit_last_name)),
    .first_name = gtk_editable_get_text (GTK_EDITABLE (self->edit_first_name)),
    .middle_name = gtk_editable_get_text (GTK_EDITABLE (self->edit_middle_name)),
    .birth_date = gtk_editable_get_text (GTK_EDITABLE (self->edit_birth_date)),
    .sex = adw_combo_row_get_selected (self->edit_sex) == 1 ? "f" : "m",
    .snils = gtk_editable_get_text (GTK_EDITABLE (self->edit_snils)),
    .document_type = document < G_N_ELEMENTS (document_types) ? document_types[document] : NULL,
    .document_series = gtk_editable_get_text (GTK_EDITABLE (self->edit_document_series)),
    .document_number = gtk_editable_get_text (GTK_EDITABLE (self->edit_document_number)),
    .address = gtk_editable_get_text (GTK_EDITABLE (self->edit_address)),
  };
  g_autofree char *field = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  if (self->card == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->edit_sex), "error");

  id = g_strdup (self->card->id);
  if (!pfdo_child_correct (self->store, id, &input, &field, &error))
    {
      GtkWidget *row = field_row (self, field);

      /* The message stays at the form; the wrong field is marked and
       * takes the cursor. */
      gtk_label_set_label (self->edit_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->edit_error), TRUE);
      if (row != NULL)
        {
          gtk_widget_add_css_class (row, "error");
          gtk_widget_grab_focus (row);
        }
      return;
    }
  pfdo_ui_toast (widget, _("The correction is saved; the data waits for a new confirmation."));
  if (show_card (self, id))
    gtk_stack_set_visible_child_name (self->stack, "card");
}

static void
issue_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (self->card == NULL)
    return;
  id = g_strdup (self->card->id);
  if (!pfdo_certificate_issue (self->store, id, NULL, &number, &error))
    {
      pfdo_ui_toast (widget, error->message);
      return;
    }
  text = g_strdup_printf (_("Certificate %s is issued."), number);
  pfdo_ui_toast (widget, text);
  show_card_later (self, id);
}

static void
activate_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  if (self->card == NULL || self->card->certificate_id == NULL)
    return;
  id = g_strdup (self->card->id);
  if (!pfdo_certificate_activate (self->store, self->card->certificate_id, &error))
    {
      pfdo_ui_toast (widget, error->message);
      return;
    }
  pfdo_ui_toast (widget, _("The certificate is activated: the family can choose programs."));
  show_card_later (self, id);
}

/* The catalog, showing what this child's age allows. */
static void
fit_catalog_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate birth, today;

  g_date_clear (&birth, 1);
  g_date_clear (&today, 1);
  if (self->card == NULL || !pfdo_date_parse (self->card->birth_date, &birth, NULL))
    return;
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  gtk_widget_activate_action (widget, "win.fit-catalog", "i", pfdo_age_on (&birth, &today));
}

static void
copy_number_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);

  if (self->card == NULL || self->card->certificate_number == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->card->certificate_number);
  pfdo_ui_toast (widget, _("The certificate number is copied."));
}

/* One page for the family: whose certificate, and its number. */
static void
draw_number_page_cb (GtkPrintOperation    *operation,
                     GtkPrintContext      *context,
                     int                   page,
                     PfdoVerificationView *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);

  pango_layout_set_width (layout, (int) (gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_markup (layout, g_object_get_data (G_OBJECT (operation), "text"), -1);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
print_number_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *text = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->card == NULL || self->card->certificate_number == NULL)
    return;
  name = full_name (self->card->last_name, self->card->first_name, self->card->middle_name);
  birth = pfdo_ui_format_date (self->card->birth_date);
  text = g_markup_printf_escaped ("<span size='x-large' weight='bold'>%s</span>\n\n%s\n%s: %s\n\n"
                                  "%s:\n<span size='xx-large' weight='bold'>%s</span>\n",
                                  _("Certificate of Additional Education"), name, _("Birth date"),
                                  birth, _("Certificate number"),
                                  self->card->certificate_number);
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, _("Certificate number"));
  g_object_set_data_full (G_OBJECT (operation), "text", g_steal_pointer (&text), g_free);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_number_page_cb), self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    pfdo_ui_toast (widget, error->message);
}

/* GObject */

static void
pfdo_verification_view_dispose (GObject *object)
{
  PfdoVerificationView *self = PFDO_VERIFICATION_VIEW (object);

  if (self->reject_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reject_dialog));
  g_clear_handle_id (&self->later_idle, g_source_remove);
  g_clear_pointer (&self->later_card, g_free);
  forget_card (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PFDO_TYPE_VERIFICATION_VIEW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pfdo_verification_view_parent_class)->dispose (object);
}

static void
pfdo_verification_view_class_init (PfdoVerificationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pfdo_verification_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/pfdo/Desk/pfdo-verification-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, stack);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, list_title);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, results);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, card_box);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, card_scroller);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, back_button);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_last_name);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_first_name);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_middle_name);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_birth_date);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_sex);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_snils);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_document_type);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView,
                                        edit_document_series);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView,
                                        edit_document_number);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_address);
  gtk_widget_class_bind_template_child (widget_class, PfdoVerificationView, edit_error);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "verification.back", NULL, back_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.open-child", "s",
                                   open_child_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.confirm", NULL, confirm_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.reject", NULL, reject_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.correct", NULL, correct_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.save-correction", NULL,
                                   save_correction_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.issue", NULL, issue_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.activate", NULL,
                                   activate_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.copy-number", NULL,
                                   copy_number_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.fit-catalog", NULL,
                                   fit_catalog_action_cb);
  gtk_widget_class_install_action (widget_class, "verification.print-number", NULL,
                                   print_number_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "verification.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "verification.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "verification.save-correction", NULL);
}

static void
pfdo_verification_view_init (PfdoVerificationView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

void
pfdo_verification_view_set_store (PfdoVerificationView *self,
                                  PfdoStore            *store)
{
  g_return_if_fail (PFDO_IS_VERIFICATION_VIEW (self));
  g_return_if_fail (store == NULL || PFDO_IS_STORE (store));

  g_set_object (&self->store, store);
  pfdo_verification_view_reload (self);
}

/* Reads the store again: a sync brought changes, or the operator changed. */
void
pfdo_verification_view_reload (PfdoVerificationView *self)
{
  g_return_if_fail (PFDO_IS_VERIFICATION_VIEW (self));

  if (self->store == NULL)
    return;
  load_list (self);
  if (self->card != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "card") == 0)
    {
      g_autofree char *id = g_strdup (self->card->id);

      show_card (self, id);
    }
}

void
pfdo_verification_view_focus_search (PfdoVerificationView *self)
{
  g_return_if_fail (PFDO_IS_VERIFICATION_VIEW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") != 0)
    {
      forget_card (self);
      update_actions (self);
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * pfdo_verification_view_open_child:
 *
 * Shows @child_id's card, as if the clerk had found and opened it.
 */
void
pfdo_verification_view_open_child (PfdoVerificationView *self,
                                   const char           *child_id)
{
  g_return_if_fail (PFDO_IS_VERIFICATION_VIEW (self));
  g_return_if_fail (child_id != NULL);

  open_card (self, child_id);
}
