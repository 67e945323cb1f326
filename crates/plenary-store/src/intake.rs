//! Where each list's mail comes from (import, the Mailman archiver, a watched folder,
//! a mirror), what was refused on the sender's wish, and Mailman's Message-ID-Hash
//! permalink keys: what `plenary status` and the archiver endpoint read.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha1::{Digest, Sha1};

use crate::{Result, Store};

/// How mail reached the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IntakeSource {
    /// `plenary import` of files someone already has.
    #[default]
    Import,
    /// POSTed by a Mailman 3 site's archiver plugin.
    Archiver,
    /// Found in a watched Maildir or growing mbox.
    Watch,
    /// Fetched from a remote archive by `plenary mirror`.
    Mirror,
}

impl IntakeSource {
    /// The name stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            IntakeSource::Import => "import",
            IntakeSource::Archiver => "archiver",
            IntakeSource::Watch => "watch",
            IntakeSource::Mirror => "mirror",
        }
    }
}

/// What one import brought to one list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListIntake {
    /// The list's slug.
    pub list: String,
    /// Messages read for the list (new and already stored).
    pub messages: u64,
    /// Messages refused because their sender asked not to be archived.
    pub not_archived: u64,
}

/// One intake path of a list, as `plenary status` shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IntakeRow {
    pub source: IntakeSource,
    /// When an import from this source last touched the list (RFC 3339, UTC).
    pub last_at: String,
    /// Messages that import read for the list.
    pub last_messages: u64,
    /// Messages read for the list from this source over all imports.
    pub messages: u64,
    /// Messages refused on `X-No-Archive: yes` / `Archive: no`, over all imports.
    pub not_archived: u64,
}

/// A list's operational state.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ListStatus {
    pub slug: String,
    pub name: String,
    /// Messages stored.
    pub messages: u64,
    /// The newest message's date (RFC 3339, UTC).
    pub last_message: Option<String>,
    /// Every source that brought mail to the list, the most recent first.
    pub sources: Vec<IntakeRow>,
    /// Inputs sent for this list that could not be read, kept raw.
    pub rejects: u64,
}

/// Mailman's `Message-ID-Hash`: the RFC 4648 base32 of the SHA-1 of the Message-ID
/// without its angle brackets (what HyperKitty keys its message URLs by).
pub fn message_id_hash(message_id: &str) -> String {
    let id = message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    data_encoding::BASE32.encode(&Sha1::digest(id.as_bytes()))
}

impl Store {
    /// Records what an import brought to each list it touched, from `source`, at `at`.
    pub fn record_intake(
        &mut self,
        source: IntakeSource,
        at: &str,
        lists: &[ListIntake],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut up = tx.prepare_cached(
                "INSERT INTO list_intake(list, source, last_at, last_messages, messages, not_archived)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5)
                 ON CONFLICT(list, source) DO UPDATE SET last_at = excluded.last_at,
                   last_messages = excluded.last_messages,
                   messages = list_intake.messages + excluded.messages,
                   not_archived = list_intake.not_archived + excluded.not_archived",
            )?;
            for l in lists {
                up.execute(params![
                    l.list,
                    source.as_str(),
                    at,
                    l.messages as i64,
                    l.not_archived as i64
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every list with its intake paths, newest message and pending rejects, by slug.
    pub fn list_status(&self) -> Result<Vec<ListStatus>> {
        let mut lists = self.conn.prepare(
            "SELECT l.slug, l.name,
                    (SELECT COUNT(*) FROM messages m WHERE m.list = l.slug),
                    (SELECT MAX(date) FROM messages m WHERE m.list = l.slug),
                    (SELECT COUNT(*) FROM rejects r WHERE r.list = l.slug)
             FROM lists l
             UNION
             SELECT DISTINCT i.list, i.list, 0, NULL,
                    (SELECT COUNT(*) FROM rejects r WHERE r.list = i.list)
             FROM list_intake i WHERE i.list NOT IN (SELECT slug FROM lists)
             UNION
             SELECT DISTINCT r.list, r.list, 0, NULL, COUNT(*)
             FROM rejects r WHERE r.list IS NOT NULL
               AND r.list NOT IN (SELECT slug FROM lists)
               AND r.list NOT IN (SELECT list FROM list_intake)
             GROUP BY r.list
             ORDER BY 1",
        )?;
        let mut sources = self.conn.prepare(
            "SELECT source, last_at, last_messages, messages, not_archived FROM list_intake
             WHERE list = ?1 ORDER BY last_at DESC, source",
        )?;
        let rows = lists
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (slug, name, messages, last, rejects) in rows {
            let srcs = sources
                .query_map(params![slug], |r| {
                    let source = match r.get::<_, String>(0)?.as_str() {
                        "archiver" => IntakeSource::Archiver,
                        "watch" => IntakeSource::Watch,
                        "mirror" => IntakeSource::Mirror,
                        _ => IntakeSource::Import,
                    };
                    Ok(IntakeRow {
                        source,
                        last_at: r.get(1)?,
                        last_messages: r.get::<_, i64>(2)? as u64,
                        messages: r.get::<_, i64>(3)? as u64,
                        not_archived: r.get::<_, i64>(4)? as u64,
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            out.push(ListStatus {
                slug,
                name,
                messages: messages as u64,
                last_message: last.map(plenary_mail::date::rfc3339_utc),
                sources: srcs,
                rejects: rejects as u64,
            });
        }
        Ok(out)
    }

    /// The archived message with this Mailman Message-ID-Hash (the first stored, when
    /// reused ids were stored under derived ids): its id and list slug.
    pub fn message_by_hash(&self, hash: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT m.id, m.list FROM msgid_hashes h JOIN messages m ON m.seq = h.seq
                 WHERE h.hash = ?1 ORDER BY h.seq LIMIT 1",
                params![hash.to_ascii_uppercase()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The stored id and list of the message with this Message-ID (brackets optional).
    pub fn message_by_message_id(&self, message_id: &str) -> Result<Option<(String, String)>> {
        self.message_by_hash(&message_id_hash(message_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value Mailman computes for this Message-ID (`base64.b32encode(sha1(id))`,
    /// worked by hand from the SHA-1 in hex).
    #[test]
    fn message_id_hash_is_mailmans() {
        // sha1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709
        assert_eq!(message_id_hash("<>"), "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        assert_eq!(message_id_hash("a@b"), message_id_hash("<a@b>"));
        assert_eq!(message_id_hash(" <a@b> ").len(), 32);
    }
}
