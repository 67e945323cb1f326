//! Archived messages: storing a batch (raw bytes kept, deflate-compressed), reading
//! one back decoded or raw, and the stored quote analysis of their bodies.

use std::collections::HashMap;
use std::io::{Read, Write};

use plenary_mail::date::rfc3339_utc;
use plenary_mail::ParsedMessage;
use rusqlite::{params, OptionalExtension};

use crate::analysis::{self, StoredAnalysis};
use crate::{
    list_slug, AuthorDetail, MessageDetail, RecoveredRef, Result, Store, StoreError, ZoneRow,
};

/// A message ready to store: the decoded form plus the bytes it came from.
pub struct NewMessage {
    pub parsed: ParsedMessage,
    pub raw: Vec<u8>,
    pub alt_raw: Option<Vec<u8>>,
    pub origin: String,
    /// What quote analysis found in the body (derived; may be absent).
    pub analysis: Option<StoredAnalysis>,
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
    pub subject: Option<String>,
    pub new_text: Option<String>,
    /// The top message (the author's own words) and the messages it quotes; empty
    /// when the message was never analysed, or when it was read without them
    /// ([`Store::analysed_messages_without_quotes`]).
    pub quotes: Vec<plenary_quotes::QuotedMessage>,
    /// How many quoted messages the analysis holds, the top one included (what
    /// `quotes.len()` is when they are read).
    pub quote_count: usize,
    /// The quoted messages' texts, each after a newline: what a client that
    /// flattened the quote levels would show below the own words.
    pub quoted_text: String,
}

impl AnalysedMessage {
    fn new(
        r: &rusqlite::Row<'_>,
        quotes: Vec<plenary_quotes::QuotedMessage>,
        keep_quotes: bool,
    ) -> Result<AnalysedMessage> {
        let mut quoted_text = String::new();
        for q in quotes.iter().skip(1) {
            quoted_text.push('\n');
            quoted_text.push_str(&q.text);
        }
        Ok(AnalysedMessage {
            id: r.get(0)?,
            thread_id: r.get(1)?,
            parent: r.get(2)?,
            author_name: r.get(3)?,
            author_address: r.get(4)?,
            date: r.get(5)?,
            date_offset: r.get(6)?,
            subject: r.get(9)?,
            new_text: r.get(7)?,
            quote_count: quotes.len(),
            quoted_text,
            quotes: if keep_quotes { quotes } else { Vec::new() },
        })
    }
}

/// What one batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    pub new: usize,
    /// The same message again: the same bytes, or the same decoded message
    /// (author, date, subject and body) in another copy.
    pub duplicate: usize,
    /// Different messages whose Message-ID was already taken: stored under a
    /// derived id (`ID~HASH`), with a warning saying so.
    pub collisions: usize,
    /// Messages a takedown removed, refused by their tombstone.
    pub taken_down: usize,
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The tombstone key of a Message-ID (or stored id).
pub(crate) fn id_hash(id: &str) -> String {
    sha256_hex(format!("message-id:{id}").as_bytes())
}

/// The tombstone key of an author address a takedown covers.
pub(crate) fn address_hash(address: &str) -> String {
    sha256_hex(format!("address:{}", address.trim().to_lowercase()).as_bytes())
}

/// The id a different message with an already used Message-ID is stored under:
/// stable for its bytes, so importing it again finds it.
fn derived_id(id: &str, raw_hash: &str) -> String {
    format!("{id}~{}", &raw_hash[..12.min(raw_hash.len())])
}

pub(crate) fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 16),
        flate2::Compression::fast(),
    );
    // Writing to a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

pub(crate) fn decompress(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| StoreError::Corrupt(format!("raw message does not inflate: {e}")))?;
    Ok(out)
}

impl Store {
    /// Stores a batch in one transaction. Identical bytes, or the same decoded
    /// message (author, date, subject, body) under the same id, or the same
    /// pipermail fingerprint, count as duplicates; a different message reusing a
    /// stored Message-ID is stored under a derived id (nothing is dropped); a
    /// message a takedown removed is refused by its tombstone. The lists that
    /// receive messages are marked pending until [`Store::derivation_done`].
    pub fn insert_batch(&mut self, batch: Vec<NewMessage>) -> Result<BatchOutcome> {
        let tx = self.conn.transaction()?;
        let mut out = BatchOutcome::default();
        let any_tombstone: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM tombstones)", [], |r| r.get(0))?;
        {
            let mut stored = tx.prepare_cached(
                "SELECT raw, author_address, date, subject, body FROM messages WHERE id = ?1",
            )?;
            let mut tomb = tx.prepare_cached("SELECT kind FROM tombstones WHERE hash = ?1")?;
            let mut fp_exists = tx
                .prepare_cached(
                    "SELECT 1 FROM messages WHERE fingerprint = ?1 AND (message_id IS NULL OR ?2 IS NULL)",
                )?;
            let mut list_ins = tx
                .prepare_cached(
                    "INSERT INTO lists(slug, name, address, evidence) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(slug) DO UPDATE SET address = COALESCE(lists.address, excluded.address)",
                )?;
            let mut pending =
                tx.prepare_cached("INSERT OR IGNORE INTO pending_lists(slug) VALUES (?1)")?;
            let mut hash_ins =
                tx.prepare_cached("INSERT INTO msgid_hashes(seq, hash) VALUES (?1, ?2)")?;
            let mut token_ins = tx.prepare_cached(
                "INSERT OR IGNORE INTO thread_tokens(token, seq) VALUES (?1, ?2)",
            )?;
            let mut ins = tx.prepare_cached(
                "INSERT INTO messages(id, message_id, list, subject, thread_subject, is_reply,
                      author_name, author_address, via_list, date, date_offset, in_reply_to, refs,
                      to_addrs, cc_addrs, body, body_source, attachments, fingerprint, warnings,
                      origin, raw, raw_len, alt_raw, zones, new_text, quotes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                      ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
            )?;
            for mut m in batch {
                // Tombstones are checked only once a takedown left some: an
                // import into a store without takedowns hashes nothing here.
                if any_tombstone {
                    let mut tombstone = |h: &str| -> rusqlite::Result<Option<String>> {
                        tomb.query_row(params![h], |r| r.get(0)).optional()
                    };
                    match tombstone(&sha256_hex(&m.raw))?.as_deref() {
                        Some("redacted") => {
                            out.duplicate += 1;
                            continue;
                        }
                        Some(_) => {
                            out.taken_down += 1;
                            continue;
                        }
                        None => {}
                    }
                    let by_taken_down_address = match &m.parsed.author.address {
                        Some(a) => tombstone(&address_hash(a))?.is_some(),
                        None => false,
                    };
                    if by_taken_down_address || tombstone(&id_hash(&m.parsed.id))?.is_some() {
                        out.taken_down += 1;
                        continue;
                    }
                }
                let mut same = |id: &str, m: &NewMessage| -> Result<Option<bool>> {
                    type Row = (Vec<u8>, Option<String>, Option<i64>, Option<String>, String);
                    let row: Option<Row> = stored
                        .query_row(params![id], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                        })
                        .optional()?;
                    let Some((raw, addr, date, subject, body)) = row else {
                        return Ok(None);
                    };
                    let p = &m.parsed;
                    // the same message in another copy: other transport headers,
                    // or the addresses obfuscated (an export of an archive that
                    // hides them, pipermail's "at")
                    use plenary_mail::address::obfuscate_text as obf;
                    let same_text = |a: Option<&str>, b: Option<&str>| match (a, b) {
                        (Some(a), Some(b)) => a == b || obf(a) == obf(b),
                        (a, b) => a == b,
                    };
                    let same_message = date == p.date.map(|d| d.utc)
                        && same_text(subject.as_deref(), p.subject.as_deref())
                        && same_text(Some(body.trim_end()), Some(p.body.trim_end()))
                        && (addr.is_none()
                            || p.author.address.is_none()
                            || same_text(addr.as_deref(), p.author.address.as_deref()));
                    Ok(Some(same_message || decompress(&raw)? == m.raw))
                };
                match same(&m.parsed.id, &m)? {
                    None => {}
                    Some(true) => {
                        out.duplicate += 1;
                        continue;
                    }
                    Some(false) => {
                        let derived = derived_id(&m.parsed.id, &sha256_hex(&m.raw));
                        if same(&derived, &m)?.is_some() {
                            out.duplicate += 1;
                            continue;
                        }
                        m.parsed.warnings.push(format!(
                            "another archived message already has the Message-ID <{}>; this one is stored as {derived}",
                            m.parsed.id
                        ));
                        m.parsed.id = derived;
                        out.collisions += 1;
                    }
                }
                let p = &m.parsed;
                if let Some(fp) = &p.fingerprint {
                    // The same archived message in another pipermail shape (a page has no
                    // Message-ID); two messages that both have Message-IDs are never merged here.
                    if fp_exists.exists(params![fp, p.message_id])? {
                        out.duplicate += 1;
                        continue;
                    }
                }
                let columns = m.analysis.as_ref().map(analysis::encode).transpose()?;
                let (list_name, evidence, list_addr) = match &p.list {
                    Some(l) => (l.name.clone(), l.evidence.as_str(), l.address.clone()),
                    None => ("unsorted".to_string(), "none", None),
                };
                let slug = list_slug(&list_name);
                list_ins.execute(params![slug, list_name, list_addr, evidence])?;
                pending.execute(params![slug])?;
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
                    columns.as_ref().map(|c| c.0.as_str()),
                    columns.as_ref().map(|c| c.1.as_str()),
                    columns.as_ref().map(|c| c.2.as_str()),
                ])?;
                let seq = tx.last_insert_rowid();
                if let Some(mid) = &p.message_id {
                    hash_ins.execute(params![seq, crate::intake::message_id_hash(mid)])?;
                }
                // the tokens it connects through, as stored above (`refs` joined by spaces)
                for key in crate::threads::token_keys(
                    p.message_id.as_deref(),
                    p.in_reply_to.as_deref(),
                    &p.references.join(" "),
                ) {
                    token_ins.execute(params![key, seq])?;
                }
                out.new += 1;
            }
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Lists an import stored messages in and has not finished deriving (a
    /// crash between storing and deriving leaves them here).
    pub fn pending_lists(&self) -> Result<Vec<String>> {
        let mut q = self
            .conn
            .prepare("SELECT slug FROM pending_lists ORDER BY slug")?;
        let v = q
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()?;
        Ok(v)
    }

    /// The derivation of `lists` is complete: they are no longer pending.
    pub fn derivation_done(&mut self, lists: &[String]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut del = tx.prepare_cached("DELETE FROM pending_lists WHERE slug = ?1")?;
            for l in lists {
                del.execute(params![l])?;
            }
        }
        tx.commit()?;
        Ok(())
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
        self.conn
            .query_row(
                "SELECT id, message_id, list, thread_id, parent, ghost_parent, subject, date, date_offset,
                        author_name, author_address, via_list, to_addrs, cc_addrs, body, body_source,
                        attachments, warnings, origin, raw_len, in_reply_to, refs, thread_evidence,
                        zones, new_text, quote_parent,
                        (SELECT person FROM person_links WHERE kind = 'message' AND target = messages.id)
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
                            person: r.get(26)?,
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
                        recovered: Vec::new(),
                        language: None,
                    })
                },
            )
            .optional()?
            .map(|mut m| {
                m.recovered = self.recovered_from(&m.id)?;
                Ok::<_, StoreError>(m)
            })
            .transpose()
    }

    /// The messages recovered from an archived message's quotes, oldest first.
    pub fn recovered_from(&self, id: &str) -> Result<Vec<RecoveredRef>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, COALESCE(author_name, author_address), date, date_exact
             FROM reconstructed WHERE source_id = ?1 ORDER BY date, id",
        )?;
        let v = q
            .query_map(params![id], |r| {
                let exact: bool = r.get(3)?;
                Ok(RecoveredRef {
                    id: r.get(0)?,
                    author: r.get(1)?,
                    date: r
                        .get::<_, Option<i64>>(2)?
                        .map(|d| plenary_mail::date::record_date(d, exact)),
                    date_exact: exact,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
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

    /// Archived messages of a list with what reconstruction needs, oldest first.
    pub fn analysed_messages(&self, list: &str) -> Result<Vec<AnalysedMessage>> {
        self.read_analysed(list, true)
    }

    /// [`Store::analysed_messages`] without the parsed quoted messages (their count
    /// and texts only): a list's quotes parsed whole take more memory than all its
    /// texts, and reconstruction reads each message's own with
    /// [`Store::message_quotes`] when it comes to it.
    pub fn analysed_messages_without_quotes(&self, list: &str) -> Result<Vec<AnalysedMessage>> {
        self.read_analysed(list, false)
    }

    /// Every analysed message of a list in the list's order, with its quoted messages,
    /// one at a time, to `f`: a caller that keeps less of each message than all of it
    /// (reconstruction drops the quotes once it has judged them) never holds the list.
    pub fn for_each_analysed(&self, list: &str, mut f: impl FnMut(AnalysedMessage)) -> Result<()> {
        self.each_analysed(list, true, &mut f)
    }

    fn read_analysed(&self, list: &str, keep_quotes: bool) -> Result<Vec<AnalysedMessage>> {
        let mut v = Vec::new();
        self.each_analysed(list, keep_quotes, &mut |m| v.push(m))?;
        Ok(v)
    }

    fn each_analysed(
        &self,
        list: &str,
        keep_quotes: bool,
        f: &mut dyn FnMut(AnalysedMessage),
    ) -> Result<()> {
        let mut q = self
            .conn
            .prepare(
                "SELECT id, thread_id, parent, author_name, author_address, date, date_offset, new_text, quotes, subject
                 FROM messages WHERE list = ?1 ORDER BY date, seq",
            )?;
        let mut rows = q.query(params![list])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let quotes = analysis::messages(
                &id,
                r.get_ref(8)?.as_str_or_null()?,
                r.get_ref(7)?.as_str_or_null()?,
            )?;
            f(AnalysedMessage::new(r, quotes, keep_quotes)?);
        }
        Ok(())
    }

    /// One archived message's quoted messages (the top one first), as
    /// [`Store::analysed_messages`] reads them; empty when it is unknown or was
    /// never analysed.
    pub fn message_quotes(&self, id: &str) -> Result<Vec<plenary_quotes::QuotedMessage>> {
        let mut q = self
            .conn
            .prepare_cached("SELECT new_text, quotes FROM messages WHERE id = ?1")?;
        let row: Option<(Option<String>, Option<String>)> = q
            .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            Some((new_text, json)) => analysis::messages(id, json.as_deref(), new_text.as_deref()),
            None => Ok(Vec::new()),
        }
    }

    /// Every message of a list for re-analysis, in import order.
    pub fn bodies(&self, list: &str) -> Result<Vec<StoredBody>> {
        self.body_rows(
            "SELECT id, body, author_name, author_address, date, date_offset
               FROM messages INDEXED BY messages_list_seq WHERE list = ?1 ORDER BY seq",
            params![list],
        )
    }

    /// Up to `limit` messages of a list stored after `after_seq`, in import order, with
    /// their `seq`s: a list read a page at a time, so its bodies are never all held.
    pub fn body_page(
        &self,
        list: &str,
        after_seq: i64,
        limit: usize,
    ) -> Result<Vec<(i64, StoredBody)>> {
        // a range of the (list, seq) index: only this list's rows are read, in order
        let mut q = self.conn.prepare_cached(
            "SELECT seq, id, body, author_name, author_address, date, date_offset
               FROM messages INDEXED BY messages_list_seq
              WHERE list = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let v = q
            .query_map(
                params![list, after_seq, limit.min(i64::MAX as usize) as i64],
                |r| Ok((r.get(0)?, stored_body(r, 1)?)),
            )?
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
            // numbered over the list's seqs alone, then the sampled rows read: numbering
            // whole rows would read every body (and raw bytes) of the list
            "SELECT m.id, m.body, m.author_name, m.author_address, m.date, m.date_offset
               FROM (SELECT seq, ROW_NUMBER() OVER (ORDER BY seq) AS k
                       FROM messages WHERE list = ?1) s
               JOIN messages m ON m.seq = s.seq
              WHERE (s.k - 1) % ?2 = 0 ORDER BY m.seq",
            params![list, step],
        )
    }

    /// Bodies of a list that contain `needle`.
    pub fn bodies_containing(&self, list: &str, needle: &str) -> Result<Vec<StoredBody>> {
        self.body_rows(
            "SELECT id, body, author_name, author_address, date, date_offset
               FROM messages INDEXED BY messages_list_seq
              WHERE list = ?1 AND instr(body, ?2) > 0 ORDER BY seq",
            params![list, needle],
        )
    }

    fn body_rows(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<StoredBody>> {
        let mut q = self.conn.prepare(sql)?;
        let v = q
            .query_map(args, |r| stored_body(r, 0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// The digest of the learned footers and signatures last applied over all of
    /// `list`'s messages, and the list's last message then (see `list_learned`).
    pub fn learned_applied(&self, list: &str) -> Result<Option<(String, i64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT digest, up_to_seq FROM list_learned WHERE list = ?1",
                params![list],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Records that the learned footers and signatures of `digest` are applied to
    /// `list`'s messages, up to its last one now; with `applied`, also which (a digest of
    /// the footers, and the signatures by author key), for [`Store::learned_applied_signatures`].
    pub fn set_learned_applied(
        &mut self,
        list: &str,
        digest: &str,
        applied: Option<(&str, &HashMap<String, Vec<String>>)>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO list_learned(list, digest, up_to_seq)
             SELECT ?1, ?2, COALESCE(MAX(seq), 0) FROM messages WHERE list = ?1",
            params![list, digest],
        )?;
        match applied {
            Some((footers_digest, signatures)) => {
                let sorted: std::collections::BTreeMap<&String, &Vec<String>> =
                    signatures.iter().collect();
                let json = serde_json::to_string(&sorted).map_err(|e| {
                    StoreError::Corrupt(format!("applied signatures of {list}: {e}"))
                })?;
                tx.execute(
                    "INSERT OR REPLACE INTO list_learned_signatures(list, footers_digest, signatures)
                     VALUES (?1, ?2, ?3)",
                    params![list, footers_digest, json],
                )?;
            }
            None => {
                tx.execute(
                    "DELETE FROM list_learned_signatures WHERE list = ?1",
                    params![list],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// What the last pass recorded by [`Store::set_learned_applied`] applied to `list`: the
    /// digest of its footers and its signatures by author key. None when it did not say,
    /// or no pass is recorded.
    #[allow(clippy::type_complexity)]
    pub fn learned_applied_signatures(
        &self,
        list: &str,
    ) -> Result<Option<(String, HashMap<String, Vec<String>>)>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT s.footers_digest, s.signatures FROM list_learned_signatures s
                   JOIN list_learned l ON l.list = s.list
                  WHERE s.list = ?1",
                params![list],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(d, json)| {
            let sigs = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("applied signatures of {list}: {e}")))?;
            Ok((d, sigs))
        })
        .transpose()
    }

    /// Forgets what was applied to `list` (every list with None): analyses were
    /// rewritten another way, so the next import goes over the whole list.
    pub fn forget_learned_applied(&mut self, list: Option<&str>) -> Result<()> {
        match list {
            Some(l) => {
                self.conn
                    .execute("DELETE FROM list_learned WHERE list = ?1", params![l])?;
                self.conn.execute(
                    "DELETE FROM list_learned_signatures WHERE list = ?1",
                    params![l],
                )?
            }
            None => {
                self.conn.execute("DELETE FROM list_learned", [])?;
                self.conn
                    .execute("DELETE FROM list_learned_signatures", [])?
            }
        };
        Ok(())
    }

    /// Who wrote `list`'s messages up to `up_to` (a seq), after `after`, at most `limit`
    /// of them in import order: (seq, author name, author address). Reads no body.
    #[allow(clippy::type_complexity)]
    pub fn author_page(
        &self,
        list: &str,
        after: i64,
        up_to: i64,
        limit: usize,
    ) -> Result<Vec<(i64, Option<String>, Option<String>)>> {
        let mut q = self.conn.prepare_cached(
            "SELECT seq, author_name, author_address
               FROM messages INDEXED BY messages_list_seq
              WHERE list = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4",
        )?;
        let v = q
            .query_map(
                params![list, after, up_to, limit.min(i64::MAX as usize) as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// The bodies of the messages with these seqs, in seq order.
    pub fn bodies_by_seq(&self, seqs: &[i64]) -> Result<Vec<StoredBody>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, body, author_name, author_address, date, date_offset
               FROM messages WHERE seq = ?1",
        )?;
        let mut sorted = seqs.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut out = Vec::with_capacity(sorted.len());
        for seq in sorted {
            let b = q
                .query_row(params![seq], |r| stored_body(r, 0))
                .optional()?;
            out.extend(b);
        }
        Ok(out)
    }

    /// Replaces the stored quote analysis of messages, in one transaction. Returns the
    /// ids whose stored analysis differed (the others are left as they were).
    pub fn update_analyses(&mut self, rows: &[(String, StoredAnalysis)]) -> Result<Vec<String>> {
        let tx = self.conn.transaction()?;
        let mut changed = Vec::new();
        {
            let mut upd = tx.prepare_cached(
                "UPDATE messages SET zones = ?1, new_text = ?2, quotes = ?3
                  WHERE id = ?4 AND (zones IS NOT ?1 OR new_text IS NOT ?2 OR quotes IS NOT ?3)",
            )?;
            for (id, a) in rows {
                let (zones, new_text, quotes) = analysis::encode(a)?;
                if upd.execute(params![zones, new_text, quotes, id])? > 0 {
                    changed.push(id.clone());
                }
            }
        }
        if !changed.is_empty() {
            crate::bump_generation(&tx)?;
        }
        tx.commit()?;
        Ok(changed)
    }
}

/// A [`StoredBody`] from `id, body, author_name, author_address, date, date_offset`,
/// starting at column `at`.
fn stored_body(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<StoredBody> {
    Ok(StoredBody {
        id: r.get(at)?,
        body: r.get(at + 1)?,
        author_name: r.get(at + 2)?,
        author_address: r.get(at + 3)?,
        date: r.get(at + 4)?,
        date_offset: r.get(at + 5)?,
    })
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
