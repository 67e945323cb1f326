//! The store's schema: numbered migrations, counted by SQLite's `user_version`.
//!
//! Migration N is `migrations/NNN_name.sql`; `user_version` says how many have run.
//! Migration 1 is the schema as it stood before versions. It is written with
//! `IF NOT EXISTS`, so it also adopts a store written then (`user_version` 0 with its
//! tables already present), and its hook adds the `messages` columns that older stores
//! got late. A store whose `user_version` is above the newest migration was written by
//! a newer Plenary and is refused, untouched.
//!
//! A released migration never changes: a schema change is the next file, added to
//! [`MIGRATIONS`].

use std::path::Path;

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, Migrations, M};

use crate::{Result, StoreError};

/// The migrations in order: (name, SQL). Migration `i + 1` is `MIGRATIONS[i]`.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_initial", include_str!("migrations/001_initial.sql")),
    (
        "002_own_text_once",
        include_str!("migrations/002_own_text_once.sql"),
    ),
    (
        "003_takedown_and_pending",
        include_str!("migrations/003_takedown_and_pending.sql"),
    ),
    (
        "004_transcripts",
        include_str!("migrations/004_transcripts.sql"),
    ),
    (
        "005_list_derivation",
        include_str!("migrations/005_list_derivation.sql"),
    ),
    (
        "006_author_sightings",
        include_str!("migrations/006_author_sightings.sql"),
    ),
    ("007_intake", include_str!("migrations/007_intake.sql")),
    (
        "008_people_resolution",
        include_str!("migrations/008_people_resolution.sql"),
    ),
    (
        "009_list_learned",
        include_str!("migrations/009_list_learned.sql"),
    ),
    (
        "010_sighting_keys",
        include_str!("migrations/010_sighting_keys.sql"),
    ),
    ("011_list_seq", include_str!("migrations/011_list_seq.sql")),
    (
        "012_signature_counts",
        include_str!("migrations/012_signature_counts.sql"),
    ),
    (
        "013_thread_tokens",
        include_str!("migrations/013_thread_tokens.sql"),
    ),
];

/// The schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Columns of `messages` added after its first release (by `ensure_column` before
/// versions); a store written before them lacks them.
const LATE_MESSAGE_COLUMNS: &[(&str, &str)] = &[
    ("zones", "TEXT"),
    ("new_text", "TEXT"),
    ("quotes", "TEXT"),
    ("quote_parent", "TEXT"),
];

/// The migration set, for `to_latest` and its validation.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(
        MIGRATIONS
            .iter()
            .enumerate()
            .map(|(i, &(name, sql))| {
                let m = if i == 0 {
                    M::up_with_hook(sql, add_late_message_columns)
                } else if name == "007_intake" {
                    M::up_with_hook(sql, fill_msgid_hashes)
                } else if name == "013_thread_tokens" {
                    M::up_with_hook(sql, fill_thread_tokens)
                } else {
                    M::up(sql)
                };
                m.comment(name)
            })
            .collect(),
    )
}

/// Migration 1's hook: a store from before the late columns gets them (empty, as
/// `ensure_column` gave them); in a fresh store they exist already.
fn add_late_message_columns(tx: &Transaction) -> HookResult {
    let present = tx
        .prepare("SELECT name FROM pragma_table_info('messages')")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for &(col, ty) in LATE_MESSAGE_COLUMNS {
        if !present.iter().any(|c| c == col) {
            tx.execute_batch(&format!("ALTER TABLE messages ADD COLUMN {col} {ty}"))?;
        }
    }
    Ok(())
}

/// Migration 7's hook: the Message-ID-Hash of every message stored before it.
fn fill_msgid_hashes(tx: &Transaction) -> HookResult {
    let rows = tx
        .prepare("SELECT seq, message_id FROM messages WHERE message_id IS NOT NULL")?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut ins = tx.prepare("INSERT INTO msgid_hashes(seq, hash) VALUES (?1, ?2)")?;
    for (seq, id) in rows {
        ins.execute(rusqlite::params![seq, crate::intake::message_id_hash(&id)])?;
    }
    Ok(())
}

/// Migration 13's hook: the thread tokens of every message stored before it, written
/// in key order (a million messages hold several million tokens).
fn fill_thread_tokens(tx: &Transaction) -> HookResult {
    let mut pairs: Vec<(i64, i64)> = Vec::new();
    {
        let mut q = tx.prepare("SELECT seq, message_id, in_reply_to, refs FROM messages")?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let message_id: Option<String> = r.get(1)?;
            let in_reply_to: Option<String> = r.get(2)?;
            let refs: Option<String> = r.get(3)?;
            for key in crate::threads::token_keys(
                message_id.as_deref(),
                in_reply_to.as_deref(),
                refs.as_deref().unwrap_or(""),
            ) {
                pairs.push((key, seq));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut ins = tx.prepare("INSERT OR IGNORE INTO thread_tokens(token, seq) VALUES (?1, ?2)")?;
    for (key, seq) in pairs {
        ins.execute(rusqlite::params![key, seq])?;
    }
    Ok(())
}

/// Opens the store file at `path` and brings its schema to [`SCHEMA_VERSION`].
pub(crate) fn open(path: &Path) -> Result<Connection> {
    let open_err = |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    };
    let mut conn = Connection::open(path).map_err(open_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(open_err)?;
    let found = user_version(&conn).map_err(open_err)?;
    if found > SCHEMA_VERSION as i64 {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        .map_err(open_err)?;
    if let Err(source) = migrations().to_latest(&mut conn) {
        // Another process may have migrated the file in the meantime: its work counts
        // (ours was rolled back whole).
        if user_version(&conn).map_err(open_err)? != SCHEMA_VERSION as i64 {
            return Err(StoreError::Migrate {
                path: path.to_path_buf(),
                from: found,
                to: SCHEMA_VERSION,
                source: Box::new(source),
            });
        }
    }
    Ok(conn)
}

/// The file's `user_version`: how many migrations have run on it.
pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// What went wrong in a migration, without the whole migration's SQL that
/// `rusqlite_migration` puts in its message.
pub(crate) fn migration_reason(e: &rusqlite_migration::Error) -> String {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => err.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
