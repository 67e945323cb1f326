//! Captioning transcripts: one row per transcript page, with the links derived when it
//! was imported (its session, and each speaker as written to a panellist of it).

use plenary_agenda::Transcript;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::{Result, Store, StoreError};

/// A speaker of a transcript as written, and whom they are found to be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SpeakerLink {
    /// The name as the captioner wrote it ("THOMAS SCHNEIDER", "MODERATOR").
    pub written: String,
    /// The index of the session's speaker it is, when found.
    #[serde(default)]
    pub panellist: Option<usize>,
    /// That speaker's name on the session page.
    #[serde(default)]
    pub panellist_name: Option<String>,
    /// The person it is (filled when people are resolved).
    #[serde(default)]
    pub person: Option<String>,
    /// What the link rests on ("same name as a listed speaker", "surname of a listed
    /// speaker", "the session's only moderator", "same name as a person on the lists").
    #[serde(default)]
    pub evidence: String,
    /// How sure the link is, 0–1.
    #[serde(default)]
    pub confidence: f32,
}

/// What a transcript is linked to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TranscriptLinks {
    /// Why the session is this one ("session code WS #58 of IGF 2024", "title").
    #[serde(default)]
    pub session_evidence: Option<String>,
    /// One per distinct speaker as written, in order of first turn.
    #[serde(default)]
    pub speakers: Vec<SpeakerLink>,
}

/// A stored transcript.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StoredTranscript {
    /// Its id (a slug of its title).
    pub id: String,
    /// The session it records, when found.
    pub session_id: Option<String>,
    /// The transcript as read.
    pub transcript: Transcript,
    /// Its links.
    pub links: TranscriptLinks,
    /// The file it was imported from.
    pub origin: String,
}

/// One line of a list of transcripts.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TranscriptSummary {
    /// Its id.
    pub id: String,
    /// Its title as printed.
    pub title: String,
    /// The session it records, when found.
    pub session_id: Option<String>,
    /// How many turns.
    pub turns: usize,
}

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("stored transcript JSON: {e}"))
}

impl Store {
    /// Stores (or replaces) a transcript with its links.
    pub fn upsert_transcript(&mut self, t: &StoredTranscript, now: i64) -> Result<bool> {
        let json = serde_json::to_string(&t.transcript).map_err(json_err)?;
        let links = serde_json::to_string(&t.links).map_err(json_err)?;
        let tx = self.conn.transaction()?;
        let before: Option<(String, String, Option<String>)> = tx
            .query_row(
                "SELECT json, links, session_id FROM transcripts WHERE id = ?",
                [&t.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let changed = before != Some((json.clone(), links.clone(), t.session_id.clone()));
        if changed {
            tx.execute(
                "INSERT INTO transcripts(id, session_id, title, json, links, origin, imported_at) VALUES (?,?,?,?,?,?,?)
                 ON CONFLICT(id) DO UPDATE SET session_id = excluded.session_id, title = excluded.title,
                   json = excluded.json, links = excluded.links, origin = excluded.origin, imported_at = excluded.imported_at",
                params![t.id, t.session_id, t.transcript.title, json, links, t.origin, now],
            )?;
            crate::bump_generation(&tx)?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Replaces the links of a stored transcript (people are resolved after import).
    pub fn set_transcript_links(&mut self, id: &str, links: &TranscriptLinks) -> Result<()> {
        let json = serde_json::to_string(links).map_err(json_err)?;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE transcripts SET links = ?2 WHERE id = ?1 AND links <> ?2",
            params![id, json],
        )?;
        if n > 0 {
            crate::bump_generation(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every transcript, whole.
    pub fn transcripts(&self) -> Result<Vec<StoredTranscript>> {
        let mut q = self
            .conn
            .prepare("SELECT id, session_id, json, links, origin FROM transcripts ORDER BY id")?;
        let rows = q
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, session_id, json, links, origin)| {
                Ok(StoredTranscript {
                    id,
                    session_id,
                    transcript: serde_json::from_str(&json).map_err(json_err)?,
                    links: serde_json::from_str(&links).map_err(json_err)?,
                    origin,
                })
            })
            .collect()
    }

    /// One transcript.
    pub fn transcript(&self, id: &str) -> Result<Option<StoredTranscript>> {
        Ok(self.transcripts()?.into_iter().find(|t| t.id == id))
    }

    /// The transcripts of a session.
    pub fn transcripts_of_session(&self, session: &str) -> Result<Vec<TranscriptSummary>> {
        Ok(self
            .transcripts()?
            .into_iter()
            .filter(|t| t.session_id.as_deref() == Some(session))
            .map(|t| TranscriptSummary {
                id: t.id,
                title: t.transcript.title,
                session_id: t.session_id,
                turns: t.transcript.turns.len(),
            })
            .collect())
    }
}
