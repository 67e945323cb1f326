-- The Message-ID tokens each message connects through (its own Message-ID, its
-- In-Reply-To, each References entry), by a 64-bit FNV-1a key of the token's text, and a
-- list's messages by thread subject (issue 14). An import finds the part of a list its new
-- messages connect to (see `threads.rs`, `connected_rows`) through these, instead of
-- reading every message's thread inputs. A key shared by two tokens only adds rows to the
-- part, which threads them as the whole list would. Filled for the messages stored before
-- it by the migration's hook; derived, and kept by `insert_batch`.
CREATE TABLE IF NOT EXISTS thread_tokens(
  token INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY(token, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_list_subject ON messages(list, thread_subject);
-- Replies without an In-Reply-To, by list and thread subject: whether a subject group
-- holds a reply without reference headers (their References are checked by the reader)
-- is answered without reading the group.
CREATE INDEX IF NOT EXISTS messages_headerless_replies ON messages(list, thread_subject)
  WHERE is_reply AND in_reply_to IS NULL;
