//! Quote unwrapping for archived mail: text in, structure out.
//!
//! In mailing-list archives a reply carries its ancestors as quotes, and the
//! quote is often the only surviving copy. [`analyze`] splits a decoded
//! plain-text body into **zones** (byte spans on line boundaries that tile the
//! whole body: new text, attributions, salutations, closings, signatures,
//! disclaimers, classification markings, notices, list footers, scrubbed
//! attachments) and recovers the **quoted messages** to any depth, each with
//! its attribution (author, address, list, local date, subject, recipients)
//! and its own text without its quotes, signature and footers.
//!
//! Quotes are found in three shapes, nested freely:
//! * `>`-marked runs, with or without an attribution line above;
//! * "On … wrote:" attributions in many languages (en es pt fr de it nl sv da
//!   no pl ru zh ja ar, wrapped over up to three lines), Gmail's
//!   `at TIME Name <addr>`, `Name (<addr>)`, `Name via List`;
//! * Outlook/Lotus header blocks (`From:`/`De:`/`Von:`… with `Sent:`, `To:`,
//!   `Subject:` in those languages, bold `*From:*`, `____` rules,
//!   "-----Original Message-----", cc:Mail's "Reply Separator", field names
//!   pipermail mangled to `De?:`), which own everything below them even
//!   when nothing is `>`-marked; an "On … wrote:" line with a date or address
//!   followed by unmarked text is treated the same way;
//! * Lotus Notes without `From:` (a name, a date, then `To:`/`cc:`/`Subject:`;
//!   `Name <addr> on DATE`; one-line and two-column forms) and its
//!   `----- Forwarded by X/ORG on DATE -----` lines, each a hop whose author
//!   is the forwarder;
//! * GroupWise `>>> Name DATE >>>`, Supercite/ESS `>>>>> "JD" == Name
//!   writes:` (with the `JD>` prefixes it declares), AOL "In a message dated
//!   …", Eudora "At TIME DATE, you wrote:" (the addressee, see
//!   [`Options::addressee`]), Bugzilla and JIRA comment lines, "According to
//!   X:", and a summary's `Name:` above each person's quote;
//! * Postbox's `Name wrote on DATE:` and verbs pipermail turned into `?????`
//!   (`Name <addr> ?????:`) leave no verb in the name; a verbless
//!   attribution takes a date written alone on the line above it.
//!
//! Code is not a quote: a `>` run with no attribution of its own that reads
//! as code or a console transcript (R's `> x <- c(1, 2)` with `[1] 1 2` and
//! `+ ` lines around it, Python's `>>> import x`, shell and SQL prompts, a
//! diff's `> new line`) stays the writer's own text, prompts and all; so do
//! a pasted `git format-patch` header (`From <sha> Mon Sep 17 …`, `Subject:
//! [PATCH]`) and mbox's `>From ` escape. Inside a quoted message, and after
//! an attributed quote, only transcript evidence (unquoted output or
//! continuation lines, a diff's markers) does this.
//!
//! Inline replies are recovered: a quoted message split by the quoting
//! author's answers is one message made of its chunks
//! ([`QuotedMessage::interleaved`]).
//!
//! Everything is bounded: input beyond [`Options::max_bytes`] is left as new
//! text, nesting stops at [`Options::max_depth`], per-line work is capped
//! (long lines are treated as prose, date parsing looks at a bounded number of
//! tokens), so analysis is linear in the input (times the depth cap) and
//! never panics. No regular expressions; the only dependency is `serde`.
//!
//! Examples: `cargo run -p plenary-quotes --example dump -- FILE [SKIP_LINES]`
//! prints zones and messages; `--example summary` one screen per file;
//! `cargo run --release -p plenary-quotes --example timing` times 1 MB bodies.
//!
//! ```
//! let body = "Agreed.\n\nOn Tue, Jul 22, 2025 at 5:06 PM Ana Neves <ana@example.org> wrote:\n> Shall we meet?\n";
//! let a = plenary_quotes::analyze(body);
//! assert_eq!(a.messages.len(), 2);
//! assert_eq!(a.messages[0].text, "Agreed.");
//! let quoted = &a.messages[1];
//! let attr = quoted.attribution.as_ref().unwrap();
//! assert_eq!(attr.name.as_deref(), Some("Ana Neves"));
//! assert_eq!(attr.date.map(|d| (d.day, d.hour)), Some((22, 17)));
//! assert_eq!(quoted.text, "Shall we meet?");
//! ```

mod analyze;
mod attribution;
mod code;
mod date;
mod footer;
mod lexicon;
mod lines;
mod similarity;

use serde::{Deserialize, Serialize};

pub use date::{parse_date, LocalDateTime};
pub use footer::{
    block_hash, is_signature, learned_footer, learned_footers, learned_signatures,
    signature_blocks, signature_owner, AuthoredBody, CountedAuthor, CountedBlock, SignatureCounts,
    SignatureLearner, SIGNATURE_RULES,
};
pub use similarity::{containment, similarity, Shingled};

/// Whether a line of a signature block reaches or places a person: an e-mail or
/// web address, a phone or fax number (labelled or not), an organisation's legal
/// suffix or a job title (`Tel: +41 22 730 5111`, `rmsharp at me.com`,
/// `Data Scientist`).
pub fn is_contact_line(t: &str) -> bool {
    analyze::contact_line(t.trim())
}

/// Default cap on the bytes analysed (1 MiB); the rest is one `new_text` zone.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;
/// Default cap on the nesting depth of quoted messages.
pub const DEFAULT_MAX_DEPTH: u32 = 64;
/// Hard cap on [`Options::max_depth`] (the analysis recurses per level).
pub const MAX_DEPTH_LIMIT: u32 = 256;

/// Options for [`analyze_with`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Footers learned for the list (see [`learned_footer`]); each is matched
    /// line by line (trimmed, blank lines ignored) and marked `list_footer`.
    /// The first 16 footers of 2–60 non-blank lines are used.
    pub footers: Vec<String>,
    /// Signature blocks the top message's author repeats without a `-- `
    /// delimiter (see [`learned_signatures`]); matched line by line like
    /// footers and marked `signature`. The first 16 of 2–60 non-blank lines
    /// are used.
    pub signatures: Vec<String>,
    /// The top message's author as in its `From` header (`Name <addr>`);
    /// helps recognise its sign-off and its inline replies.
    pub author: Option<String>,
    /// Whom the top message was written to (its `To`, `Name <addr>`): the
    /// author of a quote it attributes with "…, you wrote:".
    pub addressee: Option<String>,
    /// The top message's date, to resolve `dd/mm` vs `mm/dd` in the
    /// attributions it quotes (deeper ones use their parent's date).
    pub date: Option<LocalDateTime>,
    /// Analyse at most this many bytes (cut at a line end; at most 4 GiB).
    pub max_bytes: usize,
    /// Deeper quoted material is kept as `quoted` zones of the deepest
    /// message. At most [`MAX_DEPTH_LIMIT`].
    pub max_depth: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            footers: Vec::new(),
            signatures: Vec::new(),
            author: None,
            addressee: None,
            date: None,
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// The result of [`analyze`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Spans tiling the whole body, in order, on line boundaries.
    pub zones: Vec<Zone>,
    /// The top message (index 0) and every quoted message, depth-first in
    /// the order they appear.
    pub messages: Vec<QuotedMessage>,
    /// The body was longer than [`Options::max_bytes`]; the rest is one
    /// `new_text` zone and was not analysed.
    #[serde(default)]
    pub truncated: bool,
}

/// A span of the body, `start..end` in bytes, covering whole lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    /// Byte offset where the zone starts (the start of a line).
    pub start: usize,
    /// Byte offset just past the zone's last line, terminator included.
    pub end: usize,
    /// What the zone holds.
    pub kind: ZoneKind,
    /// Nesting depth of the message the zone belongs to (0 = top message).
    pub depth: u32,
    /// Number of `>` markers on the zone's lines (may be less than `depth`
    /// when a client dropped the markers, as Outlook does).
    #[serde(default)]
    pub quote_level: u32,
    /// Index in [`Analysis::messages`] of the message the zone belongs to.
    /// Attribution zones belong to the message they attribute.
    #[serde(default)]
    pub message: usize,
}

/// What a zone holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// The top message's own words.
    NewText,
    /// A quoted message's own words (its `depth` is ≥ 1).
    Quoted,
    /// "On … wrote:" line(s), a header block, an "Original Message" line.
    Attribution,
    /// "Dear Ana", "Hi all,".
    Salutation,
    /// "Best,", "Thanks", and the name signed under it.
    Closing,
    /// After `-- `, or the block under a closing (name, title, contacts),
    /// "Sent from my iPhone".
    Signature,
    /// "This email and any attachments are confidential…".
    Disclaimer,
    /// `OFFICIAL`, `UNCLASSIFIED`, `[SEC=…]`.
    Classification,
    /// "I am sending this message at a time that works for me…".
    Notice,
    /// Mailman, Sympa, LISTSERV, Google Groups footers, learned footers.
    ListFooter,
    /// Pipermail's `-------------- next part --------------` and what follows.
    ScrubbedAttachment,
}

/// One message: the top one (index 0) or one recovered from a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotedMessage {
    /// 0 for the top message, 1 for what it quotes, …
    pub depth: u32,
    /// Index of the message that quotes this one.
    pub parent: Option<usize>,
    /// Who wrote it and when, when an attribution was found.
    pub attribution: Option<Attribution>,
    /// Its own words (salutation, body, closing) without quotes, signature,
    /// footers, notices, disclaimers or markings; chunks separated by a
    /// blank line.
    #[serde(default)]
    pub text: String,
    /// Its signature block (after `-- ` or under its closing), when it has one.
    #[serde(default)]
    pub signature: Option<String>,
    /// Its text came in several chunks, split by the quoting message's
    /// inline replies.
    #[serde(default)]
    pub interleaved: bool,
}

/// An attribution as written, with what could be read from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The attribution text (lines joined with `\n`, quote markers removed).
    pub raw: String,
    /// The name as written, without address or "via List"
    /// (`Blaker, Paul (DSIT)`).
    pub name: Option<String>,
    /// The name as "First Last" without parentheticals (`Paul Blaker`).
    pub normalized_name: Option<String>,
    /// Lower-cased address, pipermail's `user at host` undone. With "via
    /// List" this is usually the list's address.
    pub address: Option<String>,
    /// The list in "Name via List".
    pub via_list: Option<String>,
    /// The date read from the attribution, in the writer's local time.
    pub date: Option<LocalDateTime>,
    /// The date as written.
    pub date_text: Option<String>,
    /// The `Subject:` of a header block.
    pub subject: Option<String>,
    /// The `To:` recipients of a header block, as written.
    #[serde(default)]
    pub to: Vec<String>,
    /// The `Cc:` recipients of a header block, as written.
    #[serde(default)]
    pub cc: Vec<String>,
    /// Which kind of attribution this is.
    #[serde(default)]
    pub style: AttributionStyle,
    /// ISO 639-1 code of the attribution's language when it shows.
    #[serde(default)]
    pub language: Option<String>,
}

/// The shape of an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributionStyle {
    /// "On … wrote:", "El … escribió:", "Am … schrieb …:", …; also Supercite's
    /// "writes:", tracker lines (`--- Comment #4 from X ---`, `X commented on
    /// PROJ-1:`) and "According to X:".
    #[default]
    OnWrote,
    /// `From:` / `Sent:` / `To:` / `Subject:` (any listed language), and Lotus
    /// Notes' blocks (sender and date, then `To:` / `cc:` / `Subject:`).
    HeaderBlock,
    /// "-----Original Message-----" (with or without fields).
    OriginalMessage,
    /// "---------- Forwarded message ---------", "Begin forwarded message:",
    /// Notes' "----- Forwarded by X/ORG on DATE -----" (X is the forwarder).
    Forwarded,
    /// A short line ending in `:` with a date or address, right before a quote;
    /// GroupWise's `>>> Name DATE >>>`; a summary's `Name:` above a quote.
    Fallback,
    /// No attribution at all: the original below a mobile client's signature
    /// ("Sent from my …", "Gesendet von Outlook für Android"), not marked as a quote.
    Unmarked,
}

/// Analyse a decoded plain-text body with default [`Options`].
pub fn analyze(body: &str) -> Analysis {
    analyze_with(body, &Options::default())
}

/// Analyse a decoded plain-text body.
pub fn analyze_with(body: &str, opts: &Options) -> Analysis {
    analyze::run(body, opts)
}

/// Parse attribution text on its own: "On … wrote:" line(s) (lines may be
/// wrapped), a header block, or a fallback line. `None` if it is none of them.
pub fn parse_attribution(text: &str) -> Option<Attribution> {
    // make the text quote something so that weak forms count too
    let body = format!("{}\n> .\n", text.trim_end());
    let a = analyze(&body);
    a.messages.into_iter().nth(1).and_then(|m| m.attribution)
}
