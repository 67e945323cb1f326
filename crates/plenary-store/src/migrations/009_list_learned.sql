-- What the last pass over a list applied of its learned footers and signatures (issue 14):
-- a digest of them (and of the program) and the list's last message then. While the
-- learned footers and signatures stay the same, the messages up to that one already
-- carry their analysis under them, and an import re-analyses only the newer ones.
-- Derived and disposable: anything else that rewrites analyses (reanalyze, takedown)
-- drops the list's row, and the next import goes over the whole list again.
CREATE TABLE list_learned(
  list TEXT PRIMARY KEY,
  digest TEXT NOT NULL,
  up_to_seq INTEGER NOT NULL
);
