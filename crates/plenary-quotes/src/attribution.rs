//! Parsing of attribution text: "On … wrote:" lines in many languages, the
//! language-neutral fallback, and Outlook/Lotus header blocks; names,
//! addresses (with pipermail's `user at host` undone) and "via List".

use std::borrow::Cow;

use crate::date::{find_date, find_date_or_span, truncate};
use crate::lexicon::{Field, NOTES_FORWARDED, VERBS};

/// The verbs with letters outside ASCII as pipermail's text archives write them,
/// each such letter a `?` (`escribi?` for "escribió", `a ?crit` for "a écrit").
pub(crate) fn mangled_verbs() -> &'static [(&'static str, &'static str, bool)] {
    static T: std::sync::OnceLock<Vec<(&'static str, &'static str, bool)>> =
        std::sync::OnceLock::new();
    T.get_or_init(|| {
        VERBS
            .iter()
            .filter(|(v, _, _)| !v.is_ascii())
            .map(|&(v, lang, after)| {
                let m: String = v
                    .chars()
                    .map(|c| if c.is_ascii() { c } else { '?' })
                    .collect();
                (&*Box::leak(m.into_boxed_str()), lang, after)
            })
            // a verb of another script mangled whole says nothing
            .filter(|(m, _, _)| m.chars().filter(char::is_ascii_alphabetic).count() >= 4)
            .collect()
    })
}
use crate::lines::{is_domain, is_local, looks_like_address, lower};
use crate::{Attribution, AttributionStyle};

/// Who an attribution names.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Who {
    pub name: Option<String>,
    pub normalized: Option<String>,
    pub address: Option<String>,
    pub via: Option<String>,
}

/// Undo pipermail's `user at host` when both sides look like an address.
pub(crate) fn undo_pipermail(s: &str) -> String {
    let ws: Vec<&str> = s.split(' ').collect();
    if ws.len() < 3 {
        return s.to_string();
    }
    let mut out: Vec<String> = Vec::with_capacity(ws.len());
    let mut i = 0;
    while i < ws.len() {
        if i + 2 < ws.len() && ws[i + 1] == "at" {
            let l = ws[i];
            let r = ws[i + 2];
            let lcore = l.trim_start_matches(['<', '(', '[', '"', '\'']);
            let lead = &l[..l.len() - lcore.len()];
            let rcore = r.trim_end_matches(['>', ')', ']', ',', ';', '"', '\'', ':']);
            let tail = &r[rcore.len()..];
            let lcore_addr = lcore.strip_prefix("mailto:").unwrap_or(lcore);
            if is_local(lcore_addr) && is_domain(rcore) {
                out.push(format!("{lead}{lcore}@{rcore}{tail}"));
                i += 3;
                continue;
            }
        }
        out.push(ws[i].to_string());
        i += 1;
    }
    out.join(" ")
}

fn clean_addr(s: &str) -> String {
    let s = s.trim_matches(|c: char| {
        matches!(
            c,
            '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | '"' | '\'' | ':' | '.'
        )
    });
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    // Exchange writes internet senders as `<SMTP:jd@example.com>`
    match s.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("smtp:") => s[5..].to_string(),
        _ => s.to_string(),
    }
}

const NAME_EDGE_WORDS: &[&str] = &[
    "于",
    "في",
    "at",
    "on",
    "le",
    "el",
    "em",
    "am",
    "den",
    "il",
    "op",
    "de",
    "a",
    "von",
    "użytkownik",
    "użytkowniczka",
    "keltezéssel",
    "kl",
    "klo",
    "um",
    "uhr",
    "alle",
    "ore",
    "às",
    "à",
    // Mail.ru: `Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L <…>:` ("from")
    "от",
];

fn trim_name(s: &str) -> String {
    let mut s = s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';'
                    | ':'
                    | '"'
                    | '\''
                    | '*'
                    | '-'
                    | '–'
                    | '—'
                    | '،'
                    | '，'
                    | '|'
                    | '‏'
                    | '‎'
                    | '/'
                    | '<'
                    | '>'
            )
    });
    // strip leading/trailing connector words (`于`, `في`, a leftover `at`)
    loop {
        let before = s;
        for w in NAME_EDGE_WORDS {
            if let Some(r) = s.strip_suffix(w) {
                if r.is_empty() || r.ends_with(|c: char| c.is_whitespace() || c == ',') {
                    s = r.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
                }
            }
            if let Some(r) = s.strip_prefix(w) {
                if r.starts_with(|c: char| c.is_whitespace() || c == ',')
                    && (!w.is_ascii() || w.len() > 3)
                {
                    s = r.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
                }
            }
        }
        if s == before {
            break;
        }
    }
    let s = s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '"' | '\'' | '*')
    });
    // quoted-printable escapes left by a broken decoder (`Moran, Tom=20`)
    let s = s
        .trim_end_matches("=20")
        .trim_end_matches("=09")
        .trim_start_matches("=09")
        .trim_start_matches("=20")
        .trim_end_matches([' ', '"']);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Split a "who" text (`Blaker, Paul (DSIT) via WG-Strategy <wg-strategy at intgovforum.org>`)
/// into name, normalised name, address and list.
pub(crate) fn parse_who(s: &str) -> Who {
    let cut = behalf_author(truncate(s, 400));
    let s = cut.as_ref();
    let decoded = strip_notes_domains(&strip_link_marks(&decode_entities(truncate(s, 400))));
    let s = decoded.as_str();
    let mut addrs: Vec<String> = Vec::new();
    let mut rest = String::with_capacity(s.len());
    // bracketed segments holding an address
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let close = match c {
            '<' => Some('>'),
            '[' => Some(']'),
            '(' => Some(')'),
            _ => None,
        };
        if let Some(close) = close {
            if let Some(rel) = s[i + 1..].find(close) {
                let inner = &s[i + 1..i + 1 + rel];
                let inner_u = undo_pipermail(inner.trim());
                let a = clean_addr(&inner_u);
                if looks_like_address(&a) {
                    if !addrs.contains(&a) {
                        addrs.push(a);
                    }
                    let end = i + 1 + rel + close.len_utf8();
                    while chars.peek().is_some_and(|&(j, _)| j < end) {
                        chars.next();
                    }
                    rest.push(' ');
                    continue;
                }
                // `[mailto:IMCEANOTES-…]` wrapped over lines: never part of a name
                let li = lower(inner.trim_start());
                if inner.trim().is_empty() || li.starts_with("mailto:") || li.starts_with("smtp:") {
                    let end = i + 1 + rel + close.len_utf8();
                    while chars.peek().is_some_and(|&(j, _)| j < end) {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        rest.push(c);
    }
    // bare addresses, then pipermail triples
    let unp = undo_pipermail(&rest);
    let mut kept: Vec<&str> = Vec::new();
    for w in unp.split_whitespace() {
        let a = clean_addr(w);
        if looks_like_address(&a) {
            if !addrs.contains(&a) {
                addrs.push(a);
            }
        } else {
            kept.push(w);
        }
    }
    let mut name = kept.join(" ");
    // "Name via List"
    let mut via = None;
    let lname = lower(&name);
    if let Some(p) = lname.rfind(" via ") {
        let list = trim_name(&name[p + 5..]);
        if !list.is_empty() && list.split_whitespace().count() <= 4 {
            via = Some(list);
            name.truncate(p);
        }
    }
    let name = trim_name(cut_notes_hierarchy(&name));
    let name = (!name.is_empty() && name.chars().any(|c| c.is_alphabetic())).then_some(name);
    let normalized = name
        .as_deref()
        .map(normalize_name)
        .filter(|n| !n.is_empty());
    Who {
        name,
        normalized,
        address: addrs.into_iter().next().map(|a| a.to_lowercase()),
        via,
    }
}

/// Outlook writes a message sent for someone else as `SENDER On Behalf Of
/// AUTHOR` (German `Im Auftrag von`, and as `plenary_people::on_behalf_of` reads
/// it in Spanish, French, Portuguese, Italian and Dutch): a list's bounce address for its poster
/// (`R-devel [mailto:r-devel-bounces@…] On Behalf Of Amber Brown`), a delegate
/// for their principal. The author is what follows the last marker (empty when
/// a wrapped header lost it: then the author is unknown, never the sender).
fn behalf_author(s: &str) -> Cow<'_, str> {
    let s = match last_marker_end(s, true) {
        Some(e) => s[e..].trim(),
        None => s,
    };
    if last_marker_end(s, false).is_none() {
        return Cow::Borrowed(s);
    }
    // Outlook for Mac marks both parts: `"List on behalf of Name" <bounces on
    // behalf of addr>`: in each quoted or bracketed part, what follows
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['"', '<', '[', '(']) {
        out.push_str(&rest[..i]);
        let open = rest.as_bytes()[i] as char;
        let close = match open {
            '"' => '"',
            '<' => '>',
            '[' => ']',
            _ => ')',
        };
        let inside = &rest[i + 1..];
        match closing(inside, open, close) {
            Some(j) => {
                let inner = &inside[..j];
                let inner = match last_marker_end(inner, false) {
                    Some(e) => inner[e..].trim(),
                    None => inner,
                };
                out.push(open);
                out.push_str(inner);
                out.push(close);
                rest = &inside[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Where the bracket opened just before `s` closes (nested ones counted;
/// a quote closes at the next quote).
fn closing(s: &str, open: char, close: char) -> Option<usize> {
    if open == close {
        return s.find(close);
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
        }
    }
    None
}

/// Outlook's markers between a sender and the author they send for.
const BEHALF_MARKERS: &[&str] = &[
    "on behalf of",
    "im auftrag von",
    "en nombre de",
    "de la part de",
    "em nome de",
    "per conto di",
    "namens",
];

/// The end of the last marker in `s` (a whole phrase); with `top`, only one
/// outside `<…>`, `[…]`, `(…)` and `"…"`. `s` is short (a "who" text is cut
/// to 400 bytes), so the nesting is counted afresh for each candidate.
fn last_marker_end(s: &str, top: bool) -> Option<usize> {
    // ASCII lower-casing keeps byte offsets
    let l = s.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for m in BEHALF_MARKERS {
        let mut from = 0;
        while let Some(rel) = l.get(from..).and_then(|t| t.find(m)) {
            let p = from + rel;
            let e = p + m.len();
            let before_ok = p == 0 || l[..p].ends_with(char::is_whitespace);
            let after_ok = e == l.len() || l[e..].starts_with(char::is_whitespace);
            if before_ok
                && after_ok
                && (!top || nesting_at(&l, p) == 0)
                && best.is_none_or(|(bp, _)| p > bp)
            {
                best = Some((p, e));
            }
            from = e;
        }
    }
    best.map(|(_, e)| e)
}

/// How deep in brackets and quotes byte `p` of `s` is.
fn nesting_at(s: &str, p: usize) -> usize {
    let mut depth = 0usize;
    let mut quoted = false;
    for c in s[..p].chars() {
        match c {
            '"' => quoted = !quoted,
            '<' | '[' | '(' => depth += 1,
            '>' | ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth + usize::from(quoted)
}

/// Lotus Notes writes routing domains after names and addresses:
/// `Jeff Dasovich@ENRON`, `Rick Buy/ENRON@enronXgate`, `jane@example.com@SMTP@hub`,
/// `Kate Symes @ ECT`. A trailing `@DOMAIN` without a dot is such a domain, never
/// part of an address: drop it (repeatedly) so the name or the real address shows.
pub(crate) fn strip_notes_domains(s: &str) -> String {
    if !s.contains('@') {
        return s.to_string();
    }
    let is_notes_domain = |d: &str| {
        !d.is_empty()
            && !d.contains('.')
            && d.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
    };
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        // `<jd@x.com>` / `@ENRON` wrapped apart
        if w.len() > 1 && w.starts_with('@') && is_notes_domain(&w[1..]) && i > 0 {
            i += 1;
            continue;
        }
        // `Name @ ENRON`: a lone `@` and a dotless domain word
        if w == "@" {
            let next = words
                .get(i + 1)
                .map(|n| n.trim_end_matches([',', ';', ':']));
            if next.is_some_and(is_notes_domain) {
                i += 2;
                continue;
            }
        }
        let (core, tail) = split_tail(w);
        let mut core = core;
        while let Some((pre, post)) = core.rsplit_once('@') {
            let pre_ok = pre.ends_with(|c: char| c.is_alphanumeric() || c == '>' || c == '"');
            if pre_ok && is_notes_domain(post) {
                core = pre;
            } else {
                break;
            }
        }
        out.push(format!("{core}{tail}"));
        i += 1;
    }
    out.join(" ")
}

/// Outlook renders links in plain text as `<< File: mailto:jd@x.com >>`: drop them.
fn strip_link_marks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find("<<") {
        let Some(q) = rest[p..].find(">>") else { break };
        out.push_str(&rest[..p]);
        rest = &rest[p + q + 2..];
    }
    out.push_str(rest);
    out
}

/// A word without its trailing list punctuation, and that punctuation.
fn split_tail(w: &str) -> (&str, &str) {
    let core = w.trim_end_matches([',', ';', ':']);
    (core, &w[core.len()..])
}

/// Lotus Notes hierarchical names: `Brent A Price/HOU/ECT` → `Brent A Price`,
/// `Scott Pleus/Enron Communications` → `Scott Pleus`. Cut at the first `/`
/// that joins a letter to a letter (so `7/22` and `and / or` stay).
pub(crate) fn cut_notes_hierarchy(s: &str) -> &str {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'/' && i > 0 && i + 1 < b.len() {
            let before = s[..i].chars().next_back();
            let after = s[i + 1..].chars().next();
            if before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphanumeric) {
                return &s[..i];
            }
        }
    }
    s
}

/// Decode the few HTML entities that leak into attributions.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// `Blaker, Paul (DSIT)` → `Paul Blaker`; quotes and parentheticals dropped. Parsing
/// only: the display form of the name an attribution gives (`normalized_name`). Whether
/// two names are the same person is decided downstream, by `plenary_people::names_match`
/// and `name_key` (this crate does not depend on plenary-people).
pub(crate) fn normalize_name(n: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in n.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '"' | '\'' | '*' => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let out = out
        .trim_matches(|c: char| c == ',' || c.is_whitespace())
        .to_string();
    if out.matches(',').count() == 1 {
        if let Some((last, first)) = out.split_once(',') {
            let (last, first) = (last.trim(), first.trim());
            if !last.is_empty() && !first.is_empty() && last.split_whitespace().count() <= 3 {
                return format!("{first} {last}");
            }
        }
    }
    out
}

/// First word of a normalised name, for matching sign-offs.
pub(crate) fn first_name(a: &Attribution) -> Option<String> {
    let n = a.normalized_name.as_deref().or(a.name.as_deref())?;
    let w = n.split_whitespace().next()?;
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    (w.chars().count() >= 2).then(|| lower(w))
}

fn boundary_ok(lc: &str, pos: usize, len: usize) -> bool {
    let before = lc[..pos].chars().next_back();
    let after = lc[pos + len..].chars().next();
    let cjk = lc[pos..pos + len]
        .chars()
        .any(|c| !c.is_alphabetic() || (c as u32) > 0x2e80);
    if cjk {
        return true;
    }
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

const INTRO_STRIP: &[&str] = &[
    "il giorno ",
    "in data ",
    "w dniu ",
    "no dia ",
    "on ",
    "el ",
    "em ",
    "le ",
    "am ",
    "il ",
    "op ",
    "den ",
    "dnia ",
    "às ",
    "à ",
    "в ",
    "في ",
    "quoting ",
    "citando ",
    "在",
];

fn strip_intro(s: &str) -> (&str, bool) {
    // a list bullet or dash in front (`- Le 2021-04-09 23:25, Test a écrit :`)
    let s = s.trim_start_matches(|c: char| {
        matches!(c, '-' | '*' | '•' | '–' | '\u{feff}') || c.is_whitespace()
    });
    // a byte-order mark pipermail turned into `?` (`?On 17/07/2024, 22.30, …`)
    let s = match s.strip_prefix('?') {
        Some(r) if INTRO_STRIP.iter().any(|p| lower(r).starts_with(p)) => r,
        _ => s,
    };
    let lc = lower(s);
    // Eudora: `At 10:03 AM 1/24/01 -0600, Jane Doe wrote:`
    if lc.starts_with("at ") && lc[3..].starts_with(|c: char| c.is_ascii_digit()) {
        return (s[3..].trim_start(), true);
    }
    for p in INTRO_STRIP {
        if lc.starts_with(p) {
            return (s[p.len()..].trim_start(), true);
        }
    }
    (s, false)
}

fn script_language(s: &str) -> Option<&'static str> {
    let mut cyr = false;
    let mut han = false;
    let mut kana = false;
    let mut arabic = false;
    for c in s.chars() {
        match c as u32 {
            0x0400..=0x04ff => cyr = true,
            0x3040..=0x30ff => kana = true,
            0x4e00..=0x9fff => han = true,
            0x0600..=0x06ff => arabic = true,
            _ => {}
        }
    }
    let ja_weekday = ["(月)", "(火)", "(水)", "(木)", "(金)", "(土)", "(日)"]
        .iter()
        .any(|w| s.contains(w));
    if kana || (han && ja_weekday) {
        Some("ja")
    } else if han {
        Some("zh")
    } else if cyr {
        Some("ru")
    } else if arabic {
        Some("ar")
    } else {
        None
    }
}

fn skrev_language(lc: &str, date_text: &str) -> &'static str {
    let words: Vec<&str> = lc
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |xs: &[&str]| words.iter().any(|w| xs.contains(w));
    if lc.contains(['ä', 'ö']) || has(&["tis", "tors", "mån", "lör", "sön", "augusti", "klockan"])
    {
        "sv"
    } else if lc.contains("kl.")
        && date_text.contains('.')
        && has(&["marts", "tir", "lør", "søn", "man", "ons", "tor", "fre"])
        && !date_text.contains(':')
    {
        "da"
    } else if has(&["tir", "lør", "søn", "desember", "mai"]) {
        "no"
    } else {
        "da"
    }
}

/// Parse an "On … wrote:" attribution (lines already joined with spaces).
/// Returns the attribution and whether it is strong enough to own the
/// unquoted text below it.
pub(crate) fn on_wrote(raw: &str) -> Option<(Attribution, bool)> {
    on_wrote_with(raw, false)
}

/// `loose`: also without the closing colon (`On … John <j@x> wrote`, zoho's
/// `---- On … wrote ----`), then only with an intro, a date and a name or address.
pub(crate) fn on_wrote_with(raw: &str, loose: bool) -> Option<(Attribution, bool)> {
    let t = truncate(raw.trim(), 700).trim();
    let dashed = t.starts_with("--") && t.ends_with("--");
    let t = if dashed {
        t.trim_matches('-').trim()
    } else {
        t
    };
    let (t, colon) = match t.strip_suffix(':').or_else(|| t.strip_suffix('：')) {
        Some(x) => (x.trim_end(), true),
        None if loose || dashed => (t, false),
        None => return None,
    };
    let lc = lower(t);
    // the verb closest to the end
    let mut best: Option<(usize, usize, &'static str, bool, &'static str)> = None;
    for &(v, lang, after) in VERBS.iter().chain(mangled_verbs()) {
        let mut end = lc.len();
        while let Some(pos) = lc[..end].rfind(v) {
            if boundary_ok(&lc, pos, v.len()) {
                let e = pos + v.len();
                if best.is_none_or(|b| e > b.0 + b.1 || (e == b.0 + b.1 && v.len() > b.1)) {
                    best = Some((pos, v.len(), lang, after, v));
                }
                break;
            }
            end = pos;
        }
    }
    let (pos, vlen, mut lang, name_after, _verb) = best?;
    let after = t[pos + vlen..].trim();
    let after_has_letters = after.chars().any(|c| c.is_alphabetic());
    if !name_after && after_has_letters {
        return None;
    }
    if name_after && after.chars().count() > 160 {
        return None;
    }
    let before = t[..pos].trim();
    // AOL: `In a message dated 11/20/2000 10:06:02 AM Central Standard Time,
    // jdoe@aol.com writes:` (the zone's name is no part of the author's)
    let aol = lower(before).starts_with("in a message dated ");
    let (before, has_intro) = if aol {
        (before["in a message dated ".len()..].trim_start(), true)
    } else {
        strip_intro(before)
    };
    let (date_val, span) = find_date_or_span(before);
    let (date_text, name_src_before) = match &span {
        Some(r) if aol => (
            date_val.map(|_| before[r.clone()].trim().to_string()),
            before[r.end..]
                .rsplit_once(',')
                .map_or(&before[r.end..], |(_, n)| n)
                .to_string(),
        ),
        Some(r) => (
            date_val.map(|_| before[r.clone()].trim().to_string()),
            format!("{} {}", &before[..r.start], &before[r.end..]),
        ),
        None => match leading_time(before) {
            // Divmod Quotient and others, same day: `On 09:07 pm, x@y wrote:`;
            // the time is no part of the name (the day is not given)
            Some(end) => (
                Some(before[..end].trim().trim_end_matches(',').to_string()),
                before[end..].to_string(),
            ),
            None => (None, before.to_string()),
        },
    };
    let who_src = if name_after && after_has_letters {
        after.to_string()
    } else {
        name_src_before
    };
    let mut who = parse_who(&who_src);
    // `…, you wrote:` (Eudora and others): the author is whoever the quoting
    // message was written to, not "you"
    let you = who.address.is_none()
        && who
            .name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case("you"));
    if you {
        who.name = None;
        who.normalized = None;
    }
    // prose guard: an attribution names one person, not a sentence
    let name_words = who
        .name
        .as_deref()
        .map_or(0, |n| n.split_whitespace().count());
    if name_words > 8 {
        return None;
    }
    let evidence = date_val.is_some() || who.address.is_some() || who.via.is_some();
    if !evidence && !you {
        let n = who.name.as_deref().unwrap_or("");
        if name_words == 0 || name_words > 5 || n.contains(['.', '!', '?', ';']) {
            return None;
        }
        if !has_intro && before.split_whitespace().count() > 6 {
            return None;
        }
    }
    if !colon && !(has_intro && date_val.is_some() && (who.name.is_some() || who.address.is_some()))
    {
        return None;
    }
    let strong = (has_intro || name_after || date_val.is_some()) && evidence;
    if lang == "sv" {
        lang = skrev_language(&lc, date_text.as_deref().unwrap_or(""));
    }
    Some((
        Attribution {
            raw: raw.to_string(),
            name: who.name,
            normalized_name: who.normalized,
            address: who.address,
            via_list: who.via,
            date: date_val,
            date_text,
            subject: None,
            to: Vec::new(),
            cc: Vec::new(),
            style: AttributionStyle::OnWrote,
            language: Some(lang.to_string()),
        },
        strong,
    ))
}

/// The end of a leading time of day without a date (`09:07 pm,`, `14:02,`),
/// comma included.
fn leading_time(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let h = digits(0);
    if !(1..=2).contains(&h) || b.get(h) != Some(&b':') || digits(h + 1) != 2 {
        return None;
    }
    let mut i = h + 3;
    let rest = t[i..].trim_start();
    let lower = rest.to_ascii_lowercase();
    for ampm in ["a.m.", "p.m.", "am", "pm"] {
        if lower.starts_with(ampm) {
            i = t.len() - rest.len() + ampm.len();
            break;
        }
    }
    let after = t[i..].trim_start();
    after.starts_with(',').then(|| t.len() - after.len() + 1)
}

/// The language-neutral fallback: a short line ending in `:` that holds a
/// date or an address (`вт, 22 июл. 2025 г. в 17:06, Иван <i@x.ru>:`).
/// Also says whether it is shaped like a verbless client attribution (date
/// first, a name of a few words, an address last), strong enough to own
/// unquoted text below it.
pub(crate) fn fallback(raw: &str) -> Option<(Attribution, bool)> {
    let t = raw.trim();
    if t.chars().count() > 250 {
        return None;
    }
    let t = t
        .strip_suffix(':')
        .or_else(|| t.strip_suffix('：'))?
        .trim_end();
    let (t2, _) = strip_intro(t);
    let date = find_date(t2);
    let (date_val, date_text, rest) = match &date {
        Some((d, r)) => (
            Some(*d),
            Some(t2[r.clone()].trim().to_string()),
            format!("{} {}", &t2[..r.start], &t2[r.end..]),
        ),
        None => (None, None, t2.to_string()),
    };
    let who = parse_who(strip_trailing_verb(&rest));
    if date_val.is_none() && who.address.is_none() {
        return None;
    }
    let name_words = who
        .name
        .as_deref()
        .map_or(0, |n| n.split_whitespace().count());
    if name_words > 8 {
        return None;
    }
    let date_first = date.as_ref().is_some_and(|(_, r)| {
        t2[..r.start]
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count()
            <= 3
    });
    let addr_last = t2.trim_end().ends_with('>')
        || t2.split_whitespace().last().is_some_and(looks_like_address);
    let strong = date_first && addr_last && who.address.is_some() && (1..=5).contains(&name_words);
    let a = Attribution {
        raw: raw.to_string(),
        name: who.name,
        normalized_name: who.normalized,
        address: who.address,
        via_list: who.via,
        date: date_val,
        date_text,
        subject: None,
        to: Vec::new(),
        cc: Vec::new(),
        style: AttributionStyle::Fallback,
        language: script_language(t).map(str::to_string),
    };
    Some((a, strong))
}

/// A verb left after the name when the date was taken out of the middle of
/// a verbless-looking line: Postbox's `Jane Doe wrote on 5/16/19 11:36 AM:`
/// (`wrote on`), and a verb in another script that pipermail turned into
/// `?????`.
fn strip_trailing_verb(s: &str) -> &str {
    const VERBS: &[&str] = &[
        "wrote",
        "writes",
        "schrieb",
        "escribió",
        "escreveu",
        "scrisse",
    ];
    const PREPS: &[&str] = &["on", "am", "le", "el", "em", "il"];
    let mut t = s.trim_end().trim_end_matches([',', ':']).trim_end();
    while let Some((head, last)) = t.rsplit_once(char::is_whitespace) {
        if !last.is_empty() && last.chars().all(|c| c == '?') {
            t = head.trim_end();
        } else {
            break;
        }
    }
    if let Some((head, last)) = t.rsplit_once(char::is_whitespace) {
        let last_lc = last.to_lowercase();
        if VERBS.contains(&last_lc.as_str()) {
            return head.trim_end();
        }
        if PREPS.contains(&last_lc.as_str()) {
            if let Some((h2, verb)) = head.trim_end().rsplit_once(char::is_whitespace) {
                if VERBS.contains(&verb.to_lowercase().as_str()) {
                    return h2.trim_end();
                }
            }
        }
    }
    t
}

/// The fields collected from a header block.
#[derive(Debug, Default)]
pub(crate) struct Block {
    pub from: Option<String>,
    pub date: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: Option<String>,
    pub lang_subject: Option<&'static str>,
    pub lang_date: Option<&'static str>,
    pub lang_other: Option<&'static str>,
}

impl Block {
    pub(crate) fn set(&mut self, f: Field, value: &str, lang: Option<&'static str>) {
        let v = qp_trim(value).to_string();
        match f {
            Field::From => {
                self.from = Some(v);
                if self.lang_other.is_none() {
                    self.lang_other = lang;
                }
            }
            Field::Date => {
                self.date = Some(v);
                self.lang_date = lang.or(self.lang_date);
            }
            Field::To => {
                self.to.push(v);
                if lang != Some("en") || self.lang_other.is_none() {
                    self.lang_other = lang.or(self.lang_other);
                }
            }
            Field::Cc => self.cc.push(v),
            Field::Subject => {
                self.subject = Some(v);
                self.lang_subject = lang;
            }
            Field::Other => {}
        }
    }

    pub(crate) fn append(&mut self, f: Field, more: &str) {
        let slot = match f {
            Field::From => self.from.as_mut(),
            Field::Date => self.date.as_mut(),
            Field::To => self.to.last_mut(),
            Field::Cc => self.cc.last_mut(),
            Field::Subject => self.subject.as_mut(),
            Field::Other => None,
        };
        if let Some(s) = slot {
            s.push(' ');
            s.push_str(qp_trim(more));
        }
    }
}

/// A field value without surrounding space, including the quoted-printable
/// tabs and spaces (`=09`, `=20`) and soft breaks a broken decoder left.
fn qp_trim(s: &str) -> &str {
    let mut t = s.trim();
    loop {
        let before = t.len();
        t = t
            .trim_start_matches("=09")
            .trim_start_matches("=20")
            .trim_end_matches("=20")
            .trim_end_matches("=09")
            .trim();
        if t.len() == before {
            return t;
        }
    }
}

/// Split an address list on `;` (Outlook) or on commas that follow an address.
fn split_list(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in v.split(';') {
        let mut cur = String::new();
        for part in piece.split(',') {
            let prev = cur.trim_end();
            let prev_is_addr = prev.ends_with('>')
                || prev
                    .split_whitespace()
                    .last()
                    .is_some_and(|w| looks_like_address(&undo_pipermail(w)))
                || prev.ends_with(|c: char| c.is_alphanumeric())
                    && looks_like_address(&undo_pipermail(
                        prev.split(' ').next_back().unwrap_or(""),
                    ));
            // Notes names: `Rina Shah/HOU/ACME@ACME, Tom Berger/LON/ACME`
            let prev_is_notes = prev
                .split_whitespace()
                .last()
                .is_some_and(|w| w.contains('@') || cut_notes_hierarchy(w).len() < w.len());
            if !cur.is_empty() && (prev_is_addr || prev_is_notes) {
                out.push(std::mem::take(&mut cur));
            } else if !cur.is_empty() {
                cur.push(',');
            }
            cur.push_str(part);
        }
        if !cur.trim().is_empty() {
            out.push(cur);
        }
    }
    out.into_iter()
        .filter_map(|e| {
            let w = parse_who(&e);
            match (w.name, w.address) {
                (Some(n), Some(a)) => Some(format!("{n} <{a}>")),
                (None, Some(a)) => Some(a),
                (Some(n), None) => Some(n),
                (None, None) => None,
            }
        })
        .collect()
}

/// A sender with the date written beside it, as Lotus Notes and its
/// gateways do: `Tana Jones on 09/06/2000 16:30`, `"Doe, Jane" <jd@x.com> on
/// 10/31/2000 01:59:11 PM`, `Shona Wilson @ ENRON      12/07/2000 10:45 AM`.
/// The date and the `on` before it are cut out of the name.
pub(crate) fn who_and_date(text: &str) -> (Who, Option<crate::LocalDateTime>, Option<String>) {
    let t = truncate(text, 400);
    match find_date(t) {
        Some((d, r)) => {
            let before = t[..r.start].trim_end();
            let before = strip_word_suffix(before, &["on", "am", "le", "el", "em", "il", "op"]);
            let after = t[r.end..].trim();
            // a zone name or `CDT` after the time is part of the date, not the name
            let after_is_name = after.chars().any(|c| c.is_lowercase());
            let who_src = if after_is_name && before.trim().is_empty() {
                after.to_string()
            } else {
                before.to_string()
            };
            (parse_who(&who_src), Some(d), Some(t[r].trim().to_string()))
        }
        None => (parse_who(t), None, None),
    }
}

/// Is this the sender line of a Notes block (`Ola Brandt@ACME`, `"Doe, Jane"
/// <jd@x.com> on 10/31/2000 01:59:11 PM`, `Kim Sato @ ACME   04/04/2001 05:44 PM`)
/// rather than prose that mentions a date? A few name words, nothing after the
/// date but a zone.
pub(crate) fn notes_sender_ok(text: &str) -> bool {
    let t = truncate(text, 400);
    let (before, after) = match find_date_or_span(t).1 {
        Some(r) => (&t[..r.start], &t[r.end..]),
        None => (t, ""),
    };
    let after_words = after.split_whitespace().count();
    if after_words > 2 || after.contains(['.', ',', ';']) {
        return false;
    }
    let before = strip_word_suffix(before, &["on", "am", "le", "el", "em", "il", "op"]);
    let words: Vec<&str> = before.split_whitespace().collect();
    if words.is_empty() || words.len() > 9 {
        return false;
    }
    const PARTICLES: &[&str] = &[
        "on", "de", "del", "van", "von", "der", "den", "da", "di", "du", "la", "le", "and", "y",
        "e", "bin", "al", "st", "-", "&", "@",
    ];
    let lower_words = words
        .iter()
        .filter(|w| {
            w.starts_with(|c: char| c.is_lowercase())
                && !w.contains('@')
                && !PARTICLES.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        })
        .count();
    lower_words <= 1 && !before.trim_end().ends_with(['!', '?', ':'])
}

/// `s` without a trailing word from `words` (case-insensitive).
fn strip_word_suffix<'s>(s: &'s str, words: &[&str]) -> &'s str {
    let t = s.trim_end();
    if let Some(p) = t.rfind(' ') {
        let last = &t[p + 1..];
        if words.iter().any(|w| last.eq_ignore_ascii_case(w)) {
            return t[..p].trim_end();
        }
    } else if words.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        return "";
    }
    t
}

pub(crate) fn header_attribution(raw: String, b: Block, style: AttributionStyle) -> Attribution {
    let (mut who, mut date, mut date_text) = (Who::default(), None, None);
    match (b.from.as_deref(), b.date.as_deref()) {
        (Some(f), Some(d)) => {
            who = parse_who(f);
            date = find_date(d).map(|x| x.0);
            date_text = Some(d.to_string());
        }
        // Notes: `From: Tana Jones on 09/06/2000 16:30`, no `Sent:` line
        (Some(f), None) => (who, date, date_text) = who_and_date(f),
        (None, Some(d)) => {
            date = find_date(d).map(|x| x.0);
            date_text = Some(d.to_string());
        }
        (None, None) => {}
    }
    let language = b.lang_subject.or(b.lang_date).or(b.lang_other);
    Attribution {
        raw,
        name: who.name,
        normalized_name: who.normalized,
        address: who.address,
        via_list: who.via,
        date,
        date_text,
        subject: b.subject.filter(|s| !s.is_empty()),
        to: b.to.iter().flat_map(|t| split_list(t)).collect(),
        cc: b.cc.iter().flat_map(|t| split_list(t)).collect(),
        style,
        language: language.map(str::to_string),
    }
}

/// Lotus Notes' forward line, `----- Forwarded by Brent A Price/HOU/ECT on
/// 06/28/2000 03:01 PM -----` (and its translations), already joined when the
/// client wrapped it. The forwarder is its author; the date is when they
/// forwarded what follows.
pub(crate) fn notes_forwarded(raw: &str) -> Option<Attribution> {
    let t = truncate(raw.trim(), 400);
    let core = t.trim_matches(|c: char| c == '-' || c == '=' || c.is_whitespace());
    if core.len() + 4 > t.len() {
        return None;
    }
    let lc = lower(core);
    for &(lead, on, lang) in NOTES_FORWARDED {
        let Some(rest) = lc.strip_prefix(lead) else {
            continue;
        };
        if !rest.starts_with(' ') {
            continue;
        }
        let off = core.len() - rest.len();
        let sep = format!(" {on} ");
        let p = rest.rfind(&sep)?;
        let name_src = core[off..off + p].trim();
        let date_src = core[off + p + sep.len()..].trim();
        let (date, span) = find_date_or_span(date_src);
        let date_text = span.map(|r| date_src[r].trim().to_string());
        let who = parse_who(name_src);
        if who.name.is_none() && who.address.is_none() {
            return None;
        }
        return Some(Attribution {
            raw: raw.to_string(),
            name: who.name,
            normalized_name: who.normalized,
            address: who.address,
            via_list: None,
            date,
            date_text,
            subject: None,
            to: Vec::new(),
            cc: Vec::new(),
            style: AttributionStyle::Forwarded,
            language: Some(lang.to_string()),
        });
    }
    None
}

fn plain_attribution(raw: &str, who: Who, style: AttributionStyle) -> Attribution {
    Attribution {
        raw: raw.to_string(),
        name: who.name,
        normalized_name: who.normalized,
        address: who.address,
        via_list: who.via,
        date: None,
        date_text: None,
        subject: None,
        to: Vec::new(),
        cc: Vec::new(),
        style,
        language: None,
    }
}

/// GroupWise: `>>> "Doe, Jane" <jd@x.org> 07/22/25 5:06PM >>>`; `inner` is the
/// text between the arrows.
pub(crate) fn groupwise(raw: &str, inner: &str) -> Option<Attribution> {
    let (who, date, date_text) = who_and_date(inner);
    if who.name.is_none() && who.address.is_none() {
        return None;
    }
    if who
        .name
        .as_deref()
        .is_some_and(|n| n.split_whitespace().count() > 6)
    {
        return None;
    }
    let mut a = plain_attribution(raw, who, AttributionStyle::Fallback);
    a.date = date;
    a.date_text = date_text;
    Some(a)
}

/// Supercite/ESS, markers already removed: `"JD" == Jane Doe <jd@x.org> writes:`,
/// `Jane Doe <jd@x.org> on Tue, 22 Jul 2025 17:06:00 +0200 writes:`.
pub(crate) fn supercite(joined: &str) -> Option<Attribution> {
    let mut t = joined.trim();
    // the declared citation prefix
    if let Some(rest) = t.strip_prefix('"') {
        if let Some(q) = rest.find('"') {
            if let Some(r) = rest[q + 1..].trim_start().strip_prefix("==") {
                t = r.trim_start();
            }
        }
    }
    let (a, _) = on_wrote(t)?;
    Some(a)
}

/// Bug trackers and gateways (see `detect_gateway`): the attribution and whether
/// it owns the unmarked text below it.
pub(crate) fn gateway(t: &str) -> Option<(Attribution, bool)> {
    let lc = lower(t);
    // Bugzilla: `--- Comment #4 from Jane Doe <jd@x.org> 2016-05-02 10:11:12 UTC ---`
    if lc.starts_with("--") {
        let core = t.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let lcore = lower(core);
        if let Some(rest) = lcore.strip_prefix("comment #") {
            let p = rest.find(" from ")?;
            if !rest[..p].chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let off = core.len() - rest.len() + p + 6;
            let (who, date, date_text) = who_and_date(&core[off..]);
            who.name.as_ref().or(who.address.as_ref())?;
            let mut a = plain_attribution(t, who, AttributionStyle::OnWrote);
            a.date = date;
            a.date_text = date_text;
            a.language = Some("en".into());
            return Some((a, true));
        }
        return None;
    }
    // Bugzilla: `(In reply to Jane Doe from comment #3)`
    if let Some(rest) = lc.strip_prefix("(in reply to ") {
        let p = rest.rfind(" from comment #")?;
        let off = t.len() - rest.len();
        let who = parse_who(&t[off..off + p]);
        who.name.as_ref().or(who.address.as_ref())?;
        let mut a = plain_attribution(t, who, AttributionStyle::OnWrote);
        a.language = Some("en".into());
        return Some((a, false));
    }
    let body = t.strip_suffix(':')?.trim_end();
    let lb = lower(body);
    // `According to Jane Doe:` (gateways, digests)
    if let Some(rest) = lb.strip_prefix("according to ") {
        let off = body.len() - rest.len();
        let (who, date, date_text) = who_and_date(&body[off..]);
        let words = who
            .name
            .as_deref()
            .map_or(0, |n| n.split_whitespace().count());
        if !(1..=5).contains(&words) && who.address.is_none() {
            return None;
        }
        if who
            .name
            .as_deref()
            .is_some_and(|n| n.contains(['.', ',', '!', '?']) || !capitalised(n))
        {
            return None;
        }
        let strong = date.is_some() && (who.address.is_some() || words > 0);
        let mut a = plain_attribution(t, who, AttributionStyle::OnWrote);
        a.date = date;
        a.date_text = date_text;
        a.language = Some("en".into());
        return Some((a, strong));
    }
    // JIRA: `Jane Doe commented on PROJ-967:`, `Jane Doe updated PROJ-967:`
    const JIRA_VERBS: &[&str] = &[
        " commented on ",
        " updated ",
        " created ",
        " resolved ",
        " reopened ",
        " closed ",
        " assigned ",
        " edited comment on ",
    ];
    for v in JIRA_VERBS {
        let Some(p) = lb.find(v) else { continue };
        let key = body[p + v.len()..].trim();
        if !is_issue_key(key) {
            continue;
        }
        let who = parse_who(&body[..p]);
        let words = who
            .name
            .as_deref()
            .map_or(0, |n| n.split_whitespace().count());
        if !(1..=5).contains(&words) && who.address.is_none()
            || who.name.as_deref().is_some_and(|n| !capitalised(n))
        {
            return None;
        }
        let mut a = plain_attribution(t, who, AttributionStyle::OnWrote);
        a.language = Some("en".into());
        return Some((a, true));
    }
    None
}

/// Every word of a name starts with a capital (particles such as `de`, `van`
/// aside): `Jane Doe`, `Ana de Neves`, not `the minutes`.
fn capitalised(name: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "de", "da", "del", "van", "von", "der", "den", "le", "la", "bin", "al", "dos", "du",
    ];
    name.split_whitespace()
        .all(|w| w.starts_with(char::is_uppercase) || PARTICLES.contains(&w))
}

/// `PROJ-967`, `HHH-12`: a tracker's issue key.
fn is_issue_key(s: &str) -> bool {
    let Some((proj, num)) = s.split_once('-') else {
        return false;
    };
    proj.len() >= 2
        && proj.len() <= 12
        && proj.starts_with(|c: char| c.is_ascii_uppercase())
        && proj
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !num.is_empty()
        && num.len() <= 8
        && num.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who() {
        let w = parse_who("Blaker, Paul (DSIT) via WG-Strategy <wg-strategy at intgovforum.org>");
        assert_eq!(w.name.as_deref(), Some("Blaker, Paul (DSIT)"));
        assert_eq!(w.normalized.as_deref(), Some("Paul Blaker"));
        assert_eq!(w.address.as_deref(), Some("wg-strategy@intgovforum.org"));
        assert_eq!(w.via.as_deref(), Some("WG-Strategy"));
        let w = parse_who("Raúl Echeberría <raul at alai.lat> <mailto:raul at alai.lat>");
        assert_eq!(w.name.as_deref(), Some("Raúl Echeberría"));
        assert_eq!(w.address.as_deref(), Some("raul@alai.lat"));
        let w = parse_who("Jane Doe (<jane@example.com>)");
        assert_eq!(w.name.as_deref(), Some("Jane Doe"));
        assert_eq!(w.address.as_deref(), Some("jane@example.com"));
        let w = parse_who("'Ana' via Some Group <group@googlegroups.com>");
        assert_eq!(w.name.as_deref(), Some("Ana"));
        assert_eq!(w.via.as_deref(), Some("Some Group"));
        let w = parse_who("xxx@xxx.mailgun.org [mailto:xxx@xxx.mailgun.org]");
        assert_eq!(w.name, None);
        assert_eq!(w.address.as_deref(), Some("xxx@xxx.mailgun.org"));
    }

    /// Outlook's `SENDER On Behalf Of AUTHOR`: the author follows the marker;
    /// the sender (a list's bounce address, a delegate) is not the author.
    #[test]
    fn on_behalf_of_names_the_author_after_it() {
        let w = parse_who("R-devel [mailto:r-devel-bounces@example.org] On Behalf Of Amber Brown");
        assert_eq!(w.name.as_deref(), Some("Amber Brown"));
        assert_eq!(w.address, None);
        let w = parse_who("Foo [mailto:foo@bar.com] On Behalf Of baz@bar.com");
        assert_eq!(w.name, None);
        assert_eq!(w.address.as_deref(), Some("baz@bar.com"));
        let w = parse_who("R-help <r-help-bounces@r-project.org> Im Auftrag von Göran Broström");
        assert_eq!(w.name.as_deref(), Some("Göran Broström"));
        // the author was lost where the header wrapped: unknown, not the sender
        let w = parse_who("Foo [mailto:foo@bar.com] On Behalf Of");
        assert_eq!((w.name, w.address), (None, None));
        // Outlook for Mac: both the name and the address carry the marker
        let w = parse_who("\"R-package-devel on behalf of Marius Hofert\" <r-package-devel-bounces at r-project.org on behalf of marius.hofert at uwaterloo.ca>");
        assert_eq!(w.name.as_deref(), Some("Marius Hofert"));
        assert_eq!(w.address.as_deref(), Some("marius.hofert@uwaterloo.ca"));
        let w = parse_who("R-package-devel <r-package-devel-bounces at r-project.org> on behalf of Glenn Schultz <glennmschultz at me.com>");
        assert_eq!(w.name.as_deref(), Some("Glenn Schultz"));
        assert_eq!(w.address.as_deref(), Some("glennmschultz@me.com"));
        // … with mailto links inside the brackets
        let w = parse_who("\"R-package-devel on behalf of Chung-hong Chan\" <r-package-devel-bounces at r-project.org <mailto:r-package-devel-bounces at r-project.org> on behalf of chainsawtiney at gmail.com <mailto:chainsawtiney at gmail.com>>");
        assert_eq!(w.name.as_deref(), Some("Chung-hong Chan"));
        assert_eq!(w.address.as_deref(), Some("chainsawtiney@gmail.com"));
        // a name that only contains the words is no marker
        assert_eq!(
            parse_who("Tom Onbehalf <tom@x.org>").name.as_deref(),
            Some("Tom Onbehalf")
        );
    }

    /// Mail.ru: `DATE от NAME <ADDR>:` ("from NAME").
    #[test]
    fn mail_ru_from_word_is_no_part_of_the_name() {
        let w = parse_who("от Alexander L <abc@example.com>");
        assert_eq!(w.name.as_deref(), Some("Alexander L"));
        assert_eq!(w.address.as_deref(), Some("abc@example.com"));
    }

    #[test]
    fn notes_names() {
        let name = |s: &str| parse_who(s).name;
        assert_eq!(name("Jeff Okafor@ACME").as_deref(), Some("Jeff Okafor"));
        assert_eq!(
            name("Rick Moss/ACME@hubXgate").as_deref(),
            Some("Rick Moss")
        );
        assert_eq!(name("Kim Sato @ ECT").as_deref(), Some("Kim Sato"));
        assert_eq!(
            name("Ana Port/Market Risk/Corp/Acme@ACME").as_deref(),
            Some("Ana Port")
        );
        assert_eq!(name("Moran, Tom=20").as_deref(), Some("Moran, Tom"));
        let w = parse_who(
            "Klein, Mark <Mark.Klein@Example.com << File: mailto:Mark.Klein@Example.com >> >",
        );
        assert_eq!(w.name.as_deref(), Some("Klein, Mark"));
        assert_eq!(w.address.as_deref(), Some("mark.klein@example.com"));
        let w = parse_who("\"Gold, Ian\" <IGold@Example.com>@ACME");
        assert_eq!(w.name.as_deref(), Some("Gold, Ian"));
        assert_eq!(w.address.as_deref(), Some("igold@example.com"));
        let w = parse_who("rk@example.com@ACME");
        assert_eq!(
            (w.name, w.address.as_deref()),
            (None, Some("rk@example.com"))
        );
        let w = parse_who("\"Gold, Ian\" <IGold@Example.com> [mailto:IMCEANOTES-+22Gold+2C+20Ian+22+20+3CIGold+40Exam ple+2Ecom+3E+40ACME@ACME.com]");
        assert_eq!(w.name.as_deref(), Some("Gold, Ian"));
        // slashes between digits or around spaces are not Notes hierarchies
        assert_eq!(cut_notes_hierarchy("7/22 and / or"), "7/22 and / or");
        assert_eq!(strip_notes_domains("jane@example.com"), "jane@example.com");
    }

    #[test]
    fn notes_forward_lines() {
        let a = notes_forwarded("----- Forwarded by Ken Ito/HOU/ACME on 11/20/2000 08:07 AM -----");
        let a = a.expect("a forward line");
        assert_eq!(a.name.as_deref(), Some("Ken Ito"));
        assert_eq!(a.date.map(|d| (d.month, d.day, d.hour)), Some((11, 20, 8)));
        assert!(notes_forwarded("----- Forwarded message -----").is_none());
        assert!(notes_forwarded("Forwarded by Ken on Monday").is_none());
    }

    #[test]
    fn notes_senders() {
        assert!(notes_sender_ok("Marta Lindqvist"));
        assert!(notes_sender_ok(
            "\"Doe, Jane\" <jd@x.com> on 10/31/2000 01:59:11 PM"
        ));
        assert!(notes_sender_ok(
            "Kim Sato @ ACME         04/04/2001 05:44 PM"
        ));
        assert!(notes_sender_ok("From: Ken Ito on 22/05/2000 11:19 CDT"));
        assert!(!notes_sender_ok(
            "quarter, as minuted on 11/20/2000 10:06 AM by the board."
        ));
        assert!(!notes_sender_ok("we met on 11/20/2000 10:06 AM"));
    }

    #[test]
    fn pipermail() {
        assert_eq!(undo_pipermail("anriette at apc.org"), "anriette@apc.org");
        assert_eq!(undo_pipermail("<a.b at x.co.uk>"), "<a.b@x.co.uk>");
        assert_eq!(undo_pipermail("2025 at 5:06 PM"), "2025 at 5:06 PM");
        assert_eq!(undo_pipermail("we met at home.Then"), "we met at home.Then");
    }

    #[test]
    fn lists() {
        assert_eq!(
            split_list("wg-strategy <wg-strategy at intgovforum.org> <mailto:wg-strategy at intgovforum.org>"),
            vec!["wg-strategy <wg-strategy@intgovforum.org>"]
        );
        assert_eq!(
            split_list("Blaker, Paul <p@x.org>; Doe, Jane <j@x.org>"),
            vec!["Blaker, Paul <p@x.org>", "Doe, Jane <j@x.org>"]
        );
        assert_eq!(split_list("a@x.org, b@y.org"), vec!["a@x.org", "b@y.org"]);
    }
}
