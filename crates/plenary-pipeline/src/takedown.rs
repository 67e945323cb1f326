//! `plenary takedown`: a message, a person or an address removed from the record.
//!
//! Archived messages by the target are deleted and tombstoned (hashes of their
//! ids and bytes, never their content), so re-imports, mirrors and the archiver
//! cannot bring them back. Their words quoted in other messages are replaced by
//! a visible `[removed on DATE]` line, keeping the quote structure: in the stored
//! body, in the stored raw bytes (the one operation that rewrites raw input; the
//! audit log counts it) and in the analysis, so reconstruction, tags, people and
//! the search index (rebuilt after) lose them too. Every takedown is a row of
//! the audit log: who, when, why, what kind of target (hashed) and what it did.

use std::collections::BTreeSet;
use std::path::Path;

use plenary_frameworks::{fold, Frameworks};
use plenary_people::names::{full_name_key, names_match};
use plenary_quotes::{containment, QuotedMessage, Zone, ZoneKind};
use plenary_store::{Redaction, Store, TakedownRow};
use serde::Serialize;

use crate::error::{PipelineError, Result, StepContext};
use crate::progress::Progress;
use crate::reconstruct::analyse_body;

/// What to take down.
#[derive(Debug, Clone)]
pub enum TakedownTarget {
    /// One archived message, by its id.
    Message(String),
    /// A person: their id, or a name (every message they wrote, every quote
    /// attributed to them).
    Person(String),
    /// Every message from this address, every quote attributed to it.
    Address(String),
}

impl TakedownTarget {
    fn kind(&self) -> &'static str {
        match self {
            TakedownTarget::Message(_) => "message",
            TakedownTarget::Person(_) => "person",
            TakedownTarget::Address(_) => "address",
        }
    }

    fn folded(&self) -> String {
        match self {
            TakedownTarget::Message(id) => id.clone(),
            TakedownTarget::Person(p) => fold(p),
            TakedownTarget::Address(a) => a.trim().to_lowercase(),
        }
    }
}

/// What one takedown did.
#[derive(Debug, Clone, Serialize)]
pub struct TakedownReport {
    /// Its row in the audit log.
    pub takedown: i64,
    /// The day written in the removal markers.
    pub date: String,
    /// Archived messages removed.
    pub removed: usize,
    /// Messages whose quotes of the target were redacted.
    pub redacted: usize,
    /// Of those, raw bytes rewritten line for line (plain single-part mail).
    pub raw_rewritten_in_place: usize,
    /// Of those, raw bytes rebuilt as a plain-text message from the headers and
    /// the redacted body (encoded or multipart mail).
    pub raw_rebuilt: usize,
    /// Lists whose threads, reconstructions, tags and people were re-derived.
    pub lists: Vec<String>,
}

/// The audit log as `plenary takedown --log` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TakedownLog {
    pub entries: Vec<TakedownRow>,
}

/// The text that replaces taken-down words.
pub fn removal_marker(date: &str) -> String {
    format!("[removed on {date}]")
}

/// Whether a quoted text is nothing but removal markers (such a quote is not a
/// message to reconstruct).
pub(crate) fn is_removal_marker(text: &str) -> bool {
    let mut any = false;
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !(l.starts_with("[removed on ") && l.ends_with(']')) {
            return false;
        }
        any = true;
    }
    any
}

/// Who and what the takedown matches.
#[derive(Debug, Default)]
struct Matcher {
    addresses: BTreeSet<String>,
    names: Vec<String>,
    /// Own words of removed messages: a quote mostly made of them is theirs.
    texts: Vec<String>,
}

impl Matcher {
    fn author(&self, name: Option<&str>, address: Option<&str>) -> bool {
        if address.is_some_and(|a| self.addresses.contains(&a.trim().to_lowercase())) {
            return true;
        }
        // precision first: a name matches only when it has a first and a last name
        name.is_some_and(|n| {
            full_name_key(n).is_some() && self.names.iter().any(|m| names_match(n, m))
        })
    }

    fn quoted(&self, q: &QuotedMessage) -> bool {
        if let Some(a) = &q.attribution {
            if a.via_list.is_none() && self.author(None, a.address.as_deref()) {
                return true;
            }
            if self.author(a.normalized_name.as_deref(), None)
                || self.author(a.name.as_deref(), None)
            {
                return true;
            }
        }
        let t = q.text.trim();
        t.len() >= 40 && self.texts.iter().any(|w| containment(t, w) >= 0.6)
    }

    /// Cheap test before analysing a body: could it quote the target at all?
    fn could_quote(&self, body_lower: &str) -> bool {
        self.addresses
            .iter()
            .any(|a| body_lower.contains(a.as_str()))
            || self.names.iter().any(|n| {
                n.split_whitespace()
                    .map(str::to_lowercase)
                    .filter(|t| t.chars().count() >= 3)
                    .any(|t| body_lower.contains(&t))
            })
    }
}

/// Replaces the zones of the quoted messages `targets` (indexes into the
/// analysis' messages) by one marker line per run, keeping each run's quote
/// prefix. Returns the new body and each (old run, new run), or `None` when
/// nothing was replaced.
pub(crate) fn redact_body(
    body: &str,
    zones: &[Zone],
    targets: &BTreeSet<usize>,
    marker: &str,
) -> Option<(String, Vec<(String, String)>)> {
    let hit = |z: &Zone| {
        targets.contains(&z.message)
            && !matches!(z.kind, ZoneKind::ListFooter | ZoneKind::ScrubbedAttachment)
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for z in zones.iter().filter(|z| hit(z)) {
        if body.get(z.start..z.end).is_none() {
            continue; // a span that is not this body's: leave it
        }
        match runs.last_mut() {
            Some(r) if r.1 == z.start => r.1 = z.end,
            _ => runs.push((z.start, z.end)),
        }
    }
    if runs.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut pairs = Vec::new();
    let mut at = 0;
    for (start, end) in runs {
        if start < at {
            continue;
        }
        out.push_str(&body[at..start]);
        let old = &body[start..end];
        // the quote marks of the run's first quoted line (an attribution above
        // it has none): the marker stands where the quote stood
        let prefix: String = old
            .lines()
            .find(|l| l.trim_start().starts_with(['>', '|']))
            .or_else(|| old.lines().find(|l| !l.trim().is_empty()))
            .unwrap_or("")
            .chars()
            .take_while(|c| matches!(c, '>' | ' ' | '\t' | '|'))
            .collect();
        let newline = if old.ends_with('\n') { "\n" } else { "" };
        let new = format!("{prefix}{marker}{newline}");
        out.push_str(&new);
        pairs.push((old.to_string(), new));
        at = end;
    }
    out.push_str(&body[at..]);
    Some((out, pairs))
}

/// The raw bytes with the redacted runs replaced: line for line when the
/// message is plain single-part text holding each run verbatim, otherwise
/// rebuilt from its header lines (minus the MIME ones) and the redacted body.
/// Returns the bytes and whether they were rewritten in place.
pub(crate) fn redact_raw(raw: &[u8], pairs: &[(String, String)], body: &str) -> (Vec<u8>, bool) {
    let head_end = find(raw, b"\r\n\r\n", 0)
        .or_else(|| find(raw, b"\n\n", 0))
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..head_end]).to_lowercase();
    let encoded =
        head.contains("multipart/") || head.contains("base64") || head.contains("quoted-printable");
    if !encoded {
        let crlf = find(raw, b"\r\n", 0).is_some();
        let mut out = raw.to_vec();
        let mut ok = true;
        let mut from = 0;
        for (old, new) in pairs {
            let (old, new) = if crlf {
                (old.replace('\n', "\r\n"), new.replace('\n', "\r\n"))
            } else {
                (old.clone(), new.clone())
            };
            match find(&out, old.as_bytes(), from) {
                Some(i) => {
                    out.splice(i..i + old.len(), new.bytes());
                    from = i + new.len();
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return (out, true);
        }
    }
    let mut out = Vec::with_capacity(head_end + body.len() + 128);
    let mut skipping = false;
    for line in raw[..head_end].split(|&b| b == b'\n') {
        let continuation = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if !continuation {
            let l = String::from_utf8_lossy(line).to_ascii_lowercase();
            skipping = l.starts_with("content-type:")
                || l.starts_with("content-transfer-encoding:")
                || l.starts_with("mime-version:");
        }
        if !skipping {
            out.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
            out.push(b'\n');
        }
    }
    out.extend_from_slice(
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n",
    );
    out.extend_from_slice(body.as_bytes());
    (out, false)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Runs a takedown over the store (the caller holds the write lock and
/// rebuilds the search index after).
pub(crate) fn run(
    store: &mut Store,
    frameworks: &Frameworks,
    curated: &Path,
    target: &TakedownTarget,
    reason: &str,
    actor: &str,
    progress: &mut dyn Progress,
) -> Result<TakedownReport> {
    let at = now();
    let date: String = plenary_mail::date::rfc3339_utc(at)
        .chars()
        .take(10)
        .collect();
    let marker = removal_marker(&date);
    let mut m = Matcher::default();
    let mut victims: Vec<String> = Vec::new();
    match target {
        TakedownTarget::Message(id) => {
            if store.takedown_source(id)?.is_none() {
                return Err(PipelineError::Takedown(format!(
                    "no archived message with id {id}"
                )));
            }
            victims.push(id.clone());
        }
        TakedownTarget::Address(a) => {
            m.addresses.insert(a.trim().to_lowercase());
        }
        TakedownTarget::Person(p) => {
            let people = crate::people::load_people(store)?;
            let chosen: Vec<_> = match people.iter().find(|r| r.id == *p) {
                Some(r) => vec![r],
                None => people
                    .iter()
                    .filter(|r| r.names.iter().any(|n| names_match(n, p)))
                    .collect(),
            };
            if chosen.len() > 1 {
                let ids: Vec<String> = chosen
                    .iter()
                    .map(|r| format!("{} ({})", r.id, r.name))
                    .collect();
                return Err(PipelineError::Takedown(format!(
                    "{} people match {p:?}: {}; give the person's id",
                    chosen.len(),
                    ids.join(", ")
                )));
            }
            match chosen.first() {
                Some(r) => {
                    m.names.extend(r.names.iter().cloned());
                    m.addresses
                        .extend(r.addresses.iter().map(|a| a.to_lowercase()));
                }
                None => m.names.push(p.clone()),
            }
        }
    }
    if !matches!(target, TakedownTarget::Message(_)) {
        victims.extend(
            store
                .message_authors()?
                .into_iter()
                .filter(|a| m.author(a.name.as_deref(), a.address.as_deref()))
                .map(|a| a.id),
        );
    }
    let target_hash = plenary_store::sha256_hex(target.folded().as_bytes());
    let seq = store.begin_takedown(at, actor, reason, target.kind(), &target_hash)?;

    let addresses: Vec<String> = m.addresses.iter().cloned().collect();
    store.tombstone_addresses(&addresses, seq)?;
    progress.phase("removing messages");
    let mut lists: BTreeSet<String> = BTreeSet::new();
    let mut removed = 0;
    for id in &victims {
        let Some(src) = store.takedown_source(id)? else {
            continue;
        };
        m.texts.push(src.new_text.clone());
        lists.insert(src.list.clone());
        store.remove_message(&src, seq)?;
        removed += 1;
    }

    progress.phase("redacting quotes");
    let (mut redacted, mut in_place, mut rebuilt) = (0, 0, 0);
    let all_lists: Vec<String> = store.lists()?.into_iter().map(|l| l.slug).collect();
    for list in &all_lists {
        let same_list = lists.contains(list);
        for b in store.bodies(list)? {
            if !same_list && !m.could_quote(&b.body.to_lowercase()) {
                continue;
            }
            let date = b.date.map(|utc| plenary_mail::MailDate {
                utc,
                offset_seconds: b.date_offset,
            });
            let name = b.author_name.as_deref();
            let addr = b.author_address.as_deref();
            let Some(a) = analyse_body(&b.body, name, addr, date, &[]) else {
                continue;
            };
            let targets: BTreeSet<usize> = a
                .messages
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, q)| m.quoted(q))
                .map(|(i, _)| i)
                .collect();
            if targets.is_empty() {
                continue;
            }
            let Some((body, pairs)) = redact_body(&b.body, &a.zones, &targets, &marker) else {
                continue;
            };
            let raw = store.raw(&b.id)?.unwrap_or_default();
            let (raw, kept_shape) = redact_raw(&raw, &pairs, &body);
            if kept_shape {
                in_place += 1;
            } else {
                rebuilt += 1;
            }
            let analysis = analyse_body(&body, name, addr, date, &[]);
            store.redact_message(
                &Redaction {
                    id: b.id.clone(),
                    body,
                    raw,
                    analysis,
                },
                seq,
            )?;
            redacted += 1;
            lists.insert(list.clone());
        }
    }

    let lists: Vec<String> = lists.into_iter().collect();
    crate::import::derive(
        store,
        &lists,
        true,
        frameworks,
        curated,
        progress,
        crate::import::DeriveScope::Lists,
    )
    .step("re-deriving after the takedown")?;
    let note = format!(
        "raw input rewritten: {in_place} messages line for line, {rebuilt} rebuilt as plain text; \
         lists re-derived: {}",
        lists.len()
    );
    store.finish_takedown(seq, removed, redacted, in_place + rebuilt, &note)?;
    Ok(TakedownReport {
        takedown: seq,
        date,
        removed,
        redacted,
        raw_rewritten_in_place: in_place,
        raw_rebuilt: rebuilt,
        lists,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(start: usize, end: usize, kind: ZoneKind, message: usize) -> Zone {
        Zone {
            start,
            end,
            kind,
            depth: message as u32,
            quote_level: 1,
            message,
        }
    }

    #[test]
    fn redaction_keeps_the_quote_prefix_and_the_rest() {
        let body = "Mine.\n\nOn Monday, V wrote:\n> secret words\n> more\nAfter.\n";
        let a = body.find("On Monday").expect("a");
        let q = body.find("> secret").expect("q");
        let after = body.find("After").expect("after");
        let zones = [
            zone(0, a, ZoneKind::NewText, 0),
            zone(a, q, ZoneKind::Attribution, 1),
            zone(q, after, ZoneKind::Quoted, 1),
            zone(after, body.len(), ZoneKind::NewText, 0),
        ];
        let (out, pairs) = redact_body(
            body,
            &zones,
            &BTreeSet::from([1]),
            "[removed on 2026-12-05]",
        )
        .expect("redacted");
        assert_eq!(out, "Mine.\n\n> [removed on 2026-12-05]\nAfter.\n");
        assert_eq!(pairs.len(), 1);
        let (raw, in_place) = redact_raw(
            format!("From: x@y\nSubject: s\n\n{body}").as_bytes(),
            &pairs,
            &out,
        );
        assert!(in_place);
        assert_eq!(
            String::from_utf8_lossy(&raw),
            format!("From: x@y\nSubject: s\n\n{out}")
        );
        assert!(is_removal_marker("[removed on 2026-12-05]\n"));
        assert!(!is_removal_marker("[removed on 2026-12-05] but words"));
        assert!(!is_removal_marker(""));
    }

    #[test]
    fn encoded_raw_is_rebuilt_as_plain_text() {
        let raw = "From: x@y\nContent-Type: text/plain;\n charset=utf-8\nContent-Transfer-Encoding: base64\n\nc2VjcmV0\n";
        let pairs = vec![("secret\n".to_string(), "[removed]\n".to_string())];
        let (out, in_place) = redact_raw(raw.as_bytes(), &pairs, "[removed]\n");
        assert!(!in_place);
        let out = String::from_utf8_lossy(&out);
        assert!(out.starts_with("From: x@y\nMIME-Version: 1.0\n"), "{out}");
        assert!(
            !out.contains("base64") && !out.contains("c2VjcmV0"),
            "{out}"
        );
        assert!(out.ends_with("\n\n[removed]\n"), "{out}");
    }
}
