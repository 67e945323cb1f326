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
}
