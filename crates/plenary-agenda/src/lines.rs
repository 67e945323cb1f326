//! Lines of an agenda page, from its text rendering or its DOM, plus the small
//! recognisers (dates, time ranges, honorifics, roles) the layouts share.
//!
//! Hand-written because no crate parses "Thursday, 10 July 2025" next to
//! "10:00 – 11:30 CEST (UTC+02:00)" and "Wednesday, 30th November, 2022 (09:00 UTC)"; the
//! date arithmetic itself is jiff's.

use jiff::civil::{Date, DateTime, Time};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// Leading whitespace (characters) in a text rendering; 0 from HTML.
    pub indent: usize,
    pub text: String,
    /// From HTML: the class names of the nearest classed element, as a layout hint
    /// ("speaker-name", "position", "organization", "role").
    pub hint: String,
}

impl Line {
    pub(crate) fn blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Lines of a text rendering: right-trimmed, indentation counted, runs of blank
/// (whitespace-only) lines collapsed into one blank line.
pub(crate) fn text_lines(text: &str) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for raw in text.lines() {
        let raw = raw.replace('\u{a0}', " ");
        let t = raw.trim();
        if t.is_empty() {
            if out.last().is_some_and(|l| !l.blank()) {
                out.push(Line {
                    indent: 0,
                    text: String::new(),
                    hint: String::new(),
                });
            }
            continue;
        }
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        out.push(Line {
            indent,
            text: collapse(t),
            hint: String::new(),
        });
    }
    while out.last().is_some_and(Line::blank) {
        out.pop();
    }
    out
}

pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

fn month_of(word: &str) -> Option<u8> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

/// "10", "10th", "1st", "22nd" → 10, 10, 1, 22.
fn day_of(word: &str) -> Option<i8> {
    let digits: String = word.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &word[digits.len()..];
    if digits.is_empty() || !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: i8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// A calendar date written in words: "Thursday, 10 July 2025", "Wednesday, 30th
/// November, 2022", "10 July 2025", "July 10, 2025". Returns the date and the byte
/// offset just after it.
pub(crate) fn find_date(s: &str) -> Option<(Date, usize)> {
    find_date_span(s).map(|(d, _, end)| (d, end))
}

/// Like [`find_date`], with the byte range the date takes, a weekday before it
/// ("Monday, ") included.
pub(crate) fn find_date_span(s: &str) -> Option<(Date, usize, usize)> {
    // tokens with their start and end offsets
    let mut toks: Vec<(&str, usize)> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            toks.push((&s[st..i], i));
            starts.push(st);
        }
    }
    if let Some(st) = start {
        toks.push((&s[st..], s.len()));
        starts.push(st);
    }
    let begin = |w: usize| -> usize {
        match w.checked_sub(1) {
            Some(p) if WEEKDAYS.contains(&toks[p].0.to_lowercase().as_str()) => starts[p],
            _ => starts[w],
        }
    };
    for w in 0..toks.len() {
        let t = |k: usize| toks.get(w + k).map(|x| x.0);
        let year = |x: Option<&str>| -> Option<i16> {
            let y: i16 = x?.parse().ok()?;
            (1990..=2100).contains(&y).then_some(y)
        };
        // day month year
        if let (Some(d), Some(m), Some(y)) =
            (t(0).and_then(day_of), t(1).and_then(month_of), year(t(2)))
        {
            if let Ok(date) = Date::new(y, m as i8, d) {
                return Some((date, begin(w), toks[w + 2].1));
            }
        }
        // month day year
        if let (Some(m), Some(d), Some(y)) =
            (t(0).and_then(month_of), t(1).and_then(day_of), year(t(2)))
        {
            if WEEKDAYS.contains(&t(0).unwrap_or("").to_lowercase().as_str()) {
                continue;
            }
            if let Ok(date) = Date::new(y, m as i8, d) {
                return Some((date, begin(w), toks[w + 2].1));
            }
        }
    }
    None
}

/// `HH:MM` at the start of `s` (after spaces): the time and the bytes consumed.
fn time_at(s: &str) -> Option<(Time, usize)> {
    let lead = s.len() - s.trim_start().len();
    let t = &s[lead..];
    let colon = t.find(':')?;
    if colon == 0 || colon > 2 {
        return None;
    }
    let h: i8 = t[..colon].parse().ok()?;
    let mm = t.get(colon + 1..colon + 3)?;
    if !mm.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let m: i8 = mm.parse().ok()?;
    let mut used = lead + colon + 3;
    // optional :SS
    if t.get(colon + 3..colon + 4) == Some(":") {
        if let Some(ss) = t.get(colon + 4..colon + 6) {
            if ss.chars().all(|c| c.is_ascii_digit()) {
                used += 3;
            }
        }
    }
    // optional am/pm
    let after = s[used..].trim_start();
    let (h, extra) = match after.get(..2).map(|x| x.to_ascii_lowercase()) {
        Some(ap) if ap == "am" || ap == "pm" => {
            let h = match (ap.as_str(), h) {
                ("am", 12) => 0,
                ("pm", h) if h < 12 => h + 12,
                (_, h) => h,
            };
            (h, s[used..].len() - after.len() + 2)
        }
        _ => (h, 0),
    };
    Some((Time::new(h, m, 0, 0).ok()?, used + extra))
}

/// Offsets of zone abbreviations agenda pages print.
fn abbreviation_offset(word: &str) -> Option<i32> {
    Some(match word {
        "UTC" | "GMT" | "Z" => 0,
        "CET" => 60,
        "CEST" => 120,
        "EET" | "SAST" => 120,
        "EEST" | "EAT" | "AST" | "MSK" | "TRT" => 180,
        "JST" | "KST" => 540,
        "BST" => 60,
        "EST" => -300,
        "EDT" => -240,
        _ => return None,
    })
}

/// `UTC+02:00`, `UTC+2`, `UTC -5`, `GMT+3` → minutes.
fn utc_offset_in(s: &str) -> Option<i32> {
    let up = s.to_ascii_uppercase();
    for key in ["UTC", "GMT"] {
        let mut from = 0;
        while let Some(p) = up[from..].find(key) {
            let at = from + p + key.len();
            from = at;
            let rest = up[at..].trim_start();
            let Some(sign) = rest.chars().next() else {
                continue;
            };
            let sign = match sign {
                '+' => 1,
                '-' | '−' => -1,
                _ => continue,
            };
            let rest = rest[sign_len(rest)..].trim_start();
            let digits: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ':')
                .collect();
            let (h, m) = match digits.split_once(':') {
                Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().unwrap_or(0)),
                None => (digits.parse::<i32>().ok()?, 0),
            };
            if h <= 14 && m < 60 {
                return Some(sign * (h * 60 + m));
            }
        }
    }
    None
}

fn sign_len(s: &str) -> usize {
    s.chars().next().map(char::len_utf8).unwrap_or(0)
}

/// A time range on one line: "10:00–10:45 (UTC+02:00)", "10:00 – 11:30 CEST (UTC+02:00)",
/// "09:00-09:45", "14:00 to 15:30 UTC". Returns start, end and the offset when written.
pub(crate) fn find_time_range(s: &str) -> Option<(Time, Time, Option<i32>)> {
    find_time_range_span(s).map(|(r, _, _)| r)
}

/// A time range and its zone ("09:34–10:30 (UTC+02:00)", "10:00 – 11:30 CEST
/// (UTC+02:00)", "09:30 - 10:30 GMT+03") with the byte range it takes.
pub(crate) fn find_time_range_span(s: &str) -> Option<(TimeRange, usize, usize)> {
    for (i, _) in s.char_indices() {
        let Some((a, used)) = time_at(&s[i..]) else {
            continue;
        };
        if i > 0 && s[..i].chars().last().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let rest = &s[i + used..];
        let rest_t = rest.trim_start();
        let sep_len = if let Some(r) = rest_t.strip_prefix("to ") {
            rest_t.len() - r.len()
        } else {
            match rest_t.chars().next() {
                Some(c @ ('-' | '–' | '—' | '−')) => c.len_utf8(),
                _ => continue,
            }
        };
        let after = &rest_t[sep_len..];
        let Some((b, used_b)) = time_at(after) else {
            continue;
        };
        let tail = &after[used_b..];
        let end_b = s.len() - tail.len();
        let (zone_len, zone) = zone_after(tail);
        let offset = zone.or_else(|| {
            utc_offset_in(tail).or_else(|| {
                tail.split(|c: char| !c.is_ascii_alphabetic())
                    .find_map(abbreviation_offset)
            })
        });
        return Some(((a, b, offset), i, end_b + zone_len));
    }
    None
}

/// A start, an end and the UTC offset in minutes when written.
pub(crate) type TimeRange = (Time, Time, Option<i32>);

/// The zone written right after a time range: "CEST (UTC+02:00)", "(UTC+02:00)", "UTC",
/// "GMT+03" → the bytes it takes and its offset.
fn zone_after(tail: &str) -> (usize, Option<i32>) {
    let mut used = 0;
    let mut offset = None;
    let mut rest = tail;
    for _ in 0..2 {
        let t = rest.trim_start();
        let lead = rest.len() - t.len();
        let (piece, inner) = if let Some(inner) = t.strip_prefix('(') {
            match inner.find(')') {
                Some(c) => (&t[..c + 2], &inner[..c]),
                None => break,
            }
        } else {
            let w = t
                .find(|c: char| c.is_whitespace() || c == '(')
                .unwrap_or(t.len());
            (&t[..w], &t[..w])
        };
        let inner = inner.trim();
        let word: String = inner
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        let known = abbreviation_offset(&word).is_some() && !word.is_empty();
        if !known {
            break;
        }
        let off = utc_offset_in(inner).or_else(|| abbreviation_offset(&word));
        if inner.len() > word.len() && utc_offset_in(inner).is_none() {
            break;
        }
        if offset.is_none() || inner.contains(['+', '-', '−']) {
            offset = off;
        }
        used += lead + piece.len();
        rest = &rest[lead + piece.len()..];
    }
    (used, offset)
}

/// A local date-time and its UTC offset in minutes.
pub(crate) type LocalWithOffset = (DateTime, i32);

/// IGF's legacy form: "Wednesday, 30th November, 2022 (09:00 UTC) - Wednesday, 30th
/// November, 2022 (10:30 UTC)" → start and end with their offsets.
pub(crate) fn find_legacy_range(s: &str) -> Option<(LocalWithOffset, Option<LocalWithOffset>)> {
    let one = |s: &str| -> Option<(LocalWithOffset, usize)> {
        let (date, end) = find_date(s)?;
        let rest = &s[end..];
        let open = rest.find('(')?;
        if rest[..open].trim().trim_matches(',').len() > 2 {
            return None;
        }
        let close = rest[open..].find(')')? + open;
        let inner = &rest[open + 1..close];
        let (t, used) = time_at(inner)?;
        let zone = inner[used..].trim();
        let off = if zone.is_empty() {
            0
        } else {
            utc_offset_in(zone)
                .or_else(|| zone.split_whitespace().next().and_then(abbreviation_offset))?
        };
        Some(((date.to_datetime(t), off), end + close + 1))
    };
    let (start, used) = one(s)?;
    let rest = &s[used..];
    let end = rest
        .trim_start()
        .strip_prefix(['-', '–', '—'])
        .and_then(one)
        .map(|x| x.0);
    Some((start, end))
}

const HONORIFICS: &[&str] = &[
    "H.E.",
    "HE",
    "H. E.",
    "Dr.",
    "Dr",
    "Prof.",
    "Prof",
    "Professor",
    "Mr.",
    "Mr",
    "Ms.",
    "Ms",
    "Mrs.",
    "Mrs",
    "Miss",
    "Mx.",
    "Amb.",
    "Ambassador",
    "Hon.",
    "Eng.",
    "Ing.",
    "Sir",
    "Dame",
    "Excellency",
    "His Excellency",
    "Her Excellency",
    "Rev.",
    "Sr.",
    "Sra.",
    "Mme",
    "M.",
];

/// "Dr. Konstantinos Komaitis" → (Some("Dr."), "Konstantinos Komaitis"); several
/// honorifics stay together ("H.E. Dr.").
pub(crate) fn split_honorific(s: &str) -> (Option<String>, String) {
    let mut rest = s.trim();
    let mut taken: Vec<&str> = Vec::new();
    'outer: loop {
        let mut sorted: Vec<&&str> = HONORIFICS.iter().collect();
        sorted.sort_by_key(|h| std::cmp::Reverse(h.len()));
        for h in sorted {
            if let Some(r) = rest.strip_prefix(*h) {
                if r.starts_with(' ') && r.trim().contains(|c: char| c.is_alphabetic()) {
                    taken.push(h);
                    rest = r.trim_start();
                    continue 'outer;
                }
            }
        }
        break;
    }
    let hon = (!taken.is_empty()).then(|| taken.join(" "));
    (hon, rest.to_string())
}

/// Roles agenda pages print under a speaker.
pub(crate) const ROLES: &[&str] = &[
    "moderator",
    "online moderator",
    "onsite moderator",
    "on-site moderator",
    "remote moderator",
    "co-moderator",
    "rapporteur",
    "speaker",
    "panellist",
    "panelist",
    "keynote speaker",
    "keynote",
    "high-level track facilitator",
    "facilitator",
    "discussant",
    "opening remarks",
    "closing remarks",
    "host",
    "organizer",
    "organiser",
];

pub(crate) fn is_role(s: &str) -> bool {
    let l = s.trim().trim_end_matches(':').to_lowercase();
    ROLES.contains(&l.as_str())
}

/// "C1. X C1. X" (2024–2025 pages print every label twice) → "C1. X".
pub(crate) fn undouble(s: &str) -> String {
    let t = s.trim();
    let n = t.len();
    if n >= 3 {
        let half = n / 2;
        for mid in [half, half.saturating_sub(1), half + 1] {
            if mid == 0 || mid >= n || !t.is_char_boundary(mid) {
                continue;
            }
            let (a, b) = t.split_at(mid);
            if !a.trim().is_empty() && a.trim() == b.trim() {
                return a.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// Participation modes from how a page says it: "Physical (on-site) and Virtual (remote)
/// participation", "Hybrid", "Online only" → `physical`, `virtual`.
pub(crate) fn modes_of(l: &str) -> Vec<String> {
    let x = l.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| x.contains(w));
    let mut m = Vec::new();
    if has(&["physical", "on-site", "onsite", "in person", "hybrid"]) {
        m.push("physical".to_string());
    }
    if has(&["virtual", "remote", "online", "hybrid"]) {
        m.push("virtual".to_string());
    }
    m
}

/// Strips list bullets: "- x", "• x", "* x", "1. x", "2) x".
pub(crate) fn strip_bullet(s: &str) -> Option<&str> {
    let t = s.trim_start();
    for b in ["- ", "• ", "* ", "– ", "· "] {
        if let Some(r) = t.strip_prefix(b) {
            return Some(r.trim());
        }
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 2 {
        let r = &t[digits..];
        if let Some(r) = r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")) {
            return Some(r.trim());
        }
    }
    None
}

/// The first integer in `s` after an optional word prefix ("Goal 16: …", "SDG 5",
/// "16.2", "Objective 3").
pub(crate) fn leading_number(s: &str) -> Option<u32> {
    let t = s.trim();
    let t = t
        .trim_start_matches(|c: char| c.is_alphabetic() || c == ' ' || c == '#')
        .trim_start();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_words() {
        let d = |s: &str| find_date(s).map(|x| x.0.to_string());
        assert_eq!(d("Thursday, 10 July 2025").as_deref(), Some("2025-07-10"));
        assert_eq!(
            d("Wednesday, 30th November, 2022 (09:00 UTC)").as_deref(),
            Some("2022-11-30")
        );
        assert_eq!(d("July 10, 2025").as_deref(), Some("2025-07-10"));
        assert_eq!(d("Room 10 July"), None);
        assert_eq!(d("31 February 2025"), None);
    }

    #[test]
    fn time_ranges() {
        let r = |s: &str| find_time_range(s).map(|(a, b, o)| (a.to_string(), b.to_string(), o));
        assert_eq!(
            r("10:00–10:45 (UTC+02:00)"),
            Some(("10:00:00".into(), "10:45:00".into(), Some(120)))
        );
        assert_eq!(
            r("10:00 – 11:30 CEST (UTC+02:00)"),
            Some(("10:00:00".into(), "11:30:00".into(), Some(120)))
        );
        assert_eq!(
            r("09:00-09:45"),
            Some(("09:00:00".into(), "09:45:00".into(), None))
        );
        assert_eq!(
            r("2:00 pm to 3:30 pm UTC"),
            Some(("14:00:00".into(), "15:30:00".into(), Some(0)))
        );
        assert_eq!(r("no time here 10:00"), None);
    }

    #[test]
    fn legacy_igf_range() {
        let (s, e) = find_legacy_range(
            "Wednesday, 30th November, 2022 (09:00 UTC) - Wednesday, 30th November, 2022 (10:30 UTC)",
        )
        .expect("legacy");
        assert_eq!(s.0.to_string(), "2022-11-30T09:00:00");
        assert_eq!(s.1, 0);
        assert_eq!(
            e.map(|e| e.0.to_string()).as_deref(),
            Some("2022-11-30T10:30:00")
        );
    }

    #[test]
    fn honorifics_and_doubles() {
        assert_eq!(
            split_honorific("Dr. Konstantinos Komaitis"),
            (Some("Dr.".into()), "Konstantinos Komaitis".into())
        );
        assert_eq!(
            split_honorific("H.E. Dr. Amina Yusuf"),
            (Some("H.E. Dr.".into()), "Amina Yusuf".into())
        );
        assert_eq!(split_honorific("Drew Smith"), (None, "Drew Smith".into()));
        assert_eq!(undouble("C9. Media C9. Media"), "C9. Media");
        assert_eq!(undouble("C9. Media"), "C9. Media");
        assert_eq!(leading_number("Goal 16: Promote"), Some(16));
        assert_eq!(leading_number("9.c"), Some(9));
    }
}
