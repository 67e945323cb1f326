//! People and organisations. [`identity::resolve`] turns sightings of people (message
//! authors, quoted authors, session speakers) into identities, each merge with its reason;
//! [`affiliation::affiliations`] gives each person's organisations, stakeholder groups and
//! countries with evidence; [`balance`] and [`network`] measure who takes part and who
//! answers whom. Curated facts (`people.toml`) override inference.

pub mod affiliation;
pub mod balance;
pub mod curated;
pub mod eval;
pub mod identity;
pub mod names;
pub mod network;
mod record;

pub use affiliation::{affiliations, registrable_domain, Affiliation, DomainHolders};
pub use curated::{Curated, CuratedError, CuratedFact};
pub use identity::{
    address_key, normalize_address, normalize_name, obfuscated_key, resolve, shared_addresses,
    DomainKeys, Identity, Observation, OrgKeys, Resolution, SharedAddresses, Source, Speaker,
};
pub use names::{full_name_key, name_key, name_tokens, names_match, on_behalf_of};
pub use record::{MergeOut, PersonRecord, SessionRole};

/// Lower-case without diacritics: the frameworks' folding, the one of the workspace.
pub use plenary_frameworks::fold;

#[cfg(test)]
mod tests;
