//! `plenary eval reconstruction`: how trustworthy the messages recovered from
//! quotes are, judged against the archive itself (issue 12): how many have an
//! author and a date, how many duplicate a message the archive holds (the
//! original was archived but matching missed it), how many are thread roots,
//! and how many thread starters hang under a recovered parent.

use std::collections::HashMap;

use plenary_people::names::{name_key, names_match};
use plenary_store::Store;
use serde::Serialize;

use crate::error::Result;
use crate::reconstruct::{address_keys, full_text, AuthorIndex};

/// The figures, over one list or all.
#[derive(Debug, Default, Serialize)]
pub struct ReconstructionEval {
    pub reconstructed: usize,
    pub with_author: usize,
    pub with_date: usize,
    /// Recovered messages whose words (≥ 8 words, ≥ 50 % of their 3-shingles)
    /// are in an archived message of the same list by the same author (name
    /// or address), at any distance in time: the original was archived; or in
    /// that message's own words plus what it quoted (levels flattened, or its
    /// words misread as a quote) when it was written before the message that
    /// quotes it (a later self-quote is not the original).
    pub duplicates_of_archived: usize,
    /// Recovered messages quoting nothing recovered or archived: thread roots.
    pub roots: usize,
    /// Archived messages without an archived parent.
    pub starters: usize,
    /// Of those, hanging under a recovered message.
    pub starters_with_reconstructed_parent: usize,
    /// Up to 30 duplicates: (recovered id, archived id it duplicates).
    pub duplicate_examples: Vec<(String, String)>,
}

pub(crate) fn run(store: &Store, lists: &[String]) -> Result<ReconstructionEval> {
    let mut e = ReconstructionEval::default();
    for list in lists {
        let rows = store.reconstructed_rows(list)?;
        let starters = store.starters(list)?;
        e.starters += starters.len();
        e.starters_with_reconstructed_parent += starters
            .iter()
            .filter(|(_, q)| q.as_deref().is_some_and(|q| q.starts_with('r')))
            .count();
        if rows.is_empty() {
            continue;
        }
        let msgs = store.analysed_messages(list)?;
        let AuthorIndex { by_name, by_addr } = AuthorIndex::of(&msgs);
        let names: Vec<(&String, &Vec<usize>)> = by_name.iter().collect();
        let by_id: HashMap<&str, usize> = msgs
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let mut full: HashMap<usize, String> = HashMap::new();
        for r in &rows {
            e.reconstructed += 1;
            if r.author_name.is_some() || r.author_address.is_some() {
                e.with_author += 1;
            }
            if r.date.is_some() {
                e.with_date += 1;
            }
            if r.parent.is_none() {
                e.roots += 1;
            }
            let words = r
                .body
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            if words < 8 {
                continue;
            }
            let mut cands: Vec<usize> = Vec::new();
            for a in r
                .author_address
                .as_deref()
                .map(address_keys)
                .unwrap_or_default()
            {
                cands.extend(by_addr.get(&a).into_iter().flatten());
            }
            if let Some(n) = &r.author_name {
                for (k, v) in &names {
                    if **k == name_key(n)
                        || msgs[v[0]]
                            .author_name
                            .as_deref()
                            .is_some_and(|o| names_match(n, o))
                    {
                        cands.extend(v.iter());
                    }
                }
            }
            cands.sort_unstable();
            cands.dedup();
            let source_date = by_id.get(r.source_id.as_str()).and_then(|&i| msgs[i].date);
            let dup = cands.into_iter().find(|&c| {
                if msgs[c].id == r.source_id {
                    return false; // the message quoting it is not its original
                }
                let own = msgs[c].new_text.as_deref().unwrap_or("");
                let earlier = match (msgs[c].date, source_date) {
                    (Some(od), Some(sd)) => od <= sd + 3600,
                    _ => true,
                };
                plenary_quotes::containment(&r.body, own) >= 0.5
                    || (earlier && {
                        let f = full.entry(c).or_insert_with(|| full_text(&msgs[c]));
                        plenary_quotes::containment(&r.body, f) >= 0.5
                    })
            });
            if let Some(c) = dup {
                e.duplicates_of_archived += 1;
                if e.duplicate_examples.len() < 30 {
                    e.duplicate_examples
                        .push((r.id.clone(), msgs[c].id.clone()));
                }
            }
        }
    }
    Ok(e)
}
