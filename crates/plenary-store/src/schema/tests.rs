use std::path::Path;

use rusqlite::Connection;

use super::*;
use crate::Store;

/// A store written before schema versions (see the fixture's header).
const BEFORE_VERSIONS: &str = include_str!("../../tests/fixtures/store-before-versions.sql");

/// Loads the fixture into `dir/plenary.sqlite3`, as the old binary left it.
fn old_store(dir: &Path) -> Connection {
    let conn = Connection::open(dir.join("plenary.sqlite3")).expect("create the old store");
    conn.execute_batch(BEFORE_VERSIONS)
        .expect("load the fixture");
    conn
}

fn ids(conn: &Connection, sql: &str) -> Vec<String> {
    conn.prepare(sql)
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<Vec<String>>>()
        .expect("rows")
}

/// The schema as SQLite keeps it, to tell whether an open changed anything.
fn schema_of(conn: &Connection) -> Vec<String> {
    ids(
        conn,
        "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name",
    )
}

fn version_of(dir: &Path) -> i64 {
    let conn = Connection::open(dir.join("plenary.sqlite3")).expect("open");
    user_version(&conn).expect("user_version")
}

#[test]
fn migrations_validate() {
    migrations()
        .validate()
        .expect("the migrations apply to an empty database");
    assert_eq!(SCHEMA_VERSION, MIGRATIONS.len());
}

#[test]
fn a_fresh_store_gets_the_latest_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Store::open(dir.path()).expect("open");
    assert_eq!(user_version(&s.conn).expect("v"), SCHEMA_VERSION as i64);
    let cols = ids(&s.conn, "SELECT name FROM pragma_table_info('messages')");
    for (col, _) in LATE_MESSAGE_COLUMNS {
        assert!(cols.iter().any(|c| c == col), "fresh store lacks {col}");
    }
    assert_eq!(s.generation().expect("generation"), 0);
}

#[test]
fn a_store_from_before_versions_migrates_without_losing_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (messages, threads, sessions, before_schema) = {
        let old = old_store(dir.path());
        assert_eq!(user_version(&old).expect("v"), 0);
        (
            ids(&old, "SELECT id FROM messages ORDER BY seq"),
            ids(&old, "SELECT id FROM threads ORDER BY id"),
            ids(&old, "SELECT id FROM sessions ORDER BY id"),
            schema_of(&old),
        )
    };
    assert_eq!((messages.len(), threads.len(), sessions.len()), (27, 22, 5));

    let s = Store::open(dir.path()).expect("the old store opens");
    assert_eq!(user_version(&s.conn).expect("v"), SCHEMA_VERSION as i64);
    // Migration 1 adopts the tables as they are (later migrations add tables and
    // indexes on them; migration 7 adds one column to `rejects`, undone here).
    let after: Vec<String> = schema_of(&s.conn)
        .into_iter()
        .map(|t| t.replace(", list TEXT)", ")"))
        .filter(|t| {
            ![
                "takedowns",
                "tombstones",
                "pending_lists",
                "transcripts",
                "list_derivation",
                "author_sightings",
                "list_intake",
                "msgid_hashes",
                "people_resolution",
                "list_learned",
                "messages_list_seq",
                "signature_lists",
                "signature_authors",
                "signature_blocks",
                "signature_blocks_held",
                "signature_texts",
                "list_learned_signatures",
                "thread_tokens",
                "messages_list_subject",
                "messages_headerless_replies",
            ]
            .iter()
            .any(|new| {
                t.contains(&format!(" {new} "))
                    || t.contains(&format!(" {new}("))
                    || t.contains(&format!("_{new}_"))
            })
        })
        .collect();
    assert_eq!(after, before_schema);
    // Migration 13's hook gave every message its thread tokens: each Message-ID's key
    // holds its message.
    let with_ids: Vec<(i64, String)> = s
        .conn
        .prepare("SELECT seq, message_id FROM messages WHERE message_id IS NOT NULL")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert!(!with_ids.is_empty());
    for (seq, mid) in with_ids {
        let key = crate::threads::token_keys(Some(&mid), None, "")[0];
        let held: i64 = s
            .conn
            .query_row(
                "SELECT COUNT(*) FROM thread_tokens WHERE token = ?1 AND seq = ?2",
                rusqlite::params![key, seq],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(held, 1, "{mid}");
    }
    // Migration 7's hook gave every message with a Message-ID its Mailman hash.
    assert_eq!(
        ids(
            &s.conn,
            "SELECT CAST(seq AS TEXT) FROM msgid_hashes ORDER BY seq"
        ),
        ids(
            &s.conn,
            "SELECT CAST(seq AS TEXT) FROM messages WHERE message_id IS NOT NULL ORDER BY seq"
        ),
    );

    let st = s.stats().expect("stats");
    assert_eq!(
        (
            st.messages,
            st.threads,
            st.lists,
            st.rejected,
            st.reconstructed,
            st.sessions
        ),
        (27, 22, 5, 1, 1, 5)
    );
    for id in &messages {
        let m = s.message(id).expect("read").expect("message is there");
        let raw = s.raw(id).expect("raw inflates").expect("raw is there");
        assert_eq!(raw.len() as u64, m.raw_len, "{id}: raw length");
        assert!(!m.zones.is_empty(), "{id}: quote analysis kept");
    }
    // Migration 2 keeps the author's own words once; the typed analysis reads them back.
    let duplicated: i64 = s
        .conn
        .query_row(
            "SELECT COUNT(*) FROM messages WHERE json_extract(quotes, '$[0].text') != ''",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(duplicated, 0, "own text stored once");
    let mut analysed = 0;
    s.for_each_author(true, |r| {
        if !r.reconstructed {
            analysed += 1;
            assert_eq!(
                r.quotes.first().map(|q| q.text.as_str()),
                r.new_text.as_deref(),
                "{}",
                r.id
            );
        }
    })
    .expect("every stored analysis reads as typed values");
    assert_eq!(analysed, messages.len());
    let mut in_threads = 0;
    for id in &threads {
        let t = s.thread(id).expect("read").expect("thread is there");
        in_threads += t.messages.iter().filter(|m| !m.reconstructed).count();
    }
    assert_eq!(in_threads, messages.len());
    for id in &sessions {
        let (_, versions) = s.session(id).expect("read").expect("session is there");
        assert_eq!(versions.len(), 1);
    }
    let reject = s.rejects().expect("rejects");
    assert!(s.reject_raw(reject[0].seq).expect("inflates").is_some());
    let generation = s.generation().expect("generation");
    let after_schema = schema_of(&s.conn);
    drop(s);

    // Opening again changes nothing.
    let s = Store::open(dir.path()).expect("reopen");
    assert_eq!(user_version(&s.conn).expect("v"), SCHEMA_VERSION as i64);
    assert_eq!(schema_of(&s.conn), after_schema);
    assert_eq!(s.generation().expect("generation"), generation);
    assert_eq!(s.stats().expect("stats"), st);
}

#[test]
fn a_store_from_before_the_late_columns_gets_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let old = old_store(dir.path());
        for (col, _) in LATE_MESSAGE_COLUMNS {
            old.execute_batch(&format!("ALTER TABLE messages DROP COLUMN {col}"))
                .expect("drop column");
        }
    }
    let s = Store::open(dir.path()).expect("open");
    let cols = ids(&s.conn, "SELECT name FROM pragma_table_info('messages')");
    for (col, _) in LATE_MESSAGE_COLUMNS {
        assert!(cols.iter().any(|c| c == col), "migrated store lacks {col}");
    }
    assert_eq!(s.stats().expect("stats").messages, 27);
    let id = &ids(&s.conn, "SELECT id FROM messages ORDER BY seq")[0];
    let m = s.message(id).expect("read").expect("message");
    assert!(m.zones.is_empty() && m.new_text.is_none());
}

#[test]
fn a_newer_store_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(Store::open(dir.path()).expect("open"));
    let newer = SCHEMA_VERSION as i64 + 1;
    Connection::open(dir.path().join("plenary.sqlite3"))
        .expect("open")
        .pragma_update(None, "user_version", newer)
        .expect("set user_version");

    let err = match Store::open(dir.path()) {
        Ok(_) => panic!("a store of schema {newer} opened"),
        Err(e) => e,
    };
    assert!(
        matches!(err, StoreError::NewerSchema { found, known, .. } if found == newer && known == SCHEMA_VERSION),
        "{err:?}"
    );
    let msg = err.to_string();
    for part in [
        "plenary.sqlite3".to_string(),
        format!("schema {newer}"),
        format!("knows up to {SCHEMA_VERSION}"),
        "upgrade Plenary".to_string(),
    ] {
        assert!(msg.contains(&part), "{msg:?} lacks {part:?}");
    }
    assert_eq!(version_of(dir.path()), newer);
}

#[test]
fn a_failed_migration_is_rolled_back_and_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        // Not a store of ours: a `threads` table migration 1 cannot index.
        let conn = Connection::open(dir.path().join("plenary.sqlite3")).expect("create");
        conn.execute_batch("CREATE TABLE threads(id TEXT PRIMARY KEY);")
            .expect("create threads");
    }
    let err = match Store::open(dir.path()) {
        Ok(_) => panic!("an unmigratable store opened"),
        Err(e) => e,
    };
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Migrate { .. }), "{err:?}");
    assert!(
        msg.contains("plenary.sqlite3") && msg.contains("from schema 0 to") && msg.contains("last"),
        "{msg}"
    );
    let conn = Connection::open(dir.path().join("plenary.sqlite3")).expect("open");
    assert_eq!(user_version(&conn).expect("v"), 0);
    assert_eq!(
        ids(&conn, "SELECT name FROM sqlite_master WHERE type = 'table'"),
        ["threads"]
    );
}
