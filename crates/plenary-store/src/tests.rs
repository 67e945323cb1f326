use super::*;
use plenary_mail::{parse_item, ParseOptions, RawItem, RawKind};

pub(crate) fn msg(raw: &str) -> NewMessage {
    let item = RawItem {
        bytes: raw.as_bytes().to_vec(),
        kind: RawKind::Rfc822,
        origin: "t".into(),
        source: "t".into(),
        envelope: None,
        list_hint: None,
        alt_page: None,
    };
    let parsed = parse_item(&item, &ParseOptions::default(), Some("test")).expect("parses");
    NewMessage {
        parsed,
        raw: item.bytes,
        alt_raw: None,
        origin: "t".into(),
        analysis: None,
    }
}

#[test]
fn insert_dedup_thread_and_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: A <a@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nhello\n";
    let b = "From: B <b@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <b@x>\nIn-Reply-To: <a@x>\nDate: Tue, 1 Apr 2025 01:00:00 +0000\n\nreply\n";
    let c = "From: C <c@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <c@x>\nReferences: <a@x> <missing@x>\nDate: Tue, 1 Apr 2025 02:00:00 +0000\n\nghost child\n";
    let out = s.insert_batch(vec![msg(b), msg(c)]).expect("insert");
    assert_eq!(out.new, 2);
    s.rethread(&[]).expect("rethread");
    let t1 = s.threads(Some("l"), None, 10).expect("threads");
    assert_eq!(t1.len(), 1, "ghost root joins b and c");
    // The missing root arrives later: same thread id, now with 3 messages.
    let out = s.insert_batch(vec![msg(a), msg(b)]).expect("insert");
    assert_eq!(
        out,
        BatchOutcome {
            new: 1,
            duplicate: 1,
            ..Default::default()
        }
    );
    s.rethread(&["l".to_string()]).expect("rethread");
    let t2 = s.threads(Some("l"), None, 10).expect("threads");
    assert_eq!(t2.len(), 1);
    assert_eq!(t2[0].id, t1[0].id);
    assert_eq!(t2[0].count, 3);
    assert_eq!(t2[0].subject, "Plan");
    // month filter spans the boundary: thread active in both months
    assert_eq!(
        s.threads(Some("l"), Some("2025-03"), 10).expect("m").len(),
        1
    );
    assert_eq!(
        s.threads(Some("l"), Some("2025-04"), 10).expect("m").len(),
        1
    );
    let d = s.thread(&t2[0].id).expect("q").expect("thread");
    assert_eq!(d.messages[0].id, "a@x");
    assert_eq!(d.messages[0].depth, 0);
    let b_row = d.messages.iter().find(|m| m.id == "b@x").expect("b");
    assert_eq!(b_row.parent.as_deref(), Some("a@x"));
    let c_row = d.messages.iter().find(|m| m.id == "c@x").expect("c");
    assert_eq!(c_row.ghost_parent.as_deref(), Some("missing@x"));
    assert_eq!(s.raw("a@x").expect("raw").expect("some"), a.as_bytes());
    let st = s.stats().expect("stats");
    assert_eq!((st.messages, st.threads, st.lists), (3, 1, 1));
    assert!(s.insert_reject("f#1", "bad", b"xx").expect("rej"));
    assert!(!s.insert_reject("f#1", "bad", b"xx").expect("rej"));
    assert_eq!(s.rejects().expect("r").len(), 1);
    assert_eq!(s.months("l").expect("months").len(), 2);
    assert!(month_bounds("2025--128").is_none());
    assert!(month_bounds("2025-13").is_none());
    assert_eq!(
        month_bounds("2025-12").map(|(a, b)| b - a),
        Some(31 * 86400)
    );
}

/// Issue 16.4: a different message reusing a stored Message-ID is kept under a
/// derived id (and says so); identical bytes, or the same decoded message in
/// another copy, are the only duplicates; importing the collided one again is a
/// duplicate too.
#[test]
fn message_id_collisions_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: A <a@x>\nSubject: s\nMessage-ID: <same@x>\nDate: Mon, 31 Mar 2025 10:00:00 +0000\n\nfirst\n";
    let other = "From: B <b@x>\nSubject: t\nMessage-ID: <same@x>\nDate: Mon, 31 Mar 2025 11:00:00 +0000\n\nsecond\n";
    let copy = format!("Received: from relay\n{a}");
    let out = s.insert_batch(vec![msg(a), msg(other)]).expect("insert");
    assert_eq!((out.new, out.duplicate, out.collisions), (2, 0, 1));
    let out = s
        .insert_batch(vec![msg(a), msg(other), msg(&copy)])
        .expect("again");
    assert_eq!((out.new, out.duplicate, out.collisions), (0, 3, 0));
    assert_eq!(s.stats().expect("stats").messages, 2);
    let first = s.message("same@x").expect("q").expect("kept");
    assert!(first.body.contains("first"));
    let derived: String = s
        .conn
        .query_row(
            "SELECT id FROM messages WHERE id LIKE 'same@x~%'",
            [],
            |r| r.get(0),
        )
        .expect("the second is stored under a derived id");
    let second = s.message(&derived).expect("q").expect("kept");
    assert!(second.body.contains("second"));
    assert!(
        second.warnings.iter().any(|w| w.contains("same@x")),
        "{:?}",
        second.warnings
    );
    assert_eq!(
        s.raw(&derived).expect("raw").expect("some"),
        other.as_bytes()
    );
}

/// Issue 16.8: the lists an import stored messages in stay pending until their
/// derivation is done, so a crash in between is seen when the store is opened.
#[test]
fn lists_stay_pending_until_derived() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: A <a@x>\nSubject: s\nMessage-ID: <p@x>\nList-Id: <l.x>\nDate: Mon, 31 Mar 2025 10:00:00 +0000\n\nfirst\n";
    s.insert_batch(vec![msg(a)]).expect("insert");
    let pending = s.pending_lists().expect("pending");
    assert_eq!(pending.len(), 1);
    drop(s);
    let mut s = Store::open(dir.path()).expect("reopen");
    assert_eq!(s.pending_lists().expect("pending"), pending);
    s.derivation_done(&pending).expect("done");
    assert!(s.pending_lists().expect("pending").is_empty());
}

/// Issue 12.5: a message recovered from a quote whose attribution gave no UTC
/// offset keeps its local time without a zone wherever the store reads it, and
/// a feed dates it by the archived message that quotes it (Atom needs an instant).
#[test]
fn recovered_local_times_are_never_read_as_utc() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: Ana <ana@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Wed, 23 Jul 2025 18:30:00 +0000\n\nYes.\n\nOn Tue, Jul 22, 2025 at 11:50 PM Raul wrote:\n> We need it.\n";
    s.insert_batch(vec![msg(a)]).expect("insert");
    s.rethread(&[]).expect("rethread");
    let thread = s.threads(Some("l"), None, 10).expect("threads")[0]
        .id
        .clone();
    let recovered = |id: &str, exact: bool| NewReconstructed {
        id: id.into(),
        thread_id: Some(thread.clone()),
        source_id: "a@x".into(),
        parent: None,
        depth: 1,
        author_name: Some("Raul".into()),
        author_address: None,
        via_list: None,
        // 23:50 on the 22nd, where Raul was (or UTC when exact)
        date: Some(1_753_228_200),
        date_exact: exact,
        date_text: Some("Tue, Jul 22, 2025 at 11:50 PM".into()),
        subject: None,
        body: "We need it.".into(),
        attribution: None,
        quoted_by: 1,
    };
    s.replace_reconstructed("l", &[recovered("r1", false), recovered("r2", true)], &[])
        .expect("replace");
    let feed = s
        .feed_messages_by_id(&["r1".into(), "r2".into(), "a@x".into()])
        .expect("feed");
    let of = |id: &str| feed.iter().find(|m| m.id == id).expect("in feed");
    // the quoting message's instant, and the local time kept apart
    assert_eq!(of("r1").date, Some(1_753_295_400));
    assert_eq!(of("r1").local_date.as_deref(), Some("2025-07-22T23:50:00"));
    assert_eq!(of("r2").date, Some(1_753_228_200));
    assert_eq!(of("r2").local_date, None);
    assert_eq!(of("a@x").local_date, None);
    let order: Vec<&str> = feed.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(order[2], "r2", "oldest real instant last: {order:?}");
    let people = s
        .message_summaries(&["r1".into(), "r2".into()], true)
        .expect("summaries");
    let p = |id: &str| people.iter().find(|m| m.id == id).expect("listed");
    assert_eq!(
        (p("r1").date.as_deref(), p("r1").date_exact),
        (Some("2025-07-22T23:50:00"), false)
    );
    assert_eq!(
        (p("r2").date.as_deref(), p("r2").date_exact),
        (Some("2025-07-22T23:50:00Z"), true)
    );
    let recovered_refs = s.recovered_from("a@x").expect("recovered");
    assert!(recovered_refs
        .iter()
        .any(|r| r.id == "r1" && r.date.as_deref() == Some("2025-07-22T23:50:00")));
    let t = s.thread(&thread).expect("q").expect("thread");
    let r1 = t.messages.iter().find(|m| m.id == "r1").expect("r1");
    assert_eq!(
        (r1.date.as_deref(), r1.date_exact),
        (Some("2025-07-22T23:50:00"), false)
    );
}

/// Two stores in temporary folders holding the same messages, threaded whole when
/// `threaded`: for tests that derive them two ways and compare.
fn twin_stores(raws: &[&str], threaded: bool) -> [(tempfile::TempDir, Store); 2] {
    [(), ()].map(|_| {
        let d = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(d.path()).expect("open");
        s.insert_batch(raws.iter().map(|r| msg(r)).collect())
            .expect("insert");
        if threaded {
            s.rethread(&[]).expect("rethread");
        }
        (d, s)
    })
}

/// An incremental rethread reads the whole part of the list new messages connect to (here
/// a subject group holding a header-less reply joins two threads of one subject), but
/// rewrites and names only the threads that changed: the earlier thread of that subject,
/// connected but unchanged, is not touched (every touched thread is retagged).
#[test]
fn rethreading_since_touches_only_the_threads_that_changed() {
    let a = "From: A <a@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nhello\n";
    let b = "From: B <b@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 1 Apr 2025 01:00:00 +0000\n\nreply\n";
    let c = "From: C <c@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <c@x>\nDate: Tue, 1 Apr 2025 02:00:00 +0000\n\nno headers\n";
    let q = "From: D <d@x.org>\nSubject: [L] Plan\nMessage-ID: <q@x>\nDate: Wed, 1 Oct 2025 09:00:00 +0000\n\nthe plan again\n";
    let r = "From: E <e@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <r@x>\nIn-Reply-To: <q@x>\nDate: Wed, 1 Oct 2025 10:00:00 +0000\n\nreply to the new one\n";
    let [(_d1, mut inc), (_d2, mut full)] = twin_stores(&[a, b, c, q], true);
    let before = inc.threads(Some("l"), None, 10).expect("threads");
    assert_eq!(before.len(), 2, "{before:?}");
    let first = before
        .iter()
        .find(|t| t.count == 3)
        .expect("the April thread")
        .id
        .clone();
    let second = before
        .iter()
        .find(|t| t.count == 1)
        .expect("the October thread")
        .id
        .clone();
    let since = inc.max_message_seq().expect("seq");
    for s in [&mut inc, &mut full] {
        s.insert_batch(vec![msg(r)]).expect("insert");
    }
    let got = inc.rethread_since("l", since).expect("rethread since");
    full.rethread(&["l".to_string()]).expect("rethread");
    assert_eq!(
        inc.derived_rows().expect("rows"),
        full.derived_rows().expect("rows")
    );
    assert_eq!(got.messages, 5, "the subject group connects both threads");
    assert_eq!(
        got.touched_threads,
        vec![second],
        "only the thread r joined"
    );
    assert!(!got.touched_threads.contains(&first));
}

/// Rethreading only what new messages connect to leaves what rethreading the whole list
/// leaves, and names the touched threads only: a late root joining its ghost-rooted
/// thread, a header-less reply found by subject, and an unrelated thread left alone.
#[test]
fn rethreading_since_equals_rethreading_the_list() {
    let a = "From: A <a@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nhello\n";
    let b = "From: B <b@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 1 Apr 2025 01:00:00 +0000\n\nreply\n";
    let c = "From: C <c@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <c@x>\nDate: Tue, 1 Apr 2025 02:00:00 +0000\n\nno headers\n";
    let o = "From: D <d@x.org>\nSubject: [L] Other\nMessage-ID: <o@x>\nDate: Tue, 1 Apr 2025 03:00:00 +0000\n\nelsewhere\n";
    let p = "From: E <e@x.org>\nSubject: Re: [L] Other\nMessage-ID: <p@x>\nIn-Reply-To: <o@x>\nDate: Tue, 1 Apr 2025 04:00:00 +0000\n\nreply elsewhere\n";
    let [(_d1, mut inc), (_d2, mut full)] = twin_stores(&[b, o, p], true);
    let other = inc.threads(Some("l"), None, 10).expect("threads");
    let other = other.iter().find(|t| t.subject == "Other").expect("other");
    let since = inc.max_message_seq().expect("seq");
    for s in [&mut inc, &mut full] {
        s.insert_batch(vec![msg(a), msg(c)]).expect("insert");
    }
    // a third store finds the part reading the list whole (a part over the walk's limit)
    let [(_d3, mut read), _] = twin_stores(&[b, o, p], true);
    read.insert_batch(vec![msg(a), msg(c)]).expect("insert");
    let r = inc.rethread_since("l", since).expect("rethread since");
    let by_reading = read
        .rethread_list_batched("l", Some(since), 4096, (usize::MAX, 0))
        .expect("rethread reading the list");
    assert_eq!(by_reading, r);
    full.rethread(&["l".to_string()]).expect("rethread");
    assert_eq!(
        inc.derived_rows().expect("rows"),
        full.derived_rows().expect("rows")
    );
    assert_eq!(
        read.derived_rows().expect("rows"),
        full.derived_rows().expect("rows")
    );
    assert_eq!(r.messages, 3, "a, b and c: not the other thread");
    assert_eq!(r.threads, 2);
    assert!(!r.touched_threads.contains(&other.id));
    let parents: std::collections::HashMap<String, Option<String>> = inc
        .parents()
        .expect("parents")
        .into_iter()
        .map(|p| (p.id, p.parent))
        .collect();
    assert_eq!(parents["b@x"].as_deref(), Some("a@x"));
    assert_eq!(parents["c@x"].as_deref(), Some("b@x"), "by subject");
}

/// A rethread rewriting more rows than one transaction takes leaves what one
/// transaction leaves; the list is pending only meanwhile (a list pending before, from
/// an import not yet derived, stays pending).
#[test]
fn rethreading_in_several_transactions_equals_one() {
    let mut raws = Vec::new();
    for i in 0..9 {
        let reply = if i % 3 == 0 {
            String::new()
        } else {
            format!("In-Reply-To: <m{}@x>\n", i - 1)
        };
        raws.push(format!(
            "From: A{i} <a{i}@x.org>\nSubject: [L] Topic {}\nMessage-ID: <m{i}@x>\n{reply}Date: Tue, 1 Apr 2025 0{i}:00:00 +0000\n\nbody {i}\n",
            i / 3
        ));
    }
    let raws: Vec<&str> = raws.iter().map(String::as_str).collect();
    let [(_d1, mut batched), (_d2, mut whole)] = twin_stores(&raws, false);
    // pending from the import: stays so
    let r = batched
        .rethread_list_batched("l", None, 2, (usize::MAX, usize::MAX))
        .expect("rethread");
    assert_eq!(r.threads, 3);
    assert_eq!(batched.pending_lists().expect("pending"), vec!["l"]);
    whole
        .rethread_list_batched("l", None, usize::MAX, (usize::MAX, usize::MAX))
        .expect("rethread");
    assert_eq!(
        batched.derived_rows().expect("rows"),
        whole.derived_rows().expect("rows")
    );
    // derived, then every row moved again (a new message roots them all): marked
    // pending while the rows are written in parts, and no longer after
    for s in [&mut batched, &mut whole] {
        s.derivation_done(&["l".to_string()]).expect("done");
        s.conn
            .execute("UPDATE messages SET thread_id = NULL, parent = NULL", [])
            .expect("forget threads");
    }
    batched
        .rethread_list_batched("l", None, 2, (usize::MAX, usize::MAX))
        .expect("rethread");
    whole.rethread(&["l".to_string()]).expect("rethread");
    assert!(batched.pending_lists().expect("pending").is_empty());
    assert_eq!(
        batched.derived_rows().expect("rows"),
        whole.derived_rows().expect("rows")
    );
}

/// A message's sighting is computed once and stored; a change to what it was read
/// from (its analysis) drops it, and the next read computes it again.
#[test]
fn sightings_are_computed_once_and_again_after_a_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: A <a@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nhello\n";
    let b = "From: B <b@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 1 Apr 2025 01:00:00 +0000\n\nreply\n";
    s.insert_batch(vec![msg(a), msg(b)]).expect("insert");
    let read = |s: &mut Store| {
        let computed = std::cell::Cell::new(0);
        let mut seen = Vec::new();
        s.for_each_sighting(
            |r| {
                computed.set(computed.get() + 1);
                MessageSighting {
                    name: r.author_name.clone(),
                    ..MessageSighting::default()
                }
            },
            |r| seen.push((r.id, r.sighting.name)),
        )
        .expect("sightings");
        (computed.get(), seen)
    };
    let (n, seen) = read(&mut s);
    assert_eq!(n, 2);
    assert_eq!(
        seen,
        vec![
            ("a@x".to_string(), Some("A".to_string())),
            ("b@x".to_string(), Some("B".to_string()))
        ]
    );
    assert_eq!(read(&mut s), (0, seen.clone()), "stored: nothing computed");
    let analysis = StoredAnalysis::default();
    let changed = s
        .update_analyses(&[("b@x".to_string(), analysis.clone())])
        .expect("update");
    assert_eq!(changed, vec!["b@x".to_string()]);
    assert_eq!(
        read(&mut s).0,
        1,
        "b's sighting was dropped and computed again"
    );
    let same = s
        .update_analyses(&[("b@x".to_string(), analysis)])
        .expect("update");
    assert!(same.is_empty(), "the same analysis changes nothing");
    assert_eq!(read(&mut s).0, 0);
}

/// A list's messages read without their parsed quotes carry their quote count and
/// quoted texts, and one message's quotes read alone are those the full read gives.
#[test]
fn messages_read_without_their_quotes_and_one_message_quotes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: A <a@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nThe draft is ready.\n";
    let b = "From: B <b@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 1 Apr 2025 01:00:00 +0000\n\nI agree.\n\nOn Mon, 31 Mar 2025 at 23:00, A <a@x.org> wrote:\n> The draft is ready.\n";
    s.insert_batch(vec![msg(a), msg(b)]).expect("insert");
    let body_b =
        "I agree.\n\nOn Mon, 31 Mar 2025 at 23:00, A <a@x.org> wrote:\n> The draft is ready.\n";
    let analysis = StoredAnalysis::from_analysis(plenary_quotes::analyze(body_b));
    s.update_analyses(&[("b@x".to_string(), analysis)])
        .expect("update");
    let list = s.lists().expect("lists")[0].slug.clone();
    let full = s.analysed_messages(&list).expect("full");
    let lean = s.analysed_messages_without_quotes(&list).expect("lean");
    assert_eq!(full.len(), 2);
    assert_eq!(lean.len(), 2);
    for (f, l) in full.iter().zip(&lean) {
        assert_eq!(f.id, l.id);
        assert!(l.quotes.is_empty());
        assert_eq!(l.quote_count, f.quotes.len());
        assert_eq!(l.quoted_text, f.quoted_text);
        assert_eq!(s.message_quotes(&l.id).expect("quotes"), f.quotes);
    }
    let b_lean = lean.iter().find(|m| m.id == "b@x").expect("b");
    assert_eq!(b_lean.quote_count, 2);
    assert_eq!(b_lean.quoted_text, "\nThe draft is ready.");
    assert!(s.message_quotes("nobody@x").expect("unknown").is_empty());
    // a stored analysis that does not read is an error naming the message
    s.conn
        .execute("UPDATE messages SET quotes = '[{' WHERE id = 'b@x'", [])
        .expect("corrupt");
    let e = s.message_quotes("b@x").expect_err("corrupt quotes");
    assert!(e.to_string().contains("b@x"), "{e}");
    let e = s
        .analysed_messages_without_quotes(&list)
        .expect_err("corrupt quotes");
    assert!(e.to_string().contains("b@x"), "{e}");
}

#[test]
fn the_last_people_resolution_is_kept_until_people_are_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    assert_eq!(s.people_resolution().expect("read"), None);
    let r = PeopleResolution {
        fingerprint: "abc".into(),
        persons: vec!["p1".into(), String::new(), "p1".into()],
        order: vec!["p1".into()],
    };
    s.set_people_resolution(&r).expect("write");
    assert_eq!(s.people_resolution().expect("read"), Some(r.clone()));
    // a second write replaces the first
    let r2 = PeopleResolution {
        fingerprint: "def".into(),
        ..r
    };
    s.set_people_resolution(&r2).expect("write");
    assert_eq!(s.people_resolution().expect("read"), Some(r2));
    // `people rebuild` forgets it
    s.forget_sightings().expect("forget");
    assert_eq!(s.people_resolution().expect("read"), None);
}

#[test]
fn an_unreadable_people_resolution_is_stale_not_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Store::open(dir.path()).expect("open");
    s.conn
        .execute(
            "INSERT INTO people_resolution(id, fingerprint, persons) VALUES (1, 'x', 'not json')",
            [],
        )
        .expect("write");
    // the next resolution simply runs whole
    assert_eq!(s.people_resolution().expect("read"), None);
}

/// A list read a page at a time gives every message of it once, in import order,
/// and none of another list's.
#[test]
fn body_pages_cover_a_list_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let mut batch = Vec::new();
    for i in 0..7 {
        let list = if i % 3 == 0 { "other" } else { "main" };
        let raw = format!(
            "From: A <a@x.org>\nSubject: [{list}] m{i}\nList-Id: <{list}.x.org>\nMessage-ID: <m{i}@x>\nDate: Mon, 31 Mar 2025 2{i}:00:00 +0000\n\nbody {i}\n"
        );
        batch.push(msg(&raw));
    }
    s.insert_batch(batch).expect("insert");
    let lists: Vec<String> = s
        .lists()
        .expect("lists")
        .into_iter()
        .map(|l| l.slug)
        .collect();
    let main = lists
        .iter()
        .find(|l| l.contains("main"))
        .expect("main list");
    let mut after = i64::MIN;
    let mut seen = Vec::new();
    loop {
        let page = s.body_page(main, after, 2).expect("page");
        let Some(&(last, _)) = page.last() else { break };
        assert!(page.len() <= 2);
        after = last;
        seen.extend(page.into_iter().map(|(_, b)| b.id));
    }
    let whole: Vec<String> = s
        .bodies(main)
        .expect("bodies")
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(seen, whole);
    assert_eq!(seen.len(), 4, "{seen:?}");
}

/// What a list's messages carry of its learned footers and signatures is recorded with
/// the list's last message; a list without messages records 0; forgetting one list or
/// all leaves none; a later message is stored after the recorded one, as is every id
/// `message_ids_since` gives.
#[test]
fn learned_footers_applied_are_recorded_per_list_up_to_its_last_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let raw = |list: &str, i: usize| {
        format!(
            "From: A <a@x.org>\nSubject: [{list}] m{i}\nList-Id: <{list}.x.org>\nMessage-ID: <{list}{i}@x>\nDate: Mon, 31 Mar 2025 1{i}:00:00 +0000\n\nbody {i}\n"
        )
    };
    s.insert_batch(
        (0..3)
            .map(|i| msg(&raw(if i == 1 { "other" } else { "main" }, i)))
            .collect(),
    )
    .expect("insert");
    let lists: Vec<String> = s
        .lists()
        .expect("lists")
        .into_iter()
        .map(|l| l.slug)
        .collect();
    let main = lists
        .iter()
        .find(|l| l.contains("main"))
        .expect("main list");
    let other = lists
        .iter()
        .find(|l| l.contains("other"))
        .expect("other list");
    assert_eq!(s.learned_applied(main).expect("read"), None);
    s.set_learned_applied(main, "d1", None).expect("set");
    s.set_learned_applied(other, "d2", None).expect("set");
    s.set_learned_applied("empty", "d3", None).expect("set");
    assert_eq!(s.learned_applied_signatures(main).expect("read"), None);
    // what a pass applied is kept with it, and dropped by a pass that does not say
    let sigs: std::collections::HashMap<String, Vec<String>> = [(
        "a@x.org".to_string(),
        vec!["A\nhttps://a.example".to_string()],
    )]
    .into();
    s.set_learned_applied(other, "d2", Some(("f1", &sigs)))
        .expect("set");
    assert_eq!(
        s.learned_applied_signatures(other).expect("read"),
        Some(("f1".to_string(), sigs.clone()))
    );
    s.set_learned_applied(other, "d2", None).expect("set");
    assert_eq!(s.learned_applied_signatures(other).expect("read"), None);
    s.set_learned_applied(other, "d2", Some(("f1", &sigs)))
        .expect("set");
    let (d, up_to) = s.learned_applied(main).expect("read").expect("recorded");
    assert_eq!((d.as_str(), up_to), ("d1", 3));
    assert_eq!(
        s.learned_applied(other).expect("read").map(|x| x.1),
        Some(2)
    );
    assert_eq!(
        s.learned_applied("empty").expect("read").map(|x| x.1),
        Some(0)
    );
    s.insert_batch(vec![msg(&raw("main", 4))]).expect("insert");
    let new = s.message_ids_since(main, up_to).expect("ids");
    assert_eq!(new.len(), 1);
    assert!(s.all_stored_after(&new, up_to).expect("seqs"));
    let all: Vec<String> = s
        .bodies(main)
        .expect("bodies")
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert!(!s.all_stored_after(&all, up_to).expect("seqs"));
    s.forget_learned_applied(Some(main)).expect("forget");
    assert_eq!(s.learned_applied(main).expect("read"), None);
    assert!(s.learned_applied(other).expect("read").is_some());
    s.forget_learned_applied(None).expect("forget all");
    assert_eq!(s.learned_applied(other).expect("read"), None);
    assert_eq!(s.learned_applied_signatures(other).expect("read"), None);
    // a list's authors up to a seq, without bodies, and bodies by seq
    let authors = s.author_page(main, i64::MIN, up_to, 10).expect("authors");
    // up to the recorded message: the two before it, not the one after
    assert_eq!(authors.len(), 2, "{authors:?}");
    assert!(authors.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(authors
        .iter()
        .all(|(_, _, a)| a.as_deref() == Some("a@x.org")));
    let seqs: Vec<i64> = authors.iter().map(|a| a.0).rev().collect();
    let bodies = s.bodies_by_seq(&seqs).expect("bodies");
    assert_eq!(
        bodies.iter().map(|b| b.id.clone()).collect::<Vec<_>>(),
        all[..2].to_vec()
    );
}

/// People and links are replaced by what is written, links streamed: a message's link
/// by its seq, others by kind and target; a link no longer written is removed, a
/// changed one rewritten, and an unknown seq links nothing. Writing the same again
/// changes nothing (the generation stays).
#[test]
fn person_links_are_replaced_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: A <a@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nhello\n";
    let b = "From: B <b@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 1 Apr 2025 01:00:00 +0000\n\nreply\n";
    s.insert_batch(vec![msg(a), msg(b)]).expect("insert");
    let seq_of = |s: &Store, id: &str| -> i64 {
        s.conn
            .query_row("SELECT seq FROM messages WHERE id = ?1", [id], |r| r.get(0))
            .expect("seq")
    };
    let (sa, sb) = (seq_of(&s, "a@x"), seq_of(&s, "b@x"));
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
    let people = vec![person("p1", "A"), person("p2", "B")];
    s.replace_people(&people, |l| {
        l.message(sa, "p1")?;
        l.message(sb, "p1")?;
        l.message(sb, "p2")?; // the last link of a target wins
        l.message(9999, "p2")?; // no such message
        l.link("speaker", "sess#0", "p2")
    })
    .expect("replace");
    assert_eq!(
        s.person_of("message", "a@x").expect("q").as_deref(),
        Some("p1")
    );
    assert_eq!(
        s.person_of("message", "b@x").expect("q").as_deref(),
        Some("p2")
    );
    assert_eq!(
        s.person_of("speaker", "sess#0").expect("q").as_deref(),
        Some("p2")
    );
    let count = |s: &Store| -> i64 {
        s.conn
            .query_row("SELECT COUNT(*) FROM person_links", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(count(&s), 3);
    let g = s.generation().expect("generation");
    s.replace_people(&people, |l| {
        l.message(sa, "p1")?;
        l.message(sb, "p2")?;
        l.link("speaker", "sess#0", "p2")
    })
    .expect("same again");
    assert_eq!(s.generation().expect("generation"), g, "nothing changed");
    s.replace_people(&people[..1], |l| l.message(sb, "p1"))
        .expect("replace");
    assert_eq!(count(&s), 1);
    assert_eq!(
        s.person_of("message", "b@x").expect("q").as_deref(),
        Some("p1")
    );
    assert_eq!(s.person_of("message", "a@x").expect("q"), None);
    assert!(s.person("p2").expect("q").is_none());
    assert!(s.generation().expect("generation") > g);
    // a link to a message no longer stored goes; a speaker's changed person is
    // rewritten, and the message links that stand are left alone
    s.conn
        .execute(
            "INSERT INTO person_links(kind, target, person) VALUES
               ('message', 'gone@x', 'p1'), ('speaker', 'sess#1', 'p1')",
            [],
        )
        .expect("insert");
    s.replace_people(&people, |l| {
        l.message(sb, "p1")?;
        l.message(sa, "p2")?;
        l.link("speaker", "sess#1", "p2")
    })
    .expect("replace");
    assert_eq!(s.person_of("message", "gone@x").expect("q"), None);
    assert_eq!(
        s.person_of("speaker", "sess#1").expect("q").as_deref(),
        Some("p2")
    );
    assert_eq!(
        s.person_of("message", "a@x").expect("q").as_deref(),
        Some("p2")
    );
    assert_eq!(count(&s), 3);
}

#[test]
fn the_page_cache_is_set_per_connection() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut s = Store::open(dir.path()).expect("open");
    let default = i64::from(crate::DEFAULT_PAGE_CACHE_KIB);
    assert_eq!(
        s.page_cache_kib().expect("read"),
        default,
        "SQLite's default"
    );
    s.set_page_cache_kib(64 * 1024).expect("set");
    assert_eq!(s.page_cache_kib().expect("read"), 64 * 1024);
    // another connection to the same store keeps the default
    let other = Store::open(dir.path()).expect("open again");
    assert_eq!(other.page_cache_kib().expect("read"), default);
    s.set_page_cache_kib(crate::DEFAULT_PAGE_CACHE_KIB)
        .expect("set back");
    assert_eq!(s.page_cache_kib().expect("read"), default);
}

/// A first resolution writes its many message links in bulk: the same rows as one at a
/// time, and writing them again changes nothing.
#[test]
fn many_person_links_are_written_in_bulk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let n = crate::people::BULK_LINKS + 10;
    let raws: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "From: A{i} <a{i}@x.org>\nSubject: [L] Note {i}\nMessage-ID: <m{i}@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nhello {i}\n"
            )
        })
        .collect();
    s.insert_batch(raws.iter().map(|r| msg(r)).collect())
        .expect("insert");
    let seqs: Vec<(i64, String)> = {
        let mut q = s
            .conn
            .prepare("SELECT seq, id FROM messages ORDER BY seq")
            .expect("prepare");
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<std::result::Result<_, _>>()
            .expect("rows")
    };
    assert_eq!(seqs.len(), n);
    let person_of_seq = |seq: i64| if seq % 2 == 0 { "p1" } else { "p2" };
    let write = |s: &mut Store| {
        s.replace_people(&[], |l| {
            for (seq, _) in &seqs {
                l.message(*seq, person_of_seq(*seq))?;
            }
            Ok(())
        })
        .expect("replace")
    };
    write(&mut s);
    for (seq, id) in seqs.iter().step_by(997) {
        assert_eq!(
            s.person_of("message", id).expect("q").as_deref(),
            Some(person_of_seq(*seq))
        );
    }
    let count: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM person_links", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count as usize, n);
    let g = s.generation().expect("generation");
    write(&mut s);
    assert_eq!(s.generation().expect("generation"), g, "nothing changed");
}

/// Migration 10: sightings stored before it get their message's id and list, and
/// resolution reads them from the sightings alone.
#[test]
fn sightings_stored_before_migration_10_get_their_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path()).expect("open");
    let a = "From: A <a@x.org>\nSubject: [L] Plan\nMessage-ID: <a@x>\nDate: Mon, 31 Mar 2025 23:00:00 +0000\n\nhello\n";
    let b = "From: B <b@x.org>\nSubject: Re: [L] Plan\nMessage-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 1 Apr 2025 01:00:00 +0000\n\nreply\n";
    s.insert_batch(vec![msg(a), msg(b)]).expect("insert");
    let sighting = |r: &AuthorRow| MessageSighting {
        name: r.author_name.clone(),
        address: r.author_address.clone(),
        ..MessageSighting::default()
    };
    let read = |s: &mut Store| {
        let mut v: Vec<(String, String, Option<String>)> = Vec::new();
        s.for_each_sighting(sighting, |r| {
            if !r.reconstructed {
                v.push((r.id, r.list, r.sighting.name));
            }
        })
        .expect("sightings");
        v
    };
    let fresh = read(&mut s);
    assert_eq!(fresh.len(), 2);
    // as a store of version 9 held them: no id, no list
    s.conn
        .execute_batch(
            "ALTER TABLE author_sightings DROP COLUMN id;
             ALTER TABLE author_sightings DROP COLUMN list;
             PRAGMA user_version = 9;",
        )
        .expect("back to version 9");
    drop(s);
    let mut s = Store::open(dir.path()).expect("migrate");
    let keyed: i64 = s
        .conn
        .query_row(
            "SELECT COUNT(*) FROM author_sightings s JOIN messages m
              ON m.seq = s.seq AND m.id = s.id AND m.list = s.list",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        keyed, 2,
        "both sightings kept, with their message's id and list"
    );
    assert_eq!(read(&mut s), fresh);
}
