//! Issue 16.8, operations: concurrent imports, skipped paths, agenda files
//! counted once.

use std::path::Path;

use crate::{json, plenary, run_ok};

fn mbox(dir: &Path, name: &str, list: &str, n: usize) -> std::path::PathBuf {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "From x@example.org Mon Jul  7 07:00:00 2025\n\
             From: Person {i} <p{i}@example.org>\n\
             List-Id: {list} <{list}.lists.example.org>\n\
             Subject: [{list}] topic {t}\n\
             Date: Mon, 7 Jul 2025 09:{m:02}:00 +0200\n\
             Message-ID: <{list}-{i}@example.org>\n\n\
             Message {i} of {list} about topic {t}.\n\n",
            t = i % 7,
            m = i % 60
        ));
    }
    let p = dir.join(name);
    std::fs::write(&p, s).expect("write");
    p
}

/// Two imports started together into one data folder: the second waits for
/// the first (saying so) and both succeed with everything stored and indexed.
#[test]
fn concurrent_imports_wait_for_each_other_and_both_succeed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let a = mbox(dir.path(), "a.mbox", "alpha", 1500);
    let b = mbox(dir.path(), "b.mbox", "beta", 1500);
    // create the store first so both start on an existing folder
    run_ok(plenary(&data).args(["stats", "--json"]));
    let spawn = |p: &Path| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("plenary"))
            .arg("--data")
            .arg(&data)
            .arg("import")
            .arg(p)
            .arg("--json")
            .env_remove("PLENARY_DATA")
            .output()
    };
    let (ra, rb) = std::thread::scope(|s| {
        let ha = s.spawn(|| spawn(&a));
        let hb = s.spawn(|| spawn(&b));
        (ha.join().expect("a"), hb.join().expect("b"))
    });
    for r in [ra, rb] {
        let out = r.expect("runs");
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stats = json(&run_ok(plenary(&data).args(["stats", "--json"])));
    assert_eq!(stats["messages"], 3000, "{stats}");
    let hits = json(&run_ok(plenary(&data).args([
        "search",
        "list:beta",
        "--json",
    ])));
    assert!(hits["total"].as_u64().unwrap_or(0) > 0, "{hits}");
}

/// Every path an import does not read is counted and listed with its reason;
/// an agenda file is imported and not also reported as a reject.
#[test]
fn skipped_paths_are_listed_and_agenda_files_counted_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    mbox(&input, "list.mbox", "alpha", 3);
    std::fs::write(input.join("notes.txt"), "just some notes\n").expect("write");
    let agenda = input.join("agenda.json");
    std::fs::write(
        &agenda,
        r#"{"sessions": [{"event": "CSTD 2026", "number": "1", "title": "Opening",
             "start": "2026-04-14T10:00:00+02:00", "speakers": []}]}"#,
    )
    .expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone"), input.join("dangling")).expect("link");
    let out = run_ok(plenary(&data).args(["import", "--json"]).arg(&input));
    let s = json(&out);
    assert_eq!(s["new"], 3, "{s}");
    assert_eq!(s["sessions_new"], 1, "{s}");
    assert_eq!(s["rejected"], 0, "{s}");
    let skipped: Vec<String> = s["skipped"]
        .as_array()
        .expect("skipped listed")
        .iter()
        .map(|p| format!("{} {}", p["path"], p["reason"]))
        .collect();
    assert!(
        skipped.iter().any(|p| p.contains("notes.txt")),
        "{skipped:?}"
    );
    assert!(
        !skipped.iter().any(|p| p.contains("agenda.json")),
        "{skipped:?}"
    );
    assert_eq!(s["skipped_files"].as_u64(), Some(skipped.len() as u64));
    // the agenda file given on its own: imported (unchanged), not a reject
    let s = json(&run_ok(
        plenary(&data).args(["import", "--json"]).arg(&agenda),
    ));
    assert_eq!(s["rejected"], 0, "{s}");
    assert_eq!(s["sessions_unchanged"], 1, "{s}");
    let rejects = json(&run_ok(plenary(&data).args(["rejects", "--json"])));
    assert_eq!(rejects.as_array().map(Vec::len), Some(0), "{rejects}");
}

/// Issue 16.2: the command's output hides addresses unless
/// `--show-addresses`: people, threads, search, balance and the dataset.
#[test]
fn command_output_hides_addresses_by_default() {
    use crate::plenary_as_published;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let input = mbox(dir.path(), "a.mbox", "alpha", 5);
    run_ok(plenary(&data).args(["import"]).arg(&input));
    let threads = json(&run_ok(plenary(&data).args(["threads", "--json"])));
    let thread = threads[0]["id"].as_str().expect("thread").to_string();
    for args in [
        vec!["people", "--json"],
        vec!["people"],
        vec!["thread", thread.as_str(), "--json"],
        vec!["thread", thread.as_str()],
        vec!["search", "topic", "--json"],
        vec!["balance", "--list", "alpha"],
        vec!["export"],
    ] {
        let hidden = run_ok(plenary_as_published(&data).args(&args));
        let text = String::from_utf8_lossy(&hidden.stdout);
        assert!(!text.contains("p1@example.org"), "{args:?}: {text}");
        let shown = run_ok(plenary(&data).args(&args));
        let shown = String::from_utf8_lossy(&shown.stdout);
        if shown.contains("p1@example.org") {
            assert!(text.contains("p1 at example.org"), "{args:?}: {text}");
        }
    }
    // identifiers stay usable: a message's link in the search output works
    let hits = json(&run_ok(
        plenary_as_published(&data).args(["search", "topic", "--json"]),
    ));
    let url = hits["hits"][0]["url"].as_str().expect("url");
    assert!(url.contains("@example.org"), "{url}");
}

/// Outside a terminal an import prints, after each stored batch, how much of
/// its input it has read (a share of the total bytes) and an ETA, with whole
/// rates; the shares only grow.
#[test]
fn import_progress_lines_give_a_share_and_an_eta() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = mbox(dir.path(), "a.mbox", "alpha", 300);
    let b = mbox(dir.path(), "b.mbox", "beta", 300);
    let total = std::fs::metadata(&a).expect("a").len() + std::fs::metadata(&b).expect("b").len();
    let out = run_ok(
        plenary(&dir.path().join("data"))
            .arg("import")
            .arg(&a)
            .arg(&b)
            .args(["--batch", "100", "--no-index"]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("read so far"))
        .collect();
    assert_eq!(lines.len(), 6, "one line per batch of 100:\n{stderr}");
    let size = format!("of {}", indicatif::HumanBytes(total));
    let mut last = 0;
    for l in &lines {
        let pct: u64 = l
            .split(", ")
            .nth(1)
            .and_then(|s| s.split('%').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no share in {l:?}"));
        assert!(pct >= last && pct <= 100, "{stderr}");
        last = pct;
        assert!(l.contains(&size), "total {size} not in {l:?}");
        assert!(l.contains("ETA") || l.contains("reading done"), "{l:?}");
        // rates are whole numbers: "2014 messages/s", never "2014.3827/s"
        let rate = l
            .rsplit(", ")
            .next()
            .and_then(|r| r.strip_suffix(" messages/s)"))
            .unwrap_or_else(|| panic!("no rate in {l:?}"));
        assert!(rate == "<1" || rate.parse::<u64>().is_ok(), "{l:?}");
    }
    assert!(lines[0].contains("ETA"), "{}", lines[0]);
    assert!(last >= 90, "the last batch is read near the end: {stderr}");
}

/// A list named private in `DATA/plenary.toml` is private whatever way its mail
/// comes in: a plain import keeps its messages byte for byte under
/// `DATA/private/LIST.mbox` and stores none of them; the other lists import as usual.
#[test]
fn private_lists_are_kept_aside_by_every_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    std::fs::write(
        data.join("plenary.toml"),
        "[lists]\nprivate = [\"board@lists.example.org\"]\n",
    )
    .expect("config");
    let mail = |n: u32, list: &str| {
        format!(
            "From tomas@ngo.example  Tue Dec  2 09:0{n}:00 2025\nFrom: Tomás Rivera <tomas@ngo.example>\n\
             Subject: [{list}] Budget for 2026\nDate: Tue, 02 Dec 2025 09:0{n}:00 -0500\n\
             Message-ID: <priv-{n}@ngo.example>\nList-Id: <{list}.lists.example.org>\n\n\
             The draft budget is attached for the committee's review.\n\n"
        )
    };
    let mbox = dir.path().join("mixed.mbox");
    std::fs::write(
        &mbox,
        format!(
            "{}{}{}",
            mail(1, "board"),
            mail(2, "governance"),
            mail(3, "board")
        ),
    )
    .expect("mbox");
    for _ in 0..2 {
        let s = json(&run_ok(
            plenary(&data).arg("import").arg(&mbox).arg("--json"),
        ));
        assert_eq!(s["private"], 2, "{s}");
    }
    let stats = json(&run_ok(plenary(&data).args(["stats", "--json"])));
    assert_eq!(stats["messages"], 1, "{stats}");
    let threads =
        String::from_utf8_lossy(&run_ok(plenary(&data).args(["threads"])).stdout).to_string();
    assert!(!threads.to_lowercase().contains("board"), "{threads}");
    let kept = std::fs::read_to_string(data.join("private/board.mbox")).expect("kept raw");
    assert_eq!(
        kept.matches("Message-ID: <priv-").count(),
        2,
        "kept once each: {kept}"
    );
    let search =
        String::from_utf8_lossy(&run_ok(plenary(&data).args(["search", "committee"])).stdout)
            .to_string();
    assert!(
        !search.contains("priv-1") && !search.contains("priv-3"),
        "{search}"
    );
}

/// A `DATA/plenary.toml` that does not parse stops every command with an error
/// naming the file and the reason; what is stored stays.
#[test]
fn a_broken_configuration_file_is_named_and_nothing_is_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let mbox = dir.path().join("one.mbox");
    std::fs::write(
        &mbox,
        "From ana@example.org Mon Jun  1 10:00:00 2026\nFrom: Ana <ana@example.org>\n\
         Subject: hello\nDate: Mon, 1 Jun 2026 10:00:00 +0000\nMessage-ID: <cfg-1@example.org>\n\n\
         The agenda is out.\n\n",
    )
    .expect("mbox");
    run_ok(plenary(&data).arg("import").arg(&mbox));
    std::fs::write(data.join("plenary.toml"), "[lists]\nprivate = \"board\n").expect("config");
    let out = plenary(&data)
        .args(["stats", "--json"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("plenary.toml"), "{err}");
    std::fs::write(data.join("plenary.toml"), "[lists]\nprivate = []\n").expect("config");
    let stats = json(&run_ok(plenary(&data).args(["stats", "--json"])));
    assert_eq!(stats["messages"], 1, "{stats}");
}
