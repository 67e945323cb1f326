//! The state every handler shares: a small pool of stores, the search index,
//! the frameworks and how addresses are shown.
//!
//! SQLite work never runs on the async runtime: a query takes a [`Store`] out
//! of the pool and runs in `tokio::task::spawn_blocking`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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
    dir: PathBuf,
    idle: Mutex<Vec<Store>>,
    permits: Semaphore,
}

impl Pool {
    pub(crate) fn open(dir: PathBuf, size: usize) -> Result<Pool, StoreError> {
        let mut idle = Vec::with_capacity(size);
        for _ in 0..size {
            idle.push(Store::open(&dir)?);
        }
        Ok(Pool {
            dir,
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
            None => Store::open(&self.dir),
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

/// Shared by all handlers.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) pool: Arc<Pool>,
    pub(crate) addresses: text::Addresses,
    pub(crate) frameworks: Arc<plenary_frameworks::Frameworks>,
    pub(crate) search: Arc<plenary_search::SearchIndex>,
}

impl AppState {
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
    pub(crate) async fn run_search(&self, req: SearchRequest) -> Result<SearchResults, Fail> {
        let index = Arc::clone(&self.search);
        let fw = Arc::clone(&self.frameworks);
        Ok(tokio::task::spawn_blocking(move || index.search(&req, &fw))
            .await
            .map_err(|e| Fail::Internal(format!("search task failed: {e}")))??)
    }
}
