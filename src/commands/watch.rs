//! `watch`, and the watcher `serve --watch` runs beside the server.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use plenary_pipeline::Archive;
use plenary_watch::{Batch, WatchOptions, Watcher};

use super::open;
use crate::output::say;

fn options(list: Option<String>, rescan: u64, batch: usize) -> WatchOptions {
    WatchOptions {
        list,
        rescan: Duration::from_secs(rescan.max(1)),
        batch: batch.max(1),
        ..Default::default()
    }
}

/// One line per import batch.
fn line(b: &Batch) -> String {
    let s = &b.summary;
    format!(
        "{}: {} new, {} duplicate, {} rejected ({} read)",
        b.path.display(),
        s.new,
        s.duplicate,
        s.rejected,
        b.messages
    )
}

pub(crate) fn watch(
    data: &Path,
    paths: &[PathBuf],
    list: Option<String>,
    rescan: u64,
    once: bool,
    batch: usize,
) -> Result<()> {
    let archive = Arc::new(open(data)?);
    let mut watcher = Watcher::new(archive, paths, options(list, rescan, batch))?;
    let mut report = |b: &Batch| {
        let _ = say(format_args!("{}", line(b)));
    };
    if once {
        let waiting = watcher.scan_once(&mut report)?;
        if waiting {
            say(format_args!(
                "an mbox's last message may still be being written: left for the next run"
            ))?;
        }
        return Ok(());
    }
    say(format_args!(
        "watching {} (ctrl-c to stop)",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    // Stopping at any moment is safe: what was imported but not yet recorded is
    // imported again at the next start, and the store refuses it as a duplicate.
    watcher.run_until(&AtomicBool::new(false), &mut report)?;
    Ok(())
}

/// Starts a watcher on a thread of its own (for `serve --watch`); the paths are
/// checked here so a wrong one stops the server before it starts.
pub(crate) fn spawn(
    archive: &Arc<Archive>,
    paths: &[PathBuf],
    list: Option<String>,
    rescan: u64,
) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let mut watcher = Watcher::new(archive.clone(), paths, options(list, rescan, 500))?;
    std::thread::Builder::new()
        .name("watch".into())
        .spawn(move || {
            let stop = AtomicBool::new(false);
            let mut report = |b: &Batch| eprintln!("{}", line(b));
            if let Err(e) = watcher.run_until(&stop, &mut report) {
                eprintln!("the watcher stopped: {e}");
            }
        })
        .context("starting the watcher")?;
    Ok(())
}
