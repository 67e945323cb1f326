//! Subject normalisation for threading and display: strips reply and forward
//! prefixes in the languages of this community's mail, and list or
//! classification tags such as `[WG-Strategy]` and `[Ext]`.

/// Reply/forward prefixes, compared case-insensitively, each followed by `:`
/// (possibly with a space before it, as French clients write `Réf. :`).
const PREFIXES: &[&str] = &[
    "re",
    "fw",
    "fwd",
    "aw",
    "wg",
    "rv",
    "enc",
    "réf",
    "ref",
    "tr",
    "sv",
    "vs",
    "antw",
    "odp",
    "res",
    "r",
    "rif",
    "i",
    "fs",
    "vl",
    "atb",
    "ynt",
    "πρθ",
    "ответ",
    "回复",
    "答复",
    "转发",
];

/// Returns the subject with all leading reply prefixes and bracketed tags removed,
/// whitespace collapsed. `Re: [WG-Strategy] [Ext] RE: Text` → `Text`.
pub fn normalize_subject(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let before = s;
        // Bracketed tags: [List], [Ext], [SEC=OFFICIAL]
        if s.starts_with('[') {
            if let Some(end) = s.find(']') {
                if end <= 64 {
                    s = s[end + 1..].trim_start();
                }
            }
        }
        // Prefix: word, optional [n] or (n) counter, optional dot, optional space, colon.
        let word_end = s
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map(|(i, _)| i)
            .unwrap_or(s.len());
        if word_end > 0 && word_end <= 8 {
            let word = s[..word_end].to_lowercase();
            if PREFIXES.contains(&word.as_str()) {
                let mut rest = &s[word_end..];
                if let Some(r) = rest.strip_prefix('.') {
                    rest = r;
                }
                // counters like Re[2]: or Re(2):
                if rest.starts_with('[') || rest.starts_with('(') {
                    if let Some(close) = rest.find([']', ')']) {
                        if rest[1..close].chars().all(|c| c.is_ascii_digit()) {
                            rest = &rest[close + 1..];
                        }
                    }
                }
                let trimmed = rest.trim_start_matches(' ');
                if let Some(r) = trimmed
                    .strip_prefix(':')
                    .or_else(|| trimmed.strip_prefix('：'))
                {
                    s = r.trim_start();
                }
            }
        }
        if s == before {
            break;
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when the subject starts (after tags) with a reply or forward prefix.
pub fn is_reply_subject(subject: &str) -> bool {
    let n = normalize_subject(subject);
    let stripped_tags = strip_tags(subject.trim());
    let collapsed = stripped_tags
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    collapsed != n
}

fn strip_tags(mut s: &str) -> &str {
    while s.starts_with('[') {
        match s.find(']') {
            Some(end) => s = s[end + 1..].trim_start(),
            None => break,
        }
    }
    s
}

/// The first bracketed tag of a subject, e.g. `WG-Strategy` from
/// `[WG-Strategy] [Ext] Re: Text`, skipping tags that are not list names.
pub fn list_tag(subject: &str) -> Option<String> {
    let mut s = subject.trim();
    loop {
        // skip reply prefixes before the tag: "Re: [List] ..."
        let n = s.find('[')?;
        if n > 12 {
            return None;
        }
        let end = s[n..].find(']')? + n;
        let tag = s[n + 1..end].trim();
        let lower = tag.to_ascii_lowercase();
        let not_list = tag.is_empty()
            || lower == "ext"
            || lower == "external"
            || lower.starts_with("sec=")
            || lower.starts_with("spam")
            || lower.chars().all(|c| c.is_ascii_digit())
            || tag.contains(' ') && tag.len() > 30;
        if !not_list && tag.len() <= 64 {
            return Some(tag.to_string());
        }
        s = &s[end + 1..];
    }
}

/// Every bracketed tag at the start of a subject (after reply prefixes).
pub fn all_tags(subject: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut s = subject.trim();
    while let Some(n) = s.find('[') {
        // Only reply prefixes may stand between tags.
        if n > 12 || !normalize_subject(&s[..n]).is_empty() {
            break;
        }
        let Some(end) = s[n..].find(']').map(|e| e + n) else {
            break;
        };
        let tag = s[n + 1..end].trim();
        if !tag.is_empty() && tag.len() <= 64 {
            out.push(tag.to_string());
        }
        s = &s[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_prefixes_and_tags() {
        assert_eq!(
            normalize_subject("[WG-Strategy] [Ext] Re: Text on Enhanced Cooperation"),
            "Text on Enhanced Cooperation"
        );
        assert_eq!(
            normalize_subject("RE: Re: [WG-Strategy] AW: Fwd: x  y"),
            "x y"
        );
        assert_eq!(
            normalize_subject("Réf. : RV: Enc: SV: Tr: bonjour"),
            "bonjour"
        );
        assert_eq!(normalize_subject("Re[2]: hello"), "hello");
        assert_eq!(normalize_subject("Rest of the text"), "Rest of the text");
        assert_eq!(normalize_subject("Reunion: agenda"), "Reunion: agenda");
    }

    #[test]
    fn reply_detection_and_tags() {
        assert!(is_reply_subject("[WG-Strategy] [Ext] Re: Text"));
        assert!(!is_reply_subject("[WG-Strategy] Text"));
        assert_eq!(
            list_tag("[WG-Strategy] [Ext] Re: Text").as_deref(),
            Some("WG-Strategy")
        );
        assert_eq!(
            list_tag("Re: [Twisted-web] x").as_deref(),
            Some("Twisted-web")
        );
        assert_eq!(
            list_tag("[Ext] [R-pkg-devel] x").as_deref(),
            Some("R-pkg-devel")
        );
        assert_eq!(list_tag("plain subject"), None);
        assert_eq!(
            all_tags("Re: [Web-SIG] [Twisted-web] x [y]"),
            vec!["Web-SIG".to_string(), "Twisted-web".to_string()]
        );
    }
}
