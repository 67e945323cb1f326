//! Mirrors a remote archive into a local replica of its tree, incrementally: a Mailman 2
//! pipermail list archive (the list index, each period's `.txt(.gz)`, and the message
//! pages of the periods that changed), an mbox export (HyperKitty's
//! `…/export/LIST-YYYY-MM.mbox.gz?…`, or any `.mbox(.gz)` URL), or one HTML page (a
//! WSIS or IGF agenda page). Every fetched page's bytes are kept as they came under
//! `ROOT/HOST/PATH…`; the replica is then imported like the same tree read from disk.
//!
//! Architecture invariant: this is the only crate that touches the network, and only
//! when `plenary mirror` runs. Requests are conditional (If-None-Match /
//! If-Modified-Since from the state file; a 304 keeps the local copy), spaced by a
//! polite delay and sent with a User-Agent naming the program.

mod links;
mod state;
mod url;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use state::{Entry, State, STATE_FILE};
pub use url::Url;

/// What can go wrong; each names the URL or file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// A URL that cannot be mirrored (scheme, shape, outside the mirrored prefix).
    #[error("{url}: {reason}")]
    Url {
        /// The URL as given or found.
        url: String,
        /// Why.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}: the server answered {status}")]
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The request failed (connection, timeout, TLS, too many redirects).
    #[error("{url}: {reason}")]
    Transport {
        /// The URL requested.
        url: String,
        /// Why.
        reason: String,
    },
    /// The bytes are not what the URL promised (a truncated gzip).
    #[error("{url}: {reason}")]
    Content {
        /// The URL fetched.
        url: String,
        /// Why.
        reason: String,
    },
    /// Reading or writing the replica.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The state file does not parse.
    #[error("{}: {reason}", path.display())]
    State {
        /// The state file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// How the mirror behaves on the network.
#[derive(Debug, Clone)]
pub struct MirrorOptions {
    /// Pause between two requests (politeness toward the archive's server).
    pub delay: Duration,
    /// Sent with every request.
    pub user_agent: String,
    /// The longest one request may take, body included.
    pub timeout: Duration,
}

impl Default for MirrorOptions {
    fn default() -> Self {
        MirrorOptions {
            delay: Duration::from_secs(1),
            user_agent: format!(
                "plenary-mirror/{} (+https://github.com/plenary-archive/plenary)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(120),
        }
    }
}

/// What a URL turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A pipermail list index and its periods.
    Pipermail,
    /// A HyperKitty list page: one mbox export per month it links.
    Hyperkitty,
    /// One mbox file (a HyperKitty export).
    Mbox,
    /// One HTML page kept as is (an agenda page, for the importer to recognise).
    Page,
}

/// What one mirrored URL fetched.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// The URL as mirrored.
    pub url: String,
    /// What it is.
    pub kind: Kind,
    /// What to import: the replica folder (pipermail) or the file.
    pub local: PathBuf,
    /// Files fetched for the first time.
    pub new: usize,
    /// Files fetched again because the server had a newer version.
    pub changed: usize,
    /// Files the server confirmed unchanged (304), or pages already kept.
    pub unchanged: usize,
    /// Bytes received.
    pub bytes: u64,
    /// Requests sent.
    pub requests: usize,
    /// What failed without stopping the rest (a missing period, a truncated gzip).
    pub problems: Vec<String>,
    /// The replica holds bytes no import has read yet (this run's or an earlier
    /// run's, say one with `--no-import`): import `local`, then [`mark_imported`].
    pub pending_import: bool,
    /// The replica folder whose state this report belongs to.
    #[serde(skip)]
    replica: PathBuf,
}

/// Records that an import read what `report` fetched, so that the next run, if it
/// fetches nothing, has nothing to import.
pub fn mark_imported(report: &Report) -> Result<(), MirrorError> {
    let mut state = State::load(&report.replica)?;
    state.pending_import = false;
    state.save()
}

/// A fetched or confirmed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    New,
    Changed,
    Unchanged,
}

/// Mirrors URLs into replicas under one root folder.
pub struct Mirror {
    root: PathBuf,
    agent: ureq::Agent,
    opts: MirrorOptions,
    last_request: Option<Instant>,
}

impl Mirror {
    /// A mirror keeping replicas under `root` (e.g. `DATA/mirror`).
    pub fn new(root: &Path, opts: MirrorOptions) -> Mirror {
        let config = ureq::Agent::config_builder()
            .user_agent(opts.user_agent.as_str())
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        Mirror {
            root: root.to_path_buf(),
            agent: config.into(),
            opts,
            last_request: None,
        }
    }

    /// Mirrors one URL; `say` hears a line per period or file worth telling.
    /// Fails only when the URL itself cannot be had; what fails further down
    /// (a period) is in [`Report::problems`] and the rest goes on.
    pub fn run(&mut self, url: &str, say: &mut dyn FnMut(&str)) -> Result<Report, MirrorError> {
        let mut report = self.fetch_all(url, say)?;
        let mut state = State::load(&report.replica)?;
        if report.new + report.changed > 0 && !state.pending_import {
            state.pending_import = true;
            state.save()?;
        }
        report.pending_import = state.pending_import;
        Ok(report)
    }

    fn fetch_all(&mut self, url: &str, say: &mut dyn FnMut(&str)) -> Result<Report, MirrorError> {
        let url = Url::parse(url)?;
        let dir = url.dir().local_path(&self.root);
        // only the URL's own folder: another host's run may be writing beside it
        remove_stray_parts(&dir, 3);
        let dir = dir.parent().unwrap_or(&self.root).to_path_buf();
        let mut state = State::load(&dir)?;
        let mut report = Report {
            url: url.to_string(),
            kind: Kind::Page,
            local: url.local_path(&self.root),
            new: 0,
            changed: 0,
            unchanged: 0,
            bytes: 0,
            requests: 0,
            problems: Vec::new(),
            pending_import: false,
            replica: dir.clone(),
        };
        let (_, body) = self.fetch(&url, &mut state, &mut report)?;
        let name = url.file_name().to_ascii_lowercase();
        if name.ends_with(".mbox.gz") || name.ends_with(".mbox") || is_gzip(&body) {
            report.kind = Kind::Mbox;
            return Ok(report);
        }
        let html = String::from_utf8_lossy(&body);
        let months = links::hyperkitty_months(&url, &html);
        if !months.is_empty() {
            report.kind = Kind::Hyperkitty;
            self.hyperkitty(&url, &months, &mut state, &mut report, say);
            return Ok(report);
        }
        let periods = links::pipermail_periods(&html);
        if periods.is_empty() {
            if !looks_like_html(&html) {
                return Err(MirrorError::Content {
                    url: url.to_string(),
                    reason: "neither a pipermail list index, an mbox export nor an HTML page"
                        .into(),
                });
            }
            say(&format!("{url}: a page, kept as one file"));
            return Ok(report);
        }
        report.kind = Kind::Pipermail;
        report.local = dir.clone();
        let base = url.dir();
        for p in &periods {
            if let Err(e) = self.period(&base, p, &mut state, &mut report, say) {
                say(&format!("{}: {e}", p.name));
                report.problems.push(e.to_string());
            }
        }
        Ok(report)
    }

    /// A HyperKitty list: each month's mbox export. Past months of a Mailman 3
    /// archive do not change and its exports are made on request (often without
    /// validators), so a month already kept is not asked for again unless it is
    /// one of the two newest; those are asked for conditionally every run.
    fn hyperkitty(
        &mut self,
        list: &Url,
        months: &[(u32, u32)],
        state: &mut State,
        report: &mut Report,
        say: &mut dyn FnMut(&str),
    ) {
        let name = list
            .path()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("list")
            .to_string();
        let recent = months.len().saturating_sub(2);
        for (i, &(y, m)) in months.iter().enumerate() {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            let href = format!(
                "export/{name}-{y:04}-{m:02}.mbox.gz?start={y:04}-{m:02}-01&end={ny:04}-{nm:02}-01"
            );
            let Some(u) = list.join(&href) else { continue };
            report.local = u.dir().local_path(&self.root);
            report.local.pop();
            if i < recent && u.local_path(&self.root).exists() {
                report.unchanged += 1;
                continue;
            }
            if let Err(e) = self.fetch(&u, state, report) {
                say(&format!("{y:04}-{m:02}: {e}"));
                report.problems.push(e.to_string());
            }
        }
    }

    /// One pipermail period: its text when new or changed, then its message pages
    /// when the text changed (or a previous run stopped before they were all kept).
    fn period(
        &mut self,
        base: &Url,
        p: &links::Period,
        state: &mut State,
        report: &mut Report,
        say: &mut dyn FnMut(&str),
    ) -> Result<(), MirrorError> {
        let mut changed = false;
        if let Some(text) = &p.text {
            let u = self.inside(base, text)?;
            let (outcome, _) = self.fetch(&u, state, report)?;
            if outcome != Outcome::Unchanged {
                changed = true;
                // the pages must follow the new text: not complete until they do
                state.complete.insert(p.name.clone(), false);
                state.save()?;
            }
        }
        if !p.pages || (!changed && state.complete.get(&p.name) == Some(&true)) {
            return Ok(());
        }
        let date = self.inside(base, &format!("{}/date.html", p.name))?;
        let (_, body) = self.fetch(&date, state, report)?;
        let pages = links::message_pages(&String::from_utf8_lossy(&body));
        let (before_new, before_bytes) = (report.new, report.bytes);
        for page in &pages {
            let u = self.inside(&date, page)?;
            // A message page never changes its message (only its next/previous
            // links): one kept already is not asked for again.
            if u.local_path(&self.root).exists() {
                report.unchanged += 1;
                continue;
            }
            self.fetch(&u, state, report)?;
        }
        state.complete.insert(p.name.clone(), true);
        state.save()?;
        say(&format!(
            "{}: {} pages ({} new, {} bytes)",
            p.name,
            pages.len(),
            report.new - before_new,
            report.bytes - before_bytes
        ));
        Ok(())
    }

    /// Resolves a link and refuses it outside the mirrored prefix.
    fn inside(&self, base: &Url, href: &str) -> Result<Url, MirrorError> {
        let u = base.join(href).ok_or_else(|| MirrorError::Url {
            url: href.to_string(),
            reason: "not an http(s) link".into(),
        })?;
        if !u.is_under(base) {
            return Err(MirrorError::Url {
                url: u.to_string(),
                reason: format!("outside the mirrored prefix {base}"),
            });
        }
        Ok(u)
    }

    /// Fetches `url` (conditionally when it was fetched before and is still kept),
    /// keeps the bytes, records validators, and returns the current bytes.
    /// Message pages (`record == false` and numbered) are kept without a state entry.
    fn fetch(
        &mut self,
        url: &Url,
        state: &mut State,
        report: &mut Report,
    ) -> Result<(Outcome, Vec<u8>), MirrorError> {
        let local = url.local_path(&self.root);
        let key = url.to_string();
        let kept = local.exists();
        let previous = state.urls.get(&key).filter(|_| kept).cloned();
        // Redirects are followed here, not by the client, so that each hop is checked:
        // at most five, and only on the same host (http → https allowed).
        let mut target = url.clone();
        let mut hops = 0;
        let resp = loop {
            self.pause();
            let mut req = self.agent.get(&target.to_string());
            if let Some(prev) = &previous {
                for (h, v) in prev.conditional_headers() {
                    req = req.header(h, v.as_str());
                }
            }
            report.requests += 1;
            let resp = req.call().map_err(|e| MirrorError::Transport {
                url: key.clone(),
                reason: e.to_string(),
            })?;
            if !resp.status().is_redirection() || resp.status().as_u16() == 304 {
                break resp;
            }
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .and_then(|l| target.join(l));
            hops += 1;
            match location {
                Some(next) if hops <= 5 && next.host() == url.host() => target = next,
                Some(next) if hops <= 5 => {
                    return Err(MirrorError::Url {
                        url: key,
                        reason: format!("redirected to another host ({next}); not followed"),
                    })
                }
                _ => {
                    return Err(MirrorError::Transport {
                        url: key,
                        reason: "too many redirects, or a redirect without a location".into(),
                    })
                }
            }
        };
        let status = resp.status().as_u16();
        let now = jiff::Timestamp::now().to_string();
        if status == 304 && kept {
            report.unchanged += 1;
            if let Some(e) = state.urls.get_mut(&key) {
                e.fetched = now;
            }
            let body = std::fs::read(&local).map_err(|e| MirrorError::Io {
                path: local.clone(),
                source: e,
            })?;
            return Ok((Outcome::Unchanged, body));
        }
        if !(200..300).contains(&status) {
            return Err(MirrorError::Status { url: key, status });
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, last_modified) = (header("etag"), header("last-modified"));
        let body = resp
            .into_body()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .map_err(|e| MirrorError::Transport {
                url: key.clone(),
                reason: e.to_string(),
            })?;
        if key.split('?').next().unwrap_or("").ends_with(".gz") || is_gzip(&body) {
            check_gzip(&body).map_err(|reason| MirrorError::Content {
                url: key.clone(),
                reason,
            })?;
        }
        let outcome = if !kept {
            Outcome::New
        } else if std::fs::read(&local).ok().as_deref() == Some(&body[..]) {
            Outcome::Unchanged
        } else {
            Outcome::Changed
        };
        match outcome {
            Outcome::New => report.new += 1,
            Outcome::Changed => report.changed += 1,
            Outcome::Unchanged => report.unchanged += 1,
        }
        report.bytes += body.len() as u64;
        if outcome != Outcome::Unchanged {
            write_atomically(&local, &body)?;
        }
        if !is_message_page(url) {
            state.urls.insert(
                key,
                Entry {
                    etag,
                    last_modified,
                    size: body.len() as u64,
                    fetched: now,
                },
            );
            state.save()?;
        }
        Ok((outcome, body))
    }

    fn pause(&mut self) {
        if let Some(t) = self.last_request {
            let gone = t.elapsed();
            if gone < self.opts.delay {
                std::thread::sleep(self.opts.delay - gone);
            }
        }
        self.last_request = Some(Instant::now());
    }
}

/// `NNNNNN.html`: kept without a state entry (its presence is its state), which keeps
/// the state file small enough to write after every period file.
fn is_message_page(url: &Url) -> bool {
    url.file_name()
        .strip_suffix(".html")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

fn is_gzip(b: &[u8]) -> bool {
    b.starts_with(&[0x1f, 0x8b])
}

fn looks_like_html(s: &str) -> bool {
    let head: String = s
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
}

/// Decodes a whole gzip stream, so a truncated download is caught before it is kept.
fn check_gzip(b: &[u8]) -> Result<(), String> {
    let mut d = flate2::read::MultiGzDecoder::new(b);
    let mut sink = [0u8; 64 * 1024];
    loop {
        match d.read(&mut sink) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("a truncated or corrupt gzip file ({e})")),
        }
    }
}

/// Removes the `*.part` files an interrupted run left under `dir` (at most `depth`
/// folders down): each is a file [`write_atomically`] was writing when the run was
/// killed, never a page the replica holds. Best effort: what cannot be removed stays.
fn remove_stray_parts(dir: &Path, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(t) = e.file_type() else { continue };
        let path = e.path();
        if t.is_dir() && depth > 0 {
            remove_stray_parts(&path, depth - 1);
        } else if t.is_file() && path.extension().is_some_and(|x| x == "part") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Writes to a temporary file then renames it into place: an interrupted run leaves
/// either the old file or the new one, never half of one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), MirrorError> {
    let io = |e| MirrorError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_gzip_is_refused() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(
            &mut e,
            &b"From a at b  Mon Jan  1 00:00:00 2001\n".repeat(50),
        )
        .unwrap();
        let gz = e.finish().unwrap();
        assert!(check_gzip(&gz).is_ok());
        assert!(check_gzip(&gz[..gz.len() / 2]).is_err());
    }

    #[test]
    fn stray_part_files_of_an_interrupted_run_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let month = dir.path().join("list/2025-July");
        std::fs::create_dir_all(&month).unwrap();
        std::fs::write(month.join("000123.html.part"), b"half a page").unwrap();
        std::fs::write(dir.path().join("list/2025-July.txt.gz.part"), b"half").unwrap();
        std::fs::write(month.join("000122.html"), b"<html>kept</html>").unwrap();
        remove_stray_parts(dir.path(), 4);
        assert!(!month.join("000123.html.part").exists());
        assert!(!dir.path().join("list/2025-July.txt.gz.part").exists());
        assert!(month.join("000122.html").exists());
    }

    #[test]
    fn other_schemes_are_refused_before_any_request() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Mirror::new(dir.path(), MirrorOptions::default());
        let e = m.run("file:///etc/passwd", &mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("only http and https"), "{e}");
    }

    #[test]
    fn message_pages_are_recognised() {
        assert!(is_message_page(
            &Url::parse("http://h/x/2021-May/000123.html").unwrap()
        ));
        assert!(!is_message_page(
            &Url::parse("http://h/x/2021-May/date.html").unwrap()
        ));
    }
}
