//! Mailman 2 "pipermail" archives: file naming, message pages, their
//! plain-text rendering, and the fingerprint that lets the `.txt` and HTML
//! shapes of one month yield one message.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::address::{clean_name, deobfuscate};
use crate::date::parse_asctime;

/// `2005-April.txt`, `2005-April.txt.gz`, `2017q3.txt` → the month key (`2005-April`, `2017q3`).
pub fn month_key_of_txt(name: &str) -> Option<String> {
    let stem = name
        .strip_suffix(".txt.gz")
        .or_else(|| name.strip_suffix(".txt"))?;
    if is_month_dir_name(stem) {
        Some(stem.to_string())
    } else {
        None
    }
}

/// `2005-April`, `2017q3`, `2010-Week-of-Mon-20100104` style archive period names.
pub fn is_month_dir_name(name: &str) -> bool {
    let b = name.as_bytes();
    if b.len() < 6 || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let rest = &name[4..];
    if let Some(m) = rest.strip_prefix('-') {
        return crate::date::MONTH_NAMES.contains(&m) || m.starts_with("Week-of-");
    }
    rest.len() == 2 && rest.starts_with('q') && matches!(rest.as_bytes()[1], b'1'..=b'4')
}

/// `000123.html`
pub fn is_message_page_name(name: &str) -> bool {
    name.len() == 11 && name.ends_with(".html") && name[..6].bytes().all(|b| b.is_ascii_digit())
}

/// Navigation pages of a pipermail month or list.
pub fn is_index_page(name: &str) -> bool {
    matches!(
        name,
        "thread.html" | "date.html" | "author.html" | "subject.html" | "index.html"
    )
}

/// The message pages of a month folder, in archive order.
pub fn month_pages(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .map(|n| is_message_page_name(&n.to_string_lossy()))
                .unwrap_or(false)
        })
        .collect();
    v.sort();
    Ok(v)
}

/// The list name implied by a pipermail tree folder (`…/pipermail/twisted-web/`).
pub fn list_hint_from_dir(dir: &Path) -> Option<String> {
    let n = dir.file_name()?.to_string_lossy().into_owned();
    Some(n.strip_prefix("pipermail-").unwrap_or(&n).to_string())
}

/// The list name implied by a month archive's folder.
pub fn list_hint_from_file(path: &Path) -> Option<String> {
    path.parent().and_then(list_hint_from_dir)
}

/// The list name implied by a message page's path (`LIST/2005-April/000001.html`).
pub fn list_hint_from_page(path: &Path) -> Option<String> {
    path.parent()?.parent().and_then(list_hint_from_dir)
}

/// True when HTML bytes look like a pipermail message page.
pub fn looks_like_message_page(head: &[u8]) -> bool {
    let s = String::from_utf8_lossy(head).to_ascii_lowercase();
    s.contains("<title>") && (s.contains("pipermail") || s.contains("<link rel=\"index\""))
}

/// True for the plain-text rendering of a pipermail page: subject, author name,
/// `user at host`, an asctime date, then the body.
pub fn looks_like_rendering(head: &[u8]) -> bool {
    let s = String::from_utf8_lossy(head);
    let lines: Vec<&str> = s.lines().take(4).collect();
    lines.len() == 4
        && lines[2].contains(" at ")
        && lines[2].split_whitespace().count() == 3
        && parse_asctime(lines[3]).is_some()
}

/// The key shared by the `.txt` and HTML shapes of one archived message:
/// the sender's address and the archive's local receipt time.
pub fn fingerprint(addr: &str, date: &str) -> Option<String> {
    let d = crate::date::parse_header_date(date)?;
    let local = d.utc + i64::from(d.offset_seconds.unwrap_or(0));
    let a: String = deobfuscate(addr)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '@')
        .collect();
    Some(format!("{a}|{local}"))
}

/// Fingerprint of an mbox envelope line `user at host  Fri Apr  1 06:26:08 2005`.
pub fn envelope_fingerprint(envelope: &str) -> Option<String> {
    let toks: Vec<&str> = envelope.split_whitespace().collect();
    if toks.len() < 6 {
        return None;
    }
    let (addr, date) = toks.split_at(toks.len() - 5);
    fingerprint(&addr.join(" "), &date.join(" "))
}

/// A pipermail message page, parsed.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub subject: Option<String>,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    /// The address as printed (`user at host`).
    pub address_text: Option<String>,
    pub date_text: Option<String>,
    pub in_reply_to: Option<String>,
    pub body: String,
}

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

/// Parses a pipermail `NNNNNN.html` page with a real HTML parser.
pub fn parse_page(bytes: &[u8]) -> Option<Page> {
    let text = String::from_utf8_lossy(bytes);
    let doc = Html::parse_document(&crate::html::bound_nesting(&text));
    let mut page = Page::default();
    let one = |s: &str| -> Option<String> {
        let selector = sel(s)?;
        doc.select(&selector)
            .next()
            .map(|e| e.text().collect::<String>())
    };
    page.subject = one("h1").and_then(|s| clean_name(&s));
    page.author_name = one("b").and_then(|s| clean_name(&s));
    page.date_text = one("i").map(|s| s.trim().to_string());
    if let Some(a_sel) = sel("a[href^=\"mailto:\"]") {
        if let Some(a) = doc.select(&a_sel).next() {
            let t: String = a.text().collect();
            let t = t.trim().to_string();
            if !t.is_empty() {
                page.author_address = Some(deobfuscate(&t));
                page.address_text = Some(t);
            }
            if let Some(href) = a.value().attr("href") {
                page.in_reply_to = query_param(href, "In-Reply-To")
                    .map(|v| v.trim().trim_matches(|c| c == '<' || c == '>').to_string())
                    .filter(|v| !v.is_empty());
            }
        }
    }
    if let Some(pre) = sel("pre") {
        if let Some(p) = doc.select(&pre).next() {
            page.body = p.text().collect();
        }
    }
    if page.subject.is_none() && page.date_text.is_none() {
        return None;
    }
    Some(page)
}

/// Fingerprint of a message page (see [`envelope_fingerprint`]).
pub fn page_fingerprint(bytes: &[u8]) -> Option<String> {
    let p = parse_page(bytes)?;
    fingerprint(p.address_text.as_deref()?, p.date_text.as_deref()?)
}

/// Keys for pairing a month's `.txt` messages with its pages: the naive
/// date-time as written and, when the page names a zone, the same instant in
/// UTC. Mailman wrote envelope dates in local time in some years and in UTC in
/// others (twisted-web 2003 vs 2004), while pages carry `MST` or `-0700`.
pub fn pairing_keys(date_text: &str) -> Vec<i64> {
    let Some(d) = crate::date::parse_header_date(date_text) else {
        return Vec::new();
    };
    match d.offset_seconds {
        Some(o) if o != 0 => vec![d.utc + i64::from(o), d.utc],
        _ => vec![d.utc],
    }
}

/// The pairing keys of a parsed page.
pub fn page_pairing_keys(bytes: &[u8]) -> Vec<i64> {
    parse_page(bytes)
        .and_then(|p| p.date_text)
        .map(|d| pairing_keys(&d))
        .unwrap_or_default()
}

/// The sender of an envelope line, deobfuscated (`glyph at divmod.com` → `glyph@divmod.com`).
pub fn envelope_sender(envelope: &str) -> Option<String> {
    let toks: Vec<&str> = envelope.split_whitespace().collect();
    if toks.len() < 6 {
        return None;
    }
    Some(deobfuscate(&toks[..toks.len() - 5].join(" ")))
}

/// The date part of an envelope line (its last five tokens).
pub fn envelope_date(envelope: &str) -> Option<String> {
    let toks: Vec<&str> = envelope.split_whitespace().collect();
    if toks.len() < 6 {
        return None;
    }
    Some(toks[toks.len() - 5..].join(" "))
}

fn query_param(href: &str, key: &str) -> Option<String> {
    let q = href.split_once('?')?.1;
    for pair in q.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k.eq_ignore_ascii_case(key) {
            return Some(percent_decode(v));
        }
    }
    None
}

/// Percent-decoding of a mailto query value (a dependency for ten lines is not worth it).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The plain-text rendering of a page: subject, name, address, date, body, then
/// the page's "More information about the … mailing list" chrome (dropped).
pub struct Rendering {
    pub subject: String,
    pub author_name: Option<String>,
    pub address_text: String,
    pub date_text: String,
    pub body: String,
}

pub fn parse_rendering(bytes: &[u8]) -> Option<Rendering> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.split_inclusive('\n');
    let subject = lines.next()?.trim().to_string();
    let name = lines.next()?.trim().to_string();
    let address_text = lines.next()?.trim().to_string();
    let date_text = lines.next()?.trim().to_string();
    let mut body = String::new();
    for l in lines {
        if l.starts_with("More information about the") {
            break;
        }
        body.push_str(l);
    }
    Some(Rendering {
        subject,
        author_name: clean_name(&name),
        address_text,
        date_text,
        body,
    })
}

/// Fingerprint of a rendering (see [`envelope_fingerprint`]).
pub fn rendering_fingerprint(r: &Rendering) -> Option<String> {
    fingerprint(&r.address_text, &r.date_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            month_key_of_txt("2005-April.txt.gz").as_deref(),
            Some("2005-April")
        );
        assert_eq!(month_key_of_txt("2017q3.txt").as_deref(), Some("2017q3"));
        assert_eq!(month_key_of_txt("notes.txt"), None);
        assert!(is_message_page_name("001361.html"));
        assert!(!is_message_page_name("thread.html"));
    }

    #[test]
    fn page_and_envelope_share_a_fingerprint() {
        let page = br#"<HTML><HEAD><TITLE> [L] Hi </TITLE></HEAD><BODY>
<H1>[L] Hi</H1> <B>Jos&eacute; Doe</B>
<A HREF="mailto:l%40x.org?Subject=Re%3A%20Hi&In-Reply-To=%3Cabc%40x.org%3E" TITLE="[L] Hi">jd at x.org</A><BR>
<I>Fri Apr  1 07:38:59 MST 2005</I>
<!--beginarticle--><PRE>Hello &lt;world&gt;
</PRE><!--endarticle--></BODY></HTML>"#;
        let p = parse_page(page).expect("page");
        assert_eq!(p.subject.as_deref(), Some("[L] Hi"));
        assert_eq!(p.author_name.as_deref(), Some("José Doe"));
        assert_eq!(p.author_address.as_deref(), Some("jd@x.org"));
        assert_eq!(p.in_reply_to.as_deref(), Some("abc@x.org"));
        assert_eq!(p.body, "Hello <world>\n");
        assert_eq!(
            page_fingerprint(page),
            envelope_fingerprint("jd at x.org  Fri Apr  1 07:38:59 2005")
        );
    }
}
