/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The family's memo as a parent gets it: the PDF is read back with
 * pdftotext (poppler-utils) and its QR code decoded from a 150 dpi picture
 * of the page with zbarimg (zbar-tools), the way a phone's camera would.
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>
#include <sys/stat.h>

#include "pfdo-memo-private.h"

#define IDN_URL   "https://р52.навигатор.дети/"
#define ASCII_URL "https://booking.pfdo.example/navigator?municipality=52"

static const PfdoMemoChild smirnov_children[] = {
  { "Смирнов", "Пётр", "Александрович", "2016-03-01", "0000123456" },
  { "Смирнова", "Анна", NULL, "2013-11-20", "5202004417" },
};

static const PfdoMemoChild kuznetsova_children[] = {
  { "Кузнецов", "Илья", "Олегович", "2012-07-15", "5202009031" },
};

static const PfdoMemoFamily smirnov = {
  "Смирнова", "Мария", "Викторовна", smirnov_children, G_N_ELEMENTS (smirnov_children),
};

static const PfdoMemoFamily kuznetsova = {
  "Кузнецова", "Ольга", "Игоревна", kuznetsova_children, G_N_ELEMENTS (kuznetsova_children),
};

static const PfdoMemoSettings idn_settings = {
  IDN_URL,
  "МОЦ Богородского муниципального округа",
  "+78317044123",
  "г. Богородск, ул. Ленина, д. 206, каб. 12",
  "пн–пт 9:00–17:00, обед 12:00–13:00",
};

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("pfdo-memo-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* The memo's English source strings, or Russian. The environment must not
 * change once threads run (Pango starts some), so this is called first
 * thing in a process. */
static void
use_language (const char *language)
{
  const char *localedir = g_getenv ("PFDO_LOCALEDIR");

  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
  /* The domain is bound but not made the default: GLib then translates
   * whatever LANGUAGE says, even for a program that starts in English. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

/* The tools are in the CI's packages (poppler-utils, zbar-tools); on a
 * machine without them the test says so instead of failing. */
static gboolean
have_tools (void)
{
  const char *tools[] = { "pdftotext", "pdftoppm", "pdfinfo", "zbarimg" };

  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *message = g_strdup_printf ("%s is missing: install poppler-utils "
                                                      "and zbar-tools", tools[i]);

          g_test_skip (message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Runs a tool and returns what it printed; @out_ok tells whether it
 * exited with 0. */
static char *
run (const char * const *argv,
     gboolean           *out_ok)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  *out_ok = g_spawn_check_wait_status (status, NULL);
  return out;
}

/* The text of one page, with every run of white space as one space:
 * where a line wraps is no concern of the test. */
static char *
page_text (const char *pdf,
           guint       page)
{
  g_autofree char *number = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-f", number, "-l", number, pdf, "-",
                         NULL };
  gboolean ok;
  g_autofree char *text = run (argv, &ok);
  g_auto(GStrv) words = NULL;

  g_assert_true (ok);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  words = g_strsplit_set (g_strstrip (text), " \t\r\n\f", -1);
  {
    GString *out = g_string_new (NULL);

    for (guint i = 0; words[i] != NULL; i++)
      {
        if (*words[i] == '\0')
          continue;
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, words[i]);
      }
    return g_string_free (out, FALSE);
  }
}

static guint
page_count (const char *pdf)
{
  const char *argv[] = { "pdfinfo", pdf, NULL };
  gboolean ok;
  g_autofree char *info = run (argv, &ok);
  const char *line;
  guint pages = 0;

  g_assert_true (ok);
  line = strstr (info, "\nPages:");
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "\nPages: %u", &pages), ==, 1);
  return pages;
}

/* What a phone reads from the page printed at 150 dpi: the QR code's text,
 * or NULL if there is no code to read. */
static char *
decode_qr (const char *pdf,
           guint       page,
           const char *dir)
{
  g_autofree char *number = g_strdup_printf ("%u", page);
  g_autofree char *root = g_build_filename (dir, "page", NULL);
  g_autofree char *png = g_strconcat (root, ".png", NULL);
  const char *render[] = { "pdftoppm", "-r", "150", "-png", "-singlefile", "-f", number,
                           "-l", number, pdf, root, NULL };
  const char *scan[] = { "zbarimg", "--raw", "-q", png, NULL };
  g_autofree char *ignored = NULL;
  g_autofree char *decoded = NULL;
  gboolean ok;

  ignored = run (render, &ok);
  g_assert_true (ok);
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  decoded = run (scan, &ok);
  g_unlink (png);
  /* zbarimg exits with 4 when it finds no code. */
  if (!ok)
    return NULL;
  g_assert_true (g_str_has_suffix (decoded, "\n"));
  decoded[strlen (decoded) - 1] = '\0';
  return g_steal_pointer (&decoded);
}

static char *
write_memos (Fixture                      *fixture,
             const char                   *name,
             const PfdoMemoFamily * const *families,
             guint                         n_families,
             const PfdoMemoSettings       *settings)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (pfdo_memo_write_pdf (path, families, n_families, settings, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  return g_steal_pointer (&path);
}

static void
assert_contains (const char *text,
                 const char *wanted)
{
  if (strstr (text, wanted) == NULL)
    g_error ("“%s” is not in the memo: %s", wanted, text);
}

static void
assert_lacks (const char *text,
              const char *unwanted)
{
  if (strstr (text, unwanted) != NULL)
    g_error ("“%s” should not be in the memo: %s", unwanted, text);
}

static void
assert_family_page (const char           *text,
                    const PfdoMemoFamily *family,
                    const PfdoMemoFamily *other)
{
  assert_contains (text, family->parent_last_name);
  for (guint i = 0; i < family->n_children; i++)
    {
      assert_contains (text, family->children[i].first_name);
      /* One unbroken string of digits, leading zeros and all. */
      assert_contains (text, family->children[i].certificate_number);
    }
  for (guint i = 0; i < other->n_children; i++)
    assert_lacks (text, other->children[i].certificate_number);
  assert_lacks (text, other->parent_first_name);
}

static void
test_pdf_text (Fixture       *fixture,
               gconstpointer  data)
{
  const PfdoMemoFamily *families[] = { &smirnov, &kuznetsova };
  g_autofree char *pdf = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  if (!have_tools ())
    return;

  pdf = write_memos (fixture, "memos.pdf", families, G_N_ELEMENTS (families), &idn_settings);
  g_assert_cmpuint (page_count (pdf), ==, 2);

  for (guint page = 1; page <= 2; page++)
    {
      g_autofree char *text = page_text (pdf, page);

      assert_family_page (text, families[page - 1], families[2 - page]);
      assert_contains (text, "Memo on the certificate of additional education");
      assert_contains (text, "Accounting certificate");
      assert_contains (text, "Personified financing certificate");
      /* The steps, in their order. */
      assert_contains (text, "1. Sign in to the regional Navigator");
      assert_contains (text, IDN_URL);
      assert_contains (text, "2. In your personal account, find your child by the certificate "
                             "number");
      assert_contains (text, "3. Bring the documents to the support centre");
      assert_contains (text, "birth certificate or passport");
      assert_contains (text, "SNILS");
      assert_contains (text, "identity document");
      assert_contains (text, "4. Choose a program");
      g_assert_true (strstr (text, "1. Sign in") < strstr (text, "2. In your") &&
                     strstr (text, "2. In your") < strstr (text, "3. Bring") &&
                     strstr (text, "3. Bring") < strstr (text, "4. Choose"));
      /* Where and when to bring them. */
      assert_contains (text, idn_settings.moc_name);
      assert_contains (text, idn_settings.moc_address);
      assert_contains (text, "+7 831 704-41-23");
      assert_contains (text, idn_settings.moc_hours);
    }
  first = page_text (pdf, 1);
  second = page_text (pdf, 2);
  assert_contains (first, "Your children");
  assert_contains (second, "Your child");
  assert_lacks (second, "Your children");
}

static void
test_qr_idn (Fixture       *fixture,
             gconstpointer  data)
{
  const PfdoMemoFamily *families[] = { &smirnov, &kuznetsova };
  g_autofree char *pdf = NULL;

  if (!have_tools ())
    return;

  pdf = write_memos (fixture, "memos.pdf", families, G_N_ELEMENTS (families), &idn_settings);
  /* The address exactly as configured, Cyrillic letters in UTF-8, on every
   * page. */
  for (guint page = 1; page <= 2; page++)
    {
      g_autofree char *decoded = decode_qr (pdf, page, fixture->dir);

      g_assert_cmpstr (decoded, ==, IDN_URL);
    }
}

static void
test_qr_ascii (Fixture       *fixture,
               gconstpointer  data)
{
  const PfdoMemoFamily *families[] = { &kuznetsova };
  PfdoMemoSettings settings = idn_settings;
  g_autofree char *pdf = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *text = NULL;

  if (!have_tools ())
    return;

  settings.navigator_url = ASCII_URL;
  pdf = write_memos (fixture, "memo.pdf", families, 1, &settings);
  decoded = decode_qr (pdf, 1, fixture->dir);
  g_assert_cmpstr (decoded, ==, ASCII_URL);
  text = page_text (pdf, 1);
  assert_contains (text, ASCII_URL);
}

/* A child whose number is not issued yet, and a desk whose Navigator is
 * not set: the memo says so and shows no code rather than a wrong one. */
static void
test_missing_data (Fixture       *fixture,
                   gconstpointer  data)
{
  const PfdoMemoChild children[] = {
    { "Орлова", "Вера", NULL, NULL, NULL },
  };
  const PfdoMemoFamily family = { "Орлов", "Денис", NULL, children, 1 };
  const PfdoMemoFamily *families[] = { &family };
  PfdoMemoSettings settings = { NULL, NULL, "+78317044123", NULL, NULL };
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *decoded = NULL;

  if (!have_tools ())
    return;

  pdf = write_memos (fixture, "memo.pdf", families, 1, &settings);
  text = page_text (pdf, 1);
  assert_contains (text, "Орлова Вера");
  assert_contains (text, "No certificate number has been issued yet; the support centre will "
                         "give it to you.");
  assert_contains (text, "The support centre will tell you its address");
  assert_contains (text, "Questions? Call +7 831 704-41-23.");
  assert_lacks (text, "Address:");
  assert_lacks (text, "Hours:");
  assert_lacks (text, "https://");
  decoded = decode_qr (pdf, 1, fixture->dir);
  g_assert_null (decoded);
}

#define TITLE "Memo on the certificate of additional education"

/* In a child process: succeeds if po/ru.po translates the memo. */
static void
probe_russian (void)
{
  if (!g_test_subprocess ())
    {
      g_test_skip ("/memo/pdf/russian runs this in a child process");
      return;
    }
  use_language ("ru");
  if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, TITLE), TITLE) == 0)
    g_test_fail ();
}

/* Memos printed at the desk are read by Russian parents. In a child
 * process of its own, which starts in Russian. */
static void
test_pdf_russian (Fixture       *fixture,
                  gconstpointer  data)
{
  const PfdoMemoFamily *families[] = { &smirnov };
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;

  if (!g_test_subprocess ())
    {
      if (!have_tools ())
        return;
      g_test_trap_subprocess ("/memo/probe/russian", 0, G_TEST_SUBPROCESS_DEFAULT);
      if (!g_test_trap_has_passed ())
        {
          g_test_skip ("po/ru.po does not translate the memo yet");
          return;
        }
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  use_language ("ru");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, TITLE), !=, TITLE);
  pdf = write_memos (fixture, "memo.pdf", families, 1, &idn_settings);
  text = page_text (pdf, 1);
  assert_family_page (text, &smirnov, &kuznetsova);
  assert_contains (text, "Памятка о сертификате дополнительного образования");
  assert_contains (text, "Сертификат учёта");
  assert_contains (text, "Сертификат персонифицированного финансирования");
  assert_contains (text, "1. Войдите в региональный Навигатор");
  assert_contains (text, "2. В личном кабинете найдите ребёнка по номеру сертификата");
  assert_contains (text, "3. Принесите документы");
  assert_contains (text, "СНИЛС ребёнка");
  assert_contains (text, "4. Выберите программу");
  assert_contains (text, "дата рождения: 01.03.2016");
  assert_lacks (text, "Sign in");

  /* Russian is longer than English: four children still fit, readably. */
  {
    const PfdoMemoChild four[] = {
      smirnov_children[0], smirnov_children[1], smirnov_children[0], smirnov_children[1],
    };
    const PfdoMemoFamily family = { "Смирнова", "Мария", "Викторовна", four, 4 };
    cairo_surface_t *surface = cairo_pdf_surface_create (NULL, PFDO_MEMO_A4_WIDTH,
                                                         PFDO_MEMO_A4_HEIGHT);
    cairo_t *cr = cairo_create (surface);
    PfdoMemoFit fit = pfdo_memo_measure (cr, PFDO_MEMO_A4_WIDTH, PFDO_MEMO_A4_HEIGHT, &family,
                                         &idn_settings);

    g_test_message ("four children in Russian: scale %.2f", fit.scale);
    g_assert_cmpfloat (fit.bottom, <=, fit.limit);
    g_assert_cmpfloat (fit.scale, >=, 0.8);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
}

static char *
repeat (const char *text,
        guint       times)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (out, text);
  return g_string_free (out, FALSE);
}

static void
test_fits (Fixture       *fixture,
           gconstpointer  data)
{
  /* Four children with the longest names the desk accepts (60 letters a
   * part, of the widest letter) and every setting long. */
  g_autofree char *long_part = repeat ("Ш", 60);
  g_autofree char *hours = repeat ("понедельник–пятница с 9:00 до 17:00, ", 6);
  PfdoMemoChild children[4];
  PfdoMemoFamily family = { "Константинопольская", "Александра", "Вячеславовна", children, 4 };
  PfdoMemoSettings settings = idn_settings;
  cairo_surface_t *surface = cairo_pdf_surface_create (NULL, PFDO_MEMO_A4_WIDTH,
                                                       PFDO_MEMO_A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  PfdoMemoFit fit;

  /* An ordinary family fits at full size. */
  fit = pfdo_memo_measure (cr, PFDO_MEMO_A4_WIDTH, PFDO_MEMO_A4_HEIGHT, &smirnov, &idn_settings);
  g_assert_cmpfloat (fit.scale, ==, 1.0);
  g_assert_cmpfloat (fit.bottom, <=, fit.limit);
  g_assert_cmpfloat (fit.bottom, >, PFDO_MEMO_A4_HEIGHT / 2);

  for (guint i = 0; i < 4; i++)
    children[i] = (PfdoMemoChild) { long_part, long_part, long_part, "2010-01-01", "5202000000" };
  settings.moc_hours = hours;
  settings.moc_address = "Нижегородская область, Богородский муниципальный округ, город "
                         "Богородск, улица Ленина, дом 206, второй этаж, кабинет 12";

  fit = pfdo_memo_measure (cr, PFDO_MEMO_A4_WIDTH, PFDO_MEMO_A4_HEIGHT, &family, &settings);
  g_test_message ("four long children: scale %.2f, bottom %.0f of %.0f", fit.scale, fit.bottom,
                  fit.limit);
  g_assert_cmpfloat (fit.bottom, <=, fit.limit);
  /* 10 pt text shrinks to no less than 7 pt. */
  g_assert_cmpfloat (fit.scale, >=, 0.7);

  /* Each ordinary family of up to four children fits without shrinking
   * much. */
  for (guint i = 0; i < 4; i++)
    children[i] = (PfdoMemoChild) { "Смирнов", "Константин", "Александрович", "2010-01-01",
                                    "5202000000" };
  fit = pfdo_memo_measure (cr, PFDO_MEMO_A4_WIDTH, PFDO_MEMO_A4_HEIGHT, &family, &idn_settings);
  g_test_message ("four children: scale %.2f, bottom %.0f of %.0f", fit.scale, fit.bottom,
                  fit.limit);
  g_assert_cmpfloat (fit.bottom, <=, fit.limit);
  g_assert_cmpfloat (fit.scale, >=, 0.9);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_write_atomic (Fixture       *fixture,
                   gconstpointer  data)
{
  const PfdoMemoFamily *families[] = { &smirnov };
  g_autofree char *path = g_build_filename (fixture->dir, "memo.pdf", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->dir, "missing", "memo.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;

  /* A folder that does not exist: an error, and nothing written. */
  g_assert_false (pfdo_memo_write_pdf (nowhere, families, 1, &idn_settings, &error));
  g_assert_error (error, PFDO_PRINT_ERROR, PFDO_PRINT_ERROR_IO);
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* An old file is replaced whole, and no temporary file is left. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (pfdo_memo_write_pdf (path, families, 1, &idn_settings, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  dir = g_dir_open (fixture->dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "memo.pdf");
  g_assert_null (g_dir_read_name (dir));

  /* Children's names: the owner's eyes only. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

int
main (int   argc,
      char *argv[])
{
  /* The English source strings, whatever the caller's LANGUAGE; the
   * Russian test starts a process of its own. */
  use_language ("C");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/memo/pdf/text", Fixture, NULL, fixture_set_up, test_pdf_text, fixture_tear_down);
  g_test_add ("/memo/pdf/qr-idn", Fixture, NULL, fixture_set_up, test_qr_idn, fixture_tear_down);
  g_test_add ("/memo/pdf/qr-ascii", Fixture, NULL, fixture_set_up, test_qr_ascii,
              fixture_tear_down);
  g_test_add ("/memo/pdf/missing-data", Fixture, NULL, fixture_set_up, test_missing_data,
              fixture_tear_down);
  g_test_add ("/memo/pdf/russian", Fixture, NULL, fixture_set_up, test_pdf_russian,
              fixture_tear_down);
  g_test_add ("/memo/fits", Fixture, NULL, fixture_set_up, test_fits, fixture_tear_down);
  g_test_add ("/memo/pdf/atomic", Fixture, NULL, fixture_set_up, test_write_atomic,
              fixture_tear_down);
  g_test_add_func ("/memo/probe/russian", probe_russian);

  return g_test_run ();
}
