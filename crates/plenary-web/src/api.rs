//! The JSON API under `/api/v1`: the store's model types, with addresses
//! obfuscated unless the server was told to show them.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use plenary_store::{ListSummary, MessageDetail, ThreadDetail, ThreadSummary};
use serde::{Deserialize, Serialize};

use crate::pages::{find_message, message_path, raw_response, Found};
use crate::text::{self, Addresses};
use crate::{AppState, Fail};

/// The JSON shape of a failure: `{"error": "..."}`.
pub(crate) fn error_response(fail: Fail) -> Response {
    crate::error::ApiError(fail).into_response()
}

/// A result as JSON, or the JSON shape of its failure.
pub(crate) fn finish<T: Serialize>(r: Result<T, Fail>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(f) => error_response(f),
    }
}

/// A path parameter for the API: a failure is a JSON 400.
pub(crate) fn api_param<T>(p: Result<Path<T>, PathRejection>) -> Result<T, Fail> {
    p.map(|Path(v)| v).map_err(path_fail)
}

fn path_fail(e: PathRejection) -> Fail {
    Fail::BadRequest(e.body_text())
}

// ---------------------------------------------------------------- obfuscation

fn list_out(mut l: ListSummary, a: Addresses) -> ListSummary {
    l.address = a.opt(l.address.as_deref());
    l
}

fn thread_summary_out(mut t: ThreadSummary, a: Addresses) -> ThreadSummary {
    t.subject = a.text(&t.subject).into_owned();
    t
}

fn thread_out(mut t: ThreadDetail, a: Addresses) -> ThreadDetail {
    t.subject = a.text(&t.subject).into_owned();
    for m in &mut t.messages {
        m.author.address = a.opt(m.author.address.as_deref());
        m.subject = m.subject.as_deref().map(|s| a.text(s).into_owned());
    }
    t
}

fn message_out(mut m: MessageDetail, a: Addresses) -> MessageDetail {
    m.author.address = a.opt(m.author.address.as_deref());
    m.author.via_list = a.opt(m.author.via_list.as_deref());
    m.to = m.to.iter().map(|x| a.addr(x)).collect();
    m.cc = m.cc.iter().map(|x| a.addr(x)).collect();
    m.subject = m.subject.as_deref().map(|s| a.text(s).into_owned());
    m.body = a.text(&m.body).into_owned();
    m.warnings = m.warnings.iter().map(|w| a.text(w).into_owned()).collect();
    m.origin = public_origin(&m.origin);
    m
}

/// The import origin without the server's folders: `…/2005-April.txt#12` → `2005-April.txt#12`.
fn public_origin(origin: &str) -> String {
    origin
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(origin)
        .to_string()
}

// ---------------------------------------------------------------- handlers

pub(crate) async fn lists(State(st): State<AppState>) -> Response {
    let a = st.addresses;
    finish(
        st.query(|s| s.lists())
            .await
            .map(|v| v.into_iter().map(|l| list_out(l, a)).collect::<Vec<_>>()),
    )
}

pub(crate) async fn stats(State(st): State<AppState>) -> Response {
    finish(st.query(|s| s.stats()).await)
}

#[derive(Deserialize)]
pub(crate) struct ThreadsQuery {
    month: Option<String>,
    limit: Option<String>,
}

/// Threads returned when `limit` is not given, and the most ever returned.
const DEFAULT_LIMIT: usize = 1000;
const MAX_LIMIT: usize = 100_000;

pub(crate) async fn threads(
    State(st): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
    query: Result<Query<ThreadsQuery>, QueryRejection>,
) -> Response {
    finish(threads_of(st, slug, query).await)
}

async fn threads_of(
    st: AppState,
    slug: Result<Path<String>, PathRejection>,
    query: Result<Query<ThreadsQuery>, QueryRejection>,
) -> Result<Vec<ThreadSummary>, Fail> {
    let Path(slug) = slug.map_err(path_fail)?;
    let Query(q) = query.map_err(|e| Fail::BadRequest(e.body_text()))?;
    let month = q.month.filter(|m| !m.is_empty());
    if let Some(m) = &month {
        if !text::valid_month(m) {
            return Err(Fail::BadRequest(format!(
                "month must be YYYY-MM, got {m:?}"
            )));
        }
    }
    let limit = match q.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Fail::BadRequest(format!("limit must be a positive number, got {l:?}")))?
            .min(MAX_LIMIT),
    };
    let a = st.addresses;
    let found = st
        .query(move |s| {
            if s.list(&slug)?.is_none() {
                return Ok(Err(slug));
            }
            Ok(Ok(s.threads(Some(&slug), month.as_deref(), limit)?))
        })
        .await?;
    match found {
        Ok(v) => Ok(v.into_iter().map(|t| thread_summary_out(t, a)).collect()),
        Err(slug) => Err(Fail::NotFound(format!("no list {slug:?}"))),
    }
}

pub(crate) async fn thread(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let a = st.addresses;
    let r = async {
        let Path(id) = id.map_err(path_fail)?;
        let q = id.clone();
        st.query(move |s| s.thread(&q))
            .await?
            .map(|t| thread_out(t, a))
            .ok_or_else(|| Fail::NotFound(format!("no thread {id:?}")))
    };
    finish(r.await)
}

pub(crate) async fn message_route(State(st): State<AppState>, uri: Uri) -> Response {
    let a = st.addresses;
    let r = async {
        let p = message_path(&uri, "/api/v1/messages/")?;
        find_message(&st, p).await
    };
    match r.await {
        Ok(Found::Message(m)) => Json(message_out(*m, a)).into_response(),
        Ok(Found::Raw(id, bytes)) => raw_response(&id, bytes),
        Ok(Found::Nothing) => error_response(Fail::NotFound("no such message".into())),
        Err(f) => error_response(f),
    }
}

/// `GET /api/v1/lists/{list}`: the list and its months (the list page's twin).
pub(crate) async fn list(
    State(st): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> Response {
    let a = st.addresses;
    let r = async {
        let slug = api_param(slug)?;
        let key = slug.clone();
        let (list, months) = st
            .query(move |s| Ok((s.list(&key)?, s.months(&key)?)))
            .await?;
        let list = list.ok_or_else(|| Fail::NotFound(format!("no list {slug}")))?;
        Ok(serde_json::json!({ "list": list_out(list, a), "months": months }))
    };
    finish(r.await)
}

/// `GET /api/v1/home`: what the home page shows.
pub(crate) async fn home(State(st): State<AppState>) -> Response {
    let a = st.addresses;
    let r = async {
        let (lists, threads, sessions) = st
            .query(|s| Ok((s.lists()?, s.threads(None, None, 20)?, s.sessions(None)?)))
            .await?;
        // The home page's own choice, so page and twin agree.
        let (upcoming, recent) = crate::agenda::upcoming_and_recent(&sessions, 6);
        let out = |v: Vec<crate::agenda::SessionLink>| {
            v.into_iter()
                .map(|l| serde_json::json!({"url": l.href, "title": l.title, "event": l.event, "when": l.when}))
                .collect::<Vec<_>>()
        };
        let (upcoming, recent) = (out(upcoming), out(recent));
        Ok(serde_json::json!({
            "lists": lists.into_iter().map(|l| list_out(l, a)).collect::<Vec<_>>(),
            "latest_threads": threads.into_iter().map(|t| thread_summary_out(t, a)).collect::<Vec<_>>(),
            "upcoming_sessions": upcoming,
            "recent_sessions": recent,
            "frameworks": st.frameworks.frameworks.iter().map(|f| serde_json::json!({"id": f.id, "name": f.name, "items": f.items.len()})).collect::<Vec<_>>(),
        }))
    };
    finish(r.await)
}
