//! WSIS Forum session pages (2019–2025 layouts), from lines of their text rendering or
//! their DOM: a title, the organisers, "Session N", a header of date / time / modes /
//! room / type / documents, the description with its guiding questions, then sections
//! (Panellists, Topics, WSIS Action Lines, Sustainable Development Goals, GDC Objectives).

use plenary_frameworks::Frameworks;

use crate::lines::{is_role, leading_number, split_honorific, strip_bullet, undouble, Line};
use crate::meta::{scan, Meta};
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
        && (lines.iter().any(|l| {
            is_description_start(&l.text).is_some()
                || matches!(
                    section_of(&l.text),
                    Some(Section::Speakers | Section::ActionLines | Section::Sdgs)
                )
        }) || lines
            .iter()
            .filter(|l| !l.blank())
            .take(14)
            .any(|l| scan(&l.text, &mut Meta::default()).0 >= 3)
            // renderings that drop the headings keep the action lines as bullets
            || lines.iter().any(|l| strip_bullet(&l.text).is_some_and(is_action_line_label)))
}

/// "C1. The role of governments …", "C7. ICT applications …": an action line's label.
fn is_action_line_label(t: &str) -> bool {
    let mut c = t.chars();
    c.next() == Some('C')
        && c.next().is_some_and(|d| d.is_ascii_digit())
        && t.split_once(". ").is_some_and(|(code, _)| code.len() <= 6)
}

fn session_number(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("Session ")?;
    let n = rest.trim().trim_start_matches('#');
    (!n.is_empty() && n.len() <= 12 && n.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| n.to_string())
}

/// The 2024–2025 one-line rendering may drop the "Panellists" heading: the first card
/// (a name, then a line repeating it before the card's text) starts the section.
fn with_panel_heading(lines: &[Line]) -> Option<Vec<Line>> {
    if lines
        .iter()
        .any(|l| section_of(&l.text) == Some(Section::Speakers))
    {
        return None;
    }
    let at = (1..lines.len().saturating_sub(1)).find(|&i| {
        let name = lines[i].text.as_str();
        !name.is_empty()
            && looks_like_name(name)
            && lines[i + 1]
                .text
                .strip_prefix(name)
                .is_some_and(|r| r.starts_with(' '))
    })?;
    let mut v = lines.to_vec();
    v.insert(
        at,
        Line {
            indent: 0,
            text: "Panellists".into(),
            hint: String::new(),
        },
    );
    Some(v)
}

pub(crate) fn parse(lines: &[Line], fw: &Frameworks) -> Result<Session, String> {
    let headed = with_panel_heading(lines);
    let synthetic_heading = headed.is_some();
    let lines: &[Line] = headed.as_deref().unwrap_or(lines);
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

    // header: the lines the metadata vocabulary recognises (one per field, or all run
    // together on one line), until the description or a section
    let mut meta = Meta::default();
    while i < lines.len() {
        let t = lines[i].text.as_str();
        if lines[i].blank() {
            i += 1;
            continue;
        }
        if is_description_start(t).is_some() || section_of(t).is_some() || is_guiding(t) {
            break;
        }
        let mut trial = meta.clone();
        let (found, rest) = scan(t, &mut trial);
        let prose = t.len() > 90 || t.ends_with('.') || t.ends_with(':');
        let left: usize = rest.iter().map(|r| r.len()).sum();
        if (found == 0 && (prose || meta.session_type.is_some())) || (prose && left > t.len() / 3) {
            // the description starts without a label
            break;
        }
        meta = trial;
        if meta.session_type.is_none() {
            // an unknown session type on its own line or left over on the header line
            if let Some(r) = rest.iter().find(|r| r.len() <= 80) {
                meta.session_type = Some((*r).to_string());
            }
        }
        i += 1;
    }
    s.modes = meta.modes;
    s.access = meta.access;
    s.room = meta.room;
    s.venue = meta.venue;
    s.session_type = meta.session_type;
    let doc_count = meta.documents.unwrap_or(0);
    if let Some(d) = meta.date {
        s.event = format!("WSIS Forum {}", d.year());
        if let Some((a, b, off)) = meta.times {
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
                s.speakers.extend(speaker_blocks(body, fw))
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
    if synthetic_heading {
        s.speakers_label = None;
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
fn speaker_blocks(body: &[Line], fw: &Frameworks) -> Vec<Speaker> {
    let mut out: Vec<Speaker> = Vec::new();
    for block in body.split(Line::blank) {
        let block: Vec<&Line> = block.iter().collect();
        let Some(first) = block.first() else { continue };
        if !looks_like_name(&first.text) && !is_role(&first.text) {
            // sentences under a card: the previous speaker's biography
            if let Some(last) = out.last_mut() {
                let text = block
                    .iter()
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                match &mut last.biography {
                    Some(b) => {
                        b.push('\n');
                        b.push_str(&text);
                    }
                    None => last.biography = Some(text),
                }
            }
            continue;
        }
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
        // the 2024–2025 one-line rendering repeats the name before the card's text:
        // "H.E. Mr. X" then "H.E. Mr. X Deputy Prime Minister … Ministry of … of Thailand"
        let mut owned: Vec<Line> = Vec::new();
        let mut run_together = false;
        for l in &block[1..] {
            let repeated = l
                .text
                .strip_prefix(first.text.as_str())
                .filter(|r| r.is_empty() || r.starts_with(' '));
            match repeated {
                Some(r) if r.trim().is_empty() => {}
                Some(r) => {
                    run_together = true;
                    owned.push(Line {
                        text: r.trim().to_string(),
                        ..(*l).clone()
                    });
                }
                None => owned.push((*l).clone()),
            }
        }
        if run_together && owned.len() == 1 && owned[0].hint.is_empty() {
            let (position, organization, role) = split_card(&owned[0].text, fw);
            sp.position = position;
            sp.organization = organization;
            sp.role = role;
            if !sp.name.is_empty() {
                out.push(sp);
            }
            continue;
        }
        let mut rest: Vec<&Line> = owned.iter().collect();
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
                (1, false, false) => match split_card(&rest[0].text, fw) {
                    (Some(position), Some(organization), _) => {
                        sp.position = Some(position);
                        sp.organization = Some(organization);
                    }
                    _ => sp.organization = Some(rest[0].text.clone()),
                },
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

/// Particles of personal names written in lower case.
const PARTICLES: &[&str] = &[
    "de", "da", "das", "do", "dos", "del", "della", "di", "van", "von", "der", "den", "la", "le",
    "bin", "binti", "al", "el", "y", "e", "ten", "ter", "zu",
];

/// A speaker's name line: an optional honorific and two to seven capitalised words (or
/// name particles), no sentence punctuation.
pub(crate) fn looks_like_name(s: &str) -> bool {
    let (_, name) = split_honorific(s);
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=7).contains(&words.len())
        && name.len() <= 70
        && !name.ends_with('.')
        && !name.contains(['!', '?', ';', ':'])
        && !name.chars().any(|c| c.is_ascii_digit())
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || PARTICLES.contains(&w.trim_end_matches(',').to_lowercase().as_str())
        })
}

/// Words an organisation's name starts with.
const ORG_START: &[&str] = &[
    "Ministry",
    "Ministère",
    "Ministerio",
    "Ministério",
    "Department",
    "Office",
    "Government",
    "Federal",
    "National",
    "International",
    "United",
    "University",
    "Université",
    "Universidad",
    "Universidade",
    "Institute",
    "Institut",
    "Instituto",
    "Association",
    "Council",
    "Commission",
    "Agency",
    "Authority",
    "Foundation",
    "Fondation",
    "Fundación",
    "Organisation",
    "Organization",
    "Bank",
    "Centre",
    "Center",
    "Permanent",
    "Embassy",
    "World",
    "Global",
    "European",
    "African",
    "Asian",
    "Arab",
    "Regional",
    "Secretariat",
    "Directorate",
    "Kingdom",
    "Republic",
    "State",
    "Internet",
    "The",
    "Digital Forensic",
];

/// Words after which a capitalised word still belongs to the position ("Director of
/// International Affairs").
const JOINERS: &[&str] = &[
    "of", "for", "and", "on", "the", "to", "in", "at", "&", "de", "du",
];

/// Roles printed at the end of a run-together card, longest first.
fn trailing_role(s: &str) -> Option<(String, String)> {
    let mut roles: Vec<&str> = crate::lines::ROLES.to_vec();
    roles.sort_by_key(|r| std::cmp::Reverse(r.len()));
    for r in roles {
        let n = r.len();
        if s.len() > n + 1 && s.is_char_boundary(s.len() - n) {
            let (head, tail) = s.split_at(s.len() - n);
            if tail.eq_ignore_ascii_case(r) && head.ends_with(' ') {
                return Some((head.trim().to_string(), tail.to_string()));
            }
        }
    }
    None
}

/// A card's text after the name, run together or comma separated ("Deputy Prime
/// Minister … Ministry of … of Thailand Moderator", "Director, Digital Policy, Ministry of
/// ICT, Kenya") → position, organisation (with its country when printed), role.
pub(crate) fn split_card(
    text: &str,
    fw: &Frameworks,
) -> (Option<String>, Option<String>, Option<String>) {
    let (body, role) = match trailing_role(text) {
        Some((b, r)) => (b, Some(r)),
        None => (text.trim().to_string(), None),
    };
    let non_empty = |s: &str| {
        let t = s.trim().trim_matches(',').trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    // word starts
    let mut starts: Vec<usize> = Vec::new();
    let mut prev_space = true;
    for (i, c) in body.char_indices() {
        if prev_space && !c.is_whitespace() {
            starts.push(i);
        }
        prev_space = c.is_whitespace();
    }
    let word_at = |i: usize| -> &str {
        let w = &body[i..];
        w.split_whitespace().next().unwrap_or("")
    };
    for (k, &at) in starts.iter().enumerate().skip(1) {
        let prev = word_at(starts[k - 1]);
        let prev_bare = prev.trim_end_matches(',').to_lowercase();
        if JOINERS.contains(&prev_bare.as_str()) && !prev.ends_with(',') {
            continue;
        }
        let suffix = &body[at..];
        let w = word_at(at).trim_end_matches(',');
        let starts_org = ORG_START.iter().any(|o| {
            if o.contains(' ') {
                suffix.starts_with(o)
            } else {
                w == *o
            }
        });
        // the organisations table only for card-sized text: each lookup reads the table
        let known_org = body.len() <= 400
            && fw.organization_by_name(suffix).is_some_and(|o| {
                let f = plenary_frameworks::fold(suffix);
                std::iter::once(&o.name).chain(o.aliases.iter()).any(|n| {
                    let n = plenary_frameworks::fold(n);
                    n.split(' ').count() >= 2 && f.starts_with(&n)
                })
            });
        if starts_org || known_org {
            // "Advisor, Swiss Federal Office …": the organisation starts its comma clause
            let clause = body[..at].rfind(", ").map_or(0, |c| c + 2);
            let between = &body[clause..at];
            let from = if clause > 0
                && between
                    .split_whitespace()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            {
                clause
            } else {
                at
            };
            return (non_empty(&body[..from]), non_empty(&body[from..]), role);
        }
    }
    // "position, organisation, country"
    let parts: Vec<&str> = body.split(", ").map(str::trim).collect();
    if parts.len() >= 2 {
        let country_last = parts.last().is_some_and(|c| fw.country(c).is_some());
        if parts.len() == 2 && country_last {
            return (non_empty(parts[0]), non_empty(parts[1]), role);
        }
        let org_from = if country_last && parts.len() >= 3 {
            parts.len() - 2
        } else {
            parts.len() - 1
        };
        return (
            non_empty(&parts[..org_from].join(", ")),
            non_empty(&parts[org_from..].join(", ")),
            role,
        );
    }
    // a country at the end stands for the organisation ("Ambassador … Switzerland")
    if let Some(&last) = starts.last() {
        let mut from = last;
        for &at in starts.iter().rev() {
            if fw.country(&body[at..]).is_some() {
                from = at;
            }
        }
        if from > 0 && fw.country(&body[from..]).is_some() {
            return (non_empty(&body[..from]), non_empty(&body[from..]), role);
        }
    }
    (non_empty(&body), None, role)
}
