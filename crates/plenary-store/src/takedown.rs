//! Takedown: removing a message, redacting what quotes it, the tombstones that
//! keep it from coming back, and the audit log. The one place the store rewrites
//! raw input (`messages.raw`).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::analysis::{self, StoredAnalysis};
use crate::messages::{address_hash, compress, decompress, id_hash, sha256_hex};
use crate::{Result, Store};

/// One row of the takedown audit log. The target is kept as a hash only.
#[derive(Debug, Clone, Serialize)]
pub struct TakedownRow {
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// The same, RFC 3339 UTC.
    pub when: String,
    pub actor: String,
    pub reason: String,
    /// `message`, `person` or `address`.
    pub target_kind: String,
    /// SHA-256 of the target as given (folded for names and addresses).
    pub target_hash: String,
    /// Archived messages removed.
    pub removed: i64,
    /// Messages whose quotes of the target were redacted.
    pub redacted: i64,
    /// Of those, how many had their stored raw bytes rewritten.
    pub raw_rewritten: i64,
    pub note: String,
}

/// What a takedown needs of an archived message it removes.
#[derive(Debug, Clone)]
pub struct TakedownSource {
    pub id: String,
    pub message_id: Option<String>,
    pub list: String,
    pub raw: Vec<u8>,
    pub alt_raw: Option<Vec<u8>>,
    /// The author's own words.
    pub new_text: String,
}

/// An archived message's author as a takedown matches it.
#[derive(Debug, Clone)]
pub struct AuthorOf {
    pub id: String,
    pub list: String,
    pub name: Option<String>,
    pub address: Option<String>,
}

/// What a takedown rewrites in a message that quotes the target.
#[derive(Debug, Clone)]
pub struct Redaction {
    pub id: String,
    pub body: String,
    pub raw: Vec<u8>,
    pub analysis: Option<StoredAnalysis>,
}

impl Store {
    /// Every archived message's author, for matching a person or address.
    pub fn message_authors(&self) -> Result<Vec<AuthorOf>> {
        let mut q = self
            .conn
            .prepare("SELECT id, list, author_name, author_address FROM messages ORDER BY seq")?;
        let v = q
            .query_map([], |r| {
                Ok(AuthorOf {
                    id: r.get(0)?,
                    list: r.get(1)?,
                    name: r.get(2)?,
                    address: r.get(3)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// An archived message as a takedown reads it.
    pub fn takedown_source(&self, id: &str) -> Result<Option<TakedownSource>> {
        type Row = (
            String,
            Option<String>,
            String,
            Vec<u8>,
            Option<Vec<u8>>,
            Option<String>,
            String,
        );
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT id, message_id, list, raw, alt_raw, new_text, body FROM messages WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, message_id, list, raw, alt, new_text, body)) = row else {
            return Ok(None);
        };
        Ok(Some(TakedownSource {
            id,
            message_id,
            list,
            raw: decompress(&raw)?,
            alt_raw: alt.as_deref().map(decompress).transpose()?,
            new_text: new_text.unwrap_or(body),
        }))
    }

    /// Opens an audit-log row; [`Store::finish_takedown`] fills in the counts.
    pub fn begin_takedown(
        &mut self,
        at: i64,
        actor: &str,
        reason: &str,
        target_kind: &str,
        target_hash: &str,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO takedowns(at, actor, reason, target_kind, target_hash, removed, redacted, raw_rewritten, note)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, '')",
            params![at, actor, reason, target_kind, target_hash],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records what takedown `seq` did.
    pub fn finish_takedown(
        &mut self,
        seq: i64,
        removed: usize,
        redacted: usize,
        raw_rewritten: usize,
        note: &str,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE takedowns SET removed = ?2, redacted = ?3, raw_rewritten = ?4, note = ?5 WHERE seq = ?1",
            params![seq, removed as i64, redacted as i64, raw_rewritten as i64, note],
        )?;
        Ok(())
    }

    /// Removes an archived message (row, tags, person link) and leaves
    /// tombstones for its id, its Message-ID and its bytes, in one transaction.
    pub fn remove_message(&mut self, src: &TakedownSource, takedown: i64) -> Result<()> {
        let mut hashes = vec![id_hash(&src.id), sha256_hex(&src.raw)];
        if let Some(mid) = &src.message_id {
            hashes.push(id_hash(mid));
        }
        if let Some(alt) = &src.alt_raw {
            hashes.push(sha256_hex(alt));
        }
        let tx = self.conn.transaction()?;
        {
            let mut tomb = tx.prepare_cached(
                "INSERT OR REPLACE INTO tombstones(hash, kind, takedown) VALUES (?1, 'removed', ?2)",
            )?;
            for h in &hashes {
                tomb.execute(params![h, takedown])?;
            }
            // its thread tokens, by key (a stale one would only add a row to a part)
            type TokenRow = (i64, Option<String>, Option<String>, Option<String>);
            let tokens: Option<TokenRow> = tx
                .query_row(
                    "SELECT seq, message_id, in_reply_to, refs FROM messages WHERE id = ?1",
                    params![src.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            if let Some((seq, mid, irt, refs)) = tokens {
                let mut del =
                    tx.prepare_cached("DELETE FROM thread_tokens WHERE token = ?1 AND seq = ?2")?;
                for key in crate::threads::token_keys(
                    mid.as_deref(),
                    irt.as_deref(),
                    refs.as_deref().unwrap_or(""),
                ) {
                    del.execute(params![key, seq])?;
                }
            }
            tx.execute("DELETE FROM messages WHERE id = ?1", params![src.id])?;
            // learned footers and signatures are applied over the lists again, and
            // the lists' signature counts counted again without this body
            tx.execute("DELETE FROM list_learned", [])?;
            crate::signatures::forget_all(&tx)?;
            tx.execute(
                "DELETE FROM tags WHERE kind = 'message' AND target = ?1",
                params![src.id],
            )?;
            tx.execute(
                "DELETE FROM person_links WHERE kind = 'message' AND target = ?1",
                params![src.id],
            )?;
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces a message's body, raw bytes and analysis by their redacted
    /// forms; the bytes it had are tombstoned as `redacted`, so importing them
    /// again is a duplicate. The pipermail page copy (`alt_raw`) is dropped.
    pub fn redact_message(&mut self, r: &Redaction, takedown: i64) -> Result<()> {
        let old: Option<(Vec<u8>, Option<Vec<u8>>)> = self
            .conn
            .query_row(
                "SELECT raw, alt_raw FROM messages WHERE id = ?1",
                params![r.id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((raw, alt)) = old else {
            return Ok(());
        };
        let mut hashes = vec![sha256_hex(&decompress(&raw)?)];
        if let Some(alt) = alt {
            hashes.push(sha256_hex(&decompress(&alt)?));
        }
        let columns = r.analysis.as_ref().map(analysis::encode).transpose()?;
        let tx = self.conn.transaction()?;
        {
            let mut tomb = tx.prepare_cached(
                "INSERT OR IGNORE INTO tombstones(hash, kind, takedown) VALUES (?1, 'redacted', ?2)",
            )?;
            for h in &hashes {
                tomb.execute(params![h, takedown])?;
            }
            // the analysis is rewritten here: learned footers and signatures are
            // applied over the lists again, and the signature counts counted again
            tx.execute("DELETE FROM list_learned", [])?;
            crate::signatures::forget_all(&tx)?;
            tx.execute(
                "UPDATE messages SET body = ?2, raw = ?3, raw_len = ?4, alt_raw = NULL,
                        zones = ?5, new_text = ?6, quotes = ?7
                  WHERE id = ?1",
                params![
                    r.id,
                    r.body,
                    compress(&r.raw),
                    r.raw.len() as i64,
                    columns.as_ref().map(|c| c.0.as_str()),
                    columns.as_ref().map(|c| c.1.as_str()),
                    columns.as_ref().map(|c| c.2.as_str()),
                ],
            )?;
        }
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Messages from these addresses are refused from now on (their hashes
    /// are kept, not the addresses).
    pub fn tombstone_addresses(&mut self, addresses: &[String], takedown: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut tomb = tx.prepare_cached(
                "INSERT OR REPLACE INTO tombstones(hash, kind, takedown) VALUES (?1, 'address', ?2)",
            )?;
            for a in addresses {
                tomb.execute(params![address_hash(a), takedown])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The audit log, oldest first.
    pub fn takedowns(&self) -> Result<Vec<TakedownRow>> {
        let mut q = self.conn.prepare(
            "SELECT seq, at, actor, reason, target_kind, target_hash, removed, redacted, raw_rewritten, note
               FROM takedowns ORDER BY seq",
        )?;
        let v = q
            .query_map([], |r| {
                let at: i64 = r.get(1)?;
                Ok(TakedownRow {
                    seq: r.get(0)?,
                    at,
                    when: plenary_mail::date::rfc3339_utc(at),
                    actor: r.get(2)?,
                    reason: r.get(3)?,
                    target_kind: r.get(4)?,
                    target_hash: r.get(5)?,
                    removed: r.get(6)?,
                    redacted: r.get(7)?,
                    raw_rewritten: r.get(8)?,
                    note: r.get(9)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// When the message with this id (or Message-ID) was taken down: the
    /// takedown's time (Unix seconds), if it was.
    pub fn taken_down_at(&self, id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT t.at FROM tombstones s JOIN takedowns t ON t.seq = s.takedown
                  WHERE s.hash = ?1 AND s.kind = 'removed'",
                params![id_hash(id)],
                |r| r.get(0),
            )
            .optional()?)
    }
}
