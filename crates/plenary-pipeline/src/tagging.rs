//! Tags with evidence: sessions' declared tags, and the phrase tagger over sessions,
//! threads and messages.

use plenary_agenda::Session;
use plenary_frameworks::{Frameworks, Tagger, ACTION_LINES, GDC, SDGS, TOPICS};
use plenary_store::{Store, TagKind, TagRow, TagSource};
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
        // a few hundred threads at a time keeps memory flat on big lists
        for chunk in ids.chunks(500) {
            let mut thread_tags = Vec::new();
            let mut message_tags = Vec::new();
            for th in store.thread_texts_of(chunk)? {
                let mut parts = Vec::with_capacity(th.messages.len() + 1);
                parts.push((th.id.clone(), tagger.tag(&th.subject)));
                for (mid, text) in &th.messages {
                    let tags = tagger.tag(text);
                    if !tags.is_empty() {
                        nm += 1;
                        message_tags
                            .push((mid.clone(), tag_rows(TagKind::Message, mid, tags.clone())));
                    }
                    parts.push((mid.clone(), tags));
                }
                let tags = tagger.combine(&parts);
                if !tags.is_empty() {
                    nt += 1;
                    thread_tags.push((th.id.clone(), tag_rows(TagKind::Thread, &th.id, tags)));
                }
            }
            store.replace_tags(TagKind::Thread, TagSource::Tagger, &thread_tags)?;
            store.replace_tags(TagKind::Message, TagSource::Tagger, &message_tags)?;
        }
    }
    Ok((nt, nm))
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
