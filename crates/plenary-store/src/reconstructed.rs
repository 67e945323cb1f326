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
