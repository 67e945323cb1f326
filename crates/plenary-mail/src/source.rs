//! Readers for every archive shape: mbox (mboxo/mboxrd, gzip), Maildir,
//! folders of `.eml`, single messages, Mailman 2 pipermail (monthly and
//! quarterly `.txt`/`.txt.gz`, `NNNNNN.html` pages, their plain-text
//! rendering, whole trees) and public-inbox v2 git archives.
//!
//! Readers stream: each message is handed to a callback as soon as it is
//! read, so archives of millions of messages never sit in memory at once.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::pipermail;

/// What kind of bytes a [`RawItem`] holds; decides how it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// An RFC 5322 message.
    Rfc822,
    /// A message from a pipermail `.txt` archive (obfuscated `From:`).
    PipermailText,
    /// A pipermail `NNNNNN.html` message page.
    PipermailPage,
    /// The plain-text rendering of a pipermail page (subject, name, address, date, body).
    PipermailRendering,
}

/// One message as read from an archive, before parsing.
#[derive(Debug, Clone)]
pub struct RawItem {
    pub bytes: Vec<u8>,
    pub kind: RawKind,
    /// Where it came from: `path`, `path#N` (Nth message of a file) or `repo:commit`.
    pub origin: String,
    /// The file or archive it came from (for per-source list memory).
    pub source: String,
    /// The mbox `From ` line without the `From ` prefix.
    pub envelope: Option<String>,
    /// A list name implied by the pipermail path, if any.
    pub list_hint: Option<String>,
    /// The pipermail HTML page of the same message, when a tree has both
    /// shapes (its path is then appended to `origin` after ` + `).
    pub alt_page: Option<Vec<u8>>,
}

/// What a reader reports: a message, or a piece of input it could not read.
#[derive(Debug)]
pub enum ReadEvent {
    Item(RawItem),
    Problem {
        origin: String,
        reason: String,
        bytes: Vec<u8>,
    },
    /// A file met while walking a folder that is not a message archive.
    Skipped {
        origin: String,
        reason: String,
    },
}

/// Largest single message a reader will hold; beyond this the rest is dropped
/// and a problem is reported (the parser's own limit is lower).
const MAX_READ_BYTES: usize = 256 * 1024 * 1024;

/// Reads every message under `path` (a file or directory), calling `sink` for each.
/// Returns the number of files visited. I/O errors on single files become problems.
pub fn read_path(path: &Path, sink: &mut dyn FnMut(ReadEvent)) -> std::io::Result<usize> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        read_dir(path, sink)
    } else {
        read_file(path, sink);
        Ok(1)
    }
}

fn problem(sink: &mut dyn FnMut(ReadEvent), origin: String, reason: String) {
    sink(ReadEvent::Problem {
        origin,
        reason,
        bytes: Vec::new(),
    });
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    Ok(v)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_dir(dir: &Path, sink: &mut dyn FnMut(ReadEvent)) -> std::io::Result<usize> {
    // public-inbox v2: git/N.git epochs
    let git = dir.join("git");
    if git.is_dir() && sorted_entries(&git)?.iter().any(|p| is_bare_repo(p)) {
        return read_public_inbox(dir, sink);
    }
    if is_bare_repo(dir) {
        read_git_epoch(dir, sink);
        return Ok(1);
    }
    let entries = sorted_entries(dir)?;
    let mut visited = 0;
    // Maildir
    if entries
        .iter()
        .any(|p| p.is_dir() && matches!(file_name(p).as_str(), "cur" | "new"))
    {
        for sub in ["new", "cur"] {
            let d = dir.join(sub);
            if d.is_dir() {
                for f in sorted_entries(&d)? {
                    if f.is_file() {
                        read_single(&f, RawKind::Rfc822, sink);
                        visited += 1;
                    }
                }
            }
        }
        // Maildir++ subfolders (.Name) and anything else beside cur/new/tmp
        for p in &entries {
            let n = file_name(p);
            if p.is_dir() && !matches!(n.as_str(), "cur" | "new" | "tmp") {
                visited += read_dir(p, sink)?;
            }
        }
        return Ok(visited);
    }
    // Pipermail: month text archives and month folders, paired by month.
    let mut months_txt: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut months_dir: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut others = Vec::new();
    for p in entries {
        let n = file_name(&p);
        if p.is_file() {
            if let Some(key) = pipermail::month_key_of_txt(&n) {
                let gz = n.ends_with(".gz");
                // Prefer the plain .txt over .txt.gz of the same month.
                match months_txt.get(&key) {
                    Some(existing) if !gz || file_name(existing).ends_with(".gz") => {
                        if gz {
                            continue;
                        }
                        months_txt.insert(key, p);
                    }
                    Some(_) => continue,
                    None => {
                        months_txt.insert(key, p);
                    }
                }
                continue;
            }
            others.push(p);
        } else if p.is_dir() {
            if pipermail::is_month_dir_name(&n) {
                months_dir.insert(n, p);
            } else {
                others.push(p);
            }
        }
    }
    let hint = pipermail::list_hint_from_dir(dir);
    let is_tree = !months_txt.is_empty() || !months_dir.is_empty();
    for (key, txt) in &months_txt {
        let pages = match months_dir.remove(key) {
            Some(d) => pipermail::month_pages(&d)?,
            None => Vec::new(),
        };
        read_pipermail_month(txt, pages, hint.clone(), sink);
        visited += 1;
    }
    for d in months_dir.values() {
        for page in pipermail::month_pages(d)? {
            read_single(&page, RawKind::PipermailPage, sink);
            visited += 1;
        }
    }
    for p in others {
        let n = file_name(&p);
        if is_tree && (matches!(n.as_str(), "attachments" | "database") || n.ends_with(".pck")) {
            // Pipermail's scrubbed attachments and its pickled index: not messages.
            continue;
        }
        if p.is_dir() {
            visited += read_dir(&p, sink)?;
        } else {
            read_file_in_dir(&p, sink);
            visited += 1;
        }
    }
    Ok(visited)
}

/// Reads a file met while walking a folder: files that are not archives are skipped, not rejected.
fn read_file_in_dir(path: &Path, sink: &mut dyn FnMut(ReadEvent)) {
    let mut forward = |ev: ReadEvent| match ev {
        ReadEvent::Problem {
            origin,
            reason,
            bytes,
        } if bytes.is_empty() && reason.starts_with("not a recognised") => {
            sink(ReadEvent::Skipped { origin, reason })
        }
        other => sink(other),
    };
    read_file(path, &mut forward);
}

/// Reads one file, detecting its shape from its name and first bytes.
pub fn read_file(path: &Path, sink: &mut dyn FnMut(ReadEvent)) {
    let name = file_name(path);
    let origin = path.display().to_string();
    if pipermail::month_key_of_txt(&name).is_some() {
        read_pipermail_month(path, Vec::new(), pipermail::list_hint_from_file(path), sink);
        return;
    }
    if pipermail::is_index_page(&name) {
        return; // thread.html, date.html, ...: navigation, not messages
    }
    let head = match read_head(path, 512) {
        Ok(h) => h,
        Err(e) => return problem(sink, origin, format!("cannot read file: {e}")),
    };
    if head.starts_with(&[0x1f, 0x8b]) {
        match open_maybe_gz(path) {
            Ok(r) => split_mbox(r, path, RawKind::Rfc822, file_list_hint(path), sink),
            Err(e) => problem(sink, origin, format!("cannot read file: {e}")),
        }
        return;
    }
    if pipermail::is_message_page_name(&name) {
        read_single(path, RawKind::PipermailPage, sink);
        return;
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        if pipermail::looks_like_message_page(&head) {
            read_single(path, RawKind::PipermailPage, sink);
        }
        return;
    }
    if head.starts_with(b"From ") {
        match open_maybe_gz(path) {
            Ok(r) => split_mbox(r, path, RawKind::Rfc822, file_list_hint(path), sink),
            Err(e) => problem(sink, origin, format!("cannot read file: {e}")),
        }
        return;
    }
    if pipermail::looks_like_rendering(&head) {
        read_single(path, RawKind::PipermailRendering, sink);
        return;
    }
    if looks_like_headers(&head) || lower.ends_with(".eml") {
        read_single(path, RawKind::Rfc822, sink);
        return;
    }
    if lower.ends_with(".mbox") || lower.ends_with(".mbx") {
        match open_maybe_gz(path) {
            Ok(r) => split_mbox(r, path, RawKind::Rfc822, file_list_hint(path), sink),
            Err(e) => problem(sink, origin, format!("cannot read file: {e}")),
        }
        return;
    }
    problem(
        sink,
        origin,
        "not a recognised archive shape (no mbox separator, mail headers or pipermail layout)"
            .to_string(),
    );
}

fn read_head(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let mut f = File::open(path)?;
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let k = f.read(&mut buf[got..])?;
        if k == 0 {
            break;
        }
        got += k;
    }
    buf.truncate(got);
    Ok(buf)
}

/// True when the bytes start like an RFC 5322 header block (`Name: value`).
pub fn looks_like_headers(head: &[u8]) -> bool {
    let line_end = head.iter().position(|b| *b == b'\n').unwrap_or(head.len());
    let line = &head[..line_end];
    match line.iter().position(|b| *b == b':') {
        Some(c) if c > 0 => line[..c]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'),
        _ => false,
    }
}

fn open_maybe_gz(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let mut f = File::open(path)?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic)?;
    drop(f);
    let f = File::open(path)?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
            BufReader::new(f),
        ))))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
    }
}

/// An mbox file named after its list (`governance.mbox.gz` → `governance`): a weak hint.
fn file_list_hint(path: &Path) -> Option<String> {
    let mut name = file_name(path);
    for ext in [".gz", ".mbox", ".mbx", ".txt"] {
        if let Some(n) = name.strip_suffix(ext) {
            name = n.to_string();
        }
    }
    if name.is_empty() {
        None
    } else {
        Some(name)
    }
}

/// A Maildir named after its list (`lists/governance/cur/…` → `governance`): a weak hint.
fn maildir_list_hint(path: &Path) -> Option<String> {
    let parent = path.parent()?;
    if !matches!(file_name(parent).as_str(), "cur" | "new") {
        return None;
    }
    let name = file_name(parent.parent()?);
    let name = name.trim_start_matches('.').to_string();
    if name.is_empty() {
        None
    } else {
        Some(name)
    }
}

fn read_single(path: &Path, kind: RawKind, sink: &mut dyn FnMut(ReadEvent)) {
    let origin = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => sink(ReadEvent::Item(RawItem {
            bytes,
            kind,
            source: origin.clone(),
            origin,
            envelope: None,
            list_hint: match kind {
                RawKind::PipermailPage => pipermail::list_hint_from_page(path),
                _ => maildir_list_hint(path),
            },
            alt_page: None,
        })),
        Err(e) => problem(sink, origin, format!("cannot read file: {e}")),
    }
}

/// True for an mbox `From ` separator line: `From <sender> <asctime date>`.
/// Requires a time (`HH:MM`) and a four-digit year so that body lines starting
/// with "From " are not taken for separators.
pub fn is_separator(line: &[u8]) -> bool {
    if !line.starts_with(b"From ") {
        return false;
    }
    let s = String::from_utf8_lossy(line);
    let toks: Vec<&str> = s.split_whitespace().collect();
    if toks.len() < 3 {
        return false;
    }
    let has_time = toks.iter().any(|t| {
        let b = t.as_bytes();
        b.len() >= 5 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b':'
    });
    let has_year = toks
        .iter()
        .any(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()));
    has_time && has_year
}

/// Pipermail's own separator, `From user at host  Fri Apr  1 06:26:08 2005`
/// (two spaces before the weekday), which it writes without a blank line before.
fn is_pipermail_separator(line: &[u8]) -> bool {
    let s = String::from_utf8_lossy(line);
    let s = s.trim_end();
    if !s.bytes().rev().take(4).all(|b| b.is_ascii_digit()) {
        return false;
    }
    s.match_indices("  ").any(|(pos, _)| {
        let day = s.get(pos + 2..pos + 5).unwrap_or("");
        matches!(day, "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun") && s.len() - pos >= 22
    })
}

/// Splits an mbox stream into messages. Lines `>From `, `>>From `… lose one `>`
/// (mboxrd; for mboxo this is the usual reading too).
fn split_mbox(
    mut r: Box<dyn BufRead>,
    path: &Path,
    kind: RawKind,
    list_hint: Option<String>,
    sink: &mut dyn FnMut(ReadEvent),
) {
    let source = path.display().to_string();
    let mut line = Vec::with_capacity(256);
    let mut cur: Vec<u8> = Vec::new();
    let mut envelope: Option<String> = None;
    let mut started = false;
    let mut prev_blank = true;
    let mut index = 0usize;
    let mut overflow = false;
    let emit = |cur: &mut Vec<u8>,
                envelope: &mut Option<String>,
                overflow: &mut bool,
                index: &mut usize,
                sink: &mut dyn FnMut(ReadEvent)| {
        // The blank line before a separator belongs to the mbox, not the message.
        if cur.ends_with(b"\r\n\r\n") {
            cur.truncate(cur.len() - 2);
        } else if cur.ends_with(b"\n\n") {
            cur.truncate(cur.len() - 1);
        }
        let origin = format!("{source}#{}", *index + 1);
        let bytes = std::mem::take(cur);
        if *overflow {
            sink(ReadEvent::Problem {
                origin,
                reason: format!("message larger than {MAX_READ_BYTES} bytes; truncated copy kept"),
                bytes,
            });
        } else if !bytes.iter().all(|b| b.is_ascii_whitespace()) {
            sink(ReadEvent::Item(RawItem {
                bytes,
                kind,
                origin,
                source: source.clone(),
                envelope: envelope.take(),
                list_hint: list_hint.clone(),
                alt_page: None,
            }));
        }
        *overflow = false;
        *index += 1;
    };
    loop {
        line.clear();
        match r.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                problem(
                    sink,
                    format!("{source}#{}", index + 1),
                    format!("read error: {e}"),
                );
                break;
            }
        }
        // The first line of an mbox is its first separator, however bare (`From `).
        let first_line = !started && line.starts_with(b"From ");
        if first_line
            || (prev_blank || (kind == RawKind::PipermailText && is_pipermail_separator(&line)))
                && is_separator(&line)
        {
            if started {
                emit(&mut cur, &mut envelope, &mut overflow, &mut index, sink);
            }
            started = true;
            let l = String::from_utf8_lossy(&line);
            envelope = Some(l.trim_end().get(5..).unwrap_or("").trim().to_string());
            prev_blank = false;
            continue;
        }
        if !started {
            // Text before the first separator: not an mbox message; keep going.
            started = true;
        }
        let blank = line == b"\n" || line == b"\r\n";
        let gt = line.iter().take_while(|b| **b == b'>').count();
        let content: &[u8] = if gt > 0 && line[gt..].starts_with(b"From ") {
            &line[1..]
        } else {
            &line
        };
        if cur.len() + content.len() <= MAX_READ_BYTES {
            cur.extend_from_slice(content);
        } else {
            overflow = true;
        }
        prev_blank = blank;
    }
    if started {
        emit(&mut cur, &mut envelope, &mut overflow, &mut index, sink);
    }
}

fn read_pipermail_month(
    txt: &Path,
    pages: Vec<PathBuf>,
    hint: Option<String>,
    sink: &mut dyn FnMut(ReadEvent),
) {
    let origin = txt.display().to_string();
    let reader = match open_maybe_gz(txt) {
        Ok(r) => r,
        Err(e) => return problem(sink, origin, format!("cannot read file: {e}")),
    };
    // Index the month's pages by date so each .txt message takes its page.
    let mut pages_read: Vec<Option<(PathBuf, Vec<u8>)>> = Vec::new();
    let mut by_key: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for p in pages {
        match std::fs::read(&p) {
            Ok(bytes) => {
                let idx = pages_read.len();
                for k in pipermail::page_pairing_keys(&bytes) {
                    by_key.entry(k).or_default().push(idx);
                }
                pages_read.push(Some((p, bytes)));
            }
            Err(e) => problem(
                sink,
                p.display().to_string(),
                format!("cannot read file: {e}"),
            ),
        }
    }
    let mut forward = |ev: ReadEvent| match ev {
        ReadEvent::Item(mut item) => {
            let key = item
                .envelope
                .as_deref()
                .and_then(pipermail::envelope_date)
                .and_then(|d| crate::date::parse_asctime(&d))
                .map(|d| d.utc);
            if let Some(cands) = key.and_then(|k| by_key.get(&k)) {
                if let Some(slot) = cands.iter().find(|i| pages_read[**i].is_some()) {
                    if let Some((path, page)) = pages_read[*slot].take() {
                        item.alt_page = Some(page);
                        // The page's own path rides along: old pipermail
                        // article URLs are looked up by it.
                        item.origin = format!("{} + {}", item.origin, path.display());
                    }
                }
            }
            // The archiver's clock sometimes disagrees by a DST hour: accept a
            // page one or two hours off when its sender is the same.
            if item.alt_page.is_none() {
                let sender = item
                    .envelope
                    .as_deref()
                    .and_then(pipermail::envelope_sender);
                'shift: for shift in [3600, -3600, 7200, -7200] {
                    let Some(cands) = key.and_then(|k| by_key.get(&(k + shift))) else {
                        continue;
                    };
                    for i in cands {
                        let same = pages_read[*i].as_ref().is_some_and(|(_, b)| {
                            pipermail::parse_page(b).and_then(|p| p.author_address) == sender
                        });
                        if same {
                            if let Some((path, page)) = pages_read[*i].take() {
                                item.alt_page = Some(page);
                                item.origin = format!("{} + {}", item.origin, path.display());
                            }
                            break 'shift;
                        }
                    }
                }
            }
            sink(ReadEvent::Item(item));
        }
        other => sink(other),
    };
    split_mbox(
        reader,
        txt,
        RawKind::PipermailText,
        hint.clone(),
        &mut forward,
    );
    for (p, bytes) in pages_read.into_iter().flatten() {
        let o = p.display().to_string();
        sink(ReadEvent::Item(RawItem {
            bytes,
            kind: RawKind::PipermailPage,
            source: o.clone(),
            origin: o,
            envelope: None,
            list_hint: hint.clone(),
            alt_page: None,
        }));
    }
}

fn is_bare_repo(p: &Path) -> bool {
    p.is_dir() && p.join("objects").is_dir() && p.join("HEAD").is_file()
}

fn read_public_inbox(dir: &Path, sink: &mut dyn FnMut(ReadEvent)) -> std::io::Result<usize> {
    let mut epochs: Vec<(u64, PathBuf)> = sorted_entries(&dir.join("git"))?
        .into_iter()
        .filter(|p| is_bare_repo(p))
        .filter_map(|p| {
            let n = file_name(&p);
            n.strip_suffix(".git")?.parse::<u64>().ok().map(|k| (k, p))
        })
        .collect();
    epochs.sort();
    for (_, e) in &epochs {
        read_git_epoch(e, sink);
    }
    Ok(epochs.len())
}

/// Reads each commit's `m` blob of a public-inbox epoch with `git cat-file --batch`
/// (git is needed to host public-inbox at all; this avoids a C build of libgit2).
fn read_git_epoch(repo: &Path, sink: &mut dyn FnMut(ReadEvent)) {
    let origin = repo.display().to_string();
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(repo)
        .args(["rev-list", "--reverse", "--all"])
        .output();
    let commits: Vec<String> = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
        Ok(o) => {
            return problem(
                sink,
                origin,
                format!(
                    "git rev-list failed: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ),
            )
        }
        Err(e) => return problem(sink, origin, format!("cannot run git: {e}")),
    };
    let child = Command::new("git")
        .arg("--git-dir")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return problem(sink, origin, format!("cannot run git: {e}")),
    };
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return problem(sink, origin, "git cat-file has no pipes".to_string());
    };
    let requests = commits.clone();
    let writer = std::thread::spawn(move || {
        for c in requests {
            if writeln!(stdin, "{c}:m").is_err() {
                break;
            }
        }
    });
    let mut r = BufReader::new(stdout);
    let source = origin.clone();
    for c in &commits {
        let mut header = String::new();
        if r.read_line(&mut header).unwrap_or(0) == 0 {
            break;
        }
        let parts: Vec<&str> = header.split_whitespace().collect();
        if parts.len() == 3 && parts[1] == "blob" {
            let size: usize = parts[2].parse().unwrap_or(0);
            let mut buf = vec![0u8; size];
            if r.read_exact(&mut buf).is_err() {
                problem(
                    sink,
                    format!("{origin}:{c}"),
                    "truncated git blob".to_string(),
                );
                break;
            }
            let mut nl = [0u8; 1];
            let _ = r.read_exact(&mut nl);
            sink(ReadEvent::Item(RawItem {
                bytes: buf,
                kind: RawKind::Rfc822,
                origin: format!("{origin}:{c}"),
                source: source.clone(),
                envelope: None,
                list_hint: None,
                alt_page: None,
            }));
        }
        // "missing": a commit that removed a message; nothing to read.
    }
    let _ = writer.join();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(path: &Path) -> (Vec<RawItem>, Vec<String>) {
        let mut items = Vec::new();
        let mut problems = Vec::new();
        read_path(path, &mut |ev| match ev {
            ReadEvent::Item(i) => items.push(i),
            ReadEvent::Problem { origin, reason, .. } => {
                problems.push(format!("{origin}: {reason}"))
            }
            ReadEvent::Skipped { .. } => {}
        })
        .expect("readable");
        (items, problems)
    }

    #[test]
    fn separators() {
        assert!(is_separator(
            b"From daverz at gmail.com  Fri Apr  1 06:26:08 2005\n"
        ));
        assert!(is_separator(
            b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n"
        ));
        assert!(!is_separator(b"From the beginning of 2005 we said\n"));
        assert!(!is_separator(b"From: someone\n"));
    }

    #[test]
    fn mboxrd_split_and_unescape() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.mbox");
        std::fs::write(
            &p,
            "From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n>From here\n>>From there\n\nFrom c@d Tue Jan  2 00:00:00 2024\nSubject: two\n\nFrom the start, said nobody\n",
        )
        .expect("write");
        let (items, problems) = collect(&p);
        assert!(problems.is_empty());
        assert_eq!(items.len(), 2);
        assert_eq!(
            String::from_utf8_lossy(&items[0].bytes),
            "Subject: one\n\nbody\nFrom here\n>From there\n"
        );
        assert_eq!(
            items[1].envelope.as_deref(),
            Some("c@d Tue Jan  2 00:00:00 2024")
        );
    }

    fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
        let mut c = Command::new("git");
        c.arg("--git-dir").arg(dir).args(args);
        c.env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@t")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@t");
        c.stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut child = c.spawn().expect("git runs");
        if let Some(data) = input {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(data)
                .expect("write");
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().expect("git output");
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    #[test]
    fn public_inbox_v2_epochs() {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("SKIPPED: git not installed");
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let inbox = dir.path().join("inbox");
        let mut n = 0;
        for epoch in 0..2 {
            let repo = inbox.join(format!("git/{epoch}.git"));
            std::fs::create_dir_all(&repo).expect("mkdir");
            git(&repo, &["init", "--bare", "-q"], None);
            let mut parent: Option<String> = None;
            for _ in 0..2 {
                n += 1;
                let msg = format!("From: a@b\nSubject: m{n}\nMessage-ID: <m{n}@b>\n\nbody {n}\n");
                let blob = git(
                    &repo,
                    &["hash-object", "-w", "--stdin"],
                    Some(msg.as_bytes()),
                );
                let tree = git(
                    &repo,
                    &["mktree"],
                    Some(format!("100644 blob {blob}\tm\n").as_bytes()),
                );
                let mut args = vec!["commit-tree", tree.as_str(), "-m", "m"];
                if let Some(p) = &parent {
                    args.push("-p");
                    args.push(p);
                }
                let commit = git(&repo, &args, None);
                git(&repo, &["update-ref", "refs/heads/master", &commit], None);
                parent = Some(commit);
            }
        }
        let (items, problems) = collect(&inbox);
        assert!(problems.is_empty(), "{problems:?}");
        let subjects: Vec<String> = items
            .iter()
            .map(|i| {
                String::from_utf8_lossy(&i.bytes)
                    .lines()
                    .nth(1)
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        assert_eq!(
            subjects,
            vec!["Subject: m1", "Subject: m2", "Subject: m3", "Subject: m4"]
        );
    }

    #[test]
    fn bare_first_separator_does_not_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("bare.mbox");
        std::fs::write(&p, "From \nList-Id: <t@t.invalid>\n\nNo date\n").expect("write");
        let (items, problems) = collect(&p);
        assert!(problems.is_empty());
        assert_eq!(items.len(), 1);
        assert!(items[0].bytes.starts_with(b"List-Id:"));
    }

    #[test]
    fn maildir_and_gz() {
        let dir = tempfile::tempdir().expect("tempdir");
        let md = dir.path().join("md");
        std::fs::create_dir_all(md.join("cur")).expect("mkdir");
        std::fs::create_dir_all(md.join("new")).expect("mkdir");
        std::fs::write(md.join("cur/1:2,S"), "Subject: a\n\nx\n").expect("write");
        std::fs::write(md.join("new/2"), "Subject: b\n\ny\n").expect("write");
        let (items, _) = collect(&md);
        assert_eq!(items.len(), 2);
        let gz = dir.path().join("x.mbox.gz");
        let mut e = flate2::write::GzEncoder::new(
            File::create(&gz).expect("create"),
            flate2::Compression::default(),
        );
        e.write_all(b"From a@b Mon Jan  1 00:00:00 2024\nSubject: z\n\nq\n")
            .expect("gz");
        e.finish().expect("finish");
        let (items, _) = collect(&gz);
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn unknown_file_is_a_problem_not_a_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("notes.bin");
        std::fs::write(&p, [0u8, 1, 2, 3, 255]).expect("write");
        let (items, problems) = collect(&p);
        assert!(items.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("notes.bin"));
    }
}
