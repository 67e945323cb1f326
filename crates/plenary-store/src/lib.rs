//! plenary-store: the embedded store (one SQLite file, `plenary.sqlite3`, under the
//! data folder).
//!
//! Raw messages are kept byte-for-byte (deflate-compressed) beside the decoded fields;
//! threads are derived and can be rebuilt at any time with [`Store::rethread`]. The
//! schema is versioned: numbered migrations through SQLite's `user_version` (see
//! `schema.rs`), and a file written by a newer Plenary is refused.
//!
//! The public surface is the methods of [`Store`] (one module per table: `messages`,
//! `threads`, `reconstructed`, `rejects`, `lists`, `agenda`, `people`, and the reads
//! for the index and exports in `search` and `exports`) and the types re-exported
//! here; the row types whose JSON is the CLI's and the API's come from `model`.

mod agenda;
mod analysis;
mod exports;
mod intake;
mod lists;
mod messages;
mod model;
mod people;
mod reconstructed;
mod rejects;
mod schema;
mod search;
mod signatures;
mod takedown;
mod threads;
mod transcripts;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use agenda::{
    EventSummary, RelatedThread, SessionOutcome, SessionVersion, TagKind, TagRow, TagSource,
    ThreadText,
};
pub use analysis::StoredAnalysis;
pub use exports::{
    recovered_message_id, write_mboxrd, DatasetMessage, FeedMessage, RawMessage, Selection,
};
pub use intake::{message_id_hash, IntakeRow, IntakeSource, ListIntake, ListStatus};
pub use lists::list_slug;
pub use messages::{sha256_hex, AnalysedMessage, BatchOutcome, NewMessage, StoredBody};
pub use model::{
    Attachment, AuthorDetail, AuthorRef, ListSummary, MessageDetail, MonthSummary, RecoveredRef,
    RejectRow, Stats, ThreadDetail, ThreadMessage, ThreadSummary, ZoneRow,
};
pub use people::{
    AuthorRow, MessageSighting, MessageSummary, PeopleResolution, PersonLinks, QuotedSighting,
    SightingRow,
};
pub use plenary_people::PersonRecord;
pub use plenary_quotes::{QuotedMessage, Zone, ZoneKind};
pub use reconstructed::{NewAuthor, NewReconstructed, ReconstructedChanges};
pub use schema::SCHEMA_VERSION;
pub use search::{IndexMessage, IndexReconstructed};
pub use signatures::BodyBlocks;
pub use takedown::{AuthorOf, Redaction, TakedownRow, TakedownSource};
pub use threads::{
    month_bounds, MonthMessage, Neighbour, ParentRow, Rethreaded, SUBJECT_WINDOW_SECS,
};
pub use transcripts::{SpeakerLink, StoredTranscript, TranscriptLinks, TranscriptSummary};

/// A column holding another type than the schema says.
impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(e: rusqlite::types::FromSqlError) -> StoreError {
        StoreError::Corrupt(format!("a stored value of the wrong type: {e}"))
    }
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A query failed (`?` converts every rusqlite error into this).
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The store file could not be opened; names the file.
    #[error("cannot open the store {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The file's schema is newer than this build knows: refused, left untouched.
    #[error(
        "{path} was written by a newer Plenary (schema {found}; this one knows up to {known}): upgrade Plenary"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    /// A migration failed; it was rolled back, the file is as it was.
    #[error("cannot migrate the store {path} from schema {from} to {to}: {}", schema::migration_reason(.source))]
    Migrate {
        path: PathBuf,
        from: i64,
        to: usize,
        // Boxed: rusqlite_migration's error is large and every Result carries the size.
        source: Box<rusqlite_migration::Error>,
    },
    #[error("cannot create data folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Counts every committed change to derived-from or derived data, so that
/// derived stores (the search index) can tell cheaply whether to look again.
pub(crate) fn bump_generation(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("UPDATE store_generation SET n = n + 1", [])
        .map(|_| ())
}

/// The embedded store.
pub struct Store {
    conn: Connection,
}

/// SQLite's page cache per connection, in KiB, unless a command asks for more.
pub const DEFAULT_PAGE_CACHE_KIB: u32 = 2000;

impl Store {
    /// Opens (creating if needed) the store in `dir`, bringing its schema up to
    /// [`SCHEMA_VERSION`]; a store written by a newer Plenary is refused.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let conn = schema::open(&dir.join("plenary.sqlite3"))?;
        Ok(Store { conn })
    }

    /// Sets this connection's page cache to `kib` KiB (SQLite's default is
    /// [`DEFAULT_PAGE_CACHE_KIB`]; pages are taken only as they are read, and a smaller
    /// size frees the excess). A bulk import inserts every message into indexes of
    /// random keys (its id, its Message-ID's hash): once they outgrow the cache most
    /// inserts read a page from the system, and at 1M messages 64 MiB cut the reading
    /// step's CPU by 8 % (BENCHMARKS, "Scaling").
    pub fn set_page_cache_kib(&mut self, kib: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib}"))?;
        Ok(())
    }

    /// The page cache this connection has, in KiB (see [`Store::set_page_cache_kib`]).
    #[cfg(test)]
    pub(crate) fn page_cache_kib(&self) -> Result<i64> {
        let n: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        // (negative: KiB; positive: pages)
        Ok(if n < 0 {
            -n
        } else {
            n * self
                .conn
                .query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0))?
                / 1024
        })
    }

    /// A number that grows with every committed change (see `bump_generation`).
    pub fn generation(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(n), 0) FROM store_generation",
            [],
            |r| r.get(0),
        )?)
    }

    /// Counts for `plenary stats`.
    pub fn stats(&self) -> Result<Stats> {
        let c = |sql: &str| -> Result<u64> {
            Ok(self
                .conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|v| v as u64)?)
        };
        Ok(Stats {
            messages: c("SELECT COUNT(*) FROM messages")?,
            threads: c("SELECT COUNT(*) FROM threads")?,
            lists: c("SELECT COUNT(*) FROM lists")?,
            rejected: c("SELECT COUNT(*) FROM rejects")?,
            reconstructed: c("SELECT COUNT(*) FROM reconstructed")?,
            // the resolved people, as /people lists them; distinct senders (address,
            // else name) until identities are resolved
            people: c("SELECT CASE WHEN EXISTS (SELECT 1 FROM people)
                            THEN (SELECT COUNT(*) FROM people)
                            ELSE (SELECT COUNT(DISTINCT lower(COALESCE(author_address, author_name)))
                                  FROM messages) END")?,
            sessions: c("SELECT COUNT(*) FROM sessions")?,
        })
    }
}

#[cfg(test)]
mod tests;
