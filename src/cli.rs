//! The command line: what `plenary` accepts (clap).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "plenary",
    version,
    about = "The open record of multistakeholder digital cooperation"
)]
pub(crate) struct Cli {
    /// Data folder (store and indexes).
    #[arg(
        long,
        global = true,
        env = "PLENARY_DATA",
        default_value = "plenary-data"
    )]
    pub(crate) data: PathBuf,
    /// Show email addresses in the clear (in output, pages, API, raw downloads
    /// and exports). Without it they are obfuscated: `ana at example.org`.
    #[arg(long, global = true)]
    pub(crate) show_addresses: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The Mailman 3 archiver endpoint (`/api/mailman/archive`, `/api/mailman/urls`),
/// for a Mailman site's `mailman-hyperkitty` plugin. Off unless a key is set, here or
/// in the configuration file (`--config FILE`, else `DATA/plenary.toml` when present):
///
///   [archiver]
///   key = "…"                      # the plugin's api_key
///   from = ["192.0.2.10"]          # the Mailman host's addresses (default: any)
///   public_url = "https://archive.example.org"
///   private_lists = ["board@lists.example.org"]
#[derive(clap::Args, Debug, Default)]
pub(crate) struct ArchiverArgs {
    /// The key the plugin sends (its `api_key`); turns the endpoint on.
    #[arg(long, env = "PLENARY_ARCHIVER_KEY", hide_env_values = true)]
    pub(crate) archiver_key: Option<String>,
    /// An address allowed to send mail to the archive (repeat for several); without
    /// one, any address with the key may.
    #[arg(long = "archiver-from")]
    pub(crate) archiver_from: Vec<std::net::IpAddr>,
    /// The site's public URL, used in the permalinks given to Mailman (default: the
    /// request's Host).
    #[arg(long)]
    pub(crate) public_url: Option<String>,
    /// A list whose mail is kept raw under DATA/private/ and never shown (repeat).
    #[arg(long = "private-list")]
    pub(crate) private_list: Vec<String>,
    /// The configuration file (TOML) with an `[archiver]` table.
    #[arg(long)]
    pub(crate) config: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum BenchCommand {
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
pub(crate) enum Command {
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
        /// Files or folders to import: mbox (also .gz), Maildir, .eml files, pipermail
        /// text archives, pages or whole trees, public-inbox, and agenda pages or files.
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
        /// Derive the lists the input touched whole (threads, footers, reconstructions,
        /// tags), not only the threads its new messages join: the same result, slower;
        /// the reference incremental derivation is checked against.
        #[arg(long)]
        whole_lists: bool,
    },
    /// Mirror remote archives into DATA/mirror, then import them: a Mailman 2 pipermail
    /// list archive (its index URL), an mbox export (a HyperKitty export URL), or an
    /// agenda page. Incremental: a second run fetches only what changed. The only
    /// command that uses the network.
    Mirror {
        /// http(s) URLs: a pipermail list index (…/pipermail/LIST/), an .mbox(.gz)
        /// export, or a WSIS/IGF agenda page.
        #[arg(required = true)]
        urls: Vec<String>,
        /// Pause between two requests, in milliseconds (politeness to the server).
        #[arg(long, default_value_t = 1000)]
        delay: u64,
        /// Fetch only; leave the store alone.
        #[arg(long)]
        no_import: bool,
        /// Print what was fetched and imported as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the archive on the web.
    /// (`--show-addresses` shows email addresses instead of obfuscating them.)
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        archiver: ArchiverArgs,
        /// Also watch this Maildir or mbox and import what arrives (repeatable), as
        /// `plenary watch` does, in the server process.
        #[arg(long = "watch", value_name = "PATH")]
        watch: Vec<PathBuf>,
        /// With --watch: the list of messages that name none (as `watch --list`).
        #[arg(long = "watch-list", value_name = "LIST", requires = "watch")]
        watch_list: Option<String>,
        /// With --watch: rescan everything this often (seconds), as `watch --rescan`.
        #[arg(long = "watch-rescan", value_name = "SECS", default_value_t = 30)]
        watch_rescan: u64,
    },
    /// Follow Maildirs (new/, cur/) and mbox files that grow; import what arrives.
    /// Restarts resume where the last run stopped (DATA/watch-state.json).
    Watch {
        /// Maildir folders or mbox files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// List name when neither List-Id nor subject tag tells (default: the
        /// Maildir folder or mbox file name).
        #[arg(long)]
        list: Option<String>,
        /// Rescan everything this often (seconds), besides inotify's events.
        #[arg(long, default_value_t = 30)]
        rescan: u64,
        /// Scan and import once, then exit (for cron and tests).
        #[arg(long)]
        once: bool,
        /// Messages per import batch: each is committed, then recorded as imported.
        #[arg(long, default_value_t = 500)]
        batch: usize,
    },
    /// Per list: last message, last import and where the mail comes from
    /// (import, archiver, watch, mirror), messages refused on the sender's wish,
    /// pending rejects.
    Status {
        #[arg(long)]
        json: bool,
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
    /// Remove a message, or everything by a person or an address, from pages, API,
    /// search, feeds, exports and the dataset; redact their words from other
    /// messages' quotes (raw bytes included); tombstone them so re-imports do not
    /// bring them back; record it in the audit log (`--log` shows it).
    #[command(group(clap::ArgGroup::new("target").args(["message", "person", "address", "log"]).required(true)))]
    Takedown {
        /// An archived message's id.
        #[arg(long)]
        message: Option<String>,
        /// A person's id or name.
        #[arg(long)]
        person: Option<String>,
        /// An email address.
        #[arg(long)]
        address: Option<String>,
        /// Why (kept in the audit log).
        #[arg(long, required_unless_present = "log")]
        reason: Option<String>,
        /// Who asks for it or performs it (the audit log's actor; default: $USER).
        #[arg(long)]
        by: Option<String>,
        /// Show the audit log instead.
        #[arg(long)]
        log: bool,
        #[arg(long)]
        json: bool,
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
        /// The messages of one list (its name or slug).
        #[arg(long, conflicts_with_all = ["thread", "event"])]
        list: Option<String>,
        /// The messages of one thread (its id, from `plenary threads`).
        #[arg(long, conflicts_with = "event")]
        thread: Option<String>,
        /// The speakers of one event's sessions (its id, from `plenary sessions`).
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
        /// … up to and including this day (as search's date ranges).
        #[arg(long)]
        to: Option<String>,
        /// stakeholder-group, region, m49-region, global-south or organization.
        #[arg(long, default_value = "stakeholder-group")]
        by: String,
        /// Organisations shown before "other" (with --by organization).
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Print JSON (the API's shape) instead of a table.
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
        what: EvalCommand,
    },
}

#[derive(Subcommand)]
pub(crate) enum PeopleCommand {
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
pub(crate) enum Format {
    Mbox,
    Maildir,
}

#[derive(Subcommand)]
pub(crate) enum EvalCommand {
    /// Compare stored thread parents with a generator's truth.jsonl.
    Threads {
        #[arg(long)]
        truth: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// How well quote attributions and texts agree with the archived parent they quote.
    Quotes {
        /// An archive to measure directly (imported into a temporary store); without
        /// it, the store in --data is measured.
        archive: Option<PathBuf>,
        /// Only this list (slug); all lists when absent.
        #[arg(long)]
        list: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Pairwise precision and recall of identity resolution: against a generator's
    /// truth (`--truth OUT/truth.jsonl`, with `people.jsonl` beside it, after importing
    /// OUT), on a file of From strings grouped by person (blank lines between people),
    /// or against gold written by reading a real archive (`--gold`).
    People {
        #[arg(long, conflicts_with_all = ["from_strings", "gold"])]
        truth: Option<PathBuf>,
        #[arg(long, conflicts_with = "gold")]
        from_strings: Option<PathBuf>,
        /// Gold written by reading the imported archive (tests/gold/people/*.tsv:
        /// person, name, address, reason): pairwise precision and recall over the
        /// sightings found in the store, with examples of wrong merges and splits.
        #[arg(long)]
        gold: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The organisation each person's page shows, against gold written by reading
    /// the archive (tests/gold/affiliations/gold.tsv: corpus, person, addresses,
    /// organisation, stakeholder_group, evidence): precision among those shown,
    /// recall among the people the reader could place, how many are unknown.
    Affiliations {
        #[arg(long)]
        gold: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The quote analyser against hand-annotated email (HPI Quagga's Enron set:
    /// NAME.txt + NAME.txt.ann): header blocks recovered, author, date, subject,
    /// header/body line accuracy. Reads only DIR, not the data folder.
    Quagga {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// How trustworthy the messages recovered from quotes are: with author, with
    /// date, duplicates of archived messages, roots, thread starters hung under
    /// a recovered parent.
    Reconstruction {
        /// Only this list.
        #[arg(long)]
        list: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Field accuracy of the agenda importers against expectations written by reading
    /// pages (tests/gold/agenda/*.tsv: page, field, expected). Pages are fixture paths or
    /// URLs of real pages, read from --pages when saved there. Reads no data folder.
    Agenda {
        /// Gold files.
        #[arg(long, required = true, num_args = 1..)]
        gold: Vec<PathBuf>,
        /// A folder of saved real pages, one per URL named as `page_file_stem` says
        /// (`www_itu_int_net4_wsis_forum_2025_Agenda_Session_133.txt`).
        #[arg(long)]
        pages: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Recall and precision of the phrase tagger on session descriptions, against the
    /// tags the sessions declare.
    Tags {
        /// Tags judged right or wrong by a reader (tests/gold/tags/judged.tsv):
        /// precision and recall of the judged tags the store gives now, instead of
        /// the session-description measure.
        #[arg(long)]
        gold: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}
