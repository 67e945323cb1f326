//! People, organisations, participation balance (server-rendered SVG charts with a table
//! beside each) and reply networks, with JSON/CSV/GraphML twins.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use plenary_people::balance::{Balance, Dimension};
use plenary_people::PersonRecord;
use plenary_pipeline::Scope;
use plenary_store::MessageSummary;
use serde::{Deserialize, Serialize};

use crate::pages::{error_response, message_href, param, render, thread_href};
use crate::text::encode_segment;
use crate::{AppState, Fail};

pub(crate) fn person_href(id: &str) -> String {
    format!("/people/{}", encode_segment(id))
}

pub(crate) fn org_href(id: &str) -> String {
    format!("/organizations/{}", encode_segment(id))
}

fn people_err(e: plenary_pipeline::PipelineError) -> plenary_store::StoreError {
    match e {
        plenary_pipeline::PipelineError::Store(s) => s,
        other => plenary_store::StoreError::Corrupt(other.to_string()),
    }
}

fn obfuscate(st: &AppState, p: &mut PersonRecord) {
    p.addresses = p.addresses.iter().map(|a| st.addresses.addr(a)).collect();
    for a in &mut p.affiliations {
        if a.source == "email-domain" {
            a.evidence = st.addresses.addr(&a.evidence);
        }
    }
}

async fn person(st: &AppState, id: String) -> Result<PersonRecord, Fail> {
    let key = id.clone();
    let json = st.query(move |s| s.person_json(&key)).await?;
    let json = json.ok_or_else(|| Fail::NotFound(format!("No person {id}.")))?;
    let mut p: PersonRecord =
        serde_json::from_str(&json).map_err(|e| Fail::Internal(e.to_string()))?;
    obfuscate(st, &mut p);
    Ok(p)
}

// ---------------------------------------------------------------- people list

struct PersonRow {
    href: String,
    name: String,
    messages: u64,
    affiliation: String,
    group: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    title: String,
    nav: &'static str,
    people: Vec<PersonRow>,
    total: usize,
}

const PEOPLE_SHOWN: usize = 500;

pub(crate) async fn people_page(State(st): State<AppState>) -> Response {
    let r = async {
        let all = st.query(|s| s.people_json(PEOPLE_SHOWN)).await?;
        let total = st.query(|s| s.stats()).await?.people as usize;
        let people = all
            .iter()
            .filter_map(|j| serde_json::from_str::<PersonRecord>(j).ok())
            .map(|p| {
                let a = p.affiliations.first();
                PersonRow {
                    href: person_href(&p.id),
                    name: p.name.clone(),
                    messages: p.messages + p.reconstructed,
                    affiliation: a.and_then(|a| a.organization.clone()).unwrap_or_default(),
                    group: a
                        .and_then(|a| a.stakeholder_group.clone())
                        .unwrap_or_else(|| "unknown".into()),
                }
            })
            .collect();
        Ok(render(
            &PeoplePage {
                title: "People".into(),
                nav: "people",
                people,
                total,
            },
            StatusCode::OK,
        ))
    };
    r.await.unwrap_or_else(error_response)
}

// ---------------------------------------------------------------- one person

struct AffView {
    organization: String,
    org_href: Option<String>,
    group: String,
    country: String,
    region: String,
    source: String,
    evidence: String,
    span: String,
}

struct MsgView {
    href: String,
    thread_href: Option<String>,
    subject: String,
    date: String,
    list: String,
    reconstructed: bool,
}

struct CoView {
    href: String,
    name: String,
    threads: u64,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    title: String,
    nav: &'static str,
    p: PersonRecord,
    affs: Vec<AffView>,
    sessions: Vec<(String, String, String)>,
    messages: Vec<MsgView>,
    co: Vec<CoView>,
    /// Others under the same name: (href, affiliation or address, merge command).
    namesakes: Vec<(String, String, String)>,
}

fn msg_views(v: Vec<MessageSummary>) -> Vec<MsgView> {
    v.into_iter()
        .map(|m| MsgView {
            href: message_href(&m.id),
            thread_href: m.thread_id.as_deref().map(thread_href),
            subject: m.subject.clone().unwrap_or_else(|| "(no subject)".into()),
            date: m
                .date
                .as_deref()
                .map(|d| d.get(..10).unwrap_or(d).to_string())
                .unwrap_or_default(),
            list: m.list.clone(),
            reconstructed: m.reconstructed,
        })
        .collect()
}

pub(crate) async fn person_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = param(id)?;
        let p = person(&st, id.clone()).await?;
        let key = id.clone();
        let pname = p.name.clone();
        let (links, co, same_name) = st
            .query(move |s| {
                Ok((
                    s.links_of(&key)?,
                    s.co_participants(&key, 12)?,
                    s.people_named(&pname, &key)?,
                ))
            })
            .await?;
        let mine = p
            .addresses
            .first()
            .cloned()
            .unwrap_or_else(|| p.name.clone());
        let namesakes = same_name
            .iter()
            .filter_map(|(oid, j)| {
                let mut o: PersonRecord = serde_json::from_str(j).ok()?;
                obfuscate(&st, &mut o);
                let what = o
                    .affiliations
                    .first()
                    .and_then(|a| a.organization.clone())
                    .or_else(|| o.addresses.first().cloned())
                    .unwrap_or_default();
                let theirs = o
                    .addresses
                    .first()
                    .cloned()
                    .unwrap_or_else(|| o.name.clone());
                Some((
                    person_href(oid),
                    what,
                    format!("plenary people merge \"{mine}\" \"{theirs}\""),
                ))
            })
            .collect();
        let msg_ids: Vec<String> = links
            .iter()
            .filter(|(k, _)| k == "message")
            .map(|(_, t)| t.clone())
            .take(200)
            .collect();
        let rec_ids: Vec<String> = links
            .iter()
            .filter(|(k, _)| k == "reconstructed")
            .map(|(_, t)| t.clone())
            .take(200)
            .collect();
        let (mut msgs, recs) = st
            .query(move |s| {
                Ok((
                    s.message_summaries(&msg_ids, false)?,
                    s.message_summaries(&rec_ids, true)?,
                ))
            })
            .await?;
        msgs.extend(recs);
        msgs.sort_by(|a, b| b.date.cmp(&a.date));
        let co_ids: Vec<String> = co.iter().map(|c| c.0.clone()).collect();
        let co_json = st
            .query(move |s| {
                co_ids
                    .iter()
                    .map(|i| s.person_json(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        let co = co
            .iter()
            .zip(co_json)
            .map(|((pid, n), j)| CoView {
                href: person_href(pid),
                name: j
                    .and_then(|j| serde_json::from_str::<PersonRecord>(&j).ok())
                    .map(|x| x.name)
                    .unwrap_or_else(|| pid.clone()),
                threads: *n,
            })
            .collect();
        let affs = p
            .affiliations
            .iter()
            .map(|a| AffView {
                organization: a.organization.clone().unwrap_or_default(),
                org_href: a.organization_id.as_deref().map(org_href),
                group: a
                    .stakeholder_group
                    .clone()
                    .unwrap_or_else(|| "unknown".into()),
                country: a.country.clone().unwrap_or_default(),
                region: a.regional_group.clone().unwrap_or_default(),
                source: a.source.clone(),
                evidence: a.evidence.clone(),
                span: match (&a.from, &a.to) {
                    (Some(f), Some(t)) if f != t => format!("{f} – {t}"),
                    (Some(f), _) => f.clone(),
                    (None, Some(t)) => t.clone(),
                    _ => String::new(),
                },
            })
            .collect();
        let sessions = p
            .sessions
            .iter()
            .map(|s| {
                (
                    crate::agenda::session_href(&s.id),
                    s.id.clone(),
                    s.role.clone().unwrap_or_default(),
                )
            })
            .collect();
        Ok(render(
            &PersonPage {
                title: p.name.clone(),
                nav: "people",
                affs,
                sessions,
                messages: msg_views(msgs),
                co,
                namesakes,
                p,
            },
            StatusCode::OK,
        ))
    };
    r.await.unwrap_or_else(error_response)
}

pub(crate) async fn api_person(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = crate::api::api_param(id)?;
        person(&st, id).await
    };
    crate::api::finish(r.await)
}

pub(crate) async fn api_people(State(st): State<AppState>) -> Response {
    let r = async {
        let all = st.query(|s| s.people_json(100_000)).await?;
        let mut v: Vec<PersonRecord> = all
            .iter()
            .filter_map(|j| serde_json::from_str(j).ok())
            .collect();
        for p in &mut v {
            obfuscate(&st, p);
        }
        Ok::<_, Fail>(v)
    };
    crate::api::finish(r.await)
}

// ---------------------------------------------------------------- organisations

#[derive(Serialize)]
pub(crate) struct OrgData {
    organization: plenary_frameworks::Organization,
    people: Vec<OrgPerson>,
    /// Messages by year written by people affiliated with it.
    activity: BTreeMap<String, u64>,
}

#[derive(Serialize)]
struct OrgPerson {
    id: String,
    name: String,
    source: String,
    evidence: String,
}

async fn org_data(st: &AppState, id: String) -> Result<OrgData, Fail> {
    let org = st
        .frameworks
        .organizations
        .iter()
        .find(|o| o.id == id)
        .cloned()
        .ok_or_else(|| Fail::NotFound(format!("No organisation {id}.")))?;
    let all = st.query(|s| s.people_json(usize::MAX >> 1)).await?;
    let mut people = Vec::new();
    let mut ids = Vec::new();
    for j in &all {
        let Ok(p) = serde_json::from_str::<PersonRecord>(j) else {
            continue;
        };
        if let Some(a) = p
            .affiliations
            .iter()
            .find(|a| a.organization_id.as_deref() == Some(org.id.as_str()))
        {
            people.push(OrgPerson {
                id: p.id.clone(),
                name: p.name.clone(),
                source: a.source.clone(),
                evidence: if a.source == "email-domain" {
                    st.addresses.addr(&a.evidence)
                } else {
                    a.evidence.clone()
                },
            });
            ids.push(p.id.clone());
        }
    }
    let activity = st
        .query(move |s| {
            let mut by_year: BTreeMap<String, u64> = BTreeMap::new();
            for pid in &ids {
                let links = s.links_of(pid)?;
                let msgs: Vec<String> = links
                    .iter()
                    .filter(|(k, _)| k == "message")
                    .map(|(_, t)| t.clone())
                    .collect();
                for m in s.message_summaries(&msgs, false)? {
                    if let Some(y) = m.date.as_deref().and_then(|d| d.get(..4)) {
                        *by_year.entry(y.to_string()).or_default() += 1;
                    }
                }
            }
            Ok(by_year)
        })
        .await?;
    Ok(OrgData {
        organization: org,
        people,
        activity,
    })
}

#[derive(Template)]
#[template(path = "organization.html")]
struct OrgPage {
    title: String,
    nav: &'static str,
    d: OrgData,
    people: Vec<(String, String, String, String)>,
    chart: String,
}

pub(crate) async fn org_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = param(id)?;
        let d = org_data(&st, id).await?;
        let bars: Vec<(String, f64, String)> = d
            .activity
            .iter()
            .map(|(y, n)| (y.clone(), *n as f64, n.to_string()))
            .collect();
        let chart = bar_chart("Messages per year", "messages", &bars);
        Ok(render(
            &OrgPage {
                title: d.organization.name.clone(),
                nav: "people",
                people: d
                    .people
                    .iter()
                    .map(|p| {
                        (
                            person_href(&p.id),
                            p.name.clone(),
                            p.source.clone(),
                            p.evidence.clone(),
                        )
                    })
                    .collect(),
                chart,
                d,
            },
            StatusCode::OK,
        ))
    };
    r.await.unwrap_or_else(error_response)
}

pub(crate) async fn api_org(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = crate::api::api_param(id)?;
        org_data(&st, id).await
    };
    crate::api::finish(r.await)
}

// ---------------------------------------------------------------- balance

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

async fn balance_of(st: &AppState, q: &BalanceQuery) -> Result<(Balance, String), Fail> {
    let (scope, label) = scope_of(q)?;
    let by = q.by.as_deref().unwrap_or("stakeholder-group");
    let dim = Dimension::parse(by).ok_or_else(|| {
        Fail::BadRequest(format!(
            "by={by}: use stakeholder-group, region, m49-region, global-south or organization"
        ))
    })?;
    let fw = st.frameworks.clone();
    let b = st
        .query(move |s| plenary_pipeline::balance(s, &fw, &scope, dim, 10).map_err(people_err))
        .await?;
    Ok((b, label))
}

/// A horizontal bar chart with labelled axis, readable without JavaScript.
pub(crate) fn bar_chart(title: &str, unit: &str, bars: &[(String, f64, String)]) -> String {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let row_h = 26.0;
    let label_w = 230.0;
    let bar_w = 360.0;
    let h = 40.0 + row_h * bars.len() as f64 + 30.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 {} {h}\" class=\"chart\"><title id=\"chart-title\">{}</title>",
        label_w + bar_w + 150.0,
        esc(title)
    );
    for (i, (label, v, text)) in bars.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let w = (v / max * bar_w).max(if *v > 0.0 { 1.0 } else { 0.0 });
        let short: String = label.chars().take(34).collect();
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" class=\"bar{}\"/><text x=\"{}\" y=\"{}\" class=\"value\">{}</text>",
            label_w - 8.0,
            y + 17.0,
            esc(&short),
            label_w,
            y + 4.0,
            row_h - 8.0,
            if label == "unknown" { " unknown" } else { "" },
            label_w + w + 6.0,
            y + 17.0,
            esc(text)
        ));
    }
    let axis_y = 30.0 + row_h * bars.len() as f64 + 6.0;
    s.push_str(&format!(
        "<line x1=\"{label_w}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\" class=\"axis\"/><text x=\"{label_w}\" y=\"{}\" class=\"label\">0</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{} {}</text></svg>",
        label_w + bar_w,
        axis_y + 16.0,
        label_w + bar_w,
        axis_y + 16.0,
        max,
        esc(unit)
    ));
    s
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
}

fn query_string(q: &BalanceQuery, by: &str) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("list", &q.list),
        ("thread", &q.thread),
        ("event", &q.event),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", encode_segment(v)));
        }
    }
    parts.push(format!("by={by}"));
    parts.join("&")
}

pub(crate) async fn balance_page(
    State(st): State<AppState>,
    Query(q): Query<BalanceQuery>,
) -> Response {
    let r = async {
        let (b, label) = balance_of(&st, &q).await?;
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
                label,
                chart,
                by,
                dims,
                people,
                b,
            },
            StatusCode::OK,
        ))
    };
    r.await.unwrap_or_else(error_response)
}

pub(crate) async fn api_balance(
    State(st): State<AppState>,
    q: Result<Query<BalanceQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(q) = match q {
        Ok(q) => q,
        Err(e) => return crate::api::error_response(Fail::BadRequest(e.body_text())),
    };
    let r = balance_of(&st, &q).await;
    match r {
        Ok((b, _)) if q.format.as_deref() == Some("csv") => {
            let mut csv =
                String::from("group,messages,share_percent,words,participants,declared,inferred\n");
            for r in &b.rows {
                let g = r.group.replace('"', "\"\"");
                csv.push_str(&format!(
                    "\"{g}\",{},{},{},{},{},{}\n",
                    r.messages, r.share, r.words, r.participants, r.declared, r.inferred
                ));
            }
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                )],
                csv,
            )
                .into_response()
        }
        Ok((b, _)) => Json(b).into_response(),
        Err(f) => crate::api::error_response(f),
    }
}

// ---------------------------------------------------------------- network

pub(crate) async fn api_network(
    State(st): State<AppState>,
    q: Result<Query<BalanceQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(q) = match q {
        Ok(q) => q,
        Err(e) => return crate::api::error_response(Fail::BadRequest(e.body_text())),
    };
    let r = async {
        let (scope, _) = scope_of(&q)?;
        if matches!(scope, Scope::Event(_) | Scope::Sessions(_)) {
            return Err(Fail::BadRequest(
                "A reply network is per list or thread.".into(),
            ));
        }
        let (_, replies) = st
            .query(move |s| plenary_pipeline::contributions(s, &scope).map_err(people_err))
            .await?;
        Ok(plenary_people::network::build(&replies))
    };
    match r.await {
        Ok(n) if q.format.as_deref() == Some("graphml") => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/graphml+xml; charset=utf-8"),
            )],
            n.to_graphml(),
        )
            .into_response(),
        Ok(n) => Json(n).into_response(),
        Err(f) => crate::api::error_response(f),
    }
}

/// The reply network drawn on a circle (the 40 most active people), edges as lines whose
/// width grows with the replies; readable without JavaScript, with a table beside it.
pub(crate) fn network_svg(n: &plenary_people::network::Network) -> String {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
    let shown: Vec<&plenary_people::network::Node> = n.nodes.iter().take(40).collect();
    let (cx, cy, r) = (320.0_f64, 300.0_f64, 210.0_f64);
    let pos: std::collections::HashMap<&str, (f64, f64)> = shown
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let a = i as f64 / shown.len().max(1) as f64 * std::f64::consts::TAU
                - std::f64::consts::FRAC_PI_2;
            (node.id.as_str(), (cx + r * a.cos(), cy + r * a.sin()))
        })
        .collect();
    let max_w = n.edges.iter().map(|e| e.weight).max().unwrap_or(1).max(1) as f64;
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"net-title\" viewBox=\"0 0 640 600\" class=\"chart network\"><title id=\"net-title\">Who answers whom</title>",
    );
    for e in &n.edges {
        if let (Some(a), Some(b)) = (pos.get(e.source.as_str()), pos.get(e.target.as_str())) {
            s.push_str(&format!(
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" class=\"edge\" stroke-width=\"{:.1}\"><title>{} replies</title></line>",
                a.0, a.1, b.0, b.1, 0.8 + 5.0 * e.weight as f64 / max_w, e.weight
            ));
        }
    }
    for node in &shown {
        let (x, y) = pos[node.id.as_str()];
        let anchor = if x < cx - 1.0 { "end" } else { "start" };
        let dx = if x < cx - 1.0 { -8.0 } else { 8.0 };
        s.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" class=\"bar\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" class=\"label\">{}</text>",
            3.0 + (node.messages as f64).sqrt().min(9.0),
            x + dx,
            y + 4.0,
            esc(&node.name.chars().take(24).collect::<String>())
        ));
    }
    s.push_str("</svg>");
    s
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
) -> Response {
    let r = async {
        let (scope, label) = scope_of(&q)?;
        if matches!(scope, Scope::Event(_) | Scope::Sessions(_)) {
            return Err(Fail::BadRequest(
                "A reply network is per list or thread.".into(),
            ));
        }
        let (_, replies) = st
            .query(move |s| plenary_pipeline::contributions(s, &scope).map_err(people_err))
            .await?;
        let net = plenary_people::network::build(&replies);
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
    };
    r.await.unwrap_or_else(error_response)
}
