//! Search: the query language on the seeds, the index kept consistent with
//! the store, bad queries explained (CLI, page and API).

use std::path::Path;

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, run_ok, shared};

fn search(data: &Path, q: &str) -> serde_json::Value {
    json(&run_ok(plenary(data).args([
        "search",
        "--json",
        "--per-page",
        "50",
        q,
    ])))
}

fn hits(r: &serde_json::Value) -> Vec<(String, String)> {
    r["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    (
                        h["kind"].as_str().unwrap_or_default().to_string(),
                        h["id"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has(r: &serde_json::Value, kind: &str, pred: impl Fn(&serde_json::Value) -> bool) -> bool {
    r["hits"]
        .as_array()
        .is_some_and(|a| a.iter().any(|h| h["kind"] == kind && pred(h)))
}

#[test]
fn seed_acceptance_queries() {
    let Some(seeds) = shared("seeds") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    import_json(&data, &[&seeds]);
    // enhanced cooperation: the session and the thread.
    let r = search(&data, "enhanced cooperation");
    assert!(
        has(&r, "session", |h| h["id"] == "wsis-forum-2025-400"),
        "{r}"
    );
    assert!(has(&r, "message", |h| h["thread"].is_string()), "{r}");

    // cooperação finds Ana Neves's (English) text through the shared stem.
    let r = search(&data, "cooperação");
    let ana = search(&data, "cooperação from:neves");
    assert!(
        has(&ana, "reconstructed", |h| h["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>cooperation</mark>"))),
        "{r}"
    );
    let ana_id = hits(&ana)[0].1.clone();
    assert!(hits(&r).iter().any(|(_, id)| *id == ana_id), "{r}");

    // from:anriette finds her message.
    let r = search(&data, "from:anriette");
    assert!(
        has(&r, "message", |h| h["id"]
            .as_str()
            .is_some_and(|i| !i.starts_with('r'))),
        "{r}"
    );

    // speaker:anriette finds session 400.
    let r = search(&data, "speaker:anriette");
    assert!(
        has(&r, "session", |h| h["id"] == "wsis-forum-2025-400"),
        "{r}"
    );

    // sdg:16 lists session 400.
    let r = search(&data, "sdg:16");
    assert!(
        has(&r, "session", |h| h["id"] == "wsis-forum-2025-400"),
        "{r}"
    );

    // quoted:Tunisia finds the archived message quoting Veni; body:Tunisia finds Veni's own.
    let r = search(&data, "quoted:Tunisia");
    assert_eq!(hits(&r).len(), 1, "{r}");
    assert!(
        has(&r, "message", |h| h["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>Tunisia</mark>"))),
        "{r}"
    );
    let r = search(&data, "body:Tunisia");
    assert_eq!(hits(&r).len(), 1, "{r}");
    assert_eq!(hits(&r)[0].0, "reconstructed", "{r}");
    assert_eq!(
        hits(&search(&data, "body:Tunisia from:veni"))[0],
        hits(&r)[0]
    );

    // Facets come with counts.
    let r = search(&data, "enhanced cooperation");
    let kinds = r["facets"]["kind"].as_array().cloned().unwrap_or_default();
    assert!(
        kinds
            .iter()
            .any(|k| k["value"] == "session" && k["count"] == 1),
        "{r}"
    );
    assert!(
        r["facets"]["sdg"].as_array().is_some_and(|a| !a.is_empty()),
        "{r}"
    );
}

fn write_message(dir: &Path, name: &str, id: &str, subject: &str, body: &str) {
    let text = format!(
        "From: Tester <tester@example.org>\r\nTo: list@example.org\r\nList-Id: <search-test.example.org>\r\nSubject: {subject}\r\nDate: Tue, 22 Jul 2025 10:00:00 +0000\r\nMessage-ID: <{id}>\r\n\r\n{body}\r\n"
    );
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join(name), text).expect("write");
}

#[test]
fn index_catches_up_after_an_import_that_did_not_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let mail = dir.path().join("mail");
    write_message(
        &mail,
        "1.eml",
        "one@example.org",
        "First",
        "Talking about the quokka census.",
    );
    import_json(&data, &[&mail.join("1.eml")]);
    assert_eq!(search(&data, "quokka")["total"], 1);

    // An import that stops before indexing (here: told not to index).
    write_message(
        &mail,
        "2.eml",
        "two@example.org",
        "Second",
        "The wombat census follows.",
    );
    run_ok(
        plenary(&data)
            .args(["import", "--json", "--no-index"])
            .arg(mail.join("2.eml")),
    );
    // The next search brings the index up to date first.
    assert_eq!(search(&data, "wombat")["total"], 1);
    assert_eq!(search(&data, "census")["total"], 2);

    // A damaged index is rebuilt from the store.
    std::fs::write(data.join("index").join("meta.json"), b"{ not json").expect("damage");
    assert_eq!(search(&data, "census")["total"], 2);

    // reindex from scratch gives the same answers; re-importing adds nothing.
    run_ok(plenary(&data).arg("reindex"));
    import_json(&data, &[&mail]);
    assert_eq!(search(&data, "census kind:message")["total"], 2);
}

#[test]
fn bad_queries_are_explained_not_failed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let mail = dir.path().join("mail");
    write_message(
        &mail,
        "1.eml",
        "one@example.org",
        "Hello",
        "Digital cooperation in Geneva.",
    );
    import_json(&data, &[&mail]);
    for (q, says) in [
        ("colour:red", "Unknown field"),
        ("\"open phrase", "not closed"),
        ("date:2025-14", "not a date"),
        ("sdg:99", "1 … 17"),
    ] {
        let out = plenary(&data).args(["search", q]).output().expect("runs");
        assert!(!out.status.success(), "{q} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{q}: {err}");
    }
    let (_server, base) = start_server(&data);
    let (st, page) = get(&format!("{base}/search?q=colour%3Ared"));
    assert_eq!(st, 400);
    assert!(page.contains("Unknown field"), "{page}");
    assert!(
        page.contains("<form class=\"search\""),
        "the form stays for a retry"
    );
    let (st, body) = get(&format!("{base}/api/v1/search?q=%22open"));
    assert_eq!(st, 400);
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON error");
    assert!(
        v["error"]
            .as_str()
            .is_some_and(|e| e.contains("not closed")),
        "{body}"
    );
    let (st, _) = get(&format!("{base}/api/v1/search?q=x&page=zero"));
    assert_eq!(st, 400);

    // A good search: page with hits, facets and the help; API twin.
    let (st, page) = get(&format!("{base}/search?q=cooperation"));
    assert_eq!(st, 200);
    assert!(page.contains("<mark>cooperation</mark>"), "{page}");
    assert!(page.contains("Refine"), "facets shown");
    assert!(page.contains("How to search"));
    let (st, body) = get(&format!(
        "{base}/api/v1/search?q=cooperation+kind%3Amessage&sort=date"
    ));
    assert_eq!(st, 200);
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["url"], "/messages/one@example.org");
    let (st, empty) = get(&format!("{base}/search"));
    assert_eq!(st, 200);
    assert!(empty.contains("How to search"));
}

#[test]
fn facets_filters_sorting_and_pages_agree_with_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "400",
        "--seed",
        "9",
    ]));
    import_json(&data, &[&corpus.join("mbox"), &corpus.join("agenda")]);
    let stats = json(&run_ok(plenary(&data).args(["stats", "--json"])));
    let sessions = json(&run_ok(plenary(&data).args(["sessions", "--json"])));
    let sessions = sessions.as_array().cloned().unwrap_or_default();

    let r = search(&data, "kind:session");
    assert_eq!(r["total"], stats["sessions"], "{r}");
    let r = search(&data, "kind:message");
    assert_eq!(r["total"], stats["messages"]);

    // Every session declaring SDG n is found by sdg:n.
    let with_sdg = sessions
        .iter()
        .find(|s| s["sdgs"].as_array().is_some_and(|a| !a.is_empty()))
        .expect("a session with SDGs");
    let n = with_sdg["sdgs"][0].as_u64().expect("sdg number");
    let r = json(&run_ok(plenary(&data).args([
        "search",
        "--json",
        "--per-page",
        "200",
        &format!("sdg:{n} kind:session"),
    ])));
    let found: Vec<String> = hits(&r).into_iter().map(|(_, id)| id).collect();
    for s in &sessions {
        if s["sdgs"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x.as_u64() == Some(n)))
        {
            let id = crate::session_id(s);
            assert!(found.contains(&id), "sdg:{n} misses {id}");
        }
    }
    // The facet counts what the filter finds.
    let all = search(&data, "kind:session");
    let facet = all["facets"]["sdg"]
        .as_array()
        .and_then(|a| a.iter().find(|v| v["value"] == n.to_string().as_str()))
        .and_then(|v| v["count"].as_u64());
    assert_eq!(facet, r["total"].as_u64());

    // Newest first, and pages do not overlap.
    let by_date = json(&run_ok(plenary(&data).args([
        "search",
        "--json",
        "--sort",
        "date",
        "--per-page",
        "30",
        "kind:message",
    ])));
    let dates: Vec<String> = by_date["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| h["date"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let p1 = json(&run_ok(plenary(&data).args([
        "search",
        "--json",
        "--per-page",
        "10",
        "kind:message",
    ])));
    let p2 = json(&run_ok(plenary(&data).args([
        "search",
        "--json",
        "--per-page",
        "10",
        "--page",
        "2",
        "kind:message",
    ])));
    let (a, b) = (hits(&p1), hits(&p2));
    assert_eq!(a.len(), 10);
    assert!(a.iter().all(|h| !b.contains(h)));

    // A year filter agrees with a date range over the same year.
    let year = dates[0][..4].to_string();
    assert_eq!(
        search(&data, &format!("kind:message year:{year}"))["total"],
        search(&data, &format!("kind:message date:{year}"))["total"]
    );
}

/// Issue 17: a search hit says who wrote it (CLI JSON and text, API, page).
#[test]
fn search_hits_name_their_author() {
    let Some(seed) = crate::shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    crate::import_json(dir.path(), &[&seed]);
    let r = crate::json(&crate::run_ok(
        crate::plenary(dir.path()).args(["search", "Tunisia", "--json"]),
    ));
    let authors: Vec<&str> = r["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["author"]["name"].as_str())
        .collect();
    assert!(authors.contains(&"Veni Markovski"), "{r}");
    // Each author hit names the person the author was resolved to.
    assert!(
        r["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .all(|h| h["author"]["person"]
                .as_str()
                .is_some_and(|p| p.starts_with('p'))),
        "{r}"
    );
    let text = crate::run_ok(crate::plenary(dir.path()).args(["search", "Tunisia"]));
    assert!(String::from_utf8_lossy(&text.stdout).contains("Veni Markovski"));
    let (_server, base) = crate::serve::start_server(dir.path());
    let (_, page) = crate::serve::get(&format!("{base}/search?q=Tunisia"));
    assert!(
        page.contains("<span class=\"author\"><a href=\"/people/"),
        "the author links to their person page: {page}"
    );
    assert!(page.contains("\">Veni Markovski</a></span>"), "{page}");
}
