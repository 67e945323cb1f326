//! Any text: the analysis never panics, its zones tile the body in order on char
//! boundaries, and every quoted message's parent comes before it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let a = plenary_quotes::analyze(&body);
    assert!(!a.messages.is_empty(), "the top message always exists");
    let mut at = 0;
    for z in &a.zones {
        assert_eq!(z.start, at, "zones tile the body");
        assert!(z.end >= z.start);
        assert!(body.is_char_boundary(z.start) && body.is_char_boundary(z.end));
        assert!(z.message < a.messages.len());
        at = z.end;
    }
    assert!(
        a.zones.is_empty() || at == body.len(),
        "zones cover the body"
    );
    for (i, m) in a.messages.iter().enumerate().skip(1) {
        assert!(m.parent.is_some_and(|p| p < i), "parents precede");
    }
});
