//! Reads for feeds, mbox exports, the dataset export and pipermail redirects.

use rusqlite::params;

use crate::messages::decompress;
use crate::{Result, Store};

/// Which archived messages an export or feed takes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub list: Option<String>,
    pub thread: Option<String>,
    /// `[start, end)` in UTC seconds.
    pub start: Option<i64>,
    pub end: Option<i64>,
}

/// One archived message with its original bytes.
#[derive(Debug, Clone)]
pub struct RawMessage {
    pub seq: i64,
    pub id: String,
    pub author_address: Option<String>,
    pub date: Option<i64>,
    pub raw: Vec<u8>,
    /// The decoded body (what an obfuscated export carries when the raw
    /// body's transfer encoding hides its text).
    pub body: String,
}

/// One archived or reconstructed message for a feed.
#[derive(Debug, Clone)]
pub struct FeedMessage {
    pub id: String,
    pub list: String,
    pub thread_id: Option<String>,
    pub subject: String,
    pub author_name: Option<String>,
    pub date: Option<i64>,
    pub text: String,
    pub reconstructed: bool,
}

/// One message of the researchers' dataset (`plenary export`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DatasetMessage {
    pub id: String,
    pub message_id: Option<String>,
    pub list: String,
    pub thread: Option<String>,
    pub parent: Option<String>,
    pub subject: Option<String>,
    pub date: Option<i64>,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    pub person: Option<String>,
    pub new_text: Option<String>,
    /// Null when the message was never analysed.
    pub zones: Option<Vec<plenary_quotes::Zone>>,
    /// The author's own message first, then the quoted ones; null when never analysed.
    pub quotes: Option<Vec<plenary_quotes::QuotedMessage>>,
    pub tags: Vec<(String, String)>,
}

fn where_of(sel: &Selection) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::from(" WHERE 1=1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(l) = &sel.list {
        sql.push_str(" AND list = ?");
        args.push(l.clone().into());
    }
    if let Some(t) = &sel.thread {
        sql.push_str(" AND thread_id = ?");
        args.push(t.clone().into());
    }
    if let Some(s) = sel.start {
        sql.push_str(" AND date >= ?");
        args.push(s.into());
    }
    if let Some(e) = sel.end {
        sql.push_str(" AND date < ?");
        args.push(e.into());
    }
    (sql, args)
}

impl Store {
    /// Up to `limit` selected messages with `seq > after`, in `seq` order,
    /// with their original bytes (for mbox exports, page by page).
    pub fn raw_messages(
        &self,
        sel: &Selection,
        after: i64,
        limit: usize,
    ) -> Result<Vec<RawMessage>> {
        let (w, mut args) = where_of(sel);
        let sql = format!(
            "SELECT seq, id, author_address, date, raw, body FROM messages{w} AND seq > ? ORDER BY seq LIMIT ?"
        );
        args.push(after.into());
        args.push((limit as i64).into());
        let mut q = self.conn.prepare(&sql)?;
        let rows = q
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(seq, id, author_address, date, raw, body)| {
                Ok(RawMessage {
                    seq,
                    id,
                    author_address,
                    date,
                    body,
                    raw: decompress(&raw)?,
                })
            })
            .collect()
    }

    /// These archived messages with their original bytes, in the order given
    /// (ids that are not archived messages are skipped).
    pub fn raw_messages_by_id(&self, ids: &[String]) -> Result<Vec<RawMessage>> {
        let mut q = self.conn.prepare_cached(
            "SELECT seq, id, author_address, date, raw, body FROM messages WHERE id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row = q
                .query_map(params![id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Vec<u8>>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })?
                .next()
                .transpose()?;
            if let Some((seq, id, author_address, date, raw, body)) = row {
                out.push(RawMessage {
                    seq,
                    id,
                    author_address,
                    date,
                    body,
                    raw: decompress(&raw)?,
                });
            }
        }
        Ok(out)
    }

    /// The newest `limit` selected archived messages, newest first.
    pub fn feed_messages(&self, sel: &Selection, limit: usize) -> Result<Vec<FeedMessage>> {
        let (w, mut args) = where_of(sel);
        let sql = format!(
            "SELECT id, list, thread_id, COALESCE(subject, ''), author_name, date,
                    COALESCE(new_text, body) FROM messages{w} ORDER BY date DESC LIMIT ?"
        );
        args.push((limit as i64).into());
        let mut q = self.conn.prepare(&sql)?;
        let rows = q
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok(FeedMessage {
                    id: r.get(0)?,
                    list: r.get(1)?,
                    thread_id: r.get(2)?,
                    subject: r.get(3)?,
                    author_name: r.get(4)?,
                    date: r.get(5)?,
                    text: r.get(6)?,
                    reconstructed: false,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// These messages (archived or reconstructed) for a feed, newest first.
    pub fn feed_messages_by_id(&self, ids: &[String]) -> Result<Vec<FeedMessage>> {
        let mut out = Vec::new();
        let mut a = self.conn.prepare_cached(
            "SELECT id, list, thread_id, COALESCE(subject, ''), author_name, date,
                        COALESCE(new_text, body) FROM messages WHERE id = ?1",
        )?;
        let mut r = self.conn.prepare_cached(
            "SELECT r.id, r.list, r.thread_id, COALESCE(NULLIF(r.subject, ''), t.subject, ''),
                        r.author_name, r.date, r.body
                   FROM reconstructed r LEFT JOIN threads t ON t.id = r.thread_id WHERE r.id = ?1",
        )?;
        for id in ids {
            let q = if id.starts_with('r') { &mut r } else { &mut a };
            let rows = q
                .query_map(params![id], |row| {
                    Ok(FeedMessage {
                        id: row.get(0)?,
                        list: row.get(1)?,
                        thread_id: row.get(2)?,
                        subject: row.get(3)?,
                        author_name: row.get(4)?,
                        date: row.get(5)?,
                        text: row.get(6)?,
                        reconstructed: id.starts_with('r'),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.extend(rows);
        }
        out.sort_by_key(|m| std::cmp::Reverse(m.date));
        Ok(out)
    }

    /// The message a pipermail article page was imported from: its list and
    /// the page's `YYYY-Month/NNNNNN.html` at the end of the origin (a page
    /// read alone, or paired with the month's .txt as `….txt#N + …/page`).
    pub fn pipermail_article(&self, list: &str, tail: &str) -> Result<Option<String>> {
        let pattern = format!("%/{}", tail.replace(['%', '_'], ""));
        let mut q = self
            .conn
            .prepare_cached(
                "SELECT id FROM messages WHERE list = ?1 AND (origin LIKE ?2 OR origin LIKE ?3) LIMIT 1",
            )?;
        let id = q
            .query_map(params![list, pattern, format!("{pattern}#%")], |r| r.get(0))?
            .next()
            .transpose()?;
        Ok(id)
    }

    /// Up to `limit` messages with `seq > after` for the dataset export.
    pub fn dataset_messages(&self, after: i64, limit: usize) -> Result<Vec<(i64, DatasetMessage)>> {
        let mut q = self
            .conn
            .prepare_cached(
                "SELECT m.seq, m.id, m.message_id, m.list, m.thread_id, COALESCE(m.parent, m.quote_parent),
                        m.subject, m.date, m.author_name, m.author_address, pl.person,
                        m.new_text, m.zones, m.quotes
                   FROM messages m
                   LEFT JOIN person_links pl ON pl.kind = 'message' AND pl.target = m.id
                  WHERE m.seq > ?1 ORDER BY m.seq LIMIT ?2",
            )?;
        let mut found = q.query(params![after, limit as i64])?;
        let mut rows = Vec::new();
        while let Some(r) = found.next()? {
            let id: String = r.get(1)?;
            let new_text: Option<String> = r.get(11)?;
            let zones_col = r.get_ref(12)?.as_str_or_null()?;
            let quotes_col = r.get_ref(13)?.as_str_or_null()?;
            let zones = zones_col
                .map(|z| crate::analysis::zones(&id, Some(z)))
                .transpose()?;
            let quotes = quotes_col
                .map(|q| crate::analysis::messages(&id, Some(q), new_text.as_deref()))
                .transpose()?;
            rows.push((
                r.get::<_, i64>(0)?,
                DatasetMessage {
                    id,
                    message_id: r.get(2)?,
                    list: r.get(3)?,
                    thread: r.get(4)?,
                    parent: r.get(5)?,
                    subject: r.get(6)?,
                    date: r.get(7)?,
                    author_name: r.get(8)?,
                    author_address: r.get(9)?,
                    person: r.get(10)?,
                    new_text,
                    zones,
                    quotes,
                    tags: Vec::new(),
                },
            ));
        }
        for (_, m) in &mut rows {
            let mut tags: Vec<(String, String)> = self
                .tags_of(crate::TagKind::Message, &m.id)?
                .into_iter()
                .map(|t| (t.framework, t.code))
                .collect();
            if let Some(t) = &m.thread {
                for tag in self.tags_of(crate::TagKind::Thread, t)? {
                    let p = (tag.framework, tag.code);
                    if !tags.contains(&p) {
                        tags.push(p);
                    }
                }
            }
            m.tags = tags;
        }
        Ok(rows)
    }
}

/// Appends one message to an mboxrd stream: a `From ` line, the bytes with
/// `From ` lines (after any `>`s) quoted by one more `>`, and a blank line.
///
/// With `hide_addresses`, every address in it is obfuscated
/// (`plenary_mail::address::obfuscate_message`; identifiers kept), and the
/// separator line names the sender as pipermail's archives do (`a at b.org`).
pub fn write_mboxrd(out: &mut Vec<u8>, m: &RawMessage, hide_addresses: bool) {
    let sender = m
        .author_address
        .as_deref()
        .filter(|a| !a.is_empty() && !a.contains(char::is_whitespace))
        .unwrap_or("MAILER-DAEMON");
    let sender = if hide_addresses {
        plenary_mail::address::obfuscate_text(sender).into_owned()
    } else {
        sender.to_string()
    };
    let hidden;
    let raw_bytes: &[u8] = if hide_addresses {
        hidden = plenary_mail::address::obfuscate_message(&m.raw, &m.body);
        &hidden
    } else {
        &m.raw
    };
    let date = m
        .date
        .and_then(|d| jiff::Timestamp::from_second(d).ok())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    out.extend_from_slice(
        format!("From {sender} {}\n", date.strftime("%a %b %e %H:%M:%S %Y")).as_bytes(),
    );
    // Drop a leading mbox "From " line the original bytes may carry.
    let mut raw: &[u8] = raw_bytes;
    if raw.starts_with(b"From ") {
        raw = raw
            .iter()
            .position(|b| *b == b'\n')
            .map(|p| &raw[p + 1..])
            .unwrap_or(&[]);
    }
    for line in raw.split_inclusive(|b| *b == b'\n') {
        let body = line
            .strip_suffix(b"\r\n")
            .or_else(|| line.strip_suffix(b"\n"))
            .unwrap_or(line);
        let gts = body.iter().take_while(|b| **b == b'>').count();
        if body[gts..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(body);
        out.push(b'\n');
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mboxrd_quotes_from_lines_at_any_depth() {
        let m = RawMessage {
            seq: 1,
            id: "a".into(),
            author_address: Some("ana@example.org".into()),
            date: Some(1_753_295_760),
            raw: b"From: Ana <ana@example.org>\r\nSubject: x\r\n\r\nFrom here\r\n>From there\r\nok\r\n"
                .to_vec(),
            body: "From here\n>From there\nok\n".into(),
        };
        let mut out = Vec::new();
        write_mboxrd(&mut out, &m, false);
        let s = String::from_utf8(out).unwrap_or_default();
        assert!(
            s.starts_with("From ana@example.org Wed Jul 23 18:36:00 2025\n"),
            "{s}"
        );
        assert!(s.contains("\n>From here\n>>From there\nok\n\n"), "{s}");
        assert!(s.contains("From: Ana"), "headers untouched: {s}");
    }
}
