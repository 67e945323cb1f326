//! What the index reads of the store: one narrow trait, so the index can be built
//! from anything that answers it (the SQLite store, a test's fake, later another
//! backend).

use std::collections::HashMap;

use plenary_agenda::Session;
use plenary_store::{IndexMessage, IndexReconstructed, PersonRecord, Store, TagKind};

/// The store's reads the search index needs.
pub trait IndexSource {
    /// A number that grows with every committed change (nothing to do while it stays).
    fn generation(&self) -> plenary_store::Result<i64>;
    /// The highest message `seq` (0 when empty).
    fn max_message_seq(&self) -> plenary_store::Result<i64>;
    /// Up to `limit` messages with `seq > after`, in `seq` order.
    fn messages_after(&self, after: i64, limit: usize) -> plenary_store::Result<Vec<IndexMessage>>;
    /// The messages with these ids (those that exist).
    fn messages_by_id(&self, ids: &[String]) -> plenary_store::Result<Vec<IndexMessage>>;
    /// Per target of `kind`: its `(framework, code)` tags.
    fn tags_by_target(
        &self,
        kind: TagKind,
    ) -> plenary_store::Result<HashMap<String, Vec<(String, String)>>>;
    /// Every session.
    fn sessions(&self) -> plenary_store::Result<Vec<Session>>;
    /// Speaker entry (`session#i`) → person.
    fn speaker_people(&self) -> plenary_store::Result<HashMap<String, String>>;
    /// Per list: a digest of its reconstructed messages.
    fn reconstructed_digests(&self) -> plenary_store::Result<Vec<(String, String)>>;
    /// A list's reconstructed messages.
    fn reconstructed_of_list(&self, list: &str) -> plenary_store::Result<Vec<IndexReconstructed>>;
    /// Ids of a thread's archived messages.
    fn message_ids_of_thread(&self, thread: &str) -> plenary_store::Result<Vec<String>>;
    /// Ids of a person's archived messages.
    fn message_ids_of_person(&self, person: &str) -> plenary_store::Result<Vec<String>>;
    /// Every person.
    fn people(&self) -> plenary_store::Result<Vec<PersonRecord>>;
    /// Every session transcript (none by default).
    fn transcripts(&self) -> plenary_store::Result<Vec<plenary_store::StoredTranscript>> {
        Ok(Vec::new())
    }
    /// Turn (`transcript#n`) → person.
    fn turn_people(&self) -> plenary_store::Result<HashMap<String, String>> {
        Ok(HashMap::new())
    }
}

impl IndexSource for Store {
    fn generation(&self) -> plenary_store::Result<i64> {
        Store::generation(self)
    }
    fn max_message_seq(&self) -> plenary_store::Result<i64> {
        Store::max_message_seq(self)
    }
    fn messages_after(&self, after: i64, limit: usize) -> plenary_store::Result<Vec<IndexMessage>> {
        Store::messages_for_index(self, after, limit)
    }
    fn messages_by_id(&self, ids: &[String]) -> plenary_store::Result<Vec<IndexMessage>> {
        Store::messages_for_index_by_id(self, ids)
    }
    fn tags_by_target(
        &self,
        kind: TagKind,
    ) -> plenary_store::Result<HashMap<String, Vec<(String, String)>>> {
        Store::tags_by_target(self, kind)
    }
    fn sessions(&self) -> plenary_store::Result<Vec<Session>> {
        Store::sessions(self, None)
    }
    fn speaker_people(&self) -> plenary_store::Result<HashMap<String, String>> {
        Store::people_of(self, "speaker")
    }
    fn reconstructed_digests(&self) -> plenary_store::Result<Vec<(String, String)>> {
        Store::reconstructed_digests(self)
    }
    fn reconstructed_of_list(&self, list: &str) -> plenary_store::Result<Vec<IndexReconstructed>> {
        Store::reconstructed_for_index(self, list)
    }
    fn message_ids_of_thread(&self, thread: &str) -> plenary_store::Result<Vec<String>> {
        Store::message_ids_of_thread(self, thread)
    }
    fn message_ids_of_person(&self, person: &str) -> plenary_store::Result<Vec<String>> {
        Store::message_ids_of_person(self, person)
    }
    fn people(&self) -> plenary_store::Result<Vec<PersonRecord>> {
        Store::people(self, usize::MAX)
    }
    fn transcripts(&self) -> plenary_store::Result<Vec<plenary_store::StoredTranscript>> {
        Store::transcripts(self)
    }
    fn turn_people(&self) -> plenary_store::Result<HashMap<String, String>> {
        Store::people_of(self, "turn")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use plenary_agenda::Session;
    use plenary_store::{IndexMessage, IndexReconstructed, PersonRecord, TagKind};

    use super::IndexSource;
    use crate::{SearchIndex, SearchRequest, Sort};

    /// Messages held in memory: what a test needs instead of a store.
    struct Fake {
        messages: Mutex<Vec<IndexMessage>>,
        generation: Mutex<i64>,
        /// Messages recovered from quotes, all of list `wg`.
        recovered: Mutex<Vec<IndexReconstructed>>,
        people: Mutex<Vec<PersonRecord>>,
    }

    fn message(seq: i64, id: &str, text: &str) -> IndexMessage {
        IndexMessage {
            seq,
            id: id.into(),
            list: "wg".into(),
            thread_id: Some("t1".into()),
            subject: "Enhanced cooperation".into(),
            author_name: Some("Ana Neves".into()),
            author_address: Some("ana@example.org".into()),
            recipients: String::new(),
            date: Some(1_751_871_600),
            new_text: text.into(),
            quoted_text: String::new(),
            person: None,
            tags: Vec::new(),
        }
    }

    /// A message recovered from a quote in list `wg`, by Raúl, with a UTC date.
    fn recovered(id: &str, text: &str) -> IndexReconstructed {
        IndexReconstructed {
            id: id.into(),
            list: "wg".into(),
            thread_id: Some("t1".into()),
            subject: "Enhanced cooperation".into(),
            author_name: Some("Raúl Echeberría".into()),
            author_address: None,
            date: Some(1_753_228_200),
            date_exact: true,
            text: text.into(),
            person: None,
        }
    }

    impl IndexSource for Fake {
        fn generation(&self) -> plenary_store::Result<i64> {
            Ok(*self.generation.lock().expect("lock"))
        }
        fn max_message_seq(&self) -> plenary_store::Result<i64> {
            let m = self.messages.lock().expect("lock");
            Ok(m.iter().map(|m| m.seq).max().unwrap_or(0))
        }
        fn messages_after(
            &self,
            after: i64,
            limit: usize,
        ) -> plenary_store::Result<Vec<IndexMessage>> {
            let m = self.messages.lock().expect("lock");
            Ok(m.iter()
                .filter(|m| m.seq > after)
                .take(limit)
                .cloned()
                .collect())
        }
        fn messages_by_id(&self, ids: &[String]) -> plenary_store::Result<Vec<IndexMessage>> {
            let m = self.messages.lock().expect("lock");
            Ok(m.iter().filter(|m| ids.contains(&m.id)).cloned().collect())
        }
        fn tags_by_target(
            &self,
            _: TagKind,
        ) -> plenary_store::Result<HashMap<String, Vec<(String, String)>>> {
            Ok(HashMap::new())
        }
        fn sessions(&self) -> plenary_store::Result<Vec<Session>> {
            Ok(Vec::new())
        }
        fn speaker_people(&self) -> plenary_store::Result<HashMap<String, String>> {
            Ok(HashMap::new())
        }
        fn reconstructed_digests(&self) -> plenary_store::Result<Vec<(String, String)>> {
            let r = self.recovered.lock().expect("lock");
            Ok(if r.is_empty() {
                Vec::new()
            } else {
                let d: Vec<String> = r.iter().map(|r| format!("{}:{}", r.id, r.text)).collect();
                vec![("wg".into(), d.join("|"))]
            })
        }
        fn reconstructed_of_list(&self, _: &str) -> plenary_store::Result<Vec<IndexReconstructed>> {
            Ok(self.recovered.lock().expect("lock").clone())
        }
        fn message_ids_of_thread(&self, _: &str) -> plenary_store::Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn message_ids_of_person(&self, _: &str) -> plenary_store::Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn people(&self) -> plenary_store::Result<Vec<PersonRecord>> {
            Ok(self.people.lock().expect("lock").clone())
        }
    }

    fn hits(index: &SearchIndex, q: &str) -> Vec<String> {
        hits_of(index, "message", q)
    }

    fn hits_of(index: &SearchIndex, kind: &str, q: &str) -> Vec<String> {
        let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
        let r = index
            .search(
                &SearchRequest {
                    query: format!("kind:{kind} {q}"),
                    sort: Sort::Relevance,
                    offset: 0,
                    limit: 10,
                    facets: false,
                },
                &fw,
            )
            .expect("search");
        r.hits.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn an_index_follows_any_source_incrementally() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
        let index = SearchIndex::open(dir.path()).expect("open");
        let fake = Fake {
            messages: Mutex::new(vec![message(1, "a@x", "The CSTD could lead this.")]),
            generation: Mutex::new(1),
            recovered: Mutex::new(Vec::new()),
            people: Mutex::new(Vec::new()),
        };
        let r = index.sync(&fake, &fw).expect("sync");
        assert_eq!(r.messages, 1);
        assert_eq!(hits(&index, "CSTD"), ["a@x"]);
        // a new message is read from the watermark on, the old one is not read again
        fake.messages
            .lock()
            .expect("lock")
            .push(message(2, "b@x", "Cooperação reforçada, sim."));
        *fake.generation.lock().expect("lock") = 2;
        let r = index.sync(&fake, &fw).expect("sync");
        assert_eq!(r.messages, 1);
        assert_eq!(hits(&index, "reforçada"), ["b@x"]);
        // nothing changed: nothing indexed
        let r = index.sync(&fake, &fw).expect("sync");
        assert!(!r.changed(), "{r:?}");
    }

    /// Issue 12.5: a recovered message dated by an attribution without a UTC
    /// offset is a local time in hits (no `Z`, `date_exact: false`), and the
    /// `date:` filter matches the day as written; an archived one stays UTC.
    #[test]
    fn hits_give_local_times_without_a_zone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
        let index = SearchIndex::open(dir.path()).expect("open");
        // "On Tue, Jul 22, 2025 at 11:50 PM Raúl wrote:" — 23:50 where Raúl was
        let recovered = |id: &str, exact: bool| IndexReconstructed {
            date_exact: exact,
            ..recovered(id, "The multistakeholder model needs enhanced cooperation.")
        };
        let fake = Fake {
            messages: Mutex::new(vec![message(1, "a@x", "Enhanced cooperation at the CSTD.")]),
            generation: Mutex::new(1),
            recovered: Mutex::new(vec![recovered("r1", false), recovered("r2", true)]),
            people: Mutex::new(Vec::new()),
        };
        index.sync(&fake, &fw).expect("sync");
        let search = |q: &str| {
            index
                .search(
                    &SearchRequest {
                        query: q.into(),
                        sort: Sort::Date,
                        offset: 0,
                        limit: 10,
                        facets: false,
                    },
                    &fw,
                )
                .expect("search")
                .hits
        };
        let hits = search("multistakeholder");
        let date_of = |id: &str| {
            let h = hits.iter().find(|h| h.id == id).expect("hit");
            (h.date.clone(), h.date_exact)
        };
        assert_eq!(date_of("r1"), (Some("2025-07-22T23:50:00".into()), false));
        assert_eq!(date_of("r2"), (Some("2025-07-22T23:50:00Z".into()), true));
        let archived = search("kind:message CSTD");
        assert_eq!(archived.len(), 1);
        assert!(archived[0].date_exact);
        assert!(archived[0]
            .date
            .as_deref()
            .is_some_and(|d| d.ends_with('Z')));
        // the local day as written
        let day: Vec<String> = search("multistakeholder date:2025-07-22")
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert!(day.contains(&"r1".to_string()), "{day:?}");
    }

    /// A sync writes again only the reconstructed messages and people whose documents
    /// changed, removes those gone, and leaves the index as a rebuild would.
    #[test]
    fn only_changed_reconstructed_messages_and_people_are_written_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
        let index = SearchIndex::open(dir.path()).expect("open");
        let person = |id: &str, name: &str| PersonRecord {
            id: id.into(),
            name: name.into(),
            names: vec![name.into()],
            addresses: Vec::new(),
            affiliations: Vec::new(),
            sessions: Vec::new(),
            messages: 1,
            reconstructed: 0,
            merges: Vec::new(),
        };
        let fake = Fake {
            messages: Mutex::new(vec![message(1, "a@x", "Enhanced cooperation.")]),
            generation: Mutex::new(1),
            recovered: Mutex::new(vec![
                recovered("r1", "alpha proposal"),
                recovered("r2", "bravo proposal"),
                recovered("r3", "charlie proposal"),
            ]),
            people: Mutex::new(vec![person("p1", "Ana Neves"), person("p2", "Wang Wei")]),
        };
        let r = index.sync(&fake, &fw).expect("sync");
        assert_eq!((r.reconstructed, r.people), (3, 2));
        // one row changed, one gone, one new; one person renamed, one gone, one new
        *fake.recovered.lock().expect("lock") = vec![
            recovered("r1", "alpha proposal"),
            recovered("r2", "bravo amended"),
            recovered("r4", "delta proposal"),
        ];
        *fake.people.lock().expect("lock") =
            vec![person("p2", "Wang Wei Jr"), person("p3", "Haruka Watanabe")];
        *fake.generation.lock().expect("lock") = 2;
        let r = index.sync(&fake, &fw).expect("sync");
        assert_eq!((r.reconstructed, r.people), (2, 2), "{r:?}");
        let recon = |q: &str| {
            let mut v = hits_of(&index, "reconstructed", q);
            v.sort();
            v
        };
        assert_eq!(recon("proposal"), ["r1", "r4"]);
        assert_eq!(recon("amended"), ["r2"]);
        assert!(recon("bravo").contains(&"r2".to_string()));
        assert!(recon("charlie").is_empty(), "a row gone leaves no document");
        assert_eq!(hits_of(&index, "person", "wei"), ["p2"]);
        assert!(hits_of(&index, "person", "ana").is_empty());
        assert_eq!(hits_of(&index, "person", "haruka"), ["p3"]);
        let docs = index.len();
        // nothing changed: nothing written
        let r = index.sync(&fake, &fw).expect("sync");
        assert!(!r.changed(), "{r:?}");
        // a rebuild holds the same documents
        index.rebuild(&fake, &fw).expect("rebuild");
        assert_eq!(index.len(), docs);
        assert_eq!(recon("proposal"), ["r1", "r4"]);
    }
}
