-- SPDX-License-Identifier: GPL-3.0-or-later
-- The desk's store, version 1. Released migrations never change; a change
-- of the schema is a new numbered file.
--
-- Columns carry the names of the regional API's fields. `version` is the
-- server's version of a record (0 for a record the server has not seen).
-- pfdo_fold() is registered by the store on every connection: lower case,
-- ё as е, single spaces; it keeps search columns and the catalog index in
-- one spelling.

CREATE TABLE municipality (
  id              TEXT PRIMARY KEY NOT NULL,
  name            TEXT NOT NULL,
  oktmo           TEXT,
  mode            TEXT NOT NULL CHECK (mode IN ('accounting_only', 'personified')),
  period_start    TEXT,
  period_end      TEXT,
  nominal_kopecks INTEGER NOT NULL DEFAULT 0 CHECK (nominal_kopecks >= 0),
  pf_quota        INTEGER NOT NULL DEFAULT 0 CHECK (pf_quota >= 0),
  pf_issued       INTEGER NOT NULL DEFAULT 0 CHECK (pf_issued >= 0),
  version         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE office (
  id              TEXT PRIMARY KEY NOT NULL,
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('moc', 'school', 'kindergarten', 'provider')),
  municipality_id TEXT NOT NULL REFERENCES municipality (id),
  address         TEXT,
  phone           TEXT,
  hours           TEXT,
  version         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX office_municipality ON office (municipality_id);

CREATE TABLE provider (
  id              TEXT PRIMARY KEY NOT NULL,
  name            TEXT NOT NULL,
  inn             TEXT,
  kind            TEXT NOT NULL CHECK (kind IN ('state', 'municipal', 'private', 'sole_proprietor')),
  municipality_id TEXT NOT NULL REFERENCES municipality (id),
  address         TEXT,
  phone           TEXT,
  version         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX provider_municipality ON provider (municipality_id);

-- pk is an explicit integer key so that the catalog index can point at a
-- row by a rowid that VACUUM never renumbers.
CREATE TABLE program (
  pk                  INTEGER PRIMARY KEY,
  id                  TEXT NOT NULL UNIQUE,
  provider_id         TEXT NOT NULL REFERENCES provider (id),
  municipality_id     TEXT NOT NULL REFERENCES municipality (id),
  title               TEXT NOT NULL,
  direction           TEXT NOT NULL CHECK (direction IN ('technical', 'natural_science', 'sports',
                                                         'arts', 'tourism', 'social')),
  age_min             INTEGER NOT NULL CHECK (age_min >= 0),
  age_max             INTEGER NOT NULL CHECK (age_max >= age_min),
  activity            TEXT,
  level               TEXT CHECK (level IN ('start', 'base', 'advanced')),
  form                TEXT NOT NULL DEFAULT 'in_person' CHECK (form IN ('in_person', 'blended', 'distance')),
  funding             TEXT NOT NULL CHECK (funding IN ('budget', 'certified', 'paid')),
  disability_friendly INTEGER NOT NULL DEFAULT 0 CHECK (disability_friendly IN (0, 1)),
  description         TEXT,
  hours_total         INTEGER,
  months              INTEGER,
  hour_price_kopecks  INTEGER NOT NULL DEFAULT 0 CHECK (hour_price_kopecks >= 0),
  address             TEXT,
  rating_avg          REAL,
  reviews_count       INTEGER NOT NULL DEFAULT 0,
  enrollment_open     INTEGER NOT NULL DEFAULT 1 CHECK (enrollment_open IN (0, 1)),
  is_active           INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  version             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX program_provider ON program (provider_id);
CREATE INDEX program_municipality ON program (municipality_id, direction);

CREATE TABLE "group" (
  id          TEXT PRIMARY KEY NOT NULL,
  program_id  TEXT NOT NULL REFERENCES program (id),
  name        TEXT NOT NULL,
  teacher     TEXT,
  schedule    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (schedule)),
  capacity    INTEGER NOT NULL CHECK (capacity >= 0),
  enrolled    INTEGER NOT NULL DEFAULT 0 CHECK (enrolled >= 0),
  starts_on   TEXT,
  ends_on     TEXT,
  version     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX group_program ON "group" (program_id);

CREATE TABLE review (
  id          TEXT PRIMARY KEY NOT NULL,
  program_id  TEXT NOT NULL REFERENCES program (id),
  rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text        TEXT,
  author      TEXT,
  created_at  TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX review_program ON review (program_id, created_at);

CREATE TABLE parent (
  id               TEXT PRIMARY KEY NOT NULL,
  last_name        TEXT NOT NULL,
  first_name       TEXT NOT NULL,
  middle_name      TEXT,
  phone            TEXT,
  email            TEXT,
  municipality_id  TEXT NOT NULL REFERENCES municipality (id),
  created_at       TEXT NOT NULL,
  version          INTEGER NOT NULL DEFAULT 0,
  search_last_name TEXT GENERATED ALWAYS AS (pfdo_fold (last_name)) STORED
);
CREATE INDEX parent_phone ON parent (phone);
CREATE INDEX parent_search ON parent (search_last_name);

CREATE TABLE child (
  id                       TEXT PRIMARY KEY NOT NULL,
  parent_id                TEXT NOT NULL REFERENCES parent (id),
  last_name                TEXT NOT NULL,
  first_name               TEXT NOT NULL,
  middle_name              TEXT,
  birth_date               TEXT NOT NULL,
  sex                      TEXT NOT NULL CHECK (sex IN ('m', 'f')),
  snils                    TEXT,
  document_type            TEXT CHECK (document_type IN ('birth_certificate', 'passport', 'foreign')),
  document_series          TEXT,
  document_number          TEXT,
  address                  TEXT,
  municipality_id          TEXT NOT NULL REFERENCES municipality (id),
  verification_status      TEXT NOT NULL DEFAULT 'unverified'
                           CHECK (verification_status IN ('unverified', 'verified', 'rejected')),
  verification_decided_at  TEXT,
  verification_operator_id TEXT,
  verification_office_id   TEXT,
  verification_reason      TEXT,
  verification_documents   TEXT CHECK (verification_documents IS NULL OR json_valid (verification_documents)),
  created_at               TEXT NOT NULL,
  version                  INTEGER NOT NULL DEFAULT 0,
  search_last_name         TEXT GENERATED ALWAYS AS (pfdo_fold (last_name)) STORED,
  search_first_name        TEXT GENERATED ALWAYS AS (pfdo_fold (first_name)) STORED,
  -- A rejected decision must say why.
  CHECK (verification_status <> 'rejected' OR length (verification_reason) > 0)
);
CREATE INDEX child_parent ON child (parent_id);
CREATE INDEX child_snils ON child (snils);
CREATE INDEX child_name ON child (search_last_name, search_first_name, birth_date);
CREATE INDEX child_birth_date ON child (birth_date);
CREATE INDEX child_queue ON child (municipality_id, verification_status, created_at);

-- One certificate per child, ever: child_id is unique, closed ones stay.
CREATE TABLE certificate (
  id              TEXT PRIMARY KEY NOT NULL,
  number          TEXT NOT NULL UNIQUE,
  child_id        TEXT NOT NULL UNIQUE REFERENCES child (id),
  municipality_id TEXT NOT NULL REFERENCES municipality (id),
  status          TEXT NOT NULL DEFAULT 'issued'
                  CHECK (status IN ('issued', 'accounting', 'personified', 'frozen', 'closed')),
  issued_at       TEXT NOT NULL,
  activated_at    TEXT,
  closed_at       TEXT,
  close_reason    TEXT,
  -- The status a frozen certificate returns to; the desk's own bookkeeping.
  frozen_from     TEXT CHECK (frozen_from IS NULL OR frozen_from IN ('accounting', 'personified')),
  version         INTEGER NOT NULL DEFAULT 0,
  CHECK (status <> 'closed' OR closed_at IS NOT NULL)
);
CREATE INDEX certificate_register ON certificate (municipality_id, status);

CREATE TABLE enrollment (
  id              TEXT PRIMARY KEY NOT NULL,
  child_id        TEXT NOT NULL REFERENCES child (id),
  certificate_id  TEXT REFERENCES certificate (id),
  program_id      TEXT NOT NULL REFERENCES program (id),
  group_id        TEXT NOT NULL REFERENCES "group" (id),
  status          TEXT NOT NULL DEFAULT 'requested'
                  CHECK (status IN ('requested', 'active', 'finished', 'cancelled')),
  months          INTEGER NOT NULL CHECK (months > 0),
  monthly_kopecks INTEGER NOT NULL DEFAULT 0 CHECK (monthly_kopecks >= 0),
  period          TEXT,
  created_at      TEXT NOT NULL,
  version         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enrollment_child ON enrollment (child_id);
CREATE INDEX enrollment_certificate ON enrollment (certificate_id);
CREATE INDEX enrollment_group ON enrollment (group_id, status);

-- Append-only: the triggers below refuse UPDATE and DELETE.
CREATE TABLE ledger_entry (
  id              TEXT PRIMARY KEY NOT NULL,
  certificate_id  TEXT NOT NULL REFERENCES certificate (id),
  period          TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('grant', 'reserve', 'release', 'charge', 'refund', 'expire')),
  amount_kopecks  INTEGER NOT NULL CHECK (amount_kopecks > 0),
  enrollment_id   TEXT REFERENCES enrollment (id),
  created_at      TEXT NOT NULL,
  operator_id     TEXT
);
CREATE INDEX ledger_entry_balance ON ledger_entry (certificate_id, period, kind, amount_kopecks);
CREATE INDEX ledger_entry_enrollment ON ledger_entry (enrollment_id, kind) WHERE enrollment_id IS NOT NULL;

CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
BEGIN
  SELECT RAISE (ABORT, 'ledger_entry is append-only');
END;
CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
BEGIN
  SELECT RAISE (ABORT, 'ledger_entry is append-only');
END;

-- Certificate numbers leased from the server; `used` counts the numbers
-- issued from the block, in order from `first`.
CREATE TABLE number_block (
  id         TEXT PRIMARY KEY NOT NULL,
  device_id  TEXT NOT NULL,
  first      TEXT NOT NULL,
  last       TEXT NOT NULL,
  used       INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0),
  leased_at  TEXT,
  version    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX number_block_device ON number_block (device_id);

CREATE TABLE operator (
  id              TEXT PRIMARY KEY NOT NULL,
  login           TEXT NOT NULL UNIQUE,
  full_name       TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('school_staff', 'moc_clerk', 'moc_admin')),
  municipality_id TEXT NOT NULL REFERENCES municipality (id),
  office_id       TEXT REFERENCES office (id),
  password_hash   TEXT,
  is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at      TEXT NOT NULL
);

-- Who did what: no personal data, only ids. Each record holds the hash of
-- the one before it, so a rewritten log can be told. Append-only.
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  operator_id TEXT,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  detail      TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_record ON audit_log (entity, record_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'audit_log is append-only');
END;

-- Operations waiting to be pushed, and what the server answered.
CREATE TABLE outbox (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id       TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL,
  at          TEXT NOT NULL,
  payload     TEXT NOT NULL CHECK (json_valid (payload)),
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  operator_id TEXT,
  state       TEXT NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'applied', 'duplicate', 'rejected')),
  code        TEXT,
  detail      TEXT,
  server_seq  INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0,
  sent_at     TEXT
);
CREATE INDEX outbox_state ON outbox (state, seq);
CREATE INDEX outbox_entity ON outbox (entity, entity_id);

-- The desk's own settings and sync bookkeeping: device id, cursor, …
CREATE TABLE sync_state (
  key    TEXT PRIMARY KEY NOT NULL,
  value  TEXT
);

-- The catalog index: title, activity, description and provider name, in
-- pfdo_fold() spelling so that ё and е are one letter.
CREATE VIRTUAL TABLE program_fts USING fts5 (
  title, activity, description, provider_name,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER program_fts_insert AFTER INSERT ON program
BEGIN
  INSERT INTO program_fts (rowid, title, activity, description, provider_name)
  VALUES (new.pk, pfdo_fold (new.title), pfdo_fold (new.activity), pfdo_fold (new.description),
          (SELECT pfdo_fold (name) FROM provider WHERE id = new.provider_id));
END;

CREATE TRIGGER program_fts_update AFTER UPDATE OF title, activity, description, provider_id ON program
BEGIN
  DELETE FROM program_fts WHERE rowid = old.pk;
  INSERT INTO program_fts (rowid, title, activity, description, provider_name)
  VALUES (new.pk, pfdo_fold (new.title), pfdo_fold (new.activity), pfdo_fold (new.description),
          (SELECT pfdo_fold (name) FROM provider WHERE id = new.provider_id));
END;

CREATE TRIGGER program_fts_delete AFTER DELETE ON program
BEGIN
  DELETE FROM program_fts WHERE rowid = old.pk;
END;

CREATE TRIGGER provider_fts_rename AFTER UPDATE OF name ON provider
BEGIN
  UPDATE program_fts SET provider_name = pfdo_fold (new.name)
  WHERE rowid IN (SELECT pk FROM program WHERE provider_id = new.id);
END;
