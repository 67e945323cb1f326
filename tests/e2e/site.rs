//! The site's plumbing as a client meets it: feeds, mbox exports, the
//! dataset export, conditional requests, CORS and pipermail addresses.

use std::io::Read;

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, run_ok, shared};

/// GET with extra headers; returns status, the headers asked for and the body bytes.
fn fetch(url: &str, send: &[(&str, &str)], want: &[&str]) -> (u16, Vec<Option<String>>, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut req = agent.get(url);
    for (k, v) in send {
        req = req.header(*k, *v);
    }
    let mut resp = req.call().expect("request");
    let status = resp.status().as_u16();
    let got = want
        .iter()
        .map(|h| {
            resp.headers()
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        })
        .collect();
    let mut body = Vec::new();
    resp.body_mut()
        .as_reader()
        .read_to_end(&mut body)
        .expect("body");
    (status, got, body)
}

#[test]
fn feeds_exports_caching_and_cors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "300",
        "--seed",
        "5",
    ]));
    import_json(&data, &[&corpus.join("mbox"), &corpus.join("agenda")]);
    let threads = json(&run_ok(plenary(&data).args(["threads", "--json"])));
    let t = &threads[0];
    let (tid, tcount, list) = (
        t["id"].as_str().expect("thread id").to_string(),
        t["messages"]
            .as_u64()
            .expect("messages, recovered ones included"),
        t["list"].as_str().expect("list").to_string(),
    );
    let stats = json(&run_ok(plenary(&data).args(["stats", "--json"])));
    let (_server, base) = start_server(&data);

    // Atom: list, thread, person, framework item, search.
    let (st, ct, body) = fetch(
        &format!("{base}/lists/{list}/feed.atom"),
        &[],
        &["content-type"],
    );
    assert_eq!(st, 200);
    assert!(ct[0]
        .as_deref()
        .is_some_and(|c| c.starts_with("application/atom+xml")));
    let feed = String::from_utf8_lossy(&body);
    assert!(feed.contains("<feed") && feed.contains("<entry>"), "{feed}");
    assert!(feed.matches("<entry>").count() <= 50);
    let (st, _, body) = fetch(&format!("{base}/threads/{tid}/feed.atom"), &[], &[]);
    assert_eq!(st, 200);
    assert_eq!(
        String::from_utf8_lossy(&body).matches("<entry>").count() as u64,
        tcount.min(50)
    );
    let people = json(&run_ok(plenary(&data).args(["people", "--json"])));
    let pid = people[0]["id"].as_str().expect("a person").to_string();
    let (st, _, body) = fetch(&format!("{base}/people/{pid}/feed.atom"), &[], &[]);
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&body).contains("<entry>"));
    let (st, _, body) = fetch(
        &format!("{base}/frameworks/action-lines/C5/feed.atom"),
        &[],
        &[],
    );
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&body).contains("<feed"));
    let (st, _, _) = fetch(
        &format!("{base}/frameworks/action-lines/C99/feed.atom"),
        &[],
        &[],
    );
    assert_eq!(st, 404);
    let (st, _, body) = fetch(&format!("{base}/search/feed.atom?q=governance"), &[], &[]);
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&body).contains("<entry>"));

    // mboxrd: a thread, a list, a month, a search.
    let (st, ct, body) = fetch(
        &format!("{base}/threads/{tid}/mbox"),
        &[],
        &["content-type"],
    );
    assert_eq!(st, 200);
    assert_eq!(ct[0].as_deref(), Some("application/mbox"));
    let mbox = String::from_utf8_lossy(&body);
    assert!(mbox.starts_with("From "));
    let separators = mbox.lines().filter(|l| l.starts_with("From ")).count() as u64;
    assert_eq!(
        separators, tcount,
        "one From line per message, recovered ones included"
    );
    let (st, _, body) = fetch(&format!("{base}/lists/{list}/mbox"), &[], &[]);
    assert_eq!(st, 200);
    let all: u64 = String::from_utf8_lossy(&body)
        .lines()
        .filter(|l| l.starts_with("From "))
        .count() as u64;
    let archived = t["count"].as_u64().unwrap_or(0);
    assert!(all >= archived && all <= stats["messages"].as_u64().unwrap_or(0));
    // The exported list imports back as the same messages.
    let back = dir.path().join("back.mbox");
    std::fs::write(&back, &body).expect("write mbox");
    let again = import_json(&data, &[&back]);
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(
        again["collisions"], 0,
        "an obfuscated copy is the same message: {again}"
    );
    let (st, _, _) = fetch(&format!("{base}/lists/{list}/2099-13/mbox"), &[], &[]);
    assert_eq!(st, 400);
    let (st, _, body) = fetch(&format!("{base}/search/mbox?q=governance"), &[], &[]);
    assert_eq!(st, 200);
    assert!(String::from_utf8_lossy(&body).starts_with("From "));

    // Conditional requests.
    let (st, h, _) = fetch(&format!("{base}/lists"), &[], &["etag", "last-modified"]);
    assert_eq!(st, 200);
    let etag = h[0].clone().expect("ETag");
    let lm = h[1].clone().expect("Last-Modified");
    let (st, _, body) = fetch(&format!("{base}/lists"), &[("If-None-Match", &etag)], &[]);
    assert_eq!(st, 304);
    assert!(body.is_empty());
    let (st, _, _) = fetch(
        &format!("{base}/api/v1/lists"),
        &[("If-None-Match", &etag)],
        &[],
    );
    assert_eq!(st, 200, "another resource, another tag");
    let (st, _, _) = fetch(&format!("{base}/lists"), &[("If-Modified-Since", &lm)], &[]);
    assert_eq!(st, 304);

    // CORS on the API.
    let (st, h, _) = fetch(
        &format!("{base}/api/v1/stats"),
        &[("Origin", "https://example.org")],
        &["access-control-allow-origin"],
    );
    assert_eq!(st, 200);
    assert_eq!(h[0].as_deref(), Some("*"));

    // Pages link their feeds and exports.
    let (_, page) = get(&format!("{base}/threads/{tid}"));
    assert!(page.contains("/feed.atom") && page.contains("/mbox"));
}

#[test]
fn dataset_export_is_json_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "120",
        "--seed",
        "2",
    ]));
    import_json(&data, &[&corpus.join("mbox")]);
    let out = dir.path().join("messages.jsonl");
    run_ok(plenary(&data).args(["export", "--out"]).arg(&out));
    let text = std::fs::read_to_string(&out).expect("export written");
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let stats = json(&run_ok(plenary(&data).args(["stats", "--json"])));
    assert_eq!(rows.len() as u64, stats["messages"].as_u64().unwrap_or(0));
    assert!(rows
        .iter()
        .all(|r| r["id"].is_string() && r["zones"].is_array()));
    assert!(rows.iter().any(|r| r["person"].is_string()));
    assert!(rows
        .iter()
        .any(|r| r["quotes"].as_array().is_some_and(|q| q.len() > 1)));
}

#[test]
fn pipermail_addresses_redirect() {
    let Some(tree) = shared("corpora/pipermail-twisted-web") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let part = dir.path().join("twisted-web");
    std::fs::create_dir_all(&part).expect("mkdir");
    // One month is enough: its .txt, its .txt.gz and its page folder.
    for entry in std::fs::read_dir(&tree).expect("tree") {
        let p = entry.expect("entry").path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.starts_with("2017-January") {
            if p.is_dir() {
                std::fs::create_dir_all(part.join(&name)).expect("mkdir");
                for f in std::fs::read_dir(&p).expect("month") {
                    let f = f.expect("file").path();
                    if let Some(n) = f.file_name() {
                        std::fs::copy(&f, part.join(&name).join(n)).expect("copy");
                    }
                }
            } else if name.ends_with(".txt") {
                std::fs::copy(&p, part.join(&name)).expect("copy");
            }
        }
    }
    import_json(&data, &[&part]);
    let mut article = None;
    for f in std::fs::read_dir(part.join("2017-January")).expect("month") {
        let n = f.expect("file").file_name().to_string_lossy().to_string();
        if n.len() == 11 && n.ends_with(".html") && n[..6].chars().all(|c| c.is_ascii_digit()) {
            article = Some(n);
            break;
        }
    }
    let article = article.expect("an article page");
    let (_server, base) = start_server(&data);
    let (st, h, _) = fetch(
        &format!("{base}/pipermail/twisted-web/2017-January/{article}"),
        &[],
        &["location"],
    );
    assert_eq!(st, 308);
    assert!(
        h[0].as_deref().is_some_and(|l| l.starts_with("/messages/")),
        "{h:?}"
    );
    let (st, h, _) = fetch(
        &format!("{base}/pipermail/twisted-web/2017-January.txt.gz"),
        &[],
        &["location"],
    );
    assert_eq!(st, 308);
    assert_eq!(h[0].as_deref(), Some("/lists/twisted-web/2017-01/mbox"));
    let (st, h, _) = fetch(
        &format!("{base}/pipermail/twisted-web/2017-January/thread.html"),
        &[],
        &["location"],
    );
    assert_eq!(st, 308);
    assert_eq!(h[0].as_deref(), Some("/lists/twisted-web/2017-01"));
    let (st, h, _) = fetch(
        &format!("{base}/pipermail/twisted-web/"),
        &[],
        &["location"],
    );
    assert_eq!(st, 308);
    assert_eq!(h[0].as_deref(), Some("/lists/twisted-web"));
    let (st, _, _) = fetch(
        &format!("{base}/pipermail/twisted-web/2017-January/999999.html"),
        &[],
        &[],
    );
    assert_eq!(st, 404);
    let (st, _, _) = fetch(&format!("{base}/pipermail/no-such-list/"), &[], &[]);
    assert_eq!(st, 404);
}

#[test]
fn openapi_document_describes_every_api_route() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "150",
        "--seed",
        "4",
    ]));
    import_json(&data, &[&corpus.join("mbox"), &corpus.join("agenda")]);
    let (_server, base) = start_server(&data);
    let (st, body) = get(&format!("{base}/api/v1/openapi.json"));
    assert_eq!(st, 200);
    let doc: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/stats",
        "/api/v1/home",
        "/api/v1/lists",
        "/api/v1/lists/{list}",
        "/api/v1/lists/{list}/threads",
        "/api/v1/threads/{id}",
        "/api/v1/messages/{id}",
        "/api/v1/messages/{id}/raw",
        "/api/v1/search",
        "/api/v1/sessions",
        "/api/v1/sessions/{id}",
        "/api/v1/events",
        "/api/v1/frameworks/{id}/{code}",
        "/api/v1/people/{id}",
        "/api/v1/organizations/{id}",
        "/api/v1/balance",
        "/api/v1/network",
    ] {
        let op = &paths[p]["get"];
        assert!(op["summary"].is_string(), "{p} documented");
        assert!(
            op["responses"]["200"].is_object(),
            "{p} has a success response"
        );
    }
    // Response schemas are generated from the model types: the fields the
    // types carry are there, with their doc comments as descriptions.
    let schema =
        |p: &str| &paths[p]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    let msg = &schema("/api/v1/threads/{id}")["properties"]["messages"]["items"]["properties"];
    for f in ["text", "language", "reconstructed", "date_exact"] {
        assert!(msg[f].is_object(), "thread message schema lacks {f}: {msg}");
    }
    assert!(msg["author"]["properties"]["person"].is_object(), "{msg}");
    let hit = &schema("/api/v1/search")["properties"]["hits"]["items"]["properties"];
    assert!(hit["author"].to_string().contains("person"), "{hit}");
    let summary = &schema("/api/v1/lists/{list}/threads")["items"]["properties"];
    assert!(
        summary["participants"]["description"].is_string(),
        "{summary}"
    );
    let person = &schema("/api/v1/people/{id}")["properties"];
    assert!(
        person["affiliations"]["items"]["properties"]["confidence"].is_object(),
        "{person}"
    );
    // The raw route is described and served.
    let raw = &paths["/api/v1/messages/{id}/raw"]["get"]["responses"]["200"]["content"];
    assert!(raw["message/rfc822"].is_object(), "{raw}");
    // Every parameterless path answers with JSON.
    for (p, item) in paths {
        let needs = item["get"]["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|x| x["required"] == true));
        if needs {
            continue;
        }
        let (st, body) = get(&format!("{base}{p}"));
        assert!(st == 200 || st == 400, "{p}: {st}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&body).is_ok(),
            "{p}: {body}"
        );
    }
    // An unknown id is a JSON 404, as documented.
    let (st, body) = get(&format!("{base}/api/v1/people/nobody"));
    assert_eq!(st, 404);
    assert!(serde_json::from_str::<serde_json::Value>(&body).is_ok_and(|v| v["error"].is_string()));
}
