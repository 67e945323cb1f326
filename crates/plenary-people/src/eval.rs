//! Evaluation of identity resolution: pairwise precision and recall of merges, and the
//! BigBang From-string fixture.

use std::collections::{HashMap, HashSet};

use plenary_frameworks::Frameworks;
use serde::Serialize;

use crate::{resolve, Curated, Observation, Source};

/// Pairwise precision and recall of merges: over distinct sightings (name form +
/// address), pairs put together by resolution vs pairs that are one true person.
#[derive(Debug, Serialize)]
pub struct PeopleEval {
    pub sightings: usize,
    pub true_people: usize,
    pub resolved_people: usize,
    pub true_pairs: u64,
    pub resolved_pairs: u64,
    pub correct_pairs: u64,
    pub precision: f64,
    pub recall: f64,
}

pub fn pairwise(truth: &[usize], got: &[usize]) -> PeopleEval {
    let pairs = |v: &HashMap<(usize, usize), u64>| {
        v.values().map(|n| n * n.saturating_sub(1) / 2).sum::<u64>()
    };
    let mut t: HashMap<(usize, usize), u64> = HashMap::new();
    let mut g: HashMap<(usize, usize), u64> = HashMap::new();
    let mut both: HashMap<(usize, usize), u64> = HashMap::new();
    for (a, b) in truth.iter().zip(got) {
        *t.entry((*a, 0)).or_default() += 1;
        *g.entry((*b, 0)).or_default() += 1;
        *both.entry((*a, *b)).or_default() += 1;
    }
    let (tp, gp, cp) = (pairs(&t), pairs(&g), pairs(&both));
    let ratio = |a: u64, b: u64| {
        if b == 0 {
            100.0
        } else {
            (a as f64 * 1000.0 / b as f64).round() / 10.0
        }
    };
    PeopleEval {
        sightings: truth.len(),
        true_people: t.len(),
        resolved_people: g.len(),
        true_pairs: tp,
        resolved_pairs: gp,
        correct_pairs: cp,
        precision: ratio(cp, gp),
        recall: ratio(cp, tp),
    }
}

/// BigBang's From-string fixture: groups of From strings separated by blank lines, one
/// group per person.
pub fn eval_from_strings(text: &str) -> PeopleEval {
    let mut obs = Vec::new();
    let mut truth = Vec::new();
    let mut group = 0;
    let mut in_group = false;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() {
            if in_group {
                group += 1;
            }
            in_group = false;
            continue;
        }
        in_group = true;
        let (name, address) = parse_from(l);
        obs.push(Observation {
            name,
            address,
            date: None,
            signature: None,
            source: Source::Plain {
                label: l.to_string(),
            },
        });
        truth.push(group);
    }
    let personal: HashSet<String> = Frameworks::builtin()
        .map(|f| f.personal_mail_domains.into_iter().collect())
        .unwrap_or_default();
    let r = resolve(
        &obs,
        &HashSet::new(),
        &crate::DomainKeys(personal),
        &Curated::default(),
    );
    pairwise(&truth, &r.person_of)
}

/// `"Name" <addr>`, `addr (Name)`, `user at host (Name)`, encoded words decoded.
pub fn parse_from(s: &str) -> (Option<String>, Option<String>) {
    let decoded = decode_words(s);
    let s = decoded.trim();
    if let (Some(o), Some(c)) = (s.rfind('<'), s.rfind('>')) {
        if c > o {
            let name = s[..o].trim().trim_matches('"').trim();
            let addr = &s[o + 1..c];
            return (
                (!name.is_empty()).then(|| name.to_string()),
                crate::normalize_address(addr).or_else(|| Some(addr.trim().to_lowercase())),
            );
        }
    }
    let (addr, name) = plenary_mail::address::parse_pipermail_from(s);
    // a name that is itself an address says nothing more
    let name = name.filter(|n| !n.contains('@') && !n.contains(" at "));
    (name, addr.map(|a| a.to_lowercase()))
}

/// RFC 2047 encoded words, via mail-parser's header decoding.
fn decode_words(s: &str) -> String {
    if !s.contains("=?") {
        return s.to_string();
    }
    let raw = format!("Subject: {s}\r\n\r\n");
    mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .and_then(|m| m.subject().map(str::to_string))
        .unwrap_or_else(|| s.to_string())
}
