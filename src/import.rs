//! `plenary import`: read → parse → store, in batches, never stopping on bad input.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use plenary_mail::{parse_item, ListRef, ParseOptions, RawItem, ReadEvent};
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
    pub elapsed_seconds: f64,
    pub messages_per_second: f64,
}

pub struct ImportOptions {
    pub list: Option<String>,
    pub batch: usize,
    pub progress: bool,
}

enum Parsed {
    Ok(Box<NewMessage>),
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
        Ok(Ok(parsed)) => Parsed::Ok(Box::new(NewMessage {
            parsed,
            alt_raw: item.alt_page,
            origin: item.origin,
            raw: item.bytes,
        })),
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
    /// The list each source file turned out to be, for messages that do not say.
    source_lists: HashMap<String, ListRef>,
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
                Parsed::Ok(mut m) => {
                    let source = source_of(&m.origin);
                    let strong = m
                        .parsed
                        .list
                        .as_ref()
                        .map(|l| matches!(l.evidence, "list-id" | "subject-tag"))
                        .unwrap_or(false);
                    if strong {
                        if let Some(l) = &m.parsed.list {
                            self.source_lists.insert(source, l.clone());
                        }
                    } else if let Some(l) = self.source_lists.get(&source) {
                        m.parsed.list = Some(ListRef {
                            name: l.name.clone(),
                            evidence: "source",
                            address: l.address.clone(),
                        });
                    }
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

/// `path#N` → `path`: messages of one file share their list.
fn source_of(origin: &str) -> String {
    match origin.rfind('#') {
        Some(i) => origin[..i].to_string(),
        None => std::path::Path::new(origin)
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
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
        progress,
        error: None,
    };
    for p in paths {
        if !p.exists() {
            anyhow::bail!("{}: no such file or directory", p.display());
        }
        let r = plenary_mail::read_path(p, &mut |ev| imp.on_event(ev));
        if let Err(e) = r {
            let origin = p.display().to_string();
            imp.reject(&origin, &format!("cannot read: {e}"), &[])?;
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
