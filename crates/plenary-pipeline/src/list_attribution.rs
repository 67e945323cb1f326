//! Which list a message belongs to when its headers do not say it outright: the
//! rules that weigh List-Id, subject tags, the source it came from and `--list`.

use std::collections::HashMap;

use plenary_mail::{ListEvidence, ListRef};
use plenary_store::list_slug;

/// Where messages share their list: an mbox file (`path#N` → `path`), a Maildir
/// or folder of messages, or the whole pipermail tree a month file or page sits in.
pub(crate) fn source_of(origin: &str, pipermail: bool) -> String {
    // `path#N + page.html` when a pipermail page was paired with the message.
    let origin = origin.split(" + ").next().unwrap_or(origin);
    let file = match origin.rfind('#') {
        Some(i) => &origin[..i],
        None => origin,
    };
    let p = std::path::Path::new(file);
    let mut dir = if origin.contains('#') && !pipermail {
        return file.to_string();
    } else {
        p.parent()
    };
    if pipermail && file.ends_with(".html") {
        dir = dir.and_then(|d| d.parent());
    }
    dir.map(|d| d.display().to_string()).unwrap_or_default()
}

/// The lists seen in one source, by slug, with how often List-Id or the
/// subject tag named them.
#[derive(Default)]
pub(crate) struct SourceLists {
    seen: HashMap<String, (ListRef, usize)>,
}

impl SourceLists {
    /// The source's main list once at least three messages agree on it.
    fn established(&self) -> Option<&ListRef> {
        self.seen
            .values()
            .filter(|(_, n)| *n >= 3)
            .max_by_key(|(_, n)| *n)
            .map(|(l, _)| l)
    }

    fn record(&mut self, l: &ListRef) {
        let e = self
            .seen
            .entry(list_slug(&l.name))
            .or_insert_with(|| (l.clone(), 0));
        e.1 += 1;
    }

    /// Decides a message's list: List-Id is final; a subject tag naming another
    /// list than the source's main one is a cross-post (pipermail archives hold
    /// one list; other sources keep the tag unless the main list is also tagged);
    /// weaker evidence (path, --list) yields to what the source holds.
    pub(crate) fn decide(
        &mut self,
        list: Option<ListRef>,
        subject: Option<&str>,
        pipermail: bool,
        tag_aliases: &mut HashMap<String, ListRef>,
    ) -> Option<ListRef> {
        let main = self.established().cloned();
        // A tag seen beside a List-Id names that list (`[GDC]` → gdc-consultation).
        let list = match list {
            Some(l) if l.evidence == ListEvidence::ListId => {
                if let Some(tag) = subject.and_then(plenary_mail::subject::list_tag) {
                    if list_slug(&tag) != list_slug(&l.name) {
                        tag_aliases.insert(list_slug(&tag), l.clone());
                    }
                }
                Some(l)
            }
            Some(l) if l.evidence == ListEvidence::SubjectTag => {
                match tag_aliases.get(&list_slug(&l.name)) {
                    Some(a) => Some(ListRef {
                        name: a.name.clone(),
                        evidence: ListEvidence::SubjectTag,
                        address: a.address.clone(),
                    }),
                    None => Some(l),
                }
            }
            other => other,
        };
        let as_source = |l: &ListRef| ListRef {
            name: l.name.clone(),
            evidence: ListEvidence::Source,
            address: l.address.clone(),
        };
        match list {
            Some(l) if l.evidence == ListEvidence::ListId => {
                self.record(&l);
                Some(l)
            }
            Some(l) if l.evidence == ListEvidence::SubjectTag => match main {
                Some(m) if list_slug(&m.name) != list_slug(&l.name) => {
                    let tagged = subject
                        .map(|s| {
                            plenary_mail::subject::all_tags(s)
                                .iter()
                                .any(|t| list_slug(t) == list_slug(&m.name))
                        })
                        .unwrap_or(false);
                    if pipermail || tagged {
                        Some(as_source(&m))
                    } else {
                        self.record(&l);
                        Some(l)
                    }
                }
                _ => {
                    self.record(&l);
                    Some(l)
                }
            },
            other => match main.or_else(|| {
                self.seen
                    .values()
                    .max_by_key(|(_, n)| *n)
                    .map(|(l, _)| l.clone())
            }) {
                Some(m) => Some(as_source(&m)),
                None => other,
            },
        }
    }
}
