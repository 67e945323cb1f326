//! Identity resolution over the whole store (after each import, and after a curator's
//! edit): sightings of people in messages, quotes, reconstructed messages and session
//! speakers become people with affiliations; links from what they wrote or said are
//! stored. Also balance and reply-network inputs, and the evaluations of identity
//! resolution.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use plenary_frameworks::Frameworks;
use plenary_people::balance::{self, Contribution, Dimension};
use plenary_people::eval::{pairwise, PeopleEval};
use plenary_people::{
    affiliations, resolve, Affiliation, Curated, MergeOut, Observation, PersonRecord, SessionRole,
    Source, Speaker,
};
use plenary_store::{
    AuthorRow, MessageSighting, PeopleResolution, QuotedSighting, Store, Zone, ZoneKind,
};
use serde::Deserialize;

use crate::error::Result;

/// Text of the zones of `kind` belonging to message 0 (the author's own).
fn own_zone_text(body: &str, zones: &[Zone], kind: ZoneKind) -> Option<String> {
    let mut out = String::new();
    for z in zones.iter().filter(|z| z.kind == kind && z.message == 0) {
        if let Some(t) = body.get(z.start..z.end) {
            out.push_str(t);
            out.push('\n');
        }
    }
    // (trailing blank lines vary with how the message ends: they are no part of
    // the signature, and would make one signature two sightings)
    (!out.trim().is_empty()).then(|| clip(out.trim_end().to_string()))
}

/// Signatures longer than this are cut (at a char boundary): their first lines are what
/// names a person and an organisation.
const SIGNATURE_MAX: usize = 800;

fn clip(mut s: String) -> String {
    if s.len() > SIGNATURE_MAX {
        let mut end = SIGNATURE_MAX;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

fn words(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// What links observations to stored things.
enum Link {
    /// An archived message, by its `seq` (its id is read when the link is written: a
    /// million ids held here were a large part of resolution's memory).
    Message(i64),
    Reconstructed(Box<str>),
    /// A session's speaker: (session, position among its speakers). Boxed, as are
    /// the reconstructed ids, to keep the many message links small.
    Speaker(Box<(String, usize)>),
}

pub struct Built {
    pub people: Vec<PersonRecord>,
    pub observations: usize,
    /// The last resolution was reused: nothing it reads had changed.
    pub reused: bool,
}

/// Sightings, deduplicated: one per author form, signature, list and month, with
/// everything that links to it (a prolific author is a few hundred sightings, not
/// one per message).
#[derive(Default)]
struct Sightings {
    obs: Vec<Observation>,
    links: Vec<Vec<Link>>,
    /// Each observation's kind and month, beside `obs`, to tell keys apart.
    meta: Vec<(u8, i64)>,
    /// Observations by the hash of their key (kind, name, address, signature, list,
    /// month). The key is checked against the observation itself, so a collision
    /// costs an entry in `collided`, never a wrong join; and the key's strings are
    /// not held twice (as a map of whole keys, they were a fifth of resolution's
    /// memory).
    seen: rustc_hash::FxHashMap<u64, usize>,
    collided: Vec<usize>,
}

/// What a sighting says, before it is known whether it was seen before.
struct Sighted {
    name: Option<String>,
    address: Option<String>,
    date: Option<i64>,
    signature: Option<String>,
}

fn list_of(source: &Source) -> &str {
    match source {
        Source::Message { list, .. } | Source::Quote { list, .. } => list,
        _ => "",
    }
}

impl Sightings {
    /// Adds a sighting in `list`, with what links to it (none for a quoted author). Its
    /// source is made only for a sighting not seen before (most are seen before: one
    /// per author form, signature, list and month).
    fn add(
        &mut self,
        kind: u8,
        o: Sighted,
        list: &str,
        source: impl FnOnce() -> Source,
        link: Option<Link>,
    ) {
        use std::hash::{Hash, Hasher};
        // no name and no address: nobody to resolve
        if o.name.as_deref().is_none_or(|n| n.trim().is_empty())
            && o.address.as_deref().is_none_or(|a| a.trim().is_empty())
        {
            return;
        }
        let month = o.date.map(|d| d.div_euclid(30 * 86_400)).unwrap_or(-1);
        // (FxHasher: SipHash of a million keys, signatures included, was a tenth of
        // reading the sightings of a large store)
        let mut h = rustc_hash::FxHasher::default();
        (kind, &o.name, &o.address, &o.signature, list, month).hash(&mut h);
        let h = h.finish();
        let same = |i: usize| {
            let x = &self.obs[i];
            self.meta[i] == (kind, month)
                && x.name == o.name
                && x.address == o.address
                && x.signature == o.signature
                && list_of(&x.source) == list
        };
        let found = match self.seen.get(&h) {
            Some(&i) if same(i) => Some(i),
            Some(_) => self.collided.iter().copied().find(|&i| same(i)),
            None => None,
        };
        match found {
            Some(i) => self.links[i].extend(link),
            None => {
                let i = self.obs.len();
                match self.seen.entry(h) {
                    std::collections::hash_map::Entry::Occupied(_) => self.collided.push(i),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(i);
                    }
                }
                self.obs.push(Observation {
                    name: o.name,
                    address: o.address,
                    date: o.date,
                    signature: o.signature,
                    source: source(),
                });
                self.meta.push((kind, month));
                self.links.push(link.into_iter().collect());
            }
        }
    }
}

/// What people resolution reads of one archived message (stored as its sighting):
/// its author (with "Name via List", the parser already put Reply-To's address there, or
/// nothing: never the list's), its own signature, the addresses its list footers print,
/// and the authors it quotes with the signatures under their quoted text.
fn sighting_of(r: &AuthorRow) -> MessageSighting {
    let mut footer_addresses = Vec::new();
    for z in r.zones.iter().filter(|z| z.kind == ZoneKind::ListFooter) {
        if let Some(t) = r.body.get(z.start..z.end) {
            footer_addresses.extend(plenary_people::identity::signature_addresses(t));
        }
    }
    footer_addresses.sort();
    footer_addresses.dedup();
    let quoted = r
        .quotes
        .iter()
        .filter_map(|q| {
            let a = q.attribution.as_ref()?;
            Some(QuotedSighting {
                name: a.name.clone(),
                address: if a.via_list.is_some() {
                    None
                } else {
                    a.address.clone()
                },
                signature: q
                    .signature
                    .as_deref()
                    .map(|t| clip(t.trim_end().to_string())),
            })
        })
        .collect();
    MessageSighting {
        name: r.author_name.clone(),
        address: r.author_address.clone(),
        date: r.date,
        signature: own_zone_text(&r.body, &r.zones, ZoneKind::Signature),
        footer_addresses,
        quoted,
    }
}

/// Rebuilds every person from the store. Returns the people.
pub(crate) fn rebuild(store: &mut Store, curated: &Path, fw: &Frameworks) -> Result<Built> {
    let curated_path = curated;
    let curated = Curated::load(curated)?;
    let mut sg = Sightings::default();
    // addresses in list footers are the lists' ("R-package-devel at r-project.org
    // mailing list"), whatever the list is called in subject tags
    let mut footer_addresses: HashSet<String> = HashSet::new();
    // What resolution reads of each message is stored with it (`author_sightings`):
    // only messages new or changed since the last resolution are decoded here.
    store.for_each_sighting(sighting_of, |r| {
        let s = r.sighting;
        footer_addresses.extend(s.footer_addresses);
        let link = match r.seq {
            Some(seq) if !r.reconstructed => Link::Message(seq),
            _ => Link::Reconstructed(r.id.as_str().into()),
        };
        sg.add(
            u8::from(r.reconstructed),
            Sighted {
                name: s.name,
                address: s.address,
                date: s.date,
                signature: s.signature,
            },
            &r.list,
            || Source::Message {
                id: r.id.clone(),
                list: r.list.clone(),
            },
            Some(link),
        );
        // quoted authors, with the signatures under their quoted text
        for q in s.quoted {
            sg.add(
                2,
                Sighted {
                    name: q.name,
                    address: q.address,
                    date: None,
                    signature: q.signature,
                },
                &r.list,
                || Source::Quote {
                    source: r.id.clone(),
                    list: r.list.clone(),
                },
                None,
            );
        }
    })?;
    crate::memory::mark("people: sightings read");
    let Sightings {
        mut obs, mut links, ..
    } = sg;
    for s in store.sessions(None)? {
        let date = s.start_moment().map(|m| m.sort_key());
        for (i, sp) in s.speakers.iter().enumerate() {
            obs.push(Observation {
                name: Some(match &sp.honorific {
                    Some(h) => format!("{h} {}", sp.name),
                    None => sp.name.clone(),
                }),
                address: None,
                date,
                signature: None,
                source: Source::Speaker(Box::new(Speaker {
                    session: s.id(),
                    role: sp.role.clone(),
                    organization: sp.organization.clone(),
                    position: sp.position.clone(),
                    stakeholder_group: sp
                        .self_declared
                        .then(|| sp.stakeholder_group.clone())
                        .flatten(),
                    regional_group: sp
                        .self_declared
                        .then(|| sp.regional_group.clone())
                        .flatten(),
                })),
            });
            links.push(vec![Link::Speaker(Box::new((s.id(), i)))]);
        }
    }
    let mut lists: HashSet<String> = store
        .list_addresses()?
        .into_iter()
        .map(|a| a.to_lowercase())
        .collect();
    lists.extend(footer_addresses);
    let list_names: Vec<String> = store.lists()?.into_iter().map(|l| l.slug).collect();
    let fp = fingerprint(&obs, &lists, &list_names, curated_path)?;
    // Nothing resolution reads has changed (a reply by someone already seen the same
    // way, in the same month and list): the people are the stored ones, recounted.
    if let Some(built) = reuse_resolution(store, &fp, &obs, &links)? {
        return Ok(built);
    }
    crate::memory::mark("people: inputs ready");
    let mut res = resolve(&obs, &lists, fw, &curated);
    crate::memory::mark("people: resolved");
    let mut records = Vec::with_capacity(res.people.len());
    let holders = plenary_people::DomainHolders::of(&res.people, &list_names);
    for pi in 0..res.people.len() {
        let p = &res.people[pi];
        let affs = affiliations(p, &obs, fw, &curated, &holders);
        let (mut messages, mut reconstructed) = (0u64, 0u64);
        let mut sessions = Vec::new();
        for &i in &p.observations {
            for link in &links[i] {
                match link {
                    Link::Message(_) => messages += 1,
                    Link::Reconstructed(_) => reconstructed += 1,
                    Link::Speaker(sp) => {
                        let sid = &sp.0;
                        if let Source::Speaker(sp) = &obs[i].source {
                            let sr = SessionRole {
                                id: sid.clone(),
                                role: sp.role.clone(),
                            };
                            if !sessions.contains(&sr) {
                                sessions.push(sr);
                            }
                        }
                    }
                }
            }
        }
        let mut rec = PersonRecord {
            id: p.id.clone(),
            name: p.name.clone(),
            names: p.names.iter().map(|(n, _)| n.clone()).collect(),
            addresses: p.addresses.clone(),
            affiliations: affs.to_vec(),
            sessions,
            messages,
            reconstructed,
            merges: Vec::new(),
        };
        // the reasons move into the record (as copies they were a tenth of the peak)
        rec.merges = std::mem::take(&mut res.people[pi].merges)
            .into_iter()
            .map(|m| MergeOut { reason: m.reason })
            .collect();
        // quoted-only sightings matched to nobody stored are still people (they wrote
        // what others quote), but a person seen nowhere but a quote of an archived
        // message adds nothing: keep those with messages, reconstructions or sessions
        if rec.messages + rec.reconstructed > 0 || !rec.sessions.is_empty() {
            records.push(rec);
        }
    }
    let person_of = |i: usize| {
        res.person_of
            .get(i)
            .and_then(|&p| res.people.get(p))
            .map_or("", |p| p.id.as_str())
    };
    crate::memory::mark("people: records built");
    write_people(store, &records, &links, &person_of)?;
    crate::memory::mark("people: written");
    // what each observation went to, for the next import to reuse (written last: a
    // resolution interrupted before this line is simply run again)
    let kept: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let mut persons = vec![String::new(); obs.len()];
    for p in res.people.iter().filter(|p| kept.contains(p.id.as_str())) {
        for &i in &p.observations {
            if let Some(slot) = persons.get_mut(i) {
                slot.clone_from(&p.id);
            }
        }
    }
    store.set_people_resolution(&PeopleResolution {
        fingerprint: fp,
        persons,
        order: records.iter().map(|r| r.id.clone()).collect(),
    })?;
    Ok(Built {
        people: records,
        observations: obs.len(),
        reused: false,
    })
}

/// Writes the people and the links of each observation's sightings to the person it
/// went to (`person_of`, `""` for none), with each transcript's speakers linked to the
/// panellist's person as written, else to a namesake.
fn write_people<'p>(
    store: &mut Store,
    records: &[PersonRecord],
    links: &[Vec<Link>],
    person_of: &dyn Fn(usize) -> &'p str,
) -> Result<()> {
    let transcripts = store.transcripts()?;
    let mut speaker_people: HashMap<String, String> = HashMap::new();
    for (i, ls) in links.iter().enumerate() {
        for link in ls {
            if let Link::Speaker(sp) = link {
                speaker_people.insert(format!("{}#{}", sp.0, sp.1), person_of(i).to_string());
            }
        }
    }
    let (updates, turn_rows) =
        crate::transcripts::link_people(&transcripts, &speaker_people, records);
    store.replace_people(records, |sink| {
        for (i, ls) in links.iter().enumerate() {
            let person = person_of(i);
            for link in ls {
                match link {
                    Link::Message(seq) => sink.message(*seq, person)?,
                    Link::Reconstructed(id) => sink.link("reconstructed", id, person)?,
                    Link::Speaker(sp) => {
                        sink.link("speaker", &format!("{}#{}", sp.0, sp.1), person)?
                    }
                }
            }
        }
        for (kind, target, person) in &turn_rows {
            sink.link(kind, target, person)?;
        }
        Ok(())
    })?;
    for (id, links) in updates {
        store.set_transcript_links(&id, &links)?;
    }
    Ok(())
}

/// What identity resolution reads, hashed: every observation in order, the list
/// addresses, the lists, the curation file and this program (its rules). Equal
/// fingerprints mean an equal resolution.
fn fingerprint(
    obs: &[Observation],
    lists: &HashSet<String>,
    list_names: &[String],
    curated: &Path,
) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    // the program: a new build may resolve differently
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        h.update(m.len().to_le_bytes());
        if let Some(t) = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        {
            h.update(t.as_nanos().to_le_bytes());
        }
    }
    h.update(b"\0curated\0");
    h.update(std::fs::read(curated).unwrap_or_default());
    let mut l: Vec<&String> = lists.iter().collect();
    l.sort();
    for x in l {
        h.update(x.as_bytes());
        h.update(b"\0");
    }
    h.update(b"\0lists\0");
    for x in list_names {
        h.update(x.as_bytes());
        h.update(b"\0");
    }
    h.update(b"\0observations\0");
    for o in obs {
        let j = serde_json::to_vec(o)
            .map_err(|e| plenary_store::StoreError::Corrupt(format!("observation: {e}")))?;
        h.update((j.len() as u64).to_le_bytes());
        h.update(&j);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The stored people, recounted over `links`, when the last resolution read exactly
/// what this one would (`fp`). None when anything differs: a person the links need
/// that was not kept, or one kept that nothing links to any more.
fn reuse_resolution(
    store: &mut Store,
    fp: &str,
    obs: &[Observation],
    links: &[Vec<Link>],
) -> Result<Option<Built>> {
    let Some(last) = store.people_resolution()? else {
        return Ok(None);
    };
    if last.fingerprint != fp || last.persons.len() != obs.len() || links.len() != obs.len() {
        return Ok(None);
    }
    let mut stored: HashMap<String, PersonRecord> = store
        .people(usize::MAX)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    if stored.len() != last.order.len() {
        return Ok(None);
    }
    for p in stored.values_mut() {
        p.messages = 0;
        p.reconstructed = 0;
    }
    for (i, ls) in links.iter().enumerate() {
        let pid = &last.persons[i];
        for link in ls {
            let Some(p) = stored.get_mut(pid) else {
                return Ok(None);
            };
            match link {
                Link::Message(_) => p.messages += 1,
                Link::Reconstructed(_) => p.reconstructed += 1,
                _ => {}
            }
        }
    }
    let mut records = Vec::with_capacity(last.order.len());
    for id in &last.order {
        let Some(p) = stored.remove(id) else {
            return Ok(None);
        };
        if p.messages + p.reconstructed == 0 && p.sessions.is_empty() {
            return Ok(None);
        }
        records.push(p);
    }
    let person_of = |i: usize| last.persons.get(i).map_or("", String::as_str);
    write_people(store, &records, links, &person_of)?;
    Ok(Some(Built {
        people: records,
        observations: obs.len(),
        reused: true,
    }))
}

/// Every person, most active first.
pub(crate) fn load_people(store: &Store) -> Result<Vec<PersonRecord>> {
    Ok(store.people(usize::MAX)?)
}

/// The scope of a balance or network.
pub enum Scope {
    List(String),
    Thread(String),
    Event(String),
    /// The speakers of a set of sessions (by id).
    Sessions(Vec<String>),
    /// The threads tagged with a framework item (`action-lines`, `C5`).
    Item(String, String),
    /// Messages dated in `[from, to)` (seconds since the epoch).
    Period(i64, i64),
}

/// (author id, author name, id of the person replied to) per message.
pub type Reply = (String, String, Option<String>);

/// Contributions in a scope: one per message (archived and reconstructed) with its
/// author and the words of its own text; for an event, one per speaker entry.
/// Contributions in a scope (see [`Scope`]) and who replied to whom.
pub fn contributions(store: &Store, scope: &Scope) -> Result<(Vec<Contribution>, Vec<Reply>)> {
    let msg_people = store.people_of("message")?;
    let rec_people = store.people_of("reconstructed")?;
    let names: HashMap<String, String> = load_people(store)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut out = Vec::new();
    let mut replies = Vec::new();
    match scope {
        Scope::Event(_) | Scope::Sessions(_) => {
            let sp = store.people_of("speaker")?;
            let sessions = match scope {
                Scope::Event(e) => store.sessions(Some(e))?,
                Scope::Sessions(ids) => {
                    let mut v = Vec::new();
                    for id in ids {
                        if let Some((s, _)) = store.session(id)? {
                            v.push(s);
                        }
                    }
                    v
                }
                _ => Vec::new(),
            };
            for s in sessions {
                for i in 0..s.speakers.len() {
                    if let Some(p) = sp.get(&format!("{}#{i}", s.id())) {
                        out.push(Contribution {
                            person: p.clone(),
                            name: names.get(p).cloned().unwrap_or_default(),
                            words: 0,
                            date: s.start_moment().map(|m| m.sort_key()),
                        });
                    }
                }
            }
        }
        _ => {
            let tagged: HashSet<String> = match scope {
                Scope::Item(fw, code) => store
                    .tagged(
                        fw,
                        code,
                        Some(plenary_store::TagKind::Thread),
                        usize::MAX >> 1,
                    )?
                    .into_iter()
                    .map(|t| t.target)
                    .collect(),
                _ => HashSet::new(),
            };
            let mut author_of: HashMap<String, String> = HashMap::new();
            let mut rows = Vec::new();
            store.for_each_author(false, |r| {
                let inside = match scope {
                    Scope::List(l) => r.list == *l,
                    Scope::Thread(t) => r.thread_id.as_deref() == Some(t.as_str()),
                    Scope::Item(..) => r.thread_id.as_ref().is_some_and(|t| tagged.contains(t)),
                    Scope::Period(a, b) => r.date.is_some_and(|d| d >= *a && d < *b),
                    Scope::Event(_) | Scope::Sessions(_) => false,
                };
                if !inside {
                    return;
                }
                let person = if r.reconstructed {
                    rec_people.get(&r.id)
                } else {
                    msg_people.get(&r.id)
                };
                if let Some(p) = person {
                    author_of.insert(r.id.clone(), p.clone());
                    let w = if r.reconstructed {
                        words(&r.body)
                    } else {
                        words(r.new_text.as_deref().unwrap_or(&r.body))
                    };
                    rows.push((p.clone(), w, r.parent.clone(), r.date));
                }
            })?;
            for (p, w, parent, date) in rows {
                let name = names.get(&p).cloned().unwrap_or_default();
                replies.push((
                    p.clone(),
                    name.clone(),
                    parent.and_then(|x| author_of.get(&x).cloned()),
                ));
                out.push(Contribution {
                    person: p,
                    name,
                    words: w,
                    date,
                });
            }
        }
    }
    Ok((out, replies))
}

/// Participation balance of a scope by a dimension.
pub fn balance(
    store: &Store,
    fw: &Frameworks,
    scope: &Scope,
    by: Dimension,
    top: usize,
) -> Result<balance::Balance> {
    let (contribs, _) = contributions(store, scope)?;
    let people: HashMap<String, Vec<Affiliation>> = load_people(store)?
        .into_iter()
        .map(|p| (p.id, p.affiliations))
        .collect();
    let empty: Vec<Affiliation> = Vec::new();
    let mut b = balance::compute(
        by,
        &contribs,
        |p| people.get(p).map(Vec::as_slice).unwrap_or(&empty),
        fw,
        top,
    );
    let turns = spoken_turns(store, scope)?;
    if !turns.is_empty() {
        b.speaking = balance::speaking(
            by,
            &turns,
            |p| people.get(p).map(Vec::as_slice).unwrap_or(&empty),
            fw,
        );
    }
    Ok(b)
}

/// The turns of the transcripts of a scope's sessions (an event's, a list of sessions' or
/// those of a period), each with its linked person.
fn spoken_turns(store: &Store, scope: &Scope) -> Result<Vec<balance::SpokenTurn>> {
    let ids: HashSet<String> = match scope {
        Scope::Sessions(ids) => ids.iter().cloned().collect(),
        Scope::Event(e) => store.sessions(Some(e))?.iter().map(|s| s.id()).collect(),
        Scope::Period(a, b) => store
            .sessions(None)?
            .iter()
            .filter(|s| {
                s.start_moment()
                    .map(|m| m.sort_key())
                    .is_some_and(|t| t >= *a && t < *b)
            })
            .map(|s| s.id())
            .collect(),
        _ => return Ok(Vec::new()),
    };
    let turn_people = store.people_of("turn")?;
    let mut out = Vec::new();
    for t in store.transcripts()? {
        if !t.session_id.as_ref().is_some_and(|s| ids.contains(s)) {
            continue;
        }
        for (n, turn) in t.transcript.turns.iter().enumerate() {
            out.push(balance::SpokenTurn {
                person: turn_people.get(&format!("{}#{n}", t.id)).cloned(),
                words: turn.words(),
            });
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct TruthPerson {
    id: String,
}

#[derive(Deserialize)]
struct TruthLine {
    message_id: Option<String>,
    author: String,
}

/// The generator's ground truth: every stored message's (name, address) sighting, with
/// the true author from truth.jsonl.
pub(crate) fn eval_generated(store: &Store, truth: &Path) -> Result<PeopleEval> {
    let people_path = truth.with_file_name("people.jsonl");
    let read = |p: &Path| std::fs::read_to_string(p).map_err(crate::error::io_error(p));
    let known: HashSet<String> = read(&people_path)?
        .lines()
        .filter_map(|l| serde_json::from_str::<TruthPerson>(l).ok())
        .map(|p| p.id)
        .collect();
    let mut author: HashMap<String, String> = HashMap::new();
    for l in read(truth)?.lines() {
        if let Ok(t) = serde_json::from_str::<TruthLine>(l) {
            if let Some(mid) = t.message_id {
                author.insert(mid.trim_matches(['<', '>']).to_string(), t.author);
            }
        }
    }
    let msg_people = store.people_of("message")?;
    // distinct sightings: (true author, resolved person, name, address)
    let mut seen: HashSet<(String, String, String, String)> = HashSet::new();
    store.for_each_author(false, |r| {
        if r.reconstructed {
            return;
        }
        let (Some(t), Some(p)) = (author.get(&r.id), msg_people.get(&r.id)) else {
            return;
        };
        if !known.contains(t) {
            return;
        }
        seen.insert((
            t.clone(),
            p.clone(),
            r.author_name.clone().unwrap_or_default(),
            r.author_address.clone().unwrap_or_default(),
        ));
    })?;
    let mut tix: HashMap<String, usize> = HashMap::new();
    let mut gix: HashMap<String, usize> = HashMap::new();
    let (mut tv, mut gv) = (Vec::new(), Vec::new());
    for (t, p, _, _) in &seen {
        let n = tix.len();
        tv.push(*tix.entry(t.clone()).or_insert(n));
        let n = gix.len();
        gv.push(*gix.entry(p.clone()).or_insert(n));
    }
    Ok(pairwise(&tv, &gv))
}

/// Identity resolution judged against gold written by reading a real archive
/// (`tests/gold/people/*.tsv`: `person<TAB>name<TAB>address<TAB>reason`, one row per
/// sender sighting, `person` the reader's label for the real person).
#[derive(Debug, serde::Serialize)]
pub struct GoldPeopleEval {
    /// Gold rows read.
    pub rows: usize,
    /// Rows whose sighting was found among the stored messages (only those are scored).
    pub found: usize,
    /// Up to 10 rows not found (`name <address>`).
    pub not_found: Vec<String>,
    #[serde(flatten)]
    pub pairs: PeopleEval,
    /// Up to 10 resolved people holding several real people.
    pub wrong_merges: Vec<String>,
    /// Up to 10 real people spread over several resolved people.
    pub splits: Vec<String>,
}

/// Up to 10 keys mapped to more than one value, most values first: "p1 holds a, b".
fn examples(
    map: &std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>>,
    verb: &str,
) -> Vec<String> {
    let mut v: Vec<(usize, String)> = map
        .iter()
        .filter(|(_, vals)| vals.len() > 1)
        .map(|(k, vals)| {
            let vals: Vec<&str> = vals.iter().copied().collect();
            (vals.len(), format!("{k} {verb} {}", vals.join(", ")))
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    v.into_iter().take(10).map(|x| x.1).collect()
}

pub(crate) fn eval_gold(store: &Store, gold: &Path) -> Result<GoldPeopleEval> {
    let text = std::fs::read_to_string(gold).map_err(crate::error::io_error(gold))?;
    let msg_people = store.people_of("message")?;
    // one form of a name for matching: spaces collapsed, case folded
    let name_form = |n: &str| {
        n.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let addr_form = |a: &str| plenary_people::obfuscated_key(a).unwrap_or_default();
    // (name, address) → resolved person → messages
    let mut by_pair: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
    store.for_each_author(false, |r| {
        if r.reconstructed {
            return;
        }
        let Some(p) = msg_people.get(&r.id) else {
            return;
        };
        let a = addr_form(r.author_address.as_deref().unwrap_or(""));
        let n = name_form(r.author_name.as_deref().unwrap_or(""));
        *by_pair
            .entry((n, a))
            .or_default()
            .entry(p.clone())
            .or_default() += 1;
    })?;
    let top = |m: &HashMap<String, usize>| {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(p, _)| p.clone())
    };
    let mut rows = 0;
    let mut not_found = Vec::new();
    let mut scored: Vec<(String, String, String)> = Vec::new(); // (label, person, sighting)
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 || cols[0].trim().is_empty() {
            continue;
        }
        rows += 1;
        let (label, name, address) = (cols[0].trim(), cols[1].trim(), cols[2].trim());
        let (n, a) = (name_form(name), addr_form(address));
        let person = by_pair.get(&(n, a.clone())).and_then(top).or_else(|| {
            // a name that is the address (or none) may be stored without it
            let bare = name.is_empty() || addr_form(name) == a;
            bare.then(|| by_pair.get(&(String::new(), a.clone())).and_then(top))
                .flatten()
        });
        match person {
            Some(p) => scored.push((label.to_string(), p, format!("{name} <{address}>"))),
            None => {
                if not_found.len() < 10 {
                    not_found.push(format!("{name} <{address}>"));
                }
            }
        }
    }
    let mut lix: HashMap<&str, usize> = HashMap::new();
    let mut pix: HashMap<&str, usize> = HashMap::new();
    let (mut tv, mut gv) = (Vec::new(), Vec::new());
    for (l, p, _) in &scored {
        let n = lix.len();
        tv.push(*lix.entry(l.as_str()).or_insert(n));
        let n = pix.len();
        gv.push(*pix.entry(p.as_str()).or_insert(n));
    }
    let pairs = pairwise(&tv, &gv);
    // examples: people holding several labels, labels over several people
    let mut labels_of: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    let mut people_of: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for (l, p, _) in &scored {
        labels_of.entry(p.as_str()).or_default().insert(l.as_str());
        people_of.entry(l.as_str()).or_default().insert(p.as_str());
    }
    let wrong = examples(&labels_of, "holds");
    let splits = examples(&people_of, "over");
    Ok(GoldPeopleEval {
        rows,
        found: scored.len(),
        not_found,
        pairs,
        wrong_merges: wrong,
        splits,
    })
}
