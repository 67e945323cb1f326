-- What an incremental derivation of a list must compare with the last one to know
-- whether its scope is the threads an import touched or the whole list (issue 14):
-- tag_strict is whether the tagger ran in strict mode over the list (the list is not
-- about governance). NULL or no row: unknown, so the next import retags the list whole.
CREATE TABLE list_derivation(
  list TEXT PRIMARY KEY,
  tag_strict INTEGER
);
