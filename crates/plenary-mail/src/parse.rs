//! From raw bytes to a [`ParsedMessage`]: MIME and charsets via mail-parser,
//! then the archive-specific repairs (pipermail addresses, DMARC rewrites,
//! zone abbreviations, format=flowed) and the checks that decide whether a
//! message is kept or rejected with a reason.

use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders, PartType};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::address::{clean_name, deobfuscate, parse_pipermail_from, split_via, Author};
use crate::date::{parse_asctime, parse_header_date, MailDate};
use crate::flowed::unwrap_flowed;
use crate::pipermail;
use crate::source::{RawItem, RawKind};
use crate::subject::{is_reply_subject, list_tag, normalize_subject};

/// Limits applied while parsing.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Messages larger than this are rejected (kept raw with the reason).
    pub max_message_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_message_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Why a message could not be analysed. The raw bytes are kept by the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Rejection {
    pub reason: String,
}

fn reject(reason: impl Into<String>) -> Rejection {
    Rejection {
        reason: reason.into(),
    }
}

/// A mailing list a message belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListRef {
    /// Display name (`WG-Strategy`).
    pub name: String,
    /// Where the name came from.
    pub evidence: ListEvidence,
    /// The list's posting address, when known.
    pub address: Option<String>,
}

/// Where a message's list came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListEvidence {
    /// The List-Id header.
    ListId,
    /// A `[Tag]` in the subject.
    SubjectTag,
    /// The list the rest of the message's source (mbox file, folder, pipermail tree) holds.
    Source,
    /// The archive's path (a pipermail folder, an mbox file name).
    Path,
    /// `--list` on the command line.
    Option,
}

impl ListEvidence {
    /// The name stored and shown (`list-id`, `subject-tag`, `source`, `path`, `option`).
    pub fn as_str(self) -> &'static str {
        match self {
            ListEvidence::ListId => "list-id",
            ListEvidence::SubjectTag => "subject-tag",
            ListEvidence::Source => "source",
            ListEvidence::Path => "path",
            ListEvidence::Option => "option",
        }
    }
}

/// Metadata of one attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    pub name: Option<String>,
    pub content_type: String,
    pub size: usize,
}

/// A decoded message with everything the store and the web need.
#[derive(Debug, Clone, Serialize)]
pub struct ParsedMessage {
    /// Stable id: the Message-ID without brackets, or `h` + a content hash.
    pub id: String,
    pub message_id: Option<String>,
    pub list: Option<ListRef>,
    pub subject: Option<String>,
    /// Subject without reply prefixes and tags; what threads are named by.
    pub thread_subject: String,
    /// The subject had a reply/forward prefix.
    pub is_reply: bool,
    pub author: Author,
    pub date: Option<MailDate>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// Decoded text (format=flowed unwrapped; HTML converted when there is no text part).
    pub body: String,
    /// `text`, `html` or `none`.
    pub body_source: &'static str,
    pub attachments: Vec<AttachmentInfo>,
    /// Key shared by the pipermail `.txt` and HTML shapes of this message.
    pub fingerprint: Option<String>,
    /// Repairs and oddities noticed while decoding.
    pub warnings: Vec<String>,
    /// The sender asked not to be archived (`X-No-Archive: yes` or `Archive: no`).
    pub no_archive: bool,
}

fn content_hash_id(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let hex: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("h{hex}")
}

fn clean_msgid(s: &str) -> Option<String> {
    let t = s
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    if t.is_empty() || t.len() > 250 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        None
    } else {
        Some(t.to_string())
    }
}

/// The Message-ID as its header's bytes give it, invalid UTF-8 bytes kept as
/// `%XX` escapes (not replaced by U+FFFD, which would make different ids equal).
/// Hand-written: mail-parser only hands out the decoded (lossy) value.
fn raw_message_id(bytes: &[u8]) -> Option<String> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let mut value: Option<Vec<u8>> = None;
    for line in lines.by_ref() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        match &mut value {
            Some(v) if line[0] == b' ' || line[0] == b'\t' => v.extend_from_slice(line),
            Some(_) => break,
            None => {
                let name = b"message-id:";
                if line.len() > name.len() && line[..name.len()].eq_ignore_ascii_case(name) {
                    value = Some(line[name.len()..].to_vec());
                }
            }
        }
    }
    let value = value?;
    let mut out = String::new();
    for chunk in value.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    clean_msgid(&out)
}

/// A body that is a bare base64 block (pipermail keeps a base64 part's text
/// but drops its `Content-Transfer-Encoding`), decoded as UTF-8 text, followed
/// by whatever came after the block; `None` when it is not one, or does not
/// decode to text. The decoding is mail-parser's, over the block given the
/// headers the archive dropped.
fn decode_bare_base64(body: &str) -> Option<String> {
    let is_b64 = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    };
    let lines: Vec<&str> = body.lines().map(str::trim_end).collect();
    let start = lines.iter().position(|l| !l.trim().is_empty())?;
    let mut end = start;
    while end < lines.len() && is_b64(lines[end]) {
        end += 1;
    }
    let block = &lines[start..end];
    let width = block.first()?.len();
    let regular = block.len() >= 3
        && (40..=76).contains(&width)
        && width % 4 == 0
        && block[..block.len() - 1].iter().all(|l| l.len() == width)
        && block.last().is_some_and(|l| l.len() <= width);
    if !regular {
        return None;
    }
    let mail = format!(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{}\n",
        block.join("\n")
    );
    let parsed = MessageParser::default().parse(mail.as_bytes())?;
    let text = parsed.body_text(0)?.into_owned();
    let bad = text
        .chars()
        .filter(|c| *c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
        .count();
    if text.trim().is_empty() || bad * 50 > text.chars().count() {
        return None;
    }
    let mut out = text.replace("\r\n", "\n");
    let rest = lines[end..].join("\n");
    if !rest.trim().is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&rest);
        out.push('\n');
    }
    Some(out)
}

/// Parses one raw item. `list_option` is the user's `--list`, the last fallback.
pub fn parse_item(
    item: &RawItem,
    opts: &ParseOptions,
    list_option: Option<&str>,
) -> Result<ParsedMessage, Rejection> {
    if item.bytes.len() > opts.max_message_bytes {
        return Err(reject(format!(
            "message is {} bytes, over the {} byte limit",
            item.bytes.len(),
            opts.max_message_bytes
        )));
    }
    if let Some(pos) = item.bytes.iter().position(|b| *b == 0) {
        return Err(reject(format!("contains a NUL byte at offset {pos}")));
    }
    let mut m = match item.kind {
        RawKind::Rfc822 | RawKind::PipermailText => parse_rfc822(item)?,
        RawKind::PipermailPage => parse_page_item(item)?,
        RawKind::PipermailRendering => parse_rendering_item(item)?,
    };
    if item.kind != RawKind::Rfc822 {
        // pipermail drops a part's MIME headers: a base64 body arrives bare
        if let Some(decoded) = decode_bare_base64(&m.body) {
            m.body = decoded;
            m.warnings.push(
                "the archive kept this body base64-encoded without its MIME headers; decoded"
                    .to_string(),
            );
        }
    }
    // List name: List-Id, subject tag, pipermail path, --list.
    if m.list.is_none() {
        if let Some(tag) = m.subject.as_deref().and_then(list_tag) {
            m.list = Some(ListRef {
                name: tag,
                evidence: ListEvidence::SubjectTag,
                address: None,
            });
        } else if let (Some(l), RawKind::Rfc822) = (list_option, item.kind) {
            // For plain mail the user's --list beats a file or folder name.
            m.list = Some(ListRef {
                name: l.to_string(),
                evidence: ListEvidence::Option,
                address: None,
            });
        } else if let Some(h) = &item.list_hint {
            m.list = Some(ListRef {
                name: h.clone(),
                evidence: ListEvidence::Path,
                address: None,
            });
        } else if let Some(l) = list_option {
            m.list = Some(ListRef {
                name: l.to_string(),
                evidence: ListEvidence::Option,
                address: None,
            });
        }
    }
    if let Some(list) = &mut m.list {
        if list.address.is_none() {
            list.address = m.author.via_list.clone();
        }
    }
    Ok(m)
}

/// Rewrites pipermail's `From: user at host (Name)` so mail-parser reads it as an address.
fn repair_pipermail_headers(bytes: &[u8]) -> Vec<u8> {
    let end = find_header_end(bytes).unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..end]);
    let mut out = String::with_capacity(end + 64);
    for line in head.split_inclusive('\n') {
        if let Some(v) = line.strip_prefix("From: ") {
            if v.contains(" at ") && !v.contains('<') {
                let (addr, name) = parse_pipermail_from(v.trim_end());
                let name = name.unwrap_or_default().replace('"', "'");
                out.push_str(&format!(
                    "From: \"{}\" <{}>\n",
                    name,
                    addr.unwrap_or_default()
                ));
                continue;
            }
        }
        out.push_str(line);
    }
    let mut v = out.into_bytes();
    v.extend_from_slice(&bytes[end..]);
    v
}

fn find_header_end(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' && (b.get(i + 1) == Some(&b'\n') || b.get(i + 1..i + 3) == Some(b"\r\n")) {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

fn header_text(v: &HeaderValue) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn addresses(a: Option<&Address>) -> Vec<String> {
    a.map(|a| {
        a.iter()
            .filter_map(|x| x.address().map(|s| s.to_lowercase()))
            .collect()
    })
    .unwrap_or_default()
}

fn parse_rfc822(item: &RawItem) -> Result<ParsedMessage, Rejection> {
    let repaired;
    let bytes: &[u8] = if item.kind == RawKind::PipermailText {
        repaired = repair_pipermail_headers(&item.bytes);
        &repaired
    } else {
        &item.bytes
    };
    if let Some(depth) = mime_nesting_over(bytes, MAX_MIME_DEPTH) {
        return Err(reject(format!(
            "MIME parts nested {depth} levels deep, over the limit of {MAX_MIME_DEPTH} (multiparts and attached messages within each other); not decoded"
        )));
    }
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| reject("no mail headers found: not parseable as a mail message"))?;
    let known = [
        "from",
        "date",
        "subject",
        "message-id",
        "to",
        "cc",
        "received",
        "sender",
        "reply-to",
        "in-reply-to",
        "references",
        "mime-version",
        "content-type",
        "return-path",
        "delivered-to",
    ];
    let has_header = msg.headers().iter().any(|h| {
        let n = h.name().to_ascii_lowercase();
        known.contains(&n.as_str()) || n.starts_with("list-") || n.starts_with("x-")
    });
    if !has_header {
        return Err(reject(
            "no mail headers found (no From, Date, Subject, To or Message-ID)",
        ));
    }
    let has = |name: &str| {
        msg.headers()
            .iter()
            .any(|h| h.name().eq_ignore_ascii_case(name))
    };
    if !has("from") && !has("date") && !has("message-id") {
        return Err(reject(if item.envelope.is_some() {
            "no From, Date or Message-ID header: in an mbox this is usually the rest of the previous message, split at an unescaped 'From ' line in its body"
        } else {
            "no From, Date or Message-ID header: nothing identifies this message"
        }));
    }
    check_mime(&msg)?;
    let mut warnings = Vec::new();

    let message_id = msg.message_id().and_then(|m| {
        if m.contains('\u{FFFD}') {
            // the decoder replaced invalid bytes: two ids that differ only there
            // would become one; read the header's own bytes instead
            raw_message_id(&item.bytes).or_else(|| clean_msgid(m))
        } else {
            clean_msgid(m)
        }
    });
    let subject = msg
        .subject()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));

    // Author, undoing Mailman's DMARC rewrite.
    let mut author = Author::default();
    if let Some(first) = msg.from().and_then(|a| a.first()) {
        author.name = first.name().and_then(clean_name);
        author.address = first.address().map(deobfuscate).filter(|a| !a.is_empty());
    }
    let list_id = msg.header_raw("List-Id").and_then(parse_list_id);
    let list_post = msg.header_raw("List-Post").and_then(|v| {
        let v = v.trim();
        let start = v.find("mailto:")? + 7;
        let rest = &v[start..];
        let end = rest.find(['>', '?']).unwrap_or(rest.len());
        Some(rest[..end].trim().to_lowercase())
    });
    if let Some((name, via)) = author.name.as_deref().and_then(split_via) {
        let addr = author.address.clone().unwrap_or_default();
        let local = addr.split('@').next().unwrap_or("").to_lowercase();
        let via_l = via.to_lowercase();
        let is_list_addr = local == via_l
            || list_post.as_deref() == Some(addr.as_str())
            || list_id
                .as_ref()
                .map(|(n, _)| n.to_lowercase() == local)
                .unwrap_or(false)
            || local.starts_with(&via_l);
        if is_list_addr {
            author.name = Some(name);
            author.via_list = author.address.take();
            author.address = msg
                .reply_to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .map(deobfuscate)
                .filter(|a| Some(a) != author.via_list.as_ref());
            warnings.push(format!("From rewritten by Mailman (via {via})"));
        }
    }

    // Date: our parser knows zone abbreviations; mail-parser's is the fallback.
    let mut date = msg.header_raw("Date").and_then(parse_header_date);
    if date.is_none() {
        date = msg.date().map(|d| MailDate {
            utc: d.to_timestamp(),
            offset_seconds: {
                let o = i32::from(d.tz_hour) * 3600 + i32::from(d.tz_minute) * 60;
                Some(if d.tz_before_gmt { -o } else { o })
            },
        });
    }
    if date.is_none() {
        if let Some(env) = &item.envelope {
            date = parse_asctime(env);
            if date.is_some() {
                warnings.push("date taken from the mbox separator".to_string());
            }
        }
    }

    let in_reply_to = header_text(msg.in_reply_to())
        .into_iter()
        .filter_map(|s| clean_msgid(&s))
        .next();
    let references: Vec<String> = header_text(msg.references())
        .into_iter()
        .flat_map(|s| {
            s.split_whitespace()
                .filter_map(clean_msgid)
                .collect::<Vec<_>>()
        })
        .collect();

    // Body: every inline text part (Mailman appends its footer as its own part).
    let mut body = String::new();
    let mut body_source = "none";
    for (i, pid) in msg.text_body.iter().enumerate() {
        let Some(part) = msg.parts.get(*pid as usize) else {
            continue;
        };
        let text = match &part.body {
            PartType::Text(t) => {
                body_source = if body_source == "html" {
                    "html"
                } else {
                    "text"
                };
                let flowed = part
                    .content_type()
                    .and_then(|ct| ct.attribute("format"))
                    .map(|f| f.eq_ignore_ascii_case("flowed"))
                    .unwrap_or(false);
                if flowed {
                    let delsp = part
                        .content_type()
                        .and_then(|ct| ct.attribute("delsp"))
                        .map(|f| f.eq_ignore_ascii_case("yes"))
                        .unwrap_or(false);
                    unwrap_flowed(t, delsp)
                } else {
                    t.to_string()
                }
            }
            PartType::Html(h) => {
                body_source = "html";
                // our conversion keeps blockquotes as `> ` quoting
                crate::html::html_to_quoted_text(h)
            }
            _ => continue,
        };
        if part.is_encoding_problem {
            warnings.push(format!(
                "text part {i} had an encoding problem; decoded leniently"
            ));
        }
        if !body.is_empty() && !body.ends_with('\n') {
            body.push('\n');
        }
        body.push_str(&text);
    }
    let body = body.replace("\r\n", "\n");

    let attachments = msg
        .attachments()
        .map(|p| AttachmentInfo {
            name: p.attachment_name().map(str::to_string),
            content_type: p
                .content_type()
                .map(|ct| match &ct.c_subtype {
                    Some(s) => format!("{}/{}", ct.c_type, s),
                    None => ct.c_type.to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".to_string()),
            size: p.contents().len(),
        })
        .collect();

    // List-Id names the list; the subject tag usually spells it as people write it.
    let tag = subject.as_deref().and_then(list_tag);
    let list = list_id.map(|(name, _)| ListRef {
        name: match tag {
            Some(t) if t.eq_ignore_ascii_case(&name) => t,
            _ => name,
        },
        evidence: ListEvidence::ListId,
        address: list_post.clone(),
    });

    let fingerprint = if item.kind == RawKind::PipermailText {
        item.envelope
            .as_deref()
            .and_then(pipermail::envelope_fingerprint)
    } else {
        None
    };

    let mut pm = ParsedMessage {
        id: message_id
            .clone()
            .unwrap_or_else(|| content_hash_id(&item.bytes)),
        message_id,
        list,
        thread_subject: normalize_subject(subject.as_deref().unwrap_or("")),
        is_reply: subject.as_deref().map(is_reply_subject).unwrap_or(false),
        subject,
        author,
        date,
        in_reply_to,
        references,
        to: addresses(msg.to()),
        cc: addresses(msg.cc()),
        body,
        body_source,
        attachments,
        fingerprint,
        warnings,
        no_archive: asks_not_to_be_archived(&msg),
    };
    // A pipermail tree gave us the month's HTML page too: its text keeps the
    // non-ASCII characters that the .txt archive turned into '?'.
    if let Some(page) = item.alt_page.as_deref().and_then(pipermail::parse_page) {
        if !page.body.trim().is_empty() {
            pm.body = page.body;
            pm.body_source = "text";
        }
        if pm.author.name.is_none() {
            pm.author.name = page.author_name;
        }
        if pm
            .subject
            .as_deref()
            .map(|s| s.contains('?'))
            .unwrap_or(false)
        {
            if let Some(s) = page.subject {
                pm.thread_subject = normalize_subject(&s);
                pm.subject = Some(s);
            }
        }
        if pm.in_reply_to.is_none() {
            pm.in_reply_to = page.in_reply_to;
        }
        // The .txt archive's `Date: Wed Mar 14 21:19:35 2007` is the server's local
        // time without its zone; the page's `Wed Mar 14 21:19:30 CST 2007` names
        // it. The same wall-clock time (within two minutes) takes the page's offset.
        let zoned = page
            .date_text
            .as_deref()
            .and_then(crate::date::parse_header_date)
            .and_then(|d| Some((d.utc, d.offset_seconds?)));
        if let (Some(d), Some((utc, off))) = (pm.date.as_mut(), zoned) {
            if d.offset_seconds.is_none() && (utc + i64::from(off) - d.utc).abs() <= 120 {
                d.utc -= i64::from(off);
                d.offset_seconds = Some(off);
            }
        }
    }
    Ok(pm)
}

/// `X-No-Archive: yes` (RFC 2076) or `Archive: no` (RFC 2369's companion, RFC 5064):
/// the sender's wish, which Mailman's own archivers honour too.
fn asks_not_to_be_archived(msg: &mail_parser::Message<'_>) -> bool {
    let first_word = |name: &str| {
        msg.header_raw(name).map(|v| {
            v.split([';', ',', ' ', '\t', '\r', '\n'])
                .find(|w| !w.is_empty())
                .unwrap_or("")
                .to_ascii_lowercase()
        })
    };
    first_word("X-No-Archive").as_deref() == Some("yes")
        || first_word("Archive").as_deref() == Some("no")
}

/// `"Name" <wg-strategy.intgovforum.org>` → (`wg-strategy`, full id).
fn parse_list_id(v: &str) -> Option<(String, String)> {
    let v = v.trim();
    let id = match (v.rfind('<'), v.rfind('>')) {
        (Some(o), Some(c)) if c > o => &v[o + 1..c],
        _ => v,
    }
    .trim();
    let first = id.split('.').next()?.trim();
    if first.is_empty() || first.contains(' ') {
        return None;
    }
    Some((first.to_string(), id.to_lowercase()))
}

/// How deep MIME parts (multiparts, attached messages) may nest. Decoding
/// and [`check_mime`] cost grows with depth × size, so a message of 20,000
/// nested multiparts would take minutes; no real mail nests this deep.
pub const MAX_MIME_DEPTH: usize = 64;

/// Longest Content-Type header value the nesting scan looks at.
const MAX_CT_SCAN: usize = 8 * 1024;

/// The nesting depth reached, if it goes over `max`, found in one linear
/// pass over the lines: a stack of open multipart boundaries (looked up by
/// boundary, so each delimiter line costs its own length) and attached
/// messages. It follows what mail-parser will do closely enough to bound it;
/// mail-parser has no depth limit of its own for multiparts, hence this scan.
fn mime_nesting_over(bytes: &[u8], max: usize) -> Option<usize> {
    use std::collections::HashMap;
    // None: an attached message (message/rfc822), ended by its parent's boundary.
    let mut stack: Vec<Option<Vec<u8>>> = Vec::new();
    let mut open: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut in_headers = true;
    let mut ct: Vec<u8> = Vec::new();
    let mut in_ct = false;
    for line in bytes.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if in_headers {
            if line.is_empty() {
                in_headers = false;
                in_ct = false;
                match content_type_nesting(&ct) {
                    Nesting::Multipart(b) => {
                        open.insert(b.clone(), stack.len());
                        stack.push(Some(b));
                    }
                    Nesting::Message => {
                        stack.push(None);
                        in_headers = true;
                    }
                    Nesting::Leaf => {}
                }
                ct.clear();
                if stack.len() > max {
                    return Some(stack.len());
                }
            } else if line.starts_with(b" ") || line.starts_with(b"\t") {
                if in_ct && ct.len() < MAX_CT_SCAN {
                    ct.extend_from_slice(line);
                }
            } else {
                in_ct = line.len() >= 13 && line[..13].eq_ignore_ascii_case(b"content-type:");
                if in_ct {
                    ct.clear();
                    ct.extend_from_slice(&line[13..line.len().min(MAX_CT_SCAN)]);
                }
            }
            continue;
        }
        let Some(rest) = line.strip_prefix(b"--") else {
            continue;
        };
        let rest = rest.trim_ascii_end();
        let (token, closing) = match rest.strip_suffix(b"--") {
            Some(t) if open.contains_key(t) => (t, true),
            _ => (rest, false),
        };
        let Some(&at) = open.get(token) else {
            continue;
        };
        let keep = if closing { at } else { at + 1 };
        // Each level is pushed once and drained once: linear overall.
        for b in stack.drain(keep..).flatten() {
            if open.get(&b).is_some_and(|i| *i >= keep) {
                open.remove(&b);
            }
        }
        if !closing {
            in_headers = true;
        }
    }
    None
}

enum Nesting {
    /// A multipart with its boundary.
    Multipart(Vec<u8>),
    /// An attached message: a header block follows.
    Message,
    Leaf,
}

/// What a Content-Type header value opens.
fn content_type_nesting(ct: &[u8]) -> Nesting {
    let v = ct.trim_ascii();
    let lower = v.to_ascii_lowercase();
    if lower.starts_with(b"message/rfc822") || lower.starts_with(b"message/global") {
        return Nesting::Message;
    }
    if !lower.starts_with(b"multipart/") {
        return Nesting::Leaf;
    }
    let Some(at) = lower.windows(9).position(|w| w == b"boundary=") else {
        return Nesting::Leaf;
    };
    let value = &v[at + 9..];
    let boundary = match value.strip_prefix(b"\"") {
        Some(q) => q.split(|b| *b == b'"').next().unwrap_or(q),
        None => value
            .split(|b| *b == b';' || b.is_ascii_whitespace())
            .next()
            .unwrap_or(value),
    };
    if boundary.is_empty() {
        Nesting::Leaf
    } else {
        Nesting::Multipart(boundary.to_vec())
    }
}

/// Rejects MIME structures that cannot be decoded: base64 bodies holding
/// non-base64 bytes, and multiparts cut off before their closing boundary.
fn check_mime(msg: &mail_parser::Message) -> Result<(), Rejection> {
    let raw = msg.raw_message();
    for (i, part) in msg.parts.iter().enumerate() {
        let cte = part
            .content_transfer_encoding()
            .map(|s| s.trim().to_ascii_lowercase());
        if cte.as_deref() == Some("base64") && !matches!(part.body, PartType::Multipart(_)) {
            let start = part.offset_body as usize;
            let end = (part.offset_end as usize).min(raw.len());
            if start < end {
                let body = &raw[start..end];
                if let Some(pos) = body.iter().position(|b| {
                    !(b.is_ascii_alphanumeric()
                        || matches!(b, b'+' | b'/' | b'=' | b'\r' | b'\n' | b' ' | b'\t' | b'-'))
                }) {
                    return Err(reject(format!(
                        "invalid base64 in MIME part {i}: byte 0x{:02x} at offset {}",
                        body[pos],
                        start + pos
                    )));
                }
            }
        }
        if let PartType::Multipart(children) = &part.body {
            let Some(boundary) = part.content_type().and_then(|ct| ct.attribute("boundary")) else {
                continue;
            };
            let closing = format!("--{boundary}--");
            let start = part.offset_body as usize;
            let end = (part.offset_end as usize).min(raw.len());
            let region = if start <= end {
                &raw[start..end]
            } else {
                &raw[0..0]
            };
            if find_bytes(region, closing.as_bytes()).is_none() {
                // Missing closing boundaries are common and harmless; only a cut last part is fatal.
                if let Some(last) = children.last().and_then(|id| msg.parts.get(*id as usize)) {
                    let is_b64 = last
                        .content_transfer_encoding()
                        .map(|s| s.trim().eq_ignore_ascii_case("base64"))
                        .unwrap_or(false);
                    let s = last.offset_body as usize;
                    let e = (last.offset_end as usize).min(raw.len());
                    let n = if s < e {
                        raw[s..e]
                            .iter()
                            .filter(|b| !b.is_ascii_whitespace())
                            .count()
                    } else {
                        0
                    };
                    if is_b64 && n % 4 != 0 {
                        return Err(reject(format!(
                            "truncated MIME: multipart part {i} has no closing boundary and its last part is cut mid-base64"
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse_page_item(item: &RawItem) -> Result<ParsedMessage, Rejection> {
    let page = pipermail::parse_page(&item.bytes)
        .ok_or_else(|| reject("pipermail page without a title or date"))?;
    let date = page.date_text.as_deref().and_then(parse_asctime);
    // the same key as the envelope line of the .txt shape
    let fingerprint = match (&page.address_text, &page.date_text) {
        (Some(a), Some(d)) => pipermail::fingerprint(a, d),
        _ => None,
    };
    let subject = page.subject.clone();
    Ok(ParsedMessage {
        id: content_hash_id(&item.bytes),
        message_id: None,
        list: None,
        thread_subject: normalize_subject(subject.as_deref().unwrap_or("")),
        is_reply: subject.as_deref().map(is_reply_subject).unwrap_or(false),
        subject,
        author: Author {
            name: page.author_name,
            address: page.author_address,
            via_list: None,
        },
        date,
        in_reply_to: page.in_reply_to,
        references: Vec::new(),
        to: Vec::new(),
        cc: Vec::new(),
        body: page.body,
        body_source: "text",
        attachments: Vec::new(),
        fingerprint,
        warnings: vec!["pipermail page: no Message-ID, id is a content hash".to_string()],
        no_archive: false,
    })
}

fn parse_rendering_item(item: &RawItem) -> Result<ParsedMessage, Rejection> {
    let r = pipermail::parse_rendering(&item.bytes)
        .ok_or_else(|| reject("pipermail text rendering without its four header lines"))?;
    let date = parse_asctime(&r.date_text);
    let fingerprint = pipermail::rendering_fingerprint(&r);
    let mut author = Author {
        name: r.author_name.clone(),
        address: Some(deobfuscate(&r.address_text)).filter(|a| !a.is_empty()),
        via_list: None,
    };
    if let Some((name, _via)) = author.name.as_deref().and_then(split_via) {
        author.name = Some(name);
        author.via_list = author.address.take();
    }
    Ok(ParsedMessage {
        id: content_hash_id(&item.bytes),
        message_id: None,
        list: None,
        thread_subject: normalize_subject(&r.subject),
        is_reply: is_reply_subject(&r.subject),
        subject: Some(r.subject),
        author,
        date,
        in_reply_to: None,
        references: Vec::new(),
        to: Vec::new(),
        cc: Vec::new(),
        body: r.body,
        body_source: "text",
        attachments: Vec::new(),
        fingerprint,
        warnings: vec!["pipermail text rendering: no Message-ID, id is a content hash".to_string()],
        no_archive: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(bytes: &[u8], kind: RawKind) -> RawItem {
        RawItem {
            bytes: bytes.to_vec(),
            kind,
            origin: "test".into(),
            source: "test".into(),
            envelope: None,
            list_hint: None,
            alt_page: None,
        }
    }

    fn parse(bytes: &[u8]) -> Result<ParsedMessage, Rejection> {
        parse_item(
            &item(bytes, RawKind::Rfc822),
            &ParseOptions::default(),
            None,
        )
    }

    /// The .txt archive's zone-less Date takes the zone its message page names.
    #[test]
    fn pipermail_page_gives_the_txt_date_its_zone() {
        let txt = b"From: jo at example.org (Jo Bloggs)\nDate: Wed Mar 14 21:19:35 2007\nSubject: [L] Hi\nMessage-ID: <a1@example.org>\n\nHello\n";
        let page = br#"<HTML><HEAD><TITLE> [L] Hi </TITLE></HEAD><BODY>
<H1>[L] Hi</H1> <B>Jo Bloggs</B>
<A HREF="mailto:l%40x.org?Subject=Re%3A%20Hi" TITLE="[L] Hi">jo at example.org</A><BR>
<I>Wed Mar 14 21:19:30 CST 2007</I>
<!--beginarticle--><PRE>Hello
</PRE><!--endarticle--></BODY></HTML>"#;
        let mut it = item(txt, RawKind::Rfc822);
        it.alt_page = Some(page.to_vec());
        let m = parse_item(&it, &ParseOptions::default(), None).expect("parses");
        let d = m.date.expect("date");
        assert_eq!(d.offset_seconds, Some(-6 * 3600));
        assert_eq!(d.to_rfc3339(), "2007-03-15T03:19:35Z");
        // a page whose time is another one's is not taken
        let other = String::from_utf8_lossy(page).replace("21:19:30", "09:19:30");
        it.alt_page = Some(other.into_bytes());
        let m = parse_item(&it, &ParseOptions::default(), None).expect("parses");
        assert_eq!(m.date.expect("date").offset_seconds, None);
    }

    /// pipermail kept a base64 part's text without its MIME headers.
    #[test]
    fn bare_base64_bodies_are_decoded() {
        let text = "Hi Michal,\nThank you for the valuable reply.\nI need a clarification regarding this xml.\nThen let me tell you my problem with the server and the clients.\n";
        let b64: String = {
            // RFC 2045 lines of 76 characters, written by hand to avoid a dependency
            const T: &[u8; 64] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::new();
            for c in text.as_bytes().chunks(3) {
                let n = (u32::from(c[0]) << 16)
                    | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                    | u32::from(*c.get(2).unwrap_or(&0));
                for i in 0..4 {
                    if i <= c.len() {
                        out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
                    } else {
                        out.push('=');
                    }
                }
            }
            out.as_bytes()
                .chunks(76)
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let decoded = decode_bare_base64(&format!("{b64}\n")).expect("decodes");
        assert_eq!(decoded, text);
        assert_eq!(
            decode_bare_base64("Just a normal body.\nWith lines.\n"),
            None
        );
        assert_eq!(
            decode_bare_base64("abcd\nefgh\n"),
            None,
            "too short to be sure"
        );
    }

    /// Issue 15: the sender's "do not archive" wish, in both header forms.
    #[test]
    fn no_archive_headers_are_read() {
        let with = |h: &str| {
            parse(format!("From: Ana <ana@fct.pt>\r\nSubject: s\r\nMessage-ID: <na@x>\r\n{h}Date: Wed, 23 Jul 2025 18:36:00 +0100\r\n\r\nbody\r\n").as_bytes())
                .expect("parses")
                .no_archive
        };
        assert!(with("X-No-Archive: yes\r\n"));
        assert!(with("X-No-Archive: Yes; reason=private\r\n"));
        assert!(with("Archive: no\r\n"));
        assert!(!with(""));
        assert!(!with("X-No-Archive: no\r\n"));
        assert!(!with("Archive: yes\r\n"));
    }

    /// Issue 16.4: ids that differ only in invalid bytes stay different.
    #[test]
    fn message_ids_keep_their_invalid_bytes() {
        let msg = |id: &[u8]| {
            let mut b = b"From: a@x.org\r\nSubject: s\r\nMessage-ID: <".to_vec();
            b.extend_from_slice(id);
            b.extend_from_slice(b">\r\nDate: Wed, 23 Jul 2025 18:36:00 +0100\r\n\r\nbody\r\n");
            parse(&b).expect("parses")
        };
        let a = msg(b"x\xff1@host");
        let b = msg(b"x\xfe1@host");
        assert_eq!(a.id, "x%FF1@host");
        assert_eq!(b.id, "x%FE1@host");
        assert_eq!(msg(b"plain@host").id, "plain@host");
        assert_eq!(msg("ün@host".as_bytes()).id, "ün@host");
    }

    #[test]
    fn dmarc_rewrite_keeps_the_person_not_the_list() {
        let m = parse(
            b"From: \"Ana Neves via WG-Strategy\" <wg-strategy@intgovforum.org>\r\nReply-To: ana@fct.pt\r\nSubject: [WG-Strategy] Re: x\r\nMessage-ID: <a@b>\r\nDate: Wed, 23 Jul 2025 18:36:00 +0100\r\n\r\nbody\r\n",
        )
        .expect("parses");
        assert_eq!(m.author.name.as_deref(), Some("Ana Neves"));
        assert_eq!(m.author.address.as_deref(), Some("ana@fct.pt"));
        assert_eq!(
            m.author.via_list.as_deref(),
            Some("wg-strategy@intgovforum.org")
        );
        assert_eq!(
            m.list.as_ref().map(|l| l.name.as_str()),
            Some("WG-Strategy")
        );
        assert_eq!(
            m.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-07-23T17:36:00Z")
        );
        assert_eq!(m.thread_subject, "x");
        assert!(m.is_reply);
    }

    #[test]
    fn rfc2047_flowed_and_references() {
        let m = parse(
            b"From: =?utf-8?Q?Ra=C3=BAl_Echeberr=C3=ADa?= <raul@x.org>\nSubject: =?iso-8859-1?Q?Coop=E9ration?=\nMessage-ID: <c@d>\nIn-Reply-To: <b@d>\nReferences: <a@d> <b@d>\nList-Id: Gov <gov.example.org>\nContent-Type: text/plain; charset=utf-8; format=flowed\n\nA soft \nbreak.\n",
        )
        .expect("parses");
        assert_eq!(m.author.name.as_deref(), Some("Raúl Echeberría"));
        assert_eq!(m.subject.as_deref(), Some("Coopération"));
        assert_eq!(m.body, "A soft break.\n");
        assert_eq!(m.references, vec!["a@d".to_string(), "b@d".to_string()]);
        assert_eq!(m.in_reply_to.as_deref(), Some("b@d"));
        assert_eq!(m.list.map(|l| l.name), Some("gov".to_string()));
    }

    #[test]
    fn rejects_bad_input_with_reasons() {
        assert!(parse(b"just some text\nwith no headers\n")
            .unwrap_err()
            .reason
            .contains("no mail headers"));
        assert!(parse(b"Subject: x\nTo: a@b\n\nno identity\n")
            .unwrap_err()
            .reason
            .contains("no From, Date or Message-ID"));
        assert!(parse(b"From: a@b\nSubject: x\n\nnul\0here\n")
            .unwrap_err()
            .reason
            .contains("NUL"));
        assert!(parse(b"From: a@b\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!not base64!!\n")
            .unwrap_err()
            .reason
            .contains("invalid base64"));
        let truncated = b"From: a@b\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\nContent-Type: text/plain\n\nhello\n--BB\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\nJVBER";
        assert!(parse(truncated)
            .unwrap_err()
            .reason
            .contains("truncated MIME"));
        let big = vec![b'a'; 100];
        let r = parse_item(
            &item(&big, RawKind::Rfc822),
            &ParseOptions {
                max_message_bytes: 10,
            },
            None,
        );
        assert!(r.unwrap_err().reason.contains("limit"));
    }

    #[test]
    fn html_only_reply_keeps_its_quote_structure() {
        let m = parse(
            b"From: Ana <ana@fct.pt>\nSubject: Re: x\nMessage-ID: <h@x>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/html; charset=utf-8\n\n<div>Agreed.</div><div class=\"gmail_quote\"><div class=\"gmail_attr\">On Tue, Jul 22, 2025 at 5:06 PM Paul &lt;p@x.uk&gt; wrote:</div><blockquote class=\"gmail_quote\">The CSTD could do more.</blockquote></div>\n--b--\n",
        )
        .expect("parses");
        assert_eq!(m.body_source, "html");
        assert!(
            m.body.contains("wrote:\n> The CSTD could do more."),
            "{}",
            m.body
        );
    }

    #[test]
    fn pipermail_text_message() {
        let mut it = item(
            b"From: daverz at gmail.com (Dave Cook)\nDate: Fri Apr  1 06:26:44 2005\nSubject: [Twisted-web] Safari\nMessage-ID: <7a@mail.gmail.com>\n\nLivePage\n",
            RawKind::PipermailText,
        );
        it.envelope = Some("daverz at gmail.com  Fri Apr  1 06:26:08 2005".into());
        let m = parse_item(&it, &ParseOptions::default(), None).expect("parses");
        assert_eq!(m.author.address.as_deref(), Some("daverz@gmail.com"));
        assert_eq!(m.author.name.as_deref(), Some("Dave Cook"));
        assert_eq!(m.id, "7a@mail.gmail.com");
        assert_eq!(m.list.map(|l| l.name), Some("Twisted-web".to_string()));
        assert!(m.fingerprint.is_some());
        assert_eq!(m.date.map(|d| d.offset_seconds), Some(None));
    }
}
