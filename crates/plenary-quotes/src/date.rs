//! Locale-aware parsing of the dates written in attributions and header blocks.
//!
//! The parser is a small token machine, not a grammar: it walks a run of
//! date-like tokens (numbers, month and weekday names in many languages,
//! connectors such as `at`, `a las`, `um`, `kl.`, am/pm markers, zone names and
//! offsets) and keeps the longest run that yields a valid calendar date.

use serde::{Deserialize, Serialize};

/// A date and time as written in an attribution: local to the writer, so the
/// UTC offset is unknown unless the text states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocalDateTime {
    /// The year, four digits (two-digit years are expanded).
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31, valid for the month.
    pub day: u8,
    /// 0–23 (12-hour forms are converted); 0 when no time was written.
    pub hour: u8,
    /// 0–59; 0 when no time was written.
    pub minute: u8,
    /// Whether a time of day was written at all (stored analyses from before this
    /// field had a time).
    #[serde(default = "written")]
    pub has_time: bool,
    /// Offset from UTC in minutes, only when the text states it (`+0200`, `GMT`, `CEST`).
    pub offset_minutes: Option<i32>,
    /// The text was a numeric date such as `03/07/2025` that reads both as
    /// day/month and month/day. The fields hold the day/month reading unless a
    /// written weekday or [`LocalDateTime::resolve_day_month`] chose the other.
    #[serde(default)]
    pub day_month_ambiguous: bool,
}

fn written() -> bool {
    true
}

impl LocalDateTime {
    /// Minutes since 1970-01-01 of the written local time (the offset ignored).
    fn minutes(&self) -> i64 {
        // days from the civil date (Howard Hinnant's algorithm)
        let (y, m, d) = (
            i64::from(self.year) - i64::from(self.month <= 2),
            i64::from(self.month),
            i64::from(self.day),
        );
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 1440 + i64::from(self.hour) * 60 + i64::from(self.minute)
    }

    /// The same date with day and month exchanged, when that is a valid date.
    pub fn swapped(&self) -> Option<LocalDateTime> {
        if self.day > 12 || self.day == self.month {
            return None;
        }
        if self.month > days_in_month(self.year, self.day) {
            return None;
        }
        Some(LocalDateTime {
            month: self.day,
            day: self.month,
            ..*self
        })
    }

    /// Resolve a `dd/mm` vs `mm/dd` ambiguity against a reference date (the
    /// date of the message that quotes this one): prefer the reading closest
    /// before the reference, else the closest after it. Unambiguous dates are
    /// returned unchanged; `day_month_ambiguous` stays set to record that the
    /// written form was ambiguous.
    pub fn resolve_day_month(&self, reference: &LocalDateTime) -> LocalDateTime {
        if !self.day_month_ambiguous {
            return *self;
        }
        let Some(alt) = self.swapped() else {
            return *self;
        };
        // Both are local times, perhaps of different zones (and an archive's
        // stored date is often its writer's local time taken as UTC): a reading up
        // to a day after the reference still counts as before it. The two
        // readings are at least a month apart, so the slack never confuses them.
        let r = reference.minutes() + 24 * 60;
        let (a, b) = (self.minutes(), alt.minutes());
        match (a <= r, b <= r) {
            (true, true) => {
                if a >= b {
                    *self
                } else {
                    alt
                }
            }
            (true, false) => *self,
            (false, true) => alt,
            (false, false) => {
                if a <= b {
                    *self
                } else {
                    alt
                }
            }
        }
    }
}

pub(crate) fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

/// ISO weekday, 1 = Monday … 7 = Sunday.
fn weekday_of(y: i32, m: u8, d: u8) -> u8 {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let mut y = y;
    if m < 3 {
        y -= 1;
    }
    let idx = usize::from(m.clamp(1, 12) - 1);
    let w = (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) + T[idx] + i32::from(d))
        .rem_euclid(7); // 0 = Sunday
    if w == 0 {
        7
    } else {
        w as u8
    }
}

// ---------------------------------------------------------------- lexicon

/// Full month names (and a few abbreviations that are not prefixes of them);
/// a token matches a month when it equals one of these or is an unambiguous
/// prefix (3+ letters) of names of a single month.
const MONTHS: &[(&str, u8)] = &[
    // en
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("sept", 9),
    // es
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // pt
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // fr
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    // de
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("mrt", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // it
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // nl
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // sv
    ("augusti", 8),
    ("maj", 5),
    // da / no
    ("marts", 3),
    ("desember", 12),
    // pl (nominative and genitive)
    ("styczeń", 1),
    ("stycznia", 1),
    ("luty", 2),
    ("lutego", 2),
    ("marzec", 3),
    ("marca", 3),
    ("kwiecień", 4),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwiec", 6),
    ("czerwca", 6),
    ("lipiec", 7),
    ("lipca", 7),
    ("sierpień", 8),
    ("sierpnia", 8),
    ("wrzesień", 9),
    ("września", 9),
    ("październik", 10),
    ("października", 10),
    ("listopad", 11),
    ("listopada", 11),
    ("grudzień", 12),
    ("grudnia", 12),
    // ru (nominative and genitive)
    ("январь", 1),
    ("января", 1),
    ("февраль", 2),
    ("февраля", 2),
    ("март", 3),
    ("марта", 3),
    ("апрель", 4),
    ("апреля", 4),
    ("май", 5),
    ("мая", 5),
    ("июнь", 6),
    ("июня", 6),
    ("июль", 7),
    ("июля", 7),
    ("август", 8),
    ("августа", 8),
    ("сентябрь", 9),
    ("сентября", 9),
    ("октябрь", 10),
    ("октября", 10),
    ("ноябрь", 11),
    ("ноября", 11),
    ("декабрь", 12),
    ("декабря", 12),
    // ar
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
];

/// Month names matched only exactly (their prefixes collide with other
/// languages' abbreviations: Finnish `marraskuu` is November).
const MONTHS_EXACT: &[(&str, u8)] = &[
    // fi (nominative and partitive)
    ("tammikuu", 1),
    ("tammikuuta", 1),
    ("helmikuu", 2),
    ("helmikuuta", 2),
    ("maaliskuu", 3),
    ("maaliskuuta", 3),
    ("huhtikuu", 4),
    ("huhtikuuta", 4),
    ("toukokuu", 5),
    ("toukokuuta", 5),
    ("kesäkuu", 6),
    ("kesäkuuta", 6),
    ("heinäkuu", 7),
    ("heinäkuuta", 7),
    ("elokuu", 8),
    ("elokuuta", 8),
    ("syyskuu", 9),
    ("syyskuuta", 9),
    ("lokakuu", 10),
    ("lokakuuta", 10),
    ("marraskuu", 11),
    ("marraskuuta", 11),
    ("joulukuu", 12),
    ("joulukuuta", 12),
    // uk (genitive)
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
];

/// Weekday names and abbreviations, 1 = Monday … 7 = Sunday.
const WEEKDAYS: &[(&str, u8)] = &[
    // en
    ("mon", 1),
    ("monday", 1),
    ("tue", 2),
    ("tues", 2),
    ("tuesday", 2),
    ("wed", 3),
    ("wednesday", 3),
    ("thu", 4),
    ("thur", 4),
    ("thurs", 4),
    ("thursday", 4),
    ("fri", 5),
    ("friday", 5),
    ("sat", 6),
    ("saturday", 6),
    ("sun", 7),
    ("sunday", 7),
    // es
    ("lun", 1),
    ("lunes", 1),
    ("mar", 2),
    ("martes", 2),
    ("mié", 3),
    ("mie", 3),
    ("miércoles", 3),
    ("miercoles", 3),
    ("jue", 4),
    ("jueves", 4),
    ("vie", 5),
    ("viernes", 5),
    ("sáb", 6),
    ("sab", 6),
    ("sábado", 6),
    ("sabado", 6),
    ("dom", 7),
    ("domingo", 7),
    // pt
    ("seg", 1),
    ("segunda", 1),
    ("ter", 2),
    ("terça", 2),
    ("terca", 2),
    ("qua", 3),
    ("quarta", 3),
    ("qui", 4),
    ("quinta", 4),
    ("sex", 5),
    ("sexta", 5),
    // fr
    ("lundi", 1),
    ("mardi", 2),
    ("mer", 3),
    ("mercredi", 3),
    ("jeu", 4),
    ("jeudi", 4),
    ("ven", 5),
    ("vendredi", 5),
    ("sam", 6),
    ("samedi", 6),
    ("dim", 7),
    ("dimanche", 7),
    // de
    ("mo", 1),
    ("montag", 1),
    ("di", 2),
    ("dienstag", 2),
    ("mi", 3),
    ("mittwoch", 3),
    ("do", 4),
    ("donnerstag", 4),
    ("fr", 5),
    ("freitag", 5),
    ("sa", 6),
    ("samstag", 6),
    ("sonnabend", 6),
    ("so", 7),
    ("sonntag", 7),
    // it
    ("lunedì", 1),
    ("lunedi", 1),
    ("martedì", 2),
    ("martedi", 2),
    ("mercoledì", 3),
    ("mercoledi", 3),
    ("gio", 4),
    ("giovedì", 4),
    ("giovedi", 4),
    ("venerdì", 5),
    ("venerdi", 5),
    ("sabato", 6),
    ("domenica", 7),
    // nl
    ("ma", 1),
    ("maandag", 1),
    ("dinsdag", 2),
    ("wo", 3),
    ("woensdag", 3),
    ("donderdag", 4),
    ("vr", 5),
    ("vrijdag", 5),
    ("za", 6),
    ("zaterdag", 6),
    ("zo", 7),
    ("zondag", 7),
    // sv
    ("mån", 1),
    ("måndag", 1),
    ("tis", 2),
    ("tisdag", 2),
    ("ons", 3),
    ("onsdag", 3),
    ("tor", 4),
    ("tors", 4),
    ("torsdag", 4),
    ("fre", 5),
    ("fredag", 5),
    ("lör", 6),
    ("lördag", 6),
    ("sön", 7),
    ("söndag", 7),
    // da / no
    ("man", 1),
    ("mandag", 1),
    ("tir", 2),
    ("tirsdag", 2),
    ("lør", 6),
    ("lørdag", 6),
    ("søn", 7),
    ("søndag", 7),
    // fi
    ("ti", 2),
    ("ke", 3),
    ("pe", 5),
    // pl
    ("pon", 1),
    ("poniedziałek", 1),
    ("wt", 2),
    ("wtorek", 2),
    ("śr", 3),
    ("środa", 3),
    ("czw", 4),
    ("czwartek", 4),
    ("pt", 5),
    ("piątek", 5),
    ("sob", 6),
    ("sobota", 6),
    ("niedz", 7),
    ("nie", 7),
    ("niedziela", 7),
    // ru
    ("пн", 1),
    ("понедельник", 1),
    ("вт", 2),
    ("вторник", 2),
    ("ср", 3),
    ("среда", 3),
    ("чт", 4),
    ("четверг", 4),
    ("пт", 5),
    ("пятница", 5),
    ("сб", 6),
    ("суббота", 6),
    ("вс", 7),
    ("воскресенье", 7),
    // zh
    ("周一", 1),
    ("周二", 2),
    ("周三", 3),
    ("周四", 4),
    ("周五", 5),
    ("周六", 6),
    ("周日", 7),
    ("週一", 1),
    ("週二", 2),
    ("週三", 3),
    ("週四", 4),
    ("週五", 5),
    ("週六", 6),
    ("週日", 7),
    ("星期一", 1),
    ("星期二", 2),
    ("星期三", 3),
    ("星期四", 4),
    ("星期五", 5),
    ("星期六", 6),
    ("星期日", 7),
    ("星期天", 7),
    // ja (in parentheses after the date; 月 and 日 are date markers)
    ("火", 2),
    ("水", 3),
    ("木", 4),
    ("金", 5),
    ("土", 6),
    // ar
    ("الاثنين", 1),
    ("الإثنين", 1),
    ("الثلاثاء", 2),
    ("الأربعاء", 3),
    ("الاربعاء", 3),
    ("الخميس", 4),
    ("الجمعة", 5),
    ("السبت", 6),
    ("الأحد", 7),
    ("الاحد", 7),
];

/// Words that may sit inside a written date without meaning anything.
const CONNECTORS: &[&str] = &[
    "at", "a", "las", "la", "de", "del", "do", "da", "um", "uhr", "kl", "klo", "klockan", "o",
    "godz", "в", "г", "года", "à", "às", "as", "s", "om", "alle", "ore", "el", "le", "den", "the",
    "on", "h", "hs", "hrs", "horas", "t", "feira", "st", "nd", "rd", "th", "er", "e", "º", "ª",
    "في", "于", "于是", "、", "kello", "den", "y", "и", "о", "ב",
];

/// Connectors after which `17.06` is a time, not a date.
const TIME_INTRO: &[&str] = &[
    "kl", "klo", "klockan", "o", "um", "at", "alle", "ore", "às", "à", "a", "las", "godz", "в",
    "о", "om",
];

const TZ_NAMES: &[(&str, i32)] = &[
    ("utc", 0),
    ("gmt", 0),
    ("ut", 0),
    ("z", 0),
    ("wet", 0),
    ("west", 60),
    ("bst", 60),
    ("cet", 60),
    ("cest", 120),
    ("met", 60),
    ("mest", 120),
    ("eet", 120),
    ("eest", 180),
    ("msk", 180),
    ("est", -300),
    ("edt", -240),
    ("cst", -360),
    ("cdt", -300),
    ("mst", -420),
    ("mdt", -360),
    ("pst", -480),
    ("pdt", -420),
    ("akst", -540),
    ("akdt", -480),
    ("hst", -600),
    ("brt", -180),
    ("art", -180),
    ("jst", 540),
    ("kst", 540),
    ("hkt", 480),
    ("sgt", 480),
    ("awst", 480),
    ("aest", 600),
    ("aedt", 660),
    ("nzst", 720),
    ("nzdt", 780),
    ("sast", 120),
    ("cat", 120),
    ("eat", 180),
    ("wat", 60),
];

/// Month names sorted for binary search, with whether a prefix may match.
fn month_table() -> &'static [(&'static str, u8, bool)] {
    static T: std::sync::OnceLock<Vec<(&'static str, u8, bool)>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut v: Vec<(&'static str, u8, bool)> = MONTHS
            .iter()
            .map(|&(n, m)| (n, m, true))
            .chain(MONTHS_EXACT.iter().map(|&(n, m)| (n, m, false)))
            .collect();
        // as pipermail's text archives write them: `M?rz`, `f?vr.`, `d?cembre`
        let mangled: Vec<(&'static str, u8, bool)> = v
            .iter()
            .filter(|(n, _, _)| !n.is_ascii())
            .map(|&(n, m, prefix)| {
                let w: String = n
                    .chars()
                    .map(|c| if c.is_ascii() { c } else { '?' })
                    .collect();
                (&*Box::leak(w.into_boxed_str()), m, prefix)
            })
            .filter(|(w, _, _)| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
            .collect();
        v.extend(mangled);
        v.sort_unstable();
        v
    })
}

fn weekday_table() -> &'static [(&'static str, u8)] {
    static T: std::sync::OnceLock<Vec<(&'static str, u8)>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut v = WEEKDAYS.to_vec();
        v.sort_unstable();
        v
    })
}

fn month_of(w: &str) -> Option<u8> {
    let table = month_table();
    let i = table.partition_point(|(n, _, _)| *n < w);
    if let Some(&(n, m, _)) = table.get(i) {
        if n == w {
            return Some(m);
        }
    }
    // abbreviations only: `sept`, `juil`, `févr`; longer words are names
    // (`Jane` is not `janeiro`)
    let n = w.chars().count();
    if !(3..=4).contains(&n) {
        return None;
    }
    // four-letter abbreviations end in a consonant (`janv`, `févr`, `juil`);
    // `jane` is a name
    if n == 4
        && w.chars()
            .last()
            .is_some_and(|c| "aeiouyáéíóúàèìòùâêîôûäëïöü".contains(c))
    {
        return None;
    }
    // names starting with `w` sit right after its insertion point
    let mut found: Option<u8> = None;
    for &(name, m, prefix_ok) in table.get(i..).unwrap_or(&[]) {
        if !name.starts_with(w) {
            break;
        }
        if !prefix_ok {
            continue;
        }
        match found {
            None => found = Some(m),
            Some(f) if f != m => return None,
            _ => {}
        }
    }
    found
}

fn weekday_word(w: &str) -> Option<u8> {
    let table = weekday_table();
    let i = table.partition_point(|(n, _)| *n < w);
    table.get(i).filter(|(n, _)| *n == w).map(|&(_, d)| d)
}

fn tz_of(w: &str) -> Option<i32> {
    TZ_NAMES.iter().find(|(n, _)| *n == w).map(|&(_, o)| o)
}

/// `Some(true)` for pm words, `Some(false)` for am words.
fn ampm_word(w: &str) -> Option<bool> {
    match w {
        "pm" | "nachm" | "下午" | "晚上" | "午後" | "م" => Some(true),
        "am" | "vorm" | "上午" | "早上" | "午前" | "ص" => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone, Copy, PartialEq)]
enum K {
    Num(u32, u8),
    Word,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Tok {
    k: K,
    start: usize,
    end: usize,
    /// Lower-cased word (empty for numbers and punctuation).
    w: String,
    /// Month and weekday readings of a word, looked up once.
    month: Option<u8>,
    weekday: Option<u8>,
}

fn digit_of(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{660}'..='\u{669}' => Some(c as u32 - 0x660),
        '\u{6f0}'..='\u{6f9}' => Some(c as u32 - 0x6f0),
        '\u{ff10}'..='\u{ff19}' => Some(c as u32 - 0xff10),
        _ => None,
    }
}

fn is_marker(c: char) -> bool {
    matches!(c, '年' | '月' | '日' | '时' | '時' | '分' | '秒' | '点')
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

const MAX_TOKENS: usize = 96;

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if out.len() >= MAX_TOKENS {
            break;
        }
        if c.is_whitespace() || is_invisible(c) {
            continue;
        }
        if let Some(d) = digit_of(c) {
            let mut v: u32 = d;
            let mut nd: u8 = 1;
            let mut end = i + c.len_utf8();
            while let Some(&(j, c2)) = it.peek() {
                match digit_of(c2) {
                    Some(d2) => {
                        v = v.saturating_mul(10).saturating_add(d2);
                        nd = nd.saturating_add(1);
                        end = j + c2.len_utf8();
                        it.next();
                    }
                    None => break,
                }
            }
            out.push(Tok {
                k: K::Num(v, nd),
                start: i,
                end,
                w: String::new(),
                month: None,
                weekday: None,
            });
        } else if c.is_alphabetic() && !is_marker(c) {
            let mut end = i + c.len_utf8();
            let mut w = String::new();
            push_lower(&mut w, c);
            while let Some(&(j, c2)) = it.peek() {
                // a letter pipermail wrote as `?` inside a word (`M?rz`)
                let mangled = c2 == '?'
                    && s[j + 1..]
                        .chars()
                        .next()
                        .is_some_and(|c3| c3.is_alphabetic() && !is_marker(c3));
                if (c2.is_alphabetic() && !is_marker(c2)) || mangled {
                    push_lower(&mut w, c2);
                    end = j + c2.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            let (month, weekday) = (month_of(&w), weekday_word(&w));
            out.push(Tok {
                k: K::Word,
                start: i,
                end,
                w,
                month,
                weekday,
            });
        } else {
            out.push(Tok {
                k: K::Punct(c),
                start: i,
                end: i + c.len_utf8(),
                w: String::new(),
                month: None,
                weekday: None,
            });
        }
    }
    out
}

fn push_lower(w: &mut String, c: char) {
    for l in c.to_lowercase() {
        w.push(l);
    }
}

// ---------------------------------------------------------------- parser

#[derive(Default, Clone, Debug)]
struct St {
    y: Option<i32>,
    mo: Option<u8>,
    d: Option<u8>,
    h: Option<u8>,
    mi: Option<u8>,
    pm: Option<bool>,
    tz: Option<i32>,
    wd: Option<u8>,
    amb: bool,
    end: usize,
    /// Index of the first token after the run.
    next: usize,
}

impl St {
    fn date_done(&self) -> bool {
        self.y.is_some() && self.mo.is_some() && self.d.is_some()
    }
}

fn num(t: Option<&Tok>) -> Option<(u32, u8)> {
    match t.map(|t| t.k) {
        Some(K::Num(v, n)) => Some((v, n)),
        _ => None,
    }
}

fn punct(t: Option<&Tok>) -> Option<char> {
    match t.map(|t| t.k) {
        Some(K::Punct(c)) => Some(c),
        _ => None,
    }
}

fn year_of(v: u32, nd: u8) -> Option<i32> {
    match nd {
        4 if (1900..=2199).contains(&v) => Some(v as i32),
        2 => Some(if v < 70 {
            2000 + v as i32
        } else {
            1900 + v as i32
        }),
        _ => None,
    }
}

/// Is the token at `i` (a word that is both a weekday and a month prefix,
/// such as Spanish/French `mar`) a weekday here?
fn ambiguous_is_weekday(toks: &[Tok], i: usize) -> bool {
    // followed by a comma (`mar., 22 jul`, `Mar, 22/07/2025`)
    let mut j = i + 1;
    if punct(toks.get(j)) == Some('.') {
        j += 1;
    }
    if punct(toks.get(j)) == Some(',') {
        return true;
    }
    // a later unambiguous month word, or a numeric date group
    for k in i + 1..toks.len().min(i + 9) {
        let t = &toks[k];
        if t.k == K::Word && t.month.is_some() && t.weekday.is_none() {
            return true;
        }
        // (not a time's seconds and its offset: `16:51:40 -0400`)
        let after_colon = k > 0 && punct(toks.get(k - 1)) == Some(':');
        if let (Some(_), Some(s), Some(_)) =
            (num(Some(t)), punct(toks.get(k + 1)), num(toks.get(k + 2)))
        {
            if matches!(s, '/' | '-') && !after_colon {
                return true;
            }
        }
    }
    false
}

/// Parse one run starting at token `s`; returns the state and the index of
/// the last meaningful token (exclusive end is in `st.end`).
fn run_from(toks: &[Tok], s: usize) -> Option<St> {
    let mut st = St::default();
    let mut i = s;
    let mut prev_word: Option<&str> = None;
    let mut meaningful = false;
    // a written date never needs more tokens than this
    let stop = toks.len().min(s + MAX_RUN);
    while i < stop {
        let t = &toks[i];
        match t.k {
            K::Num(v, nd) => {
                // h:mm[:ss]
                if st.h.is_none() && nd <= 2 && v < 25 && punct(toks.get(i + 1)) == Some(':') {
                    if let Some((m, 2)) = num(toks.get(i + 2)) {
                        if m < 60 {
                            st.h = Some(v as u8);
                            st.mi = Some(m as u8);
                            st.end = toks[i + 2].end;
                            i += 3;
                            if punct(toks.get(i)) == Some(':') {
                                if let Some((_, 2)) = num(toks.get(i + 1)) {
                                    st.end = toks[i + 1].end;
                                    i += 2;
                                }
                            }
                            meaningful = true;
                            prev_word = None;
                            continue;
                        }
                    }
                }
                // 17.06 after kl./um/…, or once the date is complete
                if st.h.is_none() && nd <= 2 && v < 24 && punct(toks.get(i + 1)) == Some('.') {
                    if let Some((m, 2)) = num(toks.get(i + 2)) {
                        let intro = prev_word.is_some_and(|w| TIME_INTRO.contains(&w));
                        if m < 60
                            && (intro || st.date_done())
                            && punct(toks.get(i + 3)) != Some('.')
                        {
                            st.h = Some(v as u8);
                            st.mi = Some(m as u8);
                            st.end = toks[i + 2].end;
                            i += 3;
                            meaningful = true;
                            prev_word = None;
                            continue;
                        }
                    }
                }
                // 16h03
                if st.h.is_none() && nd <= 2 && v < 24 {
                    if let Some(tw) = toks.get(i + 1) {
                        if tw.k == K::Word && tw.w == "h" && tw.start == t.end {
                            if let Some((m, 2)) = num(toks.get(i + 2)) {
                                if m < 60 {
                                    st.h = Some(v as u8);
                                    st.mi = Some(m as u8);
                                    st.end = toks[i + 2].end;
                                    i += 3;
                                    meaningful = true;
                                    continue;
                                }
                            }
                        }
                    }
                }
                // numeric date a/b/c
                if st.y.is_none() && st.mo.is_none() && st.d.is_none() {
                    if let (Some(sep), Some((b, nb)), Some(sep2), Some((c, nc))) = (
                        punct(toks.get(i + 1)),
                        num(toks.get(i + 2)),
                        punct(toks.get(i + 3)),
                        num(toks.get(i + 4)),
                    ) {
                        if sep == sep2 && matches!(sep, '/' | '-' | '.') && nb <= 2 {
                            if let Some((y, mo, d, amb)) = numeric_date(v, nd, b, c, nc, sep) {
                                st.y = Some(y);
                                st.mo = Some(mo);
                                st.d = Some(d);
                                st.amb = amb;
                                st.end = toks[i + 4].end;
                                i += 5;
                                meaningful = true;
                                prev_word = None;
                                continue;
                            }
                        }
                    }
                }
                // CJK markers
                match punct(toks.get(i + 1)) {
                    Some('年') if st.y.is_none() && nd == 4 => {
                        st.y = year_of(v, nd);
                        st.end = toks[i + 1].end;
                        i += 2;
                        meaningful = true;
                        continue;
                    }
                    Some('月') if st.mo.is_none() && (1..=12).contains(&v) => {
                        st.mo = Some(v as u8);
                        st.end = toks[i + 1].end;
                        i += 2;
                        meaningful = true;
                        continue;
                    }
                    Some('日') if st.d.is_none() && (1..=31).contains(&v) => {
                        st.d = Some(v as u8);
                        st.end = toks[i + 1].end;
                        i += 2;
                        meaningful = true;
                        continue;
                    }
                    _ => {}
                }
                if nd == 4 && st.y.is_none() && (1900..=2199).contains(&v) {
                    st.y = Some(v as i32);
                } else if nd <= 2 && (1..=31).contains(&v) && st.d.is_none() {
                    st.d = Some(v as u8);
                } else if nd == 2 && st.y.is_none() && st.d.is_some() && st.mo.is_some() {
                    st.y = year_of(v, nd);
                } else {
                    break;
                }
                st.end = t.end;
                meaningful = true;
                prev_word = None;
                i += 1;
            }
            K::Word => {
                let w = t.w.as_str();
                let wd = t.weekday;
                let mo = t.month;
                if let (Some(m), true) = (mo, st.mo.is_none()) {
                    // a second weekday is no weekday: `Fri, 31 Mar 2023` is March
                    if wd.is_some() && st.wd.is_none() && ambiguous_is_weekday(toks, i) {
                        if st.wd.is_none() {
                            st.wd = wd;
                        }
                    } else {
                        st.mo = Some(m);
                    }
                    st.end = t.end;
                    meaningful = true;
                } else if let Some(d) = wd {
                    // a two-letter weekday in the middle of a complete date is a name
                    if st.date_done() && st.h.is_some() && w.chars().count() < 3 {
                        break;
                    }
                    if st.wd.is_none() {
                        st.wd = Some(d);
                    }
                    st.end = t.end;
                    meaningful = true;
                } else if let Some(p) = ampm_word(w) {
                    st.pm = Some(p);
                    st.end = t.end;
                } else if (w == "p" || w == "a") && st.h.is_some() && st.pm.is_none() {
                    // p. m. / a.m.
                    let mut j = i + 1;
                    if punct(toks.get(j)) == Some('.') {
                        j += 1;
                    }
                    match toks.get(j) {
                        Some(tm) if tm.k == K::Word && tm.w == "m" => {
                            st.pm = Some(w == "p");
                            st.end = tm.end;
                            if let Some(dot) = toks.get(j + 1) {
                                if dot.k == K::Punct('.') && dot.start == tm.end {
                                    st.end = dot.end;
                                    j += 1;
                                }
                            }
                            i = j + 1;
                            continue;
                        }
                        _ => {
                            if w == "a" {
                                prev_word = Some(w);
                                i += 1;
                                continue;
                            }
                            break;
                        }
                    }
                } else if let (Some(o), true) = (tz_of(w), st.h.is_some() || st.date_done()) {
                    st.tz = Some(o);
                    st.end = t.end;
                } else if matches!(w, "uhr" | "г" | "года" | "р" | "року") {
                    st.end = t.end;
                } else if CONNECTORS.contains(&w) {
                    // fine, not meaningful
                } else {
                    break;
                }
                prev_word = Some(w);
                i += 1;
            }
            K::Punct(c) => {
                // AM/PM after any one separator: Gmail's narrow no-break space
                // comes through pipermail as `6:39?PM` (or U+FFFD), others write
                // `6:39_PM`, `6:39-PM`
                if st.h.is_some() && st.pm.is_none() && i > 0 && toks[i - 1].end == st.end {
                    if let Some(nx) = toks.get(i + 1) {
                        if let (K::Word, Some(p)) = (nx.k, ampm_word(&nx.w)) {
                            if nx.start == t.end {
                                st.pm = Some(p);
                                st.end = nx.end;
                                i += 2;
                                continue;
                            }
                        }
                    }
                }
                if (c == '+' || c == '-' || c == '−') && st.h.is_some() {
                    if let Some((v, nd)) = num(toks.get(i + 1)) {
                        let sign = if c == '+' { 1 } else { -1 };
                        if nd == 4 && v % 100 < 60 && v / 100 <= 14 {
                            st.tz = Some(sign * ((v / 100) * 60 + v % 100) as i32);
                            st.end = toks[i + 1].end;
                            i += 2;
                            continue;
                        }
                        if nd <= 2 && v <= 14 {
                            let mut mins = 0;
                            let mut step = 2;
                            if punct(toks.get(i + 2)) == Some(':') {
                                if let Some((m, 2)) = num(toks.get(i + 3)) {
                                    mins = m;
                                    step = 4;
                                }
                            }
                            st.tz = Some(sign * (v * 60 + mins) as i32);
                            st.end = toks[i + step - 1].end;
                            i += step;
                            continue;
                        }
                    }
                }
                // a connector pipermail wrote as `?` ("à", "às", "в"): `5 mai
                // 2019 ? 14:44:24`, standing alone between the date and a time
                if c == '?'
                    && st.date_done()
                    && st.h.is_none()
                    && i > 0
                    && toks[i - 1].end < t.start
                    && toks
                        .get(i + 1)
                        .is_some_and(|n| matches!(n.k, K::Num(..)) && n.start > t.end)
                {
                    prev_word = Some("à");
                    i += 1;
                    continue;
                }
                if c == ')' && st.end == t.start {
                    st.end = t.end;
                }
                if c == '.' && st.end == t.start && i > 0 && toks[i - 1].k == K::Word {
                    // abbreviation dot: `jul.`, `г.`
                    st.end = t.end;
                }
                if !matches!(
                    c,
                    ',' | '.'
                        | '('
                        | ')'
                        | '/'
                        | '-'
                        | '，'
                        | '、'
                        | '،'
                        | '['
                        | ']'
                        | '年'
                        | '月'
                        | '日'
                        | '（'
                        | '）'
                        | '\''
                ) {
                    break;
                }
                i += 1;
            }
        }
    }
    if !meaningful || st.mo.is_none() || st.d.is_none() {
        return None;
    }
    st.next = i;
    Some(st)
}

const MAX_RUN: usize = 40;

fn numeric_date(a: u32, na: u8, b: u32, c: u32, nc: u8, sep: char) -> Option<(i32, u8, u8, bool)> {
    if na == 4 {
        let y = year_of(a, na)?;
        return valid(y, b, c).then_some((y, b as u8, c as u8, false));
    }
    if na > 2 {
        return None;
    }
    let y = year_of(c, nc)?;
    if sep == '.' {
        return valid(y, b, a).then_some((y, b as u8, a as u8, false));
    }
    let dmy = valid(y, b, a);
    let mdy = valid(y, a, b);
    match (dmy, mdy) {
        (true, true) => Some((y, b as u8, a as u8, a != b)),
        (true, false) => Some((y, b as u8, a as u8, false)),
        (false, true) => Some((y, a as u8, b as u8, false)),
        (false, false) => None,
    }
}

fn valid(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= u32::from(days_in_month(y, m as u8))
}

/// Find the best date in `s`: its value and the byte range of its text.
pub(crate) fn find_date(s: &str) -> Option<(LocalDateTime, std::ops::Range<usize>)> {
    match find_date_or_span(s) {
        (Some(d), Some(r)) => Some((d, r)),
        _ => None,
    }
}

/// Like [`find_date`], but also returns the span of a date written without
/// a year (`Wed, Dec 9`), so that it can be cut out of a name.
pub(crate) fn find_date_or_span(
    s: &str,
) -> (Option<LocalDateTime>, Option<std::ops::Range<usize>>) {
    let s = truncate(s, 600);
    let toks = tokenize(s);
    let full = best_run(&toks, true);
    match full {
        Some((st, start)) => match finish(&st) {
            Some(d) => (Some(d), Some(start..st.end.max(start))),
            None => (None, Some(start..st.end.max(start))),
        },
        None => match best_run(&toks, false) {
            Some((st, start)) => (None, Some(start..st.end.max(start))),
            None => (None, None),
        },
    }
}

/// The best run: with a time if any, then the earliest, then the longest.
fn best_run(toks: &[Tok], need_year: bool) -> Option<(St, usize)> {
    type Score = (bool, std::cmp::Reverse<usize>, usize);
    let mut best: Option<(St, usize, Score)> = None;
    // starts inside a run already found only give its suffixes
    let mut skip_until = 0;
    for (start, t) in toks.iter().enumerate() {
        if start < skip_until {
            continue;
        }
        let ok = match t.k {
            K::Num(..) => true,
            K::Word => t.month.is_some() || t.weekday.is_some(),
            K::Punct(_) => false,
        };
        if !ok {
            continue;
        }
        if let Some(st) = run_from(toks, start) {
            if need_year && st.y.is_none() {
                continue;
            }
            skip_until = st.next;
            let span = st.end.saturating_sub(t.start);
            let score = (st.h.is_some(), std::cmp::Reverse(t.start), span);
            if best.as_ref().is_none_or(|b| score > b.2) {
                best = Some((st, t.start, score));
            }
        }
    }
    best.map(|(st, start, _)| (st, start))
}

fn finish(st: &St) -> Option<LocalDateTime> {
    let y = st.y?;
    let mut mo = st.mo?;
    let mut d = st.d?;
    if !valid(y, u32::from(mo), u32::from(d)) {
        return None;
    }
    let mut amb = st.amb;
    if amb {
        if let Some(wd) = st.wd {
            let alt_ok = valid(y, u32::from(d), u32::from(mo));
            let m1 = weekday_of(y, mo, d) == wd;
            let m2 = alt_ok && weekday_of(y, d, mo) == wd;
            if m2 && !m1 {
                std::mem::swap(&mut mo, &mut d);
                amb = false;
            } else if m1 && !m2 {
                amb = false;
            }
        }
    }
    let (mut hour, minute, has_time) = match (st.h, st.mi) {
        (Some(h), Some(m)) => (h, m, true),
        _ => (0, 0, false),
    };
    if has_time {
        match st.pm {
            Some(true) if hour < 12 => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        if hour > 23 {
            return None;
        }
    }
    Some(LocalDateTime {
        year: y,
        month: mo,
        day: d,
        hour,
        minute,
        has_time,
        offset_minutes: st.tz,
        day_month_ambiguous: amb,
    })
}

/// Parse a written date (`22 jul. 2025, a las 5:06 p. m.`, `23/07/25 19:02`,
/// `Tuesday, July 22, 2025 at 22:46`, `Mi., 23. Juli 2025 um 10:15 Uhr`, …),
/// wherever it sits in `text`.
pub fn parse_date(text: &str) -> Option<LocalDateTime> {
    find_date(text).map(|(d, _)| d)
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> LocalDateTime {
        parse_date(s).unwrap_or_else(|| panic!("no date in {s:?}"))
    }

    fn ymdhm(d: LocalDateTime) -> (i32, u8, u8, u8, u8) {
        (d.year, d.month, d.day, d.hour, d.minute)
    }

    #[test]
    fn written_forms() {
        assert_eq!(
            ymdhm(p("22 jul. 2025, a las 5:06 p. m.")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(ymdhm(p("23 de julho de 2025 16:03")), (2025, 7, 23, 16, 3));
        assert_eq!(ymdhm(p("23/07/25 19:02")), (2025, 7, 23, 19, 2));
        assert_eq!(ymdhm(p("2025/07/23 18:36")), (2025, 7, 23, 18, 36));
        assert_eq!(
            ymdhm(p("Tuesday, July 22, 2025 at 22:46")),
            (2025, 7, 22, 22, 46)
        );
        assert_eq!(
            ymdhm(p("Mi., 23. Juli 2025 um 10:15 Uhr")),
            (2025, 7, 23, 10, 15)
        );
        assert_eq!(ymdhm(p("23 July 2025 14:42")), (2025, 7, 23, 14, 42));
        assert_eq!(
            ymdhm(p("Tue, Jul 22, 2025 at 5:06 PM")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(ymdhm(p("mar., 22 jul. 2025 17:06")), (2025, 7, 22, 17, 6));
        assert_eq!(
            ymdhm(p("lun. 15 nov. 2021 à 19:42")),
            (2021, 11, 15, 19, 42)
        );
        assert_eq!(
            ymdhm(p("ter., 22 de jul. de 2025 às 17:06")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(
            ymdhm(p("tir. 22. jul. 2025 kl. 17.06")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(
            ymdhm(p("Den tis 22 juli 2025 kl 17:06")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(
            ymdhm(p("mar 22 lug 2025 alle ore 17:06")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(ymdhm(p("di 22 jul 2025 om 17:06")), (2025, 7, 22, 17, 6));
        assert_eq!(ymdhm(p("wt., 22 lip 2025 o 17:06")), (2025, 7, 22, 17, 6));
        assert_eq!(
            ymdhm(p("вт, 22 июл. 2025 г. в 17:06")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(ymdhm(p("2025年7月22日(火) 17:06")), (2025, 7, 22, 17, 6));
        assert_eq!(
            ymdhm(p("于2025年7月22日周二 下午5:06")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(
            ymdhm(p("الثلاثاء، 22 يوليو 2025 في 5:06 م")),
            (2025, 7, 22, 17, 6)
        );
        assert_eq!(ymdhm(p("22.07.2025 17:06")), (2025, 7, 22, 17, 6));
        assert_eq!(ymdhm(p("2025-07-22T17:06:00+02:00")), (2025, 7, 22, 17, 6));
        assert_eq!(
            ymdhm(p("Thursday, September 26, 2019 11:35:12 AM")),
            (2019, 9, 26, 11, 35)
        );
        assert_eq!(
            ymdhm(p("Monday, 12 May 2025 12:05 AM")),
            (2025, 5, 12, 0, 5)
        );
        assert_eq!(ymdhm(p("16h03, 3 juin 2025")), (2025, 6, 3, 16, 3));
    }

    #[test]
    fn ampm_after_any_separator() {
        for s in [
            "Tue, Jul 22, 2025 at 6:39 PM",
            "Tue, Jul 22, 2025 at 6:39PM",
            "Tue, Jul 22, 2025 at 6:39\u{202f}PM",
            "Tue, Jul 22, 2025 at 6:39?PM",
            "Tue, Jul 22, 2025 at 6:39\u{fffd}PM",
            "Tue, Jul 22, 2025 at 6:39_pm",
            "22/07/2025 6:39-PM",
        ] {
            assert_eq!(ymdhm(p(s)), (2025, 7, 22, 18, 39), "{s}");
        }
        // a question mark ending a sentence after a time is no separator
        assert_eq!(ymdhm(p("Jul 22, 2025 at 6:39? Pm me")).3, 6);
    }

    #[test]
    fn offsets() {
        assert_eq!(
            p("Tue, 22 Jul 2025 17:06:00 +0200").offset_minutes,
            Some(120)
        );
        assert_eq!(p("22 July 2025 17:06 GMT").offset_minutes, Some(0));
        assert_eq!(p("Jul 22, 2025, at 17:06 EDT").offset_minutes, Some(-240));
        assert_eq!(p("22 July 2025 17:06 GMT+02:00").offset_minutes, Some(120));
        assert_eq!(p("23 de julho de 2025 16:03").offset_minutes, None);
    }

    #[test]
    fn no_date() {
        assert!(parse_date("Thanks, Paul, for bringing up").is_none());
        assert!(parse_date("in 2015, and again last year").is_none());
        assert!(parse_date("").is_none());
        assert!(parse_date("31/02/2025").is_none());
    }

    #[test]
    fn day_month_ambiguity() {
        let d = p("03/07/2025 10:00");
        assert!(d.day_month_ambiguous);
        assert_eq!((d.day, d.month), (3, 7));
        // a reference in March picks the month/day reading (7 March), the
        // only one before it
        let reference = p("10 March 2025 09:00");
        let r = d.resolve_day_month(&reference);
        assert_eq!((r.day, r.month), (7, 3));
        // a reference in July prefers 3 July (closest before)
        let r = d.resolve_day_month(&p("4 July 2025 09:00"));
        assert_eq!((r.day, r.month), (3, 7));
        // both after the reference: the closest after
        let r = d.resolve_day_month(&p("1 January 2025 09:00"));
        assert_eq!((r.day, r.month), (7, 3));
        // the quoting message's stored time a few hours earlier than the quote's
        // (another zone, or local time stored as UTC): still the same-day reading,
        // as Eudora's `At 12:59 AM 10/7/04 -0400` quoted in a mail stored at
        // 23:29 the evening before
        let e = p("12:59 AM 10/7/04 -0400");
        assert!(e.day_month_ambiguous);
        let r = e.resolve_day_month(&p("6 October 2004 23:29"));
        assert_eq!((r.year, r.month, r.day, r.hour), (2004, 10, 7, 0));
        let r = e.resolve_day_month(&p("10 July 2004 13:00"));
        assert_eq!((r.month, r.day), (7, 10));
        // unambiguous dates are untouched
        let u = p("23/07/25 19:02");
        assert!(!u.day_month_ambiguous);
        assert_eq!(u.resolve_day_month(&reference), u);
        // a written weekday settles it: Friday 7 March 2025
        let w = p("Fri, 03/07/2025 10:00");
        assert!(!w.day_month_ambiguous);
        assert_eq!((w.day, w.month), (7, 3));
        // month/day when the day cannot be a month
        let m = p("7/22/2025 5:06 PM");
        assert_eq!((m.month, m.day, m.hour), (7, 22, 17));
        assert!(!m.day_month_ambiguous);
    }

    #[test]
    fn abbreviations() {
        let sets: [[&str; 12]; 9] = [
            [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ],
            [
                "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
            ],
            [
                "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez",
            ],
            [
                "janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov",
                "déc",
            ],
            [
                "jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez",
            ],
            [
                "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
            ],
            [
                "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
            ],
            [
                "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
            ],
            [
                "янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
            ],
        ];
        for set in sets {
            for (i, w) in set.iter().enumerate() {
                assert_eq!(month_of(w), Some(i as u8 + 1), "{w}");
            }
        }
        // names are not months
        for w in ["jane", "mark", "marcus", "junior", "augusto", "ottavio"] {
            assert_eq!(month_of(w), None, "{w}");
        }
        assert_eq!(ymdhm(p("10 Mar 2025")), (2025, 3, 10, 0, 0));
        // pipermail's text archives write letters outside ASCII as `?`
        assert_eq!(month_of("m?rz"), Some(3));
        assert_eq!(
            ymdhm(p("Am Mo., 4. M?rz 2019 um 10:12 Uhr")),
            (2019, 3, 4, 10, 12)
        );
        assert_eq!(ymdhm(p("lundi 3 d?cembre 2018")), (2018, 12, 3, 0, 0));
        assert_eq!(
            ymdhm(p("Le dimanche 5 mai 2019 ? 14:44:24 UTC+2")),
            (2019, 5, 5, 14, 44)
        );
        assert_eq!(
            ymdhm(p("pe 20. lokakuuta 2017 klo 17.50")),
            (2017, 10, 20, 17, 50)
        );
        assert_eq!(ymdhm(p("29 грудня 2017 р. о 19:09")), (2017, 12, 29, 19, 9));
        // the earliest complete run wins over one that eats a name
        let (d, r) =
            find_date("Dec 15, 2024, at 2:00 PM, Jane Doe").unwrap_or_else(|| panic!("no date"));
        assert_eq!((d.month, d.day, d.hour), (12, 15, 14));
        assert_eq!(r.start, 0);
    }

    #[test]
    fn march_after_a_weekday_and_before_an_offset() {
        // `mar` is also Spanish/French Tuesday; after `Fri,` and before a
        // time's `:40 -0400` it is March
        assert_eq!(
            ymdhm(p("Fri, 31 Mar 2023 16:51:40 -0400")),
            (2023, 3, 31, 16, 51)
        );
        assert_eq!(
            p("Wed, 30 Mar 2022 16:46:52 -0500").offset_minutes,
            Some(-300)
        );
        assert!(find_date("On Fri, 31 Mar 2023 16:51:40 -0400 Dennis Boos").is_some());
        // still a weekday where it is one
        assert_eq!(ymdhm(p("mar., 22 jul. 2025 17:06")), (2025, 7, 22, 17, 6));
    }

    #[test]
    fn weekday_calc() {
        assert_eq!(weekday_of(2025, 7, 22), 2);
        assert_eq!(weekday_of(2000, 1, 1), 6);
        assert_eq!(weekday_of(2024, 2, 29), 4);
    }
}
