//! IGF session pages (workshops, open forums, main sessions, lightning talks…), current
//! and 2022–2023 legacy layouts, from lines of their text rendering or DOM. The title
//! line carries the event and the session code ("IGF 2024 WS #58 …"); the rest is labelled
//! fields: "Organizer N: …", "Speaker N: Name, Stakeholder Group, Regional Group"
//! (self-declared by the organisers), free-text organiser blocks with "Stakeholder: …;
//! Regional Group: …", moderators, SDG targets, the description and policy questions.

use crate::lines::{
    find_date, find_legacy_range, find_time_range, is_role, leading_number, modes_of, strip_bullet,
    Line,
};
use crate::meta::room_and_venue;
use crate::model::{Moment, Organizer, Session, Speaker};

const CODES: &[(&str, &str)] = &[
    ("WS #", "Workshop"),
    ("Workshop #", "Workshop"),
    ("Open Forum #", "Open Forum"),
    ("OF #", "Open Forum"),
    ("Lightning Talk #", "Lightning Talk"),
    ("LT #", "Lightning Talk"),
    ("Networking Session #", "Networking Session"),
    ("NS #", "Networking Session"),
    ("Day 0 Event #", "Day 0 Event"),
    ("Launch / Award Event #", "Launch / Award Event"),
    ("DC Session #", "Dynamic Coalition Session"),
    ("Town Hall #", "Town Hall"),
    ("Main Session", "Main Session"),
    ("High-Level Session", "High-Level Session"),
];

/// "IGF 2024 WS #58 Title" → ("IGF 2024", "WS #58", type, "Title").
fn title_line(t: &str) -> Option<(String, String, String, String)> {
    let rest = t.trim().strip_prefix("IGF ")?;
    let year: String = rest.chars().take(4).collect();
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = rest[4..].trim_start();
    for (prefix, kind) in CODES {
        if let Some(r) = rest.strip_prefix(prefix) {
            let (num, title) = if prefix.ends_with('#') {
                let n: String = r
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if n.is_empty() {
                    return None;
                }
                (format!("{prefix}{n}"), r[n.len()..].trim())
            } else {
                // "Main Session 2: Title" / "Main Session on …"
                let n: String = r
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let t = r.trim_start()[n.len()..].trim_start_matches([':', ' ']);
                let number = if n.is_empty() {
                    format!("{prefix} {}", plenary_frameworks::slug(t))
                } else {
                    format!("{prefix} {n}")
                };
                (number, t)
            };
            let title = title.trim_start_matches([':', '-', '–', ' ']).trim();
            return Some((
                format!("IGF {year}"),
                num,
                kind.to_string(),
                title.to_string(),
            ));
        }
    }
    None
}

pub(crate) fn looks_like(lines: &[Line]) -> bool {
    let head: Vec<&Line> = lines.iter().filter(|l| !l.blank()).take(3).collect();
    head.iter().any(|l| title_line(&l.text).is_some())
        // a session without a code (high-level panels, main sessions of 2022–2023):
        // the title, then the legacy "Sunday, 8th October, 2023 (04:45 UTC) - …" line
        || head
            .iter()
            .skip(1)
            .any(|l| find_legacy_range(&l.text).is_some())
}

/// "• Ms. Barbara Carfagna, Journalist and Presenter, Rai Television" → a speaker (only
/// with an honorific, so agenda items never become people).
fn bulleted_speaker(t: &str) -> Option<Speaker> {
    let item = strip_bullet(t)?;
    let parts: Vec<&str> = item
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let (hon, name) = crate::lines::split_honorific(parts.first()?);
    if hon.is_none() || name.split_whitespace().count() < 2 || name.split_whitespace().count() > 6 {
        return None;
    }
    Some(Speaker {
        name,
        honorific: hon,
        position: (parts.len() >= 3).then(|| parts[1..parts.len() - 1].join(", ")),
        organization: (parts.len() >= 2).then(|| parts[parts.len() - 1].to_string()),
        ..Speaker::default()
    })
}

#[derive(PartialEq, Clone, Copy)]
enum Block {
    None,
    Organizers,
    Speakers,
    Description,
    Questions,
    Sdgs,
    Subthemes,
    Skip,
}

fn label_block(t: &str) -> Option<Block> {
    let l = t.trim().trim_end_matches(':').to_lowercase();
    Some(match l.as_str() {
        "organizers"
        | "organisers"
        | "organizer(s)"
        | "session organizers"
        | "session organizer(s)"
        | "co-organizers" => Block::Organizers,
        "speakers" | "panelists" | "panellists" => Block::Speakers,
        "description" | "session description" | "workshop description" | "about the session" => {
            Block::Description
        }
        "policy questions" | "policy question(s)" | "policy question" | "guiding questions"
        | "key questions" => Block::Questions,
        "sdgs" | "sdg" | "sdg targets" | "targets" => Block::Sdgs,
        "subtheme" | "sub-theme" | "subthemes" | "theme" | "track" | "thematic track" => {
            Block::Subthemes
        }
        "expected outcomes"
        | "session outputs"
        | "key takeaways"
        | "call to action"
        | "report"
        | "session report"
        | "onsite participation"
        | "online participation"
        | "transcript"
        | "links"
        | "resources" => Block::Skip,
        _ => return None,
    })
}

/// "Stakeholder: Government; Regional Group: Asia-Pacific" → (group, region).
fn declared_groups(t: &str) -> Option<(Option<String>, Option<String>)> {
    let lower = t.to_lowercase();
    if !lower.starts_with("stakeholder") && !lower.starts_with("regional group") {
        return None;
    }
    let mut sg = None;
    let mut rg = None;
    for part in t.split([';', '|']) {
        if let Some((k, v)) = part.split_once(':') {
            let k = k.trim().to_lowercase();
            let v = v.trim().to_string();
            if v.is_empty() {
                continue;
            }
            if k.starts_with("stakeholder") {
                sg = Some(v);
            } else if k.starts_with("regional") || k == "region" {
                rg = Some(v);
            }
        }
    }
    Some((sg, rg))
}

/// Names of roles the page gives as labels ("Onsite Moderator: Name" or the label then
/// the name on the next line).
fn role_label(t: &str) -> Option<(String, Option<String>)> {
    let (k, v) = match t.split_once(':') {
        Some((k, v)) => (k.trim(), Some(v.trim()).filter(|v| !v.is_empty())),
        None => (t.trim(), None),
    };
    if is_role(k) && !k.eq_ignore_ascii_case("speaker") {
        Some((k.to_string(), v.map(str::to_string)))
    } else {
        None
    }
}

/// "Speaker 1: Name, Civil Society, African Group" → (index, value).
fn numbered(t: &str, word: &str) -> Option<String> {
    let rest = t.trim().strip_prefix(word)?.trim_start();
    let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    Some(
        rest[digits..]
            .trim_start()
            .strip_prefix(':')?
            .trim()
            .to_string(),
    )
}

fn add_role(s: &mut Session, role: &str, name: &str) {
    let (hon, plain) = crate::lines::split_honorific(name);
    if let Some(sp) = s.speakers.iter_mut().find(|sp| sp.name == plain) {
        match &mut sp.role {
            Some(r) if !r.contains(role) => {
                r.push_str(", ");
                r.push_str(role);
            }
            Some(_) => {}
            None => sp.role = Some(role.to_string()),
        }
    } else if !plain.is_empty() {
        s.speakers.push(Speaker {
            name: plain,
            honorific: hon,
            role: Some(role.to_string()),
            ..Speaker::default()
        });
    }
}

pub(crate) fn parse(lines: &[Line]) -> Result<Session, String> {
    let mut s = Session::default();
    let mut idx = 0;
    for (i, l) in lines.iter().enumerate().filter(|(_, l)| !l.blank()).take(3) {
        if let Some((event, number, kind, title)) = title_line(&l.text) {
            s.event = event;
            s.number = number;
            s.session_type = Some(kind);
            s.title = title;
            idx = i + 1;
            break;
        }
    }
    if s.event.is_empty() {
        // a title without a code, dated by the legacy line below it
        let head: Vec<(usize, &Line)> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.blank())
            .take(3)
            .collect();
        let dated = head
            .iter()
            .skip(1)
            .find_map(|(_, l)| find_legacy_range(&l.text));
        if let (Some(&(i, first)), Some(((start, _), _))) = (head.first(), dated) {
            s.event = format!("IGF {}", start.year());
            s.title = first.text.clone();
            s.number = plenary_frameworks::slug(&first.text);
            idx = i + 1;
        }
    }
    if s.event.is_empty() {
        return Err("no \"IGF YYYY <session code> <title>\" line at the top".into());
    }
    if s.title.is_empty() {
        // the title on its own line below the code
        if let Some(l) = lines[idx..].iter().find(|l| !l.blank()) {
            s.title = l.text.clone();
            idx += 1;
        }
    }
    let mut block = Block::None;
    let mut pending_role: Option<String> = None;
    let mut desc: Vec<String> = Vec::new();
    let mut date_seen = false;
    let mut i = idx;
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        if line.blank() {
            continue;
        }
        let t = line.text.as_str();
        // dates and times, either layout
        if !date_seen {
            if let Some(((sd, so), end)) = find_legacy_range(t) {
                s.start = Some(Moment::format(sd, Some(so)));
                s.end = end.map(|(ed, eo)| Moment::format(ed, Some(eo)));
                date_seen = true;
                continue;
            }
            if let (Some((d, _)), Some((a, b, off))) = (find_date(t), find_time_range(t)) {
                s.start = Some(Moment::format(d.to_datetime(a), off));
                s.end = Some(Moment::format(d.to_datetime(b), off));
                date_seen = true;
                continue;
            }
        }
        if let Some(sp) = bulleted_speaker(t) {
            s.speakers.push(sp);
            continue;
        }
        if let Some(role) = pending_role.take() {
            add_role(&mut s, &role, t);
            continue;
        }
        if let Some(v) = numbered(t, "Speaker") {
            let parts: Vec<&str> = v.split(',').map(str::trim).collect();
            let (hon, name) = crate::lines::split_honorific(parts.first().copied().unwrap_or(""));
            if !name.is_empty() {
                s.speakers.push(Speaker {
                    name,
                    honorific: hon,
                    stakeholder_group: parts.get(1).map(|x| x.to_string()),
                    regional_group: (parts.len() > 2).then(|| parts[2..].join(", ")),
                    self_declared: parts.len() > 1,
                    ..Speaker::default()
                });
            }
            block = Block::Speakers;
            continue;
        }
        if let Some(v) = numbered(t, "Organizer").or_else(|| numbered(t, "Organiser")) {
            let parts: Vec<&str> = v.split(',').map(str::trim).collect();
            // "Organizer 1: Civil Society, African Group" (no name) or "Name, Group, Region"
            let (name, sg, rg) = if parts.len() >= 3 {
                (
                    parts[0].to_string(),
                    Some(parts[1]),
                    Some(parts[2..].join(", ")),
                )
            } else {
                (
                    String::new(),
                    parts.first().copied(),
                    parts.get(1).map(|x| x.to_string()),
                )
            };
            if !name.is_empty() {
                s.organizers.push(name.clone());
            }
            s.organizer_details.push(Organizer {
                name,
                stakeholder_group: sg.map(str::to_string),
                regional_group: rg,
            });
            block = Block::Organizers;
            continue;
        }
        if let Some((role, name)) = role_label(t) {
            match name {
                Some(n) => add_role(&mut s, &role, &n),
                None => pending_role = Some(role),
            }
            continue;
        }
        if let Some(b) = label_block(t) {
            block = b;
            continue;
        }
        if let Some((k, v)) = t.split_once(':') {
            let key = k.trim().to_lowercase();
            let v = v.trim();
            if !v.is_empty() {
                match key.as_str() {
                    "subtheme" | "sub-theme" | "theme" | "track" | "thematic track" => {
                        s.subthemes.push(v.to_string());
                        continue;
                    }
                    "room" | "venue" | "location" => {
                        let (room, venue) = room_and_venue(v);
                        s.room = room;
                        s.venue = venue;
                        continue;
                    }
                    "session type" | "format" | "type" => {
                        s.session_type = Some(v.to_string());
                        continue;
                    }
                    "description" | "session description" => {
                        desc.push(v.to_string());
                        block = Block::Description;
                        continue;
                    }
                    "sdgs" | "sdg" | "sdg targets" | "targets" => {
                        add_sdgs(&mut s, v);
                        continue;
                    }
                    "participation" | "format of participation" => {
                        s.modes = modes_of(v);
                        continue;
                    }
                    _ => {}
                }
            }
        }
        match block {
            Block::Organizers => {
                if let Some((sg, rg)) = declared_groups(t) {
                    if let Some(o) = s.organizer_details.last_mut() {
                        o.stakeholder_group = sg;
                        o.regional_group = rg;
                    }
                } else if t.contains(": ") {
                    // "Organizational Affiliation: …", "Moderator and Organizer: …": a
                    // labelled line is never an organiser's name
                } else {
                    let name = strip_bullet(t).unwrap_or(t).to_string();
                    s.organizers.push(name.clone());
                    s.organizer_details.push(Organizer {
                        name,
                        ..Organizer::default()
                    });
                }
            }
            Block::Description => desc.push(t.to_string()),
            Block::Questions => s
                .guiding_questions
                .push(strip_bullet(t).unwrap_or(t).to_string()),
            Block::Sdgs => add_sdgs(&mut s, t),
            Block::Subthemes => s.subthemes.push(t.to_string()),
            Block::Speakers | Block::Skip => {}
            Block::None => {
                let lower = t.to_lowercase();
                if s.room.is_none()
                    && [
                        "room",
                        "hall",
                        "studio",
                        "stage",
                        "theater",
                        "theatre",
                        "auditorium",
                        "salle",
                    ]
                    .iter()
                    .any(|k| lower.contains(k))
                    && t.len() < 60
                {
                    let (room, venue) = room_and_venue(t);
                    s.room = room;
                    s.venue = venue;
                } else if lower.contains("hybrid") || lower.contains("online") && t.len() < 40 {
                    s.modes = modes_of(t);
                }
            }
        }
    }
    s.description = desc.join("\n");
    Ok(s)
}

/// "9.c, 17.8" / "4. Quality Education" / "SDG 5" → goal numbers (targets count for
/// their goal).
fn add_sdgs(s: &mut Session, t: &str) {
    for part in t.split([',', ';']) {
        if let Some(n) = leading_number(part).filter(|n| (1..=17).contains(n)) {
            if !s.sdgs.contains(&n) {
                s.sdgs.push(n);
            }
        }
    }
}
