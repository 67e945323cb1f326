-- Where each list's mail comes from (issue 15): one row per list and intake path
-- (`import`, `archiver`, `watch`, `mirror`), updated by every import that touched the
-- list, for `plenary status`. Messages refused by `X-No-Archive: yes` / `Archive: no`
-- are counted here, never stored.
CREATE TABLE list_intake(
  list TEXT NOT NULL,
  source TEXT NOT NULL,
  last_at TEXT NOT NULL,
  last_messages INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  not_archived INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(list, source)
);
-- The list a rejected input was sent for, when the intake knew it (the archiver does).
ALTER TABLE rejects ADD COLUMN list TEXT;
-- Mailman's Message-ID-Hash of each archived message (base32 of the SHA-1 of the
-- Message-ID without brackets), the key of its permalinks. Written with the message;
-- this migration's hook fills it for messages stored before.
CREATE TABLE msgid_hashes(
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL
);
CREATE INDEX msgid_hashes_hash ON msgid_hashes(hash);
CREATE TRIGGER msgid_hashes_gone AFTER DELETE ON messages
BEGIN
  DELETE FROM msgid_hashes WHERE seq = old.seq;
END;
