//! Transcripts of sessions: the turns as the captioners wrote them, each speaker linked
//! to the session's panellist and to the person, with the evidence; the JSON twin under
//! `/api/v1/transcripts/{id}`.

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use plenary_store::StoredTranscript;

use crate::error::{api_param, param, ApiError, Fail, PageError};
use crate::links::{person_href, session_href};
use crate::state::AppState;
use crate::views::render;

type PageResult = Result<Response, PageError>;

/// One turn as shown.
struct TurnView {
    n: usize,
    speaker: String,
    /// The person's page, when the speaker is linked to one.
    href: Option<String>,
    /// Who the link says it is, and why.
    link: String,
    paragraphs: Vec<String>,
    notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "transcript.html")]
struct TranscriptPage {
    title: String,
    nav: &'static str,
    t: StoredTranscript,
    session_href: Option<String>,
    session_title: String,
    turns: Vec<TurnView>,
    speakers: Vec<(String, Option<String>, String)>,
}

async fn load(st: &AppState, id: String) -> Result<StoredTranscript, Fail> {
    let key = id.clone();
    st.query(move |s| s.transcript(&key))
        .await?
        .ok_or_else(|| Fail::NotFound(format!("No transcript {id}.")))
}

pub(crate) async fn transcript_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = param(id)?;
    let t = load(&st, id).await?;
    let sid = t.session_id.clone();
    let person_ids: Vec<String> = t
        .links
        .speakers
        .iter()
        .filter_map(|l| l.person.clone())
        .collect();
    let (session, people) = st
        .query(move |s| {
            let session = match &sid {
                Some(id) => s.session(id)?.map(|(x, _)| x.title),
                None => None,
            };
            let people = person_ids
                .iter()
                .map(|p| Ok((p.clone(), s.person(p)?.map(|r| r.name))))
                .collect::<Result<Vec<_>, plenary_store::StoreError>>()?;
            Ok((session, people))
        })
        .await?;
    let name_of = |p: &str| {
        people
            .iter()
            .find(|(id, _)| id == p)
            .and_then(|(_, n)| n.clone())
            .unwrap_or_else(|| p.to_string())
    };
    let speakers = t
        .links
        .speakers
        .iter()
        .map(|l| {
            let who = match (&l.person, &l.panellist_name) {
                (Some(p), _) => format!(
                    "{} ({}, confidence {:.2})",
                    name_of(p),
                    l.evidence,
                    l.confidence
                ),
                (None, Some(n)) => format!("{n} ({}, confidence {:.2})", l.evidence, l.confidence),
                (None, None) => "not linked".to_string(),
            };
            (l.written.clone(), l.person.as_deref().map(person_href), who)
        })
        .collect();
    let turns = t
        .transcript
        .turns
        .iter()
        .enumerate()
        .map(|(n, turn)| {
            let link = turn
                .speaker
                .as_ref()
                .and_then(|w| t.links.speakers.iter().find(|l| l.written == *w));
            TurnView {
                n,
                speaker: turn.speaker.clone().unwrap_or_else(|| "(unnamed)".into()),
                href: link.and_then(|l| l.person.as_deref()).map(person_href),
                link: link
                    .and_then(|l| l.person.as_deref())
                    .map(name_of)
                    .unwrap_or_default(),
                paragraphs: turn.text.lines().map(str::to_string).collect(),
                notes: turn.notes.clone(),
            }
        })
        .collect();
    let page = TranscriptPage {
        title: t.transcript.title.clone(),
        nav: "events",
        session_href: t.session_id.as_deref().map(session_href),
        session_title: session.unwrap_or_default(),
        turns,
        speakers,
        t,
    };
    Ok(render(&page, StatusCode::OK))
}

pub(crate) async fn transcript_api(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<StoredTranscript>, ApiError> {
    let id = api_param(id)?;
    Ok(Json(load(&st, id).await?))
}
