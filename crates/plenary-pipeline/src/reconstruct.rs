//! Quote analysis at import, and reconstruction: every quoted message becomes
//! a member of its thread (`reconstructed`), unless the quote matches a
//! message already in the archive, and one quoted by several archived
//! messages becomes one reconstructed message.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use plenary_mail::ParsedMessage;
use plenary_people::{address_key, name_key, names_match, obfuscated_key, on_behalf_of};
use plenary_quotes::{LocalDateTime, Options, ZoneKind};
use plenary_store::{AnalysedMessage, NewReconstructed, Store, StoredAnalysis};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::quote_evidence::{
    message_ids, own_words, person_address, person_name, prose_words, same_day_time, without_urls,
    TextIndex,
};

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
    analyse_body_with(body, name, address, date, footers, &[])
}

/// [`analyse_body`] with the author's learned signature blocks.
pub fn analyse_body_with(
    body: &str,
    name: Option<&str>,
    address: Option<&str>,
    date: Option<plenary_mail::MailDate>,
    footers: &[String],
    signatures: &[String],
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
        signatures: signatures.to_vec(),
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

/// The UTC seconds an attribution date may stand for, with whether its
/// offset is known and how far off it may be: a day without a time is any
/// time that day, and `06/07/2021` is June 7 or July 6.
fn date_readings(d: &LocalDateTime) -> Vec<(i64, bool, i64)> {
    let slack = if d.has_time { 0 } else { 24 * 3600 };
    let mut v: Vec<(i64, bool, i64)> = utc_of(d).map(|(u, e)| (u, e, slack)).into_iter().collect();
    if d.day_month_ambiguous {
        let swapped = LocalDateTime {
            month: d.day,
            day: d.month,
            day_month_ambiguous: false,
            ..*d
        };
        v.extend(utc_of(&swapped).map(|(u, e)| (u, e, slack)));
    }
    v
}

/// The keys an address is known by: as written, and the key of R's
/// obfuscated forms, so a quote's clear address finds its obfuscated sender.
pub(crate) fn address_keys(a: &str) -> Vec<String> {
    let mut v: Vec<String> = address_key(a)
        .into_iter()
        .chain(obfuscated_key(a))
        .collect();
    v.dedup();
    v
}

/// Whose signatures a stored body's are: its address, else its name.
fn author_key(b: &plenary_store::StoredBody) -> Option<String> {
    author_key_of(b.author_name.as_deref(), b.author_address.as_deref())
}

/// [`author_key`] of an author's name and address.
fn author_key_of(name: Option<&str>, address: Option<&str>) -> Option<String> {
    address
        .map(str::to_lowercase)
        .or_else(|| name.map(name_key))
        .filter(|k| !k.is_empty())
}

/// How many bodies a list is read by at a time (learning signatures, re-analysing).
const BODY_PAGE: usize = 1000;

/// Calls `f` with each page of a list's messages, in import order. `f` may write to
/// the store between pages.
fn for_each_body_page(
    store: &mut Store,
    list: &str,
    f: impl FnMut(&mut Store, Vec<plenary_store::StoredBody>) -> Result<()>,
) -> Result<()> {
    for_each_body_page_after(store, list, i64::MIN, f)
}

/// [`for_each_body_page`] over the messages stored after `after` (a seq).
fn for_each_body_page_after(
    store: &mut Store,
    list: &str,
    mut after: i64,
    mut f: impl FnMut(&mut Store, Vec<plenary_store::StoredBody>) -> Result<()>,
) -> Result<()> {
    loop {
        let page = store.body_page(list, after, BODY_PAGE)?;
        let Some(&(last, _)) = page.last() else {
            return Ok(());
        };
        after = last;
        let full = page.len() == BODY_PAGE;
        f(store, page.into_iter().map(|(_, b)| b).collect())?;
        if !full {
            return Ok(());
        }
    }
}

/// The signatures each author of a list repeats without a delimiter. The store keeps
/// the list's signature counts (how many messages of each author hold each candidate
/// block): only the messages stored since are read and counted, and only the authors
/// whose counts they touch are judged again. A list not counted yet (or counted under
/// other rules) is read whole, a page of bodies at a time, and its counts kept.
fn learned_signatures(store: &mut Store, list: &str) -> Result<HashMap<String, Vec<String>>> {
    let rules = plenary_quotes::SIGNATURE_RULES;
    if let Some(mut after) = store.signature_counts_up_to(list, rules)? {
        loop {
            let page = store.body_page(list, after, BODY_PAGE)?;
            let Some(&(last, _)) = page.last() else {
                break;
            };
            let full = page.len() == BODY_PAGE;
            let counted: Vec<plenary_store::BodyBlocks> = page
                .iter()
                .filter_map(|(_, b)| {
                    Some(plenary_store::BodyBlocks {
                        author: author_key(b)?,
                        name: b.author_name.clone().unwrap_or_default(),
                        blocks: plenary_quotes::signature_blocks(&b.body),
                    })
                })
                .collect();
            store.add_signature_counts(list, last, &counted)?;
            after = last;
            if !full {
                break;
            }
        }
        return Ok(store.learned_signatures(list)?);
    }
    let mut learner = plenary_quotes::SignatureLearner::default();
    let mut up_to = i64::MIN;
    loop {
        let page = store.body_page(list, up_to, BODY_PAGE)?;
        let Some(&(last, _)) = page.last() else {
            break;
        };
        let full = page.len() == BODY_PAGE;
        for (_, b) in &page {
            if let Some(k) = author_key(b) {
                learner.add(plenary_quotes::AuthoredBody {
                    author: &k,
                    name: b.author_name.as_deref().unwrap_or(""),
                    body: &b.body,
                });
            }
        }
        up_to = last;
        if !full {
            break;
        }
    }
    let counts = learner.into_counts();
    let learned = counts.signatures();
    store.replace_signature_counts(list, rules, up_to, &counts, &learned)?;
    Ok(learned)
}

fn date_of(b: &plenary_store::StoredBody) -> Option<plenary_mail::MailDate> {
    b.date.map(|utc| plenary_mail::MailDate {
        utc,
        offset_seconds: b.date_offset,
    })
}

/// A stored body analysed again with the list's footers and its author's signatures.
fn analyse_stored(
    b: &plenary_store::StoredBody,
    footers: &[String],
    signatures: &[String],
) -> Option<StoredAnalysis> {
    analyse_body_with(
        &b.body,
        b.author_name.as_deref(),
        b.author_address.as_deref(),
        date_of(b),
        footers,
        signatures,
    )
}

/// Re-runs quote analysis over every stored message of the given lists, with
/// each list's footer learned from its messages (the longest common line
/// suffix), then rebuilds reconstructions. Returns (messages analysed, reconstructed).
pub fn reanalyse(store: &mut Store, lists: &[String]) -> Result<(usize, usize)> {
    let mut analysed = 0;
    for list in lists {
        // every analysis is rewritten: the next import applies the learned ones anew
        store.forget_learned_applied(Some(list))?;
        // Learn from a spread sample: a footer is on (nearly) every message.
        let sampled = store.sample_bodies(list, 200)?;
        let sample: Vec<&str> = sampled.iter().map(|b| b.body.as_str()).collect();
        let footers: Vec<String> = plenary_quotes::learned_footers(&sample);
        drop(sampled);
        let signatures = learned_signatures(store, list)?;
        for_each_body_page(store, list, |store, page| {
            let mut rows = Vec::with_capacity(page.len());
            for b in &page {
                let sigs = author_key(b)
                    .and_then(|k| signatures.get(&k))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                if let Some(a) = analyse_stored(b, &footers, sigs) {
                    rows.push((b.id.clone(), a));
                }
            }
            analysed += rows.len();
            store.update_analyses(&rows)?;
            Ok(())
        })?;
    }
    let r = reconstruct(store, lists)?;
    Ok((analysed, r))
}

/// After an import: learns each list's footer (the longest common suffix of a sample of
/// its messages) and, when the built-in rules do not already know it, re-analyses the
/// messages that carry it, so custom footers stay out of everyone's text without a
/// `plenary reanalyze`. Returns how many messages were re-analysed.
pub fn apply_learned_footers(store: &mut Store, lists: &[String]) -> Result<usize> {
    Ok(apply_learned_footers_changed(store, lists)?.0)
}

/// [`apply_learned_footers`], also returning the ids of the messages whose stored
/// analysis changed (their own words, and so their tags, may differ).
pub(crate) fn apply_learned_footers_changed(
    store: &mut Store,
    lists: &[String],
) -> Result<(usize, Vec<String>)> {
    let mut analysed = 0;
    let mut changed = Vec::new();
    for list in lists {
        // learn from a spread sample; only the messages carrying the footer are read whole
        let sampled = store.sample_bodies(list, 200)?;
        let sample: Vec<&str> = sampled.iter().map(|b| b.body.as_str()).collect();
        let mut footers: Vec<String> = plenary_quotes::learned_footers(&sample);
        let first_line = |f: &String| {
            f.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_string)
        };
        // Already a footer to the built-in rules (Mailman, Sympa, …)? Then nothing changes.
        footers.retain(|f| {
            let Some(first) = first_line(f) else {
                return false;
            };
            !sampled
                .iter()
                .find(|b| b.body.contains(first.as_str()))
                .is_some_and(|b| {
                    analyse_body(&b.body, None, None, date_of(b), &[])
                        .is_some_and(|a| a.has_zone(ZoneKind::ListFooter))
                })
        });
        drop(sampled);
        let firsts: Vec<String> = footers.iter().filter_map(first_line).collect();
        // Signatures each author repeats without a `-- `: their messages that
        // carry one are analysed again with them (and the list's footer); messages
        // that carry the footer, with the footer. A page at a time, written as it goes.
        let signatures = learned_signatures(store, list)?;
        // When the last pass applied these same footers and signatures, the messages it
        // went over carry them already (a message's analysis depends on its body, the
        // footers and its author's signatures alone): only the newer ones are gone over.
        // When it applied the same footers and only some authors' signatures changed,
        // those authors' messages are gone over too; otherwise the whole list is.
        let digest = learned_digest(&footers, &signatures);
        let footers_digest = learned_digest(&footers, &HashMap::new());
        let (after, changed_authors) = match store.learned_applied(list)? {
            Some((d, up_to)) if d == digest => (up_to, HashSet::new()),
            Some((_, up_to)) => match store.learned_applied_signatures(list)? {
                Some((fd, applied)) if fd == footers_digest => {
                    (up_to, changed_authors(&applied, &signatures))
                }
                _ => (i64::MIN, HashSet::new()),
            },
            None => (i64::MIN, HashSet::new()),
        };
        let applied = Some((footers_digest.as_str(), &signatures));
        if firsts.is_empty() && signatures.is_empty() {
            store.set_learned_applied(list, &digest, applied)?;
            continue;
        }
        let mut go_over = |store: &mut Store, page: &[plenary_store::StoredBody]| {
            let mut rows: Vec<(String, StoredAnalysis)> = Vec::new();
            for b in page {
                if let Some(a) = analysed_with_learned(b, &footers, &firsts, &signatures) {
                    rows.push((b.id.clone(), a));
                }
            }
            analysed += rows.len();
            changed.extend(store.update_analyses(&rows)?);
            Ok::<(), crate::error::PipelineError>(())
        };
        if !changed_authors.is_empty() {
            for seqs in messages_of(store, list, after, &changed_authors)?.chunks(BODY_PAGE) {
                let page = store.bodies_by_seq(seqs)?;
                go_over(store, &page)?;
            }
        }
        for_each_body_page_after(store, list, after, |store, page| go_over(store, &page))?;
        store.set_learned_applied(list, &digest, applied)?;
    }
    Ok((analysed, changed))
}

/// A stored body analysed again with what its list learned, when it carries any of it:
/// its author's signatures (when it holds the first line of one), else the list's
/// footers (when it holds the first line of one). None: it carries none of it, and its
/// analysis stays as it is.
fn analysed_with_learned(
    b: &plenary_store::StoredBody,
    footers: &[String],
    firsts: &[String],
    signatures: &HashMap<String, Vec<String>>,
) -> Option<StoredAnalysis> {
    let sigs = author_key(b)
        .and_then(|k| signatures.get(&k))
        .filter(|sigs| {
            sigs.iter()
                .any(|s| s.lines().next().is_some_and(|first| b.body.contains(first)))
        });
    match sigs {
        Some(sigs) => analyse_stored(b, footers, sigs),
        None if firsts.iter().any(|f| b.body.contains(f.as_str())) => {
            analyse_stored(b, footers, &[])
        }
        None => None,
    }
}

/// The authors whose signatures differ between two learnings (either way).
fn changed_authors(
    before: &HashMap<String, Vec<String>>,
    now: &HashMap<String, Vec<String>>,
) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::new();
    for (k, v) in now {
        if before.get(k) != Some(v) {
            out.insert(k.clone());
        }
    }
    for k in before.keys() {
        if !now.contains_key(k) {
            out.insert(k.clone());
        }
    }
    out
}

/// The seqs of `list`'s messages up to `up_to` written by any of `authors` (by
/// [`author_key`]), in import order: read by author, not by body.
fn messages_of(
    store: &Store,
    list: &str,
    up_to: i64,
    authors: &HashSet<String>,
) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    let mut after = i64::MIN;
    loop {
        let page = store.author_page(list, after, up_to, 10 * BODY_PAGE)?;
        let Some(&(last, _, _)) = page.last() else {
            break;
        };
        let full = page.len() == 10 * BODY_PAGE;
        for (seq, name, address) in page {
            if author_key_of(name.as_deref(), address.as_deref())
                .is_some_and(|k| authors.contains(&k))
            {
                out.push(seq);
            }
        }
        after = last;
        if !full {
            break;
        }
    }
    Ok(out)
}

/// A digest of a list's learned footers and signatures, and of the program that
/// applies them.
fn learned_digest(footers: &[String], signatures: &HashMap<String, Vec<String>>) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for f in footers {
        h.update(b"\0footer\0");
        h.update(f.as_bytes());
    }
    let mut authors: Vec<&String> = signatures.keys().collect();
    authors.sort();
    for a in authors {
        h.update(b"\0author\0");
        h.update(a.as_bytes());
        for sig in signatures.get(a).into_iter().flatten() {
            h.update(b"\0signature\0");
            h.update(sig.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Rebuilds the reconstructed messages of the given lists. Returns how many there are.
pub fn reconstruct(store: &mut Store, lists: &[String]) -> Result<usize> {
    let mut total = 0;
    for list in lists {
        let ((rows, links), _) = reconstruct_stored(store, list, None)?;
        total += rows.len();
        store.replace_reconstructed(list, &rows, &links)?;
    }
    Ok(total)
}

/// Recomputes the reconstructed messages of `list` and writes only what differs from
/// the stored ones (see `Store::update_reconstructed`). Returns how many there are and
/// what changed. The result is the list's, as in [`reconstruct`]: a quote's original
/// may be any earlier archived message of the list by its author or words, and rows
/// are shared list-wide by (author, minute), so a new message can change a
/// reconstruction in any thread of its list. With `since` (the messages stored up to
/// that seq are as they were when the stored rows were derived from them: same
/// analyses, threads and parents), only the newer messages' quotes are matched when
/// no newer message can change an earlier result (see [`reconstruct_with`]); the
/// last value says whether that was so.
pub(crate) fn reconstruct_changes(
    store: &mut Store,
    list: &str,
    since: Option<i64>,
) -> Result<(usize, plenary_store::ReconstructedChanges, bool)> {
    let ((rows, links), from_stored) = reconstruct_stored(store, list, since)?;
    let changes = store.update_reconstructed(list, &rows, &links)?;
    crate::memory::mark("reconstruction: written");
    Ok((rows.len(), changes, from_stored))
}

/// A list's reconstructed messages, and the links from archived messages to them.
type Reconstruction = (Vec<NewReconstructed>, Vec<(String, String)>);

/// A stored list's reconstructed messages and links. The list's messages are held
/// without their parsed quotes (their texts only, for matching); each message's own
/// quotes are read when the loop comes to it, so the list's quotes are never all
/// in memory at once.
fn reconstruct_stored(
    store: &Store,
    list: &str,
    since: Option<i64>,
) -> Result<(Reconstruction, bool)> {
    let mut msgs = Vec::new();
    let mut texts = PackedTexts::default();
    // Which earlier messages a probe must read the quotes of, decided while their
    // quotes pass by: reading them all again was most of a probe.
    let mut new_authors = since
        .map(|s| store.authors_since(list, s).map(NewAuthors::of))
        .transpose()?;
    let mut may_reach: Vec<bool> = Vec::new();
    store.for_each_analysed(list, |mut m| {
        may_reach.push(
            new_authors
                .as_mut()
                .is_none_or(|n| m.quote_count >= 2 && n.may_reach(&m)),
        );
        m.quotes = Vec::new();
        texts.push(&m);
        m.new_text = None;
        m.quoted_text = String::new();
        m.subject = m.subject.filter(|_| texts.may_be_scrubbed(msgs.len()));
        msgs.push(m);
    })?;
    crate::memory::mark("reconstruction: messages read");
    let mut quotes_of = |m: &AnalysedMessage| store.message_quotes(&m.id);
    if let Some(prior) = since
        .map(|s| prior_of(store, list, &msgs, s))
        .transpose()?
        .flatten()
    {
        if let Some(r) = reconstruct_with(
            list,
            &msgs,
            &texts,
            &mut quotes_of,
            Some((prior, &may_reach)),
        )? {
            crate::memory::mark("reconstruction: matched (the new messages)");
            return Ok((r, true));
        }
        crate::memory::mark("reconstruction: probed (a new message may change earlier ones)");
    }
    // (a whole computation, without a prior, always has a result)
    let r = reconstruct_with(list, &msgs, &texts, &mut quotes_of, None)?.unwrap_or_default();
    crate::memory::mark("reconstruction: matched");
    Ok((r, false))
}

/// The stored rows and links of a list whose messages stored after `since` come after
/// all its earlier ones in the list's order; None when they do not (or none is new, or
/// all are).
fn prior_of(
    store: &Store,
    list: &str,
    msgs: &[AnalysedMessage],
    since: i64,
) -> Result<Option<Prior>> {
    let new: std::collections::HashSet<String> =
        store.message_ids_since(list, since)?.into_iter().collect();
    let first_new = msgs.len() - new.len().min(msgs.len());
    if new.is_empty() || first_new == 0 || !msgs[first_new..].iter().all(|m| new.contains(&m.id)) {
        return Ok(None);
    }
    Ok(Some(Prior {
        first_new,
        rows: store.reconstructed_rows(list)?,
        links: store.quote_parents(list)?,
    }))
}

/// The texts of a list's archived messages, by position, as reconstruction reads them:
/// each message's own words followed by what it quotes ([`full_text`]), and where its
/// own words end.
pub(crate) trait ListTexts {
    fn text(&self, i: usize) -> (Cow<'_, str>, usize);
}

/// Messages that hold their texts (tests).
#[cfg(test)]
struct Unpacked<'a>(&'a [AnalysedMessage]);

#[cfg(test)]
impl ListTexts for Unpacked<'_> {
    fn text(&self, i: usize) -> (Cow<'_, str>, usize) {
        match self.0.get(i) {
            Some(m) if m.quoted_text.is_empty() => {
                let own = m.new_text.as_deref().unwrap_or("");
                (Cow::Borrowed(own), own.len())
            }
            Some(m) => (
                Cow::Owned(full_text(m)),
                m.new_text.as_deref().map_or(0, str::len),
            ),
            None => (Cow::Borrowed(""), 0),
        }
    }
}

/// A list's texts held lz4-packed, unpacked when a candidate original is checked: held
/// in the clear they were most of reconstruction's memory (1.4 KB a message, the
/// largest list of a million-message store holding 350,000 messages). lz4 (already in
/// the tree through tantivy) unpacks a message in about a microsecond.
#[derive(Default)]
struct PackedTexts {
    /// (packed own words + quoted texts, length of the own words)
    texts: Vec<(Box<[u8]>, u32)>,
    /// whose own words are empty or only a scrubbed part's placeholder: the only
    /// messages whose subject reconstruction reads
    scrubbed: Vec<bool>,
}

impl PackedTexts {
    fn push(&mut self, m: &AnalysedMessage) {
        let own = m.new_text.as_deref().unwrap_or("");
        let mut full = String::with_capacity(own.len() + m.quoted_text.len());
        full.push_str(own);
        full.push_str(&m.quoted_text);
        let own_len = u32::try_from(own.len()).unwrap_or(u32::MAX);
        self.texts.push((
            lz4_flex::compress_prepend_size(full.as_bytes()).into_boxed_slice(),
            own_len,
        ));
        self.scrubbed.push(own.trim().is_empty() || scrubbed(own));
    }

    fn may_be_scrubbed(&self, i: usize) -> bool {
        self.scrubbed.get(i).copied().unwrap_or(true)
    }
}

impl ListTexts for PackedTexts {
    fn text(&self, i: usize) -> (Cow<'_, str>, usize) {
        let Some((packed, own_len)) = self.texts.get(i) else {
            return (Cow::Borrowed(""), 0);
        };
        // what was packed was a whole `String`: it unpacks to valid UTF-8, and the own
        // words' length falls on a character boundary
        let full = lz4_flex::decompress_size_prepended(packed)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let own = (*own_len as usize).min(full.len());
        let own = if full.is_char_boundary(own) { own } else { 0 };
        (Cow::Owned(full), own)
    }
}

/// An archived message's own words and everything it quotes: a quote of it
/// whose levels a client flattened holds both.
pub(crate) fn full_text(m: &AnalysedMessage) -> String {
    let mut t = m.new_text.clone().unwrap_or_default();
    t.push_str(&m.quoted_text);
    t
}

/// Whether a message's own text is only what pipermail left of a part it
/// scrubbed (`Skipped content of type multipart/alternative`, `An HTML
/// attachment was scrubbed...` and the `Name:`/`Type:`/`URL:` lines under it).
fn scrubbed(text: &str) -> bool {
    // (run over every message of a list: most have no placeholder at all)
    if !(text.contains("Skipped content")
        || text.contains("scrubbed")
        || text.contains("next part"))
    {
        return false;
    }
    let mut marker = false;
    let mut words = 0;
    for l in text.lines() {
        let t = l.trim();
        if t.starts_with("Skipped content of type")
            || t.contains("attachment was scrubbed")
            || t.contains("-------------- next part --------------")
        {
            marker = true;
            continue;
        }
        if ["Name:", "Type:", "Size:", "Desc:", "URL:", "Url:", "Url"]
            .iter()
            .any(|p| t.starts_with(p))
        {
            continue;
        }
        words += t
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
    }
    marker && words < 3
}

/// A list's archived messages by author: [`name_key`] and every [`address_keys`] form
/// → positions in the slice. Reconstruction and its evaluation look authors up the same way.
pub(crate) struct AuthorIndex {
    pub by_name: HashMap<String, Vec<usize>>,
    pub by_addr: HashMap<String, Vec<usize>>,
}

impl AuthorIndex {
    pub(crate) fn of(msgs: &[AnalysedMessage]) -> AuthorIndex {
        let mut ix = AuthorIndex {
            by_name: HashMap::new(),
            by_addr: HashMap::new(),
        };
        for (i, m) in msgs.iter().enumerate() {
            for a in m
                .author_address
                .as_deref()
                .map(address_keys)
                .unwrap_or_default()
            {
                ix.by_addr.entry(a).or_default().push(i);
            }
            if let Some(n) = &m.author_name {
                let k = name_key(n);
                if !k.is_empty() {
                    ix.by_name.entry(k).or_default().push(i);
                }
            }
        }
        ix
    }
}

/// [`reconstruct_with`] over messages that hold their quotes.
#[cfg(test)]
fn reconstruct_list(
    list: &str,
    msgs: &[AnalysedMessage],
) -> (Vec<NewReconstructed>, Vec<(String, String)>) {
    let mut quotes_of =
        |m: &AnalysedMessage| -> plenary_store::Result<Vec<plenary_quotes::QuotedMessage>> {
            Ok(m.quotes.clone())
        };
    match reconstruct_with(list, msgs, &Unpacked(msgs), &mut quotes_of, None) {
        Ok(Some(r)) => r,
        Ok(None) => panic!("a whole reconstruction always has a result"),
        Err(e) => panic!("test messages hold their quotes: {e}"),
    }
}

/// Who a quote says wrote it: a name and an address, either missing when it names no
/// person (a list, a time, a mis-cut Outlook line; a list's own address).
fn quote_author(a: Option<&plenary_quotes::Attribution>) -> (Option<String>, Option<String>) {
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
    (
        name.as_deref().and_then(person_name),
        address.as_deref().and_then(person_address),
    )
}

/// What the messages stored since the last derivation offer an earlier message's quotes:
/// the keys by which the probe of an earlier message could reach one of them.
#[derive(Default)]
struct NewAuthors {
    ids: std::collections::HashSet<String>,
    threads: std::collections::HashSet<String>,
    addresses: std::collections::HashSet<String>,
    names: std::collections::HashSet<String>,
    /// The words of the new authors' name keys (a fuzzy name match shares one).
    words: std::collections::HashSet<String>,
    /// Per attribution as written (name, normalised name, address, through a list):
    /// whether it names a person, and whether that person could be a new author. A
    /// list quotes the same people thousands of times.
    authors_seen: HashMap<String, (bool, bool)>,
    key: String,
}

impl NewAuthors {
    fn of(rows: Vec<plenary_store::NewAuthor>) -> NewAuthors {
        let mut n = NewAuthors::default();
        for r in rows {
            n.addresses.extend(
                r.author_address
                    .as_deref()
                    .map(address_keys)
                    .unwrap_or_default(),
            );
            if let Some(k) = r
                .author_name
                .as_deref()
                .map(name_key)
                .filter(|k| !k.is_empty())
            {
                n.words.extend(k.split(' ').map(str::to_string));
                n.names.insert(k);
            }
            n.threads.extend(r.thread_id);
            n.ids.insert(r.id);
        }
        n
    }

    /// Whether a probe of `m` (with its quoted messages) could reach a new message
    /// otherwise than through the word index: `m`'s thread holds one, or a quote names
    /// one by Message-ID, or a quote's author could be one's by address, name or a
    /// word of the name. A superset of what the probe's candidates test; false means
    /// its quotes need not be read.
    fn may_reach(&mut self, m: &AnalysedMessage) -> bool {
        if m.thread_id
            .as_ref()
            .is_some_and(|t| self.threads.contains(t))
        {
            return true;
        }
        for q in m.quotes.iter().skip(1) {
            let a = q.attribution.as_ref();
            let (named, by_author) = self.author_may_reach(a);
            if !named {
                continue; // the probe passes over an anonymous quote
            }
            if by_author
                || message_ids(a.map_or("", |a| a.raw.as_str()), &q.text)
                    .iter()
                    .any(|id| self.ids.contains(id.as_str()))
            {
                return true;
            }
        }
        false
    }

    /// Whether an attribution names a person, and whether that person could be a new
    /// author (by address, name, or a word of the name).
    fn author_may_reach(&mut self, a: Option<&plenary_quotes::Attribution>) -> (bool, bool) {
        let Some(at) = a else {
            return (false, false);
        };
        self.key.clear();
        for part in [
            at.name.as_deref(),
            at.normalized_name.as_deref(),
            at.address.as_deref(),
        ] {
            match part {
                Some(p) => {
                    self.key.push('+');
                    self.key.push_str(p);
                }
                None => self.key.push('-'),
            }
            self.key.push('\0');
        }
        self.key.push(if at.via_list.is_some() { 'L' } else { '.' });
        if let Some(&seen) = self.authors_seen.get(self.key.as_str()) {
            return seen;
        }
        let (name, address) = quote_author(a);
        let named = name.is_some() || address.is_some();
        let by_author = address
            .as_deref()
            .map(address_keys)
            .unwrap_or_default()
            .iter()
            .any(|k| self.addresses.contains(k))
            || name.as_deref().map(name_key).is_some_and(|k| {
                self.names.contains(&k)
                    || k.split(' ')
                        .filter(|t| t.chars().count() >= 3)
                        .any(|t| self.words.contains(t))
            });
        self.authors_seen
            .insert(self.key.clone(), (named, by_author));
        (named, by_author)
    }
}

/// What a reconstruction of a list's new messages starts from: the rows and links
/// stored for the messages before them.
#[derive(Default)]
pub(crate) struct Prior {
    /// Where the new messages start in the list's order (they come after every
    /// earlier message).
    pub first_new: usize,
    pub rows: Vec<NewReconstructed>,
    pub links: Vec<(String, String)>,
}

/// The reconstructed messages of a list and the links from archived messages to
/// them. `msgs` are the list's archived messages, oldest first; `quotes_of` gives
/// a message's quoted messages (the top one first) when the loop comes to it.
///
/// With `prior`, the messages before `first_new` are only probed: whether a new
/// message could be the original of one of their quotes (a candidate the tests
/// accept, one the word index would return, a Message-ID naming it), or would change
/// the word index for them. If none could, their part of the result is the stored
/// one, and only the new messages' quotes are matched, against the whole list, from
/// the stored rows; else this returns None and the list is computed whole (which
/// always returns Some). Either way the result is what the whole computation gives.
fn reconstruct_with(
    list: &str,
    msgs: &[AnalysedMessage],
    texts: &dyn ListTexts,
    quotes_of: &mut dyn FnMut(
        &AnalysedMessage,
    ) -> plenary_store::Result<Vec<plenary_quotes::QuotedMessage>>,
    prior: Option<(Prior, &[bool])>,
) -> plenary_store::Result<Option<Reconstruction>> {
    let AuthorIndex { by_name, by_addr } = AuthorIndex::of(msgs);
    let index: HashMap<&str, usize> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut by_token: HashMap<&str, Vec<&String>> = HashMap::new();
    for k in by_name.keys() {
        for t in k.split(' ') {
            by_token.entry(t).or_default().push(k);
        }
    }
    let mut fuzzy_names: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_thread: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in msgs.iter().enumerate() {
        if let Some(t) = &m.thread_id {
            by_thread.entry(t.as_str()).or_default().push(i);
        }
    }
    let text_index = TextIndex::build_with(msgs.len(), |i| {
        let (t, own) = texts.text(i);
        match t {
            Cow::Borrowed(t) => Cow::Borrowed(t.get(..own).unwrap_or("")),
            Cow::Owned(mut t) => {
                t.truncate(own);
                Cow::Owned(t)
            }
        }
    });
    crate::memory::mark("reconstruction: indexed");
    // archived messages whose words pipermail scrubbed ("Skipped content of type
    // multipart/alternative"): no text can match them, only author and subject
    let subjects: Vec<Option<String>> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (t, own) = texts.text(i);
            let own = t.get(..own).unwrap_or("");
            // (the placeholder is often zoned away, leaving no own text and no quote)
            let empty = own.trim().is_empty() && m.quote_count <= 1;
            (empty || scrubbed(own))
                .then(|| {
                    m.subject
                        .as_deref()
                        .map(plenary_mail::subject::normalize_subject)
                })
                .flatten()
                .filter(|s| !s.is_empty())
        })
        .collect();
    let (prior, may_reach) = prior.unzip();
    let may_reach = may_reach.unwrap_or_default();
    let Prior {
        first_new,
        rows: prior_rows,
        mut links,
    } = prior.unwrap_or_default();
    // A new message that makes a shingle too common changes what the word index
    // returns for earlier quotes.
    if first_new > 0 && text_index.crossed_common_from(first_new) {
        return Ok(None);
    }
    // whether the word index could return a new message for an earlier message's
    // quote: the index takes originals up to an hour after the quoting message
    let new_undated = msgs[first_new.min(msgs.len())..]
        .iter()
        .any(|m| m.date.is_none());
    let new_first_date = msgs[first_new.min(msgs.len())..]
        .iter()
        .filter_map(|m| m.date)
        .min();
    let new_text_ok = |m: &AnalysedMessage| match (new_first_date, m.date) {
        _ if new_undated => true,
        (Some(n), Some(md)) => n <= md + 3600,
        _ => true,
    };
    // Rows in the order they were made: by the place of the message that made them
    // (rows the store gives back; their order within one message is not kept, which
    // the search for the same mail below checks).
    let mut placed: Vec<(usize, NewReconstructed)> = Vec::with_capacity(prior_rows.len());
    for r in prior_rows {
        match index.get(r.source_id.as_str()) {
            Some(&p) if p < first_new => placed.push((p, r)),
            _ => return Ok(None),
        }
    }
    placed.sort_by_key(|(p, _)| *p);
    let prior_place: Vec<usize> = placed.iter().map(|(p, _)| *p).collect();
    let mut rows: Vec<NewReconstructed> = placed.into_iter().map(|(_, r)| r).collect();
    // rows by id (an id is the hash of the row's key: author and minute or words)
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // rows by author, for the same mail under two readings of its date
    let mut by_who: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_key.insert(r.id.clone(), i);
        let who = r
            .author_name
            .as_deref()
            .map(name_key)
            .or_else(|| r.author_address.clone())
            .unwrap_or_else(|| "unknown".to_string());
        by_who.entry(who).or_default().push(i);
    }
    let mut linked: std::collections::HashSet<String> =
        links.iter().map(|(c, _)| c.clone()).collect();

    let mut seen: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut judged = Judged::default();
    for (pos, m) in msgs.iter().enumerate() {
        if m.quote_count < 2 {
            continue;
        }
        // An earlier message, when the new ones come after every one of them: its
        // results are the stored ones unless a new message would change them.
        let probe = pos < first_new;
        // candidates from before `from` are none of a probe's concern
        let from = if probe { first_new } else { 0 };
        fn later_than(v: &[usize], from: usize) -> &[usize] {
            &v[v.partition_point(|&x| x < from)..]
        }
        let later = |v| later_than(v, from);
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
        // A probe whose quotes can reach no new message (no candidate, no Message-ID,
        // and the word index returns no new message for it) changes nothing: its
        // quotes are not read.
        if probe
            && !may_reach.get(pos).copied().unwrap_or(true)
            && !new_text_ok(m)
            && ancestors.iter().all(|&a| a < first_new)
        {
            continue;
        }
        let quotes = &quotes_of(m)?;
        // node id of each quoted message: the archived original, a reconstructed one, or m itself
        let mut node: Vec<Option<String>> = vec![None; quotes.len()];
        node[0] = Some(m.id.clone());
        let mut row_of: Vec<Option<usize>> = vec![None; quotes.len()];
        // when each quoted message was written, as read so far (for deeper
        // time-only attributions)
        let mut dates: Vec<Option<i64>> = vec![None; quotes.len()];
        dates[0] = m.date;
        for (i, q) in quotes.iter().enumerate().skip(1) {
            let a = q.attribution.as_ref();
            let (name, address) = quote_author(a);
            // a time without a day (`On 06:30 pm, x wrote:`, Divmod's same-day
            // form) is the day of the message quoting it: the carrying message's,
            // in its zone, for a quote it makes; for a deeper one the quoted
            // message's above it (a digest quoting a two-week-old exchange is not
            // of the digest's day), and undated when that one is
            let date = a
                .and_then(|a| a.date.as_ref())
                .and_then(utc_of)
                .or_else(|| {
                    let t = a.and_then(|a| a.date_text.as_deref())?;
                    match q.parent {
                        Some(p) if p > 0 => {
                            same_day_time(t, (*dates.get(p)?)?, None).map(|(d, _)| (d, false))
                        }
                        _ => same_day_time(t, m.date?, m.date_offset),
                    }
                });
            dates[i] = date.map(|(d, _)| d);
            let mut readings = a
                .and_then(|a| a.date.as_ref())
                .map(date_readings)
                .unwrap_or_default();
            if readings.is_empty() {
                readings.extend(date.map(|(d, exact)| (d, exact, 0)));
            }
            if name.is_none() && address.is_none() {
                // precision first: an anonymous quote stays a quote zone of the
                // message carrying it; it never becomes a thread member or root
                continue;
            }
            // 1. The original is archived: match by author and words, at any
            // distance in the thread and in time.
            let mut cands: Vec<usize> = Vec::new();
            // The archived ancestor at the quote's depth is the likeliest original.
            if let Some(anc) = (q.depth as usize)
                .checked_sub(1)
                .and_then(|d| ancestors.get(d))
            {
                if *anc >= from {
                    cands.push(*anc);
                }
            }
            cands.extend(ancestors.iter().copied().filter(|&c| c >= from));
            // one key for every form of an address (R's archives obfuscate them)
            let addr_keys = address.as_deref().map(address_keys).unwrap_or_default();
            for ad in &addr_keys {
                cands.extend(by_addr.get(ad).map_or(&[][..], |v| later(v)));
            }
            if let Some(n) = &name {
                cands.extend(by_name.get(&name_key(n)).map_or(&[][..], |v| later(v)));
                // name forms the key misses ("X aka Y", "Last, First (Dept)"):
                // archived names sharing a word, matched once per quoted name
                let nk = name_key(n);
                let fuzzy = fuzzy_names.entry(nk.clone()).or_insert_with(|| {
                    let mut keys: Vec<&String> = nk
                        .split(' ')
                        .filter(|t| t.chars().count() >= 3)
                        .flat_map(|t| by_token.get(t).into_iter().flatten().copied())
                        .filter(|k| **k != nk)
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    keys.into_iter()
                        .filter(|k| {
                            by_name[*k]
                                .first()
                                .and_then(|&i| msgs[i].author_name.as_deref())
                                .is_some_and(|o| names_match(n, o))
                        })
                        .flat_map(|k| by_name[k].iter().copied())
                        .collect()
                });
                cands.extend(fuzzy.iter().copied().filter(|&c| c >= from));
            }
            if let Some(t) = &m.thread_id {
                cands.extend(by_thread.get(t.as_str()).map_or(&[][..], |v| later(v)));
            }
            // A probe (an earlier message, when only later ones are new) looks only at
            // what could involve a new message: a Message-ID naming one, a new
            // candidate original, or a new message the word index could return.
            if probe {
                if let Some(c) = message_ids(a.map_or("", |a| a.raw.as_str()), &q.text)
                    .iter()
                    .find_map(|id| index.get(id.as_str()).copied())
                {
                    if c >= first_new {
                        return Ok(None);
                    }
                    continue;
                }
                if cands.is_empty() && !new_text_ok(m) {
                    continue;
                }
            }
            // only the author's own words: no footers, headers, third
            // persons' blocks, fragments of deeper levels, signature block
            let cleaned = own_words(q.text.trim(), name.as_deref());
            let text = cleaned.as_str();
            // its words for matching: links rewritten by mail filters are none
            let bare = without_urls(text);
            let words = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            if !probe && crate::takedown::is_removal_marker(text) {
                continue; // words a takedown removed: nothing to reconstruct
            }
            // 0. The quoted block names its Message-ID and the archive holds it.
            if let Some(c) = (!probe)
                .then(|| message_ids(a.map_or("", |a| a.raw.as_str()), &q.text))
                .and_then(|ids| ids.iter().find_map(|id| index.get(id.as_str()).copied()))
            {
                node[i] = Some(msgs[c].id.clone());
                continue;
            }
            // the subject the quote was written under: its own header block's, or
            // the one of the reply quoting it (`Re: …`)
            let quote_subject = a
                .and_then(|a| a.subject.as_deref())
                .or_else(|| {
                    let p = q.parent.filter(|&p| p > 0)?;
                    quotes.get(p)?.attribution.as_ref()?.subject.as_deref()
                })
                .map(plenary_mail::subject::normalize_subject)
                .filter(|s| !s.is_empty());
            // A candidate twice (an ancestor by the same author, found by address and
            // by name) is judged once: the test below is the same each time.
            seen.clear();
            // the quote's shingles, taken once for every candidate's text that is read
            let bare_sh = std::cell::OnceCell::new();
            let bare_sh = || bare_sh.get_or_init(|| plenary_quotes::Shingled::new(&bare));
            // whether two authors' names match, per archived name (an author's
            // messages mostly carry one)
            let mut same_name: HashMap<&str, bool> = HashMap::new();
            judged.quotes += 1;
            let matched = cands.into_iter().filter(|&c| seen.insert(c)).find(|&c| {
                judged.candidates.set(judged.candidates.get() + 1);
                let o = &msgs[c];
                // (`oli wrote:` above Olivier's mail: a one-word name of three
                // letters or more that the writer's first name or address starts
                // with is theirs)
                let nickname = name.as_deref().is_some_and(|n| {
                    let n = n.trim().to_lowercase();
                    let first = |s: &str| s.split_whitespace().next().map(str::to_lowercase);
                    !n.contains(' ')
                        && n.chars().count() >= 3
                        && (o
                            .author_name
                            .as_deref()
                            .and_then(first)
                            .is_some_and(|f| f.starts_with(&n))
                            || o.author_address
                                .as_deref()
                                .is_some_and(|a| a.to_lowercase().starts_with(&n)))
                });
                let same_author = nickname
                    || match (&name, &o.author_name) {
                        (Some(n), Some(on)) => *same_name
                            .entry(on.as_str())
                            .or_insert_with(|| names_match(n, on)),
                        _ => false,
                    }
                    || o.author_address
                        .as_deref()
                        .map(address_keys)
                        .is_some_and(|k| k.iter().any(|k| addr_keys.contains(k)));
                // the candidate's text, unpacked when a test reads it, and how much of
                // the quote its own words hold, measured once
                let text = std::cell::OnceCell::new();
                let text = || {
                    text.get_or_init(|| {
                        judged.texts.set(judged.texts.get() + 1);
                        texts.text(c)
                    })
                };
                let own = || {
                    let (full, own_len) = text();
                    full.get(..*own_len).unwrap_or("")
                };
                let in_own = std::cell::OnceCell::new();
                let in_own = || *in_own.get_or_init(|| bare_sh().contained_in(own()));
                if o.id == m.id {
                    // The words are in the carrying message's own text, the writer
                    // sending their question again under their own attribution (a
                    // short name counts: `oli wrote:` from Olivier): the carrying
                    // message holds the original.
                    if same_author && words >= 8 && in_own() >= 0.8 {
                        return true;
                    }
                    // A message that only forwards its own author's earlier mail,
                    // with no words of its own: the archive holds those words in it.
                    return same_author && words >= 8 && own().split_whitespace().count() < 3;
                }
                // An archived ancestor by headers, by the same author, around
                // the same time, is the original whatever the words: the quote
                // may be trimmed or mis-cut ("<snip>" then the replier's text),
                // or the original's own text badly decoded.
                // An undated quote (a wrapped attribution lost its date) of
                // the same author's archived message earlier in the same
                // thread: that message, whatever the words (clients mangle
                // them). A dated one is matched by its date below.
                let same_thread = m.thread_id.is_some() && o.thread_id == m.thread_id;
                let before_m = match (o.date, m.date) {
                    (Some(od), Some(md)) => od <= md + 3600,
                    _ => true,
                };
                if same_author && same_thread && before_m && readings.is_empty() {
                    return true;
                }
                if same_author && ancestors.contains(&c) {
                    let near = match (date, o.date) {
                        (Some((d, _)), Some(od)) => (d - od).abs() <= 24 * 3600,
                        _ => true,
                    };
                    if near {
                        return true;
                    }
                }
                // an earlier message of the author's whose words were scrubbed
                // from the archive, under the subject the quote was written under
                if same_author
                    && before_m
                    && quote_subject.is_some()
                    && subjects[c].is_some()
                    && subjects[c] == quote_subject
                {
                    return true;
                }
                if !same_author {
                    // an archived message may still be it, by its words alone
                    return words >= 8 && in_own() >= 0.6;
                }
                // Its words: in the original's own text, or in its own text
                // plus what it quoted (quote levels flattened by a client, or
                // its own words misread as a quote). The second only for a
                // message written before the one quoting it: a later message
                // of the same author quoting the same text is not its original.
                let earlier = match (o.date, m.date) {
                    (Some(od), Some(md)) => od <= md + 3600,
                    _ => true,
                };
                if words >= 8
                    && (in_own() >= 0.5 || (earlier && bare_sh().contained_in(&text().0) >= 0.5))
                {
                    return true;
                }
                // A trimmed quote ("[...]") is matched by author and time alone.
                // Short or trimmed: by time when both sides are dated, else by
                // the few words there are.
                match (readings.is_empty(), o.date) {
                    (false, Some(od)) => {
                        let near = readings.iter().any(|&(d, exact, slack)| {
                            let both_known = exact && o.date_offset.is_some();
                            let window = if both_known { 600 } else { 15 * 3600 };
                            (d - od).abs() <= window + slack
                        });
                        near && (words < 8 || in_own() >= 0.3)
                    }
                    _ => words < 8 && in_own() >= 0.5,
                }
            });
            let before_m = |c: usize| match (msgs[c].date, m.date) {
                (Some(od), Some(md)) => od <= md + 3600,
                _ => true,
            };
            if probe {
                // a new message would be this quote's original (by candidates, or by
                // the word index), so the earlier result may change
                if matched.is_some()
                    || (new_text_ok(m)
                        && text_index
                            .find(&bare, 0.6, |c| {
                                c >= first_new && msgs[c].id != m.id && before_m(c)
                            })
                            .is_some())
                {
                    return Ok(None);
                }
                continue;
            }
            if let Some(c) = matched {
                node[i] = Some(msgs[c].id.clone());
                continue;
            }
            // Its words are an archived message's own, whoever the quote
            // names: the words were written there (an excerpt of someone's
            // announcement, a quote credited to the wrong level), so nothing
            // new is recovered.
            if let Some(c) = text_index.find(&bare, 0.6, |c| msgs[c].id != m.id && before_m(c)) {
                node[i] = Some(msgs[c].id.clone());
                continue;
            }
            if words < 3 || crate::quote_evidence::patch_only(text) {
                // nothing of the author's to reconstruct from: a few words, or
                // only a patch's lines (a commit mail quoted without its log
                // message is code, not a message's words)
                continue;
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
                // the words as quoted, so a row keeps its id while cleaning improves
                None => format!("{who}|{}", words_key(q.text.trim(), 12)),
            };
            // The same mail quoted by two people in different zones (`31/03/2022
            // 22:58` and `31.03.2022 23:58`), or once with a day and once with a
            // time: the same author, the same words, dates a zone apart.
            let id = format!("r{}", short_hash(&format!("{list}\0{key}")));
            let fits = |r: usize| {
                let row = &rows[r];
                let near = match (date.map(|d| d.0), row.date) {
                    (Some(a), Some(b)) => {
                        let delta = (a - b).abs();
                        let zones = delta <= 15 * 3600 && delta % 900 == 0;
                        let day = |d: i64, t: i64| d % 86_400 == 0 && t >= d && t - d < 86_400;
                        zones || day(a, b) || day(b, a)
                    }
                    _ => true,
                };
                near && words >= 8 && {
                    let rb = without_urls(&row.body);
                    bare_sh().contained_in(&rb) >= 0.8
                        || plenary_quotes::containment(&rb, &bare) >= 0.8
                }
            };
            let same_mail = by_who
                .get(&who)
                .and_then(|rs| rs.iter().copied().find(|&r| fits(r)));
            // Two stored rows of one message both fit: which was made first is not
            // known, so neither is the answer.
            if let Some(p) = same_mail.and_then(|r| prior_place.get(r)) {
                let fit = same_mail.unwrap_or_default();
                if by_who.get(&who).is_some_and(|rs| {
                    rs.iter()
                        .any(|&r| r != fit && prior_place.get(r) == Some(p) && fits(r))
                }) {
                    return Ok(None);
                }
            }
            if let Some(r) = by_key.get(&id).copied().or(same_mail) {
                let row = &mut rows[r];
                row.quoted_by += 1;
                // the copy with the most sentences: another quoter's copy may
                // be wrapped into fragments
                if prose_words(text) > prose_words(&row.body) {
                    row.body = text.to_string();
                }
                node[i] = Some(row.id.clone());
                row_of[i] = Some(r);
                continue;
            }
            by_who.entry(who.clone()).or_default().push(rows.len());
            by_key.insert(id.clone(), rows.len());
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
        if probe {
            continue;
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
                if m.parent.is_none() && linked.insert(child.clone()) {
                    links.push((child, quoted));
                }
            } else if let Some(r) = row_of[p] {
                if rows[r].parent.is_none() && rows[r].id != quoted {
                    rows[r].parent = Some(quoted);
                }
            }
        }
    }
    judged.note();
    Ok(Some((rows, links)))
}

/// How much matching did (with `PLENARY_PHASES`): quotes that reached the candidate
/// originals, candidates judged, candidates' texts read.
#[derive(Default)]
struct Judged {
    quotes: usize,
    candidates: std::cell::Cell<usize>,
    texts: std::cell::Cell<usize>,
}

impl Judged {
    fn note(&self) {
        if std::env::var_os("PLENARY_PHASES").is_some() {
            eprintln!(
                "reconstruction: {} quotes matched against {} candidate originals, {} texts read",
                self.quotes,
                self.candidates.get(),
                self.texts.get()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fills what the store derives from a message's quotes.
    trait Counted {
        fn counted(self) -> Self;
    }

    impl Counted for AnalysedMessage {
        fn counted(mut self) -> Self {
            self.quote_count = self.quotes.len();
            self.quoted_text = self
                .quotes
                .iter()
                .skip(1)
                .map(|q| format!("\n{}", q.text))
                .collect();
            self
        }
    }

    fn am(id: &str, name: &str, date: i64, text: &str, quotes: Option<&str>) -> AnalysedMessage {
        AnalysedMessage {
            id: id.into(),
            thread_id: Some("t".into()),
            parent: None,
            author_name: Some(name.into()),
            author_address: None,
            date: Some(date),
            date_offset: None,
            subject: None,
            new_text: Some(text.into()),
            quote_count: 0,
            quoted_text: String::new(),
            quotes: quotes
                .map(|j| serde_json::from_str(j).expect("test quotes are JSON"))
                .unwrap_or_default(),
        }
        .counted()
    }

    /// Packed texts unpack to what the messages held: own words, then the quoted
    /// texts, split where the own words end (also after a character of several bytes),
    /// and reconstruction over them gives what it gives over the messages themselves.
    #[test]
    fn packed_texts_read_as_the_messages_hold_them() {
        let q = r#"[{"depth":0,"parent":null,"attribution":null,"text":"top"},
            {"depth":1,"parent":0,"attribution":{"raw":"On … Ana wrote:","name":"Ana Neves","normalized_name":"Ana Neves","address":null,"via_list":null,"date":null,"date_text":null,"subject":null},"text":"Ação é o que importa para o grupo de trabalho agora mesmo"}]"#;
        let msgs = vec![
            am(
                "a",
                "Ana Neves",
                100,
                "Ação é o que importa para o grupo de trabalho agora mesmo",
                None,
            ),
            am("b", "Paul Blaker", 200, "Concordo — sim.", Some(q)),
            am("c", "Zoë", 300, "", None),
        ];
        let mut packed = PackedTexts::default();
        for m in &msgs {
            packed.push(m);
        }
        let clear = Unpacked(&msgs);
        for (i, m) in msgs.iter().enumerate() {
            let ((p, pe), (c, ce)) = (packed.text(i), clear.text(i));
            assert_eq!((p.as_ref(), pe), (c.as_ref(), ce));
            assert_eq!(&p[..pe], m.new_text.as_deref().unwrap_or(""));
        }
        assert_eq!(packed.text(9).0, "");
        assert!(packed.may_be_scrubbed(2) && !packed.may_be_scrubbed(0));
        let mut quotes_of =
            |m: &AnalysedMessage| -> plenary_store::Result<Vec<plenary_quotes::QuotedMessage>> {
                Ok(m.quotes.clone())
            };
        let over_packed = reconstruct_with("l", &msgs, &packed, &mut quotes_of, None)
            .expect("packed")
            .expect("whole");
        assert_eq!(over_packed, reconstruct_list("l", &msgs));
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

    /// The list's reconstruction from the rows stored for its first `k` messages, when
    /// the later ones cannot change those (None when they may).
    fn from_prior(msgs: &[AnalysedMessage], k: usize) -> Option<Reconstruction> {
        from_prior_skipping(msgs, k).0
    }

    /// [`from_prior`], with the earlier messages whose quotes the probe need not read
    /// told as `reconstruct_stored` tells them, and how many of those hold quotes.
    fn from_prior_skipping(msgs: &[AnalysedMessage], k: usize) -> (Option<Reconstruction>, usize) {
        let (rows, links) = reconstruct_list("l", &msgs[..k]);
        let mut quotes_of =
            |m: &AnalysedMessage| -> plenary_store::Result<Vec<plenary_quotes::QuotedMessage>> {
                Ok(m.quotes.clone())
            };
        let prior = Prior {
            first_new: k,
            rows,
            links,
        };
        let mut new = NewAuthors::of(
            msgs[k..]
                .iter()
                .map(|m| plenary_store::NewAuthor {
                    id: m.id.clone(),
                    author_name: m.author_name.clone(),
                    author_address: m.author_address.clone(),
                    thread_id: m.thread_id.clone(),
                })
                .collect(),
        );
        let may_reach: Vec<bool> = msgs
            .iter()
            .map(|m| m.quote_count >= 2 && new.may_reach(m))
            .collect();
        let skipped = msgs[..k]
            .iter()
            .zip(&may_reach)
            .filter(|(m, r)| m.quote_count >= 2 && !**r)
            .count();
        let r = reconstruct_with(
            "l",
            msgs,
            &Unpacked(msgs),
            &mut quotes_of,
            Some((prior, &may_reach)),
        )
        .expect("test messages hold their quotes");
        (r, skipped)
    }

    fn sorted((mut rows, mut links): Reconstruction) -> Reconstruction {
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        links.sort();
        (rows, links)
    }

    /// Starting from the stored rows of the earlier messages gives what the whole list
    /// gives, whichever messages are new; a new message that is the original of an
    /// earlier quote (its author's words, arriving late) sends the list back to a whole
    /// computation.
    #[test]
    fn new_messages_reconstruct_from_the_stored_rows_as_the_whole_list_would() {
        let ana = r#"[{"depth":0,"parent":null,"attribution":null,"text":"top"},
            {"depth":1,"parent":0,"attribution":{"raw":"On … Ana wrote:","name":"Ana Neves","normalized_name":"Ana Neves","address":null,"via_list":null,"date":{"year":2025,"month":7,"day":23,"hour":18,"minute":36,"offset_minutes":null},"date_text":"2025/07/23 18:36","subject":null},"text":"Thanks, Paul, for bringing up the CSTD"},
            {"depth":2,"parent":1,"attribution":{"raw":"De: Paul","name":"Blaker, Paul (DSIT)","normalized_name":"Paul Blaker","address":null,"via_list":"WG-Strategy","date":null,"date_text":null,"subject":"Re: x"},"text":"The CSTD could be leveraged more"}]"#;
        let lionel = one_quote(Some("Lionel Example"), 36, WORDS);
        let later_words = "Could the secretariat circulate the revised text before Friday so that delegations can consult";
        let pasted = "The working group agreed that the consultation on the roadmap stays open until the end of March for written input";
        let msgs = vec![
            am(
                "paul@x",
                "Paul Blaker",
                1_753_000_000,
                "The CSTD could be leveraged more effectively here",
                None,
            ),
            am("a@x", "Anriette", 1_753_295_434, "top", Some(ana)),
            am("b@x", "Someone", 1_753_300_000, "again", Some(ana)),
            am("c@x", "Carla", 1_753_310_000, "top", Some(&lionel)),
            am("lionel@x", "Lionel Example", 1_753_400_000, WORDS, None),
            am("d@x", "Dan", 1_753_500_000, "yes", Some(ana)),
            am("e@x", "Eve", 1_753_600_000, later_words, None),
            am(
                "f@x",
                "Fay",
                1_753_700_000,
                "top",
                Some(&one_quote(Some("Gil Other"), 12, later_words)),
            ),
            am(
                "g@x",
                "Gus",
                1_753_800_000,
                "top",
                Some(&one_quote(Some("Gil Other"), 14, pasted)),
            ),
            // Hal pastes the words Gus quoted, within the hour: the word index finds them
            am("h@x", "Hal", 1_753_800_600, pasted, None),
        ];
        let mut incremental = 0;
        for k in 1..msgs.len() {
            for n in k + 1..=msgs.len() {
                let whole = sorted(reconstruct_list("l", &msgs[..n]));
                if let Some(r) = from_prior(&msgs[..n], k) {
                    assert_eq!(sorted(r), whole, "first {k} of {n} stored");
                    incremental += 1;
                }
            }
        }
        assert!(
            incremental >= 10,
            "only {incremental} splits went incremental"
        );
        // Lionel's own mail, arriving after Carla quoted it, is its original
        assert!(from_prior(&msgs[..5], 4).is_none());
        let (rows, _) = reconstruct_list("l", &msgs[..5]);
        assert!(rows
            .iter()
            .all(|r| r.author_name.as_deref() != Some("Lionel Example")));
        // Hal's paste, within the hour after Gus's quote of it, is where its words are
        assert!(from_prior(&msgs[..10], 9).is_none());
        let gil = |rows: &[NewReconstructed]| {
            rows.iter()
                .any(|r| r.author_name.as_deref() == Some("Gil Other"))
        };
        let (before_hal, _) = from_prior(&msgs[..9], 8).expect("Gus's quote is new");
        assert!(gil(&before_hal), "{before_hal:?}");
        assert!(!gil(&reconstruct_list("l", &msgs).0));
        // Dan's quote of Ana joins her row, from the stored one
        let (rows, links) = from_prior(&msgs[..6], 5).expect("nothing earlier changes");
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].quoted_by, 3);
        assert!(links.contains(&("d@x".to_string(), rows[0].id.clone())));
        // Each message in its own thread: the probe skips earlier messages whose quotes
        // can reach no new one, and the result is still the whole list's.
        let apart: Vec<AnalysedMessage> = msgs
            .iter()
            .cloned()
            .map(|mut m| {
                m.thread_id = Some(format!("t-{}", m.id));
                m
            })
            .collect();
        let mut skipped = 0;
        for k in 1..apart.len() {
            for n in k + 1..=apart.len() {
                let whole = sorted(reconstruct_list("l", &apart[..n]));
                let (r, s) = from_prior_skipping(&apart[..n], k);
                if let Some(r) = r {
                    assert_eq!(sorted(r), whole, "apart: first {k} of {n} stored");
                    skipped += s;
                }
            }
        }
        assert!(skipped > 0, "no probe was skipped");
        assert!(
            from_prior(&apart[..5], 4).is_none(),
            "Lionel's mail, by name"
        );
        assert!(
            from_prior(&apart[..10], 9).is_none(),
            "Hal's paste, by words"
        );
    }

    fn one_quote(name: Option<&str>, minute: u32, text: &str) -> String {
        let attribution = match name {
            Some(n) => format!(
                r#"{{"raw":"On … {n} wrote:","name":"{n}","normalized_name":"{n}","address":null,"via_list":null,"date":{{"year":2025,"month":7,"day":23,"hour":18,"minute":{minute},"offset_minutes":60}},"date_text":"x","subject":null}}"#
            ),
            None => "null".to_string(),
        };
        format!(
            r#"[{{"depth":0,"parent":null,"attribution":null,"text":"top"}},
               {{"depth":1,"parent":0,"attribution":{attribution},"text":"{text}"}}]"#
        )
    }

    const WORDS: &str = "We should ask the secretariat to circulate the draft to every stakeholder group before the meeting";

    /// A writer re-sending their own words to the list under their own
    /// attribution: the carrying message is the original, nothing is recovered.
    #[test]
    fn a_self_resend_recovers_nothing() {
        let q = one_quote(Some("Lionel Example"), 36, WORDS);
        let msgs = vec![am(
            "l@x",
            "Lionel Example",
            1_753_295_434,
            &format!("Resending to the list.\n\n{WORDS}"),
            Some(&q),
        )];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert!(rows.is_empty(), "{rows:?}");
    }

    /// A time-only attribution two levels down is of the day of the quoted
    /// message above it, not of the digest that carries both ten days later.
    #[test]
    fn a_deeper_time_only_attribution_takes_the_day_above() {
        let above = attr(
            "On Sat, 5 Jan 2013 at 09:10, JP Example wrote:",
            Some("JP Example"),
            None,
            Some(r#"{"year":2013,"month":1,"day":5,"hour":9,"minute":10,"offset_minutes":0}"#),
        );
        let deeper = attr(
            "On 12:48 am, peter at example.org wrote:",
            None,
            Some("peter@example.org"),
            None,
        )
        .replace(r#""date_text":null"#, r#""date_text":"12:48 am""#);
        let words = serde_json::to_string(WORDS).expect("json");
        let q = format!(
            r#"[{{"depth":0,"parent":null,"attribution":null,"text":"top"}},
               {{"depth":1,"parent":0,"attribution":{above},"text":"What method would you prefer for the review of the draft text?"}},
               {{"depth":2,"parent":1,"attribution":{deeper},"text":{words}}}]"#
        );
        // the digest, 2013-01-14 10:30 UTC
        let msgs = vec![am("d@x", "Digest Reader", 1_358_159_400, "top", Some(&q))];
        let (rows, _) = reconstruct_list("l", &msgs);
        let peter = rows
            .iter()
            .find(|r| r.author_address.as_deref() == Some("peter@example.org"))
            .expect("peter's message recovered");
        let d = peter.date.and_then(plenary_mail::date::utc_to_civil);
        assert_eq!(d, Some((2013, 1, 5, 0, 48)));
        assert!(!peter.date_exact);
    }

    /// Precision first: a quote without an author stays a quote zone.
    #[test]
    fn anonymous_quotes_are_not_reconstructed() {
        let q = one_quote(None, 36, WORDS);
        let msgs = vec![am("a@x", "Anriette", 1_753_295_434, "top", Some(&q))];
        let (rows, links) = reconstruct_list("l", &msgs);
        assert!(rows.is_empty() && links.is_empty(), "{rows:?}");
    }

    /// The original is archived with a clock hours off (pipermail dates
    /// without offset): same author and the same words make it the original.
    #[test]
    fn archived_originals_match_at_any_distance_in_time() {
        let q = one_quote(Some("Ana Neves"), 36, WORDS);
        let msgs = vec![
            am(
                "ana@x",
                "Ana Neves",
                1_753_291_000 - 7 * 3600,
                &format!("Dear all,\n{WORDS}"),
                None,
            ),
            am("a@x", "Anriette", 1_753_295_434, "top", Some(&q)),
        ];
        let (rows, links) = reconstruct_list("l", &msgs);
        assert!(rows.is_empty(), "{rows:?}");
        assert_eq!(links, vec![("a@x".to_string(), "ana@x".to_string())]);
    }

    /// A later message of the same author that quotes the words is not their
    /// original: the original is recovered from the quote.
    #[test]
    fn a_self_quote_is_not_the_original() {
        let q = one_quote(Some("Ana Neves"), 36, WORDS);
        let later = format!(
            r#"[{{"depth":0,"parent":null,"attribution":null,"text":"Any news on this? Nobody answered."}},
               {{"depth":1,"parent":0,"attribution":null,"text":"{WORDS}"}}]"#
        );
        let msgs = vec![
            am(
                "later@x",
                "Ana Neves",
                1_753_395_000,
                "Any news on this? Nobody answered.",
                Some(&later),
            ),
            am("a@x", "Anriette", 1_753_295_434, "top", Some(&q)),
        ];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].author_name.as_deref(), Some("Ana Neves"));
    }

    /// A quote whose attribution is given as JSON, under `top`.
    fn quote_with(attribution: &str, text: &str) -> String {
        let text = serde_json::to_string(text).expect("text");
        format!(
            r#"[{{"depth":0,"parent":null,"attribution":null,"text":"top"}},
               {{"depth":1,"parent":0,"attribution":{attribution},"text":{text}}}]"#
        )
    }

    fn attr(raw: &str, name: Option<&str>, address: Option<&str>, date: Option<&str>) -> String {
        let q = |v: Option<&str>| v.map_or("null".to_string(), |x| format!("{x:?}"));
        format!(
            r#"{{"raw":{},"name":{},"normalized_name":{},"address":{},"via_list":null,"date":{},"date_text":null,"subject":null}}"#,
            q(Some(raw)),
            q(name),
            q(name),
            q(address),
            date.unwrap_or("null")
        )
    }

    /// Names that are no person and a list's own address make no author:
    /// the quote stays a quote zone.
    #[test]
    fn list_names_and_list_addresses_are_no_authors() {
        for a in [
            attr(
                "From: R-package-devel <r-package-devel-bounces at r-project.org> On Behalf",
                Some("R-package-devel On Behalf"),
                None,
                None,
            ),
            attr(
                "<mailto:r-package-devel at r-project.org>>, ha scritto:",
                None,
                Some("r-package-devel@r-project.org"),
                None,
            ),
            attr("On 03:01 pm, wrote:", Some("03:01 pm"), None, None),
        ] {
            let q = quote_with(&a, WORDS);
            let msgs = vec![am("a@x", "Anriette", 1_753_295_434, "top", Some(&q))];
            let (rows, _) = reconstruct_list("l", &msgs);
            assert!(rows.is_empty(), "{a}: {rows:?}");
        }
        // a name with the verb left in it is the person's, without it
        let a = attr(
            "Jane Doe wrote on 5/16/19 11:36 AM:",
            Some("Jane Doe wrote"),
            None,
            None,
        );
        let q = quote_with(&a, WORDS);
        let msgs = vec![am("a@x", "Anriette", 1_753_295_434, "top", Some(&q))];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].author_name.as_deref(), Some("Jane Doe"));
    }

    /// A quoted header block naming an archived Message-ID is that message.
    #[test]
    fn a_quoted_message_id_that_is_archived_is_the_original() {
        let a = attr(
            "Date: Tue, 26 Jan 2016 13:54:22 -0600\nFrom: Dirk <edd at debian.org>\nSubject: Re: x",
            Some("Dirk"),
            Some("edd@debian.org"),
            None,
        );
        let q = quote_with(&a, "me than CRAN reviewer\nMessage-ID: <22183.5 at max.nulle.part>\nContent-Type: text/plain");
        let msgs = vec![
            am(
                "22183.5@max.nulle.part",
                "Someone Else",
                1_453_838_062,
                "other words",
                None,
            ),
            am("a@x", "Adah", 1_453_900_000, "top", Some(&q)),
        ];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert!(rows.is_empty(), "{rows:?}");
    }

    /// Words that are an archived message's own, whoever the quote credits
    /// them to (an excerpt of someone's announcement), recover nothing.
    #[test]
    fn an_excerpt_of_an_archived_message_by_someone_else_is_not_recovered() {
        let q = quote_with(
            &attr("Michal wrote:", Some("Michal Kowalski"), None, None),
            WORDS,
        );
        let msgs = vec![
            am(
                "glyph@x",
                "Glyph Lefkowitz",
                1_753_000_000,
                &format!("Hello all,\n{WORDS}\nThanks"),
                None,
            ),
            am("a@x", "Anriette", 1_753_295_434, "top", Some(&q)),
        ];
        let (rows, links) = reconstruct_list("l", &msgs);
        assert!(rows.is_empty(), "{rows:?}");
        assert!(links.is_empty() || links[0].1 == "glyph@x", "{links:?}");
    }

    /// An undated quote (a wrapped attribution lost its date) of someone who
    /// wrote earlier in the same thread is that message, however mangled the
    /// words; R's obfuscated address is the same address.
    #[test]
    fn an_undated_quote_of_the_same_author_earlier_in_the_thread_is_archived() {
        let a = attr(
            "<mailto:jarrett at example.com>>> wrote:",
            None,
            Some("jarrett@example.com"),
            None,
        );
        let q = quote_with(&a, "? ? ?Yes, in addition to doing what?@Dirk suggests. I keep\n? ? ?getting the same error");
        let mut earlier = am(
            "j@x",
            "Jarrett Phillips",
            1_753_000_000,
            "Something else entirely about the build",
            None,
        );
        earlier.author_address = Some("j@rrett@ex@mp|e@com".into());
        let msgs = vec![earlier, am("a@x", "Duncan", 1_753_295_434, "top", Some(&q))];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert!(rows.is_empty(), "{rows:?}");
    }

    /// A digest reply quoting a digest entry (its header block names the subject)
    /// that quotes the author's first mail, whose words pipermail scrubbed: the
    /// archived message by that author under that subject is the original. Under
    /// another subject it is not.
    #[test]
    fn a_scrubbed_original_is_matched_by_author_and_subject() {
        let q = |subject: &str| {
            let dave = r#"{"raw":"From: Dan Grey","name":"Dan Grey","normalized_name":"Dan Grey","address":"dg@example.com","via_list":null,"date":null,"date_text":null,"subject":"SUBJECT"}"#
                .replace("SUBJECT", subject);
            let rick = attr("Rick Mora wrote:", Some("Rick Mora"), None, None);
            format!(
                r#"[{{"depth":0,"parent":null,"attribution":null,"text":"top"}},
                   {{"depth":1,"parent":0,"attribution":{dave},"text":"Use a DeferredList."}},
                   {{"depth":2,"parent":1,"attribution":{rick},"text":"MAXTIME = 60 # stop the crawl after this time\nHow do I gather results from many deferreds?"}}]"#
            )
        };
        let scrubbed = |subject: &str| {
            let mut m = am("r1@x", "Rick Mora", 1_119_373_576, "", None);
            m.subject = Some(subject.into());
            // the digest reply starts a thread of its own
            m.thread_id = Some("first".into());
            m
        };
        let msgs = vec![
            scrubbed("[Web] Defers and the reactor -- new user needs advice?"),
            am(
                "r2@x",
                "Rick Mora",
                1_119_551_748,
                "Thanks Dan, that was very clear.",
                Some(&q(
                    "Re: [Web] Defers and the reactor\\n\\t-- new user needs advice?",
                )),
            ),
        ];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert!(
            rows.iter()
                .all(|r| r.author_name.as_deref() != Some("Rick Mora")),
            "{rows:?}"
        );
        let msgs = vec![
            scrubbed("[Web] Something else"),
            am(
                "r2@x",
                "Rick Mora",
                1_119_551_748,
                "Thanks Dan, that was very clear.",
                Some(&q("Re: [Web] Defers and the reactor")),
            ),
        ];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert!(
            rows.iter()
                .any(|r| r.author_name.as_deref() == Some("Rick Mora")),
            "{rows:?}"
        );
    }

    /// One unarchived mail quoted by two people in different zones (`22:58` in
    /// London, `23:58` in Dortmund) is one recovered message; a mail of the same
    /// author with other words, or two days later, is another.
    #[test]
    fn one_mail_quoted_in_two_zones_is_one_recovered_message() {
        let at = |h: u8, d: u8| {
            format!(
                r#"{{"year":2022,"month":3,"day":{d},"hour":{h},"minute":58,"offset_minutes":null,"day_month_ambiguous":false}}"#
            )
        };
        let words = "Thanks. On March 29 I upgraded to the latest version of R and RStudio, and the check still fails on Windows.";
        let q = |h: u8, d: u8, text: &str| {
            quote_with(
                &attr(
                    "On 31/03/2022, Sam Green wrote:",
                    Some("Sam Green"),
                    None,
                    Some(&at(h, d)),
                ),
                text,
            )
        };
        let msgs = vec![
            am("a@x", "Tom", 1_648_800_000, "top", Some(&q(22, 31, words))),
            am("b@x", "Uwe", 1_648_810_000, "top", Some(&q(23, 31, words))),
        ];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].quoted_by, 2);
        let msgs = vec![
            am("a@x", "Tom", 1_648_800_000, "top", Some(&q(22, 31, words))),
            am("b@x", "Uwe", 1_648_990_000, "top", Some(&q(23, 2, words))),
            am("c@x", "Ivan", 1_648_810_000, "top", Some(&q(23, 31, "A different mail about vignettes that build slowly on the Windows check machines."))),
        ];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert_eq!(rows.len(), 3, "{rows:?}");
    }

    /// `06/07/2021` is June 7 or July 6: the archived message on either day
    /// is the original.
    #[test]
    fn an_ambiguous_day_and_month_is_read_both_ways() {
        for (ambiguous, recovered) in [(true, 0), (false, 1)] {
            let date = format!(
                r#"{{"year":2021,"month":6,"day":7,"hour":15,"minute":11,"offset_minutes":null,"day_month_ambiguous":{ambiguous}}}"#
            );
            // a short quote: matched by author and time alone
            let q = quote_with(
                &attr(
                    "On 06/07/2021 3:11 p.m., Alex wrote:",
                    Some("Alex Chubaty"),
                    None,
                    Some(&date),
                ),
                "Same issue with NetLogoR here.",
            );
            // archived on July 6, 19:11 UTC (13:11 at -06:00)
            let msgs = vec![
                am(
                    "alex@x",
                    "Alex Chubaty",
                    1_625_598_698,
                    "A longer message about lazy loading on winbuilder",
                    None,
                ),
                am("a@x", "Murray", 1_625_606_339, "top", Some(&q)),
            ];
            let (rows, _) = reconstruct_list("l", &msgs);
            assert_eq!(rows.len(), recovered, "{rows:?}");
        }
    }

    /// Divmod's `On 06:30 pm, x wrote:` is dated on the quoting day.
    #[test]
    fn a_time_only_attribution_is_dated_on_the_quoting_day() {
        let mut a = attr(
            "On 03:01 pm, jane at example.org wrote:",
            None,
            Some("jane@example.org"),
            None,
        );
        a = a.replace(r#""date_text":null"#, r#""date_text":"03:01 pm""#);
        let q = quote_with(&a, WORDS);
        let mut m = am("a@x", "Anriette", 1_189_201_117, "top", Some(&q));
        m.date_offset = Some(-4 * 3600);
        let (rows, _) = reconstruct_list("l", &[m]);
        assert_eq!(rows.len(), 1);
        let d = rows[0].date.and_then(plenary_mail::date::utc_to_civil);
        assert_eq!(d, Some((2007, 9, 7, 19, 1)));
        assert!(rows[0].date_exact);
    }

    /// A quote mis-cut after "<snip>" holds the replier's words, not the
    /// original's: the archived parent by headers, by the same author the
    /// same day, is still the original — nothing is made up.
    #[test]
    fn an_archived_parent_by_the_same_author_is_the_original_whatever_the_words() {
        let q = one_quote(
            Some("Ana Neves"),
            36,
            "<snip> Yes, I was also ignorant of TLS in this framework until today",
        );
        let mut reply = am("a@x", "Anriette", 1_753_295_434, "top", Some(&q));
        reply.parent = Some("ana@x".into());
        let msgs = vec![
            am(
                "ana@x",
                "Ana Neves",
                1_753_291_000,
                "A completely different question about endpoints",
                None,
            ),
            reply,
        ];
        let (rows, _) = reconstruct_list("l", &msgs);
        assert!(rows.is_empty(), "{rows:?}");
    }
}
