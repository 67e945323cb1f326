//! plenary-store: the embedded store (one SQLite file under the data folder).
//!
//! Raw messages are kept byte-for-byte (deflate-compressed) beside the
//! decoded fields; threads are derived and can be rebuilt at any time with
//! [`Store::rethread`]. The public surface is this file's `Store` methods and
//! the serialisable row types in [`model`].

mod agenda;
mod exports;
pub mod model;
mod people;
mod schema;
mod search;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use plenary_mail::date::{month_of, rfc3339_utc};
use plenary_mail::thread::{build_threads, ThreadInput};
use plenary_mail::ParsedMessage;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

pub use agenda::{EventSummary, SessionOutcome, SessionVersion, TagRow, ThreadText};
pub use exports::{write_mboxrd, DatasetMessage, FeedMessage, RawMessage, Selection};
pub use model::*;
pub use people::{AuthorRow, MessageSummary};
pub use schema::SCHEMA_VERSION;
pub use search::{quoted_text_of, IndexMessage, IndexReconstructed};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A query failed (`?` converts every rusqlite error into this).
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The store file could not be opened; names the file.
    #[error("cannot open the store {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The file's schema is newer than this build knows: refused, left untouched.
    #[error(
        "{path} was written by a newer Plenary (schema {found}; this one knows up to {known}): upgrade Plenary"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    /// A migration failed; it was rolled back, the file is as it was.
    #[error("cannot migrate the store {path} from schema {from} to {to}: {}", schema::migration_reason(.source))]
    Migrate {
        path: PathBuf,
        from: i64,
        to: usize,
        // Boxed: rusqlite_migration's error is large and every Result carries the size.
        source: Box<rusqlite_migration::Error>,
    },
    #[error("cannot create data folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// How far back a reply without reference headers may look for its subject.
pub const SUBJECT_WINDOW_SECS: i64 = 45 * 86400;

/// Counts every committed change to derived-from or derived data, so that
/// derived stores (the search index) can tell cheaply whether to look again.
pub(crate) fn bump_generation(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("UPDATE store_generation SET n = n + 1", [])
        .map(|_| ())
}

/// A message ready to store: the decoded form plus the bytes it came from.
pub struct NewMessage {
    pub parsed: ParsedMessage,
    pub raw: Vec<u8>,
    pub alt_raw: Option<Vec<u8>>,
    pub origin: String,
    /// What quote analysis found in the body (derived; may be absent).
    pub analysis: Option<StoredAnalysis>,
}

/// Quote analysis of a body, as the store keeps it (JSON produced by the analyser).
#[derive(Debug, Clone, Default)]
pub struct StoredAnalysis {
    /// Zones over the body: `[{"start","end","kind","depth",...}]`.
    pub zones_json: String,
    /// The message's own words.
    pub new_text: String,
    /// The quoted messages: `[{"depth","parent","attribution","text",...}]` (index 0 excluded).
    pub quotes_json: String,
}

/// A message recovered from quotes, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReconstructed {
    pub id: String,
    pub thread_id: Option<String>,
    /// The archived message whose body held the quote.
    pub source_id: String,
    /// The message it quotes (reconstructed or archived id).
    pub parent: Option<String>,
    pub depth: u32,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    pub via_list: Option<String>,
    /// UTC seconds; exact only when the attribution gave an offset.
    pub date: Option<i64>,
    pub date_exact: bool,
    pub date_text: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub attribution: Option<String>,
    /// How many archived messages quote it.
    pub quoted_by: u32,
}

/// A stored decoded body with what quote analysis needs to know of its message.
#[derive(Debug, Clone)]
pub struct StoredBody {
    pub id: String,
    pub body: String,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    pub date: Option<i64>,
    pub date_offset: Option<i32>,
}

/// An archived message as reconstruction sees it.
#[derive(Debug, Clone)]
pub struct AnalysedMessage {
    pub id: String,
    pub thread_id: Option<String>,
    pub parent: Option<String>,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    pub date: Option<i64>,
    pub date_offset: Option<i32>,
    pub new_text: Option<String>,
    pub quotes_json: Option<String>,
}

/// What one batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    pub new: usize,
    pub duplicate: usize,
}

/// The embedded store.
pub struct Store {
    conn: Connection,
}

/// Per-thread aggregate while rethreading: subject, root key, count, first, last,
/// and whether the subject came from a root-level message.
type ThreadAgg = (String, String, i64, Option<i64>, Option<i64>, bool);

/// A message's place in its thread, for evaluation.
#[derive(Debug, Clone)]
pub struct ParentRow {
    pub id: String,
    pub parent: Option<String>,
    pub ghost_parent: Option<String>,
}

/// A list's URL-safe key: `WG-Strategy` → `wg-strategy`.
pub fn list_slug(name: &str) -> String {
    let s: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "unsorted".to_string()
    } else {
        s
    }
}

fn thread_id_of(list: &str, root_key: &str) -> String {
    let d = Sha256::digest(format!("{list}\0{root_key}").as_bytes());
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 16),
        flate2::Compression::fast(),
    );
    // Writing to a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

fn decompress(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| StoreError::Corrupt(format!("raw message does not inflate: {e}")))?;
    Ok(out)
}

impl Store {
    /// A number that grows with every committed change (see `bump_generation`).
    pub fn generation(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(n), 0) FROM store_generation",
            [],
            |r| r.get(0),
        )?)
    }

    /// Opens (creating if needed) the store in `dir`, bringing its schema up to
    /// [`SCHEMA_VERSION`]; a store written by a newer Plenary is refused.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let conn = schema::open(&dir.join("plenary.sqlite3"))?;
        Ok(Store { conn })
    }

    /// Stores a batch in one transaction. A message whose id, or whose
    /// pipermail fingerprint, is already stored counts as a duplicate.
    pub fn insert_batch(&mut self, batch: Vec<NewMessage>) -> Result<BatchOutcome> {
        let tx = self.conn.transaction()?;
        let mut out = BatchOutcome::default();
        {
            let mut exists = tx.prepare_cached("SELECT 1 FROM messages WHERE id = ?1")?;
            let mut fp_exists = tx
                .prepare_cached(
                    "SELECT 1 FROM messages WHERE fingerprint = ?1 AND (message_id IS NULL OR ?2 IS NULL)",
                )?;
            let mut list_ins = tx
                .prepare_cached(
                    "INSERT INTO lists(slug, name, address, evidence) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(slug) DO UPDATE SET address = COALESCE(lists.address, excluded.address)",
                )?;
            let mut ins = tx.prepare_cached(
                "INSERT INTO messages(id, message_id, list, subject, thread_subject, is_reply,
                      author_name, author_address, via_list, date, date_offset, in_reply_to, refs,
                      to_addrs, cc_addrs, body, body_source, attachments, fingerprint, warnings,
                      origin, raw, raw_len, alt_raw, zones, new_text, quotes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                      ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
            )?;
            for m in batch {
                let p = &m.parsed;
                if exists.exists(params![p.id])? {
                    out.duplicate += 1;
                    continue;
                }
                if let Some(fp) = &p.fingerprint {
                    // The same archived message in another pipermail shape (a page has no
                    // Message-ID); two messages that both have Message-IDs are never merged here.
                    if fp_exists.exists(params![fp, p.message_id])? {
                        out.duplicate += 1;
                        continue;
                    }
                }
                let (list_name, evidence, list_addr) = match &p.list {
                    Some(l) => (l.name.clone(), l.evidence, l.address.clone()),
                    None => ("unsorted".to_string(), "none", None),
                };
                let slug = list_slug(&list_name);
                list_ins.execute(params![slug, list_name, list_addr, evidence])?;
                ins.execute(params![
                    p.id,
                    p.message_id,
                    slug,
                    p.subject,
                    p.thread_subject,
                    p.is_reply,
                    p.author.name,
                    p.author.address,
                    p.author.via_list,
                    p.date.map(|d| d.utc),
                    p.date.and_then(|d| d.offset_seconds),
                    p.in_reply_to,
                    p.references.join(" "),
                    p.to.join(", "),
                    p.cc.join(", "),
                    p.body,
                    p.body_source,
                    serde_json::to_string(&p.attachments).unwrap_or_else(|_| "[]".into()),
                    p.fingerprint,
                    serde_json::to_string(&p.warnings).unwrap_or_else(|_| "[]".into()),
                    m.origin,
                    compress(&m.raw),
                    m.raw.len() as i64,
                    m.alt_raw.as_deref().map(compress),
                    m.analysis.as_ref().map(|a| a.zones_json.as_str()),
                    m.analysis.as_ref().map(|a| a.new_text.as_str()),
                    m.analysis.as_ref().map(|a| a.quotes_json.as_str()),
                ])?;
                out.new += 1;
            }
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Keeps a message that could not be analysed, raw, with its reason.
    /// Returns false when the same bytes were already rejected.
    pub fn insert_reject(&mut self, origin: &str, reason: &str, raw: &[u8]) -> Result<bool> {
        let d = Sha256::digest(raw);
        let mut hash: String = d.iter().map(|b| format!("{b:02x}")).collect();
        if raw.is_empty() {
            // Unreadable files have no bytes: key them by where and why.
            hash = format!("empty:{origin}:{reason}");
        }
        let n = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO rejects(hash, origin, reason, raw, raw_len) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![hash, origin, reason, compress(raw), raw.len() as i64],
            )?;
        Ok(n == 1)
    }

    /// Rebuilds threads of the given lists (all lists when empty) from stored headers.
    pub fn rethread(&mut self, lists: &[String]) -> Result<usize> {
        let lists: Vec<String> = if lists.is_empty() {
            self.list_slugs()?
        } else {
            lists.to_vec()
        };
        let mut total_threads = 0;
        for list in lists {
            let tx = self.conn.transaction()?;
            {
                let mut q = tx.prepare(
                    "SELECT seq, id, message_id, in_reply_to, refs, thread_subject, is_reply, date,
                                thread_id, parent, ghost_parent, subject
                         FROM messages WHERE list = ?1 ORDER BY seq",
                )?;
                struct Row {
                    seq: i64,
                    thread_id: Option<String>,
                    parent: Option<String>,
                    ghost: Option<String>,
                    subject: Option<String>,
                }
                let mut rows = Vec::new();
                let mut inputs = Vec::new();
                let mut it = q.query(params![list])?;
                while let Some(r) = it.next()? {
                    let refs: String = r.get(4)?;
                    inputs.push(ThreadInput {
                        id: r.get(1)?,
                        message_id: r.get(2)?,
                        in_reply_to: r.get(3)?,
                        references: refs.split_whitespace().map(str::to_string).collect(),
                        thread_subject: r.get(5)?,
                        is_reply: r.get(6)?,
                        date: r.get(7)?,
                    });
                    rows.push(Row {
                        seq: r.get(0)?,
                        thread_id: r.get(8)?,
                        parent: r.get(9)?,
                        ghost: r.get(10)?,
                        subject: r.get(11)?,
                    });
                }
                drop(it);
                let links = build_threads(&inputs, SUBJECT_WINDOW_SECS);
                let mut upd = tx
                    .prepare_cached(
                        "UPDATE messages SET thread_id = ?1, parent = ?2, ghost_parent = ?3, thread_evidence = ?4 WHERE seq = ?5",
                    )?;
                // thread aggregates: id -> (subject, root_key, count, first, last, named by a root)
                let mut agg: std::collections::HashMap<String, ThreadAgg> =
                    std::collections::HashMap::new();
                for (i, link) in links.iter().enumerate() {
                    let tid = thread_id_of(&list, &link.root_key);
                    let parent = link.parent.map(|p| inputs[p].id.clone());
                    let row = &rows[i];
                    if row.thread_id.as_deref() != Some(tid.as_str())
                        || row.parent != parent
                        || row.ghost != link.ghost_parent
                    {
                        upd.execute(params![
                            tid,
                            parent,
                            link.ghost_parent,
                            link.evidence,
                            row.seq
                        ])?;
                    }
                    let date = inputs[i].date;
                    let is_root = link.parent.is_none();
                    let subj = row
                        .subject
                        .as_deref()
                        .map(plenary_mail::subject::normalize_subject)
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| inputs[i].thread_subject.clone());
                    let entry = agg.entry(tid).or_insert_with(|| {
                        (subj.clone(), link.root_key.clone(), 0, date, date, is_root)
                    });
                    entry.2 += 1;
                    // Name the thread after its earliest root-level message.
                    let earlier = match (date, entry.3) {
                        (Some(d), Some(f)) => d < f,
                        (Some(_), None) => true,
                        _ => false,
                    };
                    if (is_root && (!entry.5 || earlier)) || (!entry.5 && earlier) {
                        entry.0 = subj;
                        entry.5 = is_root;
                    }
                    entry.3 = match (entry.3, date) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    entry.4 = match (entry.4, date) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        (a, b) => a.or(b),
                    };
                }
                tx.execute("DELETE FROM threads WHERE list = ?1", params![list])?;
                let mut ins = tx
                    .prepare_cached(
                        "INSERT INTO threads(id, list, subject, root_key, count, first, last) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?;
                total_threads += agg.len();
                for (tid, (subject, root, count, first, last, _)) in agg {
                    ins.execute(params![tid, list, subject, root, count, first, last])?;
                }
            }
            crate::bump_generation(&tx)?;
            tx.commit()?;
        }
        Ok(total_threads)
    }

    /// Archived messages of a list with what reconstruction needs, oldest first.
    pub fn analysed_messages(&self, list: &str) -> Result<Vec<AnalysedMessage>> {
        let mut q = self
            .conn
            .prepare(
                "SELECT id, thread_id, parent, author_name, author_address, date, date_offset, new_text, quotes
                 FROM messages WHERE list = ?1 ORDER BY date, seq",
            )?;
        let v = q
            .query_map(params![list], |r| {
                Ok(AnalysedMessage {
                    id: r.get(0)?,
                    thread_id: r.get(1)?,
                    parent: r.get(2)?,
                    author_name: r.get(3)?,
                    author_address: r.get(4)?,
                    date: r.get(5)?,
                    date_offset: r.get(6)?,
                    new_text: r.get(7)?,
                    quotes_json: r.get(8)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Replaces a list's reconstructed messages and the links from archived
    /// messages to what they quote (`quote_parent`: id of the quoted message).
    pub fn replace_reconstructed(
        &mut self,
        list: &str,
        rows: &[NewReconstructed],
        quote_parents: &[(String, String)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM reconstructed WHERE list = ?1", params![list])?;
        tx.execute(
            "UPDATE messages SET quote_parent = NULL WHERE list = ?1 AND quote_parent IS NOT NULL",
            params![list],
        )?;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO reconstructed(id, list, thread_id, source_id, parent, depth,
                      author_name, author_address, via_list, date, date_exact, date_text, subject, body,
                      attribution, quoted_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                )?;
            for r in rows {
                ins.execute(params![
                    r.id,
                    list,
                    r.thread_id,
                    r.source_id,
                    r.parent,
                    r.depth,
                    r.author_name,
                    r.author_address,
                    r.via_list,
                    r.date,
                    r.date_exact,
                    r.date_text,
                    r.subject,
                    r.body,
                    r.attribution,
                    r.quoted_by,
                ])?;
            }
            let mut upd =
                tx.prepare_cached("UPDATE messages SET quote_parent = ?1 WHERE id = ?2")?;
            for (msg, quoted) in quote_parents {
                upd.execute(params![quoted, msg])?;
            }
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Every message of a list for re-analysis, in import order.
    pub fn bodies(&self, list: &str) -> Result<Vec<StoredBody>> {
        let mut q = self
            .conn
            .prepare(
                "SELECT id, body, author_name, author_address, date, date_offset FROM messages WHERE list = ?1 ORDER BY seq",
            )?;
        let v = q
            .query_map(params![list], |r| {
                Ok(StoredBody {
                    id: r.get(0)?,
                    body: r.get(1)?,
                    author_name: r.get(2)?,
                    author_address: r.get(3)?,
                    date: r.get(4)?,
                    date_offset: r.get(5)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// About `n` bodies of a list, spread evenly over it (for learning its footer).
    pub fn sample_bodies(&self, list: &str, n: usize) -> Result<Vec<StoredBody>> {
        let count: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM messages WHERE list = ?1",
            [list],
            |r| r.get(0),
        )?;
        let step = (count / n.max(1) as i64).max(1);
        self.body_rows(
            "SELECT id, body, author_name, author_address, date, date_offset FROM
               (SELECT *, ROW_NUMBER() OVER (ORDER BY seq) AS k FROM messages WHERE list = ?1)
             WHERE (k - 1) % ?2 = 0 ORDER BY seq",
            params![list, step],
        )
    }

    /// Bodies of a list that contain `needle`.
    pub fn bodies_containing(&self, list: &str, needle: &str) -> Result<Vec<StoredBody>> {
        self.body_rows(
            "SELECT id, body, author_name, author_address, date, date_offset FROM messages
             WHERE list = ?1 AND instr(body, ?2) > 0 ORDER BY seq",
            params![list, needle],
        )
    }

    fn body_rows(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<StoredBody>> {
        let mut q = self.conn.prepare(sql)?;
        let v = q
            .query_map(args, |r| {
                Ok(StoredBody {
                    id: r.get(0)?,
                    body: r.get(1)?,
                    author_name: r.get(2)?,
                    author_address: r.get(3)?,
                    date: r.get(4)?,
                    date_offset: r.get(5)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Replaces the stored quote analysis of messages, in one transaction.
    pub fn update_analyses(&mut self, rows: &[(String, StoredAnalysis)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut upd = tx.prepare_cached(
                "UPDATE messages SET zones = ?1, new_text = ?2, quotes = ?3 WHERE id = ?4",
            )?;
            for (id, a) in rows {
                upd.execute(params![a.zones_json, a.new_text, a.quotes_json, id])?;
            }
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn list_slugs(&self) -> Result<Vec<String>> {
        let mut q = self.conn.prepare("SELECT slug FROM lists ORDER BY slug")?;
        let v = q
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()?;
        Ok(v)
    }

    /// Counts for `plenary stats`.
    pub fn stats(&self) -> Result<Stats> {
        let c = |sql: &str| -> Result<u64> {
            Ok(self
                .conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|v| v as u64)?)
        };
        Ok(Stats {
            messages: c("SELECT COUNT(*) FROM messages")?,
            threads: c("SELECT COUNT(*) FROM threads")?,
            lists: c("SELECT COUNT(*) FROM lists")?,
            rejected: c("SELECT COUNT(*) FROM rejects")?,
            reconstructed: c("SELECT COUNT(*) FROM reconstructed")?,
            // distinct senders (address, else name) until identities are resolved
            people: c(
                "SELECT COUNT(DISTINCT lower(COALESCE(author_address, author_name))) FROM messages",
            )?,
            sessions: c("SELECT COUNT(*) FROM sessions")?,
        })
    }

    /// All lists with their counts.
    pub fn lists(&self) -> Result<Vec<ListSummary>> {
        let mut q = self.conn.prepare(
            "SELECT l.slug, l.name, l.address,
                        (SELECT COUNT(*) FROM messages m WHERE m.list = l.slug),
                        (SELECT COUNT(*) FROM threads t WHERE t.list = l.slug),
                        (SELECT MIN(date) FROM messages m WHERE m.list = l.slug),
                        (SELECT MAX(date) FROM messages m WHERE m.list = l.slug)
                 FROM lists l ORDER BY l.slug",
        )?;
        let v = q
            .query_map([], |r| {
                Ok(ListSummary {
                    slug: r.get(0)?,
                    name: r.get(1)?,
                    address: r.get(2)?,
                    messages: r.get::<_, i64>(3)? as u64,
                    threads: r.get::<_, i64>(4)? as u64,
                    first: r.get::<_, Option<i64>>(5)?.map(rfc3339_utc),
                    last: r.get::<_, Option<i64>>(6)?.map(rfc3339_utc),
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// One list.
    pub fn list(&self, slug: &str) -> Result<Option<ListSummary>> {
        Ok(self.lists()?.into_iter().find(|l| l.slug == slug))
    }

    /// Months of a list with message and thread counts, newest first.
    pub fn months(&self, list: &str) -> Result<Vec<MonthSummary>> {
        let mut q = self
            .conn
            .prepare("SELECT date, thread_id FROM messages WHERE list = ?1 AND date IS NOT NULL")?;
        let mut map: std::collections::BTreeMap<String, (u64, std::collections::HashSet<String>)> =
            Default::default();
        let rows = q.query_map(params![list], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        for row in rows {
            let (d, t) = row?;
            let e = map.entry(month_of(d)).or_default();
            e.0 += 1;
            if let Some(t) = t {
                e.1.insert(t);
            }
        }
        Ok(map
            .into_iter()
            .rev()
            .map(|(month, (messages, threads))| MonthSummary {
                month,
                messages,
                threads: threads.len() as u64,
            })
            .collect())
    }

    /// Threads, newest activity first; optionally one list and threads active in one month (`YYYY-MM`).
    pub fn threads(
        &self,
        list: Option<&str>,
        month: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ThreadSummary>> {
        let mut sql = String::from(
            "SELECT t.id, t.subject, t.list, t.count, t.first, t.last FROM threads t WHERE 1=1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(l) = list {
            sql.push_str(" AND t.list = ?");
            args.push(l.to_string().into());
        }
        if let Some(m) = month {
            let (start, end) =
                month_bounds(m).ok_or_else(|| StoreError::Corrupt(format!("not a month: {m}")))?;
            sql.push_str(
                " AND t.id IN (SELECT thread_id FROM messages WHERE date >= ? AND date < ?",
            );
            args.push(start.into());
            args.push(end.into());
            if let Some(l) = list {
                sql.push_str(" AND list = ?");
                args.push(l.to_string().into());
            }
            sql.push(')');
        }
        sql.push_str(" ORDER BY t.last DESC LIMIT ?");
        args.push((limit as i64).into());
        let mut q = self.conn.prepare(&sql)?;
        let v = q
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok(ThreadSummary {
                    id: r.get(0)?,
                    subject: r.get(1)?,
                    list: r.get(2)?,
                    count: r.get::<_, i64>(3)? as u64,
                    first: r.get::<_, Option<i64>>(4)?.map(rfc3339_utc),
                    last: r.get::<_, Option<i64>>(5)?.map(rfc3339_utc),
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// A thread with its messages in tree order (each reply after its parent, by date),
    /// messages recovered from quotes included and marked `reconstructed`.
    pub fn thread(&self, id: &str) -> Result<Option<ThreadDetail>> {
        let head = self
            .conn
            .query_row(
                "SELECT id, subject, list FROM threads WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, subject, list)) = head else {
            return Ok(None);
        };
        let mut q = self
            .conn
            .prepare(
                "SELECT id, COALESCE(parent, quote_parent), ghost_parent, subject, date, author_name, author_address, NULL, 0
                 FROM messages WHERE thread_id = ?1
                 UNION ALL
                 SELECT id, parent, NULL, subject, date, author_name, author_address, source_id, 1
                 FROM reconstructed WHERE thread_id = ?1
                 ORDER BY 5, 1",
            )?;
        let flat = q
            .query_map(params![id], |r| {
                Ok(ThreadMessage {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    ghost_parent: r.get(2)?,
                    subject: r.get(3)?,
                    date: r.get::<_, Option<i64>>(4)?.map(rfc3339_utc),
                    author: AuthorRef {
                        name: r.get(5)?,
                        address: r.get(6)?,
                    },
                    source: r.get(7)?,
                    reconstructed: r.get(8)?,
                    depth: 0,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(Some(ThreadDetail {
            id,
            subject,
            list,
            messages: tree_order(flat),
        }))
    }

    /// One message, decoded.
    pub fn message(&self, id: &str) -> Result<Option<MessageDetail>> {
        let archived = self.archived_message(id)?;
        if archived.is_some() {
            return Ok(archived);
        }
        self.reconstructed_message(id)
    }

    fn archived_message(&self, id: &str) -> Result<Option<MessageDetail>> {
        Ok(self.conn
            .query_row(
                "SELECT id, message_id, list, thread_id, parent, ghost_parent, subject, date, date_offset,
                        author_name, author_address, via_list, to_addrs, cc_addrs, body, body_source,
                        attachments, warnings, origin, raw_len, in_reply_to, refs, thread_evidence,
                        zones, new_text, quote_parent
                 FROM messages WHERE id = ?1",
                params![id],
                |r| {
                    let to: String = r.get(12)?;
                    let cc: String = r.get(13)?;
                    let att: String = r.get(16)?;
                    let warn: String = r.get(17)?;
                    let refs: String = r.get(21)?;
                    Ok(MessageDetail {
                        id: r.get(0)?,
                        message_id: r.get(1)?,
                        list: r.get(2)?,
                        thread: r.get(3)?,
                        parent: r.get(4)?,
                        ghost_parent: r.get(5)?,
                        subject: r.get(6)?,
                        date: r.get::<_, Option<i64>>(7)?.map(rfc3339_utc),
                        date_offset_seconds: r.get(8)?,
                        author: AuthorDetail {
                            name: r.get(9)?,
                            address: r.get(10)?,
                            via_list: r.get(11)?,
                        },
                        to: split_addrs(&to),
                        cc: split_addrs(&cc),
                        body: r.get(14)?,
                        body_source: r.get(15)?,
                        attachments: serde_json::from_str(&att).unwrap_or_default(),
                        warnings: serde_json::from_str(&warn).unwrap_or_default(),
                        origin: r.get(18)?,
                        raw_len: r.get::<_, i64>(19)? as u64,
                        in_reply_to: r.get(20)?,
                        references: refs.split_whitespace().map(str::to_string).collect(),
                        thread_evidence: r.get(22)?,
                        zones: zones_of(r.get::<_, Option<String>>(23)?.as_deref()),
                        new_text: r.get(24)?,
                        quote_parent: r.get(25)?,
                        reconstructed: false,
                        source: None,
                        attribution: None,
                        date_exact: true,
                    })
                },
            )
            .optional()?)
    }

    fn reconstructed_message(&self, id: &str) -> Result<Option<MessageDetail>> {
        Ok(self.conn
            .query_row(
                "SELECT id, list, thread_id, parent, subject, date, author_name, author_address, via_list,
                        body, source_id, attribution, date_exact
                 FROM reconstructed WHERE id = ?1",
                params![id],
                |r| {
                    let body: String = r.get(9)?;
                    Ok(MessageDetail {
                        id: r.get(0)?,
                        message_id: None,
                        list: r.get(1)?,
                        thread: r.get(2)?,
                        parent: r.get(3)?,
                        ghost_parent: None,
                        subject: r.get(4)?,
                        date: r.get::<_, Option<i64>>(5)?.map(rfc3339_utc),
                        date_offset_seconds: None,
                        author: AuthorDetail {
                            name: r.get(6)?,
                            address: r.get(7)?,
                            via_list: r.get(8)?,
                        },
                        to: Vec::new(),
                        cc: Vec::new(),
                        new_text: Some(body.clone()),
                        body,
                        body_source: "quote".to_string(),
                        attachments: Vec::new(),
                        warnings: Vec::new(),
                        origin: String::new(),
                        raw_len: 0,
                        in_reply_to: None,
                        references: Vec::new(),
                        thread_evidence: Some("quote".to_string()),
                        zones: Vec::new(),
                        quote_parent: None,
                        reconstructed: true,
                        source: r.get(10)?,
                        attribution: r.get(11)?,
                        date_exact: r.get(12)?,
                    })
                },
            )
            .optional()?)
    }

    /// The stored bytes of a message, exactly as read.
    pub fn raw(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT raw FROM messages WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?;
        blob.map(|b| decompress(&b)).transpose()
    }

    /// Everything that could not be analysed.
    pub fn rejects(&self) -> Result<Vec<RejectRow>> {
        let mut q = self
            .conn
            .prepare("SELECT seq, origin, reason, raw_len FROM rejects ORDER BY seq")?;
        let v = q
            .query_map([], |r| {
                Ok(RejectRow {
                    seq: r.get::<_, i64>(0)? as u64,
                    origin: r.get(1)?,
                    reason: r.get(2)?,
                    raw_len: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// The stored bytes of one rejected input.
    pub fn reject_raw(&self, seq: u64) -> Result<Option<Vec<u8>>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT raw FROM rejects WHERE seq = ?1",
                params![seq as i64],
                |r| r.get(0),
            )
            .optional()?;
        blob.map(|b| decompress(&b)).transpose()
    }

    /// How many replies (messages with reference headers or a reply subject)
    /// were placed under a parent: `(replies, with archived parent, with ghost parent only)`.
    pub fn reply_placement(&self, list: Option<&str>) -> Result<(u64, u64, u64)> {
        let sql = "SELECT COUNT(*),
                          SUM(parent IS NOT NULL),
                          SUM(parent IS NULL AND ghost_parent IS NOT NULL)
                   FROM messages
                   WHERE (in_reply_to IS NOT NULL OR refs != '' OR is_reply)
                     AND (?1 IS NULL OR list = ?1)";
        Ok(self.conn.query_row(sql, params![list], |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0) as u64,
                r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u64,
            ))
        })?)
    }

    /// Parent ids of all messages (`id -> parent id`), for evaluation against ground truth.
    pub fn parents(&self) -> Result<Vec<ParentRow>> {
        let mut q = self
            .conn
            .prepare("SELECT id, parent, ghost_parent FROM messages")?;
        let v = q
            .query_map([], |r| {
                Ok(ParentRow {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    ghost_parent: r.get(2)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }
}

/// Zones as the analyser stored them; a missing or unreadable column is no zones.
fn zones_of(json: Option<&str>) -> Vec<ZoneRow> {
    json.and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default()
}

fn split_addrs(s: &str) -> Vec<String> {
    s.split(", ")
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// `YYYY-MM` → [start, end) in UTC seconds.
pub fn month_bounds(m: &str) -> Option<(i64, i64)> {
    let (y, mo) = m.split_once('-')?;
    let y: i16 = y.parse().ok()?;
    let mo: i8 = mo.parse().ok().filter(|m| (1..=12).contains(m))?;
    let start = jiff_month_start(y, mo)?;
    let (ny, nm) = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
    let end = jiff_month_start(ny, nm)?;
    Some((start, end))
}

fn jiff_month_start(y: i16, m: i8) -> Option<i64> {
    plenary_mail::date::civil_to_utc(i32::from(y), u8::try_from(m).ok()?, 1, 0, 0, 0)
}

/// Orders a thread's messages depth-first: each reply right after its parent,
/// siblings by date; messages whose parent is missing start new top-level branches.
fn tree_order(flat: Vec<ThreadMessage>) -> Vec<ThreadMessage> {
    use std::collections::HashMap;
    let ids: HashMap<String, usize> = flat
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); flat.len()];
    let mut roots = Vec::new();
    for (i, m) in flat.iter().enumerate() {
        match m.parent.as_deref().and_then(|p| ids.get(p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(flat.len());
    let mut seen = vec![false; flat.len()];
    let mut stack: Vec<(usize, u32)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    while let Some((i, d)) = stack.pop() {
        if seen[i] {
            continue;
        }
        seen[i] = true;
        order.push((i, d));
        for &c in children[i].iter().rev() {
            stack.push((c, d + 1));
        }
    }
    // Anything unreachable (a cycle) goes last, flat.
    for (i, s) in seen.iter().enumerate() {
        if !s {
            order.push((i, 0));
        }
    }
    let mut slots: Vec<Option<ThreadMessage>> = flat.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, d)| {
            slots[i].take().map(|mut m| {
                m.depth = d;
                m
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
