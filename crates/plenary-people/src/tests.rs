use std::collections::HashSet;

use super::*;
use crate::identity::{name_tokens, signature_addresses, signature_names};

fn obs(name: Option<&str>, address: Option<&str>, sig: Option<&str>) -> Observation {
    Observation {
        name: name.map(str::to_string),
        address: address.map(str::to_string),
        date: Some(1_753_286_400),
        signature: sig.map(str::to_string),
        source: Source::Plain {
            label: format!("{name:?} {address:?}"),
        },
    }
}

fn personal() -> DomainKeys {
    DomainKeys(
        ["gmail.com", "mail.example.com"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
}

fn same(r: &Resolution, a: usize, b: usize) -> bool {
    r.person_of[a] == r.person_of[b]
}

#[test]
fn names_and_addresses_normalise() {
    assert_eq!(
        normalize_name("Blaker, Paul (DSIT)").as_deref(),
        Some("Paul Blaker")
    );
    assert_eq!(
        normalize_name("Ana Neves via WG-Strategy").as_deref(),
        Some("Ana Neves")
    );
    assert_eq!(
        normalize_name("Dr. Peter Major").as_deref(),
        Some("Peter Major")
    );
    assert_eq!(
        normalize_name("H.E. Amina Yusuf").as_deref(),
        Some("Amina Yusuf")
    );
    assert_eq!(
        normalize_name("Mateo \"Tito\" Ruiz").as_deref(),
        Some("Mateo Ruiz")
    );
    assert_eq!(normalize_name("mateo@example.org"), None);
    // pipermail's `?` for what it cannot encode, and a cut attribution's first word
    assert_eq!(normalize_name("? ? >>>> On"), None);
    assert_eq!(normalize_name("? >? ? ? Den"), None);
    assert_eq!(
        normalize_name("Simon Example ? ? ?On").as_deref(),
        Some("Simon Example")
    );
    assert_eq!(
        normalize_name("I?aki ?car").as_deref(),
        Some("I?aki ?car"),
        "a leading `?` may be a letter (Úcar)"
    );
    assert_eq!(normalize_name("Thanh Le").as_deref(), Some("Thanh Le"));
    assert_eq!(normalize_name("I?aki Ucar").as_deref(), Some("I?aki Ucar"));
    assert_eq!(
        normalize_address("Mateo+lists at Example.ORG").as_deref(),
        Some("mateo@example.org")
    );
    assert_eq!(normalize_address("not an address"), None);
    assert_eq!(name_tokens("Inés T. Ortega"), ["ines", "ortega"]);
}

#[test]
fn merges_by_address_name_spelling_and_signature() {
    let o = vec![
        obs(Some("Inés Ortega"), Some("ines.ortega@example.org"), None), // 0
        obs(Some("Ines Ortega"), Some("iortega@example.org"), None),     // 1 accents
        obs(
            Some("Ortega, Inés (MIN)"),
            Some("iortega@example.org"),
            None,
        ), // 2
        obs(Some("ines"), Some("ines.ortega@example.org"), None),        // 3 handle, same address
        obs(
            Some("I. Ortega"),
            Some("inesortega7@mail.example.com"),
            None,
        ), // 4 spelled local part
        obs(
            Some("Kofi Mensah"),
            Some("kofi@example.net"),
            Some("Kofi Mensah - kofi at example.net//kofi.mensah at example.com"),
        ), // 5
        obs(Some("K. Mensah"), Some("kofi.mensah@example.com"), None),   // 6 via signature
        obs(Some("Sam"), Some("sam@example.net"), None),                 // 7
        obs(Some("Sam Lee"), Some("samlee@other.example"), None),        // 8: not Sam (7)
        obs(Some("Chris Williams"), Some("chris@one.example"), None),    // 9
        obs(Some("Chris Williams"), Some("cwilliams@two.example"), None), // 10: another one
        obs(Some("Chris Williams"), Some("chrisw@gmail.com"), None),     // 11: which one?
    ];
    let lists = HashSet::new();
    let r = resolve(&o, &lists, &personal(), &Curated::default());
    assert!(same(&r, 0, 1) && same(&r, 1, 2) && same(&r, 0, 3) && same(&r, 0, 4));
    assert!(same(&r, 5, 6));
    assert!(!same(&r, 0, 5));
    assert!(!same(&r, 7, 8));
    // one name at two organisations: two people, and the personal address joins neither
    assert!(!same(&r, 9, 10) && !same(&r, 9, 11) && !same(&r, 10, 11));
    let ines = &r.people[r.person_of[0]];
    assert_eq!(ines.name, "Inés Ortega");
    assert!(ines.merges.iter().all(|m| !m.reason.is_empty()));
    let kofi = &r.people[r.person_of[5]];
    assert_eq!(
        kofi.addresses,
        ["kofi.mensah@example.com", "kofi@example.net"]
    );
    assert!(kofi
        .merges
        .iter()
        .any(|m| m.reason.contains("listed together in the signature")));
}

#[test]
fn never_merges_through_a_list_address() {
    let o = vec![
        obs(
            Some("Lena Berg via WG-X"),
            Some("wg-x@lists.example.org"),
            None,
        ),
        obs(
            Some("Omar Haddad via WG-X"),
            Some("wg-x@lists.example.org"),
            None,
        ),
        obs(Some("Lena Berg"), Some("lena@example.se"), None),
        obs(
            Some("Nadia Pereira"),
            Some("wg-x-bounces@lists.example.org"),
            None,
        ),
    ];
    let lists: HashSet<String> = ["wg-x@lists.example.org".to_string()].into_iter().collect();
    let r = resolve(&o, &lists, &personal(), &Curated::default());
    assert!(!same(&r, 0, 1), "two people behind one list address");
    assert!(same(&r, 0, 2), "the name still links Lena");
    assert!(r
        .people
        .iter()
        .all(|p| !p.addresses.iter().any(|a| a.contains("wg-x"))));
}

#[test]
fn fuller_name_in_the_signature() {
    let sig = "Ana\n\nAna Beatriz C. Moura dos Santos\n\nHead, Policy Office\n";
    assert_eq!(
        signature_names(sig, &name_tokens("Ana Santos")),
        ["Ana Beatriz C. Moura dos Santos"]
    );
    let o = vec![
        obs(Some("Ana Santos"), None, Some(sig)),
        obs(
            Some("Ana Beatriz C. Moura dos Santos"),
            Some("ana@example.pt"),
            None,
        ),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1));
    assert_eq!(
        signature_addresses("x - a at b.org//c at d.com"),
        ["a@b.org", "c@d.com"]
    );
}

#[test]
fn curated_merges_and_splits_override_inference() {
    let o = vec![
        obs(Some("Chris Park"), Some("chris@one.example"), None),
        obs(Some("Chris Park"), Some("cpark@one.example"), None),
        obs(Some("C. P."), Some("cp@three.example"), None),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1), "same name merges by default");
    let mut c = Curated::default();
    c.split("Chris Park".into(), "two different people".into());
    c.merge(
        vec!["cp@three.example".into(), "chris@one.example".into()],
        "same person".into(),
    );
    let r = resolve(&o, &HashSet::new(), &personal(), &c);
    assert!(!same(&r, 0, 1));
    assert!(same(&r, 0, 2));
    assert!(r.people[r.person_of[2]]
        .merges
        .iter()
        .any(|m| m.reason == "curated: same person"));
    // the file round-trips
    let dir = std::env::temp_dir().join(format!("plenary-people-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let p = dir.join("people.toml");
    c.save(&p).expect("save");
    let back = Curated::load(&p).expect("load");
    assert_eq!(back.merges, c.merges);
    assert_eq!(back.splits, c.splits);
    std::fs::write(&p, "[[merge]]\npeople = [\"only one\"]\n").expect("write");
    let e = Curated::load(&p).expect_err("bad merge");
    assert!(e.to_string().contains("people.toml"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ids_are_stable() {
    let o = vec![obs(Some("Lena Berg"), Some("lena@example.se"), None)];
    let a = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    let b = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert_eq!(a.people[0].id, b.people[0].id);
    assert!(a.people[0].id.starts_with('p'));
}

#[test]
fn affiliations_from_signature_domain_and_agenda() {
    let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
    let sig = "Paul\n\nPaul Blaker\n\nHead of ITU and Internet Governance\n\nDepartment for Science, Innovation & Technology\n\nUnited Kingdom\n";
    let o = vec![
        obs(Some("Blaker, Paul (DSIT)"), None, Some(sig)),
        Observation {
            name: Some("Dr. Lena Berg".into()),
            address: None,
            date: None,
            signature: None,
            source: Source::Speaker(Box::new(Speaker {
                session: "igf-2024-ws-1".into(),
                role: None,
                organization: None,
                position: None,
                stakeholder_group: Some("Civil Society".into()),
                regional_group: Some("WEOG".into()),
            })),
        },
        obs(Some("Lena Berg"), Some("lena@example.gov.uk"), None),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    let paul = &r.people[r.person_of[0]];
    let a = affiliations(paul, &o, &fw, &Curated::default(), &Default::default());
    let first = a.first().expect("an affiliation");
    assert_eq!(first.source, "signature");
    assert_eq!(first.stakeholder_group.as_deref(), Some("government"));
    assert_eq!(first.country.as_deref(), Some("GB"));
    assert_eq!(first.regional_group.as_deref(), Some("weog"));
    assert!(first.evidence.contains("Department for Science"));
    let lena = &r.people[r.person_of[1]];
    let a = affiliations(lena, &o, &fw, &Curated::default(), &Default::default());
    assert_eq!(a[0].source, "self-declared");
    assert_eq!(a[0].stakeholder_group.as_deref(), Some("civil-society"));
    assert_eq!(a[0].regional_group.as_deref(), Some("weog"));
    assert!(a.iter().any(
        |x| x.source == "email-domain" && x.stakeholder_group.as_deref() == Some("government")
    ));
    // personal mail says nothing
    let o = vec![obs(Some("Sam Lee"), Some("samlee@gmail.com"), None)];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(affiliations(
        &r.people[0],
        &o,
        &fw,
        &Curated::default(),
        &Default::default()
    )
    .is_empty());
}

#[test]
fn balance_shows_unknown_and_elephant_factor() {
    use balance::{compute, Contribution, Dimension};
    let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
    let mk = |org: &str, group: &str| Affiliation {
        organization: Some(org.into()),
        organization_id: None,
        stakeholder_group: Some(group.into()),
        country: None,
        regional_group: None,
        m49_region: None,
        source: "signature".into(),
        evidence: org.into(),
        confidence: 0.8,
        from: None,
        to: None,
        seen: 1,
        past: false,
    };
    let a = vec![mk("Org A", "government")];
    let b = vec![mk("Org B", "civil-society")];
    let none: Vec<Affiliation> = Vec::new();
    let c = |p: &str| Contribution {
        person: p.into(),
        name: p.into(),
        words: 10,
        date: Some(1_753_286_400),
    };
    let contributions = vec![c("a"), c("a"), c("a"), c("b"), c("x")];
    let affs = |p: &str| -> &[Affiliation] {
        match p {
            "a" => &a,
            "b" => &b,
            _ => &none,
        }
    };
    let bal = compute(Dimension::StakeholderGroup, &contributions, affs, &fw, 0);
    assert_eq!(bal.messages, 5);
    assert_eq!(bal.participants, 3);
    assert_eq!(bal.rows[0].group, "government");
    assert_eq!(bal.rows[0].messages, 3);
    assert_eq!(bal.rows.last().map(|r| r.group.as_str()), Some("unknown"));
    assert_eq!(bal.periods.len(), 1);
    assert_eq!(bal.periods[0].period, "2025");
    assert_eq!(bal.periods[0].groups.get("government"), Some(&3));
    let org = compute(Dimension::Organization, &contributions, affs, &fw, 10);
    assert_eq!(org.elephant_factor, Some(1));
    let net = network::build(&[
        ("a".into(), "A".into(), None),
        ("b".into(), "B".into(), Some("a".into())),
        ("b".into(), "B".into(), Some("a".into())),
        ("a".into(), "A".into(), Some("a".into())),
    ]);
    assert_eq!(net.edges.len(), 1);
    assert_eq!(net.edges[0].weight, 2);
    assert!(net
        .to_graphml()
        .contains("<edge id=\"e0\" source=\"b\" target=\"a\">"));
}

fn msg(name: &str, address: &str, list: &str, date: i64) -> Observation {
    Observation {
        name: Some(name.to_string()),
        address: Some(address.to_string()),
        date: Some(date),
        signature: None,
        source: Source::Message {
            id: format!("{name}-{date}"),
            list: list.to_string(),
        },
    }
}

/// Pipermail's text archives print the list's own address as the From of messages
/// whose authors it hid, each with the real author's name: nobody joins through it.
#[test]
fn an_address_many_names_write_from_joins_nobody() {
    let o = vec![
        msg("Ada Quill", "chat@lists.example.org", "chat", 1),
        msg("Bram Osei", "chat@lists.example.org", "chat", 2),
        msg("Cleo Marsh", "chat@lists.example.org", "chat", 3),
        msg("Ada Quill", "ada@quill.example", "chat", 4),
        msg("Bram Osei", "bram@osei.example", "chat", 5),
    ];
    let shared = shared_addresses(&o);
    assert!(shared.shared.contains("chat@lists.example.org"));
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(!same(&r, 0, 1) && !same(&r, 1, 2) && !same(&r, 0, 2));
    // each name still finds its own person
    assert!(same(&r, 0, 3) && same(&r, 1, 4));
    assert!(r
        .people
        .iter()
        .all(|p| !p.addresses.contains(&"chat@lists.example.org".to_string())));
}

/// The list's posting address (its name as the mailbox) is never a key, even when
/// only one name was seen on it.
#[test]
fn the_lists_own_address_is_no_key() {
    let o = vec![
        msg("Ada Quill", "chat@lists.example.org", "chat", 1),
        msg("Dana Fox", "chat@lists.example.org", "other", 2),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(!same(&r, 0, 1));
}

/// A forged sender (spam from someone's address) or a company name seen once on an
/// address one person uses often does not join that person.
#[test]
fn a_name_seen_once_on_someone_elses_address_stays_apart() {
    let mut o: Vec<Observation> = (0..4)
        .map(|i| msg("Tomi Vale", "tv@vale.example", "chat", i))
        .collect();
    o.push(msg("Hope Rios", "tv@vale.example", "chat", 9));
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 3));
    assert!(!same(&r, 0, 4));
}

/// R's archives obfuscate addresses differently over the years; every form of one
/// address is one key, and the clear form joins it.
#[test]
fn obfuscated_forms_of_one_address_are_one_key() {
    let k = obfuscated_key("murdoch.duncan at gmail.com");
    assert_eq!(k, obfuscated_key("murdoch@dunc@n @ending from gm@il@com"));
    assert_eq!(k, obfuscated_key("murdoch@dunc@n @end|ng |rom gm@||@com"));
    assert_eq!(k, address_key("murdoch@dunc@n@gm@||@com"));
    assert_ne!(k, obfuscated_key("kry|ov@r00t@gm@||@com"));
    let o = vec![
        msg("Ivo Krl", "kry|ov@r00t@gm@||@com", "r", 1),
        msg("Ivo K.", "krylov.r00t@gmail.com", "r", 2),
        msg("Someone Else", "other@gm@||@com", "r", 3),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1));
    assert!(!same(&r, 0, 2));
    // the forms of other years: `n` and `l` mapped too, " at " as "mailing off"
    let luke = obfuscated_key("luke-tierney at uiowa.edu");
    for form in [
        "iuke-tier@ey m@iii@g oii uiow@@edu",
        "luke-tier@ey m@ili@g off uiow@@edu",
        "|uke-t|erney @end|ng |rom u|ow@@edu",
    ] {
        assert_eq!(luke, obfuscated_key(form), "{form}");
        assert_eq!(luke, address_key(form), "{form}");
    }
    // two clear addresses of one obfuscated key: the key joins neither
    let o = vec![
        msg("Jan Berg", "jan@berg.example", "r", 1),
        msg("Jas Berg", "jas@berg.example", "r", 2),
        msg("J Berg", "j@@ @end|ng |rom berg@ex@mp|e", "r", 3),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(!same(&r, 0, 1) && !same(&r, 0, 2) && !same(&r, 1, 2));
}

/// A signature joins addresses only when they are the author's own on one line
/// (the same mailbox name); a colleague's address, a quoted header or a garbled
/// mailto are other people's.
#[test]
fn signatures_join_only_the_authors_own_addresses() {
    let sig = "Anna Berg -anna at berg.example//anna at gmail.com";
    assert_eq!(
        identity::own_addresses_listed(sig, "anna@berg.example"),
        ["anna@gmail.com"]
    );
    let colleague = "Omar Said\nomar at firm.example<mailto:dina.roe at firm.example>";
    assert!(identity::own_addresses_listed(colleague, "omar@firm.example").is_empty());
    let header = "From: Uwe L <uwe at uni.example>; To: 123 at qq.example";
    assert!(identity::own_addresses_listed(header, "123@qq.example").is_empty());
}

/// Names come from From headers: not a bare address, not a weekday or a list's name,
/// not a nickname suffix, not a signature line that carries addresses.
#[test]
fn what_is_not_a_name() {
    assert_eq!(normalize_name("exarkun at twistedmatrix.com"), None);
    assert_eq!(normalize_name("Tue"), None);
    assert_eq!(
        normalize_name("Valentino Volonghi aka Dialtone").as_deref(),
        Some("Valentino Volonghi")
    );
    assert_eq!(
        normalize_name("Andrew Bennetts <andrew").as_deref(),
        Some("Andrew Bennetts")
    );
    let toks = name_tokens("Anna Berg");
    assert!(
        signature_names("Anna Berg -anna at berg.example//anna at gmail.com", &toks).is_empty()
    );
    assert_eq!(
        signature_names("Anna Maria da Silva Berg", &toks),
        ["Anna Maria da Silva Berg"]
    );
    let mut o = vec![msg("Chat", "chat@lists.example.org", "chat", 1)];
    o.push(msg("Ada Quill", "ada@quill.example", "chat", 2));
    let lists: HashSet<String> = ["chat@lists.example.org".to_string()].into();
    let r = resolve(&o, &lists, &personal(), &Curated::default());
    assert!(r.people.iter().all(|p| p.name != "Chat"));
}

/// One name at two places over time with the same mailbox is one person moving on;
/// an organisation and a domain of the name are one person's; two personal
/// mailboxes, or two organisations at once, stay two people.
#[test]
fn one_name_at_several_places() {
    let day = 86_400;
    let o = vec![
        msg("Dov Prest", "dp@ulaluma.example", "chat", 0),
        msg("Dov Prest", "dp@divmod.example", "chat", 400 * day),
        msg("Jas Mobar", "jas.mobar@gmail.com", "chat", 0),
        msg("Jas Mobar", "jas@mobar.example", "chat", day),
        msg("Ian Reesby", "ian.reesby@bcm.example", "chat", 0),
        msg("Ian Reesby", "ian@ianreesby.example", "chat", 300 * day),
        msg("Kim Lee", "kim@one.example", "chat", 0),
        msg("Kim Lee", "kim.lee@two.example", "chat", 0),
        msg("Kim Lee", "kim@one.example", "chat", 300 * day),
        msg("Kim Lee", "kim.lee@two.example", "chat", 300 * day),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1), "same mailbox name at two organisations");
    assert!(
        !same(&r, 2, 3),
        "two personal mailboxes (one a domain of the name), nothing else in common"
    );
    assert!(
        same(&r, 4, 5),
        "an organisation and a domain of the name: one place and one's own"
    );
    assert!(!same(&r, 6, 7), "two organisations at once");
}

/// A message with a signature.
fn signed(name: &str, address: &str, date: i64, sig: &str) -> Observation {
    let mut x = msg(name, address, "chat", date);
    x.signature = Some(sig.to_string());
    x
}

/// Namesakes who write seldom have periods that do not overlap, and mailboxes that
/// spell the name: a move needs the same mailbox at both places, and mailboxes
/// spelling the name at two places are not one person by themselves.
#[test]
fn a_move_needs_the_same_mailbox() {
    let day = 86_400;
    let o = vec![
        msg("Pedro Sancha", "psancha@nortel.example", "chat", 0),
        msg("Pedro Sancha", "psancha@fosstel.example", "chat", 400 * day),
        msg("Faisal Rashid", "faisal.rashid@un.example", "chat", 0),
        msg("Faisal Rashid", "frashid@dga.example", "chat", 400 * day),
        msg("Sophie Wrighton", "sophie.wrighton@igp.example", "chat", 0),
        msg("Sophie Wrighton", "sophiewrighton76@gmail.com", "chat", 1),
        msg("Sophie Wrighton", "swrighton@other.example", "chat", 2),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1), "the same mailbox, a year later elsewhere");
    assert!(!same(&r, 2, 3), "periods apart, nothing else in common");
    assert!(!same(&r, 4, 6), "two organisations at once");
}

/// A personal mailbox whose signature names the organisation another address of
/// the name writes from is that person's, even beside a second organisation.
#[test]
fn a_signature_naming_the_other_place_joins() {
    let o = vec![
        msg("Rolf Tarner", "r.tarner@auckland.example", "chat", 0),
        signed(
            "Rolf Tarner",
            "rolf@kiwistats.example",
            1,
            "Rolf Tarner\nHonorary Fellow, Department of Statistics\nUniversity of Auckland Phone: +64-9-373-7599",
        ),
        msg("Rolf Tarner", "rtarner@other.example", "chat", 2),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1), "signed with the other's university");
    assert!(!same(&r, 0, 2), "a third place at once, no evidence");
}

/// When the organisation's address already has its personal mailbox beside it, a
/// second personal mailbox of the name is as likely a namesake's.
#[test]
fn a_second_personal_mailbox_stays_apart() {
    let o = vec![
        msg("Angels Romerol", "angels.romerol@unctad.example", "chat", 0),
        signed(
            "Angels Romerol",
            "angelsromerol64@gmail.com",
            1,
            "Angels Romerol\nangelsromerol64@gmail.com / angels.romerol@unctad.example",
        ),
        msg("Angels Romerol", "angelsromerol89@gmail.com", "chat", 2),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(
        same(&r, 0, 1),
        "the signature lists the organisation's address"
    );
    assert!(!same(&r, 0, 2));
}

/// A filler of `n` distinct two-word names, letters only.
fn crowd(n: usize) -> Vec<Observation> {
    let word = |mut i: usize, stem: &str| {
        let mut w = stem.to_string();
        loop {
            w.push((b'a' + (i % 26) as u8) as char);
            i /= 26;
            if i == 0 {
                break w;
            }
        }
    };
    (0..n)
        .map(|i| {
            let (g, f) = (word(i, "Quen"), word(i, "Vorl"));
            msg(
                &format!("{g} {f}"),
                &format!("{g}@crowd.example"),
                "chat",
                5,
            )
        })
        .collect()
}

/// In a store of many names, a name with a word no one else has is one person at
/// any number of places, even at once; common names keep the namesake rule.
#[test]
fn an_unusual_name_is_one_person_across_places() {
    let mut o = vec![
        msg("Arun Chhetri", "arun@one.example", "chat", 0),
        msg("Arun Chhetri", "achhetri@two.example", "chat", 0),
        msg("Maria Gonzalez", "maria@one.example", "chat", 0),
        msg("Maria Gonzalez", "mg@two.example", "chat", 0),
        msg("Kim Lee", "kim@one.example", "chat", 0),
        msg("Kim Lee", "klee@two.example", "chat", 0),
    ];
    let small = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(!same(&small, 0, 1), "a few names say nothing of rarity");
    o.extend(crowd(120));
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1));
    let p = &r.people[r.person_of[0]];
    assert!(p
        .merges
        .iter()
        .any(|m| m.reason.contains("a name no one else here has")));
    assert!(!same(&r, 2, 3), "a common name at two places at once");
    assert!(!same(&r, 4, 5), "short words are never unusual");
    // a second Chhetri with another given name: the family name is no longer rare
    o.push(msg("Bina Chhetri", "bina@three.example", "chat", 0));
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(!same(&r, 0, 1));
}

/// "Bill Dunlap" is the "William Dunlap" of the same list when no other formal name
/// fits; "Chris" between a Christopher and a Christian of one family stays apart.
#[test]
fn a_familiar_form_joins_its_only_formal_name() {
    let o = vec![
        msg("Bill Dunlap", "bill.dunlap@gmail.com", "r", 0),
        msg("William Dunlap", "wdunlap@tibco.example", "r", 10),
        msg("Chris Barker", "cb@gmail.com", "r", 0),
        msg("Christopher Barker", "christopher@noaa.example", "r", 0),
        msg("Christian Barker", "christian@uni.example", "r", 0),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 1));
    assert!(r.people[r.person_of[0]]
        .merges
        .iter()
        .any(|m| m.reason.contains("a familiar form of the name")));
    assert!(!same(&r, 2, 3) && !same(&r, 2, 4) && !same(&r, 3, 4));
}

/// A host name where the display name goes is no name; one address written from
/// under a name and its transliteration is one person's, not a shared address.
#[test]
fn one_address_with_a_host_name_or_a_transliteration() {
    assert_eq!(normalize_name("Mobilisera.com"), None);
    assert_eq!(normalize_name("www.example.org"), None);
    assert_eq!(
        normalize_name("J.R. Hartley").as_deref(),
        Some("J.R. Hartley")
    );
    assert_eq!(normalize_name("St.John").as_deref(), Some("St.John"));
    let o = vec![
        msg("Jarosław Nowak", "jnowak@uni.example", "r", 0),
        msg("Jarosław Nowak", "jnowak@uni.example", "r", 1),
        msg("Yaroslav Novak", "jnowak@uni.example", "r", 2),
        msg("Yaroslav Novak", "jnowak@uni.example", "r", 3),
        msg("Mobilisera.com", "info@mobilisera.example", "r", 4),
    ];
    assert!(shared_addresses(&o).shared.is_empty());
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(same(&r, 0, 2));
    assert_ne!(r.people[r.person_of[4]].name, "Mobilisera.com");
}

/// An alias at a project's domain is no employer when most of the person's mail comes
/// from an institution's address that names no organisation; where the alias carries
/// most of it, it stands.
#[test]
fn a_minor_alias_does_not_outweigh_the_main_address() {
    let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
    let mut o: Vec<Observation> = (0..5)
        .map(|d| msg("Uwe Lig", "lig@statistik.uni-x.de", "r", d))
        .collect();
    o.push(msg("Uwe Lig", "uwe.lig@r-proj.org", "r", 10));
    o.push(msg("Uwe Lig", "uwe.lig@r-proj.org", "r", 11));
    o.push(msg("Kurt Horn", "kurt.horn@r-proj.org", "r", 12));
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    let holders = DomainHolders::of(&r.people, &[]);
    let uwe = &r.people[r.person_of[0]];
    let a = affiliations(uwe, &o, &fw, &Curated::default(), &holders);
    assert!(
        a.iter().all(|x| x.organization.is_none()),
        "{:?}",
        a.iter().map(|x| &x.organization).collect::<Vec<_>>()
    );
    let kurt = &r.people[r.person_of[7]];
    let a = affiliations(kurt, &o, &fw, &Curated::default(), &holders);
    assert_eq!(a[0].organization.as_deref(), Some("r-proj.org"));
}

/// The same mailbox name at two organisations joins one name's groups only when the
/// mailbox says more than the name: "hjones" at two places may be two Harriet Joneses,
/// "dp" at two places is one Donovan Prest.
#[test]
fn a_mailbox_that_only_spells_the_name_is_no_evidence() {
    let day = 86_400;
    let o = vec![
        msg("Harriet Jones", "hjones@coe.example", "chat", 0),
        msg("Harriet Jones", "hjones@ox.example", "chat", day),
        msg("Harriet Jones", "hjones@coe.example", "chat", 2 * day),
        msg("Harriet Jones", "hjones@ox.example", "chat", 3 * day),
        msg("Dov Prest", "dp@ulaluma.example", "chat", 0),
        msg("Dov Prest", "dp@divmod.example", "chat", day),
        msg("Dov Prest", "dp@ulaluma.example", "chat", 2 * day),
        msg("Dov Prest", "dp@divmod.example", "chat", 3 * day),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(
        !same(&r, 0, 1),
        "two organisations at once, a mailbox anyone of the name has"
    );
    assert!(
        same(&r, 4, 5),
        "initials alone are the person's own mailbox name"
    );
}
