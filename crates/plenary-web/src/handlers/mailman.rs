//! The Mailman 3 archiver endpoint, compatible with the stock `mailman-hyperkitty`
//! plugin (a site points the plugin's `base_url` at Plenary and nothing else
//! changes), and HyperKitty-style permalinks.
//!
//! - `POST /api/mailman/archive` (multipart: `mlist`, `message`) imports one message
//!   as it arrives and answers `{"url": PERMALINK}`; the same message again is 200
//!   with the same URL; a message that cannot be read is 400 `{"error"}` and its
//!   bytes are kept as a reject.
//! - `GET /api/mailman/urls?mlist=L[&msgid=ID]` answers the list's URL, or the
//!   permalink a message will have (computable before it is archived).
//! - The key comes as `?key=` (plugin 1.1 and older) or `Authorization: Token KEY`
//!   (1.2 and newer); a wrong key is 401, a source address not allowed 403; without a
//!   key configured the endpoint does not exist (404).
//! - Permalinks are `/lists/LIST/message/HASH` with Mailman's Message-ID-Hash;
//!   `/hyperkitty/list/LIST@DOMAIN/{message,thread}/HASH/` redirect to our pages.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use plenary_pipeline::{ImportOptions, IntakeSource, RawMessage};
use plenary_store::{list_slug, message_id_hash};
use serde::Deserialize;
use serde_json::json;

use crate::error::{Fail, PageError};
use crate::links;
use crate::state::AppState;
use crate::ArchiverOptions;

/// The largest message the endpoint takes (the importer's own per-message limit is
/// 16 MiB; the multipart envelope adds a little).
pub(crate) const MAX_BODY: usize = 17 * 1024 * 1024;

fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(json!({ "error": msg.into() }))).into_response()
}

/// Checks the endpoint is on, the caller's address and key: `Ok(options)` or the
/// refusal to send.
fn authorise<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    query_key: Option<&str>,
) -> Result<&'a ArchiverOptions, (StatusCode, &'static str)> {
    let Some(opts) = state.archiver.as_deref() else {
        return Err((
            StatusCode::NOT_FOUND,
            "the archiver endpoint is off (start the server with --archiver-key)",
        ));
    };
    if !opts.from.is_empty() {
        let allowed = peer.is_some_and(|ip| {
            opts.from
                .iter()
                .any(|a| *a == ip || Some(*a) == ip_v4_of(ip))
        });
        if !allowed {
            return Err((
                StatusCode::FORBIDDEN,
                "this address may not send mail to the archive",
            ));
        }
    }
    let header_key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("Token "))
        .map(str::trim);
    let given = header_key.or(query_key);
    if !given.is_some_and(|k| constant_time_eq(k.as_bytes(), opts.key.as_bytes())) {
        return Err((StatusCode::UNAUTHORIZED, "wrong or missing archiver key"));
    }
    Ok(opts)
}

/// An IPv4 address that arrives mapped into IPv6 (`::ffff:127.0.0.1`).
fn ip_v4_of(ip: IpAddr) -> Option<IpAddr> {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4),
        IpAddr::V4(_) => None,
    }
}

/// Compares keys without an early exit, so timing tells nothing of the key.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn peer_of(req_ext: &axum::http::Extensions) -> Option<IpAddr> {
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip())
}

/// The site's absolute base: the configured public URL, else the Host header's.
fn base(opts: &ArchiverOptions, headers: &HeaderMap) -> String {
    match &opts.public_url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => links::base_url(headers),
    }
}

/// `wg@lists.example.org` → the list's name as its List-Id gives it (`wg`).
fn list_name(mlist: &str) -> &str {
    mlist.split('@').next().unwrap_or(mlist).trim()
}

/// The permalink of a message of `mlist` with Message-ID `msgid`.
fn permalink(base: &str, mlist: &str, msgid: &str) -> String {
    format!(
        "{base}/lists/{}/message/{}",
        list_slug(list_name(mlist)),
        message_id_hash(msgid)
    )
}

#[derive(Deserialize)]
pub(crate) struct KeyQuery {
    key: Option<String>,
}

/// `POST /api/mailman/archive`.
pub(crate) async fn archive(
    State(state): State<AppState>,
    Query(q): Query<KeyQuery>,
    req: Request,
) -> Response {
    let peer = peer_of(req.extensions());
    let headers = req.headers().clone();
    let opts = match authorise(&state, &headers, peer, q.key.as_deref()) {
        Ok(o) => o.clone(),
        Err((status, why)) => return error(status, why),
    };
    let mut form = match <Multipart as axum::extract::FromRequest<AppState>>::from_request(
        req, &state,
    )
    .await
    {
        Ok(m) => m,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("expected a multipart form: {e}"),
            );
        }
    };
    let (mlist, message) = match read_form(&mut form).await {
        Ok(v) => v,
        Err(msg) => return error(StatusCode::BAD_REQUEST, msg),
    };
    let base = base(&opts, &headers);
    let archive = Arc::clone(&state.archive);
    let done =
        tokio::task::spawn_blocking(move || store_message(&archive, &opts, &mlist, message)).await;
    match done {
        Ok(Ok(Outcome::Stored { msgid, mlist })) => {
            Json(json!({ "url": permalink(&base, &mlist, &msgid) })).into_response()
        }
        Ok(Ok(Outcome::StoredWithoutId { id })) => {
            Json(json!({ "url": format!("{base}{}", links::message_href(&id)) })).into_response()
        }
        Ok(Ok(Outcome::NotArchived)) => Json(json!({
            "url": null,
            "archived": false,
            "reason": "the sender asked not to be archived (X-No-Archive / Archive: no)"
        }))
        .into_response(),
        Ok(Ok(Outcome::Private { msgid, mlist })) => Json(json!({
            "url": msgid.map(|m| permalink(&base, &mlist, &m)),
            "private": true
        }))
        .into_response(),
        Ok(Ok(Outcome::Rejected(reason))) => error(
            StatusCode::BAD_REQUEST,
            format!("the message could not be read ({reason}); its bytes are kept as a reject"),
        ),
        Ok(Err(e)) => {
            tracing::error!(detail = %e, "archiver: storing a message failed");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the message could not be stored; send it again later",
            )
        }
        Err(e) => {
            tracing::error!(detail = %e, "archiver: the storing task failed");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the message could not be stored; send it again later",
            )
        }
    }
}

/// The form's `mlist` and `message` fields.
async fn read_form(form: &mut Multipart) -> Result<(String, Vec<u8>), String> {
    let mut mlist = None;
    let mut message = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(format!("the multipart form does not read: {e}")),
        };
        let name = field.name().unwrap_or("").to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| format!("the form field {name:?} does not read: {e}"))?;
        match name.as_str() {
            "mlist" => mlist = Some(String::from_utf8_lossy(&bytes).trim().to_string()),
            "message" => message = Some(bytes.to_vec()),
            _ => {}
        }
    }
    let mlist = mlist
        .filter(|m| !m.is_empty())
        .ok_or("the form has no \"mlist\" field (the list's fully-qualified name)")?;
    let message = message
        .filter(|m| !m.is_empty())
        .ok_or("the form has no \"message\" file field (the raw message)")?;
    Ok((mlist, message))
}

/// What became of a POSTed message.
enum Outcome {
    Stored {
        msgid: String,
        mlist: String,
    },
    StoredWithoutId {
        id: String,
    },
    NotArchived,
    Private {
        msgid: Option<String>,
        mlist: String,
    },
    Rejected(String),
}

/// Collects the reasons of rejections during one import.
#[derive(Default)]
struct Rejections(Vec<String>);

impl plenary_pipeline::Progress for Rejections {
    fn rejected(&mut self, _origin: &str, reason: &str) {
        self.0.push(reason.to_string());
    }
}

/// Imports one message under the write lock, then brings the search index up to
/// date (blocking: runs on a blocking thread).
fn store_message(
    archive: &plenary_pipeline::Archive,
    opts: &ArchiverOptions,
    mlist: &str,
    message: Vec<u8>,
) -> Result<Outcome, String> {
    let item = plenary_mail::RawItem {
        bytes: message,
        kind: plenary_mail::RawKind::Rfc822,
        origin: format!("archiver:{mlist}"),
        source: format!("archiver:{mlist}"),
        envelope: None,
        list_hint: None,
        alt_page: None,
    };
    let name = list_name(mlist).to_string();
    // Read once here for the id the permalink needs; the import reads it again.
    let parsed = plenary_mail::parse_item(&item, &Default::default(), Some(&name)).ok();
    let msgid = parsed.as_ref().and_then(|p| p.message_id.clone());
    // Decided here by the list Mailman names, not (as the import would) by the
    // message's List-Id or subject tag: mail delivered to a private list stays
    // private even when its subject tag names a public one.
    let private = plenary_pipeline::is_private(&opts.private_lists, mlist)
        || plenary_pipeline::is_private(archive.private_lists(), mlist);
    let mut progress = Rejections::default();
    let _lock = archive
        .lock_for_writing(&mut progress)
        .map_err(|e| e.to_string())?;
    if private {
        if parsed.as_ref().is_some_and(|p| p.no_archive) {
            return Ok(Outcome::NotArchived);
        }
        plenary_pipeline::keep_private(archive.dir(), &name, msgid.as_deref(), &item.bytes)
            .map_err(|e| {
                format!(
                    "keeping private mail under {}: {e}",
                    archive.dir().display()
                )
            })?;
        return Ok(Outcome::Private {
            msgid,
            mlist: mlist.to_string(),
        });
    }
    let origin = match &msgid {
        Some(id) => format!("archiver:{mlist}/<{id}>"),
        None => format!("archiver:{mlist}"),
    };
    let import = ImportOptions {
        list: Some(name),
        source: IntakeSource::Archiver,
        ..Default::default()
    };
    let summary = archive
        .import_messages(
            vec![RawMessage {
                origin,
                bytes: item.bytes,
            }],
            &import,
            &mut progress,
        )
        .map_err(|e| e.to_string())?;
    if summary.not_archived > 0 {
        return Ok(Outcome::NotArchived);
    }
    if summary.rejected + summary.rejected_again > 0 {
        let reason = progress
            .0
            .pop()
            .unwrap_or_else(|| "rejected before".to_string());
        return Ok(Outcome::Rejected(reason));
    }
    if summary.new > 0 {
        if let Err(e) = archive.sync_index() {
            // stored; the next sync (any import, a restart) indexes it
            tracing::warn!("archiver: search index not brought up to date: {e}");
        }
    }
    Ok(match (msgid, parsed) {
        (Some(msgid), _) => Outcome::Stored {
            msgid,
            mlist: mlist.to_string(),
        },
        (None, Some(p)) => Outcome::StoredWithoutId { id: p.id },
        (None, None) => Outcome::Rejected("the message does not parse".into()),
    })
}

#[derive(Deserialize)]
pub(crate) struct UrlsQuery {
    mlist: Option<String>,
    msgid: Option<String>,
    key: Option<String>,
}

/// `GET /api/mailman/urls`.
pub(crate) async fn urls(
    State(state): State<AppState>,
    Query(q): Query<UrlsQuery>,
    req: Request,
) -> Response {
    let peer = peer_of(req.extensions());
    let headers = req.headers();
    let opts = match authorise(&state, headers, peer, q.key.as_deref()) {
        Ok(o) => o,
        Err((status, why)) => return error(status, why),
    };
    let Some(mlist) = q.mlist.as_deref().filter(|m| !m.trim().is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "the query has no mlist");
    };
    let base = base(opts, headers);
    let url = match q.msgid.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(msgid) => permalink(&base, mlist, msgid),
        None => format!("{base}{}", links::list_href(&list_slug(list_name(mlist)))),
    };
    Json(json!({ "url": url })).into_response()
}

/// `/lists/{list}/message/{hash}`: the permalink, answered by the message's page.
pub(crate) async fn message_permalink(
    State(state): State<AppState>,
    Path((_list, hash)): Path<(String, String)>,
) -> Response {
    to_message(&state, hash, false).await
}

/// `/hyperkitty/list/{fqdn}/message/{hash}/` and `…/thread/{hash}/`.
pub(crate) async fn hyperkitty(
    State(state): State<AppState>,
    Path((_fqdn, kind, hash)): Path<(String, String, String)>,
) -> Response {
    match kind.as_str() {
        "message" => to_message(&state, hash, false).await,
        "thread" => to_message(&state, hash, true).await,
        _ => PageError(Fail::NotFound("There is no page at this address.".into())).into_response(),
    }
}

/// `/hyperkitty/list/{fqdn}/`: the list's page.
pub(crate) async fn hyperkitty_list(Path(fqdn): Path<String>) -> Response {
    Redirect::permanent(&links::list_href(&list_slug(list_name(&fqdn)))).into_response()
}

async fn to_message(state: &AppState, hash: String, thread: bool) -> Response {
    let hash = hash.trim_end_matches('/').to_ascii_uppercase();
    let found = state
        .query(move |s| {
            // The hash names one message whatever list it was filed under (a message
            // without List-Id may be filed by its subject tag): the list in the URL is
            // not checked, so the permalink Mailman handed out always answers.
            let Some((id, _list)) = s.message_by_hash(&hash)? else {
                return Ok(None);
            };
            let thread_id = if thread {
                s.message(&id)?.and_then(|m| m.thread)
            } else {
                None
            };
            Ok(Some((id, thread_id)))
        })
        .await;
    match found {
        Ok(Some((_, Some(thread_id)))) => {
            Redirect::to(&links::thread_href(&thread_id)).into_response()
        }
        Ok(Some((id, None))) => Redirect::to(&links::message_href(&id)).into_response(),
        Ok(None) => PageError(Fail::NotFound(
            "No archived message has this permalink (yet).".into(),
        ))
        .into_response(),
        Err(e) => PageError(e).into_response(),
    }
}
