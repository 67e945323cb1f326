//! URL keys: the one slug rule of the workspace, with its variants named.
//!
//! List slugs and session ids are primary keys in existing stores, and event ids are in
//! published links, so each variant keeps exactly the output it had before they were
//! gathered here; `tests::slug_outputs_are_pinned` holds them to it.

use crate::fold;

/// Which variant of the slug rule a key is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugStyle {
    /// [`fold`]ed, then ASCII letters and digits only; every other run becomes one `-`,
    /// none at either end: `Coopération (GDC)` → `cooperation-gdc`, `王敏` → ``.
    /// Session ids (`slug(event + number)`), topic codes, speaker and event keys of
    /// exports.
    Ascii,
    /// A list's key (`plenary_store::list_slug`): trimmed and lower-cased but not
    /// folded; letters and digits of any script and `-`, `_`, `.` are kept, every other
    /// character becomes its own `-` (runs are not collapsed), `-` is trimmed at both
    /// ends, and an empty result is `unsorted`: `WG-Strategy` → `wg-strategy`,
    /// `R-devel@r-project.org` → `r-devel-r-project.org`.
    List,
    /// An event's key in links (`/events/{id}`): lower-cased, each space a `-`, nothing
    /// else changed: `WSIS Forum 2025` → `wsis-forum-2025`.
    Event,
}

/// A URL slug: lowercase ASCII letters and digits, other runs become one `-`
/// ([`SlugStyle::Ascii`]).
pub fn slug(s: &str) -> String {
    slug_with(s, SlugStyle::Ascii)
}

/// `s` as a URL key in the given style.
pub fn slug_with(s: &str, style: SlugStyle) -> String {
    match style {
        SlugStyle::Ascii => {
            let mut out = String::new();
            for c in fold(s).chars() {
                if c.is_ascii_alphanumeric() {
                    out.push(c);
                } else if !out.ends_with('-') && !out.is_empty() {
                    out.push('-');
                }
            }
            out.trim_end_matches('-').to_string()
        }
        SlugStyle::List => {
            let s: String = s
                .trim()
                .to_lowercase()
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            let s = s.trim_matches('-');
            if s.is_empty() {
                "unsorted".to_string()
            } else {
                s.to_string()
            }
        }
        SlugStyle::Event => s.to_lowercase().replace(' ', "-"),
    }
}
