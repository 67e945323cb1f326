//! Issue 17: who said what, linked. The seed thread and session as a reader,
//! a client of the API and a mail program meet them: authors link to people,
//! recovered messages to where they were recovered from and back, the session
//! to its discussion, and the exports carry real headers and authors.

use std::collections::BTreeSet;

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, plenary_as_published, run_ok, session_id, shared};

/// Every `href="…"` in a page.
fn hrefs(page: &str) -> BTreeSet<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&#x2f;", "/").replace("&#47;", "/"))
        .collect()
}

/// Runs a Python snippet with `path` as argv[1]; returns its stdout.
fn python(code: &str, path: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(code)
        .arg(path)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn seed_thread_and_session_are_linked_and_exported_whole() {
    let (Some(mail), Some(agenda)) = (
        shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt"),
        shared("seeds/wsis-forum-2025-session-400.txt"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    import_json(&data, &[&mail, &agenda]);

    // Thread lists count the recovered messages and the participants.
    let threads = json(&run_ok(plenary(&data).args(["threads", "--json"])));
    let t = &threads[0];
    let tid = t["id"].as_str().expect("id").to_string();
    assert_eq!(t["count"], 1, "{t}");
    assert_eq!(t["recovered"], 6, "{t}");
    assert_eq!(t["messages"], 7, "{t}");
    assert_eq!(t["participants"], 7, "{t}");

    // Thread JSON: each message's own text, language and person.
    let thread = json(&run_ok(plenary(&data).args(["thread", &tid, "--json"])));
    let msgs = thread["messages"].as_array().expect("messages");
    assert_eq!(msgs.len(), 7);
    for m in msgs {
        assert!(
            m["text"].as_str().is_some_and(|t| !t.trim().is_empty()),
            "{m}"
        );
        assert!(m["author"]["person"].is_string(), "{m}");
    }
    let languages: BTreeSet<&str> = msgs.iter().filter_map(|m| m["language"].as_str()).collect();
    assert!(languages.contains("en"), "{languages:?}");

    // Search hits name their author and the author's person.
    let found = json(&run_ok(plenary(&data).args([
        "search",
        "enhanced cooperation kind:message",
        "--json",
    ])));
    let hit = &found["hits"][0];
    assert!(hit["author"]["name"].is_string(), "{hit}");
    assert!(hit["author"]["person"].is_string(), "{hit}");

    // balance --to includes its day, as search's date ranges do.
    let day = json(&run_ok(plenary(&data).args([
        "balance",
        "--from",
        "2025-07-23",
        "--to",
        "2025-07-23",
        "--json",
    ])));
    assert!(day["messages"].as_u64().is_some_and(|n| n >= 1), "{day}");

    let (_server, base) = start_server(&data);

    // The thread page links each of the 7 authors to their person page.
    let (st, page) = get(&format!("{base}/threads/{tid}"));
    assert_eq!(st, 200);
    let links = hrefs(&page);
    let persons: BTreeSet<&str> = msgs
        .iter()
        .filter_map(|m| m["author"]["person"].as_str())
        .collect();
    assert_eq!(persons.len(), 7, "{persons:?}");
    for p in &persons {
        assert!(
            links.contains(&format!("/people/{p}")),
            "no link to person {p}"
        );
    }
    assert!(page.contains("<details class=\"outline\">"), "outline");
    assert!(page.contains("English"), "language shown");

    // Anriette's (archived) message page links the 6 messages recovered from it,
    // and each of them links back.
    let archived = msgs
        .iter()
        .find(|m| m["reconstructed"] == false)
        .expect("archived");
    let aid = archived["id"].as_str().expect("id");
    assert_eq!(archived["author"]["name"], "Anriette Esterhuysen");
    let (st, mp) = get(&format!("{base}/messages/{}", urlencode(aid)));
    assert_eq!(st, 200);
    let mlinks = hrefs(&mp);
    let recovered: Vec<&str> = msgs
        .iter()
        .filter(|m| m["reconstructed"] == true)
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(recovered.len(), 6);
    for r in &recovered {
        assert!(mlinks.contains(&format!("/messages/{r}")), "no link to {r}");
        let (st, rp) = get(&format!("{base}/messages/{r}"));
        assert_eq!(st, 200);
        assert!(
            hrefs(&rp).contains(&format!("/messages/{}", urlencode(aid))),
            "{r} does not link back to {aid}"
        );
    }

    // A speaker's person page names the session by its title, with the role.
    let anriette = archived["author"]["person"].as_str().expect("person");
    let (st, pp) = get(&format!("{base}/people/{anriette}"));
    assert_eq!(st, 200);
    assert!(
        pp.contains("WSIS Forum 2025 — Enhanced Cooperation in the Digital Age"),
        "{pp}"
    );

    // Session 400 lists the seed thread as related discussion.
    let sessions = json(&run_ok(plenary(&data).args(["sessions", "--json"])));
    let sid = session_id(&sessions[0]);
    let (st, sp) = get(&format!("{base}/sessions/{sid}"));
    assert_eq!(st, 200);
    assert!(sp.contains("Related discussion"), "no related discussion");
    assert!(
        sp.contains(">Panellists</h2>"),
        "the source's word for its speakers"
    );
    assert!(
        hrefs(&sp).contains(&format!("/threads/{tid}")),
        "no seed thread"
    );

    // Balance: an entry page without parameters, linked from the thread and
    // the session; a thread's balance is titled by its subject.
    let (st, entry) = get(&format!("{base}/balance"));
    assert_eq!(st, 200, "{entry}");
    assert!(
        hrefs(&entry).contains("/balance?list=wg-strategy"),
        "{entry}"
    );
    assert!(
        links.contains(&format!("/balance?thread={tid}")),
        "thread links its balance"
    );
    assert!(
        hrefs(&sp).contains(&format!("/balance?sessions={sid}")),
        "session links its balance"
    );
    let (st, tb) = get(&format!("{base}/balance?thread={tid}"));
    assert_eq!(st, 200);
    assert!(
        tb.contains("<title>Balance of the thread “Text on Enhanced Cooperation”"),
        "{tb}"
    );

    // The mbox holds all 7 messages with real headers (addresses obfuscated).
    let (st, mbox) = get(&format!("{base}/threads/{tid}/mbox"));
    assert_eq!(st, 200);
    let file = dir.path().join("thread.mbox");
    std::fs::write(&file, &mbox).expect("write mbox");
    let check = "import mailbox, sys\n\
        box = mailbox.mbox(sys.argv[1])\n\
        n = 0\n\
        for m in box:\n\
        \x20   n += 1\n\
        \x20   for h in ('From', 'Date', 'Subject', 'Message-ID'):\n\
        \x20       assert m[h], (h, m.keys())\n\
        \x20   assert '@' not in str(m['From']).replace('@plenary.invalid', ''), m['From']\n\
        print(n, sum(1 for m in box if m['X-Plenary-Recovered-From']))\n";
    if let Some(out) = python(check, &file) {
        assert_eq!(out.trim(), "7 6", "{mbox}");
    }

    // Atom feeds: every entry has an author; the thread feed holds all 7.
    let feeds = [
        format!("/threads/{tid}/feed.atom"),
        format!("/lists/{}/feed.atom", t["list"].as_str().expect("list")),
        format!(
            "/people/{}/feed.atom",
            persons.iter().next().expect("person")
        ),
        "/search/feed.atom?q=enhanced+cooperation".to_string(),
        "/frameworks/action-lines/C1/feed.atom".to_string(),
        "/frameworks/sdgs/17/feed.atom".to_string(),
    ];
    let check = "import sys, xml.etree.ElementTree as ET\n\
        A = '{http://www.w3.org/2005/Atom}'\n\
        root = ET.parse(sys.argv[1]).getroot()\n\
        entries = root.findall(A + 'entry')\n\
        for e in entries:\n\
        \x20   a = e.find(A + 'author')\n\
        \x20   assert a is not None and a.findtext(A + 'name'), ET.tostring(e)[:300]\n\
        print(len(entries))\n";
    for (i, f) in feeds.iter().enumerate() {
        let (st, body) = get(&format!("{base}{f}"));
        if st == 404 {
            continue; // a framework item the seeds do not tag
        }
        assert_eq!(st, 200, "{f}");
        let file = dir.path().join(format!("feed{i}.xml"));
        std::fs::write(&file, &body).expect("write feed");
        if let Some(n) = python(check, &file) {
            if i == 0 {
                assert_eq!(n.trim(), "7", "{body}");
            }
        }
    }

    // The API's copy of the thread keeps addresses obfuscated in the text too.
    let published = json(&run_ok(
        plenary_as_published(&data).args(["thread", &tid, "--json"]),
    ));
    assert!(
        !published.to_string().contains("@apc.org"),
        "an address in the clear"
    );
}

/// Percent-encodes an id as a path segment (as the site's links do).
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The README's first command, then `plenary stats` as the README says to run
/// it, in the same folder: one default data folder for both.
#[test]
fn demo_then_stats_share_the_default_data_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = assert_cmd::cargo::cargo_bin("plenary");
    let out = std::process::Command::new(&bin)
        .current_dir(dir.path())
        .env_remove("PLENARY_DATA")
        .args(["demo", "--no-serve", "--messages", "200"])
        .output()
        .expect("demo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("deliberately broken samples"), "{said}");
    // Outside a terminal, progress is lines with running totals and the share read.
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(progress.contains("read so far, 100% of"), "{progress}");
    // The import's rate is a whole number of messages per second.
    let rate = said
        .lines()
        .find(|l| l.starts_with("imported:"))
        .and_then(|l| l.rsplit(", ").next())
        .and_then(|r| r.strip_suffix(" messages/s"))
        .unwrap_or_default();
    assert!(rate.parse::<u64>().is_ok(), "{said}");
    let out = std::process::Command::new(&bin)
        .current_dir(dir.path())
        .env_remove("PLENARY_DATA")
        .args(["stats", "--json"])
        .output()
        .expect("stats runs");
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        stats["messages"].as_u64().is_some_and(|n| n > 150),
        "{stats}"
    );
    assert!(stats["sessions"].as_u64().is_some_and(|n| n > 0), "{stats}");
    assert!(dir.path().join("plenary-data/plenary.sqlite3").exists());
    let text = std::process::Command::new(&bin)
        .current_dir(dir.path())
        .env_remove("PLENARY_DATA")
        .arg("stats")
        .output()
        .expect("stats runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(" messages in ") && text.contains(" people") && text.contains(" sessions"),
        "{text}"
    );
    assert!(!dir.path().join("plenary-demo").exists());
}

/// `--help` says what `import`'s paths and balance's flags are.
#[test]
fn help_describes_import_paths_and_balance_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let help = run_ok(plenary(dir.path()).args(["import", "--help"]));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("Files or folders to import"), "{help}");
    let help = run_ok(plenary(dir.path()).args(["balance", "--help"]));
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--list", "--thread", "--event", "--to", "--json"] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(flag))
            .unwrap_or_default();
        let described = line.split_whitespace().count() > 2
            || help
                .split(line)
                .nth(1)
                .and_then(|rest| rest.lines().nth(1))
                .is_some_and(|l| l.trim().len() > 3 && !l.trim_start().starts_with('-'));
        assert!(described, "{flag} has no description:\n{help}");
    }
    assert!(help.contains("up to and including this day"), "{help}");
}

/// A file an import cannot use keeps its bytes in `rejects` (it said "0 bytes").
#[test]
fn a_rejected_file_keeps_its_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("minutes.odt");
    let bytes: Vec<u8> = (0..2000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&junk, &bytes).expect("write");
    let data = dir.path().join("data");
    let _ = plenary(&data)
        .arg("import")
        .arg(&junk)
        .output()
        .expect("runs");
    let rejects = json(&run_ok(plenary(&data).args(["rejects", "--json"])));
    let r = rejects.as_array().and_then(|v| {
        v.iter().find(|r| {
            r["origin"]
                .as_str()
                .is_some_and(|o| o.contains("minutes.odt"))
        })
    });
    let Some(r) = r else {
        panic!("no reject for the file: {rejects}");
    };
    assert_eq!(r["raw_len"], 2000, "{r}");
    let text = run_ok(plenary(&data).arg("rejects"));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("(2000 bytes)"), "{text}");
}
