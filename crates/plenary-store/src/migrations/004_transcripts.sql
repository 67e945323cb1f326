-- Captioning transcripts of sessions (IGF "RAW" pages), with the links derived at import:
-- the session they record and, per speaker as written, the panellist they are.
CREATE TABLE transcripts(
  id TEXT PRIMARY KEY,
  session_id TEXT,
  title TEXT NOT NULL,
  -- the Transcript as read (turns, notes, the notice flag), JSON
  json TEXT NOT NULL,
  -- how the session was found and the speaker links, JSON (TranscriptLinks)
  links TEXT NOT NULL,
  origin TEXT NOT NULL,
  imported_at INTEGER NOT NULL
);
CREATE INDEX transcripts_session ON transcripts(session_id);
