-- What people resolution reads of each archived message (its author, signature, the
-- addresses its list footers print, the authors it quotes), kept so that resolving
-- people after an import reads these rows instead of decoding every body and analysis
-- again (issue 14). Derived and disposable: the triggers drop a message's row whenever
-- anything it was read from changes, and the next resolution writes it again.
CREATE TABLE author_sightings(
  seq INTEGER PRIMARY KEY,
  json TEXT NOT NULL
);
CREATE TRIGGER author_sightings_stale AFTER UPDATE OF id, list, author_name, author_address,
  via_list, date, body, zones, quotes, new_text ON messages
BEGIN
  DELETE FROM author_sightings WHERE seq = old.seq OR seq = new.seq;
END;
CREATE TRIGGER author_sightings_gone AFTER DELETE ON messages
BEGIN
  DELETE FROM author_sightings WHERE seq = old.seq;
END;
CREATE TRIGGER author_sightings_new AFTER INSERT ON messages
BEGIN
  DELETE FROM author_sightings WHERE seq = new.seq;
END;
