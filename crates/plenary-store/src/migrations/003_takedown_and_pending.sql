-- Takedown (issue 16): the audit log, and the hashes that keep what was taken
-- down from coming back. Tombstones hold hashes only, never content.
CREATE TABLE takedowns(
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_hash TEXT NOT NULL,
  removed INTEGER NOT NULL,
  redacted INTEGER NOT NULL,
  raw_rewritten INTEGER NOT NULL,
  note TEXT NOT NULL
);

-- kind: 'removed' (a message taken down: its Message-ID hash and its bytes' hash),
-- 'redacted' (the bytes a message had before takedown redacted it: importing
-- them again is a duplicate, not a new message) or 'address' (an author address
-- taken down: later messages from it are refused).
CREATE TABLE tombstones(
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  takedown INTEGER NOT NULL
);

-- Lists whose derivation (threads, reconstruction, tags, people) an import
-- started and has not finished; written in the same transaction as the
-- messages, so a crash leaves them named here.
CREATE TABLE pending_lists(slug TEXT PRIMARY KEY);
