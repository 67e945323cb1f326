//! The mail archive: home, lists, months, threads, messages (page, JSON and
//! raw bytes), the API's counts, and pipermail-compatible redirects.

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use plenary_mail::date::MONTH_NAMES;
use plenary_store::TagKind;
use plenary_store::{
    ListSummary, MessageDetail, MonthSummary, Stats, TagRow, ThreadDetail, ThreadSummary,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{api_param, param, query_param, ApiError, Fail, PageError};
use crate::links::{
    balance_href, list_href, message_href, month_href, person_href, raw_href, thread_href,
};
use crate::state::AppState;
use crate::text::{self, Addresses};
use crate::views::{
    earned_tags, framework_links, render, upcoming_and_recent, EarnedTag, SessionLink,
};

type PageResult = Result<Response, PageError>;

const STYLE: &str = include_str!("../../static/style.css");

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

// ---------------------------------------------------------------- view rows

struct ListRow {
    href: String,
    balance_href: String,
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
        balance_href: balance_href("list", &l.slug),
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
    /// "7 messages (6 recovered from quotes)"
    count: String,
    /// "7 participants"
    participants: String,
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
            count: if t.recovered > 0 {
                format!(
                    "{} ({} recovered from quotes)",
                    text::plural(t.messages, "message", "messages"),
                    t.recovered
                )
            } else {
                text::plural(t.messages, "message", "messages")
            },
            participants: text::plural(t.participants, "participant", "participants"),
            first: t.first.as_deref().map(text::display_day),
            last: t.last.as_deref().map(text::display_day),
            last_iso: t.last.clone(),
        })
        .collect()
}

// ---------------------------------------------------------------- the API's obfuscation

fn list_out(mut l: ListSummary, a: Addresses) -> ListSummary {
    l.address = a.opt(l.address.as_deref());
    l
}

fn thread_summary_out(mut t: ThreadSummary, a: Addresses) -> ThreadSummary {
    t.subject = a.text(&t.subject).into_owned();
    t
}

fn thread_out(mut t: ThreadDetail, a: Addresses) -> ThreadDetail {
    plenary_search::annotate_thread(&mut t);
    t.subject = a.text(&t.subject).into_owned();
    for m in &mut t.messages {
        m.author.address = a.opt(m.author.address.as_deref());
        m.author.name = m.author.name.as_deref().map(|s| a.text(s).into_owned());
        m.subject = m.subject.as_deref().map(|s| a.text(s).into_owned());
        m.text = m.text.as_deref().map(|s| a.text(s).into_owned());
    }
    t
}

fn message_out(mut m: MessageDetail, a: Addresses) -> MessageDetail {
    plenary_search::annotate_message(&mut m);
    m.author.address = a.opt(m.author.address.as_deref());
    m.author.name = m.author.name.as_deref().map(|s| a.text(s).into_owned());
    m.new_text = m.new_text.as_deref().map(|s| a.text(s).into_owned());
    m.attribution = m.attribution.as_deref().map(|s| a.text(s).into_owned());
    for r in &mut m.recovered {
        r.author = r.author.as_deref().map(|s| a.text(s).into_owned());
    }
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

// ---------------------------------------------------------------- home

/// What the home page and `/api/v1/home` show.
struct HomeData {
    lists: Vec<ListSummary>,
    threads: Vec<ThreadSummary>,
    upcoming: Vec<SessionLink>,
    recent: Vec<SessionLink>,
}

async fn home_data(st: &AppState) -> Result<HomeData, Fail> {
    let (lists, threads, sessions) = st
        .query(|s| Ok((s.lists()?, s.threads(None, None, 20)?, s.sessions(None)?)))
        .await?;
    // The home page's own choice, so page and twin agree.
    let (upcoming, recent) = upcoming_and_recent(&sessions, 6);
    Ok(HomeData {
        lists,
        threads,
        upcoming,
        recent,
    })
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    title: String,
    nav: &'static str,
    upcoming: Vec<SessionLink>,
    recent: Vec<SessionLink>,
    frameworks: Vec<(String, String)>,
    lists: Vec<ListRow>,
    threads: Vec<ThreadRow>,
    show_list: bool,
}

pub(crate) async fn home_page(State(st): State<AppState>) -> PageResult {
    let d = home_data(&st).await?;
    let a = st.addresses;
    Ok(render(
        &HomePage {
            title: "Plenary".to_string(),
            nav: "home",
            upcoming: d.upcoming,
            recent: d.recent,
            frameworks: framework_links(st.frameworks()),
            lists: d.lists.iter().map(|l| list_row(l, a)).collect(),
            threads: thread_rows(&d.threads, a),
            show_list: true,
        },
        StatusCode::OK,
    ))
}

/// The body of `GET /api/v1/home`: what the home page shows.
#[derive(Serialize, JsonSchema)]
pub(crate) struct HomeOut {
    lists: Vec<ListSummary>,
    /// The threads with the newest activity.
    latest_threads: Vec<ThreadSummary>,
    upcoming_sessions: Vec<SessionLinkOut>,
    recent_sessions: Vec<SessionLinkOut>,
    frameworks: Vec<FrameworkCount>,
}

/// A session as the home page links it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SessionLinkOut {
    /// The session's page.
    url: String,
    title: String,
    event: String,
    /// Its start in the event's local time (`23 July 2025, 10:00`), or empty.
    when: String,
}

/// A framework and how many items it has.
#[derive(Serialize, JsonSchema)]
pub(crate) struct FrameworkCount {
    id: String,
    name: String,
    items: usize,
}

/// `GET /api/v1/home`: what the home page shows.
pub(crate) async fn home_api(State(st): State<AppState>) -> Result<Json<HomeOut>, ApiError> {
    let a = st.addresses;
    let d = home_data(&st).await?;
    let out = |v: Vec<SessionLink>| {
        v.into_iter()
            .map(|l| SessionLinkOut {
                url: l.href,
                title: l.title,
                event: l.event,
                when: l.when,
            })
            .collect::<Vec<_>>()
    };
    Ok(Json(HomeOut {
        lists: d.lists.into_iter().map(|l| list_out(l, a)).collect(),
        latest_threads: d
            .threads
            .into_iter()
            .map(|t| thread_summary_out(t, a))
            .collect(),
        upcoming_sessions: out(d.upcoming),
        recent_sessions: out(d.recent),
        frameworks: st
            .frameworks()
            .frameworks
            .iter()
            .map(|f| FrameworkCount {
                id: f.id.clone(),
                name: f.name.clone(),
                items: f.items.len(),
            })
            .collect(),
    }))
}

pub(crate) async fn stats_api(State(st): State<AppState>) -> Result<Json<Stats>, ApiError> {
    Ok(Json(st.query(|s| s.stats()).await?))
}

// ---------------------------------------------------------------- lists

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    title: String,
    nav: &'static str,
    lists: Vec<ListRow>,
}

pub(crate) async fn lists_page(State(st): State<AppState>) -> PageResult {
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

pub(crate) async fn lists_api(
    State(st): State<AppState>,
) -> Result<Json<Vec<ListSummary>>, ApiError> {
    let a = st.addresses;
    let lists = st.query(|s| s.lists()).await?;
    Ok(Json(lists.into_iter().map(|l| list_out(l, a)).collect()))
}

// ---------------------------------------------------------------- one list, one month

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

fn month_link(slug: &str, m: &MonthSummary) -> MonthLink {
    MonthLink {
        href: month_href(slug, &m.month),
        label: month_name(&m.month),
        month: m.month.clone(),
        messages: m.messages,
        threads: m.threads,
    }
}

struct YearGroup {
    year: String,
    months: Vec<MonthLink>,
}

fn year_groups(slug: &str, months: &[MonthSummary]) -> Vec<YearGroup> {
    let mut out: Vec<YearGroup> = Vec::new();
    for m in months {
        let year = m.month.get(..4).unwrap_or(&m.month).to_string();
        let link = month_link(slug, m);
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

/// A list, its months, and its latest threads (of one month if given).
struct ListData {
    list: ListSummary,
    months: Vec<MonthSummary>,
    threads: Vec<ThreadSummary>,
}

/// `None` when there is no such list; `threads: 0` reads no threads.
async fn list_data(
    st: &AppState,
    slug: String,
    month: Option<String>,
    threads: usize,
) -> Result<Option<ListData>, Fail> {
    st.query(move |s| {
        let Some(list) = s.list(&slug)? else {
            return Ok(None);
        };
        let months = s.months(&slug)?;
        let threads = if threads == 0 {
            Vec::new()
        } else {
            s.threads(Some(&slug), month.as_deref(), threads)?
        };
        Ok(Some(ListData {
            list,
            months,
            threads,
        }))
    })
    .await
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

pub(crate) async fn list_page(
    State(st): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> PageResult {
    let slug = param(slug)?;
    let Some(d) = list_data(&st, slug.clone(), None, 50).await? else {
        return Err(Fail::NotFound(format!("There is no list “{slug}”.")).into());
    };
    let a = st.addresses;
    Ok(render(
        &ListPage {
            title: d.list.name.clone(),
            nav: "lists",
            list: list_row(&d.list, a),
            years: year_groups(&d.list.slug, &d.months),
            threads: thread_rows(&d.threads, a),
            show_list: false,
        },
        StatusCode::OK,
    ))
}

/// The body of `GET /api/v1/lists/{list}`.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ListOut {
    list: ListSummary,
    /// Its months with messages and their counts.
    months: Vec<MonthSummary>,
}

/// `GET /api/v1/lists/{list}`: the list and its months (the list page's twin).
pub(crate) async fn list_api(
    State(st): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Json<ListOut>, ApiError> {
    let slug = api_param(slug)?;
    let d = list_data(&st, slug.clone(), None, 0)
        .await?
        .ok_or_else(|| Fail::NotFound(format!("no list {slug}")))?;
    Ok(Json(ListOut {
        list: list_out(d.list, st.addresses),
        months: d.months,
    }))
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
    /// `thread` (threads active this month), `date`, `author` or `subject`.
    by: String,
    /// The month's messages grouped for the view: (heading, rows).
    groups: Vec<(String, Vec<MonthRow>)>,
    messages: usize,
}

/// A message in a month view.
struct MonthRow {
    href: String,
    subject: String,
    author: String,
    date: String,
    thread_href: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct MonthQuery {
    by: Option<String>,
}

pub(crate) async fn month_page(
    State(st): State<AppState>,
    p: Result<Path<(String, String)>, PathRejection>,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> PageResult {
    let (slug, month) = param(p)?;
    let by = match query_param(q)?.by.as_deref() {
        None | Some("") | Some("thread") => "thread",
        Some("date") => "date",
        Some("author") => "author",
        Some("subject") => "subject",
        Some(other) => {
            return Err(Fail::BadRequest(format!(
                "by={other}: a month is shown by thread, date, author or subject."
            ))
            .into())
        }
    };
    if !text::valid_month(&month) {
        return Err(Fail::NotFound(format!(
            "“{month}” is not a month; months look like 2025-03."
        ))
        .into());
    }
    let Some(d) = list_data(&st, slug.clone(), Some(month.clone()), 1000).await? else {
        return Err(Fail::NotFound(format!("There is no list “{slug}”.")).into());
    };
    let a = st.addresses;
    let (s2, m2) = (slug.clone(), month.clone());
    let msgs = if by == "thread" {
        Vec::new()
    } else {
        st.query(move |s| s.month_messages(&s2, &m2)).await?
    };
    let n_messages = msgs.len();
    let mut rows: Vec<(String, MonthRow)> = msgs
        .into_iter()
        .map(|m| {
            let author = m
                .author
                .as_deref()
                .map(|x| a.text(x).into_owned())
                .unwrap_or_else(|| "unknown sender".into());
            let subject = subject_or_none(&a.text(m.subject.as_deref().unwrap_or("")));
            let key = match by {
                "author" => author.clone(),
                "subject" => plenary_mail::subject::normalize_subject(&subject),
                _ => m.date.as_deref().map(text::display_day).unwrap_or_default(),
            };
            (
                key,
                MonthRow {
                    href: message_href(&m.id),
                    subject,
                    author,
                    date: m.date.as_deref().map(text::display_utc).unwrap_or_default(),
                    thread_href: m.thread.as_deref().map(thread_href),
                },
            )
        })
        .collect();
    if by != "date" {
        // grouped alphabetically, each group's messages in date order
        rows.sort_by_key(|x| x.0.to_lowercase());
    }
    let mut groups: Vec<(String, Vec<MonthRow>)> = Vec::new();
    for (k, r) in rows {
        match groups.last_mut() {
            Some((g, v)) if *g == k => v.push(r),
            _ => groups.push((k, vec![r])),
        }
    }
    let l = &d.list;
    // Months are newest first: the previous month is the next entry.
    let prev = d
        .months
        .iter()
        .find(|m| m.month < month)
        .map(|m| month_link(&l.slug, m));
    let next = d
        .months
        .iter()
        .rev()
        .find(|m| m.month > month)
        .map(|m| month_link(&l.slug, m));
    Ok(render(
        &MonthPage {
            title: format!("{} – {}", l.name, month_name(&month)),
            nav: "lists",
            month_label: month_name(&month),
            self_href: month_href(&slug, &month),
            list: list_row(l, a),
            prev,
            next,
            threads: thread_rows(&d.threads, a),
            show_list: false,
            by: by.to_string(),
            groups,
            messages: n_messages,
        },
        StatusCode::OK,
    ))
}

#[derive(Deserialize)]
pub(crate) struct ThreadsQuery {
    month: Option<String>,
    limit: Option<String>,
}

/// Threads returned when `limit` is not given, and the most ever returned.
const DEFAULT_LIMIT: usize = 1000;
const MAX_LIMIT: usize = 100_000;

/// `GET /api/v1/lists/{list}/threads`.
pub(crate) async fn threads_api(
    State(st): State<AppState>,
    slug: Result<Path<String>, PathRejection>,
    query: Result<Query<ThreadsQuery>, QueryRejection>,
) -> Result<Json<Vec<ThreadSummary>>, ApiError> {
    let slug = api_param(slug)?;
    let q = query_param(query)?;
    let month = q.month.filter(|m| !m.is_empty());
    if let Some(m) = &month {
        if !text::valid_month(m) {
            return Err(Fail::BadRequest(format!("month must be YYYY-MM, got {m:?}")).into());
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
        Ok(v) => Ok(Json(
            v.into_iter().map(|t| thread_summary_out(t, a)).collect(),
        )),
        Err(slug) => Err(Fail::NotFound(format!("no list {slug:?}")).into()),
    }
}

// ---------------------------------------------------------------- thread

/// A thread; with `full`, each message's detail and the thread's tags too.
struct ThreadData {
    thread: ThreadDetail,
    details: Vec<Option<MessageDetail>>,
    tags: Vec<TagRow>,
}

/// `None` when there is no such thread.
async fn thread_data(st: &AppState, id: String, full: bool) -> Result<Option<ThreadData>, Fail> {
    st.query(move |s| {
        let Some(thread) = s.thread(&id)? else {
            return Ok(None);
        };
        let mut details = Vec::new();
        let mut tags = Vec::new();
        if full {
            details.reserve(thread.messages.len());
            for m in &thread.messages {
                details.push(s.message(&m.id)?);
            }
            tags = s.tags_of(TagKind::Thread, &id)?;
        }
        Ok(Some(ThreadData {
            thread,
            details,
            tags,
        }))
    })
    .await
}

/// Replies deeper than this are drawn at this depth (phones are narrow).
const MAX_INDENT: u32 = 8;

struct Who {
    name: String,
    address: Option<String>,
    via_list: Option<String>,
    /// The author's person page.
    person_href: Option<String>,
}

fn who(
    name: Option<&str>,
    address: Option<&str>,
    via: Option<&str>,
    person: Option<&str>,
    a: Addresses,
) -> Who {
    let address = a.opt(address);
    let name = name
        .map(|n| a.text(n).into_owned())
        .or_else(|| address.clone())
        .unwrap_or_else(|| "unknown sender".to_string());
    Who {
        address: address.filter(|ad| *ad != name),
        name,
        via_list: a.opt(via),
        person_href: person.map(person_href),
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
    /// The language of its own words, in words ("English").
    language: Option<&'static str>,
    language_code: Option<String>,
    /// For an archived message: the messages recovered from its quotes.
    recovered: Vec<RecoveredLink>,
}

/// A link to a message recovered from quotes.
struct RecoveredLink {
    href: String,
    /// `#mN` on the thread page, when it is there.
    anchor: Option<String>,
    author: String,
    date: Option<String>,
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
    tags: Vec<EarnedTag>,
    balance_href: String,
}

pub(crate) async fn thread_page(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let id = param(id)?;
    let Some(d) = thread_data(&st, id, true).await? else {
        return Err(Fail::NotFound("There is no thread with this id.".into()).into());
    };
    let mut thread = d.thread;
    plenary_search::annotate_thread(&mut thread);
    let mut page = thread_view(&thread, d.details, st.addresses);
    page.tags = earned_tags(st.frameworks(), &d.tags);
    Ok(render(&page, StatusCode::OK))
}

pub(crate) async fn thread_api(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ThreadDetail>, ApiError> {
    let id = api_param(id)?;
    let Some(d) = thread_data(&st, id.clone(), false).await? else {
        return Err(Fail::NotFound(format!("no thread {id:?}")).into());
    };
    Ok(Json(thread_out(d.thread, st.addresses)))
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
                m.author.person.as_deref(),
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
            language: m.language.as_deref().and_then(text::language_name),
            language_code: m.language.clone(),
            recovered: d
                .as_ref()
                .map(|d| recovered_links(&d.recovered, &anchors, a))
                .unwrap_or_default(),
        });
    }
    ThreadPage {
        title: subject_or_none(&a.text(&t.subject)),
        nav: "lists",
        subject: subject_or_none(&a.text(&t.subject)),
        list: t.list.clone(),
        list_href: list_href(&t.list),
        self_href: thread_href(&t.id),
        balance_href: balance_href("thread", &t.id),
        items,
        tags: Vec::new(),
    }
}

fn recovered_links(
    v: &[plenary_store::RecoveredRef],
    anchors: &std::collections::HashMap<&str, usize>,
    a: Addresses,
) -> Vec<RecoveredLink> {
    v.iter()
        .map(|r| RecoveredLink {
            href: message_href(&r.id),
            anchor: anchors.get(r.id.as_str()).map(|i| format!("m{}", i + 1)),
            author: r
                .author
                .as_deref()
                .map(|n| a.text(n).into_owned())
                .unwrap_or_else(|| "unknown".into()),
            date: r.date.as_deref().map(|d| {
                if r.date_exact {
                    text::display_utc(d)
                } else {
                    format!(
                        "{} (local time)",
                        text::display_utc(d).trim_end_matches(" UTC")
                    )
                }
            }),
        })
        .collect()
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
    /// The messages recovered from this one's quotes.
    recovered: Vec<RecoveredLink>,
    language: Option<&'static str>,
    language_code: Option<String>,
    /// Neighbours: (href, label) before and after, by date in the list and in thread order.
    prev_date: Option<(String, String)>,
    next_date: Option<(String, String)>,
    prev_thread: Option<(String, String)>,
    next_thread: Option<(String, String)>,
}

/// A message's neighbours by date (archived, same list) and in its thread's order.
struct Neighbours {
    date: (Option<Link>, Option<Link>),
    thread: (Option<Link>, Option<Link>),
}

/// A link: (href, label).
type Link = (String, String);

async fn neighbours(st: &AppState, m: &MessageDetail) -> Result<Neighbours, Fail> {
    let (id, thread) = (m.id.clone(), m.thread.clone());
    let reconstructed = m.reconstructed;
    let a = st.addresses;
    st.query(move |s| {
        let date = if reconstructed {
            (None, None)
        } else {
            s.date_neighbours(&id)?
        };
        let mut in_thread = (None, None);
        if let Some(t) = thread
            .as_deref()
            .map(|t| s.thread(t))
            .transpose()?
            .flatten()
        {
            let label = |i: usize| {
                t.messages.get(i).map(|x| {
                    let who = x
                        .author
                        .name
                        .clone()
                        .or_else(|| a.opt(x.author.address.as_deref()))
                        .unwrap_or_else(|| "unknown".into());
                    (message_href(&x.id), a.text(&who).into_owned())
                })
            };
            if let Some(i) = t.messages.iter().position(|x| x.id == id) {
                in_thread = (i.checked_sub(1).and_then(label), label(i + 1));
            }
        }
        let link = |v: Option<(String, String)>| {
            v.map(|(id, subject)| (message_href(&id), subject_or_none(&a.text(&subject))))
        };
        Ok(Neighbours {
            date: (link(date.0), link(date.1)),
            thread: in_thread,
        })
    })
    .await
}

fn message_view(m: &MessageDetail, a: Addresses) -> MessagePage {
    let subject = subject_or_none(&a.text(m.subject.as_deref().unwrap_or("")));
    let attachments = m
        .attachments
        .iter()
        .map(|v| AttachmentRow {
            name: v
                .name
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or("(unnamed)")
                .to_string(),
            content_type: if v.content_type.is_empty() {
                "application/octet-stream".to_string()
            } else {
                v.content_type.clone()
            },
            size: text::human_size(v.size),
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
            m.author.person.as_deref(),
            a,
        ),
        date: m.date.as_deref().map(|d| {
            let shown = text::display_utc(d);
            if m.date_exact {
                shown
            } else {
                // an attribution's wall-clock time, offset unknown
                format!("{} (local time)", shown.trim_end_matches(" UTC"))
            }
        }),
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
        recovered: recovered_links(&m.recovered, &Default::default(), a),
        language: m.language.as_deref().and_then(text::language_name),
        language_code: m.language.clone(),
        prev_date: None,
        next_date: None,
        prev_thread: None,
        next_thread: None,
    }
}

/// What a `/messages/...` path asks for.
#[derive(Debug, PartialEq, Eq)]
enum MessagePath {
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
fn message_path(uri: &Uri, prefix: &str) -> Result<MessagePath, Fail> {
    let bad = || Fail::BadRequest("The address is not valid percent-encoded UTF-8.".into());
    let rest = uri.path().strip_prefix(prefix).unwrap_or_default();
    if rest.is_empty() {
        // `?id=` names ids that cannot be a path segment (`.` and `..`, which
        // clients collapse even when percent-encoded); see `links::message_href`.
        let mut id = None;
        let mut raw = false;
        for pair in uri.query().unwrap_or_default().split('&') {
            match pair.split_once('=') {
                Some(("id", v)) => id = Some(text::decode_path(v).ok_or_else(bad)?),
                Some(("raw", "1")) => raw = true,
                _ => {}
            }
        }
        return match id {
            Some(id) if !id.is_empty() && raw => Ok(MessagePath::Raw(id)),
            Some(id) if !id.is_empty() => Ok(MessagePath::Page(id)),
            _ => Err(Fail::NotFound("No message id given.".into())),
        };
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
enum Found {
    Message(Box<MessageDetail>),
    /// Its id, raw bytes and decoded body.
    Raw(String, Vec<u8>, String),
    /// Taken down on this day.
    Removed(String),
    Nothing,
}

/// The day (UTC) of a Unix time.
fn day_of_unix(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Looks up what a [`MessagePath`] names.
async fn find_message(st: &AppState, p: MessagePath) -> Result<Found, Fail> {
    st.query(move |s| {
        let (page, raw) = match p {
            MessagePath::Page(id) => (Some(id), None),
            MessagePath::Raw(id) => (None, Some(id)),
            MessagePath::Either(path) => {
                let raw = path.strip_suffix("/raw").map(str::to_string);
                (Some(path), raw)
            }
        };
        if let Some(id) = &page {
            if let Some(m) = s.message(id)? {
                return Ok(Found::Message(Box::new(m)));
            }
        }
        if let Some(id) = &raw {
            if let Some(bytes) = s.raw(id)? {
                let body = s.message(id)?.map(|m| m.body).unwrap_or_default();
                return Ok(Found::Raw(id.clone(), bytes, body));
            }
        }
        for id in page.iter().chain(raw.iter()) {
            if let Some(at) = s.taken_down_at(id)? {
                let day = day_of_unix(at);
                return Ok(Found::Removed(day));
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
/// A message's raw bytes as a download; unless addresses are shown, with every
/// address obfuscated (identifier headers kept).
fn raw_response(id: &str, bytes: Vec<u8>, body: &str, addresses: text::Addresses) -> Response {
    let bytes = if addresses.show {
        bytes
    } else {
        plenary_mail::address::obfuscate_message(&bytes, body)
    };
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

pub(crate) async fn message_page(State(st): State<AppState>, uri: Uri) -> PageResult {
    let p = message_path(&uri, "/messages/")?;
    match find_message(&st, p).await? {
        Found::Message(mut m) => {
            plenary_search::annotate_message(&mut m);
            let n = neighbours(&st, &m).await?;
            let mut page = message_view(&m, st.addresses);
            (page.prev_date, page.next_date) = n.date;
            (page.prev_thread, page.next_thread) = n.thread;
            Ok(render(&page, StatusCode::OK))
        }
        Found::Raw(id, bytes, body) => Ok(raw_response(&id, bytes, &body, st.addresses)),
        Found::Removed(day) => Err(Fail::Gone(format!(
            "This message was removed from the archive on {day}."
        ))
        .into()),
        Found::Nothing => {
            Err(Fail::NotFound("There is no message with this id in the archive.".into()).into())
        }
    }
}

pub(crate) async fn message_api(
    State(st): State<AppState>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let p = message_path(&uri, "/api/v1/messages/")?;
    match find_message(&st, p).await? {
        Found::Message(m) => Ok(Json(message_out(*m, st.addresses)).into_response()),
        Found::Raw(id, bytes, body) => Ok(raw_response(&id, bytes, &body, st.addresses)),
        Found::Removed(day) => Err(Fail::Gone(format!("removed from the archive on {day}")).into()),
        Found::Nothing => Err(Fail::NotFound("no such message".into()).into()),
    }
}

// ---------------------------------------------------------------- pipermail

/// `2025-July` → `2025-07`.
fn pipermail_month(s: &str) -> Option<String> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = MONTH_NAMES.iter().position(|x| x.eq_ignore_ascii_case(m))? + 1;
    Some(format!("{y}-{n:02}"))
}

/// Old pipermail addresses lead to the same things here.
pub(crate) async fn pipermail(
    State(st): State<AppState>,
    rest: Result<Path<String>, PathRejection>,
) -> PageResult {
    let rest = param(rest)?;
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    let gone = || {
        PageError(Fail::NotFound(format!(
            "/pipermail/{rest} has no counterpart here: no archive imported from pipermail has it."
        )))
    };
    let Some(list) = parts.first().map(|l| l.to_lowercase()) else {
        return Ok(Redirect::permanent("/lists").into_response());
    };
    let l = list.clone();
    if st.query(move |s| s.list(&l)).await?.is_none() {
        return Err(gone());
    }
    let redirect = |to: String| Ok(Redirect::permanent(&to).into_response());
    match parts.as_slice() {
        [_] => redirect(list_href(&list)),
        [_, file] => {
            // 2025-July.txt.gz / 2025-July.txt: the month as mbox.
            let stem = file.trim_end_matches(".gz").trim_end_matches(".txt");
            match pipermail_month(stem) {
                Some(m) if file.ends_with(".txt") || file.ends_with(".txt.gz") => {
                    redirect(format!("{}/mbox", month_href(&list, &m)))
                }
                Some(m) => redirect(month_href(&list, &m)),
                None => Err(gone()),
            }
        }
        [_, month, file] => {
            let m = pipermail_month(month).ok_or_else(gone)?;
            let is_article = file.len() > 5
                && file.ends_with(".html")
                && file[..file.len() - 5].chars().all(|c| c.is_ascii_digit());
            if !is_article {
                // date.html, subject.html, author.html: the same view here;
                // thread.html, index.html: the month by thread
                let by = match *file {
                    "date.html" => "?by=date",
                    "author.html" => "?by=author",
                    "subject.html" => "?by=subject",
                    _ => "",
                };
                return redirect(format!("{}{by}", month_href(&list, &m)));
            }
            let tail = format!("{month}/{file}");
            let l = list.clone();
            match st.query(move |s| s.pipermail_article(&l, &tail)).await? {
                Some(id) => redirect(message_href(&id)),
                None => Err(gone()),
            }
        }
        _ => Err(gone()),
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
        assert_eq!(
            p("/messages/?id=%2E%2E"),
            Some(MessagePath::Page("..".into()))
        );
        assert_eq!(
            p("/messages/?id=.&raw=1"),
            Some(MessagePath::Raw(".".into()))
        );
        assert!(p("/messages/").is_none());
        assert_eq!(month_name("2025-03"), "March 2025");
        assert!(looks_like_mail(b"From: a\n\nx"));
        assert!(!looks_like_mail(b"<html>"));
    }

    #[test]
    fn pipermail_months() {
        assert_eq!(pipermail_month("2025-July").as_deref(), Some("2025-07"));
        assert_eq!(pipermail_month("1999-december").as_deref(), Some("1999-12"));
        assert_eq!(pipermail_month("2025-Juli"), None);
        assert_eq!(pipermail_month("25-July"), None);
    }
}
