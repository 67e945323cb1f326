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

/// One archived message with its original bytes, or a recovered one (no bytes),
/// with what an export needs to give it headers its bytes lack.
#[derive(Debug, Clone, Default)]
pub struct RawMessage {
    pub seq: i64,
    pub id: String,
    pub author_address: Option<String>,
    pub date: Option<i64>,
    pub raw: Vec<u8>,
    /// The decoded body (what an obfuscated export carries when the raw
    /// body's transfer encoding hides its text).
    pub body: String,
    pub message_id: Option<String>,
    pub author_name: Option<String>,
    pub subject: Option<String>,
    /// The sender's UTC offset in seconds, when known.
    pub date_offset: Option<i32>,
    /// The Message-ID of the parent, when known.
    pub in_reply_to: Option<String>,
    /// For a message recovered from quotes: the Message-ID (or id) of the
    /// archived message it was recovered from.
    pub recovered_from: Option<String>,
}

/// The columns of [`RawMessage`] over `messages m`, read by `raw_row`.
const RAW_COLUMNS: &str = "m.seq, m.id, m.author_address, m.date, m.raw, m.body, m.message_id,
    m.author_name, m.subject, m.date_offset,
    (SELECT COALESCE(p.message_id, p.id) FROM messages p WHERE p.id = m.parent),
    m.in_reply_to";

fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RawMessage, Vec<u8>)> {
    let parent: Option<String> = r.get(10)?;
    let irt: Option<String> = r.get(11)?;
    Ok((
        RawMessage {
            seq: r.get(0)?,
            id: r.get(1)?,
            author_address: r.get(2)?,
            date: r.get(3)?,
            raw: Vec::new(),
            body: r.get(5)?,
            message_id: r.get(6)?,
            author_name: r.get(7)?,
            subject: r.get(8)?,
            date_offset: r.get(9)?,
            in_reply_to: irt.or(parent),
            recovered_from: None,
        },
        r.get(4)?,
    ))
}

/// One archived or reconstructed message for a feed.
#[derive(Debug, Clone)]
pub struct FeedMessage {
    pub id: String,
    pub list: String,
    pub thread_id: Option<String>,
    pub subject: String,
    /// The author's name, else their address (never empty).
    pub author_name: Option<String>,
    /// The author's person id, when resolved.
    pub person: Option<String>,
    /// A UTC instant (seconds), as Atom's `updated` requires: the message's
    /// date, or for a recovered message whose attribution gave no UTC offset,
    /// the date of the archived message that quotes it (the latest real time it
    /// is known to have existed by) — never a local time read as UTC.
    pub date: Option<i64>,
    /// For a recovered message whose attribution gave no UTC offset: the time
    /// it was written, the writer's local time without a zone
    /// (`2025-07-23T14:42:00`).
    pub local_date: Option<String>,
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

/// The `WHERE` clause of a selection over columns prefixed by `prefix` (`"m."` or `""`).
fn where_of(sel: &Selection, prefix: &str) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::from(" WHERE 1=1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(l) = &sel.list {
        sql.push_str(&format!(" AND {prefix}list = ?"));
        args.push(l.clone().into());
    }
    if let Some(t) = &sel.thread {
        sql.push_str(&format!(" AND {prefix}thread_id = ?"));
        args.push(t.clone().into());
    }
    if let Some(s) = sel.start {
        sql.push_str(&format!(" AND {prefix}date >= ?"));
        args.push(s.into());
    }
    if let Some(e) = sel.end {
        sql.push_str(&format!(" AND {prefix}date < ?"));
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
        let (w, mut args) = where_of(sel, "m.");
        let sql =
            format!("SELECT {RAW_COLUMNS} FROM messages m{w} AND m.seq > ? ORDER BY m.seq LIMIT ?");
        args.push(after.into());
        args.push((limit as i64).into());
        let mut q = self.conn.prepare(&sql)?;
        let rows = q
            .query_map(rusqlite::params_from_iter(args), raw_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(mut m, raw)| {
                m.raw = decompress(&raw)?;
                Ok(m)
            })
            .collect()
    }

    /// A thread's messages recovered from quotes, for an mbox export (no
    /// bytes: the export writes their headers), oldest first.
    pub fn recovered_messages(&self, thread: &str) -> Result<Vec<RawMessage>> {
        let mut q = self.conn.prepare_cached(
            "SELECT r.id, r.author_address, r.date, r.body, r.author_name,
                    COALESCE(NULLIF(r.subject, ''), t.subject),
                    (SELECT COALESCE(p.message_id, p.id) FROM messages p WHERE p.id = r.parent),
                    CASE WHEN r.parent LIKE 'r%' THEN r.parent END,
                    (SELECT COALESCE(s.message_id, s.id) FROM messages s WHERE s.id = r.source_id)
             FROM reconstructed r LEFT JOIN threads t ON t.id = r.thread_id
             WHERE r.thread_id = ?1 ORDER BY r.date, r.id",
        )?;
        let rows = q
            .query_map(params![thread], |r| {
                let archived_parent: Option<String> = r.get(6)?;
                let recovered_parent: Option<String> = r.get(7)?;
                Ok(RawMessage {
                    seq: 0,
                    id: r.get(0)?,
                    author_address: r.get(1)?,
                    date: r.get(2)?,
                    raw: Vec::new(),
                    body: r.get(3)?,
                    message_id: None,
                    author_name: r.get(4)?,
                    subject: r.get(5)?,
                    // the writer's zone is unknown: an instant, or a local time read
                    // as UTC (`-0000`, RFC 5322 §3.3)
                    date_offset: None,
                    in_reply_to: archived_parent
                        .or(recovered_parent.map(|p| recovered_message_id(&p))),
                    recovered_from: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// These archived messages with their original bytes, in the order given
    /// (ids that are not archived messages are skipped).
    pub fn raw_messages_by_id(&self, ids: &[String]) -> Result<Vec<RawMessage>> {
        let mut q = self.conn.prepare_cached(&format!(
            "SELECT {RAW_COLUMNS} FROM messages m WHERE m.id = ?1"
        ))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row = q.query_map(params![id], raw_row)?.next().transpose()?;
            if let Some((mut m, raw)) = row {
                m.raw = decompress(&raw)?;
                out.push(m);
            }
        }
        Ok(out)
    }

    /// The newest `limit` selected archived messages, newest first.
    pub fn feed_messages(&self, sel: &Selection, limit: usize) -> Result<Vec<FeedMessage>> {
        let (w, mut args) = where_of(sel, "");
        let sql = format!(
            "SELECT id, list, thread_id, COALESCE(subject, ''),
                    COALESCE(NULLIF(TRIM(author_name), ''), NULLIF(author_address, '')), date,
                    COALESCE(new_text, body),
                    (SELECT person FROM person_links WHERE kind = 'message' AND target = messages.id)
               FROM messages{w} ORDER BY date DESC LIMIT ?"
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
                    person: r.get(7)?,
                    date: r.get(5)?,
                    local_date: None,
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
            "SELECT id, list, thread_id, COALESCE(subject, ''),
                    COALESCE(NULLIF(TRIM(author_name), ''), NULLIF(author_address, '')), date,
                    COALESCE(new_text, body),
                    (SELECT person FROM person_links WHERE kind = 'message' AND target = messages.id),
                    date, 1
               FROM messages WHERE id = ?1",
        )?;
        let mut r = self.conn.prepare_cached(
            "SELECT r.id, r.list, r.thread_id, COALESCE(NULLIF(r.subject, ''), t.subject, ''),
                        COALESCE(NULLIF(TRIM(r.author_name), ''), NULLIF(r.author_address, '')),
                        CASE WHEN r.date_exact THEN r.date
                             ELSE (SELECT date FROM messages WHERE id = r.source_id) END,
                        r.body,
                        (SELECT person FROM person_links WHERE kind = 'reconstructed' AND target = r.id),
                        r.date, r.date_exact
                   FROM reconstructed r LEFT JOIN threads t ON t.id = r.thread_id WHERE r.id = ?1",
        )?;
        for id in ids {
            let q = if id.starts_with('r') { &mut r } else { &mut a };
            let rows = q
                .query_map(params![id], |row| {
                    let written: Option<i64> = row.get(8)?;
                    let exact: bool = row.get(9)?;
                    Ok(FeedMessage {
                        id: row.get(0)?,
                        list: row.get(1)?,
                        thread_id: row.get(2)?,
                        subject: row.get(3)?,
                        author_name: row.get(4)?,
                        person: row.get(7)?,
                        date: row.get(5)?,
                        local_date: written
                            .filter(|_| !exact)
                            .map(|d| plenary_mail::date::record_date(d, false)),
                        text: row.get(6)?,
                        reconstructed: id.starts_with('r'),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.extend(rows);
        }
        // Newest first by real instants only: `date` is never a local time
        // read as UTC (see [`FeedMessage::date`]).
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

/// The Message-ID an export gives a message recovered from quotes (never a
/// real address: `.invalid` is reserved).
pub fn recovered_message_id(id: &str) -> String {
    format!("{id}@recovered.plenary.invalid")
}

/// Whether bytes start with a mail header block: `Name: value` lines up to a
/// blank line, one of them `From:` or `Date:`.
fn header_names(raw: &[u8]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for line in raw.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if names.is_empty() {
                return None;
            }
            continue; // a folded continuation
        }
        let colon = line.iter().position(|b| *b == b':')?;
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        names.push(String::from_utf8_lossy(name).to_ascii_lowercase());
    }
    names
        .iter()
        .any(|n| n == "from" || n == "date")
        .then_some(names)
}

/// A header value as RFC 2047 encoded words when it is not plain ASCII.
fn encode_word(v: &str) -> String {
    let v: String = v
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if v.is_ascii() {
        return v;
    }
    let mut out = String::from("=?utf-8?q?");
    let mut len = 0;
    for ch in v.chars() {
        let mut buf = [0u8; 4];
        let enc: String = if ch.is_ascii_alphanumeric() {
            ch.to_string()
        } else if ch == ' ' {
            "_".into()
        } else {
            ch.encode_utf8(&mut buf)
                .bytes()
                .map(|b| format!("={b:02X}"))
                .collect()
        };
        // encoded words stay under 75 characters
        if len + enc.len() > 60 {
            out.push_str("?=\n =?utf-8?q?");
            len = 0;
        }
        len += enc.len();
        out.push_str(&enc);
    }
    out.push_str("?=");
    out
}

/// RFC 5322 date of a Unix time at an offset (seconds east of UTC).
fn rfc5322_date(secs: i64, offset: Option<i32>) -> String {
    let t = jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    match offset.and_then(|o| jiff::tz::Offset::from_seconds(o).ok()) {
        Some(off) => t
            .to_zoned(jiff::tz::TimeZone::fixed(off))
            .strftime("%a, %d %b %Y %H:%M:%S %z")
            .to_string(),
        // RFC 5322 §3.3: "-0000" is UTC with nothing known of the writer's zone
        None => t
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%a, %d %b %Y %H:%M:%S -0000")
            .to_string(),
    }
}

/// The headers an exported message lacks (all of them when its bytes have no
/// header block), from what the store knows; `X-Plenary-Synthesized` names them.
fn synthesized_headers(m: &RawMessage, present: &[String], hide: bool) -> String {
    let has = |n: &str| present.iter().any(|p| p == n);
    let clean = |s: &str| {
        if hide {
            plenary_mail::address::obfuscate_text(s).into_owned()
        } else {
            s.to_string()
        }
    };
    let mut h = String::new();
    let mut added = Vec::new();
    if !has("from") {
        let addr = m
            .author_address
            .as_deref()
            .filter(|a| a.contains('@') && !a.contains(char::is_whitespace));
        let name = m.author_name.as_deref().map(|n| encode_word(&clean(n)));
        let v = match (name, addr) {
            (Some(n), Some(a)) if !hide => format!("{n} <{a}>"),
            (Some(n), Some(a)) => format!("{n} ({})", clean(a)),
            (Some(n), None) => format!("{n} <unknown@plenary.invalid>"),
            (None, Some(a)) if !hide => format!("<{a}>"),
            (None, Some(a)) => format!("{} <unknown@plenary.invalid>", clean(a)),
            (None, None) => "unknown <unknown@plenary.invalid>".to_string(),
        };
        h.push_str(&format!("From: {v}\n"));
        added.push("From");
    }
    if !has("date") {
        if let Some(d) = m.date {
            h.push_str(&format!("Date: {}\n", rfc5322_date(d, m.date_offset)));
            added.push("Date");
        }
    }
    if !has("subject") {
        let subject = m.subject.as_deref().unwrap_or("");
        h.push_str(&format!("Subject: {}\n", encode_word(&clean(subject))));
        added.push("Subject");
    }
    if !has("message-id") {
        let mid = match (&m.message_id, &m.recovered_from) {
            (Some(mid), _) => mid.clone(),
            (None, Some(_)) => recovered_message_id(&m.id),
            (None, None) => format!("{}@plenary.invalid", m.id),
        };
        h.push_str(&format!("Message-ID: <{mid}>\n"));
        added.push("Message-ID");
    }
    if !has("in-reply-to") {
        if let Some(p) = &m.in_reply_to {
            h.push_str(&format!("In-Reply-To: <{p}>\n"));
            added.push("In-Reply-To");
        }
    }
    if let Some(src) = &m.recovered_from {
        h.push_str(&format!(
            "X-Plenary-Recovered-From: <{src}>\nX-Plenary-Note: not archived; recovered by Plenary from the quote in the message named above\n"
        ));
    }
    if !added.is_empty() {
        h.push_str(&format!("X-Plenary-Synthesized: {}\n", added.join(", ")));
    }
    h
}

/// Appends one message in mboxrd form: a `From ` line, the bytes with
/// `>`-quoted `From ` lines. Headers its bytes lack (From, Date, Subject,
/// Message-ID, In-Reply-To) are written from the store, marked
/// `X-Plenary-Synthesized`; a message without a header block at all (a
/// pipermail text rendering) or recovered from quotes is written as its
/// decoded text under headers made entirely that way.
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
    let raw_bytes: &[u8] = if hide_addresses && !m.raw.is_empty() {
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
    let text;
    let raw: &[u8] = match header_names(raw) {
        Some(present) => {
            let extra = synthesized_headers(m, &present, hide_addresses);
            out.extend_from_slice(extra.as_bytes());
            raw
        }
        None => {
            let mut h = synthesized_headers(m, &[], hide_addresses);
            h.push_str("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
            let body = if hide_addresses {
                plenary_mail::address::obfuscate_text(&m.body)
            } else {
                std::borrow::Cow::Borrowed(m.body.as_str())
            };
            h.push_str(&body);
            if !h.ends_with('\n') {
                h.push('\n');
            }
            text = h;
            text.as_bytes()
        }
    };
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
    fn dates_say_when_the_writers_zone_is_unknown() {
        assert_eq!(
            rfc5322_date(1_753_295_760, Some(7200)),
            "Wed, 23 Jul 2025 20:36:00 +0200"
        );
        // RFC 5322 §3.3: -0000 is UTC with no word on the writer's own zone
        assert_eq!(
            rfc5322_date(1_753_295_760, None),
            "Wed, 23 Jul 2025 18:36:00 -0000"
        );
    }

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
            ..Default::default()
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

    #[test]
    fn headerless_and_recovered_messages_get_headers() {
        let rendering = RawMessage {
            id: "h1".into(),
            author_address: Some("ana@example.org".into()),
            author_name: Some("Ana Núñez".into()),
            date: Some(1_753_295_760),
            date_offset: Some(7200),
            subject: Some("Re: enhanced cooperation".into()),
            raw: b"[WG] enhanced cooperation\nAna at example.org\n\nFrom my side, yes.\n".to_vec(),
            body: "From my side, yes.\n".into(),
            in_reply_to: Some("p@x".into()),
            ..Default::default()
        };
        let mut out = Vec::new();
        write_mboxrd(&mut out, &rendering, true);
        let s = String::from_utf8(out).unwrap_or_default();
        assert!(s.starts_with("From ana at example.org "), "{s}");
        assert!(
            s.contains("\nFrom: =?utf-8?q?Ana_N=C3=BA=C3=B1ez?= (ana at example.org)\n"),
            "{s}"
        );
        assert!(
            s.contains("\nDate: Wed, 23 Jul 2025 20:36:00 +0200\n"),
            "{s}"
        );
        assert!(s.contains("\nSubject: Re: enhanced cooperation\n"), "{s}");
        assert!(s.contains("\nMessage-ID: <h1@plenary.invalid>\n"), "{s}");
        assert!(s.contains("\nIn-Reply-To: <p@x>\n"), "{s}");
        assert!(
            s.contains("X-Plenary-Synthesized: From, Date, Subject, Message-ID, In-Reply-To\n"),
            "{s}"
        );
        assert!(s.contains("\n\n>From my side, yes.\n"), "body quoted: {s}");
        assert!(!s.contains("ana@example.org"), "{s}");

        let recovered = RawMessage {
            id: "rabc".into(),
            author_name: Some("Bo".into()),
            date: Some(1_753_295_000),
            body: "Earlier words.".into(),
            recovered_from: Some("src@x".into()),
            ..Default::default()
        };
        let mut out = Vec::new();
        write_mboxrd(&mut out, &recovered, true);
        let s = String::from_utf8(out).unwrap_or_default();
        assert!(
            s.contains("Message-ID: <rabc@recovered.plenary.invalid>\n"),
            "{s}"
        );
        assert!(s.contains("X-Plenary-Recovered-From: <src@x>\n"), "{s}");
        assert!(s.ends_with("\n\nEarlier words.\n\n"), "{s}");

        // a real header block keeps its headers; only the missing ones are added
        let partial = RawMessage {
            id: "h2".into(),
            message_id: None,
            raw: b"From: Bo <bo@x.org>\r\nDate: Wed, 23 Jul 2025 18:36:00 +0000\r\n\r\nhi\r\n"
                .to_vec(),
            body: "hi\n".into(),
            ..Default::default()
        };
        let mut out = Vec::new();
        write_mboxrd(&mut out, &partial, false);
        let s = String::from_utf8(out).unwrap_or_default();
        assert!(s.contains("Subject: \nMessage-ID: <h2@plenary.invalid>\nX-Plenary-Synthesized: Subject, Message-ID\nFrom: Bo <bo@x.org>\n"), "{s}");
    }
}
