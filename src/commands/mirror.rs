//! `mirror`: fetch remote archives into a replica under the data folder, then import
//! the replica like a tree read from disk (source "mirror"). The only command that
//! uses the network.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Result};
use plenary_mirror::{Kind, Mirror, MirrorOptions};
use plenary_pipeline::{ImportOptions, IntakeSource};

use super::{index, open};
use crate::output::{emit, print_json, say, Bar};

pub(crate) fn mirror(
    data: &Path,
    urls: &[String],
    delay_ms: u64,
    no_import: bool,
    json: bool,
) -> Result<()> {
    let archive = open(data)?;
    let opts = MirrorOptions {
        delay: Duration::from_millis(delay_ms),
        ..Default::default()
    };
    // The fetching runs without the write lock (it can be long, and touches only
    // DATA/mirror); the import and index sync that follow hold it.
    let mut mirror = Mirror::new(&data.join("mirror"), opts);
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for url in urls {
        let mut tell = |line: &str| {
            if !json {
                eprintln!("{line}");
            }
        };
        match mirror.run(url, &mut tell) {
            Ok(r) => {
                if !json {
                    say(format_args!(
                        "{}: {} — {} new, {} changed, {} unchanged; {} bytes in {} requests",
                        r.url,
                        match r.kind {
                            Kind::Pipermail => "pipermail archive",
                            Kind::Hyperkitty => "HyperKitty archive",
                            Kind::Mbox => "mbox",
                            Kind::Page => "page",
                        },
                        r.new,
                        r.changed,
                        r.unchanged,
                        r.bytes,
                        r.requests
                    ))?;
                }
                for p in &r.problems {
                    eprintln!("mirror: {p}");
                    failures.push(p.clone());
                }
                reports.push(r);
            }
            Err(e) => {
                eprintln!("mirror: {e}");
                failures.push(e.to_string());
            }
        }
    }
    // only replicas holding bytes no import has read yet: a run that fetched
    // nothing new (all 304) leaves the store alone
    let pending: Vec<&plenary_mirror::Report> = reports
        .iter()
        .filter(|r| r.pending_import && r.local.exists())
        .collect();
    let paths: Vec<PathBuf> = pending.iter().map(|r| r.local.clone()).collect();
    let summary = if no_import || paths.is_empty() {
        if !json && !no_import && !reports.is_empty() {
            say(format_args!("nothing new to import"))?;
        }
        None
    } else {
        let opts = ImportOptions {
            source: IntakeSource::Mirror,
            ..Default::default()
        };
        let mut bar = Bar::spinner(json);
        let _lock = archive.lock_for_writing(&mut bar)?;
        let summary = archive.import(&paths, &opts, &mut bar)?;
        if !json {
            emit(&summary, false)?;
        }
        for r in &pending {
            plenary_mirror::mark_imported(r)?;
        }
        index(&archive, false, json)?;
        Some(summary)
    };
    if json {
        print_json(&serde_json::json!({
            "mirrored": reports,
            "import": summary,
            "problems": failures,
        }))?;
    }
    if !failures.is_empty() {
        bail!(
            "{} of what was asked could not be mirrored (what was fetched is kept{})",
            failures.len(),
            if no_import { "" } else { " and imported" }
        );
    }
    Ok(())
}
