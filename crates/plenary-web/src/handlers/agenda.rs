//! Sessions and events: timetables with filters that work without JavaScript,
//! session pages, their JSON twins under `/api/v1`, and calendar (iCalendar)
//! and schedule (frab JSON) exports.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use plenary_agenda::Session;
use plenary_frameworks::{slug, ACTION_LINES, GDC, SDGS, TOPICS};
use plenary_store::{EventSummary, SessionVersion, TagRow};
use plenary_store::{TagKind, TagSource};
use serde::{Deserialize, Serialize};

use crate::error::{api_param, param, query_param, ApiError, Fail, PageError};
use crate::links::{
    base_url, event_href, event_id, item_href, person_href, speaker_calendar_href, transcript_href,
    web_href,
};
use crate::state::AppState;
use crate::text::encode_segment;
use crate::views::{
    day_of, evidence_phrases, item_label, render, session_row, time_of, SessionRow,
};

type PageResult = Result<Response, PageError>;
/// Calendar and schedule files answer failures in JSON, as they always have.
type ApiResult = Result<Response, ApiError>;

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

// ---------------------------------------------------------------- session page

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    title: String,
    nav: &'static str,
    s: Session,
    /// `s.source_url` when it may be a link (see `links::web_href`).
    source_href: Option<String>,
    /// Each document's link (web URLs only) and label.
    documents: Vec<(Option<String>, String)>,
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
    /// List threads related by shared people, tags and period.
    related: Vec<RelatedView>,
    /// Transcripts of the session: (href, title, turns).
    transcripts: Vec<(String, String, usize)>,
    balance_href: String,
}

/// A thread related to a session, and why.
struct RelatedView {
    href: String,
    subject: String,
    list: String,
    counts: String,
    people: Vec<(String, String)>,
    why: String,
}

async fn load_session(
    st: &AppState,
    id: String,
) -> Result<(Session, Vec<SessionVersion>, Vec<TagRow>), Fail> {
    let key = id.clone();
    let found = st
        .query(move |s| {
            let tags = s.tags_of(TagKind::Session, &key)?;
            Ok(s.session(&key)?.map(|(a, b)| (a, b, tags)))
        })
        .await?;
    found.ok_or_else(|| Fail::NotFound(format!("No session {id}.")))
}

pub(crate) async fn session_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = param(id)?;
    let (s, versions, tags) = load_session(&st, id.clone()).await?;
    let sid = s.id();
    let n = s.speakers.len();
    let tag_keys: Vec<(String, String)> = tags
        .iter()
        .map(|t| (t.framework.clone(), t.code.clone()))
        .collect();
    let around = s
        .start
        .as_deref()
        .and_then(|d| d.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_second());
    let (persons, related, transcripts) = st
        .query(move |store| {
            let persons = (0..n)
                .map(|i| store.person_of("speaker", &format!("{sid}#{i}")))
                .collect::<Result<Vec<_>, _>>()?;
            let ids: Vec<String> = persons.iter().flatten().cloned().collect();
            let related = store.related_threads(&ids, &tag_keys, around, 10)?;
            let transcripts = store.transcripts_of_session(&sid)?;
            Ok((persons, related, transcripts))
        })
        .await?;
    let transcripts = transcripts
        .into_iter()
        .map(|t| (transcript_href(&t.id), t.title, t.turns))
        .collect();
    let a = st.addresses;
    let related = related
        .into_iter()
        .map(|r| {
            let mut why = Vec::new();
            if !r.people.is_empty() {
                why.push(format!(
                    "{} of this session's speakers wrote in it",
                    r.people.len()
                ));
            }
            if r.tags > 0 {
                why.push(format!(
                    "{} shared",
                    crate::text::plural(r.tags, "tag", "tags")
                ));
            }
            if r.in_period {
                why.push("active within six months of the session".into());
            }
            RelatedView {
                href: crate::links::thread_href(&r.thread.id),
                subject: a.text(&r.thread.subject).into_owned(),
                list: r.thread.list.clone(),
                counts: format!(
                    "{}, {}",
                    crate::text::plural(r.thread.messages, "message", "messages"),
                    crate::text::plural(r.thread.participants, "participant", "participants")
                ),
                people: r
                    .people
                    .iter()
                    .map(|(id, name)| (person_href(id), name.clone()))
                    .collect(),
                why: why.join("; "),
            }
        })
        .collect();
    let fw = st.frameworks();
    let topic_codes: Vec<String> = s
        .topics
        .iter()
        .map(|t| fw.topic_code(t).unwrap_or_else(|| slug(t)))
        .collect();
    let sdg_codes: Vec<String> = s.sdgs.iter().map(u32::to_string).collect();
    let gdc_codes: Vec<String> = s.gdc_objectives.iter().map(u32::to_string).collect();
    let inferred = tags
        .iter()
        .filter(|t| t.source == TagSource::Tagger)
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
    let documents = s
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let label = match (&d.title, &d.url) {
                (Some(t), _) => t.clone(),
                (None, Some(u)) => u.clone(),
                (None, None) => format!(
                    "Document {} (listed on the page, not linked in its text rendering)",
                    i + 1
                ),
            };
            (d.url.as_deref().and_then(web_href), label)
        })
        .collect();
    let page = SessionPage {
        source_href: s.source_url.as_deref().and_then(web_href),
        documents,
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
                person: person.map(|id| person_href(&id)),
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
                calendar: speaker_calendar_href(&slug(&p.name)),
            })
            .collect(),
        action_lines: tag_links(fw, ACTION_LINES, &s.action_lines),
        sdgs: tag_links(fw, SDGS, &sdg_codes),
        gdc: tag_links(fw, GDC, &gdc_codes),
        topics: tag_links(fw, TOPICS, &topic_codes),
        inferred,
        versions,
        related,
        transcripts,
        balance_href: crate::links::balance_href("sessions", &id),
        s,
    };
    Ok(render(&page, StatusCode::OK))
}

// ---------------------------------------------------------------- events

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    title: String,
    nav: &'static str,
    events: Vec<(EventSummary, String)>,
}

/// Every event, for `/events` and `/api/v1/events`.
async fn events_data(st: &AppState) -> Result<Vec<EventSummary>, Fail> {
    st.query(|s| s.events()).await
}

pub(crate) async fn events_page(State(st): State<AppState>) -> PageResult {
    let events = events_data(&st).await?;
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
) -> PageResult {
    let id = param(id)?;
    let all = event_sessions(&st, id.clone()).await?;
    let fw = st.frameworks();
    let name = all[0].event.clone();
    let shown: Vec<&Session> = all.iter().filter(|s| f.matches(s, fw)).collect();
    let mut days: Vec<Day> = Vec::new();
    for s in &shown {
        let label = day_of(s);
        match days.last_mut() {
            Some(d) if d.label == label => d.sessions.push(session_row(s)),
            _ => days.push(Day {
                label,
                sessions: vec![session_row(s)],
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

pub(crate) async fn session_ics(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = param(id)?;
    let (s, _, _) = load_session(&st, id).await?;
    Ok(ics_response(
        plenary_agenda::to_ical(&s.title, &[&s], &base_url(&headers)),
        &s.id(),
    ))
}

pub(crate) async fn event_ics(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    Query(f): Query<Filter>,
) -> ApiResult {
    let id = param(id)?;
    let all = event_sessions(&st, id.clone()).await?;
    let shown: Vec<&Session> = all
        .iter()
        .filter(|s| f.matches(s, st.frameworks()))
        .collect();
    Ok(ics_response(
        plenary_agenda::to_ical(&all[0].event, &shown, &base_url(&headers)),
        &id,
    ))
}

pub(crate) async fn speaker_ics(
    headers: HeaderMap,
    State(st): State<AppState>,
    name: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let key = param(name)?;
    let all = st.query(|s| s.sessions(None)).await?;
    let shown: Vec<&Session> = all
        .iter()
        .filter(|s| s.speakers.iter().any(|p| slug(&p.name) == key))
        .collect();
    if shown.is_empty() {
        return Err(Fail::NotFound(format!("No sessions with speaker {key}.")).into());
    }
    Ok(ics_response(
        plenary_agenda::to_ical(&key, &shown, &base_url(&headers)),
        &key,
    ))
}

pub(crate) async fn event_frab(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = param(id)?;
    let all = event_sessions(&st, id).await?;
    let refs: Vec<&Session> = all.iter().collect();
    Ok(Json(plenary_agenda::to_frab(
        &all[0].event,
        &refs,
        &base_url(&headers),
    ))
    .into_response())
}

// ---------------------------------------------------------------- API

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct SessionOut {
    id: String,
    #[serde(flatten)]
    session: Session,
    versions: Vec<SessionVersion>,
    tags: Vec<TagRow>,
}

pub(crate) async fn session_api(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<SessionOut>, ApiError> {
    let id = api_param(id)?;
    let (session, versions, tags) = load_session(&st, id).await?;
    Ok(Json(SessionOut {
        id: session.id(),
        session,
        versions,
        tags,
    }))
}

pub(crate) async fn sessions_api(
    State(st): State<AppState>,
    f: Result<Query<Filter>, QueryRejection>,
) -> Result<Json<Vec<Session>>, ApiError> {
    let f = query_param(f)?;
    let all = st.query(|s| s.sessions(None)).await?;
    Ok(Json(
        all.into_iter()
            .filter(|s| f.matches(s, st.frameworks()))
            .collect(),
    ))
}

pub(crate) async fn events_api(
    State(st): State<AppState>,
) -> Result<Json<Vec<EventSummary>>, ApiError> {
    Ok(Json(events_data(&st).await?))
}

pub(crate) async fn event_sessions_api(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    f: Result<Query<Filter>, QueryRejection>,
) -> Result<Json<Vec<Session>>, ApiError> {
    let id = api_param(id)?;
    let f = query_param(f)?;
    let all = event_sessions(&st, id).await?;
    Ok(Json(
        all.into_iter()
            .filter(|s| f.matches(s, st.frameworks()))
            .collect(),
    ))
}
