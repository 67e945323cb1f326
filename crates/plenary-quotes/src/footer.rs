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

/// The version of the rules that turn bodies into counted blocks ([`signature_blocks`],
/// [`block_hash`]) and counts into signatures ([`signature_owner`], [`is_signature`]).
/// Counts kept under another version are counted again: bump it when any of them changes.
pub const SIGNATURE_RULES: &str = "signature-blocks-1";

/// A block's hash, as counts are kept under it. FNV-1a, written here rather than taken
/// from a hashing crate: the value is stored, so it must not change with a dependency's
/// version or a toolchain's (`DefaultHasher` promises neither).
pub fn block_hash(block: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in block.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A body's distinct candidate blocks, in text order, each with its [`block_hash`]:
/// what one message adds to its author's counts.
pub fn signature_blocks(body: &str) -> Vec<(u64, String)> {
    let mut blocks = candidate_blocks(body);
    blocks.sort_unstable();
    blocks.dedup();
    blocks.into_iter().map(|b| (block_hash(&b), b)).collect()
}

/// Whose signature a block could be, from who holds it (author key, messages of theirs
/// holding it): the position in `holders` of the author holding it most often (ties to
/// the greater key), with that count and the other holders' sum; none when more than two
/// authors hold it (a block many authors carry is a list footer or quoted text).
pub fn signature_owner(holders: &[(&str, usize)]) -> Option<(usize, usize, usize)> {
    if holders.len() > 2 {
        return None;
    }
    let (at, &(_, n)) = holders
        .iter()
        .enumerate()
        .max_by_key(|(_, (k, n))| (*n, *k))?;
    let others = holders
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, (_, n))| *n)
        .sum();
    Some((at, n, others))
}

/// Whether a block its owner ([`signature_owner`]) holds in `n` of their `total`
/// messages, `others` more held by another author, is their signature: in at least 3 of
/// their messages and a quarter of them, more often than the other's, and naming them
/// (`name`, as first seen) or reading like contact details.
pub fn is_signature(block: &str, name: &str, n: usize, total: usize, others: usize) -> bool {
    n >= 3 && n * 4 >= total && others < n && signature_like(block, name)
}

/// [`learned_signatures`] a message at a time, so a list's bodies need not be held
/// at once. It keeps a hash and its authors' counts per distinct candidate block, and
/// a block's text only from its second sighting on (most blocks are a paragraph seen
/// once; a signature needs three).
#[derive(Debug, Default)]
pub struct SignatureLearner {
    /// Authors by key, as indexes into `counts.authors`.
    authors: std::collections::HashMap<String, u32>,
    /// Blocks by hash, as indexes into `counts.blocks`.
    blocks: std::collections::HashMap<u64, u32>,
    counts: SignatureCounts,
}

/// What a [`SignatureLearner`] counted, as it can be kept and added to later (the store
/// keeps a list's, so an import counts only the messages that arrived).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SignatureCounts {
    /// The authors, in order of their first counted message.
    pub authors: Vec<CountedAuthor>,
    /// The distinct blocks, in order of first sighting.
    pub blocks: Vec<CountedBlock>,
}

/// An author of counted messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedAuthor {
    /// The key the learner was given (an address, a folded name).
    pub key: String,
    /// The name shown on their first counted message.
    pub name: String,
    /// How many of their messages were counted.
    pub messages: usize,
}

/// A distinct candidate block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedBlock {
    /// Its [`block_hash`].
    pub hash: u64,
    /// Its text, from its second sighting on.
    pub text: Option<String>,
    /// (index into `authors`, messages of theirs holding it), in order of first holding.
    pub holders: Vec<(u32, usize)>,
}

impl SignatureLearner {
    /// Counts one message's candidate blocks for its author.
    pub fn add(&mut self, m: AuthoredBody<'_>) {
        let authors = &mut self.counts.authors;
        let author = *self.authors.entry(m.author.to_string()).or_insert_with(|| {
            authors.push(CountedAuthor {
                key: m.author.to_string(),
                name: m.name.to_string(),
                messages: 0,
            });
            (authors.len() - 1) as u32
        });
        if let Some(info) = authors.get_mut(author as usize) {
            info.messages += 1;
        }
        for (hash, b) in signature_blocks(m.body) {
            let blocks = &mut self.counts.blocks;
            let i = *self.blocks.entry(hash).or_insert_with(|| {
                blocks.push(CountedBlock {
                    hash,
                    text: None,
                    holders: Vec::new(),
                });
                (blocks.len() - 1) as u32
            });
            let Some(seen) = blocks.get_mut(i as usize) else {
                continue;
            };
            if !seen.holders.is_empty() {
                match &seen.text {
                    // two blocks with one hash: the later one is not counted
                    Some(t) if *t != b => continue,
                    Some(_) => {}
                    None => seen.text = Some(b),
                }
            }
            match seen.holders.iter_mut().find(|(a, _)| *a == author) {
                Some((_, n)) => *n += 1,
                None => seen.holders.push((author, 1)),
            }
        }
    }

    /// Everything counted.
    pub fn into_counts(self) -> SignatureCounts {
        self.counts
    }

    /// Per author key, the blocks that are their signatures (at most 16, sorted).
    pub fn finish(self) -> std::collections::HashMap<String, Vec<String>> {
        self.counts.signatures()
    }
}

impl SignatureCounts {
    /// Per author key, the blocks that are their signatures (at most 16, sorted).
    pub fn signatures(&self) -> std::collections::HashMap<String, Vec<String>> {
        use std::collections::HashMap;
        let authors = &self.authors;
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        let mut holders: Vec<(&str, usize)> = Vec::new();
        for seen in &self.blocks {
            let Some(block) = &seen.text else {
                continue;
            };
            holders.clear();
            holders.extend(
                seen.holders.iter().filter_map(|&(a, n)| {
                    authors.get(a as usize).map(|info| (info.key.as_str(), n))
                }),
            );
            let Some((at, n, others)) = signature_owner(&holders) else {
                continue;
            };
            let Some(info) = seen
                .holders
                .get(at)
                .and_then(|&(a, _)| authors.get(a as usize))
            else {
                continue;
            };
            if is_signature(block, &info.name, n, info.messages, others) {
                out.entry(info.key.clone()).or_default().push(block.clone());
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

    /// Counts are stored under these hashes: they must not change between builds.
    #[test]
    fn block_hashes_are_fnv_1a() {
        assert_eq!(block_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(block_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(block_hash("foobar"), 0x8594_4171_f739_67e8);
        let blocks = signature_blocks("Hi.\n\nAna Neves\nFCT\n\n> q\n\nAna Neves\nFCT\n");
        assert_eq!(
            blocks,
            vec![(block_hash("Ana Neves\nFCT"), "Ana Neves\nFCT".to_string())]
        );
    }

    /// Of two holders the one holding a block more often owns it, ties to the greater
    /// key; three holders, nobody.
    #[test]
    fn a_block_is_owned_by_its_most_frequent_holder() {
        assert_eq!(signature_owner(&[("a", 2), ("b", 5)]), Some((1, 5, 2)));
        assert_eq!(signature_owner(&[("b", 3), ("a", 3)]), Some((0, 3, 3)));
        assert_eq!(signature_owner(&[("a", 4)]), Some((0, 4, 0)));
        assert_eq!(signature_owner(&[("a", 4), ("b", 1), ("c", 1)]), None);
        assert_eq!(signature_owner(&[]), None);
        // three of eight messages is more than a quarter; three of thirteen is not
        assert!(is_signature("Ana Neves\nFCT", "Ana Neves", 3, 8, 0));
        assert!(!is_signature("Ana Neves\nFCT", "Ana Neves", 3, 13, 0));
        assert!(!is_signature("Ana Neves\nFCT", "Ana Neves", 3, 8, 3));
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
