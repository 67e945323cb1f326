//! `plenary import`: read → parse → store, in batches, never stopping on bad input.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use plenary_mail::{parse_item, ListRef, ParseOptions, RawItem, RawKind, ReadEvent};
use plenary_store::{list_slug, NewMessage, Store};
use serde::Serialize;

/// The summary printed at the end of every import.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ImportSummary {
    pub new: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Rejections already stored by an earlier import of the same input.
    pub rejected_again: usize,
    /// Files met while walking folders that are not archives (attachments, notes).
    pub skipped_files: usize,
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
}

pub struct ImportOptions {
    pub list: Option<String>,
    /// The frameworks tags are resolved against (shipped ones plus the user's).
    pub frameworks: plenary_frameworks::Frameworks,
    /// The data folder (for the curated `people.toml`).
    pub data_dir: std::path::PathBuf,
    pub batch: usize,
    pub progress: bool,
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

/// Parses a batch on all cores, keeping input order (so the first copy of a duplicate wins).
fn parse_batch(items: Vec<RawItem>, opts: &ParseOptions, list: Option<&str>) -> Vec<Parsed> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    if workers == 1 || items.len() < 64 {
        return items
            .into_iter()
            .map(|i| parse_one(i, opts, list))
            .collect();
    }
    let chunk = items.len().div_ceil(workers);
    let mut chunks: Vec<Vec<RawItem>> = Vec::new();
    let mut it = items.into_iter();
    loop {
        let c: Vec<RawItem> = it.by_ref().take(chunk).collect();
        if c.is_empty() {
            break;
        }
        chunks.push(c);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| {
                s.spawn(move || {
                    c.into_iter()
                        .map(|i| parse_one(i, opts, list))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

struct Importer<'a> {
    store: &'a mut Store,
    opts: &'a ImportOptions,
    parse_opts: ParseOptions,
    pending: Vec<RawItem>,
    summary: ImportSummary,
    touched: BTreeSet<String>,
    /// The lists each source turned out to hold, for messages that do not say
    /// and for cross-posts whose first subject tag names another list.
    source_lists: HashMap<String, SourceLists>,
    /// Subject tags seen beside a List-Id, by tag slug.
    tag_aliases: HashMap<String, ListRef>,
    progress: Option<indicatif::ProgressBar>,
    error: Option<anyhow::Error>,
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
                    self.touched.insert(list_slug(name));
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
            .context("storing a batch of messages")?;
        self.summary.new += out.new;
        self.summary.duplicate += out.duplicate;
        if let Some(pb) = &self.progress {
            pb.set_message(format!(
                "{} new, {} duplicate, {} rejected",
                self.summary.new, self.summary.duplicate, self.summary.rejected
            ));
        }
        Ok(())
    }

    fn reject(&mut self, origin: &str, reason: &str, raw: &[u8]) -> Result<()> {
        if self.store.insert_reject(origin, reason, raw)? {
            self.summary.rejected += 1;
        } else {
            self.summary.rejected_again += 1;
        }
        if let Some(pb) = &self.progress {
            pb.println(format!("rejected {origin}: {reason}"));
        } else {
            eprintln!("rejected {origin}: {reason}");
        }
        Ok(())
    }

    fn on_event(&mut self, ev: ReadEvent) {
        if self.error.is_some() {
            return;
        }
        let r = match ev {
            ReadEvent::Item(item) => {
                if let Some(pb) = &self.progress {
                    pb.inc(1);
                }
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
            } => self.reject(&origin, &reason, &bytes),
            ReadEvent::Skipped { .. } => {
                self.summary.skipped_files += 1;
                Ok(())
            }
        };
        if let Err(e) = r {
            self.error = Some(e);
        }
    }
}

/// Where messages share their list: an mbox file (`path#N` → `path`), a Maildir
/// or folder of messages, or the whole pipermail tree a month file or page sits in.
fn source_of(origin: &str, pipermail: bool) -> String {
    // `path#N + page.html` when a pipermail page was paired with the message.
    let origin = origin.split(" + ").next().unwrap_or(origin);
    let file = match origin.rfind('#') {
        Some(i) => &origin[..i],
        None => origin,
    };
    let p = std::path::Path::new(file);
    let mut dir = if origin.contains('#') && !pipermail {
        return file.to_string();
    } else {
        p.parent()
    };
    if pipermail && file.ends_with(".html") {
        dir = dir.and_then(|d| d.parent());
    }
    dir.map(|d| d.display().to_string()).unwrap_or_default()
}

/// The lists seen in one source, by slug, with how often List-Id or the
/// subject tag named them.
#[derive(Default)]
struct SourceLists {
    seen: HashMap<String, (ListRef, usize)>,
}

impl SourceLists {
    /// The source's main list once at least three messages agree on it.
    fn established(&self) -> Option<&ListRef> {
        self.seen
            .values()
            .filter(|(_, n)| *n >= 3)
            .max_by_key(|(_, n)| *n)
            .map(|(l, _)| l)
    }

    fn record(&mut self, l: &ListRef) {
        let e = self
            .seen
            .entry(list_slug(&l.name))
            .or_insert_with(|| (l.clone(), 0));
        e.1 += 1;
    }

    /// Decides a message's list: List-Id is final; a subject tag naming another
    /// list than the source's main one is a cross-post (pipermail archives hold
    /// one list; other sources keep the tag unless the main list is also tagged);
    /// weaker evidence (path, --list) yields to what the source holds.
    fn decide(
        &mut self,
        list: Option<ListRef>,
        subject: Option<&str>,
        pipermail: bool,
        tag_aliases: &mut HashMap<String, ListRef>,
    ) -> Option<ListRef> {
        let main = self.established().cloned();
        // A tag seen beside a List-Id names that list (`[GDC]` → gdc-consultation).
        let list = match list {
            Some(l) if l.evidence == "list-id" => {
                if let Some(tag) = subject.and_then(plenary_mail::subject::list_tag) {
                    if list_slug(&tag) != list_slug(&l.name) {
                        tag_aliases.insert(list_slug(&tag), l.clone());
                    }
                }
                Some(l)
            }
            Some(l) if l.evidence == "subject-tag" => match tag_aliases.get(&list_slug(&l.name)) {
                Some(a) => Some(ListRef {
                    name: a.name.clone(),
                    evidence: "subject-tag",
                    address: a.address.clone(),
                }),
                None => Some(l),
            },
            other => other,
        };
        let as_source = |l: &ListRef| ListRef {
            name: l.name.clone(),
            evidence: "source",
            address: l.address.clone(),
        };
        match list {
            Some(l) if l.evidence == "list-id" => {
                self.record(&l);
                Some(l)
            }
            Some(l) if l.evidence == "subject-tag" => match main {
                Some(m) if list_slug(&m.name) != list_slug(&l.name) => {
                    let tagged = subject
                        .map(|s| {
                            plenary_mail::subject::all_tags(s)
                                .iter()
                                .any(|t| list_slug(t) == list_slug(&m.name))
                        })
                        .unwrap_or(false);
                    if pipermail || tagged {
                        Some(as_source(&m))
                    } else {
                        self.record(&l);
                        Some(l)
                    }
                }
                _ => {
                    self.record(&l);
                    Some(l)
                }
            },
            other => match main.or_else(|| {
                self.seen
                    .values()
                    .max_by_key(|(_, n)| *n)
                    .map(|(l, _)| l.clone())
            }) {
                Some(m) => Some(as_source(&m)),
                None => other,
            },
        }
    }
}

pub fn run(store: &mut Store, paths: &[PathBuf], opts: &ImportOptions) -> Result<ImportSummary> {
    let start = Instant::now();
    let progress = if opts.progress {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {pos} messages read ({per_sec}) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        Some(pb)
    } else {
        None
    };
    let mut imp = Importer {
        store,
        opts,
        parse_opts: ParseOptions::default(),
        pending: Vec::with_capacity(opts.batch),
        summary: ImportSummary::default(),
        touched: BTreeSet::new(),
        source_lists: HashMap::new(),
        tag_aliases: HashMap::new(),
        progress,
        error: None,
    };
    for p in paths {
        if !p.exists() {
            anyhow::bail!("{}: no such file or directory", p.display());
        }
    }
    let agenda = crate::agenda::import_paths(imp.store, paths, &opts.frameworks)
        .context("importing agendas")?;
    for p in paths {
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
    }
    imp.flush()?;
    if let Some(pb) = &imp.progress {
        pb.set_message("rebuilding threads");
    }
    let touched: Vec<String> = imp.touched.iter().cloned().collect();
    imp.summary.threads = imp.store.rethread(&touched).context("rebuilding threads")?;
    if let Some(pb) = &imp.progress {
        pb.set_message("learning list footers");
    }
    imp.summary.footer_reanalysed = crate::reconstruct::apply_learned_footers(imp.store, &touched)
        .context("applying learned list footers")?;
    if let Some(pb) = &imp.progress {
        pb.set_message("reconstructing quoted messages");
    }
    imp.summary.reconstructed = crate::reconstruct::reconstruct(imp.store, &touched)
        .context("reconstructing quoted messages")?;
    if let Some(pb) = &imp.progress {
        pb.set_message("tagging threads");
    }
    imp.summary.tagged_threads = crate::agenda::tag_lists(imp.store, &touched, &opts.frameworks)
        .context("tagging threads")?
        .0;
    if let Some(pb) = &imp.progress {
        pb.set_message("resolving people");
    }
    if imp.summary.new > 0 || agenda.sessions_new + agenda.sessions_updated > 0 {
        imp.summary.people =
            plenary_people::store::rebuild(imp.store, &opts.data_dir, &opts.frameworks)
                .context("resolving people")?
                .people
                .len();
    }
    // agenda files are not mail: the mail reader counted them as skipped
    imp.summary.skipped_files = imp
        .summary
        .skipped_files
        .saturating_sub(agenda.agenda_files);
    imp.summary.agenda = agenda;
    if let Some(pb) = imp.progress.take() {
        pb.finish_and_clear();
    }
    let elapsed = start.elapsed().as_secs_f64();
    imp.summary.elapsed_seconds = (elapsed * 1000.0).round() / 1000.0;
    imp.summary.messages_per_second = if elapsed > 0.0 {
        ((imp.summary.new + imp.summary.duplicate) as f64 / elapsed).round()
    } else {
        0.0
    };
    Ok(imp.summary)
}
