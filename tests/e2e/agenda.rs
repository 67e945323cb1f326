//! Agendas: session pages and agenda files imported by `plenary import`, listed by
//! `plenary sessions`, served as pages, JSON and calendars.

use std::path::{Path, PathBuf};

use crate::serve::{get, start_server};
use crate::{import_json, json, plenary, run_ok};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/plenary-agenda/fixtures")
}

fn sessions(data: &Path) -> serde_json::Value {
    json(&run_ok(plenary(data).args(["sessions", "--json"])))
}

#[test]
fn seed_session_page_becomes_one_session() {
    let Some(seed) = crate::shared("seeds/wsis-forum-2025-session-400.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let s = import_json(dir.path(), &[&seed]);
    assert_eq!(s["sessions_new"], 1, "{s}");
    let v = sessions(dir.path());
    let all = v.as_array().expect("array");
    assert_eq!(all.len(), 1);
    let x = &all[0];
    assert_eq!(x["event"], "WSIS Forum 2025");
    assert_eq!(x["number"], "400");
    assert_eq!(
        x["title"],
        "Enhanced Cooperation in the Digital Age: From Concept to Commitment at WSIS+20"
    );
    assert_eq!(x["organizers"], serde_json::json!(["UN DESA"]));
    assert_eq!(x["start"], "2025-07-10T10:00:00+02:00");
    assert_eq!(x["end"], "2025-07-10T10:45:00+02:00");
    assert_eq!(x["room"], "Room G");
    assert_eq!(x["venue"], "Palexpo");
    assert_eq!(x["modes"], serde_json::json!(["physical", "virtual"]));
    assert_eq!(x["type"], "Interactive Action Line Facilitation Meeting");
    assert_eq!(x["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(x["guiding_questions"].as_array().map(Vec::len), Some(3));
    let sp = x["speakers"].as_array().expect("speakers");
    assert_eq!(sp.len(), 5);
    assert_eq!(sp[0]["name"], "Konstantinos Komaitis");
    assert_eq!(sp[0]["honorific"], "Dr.");
    assert_eq!(sp[0]["position"], "resident senior fellow");
    assert_eq!(
        sp[0]["organization"],
        "Digital Forensic Research Lab at the Atlantic Council"
    );
    assert_eq!(sp[0]["role"], "Moderator");
    assert_eq!(sp[4]["name"], "Anriette Esterhuysen");
    assert_eq!(sp[4]["honorific"], "Ms.");
    assert_eq!(
        sp[4]["organization"],
        "Association for Progressive Communications"
    );
    assert_eq!(x["topics"].as_array().map(Vec::len), Some(25));
    assert_eq!(
        x["action_lines"],
        serde_json::json!(["C1", "C4", "C5", "C9", "C11"])
    );
    assert_eq!(x["sdgs"], serde_json::json!([1, 8, 9, 10, 16, 17]));
    assert_eq!(x["gdc_objectives"], serde_json::json!([1, 2, 3, 4, 5]));

    // Importing it again changes nothing; a changed page becomes a new version.
    let again = import_json(dir.path(), &[&seed]);
    assert_eq!(again["sessions_unchanged"], 1, "{again}");
    let text = std::fs::read_to_string(&seed).expect("seed");
    let changed = dir.path().join("session-400-renamed.txt");
    std::fs::write(
        &changed,
        text.replacen(
            "Enhanced Cooperation in the Digital Age",
            "Enhanced Cooperation Today",
            1,
        ),
    )
    .expect("write");
    let upd = import_json(dir.path(), &[&changed]);
    assert_eq!(upd["sessions_updated"], 1, "{upd}");
    let v = sessions(dir.path());
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert!(v[0]["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Enhanced Cooperation Today")));
}

#[test]
fn agenda_pages_filters_calendars_and_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut inputs: Vec<PathBuf> = vec![fixtures()];
    let seed = crate::shared("seeds/wsis-forum-2025-session-400.txt");
    inputs.extend(seed.clone());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let s = import_json(dir.path(), &refs);
    assert!(s["sessions_new"].as_u64() >= Some(9), "{s}");
    // the fixtures' three broken agendas are rejects that name the file and the reason
    assert_eq!(s["agenda_rejected"], 3, "{s}");
    let rejects = run_ok(plenary(dir.path()).arg("rejects"));
    let text = String::from_utf8_lossy(&rejects.stdout);
    assert!(
        text.contains("bad-sdg.csv") && text.contains("SDG 19 does not exist"),
        "{text}"
    );

    let (_server, base) = start_server(dir.path());
    let (st, events) = get(&format!("{base}/events"));
    assert_eq!(st, 200);
    assert!(events.contains("WSIS Forum 2025"));
    // timetable: every session of the event, then filtered without JavaScript
    let (st, all) = get(&format!("{base}/events/wsis-forum-2025"));
    assert_eq!(st, 200);
    assert!(all.contains("AI for Public Services"));
    let (_, only_c10) = get(&format!("{base}/events/wsis-forum-2025?action_line=C10"));
    assert!(only_c10.contains("AI for Public Services"));
    assert!(only_c10.contains("1 of "));
    let (st, session) = get(&format!("{base}/sessions/wsis-forum-2025-318"));
    assert_eq!(st, 200);
    assert!(session.contains("Minister of Digital Affairs"));
    assert!(session.contains("href=\"/action-lines/C10\""));
    assert!(session.contains("href=\"/sdgs/16\""));
    assert!(session.contains("href=\"/gdc/3\""));
    // framework page lists the session that declares the item
    let (st, sdg16) = get(&format!("{base}/sdgs/16"));
    assert_eq!(st, 200);
    assert!(sdg16.contains("/sessions/wsis-forum-2025-318"));
    let (st, _) = get(&format!("{base}/action-lines/C99"));
    assert_eq!(st, 404);
    // API twins
    let (st, api) = get(&format!("{base}/api/v1/sessions/igf-2024-ws-58"));
    assert_eq!(st, 200);
    let api: serde_json::Value = serde_json::from_str(&api).expect("json");
    assert_eq!(api["speakers"][0]["stakeholder_group"], "Civil Society");
    assert_eq!(api["speakers"][0]["self_declared"], true);
    let (st, list) = get(&format!("{base}/api/v1/events/igf-2024/sessions"));
    assert_eq!(st, 200);
    assert!(list.contains("WS #58"));
    let (st, fw) = get(&format!("{base}/api/v1/frameworks/gdc/3"));
    assert_eq!(st, 200);
    assert!(fw.contains("wsis-forum-2025-318"));
    // calendars: per session, per event (filtered), per speaker; frab JSON
    let (st, ics) = get(&format!("{base}/sessions/wsis-forum-2025-318/calendar.ics"));
    assert_eq!(st, 200);
    assert!(ics.contains("DTSTART:20250708T120000Z"), "{ics}");
    let (_, ev) = get(&format!(
        "{base}/events/wsis-forum-2025/calendar.ics?sdg=16"
    ));
    assert_eq!(
        ev.matches("BEGIN:VEVENT").count(),
        if seed.is_some() { 2 } else { 1 }
    );
    let (st, sp) = get(&format!("{base}/speakers/amina-yusuf/calendar.ics"));
    assert_eq!(st, 200);
    assert_eq!(
        sp.matches("BEGIN:VEVENT").count(),
        2,
        "WSIS 318 and IGF WS #58"
    );
    let (st, frab) = get(&format!("{base}/events/igf-2024/schedule.json"));
    assert_eq!(st, 200);
    assert!(frab.contains("\"schedule\""));
    if seed.is_some() {
        let (_, ics) = get(&format!("{base}/sessions/wsis-forum-2025-400/calendar.ics"));
        assert!(ics.contains("DTSTART:20250710T080000Z"), "{ics}");
    }
}

#[test]
fn generated_agenda_is_imported_with_the_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    run_ok(
        plenary(&dir.path().join("d"))
            .arg("gen-corpus")
            .arg(&corpus)
            .args(["--messages", "200"]),
    );
    let s = import_json(&dir.path().join("d"), &[&corpus]);
    assert!(s["sessions_new"].as_u64() >= Some(10), "{s}");
    assert_eq!(s["agenda_rejected"], 0, "{s}");
    let v = sessions(&dir.path().join("d"));
    let first = &v[0];
    assert!(first["speakers"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(first["start"].as_str().is_some_and(|t| t.len() >= 19));
    // the eval prints a table with the four frameworks
    let out = run_ok(plenary(&dir.path().join("d")).args(["eval", "tags"]));
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("action-lines") && t.contains("precision"), "{t}");
}
