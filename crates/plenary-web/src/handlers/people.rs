//! People and organisations: who wrote and spoke, their affiliations with
//! evidence, and their JSON twins.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use plenary_people::PersonRecord;
use plenary_store::MessageSummary;
use serde::Serialize;

use crate::charts::bar_chart;
use crate::error::{api_param, param, ApiError, Fail, PageError};
use crate::links::{
    message_href, org_href, person_href, session_href, thread_href, transcript_href, web_href,
};
use crate::state::AppState;
use crate::views::render;

type PageResult = Result<Response, PageError>;

/// Every address a person record carries, in any field (its name when the
/// name is an address, the names seen, merge reasons, affiliation evidence),
/// shown as the server is told to.
fn obfuscate(st: &AppState, p: &mut PersonRecord) {
    let a = st.addresses;
    p.addresses = p.addresses.iter().map(|x| a.addr(x)).collect();
    p.name = a.text(&p.name).into_owned();
    p.names = p.names.iter().map(|n| a.text(n).into_owned()).collect();
    for m in &mut p.merges {
        m.reason = a.text(&m.reason).into_owned();
    }
    for af in &mut p.affiliations {
        af.evidence = a.text(&af.evidence).into_owned();
    }
}

/// One person, addresses shown as the server is told to.
async fn person_data(st: &AppState, id: String) -> Result<PersonRecord, Fail> {
    let key = id.clone();
    let p = st.query(move |s| s.person(&key)).await?;
    let mut p = p.ok_or_else(|| Fail::NotFound(format!("No person {id}.")))?;
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

/// The most active people first, at most `limit`, addresses shown as the
/// server is told to.
async fn people_data(st: &AppState, limit: usize) -> Result<Vec<PersonRecord>, Fail> {
    let mut v = st.query(move |s| s.people(limit)).await?;
    for p in &mut v {
        obfuscate(st, p);
    }
    Ok(v)
}

pub(crate) async fn people_page(State(st): State<AppState>) -> PageResult {
    let all = people_data(&st, PEOPLE_SHOWN).await?;
    let total = st.query(|s| s.stats()).await?.people as usize;
    let people = all
        .iter()
        .map(|p| {
            let a = p.affiliations.first();
            PersonRow {
                href: person_href(&p.id),
                name: p.name.clone(),
                messages: p.messages + p.reconstructed,
                affiliation: a.and_then(|a| a.organization.clone()).unwrap_or_default(),
                group: a
                    .and_then(|a| a.stakeholder_group.as_deref())
                    .map(|g| crate::views::group_label(st.frameworks(), g))
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
    /// Transcripts they spoke in: (href, title, turns).
    spoke: Vec<(String, String, usize)>,
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
) -> PageResult {
    let id = param(id)?;
    let p = person_data(&st, id.clone()).await?;
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
        .map(|o| {
            let oid = &o.id;
            let mut o = o.clone();
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
            (
                person_href(oid),
                what,
                format!("plenary people merge \"{mine}\" \"{theirs}\""),
            )
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
    // "spoke in": turns linked to them, by transcript
    let mut turns_by: Vec<(String, usize)> = Vec::new();
    for (_, target) in links.iter().filter(|(k, _)| k == "turn") {
        let tid = target.rsplit_once('#').map_or(target.as_str(), |(t, _)| t);
        match turns_by.iter_mut().find(|(t, _)| t == tid) {
            Some(e) => e.1 += 1,
            None => turns_by.push((tid.to_string(), 1)),
        }
    }
    let spoke = st
        .query(move |s| {
            turns_by
                .into_iter()
                .map(|(tid, n)| {
                    let title = s
                        .transcript(&tid)?
                        .map(|t| t.transcript.title)
                        .unwrap_or_else(|| tid.clone());
                    Ok((transcript_href(&tid), title, n))
                })
                .collect::<Result<Vec<_>, plenary_store::StoreError>>()
        })
        .await?;
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
                .map(|i| s.person(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    let co = co
        .iter()
        .zip(co_json)
        .map(|((pid, n), j)| CoView {
            href: person_href(pid),
            name: j.map(|x| x.name).unwrap_or_else(|| pid.clone()),
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
                .as_deref()
                .map(|g| crate::views::group_label(st.frameworks(), g))
                .unwrap_or_else(|| "unknown".into()),
            country: a.country.clone().unwrap_or_default(),
            region: a
                .regional_group
                .as_deref()
                .map(|g| crate::views::group_label(st.frameworks(), g))
                .unwrap_or_default(),
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
    // Sessions by title (event, title), not by id.
    let ids: Vec<String> = p.sessions.iter().map(|s| s.id.clone()).collect();
    let titles = st
        .query(move |s| {
            ids.iter()
                .map(|id| {
                    s.session(id)
                        .map(|x| x.map(|(sess, _)| format!("{} — {}", sess.event, sess.title)))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    let sessions = p
        .sessions
        .iter()
        .zip(titles)
        .map(|(s, title)| {
            (
                session_href(&s.id),
                title.unwrap_or_else(|| s.id.clone()),
                s.role.clone().unwrap_or_else(|| "speaker".into()),
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
            spoke,
            p,
        },
        StatusCode::OK,
    ))
}

pub(crate) async fn person_api(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<PersonRecord>, ApiError> {
    let id = api_param(id)?;
    Ok(Json(person_data(&st, id).await?))
}

pub(crate) async fn people_api(
    State(st): State<AppState>,
) -> Result<Json<Vec<PersonRecord>>, ApiError> {
    Ok(Json(people_data(&st, 100_000).await?))
}

// ---------------------------------------------------------------- organisations

#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct OrgData {
    organization: plenary_frameworks::Organization,
    people: Vec<OrgPerson>,
    /// Messages by year written by people affiliated with it.
    activity: BTreeMap<String, u64>,
}

#[derive(Serialize, schemars::JsonSchema)]
struct OrgPerson {
    id: String,
    name: String,
    source: String,
    evidence: String,
}

async fn org_data(st: &AppState, id: String) -> Result<OrgData, Fail> {
    let org = st
        .frameworks()
        .organizations
        .iter()
        .find(|o| o.id == id)
        .cloned()
        .ok_or_else(|| Fail::NotFound(format!("No organisation {id}.")))?;
    let all = st.query(|s| s.people(usize::MAX)).await?;
    let mut people = Vec::new();
    let mut ids = Vec::new();
    for p in all {
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
    /// The organisation's web address when it may be a link.
    web: Option<String>,
    people: Vec<(String, String, String, String)>,
    chart: String,
    /// The stakeholder group in words.
    group: String,
}

pub(crate) async fn org_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
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
            group: crate::views::group_label(st.frameworks(), &d.organization.stakeholder_group),
            web: web_href(&d.organization.url),
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
}

pub(crate) async fn org_api(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<OrgData>, ApiError> {
    let id = api_param(id)?;
    Ok(Json(org_data(&st, id).await?))
}
