//! Affiliations judged against gold written by reading a real archive
//! (`tests/gold/affiliations/gold.tsv`): is the organisation the site shows for a
//! person the one a careful reader of their messages would name?
//!
//! Gold columns: `corpus, person, addresses, organisation, stakeholder_group, evidence`.
//! A gold person is found in the store through any of its addresses (clear forms,
//! compared with the archive's obfuscated ones through [`plenary_people::obfuscated_key`]),
//! or, for people with no address (agenda speakers, people who only post through a
//! list), through a name whose slug is the gold label.

use std::collections::HashMap;
use std::path::Path;

use plenary_frameworks::Frameworks;
use plenary_people::{registrable_domain, Affiliation, PersonRecord};
use plenary_store::Store;

use crate::error::Result;

/// How the shown organisations compare with the gold.
#[derive(Debug, serde::Serialize)]
pub struct AffiliationGoldEval {
    /// Gold rows read.
    pub rows: usize,
    /// Rows whose person was found in the store (only those are scored).
    pub found: usize,
    /// Found rows the reader judged `unknown` (no organisation to give).
    pub gold_unknown: usize,
    /// Found people the store shows an organisation for.
    pub given: usize,
    /// Of those, the organisation the reader names.
    pub given_right: usize,
    /// `given_right / given`, percent.
    pub precision: f64,
    /// Found people with a known organisation whose organisation is shown, percent.
    pub recall: f64,
    /// Shown stakeholder groups that agree with the reader's (among those both give).
    pub groups_given: usize,
    pub groups_right: usize,
    /// Up to 10 rows not found (`corpus person`).
    pub not_found: Vec<String>,
    /// Up to 15 wrong organisations: `person: shown X (evidence) — reader: Y`.
    pub wrong: Vec<String>,
    /// Up to 15 known organisations the store does not show.
    pub missed: Vec<String>,
}

struct GoldRow<'a> {
    corpus: &'a str,
    person: &'a str,
    addresses: Vec<&'a str>,
    organisation: &'a str,
    group: &'a str,
    evidence: &'a str,
}

fn parse(text: &str) -> Vec<GoldRow<'_>> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let c: Vec<&str> = line.split('\t').map(str::trim).collect();
            if c.len() < 5 || c[1].is_empty() || c[3].is_empty() {
                return None;
            }
            Some(GoldRow {
                corpus: c[0],
                person: c[1],
                addresses: c[2].split_whitespace().collect(),
                organisation: c[3],
                group: c[4],
                evidence: c.get(5).copied().unwrap_or(""),
            })
        })
        .collect()
}

/// Words that do not tell organisations apart.
const NOISE: &[&str] = &[
    "the", "of", "for", "and", "at", "de", "da", "la", "le", "du", "fur", "ltd", "limited", "inc",
    "gmbh", "llc", "co", "com", "org", "net", "edu", "ac", "gov", "www", "http", "https", "s",
];

fn tokens(s: &str) -> Vec<String> {
    plenary_people::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .map(str::to_string)
        .collect()
}

/// Whether the shown affiliation names the reader's organisation: the same entry of
/// the curated table; or every distinguishing word of one name in the other
/// ("Divmod" / "Divmod, Inc."), an acronym the reader gives in brackets ("(APC)");
/// or a domain shown as the organisation that the reader's evidence gives as the
/// basis of theirs (its first clause: "domain divmod.com (…)").
fn same_organisation(shown: &Affiliation, gold: &str, evidence: &str, fw: &Frameworks) -> bool {
    let Some(org) = shown.organization.as_deref() else {
        return false;
    };
    if let (Some(id), Some(g)) = (&shown.organization_id, fw.organization_by_name(gold)) {
        if *id == g.id {
            return true;
        }
    }
    let (a, b) = (tokens(org), tokens(gold));
    let subset = |x: &[String], y: &[String]| !x.is_empty() && x.iter().all(|w| y.contains(w));
    if subset(&a, &b) || subset(&b, &a) {
        return true;
    }
    let acronyms: Vec<String> = gold
        .split(['(', ')'])
        .skip(1)
        .step_by(2)
        .map(plenary_people::fold)
        .collect();
    if a.len() == 1 && acronyms.contains(&a[0]) {
        return true;
    }
    // a domain shown as the organisation
    let domain = if shown.source == "email-domain" {
        registrable_domain(&shown.evidence)
    } else if !org.contains(' ') && org.contains('.') {
        Some(org.to_lowercase())
    } else {
        None
    };
    let first_clause = evidence.split(';').next().unwrap_or("").to_lowercase();
    domain.is_some_and(|d| first_clause.contains(&d))
}

fn label_of(name: &str) -> String {
    plenary_frameworks::slug(name)
}

pub(crate) fn eval_affiliations_gold(
    store: &Store,
    fw: &Frameworks,
    gold: &Path,
) -> Result<AffiliationGoldEval> {
    let text = std::fs::read_to_string(gold).map_err(crate::error::io_error(gold))?;
    let people: Vec<PersonRecord> = store.people(usize::MAX)?;
    let addr_form = |a: &str| plenary_people::obfuscated_key(a).unwrap_or_default();
    let mut by_address: HashMap<String, usize> = HashMap::new();
    let mut by_label: HashMap<String, usize> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        for a in &p.addresses {
            let k = addr_form(a);
            if !k.is_empty() {
                by_address.entry(k).or_insert(i);
            }
        }
        for n in std::iter::once(&p.name).chain(&p.names) {
            by_label.entry(label_of(n)).or_insert(i);
        }
    }
    let rows = parse(&text);
    let mut e = AffiliationGoldEval {
        rows: rows.len(),
        found: 0,
        gold_unknown: 0,
        given: 0,
        given_right: 0,
        precision: 0.0,
        recall: 0.0,
        groups_given: 0,
        groups_right: 0,
        not_found: Vec::new(),
        wrong: Vec::new(),
        missed: Vec::new(),
    };
    let mut known = 0;
    let mut known_right = 0;
    for r in &rows {
        // the person most addresses point to; else the name
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for a in &r.addresses {
            if let Some(&i) = by_address.get(&addr_form(a)) {
                *votes.entry(i).or_default() += 1;
            }
        }
        let found = votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
            .or_else(|| {
                r.addresses
                    .is_empty()
                    .then(|| by_label.get(r.person).copied())
                    .flatten()
            });
        let Some(i) = found else {
            if e.not_found.len() < 10 {
                e.not_found.push(format!("{} {}", r.corpus, r.person));
            }
            continue;
        };
        e.found += 1;
        let p = &people[i];
        let unknown = r.organisation.eq_ignore_ascii_case("unknown");
        e.gold_unknown += usize::from(unknown);
        known += usize::from(!unknown);
        // what the site shows: the first (most trusted) affiliation
        let shown = p
            .affiliations
            .first()
            .filter(|a| a.organization.is_some() && !a.past);
        if let Some(a) = p.affiliations.first() {
            if let (Some(g), false) = (&a.stakeholder_group, r.group == "unknown") {
                e.groups_given += 1;
                e.groups_right += usize::from(g == r.group);
            }
        }
        match shown {
            Some(a) => {
                e.given += 1;
                let right = !unknown && same_organisation(a, r.organisation, r.evidence, fw);
                e.given_right += usize::from(right);
                known_right += usize::from(right);
                if !right && e.wrong.len() < 15 {
                    e.wrong.push(format!(
                        "{} ({}): shown {} ({}: {}), reader: {}",
                        r.person,
                        p.name,
                        a.organization.as_deref().unwrap_or(""),
                        a.source,
                        a.evidence.chars().take(80).collect::<String>(),
                        r.organisation
                    ));
                }
            }
            None if !unknown && e.missed.len() < 15 => e
                .missed
                .push(format!("{} ({}): {}", r.person, p.name, r.organisation)),
            None => {}
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    e.precision = pct(e.given_right, e.given);
    e.recall = pct(known_right, known);
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(org: &str, source: &str, evidence: &str) -> Affiliation {
        Affiliation {
            organization: Some(org.into()),
            organization_id: None,
            stakeholder_group: None,
            country: None,
            regional_group: None,
            m49_region: None,
            source: source.into(),
            evidence: evidence.into(),
            confidence: 0.5,
            from: None,
            to: None,
            seen: 1,
            past: false,
        }
    }

    #[test]
    fn organisations_compare_by_name_acronym_or_cited_domain() {
        let fw = Frameworks::builtin().expect("frameworks");
        let same = |a: &Affiliation, g: &str, ev: &str| same_organisation(a, g, ev, &fw);
        assert!(same(
            &shown("Divmod, Inc.", "signature", "Divmod, Inc."),
            "Divmod",
            ""
        ));
        assert!(same(
            &shown("APC", "signature", "APC"),
            "Association for Progressive Communications (APC)",
            ""
        ));
        let domain = shown("ucd.ie", "email-domain", "someone@ucd.ie");
        assert!(same(
            &domain,
            "University College Dublin",
            "domain ucd.ie (34 of 35 msgs)"
        ));
        assert!(
            !same(
                &shown("twistedmatrix.com", "email-domain", "x@twistedmatrix.com"),
                "Divmod",
                "domain divmod.com (…); later x at twistedmatrix.com"
            ),
            "a domain named only after the first clause is not the reader's basis"
        );
        assert!(!same(
            &shown(
                "Department of Statistics",
                "signature",
                "Department of Statistics"
            ),
            "University of Auckland",
            ""
        ));
    }
}
