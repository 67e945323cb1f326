//! Inputs that could not be analysed: kept raw (deflate-compressed) with their reason.

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::messages::{compress, decompress};
use crate::{RejectRow, Result, Store};

impl Store {
    /// Keeps a message that could not be analysed, raw, with its reason.
    /// Returns false when the same bytes were already rejected.
    pub fn insert_reject(&mut self, origin: &str, reason: &str, raw: &[u8]) -> Result<bool> {
        self.insert_reject_for(origin, reason, raw, None)
    }

    /// [`Store::insert_reject`] for an input sent for a known list (the archiver's
    /// `mlist`): `plenary status` counts it as the list's pending reject.
    pub fn insert_reject_for(
        &mut self,
        origin: &str,
        reason: &str,
        raw: &[u8],
        list: Option<&str>,
    ) -> Result<bool> {
        let d = Sha256::digest(raw);
        let mut hash: String = d.iter().map(|b| format!("{b:02x}")).collect();
        if raw.is_empty() {
            // Unreadable files have no bytes: key them by where and why.
            hash = format!("empty:{origin}:{reason}");
        }
        let n = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO rejects(hash, origin, reason, raw, raw_len, list) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![hash, origin, reason, compress(raw), raw.len() as i64, list],
            )?;
        Ok(n == 1)
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
}
