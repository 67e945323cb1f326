//! Atom feeds (lists, threads, people, framework items, searches) and mboxrd
//! exports (threads, lists, months, searches).

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use plenary_search::{SearchRequest, Sort};
use plenary_store::TagKind;
use plenary_store::{FeedMessage, Selection};
use serde::Deserialize;

use crate::error::{param, query_param, Fail, PageError};
use crate::links::{base_url, message_href, person_href, search_href};
use crate::state::AppState;
use crate::text::{encode_segment, plural, valid_month, Addresses};

type PageResult = Result<Response, PageError>;

/// Entries per feed.
const FEED_SIZE: usize = 50;
/// Messages per mbox page read from the store.
const MBOX_PAGE: usize = 500;
/// Most messages a search's mbox holds.
const SEARCH_MBOX_MAX: usize = 10_000;

fn timestamp(secs: Option<i64>) -> FixedDateTime {
    let utc = chrono::DateTime::from_timestamp(secs.unwrap_or(0), 0).unwrap_or_default();
    utc.fixed_offset()
}

fn excerpt(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut s = text[..end].trim_end().to_string();
    if end < text.len() {
        s.push('…');
    }
    s
}

fn link(href: String, rel: &str) -> Link {
    Link {
        href,
        rel: rel.to_string(),
        ..Default::default()
    }
}

fn feed(
    base: &str,
    title: String,
    self_path: &str,
    page_path: &str,
    entries: Vec<Entry>,
) -> Response {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| timestamp(None));
    // RFC 4287 §4.1.1: an author on every entry; whatever names none (a
    // session without organisers, a person found by search) is the archive's.
    // A blank name is no name (§3.2: it conveys a human-readable name).
    let mut entries = entries;
    for e in &mut entries {
        e.authors.retain(|a| !a.name.trim().is_empty());
        if e.authors.is_empty() {
            e.authors.push(plenary_author(base));
        }
    }
    let f = Feed {
        title: Text::plain(title),
        id: format!("{base}{self_path}"),
        updated,
        links: vec![
            link(format!("{base}{self_path}"), "self"),
            link(format!("{base}{page_path}"), "alternate"),
        ],
        authors: vec![plenary_author(base)],
        generator: Some(atom_syndication::Generator {
            value: "Plenary".into(),
            ..Default::default()
        }),
        entries,
        ..Default::default()
    };
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        f.to_string(),
    )
        .into_response()
}

/// The archive itself as an Atom author.
fn plenary_author(base: &str) -> Person {
    Person {
        name: "Plenary".into(),
        uri: Some(format!("{base}/")),
        ..Default::default()
    }
}

fn message_entry(base: &str, m: &FeedMessage, addresses: Addresses) -> Entry {
    let href = format!("{base}{}", message_href(&m.id));
    let title = if m.subject.is_empty() {
        "(no subject)".to_string()
    } else {
        m.subject.clone()
    };
    Entry {
        title: Text::plain(if m.reconstructed {
            format!("{title} (recovered from quotes)")
        } else {
            title
        }),
        id: href.clone(),
        updated: timestamp(m.date),
        authors: vec![Person {
            name: m
                .author_name
                .as_deref()
                .map(|n| addresses.text(n).into_owned())
                .unwrap_or_else(|| "unknown".into()),
            uri: m
                .person
                .as_deref()
                .map(|p| format!("{base}{}", person_href(p))),
            ..Default::default()
        }],
        links: vec![link(href, "alternate")],
        summary: Some(Text::plain(summary_of(m, addresses))),
        ..Default::default()
    }
}

/// An entry's summary: the text's start, after the time it was written when
/// that is a local time of unknown offset (`updated` is then the quoting
/// message's date: Atom has no floating times).
fn summary_of(m: &FeedMessage, addresses: Addresses) -> String {
    let text = addresses.text(&excerpt(&m.text, 600)).into_owned();
    match &m.local_date {
        Some(local) => format!(
            "Written {} (the writer's local time, UTC offset unknown). {text}",
            local.replacen('T', " ", 1)
        ),
        None => text,
    }
}

async fn messages_feed(
    st: &AppState,
    headers: &HeaderMap,
    sel: Selection,
    title: String,
    self_path: String,
    page_path: String,
) -> PageResult {
    let msgs = st.query(move |s| s.feed_messages(&sel, FEED_SIZE)).await?;
    let base = base_url(headers);
    let entries = msgs
        .iter()
        .map(|m| message_entry(&base, m, st.addresses))
        .collect();
    Ok(feed(&base, title, &self_path, &page_path, entries))
}

pub(crate) async fn list_feed(
    headers: HeaderMap,
    State(st): State<AppState>,
    list: Result<Path<String>, PathRejection>,
) -> PageResult {
    let list = param(list)?;
    let l = list.clone();
    let Some(summary) = st.query(move |s| s.list(&l)).await? else {
        return Err(Fail::NotFound(format!("No list {list}.")).into());
    };
    let seg = encode_segment(&list);
    messages_feed(
        &st,
        &headers,
        Selection {
            list: Some(list),
            ..Default::default()
        },
        format!("{}: latest messages", summary.name),
        format!("/lists/{seg}/feed.atom"),
        format!("/lists/{seg}"),
    )
    .await
}

pub(crate) async fn thread_feed(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = param(id)?;
    let key = id.clone();
    let Some(t) = st.query(move |s| s.thread(&key)).await? else {
        return Err(Fail::NotFound(format!("No thread {id}.")).into());
    };
    let seg = encode_segment(&id);
    // Archived and recovered messages alike.
    let ids: Vec<String> = t.messages.iter().map(|m| m.id.clone()).collect();
    let mut msgs = st.query(move |s| s.feed_messages_by_id(&ids)).await?;
    msgs.truncate(FEED_SIZE);
    let base = base_url(&headers);
    let entries = msgs
        .iter()
        .map(|m| message_entry(&base, m, st.addresses))
        .collect();
    Ok(feed(
        &base,
        st.addresses.text(&t.subject).into_owned(),
        &format!("/threads/{seg}/feed.atom"),
        &format!("/threads/{seg}"),
        entries,
    ))
}

pub(crate) async fn person_feed(
    headers: HeaderMap,
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = param(id)?;
    let key = id.clone();
    let Some(person) = st.query(move |s| s.person(&key)).await? else {
        return Err(Fail::NotFound(format!("No person {id}.")).into());
    };
    let name = person.name;
    let key = id.clone();
    let msgs = st
        .query(move |s| {
            let ids: Vec<String> = s
                .links_of(&key)?
                .into_iter()
                .filter(|(k, _)| k == "message" || k == "reconstructed")
                .map(|(_, t)| t)
                .collect();
            let mut all = s.feed_messages_by_id(&ids)?;
            all.truncate(FEED_SIZE);
            Ok(all)
        })
        .await?;
    let base = base_url(&headers);
    let seg = encode_segment(&id);
    let entries = msgs
        .iter()
        .map(|m| message_entry(&base, m, st.addresses))
        .collect();
    Ok(feed(
        &base,
        format!("{name}: messages"),
        &format!("/people/{seg}/feed.atom"),
        &format!("/people/{seg}"),
        entries,
    ))
}

/// Threads and sessions tagged with a framework item (topic, Action Line, SDG, …).
pub(crate) async fn item_feed(
    headers: HeaderMap,
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
) -> PageResult {
    let (fw_id, code) = param(p)?;
    let Some(item) = st
        .frameworks()
        .frameworks
        .iter()
        .find(|f| f.id == fw_id)
        .and_then(|f| {
            f.item(&code)
                .map(|i| (f.name.clone(), i.code.clone(), i.title.clone()))
        })
    else {
        return Err(Fail::NotFound(format!("No item {code} in {fw_id}.")).into());
    };
    let (fw_name, code, item_title) = item;
    let (f2, c2) = (fw_id.clone(), code.clone());
    let (threads, sessions) = st
        .query(move |s| {
            let tags = s.tagged(&f2, &c2, None, 2000)?;
            let thread_ids: Vec<String> = tags
                .iter()
                .filter(|t| t.kind == TagKind::Thread)
                .map(|t| t.target.clone())
                .collect();
            let mut threads = s.thread_summaries(&thread_ids)?;
            threads.sort_by(|a, b| b.last.cmp(&a.last));
            threads.truncate(FEED_SIZE);
            let mut sessions = Vec::new();
            for t in tags.iter().filter(|t| t.kind == TagKind::Session) {
                if let Some((sess, versions)) = s.session(&t.target)? {
                    if !sessions
                        .iter()
                        .any(|(x, _): &(plenary_agenda::Session, _)| x.id() == sess.id())
                    {
                        let updated = session_instant(sess.start.as_deref(), &versions);
                        sessions.push((sess, updated));
                    }
                }
            }
            Ok((threads, sessions))
        })
        .await?;
    let base = base_url(&headers);
    let mut entries: Vec<Entry> = Vec::new();
    for t in &threads {
        let href = format!("{base}/threads/{}", encode_segment(&t.id));
        let secs = t
            .last
            .as_deref()
            .and_then(|d| d.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_second());
        entries.push(Entry {
            title: Text::plain(t.subject.clone()),
            id: href.clone(),
            updated: timestamp(secs),
            links: vec![link(href, "alternate")],
            authors: vec![Person {
                name: format!("{} (list)", t.list),
                uri: Some(format!("{base}/lists/{}", encode_segment(&t.list))),
                ..Default::default()
            }],
            summary: Some(Text::plain(format!(
                "{} on {}, {}",
                plural(t.messages, "message", "messages"),
                t.list,
                plural(t.participants, "participant", "participants")
            ))),
            ..Default::default()
        });
    }
    for (s, secs) in sessions.iter().take(FEED_SIZE) {
        let href = format!("{base}/sessions/{}", encode_segment(&s.id()));
        let secs = *secs;
        entries.push(Entry {
            title: Text::plain(format!("{} — {}", s.event, s.title)),
            id: href.clone(),
            updated: timestamp(secs),
            links: vec![link(href, "alternate")],
            authors: s
                .organizers
                .iter()
                .map(|o| Person {
                    name: o.clone(),
                    ..Default::default()
                })
                .collect(),
            summary: Some(Text::plain(excerpt(&s.description, 600))),
            ..Default::default()
        });
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    let seg = format!("{}/{}", encode_segment(&fw_id), encode_segment(&code));
    Ok(feed(
        &base,
        format!("{fw_name}: {code} {item_title}"),
        &format!("/frameworks/{seg}/feed.atom"),
        &format!("/frameworks/{seg}"),
        entries,
    ))
}

/// A session's time as an Atom instant: its start when the page gave the
/// offset; otherwise (a floating local start, which Atom cannot carry) when
/// its newest version was imported — never a local time read as UTC.
fn session_instant(start: Option<&str>, versions: &[plenary_store::SessionVersion]) -> Option<i64> {
    if let Some(secs) = start
        .and_then(plenary_agenda::Moment::parse)
        .and_then(|m| m.utc_seconds())
    {
        return Some(secs);
    }
    versions
        .iter()
        .filter_map(|v| v.imported_at.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_second())
        .max()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueryParam {
    #[serde(default)]
    q: Option<String>,
}

async fn search_hits(
    st: &AppState,
    q: &str,
    limit: usize,
) -> Result<Vec<plenary_search::Hit>, Fail> {
    if q.trim().is_empty() {
        return Err(Fail::BadRequest("q is empty: pass a query.".into()));
    }
    let results = st
        .run_search(SearchRequest {
            query: q.to_string(),
            sort: Sort::Date,
            offset: 0,
            limit,
            facets: false,
        })
        .await?;
    Ok(results.hits)
}

pub(crate) async fn search_feed(
    headers: HeaderMap,
    State(st): State<AppState>,
    q: Result<Query<QueryParam>, QueryRejection>,
) -> PageResult {
    let q = query_param(q)?;
    let q = q.q.unwrap_or_default();
    let hits = search_hits(&st, &q, FEED_SIZE).await?;
    // A session's authors are its organisers, as in the framework feeds.
    let session_ids: Vec<String> = hits
        .iter()
        .filter(|h| h.kind == "session")
        .map(|h| h.id.clone())
        .collect();
    // Hits whose date is a local time of unknown offset get a real instant
    // (Atom has no floating times): a recovered message the date of the
    // archived message quoting it, a session when it was imported.
    let floating: Vec<String> = hits
        .iter()
        .filter(|h| h.kind == "reconstructed" && !h.date_exact)
        .map(|h| h.id.clone())
        .collect();
    type Found = (
        std::collections::HashMap<String, Vec<String>>,
        std::collections::HashMap<String, Option<i64>>,
    );
    let (organizers, instants): Found = st
        .query(move |s| {
            let mut out = std::collections::HashMap::new();
            let mut instants = std::collections::HashMap::new();
            for id in session_ids {
                if let Some((sess, versions)) = s.session(&id)? {
                    instants.insert(
                        id.clone(),
                        session_instant(sess.start.as_deref(), &versions),
                    );
                    out.insert(id, sess.organizers);
                }
            }
            for m in s.feed_messages_by_id(&floating)? {
                instants.insert(m.id, m.date);
            }
            Ok((out, instants))
        })
        .await?;
    let base = base_url(&headers);
    let entries = hits
        .iter()
        .map(|h| {
            let href = format!("{base}{}", h.url);
            let secs = match instants.get(&h.id) {
                Some(found) => *found,
                None => h
                    .date
                    .as_deref()
                    .filter(|_| h.date_exact)
                    .and_then(|d| d.parse::<jiff::Timestamp>().ok())
                    .map(|t| t.as_second()),
            };
            Entry {
                title: Text::plain(if h.title.is_empty() {
                    format!("({})", h.kind)
                } else {
                    h.title.clone()
                }),
                id: href.clone(),
                updated: timestamp(secs),
                links: vec![link(href, "alternate")],
                authors: h
                    .author
                    .iter()
                    .map(|a| Person {
                        name: st.addresses.text(&a.name).into_owned(),
                        uri: a
                            .person
                            .as_deref()
                            .map(|p| format!("{base}{}", person_href(p))),
                        ..Default::default()
                    })
                    .chain(
                        organizers
                            .get(&h.id)
                            .into_iter()
                            .flatten()
                            .filter(|_| h.author.is_none())
                            .map(|o| Person {
                                name: o.clone(),
                                ..Default::default()
                            }),
                    )
                    .collect(),
                summary: Some(Text::html(h.snippet.clone())),
                ..Default::default()
            }
        })
        .collect();
    let page = search_href(&q, Sort::Date, 1);
    Ok(feed(
        &base,
        format!("Search: {q}"),
        &page.replacen("/search?", "/search/feed.atom?", 1),
        &page,
        entries,
    ))
}

// ---------------------------------------------------------------- mbox

fn mbox_response(st: &AppState, sel: Selection, filename: String) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let st = st.clone();
    tokio::task::spawn_blocking(move || {
        let store = match st.take_store() {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
                return;
            }
        };
        let mut after = 0;
        loop {
            let page = match store.raw_messages(&sel, after, MBOX_PAGE) {
                Ok(p) => p,
                Err(e) => {
                    let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
                    break;
                }
            };
            let Some(last) = page.last() else { break };
            after = last.seq;
            let mut chunk = Vec::new();
            for m in &page {
                plenary_store::write_mboxrd(&mut chunk, m, !st.addresses.show);
            }
            if tx.blocking_send(Ok(chunk)).is_err() {
                st.put_store(store);
                return; // the client went away
            }
        }
        // A thread's messages recovered from quotes follow, with their headers written.
        if let Some(t) = &sel.thread {
            match store.recovered_messages(t) {
                Ok(v) if !v.is_empty() => {
                    let mut chunk = Vec::new();
                    for m in &v {
                        plenary_store::write_mboxrd(&mut chunk, m, !st.addresses.show);
                    }
                    let _ = tx.blocking_send(Ok(chunk));
                }
                Ok(_) => {}
                Err(e) => {
                    let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
                }
            }
        }
        st.put_store(store);
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    mbox_headers(Body::from_stream(stream), &filename)
}

fn mbox_headers(body: Body, filename: &str) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/mbox"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect()
}

pub(crate) async fn thread_mbox(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = param(id)?;
    let key = id.clone();
    if st.query(move |s| s.thread(&key)).await?.is_none() {
        return Err(Fail::NotFound(format!("No thread {id}.")).into());
    }
    let name = format!("thread-{}.mbox", safe_name(&id));
    Ok(mbox_response(
        &st,
        Selection {
            thread: Some(id),
            ..Default::default()
        },
        name,
    ))
}

/// A list's messages, or one month's, as mbox.
async fn list_export(st: &AppState, list: String, month: Option<String>) -> PageResult {
    let bounds = match &month {
        Some(m) => Some(
            plenary_store::month_bounds(m)
                .filter(|_| valid_month(m))
                .ok_or_else(|| Fail::BadRequest(format!("{m} is not a month (YYYY-MM).")))?,
        ),
        None => None,
    };
    let l = list.clone();
    if st.query(move |s| s.list(&l)).await?.is_none() {
        return Err(Fail::NotFound(format!("No list {list}.")).into());
    }
    let name = match &month {
        Some(m) => format!("{}-{m}.mbox", safe_name(&list)),
        None => format!("{}.mbox", safe_name(&list)),
    };
    Ok(mbox_response(
        st,
        Selection {
            list: Some(list),
            start: bounds.map(|b| b.0),
            end: bounds.map(|b| b.1),
            ..Default::default()
        },
        name,
    ))
}

pub(crate) async fn list_mbox(
    State(st): State<AppState>,
    list: Result<Path<String>, PathRejection>,
) -> PageResult {
    list_export(&st, param(list)?, None).await
}

pub(crate) async fn month_mbox(
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
) -> PageResult {
    let (list, month) = param(p)?;
    list_export(&st, list, Some(month)).await
}

pub(crate) async fn search_mbox(
    State(st): State<AppState>,
    q: Result<Query<QueryParam>, QueryRejection>,
) -> PageResult {
    let q = query_param(q)?;
    let q = q.q.unwrap_or_default();
    let hits = search_hits(&st, &format!("{q} kind:message"), SEARCH_MBOX_MAX).await?;
    let ids: Vec<String> = hits.into_iter().map(|h| h.id).collect();
    let hide = !st.addresses.show;
    let body = st
        .query(move |s| {
            let mut out = Vec::new();
            for m in s.raw_messages_by_id(&ids)? {
                plenary_store::write_mboxrd(&mut out, &m, hide);
            }
            Ok(out)
        })
        .await?;
    Ok(mbox_headers(Body::from(body), "search.mbox"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(imported_at: &str) -> plenary_store::SessionVersion {
        plenary_store::SessionVersion {
            seq: 1,
            imported_at: imported_at.into(),
            origin: "page.html".into(),
            title: "Enhanced cooperation".into(),
        }
    }

    /// Issue 12.5: Atom has no floating times; a session start the page gave
    /// without an offset is not read as UTC — its import time stands in.
    #[test]
    fn a_session_without_an_offset_is_dated_by_its_import() {
        let versions = [
            version("2025-06-01T10:00:00Z"),
            version("2025-06-20T08:00:00Z"),
        ];
        // 10:00 in Geneva (UTC+2) is 08:00 UTC
        assert_eq!(
            session_instant(Some("2025-07-10T10:00:00+02:00"), &versions),
            Some(1_752_134_400)
        );
        // a floating start: the newest version's import
        assert_eq!(
            session_instant(Some("2025-07-10T10:00:00"), &versions),
            Some(1_750_406_400)
        );
        assert_eq!(session_instant(Some("2025-07-10T10:00:00"), &[]), None);
    }

    #[test]
    fn a_recovered_local_time_is_said_in_the_summary() {
        let m = FeedMessage {
            id: "r1".into(),
            list: "wg".into(),
            thread_id: None,
            subject: "Plan".into(),
            author_name: Some("Parminder".into()),
            person: None,
            date: Some(1_741_113_034),
            local_date: Some("2025-03-04T14:42:00".into()),
            text: "Write to ana@example.org.".into(),
            reconstructed: true,
        };
        let hidden = Addresses { show: false };
        assert_eq!(
            summary_of(&m, hidden),
            "Written 2025-03-04 14:42:00 (the writer's local time, UTC offset unknown). \
             Write to ana at example.org."
        );
        let exact = FeedMessage {
            local_date: None,
            ..m
        };
        assert_eq!(summary_of(&exact, hidden), "Write to ana at example.org.");
    }
}
