//! Deterministic generator of realistic synthetic mailing-list archives in the
//! style of internet-governance processes (WSIS, IGF, CSTD, GDC).
//!
//! # Output layout
//!
//! [`generate`] writes under the output directory `OUT`:
//!
//! * `OUT/mbox/<list-slug>.mbox` (mboxrd): each message is preceded by a
//!   separator `From <envelope-addr> <asctime UTC>` (e.g.
//!   `From ana@example.org Wed Jul 23 14:30:34 2025`, single-digit days
//!   space-padded) and followed by one blank line.  Body and header lines
//!   matching `^>*From ` get one more `>`, except the deliberately
//!   unescaped line of `unescaped_from` messages.  Lines end in LF.
//! * or `OUT/maildir/<list-slug>/{cur,new,tmp}`: one file per message named
//!   `<unix-date>.M<n>P<n>Q<index+1>.mail.<list-host>`, ~80% in `cur/` with
//!   suffix `:2,S`, the rest in `new/`; `tmp/` is empty.  `Q` is the
//!   1-based write index, so sorting by it gives the write order.
//! * `OUT/people.jsonl`: every generated person (id as in `truth.jsonl`, full and display
//!   name, addresses, organisation, stakeholder group, region), for measuring identity
//!   resolution.
//! * `OUT/truth.jsonl` (written last, via `truth.jsonl.partial`, so it exists
//!   only for complete corpora): one object per message in write order:
//!   `{"message_id": "<...>"|null, "list": slug, "parent": "<...>"|null,
//!   "author": "p0042", "malformed": null|kind}`.
//! * `OUT/agenda/sessions.json`: a JSON array of 20–40 sessions of one event
//!   (`WSIS Forum 2024/2025` or `IGF 2024/2025`) whose speakers are drawn
//!   from the same population as the mail authors.
//!
//! Only lists that receive messages get a file/folder.  Refuses to write
//! into a non-empty `OUT/mbox` or `OUT/maildir` ([`GenError::OutputNotEmpty`]).
//!
//! # What an importer should expect
//!
//! * Lists (4–6 per corpus): `governance` (lists.igcaucus.org, no subject
//!   tag) and `igf-mag` always; some of `wg-strategy`, `wsis-forum`,
//!   `cstd-dialogue`, `gdc-consultation` (tag `[GDC]`).  The list is best
//!   taken from the file/folder name: ~4% of messages carry no `List-*`,
//!   `Errors-To` or `Sender` headers (and no subject tag when they start a
//!   thread), and ~25% of replies are addressed `To:` a person with the
//!   list in `Cc:`.
//! * Mailman headers: `List-Id: <description> <slug.host>`, `List-Post`,
//!   `List-Archive`, `List-Help`, `List-Subscribe`, `List-Unsubscribe`,
//!   `X-BeenThere`, `X-Mailman-Version`, `Precedence`, `Errors-To`, `Sender`.
//!   Footer `_______________________________________________` + three lines
//!   at the end of single-part text bodies (inside their transfer encoding);
//!   for multipart messages it is a separate last `text/plain` part
//!   (Mailman's `===============<19 digits>==` multipart/mixed wrapper for
//!   `multipart/alternative` and HTML-only posts).  ~3% have no footer.
//! * Header-name case varies by client (Apple Mail writes `Message-Id`,
//!   `Mime-Version`); headers may be folded; parse case-insensitively.
//! * DMARC rewriting: `From: "Name via List" <slug@host>` (RFC 2047 encoded
//!   when non-ASCII) with `Reply-To:` the real person.  The truth author is
//!   the person; the mbox separator carries the real address.
//! * Threading: `In-Reply-To` + `References` on ~97% of replies, only
//!   `In-Reply-To` ~2%, only `References` ~0.7%, neither ~0.3% (then the
//!   reply is within 4 days of its parent and its subject is the parent's
//!   with a reply prefix).  Prefixes: `Re:`, `RE:`, `RES:`, `RE :`, `AW:`,
//!   `SV:`, `Réf. :`, `Antwort:`, forwards `Fwd:`, `FW:`, `RV:`, `ENC:`,
//!   `TR :`, `WG:`, `VB:`, `Fw:`; prefixes sometimes stack and `[Ext] `
//!   may follow the first prefix.  Forwards start new threads.
//! * Quoting styles in bodies: Gmail (`On Tue, Jul 22, 2025 at 5:06 PM Name
//!   <addr> wrote:` and es/pt/fr/de/sv variants, `> ` lines, `>` for blank
//!   lines), Apple Mail (`On 22 Jul 2025, at 17:06, Name <addr> wrote:`,
//!   blank line, `> `), Thunderbird (`On 7/22/25 5:06 PM, Name wrote:`,
//!   `>`-stacking), Outlook (top-post, `________________________________` or
//!   `-----Original Message-----` then `From:`/`Sent:`/`To:`/`Cc:`/`Subject:`
//!   in en/es/pt/fr/de/sv, unquoted parent body).  Interleaved replies,
//!   bottom-posting, trimmed quotes (`[...]`) and quoted footers occur.
//! * MIME: text/plain utf-8 / us-ascii / iso-8859-1 / windows-1252 in 7bit,
//!   8bit, quoted-printable (sometimes `=46rom`) or base64; ~10%
//!   `format=flowed` (some `delsp=yes`); ~8% multipart/alternative; ~2%
//!   HTML-only; ~3% multipart/mixed with a base64 PDF/DOCX attachment
//!   (20 KB–2 MB, long tail; RFC 2231 or RFC 2047 non-ASCII file names).
//! * Dates: RFC 5322 with the sender's offset (EU/US daylight saving
//!   applied; Outlook often `+0000`), sometimes with a `(CEST)`-style
//!   comment.  Messages are written in chronological order; a separator's
//!   date is the message's `Date` in UTC.
//! * Malformed kinds (spread evenly, cycling in this order): `no_headers`,
//!   `nul_bytes`, `invalid_base64`, `huge_body`, `unescaped_from`,
//!   `truncated_mime`.  Malformed messages are never parents; `no_headers`
//!   ones are also never replies.
//!
//! # Determinism and scale
//!
//! The output is a pure function of [`GenOptions`]: the crate uses its own
//! PRNG and maths (see `rng.rs`), so a seed gives byte-identical output
//! across runs, platforms and crate versions.  Generation streams: memory
//! holds the population plus a few recent messages per active thread
//! (~25 MB at 1,000,000 messages), and a second thread does the writing.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

mod agenda;
mod compose;
mod corpus;
mod lists;
mod mime;
mod people;
mod rng;
mod sim;
mod text;
mod time;
mod writer;

#[cfg(test)]
mod tests;

use writer::{io_err, Sink, TruthLine};

/// Mailbox format of the generated archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `OUT/mbox/<list>.mbox`, mboxrd quoting.
    Mbox,
    /// `OUT/maildir/<list>/{cur,new,tmp}`.
    Maildir,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Total number of messages written (including the malformed ones).
    pub messages: usize,
    /// Seed of the PRNG: the same options and seed give the same bytes.
    pub seed: u64,
    /// Mailbox layout of the output.
    pub format: Format,
    /// How many of `messages` are deliberately malformed.
    pub malformed: usize,
    /// Body size of `huge_body` malformed messages.
    pub big_body_bytes: usize,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            messages: 2000,
            seed: 1,
            format: Format::Mbox,
            malformed: 0,
            big_body_bytes: 20 * 1024 * 1024,
        }
    }
}

/// What was generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenSummary {
    /// Messages written (equals `GenOptions::messages`).
    pub messages: usize,
    /// Malformed messages among them.
    pub malformed: usize,
    /// Slugs of the lists that received at least one message, sorted.
    pub lists: Vec<String>,
    /// Bytes written to the mailbox files (mbox files or maildir messages),
    /// excluding `truth.jsonl` and the agenda.
    pub bytes: u64,
    /// Number of threads (messages without a parent, singletons included).
    pub threads: usize,
}

/// Errors from [`generate`].
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// The options cannot be satisfied (for example more malformed messages than messages).
    #[error("invalid options: {0}")]
    InvalidOptions(String),
    /// `OUT/mbox` or `OUT/maildir` already has files in it; the generator never overwrites.
    #[error("output directory {0} already exists and is not empty")]
    OutputNotEmpty(PathBuf),
    /// A file or directory could not be created or written.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A ground-truth record could not be serialised to JSON.
    #[error("JSON serialisation failed: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    Es,
    Pt,
    Fr,
}

/// Locale of the sender's mail client (attribution lines, Outlook labels,
/// subject prefixes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Locale {
    EnUs,
    EnGb,
    Es,
    Pt,
    Fr,
    De,
    Sv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Client {
    Gmail,
    Outlook,
    Apple,
    Thunderbird,
    Notes,
}

/// Kinds of deliberately malformed messages, used in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MalKind {
    NoHeaders,
    NulBytes,
    InvalidBase64,
    HugeBody,
    UnescapedFrom,
    TruncatedMime,
}

pub(crate) const MAL_KINDS: [MalKind; 6] = [
    MalKind::NoHeaders,
    MalKind::NulBytes,
    MalKind::InvalidBase64,
    MalKind::HugeBody,
    MalKind::UnescapedFrom,
    MalKind::TruncatedMime,
];

impl MalKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            MalKind::NoHeaders => "no_headers",
            MalKind::NulBytes => "nul_bytes",
            MalKind::InvalidBase64 => "invalid_base64",
            MalKind::HugeBody => "huge_body",
            MalKind::UnescapedFrom => "unescaped_from",
            MalKind::TruncatedMime => "truncated_mime",
        }
    }
}

/// One generated message on its way to the writer thread.
struct Item {
    index: u64,
    list: usize,
    author: u32,
    parent: Option<String>,
    malformed: Option<MalKind>,
    built: compose::Built,
}

/// Position of the k-th malformed message among `n` (evenly spread).
fn malformed_position(k: usize, n: usize, m: usize) -> usize {
    ((2 * k as u128 + 1) * n as u128 / (2 * m as u128)) as usize
}

/// Generate a corpus under `out`.  See the crate documentation for the layout.
pub fn generate(out: &Path, opts: &GenOptions) -> Result<GenSummary, GenError> {
    generate_with_progress(out, opts, &mut |_| {})
}

/// Like [`generate`], calling `progress` with the number of messages
/// generated so far (handed to the writer, which trails by at most a few
/// hundred) every 1000 messages, and once more with the total at the end if
/// the total is not a multiple of 1000.
pub fn generate_with_progress(
    out: &Path,
    opts: &GenOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<GenSummary, GenError> {
    if opts.malformed > opts.messages {
        return Err(GenError::InvalidOptions(format!(
            "malformed ({}) exceeds messages ({})",
            opts.malformed, opts.messages
        )));
    }
    fs::create_dir_all(out).map_err(io_err(out))?;

    let world = sim::build_world(opts.seed, opts.messages);
    let sink = Sink::new(out, opts.format, world.lists.len())?;

    let agenda_dir = out.join("agenda");
    fs::create_dir_all(&agenda_dir).map_err(io_err(&agenda_dir))?;
    let agenda_path = agenda_dir.join("sessions.json");
    let sessions = agenda::sessions(opts.seed, &world.people);
    let mut json = serde_json::to_vec_pretty(&sessions)?;
    json.push(b'\n');
    fs::write(&agenda_path, json).map_err(io_err(&agenda_path))?;

    // people.jsonl: who everyone really is, for measuring identity resolution
    let people_path = out.join("people.jsonl");
    let mut people_out = Vec::new();
    for p in &world.people {
        serde_json::to_writer(&mut people_out, &people::PersonTruth::of(p))?;
        people_out.push(b'\n');
    }
    fs::write(&people_path, people_out).map_err(io_err(&people_path))?;

    // truth.jsonl appears only once the corpus is complete (written under a
    // temporary name, renamed at the end), so its presence means "done".
    let final_truth = out.join("truth.jsonl");
    let truth_path = out.join("truth.jsonl.partial");
    let truth_file = fs::File::create(&truth_path).map_err(io_err(&truth_path))?;
    let truth = BufWriter::with_capacity(1 << 16, truth_file);

    let mut sim = sim::Sim::new(&world, opts.seed, opts.messages, opts.big_body_bytes);
    let mut used = vec![false; world.lists.len()];

    // Composition runs on this thread; mbox escaping, file writes and the
    // truth file on a second one.  The bounded queue keeps memory flat and
    // the output order is the generation order.
    let bytes = std::thread::scope(|scope| -> Result<u64, GenError> {
        let (tx, rx) = mpsc::sync_channel::<Item>(256);
        let world_ref = &world;
        let truth_path_ref = &truth_path;
        let writer = scope.spawn(move || -> Result<u64, GenError> {
            let mut sink = sink;
            let mut truth = truth;
            let mut bytes = 0u64;
            let mut line = Vec::with_capacity(256);
            for item in rx {
                let list = world_ref.lists[item.list];
                bytes += sink.write(item.list, list, &item.built, item.index)?;
                let author = world_ref.people[item.author as usize].pid();
                line.clear();
                serde_json::to_writer(
                    &mut line,
                    &TruthLine {
                        message_id: item.built.message_id.as_deref(),
                        list: list.slug,
                        parent: item.parent.as_deref(),
                        author: &author,
                        malformed: item.malformed.map(MalKind::name),
                    },
                )?;
                line.push(b'\n');
                truth.write_all(&line).map_err(io_err(truth_path_ref))?;
            }
            sink.finish()?;
            truth.flush().map_err(io_err(truth_path_ref))?;
            Ok(bytes)
        });

        let mut next_mal = 0usize;
        for i in 0..opts.messages {
            let mal = if next_mal < opts.malformed
                && malformed_position(next_mal, opts.messages, opts.malformed) == i
            {
                let k = MAL_KINDS[next_mal % MAL_KINDS.len()];
                next_mal += 1;
                Some(k)
            } else {
                None
            };
            let step = sim.step(i as u64, mal);
            used[step.list] = true;
            let item = Item {
                index: i as u64,
                list: step.list,
                author: step.author,
                parent: step.parent,
                malformed: mal,
                built: step.built,
            };
            if tx.send(item).is_err() {
                // The writer stopped early; its error is reported below.
                break;
            }
            if (i + 1).is_multiple_of(1000) {
                progress(i + 1);
            }
        }
        drop(tx);
        match writer.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })?;
    fs::rename(&truth_path, &final_truth).map_err(io_err(&final_truth))?;
    if !opts.messages.is_multiple_of(1000) {
        progress(opts.messages);
    }

    let mut lists: Vec<String> = world
        .lists
        .iter()
        .zip(&used)
        .filter(|(_, &u)| u)
        .map(|(l, _)| l.slug.to_string())
        .collect();
    lists.sort();
    Ok(GenSummary {
        messages: opts.messages,
        malformed: opts.malformed,
        lists,
        bytes,
        threads: sim.roots(),
    })
}
