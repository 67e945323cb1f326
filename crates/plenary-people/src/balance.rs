//! Participation balance: messages, words of new text and distinct participants by
//! stakeholder group, UN regional group, M49 region, Global South or organisation, with
//! "unknown" always shown and self-declared/curated values counted apart from inferred.

use std::collections::{BTreeMap, HashSet};

use plenary_frameworks::Frameworks;
use serde::Serialize;

use crate::affiliation::Affiliation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    StakeholderGroup,
    Region,
    M49Region,
    GlobalSouth,
    Organization,
}

impl Dimension {
    pub fn parse(s: &str) -> Option<Dimension> {
        Some(match s {
            "stakeholder-group" | "stakeholder" | "group" => Dimension::StakeholderGroup,
            "region" | "regional-group" => Dimension::Region,
            "m49" | "m49-region" => Dimension::M49Region,
            "global-south" | "south" => Dimension::GlobalSouth,
            "organization" | "organisation" | "org" => Dimension::Organization,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Dimension::StakeholderGroup => "stakeholder-group",
            Dimension::Region => "region",
            Dimension::M49Region => "m49-region",
            Dimension::GlobalSouth => "global-south",
            Dimension::Organization => "organization",
        }
    }
}

/// The Global South as the UN Statistics Division's M49 "developing regions".
pub const GLOBAL_SOUTH_DEFINITION: &str =
    "Global South = countries in the UN M49 developing regions (crates/plenary-frameworks/data/countries.toml, `developing = true`)";

/// One message (or reconstructed message) in the scope.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub person: String,
    pub name: String,
    /// Words of the author's own text (quotes excluded).
    pub words: usize,
    /// Seconds since the epoch, when known (for shares over time).
    pub date: Option<i64>,
}

/// Messages per group in one year.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Period {
    pub period: String,
    pub messages: usize,
    /// group → messages
    pub groups: std::collections::BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Row {
    pub group: String,
    pub messages: usize,
    pub words: usize,
    pub participants: usize,
    /// Percent of the scope's messages.
    pub share: f64,
    /// Participants whose value is self-declared or curated.
    pub declared: usize,
    /// Participants whose value is inferred (signature, agenda entry, email domain).
    pub inferred: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Participant {
    pub person: String,
    pub name: String,
    pub group: String,
    pub source: Option<String>,
    pub evidence: Option<String>,
    pub messages: usize,
    pub words: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Balance {
    pub by: Dimension,
    pub definition: Option<&'static str>,
    pub messages: usize,
    pub words: usize,
    pub participants: usize,
    pub rows: Vec<Row>,
    pub people: Vec<Participant>,
    /// The same counts year by year (shares over time).
    pub periods: Vec<Period>,
    /// CHAOSS Elephant Factor: the fewest organisations whose people wrote half of the
    /// messages (of those with a known organisation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elephant_factor: Option<usize>,
    /// Speaking share in the scope's sessions, from their transcripts (empty when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speaking: Vec<SpeakingRow>,
}

/// Turns and words spoken by one group in transcripts.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct SpeakingRow {
    /// The group (`unknown` for speakers not linked to a person or without the value).
    pub group: String,
    /// Turns its speakers took.
    pub turns: usize,
    /// Words they said.
    pub words: usize,
    /// Share of the turns, per cent, one decimal.
    pub turn_share: f64,
    /// Share of the words, per cent, one decimal.
    pub word_share: f64,
}

/// One turn of a transcript: who spoke (the person, when linked) and how many words.
#[derive(Debug, Clone)]
pub struct SpokenTurn {
    /// The person, when the speaker is linked to one.
    pub person: Option<String>,
    /// Words of the turn.
    pub words: usize,
}

/// Speaking share by `by`: turns and words per group, largest first.
pub fn speaking<'a>(
    by: Dimension,
    turns: &[SpokenTurn],
    affiliations_of: impl Fn(&str) -> &'a [Affiliation],
    fw: &Frameworks,
) -> Vec<SpeakingRow> {
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for t in turns {
        let g = t
            .person
            .as_deref()
            .and_then(|p| value_of(by, affiliations_of(p), fw).map(|(v, _)| v))
            .unwrap_or_else(|| UNKNOWN.to_string());
        let e = per.entry(g).or_default();
        e.0 += 1;
        e.1 += t.words;
    }
    let (all_turns, all_words) = per.values().fold((0, 0), |(a, b), (t, w)| (a + t, b + w));
    let pct = |n: usize, d: usize| {
        if d == 0 {
            0.0
        } else {
            (n as f64 * 1000.0 / d as f64).round() / 10.0
        }
    };
    let mut rows: Vec<SpeakingRow> = per
        .into_iter()
        .map(|(group, (turns, words))| SpeakingRow {
            group,
            turns,
            words,
            turn_share: pct(turns, all_turns),
            word_share: pct(words, all_words),
        })
        .collect();
    rows.sort_by(|a, b| b.words.cmp(&a.words).then(a.group.cmp(&b.group)));
    rows
}

pub const UNKNOWN: &str = "unknown";

/// The value of `by` for one person, from their most trusted affiliation that has it.
pub fn value_of<'a>(
    by: Dimension,
    affs: &'a [Affiliation],
    fw: &Frameworks,
) -> Option<(String, &'a Affiliation)> {
    for a in affs {
        let v = match by {
            Dimension::StakeholderGroup => a.stakeholder_group.clone(),
            Dimension::Region => a.regional_group.clone(),
            Dimension::M49Region => a.m49_region.clone().filter(|r| !r.is_empty()),
            Dimension::Organization => a.organization.clone(),
            Dimension::GlobalSouth => a.country.as_deref().and_then(|c| fw.country(c)).map(|c| {
                if c.developing {
                    "global-south".to_string()
                } else {
                    "global-north".to_string()
                }
            }),
        };
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            return Some((v, a));
        }
    }
    None
}

/// Balance of `contributions` by `by`; `affs(person)` gives a person's affiliations.
pub fn compute<'a>(
    by: Dimension,
    contributions: &[Contribution],
    affs: impl Fn(&str) -> &'a [Affiliation],
    fw: &Frameworks,
    top: usize,
) -> Balance {
    let mut per_person: BTreeMap<&str, (String, usize, usize)> = BTreeMap::new();
    for c in contributions {
        let e = per_person
            .entry(&c.person)
            .or_insert((c.name.clone(), 0, 0));
        e.1 += 1;
        e.2 += c.words;
    }
    let mut people = Vec::new();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for (person, (name, messages, words)) in &per_person {
        let a = affs(person);
        let found = value_of(by, a, fw);
        let group = found
            .as_ref()
            .map(|(v, _)| v.clone())
            .unwrap_or_else(|| UNKNOWN.to_string());
        let declared = found
            .as_ref()
            .is_some_and(|(_, a)| a.source == "self-declared" || a.source == "curated");
        let r = rows.entry(group.clone()).or_insert_with(|| Row {
            group: group.clone(),
            messages: 0,
            words: 0,
            participants: 0,
            share: 0.0,
            declared: 0,
            inferred: 0,
        });
        r.messages += messages;
        r.words += words;
        r.participants += 1;
        if found.is_some() {
            if declared {
                r.declared += 1;
            } else {
                r.inferred += 1;
            }
        }
        people.push(Participant {
            person: person.to_string(),
            name: name.clone(),
            group,
            source: found.as_ref().map(|(_, a)| a.source.clone()),
            evidence: found.as_ref().map(|(_, a)| a.evidence.clone()),
            messages: *messages,
            words: *words,
        });
    }
    let total: usize = contributions.len();
    let mut rows: Vec<Row> = rows.into_values().collect();
    if !rows.iter().any(|r| r.group == UNKNOWN) {
        rows.push(Row {
            group: UNKNOWN.into(),
            messages: 0,
            words: 0,
            participants: 0,
            share: 0.0,
            declared: 0,
            inferred: 0,
        });
    }
    for r in &mut rows {
        r.share = if total == 0 {
            0.0
        } else {
            (r.messages as f64 * 1000.0 / total as f64).round() / 10.0
        };
    }
    rows.sort_by(|a, b| {
        (a.group == UNKNOWN)
            .cmp(&(b.group == UNKNOWN))
            .then(b.messages.cmp(&a.messages))
            .then_with(|| a.group.cmp(&b.group))
    });
    let elephant_factor = (by == Dimension::Organization).then(|| {
        let mut known: Vec<usize> = rows
            .iter()
            .filter(|r| r.group != UNKNOWN)
            .map(|r| r.messages)
            .collect();
        known.sort_unstable_by(|a, b| b.cmp(a));
        let sum: usize = known.iter().sum();
        let mut acc = 0;
        let mut n = 0;
        for m in known {
            if acc * 2 >= sum {
                break;
            }
            acc += m;
            n += 1;
        }
        n
    });
    // organisations folded into "other", and that row's label
    let mut folded: HashSet<String> = HashSet::new();
    let mut other_label = String::new();
    if by == Dimension::Organization && top > 0 {
        // top N organisations, the rest as "other"
        let (mut keep, rest): (Vec<Row>, Vec<Row>) = {
            let mut k = Vec::new();
            let mut r = Vec::new();
            for (i, row) in rows.into_iter().enumerate() {
                if row.group == UNKNOWN || i < top {
                    k.push(row);
                } else {
                    r.push(row);
                }
            }
            (k, r)
        };
        if !rest.is_empty() {
            other_label = format!("other ({} organisations)", rest.len());
            folded = rest.iter().map(|r| r.group.clone()).collect();
            let other = Row {
                group: other_label.clone(),
                messages: rest.iter().map(|r| r.messages).sum(),
                words: rest.iter().map(|r| r.words).sum(),
                participants: rest.iter().map(|r| r.participants).sum(),
                share: (rest.iter().map(|r| r.share).sum::<f64>() * 10.0).round() / 10.0,
                declared: rest.iter().map(|r| r.declared).sum(),
                inferred: rest.iter().map(|r| r.inferred).sum(),
            };
            let pos = keep
                .iter()
                .position(|r| r.group == UNKNOWN)
                .unwrap_or(keep.len());
            keep.insert(pos, other);
        }
        rows = keep;
    }
    // shares over time: each message counted in its year under its author's group
    let group_of: BTreeMap<&str, &str> = people
        .iter()
        .map(|p| (p.person.as_str(), p.group.as_str()))
        .collect();
    let mut years: BTreeMap<String, Period> = BTreeMap::new();
    for c in contributions {
        let Some(d) = c.date else { continue };
        let Some(year) =
            crate::affiliation::day(Some(d)).and_then(|x| x.get(..4).map(str::to_string))
        else {
            continue;
        };
        let e = years.entry(year.clone()).or_insert_with(|| Period {
            period: year,
            messages: 0,
            groups: BTreeMap::new(),
        });
        e.messages += 1;
        let g = group_of.get(c.person.as_str()).copied().unwrap_or(UNKNOWN);
        // per year too, the folded organisations count under "other"
        let g = if folded.contains(g) {
            other_label.as_str()
        } else {
            g
        };
        *e.groups.entry(g.to_string()).or_default() += 1;
    }
    let periods: Vec<Period> = years.into_values().collect();
    let participants = per_person.len();
    let distinct: HashSet<&str> = contributions.iter().map(|c| c.person.as_str()).collect();
    debug_assert_eq!(distinct.len(), participants);
    Balance {
        by,
        definition: (by == Dimension::GlobalSouth).then_some(GLOBAL_SOUTH_DEFINITION),
        messages: total,
        words: contributions.iter().map(|c| c.words).sum(),
        participants,
        rows,
        people,
        periods,
        elephant_factor,
        speaking: Vec::new(),
    }
}
