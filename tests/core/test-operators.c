/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pfdo-error.h"
#include "pfdo-operators.h"
#include "pfdo-test-fixture.h"

typedef PfdoTestFixture Fixture;

/* Offline sign-in: only with the password the server accepted last. */
static void
test_offline_sign_in (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  pfdo_test_as (fixture, NULL);

  /* Never signed in online: refused, and it says what to do. */
  g_assert_false (pfdo_operator_sign_in (fixture->store, "clerk", "пароль-1", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_assert_true (pfdo_operator_keep_password (fixture->store, "clerk", "пароль-1", &error));
  g_assert_no_error (error);
  /* Only a slow salted hash is kept, never the password. */
  hash = pfdo_test_text (fixture, "SELECT password_hash FROM operator WHERE login = ?", "clerk");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "пароль-1"));

  g_assert_false (pfdo_operator_sign_in (fixture->store, "clerk", "пароль-2", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_FORBIDDEN);
  g_assert_null (pfdo_store_get_operator_id (fixture->store));
  g_clear_error (&error);
  g_assert_false (pfdo_operator_sign_in (fixture->store, "nobody", "пароль-1", &error));
  g_assert_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (pfdo_operator_sign_in (fixture->store, "clerk", "пароль-1", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pfdo_store_get_operator_id (fixture->store), ==, "op-clerk");
  g_assert_cmpint (pfdo_store_get_operator_role (fixture->store), ==, PFDO_ROLE_MOC_CLERK);
  name = pfdo_operator_dup_full_name (fixture->store, "op-clerk");
  g_assert_cmpstr (name, ==, "Специалист");

  /* A wrong password later signs the clerk out rather than leaving the
   * desk open. */
  g_assert_false (pfdo_operator_sign_in (fixture->store, "clerk", "не-тот", &error));
  g_assert_null (pfdo_store_get_operator_id (fixture->store));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/operators/offline-sign-in", Fixture, NULL, pfdo_test_fixture_set_up,
              test_offline_sign_in, pfdo_test_fixture_tear_down);

  return g_test_run ();
}
