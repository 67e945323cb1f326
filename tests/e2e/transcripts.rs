//! Transcripts: an IGF captioning transcript imported with its session page is linked to
//! the session, its speakers to the panellists and to a person who also writes on a
//! list; the turns are searchable and the session's balance shows speaking share.

use std::path::PathBuf;

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, run_ok};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("crates/plenary-agenda/fixtures")
        .join(name)
}

/// One message on a list from a speaker of the fixture session, written by hand.
const LIST_MESSAGE: &str = "From carlos@example.net Mon Dec  2 10:00:00 2024
From: Carlos Ruiz <carlos@example.net>
To: community-nets@lists.example.org
Subject: Spectrum for community networks
Date: Mon, 2 Dec 2024 10:00:00 +0000
Message-ID: <cn-1@example.net>
List-Id: Community networks <community-nets.lists.example.org>

Secondary use of spectrum is what we will ask for at the IGF workshop.

Carlos
";

#[test]
fn transcript_turns_link_to_panellists_people_search_and_balance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mbox = dir.path().join("list.mbox");
    std::fs::write(&mbox, LIST_MESSAGE).expect("mbox");
    let data = dir.path().join("data");
    let page = fixture("igf-2024-ws-58.txt");
    let transcript = fixture("igf-2024-transcript-ws-58.txt");
    let s = import_json(&data, &[&mbox, &page, &transcript]);
    assert_eq!(s["transcripts_new"], 1, "{s}");
    assert_eq!(s["transcripts_linked"], 1, "{s}");
    assert_eq!(s["new"], 1, "{s}");
    // importing again changes nothing
    let again = import_json(&data, &[&mbox, &page, &transcript]);
    assert_eq!(again["transcripts_new"], 0, "{again}");
    assert_eq!(again["transcripts_unchanged"], 1, "{again}");

    // speaker:NAME finds their turns
    let found = json(&run_ok(plenary(&data).args([
        "search",
        "--json",
        "speaker:\"Carlos Ruiz\"",
    ])));
    let results = found["hits"].as_array().expect("results");
    let turns: Vec<&serde_json::Value> = results.iter().filter(|r| r["kind"] == "turn").collect();
    assert_eq!(turns.len(), 2, "{found}");
    assert!(turns.iter().all(|t| t["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("/transcripts/"))));
    let in_session = json(&run_ok(plenary(&data).args([
        "search",
        "--json",
        "session:igf-2024-ws-58 spectrum",
    ])));
    assert!(in_session["hits"]
        .as_array()
        .is_some_and(|r| r.iter().any(|x| x["kind"] == "turn")));

    let (_server, base) = start_server(&data);
    let tid = turns[0]["url"]
        .as_str()
        .and_then(|u| u.strip_prefix("/transcripts/"))
        .and_then(|u| u.split('#').next())
        .expect("transcript id")
        .to_string();
    let (st, api) = get(&format!("{base}/api/v1/transcripts/{tid}"));
    assert_eq!(st, 200, "{api}");
    let t: serde_json::Value = serde_json::from_str(&api).expect("json");
    assert_eq!(t["session_id"], "igf-2024-ws-58");
    assert_eq!(t["transcript"]["not_authoritative"], true);
    let speakers = t["links"]["speakers"].as_array().expect("speakers");
    let carlos = speakers
        .iter()
        .find(|l| l["written"] == "CARLOS RUIZ")
        .expect("CARLOS RUIZ");
    assert_eq!(carlos["panellist_name"], "Carlos Ruiz");
    let person = carlos["person"].as_str().expect("a person").to_string();
    // the honorific and the surname alone still find the panellist
    let dr = speakers
        .iter()
        .find(|l| l["written"] == "DR. YUSUF")
        .expect("DR. YUSUF");
    assert_eq!(dr["panellist_name"], "Amina Yusuf");
    // a bare >> keeps its turn without a speaker; stage notes stay apart
    let all_turns = t["transcript"]["turns"].as_array().expect("turns");
    assert!(all_turns.iter().any(|x| x["speaker"].is_null()));
    assert!(all_turns
        .iter()
        .all(|x| !x["text"].as_str().unwrap_or("").contains("Audio fading")));

    // the person who spoke also writes on the list, and their page says where they spoke
    let (st, p) = get(&format!("{base}/api/v1/people/{person}"));
    assert_eq!(st, 200, "{p}");
    let pj: serde_json::Value = serde_json::from_str(&p).expect("json");
    assert!(pj["messages"].as_u64() >= Some(1), "{pj}");
    let (st, html) = get(&format!("{base}/people/{person}"));
    assert_eq!(st, 200);
    assert!(html.contains("Spoke in") && html.contains(&format!("/transcripts/{tid}")));
    let (st, html) = get(&format!("{base}/transcripts/{tid}"));
    assert_eq!(st, 200);
    assert!(html.contains(&format!("/people/{person}")) && html.contains("CARLOS RUIZ"));
    let (_, session) = get(&format!("{base}/sessions/igf-2024-ws-58"));
    assert!(session.contains(&format!("/transcripts/{tid}")));

    // speaking share by stakeholder group on the session's balance
    let (st, b) = get(&format!("{base}/api/v1/balance?sessions=igf-2024-ws-58"));
    assert_eq!(st, 200, "{b}");
    let bj: serde_json::Value = serde_json::from_str(&b).expect("json");
    let rows = bj["speaking"].as_array().expect("speaking share");
    let turns_total: u64 = rows.iter().filter_map(|r| r["turns"].as_u64()).sum();
    assert_eq!(turns_total, 7, "{bj}");
    assert!(
        rows.iter()
            .any(|r| r["group"] == "technical-community" && r["turns"] == 2),
        "{bj}"
    );
    let (_, page) = get(&format!("{base}/balance?sessions=igf-2024-ws-58"));
    assert!(page.contains("Speaking share"));

    // calendars carry the speakers
    let (_, ics) = get(&format!("{base}/sessions/igf-2024-ws-58/calendar.ics"));
    assert!(ics.contains("Carlos Ruiz"), "{ics}");
}

/// A transcript that cannot be read (no turns under the captioners' notice; bytes
/// that are not text) is a reject naming the file and the reason, and what was stored
/// before — the transcript already imported, its links — stays.
#[test]
fn a_broken_transcript_is_a_reject_and_nothing_stored_is_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let page = fixture("igf-2024-ws-58.txt");
    let transcript = fixture("igf-2024-transcript-ws-58.txt");
    let s = import_json(&data, &[&page, &transcript]);
    assert_eq!(s["transcripts_new"], 1, "{s}");

    let no_turns = dir.path().join("igf-2024-day-4-transcript.txt");
    std::fs::write(
        &no_turns,
        "IGF 2024 - Day 4 - Workshop Room 2 - WS #99\n\nThis is the output of the real-time \
         captioning taken during the session. It should not be treated as an authoritative \
         record.\n\n[ Audio fading in and out ]\n",
    )
    .expect("write");
    let not_text = dir.path().join("igf-2024-day-4-ws-100.txt");
    let mut bytes =
        b"This text should not be treated as an authoritative record.\n>> A: x\n>> B: y\n>> C: z\n"
            .to_vec();
    bytes.extend([0xff, 0xfe, 0x00, 0xc3]);
    std::fs::write(&not_text, bytes).expect("write");

    let s = import_json(&data, &[&no_turns, &not_text]);
    assert_eq!(s["agenda_rejected"], 2, "{s}");
    assert_eq!(s["transcripts_new"], 0, "{s}");
    let rejects = json(&run_ok(plenary(&data).args(["rejects", "--json"])));
    let rows = rejects.as_array().expect("array");
    let says = |file: &str, reason: &str| {
        rows.iter().any(|r| {
            r.to_string().contains(file) && r["reason"].as_str().is_some_and(|x| x.contains(reason))
        })
    };
    assert!(
        says("igf-2024-day-4-transcript.txt", "no turns"),
        "{rejects}"
    );
    assert!(says("igf-2024-day-4-ws-100.txt", "not UTF-8"), "{rejects}");

    // the transcript imported before is still there, with its session
    let (_server, base) = start_server(&data);
    let (st, body) = get(&format!("{base}/sessions/igf-2024-ws-58"));
    assert_eq!(st, 200);
    assert!(
        body.contains("/transcripts/"),
        "session page lists its transcript"
    );
}
