//! Exports: iCalendar (RFC 5545, via the icalendar crate) and the frab/c3voc schedule
//! JSON (v2), which has no field for tags and so drops them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};
use serde_json::{json, Value};

use crate::model::{Moment, Session};

fn chrono_utc(m: &Moment) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(m.utc_seconds()?, 0)
}

fn chrono_local(m: &Moment) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(
        &m.local.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
        "%Y-%m-%dT%H:%M:%S",
    )
    .ok()
}

/// Times with a known offset are written in UTC (`DTSTART:20250710T080000Z`); without
/// one they stay floating local times, as the page gave them.
fn when(m: &Moment) -> Option<CalendarDateTime> {
    match chrono_utc(m) {
        Some(u) => Some(CalendarDateTime::Utc(u)),
        None => chrono_local(m).map(CalendarDateTime::Floating),
    }
}

/// One VEVENT per session; `base_url` makes each event's URL point at its page.
pub fn to_ical(name: &str, sessions: &[&Session], base_url: &str) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for s in sessions {
        let mut e = Event::new();
        e.uid(&format!("{}@plenary", s.id()));
        e.summary(&s.title);
        let mut desc = s.description.clone();
        if !s.guiding_questions.is_empty() {
            desc.push_str("\n\nGuiding questions:\n");
            for q in &s.guiding_questions {
                desc.push_str("- ");
                desc.push_str(q);
                desc.push('\n');
            }
        }
        if !s.speakers.is_empty() {
            desc.push_str("\nSpeakers: ");
            let names: Vec<String> = s
                .speakers
                .iter()
                .map(|p| match &p.role {
                    Some(r) => format!("{} ({r})", p.name),
                    None => p.name.clone(),
                })
                .collect();
            desc.push_str(&names.join(", "));
        }
        e.description(desc.trim());
        let loc: Vec<&str> = [s.room.as_deref(), s.venue.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !loc.is_empty() {
            e.location(&loc.join(", "));
        }
        if let Some(w) = s.start_moment().as_ref().and_then(when) {
            e.starts(w);
        }
        if let Some(w) = s.end_moment().as_ref().and_then(when) {
            e.ends(w);
        }
        e.url(&format!(
            "{}/sessions/{}",
            base_url.trim_end_matches('/'),
            s.id()
        ));
        if let Some(t) = &s.session_type {
            e.add_property("CATEGORIES", t);
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}

/// A stable UUID-shaped id from a string (FNV-1a, two seeds): frab wants a `guid`.
fn guid(s: &str) -> String {
    use std::hash::Hasher;
    let h = |seed: u64| {
        let mut x = fnv::FnvHasher::with_key(seed);
        x.write(s.as_bytes());
        x.finish()
    };
    let (a, b) = (h(0xcbf2_9ce4_8422_2325), h(0x8422_2325_cbf2_9ce4));
    format!(
        "{:08x}-{:04x}-5{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// The frab/c3voc schedule JSON (version 2) for one event's sessions. Lossy: the format
/// has no field for topics, Action Lines, SDGs or GDC objectives.
pub fn to_frab(event: &str, sessions: &[&Session], base_url: &str) -> Value {
    let mut days: BTreeMap<String, BTreeMap<String, Vec<Value>>> = BTreeMap::new();
    let mut offset_name = None;
    for (i, s) in sessions.iter().enumerate() {
        let Some(start) = s.start_moment() else {
            continue;
        };
        let date = start.local.date().to_string();
        let dur_min = s
            .end_moment()
            .map(|e| (e.sort_key() - start.sort_key()) / 60)
            .filter(|d| *d > 0)
            .unwrap_or(60);
        if offset_name.is_none() {
            offset_name = start.offset_minutes;
        }
        let room = s.room.clone().unwrap_or_else(|| "Unassigned".into());
        let ev = json!({
            "id": i + 1,
            "guid": guid(&s.id()),
            "date": start.to_rfc3339(),
            "start": start.local.strftime("%H:%M").to_string(),
            "duration": format!("{:02}:{:02}", dur_min / 60, dur_min % 60),
            "room": room,
            "slug": s.id(),
            "url": format!("{}/sessions/{}", base_url.trim_end_matches('/'), s.id()),
            "title": s.title,
            "subtitle": "",
            "track": s.session_type.clone().unwrap_or_default(),
            "type": s.session_type.clone().unwrap_or_default(),
            "language": "en",
            "abstract": s.description,
            "description": s.guiding_questions.join("\n"),
            "recording_license": "",
            "do_not_record": false,
            "persons": s.speakers.iter().map(|p| json!({"public_name": p.name})).collect::<Vec<_>>(),
            "links": s.documents.iter().filter_map(|d| d.url.as_ref().map(|u| json!({"url": u, "title": d.title.clone().unwrap_or_default()}))).collect::<Vec<_>>(),
            "attachments": [],
        });
        days.entry(date)
            .or_default()
            .entry(room)
            .or_default()
            .push(ev);
    }
    let day_list: Vec<Value> = days
        .iter()
        .enumerate()
        .map(|(i, (date, rooms))| {
            json!({
                "index": i,
                "date": date,
                "day_start": format!("{date}T00:00:00"),
                "day_end": format!("{date}T23:59:59"),
                "rooms": rooms,
            })
        })
        .collect();
    json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "plenary", "version": env!("CARGO_PKG_VERSION")},
        "schedule": {
            "version": "1",
            "base_url": base_url,
            "conference": {
                "acronym": plenary_frameworks::slug(event),
                "title": event,
                "start": days.keys().next(),
                "end": days.keys().last(),
                "daysCount": days.len(),
                "timeslot_duration": "00:15",
                "time_zone_name": offset_name.map(|o| if o == 0 { "UTC".to_string() } else { format!("Etc/GMT{}{}", if o > 0 { '-' } else { '+' }, o.abs() / 60) }),
                "days": day_list,
            }
        }
    })
}

#[cfg(test)]
mod guids {
    /// frab guids identify sessions to calendar clients: the hash must not move.
    #[test]
    fn guid_is_pinned() {
        assert_eq!(
            super::guid("wsis-forum-2025-400"),
            "c51dddd0-8347-5268-9107-4b3cb8b2a863"
        );
    }
}
