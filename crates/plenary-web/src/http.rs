//! Conditional requests and cross-origin reads.
//!
//! Every successful GET gets a strong `ETag` (a hash of its body) and a
//! `Last-Modified` (the last change to the data folder's store), and is
//! answered `304 Not Modified` when the client already has it. Read-only
//! API responses carry `Access-Control-Allow-Origin: *` (tower-http's
//! `CorsLayer`, applied to `/api` in `router`).
//!
//! Hashing the body is ours: no well-kept crate computes entity tags for
//! axum responses; bodies here are whole rendered pages or JSON documents.

use std::path::PathBuf;
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Bodies larger than this are streamed as they are, without an ETag.
const MAX_HASHED: usize = 64 * 1024 * 1024;

/// The newest modification time of the store's files.
pub(crate) fn last_modified(dir: &std::path::Path) -> Option<SystemTime> {
    ["plenary.sqlite3", "plenary.sqlite3-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok()?.modified().ok())
        .max()
}

/// FNV-1a (64 bit) of the body and its length.
fn etag_of(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(bytes);
    format!("\"{:016x}-{:x}\"", h.finish(), bytes.len())
}

fn http_date(t: SystemTime) -> Option<String> {
    let ts = jiff::Timestamp::try_from(t).ok()?;
    Some(ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string())
}

fn parse_http_date(s: &str) -> Option<i64> {
    jiff::fmt::rfc2822::parse(s.trim())
        .ok()
        .map(|z| z.timestamp().as_second())
}

pub(crate) async fn conditional(State(dir): State<PathBuf>, req: Request, next: Next) -> Response {
    let is_get = req.method() == Method::GET || req.method() == Method::HEAD;
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let if_modified_since = req
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date);
    let res = next.run(req).await;
    let streamed = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|c| c.as_bytes().starts_with(b"application/mbox"));
    if !is_get || res.status() != StatusCode::OK || streamed {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_HASHED).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
    };
    let etag = etag_of(&bytes);
    let modified = last_modified(&dir);
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    if let Some(lm) = modified.and_then(http_date) {
        if let Ok(v) = HeaderValue::from_str(&lm) {
            parts.headers.insert(header::LAST_MODIFIED, v);
        }
    }
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let not_modified = match (&if_none_match, if_modified_since) {
        (Some(inm), _) => inm
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*"),
        (None, Some(since)) => modified
            .and_then(|m| jiff::Timestamp::try_from(m).ok())
            .is_some_and(|m| m.as_second() <= since),
        (None, None) => false,
    };
    if not_modified {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod etags {
    #[test]
    fn etag_is_fnv1a_and_length() {
        assert_eq!(super::etag_of(b"hello"), "\"a430d84680aabd0b-5\"");
    }
}
