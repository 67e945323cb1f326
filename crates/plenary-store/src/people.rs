//! People (derived: rebuilt from messages, quotes, reconstructed messages and session
//! speakers after each import) and the links from what they wrote or said to them.

use plenary_people::PersonRecord;
use rusqlite::{params, OptionalExtension};

use crate::{Result, Store, StoreError};

/// What identity resolution reads of one archived or reconstructed message.
#[derive(Debug, Clone)]
pub struct AuthorRow {
    pub id: String,
    pub list: String,
    pub thread_id: Option<String>,
    /// The archived or reconstructed message this one answers.
    pub parent: Option<String>,
    pub author_name: Option<String>,
    pub author_address: Option<String>,
    pub via_list: Option<String>,
    pub date: Option<i64>,
    /// Archived: the decoded body; reconstructed: its text.
    pub body: String,
    /// Archived only, and only when asked for: the zones over `body` and the
    /// messages (the author's own first, then the quoted ones).
    pub zones: Vec<plenary_quotes::Zone>,
    pub quotes: Vec<plenary_quotes::QuotedMessage>,
    pub new_text: Option<String>,
    pub reconstructed: bool,
}

/// The columns [`AuthorRow::archived`] reads, in its order.
const AUTHOR_COLUMNS: &str = "m.id, m.list, m.thread_id, COALESCE(m.parent, m.quote_parent),
    m.author_name, m.author_address, m.via_list, m.date, m.body";

impl AuthorRow {
    /// An archived message from a row holding [`AUTHOR_COLUMNS`] from column
    /// `at`, then its zones, quotes and own words (NULL when not asked for).
    fn archived(r: &rusqlite::Row<'_>, at: usize) -> Result<AuthorRow> {
        let id: String = r.get(at)?;
        let new_text: Option<String> = r.get(at + 11)?;
        let zones = crate::analysis::zones(&id, r.get_ref(at + 9)?.as_str_or_null()?)?;
        let quotes = crate::analysis::messages(
            &id,
            r.get_ref(at + 10)?.as_str_or_null()?,
            new_text.as_deref(),
        )?;
        Ok(AuthorRow {
            id,
            list: r.get(at + 1)?,
            thread_id: r.get(at + 2)?,
            parent: r.get(at + 3)?,
            author_name: r.get(at + 4)?,
            author_address: r.get(at + 5)?,
            via_list: r.get(at + 6)?,
            date: r.get(at + 7)?,
            body: r.get(at + 8)?,
            zones,
            quotes,
            new_text,
            reconstructed: false,
        })
    }
}

/// What people resolution reads of one archived message, kept in `author_sightings`
/// (computed by the caller from the message's [`AuthorRow`] the first time it is asked
/// for, and again whenever the message changes).
/// The last identity resolution (see [`Store::people_resolution`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleResolution {
    /// What the resolution read, hashed: observations, list addresses, lists,
    /// curation and the program.
    pub fingerprint: String,
    /// Per observation, the person it went to (`""` when that person was not kept).
    pub persons: Vec<String>,
    /// The people kept, in the resolver's order.
    pub order: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MessageSighting {
    pub name: Option<String>,
    pub address: Option<String>,
    pub date: Option<i64>,
    /// The author's own signature block, as people resolution reads it.
    pub signature: Option<String>,
    /// Addresses printed in the message's list footers (the list's, never a person's).
    pub footer_addresses: Vec<String>,
    /// The authors it quotes, in order.
    pub quoted: Vec<QuotedSighting>,
}

/// An author a message quotes.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuotedSighting {
    pub name: Option<String>,
    /// None when the attribution names the list (`X via List`).
    pub address: Option<String>,
    pub signature: Option<String>,
}

/// One message's sighting with what links to it.
#[derive(Debug, Clone)]
pub struct SightingRow {
    /// The archived message's `seq` (None for a reconstructed message).
    pub seq: Option<i64>,
    pub id: String,
    pub list: String,
    pub reconstructed: bool,
    pub sighting: MessageSighting,
}

/// The links [`Store::replace_people`] is to keep, written one at a time. They are held
/// compactly (a message's link is its `seq` and an index into the persons named), and
/// compared with the stored links when all are written.
#[derive(Default)]
pub struct PersonLinks {
    /// (seq, index into `persons`), in the order written.
    messages: Vec<(i64, u32)>,
    /// (kind, target) → index into `persons`; the last written wins.
    other: std::collections::HashMap<(String, String), u32>,
    persons: Vec<String>,
    person_index: std::collections::HashMap<String, u32>,
}

impl PersonLinks {
    fn person(&mut self, person: &str) -> u32 {
        if let Some(&i) = self.person_index.get(person) {
            return i;
        }
        let i = self.persons.len() as u32;
        self.persons.push(person.to_string());
        self.person_index.insert(person.to_string(), i);
        i
    }

    /// The archived message stored under `seq` is `person`'s (none when no message is
    /// stored under it).
    pub fn message(&mut self, seq: i64, person: &str) -> Result<()> {
        let p = self.person(person);
        self.messages.push((seq, p));
        Ok(())
    }

    /// `target` of `kind` (`reconstructed`, `speaker`, `turn`) is `person`'s.
    pub fn link(&mut self, kind: &str, target: &str, person: &str) -> Result<()> {
        let p = self.person(person);
        self.other.insert((kind.to_string(), target.to_string()), p);
        Ok(())
    }

    /// The message links by seq, the last written of a seq kept.
    fn messages_by_seq(&mut self) -> Vec<(i64, u32)> {
        let mut v = std::mem::take(&mut self.messages);
        // stable: among equal seqs the order written stands, and the last is kept (in
        // place: at a million messages a second vector would raise the peak)
        v.sort_by_key(|&(seq, _)| seq);
        v.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                *kept = *later;
                true
            } else {
                false
            }
        });
        v
    }
}

impl Store {
    /// Every archived message's sighting in `seq` order, then every reconstructed
    /// message's (its author and date: it has no analysis), to `f`, as
    /// [`Store::for_each_author`] would give their rows. Archived messages without a
    /// stored sighting (new, or changed since: see migration 6's triggers) are read whole
    /// once, passed to `compute`, and their sightings stored, so later calls read only
    /// the small `author_sightings` rows.
    pub fn for_each_sighting(
        &mut self,
        compute: impl Fn(&AuthorRow) -> MessageSighting,
        mut f: impl FnMut(SightingRow),
    ) -> Result<()> {
        // Messages without a stored sighting are decoded and written a chunk at a
        // time: a fresh import has a sighting to write for every message, and held
        // until the end they were the largest allocation of the whole import. They are
        // found through the smallest index of `messages` (the query needs their seqs
        // alone), not by reading the table's large rows.
        const CHUNK: usize = 2000;
        let mut missing: Vec<i64> = {
            let mut q = self.conn.prepare(
                "SELECT m.seq FROM messages m
                  WHERE NOT EXISTS (SELECT 1 FROM author_sightings s WHERE s.seq = m.seq)",
            )?;
            let v = q
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            v
        };
        missing.sort_unstable();
        for chunk in missing.chunks(CHUNK) {
            let mut computed: Vec<(i64, String, String, String)> = Vec::with_capacity(chunk.len());
            {
                let mut q = self.conn.prepare_cached(&format!(
                    "SELECT m.seq, {AUTHOR_COLUMNS}, m.zones, m.quotes, m.new_text
                       FROM messages m WHERE m.seq = ?1"
                ))?;
                for &seq in chunk {
                    let mut rows = q.query(params![seq])?;
                    let Some(r) = rows.next()? else { continue };
                    let row = AuthorRow::archived(r, 1)?;
                    let json = serde_json::to_string(&compute(&row)).map_err(|e| {
                        StoreError::Corrupt(format!(
                            "message {}: sighting does not serialise: {e}",
                            row.id
                        ))
                    })?;
                    computed.push((seq, row.id, row.list, json));
                }
            }
            let tx = self.conn.transaction()?;
            {
                let mut ins = tx.prepare_cached(
                    "INSERT OR REPLACE INTO author_sightings(seq, id, list, json)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (seq, id, list, json) in &computed {
                    ins.execute(params![seq, id, list, json])?;
                }
            }
            tx.commit()?;
        }
        drop(missing);
        let mut q = self
            .conn
            .prepare("SELECT id, list, json, seq FROM author_sightings ORDER BY seq")?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let sighting: MessageSighting =
                serde_json::from_str(r.get_ref(2)?.as_str()?).map_err(|e| {
                    StoreError::Corrupt(format!("message {id}: stored sighting does not read: {e}"))
                })?;
            f(SightingRow {
                seq: Some(r.get(3)?),
                id,
                list: r.get(1)?,
                reconstructed: false,
                sighting,
            });
        }
        let mut q = self.conn.prepare(
            "SELECT id, list, author_name, author_address, date FROM reconstructed ORDER BY id",
        )?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            f(SightingRow {
                seq: None,
                id: r.get(0)?,
                list: r.get(1)?,
                reconstructed: true,
                sighting: MessageSighting {
                    name: r.get(2)?,
                    address: r.get(3)?,
                    date: r.get(4)?,
                    ..MessageSighting::default()
                },
            });
        }
        Ok(())
    }

    /// Drops every stored sighting, so the next [`Store::for_each_sighting`] reads every
    /// message whole again (the full rebuild of people), and the last resolution's
    /// fingerprint, so the next resolution runs whole.
    pub fn forget_sightings(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM author_sightings", [])?;
        self.conn.execute("DELETE FROM people_resolution", [])?;
        Ok(())
    }

    /// The last identity resolution: the fingerprint of its input, and the person id
    /// each observation went to, in observation order (`""` for none kept), then the
    /// kept people in the resolver's order.
    pub fn people_resolution(&self) -> Result<Option<PeopleResolution>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT fingerprint, persons FROM people_resolution WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((fingerprint, json)) = row else {
            return Ok(None);
        };
        // a row that does not read is stale: the next resolution runs whole
        Ok(serde_json::from_str::<(Vec<String>, Vec<String>)>(&json)
            .ok()
            .map(|(persons, order)| PeopleResolution {
                fingerprint,
                persons,
                order,
            }))
    }

    /// Records the resolution just written (see [`Store::people_resolution`]).
    pub fn set_people_resolution(&mut self, r: &PeopleResolution) -> Result<()> {
        let json = serde_json::to_string(&(&r.persons, &r.order))
            .map_err(|e| StoreError::Corrupt(format!("people resolution: {e}")))?;
        self.conn.execute(
            "INSERT OR REPLACE INTO people_resolution(id, fingerprint, persons) VALUES (1, ?1, ?2)",
            params![r.fingerprint, json],
        )?;
        Ok(())
    }

    /// Every archived message, then every reconstructed one, to `f` (streamed).
    /// `with_analysis` reads each archived message's zones and quoted messages too.
    pub fn for_each_author(&self, with_analysis: bool, mut f: impl FnMut(AuthorRow)) -> Result<()> {
        let analysis_cols = if with_analysis {
            "m.zones, m.quotes"
        } else {
            "NULL, NULL"
        };
        let mut q = self.conn.prepare(&format!(
            "SELECT {AUTHOR_COLUMNS}, {analysis_cols}, m.new_text FROM messages m ORDER BY m.seq"
        ))?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            f(AuthorRow::archived(r, 0)?);
        }
        let mut q = self.conn.prepare(
            "SELECT id, list, thread_id, parent, author_name, author_address, via_list, date, body
                 FROM reconstructed ORDER BY id",
        )?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            let row = (|| -> rusqlite::Result<AuthorRow> {
                Ok(AuthorRow {
                    id: r.get(0)?,
                    list: r.get(1)?,
                    thread_id: r.get(2)?,
                    parent: r.get(3)?,
                    author_name: r.get(4)?,
                    author_address: r.get(5)?,
                    via_list: r.get(6)?,
                    date: r.get(7)?,
                    body: r.get(8)?,
                    zones: Vec::new(),
                    quotes: Vec::new(),
                    new_text: None,
                    reconstructed: true,
                })
            })()?;
            f(row);
        }
        Ok(())
    }

    /// Replaces the people and their links with `people` and the links `links` writes
    /// to its [`PersonLinks`]. Only what differs is written: after one new message, one
    /// person's record and one link change, not every row (the people set is rebuilt on
    /// every import). The wanted links are held compactly (16 bytes a message) and the
    /// stored ones streamed past them: at a million messages, comparing them in SQL
    /// through a temporary table cost a third of an incremental resolution, and maps of
    /// strings on both sides were the largest allocation of identity resolution.
    pub fn replace_people(
        &mut self,
        people: &[PersonRecord],
        links: impl FnOnce(&mut PersonLinks) -> Result<()>,
    ) -> Result<()> {
        use std::collections::HashMap;
        let mut stored_people: HashMap<String, (String, i64, String)> = HashMap::new();
        {
            let mut q = self
                .conn
                .prepare("SELECT id, name, messages, json FROM people")?;
            let mut rows = q.query([])?;
            while let Some(r) = rows.next()? {
                stored_people.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?));
            }
        }
        let mut wanted_people: HashMap<&str, (&str, i64, String)> = HashMap::new();
        for p in people {
            let json = serde_json::to_string(p).map_err(|e| {
                StoreError::Corrupt(format!("person {}: does not serialise: {e}", p.id))
            })?;
            let active = (p.messages + p.reconstructed) as i64;
            if wanted_people.contains_key(p.id.as_str()) {
                return Err(StoreError::Corrupt(format!("person {} twice", p.id)));
            }
            wanted_people.insert(&p.id, (&p.name, active, json));
        }
        let tx = self.conn.transaction()?;
        let mut changed = 0usize;
        {
            let mut del = tx.prepare_cached("DELETE FROM people WHERE id = ?1")?;
            for id in stored_people.keys() {
                if !wanted_people.contains_key(id.as_str()) {
                    changed += del.execute(params![id])?;
                }
            }
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO people(id, name, messages, json) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (id, (name, active, json)) in &wanted_people {
                let same = stored_people
                    .get(*id)
                    .is_some_and(|(n, a, j)| n == name && a == active && j == json);
                if !same {
                    changed += ins.execute(params![id, name, active, json])?;
                }
            }
        }
        let mut wanted = PersonLinks::default();
        // one link per archived message, as resolution writes them: sized once, since
        // growing by doubling held both vectors at once (at a million, 24 MB more)
        let messages: i64 = tx.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?;
        wanted
            .messages
            .reserve_exact(usize::try_from(messages).unwrap_or(0));
        links(&mut wanted)?;
        changed += write_links(&tx, wanted)?;
        if changed > 0 {
            crate::bump_generation(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// People, most active first (at most `limit`).
    pub fn people(&self, limit: usize) -> Result<Vec<PersonRecord>> {
        let mut q = self
            .conn
            .prepare("SELECT id, json FROM people ORDER BY messages DESC, name LIMIT ?")?;
        let mut rows = q.query([limit.min(i64::MAX as usize) as i64])?;
        let mut v = Vec::new();
        while let Some(r) = rows.next()? {
            v.push(person_of_row(r)?);
        }
        Ok(v)
    }

    /// One person.
    pub fn person(&self, id: &str) -> Result<Option<PersonRecord>> {
        let mut q = self
            .conn
            .prepare("SELECT id, json FROM people WHERE id = ?")?;
        let mut rows = q.query([id])?;
        rows.next()?.map(person_of_row).transpose()
    }

    /// Other people shown under the same name (namesakes, or one person the resolver
    /// kept apart).
    pub fn people_named(&self, name: &str, except: &str) -> Result<Vec<PersonRecord>> {
        let mut q = self
            .conn
            .prepare("SELECT id, json FROM people WHERE name = ?1 AND id != ?2 ORDER BY messages DESC LIMIT 20")?;
        let mut rows = q.query(params![name, except])?;
        let mut v = Vec::new();
        while let Some(r) = rows.next()? {
            v.push(person_of_row(r)?);
        }
        Ok(v)
    }

    /// The person behind a message, reconstructed message or speaker entry.
    pub fn person_of(&self, kind: &str, target: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT person FROM person_links WHERE kind = ? AND target = ?",
                [kind, target],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// What links to a person: (kind, target).
    pub fn links_of(&self, person: &str) -> Result<Vec<(String, String)>> {
        let mut q = self.conn.prepare(
            "SELECT kind, target FROM person_links WHERE person = ? ORDER BY kind, target",
        )?;
        let v = q
            .query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Persons of many targets of one kind at once: target → person.
    pub fn people_of(&self, kind: &str) -> Result<std::collections::HashMap<String, String>> {
        let mut q = self
            .conn
            .prepare("SELECT target, person FROM person_links WHERE kind = ?")?;
        let v = q
            .query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<std::collections::HashMap<_, _>, _>>()?;
        Ok(v)
    }

    /// Addresses of the lists (never identity keys).
    pub fn list_addresses(&self) -> Result<Vec<String>> {
        let mut q = self
            .conn
            .prepare("SELECT address FROM lists WHERE address IS NOT NULL")?;
        let v = q
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// (id, subject, date, thread id, list) of archived or reconstructed messages.
    pub fn message_summaries(
        &self,
        ids: &[String],
        reconstructed: bool,
    ) -> Result<Vec<MessageSummary>> {
        let sql = if reconstructed {
            "SELECT id, subject, date, thread_id, list, date_exact FROM reconstructed WHERE id = ?"
        } else {
            "SELECT id, subject, date, thread_id, list, 1 FROM messages WHERE id = ?"
        };
        let mut q = self.conn.prepare(sql)?;
        let mut out = Vec::new();
        for id in ids {
            let row = q
                .query_row([id], |r| {
                    let date_exact: bool = r.get(5)?;
                    Ok(MessageSummary {
                        id: r.get(0)?,
                        subject: r.get(1)?,
                        date: r
                            .get::<_, Option<i64>>(2)?
                            .map(|d| plenary_mail::date::record_date(d, date_exact)),
                        date_exact,
                        thread_id: r.get(3)?,
                        list: r.get(4)?,
                        reconstructed,
                    })
                })
                .optional()?;
            out.extend(row);
        }
        // Newest first. Called with one kind at a time; among recovered
        // messages a local time (offset unknown) ranks at its wall-clock
        // reading, off by at most the writer's offset (the page shows the day).
        out.sort_by(|a, b| b.date.cmp(&a.date));
        Ok(out)
    }

    /// People who wrote in the same threads as `person`, with the number of shared
    /// threads, most shared first.
    pub fn co_participants(&self, person: &str, limit: usize) -> Result<Vec<(String, u64)>> {
        let mut q = self
            .conn
            .prepare(
                "WITH mine AS (
                   SELECT DISTINCT m.thread_id AS t FROM person_links l JOIN messages m ON m.id = l.target
                   WHERE l.kind = 'message' AND l.person = ?1 AND m.thread_id IS NOT NULL
                   UNION
                   SELECT DISTINCT r.thread_id FROM person_links l JOIN reconstructed r ON r.id = l.target
                   WHERE l.kind = 'reconstructed' AND l.person = ?1 AND r.thread_id IS NOT NULL)
                 SELECT l.person, COUNT(DISTINCT x.t) FROM (
                   SELECT m.id AS id, 'message' AS kind, m.thread_id AS t FROM messages m WHERE m.thread_id IN (SELECT t FROM mine)
                   UNION ALL
                   SELECT r.id, 'reconstructed', r.thread_id FROM reconstructed r WHERE r.thread_id IN (SELECT t FROM mine)
                 ) x JOIN person_links l ON l.kind = x.kind AND l.target = x.id
                 WHERE l.person != ?1 GROUP BY l.person ORDER BY 2 DESC, 1 LIMIT ?2",
            )?;
        let v = q
            .query_map(params![person, limit as i64], |r| {
                Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }
}

/// A message as a person page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MessageSummary {
    pub id: String,
    pub subject: Option<String>,
    /// As in [`crate::ThreadMessage::date`]: UTC (`…Z`) when `date_exact`,
    /// else the writer's local time without a zone.
    pub date: Option<String>,
    /// Whether `date` is a UTC instant (false: local time, offset unknown).
    pub date_exact: bool,
    pub thread_id: Option<String>,
    pub list: String,
    pub reconstructed: bool,
}

/// A stored person; one that does not read is an error naming them, never dropped.
fn person_of_row(r: &rusqlite::Row<'_>) -> Result<PersonRecord> {
    let id: String = r.get(0)?;
    let json = r.get_ref(1)?.as_str()?;
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("person {id}: {e}")))
}

/// From this many message links to write on, they are written in bulk.
pub(crate) const BULK_LINKS: usize = 5000;

/// Makes the stored person links those `wanted` holds, writing only the rows that differ.
/// Returns how many rows changed.
fn write_links(tx: &rusqlite::Transaction<'_>, mut wanted: PersonLinks) -> Result<usize> {
    let messages = wanted.messages_by_seq();
    let persons = &wanted.persons;
    let person = |i: u32| persons.get(i as usize).map_or("", String::as_str);
    let mut changed = 0usize;
    // Message links: the stored ones by seq, each looked up among the wanted.
    let mut seen = vec![false; messages.len()];
    let mut upsert: Vec<(i64, u32)> = Vec::new();
    let mut remove: Vec<i64> = Vec::new();
    let mut stored = 0usize;
    {
        let mut q = tx.prepare(
            "SELECT m.seq, p.person FROM person_links p JOIN messages m ON m.id = p.target
              WHERE p.kind = 'message'",
        )?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            stored += 1;
            let seq: i64 = r.get(0)?;
            match messages.binary_search_by_key(&seq, |&(s, _)| s) {
                Ok(i) => {
                    seen[i] = true;
                    if person(messages[i].1) != r.get_ref(1)?.as_str()? {
                        upsert.push(messages[i]);
                    }
                }
                Err(_) => remove.push(seq),
            }
        }
    }
    let all: i64 = tx.query_row(
        "SELECT COUNT(*) FROM person_links WHERE kind = 'message'",
        [],
        |r| r.get(0),
    )?;
    if all as usize > stored {
        // links to messages no longer stored
        changed += tx.execute(
            "DELETE FROM person_links WHERE kind = 'message'
                AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = person_links.target)",
            [],
        )?;
    }
    upsert.extend(
        messages
            .iter()
            .zip(&seen)
            .filter(|(_, &s)| !s)
            .map(|(&m, _)| m),
    );
    {
        let mut del = tx.prepare_cached(
            "DELETE FROM person_links
              WHERE kind = 'message' AND target = (SELECT id FROM messages WHERE seq = ?1)",
        )?;
        for seq in remove {
            changed += del.execute(params![seq])?;
        }
        // (no row when no message is stored under the seq)
        if upsert.len() < BULK_LINKS {
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO person_links(kind, target, person)
                 SELECT 'message', id, ?2 FROM messages WHERE seq = ?1",
            )?;
            for (seq, p) in upsert {
                changed += ins.execute(params![seq, person(p)])?;
            }
        } else {
            // Many (a first resolution): by seq into a temporary table, then written
            // in the order of the links' key, which fills its B-tree in order.
            tx.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS new_message_links(
                   seq INTEGER PRIMARY KEY, person TEXT NOT NULL);
                 DELETE FROM temp.new_message_links;",
            )?;
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO temp.new_message_links(seq, person) VALUES (?1, ?2)",
            )?;
            for (seq, p) in upsert {
                ins.execute(params![seq, person(p)])?;
            }
            changed += tx.execute(
                "INSERT OR REPLACE INTO person_links(kind, target, person)
                 SELECT 'message', m.id, w.person
                   FROM temp.new_message_links w JOIN messages m ON m.seq = w.seq
                  ORDER BY m.id",
                [],
            )?;
            tx.execute("DELETE FROM temp.new_message_links", [])?;
        }
    }
    // Other links (reconstructed messages, speakers, turns): few, compared in memory.
    let mut other = std::mem::take(&mut wanted.other);
    let mut gone: Vec<(String, String)> = Vec::new();
    {
        let mut q =
            tx.prepare("SELECT kind, target, person FROM person_links WHERE kind <> 'message'")?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            let key: (String, String) = (r.get(0)?, r.get(1)?);
            match other.get(&key) {
                Some(&p) if person(p) == r.get_ref(2)?.as_str()? => {
                    other.remove(&key);
                }
                Some(_) => {}
                None => gone.push(key),
            }
        }
    }
    let mut del = tx.prepare_cached("DELETE FROM person_links WHERE kind = ?1 AND target = ?2")?;
    for (kind, target) in gone {
        changed += del.execute(params![kind, target])?;
    }
    let mut ins = tx.prepare_cached(
        "INSERT OR REPLACE INTO person_links(kind, target, person) VALUES (?1, ?2, ?3)",
    )?;
    for ((kind, target), p) in other {
        changed += ins.execute(params![kind, target, person(p)])?;
    }
    Ok(changed)
}
