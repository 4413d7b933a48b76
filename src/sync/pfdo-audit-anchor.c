/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pfdo-sync"

#include "config.h"

#include "pfdo-audit.h"
#include "pfdo-audit-anchor.h"
#include "pfdo-json.h"
#include "pfdo-sync.h"

/*
 * At every sync the desk tells the server how long its audit log is and
 * the hash of its last record. The log only grows, so the server refuses
 * a later anchor with fewer records, or with as many and another head:
 * a log cut short or rewritten on the desk is seen at the next sync, even
 * where the chain itself is whole again. The anchor holds no personal
 * data, only the count and a hash.
 */

/**
 * pfdo_audit_anchor_dup_body:
 *
 * Returns: (transfer full): the request body, `{"device_id", "count",
 *   "head"}`, or %NULL with @error set
 */
char *
pfdo_audit_anchor_dup_body (PfdoStore  *store,
                            GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *head = NULL;
  gint64 count = 0;

  g_return_val_if_fail (PFDO_IS_STORE (store), NULL);

  if (!pfdo_audit_get_head (store, &count, &head, error))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, pfdo_store_get_device_id (store));
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "head");
  json_builder_add_string_value (builder, head);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * pfdo_audit_anchor_answer:
 * @status: the HTTP status of the answer
 * @root: the answer's JSON object
 *
 * Reads the server's answer to an anchor: 201 is kept; 409
 * `audit_chain_diverged` is %PFDO_SYNC_ERROR_AUDIT_DIVERGED; anything else
 * is not the contract.
 */
gboolean
pfdo_audit_anchor_answer (guint      status,
                          JsonNode  *root,
                          GError   **error)
{
  JsonObject *object;
  const char *code;

  g_return_val_if_fail (root != NULL && JSON_NODE_HOLDS_OBJECT (root), FALSE);

  object = json_node_get_object (root);
  code = pfdo_json_get_string (object, "code");
  if (status == 201)
    return TRUE;
  if (status == 409 && g_strcmp0 (code, "audit_chain_diverged") == 0)
    {
      g_set_error_literal (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_AUDIT_DIVERGED,
                           "The regional server says this desk's audit log no longer "
                           "continues the one it anchored before (audit_chain_diverged).");
      return FALSE;
    }
  g_set_error (error, PFDO_SYNC_ERROR, PFDO_SYNC_ERROR_PROTOCOL,
               "The regional server did not keep the audit anchor: HTTP %u %s", status,
               code != NULL ? code : "");
  return FALSE;
}
