//! RFC 3676 `format=flowed` unwrapping. mail-parser decodes the transfer
//! encoding but leaves flowed lines as sent, and no maintained crate does
//! this, so it is written here: soft breaks (a line ending in a space) are
//! joined, space-stuffing is removed, quote depth is respected, the
//! signature separator `-- ` is never joined, and `DelSp=yes` drops the
//! trailing space of soft breaks.

/// Unwraps flowed text. Linear in the input; never panics.
pub fn unwrap_flowed(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    // The paragraph being assembled: its quote depth and content.
    let mut current: Option<(usize, String)> = None;
    for raw_line in text.split('\n') {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let depth = line.bytes().take_while(|b| *b == b'>').count();
        let mut content = &line[depth..];
        // Space-stuffing: one leading space after the quote marks is removed.
        if let Some(c) = content.strip_prefix(' ') {
            content = c;
        }
        let is_sig = content == "-- ";
        let soft = !is_sig && content.ends_with(' ');
        let piece = if soft && delsp {
            &content[..content.len() - 1]
        } else {
            content
        };
        match current.as_mut() {
            Some((d, buf)) if *d == depth => buf.push_str(piece),
            Some(_) => {
                if let Some((d, buf)) = current.take() {
                    push_line(&mut out, d, &buf);
                }
                current = Some((depth, piece.to_string()));
            }
            None => current = Some((depth, piece.to_string())),
        }
        if !soft {
            if let Some((d, buf)) = current.take() {
                push_line(&mut out, d, &buf);
            }
        }
    }
    if let Some((d, buf)) = current.take() {
        push_line(&mut out, d, &buf);
    }
    // split('\n') yields a final empty piece for text ending in a newline;
    // that produced one extra "\n" which we remove to keep the shape.
    let extra = if text.ends_with('\n') {
        out.ends_with("\n\n")
    } else {
        out.ends_with('\n')
    };
    if extra {
        out.pop();
    }
    out
}

fn push_line(out: &mut String, depth: usize, content: &str) {
    for _ in 0..depth {
        out.push('>');
    }
    if depth > 0 && !content.is_empty() {
        out.push(' ');
    }
    out.push_str(content);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_soft_breaks() {
        let t = "This is a long \r\nparagraph that \r\nwraps.\r\nNew line.\r\n";
        assert_eq!(
            unwrap_flowed(t, false),
            "This is a long paragraph that wraps.\nNew line.\n"
        );
    }

    #[test]
    fn delsp_and_quotes_and_stuffing() {
        let t = "Hel \nlo\n> quoted  \n> text\n>> deeper\n  stuffed\n-- \nsig";
        assert_eq!(
            unwrap_flowed(t, true),
            "Hello\n> quoted text\n>> deeper\n stuffed\n-- \nsig"
        );
    }

    #[test]
    fn depth_change_ends_paragraph() {
        let t = "a \n> b\n";
        assert_eq!(unwrap_flowed(t, false), "a \n> b\n");
    }
}
