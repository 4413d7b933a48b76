-- SPDX-License-Identifier: GPL-3.0-or-later
-- Parent meetings: a member of school staff registers the families of one
-- class on a laptop, often offline. The session is the desk's own record of
-- that meeting (the server sees only the families and certificates); it
-- outlives the app being closed or the laptop sleeping.

CREATE TABLE meeting_session (
  id                TEXT PRIMARY KEY NOT NULL,
  office_id         TEXT NOT NULL REFERENCES office (id),
  class_name        TEXT NOT NULL CHECK (length (class_name) > 0),
  operator_id       TEXT,
  created_at        TEXT NOT NULL,
  closed_at         TEXT,
  -- The family being typed, as the form holds it: nothing typed is lost.
  draft             TEXT CHECK (draft IS NULL OR json_valid (draft)),
  -- Likely twins the desk caught before saving; one per family form.
  duplicates_caught INTEGER NOT NULL DEFAULT 0 CHECK (duplicates_caught >= 0),
  draft_duplicate   INTEGER NOT NULL DEFAULT 0 CHECK (draft_duplicate IN (0, 1))
);
CREATE INDEX meeting_session_open ON meeting_session (operator_id, closed_at, created_at);

-- The families registered in a session, in the order they were saved.
CREATE TABLE meeting_family (
  session_id TEXT NOT NULL REFERENCES meeting_session (id),
  seq        INTEGER NOT NULL,
  parent_id  TEXT NOT NULL REFERENCES parent (id),
  saved_at   TEXT NOT NULL,
  PRIMARY KEY (session_id, seq),
  UNIQUE (session_id, parent_id)
);
CREATE INDEX meeting_family_parent ON meeting_family (parent_id);

-- The children a session registered (a family's parent may have had
-- children registered before, elsewhere).
CREATE TABLE meeting_child (
  session_id TEXT NOT NULL REFERENCES meeting_session (id),
  child_id   TEXT NOT NULL UNIQUE REFERENCES child (id),
  parent_id  TEXT NOT NULL REFERENCES parent (id),
  PRIMARY KEY (session_id, child_id)
);

-- Rows of class lists already imported, by the child's identity in the
-- list, so that importing the same list again adds nothing; a family's
-- later rows join the parent its earlier rows made.
CREATE TABLE meeting_import (
  row_key    TEXT PRIMARY KEY NOT NULL,
  family_key TEXT NOT NULL,
  parent_id  TEXT NOT NULL REFERENCES parent (id),
  child_id   TEXT NOT NULL REFERENCES child (id),
  session_id TEXT NOT NULL REFERENCES meeting_session (id)
);
CREATE INDEX meeting_import_family ON meeting_import (family_key);
