//! What more than one handler module shows: rendering, and the view rows
//! shared by several pages.

use askama::Template;
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use plenary_agenda::Session;
use plenary_frameworks::{Frameworks, GDC, SDGS, TOPICS};
use plenary_store::TagRow;

use crate::links::{framework_href, item_href, session_href};

/// A template as an HTML response; a template that fails to render is a
/// logged plain-text 500.
pub(crate) fn render<T: Template>(t: &T, status: StatusCode) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                )],
                "The page could not be rendered.",
            )
                .into_response()
        }
    }
}

// ---------------------------------------------------------------- sessions

/// A session in a timetable or a framework item's list.
pub(crate) struct SessionRow {
    pub(crate) href: String,
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) time: String,
    pub(crate) room: String,
    pub(crate) kind: String,
}

pub(crate) fn time_of(s: &Session) -> String {
    let start = s.start_moment();
    let end = s.end_moment();
    match (start, end) {
        (Some(a), Some(b)) => {
            let off = match a.offset_minutes {
                Some(o) => format!(
                    " (UTC{}{:02}:{:02})",
                    if o < 0 { '-' } else { '+' },
                    o.abs() / 60,
                    o.abs() % 60
                ),
                None => String::new(),
            };
            format!(
                "{}–{}{off}",
                a.local.strftime("%H:%M"),
                b.local.strftime("%H:%M")
            )
        }
        (Some(a), None) => a.local.strftime("%H:%M").to_string(),
        _ => String::new(),
    }
}

pub(crate) fn day_of(s: &Session) -> String {
    s.start_moment()
        .map(|m| m.local.strftime("%A, %-d %B %Y").to_string())
        .unwrap_or_else(|| "Date not given".into())
}

pub(crate) fn session_row(s: &Session) -> SessionRow {
    SessionRow {
        href: session_href(&s.id()),
        number: s.number.clone(),
        title: s.title.clone(),
        time: time_of(s),
        room: s.room.clone().unwrap_or_default(),
        kind: s.session_type.clone().unwrap_or_default(),
    }
}

/// A session as the home page lists it.
pub(crate) struct SessionLink {
    pub href: String,
    pub title: String,
    pub event: String,
    pub when: String,
}

fn session_link(s: &Session) -> SessionLink {
    SessionLink {
        href: session_href(&s.id()),
        title: s.title.clone(),
        event: s.event.clone(),
        when: s
            .start_moment()
            .map(|m| m.local.strftime("%-d %B %Y, %H:%M").to_string())
            .unwrap_or_default(),
    }
}

/// The next `n` sessions from now and the last `n` before it (time-ordered input).
pub(crate) fn upcoming_and_recent(
    sessions: &[Session],
    n: usize,
) -> (Vec<SessionLink>, Vec<SessionLink>) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let dated: Vec<(&Session, i64)> = sessions
        .iter()
        .filter_map(|s| s.start_moment().map(|m| (s, m.sort_key())))
        .collect();
    let upcoming = dated
        .iter()
        .filter(|(_, t)| *t >= now)
        .take(n)
        .map(|(s, _)| session_link(s))
        .collect();
    // newest first
    let recent: Vec<SessionLink> = dated
        .iter()
        .rev()
        .filter(|(_, t)| *t < now)
        .take(n)
        .map(|(s, _)| session_link(s))
        .collect();
    (upcoming, recent)
}

// ---------------------------------------------------------------- frameworks and tags

/// The distinct phrases that earned a tag (case- and accent-insensitively distinct).
pub(crate) fn evidence_phrases(t: &TagRow) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    t.evidence
        .as_ref()
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
        .filter_map(|x| x.get("phrase").and_then(|p| p.as_str()))
        .filter(|p| seen.insert(plenary_frameworks::fold(p)))
        .map(str::to_string)
        .collect()
}

/// A tag the tagger earned, with the phrases that earned it.
pub(crate) struct EarnedTag {
    pub href: String,
    pub label: String,
    pub phrases: String,
    pub score: String,
}

pub(crate) fn earned_tags(fw: &Frameworks, tags: &[TagRow]) -> Vec<EarnedTag> {
    tags.iter()
        .map(|t| EarnedTag {
            href: item_href(&t.framework, &t.code),
            label: item_label(fw, &t.framework, &t.code).0,
            phrases: evidence_phrases(t)
                .iter()
                .map(|p| format!("“{p}”"))
                .collect::<Vec<_>>()
                .join(", "),
            score: format!("{:.2}", t.score),
        })
        .collect()
}

/// An item's label and full title: `SDG 16: Peace…`, `C5 Building confidence…`.
pub(crate) fn item_label(fw: &Frameworks, framework: &str, code: &str) -> (String, String) {
    match fw.item(framework, code) {
        Some(i) => {
            let short = i.short.clone().unwrap_or_else(|| i.title.clone());
            let label = match framework {
                SDGS => format!("SDG {code}: {short}"),
                GDC => format!("GDC objective {code}"),
                TOPICS => i.title.clone(),
                _ => format!("{code} {short}"),
            };
            (label, i.title.clone())
        }
        None => (code.to_string(), code.to_string()),
    }
}

/// Every framework's page and name, for the home page and each framework page.
pub(crate) fn framework_links(fw: &Frameworks) -> Vec<(String, String)> {
    fw.frameworks
        .iter()
        .map(|f| (framework_href(&f.id), f.name.clone()))
        .collect()
}

/// A stakeholder group's or regional group's name from its id
/// (`civil-society` → "Civil Society", `african` → "African Group"); any
/// other slug in words (`global-south` → "Global south").
pub(crate) fn group_label(fw: &Frameworks, id: &str) -> String {
    if let Some(g) = fw.stakeholder_groups.iter().find(|g| g.id == id) {
        return g.name.clone();
    }
    if let Some(g) = fw.regional_groups.iter().find(|g| g.id == id) {
        return g.name.clone();
    }
    if id.contains(' ') || id.chars().any(char::is_uppercase) {
        return id.to_string(); // already words (an organisation, a country)
    }
    let words = id.replace('-', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
