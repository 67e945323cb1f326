//! Messages reconstructed from quotes (derived, replaced per list after each import)
//! and the links from archived messages to what they quote (`quote_parent`).

use rusqlite::{params, OptionalExtension};

use crate::{AuthorDetail, MessageDetail, Result, Store};

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

/// What [`Store::update_reconstructed`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconstructedChanges {
    /// Ids of reconstructed messages that are gone (sorted).
    pub removed: Vec<String>,
    /// Ids of reconstructed messages that are new or different (sorted).
    pub changed: Vec<String>,
    /// Messages whose `quote_parent` changed.
    pub links: usize,
    /// Threads that lost, gained or hold a changed reconstructed message (sorted).
    pub threads: Vec<String>,
}

impl ReconstructedChanges {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.changed.is_empty() && self.links == 0
    }
}

impl Store {
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
        // reconstructed rows (and their tags) may all have moved: the next import retags
        // the list whole
        tx.execute("DELETE FROM list_derivation WHERE list = ?1", params![list])?;
        tx.execute(
            "UPDATE messages SET quote_parent = NULL WHERE list = ?1 AND quote_parent IS NOT NULL",
            params![list],
        )?;
        {
            insert_rows(&tx, list, rows)?;
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

    /// Writes a list's reconstructed messages and `quote_parent` links as
    /// [`Store::replace_reconstructed`] would leave them, touching only the rows that
    /// differ from what is stored, and says which: an import that recomputes a list's
    /// reconstructions rewrites (and retags) only what one message changed.
    pub fn update_reconstructed(
        &mut self,
        list: &str,
        rows: &[NewReconstructed],
        quote_parents: &[(String, String)],
    ) -> Result<ReconstructedChanges> {
        use std::collections::{BTreeSet, HashMap};
        let stored: HashMap<String, NewReconstructed> = self
            .reconstructed_rows(list)?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        // the last row of an id wins, as INSERT OR REPLACE does
        let wanted: HashMap<&str, &NewReconstructed> =
            rows.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut changes = ReconstructedChanges::default();
        let mut threads: BTreeSet<String> = BTreeSet::new();
        for (id, old) in &stored {
            if !wanted.contains_key(id.as_str()) {
                changes.removed.push(id.clone());
                threads.extend(old.thread_id.iter().cloned());
            }
        }
        let mut write: Vec<&NewReconstructed> = Vec::new();
        for (id, new) in &wanted {
            match stored.get(*id) {
                Some(old) if old == *new => {}
                old => {
                    threads.extend(old.and_then(|o| o.thread_id.clone()));
                    threads.extend(new.thread_id.iter().cloned());
                    changes.changed.push(id.to_string());
                    write.push(new);
                }
            }
        }
        let old_links: HashMap<String, String> = {
            let mut q = self.conn.prepare_cached(
                "SELECT id, quote_parent FROM messages WHERE list = ?1 AND quote_parent IS NOT NULL",
            )?;
            let v = q
                .query_map(params![list], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<std::result::Result<HashMap<String, String>, _>>()?;
            v
        };
        // the last link of a message wins, as the UPDATEs in order do
        let new_links: HashMap<&str, &str> = quote_parents
            .iter()
            .map(|(m, q)| (m.as_str(), q.as_str()))
            .collect();
        changes.removed.sort();
        changes.changed.sort();
        let tx = self.conn.transaction()?;
        {
            let mut del = tx.prepare_cached("DELETE FROM reconstructed WHERE id = ?1")?;
            for id in &changes.removed {
                del.execute(params![id])?;
            }
            insert_rows(&tx, list, write.iter().copied())?;
            let mut upd =
                tx.prepare_cached("UPDATE messages SET quote_parent = ?1 WHERE id = ?2")?;
            for msg in old_links.keys() {
                if !new_links.contains_key(msg.as_str()) {
                    upd.execute(params![Option::<String>::None, msg])?;
                    changes.links += 1;
                }
            }
            for (msg, quoted) in &new_links {
                if old_links.get(*msg).map(String::as_str) != Some(*quoted) {
                    upd.execute(params![quoted, msg])?;
                    changes.links += 1;
                }
            }
        }
        if !changes.is_empty() {
            crate::bump_generation(&tx)?;
        }
        tx.commit()?;
        changes.threads = threads.into_iter().collect();
        Ok(changes)
    }

    /// A list's archived messages linked to the message they quote first
    /// (`quote_parent`), as (message id, quoted id).
    pub fn quote_parents(&self, list: &str) -> Result<Vec<(String, String)>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, quote_parent FROM messages WHERE list = ?1 AND quote_parent IS NOT NULL",
        )?;
        let v = q
            .query_map(params![list], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<Vec<(String, String)>, _>>()?;
        Ok(v)
    }

    /// Whether every message of `ids` was stored after `since_seq` (true for none).
    pub fn all_stored_after(&self, ids: &[String], since_seq: i64) -> Result<bool> {
        let mut q = self
            .conn
            .prepare_cached("SELECT seq FROM messages WHERE id = ?1")?;
        for id in ids {
            let seq: Option<i64> = q.query_row(params![id], |r| r.get(0)).optional()?;
            if seq.is_none_or(|s| s <= since_seq) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The ids of a list's messages stored after `since_seq`.
    pub fn message_ids_since(&self, list: &str, since_seq: i64) -> Result<Vec<String>> {
        let mut q = self
            .conn
            .prepare_cached("SELECT id FROM messages WHERE seq > ?2 AND +list = ?1")?;
        let v = q
            .query_map(params![list, since_seq], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()?;
        Ok(v)
    }

    /// Who wrote a list's messages stored after `since_seq`, and in which threads: what
    /// a reconstruction probe needs to know of the new messages before it reads the
    /// earlier ones.
    pub fn authors_since(&self, list: &str, since_seq: i64) -> Result<Vec<NewAuthor>> {
        let mut q = self.conn.prepare_cached(
            "SELECT id, author_name, author_address, thread_id FROM messages
              WHERE seq > ?2 AND +list = ?1",
        )?;
        let v = q
            .query_map(params![list, since_seq], |r| {
                Ok(NewAuthor {
                    id: r.get(0)?,
                    author_name: r.get(1)?,
                    author_address: r.get(2)?,
                    thread_id: r.get(3)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// A list's reconstructed messages as stored (for evaluations).
    pub fn reconstructed_rows(&self, list: &str) -> Result<Vec<NewReconstructed>> {
        let mut q = self.conn.prepare(
            "SELECT id, thread_id, source_id, parent, depth, author_name, author_address, via_list,
                    date, date_exact, date_text, subject, body, attribution, quoted_by
               FROM reconstructed WHERE list = ?1 ORDER BY id",
        )?;
        let v = q
            .query_map(params![list], |r| {
                Ok(NewReconstructed {
                    id: r.get(0)?,
                    thread_id: r.get(1)?,
                    source_id: r.get(2)?,
                    parent: r.get(3)?,
                    depth: r.get(4)?,
                    author_name: r.get(5)?,
                    author_address: r.get(6)?,
                    via_list: r.get(7)?,
                    date: r.get(8)?,
                    date_exact: r.get(9)?,
                    date_text: r.get(10)?,
                    subject: r.get(11)?,
                    body: r.get(12)?,
                    attribution: r.get(13)?,
                    quoted_by: r.get(14)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Archived messages of a list without an archived parent (thread
    /// starters) and what they quote (`quote_parent`), if anything.
    pub fn starters(&self, list: &str) -> Result<Vec<(String, Option<String>)>> {
        let mut q = self.conn.prepare(
            "SELECT id, quote_parent FROM messages WHERE list = ?1 AND parent IS NULL ORDER BY seq",
        )?;
        let v = q
            .query_map(params![list], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    pub(crate) fn reconstructed_message(&self, id: &str) -> Result<Option<MessageDetail>> {
        Ok(self.conn
            .query_row(
                "SELECT id, list, thread_id, parent, subject, date, author_name, author_address, via_list,
                        body, source_id, attribution, date_exact,
                        (SELECT person FROM person_links WHERE kind = 'reconstructed' AND target = reconstructed.id)
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
                        date: r
                            .get::<_, Option<i64>>(5)?
                            .map(|d| plenary_mail::date::record_date(d, r.get(12).unwrap_or(false))),
                        date_offset_seconds: None,
                        author: AuthorDetail {
                            name: r.get(6)?,
                            address: r.get(7)?,
                            via_list: r.get(8)?,
                            person: r.get(13)?,
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
                        recovered: Vec::new(),
                        language: None,
                    })
                },
            )
            .optional()?)
    }
}

/// Writes reconstructed rows of `list` (a row with an id already stored replaces it).
fn insert_rows<'r>(
    tx: &rusqlite::Transaction<'_>,
    list: &str,
    rows: impl IntoIterator<Item = &'r NewReconstructed>,
) -> Result<()> {
    let mut ins = tx.prepare_cached(
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
    Ok(())
}

/// A message stored since a list's last derivation: its id, author and thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuthor {
    pub id: String,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    pub thread_id: Option<String>,
}
