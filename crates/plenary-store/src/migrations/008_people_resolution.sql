-- The last identity resolution's input fingerprint and, per observation, the person it
-- went to (issue 14). An import whose sightings leave the observations exactly as they
-- were reuses the stored people and only recounts their links, instead of resolving
-- every person again. Derived and disposable: `people rebuild` drops it.
CREATE TABLE people_resolution(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT NOT NULL,
  persons TEXT NOT NULL
);
