//! Issue 16.1, the acceptance test: taking down a person who exists only
//! inside another message's quotes (Veni Markovski, in the seed thread).

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, run_ok, shared};

#[test]
fn takedown_of_a_person_known_only_from_quotes() {
    let Some(seed) = shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path();
    import_json(data, &[&seed]);
    let total = |q: &str| {
        json(&run_ok(plenary(data).args(["search", q, "--json"])))["total"]
            .as_u64()
            .unwrap_or(u64::MAX)
    };
    assert!(total("quoted:Tunisia") >= 1, "the words are there before");

    let report = json(&run_ok(plenary(data).args([
        "takedown",
        "--person",
        "Veni Markovski",
        "--reason",
        "erasure request",
        "--by",
        "secretariat",
        "--json",
    ])));
    assert_eq!(report["removed"], 0, "{report}");
    assert_eq!(report["redacted"], 1, "{report}");
    let marker = format!("[removed on {}]", report["date"].as_str().expect("date"));

    for q in [
        "quoted:Tunisia",
        "body:Tunisia",
        "Tunisia",
        "\"Since Tunisia\"",
    ] {
        assert_eq!(total(q), 0, "{q}");
    }
    // the thread shows the marker where his words were, and no longer him
    let threads = json(&run_ok(plenary(data).args(["threads", "--json"])));
    let id = threads[0]["id"].as_str().expect("id").to_string();
    let thread = run_ok(plenary(data).args(["thread", &id, "--json"]));
    let thread_text = String::from_utf8_lossy(&thread.stdout).to_string();
    assert!(!thread_text.contains("Tunisia"), "{thread_text}");
    assert!(!thread_text.contains("Veni Markovski"));
    let t = json(&thread);
    assert_eq!(t["messages"].as_array().map(Vec::len), Some(6), "{t}");
    // the dataset lacks the text, keeps the marker
    let dataset = run_ok(plenary(data).arg("export"));
    let dataset = String::from_utf8_lossy(&dataset.stdout);
    assert!(!dataset.contains("Tunisia") && dataset.contains(&marker));
    // pages, raw bytes, exports and feeds
    let (_server, base) = start_server(data);
    let anriette = json(&run_ok(plenary(data).args([
        "search",
        "from:Anriette",
        "--json",
    ])));
    let url = anriette["hits"][0]["url"]
        .as_str()
        .expect("url")
        .to_string();
    for path in [
        url.clone(),
        format!("{url}/raw"),
        format!("/threads/{id}"),
        format!("/threads/{id}/mbox"),
        format!("/threads/{id}/feed.atom"),
        "/lists/wg-strategy/mbox".to_string(),
        "/lists/wg-strategy/feed.atom".to_string(),
        "/search/mbox?q=cooperation".to_string(),
        "/search/feed.atom?q=cooperation".to_string(),
        format!("/api/v1/threads/{id}"),
    ] {
        let (status, body) = get(&format!("{base}{path}"));
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("Tunisia"), "{path} still holds the words");
    }
    let (_, page) = get(&format!("{base}{url}"));
    assert!(
        page.contains(&marker),
        "Anriette's message shows the marker"
    );
    let (_, page) = get(&format!("{base}/threads/{id}"));
    assert!(page.contains(&marker), "the thread shows the marker");
    // importing the seed again changes nothing
    let again = import_json(data, &[&seed]);
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(total("Tunisia"), 0);
    let log = json(&run_ok(plenary(data).args(["takedown", "--log", "--json"])));
    assert_eq!(log["entries"].as_array().map(Vec::len), Some(1), "{log}");
    assert_eq!(log["entries"][0]["actor"], "secretariat");
    assert!(!log.to_string().contains("Veni"), "the log keeps a hash");
}
