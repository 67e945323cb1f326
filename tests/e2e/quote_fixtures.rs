//! Other quote parsers' test inputs (../shared/fixtures/quotes), judged against
//! expectations we wrote down by reading them (tests/e2e/quote_expectations.tsv):
//! per suite, how many are split correctly, and how many of the quoted
//! messages' authors and dates (columns six and seven) are right.

use std::collections::BTreeMap;
use std::path::Path;

/// Plain text as the importer would hand it to the analyser.
fn body_of(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    if name.ends_with(".html") || name.ends_with(".htm") {
        return Some(plenary_mail::html::html_to_quoted_text(&text));
    }
    // .eml-like inputs: decode them the way import does
    if plenary_mail::source::looks_like_headers(&bytes) {
        let item = plenary_mail::RawItem {
            bytes: bytes.clone(),
            kind: plenary_mail::RawKind::Rfc822,
            origin: "fixture".into(),
            source: "fixture".into(),
            envelope: None,
            list_hint: None,
            alt_page: None,
        };
        if let Ok(m) = plenary_mail::parse_item(&item, &plenary_mail::ParseOptions::default(), None)
        {
            return Some(m.body);
        }
        // a header block the importer would reject (no From): the body is what follows it
        let known = [
            "MIME-Version:",
            "Content-Type:",
            "Received:",
            "Return-Path:",
            "Message-ID:",
        ];
        if known.iter().any(|h| text.starts_with(h)) {
            if let Some(p) = text.find("\n\n") {
                return Some(text[p + 2..].to_string());
            }
        }
    }
    Some(text)
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Case- and space-folded, quotes around a name dropped.
fn fold(s: &str) -> String {
    norm(s.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())).to_lowercase()
}

/// Whether a quoted message's attribution names `want`: `-` for no author,
/// else the name as written (or its "First Last" form) or the address.
fn author_is(a: Option<&plenary_quotes::Attribution>, want: &str) -> bool {
    let named = a.is_some_and(|a| a.name.is_some() || a.address.is_some());
    if want == "-" {
        return !named;
    }
    let want = fold(want);
    a.is_some_and(|a| {
        [&a.name, &a.normalized_name, &a.address]
            .into_iter()
            .flatten()
            .any(|v| fold(v) == want)
    })
}

/// Whether a quoted message's attribution gives the date `want`: `-` for
/// none, `YYYY-MM-DD` (the day) or `YYYY-MM-DD HH:MM` (the writer's local
/// time). A numeric date that reads both ways (`04/02/2012`) is right when one
/// of its readings is: the pipeline chooses between them with the quoting
/// message's date, which a fixture does not always have.
fn date_is(a: Option<&plenary_quotes::Attribution>, want: &str) -> bool {
    let date = a.and_then(|a| a.date.as_ref());
    if want == "-" {
        return date.is_none();
    }
    let Some(d) = date else {
        return false;
    };
    let readings = std::iter::once(*d).chain(d.day_month_ambiguous.then(|| d.swapped()).flatten());
    readings.into_iter().any(|d| {
        let day = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
        match want.split_once(' ') {
            None => day == want,
            Some((wd, wt)) => {
                d.has_time && wd == day && format!("{:02}:{:02}", d.hour, d.minute) == wt
            }
        }
    })
}

#[test]
fn other_parsers_fixtures_split_rates() {
    let Some(root) = crate::shared("fixtures/quotes") else {
        return;
    };
    let expectations = include_str!("quote_expectations.tsv");
    // suite -> (judged, correct)
    let mut rates: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    // authors and dates of quoted messages: (judged, right)
    let mut attributions = (0usize, 0usize);
    let mut attribution_failures = Vec::new();
    for line in expectations
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 4 || cols.len() == 5 || cols.len() == 7,
            "bad expectation line: {line}"
        );
        let (suite, file, quoted, top) = (cols[0], cols[1], cols[2], cols[3]);
        // optional: text that must not be in the new text (a signature line, say)
        let not_in_text = cols.get(4).map(|s| norm(s)).filter(|s| !s.is_empty());
        let path = root.join(suite).join(file);
        let Some(body) = body_of(&path) else {
            failures.push(format!("{suite}/{file}: unreadable"));
            continue;
        };
        let a = plenary_quotes::analyze(&body);
        let quoted_found = a.messages.len() - 1;
        let want_quoted: usize = quoted.parse().unwrap_or(0);
        let top_text = norm(&a.messages[0].text);
        let leaked = not_in_text
            .as_ref()
            .is_some_and(|bad| norm(&a.messages[0].text).contains(bad.as_str()));
        let ok = quoted_found == want_quoted && top_text.starts_with(&norm(top)) && !leaked;
        // optional: who wrote each quoted message and when, outermost first
        // (`|` between levels, `*` for a level not judged)
        if let (Some(who), Some(when)) = (cols.get(5), cols.get(6)) {
            let whos: Vec<&str> = who.split('|').collect();
            let whens: Vec<&str> = when.split('|').collect();
            for (k, (w, d)) in whos.iter().zip(whens.iter()).enumerate() {
                let a = a.messages.get(k + 1).and_then(|m| m.attribution.as_ref());
                let found = || {
                    format!(
                        "{:?} / {:?}",
                        a.and_then(|a| a.name.as_deref().or(a.address.as_deref())),
                        a.and_then(|a| a.date.as_ref()).map(|d| format!(
                            "{:04}-{:02}-{:02} {:02}:{:02}",
                            d.year, d.month, d.day, d.hour, d.minute
                        ))
                    )
                };
                if *w != "*" {
                    attributions.0 += 1;
                    if author_is(a, w) {
                        attributions.1 += 1;
                    } else {
                        attribution_failures.push(format!(
                            "{suite}/{file} level {}: want author {w}; got {}",
                            k + 1,
                            found()
                        ));
                    }
                }
                if *d != "*" {
                    attributions.0 += 1;
                    if date_is(a, d) {
                        attributions.1 += 1;
                    } else {
                        attribution_failures.push(format!(
                            "{suite}/{file} level {}: want date {d}; got {}",
                            k + 1,
                            found()
                        ));
                    }
                }
            }
        }
        let e = rates.entry(suite.to_string()).or_default();
        e.0 += 1;
        if ok {
            e.1 += 1;
        } else {
            failures.push(format!(
                "{suite}/{file}: want {want_quoted} quoted, top {top:?}; got {quoted_found}, top {:?}{}",
                top_text.chars().take(60).collect::<String>(),
                if leaked { " (signature left in the new text)" } else { "" }
            ));
        }
    }
    let (mut judged, mut correct) = (0, 0);
    for (suite, (j, c)) in &rates {
        eprintln!("{suite}: {c}/{j} split correctly");
        judged += j;
        correct += c;
    }
    for f in &failures {
        eprintln!("  {f}");
    }
    eprintln!("overall: {correct}/{judged}");
    for f in &attribution_failures {
        eprintln!("  {f}");
    }
    eprintln!(
        "attributions (author, date): {}/{} right",
        attributions.1, attributions.0
    );
    assert!(judged > 0);
    // every input is judged (the suites' expected outputs and sender files are not inputs)
    let judged_files: std::collections::BTreeSet<(String, String)> = expectations
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.to_string(), c.next()?.to_string()))
        })
        .collect();
    let mut unjudged = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(rel) = p.strip_prefix(&root) else {
                continue;
            };
            let rel = rel.to_string_lossy().to_string();
            let Some((suite, file)) = rel.split_once('/') else {
                continue;
            };
            let not_input = file.contains("/stripped/")
                || file.ends_with("_sender")
                || file.ends_with(".gitignore");
            if !not_input && !judged_files.contains(&(suite.to_string(), file.to_string())) {
                unjudged.push(rel);
            }
        }
    }
    assert!(
        unjudged.is_empty(),
        "inputs without expectations: {unjudged:?}"
    );
    // Regressions fail: keep at or above what was measured when the expectations were written.
    assert!(correct * 100 >= judged * 95, "{correct}/{judged}");
    // authors and dates: 297/297 when their columns were written
    assert!(attributions.0 >= 297, "{attributions:?}");
    assert!(
        attributions.1 * 100 >= attributions.0 * 99,
        "{}/{}",
        attributions.1,
        attributions.0
    );
}
