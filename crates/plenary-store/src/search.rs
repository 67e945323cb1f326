//! What the search index reads of the store: messages in `seq` order from a
//! watermark, reconstructed messages per list, tags and person links in bulk.
//! The index itself lives in `plenary-search`; these are plain row reads.

use std::collections::HashMap;

use rusqlite::params;

use crate::{Result, Store};

/// One archived message as the index sees it.
#[derive(Debug, Clone)]
pub struct IndexMessage {
    pub seq: i64,
    pub id: String,
    pub list: String,
    pub thread_id: Option<String>,
    pub subject: String,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    /// To and Cc, comma-separated.
    pub recipients: String,
    pub date: Option<i64>,
    /// The message's own text (the whole body when it was never analysed).
    pub new_text: String,
    /// The text of every message quoted in it, outermost first.
    pub quoted_text: String,
    pub person: Option<String>,
    /// `(framework, code)` of the message's own tags.
    pub tags: Vec<(String, String)>,
}

/// One reconstructed message as the index sees it (without a subject of
/// its own, the thread's subject stands in).
#[derive(Debug, Clone)]
pub struct IndexReconstructed {
    pub id: String,
    pub list: String,
    pub thread_id: Option<String>,
    pub subject: String,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    /// As stored: a UTC instant when `date_exact`, else the writer's local
    /// wall-clock time counted as UTC.
    pub date: Option<i64>,
    /// Whether `date` is a UTC instant (false: the attribution gave no offset).
    pub date_exact: bool,
    pub text: String,
    pub person: Option<String>,
}

/// Texts of the quoted messages (depth ≥ 1) in a stored `quotes` JSON.
pub fn quoted_text_of(quotes_json: &str) -> String {
    // Only two fields are read: a typed parse skips the rest cheaply.
    #[derive(serde::Deserialize)]
    struct Quoted<'a> {
        #[serde(default)]
        depth: u64,
        #[serde(default, borrow)]
        text: Option<std::borrow::Cow<'a, str>>,
    }
    let Ok(items) = serde_json::from_str::<Vec<Quoted<'_>>>(quotes_json) else {
        return String::new();
    };
    let mut out = String::new();
    for q in items.iter().filter(|q| q.depth > 0) {
        if let Some(t) = &q.text {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(t);
        }
    }
    out
}

/// The columns `message_row` reads, with the author's person.
const MESSAGE_SELECT: &str = "SELECT m.seq, m.id, m.list, m.thread_id, COALESCE(m.subject, ''),
        m.author_name, m.author_address, m.to_addrs, m.cc_addrs, m.date,
        COALESCE(m.new_text, m.body), m.quotes, pl.person
   FROM messages m
   LEFT JOIN person_links pl ON pl.kind = 'message' AND pl.target = m.id";

impl Store {
    /// The highest message `seq` stored (0 when empty).
    pub fn max_message_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM messages", [], |r| {
                r.get(0)
            })?)
    }

    /// Up to `limit` messages with `seq > after`, in `seq` order.
    pub fn messages_for_index(&self, after: i64, limit: usize) -> Result<Vec<IndexMessage>> {
        let mut q = self.conn.prepare_cached(&format!(
            "{MESSAGE_SELECT} WHERE m.seq > ?1 ORDER BY m.seq LIMIT ?2"
        ))?;
        let mut out = q
            .query_map(params![after, limit as i64], message_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if let (Some(first), Some(last)) = (out.first(), out.last()) {
            let tags = self.message_tags_between(first.seq - 1, last.seq)?;
            for m in &mut out {
                if let Some(t) = tags.get(&m.id) {
                    m.tags = t.clone();
                }
            }
        }
        Ok(out)
    }

    /// The messages with these ids (those that exist).
    pub fn messages_for_index_by_id(&self, ids: &[String]) -> Result<Vec<IndexMessage>> {
        let mut q = self
            .conn
            .prepare_cached(&format!("{MESSAGE_SELECT} WHERE m.id = ?1"))?;
        let mut out = Vec::new();
        for id in ids {
            let rows = q
                .query_map(params![id], message_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.extend(rows);
        }
        for m in &mut out {
            m.tags = self
                .tags_of(crate::TagKind::Message, &m.id)?
                .into_iter()
                .map(|t| (t.framework, t.code))
                .collect();
        }
        Ok(out)
    }

    fn message_tags_between(
        &self,
        after: i64,
        upto: i64,
    ) -> Result<HashMap<String, Vec<(String, String)>>> {
        // CROSS JOIN keeps the messages of the range as the outer loop: with a plain
        // JOIN SQLite walked every message tag of the store for each chunk, which made
        // indexing a fresh store quadratic (at 1M messages, most of its time)
        let mut q = self.conn.prepare_cached(
            "SELECT t.target, t.framework, t.code FROM messages m
                   CROSS JOIN tags t ON t.kind = 'message' AND t.target = m.id
                  WHERE m.seq > ?1 AND m.seq <= ?2",
        )?;
        let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let rows = q.query_map(params![after, upto], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (target, fw, code) = row?;
            let v = out.entry(target).or_default();
            if !v.contains(&(fw.clone(), code.clone())) {
                v.push((fw, code));
            }
        }
        Ok(out)
    }

    /// Every tag of one kind of target (`thread`, `session`), grouped by target.
    pub fn tags_by_target(
        &self,
        kind: crate::TagKind,
    ) -> Result<HashMap<String, Vec<(String, String)>>> {
        let mut q = self
            .conn
            .prepare("SELECT target, framework, code FROM tags WHERE kind = ?1")?;
        let rows = q.query_map(params![kind], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for row in rows {
            let (target, fw, code) = row?;
            let v = out.entry(target).or_default();
            if !v.contains(&(fw.clone(), code.clone())) {
                v.push((fw, code));
            }
        }
        Ok(out)
    }

    /// Per list: how many reconstructed messages and a digest of their ids
    /// and lengths, so the index can tell which lists' rows changed.
    pub fn reconstructed_digests(&self) -> Result<Vec<(String, String)>> {
        let mut q = self.conn.prepare(
            "SELECT list, COUNT(*), COALESCE(SUM(LENGTH(body)), 0), COALESCE(MIN(id), ''),
                        COALESCE(MAX(id), ''), COALESCE(SUM(date), 0)
                   FROM reconstructed GROUP BY list ORDER BY list",
        )?;
        let rows = q
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    format!(
                        "{}:{}:{}:{}:{}",
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?
                    ),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every reconstructed message of a list.
    pub fn reconstructed_for_index(&self, list: &str) -> Result<Vec<IndexReconstructed>> {
        let mut q = self.conn.prepare(
            "SELECT r.id, r.list, r.thread_id, COALESCE(NULLIF(r.subject, ''), t.subject, ''),
                        r.author_name, r.author_address, r.date, r.body, pl.person, r.date_exact
                   FROM reconstructed r
                   LEFT JOIN threads t ON t.id = r.thread_id
                   LEFT JOIN person_links pl ON pl.kind = 'reconstructed' AND pl.target = r.id
                  WHERE r.list = ?1 ORDER BY r.id",
        )?;
        let rows = q
            .query_map(params![list], |r| {
                Ok(IndexReconstructed {
                    id: r.get(0)?,
                    list: r.get(1)?,
                    thread_id: r.get(2)?,
                    subject: r.get(3)?,
                    author_name: r.get(4)?,
                    author_address: r.get(5)?,
                    date: r.get(6)?,
                    date_exact: r.get(9)?,
                    text: r.get(7)?,
                    person: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Ids of the archived messages of a thread.
    pub fn message_ids_of_thread(&self, thread: &str) -> Result<Vec<String>> {
        let mut q = self
            .conn
            .prepare_cached("SELECT id FROM messages WHERE thread_id = ?1")?;
        let rows = q
            .query_map(params![thread], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    /// Ids of the archived messages linked to a person.
    pub fn message_ids_of_person(&self, person: &str) -> Result<Vec<String>> {
        let mut q = self.conn.prepare_cached(
            "SELECT target FROM person_links WHERE person = ?1 AND kind = 'message'",
        )?;
        let rows = q
            .query_map(params![person], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }
}

fn message_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<IndexMessage> {
    let to: String = r.get(7)?;
    let cc: String = r.get(8)?;
    let quotes: Option<String> = r.get(11)?;
    Ok(IndexMessage {
        seq: r.get(0)?,
        id: r.get(1)?,
        list: r.get(2)?,
        thread_id: r.get(3)?,
        subject: r.get(4)?,
        author_name: r.get(5)?,
        author_address: r.get(6)?,
        recipients: if cc.is_empty() {
            to
        } else {
            format!("{to}, {cc}")
        },
        date: r.get(9)?,
        new_text: r.get(10)?,
        quoted_text: quotes.as_deref().map(quoted_text_of).unwrap_or_default(),
        person: r.get(12)?,
        tags: Vec::new(),
    })
}
