//! A session's metadata recognised by its vocabulary wherever it sits: a WSIS Forum page
//! prints date, time with its UTC offset, participation modes, room and venue,
//! captioning and interpretation, session type and a document count either on lines of
//! their own or run together on one line ("Monday, 7 July 2025 09:34–10:30 (UTC+02:00)
//! Physical (on-site) and Virtual (remote) participation Plenary Room C, Palexpo
//! Real-time captioning Interpretation: EN/FR High-Level Dialogue 1 Document"). Each
//! known phrase is cut out of the text; what is left is a room (with a known venue or a
//! room word) or, when nothing else claims it, the session type.

use jiff::civil::Date;

use crate::lines::{find_date_span, find_time_range_span, modes_of, TimeRange};

/// The longest text [`scan`] reads as a header.
const MAX_HEADER: usize = 2000;

/// What the header of a session page says, filled in as lines are scanned.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Meta {
    pub date: Option<Date>,
    pub times: Option<TimeRange>,
    pub modes: Vec<String>,
    pub access: Vec<String>,
    pub room: Option<String>,
    pub venue: Option<String>,
    pub session_type: Option<String>,
    pub documents: Option<usize>,
}

/// How participation is printed, longest first (matched without case).
const MODES: &[&str] = &[
    "physical (on-site) and virtual (remote) participation",
    "physical (on-site) participation",
    "virtual (remote) participation",
    "physical and virtual participation",
    "on-site and remote participation",
    "onsite and online participation",
    "hybrid participation",
    "in-person participation",
    "on-site participation",
    "online participation",
    "remote participation",
    "virtual participation",
    "physical participation",
    "hybrid session",
    "online only",
    "virtual only",
    "in person",
];

/// Modes a fragment may say on its own ("Virtual", "Hybrid").
const MODE_WORDS: &[&str] = &[
    "virtual", "physical", "online", "hybrid", "onsite", "on-site", "remote",
];

/// Accessibility notes, longest first; "Interpretation:" takes its languages along.
const ACCESS: &[&str] = &[
    "real-time captioning",
    "real time captioning",
    "live captioning",
    "closed captioning",
    "international sign language",
    "sign language interpretation",
    "sign language",
    "captioning",
];

/// Session types the WSIS Forum prints, longest first.
const TYPES: &[&str] = &[
    "Interactive Action Line Facilitation Meeting",
    "Action Line Facilitation Meeting",
    "WSIS Action Line Facilitation Meeting",
    "High-Level Policy Session",
    "High-Level Dialogue",
    "High-level Dialogue",
    "Ministerial Round Table",
    "Ministerial Roundtable",
    "Interactive Session",
    "Thematic Workshop",
    "Country Workshop",
    "Interactive Workshop",
    "Knowledge Café",
    "Knowledge Cafe",
    "Special Track",
    "Leaders TalkX",
    "Opening Segment",
    "Opening Ceremony",
    "Closing Ceremony",
    "Prize Ceremony",
    "Training Session",
    "Hackathon",
    "Side Event",
    "Networking Event",
    "Photo Exhibition",
    "Exhibition",
    "Open Consultation Meeting",
    "Workshop",
    "Ceremony",
];

/// Venues of the WSIS Forum and of ITU meetings, longest first.
const VENUES: &[&str] = &[
    "ITU Montbrillant Building",
    "ITU Tower Building",
    "ITU Varembé Building",
    "ITU Varembe Building",
    "ITU Headquarters",
    "ITU Montbrillant",
    "ITU Tower",
    "ITU Varembé",
    "Palexpo",
    "CICG",
];

/// Words that make a fragment a room.
const ROOM_WORDS: &[&str] = &[
    "room",
    "hall",
    "studio",
    "stage",
    "salle",
    "auditorium",
    "lounge",
    "theatre",
    "theater",
];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Case-insensitive whole-phrase search of `needle` in `hay` from byte `from`.
fn find_phrase(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let lower = hay.to_lowercase();
    // to_lowercase can change byte lengths outside ASCII: only search when it does not
    if lower.len() != hay.len() {
        return hay.get(from..)?.find(needle).map(|p| p + from);
    }
    let n = needle.to_lowercase();
    let hb = hay.as_bytes();
    let mut at = from;
    while let Some(p) = lower.get(at..)?.find(&n) {
        let s = at + p;
        let e = s + n.len();
        let before_ok = s == 0 || !is_word_byte(hb[s - 1]) || !is_word_byte(n.as_bytes()[0]);
        let after_ok = e >= hb.len()
            || !is_word_byte(hb[e])
            || !is_word_byte(*n.as_bytes().last().unwrap_or(&b' '));
        if before_ok && after_ok {
            return Some(s);
        }
        at = s + 1;
        while at < hay.len() && !hay.is_char_boundary(at) {
            at += 1;
        }
    }
    None
}

/// Byte ranges of `s` already claimed by a field.
struct Claims(Vec<(usize, usize)>);

impl Claims {
    fn free(&self, s: usize, e: usize) -> bool {
        self.0.iter().all(|&(a, b)| e <= a || s >= b)
    }
    fn take(&mut self, s: usize, e: usize) {
        self.0.push((s, e));
    }
    /// The unclaimed pieces of `text`, trimmed of separators.
    fn rest<'a>(&self, text: &'a str) -> Vec<(usize, &'a str)> {
        let mut spans = self.0.clone();
        spans.sort_unstable();
        let mut out = Vec::new();
        let mut at = 0;
        for (a, b) in spans
            .into_iter()
            .chain(std::iter::once((text.len(), text.len())))
        {
            if a > at {
                if let Some(piece) = text.get(at..a) {
                    let t =
                        piece.trim_matches(|c: char| c.is_whitespace() || ",;|·•-–".contains(c));
                    if t.chars().any(char::is_alphanumeric) {
                        let off = at + piece.find(t).unwrap_or(0);
                        out.push((off, t));
                    }
                }
            }
            at = at.max(b);
        }
        out
    }
}

/// "1 Document", "2 Documents" anywhere in the text: the count and its range.
fn document_count(s: &str) -> Option<(usize, usize, usize)> {
    ["documents", "document"]
        .iter()
        .find_map(|w| count_of(s, w))
}

fn count_of(s: &str, word: &str) -> Option<(usize, usize, usize)> {
    let mut from = 0;
    while let Some(p) = find_phrase(s, word, from) {
        from = p + 1;
        let before = s[..p].trim_end();
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if digits.is_empty() || before.len() == s[..p].len() {
            continue;
        }
        let start = before.len() - digits.len();
        if start > 0 && is_word_byte(s.as_bytes()[start - 1]) {
            continue;
        }
        let end = p + word.len();
        if let Ok(n) = digits.parse() {
            return Some((n, start, end));
        }
    }
    None
}

/// "Interpretation: EN/FR", "Interpretation: English, French" → the note and its range.
fn interpretation(s: &str) -> Option<(usize, usize)> {
    let p = find_phrase(s, "interpretation", 0)?;
    let mut end = p + "interpretation".len();
    let after = &s[end..];
    if let Some(langs) = after.strip_prefix(':') {
        let lead = langs.len() - langs.trim_start().len();
        let l = langs.trim_start();
        // language codes (EN/FR/ES) or names separated by "/" and ", "
        let mut take = 0;
        let mut words = 0;
        for (i, c) in l.char_indices() {
            if c.is_alphabetic() || c == '/' {
                take = i + c.len_utf8();
                continue;
            }
            if c == ',' && l[i + 1..].starts_with(' ') && words < 6 {
                words += 1;
                continue;
            }
            if c == ' ' && l[..i].ends_with(',') {
                continue;
            }
            break;
        }
        end += 1 + lead + take;
    }
    Some((p, end))
}

/// Scans one line (or a whole run-together header) for the fields it carries; returns
/// how many fields it recognised and the pieces no field claimed.
pub(crate) fn scan<'a>(text: &'a str, m: &mut Meta) -> (usize, Vec<&'a str>) {
    // a header, even run together, is a few hundred characters: longer text is prose,
    // and the phrase search below stays linear in what it is given
    if text.len() > MAX_HEADER {
        return (0, vec![text]);
    }
    let mut claims = Claims(Vec::new());
    let mut found = 0;
    if let Some((d, a, b)) = find_date_span(text) {
        if m.date.is_none() {
            m.date = Some(d);
        }
        claims.take(a, b);
        found += 1;
    }
    if let Some((r, a, b)) = find_time_range_span(text) {
        if m.times.is_none() {
            m.times = Some(r);
        }
        claims.take(a, b);
        found += 1;
    }
    if let Some((n, a, b)) = document_count(text) {
        if claims.free(a, b) {
            m.documents = Some(n);
            claims.take(a, b);
            found += 1;
        }
    }
    for phrase in MODES {
        if let Some(p) = find_phrase(text, phrase, 0) {
            let e = p + phrase.len();
            if claims.free(p, e) {
                for x in modes_of(&text[p..e]) {
                    if !m.modes.contains(&x) {
                        m.modes.push(x);
                    }
                }
                claims.take(p, e);
                found += 1;
            }
        }
    }
    let mut access: Vec<(usize, String)> = Vec::new();
    if let Some((a, b)) = interpretation(text) {
        if claims.free(a, b) {
            access.push((a, text[a..b].trim().to_string()));
            claims.take(a, b);
        }
    }
    for phrase in ACCESS {
        if let Some(p) = find_phrase(text, phrase, 0) {
            let e = p + phrase.len();
            if claims.free(p, e) {
                access.push((p, text[p..e].to_string()));
                claims.take(p, e);
            }
        }
    }
    access.sort();
    let access_count = access.len();
    found += access.len();
    m.access.extend(access.into_iter().map(|(_, a)| a));
    // the type: the known phrase nearest the end (a title-like room never holds one)
    let mut best: Option<(usize, usize)> = None;
    for phrase in TYPES {
        let mut from = 0;
        while let Some(p) = find_phrase(text, phrase, from) {
            let e = p + phrase.len();
            if claims.free(p, e) && best.is_none_or(|(bp, be)| e > be || (e == be && p < bp)) {
                best = Some((p, e));
            }
            from = p + 1;
            while from < text.len() && !text.is_char_boundary(from) {
                from += 1;
            }
        }
    }
    if let Some((a, b)) = best {
        // only when the phrase is the fragment's end: "Workshop Room 2" is a room
        let tail = text[b..].trim_start();
        let next_is_room = ROOM_WORDS
            .iter()
            .any(|w| tail.to_lowercase().starts_with(w));
        if !next_is_room {
            if m.session_type.is_none() {
                m.session_type = Some(text[a..b].to_string());
            }
            claims.take(a, b);
            found += 1;
        }
    }
    // venues: the room is what precedes them in their piece
    let mut rest: Vec<&str> = Vec::new();
    for (_, piece) in claims.rest(text) {
        if let Some((room, venue, after)) = room_at_venue(piece) {
            if m.room.is_none() {
                m.room = room;
                m.venue = Some(venue);
            }
            found += 1;
            if let Some(a) = after {
                rest.push(a);
            }
        } else if is_roomish(piece) && piece.len() <= 60 {
            if m.room.is_none() {
                let (room, venue) = room_and_venue(piece);
                m.room = room;
                m.venue = venue;
            }
            found += 1;
        } else if MODE_WORDS.contains(&piece.to_lowercase().as_str()) {
            for x in modes_of(piece) {
                if !m.modes.contains(&x) {
                    m.modes.push(x);
                }
            }
            found += 1;
        } else {
            rest.push(piece);
        }
    }
    if access_count > 1 && found == access_count && rest.is_empty() {
        // one note on its own line ("Captioning; interpretation: French, Spanish") stays whole
        m.access.truncate(m.access.len() - access_count);
        m.access.push(text.trim().to_string());
    }
    (found, rest)
}

fn is_roomish(s: &str) -> bool {
    let l = s.to_lowercase();
    ROOM_WORDS.iter().any(|w| find_phrase(&l, w, 0).is_some())
}

/// "Plenary Room C, Palexpo" → (room, venue, text after the venue).
fn room_at_venue(piece: &str) -> Option<(Option<String>, String, Option<&str>)> {
    let (at, v) = VENUES
        .iter()
        .find_map(|v| find_phrase(piece, v, 0).map(|p| (p, *v)))?;
    let before = piece[..at].trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '-');
    let after_at = at + v.len();
    let after = piece[after_at..].trim_matches(|c: char| c.is_whitespace() || c == ',');
    let (room, after) = if before.is_empty() && is_roomish(after) {
        // "CICG, Room 1"
        (Some(after.to_string()), None)
    } else {
        (
            (!before.is_empty()).then(|| before.to_string()),
            (!after.is_empty()).then_some(after),
        )
    };
    Some((room, piece[at..after_at].to_string(), after))
}

/// "Room G, Palexpo" → (room, venue); "CICG, Room 1" → ("Room 1", "CICG").
pub(crate) fn room_and_venue(l: &str) -> (Option<String>, Option<String>) {
    let parts: Vec<&str> = l
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return (Some(l.trim().to_string()), None);
    }
    if let Some(i) = parts.iter().position(|p| is_roomish(p)) {
        let venue: Vec<&str> = parts
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| *p)
            .collect();
        (Some(parts[i].to_string()), Some(venue.join(", ")))
    } else {
        (Some(parts[0].to_string()), Some(parts[1..].join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(lines: &[&str]) -> (Meta, Vec<String>) {
        let mut m = Meta::default();
        let mut left = Vec::new();
        for l in lines {
            let (_, rest) = scan(l, &mut m);
            left.extend(rest.into_iter().map(str::to_string));
        }
        (m, left)
    }

    #[test]
    fn one_line_header_of_a_2025_page() {
        let (m, left) = meta(&["Monday, 7 July 2025 09:34–10:30 (UTC+02:00) Physical (on-site) and Virtual (remote) participation Plenary Room C, Palexpo Real-time captioning Interpretation: EN/FR High-Level Dialogue 1 Document"]);
        assert_eq!(m.date.map(|d| d.to_string()).as_deref(), Some("2025-07-07"));
        let (a, b, off) = m.times.expect("times");
        assert_eq!(
            (a.to_string(), b.to_string(), off),
            ("09:34:00".into(), "10:30:00".into(), Some(120))
        );
        assert_eq!(m.modes, ["physical", "virtual"]);
        assert_eq!(m.room.as_deref(), Some("Plenary Room C"));
        assert_eq!(m.venue.as_deref(), Some("Palexpo"));
        assert_eq!(m.access, ["Real-time captioning", "Interpretation: EN/FR"]);
        assert_eq!(m.session_type.as_deref(), Some("High-Level Dialogue"));
        assert_eq!(m.documents, Some(1));
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn fields_on_lines_of_their_own() {
        let (m, left) = meta(&[
            "Thursday, 15 February 2024",
            "14:00–15:00 (UTC+01:00)",
            "Physical (on-site) and Virtual (remote) participation",
            "Room L, ITU Montbrillant Building",
            "Interactive Session",
            "2 Documents",
        ]);
        assert_eq!(m.room.as_deref(), Some("Room L"));
        assert_eq!(m.venue.as_deref(), Some("ITU Montbrillant Building"));
        assert_eq!(m.session_type.as_deref(), Some("Interactive Session"));
        assert_eq!(m.documents, Some(2));
        assert_eq!(m.modes, ["physical", "virtual"]);
        assert!(left.is_empty());
    }

    #[test]
    fn no_modes_no_documents_and_an_unknown_type_left_over() {
        let (m, left) = meta(&["Monday, 13 February 2023 14:00–15:00 (UTC+01:00) Room A, ITU Tower Building Strategy Dialogue"]);
        assert_eq!(m.room.as_deref(), Some("Room A"));
        assert_eq!(m.venue.as_deref(), Some("ITU Tower Building"));
        assert!(m.modes.is_empty());
        assert_eq!(m.documents, None);
        assert_eq!(left, ["Strategy Dialogue"]);
        let (m, _) = meta(&[
            "CICG, Room 2",
            "Virtual",
            "CEST 10:00 – 11:30 CEST (UTC+02:00)",
        ]);
        assert_eq!(m.room.as_deref(), Some("Room 2"));
        assert_eq!(m.venue.as_deref(), Some("CICG"));
        assert_eq!(m.modes, ["virtual"]);
        assert_eq!(m.times.and_then(|t| t.2), Some(120));
    }

    #[test]
    fn long_text_is_never_a_header() {
        let long = "Workshop Room 1, Palexpo 1 Document ".repeat(200);
        let (found, rest) = scan(&long, &mut Meta::default());
        assert_eq!((found, rest.len()), (0, 1));
    }

    #[test]
    fn prose_is_not_metadata() {
        let (m, left) = meta(&[
            "The session brings ministers to the room to discuss how documents are shared.",
        ]);
        assert_eq!(m.documents, None);
        assert_eq!(m.room, None);
        assert_eq!(left.len(), 1);
    }
}
