//! Author addresses as archives mangle them: pipermail's `user at host`,
//! the R project's `user @end|ng |rom host`, and Mailman's DMARC rewrite
//! `Name via List <list@host>`.

use serde::Serialize;

/// The author of a message as recovered from its headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Author {
    pub name: Option<String>,
    /// The author's own address, lowercased; `None` when only the list's address is known.
    pub address: Option<String>,
    /// When Mailman rewrote the From header (`Name via List`), the list address it used.
    pub via_list: Option<String>,
}

/// Undoes pipermail address obfuscation: `anriette at apc.org` → `anriette@apc.org`,
/// `ke||ey @end|ng |rom d@|@c@` → `ke||ey@d@|@c@` (the R archive's form is only partly
/// reversible, see corpora README; the display name is the reliable part there).
pub fn deobfuscate(addr: &str) -> String {
    let a = addr.trim();
    let a = a.replace(" @end|ng |rom ", "@");
    let a = a.replace(" at ", "@");
    a.trim_matches(|c| c == '<' || c == '>').to_lowercase()
}

/// Splits Mailman's DMARC rewrite: `Ana Neves via WG-Strategy` → (`Ana Neves`, `WG-Strategy`).
pub fn split_via(display: &str) -> Option<(String, String)> {
    let idx = display.rfind(" via ")?;
    let name = display[..idx].trim().trim_matches('"').trim();
    let list = display[idx + 5..].trim().trim_matches('"').trim();
    if name.is_empty() || list.is_empty() || list.contains(' ') && list.len() > 40 {
        return None;
    }
    Some((name.to_string(), list.to_string()))
}

/// Cleans a display name: strips quotes and surrounding whitespace; empty → None.
pub fn clean_name(name: &str) -> Option<String> {
    let n = name
        .trim()
        .trim_matches('"')
        .trim()
        .trim_matches('\'')
        .trim();
    let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() {
        None
    } else {
        Some(n)
    }
}

/// Parses pipermail's `user at host (Full Name)` form into (address, name).
pub fn parse_pipermail_from(value: &str) -> (Option<String>, Option<String>) {
    let v = value.trim();
    let (addr_part, name) = match (v.find('('), v.rfind(')')) {
        (Some(o), Some(c)) if c > o => (&v[..o], clean_name(&v[o + 1..c])),
        _ => (v, None),
    };
    let addr = deobfuscate(addr_part);
    let addr = if addr.is_empty() { None } else { Some(addr) };
    (addr, name)
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'=' | b'\'')
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Replaces the `@` of everything that looks like a mail address
/// (`local@domain.tld`) with ` at `, as pipermail does. Works on bytes, so raw
/// input in any charset is rewritten without being decoded; only ASCII `@` is
/// replaced, so valid UTF-8 stays valid.
pub fn obfuscate_bytes(b: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    let ats = address_at_signs(b);
    if ats.is_empty() {
        return Cow::Borrowed(b);
    }
    let mut out = Vec::with_capacity(b.len() + 3 * ats.len());
    let mut last = 0;
    for i in ats {
        out.extend_from_slice(&b[last..i]);
        out.extend_from_slice(b" at ");
        last = i + 1;
    }
    out.extend_from_slice(&b[last..]);
    Cow::Owned(out)
}

/// The positions of the `@` of everything in `b` that looks like a mail
/// address (`local@domain.tld`): what [`obfuscate_bytes`] replaces.
pub fn address_at_signs(b: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    for i in (0..b.len()).filter(|&i| b[i] == b'@') {
        let local_len = b[..i]
            .iter()
            .rev()
            .take_while(|c| is_local_byte(**c))
            .count();
        let dom_len = b[i + 1..]
            .iter()
            .take_while(|c| is_domain_byte(**c))
            .count();
        let mut domain = &b[i + 1..i + 1 + dom_len];
        while let Some((&last_byte, rest)) = domain.split_last() {
            if last_byte == b'.' || last_byte == b'-' {
                domain = rest;
            } else {
                break;
            }
        }
        let tld_ok = domain
            .iter()
            .rposition(|c| *c == b'.')
            .map(|dot| {
                let tld = &domain[dot + 1..];
                dot > 0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
            })
            .unwrap_or(false);
        if local_len > 0 && tld_ok {
            out.push(i);
        }
    }
    out
}

/// [`obfuscate_bytes`] over text.
pub fn obfuscate_text(s: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    match obfuscate_bytes(s.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(s),
        // only ASCII '@' became ASCII " at ": still UTF-8
        Cow::Owned(v) => Cow::Owned(
            String::from_utf8(v)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    }
}

/// Header fields whose values are message identifiers, not addresses: kept as
/// they are so threading survives obfuscation.
const ID_FIELDS: &[&[u8]] = &[
    b"message-id:",
    b"in-reply-to:",
    b"references:",
    b"resent-message-id:",
    b"content-id:",
    b"x-original-message-id:",
];

/// A whole message with its addresses obfuscated, for downloads and mbox
/// exports of an archive that does not show addresses. Header fields are
/// rewritten except the identifier fields; a body in a transfer encoding that
/// hides text (base64, quoted-printable) is replaced by `decoded_body`
/// (obfuscated) as UTF-8 plain text, since rewriting the encoded bytes could
/// not find the addresses in it.
pub fn obfuscate_message(raw: &[u8], decoded_body: &str) -> Vec<u8> {
    let split = raw
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| i + 1)
        .or_else(|| raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 2));
    let (head, body) = match split {
        Some(i) => raw.split_at(i),
        None => (raw, &[][..]),
    };
    let lower = String::from_utf8_lossy(raw).to_ascii_lowercase();
    let encoded = lower.contains("content-transfer-encoding: base64")
        || lower.contains("content-transfer-encoding: quoted-printable")
        || lower.contains("content-transfer-encoding:base64")
        || lower.contains("content-transfer-encoding:quoted-printable");
    let mut out = Vec::with_capacity(raw.len() + 64);
    let mut keep = false;
    let mut mime = false;
    for line in head.split_inclusive(|b| *b == b'\n') {
        let continuation = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if !continuation {
            let l = line.to_ascii_lowercase();
            keep = ID_FIELDS.iter().any(|f| l.starts_with(f));
            mime = l.starts_with(b"content-type:")
                || l.starts_with(b"content-transfer-encoding:")
                || l.starts_with(b"mime-version:");
        }
        if encoded && mime {
            continue;
        }
        if keep {
            out.extend_from_slice(line);
        } else {
            out.extend_from_slice(&obfuscate_bytes(line));
        }
    }
    if encoded {
        if out.ends_with(b"\r\n\r\n") || out.ends_with(b"\n\n") {
            out.pop();
            if out.ends_with(b"\r") {
                out.pop();
            }
        } else if out.ends_with(b"\n\r") {
            out.pop();
        }
        out.extend_from_slice(
            b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n",
        );
        out.extend_from_slice(obfuscate_text(decoded_body).as_bytes());
    } else {
        out.extend_from_slice(&obfuscate_bytes(body));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipermail_forms() {
        assert_eq!(deobfuscate("anriette at apc.org"), "anriette@apc.org");
        assert_eq!(
            parse_pipermail_from("edd at debian.org (Dirk Eddelbuettel)"),
            (
                Some("edd@debian.org".to_string()),
                Some("Dirk Eddelbuettel".to_string())
            )
        );
        let (a, n) = parse_pipermail_from("ke||ey @end|ng |rom d@|@c@ (Daniel Kelley)");
        assert_eq!(a.as_deref(), Some("ke||ey@d@|@c@"));
        assert_eq!(n.as_deref(), Some("Daniel Kelley"));
    }

    #[test]
    fn dmarc_rewrite() {
        assert_eq!(
            split_via("Ana Neves via WG-Strategy"),
            Some(("Ana Neves".to_string(), "WG-Strategy".to_string()))
        );
        assert_eq!(
            split_via("\"Blaker, Paul (DSIT) via WG-Strategy\""),
            Some(("Blaker, Paul (DSIT)".to_string(), "WG-Strategy".to_string()))
        );
        assert_eq!(split_via("Ana Neves"), None);
    }

    #[test]
    fn obfuscation_keeps_ids_and_hides_addresses() {
        assert_eq!(
            obfuscate_text("write to anriette@apc.org."),
            "write to anriette at apc.org."
        );
        assert_eq!(
            obfuscate_text("no address @ here, a@b"),
            "no address @ here, a@b"
        );
        let raw = b"From: Ana <ana@fct.pt>\nCc: x@y.org,\n z@w.org\nMessage-ID: <m1@host.example.org>\nReferences: <p@host.example.org>\n\nMail me at ana@fct.pt\n";
        let out = String::from_utf8(obfuscate_message(raw, "")).expect("utf-8");
        assert!(out.contains("From: Ana <ana at fct.pt>"), "{out}");
        assert!(out.contains(" z at w.org"), "{out}");
        assert!(out.contains("Message-ID: <m1@host.example.org>"), "{out}");
        assert!(out.contains("References: <p@host.example.org>"), "{out}");
        assert!(out.ends_with("\n\nMail me at ana at fct.pt\n"), "{out}");
        let b64 = b"From: a@b.org\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nYUBiLm9yZw==\r\n";
        let out = String::from_utf8(obfuscate_message(b64, "a@b.org wrote")).expect("utf-8");
        assert!(
            !out.contains("YUBiLm9yZw") && !out.contains("base64"),
            "{out}"
        );
        assert!(out.ends_with("\n\na at b.org wrote"), "{out}");
        assert!(out.starts_with("From: a at b.org\r\n"), "{out}");
    }
}
