//! `plenary import`: read → parse → store, in batches, never stopping on bad input.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use plenary_frameworks::Frameworks;
use plenary_mail::{parse_item, ListRef, ParseOptions, RawItem, RawKind, ReadEvent};
use plenary_store::{list_slug, IntakeSource, ListIntake, NewMessage, Store};
use serde::Serialize;

use crate::error::{PipelineError, Result, StepContext};
use crate::input_bytes::{input_bytes, ByteTracker};
use crate::list_attribution::{source_of, SourceLists};
use crate::progress::Progress;

/// The summary printed at the end of every import.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ImportSummary {
    pub new: usize,
    pub duplicate: usize,
    /// Different messages that reused a stored Message-ID: stored under a
    /// derived id (`ID~HASH`).
    pub collisions: usize,
    /// Messages refused because a takedown removed them.
    pub taken_down: usize,
    pub rejected: usize,
    /// Messages not stored because their sender asked not to be archived
    /// (`X-No-Archive: yes` or `Archive: no`).
    pub not_archived: usize,
    /// Messages of private lists: kept under `DATA/private/`, not stored.
    pub private: usize,
    /// Rejections already stored by an earlier import of the same input.
    pub rejected_again: usize,
    /// Paths met while walking folders that are neither archives nor agendas
    /// (attachments, notes, FIFOs, dangling links).
    pub skipped_files: usize,
    /// The first [`SKIPPED_LISTED`] of them, each with the reason.
    pub skipped: Vec<SkippedPath>,
    pub threads: usize,
    /// Messages recovered from quotes in the lists this import touched.
    pub reconstructed: usize,
    /// Messages re-analysed because their list's learned footer was new to the rules.
    pub footer_reanalysed: usize,
    pub elapsed_seconds: f64,
    pub messages_per_second: f64,
    /// Sessions from agenda pages and files found among the inputs.
    #[serde(flatten)]
    pub agenda: crate::agenda::AgendaSummary,
    /// Threads of the touched lists that carry at least one framework tag.
    pub tagged_threads: usize,
    /// People after identity resolution (0 when nothing new was imported).
    pub people: usize,
    /// Identity resolution was reused: the new messages' sightings were all seen
    /// before, so the people were only recounted.
    pub people_reused: bool,
    /// Touched lists whose reconstructions were extended from the stored ones: only
    /// the new messages' quotes were matched, no earlier result could change.
    pub reconstructed_from_stored: usize,
}

/// How many skipped paths an import lists by name (all are counted).
pub const SKIPPED_LISTED: usize = 200;

/// A path an import did not read, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedPath {
    pub path: String,
    pub reason: String,
}

/// How an import runs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The list of messages that name none (neither List-Id, subject tag nor path).
    pub list: Option<String>,
    /// Messages per transaction.
    pub batch: usize,
    /// Derive the lists the import touched whole (threads, footers, reconstructions,
    /// tags), as imports did before incremental derivation, instead of only what the
    /// new messages touched. The result is the same (the tests check it); this is the
    /// reference to compare with, and a way around incremental derivation.
    pub whole_lists: bool,
    /// How the mail reached us, recorded per list for `plenary status`.
    pub source: IntakeSource,
    /// Lists whose mail is private (names, `LIST@DOMAIN` or slugs): kept byte for
    /// byte under `DATA/private/LIST.mbox`, never stored where the site, the API,
    /// search or the dataset read — whatever way the mail came in.
    pub private_lists: Vec<String>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            list: None,
            batch: 2000,
            whole_lists: false,
            source: IntakeSource::Import,
            private_lists: Vec::new(),
        }
    }
}

/// One message's raw bytes handed to [`crate::Archive::import_messages`] (by the
/// Mailman archiver endpoint, a watched folder or a mirror) instead of files to read.
#[derive(Debug, Clone)]
pub struct RawMessage {
    /// Where it came from, named in rejections and kept with the message
    /// (`archiver:LIST@DOMAIN`, `PATH`, `PATH#OFFSET`, a URL).
    pub origin: String,
    /// The message as received (RFC 5322).
    pub bytes: Vec<u8>,
}

enum Parsed {
    /// A decoded message; the flag says it came from a pipermail archive.
    Ok(Box<NewMessage>, bool),
    Rejected {
        origin: String,
        reason: String,
        raw: Vec<u8>,
    },
}

fn parse_one(item: RawItem, opts: &ParseOptions, list: Option<&str>) -> Parsed {
    // A parser bug must cost one message, not the import: catch panics.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse_item(&item, opts, list)
    }));
    match result {
        Ok(Ok(parsed)) => Parsed::Ok(
            Box::new(NewMessage {
                analysis: crate::reconstruct::analyse(&parsed),
                parsed,
                alt_raw: item.alt_page,
                origin: item.origin,
                raw: item.bytes,
            }),
            item.kind != RawKind::Rfc822,
        ),
        Ok(Err(rej)) => Parsed::Rejected {
            origin: item.origin,
            reason: rej.reason,
            raw: item.bytes,
        },
        Err(_) => Parsed::Rejected {
            origin: item.origin,
            reason: "internal parser error (panic caught); message kept raw".to_string(),
            raw: item.bytes,
        },
    }
}

/// Parses a batch on all cores (rayon's pool), keeping input order (so the first copy of a
/// duplicate wins); a parser panic costs one message (`parse_one` catches it).
fn parse_batch(items: Vec<RawItem>, opts: &ParseOptions, list: Option<&str>) -> Vec<Parsed> {
    use rayon::prelude::*;
    if items.len() < 64 {
        return items
            .into_iter()
            .map(|i| parse_one(i, opts, list))
            .collect();
    }
    items
        .into_par_iter()
        .map(|i| parse_one(i, opts, list))
        .collect()
}

/// Whether `list` (a List-Id name, `LIST@DOMAIN` or a slug) is one of `private`.
pub fn is_private(private: &[String], list: &str) -> bool {
    let local = |s: &str| list_slug(s.split('@').next().unwrap_or(s));
    private
        .iter()
        .any(|p| p.eq_ignore_ascii_case(list) || local(p) == local(list))
}

struct Importer<'a> {
    store: &'a mut Store,
    /// The data folder, under which private lists' mail is kept.
    private_dir: &'a std::path::Path,
    opts: &'a ImportOptions,
    parse_opts: ParseOptions,
    pending: Vec<RawItem>,
    summary: ImportSummary,
    touched: BTreeSet<String>,
    /// What this import brought to each list, for `plenary status`.
    intake: std::collections::BTreeMap<String, ListIntake>,
    /// The lists each source turned out to hold, for messages that do not say
    /// and for cross-posts whose first subject tag names another list.
    source_lists: HashMap<String, SourceLists>,
    /// Subject tags seen beside a List-Id, by tag slug.
    tag_aliases: HashMap<String, ListRef>,
    progress: &'a mut dyn Progress,
    error: Option<PipelineError>,
    /// Files the agenda importer took (imported or rejected there).
    agenda_paths: std::collections::BTreeSet<String>,
    /// How far reading has got in the input's bytes.
    bytes: ByteTracker,
}

impl Importer<'_> {
    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(&mut self.pending);
        let parsed = parse_batch(items, &self.parse_opts, self.opts.list.as_deref());
        let mut batch = Vec::with_capacity(parsed.len());
        for p in parsed {
            match p {
                Parsed::Ok(mut m, pipermail) => {
                    let source = source_of(&m.origin, pipermail);
                    let known = self.source_lists.entry(source).or_default();
                    m.parsed.list = known.decide(
                        m.parsed.list.take(),
                        m.parsed.subject.as_deref(),
                        pipermail,
                        &mut self.tag_aliases,
                    );
                    let name = m
                        .parsed
                        .list
                        .as_ref()
                        .map(|l| l.name.as_str())
                        .unwrap_or("unsorted");
                    let slug = list_slug(name);
                    let intake = self
                        .intake
                        .entry(slug.clone())
                        .or_insert_with(|| ListIntake {
                            list: slug.clone(),
                            ..Default::default()
                        });
                    if m.parsed.no_archive {
                        // the sender's wish: counted, never stored
                        intake.not_archived += 1;
                        self.summary.not_archived += 1;
                        continue;
                    }
                    if is_private(&self.opts.private_lists, name) {
                        let dir = self.private_dir;
                        crate::private::keep_private(
                            dir,
                            name,
                            m.parsed.message_id.as_deref(),
                            &m.raw,
                        )
                        .map_err(crate::error::io_error(dir.join("private")))?;
                        self.summary.private += 1;
                        continue;
                    }
                    intake.messages += 1;
                    self.touched.insert(slug);
                    batch.push(*m);
                }
                Parsed::Rejected {
                    origin,
                    reason,
                    raw,
                } => self.reject(&origin, &reason, &raw)?,
            }
        }
        let out = self
            .store
            .insert_batch(batch)
            .step("storing a batch of messages")?;
        self.summary.new += out.new;
        self.summary.duplicate += out.duplicate;
        self.summary.collisions += out.collisions;
        self.summary.taken_down += out.taken_down;
        self.progress.counts(
            self.summary.new,
            self.summary.duplicate,
            self.summary.rejected,
        );
        Ok(())
    }

    fn reject(&mut self, origin: &str, reason: &str, raw: &[u8]) -> Result<()> {
        let list = self.opts.list.as_deref().map(list_slug);
        if self
            .store
            .insert_reject_for(origin, reason, raw, list.as_deref())?
        {
            self.summary.rejected += 1;
        } else {
            self.summary.rejected_again += 1;
        }
        self.progress.rejected(origin, reason);
        Ok(())
    }

    fn on_event(&mut self, ev: ReadEvent) {
        if self.error.is_some() {
            return;
        }
        match &ev {
            ReadEvent::Item(item) => {
                self.bytes
                    .item(&item.source, &item.origin, item.bytes.len());
            }
            ReadEvent::Problem { origin, .. } | ReadEvent::Skipped { origin, .. } => {
                self.bytes.whole(origin);
            }
        }
        self.progress
            .bytes_read(self.bytes.position(), self.bytes.total);
        let r = match ev {
            ReadEvent::Problem { origin, .. } | ReadEvent::Skipped { origin, .. }
                if self.agenda_paths.contains(&origin) =>
            {
                Ok(())
            }
            ReadEvent::Item(item) => {
                self.progress.item_read();
                self.pending.push(item);
                if self.pending.len() >= self.opts.batch {
                    self.flush()
                } else {
                    Ok(())
                }
            }
            ReadEvent::Problem {
                origin,
                reason,
                bytes,
            } => {
                let bytes = if bytes.is_empty() {
                    whole_file_bytes(&origin)
                } else {
                    bytes
                };
                self.reject(&origin, &reason, &bytes)
            }
            ReadEvent::Skipped { origin, reason } => {
                self.summary.skipped_files += 1;
                self.progress.skipped(&origin, &reason);
                if self.summary.skipped.len() < SKIPPED_LISTED {
                    self.summary.skipped.push(SkippedPath {
                        path: origin,
                        reason,
                    });
                }
                Ok(())
            }
        };
        if let Err(e) = r {
            self.error = Some(e);
        }
    }
}

pub(crate) fn run(
    store: &mut Store,
    paths: &[PathBuf],
    opts: &ImportOptions,
    frameworks: &Frameworks,
    curated: &std::path::Path,
    data_dir: &std::path::Path,
    progress: &mut dyn Progress,
) -> Result<ImportSummary> {
    for p in paths {
        if !p.exists() {
            return Err(PipelineError::BadFile {
                path: p.clone(),
                reason: "no such file or directory".into(),
            });
        }
    }
    run_with(
        store,
        opts,
        frameworks,
        curated,
        data_dir,
        progress,
        |imp| read_paths(imp, paths, frameworks),
    )
}

/// Imports messages handed over as bytes (see [`RawMessage`]), then derives what
/// they touched, as [`run`] does for files.
pub(crate) fn run_messages(
    store: &mut Store,
    messages: Vec<RawMessage>,
    opts: &ImportOptions,
    frameworks: &Frameworks,
    curated: &std::path::Path,
    data_dir: &std::path::Path,
    progress: &mut dyn Progress,
) -> Result<ImportSummary> {
    run_with(
        store,
        opts,
        frameworks,
        curated,
        data_dir,
        progress,
        |imp| {
            let total: u64 = messages.iter().map(|m| m.bytes.len() as u64).sum();
            imp.bytes = ByteTracker::new(total);
            for m in messages {
                imp.on_event(ReadEvent::Item(RawItem {
                    kind: RawKind::Rfc822,
                    source: m.origin.clone(),
                    origin: m.origin,
                    bytes: m.bytes,
                    envelope: None,
                    list_hint: None,
                    alt_page: None,
                }));
                if let Some(e) = imp.error.take() {
                    return Err(e);
                }
            }
            Ok(crate::agenda::AgendaSummary::default())
        },
    )
}

/// The page cache an import's connection stores messages through, in KiB.
const READING_PAGE_CACHE_KIB: u32 = 64 * 1024;

/// Everything an import does around reading its input (`feed`): the importer, the
/// last batch, the derivation and the intake record.
fn run_with(
    store: &mut Store,
    opts: &ImportOptions,
    frameworks: &Frameworks,
    curated: &std::path::Path,
    data_dir: &std::path::Path,
    progress: &mut dyn Progress,
    feed: impl FnOnce(&mut Importer<'_>) -> Result<crate::agenda::AgendaSummary>,
) -> Result<ImportSummary> {
    let start = Instant::now();
    progress.phase("reading");
    // messages stored by this import have a higher seq: what they touch is derived
    let since = store.max_message_seq().step("reading the store")?;
    // a list still pending from an interrupted import has messages from before `since`
    // that were never derived: it is derived whole (from seq 0)
    let pending_before = store.pending_lists().step("reading the store")?;
    // storing outgrows SQLite's default page cache (see the method); derivation does
    // not gain from a larger one (measured at 1M), and it would stay filled into the
    // index sync, the import's peak, so it is given back after reading
    store
        .set_page_cache_kib(READING_PAGE_CACHE_KIB)
        .step("setting the page cache")?;
    let mut imp = Importer {
        store,
        private_dir: data_dir,
        opts,
        parse_opts: ParseOptions::default(),
        pending: Vec::with_capacity(opts.batch),
        summary: ImportSummary::default(),
        touched: BTreeSet::new(),
        intake: Default::default(),
        source_lists: HashMap::new(),
        tag_aliases: HashMap::new(),
        progress,
        error: None,
        agenda_paths: Default::default(),
        bytes: ByteTracker::new(0),
    };
    let read = feed(&mut imp).and_then(|agenda| imp.flush().map(|()| agenda));
    // (given back whether reading succeeded or not: `watch` keeps the connection)
    imp.store
        .set_page_cache_kib(plenary_store::DEFAULT_PAGE_CACHE_KIB)
        .step("setting the page cache")?;
    crate::memory::release_freed();
    let agenda = read?;
    let touched: Vec<String> = imp.touched.iter().cloned().collect();
    let people = imp.summary.new > 0
        || agenda.sessions_new + agenda.sessions_updated + agenda.transcripts_new > 0;
    let d = derive(
        imp.store,
        &touched,
        people,
        frameworks,
        curated,
        &mut *imp.progress,
        if opts.whole_lists {
            DeriveScope::Lists
        } else {
            DeriveScope::Since {
                seq: since,
                pending: &pending_before,
            }
        },
    )?;
    let intake: Vec<ListIntake> = std::mem::take(&mut imp.intake).into_values().collect();
    if !intake.is_empty() {
        imp.store
            .record_intake(opts.source, &now_rfc3339(), &intake)
            .step("recording where the mail came from")?;
    }
    imp.summary.threads = d.threads;
    imp.summary.footer_reanalysed = d.footer_reanalysed;
    imp.summary.reconstructed = d.reconstructed;
    imp.summary.tagged_threads = d.tagged_threads;
    imp.summary.people = d.people;
    imp.summary.people_reused = d.people_reused;
    imp.summary.reconstructed_from_stored = d.reconstructed_from_stored;
    imp.summary.agenda = agenda;
    imp.progress.finish();
    let elapsed = start.elapsed().as_secs_f64();
    imp.summary.elapsed_seconds = (elapsed * 1000.0).round() / 1000.0;
    imp.summary.messages_per_second = if elapsed > 0.0 {
        ((imp.summary.new + imp.summary.duplicate) as f64 / elapsed).round()
    } else {
        0.0
    };
    Ok(imp.summary)
}

/// Now, as RFC 3339 UTC (what the intake record keeps).
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    plenary_mail::date::rfc3339_utc(secs)
}

/// Reads files and folders (agenda files first, then mail archives) into the importer.
fn read_paths(
    imp: &mut Importer<'_>,
    paths: &[PathBuf],
    frameworks: &Frameworks,
) -> Result<crate::agenda::AgendaSummary> {
    // Each path's bytes, so the position is exact once a path is read.
    let sizes: Vec<u64> = paths.iter().map(|p| input_bytes(&[p])).collect();
    imp.bytes = ByteTracker::new(sizes.iter().sum());
    imp.progress.bytes_read(0, imp.bytes.total);
    let agenda =
        crate::agenda::import_paths(imp.store, paths, frameworks).step("importing agendas")?;
    imp.agenda_paths = agenda.agenda_paths.clone();
    let mut through = 0;
    for (p, size) in paths.iter().zip(&sizes) {
        // A reader bug must not take down the import: what was read stays stored.
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            plenary_mail::read_path(p, &mut |ev| imp.on_event(ev))
        }));
        let origin = p.display().to_string();
        match r {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => imp.reject(&origin, &format!("cannot read: {e}"), &[])?,
            Err(_) => imp.reject(
                &origin,
                "internal reader error (panic caught); the rest of this input was not read",
                &[],
            )?,
        }
        if let Some(e) = imp.error.take() {
            return Err(e);
        }
        through += size;
        imp.bytes.path_done(through);
        imp.progress
            .bytes_read(imp.bytes.position(), imp.bytes.total);
    }
    Ok(agenda)
}

/// What deriving a set of lists produced.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Derived {
    pub threads: usize,
    pub footer_reanalysed: usize,
    pub reconstructed: usize,
    pub tagged_threads: usize,
    /// People after identity resolution (0 when people were not rebuilt).
    pub people: usize,
    /// The last resolution was reused (see `people::rebuild`).
    pub people_reused: bool,
    /// Lists reconstructed from their stored rows (see `reconstruct::reconstruct_changes`).
    pub reconstructed_from_stored: usize,
}

/// What a derivation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeriveScope<'a> {
    /// The given lists whole: after a takedown, and when an interrupted import is
    /// finished (what it had derived before the crash is unknown).
    Lists,
    /// What the messages stored after `seq` touched in the given lists: the
    /// threads they join (and the threads those connect to), the reconstructions and
    /// analyses that change, and those threads' tags — with the same result as deriving
    /// the lists whole, since the rest of each list was derived before (the import's
    /// invariant: a list is pending until its derivation is done).
    Since {
        seq: i64,
        /// Lists pending before the import (an interrupted one's): derived from seq 0.
        pending: &'a [String],
    },
}

/// Derives what stored messages of `lists` imply: threads, learned footers,
/// reconstructions, tags and (when `people`) people; then marks the lists done
/// (see `Store::pending_lists`). Used by import (scope [`DeriveScope::Since`] the
/// store's last message before it), takedown and the recovery of an import a crash
/// interrupted (scope [`DeriveScope::Lists`]).
pub(crate) fn derive(
    store: &mut Store,
    lists: &[String],
    people: bool,
    frameworks: &Frameworks,
    curated: &std::path::Path,
    progress: &mut dyn Progress,
    scope: DeriveScope<'_>,
) -> Result<Derived> {
    let mut d = Derived::default();
    match scope {
        DeriveScope::Lists => {
            progress.phase("rebuilding threads");
            d.threads = store.rethread(lists).step("rebuilding threads")?;
            crate::memory::release_freed();
            progress.phase("learning list footers");
            d.footer_reanalysed = crate::reconstruct::apply_learned_footers(store, lists)
                .step("applying learned list footers")?;
            crate::memory::release_freed();
            progress.phase("reconstructing quoted messages");
            d.reconstructed = crate::reconstruct::reconstruct(store, lists)
                .step("reconstructing quoted messages")?;
            crate::memory::release_freed();
            progress.phase("tagging threads");
            d.tagged_threads = crate::tagging::tag_lists(store, lists, frameworks)
                .step("tagging threads")?
                .0;
        }
        DeriveScope::Since { seq, pending } => {
            for list in lists {
                let since = if pending.contains(list) { 0 } else { seq };
                derive_list_since(store, list, since, frameworks, progress, &mut d)?;
            }
        }
    }
    if people {
        progress.phase("resolving people");
        let built = crate::people::rebuild(store, curated, frameworks).step("resolving people")?;
        d.people = built.people.len();
        d.people_reused = built.reused;
        drop(built);
        crate::memory::release_freed();
    }
    store
        .derivation_done(lists)
        .step("marking the derivation done")?;
    Ok(d)
}

/// One list's part of an incremental derivation (see [`DeriveScope::Since`]).
fn derive_list_since(
    store: &mut Store,
    list: &str,
    since: i64,
    frameworks: &Frameworks,
    progress: &mut dyn Progress,
    d: &mut Derived,
) -> Result<()> {
    let one = [list.to_string()];
    progress.phase("rebuilding threads");
    let threaded = store
        .rethread_since(list, since)
        .step("rebuilding threads")?;
    d.threads += threaded.threads;
    let mut touched: std::collections::BTreeSet<String> =
        threaded.touched_threads.into_iter().collect();
    // each step of a list starts from what the last one left, not from its peak
    crate::memory::release_freed();
    // Learned footers and signatures are the list's: a footer is learned from a sample
    // spread over the list and a signature from everything its author wrote, so a new
    // message can change them for any message of the list. Learned over the whole list,
    // deliberately; only the messages whose analysis changed are rewritten and retagged.
    progress.phase("learning list footers");
    let (reanalysed, changed) = crate::reconstruct::apply_learned_footers_changed(store, &one)
        .step("applying learned list footers")?;
    // Reconstruction starts from the stored rows only where the earlier messages are
    // as they were derived: none re-analysed, none moved to another thread or parent.
    let earlier_same = since > 0
        && threaded.moved_earlier == 0
        && store
            .all_stored_after(&changed, since)
            .step("reading which re-analysed messages are new")?;
    d.footer_reanalysed += reanalysed;
    touched.extend(
        store
            .threads_of_messages(&changed)
            .step("reading the threads of re-analysed messages")?,
    );
    crate::memory::release_freed();
    // Reconstruction is the list's too (originals are matched list-wide, rows shared by
    // author and minute): computed over the list, written and retagged where it changed.
    progress.phase("reconstructing quoted messages");
    let (reconstructed, changes, from_stored) =
        crate::reconstruct::reconstruct_changes(store, list, earlier_same.then_some(since))
            .step("reconstructing quoted messages")?;
    d.reconstructed += reconstructed;
    d.reconstructed_from_stored += usize::from(from_stored);
    touched.extend(changes.threads.iter().cloned());
    crate::memory::release_freed();
    progress.phase("tagging threads");
    let touched: Vec<String> = touched.into_iter().collect();
    d.tagged_threads +=
        crate::tagging::tag_touched(store, list, &touched, &changes.removed, frameworks)
            .step("tagging threads")?;
    crate::memory::release_freed();
    Ok(())
}

/// The bytes of a whole file a reader could not use, when the problem names
/// a regular file of at most 16 MiB (its metadata read first: FIFOs, devices
/// and links are never opened), so its reject keeps them like any other.
fn whole_file_bytes(origin: &str) -> Vec<u8> {
    let p = std::path::Path::new(origin);
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_file() && m.len() <= 16 << 20 => std::fs::read(p).unwrap_or_default(),
        _ => Vec::new(),
    }
}
