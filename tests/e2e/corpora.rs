//! The seeds and the real archives in ../shared.

use crate::{import_json, json, plenary, run_ok, shared};

#[test]
fn seed_message_imports_as_one_message() {
    let Some(seed) = shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let s = import_json(dir.path(), &[&seed]);
    assert_eq!(s["new"], 1);
    let again = import_json(dir.path(), &[&seed]);
    assert_eq!(again["new"], 0);
    assert_eq!(again["duplicate"], 1);

    let stats = json(&run_ok(plenary(dir.path()).args(["stats", "--json"])));
    assert_eq!(stats["messages"], 1);
    assert_eq!(stats["lists"], 1);
    for k in ["threads", "rejected", "reconstructed", "people", "sessions"] {
        assert!(stats[k].is_u64(), "{k} missing in {stats}");
    }
    let threads = json(&run_ok(plenary(dir.path()).args(["threads", "--json"])));
    assert_eq!(threads[0]["subject"], "Text on Enhanced Cooperation");
    assert_eq!(threads[0]["list"], "wg-strategy");
    let id = threads[0]["id"].as_str().expect("id").to_string();
    let t = json(&run_ok(plenary(dir.path()).args(["thread", &id, "--json"])));
    let all = t["messages"].as_array().expect("messages");
    // The archived message plus the six it quotes, recovered from its quotes.
    assert_eq!(all.len(), 7, "{t}");
    let archived: Vec<&serde_json::Value> =
        all.iter().filter(|m| m["reconstructed"] == false).collect();
    assert_eq!(archived.len(), 1);
    let m = archived[0];
    let names: Vec<&str> = all
        .iter()
        .filter_map(|m| m["author"]["name"].as_str())
        .collect();
    for who in ["Ana Neves", "Paul Blaker", "Anriette Esterhuysen"] {
        assert!(names.contains(&who), "{who} missing from {names:?}");
    }
    let stats = json(&run_ok(plenary(dir.path()).args(["stats", "--json"])));
    assert_eq!(stats["reconstructed"], 6);
    assert_eq!(m["author"]["name"], "Anriette Esterhuysen");
    assert_eq!(m["author"]["address"], "anriette@apc.org");
    assert_eq!(m["date"], "2025-07-23T18:30:34Z");
    assert_eq!(
        m["subject"],
        "[WG-Strategy] [Ext] Re: Text on Enhanced Cooperation"
    );
    // its parent is Ana Neves's reconstructed message, the one it quotes
    let parent = m["parent"].as_str().expect("parent");
    let p = all
        .iter()
        .find(|x| x["id"] == parent)
        .expect("parent in thread");
    assert_eq!(p["author"]["name"], "Ana Neves");
    assert_eq!(p["reconstructed"], true);
    assert_eq!(m["reconstructed"], false);

    let store = plenary_store::Store::open(dir.path()).expect("store");
    let lists = store.lists().expect("lists");
    assert_eq!(lists[0].name, "WG-Strategy");
    let msg = store
        .message(m["id"].as_str().expect("id"))
        .expect("query")
        .expect("message");
    assert!(msg.body.starts_with("Dear Ana"), "{}", &msg.body[..40]);
    assert!(!msg.body.contains("More information about the WG-Strategy"));
}

#[test]
fn pipermail_tree_twisted_web() {
    let Some(tree) = shared("corpora/pipermail-twisted-web") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let s = import_json(dir.path(), &[&tree]);
    // 5,374 archived messages (separators in the .txt files = HTML pages);
    // 5,371 distinct ids: three Message-IDs occur twice in the archive.
    let new = s["new"].as_u64().expect("new");
    let dup = s["duplicate"].as_u64().expect("dup");
    eprintln!("twisted-web: {s}");
    assert_eq!(new + dup, 5374);
    assert!(new >= 5370, "{new}");
    assert_eq!(s["rejected"], 0);
    let again = import_json(dir.path(), &[&tree]);
    assert_eq!(again["new"], 0);
    let store = plenary_store::Store::open(dir.path()).expect("store");
    let (replies, parent, ghost) = store.reply_placement(None).expect("placement");
    eprintln!(
        "twisted-web replies {replies}: {parent} under an archived parent, {ghost} under a ghost"
    );
    assert!((parent + ghost) as f64 >= 0.95 * replies as f64);
    let lists = store.lists().expect("lists");
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0].slug, "twisted-web");
    // nested quotes (`>> …`) in the monthly .txt files are mail, not captioning turns
    assert!(
        store.transcripts().expect("transcripts").is_empty(),
        "mail archive files read as transcripts"
    );
    let q = json(&run_ok(
        plenary(dir.path()).args(["eval", "quotes", "--json"]),
    ));
    eprintln!("twisted-web quotes: {q}");
    assert!(q["author_rate"].as_f64().expect("author") >= 0.95, "{q}");
    assert!(q["date_rate"].as_f64().expect("date") >= 0.95, "{q}");
    assert!(q["text_rate"].as_f64().expect("text") >= 0.90, "{q}");
    assert_reconstruction_trustworthy(dir.path(), "twisted-web");
    let (judged, made_up, right) = reconstruction_gold(&store, "twisted-web");
    eprintln!(
        "twisted-web gold: {judged} judged present, {made_up} judged made up, {right} judged right"
    );
    // measured 2026-12-06: 23 present, 0 made up, 23 right; regressions fail
    assert!(made_up == 0 && right >= 23, "{judged} {made_up} {right}");
    assert!(right * 100 >= judged * 90, "{judged} {made_up} {right}");
    // measured 2026-12-06: 100.0 % / 98.8 % (the issue's targets: 99 / 97)
    assert_people_hold(dir.path(), "twisted-web", 99.0, 97.0);
    assert_affiliations_hold(dir.path(), 95.0);
    // measured 2026-12-05: 0 of 85 judged-wrong tags still given (was 85)
    assert_wrong_tags_gone(dir.path(), 0);
}

/// `plenary eval WHAT --gold tests/gold/GOLD --json` on an imported archive.
fn eval_gold(dir: &std::path::Path, what: &str, gold: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/gold")
        .join(gold);
    json(&run_ok(
        plenary(dir)
            .args(["eval", what, "--gold"])
            .arg(&path)
            .arg("--json"),
    ))
}

/// Tags a reader judged wrong (`tests/gold/tags/judged.tsv`) that the tagger still
/// gives on this archive: at most `most`.
fn assert_wrong_tags_gone(dir: &std::path::Path, most: u64) {
    let e = eval_gold(dir, "tags", "tags/judged.tsv");
    eprintln!("tag gold: {e}");
    let wrong: u64 = e["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .map(|s| s["given"].as_u64().unwrap_or(0) - s["given_right"].as_u64().unwrap_or(0))
        .sum();
    assert!(wrong <= most, "{wrong} judged-wrong tags given: {e}");
}

/// The organisations people's pages show, against the affiliation gold written by
/// reading the archive (`tests/gold/affiliations`): precision among those shown.
fn assert_affiliations_hold(dir: &std::path::Path, precision: f64) {
    let e = eval_gold(dir, "affiliations", "affiliations/gold.tsv");
    eprintln!("affiliation gold: {e}");
    assert!(e["found"].as_u64().expect("found") >= 40, "{e}");
    assert!(e["given"].as_u64().expect("given") >= 10, "{e}");
    assert!(e["precision"].as_f64().expect("p") >= precision, "{e}");
}

/// Identity resolution against the gold written by reading the archive
/// (`tests/gold/people`), and no person joined through a list-like address: the
/// list's own, -bounces, -request, -owner, noreply.
fn assert_people_hold(dir: &std::path::Path, gold: &str, precision: f64, recall: f64) {
    let e = eval_gold(dir, "people", &format!("people/{gold}.tsv"));
    eprintln!("{gold} identity gold: {e}");
    assert!(e["precision"].as_f64().expect("p") >= precision, "{e}");
    assert!(e["recall"].as_f64().expect("r") >= recall, "{e}");
    let people = json(&run_ok(plenary(dir).args(["people", "--json"])));
    for p in people.as_array().expect("people") {
        let names = p["names"].as_array().map_or(0, Vec::len);
        assert!(names <= 6, "a person with {names} names: {p}");
        for a in p["addresses"].as_array().into_iter().flatten() {
            let a = a.as_str().unwrap_or("");
            let local = a.split([' ', '@']).next().unwrap_or("");
            assert!(
                !["twisted-web", "r-package-devel", "r-devel"].contains(&local)
                    && !a.contains("-bounces")
                    && !a.contains("-request")
                    && !a.contains("-owner")
                    && !a.starts_with("noreply"),
                "a list address on a person: {a} in {p}"
            );
        }
    }
}

/// The hand-judged gold set of recovered messages (`tests/gold/reconstruction`:
/// `judgments.tsv`, with the rows read again after the text or name changed in
/// `rejudged.tsv`), against what this import recovered: judged made-up or
/// duplicate messages must stay gone, judged fully right ones must stay.
/// Returns (judged present, made-up present, fully right present).
fn reconstruction_gold(store: &plenary_store::Store, list: &str) -> (usize, usize, usize) {
    let gold = include_str!("../gold/reconstruction/judgments.tsv");
    let rejudged = include_str!("../gold/reconstruction/rejudged.tsv");
    let present: std::collections::BTreeSet<String> = store
        .reconstructed_rows(list)
        .expect("rows")
        .into_iter()
        .map(|r| r.id)
        .collect();
    // verdicts by recovered id: (exists, fully right)
    let mut verdicts: std::collections::BTreeMap<String, (String, String)> = Default::default();
    for line in gold.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() >= 8 && c[0] == list {
            verdicts.insert(c[1].to_string(), (c[6].to_string(), c[7].to_string()));
        }
    }
    for line in rejudged.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() >= 9 && c[0] == list {
            verdicts.remove(c[2]);
            verdicts.insert(c[1].to_string(), (c[6].to_string(), c[7].to_string()));
        }
    }
    let (mut judged, mut made_up, mut right) = (0, 0, 0);
    for (id, (exists, fully)) in &verdicts {
        if !present.contains(id) {
            continue;
        }
        judged += 1;
        if exists == "wrong" {
            made_up += 1;
        }
        if fully == "right" {
            right += 1;
        }
    }
    (judged, made_up, right)
}

/// `plenary eval reconstruction` on an imported archive (issue 12.6).
fn assert_reconstruction_trustworthy(dir: &std::path::Path, name: &str) {
    let e = json(&run_ok(plenary(dir).args([
        "eval",
        "reconstruction",
        "--json",
    ])));
    eprintln!("{name} reconstruction: {e}");
    let n = e["reconstructed"].as_u64().unwrap_or(0);
    assert_eq!(
        e["with_author"].as_u64(),
        Some(n),
        "every recovered message has an author"
    );
    let dup = e["duplicates_of_archived"].as_u64().unwrap_or(u64::MAX);
    assert!(
        dup * 100 <= n,
        "duplicates of archived messages over 1 %: {e}"
    );
}

#[test]
fn pipermail_quarterly_txt_r_package_devel() {
    let Some(dir_in) = shared("corpora/pipermail-txt-r-package-devel") else {
        return;
    };
    // The archive's own count: pipermail separators in the quarterly files.
    let mut expected = 0u64;
    for e in std::fs::read_dir(&dir_in).expect("dir") {
        let p = e.expect("entry").path();
        let text = std::fs::read(&p).expect("read");
        expected += String::from_utf8_lossy(&text)
            .lines()
            .filter(|l| {
                l.starts_with("From ")
                    && l.contains("  ")
                    && l.trim_end().ends_with(|c: char| c.is_ascii_digit())
                    && l.contains(':')
            })
            .count() as u64;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let s = import_json(dir.path(), &[&dir_in]);
    eprintln!("r-package-devel: {s}, expected {expected}");
    let total = s["new"].as_u64().expect("new")
        + s["duplicate"].as_u64().expect("dup")
        + s["rejected"].as_u64().expect("rej");
    assert_eq!(total, expected);
    let again = import_json(dir.path(), &[&dir_in]);
    assert_eq!(again["new"], 0);
    let store = plenary_store::Store::open(dir.path()).expect("store");
    let (replies, parent, ghost) = store.reply_placement(None).expect("placement");
    eprintln!("r-package-devel replies {replies}: {parent} parent, {ghost} ghost");
    assert!((parent + ghost) as f64 >= 0.95 * replies as f64);
    let q = json(&run_ok(
        plenary(dir.path()).args(["eval", "quotes", "--json"]),
    ));
    eprintln!("r-package-devel quotes: {q}");
    assert!(q["author_rate"].as_f64().expect("author") >= 0.95, "{q}");
    assert!(q["date_rate"].as_f64().expect("date") >= 0.95, "{q}");
    assert!(q["text_rate"].as_f64().expect("text") >= 0.90, "{q}");
    assert_reconstruction_trustworthy(dir.path(), "r-package-devel");
    let (judged, made_up, right) = reconstruction_gold(&store, "r-pkg-devel");
    eprintln!(
        "r-package-devel gold: {judged} judged present, {made_up} judged made up, {right} judged right"
    );
    // measured 2026-12-06: 38 present, 0 made up, 37 right (r129b… re-judged a
    // self-resend, `rejudged.tsv`, and no longer recovered); regressions fail
    assert!(made_up == 0 && right >= 37, "{judged} {made_up} {right}");
    assert!(right * 100 >= judged * 90, "{judged} {made_up} {right}");
    // measured 2026-12-06: 100.0 % / 100.0 % (the issue's targets: 99 / 97)
    assert_people_hold(dir.path(), "r-package-devel", 99.0, 97.0);
    assert_affiliations_hold(dir.path(), 95.0);
    // measured 2026-12-05: 5 of 190 judged-wrong tags still given (was 185)
    assert_wrong_tags_gone(dir.path(), 0);
}

#[test]
fn other_archivers_fixtures_import_without_panic() {
    for name in [
        "fixtures-hyperkitty",
        "fixtures-notmuch",
        "fixtures-ponymail",
        "fixtures-ponymail-foal",
        "fixtures-bigbang",
    ] {
        let Some(p) = shared(&format!("corpora/{name}")) else {
            return;
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let out = plenary(dir.path())
            .arg("import")
            .arg("--json")
            .arg(&p)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(out.status.success(), "{name}: {stderr}");
        let s = json(&out);
        eprintln!("{name}: {s}");
        let rejects = json(&run_ok(plenary(dir.path()).args(["rejects", "--json"])));
        let rows = rejects.as_array().expect("array");
        assert_eq!(rows.len() as u64, s["rejected"].as_u64().expect("n"));
        for r in rows {
            assert!(!r["reason"].as_str().unwrap_or("").is_empty());
            assert!(!r["origin"].as_str().unwrap_or("").is_empty());
        }
    }
}

#[test]
fn seed_thread_hidden_in_quotes_is_reconstructed() {
    let Some(seed) = shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    import_json(dir.path(), &[&seed]);
    let threads = json(&run_ok(plenary(dir.path()).args(["threads", "--json"])));
    let id = threads[0]["id"].as_str().expect("id").to_string();
    let t = json(&run_ok(plenary(dir.path()).args(["thread", &id, "--json"])));
    let all = t["messages"].as_array().expect("messages");
    assert_eq!(all.len(), 7);
    assert_eq!(all.iter().filter(|m| m["reconstructed"] == true).count(), 6);
    // tags a reader judged (tests/gold/tags): what is given is right, on the thread
    // and on each message, and the thread carries most items a reader would give it
    let e = eval_gold(dir.path(), "tags", "tags/judged.tsv");
    for scope in e["scopes"].as_array().expect("scopes") {
        assert!(scope["given"].as_u64() > Some(0), "{e}");
        assert!(scope["precision"].as_f64() >= Some(90.0), "{e}");
    }
    let e = eval_gold(dir.path(), "tags", "tags/seed-thread.tsv");
    assert!(e["scopes"][0]["given_right"].as_u64() >= Some(7), "{e}");
    let by_name = |n: &str| {
        all.iter()
            .find(|m| m["author"]["name"] == n)
            .unwrap_or_else(|| panic!("{n} not in thread"))
    };
    // Each quoted by the next, oldest first.
    let chain = [
        (
            "Wolfgang Kleinwächter",
            Some("wolfgang@kleinwaechter.info"),
            "2025-07-22T17:06",
        ),
        ("Raúl Echeberría", Some("raul@alai.lat"), "2025-07-22T22:46"),
        ("Veni Markovski", None, "2025-07-23T19:02"),
        (
            "parminder",
            Some("parminder.js.work@gmail.com"),
            "2025-07-23T14:42",
        ),
        ("Paul Blaker", None, "2025-07-23T16:03"),
        ("Ana Neves", None, "2025-07-23T18:36"),
        (
            "Anriette Esterhuysen",
            Some("anriette@apc.org"),
            "2025-07-23T18:30",
        ),
    ];
    for (i, (name, addr, date)) in chain.iter().enumerate() {
        let m = by_name(name);
        if let Some(a) = addr {
            assert_eq!(m["author"]["address"], *a, "{name}");
        }
        assert!(
            m["date"].as_str().unwrap_or("").starts_with(date),
            "{name}: {}",
            m["date"]
        );
        // the attributions give no offset: local times, never shown as UTC
        // (issue 12.5); only the archived message is a UTC instant
        let archived = m["reconstructed"] == false;
        assert_eq!(m["date_exact"], archived, "{name}");
        assert_eq!(
            m["date"].as_str().unwrap_or("").ends_with('Z'),
            archived,
            "{name}: {}",
            m["date"]
        );
        let parent = m["parent"].as_str();
        if i == 0 {
            assert_eq!(parent, None, "{name} is the root");
        } else {
            let p = by_name(chain[i - 1].0);
            assert_eq!(
                parent,
                p["id"].as_str(),
                "{name} replies to {}",
                chain[i - 1].0
            );
        }
    }
    let store = plenary_store::Store::open(dir.path()).expect("store");
    let text = |n: &str| {
        let id = by_name(n)["id"].as_str().expect("id").to_string();
        let m = store.message(&id).expect("query").expect("message");
        m.new_text.unwrap_or(m.body)
    };
    assert!(text("parminder").starts_with("Yes, Veni, that is the default"));
    let veni = text("Veni Markovski");
    assert!(
        veni.contains("Since Tunisia") && !veni.contains("Yes, Veni"),
        "{veni}"
    );
    assert!(text("Wolfgang Kleinwächter").contains("PS: Here is my view of the history"));
    // Re-analysis from stored bodies rebuilds the same reconstruction.
    let out = run_ok(plenary(dir.path()).arg("reanalyze"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("6 messages reconstructed"));
    for (n, _, _) in chain {
        let t = text(n);
        for chrome in [
            "WG-Strategy mailing list",
            "I am sending this message at a time",
            "OFFICIAL",
            "Head, Internet Governance Office",
            "next part",
        ] {
            assert!(!t.contains(chrome), "{n}'s text holds {chrome:?}: {t}");
        }
    }
}

#[test]
fn unquote_prints_the_seed_chain() {
    let Some(seed) = crate::shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = crate::run_ok(
        crate::plenary(dir.path())
            .arg("unquote")
            .arg(&seed)
            .arg("--json"),
    );
    let v = crate::json(&out);
    let m = v["messages"].as_array().expect("messages");
    assert_eq!(m.len(), 7, "{v:#}");
    let names: Vec<&str> = m
        .iter()
        .map(|x| x["author"]["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "Anriette Esterhuysen",
            "Ana Neves",
            "Paul Blaker",
            "parminder",
            "Veni Markovski",
            "Raúl Echeberría",
            "Wolfgang Kleinwächter"
        ],
        "{v:#}"
    );
    for (i, x) in m.iter().enumerate() {
        let want = if i == 0 {
            serde_json::Value::Null
        } else {
            serde_json::json!(i - 1)
        };
        assert_eq!(x["quoted_by"], want, "message {i}");
    }
    assert_eq!(m[3]["author"]["address"], "parminder.js.work@gmail.com");
    assert_eq!(m[5]["author"]["address"], "raul@alai.lat");
    assert_eq!(m[6]["author"]["address"], "wolfgang@kleinwaechter.info");
    // a list address is no author address
    assert!(m[1]["author"]["address"].is_null(), "{:#}", m[1]);
    assert_eq!(m[6]["date"], "2025-07-22T17:06");
    assert_eq!(m[4]["date"], "2025-07-23T19:02");
    assert!(m[3]["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("Yes, Veni, that is the default")));
    assert!(m[4]["text"]
        .as_str()
        .is_some_and(|t| t.contains("Since Tunisia") && !t.contains("Yes, Veni")));
    let zones = v["zones"].as_array().expect("zones");
    assert!(zones.iter().any(|z| z["kind"] == "list_footer"));
    assert!(zones.iter().any(|z| z["kind"] == "signature"));
    assert!(zones
        .iter()
        .all(|z| z["start"].as_u64() <= z["end"].as_u64()));
    // not a message: a clear error naming the file
    let junk = dir.path().join("notes.bin");
    std::fs::write(&junk, [0u8, 159, 146, 150]).expect("write");
    let out = crate::plenary(dir.path())
        .arg("unquote")
        .arg(&junk)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.bin"));
}

/// Issue 12.6: the quote analyser against HPI Quagga's hand-annotated Enron
/// mail, through the binary; a folder that is not such a set is an error naming it.
#[test]
fn eval_quagga_on_annotated_enron_mail() {
    let Some(set) = shared("corpora/quagga-enron-train") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let e = json(&run_ok(
        plenary(dir.path())
            .arg("eval")
            .arg("quagga")
            .arg(&set)
            .arg("--json"),
    ));
    eprintln!(
        "quagga: author {} date {} lines {}",
        e["author_rate"], e["date_rate"], e["line_accuracy"]
    );
    assert_eq!(e["emails"], 396, "{}", e["emails"]);
    // targets of issue 12 (measured 2026-12-05: 95.5 %, 99.8 %, 98.6 %)
    assert!(e["author_rate"].as_f64().unwrap_or(0.0) >= 0.95);
    assert!(e["date_rate"].as_f64().unwrap_or(0.0) >= 0.95);
    assert!(e["line_accuracy"].as_f64().unwrap_or(0.0) >= 0.97);
    let out = plenary(dir.path())
        .args(["eval", "quagga", "/nonexistent/quagga"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/quagga"));
}
