//! Rows the store returns; their JSON shapes are the CLI's and the API's.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `plenary stats --json`
#[derive(Debug, Clone, Serialize, PartialEq, Eq, JsonSchema)]
pub struct Stats {
    pub messages: u64,
    pub threads: u64,
    pub lists: u64,
    pub rejected: u64,
    pub reconstructed: u64,
    pub people: u64,
    pub sessions: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ListSummary {
    pub slug: String,
    pub name: String,
    pub address: Option<String>,
    pub messages: u64,
    pub threads: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MonthSummary {
    /// `YYYY-MM`
    pub month: String,
    pub messages: u64,
    pub threads: u64,
}

/// `plenary threads --json` rows.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ThreadSummary {
    pub id: String,
    pub subject: String,
    pub list: String,
    /// Archived messages.
    pub count: u64,
    /// Messages recovered from quotes (not archived themselves).
    pub recovered: u64,
    /// All messages: archived plus recovered.
    pub messages: u64,
    /// Distinct authors of all messages (by person, else address, else name).
    pub participants: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AuthorRef {
    pub name: Option<String>,
    pub address: Option<String>,
    /// The person this author was resolved to (`/people/{id}`).
    pub person: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ThreadMessage {
    pub id: String,
    /// The archived parent's id, or null.
    pub parent: Option<String>,
    /// Message-ID of a parent referenced but not archived.
    pub ghost_parent: Option<String>,
    pub subject: Option<String>,
    /// RFC 3339 UTC (`…Z`) when `date_exact`; otherwise the writer's local
    /// wall-clock time without a zone (a date from an attribution that gave no
    /// offset).
    pub date: Option<String>,
    /// Whether `date` is a UTC instant (false: local time, offset unknown).
    pub date_exact: bool,
    pub author: AuthorRef,
    pub reconstructed: bool,
    /// For a reconstructed message: the archived message whose quote it came from.
    pub source: Option<String>,
    /// Depth in the reply tree (0 = top level).
    pub depth: u32,
    /// The author's own words (quotes, signature and footers removed).
    pub text: Option<String>,
    /// ISO 639-1 code of `text`'s language when it can be told (filled by
    /// `plenary_search::annotate_thread`; the store leaves it empty).
    pub language: Option<String>,
}

/// `plenary thread ID --json` and `GET /api/v1/threads/{id}`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ThreadDetail {
    pub id: String,
    pub subject: String,
    pub list: String,
    pub messages: Vec<ThreadMessage>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AuthorDetail {
    pub name: Option<String>,
    pub address: Option<String>,
    /// The list address Mailman put in From (DMARC rewrite); not the author's.
    pub via_list: Option<String>,
    /// The person this author was resolved to (`/people/{id}`).
    pub person: Option<String>,
}

/// A message recovered from a quote in an archived message.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecoveredRef {
    pub id: String,
    pub author: Option<String>,
    /// As in [`ThreadMessage::date`].
    pub date: Option<String>,
    pub date_exact: bool,
}

/// `GET /api/v1/messages/{id}`
/// An attachment as the message's MIME structure names it (its bytes stay in the raw message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attachment {
    /// Its file name, when the message gives one.
    pub name: Option<String>,
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MessageDetail {
    pub id: String,
    pub message_id: Option<String>,
    pub list: String,
    pub thread: Option<String>,
    pub parent: Option<String>,
    pub ghost_parent: Option<String>,
    pub subject: Option<String>,
    pub date: Option<String>,
    pub date_offset_seconds: Option<i32>,
    pub author: AuthorDetail,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub body: String,
    pub body_source: String,
    pub attachments: Vec<Attachment>,
    pub warnings: Vec<String>,
    pub origin: String,
    pub raw_len: u64,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub thread_evidence: Option<String>,
    /// The message's own words (quotes, signature, footers removed).
    pub new_text: Option<String>,
    /// Zones over `body` (byte spans) from quote analysis.
    pub zones: Vec<ZoneRow>,
    /// The message this one quotes, when it has no archived parent.
    pub quote_parent: Option<String>,
    /// Recovered from a quote, not archived itself.
    pub reconstructed: bool,
    /// For a reconstructed message: the archived message it was recovered from.
    pub source: Option<String>,
    /// For a reconstructed message: its attribution as written.
    pub attribution: Option<String>,
    /// False when the date comes from an attribution without a UTC offset.
    pub date_exact: bool,
    /// The messages recovered from this one's quotes (archived messages only).
    pub recovered: Vec<RecoveredRef>,
    /// ISO 639-1 code of the own text's language when it can be told (filled by
    /// `plenary_search::annotate_message`; the store leaves it empty).
    pub language: Option<String>,
}

/// A zone of a body: `start..end` bytes, its kind and quote depth.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
pub struct ZoneRow {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub depth: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct RejectRow {
    pub seq: u64,
    pub origin: String,
    pub reason: String,
    pub raw_len: u64,
}
