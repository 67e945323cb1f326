//! Learning a list's footer from its messages.

/// The longest common suffix, by whole lines, of a list's message bodies:
/// the footer the list software appends to every message. Lines are compared
/// with trailing whitespace removed and trailing blank lines ignored; the
/// result must hold at least two non-blank lines. Needs at least two bodies.
/// Pass the result in [`crate::Options::footers`].
pub fn learned_footer(bodies: &[&str]) -> Option<String> {
    if bodies.len() < 2 {
        return None;
    }
    let split: Vec<Vec<&str>> = bodies
        .iter()
        .map(|b| {
            let mut ls: Vec<&str> = b.lines().map(|l| l.trim_end()).collect();
            while ls.last().is_some_and(|l| l.is_empty()) {
                ls.pop();
            }
            ls
        })
        .collect();
    let shortest = split.iter().map(|l| l.len()).min()?;
    let first = &split[0];
    let mut k = 0;
    while k < shortest {
        let want = first[first.len() - 1 - k];
        if split.iter().all(|ls| ls[ls.len() - 1 - k] == want) {
            k += 1;
        } else {
            break;
        }
    }
    let mut suffix: Vec<&str> = first[first.len() - k..].to_vec();
    while suffix.first().is_some_and(|l| l.trim().is_empty()) {
        suffix.remove(0);
    }
    let non_blank = suffix.iter().filter(|l| !l.trim().is_empty()).count();
    (non_blank >= 2).then(|| suffix.join("\n"))
}

/// The footers of a list whose software (or a gateway, an advertiser) appends
/// a block to many but not all messages: the trailing block — the last one,
/// two or three paragraphs — shared by at least 5 bodies and a tenth of them,
/// with at least two non-blank lines; besides the common suffix of all
/// ([`learned_footer`]). At most four, the longest first. Pass them in
/// [`crate::Options::footers`].
pub fn learned_footers(bodies: &[&str]) -> Vec<String> {
    use std::collections::HashMap;
    let mut out: Vec<String> = learned_footer(bodies).into_iter().collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for b in bodies {
        let lines: Vec<&str> = b.lines().map(str::trim_end).collect();
        let mut end = lines.len();
        while end > 0 && lines[end - 1].trim().is_empty() {
            end -= 1;
        }
        let mut start = end;
        for _ in 0..3 {
            // one more paragraph upwards
            while start > 0 && !lines[start - 1].trim().is_empty() {
                start -= 1;
            }
            let block: Vec<&str> = lines[start..end]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            if block.len() >= 2 && block.len() <= 40 && !block.iter().any(|l| l.starts_with('>')) {
                *seen.entry(block.join("\n")).or_default() += 1;
            }
            while start > 0 && lines[start - 1].trim().is_empty() {
                start -= 1;
            }
            if start == 0 {
                break;
            }
        }
    }
    let need = (bodies.len() / 10).max(5);
    let mut common: Vec<(String, usize)> = seen.into_iter().filter(|(_, n)| *n >= need).collect();
    // the longest first: a footer of three paragraphs before its last paragraph alone
    common.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(b.1.cmp(&a.1)));
    for (block, _) in common {
        if out.len() >= 4 {
            break;
        }
        if !out
            .iter()
            .any(|f| f.contains(&block) || block.contains(f.as_str()))
        {
            out.push(block);
        }
    }
    out
}

/// One message as [`learned_signatures`] reads it.
#[derive(Debug, Clone, Copy)]
pub struct AuthoredBody<'a> {
    /// Who wrote it: any stable key (an address, a folded name).
    pub author: &'a str,
    /// The author's name as shown, to recognise it in their signature.
    pub name: &'a str,
    /// The decoded body.
    pub body: &'a str,
}

/// The paragraphs of a body that could be a signature: 2–10 non-blank lines
/// not quoted with `>`, trimmed, with a leading closing line ("Best,") dropped.
fn candidate_blocks(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut flush = |cur: &mut Vec<&str>| {
        let mut start = 0;
        if let Some(first) = cur.first() {
            let bare = first
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if crate::lexicon::CLOSINGS.contains(&bare.as_str()) {
                start = 1;
            }
        }
        let block = &cur[start..];
        let chars: usize = block.iter().map(|l| l.len()).sum();
        if (2..=10).contains(&block.len()) && chars <= 800 {
            out.push(block.join("\n"));
        }
        cur.clear();
    };
    for line in body.lines().take(5000) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('>') {
            flush(&mut cur);
        } else {
            cur.push(t);
        }
    }
    flush(&mut cur);
    out
}

/// Whether a block names its author or reads like contact details.
fn signature_like(block: &str, name: &str) -> bool {
    let lower = block.to_lowercase();
    let named = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.chars().count() >= 3)
        .any(|t| lower.contains(&t.to_lowercase()));
    let contact = block.lines().any(|l| {
        let ll = l.to_lowercase();
        ll.contains("http")
            || ll.contains("www.")
            || ll.contains('@')
            || ll.contains(" at ") && ll.contains('.')
            || ll.starts_with("tel")
            || ll.starts_with("phone")
            || ll.starts_with("fax")
            || ll.starts_with("mobile")
            || l.chars().filter(char::is_ascii_digit).count() >= 7
    });
    named || contact
}

/// The signatures authors repeat without a `-- ` delimiter: per author, the
/// blocks ([`candidate_blocks`]) found in at least 3 of their messages and a
/// quarter of them, naming them or reading like contact details, and not
/// repeated by more than one other author (a block many authors carry is a
/// list footer or quoted text, not a signature). Pass an author's blocks in
/// [`crate::Options::signatures`]. Linear in the total text.
pub fn learned_signatures(
    messages: &[AuthoredBody<'_>],
) -> std::collections::HashMap<String, Vec<String>> {
    let mut learner = SignatureLearner::default();
    for m in messages {
        learner.add(*m);
    }
    learner.finish()
}

/// [`learned_signatures`] a message at a time, so a list's bodies need not be held
/// at once. It keeps a hash and its authors' counts per distinct candidate block, and
/// a block's text only from its second sighting on (most blocks are a paragraph seen
/// once; a signature needs three).
#[derive(Debug, Default)]
pub struct SignatureLearner {
    /// Authors by key, with their first name shown and their message count.
    authors: std::collections::HashMap<String, u32>,
    author_info: Vec<(String, String, usize)>,
    blocks: std::collections::HashMap<u64, SeenBlock>,
}

#[derive(Debug, Default)]
struct SeenBlock {
    /// Text, once seen twice.
    text: Option<String>,
    /// (author, messages holding it)
    by: Vec<(u32, usize)>,
}

impl SignatureLearner {
    /// Counts one message's candidate blocks for its author.
    pub fn add(&mut self, m: AuthoredBody<'_>) {
        use std::hash::{Hash, Hasher};
        let author = match self.authors.get(m.author) {
            Some(&a) => a,
            None => {
                let a = self.author_info.len() as u32;
                self.authors.insert(m.author.to_string(), a);
                self.author_info
                    .push((m.author.to_string(), m.name.to_string(), 0));
                a
            }
        };
        if let Some(info) = self.author_info.get_mut(author as usize) {
            info.2 += 1;
        }
        let mut blocks = candidate_blocks(m.body);
        blocks.sort_unstable();
        blocks.dedup();
        for b in blocks {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            b.hash(&mut h);
            let seen = self.blocks.entry(h.finish()).or_default();
            if !seen.by.is_empty() {
                match &seen.text {
                    // two blocks with one hash: the later one is not counted
                    Some(t) if *t != b => continue,
                    Some(_) => {}
                    None => seen.text = Some(b),
                }
            }
            match seen.by.iter_mut().find(|(a, _)| *a == author) {
                Some((_, n)) => *n += 1,
                None => seen.by.push((author, 1)),
            }
        }
    }

    /// Per author key, the blocks that are their signatures (at most 16, sorted).
    pub fn finish(self) -> std::collections::HashMap<String, Vec<String>> {
        use std::collections::HashMap;
        let info = &self.author_info;
        let key = |a: u32| info.get(a as usize).map_or("", |i| i.0.as_str());
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for (_, seen) in self.blocks {
            let by = &seen.by;
            if by.len() > 2 {
                continue;
            }
            let Some(block) = seen.text else {
                continue;
            };
            let Some(&(author, n)) = by.iter().max_by_key(|(a, n)| (*n, key(*a))) else {
                continue;
            };
            let Some((akey, name, total)) = info.get(author as usize) else {
                continue;
            };
            let others: usize = by
                .iter()
                .filter(|(a, _)| *a != author)
                .map(|(_, n)| *n)
                .sum();
            if n >= 3 && n * 4 >= *total && others < n && signature_like(&block, name) {
                out.entry(akey.clone()).or_default().push(block);
            }
        }
        for v in out.values_mut() {
            v.sort();
            v.truncate(16);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix() {
        let f = "_______________________________________________\nGovernance mailing list\nGovernance@lists.example.org\nhttps://lists.example.org/listinfo/governance";
        let a = format!("Hello all,\nI agree.\n\n{f}\n");
        let b = format!("Dear colleagues\n\nNo objection from us.\nBest\nMaria\n\n{f}\n\n");
        let c = format!("+1\n{f}");
        assert_eq!(learned_footer(&[&a, &b, &c]).as_deref(), Some(f));
        assert_eq!(learned_footer(&[&a]), None);
        assert_eq!(learned_footer(&["one\ntwo", "three\nfour"]), None);
        // one common line is not a footer
        assert_eq!(learned_footer(&["a\nThanks", "b\nThanks"]), None);
    }

    #[test]
    fn signatures_an_author_repeats() {
        let sig = "Ana Neves\nFCT - Fundação para a Ciência e a Tecnologia\n+351 213 924 300";
        let ana: Vec<String> = (0..4)
            .map(|i| format!("Point {i} of the agenda is fine.\n\nBest,\n{sig}\n\n> quoted {i}\n"))
            .collect();
        let bob: Vec<String> = (0..4)
            .map(|i| format!("I disagree with point {i}.\n\nThanks,\nBob\n"))
            .collect();
        let mut msgs: Vec<AuthoredBody> = ana
            .iter()
            .map(|b| AuthoredBody {
                author: "ana@fct.pt",
                name: "Ana Neves",
                body: b,
            })
            .collect();
        msgs.extend(bob.iter().map(|b| AuthoredBody {
            author: "bob@x.org",
            name: "Bob",
            body: b,
        }));
        let learned = learned_signatures(&msgs);
        assert_eq!(learned.get("ana@fct.pt"), Some(&vec![sig.to_string()]));
        assert!(
            !learned.contains_key("bob@x.org"),
            "a closing and a first name: not a block"
        );
        // a block three authors carry is not anyone's signature
        let shared = "Join us at the forum\nhttps://forum.example.org";
        let bodies: Vec<String> = (0..9).map(|i| format!("msg {i}\n\n{shared}\n")).collect();
        let msgs: Vec<AuthoredBody> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| AuthoredBody {
                author: ["a", "b", "c"][i % 3],
                name: "X Y",
                body: b,
            })
            .collect();
        assert!(learned_signatures(&msgs).is_empty());
    }

    #[test]
    fn a_learned_signature_leaves_the_own_text() {
        let sig = "Ana Neves\nFCT - Fundação para a Ciência e a Tecnologia\n+351 213 924 300";
        let body = format!("The agenda is fine.\n\nBest,\n{sig}\n");
        let opts = crate::Options {
            signatures: vec![sig.to_string()],
            ..Default::default()
        };
        let a = crate::analyze_with(&body, &opts);
        assert!(
            !a.messages[0].text.contains("213 924"),
            "{:?}",
            a.messages[0].text
        );
        assert!(a.messages[0].text.contains("The agenda is fine."));
        assert!(a
            .zones
            .iter()
            .any(|z| z.kind == crate::ZoneKind::Signature && body[z.start..z.end].contains("FCT")));
        // without it, the block is the message's own text
        let plain = crate::analyze(&body);
        assert!(plain.messages[0].text.contains("213 924"));
    }

    /// The learner fed one message at a time (as a list is paged through) learns what
    /// the whole list gives: an author's repeated block, not a block three authors
    /// share, not a block seen twice, and not another author's one-off paragraph.
    #[test]
    fn the_signature_learner_a_message_at_a_time() {
        let sig =
            "Dirk Hansen\nInstitute of Statistics, Example University\nhttps://example.edu/~dirk";
        let shared = "Join us at the meeting\nRoom 4, 10:00";
        let mut msgs: Vec<(String, String, String)> = Vec::new();
        for i in 0..5 {
            msgs.push((
                "dirk@example.edu".into(),
                "Dirk Hansen".into(),
                format!("Point {i} of the plan.\n\n{sig}\n"),
            ));
        }
        for a in ["a@x.org", "b@x.org", "c@x.org"] {
            msgs.push((a.into(), "Someone".into(), format!("Yes.\n\n{shared}\n")));
        }
        for i in 0..2 {
            msgs.push((
                "eve@x.org".into(),
                "Eve Stone".into(),
                format!("Note {i}\n\nEve Stone\nhttps://eve.example.org\n"),
            ));
        }
        let batch: Vec<AuthoredBody> = msgs
            .iter()
            .map(|(a, n, b)| AuthoredBody {
                author: a,
                name: n,
                body: b,
            })
            .collect();
        let whole = learned_signatures(&batch);
        let mut learner = SignatureLearner::default();
        for (a, n, b) in &msgs {
            // each body dropped after it is read, as a page of bodies is
            let body = b.clone();
            learner.add(AuthoredBody {
                author: a,
                name: n,
                body: &body,
            });
        }
        let paged = learner.finish();
        assert_eq!(paged, whole);
        assert_eq!(paged.get("dirk@example.edu"), Some(&vec![sig.to_string()]));
        assert_eq!(paged.len(), 1, "{paged:?}");
    }

    #[test]
    fn footers_on_some_messages_only() {
        let ad = "-------------------------------------------------------\nThis SF.Net email is sponsored by: the conference\nhttp://sf.example.net/conf";
        let mut bodies: Vec<String> = (0..12).map(|i| format!("Reply {i}.\n\n{ad}\n")).collect();
        bodies.extend((0..30).map(|i| format!("Another reply {i}, without it.\n")));
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        assert_eq!(learned_footers(&refs), vec![ad.to_string()]);
        // rare blocks are no footer
        let refs: Vec<&str> = bodies[8..].iter().map(String::as_str).collect();
        assert!(learned_footers(&refs).is_empty());
    }
}
