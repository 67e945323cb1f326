//! [`Archive`]: one data folder, opened once, and the operations on it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use plenary_frameworks::Frameworks;
use plenary_people::balance::{Balance, Dimension};
use plenary_people::network::Network;
use plenary_people::{Curated, PersonRecord};
use plenary_search::{SearchIndex, SearchRequest, SearchResults, SyncReport};
use plenary_store::Store;

use crate::error::{io_error, Result, StepContext};
use crate::import::{ImportOptions, ImportSummary};
use crate::people::{Built, Scope};
use crate::progress::Progress;
use crate::tagging::{RetagSummary, TagEval};
use crate::{eval, people, reconstruct, tagging};

/// The file whose lock writers hold (see [`Archive::lock_for_writing`]).
pub const WRITE_LOCK: &str = "write.lock";

/// The data folder's write lock; released when dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: std::fs::File,
}

/// A data folder: the store (`plenary.sqlite3`), the search index (`index/`), the
/// frameworks (shipped ones plus `frameworks/*.toml`) and the curated `people.toml`.
///
/// The store's writing connection sits behind a mutex, so an `Archive` can be shared
/// (`Arc<Archive>`) by a server; readers that want their own connection take one with
/// [`Archive::reader`].
pub struct Archive {
    dir: PathBuf,
    store: Mutex<Store>,
    frameworks: Frameworks,
    index: OnceLock<SearchIndex>,
    /// Lists whose mail is kept aside, never stored (see [`Archive::private_lists`]).
    private_lists: Vec<String>,
}

/// The parts of `DATA/plenary.toml` the archive itself reads (the server reads the
/// rest): `[lists] private = [...]` and the archiver's `private_lists`.
#[derive(serde::Deserialize, Default)]
struct DataConfig {
    #[serde(default)]
    lists: ListsConfig,
    #[serde(default)]
    archiver: ArchiverPrivate,
}

#[derive(serde::Deserialize, Default)]
struct ListsConfig {
    #[serde(default)]
    private: Vec<String>,
}

#[derive(serde::Deserialize, Default)]
struct ArchiverPrivate {
    #[serde(default)]
    private_lists: Vec<String>,
}

/// The private lists named in `DATA/plenary.toml`, if it exists.
fn configured_private_lists(dir: &Path) -> Result<Vec<String>> {
    let path = dir.join("plenary.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(&path)(e)),
    };
    let c: DataConfig = toml::from_str(&text).map_err(|e| crate::PipelineError::BadFile {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let mut out = c.lists.private;
    out.extend(c.archiver.private_lists);
    Ok(out)
}

impl Archive {
    /// Opens (creating if needed) the data folder `dir`, with the shipped frameworks
    /// extended by `dir/frameworks/*.toml`.
    pub fn open(dir: &Path) -> Result<Archive> {
        let frameworks = Frameworks::load(Some(&dir.join("frameworks")))?;
        Archive::open_with(dir, frameworks)
    }

    /// Opens `dir` with the given frameworks.
    ///
    /// When an import was interrupted between storing messages and deriving
    /// from them (a crash, `kill -9`), the derivation is finished here, unless
    /// another process is writing the folder now (it will).
    pub fn open_with(dir: &Path, frameworks: Frameworks) -> Result<Archive> {
        let private_lists = configured_private_lists(dir)?;
        let store = Store::open(dir)?;
        let archive = Archive {
            dir: dir.to_path_buf(),
            store: Mutex::new(store),
            frameworks,
            index: OnceLock::new(),
            private_lists,
        };
        archive.finish_interrupted(&mut crate::NoProgress)?;
        Ok(archive)
    }

    /// Takes the data folder's write lock (`DATA/write.lock`), waiting (and
    /// saying so through `progress`) while another process holds it. Imports
    /// and takedowns hold it, so concurrent ones run one after the other.
    pub fn lock_for_writing(&self, progress: &mut dyn Progress) -> Result<WriteLock> {
        let file = self.lock_file()?;
        let path = self.dir.join(WRITE_LOCK);
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                progress.waiting(&format!(
                    "waiting for another import or takedown to finish ({} is locked)",
                    path.display()
                ));
                file.lock().map_err(io_error(&path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_error(&path)(e)),
        }
        Ok(WriteLock { _file: file })
    }

    fn lock_file(&self) -> Result<std::fs::File> {
        let path = self.dir.join(WRITE_LOCK);
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_error(&path))
    }

    /// Finishes the derivation of lists an interrupted import left pending
    /// (`Store::pending_lists`). `None` when another process holds the write
    /// lock or nothing was pending.
    pub fn finish_interrupted(
        &self,
        progress: &mut dyn Progress,
    ) -> Result<Option<crate::import::Derived>> {
        let file = self.lock_file()?;
        if file.try_lock().is_err() {
            return Ok(None);
        }
        let mut store = self.store();
        let pending = store.pending_lists()?;
        if pending.is_empty() {
            return Ok(None);
        }
        let d = crate::import::derive(
            &mut store,
            &pending,
            true,
            &self.frameworks,
            &self.curated_path(),
            progress,
            crate::import::DeriveScope::Lists,
        )?;
        Ok(Some(d))
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The frameworks tags are resolved against.
    pub fn frameworks(&self) -> &Frameworks {
        &self.frameworks
    }

    /// The store, for reading (and for the pipeline's own writes).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while the store was held leaves SQLite consistent (transactions
        // roll back): keep using it.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A connection of its own to the store, for a reader on another thread.
    pub fn reader(&self) -> Result<Store> {
        Ok(Store::open(&self.dir)?)
    }

    /// The search index under `DATA/index`, opened on first use.
    pub fn index(&self) -> Result<&SearchIndex> {
        if let Some(i) = self.index.get() {
            return Ok(i);
        }
        let opened = SearchIndex::open(&self.dir.join("index")).step("opening the search index")?;
        Ok(self.index.get_or_init(|| opened))
    }

    /// Brings the search index up to date with the store.
    pub fn sync_index(&self) -> Result<SyncReport> {
        let index = self.index()?;
        let report = index
            .sync(&*self.store(), &self.frameworks)
            .step("updating the search index")?;
        crate::memory::mark("search index synced");
        Ok(report)
    }

    /// Rebuilds the search index from the store.
    pub fn rebuild_index(&self) -> Result<SyncReport> {
        let index = self.index()?;
        index
            .rebuild(&*self.store(), &self.frameworks)
            .step("rebuilding the search index")
    }

    /// Runs a search (the index is not synced first: see [`Archive::sync_index`]).
    /// A query that does not parse is `PipelineError::Search(SearchError::Query(_))`.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        Ok(self.index()?.search(req, &self.frameworks)?)
    }

    /// Lists whose mail is private: kept byte for byte under `DATA/private/LIST.mbox`
    /// by every import (files, archiver, watch, mirror) and never stored. Read from
    /// `DATA/plenary.toml` (`[lists] private`, `[archiver] private_lists`) when the
    /// folder is opened; [`Archive::add_private_lists`] adds more (command-line flags).
    pub fn private_lists(&self) -> &[String] {
        &self.private_lists
    }

    /// Adds private lists (see [`Archive::private_lists`]).
    pub fn add_private_lists(&mut self, more: &[String]) {
        self.private_lists.extend(more.iter().cloned());
    }

    /// The options with the archive's private lists added.
    fn with_private(&self, opts: &ImportOptions) -> ImportOptions {
        let mut o = opts.clone();
        o.private_lists.extend(self.private_lists.iter().cloned());
        o
    }

    /// Imports mail archives and agenda files, then derives what they touched:
    /// threads, learned footers, reconstructions, tags and people.
    pub fn import(
        &self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        progress: &mut dyn Progress,
    ) -> Result<ImportSummary> {
        let opts = &self.with_private(opts);
        let mut store = self.store();
        crate::import::run(
            &mut store,
            paths,
            opts,
            &self.frameworks,
            &self.curated_path(),
            &self.dir,
            progress,
        )
    }

    /// Imports messages handed over as bytes (the Mailman archiver endpoint, a
    /// watched folder, a mirror), then derives what they touched, as [`Archive::import`]
    /// does for files. The caller holds the write lock ([`Archive::lock_for_writing`]).
    pub fn import_messages(
        &self,
        messages: Vec<crate::RawMessage>,
        opts: &ImportOptions,
        progress: &mut dyn Progress,
    ) -> Result<ImportSummary> {
        let opts = &self.with_private(opts);
        let mut store = self.store();
        crate::import::run_messages(
            &mut store,
            messages,
            opts,
            &self.frameworks,
            &self.curated_path(),
            &self.dir,
            progress,
        )
    }

    /// Takes down a message, a person or an address (see [`crate::TakedownTarget`]):
    /// holds the write lock, removes and redacts, re-derives the lists it
    /// touched, rebuilds the search index and records the audit-log row.
    pub fn takedown(
        &self,
        target: &crate::TakedownTarget,
        reason: &str,
        actor: &str,
        progress: &mut dyn Progress,
    ) -> Result<crate::TakedownReport> {
        let _lock = self.lock_for_writing(progress)?;
        let report = {
            let mut store = self.store();
            crate::takedown::run(
                &mut store,
                &self.frameworks,
                &self.curated_path(),
                target,
                reason,
                actor,
                progress,
            )?
        };
        progress.phase("rebuilding the search index");
        self.rebuild_index()?;
        Ok(report)
    }

    /// The takedown audit log, oldest first.
    pub fn takedown_log(&self) -> Result<crate::TakedownLog> {
        Ok(crate::TakedownLog {
            entries: self.store().takedowns()?,
        })
    }

    /// Rebuilds every list's threads and reconstructed messages. Returns
    /// (threads, reconstructed messages).
    pub fn rethread(&self) -> Result<(usize, usize)> {
        let mut store = self.store();
        let threads = store.rethread(&[]).step("rebuilding threads")?;
        let lists = all_lists(&store)?;
        let r =
            reconstruct::reconstruct(&mut store, &lists).step("reconstructing quoted messages")?;
        self.derive_after_rebuild(&mut store, &lists)?;
        Ok((threads, r))
    }

    /// What follows threads and reconstructions in an import's derivation: the lists'
    /// tags (thread ids may all have moved, and rebuilding threads forgot each list's
    /// tagging mode) and the people (reconstructed authors are sightings). Without it a
    /// rebuild left them stale until the next import, which then retagged whole lists.
    fn derive_after_rebuild(&self, store: &mut Store, lists: &[String]) -> Result<()> {
        tagging::tag_lists(store, lists, &self.frameworks).step("tagging threads")?;
        people::rebuild(store, &self.curated_path(), &self.frameworks).step("resolving people")?;
        Ok(())
    }

    /// Re-runs quote analysis on every stored message of `list` (all lists when
    /// `None`), with footers learned per list, and rebuilds reconstructions.
    /// Returns (messages analysed, reconstructed messages).
    pub fn reanalyze(&self, list: Option<&str>) -> Result<(usize, usize)> {
        let mut store = self.store();
        let lists = match list {
            Some(l) => vec![plenary_store::list_slug(l)],
            None => all_lists(&store)?,
        };
        let out = reconstruct::reanalyse(&mut store, &lists).step("re-analysing quotes")?;
        // (own words, signatures and reconstructions changed: so may tags and people)
        self.derive_after_rebuild(&mut store, &lists)?;
        Ok(out)
    }

    /// Re-runs the tagger on every session, thread and message.
    pub fn retag(&self) -> Result<RetagSummary> {
        let mut store = self.store();
        tagging::retag(&mut store, &self.frameworks).step("tagging")
    }

    /// Where the curator's facts live.
    pub fn curated_path(&self) -> PathBuf {
        self.dir.join("people.toml")
    }

    /// Applies a curator's edit to `people.toml`, saves it and rebuilds people.
    pub fn curate(&self, edit: impl FnOnce(&mut Curated)) -> Result<Built> {
        let path = self.curated_path();
        let mut curated = Curated::load(&path)?;
        edit(&mut curated);
        curated.save(&path)?;
        let mut store = self.store();
        people::rebuild(&mut store, &self.curated_path(), &self.frameworks).step("resolving people")
    }

    /// Rebuilds every person from the store and `people.toml`, reading every message
    /// whole again (the stored sightings are dropped first).
    pub fn rebuild_people(&self) -> Result<Built> {
        let mut store = self.store();
        store.forget_sightings().step("resolving people")?;
        people::rebuild(&mut store, &self.curated_path(), &self.frameworks).step("resolving people")
    }

    /// Every person, most active first.
    pub fn people(&self) -> Result<Vec<PersonRecord>> {
        people::load_people(&self.store())
    }

    /// Participation balance of a scope.
    pub fn balance(&self, scope: &Scope, by: Dimension, top: usize) -> Result<Balance> {
        people::balance(&self.store(), &self.frameworks, scope, by, top)
    }

    /// Who answers whom in a scope.
    pub fn network(&self, scope: &Scope) -> Result<Network> {
        let (_, replies) = people::contributions(&self.store(), scope)?;
        Ok(plenary_people::network::build(&replies))
    }

    /// Agreement of quotes with the archived parents they quote.
    pub fn eval_quotes(&self, list: Option<&str>) -> Result<eval::QuoteEval> {
        eval::eval_quotes(&self.store(), list)
    }

    /// Stored thread parents against a generator's `truth.jsonl`.
    pub fn eval_threads(&self, truth: &Path) -> Result<eval::ThreadEval> {
        eval::eval_threads(&self.store(), truth)
    }

    /// Identity resolution against a generator's `truth.jsonl` (with `people.jsonl`).
    pub fn eval_people(&self, truth: &Path) -> Result<plenary_people::eval::PeopleEval> {
        people::eval_generated(&self.store(), truth)
    }

    /// Identity resolution against gold written by reading the archive (see
    /// [`crate::GoldPeopleEval`]).
    pub fn eval_people_gold(&self, gold: &Path) -> Result<crate::GoldPeopleEval> {
        people::eval_gold(&self.store(), gold)
    }

    /// Affiliations judged by a reader, against the organisation each person's page
    /// shows now (see [`crate::AffiliationGoldEval`]).
    pub fn eval_affiliations_gold(&self, gold: &Path) -> Result<crate::AffiliationGoldEval> {
        crate::eval_affiliations::eval_affiliations_gold(&self.store(), &self.frameworks, gold)
    }

    /// Tags judged by a reader, against what the tagger gives now (see
    /// [`crate::TagGoldEval`]).
    pub fn eval_tags_gold(&self, gold: &Path) -> Result<crate::TagGoldEval> {
        crate::tagging::eval_tags_gold(&self.store(), gold)
    }

    /// The tagger on session descriptions against the sessions' declared tags.
    pub fn eval_tags(&self) -> Result<Vec<TagEval>> {
        tagging::eval_tags(&self.store(), &self.frameworks)
    }

    /// How trustworthy the messages recovered from quotes are (all lists, or
    /// one), judged against the archive.
    pub fn eval_reconstruction(&self, list: Option<&str>) -> Result<crate::ReconstructionEval> {
        let store = self.store();
        let lists = match list {
            Some(l) => vec![plenary_store::list_slug(l)],
            None => all_lists(&store)?,
        };
        crate::eval_reconstruction::run(&store, &lists)
    }

    /// Writes the researchers' dataset (one JSON line per archived message).
    /// Returns how many messages were written.
    pub fn export_dataset(&self, out: &mut dyn Write, hide_addresses: bool) -> Result<u64> {
        let store = self.store();
        let mut after = 0;
        let mut n = 0u64;
        let write_err = io_error("the dataset output");
        let mut failed: Option<std::io::Error> = None;
        loop {
            let rows = store.dataset_messages(after, 2000)?;
            let Some((last, _)) = rows.last() else { break };
            after = *last;
            for (_, m) in &rows {
                let r = if hide_addresses {
                    serde_json::to_value(m).map(|mut v| {
                        crate::privacy::obfuscate_json(&mut v);
                        v
                    })
                } else {
                    serde_json::to_value(m)
                };
                let r = r
                    .and_then(|v| serde_json::to_writer(&mut *out, &v))
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"));
                if let Err(e) = r {
                    failed = Some(e);
                    break;
                }
                n += 1;
            }
            if failed.is_some() {
                break;
            }
        }
        if let Some(e) = failed.or_else(|| out.flush().err()) {
            return Err(write_err(e));
        }
        Ok(n)
    }
}

/// The slugs of every stored list.
fn all_lists(store: &Store) -> Result<Vec<String>> {
    Ok(store.lists()?.into_iter().map(|l| l.slug).collect())
}
