-- A list's signature counts (issue 14): how many messages of each author hold each
-- candidate block (a paragraph that could be a signature), so that an import counts only
-- the messages that arrived, instead of reading every body of the list again to learn
-- the signatures authors repeat without a `-- `. Derived and disposable: a list's counts
-- hold every message of the list up to `up_to_seq`, under the rules named by `rules`
-- (another version counts the list again); a takedown, which removes or rewrites bodies,
-- drops them all.
CREATE TABLE IF NOT EXISTS signature_lists(
  id INTEGER PRIMARY KEY,
  list TEXT NOT NULL UNIQUE,
  rules TEXT NOT NULL,
  up_to_seq INTEGER NOT NULL
);
-- An author's key (an address, else a folded name), the name on their first counted
-- message, how many of their messages are counted, and their learned signatures (a JSON
-- array, NULL for none).
CREATE TABLE IF NOT EXISTS signature_authors(
  id INTEGER PRIMARY KEY,
  list_id INTEGER NOT NULL,
  author TEXT NOT NULL,
  name TEXT NOT NULL,
  messages INTEGER NOT NULL,
  signatures TEXT,
  UNIQUE(list_id, author)
);
-- Per block (by hash) and author: how many of their messages hold it.
CREATE TABLE IF NOT EXISTS signature_blocks(
  list_id INTEGER NOT NULL,
  hash INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  PRIMARY KEY(list_id, hash, author_id)
) WITHOUT ROWID;
-- An author's blocks that could be a signature (one needs three messages): most blocks
-- are a paragraph seen once, and stay out of this index.
CREATE INDEX IF NOT EXISTS signature_blocks_held ON signature_blocks(author_id) WHERE messages >= 3;
-- A block's text, from its second sighting on.
CREATE TABLE IF NOT EXISTS signature_texts(
  list_id INTEGER NOT NULL,
  hash INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY(list_id, hash)
) WITHOUT ROWID;
-- What the last pass over a list (`list_learned`) applied, beside its digest: a digest of
-- its footers (and of the program) and the signatures by author key (a JSON object). When
-- only some authors' signatures changed since, an import goes over those authors'
-- messages and the new ones, not over the whole list. Written with `list_learned`'s row;
-- without that row it is not read.
CREATE TABLE IF NOT EXISTS list_learned_signatures(
  list TEXT PRIMARY KEY,
  footers_digest TEXT NOT NULL,
  signatures TEXT NOT NULL
);
