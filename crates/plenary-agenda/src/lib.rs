//! Agendas into one session model: WSIS Forum session pages (HTML or their text
//! rendering, 2019–2025 layouts), IGF session pages (current and legacy layouts), and
//! Plenary's own JSON and CSV schema. Each input is detected from its name and content,
//! like mail; bad input becomes an [`AgendaError`] naming the file and the reason.

mod eval;
mod export;
mod html;
mod igf;
mod lines;
mod meta;
mod model;
mod sched;
mod schema;
mod transcript;
mod wsis;

use std::path::Path;

use plenary_frameworks::Frameworks;

pub use eval::{eval_gold, field_value, page_file_stem, AgendaEval, FieldMiss, FieldScore};
pub use export::{to_frab, to_ical};
pub use model::{Document, Moment, Organizer, Session, Speaker};
pub use schema::{to_csv, CSV_COLUMNS};
pub use transcript::{Transcript, Turn};

/// An agenda format [`detect`] recognises and [`parse`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A WSIS Forum session page as HTML.
    WsisHtml,
    /// The text rendering of a WSIS Forum session page.
    WsisText,
    /// An IGF session page as HTML (current or legacy layout).
    IgfHtml,
    /// The text rendering of an IGF session page.
    IgfText,
    /// An IGF programme page on Sched (many sessions), as HTML or text.
    IgfSched,
    /// Plenary's agenda schema as JSON (`docs/agenda-schema.md`).
    Json,
    /// Plenary's agenda schema as CSV, one session per row.
    Csv,
}

impl Format {
    /// The format's name as stored in [`Session::source_format`] (`wsis-html`, `csv`, …).
    pub fn name(self) -> &'static str {
        match self {
            Format::WsisHtml => "wsis-html",
            Format::WsisText => "wsis-text",
            Format::IgfHtml => "igf-html",
            Format::IgfText => "igf-text",
            Format::IgfSched => "igf-sched",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

#[derive(Debug, thiserror::Error)]
/// A file that is not a readable agenda, with why.
#[error("{file}: {reason}")]
pub struct AgendaError {
    /// The file's name as given to [`parse`] or [`read_file`].
    pub file: String,
    /// What is wrong with it (for a schema file, including the session's index or row).
    pub reason: String,
}

fn lower_ext(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Which agenda format `bytes` (named `name`) is, or None when it is not an agenda.
pub fn detect(name: &str, bytes: &[u8]) -> Option<Format> {
    let ext = lower_ext(name);
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 20)]);
    match ext.as_str() {
        "json" => {
            let t = text.trim_start();
            let plausible = (t.starts_with('[') || t.starts_with('{'))
                && t.contains("\"title\"")
                && t.contains("\"event\"");
            plausible.then_some(Format::Json)
        }
        "csv" => {
            let header = text.lines().next().unwrap_or("").to_ascii_lowercase();
            let cols: Vec<&str> = header
                .split(',')
                .map(|c| c.trim().trim_matches('"'))
                .collect();
            (cols.contains(&"event") && cols.contains(&"title")).then_some(Format::Csv)
        }
        "html" | "htm" => {
            if !(text.contains("Session") || text.contains("IGF") || text.contains("GMT")) {
                return None;
            }
            let page = html::read(&text);
            if transcript::looks_like(&text) {
                None
            } else if sched::looks_like(&page.lines) {
                Some(Format::IgfSched)
            } else if igf::looks_like(&page.lines) {
                Some(Format::IgfHtml)
            } else if wsis::looks_like(&page.lines) {
                Some(Format::WsisHtml)
            } else {
                None
            }
        }
        "txt" | "text" | "" => {
            // never a mail archive: those start with headers or "From "
            if text.starts_with("From ") {
                return None;
            }
            if transcript::looks_like(&text) {
                return None;
            }
            let lines = lines::text_lines(&text);
            if sched::looks_like(&lines) {
                Some(Format::IgfSched)
            } else if igf::looks_like(&lines) {
                Some(Format::IgfText)
            } else if wsis::looks_like(&lines) {
                Some(Format::WsisText)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Parses one agenda file's bytes in the given format.
pub fn parse(
    name: &str,
    bytes: &[u8],
    format: Format,
    fw: &Frameworks,
) -> Result<Vec<Session>, AgendaError> {
    let err = |reason: String| AgendaError {
        file: name.to_string(),
        reason,
    };
    let text = || {
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|e| err(format!("not UTF-8 text ({e})")))
    };
    let mut sessions = match format {
        Format::Json => schema::parse_json(&text()?).map_err(err)?,
        Format::Csv => schema::parse_csv(bytes).map_err(err)?,
        Format::WsisText => vec![wsis::parse(&lines::text_lines(&text()?), fw).map_err(err)?],
        Format::IgfText => vec![igf::parse(&lines::text_lines(&text()?)).map_err(err)?],
        Format::IgfSched => {
            let t = text()?;
            let lines = if t.trim_start().starts_with('<') {
                html::read(&t).lines
            } else {
                lines::text_lines(&t)
            };
            sched::parse(&lines).map_err(err)?
        }
        Format::WsisHtml | Format::IgfHtml => {
            let page = html::read(&text()?);
            let mut s = if format == Format::WsisHtml {
                wsis::parse(&page.lines, fw).map_err(err)?
            } else {
                igf::parse(&page.lines).map_err(err)?
            };
            if !page.documents.is_empty() {
                s.documents = page.documents;
            }
            if s.source_url.is_none() {
                s.source_url = page.source_url;
            }
            vec![s]
        }
    };
    for s in &mut sessions {
        if s.source_format.is_empty() {
            s.source_format = format.name().to_string();
        }
        s.action_lines = s
            .action_lines
            .iter()
            .map(|a| fw.action_line_code(a).unwrap_or_else(|| a.clone()))
            .collect();
        if s.title.trim().is_empty() {
            return Err(err("a session without a title".into()));
        }
    }
    Ok(sessions)
}

/// Is this file an IGF captioning transcript (HTML or text)?
pub fn is_transcript(name: &str, bytes: &[u8]) -> bool {
    let ext = lower_ext(name);
    matches!(ext.as_str(), "html" | "htm" | "txt" | "text" | "")
        && transcript::looks_like(&String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 20)]))
}

/// Reads an IGF captioning transcript into turns.
pub fn parse_transcript(name: &str, bytes: &[u8]) -> Result<Transcript, AgendaError> {
    let err = |reason: String| AgendaError {
        file: name.to_string(),
        reason,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| err(format!("not UTF-8 text ({e})")))?;
    let html_like =
        matches!(lower_ext(name).as_str(), "html" | "htm") || text.trim_start().starts_with('<');
    if html_like {
        let page = html::read(text);
        let mut t = transcript::parse(&page.lines).map_err(err)?;
        t.source_url = page.source_url;
        Ok(t)
    } else {
        transcript::parse(&lines::text_lines(text)).map_err(err)
    }
}

/// Detects and parses a file; Ok(None) when it is not an agenda.
pub fn read_file(path: &Path, fw: &Frameworks) -> Result<Option<Vec<Session>>, AgendaError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| AgendaError {
        file: name.clone(),
        reason: format!("cannot read: {e}"),
    })?;
    match detect(&name, &bytes) {
        Some(f) => parse(&name, &bytes, f, fw).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests;
