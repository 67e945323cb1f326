//! Field-level evaluation of the importers against expectations written by reading
//! pages (`tests/gold/agenda/*.tsv`: page, field, expected value). A page is a file
//! path (a hand-written fixture, relative to the repository root) or the URL of a real
//! page, read from a folder of saved pages (`--pages DIR`, one file per page named by
//! [`page_file_stem`] with `.txt` or `.html`) and counted as not available otherwise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plenary_frameworks::Frameworks;
use serde::Serialize;

use crate::model::Session;

/// One expectation that did not hold.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FieldMiss {
    /// The page (path or URL).
    pub page: String,
    /// The field (`room`, `speaker.2.organization`, …).
    pub field: String,
    /// What the reader expects.
    pub expected: String,
    /// What the importer gives (empty when nothing).
    pub got: String,
}

/// Right and total expectations of one field.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct FieldScore {
    /// Expectations that held.
    pub right: usize,
    /// Expectations checked.
    pub total: usize,
}

/// The result of [`eval_gold`].
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct AgendaEval {
    /// Distinct pages the gold names.
    pub pages: usize,
    /// Pages read and parsed.
    pub pages_read: usize,
    /// Real pages (URLs) with no saved copy in the pages folder.
    pub pages_unavailable: Vec<String>,
    /// Pages that could not be parsed, with why.
    pub pages_failed: Vec<String>,
    /// Expectations checked (on pages read).
    pub fields: usize,
    /// Expectations that held.
    pub right: usize,
    /// right / fields, in per cent.
    pub accuracy: f64,
    /// Scores per field name (`speaker.N.x` counted as `speaker.x`).
    pub by_field: BTreeMap<String, FieldScore>,
    /// Every expectation that did not hold.
    pub misses: Vec<FieldMiss>,
}

/// The file name (without extension) a saved copy of `url` has in the pages folder:
/// the URL without its scheme, every run of other characters than letters and digits
/// made one `_` ("www.itu.int/net4/wsis/forum/2025/Agenda/Session/133" →
/// "www_itu_int_net4_wsis_forum_2025_Agenda_Session_133").
pub fn page_file_stem(url: &str) -> String {
    let rest = url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(url)
        .trim_end_matches('/');
    let mut out = String::new();
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The value a session gives for a gold field name, or None for an unknown field.
pub fn field_value(s: &Session, field: &str) -> Option<String> {
    let join = |v: &[String], sep: &str| v.join(sep);
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    Some(match field {
        "title" => s.title.clone(),
        "number" => s.number.clone(),
        "event" => s.event.clone(),
        "start" => opt(&s.start),
        "end" => opt(&s.end),
        "room" => opt(&s.room),
        "venue" => opt(&s.venue),
        "modes" => join(&s.modes, ","),
        "access" => join(&s.access, "; "),
        "type" => opt(&s.session_type),
        "documents" => s.documents.len().to_string(),
        "organizers" => join(&s.organizers, "; "),
        "speakers" => s.speakers.len().to_string(),
        "guiding_questions" => s.guiding_questions.len().to_string(),
        "action_lines" => join(&s.action_lines, ","),
        "sdgs" => s
            .sdgs
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(","),
        "gdc_objectives" => s
            .gdc_objectives
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(","),
        "topics" => s.topics.len().to_string(),
        "description_start" => s
            .description
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(40)
            .collect(),
        _ => {
            let rest = field.strip_prefix("speaker.")?;
            let (n, what) = rest.split_once('.')?;
            let n: usize = n.parse().ok()?;
            let Some(sp) = n.checked_sub(1).and_then(|i| s.speakers.get(i)) else {
                return Some(String::new());
            };
            match what {
                "name" => sp.name.clone(),
                "honorific" => opt(&sp.honorific),
                "position" => opt(&sp.position),
                "organization" => opt(&sp.organization),
                "role" => opt(&sp.role),
                "stakeholder_group" => opt(&sp.stakeholder_group),
                "regional_group" => opt(&sp.regional_group),
                "biography" => {
                    if sp.biography.is_some() {
                        "yes".into()
                    } else {
                        "no".into()
                    }
                }
                _ => return None,
            }
        }
    })
}

/// What a page was read into.
enum Parsed {
    Sessions(Vec<Session>),
    Transcript(crate::Transcript),
}

impl Parsed {
    fn value(&self, field: &str) -> Option<String> {
        match self {
            Parsed::Sessions(v) => {
                if field == "sched.count_at_least" {
                    return Some(v.len().to_string());
                }
                if let Some(rest) = field.strip_prefix("sched.") {
                    let (n, f) = rest.split_once('.')?;
                    let n: usize = n.parse().ok()?;
                    return match n.checked_sub(1).and_then(|i| v.get(i)) {
                        Some(s) => field_value(s, f),
                        None => Some(String::new()),
                    };
                }
                field_value(v.first()?, field)
            }
            Parsed::Transcript(t) => transcript_value(t, field.strip_prefix("transcript.")?),
        }
    }
}

/// The value a transcript gives for a gold field (`transcript.` removed).
fn transcript_value(t: &crate::Transcript, field: &str) -> Option<String> {
    Some(match field {
        "title" => t.session_title.clone(),
        "event" => t.event.clone().unwrap_or_default(),
        "day" => t.day.map(|d| d.to_string()).unwrap_or_default(),
        "room" => t.room.clone().unwrap_or_default(),
        "notice" => if t.not_authoritative { "yes" } else { "no" }.into(),
        "turns" => t.turns.len().to_string(),
        "unnamed_turns" => t
            .turns
            .iter()
            .filter(|x| x.speaker.is_none())
            .count()
            .to_string(),
        "notes" => {
            (t.notes.len() + t.turns.iter().map(|x| x.notes.len()).sum::<usize>()).to_string()
        }
        _ => {
            let n: usize = field.strip_prefix("speaker.")?.parse().ok()?;
            t.speakers()
                .get(n.checked_sub(1)?)
                .map(|s| s.to_string())
                .unwrap_or_default()
        }
    })
}

fn field_class(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("sched.") {
        return match rest.split_once('.') {
            Some((_, f)) => format!("sched.{}", field_class(f)),
            None => field.to_string(),
        };
    }
    if let Some(rest) = field.strip_prefix("transcript.speaker.") {
        if rest.parse::<usize>().is_ok() {
            return "transcript.speaker".into();
        }
    }
    match field.strip_prefix("speaker.") {
        Some(rest) => match rest.split_once('.') {
            Some((_, what)) => format!("speaker.{what}"),
            None => field.to_string(),
        },
        None => field.to_string(),
    }
}

fn same(expected: &str, got: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    norm(expected) == norm(got)
}

/// Where a page named in the gold is: a URL's saved copy in `pages`, or a path
/// relative to the first ancestor of the gold file that holds it.
fn locate(page: &str, gold: &Path, pages: Option<&Path>) -> Option<PathBuf> {
    if page.starts_with("http://") || page.starts_with("https://") {
        let dir = pages?;
        let stem = page_file_stem(page);
        return ["txt", "html"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.is_file());
    }
    let mut dir = gold.parent();
    while let Some(d) = dir {
        let p = d.join(page);
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent();
    }
    let p = PathBuf::from(page);
    p.is_file().then_some(p)
}

/// Reads gold files (page, field, expected; `#` comments) and checks every expectation
/// against what the importer gives for the page.
pub fn eval_gold(
    gold: &[PathBuf],
    pages: Option<&Path>,
    fw: &Frameworks,
) -> Result<AgendaEval, crate::AgendaError> {
    // page → (gold file, rows)
    let mut rows: BTreeMap<String, (PathBuf, Vec<(String, String)>)> = BTreeMap::new();
    for g in gold {
        let text = std::fs::read_to_string(g).map_err(|e| crate::AgendaError {
            file: g.display().to_string(),
            reason: format!("cannot read: {e}"),
        })?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.splitn(3, '\t');
            let (Some(page), Some(field), Some(expected)) = (cols.next(), cols.next(), cols.next())
            else {
                return Err(crate::AgendaError {
                    file: g.display().to_string(),
                    reason: format!("line {}: not page<TAB>field<TAB>expected", n + 1),
                });
            };
            let entry = rows
                .entry(page.trim().to_string())
                .or_insert_with(|| (g.clone(), Vec::new()));
            entry
                .1
                .push((field.trim().to_string(), expected.trim().to_string()));
        }
    }
    let mut e = AgendaEval {
        pages: rows.len(),
        ..AgendaEval::default()
    };
    for (page, (g, expectations)) in rows {
        let Some(path) = locate(&page, &g, pages) else {
            if page.starts_with("http") {
                e.pages_unavailable.push(page);
            } else {
                e.pages_failed.push(format!("{page}: not found"));
            }
            continue;
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(err) => {
                e.pages_failed.push(format!("{page}: cannot read ({err})"));
                continue;
            }
        };
        let name = path.display().to_string();
        let wants_transcript = expectations
            .iter()
            .any(|(f, _)| f.starts_with("transcript."));
        let parsed = if wants_transcript {
            crate::parse_transcript(&name, &bytes).map(Parsed::Transcript)
        } else {
            match crate::detect(&name, &bytes) {
                Some(f) => crate::parse(&name, &bytes, f, fw).map(Parsed::Sessions),
                None => Err(crate::AgendaError {
                    file: name.clone(),
                    reason: "not recognised as an agenda".into(),
                }),
            }
        };
        let parsed = match parsed {
            Ok(Parsed::Sessions(v)) if v.is_empty() => {
                e.pages_failed.push(format!("{page}: no sessions"));
                continue;
            }
            Ok(p) => p,
            Err(err) => {
                e.pages_failed.push(format!("{page}: {}", err.reason));
                continue;
            }
        };
        e.pages_read += 1;
        for (field, expected) in expectations {
            let got = parsed
                .value(&field)
                .unwrap_or_else(|| "(unknown field)".into());
            let ok = match field.as_str() {
                "sched.count_at_least" => {
                    got.parse::<usize>().unwrap_or(0) >= expected.parse::<usize>().unwrap_or(1)
                }
                _ => same(&expected, &got),
            };
            let score = e.by_field.entry(field_class(&field)).or_default();
            score.total += 1;
            e.fields += 1;
            if ok {
                score.right += 1;
                e.right += 1;
            } else {
                e.misses.push(FieldMiss {
                    page: page.clone(),
                    field,
                    expected,
                    got,
                });
            }
        }
    }
    e.accuracy = if e.fields == 0 {
        0.0
    } else {
        100.0 * e.right as f64 / e.fields as f64
    };
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_page_names() {
        assert_eq!(
            page_file_stem("https://www.itu.int/net4/wsis/forum/2025/Agenda/Session/133"),
            "www_itu_int_net4_wsis_forum_2025_Agenda_Session_133"
        );
        assert_eq!(
            page_file_stem("https://intgovforum.org/en/content/igf-2024-ws-58-x/"),
            "intgovforum_org_en_content_igf_2024_ws_58_x"
        );
    }

    #[test]
    fn gold_of_the_fixtures_holds() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/gold/agenda");
        let gold: Vec<PathBuf> = ["fixtures.tsv"].iter().map(|f| root.join(f)).collect();
        if !gold[0].is_file() {
            return;
        }
        let fw = Frameworks::builtin().expect("frameworks");
        let e = eval_gold(&gold, None, &fw).expect("eval");
        assert!(e.pages_failed.is_empty(), "{:?}", e.pages_failed);
        assert!(e.fields > 50);
        assert!(e.misses.is_empty(), "{:#?}", e.misses);
    }
}
