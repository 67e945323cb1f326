//! Evidence about a quoted message before it is reconstructed (issue 12,
//! precision first): whether its author is a person at all, what of its text
//! is the author's own words (not a list footer, a mail client's headers, a
//! third person's forwarded block, wrapped fragments of deeper levels or an
//! undelimited signature), and whether the archive already holds its words.

use std::hash::{DefaultHasher, Hash, Hasher};

use rustc_hash::FxHashMap;

use plenary_people::names_match;
#[cfg(test)]
use plenary_store::AnalysedMessage;

/// The last word of a hyphenated token that names a mailing list
/// (`R-package-devel`, `twisted-web`, `foo-users`), not a person.
const LIST_SUFFIXES: &[&str] = &[
    "devel", "dev", "users", "user", "help", "list", "announce", "discuss", "web", "general",
    "commits", "bugs", "bounces", "request", "owner", "digest",
];

/// Words a mis-cut attribution leaves in a name: the verb (`X wrote on DATE:`),
/// Outlook's `On Behalf Of` wrapped away from the person, German `Im Auftrag`.
const NOT_NAME_WORDS: &[&str] = &[
    "wrote",
    "writes",
    "schrieb",
    "escribió",
    "escreveu",
    "behalf",
    "auftrag",
    "digest",
    "said",
];

fn is_list_token(t: &str) -> bool {
    let t = t.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    let Some((_, last)) = t.rsplit_once('-') else {
        return false;
    };
    LIST_SUFFIXES.contains(&last.to_lowercase().as_str())
}

/// The person's name in a quote's attribution, cleaned of what mis-cut
/// attributions leave in it; `None` when it names no person (a list, a time,
/// a date, an Outlook fragment, mojibake only).
pub(crate) fn person_name(name: &str) -> Option<String> {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    // pipermail's `?` for every non-ASCII letter: a verb in another script
    // (`Jan Gorecki ?????:`) is no part of the name
    while words
        .last()
        .is_some_and(|w| w.chars().all(|c| matches!(c, '?' | ':' | ',')))
    {
        words.pop();
    }
    // and the `?` of a character it could not show before the name
    while words.first().is_some_and(|w| w.chars().all(|c| c == '?')) {
        words.remove(0);
    }
    while words.last().is_some_and(|w| {
        let w = w.to_lowercase();
        w == "on" || w == "am" || w == "le" || w == "wrote" || w == "writes"
    }) {
        words.pop();
    }
    if words.is_empty() {
        return None;
    }
    // `Some time ago, I wrote:` is the writer quoting themself, not a name
    if words.contains(&"I") {
        return None;
    }
    let joined = words.join(" ");
    let lower = joined.to_lowercase();
    let bad = joined
        .chars()
        // (quote markers or an attribution's own words caught in the name:
        // `? ? ? >>>> On , Berry B`)
        .any(|c| c.is_ascii_digit() || matches!(c, ':' | '@' | '>' | '<'))
        || words.iter().any(|w| is_list_token(w))
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| NOT_NAME_WORDS.contains(&w))
        || !joined.chars().any(char::is_alphabetic);
    (!bad).then_some(joined)
}

/// A quote's address, unless it is a list's own (posting, -bounces, -request).
pub(crate) fn person_address(address: &str) -> Option<String> {
    let a = address.trim().to_lowercase();
    let local = a.split('@').next().unwrap_or("");
    let bad = local.is_empty() || !a.contains('@') || is_list_token(local);
    (!bad).then_some(a)
}

fn header_name(line: &str) -> Option<&str> {
    let (k, _) = line.split_once(':')?;
    let k = k.trim();
    (!k.is_empty() && k.len() <= 28 && !k.contains(char::is_whitespace)).then_some(k)
}

/// Transport headers of a quoted mail (a commit mail, a digest's part):
/// never the author's words.
fn is_transport_header(line: &str) -> bool {
    let Some(k) = header_name(line.trim()) else {
        return false;
    };
    let k = k.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "mime-version"
            | "content-type"
            | "content-transfer-encoding"
            | "content-disposition"
            | "message-id"
            | "in-reply-to"
            | "references"
            | "x-mailer"
            | "precedence"
    )
}

/// A header of the quoted mail's own block that the quoted text starts with:
/// the transport headers, an extension header (`X-Mailbox-Line: From nobody …`)
/// or a delivery header.
fn is_lead_header(line: &str) -> bool {
    if is_transport_header(line) {
        return true;
    }
    let Some(k) = header_name(line.trim()) else {
        return false;
    };
    let k = k.to_ascii_lowercase();
    (k.starts_with("x-") && k.len() > 2 && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        || matches!(
            k.as_str(),
            "received" | "return-path" | "delivered-to" | "envelope-to" | "errors-to" | "list-id"
        )
}

/// A forwarded header line left below the block (`Pour : \tjane at x.org`,
/// `Reply-To: CRAN at R-project.org`): a short field name, a colon, a value.
fn is_leftover_header(line: &str) -> bool {
    let t = line.trim_end();
    let Some((k, v)) = t.split_once(':') else {
        return false;
    };
    let k = k.trim();
    let words = k.split_whitespace().count();
    // a forwarded block's own fields (the caller wants two or more in a row)
    let known = [
        "organization",
        "organisation",
        "to",
        "cc",
        "reply-to",
        "date",
        "sent",
        "subject",
        "from",
        "newsgroups",
    ]
    .contains(&k.to_ascii_lowercase().as_str());
    if known && !v.trim().is_empty() {
        return true;
    }
    !k.is_empty()
        && (1..=3).contains(&words)
        && k.chars().count() <= 24
        && k.chars().next().is_some_and(char::is_uppercase)
        && !v.trim().is_empty()
        && (v.starts_with('\t') || v.starts_with(" \t") || k.ends_with(' ') || t.contains(" at "))
}

fn is_rule(t: &str) -> bool {
    let t = t.trim();
    t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '_' | '=' | '*'))
}

fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The author's own words of a quoted message: without transport and
/// left-over forwarded headers, list footers and `[[…]]` list artefacts, a
/// third person's header block pasted below, deeper-level lines hidden behind
/// pipermail's `?` and wrapped fragments of deeper levels, and the signature
/// block below the author's name line.
pub(crate) fn own_words(text: &str, name: Option<&str>) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut keep: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    // leading headers: transport headers anywhere in the first paragraph,
    // forwarded left-overs only as a block of two or more
    let first_blank = lines
        .iter()
        .position(|l| l.trim().is_empty())
        .unwrap_or(lines.len());
    let mut lead = lines[..first_blank]
        .iter()
        .take_while(|l| is_leftover_header(l) || is_lead_header(l))
        .count();
    // a wrapped value's tail closing the header paragraph (`To: …, CRAN at R-` /
    // `project.org`)
    if lead >= 1
        && lead + 1 == first_blank
        && word_count(lines[lead]) <= 3
        && !lines[lead].trim_end().ends_with(['.', '!', '?', ':'])
        && (lines[lead - 1].trim_end().ends_with(['-', ',']) || lines[lead].trim().contains('.'))
    {
        lead += 1;
    }
    if lead >= 2 || (lead == 1 && is_lead_header(lines[0])) {
        i = lead;
    }
    while i < lines.len() {
        let l = lines[i];
        let t = l.trim().trim_start_matches(['?', '\u{a0}']).trim();
        // a Mailman footer: a rule, then the list's address and listinfo URL
        if is_rule(t)
            && lines[i + 1..]
                .iter()
                .filter(|l| !l.trim().is_empty())
                .take(3)
                .any(|l| l.contains("listinfo") || l.contains("mailing list"))
        {
            break;
        }
        // a third person's header block (Outlook inline, a forward inside)
        let next_from = lines[i + 1..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(2)
            .any(|l| {
                let l = l.trim_start().trim_start_matches('*');
                l.starts_with("From:") || l.starts_with("De:") || l.starts_with("Von:")
            });
        if (is_rule(t) || t.eq_ignore_ascii_case("-----Original Message-----")) && next_from {
            break;
        }
        if t.starts_with("[[") && t.ends_with("]]") || image_placeholder(t) {
            i += 1;
            continue;
        }
        if is_transport_header(t) {
            i += 1;
            continue;
        }
        // `? >>> text`: a deeper level whose markers pipermail hid behind `?`
        let before_gt = l.trim_start();
        if before_gt.starts_with('?')
            && before_gt
                .trim_start_matches(['?', ' ', '\u{a0}'])
                .starts_with('>')
        {
            i += 1;
            continue;
        }
        // a deeper level's attribution left in the text (its `>` lost in
        // re-wrapping): what follows is not the author's
        if !keep.is_empty() && deeper_attribution(&lines[i..]) {
            break;
        }
        keep.push(l);
        i += 1;
    }
    // (and a mail client's attachment placeholder at the end: `<bed2vector.cpp>`)
    let placeholder = |l: &str| {
        let t = l.trim();
        t.len() > 2
            && t.starts_with('<')
            && t.ends_with('>')
            && !t.contains([' ', '@', ':'])
            && t[1..t.len() - 1].contains('.')
    };
    while keep
        .last()
        .is_some_and(|l| l.trim().is_empty() || is_rule(l) || placeholder(l))
    {
        keep.pop();
    }
    // a sign-off of the name with the address (`Jo Reyes <jo at example.org>`):
    // the name signs, the address is the signature's
    if let (Some(n), Some(last)) = (name, keep.last_mut()) {
        let s: &str = last;
        let t = s.trim_end();
        if let Some(lt) = t.strip_suffix('>').and_then(|x| x.rfind('<')) {
            let who = t[..lt].trim();
            let addr = &t[lt + 1..t.len() - 1];
            let words = who.split_whitespace().count();
            if (addr.contains('@') || addr.contains(" at "))
                && (1..=4).contains(&words)
                && names_match(who, n)
            {
                *last = s[..lt].trim_end();
            }
        }
    }
    let keep = cut_fragment_tail(keep, name);
    let keep = cut_signature_block(keep, name);
    let keep = cut_after_signoff(keep, name);
    // many lines and not one sentence among them: wrapped tails and
    // `<mailto:…>` remnants of other levels, nothing the author wrote
    let lines_with_words = keep.iter().filter(|l| word_count(l) > 0).count();
    if lines_with_words >= 4 && prose_words(&keep.join("\n")) < 4 {
        return String::new();
    }
    let start = keep
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(keep.len());
    keep[start..].join("\n").trim_end().to_string()
}

/// Whether a text is only a unified diff's lines: added and removed lines,
/// hunk headers and file headers, without a line of prose around them.
pub(crate) fn patch_only(text: &str) -> bool {
    let (mut changed, mut patch_sign) = (0, false);
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let header = l.starts_with("@@ ")
            || l.starts_with("Index: ")
            || l.starts_with("diff ")
            || l.starts_with("====");
        if !(header || l.starts_with(['+', '-'])) {
            return false;
        }
        if l.starts_with(['+', '-']) && !l.starts_with("+++") && !l.starts_with("---") {
            changed += 1;
        }
        // (a list of `- item` lines alone is no patch)
        patch_sign |= header || l.starts_with('+');
    }
    changed >= 2 && patch_sign
}

/// What a client leaves in the text for an inline image: Gmail's `[image:
/// image.png]`, or the file's name alone on its line (`image.png`).
fn image_placeholder(t: &str) -> bool {
    let name = t
        .strip_prefix("[image:")
        .and_then(|r| r.strip_suffix(']'))
        .map(str::trim)
        .unwrap_or(t);
    let bracketed = name.len() != t.len();
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return bracketed;
    };
    let image = ["png", "jpg", "jpeg", "gif", "bmp"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e));
    bracketed
        || image
            && !stem.is_empty()
            && stem
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

const WROTE: &[&str] = &[
    "wrote:",
    "writes:",
    "a écrit :",
    "a écrit:",
    "a ?crit :",
    "a ?crit:",
    "schrieb:",
    "escribió:",
    "escribi?:",
    "escreveu:",
    "ha scritto:",
];

const INTROS: &[&str] = &["On ", "Le ", "Am ", "El ", "Em ", "Il ", "Op "];

/// Whether `lines` start with the attribution of a deeper level: `On DATE,
/// Name <addr> wrote:` or its French, German, Spanish, Portuguese, Italian
/// forms, over one or two lines, or an `On DATE Name <` line whose `wrote:`
/// was lost with its quote markers.
fn deeper_attribution(lines: &[&str]) -> bool {
    let clean = |l: &str| {
        l.trim()
            .trim_start_matches(['?', ' ', '\u{a0}', '>'])
            .trim()
            .to_string()
    };
    let Some(first) = lines.first().map(|l| clean(l)) else {
        return false;
    };
    if first.is_empty() || first.len() > 250 {
        return false;
    }
    let second = lines.get(1).map(|l| clean(l)).unwrap_or_default();
    let intro = INTROS.iter().any(|p| first.starts_with(p));
    let has_digit = first.chars().any(|c| c.is_ascii_digit());
    let joined = format!("{first} {second}");
    let joined = joined.trim();
    let ends_wrote = |t: &str| WROTE.iter().any(|w| t.ends_with(w));
    let addr = |t: &str| t.contains('@') || t.contains(" at ");
    if ends_wrote(&first) && (intro || addr(&first)) {
        return true;
    }
    if !second.is_empty() && ends_wrote(joined) && intro && has_digit {
        return true;
    }
    // `On Tue, Jul 6, 2021 at 10:18 AM Jane Doe <` + `jane at x.org <mailto:…>>`
    intro && has_digit && (first.ends_with('<') || (second.starts_with('<') && addr(&second)))
}

/// Wrapped fragments of deeper levels: from the first run of three one-line
/// paragraphs of at most two words each (`wrote:`, `systems.`, `-stdlib`),
/// once the author has said something.
fn cut_fragment_tail<'a>(lines: Vec<&'a str>, name: Option<&str>) -> Vec<&'a str> {
    // paragraphs as (first line, line count)
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            if let Some(s) = start.take() {
                paras.push((s, i - s));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        paras.push((s, lines.len() - s));
    }
    // a call (`install.packages('raster')`) or a sign-off (`Best wishes,`) is
    // the author's, not a fragment
    // , the author's initials (`H.`), or a link the sentence above introduces
    // (`… instead of hardcoded C:/extsoft:` / `https://github.com/…`)
    let small = |&(s, n): &(usize, usize)| {
        let t = lines[s].trim();
        let introduced = s > 0
            && (t.starts_with("http://") || t.starts_with("https://"))
            && lines[..s]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_end().ends_with(':'));
        // a log's `Key: value` line (`Status: 403`, `From: DESCRIPTION`)
        let field = {
            let mut w = t.split_whitespace();
            match (w.next(), w.next()) {
                (Some(k), Some(_)) => {
                    k.len() > 1
                        && k.ends_with(':')
                        && k.chars().next().is_some_and(char::is_uppercase)
                }
                _ => false,
            }
        };
        n == 1
            && t.split_whitespace().count() <= 2
            && !field
            && !is_call(t)
            && !t.ends_with(',')
            && !introduced
            && !name.is_some_and(|nm| initials_sign(t, nm))
    };
    // text a client double-spaced (a blank line after every line, as HTML mail
    // turned to text often is) has one-line paragraphs throughout: there they
    // are no sign of fragments
    let double_spaced = |k: usize| {
        let single = paras[..k].iter().filter(|(_, n)| *n == 1).count();
        k >= 5 && single * 10 >= k * 7
    };
    for k in 0..paras.len().saturating_sub(2) {
        if paras[k..k + 3].iter().all(small) && !double_spaced(k) {
            let cut = paras[k].0;
            // before the fragments a sentence of the author's, else nothing is theirs
            return if prose_words(&lines[..cut].join("\n")) >= 4 {
                lines[..cut].to_vec()
            } else {
                Vec::new()
            };
        }
    }
    lines
}

/// A call or an indexing written alone (`install.packages('raster')`,
/// `x[,1,drop=FALSE]`): a name right before the bracket, the bracket closed at
/// the end. `scripts (638ms)` is none.
fn is_call(t: &str) -> bool {
    let Some(open) = t.find(['(', '[']) else {
        return false;
    };
    let before = t[..open].chars().last();
    before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '$'))
        && t.ends_with([')', ']'])
}

/// Words in lines of four words or more: how much of a text is sentences,
/// to choose the best of several quoted copies of one message.
pub(crate) fn prose_words(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('<'))
        .map(|l| {
            l.split_whitespace()
                .filter(|w| {
                    let w = w.trim_matches(|c: char| ".,;:!?'\"()".contains(c));
                    !w.is_empty() && w.chars().all(char::is_alphabetic)
                })
                .count()
        })
        .filter(|&n| n >= 4)
        .sum()
}

/// Lines after the author's last sign-off (`Best,` / `Kevin`): in a quoted
/// message, what follows it is a deeper level's text whose `>` a client lost in
/// re-wrapping, not the author's — unless it is a postscript (`P.S.`).
fn cut_after_signoff<'a>(mut lines: Vec<&'a str>, name: Option<&str>) -> Vec<&'a str> {
    let Some(name) = name else {
        return lines;
    };
    let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
    // (pipermail writes an indenting non-breaking space as `?`)
    fn clean(t: &str) -> &str {
        t.trim().trim_start_matches(['?', '\u{a0}', ' ']).trim()
    }
    let signs = |t: &str| {
        let t = clean(t)
            .trim_start_matches(['-', '\u{2013}', '\u{2014}'])
            .trim_start()
            .trim_end_matches(['.', ',']);
        // (one to three words first: most lines are prose, and the name tests
        // below lowercase and compare)
        if !(1..=3).contains(&t.split_whitespace().count()) {
            return false;
        }
        let lower = t.to_lowercase();
        // a given name that is not the first word (`Mark` for R. Mark Sharp)
        let given = !lower.contains(' ')
            && lower.chars().count() >= 3
            && name
                .split_whitespace()
                .any(|w| w.trim_end_matches('.').to_lowercase() == lower);
        lower == first || given || names_match(t, name)
    };
    // the name with degrees or titles after a comma (`R. Mark Sharp, Ph.D.`)
    let signs_head = |t: &str| {
        let t = clean(t);
        t.contains(',') && signs(t.split(',').next().unwrap_or(t))
    };
    // `H.` alone as a paragraph under Hervé's words
    let initials = |i: usize| {
        initials_sign(lines[i], name)
            && (i == 0 || lines[i - 1].trim().is_empty())
            && lines.get(i + 1).is_none_or(|l| l.trim().is_empty())
    };
    let closing = |t: &str| {
        let t = clean(t);
        t.ends_with(',')
            && (1..=3).contains(&t.split_whitespace().count())
            && t.chars().next().is_some_and(char::is_uppercase)
    };
    let blank = |k: usize| lines.get(k).is_none_or(|l| l.trim().is_empty());
    let mut at = None;
    let mut nick = None;
    for i in 0..lines.len() {
        if signs(lines[i]) {
            let prev = lines[..i].iter().rposition(|l| !l.trim().is_empty());
            // `Best,` / `Kevin`; or the full name alone as a paragraph under a
            // finished sentence (`… post to the list.` / `` / `Duncan Murdoch`)
            let full_name = lines[i].split_whitespace().count() >= 2
                && i > 0
                && blank(i - 1)
                && blank(i + 1)
                && prev.is_some_and(|p| lines[p].trim_end().ends_with(['.', '!', '?']));
            // `-Roy` alone; or the name alone as a paragraph with a contact block
            // (phone, fax, e-mail, Skype, web) further down: the signature under it
            let next_head = lines.get(i + 1).is_some_and(|l| signs_head(l));
            let alone = i > 0 && blank(i - 1) && (blank(i + 1) || next_head);
            let dashed = lines[i]
                .trim_start()
                .starts_with(['-', '\u{2013}', '\u{2014}']);
            let contacts = lines[i + 1..].iter().filter(|l| contact_line(l)).count();
            // (or only the author's full name under it: the head of a signature
            // block cut below it)
            let names_below = lines[i + 1..].iter().any(|l| !l.trim().is_empty())
                && lines[i + 1..]
                    .iter()
                    .all(|l| l.trim().is_empty() || signs(l.split(',').next().unwrap_or(l)));
            if alone && (dashed || contacts >= 2 || names_below || next_head && contacts >= 1) {
                // the first such name: what follows is its signature
                at = Some(i);
                break;
            }
            if full_name || prev.is_some_and(|p| i - p <= 2 && closing(lines[p])) {
                at = Some(i);
            }
        } else if i > 0 && initials(i) {
            at = Some(i);
        } else if signs_head(lines[i]) {
            // `Thanks a lot,` / `Rainer M. Krug, PhD (…), MSc (…)`
            let prev = lines[..i].iter().rposition(|l| !l.trim().is_empty());
            if prev.is_some_and(|p| i - p <= 2 && closing(lines[p])) {
                at = Some(i);
            }
        } else if nickname(lines[i]) {
            // `Thanks,` / `Joan`: a name the writer goes by under a closing, alone
            let prev = lines[..i].iter().rposition(|l| !l.trim().is_empty());
            if nick.is_none()
                && prev.is_some_and(|p| i - p <= 2 && closing(lines[p]))
                && lines.get(i + 1).is_none_or(|l| l.trim().is_empty())
            {
                nick = Some(i);
            }
        }
    }
    // (a sign-off in the author's own name wins: a nickname's may be a deeper
    // level's writer's, `Best,` / `Jan` under Kristian's `Regards,` / `Kristian`)
    let Some(i) = at.or(nick) else {
        return lines;
    };
    let Some(next) = lines[i + 1..].iter().find(|l| !l.trim().is_empty()) else {
        return lines;
    };
    let next = next.trim_start().to_lowercase();
    // a postscript, or the author's footnote (`[*] See …`, `[1] https://…`)
    let footnote = next.starts_with('[') && next.get(1..5).is_some_and(|s| s.contains(']'));
    if next.starts_with("p.s") || next.starts_with("ps") || next.starts_with("pps") || footnote {
        return lines;
    }
    lines.truncate(i + 1);
    lines
}

/// A one- or two-word name as a writer signs (`Joan`, `Mary-Ann`, `J.P. Lee`):
/// capitalised words of letters, hyphens and dots.
fn nickname(l: &str) -> bool {
    let ws: Vec<&str> = l.split_whitespace().collect();
    (1..=2).contains(&ws.len())
        && ws.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() >= 2
                && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
        })
}

/// A signature's contact line (`Phone: (831)-420-3666`, `Cell: +41 …`,
/// `rmsharp at me.com`), pipermail's `?` for a non-breaking space read as a space.
fn contact_line(l: &str) -> bool {
    plenary_quotes::is_contact_line(&l.replace('?', " "))
}

/// Whether `t` is the author's initials as a sign-off: `H.`, `HP`, `-h` for
/// Hervé Pagès (one to three letters, the first one the first name's).
fn initials_sign(t: &str, name: &str) -> bool {
    let t = t
        .trim()
        .trim_start_matches('-')
        .trim_end_matches(['.', ',']);
    let letters: Vec<char> = t.chars().filter(|c| *c != '.').collect();
    if letters.is_empty() || letters.len() > 3 || !letters.iter().all(|c| c.is_alphabetic()) {
        return false;
    }
    let inits: Vec<char> = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    let got: Vec<char> = letters.iter().flat_map(|c| c.to_lowercase()).collect();
    match got.as_slice() {
        [one] => inits.first() == Some(one),
        more => inits.starts_with(more) || inits == more,
    }
}

/// A signature without `-- `: below a line that is the author's name, two to
/// eight short lines that are no sentences (title, department, organisation,
/// web site, phone).
fn cut_signature_block<'a>(mut lines: Vec<&'a str>, name: Option<&str>) -> Vec<&'a str> {
    let Some(name) = name else {
        return lines;
    };
    let Some(at) = lines.iter().rposition(|l| {
        let t = l.trim();
        (1..=4).contains(&t.split_whitespace().count()) && names_match(t, name)
    }) else {
        return lines;
    };
    let below: Vec<&str> = lines[at + 1..]
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    // under a rule the lines may be longer (`Our book: Practical Data Science with R
    // http://…`): the rule and the name already say it is a signature
    let ruled = at > 0 && is_rule(lines[at - 1]);
    let limit = if ruled { 16 } else { 8 };
    let short = below.iter().all(|l| {
        let t = l.trim();
        t.split_whitespace().count() <= limit && !t.ends_with(['.', '?', '!', ':', ';', ','])
    });
    if (if ruled { 1..=8 } else { 2..=8 }).contains(&below.len()) && short {
        // under a rule (`______` / `  Jane Doe` / title / web site) the name is
        // the signature's first line, not a sign-off
        if at > 0 && is_rule(lines[at - 1]) {
            lines.truncate(at - 1);
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
        } else {
            lines.truncate(at + 1);
        }
    }
    lines
}

/// A time of day without a date (`06:30 pm`, `14:02`) read on the day of
/// the message quoting it (UTC `at`, its writer's offset in seconds when
/// known), the day before when that time is later than the message: UTC
/// seconds, and whether the offset is known.
pub(crate) fn same_day_time(text: &str, at: i64, offset: Option<i32>) -> Option<(i64, bool)> {
    let t = text.trim().trim_end_matches(',').trim();
    let (hm, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
    let (h, m) = hm.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (mut h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    match rest.trim().to_ascii_lowercase().as_str() {
        "" => {}
        "am" | "a.m." => {
            if h == 12 {
                h = 0;
            }
        }
        "pm" | "p.m." => {
            if h < 12 {
                h += 12;
            }
        }
        _ => return None,
    }
    if h > 23 || m > 59 {
        return None;
    }
    let off = i64::from(offset.unwrap_or(0));
    let (y, mo, d, _, _) = plenary_mail::date::utc_to_civil(at + off)?;
    let local = plenary_mail::date::civil_to_utc(y, mo, d, h, m, 0)?;
    let mut utc = local - off;
    const DAY: i64 = 24 * 3600;
    if offset.is_some() {
        if utc > at + 60 {
            utc -= DAY;
        }
        // Divmod's webmail, which writes these, gives the time in UTC, other
        // clients in their writer's zone: the reading closest before the message
        let (uy, um, ud, _, _) = plenary_mail::date::utc_to_civil(at)?;
        let as_utc = plenary_mail::date::civil_to_utc(uy, um, ud, h, m, 0)?;
        let as_utc = if as_utc > at + 60 {
            as_utc - DAY
        } else {
            as_utc
        };
        if as_utc > utc {
            return Some((as_utc, false));
        }
    } else {
        // Without the writer's offset the stored time may be their local time
        // taken as UTC (pipermail's dates), up to 14 hours off the real one: the
        // quoted time may then fall on the next day. The reading nearest the
        // message that is not more than 14 hours after it (replies follow soon).
        const SLACK: i64 = 14 * 3600;
        utc = [utc - DAY, utc, utc + DAY]
            .into_iter()
            .filter(|&c| c <= at + SLACK)
            .min_by_key(|&c| (c - at).abs())?;
    }
    Some((utc, offset.is_some()))
}

/// Message-IDs written in a quoted header block or its first lines
/// (`Message-ID: <x at y>`), as stored (`x@y`).
pub(crate) fn message_ids(attribution: &str, text: &str) -> Vec<String> {
    attribution
        .lines()
        .chain(text.lines().take(12))
        .filter_map(|l| {
            let t = l.trim();
            let (k, v) = t.split_once(':')?;
            if !k.trim().eq_ignore_ascii_case("message-id") {
                return None;
            }
            let v = v.trim().trim_start_matches('<').trim_end_matches('>');
            let v = v.replace(" at ", "@");
            (!v.is_empty() && v.contains('@')).then_some(v)
        })
        .collect()
}

/// The text without its links: a link rewritten by a mail filter
/// (`safelinks`, `urldefense`) has nothing of the original's words.
pub(crate) fn without_urls(s: &str) -> String {
    s.split_whitespace()
        .filter(|w| !(w.contains("://") || w.contains("%2F") || w.starts_with("www.")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lowercased words of `s` (split at every character that is not alphanumeric),
/// as ranges of one buffer: a word is lowercased on its own, as `str::to_lowercase`
/// of the word does (not the text at once: a final sigma, a dotted capital I would
/// differ), with ASCII words lowered in place, without an allocation per word.
fn words_into(s: &str, buf: &mut String, spans: &mut Vec<(usize, usize)>) {
    buf.clear();
    spans.clear();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let start = buf.len();
        if w.is_ascii() {
            buf.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            buf.push_str(&w.to_lowercase());
        }
        spans.push((start, buf.len()));
    }
}

/// The text's word 3-shingles, hashed, sorted and distinct. Each is the hash of the
/// three lowercased words as a slice of strings (the values do not depend on how the
/// words are held: a `[&str]` hashes as the `[String]` it was first written with).
fn shingles(s: &str) -> Vec<u64> {
    let (mut buf, mut spans) = (String::new(), Vec::new());
    words_into(s, &mut buf, &mut spans);
    let word = |&(a, b): &(usize, usize)| buf.get(a..b).unwrap_or("");
    let mut v: Vec<u64> = spans
        .windows(3)
        .map(|x| {
            let three = [word(&x[0]), word(&x[1]), word(&x[2])];
            let mut h = DefaultHasher::new();
            three[..].hash(&mut h);
            h.finish()
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Word 3-shingles of every archived message's own words, to find the
/// message whose words a quote repeats whoever wrote it.
pub(crate) struct TextIndex {
    /// Keyed by shingle hashes, which need no second SipHash (the map's hashing was a
    /// fifth of building the index of a large list).
    postings: FxHashMap<u64, Vec<u32>>,
}

/// A shingle in more messages than this says nothing about which one.
const COMMON: usize = 40;

impl TextIndex {
    #[cfg(test)]
    pub(crate) fn build(msgs: &[AnalysedMessage]) -> TextIndex {
        TextIndex::build_with(msgs.len(), |i| {
            std::borrow::Cow::Borrowed(msgs[i].new_text.as_deref().unwrap_or(""))
        })
    }

    /// The index of `count` messages whose own words `own` gives by position.
    pub(crate) fn build_with<'a>(
        count: usize,
        own: impl Fn(usize) -> std::borrow::Cow<'a, str>,
    ) -> TextIndex {
        let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for i in 0..count {
            let t = own(i);
            let Ok(i) = u32::try_from(i) else { break };
            for s in shingles(&t) {
                let p = postings.entry(s).or_default();
                if p.len() <= COMMON {
                    p.push(i);
                }
            }
        }
        TextIndex { postings }
    }

    /// Whether a message at position `first` or later made a shingle too common to
    /// count ([`COMMON`]): its last posting, the one that crossed the limit, is theirs.
    /// The shingle then counts for no message, so earlier messages' matches may differ
    /// from an index without those messages.
    pub(crate) fn crossed_common_from(&self, first: usize) -> bool {
        self.postings
            .values()
            .any(|p| p.len() > COMMON && p.last().is_some_and(|&i| i as usize >= first))
    }

    /// The archived message holding at least `share` of `text`'s shingles in
    /// its own words, among those `ok` accepts (at least 8 words of text).
    pub(crate) fn find(&self, text: &str, share: f64, ok: impl Fn(usize) -> bool) -> Option<usize> {
        if word_count(text) < 8 {
            return None;
        }
        let sh = shingles(text);
        if sh.is_empty() {
            return None;
        }
        let mut hits: FxHashMap<u32, usize> = FxHashMap::default();
        for s in &sh {
            if let Some(p) = self.postings.get(s).filter(|p| p.len() <= COMMON) {
                for &i in p {
                    *hits.entry(i).or_default() += 1;
                }
            }
        }
        let mut best: Vec<(usize, u32)> = hits.into_iter().map(|(i, n)| (n, i)).collect();
        best.sort_unstable_by(|a, b| b.cmp(a));
        best.into_iter()
            .take_while(|&(n, _)| n as f64 >= share * sh.len() as f64)
            .map(|(_, i)| i as usize)
            .find(|&i| ok(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shingles as first written (a `Vec<String>` of lowercased words, each window
    /// hashed): the buffer-and-ranges version must give the very same values, or an
    /// index built by one build would disagree with quotes shingled by another.
    fn shingles_as_first_written(s: &str) -> Vec<u64> {
        let w: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut v: Vec<u64> = w
            .windows(3)
            .map(|x| {
                let mut h = DefaultHasher::new();
                x.hash(&mut h);
                h.finish()
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn shingles_hash_as_they_were_first_written() {
        for text in [
            "",
            "two words",
            "The vignette builds slowly on the Windows check machines today.",
            "ΟΔΟΣ ΣΟΦΟΣ λόγος, ΣΙΣΥΦΟΣ; İstanbul İİ DİYARBAKIR ıi",
            "Straße STRASSE ǅemal ǈ ǋ — Ünïcödé wörds, 12ab CD34 x_y z-w",
            "日本語のテキスト 混在 mixed ＡＢＣ ﬁne ﬃ Ⅻ ⅷ",
            "a\u{0307}b c\u{0301}d e f",
        ] {
            assert_eq!(shingles(text), shingles_as_first_written(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn shingles_hash_as_they_were_first_written_for_any_text(text in "\\PC{0,200}") {
            proptest::prop_assert_eq!(shingles(&text), shingles_as_first_written(&text));
        }
    }

    #[test]
    fn the_text_index_finds_the_message_holding_the_words() {
        let msg = |id: &str, text: &str| AnalysedMessage {
            id: id.into(),
            thread_id: None,
            parent: None,
            author_name: None,
            author_address: None,
            date: None,
            date_offset: None,
            subject: None,
            new_text: Some(text.into()),
            quotes: Vec::new(),
            quote_count: 0,
            quoted_text: String::new(),
        };
        let mut msgs = vec![
            msg(
                "a",
                "The vignette builds slowly on the Windows check machines today.",
            ),
            msg(
                "b",
                "Please resubmit the package after fixing the two notes in the log.",
            ),
        ];
        // a sentence every one of many messages repeats says nothing about which
        for k in 0..45 {
            msgs.push(msg(
                &format!("f{k}"),
                "Sent from the list server at the university.",
            ));
        }
        let ix = TextIndex::build(&msgs);
        let q = "Please resubmit the package after fixing the two notes in the log.";
        assert_eq!(ix.find(q, 0.6, |_| true), Some(1));
        assert_eq!(ix.find(q, 0.6, |i| i != 1), None);
        assert_eq!(
            ix.find("Sent from the list server at the university.", 0.6, |_| {
                true
            }),
            None
        );
        // fewer than 8 words: no match
        assert_eq!(ix.find("the two notes in the log", 0.1, |_| true), None);
    }

    #[test]
    fn names_that_are_not_people() {
        assert_eq!(
            person_name("Dirk Eddelbuettel wrote").as_deref(),
            Some("Dirk Eddelbuettel")
        );
        assert_eq!(
            person_name("Jan Gorecki ?????").as_deref(),
            Some("Jan Gorecki")
        );
        assert_eq!(person_name("G?bor Cs?rdi").as_deref(), Some("G?bor Cs?rdi"));
        assert_eq!(
            person_name("Jean-Pierre Hugh-Jones").as_deref(),
            Some("Jean-Pierre Hugh-Jones")
        );
        assert_eq!(person_name("R-package-devel Im"), None);
        assert_eq!(person_name("R-package-devel On Behalf Of"), None);
        assert_eq!(person_name("03:01 pm"), None);
        assert_eq!(
            person_name("? 2019?7?2? GMT-07:00 ??12:17:01, Jeff Newmiller ??"),
            None
        );
        assert_eq!(person_name("?????"), None);
        assert_eq!(person_name("? ? ? >>>> On , Berry Boessen"), None);
        assert_eq!(person_name("? Ana Lopes").as_deref(), Some("Ana Lopes"));
        assert_eq!(person_name("I Some time ago"), None);
        assert_eq!(person_address("r-package-devel@r-project.org"), None);
        assert_eq!(
            person_address("twisted-web-bounces@twistedmatrix.com"),
            None
        );
        assert_eq!(
            person_address("Max.Turgeon@umanitoba.ca").as_deref(),
            Some("max.turgeon@umanitoba.ca")
        );
    }

    #[test]
    fn commit_mail_headers_and_forward_leftovers_are_cut() {
        let commit = "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\nAuthor: dp\nNew Revision: 962\n\nLog:\nA better Choice implementation with lazy choices.";
        assert_eq!(
            own_words(commit, Some("Donovan Preston")),
            "Author: dp\nNew Revision: 962\n\nLog:\nA better Choice implementation with lazy choices."
        );
        let fwd = "R?pondre ? : \tCRAN at R-project.org\nPour : \tjane at example.org\n\nDear maintainer,\n\nplease fix the package.";
        assert_eq!(
            own_words(fwd, None),
            "Dear maintainer,\n\nplease fix the package."
        );
        // one line that merely starts with a word and a colon stays
        let note = "Note: the vignette builds on Linux.\nBut not on Windows.";
        assert_eq!(own_words(note, None), note);
    }

    #[test]
    fn footers_artefacts_and_a_third_persons_block_are_cut() {
        let t = "Please negotiate the necessary actions.\n\nThe CRAN Team\n\n______________________________________________\nR-package-devel at r-project.org mailing list\nhttps://stat.ethz.ch/mailman/listinfo/r-package-devel";
        assert_eq!(
            own_words(t, None),
            "Please negotiate the necessary actions.\n\nThe CRAN Team"
        );
        let t = "I think it is a false positive.\n\nRegards\nSowmya\n\n\t[[alternative HTML version deleted]]\n";
        assert_eq!(
            own_words(t, None),
            "I think it is a false positive.\n\nRegards\nSowmya"
        );
        let t = "I am tossing up between the two.\n\n________________________________\nFrom: Ivan Krylov <ikrylov at disroot.org>\n\nTheoretically speaking, it is reachable.";
        assert_eq!(own_words(t, None), "I am tossing up between the two.");
        let t = "Joe, that is a great idea!\n\n-------------------------------------------------------\n";
        assert_eq!(own_words(t, None), "Joe, that is a great idea!");
    }

    #[test]
    fn an_introduced_link_and_initials_are_the_authors() {
        // the link the sentence introduces and the initials sign-off stay; the
        // deeper levels' wrapped tails after them go
        let t = "OK thanks. I now use LOCAL_SOFT instead of hardcoded\nC:/extsoft:\n\nhttps://github.com/example/pkg/commit/1052c4c2e467\n\nH.\n\n-lz\n\n-lcurl\n\nsystems.\n";
        assert_eq!(
            own_words(t, Some("Herve Pages")),
            "OK thanks. I now use LOCAL_SOFT instead of hardcoded\nC:/extsoft:\n\nhttps://github.com/example/pkg/commit/1052c4c2e467\n\nH."
        );
        // double-spaced text keeps its one-line paragraphs
        let t = "Thanks for your suggestions.\n\nI tried to isolate the problem.\n\nIt crashes.\n\nI moved the package.\n\nIt crashes again.\n\nStatus: 3 NOTEs\n\nSee\n\n/tmp/SPAS.Rcheck/00check.log\n\nfor details.";
        assert_eq!(own_words(t, None), t);
        // `-Roy`, and a name alone with contact lines further down, end the text
        let t = "It takes more than 5 seconds.\n\n-Roy\n\n**********************\nSupervisory Analyst\nPhone: (831)-420-3666\nFax: (831) 420-3980";
        assert_eq!(
            own_words(t, Some("Roy Mendel")),
            "It takes more than 5 seconds.\n\n-Roy"
        );
        let t = "Thanks, no major changes necessary for that,\n\nRainer\n\nRainer M. Krug, PhD\n\nUniversity of Zurich\n\nOffice:   +41 44 635 47 64\nCell:     +41 78 630 66 57\nSkype:    RMkrug";
        assert_eq!(
            own_words(t, Some("Rainer M Krug")),
            "Thanks, no major changes necessary for that,\n\nRainer"
        );
        // a forward's header lines left above the text, one wrapped
        let t = "Organization: Fakultaet Statistik, TU Dortmund\nTo: Spencer Graves <sg at example.org>, CRAN at R-\nproject.org\n\nFor your latest submission I wrote";
        assert_eq!(
            own_words(t, Some("Uwe Ligges")),
            "For your latest submission I wrote"
        );
        // a closing and the name the writer goes by end the text, whatever the
        // attribution calls them
        let t = "Do I need add test calls?\n\nThanks,\n\nJoan\n\n/\n/>>>>>>>>\n\nPutting the lengthy examples in donttest is correct.";
        assert_eq!(
            own_words(t, Some("Xueqiong Zhang")),
            "Do I need add test calls?\n\nThanks,\n\nJoan"
        );
        // the author's own sign-off wins over a deeper writer's below it
        let t =
            "For instance this.\n\nRegards,\nKristian\n\nHi all, my package fails.\n\nBest,\nJan";
        assert_eq!(
            own_words(t, Some("Kristian Hovde Liland")),
            "For instance this.\n\nRegards,\nKristian"
        );
        // a patch's lines alone are no message's words; with prose they are
        assert!(patch_only("+def key(k):\n+    return k\n-    pass\n"));
        assert!(!patch_only("I fixed it:\n+def key(k):\n+    return k\n"));
        assert!(!patch_only("- milk\n- eggs\nand bread\n"));
        assert!(!patch_only("- fix the index\n- fix the feed\n"));
        // a sign-off of the name with the address keeps the name
        let t = "Thank you in advance.\n\nWacha Siri <wacha.s at example.com>";
        assert_eq!(
            own_words(t, Some("Wacha Siri")),
            "Thank you in advance.\n\nWacha Siri"
        );
        // an inline image's placeholder is no words of the author's
        let t = "Read the submission page.\n\nimage.png\n\nJust sharing in case it helps.\n[image: chart.png]";
        assert_eq!(
            own_words(t, None),
            "Read the submission page.\n\n\nJust sharing in case it helps."
        );
        // an attachment placeholder at the end is no words of the author's
        let t = "Please see the file attached.\n\n<bed2vector.cpp>";
        assert_eq!(own_words(t, None), "Please see the file attached.");
        // signature blocks under a name with titles, an indented name, a rule
        let t = "It looks like the mirror is late.\n\nMark\nR. Mark Sharp, Ph.D.\nData Scientist\n7526 Meadow Green St.\nmobile: 210-218-2868\nrmsharp at me.com";
        assert_eq!(
            own_words(t, Some("R. Mark Sharp")),
            "It looks like the mirror is late.\n\nMark"
        );
        let t = "These sound like system errors.\n\n ????? Thanks,\n ????? Spencer Graves\nm:? 1-408-655-4567";
        assert_eq!(
            own_words(t, Some("Spencer Graves")),
            "These sound like system errors.\n\n ????? Thanks,\n ????? Spencer Graves"
        );
        let t = "Is there a tool for that?\n\n---------------\nJohn Mount\nhttp://www.win-vector.com/\nOur book: Practical Data Science with R http://www.manning.com/zumel/";
        assert_eq!(
            own_words(t, Some("John Mount")),
            "Is there a tool for that?"
        );
        let t = "Any suggestions?\nThanks a lot,\nRainer M. Krug, PhD (Conservation Ecology, SUN), MSc (Conservation Biology)\nOrcid ID: 0000-0002-7490-0066\nOffice: +41 44 635 47 64";
        assert_eq!(
            own_words(t, Some("Rainer M Krug")),
            "Any suggestions?\nThanks a lot,\nRainer M. Krug, PhD (Conservation Ecology, SUN), MSc (Conservation Biology)"
        );
        // a check log's `Key: value` lines are no fragments
        let t = "Found the following (possibly) invalid URLs:\n\n  URL: https://example.org/doi/10.1139\n\n    From: DESCRIPTION\n\n    Status: 403\n\n    Message: Forbidden\n\n* checking package dependencies ... OK";
        assert_eq!(own_words(t, None), t);
        assert!(initials_sign("H.", "Hervé Pagès"));
        assert!(initials_sign("-hp", "Hervé Pagès"));
        assert!(!initials_sign("K.", "Hervé Pagès"));
        assert!(!initials_sign("Hi", "Hervé Pagès"));
    }

    #[test]
    fn wrapped_fragments_hidden_levels_and_signatures_are_cut() {
        let t = "It looks like a run-time mismatch.\n\nCheers,\nSimon\n\nwrote:\n\nsystems.\n\n-stdlib\n\ninit.o\n";
        assert_eq!(
            own_words(t, None),
            "It looks like a run-time mismatch.\n\nCheers,\nSimon"
        );
        // a copy that is only wrapped fragments and mailto tails is nothing
        let t = "start\n\n\nweeks ago).\nsources =\n\n<mailto:jane at example.org <mailto:jane at example.org>>\n\n\ndetails.\n\nNOTEs\n\nreproduce\n\n<mailto:x at y.org\n";
        assert_eq!(own_words(t, None), "");
        let t = "start\n(https://win-builder.r-project.org/00check.log),\nweeks ago).\nsources =\n\"topright\")' is";
        assert_eq!(own_words(t, None), "");
        assert_eq!(own_words("Thanks,\nDirk", None), "Thanks,\nDirk");
        assert_eq!(
            prose_words("a b c d\ne\nf g h i j\n<mailto:a at b.org <mailto:a at b.org>>"),
            9
        );
        let t = "I follow the thread.\n? >>> I follow up your recommendation\n? >>> and it fails.\nThanks";
        assert_eq!(own_words(t, None), "I follow the thread.\nThanks");
        let t = "Perhaps that could help narrow it down.\n\nMax Turgeon\nAssistant Professor\nDepartment of Statistics\nUniversity of Manitoba\nmaxturgeon.ca";
        assert_eq!(
            own_words(t, Some("Max Turgeon")),
            "Perhaps that could help narrow it down.\n\nMax Turgeon"
        );
        let t = "HTH,\nMike\n\n________________________________________________\n  Mike C. Fletcher\n  Designer, VR Plumber, Coder\n  http://www.vrplumber.com\n  http://blog.vrplumber.com";
        assert_eq!(own_words(t, Some("Mike C. Fletcher")), "HTH,\nMike");
        // a sign-off with nothing below, or prose below the name, stays
        let t = "See the manual.\n\nBest,\nDirk";
        assert_eq!(own_words(t, Some("Dirk Eddelbuettel")), t);
        // the quoted mail's own header lines at its top are not its words
        let t = "X-Mailbox-Line: From nobody Sat Jan 21 10:02:31 2006\n\nTraceback (most recent call last):\n  File \"x.py\", line 3";
        assert_eq!(
            own_words(t, None),
            "Traceback (most recent call last):\n  File \"x.py\", line 3"
        );
        // wrapped fragments with brackets or `=` in them are still fragments
        let t = "Alternatively, set the flags in your own user Makevars file.\n\nBest,\nKevin\n\n'PKG_CONFIG_PATH=/usr/lib/pkgconfig'\n\nscripts (638ms)\n\nwrote:\n\n-DNDEBUG -I'/home/x/R'";
        assert_eq!(
            own_words(t, None),
            "Alternatively, set the flags in your own user Makevars file.\n\nBest,\nKevin"
        );
        // after the author's last sign-off: a deeper level's re-wrapped lines
        let t = "Please fix and resubmit.\n\nBest,\nUwe Ligges\n\n    implementation for fitting various kriging models to data. This\n    research is supported by a grant.";
        assert_eq!(
            own_words(t, Some("Uwe Ligges")),
            "Please fix and resubmit.\n\nBest,\nUwe Ligges"
        );
        let t = "Try the user Makevars.\n\nBest,\nKevin\n\nHi Kevin, the Makefile is in the src folder and I don't\nthink I have something like that in Makevars.";
        assert_eq!(
            own_words(t, Some("Kevin Ushey")),
            "Try the user Makevars.\n\nBest,\nKevin"
        );
        let t = "In future, please don't write privately, post to the list.\n\nDuncan Murdoch\n\ncommands from NAMESPACE.  Also, when I use the function ellipse, I code it\nas ellipse::ellipse.";
        assert_eq!(
            own_words(t, Some("Duncan Murdoch")),
            "In future, please don't write privately, post to the list.\n\nDuncan Murdoch"
        );
        // a postscript, and what a second sign-off ends, stay
        let t = "See the manual.\n\nBest,\nKevin\n\nP.S. The NEWS file says so too.";
        assert_eq!(own_words(t, Some("Kevin Ushey")), t);
        let t = "The preferred approach is in Writing R Extensions.\n\nBest regards,\nIvan\n\n[*] See sections 1.5.4 and 5.4 of the manual for calling C functions.";
        assert_eq!(own_words(t, Some("Ivan Krylov")), t);
        // a command and a sign-off each on their own are no fragment run
        let t = "so you should first do\n\ninstall.packages('terra')\n\nand then\n\ninstall.packages('raster')\n\nBest wishes,\n\nRoger";
        assert_eq!(own_words(t, None), t);
        // an R session's output in one paragraph is no fragment run
        let t =
            "Check this:\n\n> capabilities(\"libcurl\")\nlibcurl\n    TRUE\n\nTRUE means it works.";
        assert_eq!(own_words(t, None), t);
    }

    #[test]
    fn a_deeper_levels_attribution_ends_the_text() {
        let t = "FWIW I'm having the same issue with my package.\n\nAlex\n\nOn Tue, Jul 6, 2021 at 10:18 AM Jane Doe <\njane at example.org <mailto:jane at example.org>>\n\nDear all, my package fails.";
        assert_eq!(
            own_words(t, None),
            "FWIW I'm having the same issue with my package.\n\nAlex"
        );
        let t = "So, I've made the next check.\nThanks in advance\nLe jeudi 4 avril 2019 ? 08:22:26 UTC+2, Jane Doe\n<jane at example.org> a ?crit :\nNote that these are only messages.";
        assert_eq!(
            own_words(t, None),
            "So, I've made the next check.\nThanks in advance"
        );
        let t = "Yes, the same error here.\n? ? ?On Tue, May 16, 2023 at 1:47?PM Jane Doe\n? ? ?<jane at example.org <mailto:jane at example.org>\n";
        assert_eq!(own_words(t, None), "Yes, the same error here.");
        // a sentence that starts with "On" is no attribution
        let t = "It fails.\nOn Windows 10 it works, on Linux it does not.";
        assert_eq!(own_words(t, None), t);
    }

    #[test]
    fn urls_do_not_count_as_words() {
        assert_eq!(
            without_urls("see https://apc01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx and <https://x.org/a> now"),
            "see and now"
        );
    }

    #[test]
    fn a_time_without_a_day_is_the_quoting_days() {
        // quoted at 2007-09-07 21:38:37 UTC by a writer at -04:00
        let at = 1_189_201_117;
        let (d, exact) = same_day_time("03:01 pm", at, Some(-4 * 3600)).expect("time");
        assert!(exact);
        assert_eq!(
            plenary_mail::date::utc_to_civil(d),
            Some((2007, 9, 7, 19, 1))
        );
        // later than the quoting message: the day before
        let (d, _) = same_day_time("11:30 pm", at, Some(-4 * 3600)).expect("time");
        assert_eq!(
            plenary_mail::date::utc_to_civil(d),
            Some((2007, 9, 7, 3, 30))
        );
        // the writer at -06:00 sent it at 03:19 UTC; `02:14 am` in their zone
        // would be 19 hours earlier, in UTC (as Divmod writes it) one hour
        let at2 = plenary_mail::date::civil_to_utc(2007, 3, 15, 3, 19, 0).expect("date");
        let (d, exact) = same_day_time("02:14 am", at2, Some(-6 * 3600)).expect("time");
        assert!(!exact);
        assert_eq!(
            plenary_mail::date::utc_to_civil(d),
            Some((2007, 3, 15, 2, 14))
        );
        // no offset: pipermail stored the writer's local 19:49 of a mail sent at
        // 23:49 UTC, which quotes Divmod's UTC `09:07 pm`: the same day, not the
        // day before
        let at = plenary_mail::date::civil_to_utc(2008, 4, 7, 19, 49, 0).expect("date");
        let (d, exact) = same_day_time("09:07 pm", at, None).expect("time");
        assert!(!exact);
        assert_eq!(
            plenary_mail::date::utc_to_civil(d),
            Some((2008, 4, 7, 21, 7))
        );
        // stored 21:19 local, sent 03:19 UTC the next day, quoting `02:14 am`
        let at = plenary_mail::date::civil_to_utc(2007, 3, 14, 21, 19, 0).expect("date");
        let (d, _) = same_day_time("02:14 am", at, None).expect("time");
        assert_eq!(
            plenary_mail::date::utc_to_civil(d),
            Some((2007, 3, 15, 2, 14))
        );
        // an hour before on the same day stays there
        let (d, _) = same_day_time("08:10 pm", at, None).expect("time");
        assert_eq!(
            plenary_mail::date::utc_to_civil(d),
            Some((2007, 3, 14, 20, 10))
        );
        assert_eq!(same_day_time("Tuesday", at, None), None);
        assert_eq!(same_day_time("25:61", at, None), None);
    }

    #[test]
    fn message_ids_in_a_quoted_block() {
        assert_eq!(
            message_ids(
                "Date: Tue, 26 Jan 2016\nFrom: Dirk <edd at debian.org>",
                "for me\nMessage-ID: <22183.5 at max.nulle.part>\nContent-Type: text/plain"
            ),
            vec!["22183.5@max.nulle.part".to_string()]
        );
    }
}
