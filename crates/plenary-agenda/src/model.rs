//! The session model every importer produces. Its JSON is Plenary's documented agenda
//! schema (`docs/agenda-schema.md`): what `plenary sessions --json` prints, what the API
//! serves and what the JSON importer reads back.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// "Moderator", "Rapporteur", "Online Moderator", "High-Level Track Facilitator", …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// As the page states it (IGF: "Civil Society"); self-declared by the organisers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional_group: Option<String>,
    /// True when stakeholder group / regional group were declared on the page, not inferred.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub self_declared: bool,
}

/// An organiser with what the page declares about it (IGF open forums and workshops).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Organizer {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional_group: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// None when the page only says how many documents there are (text renderings).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub event: String,
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub organizers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizer_details: Vec<Organizer>,
    /// RFC 3339 with the page's offset (`2025-07-10T10:00:00+02:00`), or a local
    /// date-time without offset when the page gives none (`2019-04-08T09:00:00`).
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub room: Option<String>,
    /// "physical", "virtual"
    #[serde(default)]
    pub modes: Vec<String>,
    /// "captioning", "interpretation: Arabic, French", …
    #[serde(default)]
    pub access: Vec<String>,
    #[serde(default, rename = "type")]
    pub session_type: Option<String>,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub guiding_questions: Vec<String>,
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    /// Topic labels as the page prints them.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Codes: "C1", "C7.4".
    #[serde(default)]
    pub action_lines: Vec<String>,
    #[serde(default)]
    pub sdgs: Vec<u32>,
    #[serde(default)]
    pub gdc_objectives: Vec<u32>,
    /// IGF subtheme / track labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subthemes: Vec<String>,
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

    pub fn start_moment(&self) -> Option<Moment> {
        self.start.as_deref().and_then(Moment::parse)
    }

    pub fn end_moment(&self) -> Option<Moment> {
        self.end.as_deref().and_then(Moment::parse)
    }
}

/// A local date-time with its UTC offset when the source states one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub local: DateTime,
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
