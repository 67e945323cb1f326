//! Calendar arithmetic, time zones with daylight-saving rules, and the date
//! formats that appear in headers, mbox separators and quote attributions.

use crate::Locale;

/// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Unix timestamp of a UTC civil time.
pub(crate) fn timestamp(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    days_from_civil(y, mo, d) * 86_400 + (h * 3600 + mi * 60 + s) as i64
}

/// 0 = Sunday.
fn weekday_of_days(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32
}

/// Broken-down local time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tm {
    pub year: i64,
    pub month: u32, // 1..=12
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub wday: u32, // 0 = Sunday
}

pub(crate) fn tm(ts: i64, offset_min: i32) -> Tm {
    let t = ts + offset_min as i64 * 60;
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400) as u32;
    let (year, month, day) = civil_from_days(days);
    Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs / 60 % 60,
        sec: secs % 60,
        wday: weekday_of_days(days),
    }
}

fn last_sunday(year: i64, month: u32) -> i64 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    let last = next - 1;
    last - weekday_of_days(last) as i64
}

fn nth_sunday(year: i64, month: u32, n: i64) -> i64 {
    let first = days_from_civil(year, month, 1);
    let wd = weekday_of_days(first) as i64;
    first + (7 - wd) % 7 + 7 * (n - 1)
}

/// A sender's time zone.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Zone {
    Fixed {
        off: i32,
        abbr: &'static str,
    },
    /// EU rules: summer time from the last Sunday of March to the last Sunday
    /// of October, switching at 01:00 UTC.
    Eu {
        std: i32,
        std_abbr: &'static str,
        dst_abbr: &'static str,
    },
    /// US rules: second Sunday of March to first Sunday of November, 02:00 local.
    Us {
        std: i32,
        std_abbr: &'static str,
        dst_abbr: &'static str,
    },
}

impl Zone {
    /// (offset in minutes east of UTC, abbreviation) at a given instant.
    pub(crate) fn at(&self, ts: i64) -> (i32, &'static str) {
        match *self {
            Zone::Fixed { off, abbr } => (off, abbr),
            Zone::Eu {
                std,
                std_abbr,
                dst_abbr,
            } => {
                let y = tm(ts, 0).year;
                let start = last_sunday(y, 3) * 86_400 + 3600;
                let end = last_sunday(y, 10) * 86_400 + 3600;
                if ts >= start && ts < end {
                    (std + 60, dst_abbr)
                } else {
                    (std, std_abbr)
                }
            }
            Zone::Us {
                std,
                std_abbr,
                dst_abbr,
            } => {
                let y = tm(ts, 0).year;
                let start = nth_sunday(y, 3, 2) * 86_400 + 7200 - std as i64 * 60;
                let end = nth_sunday(y, 11, 1) * 86_400 + 7200 - (std as i64 + 60) * 60;
                if ts >= start && ts < end {
                    (std + 60, dst_abbr)
                } else {
                    (std, std_abbr)
                }
            }
        }
    }
}

const EN_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const EN_DAYS_LONG: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const EN_MONTHS_LONG: [&str; 12] = [
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

pub(crate) fn offset_str(off: i32) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    format!("{sign}{:02}{:02}", a / 60, a % 60)
}

/// RFC 5322 date: `Tue, 22 Jul 2025 17:06:12 +0200`.
pub(crate) fn rfc5322(ts: i64, off: i32) -> String {
    let t = tm(ts, off);
    format!(
        "{}, {} {} {} {:02}:{:02}:{:02} {}",
        EN_DAYS[t.wday as usize],
        t.day,
        EN_MONTHS[t.month as usize - 1],
        t.year,
        t.hour,
        t.min,
        t.sec,
        offset_str(off)
    )
}

/// asctime in UTC, as used on mbox separator lines: `Wed Jul 23 14:30:34 2025`
/// (single-digit days are space-padded: `Mon Jan  1 00:00:00 2024`).
pub(crate) fn asctime(ts: i64) -> String {
    let t = tm(ts, 0);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        EN_DAYS[t.wday as usize],
        EN_MONTHS[t.month as usize - 1],
        t.day,
        t.hour,
        t.min,
        t.sec,
        t.year
    )
}

/// RFC 3339 with offset: `2025-07-08T10:00:00+02:00`.
pub(crate) fn rfc3339(ts: i64, off: i32) -> String {
    let t = tm(ts, off);
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.min,
        t.sec,
        a / 60,
        a % 60
    )
}

fn h12(hour: u32) -> (u32, &'static str) {
    let ampm = if hour < 12 { "AM" } else { "PM" };
    let h = match hour % 12 {
        0 => 12,
        h => h,
    };
    (h, ampm)
}

const ES_DAYS: [&str; 7] = ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"];
const ES_MONTHS: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];
const ES_DAYS_LONG: [&str; 7] = [
    "domingo",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
];
const ES_MONTHS_LONG: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const PT_DAYS: [&str; 7] = ["dom.", "seg.", "ter.", "qua.", "qui.", "sex.", "sáb."];
const PT_MONTHS: [&str; 12] = [
    "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez.",
];
const PT_DAYS_LONG: [&str; 7] = [
    "domingo",
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "sábado",
];
const PT_MONTHS_LONG: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];
const FR_DAYS: [&str; 7] = ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."];
const FR_MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const FR_DAYS_LONG: [&str; 7] = [
    "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
];
const FR_MONTHS_LONG: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const DE_DAYS: [&str; 7] = ["So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."];
const DE_DAYS_LONG: [&str; 7] = [
    "Sonntag",
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
];
const DE_MONTHS_LONG: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const SV_DAYS: [&str; 7] = ["sön", "mån", "tis", "ons", "tors", "fre", "lör"];
const SV_MONTHS_LONG: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// Month name used inside body text (`{m}` placeholder), by writing language.
pub(crate) fn month_name(lang: crate::Lang, month: u32) -> &'static str {
    let i = (month as usize).clamp(1, 12) - 1;
    match lang {
        crate::Lang::En => EN_MONTHS_LONG[i],
        crate::Lang::Es => ES_MONTHS_LONG[i],
        crate::Lang::Pt => PT_MONTHS_LONG[i],
        crate::Lang::Fr => FR_MONTHS_LONG[i],
    }
}

/// Gmail attribution line (`On Tue, Jul 22, 2025 at 5:06 PM Name <addr> wrote:`).
pub(crate) fn gmail_attribution(loc: Locale, t: &Tm, name: &str, addr: &str) -> String {
    let wd = t.wday as usize;
    let mo = t.month as usize - 1;
    match loc {
        Locale::EnUs | Locale::EnGb => {
            let (h, ap) = h12(t.hour);
            format!(
                "On {}, {} {}, {} at {}:{:02} {} {} <{}> wrote:",
                EN_DAYS[wd], EN_MONTHS[mo], t.day, t.year, h, t.min, ap, name, addr
            )
        }
        Locale::Es => format!(
            "El {}, {} {} {} a las {}:{:02}, {} (<{}>) escribió:",
            ES_DAYS[wd], t.day, ES_MONTHS[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::Pt => format!(
            "Em {}, {} de {} de {} às {:02}:{:02}, {} <{}> escreveu:",
            PT_DAYS[wd], t.day, PT_MONTHS[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::Fr => format!(
            "Le {} {} {} {} à {:02}:{:02}, {} <{}> a écrit :",
            FR_DAYS[wd], t.day, FR_MONTHS[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::De => format!(
            "Am {}, {}. {} {} um {:02}:{:02} Uhr schrieb {} <{}>:",
            DE_DAYS[wd], t.day, DE_MONTHS_LONG[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::Sv => format!(
            "Den {} {} {} {} kl {:02}:{:02} skrev {} <{}>:",
            SV_DAYS[wd], t.day, SV_MONTHS_LONG[mo], t.year, t.hour, t.min, name, addr
        ),
    }
}

/// Apple Mail attribution line (`On 22 Jul 2025, at 17:06, Name <addr> wrote:`).
pub(crate) fn apple_attribution(loc: Locale, t: &Tm, name: &str, addr: &str) -> String {
    let mo = t.month as usize - 1;
    match loc {
        Locale::EnUs => {
            let (h, ap) = h12(t.hour);
            format!(
                "On {} {}, {}, at {}:{:02} {}, {} <{}> wrote:",
                EN_MONTHS[mo], t.day, t.year, h, t.min, ap, name, addr
            )
        }
        Locale::EnGb => format!(
            "On {} {} {}, at {:02}:{:02}, {} <{}> wrote:",
            t.day, EN_MONTHS[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::Es => format!(
            "El {} {} {}, a las {}:{:02}, {} <{}> escribió:",
            t.day, ES_MONTHS[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::Pt => format!(
            "Em {} de {} de {}, à(s) {:02}:{:02}, {} <{}> escreveu:",
            t.day, PT_MONTHS[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::Fr => format!(
            "Le {} {} {} à {:02}:{:02}, {} <{}> a écrit :",
            t.day, FR_MONTHS[mo], t.year, t.hour, t.min, name, addr
        ),
        Locale::De => format!(
            "Am {:02}.{:02}.{} um {:02}:{:02} schrieb {} <{}>:",
            t.day, t.month, t.year, t.hour, t.min, name, addr
        ),
        Locale::Sv => format!(
            "{} {} {} kl. {:02}:{:02} skrev {} <{}>:",
            t.day, SV_MONTHS_LONG[mo], t.year, t.hour, t.min, name, addr
        ),
    }
}

/// Thunderbird attribution line (`On 7/22/25 5:06 PM, Name wrote:`).
pub(crate) fn thunderbird_attribution(loc: Locale, t: &Tm, name: &str) -> String {
    let yy = t.year.rem_euclid(100);
    match loc {
        Locale::EnUs => {
            let (h, ap) = h12(t.hour);
            format!(
                "On {}/{}/{:02} {}:{:02} {}, {} wrote:",
                t.month, t.day, yy, h, t.min, ap, name
            )
        }
        Locale::EnGb => format!(
            "On {:02}/{:02}/{} {:02}:{:02}, {} wrote:",
            t.day, t.month, t.year, t.hour, t.min, name
        ),
        Locale::Es => format!(
            "El {}/{}/{:02} a las {}:{:02}, {} escribió:",
            t.day, t.month, yy, t.hour, t.min, name
        ),
        Locale::Pt => format!(
            "Em {:02}/{:02}/{} {:02}:{:02}, {} escreveu:",
            t.day, t.month, t.year, t.hour, t.min, name
        ),
        Locale::Fr => format!(
            "Le {:02}/{:02}/{} à {:02}:{:02}, {} a écrit :",
            t.day, t.month, t.year, t.hour, t.min, name
        ),
        Locale::De => format!(
            "Am {:02}.{:02}.{:02} um {:02}:{:02} schrieb {}:",
            t.day, t.month, yy, t.hour, t.min, name
        ),
        Locale::Sv => format!(
            "Den {}-{:02}-{:02} kl. {:02}:{:02}, skrev {}:",
            t.year, t.month, t.day, t.hour, t.min, name
        ),
    }
}

/// Outlook `Sent:` value (`Tuesday, July 22, 2025 5:06 PM`).
pub(crate) fn outlook_sent(loc: Locale, t: &Tm) -> String {
    let wd = t.wday as usize;
    let mo = t.month as usize - 1;
    match loc {
        Locale::EnUs => {
            let (h, ap) = h12(t.hour);
            format!(
                "{}, {} {}, {} {}:{:02} {}",
                EN_DAYS_LONG[wd], EN_MONTHS_LONG[mo], t.day, t.year, h, t.min, ap
            )
        }
        Locale::EnGb => format!(
            "{}, {} {} {} {:02}:{:02}",
            EN_DAYS_LONG[wd], t.day, EN_MONTHS_LONG[mo], t.year, t.hour, t.min
        ),
        Locale::Es => format!(
            "{}, {} de {} de {} {}:{:02}",
            ES_DAYS_LONG[wd], t.day, ES_MONTHS_LONG[mo], t.year, t.hour, t.min
        ),
        Locale::Pt => format!(
            "{}, {} de {} de {} {:02}:{:02}",
            PT_DAYS_LONG[wd], t.day, PT_MONTHS_LONG[mo], t.year, t.hour, t.min
        ),
        Locale::Fr => format!(
            "{} {} {} {} {:02}:{:02}",
            FR_DAYS_LONG[wd], t.day, FR_MONTHS_LONG[mo], t.year, t.hour, t.min
        ),
        Locale::De => format!(
            "{}, {}. {} {} {:02}:{:02}",
            DE_DAYS_LONG[wd], t.day, DE_MONTHS_LONG[mo], t.year, t.hour, t.min
        ),
        Locale::Sv => format!(
            "den {} {} {} {:02}:{:02}",
            t.day, SV_MONTHS_LONG[mo], t.year, t.hour, t.min
        ),
    }
}

/// Gmail forward header `Date:` value (`Tue, Jul 22, 2025 at 5:06 PM`).
pub(crate) fn gmail_forward_date(t: &Tm) -> String {
    let (h, ap) = h12(t.hour);
    format!(
        "{}, {} {}, {} at {}:{:02} {}",
        EN_DAYS[t.wday as usize],
        EN_MONTHS[t.month as usize - 1],
        t.day,
        t.year,
        h,
        t.min,
        ap
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_roundtrip_and_formats() {
        for days in [-1000i64, 0, 10_000, 20_000, 20_291] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let ts = timestamp(2025, 7, 22, 15, 6, 12);
        assert_eq!(rfc5322(ts, 120), "Tue, 22 Jul 2025 17:06:12 +0200");
        assert_eq!(
            asctime(timestamp(2024, 1, 1, 0, 0, 0)),
            "Mon Jan  1 00:00:00 2024"
        );
        assert_eq!(rfc3339(ts, -240), "2025-07-22T11:06:12-04:00");
        let t = tm(ts, 120);
        assert_eq!(
            gmail_attribution(Locale::EnUs, &t, "Ana", "a@x.org"),
            "On Tue, Jul 22, 2025 at 5:06 PM Ana <a@x.org> wrote:"
        );
        assert_eq!(
            gmail_attribution(Locale::Es, &t, "Ana", "a@x.org"),
            "El mar, 22 jul 2025 a las 17:06, Ana (<a@x.org>) escribió:"
        );
        assert_eq!(
            gmail_attribution(Locale::Pt, &t, "Ana", "a@x.org"),
            "Em ter., 22 de jul. de 2025 às 17:06, Ana <a@x.org> escreveu:"
        );
        assert_eq!(
            gmail_attribution(Locale::Fr, &t, "Ana", "a@x.org"),
            "Le mar. 22 juil. 2025 à 17:06, Ana <a@x.org> a écrit :"
        );
        assert_eq!(
            outlook_sent(Locale::EnUs, &t),
            "Tuesday, July 22, 2025 5:06 PM"
        );
        assert_eq!(
            apple_attribution(Locale::EnGb, &t, "Ana", "a@x.org"),
            "On 22 Jul 2025, at 17:06, Ana <a@x.org> wrote:"
        );
        assert_eq!(
            thunderbird_attribution(Locale::EnUs, &t, "Ana"),
            "On 7/22/25 5:06 PM, Ana wrote:"
        );
    }

    #[test]
    fn dst_rules() {
        let cet = Zone::Eu {
            std: 60,
            std_abbr: "CET",
            dst_abbr: "CEST",
        };
        assert_eq!(cet.at(timestamp(2025, 7, 1, 12, 0, 0)).0, 120);
        assert_eq!(cet.at(timestamp(2025, 1, 1, 12, 0, 0)).0, 60);
        assert_eq!(cet.at(timestamp(2025, 3, 30, 0, 59, 0)).0, 60);
        assert_eq!(cet.at(timestamp(2025, 3, 30, 1, 0, 0)).0, 120);
        let et = Zone::Us {
            std: -300,
            std_abbr: "EST",
            dst_abbr: "EDT",
        };
        assert_eq!(et.at(timestamp(2025, 3, 9, 6, 59, 0)).0, -300);
        assert_eq!(et.at(timestamp(2025, 3, 9, 7, 0, 0)).0, -240);
        assert_eq!(et.at(timestamp(2025, 11, 2, 6, 0, 0)).0, -300);
    }
}
