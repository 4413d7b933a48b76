-- INSERT OR REPLACE deletes the row it replaces without firing DELETE
-- triggers (recursive_triggers is off), which got past the append-only
-- rule. A second row with the key of an existing entry is refused, unless
-- it is the same entry again: a replayed sync page brings those with
-- INSERT OR IGNORE, and they are then skipped as before.
CREATE TRIGGER ledger_entry_no_replace BEFORE INSERT ON ledger_entry
WHEN EXISTS (SELECT 1 FROM ledger_entry e WHERE e.id = NEW.id
             AND (e.certificate_id, e.period, e.kind, e.amount_kopecks, e.enrollment_id)
                 IS NOT (NEW.certificate_id, NEW.period, NEW.kind, NEW.amount_kopecks,
                         NEW.enrollment_id))
BEGIN
  SELECT RAISE (ABORT, 'ledger entries are append-only');
END;

CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log a WHERE a.seq = NEW.seq OR a.hash = NEW.hash)
BEGIN
  SELECT RAISE (ABORT, 'the audit log is append-only');
END;
