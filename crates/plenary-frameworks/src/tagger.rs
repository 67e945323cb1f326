//! An explainable tagger: a text gets an item's tag when one of the item's lexicon
//! phrases occurs in it on word boundaries, case- and accent-insensitively. Every tag
//! keeps the phrases and byte positions that earned it, so a page can show why.

use std::collections::HashMap;

use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::Frameworks;

/// Lower-case without diacritics: "Cooperação" → "cooperacao". The one folding of the
/// workspace (canonical decomposition, combining marks dropped, then lower case): letters
/// that do not decompose (ł, ø, ß, æ) and other scripts are kept as they are — slugs and
/// session ids are built on it, so it must not change. Names that need a transliteration
/// to Latin letters go through `plenary_people::name_key`, which folds after `deunicode`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// `fold` into a reused buffer.
fn fold_into(s: &str, buf: &mut String) {
    buf.clear();
    if s.is_ascii() {
        buf.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buf.extend(
            s.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
}

/// Byte spans of the word tokens of `text`.
fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// One match that earned a tag: which phrase, in which language, where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The lexicon phrase as written in the data file.
    pub phrase: String,
    /// The language of the lexicon the phrase comes from (ISO 639-1).
    pub lang: String,
    /// Byte span of the match in the tagged text.
    pub start: usize,
    /// End of the byte span (exclusive).
    pub end: usize,
    /// For a tag combined from several texts (a thread's messages): which one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A framework item a text was tagged with, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    /// The framework id (`action-lines`, `sdgs`, …).
    pub framework: String,
    /// The item's code within the framework.
    pub code: String,
    /// 0..1: grows with the number of distinct phrases found and their length.
    pub score: f64,
    /// The matches that earned it (at most 5 spans).
    pub evidence: Vec<Evidence>,
}

struct Phrase {
    framework: String,
    code: String,
    lang: String,
    text: String,
    tokens: Vec<String>,
}

/// Distinct phrase ids matched for one item, the evidence kept, and the word
/// positions of the matches.
type Found = (Vec<usize>, Vec<Evidence>, Vec<usize>);

/// Words that put a text in the governance sense (folded): a one-word phrase
/// ("corruption", "youth", "spam", "security") earns a tag only with one of these
/// within [`CONTEXT_WORDS`] words of it, or with another phrase of the same item. A
/// software list's "memory corruption" and a signature's "youth" are not SDG 16 or
/// youth policy.
const ANCHORS: &[&str] = &[
    "government",
    "governments",
    "governmental",
    "intergovernmental",
    "governance",
    "policy",
    "policies",
    "policymakers",
    "regulation",
    "regulations",
    "regulatory",
    "regulator",
    "regulators",
    "stakeholder",
    "stakeholders",
    "multistakeholder",
    "wsis",
    "igf",
    "itu",
    "unesco",
    "oecd",
    "undp",
    "ministry",
    "minister",
    "ministers",
    "parliament",
    "parliamentary",
    "legislation",
    "legislative",
    "treaty",
    "declaration",
    "summit",
    "sdg",
    "sdgs",
    "countries",
    "citizens",
    "civil",
    "societies",
    "cooperation",
    "diplomacy",
    "mandate",
    "gdc",
    "compact",
    "delegation",
    "delegations",
    "gouvernement",
    "gouvernance",
    "politique",
    "politiques",
    "gobierno",
    "gobernanza",
    "politica",
    "politicas",
    "regierung",
    "politik",
];

/// How near (in words) a context word must be to a one-word phrase.
const CONTEXT_WORDS: usize = 40;

/// Tags texts with framework items by matching their lexicon phrases on folded words.
pub struct Tagger {
    phrases: Vec<Phrase>,
    /// first folded token → phrases starting with it
    by_first: HashMap<String, Vec<usize>>,
    /// Tags below this score are dropped.
    pub threshold: f64,
}

/// Word tokens of `text`, folded, with their byte spans.
fn tokens(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((fold(&text[s..i]), s, i));
        }
    }
    if let Some(s) = start {
        out.push((fold(&text[s..]), s, text.len()));
    }
    out
}

/// A text needs one more mention of an item for every this many words.
const WORDS_PER_MENTION: usize = 600;

/// Whether word `i` is capitalised within a run of capitalised words (a name), and is
/// not itself an acronym ("ICANN Board" still names ICANN).
fn inside_name(text: &str, sp: &[(usize, usize)], i: usize) -> bool {
    let capital = |j: usize| {
        sp.get(j)
            .is_some_and(|&(s, e)| text[s..e].chars().next().is_some_and(char::is_uppercase))
    };
    let joined = |a: usize, b: usize| match (sp.get(a), sp.get(b)) {
        (Some(&(_, e)), Some(&(s, _))) => text[e..s].chars().all(|c| c == ' '),
        _ => false,
    };
    let (s, e) = sp[i];
    let word = &text[s..e];
    if !capital(i) || word.chars().all(|c| !c.is_lowercase()) {
        return false;
    }
    (i > 0 && capital(i - 1) && joined(i - 1, i)) || (capital(i + 1) && joined(i, i + 1))
}

/// How much one distinct phrase counts: longer phrases are stronger evidence.
fn weight(tokens: usize) -> f64 {
    (0.45 + 0.2 * (tokens.saturating_sub(1)) as f64).min(0.9)
}

impl Tagger {
    /// A tagger over the lexicons of the given frameworks (all when `only` is empty).
    pub fn new(frameworks: &Frameworks, only: &[&str]) -> Tagger {
        let mut phrases = Vec::new();
        for fw in &frameworks.frameworks {
            if !only.is_empty() && !only.contains(&fw.id.as_str()) {
                continue;
            }
            for item in &fw.items {
                // The item's own names are phrases too, when specific enough (two words
                // or more, at most six): "capacity building", "quality education".
                let names = std::iter::once(&item.title)
                    .chain(item.short.iter())
                    .chain(item.aliases.iter());
                for n in names {
                    let toks: Vec<String> = tokens(n).into_iter().map(|t| t.0).collect();
                    if (2..=6).contains(&toks.len()) {
                        phrases.push(Phrase {
                            framework: fw.id.clone(),
                            code: item.code.clone(),
                            lang: "name".into(),
                            text: n.clone(),
                            tokens: toks,
                        });
                    }
                }
                for (lang, list) in &item.lexicon {
                    for p in list {
                        let toks: Vec<String> = tokens(p).into_iter().map(|t| t.0).collect();
                        if toks.is_empty() {
                            continue;
                        }
                        phrases.push(Phrase {
                            framework: fw.id.clone(),
                            code: item.code.clone(),
                            lang: lang.clone(),
                            text: p.clone(),
                            tokens: toks,
                        });
                    }
                }
            }
        }
        // one phrase per item and word sequence: "Human Rights" (the item's name) and
        // "human rights" (its lexicon) are one phrase, said once
        let mut seen = std::collections::HashSet::new();
        phrases.retain(|p| seen.insert((p.framework.clone(), p.code.clone(), p.tokens.clone())));
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in phrases.iter().enumerate() {
            by_first.entry(p.tokens[0].clone()).or_default().push(i);
        }
        Tagger {
            phrases,
            by_first,
            threshold: 0.4,
        }
    }

    /// How many lexicon phrases the tagger matches.
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    /// Tags of `text`, strongest first, each with its evidence (at most 5 spans).
    pub fn tag(&self, text: &str) -> Vec<Tag> {
        self.tag_with(text, false)
    }

    /// Whether `text` has a word that puts it in the governance sense (see
    /// [`ANCHORS`]): a list where few messages do is not about governance, and
    /// gets tags only on strong evidence ([`Tagger::tag_with`] `strict`).
    pub fn in_governance_sense(&self, text: &str) -> bool {
        let mut buf = String::new();
        spans(text).iter().any(|&(s0, e0)| {
            fold_into(&text[s0..e0], &mut buf);
            ANCHORS.contains(&buf.as_str())
        })
    }

    /// Tags of `text`; `strict` (for texts from a list that is not about governance:
    /// a software list's "free software", "internet access", "data protection") asks
    /// every tag for a context word near one of its phrases, and two distinct context
    /// words in the text.
    pub fn tag_with(&self, text: &str, strict: bool) -> Vec<Tag> {
        let sp = spans(text);
        let mut buf = String::new();
        let mut other = String::new();
        // (framework, code) → (distinct phrase ids, evidence)
        let mut found: HashMap<(&str, &str), Found> = HashMap::new();
        for (i, &(s0, e0)) in sp.iter().enumerate() {
            fold_into(&text[s0..e0], &mut buf);
            let Some(cands) = self.by_first.get(buf.as_str()) else {
                continue;
            };
            for &pi in cands {
                let p = &self.phrases[pi];
                let n = p.tokens.len();
                if i + n > sp.len() {
                    continue;
                }
                // a phrase's words follow each other within one clause: "inclusion,
                // digital cooperation" is not "inclusion digital"
                let rest_matches = p.tokens[1..]
                    .iter()
                    .zip(&sp[i + 1..i + n])
                    .zip(&sp[i..])
                    .all(|((t, &(s, e)), &(_, prev_end))| {
                        fold_into(&text[s..e], &mut other);
                        *t == other
                            && text[prev_end..s].chars().all(|c| {
                                c.is_whitespace() || matches!(c, '-' | '+' | '\'' | '\u{2019}')
                            })
                    });
                if !rest_matches {
                    continue;
                }
                // one word inside another name ("… Just and Sustainable Digitalization")
                // is that name's, not the item's
                if n == 1 && inside_name(text, &sp, i) {
                    continue;
                }
                let e = found
                    .entry((p.framework.as_str(), p.code.as_str()))
                    .or_default();
                if !e.0.contains(&pi) {
                    e.0.push(pi);
                }
                if e.2.contains(&i) {
                    continue;
                }
                e.2.push(i);
                if e.1.len() < 5 {
                    e.1.push(Evidence {
                        phrase: p.text.clone(),
                        lang: p.lang.clone(),
                        start: s0,
                        end: sp[i + n - 1].1,
                        source: None,
                    });
                }
            }
        }
        // positions of context words, for one-word phrases
        let anchors: Vec<usize> = if found.is_empty() {
            Vec::new()
        } else {
            sp.iter()
                .enumerate()
                .filter_map(|(i, &(s0, e0))| {
                    fold_into(&text[s0..e0], &mut buf);
                    ANCHORS.contains(&buf.as_str()).then_some(i)
                })
                .collect()
        };
        let distinct_anchors = {
            let mut seen: Vec<String> = Vec::new();
            for &i in &anchors {
                let (s0, e0) = sp[i];
                fold_into(&text[s0..e0], &mut buf);
                if !seen.contains(&buf) {
                    seen.push(buf.clone());
                }
            }
            seen.len()
        };
        let near_anchor = |pos: &[usize]| {
            pos.iter().any(|&p| {
                let i = anchors.partition_point(|&a| a + CONTEXT_WORDS < p);
                anchors.get(i).is_some_and(|&a| a <= p + CONTEXT_WORDS)
            })
        };
        let mut tags: Vec<Tag> = found
            .into_iter()
            .filter(|(_, (ids, _, pos))| {
                if strict {
                    // said twice, with context words around
                    return pos.len() >= 2 && distinct_anchors >= 2 && near_anchor(pos);
                }
                // one mention in a long text is in passing: an item named once in
                // 1,200 words (a copied action line listing "consumer protection") is
                // not what the text is about
                pos.len() > sp.len() / WORDS_PER_MENTION
                    && (ids.len() >= 2
                        || ids.iter().any(|&i| self.phrases[i].tokens.len() >= 2)
                        || near_anchor(pos))
            })
            .map(|((fw, code), (ids, evidence, _))| {
                let miss: f64 = ids
                    .iter()
                    .map(|&i| 1.0 - weight(self.phrases[i].tokens.len()))
                    .product();
                Tag {
                    framework: fw.to_string(),
                    code: code.to_string(),
                    score: ((1.0 - miss) * 1000.0).round() / 1000.0,
                    evidence,
                }
            })
            .filter(|t| t.score >= self.threshold)
            .collect();
        tags.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.framework.cmp(&b.framework))
                .then_with(|| a.code.cmp(&b.code))
        });
        tags
    }

    /// One text's worth of tags from several texts' tags (a thread from its subject,
    /// `parts[0]`, and its messages): the score counts each distinct phrase once;
    /// evidence says which text it is from. A thread is about an item its subject
    /// names or its messages name at least twice, not one it mentions in passing ("human
    /// rights" once, in a list of other issues).
    pub fn combine(&self, parts: &[(String, Vec<Tag>)]) -> Vec<Tag> {
        let mut by_item: HashMap<(String, String), (Vec<String>, Vec<Evidence>)> = HashMap::new();
        // distinct places an item is named: (part, start)
        type Places = (Vec<(usize, usize)>, bool);
        let mut mentions: HashMap<(String, String), Places> = HashMap::new();
        for (k, (_, tags)) in parts.iter().enumerate() {
            for t in tags {
                let m = mentions
                    .entry((t.framework.clone(), t.code.clone()))
                    .or_default();
                for ev in &t.evidence {
                    if !m.0.contains(&(k, ev.start)) {
                        m.0.push((k, ev.start));
                    }
                }
                m.1 |= k == 0;
            }
        }
        for (source, tags) in parts {
            for t in tags {
                if mentions
                    .get(&(t.framework.clone(), t.code.clone()))
                    .is_some_and(|(places, in_subject)| places.len() < 2 && !in_subject)
                {
                    continue;
                }
                let e = by_item
                    .entry((t.framework.clone(), t.code.clone()))
                    .or_default();
                for ev in &t.evidence {
                    if !e.0.contains(&ev.phrase) {
                        e.0.push(ev.phrase.clone());
                    }
                    if e.1.len() < 5 {
                        let mut ev = ev.clone();
                        ev.source = Some(source.clone());
                        e.1.push(ev);
                    }
                }
            }
        }
        let mut tags: Vec<Tag> = by_item
            .into_iter()
            .map(|((framework, code), (phrases, evidence))| {
                let miss: f64 = phrases
                    .iter()
                    .map(|p| 1.0 - weight(spans(p).len()))
                    .product();
                Tag {
                    framework,
                    code,
                    score: ((1.0 - miss) * 1000.0).round() / 1000.0,
                    evidence,
                }
            })
            .filter(|t| t.score >= self.threshold)
            .collect();
        tags.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.framework.cmp(&b.framework))
                .then_with(|| a.code.cmp(&b.code))
        });
        tags
    }
}
