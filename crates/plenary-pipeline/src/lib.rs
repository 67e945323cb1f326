//! plenary-pipeline: the data folder and every step that derives data from raw input.
//!
//! [`Archive::open`] opens a data folder once (the store, the frameworks, the curated
//! `people.toml`, the search index on first use). Its methods run the pipeline:
//! import (readers → parse → quote analysis → store, with list attribution), threading,
//! footer learning, reconstruction of quoted messages, tagging, people resolution and
//! the search index's sync; and the evaluations. Only this crate writes derived data;
//! the libraries it drives (mail, quotes, people, frameworks, agenda) are pure.
//!
//! Progress is reported through [`Progress`], never printed.

mod agenda;
mod archive;
mod error;
mod eval;
mod eval_affiliations;
mod eval_reconstruction;
mod import;
mod input_bytes;
mod list_attribution;
mod memory;
mod people;
pub mod privacy;
mod private;
mod progress;
mod quagga;
mod quote_evidence;
mod reconstruct;
mod tagging;
mod takedown;
mod transcripts;
mod unquote;

pub use agenda::AgendaSummary;
pub use archive::{Archive, WriteLock, WRITE_LOCK};
pub use error::{PipelineError, Result};
pub use eval::{QuoteEval, ThreadEval};
pub use eval_affiliations::AffiliationGoldEval;
pub use eval_reconstruction::ReconstructionEval;
pub use import::{
    is_private, Derived, ImportOptions, ImportSummary, RawMessage, SkippedPath, SKIPPED_LISTED,
};
pub use input_bytes::input_bytes;
pub use memory::resident_note;
pub use people::{balance, contributions, Built as PeopleBuilt, GoldPeopleEval, Reply, Scope};
pub use plenary_people::eval::PeopleEval;
pub use plenary_store::{IntakeSource, ListStatus};
pub use private::keep_private;
pub use progress::{NoProgress, Progress};
pub use quagga::{QuaggaEval, QuaggaMiss};
pub use tagging::{RetagSummary, TagEval, TagGoldEval, TagGoldScope};
pub use takedown::{removal_marker, TakedownLog, TakedownReport, TakedownTarget};
pub use unquote::{unquote, AuthorOut, MessageOut, Unquoted, ZoneOut};

/// The quote analyser against HPI Quagga's hand-annotated Enron emails in `dir`
/// (`NAME.txt` + `NAME.txt.ann`): header blocks recovered, their author, date and
/// subject, and header/body line accuracy. Needs no data folder.
pub fn eval_quagga(dir: &std::path::Path) -> Result<QuaggaEval> {
    quagga::eval_quagga(dir)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod incremental_tests;
