//! IGF programme pages on Sched (`igfYYYY.sched.com/list/descriptions`): many sessions per
//! page. Each entry is a title ("Day 0 Event #178 Ethical Procurement in the Digital
//! Age", "WS #51 …", "Main Session | …"), a date-time line ("Thursday December 19, 2024
//! 09:30 - 10:30 GMT+03"), a description, and a room line after the (repeated) date-time
//! line ("-Plenary Hall", "Workshop Room 3", "Saal Europa Sonnenallee 225, 12057 Berlin,
//! Germany"). Day headers ("Sunday, December 15") and time headers ("09:30 GMT+03")
//! separate entries.

use crate::lines::{find_date, find_time_range, Line};
use crate::model::{Moment, Session};

/// Session codes in Sched titles and the type they stand for.
const CODES: &[(&str, &str)] = &[
    ("Day 0 Event #", "Day 0 Event"),
    ("WS #", "Workshop"),
    ("Open Forum #", "Open Forum"),
    ("OF #", "Open Forum"),
    ("Lightning Talk #", "Lightning Talk"),
    ("Networking Session #", "Networking Session"),
    ("Launch / Award Event #", "Launch / Award Event"),
    ("DC Session #", "Dynamic Coalition Session"),
    ("Town Hall #", "Town Hall"),
    ("Pre-Event #", "Pre-Event"),
];

/// A Sched date-time line: a date with its year and a time range, or two date-times
/// ("Monday November 25, 2019 08:00 - Wednesday November 27, 2019 18:00").
fn date_time(t: &str) -> Option<(String, String)> {
    let (date, used) = find_date(t)?;
    let rest = &t[used..];
    if let Some((a, b, off)) = find_time_range(rest) {
        return Some((
            Moment::format(date.to_datetime(a), off),
            Moment::format(date.to_datetime(b), off),
        ));
    }
    // "DATE HH:MM - DATE HH:MM"
    let (first, second) = rest.split_once(" - ")?;
    let a = first.trim().parse::<jiff::civil::Time>().ok()?;
    let (d2, used2) = find_date(second)?;
    let b = second[used2..].trim().parse::<jiff::civil::Time>().ok()?;
    Some((
        Moment::format(date.to_datetime(a), None),
        Moment::format(d2.to_datetime(b), None),
    ))
}

/// "09:30 GMT+03", "08:00": a time header between entries.
fn time_header(t: &str) -> bool {
    let head = t.split_whitespace().next().unwrap_or("");
    let rest = t[head.len()..].trim();
    head.parse::<jiff::civil::Time>().is_ok()
        && head.contains(':')
        && (rest.is_empty() || rest.starts_with("GMT") || rest.starts_with("UTC"))
}

/// "Sunday, December 15", "Monday, November 25": a day header (no year).
fn day_header(t: &str) -> bool {
    let words: Vec<&str> = t.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    words.len() == 3
        && [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ]
        .contains(&words[0])
        && words[2].parse::<u8>().is_ok()
}

/// A line that is page furniture, not an entry.
fn furniture(t: &str) -> bool {
    let l = t.to_lowercase();
    l.starts_with("loading")
        || l.contains("bookmark your favorites")
        || l.contains("this event has ended")
        || l.starts_with("welcome to the igf")
        || l.starts_with("arrow_back")
        || l.ends_with("[clear filter]")
}

/// "Saal Europa Sonnenallee 225, 12057 Berlin, Germany" → "Saal Europa"; "-Plenary Hall"
/// → "Plenary Hall".
fn room_of(t: &str) -> String {
    let t = t.trim().trim_start_matches(['-', '–']).trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    if let Some(i) = words.iter().position(|w| house_number(w)) {
        // the street's name is the word before its number
        if i >= 2 {
            return words[..i - 1].join(" ");
        }
    }
    t.to_string()
}

/// "225," in "Sonnenallee 225, 12057 Berlin": a house number before the postcode.
fn house_number(w: &str) -> bool {
    w.strip_suffix(',')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn looks_like_room(t: &str, after_dash: bool) -> bool {
    let l = t.to_lowercase();
    t.len() <= 80
        && (t.starts_with('-')
            || after_dash
            || t.split_whitespace().any(house_number)
            || [
                "room", "hall", "saal", "raum", "village", "theater", "theatre", "stage",
            ]
            .iter()
            .any(|w| l.contains(w)))
}

/// Does the page look like a Sched programme: at least two date-time lines under
/// entries, and Sched's time or day headers.
pub(crate) fn looks_like(lines: &[Line]) -> bool {
    let dated = lines
        .iter()
        .filter(|l| l.text.len() < 90 && date_time(&l.text).is_some())
        .take(2)
        .count();
    let headers = lines
        .iter()
        .any(|l| time_header(&l.text) || day_header(&l.text));
    let sched = lines.iter().take(12).any(|l| {
        l.text.contains("on Sched") || l.text.contains("sync them to your phone or calendar")
    });
    (dated >= 2 || dated >= 1 && sched)
        && headers
        && !lines.iter().any(|l| {
            l.text
                .strip_prefix("Session ")
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        })
}

/// Splits a title into its code and the rest.
fn code_and_title(t: &str) -> (String, String, Option<String>) {
    for (prefix, kind) in CODES {
        if let Some(r) = t.strip_prefix(prefix) {
            let n: String = r.chars().take_while(char::is_ascii_alphanumeric).collect();
            if !n.is_empty() {
                return (
                    format!("{prefix}{n}"),
                    r[n.len()..].trim().to_string(),
                    Some(kind.to_string()),
                );
            }
        }
    }
    if let Some((code, title)) = t.split_once(" | ") {
        if code.len() <= 30 {
            return (
                code.trim().to_string(),
                title.trim().to_string(),
                Some(code.trim().to_string()),
            );
        }
    }
    (String::new(), t.to_string(), None)
}

pub(crate) fn parse(lines: &[Line]) -> Result<Vec<Session>, String> {
    let mut out: Vec<Session> = Vec::new();
    let mut cur: Option<Session> = None;
    let mut last_dt = false;
    let mut dash = false;
    let mut closed = true;
    let mut desc: Vec<String> = Vec::new();
    let flush = |cur: &mut Option<Session>, desc: &mut Vec<String>, out: &mut Vec<Session>| {
        if let Some(mut s) = cur.take() {
            s.description = std::mem::take(desc).join("\n");
            if s.start.is_some() {
                out.push(s);
            }
        }
        desc.clear();
    };
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() || furniture(t) {
            continue;
        }
        if time_header(t) || day_header(t) {
            flush(&mut cur, &mut desc, &mut out);
            closed = true;
            last_dt = false;
            continue;
        }
        if let Some((start, end)) = (t.len() < 90).then(|| date_time(t)).flatten() {
            if let Some(s) = cur.as_mut() {
                if s.start.is_none() {
                    s.start = Some(start);
                    s.end = Some(end);
                }
                last_dt = true;
                closed = false;
                continue;
            }
        }
        if last_dt && cur.is_some() && looks_like_room(t, dash) {
            if let Some(s) = cur.as_mut() {
                s.room = Some(room_of(t));
            }
            last_dt = false;
            closed = true;
            dash = false;
            continue;
        }
        last_dt = false;
        if t == "-" {
            dash = true;
            continue;
        }
        dash = false;
        if closed && (cur.is_none() || cur.as_ref().is_some_and(|s| s.room.is_some())) {
            flush(&mut cur, &mut desc, &mut out);
            let (number, title, kind) = code_and_title(t);
            cur = Some(Session {
                number,
                title,
                session_type: kind,
                ..Session::default()
            });
            closed = false;
            continue;
        }
        if cur.is_some() {
            desc.push(t.to_string());
        }
    }
    flush(&mut cur, &mut desc, &mut out);
    if out.is_empty() {
        return Err("no dated entries on the programme page".into());
    }
    for s in &mut out {
        let year = s.start.as_deref().and_then(|x| x.get(..4)).unwrap_or("");
        s.event = format!("IGF {year}");
        if s.number.is_empty() {
            s.number = plenary_frameworks::slug(&s.title);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sched_lines() {
        assert_eq!(
            date_time("Thursday December 19, 2024 09:30 - 10:30 GMT+03"),
            Some((
                "2024-12-19T09:30:00+03:00".into(),
                "2024-12-19T10:30:00+03:00".into()
            ))
        );
        assert_eq!(
            date_time("Monday November 25, 2019 08:00 - Wednesday November 27, 2019 18:00"),
            Some(("2019-11-25T08:00:00".into(), "2019-11-27T18:00:00".into()))
        );
        assert!(time_header("09:30 GMT+03"));
        assert!(time_header("08:00"));
        assert!(day_header("Sunday, December 15"));
        assert!(!day_header("Sunday December 15, 2024 09:30 - 09:35 GMT+03"));
        assert_eq!(
            room_of("Saal Europa Sonnenallee 225, 12057 Berlin, Germany"),
            "Saal Europa"
        );
        assert_eq!(room_of("-Plenary Hall"), "Plenary Hall");
        assert_eq!(
            code_and_title("Day 0 Event #178 Ethical Procurement"),
            (
                "Day 0 Event #178".into(),
                "Ethical Procurement".into(),
                Some("Day 0 Event".into())
            )
        );
    }
}
