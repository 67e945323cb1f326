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
            source: Source::Speaker {
                session: "igf-2024-ws-1".into(),
                role: None,
                organization: None,
                position: None,
                stakeholder_group: Some("Civil Society".into()),
                regional_group: Some("WEOG".into()),
            },
        },
        obs(Some("Lena Berg"), Some("lena@example.gov.uk"), None),
    ];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    let paul = &r.people[r.person_of[0]];
    let a = affiliations(paul, &o, &fw, &Curated::default());
    let first = a.first().expect("an affiliation");
    assert_eq!(first.source, "signature");
    assert_eq!(first.stakeholder_group.as_deref(), Some("government"));
    assert_eq!(first.country.as_deref(), Some("GB"));
    assert_eq!(first.regional_group.as_deref(), Some("weog"));
    assert!(first.evidence.contains("Department for Science"));
    let lena = &r.people[r.person_of[1]];
    let a = affiliations(lena, &o, &fw, &Curated::default());
    assert_eq!(a[0].source, "self-declared");
    assert_eq!(a[0].stakeholder_group.as_deref(), Some("civil-society"));
    assert_eq!(a[0].regional_group.as_deref(), Some("weog"));
    assert!(a.iter().any(
        |x| x.source == "email-domain" && x.stakeholder_group.as_deref() == Some("government")
    ));
    // personal mail says nothing
    let o = vec![obs(Some("Sam Lee"), Some("samlee@gmail.com"), None)];
    let r = resolve(&o, &HashSet::new(), &personal(), &Curated::default());
    assert!(affiliations(&r.people[0], &o, &fw, &Curated::default()).is_empty());
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
