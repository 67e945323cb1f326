//! Addresses kept out of what the record publishes unless asked for: the one
//! rule for structured output (the dataset, the command's JSON and text).
//! Pages and the API use the same obfuscation (`plenary_mail::address`).

pub use plenary_mail::address::{obfuscate_bytes, obfuscate_message, obfuscate_text};

/// Keys whose values are identifiers (Message-IDs, message and thread ids,
/// links), never rewritten: obfuscating them would break threading and links.
const ID_KEYS: &[&str] = &[
    "id",
    "message_id",
    "parent",
    "in_reply_to",
    "references",
    "refs",
    "thread",
    "thread_id",
    "source_id",
    "ghost_parent",
    "quote_parent",
    "target",
    "url",
    "href",
];

/// Obfuscates every address in the string values of `v` (`a@b.org` → `a at
/// b.org`), except under identifier keys.
pub fn obfuscate_json(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(o) = obfuscate_text(s) {
                *s = o;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(obfuscate_json),
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                if !ID_KEYS.contains(&k.as_str()) {
                    obfuscate_json(val);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_addresses_hidden_ids_kept() {
        let mut v = serde_json::json!({
            "id": "m1@host.example.org",
            "author_address": "ana@fct.pt",
            "quotes": [{"text": "mail anriette@apc.org", "parent": "p@x.org"}],
            "n": 3
        });
        obfuscate_json(&mut v);
        assert_eq!(v["id"], "m1@host.example.org");
        assert_eq!(v["author_address"], "ana at fct.pt");
        assert_eq!(v["quotes"][0]["text"], "mail anriette at apc.org");
        assert_eq!(v["quotes"][0]["parent"], "p@x.org");
    }
}
