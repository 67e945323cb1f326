use std::path::PathBuf;

use super::*;

fn fw() -> Frameworks {
    Frameworks::builtin().expect("frameworks")
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn one(name: &str, want: Format) -> Session {
    let p = fixture(name);
    let bytes = std::fs::read(&p).expect("fixture");
    let f = detect(name, &bytes).unwrap_or_else(|| panic!("{name} not detected"));
    assert_eq!(f, want, "{name}");
    let mut v = parse(name, &bytes, f, &fw()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.len(), 1);
    v.remove(0)
}

fn shared_seed(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds")
        .join(name);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} not present", p.display());
        None
    }
}

#[test]
fn seed_session_400() {
    let Some(p) = shared_seed("wsis-forum-2025-session-400.txt") else {
        return;
    };
    let bytes = std::fs::read(&p).expect("seed");
    let f = detect("wsis-forum-2025-session-400.txt", &bytes);
    assert_eq!(f, Some(Format::WsisText));
    let v = parse("seed", &bytes, Format::WsisText, &fw()).expect("parse");
    assert_eq!(v.len(), 1);
    let s = &v[0];
    assert_eq!(s.event, "WSIS Forum 2025");
    assert_eq!(s.number, "400");
    assert_eq!(
        s.title,
        "Enhanced Cooperation in the Digital Age: From Concept to Commitment at WSIS+20"
    );
    assert_eq!(s.organizers, ["UN DESA"]);
    assert_eq!(s.start.as_deref(), Some("2025-07-10T10:00:00+02:00"));
    assert_eq!(s.end.as_deref(), Some("2025-07-10T10:45:00+02:00"));
    assert_eq!(s.room.as_deref(), Some("Room G"));
    assert_eq!(s.venue.as_deref(), Some("Palexpo"));
    assert_eq!(s.modes, ["physical", "virtual"]);
    assert_eq!(
        s.session_type.as_deref(),
        Some("Interactive Action Line Facilitation Meeting")
    );
    assert_eq!(s.documents.len(), 1);
    assert_eq!(s.guiding_questions.len(), 3);
    assert!(s.guiding_questions[0].starts_with("What does “enhanced cooperation” mean today"));
    assert!(s.guiding_questions[2].ends_with("among diverse stakeholders?"));
    assert!(s.description.starts_with("Twenty years after the concept"));
    assert!(!s.description.contains("Guiding"));
    let names: Vec<&str> = s.speakers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Konstantinos Komaitis",
            "David Souter",
            "Peter Major",
            "Jimson Olufuye",
            "Anriette Esterhuysen"
        ]
    );
    // the page's own word for them
    assert_eq!(s.speakers_label.as_deref(), Some("Panellists"));
    let k = &s.speakers[0];
    assert_eq!(k.honorific.as_deref(), Some("Dr."));
    assert_eq!(k.position.as_deref(), Some("resident senior fellow"));
    assert_eq!(
        k.organization.as_deref(),
        Some("Digital Forensic Research Lab at the Atlantic Council")
    );
    assert_eq!(k.role.as_deref(), Some("Moderator"));
    let a = &s.speakers[4];
    assert_eq!(a.honorific.as_deref(), Some("Ms."));
    assert_eq!(
        a.position.as_deref(),
        Some("Senior Advisor on Global and Regional Internet Governance")
    );
    assert_eq!(
        a.organization.as_deref(),
        Some("Association for Progressive Communications")
    );
    assert_eq!(a.role, None);
    assert_eq!(s.speakers[2].position.as_deref(), Some("Chair"));
    assert_eq!(s.topics.len(), 25);
    assert_eq!(s.action_lines, ["C1", "C4", "C5", "C9", "C11"]);
    assert_eq!(s.sdgs, [1, 8, 9, 10, 16, 17]);
    assert_eq!(s.gdc_objectives, [1, 2, 3, 4, 5]);
    // every topic is in the shipped vocabulary
    let f = fw();
    for t in &s.topics {
        assert!(f.topic_code(t).is_some(), "topic {t} not in the vocabulary");
    }
}

#[test]
fn seed_session_ics_parses_back_in_utc() {
    let Some(p) = shared_seed("wsis-forum-2025-session-400.txt") else {
        return;
    };
    let bytes = std::fs::read(&p).expect("seed");
    let v = parse("seed", &bytes, Format::WsisText, &fw()).expect("parse");
    let ics = to_ical("WSIS Forum 2025", &[&v[0]], "http://localhost");
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("ics parses");
    let ev = cal
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("VEVENT");
    let prop = |n: &str| {
        ev.properties
            .iter()
            .find(|p| p.name == n)
            .map(|p| p.val.to_string())
    };
    assert_eq!(prop("DTSTART").as_deref(), Some("20250710T080000Z"));
    assert_eq!(prop("DTEND").as_deref(), Some("20250710T084500Z"));
    assert!(prop("SUMMARY").is_some_and(|s| s.starts_with("Enhanced Cooperation")));
    assert_eq!(prop("LOCATION").as_deref(), Some("Room G, Palexpo"));
}

#[test]
fn wsis_2019_no_offset_speakers_in_description_cyrillic_code() {
    let s = one("wsis-2019-session-145.txt", Format::WsisText);
    assert_eq!(s.event, "WSIS Forum 2019");
    assert_eq!(s.number, "145");
    // no offset on the page: a local time without one
    assert_eq!(s.start.as_deref(), Some("2019-04-09T09:00:00"));
    assert_eq!(s.start_moment().and_then(|m| m.utc_seconds()), None);
    assert_eq!(s.speakers.len(), 3, "{:?}", s.speakers);
    assert_eq!(s.speakers[0].name, "Rosa Delgado");
    assert_eq!(s.speakers[0].honorific.as_deref(), Some("Ms."));
    assert_eq!(
        s.speakers[0].position.as_deref(),
        Some("Head of Statistics")
    );
    assert_eq!(
        s.speakers[0].organization.as_deref(),
        Some("National Telecommunications Institute")
    );
    assert_eq!(s.speakers[0].role.as_deref(), Some("Moderator"));
    assert_eq!(s.speakers[2].honorific.as_deref(), Some("Prof."));
    assert!(!s.description.contains("Rosa Delgado"));
    assert!(s.description.contains("questions from the floor"));
    assert_eq!(s.action_lines, ["C1", "C2", "C4"]);
    assert_eq!(s.sdgs, [4, 9]);
    assert_eq!(s.room.as_deref(), Some("Room K1"));
    assert_eq!(s.venue.as_deref(), Some("ITU Headquarters"));
}

#[test]
fn wsis_2024_doubled_labels_and_cest() {
    let s = one("wsis-2024-session-212.txt", Format::WsisText);
    assert_eq!(s.event, "WSIS Forum 2024");
    assert_eq!(s.start.as_deref(), Some("2024-05-29T10:00:00+02:00"));
    assert_eq!(s.end.as_deref(), Some("2024-05-29T11:30:00+02:00"));
    assert_eq!(
        s.organizers,
        [
            "International Federation of Library Associations",
            "Ministry of Culture"
        ]
    );
    assert_eq!(s.modes, ["physical"]);
    assert_eq!(s.room.as_deref(), Some("Room 4"));
    assert_eq!(s.venue.as_deref(), Some("CICG"));
    assert_eq!(s.access, ["Captioning; interpretation: French, Spanish"]);
    assert_eq!(s.documents.len(), 2);
    assert_eq!(s.guiding_questions.len(), 2);
    assert_eq!(s.action_lines, ["C3", "C8", "C7.3"]);
    assert_eq!(s.sdgs, [4, 11]);
    assert_eq!(s.speakers.len(), 3);
    assert_eq!(s.speakers[0].role.as_deref(), Some("Moderator"));
    assert_eq!(s.speakers[1].role, None);
    assert_eq!(
        s.speakers[1].organization.as_deref(),
        Some("Universidad de la República")
    );
    assert_eq!(s.speakers[2].role.as_deref(), Some("Rapporteur"));
    assert_eq!(
        s.topics,
        ["Cultural Diversity", "Digital Inclusion", "Education"]
    );
}

#[test]
fn wsis_2025_html_page() {
    let s = one("wsis-2025-session-318.html", Format::WsisHtml);
    assert_eq!(s.event, "WSIS Forum 2025");
    assert_eq!(s.number, "318");
    assert_eq!(
        s.title,
        "AI for Public Services: Trust, Rights and Capacity"
    );
    assert_eq!(
        s.organizers,
        ["Ministry of Digital Affairs", "Digital Rights Coalition"]
    );
    assert_eq!(s.start.as_deref(), Some("2025-07-08T14:00:00+02:00"));
    assert_eq!(s.room.as_deref(), Some("Room H"));
    assert_eq!(s.session_type.as_deref(), Some("High-Level Policy Session"));
    assert_eq!(s.documents.len(), 2);
    assert_eq!(s.documents[0].title.as_deref(), Some("Concept note"));
    assert_eq!(
        s.documents[0].url.as_deref(),
        Some("https://example.org/docs/318-concept-note.pdf")
    );
    assert_eq!(
        s.source_url.as_deref(),
        Some("https://example.org/wsis/forum/2025/Agenda/Session/318")
    );
    assert_eq!(s.guiding_questions.len(), 2);
    assert_eq!(s.speakers.len(), 3);
    assert_eq!(s.speakers[0].honorific.as_deref(), Some("H.E. Ms."));
    assert_eq!(s.speakers[0].name, "Amina Yusuf");
    assert_eq!(
        s.speakers[0].position.as_deref(),
        Some("Minister of Digital Affairs")
    );
    assert_eq!(
        s.speakers[0].organization.as_deref(),
        Some("Government of Kenya")
    );
    assert_eq!(s.speakers[0].role.as_deref(), Some("Moderator"));
    assert_eq!(s.speakers[2].position, None);
    assert_eq!(
        s.speakers[2].organization.as_deref(),
        Some("Centre for Internet and Society")
    );
    assert_eq!(
        s.speakers[2].role.as_deref(),
        Some("High-Level Track Facilitator")
    );
    assert_eq!(
        s.topics,
        ["Artificial Intelligence", "Human Rights", "Digital Skills"]
    );
    assert_eq!(s.action_lines, ["C7.1", "C10"]);
    assert_eq!(s.sdgs, [16]);
    assert_eq!(s.gdc_objectives, [3, 5]);
}

#[test]
fn igf_workshop_self_declared_speakers() {
    let s = one("igf-2024-ws-58.txt", Format::IgfText);
    assert_eq!(s.event, "IGF 2024");
    assert_eq!(s.number, "WS #58");
    assert_eq!(s.id(), "igf-2024-ws-58");
    assert_eq!(s.session_type.as_deref(), Some("Workshop"));
    assert_eq!(s.title, "Community Networks as Digital Public Goods");
    assert_eq!(s.start.as_deref(), Some("2024-12-17T10:30:00+03:00"));
    assert_eq!(s.room.as_deref(), Some("Workshop Room 5"));
    assert_eq!(
        s.subthemes,
        ["Improving Digital Governance for the Internet We Want"]
    );
    assert_eq!(s.organizer_details.len(), 2);
    assert_eq!(
        s.organizer_details[1].regional_group.as_deref(),
        Some("Latin American and Caribbean Group (GRULAC)")
    );
    let names: Vec<&str> = s.speakers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Amina Yusuf", "Carlos Ruiz", "Li Wei", "Sara Okafor"]
    );
    assert!(s.speakers[0].self_declared);
    assert_eq!(
        s.speakers[0].stakeholder_group.as_deref(),
        Some("Civil Society")
    );
    assert_eq!(
        s.speakers[0].regional_group.as_deref(),
        Some("African Group")
    );
    assert_eq!(s.speakers[0].role.as_deref(), Some("Onsite Moderator"));
    assert_eq!(s.speakers[1].role.as_deref(), Some("Online Moderator"));
    assert_eq!(s.speakers[3].role.as_deref(), Some("Rapporteur"));
    assert!(!s.speakers[3].self_declared);
    assert_eq!(s.sdgs, [9, 17]);
    assert!(s.description.starts_with("Community networks connect"));
    assert_eq!(s.guiding_questions.len(), 2);
}

#[test]
fn igf_legacy_layout() {
    let s = one("igf-2022-ws-301-legacy.txt", Format::IgfText);
    assert_eq!(s.event, "IGF 2022");
    assert_eq!(s.start.as_deref(), Some("2022-11-30T09:00:00+00:00"));
    assert_eq!(s.end.as_deref(), Some("2022-11-30T10:30:00+00:00"));
    assert_eq!(s.organizers, ["Jana Novak", "Peter Otieno"]);
    assert_eq!(s.speakers.len(), 3);
    assert_eq!(s.speakers[0].role.as_deref(), Some("Onsite Moderator"));
    assert_eq!(
        s.speakers[2].stakeholder_group.as_deref(),
        Some("Intergovernmental Organization")
    );
    assert_eq!(s.sdgs, [16, 17]);
    assert_eq!(s.room.as_deref(), Some("Banquet Hall B"));
    assert!(s.description.contains("Fragmentation of the Internet"));
}

#[test]
fn igf_open_forum_html_with_organiser_blocks() {
    let s = one("igf-2025-of-12.html", Format::IgfHtml);
    assert_eq!(s.event, "IGF 2025");
    assert_eq!(s.number, "Open Forum #12");
    assert_eq!(s.session_type.as_deref(), Some("Open Forum"));
    assert_eq!(s.start.as_deref(), Some("2025-06-24T09:00:00+02:00"));
    assert_eq!(s.room.as_deref(), Some("Studio N"));
    assert_eq!(s.venue.as_deref(), Some("Nova Spektrum"));
    assert_eq!(
        s.organizers,
        [
            "Ministry of Internal Affairs and Communications, Japan",
            "Internet Society"
        ]
    );
    assert_eq!(
        s.organizer_details[0].stakeholder_group.as_deref(),
        Some("Government")
    );
    assert_eq!(
        s.organizer_details[0].regional_group.as_deref(),
        Some("Asia-Pacific")
    );
    assert_eq!(
        s.organizer_details[1].regional_group.as_deref(),
        Some("WEOG")
    );
    assert_eq!(s.speakers.len(), 2);
    assert_eq!(s.speakers[0].name, "Yuki Sato");
    assert_eq!(s.speakers[0].honorific.as_deref(), Some("Ms."));
    assert_eq!(s.sdgs, [16, 17]);
    assert_eq!(
        s.source_url.as_deref(),
        Some("https://example.org/igf/2025/open-forum-12")
    );
}

#[test]
fn our_json_and_csv_schema() {
    let p = fixture("agenda.json");
    let v = read_file(&p, &fw()).expect("json").expect("detected");
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].id(), "cstd-2026-3");
    assert_eq!(v[0].speakers[0].role.as_deref(), Some("Moderator"));
    assert_eq!(v[1].number, "4");
    assert_eq!(v[1].organizers, ["UNCTAD"]);
    assert_eq!(v[1].session_type.as_deref(), Some("Plenary"));
    assert_eq!(v[1].modes, ["physical", "virtual"]);
    let c = read_file(&fixture("agenda.csv"), &fw())
        .expect("csv")
        .expect("detected");
    assert_eq!(c.len(), 1);
    let s = &c[0];
    assert_eq!(s.title, "Youth and the Internet, in practice");
    assert_eq!(s.start.as_deref(), Some("2026-09-02T09:00:00-03:00"));
    assert_eq!(s.guiding_questions.len(), 2);
    assert_eq!(s.speakers.len(), 2);
    assert_eq!(s.speakers[0].honorific.as_deref(), Some("Ms."));
    assert_eq!(s.speakers[1].role, None);
    assert_eq!(s.sdgs, [4, 9]);
    assert_eq!(
        s.documents[0].url.as_deref(),
        Some("https://example.org/p.pdf")
    );
    // CSV out and back in is the same session
    let out = to_csv(&c).expect("csv out");
    let back = parse("again.csv", out.as_bytes(), Format::Csv, &fw()).expect("reparse");
    assert_eq!(back, c);
    // JSON out and back in too
    let json = serde_json::to_string(&v).expect("json");
    let back = parse("again.json", json.as_bytes(), Format::Json, &fw()).expect("reparse");
    assert_eq!(back, v);
}

#[test]
fn bad_agendas_get_errors_naming_file_and_reason() {
    for (name, needle) in [
        ("bad-sdg.csv", "row 2"),
        ("bad-start.json", "not an RFC 3339"),
        ("truncated.json", "not JSON"),
    ] {
        let e = read_file(&fixture(name), &fw()).expect_err(name);
        let msg = e.to_string();
        assert!(msg.contains(name), "{msg}");
        assert!(msg.contains(needle), "{msg}");
    }
    // a WSIS-looking page without its session line is an error, not a panic
    let page = "Title\nOrganiser\nSession Description:\nText\nPanellists\n\nDr. A B\nX\n";
    let lines = lines::text_lines(page);
    assert!(wsis::parse(&lines, &fw()).is_err());
    // not an agenda at all
    assert_eq!(
        detect("notes.txt", b"Just some notes\nabout a meeting\n"),
        None
    );
    assert_eq!(detect("x.json", b"{\"a\": 1}"), None);
    assert_eq!(
        detect(
            "mbox.txt",
            b"From a@b Thu Jan  1 00:00:00 2025\nSubject: x\n"
        ),
        None
    );
    // binary garbage never panics
    let junk: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
    for ext in ["a.html", "a.txt", "a.json", "a.csv"] {
        if let Some(f) = detect(ext, &junk) {
            let _ = parse(ext, &junk, f, &fw());
        }
    }
}

#[test]
fn frab_export_groups_by_day_and_room() {
    let v = read_file(&fixture("agenda.json"), &fw())
        .expect("json")
        .expect("detected");
    let refs: Vec<&Session> = v.iter().collect();
    let f = to_frab("CSTD 2026", &refs, "http://localhost:8080");
    let days = f["schedule"]["conference"]["days"]
        .as_array()
        .expect("days");
    assert_eq!(days.len(), 2);
    let ev = &days[0]["rooms"]["Room XX"][0];
    assert_eq!(ev["start"], "15:00");
    assert_eq!(ev["duration"], "03:00");
    assert_eq!(ev["persons"][0]["public_name"], "Ana Pereira");
    assert_eq!(ev["guid"].as_str().map(str::len), Some(36));
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    /// Lines that look like agenda pages, mixed with arbitrary text.
    fn page_line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Session 12".to_string()),
            Just("IGF 2024 WS #7 Title".to_string()),
            Just("Thursday, 10 July 2025".to_string()),
            Just("10:00–10:45 (UTC+02:00)".to_string()),
            Just("Wednesday, 30th November, 2022 (09:00 UTC) - Wednesday".to_string()),
            Just("Session Description (45 minutes):".to_string()),
            Just("Guiding Questions:".to_string()),
            Just("Panellists".to_string()),
            Just("Speakers:".to_string()),
            Just("WSIS Action Lines".to_string()),
            Just("- С7. ICT applications: E-health С7. ICT applications: E-health".to_string()),
            Just("Speaker 1: A B, Civil Society".to_string()),
            Just("Stakeholder: Government; Regional Group:".to_string()),
            Just("Onsite Moderator".to_string()),
            Just("Monday, 7 July 2025 09:34–10:30 (UTC+02:00) Physical (on-site) and Virtual (remote) participation Plenary Room C, Palexpo Real-time captioning Interpretation: EN/FR High-Level Dialogue 1 Document".to_string()),
            Just("H.E. Mr. Ab Cd".to_string()),
            Just("H.E. Mr. Ab Cd Minister of X Ministry of X, Tunisia Moderator".to_string()),
            Just("Sunday December 15, 2024 09:30 - 10:30 GMT+03".to_string()),
            Just("09:30 GMT+03".to_string()),
            Just("-Plenary Hall".to_string()),
            Just("Village Sonnenallee 225, 12057 Berlin, Germany".to_string()),
            Just(">> THOMAS SCHNEIDER: Good morning.".to_string()),
            Just(">>".to_string()),
            Just("[ Audio fading".to_string()),
            Just("Interpretation: ".to_string()),
            Just("2 Documents İİ".to_string()),
            Just("".to_string()),
            "\\PC{0,40}",
            "[ -~]{0,40}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn text_layouts(lines in proptest::collection::vec(page_line(), 0..40)) {
            let text = lines.join("\n");
            let fw = fw();
            let l = lines::text_lines(&text);
            let _ = wsis::parse(&l, &fw);
            let _ = igf::parse(&l);
            if let Some(f) = detect("x.txt", text.as_bytes()) {
                let _ = parse("x.txt", text.as_bytes(), f, &fw);
            }
            let _ = sched::parse(&l);
            let _ = transcript::parse(&l);
            let _ = parse_transcript("x.txt", text.as_bytes());
            for line in &lines {
                let _ = meta::scan(line, &mut meta::Meta::default());
                let _ = wsis::split_card(line, &fw);
            }
            let _ = meta::scan(&text, &mut meta::Meta::default());
        }

        #[test]
        fn html_layouts(lines in proptest::collection::vec(page_line(), 0..30)) {
            let html = format!(
                "<html><body><h2>{}</h2><ul>{}</ul></body></html>",
                lines.first().cloned().unwrap_or_default(),
                lines.iter().map(|l| format!("<li><div class=\"speaker\">{l}</div></li>")).collect::<String>()
            );
            if let Some(f) = detect("x.html", html.as_bytes()) {
                let _ = parse("x.html", html.as_bytes(), f, &fw());
            }
            let _ = html::read(&html);
        }
    }
}

#[test]
fn wsis_2025_metadata_run_together_on_one_line() {
    let s = one("wsis-2025-session-133-oneline.txt", Format::WsisText);
    assert_eq!(s.event, "WSIS Forum 2025");
    assert_eq!(s.number, "133");
    assert_eq!(s.organizers, ["WSIS"]);
    assert_eq!(s.start.as_deref(), Some("2025-07-07T09:34:00+02:00"));
    assert_eq!(s.end.as_deref(), Some("2025-07-07T10:30:00+02:00"));
    assert_eq!(s.room.as_deref(), Some("Plenary Room C"));
    assert_eq!(s.venue.as_deref(), Some("Palexpo"));
    assert_eq!(s.modes, ["physical", "virtual"]);
    assert_eq!(s.access, ["Real-time captioning", "Interpretation: EN/FR"]);
    assert_eq!(s.session_type.as_deref(), Some("High-Level Dialogue"));
    assert_eq!(s.documents.len(), 1);
    assert!(s
        .description
        .starts_with("Some of those who were in the room"));
    assert!(s.description.contains("What comes next is less certain."));
    assert_eq!(s.speakers.len(), 2, "{:#?}", s.speakers);
    let a = &s.speakers[0];
    assert_eq!(a.name, "Somchai Rattanakorn");
    assert_eq!(a.honorific.as_deref(), Some("H.E. Mr."));
    assert_eq!(
        a.position.as_deref(),
        Some("Deputy Prime Minister and Minister of Digital Economy and Society")
    );
    assert_eq!(
        a.organization.as_deref(),
        Some("Ministry of Digital Economy and Society of Thailand")
    );
    let b = &s.speakers[1];
    assert_eq!(b.name, "Karim Belhadj");
    assert_eq!(
        b.position.as_deref(),
        Some("Minister of Communication Technologies")
    );
    assert_eq!(
        b.organization.as_deref(),
        Some("Ministry of Communication Technologies, Tunisia")
    );
    let bio = b.biography.as_deref().unwrap_or("");
    assert!(bio.starts_with("Mr Karim Belhadj, Minister of Communication Technologies"));
    assert!(s.speakers.iter().all(|p| !p.name.contains("engineer")));
    assert_eq!(s.action_lines, ["C1", "C11"]);
    assert_eq!(s.sdgs, [9, 17]);
}

#[test]
fn run_together_cards_split_into_position_organisation_role() {
    let fw = fw();
    let split = |t: &str| crate::wsis::split_card(t, &fw);
    assert_eq!(
        split("Programme Officer International Telecommunication Union (ITU) Moderator"),
        (
            Some("Programme Officer".into()),
            Some("International Telecommunication Union (ITU)".into()),
            Some("Moderator".into())
        )
    );
    assert_eq!(
        split("Ambassador and Director of International Affairs Switzerland"),
        (
            Some("Ambassador and Director of International Affairs".into()),
            Some("Switzerland".into()),
            None
        )
    );
    assert_eq!(
        split("Director for Digital Inclusion, Policies and Transformation United Nations Educational, Scientific and Cultural Organization (UNESCO)"),
        (
            Some("Director for Digital Inclusion, Policies and Transformation".into()),
            Some("United Nations Educational, Scientific and Cultural Organization (UNESCO)".into()),
            None
        )
    );
    assert_eq!(
        split("Senior Policy Advisor, Swiss Federal Office of Communications, Switzerland"),
        (
            Some("Senior Policy Advisor".into()),
            Some("Swiss Federal Office of Communications, Switzerland".into()),
            None
        )
    );
}

#[test]
fn igf_labelled_speakers_block() {
    let s = one("igf-2025-ws-labelled-speakers.txt", Format::IgfText);
    let names: Vec<&str> = s.speakers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Amina Okafor", "Tomás Ibarra", "Hanne Solberg"]);
    let a = &s.speakers[0];
    assert_eq!(a.organization.as_deref(), Some("Lagos Data Commons"));
    assert_eq!(a.stakeholder_group.as_deref(), Some("Civil Society"));
    assert_eq!(a.regional_group.as_deref(), Some("African Group"));
    assert!(a.self_declared);
    // the moderator line names a speaker already listed: no fourth speaker
    assert_eq!(a.role.as_deref(), Some("Onsite Moderator"));
    // a bare name line starts a speaker too; both groups on one line
    let t = &s.speakers[1];
    assert_eq!(t.honorific.as_deref(), Some("Dr."));
    assert_eq!(t.organization.as_deref(), Some("Universidad del Litoral"));
    assert_eq!(
        (t.stakeholder_group.as_deref(), t.regional_group.as_deref()),
        (Some("Academia"), Some("GRULAC"))
    );
    assert_eq!(s.speakers[2].honorific.as_deref(), Some("Ms."));
    assert_eq!(s.speakers[2].regional_group.as_deref(), Some("WEOG"));
    // the organiser's declared groups stay the organiser's
    assert_eq!(s.organizers, ["Lagos Data Commons"]);
}

#[test]
fn igf_legacy_site_page_and_about_this_session() {
    let s = one("igf-2021-legacy-site-session.txt", Format::IgfText);
    assert_eq!(s.title, "IGF 2021 Briefing for Remote Hub Hosts");
    assert_eq!(s.event, "IGF 2021");
    assert_eq!(s.start.as_deref(), Some("2021-11-09T10:00:00+00:00"));
    assert_eq!(s.end.as_deref(), Some("2021-11-09T11:30:00+00:00"));
    assert_eq!(s.organizers, ["IGF Secretariat"]);
    assert!(s.description.starts_with("The IGF Secretariat will walk"));
    // a sentence saying "hybrid" is no participation line
    assert!(s.modes.is_empty());
    let s = one(
        "igf-2020-open-forum-about-this-session.txt",
        Format::IgfText,
    );
    assert_eq!(s.number, "OF #12");
    assert_eq!(s.room.as_deref(), Some("Room 4"));
    assert!(s.description.starts_with("Local governments publish"));
}

#[test]
fn a_wsis_page_is_not_taken_for_an_igf_page_without_a_code() {
    // a WSIS session titled after the IGF, dated on the line below its number
    let text = "IGF 2024 and the road to WSIS+20\n\nSession 352\n\nThursday, 30 May 2024 10:00–10:45 (UTC+02:00) Room K1, ITU Montbrillant Building Interactive Session\n";
    let f = detect("page.txt", text.as_bytes());
    assert_eq!(f, Some(Format::WsisText));
}

#[test]
fn igf_speakers_under_an_affiliation_then_their_groups() {
    let s = one(
        "igf-2024-of-affiliation-first-speakers.txt",
        Format::IgfText,
    );
    let got: Vec<(&str, Option<&str>, Option<&str>)> = s
        .speakers
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.organization.as_deref(),
                p.stakeholder_group.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Grace Wanjiru",
                Some("National Postal Administration"),
                Some("Government")
            ),
            (
                "Peter Kamau",
                Some("National Postal Administration"),
                Some("Government")
            ),
            (
                "Lucía Herrera",
                Some("Rural Connectivity Network"),
                Some("Civil Society")
            ),
        ]
    );
    assert!(s.speakers.iter().all(|p| p.self_declared));
    // the organisers' block keeps its own affiliation line out of the names
    assert_eq!(s.organizers, ["National Postal Administration"]);
}
