//! Small text helpers: path-segment percent-encoding, address obfuscation,
//! month validation, date display, and splitting mail bodies into quoted
//! and unquoted runs. None of them produce HTML; templates escape their output.

use std::borrow::Cow;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What [`encode_segment`] escapes: all but RFC 3986 unreserved characters and `@`.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Percent-encodes one URL path segment. Keeps RFC 3986 unreserved characters
/// and `@`; everything else (including `/`, `+`, `$`, `%`) becomes `%XX`.
pub(crate) fn encode_segment(s: &str) -> String {
    let out = utf8_percent_encode(s, SEGMENT).to_string();
    // "." and ".." are dot-segments that clients collapse; encode them.
    match out.as_str() {
        "." => "%2E".to_string(),
        ".." => "%2E%2E".to_string(),
        _ => out,
    }
}

/// Decodes `%XX` escapes of a path (or path segment). `None` for a malformed
/// escape (which `percent_decode_str` would pass through) or a result that is not
/// UTF-8. `+` stays `+` (paths are not forms).
pub(crate) fn decode_path(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let malformed = b.iter().enumerate().any(|(i, &c)| {
        c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// A file name safe for `content-disposition`: ASCII letters, digits, `.`, `-`, `_`.
pub(crate) fn safe_filename(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    s = s.trim_matches(|c| c == '.' || c == '_').to_string();
    if s.is_empty() {
        s = "message".to_string();
    }
    s
}

/// Whether addresses are shown as-is or obfuscated pipermail-style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Addresses {
    pub show: bool,
}

impl Addresses {
    /// One address: `anriette@apc.org` → `anriette at apc.org`.
    pub(crate) fn addr(&self, a: &str) -> String {
        if self.show {
            a.to_string()
        } else {
            a.replace('@', " at ")
        }
    }

    pub(crate) fn opt(&self, a: Option<&str>) -> Option<String> {
        a.map(|a| self.addr(a))
    }

    /// Free text (bodies, subjects): every `local@domain.tld` inside it.
    pub(crate) fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if self.show {
            Cow::Borrowed(s)
        } else {
            obfuscate_text(s)
        }
    }
}

/// A search snippet (escaped HTML with `<mark>` around matches) with its
/// addresses obfuscated: the matches' tags are set aside to find them, so
/// `ana@<mark>fct</mark>.pt` is caught too.
pub(crate) fn obfuscate_snippet(html: &str) -> String {
    if !html.contains('@') {
        return html.to_string();
    }
    // plain text, and where each of its bytes sits in the snippet
    let mut plain: Vec<u8> = Vec::with_capacity(html.len());
    let mut at: Vec<usize> = Vec::with_capacity(html.len());
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            if let Some(tag) = ["<mark>", "</mark>"]
                .iter()
                .find(|t| html[i..].starts_with(**t))
            {
                i += tag.len();
                continue;
            }
        }
        plain.push(b[i]);
        at.push(i);
        i += 1;
    }
    let signs: Vec<usize> = plenary_mail::address::address_at_signs(&plain)
        .into_iter()
        .map(|p| at[p])
        .collect();
    let mut out = String::with_capacity(html.len() + 8);
    let mut last = 0;
    for s in signs {
        out.push_str(&html[last..s]);
        out.push_str(" at ");
        last = s + 1;
    }
    out.push_str(&html[last..]);
    out
}

/// Replaces the `@` of things that look like mail addresses with ` at `.
pub(crate) fn obfuscate_text(s: &str) -> Cow<'_, str> {
    plenary_mail::address::obfuscate_text(s)
}

/// `YYYY-MM` with a month 01–12.
pub(crate) fn valid_month(m: &str) -> bool {
    let b = m.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(
            &m[5..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
        && plenary_store::month_bounds(m).is_some()
}

/// Parses the store's `YYYY-MM-DDTHH:MM:SSZ` into Unix seconds; a local
/// date-time without a zone (`YYYY-MM-DDTHH:MM:SS`, offset unknown) gives its
/// wall-clock time counted as UTC, which callers show as local time.
pub(crate) fn parse_rfc3339_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if !(b.len() == 20 && b[19] == b'Z' || b.len() == 19)
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let y = num(0..4)?;
    let (mo, d, h, mi, se) = (
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // jiff's calendar (through plenary-mail): an impossible day (`02-30`) is refused
    // rather than rolled into the next month; a leap second (`:60`) still counts.
    let minute = plenary_mail::date::civil_to_utc(
        i32::try_from(y).ok()?,
        u8::try_from(mo).ok()?,
        u8::try_from(d).ok()?,
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        0,
    )?;
    Some(minute + i64::from(se))
}

fn format_secs(secs: i64) -> Option<String> {
    let (y, m, d, h, mi) = plenary_mail::date::utc_to_civil(secs)?;
    Some(format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}"))
}

/// `2025-03-31T23:00:00Z` → `2025-03-31 23:00 UTC`; unparseable input is shown as is.
pub(crate) fn display_utc(iso: &str) -> String {
    match parse_rfc3339_utc(iso).and_then(format_secs) {
        Some(s) => format!("{s} UTC"),
        None => iso.to_string(),
    }
}

/// `2025-03-31T23:00:00Z` → `2025-03-31`.
pub(crate) fn display_day(iso: &str) -> String {
    iso.get(..10).unwrap_or(iso).to_string()
}

/// The sender's local time: `2025-04-01 01:00 +0200`.
pub(crate) fn display_local(iso: &str, offset_seconds: i32) -> Option<String> {
    let s = parse_rfc3339_utc(iso)?;
    let off = i64::from(offset_seconds);
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.abs();
    Some(format!(
        "{} {sign}{:02}{:02}",
        format_secs(s + off)?,
        a / 3600,
        a % 3600 / 60
    ))
}

/// A run of body lines, quoted (`>`) or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub quoted: bool,
    pub text: String,
}

/// Splits a body into runs of quoted and unquoted lines (for styling only;
/// concatenating the runs gives back the body).
pub(crate) fn segments(body: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for line in body.split_inclusive('\n') {
        let quoted = line.trim_start().starts_with('>');
        match out.last_mut() {
            Some(seg) if seg.quoted == quoted => seg.text.push_str(line),
            _ => out.push(Segment {
                quoted,
                text: line.to_string(),
            }),
        }
    }
    out
}

/// A block of a body as the thread page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// CSS class: `""` for the author's words, `muted` for signatures,
    /// footers, notices, disclaimers, markings and attachment notes.
    pub class: &'static str,
    /// Quoted messages and their attributions, shown folded.
    pub folded: bool,
    pub lines: usize,
    pub text: String,
}

/// A piece of a block's text: a web link (`href`) or plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part<'a> {
    pub text: &'a str,
    pub href: Option<String>,
}

impl Block {
    /// The text with its `http(s)` URLs as links (`links::web_href` decides).
    pub(crate) fn parts(&self) -> Vec<Part<'_>> {
        url_parts(&self.text)
    }
}

/// Splits text into plain pieces and `http://` / `https://` URLs (ending at
/// whitespace, `<`, `>` or `"`, without trailing punctuation; a closing
/// parenthesis stays when the URL opened one).
pub(crate) fn url_parts(text: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest_start = 0;
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = ["http://", "https://"]
        .iter()
        .filter_map(|p| lower[from..].find(p).map(|i| i + from))
        .min()
    {
        // a scheme inside a word (`xhttp://`) is not a URL start
        let word_start = found == 0
            || !text[..found]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric());
        let end = text[found..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .map_or(text.len(), |e| found + e);
        let mut url = &text[found..end];
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', ']', '}']);
            let trimmed = if trimmed.ends_with(')') && !trimmed.contains('(') {
                &trimmed[..trimmed.len() - 1]
            } else {
                trimmed
            };
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        let href = if word_start {
            crate::links::web_href(url)
        } else {
            None
        };
        match href {
            Some(h) if url.len() > "https://".len() => {
                if found > rest_start {
                    out.push(Part {
                        text: &text[rest_start..found],
                        href: None,
                    });
                }
                out.push(Part {
                    text: url,
                    href: Some(h),
                });
                rest_start = found + url.len();
                from = rest_start;
            }
            _ => from = found + 4,
        }
    }
    if rest_start < text.len() || out.is_empty() {
        out.push(Part {
            text: &text[rest_start..],
            href: None,
        });
    }
    out
}

/// Groups a body by its zones: the author's words as they are, what is
/// quoted folded, signatures and footers muted. Without zones, lines starting
/// with `>` are folded. `clean` rewrites each block's text (address obfuscation).
pub(crate) fn blocks(
    body: &str,
    zones: &[plenary_store::ZoneRow],
    clean: &dyn Fn(&str) -> String,
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut push = |class: &'static str, folded: bool, text: &str| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(b) if b.class == class && b.folded == folded => b.text.push_str(text),
            _ => out.push(Block {
                class,
                folded,
                lines: 0,
                text: text.to_string(),
            }),
        }
    };
    let covered = zones.last().map(|z| z.end).unwrap_or(0);
    if zones.is_empty() || covered > body.len() {
        for s in segments(body) {
            push("", s.quoted, &s.text);
        }
    } else {
        for z in zones {
            let Some(text) = body.get(z.start..z.end) else {
                continue;
            };
            let folded = z.depth > 0;
            let class = match z.kind.as_str() {
                "signature"
                | "list_footer"
                | "notice"
                | "disclaimer"
                | "classification"
                | "scrubbed_attachment" => "muted",
                _ => "",
            };
            push(if folded { "" } else { class }, folded, text);
        }
        if let Some(rest) = body.get(covered..) {
            push("", false, rest);
        }
    }
    for b in &mut out {
        b.text = clean(&b.text);
        b.lines = b.text.lines().count();
    }
    out
}

/// `12345` → `12.1 KB`.
pub(crate) fn human_size(n: u64) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

/// `1 message`, `2 messages`.
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The name of an ISO 639-1 code the index knows ("en" → "English").
pub(crate) fn language_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "English",
        "es" => "Spanish",
        "fr" => "French",
        "pt" => "Portuguese",
        "de" => "German",
        "it" => "Italian",
        "ru" => "Russian",
        "ar" => "Arabic",
        "zh" => "Chinese",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_encoding_round_trips() {
        for id in [
            "a/b+c$d@x.org",
            "plain@x",
            "h0123",
            "sp ace%25/..",
            ".",
            "..",
            "ünï@x",
        ] {
            let enc = encode_segment(id);
            assert!(!enc.contains('/'), "{enc}");
            assert!(!enc.contains('+'), "{enc}");
            assert_eq!(decode_path(&enc).as_deref(), Some(id));
        }
        assert_eq!(encode_segment("a/b+c@x"), "a%2Fb%2Bc@x");
        assert_eq!(decode_path("%zz"), None);
        assert_eq!(decode_path("%ff"), None);
    }

    #[test]
    fn snippets_hide_addresses_around_marks() {
        assert_eq!(
            obfuscate_snippet("write to ana@<mark>fct</mark>.pt now"),
            "write to ana at <mark>fct</mark>.pt now"
        );
        assert_eq!(
            obfuscate_snippet("<mark>a</mark>@b.org"),
            "<mark>a</mark> at b.org"
        );
        assert_eq!(obfuscate_snippet("no address @ all"), "no address @ all");
    }

    #[test]
    fn obfuscation() {
        let a = Addresses { show: false };
        assert_eq!(a.addr("anriette@apc.org"), "anriette at apc.org");
        assert_eq!(
            a.text("On Monday, Ana <ana.neves@example.pt> wrote: see x@y and @handle."),
            "On Monday, Ana <ana.neves at example.pt> wrote: see x@y and @handle."
        );
        assert_eq!(a.text("mail a@b.org."), "mail a at b.org.");
        let shown = Addresses { show: true };
        assert_eq!(shown.text("a@b.org"), "a@b.org");
    }

    #[test]
    fn months_and_dates() {
        assert!(valid_month("2025-03"));
        for bad in [
            "2025-13",
            "2025-00",
            "2025-3",
            "25-03",
            "2025_03",
            "2025-03-01",
            "abcd-ef",
            "",
        ] {
            assert!(!valid_month(bad), "{bad}");
        }
        let s = parse_rfc3339_utc("2025-03-31T23:00:00Z").unwrap_or_default();
        assert_eq!(s, 1_743_462_000);
        assert_eq!(display_utc("2025-03-31T23:00:00Z"), "2025-03-31 23:00 UTC");
        assert_eq!(
            display_local("2025-03-31T23:00:00Z", 7200).as_deref(),
            Some("2025-04-01 01:00 +0200")
        );
        assert_eq!(
            display_local("2025-01-01T03:30:00Z", -16200).as_deref(),
            Some("2024-12-31 23:00 -0430")
        );
        assert_eq!(display_utc("nonsense"), "nonsense");
        assert_eq!(display_utc("2024-02-29T12:00:00Z"), "2024-02-29 12:00 UTC");
        assert_eq!(display_utc("2025-02-29T12:00:00Z"), "2025-02-29T12:00:00Z");
        assert_eq!(
            parse_rfc3339_utc("1969-12-31T23:59:60Z"),
            Some(0),
            "a leap second runs into the next minute"
        );
    }

    #[test]
    fn zone_blocks_fold_quotes_and_mute_footers() {
        let body = "Dear Ana\nyes.\nOn Tue, Ana wrote:\n> hi\n--\nfooter\n";
        let z = |start, end, kind: &str, depth| plenary_store::ZoneRow {
            start,
            end,
            kind: kind.to_string(),
            depth,
        };
        let zones = vec![
            z(0, 14, "new_text", 0),
            z(14, 33, "attribution", 1),
            z(33, 38, "quoted", 1),
            z(38, 48, "list_footer", 0),
        ];
        let b = blocks(body, &zones, &|t: &str| t.to_string());
        assert_eq!(b.len(), 3);
        assert_eq!((b[0].class, b[0].folded), ("", false));
        assert_eq!(b[1].text, "On Tue, Ana wrote:\n> hi\n");
        assert!(b[1].folded);
        assert_eq!(b[1].lines, 2);
        assert_eq!(b[2].class, "muted");
        // without zones, '>' lines fold
        let b = blocks("a\n> q\n", &[], &|t: &str| t.to_string());
        assert!(b[1].folded);
    }

    #[test]
    fn quoted_segments() {
        let s = segments("hi\n> quoted\n>more\nreply\n");
        assert_eq!(s.len(), 3);
        assert!(s[1].quoted);
        assert_eq!(s[1].text, "> quoted\n>more\n");
        assert_eq!(
            s.iter().map(|x| x.text.as_str()).collect::<String>(),
            "hi\n> quoted\n>more\nreply\n"
        );
        assert_eq!(safe_filename("a/b+c@x.org"), "a_b_c_x.org");
        assert_eq!(safe_filename("///"), "message");
    }

    #[test]
    fn plurals_and_language_names() {
        assert_eq!(super::plural(1, "message", "messages"), "1 message");
        assert_eq!(super::plural(0, "person", "people"), "0 people");
        assert_eq!(super::language_name("pt"), Some("Portuguese"));
        assert_eq!(super::language_name("und"), None);
    }

    #[test]
    fn urls_in_text_become_links() {
        let p = super::url_parts("See https://www.intgovforum.org/en (the IGF). Or http://x.org/a_(b), javascript:alert(1) xhttp://no");
        let links: Vec<(&str, Option<&str>)> =
            p.iter().map(|x| (x.text, x.href.as_deref())).collect();
        assert_eq!(
            links,
            [
                ("See ", None),
                (
                    "https://www.intgovforum.org/en",
                    Some("https://www.intgovforum.org/en")
                ),
                (" (the IGF). Or ", None),
                ("http://x.org/a_(b)", Some("http://x.org/a_(b)")),
                (", javascript:alert(1) xhttp://no", None),
            ]
        );
        let joined: String = p.iter().map(|x| x.text).collect();
        assert!(joined.starts_with("See https://"));
        assert_eq!(super::url_parts("").len(), 1);
        assert_eq!(super::url_parts("https://").len(), 1);
    }
}
