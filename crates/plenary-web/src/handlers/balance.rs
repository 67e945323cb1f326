//! Participation balance (a bar chart with a table beside it) and reply
//! networks (drawn on a circle, with a table) over a list, thread, event,
//! sessions, framework item or year, with JSON/CSV/GraphML twins.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use plenary_people::balance::{Balance, Dimension};
use plenary_people::network::Network;
use plenary_pipeline::Scope;
use serde::Deserialize;

use crate::charts::{bar_chart, network_svg};
use crate::error::{query_param, ApiError, Fail, PageError};
use crate::links::person_href;
use crate::state::AppState;
use crate::text::encode_segment;
use crate::views::render;

type PageResult = Result<Response, PageError>;

#[derive(Deserialize, Default)]
pub(crate) struct BalanceQuery {
    list: Option<String>,
    thread: Option<String>,
    event: Option<String>,
    /// Sessions by id, comma-separated: `sessions=a,b`.
    sessions: Option<String>,
    /// A framework item: `framework=sdgs&code=16`.
    framework: Option<String>,
    code: Option<String>,
    /// A year: `year=2025`.
    year: Option<String>,
    by: Option<String>,
    format: Option<String>,
}

fn scope_of(q: &BalanceQuery) -> Result<(Scope, String), Fail> {
    let set = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let (Some(f), Some(c)) = (set(&q.framework), set(&q.code)) {
        return Ok((
            Scope::Item(f.clone(), c.clone()),
            format!("threads tagged {f} {c}"),
        ));
    }
    if let Some(y) = set(&q.year) {
        let year: i16 = y
            .parse()
            .map_err(|_| Fail::BadRequest(format!("year={y}: not a year")))?;
        let start = |y: i16| {
            jiff::civil::date(y, 1, 1)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_second())
                .map_err(|_| Fail::BadRequest(format!("year={y}: out of range")))
        };
        let (a, b) = (start(year)?, start(year.saturating_add(1))?);
        return Ok((Scope::Period(a, b), format!("the year {year}")));
    }
    if let Some(ids) = set(&q.sessions) {
        let ids: Vec<String> = ids
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect();
        let what = format!("sessions {}", ids.join(", "));
        return Ok((Scope::Sessions(ids), what));
    }
    match (set(&q.list), set(&q.thread), set(&q.event)) {
        (Some(l), _, _) => Ok((Scope::List(l.clone()), format!("list {l}"))),
        (_, Some(t), _) => Ok((Scope::Thread(t.clone()), format!("thread {t}"))),
        (_, _, Some(e)) => Ok((Scope::Event(e.clone()), format!("event {e}"))),
        _ => Err(Fail::BadRequest(
            "Say which: ?list=, ?thread=, ?event=, ?sessions=a,b, ?framework=&code= or ?year=."
                .into(),
        )),
    }
}

/// Whether a query names no scope at all (the entry page).
fn no_scope(q: &BalanceQuery) -> bool {
    [
        &q.list,
        &q.thread,
        &q.event,
        &q.sessions,
        &q.framework,
        &q.year,
    ]
    .iter()
    .all(|v| v.as_deref().is_none_or(|s| s.trim().is_empty()))
}

async fn balance_of(st: &AppState, q: &BalanceQuery) -> Result<(Balance, String), Fail> {
    let (scope, mut label) = scope_of(q)?;
    // A thread is named by its subject, not its id.
    if let Scope::Thread(t) = &scope {
        let id = t.clone();
        if let Some(th) = st.query(move |s| s.thread(&id)).await? {
            label = format!("the thread “{}”", st.addresses.text(&th.subject));
        }
    }
    let by = q.by.as_deref().unwrap_or("stakeholder-group");
    let dim = Dimension::parse(by).ok_or_else(|| {
        Fail::BadRequest(format!(
            "by={by}: use stakeholder-group, region, m49-region, global-south or organization"
        ))
    })?;
    let fw = Arc::clone(&st.archive);
    let b = st
        .query(move |s| {
            Ok(plenary_pipeline::balance(
                s,
                fw.frameworks(),
                &scope,
                dim,
                10,
            ))
        })
        .await??;
    Ok((b, label))
}

#[derive(Template)]
#[template(path = "balance.html")]
struct BalancePage {
    title: String,
    nav: &'static str,
    label: String,
    b: Balance,
    chart: String,
    query: String,
    by: String,
    dims: Vec<(String, bool)>,
    people: Vec<(String, String, String, String)>,
    /// Whether the scope has a reply network (lists and threads have; events and
    /// sessions do not: no link to a page that would refuse it).
    network: bool,
}

/// Scopes a reply network can be drawn for (see [`network_of`]).
fn has_network(q: &BalanceQuery) -> bool {
    matches!(scope_of(q), Ok((scope, _)) if !matches!(scope, Scope::Event(_) | Scope::Sessions(_)))
}

fn query_string(q: &BalanceQuery, by: &str) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("list", &q.list),
        ("thread", &q.thread),
        ("event", &q.event),
        ("sessions", &q.sessions),
        ("framework", &q.framework),
        ("code", &q.code),
        ("year", &q.year),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", encode_segment(v)));
        }
    }
    parts.push(format!("by={by}"));
    parts.join("&")
}

#[derive(Template)]
#[template(path = "balance_entry.html")]
struct BalanceEntryPage {
    title: String,
    nav: &'static str,
    /// (href, label, what) per list, event and year.
    lists: Vec<(String, String, String)>,
    events: Vec<(String, String, String)>,
    years: Vec<(String, String)>,
}

/// `/balance` without a scope: what can be measured, linked.
async fn balance_entry(st: &AppState) -> PageResult {
    let (lists, events) = st.query(|s| Ok((s.lists()?, s.events()?))).await?;
    // every year from the first list message to the last, newest first
    let bounds: std::collections::BTreeSet<u16> = lists
        .iter()
        .flat_map(|l| [l.first.as_deref(), l.last.as_deref()])
        .flatten()
        .filter_map(|d| d.get(..4)?.parse::<u16>().ok())
        .collect();
    let years: Vec<String> = match (bounds.first(), bounds.last()) {
        (Some(a), Some(b)) => (*a..=*b).rev().map(|y| y.to_string()).collect(),
        _ => Vec::new(),
    };
    Ok(render(
        &BalanceEntryPage {
            title: "Participation balance".into(),
            nav: "people",
            lists: lists
                .iter()
                .map(|l| {
                    (
                        crate::links::balance_href("list", &l.slug),
                        l.name.clone(),
                        crate::text::plural(l.messages, "message", "messages"),
                    )
                })
                .collect(),
            events: events
                .iter()
                .map(|e| {
                    (
                        crate::links::balance_href("event", &e.id),
                        e.name.clone(),
                        crate::text::plural(e.sessions, "session", "sessions"),
                    )
                })
                .collect(),
            years: years
                .into_iter()
                .map(|y| (crate::links::balance_href("year", &y), y))
                .collect(),
        },
        StatusCode::OK,
    ))
}

pub(crate) async fn balance_page(
    State(st): State<AppState>,
    Query(q): Query<BalanceQuery>,
) -> PageResult {
    if no_scope(&q) {
        return balance_entry(&st).await;
    }
    let (mut b, label) = balance_of(&st, &q).await?;
    // Groups in words on the page ("Civil Society", not `civil-society`).
    let fw = st.frameworks();
    for r in &mut b.rows {
        r.group = crate::views::group_label(fw, &r.group);
    }
    for p in &mut b.periods {
        p.groups = std::mem::take(&mut p.groups)
            .into_iter()
            .map(|(k, v)| (crate::views::group_label(fw, &k), v))
            .collect();
    }
    for p in &mut b.people {
        p.group = crate::views::group_label(fw, &p.group);
    }
    for r in &mut b.speaking {
        r.group = crate::views::group_label(fw, &r.group);
    }
    let by = b.by.name().to_string();
    let bars: Vec<(String, f64, String)> = b
        .rows
        .iter()
        .map(|r| {
            (
                r.group.clone(),
                r.messages as f64,
                format!("{} ({:.1} %)", r.messages, r.share),
            )
        })
        .collect();
    let chart = bar_chart(&format!("Messages by {by}"), "messages", &bars);
    let dims = [
        "stakeholder-group",
        "region",
        "m49-region",
        "global-south",
        "organization",
    ]
    .iter()
    .map(|d| (d.to_string(), *d == by))
    .collect();
    let people = b
        .people
        .iter()
        .map(|p| {
            (
                person_href(&p.person),
                p.name.clone(),
                p.group.clone(),
                match (&p.source, &p.evidence) {
                    (Some(s), Some(e)) => format!(
                        "{s}: {}",
                        if s == "email-domain" {
                            st.addresses.addr(e)
                        } else {
                            e.clone()
                        }
                    ),
                    _ => "no evidence".into(),
                },
            )
        })
        .collect();
    Ok(render(
        &BalancePage {
            title: format!("Balance of {label}"),
            nav: "people",
            query: query_string(&q, &by),
            network: has_network(&q),
            label,
            chart,
            by,
            dims,
            people,
            b,
        },
        StatusCode::OK,
    ))
}

pub(crate) async fn balance_api(
    State(st): State<AppState>,
    q: Result<Query<BalanceQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query_param(q)?;
    let (b, _) = balance_of(&st, &q).await?;
    if q.format.as_deref() != Some("csv") {
        // Evidence can be an address (the email domain's): obfuscated like everything else.
        let mut v = serde_json::to_value(&b)
            .map_err(|e| Fail::Internal(format!("balance as JSON: {e}")))?;
        if !st.addresses.show {
            plenary_pipeline::privacy::obfuscate_json(&mut v);
        }
        return Ok(Json(v).into_response());
    }
    let mut csv =
        String::from("group,messages,share_percent,words,participants,declared,inferred\n");
    for r in &b.rows {
        let g = r.group.replace('"', "\"\"");
        csv.push_str(&format!(
            "\"{g}\",{},{},{},{},{},{}\n",
            r.messages, r.share, r.words, r.participants, r.declared, r.inferred
        ));
    }
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        )],
        csv,
    )
        .into_response())
}

// ---------------------------------------------------------------- network

/// The reply network of a list or thread, and the scope's label.
async fn network_of(st: &AppState, q: &BalanceQuery) -> Result<(Network, String), Fail> {
    let (scope, label) = scope_of(q)?;
    if matches!(scope, Scope::Event(_) | Scope::Sessions(_)) {
        return Err(Fail::BadRequest(
            "A reply network is per list or thread.".into(),
        ));
    }
    let (_, replies) = st
        .query(move |s| Ok(plenary_pipeline::contributions(s, &scope)))
        .await??;
    Ok((plenary_people::network::build(&replies), label))
}

pub(crate) async fn network_api(
    State(st): State<AppState>,
    q: Result<Query<BalanceQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query_param(q)?;
    let (n, _) = network_of(&st, &q).await?;
    if q.format.as_deref() == Some("graphml") {
        return Ok((
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/graphml+xml; charset=utf-8"),
            )],
            n.to_graphml(),
        )
            .into_response());
    }
    Ok(Json(n).into_response())
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    title: String,
    nav: &'static str,
    label: String,
    svg: String,
    nodes: usize,
    edges: Vec<(String, String, String, String, usize)>,
    query: String,
}

pub(crate) async fn network_page(
    State(st): State<AppState>,
    Query(q): Query<BalanceQuery>,
) -> PageResult {
    let (net, label) = network_of(&st, &q).await?;
    let name_of: std::collections::HashMap<&str, &str> = net
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.as_str()))
        .collect();
    let edges = net
        .edges
        .iter()
        .take(60)
        .map(|e| {
            (
                person_href(&e.source),
                name_of
                    .get(e.source.as_str())
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                person_href(&e.target),
                name_of
                    .get(e.target.as_str())
                    .copied()
                    .unwrap_or("")
                    .to_string(),
                e.weight,
            )
        })
        .collect();
    let query = query_string(&q, "x").trim_end_matches("&by=x").to_string();
    Ok(render(
        &NetworkPage {
            title: format!("Who answers whom in {label}"),
            nav: "people",
            svg: network_svg(&net),
            nodes: net.nodes.len(),
            label,
            edges,
            query,
        },
        StatusCode::OK,
    ))
}
