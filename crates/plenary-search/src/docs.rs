//! Store rows into index documents.

use std::collections::{BTreeSet, HashMap};

use plenary_agenda::Session;
use plenary_frameworks::Frameworks;
use plenary_store::{IndexMessage, IndexReconstructed};
use tantivy::schema::Facet;
use tantivy::TantivyDocument;

use crate::analysis::{detect, with_lang, Lang};
use crate::schema::Fields;

/// What the index needs of a person (a subset of the stored person).
#[derive(Debug, Clone)]
pub(crate) struct PersonInfo {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub addresses: Vec<String>,
    pub affiliations: Vec<AffiliationInfo>,
}

#[derive(Debug, Clone)]
pub(crate) struct AffiliationInfo {
    pub organization: Option<String>,
    pub stakeholder_group: Option<String>,
    pub regional_group: Option<String>,
}

impl From<plenary_store::PersonRecord> for PersonInfo {
    fn from(p: plenary_store::PersonRecord) -> PersonInfo {
        PersonInfo {
            id: p.id,
            name: p.name,
            names: p.names,
            addresses: p.addresses,
            affiliations: p
                .affiliations
                .into_iter()
                .map(|a| AffiliationInfo {
                    organization: a.organization,
                    stakeholder_group: a.stakeholder_group,
                    regional_group: a.regional_group,
                })
                .collect(),
        }
    }
}

impl PersonInfo {
    fn orgs(&self) -> BTreeSet<&str> {
        self.affiliations
            .iter()
            .filter_map(|a| a.organization.as_deref())
            .collect()
    }

    fn group(&self) -> Option<&str> {
        self.affiliations
            .iter()
            .find_map(|a| a.stakeholder_group.as_deref())
    }

    fn region(&self) -> Option<&str> {
        self.affiliations
            .iter()
            .find_map(|a| a.regional_group.as_deref())
    }

    /// What of the person shows in their messages' documents: when it
    /// changes, those documents are rewritten.
    pub(crate) fn signature(&self) -> String {
        format!(
            "{}|{}|{}",
            self.orgs().into_iter().collect::<Vec<_>>().join(";"),
            self.group().unwrap_or(""),
            self.region().unwrap_or("")
        )
    }
}

/// Everything a document builder looks up besides its own row.
pub(crate) struct Context<'a> {
    pub fields: &'a Fields,
    pub people: &'a HashMap<String, PersonInfo>,
    pub thread_tags: &'a HashMap<String, Vec<(String, String)>>,
    pub frameworks: &'a Frameworks,
}

/// Facet root of a framework's tags (`None`: not a search facet).
pub(crate) fn facet_root(framework: &str) -> Option<&'static str> {
    Some(match framework {
        plenary_frameworks::ACTION_LINES => "actionline",
        plenary_frameworks::SDGS => "sdg",
        plenary_frameworks::GDC => "gdc",
        plenary_frameworks::TOPICS => "topic",
        plenary_frameworks::IGF_SUBTHEMES => "subtheme",
        _ => return None,
    })
}

struct Builder<'a, 'b> {
    doc: TantivyDocument,
    cx: &'b Context<'a>,
    facets: BTreeSet<(String, String)>,
}

impl<'a, 'b> Builder<'a, 'b> {
    fn new(cx: &'b Context<'a>, kind: &str, id: &str) -> Self {
        let f = cx.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, format!("{kind}:{id}"));
        doc.add_text(f.kind, kind);
        doc.add_text(f.id, id);
        let mut facets = BTreeSet::new();
        facets.insert(("kind".to_string(), kind.to_string()));
        Builder { doc, cx, facets }
    }

    fn text(&mut self, field: tantivy::schema::Field, text: &str) {
        if text.is_empty() {
            return;
        }
        // tokenized by the field's registered tokenizer (analysis::FoldedTokenizer)
        self.doc.add_text(field, text);
    }

    fn stemmed(&mut self, field: tantivy::schema::Field, lang: Lang, text: &str) {
        if text.is_empty() {
            return;
        }
        // tokenized by analysis::LangStemTokenizer in the document's language
        self.doc.add_text(field, with_lang(lang, text));
    }

    /// A session's start (RFC 3339, or a local date-time without offset).
    fn date_of_start(&mut self, start: Option<&str>) {
        if let Some((secs, exact)) = start.and_then(agenda_time) {
            self.date(Some(secs), exact);
        }
    }

    /// `exact`: whether `date` is a UTC instant; otherwise it is a local
    /// wall-clock time counted as UTC, marked `local_time`.
    fn date(&mut self, date: Option<i64>, exact: bool) {
        if let Some(d) = date {
            self.doc.add_i64(self.cx.fields.date, d);
            if !exact {
                self.doc.add_u64(self.cx.fields.local_time, 1);
            }
            if let Ok(ts) = jiff::Timestamp::from_second(d) {
                let y = ts.to_zoned(jiff::tz::TimeZone::UTC).year();
                self.facets.insert(("year".into(), y.to_string()));
            }
        }
    }

    fn facet(&mut self, root: &str, value: &str) {
        let v = value.trim();
        if !v.is_empty() {
            self.facets.insert((root.to_string(), v.to_string()));
        }
    }

    fn tags(&mut self, tags: &[(String, String)]) {
        for (fw, code) in tags {
            if let Some(root) = facet_root(fw) {
                self.facet(root, code);
            }
        }
    }

    fn person(&mut self, person: Option<&str>) {
        let Some(pid) = person else { return };
        self.doc.add_text(self.cx.fields.person, pid);
        let Some(p) = self.cx.people.get(pid) else {
            return;
        };
        let orgs = p.orgs().into_iter().collect::<Vec<_>>().join("\n");
        self.text(self.cx.fields.org, &orgs);
        if let Some(g) = p.group() {
            self.facet("group", g);
        }
        if let Some(r) = p.region() {
            self.facet("region", r);
        }
    }

    fn finish(mut self) -> TantivyDocument {
        for (root, v) in &self.facets {
            self.doc.add_facet(
                self.cx.fields.facet,
                Facet::from_path([root.as_str(), v.as_str()]),
            );
        }
        self.doc
    }
}

fn lang_of(an_text: &[&str]) -> Lang {
    // only what detection reads (a long body is not copied whole)
    const SAMPLE: usize = 1200;
    let mut sample = String::with_capacity(SAMPLE + 8);
    for t in an_text {
        let room = SAMPLE.saturating_sub(sample.len());
        if room == 0 {
            break;
        }
        let mut end = t.len().min(room);
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        sample.push_str(&t[..end]);
        sample.push('\n');
    }
    detect(&sample)
}

pub(crate) fn message(cx: &Context<'_>, m: &IndexMessage) -> TantivyDocument {
    let f = cx.fields;
    let mut b = Builder::new(cx, "message", &m.id);
    let lang = lang_of(&[&m.new_text, &m.subject]);
    b.doc.add_text(f.lang, lang.code());
    b.doc.add_text(f.list, &m.list);
    if let Some(t) = &m.thread_id {
        b.doc.add_text(f.thread, t);
        if let Some(tags) = cx.thread_tags.get(t) {
            b.tags(tags);
        }
    }
    b.facet("list", &m.list);
    b.date(m.date, true);
    b.text(f.title, &m.subject);
    b.stemmed(f.title_stem, lang, &m.subject);
    b.text(f.body, &m.new_text);
    b.stemmed(f.body_stem, lang, &m.new_text);
    b.text(f.quoted, &m.quoted_text);
    let from = [m.author_name.as_deref(), m.author_address.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    b.text(f.from, &from);
    if let Some(a) = m.author_name.as_deref().or(m.author_address.as_deref()) {
        b.doc.add_text(f.author, a);
    }
    b.text(f.to, &m.recipients);
    b.tags(&m.tags);
    b.person(m.person.as_deref());
    b.finish()
}

pub(crate) fn reconstructed(cx: &Context<'_>, r: &IndexReconstructed) -> TantivyDocument {
    let f = cx.fields;
    let mut b = Builder::new(cx, "reconstructed", &r.id);
    let lang = lang_of(&[&r.text, &r.subject]);
    b.doc.add_text(f.lang, lang.code());
    b.doc.add_text(f.list, &r.list);
    if let Some(t) = &r.thread_id {
        b.doc.add_text(f.thread, t);
        if let Some(tags) = cx.thread_tags.get(t) {
            b.tags(tags);
        }
    }
    b.facet("list", &r.list);
    b.date(r.date, r.date_exact);
    b.text(f.title, &r.subject);
    b.stemmed(f.title_stem, lang, &r.subject);
    b.text(f.body, &r.text);
    b.stemmed(f.body_stem, lang, &r.text);
    let from = [r.author_name.as_deref(), r.author_address.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    b.text(f.from, &from);
    if let Some(a) = r.author_name.as_deref().or(r.author_address.as_deref()) {
        b.doc.add_text(f.author, a);
    }
    b.person(r.person.as_deref());
    b.finish()
}

/// Seconds since the epoch of an agenda time (`2025-07-10T10:00:00+02:00`,
/// or a floating `2025-07-10T10:00`, read as UTC).
/// A session start's seconds and whether they are a UTC instant: a start
/// the page gave without an offset is a local time, counted as UTC.
pub(crate) fn agenda_time(s: &str) -> Option<(i64, bool)> {
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some((ts.as_second(), true));
    }
    let dt = s.parse::<jiff::civil::DateTime>().ok()?;
    dt.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| (z.timestamp().as_second(), false))
}

pub(crate) fn session(
    cx: &Context<'_>,
    s: &Session,
    tags: &[(String, String)],
    speaker_people: &[Option<String>],
) -> TantivyDocument {
    let f = cx.fields;
    let id = s.id();
    let mut b = Builder::new(cx, "session", &id);
    let mut body = s.description.clone();
    for q in &s.guiding_questions {
        body.push_str("\n\n");
        body.push_str(q);
    }
    for d in &s.documents {
        if let Some(t) = &d.title {
            body.push_str("\n\n");
            body.push_str(t);
        }
    }
    let lang = lang_of(&[&s.title, &body]);
    b.doc.add_text(f.lang, lang.code());
    b.text(f.title, &s.title);
    b.stemmed(f.title_stem, lang, &s.title);
    b.text(f.body, &body);
    b.stemmed(f.body_stem, lang, &body);
    let mut speakers = String::new();
    let mut orgs: BTreeSet<String> = s.organizers.iter().cloned().collect();
    for (i, sp) in s.speakers.iter().enumerate() {
        speakers.push_str(&sp.name);
        speakers.push('\n');
        if let Some(o) = &sp.organization {
            orgs.insert(o.clone());
        }
        if let Some(g) = sp
            .stakeholder_group
            .as_deref()
            .and_then(|g| cx.frameworks.stakeholder_group(g))
        {
            b.facet("group", &g.id);
        }
        if let Some(r) = sp
            .regional_group
            .as_deref()
            .and_then(|r| cx.frameworks.regional_group(r))
        {
            b.facet("region", &r.id);
        }
        if let Some(Some(pid)) = speaker_people.get(i) {
            if let Some(p) = cx.people.get(pid) {
                if let Some(g) = p.group() {
                    b.facet("group", g);
                }
                if let Some(r) = p.region() {
                    b.facet("region", r);
                }
                for n in &p.names {
                    speakers.push_str(n);
                    speakers.push('\n');
                }
                for a in &p.addresses {
                    speakers.push_str(a);
                    speakers.push('\n');
                }
            }
            b.doc.add_text(f.person, pid);
        }
    }
    b.text(f.speaker, &speakers);
    b.text(f.org, &orgs.into_iter().collect::<Vec<_>>().join("\n"));
    b.text(f.session, &format!("{id} {} {}", s.event, s.number));
    b.date_of_start(s.start.as_deref());
    b.facet("event", &s.event);
    b.tags(tags);
    b.finish()
}

pub(crate) fn person(cx: &Context<'_>, p: &PersonInfo) -> TantivyDocument {
    let f = cx.fields;
    let mut b = Builder::new(cx, "person", &p.id);
    b.doc.add_text(f.lang, Lang::Other.code());
    b.text(f.title, &p.name);
    let mut names = p.names.join("\n");
    for a in &p.addresses {
        names.push('\n');
        names.push_str(a);
    }
    b.text(f.from, &names);
    b.text(f.speaker, &names);
    let orgs = p.orgs().into_iter().collect::<Vec<_>>().join("\n");
    b.text(f.body, &orgs);
    b.person(Some(&p.id));
    b.finish()
}

pub(crate) fn organization(
    cx: &Context<'_>,
    o: &plenary_frameworks::Organization,
) -> TantivyDocument {
    let f = cx.fields;
    let mut b = Builder::new(cx, "organization", &o.id);
    b.doc.add_text(f.lang, Lang::En.code());
    b.text(f.title, &o.name);
    b.stemmed(f.title_stem, Lang::En, &o.name);
    let mut names = o.name.clone();
    for a in &o.aliases {
        names.push('\n');
        names.push_str(a);
    }
    for d in &o.domains {
        names.push('\n');
        names.push_str(d);
    }
    b.text(f.org, &names);
    let mut body = o.aliases.join("\n");
    if !o.note.is_empty() {
        body.push('\n');
        body.push_str(&o.note);
    }
    b.text(f.body, &body);
    b.stemmed(f.body_stem, Lang::En, &body);
    b.facet("group", &o.stakeholder_group);
    if let Some(c) = cx.frameworks.country(&o.country) {
        b.facet("region", &c.un_regional_group);
    }
    b.finish()
}

/// One turn of a transcript: what was said (body), who said it as written and as the
/// person linked (`speaker:`), and the session (`session:`: its id, event and number,
/// and the transcript's id).
pub(crate) fn turn(
    cx: &Context<'_>,
    t: &plenary_store::StoredTranscript,
    n: usize,
    person: Option<&str>,
    session: Option<&Session>,
) -> Option<TantivyDocument> {
    let f = cx.fields;
    let turn = t.transcript.turns.get(n)?;
    let mut b = Builder::new(cx, "turn", &format!("{}#{n}", t.id));
    let lang = lang_of(&[&turn.text]);
    b.doc.add_text(f.lang, lang.code());
    let who = turn.speaker.as_deref().unwrap_or("(unnamed)");
    let title = match session {
        Some(s) => format!("{who} in {}", s.title),
        None => format!("{who} in {}", t.transcript.title),
    };
    b.text(f.title, &title);
    b.text(f.body, &turn.text);
    b.stemmed(f.body_stem, lang, &turn.text);
    let mut speakers = who.to_string();
    if let Some(p) = person.and_then(|p| cx.people.get(p)) {
        for name in &p.names {
            speakers.push('\n');
            speakers.push_str(name);
        }
    }
    b.text(f.speaker, &speakers);
    b.person(person);
    let mut sess = t.id.clone();
    if let Some(s) = session {
        sess = format!("{} {} {} {}", s.id(), s.event, s.number, t.id);
        b.date_of_start(s.start.as_deref());
        b.facet("event", &s.event);
    } else if let Some(e) = &t.transcript.event {
        b.facet("event", e);
    }
    b.text(f.session, &sess);
    Some(b.finish())
}
