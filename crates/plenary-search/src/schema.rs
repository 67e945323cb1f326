//! The index schema: one document per message, reconstructed message,
//! session, person and organisation.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};

/// Bumped whenever the schema or the analysis changes: an index written
/// with another version is rebuilt on open.
pub(crate) const SCHEMA_VERSION: u32 = 4;

/// The name under which the folded analyzer is registered.
pub(crate) const TOKENIZER: &str = "plenary";

/// Text fields a query can address. Each has a folded field (positions) and,
/// for the prose fields, a stemmed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextField {
    Title,
    Body,
    Quoted,
    From,
    To,
    Speaker,
    Org,
    Session,
}

#[derive(Clone)]
pub(crate) struct Fields {
    pub schema: Schema,
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub list: Field,
    pub thread: Field,
    pub person: Field,
    pub lang: Field,
    /// Who wrote a message (name, else address), for hits.
    pub author: Field,
    /// Seconds of the document's time. For a time read without a UTC offset
    /// (an attribution's, a session's local start) the wall clock counted as
    /// UTC, so a `date:` day filter matches the day as written.
    pub date: Field,
    /// Stored 1 when `date` is such a local time (offset unknown).
    pub local_time: Field,
    pub facet: Field,
    pub title: Field,
    pub title_stem: Field,
    pub body: Field,
    pub body_stem: Field,
    pub quoted: Field,
    pub from: Field,
    pub to: Field,
    pub speaker: Field,
    pub org: Field,
    pub session: Field,
}

impl Fields {
    pub(crate) fn new() -> Fields {
        let mut b = Schema::builder();
        let positions = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let freqs = TextFieldIndexing::default()
            .set_tokenizer(crate::analysis::STEM_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let stored_text = TextOptions::default()
            .set_indexing_options(positions.clone())
            .set_stored();
        let text = TextOptions::default().set_indexing_options(positions);
        let stem = TextOptions::default().set_indexing_options(freqs);
        let key = b.add_text_field("key", STRING);
        let kind = b.add_text_field("kind", STRING | STORED);
        let id = b.add_text_field("id", STORED);
        let list = b.add_text_field("list", STRING | STORED);
        let thread = b.add_text_field("thread", STORED);
        let person = b.add_text_field("person", STRING | STORED);
        let lang = b.add_text_field("lang", STORED);
        let author = b.add_text_field("author", STORED);
        let date = b.add_i64_field(
            "date",
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        );
        let local_time = b.add_u64_field("local_time", STORED);
        let facet = b.add_facet_field("facet", FacetOptions::default());
        let title = b.add_text_field("title", stored_text.clone());
        let title_stem = b.add_text_field("title_stem", stem.clone());
        let body = b.add_text_field("body", stored_text.clone());
        let body_stem = b.add_text_field("body_stem", stem);
        let quoted = b.add_text_field("quoted", stored_text);
        let from = b.add_text_field("from", text.clone());
        let to = b.add_text_field("to", text.clone());
        let speaker = b.add_text_field("speaker", text.clone());
        let org = b.add_text_field("org", text.clone());
        let session = b.add_text_field("session", text);
        Fields {
            schema: b.build(),
            key,
            kind,
            id,
            list,
            thread,
            person,
            lang,
            author,
            date,
            local_time,
            facet,
            title,
            title_stem,
            body,
            body_stem,
            quoted,
            from,
            to,
            speaker,
            org,
            session,
        }
    }

    /// The folded field and, where there is one, the stemmed field.
    pub(crate) fn of(&self, f: TextField) -> (Field, Option<Field>) {
        match f {
            TextField::Title => (self.title, Some(self.title_stem)),
            TextField::Body => (self.body, Some(self.body_stem)),
            TextField::Quoted => (self.quoted, None),
            TextField::From => (self.from, None),
            TextField::To => (self.to, None),
            TextField::Speaker => (self.speaker, None),
            TextField::Org => (self.org, None),
            TextField::Session => (self.session, None),
        }
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}
