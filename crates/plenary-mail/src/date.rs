//! Mail dates: RFC 5322 via mail-parser, plus the forms pipermail prints
//! (`Wed Jul 23 14:30:34 EDT 2025`, asctime without zone) which no crate
//! parses with zone abbreviations, so the small table below is ours.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::Serialize;

/// A point in time normalised to UTC, with the offset the sender wrote (if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MailDate {
    /// Seconds since the Unix epoch, UTC.
    pub utc: i64,
    /// The original offset east of UTC in seconds; `None` when the source did not say.
    pub offset_seconds: Option<i32>,
}

impl MailDate {
    /// RFC 3339 in UTC (`2025-07-23T18:30:34Z`).
    pub fn to_rfc3339(&self) -> String {
        rfc3339_utc(self.utc)
    }
}

/// Formats Unix seconds as RFC 3339 UTC; falls back to the epoch for out-of-range values.
pub fn rfc3339_utc(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// A date as the record shows it: RFC 3339 UTC (`…Z`) when its offset is known;
/// otherwise the writer's wall-clock time without a zone
/// (`2025-07-23T19:02:00`, RFC 3339's "local date-time"), never as if it were UTC.
/// `secs` holds the wall-clock time counted as UTC when `offset_known` is false.
pub fn record_date(secs: i64, offset_known: bool) -> String {
    if offset_known {
        return rfc3339_utc(secs);
    }
    match jiff::Timestamp::from_second(secs) {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
        Err(_) => "1970-01-01T00:00:00".to_string(),
    }
}

/// Unix seconds of a civil date-time at a fixed offset (seconds east of UTC);
/// `None` for an invalid date.
pub fn civil_to_utc(
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    offset_seconds: i32,
) -> Option<i64> {
    let dt = DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        0,
        0,
    )
    .ok()?;
    let tz = TimeZone::fixed(jiff::tz::Offset::from_seconds(offset_seconds).ok()?);
    Some(dt.to_zoned(tz).ok()?.timestamp().as_second())
}

/// Civil (year, month, day, hour, minute) of Unix seconds in UTC.
pub fn utc_to_civil(secs: i64) -> Option<(i32, u8, u8, u8, u8)> {
    let dt = jiff::Timestamp::from_second(secs)
        .ok()?
        .to_zoned(TimeZone::UTC)
        .datetime();
    Some((
        i32::from(dt.year()),
        u8::try_from(dt.month()).ok()?,
        u8::try_from(dt.day()).ok()?,
        u8::try_from(dt.hour()).ok()?,
        u8::try_from(dt.minute()).ok()?,
    ))
}

/// `YYYY-MM` of a UTC timestamp.
pub fn month_of(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(ts) => ts.strftime("%Y-%m").to_string(),
        Err(_) => "1970-01".to_string(),
    }
}

/// English month names, as pipermail names its archive periods (`2005-April`).
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Offsets of the zone abbreviations seen in pipermail date lines and Date headers.
fn zone_abbrev_offset(abbr: &str) -> Option<i32> {
    let h = |x: i32| Some(x * 3600);
    match abbr.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "Z" | "WET" => h(0),
        "BST" | "IST" | "WEST" | "CET" | "MET" => h(1),
        "CEST" | "MEST" | "EET" | "SAST" | "CAT" => h(2),
        "EEST" | "MSK" | "EAT" | "AST3" => h(3),
        "GST" => h(4),
        "PKT" => h(5),
        "ICT" | "WIB" => h(7),
        "CST8" | "HKT" | "SGT" | "AWST" | "PHT" => h(8),
        "JST" | "KST" => h(9),
        "AEST" => h(10),
        "AEDT" => h(11),
        "NZST" => h(12),
        "NZDT" => h(13),
        "ADT" => h(-3),
        "AST" | "EDT" => h(-4),
        "EST" | "CDT" => h(-5),
        "CST" | "MDT" => h(-6),
        "MST" | "PDT" => h(-7),
        "PST" | "AKDT" => h(-8),
        "AKST" => h(-9),
        "HST" => h(-10),
        "BRT" | "ART" => h(-3),
        _ => None,
    }
}

fn month_number(name: &str) -> Option<i8> {
    let m = name.get(..3)?.to_ascii_lowercase();
    let n = match m.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Parses asctime-style dates as pipermail writes them, with or without a zone:
/// `Wed Jul 23 14:30:34 EDT 2025`, `Fri Apr  1 06:26:08 2005`.
/// Without a zone the time is taken as UTC and `offset_seconds` is `None`.
pub fn parse_asctime(s: &str) -> Option<MailDate> {
    let toks: Vec<&str> = s.split_whitespace().collect();
    // Find the month token followed by day and time.
    let mi = toks
        .iter()
        .position(|t| month_number(t).is_some() && t.len() >= 3)?;
    let month = month_number(toks[mi])?;
    let day: i8 = toks.get(mi + 1)?.parse().ok()?;
    let time = toks.get(mi + 2)?;
    let mut hms = time.split(':');
    let hour: i8 = hms.next()?.parse().ok()?;
    let minute: i8 = hms.next()?.parse().ok()?;
    let second: i8 = hms.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    let mut offset = None;
    let mut year: Option<i16> = None;
    for t in &toks[mi + 3..] {
        if let Ok(y) = t.parse::<i16>() {
            if t.len() == 4 {
                year = Some(y);
                continue;
            }
        }
        if let Some(o) = parse_numeric_offset(t) {
            offset = Some(o);
        } else if let Some(o) = zone_abbrev_offset(t.trim_matches(|c| c == '(' || c == ')')) {
            offset.get_or_insert(o);
        }
    }
    let year = year?;
    let dt = DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
    let off = offset.unwrap_or(0);
    let tz = TimeZone::fixed(jiff::tz::Offset::from_seconds(off).ok()?);
    let ts = dt.to_zoned(tz).ok()?.timestamp();
    Some(MailDate {
        utc: ts.as_second(),
        offset_seconds: offset,
    })
}

fn parse_numeric_offset(t: &str) -> Option<i32> {
    let b = t.as_bytes();
    if b.len() != 5 || !(b[0] == b'+' || b[0] == b'-') || !b[1..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let h: i32 = t[1..3].parse().ok()?;
    let m: i32 = t[3..5].parse().ok()?;
    let v = h * 3600 + m * 60;
    Some(if b[0] == b'-' { -v } else { v })
}

/// Parses an RFC 5322 `Date:` value (falling back to asctime and zone abbreviations).
pub fn parse_header_date(raw: &str) -> Option<MailDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    // RFC 5322 style: [Day,] DD Mon YYYY HH:MM[:SS] zone
    let cleaned: String = raw.replace(',', " ");
    let toks: Vec<&str> = cleaned.split_whitespace().collect();
    if let Some(mi) = toks.iter().position(|t| month_number(t).is_some()) {
        // "DD Mon YYYY" (RFC 5322) vs "Mon DD HH:MM:SS YYYY" (asctime)
        if mi >= 1 {
            if let (Ok(day), Some(ytok), Some(time)) = (
                toks[mi - 1].parse::<i8>(),
                toks.get(mi + 1),
                toks.get(mi + 2),
            ) {
                let mut year: i16 = ytok.parse().ok()?;
                if year < 50 {
                    year += 2000;
                } else if year < 100 {
                    year += 1900;
                }
                let mut hms = time.split(':');
                let hour: i8 = hms.next()?.parse().ok()?;
                let minute: i8 = hms.next()?.parse().ok()?;
                let second: i8 = hms.next().and_then(|x| x.parse().ok()).unwrap_or(0).min(59);
                let mut offset = None;
                for t in &toks[mi + 3..] {
                    if let Some(o) = parse_numeric_offset(t) {
                        offset = Some(o);
                        break;
                    }
                    if let Some(o) = zone_abbrev_offset(t.trim_matches(|c| c == '(' || c == ')')) {
                        offset = Some(o);
                        break;
                    }
                }
                let month = month_number(toks[mi])?;
                let dt = DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
                let off = offset.unwrap_or(0);
                let tz = TimeZone::fixed(jiff::tz::Offset::from_seconds(off).ok()?);
                let ts = dt.to_zoned(tz).ok()?.timestamp();
                return Some(MailDate {
                    utc: ts.as_second(),
                    offset_seconds: offset,
                });
            }
        }
    }
    parse_asctime(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12.5: a date whose offset is unknown is a local time, not UTC.
    #[test]
    fn record_dates_say_whether_they_are_utc() {
        assert_eq!(record_date(1_753_297_320, true), "2025-07-23T19:02:00Z");
        assert_eq!(record_date(1_753_297_320, false), "2025-07-23T19:02:00");
    }

    #[test]
    fn pipermail_zone_abbreviation() {
        let d = parse_asctime("Wed Jul 23 14:30:34 EDT 2025").expect("parses");
        assert_eq!(d.to_rfc3339(), "2025-07-23T18:30:34Z");
        assert_eq!(d.offset_seconds, Some(-4 * 3600));
    }

    #[test]
    fn asctime_without_zone_is_utc_with_unknown_offset() {
        let d = parse_asctime("Fri Apr  1 06:26:08 2005").expect("parses");
        assert_eq!(d.to_rfc3339(), "2005-04-01T06:26:08Z");
        assert_eq!(d.offset_seconds, None);
    }

    #[test]
    fn civil_round_trip() {
        let t = civil_to_utc(2025, 7, 23, 14, 30, -4 * 3600).expect("valid");
        assert_eq!(rfc3339_utc(t), "2025-07-23T18:30:00Z");
        assert_eq!(utc_to_civil(t), Some((2025, 7, 23, 18, 30)));
        assert_eq!(civil_to_utc(2025, 2, 30, 0, 0, 0), None);
        assert_eq!(civil_to_utc(2025, 13, 1, 0, 0, 0), None);
    }

    #[test]
    fn rfc5322_dates() {
        let d = parse_header_date("Fri, 22 May 2015 06:38:22 -0500").expect("parses");
        assert_eq!(d.to_rfc3339(), "2015-05-22T11:38:22Z");
        assert_eq!(d.offset_seconds, Some(-5 * 3600));
        let d = parse_header_date("3 Jan 2021 02:29:16 +0000 (UTC)").expect("parses");
        assert_eq!(d.to_rfc3339(), "2021-01-03T02:29:16Z");
        let d = parse_header_date("Tue, 5 Jan 21 22:39:32 CEST").expect("parses");
        assert_eq!(d.offset_seconds, Some(7200));
        assert!(parse_header_date("yesterday").is_none());
        assert!(parse_header_date("Tue, 45 Jan 2021 22:39:32 +0100").is_none());
    }
}
