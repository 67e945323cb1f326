//! `/search` and `/api/v1/search`: the query language over the index.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use plenary_frameworks::Frameworks;
use plenary_search::{SearchRequest, SearchResults, Sort, FIELDS};
use serde::{Deserialize, Serialize};

use crate::error::{query_param, ApiError, Fail, PageError};
use crate::links::{search_href, thread_href};
use crate::state::AppState;
use crate::views::render;

type PageResult = Result<Response, PageError>;

/// Results per page unless `per_page` says otherwise.
pub(crate) const PER_PAGE: usize = 20;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    per_page: Option<String>,
    /// `false` leaves facet counts out (faster on broad queries).
    #[serde(default)]
    facets: Option<String>,
}

struct Parsed {
    facets: bool,
    query: String,
    sort: Sort,
    page: usize,
    per_page: usize,
}

fn parse(p: &SearchParams) -> Result<Parsed, Fail> {
    let sort = match p.sort.as_deref().unwrap_or("relevance") {
        "" | "relevance" => Sort::Relevance,
        "date" => Sort::Date,
        other => {
            return Err(Fail::BadRequest(format!(
                "sort={other}: sort by relevance or date."
            )))
        }
    };
    let num = |v: &Option<String>, name: &str, default: usize, max: usize| match v.as_deref() {
        None | Some("") => Ok(default),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n >= 1 && n <= max => Ok(n),
            _ => Err(Fail::BadRequest(format!(
                "{name}={s}: give a whole number from 1 to {max}."
            ))),
        },
    };
    let facets = match p.facets.as_deref() {
        None | Some("") | Some("true") | Some("1") => true,
        Some("false") | Some("0") => false,
        Some(other) => return Err(Fail::BadRequest(format!("facets={other}: true or false."))),
    };
    Ok(Parsed {
        facets,
        query: p.q.clone().unwrap_or_default(),
        sort,
        page: num(&p.page, "page", 1, 5000)?,
        per_page: num(&p.per_page, "per_page", PER_PAGE, 100)?,
    })
}

/// Runs a parsed search.
async fn search_data(st: &AppState, p: &Parsed) -> Result<SearchResults, Fail> {
    st.run_search(SearchRequest {
        query: p.query.clone(),
        sort: p.sort,
        offset: (p.page - 1) * p.per_page,
        limit: p.per_page,
        facets: p.facets,
    })
    .await
}

/// `GET /api/v1/search`: the request as understood, and the results.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct ApiResults {
    query: String,
    sort: Sort,
    page: usize,
    per_page: usize,
    #[serde(flatten)]
    results: SearchResults,
}

pub(crate) async fn search_api(
    State(st): State<AppState>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<ApiResults>, ApiError> {
    let q = query_param(q)?;
    let p = parse(&q)?;
    if p.query.trim().is_empty() {
        return Err(Fail::BadRequest(
            "q is empty: pass a query, as in /api/v1/search?q=enhanced+cooperation".into(),
        )
        .into());
    }
    let results = search_data(&st, &p).await?;
    Ok(Json(ApiResults {
        query: p.query,
        sort: p.sort,
        page: p.page,
        per_page: p.per_page,
        results,
    }))
}

struct HitView {
    kind: String,
    href: String,
    title: String,
    date: String,
    snippet: String,
    author: Option<String>,
    author_href: Option<String>,
    list: Option<String>,
    thread_href: Option<String>,
}

struct FacetValueView {
    label: String,
    count: u64,
    href: String,
    active: bool,
}

struct FacetView {
    name: &'static str,
    values: Vec<FacetValueView>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    title: String,
    nav: &'static str,
    query: String,
    by_date: bool,
    error: Option<String>,
    searched: bool,
    total: u64,
    first: usize,
    last: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetView>,
    prev: Option<String>,
    next: Option<String>,
    fields: Vec<(&'static str, &'static str)>,
    feed_href: String,
    mbox_href: String,
    api_href: String,
    examples: Vec<(String, &'static str, &'static str)>,
}

fn facet_label(fw: &Frameworks, root: &str, value: &str) -> String {
    let item = |framework: &str| {
        fw.frameworks
            .iter()
            .find(|f| f.id == framework)
            .and_then(|f| f.items.iter().find(|i| i.code == value))
            .map(|i| format!("{} {}", value, i.short.as_deref().unwrap_or(&i.title)))
    };
    let label = match root {
        "kind" => Some(
            match value {
                "message" => "Messages",
                "reconstructed" => "Reconstructed messages",
                "session" => "Sessions",
                "turn" => "Transcript turns",
                "person" => "People",
                "organization" => "Organisations",
                other => other,
            }
            .to_string(),
        ),
        "group" => fw
            .stakeholder_groups
            .iter()
            .find(|g| g.id == value)
            .map(|g| g.name.clone()),
        "region" => fw
            .regional_groups
            .iter()
            .find(|g| g.id == value)
            .map(|g| g.name.clone()),
        "actionline" => item(plenary_frameworks::ACTION_LINES),
        "sdg" => item(plenary_frameworks::SDGS).map(|s| format!("SDG {s}")),
        "gdc" => item(plenary_frameworks::GDC).map(|s| format!("GDC {s}")),
        "topic" => fw
            .frameworks
            .iter()
            .find(|f| f.id == plenary_frameworks::TOPICS)
            .and_then(|f| f.items.iter().find(|i| i.code == value))
            .map(|i| i.title.clone()),
        _ => None,
    };
    label.unwrap_or_else(|| value.to_string())
}

const FACET_NAMES: [(&str, &str); 9] = [
    ("kind", "Kind"),
    ("list", "List"),
    ("year", "Year"),
    ("group", "Stakeholder group"),
    ("region", "UN regional group"),
    ("actionline", "WSIS Action Line"),
    ("sdg", "SDG"),
    ("gdc", "GDC objective"),
    ("topic", "Topic"),
];

fn quote_value(v: &str) -> String {
    if v.contains(char::is_whitespace) {
        format!("\"{v}\"")
    } else {
        v.to_string()
    }
}

pub(crate) async fn search_page(
    State(st): State<AppState>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> PageResult {
    let q = query_param(q)?;
    let p = parse(&q)?;
    let mut page = SearchPage {
        title: if p.query.trim().is_empty() {
            "Search".into()
        } else {
            format!("Search: {}", p.query)
        },
        nav: "search",
        query: p.query.clone(),
        by_date: p.sort == Sort::Date,
        error: None,
        searched: false,
        total: 0,
        first: 0,
        last: 0,
        hits: Vec::new(),
        facets: Vec::new(),
        prev: None,
        next: None,
        fields: FIELDS.to_vec(),
        feed_href: search_href(&p.query, Sort::Date, 1).replacen(
            "/search?",
            "/search/feed.atom?",
            1,
        ),
        mbox_href: search_href(&p.query, Sort::Date, 1).replacen("/search?", "/search/mbox?", 1),
        api_href: search_href(&p.query, p.sort, p.page).replacen("/search?", "/api/v1/search?", 1),
        examples: [
            ("enhanced cooperation", "words, in any order"),
            ("\"enhanced cooperation\"", "a phrase"),
            ("cooperação", "stems across languages"),
            ("from:anriette", "what someone wrote"),
            ("quoted:Tunisia", "only in quoted text"),
            ("speaker:anriette kind:session", "sessions with a speaker"),
            ("sdg:16 date:2025", "SDG 16 in 2025"),
            ("igf OR wsis -spam", "alternatives and exclusions"),
        ]
        .iter()
        .map(|(e, d)| (search_href(e, Sort::Relevance, 1), *e, *d))
        .collect(),
    };
    if p.query.trim().is_empty() {
        return Ok(render(&page, StatusCode::OK));
    }
    page.searched = true;
    let res = match search_data(&st, &p).await {
        Ok(r) => r,
        Err(Fail::BadRequest(m)) => {
            page.error = Some(m);
            return Ok(render(&page, StatusCode::BAD_REQUEST));
        }
        Err(e) => return Err(e.into()),
    };
    page.total = res.total;
    page.first = (p.page - 1) * p.per_page + 1;
    page.last = page.first + res.hits.len().saturating_sub(1);
    page.hits = res
        .hits
        .iter()
        .map(|h| HitView {
            kind: h.kind.clone(),
            href: h.url.clone(),
            title: if h.title.is_empty() {
                "(no subject)".into()
            } else {
                h.title.clone()
            },
            date: h
                .date
                .as_deref()
                .map(|d| d.chars().take(10).collect())
                .unwrap_or_default(),
            snippet: h.snippet.clone(),
            author: h.author.as_ref().map(|a| a.name.clone()),
            author_href: h
                .author
                .as_ref()
                .and_then(|a| a.person.as_deref())
                .map(crate::links::person_href),
            list: h.list.clone(),
            thread_href: h.thread.as_deref().map(thread_href),
        })
        .collect();
    for (root, name) in FACET_NAMES {
        let Some(values) = res.facets.get(root) else {
            continue;
        };
        if values.is_empty() {
            continue;
        }
        let values = values
            .iter()
            .take(12)
            .map(|v| {
                let filter = format!("{root}:{}", quote_value(&v.value));
                let active = p.query.split_whitespace().any(|w| w == filter);
                FacetValueView {
                    label: facet_label(st.frameworks(), root, &v.value),
                    count: v.count,
                    href: search_href(&format!("{} {filter}", p.query.trim()), p.sort, 1),
                    active,
                }
            })
            .collect();
        page.facets.push(FacetView { name, values });
    }
    if p.page > 1 {
        page.prev = Some(search_href(&p.query, p.sort, p.page - 1));
    }
    if (p.page * p.per_page) < res.total as usize && p.page < 5000 {
        page.next = Some(search_href(&p.query, p.sort, p.page + 1));
    }
    Ok(render(&page, StatusCode::OK))
}
