//! The state every handler shares: a small pool of stores, the search index,
//! the frameworks and how addresses are shown.
//!
//! SQLite work never runs on the async runtime: a query takes a [`Store`] out
//! of the pool and runs in `tokio::task::spawn_blocking`.

use std::sync::{Arc, Mutex};

use plenary_pipeline::Archive;
use plenary_search::{SearchRequest, SearchResults};
use plenary_store::{Store, StoreError};
use tokio::sync::Semaphore;

use crate::error::Fail;
use crate::text;

/// Store connections kept open (and queries run at once).
pub(crate) const POOL_SIZE: usize = 4;

/// A few open stores. `Store` is `Send` but not `Sync`, so a query takes one
/// out, uses it on a blocking thread, and puts it back.
pub(crate) struct Pool {
    archive: Arc<Archive>,
    idle: Mutex<Vec<Store>>,
    permits: Semaphore,
}

impl Pool {
    pub(crate) fn open(archive: Arc<Archive>, size: usize) -> Result<Pool, StoreError> {
        let mut idle = Vec::with_capacity(size);
        for _ in 0..size {
            idle.push(reader(&archive)?);
        }
        Ok(Pool {
            archive,
            idle: Mutex::new(idle),
            permits: Semaphore::new(size),
        })
    }

    fn take(&self) -> Result<Store, StoreError> {
        let popped = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        match popped {
            Some(s) => Ok(s),
            // Only after a query panicked and its store was dropped.
            None => reader(&self.archive),
        }
    }

    fn put(&self, store: Store) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < POOL_SIZE {
            idle.push(store);
        }
    }
}

/// A connection of its own to the archive's store.
fn reader(archive: &Archive) -> Result<Store, StoreError> {
    archive.reader().map_err(|e| match e {
        plenary_pipeline::PipelineError::Store(s) => s,
        other => StoreError::Corrupt(other.to_string()),
    })
}

/// Shared by all handlers.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) pool: Arc<Pool>,
    pub(crate) addresses: text::Addresses,
    pub(crate) archive: Arc<Archive>,
    /// The Mailman archiver endpoint's settings, when it is on.
    pub(crate) archiver: Option<Arc<crate::ArchiverOptions>>,
}

impl AppState {
    /// The frameworks tags are resolved against.
    pub(crate) fn frameworks(&self) -> &plenary_frameworks::Frameworks {
        self.archive.frameworks()
    }

    /// A store for a long blocking job (an export); give it back with `put_store`.
    pub(crate) fn take_store(&self) -> Result<Store, StoreError> {
        self.pool.take()
    }

    pub(crate) fn put_store(&self, store: Store) {
        self.pool.put(store)
    }

    /// Runs `f` with a store on a blocking thread.
    pub(crate) async fn query<T, F>(&self, f: F) -> Result<T, Fail>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let _permit = self
            .pool
            .permits
            .acquire()
            .await
            .map_err(|e| Fail::Internal(e.to_string()))?;
        let pool = Arc::clone(&self.pool);
        tokio::task::spawn_blocking(move || {
            let store = pool.take()?;
            let out = f(&store);
            pool.put(store);
            out
        })
        .await
        .map_err(|e| Fail::Internal(format!("query task failed: {e}")))?
        .map_err(|e| Fail::Internal(e.to_string()))
    }

    /// Runs a search on a blocking thread; a query the language cannot read
    /// is a [`Fail::BadRequest`].
    /// Runs a search; hits carry addresses as the server is told to show them
    /// (titles, authors and snippets: pages, API and feeds alike).
    pub(crate) async fn run_search(&self, req: SearchRequest) -> Result<SearchResults, Fail> {
        let archive = Arc::clone(&self.archive);
        let mut res = tokio::task::spawn_blocking(move || archive.search(&req))
            .await
            .map_err(|e| Fail::Internal(format!("search task failed: {e}")))??;
        if !self.addresses.show {
            for h in &mut res.hits {
                h.snippet = crate::text::obfuscate_snippet(&h.snippet);
                h.title = self.addresses.text(&h.title).into_owned();
                if let Some(a) = &mut h.author {
                    a.name = self.addresses.text(&a.name).into_owned();
                }
            }
        }
        Ok(res)
    }
}
