//! Server-rendered HTML pages.

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use plenary_store::{ListSummary, MessageDetail, MonthSummary, ThreadDetail, ThreadSummary};

use crate::text::{self, encode_segment, Addresses};
use crate::{AppState, Fail};

const STYLE: &str = include_str!("../static/style.css");

pub(crate) async fn style() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        STYLE,
    )
        .into_response()
}

// ---------------------------------------------------------------- links

pub(crate) fn list_href(slug: &str) -> String {
    format!("/lists/{}", encode_segment(slug))
}

pub(crate) fn month_href(slug: &str, month: &str) -> String {
    format!("/lists/{}/{}", encode_segment(slug), encode_segment(month))
}

pub(crate) fn thread_href(id: &str) -> String {
    format!("/threads/{}", encode_segment(id))
}

pub(crate) fn message_href(id: &str) -> String {
    format!("/messages/{}", encode_segment(id))
}

pub(crate) fn raw_href(id: &str) -> String {
    format!("/messages/{}/raw", encode_segment(id))
}

// ---------------------------------------------------------------- rendering

pub(crate) use crate::views::render;

/// The HTML shape of a failure.
pub(crate) fn error_response(fail: Fail) -> Response {
    crate::error::PageError(fail).into_response()
}

type PageResult = Result<Response, Fail>;

fn finish(r: PageResult) -> Response {
    r.unwrap_or_else(error_response)
}

// ---------------------------------------------------------------- view rows

struct ListRow {
    href: String,
    name: String,
    address: Option<String>,
    messages: u64,
    threads: u64,
    first: Option<String>,
    last: Option<String>,
}

fn list_row(l: &ListSummary, a: Addresses) -> ListRow {
    let first = l.first.as_deref().map(text::display_day);
    let last = l.last.as_deref().map(text::display_day);
    ListRow {
        href: list_href(&l.slug),
        name: l.name.clone(),
        address: a.opt(l.address.as_deref()),
        messages: l.messages,
        threads: l.threads,
        first: first.clone(),
        last: last.filter(|d| Some(d) != first.as_ref()),
    }
}

struct ThreadRow {
    href: String,
    subject: String,
    list: String,
    list_href: String,
    count: u64,
    first: Option<String>,
    last: Option<String>,
    last_iso: Option<String>,
}

fn subject_or_none(s: &str) -> String {
    if s.trim().is_empty() {
        "(no subject)".to_string()
    } else {
        s.to_string()
    }
}

fn thread_rows(v: &[ThreadSummary], a: Addresses) -> Vec<ThreadRow> {
    v.iter()
        .map(|t| ThreadRow {
            href: thread_href(&t.id),
            subject: subject_or_none(&a.text(&t.subject)),
            list: t.list.clone(),
            list_href: list_href(&t.list),
            count: t.count,
            first: t.first.as_deref().map(text::display_day),
            last: t.last.as_deref().map(text::display_day),
            last_iso: t.last.clone(),
        })
        .collect()
}

// ---------------------------------------------------------------- home, lists

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    title: String,
    nav: &'static str,
    upcoming: Vec<crate::agenda::SessionLink>,
    recent: Vec<crate::agenda::SessionLink>,
    frameworks: Vec<(String, String)>,
    lists: Vec<ListRow>,
    threads: Vec<ThreadRow>,
    show_list: bool,
}

pub(crate) async fn home(State(st): State<AppState>) -> Response {
    finish(home_page(st).await)
}

async fn home_page(st: AppState) -> PageResult {
    let (lists, threads, sessions) = st
        .query(|s| Ok((s.lists()?, s.threads(None, None, 20)?, s.sessions(None)?)))
        .await?;
    let a = st.addresses;
    let (upcoming, recent) = crate::agenda::upcoming_and_recent(&sessions, 6);
    Ok(render(
        &HomePage {
            title: "Plenary".to_string(),
            nav: "home",
            upcoming,
            recent,
            frameworks: crate::agenda::framework_links(&st),
            lists: lists.iter().map(|l| list_row(l, a)).collect(),
            threads: thread_rows(&threads, a),
            show_list: true,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    title: String,
    nav: &'static str,
    lists: Vec<ListRow>,
}

pub(crate) async fn lists(State(st): State<AppState>) -> Response {
    finish(lists_page(st).await)
}

async fn lists_page(st: AppState) -> PageResult {
    let lists = st.query(|s| s.lists()).await?;
    let a = st.addresses;
    Ok(render(
        &ListsPage {
            title: "Lists".to_string(),
            nav: "lists",
            lists: lists.iter().map(|l| list_row(l, a)).collect(),
        },
        StatusCode::OK,
    ))
}

// ---------------------------------------------------------------- one list

use plenary_mail::date::MONTH_NAMES;

/// `2025-03` → `March 2025`.
fn month_name(m: &str) -> String {
    let name = m
        .get(5..7)
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| MONTH_NAMES.get(i));
    match (name, m.get(..4)) {
        (Some(n), Some(y)) => format!("{n} {y}"),
        _ => m.to_string(),
    }
}

struct MonthLink {
    href: String,
    label: String,
    month: String,
    messages: u64,
    threads: u64,
}

struct YearGroup {
    year: String,
    months: Vec<MonthLink>,
}

fn year_groups(slug: &str, months: &[MonthSummary]) -> Vec<YearGroup> {
    let mut out: Vec<YearGroup> = Vec::new();
    for m in months {
        let year = m.month.get(..4).unwrap_or(&m.month).to_string();
        let link = MonthLink {
            href: month_href(slug, &m.month),
            label: month_name(&m.month),
            month: m.month.clone(),
            messages: m.messages,
            threads: m.threads,
        };
        match out.last_mut() {
            Some(g) if g.year == year => g.months.push(link),
            _ => out.push(YearGroup {
                year,
                months: vec![link],
            }),
        }
    }
    out
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    title: String,
    nav: &'static str,
    list: ListRow,
    years: Vec<YearGroup>,
    threads: Vec<ThreadRow>,
    show_list: bool,
}

/// Path parameters that do not decode become an HTML 400, not axum's plain text.
pub(crate) fn param<T>(p: Result<Path<T>, PathRejection>) -> Result<T, Fail> {
    p.map(|Path(v)| v)
        .map_err(|_| Fail::BadRequest("The address is not valid percent-encoded UTF-8.".into()))
}

pub(crate) async fn list(
    State(st): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async { list_page(st, param(slug)?).await };
    finish(r.await)
}

async fn list_page(st: AppState, slug: String) -> PageResult {
    let q = slug.clone();
    let found = st
        .query(move |s| {
            let Some(l) = s.list(&q)? else {
                return Ok(None);
            };
            Ok(Some((l, s.months(&q)?, s.threads(Some(&q), None, 50)?)))
        })
        .await?;
    let Some((l, months, threads)) = found else {
        return Err(Fail::NotFound(format!("There is no list “{slug}”.")));
    };
    let a = st.addresses;
    Ok(render(
        &ListPage {
            title: l.name.clone(),
            nav: "lists",
            list: list_row(&l, a),
            years: year_groups(&l.slug, &months),
            threads: thread_rows(&threads, a),
            show_list: false,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "month.html")]
struct MonthPage {
    title: String,
    nav: &'static str,
    list: ListRow,
    month_label: String,
    /// `/lists/{list}/{YYYY-MM}`.
    self_href: String,
    prev: Option<MonthLink>,
    next: Option<MonthLink>,
    threads: Vec<ThreadRow>,
    show_list: bool,
}

pub(crate) async fn month(
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let r = async {
        let (slug, month) = param(p)?;
        month_page(st, slug, month).await
    };
    finish(r.await)
}

async fn month_page(st: AppState, slug: String, month: String) -> PageResult {
    if !text::valid_month(&month) {
        return Err(Fail::NotFound(format!(
            "“{month}” is not a month; months look like 2025-03."
        )));
    }
    let (q, m) = (slug.clone(), month.clone());
    let found = st
        .query(move |s| {
            let Some(l) = s.list(&q)? else {
                return Ok(None);
            };
            Ok(Some((
                l,
                s.months(&q)?,
                s.threads(Some(&q), Some(&m), 1000)?,
            )))
        })
        .await?;
    let Some((l, months, threads)) = found else {
        return Err(Fail::NotFound(format!("There is no list “{slug}”.")));
    };
    let a = st.addresses;
    // Months are newest first: the previous month is the next entry.
    let link = |m: &MonthSummary| MonthLink {
        href: month_href(&l.slug, &m.month),
        label: month_name(&m.month),
        month: m.month.clone(),
        messages: m.messages,
        threads: m.threads,
    };
    let prev = months.iter().find(|m| m.month < month).map(link);
    let next = months.iter().rev().find(|m| m.month > month).map(link);
    Ok(render(
        &MonthPage {
            title: format!("{} – {}", l.name, month_name(&month)),
            nav: "lists",
            month_label: month_name(&month),
            self_href: format!("/lists/{}/{month}", encode_segment(&slug)),
            list: list_row(&l, a),
            prev,
            next,
            threads: thread_rows(&threads, a),
            show_list: false,
        },
        StatusCode::OK,
    ))
}

// ---------------------------------------------------------------- thread

/// Replies deeper than this are drawn at this depth (phones are narrow).
const MAX_INDENT: u32 = 8;

struct Who {
    name: String,
    address: Option<String>,
    via_list: Option<String>,
}

fn who(name: Option<&str>, address: Option<&str>, via: Option<&str>, a: Addresses) -> Who {
    let address = a.opt(address);
    let name = name
        .map(str::to_string)
        .or_else(|| address.clone())
        .unwrap_or_else(|| "unknown sender".to_string());
    Who {
        address: address.filter(|ad| *ad != name),
        name,
        via_list: a.opt(via),
    }
}

struct ThreadItem {
    anchor: String,
    href: String,
    indent: u32,
    depth: u32,
    who: Who,
    date: Option<String>,
    date_iso: Option<String>,
    subject: Option<String>,
    ghost: bool,
    parent_anchor: Option<String>,
    parent_name: Option<String>,
    body: Vec<text::Block>,
    attachments: usize,
    reconstructed: bool,
    /// For a reconstructed message: the archived message whose quote it came from.
    source_href: Option<String>,
    /// The date is an attribution's local time with no UTC offset.
    date_local: bool,
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    title: String,
    nav: &'static str,
    /// `/threads/{id}`, for its feed and mbox.
    self_href: String,
    subject: String,
    list: String,
    list_href: String,
    items: Vec<ThreadItem>,
    tags: Vec<crate::agenda::EarnedTag>,
}

pub(crate) async fn thread(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let r = async { thread_page(st, param(id)?).await };
    finish(r.await)
}

async fn thread_page(st: AppState, id: String) -> PageResult {
    let q = id.clone();
    let found = st
        .query(move |s| {
            let Some(t) = s.thread(&q)? else {
                return Ok(None);
            };
            let mut details = Vec::with_capacity(t.messages.len());
            for m in &t.messages {
                details.push(s.message(&m.id)?);
            }
            let tags = s.tags_of("thread", &q)?;
            Ok(Some((t, details, tags)))
        })
        .await?;
    let Some((t, details, tags)) = found else {
        return Err(Fail::NotFound("There is no thread with this id.".into()));
    };
    let mut page = thread_view(&t, details, st.addresses);
    page.tags = crate::agenda::earned_tags(&st.frameworks, &tags);
    Ok(render(&page, StatusCode::OK))
}

fn thread_view(t: &ThreadDetail, details: Vec<Option<MessageDetail>>, a: Addresses) -> ThreadPage {
    let anchors: std::collections::HashMap<&str, usize> = t
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let thread_subject = plenary_mail::subject::normalize_subject(&t.subject);
    let mut items = Vec::with_capacity(t.messages.len());
    for (m, d) in t.messages.iter().zip(details) {
        let clean = |t: &str| a.text(t).into_owned();
        let (via, body, attachments, date_local) = match &d {
            Some(d) => (
                d.author.via_list.as_deref(),
                text::blocks(&d.body, &d.zones, &clean),
                d.attachments.len(),
                !d.date_exact,
            ),
            None => (None, Vec::new(), 0, false),
        };
        let subject = m
            .subject
            .as_deref()
            .filter(|s| plenary_mail::subject::normalize_subject(s) != thread_subject)
            .map(|s| a.text(s).into_owned());
        let parent = m.parent.as_deref().and_then(|p| anchors.get(p).copied());
        items.push(ThreadItem {
            anchor: format!("m{}", items.len() + 1),
            href: message_href(&m.id),
            indent: m.depth.min(MAX_INDENT),
            depth: m.depth,
            who: who(
                m.author.name.as_deref(),
                m.author.address.as_deref(),
                via,
                a,
            ),
            date: m.date.as_deref().map(|d| {
                let shown = text::display_utc(d);
                if date_local {
                    // an attribution's wall-clock time, offset unknown
                    format!("{} (local time)", shown.trim_end_matches(" UTC"))
                } else {
                    shown
                }
            }),
            date_iso: m.date.clone(),
            subject,
            ghost: m.parent.is_none() && m.ghost_parent.is_some(),
            parent_anchor: parent.map(|p| format!("m{}", p + 1)),
            parent_name: parent.and_then(|p| {
                let pm = &t.messages[p];
                pm.author
                    .name
                    .clone()
                    .or_else(|| a.opt(pm.author.address.as_deref()))
            }),
            body,
            attachments,
            reconstructed: m.reconstructed,
            source_href: m.source.as_deref().map(message_href),
            date_local,
        });
    }
    ThreadPage {
        title: subject_or_none(&a.text(&t.subject)),
        nav: "lists",
        subject: subject_or_none(&a.text(&t.subject)),
        list: t.list.clone(),
        list_href: list_href(&t.list),
        self_href: thread_href(&t.id),
        items,
        tags: Vec::new(),
    }
}

// ---------------------------------------------------------------- message

struct AttachmentRow {
    name: String,
    content_type: String,
    size: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    title: String,
    nav: &'static str,
    subject: String,
    who: Who,
    date: Option<String>,
    date_iso: Option<String>,
    date_local: Option<String>,
    list: String,
    list_href: String,
    message_id: Option<String>,
    in_reply_to: Option<String>,
    parent_href: Option<String>,
    ghost_parent: Option<String>,
    to: Vec<String>,
    cc: Vec<String>,
    body: Vec<text::Block>,
    html_body: bool,
    attachments: Vec<AttachmentRow>,
    warnings: Vec<String>,
    thread_href: Option<String>,
    raw_href: String,
    raw_size: String,
    /// Recovered from a quote: the archived message it came from, and the attribution.
    reconstructed: bool,
    source_href: Option<String>,
    attribution: Option<String>,
}

fn message_view(m: &MessageDetail, a: Addresses) -> MessagePage {
    let subject = subject_or_none(&a.text(m.subject.as_deref().unwrap_or("")));
    let attachments = m
        .attachments
        .iter()
        .map(|v| AttachmentRow {
            name: v
                .get("name")
                .and_then(|n| n.as_str())
                .filter(|n| !n.is_empty())
                .unwrap_or("(unnamed)")
                .to_string(),
            content_type: v
                .get("content_type")
                .and_then(|n| n.as_str())
                .unwrap_or("application/octet-stream")
                .to_string(),
            size: v
                .get("size")
                .and_then(|n| n.as_u64())
                .map(text::human_size)
                .unwrap_or_else(|| "unknown size".to_string()),
        })
        .collect();
    MessagePage {
        title: subject.clone(),
        nav: "lists",
        subject,
        who: who(
            m.author.name.as_deref(),
            m.author.address.as_deref(),
            m.author.via_list.as_deref(),
            a,
        ),
        date: m.date.as_deref().map(text::display_utc),
        date_iso: m.date.clone(),
        date_local: m
            .date
            .as_deref()
            .zip(m.date_offset_seconds)
            .and_then(|(d, o)| text::display_local(d, o)),
        list: m.list.clone(),
        list_href: list_href(&m.list),
        message_id: m.message_id.clone(),
        in_reply_to: m.in_reply_to.clone(),
        parent_href: m.parent.as_deref().map(message_href),
        ghost_parent: m.ghost_parent.clone().filter(|_| m.parent.is_none()),
        to: m.to.iter().map(|x| a.addr(x)).collect(),
        cc: m.cc.iter().map(|x| a.addr(x)).collect(),
        body: text::blocks(&m.body, &m.zones, &|t: &str| a.text(t).into_owned()),
        html_body: m.body_source == "html",
        attachments,
        warnings: m.warnings.iter().map(|w| a.text(w).into_owned()).collect(),
        thread_href: m.thread.as_deref().map(thread_href),
        raw_href: raw_href(&m.id),
        raw_size: text::human_size(m.raw_len),
        reconstructed: m.reconstructed,
        source_href: m.source.as_deref().map(message_href),
        attribution: m.attribution.as_deref().map(|t| a.text(t).into_owned()),
    }
}

/// What a `/messages/...` path asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MessagePath {
    /// `/messages/{encoded id}`
    Page(String),
    /// `/messages/{encoded id}/raw`
    Raw(String),
    /// A path with literal `/` in it (typed by hand): the whole path is an
    /// id, or, failing that, `{id}/raw`.
    Either(String),
}

/// Reads the still-percent-encoded rest of the path after `prefix`, so that
/// `a%2Fb` (an id with a slash) and `a/raw` (the raw bytes of `a`) differ.
pub(crate) fn message_path(uri: &Uri, prefix: &str) -> Result<MessagePath, Fail> {
    let bad = || Fail::BadRequest("The address is not valid percent-encoded UTF-8.".into());
    let rest = uri.path().strip_prefix(prefix).unwrap_or_default();
    if rest.is_empty() {
        return Err(Fail::NotFound("No message id given.".into()));
    }
    if !rest.contains('/') {
        return text::decode_path(rest)
            .map(MessagePath::Page)
            .ok_or_else(bad);
    }
    if let Some(seg) = rest.strip_suffix("/raw") {
        if !seg.contains('/') && !seg.is_empty() {
            return text::decode_path(seg).map(MessagePath::Raw).ok_or_else(bad);
        }
    }
    text::decode_path(rest)
        .map(MessagePath::Either)
        .ok_or_else(bad)
}

/// A message or its raw bytes, as found.
pub(crate) enum Found {
    Message(Box<MessageDetail>),
    Raw(String, Vec<u8>),
    Nothing,
}

/// Looks up what a [`MessagePath`] names.
pub(crate) async fn find_message(st: &AppState, p: MessagePath) -> Result<Found, Fail> {
    st.query(move |s| {
        let (page, raw) = match p {
            MessagePath::Page(id) => (Some(id), None),
            MessagePath::Raw(id) => (None, Some(id)),
            MessagePath::Either(path) => {
                let raw = path.strip_suffix("/raw").map(str::to_string);
                (Some(path), raw)
            }
        };
        if let Some(id) = page {
            if let Some(m) = s.message(&id)? {
                return Ok(Found::Message(Box::new(m)));
            }
        }
        if let Some(id) = raw {
            if let Some(bytes) = s.raw(&id)? {
                return Ok(Found::Raw(id, bytes));
            }
        }
        Ok(Found::Nothing)
    })
    .await
}

/// Whether bytes start like a mail message (a header line, or an mbox `From ` line).
fn looks_like_mail(b: &[u8]) -> bool {
    if b.starts_with(b"From ") {
        return true;
    }
    let line = b.split(|c| *c == b'\n').next().unwrap_or_default();
    match line.iter().position(|c| *c == b':') {
        Some(c) if c > 0 => line[..c]
            .iter()
            .all(|x| x.is_ascii_alphanumeric() || *x == b'-' || *x == b'_'),
        _ => false,
    }
}

/// The stored bytes as a download.
pub(crate) fn raw_response(id: &str, bytes: Vec<u8>) -> Response {
    let (ct, ext) = if looks_like_mail(&bytes) {
        ("message/rfc822", "eml")
    } else {
        ("application/octet-stream", "raw")
    };
    let disposition = format!("attachment; filename=\"{}.{ext}\"", text::safe_filename(id));
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

pub(crate) async fn message_route(State(st): State<AppState>, uri: Uri) -> Response {
    finish(message_page(st, uri).await)
}

async fn message_page(st: AppState, uri: Uri) -> PageResult {
    let p = message_path(&uri, "/messages/")?;
    match find_message(&st, p).await? {
        Found::Message(m) => Ok(render(&message_view(&m, st.addresses), StatusCode::OK)),
        Found::Raw(id, bytes) => Ok(raw_response(&id, bytes)),
        Found::Nothing => Err(Fail::NotFound(
            "There is no message with this id in the archive.".into(),
        )),
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn message_paths() {
        let p = |s: &str| message_path(&uri(s), "/messages/").ok();
        assert_eq!(
            p("/messages/a%2Fb%2Bc@x"),
            Some(MessagePath::Page("a/b+c@x".into()))
        );
        assert_eq!(
            p("/messages/a%2Fb@x/raw"),
            Some(MessagePath::Raw("a/b@x".into()))
        );
        assert_eq!(
            p("/messages/a/b@x"),
            Some(MessagePath::Either("a/b@x".into()))
        );
        assert_eq!(
            p("/messages/a/b@x/raw"),
            Some(MessagePath::Either("a/b@x/raw".into()))
        );
        assert!(p("/messages/%ff").is_none());
        assert_eq!(month_name("2025-03"), "March 2025");
        assert!(looks_like_mail(b"From: a\n\nx"));
        assert!(!looks_like_mail(b"<html>"));
    }
}
