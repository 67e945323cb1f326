//! HTML mail to plain text that keeps the quote structure: blockquotes become
//! `> ` prefixes, one per level, and attribution lines stay on their own lines,
//! so the quote analyser sees HTML-only replies as it sees plain ones.
//! mail-parser's own HTML→text drops blockquotes, hence this walk over
//! html5ever's DOM (via scraper).

use std::borrow::Cow;

use scraper::{ElementRef, Html, Node};

/// Deeper nesting is flattened into the deepest level kept (see [`bound_nesting`]).
pub const MAX_DEPTH: usize = 256;

struct Writer {
    out: String,
    line: String,
    /// Quote depth of the line being written (fixed by its first character).
    line_depth: usize,
    depth: usize,
    pending_space: bool,
    pre: usize,
    blank_lines: usize,
    /// Quote depth of the last line written.
    last_depth: usize,
}

impl Writer {
    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if self.line.is_empty() {
            self.line_depth = self.depth;
        } else if self.pending_space {
            self.line.push(' ');
        }
        self.pending_space = false;
        self.line.push_str(t);
        self.blank_lines = 0;
    }

    fn newline(&mut self) {
        let depth = if self.line.is_empty() {
            self.depth
        } else {
            self.line_depth
        };
        if self.line.trim().is_empty() {
            // no blank lines in a row, at the start, or opening a deeper quote
            if self.blank_lines >= 1 || self.out.is_empty() || depth > self.last_depth {
                self.line.clear();
                self.pending_space = false;
                return;
            }
            self.blank_lines += 1;
        } else {
            self.blank_lines = 0;
        }
        for _ in 0..depth {
            self.out.push('>');
        }
        if depth > 0 && !self.line.trim().is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(self.line.trim_end());
        self.out.push('\n');
        self.last_depth = depth;
        self.line.clear();
        self.pending_space = false;
    }

    /// Ends the current line, if any, before a block.
    fn block(&mut self) {
        if !self.line.is_empty() {
            self.newline();
        }
    }

    fn paragraph_break(&mut self) {
        self.block();
        self.newline();
    }
}

/// Converts an HTML body to readable text with `> ` quote prefixes.
pub fn html_to_quoted_text(html: &str) -> String {
    let doc = Html::parse_document(&bound_nesting(html));
    let mut w = Writer {
        out: String::new(),
        line: String::new(),
        line_depth: 0,
        depth: 0,
        pending_space: false,
        pre: 0,
        blank_lines: 0,
        last_depth: 0,
    };
    walk(doc.root_element(), &mut w, 0);
    w.block();
    while w.out.ends_with("\n\n") {
        w.out.pop();
    }
    w.out
}

/// Elements that never hold children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements whose end tag may be left out: the HTML parser closes them itself
/// (a new `<p>` ends the last), so they do not nest and are not counted.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb",
    "rt", "rtc", "rp", "colgroup", "caption", "html", "head", "body",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Caps how deep elements nest before the HTML parser sees them: tags
/// opened deeper than [`MAX_DEPTH`] (and their end tags) are dropped, their
/// text kept. html5ever checks the stack of open elements at many start tags,
/// so 100,000 nested `<blockquote>`s would cost 100,000² steps; after this
/// linear pre-scan the stack stays short. Mail nesting within the limit is
/// handed on untouched. Hand-written: html5ever has no depth limit and its
/// tokenizer offers no cheap way to rewrite the input.
pub fn bound_nesting(html: &str) -> Cow<'_, str> {
    if scan_nesting(html, MAX_DEPTH, None) <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan_nesting(html, MAX_DEPTH, Some(&mut out));
    Cow::Owned(out)
}

fn is_one_of(name: &[u8], list: &[&str]) -> bool {
    list.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

/// Finds `needle` (ASCII, lower case) in `hay` from `from`, ignoring case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = hay.get(from..)?;
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// The deepest nesting of counted elements in `html`; with `out`, also writes
/// `html` without the tags nested deeper than `max`. One pass, linear.
fn scan_nesting(html: &str, max: usize, mut out: Option<&mut String>) -> usize {
    let b = html.as_bytes();
    let (mut i, mut depth, mut deepest, mut copied) = (0usize, 0usize, 0usize, 0usize);
    while let Some(off) = b.get(i..).and_then(|s| s.iter().position(|c| *c == b'<')) {
        let lt = i + off;
        let after = &b[lt + 1..];
        if after.starts_with(b"!--") {
            i = find_ci(b, lt + 4, b"-->").map_or(b.len(), |p| p + 3);
            continue;
        }
        if after.starts_with(b"!") || after.starts_with(b"?") {
            i = find_ci(b, lt + 1, b">").map_or(b.len(), |p| p + 1);
            continue;
        }
        let closing = after.starts_with(b"/");
        let name_start = lt + 1 + usize::from(closing);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            i = lt + 1;
            continue;
        }
        let name = &b[name_start..name_start + name_len];
        // the end of the tag, past quoted attribute values
        let mut end = name_start + name_len;
        let mut quote = None;
        while end < b.len() {
            match (quote, b[end]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            end += 1;
        }
        let self_closing = end > 0 && b.get(end - 1) == Some(&b'/');
        let end = (end + 1).min(b.len());
        let counted =
            !is_one_of(name, VOID) && !is_one_of(name, OPTIONAL_END) && !is_one_of(name, RAW_TEXT);
        let mut drop_tag = false;
        if closing {
            if counted {
                drop_tag = depth > max;
                depth = depth.saturating_sub(1);
            }
        } else if is_one_of(name, RAW_TEXT) {
            // its text runs to its end tag: skip it whole
            let mut close = b"</".to_vec();
            close.extend(name.iter().map(u8::to_ascii_lowercase));
            i = find_ci(b, end, &close).unwrap_or(b.len());
            continue;
        } else if counted && !self_closing {
            depth += 1;
            deepest = deepest.max(depth);
            drop_tag = depth > max;
        }
        if drop_tag {
            if let Some(o) = out.as_deref_mut() {
                // `lt` and `end` sit at ASCII bytes, so they are char boundaries
                o.push_str(html.get(copied..lt).unwrap_or(""));
                copied = end;
            }
        }
        i = end;
    }
    if let Some(o) = out {
        o.push_str(html.get(copied..).unwrap_or(""));
    }
    deepest
}

fn walk(el: ElementRef, w: &mut Writer, level: usize) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                if w.pre > 0 {
                    let mut first = true;
                    for part in t.split('\n') {
                        if !first {
                            w.newline();
                        }
                        first = false;
                        if !part.is_empty() {
                            if w.line.is_empty() {
                                w.line_depth = w.depth;
                            }
                            w.line.push_str(part);
                            w.blank_lines = 0;
                        }
                    }
                } else {
                    let s: &str = t;
                    if s.starts_with(char::is_whitespace) {
                        w.pending_space = true;
                    }
                    let mut words = s.split_whitespace().peekable();
                    while let Some(word) = words.next() {
                        w.text(word);
                        if words.peek().is_some() {
                            w.pending_space = true;
                        }
                    }
                    if s.ends_with(char::is_whitespace) {
                        w.pending_space = true;
                    }
                }
            }
            Node::Element(_) => {
                let Some(e) = ElementRef::wrap(child) else {
                    continue;
                };
                if level >= MAX_DEPTH {
                    // too deep: keep the text, drop the structure
                    let t: String = e.text().collect::<Vec<_>>().join(" ");
                    w.text(&t.split_whitespace().collect::<Vec<_>>().join(" "));
                    continue;
                }
                element(e, w, level);
            }
            _ => {}
        }
    }
}

fn element(e: ElementRef, w: &mut Writer, level: usize) {
    let name = e.value().name().to_ascii_lowercase();
    match name.as_str() {
        "script" | "style" | "head" | "title" | "meta" | "link" | "template" => {}
        "br" => w.newline(),
        "hr" => {
            w.block();
            // Outlook's own text part draws the rule above a header block this way;
            // the quote analyser knows it as a separator
            w.text("________________________________");
            w.newline();
        }
        "blockquote" => {
            w.block();
            w.depth += 1;
            walk(e, w, level + 1);
            w.block();
            w.depth = w.depth.saturating_sub(1);
        }
        "pre" => {
            w.block();
            w.pre += 1;
            walk(e, w, level + 1);
            w.pre -= 1;
            w.block();
        }
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "ul" | "ol" => {
            w.paragraph_break();
            walk(e, w, level + 1);
            w.paragraph_break();
        }
        "li" => {
            w.block();
            w.text("-");
            w.pending_space = true;
            walk(e, w, level + 1);
            w.block();
        }
        "div" | "tr" | "section" | "article" | "header" | "footer" | "address" | "center"
        | "dt" | "dd" => {
            w.block();
            walk(e, w, level + 1);
            w.block();
        }
        "td" | "th" => {
            w.pending_space = true;
            walk(e, w, level + 1);
            w.pending_space = true;
        }
        "a" => {
            let before = w.line.len();
            walk(e, w, level + 1);
            let shown = w.line.get(before..).unwrap_or("").trim().to_string();
            if let Some(href) = e.value().attr("href") {
                let href = href.trim();
                let web = href.starts_with("http://") || href.starts_with("https://");
                if web && shown != href && !shown.is_empty() {
                    w.pending_space = true;
                    w.text(&format!("<{href}>"));
                }
            }
        }
        "img" => {
            if let Some(alt) = e.value().attr("alt").filter(|a| !a.trim().is_empty()) {
                w.text(&format!("[{}]", alt.trim()));
            }
        }
        _ => walk(e, w, level + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_nested_quotes() {
        let html = r#"<div dir="ltr">Agreed.<br></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Jul 22, 2025 at 5:06 PM Ana Neves &lt;ana@fct.pt&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0 0 0 .8ex"><div dir="ltr">Thanks, Paul.<div class="gmail_quote"><div class="gmail_attr">On Mon, Jul 21, 2025 at 9:00 AM Paul &lt;p@x.uk&gt; wrote:</div><blockquote class="gmail_quote">The CSTD could <b>do more</b>.</blockquote></div></div></blockquote></div>"#;
        let t = html_to_quoted_text(html);
        assert_eq!(
            t,
            "Agreed.\n\nOn Tue, Jul 22, 2025 at 5:06 PM Ana Neves <ana@fct.pt> wrote:\n> Thanks, Paul.\n> On Mon, Jul 21, 2025 at 9:00 AM Paul <p@x.uk> wrote:\n>> The CSTD could do more.\n"
        );
    }

    #[test]
    fn apple_thunderbird_outlook_lists_links_pre() {
        let apple = r#"<html><body>Yes.<div><br><blockquote type="cite"><div>On 22 Jul 2025, at 17:06, Raúl &lt;raul@alai.lat&gt; wrote:</div><br><div>Hi all &amp; friends</div></blockquote></div></body></html>"#;
        let t = html_to_quoted_text(apple);
        assert!(t.contains("> Hi all & friends"), "{t}");
        let tb = r#"<p>Fine.</p><div class="moz-cite-prefix">On 7/22/25 5:06 PM, Veni wrote:<br></div><blockquote type="cite"><p>Since Tunisia</p></blockquote>"#;
        let t = html_to_quoted_text(tb);
        assert!(
            t.contains("On 7/22/25 5:06 PM, Veni wrote:\n> Since Tunisia"),
            "{t}"
        );
        let outlook = r#"<div>Ok</div><hr><div id="divRplyFwdMsg"><b>De:</b> Paul Blaker &lt;p@x.uk&gt;<br><b>Enviado:</b> martes, 22 de julio de 2025 17:06<br><b>Para:</b> wg@x.org<br><b>Asunto:</b> Re: texto</div><div>Texto original</div>"#;
        let t = html_to_quoted_text(outlook);
        assert!(t.contains("De: Paul Blaker <p@x.uk>\nEnviado: martes, 22 de julio de 2025 17:06\nPara: wg@x.org\nAsunto: Re: texto\nTexto original"), "{t}");
        let misc = r#"<style>p{}</style><script>x()</script><ul><li>one</li><li>two</li></ul><p><a href="https://x.org/a">the report</a></p><pre>  a
  b</pre>"#;
        let t = html_to_quoted_text(misc);
        assert!(t.contains("- one\n- two"), "{t}");
        assert!(t.contains("the report <https://x.org/a>"), "{t}");
        assert!(t.contains("  a\n  b"), "{t}");
        assert!(!t.contains("x()"));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let html = format!(
            "{}deep{}",
            "<blockquote>".repeat(5000),
            "</blockquote>".repeat(5000)
        );
        let t = html_to_quoted_text(&html);
        assert!(t.contains("deep"));
        assert!(t.len() < 5000, "flattened beyond the cap");
    }
}
