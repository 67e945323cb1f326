//! The acceptance case: a pipermail message page that carries a seven-person
//! thread in English, Portuguese and Spanish quoting styles.

use crate::common::{assert_tiles, zone_text};
use plenary_quotes::{analyze, analyze_with, AttributionStyle, Options, ZoneKind};

const SEED: &str = "/work/shared/seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt";

/// The body of the rendered page: without the 4 header lines (subject,
/// author, address, date) and the pipermail chrome at the end.
fn seed_body() -> Option<(String, String)> {
    let raw = std::fs::read_to_string(SEED).ok()?;
    let lines: Vec<&str> = raw.split_inclusive('\n').collect();
    let author = lines
        .get(1)
        .map(|l| l.trim().to_string())
        .unwrap_or_default();
    let mut body: String = lines.iter().skip(4).copied().collect();
    if let Some(p) = body.rfind("More information about the") {
        body.truncate(p);
    }
    Some((body, author))
}

#[test]
fn seed_seven_messages() {
    let Some((body, _)) = seed_body() else {
        println!("SKIPPED: {SEED} not found");
        return;
    };
    let a = analyze(&body);
    assert_tiles(&body, &a);
    let m = &a.messages;
    assert_eq!(m.len(), 7, "top + 6 quoted messages");
    // a single chain, each quoting the next
    for (i, msg) in m.iter().enumerate() {
        assert_eq!(msg.depth as usize, i);
        assert_eq!(msg.parent, i.checked_sub(1));
    }
    assert!(m[0].attribution.is_none());

    let at = |i: usize| {
        m[i].attribution
            .as_ref()
            .expect("quoted messages are attributed")
    };
    let names: Vec<Option<&str>> = (1..7).map(|i| at(i).normalized_name.as_deref()).collect();
    assert_eq!(
        names,
        vec![
            Some("Ana Neves"),
            Some("Paul Blaker"),
            Some("parminder"),
            Some("Veni Markovski"),
            Some("Raúl Echeberría"),
            Some("Wolfgang Kleinwächter"),
        ]
    );
    // as written, with the list rewrite undone
    assert_eq!(at(2).name.as_deref(), Some("Blaker, Paul (DSIT)"));
    assert_eq!(at(2).via_list.as_deref(), Some("WG-Strategy"));
    assert_eq!(at(1).via_list.as_deref(), Some("WG-Strategy"));
    assert!(at(2)
        .raw
        .starts_with("*De:*Blaker, Paul (DSIT) via WG-Strategy"));
    assert_eq!(
        at(3).address.as_deref(),
        Some("parminder.js.work@gmail.com")
    );
    assert_eq!(at(5).address.as_deref(), Some("raul@alai.lat"));
    assert_eq!(
        at(6).address.as_deref(),
        Some("wolfgang@kleinwaechter.info")
    );

    // styles and languages
    let styles: Vec<AttributionStyle> = (1..7).map(|i| at(i).style).collect();
    use AttributionStyle::*;
    assert_eq!(
        styles,
        vec![
            OnWrote,
            HeaderBlock,
            HeaderBlock,
            OnWrote,
            HeaderBlock,
            OnWrote
        ]
    );
    assert_eq!(at(1).language.as_deref(), Some("en"));
    assert_eq!(at(2).language.as_deref(), Some("pt"));
    assert_eq!(at(3).language.as_deref(), Some("en"));
    assert_eq!(at(6).language.as_deref(), Some("es"));

    // dates, local, as written
    let date = |i: usize| {
        let d = at(i).date.expect("dated");
        assert_eq!(d.offset_minutes, None, "no offset is written");
        (d.year, d.month, d.day, d.hour, d.minute)
    };
    assert_eq!(date(1), (2025, 7, 23, 18, 36));
    assert_eq!(date(2), (2025, 7, 23, 16, 3));
    assert_eq!(date(3), (2025, 7, 23, 14, 42));
    assert_eq!(date(4), (2025, 7, 23, 19, 2));
    assert_eq!(date(5), (2025, 7, 22, 22, 46));
    assert_eq!(date(6), (2025, 7, 22, 17, 6));
    let dt: Vec<Option<&str>> = (1..7).map(|i| at(i).date_text.as_deref()).collect();
    assert_eq!(
        dt,
        vec![
            Some("2025/07/23 18:36"),
            Some("23 de julho de 2025 16:03"),
            Some("23 July 2025 14:42"),
            Some("23/07/25 19:02"),
            Some("Tuesday, July 22, 2025 at 22:46"),
            Some("22 jul. 2025, a las 5:06 p. m."),
        ]
    );

    // subjects and recipients where the block has them
    assert_eq!(
        at(2).subject.as_deref(),
        Some("Re: [WG-Strategy] [Ext] Re: Text on Enhanced Cooperation")
    );
    assert_eq!(
        at(3).subject.as_deref(),
        Some("Re: [WG-Strategy] [Ext] Re: Text on Enhanced Cooperation")
    );
    assert_eq!(
        at(5).subject.as_deref(),
        Some("[Ext] Re: [WG-Strategy] Text on Enhanced Cooperation")
    );
    assert_eq!(at(1).subject, None);
    assert_eq!(at(2).to, vec!["wg-strategy@intgovforum.org"]);
    assert_eq!(at(5).to, vec!["wg-strategy <wg-strategy@intgovforum.org>"]);

    // each message's own words
    let starts = [
        "Dear Ana\nThanks a lot for the reference to the Johnson Sirleaf",
        "Thanks, Paul, for bringing up how the CSTD could be more effectively",
        "Hi all\n\nI’m new to this group",
        "Yes, Veni, that is the default",
        "Thanks, Raul.\nSince Tunisia there was the WSIS+10 process",
        "Hi.\n\nI very much agree with Wolfgang.",
        "Hi,\n\nto be frank, I am not happy with the proposal.",
    ];
    for (i, s) in starts.iter().enumerate() {
        assert!(
            m[i].text.starts_with(s),
            "message {i} starts {:?}",
            &m[i].text[..m[i].text.len().min(80)]
        );
    }
    let ends = [
        "I like this idea a lot.\nAnriette",
        "Multistakeholder Guidelines\n<https://netmundial.br/pdf/NETmundial10-MultistakeholderStatement-2024.pdf>.\n\nAna",
        "entrenching old positions.\n\nPaul",
        "default status quo fine?\n\nbest, parminder",
        "keep the old\nlanguage.\n\nBest,\n\nv/",
        "as many others in\nthis group.\n\nBest,\n\nRaúl",
        "governmental advisory committee (GAC).",
    ];
    for (i, s) in ends.iter().enumerate() {
        assert!(
            m[i].text.ends_with(s),
            "message {i} ends {:?}",
            &m[i].text[m[i].text.len().saturating_sub(80)..]
        );
    }
    // no quotes, signatures, notices, markings or footers in anyone's text
    let forbidden = [
        "> ",
        "wrote:",
        "escribió",
        "*From:",
        "*De:*",
        "Anriette Esterhuysen -anriette",
        "Avenida do Brasil",
        "Head of ITU",
        "I am sending this message",
        "OFFICIAL",
        "mailing list",
        "unsubscribe",
        "next part",
        "scrubbed",
    ];
    for (i, msg) in m.iter().enumerate() {
        for f in forbidden {
            assert!(!msg.text.contains(f), "message {i} text contains {f:?}");
        }
    }
    // no one's text contains another's
    assert!(!m[1].text.contains("I’m new to this group"));
    assert!(!m[4].text.contains("Yes, Veni"));
    assert!(!m[3].text.contains("Since Tunisia"));
    assert!(!m[5].text.contains("to be frank"));
    assert!(m[6].text.contains("PS: Here is my view of the history"));

    // parminder answered inside Veni's message: Veni's text is two chunks
    assert!(m[4].interleaved);
    assert!(m[4].text.contains("keep the old\nlanguage.\n\nBest,"));
    assert!(!m[3].interleaved);

    // signatures
    let sig = |i: usize| m[i].signature.as_deref().unwrap_or("");
    assert!(sig(0).starts_with("Anriette Esterhuysen -anriette at apc.org"));
    assert!(sig(1).starts_with("Ana Cristina F. Amoroso das Neves"));
    assert!(sig(1).contains("Avenida do Brasil"));
    assert!(sig(2).starts_with("Paul Blaker"));
    assert!(sig(2).contains("Department for Science, Innovation & Technology"));

    // zones
    let kinds = |k: ZoneKind| a.zones.iter().filter(|z| z.kind == k).count();
    assert_eq!(
        a.zones
            .iter()
            .filter(|z| z.kind == ZoneKind::Attribution)
            .map(|z| z.message)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        6
    );
    assert!(zone_text(&body, &a, ZoneKind::Notice, Some(1))
        .contains("I am sending this message at a time that works well for me"));
    assert_eq!(kinds(ZoneKind::Classification), 2);
    assert!(zone_text(&body, &a, ZoneKind::Classification, Some(2)).contains("OFFICIAL"));
    let footer = zone_text(&body, &a, ZoneKind::ListFooter, None);
    assert_eq!(footer.matches("WG-Strategy mailing list").count(), 3);
    assert!(zone_text(&body, &a, ZoneKind::ScrubbedAttachment, Some(0))
        .starts_with("-------------- next part --------------"));
    assert!(zone_text(&body, &a, ZoneKind::Salutation, Some(0)).starts_with("Dear Ana"));
    assert!(zone_text(&body, &a, ZoneKind::Attribution, Some(6)).contains("escribió:"));
    // the deepest words sit under one `>` but five levels down
    let deep = a
        .zones
        .iter()
        .find(|z| z.message == 6 && z.kind == ZoneKind::Quoted)
        .expect("Wolfgang's text");
    assert_eq!((deep.depth, deep.quote_level), (6, 1));
}

#[test]
fn seed_with_options_and_chrome() {
    let Some((body, author)) = seed_body() else {
        println!("SKIPPED: {SEED} not found");
        return;
    };
    let opts = Options {
        author: Some(author),
        date: plenary_quotes::parse_date("Wed Jul 23 14:30:34 EDT 2025"),
        ..Options::default()
    };
    let a = analyze_with(&body, &opts);
    assert_tiles(&body, &a);
    assert_eq!(a.messages.len(), 7);
    assert_eq!(
        a.messages[0]
            .signature
            .as_deref()
            .map(|s| s.starts_with("Anriette Esterhuysen")),
        Some(true)
    );
    // the whole page (header lines and chrome included) still analyses
    let raw = std::fs::read_to_string(SEED).unwrap_or_default();
    let a = analyze(&raw);
    assert_tiles(&raw, &a);
    assert_eq!(a.messages.len(), 7);
    assert!(zone_text(&raw, &a, ZoneKind::ListFooter, Some(0))
        .contains("More information about the WG-Strategy"));
}
