//! Generated archives: malformed input, ground-truth threading, idempotence.

use crate::{import_json, json, plenary, run_ok};

#[test]
fn ten_thousand_with_fifty_malformed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "10000",
        "--seed",
        "7",
        "--malformed",
        "50",
    ]));
    let s = import_json(&data, &[&corpus.join("mbox")]);
    eprintln!("import: {s}");
    // Every good message is stored.
    let store = plenary_store::Store::open(&data).expect("store");
    let truth = std::fs::read_to_string(corpus.join("truth.jsonl")).expect("truth");
    let mut good = 0;
    let mut bad = 0;
    for line in truth.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        if v["malformed"].is_null() {
            good += 1;
            let id = v["message_id"].as_str().expect("id");
            let id = id.trim_start_matches('<').trim_end_matches('>');
            assert!(
                store.message(id).expect("query").is_some(),
                "good message {id} missing"
            );
        } else {
            bad += 1;
        }
    }
    assert_eq!(bad, 50);
    assert!(good >= 9950);
    // Each bad one is listed with a reason.
    let rejects = json(&run_ok(plenary(&data).args(["rejects", "--json"])));
    let rows = rejects.as_array().expect("array");
    assert!(rows.len() >= 50, "only {} rejects", rows.len());
    let reasons: Vec<&str> = rows.iter().filter_map(|r| r["reason"].as_str()).collect();
    for needle in [
        "NUL",
        "limit",
        "base64",
        "truncated MIME",
        "no mail headers",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(needle)),
            "no reject for {needle}: {reasons:?}"
        );
    }
    // Re-import adds nothing and rejects nothing new.
    let again = import_json(&data, &[&corpus.join("mbox")]);
    assert_eq!(again["new"], 0);
    assert_eq!(again["rejected"], 0);
    // Threads agree with the ground truth.
    let e = json(&run_ok(
        plenary(&data)
            .args(["eval", "threads", "--json", "--truth"])
            .arg(corpus.join("truth.jsonl")),
    ));
    eprintln!("thread eval: {e}");
    assert!(e["ratio"].as_f64().expect("ratio") >= 0.995, "{e}");
}

#[test]
fn maildir_import_and_stats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "500",
        "--format",
        "maildir",
    ]));
    let s = import_json(&data, &[&corpus.join("maildir")]);
    assert_eq!(s["new"], 500);
    let stats = json(&run_ok(plenary(&data).args(["stats", "--json"])));
    assert_eq!(stats["messages"], 500);
    assert!(stats["lists"].as_u64().expect("lists") >= 2);
    let threads = json(&run_ok(plenary(&data).args(["threads", "--json"])));
    let first = &threads[0];
    for k in ["id", "subject", "list", "count", "first", "last"] {
        assert!(!first[k].is_null(), "{k} missing in {first}");
    }
}

#[test]
fn bad_paths_give_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = plenary(dir.path())
        .args(["import", "/nonexistent/archive.mbox"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/archive.mbox"), "{err}");
    let out = plenary(dir.path())
        .args(["thread", "nope", "--json"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no thread with id nope"));
}

/// A list whose footer no built-in rule knows: learned at import and kept out of the
/// messages' own text, without a `plenary reanalyze`.
#[test]
fn custom_list_footer_is_learned_at_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut mbox = String::new();
    for i in 0..30 {
        mbox.push_str(&format!(
            "From sender{i}@example.org Mon Jan  6 10:{i:02}:00 2025\n\
             From: Sender {i} <sender{i}@example.org>\n\
             To: widgets@example.org\n\
             Subject: Widget topic {i}\n\
             Date: Mon, 6 Jan 2025 10:{i:02}:00 +0000\n\
             Message-ID: <w{i}@example.org>\n\
             List-Id: Widgets Committee <widgets.example.org>\n\n\
             Point number {i} about the widget standard, in my own words.\n\n\
             Archived by the Widgets Committee secretariat in Lyon\n\
             Visit widgets.example.org for the minutes and the calendar\n\n"
        ));
    }
    let path = dir.path().join("widgets.mbox");
    std::fs::write(&path, mbox).expect("write");
    let data = dir.path().join("data");
    let s = crate::import_json(&data, &[&path]);
    assert_eq!(s["new"], 30, "{s}");
    assert_eq!(s["footer_reanalysed"], 30, "{s}");
    let store = plenary_store::Store::open(&data).expect("store");
    let msgs = store.analysed_messages("widgets").expect("messages");
    assert_eq!(msgs.len(), 30);
    for m in &msgs {
        let t = m.new_text.as_deref().unwrap_or("");
        assert!(t.contains("about the widget standard"), "{t}");
        assert!(!t.contains("Archived by the Widgets Committee"), "{t}");
    }
    // importing again changes nothing and re-analyses nothing new
    let again = crate::import_json(&data, &[&path]);
    assert_eq!(again["new"], 0, "{again}");
}

/// `plenary eval quotes ARCHIVE` measures an archive without a store of one's own.
#[test]
fn eval_quotes_on_an_archive_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    crate::run_ok(
        crate::plenary(&dir.path().join("d"))
            .arg("gen-corpus")
            .arg(&corpus)
            .args(["--messages", "300", "--seed", "2"]),
    );
    let out = crate::run_ok(
        crate::plenary(&dir.path().join("unused"))
            .args(["eval", "quotes", "--json"])
            .arg(corpus.join("mbox")),
    );
    let e = crate::json(&out);
    assert!(e["pairs"].as_u64() > Some(20), "{e}");
    assert!(e["author_rate"].as_f64() > Some(0.9), "{e}");
    assert!(
        !dir.path().join("unused").exists(),
        "the temporary store is not the --data folder"
    );
}

/// `plenary import` derives only what its new messages touch; `--whole-lists` derives
/// the touched lists whole, as imports did before. A generated corpus imported in three
/// parts both ways leaves the same derived store (threads, parents, analyses,
/// reconstructions, tags, people, person links), and the same answers to a search.
#[test]
fn importing_in_parts_incrementally_equals_deriving_whole_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    run_ok(
        plenary(&dir.path().join("unused"))
            .arg("gen-corpus")
            .arg(&corpus)
            .args(["--messages", "900", "--seed", "5", "--format", "maildir"]),
    );
    let mut files = Vec::new();
    let mut stack = vec![corpus.join("maildir")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("maildir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then(a.cmp(b)));
    let agenda = corpus.join("agenda").join("sessions.json");
    let third = files.len() / 3;
    let parts: Vec<Vec<&std::path::Path>> = vec![
        std::iter::once(agenda.as_path())
            .chain(files[..third].iter().map(|p| p.as_path()))
            .collect(),
        files[third..2 * third]
            .iter()
            .map(|p| p.as_path())
            .collect(),
        // the last part: one new message on its own
        files[2 * third..files.len() - 1]
            .iter()
            .map(|p| p.as_path())
            .collect(),
        files[files.len() - 1..]
            .iter()
            .map(|p| p.as_path())
            .collect(),
    ];
    let incremental = dir.path().join("incremental");
    let whole = dir.path().join("whole-lists");
    for (i, part) in parts.iter().enumerate() {
        let a = import_json(&incremental, part);
        let mut c = plenary(&whole);
        c.args(["import", "--json", "--whole-lists"]).args(part);
        let b = json(&run_ok(&mut c));
        for k in [
            "new",
            "threads",
            "reconstructed",
            "tagged_threads",
            "people",
        ] {
            assert_eq!(a[k], b[k], "part {i}: {k}");
        }
    }
    let rows = |d: &std::path::Path| {
        plenary_store::Store::open(d)
            .expect("store")
            .derived_rows()
            .expect("derived rows")
    };
    let (a, b) = (rows(&incremental), rows(&whole));
    assert!(a.iter().any(|r| r.starts_with("Text(\"reconstructed\")")));
    assert!(a.iter().any(|r| r.starts_with("Text(\"tag\")")));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    let search = |d: &std::path::Path| {
        json(&run_ok(plenary(d).args([
            "search",
            "--json",
            "enhanced cooperation",
        ])))["total"]
            .clone()
    };
    assert_eq!(search(&incremental), search(&whole));
    assert!(search(&incremental).as_u64().is_some_and(|n| n > 0));
}
