//! `people`, `balance` and `network`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use plenary_pipeline::Scope;

use super::{index, open};
use crate::cli::PeopleCommand;
use crate::output::{emit, print_json, say};

pub(crate) fn people(data: &Path, what: Option<PeopleCommand>, json: bool) -> Result<()> {
    let archive = open(data)?;
    let built = match what {
        // listing reads only the store: a broken people.toml must not hide what is stored
        None => return emit(&archive.people()?, json),
        Some(PeopleCommand::Rebuild) => archive.rebuild_people()?,
        Some(PeopleCommand::Merge { people, reason }) => {
            archive.curate(|c| c.merge(people, reason))?
        }
        Some(PeopleCommand::Split { key, reason }) => archive.curate(|c| c.split(key, reason))?,
        Some(PeopleCommand::Set {
            person,
            organization,
            stakeholder_group,
            country,
            from,
            to,
            note,
        }) => archive.curate(|c| {
            c.set(plenary_people::CuratedFact {
                person,
                organization,
                stakeholder_group,
                country,
                from,
                to,
                note,
            })
        })?,
    };
    say(format_args!(
        "{} people from {} sightings (curation in {})",
        built.people.len(),
        built.observations,
        archive.curated_path().display()
    ))?;
    index(&archive, false, false)
}

/// Seconds since the epoch at the start of a `YYYY-MM-DD` day (UTC).
fn day_start(d: &str) -> Result<i64> {
    let date: jiff::civil::Date = d
        .trim()
        .parse()
        .with_context(|| format!("{d}: not a YYYY-MM-DD date"))?;
    Ok(date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .context("date out of range")?
        .timestamp()
        .as_second())
}

/// The scope the options name, in the order the options take precedence.
pub(crate) fn scope(
    list: Option<String>,
    thread: Option<String>,
    event: Option<String>,
    item: Option<String>,
    sessions: Vec<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Scope> {
    Ok(match (item, from, to) {
        _ if !sessions.is_empty() => Scope::Sessions(sessions),
        (Some(i), _, _) => {
            let (f, c) = i
                .split_once(':')
                .with_context(|| format!("--item {i}: write FRAMEWORK:CODE, e.g. sdgs:16"))?;
            Scope::Item(f.to_string(), c.to_string())
        }
        // `--to` includes its day, as search's date ranges do.
        (None, Some(a), b) => Scope::Period(
            day_start(&a)?,
            b.as_deref()
                .map(day_start)
                .transpose()?
                .map_or(i64::MAX, |d| d.saturating_add(86_400)),
        ),
        _ => match (list, thread, event) {
            (Some(l), _, _) => Scope::List(plenary_store::list_slug(&l)),
            (_, Some(t), _) => Scope::Thread(t),
            (_, _, Some(e)) => Scope::Event(e),
            _ => anyhow::bail!("say which: --list LIST, --thread ID or --event EVENT"),
        },
    })
}

pub(crate) fn balance(data: &Path, scope: Scope, by: &str, top: usize, json: bool) -> Result<()> {
    let archive = open(data)?;
    let dim = plenary_people::balance::Dimension::parse(by).with_context(|| {
        format!(
            "--by {by}: use stakeholder-group, region, m49-region, global-south or organization"
        )
    })?;
    emit(&archive.balance(&scope, dim, top)?, json)
}

pub(crate) fn network(
    data: &Path,
    list: Option<String>,
    thread: Option<String>,
    format: &str,
) -> Result<()> {
    let scope = scope(list, thread, None, None, Vec::new(), None, None)?;
    let net = open(data)?.network(&scope)?;
    match format {
        "json" => print_json(&net),
        "graphml" => {
            let mut out = std::io::stdout().lock();
            out.write_all(net.to_graphml().as_bytes())?;
            Ok(out.flush()?)
        }
        other => anyhow::bail!("--format {other}: use json or graphml"),
    }
}
