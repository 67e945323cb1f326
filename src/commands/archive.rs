//! Commands over the stored archive: rejects, rethread, reanalyze, retag, export.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::{index, open};
use crate::output::{emit, say};

pub(crate) fn rejects(data: &Path, json: bool, raw: Option<u64>) -> Result<()> {
    let archive = open(data)?;
    let store = archive.store();
    if let Some(n) = raw {
        let bytes = store
            .reject_raw(n)?
            .with_context(|| format!("no reject number {n}"))?;
        let mut out = std::io::stdout().lock();
        if crate::output::hide_addresses() {
            out.write_all(&plenary_pipeline::privacy::obfuscate_bytes(&bytes))?;
        } else {
            out.write_all(&bytes)?;
        }
        out.flush()?;
        return Ok(());
    }
    emit(&store.rejects()?, json)
}

pub(crate) fn rethread(data: &Path) -> Result<()> {
    let archive = open(data)?;
    let (threads, reconstructed) = archive.rethread()?;
    say(format_args!(
        "{threads} threads, {reconstructed} messages reconstructed from quotes"
    ))?;
    index(&archive, true, false)
}

pub(crate) fn reanalyze(data: &Path, list: Option<&str>) -> Result<()> {
    let archive = open(data)?;
    let (analysed, reconstructed) = archive.reanalyze(list)?;
    say(format_args!(
        "{analysed} messages analysed, {reconstructed} messages reconstructed from quotes"
    ))?;
    index(&archive, true, false)
}

pub(crate) fn retag(data: &Path) -> Result<()> {
    let archive = open(data)?;
    let r = archive.retag()?;
    say(format_args!(
        "{} sessions, {} threads and {} messages carry tags",
        r.sessions, r.threads, r.messages
    ))?;
    index(&archive, true, false)
}

pub(crate) fn export(data: &Path, out: Option<&Path>) -> Result<()> {
    let archive = open(data)?;
    match out {
        Some(p) => {
            let f =
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            let n = archive.export_dataset(
                &mut std::io::BufWriter::new(f),
                crate::output::hide_addresses(),
            )?;
            say(format_args!("{n} messages written to {}", p.display()))
        }
        None => {
            archive.export_dataset(
                &mut std::io::BufWriter::new(std::io::stdout().lock()),
                crate::output::hide_addresses(),
            )?;
            Ok(())
        }
    }
}
