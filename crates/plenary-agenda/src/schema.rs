//! Plenary's own agenda schema, for agendas from anywhere else: JSON (the session model's
//! serde form, documented in `docs/agenda-schema.md`) and a flat CSV with one session per
//! row.

use crate::model::{Document, Session, Speaker};

/// JSON: an array of sessions, `{"sessions": [...]}`, or one session object.
pub(crate) fn parse_json(text: &str) -> Result<Vec<Session>, String> {
    // Parse as a value first so an error names the session (by index) that is wrong.
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let items: Vec<serde_json::Value> = match value {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(mut o) => match o.remove("sessions") {
            Some(serde_json::Value::Array(a)) => a,
            Some(_) => return Err("\"sessions\" is not an array".into()),
            None => vec![serde_json::Value::Object(o)],
        },
        _ => return Err("expected an array of sessions or an object".into()),
    };
    let mut out = Vec::new();
    for (i, v) in items.into_iter().enumerate() {
        let s: Session = serde_json::from_value(normalise_json(v))
            .map_err(|e| format!("session {} (0-based {i}): {e}", i + 1))?;
        check(&s).map_err(|e| format!("session {}: {e}", i + 1))?;
        out.push(s);
    }
    Ok(out)
}

/// Accept the spellings other tools (and older Plenary generators) write: a numeric
/// `number`, `organisers`, `session_type`, `participation` as one string.
fn normalise_json(mut v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    if let Value::Object(o) = &mut v {
        if let Some(Value::Number(n)) = o.get("number") {
            let s = n.to_string();
            o.insert("number".into(), Value::String(s));
        }
        if let Some(x) = o.remove("organisers") {
            o.entry("organizers").or_insert(x);
        }
        if let Some(x) = o.remove("session_type") {
            o.entry("type").or_insert(x);
        }
        if let Some(Value::String(p)) = o.remove("participation") {
            let m = crate::lines::modes_of(&p)
                .into_iter()
                .map(Value::String)
                .collect();
            o.entry("modes").or_insert(Value::Array(m));
        }
        if !o.contains_key("source_format") {
            o.insert("source_format".into(), Value::String("json".into()));
        }
    }
    v
}

fn check(s: &Session) -> Result<(), String> {
    if s.title.trim().is_empty() {
        return Err("no title".into());
    }
    if s.event.trim().is_empty() {
        return Err("no event".into());
    }
    for (k, v) in [("start", &s.start), ("end", &s.end)] {
        if let Some(v) = v {
            if crate::model::Moment::parse(v).is_none() {
                return Err(format!(
                    "{k} {v:?} is not an RFC 3339 date-time (or a local YYYY-MM-DDTHH:MM:SS)"
                ));
            }
        }
    }
    if let Some(n) = s.sdgs.iter().find(|n| !(1..=17).contains(*n)) {
        return Err(format!("SDG {n} does not exist (1–17)"));
    }
    if let Some(n) = s.gdc_objectives.iter().find(|n| !(1..=5).contains(*n)) {
        return Err(format!("GDC objective {n} does not exist (1–5)"));
    }
    Ok(())
}

/// The CSV columns, in order. Lists inside a cell are separated by `;`; free-text lists
/// (guiding questions, documents, speakers) by line breaks; a speaker is
/// `name | honorific | position | organization | role`, a document `title | url`.
pub const CSV_COLUMNS: &[&str] = &[
    "event",
    "number",
    "title",
    "start",
    "end",
    "venue",
    "room",
    "modes",
    "type",
    "organizers",
    "description",
    "guiding_questions",
    "documents",
    "speakers",
    "topics",
    "action_lines",
    "sdgs",
    "gdc_objectives",
    "source_url",
];

fn split_list(s: &str, sep: char) -> Vec<String> {
    s.split(sep)
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub(crate) fn parse_csv(bytes: &[u8]) -> Result<Vec<Session>, String> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = rdr.headers().map_err(|e| format!("header: {e}"))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    for required in ["event", "title"] {
        if col(required).is_none() {
            return Err(format!(
                "no \"{required}\" column (columns: {})",
                CSV_COLUMNS.join(",")
            ));
        }
    }
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2; // 1-based, after the header
        let rec = rec.map_err(|e| format!("row {row}: {e}"))?;
        let get = |name: &str| col(name).and_then(|c| rec.get(c)).unwrap_or("");
        let numbers = |name: &str| -> Result<Vec<u32>, String> {
            split_list(get(name), ';')
                .iter()
                .map(|x| {
                    x.parse::<u32>()
                        .map_err(|_| format!("row {row}: {name} {x:?} is not a number"))
                })
                .collect()
        };
        let s = Session {
            event: get("event").trim().to_string(),
            number: get("number").trim().to_string(),
            title: get("title").trim().to_string(),
            start: opt(get("start")),
            end: opt(get("end")),
            venue: opt(get("venue")),
            room: opt(get("room")),
            modes: split_list(get("modes"), ';'),
            session_type: opt(get("type")),
            organizers: split_list(get("organizers"), ';'),
            description: get("description").trim().to_string(),
            guiding_questions: split_list(get("guiding_questions"), '\n'),
            documents: split_list(get("documents"), '\n')
                .iter()
                .map(|d| {
                    let mut p = d.splitn(2, '|').map(str::trim);
                    Document {
                        title: p.next().and_then(opt),
                        url: p.next().and_then(opt),
                    }
                })
                .collect(),
            speakers: split_list(get("speakers"), '\n')
                .iter()
                .map(|x| {
                    let p: Vec<&str> = x.split('|').map(str::trim).collect();
                    Speaker {
                        name: p.first().copied().unwrap_or("").to_string(),
                        honorific: p.get(1).and_then(|x| opt(x)),
                        position: p.get(2).and_then(|x| opt(x)),
                        organization: p.get(3).and_then(|x| opt(x)),
                        role: p.get(4).and_then(|x| opt(x)),
                        ..Speaker::default()
                    }
                })
                .collect(),
            topics: split_list(get("topics"), ';'),
            action_lines: split_list(get("action_lines"), ';'),
            sdgs: numbers("sdgs")?,
            gdc_objectives: numbers("gdc_objectives")?,
            source_url: opt(get("source_url")),
            source_format: "csv".into(),
            ..Session::default()
        };
        check(&s).map_err(|e| format!("row {row}: {e}"))?;
        out.push(s);
    }
    Ok(out)
}

/// Sessions as CSV in the same columns (lossy for fields the CSV has no column for).
pub fn to_csv(sessions: &[Session]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(|e| e.to_string())?;
    for s in sessions {
        let join = |v: &[String], sep: &str| v.join(sep);
        let nums = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(";");
        let speakers: Vec<String> = s
            .speakers
            .iter()
            .map(|p| {
                [
                    p.name.as_str(),
                    p.honorific.as_deref().unwrap_or(""),
                    p.position.as_deref().unwrap_or(""),
                    p.organization.as_deref().unwrap_or(""),
                    p.role.as_deref().unwrap_or(""),
                ]
                .join(" | ")
            })
            .collect();
        let docs: Vec<String> = s
            .documents
            .iter()
            .map(|d| {
                format!(
                    "{} | {}",
                    d.title.as_deref().unwrap_or(""),
                    d.url.as_deref().unwrap_or("")
                )
            })
            .collect();
        let row = [
            s.event.clone(),
            s.number.clone(),
            s.title.clone(),
            s.start.clone().unwrap_or_default(),
            s.end.clone().unwrap_or_default(),
            s.venue.clone().unwrap_or_default(),
            s.room.clone().unwrap_or_default(),
            join(&s.modes, ";"),
            s.session_type.clone().unwrap_or_default(),
            join(&s.organizers, ";"),
            s.description.clone(),
            join(&s.guiding_questions, "\n"),
            docs.join("\n"),
            speakers.join("\n"),
            join(&s.topics, ";"),
            join(&s.action_lines, ";"),
            nums(&s.sdgs),
            nums(&s.gdc_objectives),
            s.source_url.clone().unwrap_or_default(),
        ];
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
