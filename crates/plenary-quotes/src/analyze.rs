//! The analysis proper: views over the body's lines, the scan that splits a
//! message into its own lines, attributions and quoted messages, the
//! recursion into quoted messages, and the classification of each message's
//! own lines into zones.

use crate::attribution::{
    fallback, first_name, gateway, groupwise, header_attribution, notes_forwarded, notes_sender_ok,
    on_wrote, on_wrote_with, supercite, who_and_date, Block,
};
use crate::lexicon::Field;
use crate::lines::*;
use crate::{Analysis, Attribution, AttributionStyle, Options, QuotedMessage, Zone, ZoneKind};

/// A line as seen by one view: its index and where its content starts once
/// this view's quote markers are stripped.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VLine {
    idx: u32,
    cs: u32,
}

impl VLine {
    fn new(idx: usize, cs: usize) -> Self {
        // both fit: the analysed region is capped below u32::MAX bytes
        VLine {
            idx: idx as u32,
            cs: cs as u32,
        }
    }
    fn idx(self) -> usize {
        self.idx as usize
    }
    fn cs(self) -> usize {
        self.cs as usize
    }
}

/// The lines of one message under analysis: a few slices of lines (a quoted
/// message's chunks, or what is left after an interleaved reply was taken
/// out), all with `strip` quote levels removed.
#[derive(Debug, Clone)]
pub(crate) struct View<'v> {
    chunks: Vec<&'v [VLine]>,
    offs: Vec<usize>,
    len: usize,
    strip: u32,
}

impl<'v> View<'v> {
    fn new(chunks: Vec<&'v [VLine]>, strip: u32) -> Self {
        let chunks: Vec<&'v [VLine]> = chunks.into_iter().filter(|c| !c.is_empty()).collect();
        let mut offs = Vec::with_capacity(chunks.len());
        let mut len = 0;
        for c in &chunks {
            offs.push(len);
            len += c.len();
        }
        View {
            chunks,
            offs,
            len,
            strip,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn at(&self, i: usize) -> Option<VLine> {
        if i >= self.len {
            return None;
        }
        let c = match self.offs.binary_search(&i) {
            Ok(c) => c,
            Err(c) => c.checked_sub(1)?,
        };
        self.chunks.get(c)?.get(i - self.offs[c]).copied()
    }

    /// Lines `[a, b)`.
    fn slice(&self, a: usize, b: usize) -> View<'v> {
        let b = b.min(self.len);
        let mut out = Vec::new();
        for (c, chunk) in self.chunks.iter().enumerate() {
            let s = self.offs[c];
            let e = s + chunk.len();
            let lo = a.max(s);
            let hi = b.min(e);
            if lo < hi {
                out.push(&chunk[lo - s..hi - s]);
            }
        }
        View::new(out, self.strip)
    }

    /// All lines but `[a, b)`.
    fn without(&self, a: usize, b: usize) -> View<'v> {
        let mut left = self.slice(0, a);
        let right = self.slice(b, self.len);
        let mut chunks = std::mem::take(&mut left.chunks);
        chunks.extend(right.chunks);
        View::new(chunks, self.strip)
    }

    fn iter(&self) -> impl Iterator<Item = VLine> + '_ {
        self.chunks.iter().flat_map(|c| c.iter().copied())
    }
}

/// What [`Ctx::read_fields`] read.
struct FieldsRead {
    /// The view line after the last field or continuation.
    end: usize,
    nfields: usize,
    seen_from: bool,
    has_other: bool,
}

/// One attribution found in a view: lines `[start, end)`.
struct Detected {
    start: usize,
    end: usize,
    attr: Attribution,
    /// May own the unquoted text below it (Outlook style, or "On … wrote:"
    /// with a date or address); weak ones need a `>` quote right after.
    strong: bool,
}

enum Spec<'v> {
    Marked {
        attr: Option<Attribution>,
        attr_lines: Vec<usize>,
        ranges: Vec<(usize, usize)>,
    },
    Unmarked {
        attr: Attribution,
        attr_lines: Vec<usize>,
        view: View<'v>,
        interleaved: bool,
    },
    /// Under an attribution, quoted by indentation alone (an HTML blockquote
    /// rendered as text), the writer's answers flush between the blocks.
    Indented {
        attr: Attribution,
        attr_lines: Vec<usize>,
        ranges: Vec<(usize, usize)>,
    },
}

/// How a quoted message was found in the one quoting it.
#[derive(Default, Clone, Copy)]
struct Shape {
    /// Its lines are interleaved with the quoter's replies.
    interleaved: bool,
    /// It came under an "On … wrote:" line and `>` marks.
    marks_quotes: bool,
}

struct MsgBuild {
    depth: u32,
    parent: Option<usize>,
    attribution: Option<Attribution>,
    interleaved: bool,
    /// Reached through `>` marks under an "On … wrote:" line: the writer's client
    /// marks what it quotes.
    marks_quotes: bool,
    text: String,
    signature: Option<String>,
}

struct Ctx<'a> {
    body: &'a str,
    lines: Vec<Line>,
    /// Per line: its kind and the message it belongs to.
    assign: Vec<(ZoneKind, u32)>,
    msgs: Vec<MsgBuild>,
    opts: &'a Options,
    footers: Vec<Vec<String>>,
    /// The author's learned signature blocks, as `footers`.
    signatures: Vec<Vec<String>>,
}

/// A line that says quoted text was cut here: `<snip>`, `[snip]`, `*snip*`,
/// `[...]`, `<…>`.
fn is_snip_marker(t: &str) -> bool {
    // `[snip long, painful discussion between A and B]`: a bracketed note
    // that starts with "snip"
    let lt = t.trim().to_ascii_lowercase();
    if t.chars().count() <= 160
        && [
            ("[snip", ']'),
            ("<snip", '>'),
            ("(snip", ')'),
            ("*snip", '*'),
        ]
        .iter()
        .any(|(open, close)| lt.starts_with(open) && lt.ends_with(*close))
    {
        return true;
    }
    if t.chars().count() > 16 {
        return false;
    }
    let core = t
        .trim_matches(|c: char| "<>[](){}*-_ =".contains(c))
        .to_ascii_lowercase();
    matches!(
        core.as_str(),
        "snip" | "snipped" | "snipped text" | "..." | "…" | "cut"
    )
}

/// Strip one quote level (`>` and one following space) from a line's content.
fn strip_one(b: &[u8], cs: usize, te: usize) -> usize {
    let mut p = cs;
    while p < te && (b[p] == b' ' || b[p] == b'\t') {
        p += 1;
    }
    if p < te && (b[p] == b'>' || crate::lines::is_bar_marker(b, p, te)) {
        p += 1;
        if p < te && b[p] == b' ' {
            p += 1;
        }
        p
    } else {
        // a Supercite prefix (`JD> `): only called on lines with a level left,
        // and split_lines counted nothing else as a level
        let mut q = p;
        while q < te && q < p + 6 && (b[q].is_ascii_alphanumeric() || b[q] == b'-' || b[q] == b'_')
        {
            q += 1;
        }
        if q > p && q < te && b[q] == b'>' {
            q += 1;
            if q < te && b[q] == b' ' {
                q += 1;
            }
            q
        } else {
            cs
        }
    }
}

pub(crate) fn run(body: &str, opts: &Options) -> Analysis {
    // analyse at most max_bytes, cut on a line boundary
    // offsets are stored as u32
    let max_bytes = opts.max_bytes.min(u32::MAX as usize - 1);
    let (region, truncated) = if body.len() > max_bytes {
        let cut = body.as_bytes()[..max_bytes]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        (&body[..cut], true)
    } else {
        (body, false)
    };
    let lines = split_lines(region);
    let blocks = |v: &[String]| -> Vec<Vec<String>> {
        v.iter()
            .take(16)
            .map(|f| {
                f.lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .take(60)
                    .collect::<Vec<_>>()
            })
            .filter(|f| f.len() >= 2)
            .collect()
    };
    let footers = blocks(&opts.footers);
    let signatures = blocks(&opts.signatures);
    let mut ctx = Ctx {
        body: region,
        assign: vec![(ZoneKind::NewText, 0); lines.len()],
        lines,
        msgs: Vec::new(),
        opts,
        footers,
        signatures,
    };
    let top: Vec<VLine> = ctx
        .lines
        .iter()
        .enumerate()
        .map(|(idx, l)| VLine::new(idx, l.start()))
        .collect();
    let view = View::new(vec![&top[..]], 0);
    ctx.analyze_message(view, 0, None, None, &[], Shape::default());

    // zones
    let mut zones: Vec<Zone> = Vec::new();
    for (i, l) in ctx.lines.iter().enumerate() {
        let (kind, message) = ctx.assign[i];
        let message = message as usize;
        let depth = ctx.msgs.get(message).map_or(0, |m| m.depth);
        if let Some(z) = zones.last_mut() {
            if z.kind == kind
                && z.message == message
                && z.quote_level == l.level
                && z.end == l.start()
            {
                z.end = l.end();
                continue;
            }
        }
        zones.push(Zone {
            start: l.start(),
            end: l.end(),
            kind,
            depth,
            quote_level: l.level,
            message,
        });
    }
    if truncated && region.len() < body.len() {
        zones.push(Zone {
            start: region.len(),
            end: body.len(),
            kind: ZoneKind::NewText,
            depth: 0,
            quote_level: 0,
            message: 0,
        });
    }

    // "…, you wrote:" in the top message: the top message's addressee
    if let Some(to) = opts.addressee.as_deref() {
        let who = crate::attribution::parse_who(to);
        for m in ctx.msgs.iter_mut().filter(|m| m.parent == Some(0)) {
            if let Some(a) = m.attribution.as_mut() {
                let lr = lower(&a.raw);
                if a.name.is_none()
                    && a.address.is_none()
                    && (lr.contains(" you wrote") || lr.contains(" you write"))
                {
                    a.name.clone_from(&who.name);
                    a.normalized_name.clone_from(&who.normalized);
                    a.address.clone_from(&who.address);
                }
            }
        }
    }

    // dd/mm resolution against the quoting message's date
    let mut dates: Vec<Option<crate::LocalDateTime>> = Vec::with_capacity(ctx.msgs.len());
    for i in 0..ctx.msgs.len() {
        // the nearest quoting message with a known date: a quote is older than
        // every message quoting it, dated or not (an unattributed quote between)
        let mut reference = None;
        let mut up = ctx.msgs[i].parent;
        while let Some(p) = up {
            if let Some(d) = dates.get(p).copied().flatten() {
                reference = Some(d);
                break;
            }
            up = ctx.msgs.get(p).and_then(|m| m.parent).filter(|&q| q < p);
        }
        let own = if i == 0 {
            opts.date
        } else {
            ctx.msgs[i].attribution.as_ref().and_then(|a| a.date)
        };
        let resolved = match (own, reference) {
            (Some(d), Some(r)) if d.day_month_ambiguous => Some(d.resolve_day_month(&r)),
            (d, _) => d,
        };
        if i > 0 {
            if let (Some(a), Some(d)) = (ctx.msgs[i].attribution.as_mut(), resolved) {
                a.date = Some(d);
            }
        }
        dates.push(resolved);
    }

    let messages = ctx
        .msgs
        .into_iter()
        .map(|m| QuotedMessage {
            depth: m.depth,
            parent: m.parent,
            attribution: m.attribution,
            text: m.text,
            signature: m.signature,
            interleaved: m.interleaved,
        })
        .collect();
    Analysis {
        zones,
        messages,
        truncated,
    }
}

impl<'a> Ctx<'a> {
    fn set(&mut self, idx: usize, kind: ZoneKind, message: usize) {
        if let Some(a) = self.assign.get_mut(idx) {
            // there are fewer messages than lines, and lines fit in u32
            *a = (kind, message as u32);
        }
    }

    fn line(&self, vl: VLine) -> &Line {
        &self.lines[vl.idx()]
    }

    fn lvl(&self, v: &View, vl: VLine) -> u32 {
        self.lines[vl.idx()].level.saturating_sub(v.strip)
    }

    /// Fully unquoted, trimmed content (the view content of a level-0 line).
    fn trimmed(&self, vl: VLine) -> &'a str {
        let l = &self.lines[vl.idx()];
        self.body
            .get(l.content()..l.text_end())
            .unwrap_or("")
            .trim()
    }

    /// The line's text in its view (this view's markers stripped).
    fn view_text(&self, vl: VLine) -> &'a str {
        let l = &self.lines[vl.idx()];
        self.body
            .get(vl.cs()..l.text_end())
            .unwrap_or("")
            .trim_end()
    }

    fn level0(&self, v: &View, i: usize) -> Option<VLine> {
        let vl = v.at(i)?;
        (self.lvl(v, vl) == 0).then_some(vl)
    }

    fn next_nonblank(&self, v: &View, from: usize, max: usize) -> Option<usize> {
        (from..v.len().min(from.saturating_add(max)))
            .find(|&k| v.at(k).is_some_and(|vl| !self.line(vl).blank()))
    }

    /// A `>` run starting at `i`: quote lines and the blank lines between them.
    fn quote_run(&self, v: &View, i: usize) -> (usize, usize) {
        let mut last = i;
        let mut k = i + 1;
        while let Some(vl) = v.at(k) {
            if self.lvl(v, vl) >= 1 {
                last = k;
            } else if !self.line(vl).blank() {
                break;
            }
            k += 1;
        }
        (i, last + 1)
    }

    /// Where a forward set inside the text ends: a closing line (`----- End
    /// forwarded message -----`), or the rule that opened it repeated (`===`
    /// above the forwarded header, `===` below its last line). None when the
    /// forward runs to the end, as most do.
    fn forward_end(&self, v: &View, start: usize, from: usize) -> Option<usize> {
        let closing = |t: &str| {
            let words: String = t
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            t.chars()
                .filter(|c| matches!(c, '-' | '=' | '*' | '_'))
                .count()
                >= 3
                && matches!(
                    words.as_str(),
                    "end forwarded message"
                        | "end of forwarded message"
                        | "end of forwarded e-mail"
                        | "end of forwarded email"
                        | "end of original message"
                        | "end original message"
                        | "end of message"
                )
        };
        let rule = |t: &str| {
            t.chars().count() >= 3
                && t.chars()
                    .all(|c| matches!(c, '=' | '-' | '*' | '_' | '#' | '~'))
        };
        // the rule right above the forwarded header, if any
        let opener = (0..start)
            .rev()
            .filter_map(|k| v.at(k))
            .find(|x| !self.line(*x).blank())
            .filter(|x| self.lvl(v, *x) == 0)
            .map(|x| self.trimmed(x))
            .filter(|t| rule(t));
        (from..v.len()).find(|&k| {
            v.at(k).is_some_and(|x| {
                let t = self.trimmed(x);
                self.lvl(v, x) == 0 && (closing(t) || opener.is_some_and(|o| o == t))
            })
        })
    }

    /// Whether the nearest non-blank line above `i` is pipermail's `An embedded
    /// message was scrubbed...`.
    fn embedded_stub_above(&self, v: &View, i: usize) -> bool {
        (0..i)
            .rev()
            .filter_map(|k| v.at(k))
            .find(|x| !self.line(*x).blank())
            .is_some_and(|x| lower(self.trimmed(x)).contains("embedded message was scrubbed"))
    }

    // ------------------------------------------------------------ detection

    fn detect(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        let l = self.line(vl);
        if l.blank() {
            return self.detect_unmarked(v, i);
        }
        if l.has(F_LONG) {
            return None;
        }
        self.detect_header(v, i)
            .or_else(|| self.detect_notes_forward(v, i))
            .or_else(|| self.detect_notes_block(v, i))
            .or_else(|| self.detect_notes_columns(v, i))
            .or_else(|| self.detect_marked_attribution(v, i))
            .or_else(|| self.detect_on_wrote(v, i).map(|d| self.absorb_header(v, d)))
            .or_else(|| self.detect_gateway(v, i))
            .or_else(|| self.detect_fallback(v, i))
            .or_else(|| self.detect_name_colon(v, i))
    }

    /// Yahoo writes "--- On … wrote:" and then the same message's own `From:` /
    /// `Subject:` / `Date:` block: one message, not two. The block joins the
    /// attribution when its sender is the attribution's.
    fn absorb_header(&self, v: &View, mut d: Detected) -> Detected {
        let Some(nb) = self.next_nonblank(v, d.end, 4) else {
            return d;
        };
        let Some(h) = self.detect_header(v, nb) else {
            return d;
        };
        let same_address =
            matches!((&d.attr.address, &h.attr.address), (Some(a), Some(b)) if a == b);
        let same_name = matches!(
            (&d.attr.normalized_name, &h.attr.normalized_name),
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b)
        );
        if !(same_address || same_name) || h.attr.style != AttributionStyle::HeaderBlock {
            return d;
        }
        let a = &mut d.attr;
        a.subject = a.subject.take().or(h.attr.subject);
        if a.date.is_none() {
            a.date = h.attr.date;
            a.date_text = h.attr.date_text;
        }
        if a.to.is_empty() {
            a.to = h.attr.to;
        }
        if a.cc.is_empty() {
            a.cc = h.attr.cc;
        }
        a.raw = format!("{}\n{}", a.raw, h.attr.raw);
        d.end = h.end;
        d.strong = true;
        d
    }

    /// Top-posting from a phone: new text, a device signature ("Sent from my …"), a
    /// blank line (at `i`), then the original as plain prose with no quote markers and no
    /// attribution. The blank line stands for the missing attribution.
    fn detect_unmarked(&self, v: &View, i: usize) -> Option<Detected> {
        let sig = self.level0(v, i.checked_sub(1)?)?;
        if !self.line(sig).has(F_DEVICE_SIG) {
            return None;
        }
        // own text above the signature
        let above = (0..i - 1).any(|k| {
            self.level0(v, k)
                .is_some_and(|x| !self.line(x).blank() && !self.line(x).has(F_DEVICE_SIG))
        });
        let nb = self.next_nonblank(v, i + 1, 3)?;
        let first = self.level0(v, nb)?;
        // an attribution right below owns what follows
        if !above || self.line(first).has(F_DEVICE_SIG) || self.detect(v, nb).is_some() {
            return None;
        }
        // the rest must be prose, not a footer, disclaimer, signature or quote
        let not_prose = F_FOOTER_START
            | F_FOOTER_KW
            | F_MAILING_LIST
            | F_NOTICE
            | F_DISCL_STRONG
            | F_DISCL_WEAK
            | F_CLASSIFICATION
            | F_SCRUB_SEP
            | F_SCRUB_LINE
            | F_SIG_DELIM
            | F_UNDERSCORE_RULE
            | F_DASH_RULE
            | F_ADDR_OR_URL;
        let mut words = 0usize;
        for k in nb..v.len() {
            let x = v.at(k)?;
            let l = self.line(x);
            if self.lvl(v, x) > 0 || l.has(not_prose) {
                return None;
            }
            words += usize::from(l.words);
        }
        if words < 2 {
            return None;
        }
        Some(Detected {
            start: i,
            end: i + 1,
            attr: Attribution {
                raw: String::new(),
                name: None,
                normalized_name: None,
                address: None,
                via_list: None,
                date: None,
                date_text: None,
                subject: None,
                to: Vec::new(),
                cc: Vec::new(),
                style: AttributionStyle::Unmarked,
                language: None,
            },
            strong: true,
        })
    }

    /// The line is an `Author:` field.
    fn author_field(&self, vl: VLine) -> bool {
        lower(self.trimmed(vl).trim_start_matches(['*', '_']))
            .strip_prefix("author")
            .is_some_and(|r| r.trim_start().starts_with(':'))
    }

    /// A `From:` field within the two field lines after line `i` (all fields).
    fn sender_field_follows(&self, v: &View, i: usize) -> bool {
        for k in i + 1..i + 3 {
            let Some(n) = self.level0(v, k) else {
                return false;
            };
            match self.line(n).field() {
                Some((Field::From, _, _)) => return !self.author_field(n),
                Some(_) => {}
                None => return false,
            }
        }
        false
    }

    fn detect_header(&self, v: &View, i: usize) -> Option<Detected> {
        let l0 = self.line(self.level0(v, i)?);
        // pipermail's stub for a scrubbed message/rfc822 part (`An embedded
        // message was scrubbed...` over its From/Subject/Date/Size/URL): the
        // message is not there, only its headers
        if self.embedded_stub_above(v, i) {
            return None;
        }
        let mut style = AttributionStyle::HeaderBlock;
        let mut sep = false;
        let mut lead_field = false;
        let mut j = i;
        if l0.has(F_ORIG_SEP) {
            style = AttributionStyle::OriginalMessage;
            sep = true;
            j += 1;
        } else if l0.has(F_FWD_SEP) {
            style = AttributionStyle::Forwarded;
            sep = true;
            j += 1;
        } else if l0.has(F_UNDERSCORE_RULE) || l0.has(F_DASH_RULE) {
            j += 1;
        } else {
            match l0.field() {
                // cc:Mail's `Author:` only under its `Reply Separator` (a
                // commit's `Author:` / `Date:` pasted into a mail is no header)
                Some((Field::From, _, _)) if self.author_field(self.level0(v, i)?) => return None,
                Some((Field::From, _, _)) => {}
                // `Message du : …` / `Date: …` right above `De : …`; Hotmail's
                // `Subject:` / `From:` / `To:` / `Date:` order
                Some(_) if self.sender_field_follows(v, i) => lead_field = true,
                _ => return None,
            }
        }
        if j > i {
            let mut blanks = 0;
            while let Some(vl) = self.level0(v, j) {
                if !self.line(vl).blank() || blanks >= 2 {
                    break;
                }
                blanks += 1;
                j += 1;
            }
        }
        let mut block = Block::default();
        let r = self.read_fields(
            v,
            j,
            |kind, k| kind == Field::From || sep || (lead_field && k == i),
            &mut block,
        );
        let (nfields, seen_from, has_other) = (r.nfields, r.seen_from, r.has_other);
        let mut end = r.end;
        // Notes writes the date into the sender line and may give no other field:
        // `From: Joe Hart@ACME on 03/21/2001 10:46 AM`
        let notes_from = nfields == 1
            && seen_from
            && block.from.as_deref().is_some_and(|f| {
                let lf = lower(f);
                lf.contains(" on ")
                    && crate::date::find_date(f).is_some_and(|(d, _)| d.has_time)
                    && notes_sender_ok(f)
            });
        // a git format-patch pasted into the message (`From <sha> Mon Sep 17 …`,
        // `Subject: [PATCH …]`) is the writer's own text, not a quoted message
        let patch_from = i
            .checked_sub(1)
            .and_then(|k| self.level0(v, k))
            .is_some_and(|x| crate::code::is_patch_from(self.trimmed(x)));
        let patch_subject = block.subject.as_deref().is_some_and(|s| {
            let s = s.trim_start();
            s.starts_with("[PATCH") || s.starts_with("[RFC PATCH")
        });
        if !sep && (patch_from || patch_subject) {
            return None;
        }
        let valid_fields = seen_from && (nfields >= 2 && has_other || notes_from);
        if !valid_fields {
            if !sep {
                return None;
            }
            if nfields == 0 {
                end = i + 1;
            }
        }
        let raw = (i..end)
            .filter_map(|k| v.at(k))
            .map(|vl| self.trimmed(vl))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Detected {
            start: i,
            end,
            attr: header_attribution(raw.trim().to_string(), block, style),
            strong: true,
        })
    }

    /// Read the fields of a header block from line `j`: `first_ok` says whether a
    /// field of that kind at that line may open the block. Blank lines between
    /// fields (up to six, as Notes and some Outlook renderings write them), wrapped
    /// values and a date alone on the line after `From:` are read too.
    fn read_fields(
        &self,
        v: &View,
        j: usize,
        first_ok: impl Fn(Field, usize) -> bool,
        block: &mut Block,
    ) -> FieldsRead {
        let mut r = FieldsRead {
            end: j,
            nfields: 0,
            seen_from: false,
            has_other: false,
        };
        let mut last: Option<Field> = None;
        // the width of the last field's line, and whether its value took a
        // wrapped line already
        let (mut last_chars, mut wrapped) = (0usize, false);
        let mut k = j;
        while k < v.len() && k < j + 60 {
            let Some(vl) = self.level0(v, k) else { break };
            let l = self.line(vl);
            if l.blank() {
                if r.nfields == 0 {
                    break;
                }
                // blank lines between fields, then a field of the same block
                let next = (k + 1..k + 7)
                    .find(|&x| self.level0(v, x).is_none_or(|n| !self.line(n).blank()));
                let next_is_field = next.and_then(|x| self.level0(v, x)).is_some_and(|n| {
                    let nl = self.line(n);
                    match nl.field() {
                        Some((f, _, _)) => f != Field::From,
                        // `From: "Doe, Jane" <jd@x.com>` / blank / `[mailto:…`
                        None => {
                            let t = self.trimmed(n);
                            last.is_some_and(|f| matches!(f, Field::From | Field::To | Field::Cc))
                                && t.starts_with(['[', '<'])
                                && lower(t).contains("mailto:")
                        }
                    }
                });
                match next {
                    Some(x) if next_is_field => {
                        k = x;
                        continue;
                    }
                    _ => break,
                }
            }
            if let Some((kind, voff, lang)) = l.field() {
                if r.nfields == 0 && !first_ok(kind, k) {
                    break;
                }
                if kind == Field::From && r.seen_from {
                    break;
                }
                let value = self.body.get(voff..l.text_end()).unwrap_or("");
                block.set(kind, value, lang);
                r.nfields += 1;
                r.seen_from |= kind == Field::From;
                r.has_other |= matches!(kind, Field::Date | Field::To | Field::Subject);
                last = Some(kind);
                (last_chars, wrapped) = (usize::from(l.chars), false);
                k += 1;
                r.end = k;
                continue;
            }
            if let Some(f) = last {
                let t = self.trimmed(vl);
                // a field whose name was all non-ASCII, mangled to `??:` (`À :`)
                let qs = t.trim_start_matches('?');
                if qs.len() < t.len() && qs.trim_start().starts_with(':') && t.len() - qs.len() <= 4
                {
                    last = Some(Field::Other);
                    k += 1;
                    r.end = k;
                    continue;
                }
                if let Some(x) = self.wrapped_value(v, k, f) {
                    for y in k..x {
                        if let Some(w) = self.level0(v, y) {
                            block.append(f, self.trimmed(w));
                        }
                    }
                    k = x;
                    r.end = k;
                    continue;
                }
                // `From:  Julie Gibson <jg@x.com>` then `08/28/2000 05:28 PM` (Notes)
                if f == Field::From && block.date.is_none() && is_date_line(t) {
                    block.set(Field::Date, t, None);
                    r.nfields += 1;
                    r.has_other = true;
                    last = Some(Field::Date);
                    k += 1;
                    r.end = k;
                    continue;
                }
                if is_continuation(t, f, l) {
                    block.append(f, t);
                    k += 1;
                    r.end = k;
                    continue;
                }
                // `Subject: [External] Re: [R-pkg-devel] S3 generic/method consistency`
                // / `warning for formula method`, then the blank line before the body:
                // a long subject wrapped once (the first word would not have fit)
                if f == Field::Subject && !wrapped && self.subject_tail(v, k, last_chars) {
                    block.append(f, t);
                    wrapped = true;
                    k += 1;
                    r.end = k;
                    continue;
                }
                // `… On Behalf Of Mike C.` / `Fletcher`: the sender's name
                // wrapped, a field right below
                let behalf = block
                    .from
                    .as_deref()
                    .is_some_and(|x| lower(x).contains("behalf of "));
                if f == Field::From
                    && behalf
                    && l.words <= 3
                    && !t.ends_with(['.', '?', '!', ':'])
                    && self
                        .level0(v, k + 1)
                        .is_some_and(|n| self.line(n).field().is_some())
                {
                    block.append(f, t);
                    k += 1;
                    r.end = k;
                    continue;
                }
            }
            break;
        }
        r
    }

    /// Whether line `k`, right below a `Subject:` line `subject_chars` wide, is
    /// that subject's wrapped tail: a short line of a few words that would not
    /// have fit on the subject's line at a common wrap width (66 and up), no
    /// sentence's end, and a blank line, a field or the end right below it.
    fn subject_tail(&self, v: &View, k: usize, subject_chars: usize) -> bool {
        let Some(vl) = self.level0(v, k) else {
            return false;
        };
        let l = self.line(vl);
        let t = self.trimmed(vl);
        let first = t.split_whitespace().next().map_or(0, |w| w.chars().count());
        subject_chars >= 50
            && subject_chars + 1 + first > 66
            && l.words <= 8
            && l.chars <= 60
            && !t.ends_with(['.', '!', ':', ','])
            && (k + 1 >= v.len()
                || self
                    .level0(v, k + 1)
                    .is_some_and(|n| self.line(n).blank() || self.line(n).field().is_some()))
    }

    /// A wrapped recipient list or sender (`… On` / `Behalf Of Amber Brown`):
    /// line `k` is no field, and the block's next field follows within a few
    /// lines of such continuation text.
    /// Returns the view line of that next field.
    fn wrapped_value(&self, v: &View, k: usize, last: Field) -> Option<usize> {
        let first = v.at(k).map(|vl| self.trimmed(vl)).unwrap_or("");
        if last == Field::From {
            let lf = lower(first);
            if !(lf.starts_with("behalf of ") || lf.starts_with("on behalf of ")) {
                return None;
            }
        } else if !matches!(last, Field::To | Field::Cc) {
            return None;
        }
        for x in k..k + 40 {
            let vl = self.level0(v, x)?;
            let l = self.line(vl);
            if l.blank() || l.chars > 300 {
                return None;
            }
            match l.field() {
                Some((Field::From, _, _)) => return None,
                Some(_) => return (x > k).then_some(x),
                None => {
                    // prose is no recipient list
                    let t = self.trimmed(vl);
                    if t.ends_with(['.', '?', '!']) && !t.ends_with("..") && l.words > 3 {
                        return None;
                    }
                }
            }
        }
        None
    }

    /// Lotus Notes' `----- Forwarded by NAME/ORG on DATE -----`, wrapped over two
    /// lines when the client cut it (`… on 06/28/2000 03:01` / `PM -------`).
    fn detect_notes_forward(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        if !self.line(vl).has(F_NOTES_FWD) {
            return None;
        }
        let t = self.trimmed(vl);
        let mut joined = open_end(t).to_string();
        let mut end = i + 1;
        if !joined.ends_with("--") {
            if let Some(nx) = self.level0(v, i + 1) {
                let nl = self.line(nx);
                let nt = open_end(self.trimmed(nx));
                if !nl.blank() && nl.words <= 6 && nl.field().is_none() && nt.ends_with("--") {
                    joined.push(' ');
                    joined.push_str(nt);
                    end = i + 2;
                }
            }
        }
        let mut attr = notes_forwarded(&joined)?;
        attr.raw = (i..end)
            .filter_map(|k| v.at(k))
            .map(|x| self.trimmed(x))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Detected {
            start: i,
            end,
            attr,
            strong: true,
        })
    }

    /// A Lotus Notes header without `From:`: the sender's name (`Mike Jordan`,
    /// `Daniel Falcone@ENRON`, `"Doe, Jane" <jd@x.com> on 10/31/2000 01:59:11 PM`,
    /// `Kate Symes @ ECT      04/04/2001 05:44 PM`), the date on that line or alone
    /// on the next (a `Sent by:` line may sit between), then `To:` / `cc:` /
    /// `Subject:` after at most a dozen blank lines. Also the one-line form
    /// `Name/ORG@ORG 05/30/01 09:20 AM   To: …  cc: …  Subject: …`.
    fn detect_notes_block(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        let l = self.line(vl);
        if l.blank() || l.field().is_some() || l.chars > 400 {
            return None;
        }
        let t0 = self.trimmed(vl);
        if let Some(d) = self.notes_one_line(i, t0) {
            return Some(d);
        }
        if l.chars > 160 || l.words > 14 {
            return None;
        }
        // cheap gate: the block's first recipient field within a few lines,
        // with at most three short lines (date, `Sent by:`, `Please respond to`) on the way
        let mut others = 0;
        let mut first_field = None;
        for k in i + 1..i + 18 {
            let Some(x) = self.level0(v, k) else { break };
            let xl = self.line(x);
            if xl.blank() {
                continue;
            }
            match xl.field() {
                Some((Field::To | Field::Cc | Field::Subject, _, _)) => {
                    first_field = Some(k);
                    break;
                }
                Some((Field::Other, _, _)) if others < 3 => others += 1,
                None if others < 3 && xl.chars <= 100 => others += 1,
                _ => return None,
            }
        }
        let f = first_field?;
        // the date: on the sender line, or on the first line after it (blank
        // lines and `Sent by:` may come between)
        let mut sender = t0.to_string();
        let mut has_date = crate::date::find_date(t0).is_some();
        let mut after_date = i + 1;
        // `… on 10/31/2000` / `01:59:11 PM`: the time wrapped to the next line
        if let Some(x) = self.level0(v, i + 1) {
            let t = self.trimmed(x);
            if has_date && (is_time_line(t) || is_ampm(t)) {
                sender.push(' ');
                sender.push_str(t);
                after_date = i + 2;
            }
        }
        if !has_date {
            let mut k = i + 1;
            while k < f {
                let x = self.level0(v, k)?;
                let xl = self.line(x);
                if xl.blank() || matches!(xl.field(), Some((Field::Other, _, _))) {
                    k += 1;
                    continue;
                }
                let t = self.trimmed(x);
                if !is_date_line(t) {
                    return None;
                }
                sender.push(' ');
                sender.push_str(t);
                has_date = true;
                after_date = k + 1;
                break;
            }
        }
        if !has_date || !notes_sender_ok(&sender) {
            return None;
        }
        // between the date and the fields: blank lines, the wrapped time,
        // `Please respond to …`, `Sent by:`
        for k in after_date..f {
            let x = self.level0(v, k)?;
            let xl = self.line(x);
            if xl.blank() || xl.field().is_some() {
                continue;
            }
            let t = self.trimmed(x);
            let lt = lower(t);
            if !(lt.starts_with("please respond to")
                || is_date_line(t)
                || is_time_line(t)
                || is_ampm(t))
            {
                return None;
            }
        }
        let mut block = Block::default();
        let r = self.read_fields(v, f, |kind, _| kind != Field::From, &mut block);
        if r.nfields == 0 {
            return None;
        }
        block.from = Some(sender);
        let attr_date = block.date.take();
        let raw = (i..r.end)
            .filter_map(|k| v.at(k))
            .map(|x| self.trimmed(x))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let mut attr = header_attribution(raw, block, AttributionStyle::HeaderBlock);
        if attr.name.is_none() && attr.address.is_none() {
            return None;
        }
        if attr.date.is_none() {
            if let Some(d) = attr_date {
                attr.date = crate::date::find_date(&d).map(|x| x.0);
                attr.date_text = Some(d);
            }
        }
        Some(Detected {
            start: i,
            end: r.end,
            attr,
            strong: true,
        })
    }

    /// Notes' two-column header, as its gateway wrote internet mail: the sender,
    /// address and date down the left, `To:` / `cc:` / `Subject:` down the right,
    /// long values wrapped to the line start.
    ///
    /// ```text
    ///                     "Ann Lee"
    ///                     <ann.lee@exam        To:     <ken@acme.com>
    ///                     ple.com>             cc:
    ///                                          Subject:     RE: Thursday
    ///                     05/17/2001 05:53
    ///                     PM
    /// ```
    fn detect_notes_columns(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        let l = self.line(vl);
        if l.blank() || l.words > 6 || l.field().is_some() {
            return None;
        }
        let text = |k: usize| self.level0(v, k).map(|x| self.view_text(x));
        let indent = |t: &str| t.len() - t.trim_start().len();
        let left_indent = indent(text(i)?);
        if left_indent < 8 {
            return None;
        }
        // the `To:` column, on one of the next two lines
        let (col, _) = (i + 1..i + 3).find_map(|k| {
            let t = text(k)?;
            let p = t.find("To:")?;
            let before = &t[..p];
            (p > left_indent
                && before.ends_with("  ")
                && indent(t) >= left_indent.saturating_sub(2))
            .then_some((p, k))
        })?;
        let mut left: Vec<&str> = Vec::new();
        let mut block = Block::default();
        let mut last: Option<Field> = None;
        let mut seen_subject = false;
        let mut end = i;
        for k in i..i + 16 {
            let Some(t) = text(k) else { break };
            if t.trim().is_empty() {
                if seen_subject {
                    break;
                }
                return None;
            }
            // a wrapped value starts at the line start
            if indent(t) + 2 < left_indent {
                let f = last?;
                block.append(f, t.trim());
                end = k + 1;
                continue;
            }
            let (lpart, rpart) = match t.get(..col) {
                Some(a) if t.len() > col => (a.trim(), t[col..].trim()),
                _ => (t.trim(), ""),
            };
            if !lpart.is_empty() {
                left.push(lpart);
            }
            if !rpart.is_empty() {
                match crate::lines::parse_field(rpart) {
                    Some((f, off, lang)) => {
                        if f == Field::From {
                            return None;
                        }
                        block.set(f, &rpart[off..], lang);
                        seen_subject |= f == Field::Subject;
                        last = Some(f);
                    }
                    None => block.append(last?, rpart),
                }
            }
            end = k + 1;
        }
        if !seen_subject || block.to.is_empty() {
            return None;
        }
        // the left column, with an address or a time cut by the column width rejoined
        let mut sender = String::new();
        for piece in &left {
            let open = sender
                .rfind('<')
                .is_some_and(|p| !sender[p..].contains('>'))
                || sender.ends_with(['.', '@', '-']);
            if !sender.is_empty() && !open {
                sender.push(' ');
            }
            sender.push_str(piece);
        }
        let (who, date, _) = who_and_date(&sender);
        date?;
        if who.name.is_none() && who.address.is_none() {
            return None;
        }
        block.from = Some(sender);
        let raw = (i..end)
            .filter_map(|k| v.at(k))
            .map(|x| self.trimmed(x))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Detected {
            start: i,
            end,
            attr: header_attribution(raw, block, AttributionStyle::HeaderBlock),
            strong: true,
        })
    }

    /// `Rick Buy/ENRON@hub 05/30/01 09:20 AM \t To: David Crews  cc: Ann Lee
    /// Subject: RE: Project Raven`: Notes' one-line header.
    fn notes_one_line(&self, i: usize, t: &str) -> Option<Detected> {
        let to = t.find(" To: ").or_else(|| t.find("\tTo: "))?;
        let subj = t[to..].find("Subject:").map(|p| p + to)?;
        let head = t[..to].trim();
        let (_, date, _) = who_and_date(head);
        date?;
        if !notes_sender_ok(head) {
            return None;
        }
        let cc = t[to..subj].find(" cc:").map(|p| p + to);
        let mut block = Block {
            from: Some(head.to_string()),
            ..Block::default()
        };
        block.set(Field::To, &t[to + 5..cc.unwrap_or(subj)], Some("en"));
        if let Some(c) = cc {
            block.set(Field::Cc, &t[c + 4..subj], None);
        }
        block.set(Field::Subject, &t[subj + 8..], Some("en"));
        let attr = header_attribution(t.to_string(), block, AttributionStyle::HeaderBlock);
        if attr.name.is_none() && attr.address.is_none() {
            return None;
        }
        Some(Detected {
            start: i,
            end: i + 1,
            attr,
            strong: true,
        })
    }

    /// GroupWise's `>>> "Doe, Jane" <jd@x.org> 07/22/25 5:06PM >>>` (the original
    /// follows unmarked) and Supercite/ESS's `>>>>> "JD" == Jane Doe <jd@x.org>
    /// writes:`, possibly wrapped as `>>>>> Jane Doe <jd@x.org>` / `>>>>>     on
    /// DATE writes:`.
    fn detect_marked_attribution(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        let l = self.line(vl);
        let t = self.trimmed(vl);
        if l.has(F_GROUPWISE) {
            let inner = t.trim_start_matches('>').trim_end_matches('>').trim();
            let attr = groupwise(t, inner)?;
            return Some(Detected {
                start: i,
                end: i + 1,
                attr,
                strong: true,
            });
        }
        if !l.has(F_SUPERCITE) {
            return None;
        }
        let mut end = i + 1;
        let mut joined = t.trim_start_matches('>').trim().to_string();
        if !lower(t).contains("writes:") {
            let nx = self.level0(v, i + 1)?;
            if !self.line(nx).has(F_SUPERCITE) {
                return None;
            }
            joined.push(' ');
            joined.push_str(self.trimmed(nx).trim_start_matches('>').trim());
            end = i + 2;
        }
        let mut attr = supercite(&joined)?;
        attr.raw = (i..end)
            .filter_map(|k| v.at(k))
            .map(|x| self.trimmed(x))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Detected {
            start: i,
            end,
            attr,
            strong: false,
        })
    }

    /// Bug trackers and gateways: Bugzilla's `--- Comment #4 from Jane Doe
    /// <jd@x.org> 2016-05-02 10:11:12 UTC ---` and `(In reply to Jane Doe from
    /// comment #3)`, JIRA's `Jane Doe commented on PROJ-967:` (with its underline),
    /// `According to Jane Doe:`.
    fn detect_gateway(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        let l = self.line(vl);
        if l.chars > 300 {
            return None;
        }
        let t = self.trimmed(vl);
        if !(l.has(F_ENDS_COLON) || t.starts_with("--") || t.starts_with('(')) {
            return None;
        }
        let (attr, strong) = gateway(t)?;
        let mut end = i + 1;
        // JIRA underlines its line with dashes
        if let Some(nx) = self.level0(v, i + 1) {
            if self.line(nx).has(F_DASH_RULE) || {
                let nt = self.trimmed(nx);
                nt.len() >= 5 && nt.chars().all(|c| c == '-')
            } {
                end = i + 2;
            }
        }
        if !strong {
            // weak: only right above a `>` quote
            let nb = self.next_nonblank(v, end, 3)?;
            if self.lvl(v, v.at(nb)?) == 0 {
                return None;
            }
        }
        Some(Detected {
            start: i,
            end,
            attr,
            strong,
        })
    }

    fn detect_on_wrote(&self, v: &View, i: usize) -> Option<Detected> {
        // (a line wrapped inside `<mailto:…>` does not end the attribution)
        let ends_colon =
            |y: VLine| self.line(y).has(F_ENDS_COLON) && !self.trimmed(y).ends_with("<mailto:");
        for k in 0..3 {
            let j = i + k;
            let vl = self.level0(v, j)?;
            let l = self.line(vl);
            if l.blank() || l.has(F_LONG) {
                return None;
            }
            if k > 0 && (ends_colon(v.at(j - 1)?) || l.has(F_INTRO)) {
                // a later line starts the attribution itself
                return None;
            }
            let joined = || {
                (i..=j)
                    .filter_map(|x| v.at(x))
                    .map(|y| self.trimmed(y))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            // (a verb of two words may be split by the wrap: `… Peter <…> a` /
            // `écrit :`)
            let any_verb = (i..=j).any(|x| v.at(x).is_some_and(|y| self.line(y).has(F_VERB)))
                || k > 0 && {
                    let jl = lower(&joined());
                    crate::lexicon::VERBS
                        .iter()
                        .any(|(verb, _, _)| verb.contains(' ') && jl.contains(verb))
                };
            // without a colon: one line standing alone, ending in its verb
            let loose = k == 0
                && !l.has(F_ENDS_COLON)
                && l.has(F_VERB)
                && (i == 0 || v.at(i - 1).is_some_and(|p| self.line(p).blank()))
                && v.at(i + 1).is_none_or(|n| self.line(n).blank());
            if ends_colon(vl) || loose {
                if !any_verb {
                    return None;
                }
                let (a, strong) = on_wrote_with(&joined(), loose)?;
                let first = self.line(v.at(i)?);
                if k > 0
                    && (!(first.has(F_INTRO) || a.date.is_some() || a.address.is_some())
                        || (!first.has(F_INTRO)
                            && (first.has(F_GREETING) || first.has(F_SENTENCE_END))))
                {
                    return None;
                }
                let mut a = a;
                a.raw = (i..=j)
                    .filter_map(|x| v.at(x))
                    .map(|y| self.trimmed(y))
                    .collect::<Vec<_>>()
                    .join("\n");
                return Some(Detected {
                    start: i,
                    end: j + 1,
                    attr: a,
                    strong,
                });
            }
            // `… <test@example.com` + `>:` on the next line (the `>` looks like a quote)
            if let Some(nx) = v.at(j + 1) {
                if any_verb && self.lvl(v, nx) == 1 && self.trimmed(nx) == ":" {
                    let s = format!("{}>:", joined());
                    let (mut a, strong) = on_wrote(&s)?;
                    a.raw = s;
                    return Some(Detected {
                        start: i,
                        end: j + 2,
                        attr: a,
                        strong,
                    });
                }
            }
        }
        None
    }

    /// A summary quoting several people, each introduced by their name alone
    /// (`Jane Doe:` above a `>` quote): a weak attribution per person, so that
    /// each quote is its own message.
    fn detect_name_colon(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        let l = self.line(vl);
        if !l.has(F_ENDS_COLON) || l.words > 4 || l.has(F_GREETING | F_CLOSING | F_CLOSING_NAME) {
            return None;
        }
        let para_start = i == 0 || v.at(i - 1).is_some_and(|p| self.line(p).blank());
        let nb = self.next_nonblank(v, i + 1, 2)?;
        if !para_start || self.lvl(v, v.at(nb)?) == 0 || l.field().is_some() {
            return None;
        }
        let name = self.trimmed(vl).trim_end_matches([':', '：']).trim_end();
        if !looks_like_person(name) {
            return None;
        }
        let who = crate::attribution::parse_who(name);
        Some(Detected {
            start: i,
            end: i + 1,
            attr: Attribution {
                raw: self.trimmed(vl).to_string(),
                name: who.name,
                normalized_name: who.normalized,
                address: None,
                via_list: None,
                date: None,
                date_text: None,
                subject: None,
                to: Vec::new(),
                cc: Vec::new(),
                style: AttributionStyle::Fallback,
                language: None,
            },
            strong: false,
        })
    }

    fn detect_fallback(&self, v: &View, i: usize) -> Option<Detected> {
        let vl = self.level0(v, i)?;
        let l = self.line(vl);
        if !l.has(F_ENDS_COLON) || l.chars > 250 {
            return None;
        }
        let nb = self.next_nonblank(v, i + 1, 3)?;
        let quoted = self.lvl(v, v.at(nb)?) >= 1;
        let para_start = i == 0 || v.at(i - 1).is_some_and(|p| self.line(p).blank());
        let (mut a, strong) = fallback(self.trimmed(vl))?;
        // the date on the line above, alone (`В Thu, 28 Dec 2023 14:57:55 +0200,`
        // with its preposition mangled to `?`, then `Name <addr> написал:`)
        let mut start = i;
        if a.date.is_none() {
            let above = i
                .checked_sub(1)
                .and_then(|k| self.level0(v, k))
                .filter(|p| !self.line(*p).blank() && self.line(*p).chars <= 80);
            if let Some(p) = above {
                let t = self.trimmed(p);
                if let Some((d, r)) = crate::date::find_date(t) {
                    let outside = t[..r.start]
                        .chars()
                        .chain(t[r.end..].chars())
                        .filter(|c| c.is_alphanumeric())
                        .count();
                    if outside <= 3 {
                        a.date = Some(d);
                        a.date_text = Some(t[r].trim().to_string());
                        a.raw = format!("{t}\n{}", a.raw);
                        start = i - 1;
                    }
                }
            }
        }
        if !(quoted || strong && para_start || start < i) {
            return None;
        }
        Some(Detected {
            start,
            end: i + 1,
            attr: a,
            strong,
        })
    }

    // ------------------------------------------------------------ scan

    fn analyze_message(
        &mut self,
        view: View<'_>,
        depth: u32,
        parent: Option<usize>,
        attr: Option<Attribution>,
        attr_lines: &[usize],
        shape: Shape,
    ) -> usize {
        let me = self.msgs.len();
        self.msgs.push(MsgBuild {
            depth,
            parent,
            marks_quotes: shape.marks_quotes,
            attribution: attr,
            interleaved: shape.interleaved,
            text: String::new(),
            signature: None,
        });
        for &idx in attr_lines {
            self.set(idx, ZoneKind::Attribution, me);
        }
        let mut view = view;
        let mut own: Vec<(VLine, u32)> = Vec::new();

        if depth >= self.opts.max_depth.min(crate::MAX_DEPTH_LIMIT) {
            for vl in view.iter() {
                if self.lvl(&view, vl) == 0 {
                    own.push((vl, 0));
                } else {
                    self.set(vl.idx(), ZoneKind::Quoted, me);
                }
            }
            self.finish(me, &own);
            return me;
        }

        // a quoted message without attribution that starts with one that owns
        // everything below it (an Outlook block inside `>`): that is its own
        if self.msgs[me].attribution.is_none() && depth > 0 {
            if let Some(f) = self.next_nonblank(&view, 0, usize::MAX) {
                if let Some(d) = self.detect(&view, f) {
                    // (a header block, then a quote two levels deeper, then text
                    // at this level: the header heads this message, whose writer
                    // opened with an older exchange; a quote it introduced would
                    // sit one level deeper)
                    let q = self.next_nonblank(&view, d.end, 4);
                    let ql = q.and_then(|q| view.at(q)).map(|x| self.lvl(&view, x));
                    // (or one level deeper when that quote opens with its own
                    // "On … wrote:", Apple Mail's marked attribution)
                    let own_attribution = || {
                        let Some(q) = q else { return false };
                        let Some(x) = view.at(q) else { return false };
                        let one = self.trimmed(x);
                        let two = view.at(q + 1).map(|y| format!("{one} {}", self.trimmed(y)));
                        std::iter::once(one)
                            .chain(two.as_deref())
                            .any(|t| on_wrote(t).is_some())
                    };
                    let heads_this = d.attr.style == AttributionStyle::HeaderBlock
                        && (ql.is_some_and(|l| l >= 2) || ql == Some(1) && own_attribution())
                        && q.is_some_and(|q| {
                            (q..view.len())
                                .filter_map(|k| view.at(k))
                                .any(|x| self.lvl(&view, x) == 0 && !self.line(x).blank())
                        });
                    let follows_quote = ql.is_some_and(|l| l >= 1) && !heads_this;
                    if d.strong && !follows_quote {
                        for k in 0..d.end {
                            if let Some(vl) = view.at(k) {
                                self.set(vl.idx(), ZoneKind::Attribution, me);
                            }
                        }
                        self.msgs[me].attribution = Some(d.attr);
                        view = view.slice(d.end, view.len());
                    }
                }
            }
        }

        let mut specs: Vec<Spec> = Vec::new();
        let mut last_marked: Option<usize> = None;
        let mut seg = 0u32;
        let n = view.len();
        let mut i = 0;
        while i < n {
            let Some(vl) = view.at(i) else { break };
            if self.lvl(&view, vl) >= 1 {
                let (a, b) = self.quote_run(&view, i);
                // code or a console transcript with no attribution of its own
                // is this message's text (R's `> x <- 1`, Python's `>>> import x`)
                let attributed = matches!(
                    last_marked.and_then(|s| specs.get(s)),
                    Some(Spec::Marked { attr: Some(_), .. })
                );
                if self.code_run(&view, a, b, attributed || depth > 0) {
                    for k in a..b {
                        if let Some(x) = view.at(k) {
                            own.push((x, seg));
                        }
                    }
                    i = b;
                    continue;
                }
                match last_marked.and_then(|s| specs.get_mut(s)) {
                    Some(Spec::Marked { ranges, .. }) => ranges.push((a, b)),
                    _ => {
                        specs.push(Spec::Marked {
                            attr: None,
                            attr_lines: Vec::new(),
                            ranges: vec![(a, b)],
                        });
                        last_marked = Some(specs.len() - 1);
                    }
                }
                seg += 1;
                i = b;
                continue;
            }
            if self.line(vl).blank() && self.detect_unmarked(&view, i).is_none() {
                own.push((vl, seg));
                i += 1;
                continue;
            }
            if let Some(d) = self.detect(&view, i) {
                let mut nb = self.next_nonblank(&view, d.end, 5);
                // "On … X wrote:" then "<snip>" then `>` lines: the quote is
                // marked; the snip line belongs with the attribution
                for _ in 0..3 {
                    match nb.and_then(|q| view.at(q)) {
                        Some(vl)
                            if self.lvl(&view, vl) == 0 && is_snip_marker(self.trimmed(vl)) =>
                        {
                            nb = self.next_nonblank(&view, nb.map_or(d.end, |q| q + 1), 5);
                        }
                        _ => break,
                    }
                }
                let marked = nb
                    .and_then(|q| view.at(q))
                    .is_some_and(|q| self.lvl(&view, q) >= 1);
                // an attribution that begins on a line already taken as text
                // (its date on the line above) takes that line back
                let taken: Vec<usize> = (d.start..i)
                    .filter_map(|k| view.at(k))
                    .map(|x| x.idx())
                    .collect();
                let untake = |own: &mut Vec<(VLine, u32)>| {
                    while own.last().is_some_and(|(x, _)| taken.contains(&x.idx())) {
                        own.pop();
                    }
                };
                if let (true, Some(q)) = (marked, nb) {
                    untake(&mut own);
                    let (a, b) = self.quote_run(&view, q);
                    let attr_lines = (d.start..q)
                        .filter_map(|k| view.at(k))
                        .map(|x| x.idx())
                        .collect();
                    specs.push(Spec::Marked {
                        attr: Some(d.attr),
                        attr_lines,
                        ranges: vec![(a, b)],
                    });
                    last_marked = Some(specs.len() - 1);
                    seg += 1;
                    i = b;
                    continue;
                }
                // "On … wrote:" then blocks indented alone with flush answers
                // between them: the indented blocks are the quote.
                if d.strong && d.attr.style == AttributionStyle::OnWrote {
                    if let Some(ranges) = self.indented_quote(&view, d.end) {
                        untake(&mut own);
                        let attr_lines = (d.start..d.end)
                            .filter_map(|k| view.at(k))
                            .map(|x| x.idx())
                            .collect();
                        let mut r = 0;
                        seg += 1;
                        let mut k = d.end;
                        while k < n {
                            if let Some(&(a, b)) = ranges.get(r) {
                                if k >= a {
                                    k = b;
                                    r += 1;
                                    seg += 1;
                                    continue;
                                }
                            }
                            if let Some(x) = view.at(k) {
                                own.push((x, seg));
                            }
                            k += 1;
                        }
                        specs.push(Spec::Indented {
                            attr: d.attr,
                            attr_lines,
                            ranges,
                        });
                        break;
                    }
                }
                // The quote under it was cut: a writer whose client marks quotes
                // (this message came under "On … wrote:" and `>`) opens with an
                // "On … wrote:" of its own and writes below it, nothing marked
                // further down. What follows is the writer's, not the named
                // person's (Thunderbird or Gmail never leave a quote unmarked).
                let cut_quote = d.strong
                    && depth > 0
                    && self.msgs[me].marks_quotes
                    && d.attr.style == AttributionStyle::OnWrote
                    && own.iter().all(|(x, _)| self.line(*x).blank())
                    && (d.end..n)
                        .filter_map(|k| view.at(k))
                        .all(|x| self.lvl(&view, x) == 0);
                if cut_quote {
                    untake(&mut own);
                    for k in d.start..d.end {
                        if let Some(x) = view.at(k) {
                            self.set(x.idx(), ZoneKind::Attribution, me);
                        }
                    }
                    i = d.end;
                    continue;
                }
                if d.strong {
                    untake(&mut own);
                    let attr_lines = (d.start..d.end)
                        .filter_map(|k| view.at(k))
                        .map(|x| x.idx())
                        .collect();
                    // a forward set inside the text ends where the writer closed it
                    let end = self.forward_end(&view, d.start, d.end);
                    let mut child = view.slice(d.end, end.unwrap_or(n));
                    let mut inter = false;
                    let names = (self.author_first(me), first_name(&d.attr));
                    if let (Some(pf), Some(cf)) = names {
                        if let Some((p, e)) = self.unmarked_interleave(&child, &pf, &cf) {
                            seg += 1;
                            for k in p..=e {
                                if let Some(x) = child.at(k) {
                                    own.push((x, seg));
                                }
                            }
                            child = child.without(p, e + 1);
                            inter = true;
                        }
                    }
                    specs.push(Spec::Unmarked {
                        attr: d.attr,
                        attr_lines,
                        view: child,
                        interleaved: inter,
                    });
                    let Some(e) = end else { break };
                    // the closing line and what follows are the writer's again
                    seg += 1;
                    if let Some(x) = view.at(e) {
                        own.push((x, seg));
                    }
                    i = e + 1;
                    continue;
                }
            }
            own.push((vl, seg));
            i += 1;
        }

        let body = self.body.as_bytes();
        for spec in specs {
            match spec {
                Spec::Marked {
                    attr,
                    attr_lines,
                    ranges,
                } => {
                    let (store, bounds) = self.gather(&view, &ranges, |vl| {
                        strip_one(body, vl.cs(), self.lines[vl.idx()].text_end())
                    });
                    let chunks = bounds.iter().map(|&(s, e)| &store[s..e]).collect();
                    let cv = View::new(chunks, view.strip + 1);
                    let inter = ranges.len() > 1;
                    let marks = attr
                        .as_ref()
                        .is_some_and(|a| a.style == AttributionStyle::OnWrote);
                    self.analyze_message(
                        cv,
                        depth + 1,
                        Some(me),
                        attr,
                        &attr_lines,
                        Shape {
                            interleaved: inter,
                            marks_quotes: marks,
                        },
                    );
                }
                Spec::Indented {
                    attr,
                    attr_lines,
                    ranges,
                } => {
                    let (store, bounds) = self.gather(&view, &ranges, |vl| self.past_indent(vl));
                    let chunks = bounds.iter().map(|&(s, e)| &store[s..e]).collect();
                    let cv = View::new(chunks, view.strip);
                    let shape = Shape {
                        interleaved: ranges.len() > 1,
                        marks_quotes: false,
                    };
                    self.analyze_message(cv, depth + 1, Some(me), Some(attr), &attr_lines, shape);
                }
                Spec::Unmarked {
                    attr,
                    attr_lines,
                    view: cv,
                    interleaved,
                } => {
                    self.analyze_message(
                        cv,
                        depth + 1,
                        Some(me),
                        Some(attr),
                        &attr_lines,
                        Shape {
                            interleaved,
                            marks_quotes: false,
                        },
                    );
                }
            }
        }
        self.finish(me, &own);
        me
    }

    /// Whether the `>` run `[a, b)` (no attribution above it) is code or a
    /// console transcript rather than a quote: mostly code and console output
    /// by its content, almost no prose, no attribution or header inside.
    /// Transcript evidence — unquoted console output or a continuation prompt
    /// right below it (`[1] 0.5`, `Error in …`, `+ `, `... `), a diff's `---` / `3c3` right above it, or output
    /// lines inside it with the commands one `>` deeper — makes short lines
    /// (`> x`) count as code. With `need_evidence` (after an attributed quote,
    /// whose inline chunks these may be, and inside a quoted message, where
    /// an unattributed quote of code is most often the code of the message
    /// it answers) only such evidence does.
    fn code_run(&self, v: &View, a: usize, b: usize, need_evidence: bool) -> bool {
        use crate::code::{is_diff_marker, line_kind, LineKind};
        let around = |k: usize| {
            self.level0(v, k)
                .filter(|x| !self.line(*x).blank())
                .map(|x| self.trimmed(x))
        };
        // double-spaced text (HTML mail turned to text puts a blank line after
        // every line): the transcript's next line is one blank line further
        let spaced = |k: usize| {
            v.at(k).is_some_and(|x| self.line(x).blank())
                && v.at(k + 1).is_some_and(|x| self.lvl(v, x) == 0)
        };
        let next = if spaced(b) { b + 1 } else { b };
        // output, or a continuation prompt (R's `+ `, Python's `... `); or a
        // short line over output (a named vector's names above its values)
        let below = around(next).is_some_and(|t| {
            line_kind(t) == LineKind::Output
                || t == "+"
                || t.starts_with("+ ")
                || t.starts_with("...") && !t.starts_with("....")
        }) || around(next).is_some_and(|t| line_kind(t) == LineKind::Neutral)
            && around(next + 1).is_some_and(|t| line_kind(t) == LineKind::Output);
        let prev = match a.checked_sub(1) {
            Some(p) if p > 0 && v.at(p).is_some_and(|x| self.line(x).blank()) => Some(p - 1),
            p => p,
        };
        let above = prev
            .and_then(around)
            .is_some_and(|t| is_diff_marker(t) || line_kind(t) == LineKind::Output);
        // an empty console prompt, indented as the transcript above it (`   >`
        // closing R output), right under the writer's own text
        if b == a + 1 {
            let lone = v.at(a).is_some_and(|vl| {
                let t = self.view_text(vl);
                let indent = t.len() - t.trim_start().len();
                indent >= 3 && t.trim_start() == ">" && self.lvl(v, vl) == 1
            });
            if lone && a.checked_sub(1).and_then(around).is_some() {
                return true;
            }
        }
        let (mut n, mut code, mut output, mut prose, mut neutral) = (0usize, 0, 0, 0, 0);
        let mut deep_code = 0;
        // the shallowest level in the run, and whether output lines sit at it
        // and commands deeper (a transcript quoted whole)
        let mut min_level = u32::MAX;
        let (mut output_at_min, mut code_deeper) = (false, false);
        for k in a..b {
            let Some(vl) = v.at(k) else { continue };
            let l = self.line(vl);
            if l.blank() {
                continue;
            }
            if l.field().is_some() || l.has(F_VERB) && l.has(F_ENDS_COLON) || l.has(F_ORIG_SEP) {
                return false;
            }
            let kind = line_kind(self.trimmed(vl));
            if kind == LineKind::Comment {
                continue;
            }
            n += 1;
            let level = self.lvl(v, vl);
            if level < min_level {
                min_level = level;
                output_at_min = false;
                code_deeper = code + deep_code > 0;
            }
            match kind {
                // a prompt is one `>` (R, pasted code) or Python's `>>>`;
                // code deeper than that is a quote's quote unless output
                // lines frame it
                LineKind::Code
                    if level == 1
                        || level == 3 && self.view_text(vl).trim_start().starts_with(">>>") =>
                {
                    code += 1;
                    code_deeper |= level > min_level;
                }
                LineKind::Code => {
                    deep_code += 1;
                    code_deeper |= level > min_level;
                }
                LineKind::Output => {
                    output += 1;
                    output_at_min |= level == min_level;
                }
                LineKind::Prose => prose += 1,
                LineKind::Neutral | LineKind::Comment => neutral += 1,
            }
        }
        let framed = output_at_min && code_deeper;
        // a command or two set inside the writer's own sentence: the text above
        // stops unfinished (`… when checking in Rstudio with` / `> check(".")`,
        // `Well I did but` / `> devtools::build()`), as no one introduces a
        // quote of someone else's code
        let inline =
            (1..=3).contains(&n) && code == n && min_level == 1 && self.unfinished_above(v, a);
        let evidence = below || above || framed || inline;
        if need_evidence && !evidence {
            return false;
        }
        if framed {
            code += deep_code;
        } else {
            neutral += deep_code;
        }
        let codeish = code + output + if evidence { neutral } else { 0 };
        (code >= 1 || evidence && codeish >= 1) && codeish * 2 >= n && prose * 4 < n
    }

    /// Whether the writer's own text right above view line `a` (blank lines
    /// skipped, at most two) is a sentence that stops unfinished: three words
    /// or more, ending in a small-letter word or a colon, not an attribution.
    fn unfinished_above(&self, v: &View, a: usize) -> bool {
        let mut k = a;
        for _ in 0..3 {
            let Some(j) = k.checked_sub(1) else {
                return false;
            };
            k = j;
            let Some(vl) = self.level0(v, k) else {
                return false;
            };
            let l = self.line(vl);
            if l.blank() {
                continue;
            }
            if l.has(F_VERB) || l.has(F_INTRO) || l.field().is_some() || l.words < 3 {
                return false;
            }
            let t = self.trimmed(vl);
            // `… set appropriately; e.g.`: the example follows
            let lt = lower(t);
            return t.ends_with(':')
                || lt.ends_with("e.g.")
                || lt.ends_with("e.g.,")
                || lt.ends_with("i.e.")
                || t.chars().last().is_some_and(|c| c.is_lowercase())
                    && crate::code::line_kind(t) == crate::code::LineKind::Prose;
        }
        false
    }

    fn author_first(&self, me: usize) -> Option<String> {
        match self.msgs[me].attribution.as_ref() {
            Some(a) => first_name(a),
            None if me == 0 => {
                let a = self.opts.author.as_deref()?;
                let who = crate::attribution::parse_who(a);
                let n = who.normalized.or(who.name)?;
                let w = n.split_whitespace().next()?;
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                (w.chars().count() >= 2).then(|| lower(w))
            }
            None => None,
        }
    }

    /// In a quoted message whose `>` markers were lost (Outlook flattening a
    /// Thunderbird reply), find an inline reply by the quoting author: a
    /// paragraph that addresses the quoted author by first name ("Yes, Veni,
    /// …") through a sign-off with the quoting author's first name ("best,
    /// parminder"). Returns view positions `[p, e]`.
    /// The lines of a quoted message's `ranges` of `view`, each with its content
    /// starting at `cs` (past one `>`, or past the indentation), and each range's
    /// bounds in them: the chunks of the quoted message's view.
    fn gather(
        &self,
        view: &View,
        ranges: &[(usize, usize)],
        cs: impl Fn(VLine) -> usize,
    ) -> (Vec<VLine>, Vec<(usize, usize)>) {
        let mut store: Vec<VLine> = Vec::new();
        let mut bounds = Vec::with_capacity(ranges.len());
        for &(a, b) in ranges {
            let s = store.len();
            for k in a..b {
                if let Some(vl) = view.at(k) {
                    store.push(VLine::new(vl.idx(), cs(vl)));
                }
            }
            bounds.push((s, store.len()));
        }
        (store, bounds)
    }

    /// Indentation of a view line's content (spaces, a tab as eight).
    fn indent(&self, vl: VLine) -> usize {
        let te = self.lines[vl.idx()].text_end();
        let b = self.body.as_bytes();
        let mut w = 0;
        for &c in b.get(vl.cs()..te).unwrap_or(&[]) {
            match c {
                b' ' => w += 1,
                b'\t' => w += 8,
                _ => break,
            }
        }
        w
    }

    /// The view line's content start past its indentation.
    fn past_indent(&self, vl: VLine) -> usize {
        let te = self.lines[vl.idx()].text_end();
        let b = self.body.as_bytes();
        let mut p = vl.cs();
        while p < te && (b[p] == b' ' || b[p] == b'\t') {
            p += 1;
        }
        p
    }

    /// Below an "On … wrote:" at `from`: prose blocks indented by two or more
    /// (a client's HTML blockquote rendered as text, Thunderbird's and Outlook's
    /// way with Gmail's replies) with flush answers between them and no `>`
    /// anywhere. The indented blocks' line ranges (blank lines inside a block
    /// included), or None. The first line must be indented, there must be a flush
    /// line after a block, and the blocks must read as prose: indented code in a
    /// reply under a cut quote is the writer's.
    fn indented_quote(&self, v: &View, from: usize) -> Option<Vec<(usize, usize)>> {
        use crate::code::{line_kind, LineKind};
        const MIN_INDENT: usize = 2;
        let n = v.len();
        let mut ranges = Vec::new();
        let mut open: Option<(usize, usize)> = None;
        let (mut flush, mut indented, mut code) = (0usize, 0usize, 0usize);
        let mut seen = false;
        for k in from..n {
            let vl = v.at(k)?;
            if self.lvl(v, vl) != 0 {
                return None;
            }
            if self.line(vl).blank() {
                continue;
            }
            if self.indent(vl) >= MIN_INDENT {
                indented += 1;
                if matches!(
                    line_kind(self.trimmed(vl)),
                    LineKind::Code | LineKind::Output
                ) {
                    code += 1;
                }
                open = Some((open.map_or(k, |(a, _)| a), k + 1));
            } else {
                if !seen {
                    return None;
                }
                flush += 1;
                if let Some(r) = open.take() {
                    ranges.push(r);
                }
            }
            seen = true;
        }
        if flush == 0 || ranges.is_empty() {
            return None;
        }
        if let Some(r) = open {
            ranges.push(r);
        }
        (indented >= 2 && code * 4 <= indented).then_some(ranges)
    }

    fn unmarked_interleave(
        &self,
        cv: &View,
        parent_first: &str,
        child_first: &str,
    ) -> Option<(usize, usize)> {
        if parent_first == child_first {
            return None;
        }
        let n = cv.len();
        let mut bound = n;
        for k in 0..n {
            let vl = cv.at(k)?;
            if self.lvl(cv, vl) != 0 {
                bound = k;
                break;
            }
            if !self.line(vl).blank() && self.detect(cv, k).is_some() {
                bound = k;
                break;
            }
        }
        // the sign-off
        let mut end = None;
        for k in 0..bound {
            let vl = cv.at(k)?;
            let l = self.line(vl);
            if l.blank() {
                continue;
            }
            let t = lower(strip_trailing_punct(self.trimmed(vl)));
            let has_name = t
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == parent_first);
            if l.has(F_CLOSING_NAME) && has_name {
                end = Some(k);
                break;
            }
            if t == parent_first {
                let prev_closing = (k.saturating_sub(3)..k)
                    .any(|x| cv.at(x).is_some_and(|y| self.line(y).has(F_CLOSING)));
                if prev_closing {
                    end = Some(k);
                    break;
                }
            }
        }
        let e = end?;
        let first = (0..e).find(|&k| cv.at(k).is_some_and(|vl| !self.line(vl).blank()))?;
        for q in (first + 1..=e).rev() {
            let vl = cv.at(q)?;
            if self.line(vl).blank() {
                continue;
            }
            let para_start = cv.at(q - 1).is_some_and(|p| self.line(p).blank());
            if !para_start {
                continue;
            }
            let t = self.trimmed(vl);
            let addressed = t.split_whitespace().take(4).any(|w| {
                let core = w.trim_end_matches([',', '!', ':', ';']);
                core.len() < w.len() && lower(core) == child_first
            });
            if addressed {
                return Some((q, e));
            }
        }
        None
    }

    // ------------------------------------------------------------ own lines

    fn finish(&mut self, me: usize, own: &[(VLine, u32)]) {
        let n = own.len();
        let depth = self.msgs[me].depth;
        let text_kind = if depth == 0 {
            ZoneKind::NewText
        } else {
            ZoneKind::Quoted
        };
        let mut kind: Vec<Option<ZoneKind>> = vec![None; n];
        // segments: runs of own lines not interrupted by quotes/attributions
        let mut segs: Vec<(usize, usize)> = Vec::new();
        let mut a = 0;
        for k in 1..=n {
            let brk =
                k == n || own[k].1 != own[k - 1].1 || own[k].0.idx() != own[k - 1].0.idx() + 1;
            if brk {
                if a < k {
                    segs.push((a, k));
                }
                a = k;
            }
        }
        for &(a, b) in &segs {
            self.mark_blocks(own, a, b, &mut kind);
        }
        // salutation
        let first_plain = (0..n).find(|&k| kind[k].is_none() && !self.line(own[k].0).blank());
        if let Some(k) = first_plain {
            if self.line(own[k].0).has(F_GREETING) {
                kind[k] = Some(ZoneKind::Salutation);
            }
        }
        let author = self.author_first(me);
        for &(a, b) in &segs {
            self.mark_signoff(own, a, b, &mut kind, first_plain, author.as_deref());
            self.mark_contact_block(own, a, b, &mut kind);
        }
        // blanks take a neighbour's kind within their segment
        for &(a, b) in &segs {
            let mut prev: Option<ZoneKind> = None;
            for k in a..b {
                if self.line(own[k].0).blank() {
                    if kind[k].is_none() {
                        kind[k] = prev;
                    }
                } else {
                    kind[k] = Some(kind[k].unwrap_or(text_kind));
                    prev = kind[k];
                }
            }
            let mut next: Option<ZoneKind> = None;
            for k in (a..b).rev() {
                if kind[k].is_none() {
                    kind[k] = Some(next.unwrap_or(text_kind));
                } else if !self.line(own[k].0).blank() {
                    next = kind[k];
                }
            }
        }
        // assign and assemble
        let mut text: Vec<&str> = Vec::new();
        let mut sig: Vec<&str> = Vec::new();
        let mut seg_of = vec![0usize; n];
        for (si, &(a, b)) in segs.iter().enumerate() {
            for x in seg_of.iter_mut().take(b).skip(a) {
                *x = si;
            }
        }
        let mut last_seg_text: Option<usize> = None;
        let mut last_seg_sig: Option<usize> = None;
        for (k, &(vl, _)) in own.iter().enumerate() {
            let s = seg_of[k];
            let kd = kind[k].unwrap_or(text_kind);
            self.set(vl.idx(), kd, me);
            let t = self.view_text(vl);
            match kd {
                ZoneKind::NewText | ZoneKind::Quoted | ZoneKind::Salutation | ZoneKind::Closing => {
                    if last_seg_text.is_some_and(|x| x != s) {
                        text.push("");
                    }
                    last_seg_text = Some(s);
                    text.push(t);
                }
                ZoneKind::Signature => {
                    if last_seg_sig.is_some_and(|x| x != s) {
                        sig.push("");
                    }
                    last_seg_sig = Some(s);
                    sig.push(t);
                }
                _ => {}
            }
        }
        let text = tidy(&text);
        let sig = tidy(&sig);
        let m = &mut self.msgs[me];
        m.text = text;
        m.signature = (!sig.is_empty()).then_some(sig);
    }

    fn blank_at(&self, own: &[(VLine, u32)], k: usize) -> bool {
        own.get(k).is_none_or(|x| self.line(x.0).blank())
    }

    /// Footers, scrubbed attachments, notices, classification markings and
    /// disclaimers within one segment `[a, b)` of own lines.
    fn mark_blocks(&self, own: &[(VLine, u32)], a: usize, b: usize, kind: &mut [Option<ZoneKind>]) {
        let flag = |k: usize, f: u32| own.get(k).is_some_and(|x| self.line(x.0).has(f));
        let next_nb = |k: usize, max: usize| {
            (k..b.min(k.saturating_add(max))).find(|&x| !self.blank_at(own, x))
        };
        let mut k = a;
        while k < b {
            if self.blank_at(own, k) || kind[k].is_some() {
                k += 1;
                continue;
            }
            // scrubbed attachment
            let scrub_start = flag(k, F_SCRUB_SEP)
                || (flag(k, F_DASH_TITLE)
                    && next_nb(k + 1, 2).is_some_and(|x| flag(x, F_SCRUB_LINE)))
                || (flag(k, F_SCRUB_LINE) && {
                    let t = lower(self.trimmed(own[k].0));
                    t.contains("was scrubbed") || t.starts_with("skipped content")
                });
            if scrub_start {
                kind[k] = Some(ZoneKind::ScrubbedAttachment);
                // (a scrubbed message keeps its From/Subject/Date lines in the stub)
                let stub = |x: usize| {
                    lower(self.trimmed(own[x].0)).contains("embedded message was scrubbed")
                };
                let mut embedded = stub(k);
                let mut m = k + 1;
                let mut last = k;
                while m < b {
                    if self.blank_at(own, m) {
                        m += 1;
                        continue;
                    }
                    embedded = embedded || stub(m);
                    let header = embedded && self.line(own[m].0).field().is_some();
                    if header || flag(m, F_SCRUB_LINE) || flag(m, F_SCRUB_SEP) {
                        last = m;
                        m += 1;
                        continue;
                    }
                    break;
                }
                for x in kind.iter_mut().take(last + 1).skip(k) {
                    x.get_or_insert(ZoneKind::ScrubbedAttachment);
                }
                k = last + 1;
                continue;
            }
            // signatures the author repeats (learned across their messages)
            if let Some(end) = self.learned_block_at(&self.signatures, own, k, b) {
                for x in kind.iter_mut().take(end).skip(k) {
                    if x.is_none() {
                        *x = Some(ZoneKind::Signature);
                    }
                }
                k = end;
                continue;
            }
            // list footers
            if let Some(end) = self.footer_at(own, k, b) {
                let mut start = k;
                if flag(k, F_FOOTER_START) {
                    // include a `--` / `---` line right above
                    let mut p = k;
                    let mut steps = 0;
                    while p > a && steps < 3 {
                        p -= 1;
                        steps += 1;
                        if self.blank_at(own, p) {
                            continue;
                        }
                        let t = self.trimmed(own[p].0);
                        if kind[p].is_none()
                            && (t == "--" || t.chars().all(|c| c == '-') && t.len() >= 2)
                        {
                            start = p;
                        }
                        break;
                    }
                }
                for x in kind.iter_mut().take(end).skip(start) {
                    if x.is_none() {
                        *x = Some(ZoneKind::ListFooter);
                    }
                }
                k = end;
                continue;
            }
            // notices: the whole paragraph
            if flag(k, F_NOTICE) {
                let (p, q) = self.paragraph(own, a, b, k);
                for x in kind.iter_mut().take(q).skip(p) {
                    if x.is_none() {
                        *x = Some(ZoneKind::Notice);
                    }
                }
                k = q;
                continue;
            }
            if flag(k, F_CLASSIFICATION) {
                kind[k] = Some(ZoneKind::Classification);
                k += 1;
                continue;
            }
            if flag(k, F_DISCL_STRONG) {
                let (p, mut q) = self.paragraph(own, a, b, k);
                // following paragraphs that still read like a disclaimer
                while let Some(s) = next_nb(q, usize::MAX) {
                    let (s, e) = self.paragraph(own, a, b, s);
                    let weak = (s..e).any(|x| flag(x, F_DISCL_WEAK) || flag(x, F_DISCL_STRONG));
                    if !weak {
                        break;
                    }
                    q = e;
                }
                for x in kind.iter_mut().take(q).skip(p) {
                    if x.is_none() {
                        *x = Some(ZoneKind::Disclaimer);
                    }
                }
                k = q;
                continue;
            }
            k += 1;
        }
    }

    /// The paragraph (non-blank run) around `k` within `[a, b)`.
    fn paragraph(&self, own: &[(VLine, u32)], a: usize, b: usize, k: usize) -> (usize, usize) {
        let mut p = k;
        while p > a && !self.blank_at(own, p - 1) {
            p -= 1;
        }
        let mut q = k;
        while q < b && !self.blank_at(own, q) {
            q += 1;
        }
        (p, q)
    }

    /// If one of `blocks` (learned footers or signatures, trimmed non-blank
    /// lines) starts at `k`, its end (exclusive); blank lines between its lines
    /// are allowed.
    fn learned_block_at(
        &self,
        blocks: &[Vec<String>],
        own: &[(VLine, u32)],
        k: usize,
        b: usize,
    ) -> Option<usize> {
        let t = self.trimmed(own[k].0);
        for f in blocks {
            if f.first().is_some_and(|l| l == t) {
                let mut m = k + 1;
                let mut ok = true;
                for want in &f[1..] {
                    while m < b && self.blank_at(own, m) {
                        m += 1;
                    }
                    if m >= b || self.trimmed(own[m].0) != want {
                        ok = false;
                        break;
                    }
                    m += 1;
                }
                if ok {
                    return Some(m);
                }
            }
        }
        None
    }

    /// If a list footer starts at `k`, its end (exclusive).
    fn footer_at(&self, own: &[(VLine, u32)], k: usize, b: usize) -> Option<usize> {
        let flag = |x: usize, f: u32| own.get(x).is_some_and(|y| self.line(y.0).has(f));
        let next_nb = |x: usize, max: usize| {
            (x..b.min(x.saturating_add(max))).find(|&y| !self.blank_at(own, y))
        };
        // learned footers
        if let Some(m) = self.learned_block_at(&self.footers, own, k, b) {
            return Some(m);
        }
        let t = self.trimmed(own[k].0);
        // pipermail page chrome: "More information about the X\nmailing list"
        let lt = lower(t);
        if lt.starts_with("more information about the") && t.len() < 120 {
            let ml = flag(k, F_MAILING_LIST)
                || next_nb(k + 1, 1).is_some_and(|x| flag(x, F_MAILING_LIST));
            if ml {
                let mut e = k + 1;
                if !flag(k, F_MAILING_LIST) {
                    e = k + 2;
                }
                return Some(e.min(b));
            }
        }
        let kw = F_FOOTER_KW | F_MAILING_LIST | F_FOOTER_START;
        let start = (flag(k, F_UNDERSCORE_RULE) && next_nb(k + 1, 4).is_some_and(|x| flag(x, kw)))
            || (flag(k, F_MAILING_LIST)
                && next_nb(k + 1, 3).is_some_and(|x| flag(x, F_FOOTER_KW | F_ADDR_OR_URL)))
            || flag(k, F_FOOTER_START)
            || (flag(k, F_HASH_RULE)
                && next_nb(k + 1, 3).is_some_and(|x| flag(x, F_FOOTER_START | F_FOOTER_KW)));
        if !start {
            return None;
        }
        let mut end = k;
        while end < b && !self.blank_at(own, end) {
            end += 1;
        }
        let footerish = F_FOOTER_KW
            | F_ADDR_OR_URL
            | F_FOOTER_START
            | F_MAILING_LIST
            | F_UNDERSCORE_RULE
            | F_HASH_RULE
            | F_SIG_DELIM;
        while let Some(p) = next_nb(end, usize::MAX) {
            let mut q = p;
            let mut all = true;
            while q < b && !self.blank_at(own, q) {
                if !flag(q, footerish) {
                    all = false;
                }
                q += 1;
            }
            if !all {
                break;
            }
            end = q;
        }
        Some(end)
    }

    /// Closing, name and signature within one segment `[a, b)`.
    fn mark_signoff(
        &self,
        own: &[(VLine, u32)],
        a: usize,
        b: usize,
        kind: &mut [Option<ZoneKind>],
        first_plain: Option<usize>,
        author: Option<&str>,
    ) {
        let plain: Vec<usize> = (a..b)
            .filter(|&k| kind[k].is_none() && !self.blank_at(own, k))
            .collect();
        if plain.is_empty() {
            return;
        }
        let line = |k: usize| self.line(own[k].0);
        // `-- ` delimiter: what follows is signature, paragraph by paragraph, up to
        // the first paragraph of prose (a news article pasted under a `--` line is
        // the message's text, not a signature)
        let mut limit = plain.len();
        if let Some(p) = plain.iter().position(|&k| line(k).has(F_SIG_DELIM)) {
            let mut end = b;
            let mut start = plain[p] + 1;
            while start < b {
                let Some(s0) = (start..b).find(|&x| !self.blank_at(own, x)) else {
                    break;
                };
                let e0 = (s0..b).find(|&x| self.blank_at(own, x)).unwrap_or(b);
                let para: Vec<usize> = (s0..e0).collect();
                // the signature's closing epigram (`"Science is the belief in the
                // ignorance of experts", R. Feynman`): a short last paragraph after
                // a signature paragraph, no postscript
                let last = (e0..b).all(|x| self.blank_at(own, x));
                let epigram = last && start > plain[p] + 1 && self.epigram(own, &para);
                if self.postscript(own, s0) || (!epigram && !self.sig_ok(own, &para)) {
                    end = s0;
                    break;
                }
                start = e0;
            }
            for x in kind.iter_mut().take(end).skip(plain[p]) {
                if x.is_none() {
                    *x = Some(ZoneKind::Signature);
                }
            }
            limit = p;
        }
        for (pi, &k) in plain[..limit].iter().enumerate() {
            if line(k).has(F_DEVICE_SIG) && Some(k) != first_plain {
                kind[k] = Some(ZoneKind::Signature);
                // its tail wrapped onto the next line (`Sent from Mail <…> for` /
                // `Windows 10`)
                let open_end = !self
                    .trimmed(own[k].0)
                    .ends_with(['.', '!', '?', ')', '>', ':']);
                if let Some(&n) = plain[..limit].get(pi + 1) {
                    if open_end && n == k + 1 && line(n).words <= 3 && !line(n).has(F_SENTENCE_END)
                    {
                        kind[n] = Some(ZoneKind::Signature);
                    }
                }
            }
        }
        let plain: Vec<usize> = plain[..limit]
            .iter()
            .copied()
            .filter(|&k| kind[k].is_none())
            .collect();
        let words_of =
            |k: usize| -> Vec<&str> { self.trimmed(own[k].0).split_whitespace().collect() };
        for (pi, &k) in plain.iter().enumerate() {
            if Some(k) == first_plain {
                continue;
            }
            let l = line(k);
            let t = self.trimmed(own[k].0);
            let bare = lower(strip_trailing_punct(t));
            let prev_blank = k == a || self.blank_at(own, k - 1);
            let prev_sentence = k > a && line(k - 1).has(F_SENTENCE_END);
            let para_start = prev_blank || prev_sentence;
            let phrase = l.has(F_CLOSING);
            let phrase_name = l.has(F_CLOSING_NAME);
            let is_author = author.is_some_and(|au| bare == au) && l.words <= 3;
            let next = plain.get(pi + 1).copied();
            let name_heur = {
                let ws = words_of(k);
                (1..=2).contains(&ws.len())
                    && ws.iter().all(|w| {
                        w.chars().next().is_some_and(|c| c.is_uppercase())
                            && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
                    })
                    && next.is_some_and(|nx| {
                        let nw = words_of(nx);
                        nw.len() >= 2
                            && nw
                                .first()
                                .map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric())))
                                == ws.first().map(|w| lower(w))
                    })
            };
            if !(phrase || phrase_name || is_author || name_heur) || !para_start {
                continue;
            }
            // the closing itself, plus a name line after a bare phrase
            let mut close_end = pi;
            if phrase {
                if let Some(nx) = next {
                    let nl = line(nx);
                    let gap_ok = nx <= k + 2;
                    if gap_ok
                        && nl.words <= 4
                        && nl.chars <= 40
                        && !nl.has(F_CLOSING)
                        && !(nl.has(F_SENTENCE_END) && nl.words > 2)
                    {
                        close_end = pi + 1;
                    }
                }
            }
            let rest = &plain[close_end + 1..];
            let standalone = plain
                .get(close_end)
                .is_some_and(|&c| self.blank_at(own, c + 1) || c + 1 >= b);
            // (one of the candidate kinds holds, so a closing with nothing or
            // only a signature block after it ends the segment's own words)
            // a line of a few words ending in `:` with indented lines under it
            // introduces what follows (a check report's `Found the following
            // problems:` / `  fRegress.Rd:325:22: …`): text, not a signature
            let lead = |r: usize| {
                let t = self.view_text(own[r].0);
                t.len() - t.trim_start_matches([' ', '\t', '?', '\u{a0}']).len()
            };
            let introduces = rest.windows(2).any(|w| {
                let t = self.trimmed(own[w[0]].0);
                t.ends_with(':')
                    && self.line(own[w[0]].0).words >= 3
                    && w[1] == w[0] + 1
                    && lead(w[1]) > lead(w[0])
            });
            // or a check report's `Key: value` lines right under the name
            // (`Flavor: r-devel-linux-…` / `Check: HTML version of manual, Result:
            // NOTE`): two or more, none a contact's (`Phone:`, `Email:`)
            let report_line = |r: usize| {
                let t = self.trimmed(own[r].0).trim_start_matches(['?', '\u{a0}']);
                let Some((key, value)) = t.split_once(':') else {
                    return false;
                };
                let key_ok = key.chars().next().is_some_and(char::is_uppercase)
                    && key.chars().count() <= 20
                    && key.chars().all(|c| c.is_alphabetic() || c == ' ');
                key_ok && value.starts_with(' ') && value.trim().len() >= 3 && !contact_line(t)
            };
            let report = rest.iter().filter(|&&r| report_line(r)).count() >= 2
                && rest.first().is_some_and(|&r| report_line(r));
            let introduces = introduces || report;
            if rest.is_empty() || (self.sig_ok(own, rest) && !introduces) {
                for &c in &plain[pi..=close_end] {
                    kind[c] = Some(ZoneKind::Closing);
                }
                // "Thanks, / Tina Spiller / Assistant to Greg Piper": the name heads
                // the block of title and contacts under it
                if close_end > pi
                    && rest.first() == Some(&(plain[close_end] + 1))
                    && self.contact_block(own, rest)
                {
                    kind[plain[close_end]] = Some(ZoneKind::Signature);
                }
                for &r in rest {
                    kind[r] = Some(ZoneKind::Signature);
                }
                return;
            }
            if standalone && (phrase_name || is_author || (phrase && close_end > pi)) && !name_heur
            {
                for &c in &plain[pi..=close_end] {
                    kind[c] = Some(ZoneKind::Closing);
                }
            }
        }
        // No closing phrase: a signature without its `-- ` delimiter is a name line
        // starting a paragraph, with a block of title, organisation and contacts
        // under it to the end of the segment ("Christina Valdez / Enron Net Works
        // LLC / Phone - 713.853-9106 / christina.valdez@enron.com").
        // `mark_contact_block` then takes blocks with blanks inside and two contacts.
        let open: Vec<usize> = plain
            .iter()
            .copied()
            .filter(|&k| kind[k].is_none())
            .collect();
        let start = (0..open.len()).rev().take(12).find(|&i| {
            let k = open[i];
            let t = self.trimmed(own[k].0);
            let para_start = k == a || self.blank_at(own, k - 1);
            Some(k) != first_plain
                && para_start
                && (looks_like_person(strip_trailing_punct(t))
                    || author.is_some_and(|au| lower(strip_trailing_punct(t)) == au))
                && open[i + 1..].windows(2).all(|w| w[1] <= w[0] + 2)
                // to the end of the segment, or to a footer or notice already found
                && open.last().is_some_and(|&l| {
                    (l + 1..b).all(|x| self.blank_at(own, x) || kind[x].is_some())
                })
        });
        if let Some(i) = start {
            let rest = &open[i + 1..];
            if !rest.is_empty() && self.sig_ok(own, rest) && self.contact_block(own, rest) {
                for &k in &open[i..] {
                    kind[k] = Some(ZoneKind::Signature);
                }
            }
        }
    }

    /// Lines under a name that read as its signature block: at least one way to
    /// reach or place the person (phone, fax, address, web, organisation
    /// suffix) and no sentence of prose.
    fn contact_block(&self, own: &[(VLine, u32)], rest: &[usize]) -> bool {
        let mut contact = false;
        for &r in rest {
            let l = self.line(own[r].0);
            let t = self.trimmed(own[r].0);
            if l.has(F_SENTENCE_END) && l.words >= 5 && !contact_line(t) {
                return false;
            }
            contact |= contact_line(t);
        }
        contact
    }

    /// An undelimited signature closing segment `[a, b)`: a trailing block of
    /// short lines (single blank lines between them allowed) with a name line
    /// and, below it, at least two contact lines — an address or a phone or fax
    /// number among them (`Gina Roe` / `gina@example.com` / `(555) 346-9947` /
    /// `www.example.com`). Prose must remain above it; a sentence or a line
    /// ending in `:` (a list being introduced) keeps the lines as text.
    fn mark_contact_block(
        &self,
        own: &[(VLine, u32)],
        a: usize,
        b: usize,
        kind: &mut [Option<ZoneKind>],
    ) {
        if (a..b).any(|k| kind[k] == Some(ZoneKind::Signature)) {
            return;
        }
        let mut block: Vec<usize> = Vec::new();
        let mut blanks = 0;
        let mut k = b;
        while k > a {
            k -= 1;
            if self.blank_at(own, k) {
                blanks += 1;
                if blanks >= 3 {
                    break;
                }
                continue;
            }
            blanks = 0;
            if kind[k].is_some() {
                // a footer or disclaimer below the signature
                if block.is_empty() {
                    continue;
                }
                break;
            }
            let l = self.line(own[k].0);
            let t = self.trimmed(own[k].0);
            let short = l.chars <= 60
                && l.words <= 8
                && !l.has(F_LONG)
                && !(l.has(F_SENTENCE_END) && l.words >= 5)
                && !t.ends_with(':');
            if !short {
                // `write to the secretariat:` introduces the lines below
                if t.ends_with(':') && block.last().is_some_and(|&f| f == k + 1 || f == k + 2) {
                    return;
                }
                break;
            }
            block.push(k);
            if block.len() > 12 {
                return;
            }
        }
        block.reverse();
        let Some(&top) = block.first() else { return };
        // the writer's own words stay above
        if !(a..top).any(|x| kind[x].is_none() && !self.blank_at(own, x)) {
            return;
        }
        let contacts: Vec<(usize, Contact)> = block
            .iter()
            .filter_map(|&x| contact_kind(self.trimmed(own[x].0)).map(|c| (x, c)))
            .collect();
        if contacts.len() < 2 || !contacts.iter().any(|(_, c)| *c != Contact::Site) {
            return;
        }
        let first_contact = contacts[0].0;
        let named = block
            .iter()
            .take_while(|&&x| x < first_contact)
            .any(|&x| name_line(self.trimmed(own[x].0)));
        if !named {
            return;
        }
        for &x in &block {
            kind[x] = Some(ZoneKind::Signature);
        }
    }

    /// Do these lines look like a signature block (short, not prose)?
    /// Whether own line `k` opens a postscript (`P.S.`, `PS:`, `P.P.S.`).
    fn postscript(&self, own: &[(VLine, u32)], k: usize) -> bool {
        let t = lower(self.trimmed(own[k].0));
        ["p.s", "ps:", "ps ", "p.p.s", "pps:"]
            .iter()
            .any(|p| t.starts_with(p))
    }

    /// A quotation closing a signature: up to three lines and 40 words, not a
    /// postscript, a sign-off or code.
    fn epigram(&self, own: &[(VLine, u32)], para: &[usize]) -> bool {
        let Some(&first) = para.first() else {
            return false;
        };
        if para.len() > 3 || self.postscript(own, first) {
            return false;
        }
        let mut words = 0;
        for &r in para {
            let l = self.line(own[r].0);
            words += usize::from(l.words);
            if l.chars > 120 || l.has(F_CLOSING) {
                return false;
            }
            if crate::code::line_kind(self.trimmed(own[r].0)) == crate::code::LineKind::Code {
                return false;
            }
        }
        words <= 40
    }

    fn sig_ok(&self, own: &[(VLine, u32)], rest: &[usize]) -> bool {
        if rest.len() > 30 {
            return false;
        }
        let mut long = 0;
        let mut sentences = 0;
        let mut code = 0;
        for &r in rest {
            let l = self.line(own[r].0);
            if l.chars > 120 || l.has(F_LONG) {
                return false;
            }
            // a second sign-off: what follows the first is more of the message
            // (a postscript, the policy quoted, the code), not a signature
            if l.has(F_CLOSING) {
                return false;
            }
            if crate::code::line_kind(self.trimmed(own[r].0)) == crate::code::LineKind::Code {
                code += 1;
                if code >= 2 {
                    return false;
                }
            }
            if l.words >= 9 {
                long += 1;
            }
            if l.has(F_SENTENCE_END) && l.words >= 6 {
                sentences += 1;
            }
        }
        long * 3 <= rest.len() && sentences <= 1
    }
}

/// What a signature's contact line gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Contact {
    /// An e-mail address.
    Mail,
    /// A phone, fax or mobile number, or a messaging handle.
    Phone,
    /// A web address.
    Site,
}

/// The contact a short line gives, if it is one: `gina@example.com`,
/// `t. 555-931-0702`, `Tel: +41 22 730 5111`, `skype: jdoe`, `www.example.com`.
fn contact_kind(t: &str) -> Option<Contact> {
    let lt = lower(t);
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() <= 3
        && words.iter().any(|w| {
            let w = w.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | ',' | ';'));
            w.split_once('@')
                .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !d.ends_with('.'))
        })
    {
        return Some(Contact::Mail);
    }
    // pipermail's `mcneale at mac.com` (and its `<mailto:…>` copy after it)
    let plain_at = |w: &[&str]| {
        w.len() == 3
            && w[1] == "at"
            && !w[0].is_empty()
            && w[0]
                .chars()
                .all(|c| c.is_alphanumeric() || "._-+".contains(c))
            && w[2].contains('.')
            && !w[2].ends_with('.')
            && w[2]
                .chars()
                .all(|c| c.is_alphanumeric() || ".-".contains(c))
    };
    if plain_at(&words) || ((4..=6).contains(&words.len()) && plain_at(&words[..3])) {
        return Some(Contact::Mail);
    }
    if words.len() <= 2
        && (lt.starts_with("http://") || lt.starts_with("https://") || lt.starts_with("www."))
    {
        return Some(Contact::Site);
    }
    // a label (`t.`, `tel:`, `fax`, `mobile`, `skype:`), then the number
    const LABELS: &[&str] = &[
        "tel", "tél", "phone", "fax", "mobile", "mob", "cell", "skype", "t", "f", "m", "p", "o",
        "ph", "direct", "office",
    ];
    let (label, rest) = match t.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(') {
        Some(p) => (&lt[..p], &t[p..]),
        None => (lt.as_str(), ""),
    };
    let label = label.trim().trim_end_matches([':', '.', ' ']).trim();
    let labelled = label.is_empty() || LABELS.contains(&label);
    if label.starts_with("skype") && lt.contains(':') {
        return Some(Contact::Phone);
    }
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    let number = rest
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().,/".contains(c) || c == 'x');
    // without a label, a number starts with `+` or `(` or is long (not a date)
    let plain_ok = !label.is_empty() || rest.starts_with(['+', '(']) || digits >= 9;
    (labelled && plain_ok && number && (7..=16).contains(&digits)).then_some(Contact::Phone)
}

/// A signature's name line: one to four words, capitalised, letters only
/// (with `.`, `-`, `'`, `,` and `_`), no digits or address.
fn name_line(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && t.chars().count() <= 40
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && t.chars()
            .all(|c| c.is_alphabetic() || c.is_whitespace() || ".-',_".contains(c))
}

/// Two to four capitalised name words (particles such as `de`, `van` between),
/// none of them a word headings are made of (`Proposed Text:`, `Key Points:`).
fn looks_like_person(s: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "de", "da", "del", "della", "van", "von", "der", "den", "le", "la", "bin", "al", "dos",
        "du",
    ];
    const HEADING_WORDS: &[&str] = &[
        "original",
        "message",
        "forwarded",
        "text",
        "wording",
        "proposal",
        "proposed",
        "summary",
        "update",
        "note",
        "notes",
        "example",
        "question",
        "answer",
        "comment",
        "comments",
        "reply",
        "response",
        "current",
        "new",
        "old",
        "draft",
        "final",
        "key",
        "points",
        "action",
        "items",
        "item",
        "background",
        "section",
        "point",
        "issue",
        "problem",
        "solution",
        "result",
        "results",
        "output",
        "input",
        "error",
        "code",
        "quote",
        "reference",
        "previous",
        "above",
        "below",
        "agenda",
        "minutes",
        "change",
        "changes",
        "patch",
        "status",
        "next",
        "steps",
        "option",
        "options",
        "the",
        "my",
        "our",
        "your",
        "their",
        "his",
        "her",
        "re",
        "fw",
        "fwd",
        "subject",
        "from",
        "to",
        "date",
        "sent",
        "dear",
        "hi",
        "hello",
        "thanks",
        "regards",
        "best",
        "team",
        "all",
        "everyone",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let mut capitals = 0;
    for w in &words {
        let lw = lower(w);
        if HEADING_WORDS.contains(&lw.trim_end_matches('.')) {
            return false;
        }
        if PARTICLES.contains(&lw.as_str()) {
            continue;
        }
        let ok = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\''));
        if !ok {
            return false;
        }
        capitals += 1;
    }
    capitals >= 2
}

/// A line of a signature block that reaches or places a person: a contact
/// ([`contact_kind`]: an email or web address, a phone or fax number), a
/// number in a longer labelled or written-out line (`(415) 733-4487 ph.`), an
/// organisation's legal suffix, or a job title.
pub(crate) fn contact_line(t: &str) -> bool {
    const LABELS: &[&str] = &[
        "phone", "tel", "tel.", "fax", "cell", "mobile", "mob", "ph", "ph.", "office", "direct",
        "email", "e-mail", "web", "skype",
    ];
    const SUFFIXES: &[&str] = &[
        "llc",
        "l.l.c.",
        "inc",
        "inc.",
        "corp",
        "corp.",
        "ltd",
        "ltd.",
        "llp",
        "l.p.",
        "lp",
        "gmbh",
        "plc",
        "co.",
        "company",
        "corporation",
        "university",
        "institute",
    ];
    const TITLES: &[&str] = &[
        "manager",
        "director",
        "consultant",
        "assistant",
        "coordinator",
        "analyst",
        "president",
        "counsel",
        "attorney",
        "engineer",
        "professor",
        "executive",
        "officer",
        "specialist",
        "associate",
        "partner",
        "administrator",
        "advisor",
        "adviser",
        "secretary",
        "chairman",
        "ceo",
        "cfo",
        "coo",
        "cto",
        "vp",
        "head",
    ];
    let lt = lower(t);
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let phone = digits >= 7
        && t.chars()
            .filter(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '(' | ')' | '+' | ' ' | '/'))
            .count()
            * 2
            >= t.chars().count();
    let words: Vec<String> = lt
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '|')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let has_word = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
    contact_kind(t).is_some()
        || phone
        || (has_word(LABELS) && digits >= 5)
        || (words.len() <= 8 && (has_word(SUFFIXES) || has_word(TITLES)))
}

/// Without a quoted-printable soft break (`=`) or spaces at the end.
fn open_end(s: &str) -> &str {
    s.trim_end_matches(|c: char| c == '=' || c.is_whitespace())
}

/// A line that is only a date (`07/26/2000 05:20 PM`, `27/06/2000 20:03`), as
/// Notes writes under the sender's name.
fn is_date_line(t: &str) -> bool {
    if t.len() > 80 || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    match crate::date::find_date(t) {
        Some((_, r)) => {
            let left = t[..r.start].chars().chain(t[r.end..].chars());
            left.filter(|c| c.is_alphanumeric()).count() <= 4
        }
        None => false,
    }
}

/// `AM` / `PM` alone on a line (a wrapped time).
fn is_ampm(t: &str) -> bool {
    let t = t.trim_end_matches(['-', ' ']);
    t.eq_ignore_ascii_case("am") || t.eq_ignore_ascii_case("pm")
}

/// A time alone, as when a client wrapped `… on 04/19/2001` / `09:01:03 PM`.
fn is_time_line(t: &str) -> bool {
    t.len() <= 16
        && t.starts_with(|c: char| c.is_ascii_digit())
        && t.contains(':')
        && t.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, ':' | ' ' | 'A' | 'P' | 'M' | 'a' | 'p' | 'm' | '.')
        })
}

/// A header continuation line (a wrapped address list, a `<mailto:…>` tail).
fn is_continuation(t: &str, last: Field, l: &Line) -> bool {
    if l.chars > 300 || l.field().is_some() {
        return false;
    }
    let lt = lower(t);
    let addr = t.contains('@') || lt.contains("mailto:") || looks_like_address(t) || {
        let u = crate::attribution::undo_pipermail(t);
        u.split_whitespace().any(looks_like_address)
    };
    match last {
        Field::From | Field::To | Field::Cc => {
            addr && (t.starts_with(['<', '[', '(']) || l.words <= 6)
        }
        Field::Other => t.starts_with(['<', '[']) && addr,
        _ => false,
    }
}

/// Join lines, collapse runs of blank lines, trim blank lines at both ends.
fn tidy(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    for l in lines {
        if l.trim().is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(l);
    }
    out
}
