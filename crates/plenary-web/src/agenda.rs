//! Sessions, events (timetables with filters that work without JavaScript), framework
//! pages, their JSON twins under `/api/v1`, and calendar/schedule exports.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use plenary_agenda::Session;
use plenary_frameworks::{slug, Framework, ACTION_LINES, GDC, SDGS, TOPICS};
use plenary_store::{EventSummary, SessionVersion, TagRow};
use serde::{Deserialize, Serialize};

use crate::pages::{error_response, param, render, thread_href};
use crate::text::encode_segment;
use crate::{AppState, Fail};

// ---------------------------------------------------------------- links

pub(crate) fn session_href(id: &str) -> String {
    format!("/sessions/{}", encode_segment(id))
}

pub(crate) fn event_href(id: &str) -> String {
    format!("/events/{}", encode_segment(id))
}

/// `/action-lines/C5`, `/sdgs/16`, `/gdc/3`, `/topics/{slug}`, `/frameworks/{id}/{code}`.
pub(crate) fn item_href(framework: &str, code: &str) -> String {
    match framework {
        ACTION_LINES | SDGS | GDC | TOPICS => {
            format!("/{framework}/{}", encode_segment(code))
        }
        other => format!(
            "/frameworks/{}/{}",
            encode_segment(other),
            encode_segment(code)
        ),
    }
}

fn event_id(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

// ---------------------------------------------------------------- filters

/// Timetable filters, all optional, from the query string.
#[derive(Deserialize, Default, Clone, Serialize)]
pub(crate) struct Filter {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    room: Option<String>,
    #[serde(default)]
    action_line: Option<String>,
    #[serde(default)]
    sdg: Option<String>,
    #[serde(default)]
    gdc: Option<String>,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    speaker: Option<String>,
}

impl Filter {
    fn set(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    fn matches(&self, s: &Session, fw: &plenary_frameworks::Frameworks) -> bool {
        if let Some(k) = Self::set(&self.kind) {
            if s.session_type.as_deref() != Some(k) {
                return false;
            }
        }
        if let Some(r) = Self::set(&self.room) {
            if s.room.as_deref() != Some(r) {
                return false;
            }
        }
        if let Some(a) = Self::set(&self.action_line) {
            if !s
                .action_lines
                .iter()
                .any(|x| x.eq_ignore_ascii_case(a) || x.starts_with(&format!("{a}.")))
            {
                return false;
            }
        }
        if let Some(n) = Self::set(&self.sdg) {
            if !s.sdgs.iter().any(|x| x.to_string() == n) {
                return false;
            }
        }
        if let Some(n) = Self::set(&self.gdc) {
            if !s.gdc_objectives.iter().any(|x| x.to_string() == n) {
                return false;
            }
        }
        if let Some(t) = Self::set(&self.topic) {
            if !s
                .topics
                .iter()
                .any(|x| fw.topic_code(x).unwrap_or_else(|| slug(x)) == t)
            {
                return false;
            }
        }
        if let Some(p) = Self::set(&self.speaker) {
            if !s.speakers.iter().any(|x| slug(&x.name) == p) {
                return false;
            }
        }
        true
    }

    fn query_string(&self) -> String {
        serde_urlencoded_like(self)
    }
}

/// The filter as a query string (only set fields).
fn serde_urlencoded_like(f: &Filter) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("type", &f.kind),
        ("room", &f.room),
        ("action_line", &f.action_line),
        ("sdg", &f.sdg),
        ("gdc", &f.gdc),
        ("topic", &f.topic),
        ("speaker", &f.speaker),
    ] {
        if let Some(v) = Filter::set(v) {
            parts.push(format!("{k}={}", encode_segment(v)));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

// ---------------------------------------------------------------- view rows

struct TagLink {
    href: String,
    label: String,
    title: String,
}

struct SpeakerView {
    /// The person page, once identities are resolved.
    person: Option<String>,
    name: String,
    honorific: String,
    position: String,
    organization: String,
    role: String,
    declared: String,
    calendar: String,
}

struct SessionRow {
    href: String,
    number: String,
    title: String,
    time: String,
    room: String,
    kind: String,
}

fn time_of(s: &Session) -> String {
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

fn day_of(s: &Session) -> String {
    s.start_moment()
        .map(|m| m.local.strftime("%A, %-d %B %Y").to_string())
        .unwrap_or_else(|| "Date not given".into())
}

fn row(s: &Session) -> SessionRow {
    SessionRow {
        href: session_href(&s.id()),
        number: s.number.clone(),
        title: s.title.clone(),
        time: time_of(s),
        room: s.room.clone().unwrap_or_default(),
        kind: s.session_type.clone().unwrap_or_default(),
    }
}

fn item_label(
    fw: &plenary_frameworks::Frameworks,
    framework: &str,
    code: &str,
) -> (String, String) {
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

fn tag_links(
    fw: &plenary_frameworks::Frameworks,
    framework: &str,
    codes: &[String],
) -> Vec<TagLink> {
    codes
        .iter()
        .map(|c| {
            let (label, title) = item_label(fw, framework, c);
            TagLink {
                href: item_href(framework, c),
                label,
                title,
            }
        })
        .collect()
}

/// A session as the home page lists it.
pub(crate) struct SessionLink {
    pub href: String,
    pub title: String,
    pub event: String,
    pub when: String,
}

fn link(s: &Session) -> SessionLink {
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
        .map(|(s, _)| link(s))
        .collect();
    // newest first
    let recent: Vec<SessionLink> = dated
        .iter()
        .rev()
        .filter(|(_, t)| *t < now)
        .take(n)
        .map(|(s, _)| link(s))
        .collect();
    (upcoming, recent)
}

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

pub(crate) fn earned_tags(fw: &plenary_frameworks::Frameworks, tags: &[TagRow]) -> Vec<EarnedTag> {
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

// ---------------------------------------------------------------- session page

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    title: String,
    nav: &'static str,
    s: Session,
    id: String,
    event_href: String,
    day: String,
    time: String,
    start_iso: String,
    speakers: Vec<SpeakerView>,
    action_lines: Vec<TagLink>,
    sdgs: Vec<TagLink>,
    gdc: Vec<TagLink>,
    topics: Vec<TagLink>,
    inferred: Vec<TagLink>,
    versions: Vec<SessionVersion>,
}

async fn load_session(
    st: &AppState,
    id: String,
) -> Result<(Session, Vec<SessionVersion>, Vec<TagRow>), Fail> {
    let key = id.clone();
    let found = st
        .query(move |s| {
            let tags = s.tags_of("session", &key)?;
            Ok(s.session(&key)?.map(|(a, b)| (a, b, tags)))
        })
        .await?;
    found.ok_or_else(|| Fail::NotFound(format!("No session {id}.")))
}

pub(crate) async fn session_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = param(id)?;
        let (s, versions, tags) = load_session(&st, id.clone()).await?;
        let sid = s.id();
        let n = s.speakers.len();
        let persons = st
            .query(move |store| {
                (0..n)
                    .map(|i| store.person_of("speaker", &format!("{sid}#{i}")))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        let fw = &st.frameworks;
        let topic_codes: Vec<String> = s
            .topics
            .iter()
            .map(|t| fw.topic_code(t).unwrap_or_else(|| slug(t)))
            .collect();
        let sdg_codes: Vec<String> = s.sdgs.iter().map(u32::to_string).collect();
        let gdc_codes: Vec<String> = s.gdc_objectives.iter().map(u32::to_string).collect();
        let inferred = tags
            .iter()
            .filter(|t| t.source == "tagger")
            .map(|t| {
                let (label, title) = item_label(fw, &t.framework, &t.code);
                let phrases: Vec<String> = evidence_phrases(t)
                    .iter()
                    .map(|p| format!("“{p}”"))
                    .collect();
                TagLink {
                    href: item_href(&t.framework, &t.code),
                    label,
                    title: format!("{title} — found: {}", phrases.join(", ")),
                }
            })
            .collect();
        let page = SessionPage {
            title: s.title.clone(),
            nav: "events",
            id: s.id(),
            event_href: event_href(&event_id(&s.event)),
            day: day_of(&s),
            time: time_of(&s),
            start_iso: s.start.clone().unwrap_or_default(),
            speakers: s
                .speakers
                .iter()
                .zip(persons)
                .map(|(p, person)| SpeakerView {
                    person: person.map(|id| crate::people::person_href(&id)),
                    name: p.name.clone(),
                    honorific: p.honorific.clone().unwrap_or_default(),
                    position: p.position.clone().unwrap_or_default(),
                    organization: p.organization.clone().unwrap_or_default(),
                    role: p.role.clone().unwrap_or_default(),
                    declared: match (&p.stakeholder_group, &p.regional_group) {
                        (Some(a), Some(b)) => format!("{a}, {b} (self-declared)"),
                        (Some(a), None) => format!("{a} (self-declared)"),
                        _ => String::new(),
                    },
                    calendar: format!("/speakers/{}/calendar.ics", encode_segment(&slug(&p.name))),
                })
                .collect(),
            action_lines: tag_links(fw, ACTION_LINES, &s.action_lines),
            sdgs: tag_links(fw, SDGS, &sdg_codes),
            gdc: tag_links(fw, GDC, &gdc_codes),
            topics: tag_links(fw, TOPICS, &topic_codes),
            inferred,
            versions,
            s,
        };
        Ok(render(&page, StatusCode::OK))
    };
    r.await.unwrap_or_else(error_response)
}

// ---------------------------------------------------------------- events

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    title: String,
    nav: &'static str,
    events: Vec<(EventSummary, String)>,
}

pub(crate) async fn events_page(State(st): State<AppState>) -> Response {
    let r = async {
        let events = st.query(|s| s.events()).await?;
        Ok(render(
            &EventsPage {
                title: "Events".into(),
                nav: "events",
                events: events
                    .into_iter()
                    .map(|e| {
                        let h = event_href(&e.id);
                        (e, h)
                    })
                    .collect(),
            },
            StatusCode::OK,
        ))
    };
    r.await.unwrap_or_else(error_response)
}

struct Day {
    label: String,
    sessions: Vec<SessionRow>,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    title: String,
    nav: &'static str,
    id: String,
    days: Vec<Day>,
    shown: usize,
    total: usize,
    types: Vec<Choice>,
    rooms: Vec<Choice>,
    action_lines: Vec<Choice>,
    sdgs: Vec<Choice>,
    gdcs: Vec<Choice>,
    topics: Vec<Choice>,
    query: String,
    filtered: bool,
}

fn choices(
    values: impl Iterator<Item = (String, String)>,
    current: &Option<String>,
) -> Vec<Choice> {
    let mut m: BTreeMap<String, String> = BTreeMap::new();
    for (v, l) in values {
        m.entry(v).or_insert(l);
    }
    let mut v: Vec<Choice> = m
        .into_iter()
        .map(|(value, label)| Choice {
            selected: current.as_deref() == Some(value.as_str()),
            value,
            label,
        })
        .collect();
    // numbers in numeric order
    v.sort_by_key(|c| (c.value.parse::<u32>().unwrap_or(u32::MAX), c.value.clone()));
    v
}

async fn event_sessions(st: &AppState, id: String) -> Result<Vec<Session>, Fail> {
    let key = id.clone();
    let v = st.query(move |s| s.sessions(Some(&key))).await?;
    if v.is_empty() {
        return Err(Fail::NotFound(format!("No event {id}.")));
    }
    Ok(v)
}

pub(crate) async fn event_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    Query(f): Query<Filter>,
) -> Response {
    let r = async {
        let id = param(id)?;
        let all = event_sessions(&st, id.clone()).await?;
        let fw = &st.frameworks;
        let name = all[0].event.clone();
        let shown: Vec<&Session> = all.iter().filter(|s| f.matches(s, fw)).collect();
        let mut days: Vec<Day> = Vec::new();
        for s in &shown {
            let label = day_of(s);
            match days.last_mut() {
                Some(d) if d.label == label => d.sessions.push(row(s)),
                _ => days.push(Day {
                    label,
                    sessions: vec![row(s)],
                }),
            }
        }
        let page = EventPage {
            title: name,
            nav: "events",
            id: id.clone(),
            shown: shown.len(),
            total: all.len(),
            days,
            types: choices(
                all.iter()
                    .filter_map(|s| s.session_type.clone())
                    .map(|t| (t.clone(), t)),
                &f.kind,
            ),
            rooms: choices(
                all.iter()
                    .filter_map(|s| s.room.clone())
                    .map(|t| (t.clone(), t)),
                &f.room,
            ),
            action_lines: choices(
                all.iter()
                    .flat_map(|s| s.action_lines.iter())
                    .map(|c| (c.clone(), item_label(fw, ACTION_LINES, c).0)),
                &f.action_line,
            ),
            sdgs: choices(
                all.iter()
                    .flat_map(|s| s.sdgs.iter())
                    .map(|n| (n.to_string(), item_label(fw, SDGS, &n.to_string()).0)),
                &f.sdg,
            ),
            gdcs: choices(
                all.iter()
                    .flat_map(|s| s.gdc_objectives.iter())
                    .map(|n| (n.to_string(), item_label(fw, GDC, &n.to_string()).0)),
                &f.gdc,
            ),
            topics: choices(
                all.iter()
                    .flat_map(|s| s.topics.iter())
                    .map(|t| (fw.topic_code(t).unwrap_or_else(|| slug(t)), t.clone())),
                &f.topic,
            ),
            query: f.query_string(),
            filtered: !f.query_string().is_empty(),
        };
        Ok(render(&page, StatusCode::OK))
    };
    r.await.unwrap_or_else(error_response)
}

// ---------------------------------------------------------------- exports

fn ics_response(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("inline; filename=\"{}.ics\"", slug(name)))
                    .unwrap_or_else(|_| HeaderValue::from_static("inline")),
            ),
        ],
        body,
    )
        .into_response()
}

/// Absolute URLs for calendar and schedule files, from the request's Host header
/// (calendar apps need absolute URLs; the server does not know its public name).
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub(crate) async fn session_ics(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = param(id)?;
        let (s, _, _) = load_session(&st, id).await?;
        Ok(ics_response(
            plenary_agenda::to_ical(&s.title, &[&s], &base_url(&headers)),
            &s.id(),
        ))
    };
    r.await.unwrap_or_else(crate::api::error_response)
}

pub(crate) async fn event_ics(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    Query(f): Query<Filter>,
) -> Response {
    let r = async {
        let id = param(id)?;
        let all = event_sessions(&st, id.clone()).await?;
        let shown: Vec<&Session> = all
            .iter()
            .filter(|s| f.matches(s, &st.frameworks))
            .collect();
        Ok(ics_response(
            plenary_agenda::to_ical(&all[0].event, &shown, &base_url(&headers)),
            &id,
        ))
    };
    r.await.unwrap_or_else(crate::api::error_response)
}

pub(crate) async fn speaker_ics(
    headers: HeaderMap,
    State(st): State<AppState>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let key = param(name)?;
        let all = st.query(|s| s.sessions(None)).await?;
        let shown: Vec<&Session> = all
            .iter()
            .filter(|s| s.speakers.iter().any(|p| slug(&p.name) == key))
            .collect();
        if shown.is_empty() {
            return Err(Fail::NotFound(format!("No sessions with speaker {key}.")));
        }
        Ok(ics_response(
            plenary_agenda::to_ical(&key, &shown, &base_url(&headers)),
            &key,
        ))
    };
    r.await.unwrap_or_else(crate::api::error_response)
}

pub(crate) async fn event_frab(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = param(id)?;
        let all = event_sessions(&st, id).await?;
        let refs: Vec<&Session> = all.iter().collect();
        Ok(Json(plenary_agenda::to_frab(
            &all[0].event,
            &refs,
            &base_url(&headers),
        ))
        .into_response())
    };
    r.await.unwrap_or_else(crate::api::error_response)
}

// ---------------------------------------------------------------- frameworks

struct ItemRow {
    href: String,
    code: String,
    title: String,
    sessions: u64,
    threads: u64,
    messages: u64,
    sub: bool,
}

#[derive(Template)]
#[template(path = "framework.html")]
struct FrameworkPage {
    title: String,
    nav: &'static str,
    source: String,
    items: Vec<ItemRow>,
    others: Vec<(String, String)>,
}

fn framework_of(st: &AppState, id: &str) -> Result<Framework, Fail> {
    st.frameworks
        .get(id)
        .cloned()
        .ok_or_else(|| Fail::NotFound(format!("No framework {id}.")))
}

pub(crate) fn framework_links(st: &AppState) -> Vec<(String, String)> {
    st.frameworks
        .frameworks
        .iter()
        .map(|f| {
            let href = match f.id.as_str() {
                ACTION_LINES | SDGS | GDC | TOPICS => format!("/{}", f.id),
                other => format!("/frameworks/{}", encode_segment(other)),
            };
            (href, f.name.clone())
        })
        .collect()
}

async fn framework_page(st: AppState, id: String) -> Result<Response, Fail> {
    let fwk = framework_of(&st, &id)?;
    let key = id.clone();
    let counts = st.query(move |s| s.tag_counts(&key)).await?;
    let count = |code: &str, kind: &str| {
        counts
            .iter()
            .filter(|(c, k, _)| c == code && k == kind)
            .map(|x| x.2)
            .sum::<u64>()
    };
    let items = fwk
        .items
        .iter()
        .map(|i| ItemRow {
            href: item_href(&id, &i.code),
            code: i.code.clone(),
            title: i.title.clone(),
            sessions: count(&i.code, "session"),
            threads: count(&i.code, "thread"),
            messages: count(&i.code, "message"),
            sub: i.parent.is_some(),
        })
        .collect();
    Ok(render(
        &FrameworkPage {
            title: fwk.name.clone(),
            nav: "frameworks",
            source: fwk.source.clone(),
            items,
            others: framework_links(&st),
        },
        StatusCode::OK,
    ))
}

pub(crate) async fn frameworks_index(State(st): State<AppState>) -> Response {
    framework_page(st, ACTION_LINES.into())
        .await
        .unwrap_or_else(error_response)
}

macro_rules! framework_handlers {
    ($list:ident, $item:ident, $id:expr) => {
        pub(crate) async fn $list(State(st): State<AppState>) -> Response {
            framework_page(st, $id.into())
                .await
                .unwrap_or_else(error_response)
        }
        pub(crate) async fn $item(
            State(st): State<AppState>,
            code: Result<Path<String>, PathRejection>,
        ) -> Response {
            let r = async { item_page(st, $id.into(), param(code)?).await };
            r.await.unwrap_or_else(error_response)
        }
    };
}

framework_handlers!(action_lines, action_line, ACTION_LINES);
framework_handlers!(sdgs, sdg, SDGS);
framework_handlers!(gdc, gdc_item, GDC);
framework_handlers!(topics, topic, TOPICS);

pub(crate) async fn other_framework(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async { framework_page(st, param(id)?).await };
    r.await.unwrap_or_else(error_response)
}

pub(crate) async fn other_item(
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let r = async {
        let (id, code) = param(p)?;
        item_page(st, id, code).await
    };
    r.await.unwrap_or_else(error_response)
}

struct TaggedThread {
    href: String,
    subject: String,
    list: String,
    count: u64,
    score: String,
    phrases: String,
}

#[derive(Template)]
#[template(path = "framework_item.html")]
struct ItemPage {
    title: String,
    nav: &'static str,
    /// Framework id, for the balance link.
    fid: String,
    framework: String,
    framework_href: String,
    code: String,
    item_title: String,
    aliases: Vec<String>,
    declared: Vec<SessionRow>,
    inferred: Vec<SessionRow>,
    threads: Vec<TaggedThread>,
    thread_count: usize,
}

/// What a framework item page and its JSON twin show.
#[derive(Serialize)]
pub(crate) struct ItemData {
    framework: String,
    item: plenary_frameworks::Item,
    sessions_declared: Vec<String>,
    sessions_tagged: Vec<String>,
    threads: Vec<TagRow>,
}

async fn item_data(
    st: &AppState,
    id: String,
    code: String,
) -> Result<(Framework, ItemData, Vec<Session>), Fail> {
    let fwk = framework_of(st, &id)?;
    let item = fwk
        .item(&code)
        .cloned()
        .ok_or_else(|| Fail::NotFound(format!("{} has no item {code}.", fwk.name)))?;
    let (fid, c) = (id.clone(), item.code.clone());
    let (sessions, threads, all) = st
        .query(move |s| {
            Ok((
                s.tagged(&fid, &c, Some("session"), 10_000)?,
                s.tagged(&fid, &c, Some("thread"), 200)?,
                s.sessions(None)?,
            ))
        })
        .await?;
    let declared: Vec<String> = sessions
        .iter()
        .filter(|t| t.source == "declared")
        .map(|t| t.target.clone())
        .collect();
    let tagged: Vec<String> = sessions
        .iter()
        .filter(|t| t.source == "tagger" && !declared.contains(&t.target))
        .map(|t| t.target.clone())
        .collect();
    let data = ItemData {
        framework: id,
        item,
        sessions_declared: declared,
        sessions_tagged: tagged,
        threads,
    };
    Ok((fwk, data, all))
}

async fn item_page(st: AppState, id: String, code: String) -> Result<Response, Fail> {
    let (fwk, data, all) = item_data(&st, id.clone(), code).await?;
    let by_id: BTreeMap<String, &Session> = all.iter().map(|s| (s.id(), s)).collect();
    let rows = |ids: &[String]| {
        ids.iter()
            .filter_map(|i| by_id.get(i))
            .map(|s| row(s))
            .collect::<Vec<_>>()
    };
    let ids: Vec<String> = data.threads.iter().map(|t| t.target.clone()).collect();
    let summaries = st.query(move |s| s.thread_summaries(&ids)).await?;
    let threads = data
        .threads
        .iter()
        .filter_map(|t| {
            let sum = summaries.iter().find(|x| x.id == t.target)?;
            let phrases = evidence_phrases(t);
            Some(TaggedThread {
                href: thread_href(&t.target),
                subject: sum.subject.clone(),
                list: sum.list.clone(),
                count: sum.count,
                score: format!("{:.2}", t.score),
                phrases: phrases.join(", "),
            })
        })
        .collect::<Vec<_>>();
    let fhref = match id.as_str() {
        ACTION_LINES | SDGS | GDC | TOPICS => format!("/{id}"),
        other => format!("/frameworks/{}", encode_segment(other)),
    };
    let page = ItemPage {
        title: format!("{} — {}", data.item.code, data.item.title),
        nav: "frameworks",
        fid: id.clone(),
        framework: fwk.name.clone(),
        framework_href: fhref,
        code: data.item.code.clone(),
        item_title: data.item.title.clone(),
        aliases: data.item.aliases.clone(),
        declared: rows(&data.sessions_declared),
        inferred: rows(&data.sessions_tagged),
        thread_count: threads.len(),
        threads,
    };
    Ok(render(&page, StatusCode::OK))
}

// ---------------------------------------------------------------- API

#[derive(Serialize)]
struct SessionOut {
    id: String,
    #[serde(flatten)]
    session: Session,
    versions: Vec<SessionVersion>,
    tags: Vec<TagRow>,
}

pub(crate) async fn api_session(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = crate::api::api_param(id)?;
        let (session, versions, tags) = load_session(&st, id).await?;
        Ok(SessionOut {
            id: session.id(),
            session,
            versions,
            tags,
        })
    };
    crate::api::finish(r.await)
}

pub(crate) async fn api_sessions(
    State(st): State<AppState>,
    f: Result<Query<Filter>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let r = async {
        let Query(f) = f.map_err(|e| Fail::BadRequest(e.body_text()))?;
        let all = st.query(|s| s.sessions(None)).await?;
        Ok(all
            .into_iter()
            .filter(|s| f.matches(s, &st.frameworks))
            .collect::<Vec<_>>())
    };
    crate::api::finish(r.await)
}

pub(crate) async fn api_events(State(st): State<AppState>) -> Response {
    crate::api::finish(st.query(|s| s.events()).await)
}

pub(crate) async fn api_event_sessions(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    f: Result<Query<Filter>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let r = async {
        let id = crate::api::api_param(id)?;
        let Query(f) = f.map_err(|e| Fail::BadRequest(e.body_text()))?;
        let all = event_sessions(&st, id).await?;
        Ok(all
            .into_iter()
            .filter(|s| f.matches(s, &st.frameworks))
            .collect::<Vec<_>>())
    };
    crate::api::finish(r.await)
}

pub(crate) async fn api_frameworks(State(st): State<AppState>) -> Response {
    #[derive(Serialize)]
    struct Head {
        id: String,
        name: String,
        source: String,
        items: usize,
    }
    let v: Vec<Head> = st
        .frameworks
        .frameworks
        .iter()
        .map(|f| Head {
            id: f.id.clone(),
            name: f.name.clone(),
            source: f.source.clone(),
            items: f.items.len(),
        })
        .collect();
    Json(v).into_response()
}

pub(crate) async fn api_framework(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = crate::api::api_param(id)?;
        framework_of(&st, &id)
    };
    crate::api::finish(r.await)
}

pub(crate) async fn api_framework_item(
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let r = async {
        let (id, code) = crate::api::api_param(p)?;
        Ok(item_data(&st, id, code).await?.1)
    };
    crate::api::finish(r.await)
}
