//! Any bytes as a message: decoded or rejected with a reason, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for kind in [
        plenary_mail::RawKind::Rfc822,
        plenary_mail::RawKind::PipermailText,
        plenary_mail::RawKind::PipermailPage,
        plenary_mail::RawKind::PipermailRendering,
    ] {
        let item = plenary_mail::RawItem {
            bytes: data.to_vec(),
            kind,
            origin: "fuzz".into(),
            source: "fuzz".into(),
            envelope: None,
            list_hint: None,
            alt_page: None,
        };
        let _ = plenary_mail::parse_item(&item, &plenary_mail::ParseOptions::default(), None);
    }
});
