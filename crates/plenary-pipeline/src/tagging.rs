//! Tags with evidence: sessions' declared tags, and the phrase tagger over sessions,
//! threads and messages.

use plenary_agenda::Session;
use plenary_frameworks::{Frameworks, Tagger, ACTION_LINES, GDC, SDGS, TOPICS};
use plenary_store::{Store, TagKind, TagRow, TagSource};
use std::path::Path;

use serde::Serialize;

use crate::error::Result;

/// The tagger imports use: the frameworks sessions declare tags from.
pub(crate) fn tagger(fw: &Frameworks) -> Tagger {
    Tagger::new(fw, &[ACTION_LINES, SDGS, GDC, TOPICS])
}

/// Declared tags of a session: what its page lists, resolved to framework codes.
pub(crate) fn declared_tags(s: &Session, fw: &Frameworks) -> Vec<TagRow> {
    let mut out = Vec::new();
    let mut push = |framework: &str, code: String| {
        out.push(TagRow {
            kind: TagKind::Session,
            target: s.id(),
            framework: framework.into(),
            code,
            source: TagSource::Declared,
            score: 1.0,
            evidence: None,
        })
    };
    for a in &s.action_lines {
        push(ACTION_LINES, a.clone());
    }
    for n in &s.sdgs {
        push(SDGS, n.to_string());
    }
    for n in &s.gdc_objectives {
        push(GDC, n.to_string());
    }
    for t in &s.topics {
        push(
            TOPICS,
            fw.topic_code(t)
                .unwrap_or_else(|| plenary_frameworks::slug(t)),
        );
    }
    out
}

/// The text the tagger reads for a session: title, description, guiding questions.
pub(crate) fn session_text(s: &Session) -> String {
    let mut t = format!("{}\n{}", s.title, s.description);
    for q in &s.guiding_questions {
        t.push('\n');
        t.push_str(q);
    }
    t
}

pub(crate) fn tag_rows(
    kind: TagKind,
    target: &str,
    tags: Vec<plenary_frameworks::Tag>,
) -> Vec<TagRow> {
    tags.into_iter()
        .map(|t| TagRow {
            kind,
            target: target.into(),
            framework: t.framework,
            code: t.code,
            source: TagSource::Tagger,
            score: t.score,
            evidence: serde_json::to_value(&t.evidence).ok(),
        })
        .collect()
}

/// Below this share of messages using governance words at all, a list is not about
/// governance (twisted-web 1 %, r-package-devel 5 %; a governance list's messages
/// mostly do).
const GOVERNANCE_LIST_SHARE: f64 = 0.15;

/// Whether the tagger runs strictly over `list` (`ids`: its threads): the list's prior,
/// how many of its messages use governance words at all. A list where few do (a software
/// list) gets tags only on strong evidence. Read from an even sample of at most ~500
/// threads, not a second pass over the list: the share is 1–5 % on software lists, far
/// from the threshold.
fn strictness(store: &Store, ids: &[String], tagger: &Tagger) -> Result<bool> {
    let step = (ids.len() / 500).max(1);
    let sample: Vec<String> = ids.iter().step_by(step).cloned().collect();
    let (mut with_context, mut messages) = (0usize, 0usize);
    for chunk in sample.chunks(500) {
        for th in store.thread_texts_of(chunk)? {
            for (_, text) in &th.messages {
                messages += 1;
                with_context += usize::from(tagger.in_governance_sense(text));
            }
        }
    }
    Ok((with_context as f64) < GOVERNANCE_LIST_SHARE * messages as f64)
}

/// Thread and message tags of the given (existing) threads: `(thread tags, message
/// tags)`, every target listed even without tags, so writing them replaces old ones.
type Targets = Vec<(String, Vec<TagRow>)>;

fn tag_threads(
    store: &Store,
    ids: &[String],
    tagger: &Tagger,
    strict: bool,
) -> Result<(Targets, Targets)> {
    let mut thread_tags = Vec::new();
    let mut message_tags = Vec::new();
    for th in store.thread_texts_of(ids)? {
        let mut parts = Vec::with_capacity(th.messages.len() + 1);
        parts.push((th.id.clone(), tagger.tag_with(&th.subject, strict)));
        for (mid, text) in &th.messages {
            let tags = tagger.tag_with(text, strict);
            message_tags.push((mid.clone(), tag_rows(TagKind::Message, mid, tags.clone())));
            parts.push((mid.clone(), tags));
        }
        let tags = tagger.combine(&parts);
        thread_tags.push((th.id.clone(), tag_rows(TagKind::Thread, &th.id, tags)));
    }
    Ok((thread_tags, message_tags))
}

/// Tags every message (new text) and thread (subject and its messages' tags, combined)
/// of the given lists, one thread at a time. Returns (threads tagged, messages tagged).
pub(crate) fn tag_lists(
    store: &mut Store,
    lists: &[String],
    fw: &Frameworks,
) -> Result<(usize, usize)> {
    let tagger = tagger(fw);
    let (mut nt, mut nm) = (0, 0);
    for list in lists {
        // only tagged rows are written: the old ones go first
        store.clear_list_tags(list, TagSource::Tagger)?;
        let ids = store.thread_ids(list)?;
        let strict = strictness(store, &ids, &tagger)?;
        // a few hundred threads at a time keeps memory flat on big lists
        for chunk in ids.chunks(500) {
            let (mut thread_tags, mut message_tags) = tag_threads(store, chunk, &tagger, strict)?;
            thread_tags.retain(|(_, t)| !t.is_empty());
            message_tags.retain(|(_, t)| !t.is_empty());
            nt += thread_tags.len();
            nm += message_tags.len();
            store.replace_tags(TagKind::Thread, TagSource::Tagger, &thread_tags)?;
            store.replace_tags(TagKind::Message, TagSource::Tagger, &message_tags)?;
        }
        store.set_tag_strict(list, strict)?;
    }
    Ok((nt, nm))
}

/// Tags what an import touched in `list`, with the same result as [`tag_lists`] over the
/// whole list: the threads in `threads` (those whose messages, reconstructions or own
/// words changed; ids no longer stored lose their tags) and their messages, and
/// `gone` (reconstructed messages that no longer exist) lose theirs. A message's tags
/// depend on its text and the list's mode (strict or not), a thread's on its subject
/// and messages: when the mode differs from the one recorded with the list's tags (or
/// none is recorded), every tag of the list may change, so the whole list is retagged
/// (deliberately: the scope is then the list). Returns the list's tagged threads.
pub(crate) fn tag_touched(
    store: &mut Store,
    list: &str,
    threads: &[String],
    gone: &[String],
    fw: &Frameworks,
) -> Result<usize> {
    let tagger = tagger(fw);
    let ids = store.thread_ids(list)?;
    let strict = strictness(store, &ids, &tagger)?;
    if store.tag_strict(list)? != Some(strict) {
        tag_lists(store, &[list.to_string()], fw)?;
        return Ok(store.tagged_thread_count(list)?);
    }
    let (mut thread_tags, mut message_tags) = tag_threads(store, threads, &tagger, strict)?;
    // touched threads that are gone (absorbed into another) keep no tags
    let present: std::collections::HashSet<&str> =
        thread_tags.iter().map(|(id, _)| id.as_str()).collect();
    let absent: Vec<String> = threads
        .iter()
        .filter(|t| !present.contains(t.as_str()))
        .cloned()
        .collect();
    thread_tags.extend(absent.into_iter().map(|t| (t, Vec::new())));
    message_tags.extend(gone.iter().map(|id| (id.clone(), Vec::new())));
    store.replace_tags(TagKind::Thread, TagSource::Tagger, &thread_tags)?;
    store.replace_tags(TagKind::Message, TagSource::Tagger, &message_tags)?;
    Ok(store.tagged_thread_count(list)?)
}

/// Recall and precision of the tagger against sessions' declared tags, per framework.
#[derive(Debug, Serialize)]
pub struct TagEval {
    pub framework: String,
    pub sessions: usize,
    pub declared: usize,
    pub found: usize,
    pub correct: usize,
    pub recall: f64,
    pub precision: f64,
}

pub(crate) fn eval_tags(store: &Store, fw: &Frameworks) -> Result<Vec<TagEval>> {
    let tagger = tagger(fw);
    let sessions = store.sessions(None)?;
    let mut out = Vec::new();
    for framework in [ACTION_LINES, SDGS, GDC, TOPICS] {
        let (mut n, mut declared, mut found, mut correct) = (0, 0, 0, 0);
        for s in &sessions {
            let want: Vec<String> = declared_tags(s, fw)
                .into_iter()
                .filter(|t| t.framework == framework)
                .map(|t| t.code)
                .collect();
            if want.is_empty() || s.description.trim().is_empty() {
                continue;
            }
            n += 1;
            let got: Vec<String> = tagger
                .tag(&session_text(s))
                .into_iter()
                .filter(|t| t.framework == framework)
                .map(|t| t.code)
                .collect();
            declared += want.len();
            found += got.len();
            correct += got.iter().filter(|g| want.contains(g)).count();
        }
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                (a as f64 / b as f64 * 1000.0).round() / 10.0
            }
        };
        out.push(TagEval {
            framework: framework.into(),
            sessions: n,
            declared,
            found,
            correct,
            recall: ratio(correct, declared),
            precision: ratio(correct, found),
        });
    }
    Ok(out)
}

/// What `retag` did.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RetagSummary {
    pub sessions: usize,
    pub threads: usize,
    pub messages: usize,
}

/// Re-runs the tagger on every session, thread and message, and re-reads every
/// session's declared tags.
pub(crate) fn retag(store: &mut Store, fw: &Frameworks) -> Result<RetagSummary> {
    let sessions = store.sessions(None)?;
    tag_sessions(store, &sessions, &tagger(fw), fw)?;
    let lists: Vec<String> = store.lists()?.into_iter().map(|l| l.slug).collect();
    let (threads, messages) = tag_lists(store, &lists, fw)?;
    Ok(RetagSummary {
        sessions: sessions.len(),
        threads,
        messages,
    })
}

/// Replaces the declared and the tagger's tags of these sessions.
pub(crate) fn tag_sessions(
    store: &mut Store,
    sessions: &[Session],
    tagger: &Tagger,
    fw: &Frameworks,
) -> Result<()> {
    let mut declared = Vec::with_capacity(sessions.len());
    let mut inferred = Vec::with_capacity(sessions.len());
    for s in sessions {
        declared.push((s.id(), declared_tags(s, fw)));
        inferred.push((
            s.id(),
            tag_rows(TagKind::Session, &s.id(), tagger.tag(&session_text(s))),
        ));
    }
    store.replace_tags(TagKind::Session, TagSource::Declared, &declared)?;
    store.replace_tags(TagKind::Session, TagSource::Tagger, &inferred)?;
    Ok(())
}

/// Tags judged by a reader (`tests/gold/tags/judged.tsv`: scope, corpus, id,
/// framework, item, verdict `right`/`wrong`, note), against what the store's tagger
/// gives now. Only rows whose thread or message is in this store count.
#[derive(Debug, Serialize)]
pub struct TagGoldEval {
    pub scopes: Vec<TagGoldScope>,
}

#[derive(Debug, Serialize)]
pub struct TagGoldScope {
    /// `thread` or `message`.
    pub scope: String,
    /// Judged rows whose target is in this store.
    pub judged: usize,
    /// Of those, judged right.
    pub judged_right: usize,
    /// Judged tags the tagger still gives.
    pub given: usize,
    /// Of those, judged right.
    pub given_right: usize,
    /// given_right / given: how often a judged tag that is shown is right.
    pub precision: f64,
    /// given_right / judged_right: how many of the right ones are still shown.
    pub recall: f64,
    /// Tags on the judged targets that nobody judged (new since the judging).
    pub unjudged: usize,
}

pub(crate) fn eval_tags_gold(store: &Store, gold: &Path) -> Result<TagGoldEval> {
    let text = std::fs::read_to_string(gold).map_err(crate::error::io_error(gold))?;
    let mut scopes = Vec::new();
    for (scope, kind) in [("thread", TagKind::Thread), ("message", TagKind::Message)] {
        let mut e = TagGoldScope {
            scope: scope.into(),
            judged: 0,
            judged_right: 0,
            given: 0,
            given_right: 0,
            precision: 0.0,
            recall: 0.0,
            unjudged: 0,
        };
        let present = |id: &str| -> Result<bool> {
            Ok(match kind {
                TagKind::Thread => store.thread(id)?.is_some(),
                _ => store.message(id)?.is_some(),
            })
        };
        let mut judged_keys: std::collections::HashSet<(String, String, String)> =
            Default::default();
        let mut targets: std::collections::BTreeSet<String> = Default::default();
        for line in text.lines().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 6 || c[0] != scope || !present(c[2])? {
                continue;
            }
            let (id, fw, code) = (c[2], c[3], c[4]);
            // seed-thread.tsv lists the items a reader expects: right by definition
            let right = c[5] == "right" || c[5] == "expected";
            judged_keys.insert((id.into(), fw.into(), code.into()));
            targets.insert(id.into());
            e.judged += 1;
            e.judged_right += usize::from(right);
            let given = store
                .tags_of(kind, id)?
                .iter()
                .any(|t| t.source == TagSource::Tagger && t.framework == fw && t.code == code);
            if given {
                e.given += 1;
                e.given_right += usize::from(right);
            }
        }
        for id in &targets {
            e.unjudged += store
                .tags_of(kind, id)?
                .iter()
                .filter(|t| {
                    t.source == TagSource::Tagger
                        && !judged_keys.contains(&(id.clone(), t.framework.clone(), t.code.clone()))
                })
                .count();
        }
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                100.0
            } else {
                (a as f64 / b as f64 * 1000.0).round() / 10.0
            }
        };
        e.precision = ratio(e.given_right, e.given);
        e.recall = ratio(e.given_right, e.judged_right);
        scopes.push(e);
    }
    Ok(TagGoldEval { scopes })
}
