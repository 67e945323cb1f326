//! WSIS Forum session pages (2019–2025 layouts), from lines of their text rendering or
//! their DOM: a title, the organisers, "Session N", a header of date / time / modes /
//! room / type / documents, the description with its guiding questions, then sections
//! (Panellists, Topics, WSIS Action Lines, Sustainable Development Goals, GDC Objectives).

use plenary_frameworks::Frameworks;

use crate::lines::{
    find_date, find_time_range, is_role, leading_number, modes_of, split_honorific, strip_bullet,
    undouble, Line,
};
use crate::model::{Document, Moment, Session, Speaker};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Section {
    Speakers,
    Topics,
    ActionLines,
    Sdgs,
    Gdc,
    Documents,
}

fn section_of(line: &str) -> Option<Section> {
    let l = line.trim().trim_end_matches(':').to_lowercase();
    Some(match l.as_str() {
        "panellists" | "panelists" | "speakers" | "speakers and moderators" | "panel" => {
            Section::Speakers
        }
        "topics" => Section::Topics,
        "wsis action lines" | "action lines" | "wsis action line" => Section::ActionLines,
        "sustainable development goals" | "sdgs" | "sdg" => Section::Sdgs,
        "gdc objectives" | "global digital compact objectives" | "gdc objective" => Section::Gdc,
        "documents" | "session documents" => Section::Documents,
        _ => return None,
    })
}

fn is_description_start(line: &str) -> Option<&str> {
    let l = line.trim();
    let lower = l.to_lowercase();
    if lower.starts_with("session description") || lower.starts_with("description") {
        // "Session Description (45 minutes):" or "Description: text on the same line"
        let after = l.split_once(':').map(|x| x.1.trim()).unwrap_or("");
        return Some(after);
    }
    None
}

fn is_guiding(line: &str) -> bool {
    let l = line.trim().trim_end_matches(':').to_lowercase();
    l == "guiding questions"
        || l == "guiding question"
        || l == "key questions"
        || l == "policy questions"
}

/// Does this look like a WSIS Forum session page? A "Session N" line near the top and at
/// least one of the page's section markers.
pub(crate) fn looks_like(lines: &[Line]) -> bool {
    let head = lines.iter().filter(|l| !l.blank()).take(8);
    let numbered = head.clone().any(|l| session_number(&l.text).is_some());
    numbered
        && lines.iter().any(|l| {
            is_description_start(&l.text).is_some()
                || matches!(
                    section_of(&l.text),
                    Some(Section::Speakers | Section::ActionLines | Section::Sdgs)
                )
        })
}

fn session_number(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("Session ")?;
    let n = rest.trim().trim_start_matches('#');
    (!n.is_empty() && n.len() <= 12 && n.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| n.to_string())
}

fn is_modes(l: &str) -> bool {
    let x = l.to_lowercase();
    x.contains("participation")
        || x.contains("on-site")
        || x.contains("hybrid")
        || x == "virtual"
        || x == "physical"
        || x.contains("in person")
}

fn is_room(l: &str) -> bool {
    [
        "room",
        "hall",
        "palexpo",
        "cicg",
        "itu ",
        "studio",
        "stage",
        "auditorium",
        "salle",
    ]
    .iter()
    .any(|k| l.to_lowercase().contains(k))
}

/// "Room G, Palexpo" → (room, venue); "CICG, Room 1" → ("Room 1", "CICG").
pub(crate) fn room_and_venue(l: &str) -> (Option<String>, Option<String>) {
    let parts: Vec<&str> = l
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return (Some(l.trim().to_string()), None);
    }
    let roomish = |p: &str| {
        let x = p.to_lowercase();
        ["room", "hall", "studio", "stage", "salle", "auditorium"]
            .iter()
            .any(|k| x.contains(k))
    };
    if let Some(i) = parts.iter().position(|p| roomish(p)) {
        let venue: Vec<&str> = parts
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| *p)
            .collect();
        (Some(parts[i].to_string()), Some(venue.join(", ")))
    } else {
        (Some(parts[0].to_string()), Some(parts[1..].join(", ")))
    }
}

fn is_access(l: &str) -> bool {
    let x = l.to_lowercase();
    x.contains("caption") || x.contains("interpretation") || x.contains("sign language")
}

fn document_count(l: &str) -> Option<usize> {
    let (n, word) = l.trim().split_once(' ')?;
    let w = word.to_lowercase();
    if w == "document" || w == "documents" {
        n.parse().ok()
    } else {
        None
    }
}

pub(crate) fn parse(lines: &[Line], fw: &Frameworks) -> Result<Session, String> {
    let nb: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].blank()).collect();
    let Some(&first) = nb.first() else {
        return Err("empty page".into());
    };
    let mut s = Session {
        title: lines[first].text.clone(),
        ..Session::default()
    };
    // organisers up to "Session N"
    let mut i = first + 1;
    let mut found_number = false;
    while i < lines.len() && i <= first + 8 {
        let t = &lines[i].text;
        if let Some(n) = session_number(t) {
            s.number = n;
            found_number = true;
            i += 1;
            break;
        }
        if !lines[i].blank() {
            s.organizers.extend(
                t.split(';')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string),
            );
        }
        i += 1;
    }
    if !found_number {
        return Err("no \"Session N\" line below the title".into());
    }

    // header: until the description or a section
    let mut date = None;
    let mut times = None;
    let mut doc_count = 0usize;
    while i < lines.len() {
        let t = lines[i].text.as_str();
        if lines[i].blank() {
            i += 1;
            continue;
        }
        if is_description_start(t).is_some() || section_of(t).is_some() || is_guiding(t) {
            break;
        }
        let mut used = false;
        if date.is_none() {
            if let Some((d, _)) = find_date(t) {
                date = Some(d);
                used = true;
            }
        }
        if times.is_none() {
            if let Some(r) = find_time_range(t) {
                times = Some(r);
                used = true;
            }
        }
        if !used {
            if let Some(n) = document_count(t) {
                doc_count = n;
            } else if is_modes(t) {
                s.modes = modes_of(t);
            } else if is_access(t) {
                s.access.push(t.to_string());
            } else if s.room.is_none() && is_room(t) {
                let (room, venue) = room_and_venue(t);
                s.room = room;
                s.venue = venue;
            } else if s.session_type.is_none() {
                s.session_type = Some(t.to_string());
            }
        }
        i += 1;
    }
    if let Some(d) = date {
        s.event = format!("WSIS Forum {}", d.year());
        if let Some((a, b, off)) = times {
            s.start = Some(Moment::format(d.to_datetime(a), off));
            s.end = Some(Moment::format(d.to_datetime(b), off));
        }
    } else {
        s.event = "WSIS Forum".into();
    }

    // description and guiding questions
    let mut desc: Vec<String> = Vec::new();
    let mut questions: Vec<String> = Vec::new();
    let mut in_questions = false;
    if i < lines.len() {
        if let Some(after) = is_description_start(&lines[i].text) {
            if !after.is_empty() {
                desc.push(after.to_string());
            }
            i += 1;
        }
    }
    while i < lines.len() {
        let t = lines[i].text.as_str();
        // "Speakers:" with a colon inside the description is the 2019 layout's panel list
        let in_description_panel = t.ends_with(':') && section_of(t) == Some(Section::Speakers);
        if section_of(t).is_some() && !in_description_panel {
            break;
        }
        if lines[i].blank() {
            i += 1;
            continue;
        }
        if is_guiding(t) {
            in_questions = true;
        } else if in_questions {
            match strip_bullet(t) {
                Some(q) => questions.push(q.to_string()),
                None if t.ends_with('?') || questions.is_empty() => questions.push(t.to_string()),
                None => match questions.last_mut() {
                    Some(q) if !q.ends_with('?') => {
                        q.push(' ');
                        q.push_str(t);
                    }
                    _ => desc.push(t.to_string()),
                },
            }
        } else {
            desc.push(t.to_string());
        }
        i += 1;
    }
    // 2019 layout: speakers listed inside the description
    let (desc, in_desc_speakers) = speakers_in_description(desc);
    s.description = desc.join("\n");
    s.guiding_questions = questions;
    s.speakers = in_desc_speakers;

    // sections
    while i < lines.len() {
        let Some(sec) = section_of(&lines[i].text) else {
            i += 1;
            continue;
        };
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && section_of(&lines[end].text).is_none() {
            end += 1;
        }
        let body = &lines[start..end];
        match sec {
            Section::Speakers => {
                let heading = lines[start - 1].text.trim().trim_end_matches(':').trim();
                if s.speakers_label.is_none() && !heading.is_empty() {
                    s.speakers_label = Some(heading.to_string());
                }
                s.speakers.extend(speaker_blocks(body))
            }
            Section::Topics => s.topics.extend(
                body.iter()
                    .filter(|l| !l.blank())
                    .map(|l| strip_bullet(&l.text).unwrap_or(&l.text).to_string()),
            ),
            Section::ActionLines => {
                for l in items(body) {
                    if let Some(code) = fw.action_line_code(&undouble(&l)) {
                        if !s.action_lines.contains(&code) {
                            s.action_lines.push(code);
                        }
                    }
                }
            }
            Section::Sdgs => {
                for l in items(body) {
                    if let Some(n) = leading_number(&undouble(&l)).filter(|n| (1..=17).contains(n))
                    {
                        if !s.sdgs.contains(&n) {
                            s.sdgs.push(n);
                        }
                    }
                }
            }
            Section::Gdc => {
                for l in items(body) {
                    if let Some(n) = leading_number(&undouble(&l)).filter(|n| (1..=5).contains(n)) {
                        if !s.gdc_objectives.contains(&n) {
                            s.gdc_objectives.push(n);
                        }
                    }
                }
            }
            Section::Documents => {
                for l in items(body) {
                    s.documents.push(Document {
                        title: Some(l),
                        url: None,
                    });
                }
            }
        }
        i = end;
    }
    if s.documents.is_empty() {
        // a text rendering only says how many
        s.documents = vec![Document::default(); doc_count];
    }
    Ok(s)
}

/// Items of a list section: bullets may sit alone on their line ("-" then the label).
fn items(body: &[Line]) -> Vec<String> {
    body.iter()
        .filter(|l| !l.blank())
        .map(|l| l.text.trim())
        .filter(|t| !matches!(*t, "-" | "•" | "*"))
        .map(|t| strip_bullet(t).unwrap_or(t).to_string())
        .collect()
}

/// Speaker cards: groups separated by blank lines — name, position, organisation, role.
/// In a text rendering the position is indented deeper than the name and the role much
/// deeper; from HTML the class names say which is which.
fn speaker_blocks(body: &[Line]) -> Vec<Speaker> {
    let mut out = Vec::new();
    for block in body.split(Line::blank) {
        let block: Vec<&Line> = block.iter().collect();
        let Some(first) = block.first() else { continue };
        if is_role(&first.text) && block.len() == 1 {
            // a role on its own after the card (some layouts)
            if let Some(last) = out.last_mut() {
                let last: &mut Speaker = last;
                if last.role.is_none() {
                    last.role = Some(first.text.clone());
                }
            }
            continue;
        }
        let (honorific, name) = split_honorific(&first.text);
        let mut sp = Speaker {
            name,
            honorific,
            ..Speaker::default()
        };
        let mut rest: Vec<&Line> = block[1..].to_vec();
        // hinted lines (HTML)
        rest.retain(|l| {
            let h = l.hint.to_lowercase();
            if h.contains("role") || h.contains("badge") {
                sp.role = Some(l.text.clone());
                false
            } else if h.contains("position")
                || h.contains("job")
                || h.contains("title") && !h.contains("name")
            {
                sp.position = Some(l.text.clone());
                false
            } else if h.contains("organi") || h.contains("company") || h.contains("affil") {
                sp.organization = Some(l.text.clone());
                false
            } else {
                true
            }
        });
        if sp.role.is_none() {
            if let Some(pos) = rest
                .iter()
                .rposition(|l| is_role(&l.text) || l.indent > first.indent + 16)
            {
                sp.role = Some(rest[pos].text.clone());
                rest.remove(pos);
            }
        }
        let deeper: Vec<&&Line> = rest.iter().filter(|l| l.indent > first.indent).collect();
        if !deeper.is_empty() && deeper.len() < rest.len() {
            if sp.position.is_none() {
                sp.position = Some(
                    deeper
                        .iter()
                        .map(|l| l.text.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            if sp.organization.is_none() {
                sp.organization = Some(
                    rest.iter()
                        .filter(|l| l.indent <= first.indent)
                        .map(|l| l.text.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
        } else {
            match (rest.len(), sp.position.is_some(), sp.organization.is_some()) {
                (0, _, _) => {}
                (1, false, false) => sp.organization = Some(rest[0].text.clone()),
                (1, true, false) => sp.organization = Some(rest[0].text.clone()),
                (1, false, true) => sp.position = Some(rest[0].text.clone()),
                (_, false, false) => {
                    sp.position = Some(rest[0].text.clone());
                    sp.organization = Some(
                        rest[1..]
                            .iter()
                            .map(|l| l.text.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    );
                }
                _ => {}
            }
        }
        if !sp.name.is_empty() {
            out.push(sp);
        }
    }
    out
}

/// 2019 pages list the panel inside the description ("Speakers:" then "- Mr. Name,
/// Position, Organisation" lines, "Moderator: …"). Returns the description without those
/// lines and the speakers found.
fn speakers_in_description(desc: Vec<String>) -> (Vec<String>, Vec<Speaker>) {
    let mut kept = Vec::new();
    let mut speakers = Vec::new();
    let mut in_list = false;
    for line in desc {
        let t = line.trim();
        let lower = t.to_lowercase();
        let label = [
            "speakers:",
            "panellists:",
            "panelists:",
            "speakers and panellists:",
        ]
        .iter()
        .find(|p| lower.starts_with(*p));
        if let Some(p) = label {
            in_list = true;
            let after = t[p.len()..].trim();
            if !after.is_empty() {
                speakers.extend(after.split(';').filter_map(|x| speaker_from_line(x, None)));
            }
            continue;
        }
        if let Some((role, rest)) = t.split_once(':') {
            if is_role(role) && rest.trim().contains(|c: char| c.is_alphabetic()) {
                if let Some(sp) = speaker_from_line(rest, Some(role.trim())) {
                    speakers.push(sp);
                    in_list = true;
                    continue;
                }
            }
        }
        if in_list {
            if let Some(item) = strip_bullet(t) {
                if let Some(sp) = speaker_from_line(item, None) {
                    speakers.push(sp);
                    continue;
                }
            }
            in_list = false;
        }
        kept.push(line);
    }
    (kept, speakers)
}

/// "Mr. John Smith, Director, Ministry of ICT (Moderator)" → a speaker.
fn speaker_from_line(s: &str, role: Option<&str>) -> Option<Speaker> {
    let mut t = s.trim().to_string();
    let mut role = role.map(str::to_string);
    if let (Some(open), true) = (t.rfind('('), t.ends_with(')')) {
        let inner = t[open + 1..t.len() - 1].trim().to_string();
        if is_role(&inner) {
            role = Some(inner);
            t = t[..open].trim().to_string();
        }
    }
    let parts: Vec<&str> = t
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let first = parts.first()?;
    let (honorific, name) = split_honorific(first);
    if name.split_whitespace().count() < 2 {
        return None;
    }
    Some(Speaker {
        name,
        honorific,
        position: (parts.len() >= 3).then(|| parts[1..parts.len() - 1].join(", ")),
        organization: (parts.len() >= 2).then(|| parts[parts.len() - 1].to_string()),
        role,
        ..Speaker::default()
    })
}
