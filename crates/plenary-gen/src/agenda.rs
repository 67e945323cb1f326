//! A small sample agenda (`agenda/sessions.json`) for a WSIS Forum / IGF
//! style event, with speakers drawn from the same population as the authors.

use serde::Serialize;

use crate::people::Person;
use crate::rng::Rng;
use crate::text::{paragraph, Slots};
use crate::time::{rfc3339, timestamp};
use crate::Lang;

#[derive(Serialize)]
pub(crate) struct Speaker {
    pub honorific: String,
    pub name: String,
    pub position: String,
    pub organization: String,
    pub role: String,
}

#[derive(Serialize)]
pub(crate) struct Session {
    pub event: String,
    pub number: u32,
    pub title: String,
    pub start: String,
    pub end: String,
    pub room: String,
    pub session_type: String,
    pub participation: String,
    pub organisers: Vec<String>,
    pub description: String,
    pub speakers: Vec<Speaker>,
    pub action_lines: Vec<String>,
    pub sdgs: Vec<u32>,
    pub gdc_objectives: Vec<u32>,
    pub topics: Vec<String>,
}

struct EventDef {
    name: &'static str,
    /// First day (y, m, d) and number of days.
    first: (i64, u32, u32),
    days: u32,
    offset_min: i32,
    rooms: &'static [&'static str],
    types: &'static [&'static str],
    numbering: (u32, u32),
}

const WSIS_TYPES: &[&str] = &[
    "High-Level Policy Session",
    "Thematic Workshop",
    "Country Workshop",
    "Interactive Session",
    "Special Track",
    "Knowledge Café",
];
const IGF_TYPES: &[&str] = &[
    "Main Session",
    "Workshop",
    "Open Forum",
    "Lightning Talk",
    "Networking Session",
    "Dynamic Coalition Session",
    "Launch / Award Event",
];

static EVENTS: &[EventDef] = &[
    EventDef {
        name: "WSIS Forum 2025",
        first: (2025, 7, 7),
        days: 5,
        offset_min: 120,
        rooms: &[
            "CICG, Room 1",
            "CICG, Room 2",
            "CICG, Room 3",
            "ITU Popov Room",
            "ITU Room K",
            "ITU Room C2",
        ],
        types: WSIS_TYPES,
        numbering: (100, 480),
    },
    EventDef {
        name: "WSIS Forum 2024",
        first: (2024, 5, 27),
        days: 5,
        offset_min: 120,
        rooms: &[
            "CICG, Room 1",
            "CICG, Room 4",
            "ITU Popov Room",
            "ITU Room K",
            "ITU Room H",
        ],
        types: WSIS_TYPES,
        numbering: (100, 420),
    },
    EventDef {
        name: "IGF 2025",
        first: (2025, 6, 23),
        days: 5,
        offset_min: 120,
        rooms: &[
            "Plenary Hall",
            "Workshop Room 1",
            "Workshop Room 2",
            "Workshop Room 3",
            "Open Stage",
            "Studio N",
        ],
        types: IGF_TYPES,
        numbering: (1, 390),
    },
    EventDef {
        name: "IGF 2024",
        first: (2024, 12, 15),
        days: 5,
        offset_min: 180,
        rooms: &[
            "Plenary Hall",
            "Workshop Room 1",
            "Workshop Room 4",
            "Workshop Room 7",
            "Village Stage",
            "Studio S",
        ],
        types: IGF_TYPES,
        numbering: (1, 440),
    },
];

const TITLES: &[&str] = &[
    "{T}: lessons from twenty years of WSIS",
    "Bridging the gap: {t} in least developed countries",
    "{T} and the Global Digital Compact",
    "Building trust in {t}",
    "Youth perspectives on {t}",
    "Measuring progress on {t}",
    "From principles to practice: {t}",
    "Regional voices on {t}",
    "{T} beyond 2025",
    "Who decides? {T} and the multistakeholder model",
    "Financing {t}: what works",
    "Open Forum: {T}",
];

const TOPIC_TAGS: &[&str] = &[
    "Enhanced cooperation",
    "Capacity building",
    "AI governance",
    "Meaningful connectivity",
    "Data governance",
    "Human rights",
    "Cybersecurity",
    "Digital inclusion",
    "Gender equality",
    "Youth",
    "Internet fragmentation",
    "Digital public infrastructure",
    "Environment",
    "WSIS+20",
    "Multistakeholder governance",
];

const ACTION_LINES: &[&str] = &[
    "C1", "C2", "C3", "C4", "C5", "C6", "C7.1", "C7.2", "C7.3", "C7.4", "C7.5", "C7.6", "C7.7",
    "C7.8", "C8", "C9", "C10", "C11",
];

fn strip_article(t: &str) -> &str {
    t.strip_prefix("the ").unwrap_or(t)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn pick_distinct<T: Copy + PartialEq>(rng: &mut Rng, items: &[T], n: usize) -> Vec<T> {
    let mut out = Vec::new();
    let mut guard = 0;
    while out.len() < n.min(items.len()) && guard < 100 {
        let x = *rng.pick(items);
        if !out.contains(&x) {
            out.push(x);
        }
        guard += 1;
    }
    out
}

pub(crate) fn sessions(seed: u64, people: &[Person]) -> Vec<Session> {
    let mut rng = Rng::derive(seed, 3);
    let ev = &EVENTS[rng.index(EVENTS.len())];
    let n = 20 + rng.index(21);
    let topics = crate::corpus::text(Lang::En).topics;
    let day0 = timestamp(ev.first.0, ev.first.1, ev.first.2, 0, 0, 0) - ev.offset_min as i64 * 60;
    let slots: [(u32, u32); 7] = [
        (9, 0),
        (10, 0),
        (11, 30),
        (13, 0),
        (14, 30),
        (16, 0),
        (17, 15),
    ];
    let mut starts: Vec<i64> = (0..n)
        .map(|_| {
            let d = rng.index(ev.days as usize) as i64;
            let (h, m) = slots[rng.index(slots.len())];
            day0 + d * 86_400 + (h * 3600 + m * 60) as i64
        })
        .collect();
    starts.sort_unstable();
    let mut numbers: Vec<u32> = Vec::new();
    while numbers.len() < n {
        let k = rng.range(ev.numbering.0 as u64, ev.numbering.1 as u64) as u32;
        if !numbers.contains(&k) {
            numbers.push(k);
        }
    }
    numbers.sort_unstable();

    let mut out = Vec::with_capacity(n);
    for (i, &start) in starts.iter().enumerate() {
        let topic_idx = rng.index(topics.len());
        let topic = strip_article(topics[topic_idx]);
        let tpl = *rng.pick(TITLES);
        let title = tpl.replace("{T}", &capitalize(topic)).replace("{t}", topic);
        let session_type = rng.pick(ev.types).to_string();
        let title = if session_type == "High-Level Policy Session" {
            format!(
                "High-Level Policy Session {}: {}",
                1 + i % 12,
                capitalize(topic)
            )
        } else {
            title
        };
        let dur = [45i64, 60, 60, 75, 90][rng.index(5)] * 60;
        let slots = Slots {
            lang: Lang::En,
            topic: topic_idx,
            name: "",
            female: false,
            month: 1,
        };
        let ns = 2 + rng.index(2);
        let description = paragraph(&mut rng, &slots, ns);

        let k = 3 + rng.index(4);
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < k.min(people.len()) {
            let c = rng.index(people.len());
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        let speakers: Vec<Speaker> = chosen
            .iter()
            .enumerate()
            .map(|(j, &c)| {
                let p = &people[c];
                let role = match j {
                    0 => "Moderator",
                    1 if rng.chance(0.3) => "Keynote Speaker",
                    _ if j + 1 == k && rng.chance(0.4) => {
                        if rng.chance(0.5) {
                            "Rapporteur"
                        } else {
                            "Online Moderator"
                        }
                    }
                    _ => "Speaker",
                };
                Speaker {
                    honorific: p.honorific.to_string(),
                    name: p.full.clone(),
                    position: p.position.to_string(),
                    organization: p.org.name.to_string(),
                    role: role.to_string(),
                }
            })
            .collect();
        let mut organisers: Vec<String> = Vec::new();
        for s in speakers.iter().take(1 + rng.index(3)) {
            if !organisers.contains(&s.organization) {
                organisers.push(s.organization.clone());
            }
        }
        let participation =
            ["Hybrid", "Hybrid", "Hybrid", "In-person", "Online"][rng.index(5)].to_string();
        let (na, ns, ng, nt) = (
            1 + rng.index(3),
            1 + rng.index(3),
            rng.index(3),
            1 + rng.index(3),
        );
        let mut action_lines: Vec<String> = pick_distinct(&mut rng, ACTION_LINES, na)
            .into_iter()
            .map(String::from)
            .collect();
        action_lines.sort_by_key(|a| ACTION_LINES.iter().position(|x| x == a));
        let sdg_pool: [u32; 22] = [
            4, 4, 5, 5, 9, 9, 9, 10, 16, 16, 17, 17, 1, 2, 3, 6, 7, 8, 11, 12, 13, 14,
        ];
        let mut sdgs = pick_distinct(&mut rng, &sdg_pool, ns);
        sdgs.sort_unstable();
        let mut gdc_objectives = pick_distinct(&mut rng, &[1u32, 2, 3, 4, 5], ng);
        gdc_objectives.sort_unstable();
        let topics_out: Vec<String> = pick_distinct(&mut rng, TOPIC_TAGS, nt)
            .into_iter()
            .map(String::from)
            .collect();
        out.push(Session {
            event: ev.name.to_string(),
            number: numbers[i],
            title,
            start: rfc3339(start, ev.offset_min),
            end: rfc3339(start + dur, ev.offset_min),
            room: rng.pick(ev.rooms).to_string(),
            session_type,
            participation,
            organisers,
            description,
            speakers,
            action_lines,
            sdgs,
            gdc_objectives,
            topics: topics_out,
        });
    }
    out
}
