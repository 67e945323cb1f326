-- A list's messages in import order, read without touching other lists' rows: the
-- index holds (list, seq), so `WHERE list = ? AND seq > ? ORDER BY seq` is a range of
-- it. Without it, reading a list a page at a time walked the whole table by seq (every
-- other list's rows included, at a million messages most of learning a list's
-- signatures), and reading a list in order sorted it whole (threading's inputs).
CREATE INDEX IF NOT EXISTS messages_list_seq ON messages(list);
