//! Readers for every archive shape: mbox (mboxo/mboxrd, gzip), Maildir,
//! folders of `.eml`, single messages, Mailman 2 pipermail (monthly and
//! quarterly `.txt`/`.txt.gz`, `NNNNNN.html` pages, their plain-text
//! rendering, whole trees) and public-inbox v2 git archives.
//!
//! Readers stream: each message is handed to a callback as soon as it is
//! read, so archives of millions of messages never sit in memory at once.
//! Every stream is read under [`ReadLimits`] while it is read (not after):
//! a gzip bomb, an endless stream or a huge message costs at most the
//! message cap in memory. Paths that are not regular files (FIFOs, devices,
//! sockets, dangling links) are refused from their metadata, never opened.

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
    /// Input that could not be read as a message; `bytes` holds what was kept
    /// of it (for an oversized message, a prefix of at most
    /// [`ReadLimits::kept_prefix_bytes`]).
    Problem {
        origin: String,
        reason: String,
        bytes: Vec<u8>,
    },
    /// A path that holds no message to read (not an archive, empty, not a
    /// regular file), with the reason.
    Skipped {
        origin: String,
        reason: String,
    },
}

/// Resource limits the readers apply while streaming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest message held in memory. A longer one is read past (the rest
    /// of the archive is still read) and reported as a problem that keeps
    /// its first [`kept_prefix_bytes`](Self::kept_prefix_bytes). Matches the
    /// parser's own default limit, so nothing is held that would be rejected.
    pub max_message_bytes: usize,
    /// How much of an oversized or cut-off message is kept with its problem.
    pub kept_prefix_bytes: usize,
    /// Bytes read from a stream whose length is not known up front: a
    /// decompressed gzip file (see [`max_expansion`](Self::max_expansion))
    /// or a stream given to [`read_mbox_stream`].
    pub max_stream_bytes: u64,
    /// A gzip file may also expand to this many times its compressed size
    /// when that is more than `max_stream_bytes` (large honest archives).
    pub max_expansion: u64,
    /// Lines are read in pieces of at most this size, so one endless line is
    /// never held whole; its pieces count against the message cap.
    pub line_piece_bytes: usize,
}

const MIB: usize = 1024 * 1024;

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_message_bytes: 16 * MIB,
            kept_prefix_bytes: MIB,
            max_stream_bytes: 1024 * MIB as u64,
            max_expansion: 64,
            line_piece_bytes: 64 * 1024,
        }
    }
}

impl ReadLimits {
    /// The decompressed-size cap of a gzip file of `compressed` bytes.
    pub fn gzip_cap(&self, compressed: u64) -> u64 {
        self.max_stream_bytes
            .max(compressed.saturating_mul(self.max_expansion))
    }
}

/// A byte count for people: `16 MiB`, `1 GiB`, `900 bytes`.
fn human(n: u64) -> String {
    const KIB: u64 = 1024;
    if n >= KIB * KIB * KIB && n.is_multiple_of(KIB * KIB * KIB) {
        format!("{} GiB", n / (KIB * KIB * KIB))
    } else if n >= KIB * KIB && n.is_multiple_of(KIB * KIB) {
        format!("{} MiB", n / (KIB * KIB))
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else if n >= KIB * KIB * KIB {
        format!("{:.1} GiB ({n} bytes)", n as f64 / (KIB * KIB * KIB) as f64)
    } else if n >= KIB * KIB {
        format!("{:.1} MiB ({n} bytes)", n as f64 / (KIB * KIB) as f64)
    } else {
        format!("{n} bytes")
    }
}

/// Reads every message under `path` (a file or directory), calling `sink` for each.
/// Returns the number of files visited. I/O errors on single files become problems.
pub fn read_path(path: &Path, sink: &mut dyn FnMut(ReadEvent)) -> std::io::Result<usize> {
    read_path_with(path, &ReadLimits::default(), sink)
}

/// [`read_path`] under explicit limits.
pub fn read_path_with(
    path: &Path,
    lim: &ReadLimits,
    sink: &mut dyn FnMut(ReadEvent),
) -> std::io::Result<usize> {
    match classify(path)? {
        PathKind::Dir => read_dir(path, lim, sink),
        PathKind::File(_) => {
            read_file_with(path, lim, sink);
            Ok(1)
        }
        PathKind::Refused(reason) => {
            // Named on the command line: an error, not a quiet skip.
            problem(sink, path.display().to_string(), reason);
            Ok(1)
        }
    }
}

/// What a path is, found from its metadata alone: opening a FIFO blocks until
/// a writer comes, and a device may never end.
enum PathKind {
    Dir,
    /// A regular file and its length.
    File(u64),
    /// Anything else, with the reason it is not read.
    Refused(String),
}

fn classify(path: &Path) -> std::io::Result<PathKind> {
    let link = std::fs::symlink_metadata(path)?;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if link.file_type().is_symlink() => {
            return Ok(PathKind::Refused(format!(
                "dangling symbolic link ({e}); not read"
            )))
        }
        Err(e) => return Err(e),
    };
    let ft = meta.file_type();
    Ok(if ft.is_dir() {
        PathKind::Dir
    } else if ft.is_file() {
        PathKind::File(meta.len())
    } else {
        PathKind::Refused(format!(
            "not a regular file ({}); refused without opening it",
            special_kind(&ft)
        ))
    })
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a FIFO (named pipe), which could block forever"
    } else if ft.is_char_device() {
        "a character device, which may never end"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "an unknown file type"
    }
}

#[cfg(not(unix))]
fn special_kind(_ft: &std::fs::FileType) -> &'static str {
    "not a file or folder"
}

/// Opens a path that [`classify`] found regular, checking again on the open
/// handle (the path may have been replaced in between). On Linux the open is
/// non-blocking, so even a FIFO swapped in cannot hang it; `O_NONBLOCK` is
/// written out because it is the only thing we would need the libc crate for,
/// and it does not change reads of regular files.
fn open_regular(path: &Path) -> std::io::Result<(File, u64)> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        opts.custom_flags(O_NONBLOCK);
    }
    let f = opts.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "not a regular file ({}); not read",
            special_kind(&meta.file_type())
        )));
    }
    Ok((f, meta.len()))
}

fn problem(sink: &mut dyn FnMut(ReadEvent), origin: String, reason: String) {
    sink(ReadEvent::Problem {
        origin,
        reason,
        bytes: Vec::new(),
    });
}

fn skipped(sink: &mut dyn FnMut(ReadEvent), path: &Path, reason: impl Into<String>) {
    sink(ReadEvent::Skipped {
        origin: path.display().to_string(),
        reason: reason.into(),
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

/// Classifies a folder entry; what cannot be read is reported as skipped
/// (with its reason) and comes back as `None`.
fn entry_kind(p: &Path, sink: &mut dyn FnMut(ReadEvent)) -> Option<PathKind> {
    match classify(p) {
        Ok(PathKind::Refused(reason)) => {
            skipped(sink, p, reason);
            None
        }
        Ok(k) => Some(k),
        Err(e) => {
            skipped(sink, p, format!("cannot read its metadata: {e}"));
            None
        }
    }
}

fn read_dir(
    dir: &Path,
    lim: &ReadLimits,
    sink: &mut dyn FnMut(ReadEvent),
) -> std::io::Result<usize> {
    // public-inbox v2: git/N.git epochs
    let git = dir.join("git");
    if git.is_dir() && sorted_entries(&git)?.iter().any(|p| is_bare_repo(p)) {
        return read_public_inbox(dir, lim, sink);
    }
    if is_bare_repo(dir) {
        read_git_epoch(dir, lim, sink);
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
                    match entry_kind(&f, sink) {
                        Some(PathKind::File(_)) => {
                            read_single(&f, RawKind::Rfc822, lim, sink);
                            visited += 1;
                        }
                        Some(_) => skipped(sink, &f, "a folder inside a Maildir's cur/new"),
                        None => {}
                    }
                }
            }
        }
        // Maildir++ subfolders (.Name) and anything else beside cur/new/tmp
        for p in &entries {
            let n = file_name(p);
            match n.as_str() {
                "cur" | "new" => continue,
                "tmp" => {
                    skipped(sink, p, "a Maildir's tmp/: messages still being delivered");
                    continue;
                }
                _ => {}
            }
            match entry_kind(p, sink) {
                Some(PathKind::Dir) => visited += read_dir(p, lim, sink)?,
                Some(_) => skipped(sink, p, "beside a Maildir's cur/new: not a message"),
                None => {}
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
        match entry_kind(&p, sink) {
            Some(PathKind::File(_)) => {
                if let Some(key) = pipermail::month_key_of_txt(&n) {
                    let gz = n.ends_with(".gz");
                    // Prefer the plain .txt over .txt.gz of the same month.
                    match months_txt.get(&key) {
                        Some(existing) if !gz || file_name(existing).ends_with(".gz") => {
                            if gz {
                                skipped(sink, &p, "another copy of this month is read");
                                continue;
                            }
                            if let Some(old) = months_txt.insert(key, p) {
                                skipped(sink, &old, "the plain .txt of this month is read");
                            }
                        }
                        Some(_) => {
                            skipped(sink, &p, "the plain .txt of this month is read");
                        }
                        None => {
                            months_txt.insert(key, p);
                        }
                    }
                    continue;
                }
                others.push((p, false));
            }
            Some(PathKind::Dir) => {
                if pipermail::is_month_dir_name(&n) {
                    months_dir.insert(n, p);
                } else {
                    others.push((p, true));
                }
            }
            Some(PathKind::Refused(_)) | None => {}
        }
    }
    let hint = pipermail::list_hint_from_dir(dir);
    let is_tree = !months_txt.is_empty() || !months_dir.is_empty();
    for (key, txt) in &months_txt {
        let pages = match months_dir.remove(key) {
            Some(d) => month_pages(&d, sink)?,
            None => Vec::new(),
        };
        read_pipermail_month(txt, pages, hint.clone(), lim, sink);
        visited += 1;
    }
    for d in months_dir.values() {
        for page in month_pages(d, sink)? {
            read_single(&page, RawKind::PipermailPage, lim, sink);
            visited += 1;
        }
    }
    for (p, is_dir) in others {
        let n = file_name(&p);
        if is_tree && (matches!(n.as_str(), "attachments" | "database") || n.ends_with(".pck")) {
            skipped(
                sink,
                &p,
                "pipermail's scrubbed attachments or pickled index: not messages",
            );
            continue;
        }
        if is_dir {
            visited += read_dir(&p, lim, sink)?;
        } else {
            read_file_in_dir(&p, lim, sink);
            visited += 1;
        }
    }
    Ok(visited)
}

/// The message pages of a pipermail month folder; the rest of the folder
/// (navigation pages, anything unreadable) is reported as skipped.
fn month_pages(dir: &Path, sink: &mut dyn FnMut(ReadEvent)) -> std::io::Result<Vec<PathBuf>> {
    let pages = pipermail::month_pages(dir)?;
    for p in sorted_entries(dir)? {
        if pages.binary_search(&p).is_err() {
            skipped(
                sink,
                &p,
                "not a message page of this pipermail month (navigation or attachment)",
            );
        }
    }
    Ok(pages
        .into_iter()
        .filter(|p| matches!(entry_kind(p, sink), Some(PathKind::File(_))))
        .collect())
}

/// Reads a file met while walking a folder: files that are not archives are skipped, not rejected.
fn read_file_in_dir(path: &Path, lim: &ReadLimits, sink: &mut dyn FnMut(ReadEvent)) {
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
    read_file_with(path, lim, &mut forward);
}

/// Reads one file, detecting its shape from its name and first bytes.
pub fn read_file(path: &Path, sink: &mut dyn FnMut(ReadEvent)) {
    read_file_with(path, &ReadLimits::default(), sink)
}

/// [`read_file`] under explicit limits.
pub fn read_file_with(path: &Path, lim: &ReadLimits, sink: &mut dyn FnMut(ReadEvent)) {
    let name = file_name(path);
    let origin = path.display().to_string();
    match classify(path) {
        Ok(PathKind::File(0)) => return skipped(sink, path, "empty file"),
        Ok(PathKind::File(_)) => {}
        Ok(PathKind::Dir) => return skipped(sink, path, "a folder, not a file"),
        Ok(PathKind::Refused(reason)) => return problem(sink, origin, reason),
        Err(e) => return problem(sink, origin, format!("cannot read file: {e}")),
    }
    if pipermail::month_key_of_txt(&name).is_some() {
        read_pipermail_month(
            path,
            Vec::new(),
            pipermail::list_hint_from_file(path),
            lim,
            sink,
        );
        return;
    }
    if pipermail::is_index_page(&name) {
        return skipped(
            sink,
            path,
            "a pipermail index page: navigation, not messages",
        );
    }
    let head = match read_head(path, 512) {
        Ok(h) => h,
        Err(e) => return problem(sink, origin, format!("cannot read file: {e}")),
    };
    let mbox = |sink: &mut dyn FnMut(ReadEvent)| match open_maybe_gz(path, lim) {
        Ok(mut r) => split_mbox(
            &mut *r,
            path,
            RawKind::Rfc822,
            file_list_hint(path),
            lim,
            sink,
        ),
        Err(e) => problem(sink, origin.clone(), format!("cannot read file: {e}")),
    };
    if head.starts_with(&[0x1f, 0x8b]) {
        return mbox(sink);
    }
    if pipermail::is_message_page_name(&name) {
        read_single(path, RawKind::PipermailPage, lim, sink);
        return;
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        if pipermail::looks_like_message_page(&head) {
            read_single(path, RawKind::PipermailPage, lim, sink);
        } else {
            skipped(sink, path, "an HTML page that is not a pipermail message");
        }
        return;
    }
    if head.starts_with(b"From ") {
        return mbox(sink);
    }
    if pipermail::looks_like_rendering(&head) {
        read_single(path, RawKind::PipermailRendering, lim, sink);
        return;
    }
    if looks_like_headers(&head) || lower.ends_with(".eml") {
        read_single(path, RawKind::Rfc822, lim, sink);
        return;
    }
    if lower.ends_with(".mbox") || lower.ends_with(".mbx") {
        return mbox(sink);
    }
    problem(
        sink,
        origin,
        "not a recognised archive shape (no mbox separator, mail headers or pipermail layout)"
            .to_string(),
    );
}

fn read_head(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let (f, _) = open_regular(path)?;
    let mut buf = Vec::with_capacity(n);
    f.take(n as u64).read_to_end(&mut buf)?;
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

/// Why reading a stream stopped early: it is longer than its cap.
#[derive(Debug, thiserror::Error)]
#[error("{what} is longer than the {} cap", human(*.cap))]
struct StreamCapHit {
    what: &'static str,
    cap: u64,
}

/// A reader that yields at most `cap` bytes and then fails with
/// [`StreamCapHit`] if more would follow, so a gzip bomb or an endless stream
/// stops while it is read (`Read::take` would stop silently, and a stream cut
/// there must not pass for a complete archive).
struct Capped<R> {
    inner: R,
    left: u64,
    cap: u64,
    what: &'static str,
}

impl<R: Read> Capped<R> {
    fn new(inner: R, cap: u64, what: &'static str) -> Self {
        Capped {
            inner,
            left: cap,
            cap,
            what,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(StreamCapHit {
                    what: self.what,
                    cap: self.cap,
                })),
            };
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let k = self.inner.read(&mut buf[..n])?;
        self.left -= k as u64;
        Ok(k)
    }
}

/// Opens an mbox that may be gzipped; gzip output is capped at
/// [`ReadLimits::gzip_cap`]. Plain files are read to the length they had
/// when opened.
fn open_maybe_gz(path: &Path, lim: &ReadLimits) -> std::io::Result<Box<dyn BufRead>> {
    let (mut f, len) = open_regular(path)?;
    let mut magic = Vec::with_capacity(2);
    (&mut f).take(2).read_to_end(&mut magic)?;
    drop(f);
    let (f, len) = open_regular(path).map(|(f, l)| (f, l.max(len)))?;
    if magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            Capped::new(
                flate2::read::MultiGzDecoder::new(BufReader::new(f)),
                lim.gzip_cap(len),
                "the decompressed gzip stream",
            ),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 16, f.take(len))))
    }
}

/// Reads an mbox from any byte stream (a pipe, stdin, a generator), stopping
/// at [`ReadLimits::max_stream_bytes`] with a problem naming the cap.
pub fn read_mbox_stream(
    r: impl Read,
    origin: &str,
    lim: &ReadLimits,
    sink: &mut dyn FnMut(ReadEvent),
) {
    let mut r =
        BufReader::with_capacity(1 << 16, Capped::new(r, lim.max_stream_bytes, "the stream"));
    split_mbox(&mut r, Path::new(origin), RawKind::Rfc822, None, lim, sink);
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

/// Why a one-message file was not read whole.
enum BoundedRead {
    Io(std::io::Error),
    /// Over the message cap: its size and the prefix kept.
    TooBig {
        size: u64,
        prefix: Vec<u8>,
    },
}

/// Reads a one-message file, holding at most the message cap.
fn read_bounded(path: &Path, lim: &ReadLimits) -> Result<Vec<u8>, BoundedRead> {
    let (f, len) = open_regular(path).map_err(BoundedRead::Io)?;
    let max = lim.max_message_bytes as u64;
    let want = if len > max {
        lim.kept_prefix_bytes as u64
    } else {
        max + 1
    };
    let mut buf = Vec::with_capacity(usize::try_from(len.min(want)).unwrap_or(0));
    f.take(want)
        .read_to_end(&mut buf)
        .map_err(BoundedRead::Io)?;
    if len > max || buf.len() as u64 > max {
        buf.truncate(lim.kept_prefix_bytes);
        buf.shrink_to_fit();
        return Err(BoundedRead::TooBig {
            size: len.max(max + 1),
            prefix: buf,
        });
    }
    Ok(buf)
}

fn too_big_reason(size: u64, lim: &ReadLimits, kept: usize) -> String {
    format!(
        "message of {size} bytes is over the {} message limit; its first {kept} bytes are kept",
        human(lim.max_message_bytes as u64)
    )
}

fn read_single(path: &Path, kind: RawKind, lim: &ReadLimits, sink: &mut dyn FnMut(ReadEvent)) {
    let origin = path.display().to_string();
    match read_bounded(path, lim) {
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
        Err(BoundedRead::TooBig { size, prefix }) => sink(ReadEvent::Problem {
            origin,
            reason: too_big_reason(size, lim, prefix.len()),
            bytes: prefix,
        }),
        Err(BoundedRead::Io(e)) => problem(sink, origin, format!("cannot read file: {e}")),
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

/// Reads the next piece of a line into `out` (cleared first): up to and
/// including `\n`, or `max` bytes, or what is left before the end. Returns
/// whether the piece ends its line. `read_until` would hold a whole line,
/// however long; an endless line must not be held.
fn read_piece(r: &mut dyn BufRead, out: &mut Vec<u8>, max: usize) -> std::io::Result<bool> {
    out.clear();
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(true);
        }
        let take = avail.len().min(max.saturating_sub(out.len()).max(1));
        if let Some(i) = avail[..take].iter().position(|b| *b == b'\n') {
            out.extend_from_slice(&avail[..=i]);
            r.consume(i + 1);
            return Ok(true);
        }
        out.extend_from_slice(&avail[..take]);
        r.consume(take);
        if out.len() >= max {
            return Ok(false);
        }
    }
}

/// The message an mbox splitter is collecting, and how it is kept under the cap.
struct Collecting<'a> {
    source: String,
    kind: RawKind,
    list_hint: Option<String>,
    lim: &'a ReadLimits,
    cur: Vec<u8>,
    /// Bytes of the current message seen (kept or not).
    seen: u64,
    overflow: bool,
    envelope: Option<String>,
    index: usize,
    /// Messages and problems handed on, for the "empty archive" report.
    emitted: usize,
}

impl Collecting<'_> {
    fn push(&mut self, content: &[u8]) {
        self.seen += content.len() as u64;
        if self.overflow {
            return;
        }
        let room = self.lim.max_message_bytes.saturating_sub(self.cur.len());
        if content.len() <= room {
            self.cur.extend_from_slice(content);
        } else {
            // Over the cap: keep only the prefix and stop holding the rest.
            self.overflow = true;
            self.cur.extend_from_slice(&content[..room]);
            self.cur.truncate(self.lim.kept_prefix_bytes);
            self.cur.shrink_to_fit();
        }
    }

    /// Hands on the message collected so far; `cut` says reading stopped inside it.
    fn emit(&mut self, sink: &mut dyn FnMut(ReadEvent), cut: Option<&str>) {
        let cur = &mut self.cur;
        // The blank line before a separator belongs to the mbox, not the message.
        if cur.ends_with(b"\r\n\r\n") {
            cur.truncate(cur.len() - 2);
        } else if cur.ends_with(b"\n\n") {
            cur.truncate(cur.len() - 1);
        }
        let origin = format!("{}#{}", self.source, self.index + 1);
        let mut bytes = std::mem::take(cur);
        if self.overflow {
            self.emitted += 1;
            let mut reason = too_big_reason(self.seen, self.lim, bytes.len());
            if let Some(why) = cut {
                reason =
                    format!("{reason}; reading stopped inside it ({why}), so it is longer still");
            }
            sink(ReadEvent::Problem {
                origin,
                reason,
                bytes,
            });
        } else if let Some(why) = cut.filter(|_| !bytes.iter().all(|b| b.is_ascii_whitespace())) {
            self.emitted += 1;
            bytes.truncate(self.lim.kept_prefix_bytes);
            sink(ReadEvent::Problem {
                origin,
                reason: format!(
                    "message cut off where reading stopped ({why}); its first {} bytes are kept",
                    bytes.len()
                ),
                bytes,
            });
        } else if !bytes.iter().all(|b| b.is_ascii_whitespace()) {
            self.emitted += 1;
            sink(ReadEvent::Item(RawItem {
                bytes,
                kind: self.kind,
                origin,
                source: self.source.clone(),
                envelope: self.envelope.take(),
                list_hint: self.list_hint.clone(),
                alt_page: None,
            }));
        }
        self.envelope = None;
        self.overflow = false;
        self.seen = 0;
        self.index += 1;
    }
}

/// Splits an mbox stream into messages. Lines `>From `, `>>From `… lose one `>`
/// (mboxrd; for mboxo this is the usual reading too). Memory stays under the
/// message cap plus one line piece whatever the stream holds.
fn split_mbox(
    r: &mut dyn BufRead,
    path: &Path,
    kind: RawKind,
    list_hint: Option<String>,
    lim: &ReadLimits,
    sink: &mut dyn FnMut(ReadEvent),
) {
    let mut c = Collecting {
        source: path.display().to_string(),
        kind,
        list_hint,
        lim,
        cur: Vec::new(),
        seen: 0,
        overflow: false,
        envelope: None,
        index: 0,
        emitted: 0,
    };
    let piece_max = lim.line_piece_bytes.max(1024);
    let mut line = Vec::with_capacity(256);
    let mut started = false;
    let mut prev_blank = true;
    let mut at_line_start = true;
    let mut stopped: Option<String> = None;
    loop {
        let complete = match read_piece(r, &mut line, piece_max) {
            Ok(_) if line.is_empty() => break,
            Ok(complete) => complete,
            Err(e) => {
                let cap_hit = e
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<StreamCapHit>())
                    .map(|hit| hit.to_string());
                let (why, short) = match cap_hit {
                    Some(hit) => (
                        format!(
                            "stopped reading: {hit} (a gzip bomb or an endless stream?); {} messages before that point were read",
                            c.emitted
                        ),
                        hit,
                    ),
                    None => (format!("read error: {e}"), format!("read error: {e}")),
                };
                problem(sink, c.source.clone(), why);
                stopped = Some(short);
                break;
            }
        };
        let starts_line = at_line_start;
        at_line_start = complete;
        if !starts_line {
            // The rest of a long line: body text, never a separator.
            c.push(&line);
            prev_blank = false;
            continue;
        }
        // The first line of an mbox is its first separator, however bare (`From `).
        let first_line = !started && complete && line.starts_with(b"From ");
        if first_line
            || complete
                && (prev_blank || (kind == RawKind::PipermailText && is_pipermail_separator(&line)))
                && is_separator(&line)
        {
            if started {
                c.emit(sink, None);
            }
            started = true;
            let l = String::from_utf8_lossy(&line);
            c.envelope = Some(l.trim_end().get(5..).unwrap_or("").trim().to_string());
            prev_blank = false;
            continue;
        }
        if !started {
            // Text before the first separator: not an mbox message; keep going.
            started = true;
        }
        let blank = line == b"\n" || line == b"\r\n";
        let gt = line.iter().take_while(|b| **b == b'>').count();
        if gt > 0 && line[gt..].starts_with(b"From ") {
            c.push(&line[1..]);
        } else {
            c.push(&line);
        }
        prev_blank = blank;
    }
    if started {
        c.emit(sink, stopped.as_deref());
    }
    if c.emitted == 0 && stopped.is_none() {
        skipped(sink, path, "empty archive: no messages in it");
    }
}
fn read_pipermail_month(
    txt: &Path,
    pages: Vec<PathBuf>,
    hint: Option<String>,
    lim: &ReadLimits,
    sink: &mut dyn FnMut(ReadEvent),
) {
    let origin = txt.display().to_string();
    let mut reader = match open_maybe_gz(txt, lim) {
        Ok(r) => r,
        Err(e) => return problem(sink, origin, format!("cannot read file: {e}")),
    };
    // Index the month's pages by date so each .txt message takes its page.
    let mut pages_read: Vec<Option<(PathBuf, Vec<u8>)>> = Vec::new();
    let mut by_key: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for p in pages {
        match read_bounded(&p, lim) {
            Ok(bytes) => {
                let idx = pages_read.len();
                for k in pipermail::page_pairing_keys(&bytes) {
                    by_key.entry(k).or_default().push(idx);
                }
                pages_read.push(Some((p, bytes)));
            }
            Err(BoundedRead::TooBig { size, prefix }) => sink(ReadEvent::Problem {
                origin: p.display().to_string(),
                reason: too_big_reason(size, lim, prefix.len()),
                bytes: prefix,
            }),
            Err(BoundedRead::Io(e)) => problem(
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
        &mut *reader,
        txt,
        RawKind::PipermailText,
        hint.clone(),
        lim,
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

fn read_public_inbox(
    dir: &Path,
    lim: &ReadLimits,
    sink: &mut dyn FnMut(ReadEvent),
) -> std::io::Result<usize> {
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
        read_git_epoch(e, lim, sink);
    }
    Ok(epochs.len())
}

/// Reads each commit's `m` blob of a public-inbox epoch with `git cat-file --batch`
/// (git is needed to host public-inbox at all; this avoids a C build of libgit2).
fn read_git_epoch(repo: &Path, lim: &ReadLimits, sink: &mut dyn FnMut(ReadEvent)) {
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
            let size: u64 = parts[2].parse().unwrap_or(0);
            // Hold at most the message cap; past it keep a prefix and read past the rest.
            let keep = if size > lim.max_message_bytes as u64 {
                lim.kept_prefix_bytes as u64
            } else {
                size
            };
            let mut buf = Vec::with_capacity(usize::try_from(keep).unwrap_or(0));
            let got = (&mut r).take(keep).read_to_end(&mut buf);
            let rest = std::io::copy(&mut (&mut r).take(size - keep), &mut std::io::sink());
            if got.is_err() || rest.is_err() || buf.len() as u64 != keep {
                problem(
                    sink,
                    format!("{origin}:{c}"),
                    "truncated git blob".to_string(),
                );
                break;
            }
            let mut nl = [0u8; 1];
            let _ = r.read_exact(&mut nl);
            if keep < size {
                sink(ReadEvent::Problem {
                    origin: format!("{origin}:{c}"),
                    reason: too_big_reason(size, lim, buf.len()),
                    bytes: buf,
                });
                continue;
            }
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
    fn git_blob_over_the_message_cap_keeps_a_prefix_and_reads_on() {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("SKIPPED: git not installed");
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().join("0.git");
        std::fs::create_dir_all(&repo).expect("mkdir");
        git(&repo, &["init", "--bare", "-q"], None);
        let big = format!("From: a@b\nSubject: big\n\n{}\n", "z".repeat(300_000));
        let mut parent: Option<String> = None;
        for msg in [big.as_str(), "From: c@d\nSubject: small\n\nok\n"] {
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
        let lim = ReadLimits {
            max_message_bytes: 100_000,
            kept_prefix_bytes: 1000,
            ..ReadLimits::default()
        };
        let (mut items, mut problems) = (Vec::new(), Vec::new());
        read_path_with(&repo, &lim, &mut |ev| match ev {
            ReadEvent::Item(i) => items.push(i),
            ReadEvent::Problem { reason, bytes, .. } => problems.push((reason, bytes)),
            ReadEvent::Skipped { .. } => {}
        })
        .expect("readable");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .0
                .contains("over the 100000 bytes message limit"),
            "{}",
            problems[0].0
        );
        assert_eq!(problems[0].1.len(), 1000);
        assert!(problems[0].1.starts_with(b"From: a@b\nSubject: big\n"));
        assert_eq!(items.len(), 1, "the message after the big blob is read");
        assert!(items[0].bytes.ends_with(b"ok\n"));
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
