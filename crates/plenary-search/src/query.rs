//! The query language, parsed by hand: tantivy's own parser knows neither
//! our multilingual stem expansion, nor facet prefixes that resolve labels
//! through the frameworks (`group:"civil society"`, `actionline:c5`), nor
//! date ranges like `date:2025-07..2025-08`.
//!
//! Grammar: items separated by spaces. An item is `[-][field:]value`, where
//! value is a word or a `"quoted phrase"`. `OR` between two items makes them
//! alternatives; everything else must match. `-item` excludes.

use std::ops::Bound;

use plenary_frameworks::Frameworks;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{has_cjk, Analyzers, Highlight};
use crate::schema::{Fields, TextField};

/// Why a query could not be understood, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

/// Field prefixes, for error messages and the search page's help.
pub const FIELDS: &[(&str, &str)] = &[
    ("from:", "author name or address"),
    ("to:", "recipients (To and Cc)"),
    ("list:", "a list, by its short name"),
    ("subject:", "subject or title"),
    ("body:", "a message's own text, quotes left out"),
    ("quoted:", "only the text a message quotes"),
    (
        "date:",
        "2025, 2025-07, 2025-07-23 or a range 2025-07..2025-08",
    ),
    ("session:", "a session by id, number or event"),
    (
        "speaker:",
        "a session's speakers, or who spoke a transcript turn",
    ),
    (
        "org:",
        "an organisation (authors' and speakers' affiliations)",
    ),
    (
        "group:",
        "stakeholder group: government, civil-society, private-sector, …",
    ),
    (
        "region:",
        "UN regional group: african, asia-pacific, eeg, grulac, weog",
    ),
    ("actionline:", "a WSIS Action Line, C1–C11"),
    ("sdg:", "a Sustainable Development Goal, 1–17"),
    ("gdc:", "a Global Digital Compact objective, 1–5"),
    ("topic:", "a WSIS Forum topic"),
    (
        "kind:",
        "message, reconstructed, session, person, organization",
    ),
    ("year:", "a year"),
];

#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// No prefix: titles, text, quotes (weakly), names, organisations.
    Default,
    Text(TextField),
    Facet(&'static str),
    Date,
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    negated: bool,
    target: Target,
    value: String,
    phrase: bool,
}

fn target_of(prefix: &str) -> Option<Target> {
    Some(match prefix {
        "from" | "author" => Target::Text(TextField::From),
        "to" | "cc" => Target::Text(TextField::To),
        "subject" | "title" => Target::Text(TextField::Title),
        "body" | "text" => Target::Text(TextField::Body),
        "quoted" | "quote" => Target::Text(TextField::Quoted),
        "speaker" => Target::Text(TextField::Speaker),
        "org" | "organization" | "organisation" => Target::Text(TextField::Org),
        "session" => Target::Text(TextField::Session),
        "list" => Target::Facet("list"),
        "group" => Target::Facet("group"),
        "region" => Target::Facet("region"),
        "actionline" | "al" => Target::Facet("actionline"),
        "sdg" => Target::Facet("sdg"),
        "gdc" => Target::Facet("gdc"),
        "topic" => Target::Facet("topic"),
        "kind" | "type" => Target::Facet("kind"),
        "year" => Target::Facet("year"),
        "event" => Target::Facet("event"),
        "date" => Target::Date,
        _ => return None,
    })
}

fn known_fields() -> String {
    FIELDS.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(" ")
}

/// Splits a query into OR-groups of items.
fn parse(q: &str) -> Result<Vec<Vec<Item>>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut groups: Vec<Vec<Item>> = Vec::new();
    let mut pending_or = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        // Bare OR joins the neighbours.
        let word_end = (i..chars.len())
            .find(|&j| chars[j].is_whitespace())
            .unwrap_or(chars.len());
        let word: String = chars[i..word_end].iter().collect();
        if word == "OR" || word == "|" {
            if groups.is_empty() {
                return Err(QueryError(
                    "OR needs something on its left, as in: wsis OR igf".into(),
                ));
            }
            pending_or = true;
            i = word_end;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            negated = true;
            i += 1;
        }
        // field prefix
        let mut target = Target::Default;
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_alphabetic()) {
            j += 1;
        }
        if j < chars.len() && j > i && chars[j] == ':' {
            let prefix: String = chars[i..j].iter().collect::<String>().to_lowercase();
            match target_of(&prefix) {
                Some(t) => {
                    target = t;
                    i = j + 1;
                }
                None => {
                    return Err(QueryError(format!(
                        "Unknown field \"{prefix}:\". Fields: {}. To search for the text itself, put it in quotes: \"{prefix}:…\".",
                        known_fields()
                    )))
                }
            }
        }
        let (value, phrase) = if i < chars.len() && chars[i] == '"' {
            let close = (i + 1..chars.len())
                .find(|&k| chars[k] == '"')
                .ok_or_else(|| {
                    QueryError(
                        "A quotation mark is not closed: phrases go between two \" marks.".into(),
                    )
                })?;
            let v: String = chars[i + 1..close].iter().collect();
            i = close + 1;
            (v, true)
        } else {
            let end = (i..chars.len())
                .find(|&k| chars[k].is_whitespace())
                .unwrap_or(chars.len());
            let v: String = chars[i..end].iter().collect();
            i = end;
            (v, false)
        };
        if value.trim().is_empty() {
            if target != Target::Default {
                return Err(QueryError(
                    "A field prefix needs a value right after the colon, as in from:anriette or sdg:16.".into(),
                ));
            }
            continue;
        }
        let item = Item {
            negated,
            target,
            value,
            phrase,
        };
        if pending_or {
            pending_or = false;
            let last = groups.last_mut().filter(|g| !g[0].negated && !item.negated);
            match last {
                Some(g) => g.push(item),
                None => {
                    return Err(QueryError(
                        "OR cannot join an exclusion (-word); write the alternatives without the minus.".into(),
                    ))
                }
            }
        } else {
            groups.push(vec![item]);
        }
    }
    if pending_or {
        return Err(QueryError(
            "OR needs something on its right, as in: wsis OR igf".into(),
        ));
    }
    Ok(groups)
}

/// A query ready to run, and what its snippets should highlight.
pub(crate) struct Compiled {
    pub query: Box<dyn Query>,
    pub highlight: Highlight,
    /// The query asks for quoted text (snippets then prefer the quotes).
    pub wants_quoted: bool,
}

pub(crate) fn compile(
    q: &str,
    fields: &Fields,
    an: &mut Analyzers,
    fw: &Frameworks,
) -> Result<Compiled, QueryError> {
    let groups = parse(q)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight = Highlight::default();
    let mut wants_quoted = false;
    let mut positive = false;
    for g in groups {
        let negated = g[0].negated;
        let mut alts: Vec<Box<dyn Query>> = Vec::new();
        for item in &g {
            if !item.negated && item.target == Target::Text(TextField::Quoted) {
                wants_quoted = true;
            }
            if let Some(q) = item_query(item, fields, an, fw, &mut highlight, negated)? {
                alts.push(q);
            }
        }
        if alts.is_empty() {
            continue;
        }
        let q: Box<dyn Query> = if alts.len() == 1 {
            alts.remove(0)
        } else {
            Box::new(BooleanQuery::new(
                alts.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        if negated {
            clauses.push((Occur::MustNot, q));
        } else {
            positive = true;
            clauses.push((Occur::Must, q));
        }
    }
    if clauses.is_empty() {
        return Err(QueryError(
            "Nothing to search for: type some words, a \"phrase\" or a field like sdg:16.".into(),
        ));
    }
    if !positive {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        highlight,
        wants_quoted,
    })
}

fn item_query(
    item: &Item,
    f: &Fields,
    an: &mut Analyzers,
    fw: &Frameworks,
    hl: &mut Highlight,
    negated: bool,
) -> Result<Option<Box<dyn Query>>, QueryError> {
    match &item.target {
        Target::Date => date_query(f, &item.value).map(Some),
        Target::Facet(root) => {
            let value = facet_value(root, &item.value, fw)?;
            let term = Term::from_facet(f.facet, &Facet::from_path([*root, value.as_str()]));
            Ok(Some(Box::new(TermQuery::new(
                term,
                IndexRecordOption::Basic,
            ))))
        }
        Target::Default => {
            let targets: [(TextField, f32); 7] = [
                (TextField::Title, 3.0),
                (TextField::Body, 1.0),
                (TextField::Quoted, 0.2),
                (TextField::From, 2.0),
                (TextField::Speaker, 2.0),
                (TextField::Org, 1.5),
                (TextField::Session, 2.0),
            ];
            text_query(item, f, an, &targets, hl, negated)
        }
        Target::Text(t) => text_query(item, f, an, &[(*t, 1.0)], hl, negated),
    }
}

fn text_query(
    item: &Item,
    f: &Fields,
    an: &mut Analyzers,
    targets: &[(TextField, f32)],
    hl: &mut Highlight,
    negated: bool,
) -> Result<Option<Box<dyn Query>>, QueryError> {
    let folded: Vec<String> = an.folded(&item.value).into_iter().map(|t| t.text).collect();
    if folded.is_empty() {
        return Ok(None);
    }
    let single = folded.len() == 1;
    let stems = if single && !item.phrase && !has_cjk(&item.value) {
        an.query_stems(&item.value)
    } else {
        Vec::new()
    };
    if !negated {
        hl.folded.extend(folded.iter().cloned());
        hl.stems.extend(stems.iter().cloned());
    }
    let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (t, boost) in targets {
        let (plain, stem) = f.of(*t);
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if single {
            per_field.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(plain, &folded[0]),
                    IndexRecordOption::WithFreqs,
                )),
            ));
            if let Some(sf) = stem {
                for s in &stems {
                    per_field.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(
                                Term::from_field_text(sf, s),
                                IndexRecordOption::WithFreqs,
                            )),
                            0.6,
                        )),
                    ));
                }
            }
        } else {
            let terms: Vec<Term> = folded
                .iter()
                .map(|w| Term::from_field_text(plain, w))
                .collect();
            per_field.push((Occur::Should, Box::new(PhraseQuery::new(terms))));
        }
        let q: Box<dyn Query> = if per_field.len() == 1 {
            per_field.remove(0).1
        } else {
            Box::new(BooleanQuery::new(per_field))
        };
        alts.push((Occur::Should, Box::new(BoostQuery::new(q, *boost))));
    }
    Ok(Some(if alts.len() == 1 {
        alts.remove(0).1
    } else {
        Box::new(BooleanQuery::new(alts))
    }))
}

fn facet_value(root: &str, value: &str, fw: &Frameworks) -> Result<String, QueryError> {
    let v = value.trim();
    let lower = v.to_lowercase();
    let err = |what: &str, known: String| {
        Err(QueryError(format!(
            "{root}:{v} — no such {what}. Try one of: {known}."
        )))
    };
    match root {
        "list" | "event" => Ok(lower),
        "kind" => {
            let k = lower.trim_end_matches('s');
            match k {
                "message" | "reconstructed" | "session" | "turn" | "person" | "organization" => {
                    Ok(k.to_string())
                }
                "organisation" | "org" => Ok("organization".into()),
                "people" => Ok("person".into()),
                _ => err(
                    "kind",
                    "message, reconstructed, session, person, organization".into(),
                ),
            }
        }
        "year" => match v.parse::<i32>() {
            Ok(y) if (1970..=2200).contains(&y) => Ok(y.to_string()),
            _ => err("year", "2025".into()),
        },
        "group" => match fw
            .stakeholder_group(v)
            .or_else(|| fw.stakeholder_group(&lower))
        {
            Some(g) => Ok(g.id.clone()),
            None => err(
                "stakeholder group",
                fw.stakeholder_groups
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        },
        "region" => match fw.regional_group(v).or_else(|| fw.regional_group(&lower)) {
            Some(g) => Ok(g.id.clone()),
            None => err(
                "UN regional group",
                fw.regional_groups
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        },
        "actionline" => match fw.action_line_code(v) {
            Some(c) => Ok(c),
            None => err("Action Line", "C1 … C11, C7.1 … C7.8".into()),
        },
        "sdg" => match lower.trim_start_matches("sdg").trim().parse::<u32>() {
            Ok(n) if (1..=17).contains(&n) => Ok(n.to_string()),
            _ => err("SDG", "1 … 17".into()),
        },
        "gdc" => match lower.trim_start_matches("gdc").trim().parse::<u32>() {
            Ok(n) if (1..=5).contains(&n) => Ok(n.to_string()),
            _ => err("GDC objective", "1 … 5".into()),
        },
        "topic" => match fw.topic_code(v) {
            Some(c) => Ok(c),
            None => Ok(lower.replace(' ', "-")),
        },
        _ => Ok(lower),
    }
}

/// `2025`, `2025-07`, `2025-07-23`, and ranges `A..B`, `A..`, `..B`.
fn date_query(f: &Fields, v: &str) -> Result<Box<dyn Query>, QueryError> {
    let bad = || {
        QueryError(format!(
            "date:{v} is not a date. Write date:2025, date:2025-07, date:2025-07-23 or a range like date:2025-07..2025-08."
        ))
    };
    let (lo, hi) = match v.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (v.trim(), v.trim()),
    };
    if lo.is_empty() && hi.is_empty() {
        return Err(bad());
    }
    let lower = if lo.is_empty() {
        Bound::Unbounded
    } else {
        let (start, _) = period(lo).ok_or_else(bad)?;
        Bound::Included(Term::from_field_i64(f.date, start))
    };
    let upper = if hi.is_empty() {
        Bound::Unbounded
    } else {
        let (_, end) = period(hi).ok_or_else(bad)?;
        Bound::Excluded(Term::from_field_i64(f.date, end))
    };
    if let (Bound::Included(a), Bound::Excluded(b)) = (&lower, &upper) {
        if a.value().as_i64() >= b.value().as_i64() {
            return Err(QueryError(format!(
                "date:{v} — the range ends before it starts."
            )));
        }
    }
    Ok(Box::new(RangeQuery::new(lower, upper)))
}

/// Start and (exclusive) end, in UTC seconds, of a year, month or day.
fn period(s: &str) -> Option<(i64, i64)> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str| p.parse::<i16>().ok();
    let (start, end) = match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)?;
            (
                jiff::civil::date(y, 1, 1),
                jiff::civil::Date::new(y.checked_add(1)?, 1, 1).ok()?,
            )
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)?, i8::try_from(num(m)?).ok()?);
            let d = jiff::civil::Date::new(y, m, 1).ok()?;
            (d, d.checked_add(jiff::Span::new().months(1)).ok()?)
        }
        [y, m, d] if y.len() == 4 => {
            let d = jiff::civil::Date::new(
                num(y)?,
                i8::try_from(num(m)?).ok()?,
                i8::try_from(num(d)?).ok()?,
            )
            .ok()?;
            (d, d.tomorrow().ok()?)
        }
        _ => return None,
    };
    let secs = |d: jiff::civil::Date| {
        d.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_second())
    };
    Some((secs(start)?, secs(end)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fw() -> Frameworks {
        Frameworks::load(None).expect("embedded frameworks load")
    }

    fn err(q: &str) -> String {
        let f = Fields::new();
        let mut an = Analyzers::new();
        match compile(q, &f, &mut an, &fw()) {
            Ok(_) => String::new(),
            Err(e) => e.0,
        }
    }

    #[test]
    fn parses_words_phrases_fields_or_and_exclusions() {
        let g =
            parse(r#"enhanced "digital cooperation" -wsis from:anriette a OR b"#).expect("parses");
        assert_eq!(g.len(), 5);
        assert!(g[1][0].phrase);
        assert!(g[2][0].negated);
        assert_eq!(g[3][0].target, Target::Text(TextField::From));
        assert_eq!(g[4].len(), 2);
    }

    #[test]
    fn bad_queries_explain_themselves() {
        assert!(err("foo:bar").contains("Unknown field \"foo:\""));
        assert!(err("\"unclosed").contains("not closed"));
        assert!(err("date:2025-13").contains("not a date"));
        assert!(err("date:2026..2025").contains("ends before"));
        assert!(err("sdg:18").contains("1 … 17"));
        assert!(err("group:aliens").contains("civil-society"));
        assert!(err("OR wsis").contains("left"));
        assert!(err("wsis OR").contains("right"));
        assert!(err("from:").contains("value"));
        assert!(err("   ").contains("Nothing to search"));
        // Good ones.
        assert_eq!(err("date:2025-07..2025-08 actionline:c5 sdg:16 gdc:3"), "");
        assert_eq!(err("-wsis"), "");
        assert_eq!(err("group:\"civil society\" region:WEOG kind:sessions"), "");
    }

    proptest::proptest! {
        /// Any text is a query or a sentence about why not; never a panic.
        #[test]
        fn any_text_compiles_or_explains(q in "[a-zA-Z0-9:\"() .,*|\\-]{0,40}|\\PC{0,30}") {
            let f = Fields::new();
            let mut an = Analyzers::new();
            if let Err(e) = compile(&q, &f, &mut an, &fw()) {
                proptest::prop_assert!(!e.0.is_empty());
            }
        }
    }

    #[test]
    fn periods_are_utc_and_end_exclusive() {
        assert_eq!(period("2025-07"), Some((1_751_328_000, 1_754_006_400)));
        assert_eq!(period("2024-02-29").map(|(a, b)| b - a), Some(86_400));
        assert_eq!(period("2025-02-30"), None);
        assert_eq!(period("99999"), None);
    }
}
