//! IGF real-time captioning transcripts (the "RAW" pages of intgovforum.org), as HTML or
//! text: a title naming the event, the day and often the room ("IGF 2024 - Day 3 -
//! Workshop Room 10 - OF 33 …"), the notice that the text "should not be treated as an
//! authoritative record", then turns marked `>> NAME:` (or a bare `>>` when the captioner
//! did not know who spoke), with stage notes such as `[ Audio fading in and out ]` or
//! `(Applause).` between them.

use serde::{Deserialize, Serialize};

use crate::lines::{collapse, Line};

/// One turn: who spoke (as the captioner wrote it) and what they said.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Turn {
    /// The name as written ("THOMAS SCHNEIDER", "MODERATOR"); None for a bare `>>`.
    pub speaker: Option<String>,
    /// What was said, paragraphs separated by newlines, stage notes removed.
    pub text: String,
    /// Stage notes inside the turn ("[ Audio fading in and out ]", "(Applause).").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Turn {
    /// Words in the turn's text.
    pub fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// A transcript page read into turns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Transcript {
    /// The page's title as printed.
    pub title: String,
    /// "IGF 2024", when the title says.
    #[serde(default)]
    pub event: Option<String>,
    /// The day of the meeting ("Day 3" → 3; "Day 0" for the day before).
    #[serde(default)]
    pub day: Option<u32>,
    /// The room, when the title names one ("Workshop Room 10").
    #[serde(default)]
    pub room: Option<String>,
    /// The session's title, without event, day, room and "RAW".
    #[serde(default)]
    pub session_title: String,
    /// The page carries the captioners' notice that it is not an authoritative record.
    #[serde(default)]
    pub not_authoritative: bool,
    /// Turns in order.
    pub turns: Vec<Turn>,
    /// Stage notes before the first turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The page it was read from, when known.
    #[serde(default)]
    pub source_url: Option<String>,
}

impl Transcript {
    /// Named speakers in order of their first turn, each once.
    pub fn speakers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.turns {
            if let Some(s) = t.speaker.as_deref() {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }
}

const NOTICE: &str = "should not be treated as an authoritative record";

/// Does this text look like a captioning transcript: the notice, or at least three
/// `>> NAME:` turns — and not mail: an archive of mail has `>>` lines too (every
/// second-level quote), so a text that opens like an mbox or a message is never
/// a transcript.
pub(crate) fn looks_like(text: &str) -> bool {
    if looks_like_mail(text) {
        return false;
    }
    text.contains(NOTICE)
        || text
            .lines()
            .filter_map(turn_start)
            .filter(|(speaker, _)| speaker.is_some())
            .take(3)
            .count()
            >= 3
}

/// An mbox or pipermail text archive (`From x at y  Thu Dec 11 05:57:05 2003`
/// first), or a message (three or more header fields among its first lines).
fn looks_like_mail(text: &str) -> bool {
    let head: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(40)
        .collect();
    let headers = head
        .iter()
        .filter(|l| {
            let x = l.to_ascii_lowercase();
            [
                "from:",
                "date:",
                "subject:",
                "message-id:",
                "to:",
                "in-reply-to:",
            ]
            .iter()
            .any(|h| x.starts_with(h))
        })
        .count();
    head.first().is_some_and(|l| l.starts_with("From ")) || headers >= 3
}

/// `>> NAME: text` → (Some(NAME), text); `>> text` → (None, text).
fn turn_start(line: &str) -> Option<(Option<String>, &str)> {
    let rest = line.trim_start().strip_prefix(">>")?.trim_start();
    if let Some(colon) = rest.find(':') {
        let name = rest[..colon].trim();
        let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
        let upper = letters.iter().filter(|c| c.is_uppercase()).count();
        let plausible = !letters.is_empty()
            && name.chars().count() <= 60
            && upper * 10 >= letters.len() * 7
            && !name.contains(['?', '!']);
        if plausible {
            return Some((Some(collapse(name)), rest[colon + 1..].trim()));
        }
    }
    Some((None, rest))
}

/// A stage note on a line of its own: "[ Audio fading in and out ]", "(Applause).",
/// "(Pause)"; a note cut by the end of the page ("[ Audio fading") counts too.
fn stage_note(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t.trim_end_matches('.');
    let bracketed = (inner.starts_with('[') && (inner.ends_with(']') || !inner.contains(']')))
        || (inner.starts_with('(') && inner.ends_with(')') && inner.len() <= 80);
    (bracketed && inner.len() > 2).then(|| t.to_string())
}

const ROOM_WORDS: &[&str] = &[
    "room",
    "hall",
    "plenary",
    "auditorium",
    "theater",
    "theatre",
    "studio",
    "stage",
    "salle",
    "saal",
];

/// Splits `s` at its first " - " / " – " / "-X" / "X- " separator: (head, tail). A
/// dash between two letters ("Multi-stakeholder") is a hyphen, not a separator.
fn split_dash(s: &str) -> (&str, Option<&str>) {
    let b = s.as_bytes();
    for (i, c) in s.char_indices() {
        if c == '-' || c == '–' || c == '—' {
            let before_space = i == 0 || b[i - 1] == b' ';
            let after_space = b.get(i + c.len_utf8()) == Some(&b' ');
            if before_space || after_space {
                let after = &s[i + c.len_utf8()..];
                return (s[..i].trim(), Some(after.trim()));
            }
        }
    }
    (s.trim(), None)
}

/// "IGF 2024-Day 3 -Workshop Room 10 -OF 33 Title" → event, day, room, session title.
fn read_title(t: &str) -> (Option<String>, Option<u32>, Option<String>, String) {
    let title = t.trim();
    let Some(rest) = title.strip_prefix("IGF ") else {
        return (None, None, None, clean_title(title));
    };
    let year: String = rest.chars().take(4).collect();
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return (None, None, None, clean_title(title));
    }
    let event = Some(format!("IGF {year}"));
    let mut rest = rest[4..]
        .trim_start_matches([' ', '-', '–', '—'])
        .trim_start();
    let mut day = None;
    if let Some(r) = rest.strip_prefix("Day ") {
        let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(d) = digits.parse::<u32>() {
            day = Some(d);
            rest = r[digits.len()..].trim_start_matches([' ', '-', '–', '—']);
        }
    }
    if day.is_none() {
        // "IGF 2019 Third Open Consultations and MAG Meeting Day 1", "… - Day 1"
        if let Some((d, head)) = trailing_day(rest) {
            day = Some(d);
            rest = head;
        }
    }
    let (head, tail) = split_dash(rest);
    let mut room = None;
    let mut session = rest;
    if let Some(tail) = tail {
        let h = head.to_lowercase();
        if head.chars().count() <= 40 && ROOM_WORDS.iter().any(|w| h.contains(w)) {
            room = Some(head.to_string());
            session = tail;
        }
    }
    (event, day, room, clean_title(session))
}

/// "Meeting - Day 1" → (1, "Meeting"): a day named at the end of a title, also before
/// a part of the day ("Day 3 Afternoon", "Day 2 - Morning", "Day 1 Part 2").
fn trailing_day(s: &str) -> Option<(u32, &str)> {
    let mut t = s.trim_end();
    let lower = t.to_lowercase();
    for part in ["morning", "afternoon", "evening", "session"] {
        if lower.ends_with(part) {
            t = t[..t.len() - part.len()].trim_end_matches([' ', '-', '–', '—']);
            break;
        }
    }
    if let Some((head, n)) = t.rsplit_once(' ') {
        let head = head.trim_end();
        if n.chars().all(|c| c.is_ascii_digit()) && head.to_lowercase().ends_with("part") {
            t = head[..head.len() - 4].trim_end_matches([' ', '-', '–', '—']);
        }
    }
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return None;
    }
    let d: u32 = t[t.len() - digits..].parse().ok()?;
    let before = t[..t.len() - digits].trim_end();
    let head = before
        .strip_suffix("Day")
        .or_else(|| before.strip_suffix("day"))?;
    if !head.is_empty() && !head.ends_with([' ', '-', '–', '—']) {
        return None;
    }
    Some((d, head.trim_end_matches([' ', '-', '–', '—'])))
}

fn clean_title(s: &str) -> String {
    let mut t = s.trim().to_string();
    for suffix in [".rtf", "(Raw)", "(RAW)", "RAW", "Raw", "-", "–"] {
        if let Some(x) = t.strip_suffix(suffix) {
            t = x.trim().to_string();
        }
    }
    t
}

/// "IGF 2024 - Day 3 - …", "IGF 2021 – Day 2 – …": a transcript's title line.
fn is_igf_title(t: &str) -> bool {
    let (event, day, _, _) = read_title(t);
    event.is_some() && day.is_some()
}

/// Reads the lines of a transcript page (from its text rendering or its DOM).
pub(crate) fn parse(lines: &[Line]) -> Result<Transcript, String> {
    let mut tr = Transcript::default();
    let mut cur: Option<Turn> = None;
    let mut title_seen = false;
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() || t == "***" {
            if let Some(c) = cur.as_mut() {
                if !c.text.is_empty() && !c.text.ends_with('\n') {
                    c.text.push('\n');
                }
            }
            continue;
        }
        if t.contains(NOTICE) {
            tr.not_authoritative = true;
            continue;
        }
        if let Some((speaker, text)) = turn_start(t) {
            if let Some(c) = cur.take() {
                tr.turns.push(finish(c));
            }
            let mut turn = Turn {
                speaker,
                ..Turn::default()
            };
            turn.text.push_str(text);
            cur = Some(turn);
            continue;
        }
        if let Some(note) = stage_note(t) {
            match cur.as_mut() {
                Some(c) => c.notes.push(note),
                None => tr.notes.push(note),
            }
            continue;
        }
        match cur.as_mut() {
            Some(c) => {
                if !c.text.is_empty() && !c.text.ends_with('\n') {
                    c.text.push(' ');
                }
                c.text.push_str(t);
            }
            // the title: the first line, unless a later one before the turns names the
            // event ("IGF 2024 - Day 3 - …": site menus come first in HTML)
            None if !title_seen || !tr.title.starts_with("IGF ") && is_igf_title(t) => {
                title_seen = true;
                tr.title = t.to_string();
            }
            None => {}
        }
    }
    if let Some(c) = cur.take() {
        tr.turns.push(finish(c));
    }
    if tr.turns.is_empty() {
        return Err("no turns (`>>` lines) in the transcript".into());
    }
    let (event, day, room, session) = read_title(&tr.title);
    tr.event = event;
    tr.day = day;
    tr.room = room;
    tr.session_title = session;
    Ok(tr)
}

fn finish(mut t: Turn) -> Turn {
    t.text = t
        .text
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_of_transcript_pages() {
        assert_eq!(
            read_title("IGF 2024-Day 3 -Workshop Room 10 -OF 33 Open Consultation Process"),
            (
                Some("IGF 2024".into()),
                Some(3),
                Some("Workshop Room 10".into()),
                "OF 33 Open Consultation Process".into()
            )
        );
        assert_eq!(
            read_title("IGF 2021 – Day 2 – OF #30 WSIS Action Lines Achieving the SDGs"),
            (
                Some("IGF 2021".into()),
                Some(2),
                None,
                "OF #30 WSIS Action Lines Achieving the SDGs".into()
            )
        );
        let (_, day, room, title) = read_title("IGF 2025 - Day 00 -Plenary Hall - Welcome Raw");
        assert_eq!(
            (day, room.as_deref(), title.as_str()),
            (Some(0), Some("Plenary Hall"), "Welcome")
        );
        let (_, _, room, title) = read_title("IGF 2023 – Day 1 – Newcomers Session – RAW");
        assert_eq!((room, title.as_str()), (None, "Newcomers Session"));
        // dashes glued to the word before them
        let (_, day, room, title) = read_title("IGF 2024- Day 4- Plenary- Main Session on Trust");
        assert_eq!(
            (day, room.as_deref(), title.as_str()),
            (Some(4), Some("Plenary"), "Main Session on Trust")
        );
        let (_, _, _, title) = read_title("IGF 2024 - Day 1 - Room 2 - Multi-stakeholder Data");
        assert_eq!(title, "Multi-stakeholder Data");
        // the day at the end of the title, with or without a dash
        let (event, day, _, title) = read_title("IGF 2019 Second Open Consultations Day 3");
        assert_eq!(
            (event.as_deref(), day, title.as_str()),
            (Some("IGF 2019"), Some(3), "Second Open Consultations")
        );
        let (_, day, _, title) = read_title("IGF 2021 First Consultations & MAG Meeting - Day 2");
        assert_eq!(
            (day, title.as_str()),
            (Some(2), "First Consultations & MAG Meeting")
        );
        let (_, day, _, title) = read_title("IGF 2019 Second Consultations Day 3 Afternoon");
        assert_eq!((day, title.as_str()), (Some(3), "Second Consultations"));
        let (_, day, _, _) = read_title("IGF 2020 MAG Meeting - Day 2 - Morning");
        assert_eq!(day, Some(2));
        let (_, day, _, _) = read_title("IGF 2021 MAG Meeting Day 1 Part 2");
        assert_eq!(day, Some(1));
        let (_, day, _, _) = read_title("IGF 2021 Town Hall Evening");
        assert_eq!(day, None);
        let (_, day, _, title) = read_title("IGF 2022 Holiday 5");
        assert_eq!((day, title.as_str()), (None, "Holiday 5"));
    }

    #[test]
    fn the_title_line_after_site_menus() {
        let text = "Home\nAbout\nIGF 2024 - Day 2 - Room 4 - WS #9 Data - RAW\n\n>> CHAIR: Welcome.\n>> ANA LIMA: Thanks.\n>> CHAIR: Bye.";
        let t = parse(&crate::lines::text_lines(text)).expect("transcript");
        assert_eq!(t.title, "IGF 2024 - Day 2 - Room 4 - WS #9 Data - RAW");
        assert_eq!(t.room.as_deref(), Some("Room 4"));
        assert_eq!(t.turns.len(), 3);
    }

    /// Mail quotes two levels deep start with `>>` as turns do: a pipermail text
    /// archive, an mbox or one message is never a transcript, whatever it quotes.
    #[test]
    fn mail_with_nested_quotes_is_not_a_transcript() {
        let quotes = ">> ANA LIMA: the draft is attached.\n>> BOB ROE: thanks.\n>> CHAIR: noted.\n";
        let pipermail = format!(
            "From ana at example.org  Thu Dec 11 05:57:05 2003\nFrom: ana at example.org (Ana Lima)\nDate: Thu, 11 Dec 2003 05:57:05 +0000\nSubject: [list] notes\n\n{quotes}"
        );
        assert!(!looks_like(&pipermail));
        let message = format!(
            "Received: by example.org\nFrom: Ana Lima <ana@example.org>\nTo: list@example.org\nSubject: notes\nDate: Thu, 11 Dec 2003 05:57:05 +0000\n\n{quotes}"
        );
        assert!(!looks_like(&message));
        // quoted prose, no speakers: not turns either
        assert!(!looks_like(">> I agree.\n>> So do I.\n>> Fine.\n"));
        // the transcript itself
        assert!(looks_like(&format!(
            "IGF 2024 - Day 2 - Room 4 - WS #9 Data - RAW\n\n{quotes}"
        )));
    }

    #[test]
    fn turns_names_and_notes() {
        assert_eq!(
            turn_start(">> THOMAS SCHNEIDER: We'll see."),
            Some((Some("THOMAS SCHNEIDER".into()), "We'll see."))
        );
        assert_eq!(
            turn_start(">> And to be trusted."),
            Some((None, "And to be trusted."))
        );
        assert_eq!(
            turn_start(">> Note: this is lower case"),
            Some((None, "Note: this is lower case"))
        );
        assert_eq!(
            stage_note("[ Audio fading in and out ]").as_deref(),
            Some("[ Audio fading in and out ]")
        );
        assert_eq!(stage_note("(Applause)."), Some("(Applause).".into()));
        assert_eq!(
            stage_note("(a) the first point is long enough to be said"),
            None
        );
    }
}
