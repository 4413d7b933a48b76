/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-server"

#include "config.h"

#include <string.h>

#include "pfdo-certificates.h"
#include "pfdo-children.h"
#include "pfdo-enrollments.h"
#include "pfdo-error.h"
#include "pfdo-json.h"
#include "pfdo-server-ops.h"

/*
 * The server checks every operation itself with the same domain core the
 * desk uses, as the pushing operator. Every op_id is kept with its first
 * result in op_log, so a replay from any desk, any number of times, is
 * answered "duplicate" with that result and changes nothing.
 */

static const char ops_schema[] =
  "CREATE TABLE IF NOT EXISTS op_log ("
  "  op_id       TEXT PRIMARY KEY NOT NULL,"
  "  type        TEXT NOT NULL,"
  "  operator_id TEXT NOT NULL,"
  "  device_id   TEXT,"
  "  status      TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),"
  "  code        TEXT,"
  "  detail      TEXT,"
  "  seq         INTEGER,"
  "  received_at TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')),"
  "  relayed_by  TEXT"   /* the operator who pushed it for its origin (bundles) */
  ");";

gboolean
pfdo_server_ops_install (PfdoStore  *store,
                         GError    **error)
{
  gint64 relayed;

  if (!pfdo_store_exec (store, ops_schema, error))
    return FALSE;
  /* A store made before relayed operations. */
  relayed = pfdo_store_query_int (store,
                                  "SELECT count(*) FROM pragma_table_info ('op_log') "
                                  "WHERE name = ?",
                                  "relayed_by", error);
  if (relayed < 0)
    return FALSE;
  return relayed > 0 || pfdo_store_exec (store, "ALTER TABLE op_log ADD COLUMN relayed_by TEXT",
                                         error);
}

typedef struct
{
  const char *op_id;
  const char *type;
  JsonObject *payload;
  const char *operator_id;
  const char *device_id;
  const char *relayed_by;
  char       *field;
} Op;

static gboolean
missing (Op          *op,
         const char  *field,
         GError     **error)
{
  g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
               "%s is missing or of the wrong type", field);
  g_free (op->field);
  op->field = g_strdup (field);
  return FALSE;
}

static void
read_child (JsonObject     *object,
            PfdoChildInput *child)
{
  JsonObject *document = pfdo_json_get_object (object, "document");

  child->id = pfdo_json_get_string (object, "id");
  child->last_name = pfdo_json_get_string (object, "last_name");
  child->first_name = pfdo_json_get_string (object, "first_name");
  child->middle_name = pfdo_json_get_string (object, "middle_name");
  child->birth_date = pfdo_json_get_string (object, "birth_date");
  child->sex = pfdo_json_get_string (object, "sex");
  child->snils = pfdo_json_get_string (object, "snils");
  child->address = pfdo_json_get_string (object, "address");
  child->document_type = pfdo_json_get_string (document, "type");
  child->document_series = pfdo_json_get_string (document, "series");
  child->document_number = pfdo_json_get_string (document, "number");
}

static gboolean
apply_family_register (PfdoStore  *store,
                       Op         *op,
                       GError    **error)
{
  JsonObject *parent = pfdo_json_get_object (op->payload, "parent");
  JsonNode *children_node = json_object_get_member (op->payload, "children");
  JsonArray *children;
  g_autofree PfdoChildInput *inputs = NULL;
  g_autoptr(PfdoFamilyResult) result = NULL;
  PfdoFamilyInput family = { { 0 } };
  guint n;

  if (parent == NULL || pfdo_json_get_string (parent, "id") == NULL)
    return missing (op, "parent.id", error);
  if (children_node == NULL || !JSON_NODE_HOLDS_ARRAY (children_node))
    return missing (op, "children", error);
  children = json_node_get_array (children_node);
  n = json_array_get_length (children);
  inputs = g_new0 (PfdoChildInput, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (children, i);
      g_autofree char *field = g_strdup_printf ("children[%u].id", i);

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          pfdo_json_get_string (json_node_get_object (node), "id") == NULL)
        return missing (op, field, error);
      read_child (json_node_get_object (node), &inputs[i]);
    }

  family.parent.id = pfdo_json_get_string (parent, "id");
  family.parent.last_name = pfdo_json_get_string (parent, "last_name");
  family.parent.first_name = pfdo_json_get_string (parent, "first_name");
  family.parent.middle_name = pfdo_json_get_string (parent, "middle_name");
  family.parent.phone = pfdo_json_get_string (parent, "phone");
  family.parent.email = pfdo_json_get_string (parent, "email");
  family.children = inputs;
  family.n_children = n;
  /* The server refuses twins; a desk that saved one on purpose is told
   * which child stands already. */
  family.allow_duplicates = FALSE;

  result = pfdo_family_register (store, &family, &op->field, error);
  return result != NULL;
}

static PfdoDocuments
read_documents (JsonObject *payload)
{
  JsonNode *node = json_object_get_member (payload, "documents");
  PfdoDocuments seen = 0;
  JsonArray *list;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  list = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      const char *name = json_array_get_string_element (list, i);

      if (name == NULL)
        continue;
      if (g_str_equal (name, "birth_certificate") || g_str_equal (name, "passport"))
        seen |= PFDO_DOCUMENT_CHILD_IDENTITY;
      else if (g_str_equal (name, "snils"))
        seen |= PFDO_DOCUMENT_SNILS;
      else if (g_str_equal (name, "parent_passport"))
        seen |= PFDO_DOCUMENT_PARENT_IDENTITY;
    }
  return seen;
}

static gboolean
apply_child_verify (PfdoStore  *store,
                    Op         *op,
                    GError    **error)
{
  const char *child_id = pfdo_json_get_string (op->payload, "child_id");
  const char *decision = pfdo_json_get_string (op->payload, "decision");
  GError *local_error = NULL;
  gboolean verify;

  if (child_id == NULL)
    return missing (op, "child_id", error);
  if (g_strcmp0 (decision, "verified") != 0 && g_strcmp0 (decision, "rejected") != 0)
    return missing (op, "decision", error);
  verify = g_str_equal (decision, "verified");

  if (verify ? pfdo_child_verify (store, child_id, read_documents (op->payload), TRUE, &local_error)
             : pfdo_child_reject (store, child_id, pfdo_json_get_string (op->payload, "reason"),
                                  &local_error))
    return TRUE;

  /* The same decision again is applied; another one is already_decided. */
  if (g_error_matches (local_error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED) ||
      g_error_matches (local_error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_DECIDED))
    {
      gboolean stands_verified =
        g_error_matches (local_error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_VERIFIED);

      g_clear_error (&local_error);
      if (stands_verified == verify)
        return TRUE;
      g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_ALREADY_DECIDED,
                   "Another decision on this child stands (%s)",
                   stands_verified ? "verified" : "rejected");
      return FALSE;
    }
  g_propagate_error (error, local_error);
  return FALSE;
}

static gboolean
apply_certificate_change (PfdoStore  *store,
                          Op         *op,
                          GError    **error)
{
  const char *id = pfdo_json_get_string (op->payload, "certificate_id");
  const char *reason = pfdo_json_get_string (op->payload, "reason");

  if (id == NULL)
    return missing (op, "certificate_id", error);

  if (g_str_equal (op->type, "certificate.activate"))
    return pfdo_certificate_activate (store, id, error);
  if (g_str_equal (op->type, "certificate.convert"))
    {
      const char *to = pfdo_json_get_string (op->payload, "to");

      if (to == NULL)
        return missing (op, "to", error);
      return pfdo_certificate_convert (store, id, to, error);
    }
  if (g_str_equal (op->type, "certificate.freeze"))
    return pfdo_certificate_freeze (store, id, reason, error);
  if (g_str_equal (op->type, "certificate.unfreeze"))
    return pfdo_certificate_unfreeze (store, id, reason, error);
  return pfdo_certificate_close (store, id, reason, error);
}

static gboolean
apply_certificate_issue (PfdoStore  *store,
                         Op         *op,
                         GError    **error)
{
  const char *id = pfdo_json_get_string (op->payload, "certificate_id");
  const char *child_id = pfdo_json_get_string (op->payload, "child_id");
  const char *number = pfdo_json_get_string (op->payload, "number");

  if (id == NULL)
    return missing (op, "certificate_id", error);
  if (child_id == NULL)
    return missing (op, "child_id", error);
  if (number == NULL)
    return missing (op, "number", error);
  /* The number must come from a block leased to the pushing desk. */
  return pfdo_certificate_issue_numbered (store, id, child_id, number, op->device_id, error);
}

static gboolean
apply_enrollment_create (PfdoStore  *store,
                         Op         *op,
                         GError    **error)
{
  const char *id = pfdo_json_get_string (op->payload, "enrollment_id");
  const char *certificate_id = pfdo_json_get_string (op->payload, "certificate_id");
  const char *group_id = pfdo_json_get_string (op->payload, "group_id");
  gint64 months = 0;

  if (id == NULL)
    return missing (op, "enrollment_id", error);
  if (certificate_id == NULL)
    return missing (op, "certificate_id", error);
  if (group_id == NULL)
    return missing (op, "group_id", error);
  if (!pfdo_json_get_int (op->payload, "months", &months) || months < 1 || months > 12)
    return missing (op, "months", error);
  /* The monthly cost is the program's, as the server knows it; the desk's
   * figure is not trusted. */
  return pfdo_enrollment_create_with_id (store, id, certificate_id, group_id,
                                         (guint) months, error);
}

static gboolean
apply_child_correct (PfdoStore  *store,
                     Op         *op,
                     GError    **error)
{
  const char *child_id = pfdo_json_get_string (op->payload, "child_id");
  JsonObject *fields = pfdo_json_get_object (op->payload, "fields");
  PfdoChildInput input = { 0 };

  if (child_id == NULL)
    return missing (op, "child_id", error);
  if (fields == NULL)
    return missing (op, "fields", error);
  read_child (fields, &input);
  input.id = child_id;
  return pfdo_child_correct (store, child_id, &input, &op->field, error);
}

static gboolean
apply_enrollment_cancel (PfdoStore  *store,
                         Op         *op,
                         GError    **error)
{
  const char *id = pfdo_json_get_string (op->payload, "enrollment_id");

  if (id == NULL)
    return missing (op, "enrollment_id", error);
  return pfdo_enrollment_cancel (store, id, error);
}

typedef gboolean (*ApplyFunc) (PfdoStore *store, Op *op, GError **error);

static const struct
{
  const char *type;
  ApplyFunc   apply;
} kinds[] = {
  { "family.register", apply_family_register },
  { "child.verify", apply_child_verify },
  { "certificate.issue", apply_certificate_issue },
  { "child.correct", apply_child_correct },
  { "enrollment.create", apply_enrollment_create },
  { "certificate.activate", apply_certificate_change },
  { "certificate.convert", apply_certificate_change },
  { "certificate.freeze", apply_certificate_change },
  { "certificate.unfreeze", apply_certificate_change },
  { "certificate.close", apply_certificate_change },
  { "enrollment.cancel", apply_enrollment_cancel },
};

static gboolean
record (PfdoStore  *store,
        Op         *op,
        const char *status,
        const char *code,
        const char *detail,
        GError    **error)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "INSERT INTO op_log (op_id, type, operator_id, "
                                           "device_id, status, code, detail, seq, relayed_by) "
                                           "VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT max (seq) FROM "
                                           "change_log), ?)",
                                           error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->op_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, op->type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, op->operator_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, op->device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, op->relayed_by, -1, SQLITE_TRANSIENT);
  return pfdo_store_step_done (store, stmt, error);
}

/* The operation and its op_log row in one transaction. */
static gboolean
apply_cb (PfdoStore *store,
          gpointer   user_data,
          GError   **error)
{
  Op *op = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].type, op->type))
      return kinds[i].apply (store, op, error) &&
             record (store, op, "applied", NULL, NULL, error);

  g_set_error (error, PFDO_DOMAIN_ERROR, PFDO_DOMAIN_ERROR_INVALID_FIELD,
               "Unknown operation type %s", op->type);
  g_free (op->field);
  op->field = g_strdup ("type");
  return FALSE;
}

static gboolean
record_cb (PfdoStore *store,
           gpointer   user_data,
           GError   **error)
{
  gpointer *args = user_data;

  return record (store, args[0], "rejected", args[1], args[2], error);
}

/* The contract's code for a refusal. */
static const char *
code_of (const GError *error)
{
  if (error->domain == PFDO_DOMAIN_ERROR)
    return pfdo_domain_error_to_code (error->code);
  if (error->domain == PFDO_VALIDATION_ERROR &&
      (error->code == PFDO_VALIDATION_ERROR_SNILS_FORMAT ||
       error->code == PFDO_VALIDATION_ERROR_SNILS_CHECKSUM))
    return "snils_invalid";
  if (error->domain == PFDO_VALIDATION_ERROR)
    return "invalid_field";
  /* An id that collides with another record is bad input, not a failure
   * to retry. */
  if (g_error_matches (error, PFDO_STORE_ERROR, PFDO_STORE_ERROR_CONSTRAINT))
    return "invalid_field";
  return NULL;
}

static void
add_result (JsonBuilder *builder,
            const char  *op_id,
            const char  *status,
            const char  *code,
            const char  *detail,
            const char  *field,
            gint64       seq)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "op_id");
  json_builder_add_string_value (builder, op_id != NULL ? op_id : "");
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  if (code != NULL)
    {
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
    }
  if (detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
    }
  if (field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
    }
  if (seq > 0)
    {
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, seq);
    }
  json_builder_end_object (builder);
}

/* A replay: the first result again, as "duplicate". */
static gboolean
answer_replay (PfdoStore   *store,
               const char  *op_id,
               JsonBuilder *builder)
{
  sqlite3_stmt *stmt = pfdo_store_prepare (store,
                                           "SELECT status, code, detail, seq FROM op_log "
                                           "WHERE op_id = ?",
                                           NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *first = (const char *) sqlite3_column_text (stmt, 0);

      /* A rejection stays a rejection; an applied operation is a duplicate. */
      add_result (builder, op_id, g_strcmp0 (first, "rejected") == 0 ? "rejected" : "duplicate",
                  (const char *) sqlite3_column_text (stmt, 1),
                  (const char *) sqlite3_column_text (stmt, 2), NULL,
                  sqlite3_column_int64 (stmt, 3));
      found = TRUE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return found;
}

/* A relayed operation: the relayer is a МОЦ clerk or admin, the origin an
 * operator of the same municipality; the origin's role is checked when the
 * operation is applied as theirs. FALSE when refused, answered already. */
static gboolean
relay (PfdoStore   *store,
       JsonObject  *object,
       Op          *op,
       JsonBuilder *builder)
{
  JsonObject *origin = pfdo_json_get_object (object, "origin");
  const char *origin_operator = pfdo_json_get_string (origin, "operator_id");
  const char *origin_device = pfdo_json_get_string (origin, "device_id");
  g_autofree char *municipality = NULL;
  g_autoptr(GError) error = NULL;

  if (origin_operator == NULL || origin_device == NULL)
    {
      add_result (builder, op->op_id, "rejected", "bad_request",
                  "A relayed operation's origin has a string operator_id and device_id.",
                  "origin", 0);
      return FALSE;
    }
  if (!pfdo_store_set_operator (store, op->operator_id, &error) ||
      !pfdo_store_require_role (store, PFDO_ROLE_MOC_CLERK, &error))
    {
      add_result (builder, op->op_id, "rejected", "forbidden",
                  "Only a МОЦ clerk or admin relays the operations of another desk.", NULL, 0);
      return FALSE;
    }
  municipality = g_strdup (pfdo_store_get_operator_municipality_id (store));
  if (!pfdo_store_set_operator (store, origin_operator, &error) ||
      g_strcmp0 (pfdo_store_get_operator_municipality_id (store), municipality) != 0)
    {
      add_result (builder, op->op_id, "rejected", "forbidden",
                  "The operation's origin is not an operator of the relaying municipality.",
                  "origin", 0);
      return FALSE;
    }

  op->relayed_by = op->operator_id;
  op->operator_id = origin_operator;
  op->device_id = origin_device;
  return TRUE;
}

gboolean
pfdo_server_ops_apply (PfdoStore   *store,
                       const char  *operator_id,
                       const char  *device_id,
                       JsonNode    *operation,
                       JsonBuilder *builder)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (operation) ? json_node_get_object (operation)
                                                           : NULL;
  Op op = { 0 };
  g_autoptr(GError) error = NULL;
  const char *code;
  gint64 seq;

  op.op_id = pfdo_json_get_string (object, "op_id");
  op.type = pfdo_json_get_string (object, "type");
  op.payload = pfdo_json_get_object (object, "payload");
  op.operator_id = operator_id;
  op.device_id = device_id;

  if (op.op_id == NULL || op.type == NULL || op.payload == NULL)
    {
      add_result (builder, op.op_id, "rejected", "bad_request",
                  "An operation has a string op_id and type and an object payload.", NULL, 0);
      return TRUE;
    }

  if (answer_replay (store, op.op_id, builder))
    return TRUE;

  /* Carried from an offline desk: applied as its origin's, if the one who
   * relays it may. */
  if (json_object_has_member (object, "origin") &&
      !relay (store, object, &op, builder))
    return TRUE;

  if (!pfdo_store_set_operator (store, op.operator_id, &error))
    {
      add_result (builder, op.op_id, "rejected", "forbidden", error->message, NULL, 0);
      return TRUE;
    }

  if (pfdo_store_write (store, apply_cb, &op, &error))
    {
      seq = pfdo_store_query_int (store, "SELECT seq FROM op_log WHERE op_id = ?", op.op_id,
                                  NULL);
      add_result (builder, op.op_id, "applied", NULL, NULL, NULL, seq);
      g_free (op.field);
      return TRUE;
    }

  code = code_of (error);
  if (code == NULL)
    {
      /* The store failed, not a rule: nothing is recorded, and the whole
       * batch is answered 503 so the desk sends it again. */
      g_warning ("Could not apply an operation: %s", error->message);
      g_free (op.field);
      return FALSE;
    }

  {
    gpointer args[] = { &op, (gpointer) code, error->message };
    g_autoptr(GError) record_error = NULL;

    if (!pfdo_store_write (store, record_cb, args, &record_error))
      g_warning ("Could not record a rejection: %s", record_error->message);
  }
  add_result (builder, op.op_id, "rejected", code, error->message, op.field, 0);
  g_free (op.field);
  return TRUE;
}
