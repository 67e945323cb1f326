//! The quote analyser measured against hand-annotated email: HPI Quagga's Enron
//! set (`NAME.txt` the raw email, `NAME.txt.ann` JSON with the body as `text` and
//! typed character spans as `denotations`). Each `Header` span is one quoted or
//! forwarded header block; `Header/Person/From`, `Header/Sent/Date` and
//! `Header/Subject` inside it are what a reader would take as its author, date
//! and subject.
//!
//! What is judged, per gold header block: whether an attribution zone of ours
//! overlaps it (recovered), and whether the attribution we read there names the
//! same author (folded: case, accents, spacing and surrounding punctuation),
//! the same day and the same subject. Lines are judged as Quagga's two-zone
//! model does: each non-blank line is header or body; ours is header when an
//! attribution zone holds it.

use std::path::Path;

use plenary_frameworks::fold;
use plenary_quotes::{analyze, Analysis, ZoneKind};
use serde::{Deserialize, Serialize};

use crate::error::{io_error, PipelineError, Result};

/// Agreement of the quote analyser with Quagga's annotations.
#[derive(Debug, Default, Serialize)]
pub struct QuaggaEval {
    /// Annotated emails read.
    pub emails: usize,
    /// Gold header blocks (`Header` spans).
    pub headers: usize,
    /// Gold blocks an attribution zone of ours overlaps.
    pub recovered: usize,
    /// Gold blocks with a `Header/Person/From`.
    pub with_author: usize,
    /// Of those, recovered with the same author (name or address, folded).
    pub author: usize,
    /// Gold blocks with a `Header/Sent/Date` that reads as a date.
    pub with_date: usize,
    /// Of those, recovered with a date on the same day.
    pub date: usize,
    /// Gold blocks with a `Header/Subject`.
    pub with_subject: usize,
    /// Of those, recovered with the same subject (folded).
    pub subject: usize,
    /// Non-blank lines judged header or body.
    pub lines: usize,
    /// Lines we put on the same side as the annotators.
    pub lines_agree: usize,
    pub recovered_rate: f64,
    pub author_rate: f64,
    pub date_rate: f64,
    pub subject_rate: f64,
    pub line_accuracy: f64,
    /// Non-blank lines the annotators put in a signature (`Body/Signature…`).
    pub signature_lines: usize,
    /// Non-blank lines we put in a signature zone.
    pub signature_ours: usize,
    /// Lines both put in a signature.
    pub signature_agree: usize,
    pub signature_precision: f64,
    pub signature_recall: f64,
    pub signature_f1: f64,
    /// Up to 40 gold blocks we got wrong: the file, what the annotators read,
    /// what we read.
    pub misses: Vec<QuaggaMiss>,
}

/// One gold header block the analyser got wrong.
#[derive(Debug, Serialize)]
pub struct QuaggaMiss {
    pub file: String,
    /// `not recovered`, `author`, `date` or `subject`.
    pub what: &'static str,
    pub gold: String,
    pub ours: String,
}

#[derive(Deserialize)]
struct Annotated {
    text: String,
    denotations: Vec<Denotation>,
}

#[derive(Deserialize)]
struct Denotation {
    start: usize,
    end: usize,
    text: String,
    #[serde(rename = "type")]
    kind: String,
}

/// Character offsets (as the annotations count) to byte offsets of `text`.
fn byte_offsets(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

pub(crate) fn eval_quagga(dir: &Path) -> Result<QuaggaEval> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".ann"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(PipelineError::BadFile {
            path: dir.to_path_buf(),
            reason: "no Quagga annotation files (NAME.txt.ann) in this folder".into(),
        });
    }
    let mut e = QuaggaEval::default();
    for path in files {
        let raw = std::fs::read_to_string(&path).map_err(io_error(&path))?;
        let ann: Annotated = serde_json::from_str(&raw).map_err(|err| PipelineError::BadFile {
            path: path.clone(),
            reason: format!("not a Quagga annotation: {err}"),
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".ann").to_string())
            .unwrap_or_default();
        judge(&name, &ann, &mut e);
        e.emails += 1;
    }
    e.recovered_rate = rate(e.recovered, e.headers);
    e.author_rate = rate(e.author, e.with_author);
    e.date_rate = rate(e.date, e.with_date);
    e.subject_rate = rate(e.subject, e.with_subject);
    e.line_accuracy = rate(e.lines_agree, e.lines);
    e.signature_precision = rate(e.signature_agree, e.signature_ours);
    e.signature_recall = rate(e.signature_agree, e.signature_lines);
    let (p, r) = (e.signature_precision, e.signature_recall);
    e.signature_f1 = if p + r > 0.0 {
        ((2.0 * p * r / (p + r)) * 10000.0).round() / 10000.0
    } else {
        0.0
    };
    Ok(e)
}

fn rate(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        (n as f64 / d as f64 * 10000.0).round() / 10000.0
    }
}

/// Folded for comparison: case and accents, whitespace runs, and the quotes,
/// brackets and punctuation around a name.
fn key(s: &str) -> String {
    let f = fold(s);
    let f: Vec<&str> = f.split_whitespace().collect();
    f.join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

fn judge(file: &str, ann: &Annotated, e: &mut QuaggaEval) {
    let text = &ann.text;
    let at = byte_offsets(text);
    let span = |d: &Denotation| -> Option<(usize, usize)> {
        let s = *at.get(d.start)?;
        let t = *at.get(d.end)?;
        (s < t).then_some((s, t))
    };
    let analysis: Analysis = analyze(text);
    let headers: Vec<(usize, usize)> = ann
        .denotations
        .iter()
        .filter(|d| d.kind == "Header")
        .filter_map(&span)
        .collect();
    let inside =
        |d: &Denotation, h: (usize, usize)| span(d).is_some_and(|(s, t)| s >= h.0 && t <= h.1);
    let miss = |e: &mut QuaggaEval, what: &'static str, gold: &str, ours: String| {
        if e.misses.len() < 40 {
            e.misses.push(QuaggaMiss {
                file: file.to_string(),
                what,
                gold: gold.to_string(),
                ours,
            });
        }
    };
    for &h in &headers {
        e.headers += 1;
        let field = |kind: &str| {
            ann.denotations
                .iter()
                .find(|d| d.kind == kind && inside(d, h))
                .map(|d| d.text.trim().to_string())
        };
        let gold_from = field("Header/Person/From");
        let gold_date = field("Header/Sent/Date");
        let gold_subject = field("Header/Subject");
        // The attribution we read over this block: the first attribution zone
        // overlapping it whose message carries an attribution.
        let ours = analysis
            .zones
            .iter()
            .filter(|z| z.kind == ZoneKind::Attribution && z.start < h.1 && z.end > h.0)
            .find_map(|z| analysis.messages.get(z.message)?.attribution.as_ref());
        if ours.is_some() {
            e.recovered += 1;
        } else {
            let first_line = text[h.0..h.1].trim().lines().next().unwrap_or("");
            miss(e, "not recovered", first_line, String::new());
        }
        if let Some(g) = &gold_from {
            e.with_author += 1;
            let gk = key(g);
            let ok = ours.is_some_and(|a| {
                a.name.as_deref().is_some_and(|n| key(n) == gk)
                    || a.address.as_deref().is_some_and(|n| key(n) == gk)
            });
            if ok {
                e.author += 1;
            } else if let Some(a) = ours {
                let got = format!(
                    "{} <{}>",
                    a.name.as_deref().unwrap_or(""),
                    a.address.as_deref().unwrap_or("")
                );
                miss(e, "author", g, got);
            }
        }
        if let Some(days) = gold_date.as_deref().and_then(gold_days) {
            e.with_date += 1;
            let ok = ours
                .and_then(|a| a.date)
                .is_some_and(|d| days.contains(&(d.year, d.month, d.day)));
            if ok {
                e.date += 1;
            } else if let Some(a) = ours {
                miss(
                    e,
                    "date",
                    gold_date.as_deref().unwrap_or(""),
                    a.date_text.clone().unwrap_or_default(),
                );
            }
        }
        if let Some(g) = &gold_subject {
            e.with_subject += 1;
            let ok = ours
                .and_then(|a| a.subject.as_deref())
                .is_some_and(|s| key(s) == key(g));
            if ok {
                e.subject += 1;
            } else if let Some(a) = ours {
                miss(e, "subject", g, a.subject.clone().unwrap_or_default());
            }
        }
    }
    let signatures: Vec<(usize, usize)> = ann
        .denotations
        .iter()
        .filter(|d| d.kind.starts_with("Body/Signature"))
        .filter_map(&span)
        .collect();
    // Lines: header when the annotators' header span holds its first
    // non-blank character; ours when an attribution zone does. The same for
    // signatures (Webis-style line measure): the annotators' `Body/Signature…`
    // spans against our signature zones.
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(lead) = line.find(|c: char| !c.is_whitespace()) else {
            continue;
        };
        let p = start + lead;
        let gold = headers.iter().any(|&(s, t)| p >= s && p < t);
        let ours = analysis
            .zones
            .iter()
            .any(|z| z.kind == ZoneKind::Attribution && p >= z.start && p < z.end);
        e.lines += 1;
        if gold == ours {
            e.lines_agree += 1;
        }
        let gold_sig = signatures.iter().any(|&(s, t)| p >= s && p < t);
        let our_sig = analysis
            .zones
            .iter()
            .any(|z| z.kind == ZoneKind::Signature && p >= z.start && p < z.end);
        e.signature_lines += usize::from(gold_sig);
        e.signature_ours += usize::from(our_sig);
        e.signature_agree += usize::from(gold_sig && our_sig);
    }
}

/// The day a gold date names (`05/23/2000`, `03/08/01`, `November 16, 2001`,
/// `17 Nov 2000`, …): read by the analyser's own date reader, which is what is
/// under test for the attribution, so only the forms it reads count as dated.
/// A gold span cut to the bare date (`11/06/2000`) cannot say whether it is
/// `mm/dd` or `dd/mm`: the analyser reads it in context (the date of the message
/// that quotes it), so either reading of such a span counts.
fn gold_days(s: &str) -> Option<Vec<(i32, u8, u8)>> {
    let d = plenary_quotes::parse_date(s)?;
    let mut days = vec![(d.year, d.month, d.day)];
    if d.day_month_ambiguous {
        if let Some(w) = d.swapped() {
            days.push((w.year, w.month, w.day));
        }
    }
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(text: &str, spans: &[(&str, &str)]) -> Annotated {
        let denotations = spans
            .iter()
            .map(|(kind, piece)| {
                let b = text.find(piece).unwrap_or(0);
                let start = text[..b].chars().count();
                Denotation {
                    start,
                    end: start + piece.chars().count(),
                    text: piece.to_string(),
                    kind: kind.to_string(),
                }
            })
            .collect();
        Annotated {
            text: text.to_string(),
            denotations,
        }
    }

    #[test]
    fn an_outlook_block_is_judged_field_by_field() {
        let header = "-----Original Message-----\nFrom: Doe, Jane [mailto:jane.doe@example.com]\nSent: Tuesday, November 13, 2001 9:12 AM\nTo: Roe, Richard\nSubject: Re: gas schedule\n";
        let text = format!("Fine by me.\n\n{header}\nCan we move the call to Thursday?\n");
        let a = ann(
            &text,
            &[
                ("Header", header),
                ("Header/Person/From", "Doe, Jane"),
                ("Header/Sent/Date", "November 13, 2001"),
                ("Header/Subject", "Re: gas schedule"),
            ],
        );
        let mut e = QuaggaEval::default();
        judge("t", &a, &mut e);
        assert_eq!((e.headers, e.recovered), (1, 1), "{:?}", e.misses);
        assert_eq!(e.date, 1, "{:?}", e.misses);
        assert_eq!(e.subject, 1, "{:?}", e.misses);
        assert!(e.lines >= 7 && e.lines_agree >= e.lines - 1, "{e:?}");
    }

    #[test]
    fn a_folder_without_annotations_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = eval_quagga(dir.path()).err().map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("Quagga")));
    }

    #[test]
    fn an_ambiguous_gold_date_allows_both_readings() {
        let days = gold_days("11/06/2000").unwrap_or_default();
        assert!(days.contains(&(2000, 11, 6)) && days.contains(&(2000, 6, 11)));
        assert_eq!(gold_days("11/20/2000"), Some(vec![(2000, 11, 20)]));
    }

    #[test]
    fn keys_ignore_case_accents_and_brackets() {
        assert_eq!(key("\"Sara  Shackleton\""), key("sara shackleton"));
        assert_eq!(key("José"), key("jose"));
    }
}
