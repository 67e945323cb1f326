//! Line splitting, quote prefixes and per-line features, computed once on
//! each line's fully unquoted content.

use crate::lexicon::*;

pub(crate) const F_BLANK: u32 = 1 << 0;
/// Too long to be anything but prose: no other feature is computed.
pub(crate) const F_LONG: u32 = 1 << 1;
pub(crate) const F_UNDERSCORE_RULE: u32 = 1 << 2;
pub(crate) const F_HASH_RULE: u32 = 1 << 3;
/// `-- ` signature delimiter (or `--`).
pub(crate) const F_SIG_DELIM: u32 = 1 << 4;
pub(crate) const F_FOOTER_START: u32 = 1 << 5;
pub(crate) const F_FOOTER_KW: u32 = 1 << 6;
pub(crate) const F_MAILING_LIST: u32 = 1 << 7;
pub(crate) const F_NOTICE: u32 = 1 << 8;
pub(crate) const F_DISCL_STRONG: u32 = 1 << 9;
pub(crate) const F_DISCL_WEAK: u32 = 1 << 10;
pub(crate) const F_CLASSIFICATION: u32 = 1 << 11;
pub(crate) const F_SCRUB_SEP: u32 = 1 << 12;
pub(crate) const F_SCRUB_LINE: u32 = 1 << 13;
pub(crate) const F_ORIG_SEP: u32 = 1 << 14;
pub(crate) const F_FWD_SEP: u32 = 1 << 15;
pub(crate) const F_ENDS_COLON: u32 = 1 << 16;
pub(crate) const F_INTRO: u32 = 1 << 17;
pub(crate) const F_VERB: u32 = 1 << 18;
pub(crate) const F_GREETING: u32 = 1 << 19;
pub(crate) const F_CLOSING: u32 = 1 << 20;
pub(crate) const F_CLOSING_NAME: u32 = 1 << 21;
pub(crate) const F_DEVICE_SIG: u32 = 1 << 22;
/// Ends like a sentence (`.`, `?`, `!`).
pub(crate) const F_SENTENCE_END: u32 = 1 << 23;
/// A line that is only an address or a URL.
pub(crate) const F_ADDR_OR_URL: u32 = 1 << 24;
/// `---- text ----`: a dashed title line.
pub(crate) const F_DASH_TITLE: u32 = 1 << 25;
/// A rule of dashes, `=` or box-drawing lines (10+), or an em-dash rule.
pub(crate) const F_DASH_RULE: u32 = 1 << 26;

/// Lotus Notes' `----- Forwarded by NAME on DATE -----` (any listed language).
pub(crate) const F_NOTES_FWD: u32 = 1 << 27;

/// GroupWise's `>>> "Doe, Jane" <jd@x.org> 07/22/25 5:06PM >>>`.
pub(crate) const F_GROUPWISE: u32 = 1 << 28;
/// Supercite/ESS's `>>>>> "JD" == Jane Doe <jd@x.org> writes:` (or its first line).
pub(crate) const F_SUPERCITE: u32 = 1 << 29;

/// Lines longer than this (in bytes) get no features.
pub(crate) const LONG_LINE: usize = 1000;

#[derive(Debug, Clone)]
pub(crate) struct Line {
    // byte offsets as u32 to keep a line small (the analysed region is
    // capped well below 4 GiB)
    start: u32,
    end: u32,
    text_end: u32,
    content: u32,
    /// Number of `>` quote markers.
    pub level: u32,
    pub flags: u32,
    /// A header field: index in [`FIELDS`] and absolute offset of its value.
    field: Option<(u16, u32)>,
    pub words: u16,
    pub chars: u16,
}

impl Line {
    pub(crate) fn start(&self) -> usize {
        self.start as usize
    }
    /// End including the line terminator.
    pub(crate) fn end(&self) -> usize {
        self.end as usize
    }
    /// End of the text, before `\r\n` / `\n`.
    pub(crate) fn text_end(&self) -> usize {
        self.text_end as usize
    }
    /// Start of the content after all quote markers and leading whitespace.
    pub(crate) fn content(&self) -> usize {
        self.content as usize
    }
    /// A header field (`From:`, `*De:*`, …), the absolute offset of its
    /// value, and the language the field name hints at.
    pub(crate) fn field(&self) -> Option<(Field, usize, Option<&'static str>)> {
        let (i, off) = self.field?;
        let &(_, kind, lang) = FIELDS.get(usize::from(i))?;
        Some((kind, off as usize, lang))
    }
    pub(crate) fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
    pub(crate) fn blank(&self) -> bool {
        self.flags & F_BLANK != 0
    }
}

/// Split `body` into lines (on `\n`), each with its quote level and features.
pub(crate) fn split_lines(body: &str) -> Vec<Line> {
    let b = body.as_bytes();
    let cites = supercite_prefixes(body);
    let mut out = Vec::new();
    let mut start = 0usize;
    while start < b.len() {
        let nl = b[start..].iter().position(|&c| c == b'\n');
        let (text_end, end) = match nl {
            Some(k) => {
                let e = start + k;
                let te = if e > start && b[e - 1] == b'\r' {
                    e - 1
                } else {
                    e
                };
                (te, e + 1)
            }
            None => (b.len(), b.len()),
        };
        let mut p = start;
        let mut level = 0u32;
        let mut own_marks = 0u32;
        // mbox's escape of a body line starting with "From ": text, unless the
        // lines around it are quoted too
        let escaped = b[start..text_end].starts_with(b">From ")
            && out.last().is_none_or(|l: &Line| l.level == 0)
            && !next_line(b, end).0.starts_with(b">");
        if escaped {
            p += 1;
        }
        loop {
            if escaped {
                break;
            }
            while p < text_end && (b[p] == b' ' || b[p] == b'\t') {
                p += 1;
            }
            // `>>> "Doe, Jane" <jd@x.org> 07/22/25 5:06PM >>>` (GroupWise) and
            // `>>>>> "JD" == Jane Doe <jd@x.org> writes:` (Supercite, ESS) are
            // attribution lines, not quote levels
            if p < text_end && b[p] == b'>' {
                if let Some(kind) = marker_attribution(b, p, text_end, end) {
                    own_marks = kind;
                    break;
                }
            }
            let bar = is_bar_marker(b, p, text_end) && !column_bar(b, &out, start, p, end);
            if p < text_end && (b[p] == b'>' || bar) {
                level = level.saturating_add(1);
                p += 1;
            } else if let Some(n) = cite_prefix(b, p, text_end, &cites) {
                // a Supercite prefix declared in this body (`JD> `)
                level = level.saturating_add(1);
                p += n;
            } else {
                break;
            }
        }
        // quoted-printable tabs and spaces a broken decoder left (`=09From: …`)
        while p + 3 <= text_end && (&b[p..p + 3] == b"=09" || &b[p..p + 3] == b"=20") {
            p += 3;
            while p < text_end && (b[p] == b' ' || b[p] == b'\t') {
                p += 1;
            }
        }
        let mut line = Line {
            start: start as u32,
            end: end as u32,
            text_end: text_end as u32,
            level,
            content: p as u32,
            flags: 0,
            field: None,
            words: 0,
            chars: 0,
        };
        // p and text_end sit next to ASCII bytes, so they are char boundaries
        let t = body.get(p..text_end).unwrap_or("").trim_end();
        features(&mut line, t, p);
        if own_marks != 0 {
            line.flags |= own_marks;
        }
        out.push(line);
        start = end;
    }
    mend_rewrapped_tails(body, &mut out);
    mend_shallow_heads(body, &mut out);
    out
}

/// Gives the first line of a deeper paragraph its level back. Some clients
/// quoting a quote leave the paragraph's first line one `>` short (`> On …,
/// Kasper wrote:` / `>` / `> Thanks. It would be great … In Bioc there are` /
/// `>> multiple packages with CITATION files …`; `> Best,` / `>> Kasper`). Such
/// a head opens a paragraph (a blank line above it), the deeper level goes on
/// right below it, and either its sentence runs on there (a long line that
/// stops mid-sentence, a small letter below) or it is a closing over a name.
/// Only inside a quote: the quoting writer's own words at its margin are left alone.
fn mend_shallow_heads(body: &str, lines: &mut [Line]) {
    let text = |l: &Line| body.get(l.content()..l.text_end()).unwrap_or("").trim();
    for i in 1..lines.len().saturating_sub(1) {
        let (p, l, n) = (&lines[i - 1], &lines[i], &lines[i + 1]);
        if l.level == 0 || n.level != l.level + 1 || l.blank() || n.blank() || !p.blank() {
            continue;
        }
        if p.level > l.level {
            continue;
        }
        let (lt, nt) = (text(l), text(n));
        let runs_on = l.chars >= 55
            && l.flags & (F_SENTENCE_END | F_ENDS_COLON | F_INTRO | F_VERB) == 0
            && nt.chars().next().is_some_and(char::is_lowercase)
            && lt.chars().last().is_some_and(char::is_alphanumeric);
        // a closing over a name that ends the deeper paragraph
        let after = lines.get(i + 2);
        let closing = l.flags & F_CLOSING != 0
            && l.words <= 3
            && n.words <= 3
            && n.flags & F_SENTENCE_END == 0
            && after.is_none_or(|x| x.blank() || x.level != n.level);
        if runs_on || closing {
            lines[i].level = n.level;
        }
    }
}

/// Gives a re-wrapped quoted line's tail back its level. A client that quotes
/// a quote adds a marker and re-wraps the lines that grow too long, so the last
/// word or two of a line land alone on the next line with one `>` fewer
/// (`>> > my package is not` / `>> "falling` / `>> > gracefully".`). Such a
/// tail sits between two lines of the deeper level, the line before it is long
/// and stops mid-sentence, and it goes on with a small letter, a quote mark or
/// a parenthesis: then it belongs to the deeper level. A reply written between
/// quoted lines starts a sentence or follows a finished one, and is left alone.
fn mend_rewrapped_tails(body: &str, lines: &mut [Line]) {
    mend_indented_nested_tails(body.as_bytes(), lines);
    let text = |l: &Line| body.get(l.content()..l.text_end()).unwrap_or("").trim();
    for i in 1..lines.len().saturating_sub(1) {
        let (p, l, n) = (&lines[i - 1], &lines[i], &lines[i + 1]);
        // a token longer than any line (a path in a check log) that a client
        // pushed whole out of its quote: the marker stays alone on the line
        // above, the token keeps the quote's indentation, the quote goes on
        // below (`>` / ` pkg.Rcheck/x-Ex.Rout:/data/…/LLT.h:66:49:` / `>     runtime
        // error: …`); a reply between quoted lines starts at the margin
        if p.level > 0 && p.blank() && l.level + 1 == p.level && n.level == p.level && !n.blank() {
            let lt = text(l);
            let indented = body
                .as_bytes()
                .get(l.start())
                .is_some_and(|c| matches!(c, b' ' | b'\t'));
            if indented && l.words == 1 && l.chars >= 60 && lt.contains('/') {
                lines[i].level = p.level;
                continue;
            }
        }
        // the line after goes on at the deeper level (or, under an attribution,
        // deeper still)
        if p.level == 0 || l.level >= p.level || p.blank() || l.blank() {
            continue;
        }
        // (a tail more than one level up only inside a quote: the quoting
        // client's level)
        if l.level == 0 && l.level + 1 != p.level {
            continue;
        }
        let (pt, lt) = (text(p), text(l));
        // the tail of a wrapped attribution (`> On …, Ivan <` / `ivan at
        // example.org> wrote:`, or `… <mailto:` / `ivan at example.org>> wrote:`),
        // however many markers the wrap lost
        let attribution_tail = (pt.ends_with('<') || pt.ends_with("<mailto:"))
            && l.words <= 6
            && lt.ends_with(':')
            && lt.contains('>')
            && !lt.starts_with('>');
        if attribution_tail {
            lines[i].level = p.level;
            continue;
        }
        // a whole clause pushed down: the quoted line was far longer than any
        // client's width (a robot's one-line paragraph: `> > package x.tar.gz
        // does not pass the incoming checks` / `> automatically, please see the
        // following pre-tests:`), so its tail is long too; it goes on with a
        // small letter from a long line that stops mid-sentence, and the quote
        // goes on below it (one level up, or more inside a quote)
        // (`on the … mailing list:` goes on; `on Monday, X wrote:` does not)
        // (a paragraph that was one line comes back as several such lines,
        // each but the last long)
        let long_stop = F_SIG_DELIM | F_GREETING | F_CLOSING;
        let attribution = F_INTRO | F_VERB;
        let tail_line = |x: &Line| {
            !x.blank() && x.flags & long_stop == 0 && x.flags & attribution != attribution
        };
        let width = usize::from(p.chars) + 1 + usize::from(l.chars) + 2 * p.level as usize;
        let long_tail = (l.words > 3 || l.chars > 30)
            && (l.level >= 1 || l.level + 1 == p.level)
            && p.flags & (F_SENTENCE_END | F_ENDS_COLON) == 0
            && tail_line(l)
            && p.chars >= 55
            && width >= 90
            && lt.chars().next().is_some_and(char::is_lowercase)
            && pt
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == ',');
        if long_tail {
            // the run of such lines, and the deeper level going on below it
            let mut j = i;
            while j - i < 8
                && lines
                    .get(j + 1)
                    .is_some_and(|x| x.level == l.level && tail_line(x) && lines[j].chars >= 55)
            {
                j += 1;
            }
            if lines.get(j + 1).is_some_and(|x| x.level == p.level) {
                let level = p.level;
                for x in &mut lines[i..=j] {
                    x.level = level;
                }
                continue;
            }
        }
        if l.level + 1 != p.level || n.level < p.level {
            // the deeper run's last line, its sentence finished on the next line
            // (`>>   … it's safer to use that than to` / `> try to emulate it.`,
            // then a blank line): the tail closes the deeper writer's sentence
            let closes = n.blank()
                && n.level <= l.level
                && l.words <= 8
                && l.chars <= 50
                && l.flags & F_SENTENCE_END != 0
                && p.flags & (F_SENTENCE_END | F_ENDS_COLON) == 0
                && lt.chars().next().is_some_and(char::is_lowercase)
                && pt.chars().last().is_some_and(char::is_alphanumeric)
                && p.chars >= 60
                && usize::from(p.chars) + 1 + usize::from(l.chars) + 2 * p.level as usize >= 76;
            if closes {
                lines[i].level = p.level;
            }
            continue;
        }
        // a long URL pushed whole onto its own line (`> repo is here:` /
        // `https://…`)
        let bare = lt.trim_start_matches('<');
        // (or a path or any token too long for the line: `pkg.Rcheck/x.Rout:/data/…`)
        let url = l.words == 1
            && (bare.starts_with("https://")
                || bare.starts_with("http://")
                || l.chars >= 24 && lt.contains('/'));
        if url && n.level == p.level {
            lines[i].level = p.level;
            continue;
        }
        if n.level != p.level || p.flags & (F_SENTENCE_END | F_ENDS_COLON) != 0 {
            continue;
        }
        let stop = F_SIG_DELIM | F_VERB | F_INTRO | F_GREETING | F_CLOSING | F_ENDS_COLON;
        if l.flags & stop != 0 || l.words > 3 || l.chars > 30 {
            continue;
        }
        // the whole line was too long for the quoting client's width
        let width = usize::from(p.chars) + 1 + usize::from(l.chars) + 2 * p.level as usize;
        if p.chars < 45 || width < 72 {
            continue;
        }
        // a small letter, a quote mark, a bracket, a digit, `<` of a wrapped
        // address, or a minus before a number (`-1,`); never a bullet's `- `
        let mut cs = lt.chars();
        let goes_on = cs.next().is_some_and(|c| {
            c.is_lowercase()
                || matches!(c, '"' | '\'' | '(' | '“' | '‘' | '<' | '`')
                || c.is_ascii_digit()
                || c == '-' && cs.next().is_some_and(|d| d.is_ascii_digit())
        });
        // or one technical token no reply is made of (`MD5sum`, `OS_type`): a
        // digit, an underscore or a capital inside it
        let token = l.words == 1
            && lt.chars().count() >= 4
            && (lt.chars().any(|c| c.is_ascii_digit() || c == '_')
                || lt.chars().any(char::is_lowercase)
                    && lt.chars().skip(1).any(char::is_uppercase))
            && lt
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        let goes_on = goes_on || token;
        if goes_on {
            lines[i].level = p.level;
        }
    }
}

/// Spaces and tabs right before byte `pos`.
fn ws_before(b: &[u8], pos: usize, floor: usize) -> usize {
    let mut k = 0;
    while pos > floor + k && matches!(b[pos - k - 1], b' ' | b'\t') {
        k += 1;
    }
    k
}

/// How far the last quote marker of a quoted line is indented within the level
/// above it (`>      > Maintainer: …` → 6); None for a line without markers.
fn marker_indent(b: &[u8], l: &Line) -> Option<usize> {
    if l.level == 0 {
        return None;
    }
    let start = l.start as usize;
    let gap = ws_before(b, l.content(), start);
    let marker = l.content().checked_sub(gap + 1)?;
    (marker >= start && b[marker] == b'>').then(|| ws_before(b, marker, start))
}

/// Gmail quoting a quote it rendered as indented text: the deeper level's lines
/// are `>      > Maintainer: Chaofan Huang <10billhuang01 at gmail.com`, and what
/// it re-wrapped lands on the next lines indented but without the inner marker
/// (`>     <mailto:10billhuang01 at gmail.com>>`, `>     implementation for
/// fitting…`). A run of such indented lines between two lines of the deeper,
/// indented level belongs to that level, whatever its length: the quoting
/// writer's own lines start at the margin.
fn mend_indented_nested_tails(b: &[u8], lines: &mut [Line]) {
    const INDENT: usize = 3;
    let mut i = 1;
    while i + 1 < lines.len() {
        let p = &lines[i - 1];
        let l = &lines[i];
        let deeper = p.level;
        if l.level == 0
            || l.level + 1 != deeper
            || l.blank()
            || marker_indent(b, p).is_none_or(|m| m < INDENT)
            || ws_before(b, l.content(), l.start as usize) < INDENT
        {
            i += 1;
            continue;
        }
        // the run of indented lines at the shallower level
        let mut j = i;
        while j < lines.len()
            && lines[j].level == l.level
            && !lines[j].blank()
            && ws_before(b, lines[j].content(), lines[j].start as usize) >= INDENT
        {
            j += 1;
        }
        let closes = lines
            .get(j)
            .is_some_and(|n| n.level >= deeper && marker_indent(b, n).is_some_and(|m| m >= INDENT));
        if closes {
            for x in &mut lines[i..j] {
                x.level = deeper;
            }
        }
        i = j.max(i + 1);
    }
}

/// Which attribution a line starting with `>` at `p` is, if any: GroupWise's
/// `>>> … >>>` (with a date or an address between), or Supercite/ESS's `>>>>> `
/// with `writes:`/`==` on it or `writes:` on the next `>>>>>` line.
fn marker_attribution(b: &[u8], p: usize, te: usize, next: usize) -> Option<u32> {
    let line = &b[p..te];
    let trimmed_end = line.iter().rposition(|c| !c.is_ascii_whitespace())? + 1;
    let line = &line[..trimmed_end];
    if line.len() > 400 {
        return None;
    }
    let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    if line.starts_with(b">>>>> ") || line.starts_with(b">>>>>\t") {
        // a deep quote goes on with `>>>>>` lines; an attribution does not
        let (nline, after) = next_line(b, next);
        let deep = |l: &[u8]| l.starts_with(b">>>>>");
        let rest = line[5..].trim_ascii_start();
        let declared = rest.starts_with(b"\"") && has(rest, b"\" == ");
        if (declared || line.ends_with(b"writes:")) && !deep(nline) {
            return Some(F_SUPERCITE);
        }
        // ESS wraps: `>>>>> Jane Doe <jd@x.org>` / `>>>>>     on DATE writes:`
        if deep(nline) && nline.ends_with(b"writes:") && !deep(next_line(b, after).0) {
            return Some(F_SUPERCITE);
        }
        return None;
    }
    if line.len() > 8 && line.starts_with(b">>> ") && line.ends_with(b" >>>") {
        let mid = &line[4..line.len() - 4];
        if !mid.starts_with(b">") && (mid.contains(&b'@') || has_numeric_date(mid)) {
            return Some(F_GROUPWISE);
        }
    }
    None
}

/// The line starting at `start` (surrounding space off, at most 400 bytes) and
/// where the line after it starts.
fn next_line(b: &[u8], start: usize) -> (&[u8], usize) {
    if start >= b.len() {
        return (&[], b.len());
    }
    let nl = b[start..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |k| start + k);
    let l = b[start..nl.min(start + 400)].trim_ascii();
    (l, (nl + 1).min(b.len()))
}

/// `7/22/25`, `07/22/2025`, `22.07.2025`: digits, a separator, digits, the same
/// separator, digits.
fn has_numeric_date(s: &[u8]) -> bool {
    s.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && matches!(w[1], b'/' | b'.' | b'-')
            && w[2].is_ascii_digit()
            && (w[3] == w[1] && w[4].is_ascii_digit() || w[3].is_ascii_digit() && s.len() > 5)
    }) && s
        .iter()
        .filter(|&&c| c == b'/' || c == b'.' || c == b'-')
        .count()
        >= 2
}

/// The citation prefixes declared by Supercite/ESS attributions in `body`
/// (`>>>>> "JD" == Jane Doe …` declares `JD`). At most 16.
fn supercite_prefixes(body: &str) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    if !body.contains(">>>>>") {
        return out;
    }
    for line in body.lines() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix(">>>>>") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        let Some(q) = rest.find('"') else { continue };
        let cite = &rest[..q];
        let declared = rest[q + 1..].trim_start().starts_with("==");
        if declared
            && (1..=6).contains(&cite.len())
            && cite
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            && !out.iter().any(|c| c == cite.as_bytes())
        {
            out.push(cite.as_bytes().to_vec());
            if out.len() >= 16 {
                break;
            }
        }
    }
    out
}

/// Length of a declared Supercite prefix and its `>` (and one space) at `p`.
fn cite_prefix(b: &[u8], p: usize, te: usize, cites: &[Vec<u8>]) -> Option<usize> {
    if cites.is_empty() {
        return None;
    }
    for c in cites {
        let e = p + c.len();
        if e < te && &b[p..e] == c.as_slice() && b[e] == b'>' {
            let mut n = c.len() + 1;
            if e + 1 < te && b[e + 1] == b' ' {
                n += 1;
            }
            return Some(n);
        }
    }
    None
}

/// Lowercase `s` char by char, keeping every char's UTF-8 length so byte
/// offsets stay valid in the original.
pub(crate) fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mut it = c.to_lowercase();
        match (it.next(), it.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

/// Lowercase with typographic apostrophes folded, for keyword tests only.
pub(crate) fn norm(s: &str) -> String {
    let l = lower(s);
    if l.contains(['’', '‘', '`']) {
        l.replace(['’', '‘', '`'], "'")
    } else {
        l
    }
}

/// The keyword lists a line's words are tested against, one bit each.
const KW_FOOTER_START: u8 = 1;
const KW_FOOTER: u8 = 1 << 1;
const KW_NOTICE: u8 = 1 << 2;
const KW_DISCL_STRONG: u8 = 1 << 3;
const KW_DISCL_WEAK: u8 = 1 << 4;
const KW_VERB: u8 = 1 << 5;

/// Every keyword list in one Aho-Corasick automaton (each pattern with the lists it
/// is in): a line is read once for all of them, where testing each keyword in turn
/// (even behind a bigram filter) was a tenth of quote analysis.
struct Lists {
    matcher: Option<aho_corasick::AhoCorasick>,
    lists_of: Vec<u8>,
}

fn lists() -> &'static Lists {
    static L: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
    L.get_or_init(|| {
        let verbs = VERBS
            .iter()
            .chain(crate::attribution::mangled_verbs())
            .map(|v| v.0);
        let tagged = FOOTER_STARTS
            .iter()
            .map(|&k| (k, KW_FOOTER_START))
            .chain(FOOTER_KWS.iter().map(|&k| (k, KW_FOOTER)))
            .chain(NOTICES.iter().map(|&k| (k, KW_NOTICE)))
            .chain(DISCLAIMER_STRONG.iter().map(|&k| (k, KW_DISCL_STRONG)))
            .chain(DISCLAIMER_WEAK.iter().map(|&k| (k, KW_DISCL_WEAK)))
            .chain(verbs.map(|k| (k, KW_VERB)));
        let mut patterns: Vec<&'static str> = Vec::new();
        let mut lists_of: Vec<u8> = Vec::new();
        for (k, bit) in tagged {
            match patterns.iter().position(|p| *p == k) {
                Some(i) => lists_of[i] |= bit,
                None => {
                    patterns.push(k);
                    lists_of.push(bit);
                }
            }
        }
        Lists {
            // (static patterns: building cannot fail short of a size limit, which
            // would leave every keyword unmatched rather than panic)
            matcher: aho_corasick::AhoCorasick::new(&patterns).ok(),
            lists_of,
        }
    })
}

/// The keyword lists (`KW_*` bits) with a keyword somewhere in `n`: for each list,
/// whether `n.contains(k)` for one of its keywords `k`.
fn keyword_lists(n: &str) -> u8 {
    let kl = lists();
    let Some(m) = &kl.matcher else {
        return 0;
    };
    let mut found = 0u8;
    for hit in m.find_overlapping_iter(n) {
        found |= kl
            .lists_of
            .get(hit.pattern().as_usize())
            .copied()
            .unwrap_or(0);
    }
    found
}

fn starts_with_word(lc: &str, w: &str) -> bool {
    match lc.strip_prefix(w) {
        Some(rest) => rest.chars().next().is_none_or(|c| !c.is_alphanumeric()),
        None => false,
    }
}

pub(crate) fn strip_trailing_punct(s: &str) -> &str {
    s.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | '.' | '!' | ';' | ':' | '-' | '–' | '—' | '،' | '，'
            )
    })
}

fn features(line: &mut Line, t: &str, abs: usize) {
    if t.trim().is_empty() {
        line.flags |= F_BLANK;
        return;
    }
    if t.len() > LONG_LINE {
        line.flags |= F_LONG;
        line.words = u16::MAX;
        line.chars = u16::MAX;
        return;
    }
    let mut f = 0u32;
    let words = t.split_whitespace().count();
    let chars = t.chars().count();
    line.words = words.min(u16::MAX as usize) as u16;
    line.chars = chars.min(u16::MAX as usize) as u16;
    let n = norm(t);
    let n = n.trim();

    // rules
    if t.chars().all(|c| c == '_' || c == '*') && t.chars().filter(|&c| c == '_').count() >= 5 {
        f |= F_UNDERSCORE_RULE;
    }
    if t.chars().all(|c| c == '#' || c == '=' || c == '*') && t.len() >= 10 {
        f |= F_HASH_RULE;
    }
    let tt = t.trim();
    if tt == "--" || tt == "—" || tt == "–" {
        f |= F_SIG_DELIM;
    }
    if tt
        .chars()
        .all(|c| matches!(c, '-' | '=' | '—' | '–' | '─' | '━'))
        && (tt.len() >= 10 || tt.chars().count() >= 3 && !tt.contains(['-', '=']))
    {
        f |= F_DASH_RULE;
    }
    // dashed/underscored separators with a title
    let core = n.trim_matches(|c: char| matches!(c, '-' | '_' | '=' | '*' | ' ' | '–' | '—'));
    let decorated = core.len() + 4 <= n.len();
    if decorated && !core.is_empty() {
        if ORIGINAL_PHRASES
            .iter()
            .any(|p| core == *p || (core.contains(p) && core.len() <= p.len() + 12))
        {
            f |= F_ORIG_SEP;
        }
        if FORWARD_PHRASES
            .iter()
            .any(|p| core.contains(p) && core.len() <= p.len() + 12)
        {
            f |= F_FWD_SEP;
        }
        if SCRUB_SEPS.contains(&core) {
            f |= F_SCRUB_SEP;
        }
        if n.starts_with("--")
            && NOTES_FORWARDED
                .iter()
                .any(|(lead, _, _)| core.starts_with(lead) && core[lead.len()..].starts_with(' '))
        {
            f |= F_NOTES_FWD;
        }
        if n.starts_with("---") && n.ends_with("---") && core.split_whitespace().count() <= 4 {
            f |= F_DASH_TITLE;
        }
    }
    if n == "begin forwarded message:" || n == "begin forwarded message" {
        f |= F_FWD_SEP;
    }
    if SCRUB_LINES.iter().any(|p| n.starts_with(p)) && chars <= 300 {
        f |= F_SCRUB_LINE;
    }
    // list footers
    let kws = keyword_lists(n);
    if kws & KW_FOOTER_START != 0 {
        f |= F_FOOTER_START;
    }
    if kws & KW_FOOTER != 0 {
        f |= F_FOOTER_KW;
    }
    if chars <= 100
        && (n.ends_with("mailing list")
            || n.contains("mailing list --")
            || n.contains("mailing list at "))
    {
        f |= F_MAILING_LIST;
    }
    if words == 1
        && (looks_like_address(t)
            || n.starts_with("http")
            || n.starts_with("<http")
            || n.starts_with("www."))
    {
        f |= F_ADDR_OR_URL;
    }
    if words == 3 && looks_like_pipermail_address(t) {
        f |= F_ADDR_OR_URL;
    }
    // (the banner's words are checked only on a short line that names them)
    if kws & KW_NOTICE != 0 || chars <= 40 && n.contains("external") && gateway_banner(t) {
        f |= F_NOTICE;
    }
    if kws & KW_DISCL_STRONG != 0 {
        f |= F_DISCL_STRONG;
    }
    if kws & KW_DISCL_WEAK != 0 {
        f |= F_DISCL_WEAK;
    }
    if is_classification(t) {
        f |= F_CLASSIFICATION;
    }
    if n.ends_with(':') || n.ends_with('：') {
        f |= F_ENDS_COLON;
    }
    if chars <= 400 {
        if INTROS.iter().any(|p| {
            n.strip_prefix(p)
                .is_some_and(|r| r.starts_with(' ') || r.starts_with('\u{a0}'))
        }) || n.starts_with('在')
        {
            f |= F_INTRO;
        }
        if kws & KW_VERB != 0 {
            f |= F_VERB;
        }
    }
    if n.ends_with('.') || n.ends_with('?') || n.ends_with('!') {
        f |= F_SENTENCE_END;
    }
    // salutations and sign-offs
    if words <= 8 && chars <= 80 {
        let bare = strip_trailing_punct(
            n.trim_end_matches(|c: char| !c.is_alphanumeric() && !c.is_whitespace()),
        );
        if GREETINGS.iter().any(|g| starts_with_word(n, g))
            || ADDRESS_ONLY.contains(&bare)
            || is_name_address(t)
        {
            f |= F_GREETING;
        }
        if CLOSINGS.contains(&bare) {
            f |= F_CLOSING;
        } else if let Some(c) = CLOSINGS
            .iter()
            .filter(|c| starts_with_word(n, c))
            .max_by_key(|c| c.len())
        {
            let rest = strip_trailing_punct(n[c.len()..].trim_start_matches([',', ' ', '-', '–']));
            let rw = rest.split_whitespace().count();
            if (1..=3).contains(&rw)
                && rest.chars().count() <= 40
                && !rest.contains([',', '.', ';', ':', '?'])
                && rest.chars().next().is_some_and(|c| c.is_alphabetic())
                && n[c.len()..].starts_with([',', ' ', '-', '–'])
            {
                f |= F_CLOSING_NAME;
            }
        }
    }
    // "Sent from my …", and the playful variants ("Sent a magnificent torch of
    // pixels", "via mobile"): short, no sentence punctuation
    let bare_sent = words <= 7
        && (n.starts_with("sent ") || n == "via mobile" || n.starts_with("sent via "))
        && !n.ends_with(['.', '!', '?', ':', ',', ';']);
    // (`Sent from Mail <https://go.microsoft.com/fwlink/?LinkId=550986> for`: the
    // link Outlook puts in the line is not part of the phrase)
    let unlinked = if n.contains('<') {
        let mut out = String::with_capacity(n.len());
        let mut depth = 0u32;
        for c in n.chars() {
            match c {
                '<' => depth += 1,
                '>' if depth > 0 => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        n.to_string()
    };
    if words <= 12 && DEVICE_SIGS.iter().any(|d| unlinked.starts_with(d))
        || (words <= 5 && n.starts_with("sent from "))
        || bare_sent
    {
        f |= F_DEVICE_SIG;
    }
    line.flags |= f;
    if chars <= 400 {
        line.field = parse_field_index(t).map(|(i, off)| (i, (abs + off) as u32));
    }
}

/// `Name,` / `Name:` alone on a line (one to three capitalised words).
/// A mail gateway's one-line banner over a mail it let in (`EXTERNAL EMAIL`,
/// `[EXTERNAL]`, `*** External Sender ***`): the whole line, shouted or set
/// off, never the words inside a sentence.
fn gateway_banner(t: &str) -> bool {
    let words: String = t
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let set_off = t.starts_with(['[', '*', '('])
        || t.chars().any(char::is_alphabetic)
            && t.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
    set_off
        && matches!(
            words.as_str(),
            "external"
                | "external email"
                | "external e-mail"
                | "external mail"
                | "external sender"
                | "external message"
                | "caution external email"
                | "warning external email"
        )
}

fn is_name_address(t: &str) -> bool {
    let Some(body) = t.strip_suffix([',', '!']) else {
        return false;
    };
    let ws: Vec<&str> = body.split_whitespace().collect();
    !ws.is_empty()
        && ws.len() <= 3
        && ws.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '.' || c == '\'')
        })
}

fn is_classification(t: &str) -> bool {
    let s = t.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '[' | ']'));
    if s.is_empty() || s.len() > 60 {
        return false;
    }
    let up = s.to_uppercase();
    if up.starts_with("SEC=") || up.starts_with("[SEC=") || t.trim_start().starts_with("[SEC=") {
        return true;
    }
    for p in [
        "CLASSIFICATION:",
        "SECURITY CLASSIFICATION:",
        "SENSITIVITY:",
    ] {
        if up.starts_with(p) && s.len() <= 50 {
            return true;
        }
    }
    // the marking must be written in capitals
    s == up && CLASSIFICATIONS.contains(&s)
}

/// `local@domain.tld`, possibly in `<…>`.
pub(crate) fn looks_like_address(t: &str) -> bool {
    let t = t.trim_matches(|c: char| {
        matches!(
            c,
            '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | '"' | '\''
        )
    });
    let t = t.strip_prefix("mailto:").unwrap_or(t);
    match t.split_once('@') {
        Some((l, d)) => is_local(l) && is_domain(d),
        None => false,
    }
}

fn looks_like_pipermail_address(t: &str) -> bool {
    let ws: Vec<&str> = t.split_whitespace().collect();
    ws.len() == 3
        && ws[1] == "at"
        && is_local(ws[0].trim_start_matches(['<', '(']))
        && is_domain(ws[2].trim_end_matches(['>', ')', ',', ';']))
}

pub(crate) fn is_local(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 64
        && l.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'' | '='))
}

pub(crate) fn is_domain(d: &str) -> bool {
    let d = d.trim_end_matches('.');
    if d.is_empty() || d.len() > 253 || !d.contains('.') {
        return false;
    }
    let labels: Vec<&str> = d.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels
        .iter()
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && tld.chars().count() >= 2
        && (tld.chars().all(|c| c.is_alphabetic() && c.is_lowercase())
            || tld.chars().all(|c| c.is_ascii_uppercase()))
}

/// Recognise a header field line: optional `*`/`_` decoration, a field name
/// from [`FIELDS`], a colon, optional decoration, the value.
/// Returns the kind, the byte offset of the value in `t`, and a language hint.
pub(crate) fn parse_field(t: &str) -> Option<(Field, usize, Option<&'static str>)> {
    let (i, off) = parse_field_index(t)?;
    let &(_, kind, lang) = FIELDS.get(usize::from(i))?;
    Some((kind, off, lang))
}

/// [`parse_field`] returning the index in [`FIELDS`].
fn parse_field_index(t: &str) -> Option<(u16, usize)> {
    let lead = t.len() - t.trim_start_matches(['*', '_', ' ', '\t']).len();
    let rest = &t[lead..];
    let colon = rest
        .char_indices()
        .take(40)
        .find(|&(_, c)| c == ':' || c == '：')
        .map(|(i, c)| (i, c.len_utf8()))?;
    let name = rest[..colon.0].trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    if name.is_empty() || name.split_whitespace().count() > 3 {
        return None;
    }
    let lname = lower(name);
    let idx = FIELDS
        .iter()
        .position(|(n, _, _)| *n == lname)
        .or_else(|| mangled_field(&lname))?;
    let after = &rest[colon.0 + colon.1..];
    let value = after.trim_start_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let off = t.len() - value.len();
    Some((u16::try_from(idx).ok()?, off))
}

/// A field name whose non-ASCII letters and spaces an archiver turned into `?`
/// (pipermail: `De?:` for `De :`, `Envoy??:` for `Envoyé :`): each run of `?`
/// stands for one non-ASCII character, trailing ones for the space before the colon.
fn mangled_field(lname: &str) -> Option<usize> {
    if !lname.contains('?') || !lname.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    fn collapse(s: &str, wild: impl Fn(char) -> bool) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            let c = if wild(c) { '?' } else { c };
            if !(c == '?' && out.ends_with('?')) {
                out.push(c);
            }
        }
        out
    }
    let m = collapse(lname, |c| c == '?');
    let m_trim = m.trim_end_matches('?').trim_end();
    FIELDS.iter().position(|(n, _, _)| {
        let e = collapse(n, |c| !c.is_ascii());
        e == m || e == m_trim
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangled_field_names() {
        fn f(s: &str) -> Option<Field> {
            parse_field(s).map(|(k, _, _)| k)
        }
        assert_eq!(f("De?: Claire Morel"), Some(Field::From));
        assert_eq!(f("Envoy??: mardi 22 juillet 2025 17:06"), Some(Field::Date));
        assert_eq!(f("Objet?: Re: budget"), Some(Field::Subject));
        assert_eq!(f("?: nothing"), None);
        assert_eq!(f("Why?: because"), None);
    }

    #[test]
    fn quote_levels() {
        let body = "a\n> b\n> > c\n>>d\n  > e\r\n>\n";
        let ls = split_lines(body);
        let levels: Vec<u32> = ls.iter().map(|l| l.level).collect();
        assert_eq!(levels, vec![0, 1, 2, 2, 1, 1]);
        assert!(ls[5].blank());
        assert_eq!(&body[ls[4].content()..ls[4].text_end()], "e");
        assert_eq!(ls.last().map(|l| l.end()), Some(body.len()));
    }

    #[test]
    fn fields() {
        fn f(s: &str) -> Option<(Field, &str)> {
            parse_field(s).map(|(k, o, _)| (k, &s[o..]))
        }
        assert_eq!(f("*De:*Blaker, Paul"), Some((Field::From, "Blaker, Paul")));
        assert_eq!(
            f("*From: *Raúl <r at x.org>"),
            Some((Field::From, "Raúl <r at x.org>"))
        );
        assert_eq!(f("**Subject:** hi"), Some((Field::Subject, "hi")));
        assert_eq!(f("Envoyé : lundi"), Some((Field::Date, "lundi")));
        assert_eq!(f("Кому: Иван"), Some((Field::To, "Иван")));
        assert_eq!(f("Note: this"), None);
    }

    #[test]
    fn flags() {
        let l = |s: &str| split_lines(s).remove(0);
        assert!(l("OFFICIAL").has(F_CLASSIFICATION));
        assert!(!l("Official").has(F_CLASSIFICATION));
        assert!(l("[SEC=UNOFFICIAL]").has(F_CLASSIFICATION));
        assert!(l("best, parminder").has(F_CLOSING_NAME));
        assert!(l("Best,").has(F_CLOSING));
        assert!(!l("Thanks, Paul, for bringing up how the CSTD").has(F_CLOSING_NAME));
        assert!(l("Hi all").has(F_GREETING));
        assert!(l("-----Original Message-----").has(F_ORIG_SEP));
        assert!(l("---------- Forwarded message ---------").has(F_FWD_SEP));
        assert!(l("-------------- next part --------------").has(F_SCRUB_SEP));
        assert!(l("WG-Strategy at intgovforum.org").has(F_ADDR_OR_URL));
        assert!(l("-- ").has(F_SIG_DELIM));
    }
}

/// `| ` as a quote marker (some clients and people quote with a bar, as in
/// `| I would like to submit a package`): a `|` followed by a space or the line
/// end, with no other `|` on the line (so table rows are not quotes).
pub(crate) fn is_bar_marker(b: &[u8], p: usize, text_end: usize) -> bool {
    if !(p < text_end
        && b[p] == b'|'
        && (p + 1 == text_end || b[p + 1] == b' ' || b[p + 1] == b'\t'))
    {
        return false;
    }
    // the markers of deeper levels may follow (`| > | Thank you`): no other `|`
    // after the whole chain of markers
    let mut q = p + 1;
    loop {
        while q < text_end && (b[q] == b' ' || b[q] == b'\t') {
            q += 1;
        }
        let marker = q < text_end
            && (b[q] == b'>' || b[q] == b'|')
            && (q + 1 == text_end || matches!(b[q + 1], b' ' | b'\t' | b'>'));
        if !marker {
            break;
        }
        q += 1;
    }
    !b[q..text_end].contains(&b'|')
}

/// Whether the `|` at `p` on the line starting at `start` (the next line starts
/// at `next`) is a column of ASCII art or a table rather than a quote marker:
/// a line above or below (up to two) has a `|` in the same column with text
/// (not quote markers) before it (`  Twisted   |  Christopher Armstrong` / `            |  Release
/// Manager`).
fn column_bar(b: &[u8], above: &[Line], start: usize, p: usize, next: usize) -> bool {
    let col = p - start;
    let has_column = |ls: usize, le: usize| {
        ls + col < le
            && b[ls + col] == b'|'
            && b[ls..ls + col]
                .iter()
                .any(|c| !c.is_ascii_whitespace() && !matches!(c, b'>' | b'|'))
    };
    if above
        .iter()
        .rev()
        .take(2)
        .any(|l| has_column(l.start as usize, l.text_end as usize))
    {
        return true;
    }
    let mut ls = next;
    for _ in 0..2 {
        if ls >= b.len() {
            break;
        }
        let le = b[ls..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |k| ls + k);
        if has_column(ls, le) {
            return true;
        }
        ls = le + 1;
    }
    false
}

#[cfg(test)]
mod bar_marker_tests {
    use super::is_bar_marker;

    #[test]
    fn bar_quotes_but_not_tables() {
        let q = b"| I would like to submit";
        assert!(is_bar_marker(q, 0, q.len()));
        let empty = b"|";
        assert!(is_bar_marker(empty, 0, empty.len()));
        let table = b"| col a | col b |";
        assert!(!is_bar_marker(table, 0, table.len()));
        let pipe = b"|x";
        assert!(!is_bar_marker(pipe, 0, pipe.len()));
        // nested bar quoting: the markers of deeper levels follow
        let nested = b"| > | Thank you, it stings a bit";
        assert!(is_bar_marker(nested, 0, nested.len()));
        let row = b"| > a | b";
        assert!(!is_bar_marker(row, 0, row.len()));
    }

    #[test]
    fn an_ascii_art_column_is_no_quote() {
        let body = "Glad it works.\n\n-- \n  Twisted   |  Ada Brook: Wizard of Twistery\n   Radix    |    -- http://radix.example.org\n            |  Release Manager, Twisted Project\n  \\\\\\V///   |    -- http://example.org\n";
        let lines = super::split_lines(body);
        assert!(lines.iter().all(|l| l.level == 0), "{lines:?}");
        let a = crate::analyze(body);
        assert_eq!(a.messages.len(), 1, "{:#?}", a.messages);
    }

    #[test]
    fn bar_quoted_reply_is_recovered() {
        let body = "On 22 May 2015, Jane Doe wrote:\n| I would like to submit a package to CRAN\n| with a vignette.\n\nYou can use drat for that.\n";
        let a = crate::analyze(body);
        assert_eq!(a.messages.len(), 2);
        assert!(a.messages[1].text.starts_with("I would like to submit"));
        assert!(a.messages[0].text.contains("You can use drat"));
        assert!(!a.messages[1].text.contains("drat"));
    }
}
