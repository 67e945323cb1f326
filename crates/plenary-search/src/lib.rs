//! plenary-search: the full-text and faceted index (tantivy) under
//! `DATA/index/`.
//!
//! The index is derived data. [`SearchIndex::sync`] brings it up to date
//! with the store: new messages after the watermark kept in the commit
//! payload, reconstructed messages and people whose documents changed (each
//! document's digest is kept in a side file), messages of people whose
//! affiliation changed, and sessions and organisations whenever their digest
//! changed. Each sync is one tantivy commit, so an
//! interrupted import or sync leaves the previous consistent state and the
//! next sync catches up. An index that cannot be opened, or was written by
//! another schema version, is rebuilt from the store.

mod analysis;
mod docs;
mod query;
mod schema;
mod source;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use plenary_frameworks::Frameworks;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector, FacetCollector, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, TantivyDocument, Term};

pub use analysis::{detect, Lang};

/// The ISO 639-1 code of a text's language, when it can be told (one of the
/// languages the index analyses; `None` for short, mixed or other texts).
pub fn language_of(text: &str) -> Option<String> {
    if text.trim().len() < 12 {
        return None;
    }
    match detect(text) {
        Lang::Other => None,
        l => Some(l.code().to_string()),
    }
}

/// Fills each message's `language` from its own text.
pub fn annotate_thread(t: &mut plenary_store::ThreadDetail) {
    for m in &mut t.messages {
        m.language = m.text.as_deref().and_then(language_of);
    }
}

/// Fills a message's `language` from its own text (the body when it has none).
pub fn annotate_message(m: &mut plenary_store::MessageDetail) {
    m.language = language_of(m.new_text.as_deref().unwrap_or(&m.body));
}
pub use query::{QueryError, FIELDS};
pub use source::IndexSource;

use analysis::Analyzers;
use docs::{Context, PersonInfo};
use schema::{Fields, SCHEMA_VERSION, TOKENIZER};

/// Errors of the index (a bad query is [`SearchError::Query`]).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query does not parse.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// tantivy failed on the index.
    #[error("search index at {path}: {source}")]
    Index {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },
    /// The index folder cannot be read or written.
    #[error("search index at {path}: {source}")]
    Io {
        /// The index folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] plenary_store::StoreError),
}

/// A result of the index, or a [`SearchError`].
pub type Result<T> = std::result::Result<T, SearchError>;

/// How results are ordered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query in Plenary's query language (words, phrases, `field:value` filters).
    pub query: String,
    /// How results are ordered.
    pub sort: Sort,
    /// How many results to skip (capped at 100,000).
    pub offset: usize,
    /// How many results to return (clamped to 1–1,000).
    pub limit: usize,
    /// Count facet values over all results (costs time on broad queries).
    pub facets: bool,
}

/// The author of a message hit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct HitAuthor {
    /// Name, else address, as written.
    pub name: String,
    /// The person the author was resolved to (`/people/{person}`).
    pub person: Option<String>,
}

/// One result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Hit {
    /// message, reconstructed, session, person, organization.
    pub kind: String,
    /// The id of the thing found, as the store knows it.
    pub id: String,
    /// Subject, title or name.
    pub title: String,
    /// RFC 3339 UTC (`…Z`) when `date_exact`; otherwise a local time without a
    /// zone (`2025-07-23T14:42:00`): an attribution or agenda page that gave
    /// no UTC offset.
    pub date: Option<String>,
    /// Whether `date` is a UTC instant (false: local time, offset unknown).
    pub date_exact: bool,
    /// Who wrote it (messages and reconstructed messages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<HitAuthor>,
    /// HTML: escaped text with the matches in `<mark>`.
    pub snippet: String,
    /// The page of the thing found (relative URL).
    pub url: String,
    /// The list slug, for messages and reconstructed messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// The thread id, for messages and reconstructed messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
}

/// One facet value and how many results have it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct FacetCount {
    /// The facet value (a list slug, a year, a code, …).
    pub value: String,
    /// How many results have it.
    pub count: u64,
}

/// A page of results with the total count and facet counts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SearchResults {
    /// How many documents match, all pages together.
    pub total: u64,
    /// The requested page of results.
    pub hits: Vec<Hit>,
    /// Facet name (kind, list, year, group, region, actionline, sdg, gdc,
    /// topic) → values with counts, most frequent first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// The facets reported with every search, in display order.
pub const FACETS: [&str; 9] = [
    "kind",
    "list",
    "year",
    "group",
    "region",
    "actionline",
    "sdg",
    "gdc",
    "topic",
];

/// What one sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// The index was rebuilt from the store (asked for, or missing, unreadable or of another schema).
    pub rebuilt: bool,
    /// New messages indexed.
    pub messages: u64,
    /// Reconstructed messages (re)indexed.
    pub reconstructed: u64,
    /// Already indexed messages rewritten because their author's affiliation or thread's tags changed.
    pub refreshed_messages: u64,
    /// Sessions (re)indexed.
    pub sessions: u64,
    /// Transcript turns (re)indexed.
    pub turns: u64,
    /// People (re)indexed.
    pub people: u64,
    /// Organisations (re)indexed.
    pub organizations: u64,
}

impl SyncReport {
    /// Whether the sync changed any document.
    pub fn changed(&self) -> bool {
        self.messages
            + self.reconstructed
            + self.refreshed_messages
            + self.sessions
            + self.turns
            + self.people
            > 0
            || self.rebuilt
    }
}

/// The commit payload: how far the index has read the store.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct State {
    schema: u32,
    message_seq: i64,
    reconstructed: BTreeMap<String, String>,
    sessions: String,
    /// Digest of the transcripts, their people and the sessions they belong to.
    #[serde(default)]
    transcripts: String,
    people: String,
    organizations: String,
    /// Generation of the side file (`side-N.json`).
    side_gen: u64,
    /// The store's change counter when this state was read from it.
    #[serde(default)]
    store_generation: i64,
}

/// What documents were built from, too big for the commit payload: each person's
/// affiliation signature and each thread's tags (what message documents show of them),
/// and a digest of each person's and each reconstructed message's document, so that
/// only the documents that changed are written again.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct Side {
    people: BTreeMap<String, String>,
    threads: BTreeMap<String, String>,
    /// Person id → digest of the person's document.
    #[serde(default)]
    person_docs: BTreeMap<String, String>,
    /// List → reconstructed message id → digest of its document. A list missing here
    /// (a side file from before these digests) has its documents written whole.
    #[serde(default)]
    reconstructed: BTreeMap<String, BTreeMap<String, String>>,
}

/// What a person's document is built from, hashed.
fn person_doc_digest(p: &PersonInfo) -> String {
    digest(&[
        &p.name,
        &p.names.join("\n"),
        &p.addresses.join("\n"),
        &p.signature(),
    ])
}

/// What a reconstructed message's document is built from, hashed: its row, its
/// person's affiliation and its thread's tags.
fn reconstructed_doc_digest(cx: &Context<'_>, r: &plenary_store::IndexReconstructed) -> String {
    let person = r
        .person
        .as_deref()
        .and_then(|p| cx.people.get(p))
        .map(PersonInfo::signature)
        .unwrap_or_default();
    let tags = r
        .thread_id
        .as_deref()
        .and_then(|t| cx.thread_tags.get(t))
        .map(|tags| {
            tags.iter()
                .map(|(f, c)| format!("{f}/{c}"))
                .collect::<Vec<_>>()
                .join(";")
        })
        .unwrap_or_default();
    digest(&[
        &r.id,
        &r.list,
        r.thread_id.as_deref().unwrap_or("\u{0}"),
        &r.subject,
        r.author_name.as_deref().unwrap_or("\u{0}"),
        r.author_address.as_deref().unwrap_or("\u{0}"),
        &r.date.map_or_else(|| "-".to_string(), |d| d.to_string()),
        if r.date_exact { "exact" } else { "local" },
        &r.text,
        r.person.as_deref().unwrap_or("\u{0}"),
        &person,
        &tags,
    ])
}

/// A tiny stable hash (FNV-1a, 64 bit, each part followed by 0xff): digests only need to
/// notice change, but they are stored in the index's payload, so the bytes hashed stay.
fn digest(parts: &[&str]) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    for p in parts {
        h.write(str::as_bytes(p));
        h.write_u8(0xff);
    }
    format!("{:016x}", h.finish())
}

/// The search index of one data folder.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Analyzers are cheap to clone but not `Sync`; searches share one.
    analyzers: Mutex<Analyzers>,
}

/// Messages read from the store per indexing step.
const CHUNK: usize = 2000;
/// The writer's memory budget (split among its threads).
const WRITER_BUDGET: usize = 96 * 1024 * 1024;

impl SearchIndex {
    /// Opens the index under `dir` (normally `DATA/index`), creating it, or
    /// recreating it when it is unreadable or of another schema version.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let fields = Fields::new();
        let io = |source| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let usable = match Index::open_in_dir(dir) {
            Ok(index) => {
                let same_schema = index.schema() == fields.schema;
                let state = read_state(&index);
                if same_schema && state.schema == SCHEMA_VERSION {
                    Some(index)
                } else {
                    None
                }
            }
            Err(_) => None,
        };
        let index = match usable {
            Some(i) => i,
            None => {
                // Derived data: start again from an empty folder.
                std::fs::remove_dir_all(dir).map_err(io)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                Index::create_in_dir(dir, fields.schema.clone()).map_err(|source| {
                    SearchError::Index {
                        path: dir.to_path_buf(),
                        source,
                    }
                })?
            }
        };
        let mut index = index;
        index.tokenizers().register(
            TOKENIZER,
            TextAnalyzer::from(analysis::FoldedTokenizer::default()),
        );
        index.tokenizers().register(
            analysis::STEM_TOKENIZER,
            TextAnalyzer::from(analysis::LangStemTokenizer::default()),
        );
        // Segments are searched in parallel (one thread per core, at most 4).
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if threads > 1 {
            let _ = index.set_multithread_executor(threads);
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|source| SearchError::Index {
                path: dir.to_path_buf(),
                source,
            })?;
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            analyzers: Mutex::new(Analyzers::new()),
        })
    }

    fn terr(&self, source: tantivy::TantivyError) -> SearchError {
        SearchError::Index {
            path: self.dir.clone(),
            source,
        }
    }

    /// Empties the index and indexes the whole store again.
    pub fn rebuild<S: IndexSource + ?Sized>(
        &self,
        store: &S,
        fw: &Frameworks,
    ) -> Result<SyncReport> {
        let mut writer = self
            .index
            .writer::<TantivyDocument>(WRITER_BUDGET)
            .map_err(|e| self.terr(e))?;
        writer.delete_all_documents().map_err(|e| self.terr(e))?;
        let mut prepared = writer.prepare_commit().map_err(|e| self.terr(e))?;
        let empty = State {
            schema: SCHEMA_VERSION,
            ..State::default()
        };
        prepared.set_payload(&serde_json::to_string(&empty).unwrap_or_default());
        prepared.commit().map_err(|e| self.terr(e))?;
        drop(writer);
        let mut r = self.sync(store, fw)?;
        r.rebuilt = true;
        Ok(r)
    }

    /// Brings the index up to date with the store (see the crate docs).
    pub fn sync<S: IndexSource + ?Sized>(&self, store: &S, fw: &Frameworks) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let mut state = read_state(&self.index);
        let before = state.clone();
        let max_seq = store.max_message_seq()?;
        if state.schema != SCHEMA_VERSION || state.message_seq > max_seq {
            // Written by another schema, or the store was replaced: start over.
            return self.rebuild(store, fw);
        }
        let generation = store.generation()?;
        let org_digest = digest(&[
            &serde_json::to_string(&fw.organizations).unwrap_or_default(),
            &fw.countries.len().to_string(),
        ]);
        if generation == state.store_generation
            && state.message_seq == max_seq
            && org_digest == state.organizations
        {
            return Ok(report); // nothing changed since the last sync
        }
        // What documents depend on.
        let people = load_people(store)?;
        let thread_tags = store.tags_by_target(plenary_store::TagKind::Thread)?;
        let session_tags = store.tags_by_target(plenary_store::TagKind::Session)?;
        let sessions = store.sessions()?;
        let speaker_links = store.speaker_people()?;
        let recon_digests: BTreeMap<String, String> =
            store.reconstructed_digests()?.into_iter().collect();
        let people_sig: BTreeMap<String, String> = people
            .iter()
            .map(|(id, p)| (id.clone(), p.signature()))
            .collect();
        let people_digest = {
            let mut parts: Vec<String> = Vec::with_capacity(people.len());
            let mut ids: Vec<&String> = people.keys().collect();
            ids.sort();
            for id in ids {
                if let Some(p) = people.get(id) {
                    parts.push(format!(
                        "{id}|{}|{}|{}|{}",
                        p.name,
                        p.names.join(";"),
                        p.addresses.join(";"),
                        p.signature()
                    ));
                }
            }
            digest(&parts.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let sessions_digest = rows_digest(
            &sessions,
            session_tags.iter().map(|(k, v)| format!("{k}:{v:?}")),
            &people_digest,
        );

        let cx = Context {
            fields: &self.fields,
            people: &people,
            thread_tags: &thread_tags,
            frameworks: fw,
        };
        let f = &self.fields;
        let mut writer = self
            .index
            .writer::<TantivyDocument>(WRITER_BUDGET)
            .map_err(|e| self.terr(e))?;
        let key = |kind: &str, id: &str| Term::from_field_text(f.key, &format!("{kind}:{id}"));

        // Messages whose author's affiliation or whose thread's tags changed:
        // their documents are rewritten.
        let old_side = self.read_side(state.side_gen);
        let thread_sig: BTreeMap<String, String> = thread_tags
            .iter()
            .map(|(t, tags)| {
                let mut v: Vec<String> = tags.iter().map(|(f, c)| format!("{f}/{c}")).collect();
                v.sort();
                (t.clone(), v.join(";"))
            })
            .collect();
        let mut new_side = Side {
            people: people_sig,
            threads: thread_sig,
            ..Side::default()
        };
        let changed = |old: &BTreeMap<String, String>, new: &BTreeMap<String, String>| {
            let mut out: HashSet<String> = HashSet::new();
            for (id, sig) in old {
                if new.get(id) != Some(sig) {
                    out.insert(id.clone());
                }
            }
            for (id, sig) in new {
                if old.get(id) != Some(sig) {
                    out.insert(id.clone());
                }
            }
            out
        };
        let (changed_people, changed_threads) = if state.message_seq > 0 {
            (
                changed(&old_side.people, &new_side.people),
                changed(&old_side.threads, &new_side.threads),
            )
        } else {
            (HashSet::new(), HashSet::new())
        };
        if !changed_people.is_empty() || !changed_threads.is_empty() {
            let searcher = self.reader.searcher();
            let mut ids: HashSet<String> = HashSet::new();
            for pid in &changed_people {
                for id in store.message_ids_of_person(pid)? {
                    ids.insert(id);
                }
                let q = TermQuery::new(
                    Term::from_field_text(f.person, pid),
                    IndexRecordOption::Basic,
                );
                let found = searcher
                    .search(&q, &DocSetCollector)
                    .map_err(|e| self.terr(e))?;
                for addr in found {
                    let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.terr(e))?;
                    if first_str(&doc, f.kind) == "message" {
                        ids.insert(first_str(&doc, f.id));
                    }
                }
            }
            for t in &changed_threads {
                for id in store.message_ids_of_thread(t)? {
                    ids.insert(id);
                }
            }
            let mut ids: Vec<String> = ids.into_iter().collect();
            ids.sort();
            for chunk in ids.chunks(CHUNK) {
                for m in store.messages_by_id(chunk)? {
                    if m.seq > state.message_seq {
                        continue; // indexed below with the new ones
                    }
                    writer.delete_term(key("message", &m.id));
                    writer
                        .add_document(docs::message(&cx, &m))
                        .map_err(|e| self.terr(e))?;
                    report.refreshed_messages += 1;
                }
            }
        }

        // New messages.
        let mut after = state.message_seq;
        loop {
            let batch = store.messages_after(after, CHUNK)?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for m in &batch {
                // Documents of an interrupted sync were never committed, so
                // a message after the watermark is not in the index yet.
                writer
                    .add_document(docs::message(&cx, m))
                    .map_err(|e| self.terr(e))?;
                report.messages += 1;
            }
        }
        state.message_seq = after.max(state.message_seq);

        // Reconstructed messages, per list whose rows (or people, or tags) changed: the
        // documents whose digest changed are written again, those of rows gone removed.
        let people_changed = !changed_people.is_empty() || !changed_threads.is_empty();
        let lists: std::collections::BTreeSet<&String> = recon_digests
            .keys()
            .chain(state.reconstructed.keys())
            .collect();
        for list in lists {
            let old_rows = old_side.reconstructed.get(list);
            if recon_digests.get(list) == state.reconstructed.get(list) && !people_changed {
                if let Some(rows) = old_rows {
                    new_side.reconstructed.insert(list.clone(), rows.clone());
                }
                continue;
            }
            let list_key = format!("reconstructed-list:{list}");
            if old_rows.is_none() {
                writer.delete_term(Term::from_field_text(f.key, &list_key));
            }
            let mut rows_now: BTreeMap<String, String> = BTreeMap::new();
            for r in store.reconstructed_of_list(list)? {
                let d = reconstructed_doc_digest(&cx, &r);
                let same = old_rows.is_some_and(|old| old.get(&r.id) == Some(&d));
                if !same {
                    if old_rows.is_some() {
                        writer.delete_term(key("reconstructed", &r.id));
                    }
                    let mut doc = docs::reconstructed(&cx, &r);
                    doc.add_text(f.key, list_key.clone());
                    writer.add_document(doc).map_err(|e| self.terr(e))?;
                    report.reconstructed += 1;
                }
                rows_now.insert(r.id, d);
            }
            for id in old_rows.into_iter().flat_map(BTreeMap::keys) {
                if !rows_now.contains_key(id) {
                    writer.delete_term(key("reconstructed", id));
                }
            }
            if !rows_now.is_empty() {
                new_side.reconstructed.insert(list.clone(), rows_now);
            }
        }
        state.reconstructed = recon_digests;

        // Sessions.
        if state.sessions != sessions_digest {
            writer.delete_term(Term::from_field_text(f.kind, "session"));
            for s in &sessions {
                let id = s.id();
                let tags = session_tags.get(&id).cloned().unwrap_or_default();
                let speaker_people: Vec<Option<String>> = (0..s.speakers.len())
                    .map(|i| speaker_links.get(&format!("{id}#{i}")).cloned())
                    .collect();
                writer
                    .add_document(docs::session(&cx, s, &tags, &speaker_people))
                    .map_err(|e| self.terr(e))?;
                report.sessions += 1;
            }
            state.sessions = sessions_digest;
        }

        // Transcript turns.
        let transcripts = store.transcripts()?;
        let turn_people = store.turn_people()?;
        let transcripts_digest = rows_digest(
            &transcripts,
            turn_people.iter().map(|(k, v)| format!("{k}={v}")),
            &state.sessions,
        );
        if state.transcripts != transcripts_digest {
            writer.delete_term(Term::from_field_text(f.kind, "turn"));
            let by_id: HashMap<String, &plenary_agenda::Session> =
                sessions.iter().map(|s| (s.id(), s)).collect();
            for t in &transcripts {
                let session = t.session_id.as_ref().and_then(|id| by_id.get(id).copied());
                for n in 0..t.transcript.turns.len() {
                    let person = turn_people
                        .get(&format!("{}#{n}", t.id))
                        .map(String::as_str);
                    if let Some(doc) = docs::turn(&cx, t, n, person, session) {
                        writer.add_document(doc).map_err(|e| self.terr(e))?;
                        report.turns += 1;
                    }
                }
            }
            state.transcripts = transcripts_digest;
        }

        // People: the documents whose digest changed are written again.
        if state.people != people_digest {
            let docs_now: BTreeMap<String, String> = people
                .iter()
                .map(|(id, p)| (id.clone(), person_doc_digest(p)))
                .collect();
            let whole = old_side.person_docs.is_empty();
            if whole {
                writer.delete_term(Term::from_field_text(f.kind, "person"));
            } else {
                for id in old_side.person_docs.keys() {
                    if !docs_now.contains_key(id) {
                        writer.delete_term(key("person", id));
                    }
                }
            }
            for (id, p) in &people {
                if !whole && old_side.person_docs.get(id) == docs_now.get(id) {
                    continue;
                }
                if !whole {
                    writer.delete_term(key("person", id));
                }
                writer
                    .add_document(docs::person(&cx, p))
                    .map_err(|e| self.terr(e))?;
                report.people += 1;
            }
            new_side.person_docs = docs_now;
            state.people = people_digest;
        } else {
            new_side.person_docs = old_side.person_docs.clone();
        }

        // Organisations (the curated table).
        if state.organizations != org_digest {
            writer.delete_term(Term::from_field_text(f.kind, "organization"));
            for o in &fw.organizations {
                writer
                    .add_document(docs::organization(&cx, o))
                    .map_err(|e| self.terr(e))?;
                report.organizations += 1;
            }
            state.organizations = org_digest;
        }

        if state == before && !report.changed() && report.organizations == 0 && old_side == new_side
        {
            // Nothing to write, but remember the store's generation so the
            // next sync can stop at the fast path.
            if generation == state.store_generation {
                return Ok(report); // the writer rolls back
            }
        }
        state.store_generation = generation;
        // The side file of the new generation is written before the commit
        // that names it, and the old one removed after.
        let old_gen = state.side_gen;
        state.side_gen += 1;
        self.write_side(state.side_gen, &new_side)?;
        state.schema = SCHEMA_VERSION;
        let mut prepared = writer.prepare_commit().map_err(|e| self.terr(e))?;
        prepared.set_payload(&serde_json::to_string(&state).unwrap_or_default());
        prepared.commit().map_err(|e| self.terr(e))?;
        drop(writer);
        let _ = std::fs::remove_file(self.side_path(old_gen));
        self.reader.reload().map_err(|e| self.terr(e))?;
        Ok(report)
    }

    fn side_path(&self, generation: u64) -> PathBuf {
        self.dir.join(format!("side-{generation}.json"))
    }

    fn read_side(&self, generation: u64) -> Side {
        std::fs::read(self.side_path(generation))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn write_side(&self, generation: u64, side: &Side) -> Result<()> {
        let path = self.side_path(generation);
        let bytes = serde_json::to_vec(side).unwrap_or_default();
        std::fs::write(&path, bytes).map_err(|source| SearchError::Io { path, source })
    }

    /// How many documents are searchable.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs one search.
    pub fn search(&self, req: &SearchRequest, fw: &Frameworks) -> Result<SearchResults> {
        let mut an = self
            .analyzers
            .lock()
            .map(|a| a.clone())
            .unwrap_or_else(|p| p.into_inner().clone());
        let compiled = query::compile(&req.query, &self.fields, &mut an, fw)?;
        let searcher = self.reader.searcher();
        let limit = req.limit.clamp(1, 1000);
        let top = TopDocs::with_limit(limit).and_offset(req.offset.min(100_000));
        let mut facets = FacetCollector::for_field("facet");
        for root in FACETS {
            facets.add_facet(format!("/{root}").as_str());
        }
        let facets = req.facets.then_some(facets);
        let (addrs, total, counts): (Vec<(f32, DocAddress)>, usize, _) = match req.sort {
            Sort::Relevance => searcher
                .search(&compiled.query, &(top.order_by_score(), Count, facets))
                .map_err(|e| self.terr(e))?,
            Sort::Date => {
                // By the `date` field: a local time of unknown offset ranks at
                // its wall-clock reading counted as UTC, so against instants it
                // may be out of place by the writer's offset (at most 14 h);
                // such hits say so (`date_exact: false`, a date without `Z`).
                let (hits, total, counts) = searcher
                    .search(
                        &compiled.query,
                        &(
                            top.order_by_fast_field::<i64>("date", Order::Desc),
                            Count,
                            facets,
                        ),
                    )
                    .map_err(|e| self.terr(e))?;
                (
                    hits.into_iter().map(|(_, a)| (0.0, a)).collect(),
                    total,
                    counts,
                )
            }
        };
        let f = &self.fields;
        let mut hits = Vec::with_capacity(addrs.len());
        for (score, addr) in addrs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.terr(e))?;
            let kind = first_str(&doc, f.kind);
            let id = first_str(&doc, f.id);
            let title = first_str(&doc, f.title);
            let lang = Lang::from_code(&first_str(&doc, f.lang));
            let body = first_str(&doc, f.body);
            let quoted = first_str(&doc, f.quoted);
            let date_exact = doc
                .get_first(f.local_time)
                .and_then(|v| v.as_u64())
                .is_none_or(|v| v == 0);
            let date = doc
                .get_first(f.date)
                .and_then(|v| v.as_i64())
                .and_then(|s| jiff::Timestamp::from_second(s).ok())
                .map(|t| {
                    if date_exact {
                        t.to_string()
                    } else {
                        t.strftime("%Y-%m-%dT%H:%M:%S").to_string()
                    }
                });
            let order: [&str; 3] = if compiled.wants_quoted {
                [&quoted, &body, &title]
            } else {
                [&body, &title, &quoted]
            };
            let snippet = if compiled.highlight.is_empty() {
                None
            } else {
                order
                    .iter()
                    .find_map(|t| analysis::snippet(&mut an, lang, t, &compiled.highlight, 240))
            }
            .unwrap_or_else(|| analysis::head(if body.is_empty() { &title } else { &body }, 200));
            let list = doc
                .get_first(f.list)
                .and_then(|v| v.as_str())
                .map(String::from);
            let thread = doc
                .get_first(f.thread)
                .and_then(|v| v.as_str())
                .map(String::from);
            let author = doc
                .get_first(f.author)
                .and_then(|v| v.as_str())
                .map(|name| HitAuthor {
                    name: name.to_string(),
                    person: doc
                        .get_first(f.person)
                        .and_then(|v| v.as_str())
                        .map(String::from),
                });
            hits.push(Hit {
                url: url_of(&kind, &id),
                kind,
                id,
                title,
                date,
                date_exact,
                author,
                snippet,
                list,
                thread,
                score,
            });
        }
        let mut out_facets = BTreeMap::new();
        for root in FACETS {
            let Some(counts) = &counts else { break };
            let mut values: Vec<FacetCount> = counts
                .get(format!("/{root}").as_str())
                .map(|(facet, count)| FacetCount {
                    value: facet
                        .to_path()
                        .last()
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    count,
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            if root == "year" {
                values.sort_by(|a, b| b.value.cmp(&a.value));
            }
            out_facets.insert(root.to_string(), values);
        }
        Ok(SearchResults {
            total: total as u64,
            hits,
            facets: out_facets,
        })
    }
}

/// The page of a document.
pub fn url_of(kind: &str, id: &str) -> String {
    // Unreserved characters, `@` and `+` kept (the site's own links escape `+`; both
    // forms reach the same page).
    const ID: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'@')
        .remove(b'+');
    let enc = |s: &str| utf8_percent_encode(s, ID).to_string();
    match kind {
        "message" | "reconstructed" => format!("/messages/{}", enc(id)),
        "session" => format!("/sessions/{}", enc(id)),
        "turn" => match id.rsplit_once('#') {
            Some((t, n)) => format!("/transcripts/{}#turn-{n}", enc(t)),
            None => format!("/transcripts/{}", enc(id)),
        },
        "person" => format!("/people/{}", enc(id)),
        "organization" => format!("/organizations/{}", enc(id)),
        _ => "/".to_string(),
    }
}

/// A digest of stored rows (as JSON), the entries of a map they depend on (sorted, so
/// the map's order does not matter) and the digest of what they depend on beyond that.
fn rows_digest<T: Serialize>(
    rows: &[T],
    entries: impl Iterator<Item = String>,
    depends_on: &str,
) -> String {
    let mut parts: Vec<String> = rows
        .iter()
        .map(|r| serde_json::to_string(r).unwrap_or_default())
        .collect();
    let mut entries: Vec<String> = entries.collect();
    entries.sort();
    parts.extend(entries);
    parts.push(depends_on.to_string());
    digest(&parts.iter().map(String::as_str).collect::<Vec<_>>())
}

fn first_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn read_state(index: &Index) -> State {
    index
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str(&p).ok())
        .unwrap_or_default()
}

fn load_people<S: IndexSource + ?Sized>(store: &S) -> Result<HashMap<String, PersonInfo>> {
    Ok(store
        .people()?
        .into_iter()
        .map(|p| (p.id.clone(), PersonInfo::from(p)))
        .collect())
}

#[cfg(test)]
mod digests {
    /// Digests are stored in the index's payload: the hash must not move.
    #[test]
    fn digest_is_pinned() {
        assert_eq!(super::digest(&["abc", "def"]), "52367d33a0add274");
    }
}

#[cfg(test)]
mod urls {
    #[test]
    fn url_of_keeps_at_and_plus() {
        assert_eq!(
            super::url_of("message", "a/b+c d@x.org"),
            "/messages/a%2Fb+c%20d@x.org"
        );
        assert_eq!(super::url_of("person", "ünï~"), "/people/%C3%BCn%C3%AF~");
        assert_eq!(super::url_of("thread", "x"), "/");
    }
}
