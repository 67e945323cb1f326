//! Thread reconstruction: Jamie Zawinski's algorithm over References and
//! In-Reply-To (with ghost containers for messages not archived), then the
//! normalised subject within a time window for sources without those
//! headers (pipermail pages). Written here because the threading crates on
//! crates.io are tied to their own message types and do not do the subject
//! window or stable root keys the store relies on.

use std::collections::HashMap;

/// What the threader needs to know about one message.
#[derive(Debug, Clone)]
pub struct ThreadInput {
    /// The caller's stable id of the message.
    pub id: String,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    /// The References header's Message-IDs, oldest first, separated by whitespace (one
    /// string as stored, not one per id: a list's inputs are held at once, and their
    /// reference chains were most of them).
    pub references: String,
    pub thread_subject: String,
    pub is_reply: bool,
    /// UTC seconds.
    pub date: Option<i64>,
}

impl ThreadInput {
    /// The References header's Message-IDs, oldest first.
    pub fn references(&self) -> std::str::SplitWhitespace<'_> {
        self.references.split_whitespace()
    }

    /// Whether the message has a References or In-Reply-To header.
    pub fn has_reference_headers(&self) -> bool {
        self.references().next().is_some() || self.in_reply_to.is_some()
    }
}

/// Where a message sits in its thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadLink {
    /// Index (into the input) of the archived parent.
    pub parent: Option<usize>,
    /// The Message-ID of a parent that is referenced but not archived.
    pub ghost_parent: Option<String>,
    /// Stable key of the thread's root: its Message-ID (archived or ghost),
    /// else the root message's id. Unchanged when a missing root arrives later.
    pub root_key: String,
    /// How the parent was found (none for a root).
    pub evidence: Option<ThreadEvidence>,
}

/// How a message's parent was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadEvidence {
    /// The References header.
    References,
    /// In-Reply-To, where it names another parent than References' last.
    InReplyTo,
    /// No reference headers: the latest earlier message with the same subject.
    Subject,
}

impl ThreadEvidence {
    /// The name stored (`references`, `in-reply-to`, `subject`).
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadEvidence::References => "references",
            ThreadEvidence::InReplyTo => "in-reply-to",
            ThreadEvidence::Subject => "subject",
        }
    }
}

struct Container<'a> {
    msg: Option<usize>,
    /// (borrowed from the inputs: a list's ids are not copied)
    msgid: Option<&'a str>,
    parent: Option<usize>,
    evidence: Option<ThreadEvidence>,
}

const MAX_DEPTH: usize = 100_000;

/// Builds threads for one list. `subject_window` is how far back (seconds) a
/// reply without headers may look for a message with the same subject.
pub fn build_threads(msgs: &[ThreadInput], subject_window: i64) -> Vec<ThreadLink> {
    let mut conts: Vec<Container> = Vec::with_capacity(msgs.len() * 2);
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(msgs.len() * 2);
    let mut own: Vec<usize> = Vec::with_capacity(msgs.len());

    fn get<'a>(
        conts: &mut Vec<Container<'a>>,
        by_id: &mut HashMap<&'a str, usize>,
        id: &'a str,
    ) -> usize {
        if let Some(c) = by_id.get(id) {
            return *c;
        }
        conts.push(Container {
            msg: None,
            msgid: Some(id),
            parent: None,
            evidence: None,
        });
        by_id.insert(id, conts.len() - 1);
        conts.len() - 1
    }

    fn is_ancestor(conts: &[Container<'_>], anc: usize, mut node: usize) -> bool {
        for _ in 0..MAX_DEPTH {
            if node == anc {
                return true;
            }
            match conts[node].parent {
                Some(p) => node = p,
                None => return false,
            }
        }
        true
    }

    // 1. One container per message (duplicate Message-IDs get their own).
    for (i, m) in msgs.iter().enumerate() {
        let c = match m.message_id.as_deref() {
            Some(mid) => {
                let c = get(&mut conts, &mut by_id, mid);
                if conts[c].msg.is_some() {
                    conts.push(Container {
                        msg: Some(i),
                        msgid: None,
                        parent: None,
                        evidence: None,
                    });
                    conts.len() - 1
                } else {
                    conts[c].msg = Some(i);
                    c
                }
            }
            None => {
                conts.push(Container {
                    msg: Some(i),
                    msgid: None,
                    parent: None,
                    evidence: None,
                });
                conts.len() - 1
            }
        };
        own.push(c);
    }

    // 2. Link the reference chains; the message's own last reference wins.
    for (i, m) in msgs.iter().enumerate() {
        let c = own[i];
        let mut chain: Vec<&str> = Vec::new();
        for r in m.references() {
            if !chain.contains(&r) && Some(r) != m.message_id.as_deref() {
                chain.push(r);
            }
        }
        let mut evidence = ThreadEvidence::References;
        if let Some(irt) = m.in_reply_to.as_deref() {
            if chain.last() != Some(&irt) && Some(irt) != m.message_id.as_deref() {
                chain.retain(|x| *x != irt);
                chain.push(irt);
                evidence = ThreadEvidence::InReplyTo;
            }
        }
        for w in chain.windows(2) {
            let a = get(&mut conts, &mut by_id, w[0]);
            let b = get(&mut conts, &mut by_id, w[1]);
            if a != b && conts[b].parent.is_none() && !is_ancestor(&conts, b, a) {
                conts[b].parent = Some(a);
                conts[b].evidence = Some(ThreadEvidence::References);
            }
        }
        if let Some(last) = chain.last() {
            let p = get(&mut conts, &mut by_id, last);
            if p != c && !is_ancestor(&conts, c, p) {
                conts[c].parent = Some(p);
                conts[c].evidence = Some(evidence);
            }
        }
    }

    // 3. Replies without any reference header: the latest earlier message with
    //    the same normalised subject within the window.
    let mut order: Vec<usize> = (0..msgs.len()).collect();
    order.sort_by_key(|&i| (msgs[i].date.unwrap_or(i64::MIN), i));
    let mut last_by_subject: HashMap<&str, (usize, i64)> = HashMap::new();
    for &i in &order {
        let m = &msgs[i];
        let c = own[i];
        let no_refs = !m.has_reference_headers();
        if no_refs && m.is_reply && conts[c].parent.is_none() && !m.thread_subject.is_empty() {
            if let (Some(&(j, dj)), Some(di)) =
                (last_by_subject.get(m.thread_subject.as_str()), m.date)
            {
                let pc = own[j];
                if di - dj <= subject_window && !is_ancestor(&conts, c, pc) {
                    conts[c].parent = Some(pc);
                    conts[c].evidence = Some(ThreadEvidence::Subject);
                }
            }
        }
        if !m.thread_subject.is_empty() {
            if let Some(d) = m.date {
                last_by_subject.insert(m.thread_subject.as_str(), (i, d));
            }
        }
    }

    // 4. Read off parents and roots.
    let mut root_cache: Vec<Option<usize>> = vec![None; conts.len()];
    let mut out = Vec::with_capacity(msgs.len());
    for (i, m) in msgs.iter().enumerate() {
        let c = own[i];
        let (parent, ghost_parent) = match conts[c].parent {
            Some(p) => match conts[p].msg {
                Some(pm) => (Some(pm), None),
                None => (None, conts[p].msgid.map(str::to_string)),
            },
            None => (None, None),
        };
        // root, with path caching
        let mut path = Vec::new();
        let mut node = c;
        let root = loop {
            if let Some(r) = root_cache[node] {
                break r;
            }
            path.push(node);
            match conts[node].parent {
                Some(p) if path.len() < MAX_DEPTH => node = p,
                _ => break node,
            }
        };
        for n in path {
            root_cache[n] = Some(root);
        }
        let root_key = match (&conts[root].msgid, conts[root].msg) {
            (Some(mid), _) => mid.to_string(),
            (None, Some(mi)) => msgs[mi]
                .message_id
                .clone()
                .unwrap_or_else(|| msgs[mi].id.clone()),
            (None, None) => m.id.clone(),
        };
        out.push(ThreadLink {
            parent,
            ghost_parent,
            root_key,
            evidence: conts[c].evidence,
        });
    }
    out
}

/// A thread as rethreading sums it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadSummary {
    /// Stable id: a hash of the list and the root key (see [`thread_id`]).
    pub id: String,
    /// Named after its earliest root-level message (normalised subject).
    pub subject: String,
    pub root_key: String,
    pub count: i64,
    /// UTC seconds of the first and last message.
    pub first: Option<i64>,
    pub last: Option<i64>,
}

/// A thread's id: the list and its root's key, hashed, so a late-arriving root joins
/// the same thread and month boundaries never split one.
pub fn thread_id(list: &str, root_key: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("{list}\0{root_key}").as_bytes());
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Sums up the threads of one list: for each message its thread id, and each thread
/// with its subject, count and dates. `subjects[i]` is message `i`'s own subject as
/// written (its normalised form names the thread; `thread_subject` stands in when
/// it normalises to nothing).
pub fn summarize(
    list: &str,
    msgs: &[ThreadInput],
    subjects: &[Option<String>],
    links: &[ThreadLink],
) -> (Vec<String>, Vec<ThreadSummary>) {
    struct Agg {
        summary: ThreadSummary,
        named_by_root: bool,
    }
    let mut ids = Vec::with_capacity(links.len());
    let mut order: Vec<String> = Vec::new();
    let mut agg: HashMap<String, Agg> = HashMap::new();
    for (i, link) in links.iter().enumerate() {
        let tid = thread_id(list, &link.root_key);
        ids.push(tid.clone());
        let date = msgs.get(i).and_then(|m| m.date);
        let is_root = link.parent.is_none();
        let subj = subjects
            .get(i)
            .and_then(|s| s.as_deref())
            .map(crate::subject::normalize_subject)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| {
                msgs.get(i)
                    .map(|m| m.thread_subject.clone())
                    .unwrap_or_default()
            });
        let entry = agg.entry(tid.clone()).or_insert_with(|| {
            order.push(tid);
            Agg {
                summary: ThreadSummary {
                    id: String::new(),
                    subject: subj.clone(),
                    root_key: link.root_key.clone(),
                    count: 0,
                    first: date,
                    last: date,
                },
                named_by_root: is_root,
            }
        });
        let s = &mut entry.summary;
        s.count += 1;
        // Name the thread after its earliest root-level message.
        let earlier = match (date, s.first) {
            (Some(d), Some(f)) => d < f,
            (Some(_), None) => true,
            _ => false,
        };
        if (is_root && (!entry.named_by_root || earlier)) || (!entry.named_by_root && earlier) {
            s.subject = subj;
            entry.named_by_root = is_root;
        }
        s.first = match (s.first, date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        s.last = match (s.last, date) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    let threads = order
        .into_iter()
        .filter_map(|id| agg.remove(&id).map(|a| ThreadSummary { id, ..a.summary }))
        .collect();
    (ids, threads)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, irt: Option<&str>, refs: &[&str], subj: &str, date: i64) -> ThreadInput {
        ThreadInput {
            id: id.to_string(),
            message_id: Some(id.to_string()),
            in_reply_to: irt.map(str::to_string),
            references: refs.join(" "),
            thread_subject: crate::subject::normalize_subject(subj),
            is_reply: crate::subject::is_reply_subject(subj),
            date: Some(date),
        }
    }

    #[test]
    fn references_and_ghosts() {
        let msgs = vec![
            m("a", None, &[], "Topic", 0),
            m("c", Some("b"), &["a", "b"], "Re: Topic", 20),
            m("d", Some("a"), &[], "Re: Topic", 30),
        ];
        let t = build_threads(&msgs, 86400);
        assert_eq!(t[0].parent, None);
        assert_eq!(t[1].parent, None);
        assert_eq!(t[1].ghost_parent.as_deref(), Some("b"));
        assert_eq!(t[2].parent, Some(0));
        assert!(t.iter().all(|l| l.root_key == "a"));
    }

    #[test]
    fn missing_parent_arriving_later_keeps_the_thread() {
        let before = build_threads(&[m("c", Some("b"), &["b"], "Re: T", 20)], 86400);
        let after = build_threads(
            &[
                m("c", Some("b"), &["b"], "Re: T", 20),
                m("b", None, &[], "T", 10),
            ],
            86400,
        );
        assert_eq!(before[0].root_key, "b");
        assert_eq!(after[0].root_key, "b");
        assert_eq!(after[0].parent, Some(1));
    }

    #[test]
    fn subject_window_for_headerless_replies() {
        let mut a = m("a", None, &[], "[L] Plan", 0);
        a.message_id = None;
        let mut b = m("b", None, &[], "Re: [L] Plan", 3600);
        b.message_id = None;
        let mut c = m("c", None, &[], "Re: Plan", 90 * 86400);
        c.message_id = None;
        let t = build_threads(&[a, b, c], 30 * 86400);
        assert_eq!(t[1].parent, Some(0));
        assert_eq!(t[1].evidence, Some(ThreadEvidence::Subject));
        assert_eq!(t[2].parent, None);
    }

    #[test]
    fn cycles_do_not_hang() {
        let msgs = vec![
            m("a", Some("b"), &["b"], "x", 0),
            m("b", Some("a"), &["a"], "x", 1),
        ];
        let t = build_threads(&msgs, 10);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].root_key, t[1].root_key);
    }

    #[test]
    fn summaries_name_threads_after_their_earliest_root_and_count_every_message() {
        let msgs = vec![
            m("r", Some("a@x"), &["a@x"], "plan", 200),
            m("a@x", None, &[], "plan", 100),
            m("b", None, &[], "other", 50),
        ];
        let subjects = vec![
            Some("Re: [WG] Plan".to_string()),
            Some("[WG] Plan".to_string()),
            Some("Other".to_string()),
        ];
        let links = build_threads(&msgs, 3600);
        let (ids, threads) = summarize("wg", &msgs, &subjects, &links);
        assert_eq!(ids[0], ids[1], "the reply is in its parent's thread");
        assert_ne!(ids[0], ids[2]);
        assert_eq!(ids[1], thread_id("wg", "a@x"));
        let plan = threads.iter().find(|t| t.id == ids[1]).expect("thread");
        assert_eq!(
            (plan.count, plan.first, plan.last),
            (2, Some(100), Some(200))
        );
        assert_eq!(plan.subject, "Plan");
        // the same root in another list is another thread
        assert_ne!(thread_id("wg", "a@x"), thread_id("mag", "a@x"));
    }
}
