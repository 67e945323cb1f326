//! HTML mail to plain text that keeps the quote structure: blockquotes become
//! `> ` prefixes, one per level, and attribution lines stay on their own lines,
//! so the quote analyser sees HTML-only replies as it sees plain ones.
//! mail-parser's own HTML→text drops blockquotes, hence this walk over
//! html5ever's DOM (via scraper).

use scraper::{ElementRef, Html, Node};

/// Deeper nesting is flattened into the deepest level kept.
const MAX_DEPTH: usize = 256;

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
    let doc = Html::parse_document(html);
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
