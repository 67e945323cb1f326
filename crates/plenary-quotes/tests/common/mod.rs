//! Checks shared by the test modules: zones tile the body, and zone text by kind.

use plenary_quotes::{Analysis, QuotedMessage, ZoneKind};

/// Zones cover `body` exactly, in order, on line boundaries; message
/// references are consistent.
pub(crate) fn assert_tiles(body: &str, a: &Analysis) {
    assert!(!a.messages.is_empty(), "there is always a top message");
    assert_eq!(a.messages[0].depth, 0);
    assert_eq!(a.messages[0].parent, None);
    if body.is_empty() {
        assert!(a.zones.is_empty());
        return;
    }
    let mut pos = 0;
    for z in &a.zones {
        assert_eq!(z.start, pos, "gap or overlap at {pos}");
        assert!(z.end > z.start, "empty zone at {pos}");
        assert!(
            z.start == 0 || body.as_bytes()[z.start - 1] == b'\n',
            "zone starts mid-line at {}",
            z.start
        );
        assert!(
            z.end == body.len() || body.as_bytes()[z.end - 1] == b'\n',
            "zone ends mid-line at {}",
            z.end
        );
        assert!(z.message < a.messages.len());
        assert_eq!(z.depth, a.messages[z.message].depth);
        pos = z.end;
    }
    assert_eq!(pos, body.len(), "zones stop short of the end");
    for (i, m) in a.messages.iter().enumerate().skip(1) {
        let p = m.parent.expect("quoted messages have a parent");
        assert!(p < i, "parents come first (depth-first order)");
        assert_eq!(m.depth, a.messages[p].depth + 1);
    }
}

/// The text of all zones of one kind (optionally of one message).
pub(crate) fn zone_text(
    body: &str,
    a: &Analysis,
    kind: ZoneKind,
    message: Option<usize>,
) -> String {
    a.zones
        .iter()
        .filter(|z| z.kind == kind && message.is_none_or(|m| z.message == m))
        .map(|z| &body[z.start..z.end])
        .collect()
}

/// Analyses `body` and checks that its zones tile it.
pub(crate) fn run(body: &str) -> Analysis {
    let a = plenary_quotes::analyze(body);
    assert_tiles(body, &a);
    a
}

/// Message `i`'s attribution (panics, showing the messages, when it has none).
pub(crate) fn attr(a: &Analysis, i: usize) -> &plenary_quotes::Attribution {
    a.messages
        .get(i)
        .and_then(|m| m.attribution.as_ref())
        .unwrap_or_else(|| panic!("message {i} has no attribution: {:#?}", a.messages))
}

/// An attribution's date as (year, month, day, hour, minute).
pub(crate) fn ymdhm(a: &plenary_quotes::Attribution) -> Option<(i32, u8, u8, u8, u8)> {
    a.date.map(|d| (d.year, d.month, d.day, d.hour, d.minute))
}

/// The quoted message whose attribution names `name`; fails the test with every
/// message when there is none.
pub(crate) fn by_author<'a>(a: &'a Analysis, name: &str) -> &'a QuotedMessage {
    a.messages
        .iter()
        .find(|m| m.attribution.as_ref().and_then(|x| x.name.as_deref()) == Some(name))
        .unwrap_or_else(|| panic!("no message by {name}: {:#?}", a.messages))
}
