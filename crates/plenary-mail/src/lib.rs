//! plenary-mail: reading mailing-list archives of every common shape,
//! decoding their messages, and rebuilding threads.
//!
//! Data flows `source` (raw items) → `parse` (decoded messages) → `thread`
//! (parents and thread roots). Nothing here touches storage.

pub mod address;
pub mod date;
pub mod flowed;
pub mod html;
pub mod parse;
pub mod pipermail;
pub mod source;
pub mod subject;
pub mod thread;

pub use address::Author;
pub use date::MailDate;
pub use parse::{parse_item, ListEvidence, ListRef, ParseOptions, ParsedMessage, Rejection};
pub use source::{
    read_mbox_stream, read_path, read_path_with, RawItem, RawKind, ReadEvent, ReadLimits,
};

#[cfg(test)]
mod real_data_tests;

#[cfg(test)]
mod bounds_tests;
