//! One module per group of commands; each opens the data folder as an
//! [`Archive`](plenary_pipeline::Archive), runs one pipeline or store call and prints
//! the typed value it returns.

mod archive;
mod eval;
mod import;
mod mirror;
mod people;
mod search;
mod watch;

use std::path::Path;

use anyhow::{Context, Result};
use plenary_pipeline::Archive;

use crate::cli::{Cli, Command};
use crate::output::{emit, say};

/// Runs one command line.
pub(crate) fn run(cli: Cli) -> Result<()> {
    let data = cli.data.as_path();
    let show_addresses = cli.show_addresses;
    crate::output::set_show_addresses(show_addresses);
    match cli.command {
        Command::Demo {
            addr,
            messages,
            seed,
            no_serve,
        } => import::demo(data, addr, messages, seed, no_serve),
        Command::Import {
            paths,
            list,
            batch,
            json,
            no_index,
            whole_lists,
        } => import::import(data, &paths, list, batch, json, no_index, whole_lists),
        Command::Mirror {
            urls,
            delay,
            no_import,
            json,
        } => mirror::mirror(data, &urls, delay, no_import, json),
        Command::GenCorpus {
            out,
            messages,
            seed,
            format,
            malformed,
        } => {
            let s = import::gen_corpus(&out, messages, seed, format, malformed)?;
            say(format_args!(
                "wrote {} messages ({} malformed) in {} threads on {} lists to {}",
                s.messages,
                s.malformed,
                s.threads,
                s.lists.len(),
                out.display()
            ))
        }
        Command::Serve {
            addr,
            archiver,
            watch,
            watch_list,
            watch_rescan,
        } => {
            let archiver = import::archiver_options(data, archiver)?;
            import::serve(
                data,
                addr,
                show_addresses,
                archiver,
                &watch,
                watch_list,
                watch_rescan,
            )
        }
        Command::Watch {
            paths,
            list,
            rescan,
            once,
            batch,
        } => watch::watch(data, &paths, list, rescan, once, batch),
        Command::Status { json } => emit(&open(data)?.store().list_status()?, json),
        Command::Stats { json } => emit(&open(data)?.store().stats()?, json),
        Command::Threads { list, limit, json } => {
            let slug = list.as_deref().map(plenary_store::list_slug);
            let threads = open(data)?.store().threads(slug.as_deref(), None, limit)?;
            emit(&threads, json)
        }
        Command::Thread { id, json } => {
            let mut t = open(data)?
                .store()
                .thread(&id)?
                .with_context(|| format!("no thread with id {id}"))?;
            plenary_search::annotate_thread(&mut t);
            emit(&t, json)
        }
        Command::Rejects { json, raw } => archive::rejects(data, json, raw),
        Command::Takedown {
            message,
            person,
            address,
            reason,
            by,
            log,
            json,
        } => {
            let archive = open(data)?;
            if log {
                return emit(&archive.takedown_log()?, json);
            }
            let target = match (message, person, address) {
                (Some(m), _, _) => plenary_pipeline::TakedownTarget::Message(m),
                (_, Some(p), _) => plenary_pipeline::TakedownTarget::Person(p),
                (_, _, Some(a)) => plenary_pipeline::TakedownTarget::Address(a),
                _ => anyhow::bail!("takedown: give --message, --person or --address"),
            };
            let actor = by
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "unknown".into());
            let reason = reason.unwrap_or_default();
            let report = archive.takedown(
                &target,
                &reason,
                &actor,
                &mut crate::output::Bar::spinner(json),
            )?;
            emit(&report, json)
        }
        Command::Rethread => archive::rethread(data),
        Command::Reanalyze { list } => archive::reanalyze(data, list.as_deref()),
        Command::Unquote { file, json } => emit(&plenary_pipeline::unquote(&file)?, json),
        Command::Sessions { event, json } => {
            emit(&open(data)?.store().sessions(event.as_deref())?, json)
        }
        Command::Retag => archive::retag(data),
        Command::People { what, json } => people::people(data, what, json),
        Command::Balance {
            list,
            thread,
            event,
            item,
            sessions,
            from,
            to,
            by,
            top,
            json,
        } => {
            let scope = people::scope(list, thread, event, item, sessions, from, to)?;
            people::balance(data, scope, &by, top, json)
        }
        Command::Network {
            list,
            thread,
            format,
        } => people::network(data, list, thread, &format),
        Command::Search {
            query,
            json,
            sort,
            page,
            per_page,
        } => search::search(data, &query.join(" "), json, &sort, page, per_page),
        Command::Reindex => search::reindex(data),
        Command::Bench { what } => search::bench(data, what),
        Command::Export { out } => archive::export(data, out.as_deref()),
        Command::Eval { what } => eval::eval(data, what),
    }
}

/// Opens the data folder.
pub(crate) fn open(data: &Path) -> Result<Archive> {
    Archive::open(data).with_context(|| format!("opening the data folder {}", data.display()))
}

/// Brings the search index up to date (or rebuilds it) and says what it did.
pub(crate) fn index(archive: &Archive, rebuild: bool, quiet: bool) -> Result<()> {
    let r = if rebuild {
        archive.rebuild_index()?
    } else {
        archive.sync_index()?
    };
    if !quiet && (r.changed() || r.organizations > 0) {
        say(format_args!(
            "search index: {} messages, {} reconstructed, {} sessions, {} transcript turns, {} people, {} organisations indexed; {} messages refreshed",
            r.messages, r.reconstructed, r.sessions, r.turns, r.people, r.organizations, r.refreshed_messages
        ))?;
    }
    Ok(())
}
