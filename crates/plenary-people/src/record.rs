//! A person as the store keeps them and the CLI and API show them.

use serde::{Deserialize, Serialize};

use crate::Affiliation;

/// A person as stored, printed by `plenary people --json` and served by the API.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PersonRecord {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub addresses: Vec<String>,
    pub affiliations: Vec<Affiliation>,
    /// Sessions with the person's role.
    pub sessions: Vec<SessionRole>,
    /// Archived messages written.
    pub messages: u64,
    /// Messages recovered from quotes.
    pub reconstructed: u64,
    /// Why the sightings were joined.
    pub merges: Vec<MergeOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SessionRole {
    pub id: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MergeOut {
    pub reason: String,
}
