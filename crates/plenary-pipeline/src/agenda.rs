//! The agenda half of an import: session pages and agenda files found under the
//! imported paths become sessions (with their declared framework tags), and the threads
//! and messages of the lists an import touched get tagger tags with evidence.

use std::path::{Path, PathBuf};

use plenary_frameworks::Frameworks;
use plenary_store::{SessionOutcome, Store, StoredTranscript, TranscriptLinks};

use crate::error::Result;
use crate::tagging::{tag_sessions, tagger};
use serde::Serialize;

#[derive(Debug, Default, Serialize, Clone)]
pub struct AgendaSummary {
    pub sessions_new: usize,
    pub sessions_updated: usize,
    pub sessions_unchanged: usize,
    /// Agenda files that could not be read (stored as rejects with the reason).
    pub agenda_rejected: usize,
    /// Files recognised as agendas.
    pub agenda_files: usize,
    /// Captioning transcripts stored or changed.
    pub transcripts_new: usize,
    /// Transcripts seen before, unchanged.
    pub transcripts_unchanged: usize,
    /// Transcripts linked to a session.
    pub transcripts_linked: usize,
    /// Their paths as the mail reader names them, so that an agenda file is
    /// imported or rejected once, never also reported by the mail reader.
    #[serde(skip)]
    pub(crate) agenda_paths: std::collections::BTreeSet<String>,
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_file() {
        out.push(p.to_path_buf());
    } else if let Ok(rd) = std::fs::read_dir(p) {
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            let name = e
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // mail folders hold no agendas: skip Maildir and git internals quickly
            if e.is_dir() && matches!(name.as_str(), "cur" | "new" | "tmp" | ".git" | "objects") {
                continue;
            }
            walk(&e, out);
        }
    }
}

fn is_candidate(p: &Path) -> bool {
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let small = std::fs::metadata(p)
        .map(|m| m.len() < 32 << 20)
        .unwrap_or(false);
    small && matches!(ext.as_str(), "json" | "csv" | "html" | "htm" | "txt")
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Imports every agenda file under `paths`. Files that are not agendas are left to the
/// mail importer; agenda files that fail become rejects naming the file and the reason.
pub(crate) fn import_paths(
    store: &mut Store,
    paths: &[PathBuf],
    fw: &Frameworks,
) -> Result<AgendaSummary> {
    let mut files = Vec::new();
    for p in paths {
        walk(p, &mut files);
    }
    let tagger = tagger(fw);
    let mut sum = AgendaSummary::default();
    let stamp = now();
    let mut transcripts: Vec<(String, Vec<u8>)> = Vec::new();
    for f in files.into_iter().filter(|f| is_candidate(f)) {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let name = f.display().to_string();
        if plenary_agenda::is_transcript(&name, &bytes) {
            sum.agenda_paths.insert(name.clone());
            transcripts.push((name, bytes));
            continue;
        }
        let Some(format) = plenary_agenda::detect(&name, &bytes) else {
            continue;
        };
        sum.agenda_files += 1;
        sum.agenda_paths.insert(name.clone());
        let parsed = std::panic::catch_unwind(|| plenary_agenda::parse(&name, &bytes, format, fw));
        let sessions = match parsed {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                if store.insert_reject(&name, &format!("agenda: {}", e.reason), &bytes)? {
                    sum.agenda_rejected += 1;
                }
                continue;
            }
            Err(_) => {
                store.insert_reject(
                    &name,
                    "agenda: internal parser error (panic caught)",
                    &bytes,
                )?;
                sum.agenda_rejected += 1;
                continue;
            }
        };
        for s in &sessions {
            match store.upsert_session(s, &name, stamp)? {
                SessionOutcome::New => sum.sessions_new += 1,
                SessionOutcome::Updated => sum.sessions_updated += 1,
                SessionOutcome::Unchanged => sum.sessions_unchanged += 1,
            }
        }
        tag_sessions(store, &sessions, &tagger, fw)?;
    }
    // transcripts after every session of this import is stored: they link to them
    if !transcripts.is_empty() {
        let sessions = store.sessions(None)?;
        for (name, bytes) in transcripts {
            let parsed =
                std::panic::catch_unwind(|| plenary_agenda::parse_transcript(&name, &bytes));
            let t = match parsed {
                Ok(Ok(t)) => t,
                Ok(Err(e)) => {
                    if store.insert_reject(&name, &format!("transcript: {}", e.reason), &bytes)? {
                        sum.agenda_rejected += 1;
                    }
                    continue;
                }
                Err(_) => {
                    store.insert_reject(
                        &name,
                        "transcript: internal parser error (panic caught)",
                        &bytes,
                    )?;
                    sum.agenda_rejected += 1;
                    continue;
                }
            };
            let found = crate::transcripts::find_session(&t, &sessions);
            let links = TranscriptLinks {
                session_evidence: found.as_ref().map(|(_, e)| e.clone()),
                speakers: crate::transcripts::link_speakers(&t, found.as_ref().map(|(s, _)| *s)),
            };
            let id = crate::transcripts::transcript_id(&t, &name);
            let mut links = links;
            if let Some(old) = store.transcript(&id)? {
                // people are linked after import: keep those of an unchanged speaker
                for l in &mut links.speakers {
                    if let Some(o) = old
                        .links
                        .speakers
                        .iter()
                        .find(|o| o.written == l.written && o.panellist == l.panellist)
                    {
                        *l = o.clone();
                    }
                }
            }
            let stored = StoredTranscript {
                id,
                session_id: found.as_ref().map(|(s, _)| s.id()),
                transcript: t,
                links,
                origin: name.clone(),
            };
            if stored.session_id.is_some() {
                sum.transcripts_linked += 1;
            }
            if store.upsert_transcript(&stored, stamp)? {
                sum.transcripts_new += 1;
            } else {
                sum.transcripts_unchanged += 1;
            }
        }
    }
    Ok(sum)
}
