//! Any bytes as an agenda file of every format: sessions or an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use plenary_agenda::Format;
use plenary_frameworks::Frameworks;

fn frameworks() -> &'static Frameworks {
    static FW: OnceLock<Frameworks> = OnceLock::new();
    FW.get_or_init(|| Frameworks::builtin().expect("shipped frameworks"))
}

fuzz_target!(|data: &[u8]| {
    let fw = frameworks();
    for (name, format) in [
        ("x.txt", Format::WsisText),
        ("x.txt", Format::IgfText),
        ("x.html", Format::WsisHtml),
        ("x.html", Format::IgfHtml),
        ("x.json", Format::Json),
        ("x.csv", Format::Csv),
    ] {
        let _ = plenary_agenda::detect(name, data);
        let _ = plenary_agenda::parse(name, data, format, fw);
    }
});
