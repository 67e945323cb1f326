-- Migration 1: the schema as it stood before schema versions (commit c9e686e).
--
-- Every statement is IF NOT EXISTS / idempotent, so this also adopts a store written
-- before versions (user_version 0, tables already there). Such a store may lack the
-- late messages columns; the migration's hook (schema.rs) adds them.
-- A released migration never changes: put new changes in the next file.

-- Mail: lists, archived messages (raw bytes kept), derived threads,
-- messages reconstructed from quotes, the change counter, rejected inputs.
CREATE TABLE IF NOT EXISTS lists(
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT,
  evidence TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  message_id TEXT,
  list TEXT NOT NULL,
  subject TEXT,
  thread_subject TEXT NOT NULL,
  is_reply INTEGER NOT NULL,
  author_name TEXT,
  author_address TEXT,
  via_list TEXT,
  date INTEGER,
  date_offset INTEGER,
  in_reply_to TEXT,
  refs TEXT NOT NULL,
  to_addrs TEXT NOT NULL,
  cc_addrs TEXT NOT NULL,
  body TEXT NOT NULL,
  body_source TEXT NOT NULL,
  attachments TEXT NOT NULL,
  fingerprint TEXT,
  warnings TEXT NOT NULL,
  origin TEXT NOT NULL,
  raw BLOB NOT NULL,
  raw_len INTEGER NOT NULL,
  alt_raw BLOB,
  thread_id TEXT,
  parent TEXT,
  ghost_parent TEXT,
  thread_evidence TEXT,
  -- added after the first release (ensure_column before schema versions):
  -- quote analysis and the message an archived message quotes
  zones TEXT,
  new_text TEXT,
  quotes TEXT,
  quote_parent TEXT
);
CREATE INDEX IF NOT EXISTS messages_fingerprint ON messages(fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_thread ON messages(thread_id, date);
CREATE INDEX IF NOT EXISTS messages_list_date ON messages(list, date);
CREATE TABLE IF NOT EXISTS threads(
  id TEXT PRIMARY KEY,
  list TEXT NOT NULL,
  subject TEXT NOT NULL,
  root_key TEXT NOT NULL,
  count INTEGER NOT NULL,
  first INTEGER,
  last INTEGER
);
CREATE INDEX IF NOT EXISTS threads_list_last ON threads(list, last);
CREATE TABLE IF NOT EXISTS reconstructed(
  id TEXT PRIMARY KEY,
  list TEXT NOT NULL,
  thread_id TEXT,
  source_id TEXT NOT NULL,
  parent TEXT,
  depth INTEGER NOT NULL,
  author_name TEXT,
  author_address TEXT,
  via_list TEXT,
  date INTEGER,
  date_exact INTEGER NOT NULL,
  date_text TEXT,
  subject TEXT,
  body TEXT NOT NULL,
  attribution TEXT,
  quoted_by INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reconstructed_thread ON reconstructed(thread_id);
CREATE INDEX IF NOT EXISTS reconstructed_list ON reconstructed(list);
CREATE TABLE IF NOT EXISTS store_generation(n INTEGER NOT NULL);
INSERT INTO store_generation SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM store_generation);
CREATE TABLE IF NOT EXISTS rejects(
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw BLOB NOT NULL,
  raw_len INTEGER NOT NULL
);

-- Agenda: sessions with every imported version, and framework tags.
CREATE TABLE IF NOT EXISTS sessions(
  id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  number TEXT NOT NULL,
  title TEXT NOT NULL,
  start_key INTEGER,
  json TEXT NOT NULL,
  versions INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS sessions_event ON sessions(event, start_key);
CREATE TABLE IF NOT EXISTS session_versions(
  id TEXT NOT NULL,
  hash TEXT NOT NULL,
  seq INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  origin TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY(id, hash)
);
CREATE TABLE IF NOT EXISTS tags(
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  framework TEXT NOT NULL,
  code TEXT NOT NULL,
  source TEXT NOT NULL,
  score REAL NOT NULL,
  evidence TEXT,
  PRIMARY KEY(kind, target, framework, code, source)
);
CREATE INDEX IF NOT EXISTS tags_item ON tags(framework, code, kind);

-- People (derived) and what links to them.
CREATE TABLE IF NOT EXISTS people(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  messages INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS person_links(
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  person TEXT NOT NULL,
  PRIMARY KEY(kind, target)
);
CREATE INDEX IF NOT EXISTS person_links_person ON person_links(person, kind);
