//! The session model every importer produces. Its JSON is Plenary's documented agenda
//! schema (`docs/agenda-schema.md`): what `plenary sessions --json` prints, what the API
//! serves and what the JSON importer reads back.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

/// A speaker of a session, in page order, with what the page says about them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Speaker {
    /// The name without honorific.
    pub name: String,
    /// "Dr.", "H.E. Ms.", kept apart from the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific: Option<String>,
    /// Job title as printed ("Director, Digital Policy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// The organisation they speak for, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// "Moderator", "Rapporteur", "Online Moderator", "High-Level Track Facilitator", …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// As the page states it (IGF: "Civil Society"); self-declared by the organisers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder_group: Option<String>,
    /// UN regional group as the page states it (IGF: "WEOG").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional_group: Option<String>,
    /// What the page says about them in sentences, under their card; never a speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biography: Option<String>,
    /// True when stakeholder group / regional group were declared on the page, not inferred.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub self_declared: bool,
}

/// An organiser with what the page declares about it (IGF open forums and workshops).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Organizer {
    /// The organisation's name as printed.
    pub name: String,
    /// Its stakeholder group as declared ("Civil Society").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder_group: Option<String>,
    /// Its UN regional group as declared ("WEOG").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional_group: Option<String>,
}

/// A document a session page links or counts (report, presentation, recording).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Document {
    /// None when the page only says how many documents there are (text renderings).
    #[serde(default)]
    pub title: Option<String>,
    /// Where the document is, when the page links it.
    #[serde(default)]
    pub url: Option<String>,
}

/// One agenda session, whatever the source; its JSON is Plenary's agenda schema.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Session {
    /// The event it belongs to: "WSIS Forum 2025", "IGF 2024".
    pub event: String,
    /// Its number within the event: "400", "WS #58" (with `event`, its [`Session::id`]).
    pub number: String,
    /// The session's title.
    pub title: String,
    /// Organiser names as printed.
    #[serde(default)]
    pub organizers: Vec<String>,
    /// Organisers with their declared groups, when the page gives them (IGF).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizer_details: Vec<Organizer>,
    /// RFC 3339 with the page's offset (`2025-07-10T10:00:00+02:00`), or a local
    /// date-time without offset when the page gives none (`2019-04-08T09:00:00`).
    #[serde(default)]
    pub start: Option<String>,
    /// When it ends, in the same form as `start`.
    #[serde(default)]
    pub end: Option<String>,
    /// The building or site: "Palexpo".
    #[serde(default)]
    pub venue: Option<String>,
    /// The room within the venue: "Room G".
    #[serde(default)]
    pub room: Option<String>,
    /// "physical", "virtual"
    #[serde(default)]
    pub modes: Vec<String>,
    /// "captioning", "interpretation: Arabic, French", …
    #[serde(default)]
    pub access: Vec<String>,
    /// The session type as printed ("Workshop"); `type` in JSON.
    #[serde(default, rename = "type")]
    pub session_type: Option<String>,
    /// Documents the page links or counts.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The description, without the guiding questions.
    #[serde(default)]
    pub description: String,
    /// The questions the session sets out to discuss.
    #[serde(default)]
    pub guiding_questions: Vec<String>,
    /// Speakers, moderators and rapporteurs in page order.
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    /// What the source calls its speakers when it says (`Panellists`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers_label: Option<String>,
    /// Topic labels as the page prints them.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Codes: "C1", "C7.4".
    #[serde(default)]
    pub action_lines: Vec<String>,
    /// Sustainable Development Goals by number, 1–17.
    #[serde(default)]
    pub sdgs: Vec<u32>,
    /// Global Digital Compact objectives by number, 1–5.
    #[serde(default)]
    pub gdc_objectives: Vec<u32>,
    /// IGF subtheme / track labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subthemes: Vec<String>,
    /// The page it was read from, when known.
    #[serde(default)]
    pub source_url: Option<String>,
    /// Which importer read it: wsis-html, wsis-text, igf-html, igf-text, json, csv.
    #[serde(default)]
    pub source_format: String,
}

impl Session {
    /// Stable id: event and number, slugged ("wsis-forum-2025-400").
    pub fn id(&self) -> String {
        let s = plenary_frameworks::slug(&format!("{} {}", self.event, self.number));
        if s.is_empty() {
            "session".into()
        } else {
            s
        }
    }

    /// `start` parsed, when it is a date-time.
    pub fn start_moment(&self) -> Option<Moment> {
        self.start.as_deref().and_then(Moment::parse)
    }

    /// `end` parsed, when it is a date-time.
    pub fn end_moment(&self) -> Option<Moment> {
        self.end.as_deref().and_then(Moment::parse)
    }
}

/// A local date-time with its UTC offset when the source states one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// The wall-clock date and time as written.
    pub local: DateTime,
    /// Minutes east of UTC, when the source states the offset.
    pub offset_minutes: Option<i32>,
}

impl Moment {
    /// RFC 3339 of a local date-time and its offset, when known (see [`Moment::to_rfc3339`]).
    pub fn format(local: DateTime, offset_minutes: Option<i32>) -> String {
        Moment {
            local,
            offset_minutes,
        }
        .to_rfc3339()
    }

    /// `2025-07-10T10:00:00+02:00`, `2025-07-10T08:00:00Z` or `2019-04-08T09:00:00`.
    pub fn parse(s: &str) -> Option<Moment> {
        let s = s.trim();
        let (body, offset) = if let Some(b) = s.strip_suffix(['Z', 'z']) {
            (b, Some(0))
        } else if s.len() > 6 && s.is_char_boundary(s.len() - 6) {
            let (b, tail) = s.split_at(s.len() - 6);
            match parse_offset(tail) {
                Some(o) => (b, Some(o)),
                None => (s, None),
            }
        } else {
            (s, None)
        };
        let local: DateTime = body.parse().ok()?;
        Some(Moment {
            local,
            offset_minutes: offset,
        })
    }

    /// RFC 3339 with the offset when known, else a local `YYYY-MM-DDTHH:MM:SS`.
    pub fn to_rfc3339(&self) -> String {
        let base = self.local.strftime("%Y-%m-%dT%H:%M:%S").to_string();
        match self.offset_minutes {
            Some(0) if false => format!("{base}Z"),
            Some(o) => {
                let sign = if o < 0 { '-' } else { '+' };
                format!("{base}{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60)
            }
            None => base,
        }
    }

    /// Seconds since the epoch, when the offset is known.
    pub fn utc_seconds(&self) -> Option<i64> {
        let off = self.offset_minutes?;
        let ts = self
            .local
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp();
        Some(ts.as_second() - i64::from(off) * 60)
    }

    /// Seconds since the epoch, taking the local time as UTC when the offset is unknown
    /// (for sorting only).
    pub fn sort_key(&self) -> i64 {
        self.utc_seconds().unwrap_or_else(|| {
            self.local
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_second())
                .unwrap_or(0)
        })
    }
}

/// `+02:00` / `-05:30` → minutes.
pub(crate) fn parse_offset(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h: i32 = s.get(1..3)?.parse().ok()?;
    let m: i32 = s.get(4..6)?.parse().ok()?;
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}
