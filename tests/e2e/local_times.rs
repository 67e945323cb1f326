//! Issue 12.5: a quoted date whose UTC offset is unknown is a local time in
//! every output — thread JSON (CLI and API), the CLI's thread, message and
//! search JSON, feeds — never shown as UTC; a date with a known offset is.
//! `local-times.mbox` is seed-shaped: one archived message quoting a Gmail
//! attribution without offset (`at 2:42 PM`), which quotes one with an offset
//! (`09:02:00 -0500`).

use std::path::Path;

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, run_ok};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/local-times.mbox");

/// The thread's messages by author name: (date, date_exact, id).
fn by_author(thread: &serde_json::Value, name: &str) -> (String, bool, String) {
    let m = thread["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["author"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {thread}"));
    (
        m["date"].as_str().unwrap_or_default().to_string(),
        m["date_exact"].as_bool().expect("date_exact"),
        m["id"].as_str().expect("id").to_string(),
    )
}

fn thread_id(data: &Path) -> String {
    let threads = json(&run_ok(plenary(data).args(["threads", "--json"])));
    threads[0]["id"].as_str().expect("id").to_string()
}

#[test]
fn offset_unknown_quoted_dates_are_never_shown_as_utc() {
    let dir = tempfile::tempdir().expect("tempdir");
    import_json(dir.path(), &[Path::new(FIXTURE)]);
    let tid = thread_id(dir.path());

    // CLI JSON
    let t = json(&run_ok(
        plenary(dir.path()).args(["thread", &tid, "--json"]),
    ));
    assert_eq!(t["messages"].as_array().map(Vec::len), Some(3), "{t}");
    let (pd, pexact, pid) = by_author(&t, "Parminder Jeet Singh");
    assert_eq!((pd.as_str(), pexact), ("2025-03-04T14:42:00", false));
    let (vd, vexact, _) = by_author(&t, "Veni Markovski");
    assert_eq!((vd.as_str(), vexact), ("2025-03-04T14:02:00Z", true));
    let (ad, aexact, _) = by_author(&t, "Ana Neves");
    assert_eq!((ad.as_str(), aexact), ("2025-03-04T18:30:34Z", true));

    // CLI text: the local time is marked so, never with a Z
    let text = String::from_utf8(run_ok(plenary(dir.path()).args(["thread", &tid])).stdout)
        .expect("utf-8");
    let line_of = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not in {text}"))
            .to_string()
    };
    let parminder = line_of("Parminder");
    assert!(
        parminder.contains("2025-03-04T14:42:00 (local time)"),
        "{parminder}"
    );
    assert!(!parminder.contains('Z'), "{parminder}");
    assert!(line_of("Veni").contains("2025-03-04T14:02:00Z"), "{text}");

    // CLI message and search JSON
    let m = json(&run_ok(plenary(dir.path()).args([
        "search",
        "--json",
        "consultation",
    ])));
    let hits = m["hits"].as_array().expect("hits");
    let hit = hits
        .iter()
        .find(|h| h["id"] == pid.as_str())
        .unwrap_or_else(|| panic!("Parminder's message not found: {m}"));
    assert_eq!(hit["date"], "2025-03-04T14:42:00", "{hit}");
    assert_eq!(hit["date_exact"], false, "{hit}");
    for h in hits.iter().filter(|h| h["date_exact"] == true) {
        if let Some(d) = h["date"].as_str() {
            assert!(d.ends_with('Z'), "{h}");
        }
    }

    // The API: the thread, the recovered message, its source's list of what
    // was recovered from it, search
    let (_server, base) = start_server(dir.path());
    let (st, body) = get(&format!("{base}/api/v1/threads/{tid}"));
    assert_eq!(st, 200, "{body}");
    let api: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        by_author(&api, "Parminder Jeet Singh"),
        ("2025-03-04T14:42:00".into(), false, pid.clone())
    );
    assert_eq!(by_author(&api, "Veni Markovski").0, "2025-03-04T14:02:00Z");
    let (st, body) = get(&format!("{base}/api/v1/messages/{pid}"));
    assert_eq!(st, 200, "{body}");
    let msg: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        (msg["date"].as_str(), msg["date_exact"].as_bool()),
        (Some("2025-03-04T14:42:00"), Some(false)),
        "{msg}"
    );
    let source = msg["source"].as_str().expect("source").to_string();
    let (_, body) = get(&format!("{base}/api/v1/messages/{source}"));
    let src: serde_json::Value = serde_json::from_str(&body).expect("json");
    let rec = src["recovered"]
        .as_array()
        .expect("recovered")
        .iter()
        .find(|r| r["id"] == pid.as_str())
        .unwrap_or_else(|| panic!("{src}"))
        .clone();
    assert_eq!(
        (rec["date"].as_str(), rec["date_exact"].as_bool()),
        (Some("2025-03-04T14:42:00"), Some(false))
    );
    let (_, body) = get(&format!("{base}/api/v1/search?q=consultation"));
    let found: serde_json::Value = serde_json::from_str(&body).expect("json");
    let hit = found["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["id"] == pid.as_str())
        .unwrap_or_else(|| panic!("{found}"))
        .clone();
    assert_eq!(
        (hit["date"].as_str(), hit["date_exact"].as_bool()),
        (Some("2025-03-04T14:42:00"), Some(false))
    );

    // Atom needs an instant: the recovered message is dated by the archived
    // message quoting it, its own local time said in the summary
    let (st, feed) = get(&format!("{base}/threads/{tid}/feed.atom"));
    assert_eq!(st, 200);
    let entry = feed
        .split("<entry>")
        .find(|e| e.contains(&pid))
        .unwrap_or_else(|| panic!("{feed}"));
    assert!(
        entry.contains("<updated>2025-03-04T18:30:34+00:00</updated>"),
        "{entry}"
    );
    assert!(
        entry.contains("Written 2025-03-04 14:42:00 (the writer")
            && entry.contains("UTC offset unknown)"),
        "{entry}"
    );
    let veni = feed
        .split("<entry>")
        .find(|e| e.contains("Veni Markovski"))
        .unwrap_or_else(|| panic!("{feed}"));
    assert!(
        veni.contains("<updated>2025-03-04T14:02:00+00:00</updated>"),
        "{veni}"
    );
    let (_, feed) = get(&format!("{base}/search/feed.atom?q=consultation"));
    let entry = feed
        .split("<entry>")
        .find(|e| e.contains(&pid))
        .unwrap_or_else(|| panic!("{feed}"));
    assert!(
        entry.contains("<updated>2025-03-04T18:30:34+00:00</updated>"),
        "{entry}"
    );
}
