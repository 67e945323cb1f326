//! People: one identity across the seed thread and the seed session, affiliations with
//! evidence, balance, network, curation, and identity resolution measured.

use std::path::Path;

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, run_ok};

fn people(data: &Path) -> Vec<serde_json::Value> {
    json(&run_ok(plenary(data).args(["people", "--json"])))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn find<'a>(v: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    v.iter()
        .find(|p| p["name"].as_str() == Some(name))
        .unwrap_or_else(|| {
            panic!(
                "no person named {name}: {:#?}",
                v.iter().map(|p| &p["name"]).collect::<Vec<_>>()
            )
        })
}

#[test]
fn seed_people_one_identity_with_evidence() {
    let (Some(thread), Some(session)) = (
        crate::shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt"),
        crate::shared("seeds/wsis-forum-2025-session-400.txt"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let s = import_json(dir.path(), &[&thread, &session]);
    assert!(s["people"].as_u64() >= Some(10), "{s}");
    let v = people(dir.path());

    let a = find(&v, "Anriette Esterhuysen");
    let addrs: Vec<&str> = a["addresses"]
        .as_array()
        .expect("addresses")
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert!(
        addrs.contains(&"anriette@apc.org") && addrs.contains(&"anriette@gmail.com"),
        "{a:#}"
    );
    assert!(
        a["sessions"]
            .as_array()
            .is_some_and(|s| s.iter().any(|x| x["id"] == "wsis-forum-2025-400")),
        "{a:#}"
    );
    assert!(a["messages"].as_u64() >= Some(1));
    let aff = &a["affiliations"][0];
    assert_eq!(
        aff["organization"], "Association for Progressive Communications",
        "{a:#}"
    );
    assert_eq!(aff["stakeholder_group"], "civil-society", "{a:#}");
    assert_eq!(aff["country"], "ZA", "{a:#}");

    let p = find(&v, "Paul Blaker");
    let aff = p["affiliations"].as_array().expect("affs");
    let dsit = aff
        .iter()
        .find(|x| x["stakeholder_group"] == "government")
        .unwrap_or_else(|| panic!("{p:#}"));
    assert_eq!(dsit["country"], "GB", "{p:#}");
    assert_eq!(dsit["regional_group"], "weog", "{p:#}");
    assert_eq!(dsit["source"], "signature", "{p:#}");
    assert!(
        dsit["organization"]
            .as_str()
            .is_some_and(|o| o.contains("Science, Innovation")),
        "{p:#}"
    );

    let ana = find(&v, "Ana Neves");
    let names: Vec<&str> = ana["names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert!(
        names.contains(&"Ana Cristina F. Amoroso das Neves"),
        "{ana:#}"
    );
    let aff = &ana["affiliations"][0];
    assert_eq!(aff["country"], "PT", "{ana:#}");
    assert_eq!(aff["source"], "signature", "{ana:#}");
    assert!(
        aff["organization"]
            .as_str()
            .is_some_and(|o| o.contains("FCCN")),
        "{ana:#}"
    );

    // nobody joined through the list address
    assert!(v
        .iter()
        .all(|p| p["addresses"].as_array().is_some_and(|a| !a
            .iter()
            .any(|x| x.as_str().is_some_and(|x| x.starts_with("wg-strategy"))))));
    let blaker = v.iter().filter(|p| p["name"] == "Paul Blaker").count();
    assert_eq!(blaker, 1);

    // balance of the seed thread: every author with a group or unknown, with evidence
    let threads = json(&run_ok(plenary(dir.path()).args(["threads", "--json"])));
    let tid = threads[0]["id"].as_str().expect("id").to_string();
    let b = json(&run_ok(plenary(dir.path()).args([
        "balance",
        "--thread",
        &tid,
        "--by",
        "stakeholder-group",
        "--json",
    ])));
    assert_eq!(b["messages"], 7, "{b:#}");
    assert_eq!(b["participants"], 7, "{b:#}");
    let rows = b["rows"].as_array().expect("rows");
    assert!(rows.iter().any(|r| r["group"] == "unknown"));
    let who = b["people"].as_array().expect("people");
    assert_eq!(who.len(), 7);
    let paul = who
        .iter()
        .find(|x| x["name"] == "Paul Blaker")
        .expect("paul");
    assert_eq!(paul["group"], "government");
    assert!(paul["evidence"]
        .as_str()
        .is_some_and(|e| e.contains("Department for Science")));
    // the same people by framework item and by period
    let by_item = json(&run_ok(plenary(dir.path()).args([
        "balance",
        "--item",
        "topics:enhanced-cooperation",
        "--json",
    ])));
    assert_eq!(by_item["messages"], 7, "{by_item:#}");
    let by_period = json(&run_ok(plenary(dir.path()).args([
        "balance",
        "--from",
        "2025-07-23",
        "--to",
        "2025-07-24",
        "--json",
    ])));
    assert!(by_period["messages"].as_u64() >= Some(5), "{by_period:#}");
    assert!(by_period["periods"]
        .as_array()
        .is_some_and(|p| p.len() == 1));
    // reply network of the thread
    let net = json(&run_ok(
        plenary(dir.path()).args(["network", "--thread", &tid]),
    ));
    assert_eq!(net["nodes"].as_array().map(Vec::len), Some(7), "{net:#}");
    assert!(
        net["edges"].as_array().is_some_and(|e| e.len() >= 6),
        "{net:#}"
    );

    // the web: person, organisation, balance pages and API twins
    let (_server, base) = start_server(dir.path());
    let id = a["id"].as_str().expect("id");
    let (st, page) = get(&format!("{base}/people/{id}"));
    assert_eq!(st, 200);
    assert!(page.contains("Association for Progressive Communications"));
    assert!(page.contains("anriette at apc.org"), "addresses obfuscated");
    let (st, session) = get(&format!("{base}/sessions/wsis-forum-2025-400"));
    assert_eq!(st, 200);
    assert!(
        session.contains(&format!("href=\"/people/{id}\"")),
        "speaker links to person"
    );
    let (st, bal) = get(&format!("{base}/balance?thread={tid}&by=stakeholder-group"));
    assert_eq!(st, 200);
    // Groups in words on the page (the API keeps the ids).
    assert!(bal.contains("<svg") && bal.contains("Government"), "{bal}");
    assert!(!bal.contains(">government<"), "{bal}");
    let (st, csv) = get(&format!(
        "{base}/api/v1/balance?thread={tid}&by=region&format=csv"
    ));
    assert_eq!(st, 200);
    assert!(csv.starts_with("group,messages"));
    let (st, _) = get(&format!("{base}/organizations/apc"));
    assert_eq!(st, 200);
    let (st, gml) = get(&format!(
        "{base}/api/v1/network?thread={tid}&format=graphml"
    ));
    assert_eq!(st, 200);
    assert!(gml.contains("<graphml"));
    // Without a scope: the entry page, linking what can be measured.
    let (st, entry) = get(&format!("{base}/balance"));
    assert_eq!(st, 200);
    assert!(entry.contains("/balance?year=2025"), "{entry}");
    let (st, _) = get(&format!("{base}/balance?by=nothing&list="));
    assert_eq!(st, 200, "an empty scope is the entry page too");
    let (st, y) = get(&format!("{base}/balance?year=2025&by=region"));
    assert_eq!(st, 200);
    assert!(y.contains("the year 2025"));
    let (st, net) = get(&format!("{base}/network?thread={tid}"));
    assert_eq!(st, 200);
    assert!(net.contains("<svg") && net.contains("Anriette Esterhuysen"));
    let (st, _) = get(&format!("{base}/network?event=wsis-forum-2025"));
    assert_eq!(st, 400);
}

#[test]
fn curation_merges_splits_and_sets_survive_rebuilds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mbox = "From a@x Mon Jan  6 10:00:00 2025\nFrom: Lena Berg <lena@one.example>\nSubject: one\nDate: Mon, 6 Jan 2025 10:00:00 +0000\nMessage-ID: <c1@x>\nList-Id: <wg.example.org>\n\nFirst point.\n\nFrom b@x Mon Jan  6 11:00:00 2025\nFrom: L. B. <lb@two.example>\nSubject: two\nDate: Mon, 6 Jan 2025 11:00:00 +0000\nMessage-ID: <c2@x>\nList-Id: <wg.example.org>\n\nSecond point.\n\n";
    let path = dir.path().join("wg.mbox");
    std::fs::write(&path, mbox).expect("write");
    let data = dir.path().join("data");
    import_json(&data, &[&path]);
    assert_eq!(people(&data).len(), 2);
    run_ok(plenary(&data).args([
        "people",
        "merge",
        "lena@one.example",
        "lb@two.example",
        "--reason",
        "same person, confirmed",
    ]));
    let v = people(&data);
    assert_eq!(v.len(), 1);
    run_ok(plenary(&data).args([
        "people",
        "set",
        "lena@one.example",
        "--organization",
        "Association for Progressive Communications",
        "--stakeholder-group",
        "civil-society",
        "--country",
        "ZA",
    ]));
    let v = people(&data);
    assert_eq!(v[0]["affiliations"][0]["source"], "curated");
    assert_eq!(v[0]["affiliations"][0]["country"], "ZA");
    let toml = std::fs::read_to_string(data.join("people.toml")).expect("people.toml");
    assert!(toml.contains("same person, confirmed"));
    // a re-import (rebuild) keeps the curation
    run_ok(plenary(&data).args(["people", "rebuild"]));
    assert_eq!(people(&data).len(), 1);
    // a broken curation file is an error naming it, and nothing stored is lost
    std::fs::write(data.join("people.toml"), "[[merge]]\npeople = 3\n").expect("write");
    let out = plenary(&data)
        .args(["people", "rebuild"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("people.toml"));
    assert_eq!(people(&data).len(), 1);
}

#[test]
fn identity_resolution_measured_on_generated_truth() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "1500",
        "--seed",
        "5",
    ]));
    import_json(&data, &[&corpus.join("mbox")]);
    let e = json(&run_ok(
        plenary(&data)
            .args(["eval", "people", "--json", "--truth"])
            .arg(corpus.join("truth.jsonl")),
    ));
    eprintln!("generated: {e}");
    // The targets (precision >= 99 %, recall >= 95 %); measured 100 % / 100 %
    // here, 100 / 99.4 at 10k messages and 99.0 / 97.7 at 100k (BENCHMARKS.md).
    assert!(e["precision"].as_f64() >= Some(99.0), "{e}");
    assert!(e["recall"].as_f64() >= Some(95.0), "{e}");
}

#[test]
fn identity_resolution_on_bigbang_from_strings() {
    let Some(f) = crate::shared("corpora/fixtures-bigbang/from-header-variations.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let e = json(&run_ok(
        plenary(dir.path())
            .args(["eval", "people", "--json", "--from-strings"])
            .arg(&f),
    ));
    eprintln!("bigbang from-header-variations: {e}");
    assert_eq!(e["true_people"], 10, "{e}");
    assert!(e["precision"].as_f64() >= Some(99.0), "{e}");
    assert!(e["recall"].as_f64() >= Some(45.0), "{e}");
}

#[test]
fn namesakes_stay_apart_and_their_pages_offer_the_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mbox = "From a@x Mon Jan  6 10:00:00 2025\nFrom: Jordan Okoro <jordan@alpha.example>\nSubject: one\nDate: Mon, 6 Jan 2025 10:00:00 +0000\nMessage-ID: <n1@x>\nList-Id: <wg.example.org>\n\nFirst point.\n\nFrom b@x Mon Jan  6 11:00:00 2025\nFrom: Jordan Okoro <jokoro@beta.example>\nSubject: two\nDate: Mon, 6 Jan 2025 11:00:00 +0000\nMessage-ID: <n2@x>\nList-Id: <wg.example.org>\n\nSecond point.\n\nFrom c@x Mon Jan  6 12:00:00 2025\nSubject: three\nDate: Mon, 6 Jan 2025 12:00:00 +0000\nMessage-ID: <n3@x>\nList-Id: <wg.example.org>\n\nNo author at all.\n\n";
    let path = dir.path().join("wg.mbox");
    std::fs::write(&path, mbox).expect("write");
    let data = dir.path().join("data");
    import_json(&data, &[&path]);
    let v = people(&data);
    // two people of one name at two organisations; a message without author is nobody
    assert_eq!(v.len(), 2, "{v:#?}");
    let (_server, base) = start_server(&data);
    let id = v[0]["id"].as_str().expect("id");
    let (st, page) = get(&format!("{base}/people/{id}"));
    assert_eq!(st, 200);
    assert!(page.contains("Others named Jordan Okoro"), "{page}");
    assert!(page.contains("plenary people merge"));
}

#[test]
fn balance_of_a_session_set_and_organisations_folded_per_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "400",
        "--seed",
        "3",
    ]));
    import_json(&data, &[&corpus.join("mbox"), &corpus.join("agenda")]);
    let sessions = json(&run_ok(plenary(&data).args(["sessions", "--json"])));
    let ids: Vec<String> = sessions
        .as_array()
        .expect("sessions")
        .iter()
        .take(3)
        .map(crate::session_id)
        .collect();
    let speakers: usize = sessions
        .as_array()
        .expect("sessions")
        .iter()
        .take(3)
        .map(|s| s["speakers"].as_array().map_or(0, |a| a.len()))
        .sum();
    let b = json(&run_ok(plenary(&data).args([
        "balance",
        "--json",
        "--sessions",
        &ids.join(","),
    ])));
    assert_eq!(b["messages"].as_u64(), Some(speakers as u64), "{b}");

    // By organisation with the top 2 shown: the rest is "other", per year as well.
    let b = json(&run_ok(plenary(&data).args([
        "balance",
        "--json",
        "--list",
        "governance",
        "--by",
        "organization",
        "--top",
        "2",
    ])));
    let rows = b["rows"].as_array().expect("rows");
    let other = rows
        .iter()
        .find_map(|r| r["group"].as_str().filter(|g| g.starts_with("other (")))
        .expect("an other row")
        .to_string();
    let per_year: u64 = b["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .filter_map(|p| p["groups"][&other].as_u64())
        .sum();
    let total = rows
        .iter()
        .find(|r| r["group"] == other.as_str())
        .and_then(|r| r["messages"].as_u64());
    assert_eq!(Some(per_year), total, "{b}");
}

/// Gold files for `eval people --gold` and `eval tags --gold`: a missing file is an
/// error naming it; rows that are not gold rows (no tabs, a stray line) are skipped,
/// never a panic, and nothing stored changes.
#[test]
fn eval_gold_files_that_are_missing_or_malformed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let mbox = dir.path().join("wg.mbox");
    std::fs::write(&mbox, "From a@x Mon Jan  6 10:00:00 2025\nFrom: Jordan Okoro <jordan@alpha.example>\nSubject: one\nDate: Mon, 6 Jan 2025 10:00:00 +0000\nMessage-ID: <g1@x>\n\nA point.\n\n").expect("write");
    import_json(&data, &[&mbox]);
    for what in ["people", "tags", "affiliations"] {
        let missing = dir.path().join("no-such-gold.tsv");
        let out = plenary(&data)
            .args(["eval", what, "--gold"])
            .arg(&missing)
            .output()
            .expect("runs");
        assert!(!out.status.success(), "{what}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no-such-gold.tsv"), "{what}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "person\tname\taddress\treason\nnot a gold row\n\t\t\t\njordan\tJordan Okoro\tjordan at alpha.example\tfrom header\n").expect("write");
    let e = json(&run_ok(
        plenary(&data)
            .args(["eval", "people", "--json", "--gold"])
            .arg(&bad),
    ));
    assert_eq!(e["rows"], 1, "{e}");
    assert_eq!(e["found"], 1, "{e}");
    let t = json(&run_ok(
        plenary(&data)
            .args(["eval", "tags", "--json", "--gold"])
            .arg(&bad),
    ));
    assert_eq!(t["scopes"][0]["judged"], 0, "{t}");
    // another set's rows are not affiliation rows
    let a = json(&run_ok(
        plenary(&data)
            .args(["eval", "affiliations", "--json", "--gold"])
            .arg(&bad),
    ));
    assert_eq!(a["rows"], 0, "{a}");
    let aff = dir.path().join("aff.tsv");
    std::fs::write(&aff, "corpus\tperson\taddresses\torganisation\tstakeholder_group\tevidence\nnot a row\n\t\t\t\t\t\nwg\tjordan-okoro\tjordan@alpha.example\tAlpha\tprivate-sector\tdomain alpha.example\n").expect("write");
    let a = json(&run_ok(
        plenary(&data)
            .args(["eval", "affiliations", "--json", "--gold"])
            .arg(&aff),
    ));
    assert_eq!(
        (a["rows"].as_u64(), a["found"].as_u64()),
        (Some(1), Some(1)),
        "{a}"
    );
    // one person writing from a domain nobody else uses: no organisation claimed
    assert_eq!(a["given"], 0, "{a}");
    assert_eq!(people(&data).len(), 1);
}
