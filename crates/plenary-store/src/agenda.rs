//! Sessions (every imported version kept, the newest current) and framework tags
//! (declared by a source, or earned by the tagger with evidence).

use plenary_agenda::Session;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOutcome {
    New,
    /// A changed page: a new version, now the current one.
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SessionVersion {
    pub seq: i64,
    pub imported_at: String,
    pub origin: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EventSummary {
    pub id: String,
    pub name: String,
    pub sessions: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// A thread's text for tagging: subject and (message id, new text) in date order.
#[derive(Debug, Clone)]
pub struct ThreadText {
    pub id: String,
    pub subject: String,
    pub messages: Vec<(String, String)>,
}

/// A thread related to a session (`Store::related_threads`).
#[derive(Debug, Clone, Serialize)]
pub struct RelatedThread {
    pub thread: crate::ThreadSummary,
    /// Shared people: (person id, name).
    pub people: Vec<(String, String)>,
    /// How many of the session's tags the thread has.
    pub tags: u64,
    /// Active within 180 days of the session.
    pub in_period: bool,
}

/// One tag on a session, thread or message.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct TagRow {
    pub kind: TagKind,
    pub target: String,
    pub framework: String,
    pub code: String,
    /// Declared (the source says so) or earned by phrases (the tagger).
    pub source: TagSource,
    pub score: f64,
    /// JSON array of {phrase, lang, start, end} for tagger tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<serde_json::Value>,
}

/// What a tag is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    Session,
    Thread,
    Message,
}

/// Where a tag comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TagSource {
    /// The session's page lists it.
    Declared,
    /// The phrase tagger earned it (with evidence).
    Tagger,
}

impl TagKind {
    /// The name stored and shown (`session`, `thread`, `message`).
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Session => "session",
            TagKind::Thread => "thread",
            TagKind::Message => "message",
        }
    }

    /// The kind a name stands for.
    pub fn parse(s: &str) -> Option<TagKind> {
        [TagKind::Session, TagKind::Thread, TagKind::Message]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl TagSource {
    /// The name stored and shown (`declared`, `tagger`).
    pub fn as_str(self) -> &'static str {
        match self {
            TagSource::Declared => "declared",
            TagSource::Tagger => "tagger",
        }
    }
}

impl rusqlite::ToSql for TagKind {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for TagKind {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        TagKind::parse(s).ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(format!("no tag kind {s:?}").into())
        })
    }
}

impl rusqlite::ToSql for TagSource {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for TagSource {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match v.as_str()? {
            "declared" => Ok(TagSource::Declared),
            "tagger" => Ok(TagSource::Tagger),
            s => Err(rusqlite::types::FromSqlError::Other(
                format!("no tag source {s:?}").into(),
            )),
        }
    }
}

impl Store {
    fn json_err(e: serde_json::Error) -> StoreError {
        StoreError::Corrupt(format!("stored session JSON: {e}"))
    }

    /// Stores a session. A page seen before with the same content is unchanged; a changed
    /// page becomes a new version and the current one; older versions stay.
    pub fn upsert_session(
        &mut self,
        s: &Session,
        origin: &str,
        now: i64,
    ) -> Result<SessionOutcome> {
        let id = s.id();
        let json = serde_json::to_string(s).map_err(Self::json_err)?;
        let hash = format!("{:x}", Sha256::digest(json.as_bytes()));
        let tx = self.conn.transaction()?;
        let current: Option<String> = tx
            .query_row("SELECT json FROM sessions WHERE id = ?", [&id], |r| {
                r.get(0)
            })
            .optional()?;
        let outcome = match current {
            Some(c) if c == json => SessionOutcome::Unchanged,
            Some(_) => SessionOutcome::Updated,
            None => SessionOutcome::New,
        };
        if outcome != SessionOutcome::Unchanged {
            let seq: i64 = tx.query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM session_versions WHERE id = ?",
                [&id],
                |r| r.get(0),
            )?;
            // a page that returns to an earlier content moves that version to the top
            tx.execute(
                "INSERT INTO session_versions(id, hash, seq, imported_at, origin, json) VALUES (?,?,?,?,?,?)
                 ON CONFLICT(id, hash) DO UPDATE SET seq = excluded.seq, imported_at = excluded.imported_at",
                params![id, hash, seq, now, origin, json],
            )?;
            let versions: i64 = tx.query_row(
                "SELECT COUNT(*) FROM session_versions WHERE id = ?",
                [&id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO sessions(id, event, number, title, start_key, json, versions) VALUES (?,?,?,?,?,?,?)
                 ON CONFLICT(id) DO UPDATE SET event = excluded.event, number = excluded.number, title = excluded.title,
                   start_key = excluded.start_key, json = excluded.json, versions = excluded.versions",
                params![
                    id,
                    s.event,
                    s.number,
                    s.title,
                    s.start_moment().map(|m| m.sort_key()),
                    json,
                    versions
                ],
            )?;
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// All sessions (of one event when given), in time order.
    pub fn sessions(&self, event: Option<&str>) -> Result<Vec<Session>> {
        let mut q = self
            .conn
            .prepare(
                "SELECT json FROM sessions WHERE (?1 IS NULL OR event = ?1 OR lower(replace(event, ' ', '-')) = ?1)
                 ORDER BY start_key IS NULL, start_key, number",
            )?;
        let rows = q
            .query_map([event], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        rows.iter()
            .map(|j| serde_json::from_str(j).map_err(Self::json_err))
            .collect()
    }

    /// One session (current version) with its version history, newest first.
    pub fn session(&self, id: &str) -> Result<Option<(Session, Vec<SessionVersion>)>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM sessions WHERE id = ?", [id], |r| r.get(0))
            .optional()?;
        let Some(json) = json else { return Ok(None) };
        let s: Session = serde_json::from_str(&json).map_err(Self::json_err)?;
        let mut q = self
            .conn
            .prepare("SELECT seq, imported_at, origin, json FROM session_versions WHERE id = ? ORDER BY seq DESC")?;
        let versions = q
            .query_map([id], |r| {
                let j: String = r.get(3)?;
                let title = serde_json::from_str::<Session>(&j)
                    .map(|s| s.title)
                    .unwrap_or_default();
                Ok(SessionVersion {
                    seq: r.get(0)?,
                    imported_at: plenary_mail::date::rfc3339_utc(r.get(1)?),
                    origin: r.get(2)?,
                    title,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(Some((s, versions)))
    }

    pub fn events(&self) -> Result<Vec<EventSummary>> {
        let mut q = self
            .conn
            .prepare("SELECT event, COUNT(*), MIN(start_key), MAX(start_key) FROM sessions GROUP BY event ORDER BY MIN(start_key) DESC")?;
        let v = q
            .query_map([], |r| {
                let name: String = r.get(0)?;
                Ok(EventSummary {
                    id: plenary_frameworks::slug_with(&name, plenary_frameworks::SlugStyle::Event),
                    name,
                    sessions: r.get::<_, i64>(1)? as u64,
                    first: r
                        .get::<_, Option<i64>>(2)?
                        .map(|t| plenary_mail::date::rfc3339_utc(t)[..10].to_string()),
                    last: r
                        .get::<_, Option<i64>>(3)?
                        .map(|t| plenary_mail::date::rfc3339_utc(t)[..10].to_string()),
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Replaces the tags of `source` on the given targets (all targets listed, even those
    /// that now have no tag).
    pub fn replace_tags(
        &mut self,
        kind: TagKind,
        source: TagSource,
        targets: &[(String, Vec<TagRow>)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut del =
                tx.prepare("DELETE FROM tags WHERE kind = ? AND target = ? AND source = ?")?;
            let mut ins = tx
                .prepare("INSERT OR REPLACE INTO tags(kind, target, framework, code, source, score, evidence) VALUES (?,?,?,?,?,?,?)")?;
            for (target, tags) in targets {
                del.execute(params![kind, target, source])?;
                for t in tags {
                    ins.execute(params![
                        kind,
                        target,
                        t.framework,
                        t.code,
                        source,
                        t.score,
                        t.evidence.as_ref().map(|v| v.to_string())
                    ])?;
                }
            }
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn tag_rows(&self, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<TagRow>> {
        let mut q = self.conn.prepare(sql)?;
        let v = q
            .query_map(args, |r| {
                Ok(TagRow {
                    kind: r.get(0)?,
                    target: r.get(1)?,
                    framework: r.get(2)?,
                    code: r.get(3)?,
                    source: r.get(4)?,
                    score: r.get(5)?,
                    evidence: r
                        .get::<_, Option<String>>(6)?
                        .and_then(|s| serde_json::from_str(&s).ok()),
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Tags on one target, strongest first.
    pub fn tags_of(&self, kind: TagKind, target: &str) -> Result<Vec<TagRow>> {
        self.tag_rows(
            "SELECT kind, target, framework, code, source, score, evidence FROM tags WHERE kind = ? AND target = ?
             ORDER BY source, score DESC, framework, code",
            &[&kind, &target],
        )
    }

    /// Everything tagged with one framework item (of one kind when given), strongest first.
    pub fn tagged(
        &self,
        framework: &str,
        code: &str,
        kind: Option<TagKind>,
        limit: usize,
    ) -> Result<Vec<TagRow>> {
        self.tag_rows(
            "SELECT kind, target, framework, code, source, score, evidence FROM tags
             WHERE framework = ? AND code = ? AND (?3 IS NULL OR kind = ?3)
             ORDER BY source, score DESC, target LIMIT ?4",
            &[&framework, &code, &kind, &(limit as i64)],
        )
    }

    /// Per item of a framework: (code, kind, distinct targets).
    pub fn tag_counts(&self, framework: &str) -> Result<Vec<(String, TagKind, u64)>> {
        let mut q = self
            .conn
            .prepare("SELECT code, kind, COUNT(DISTINCT target) FROM tags WHERE framework = ? GROUP BY code, kind")?;
        let v = q
            .query_map([framework], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Whether the tagger last ran over `list` in strict mode (`None`: not recorded, as
    /// in a store written before incremental tagging).
    pub fn tag_strict(&self, list: &str) -> Result<Option<bool>> {
        Ok(self
            .conn
            .query_row(
                "SELECT tag_strict FROM list_derivation WHERE list = ?1",
                params![list],
                |r| r.get::<_, Option<bool>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Records the tagger's mode over `list` (see [`Store::tag_strict`]).
    pub fn set_tag_strict(&mut self, list: &str, strict: bool) -> Result<()> {
        self.conn.execute(
            "INSERT INTO list_derivation(list, tag_strict) VALUES (?1, ?2)
             ON CONFLICT(list) DO UPDATE SET tag_strict = excluded.tag_strict",
            params![list, strict],
        )?;
        Ok(())
    }

    /// Drops the tags of `source` on a list's messages and threads (and on threads that
    /// no longer exist), before they are computed again.
    pub fn clear_list_tags(&mut self, list: &str, source: TagSource) -> Result<()> {
        self.conn.execute(
            "DELETE FROM tags WHERE source = ?2 AND (
                   (kind = 'message' AND target IN (SELECT id FROM messages WHERE list = ?1))
                   OR (kind = 'message' AND target IN (SELECT id FROM reconstructed WHERE list = ?1))
                   OR (kind = 'message' AND target NOT IN (SELECT id FROM messages)
                                        AND target NOT IN (SELECT id FROM reconstructed))
                   OR (kind = 'thread' AND (target IN (SELECT id FROM threads WHERE list = ?1)
                                            OR target NOT IN (SELECT id FROM threads))))",
            params![list, source],
        )?;
        crate::bump_generation(&self.conn)?;
        Ok(())
    }

    /// Ids of a list's threads.
    pub fn thread_ids(&self, list: &str) -> Result<Vec<String>> {
        let mut q = self
            .conn
            .prepare("SELECT id FROM threads WHERE list = ? ORDER BY id")?;
        let v = q
            .query_map([list], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// The text of the given threads: subject, and the new text of their archived
    /// messages and of the messages reconstructed from their quotes (for tagging).
    pub fn thread_texts_of(&self, ids: &[String]) -> Result<Vec<ThreadText>> {
        let mut q = self.conn.prepare(
            "SELECT t.id, COALESCE(t.subject, ''), m.id, COALESCE(m.new_text, m.body, ''), m.date
                 FROM threads t JOIN messages m ON m.thread_id = t.id WHERE t.id = ?1
                 UNION ALL
                 SELECT t.id, COALESCE(t.subject, ''), r.id, r.body, r.date
                 FROM threads t JOIN reconstructed r ON r.thread_id = t.id WHERE t.id = ?1
                 ORDER BY 5",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = q.query([id])?;
            let mut th: Option<ThreadText> = None;
            while let Some(r) = rows.next()? {
                let (tid, subject, mid, text): (String, String, String, String) =
                    (|| Ok::<_, rusqlite::Error>((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))()?;
                th.get_or_insert_with(|| ThreadText {
                    id: tid,
                    subject,
                    messages: Vec::new(),
                })
                .messages
                .push((mid, text));
            }
            out.extend(th);
        }
        Ok(out)
    }

    /// Threads related to a session: those its speakers wrote in (`people`:
    /// person ids), those sharing its tags (`tags`: framework and code), and
    /// whether each was active within 180 days of `around` (Unix seconds).
    /// A thread counts when it shares a person, or at least two tags within
    /// that period; strongest first (people, then tags, then nearness).
    pub fn related_threads(
        &self,
        people: &[String],
        tags: &[(String, String)],
        around: Option<i64>,
        limit: usize,
    ) -> Result<Vec<RelatedThread>> {
        use std::collections::{BTreeSet, HashMap};
        const PERIOD: i64 = 180 * 86400;
        let mut shared: HashMap<String, (BTreeSet<String>, u64)> = HashMap::new();
        let mut by_person = self.conn.prepare_cached(
            "SELECT m.thread_id FROM person_links pl JOIN messages m ON m.id = pl.target
              WHERE pl.person = ?1 AND pl.kind = 'message' AND m.thread_id IS NOT NULL
             UNION
             SELECT r.thread_id FROM person_links pl JOIN reconstructed r ON r.id = pl.target
              WHERE pl.person = ?1 AND pl.kind = 'reconstructed' AND r.thread_id IS NOT NULL",
        )?;
        for p in people {
            let threads = by_person
                .query_map([p], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for t in threads {
                shared.entry(t).or_default().0.insert(p.clone());
            }
        }
        let mut by_tag = self.conn.prepare_cached(
            "SELECT DISTINCT target FROM tags WHERE kind = 'thread' AND framework = ?1 AND code = ?2",
        )?;
        let mut tag_hits: HashMap<String, u64> = HashMap::new();
        for (f, c) in tags.iter().collect::<BTreeSet<_>>() {
            let threads = by_tag
                .query_map([f, c], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for t in threads {
                *tag_hits.entry(t).or_default() += 1;
            }
        }
        for (t, n) in tag_hits {
            shared.entry(t).or_default().1 = n;
        }
        let ids: Vec<String> = shared.keys().cloned().collect();
        let mut names = self
            .conn
            .prepare_cached("SELECT name FROM people WHERE id = ?1")?;
        let mut out = Vec::new();
        for th in self.thread_summaries(&ids)? {
            let Some((persons, n_tags)) = shared.remove(&th.id) else {
                continue;
            };
            let secs = |d: &Option<String>| {
                d.as_deref()
                    .and_then(|d| d.parse::<jiff::Timestamp>().ok())
                    .map(|t| t.as_second())
            };
            let distance = around.and_then(|at| {
                let (first, last) = (secs(&th.first)?, secs(&th.last)?);
                Some(if at < first {
                    first - at
                } else if at > last {
                    at - last
                } else {
                    0
                })
            });
            let in_period = distance.is_some_and(|d| d <= PERIOD);
            if persons.is_empty() && !(n_tags >= 2 && in_period) {
                continue;
            }
            let mut people = Vec::new();
            for p in persons {
                let name: Option<String> = names.query_row([&p], |r| r.get(0)).optional()?;
                people.push((p.clone(), name.unwrap_or(p)));
            }
            out.push((
                distance.unwrap_or(i64::MAX),
                RelatedThread {
                    thread: th,
                    people,
                    tags: n_tags,
                    in_period,
                },
            ));
        }
        out.sort_by(|(da, a), (db, b)| {
            b.people
                .len()
                .cmp(&a.people.len())
                .then(b.in_period.cmp(&a.in_period))
                .then(b.tags.cmp(&a.tags))
                .then(da.cmp(db))
        });
        Ok(out.into_iter().take(limit).map(|(_, r)| r).collect())
    }

    /// Summaries of the given threads (those that exist), in the given order.
    pub fn thread_summaries(&self, ids: &[String]) -> Result<Vec<crate::ThreadSummary>> {
        let mut q = self.conn.prepare(&format!(
            "SELECT {} FROM threads t WHERE t.id = ?",
            crate::threads::SUMMARY_COLUMNS
        ))?;
        let mut out = Vec::new();
        for id in ids {
            let row = q.query_row([id], crate::threads::summary_row).optional()?;
            out.extend(row);
        }
        Ok(out)
    }
}
