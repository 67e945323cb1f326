//! A list's signature counts: how many messages of each author hold each candidate
//! block, kept so that an import counts only the messages that arrived (see
//! `migrations/012_signature_counts.sql`). The rules that make blocks and judge them are
//! `plenary_quotes`'s ([`plenary_quotes::SignatureLearner`] counts a whole list; this
//! module adds to what it counted, with the same rules, in the same order).

use std::collections::{HashMap, HashSet};

use plenary_quotes::SignatureCounts;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::{Result, Store, StoreError};

/// One counted message: its author's key and name, and its distinct candidate blocks
/// ([`plenary_quotes::signature_blocks`]).
#[derive(Debug, Clone)]
pub struct BodyBlocks {
    pub author: String,
    pub name: String,
    pub blocks: Vec<(u64, String)>,
}

/// A count as SQLite keeps it.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored count; a negative one (never written) reads as none.
fn counted(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// Hashes are kept as SQLite's signed integers, bit for bit.
fn stored_hash(h: u64) -> i64 {
    h as i64
}

fn signatures_json(sigs: Option<&Vec<String>>) -> Result<Option<String>> {
    sigs.filter(|s| !s.is_empty())
        .map(|s| {
            serde_json::to_string(s)
                .map_err(|e| StoreError::Corrupt(format!("learned signatures: {e}")))
        })
        .transpose()
}

impl Store {
    /// The last message (seq) of `list` its signature counts hold, when they were
    /// counted under `rules`; None when they must be counted from the start.
    pub fn signature_counts_up_to(&self, list: &str, rules: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT up_to_seq FROM signature_lists WHERE list = ?1 AND rules = ?2",
                params![list, rules],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Replaces `list`'s signature counts by `counts`, a count of its messages up to
    /// `up_to` (a seq) under `rules`, with the signatures learned from them.
    pub fn replace_signature_counts(
        &mut self,
        list: &str,
        rules: &str,
        up_to: i64,
        counts: &SignatureCounts,
        learned: &HashMap<String, Vec<String>>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        forget_list(&tx, list)?;
        tx.execute(
            "INSERT INTO signature_lists(list, rules, up_to_seq) VALUES (?1, ?2, ?3)",
            params![list, rules, up_to],
        )?;
        let list_id = tx.last_insert_rowid();
        let mut author_ids = Vec::with_capacity(counts.authors.len());
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO signature_authors(list_id, author, name, messages, signatures)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for a in &counts.authors {
                ins.execute(params![
                    list_id,
                    a.key,
                    a.name,
                    count(a.messages),
                    signatures_json(learned.get(&a.key))?
                ])?;
                author_ids.push(tx.last_insert_rowid());
            }
        }
        // in key order: a bulk load appends to the tables' b-trees
        let mut rows: Vec<(i64, i64, i64)> = Vec::new();
        let mut texts: Vec<(i64, &str)> = Vec::new();
        for b in &counts.blocks {
            let h = stored_hash(b.hash);
            for &(a, n) in &b.holders {
                if let Some(&id) = author_ids.get(a as usize) {
                    rows.push((h, id, count(n)));
                }
            }
            if let Some(t) = &b.text {
                texts.push((h, t));
            }
        }
        rows.sort_unstable();
        texts.sort_unstable();
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO signature_blocks(list_id, hash, author_id, messages)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (h, a, n) in rows {
                ins.execute(params![list_id, h, a, n])?;
            }
            let mut ins = tx.prepare_cached(
                "INSERT INTO signature_texts(list_id, hash, text) VALUES (?1, ?2, ?3)",
            )?;
            for (h, t) in texts {
                ins.execute(params![list_id, h, t])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Adds messages of `list` that arrived after its counts (in import order, up to
    /// `up_to`, a seq) to its signature counts, as [`plenary_quotes::SignatureLearner`]
    /// would have counted them after the others, and learns again the signatures of
    /// every author whose counts could have changed: the messages' authors and the
    /// other holders of their blocks. In one transaction. The list must be counted
    /// ([`Store::signature_counts_up_to`]).
    pub fn add_signature_counts(
        &mut self,
        list: &str,
        up_to: i64,
        bodies: &[BodyBlocks],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let list_id: i64 = tx
            .query_row(
                "SELECT id FROM signature_lists WHERE list = ?1",
                params![list],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("the signatures of list {list} are not counted"))
            })?;
        let mut ids: HashMap<&str, i64> = HashMap::new();
        let mut relearn: HashSet<i64> = HashSet::new();
        {
            let mut find = tx.prepare_cached(
                "SELECT id FROM signature_authors WHERE list_id = ?1 AND author = ?2",
            )?;
            let mut add_author = tx.prepare_cached(
                "INSERT INTO signature_authors(list_id, author, name, messages) VALUES (?1, ?2, ?3, 0)",
            )?;
            let mut one_more = tx.prepare_cached(
                "UPDATE signature_authors SET messages = messages + 1 WHERE id = ?1",
            )?;
            let mut holders = tx.prepare_cached(
                "SELECT author_id FROM signature_blocks WHERE list_id = ?1 AND hash = ?2",
            )?;
            let mut text = tx.prepare_cached(
                "SELECT text FROM signature_texts WHERE list_id = ?1 AND hash = ?2",
            )?;
            let mut add_text = tx.prepare_cached(
                "INSERT INTO signature_texts(list_id, hash, text) VALUES (?1, ?2, ?3)",
            )?;
            let mut held = tx.prepare_cached(
                "INSERT INTO signature_blocks(list_id, hash, author_id, messages) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT(list_id, hash, author_id) DO UPDATE SET messages = messages + 1",
            )?;
            for b in bodies {
                let author = match ids.get(b.author.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = match find
                            .query_row(params![list_id, b.author], |r| r.get::<_, i64>(0))
                            .optional()?
                        {
                            Some(id) => id,
                            None => {
                                add_author.execute(params![list_id, b.author, b.name])?;
                                tx.last_insert_rowid()
                            }
                        };
                        ids.insert(&b.author, id);
                        id
                    }
                };
                one_more.execute(params![author])?;
                relearn.insert(author);
                for (hash, block) in &b.blocks {
                    let h = stored_hash(*hash);
                    let by: Vec<i64> = holders
                        .query_map(params![list_id, h], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    if !by.is_empty() {
                        let seen: Option<String> = text
                            .query_row(params![list_id, h], |r| r.get(0))
                            .optional()?;
                        match seen {
                            // two blocks with one hash: the later one is not counted
                            Some(t) if t != *block => continue,
                            Some(_) => {}
                            None => {
                                add_text.execute(params![list_id, h, block])?;
                            }
                        }
                    }
                    held.execute(params![list_id, h, author])?;
                    relearn.extend(by);
                }
            }
        }
        let mut relearn: Vec<i64> = relearn.into_iter().collect();
        relearn.sort_unstable();
        for author in relearn {
            relearn_author(&tx, list_id, author)?;
        }
        tx.execute(
            "UPDATE signature_lists SET up_to_seq = ?2 WHERE id = ?1",
            params![list_id, up_to],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The signatures learned for `list`'s authors, by author key.
    pub fn learned_signatures(&self, list: &str) -> Result<HashMap<String, Vec<String>>> {
        let mut q = self.conn.prepare_cached(
            "SELECT a.author, a.signatures FROM signature_authors a
               JOIN signature_lists l ON l.id = a.list_id
              WHERE l.list = ?1 AND a.signatures IS NOT NULL",
        )?;
        let rows = q
            .query_map(params![list], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(author, json)| {
                let sigs: Vec<String> = serde_json::from_str(&json).map_err(|e| {
                    StoreError::Corrupt(format!("learned signatures of {author} in {list}: {e}"))
                })?;
                Ok((author, sigs))
            })
            .collect()
    }

    /// Drops every list's signature counts (their bodies were removed or rewritten):
    /// the next import counts each list again.
    pub fn forget_signature_counts(&mut self) -> Result<()> {
        forget_all(&self.conn)
    }
}

/// Drops every list's signature counts, within the caller's transaction or not.
pub(crate) fn forget_all(conn: &rusqlite::Connection) -> Result<()> {
    for t in [
        "signature_texts",
        "signature_blocks",
        "signature_authors",
        "signature_lists",
    ] {
        conn.execute(&format!("DELETE FROM {t}"), [])?;
    }
    Ok(())
}

fn forget_list(tx: &Transaction<'_>, list: &str) -> Result<()> {
    let id: Option<i64> = tx
        .query_row(
            "SELECT id FROM signature_lists WHERE list = ?1",
            params![list],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = id {
        tx.execute(
            "DELETE FROM signature_texts WHERE list_id = ?1",
            params![id],
        )?;
        tx.execute(
            "DELETE FROM signature_blocks WHERE list_id = ?1",
            params![id],
        )?;
        tx.execute(
            "DELETE FROM signature_authors WHERE list_id = ?1",
            params![id],
        )?;
        tx.execute("DELETE FROM signature_lists WHERE id = ?1", params![id])?;
    }
    Ok(())
}

/// Learns one author's signatures again from the stored counts: the blocks they hold in
/// at least three messages, judged with every holder's count
/// ([`plenary_quotes::signature_owner`], [`plenary_quotes::is_signature`]).
fn relearn_author(tx: &Transaction<'_>, list_id: i64, author: i64) -> Result<()> {
    let (name, total): (String, i64) = tx.query_row(
        "SELECT name, messages FROM signature_authors WHERE id = ?1",
        params![author],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut own = tx.prepare_cached(
        "SELECT hash FROM signature_blocks INDEXED BY signature_blocks_held
          WHERE author_id = ?1 AND messages >= 3",
    )?;
    let hashes: Vec<i64> = own
        .query_map(params![author], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut holders = tx.prepare_cached(
        "SELECT b.author_id, a.author, b.messages FROM signature_blocks b
           JOIN signature_authors a ON a.id = b.author_id
          WHERE b.list_id = ?1 AND b.hash = ?2",
    )?;
    let mut text =
        tx.prepare_cached("SELECT text FROM signature_texts WHERE list_id = ?1 AND hash = ?2")?;
    let mut sigs = Vec::new();
    for h in hashes {
        let Some(block): Option<String> = text
            .query_row(params![list_id, h], |r| r.get(0))
            .optional()?
        else {
            continue;
        };
        let by: Vec<(i64, String, i64)> = holders
            .query_map(params![list_id, h], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let keyed: Vec<(&str, usize)> = by
            .iter()
            .map(|(_, k, n)| (k.as_str(), counted(*n)))
            .collect();
        let Some((at, n, others)) = plenary_quotes::signature_owner(&keyed) else {
            continue;
        };
        if by.get(at).is_some_and(|(id, _, _)| *id == author)
            && plenary_quotes::is_signature(&block, &name, n, counted(total), others)
        {
            sigs.push(block);
        }
    }
    sigs.sort();
    sigs.truncate(16);
    tx.execute(
        "UPDATE signature_authors SET signatures = ?2 WHERE id = ?1",
        params![author, signatures_json(Some(&sigs))?],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenary_quotes::{AuthoredBody, SignatureLearner, SIGNATURE_RULES};

    /// A list's messages: authors with a repeated signature, one who stops using it
    /// (their share falls under a quarter), a block two authors share, one three share,
    /// and paragraphs seen once.
    fn messages() -> Vec<(String, String, String)> {
        let ana = "Ana Neves\nFCT - Fundacao para a Ciencia\n+351 213 924 300";
        let bob = "Bob Ray\nhttps://bob.example.org";
        let pair = "Meeting notes\nhttps://notes.example.org/weekly";
        let three = "Join us at the forum\nhttps://forum.example.org";
        let mut v = Vec::new();
        for i in 0..40 {
            let (key, name, body) = match i % 5 {
                0 | 1 => (
                    "ana@fct.pt",
                    "Ana Neves",
                    format!("Point {i} stands.\nIt does.\n\n{ana}\n"),
                ),
                2 if i < 15 => ("bob@x.org", "Bob Ray", format!("Yes {i}.\n\n{bob}\n")),
                2 => (
                    "bob@x.org",
                    "Bob",
                    format!("No signature now {i}.\nReally.\n"),
                ),
                3 => (
                    ["c@x.org", "d@x.org"][i % 2],
                    "Cee Dee",
                    format!("Notes {i}.\n\n{pair}\n"),
                ),
                _ => (
                    ["e@x.org", "f@x.org", "g@x.org"][i % 3],
                    "Eff",
                    format!("Forum {i}.\n\n{three}\n"),
                ),
            };
            v.push((key.to_string(), name.to_string(), body));
        }
        v
    }

    fn counted_whole(msgs: &[(String, String, String)]) -> SignatureCounts {
        let mut l = SignatureLearner::default();
        for (a, n, b) in msgs {
            l.add(AuthoredBody {
                author: a,
                name: n,
                body: b,
            });
        }
        l.into_counts()
    }

    /// Every stored count, by author key, not by row id.
    fn dump(s: &Store) -> Vec<String> {
        let mut out = Vec::new();
        let mut q = s
            .conn
            .prepare(
                "SELECT l.list || ' ' || l.up_to_seq || ' ' || a.author || ' ' || a.name || ' ' || a.messages || ' ' || COALESCE(a.signatures, '-')
                   FROM signature_authors a JOIN signature_lists l ON l.id = a.list_id",
            )
            .expect("authors");
        out.extend(
            q.query_map([], |r| r.get(0))
                .expect("q")
                .map(|r| r.expect("row")),
        );
        let mut q = s
            .conn
            .prepare(
                "SELECT b.hash || ' ' || a.author || ' ' || b.messages || ' ' || COALESCE(t.text, '-')
                   FROM signature_blocks b JOIN signature_authors a ON a.id = b.author_id
                   LEFT JOIN signature_texts t ON t.list_id = b.list_id AND t.hash = b.hash",
            )
            .expect("blocks");
        out.extend(
            q.query_map([], |r| r.get(0))
                .expect("q")
                .map(|r| r.expect("row")),
        );
        out.sort();
        out
    }

    /// Counting a list a few messages at a time after a first whole count gives the
    /// counts and signatures of counting it whole, wherever it is cut.
    #[test]
    fn counts_added_later_equal_a_whole_count() {
        let msgs = messages();
        let whole_counts = counted_whole(&msgs);
        let learned = whole_counts.signatures();
        assert_eq!(
            learned,
            plenary_quotes::learned_signatures(
                &msgs
                    .iter()
                    .map(|(a, n, b)| AuthoredBody {
                        author: a,
                        name: n,
                        body: b
                    })
                    .collect::<Vec<_>>()
            )
        );
        // the fixture exercises what it claims: Ana's block is learned, the shared ones not
        assert!(learned.contains_key("ana@fct.pt"), "{learned:?}");
        assert!(!learned.contains_key("e@x.org"), "{learned:?}");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut whole = Store::open(dir.path()).expect("open");
        whole
            .replace_signature_counts("l", SIGNATURE_RULES, 40, &whole_counts, &learned)
            .expect("replace");
        let want = dump(&whole);
        assert_eq!(whole.learned_signatures("l").expect("learned"), learned);
        for cut in [0, 1, 7, 12, 25, 39] {
            for step in [1, 3, 10] {
                let dir = tempfile::tempdir().expect("tempdir");
                let mut s = Store::open(dir.path()).expect("open");
                let first = counted_whole(&msgs[..cut]);
                s.replace_signature_counts(
                    "l",
                    SIGNATURE_RULES,
                    cut as i64,
                    &first,
                    &first.signatures(),
                )
                .expect("replace");
                assert_eq!(
                    s.signature_counts_up_to("l", SIGNATURE_RULES)
                        .expect("up to"),
                    Some(cut as i64)
                );
                let mut at = cut;
                for chunk in msgs[cut..].chunks(step) {
                    at += chunk.len();
                    let bodies: Vec<BodyBlocks> = chunk
                        .iter()
                        .map(|(a, n, b)| BodyBlocks {
                            author: a.clone(),
                            name: n.clone(),
                            blocks: plenary_quotes::signature_blocks(b),
                        })
                        .collect();
                    s.add_signature_counts("l", at as i64, &bodies)
                        .expect("add");
                }
                assert_eq!(dump(&s), want, "cut at {cut}, {step} at a time");
                assert_eq!(
                    s.learned_signatures("l").expect("learned"),
                    learned,
                    "cut at {cut}, {step} at a time"
                );
            }
        }
        // other rules, or counts forgotten: counted again from the start
        assert_eq!(whole.signature_counts_up_to("l", "other").expect("q"), None);
        whole.forget_signature_counts().expect("forget");
        assert_eq!(
            whole
                .signature_counts_up_to("l", SIGNATURE_RULES)
                .expect("q"),
            None
        );
        assert!(whole.learned_signatures("l").expect("learned").is_empty());
    }

    #[test]
    fn adding_to_a_list_never_counted_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path()).expect("open");
        let err = s
            .add_signature_counts("nowhere", 3, &[])
            .expect_err("uncounted");
        assert!(err.to_string().contains("nowhere"), "{err}");
    }
}
