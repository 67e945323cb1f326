//! Body text: sentences, paragraphs, signatures, quoting and rendering into
//! plain (hard-wrapped or long-line), format=flowed and HTML forms.

use crate::corpus::text;
use crate::mime::{needs_stuffing, wrap_pieces};
use crate::people::Person;
use crate::rng::Rng;
use crate::time::month_name;
use crate::{Client, Lang};

/// One logical line of a body.  `flow` lines are paragraphs that a client
/// may wrap; others (quotes, signatures, header blocks) are kept verbatim.
/// A fixed "line" may hold a whole block of lines joined by `\n` (used for
/// quotes, to keep allocations per message low).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub text: String,
    pub flow: bool,
}

impl Line {
    pub(crate) fn fixed(s: impl Into<String>) -> Line {
        Line {
            text: s.into(),
            flow: false,
        }
    }
    pub(crate) fn para(s: impl Into<String>) -> Line {
        Line {
            text: s.into(),
            flow: true,
        }
    }
    pub(crate) fn blank() -> Line {
        Line {
            text: String::new(),
            flow: false,
        }
    }
}

/// What to substitute into templates.
pub(crate) struct Slots<'a> {
    pub lang: Lang,
    pub topic: usize,
    pub name: &'a str,
    /// Grammatical gender of the person addressed (`{g:masc|fem}`).
    pub female: bool,
    pub month: u32,
}

fn capitalize(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(c) => c.to_uppercase().collect::<String>() + it.as_str(),
        None => String::new(),
    }
}

pub(crate) fn fill(rng: &mut Rng, tpl: &str, s: &Slots) -> String {
    let t = text(s.lang);
    let mut out = String::with_capacity(tpl.len() + 40);
    let mut rest = tpl;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let (rep, skip): (String, usize) = if after.starts_with("{t2}") {
            (t.topics[rng.index(t.topics.len())].to_string(), 4)
        } else if after.starts_with("{t}") {
            let idx = if rng.chance(0.6) {
                s.topic % t.topics.len()
            } else {
                rng.index(t.topics.len())
            };
            (t.topics[idx].to_string(), 3)
        } else if after.starts_with("{e}") {
            (t.events[rng.index(t.events.len())].to_string(), 3)
        } else if after.starts_with("{n}") {
            (s.name.to_string(), 3)
        } else if after.starts_with("{m}") {
            (month_name(s.lang, s.month).to_string(), 3)
        } else if let (true, Some(close)) = (after.starts_with("{g:"), after.find('}')) {
            let (masc, fem) = after[3..close]
                .split_once('|')
                .unwrap_or((&after[3..close], ""));
            ((if s.female { fem } else { masc }).to_string(), close + 1)
        } else {
            ("{".to_string(), 1)
        };
        out.push_str(&rep);
        rest = &after[skip..];
    }
    out.push_str(rest);
    if tpl.contains('{') {
        out = contract(s.lang, &out);
    }
    // A template may start with a placeholder ("{e}: session proposals").
    if out.starts_with(|c: char| c.is_lowercase()) && tpl.starts_with('{') {
        out = capitalize(&out);
    }
    out
}

/// Obligatory contractions after substitution ("de el" → "del", "de le" →
/// "du", "em a" → "na", "de Alistair" → "d'Alistair", ...).
fn contract(lang: Lang, s: &str) -> String {
    let pairs: &[(&str, &str)] = match lang {
        Lang::En => return s.to_string(),
        Lang::Es => &[(" de el ", " del "), (" a el ", " al ")],
        Lang::Pt => &[
            (" de o ", " do "),
            (" de a ", " da "),
            (" de os ", " dos "),
            (" de as ", " das "),
            (" em o ", " no "),
            (" em a ", " na "),
            (" em os ", " nos "),
            (" em as ", " nas "),
            (" a o ", " ao "),
            (" a a ", " à "),
            (" a os ", " aos "),
            (" a as ", " às "),
            (" por o ", " pelo "),
            (" por a ", " pela "),
        ],
        Lang::Fr => &[
            (" de le ", " du "),
            (" de les ", " des "),
            (" à le ", " au "),
            (" à les ", " aux "),
            (" de A", " d'A"),
            (" de E", " d'E"),
            (" de I", " d'I"),
            (" de O", " d'O"),
            (" de U", " d'U"),
            (" de É", " d'É"),
            (" que A", " qu'A"),
            (" que E", " qu'E"),
            (" que I", " qu'I"),
            (" que O", " qu'O"),
        ],
    };
    let mut out = s.to_string();
    for (a, b) in pairs {
        if out.contains(a) {
            out = out.replace(a, b);
        }
    }
    out
}

pub(crate) fn paragraph(rng: &mut Rng, s: &Slots, sentences: usize) -> String {
    let t = text(s.lang);
    let mut p = String::new();
    for k in 0..sentences {
        if k > 0 {
            p.push(' ');
        }
        let tpl = t.sentences[rng.index(t.sentences.len())];
        let mut sent = fill(rng, tpl, s);
        if sent.starts_with(|c: char| c.is_lowercase()) {
            sent = capitalize(&sent);
        }
        p.push_str(&sent);
    }
    p
}

/// Outlook AutoCorrect: typographic apostrophes and dashes.
pub(crate) fn smarten(s: &str) -> String {
    s.replace('\'', "\u{2019}").replace(" - ", " \u{2013} ")
}

pub(crate) struct OwnText {
    /// Greeting, paragraphs, closing and first name.
    pub lines: Vec<Line>,
    /// The paragraphs alone, for interleaved quoting by later replies.
    pub paras: Vec<String>,
    pub greeting: Option<String>,
    /// Closing formula and/or first name.
    pub tail: Vec<String>,
}

pub(crate) struct OwnSpec<'a> {
    pub reply_to_first: Option<&'a str>,
    pub paragraphs: usize,
    pub opener: bool,
    pub extra: Option<String>,
}

pub(crate) fn own_text(rng: &mut Rng, author: &Person, s: &Slots, spec: &OwnSpec) -> OwnText {
    let t = text(s.lang);
    let mut lines = Vec::new();
    let mut paras = Vec::new();
    let mut greeting = None;
    let greet_p = if spec.reply_to_first.is_some() {
        0.55
    } else {
        0.85
    };
    if rng.chance(greet_p) {
        let g = match spec.reply_to_first {
            Some(_) => t.greet_reply[rng.index(t.greet_reply.len())],
            None => t.greet_new[rng.index(t.greet_new.len())],
        };
        let g = fill(rng, g, s);
        greeting = Some(g.clone());
        lines.push(Line::fixed(g));
        lines.push(Line::blank());
    }
    for k in 0..spec.paragraphs {
        let n = 1 + rng.index(3) + usize::from(rng.chance(0.25));
        let mut p = if k == 0 && spec.opener && spec.reply_to_first.is_some() {
            let o = t.openers[rng.index(t.openers.len())];
            let o = fill(rng, o, s);
            if n > 1 {
                format!("{o} {}", paragraph(rng, s, n - 1))
            } else {
                o
            }
        } else {
            paragraph(rng, s, n)
        };
        if k == 0 {
            if let Some(extra) = &spec.extra {
                p = format!("{extra} {p}");
            }
        }
        if author.smart_quotes {
            p = smarten(&p);
        }
        paras.push(p.clone());
        lines.push(Line::para(p));
        lines.push(Line::blank());
    }
    let mut tail = Vec::new();
    if rng.chance(0.8) {
        tail.push(t.closings[rng.index(t.closings.len())].to_string());
        tail.push(author.first.clone());
    } else if rng.chance(0.5) {
        tail.push(author.first.clone());
    }
    if tail.is_empty() {
        if lines.last().is_some_and(|l| l.text.is_empty()) {
            lines.pop();
        }
    } else {
        lines.extend(tail.iter().map(|l| Line::fixed(l.clone())));
    }
    OwnText {
        lines,
        paras,
        greeting,
        tail,
    }
}

pub(crate) fn signature(rng: &mut Rng, author: &Person, lang: Lang) -> Vec<Line> {
    if author.client == Client::Apple && rng.chance(0.25) {
        return vec![Line::blank(), Line::fixed(text(lang).mobile)];
    }
    if rng.chance(0.25) {
        return Vec::new();
    }
    let mut v = vec![Line::blank()];
    for l in author.signature.lines() {
        v.push(Line::fixed(l));
    }
    v
}

/// Text as the reader sees it: logical lines joined, no wrapping.
pub(crate) fn render_long(lines: &[Line]) -> String {
    let mut s = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    for l in lines {
        s.push_str(&l.text);
        s.push('\n');
    }
    s
}

/// Hard-wrapped plain text (Gmail plain-text mode, Thunderbird without flowed).
pub(crate) fn render_hard(lines: &[Line], width: usize) -> String {
    let mut s = String::with_capacity(lines.iter().map(|l| l.text.len() + 4).sum());
    for l in lines {
        if l.flow {
            for piece in wrap_pieces(&l.text, width) {
                s.push_str(piece.trim_end_matches(' '));
                s.push('\n');
            }
        } else {
            s.push_str(&l.text);
            s.push('\n');
        }
    }
    s
}

/// RFC 3676 format=flowed: paragraphs wrapped with soft breaks (trailing
/// space; with DelSp=yes an extra space that the reader deletes), fixed lines
/// stripped of trailing spaces, unquoted lines space-stuffed when needed.
pub(crate) fn render_flowed(lines: &[Line], width: usize, delsp: bool) -> String {
    let mut s = String::with_capacity(lines.iter().map(|l| l.text.len() + 8).sum());
    for l in lines {
        if l.flow {
            let pieces = wrap_pieces(&l.text, width);
            let last = pieces.len() - 1;
            for (i, piece) in pieces.iter().enumerate() {
                if needs_stuffing(piece) {
                    s.push(' ');
                }
                if i < last {
                    // `piece` already ends with the separating space.
                    s.push_str(piece);
                    if delsp {
                        s.push(' ');
                    }
                } else {
                    s.push_str(piece.trim_end_matches(' '));
                }
                s.push('\n');
            }
        } else {
            for line in l.text.split('\n') {
                if line == "-- " {
                    s.push_str("-- \n");
                    continue;
                }
                let t = line.trim_end_matches(' ');
                if !t.starts_with('>') && needs_stuffing(t) {
                    s.push(' ');
                }
                s.push_str(t);
                s.push('\n');
            }
        }
    }
    s
}

#[derive(Clone, Copy)]
pub(crate) enum QuoteMark {
    /// Gmail / Apple: "> " before every line, ">" alone for blank lines.
    Spaced,
    /// Thunderbird: ">" before already-quoted lines, "> " otherwise.
    Compact,
}

/// Quote `text` as one fixed block.
pub(crate) fn quote_lines(text: &str, mark: QuoteMark, out: &mut Vec<Line>) {
    let mut q = String::with_capacity(text.len() + text.len() / 16 + 8);
    for l in text.lines() {
        if !q.is_empty() {
            q.push('\n');
        }
        match mark {
            QuoteMark::Compact if l.starts_with('>') => q.push('>'),
            _ if l.is_empty() => q.push('>'),
            _ => q.push_str("> "),
        }
        q.push_str(l);
    }
    if !q.is_empty() {
        out.push(Line::fixed(q));
    }
}

/// Cut `text` to at most `cap` bytes at a line boundary.
pub(crate) fn clip_lines(text: &str, cap: usize) -> &str {
    if text.len() <= cap {
        return text;
    }
    let mut cap = cap;
    while !text.is_char_boundary(cap) {
        cap -= 1;
    }
    match text[..cap].rfind('\n') {
        Some(i) => &text[..=i],
        None => "",
    }
}

fn html_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn quote_depth(l: &str) -> (usize, &str) {
    let mut depth = 0;
    let mut rest = l;
    loop {
        if let Some(r) = rest.strip_prefix('>') {
            depth += 1;
            rest = r.strip_prefix(' ').unwrap_or(r);
        } else {
            return (depth, rest);
        }
    }
}

/// The HTML alternative of a plain-text body, in the style of `client`.
pub(crate) fn to_html(display: &str, client: Client) -> String {
    let (open, close, bq) = match client {
        Client::Gmail => (
            "<div dir=\"ltr\">",
            "</div>\n",
            "<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">",
        ),
        Client::Outlook => (
            "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n<style type=\"text/css\" style=\"display:none;\"> P {margin-top:0;margin-bottom:0;} </style>\n</head>\n<body dir=\"ltr\">\n<div style=\"font-family: Calibri, Arial, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);\">",
            "</div>\n</body>\n</html>\n",
            "<blockquote style=\"margin-left:0.8ex;border-left:1px solid #ccc;padding-left:1ex\">",
        ),
        Client::Apple => (
            "<html><head><meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\"></head><body style=\"overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;\">",
            "</body></html>\n",
            "<blockquote type=\"cite\">",
        ),
        Client::Thunderbird | Client::Notes => (
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n  </head>\n  <body>\n",
            "  </body>\n</html>\n",
            "<blockquote type=\"cite\">",
        ),
    };
    let mut out = String::with_capacity(display.len() * 2 + 600);
    out.push_str(open);
    out.push('\n');
    let mut depth = 0usize;
    for l in display.lines() {
        let (d, rest) = quote_depth(l);
        while depth < d {
            out.push_str(bq);
            out.push('\n');
            depth += 1;
        }
        while depth > d {
            out.push_str("</blockquote>\n");
            depth -= 1;
        }
        if rest.is_empty() {
            out.push_str("<div><br></div>\n");
        } else if rest.starts_with("________________") {
            out.push_str("<hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">\n");
        } else {
            out.push_str("<div>");
            html_escape(rest, &mut out);
            out.push_str("</div>\n");
        }
    }
    while depth > 0 {
        out.push_str("</blockquote>\n");
        depth -= 1;
    }
    out.push_str(close);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flowed_rendering() {
        let lines = vec![
            Line::para("From here we go with a reasonably long paragraph that must wrap somewhere"),
            Line::fixed("> quoted  "),
            Line::fixed(" indented"),
            Line::fixed("-- "),
        ];
        let s = render_flowed(&lines, 30, false);
        let v: Vec<&str> = s.lines().collect();
        assert!(v[0].starts_with(" From "), "{s}");
        assert!(v[0].ends_with(' '));
        assert!(v.contains(&"> quoted"));
        assert!(v.contains(&"  indented"));
        assert!(v.contains(&"-- "));
        let d = render_flowed(&lines[..1], 30, true);
        assert!(d.lines().next().is_some_and(|l| l.ends_with("  ")), "{d}");
    }

    /// RFC 3676 reader: unstuff, join soft-broken lines, honour DelSp.
    fn unflow(s: &str, delsp: bool) -> String {
        let mut out = String::new();
        let mut pending = String::new();
        for line in s.lines() {
            let quoted = line.starts_with('>');
            let line = if !quoted {
                line.strip_prefix(' ').unwrap_or(line)
            } else {
                line
            };
            if line.ends_with(' ') && line != "-- " {
                let l = if delsp { &line[..line.len() - 1] } else { line };
                pending.push_str(l);
            } else {
                pending.push_str(line);
                out.push_str(&pending);
                out.push('\n');
                pending.clear();
            }
        }
        out.push_str(&pending);
        out
    }

    #[test]
    fn flowed_roundtrip() {
        let mut rng = Rng::new(4);
        let slots = Slots {
            lang: Lang::Fr,
            topic: 3,
            name: "Ana",
            female: true,
            month: 5,
        };
        let lines = vec![
            Line::fixed("Bonjour Ana,"),
            Line::blank(),
            Line::para(paragraph(&mut rng, &slots, 4)),
            Line::para(format!("From here {}", paragraph(&mut rng, &slots, 3))),
            Line::fixed("> quoted line\n>\n> > deeper"),
            Line::fixed("-- "),
            Line::fixed("Ana"),
        ];
        for delsp in [false, true] {
            let wire = render_flowed(&lines, 60, delsp);
            assert!(wire.lines().all(|l| l.chars().count() <= 80), "{wire}");
            assert_eq!(
                unflow(&wire, delsp),
                render_long(&lines),
                "delsp={delsp}\n{wire}"
            );
        }
    }

    #[test]
    fn contractions_and_gender() {
        let mut rng = Rng::new(1);
        let s = Slots {
            lang: Lang::Pt,
            topic: 0,
            name: "Ana",
            female: true,
            month: 1,
        };
        assert_eq!(fill(&mut rng, "Car{g:o|a} {n},", &s), "Cara Ana,");
        assert_eq!(
            contract(Lang::Pt, "falamos de a cooperação em o Brasil"),
            "falamos da cooperação no Brasil"
        );
        assert_eq!(
            contract(Lang::Fr, "l'avis de Alistair"),
            "l'avis d'Alistair"
        );
        assert_eq!(
            contract(Lang::Es, "hablamos de el tema"),
            "hablamos del tema"
        );
    }

    #[test]
    fn quoting_styles() {
        let mut v = Vec::new();
        quote_lines("a\n\n> b", QuoteMark::Compact, &mut v);
        let t: Vec<&str> = v.iter().flat_map(|l| l.text.split('\n')).collect();
        assert_eq!(t, vec!["> a", ">", ">> b"]);
        v.clear();
        quote_lines("a\n> b", QuoteMark::Spaced, &mut v);
        let t: Vec<&str> = v.iter().flat_map(|l| l.text.split('\n')).collect();
        assert_eq!(t, vec!["> a", "> > b"]);
    }
}
