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

/// Lines of the site around the page ("This is now a legacy site…", "You are here"),
/// never its title.
fn is_site_chrome(t: &str) -> bool {
    let l = t.trim().to_lowercase();
    l.starts_with("this is now a legacy site")
        || [
            "you are here",
            "skip to main content",
            "main navigation",
            "breadcrumb",
        ]
        .contains(&l.as_str())
}

/// The first non-blank lines of the page that are not the site's menus, with their index.
fn head(lines: &[Line]) -> Vec<(usize, &Line)> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.blank() && !is_site_chrome(&l.text))
        .take(3)
        .collect()
}

/// "IGF 2021 Session at EuroDIG": a title that names the IGF and its year, without a
/// session code.
fn names_igf_year(t: &str) -> bool {
    t.trim()
        .strip_prefix("IGF ")
        .map(|r| r.len() >= 4 && r.as_bytes()[..4].iter().all(u8::is_ascii_digit))
        .unwrap_or(false)
}

/// A dating line below a title without a code: the legacy range ("Sunday, 8th October,
/// 2023 (04:45 UTC) - …") or, under an "IGF YYYY …" title, a date and a time range
/// ("Monday, 28 June, 2021 - 13:15 to 14:15 UTC").
fn dating_line(title: &str, t: &str) -> bool {
    find_legacy_range(t).is_some()
        || names_igf_year(title)
            && find_date(t).is_some()
            && find_time_range(t).is_some_and(|(_, _, off)| off.is_some())
}

pub(crate) fn looks_like(lines: &[Line]) -> bool {
    let head = head(lines);
    head.iter().any(|(_, l)| title_line(&l.text).is_some())
        // a session without a code (high-level panels, main sessions of 2022–2023,
        // sessions of the legacy site): the title, then a dating line
        || head.first().is_some_and(|(_, first)| {
            head.iter()
                .skip(1)
                .any(|(_, l)| dating_line(&first.text, &l.text))
        }) && !head.iter().any(|(_, l)| is_wsis_number(&l.text))
}

/// "Session 352": the number line under a WSIS Forum session's title.
fn is_wsis_number(t: &str) -> bool {
    t.trim()
        .strip_prefix("Session ")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
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
        "description"
        | "session description"
        | "workshop description"
        | "about the session"
        | "about this session" => Block::Description,
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
    let head = head(lines);
    for &(i, l) in &head {
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
        // a title without a code, dated by a line below it
        if let Some(&(i, first)) = head.first() {
            let year = head
                .iter()
                .skip(1)
                .filter(|(_, l)| dating_line(&first.text, &l.text))
                .find_map(|(_, l)| {
                    find_legacy_range(&l.text)
                        .map(|((start, _), _)| start.year())
                        .or_else(|| find_date(&l.text).map(|(d, _)| d.year()))
                });
            if let Some(year) = year {
                s.event = format!("IGF {year}");
                s.title = first.text.clone();
                s.number = plenary_frameworks::slug(&first.text);
                idx = i + 1;
            }
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
    // the record the labelled lines of the speakers block ("Name:",
    // "Organizational Affiliation:", "Stakeholder Group:", "Regional Group:") describe
    let mut labelled = Record::default();
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
        if let Some(host) = t.strip_prefix("Hosted by ").map(str::trim) {
            if !host.is_empty() && !s.organizers.iter().any(|o| o == host) {
                s.organizers.push(host.to_string());
            }
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
        if block == Block::Speakers {
            if let Some(field) = speaker_field(t) {
                apply_speaker_field(&mut s, &mut labelled, field);
                continue;
            }
            if let Some((hon, name)) = name_line(t) {
                apply_speaker_field(
                    &mut s,
                    &mut labelled,
                    SpeakerField::Names(vec![(hon, name)]),
                );
                continue;
            }
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
                } else if is_paragraph(t) {
                    // pages without a "Description" heading: the first paragraph after
                    // the date is where the description starts (a sentence that says
                    // "hybrid" is no participation line)
                    if date_seen && desc.is_empty() {
                        desc.push(t.to_string());
                        block = Block::Description;
                    }
                } else if lower.contains("hybrid") || lower.contains("online") && t.len() < 40 {
                    s.modes = modes_of(t);
                }
            }
        }
    }
    s.description = desc.join("\n");
    Ok(s)
}

/// One labelled line of a speakers block.
#[derive(Debug, PartialEq)]
enum SpeakerField {
    /// One name, or several under one affiliation ("Speaker: A (main), B").
    Names(Vec<(Option<String>, String)>),
    Affiliation(String),
    Position(String),
    Groups(Option<String>, Option<String>),
}

/// "Name: Amina Okafor", "Organizational Affiliation: Lagos Data Commons",
/// "Stakeholder Group: Civil Society", "Regional Group: African Group" (or both groups on
/// one line, "; "-separated) → the field.
fn speaker_field(t: &str) -> Option<SpeakerField> {
    let t = strip_bullet(t).unwrap_or(t);
    let (k, v) = t.split_once(':')?;
    let key = k.trim().to_lowercase();
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    Some(match key.as_str() {
        "name" | "names" | "full name" | "speaker name" | "speaker" | "speakers" => {
            // several names only when every part is one ("A (main), B (sub)")
            let parts: Vec<(Option<String>, String)> = v
                .split(',')
                .map(|p| p.split('(').next().unwrap_or(p).trim())
                .filter_map(name_line)
                .collect();
            if parts.len() > 1 && parts.len() == v.split(',').count() {
                SpeakerField::Names(parts)
            } else {
                let one = v.split('(').next().unwrap_or(v).trim();
                SpeakerField::Names(vec![crate::lines::split_honorific(one)])
            }
        }
        "organizational affiliation"
        | "organisational affiliation"
        | "affiliation"
        | "organization"
        | "organisation"
        | "institution" => SpeakerField::Affiliation(v.to_string()),
        "position" | "job title" | "function" => SpeakerField::Position(v.to_string()),
        _ => {
            let (sg, rg) = declared_groups(t)?;
            SpeakerField::Groups(sg, rg)
        }
    })
}

/// The speakers one labelled record of a speakers block describes: a name then its
/// fields, or an affiliation then the names under it, then the groups of them all.
struct Record {
    /// Index of the record's first speaker.
    start: usize,
    /// The affiliation when it came before the names.
    org: Option<String>,
    /// Whether the groups were given (the record is complete).
    grouped: bool,
}

impl Default for Record {
    /// No record open: groups and affiliations apply to no one before a name or an
    /// affiliation opens one.
    fn default() -> Self {
        Record {
            start: usize::MAX,
            org: None,
            grouped: false,
        }
    }
}

fn apply_speaker_field(s: &mut Session, rec: &mut Record, field: SpeakerField) {
    match field {
        SpeakerField::Names(names) => {
            if rec.org.is_none() || rec.grouped {
                *rec = Record {
                    start: s.speakers.len(),
                    ..Record::default()
                };
            }
            for (hon, name) in names {
                if name.is_empty() {
                    continue;
                }
                // a person named earlier (a role line above the block) is this one:
                // moved here, keeping the role
                let earlier = s.speakers[..rec.start.min(s.speakers.len())]
                    .iter()
                    .position(|sp| sp.name == name);
                let mut sp = match earlier {
                    Some(i) => {
                        rec.start -= 1;
                        s.speakers.remove(i)
                    }
                    None => Speaker::default(),
                };
                sp.name = name;
                sp.honorific = hon.or(sp.honorific);
                sp.organization = rec.org.clone().or(sp.organization);
                s.speakers.push(sp);
            }
        }
        SpeakerField::Affiliation(v) => {
            let open = s
                .speakers
                .get_mut(rec.start..)
                .and_then(|r| r.last_mut())
                .filter(|sp| sp.organization.is_none() && rec.org.is_none());
            match open {
                Some(sp) => sp.organization = Some(v),
                None => {
                    *rec = Record {
                        start: s.speakers.len(),
                        org: Some(v),
                        grouped: false,
                    }
                }
            }
        }
        SpeakerField::Position(v) => {
            if let Some(sp) = s.speakers.get_mut(rec.start..).and_then(|r| r.last_mut()) {
                sp.position = Some(v);
            }
        }
        SpeakerField::Groups(sg, rg) => {
            for sp in s.speakers.get_mut(rec.start..).into_iter().flatten() {
                if sg.is_some() {
                    sp.stakeholder_group = sg.clone();
                }
                if rg.is_some() {
                    sp.regional_group = rg.clone();
                }
                sp.self_declared = true;
            }
            rec.grouped = true;
        }
    }
}

/// A line that is only a person's name (with or without honorific) in a speakers block:
/// two to five capitalised words, no digits, no sentence.
fn name_line(t: &str) -> Option<(Option<String>, String)> {
    let t = strip_bullet(t).unwrap_or(t).trim();
    if t.contains([':', ',', '(', ')', '|'])
        || t.chars().any(|c| c.is_ascii_digit())
        || t.len() > 60
    {
        return None;
    }
    let (hon, name) = crate::lines::split_honorific(t);
    let words: Vec<&str> = name.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || name.ends_with('.') {
        return None;
    }
    const PARTICLES: &[&str] = &[
        "de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den", "la",
        "le", "bin", "bint", "al", "y", "e",
    ];
    let capitalised = words
        .iter()
        .all(|w| PARTICLES.contains(w) || w.chars().next().is_some_and(char::is_uppercase));
    if !capitalised || is_role(&name) || label_block(&name).is_some() {
        return None;
    }
    Some((hon, name))
}

/// A paragraph of prose: a dozen words or more with a sentence's full stop.
fn is_paragraph(t: &str) -> bool {
    t.split_whitespace().count() >= 12 && (t.contains(". ") || t.trim_end().ends_with('.'))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_lines_and_labelled_fields_of_a_speakers_block() {
        assert_eq!(
            name_line("Dr. Tomás Ibarra"),
            Some((Some("Dr.".into()), "Tomás Ibarra".into()))
        );
        assert_eq!(
            name_line("Maria da Silva Santos"),
            Some((None, "Maria da Silva Santos".into()))
        );
        for not_a_name in [
            "Onsite Moderator",
            "Policy Questions",
            "Panellists share what they learned.",
            "Room 4",
            "Amina",
            "the trusts and their residents",
        ] {
            assert_eq!(name_line(not_a_name), None, "{not_a_name}");
        }
        assert_eq!(
            speaker_field("Organizational Affiliation: Lagos Data Commons"),
            Some(SpeakerField::Affiliation("Lagos Data Commons".into()))
        );
        assert_eq!(
            speaker_field("Stakeholder Group: Academia; Regional Group: GRULAC"),
            Some(SpeakerField::Groups(
                Some("Academia".into()),
                Some("GRULAC".into())
            ))
        );
        assert_eq!(
            speaker_field("Name: Ms. Hanne Solberg"),
            Some(SpeakerField::Names(vec![(
                Some("Ms.".into()),
                "Hanne Solberg".into()
            )]))
        );
        assert_eq!(
            speaker_field("Speaker: Ana Lima (main), Ravi Menon (sub)"),
            Some(SpeakerField::Names(vec![
                (None, "Ana Lima".into()),
                (None, "Ravi Menon".into())
            ]))
        );
        assert_eq!(speaker_field("Duration (minutes): 60"), None);
    }

    #[test]
    fn site_menus_are_never_the_title() {
        assert!(is_site_chrome("You are here"));
        assert!(is_site_chrome(
            "This is now a legacy site and could be not up to date."
        ));
        assert!(!is_site_chrome("IGF 2021 Session at a Regional Forum"));
        assert!(dating_line(
            "IGF 2021 Session at a Regional Forum",
            "Monday, 28 June, 2021 - 13:15 to 14:15 UTC"
        ));
        // without a zone, or under a title that does not name the IGF, no
        assert!(!dating_line(
            "IGF 2021 Session at a Regional Forum",
            "Monday, 28 June, 2021 - 13:15 to 14:15"
        ));
        assert!(!dating_line(
            "A Regional Forum",
            "Monday, 28 June, 2021 - 13:15 to 14:15 UTC"
        ));
    }
}
