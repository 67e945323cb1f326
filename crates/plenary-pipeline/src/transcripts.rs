//! Transcripts of sessions: each captioning transcript is linked to the session it
//! records (event and session code, else the title) and each speaker as written to a
//! panellist of that session (the same name, honorifics and capitals aside; a surname
//! only one panellist has; the session's only moderator), then, when people are
//! resolved, to a person: the panellist's, else someone on the lists with the same full
//! name. Every link keeps its evidence and a confidence.

use std::collections::HashMap;

use plenary_agenda::{Session, Transcript};
use plenary_frameworks::fold;
use plenary_people::names::{full_name_key, names_match};
use plenary_people::PersonRecord;
use plenary_store::{SpeakerLink, StoredTranscript, TranscriptLinks};

/// Honorifics a captioner writes before a name ("DR. YUSUF", "AMBASSADOR SCHNEIDER").
const HONORIFICS: &[&str] = &[
    "dr",
    "mr",
    "ms",
    "mrs",
    "miss",
    "prof",
    "professor",
    "he",
    "h.e",
    "amb",
    "ambassador",
    "minister",
    "sir",
    "hon",
];

/// Roles a captioner writes instead of a name.
const ROLES: &[&str] = &[
    "moderator",
    "onsite moderator",
    "online moderator",
    "remote moderator",
    "rapporteur",
    "chair",
    "facilitator",
];

/// The folded tokens of a name without honorifics.
fn tokens(name: &str) -> Vec<String> {
    let f = fold(name);
    let mut t: Vec<String> = f
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .map(|w| w.trim_matches('.').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    while t.len() > 1 && t.first().is_some_and(|w| HONORIFICS.contains(&w.as_str())) {
        t.remove(0);
    }
    t
}

/// Session codes the way titles and numbers write them, normalised: "WS #58", "WS 58",
/// "OF #30", "OF33", "Open Forum #30" → "ws58", "of30".
fn code_key(s: &str) -> Option<String> {
    let f = fold(s)
        .replace("open forum", "of")
        .replace("workshop", "ws");
    let words: Vec<&str> = f.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '#');
        for prefix in ["ws", "of", "lt", "ns"] {
            let rest = if w == prefix {
                words
                    .get(i + 1)
                    .map(|n| n.trim_start_matches('#').to_string())
            } else {
                w.strip_prefix(prefix)
                    .map(|r| r.trim_start_matches('#').to_string())
            };
            if let Some(n) = rest {
                let n: String = n.chars().take_while(char::is_ascii_digit).collect();
                if !n.is_empty() {
                    return Some(format!("{prefix}{n}"));
                }
            }
        }
    }
    None
}

/// The session a transcript records, with the evidence.
pub(crate) fn find_session<'a>(
    t: &Transcript,
    sessions: &'a [Session],
) -> Option<(&'a Session, String)> {
    let same_event = |s: &&Session| t.event.as_deref().is_none_or(|e| s.event == e);
    if let Some(code) = code_key(&t.session_title).or_else(|| code_key(&t.title)) {
        let hits: Vec<&Session> = sessions
            .iter()
            .filter(same_event)
            .filter(|s| code_key(&s.number).as_deref() == Some(code.as_str()))
            .collect();
        if let [s] = hits.as_slice() {
            return Some((s, format!("session code {} of {}", s.number, s.event)));
        }
    }
    let title = fold(&t.session_title);
    let hits: Vec<&Session> = sessions
        .iter()
        .filter(same_event)
        .filter(|s| {
            let st = fold(&s.title);
            st.len() >= 12 && (title.contains(&st) || st.len() >= 24 && st.contains(&title))
        })
        .collect();
    match hits.as_slice() {
        [s] => Some((s, format!("title of {} {}", s.event, s.number))),
        _ => None,
    }
}

/// Links each speaker as written to a panellist of the session, when one fits.
pub(crate) fn link_speakers(t: &Transcript, session: Option<&Session>) -> Vec<SpeakerLink> {
    let mut out = Vec::new();
    for written in t.speakers() {
        let mut link = SpeakerLink {
            written: written.to_string(),
            ..SpeakerLink::default()
        };
        if let Some(s) = session {
            let w = tokens(written);
            let joined = w.join(" ");
            let full: Vec<usize> = (0..s.speakers.len())
                .filter(|&i| w.len() >= 2 && names_match(&joined, &s.speakers[i].name))
                .collect();
            let partial: Vec<usize> = (0..s.speakers.len())
                .filter(|&i| w.len() == 1 && tokens(&s.speakers[i].name).iter().any(|x| *x == w[0]))
                .collect();
            let role: Vec<usize> = if ROLES.contains(&joined.as_str()) {
                (0..s.speakers.len())
                    .filter(|&i| {
                        s.speakers[i]
                            .role
                            .as_deref()
                            .is_some_and(|r| fold(r).contains(&joined))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let found = match (full.as_slice(), partial.as_slice(), role.as_slice()) {
                ([i], _, _) => Some((*i, "same name as a listed speaker", 0.95)),
                (_, [i], _) => Some((*i, "a name only one listed speaker has", 0.75)),
                (_, _, [i]) => Some((*i, "the session's only speaker in that role", 0.6)),
                _ => None,
            };
            if let Some((i, evidence, confidence)) = found {
                link.panellist = Some(i);
                link.panellist_name = Some(s.speakers[i].name.clone());
                link.evidence = evidence.into();
                link.confidence = confidence;
            }
        }
        out.push(link);
    }
    out
}

/// A transcript's id: its title slugged (the origin's file name when it has none).
pub(crate) fn transcript_id(t: &Transcript, origin: &str) -> String {
    let base = if t.title.trim().is_empty() {
        std::path::Path::new(origin)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        t.title.clone()
    };
    let s = plenary_frameworks::slug(&base);
    if s.is_empty() {
        "transcript".into()
    } else {
        s
    }
}

/// A `person_links` row: kind, target, person.
pub(crate) type LinkRow = (String, String, String);

/// People for the speakers of every transcript: the linked panellist's person, else
/// the one person on the lists with the same full name. Returns the updated links and
/// the `turn` link rows (`TRANSCRIPT#N` → person).
pub(crate) fn link_people(
    transcripts: &[StoredTranscript],
    speaker_people: &HashMap<String, String>,
    people: &[PersonRecord],
) -> (Vec<(String, TranscriptLinks)>, Vec<LinkRow>) {
    let mut updates = Vec::new();
    let mut rows = Vec::new();
    // people who write on the lists by the key of each full name they use
    let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
    for p in people.iter().filter(|p| p.messages > 0) {
        for n in std::iter::once(&p.name).chain(p.names.iter()) {
            if let Some(k) = full_name_key(&tokens(n).join(" ")) {
                let ids = by_name.entry(k).or_default();
                if !ids.contains(&p.id.as_str()) {
                    ids.push(&p.id);
                }
            }
        }
    }
    for st in transcripts {
        let mut links = st.links.clone();
        for l in &mut links.speakers {
            l.person = None;
            if let (Some(sid), Some(i)) = (&st.session_id, l.panellist) {
                if let Some(p) = speaker_people.get(&format!("{sid}#{i}")) {
                    l.person = Some(p.clone());
                    continue;
                }
            }
            let w = tokens(&l.written);
            if w.len() < 2 {
                continue;
            }
            let hits = full_name_key(&w.join(" "))
                .and_then(|k| by_name.get(&k))
                .map(Vec::as_slice)
                .unwrap_or_default();
            if let [p] = hits {
                l.person = Some(p.to_string());
                l.evidence = "same full name as a person on the lists".into();
                l.confidence = 0.6;
            }
        }
        for (n, turn) in st.transcript.turns.iter().enumerate() {
            let Some(w) = &turn.speaker else { continue };
            if let Some(p) = links
                .speakers
                .iter()
                .find(|l| l.written == *w)
                .and_then(|l| l.person.clone())
            {
                rows.push(("turn".to_string(), format!("{}#{n}", st.id), p));
            }
        }
        if links != st.links {
            updates.push((st.id.clone(), links));
        }
    }
    (updates, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names() {
        assert_eq!(
            code_key("WS #58 Community Networks").as_deref(),
            Some("ws58")
        );
        assert_eq!(code_key("OF33 WSIS Action Lines").as_deref(), Some("of33"));
        assert_eq!(code_key("Open Forum #30").as_deref(), Some("of30"));
        assert_eq!(code_key("OF 33 Open Consultation").as_deref(), Some("of33"));
        assert_eq!(code_key("Opening of the forum"), None);
        assert_eq!(tokens("DR. YUSUF"), ["yusuf"]);
        assert_eq!(tokens("THOMAS SCHNEIDER"), ["thomas", "schneider"]);
    }

    fn person(id: &str, name: &str, messages: u64) -> PersonRecord {
        PersonRecord {
            id: id.into(),
            name: name.into(),
            names: vec![name.into()],
            addresses: Vec::new(),
            affiliations: Vec::new(),
            sessions: Vec::new(),
            messages,
            reconstructed: 0,
            merges: Vec::new(),
        }
    }

    #[test]
    fn speakers_link_to_panellists_then_to_namesakes_on_the_lists() {
        let session = Session {
            event: "IGF 2024".into(),
            number: "WS #7".into(),
            title: "Data Flows".into(),
            speakers: vec![
                plenary_agenda::Speaker {
                    name: "Amina Yusuf".into(),
                    role: Some("Moderator".into()),
                    ..Default::default()
                },
                plenary_agenda::Speaker {
                    name: "Li Wei".into(),
                    ..Default::default()
                },
            ],
            ..Session::default()
        };
        let turn = |s: Option<&str>| plenary_agenda::Turn {
            speaker: s.map(str::to_string),
            text: "Thank you.".into(),
            notes: Vec::new(),
        };
        let t = Transcript {
            title: "IGF 2024 - Day 2 - Room 3 - WS #7 Data Flows - RAW".into(),
            event: Some("IGF 2024".into()),
            session_title: "WS #7 Data Flows".into(),
            turns: vec![
                turn(Some("MODERATOR")),
                turn(Some("DR. YUSUF")),
                turn(Some("JANE DOE")),
                turn(None),
                turn(Some("JOHN ROE")),
            ],
            ..Transcript::default()
        };
        let sessions = [session];
        let (s, evidence) = find_session(&t, &sessions).expect("session");
        assert_eq!(s.number, "WS #7");
        assert!(evidence.contains("WS #7"));
        let links = link_speakers(&t, Some(s));
        let by = |w: &str| links.iter().find(|l| l.written == w).expect(w);
        assert_eq!(by("MODERATOR").panellist, Some(0));
        assert_eq!(by("DR. YUSUF").panellist, Some(0));
        assert_eq!(by("JANE DOE").panellist, None);
        let stored = StoredTranscript {
            id: "t".into(),
            session_id: Some(s.id()),
            transcript: t,
            links: TranscriptLinks {
                session_evidence: Some(evidence),
                speakers: links,
            },
            origin: "t.txt".into(),
        };
        let speaker_people: HashMap<String, String> =
            [(format!("{}#0", s.id()), "p-amina".to_string())].into();
        let people = [
            person("p-jane", "Jane Doe", 3),
            // a namesake who never wrote: not enough
            person("p-john", "John Roe", 0),
        ];
        let (updates, rows) = link_people(&[stored], &speaker_people, &people);
        let links = &updates[0].1.speakers;
        let jane = links
            .iter()
            .find(|l| l.written == "JANE DOE")
            .expect("jane");
        assert_eq!(jane.person.as_deref(), Some("p-jane"));
        assert_eq!(jane.evidence, "same full name as a person on the lists");
        let john = links
            .iter()
            .find(|l| l.written == "JOHN ROE")
            .expect("john");
        assert_eq!(john.person, None);
        let turns: Vec<(&str, &str)> = rows
            .iter()
            .map(|(_, t, p)| (t.as_str(), p.as_str()))
            .collect();
        assert_eq!(
            turns,
            [("t#0", "p-amina"), ("t#1", "p-amina"), ("t#2", "p-jane")]
        );
    }
}
