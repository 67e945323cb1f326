//! The stored form of a body's quote analysis. This module is the only place that
//! turns plenary-quotes' typed values into the `zones` and `quotes` JSON columns and
//! back.
//!
//! The author's own words are stored once, in `new_text`: the `quotes` column holds
//! the quoted messages with the top message's text left empty, and reading puts it
//! back. (Rows written before schema 2 carry it twice; both read the same.)

use plenary_quotes::{Analysis, QuotedMessage, Zone};

use crate::{Result, StoreError};

/// Quote analysis of a body, as the store keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredAnalysis {
    /// Zones tiling the body.
    pub zones: Vec<Zone>,
    /// The top message (index 0: the author's own words) and every quoted message.
    pub messages: Vec<QuotedMessage>,
}

impl StoredAnalysis {
    /// The stored form of an analysis.
    pub fn from_analysis(a: Analysis) -> StoredAnalysis {
        StoredAnalysis {
            zones: a.zones,
            messages: a.messages,
        }
    }

    /// The author's own words.
    pub fn new_text(&self) -> &str {
        self.messages.first().map_or("", |m| m.text.as_str())
    }

    /// Whether any zone is of `kind`.
    pub fn has_zone(&self, kind: plenary_quotes::ZoneKind) -> bool {
        self.zones.iter().any(|z| z.kind == kind)
    }
}

/// The three columns of an analysis: zones, new text, quotes.
pub(crate) fn encode(a: &StoredAnalysis) -> Result<(String, String, String)> {
    let zones = serde_json::to_string(&a.zones).map_err(encode_err)?;
    let new_text = a.new_text().to_string();
    let quotes = match a.messages.split_first() {
        Some((top, rest)) => {
            let mut top = top.clone();
            top.text = String::new();
            let mut v = Vec::with_capacity(a.messages.len());
            v.push(top);
            v.extend(rest.iter().cloned());
            serde_json::to_string(&v)
        }
        None => serde_json::to_string(&a.messages),
    }
    .map_err(encode_err)?;
    Ok((zones, new_text, quotes))
}

fn encode_err(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("quote analysis does not serialise: {e}"))
}

/// Zones from their column (none when the message was never analysed).
pub(crate) fn zones(id: &str, json: Option<&str>) -> Result<Vec<Zone>> {
    match json {
        None => Ok(Vec::new()),
        Some(j) => serde_json::from_str(j)
            .map_err(|e| StoreError::Corrupt(format!("message {id}: zones: {e}"))),
    }
}

/// Quoted messages from their column, with the top message's text from `new_text`.
pub(crate) fn messages(
    id: &str,
    json: Option<&str>,
    new_text: Option<&str>,
) -> Result<Vec<QuotedMessage>> {
    let Some(j) = json else {
        return Ok(Vec::new());
    };
    let mut v: Vec<QuotedMessage> = serde_json::from_str(j)
        .map_err(|e| StoreError::Corrupt(format!("message {id}: quoted messages: {e}")))?;
    if let (Some(top), Some(t)) = (v.first_mut(), new_text) {
        if top.text.is_empty() {
            top.text = t.to_string();
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_text_is_stored_once_and_read_back() {
        let a = StoredAnalysis::from_analysis(plenary_quotes::analyze(
            "I agree.\n\nOn Mon, 7 Jul 2025 at 09:00, Ana <ana@example.org> wrote:\n> The draft is ready.\n",
        ));
        assert_eq!(a.new_text(), "I agree.");
        let (zones_json, new_text, quotes_json) = encode(&a).expect("encode");
        assert!(!quotes_json.contains("I agree."), "{quotes_json}");
        let back = StoredAnalysis {
            zones: zones("m", Some(&zones_json)).expect("zones"),
            messages: messages("m", Some(&quotes_json), Some(&new_text)).expect("messages"),
        };
        assert_eq!(back, a);
    }

    #[test]
    fn rows_from_before_read_the_same() {
        // written by the analyser's Serialize before this module existed: text twice,
        // fields of later versions missing
        let old = r#"[{"depth":0,"parent":null,"attribution":null,"text":"Mine.","signature":null,"interleaved":false},
            {"depth":1,"parent":0,"attribution":{"raw":"Ana wrote:","name":"Ana","normalized_name":"Ana","address":null,"via_list":null,
             "date":{"year":2025,"month":7,"day":7,"hour":9,"minute":0,"offset_minutes":null},"date_text":null,"subject":null,"to":[],"cc":[],
             "style":"on_wrote","language":"en"},"text":"Theirs.","signature":null,"interleaved":false}]"#;
        let m = messages("m", Some(old), Some("Mine.")).expect("old rows read");
        assert_eq!(m[0].text, "Mine.");
        let at = m[1].attribution.as_ref().expect("attribution");
        assert!(
            at.date.is_some_and(|d| d.has_time),
            "a date without has_time had a time"
        );
        assert_eq!(at.language.as_deref(), Some("en"));
    }

    #[test]
    fn unreadable_columns_are_errors_naming_the_message() {
        let e = messages("m@x", Some("{not json"), None).expect_err("corrupt");
        assert!(e.to_string().contains("m@x"), "{e}");
    }
}
