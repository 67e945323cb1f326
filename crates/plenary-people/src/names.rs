//! "Same author" by name: the one place that decides it. Identity resolution keys
//! people by [`full_name_key`]; reconstruction indexes archived authors by [`name_key`]
//! and accepts a quoted author with [`names_match`] (looser: a name inside the other,
//! `?` for a lost letter), then checks time and text. plenary-quotes only *parses*
//! names out of attribution lines (its `normalize_name` makes a display form); it
//! decides nothing about who is who.

use crate::fold;

/// Folded name tokens without initials: "Catelyn T. Stark" → ["catelyn", "stark"].
pub fn name_tokens(n: &str) -> Vec<String> {
    // Transliterated first, so "Анна Соколов" and "Anna Sokolov", or
    // "王敏" and "Wang Min", are the same words.
    fold(&transliterate(n))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.chars().count() > 1)
        .map(str::to_string)
        .collect()
}

/// Latin letters for a name in another script. A Chinese name written in
/// characters (two to four, family name first) becomes family name and one
/// joined given name, as it is romanised: 李伟伟 → "Li Weiwei", not "Li Wei Wei".
fn transliterate(n: &str) -> String {
    let t = n.trim();
    let han = |c: char| matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF);
    let count = t.chars().count();
    if (2..=4).contains(&count) && t.chars().all(han) {
        let mut chars = t.chars();
        let family = chars
            .next()
            .map(|c| {
                deunicode::deunicode_char(c)
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        let given: String = chars
            .map(|c| {
                deunicode::deunicode_char(c)
                    .unwrap_or("")
                    .trim()
                    .to_lowercase()
            })
            .collect();
        return format!("{family} {given}");
    }
    deunicode::deunicode(t)
}

/// Order-insensitive key of a name: its [`name_tokens`] (transliterated, folded, no
/// initials), sorted, each once: "Blaker, Paul" = "Paul Blaker" = "PAUL BLAKER";
/// "Łukasz Weiß" = "Lukasz Weiss". Empty when no token is left.
pub fn name_key(n: &str) -> String {
    let mut t = name_tokens(n);
    t.sort();
    t.dedup();
    t.join(" ")
}

/// [`name_key`] of a full name (two tokens or more), else None: what identity
/// resolution joins people by (a lone first name is too weak a key).
pub fn full_name_key(n: &str) -> Option<String> {
    (name_tokens(n).len() >= 2).then(|| name_key(n))
}

/// Same person by name, for matching a quoted author to an archived one: tokens in any
/// order ("Anderson,Brooke" = "Brooke Anderson"), one name inside the other
/// ("parminder" ⊂ "Parminder Jeet Singh"), `?` matching any one letter (pipermail
/// .txt archives turned non-ASCII letters into `?`: "G?bor Cs?rdi" = "Gábor Csárdi"),
/// letters compared [`fold`]ed, and words without `?` also compared transliterated
/// ("Łukasz" = "Lukasz", "Анна" = "Anna").
pub fn names_match(a: &str, b: &str) -> bool {
    struct Tok {
        /// One folded letter per letter written, so `?` stays aligned.
        letters: Vec<char>,
        wild: bool,
        /// Transliterated and folded, for words without `?`.
        latin: String,
    }
    let fold_char = |c: char| fold(c.encode_utf8(&mut [0; 4])).chars().next().unwrap_or(c);
    let toks = |s: &str| -> Vec<Tok> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '?'))
            .filter(|t| t.chars().count() > 1)
            .map(|t| Tok {
                letters: t.chars().map(fold_char).collect(),
                wild: t.contains('?'),
                latin: name_tokens(t).concat(),
            })
            .collect()
    };
    let (ta, tb) = (toks(a), toks(b));
    if ta.is_empty() || tb.is_empty() {
        return false;
    }
    let tok_eq = |x: &Tok, y: &Tok| {
        (x.letters.len() == y.letters.len()
            && x.letters
                .iter()
                .zip(&y.letters)
                .all(|(p, q)| *p == '?' || *q == '?' || p == q))
            || (!x.wild && !y.wild && !x.latin.is_empty() && x.latin == y.latin)
    };
    let (small, big) = if ta.len() <= tb.len() {
        (&ta, &tb)
    } else {
        (&tb, &ta)
    };
    small.iter().all(|t| big.iter().any(|u| tok_eq(t, u)))
}

/// "R-package-devel on behalf of Göran Broström" → "Göran Broström" (Outlook's
/// delegate wording in several languages): the person wrote it, the address is the
/// list's.
pub fn on_behalf_of(name: &str) -> Option<String> {
    // the sender's part may be gone already (`[mailto:…] On Behalf Of X`)
    let padded = format!(" {}", name.trim_start());
    let name = padded.as_str();
    let lower = name.to_lowercase();
    for marker in [
        " on behalf of ",
        " im auftrag von ",
        " en nombre de ",
        " de la part de ",
        " em nome de ",
        " per conto di ",
        " namens ",
    ] {
        if let Some(i) = lower.find(marker) {
            let rest = lower.get(i + marker.len()..)?;
            // lowercasing can change byte lengths before the marker, never after it
            let start = name.len().checked_sub(rest.len())?;
            return name
                .get(start..)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
        }
    }
    None
}

/// A rough key of how a name word sounds across spellings and transliterations:
/// "Jarosław"/"Yaroslav", "Tchebotarev"/"Chebotarev", "Philip"/"Filip" give one key.
/// Written here because the phonetic crates on crates.io (Soundex, Metaphone) key
/// English surnames by their first letter and consonant classes, which both joins
/// unrelated short names and misses the transliteration pairs this needs.
pub fn sound_key(word: &str) -> String {
    let w = name_tokens(word).concat();
    let mut s = w
        .replace("tch", "ch")
        .replace("sch", "sh")
        .replace("ph", "f")
        .replace("th", "t")
        .replace("ck", "k")
        .replace("qu", "k")
        .replace("ks", "x")
        .replace("cz", "ch")
        .replace("sz", "sh")
        .replace("kh", "h");
    s = s
        .chars()
        .map(|c| match c {
            'j' | 'i' => 'y',
            'w' => 'v',
            'c' | 'q' => 'k',
            'z' => 's',
            c => c,
        })
        .collect();
    // doubled letters written once ("Lannister"/"Lanister")
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Two name words that are one name in two spellings: five letters or more each and
/// the same [`sound_key`] (short words sound alike too often to say anything).
pub fn sound_alike(a: &str, b: &str) -> bool {
    a.chars().count() >= 5 && b.chars().count() >= 5 && sound_key(a) == sound_key(b)
}

/// Familiar forms of given names and the formal names they shorten. A familiar form
/// joins a formal name only where the formal name is the one candidate (see
/// identity's `familiar_aliases`), so "Max" stays apart between a Maxime and a
/// Maximilian of one family name.
const FAMILIAR: &[(&str, &[&str])] = &[
    ("al", &["albert", "alan", "alfred", "alexander"]),
    (
        "alex",
        &[
            "alexander",
            "alexandre",
            "alexandra",
            "alexey",
            "alejandro",
            "alessandro",
        ],
    ),
    ("andy", &["andrew", "andreas", "andrea"]),
    (
        "bart",
        &["bartholomew", "bartlomiej", "bartosz", "bartholomeus"],
    ),
    ("ben", &["benjamin", "benoit", "bernhard"]),
    ("bill", &["william"]),
    ("billy", &["william"]),
    ("bob", &["robert"]),
    ("bobby", &["robert"]),
    ("rob", &["robert", "robin"]),
    ("robbie", &["robert"]),
    (
        "chris",
        &[
            "christopher",
            "christian",
            "christoph",
            "christophe",
            "christine",
            "christina",
        ],
    ),
    ("dan", &["daniel"]),
    ("danny", &["daniel"]),
    ("dave", &["david"]),
    ("dick", &["richard"]),
    ("rick", &["richard", "frederick", "ricardo"]),
    ("rich", &["richard"]),
    ("ed", &["edward", "edwin", "edmund", "eduardo"]),
    ("eddie", &["edward"]),
    ("fred", &["frederick", "frederic", "alfred"]),
    ("greg", &["gregory", "gregor"]),
    ("hans", &["johannes"]),
    ("jim", &["james"]),
    ("jimmy", &["james"]),
    ("jamie", &["james"]),
    ("joe", &["joseph"]),
    ("jon", &["jonathan"]),
    ("jen", &["jennifer"]),
    ("jenny", &["jennifer"]),
    ("ken", &["kenneth"]),
    ("kate", &["katherine", "catherine", "katharina"]),
    ("katie", &["katherine", "catherine"]),
    ("liz", &["elizabeth"]),
    ("beth", &["elizabeth"]),
    ("matt", &["matthew", "matthias", "matteo"]),
    ("max", &["maxime", "maximilian", "maxim", "maximilien"]),
    ("kuba", &["jakub"]),
    ("mike", &["michael"]),
    ("misha", &["mikhail", "michael"]),
    ("dima", &["dmitry", "dmitri", "dmytro"]),
    (
        "sasha",
        &["alexander", "aleksandr", "alexandra", "oleksandr"],
    ),
    ("mick", &["michael"]),
    ("nick", &["nicholas", "nicolas", "nikolaus", "nikolai"]),
    ("pat", &["patrick", "patricia"]),
    ("pete", &["peter"]),
    ("phil", &["philip", "phillip", "philipp", "philippe"]),
    ("ron", &["ronald"]),
    ("sam", &["samuel", "samantha"]),
    ("steve", &["steven", "stephen", "stefan"]),
    ("sue", &["susan", "suzanne"]),
    ("ted", &["edward", "theodore"]),
    ("tim", &["timothy"]),
    ("tom", &["thomas"]),
    ("tomek", &["tomasz"]),
    ("tony", &["anthony", "antonio", "anton"]),
    ("will", &["william"]),
    ("zach", &["zachary"]),
];

/// The formal names a familiar given name may shorten ("bill" → ["william"]); empty
/// for a word that is not a familiar form.
pub fn formal_names(word: &str) -> &'static [&'static str] {
    let w = crate::fold(word);
    FAMILIAR
        .iter()
        .find(|(f, _)| *f == w)
        .map(|(_, formal)| *formal)
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(name_key("Blaker, Paul"), "blaker paul");
        assert_eq!(name_key("Łukasz Weiß"), name_key("weiss lukasz"));
        assert_eq!(name_key("Anna Anna"), "anna");
        assert_eq!(name_key("?"), "");
        assert_eq!(full_name_key("Parminder"), None);
        assert_eq!(full_name_key("Anna Anna").as_deref(), Some("anna"));
        assert_eq!(
            full_name_key("Анна Соколова"),
            full_name_key("Anna Sokolova")
        );
    }

    #[test]
    fn matching() {
        // reconstruction's accepted pairs
        assert!(names_match("G?bor Cs?rdi", "Gábor Csárdi"));
        assert!(names_match("Anderson,Brooke", "Brooke Anderson"));
        assert!(names_match("parminder", "Parminder Jeet Singh"));
        assert!(names_match("Tokes Odon", "Tőkés Ödön"));
        assert!(names_match("Wei? Hans", "Hans Weiß"));
        assert!(!names_match("Peter Meissner", "Robert M. Flight"));
        assert!(!names_match("", "Anna"));
        // identity's accepted pairs: equal full-name keys match too
        for (a, b) in [
            ("Łukasz Nowak", "Lukasz Nowak"),
            ("Ødegård, Siri", "Siri Odegard"),
            ("Анна Соколова", "Anna Sokolova"),
            ("Inés T. Ortega", "Ines Ortega"),
        ] {
            assert_eq!(full_name_key(a), full_name_key(b), "{a} / {b}");
            assert!(names_match(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn delegates() {
        assert_eq!(
            on_behalf_of("R-package-devel Im Auftrag von G?ran Brostr?m").as_deref(),
            Some("G?ran Brostr?m")
        );
        assert_eq!(on_behalf_of("Ana Neves"), None);
        assert_eq!(
            on_behalf_of("On Behalf Of Mike C. Fletcher").as_deref(),
            Some("Mike C. Fletcher")
        );
    }

    #[test]
    fn spellings_and_familiar_forms() {
        assert!(sound_alike("Jarosław", "Yaroslav"));
        assert!(sound_alike("Tchebotarev", "Chebotarev"));
        assert!(sound_alike("Lannister", "Lanister"));
        assert!(sound_alike("Philip", "Filip"));
        assert!(!sound_alike("Jan", "Yan"), "short words say nothing");
        assert!(!sound_alike("Martin", "Morton"));
        assert!(!sound_alike("Stephan", "Stefanie"));
        assert_eq!(formal_names("Bill"), ["william"]);
        assert!(formal_names("Max").contains(&"maxime"));
        assert!(formal_names("William").is_empty());
    }
}
