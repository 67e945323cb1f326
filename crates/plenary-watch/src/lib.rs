//! `plenary watch`: follows Maildirs (`new/`, `cur/`) and mbox files that grow, and
//! imports what arrives.
//!
//! Events come from inotify (the `notify` crate), debounced so a burst of arrivals is
//! one import; a periodic full rescan is the fallback for filesystems and moments
//! inotify does not see (network mounts, the time the watcher was down).
//!
//! No gaps, no duplicates across restarts: what was imported is remembered in
//! `DATA/watch-state.json` (Maildir: the unique names, the part before `:`; mbox: the
//! file's identity and the offset after the last complete message), written
//! atomically only *after* the import that covers it committed. A kill between the
//! two re-imports that batch on restart, and the store refuses what it already
//! holds (same Message-ID or bytes), so nothing is lost and nothing doubled.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime};

use notify::Watcher as _;
use plenary_mail::{read_mbox_stream, ReadEvent, ReadLimits};
use plenary_pipeline::{Archive, ImportOptions, ImportSummary, IntakeSource, RawMessage};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The state file in the data folder.
pub const STATE_FILE: &str = "watch-state.json";

/// How many bytes at the head of an mbox identify it (with its inode and device).
const HEAD_BYTES: usize = 4096;

/// What can stop a watcher. Bad input never does: it becomes a reject.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// A watched path that does not exist.
    #[error("{0}: no such file or folder to watch")]
    Missing(PathBuf),
    /// A folder that is not a Maildir.
    #[error("{0}: a folder to watch must be a Maildir (with cur/ or new/)")]
    NotMaildir(PathBuf),
    /// Reading a folder or the state file failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The state file is not ours.
    #[error("{path}: unreadable watch state ({source}); remove it to rescan everything")]
    State {
        /// The state file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// The import itself failed (the store, the index).
    #[error(transparent)]
    Pipeline(#[from] plenary_pipeline::PipelineError),
    /// inotify could not be set up.
    #[error("watching for changes: {0}")]
    Notify(#[from] notify::Error),
}

/// Result of this crate.
pub type Result<T> = std::result::Result<T, WatchError>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WatchError + '_ {
    move |source| WatchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// How a watcher runs.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The list of messages that name none (else the Maildir folder or mbox file name).
    pub list: Option<String>,
    /// Full rescan every so often, whatever inotify says.
    pub rescan: Duration,
    /// Wait this long after an event for more, to import a burst as one batch.
    pub debounce: Duration,
    /// An mbox whose last message has no `From ` line after it is imported to its end
    /// only once it has not changed for this long (it may still be being written).
    pub settle: Duration,
    /// Messages per import batch (and per state write).
    pub batch: usize,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            list: None,
            rescan: Duration::from_secs(30),
            debounce: Duration::from_millis(200),
            settle: Duration::from_secs(2),
            batch: 500,
        }
    }
}

/// One import batch, as the watcher reports it.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The watched path it came from.
    pub path: PathBuf,
    /// Messages handed to the import.
    pub messages: usize,
    /// What the import did.
    pub summary: ImportSummary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Maildir,
    Mbox,
}

#[derive(Debug, Clone)]
struct Watched {
    path: PathBuf,
    key: String,
    kind: Kind,
    list: Option<String>,
}

/// What was imported, per watched path (keyed by its canonical path).
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
struct State {
    #[serde(default)]
    maildirs: BTreeMap<String, BTreeSet<String>>,
    #[serde(default)]
    mboxes: BTreeMap<String, MboxState>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
struct MboxState {
    dev: u64,
    ino: u64,
    /// SHA-256 of the first `head_len` bytes.
    head: String,
    head_len: usize,
    /// Bytes imported: the start of the next message.
    offset: u64,
}

/// Follows Maildirs and mbox files and imports what arrives.
pub struct Watcher {
    archive: Arc<Archive>,
    watched: Vec<Watched>,
    options: WatchOptions,
    state_path: PathBuf,
    state: State,
    /// Scans run (of one path or all): an idle watcher must not scan.
    scans: usize,
}

impl Watcher {
    /// Checks the paths (each must exist: a Maildir folder or an mbox file) and
    /// loads what earlier runs imported.
    pub fn new(archive: Arc<Archive>, paths: &[PathBuf], options: WatchOptions) -> Result<Self> {
        let mut watched = Vec::new();
        for p in paths {
            let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => WatchError::Missing(p.clone()),
                _ => WatchError::Io {
                    path: p.clone(),
                    source: e,
                },
            })?;
            let kind = if meta.is_dir() {
                if !p.join("cur").is_dir() && !p.join("new").is_dir() {
                    return Err(WatchError::NotMaildir(p.clone()));
                }
                Kind::Maildir
            } else {
                Kind::Mbox
            };
            let canon = std::fs::canonicalize(p).map_err(io(p))?;
            let list = options.list.clone().or_else(|| list_hint(&canon));
            watched.push(Watched {
                key: canon.to_string_lossy().into_owned(),
                path: canon,
                kind,
                list,
            });
        }
        let state_path = archive.dir().join(STATE_FILE);
        let state = load_state(&state_path)?;
        Ok(Watcher {
            archive,
            watched,
            options,
            state_path,
            state,
            scans: 0,
        })
    }

    /// Scans every watched path once and imports what is new since the last import;
    /// `report` hears of each batch. Returns whether an mbox has a last message that
    /// may still be being written (left for a later scan).
    pub fn scan_once(&mut self, report: &mut dyn FnMut(&Batch)) -> Result<bool> {
        let all: Vec<usize> = (0..self.watched.len()).collect();
        self.scan(&all, report)
    }

    fn scan(&mut self, which: &[usize], report: &mut dyn FnMut(&Batch)) -> Result<bool> {
        let mut waiting = false;
        self.scans += 1;
        for &i in which {
            let w = self.watched[i].clone();
            match w.kind {
                Kind::Maildir => self.scan_maildir(&w, report)?,
                Kind::Mbox => waiting |= self.scan_mbox(&w, report)?,
            }
        }
        Ok(waiting)
    }

    /// Watches until `stop` is set: inotify events (debounced), a full rescan every
    /// `options.rescan`, and one full scan first (what arrived while no watcher ran).
    pub fn run_until(&mut self, stop: &AtomicBool, report: &mut dyn FnMut(&Batch)) -> Result<()> {
        let (tx, rx) = mpsc::channel();
        let mut inotify = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            // a lost event is caught by the rescan
            let _ = tx.send(ev);
        })?;
        for w in &self.watched {
            match w.kind {
                Kind::Maildir => {
                    for sub in ["new", "cur"] {
                        let d = w.path.join(sub);
                        if d.is_dir() {
                            inotify.watch(&d, notify::RecursiveMode::NonRecursive)?;
                        }
                    }
                }
                // the folder, not the file: a rotated mbox is a new file
                Kind::Mbox => {
                    let dir = w.path.parent().unwrap_or(Path::new("/"));
                    inotify.watch(dir, notify::RecursiveMode::NonRecursive)?;
                }
            }
        }
        let mut waiting = self.scan_once(report)?;
        let mut last_full = Instant::now();
        let tick = Duration::from_millis(100);
        while !stop.load(Ordering::Relaxed) {
            let mut dirty = BTreeSet::new();
            match rx.recv_timeout(tick) {
                Ok(ev) => {
                    self.mark(ev, &mut dirty);
                    // debounce: take what else arrives shortly after; only an event that
                    // counts opens the window (our own reads must not shorten it)
                    if !dirty.is_empty() {
                        let until = Instant::now() + self.options.debounce;
                        while let Some(left) = until.checked_duration_since(Instant::now()) {
                            match rx.recv_timeout(left) {
                                Ok(ev) => self.mark(ev, &mut dirty),
                                Err(_) => break,
                            }
                        }
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            let due = last_full.elapsed() >= self.options.rescan
                || (waiting && last_full.elapsed() >= self.options.settle);
            if due || !dirty.is_empty() {
                tracing::debug!(?dirty, due, "watch: scanning");
            }
            if due {
                waiting = self.scan_once(report)?;
                last_full = Instant::now();
            } else if !dirty.is_empty() {
                let which: Vec<usize> = dirty.into_iter().collect();
                waiting |= self.scan(&which, report)?;
            }
        }
        Ok(())
    }

    fn mark(&self, ev: notify::Result<notify::Event>, dirty: &mut BTreeSet<usize>) {
        let Ok(ev) = ev else {
            // an overflow or error: look everywhere
            dirty.extend(0..self.watched.len());
            return;
        };
        // Our own scans open the folders and files (Access(Open), Access(Close(Read))):
        // reacting to those would rescan forever. A writer closing a file it wrote
        // (an MTA delivering straight into new/, an append to an mbox) does count.
        use notify::event::{AccessKind, AccessMode, EventKind};
        match ev.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return,
            _ => {}
        }
        tracing::debug!(?ev, "watch: event");
        for p in &ev.paths {
            for (i, w) in self.watched.iter().enumerate() {
                let hit = match w.kind {
                    Kind::Maildir => p.starts_with(&w.path),
                    Kind::Mbox => p == &w.path,
                };
                if hit {
                    dirty.insert(i);
                }
            }
        }
    }

    fn scan_maildir(&mut self, w: &Watched, report: &mut dyn FnMut(&Batch)) -> Result<()> {
        // new/ before cur/: a message moved between the two listings is seen twice
        // (one key), never missed
        let mut present: BTreeMap<String, PathBuf> = BTreeMap::new();
        for sub in ["new", "cur"] {
            let dir = w.path.join(sub);
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io(&dir)(e)),
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                present.insert(maildir_key(&name).to_string(), entry.path());
            }
        }
        let present_keys: BTreeSet<String> = present.keys().cloned().collect();
        let done = self.state.maildirs.entry(w.key.clone()).or_default();
        // forget names no longer there, so the state stays the size of the folder
        done.retain(|k| present.contains_key(k));
        let todo: Vec<(String, PathBuf)> = present
            .into_iter()
            .filter(|(k, _)| !done.contains(k))
            .collect();
        for chunk in todo.chunks(self.options.batch.max(1)) {
            let mut messages = Vec::new();
            let mut problems = Vec::new();
            let mut keys = Vec::new();
            for (key, path) in chunk {
                let origin = path.to_string_lossy().into_owned();
                match read_maildir_file(path) {
                    Some(Ok(bytes)) => {
                        messages.push(RawMessage { origin, bytes });
                        keys.push(key.clone());
                    }
                    Some(Err((reason, prefix))) => {
                        problems.push((origin, reason, prefix));
                        keys.push(key.clone());
                    }
                    // moved or unreadable now: the next scan tries again
                    None => continue,
                }
            }
            if keys.is_empty() {
                continue;
            }
            let n = keys.len();
            let summary = self.import(messages, problems, w, |state| {
                let done = state.maildirs.entry(w.key.clone()).or_default();
                done.retain(|k| present_keys.contains(k));
                done.extend(keys.iter().cloned());
            })?;
            report(&Batch {
                path: w.path.clone(),
                messages: n,
                summary,
            });
        }
        Ok(())
    }

    /// Returns whether a last message was left because the file may still grow.
    fn scan_mbox(&mut self, w: &Watched, report: &mut dyn FnMut(&Batch)) -> Result<bool> {
        let Some(found) = mbox_identity(&w.path) else {
            return Ok(false); // gone for now (being rotated): the next scan sees it
        };
        let (ident, len, settled) = found;
        let old = self.state.mboxes.get(&w.key);
        let mut offset = match old {
            Some(s) if same_file(&w.path, s, &ident, len) => s.offset,
            _ => 0,
        };
        if offset >= len {
            if offset > len {
                offset = 0;
            } else {
                return Ok(false);
            }
        }
        let Some(chunk) = read_from(&w.path, offset, len) else {
            return Ok(false);
        };
        let settled = settled.elapsed().unwrap_or_default() >= self.options.settle;
        let end = complete_prefix(&chunk, settled);
        let waiting = end < chunk.len();
        if end == 0 {
            return Ok(waiting);
        }
        let mut messages = Vec::new();
        let mut problems = Vec::new();
        let origin = format!("{}@{offset}", w.path.display());
        read_mbox_stream(
            &chunk[..end],
            &origin,
            &ReadLimits::default(),
            &mut |ev| match ev {
                ReadEvent::Item(item) => messages.push(RawMessage {
                    origin: item.origin,
                    bytes: item.bytes,
                }),
                // a reject with its reason (an oversized message keeps only a prefix:
                // handed to the import as a message, that prefix would be stored whole)
                ReadEvent::Problem {
                    origin,
                    reason,
                    bytes,
                } => problems.push((origin, reason, bytes)),
                ReadEvent::Skipped { .. } => {}
            },
        );
        let mut new_state = ident;
        new_state.offset = offset + end as u64;
        let n = messages.len() + problems.len();
        let summary = self.import(messages, problems, w, |state| {
            state.mboxes.insert(w.key.clone(), new_state.clone());
        })?;
        if n > 0 {
            report(&Batch {
                path: w.path.clone(),
                messages: n,
                summary,
            });
        }
        Ok(waiting)
    }

    /// Imports one batch under the write lock, syncs the index, then records it in the
    /// state file (re-read under the lock: another watcher of the folder may have
    /// written it).
    ///
    /// With `problems`: inputs the reader could not read as messages (origin, reason,
    /// kept bytes), stored as rejects in the same locked step.
    fn import(
        &mut self,
        messages: Vec<RawMessage>,
        problems: Vec<(String, String, Vec<u8>)>,
        w: &Watched,
        record: impl Fn(&mut State),
    ) -> Result<ImportSummary> {
        let opts = ImportOptions {
            source: IntakeSource::Watch,
            list: w.list.clone(),
            batch: self.options.batch.max(1),
            ..Default::default()
        };
        let mut progress = plenary_pipeline::NoProgress;
        let _lock = self.archive.lock_for_writing(&mut progress)?;
        let mut summary = if messages.is_empty() {
            ImportSummary::default()
        } else {
            let s = self
                .archive
                .import_messages(messages, &opts, &mut progress)?;
            self.archive.sync_index()?;
            s
        };
        for (origin, reason, bytes) in problems {
            let new = self
                .archive
                .store()
                .insert_reject(&origin, &reason, &bytes)
                .map_err(plenary_pipeline::PipelineError::from)?;
            if new {
                summary.rejected += 1;
            } else {
                summary.rejected_again += 1;
            }
        }
        let mut on_disk = load_state(&self.state_path)?;
        record(&mut on_disk);
        record(&mut self.state);
        save_state(&self.state_path, &on_disk)?;
        Ok(summary)
    }
}

/// The list a watched path names: the Maildir folder or the mbox file without extension.
fn list_hint(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let name = name
        .strip_suffix(".mbox")
        .or_else(|| name.strip_suffix(".mbx"))
        .unwrap_or(&name)
        .to_string();
    (!name.is_empty()).then_some(name)
}

/// A Maildir file's unique name: what comes before the `:2,FLAGS` info part, which
/// changes when a client moves it from new/ to cur/ or flags it.
fn maildir_key(name: &str) -> &str {
    name.split(':').next().unwrap_or(name)
}

/// A Maildir file as the import wants it: `Ok(bytes)`, or `Err((reason, kept prefix))`
/// for one over the message limit (`plenary import` rejects those too); `None` when it
/// is gone or unreadable now (the next scan tries again).
#[allow(clippy::type_complexity)]
fn read_maildir_file(path: &Path) -> Option<std::result::Result<Vec<u8>, (String, Vec<u8>)>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let lim = ReadLimits::default();
    if meta.len() > lim.max_message_bytes as u64 {
        let mut prefix = Vec::new();
        std::fs::File::open(path)
            .ok()?
            .take(lim.kept_prefix_bytes as u64)
            .read_to_end(&mut prefix)
            .ok()?;
        let reason = format!(
            "message of {} bytes is over the {} MiB message limit; its first {} bytes are kept",
            meta.len(),
            lim.max_message_bytes >> 20,
            prefix.len()
        );
        return Some(Err((reason, prefix)));
    }
    std::fs::read(path).ok().map(Ok)
}

/// The file's identity (offset 0), its length and when it last changed.
fn mbox_identity(path: &Path) -> Option<(MboxState, u64, SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let head_len = HEAD_BYTES.min(meta.len() as usize);
    Some((
        MboxState {
            dev: meta.dev(),
            ino: meta.ino(),
            head: head_hash(path, head_len)?,
            head_len,
            offset: 0,
        },
        meta.len(),
        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    ))
}

/// Whether the file now is the one the state describes: same inode and device, not
/// shorter than what was imported, and the same first bytes (hashed over as many bytes
/// as the state hashed: a file shorter than [`HEAD_BYTES`] then has grown since).
fn same_file(path: &Path, old: &MboxState, now: &MboxState, len: u64) -> bool {
    if old.dev != now.dev || old.ino != now.ino || len < old.offset {
        return false;
    }
    if old.head_len == now.head_len {
        return old.head == now.head;
    }
    head_hash(path, old.head_len).is_some_and(|h| h == old.head)
}

fn head_hash(path: &Path, n: usize) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut head = vec![0u8; n];
    f.read_exact(&mut head).ok()?;
    Some(hex(&Sha256::digest(&head)))
}

fn read_from(path: &Path, offset: u64, len: u64) -> Option<Vec<u8>> {
    let mut f = std::fs::File::open(path).ok()?;
    f.seek(SeekFrom::Start(offset)).ok()?;
    let mut buf = Vec::with_capacity((len - offset) as usize);
    f.take(len - offset).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// How much of `chunk` (which starts at a message) holds only complete messages: up to
/// the last `From ` line that starts a message, or all of it when the file has settled.
fn complete_prefix(chunk: &[u8], settled: bool) -> usize {
    if settled {
        return chunk.len();
    }
    let mut i = chunk.len();
    while i > 0 {
        if chunk[..i].ends_with(b"\nFrom ") {
            return i - 5;
        }
        i -= 1;
    }
    0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn load_state(path: &Path) -> Result<State> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| WatchError::State {
            path: path.to_path_buf(),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Writes the state atomically: a temporary file beside it, synced, then renamed.
fn save_state(path: &Path, state: &State) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    let bytes = serde_json::to_vec(state).map_err(|source| WatchError::State {
        path: path.to_path_buf(),
        source,
    })?;
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(&bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    std::fs::rename(&tmp, path).map_err(io(path))
}

#[cfg(test)]
mod tests;
