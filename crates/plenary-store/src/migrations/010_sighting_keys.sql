-- Each stored sighting carries its message's id and list, so identity resolution reads
-- this small table alone: joined to `messages` for them, it read that table's large rows
-- on every import, a third of reading the sightings at a million messages (issue 14).
-- The triggers of migration 6 drop a sighting when its message's id or list changes, so
-- the copies cannot go stale.
ALTER TABLE author_sightings ADD COLUMN id TEXT;
ALTER TABLE author_sightings ADD COLUMN list TEXT;
UPDATE author_sightings SET id = m.id, list = m.list
  FROM messages m WHERE m.seq = author_sightings.seq;
DELETE FROM author_sightings WHERE id IS NULL OR list IS NULL;
