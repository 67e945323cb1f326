//! The curator's file, `people.toml` in the data folder: merges, splits and affiliation
//! facts that override inference and survive re-analysis. `plenary people merge|split|set`
//! edit it; people refer to persons by an address or a name.

use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CuratedMerge {
    /// Addresses or names that are one person.
    pub people: Vec<String>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CuratedSplit {
    /// An address or name that must not join anyone by inference.
    pub key: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CuratedFact {
    /// An address or a name of the person.
    pub person: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stakeholder_group: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Curated {
    #[serde(default, rename = "merge")]
    pub merges: Vec<CuratedMerge>,
    #[serde(default, rename = "split")]
    pub split_rules: Vec<CuratedSplit>,
    #[serde(default, rename = "fact")]
    pub facts: Vec<CuratedFact>,
    /// Keys of `split_rules`, for the resolver.
    #[serde(skip)]
    pub splits: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CuratedError {
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl Curated {
    /// Reads `path`; a missing file is an empty curation.
    pub fn load(path: &Path) -> Result<Curated, CuratedError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Curated::default()),
            Err(source) => {
                return Err(CuratedError::Io {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        let mut c: Curated = toml::from_str(&text).map_err(|e| CuratedError::Invalid {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        for m in &c.merges {
            if m.people.len() < 2 {
                return Err(CuratedError::Invalid {
                    path: path.display().to_string(),
                    reason: format!("a merge needs two people or more: {:?}", m.people),
                });
            }
        }
        c.splits = c.split_rules.iter().map(|s| s.key.clone()).collect();
        Ok(c)
    }

    /// Writes the file (a header comment, then the entries), replacing it atomically.
    pub fn save(&self, path: &Path) -> Result<(), CuratedError> {
        let body = toml::to_string(self).map_err(|e| CuratedError::Invalid {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let text = format!(
            "# Curated identities for Plenary: merges, splits and affiliation facts.\n\
             # They override what Plenary infers and survive re-analysis.\n\
             # Edit by hand or with `plenary people merge|split|set`.\n\n{body}"
        );
        let io = |source| CuratedError::Io {
            path: path.display().to_string(),
            source,
        };
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn merge(&mut self, people: Vec<String>, reason: String) {
        self.merges.push(CuratedMerge { people, reason });
    }

    pub fn split(&mut self, key: String, reason: String) {
        self.splits.push(key.clone());
        self.split_rules.push(CuratedSplit { key, reason });
    }

    pub fn set(&mut self, fact: CuratedFact) {
        self.facts.push(fact);
    }
}
