use super::*;

fn fw() -> Frameworks {
    Frameworks::builtin().expect("shipped framework files parse")
}

#[test]
fn shipped_frameworks_are_complete() {
    let f = fw();
    let al = f.get(ACTION_LINES).expect("action lines");
    for n in 1..=11 {
        assert!(al.item(&format!("C{n}")).is_some(), "C{n}");
    }
    let subs: Vec<&str> = al
        .items
        .iter()
        .filter(|i| i.parent.as_deref() == Some("C7"))
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(subs.len(), 8, "{subs:?}");
    let sdgs = f.get(SDGS).expect("sdgs");
    assert_eq!(sdgs.items.len(), 17);
    assert!(sdgs.items.iter().all(|i| i.number.is_some()));
    let gdc = f.get(GDC).expect("gdc");
    assert_eq!(gdc.items.len(), 5);
    assert_eq!(
        gdc.item("3").map(|i| i.title.as_str()),
        Some("Foster an inclusive, open, safe and secure digital space that respects, protects and promotes human rights")
    );
    assert!(f.get(TOPICS).expect("topics").items.len() >= 25);
    assert!(f.countries.len() >= 193);
    assert_eq!(f.stakeholder_groups.len(), 7);
}

#[test]
fn action_line_labels_as_pages_print_them() {
    let f = fw();
    let c = |l: &str| f.action_line_code(l);
    assert_eq!(
        c("C1. The role of governments and all stakeholders in the promotion of ICTs for development").as_deref(),
        Some("C1")
    );
    assert_eq!(c("С1. Cyrillic Es").as_deref(), Some("C1"));
    assert_eq!(
        c("C11. International and regional cooperation").as_deref(),
        Some("C11")
    );
    assert_eq!(c("C7. ICT applications: E-health").as_deref(), Some("C7.4"));
    assert_eq!(c("C7.2").as_deref(), Some("C7.2"));
    assert_eq!(
        c("The role of public governance authorities and all stakeholders in the promotion of ICTs for development").as_deref(),
        Some("C1")
    );
    assert_eq!(c("C99. Nothing"), None);
    assert_eq!(c("no code at all"), None);
}

#[test]
fn both_wordings_of_c1_are_aliases() {
    let f = fw();
    let a = f
        .item_by_label(
            ACTION_LINES,
            "The role of governments and all stakeholders in the promotion of ICTs for development",
        )
        .map(|i| i.code.as_str());
    assert_eq!(a, Some("C1"));
}

#[test]
fn countries_and_groups_edge_cases() {
    let f = fw();
    let za = f.country("South Africa").expect("ZA");
    assert_eq!(za.un_regional_group, "african");
    assert!(za.developing);
    assert_eq!(
        f.country("GB").map(|c| c.un_regional_group.as_str()),
        Some("weog")
    );
    assert_eq!(
        f.country("Israel").map(|c| c.un_regional_group.as_str()),
        Some("weog")
    );
    assert_eq!(f.country("Turkey").map(|c| c.iso2.as_str()), Some("TR"));
    assert_eq!(
        f.country("portugal").map(|c| c.un_regional_group.as_str()),
        Some("weog")
    );
    assert!(f.country("Kiribati").is_some_and(|c| !c.notes.is_empty()));
    assert_eq!(
        f.regional_group("WEOG").map(|g| g.id.as_str()),
        Some("weog")
    );
    assert_eq!(
        f.stakeholder_group("Civil Society").map(|g| g.id.as_str()),
        Some("civil-society")
    );
    assert_eq!(
        f.stakeholder_group("Sociedad civil").map(|g| g.id.as_str()),
        Some("civil-society")
    );
}

#[test]
fn user_files_extend_the_shipped_ones() {
    let dir = std::env::temp_dir().join(format!("plenary-fw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    std::fs::write(
        dir.join("mine.toml"),
        "[framework]\nid = \"topics\"\nname = \"Topics\"\n\n[[item]]\ncode = \"spectrum\"\ntitle = \"Spectrum\"\n[item.lexicon]\nen = [\"spectrum allocation\"]\n\n[[item]]\ncode = \"cybersecurity\"\ntitle = \"Cybersecurity\"\n[item.lexicon]\nen = [\"ransomware\"]\n",
    )
    .expect("write");
    let f = Frameworks::load(Some(&dir)).expect("load");
    let t = Tagger::new(&f, &[TOPICS]);
    let tags = t.tag("Ransomware against government networks and spectrum allocation policy.");
    let codes: Vec<&str> = tags.iter().map(|t| t.code.as_str()).collect();
    assert!(codes.contains(&"spectrum"), "{codes:?}");
    assert!(codes.contains(&"cybersecurity"), "{codes:?}");
    std::fs::write(dir.join("broken.toml"), "[[item]]\ncode = 1\n").expect("write");
    let err = Frameworks::load(Some(&dir)).expect_err("broken file");
    assert!(err.to_string().contains("broken.toml"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tagger_leaves_passing_and_broken_mentions_alone() {
    let f = fw();
    let t = Tagger::new(&f, &[]);
    let has = |tags: &[Tag], code: &str| tags.iter().any(|t| t.code == code);
    // a phrase does not run across a comma
    let tags = t.tag("It balances science, innovation, inclusion, digital cooperation.");
    assert!(!has(&tags, "digital-inclusion"), "{tags:?}");
    // "WSIS+20" is one phrase
    assert!(has(
        &t.tag("The WSIS+20 review is next year."),
        "wsis-20-review"
    ));
    // one word inside another name is that name's
    let tags = t.tag("the Global Commission on Just and Sustainable Digitalization met");
    assert!(!has(&tags, "digital-transformation"), "{tags:?}");
    // an item named once in a long text is named in passing; twice, it counts
    let filler = "The meeting went on for a long time and many other things were said. ".repeat(60);
    let once = format!("{filler} It touched on consumer protection. {filler}");
    assert!(!has(&t.tag(&once), "C6"), "once in 1,200 words");
    let short = "Rules on consumer protection matter here.";
    assert!(has(&t.tag(short), "C6"), "once in a short text");
    // a thread is about what its subject names or its messages name twice
    let part = |id: &str, text: &str| (id.to_string(), t.tag(text));
    let thread = t.combine(&[
        part("subject", "Meeting notes"),
        part("m1", "Rules on consumer protection matter here."),
        part("m2", "Thanks, see you Tuesday."),
    ]);
    assert!(!has(&thread, "C6"), "{thread:?}");
    let thread = t.combine(&[
        part("subject", "Meeting notes"),
        part("m1", "Rules on consumer protection matter here."),
        part("m2", "Yes, consumer protection rules first."),
    ]);
    assert!(has(&thread, "C6"), "{thread:?}");
    let thread = t.combine(&[
        part("subject", "Consumer protection"),
        part("m1", "Rules on consumer protection matter here."),
    ]);
    assert!(has(&thread, "C6"), "{thread:?}");
}

#[test]
fn tagger_explains_its_tags_across_languages() {
    let f = fw();
    let t = Tagger::new(&f, &[]);
    let text = "La cooperación internacional y la igualdad de género son prioridades.";
    let tags = t.tag(text);
    let c11 = tags
        .iter()
        .find(|t| t.framework == ACTION_LINES && t.code == "C11")
        .expect("C11 from Spanish");
    let e = &c11.evidence[0];
    assert_eq!(fold(&text[e.start..e.end]), "cooperacion internacional");
    assert_eq!(e.lang, "es");
    assert!(
        tags.iter().any(|t| t.framework == SDGS && t.code == "5"),
        "{tags:?}"
    );
    // accents folded both ways
    assert!(!t.tag("COOPERACAO INTERNACIONAL").is_empty());
    // no phrase, no tag
    assert!(t.tag("The weather was nice on Tuesday.").is_empty());
}

#[test]
fn slugs() {
    assert_eq!(
        slug("Global Digital Compact (GDC)"),
        "global-digital-compact-gdc"
    );
    assert_eq!(slug("WSIS+20 Review"), "wsis-20-review");
    assert_eq!(slug("Coopération"), "cooperation");
}

#[test]
fn fold_drops_marks_only() {
    assert_eq!(fold("Cooperação INTERNACIONAL"), "cooperacao internacional");
    assert_eq!(fold("Tőkés Ödön, Şahin"), "tokes odon, sahin");
    // letters that do not decompose, and other scripts, are kept: slugs depend on it
    assert_eq!(fold("Łódź Ødegård Weiß"), "łodz ødegard weiß");
    assert_eq!(fold("Анна 王敏"), "анна 王敏");
}

/// Today's keys, pinned: list slugs and session ids are primary keys of existing stores.
#[test]
fn slug_outputs_are_pinned() {
    // (input, Ascii, List, Event)
    let table = [
        ("WG-Strategy", "wg-strategy", "wg-strategy", "wg-strategy"),
        (
            "Coopération Internationale",
            "cooperation-internationale",
            "coopération-internationale",
            "coopération-internationale",
        ),
        (
            "Global Digital Compact (GDC)",
            "global-digital-compact-gdc",
            "global-digital-compact--gdc",
            "global-digital-compact-(gdc)",
        ),
        (
            "WSIS+20 Review",
            "wsis-20-review",
            "wsis-20-review",
            "wsis+20-review",
        ),
        (
            "r-devel@r-project.org",
            "r-devel-r-project-org",
            "r-devel-r-project.org",
            "r-devel@r-project.org",
        ),
        (
            "list.name_with_dots",
            "list-name-with-dots",
            "list.name_with_dots",
            "list.name_with_dots",
        ),
        ("__x__", "x", "__x__", "__x__"),
        ("..", "", "..", ".."),
        ("", "", "unsorted", ""),
        ("   ", "", "unsorted", "---"),
        ("---", "", "unsorted", "---"),
        // ł and ø do not decompose: the ASCII style drops them (kept so ids stay)
        (
            "Łódź Ødegård Weiß",
            "odz-degard-wei",
            "łódź-ødegård-weiß",
            "łódź-ødegård-weiß",
        ),
        ("Анна Соколова", "", "анна-соколова", "анна-соколова"),
        ("王敏", "", "王敏", "王敏"),
        (
            "WSIS Forum 2025 400",
            "wsis-forum-2025-400",
            "wsis-forum-2025-400",
            "wsis-forum-2025-400",
        ),
        (
            "  Trailing  spaces  ",
            "trailing-spaces",
            "trailing--spaces",
            "--trailing--spaces--",
        ),
        ("a--b  c", "a-b-c", "a--b--c", "a--b--c"),
        ("Ünïcödé!?", "unicode", "ünïcödé", "ünïcödé!?"),
        (
            "IGF 2023: Day 0",
            "igf-2023-day-0",
            "igf-2023--day-0",
            "igf-2023:-day-0",
        ),
        ("الأمم المتحدة", "", "الأمم-المتحدة", "الأمم-المتحدة"),
    ];
    for (input, ascii, list, event) in table {
        assert_eq!(slug(input), ascii, "Ascii {input:?}");
        assert_eq!(slug_with(input, SlugStyle::Ascii), ascii, "Ascii {input:?}");
        assert_eq!(slug_with(input, SlugStyle::List), list, "List {input:?}");
        assert_eq!(slug_with(input, SlugStyle::Event), event, "Event {input:?}");
    }
}

/// A one-word phrase earns a tag only in the governance sense: "corruption" near
/// "memory" is a software bug, near "governments" and "policy" it is SDG 16.
#[test]
fn one_word_phrases_need_governance_context() {
    let f = fw();
    let t = Tagger::new(&f, &[SDGS]);
    let has16 = |text: &str, strict: bool| {
        t.tag_with(text, strict)
            .iter()
            .any(|x| x.framework == SDGS && x.code == "16")
    };
    let bug = "After the upgrade we see database corruption whenever the reactor restarts.";
    let policy = "Governments must fight corruption; the policy on transparency matters here.";
    assert!(!has16(bug, false), "{:?}", t.tag(bug));
    assert!(has16(policy, false), "{:?}", t.tag(policy));
    assert!(!t.in_governance_sense(bug));
    assert!(t.in_governance_sense(policy));
    // on a list that is not about governance, a single context word is not enough
    let weak = "The policy says: report corruption of the cache to the maintainers.";
    assert!(!has16(weak, true));
    // nor a single mention: on such a list an item is said twice, with context
    assert!(!has16(policy, true));
    let twice =
        "Governments must fight corruption; the policy on corruption and transparency matters.";
    assert!(has16(twice, true));
}

/// A host, or any host under an organisation's domain, is the organisation's; a
/// domain that merely ends with the same letters is not.
#[test]
fn organisations_by_mail_domain() {
    let fw = Frameworks::builtin().expect("builtin");
    let apc = fw.organization_by_domain("apc.org").map(|o| o.id.clone());
    assert!(apc.is_some());
    assert_eq!(
        fw.organization_by_domain("Lists.APC.org ")
            .map(|o| o.id.clone()),
        apc
    );
    assert!(fw.organization_by_domain("notapc.org").is_none());
    assert!(fw.organization_by_domain("org").is_none());
    assert!(fw.organization_by_domain("").is_none());
}

/// The in-text organisation search through its word index finds what a scan of every
/// organisation finds (the scan it replaced, kept here as the reference).
#[test]
fn organisation_in_text_by_index_equals_a_scan() {
    let f = fw();
    let scan = |text: &str| -> Option<String> {
        let want = fold_label(text);
        if want.is_empty() {
            return None;
        }
        if let Some(&i) = f.index.org_exact.get(&want) {
            return Some(f.organizations[i].name.clone());
        }
        let padded = format!(" {want} ");
        let folded_words: std::collections::HashSet<&str> = want.split(' ').collect();
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .collect();
        f.index
            .org_names
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                o.padded.as_ref().is_some_and(|p| {
                    folded_words.contains(o.first.as_str()) && padded.contains(p.as_str())
                }) || o.aliases.iter().any(|(a, p, first)| match p {
                    Some(p) => folded_words.contains(first.as_str()) && padded.contains(p.as_str()),
                    None => a.chars().count() >= 3 && words.iter().any(|w| w == a),
                })
            })
            .map(|(i, _)| &f.organizations[i])
            .max_by_key(|o| o.name.len())
            .map(|o| o.name.clone())
    };
    let mut texts = Vec::new();
    for o in &f.organizations {
        for n in std::iter::once(&o.name).chain(&o.aliases) {
            texts.push(format!("Senior Policy Advisor, {n}, Geneva"));
            texts.push(format!("{n} | Digital Programme"));
            texts.push(format!("works with the {n} and the Internet Society"));
            texts.push(n.to_lowercase());
        }
    }
    texts.extend(["", "Regards", "APC and ISOC", "the world bank group"].map(String::from));
    let mut found = 0;
    for t in &texts {
        let got = f.organization_by_name(t).map(|o| o.name.clone());
        assert_eq!(got, scan(t), "{t}");
        found += usize::from(got.is_some());
    }
    assert!(
        found > texts.len() / 2,
        "only {found} of {} found",
        texts.len()
    );
}
