//! `import`, `gen-corpus`, `serve` and `demo` (which does the three).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use plenary_pipeline::ImportOptions;

use super::{index, open};
use crate::cli::Format;
use crate::output::{emit, say, Bar};

pub(crate) fn import(
    data: &Path,
    paths: &[PathBuf],
    list: Option<String>,
    batch: usize,
    json: bool,
    no_index: bool,
    whole_lists: bool,
) -> Result<()> {
    let archive = open(data)?;
    let opts = ImportOptions {
        list,
        batch: batch.max(1),
        whole_lists,
        ..Default::default()
    };
    let mut bar = Bar::spinner(json);
    // one writer at a time: a second import waits here, saying so
    let _lock = archive.lock_for_writing(&mut bar)?;
    let summary = archive.import(paths, &opts, &mut bar)?;
    emit(&summary, json)?;
    if !json && summary.private > 0 {
        say(format_args!(
            "{} messages of private lists kept aside in {} (not stored, not shown)",
            summary.private,
            data.join("private").display()
        ))?;
    }
    if !no_index {
        index(&archive, false, json)?;
    }
    Ok(())
}

pub(crate) fn gen_corpus(
    out: &Path,
    messages: usize,
    seed: u64,
    format: Format,
    malformed: usize,
) -> Result<plenary_gen::GenSummary> {
    let opts = plenary_gen::GenOptions {
        messages,
        seed,
        format: match format {
            Format::Mbox => plenary_gen::Format::Mbox,
            Format::Maildir => plenary_gen::Format::Maildir,
        },
        malformed,
        ..Default::default()
    };
    let bar = Bar::counter(
        messages as u64,
        "generating {bar:40} {pos}/{len} messages ({rate} messages/s, ETA {eta})",
    );
    plenary_gen::generate_with_progress(out, &opts, &mut |n| bar.set_position(n as u64))
        .with_context(|| format!("generating a corpus in {}", out.display()))
}

/// The `[archiver]` table of the configuration file.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ArchiverConfig {
    key: Option<String>,
    #[serde(default)]
    from: Vec<std::net::IpAddr>,
    public_url: Option<String>,
    #[serde(default)]
    private_lists: Vec<String>,
}

#[derive(serde::Deserialize, Default)]
struct ConfigFile {
    #[serde(default)]
    archiver: ArchiverConfig,
}

/// The archiver endpoint's settings: the configuration file's `[archiver]` table
/// (`--config FILE`, else `DATA/plenary.toml` when present), then the flags over it.
/// `None` (the endpoint off) without a key.
pub(crate) fn archiver_options(
    data: &Path,
    args: crate::cli::ArchiverArgs,
) -> Result<Option<plenary_web::ArchiverOptions>> {
    let path = args.config.clone().or_else(|| {
        let p = data.join("plenary.toml");
        p.exists().then_some(p)
    });
    let file = match &path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading the configuration file {}", p.display()))?;
            toml::from_str::<ConfigFile>(&text)
                .with_context(|| format!("reading the configuration file {}", p.display()))?
        }
        None => ConfigFile::default(),
    };
    let c = file.archiver;
    let Some(key) = args.archiver_key.or(c.key).filter(|k| !k.trim().is_empty()) else {
        if !args.archiver_from.is_empty() || !args.private_list.is_empty() {
            anyhow::bail!("--archiver-from and --private-list need an archiver key (--archiver-key or [archiver] key)");
        }
        return Ok(None);
    };
    let mut from = c.from;
    from.extend(args.archiver_from);
    let mut private_lists = c.private_lists;
    private_lists.extend(args.private_list);
    Ok(Some(plenary_web::ArchiverOptions {
        key: key.trim().to_string(),
        from,
        public_url: args.public_url.or(c.public_url),
        private_lists,
    }))
}

pub(crate) fn serve(
    data: &Path,
    addr: SocketAddr,
    show_addresses: bool,
    archiver: Option<plenary_web::ArchiverOptions>,
    watch: &[PathBuf],
    watch_list: Option<String>,
    watch_rescan: u64,
) -> Result<()> {
    // The server logs what goes wrong inside (a 500's cause) on stderr.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .try_init()
        .ok();
    let mut archive = open(data)?;
    // the archiver's private lists are private whatever way their mail comes in
    if let Some(a) = &archiver {
        archive.add_private_lists(&a.private_lists);
    }
    let archive = Arc::new(archive);
    super::watch::spawn(&archive, watch, watch_list, watch_rescan)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    say(format_args!(
        "serving {} on http://{addr}/  (ctrl-c to stop)",
        data.display()
    ))?;
    if let Some(a) = &archiver {
        say(format_args!(
            "Mailman archiver endpoint on: http://{addr}/api/mailman/archive ({})",
            if a.from.is_empty() {
                "any sender address with the key".to_string()
            } else {
                format!(
                    "from {}",
                    a.from
                        .iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ))?;
    }
    let options = plenary_web::WebOptions {
        show_addresses,
        archiver,
    };
    rt.block_on(plenary_web::serve(archive, options, addr))
        .with_context(|| format!("serving on {addr}"))
}

pub(crate) fn demo(
    data: &Path,
    addr: SocketAddr,
    messages: usize,
    seed: u64,
    no_serve: bool,
) -> Result<()> {
    // The demo writes to the same data folder every other command reads
    // (`--data`, `PLENARY_DATA`, default `./plenary-data`), so `plenary stats`
    // after it shows the demo's counts; the generated sample goes beside the store.
    let data = data.to_path_buf();
    let corpus = data.join("demo-corpus");
    if !corpus.join("truth.jsonl").exists() {
        say(format_args!(
            "generating a sample archive of {messages} messages in {}",
            corpus.display()
        ))?;
        gen_corpus(
            &corpus,
            messages,
            seed,
            Format::Mbox,
            (messages / 500).max(6),
        )?;
    }
    let archive = open(&data)?;
    let summary = archive.import(
        &[corpus.join("mbox"), corpus.join("agenda")],
        &ImportOptions::default(),
        &mut Bar::spinner(false),
    )?;
    emit(&summary, false)?;
    if summary.rejected > 0 {
        say(format_args!(
            "(the rejected inputs above are deliberately broken samples the generator adds, \
             to show that an import keeps them with the reason and goes on: see `plenary rejects`)"
        ))?;
    }
    index(&archive, false, false)?;
    drop(archive);
    if no_serve {
        return Ok(());
    }
    serve(&data, addr, false, None, &[], None, 30)
}
