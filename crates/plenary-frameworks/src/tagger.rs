//! An explainable tagger: a text gets an item's tag when one of the item's lexicon
//! phrases occurs in it on word boundaries, case- and accent-insensitively. Every tag
//! keeps the phrases and byte positions that earned it, so a page can show why.

use std::collections::HashMap;

use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::Frameworks;

/// Lower-case without diacritics: "Cooperação" → "cooperacao".
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The lexicon phrase as written in the data file.
    pub phrase: String,
    pub lang: String,
    /// Byte span of the match in the tagged text.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub framework: String,
    pub code: String,
    /// 0..1: grows with the number of distinct phrases found and their length.
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

struct Phrase {
    framework: String,
    code: String,
    lang: String,
    text: String,
    tokens: Vec<String>,
}

/// Distinct phrase ids matched for one item, and the evidence kept.
type Found = (Vec<usize>, Vec<Evidence>);

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

    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    /// Tags of `text`, strongest first, each with its evidence (at most 5 spans).
    pub fn tag(&self, text: &str) -> Vec<Tag> {
        let toks = tokens(text);
        // (framework, code) → (distinct phrase ids, evidence)
        let mut found: HashMap<(&str, &str), Found> = HashMap::new();
        for (i, (t, _, _)) in toks.iter().enumerate() {
            let Some(cands) = self.by_first.get(t) else {
                continue;
            };
            for &pi in cands {
                let p = &self.phrases[pi];
                let n = p.tokens.len();
                if i + n > toks.len()
                    || !p.tokens.iter().zip(&toks[i..i + n]).all(|(a, b)| *a == b.0)
                {
                    continue;
                }
                let e = found
                    .entry((p.framework.as_str(), p.code.as_str()))
                    .or_default();
                if !e.0.contains(&pi) {
                    e.0.push(pi);
                }
                if e.1.len() < 5 {
                    e.1.push(Evidence {
                        phrase: p.text.clone(),
                        lang: p.lang.clone(),
                        start: toks[i].1,
                        end: toks[i + n - 1].2,
                    });
                }
            }
        }
        let mut tags: Vec<Tag> = found
            .into_iter()
            .map(|((fw, code), (ids, evidence))| {
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
}
