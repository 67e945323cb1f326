//! Threads: derived from the stored headers by [`Store::rethread`] (JWZ linking and the
//! summaries are plenary-mail's pure `thread::{build_threads, summarize}`), and read back
//! as lists of threads or one thread in reply order.

use plenary_mail::date::rfc3339_utc;
use plenary_mail::thread::{build_threads, summarize, ThreadInput};
use rusqlite::{params, OptionalExtension};

use crate::{AuthorRef, Result, Store, StoreError, ThreadDetail, ThreadMessage, ThreadSummary};

/// Rows a rethread rewrites per transaction. A message row is rewritten whole (its raw
/// bytes included, about 2.3 pages), so one transaction for a list of 351k messages grew
/// the WAL by some 800k frames, and every page read meanwhile searched the WAL's index
/// segment by segment (`walFindFrame`: 8.8 of the 45.7 CPU-s of a 1M import's threads,
/// 0.04 at 100k). A list rewritten in several transactions is marked pending until its
/// threads are written, so an interrupted rethread is derived again whole
/// (`Store::pending_lists`).
const UPDATES_PER_TRANSACTION: usize = 4096;

/// How many new rows and how many rows in all [`Store::connected_part`] walks, one row read
/// at a time, before it gives up for a read of the whole list in its order. Walking pays
/// for a few new messages (one reply into a 1M store: 0.01–0.02 CPU-s against 1.1–1.5
/// reading its list); for many, or a large part (a long subject group with a reply without
/// reference headers), the random reads of a large store cost more than reading the list
/// (99 replies into a 1M store: the threads step of one list took 10.6 CPU-s walking up to
/// 2,048 rows and 7.4 walking up to 512, against 3.5–3.8 reading the list).
const PART_WALK_SEEDS: usize = 4;
const PART_WALK_LIMIT: usize = 128;

/// How far back a reply without reference headers may look for its subject.
pub const SUBJECT_WINDOW_SECS: i64 = 45 * 86400;

/// A neighbouring message: (id, subject).
pub type Neighbour = (String, String);

/// An archived message in a month view.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MonthMessage {
    pub id: String,
    pub subject: Option<String>,
    /// Name, else address.
    pub author: Option<String>,
    pub date: Option<String>,
    pub thread: Option<String>,
}

/// A message's place in its thread, for evaluation.
#[derive(Debug, Clone)]
pub struct ParentRow {
    pub id: String,
    pub parent: Option<String>,
    pub ghost_parent: Option<String>,
}

/// What rethreading the part of a list that new messages touched changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rethreaded {
    /// Threads of the list after rethreading (all of them, not only the touched).
    pub threads: usize,
    /// Ids of the threads that changed (sorted): every thread a message moved out of
    /// or into (another thread, another parent), and every thread whose summary row
    /// changed; after a whole-list rethread, every thread of the list before and after.
    /// A thread id among them that no longer exists was absorbed into another one.
    pub touched_threads: Vec<String>,
    /// How many messages were rethreaded (the connected part of the list).
    pub messages: usize,
    /// How many messages stored up to `since_seq` (for [`Store::rethread_since`]) now
    /// have another thread or parent: what was derived from their place may change.
    pub moved_earlier: usize,
}

/// One stored message as the threader reads it.
struct ThreadRow {
    seq: i64,
    thread_id: Option<String>,
    parent: Option<String>,
    ghost: Option<String>,
    subject: Option<String>,
}

/// Union-find over row positions (path halving), for the connected part of a list.
struct Components(Vec<usize>);

impl Components {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// The `thread_tokens` keys of a message's Message-ID tokens: its own Message-ID, its
/// In-Reply-To and each References entry (`refs` as stored, whitespace-separated), the
/// tokens `connected_rows` joins rows through; each key once. FNV-1a of the token's
/// text, written here rather than taken from a crate: the keys are stored.
pub(crate) fn token_keys(
    message_id: Option<&str>,
    in_reply_to: Option<&str>,
    refs: &str,
) -> Vec<i64> {
    let key = |t: &str| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in t.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h as i64
    };
    let mut keys: Vec<i64> = message_id
        .into_iter()
        .chain(in_reply_to)
        .chain(refs.split_whitespace())
        .map(key)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The rows the threader must see again when rows `seeds` are new: every row connected
/// to a seed, where two rows are connected when they share a Message-ID token (their own
/// Message-ID, In-Reply-To or a References entry: JWZ links only through such tokens'
/// containers), or share a normalised subject in a group holding a reply without
/// reference headers (the subject step links only within such a group). Rows outside
/// this set have the same inputs and the same connected rows as before the import, so
/// `build_threads` gives them the same parents and roots: threading the set alone,
/// in the list's order, equals threading the whole list (`thread::build_threads` runs
/// its steps per container and per subject, in input order).
fn connected_rows(inputs: &[ThreadInput], seeds: &[usize]) -> Vec<usize> {
    use std::collections::HashMap;
    let mut uf = Components((0..inputs.len()).collect());
    let mut first_of_token: HashMap<&str, usize> = HashMap::new();
    let mut subject_groups: HashMap<&str, (usize, bool)> = HashMap::new();
    for (i, m) in inputs.iter().enumerate() {
        let tokens = m
            .message_id
            .iter()
            .map(String::as_str)
            .chain(m.in_reply_to.iter().map(String::as_str))
            .chain(m.references());
        for t in tokens {
            match first_of_token.get(t) {
                Some(&j) => uf.union(i, j),
                None => {
                    first_of_token.insert(t, i);
                }
            }
        }
        if !m.thread_subject.is_empty() {
            let headerless_reply = m.is_reply && !m.has_reference_headers();
            let g = subject_groups
                .entry(m.thread_subject.as_str())
                .or_insert((i, false));
            g.1 |= headerless_reply;
        }
    }
    // a subject group joins only where the subject step can link within it
    for (i, m) in inputs.iter().enumerate() {
        if let Some(&(first, true)) = subject_groups.get(m.thread_subject.as_str()) {
            if !m.thread_subject.is_empty() {
                uf.union(i, first);
            }
        }
    }
    let roots: std::collections::HashSet<usize> = seeds.iter().map(|&s| uf.find(s)).collect();
    (0..inputs.len())
        .filter(|&i| roots.contains(&uf.find(i)))
        .collect()
}

impl Store {
    /// Rebuilds threads of the given lists (all lists when empty) from stored headers.
    pub fn rethread(&mut self, lists: &[String]) -> Result<usize> {
        let lists: Vec<String> = if lists.is_empty() {
            self.list_slugs()?
        } else {
            lists.to_vec()
        };
        let mut total_threads = 0;
        for list in lists {
            total_threads += self.rethread_list(&list, None)?.threads;
        }
        Ok(total_threads)
    }

    /// Rethreads only what the messages of `list` stored after `since_seq` can change:
    /// the rows connected to them (see the module's `connected_rows`), with the same
    /// result as [`Store::rethread`] of the whole list when the rest of the list was
    /// threaded before (the import's invariant). The list's thread inputs are read
    /// (a few short columns per message); only the connected rows are threaded and
    /// only their threads rewritten.
    pub fn rethread_since(&mut self, list: &str, since_seq: i64) -> Result<Rethreaded> {
        self.rethread_list(list, Some(since_seq))
    }

    /// The seqs (sorted) of `list`'s rows connected to its rows stored after `since`,
    /// as `connected_rows` defines them, found through `thread_tokens` and the
    /// (list, thread subject) index from the new rows outwards, not by reading the list:
    /// rows sharing a token key (a key two tokens share only adds rows, whole parts of
    /// the list, which thread as the whole list threads them), and every row of a subject
    /// group holding a reply without reference headers.
    ///
    /// None when it has more than `limit` rows, or more new rows than `seeds` (or
    /// `limit`): the caller reads the list whole.
    fn connected_part(
        &self,
        list: &str,
        since: i64,
        (seeds, limit): (usize, usize),
    ) -> Result<Option<Vec<i64>>> {
        use std::collections::HashSet;
        let mut q = self.conn.prepare_cached(
            "SELECT seq FROM messages INDEXED BY messages_list_seq WHERE list = ?1 AND seq > ?2",
        )?;
        let mut queue: Vec<i64> = q
            .query_map(params![list, since], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if queue.len() > seeds.min(limit) {
            return Ok(None);
        }
        let mut seen: HashSet<i64> = queue.iter().copied().collect();
        let mut part: Vec<i64> = Vec::new();
        let mut keys_done: HashSet<i64> = HashSet::new();
        let mut subjects_done: HashSet<String> = HashSet::new();
        let mut row = self.conn.prepare_cached(
            "SELECT list, message_id, in_reply_to, refs, thread_subject FROM messages WHERE seq = ?1",
        )?;
        let mut holding = self
            .conn
            .prepare_cached("SELECT seq FROM thread_tokens WHERE token = ?1")?;
        // whether a subject group holds a reply without reference headers: the partial
        // index holds only replies without In-Reply-To (few), their References checked here
        let mut headerless = self.conn.prepare_cached(
            "SELECT refs FROM messages INDEXED BY messages_headerless_replies
              WHERE list = ?1 AND thread_subject = ?2 AND is_reply AND in_reply_to IS NULL",
        )?;
        let mut group = self.conn.prepare_cached(
            "SELECT seq FROM messages INDEXED BY messages_list_subject
              WHERE list = ?1 AND thread_subject = ?2",
        )?;
        type PartRow = (String, Option<String>, Option<String>, String, String);
        while let Some(seq) = queue.pop() {
            let r: Option<PartRow> = row
                .query_row(params![seq], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            // gone, or another list's row holding a token of this list's
            let Some((row_list, message_id, in_reply_to, refs, subject)) = r else {
                continue;
            };
            if row_list != list {
                continue;
            }
            part.push(seq);
            if part.len() > limit {
                return Ok(None);
            }
            for key in token_keys(message_id.as_deref(), in_reply_to.as_deref(), &refs) {
                if !keys_done.insert(key) {
                    continue;
                }
                let held: Vec<i64> = holding
                    .query_map(params![key], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for s in held {
                    if seen.insert(s) {
                        queue.push(s);
                    }
                }
            }
            if !subject.is_empty() && !subjects_done.contains(&subject) {
                // (as `ThreadInput::has_reference_headers` reads them)
                let refs_of_replies: Vec<String> = headerless
                    .query_map(params![list, subject], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if refs_of_replies
                    .iter()
                    .any(|refs| refs.split_whitespace().next().is_none())
                {
                    let members: Vec<i64> = group
                        .query_map(params![list, subject], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    for s in members {
                        if seen.insert(s) {
                            queue.push(s);
                        }
                    }
                }
                subjects_done.insert(subject);
            }
        }
        part.sort_unstable();
        Ok(Some(part))
    }

    fn rethread_list(&mut self, list: &str, since_seq: Option<i64>) -> Result<Rethreaded> {
        self.rethread_list_batched(
            list,
            since_seq,
            UPDATES_PER_TRANSACTION,
            (PART_WALK_SEEDS, PART_WALK_LIMIT),
        )
    }

    /// [`Store::rethread_since`] (or, without `since_seq`, the whole list's rethread),
    /// rewriting at most `per_transaction` rows per transaction.
    pub(crate) fn rethread_list_batched(
        &mut self,
        list: &str,
        since_seq: Option<i64>,
        per_transaction: usize,
        walk_limit: (usize, usize),
    ) -> Result<Rethreaded> {
        let mut rows = Vec::new();
        let mut inputs = Vec::new();
        let mut push = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
            inputs.push(ThreadInput {
                id: r.get(1)?,
                message_id: r.get(2)?,
                in_reply_to: r.get(3)?,
                references: r.get(4)?,
                thread_subject: r.get(5)?,
                is_reply: r.get(6)?,
                date: r.get(7)?,
            });
            rows.push(ThreadRow {
                seq: r.get(0)?,
                thread_id: r.get(8)?,
                parent: r.get(9)?,
                ghost: r.get(10)?,
                subject: r.get(11)?,
            });
            Ok(())
        };
        // what the new rows connect to, walked from them when the part is small; else
        // (and for a whole-list rethread) the whole list, in its order
        let walked = match since_seq {
            Some(since) => self.connected_part(list, since, walk_limit)?,
            None => None,
        };
        const INPUTS: &str = "SELECT seq, id, message_id, in_reply_to, refs, thread_subject,
                                     is_reply, date, thread_id, parent, ghost_parent, subject
                                FROM messages";
        match &walked {
            Some(part) => {
                let mut q = self
                    .conn
                    .prepare_cached(&format!("{INPUTS} WHERE seq = ?1"))?;
                for &seq in part {
                    let mut it = q.query(params![seq])?;
                    if let Some(r) = it.next()? {
                        push(r)?;
                    }
                }
            }
            None => {
                let mut q = self.conn.prepare_cached(&format!(
                    "{INPUTS} INDEXED BY messages_list_seq WHERE list = ?1 ORDER BY seq"
                ))?;
                let mut it = q.query(params![list])?;
                while let Some(r) = it.next()? {
                    push(r)?;
                }
            }
        }
        // a part too large to walk: found among the list's rows
        if let (Some(since), None) = (since_seq, &walked) {
            let seeds: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.seq > since)
                .map(|(i, _)| i)
                .collect();
            let mut keep = vec![false; inputs.len()];
            for i in connected_rows(&inputs, &seeds) {
                keep[i] = true;
            }
            let mut k = keep.iter();
            inputs.retain(|_| k.next().copied().unwrap_or(false));
            let mut k = keep.iter();
            rows.retain(|_| k.next().copied().unwrap_or(false));
        }
        let links = build_threads(&inputs, SUBJECT_WINDOW_SECS);
        // (moved out: the rows need no subject after this)
        let subjects: Vec<Option<String>> = rows.iter_mut().map(|r| r.subject.take()).collect();
        let (ids, threads) = summarize(list, &inputs, &subjects, &links);
        // the rows whose place changed, and the threads they leave and join
        let mut touched: std::collections::BTreeSet<String> = Default::default();
        let mut moved_earlier = 0;
        let mut changed = Vec::new();
        for (i, ((link, row), tid)) in links.iter().zip(&rows).zip(&ids).enumerate() {
            let parent = link.parent.map(|p| inputs[p].id.as_str());
            let placed =
                row.thread_id.as_deref() == Some(tid.as_str()) && row.parent.as_deref() == parent;
            if !placed && since_seq.is_some_and(|s| row.seq <= s) {
                moved_earlier += 1;
            }
            let moved = !placed || row.ghost != link.ghost_parent;
            if moved {
                changed.push(i);
            }
            // a whole-list rethread rewrites every thread; an incremental one only those
            // a moved row leaves or joins (and, below, any whose summary changed): the
            // connected part is often far larger than what moved (a subject group, a
            // long References chain), and every thread touched is retagged
            if moved || since_seq.is_none() {
                touched.extend(row.thread_id.iter().cloned());
                touched.insert(tid.clone());
            }
        }
        if since_seq.is_some() {
            let mut stored = self.conn.prepare_cached(
                "SELECT subject, root_key, count, first, last FROM threads WHERE list = ?1 AND id = ?2",
            )?;
            for th in &threads {
                if touched.contains(&th.id) {
                    continue;
                }
                let same = stored
                    .query_row(params![list, th.id], |r| {
                        Ok(r.get::<_, String>(0)? == th.subject
                            && r.get::<_, String>(1)? == th.root_key
                            && r.get::<_, i64>(2)? == th.count
                            && r.get::<_, Option<i64>>(3)? == th.first
                            && r.get::<_, Option<i64>>(4)? == th.last)
                    })
                    .optional()?
                    .unwrap_or(false);
                if !same {
                    touched.insert(th.id.clone());
                }
            }
        }
        let update = |tx: &rusqlite::Transaction<'_>, part: &[usize]| -> Result<()> {
            let mut upd = tx.prepare_cached(
                "UPDATE messages SET thread_id = ?1, parent = ?2, ghost_parent = ?3, thread_evidence = ?4 WHERE seq = ?5",
            )?;
            for &i in part {
                let link = &links[i];
                upd.execute(params![
                    ids[i],
                    link.parent.map(|p| inputs[p].id.as_str()),
                    link.ghost_parent,
                    link.evidence.map_or("", |e| e.as_str()),
                    rows[i].seq
                ])?;
            }
            Ok(())
        };
        // Rewritten rows are committed a batch at a time, the list marked pending
        // meanwhile (see `UPDATES_PER_TRANSACTION`); the last batch goes with the threads.
        let parts: Vec<&[usize]> = changed.chunks(per_transaction.max(1)).collect();
        let (last, earlier) = parts
            .split_last()
            .map_or((&[][..], &[][..]), |(l, e)| (*l, e));
        let marked = !earlier.is_empty()
            && self.conn.execute(
                "INSERT OR IGNORE INTO pending_lists(slug) VALUES (?1)",
                params![list],
            )? == 1;
        for part in earlier {
            let tx = self.conn.transaction()?;
            update(&tx, part)?;
            crate::bump_generation(&tx)?;
            tx.commit()?;
        }
        let tx = self.conn.transaction()?;
        update(&tx, last)?;
        match since_seq {
            None => {
                tx.execute("DELETE FROM threads WHERE list = ?1", params![list])?;
                // thread ids may all have moved: the next import retags the list whole
                tx.execute("DELETE FROM list_derivation WHERE list = ?1", params![list])?;
            }
            Some(_) => {
                let mut del =
                    tx.prepare_cached("DELETE FROM threads WHERE list = ?1 AND id = ?2")?;
                for t in &touched {
                    del.execute(params![list, t])?;
                }
            }
        }
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO threads(id, list, subject, root_key, count, first, last) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            // (a whole-list rethread deleted them all; an incremental one the touched)
            for th in threads.iter().filter(|t| touched.contains(&t.id)) {
                ins.execute(params![
                    th.id,
                    list,
                    th.subject,
                    th.root_key,
                    th.count,
                    th.first,
                    th.last
                ])?;
            }
        }
        if marked {
            tx.execute("DELETE FROM pending_lists WHERE slug = ?1", params![list])?;
        }
        let total: i64 = tx.query_row(
            "SELECT COUNT(*) FROM threads WHERE list = ?1",
            params![list],
            |r| r.get(0),
        )?;
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(Rethreaded {
            threads: usize::try_from(total).unwrap_or(0),
            touched_threads: touched.into_iter().collect(),
            messages: rows.len(),
            moved_earlier,
        })
    }

    /// Every derived row of the store — messages' threads, parents, analyses and quote
    /// links; threads; reconstructed messages; tags; people and person links — one line
    /// per row, sorted within each table: two stores that derived the same give the same
    /// lines (how the tests check that incremental derivation equals a full one).
    pub fn derived_rows(&self) -> Result<Vec<String>> {
        const QUERIES: &[&str] = &[
            "SELECT 'message', id, thread_id, parent, ghost_parent, thread_evidence, quote_parent,
                    zones, new_text, quotes FROM messages",
            "SELECT 'thread', id, list, subject, root_key, count, first, last FROM threads",
            "SELECT 'reconstructed', id, list, thread_id, source_id, parent, depth, author_name,
                    author_address, via_list, date, date_exact, date_text, subject, body,
                    attribution, quoted_by FROM reconstructed",
            "SELECT 'tag', kind, target, framework, code, source, score, evidence FROM tags",
            "SELECT 'person', id, name, messages, json FROM people",
            "SELECT 'person_link', kind, target, person FROM person_links",
        ];
        let mut out = Vec::new();
        for sql in QUERIES {
            let mut q = self.conn.prepare(sql)?;
            let n = q.column_count();
            let mut rows = q.query([])?;
            let mut table = Vec::new();
            while let Some(r) = rows.next()? {
                let mut line = String::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("{v:?}\t"));
                }
                table.push(line);
            }
            table.sort();
            out.extend(table);
        }
        Ok(out)
    }

    /// The threads the given messages belong to (sorted, each once).
    pub fn threads_of_messages(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut q = self.conn.prepare_cached(
            "SELECT thread_id FROM messages WHERE id = ?1 AND thread_id IS NOT NULL",
        )?;
        let mut out = std::collections::BTreeSet::new();
        for id in ids {
            if let Some(t) = q
                .query_row(params![id], |r| r.get::<_, String>(0))
                .optional()?
            {
                out.insert(t);
            }
        }
        Ok(out.into_iter().collect())
    }

    /// How many threads of `list` carry a tag of the tagger.
    pub fn tagged_thread_count(&self, list: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(DISTINCT g.target) FROM tags g JOIN threads t ON t.id = g.target
              WHERE g.kind = 'thread' AND g.source = 'tagger' AND t.list = ?1",
            params![list],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Threads, newest activity first; optionally one list and threads active in one month (`YYYY-MM`).
    pub fn threads(
        &self,
        list: Option<&str>,
        month: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ThreadSummary>> {
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM threads t WHERE 1=1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(l) = list {
            sql.push_str(" AND t.list = ?");
            args.push(l.to_string().into());
        }
        if let Some(m) = month {
            let (start, end) =
                month_bounds(m).ok_or_else(|| StoreError::Corrupt(format!("not a month: {m}")))?;
            sql.push_str(
                " AND t.id IN (SELECT thread_id FROM messages WHERE date >= ? AND date < ?",
            );
            args.push(start.into());
            args.push(end.into());
            if let Some(l) = list {
                sql.push_str(" AND list = ?");
                args.push(l.to_string().into());
            }
            sql.push(')');
        }
        sql.push_str(" ORDER BY t.last DESC LIMIT ?");
        args.push((limit as i64).into());
        let mut q = self.conn.prepare(&sql)?;
        let v = q
            .query_map(rusqlite::params_from_iter(args), summary_row)?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// A thread with its messages in tree order (each reply after its parent, by date),
    /// messages recovered from quotes included and marked `reconstructed`.
    pub fn thread(&self, id: &str) -> Result<Option<ThreadDetail>> {
        let head = self
            .conn
            .query_row(
                "SELECT id, subject, list FROM threads WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, subject, list)) = head else {
            return Ok(None);
        };
        let mut q = self
            .conn
            .prepare(
                "SELECT m.id, COALESCE(m.parent, m.quote_parent), m.ghost_parent, m.subject, m.date,
                        m.author_name, m.author_address, NULL, 0, 1, pl.person, COALESCE(m.new_text, m.body)
                 FROM messages m LEFT JOIN person_links pl ON pl.kind = 'message' AND pl.target = m.id
                 WHERE m.thread_id = ?1
                 UNION ALL
                 SELECT r.id, r.parent, NULL, r.subject, r.date, r.author_name, r.author_address,
                        r.source_id, 1, r.date_exact, pl.person, r.body
                 FROM reconstructed r LEFT JOIN person_links pl ON pl.kind = 'reconstructed' AND pl.target = r.id
                 WHERE r.thread_id = ?1
                 ORDER BY 5, 1",
            )?;
        let flat = q
            .query_map(params![id], |r| {
                let date_exact: bool = r.get(9)?;
                Ok(ThreadMessage {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    ghost_parent: r.get(2)?,
                    subject: r.get(3)?,
                    date: r
                        .get::<_, Option<i64>>(4)?
                        .map(|d| plenary_mail::date::record_date(d, date_exact)),
                    date_exact,
                    author: AuthorRef {
                        name: r.get(5)?,
                        address: r.get(6)?,
                        person: r.get(10)?,
                    },
                    source: r.get(7)?,
                    reconstructed: r.get(8)?,
                    depth: 0,
                    text: r.get(11)?,
                    language: None,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(Some(ThreadDetail {
            id,
            subject,
            list,
            messages: tree_order(flat),
        }))
    }

    /// A list's archived messages dated in one month (`YYYY-MM`), oldest
    /// first, for pipermail-style month views (by date, author, subject, thread).
    pub fn month_messages(&self, list: &str, month: &str) -> Result<Vec<MonthMessage>> {
        let (start, end) = month_bounds(month)
            .ok_or_else(|| StoreError::Corrupt(format!("not a month: {month}")))?;
        let mut q = self.conn.prepare_cached(
            "SELECT id, subject, COALESCE(author_name, author_address), date, thread_id
               FROM messages WHERE list = ?1 AND date >= ?2 AND date < ?3
              ORDER BY date, seq",
        )?;
        let v = q
            .query_map(params![list, start, end], |r| {
                Ok(MonthMessage {
                    id: r.get(0)?,
                    subject: r.get(1)?,
                    author: r.get(2)?,
                    date: r.get::<_, Option<i64>>(3)?.map(rfc3339_utc),
                    thread: r.get(4)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// The archived messages just before and just after one in its list, by
    /// date (then import order): `(previous, next)` as (id, subject).
    pub fn date_neighbours(&self, id: &str) -> Result<(Option<Neighbour>, Option<Neighbour>)> {
        let Some((list, date, seq)) = self
            .conn
            .query_row(
                "SELECT list, COALESCE(date, 0), seq FROM messages WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional()?
        else {
            return Ok((None, None));
        };
        let one = |sql: &str| {
            self.conn
                .query_row(sql, params![list, date, seq], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    ))
                })
                .optional()
        };
        let prev = one(
            "SELECT id, subject FROM messages WHERE list = ?1 AND (COALESCE(date, 0), seq) < (?2, ?3)
             ORDER BY COALESCE(date, 0) DESC, seq DESC LIMIT 1",
        )?;
        let next = one(
            "SELECT id, subject FROM messages WHERE list = ?1 AND (COALESCE(date, 0), seq) > (?2, ?3)
             ORDER BY COALESCE(date, 0), seq LIMIT 1",
        )?;
        Ok((prev, next))
    }

    /// How many replies (messages with reference headers or a reply subject)
    /// were placed under a parent: `(replies, with archived parent, with ghost parent only)`.
    pub fn reply_placement(&self, list: Option<&str>) -> Result<(u64, u64, u64)> {
        let sql = "SELECT COUNT(*),
                          SUM(parent IS NOT NULL),
                          SUM(parent IS NULL AND ghost_parent IS NOT NULL)
                   FROM messages
                   WHERE (in_reply_to IS NOT NULL OR refs != '' OR is_reply)
                     AND (?1 IS NULL OR list = ?1)";
        Ok(self.conn.query_row(sql, params![list], |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0) as u64,
                r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u64,
            ))
        })?)
    }

    /// Parent ids of all messages (`id -> parent id`), for evaluation against ground truth.
    pub fn parents(&self) -> Result<Vec<ParentRow>> {
        let mut q = self
            .conn
            .prepare("SELECT id, parent, ghost_parent FROM messages")?;
        let v = q
            .query_map([], |r| {
                Ok(ParentRow {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    ghost_parent: r.get(2)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(v)
    }
}

/// The columns of a [`ThreadSummary`] over `threads t`, read by [`summary_row`]:
/// recovered messages and participants (archived and recovered authors, by person,
/// else address, else name) counted from the thread's rows.
pub(crate) const SUMMARY_COLUMNS: &str = "t.id, t.subject, t.list, t.count, t.first, t.last,
    (SELECT COUNT(*) FROM reconstructed r WHERE r.thread_id = t.id),
    (SELECT COUNT(DISTINCT who) FROM (
        SELECT COALESCE(pl.person, lower(m.author_address), m.author_name) AS who
          FROM messages m LEFT JOIN person_links pl ON pl.kind = 'message' AND pl.target = m.id
         WHERE m.thread_id = t.id
        UNION ALL
        SELECT COALESCE(pl.person, lower(r.author_address), r.author_name)
          FROM reconstructed r LEFT JOIN person_links pl ON pl.kind = 'reconstructed' AND pl.target = r.id
         WHERE r.thread_id = t.id))";

/// A row of [`SUMMARY_COLUMNS`].
pub(crate) fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ThreadSummary> {
    let count = r.get::<_, i64>(3)?.max(0) as u64;
    let recovered = r.get::<_, i64>(6)?.max(0) as u64;
    Ok(ThreadSummary {
        id: r.get(0)?,
        subject: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        list: r.get(2)?,
        count,
        recovered,
        messages: count + recovered,
        participants: r.get::<_, i64>(7)?.max(0) as u64,
        first: r.get::<_, Option<i64>>(4)?.map(rfc3339_utc),
        last: r.get::<_, Option<i64>>(5)?.map(rfc3339_utc),
    })
}

/// `YYYY-MM` → [start, end) in UTC seconds.
pub fn month_bounds(m: &str) -> Option<(i64, i64)> {
    let (y, mo) = m.split_once('-')?;
    let y: i16 = y.parse().ok()?;
    let mo: i8 = mo.parse().ok().filter(|m| (1..=12).contains(m))?;
    let start = jiff_month_start(y, mo)?;
    let (ny, nm) = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
    let end = jiff_month_start(ny, nm)?;
    Some((start, end))
}

fn jiff_month_start(y: i16, m: i8) -> Option<i64> {
    plenary_mail::date::civil_to_utc(i32::from(y), u8::try_from(m).ok()?, 1, 0, 0, 0)
}

/// Orders a thread's messages depth-first: each reply right after its parent,
/// siblings by date; messages whose parent is missing start new top-level branches.
///
/// The reply structure decides the order, not the clock: a quoted date whose
/// offset is unknown (`date_exact` false) is never compared as UTC against its
/// parent or its replies. Only among siblings (the SQL's `ORDER BY` date) does
/// such a local time rank at its wall-clock reading, so two siblings less than
/// the writer's offset apart (at most 14 h) may show in either order; each
/// message's `date_exact` says which times are local.
fn tree_order(flat: Vec<ThreadMessage>) -> Vec<ThreadMessage> {
    use std::collections::HashMap;
    let ids: HashMap<String, usize> = flat
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); flat.len()];
    let mut roots = Vec::new();
    for (i, m) in flat.iter().enumerate() {
        match m.parent.as_deref().and_then(|p| ids.get(p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(flat.len());
    let mut seen = vec![false; flat.len()];
    let mut stack: Vec<(usize, u32)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    while let Some((i, d)) = stack.pop() {
        if seen[i] {
            continue;
        }
        seen[i] = true;
        order.push((i, d));
        for &c in children[i].iter().rev() {
            stack.push((c, d + 1));
        }
    }
    // Anything unreachable (a cycle) goes last, flat.
    for (i, s) in seen.iter().enumerate() {
        if !s {
            order.push((i, 0));
        }
    }
    let mut slots: Vec<Option<ThreadMessage>> = flat.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, d)| {
            slots[i].take().map(|mut m| {
                m.depth = d;
                m
            })
        })
        .collect()
}

#[cfg(test)]
mod part_tests {
    use super::*;

    /// The part of a list found from its new rows through `thread_tokens` and the subject
    /// index is the part `connected_rows` finds reading the whole list, wherever the
    /// list is cut: References chains, a late root, a subject group with a reply without
    /// reference headers (joined whole) and one without (not joined), and another list's
    /// message sharing a token (not in the part).
    #[test]
    fn the_part_found_through_indexes_is_the_one_read_from_the_list() {
        let mut raws: Vec<String> = Vec::new();
        let mut add = |list: &str, id: &str, subject: &str, headers: &str, hour: u32| {
            raws.push(format!(
                "From: A <a@x.org>\nSubject: [{list}] {subject}\nList-Id: <{list}.x.org>\nMessage-ID: <{id}@x>\n{headers}Date: Tue, 1 Apr 2025 {hour:02}:00:00 +0000\n\nbody {id}\n"
            ));
        };
        add("l", "a", "Plan", "", 0);
        add("l", "b", "Re: Plan", "References: <a@x>\n", 1);
        add("l", "o", "Other", "", 2);
        add("l", "c", "Re: Plan", "", 3); // no reference headers: Plan joins by subject
        add("m", "z", "Re: Other", "References: <o@x>\n", 4); // another list
        add("l", "p", "Re: Other", "In-Reply-To: <o@x>\n", 5);
        add("l", "q", "Re: Budget", "References: <ghost@x> <d@x>\n", 6);
        add("l", "d", "Budget", "References: <ghost@x>\n", 7);
        add("l", "e", "Re: Other", "References: <o@x> <p@x>\n", 8);
        add("l", "f", "Lone", "", 9);
        add("l", "g", "Re: Lone", "In-Reply-To: <nowhere@x>\n", 10);
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("open");
        for r in &raws {
            s.insert_batch(vec![crate::tests::msg(r)]).expect("insert");
        }
        let mut q = s
            .conn
            .prepare(
                "SELECT seq, id, message_id, in_reply_to, refs, thread_subject, is_reply, date
                   FROM messages WHERE list = 'l' ORDER BY seq",
            )
            .expect("prepare");
        let rows: Vec<(i64, ThreadInput)> = q
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    ThreadInput {
                        id: r.get(1)?,
                        message_id: r.get(2)?,
                        in_reply_to: r.get(3)?,
                        references: r.get(4)?,
                        thread_subject: r.get(5)?,
                        is_reply: r.get(6)?,
                        date: r.get(7)?,
                    },
                ))
            })
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(rows.len(), 10);
        let inputs: Vec<ThreadInput> = rows.iter().map(|(_, i)| i.clone()).collect();
        let max = s.max_message_seq().expect("max");
        let mut sizes = Vec::new();
        for since in 0..=max {
            let seeds: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].0 > since).collect();
            let want: Vec<i64> = connected_rows(&inputs, &seeds)
                .into_iter()
                .map(|i| rows[i].0)
                .collect();
            let got = s
                .connected_part("l", since, (usize::MAX, usize::MAX))
                .expect("part")
                .expect("no limit");
            assert_eq!(got, want, "cut after seq {since}");
            // over the limit: none, for the list to be read whole
            let limited = s.connected_part("l", since, (usize::MAX, 2)).expect("part");
            assert_eq!(limited.is_none(), want.len() > 2, "cut after seq {since}");
            if let Some(small) = limited {
                assert_eq!(small, want);
            }
            sizes.push(got.len());
        }
        // the cuts give parts of several sizes, not all or nothing
        sizes.sort_unstable();
        sizes.dedup();
        assert!(sizes.len() >= 4, "{sizes:?}");
    }
}
