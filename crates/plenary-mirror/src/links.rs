//! Links out of pipermail pages. A plain `href` scanner, not an HTML parser: pipermail
//! pages are generated and regular, and the mirror needs only the `href` values.

/// Every `href` value in a page, in order (quoted with `"` or `'`, or bare).
pub(crate) fn hrefs(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find("href") {
        let mut j = at + i + 4;
        at = j;
        let b = html.as_bytes();
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= b.len() {
            break;
        }
        let (start, end) = if b[j] == b'"' || b[j] == b'\'' {
            let q = b[j];
            let end = b[j + 1..].iter().position(|&c| c == q).map(|e| j + 1 + e);
            match end {
                Some(e) => (j + 1, e),
                None => break,
            }
        } else {
            let e = b[j..]
                .iter()
                .position(|&c| c.is_ascii_whitespace() || c == b'>')
                .map_or(b.len(), |e| j + e);
            (j, e)
        };
        out.push(html[start..end].replace("&amp;", "&"));
        at = end;
    }
    out
}

/// One archive period of a pipermail index (a month, a quarter, a week…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Period {
    /// `2021-August`, as pipermail names it.
    pub(crate) name: String,
    /// The downloadable text the index links (`2021-August.txt.gz` or `.txt`).
    pub(crate) text: Option<String>,
    /// The period's folder of pages is linked (`2021-August/date.html`).
    pub(crate) pages: bool,
}

/// The periods a pipermail list index links, in the index's order; empty when the
/// page is not a pipermail index. A period name starts with a four-digit year and
/// holds no `/`: `2021-August`, `2004q1`, `2004-Week-of-Mon-20040105`, `20040105`.
pub(crate) fn pipermail_periods(html: &str) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    let is_name = |s: &str| {
        s.len() >= 5
            && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && !s.contains(['/', ':', '?', '.'])
    };
    for h in hrefs(html) {
        let (name, text, pages) = if let Some(n) = h.strip_suffix(".txt.gz") {
            (n, Some(h.clone()), false)
        } else if let Some(n) = h.strip_suffix(".txt") {
            (n, Some(h.clone()), false)
        } else if let Some((n, page)) = h.split_once('/') {
            if !matches!(
                page,
                "thread.html" | "date.html" | "subject.html" | "author.html"
            ) {
                continue;
            }
            (n, None, true)
        } else {
            continue;
        };
        if !is_name(name) {
            continue;
        }
        match out.iter_mut().find(|p| p.name == name) {
            Some(p) => {
                p.pages |= pages;
                if p.text.is_none() {
                    p.text = text;
                }
            }
            None => out.push(Period {
                name: name.to_string(),
                text,
                pages,
            }),
        }
    }
    out
}

/// The months a HyperKitty list page links (`/hyperkitty/list/LIST/2025/7/`), as
/// (year, month), oldest first, once each; empty when `list` is not a HyperKitty list URL.
pub(crate) fn hyperkitty_months(list: &crate::Url, html: &str) -> Vec<(u32, u32)> {
    if !list.path().contains("/hyperkitty/list/") || !list.path().ends_with('/') {
        return Vec::new();
    }
    let mut out: Vec<(u32, u32)> = hrefs(html)
        .iter()
        .filter_map(|h| list.join(h))
        .filter(|u| u.is_under(list))
        .filter_map(|u| {
            let rest = u.path().strip_prefix(list.path())?.strip_suffix('/')?;
            let (y, m) = rest.split_once('/')?;
            let (y, m) = (y.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
            (y.to_string().len() == 4 && (1..=12).contains(&m)).then_some((y, m))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The message pages a period's `date.html` links (`000123.html`), in order, once each.
pub(crate) fn message_pages(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in hrefs(html) {
        let Some(n) = h.strip_suffix(".html") else {
            continue;
        };
        if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) && !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written by hand in the shape of a Mailman 2.1 list index.
    const INDEX: &str = r#"<HTML><HEAD><title>The Demo Archives</title></HEAD><BODY>
     <p>You can get <a href="https://example.org/mailman/listinfo/demo">more information</a>.</p>
     <table border=3>
	    <tr><td>May 2021:</td>
            <td><A href="2021-May/thread.html">[ Thread ]</a>
              <A href="2021-May/subject.html">[ Subject ]</a>
              <A href="2021-May/date.html">[ Date ]</a></td>
            <td><A href="2021-May.txt">[ Text 1 KB ]</a></td></tr>
	    <tr><td>April 2021:</td>
            <td><A HREF='2021-April/thread.html'>[ Thread ]</a>
              <A href=2021-April/date.html>[ Date ]</a></td>
            <td><A href="2021-April.txt.gz">[ Gzip'd Text 21 KB ]</a></td></tr>
     </table></BODY></HTML>"#;

    #[test]
    fn periods_from_an_index() {
        let p = pipermail_periods(INDEX);
        assert_eq!(
            p,
            vec![
                Period {
                    name: "2021-May".into(),
                    text: Some("2021-May.txt".into()),
                    pages: true
                },
                Period {
                    name: "2021-April".into(),
                    text: Some("2021-April.txt.gz".into()),
                    pages: true
                },
            ]
        );
    }

    #[test]
    fn a_page_that_is_not_an_index_has_no_periods() {
        assert!(pipermail_periods("<html><a href='/about'>x</a> 2021</html>").is_empty());
    }

    #[test]
    fn months_from_a_hyperkitty_list_page() {
        let list = crate::Url::parse("https://h/hyperkitty/list/wg@example.org/").unwrap();
        let html = r#"<a href="/hyperkitty/list/wg@example.org/2025/7/">July</a>
            <a href="/hyperkitty/list/wg@example.org/2024/12/">December</a>
            <a href="/hyperkitty/list/wg@example.org/2025/7/">again</a>
            <a href="/hyperkitty/list/other@example.org/2025/6/">other list</a>
            <a href="/hyperkitty/list/wg@example.org/thread/ABC/">a thread</a>"#;
        assert_eq!(hyperkitty_months(&list, html), vec![(2024, 12), (2025, 7)]);
        let pipermail = crate::Url::parse("https://h/pipermail/wg/").unwrap();
        assert!(hyperkitty_months(&pipermail, html).is_empty());
    }

    #[test]
    fn message_pages_from_a_date_page() {
        let html = r#"<ul><LI><A HREF="000123.html">Re: x</A><A NAME="123">&nbsp;</A>
            <LI><A HREF="000124.html">y</A> <a href="thread.html#124">t</a>
            <a href="000123.html">again</a> <a href="../index.html">up</a></ul>"#;
        assert_eq!(message_pages(html), vec!["000123.html", "000124.html"]);
    }
}
