//! `plenary mirror` against a local HTTP server serving a copy of the real twisted-web
//! pipermail tree: the same store as importing the tree from disk, and a second run
//! that fetches only what changed (requests counted by the server).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::{json, plenary, run_ok, shared};

/// (path, status) of every request, in order.
type Log = Arc<Mutex<Vec<(String, u16)>>>;

/// A static file server on 127.0.0.1 (`PATH.redirect` holding a URL answers PATH with a
/// 301 to it; a request without plenary's User-Agent gets a 403) honouring If-None-Match (ETag: a hash of the
/// bytes) and If-Modified-Since (Last-Modified: fixed per file content, compared as
/// strings: enough for a client that sends back what it got). One connection at a time.
fn serve(root: PathBuf) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let log: Log = Arc::default();
    let log2 = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            let mut headers = BTreeMap::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                }
            }
            let bare = path.split('?').next().unwrap_or("/");
            let mut file = root.join(bare.trim_start_matches('/'));
            if bare.ends_with('/') {
                file.push("index.html");
            }
            let redirect = root.join(format!("{}.redirect", bare.trim_start_matches('/')));
            let named = headers
                .get("user-agent")
                .is_some_and(|ua| ua.starts_with("plenary-mirror/"));
            let (status, head, body) = match std::fs::read(&file) {
                // every request must say who sends it
                _ if !named => (403, String::new(), b"say who you are".to_vec()),
                _ if redirect.is_file() => (
                    301,
                    format!(
                        "Location: {}\r\n",
                        std::fs::read_to_string(&redirect).unwrap()
                    ),
                    Vec::new(),
                ),
                Ok(bytes) if !bare.contains("..") => {
                    let h = bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
                        (h ^ b as u64).wrapping_mul(0x100000001b3)
                    });
                    let etag = format!("\"{h:x}\"");
                    let modified = format!("Thu, 01 Jan 2026 00:00:{:02} GMT", h % 60);
                    let fresh = headers.get("if-none-match") == Some(&etag)
                        || headers.get("if-modified-since") == Some(&modified);
                    let head = format!("ETag: {etag}\r\nLast-Modified: {modified}\r\n");
                    if fresh {
                        (304, head, Vec::new())
                    } else {
                        (200, head, bytes)
                    }
                }
                _ => (404, String::new(), b"not found".to_vec()),
            };
            log2.lock().unwrap().push((bare.to_string(), status));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\n{head}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (format!("http://{addr}"), log)
}

/// Copies the served part of a pipermail tree (not Mailman's `database/` and
/// `pipermail.pck`, which no server publishes).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "database" || name == "pipermail.pck" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

/// Stored message ids with their thread, and the stats.
fn store_view(data: &Path) -> (BTreeSet<(String, Option<String>)>, serde_json::Value) {
    let store = plenary_store::Store::open(data).expect("store");
    let ids = store
        .analysed_messages("twisted-web")
        .expect("messages")
        .into_iter()
        .map(|m| (m.id, m.thread_id))
        .collect();
    let stats = json(&run_ok(plenary(data).args(["stats", "--json"])));
    (ids, stats)
}

#[test]
fn mirror_twisted_web_matches_import_and_refetches_only_changes() {
    let Some(tree) = shared("corpora/pipermail-twisted-web") else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let served = site.path().join("pipermail/twisted-web");
    copy_tree(&tree, &served);
    let (base, log) = serve(site.path().to_path_buf());
    let url = format!("{base}/pipermail/twisted-web/");

    let mirrored = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let out = run_ok(plenary(mirrored.path()).args(["mirror", &url, "--delay", "0", "--json"]));
    let mirror_time = t.elapsed();
    let m = json(&out);
    let first_requests = log.lock().unwrap().len();
    assert_eq!(m["problems"], serde_json::json!([]), "{m}");
    assert_eq!(m["mirrored"][0]["kind"], "pipermail", "{m}");
    assert_eq!(m["import"]["rejected"], 0, "{m}");

    let from_disk = tempfile::tempdir().unwrap();
    let t = Instant::now();
    run_ok(plenary(from_disk.path()).arg("import").arg(&served));
    let import_time = t.elapsed();
    eprintln!(
        "mirror of twisted-web: {first_requests} requests, {mirror_time:?} (import from disk: {import_time:?})"
    );
    let (ids_m, stats_m) = store_view(mirrored.path());
    let (ids_d, stats_d) = store_view(from_disk.path());
    assert_eq!(ids_m.len(), ids_d.len());
    assert!(
        ids_m == ids_d,
        "the mirrored store has other messages or threads"
    );
    for k in ["messages", "threads", "lists", "people", "reconstructed"] {
        assert_eq!(stats_m[k], stats_d[k], "{k}: {stats_m} vs {stats_d}");
    }
    let status = json(&run_ok(plenary(mirrored.path()).args(["status", "--json"])));
    let list = status
        .as_array()
        .and_then(|l| l.iter().find(|l| l["slug"] == "twisted-web"))
        .unwrap_or_else(|| panic!("{status}"));
    assert_eq!(list["sources"][0]["source"], "mirror", "{status}");
    assert_eq!(list["sources"][0]["messages"], 5374, "{status}");

    // A new message in the newest month: its text and its page, linked from date.html.
    let month = served.join("2021-August");
    let mut txt = std::fs::read_to_string(served.join("2021-August.txt")).unwrap();
    txt.push_str(
        "From ana at example.org  Wed Aug  4 10:00:00 2021\n\
         From: ana at example.org (Ana Mirror)\n\
         Date: Wed, 4 Aug 2021 17:00:00 +0100\n\
         Subject: [Twisted-web] A message that came after the first mirror\n\
         Message-ID: <mirror-e2e-new@example.org>\n\n\
         Fetched by the second run only.\n\n",
    );
    std::fs::write(served.join("2021-August.txt"), txt).unwrap();
    let page = std::fs::read_to_string(month.join("005373.html"))
        .unwrap()
        .replace(
            "Migration to Python Org Mailing Lists hosting announcement",
            "A message that came after the first mirror",
        )
        .replace("Adi Roiban", "Ana Mirror")
        .replace("adiroiban at gmail.com", "ana at example.org")
        .replace(
            "CAFycZ9cxL1FY0nHPxXMQ-kxO_xa2Gwpnz%2BbKkyUs2YDghp_KRg%40mail.gmail.com",
            "mirror-e2e-new%40example.org",
        )
        .replace(
            "Tue Aug  3 09:23:33 MDT 2021",
            "Wed Aug  4 10:00:00 MDT 2021",
        );
    let (head, rest) = page.split_once("<!--beginarticle-->").unwrap();
    let (_, tail) = rest.split_once("<!--endarticle-->").unwrap();
    let page = format!(
        "{head}<!--beginarticle-->\n<PRE>Fetched by the second run only.\n</PRE>\n<!--endarticle-->{tail}"
    );
    std::fs::write(month.join("005374.html"), page).unwrap();
    let date = std::fs::read_to_string(month.join("date.html")).unwrap().replace(
        "<LI><A HREF=\"005373.html\">",
        "<LI><A HREF=\"005374.html\">A message that came after the first mirror</A>\n<LI><A HREF=\"005373.html\">",
    );
    std::fs::write(month.join("date.html"), date).unwrap();

    log.lock().unwrap().clear();
    let m2 = json(&run_ok(
        plenary(mirrored.path()).args(["mirror", &url, "--delay", "0", "--json"]),
    ));
    let second: Vec<(String, u16)> = log.lock().unwrap().clone();
    let fetched: BTreeSet<&str> = second
        .iter()
        .filter(|(_, s)| *s == 200)
        .map(|(p, _)| p.as_str())
        .collect();
    let not_modified = second.iter().filter(|(_, s)| *s == 304).count();
    eprintln!(
        "second mirror run: {} requests, {} answered 200 ({fetched:?}), {not_modified} answered 304",
        second.len(),
        fetched.len()
    );
    let p = "/pipermail/twisted-web";
    assert_eq!(
        fetched,
        BTreeSet::from([
            format!("{p}/2021-August.txt").as_str(),
            format!("{p}/2021-August/date.html").as_str(),
            format!("{p}/2021-August/005374.html").as_str(),
        ])
    );
    assert!(
        second.contains(&(format!("{p}/"), 304)),
        "the index is asked again"
    );
    assert_eq!(second.len(), fetched.len() + not_modified, "{second:?}");
    // the index and one text per period: nothing else asked but the changed month's pages
    assert!(second.len() < 200, "{}", second.len());
    assert_eq!(m2["import"]["new"], 1, "{m2}");
    let store = plenary_store::Store::open(mirrored.path()).unwrap();
    assert!(store
        .message_by_message_id("mirror-e2e-new@example.org")
        .unwrap()
        .is_some());

    // a third run with nothing changed: only 304s
    log.lock().unwrap().clear();
    let out = run_ok(plenary(mirrored.path()).args(["mirror", &url, "--delay", "0"]));
    assert!(log.lock().unwrap().iter().all(|(_, s)| *s == 304));
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("0 new, 0 changed, 164 unchanged"), "{out}");
    assert!(out.contains("nothing new to import"), "{out}");
}

#[test]
fn mirror_names_the_url_and_the_reason_for_bad_input() {
    let site = tempfile::tempdir().unwrap();
    let l = site.path().join("pipermail/demo");
    std::fs::create_dir_all(&l).unwrap();
    // hand-written index in pipermail's shape: one month missing, one truncated gzip
    std::fs::write(
        l.join("index.html"),
        "<html><body><table>\
         <tr><td><A href=\"2021-May/date.html\">[ Date ]</a></td><td><A href=\"2021-May.txt.gz\">t</a></td></tr>\
         <tr><td><A href=\"2021-April/date.html\">[ Date ]</a></td><td><A href=\"2021-April.txt\">t</a></td></tr>\
         <tr><td><A href=\"2021-March/date.html\">[ Date ]</a></td><td><A href=\"2021-March.txt\">t</a></td></tr>\
         </table></body></html>",
    )
    .unwrap();
    std::fs::write(
        l.join("2021-May.txt.gz"),
        [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1],
    )
    .unwrap();
    // a month whose second page is missing at first (as if a run had been cut short)
    let march = l.join("2021-March");
    std::fs::create_dir_all(&march).unwrap();
    let msg = |n: u32| {
        format!(
            "From ana at example.org  Mon Mar  {n} 10:00:00 2021\nFrom: ana at example.org (Ana)\n\
             Date: Mon, {n} Mar 2021 10:00:00 +0000\nSubject: [Demo] Note {n}\n\
             Message-ID: <resume-{n}@example.org>\n\nNote {n}.\n\n"
        )
    };
    std::fs::write(l.join("2021-March.txt"), format!("{}{}", msg(1), msg(2))).unwrap();
    std::fs::write(
        march.join("date.html"),
        "<html><body><ul><LI><A HREF=\"000001.html\">Note 1</A><LI><A HREF=\"000002.html\">Note 2</A></ul></body></html>",
    )
    .unwrap();
    let page = |n: u32| {
        format!(
            "<HTML><HEAD><TITLE> [Demo] Note {n}</TITLE></HEAD><BODY><H1>[Demo] Note {n}</H1>\
             <B>Ana</B> <A HREF=\"mailto:demo%40example.org?Subject=Re%3A%20%5BDemo%5D%20Note%20{n}&In-Reply-To=%3Cresume-{n}%40example.org%3E\" \
             TITLE=\"[Demo] Note {n}\">ana at example.org</A><BR><I>Mon Mar  {n} 10:00:00 UTC 2021</I>\
             <HR><!--beginarticle-->\n<PRE>Note {n}.\n</PRE>\n<!--endarticle--><HR></BODY></HTML>\n"
        )
    };
    std::fs::write(march.join("000001.html"), page(1)).unwrap();
    let (base, log) = serve(site.path().to_path_buf());
    let data = tempfile::tempdir().unwrap();
    let out = plenary(data.path())
        .args(["mirror", &format!("{base}/pipermail/demo/"), "--delay", "0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&format!(
            "{base}/pipermail/demo/2021-May.txt.gz: a truncated or corrupt gzip"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{base}/pipermail/demo/2021-April.txt: the server answered 404"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{base}/pipermail/demo/2021-March/000002.html: the server answered 404"
        )),
        "{err}"
    );
    // what was fetched stays, and the next run completes the month without asking
    // again for the text (304) or the page already kept
    std::fs::write(march.join("000002.html"), page(2)).unwrap();
    log.lock().unwrap().clear();
    let _ = plenary(data.path())
        .args(["mirror", &format!("{base}/pipermail/demo/"), "--delay", "0"])
        .output()
        .unwrap();
    let second = log.lock().unwrap().clone();
    let status_of = |p: &str| {
        second
            .iter()
            .filter(|(q, _)| q == &format!("/pipermail/demo/{p}"))
            .map(|(_, s)| *s)
            .collect::<Vec<_>>()
    };
    assert_eq!(status_of("2021-March.txt"), vec![304], "{second:?}");
    assert_eq!(status_of("2021-March/000002.html"), vec![200], "{second:?}");
    assert!(status_of("2021-March/000001.html").is_empty(), "{second:?}");
    let store = plenary_store::Store::open(data.path()).unwrap();
    assert!(store
        .message_by_message_id("resume-2@example.org")
        .unwrap()
        .is_some());
    assert!(data
        .path()
        .join("mirror")
        .join(base.trim_start_matches("http://").replace(':', "_"))
        .join("pipermail/demo/index.html")
        .exists());

    // not http(s); a page that is neither an archive nor HTML
    std::fs::write(site.path().join("notes.bin"), [0u8, 1, 2, 3]).unwrap();
    let out = plenary(data.path())
        .args([
            "mirror",
            "ftp://example.org/x",
            &format!("{base}/notes.bin"),
        ])
        .args(["--delay", "0", "--no-import"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("ftp://example.org/x: only http and https"),
        "{err}"
    );
    assert!(
        err.contains("notes.bin: neither a pipermail list index"),
        "{err}"
    );
}

#[test]
fn mirror_an_mbox_export_and_an_agenda_page() {
    let site = tempfile::tempdir().unwrap();
    let export = site.path().join("hyperkitty/list/wg@example.org/export");
    std::fs::create_dir_all(&export).unwrap();
    std::fs::write(
        export.join("wg@example.org-2025-07.mbox"),
        "From ana@example.org Tue Jul  1 10:00:00 2025\n\
         From: Ana <ana@example.org>\n\
         To: wg@example.org\n\
         List-Id: <wg.example.org>\n\
         Subject: [WG] Exported\n\
         Date: Tue, 1 Jul 2025 10:00:00 +0000\n\
         Message-ID: <export-1@example.org>\n\n\
         First.\n\n\
         From bo@example.org Tue Jul  1 11:00:00 2025\n\
         From: Bo <bo@example.org>\n\
         To: wg@example.org\n\
         List-Id: <wg.example.org>\n\
         Subject: Re: [WG] Exported\n\
         Date: Tue, 1 Jul 2025 11:00:00 +0000\n\
         Message-ID: <export-2@example.org>\n\
         In-Reply-To: <export-1@example.org>\n\n\
         Second.\n",
    )
    .unwrap();
    let sessions = site.path().join("en/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/plenary-agenda/fixtures/wsis-2025-session-318.html"),
        sessions.join("318"),
    )
    .unwrap();
    let (base, log) = serve(site.path().to_path_buf());
    let mbox = format!(
        "{base}/hyperkitty/list/wg@example.org/export/wg@example.org-2025-07.mbox?start=2025-07-01&end=2025-08-01"
    );
    let page = format!("{base}/en/sessions/318");
    let data = tempfile::tempdir().unwrap();
    let m = json(&run_ok(
        plenary(data.path()).args(["mirror", &mbox, &page, "--delay", "0", "--json"]),
    ));
    assert_eq!(m["mirrored"][0]["kind"], "mbox", "{m}");
    assert_eq!(m["mirrored"][1]["kind"], "page", "{m}");
    assert_eq!(m["import"]["new"], 2, "{m}");
    assert_eq!(m["import"]["sessions_new"], 1, "{m}");
    let stats = json(&run_ok(plenary(data.path()).args(["stats", "--json"])));
    assert_eq!(stats["sessions"], 1, "{stats}");
    assert_eq!(stats["messages"], 2, "{stats}");

    log.lock().unwrap().clear();
    let m = json(&run_ok(
        plenary(data.path()).args(["mirror", &mbox, &page, "--delay", "0", "--json"]),
    ));
    assert_eq!(
        *log.lock().unwrap(),
        vec![
            (
                "/hyperkitty/list/wg@example.org/export/wg@example.org-2025-07.mbox".to_string(),
                304
            ),
            ("/en/sessions/318".to_string(), 304)
        ]
    );
    // nothing fetched, nothing to import
    assert!(m["import"].is_null(), "{m}");
}

#[test]
fn mirror_a_hyperkitty_list_month_by_month() {
    let site = tempfile::tempdir().unwrap();
    let list = site.path().join("hyperkitty/list/wg@example.org");
    std::fs::create_dir_all(list.join("export")).unwrap();
    std::fs::write(
        list.join("index.html"),
        "<html><body><h1>wg</h1><ul>\
         <li><a href=\"/hyperkitty/list/wg@example.org/2025/6/\">June 2025</a></li>\
         <li><a href=\"/hyperkitty/list/wg@example.org/2025/7/\">July 2025</a></li>\
         </ul></body></html>",
    )
    .unwrap();
    let gz = |text: String| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    for (month, id) in [(6, "hk-6"), (7, "hk-7")] {
        std::fs::write(
            list.join(format!("export/wg@example.org-2025-{month:02}.mbox.gz")),
            gz(format!(
                "From ana@example.org Tue {month}  1 10:00:00 2025\nFrom: Ana <ana@example.org>\n\
                 List-Id: <wg.example.org>\nSubject: Month {month}\n\
                 Date: Tue, 1 Jul 2025 10:00:00 +0000\nMessage-ID: <{id}@example.org>\n\nText.\n"
            )),
        )
        .unwrap();
    }
    let (base, log) = serve(site.path().to_path_buf());
    let url = format!("{base}/hyperkitty/list/wg@example.org/");
    let data = tempfile::tempdir().unwrap();
    let m = json(&run_ok(
        plenary(data.path()).args(["mirror", &url, "--delay", "0", "--json"]),
    ));
    assert_eq!(m["mirrored"][0]["kind"], "hyperkitty", "{m}");
    assert_eq!(m["import"]["new"], 2, "{m}");
    let asked: Vec<String> = log.lock().unwrap().iter().map(|(p, _)| p.clone()).collect();
    assert!(
        asked.contains(
            &"/hyperkitty/list/wg@example.org/export/wg@example.org-2025-07.mbox.gz".to_string()
        ),
        "{asked:?}"
    );
}

#[test]
fn mirror_follows_redirects_on_the_same_host_only() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("en/sessions")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/plenary-agenda/fixtures/wsis-2025-session-318.html"),
        site.path().join("en/sessions/318"),
    )
    .unwrap();
    std::fs::write(site.path().join("old.redirect"), "/en/sessions/318").unwrap();
    std::fs::write(
        site.path().join("away.redirect"),
        "http://example.invalid/x",
    )
    .unwrap();
    let (base, log) = serve(site.path().to_path_buf());
    let data = tempfile::tempdir().unwrap();
    let m = json(&run_ok(plenary(data.path()).args([
        "mirror",
        &format!("{base}/old"),
        "--delay",
        "0",
        "--json",
    ])));
    assert_eq!(m["mirrored"][0]["kind"], "page", "{m}");
    assert_eq!(m["mirrored"][0]["requests"], 2, "{m}");
    assert_eq!(m["import"]["sessions_new"], 1, "{m}");
    let out = plenary(data.path())
        .args(["mirror", &format!("{base}/away"), "--delay", "0"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("redirected to another host (http://example.invalid/x)"),
        "{err}"
    );
    assert_eq!(log.lock().unwrap().len(), 3);
}
