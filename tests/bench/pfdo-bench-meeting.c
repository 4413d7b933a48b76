/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A parent meeting on a full region: families saved one after another as
 * the meeting view saves them (one transaction each, with the twin checks
 * and certificate numbers), and the form's draft kept at every key.
 *
 *   pfdo-bench-meeting --store FILE [--families N]
 *
 * Prints save_family_ms_median/_p99 and draft_keystroke_ms_p99.
 */
#include "config.h"

#include <locale.h>

#include "pfdo-bench-common.h"
#include "pfdo-meeting.h"
#include "pfdo-validate.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *store_path = NULL;
  int n_families = 300;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "A seeded region", "FILE" },
    { "families", 0, 0, G_OPTION_ARG_INT, &n_families, "Families to register", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PfdoStore) store = NULL;
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(PfdoMeetingSession) session = NULL;
  g_autoptr(GArray) saves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) drafts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || store_path == NULL)
    {
      g_printerr ("usage: pfdo-bench-meeting --store FILE [--families N]\n");
      return 2;
    }

  store = pfdo_store_open (store_path, &error);
  if (store == NULL || !pfdo_store_set_operator_login (store, "sidorova", &error))
    {
      g_printerr ("pfdo-bench-meeting: %s\n", error->message);
      return 1;
    }
  offices = pfdo_meeting_offices (store, &error);
  if (offices == NULL || offices->len == 0)
    {
      g_printerr ("pfdo-bench-meeting: no school to meet at\n");
      return 1;
    }
  session = pfdo_meeting_start (store, ((PfdoMeetingOffice *) g_ptr_array_index (offices, 0))->id,
                                "5А", &error);
  if (session == NULL)
    {
      g_printerr ("pfdo-bench-meeting: %s\n", error->message);
      return 1;
    }

  for (int f = 0; f < n_families; f++)
    {
      g_autoptr(GDateTime) born = g_date_time_add_days (today, -(6 * 365 + (f * 37) % 3000));
      g_autofree char *birth = g_date_time_format (born, "%d.%m.%Y");
      g_autofree char *document = g_strdup_printf ("%06d", 600000 + f);
      g_autofree char *phone = g_strdup_printf ("+7917%07d", 1000000 + f);
      char snils[12];
      g_autoptr(GString) draft = g_string_new ("{\"parent\":{\"last_name\":\"");
      g_autoptr(PfdoFamilyResult) result = NULL;
      PfdoChildInput child;
      PfdoFamilyInput family;
      double start;

      g_snprintf (snils, 10, "%09d", 900000000 + f * 7);
      g_snprintf (snils + 9, 3, "%02u", pfdo_snils_checksum (snils));
      child = (PfdoChildInput) {
        .last_name = "Бенчмаркова",
        .first_name = f % 2 == 0 ? "Софья" : "Мирон",
        .middle_name = f % 2 == 0 ? "Андреевна" : "Андреевич",
        .birth_date = birth,
        .sex = f % 2 == 0 ? "f" : "m",
        .snils = snils,
        .document_type = "birth_certificate",
        .document_series = "II-ДН",
        .document_number = document,
      };
      family = (PfdoFamilyInput) {
        .parent = { .last_name = "Бенчмаркова", .first_name = "Ольга", .phone = phone },
        .children = &child,
        .n_children = 1,
        .issue_certificates = TRUE,
        /* Same surname, name and birth date happen: not this benchmark's concern. */
        .allow_duplicates = TRUE,
      };

      /* The draft at every key of the parent's surname. */
      for (const char *p = "Бенчмаркова"; *p != '\0'; p = g_utf8_next_char (p))
        {
          g_autofree char *json = NULL;

          g_string_append_len (draft, p, g_utf8_next_char (p) - p);
          json = g_strconcat (draft->str, "\"}}", NULL);
          start = now_ms ();
          if (!pfdo_meeting_save_draft (store, session->id, json, &error))
            {
              g_printerr ("pfdo-bench-meeting: %s\n", error->message);
              return 1;
            }
          g_array_append_val (drafts, (double) { now_ms () - start });
        }

      start = now_ms ();
      result = pfdo_meeting_save_family (store, session->id, &family, NULL, &error);
      if (result == NULL)
        {
          g_printerr ("pfdo-bench-meeting: family %d: %s\n", f, error->message);
          return 1;
        }
      g_array_append_val (saves, (double) { now_ms () - start });
    }

  g_print ("save_family_ms_median: %.3f ms\n", pfdo_bench_percentile (saves, 0.5));
  g_print ("save_family_ms_p99: %.3f ms\n", pfdo_bench_percentile (saves, 0.99));
  g_print ("draft_keystroke_ms_p99: %.3f ms\n", pfdo_bench_percentile (drafts, 0.99));
  return 0;
}
