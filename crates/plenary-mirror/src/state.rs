//! What was fetched, kept beside the replica so the next run asks only for changes
//! and an interrupted run resumes: per URL its validators (ETag, Last-Modified), size
//! and fetch time, and the periods whose pages are all fetched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::MirrorError;

/// The state file's name ends so: `.FOLDER.mirror-state.json` beside the replica
/// folder of the mirrored URL, not inside it, so that importing the folder reads
/// exactly what was fetched.
pub const STATE_FILE: &str = ".mirror-state.json";

/// One fetched URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The server's ETag, sent back as If-None-Match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The server's Last-Modified, sent back as If-Modified-Since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Bytes kept.
    pub size: u64,
    /// When it was last fetched or confirmed unchanged (RFC 3339).
    pub fetched: String,
}

impl Entry {
    /// The conditional request headers for a refetch.
    pub fn conditional_headers(&self) -> Vec<(&'static str, String)> {
        let mut h = Vec::new();
        if let Some(e) = &self.etag {
            h.push(("If-None-Match", e.clone()));
        }
        if let Some(l) = &self.last_modified {
            h.push(("If-Modified-Since", l.clone()));
        }
        h
    }
}

/// The state of one mirrored URL's replica folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Per URL.
    #[serde(default)]
    pub urls: BTreeMap<String, Entry>,
    /// Periods whose message pages were all fetched after their text last changed.
    #[serde(default)]
    pub complete: BTreeMap<String, bool>,
    /// Something was fetched that no import has read yet (cleared by
    /// [`crate::mark_imported`]): a run that fetches nothing new imports nothing.
    #[serde(default)]
    pub pending_import: bool,
    #[serde(skip)]
    path: PathBuf,
}

impl State {
    /// The state file of the replica folder `dir`.
    pub fn path_for(dir: &Path) -> PathBuf {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        dir.with_file_name(format!(".{name}{STATE_FILE}"))
    }

    /// Reads the state of the replica folder `dir` (empty when there is none yet).
    pub fn load(dir: &Path) -> Result<State, MirrorError> {
        let path = State::path_for(dir);
        let mut s: State = match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| MirrorError::State {
                path: path.clone(),
                reason: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::default(),
            Err(e) => return Err(MirrorError::Io { path, source: e }),
        };
        s.path = path;
        Ok(s)
    }

    /// Writes the state (to a temporary file renamed over the old one, so an
    /// interruption leaves the previous state whole).
    pub fn save(&self) -> Result<(), MirrorError> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| MirrorError::State {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        crate::write_atomically(&self.path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditional_headers_from_validators() {
        let e = Entry {
            etag: Some("\"abc\"".into()),
            last_modified: Some("Sat, 05 Dec 2026 10:00:00 GMT".into()),
            size: 3,
            fetched: String::new(),
        };
        assert_eq!(
            e.conditional_headers(),
            vec![
                ("If-None-Match", "\"abc\"".to_string()),
                (
                    "If-Modified-Since",
                    "Sat, 05 Dec 2026 10:00:00 GMT".to_string()
                )
            ]
        );
        assert!(Entry::default().conditional_headers().is_empty());
    }

    #[test]
    fn state_round_trips_for_resuming() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = State::load(dir.path()).unwrap();
        assert!(s.urls.is_empty());
        s.urls.insert(
            "http://h/x/2021-May.txt".into(),
            Entry {
                etag: Some("\"1\"".into()),
                ..Default::default()
            },
        );
        s.complete.insert("2021-May".into(), false);
        s.save().unwrap();
        let again = State::load(dir.path()).unwrap();
        assert_eq!(again.urls, s.urls);
        assert_eq!(again.complete.get("2021-May"), Some(&false));
        let path = State::path_for(dir.path());
        assert!(path.starts_with(dir.path().parent().unwrap()));
        assert!(!path.starts_with(dir.path()));
        std::fs::write(&path, "{not json").unwrap();
        assert!(matches!(
            State::load(dir.path()),
            Err(MirrorError::State { .. })
        ));
    }
}
