//! Printing: every command returns a typed value; `--json` prints it as the API serves
//! it, otherwise its [`Human`] form. All writes return their errors (a closed pipe ends
//! the command quietly, see `main`).

use std::io::Write;

use anyhow::Result;

/// A value's plain-text form for a terminal.
pub(crate) trait Human {
    fn human(&self, out: &mut dyn Write) -> std::io::Result<()>;
}

static SHOW_ADDRESSES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Set once from `--show-addresses`.
pub(crate) fn set_show_addresses(show: bool) {
    SHOW_ADDRESSES.store(show, std::sync::atomic::Ordering::Relaxed);
}

/// Whether output hides addresses (the default).
pub(crate) fn hide_addresses() -> bool {
    !SHOW_ADDRESSES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints `value` as pretty JSON or as text, addresses obfuscated unless
/// `--show-addresses`.
pub(crate) fn emit<T: serde::Serialize + Human>(value: &T, json: bool) -> Result<()> {
    if json {
        print_json(value)
    } else {
        let mut text = Vec::new();
        value.human(&mut text)?;
        let mut out = std::io::stdout().lock();
        if hide_addresses() {
            out.write_all(&hide_in_text(&text))?;
        } else {
            out.write_all(&text)?;
        }
        out.flush()?;
        Ok(())
    }
}

/// Prints an evaluation (a diagnostic for whoever runs the archive): as
/// [`emit`], but identifiers in it (Message-IDs) are printed as they are.
pub(crate) fn emit_diagnostic<T: serde::Serialize + Human>(value: &T, json: bool) -> Result<()> {
    let hide = hide_addresses();
    set_show_addresses(true);
    let r = emit(value, json);
    set_show_addresses(!hide);
    r
}

/// Text output with addresses obfuscated, except inside paths and URLs
/// (`/messages/ID`), which must keep working.
fn hide_in_text(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    for token in text.split_inclusive(|b| b.is_ascii_whitespace()) {
        let t = token.trim_ascii_start();
        if t.starts_with(b"/") || t.starts_with(b"http") {
            out.extend_from_slice(token);
        } else {
            out.extend_from_slice(&plenary_pipeline::privacy::obfuscate_bytes(token));
        }
    }
    out
}

/// Prints `value` as pretty JSON (addresses obfuscated unless `--show-addresses`).
pub(crate) fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if hide_addresses() {
        let mut v = serde_json::to_value(value)?;
        plenary_pipeline::privacy::obfuscate_json(&mut v);
        serde_json::to_writer_pretty(&mut out, &v)?;
    } else {
        serde_json::to_writer_pretty(&mut out, value)?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// `1 message`, `2 messages`.
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Prints lines of text.
pub(crate) fn say(text: std::fmt::Arguments<'_>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(text)?;
    writeln!(out)?;
    Ok(())
}

/// A progress bar on a terminal; otherwise plain lines on stderr: rejects, and
/// (unless quiet) the running totals after each stored batch. Once an import
/// says how many bytes it has to read, the bar (or each line) shows the share
/// read and an ETA, with the message counts beside it.
pub(crate) struct Bar {
    bar: Option<indicatif::ProgressBar>,
    /// Print running totals as lines (stderr is not a terminal, not quiet).
    lines: bool,
    /// Messages read (shared with the bar's `{messages}` key).
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
    started: std::time::Instant,
    /// Input bytes read and in all, as the import last said (0 of 0 before).
    bytes: (u64, u64),
}

/// `{rate}`: items per second as a whole number (indicatif's `{per_sec}`
/// prints "174.6073/s").
fn rate_key(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{}", human_rate(state.per_sec()));
}

/// A rate as people write it: whole numbers, "<1" below one.
pub(crate) fn human_rate(per_sec: f64) -> String {
    if per_sec > 0.0 && per_sec < 1.0 {
        "<1".to_string()
    } else {
        format!("{per_sec:.0}")
    }
}

/// How long is left at the pace so far: `done` of `total` in `elapsed`.
pub(crate) fn eta(
    done: u64,
    total: u64,
    elapsed: std::time::Duration,
) -> Option<std::time::Duration> {
    if done == 0 || done > total {
        return None;
    }
    let left = (total - done) as f64 * elapsed.as_secs_f64() / done as f64;
    Some(std::time::Duration::from_secs_f64(left.round()))
}

impl Bar {
    /// A spinner counting items read, when stderr is a terminal and `quiet` is
    /// false; it becomes a bar by bytes once the import gives a total.
    pub(crate) fn spinner(quiet: bool) -> Bar {
        use std::io::IsTerminal;
        let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let pb = indicatif::ProgressBar::new_spinner();
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {human_pos} messages read {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            pb.enable_steady_tick(std::time::Duration::from_millis(120));
            pb
        });
        Bar {
            lines: !quiet && bar.is_none(),
            bar,
            read,
            started: std::time::Instant::now(),
            bytes: (0, 0),
        }
    }

    /// A bar to `len`, when stderr is a terminal (`{rate}` in the template:
    /// items per second, whole).
    pub(crate) fn counter(len: u64, template: &str) -> Bar {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let pb = indicatif::ProgressBar::new(len);
            pb.set_style(
                indicatif::ProgressStyle::with_template(template)
                    .map(|s| s.with_key("rate", rate_key))
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
        Bar {
            bar,
            lines: false,
            read: Default::default(),
            started: std::time::Instant::now(),
            bytes: (0, 0),
        }
    }

    pub(crate) fn set_position(&self, n: u64) {
        if let Some(pb) = &self.bar {
            pb.set_position(n);
        }
    }

    fn read(&self) -> u64 {
        self.read.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Turns the spinner into a bar by bytes (once, when a total is known).
    fn bytes_style(&self, pb: &indicatif::ProgressBar, total: u64) {
        if pb.length() == Some(total) {
            return;
        }
        let read = std::sync::Arc::clone(&self.read);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} \
             ({binary_bytes_per_sec}, ETA {eta}) · {messages} messages read {msg}",
        )
        .map(|s| {
            s.with_key(
                "messages",
                move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let n = read.load(std::sync::atomic::Ordering::Relaxed);
                    let _ = write!(w, "{}", indicatif::HumanCount(n));
                },
            )
        });
        if let Ok(style) = style {
            pb.set_length(total);
            pb.set_style(style);
        }
    }
}

impl plenary_pipeline::Progress for Bar {
    fn phase(&mut self, name: &str) {
        if let Some(pb) = &self.bar {
            pb.set_message(format!("· {name}"));
        } else if std::env::var_os("PLENARY_PHASES").is_some() {
            eprintln!("phase: {name}{}", plenary_pipeline::resident_note());
        }
    }

    fn waiting(&mut self, why: &str) {
        match &self.bar {
            Some(pb) => pb.println(why),
            None => eprintln!("{why}"),
        }
    }

    fn item_read(&mut self) {
        self.read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(pb) = &self.bar {
            if self.bytes.1 == 0 {
                pb.inc(1);
            }
        }
    }

    fn bytes_read(&mut self, done: u64, total: u64) {
        self.bytes = (done, total);
        if total == 0 {
            return;
        }
        if let Some(pb) = &self.bar {
            self.bytes_style(pb, total);
            pb.set_position(done);
        }
    }

    fn counts(&mut self, new: usize, duplicate: usize, rejected: usize) {
        if let Some(pb) = &self.bar {
            pb.set_message(format!(
                "· {new} new, {duplicate} duplicate, {rejected} rejected"
            ));
        } else if self.lines {
            let elapsed = self.started.elapsed();
            let secs = elapsed.as_secs_f64();
            let rate = if secs > 0.0 {
                format!(", {} messages/s", human_rate(self.read() as f64 / secs))
            } else {
                String::new()
            };
            let (done, total) = self.bytes;
            let share = if total > 0 {
                let left = match eta(done, total, elapsed) {
                    _ if done >= total => "reading done".to_string(),
                    Some(d) if d.as_secs() == 0 => "ETA under a second".to_string(),
                    Some(d) => format!("ETA {}", indicatif::HumanDuration(d)),
                    None => "ETA unknown".to_string(),
                };
                // floored: 100% only when everything is read
                format!(
                    ", {}% of {} ({left})",
                    u128::from(done) * 100 / u128::from(total),
                    indicatif::HumanBytes(total)
                )
            } else {
                String::new()
            };
            eprintln!(
                "{} read so far{share}: {new} new, {duplicate} duplicate, {rejected} rejected ({} elapsed{rate})",
                plural(self.read(), "message", "messages"),
                indicatif::HumanDuration(elapsed)
            );
        }
    }

    fn rejected(&mut self, origin: &str, reason: &str) {
        match &self.bar {
            Some(pb) => pb.println(format!("rejected {origin}: {reason}")),
            None => eprintln!("rejected {origin}: {reason}"),
        }
    }

    fn finish(&mut self) {
        if let Some(pb) = self.bar.take() {
            pb.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(pb) = self.bar.take() {
            pb.finish_and_clear();
        }
    }
}

// ------------------------------------------------------------- text forms

use plenary_pipeline::{
    ImportSummary, PeopleEval, QuaggaEval, QuoteEval, TagEval, ThreadEval, Unquoted,
};
use plenary_store::{RejectRow, Stats, ThreadDetail, ThreadSummary};

type Out<'a> = &'a mut dyn Write;

impl Human for plenary_pipeline::TakedownReport {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(
            out,
            "takedown {}: {} messages removed, {} redacted where they were quoted \
             ({} raw rewritten line for line, {} rebuilt as plain text); marker [removed on {}]",
            self.takedown,
            self.removed,
            self.redacted,
            self.raw_rewritten_in_place,
            self.raw_rebuilt,
            self.date
        )?;
        writeln!(
            out,
            "re-derived {} lists; search index rebuilt",
            self.lists.len()
        )
    }
}

impl Human for plenary_pipeline::TakedownLog {
    fn human(&self, out: Out) -> std::io::Result<()> {
        if self.entries.is_empty() {
            return writeln!(out, "no takedowns");
        }
        for e in &self.entries {
            writeln!(
                out,
                "#{} {} by {}: {} sha256:{} — {} removed, {} redacted, {} raw rewritten — {}\n    {}",
                e.seq,
                e.when,
                e.actor,
                e.target_kind,
                e.target_hash.get(..16).unwrap_or(&e.target_hash),
                e.removed,
                e.redacted,
                e.raw_rewritten,
                e.reason,
                e.note
            )?;
        }
        Ok(())
    }
}

impl Human for plenary_pipeline::ReconstructionEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let pct = |n: usize, of: usize| {
            if of == 0 {
                0.0
            } else {
                100.0 * n as f64 / of as f64
            }
        };
        let r = self.reconstructed;
        writeln!(
            out,
            "{r} reconstructed: {:.1} % with author, {:.1} % with date, {} ({:.1} %) duplicate an archived message, {} roots",
            pct(self.with_author, r),
            pct(self.with_date, r),
            self.duplicates_of_archived,
            pct(self.duplicates_of_archived, r),
            self.roots
        )?;
        writeln!(
            out,
            "{} thread starters, {} ({:.1} %) under a reconstructed parent",
            self.starters,
            self.starters_with_reconstructed_parent,
            pct(self.starters_with_reconstructed_parent, self.starters)
        )?;
        for (rid, aid) in &self.duplicate_examples {
            writeln!(out, "  {rid} duplicates {aid}")?;
        }
        Ok(())
    }
}

impl Human for ImportSummary {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let s = self;
        writeln!(
            out,
            "imported: {} new, {} duplicate{}{}, {} rejected{}; {} threads; {:.1} s, {:.0} messages/s",
            s.new,
            s.duplicate,
            if s.collisions > 0 {
                format!(
                    ", {} stored under a derived id (Message-ID reused)",
                    s.collisions
                )
            } else {
                String::new()
            },
            if s.taken_down > 0 {
                format!(", {} refused (taken down)", s.taken_down)
            } else {
                String::new()
            } + &if s.not_archived > 0 {
                format!(
                    ", {} not archived (X-No-Archive / Archive: no)",
                    s.not_archived
                )
            } else {
                String::new()
            },
            s.rejected,
            if s.rejected_again > 0 {
                format!(" ({} rejected before)", s.rejected_again)
            } else {
                String::new()
            },
            s.threads,
            s.elapsed_seconds,
            s.messages_per_second
        )?;
        let a = &s.agenda;
        if a.agenda_files > 0 {
            writeln!(
                out,
                "agenda: {} sessions new, {} updated, {} unchanged from {} files; {} files rejected",
                a.sessions_new,
                a.sessions_updated,
                a.sessions_unchanged,
                a.agenda_files,
                a.agenda_rejected
            )?;
        }
        if a.transcripts_new + a.transcripts_unchanged > 0 {
            writeln!(
                out,
                "transcripts: {} new or changed, {} unchanged; {} linked to a session",
                a.transcripts_new, a.transcripts_unchanged, a.transcripts_linked
            )?;
        }
        if s.tagged_threads > 0 {
            writeln!(
                out,
                "{} threads tagged with framework items",
                s.tagged_threads
            )?;
        }
        if s.rejected > 0 || a.agenda_rejected > 0 {
            writeln!(out, "see `plenary rejects` for what was rejected and why")?;
        }
        if s.skipped_files > 0 {
            // grouped by reason, a few paths each (`--json` lists the first 200)
            writeln!(
                out,
                "skipped {} paths that are not archives:",
                s.skipped_files
            )?;
            let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
            for p in &s.skipped {
                match reasons.iter_mut().find(|(r, _)| *r == p.reason) {
                    Some((_, paths)) => paths.push(&p.path),
                    None => reasons.push((&p.reason, vec![&p.path])),
                }
            }
            for (reason, paths) in &reasons {
                writeln!(out, "  {} × {reason}, e.g.", paths.len())?;
                for p in paths.iter().take(3) {
                    writeln!(out, "      {p}")?;
                }
            }
            if s.skipped_files > s.skipped.len() {
                writeln!(out, "  … and {} more", s.skipped_files - s.skipped.len())?;
            }
        }
        Ok(())
    }
}

impl Human for Vec<plenary_store::ListStatus> {
    fn human(&self, out: Out) -> std::io::Result<()> {
        if self.is_empty() {
            return writeln!(out, "no lists yet");
        }
        for l in self {
            writeln!(
                out,
                "{}  {}, last message {}{}",
                l.slug,
                plural(l.messages, "message", "messages"),
                l.last_message.as_deref().unwrap_or("-"),
                if l.rejects > 0 {
                    format!(", {} pending", plural(l.rejects, "reject", "rejects"))
                } else {
                    String::new()
                }
            )?;
            if l.sources.is_empty() {
                writeln!(out, "  (no import recorded: stored before intake was kept)")?;
            }
            for s in &l.sources {
                writeln!(
                    out,
                    "  {:<8}  last import {}  ({} then, {} received in all{})",
                    s.source.as_str(),
                    s.last_at,
                    s.last_messages,
                    s.messages,
                    if s.not_archived > 0 {
                        format!(", {} not archived on the sender's wish", s.not_archived)
                    } else {
                        String::new()
                    }
                )?;
            }
        }
        Ok(())
    }
}

impl Human for Stats {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(
            out,
            "{} in {} on {}; {} recovered from quotes; {}; {}; {} rejected",
            plural(self.messages, "message", "messages"),
            plural(self.threads, "thread", "threads"),
            plural(self.lists, "list", "lists"),
            self.reconstructed,
            plural(self.people, "person", "people"),
            plural(self.sessions, "session", "sessions"),
            self.rejected
        )
    }
}

impl Human for Vec<ThreadSummary> {
    fn human(&self, out: Out) -> std::io::Result<()> {
        for th in self {
            writeln!(
                out,
                "{}  {:>4} msg {:>3} ppl  {:<20}  {}  {}",
                th.id,
                th.messages,
                th.participants,
                th.last.as_deref().unwrap_or("-"),
                th.list,
                th.subject
            )?;
        }
        Ok(())
    }
}

impl Human for ThreadDetail {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(out, "{} [{}]", self.subject, self.list)?;
        for m in &self.messages {
            let date = match (m.date.as_deref(), m.date_exact) {
                (None, _) => "(no date)".to_string(),
                (Some(d), true) => d.to_string(),
                (Some(d), false) => format!("{d} (local time)"),
            };
            writeln!(
                out,
                "{}{}  {}  {}{}{}",
                "  ".repeat(m.depth as usize),
                date,
                m.author
                    .name
                    .as_deref()
                    .or(m.author.address.as_deref())
                    .unwrap_or("?"),
                m.id,
                m.language
                    .as_deref()
                    .map(|l| format!("  [{l}]"))
                    .unwrap_or_default(),
                if m.reconstructed { "  (recovered)" } else { "" }
            )?;
        }
        Ok(())
    }
}

impl Human for Vec<RejectRow> {
    fn human(&self, out: Out) -> std::io::Result<()> {
        for x in self {
            let size = if x.raw_len == 0 {
                "no bytes kept".to_string()
            } else {
                plural(x.raw_len, "byte", "bytes")
            };
            writeln!(out, "{:>5}  {}  ({size}): {}", x.seq, x.origin, x.reason)?;
        }
        writeln!(out, "{} rejected", self.len())
    }
}

impl Human for Unquoted {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let m = &self.messages;
        for q in m {
            // nesting depth: how many quote it in a chain
            let mut depth = 0;
            let mut cur = q.quoted_by;
            while let Some(p) = cur {
                depth += 1;
                if depth > m.len() {
                    break;
                }
                cur = m.get(p).and_then(|x| x.quoted_by);
            }
            writeln!(
                out,
                "{}{}  {}  {}{}",
                "  ".repeat(depth),
                q.date.as_deref().unwrap_or("(no date)"),
                q.author
                    .name
                    .as_deref()
                    .or(q.author.address.as_deref())
                    .unwrap_or("(unknown)"),
                q.text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(60)
                    .collect::<String>(),
                if q.text.lines().count() > 1 {
                    " …"
                } else {
                    ""
                }
            )?;
        }
        writeln!(out, "{} messages, {} zones", m.len(), self.zones.len())
    }
}

impl Human for Vec<plenary_agenda::Session> {
    fn human(&self, out: Out) -> std::io::Result<()> {
        for s in self {
            writeln!(
                out,
                "{:<28} {:<26} {}",
                s.id(),
                s.start.as_deref().unwrap_or("-"),
                s.title
            )?;
        }
        writeln!(out, "{} sessions", self.len())
    }
}

impl Human for Vec<plenary_people::PersonRecord> {
    fn human(&self, out: Out) -> std::io::Result<()> {
        for p in self {
            let a = p.affiliations.first();
            writeln!(
                out,
                "{}  {:<30} {:>5} msgs  {}",
                p.id,
                p.name,
                p.messages + p.reconstructed,
                a.map(|a| format!(
                    "{} ({}, {})",
                    a.organization.as_deref().unwrap_or("?"),
                    a.stakeholder_group.as_deref().unwrap_or("?"),
                    a.source
                ))
                .unwrap_or_default()
            )?;
        }
        writeln!(
            out,
            "{} {}",
            self.len(),
            if self.len() == 1 { "person" } else { "people" }
        )
    }
}

impl Human for plenary_people::balance::Balance {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let b = self;
        if let Some(d) = &b.definition {
            writeln!(out, "{d}")?;
        }
        writeln!(
            out,
            "{}, {} of new text, {}, by {}",
            plural(b.messages as u64, "message", "messages"),
            plural(b.words as u64, "word", "words"),
            plural(b.participants as u64, "participant", "participants"),
            b.by.name()
        )?;
        for r in &b.rows {
            writeln!(
                out,
                "  {:<32} {:>6} msgs {:>5.1} %  {:>7} words  {:>4} people ({} declared, {} inferred)",
                r.group, r.messages, r.share, r.words, r.participants, r.declared, r.inferred
            )?;
        }
        if let Some(e) = &b.elephant_factor {
            writeln!(out, "Elephant Factor: {e}")?;
        }
        for p in &b.people {
            writeln!(
                out,
                "  {:<28} {:<22} {}",
                p.name,
                p.group,
                match (&p.source, &p.evidence) {
                    (Some(s), Some(e)) => format!("{s}: {e}"),
                    _ => "no evidence".into(),
                }
            )?;
        }
        Ok(())
    }
}

impl Human for plenary_search::SearchResults {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(out, "{} results", self.total)?;
        for h in &self.hits {
            writeln!(
                out,
                "{:<13} {:<10} {}{}  {}",
                h.kind,
                h.date
                    .as_deref()
                    .map(|d| d.get(..10).unwrap_or(d))
                    .unwrap_or(""),
                h.title,
                h.author
                    .as_ref()
                    .map(|a| format!(" — {}", a.name))
                    .unwrap_or_default(),
                h.url
            )?;
            let plain = h
                .snippet
                .replace("<mark>", "[")
                .replace("</mark>", "]")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            writeln!(out, "              {plain}")?;
        }
        Ok(())
    }
}

impl Human for PeopleEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let e = self;
        writeln!(
            out,
            "{} sightings of {} people resolved into {}: pairwise precision {:.1} %, recall {:.1} % ({} of {} merged pairs correct, {} true pairs)",
            e.sightings, e.true_people, e.resolved_people, e.precision, e.recall,
            e.correct_pairs, e.resolved_pairs, e.true_pairs
        )
    }
}

impl Human for plenary_pipeline::GoldPeopleEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(
            out,
            "{} gold sightings, {} found in the store",
            self.rows, self.found
        )?;
        self.pairs.human(out)?;
        for (title, v) in [
            ("not found", &self.not_found),
            ("people holding several real people", &self.wrong_merges),
            ("real people split", &self.splits),
        ] {
            if !v.is_empty() {
                writeln!(out, "{title}:")?;
                for x in v {
                    writeln!(out, "  {x}")?;
                }
            }
        }
        Ok(())
    }
}

impl Human for plenary_pipeline::AffiliationGoldEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let e = self;
        writeln!(
            out,
            "{} gold people, {} found in the store ({} unknown to the reader)",
            e.rows, e.found, e.gold_unknown
        )?;
        writeln!(
            out,
            "organisation shown for {}: {} right, precision {:.1} %; recall {:.1} % of the people the reader could place",
            plural(e.given as u64, "person", "people"),
            e.given_right,
            e.precision,
            e.recall
        )?;
        writeln!(
            out,
            "stakeholder group: {} of {} right",
            e.groups_right, e.groups_given
        )?;
        for (title, v) in [
            ("not found", &e.not_found),
            ("wrong", &e.wrong),
            ("missed", &e.missed),
        ] {
            if !v.is_empty() {
                writeln!(out, "{title}:")?;
                for x in v {
                    writeln!(out, "  {x}")?;
                }
            }
        }
        Ok(())
    }
}

impl Human for plenary_pipeline::TagGoldEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(
            out,
            "scope     judged  right  given  given right  precision  recall  unjudged"
        )?;
        for e in &self.scopes {
            writeln!(
                out,
                "{:<8} {:>7} {:>6} {:>6} {:>12} {:>9.1}% {:>6.1}% {:>9}",
                e.scope,
                e.judged,
                e.judged_right,
                e.given,
                e.given_right,
                e.precision,
                e.recall,
                e.unjudged
            )?;
        }
        Ok(())
    }
}

impl Human for Vec<TagEval> {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(
            out,
            "framework      sessions  declared  found  correct  recall  precision"
        )?;
        for r in self {
            writeln!(
                out,
                "{:<14} {:>8} {:>9} {:>6} {:>8} {:>6.1}% {:>9.1}%",
                r.framework, r.sessions, r.declared, r.found, r.correct, r.recall, r.precision
            )?;
        }
        Ok(())
    }
}

impl Human for QuaggaEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let e = self;
        writeln!(
            out,
            "{} emails, {} quoted header blocks; recovered {:.1} %\nauthor {:.1} % (of {}), date {:.1} % (of {}), subject {:.1} % (of {})\nheader/body lines {:.1} % (of {})",
            e.emails,
            e.headers,
            e.recovered_rate * 100.0,
            e.author_rate * 100.0,
            e.with_author,
            e.date_rate * 100.0,
            e.with_date,
            e.subject_rate * 100.0,
            e.with_subject,
            e.line_accuracy * 100.0,
            e.lines
        )?;
        writeln!(
            out,
            "signature lines: precision {:.1} % (of {} ours), recall {:.1} % (of {} annotated), F1 {:.1} %",
            e.signature_precision * 100.0,
            e.signature_ours,
            e.signature_recall * 100.0,
            e.signature_lines,
            e.signature_f1 * 100.0
        )?;
        for m in &e.misses {
            writeln!(out, "  {} {}: {:?} → {:?}", m.file, m.what, m.gold, m.ours)?;
        }
        Ok(())
    }
}

impl Human for QuoteEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let e = self;
        writeln!(
            out,
            "{} replies with an archived parent; {} quote it with an attribution.\nauthor {:.1} %, date {:.1} % (of {} dated), text {:.1} %",
            e.replies_with_parent,
            e.pairs,
            e.author_rate * 100.0,
            e.date_rate * 100.0,
            e.dated,
            e.text_rate * 100.0
        )
    }
}

impl Human for ThreadEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        let e = self;
        writeln!(
            out,
            "{} of {} messages have their true parent ({:.2} %); {} found in the store",
            e.agree,
            e.messages,
            e.ratio * 100.0,
            e.found
        )
    }
}

impl Human for plenary_agenda::AgendaEval {
    fn human(&self, out: Out) -> std::io::Result<()> {
        writeln!(
            out,
            "{} pages in the gold: {} read, {} real pages not saved in --pages, {} failed",
            self.pages,
            self.pages_read,
            self.pages_unavailable.len(),
            self.pages_failed.len()
        )?;
        writeln!(
            out,
            "field accuracy {:.1} % ({} of {} expectations)",
            self.accuracy, self.right, self.fields
        )?;
        for (field, s) in &self.by_field {
            writeln!(out, "  {field:<26} {:>4}/{:<4}", s.right, s.total)?;
        }
        for f in &self.pages_failed {
            writeln!(out, "failed: {f}")?;
        }
        if !self.misses.is_empty() {
            writeln!(out, "misses:")?;
            for m in &self.misses {
                writeln!(
                    out,
                    "  {} {}: expected {:?}, got {:?}",
                    m.page, m.field, m.expected, m.got
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod progress_tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rates_and_etas_read_as_people_write_them() {
        assert_eq!(human_rate(174.6073), "175");
        assert_eq!(human_rate(0.25), "<1");
        assert_eq!(human_rate(0.0), "0");
        assert_eq!(
            eta(25, 100, Duration::from_secs(10)),
            Some(Duration::from_secs(30))
        );
        assert_eq!(eta(100, 100, Duration::from_secs(10)), Some(Duration::ZERO));
        assert_eq!(eta(0, 100, Duration::from_secs(10)), None);
        assert_eq!(
            indicatif::HumanDuration(Duration::from_secs(150)).to_string(),
            "3 minutes"
        );
    }
}
