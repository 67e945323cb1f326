//! Threads: derived from the stored headers by [`Store::rethread`] (JWZ linking and the
//! summaries are plenary-mail's pure `thread::{build_threads, summarize}`), and read back
//! as lists of threads or one thread in reply order.

use plenary_mail::date::rfc3339_utc;
use plenary_mail::thread::{build_threads, summarize, ThreadInput};
use rusqlite::{params, OptionalExtension};

use crate::{AuthorRef, Result, Store, StoreError, ThreadDetail, ThreadMessage, ThreadSummary};

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
            let tx = self.conn.transaction()?;
            {
                let mut q = tx.prepare(
                    "SELECT seq, id, message_id, in_reply_to, refs, thread_subject, is_reply, date,
                                thread_id, parent, ghost_parent, subject
                         FROM messages WHERE list = ?1 ORDER BY seq",
                )?;
                struct Row {
                    seq: i64,
                    thread_id: Option<String>,
                    parent: Option<String>,
                    ghost: Option<String>,
                    subject: Option<String>,
                }
                let mut rows = Vec::new();
                let mut inputs = Vec::new();
                let mut it = q.query(params![list])?;
                while let Some(r) = it.next()? {
                    let refs: String = r.get(4)?;
                    inputs.push(ThreadInput {
                        id: r.get(1)?,
                        message_id: r.get(2)?,
                        in_reply_to: r.get(3)?,
                        references: refs.split_whitespace().map(str::to_string).collect(),
                        thread_subject: r.get(5)?,
                        is_reply: r.get(6)?,
                        date: r.get(7)?,
                    });
                    rows.push(Row {
                        seq: r.get(0)?,
                        thread_id: r.get(8)?,
                        parent: r.get(9)?,
                        ghost: r.get(10)?,
                        subject: r.get(11)?,
                    });
                }
                drop(it);
                let links = build_threads(&inputs, SUBJECT_WINDOW_SECS);
                let subjects: Vec<Option<String>> =
                    rows.iter().map(|r| r.subject.clone()).collect();
                let (ids, threads) = summarize(&list, &inputs, &subjects, &links);
                let mut upd = tx
                    .prepare_cached(
                        "UPDATE messages SET thread_id = ?1, parent = ?2, ghost_parent = ?3, thread_evidence = ?4 WHERE seq = ?5",
                    )?;
                for ((link, row), tid) in links.iter().zip(&rows).zip(&ids) {
                    let parent = link.parent.map(|p| inputs[p].id.clone());
                    if row.thread_id.as_deref() != Some(tid.as_str())
                        || row.parent != parent
                        || row.ghost != link.ghost_parent
                    {
                        upd.execute(params![
                            tid,
                            parent,
                            link.ghost_parent,
                            link.evidence.map_or("", |e| e.as_str()),
                            row.seq
                        ])?;
                    }
                }
                tx.execute("DELETE FROM threads WHERE list = ?1", params![list])?;
                let mut ins = tx
                    .prepare_cached(
                        "INSERT INTO threads(id, list, subject, root_key, count, first, last) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?;
                total_threads += threads.len();
                for th in threads {
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
            crate::bump_generation(&tx)?;
            tx.commit()?;
        }
        Ok(total_threads)
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
