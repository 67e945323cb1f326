//! Quote analysis at import, and reconstruction: every quoted message becomes
//! a member of its thread (`reconstructed`), unless the quote matches a
//! message already in the archive, and one quoted by several archived
//! messages becomes one reconstructed message.

use std::collections::HashMap;

use plenary_mail::ParsedMessage;
use plenary_people::{name_key, names_match, on_behalf_of};
use plenary_quotes::{LocalDateTime, Options, ZoneKind};
use plenary_store::{AnalysedMessage, NewReconstructed, Store, StoredAnalysis};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// Runs quote analysis on a decoded body. Never panics (a panic in the
/// analyser costs the analysis, not the message).
pub fn analyse(p: &ParsedMessage) -> Option<StoredAnalysis> {
    analyse_body(
        &p.body,
        p.author.name.as_deref(),
        p.author.address.as_deref(),
        p.date,
        &[],
    )
}

/// Quote analysis of a body with what is known of its message and its list's
/// learned footers.
pub fn analyse_body(
    body: &str,
    name: Option<&str>,
    address: Option<&str>,
    date: Option<plenary_mail::MailDate>,
    footers: &[String],
) -> Option<StoredAnalysis> {
    let date = date.and_then(|d| {
        let local = d.utc + i64::from(d.offset_seconds.unwrap_or(0));
        let ts = plenary_mail::date::utc_to_civil(local)?;
        Some(LocalDateTime {
            year: ts.0,
            month: ts.1,
            day: ts.2,
            hour: ts.3,
            minute: ts.4,
            has_time: true,
            offset_minutes: d.offset_seconds.map(|o| o / 60),
            day_month_ambiguous: false,
        })
    });
    let author = match (name, address) {
        (Some(n), Some(a)) => Some(format!("{n} <{a}>")),
        (Some(n), None) => Some(n.to_string()),
        (None, Some(a)) => Some(a.to_string()),
        (None, None) => None,
    };
    let opts = Options {
        author,
        date,
        footers: footers.to_vec(),
        ..Options::default()
    };
    let a = std::panic::catch_unwind(|| plenary_quotes::analyze_with(body, &opts)).ok()?;
    Some(StoredAnalysis::from_analysis(a))
}

fn words_key(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn short_hash(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// UTC seconds of an attribution date: exact with a written offset, else read as UTC.
pub(crate) fn utc_of(d: &LocalDateTime) -> Option<(i64, bool)> {
    let naive = plenary_mail::date::civil_to_utc(d.year, d.month, d.day, d.hour, d.minute, 0)?;
    match d.offset_minutes {
        Some(o) => Some((naive - i64::from(o) * 60, true)),
        None => Some((naive, false)),
    }
}

/// Re-runs quote analysis over every stored message of the given lists, with
/// each list's footer learned from its messages (the longest common line
/// suffix), then rebuilds reconstructions. Returns (messages analysed, reconstructed).
pub fn reanalyse(store: &mut Store, lists: &[String]) -> Result<(usize, usize)> {
    let mut analysed = 0;
    for list in lists {
        let bodies = store.bodies(list)?;
        // Learn from a spread sample: a footer is on (nearly) every message.
        let step = (bodies.len() / 200).max(1);
        let sample: Vec<&str> = bodies
            .iter()
            .step_by(step)
            .map(|b| b.body.as_str())
            .collect();
        let footers: Vec<String> = plenary_quotes::learned_footer(&sample)
            .into_iter()
            .collect();
        let mut rows = Vec::with_capacity(bodies.len());
        for b in &bodies {
            let d = b.date.map(|utc| plenary_mail::MailDate {
                utc,
                offset_seconds: b.date_offset,
            });
            let a = analyse_body(
                &b.body,
                b.author_name.as_deref(),
                b.author_address.as_deref(),
                d,
                &footers,
            );
            if let Some(a) = a {
                rows.push((b.id.clone(), a));
            }
        }
        analysed += rows.len();
        store.update_analyses(&rows)?;
    }
    let r = reconstruct(store, lists)?;
    Ok((analysed, r))
}

/// After an import: learns each list's footer (the longest common suffix of a sample of
/// its messages) and, when the built-in rules do not already know it, re-analyses the
/// messages that carry it, so custom footers stay out of everyone's text without a
/// `plenary reanalyze`. Returns how many messages were re-analysed.
pub fn apply_learned_footers(store: &mut Store, lists: &[String]) -> Result<usize> {
    let mut analysed = 0;
    for list in lists {
        // learn from a spread sample; only the messages carrying the footer are read whole
        let sampled = store.sample_bodies(list, 200)?;
        let sample: Vec<&str> = sampled.iter().map(|b| b.body.as_str()).collect();
        let footers: Vec<String> = plenary_quotes::learned_footer(&sample)
            .into_iter()
            .collect();
        let Some(first_line) = footers
            .first()
            .and_then(|f| f.lines().map(str::trim).find(|l| !l.is_empty()))
            .map(str::to_string)
        else {
            continue;
        };
        let date_of = |b: &plenary_store::StoredBody| {
            b.date.map(|utc| plenary_mail::MailDate {
                utc,
                offset_seconds: b.date_offset,
            })
        };
        // Already a footer to the built-in rules (Mailman, Sympa, …)? Then nothing changes.
        let probe = sampled
            .iter()
            .find(|b| b.body.contains(first_line.as_str()));
        let known = probe.is_some_and(|b| {
            analyse_body(&b.body, None, None, date_of(b), &[])
                .is_some_and(|a| a.has_zone(ZoneKind::ListFooter))
        });
        if known {
            continue;
        }
        let carriers = store.bodies_containing(list, &first_line)?;
        let mut rows = Vec::with_capacity(carriers.len());
        for b in &carriers {
            let a = analyse_body(
                &b.body,
                b.author_name.as_deref(),
                b.author_address.as_deref(),
                date_of(b),
                &footers,
            );
            if let Some(a) = a {
                rows.push((b.id.clone(), a));
            }
        }
        analysed += rows.len();
        store.update_analyses(&rows)?;
    }
    Ok(analysed)
}

/// Rebuilds the reconstructed messages of the given lists. Returns how many there are.
pub fn reconstruct(store: &mut Store, lists: &[String]) -> Result<usize> {
    let mut total = 0;
    for list in lists {
        let msgs = store.analysed_messages(list)?;
        let (rows, links) = reconstruct_list(list, &msgs);
        total += rows.len();
        store.replace_reconstructed(list, &rows, &links)?;
    }
    Ok(total)
}

fn reconstruct_list(
    list: &str,
    msgs: &[AnalysedMessage],
) -> (Vec<NewReconstructed>, Vec<(String, String)>) {
    let mut by_addr: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, m) in msgs.iter().enumerate() {
        if let Some(a) = &m.author_address {
            by_addr.entry(a.to_lowercase()).or_default().push(i);
        }
        if let Some(n) = &m.author_name {
            let k = name_key(n);
            if !k.is_empty() {
                by_name.entry(k).or_default().push(i);
            }
        }
    }
    let index: HashMap<&str, usize> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut rows: Vec<NewReconstructed> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();

    for m in msgs {
        let quotes = &m.quotes;
        if quotes.len() < 2 {
            continue;
        }
        // m's archived ancestors by headers: [parent, grandparent, …]
        let mut ancestors: Vec<usize> = Vec::new();
        let mut cur = m.parent.as_deref();
        while let Some(p) = cur {
            let Some(&pi) = index.get(p) else { break };
            if ancestors.len() >= 16 || ancestors.contains(&pi) {
                break;
            }
            ancestors.push(pi);
            cur = msgs[pi].parent.as_deref();
        }
        // node id of each quoted message: the archived original, a reconstructed one, or m itself
        let mut node: Vec<Option<String>> = vec![None; quotes.len()];
        node[0] = Some(m.id.clone());
        let mut row_of: Vec<Option<usize>> = vec![None; quotes.len()];
        for (i, q) in quotes.iter().enumerate().skip(1) {
            let text = q.text.trim();
            let words = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            let a = q.attribution.as_ref();
            let mut name = a.and_then(|a| a.normalized_name.clone().or_else(|| a.name.clone()));
            let mut address = a
                .filter(|a| a.via_list.is_none())
                .and_then(|a| a.address.clone())
                .map(|x| x.to_lowercase());
            // Outlook: "list on behalf of Person": the person wrote it, the address is the list's.
            if let Some(person) = name.as_deref().and_then(on_behalf_of) {
                name = Some(person);
                address = None;
            }
            if address
                .as_deref()
                .is_some_and(|x| x.contains("-bounces") || x.contains("-request@"))
            {
                address = None;
            }
            let date = a.and_then(|a| a.date.as_ref()).and_then(utc_of);
            if text.is_empty() && name.is_none() {
                continue;
            }
            if crate::takedown::is_removal_marker(text) {
                continue; // words a takedown removed: nothing to reconstruct
            }
            // 1. The original is archived: match by author, date and text.
            let mut cands: Vec<usize> = Vec::new();
            // The archived ancestor at the quote's depth is the likeliest original.
            if let Some(anc) = (q.depth as usize)
                .checked_sub(1)
                .and_then(|d| ancestors.get(d))
            {
                cands.push(*anc);
            }
            if let Some(ad) = &address {
                cands.extend(by_addr.get(ad).into_iter().flatten());
            }
            if let Some(n) = &name {
                cands.extend(by_name.get(&name_key(n)).into_iter().flatten());
            }
            let matched = cands.into_iter().find(|&c| {
                let o = &msgs[c];
                if o.id == m.id {
                    return false;
                }
                let same_author = match (&name, &o.author_name) {
                    (Some(n), Some(on)) => names_match(n, on),
                    _ => false,
                } || (address.is_some()
                    && address == o.author_address.as_ref().map(|x| x.to_lowercase()));
                if !same_author {
                    // an ancestor by headers may still be it, by its words alone
                    let own = o.new_text.as_deref().unwrap_or("");
                    return words >= 8 && plenary_quotes::containment(text, own) >= 0.6;
                }
                let near = match (date, o.date) {
                    (Some((d, exact)), Some(od)) => {
                        (d - od).abs() <= if exact { 600 } else { 15 * 3600 }
                    }
                    _ => true,
                };
                let own = o.new_text.as_deref().unwrap_or("");
                // A trimmed quote ("[...]") is matched by author and time alone.
                let dated = date.is_some() && o.date.is_some();
                near && ((words < 8 && dated) || plenary_quotes::containment(text, own) >= 0.5)
            });
            if let Some(c) = matched {
                node[i] = Some(msgs[c].id.clone());
                continue;
            }
            if words == 0 {
                continue; // nothing to reconstruct from
            }
            // 2. Reconstruct, once per (author, minute) or (author, opening words).
            let who = name
                .as_deref()
                .map(name_key)
                .or_else(|| address.clone())
                .unwrap_or_else(|| "unknown".to_string());
            let when = a.and_then(|a| a.date.as_ref()).map(|d| {
                format!(
                    "{:04}{:02}{:02}{:02}{:02}",
                    d.year, d.month, d.day, d.hour, d.minute
                )
            });
            let key = match when {
                Some(w) => format!("{who}|{w}"),
                None => format!("{who}|{}", words_key(text, 12)),
            };
            if let Some(&r) = by_key.get(&key) {
                let row = &mut rows[r];
                row.quoted_by += 1;
                if text.len() > row.body.len() {
                    row.body = text.to_string();
                }
                node[i] = Some(row.id.clone());
                row_of[i] = Some(r);
                continue;
            }
            let id = format!("r{}", short_hash(&format!("{list}\0{key}")));
            by_key.insert(key, rows.len());
            row_of[i] = Some(rows.len());
            node[i] = Some(id.clone());
            rows.push(NewReconstructed {
                id,
                thread_id: m.thread_id.clone(),
                source_id: m.id.clone(),
                parent: None,
                depth: q.depth,
                author_name: name,
                author_address: address,
                via_list: a.and_then(|a| a.via_list.clone()),
                date: date.map(|d| d.0),
                date_exact: date.map(|d| d.1).unwrap_or(false),
                date_text: a.and_then(|a| a.date_text.clone()),
                subject: a.and_then(|a| a.subject.clone()),
                body: text.to_string(),
                attribution: a.map(|a| a.raw.clone()),
                quoted_by: 1,
            });
        }
        // Links: each message's parent is the first message it quotes.
        for (i, q) in quotes.iter().enumerate().skip(1) {
            let Some(p) = q.parent else { continue };
            let (Some(child), Some(quoted)) = (node.get(p).cloned().flatten(), node[i].clone())
            else {
                continue;
            };
            if child == quoted {
                continue;
            }
            if p == 0 {
                if m.parent.is_none() && !links.iter().any(|(c, _)| *c == child) {
                    links.push((child, quoted));
                }
            } else if let Some(r) = row_of[p] {
                if rows[r].parent.is_none() && rows[r].id != quoted {
                    rows[r].parent = Some(quoted);
                }
            }
        }
    }
    (rows, links)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn am(id: &str, name: &str, date: i64, text: &str, quotes: Option<&str>) -> AnalysedMessage {
        AnalysedMessage {
            id: id.into(),
            thread_id: Some("t".into()),
            parent: None,
            author_name: Some(name.into()),
            author_address: None,
            date: Some(date),
            date_offset: None,
            new_text: Some(text.into()),
            quotes: quotes
                .map(|j| serde_json::from_str(j).expect("test quotes are JSON"))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn fuzzy_names() {
        assert!(names_match("G?bor Cs?rdi", "Gábor Csárdi"));
        assert!(names_match("Anderson,Brooke", "Brooke Anderson"));
        assert!(names_match("parminder", "Parminder Jeet Singh"));
        // every combining accent folds, not only a table's (ő, ş were missing)
        assert!(names_match("Tokes Odon", "Tőkés Ödön"));
        assert_eq!(name_key("Şahin, Tőkés"), "sahin tokes");
        assert!(!names_match("Peter Meissner", "Robert M. Flight"));
        assert_eq!(
            on_behalf_of("R-package-devel Im Auftrag von G?ran Brostr?m").as_deref(),
            Some("G?ran Brostr?m")
        );
    }

    #[test]
    fn quotes_become_one_reconstructed_message_or_match_the_original() {
        let q = r#"[{"depth":0,"parent":null,"attribution":null,"text":"top"},
            {"depth":1,"parent":0,"attribution":{"raw":"On … Ana wrote:","name":"Ana Neves","normalized_name":"Ana Neves","address":null,"via_list":null,"date":{"year":2025,"month":7,"day":23,"hour":18,"minute":36,"offset_minutes":null},"date_text":"2025/07/23 18:36","subject":null},"text":"Thanks, Paul, for bringing up the CSTD"},
            {"depth":2,"parent":1,"attribution":{"raw":"De: Paul","name":"Blaker, Paul (DSIT)","normalized_name":"Paul Blaker","address":null,"via_list":"WG-Strategy","date":null,"date_text":null,"subject":"Re: x"},"text":"The CSTD could be leveraged more"}]"#;
        let msgs = vec![
            am(
                "paul@x",
                "Paul Blaker",
                1_753_000_000,
                "The CSTD could be leveraged more effectively here",
                None,
            ),
            am("a@x", "Anriette", 1_753_295_434, "top", Some(q)),
            am("b@x", "Someone", 1_753_300_000, "again", Some(q)),
        ];
        let (rows, links) = reconstruct_list("l", &msgs);
        assert_eq!(
            rows.len(),
            1,
            "Ana's message once; Paul's matched to his archived original"
        );
        assert_eq!(rows[0].author_name.as_deref(), Some("Ana Neves"));
        assert_eq!(rows[0].quoted_by, 2);
        assert_eq!(rows[0].parent.as_deref(), Some("paul@x"));
        assert!(links.contains(&("a@x".to_string(), rows[0].id.clone())));
    }
}
