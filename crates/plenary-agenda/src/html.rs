//! Agenda pages as HTML: the DOM (scraper/html5ever) walked into the same lines a text
//! rendering gives, with each line's nearest class names kept as a layout hint, plus what
//! only the DOM has (document links, the canonical URL).

use scraper::{ElementRef, Html, Node, Selector};

use crate::lines::{collapse, Line};
use crate::model::Document;

pub(crate) struct HtmlPage {
    pub lines: Vec<Line>,
    pub documents: Vec<Document>,
    pub source_url: Option<String>,
}

const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements that separate groups (a blank line before and after): list items, cards,
/// sections, and anything whose class says it is a speaker or a card.
fn is_group(el: &ElementRef) -> bool {
    let name = el.value().name();
    if matches!(
        name,
        "li" | "article" | "section" | "hr" | "table" | "tr" | "h1" | "h2" | "h3" | "h4"
    ) {
        return true;
    }
    el.value().classes().any(|c| {
        let c = c.to_ascii_lowercase();
        c.contains("speaker") && !c.contains("speaker-") && !c.contains("speaker_")
            || c.contains("panellist") && !c.contains('-')
            || c == "card"
            || c.contains("section")
    })
}

struct Walker {
    lines: Vec<Line>,
    cur: String,
    cur_hint: String,
}

impl Walker {
    fn flush(&mut self) {
        let t = collapse(&self.cur);
        if !t.is_empty() {
            self.lines.push(Line {
                indent: 0,
                text: t,
                hint: std::mem::take(&mut self.cur_hint),
            });
        }
        self.cur.clear();
        self.cur_hint.clear();
    }

    fn blank(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|l| !l.blank()) {
            self.lines.push(Line {
                indent: 0,
                text: String::new(),
                hint: String::new(),
            });
        }
    }

    fn walk(&mut self, el: ElementRef, hint: &str) {
        let name = el.value().name();
        // site chrome carries no session data and would be read as the title
        if matches!(
            name,
            "script" | "style" | "noscript" | "template" | "head" | "svg" | "nav" | "footer"
        ) {
            return;
        }
        let classes: Vec<&str> = el.value().classes().collect();
        let own_hint = if classes.is_empty() {
            hint.to_string()
        } else {
            classes.join(" ")
        };
        let block = BLOCK.contains(&name);
        let group = is_group(&el);
        if group {
            self.blank();
        } else if block {
            self.flush();
        }
        if name == "li" {
            self.cur.push_str("- ");
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    if self.cur.trim().is_empty() && !t.trim().is_empty() {
                        self.cur_hint = own_hint.clone();
                    }
                    self.cur.push_str(t);
                }
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        self.walk(c, &own_hint);
                    }
                }
                _ => {}
            }
        }
        if group {
            self.blank();
        } else if block {
            self.flush();
        }
    }
}

pub(crate) fn read(html: &str) -> HtmlPage {
    let doc = Html::parse_document(html);
    let mut w = Walker {
        lines: Vec::new(),
        cur: String::new(),
        cur_hint: String::new(),
    };
    let body = Selector::parse("body").ok();
    let root = body
        .as_ref()
        .and_then(|s| doc.select(s).next())
        .unwrap_or_else(|| doc.root_element());
    w.walk(root, "");
    w.flush();
    while w.lines.last().is_some_and(Line::blank) {
        w.lines.pop();
    }
    while w.lines.first().is_some_and(Line::blank) {
        w.lines.remove(0);
    }

    let mut documents = Vec::new();
    if let Ok(sel) = Selector::parse("a[href]") {
        for a in doc.select(&sel) {
            let href = a.value().attr("href").unwrap_or_default();
            let text = collapse(&a.text().collect::<String>());
            let in_documents = a.ancestors().filter_map(ElementRef::wrap).any(|e| {
                e.value()
                    .classes()
                    .chain(e.value().id())
                    .any(|c| c.to_ascii_lowercase().contains("document"))
            });
            let lower = href.to_ascii_lowercase();
            let is_file = [".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xlsx", ".odt"]
                .iter()
                .any(|e| lower.ends_with(e));
            if in_documents || is_file {
                documents.push(Document {
                    title: (!text.is_empty()).then_some(text),
                    url: Some(href.to_string()),
                });
            }
        }
    }
    let source_url = Selector::parse("link[rel=canonical], meta[property='og:url']")
        .ok()
        .and_then(|s| {
            doc.select(&s).find_map(|e| {
                e.value()
                    .attr("href")
                    .or_else(|| e.value().attr("content"))
                    .map(str::to_string)
            })
        });
    HtmlPage {
        lines: w.lines,
        documents,
        source_url,
    }
}
