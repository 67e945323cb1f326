//! In-process tests of the pipeline (no process spawned): import, threading,
//! reconstruction and people resolution over a small archive written here.

use std::path::{Path, PathBuf};

use crate::{Archive, ImportOptions, NoProgress, PipelineError, Scope};

/// Three messages of one list: Alice starts a thread, Bob replies quoting her, Alice
/// answers quoting Carol, whose message the archive does not hold.
const MBOX: &str = "\
From alice@example.org Mon Jul  7 07:00:00 2025
From: Alice Example <alice@example.org>
To: WG Strategy <wg-strategy@lists.example.org>
List-Id: WG Strategy <wg-strategy.lists.example.org>
Subject: [WG-Strategy] Enhanced cooperation
Date: Mon, 7 Jul 2025 09:00:00 +0200
Message-ID: <a1@example.org>

We should discuss enhanced cooperation and how the working group reports on it
to the plenary before the next meeting.

Alice

From bob@example.net Mon Jul  7 08:15:00 2025
From: Bob Builder <bob@example.net>
To: WG Strategy <wg-strategy@lists.example.org>
List-Id: WG Strategy <wg-strategy.lists.example.org>
Subject: Re: [WG-Strategy] Enhanced cooperation
Date: Mon, 7 Jul 2025 10:15:00 +0200
Message-ID: <b1@example.net>
In-Reply-To: <a1@example.org>
References: <a1@example.org>

I agree, and I can draft the report.

On Mon, 7 Jul 2025 at 09:00, Alice Example <alice@example.org> wrote:
> We should discuss enhanced cooperation and how the working group reports on it
> to the plenary before the next meeting.

From alice@example.org Mon Jul  7 09:30:00 2025
From: \"Example, Alice\" <ALICE@example.org>
To: WG Strategy <wg-strategy@lists.example.org>
List-Id: WG Strategy <wg-strategy.lists.example.org>
Subject: Re: [WG-Strategy] Enhanced cooperation
Date: Mon, 7 Jul 2025 11:30:00 +0200
Message-ID: <a2@example.org>
In-Reply-To: <b1@example.net>
References: <a1@example.org> <b1@example.net>

Thanks Bob. Carol made the same point off-list:

On Sun, 6 Jul 2025 at 18:30, Carol Quoted <carol@example.com> wrote:
> The report should say which stakeholder groups took part in the
> consultations, and how their comments changed the draft text.

Alice
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("writing a test input");
    p
}

fn archive_with(mbox: &str) -> (tempfile::TempDir, Archive, crate::ImportSummary) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let input = write(tmp.path(), "wg.mbox", mbox);
    let archive = Archive::open_with(
        &tmp.path().join("data"),
        plenary_frameworks::Frameworks::builtin().expect("shipped frameworks"),
    )
    .expect("opening a new data folder");
    let summary = archive
        .import(&[input], &ImportOptions::default(), &mut NoProgress)
        .expect("importing");
    (tmp, archive, summary)
}

#[test]
fn import_stores_each_message_once_and_is_idempotent() {
    let (tmp, archive, s) = archive_with(MBOX);
    assert_eq!((s.new, s.duplicate, s.rejected), (3, 0, 0));
    let again = archive
        .import(
            &[tmp.path().join("wg.mbox")],
            &ImportOptions::default(),
            &mut NoProgress,
        )
        .expect("importing again");
    assert_eq!((again.new, again.duplicate, again.rejected), (0, 3, 0));
    assert_eq!(archive.store().stats().expect("stats").messages, 3);
}

#[test]
fn threading_puts_replies_under_their_parents() {
    let (_tmp, archive, s) = archive_with(MBOX);
    assert_eq!(s.threads, 1);
    let store = archive.store();
    let threads = store.threads(None, None, 10).expect("threads");
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].count, 3);
    assert_eq!(threads[0].list, "wg-strategy");
    let t = store
        .thread(&threads[0].id)
        .expect("reading the thread")
        .expect("the thread exists");
    let depth_of = |id: &str| {
        t.messages
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.depth)
            .expect("message in thread")
    };
    assert_eq!(depth_of("a1@example.org"), 0);
    assert_eq!(depth_of("b1@example.net"), 1);
    assert_eq!(depth_of("a2@example.org"), 2);
}

#[test]
fn reconstruction_recovers_only_what_is_not_archived() {
    let (_tmp, archive, s) = archive_with(MBOX);
    // Bob quotes Alice's archived message: nothing new. Alice quotes Carol, whom the
    // archive does not hold: one reconstructed message, by Carol.
    assert_eq!(s.reconstructed, 1, "{s:?}");
    let rethread = archive.rethread().expect("rethread");
    assert_eq!(rethread, (1, 1));
    let carol = archive
        .people()
        .expect("people")
        .into_iter()
        .find(|p| p.name == "Carol Quoted")
        .expect("Carol is a person through her quoted message");
    assert_eq!((carol.messages, carol.reconstructed), (0, 1));
}

#[test]
fn people_join_name_forms_and_address_case() {
    let (_tmp, archive, s) = archive_with(MBOX);
    assert_eq!(s.people, 3, "Alice, Bob and Carol");
    let people = archive.people().expect("people");
    let alice = people
        .iter()
        .find(|p| p.addresses.iter().any(|a| a == "alice@example.org"))
        .expect("Alice");
    assert_eq!(alice.messages, 2, "{alice:?}");
    assert!(!alice.merges.is_empty(), "a merge keeps its reason");
    // the list's own address never makes or joins a person
    assert!(people
        .iter()
        .all(|p| p.addresses.iter().all(|a| !a.starts_with("wg-strategy@"))));
    let b = archive
        .balance(
            &Scope::List("wg-strategy".into()),
            plenary_people::balance::Dimension::StakeholderGroup,
            10,
        )
        .expect("balance");
    assert_eq!(
        b.messages, 4,
        "three archived and one reconstructed message"
    );
}

#[test]
fn curated_merge_is_saved_and_applied() {
    let (_tmp, archive, _) = archive_with(MBOX);
    let built = archive
        .curate(|c| {
            c.merge(
                vec!["bob@example.net".into(), "carol@example.com".into()],
                "test".into(),
            )
        })
        .expect("curating");
    assert_eq!(built.people.len(), 2);
    assert!(archive.curated_path().exists());
}

#[test]
fn bad_input_is_kept_as_a_reject_with_its_reason() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let archive = Archive::open(&tmp.path().join("data")).expect("opening");
    let good = write(tmp.path(), "good.mbox", MBOX);
    archive
        .import(&[good], &ImportOptions::default(), &mut NoProgress)
        .expect("importing");
    // a message without any header or body the parser can use
    let bad = write(tmp.path(), "bad.eml", "\u{0}\u{0}\u{0}not a message\u{0}");
    let s = archive
        .import(&[bad], &ImportOptions::default(), &mut NoProgress)
        .expect("a bad file does not fail the import");
    assert_eq!(s.new, 0);
    let rejects = archive.store().rejects().expect("rejects");
    assert_eq!(rejects.len(), s.rejected);
    assert!(rejects.iter().all(|r| !r.reason.is_empty()));
    assert_eq!(archive.store().stats().expect("stats").messages, 3);
    // a path that does not exist is an error naming it, and nothing is lost
    let missing = tmp.path().join("missing.mbox");
    let e = archive
        .import(&[missing], &ImportOptions::default(), &mut NoProgress)
        .expect_err("a missing path is an error");
    assert!(matches!(e, PipelineError::BadFile { .. }));
    assert!(e.to_string().contains("missing.mbox"), "{e}");
    assert_eq!(archive.store().stats().expect("stats").messages, 3);
}

#[test]
fn index_follows_the_store() {
    let (_tmp, archive, _) = archive_with(MBOX);
    let r = archive.sync_index().expect("sync");
    assert!(r.messages >= 3, "{r:?}");
    let res = archive
        .search(&plenary_search::SearchRequest {
            query: "consultations".into(),
            sort: plenary_search::Sort::Relevance,
            offset: 0,
            limit: 10,
            facets: false,
        })
        .expect("search");
    assert!(res.total >= 1);
}

/// Issue 16.8: an import killed after storing its messages and before deriving
/// from them leaves the lists pending; opening the archive finishes the work.
#[test]
fn opening_after_a_crash_finishes_the_derivation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    {
        // what a crash leaves: messages stored, nothing derived
        let mut store = plenary_store::Store::open(&data).expect("store");
        let mut batch = Vec::new();
        let mbox = format!("\n{MBOX}");
        for raw in mbox.split("\nFrom ").skip(1) {
            let (_, message) = raw.split_once('\n').expect("message");
            let bytes = message.as_bytes().to_vec();
            let item = plenary_mail::RawItem {
                bytes,
                kind: plenary_mail::RawKind::Rfc822,
                origin: "crash".into(),
                source: "crash".into(),
                envelope: None,
                list_hint: None,
                alt_page: None,
            };
            let parsed =
                plenary_mail::parse_item(&item, &Default::default(), None).expect("parses");
            batch.push(plenary_store::NewMessage {
                parsed,
                raw: item.bytes,
                alt_raw: None,
                origin: "crash".into(),
                analysis: None,
            });
        }
        assert!(store.insert_batch(batch).expect("insert").new >= 2);
        assert_eq!(store.stats().expect("stats").threads, 0);
        assert!(!store.pending_lists().expect("pending").is_empty());
    }
    let archive = Archive::open(&data).expect("open");
    let store = archive.store();
    assert!(
        store.stats().expect("stats").threads > 0,
        "threads derived on open"
    );
    assert!(store.pending_lists().expect("pending").is_empty());
}

fn search_total(archive: &Archive, q: &str) -> u64 {
    archive
        .search(&plenary_search::SearchRequest {
            query: q.into(),
            sort: plenary_search::Sort::Relevance,
            offset: 0,
            limit: 10,
            facets: false,
        })
        .expect("search")
        .total
}

/// Issue 16.1: an archived message that others quote, taken down: gone from
/// the store and the index, its words redacted from the reply that quotes it
/// (body, raw bytes and analysis) with a visible marker, a tombstone keeps a
/// re-import from bringing it back, and the audit log says what happened.
#[test]
fn takedown_of_a_quoted_message_removes_it_everywhere() {
    let (tmp, archive, _) = archive_with(MBOX);
    archive.sync_index().expect("sync");
    assert!(search_total(&archive, "quoted:plenary") >= 1);
    let report = archive
        .takedown(
            &crate::TakedownTarget::Message("a1@example.org".into()),
            "author asked",
            "secretariat",
            &mut NoProgress,
        )
        .expect("takedown");
    assert_eq!((report.removed, report.redacted), (1, 1), "{report:?}");
    assert_eq!(report.raw_rewritten_in_place, 1);
    let marker = crate::removal_marker(&report.date);
    {
        let store = archive.store();
        assert!(store.message("a1@example.org").expect("q").is_none());
        let bob = store
            .message("b1@example.net")
            .expect("q")
            .expect("bob stays");
        assert!(bob.body.contains("I agree, and I can draft the report."));
        assert!(bob.body.contains(&format!("> {marker}")), "{}", bob.body);
        assert!(!bob.body.contains("We should discuss"), "{}", bob.body);
        let raw = String::from_utf8(store.raw("b1@example.net").expect("q").expect("raw"))
            .expect("utf-8");
        assert!(
            raw.contains(&marker) && !raw.contains("We should discuss"),
            "{raw}"
        );
        assert!(
            raw.contains("Message-ID: <b1@example.net>"),
            "headers kept: {raw}"
        );
        assert!(store.taken_down_at("a1@example.org").expect("q").is_some());
    }
    for q in ["quoted:plenary", "body:plenary", "plenary", "discuss"] {
        assert_eq!(search_total(&archive, q), 0, "{q}");
    }
    let mut dataset = Vec::new();
    archive.export_dataset(&mut dataset, true).expect("export");
    let dataset = String::from_utf8(dataset).expect("utf-8");
    assert!(!dataset.contains("We should discuss"));
    assert!(dataset.contains("removed on"));
    // the same archive imported again changes nothing
    let again = archive
        .import(
            &[tmp.path().join("wg.mbox")],
            &ImportOptions::default(),
            &mut NoProgress,
        )
        .expect("re-import");
    assert_eq!((again.new, again.taken_down), (0, 1), "{again:?}");
    assert_eq!(again.duplicate, 2, "{again:?}");
    archive.sync_index().expect("sync");
    assert_eq!(search_total(&archive, "discuss"), 0);
    let log = archive.takedown_log().expect("log");
    assert_eq!(log.entries.len(), 1);
    let e = &log.entries[0];
    assert_eq!(
        (e.actor.as_str(), e.reason.as_str()),
        ("secretariat", "author asked")
    );
    assert_eq!((e.removed, e.redacted, e.raw_rewritten), (1, 1, 1));
    assert!(
        !e.target_hash.contains("a1@"),
        "the log keeps a hash, not the id"
    );
}

/// A person takedown of a name that matches two people is refused, naming
/// them; an unknown message id is an error, not a silent success.
#[test]
fn takedown_targets_must_be_unambiguous() {
    let (_tmp, archive, _) = archive_with(MBOX);
    let err = archive
        .takedown(
            &crate::TakedownTarget::Message("nope@x".into()),
            "r",
            "me",
            &mut NoProgress,
        )
        .expect_err("unknown id");
    assert!(err.to_string().contains("nope@x"), "{err}");
    assert!(archive.takedown_log().expect("log").entries.is_empty());
}

/// Issue 16.1: after an address takedown, mail from that address arriving
/// later (a mirror, the archiver) is refused, and the quotes of it redacted.
#[test]
fn address_takedown_holds_for_later_imports() {
    let (tmp, archive, _) = archive_with(MBOX);
    let report = archive
        .takedown(
            &crate::TakedownTarget::Address("Bob@Example.net".into()),
            "asked",
            "me",
            &mut NoProgress,
        )
        .expect("takedown");
    assert_eq!(report.removed, 1, "{report:?}");
    let later = write(
        tmp.path(),
        "later.mbox",
        "From bob@example.net Tue Jul  8 07:00:00 2025
From: Bob Builder <bob@example.net>
List-Id: WG Strategy <wg-strategy.lists.example.org>
Subject: Re: [WG-Strategy] Enhanced cooperation
Date: Tue, 8 Jul 2025 09:00:00 +0200
Message-ID: <b2@example.net>

A new message from Bob.
",
    );
    let s = archive
        .import(&[later], &ImportOptions::default(), &mut NoProgress)
        .expect("import");
    assert_eq!((s.new, s.taken_down), (0, 1), "{s:?}");
}

/// The writer's own mail sent again is not a lost message: a question re-sent
/// under the writer's own short-name attribution (its words also the new text),
/// and a private reply forwarded to the list with no words of one's own.
#[test]
fn self_resends_recover_nothing() {
    let question = "Is there a way to serve static files from a resource that also renders templates? I tried putFile but the template is never rendered.";
    let mbox = format!(
        "From olivier@example.org Sun Nov 27 17:12:54 2005\n\
         From: Olivier Laurent <olivier@example.org>\nTo: wg-strategy@example.org\n\
         List-Id: <wg-strategy.example.org>\nSubject: static files and templates\n\
         Date: Sun, 27 Nov 2005 17:12:54 +0100\nMessage-ID: <resend-1@example.org>\n\n\
         On dim, 27 nov 2005, at 16:18, oli wrote:\n\n{question}\n\n\
         From ana@example.org Mon Nov 28 09:00:00 2005\n\
         From: Ana Neves <ana@example.org>\nTo: wg-strategy@example.org\n\
         List-Id: <wg-strategy.example.org>\nSubject: templates again\n\
         Date: Mon, 28 Nov 2005 09:00:00 +0100\nMessage-ID: <resend-2@example.org>\n\n\
         {question}\n\nOn Sun, Nov 27, 2005 at 8:00 AM, Ana wrote:\n> {question}\n\n\
         From jon@example.nz Tue Apr 19 20:25:00 2022\n\
         From: Jonathan Godwin <jon@example.nz>\nTo: wg-strategy@example.org\n\
         List-Id: <wg-strategy.example.org>\nSubject: FW: single page reference manual\n\
         Date: Tue, 19 Apr 2022 20:25:00 +1200\nMessage-ID: <fw-1@example.nz>\n\n\
         -----Original Message-----\nFrom: Jonathan Godwin\nSent: Tuesday, 19 April 2022 8:24 pm\n\
         To: 'Ivan Kirov' <ivan@example.com>\nSubject: RE: single page reference manual\n\n\
         Thanks Ivan, the single page manual works well with a screen reader and I will\n\
         use it for the next release of the package documentation.\n\n"
    );
    let (_tmp, _archive, s) = archive_with(&mbox);
    assert_eq!(s.new, 3, "{s:?}");
    assert_eq!(s.reconstructed, 0, "{s:?}");
}
