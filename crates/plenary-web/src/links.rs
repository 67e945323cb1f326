//! Every address the site builds: one function per kind of page, so a link
//! and the route it leads to change together.

use axum::http::header::{self, HeaderMap};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use plenary_frameworks::{ACTION_LINES, GDC, SDGS, TOPICS};
use plenary_search::Sort;

use crate::text::encode_segment;

pub(crate) fn list_href(slug: &str) -> String {
    format!("/lists/{}", encode_segment(slug))
}

pub(crate) fn month_href(slug: &str, month: &str) -> String {
    format!("/lists/{}/{}", encode_segment(slug), encode_segment(month))
}

pub(crate) fn thread_href(id: &str) -> String {
    format!("/threads/{}", encode_segment(id))
}

/// The one rule for links to elsewhere: only `http(s)` URLs become links (a
/// `javascript:`, `data:` or `file:` URL from imported data is shown as text).
pub(crate) fn web_href(url: &str) -> Option<String> {
    let u = url.trim();
    let (scheme, rest) = u.split_once(':')?;
    let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    (web && rest.starts_with("//") && !u.chars().any(char::is_control)).then(|| u.to_string())
}

/// An id made only of dots is a dot-segment that browsers collapse even when
/// percent-encoded (`/messages/%2E` is `/messages/`): such ids go in the query.
fn dot_segment(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b == b'.')
}

pub(crate) fn message_href(id: &str) -> String {
    if dot_segment(id) {
        return format!("/messages/?id={}", encode_segment(id));
    }
    format!("/messages/{}", encode_segment(id))
}

pub(crate) fn raw_href(id: &str) -> String {
    if dot_segment(id) {
        return format!("/messages/?id={}&raw=1", encode_segment(id));
    }
    format!("/messages/{}/raw", encode_segment(id))
}

pub(crate) fn session_href(id: &str) -> String {
    format!("/sessions/{}", encode_segment(id))
}

pub(crate) fn transcript_href(id: &str) -> String {
    format!("/transcripts/{}", encode_segment(id))
}

pub(crate) fn event_href(id: &str) -> String {
    format!("/events/{}", encode_segment(id))
}

/// An event's id from its name: `WSIS Forum 2025` → `wsis-forum-2025` (the event style
/// of the one slug rule, as `Store::events` gives it).
pub(crate) fn event_id(name: &str) -> String {
    plenary_frameworks::slug_with(name, plenary_frameworks::SlugStyle::Event)
}

/// A speaker's calendar, by the slug of their name.
pub(crate) fn speaker_calendar_href(name_slug: &str) -> String {
    format!("/speakers/{}/calendar.ics", encode_segment(name_slug))
}

/// `/action-lines`, `/sdgs`, `/gdc`, `/topics`, `/frameworks/{id}`.
pub(crate) fn framework_href(id: &str) -> String {
    match id {
        ACTION_LINES | SDGS | GDC | TOPICS => format!("/{id}"),
        other => format!("/frameworks/{}", encode_segment(other)),
    }
}

/// `/action-lines/C5`, `/sdgs/16`, `/gdc/3`, `/topics/{slug}`, `/frameworks/{id}/{code}`.
pub(crate) fn item_href(framework: &str, code: &str) -> String {
    match framework {
        ACTION_LINES | SDGS | GDC | TOPICS => {
            format!("/{framework}/{}", encode_segment(code))
        }
        other => format!(
            "/frameworks/{}/{}",
            encode_segment(other),
            encode_segment(code)
        ),
    }
}

/// The participation balance of one scope (`list`, `thread`, `event`, `sessions`).
pub(crate) fn balance_href(kind: &str, value: &str) -> String {
    format!("/balance?{kind}={}", encode_segment(value))
}

pub(crate) fn person_href(id: &str) -> String {
    format!("/people/{}", encode_segment(id))
}

pub(crate) fn org_href(id: &str) -> String {
    format!("/organizations/{}", encode_segment(id))
}

/// `/search?q=…` with the sort and page when they are not the defaults.
pub(crate) fn search_href(q: &str, sort: Sort, page: usize) -> String {
    let mut s = format!("/search?q={}", form_encode(q));
    if sort == Sort::Date {
        s.push_str("&sort=date");
    }
    if page > 1 {
        s.push_str(&format!("&page={page}"));
    }
    s
}

/// A form value: space as `+`, RFC 3986 unreserved characters kept, the rest `%XX`.
/// (Not `form_urlencoded`/`serde_urlencoded`: they escape `~` and keep `*`, which
/// would change the links the site has always printed.)
fn form_encode(s: &str) -> String {
    const FORM: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b' ');
    // `+` itself is escaped, so the spaces left raw can become `+`.
    utf8_percent_encode(s, FORM).to_string().replace(' ', "+")
}

/// Absolute URLs for calendar, schedule and feed files, from the request's Host header
/// (calendar apps need absolute URLs; the server does not know its public name).
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_become_links() {
        assert_eq!(
            web_href(" https://x.org/a ").as_deref(),
            Some("https://x.org/a")
        );
        assert_eq!(web_href("HTTP://x.org").as_deref(), Some("HTTP://x.org"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "vbscript:x",
            "//evil.example",
            "/relative",
            "http:alert(1)",
            "https://x.org/\u{0}a",
        ] {
            assert_eq!(web_href(bad), None, "{bad}");
        }
    }

    #[test]
    fn search_links_are_form_encoded() {
        assert_eq!(
            search_href("a b+c~*é/&=", Sort::Date, 2),
            "/search?q=a+b%2Bc~%2A%C3%A9%2F%26%3D&sort=date&page=2"
        );
        assert_eq!(search_href("x", Sort::Relevance, 1), "/search?q=x");
    }
}
