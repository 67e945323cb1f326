//! Property tests (proptest): on arbitrary strings and on generated email-like
//! bodies, analysis never panics, zones tile the body on line boundaries,
//! indices are consistent, and the result is deterministic.

use crate::common::assert_tiles;
use plenary_quotes::analyze;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "Dear all,",
    "I agree with the proposal.",
    "Best,",
    "Ana",
    "-- ",
    "> quoted words here",
    ">> deeper quoted words",
    "| bar quoted",
    "On Tue, Jul 22, 2025 at 5:06 PM Paul Blaker <paul@x.uk> wrote:",
    "El mar, 22 jul 2025 a las 17:06, Raúl (<raul@alai.lat>) escribió:",
    "Em ter., 22 de jul. de 2025 às 17:06, Ana <ana@fct.pt> escreveu:",
    "Le mar. 22 juil. 2025 à 17:06, Jean <j@x.fr> a écrit :",
    "Am Mi., 23. Juli 2025 um 10:15 Uhr schrieb Max <m@x.de>:",
    "-----Original Message-----",
    "From: Paul Blaker <paul@x.uk>",
    "*De:* Blaker, Paul (DSIT) via WG-Strategy <wg at x.org>",
    "Sent: Tuesday, July 22, 2025 5:06 PM",
    "*Enviada:* 23 de julho de 2025 16:03",
    "To: wg@x.org",
    "Subject: Re: text",
    "________________________________",
    "_______________________________________________",
    "WG-Strategy mailing list",
    "OFFICIAL",
    "-------------- next part --------------",
    "",
];

fn body_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec((0..PIECES.len(), 0usize..4), 0..60).prop_map(|lines| {
        let mut s = String::new();
        for (i, depth) in lines {
            for _ in 0..depth {
                s.push('>');
            }
            if depth > 0 {
                s.push(' ');
            }
            s.push_str(PIECES[i]);
            s.push('\n');
        }
        s
    })
}

fn check(body: &str) {
    let a = analyze(body);
    assert_tiles(body, &a);
    assert!(!a.messages.is_empty());
    assert_eq!(a.messages[0].depth, 0);
    for (i, m) in a.messages.iter().enumerate() {
        if let Some(p) = m.parent {
            assert!(p < i, "parent {p} of message {i} comes after it");
        }
    }
    for z in &a.zones {
        assert!(z.message < a.messages.len());
    }
    assert_eq!(a, analyze(body), "deterministic");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(body in "\\PC{0,2000}") {
        check(&body);
    }

    #[test]
    fn arbitrary_lines(lines in prop::collection::vec("[ >|*_\\-:a-zA-Z0-9@.<>,]{0,80}", 0..80)) {
        check(&lines.join("\n"));
    }

    #[test]
    fn email_like(body in body_strategy()) {
        check(&body);
    }
}

/// Words from a small vocabulary, so that a quote's shingles are often in a candidate.
fn words(n: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "the",
            "CSTD",
            "forum",
            "Σοφία",
            "İstanbul",
            "straße",
            "and",
            "of",
            "1,2",
            "中文",
        ]),
        n,
    )
    .prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The shingles taken once measure what `containment` measures, for quotes short
    /// and long against candidates sharing words.
    #[test]
    fn shingled_containment_is_containment(part in words(0..400), whole in words(0..600)) {
        let sh = plenary_quotes::Shingled::new(&part);
        prop_assert_eq!(sh.contained_in(&whole), plenary_quotes::containment(&part, &whole));
        prop_assert_eq!(sh.contained_in(&part), plenary_quotes::containment(&part, &part));
    }
}
