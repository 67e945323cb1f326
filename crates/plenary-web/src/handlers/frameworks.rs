//! Frameworks (WSIS Action Lines, SDGs, GDC objectives, topics, and any added
//! as data): each framework's items with counts, each item with what is tagged
//! with it, and their JSON twins.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use plenary_agenda::Session;
use plenary_frameworks::{Framework, ACTION_LINES, GDC, SDGS, TOPICS};
use plenary_store::TagRow;
use plenary_store::{TagKind, TagSource};
use serde::Serialize;

use crate::error::{api_param, param, ApiError, Fail, PageError};
use crate::links::{framework_href, item_href, thread_href};
use crate::state::AppState;
use crate::views::{evidence_phrases, framework_links, render, session_row, SessionRow};

type PageResult = Result<Response, PageError>;

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
    st.frameworks()
        .get(id)
        .cloned()
        .ok_or_else(|| Fail::NotFound(format!("No framework {id}.")))
}

async fn framework_page(st: AppState, id: String) -> PageResult {
    let fwk = framework_of(&st, &id)?;
    let key = id.clone();
    let counts = st.query(move |s| s.tag_counts(&key)).await?;
    let count = |code: &str, kind: TagKind| {
        counts
            .iter()
            .filter(|(c, k, _)| c == code && *k == kind)
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
            sessions: count(&i.code, TagKind::Session),
            threads: count(&i.code, TagKind::Thread),
            messages: count(&i.code, TagKind::Message),
            sub: i.parent.is_some(),
        })
        .collect();
    Ok(render(
        &FrameworkPage {
            title: fwk.name.clone(),
            nav: "frameworks",
            source: fwk.source.clone(),
            items,
            others: framework_links(st.frameworks()),
        },
        StatusCode::OK,
    ))
}

pub(crate) async fn frameworks_index(State(st): State<AppState>) -> PageResult {
    framework_page(st, ACTION_LINES.into()).await
}

macro_rules! framework_handlers {
    ($list:ident, $item:ident, $id:expr) => {
        pub(crate) async fn $list(State(st): State<AppState>) -> PageResult {
            framework_page(st, $id.into()).await
        }
        pub(crate) async fn $item(
            State(st): State<AppState>,
            code: Result<Path<String>, PathRejection>,
        ) -> PageResult {
            item_page(st, $id.into(), param(code)?).await
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
) -> PageResult {
    framework_page(st, param(id)?).await
}

pub(crate) async fn other_item(
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
) -> PageResult {
    let (id, code) = param(p)?;
    item_page(st, id, code).await
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
#[derive(Serialize, schemars::JsonSchema)]
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
                s.tagged(&fid, &c, Some(TagKind::Session), 10_000)?,
                s.tagged(&fid, &c, Some(TagKind::Thread), 200)?,
                s.sessions(None)?,
            ))
        })
        .await?;
    let declared: Vec<String> = sessions
        .iter()
        .filter(|t| t.source == TagSource::Declared)
        .map(|t| t.target.clone())
        .collect();
    let tagged: Vec<String> = sessions
        .iter()
        .filter(|t| t.source == TagSource::Tagger && !declared.contains(&t.target))
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

async fn item_page(st: AppState, id: String, code: String) -> PageResult {
    let (fwk, data, all) = item_data(&st, id.clone(), code).await?;
    let by_id: BTreeMap<String, &Session> = all.iter().map(|s| (s.id(), s)).collect();
    let rows = |ids: &[String]| {
        ids.iter()
            .filter_map(|i| by_id.get(i))
            .map(|s| session_row(s))
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
    let page = ItemPage {
        title: format!("{} — {}", data.item.code, data.item.title),
        nav: "frameworks",
        fid: id.clone(),
        framework: fwk.name.clone(),
        framework_href: framework_href(&id),
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

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct FrameworkHead {
    id: String,
    name: String,
    source: String,
    items: usize,
}

pub(crate) async fn frameworks_api(State(st): State<AppState>) -> Json<Vec<FrameworkHead>> {
    Json(
        st.frameworks()
            .frameworks
            .iter()
            .map(|f| FrameworkHead {
                id: f.id.clone(),
                name: f.name.clone(),
                source: f.source.clone(),
                items: f.items.len(),
            })
            .collect(),
    )
}

pub(crate) async fn framework_api(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Framework>, ApiError> {
    let id = api_param(id)?;
    Ok(Json(framework_of(&st, &id)?))
}

pub(crate) async fn framework_item_api(
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<ItemData>, ApiError> {
    let (id, code) = api_param(p)?;
    Ok(Json(item_data(&st, id, code).await?.1))
}
