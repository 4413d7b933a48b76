-- SPDX-License-Identifier: GPL-3.0-or-later
-- The audit view reads the log newest first, filtered by operator, action
-- or date, a page at a time: each index keeps its rows in seq order (the
-- rowid ends every index), so a page is a range scan, not a sort of the
-- whole log. Records of one child use audit_log_record.
CREATE INDEX audit_log_operator ON audit_log (operator_id);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_at ON audit_log (at);
