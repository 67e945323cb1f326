//! `plenary`: the command that wires the stages together.

mod agenda;
mod eval;
mod import;
mod reconstruct;
mod unquote;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use plenary_store::Store;

#[derive(Parser)]
#[command(
    name = "plenary",
    version,
    about = "The open record of multistakeholder digital cooperation"
)]
struct Cli {
    /// Data folder (store and indexes).
    #[arg(
        long,
        global = true,
        env = "PLENARY_DATA",
        default_value = "plenary-data"
    )]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Latency of queries with the index opened once (as the server holds it):
    /// p50/p99 over each pass, medians over passes after a warm-up pass.
    Search {
        /// One query per line; with tabs, the first column (bench/search_queries.py).
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long)]
        json: bool,
        /// Leave facet counting out (as feeds and exports do).
        #[arg(long)]
        no_facets: bool,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Generate a sample archive and agenda, import them, and serve them.
    Demo {
        /// Address to serve on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Messages in the generated sample.
        #[arg(long, default_value_t = 3000)]
        messages: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Build and import only; do not serve.
        #[arg(long)]
        no_serve: bool,
    },
    /// Import mail archives: mbox, Maildir, .eml, pipermail (.txt, pages, trees), public-inbox.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// List name when neither List-Id, subject tag nor path tells.
        #[arg(long)]
        list: Option<String>,
        /// Messages per transaction.
        #[arg(long, default_value_t = 2000)]
        batch: usize,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Leave the search index alone (it catches up at the next `serve`,
        /// `search` or import, or with `plenary reindex`).
        #[arg(long)]
        no_index: bool,
    },
    /// Serve the archive on the web.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Show email addresses instead of obfuscating them.
        #[arg(long)]
        show_addresses: bool,
    },
    /// Counts of what is stored.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Threads, newest activity first.
    Threads {
        #[arg(long)]
        list: Option<String>,
        #[arg(long, default_value_t = 1_000_000)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One thread with its messages in reply order.
    Thread {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Inputs that could not be analysed, with the reason.
    Rejects {
        #[arg(long)]
        json: bool,
        /// Write the stored bytes of reject number N to stdout.
        #[arg(long)]
        raw: Option<u64>,
    },
    /// Rebuild all threads from stored headers, and the messages reconstructed from quotes.
    Rethread,
    /// Re-run quote analysis on every stored message (with footers learned per list)
    /// and rebuild the reconstructed messages: after the analyser improves.
    Reanalyze {
        /// Only this list.
        #[arg(long)]
        list: Option<String>,
    },
    /// Analyse one message (.eml, pipermail page or its text rendering): its zones and
    /// the messages hidden in its quotes, outermost first.
    Unquote {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Imported sessions (all events, or one), in time order.
    Sessions {
        /// Event name or id ("WSIS Forum 2025" or "wsis-forum-2025").
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// People: one identity across lists and agendas, with affiliations and evidence.
    People {
        #[command(subcommand)]
        what: Option<PeopleCommand>,
        #[arg(long)]
        json: bool,
    },
    /// Participation balance of a list, thread, event, set of sessions, framework item or period.
    Balance {
        #[arg(long, conflicts_with_all = ["thread", "event"])]
        list: Option<String>,
        #[arg(long, conflicts_with = "event")]
        thread: Option<String>,
        #[arg(long)]
        event: Option<String>,
        /// The threads tagged with a framework item: `action-lines:C5`, `sdgs:16`.
        #[arg(long)]
        item: Option<String>,
        /// The speakers of these sessions (ids, comma-separated).
        #[arg(long, value_delimiter = ',')]
        sessions: Vec<String>,
        /// A period: messages dated from this day (`YYYY-MM-DD`) …
        #[arg(long)]
        from: Option<String>,
        /// … up to (not including) this day.
        #[arg(long)]
        to: Option<String>,
        /// stakeholder-group, region, m49-region, global-south or organization.
        #[arg(long, default_value = "stakeholder-group")]
        by: String,
        /// Organisations shown before "other" (with --by organization).
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[arg(long)]
        json: bool,
    },
    /// Who answers whom in a list or thread, as JSON or GraphML.
    Network {
        #[arg(long, conflicts_with = "thread")]
        list: Option<String>,
        #[arg(long)]
        thread: Option<String>,
        #[arg(long, default_value = "json")]
        format: String,
    },
    /// Re-run the tagger on every session, thread and message (after editing lexicons).
    Retag,
    /// Search messages, reconstructed messages, sessions, people and organisations.
    ///
    /// Words match in any order and language (accents and endings folded);
    /// "a phrase"; -exclude; a OR b; field prefixes: from: to: list: subject:
    /// body: (own text) quoted: date:2025-07..2025-08 session: speaker: org:
    /// group: region: actionline:C5 sdg:16 gdc:3 topic: kind: year:.
    Search {
        /// The query (several arguments are joined with spaces).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Print {"total", "hits": [{"kind", "id", "title", "date", "snippet", …}], "facets"} as JSON.
        #[arg(long)]
        json: bool,
        /// relevance or date (newest first).
        #[arg(long, default_value = "relevance")]
        sort: String,
        #[arg(long, default_value_t = 1)]
        page: usize,
        #[arg(long, default_value_t = 20)]
        per_page: usize,
    },
    /// Rebuild the search index from the store.
    Reindex,
    /// The researchers' dataset: every archived message as one JSON line, with its
    /// own text, quote zones, quoted messages, person id and tags.
    Export {
        /// Where to write (standard output when absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Benchmarks (the peers' side is in bench/*.sh).
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Generate a synthetic archive with ground truth (for demos, tests and benchmarks).
    GenCorpus {
        out: PathBuf,
        #[arg(long, default_value_t = 2000)]
        messages: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_enum, default_value_t = Format::Mbox)]
        format: Format,
        /// How many of the messages are deliberately malformed.
        #[arg(long, default_value_t = 0)]
        malformed: usize,
    },
    /// Measure the store against a generator's ground truth.
    Eval {
        #[command(subcommand)]
        what: eval::EvalCommand,
    },
}

#[derive(Subcommand)]
enum PeopleCommand {
    /// Record that these addresses or names are one person (in DATA/people.toml).
    Merge {
        #[arg(required = true, num_args = 2..)]
        people: Vec<String>,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record that an address or name must not join anyone by inference.
    Split {
        key: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record an affiliation fact for a person (an address or a name).
    Set {
        person: String,
        #[arg(long)]
        organization: Option<String>,
        #[arg(long)]
        stakeholder_group: Option<String>,
        /// ISO 3166-1 alpha-2.
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Rebuild people from the store (import does this).
    Rebuild,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Mbox,
    Maildir,
}

fn main() {
    // `plenary people | head` closes our stdout early: end quietly, as Unix tools do,
    // instead of panicking in println!.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn open(data: &Path) -> Result<Store> {
    Store::open(data).with_context(|| format!("opening the store in {}", data.display()))
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

/// Nesting depth of message `i` (how many quote it in a chain).
fn depth_of(m: &[unquote::MessageOut], i: usize) -> usize {
    let mut d = 0;
    let mut cur = m.get(i).and_then(|x| x.quoted_by);
    while let Some(p) = cur {
        d += 1;
        if d > m.len() {
            break;
        }
        cur = m.get(p).and_then(|x| x.quoted_by);
    }
    d
}

fn scope_of(
    list: Option<String>,
    thread: Option<String>,
    event: Option<String>,
) -> Result<plenary_people::store::Scope> {
    Ok(match (list, thread, event) {
        (Some(l), _, _) => plenary_people::store::Scope::List(plenary_store::list_slug(&l)),
        (_, Some(t), _) => plenary_people::store::Scope::Thread(t),
        (_, _, Some(e)) => plenary_people::store::Scope::Event(e),
        _ => anyhow::bail!("say which: --list LIST, --thread ID or --event EVENT"),
    })
}

fn people_command(data: &Path, what: Option<PeopleCommand>, json: bool) -> Result<()> {
    let path = plenary_people::store::curated_path(data);
    // listing reads only the store: a broken people.toml must not hide what is stored
    let mut curated = if what.is_some() {
        plenary_people::Curated::load(&path)?
    } else {
        plenary_people::Curated::default()
    };
    let edited = match what {
        None => false,
        Some(PeopleCommand::Rebuild) => true,
        Some(PeopleCommand::Merge { people, reason }) => {
            curated.merge(people, reason);
            true
        }
        Some(PeopleCommand::Split { key, reason }) => {
            curated.split(key, reason);
            true
        }
        Some(PeopleCommand::Set {
            person,
            organization,
            stakeholder_group,
            country,
            from,
            to,
            note,
        }) => {
            curated.set(plenary_people::CuratedFact {
                person,
                organization,
                stakeholder_group,
                country,
                from,
                to,
                note,
            });
            true
        }
    };
    let mut store = open(data)?;
    if edited {
        curated.save(&path)?;
        let fw = frameworks(data)?;
        let b = plenary_people::store::rebuild(&mut store, data, &fw)?;
        println!(
            "{} people from {} sightings (curation in {})",
            b.people.len(),
            b.observations,
            path.display()
        );
        print_index_report(&sync_index(data, &store, &fw, false)?);
        return Ok(());
    }
    let all = plenary_people::store::load_people(&store)?;
    if json {
        #[derive(serde::Serialize)]
        struct Aff<'a> {
            organization: &'a Option<String>,
            stakeholder_group: &'a Option<String>,
            country: &'a Option<String>,
            regional_group: &'a Option<String>,
            source: &'a str,
            evidence: &'a str,
            from: &'a Option<String>,
            to: &'a Option<String>,
        }
        #[derive(serde::Serialize)]
        struct Out<'a> {
            id: &'a str,
            name: &'a str,
            names: &'a [String],
            addresses: &'a [String],
            affiliations: Vec<Aff<'a>>,
            sessions: &'a [plenary_people::store::SessionRole],
            messages: u64,
            reconstructed: u64,
        }
        let v: Vec<Out> = all
            .iter()
            .map(|p| Out {
                id: &p.id,
                name: &p.name,
                names: &p.names,
                addresses: &p.addresses,
                affiliations: p
                    .affiliations
                    .iter()
                    .map(|a| Aff {
                        organization: &a.organization,
                        stakeholder_group: &a.stakeholder_group,
                        country: &a.country,
                        regional_group: &a.regional_group,
                        source: &a.source,
                        evidence: &a.evidence,
                        from: &a.from,
                        to: &a.to,
                    })
                    .collect(),
                sessions: &p.sessions,
                messages: p.messages,
                reconstructed: p.reconstructed,
            })
            .collect();
        return print_json(&v);
    }
    for p in &all {
        let a = p.affiliations.first();
        println!(
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
        );
    }
    println!("{} people", all.len());
    Ok(())
}

/// The shipped frameworks plus the user's files in DATA/frameworks.
fn frameworks(data: &Path) -> Result<plenary_frameworks::Frameworks> {
    Ok(plenary_frameworks::Frameworks::load(Some(
        &data.join("frameworks"),
    ))?)
}

/// Brings the search index under `DATA/index` up to date (or rebuilds it).
fn sync_index(
    data: &Path,
    store: &Store,
    fw: &plenary_frameworks::Frameworks,
    rebuild: bool,
) -> Result<plenary_search::SyncReport> {
    let dir = data.join("index");
    let index = plenary_search::SearchIndex::open(&dir)
        .with_context(|| format!("opening the search index in {}", dir.display()))?;
    let r = if rebuild {
        index.rebuild(store, fw)
    } else {
        index.sync(store, fw)
    };
    r.with_context(|| format!("updating the search index in {}", dir.display()))
}

fn print_index_report(r: &plenary_search::SyncReport) {
    if r.changed() || r.organizations > 0 {
        println!(
            "search index: {} messages, {} reconstructed, {} sessions, {} people, {} organisations indexed; {} messages refreshed",
            r.messages, r.reconstructed, r.sessions, r.people, r.organizations, r.refreshed_messages
        );
    }
}

fn export_dataset(data: &Path, out: Option<&Path>) -> Result<()> {
    use std::io::Write;
    let store = open(data)?;
    let mut w: Box<dyn Write> = match out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut after = 0;
    let mut n = 0u64;
    loop {
        let rows = store.dataset_messages(after, 2000)?;
        let Some((last, _)) = rows.last() else { break };
        after = *last;
        for (_, m) in &rows {
            serde_json::to_writer(&mut w, m)?;
            w.write_all(b"\n")?;
            n += 1;
        }
    }
    w.flush()?;
    if let Some(p) = out {
        println!("{n} messages written to {}", p.display());
    }
    Ok(())
}

fn bench_search(data: &Path, queries: &Path, runs: usize, json: bool, facets: bool) -> Result<()> {
    let text = std::fs::read_to_string(queries)
        .with_context(|| format!("reading queries from {}", queries.display()))?;
    let qs: Vec<String> = text
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(String::from)
        .collect();
    anyhow::ensure!(!qs.is_empty(), "{}: no queries", queries.display());
    let store = open(data)?;
    let fw = frameworks(data)?;
    let index = plenary_search::SearchIndex::open(&data.join("index"))?;
    index.sync(&store, &fw)?;
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(|a, b| a.total_cmp(b));
        let k = ((p / 100.0 * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
        v[k]
    };
    let (mut p50s, mut p99s, mut means) = (Vec::new(), Vec::new(), Vec::new());
    let mut failed = 0usize;
    let mut slowest: Vec<(String, f64)> = Vec::new();
    for pass in 0..=runs {
        let mut lat = Vec::with_capacity(qs.len());
        failed = 0;
        for q in &qs {
            let req = plenary_search::SearchRequest {
                query: q.clone(),
                sort: plenary_search::Sort::Relevance,
                offset: 0,
                limit: 20,
                facets,
            };
            let t = std::time::Instant::now();
            let ok = index.search(&req, &fw).is_ok();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if !ok {
                failed += 1;
            }
            lat.push(ms);
            if pass == runs {
                slowest.push((q.clone(), ms));
            }
        }
        if pass == 0 {
            continue; // warm-up
        }
        means.push(lat.iter().sum::<f64>() / lat.len() as f64);
        p50s.push(pct(&mut lat.clone(), 50.0));
        p99s.push(pct(&mut lat, 99.0));
    }
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    slowest.truncate(10);
    let p50 = pct(&mut p50s, 50.0);
    let p99 = pct(&mut p99s, 50.0);
    let mean = pct(&mut means, 50.0);
    if json {
        return print_json(&serde_json::json!({
            "queries": qs.len(), "runs": runs, "documents": index.len(),
            "p50_ms": p50, "p99_ms": p99, "mean_ms": mean, "failed": failed, "slowest": slowest,
        }));
    }
    println!(
        "{} queries × {runs} passes over {} documents: p50 {p50:.2} ms, p99 {p99:.2} ms, mean {mean:.2} ms, {failed} failed",
        qs.len(),
        index.len()
    );
    for (q, ms) in slowest.iter().take(5) {
        println!("  {ms:8.2} ms  {q}");
    }
    Ok(())
}

fn search_command(
    data: &Path,
    query: &str,
    json: bool,
    sort: &str,
    page: usize,
    per_page: usize,
) -> Result<()> {
    let sort = match sort {
        "relevance" => plenary_search::Sort::Relevance,
        "date" => plenary_search::Sort::Date,
        other => anyhow::bail!("--sort {other}: sort by relevance or date"),
    };
    let store = open(data)?;
    let fw = frameworks(data)?;
    let dir = data.join("index");
    let index = plenary_search::SearchIndex::open(&dir)
        .with_context(|| format!("opening the search index in {}", dir.display()))?;
    // Catch up with imports that did not index (interrupted or --no-index).
    index
        .sync(&store, &fw)
        .with_context(|| format!("updating the search index in {}", dir.display()))?;
    let per_page = per_page.clamp(1, 1000);
    let req = plenary_search::SearchRequest {
        query: query.to_string(),
        sort,
        offset: page.max(1).saturating_sub(1).saturating_mul(per_page),
        limit: per_page,
        facets: true,
    };
    let res = match index.search(&req, &fw) {
        Ok(r) => r,
        Err(plenary_search::SearchError::Query(e)) => anyhow::bail!("bad query: {e}"),
        Err(e) => return Err(e.into()),
    };
    if json {
        return print_json(&res);
    }
    println!("{} results", res.total);
    for h in &res.hits {
        println!(
            "{:<13} {:<10} {}  {}",
            h.kind,
            h.date
                .as_deref()
                .map(|d| &d[..d.len().min(10)])
                .unwrap_or(""),
            h.title,
            h.url
        );
        let plain = h
            .snippet
            .replace("<mark>", "[")
            .replace("</mark>", "]")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        println!("              {plain}");
    }
    Ok(())
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn run() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo {
            addr,
            messages,
            seed,
            no_serve,
        } => demo(&cli.data, addr, messages, seed, no_serve),
        Command::Import {
            paths,
            list,
            batch,
            json,
            no_index,
        } => {
            let mut store = open(&cli.data)?;
            let opts = import::ImportOptions {
                list,
                frameworks: frameworks(&cli.data)?,
                data_dir: cli.data.clone(),
                batch: batch.max(1),
                progress: std::io::stderr().is_terminal() && !json,
            };
            let s = import::run(&mut store, &paths, &opts)?;
            if json {
                print_json(&s)?;
            } else {
                print_summary(&s);
            }
            if !no_index {
                let r = sync_index(&cli.data, &store, &opts.frameworks, false)?;
                if !json {
                    print_index_report(&r);
                }
            }
            Ok(())
        }
        Command::Serve {
            addr,
            show_addresses,
        } => serve(&cli.data, addr, show_addresses),
        Command::Stats { json } => {
            let s = open(&cli.data)?.stats()?;
            if json {
                print_json(&s)
            } else {
                println!(
                    "{} messages in {} threads on {} lists; {} rejected",
                    s.messages, s.threads, s.lists, s.rejected
                );
                Ok(())
            }
        }
        Command::Threads { list, limit, json } => {
            let store = open(&cli.data)?;
            let slug = list.as_deref().map(plenary_store::list_slug);
            let t = store.threads(slug.as_deref(), None, limit)?;
            if json {
                print_json(&t)
            } else {
                for th in t {
                    println!(
                        "{}  {:>4}  {:<20}  {}  {}",
                        th.id,
                        th.count,
                        th.last.as_deref().unwrap_or("-"),
                        th.list,
                        th.subject
                    );
                }
                Ok(())
            }
        }
        Command::Thread { id, json } => {
            let store = open(&cli.data)?;
            let t = store
                .thread(&id)?
                .with_context(|| format!("no thread with id {id}"))?;
            if json {
                print_json(&t)
            } else {
                println!("{} [{}]", t.subject, t.list);
                for m in t.messages {
                    println!(
                        "{}{}  {}  {}",
                        "  ".repeat(m.depth as usize),
                        m.date.as_deref().unwrap_or("(no date)"),
                        m.author
                            .name
                            .as_deref()
                            .or(m.author.address.as_deref())
                            .unwrap_or("?"),
                        m.id
                    );
                }
                Ok(())
            }
        }
        Command::Rejects { json, raw } => {
            let store = open(&cli.data)?;
            if let Some(n) = raw {
                let bytes = store
                    .reject_raw(n)?
                    .with_context(|| format!("no reject number {n}"))?;
                use std::io::Write;
                std::io::stdout().write_all(&bytes)?;
                return Ok(());
            }
            let r = store.rejects()?;
            if json {
                print_json(&r)
            } else {
                for x in &r {
                    println!(
                        "{:>5}  {}  ({} bytes): {}",
                        x.seq, x.origin, x.raw_len, x.reason
                    );
                }
                println!("{} rejected", r.len());
                Ok(())
            }
        }
        Command::Reanalyze { list } => {
            let mut store = open(&cli.data)?;
            let lists: Vec<String> = match list {
                Some(l) => vec![plenary_store::list_slug(&l)],
                None => store.lists()?.into_iter().map(|l| l.slug).collect(),
            };
            let (n, r) = reconstruct::reanalyse(&mut store, &lists)?;
            println!("{n} messages analysed, {r} messages reconstructed from quotes");
            print_index_report(&sync_index(
                &cli.data,
                &store,
                &frameworks(&cli.data)?,
                true,
            )?);
            Ok(())
        }
        Command::Rethread => {
            let mut store = open(&cli.data)?;
            let n = store.rethread(&[])?;
            let lists: Vec<String> = store.lists()?.into_iter().map(|l| l.slug).collect();
            let r = reconstruct::reconstruct(&mut store, &lists)?;
            println!("{n} threads, {r} messages reconstructed from quotes");
            print_index_report(&sync_index(
                &cli.data,
                &store,
                &frameworks(&cli.data)?,
                true,
            )?);
            Ok(())
        }
        Command::GenCorpus {
            out,
            messages,
            seed,
            format,
            malformed,
        } => {
            let s = gen_corpus(&out, messages, seed, format, malformed)?;
            println!(
                "wrote {} messages ({} malformed) in {} threads on {} lists to {}",
                s.messages,
                s.malformed,
                s.threads,
                s.lists.len(),
                out.display()
            );
            Ok(())
        }
        Command::Unquote { file, json } => {
            let u = unquote::unquote(&file)?;
            if json {
                return print_json(&u);
            }
            for (i, m) in u.messages.iter().enumerate() {
                println!(
                    "{}{}  {}  {}{}",
                    "  ".repeat(depth_of(&u.messages, i)),
                    m.date.as_deref().unwrap_or("(no date)"),
                    m.author
                        .name
                        .as_deref()
                        .or(m.author.address.as_deref())
                        .unwrap_or("(unknown)"),
                    m.text
                        .lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(60)
                        .collect::<String>(),
                    if m.text.lines().count() > 1 {
                        " …"
                    } else {
                        ""
                    }
                );
            }
            println!("{} messages, {} zones", u.messages.len(), u.zones.len());
            Ok(())
        }
        Command::Sessions { event, json } => {
            let store = open(&cli.data)?;
            let v = store.sessions(event.as_deref())?;
            if json {
                print_json(&v)
            } else {
                for s in &v {
                    println!(
                        "{:<28} {:<26} {}",
                        s.id(),
                        s.start.as_deref().unwrap_or("-"),
                        s.title
                    );
                }
                println!("{} sessions", v.len());
                Ok(())
            }
        }
        Command::People { what, json } => people_command(&cli.data, what, json),
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
            let store = open(&cli.data)?;
            let fw = frameworks(&cli.data)?;
            let scope = match (item, from, to) {
                _ if !sessions.is_empty() => plenary_people::store::Scope::Sessions(sessions),
                (Some(i), _, _) => {
                    let (f, c) = i.split_once(':').with_context(|| {
                        format!("--item {i}: write FRAMEWORK:CODE, e.g. sdgs:16")
                    })?;
                    plenary_people::store::Scope::Item(f.to_string(), c.to_string())
                }
                (None, Some(a), b) => plenary_people::store::Scope::Period(
                    day_start(&a)?,
                    b.as_deref().map(day_start).transpose()?.unwrap_or(i64::MAX),
                ),
                _ => scope_of(list, thread, event)?,
            };
            let dim = plenary_people::balance::Dimension::parse(&by).with_context(|| {
                format!("--by {by}: use stakeholder-group, region, m49-region, global-south or organization")
            })?;
            let b = plenary_people::store::balance(&store, &fw, &scope, dim, top)?;
            if json {
                return print_json(&b);
            }
            if let Some(d) = b.definition {
                println!("{d}");
            }
            println!(
                "{} messages, {} words of new text, {} participants, by {}",
                b.messages,
                b.words,
                b.participants,
                b.by.name()
            );
            for r in &b.rows {
                println!(
                    "  {:<32} {:>6} msgs {:>5.1} %  {:>7} words  {:>4} people ({} declared, {} inferred)",
                    r.group, r.messages, r.share, r.words, r.participants, r.declared, r.inferred
                );
            }
            if let Some(e) = b.elephant_factor {
                println!("Elephant Factor: {e}");
            }
            for p in &b.people {
                println!(
                    "  {:<28} {:<22} {}",
                    p.name,
                    p.group,
                    match (&p.source, &p.evidence) {
                        (Some(s), Some(e)) => format!("{s}: {e}"),
                        _ => "no evidence".into(),
                    }
                );
            }
            Ok(())
        }
        Command::Network {
            list,
            thread,
            format,
        } => {
            let store = open(&cli.data)?;
            let scope = scope_of(list, thread, None)?;
            let (_, replies) = plenary_people::store::contributions(&store, &scope)?;
            let net = plenary_people::network::build(&replies);
            match format.as_str() {
                "json" => print_json(&net),
                "graphml" => {
                    print!("{}", net.to_graphml());
                    Ok(())
                }
                other => anyhow::bail!("--format {other}: use json or graphml"),
            }
        }
        Command::Retag => {
            let mut store = open(&cli.data)?;
            let fw = frameworks(&cli.data)?;
            let tagger = agenda::tagger(&fw);
            let sessions = store.sessions(None)?;
            let mut declared = Vec::new();
            let mut inferred = Vec::new();
            for s in &sessions {
                declared.push((s.id(), agenda::declared_tags(s, &fw)));
                inferred.push((
                    s.id(),
                    agenda::tag_rows("session", &s.id(), tagger.tag(&agenda::session_text(s))),
                ));
            }
            store.replace_tags("session", "declared", &declared)?;
            store.replace_tags("session", "tagger", &inferred)?;
            let lists: Vec<String> = store.lists()?.into_iter().map(|l| l.slug).collect();
            let (t, m) = agenda::tag_lists(&mut store, &lists, &fw)?;
            println!(
                "{} sessions, {t} threads and {m} messages carry tags",
                sessions.len()
            );
            print_index_report(&sync_index(&cli.data, &store, &fw, true)?);
            Ok(())
        }
        Command::Search {
            query,
            json,
            sort,
            page,
            per_page,
        } => search_command(&cli.data, &query.join(" "), json, &sort, page, per_page),
        Command::Bench {
            what:
                BenchCommand::Search {
                    queries,
                    runs,
                    json,
                    no_facets,
                },
        } => bench_search(&cli.data, &queries, runs.max(1), json, !no_facets),
        Command::Export { out } => export_dataset(&cli.data, out.as_deref()),
        Command::Reindex => {
            let store = open(&cli.data)?;
            let started = std::time::Instant::now();
            let r = sync_index(&cli.data, &store, &frameworks(&cli.data)?, true)?;
            print_index_report(&r);
            println!("reindexed in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Eval { what } => eval::run(&cli.data, what),
    }
}

fn gen_corpus(
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
    let pb = if std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new(messages as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template("generating {bar:40} {pos}/{len} ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let s = plenary_gen::generate_with_progress(out, &opts, &mut |n| {
        if let Some(pb) = &pb {
            pb.set_position(n as u64);
        }
    })
    .with_context(|| format!("generating a corpus in {}", out.display()))?;
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    Ok(s)
}

fn print_summary(s: &import::ImportSummary) {
    println!(
        "imported: {} new, {} duplicate, {} rejected{}; {} threads; {:.1} s, {} messages/s",
        s.new,
        s.duplicate,
        s.rejected,
        if s.rejected_again > 0 {
            format!(" ({} rejected before)", s.rejected_again)
        } else {
            String::new()
        },
        s.threads,
        s.elapsed_seconds,
        s.messages_per_second
    );
    let a = &s.agenda;
    if a.agenda_files > 0 {
        println!(
            "agenda: {} sessions new, {} updated, {} unchanged from {} files; {} files rejected",
            a.sessions_new,
            a.sessions_updated,
            a.sessions_unchanged,
            a.agenda_files,
            a.agenda_rejected
        );
    }
    if s.tagged_threads > 0 {
        println!("{} threads tagged with framework items", s.tagged_threads);
    }
    if s.rejected > 0 || a.agenda_rejected > 0 {
        println!("see `plenary rejects` for what was rejected and why");
    }
}

fn serve(data: &Path, addr: SocketAddr, show_addresses: bool) -> Result<()> {
    let config = plenary_web::WebConfig {
        data_dir: data.to_path_buf(),
        show_addresses,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    println!(
        "serving {} on http://{addr}/  (ctrl-c to stop)",
        data.display()
    );
    rt.block_on(plenary_web::serve(config, addr))
        .with_context(|| format!("serving on {addr}"))?;
    Ok(())
}

fn demo(data: &Path, addr: SocketAddr, messages: usize, seed: u64, no_serve: bool) -> Result<()> {
    // The demo keeps to its own folder unless --data/PLENARY_DATA says otherwise.
    let data = if data == Path::new("plenary-data") {
        PathBuf::from("plenary-demo")
    } else {
        data.to_path_buf()
    };
    let corpus = data.join("corpus");
    if !corpus.join("truth.jsonl").exists() {
        println!(
            "generating a sample archive of {messages} messages in {}",
            corpus.display()
        );
        gen_corpus(
            &corpus,
            messages,
            seed,
            Format::Mbox,
            (messages / 500).max(6),
        )?;
    }
    let mut store = open(&data)?;
    let opts = import::ImportOptions {
        list: None,
        frameworks: frameworks(&data)?,
        data_dir: data.clone(),
        batch: 2000,
        progress: std::io::stderr().is_terminal(),
    };
    let s = import::run(
        &mut store,
        &[corpus.join("mbox"), corpus.join("agenda")],
        &opts,
    )?;
    print_summary(&s);
    print_index_report(&sync_index(&data, &store, &opts.frameworks, false)?);
    drop(store);
    if no_serve {
        return Ok(());
    }
    serve(&data, addr, false)
}
