//! Affiliations with evidence and time: from curated facts, self-declared agenda
//! entries, speaker entries, signature blocks and the registrable email domain, in that
//! order of trust. Organisation → stakeholder group and country come from the curated
//! table in `crates/plenary-frameworks/data/organizations.toml`; country → UN regional group and M49
//! region from `countries.toml`. No gender inference.

use std::collections::HashMap;

use plenary_frameworks::Frameworks;
use serde::{Deserialize, Serialize};

use crate::curated::Curated;
use crate::identity::{key_of, normalize_address, Identity, Observation, Source, Speaker};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Affiliation {
    pub organization: Option<String>,
    /// Id in the curated organisation table, when known there.
    pub organization_id: Option<String>,
    pub stakeholder_group: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub regional_group: Option<String>,
    pub m49_region: Option<String>,
    /// "curated", "self-declared", "agenda", "signature", "email-domain".
    pub source: String,
    /// The text that says so (a signature line, an address, a speaker entry).
    pub evidence: String,
    /// 0..1.
    pub confidence: f64,
    /// Dates of the first and last evidence (`YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
    /// How many sightings (messages, speaker entries) give this evidence.
    #[serde(default)]
    pub seen: u32,
    /// The person's later signatures no longer name it: a former affiliation, kept
    /// with its span but not shown as theirs now.
    #[serde(default)]
    pub past: bool,
}

fn rank(source: &str) -> u8 {
    match source {
        "curated" => 0,
        "self-declared" => 1,
        "agenda" => 2,
        "signature" => 3,
        _ => 4,
    }
}

/// Organisation keys from the curated table: an address's organisation id (or its
/// registrable domain), a signature's best-named organisation.
impl crate::identity::OrgKeys for Frameworks {
    fn of_address(&self, addr: &str) -> Option<String> {
        let host = addr.rsplit('@').next()?.trim().to_lowercase();
        let d = registrable_domain(addr)?;
        if self.is_personal_mail(&d) || self.is_personal_mail(&host) {
            return None;
        }
        Some(
            self.organization_by_domain(&host)
                .map(|o| o.id.clone())
                .unwrap_or(d),
        )
    }

    fn of_signature(&self, sig: &str) -> Option<String> {
        signature_org(self, sig).map(|(o, _)| o.id.clone())
    }

    fn signature_name(&self, sig: &str) -> Option<String> {
        if signature_org(self, sig).is_some() {
            return None;
        }
        signature_org_name(sig)
    }
}

/// The organisation a signature names in words, curated or not ("University of
/// Auckland"), as written.
pub(crate) fn signature_org_name(sig: &str) -> Option<String> {
    let lines: Vec<&str> = signature_lines(sig).collect();
    named_org_segment(&lines).map(|(_, seg)| seg)
}

/// The organisation a signature names best: in full rather than by acronym, and not on
/// a job-title line ("Head of ITU and Internet Governance").
pub(crate) fn signature_org<'a>(
    fw: &'a Frameworks,
    sig: &str,
) -> Option<(&'a plenary_frameworks::Organization, String)> {
    let title_line = |l: &str| {
        let x = l.to_lowercase();
        [
            "head of",
            "director",
            "chair",
            "member",
            "advisor",
            "adviser",
            "manager",
            "officer",
            "coordinator",
            "lead ",
            "president",
            "secretary",
            "minister",
            "ambassador",
        ]
        .iter()
        .any(|t| x.starts_with(t) || x.contains(&format!(", {t}")))
    };
    let mut best: Option<(u8, &plenary_frameworks::Organization, String)> = None;
    for l in signature_lines(sig) {
        if !org_like_line(l) || l.chars().filter(|c| c.is_ascii_digit()).count() > 4 {
            continue;
        }
        if let Some(org) = fw.organization_by_name(l) {
            let fl = crate::fold(l);
            let full = fl.contains(&crate::fold(&org.name))
                || org
                    .aliases
                    .iter()
                    .any(|a| a.split_whitespace().count() >= 2 && fl.contains(&crate::fold(a)));
            let score = match (full, title_line(l)) {
                (true, false) => 0,
                (true, true) => 1,
                (false, false) => 2,
                (false, true) => 3,
            };
            if best.as_ref().is_none_or(|b| score < b.0) {
                best = Some((score, org, l.to_string()));
            }
        }
    }
    best.map(|(_, o, l)| (o, l))
}

/// Registrable domain of an address's host (public suffix list): `mail.dsit.gov.uk` →
/// `dsit.gov.uk`.
pub fn registrable_domain(address: &str) -> Option<String> {
    let host = address.rsplit('@').next()?.trim().to_lowercase();
    let d = psl::domain_str(&host)?;
    Some(d.to_string())
}

/// The first lines of a signature, trimmed of rules and markup (`\__ `, `*`, `> `).
fn signature_lines(sig: &str) -> impl Iterator<Item = &str> {
    sig.lines()
        .map(|l| {
            l.trim().trim_matches(|c: char| {
                matches!(c, '*' | '/' | '_' | '>' | '\\' | '|') || c.is_whitespace()
            })
        })
        .filter(|l| l.chars().any(char::is_alphanumeric))
        .take(14)
}

/// Abbreviations an organisation's name may end with, dot included.
const NAME_ENDINGS: &[&str] = &[
    "inc", "ltd", "co", "corp", "plc", "llc", "s.a", "b.v", "n.v", "e.v", "a.g", "s.l", "s.r.l",
    "s.p.a", "pty",
];

/// Whether a signature line can name an organisation: short, not a sentence (signature
/// blocks cut from running text carry those), not code, a path or a PGP header, not a
/// quotation or its attribution (`-- Salvor Hardin, …`), not a postscript, not a link
/// or an address (those are read as domains).
fn org_like_line(l: &str) -> bool {
    let words = l.split_whitespace().count();
    if words == 0 || words > 12 {
        return false;
    }
    let lower = l.to_lowercase();
    let starts_lower = l.chars().next().is_some_and(char::is_lowercase);
    let quotation = l.starts_with(['"', '\'', '\u{201c}', '\u{2018}', '\u{2014}', '~', '('])
        || l.trim_start_matches(['-', '\u{2014}']).len() + 2 <= l.len();
    let postscript = ["ps ", "ps.", "ps:", "p.s"]
        .iter()
        .any(|p| lower.starts_with(p));
    let code = l.contains(['=', '{', '}', '[', ']', '\\', ';', '`', '$', '#', '%'])
        || ["<-", "::", "()", "->"].iter().any(|c| lower.contains(c));
    let link = l.contains("://") || lower.contains("www.") || l.contains('@');
    let pgp = ["pgp", "gnupg", "gpg", "enigmail", "version:", "comment:"]
        .iter()
        .any(|w| lower.contains(w));
    // links to profiles and home pages name a service, not an employer
    let profile = [
        "scholar",
        "profile",
        "orcid",
        "researchgate",
        "linkedin",
        "github",
        "twitter",
        "blog",
        "homepage",
        "home page",
        "website",
        "web site",
        "mastodon",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let l = l.trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}']);
    let sentence = l.contains(['?', '!'])
        || l.ends_with([':', ','])
        || l.strip_suffix('.').is_some_and(|head| {
            let last = head.rsplit([' ', ',']).next().unwrap_or("").to_lowercase();
            !NAME_ENDINGS.contains(&last.as_str())
        });
    !(starts_lower || quotation || postscript || code || link || pgp || profile || sentence)
}

/// How many people write from addresses on each registrable domain. A domain several
/// people write from is an organisation's; one only its holder writes from may be a
/// personal domain (`dreid.org`), so it needs other evidence. A domain where people
/// write from aliases made for the list (`mary-twisted@`, `andrew-twisted@`) is one
/// whose holders make addresses at will: a personal or family domain, however many
/// write from it.
#[derive(Debug, Default, Clone)]
pub struct DomainHolders {
    counts: std::collections::HashMap<String, usize>,
    aliased: std::collections::HashSet<String>,
}

impl DomainHolders {
    /// `list_names`: the archive's list names (`twisted-web`), whose words mark aliases.
    pub fn of(people: &[Identity], list_names: &[String]) -> DomainHolders {
        let list_words: Vec<String> = list_names
            .iter()
            .flat_map(|l| {
                crate::fold(l)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 4)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut h = DomainHolders::default();
        for p in people {
            let mut seen = std::collections::HashSet::new();
            for a in &p.addresses {
                let Some(d) = registrable_domain(a) else {
                    continue;
                };
                let local = crate::fold(a.split('@').next().unwrap_or(""));
                if local
                    .split(['-', '.', '_'])
                    .skip(1)
                    .any(|part| list_words.iter().any(|w| w == part))
                {
                    h.aliased.insert(d.clone());
                }
                if seen.insert(d.clone()) {
                    *h.counts.entry(d).or_insert(0) += 1;
                }
            }
        }
        h
    }

    /// People writing from the domain; 0 for a domain of list aliases.
    pub fn count(&self, domain: &str) -> usize {
        if self.aliased.contains(domain) {
            return 0;
        }
        self.counts.get(domain).copied().unwrap_or(0)
    }
}

/// The words a person is known by: name tokens and address local parts.
fn own_words(person: &Identity) -> Vec<String> {
    let mut w: Vec<String> = person
        .names
        .iter()
        .flat_map(|(n, _)| crate::name_tokens(n))
        .collect();
    for a in &person.addresses {
        let local = crate::fold(a.split('@').next().unwrap_or(""));
        w.extend(
            local
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| t.chars().count() > 1)
                .map(str::to_string),
        );
        w.push(local);
    }
    w.sort();
    w.dedup();
    w
}

/// A host named after its holder (`kleinwaechter.info`, `dewey.myzen.co.uk`,
/// `dreid.org` for David Reid, `mithrandi.net` for `mithrandi@`): a personal domain.
fn personal_host(host: &str, domain: &str, own: &[String]) -> bool {
    let initial_surname = |l: &str| {
        own.iter().any(|a| {
            own.iter().any(|b| {
                a != b && b.chars().count() > 2 && {
                    let mut x: String = a.chars().take(1).collect();
                    x.push_str(b);
                    x == l
                }
            })
        })
    };
    host.strip_suffix(domain)
        .unwrap_or("")
        .split('.')
        .chain(domain.split('.').take(1))
        .filter(|l| !l.is_empty() && *l != "www" && *l != "mail")
        .map(crate::fold)
        .any(|l| {
            own.iter().any(|w| {
                *w == l
                    || (w.chars().count() >= 4 && l.contains(w.as_str()))
                    || (l.chars().count() >= 4 && w.contains(&l))
            }) || initial_surname(&l)
        })
}

/// `YYYY-MM-DD` (UTC) of a timestamp.
pub(crate) fn day(ts: Option<i64>) -> Option<String> {
    let ts = ts?;
    let days = ts.div_euclid(86_400);
    // civil from days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// One affiliation fact as a source gives it, before the frameworks resolve its names
/// and before a sighting dates it.
#[derive(Debug, Clone)]
struct Fact {
    organization: Option<String>,
    group: Option<String>,
    country: Option<String>,
    source: &'static str,
    evidence: String,
    confidence: f64,
}

impl Fact {
    fn new(
        organization: Option<String>,
        group: Option<String>,
        country: Option<String>,
        source: &'static str,
        evidence: String,
        confidence: f64,
    ) -> Fact {
        Fact {
            organization,
            group,
            country,
            source,
            evidence,
            confidence,
        }
    }
}

struct Builder<'a> {
    fw: &'a Frameworks,
    out: Vec<Affiliation>,
}

impl Builder<'_> {
    fn geo(&self, country: Option<String>) -> (Option<String>, Option<String>, Option<String>) {
        let c = country.filter(|c| !c.is_empty());
        let found = c.as_deref().and_then(|c| self.fw.country(c));
        (
            found.map(|x| x.iso2.clone()).or(c),
            found.map(|x| x.un_regional_group.clone()),
            found.map(|x| x.m49_region.clone()),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        organization: Option<String>,
        group: Option<String>,
        country: Option<String>,
        source: &str,
        evidence: String,
        confidence: f64,
        date: Option<i64>,
    ) -> usize {
        let org = organization
            .as_deref()
            .and_then(|o| self.fw.organization_by_name(o));
        let organization_id = org.map(|o| o.id.clone());
        let organization = org.map(|o| o.name.clone()).or(organization);
        let group = group
            .and_then(|g| {
                self.fw
                    .stakeholder_group(&g)
                    .map(|x| x.id.clone())
                    .or(Some(g))
            })
            .or_else(|| {
                org.map(|o| o.stakeholder_group.clone())
                    .filter(|g| !g.is_empty())
            });
        let country = country.or_else(|| org.map(|o| o.country.clone()).filter(|c| !c.is_empty()));
        let (country, regional_group, m49_region) = self.geo(country);
        let d = day(date);
        // the same fact again widens its time span
        if let Some((i, a)) = self.out.iter_mut().enumerate().find(|(_, a)| {
            a.source == source
                && a.organization == organization
                && a.stakeholder_group == group
                && a.country == country
        }) {
            if d.is_some() && (a.from.is_none() || d < a.from) {
                a.from = d.clone();
            }
            if d.is_some() && (a.to.is_none() || d > a.to) {
                a.to = d;
            }
            a.seen += 1;
            return i;
        }
        self.out.push(Affiliation {
            organization,
            organization_id,
            stakeholder_group: group,
            country,
            regional_group,
            m49_region,
            source: source.to_string(),
            evidence,
            confidence,
            from: d.clone(),
            to: d,
            seen: 1,
            past: false,
        });
        self.out.len() - 1
    }

    /// Adds a fact as seen on `date`; returns its index.
    fn add_fact(&mut self, f: &Fact, date: Option<i64>) -> usize {
        self.add(
            f.organization.clone(),
            f.group.clone(),
            f.country.clone(),
            f.source,
            f.evidence.clone(),
            f.confidence,
            date,
        )
    }
}

/// Words that make a signature line look like an organisation's name.
const ORG_WORDS: &[&str] = &[
    "ministry",
    "department",
    "government",
    "agency",
    "office",
    "commission",
    "council",
    "university",
    "universidad",
    "universidade",
    "université",
    "institute",
    "instituto",
    "association",
    "associação",
    "asociación",
    "foundation",
    "fundación",
    "fundação",
    "society",
    "network",
    "centre",
    "center",
    "coalition",
    "forum",
    "union",
    "organization",
    "organisation",
    "corporation",
    "ltd",
    "limited",
    "inc",
    "gmbh",
    "s.a.",
    "llc",
    "bureau",
    "authority",
    "secretariat",
    "programme",
    "program",
    "laboratory",
    "lab",
];

fn group_from_words(line: &str) -> Option<&'static str> {
    let l = line.to_lowercase();
    if [
        "ministry",
        "department for",
        "government",
        "ministério",
        "ministerio",
        "ministère",
    ]
    .iter()
    .any(|w| l.contains(w))
    {
        Some("government")
    } else if [
        "university",
        "universidad",
        "universidade",
        "université",
        "school of",
        "college",
    ]
    .iter()
    .any(|w| l.contains(w))
    {
        Some("academia")
    } else if [" ltd", "limited", " inc", "gmbh", "llc", "corporation"]
        .iter()
        .any(|w| l.contains(w))
    {
        Some("private-sector")
    } else {
        None
    }
}

/// Affiliations of one person, most trusted first.
pub fn affiliations(
    person: &Identity,
    obs: &[Observation],
    fw: &Frameworks,
    curated: &Curated,
    holders: &DomainHolders,
) -> Vec<Affiliation> {
    let mut b = Builder {
        fw,
        out: Vec::new(),
    };
    let mut signature_events: Vec<(Option<i64>, usize)> = Vec::new();
    // A person's sightings repeat the same signatures and addresses month after month:
    // what each gives is worked out once, then added with each sighting's date.
    let mut signature_memo: HashMap<&str, Option<Fact>> = HashMap::new();
    let mut address_memo: HashMap<&str, Option<String>> = HashMap::new();
    let mut domain_memo: HashMap<String, Option<Fact>> = HashMap::new();
    let own = Own {
        words: own_words(person),
        holders,
    };
    // curated facts naming any of the person's addresses or names
    let keys: Vec<String> = person
        .addresses
        .iter()
        .map(|a| key_of(a))
        .chain(person.names.iter().map(|(n, _)| key_of(n)))
        .collect();
    for f in &curated.facts {
        if keys.contains(&key_of(&f.person)) {
            b.add(
                f.organization.clone(),
                f.stakeholder_group.clone(),
                f.country.clone(),
                "curated",
                if f.note.is_empty() {
                    format!("people.toml: {}", f.person)
                } else {
                    f.note.clone()
                },
                1.0,
                None,
            );
            if let Some(a) = b.out.last_mut() {
                a.from = f.from.clone();
                a.to = f.to.clone();
            }
        }
    }
    for &i in &person.observations {
        let o = &obs[i];
        if let Source::Speaker(sp) = &o.source {
            let Speaker {
                session,
                role,
                organization,
                position,
                stakeholder_group,
                regional_group,
            } = sp.as_ref();
            if stakeholder_group.is_some() || regional_group.is_some() {
                let country = None;
                b.add(
                    organization.clone(),
                    stakeholder_group.clone(),
                    country,
                    "self-declared",
                    format!(
                        "session {session}: {}{}",
                        stakeholder_group.as_deref().unwrap_or(""),
                        regional_group
                            .as_deref()
                            .map(|r| format!(", {r}"))
                            .unwrap_or_default()
                    ),
                    0.95,
                    o.date,
                );
                if let (Some(rg), Some(a)) = (regional_group, b.out.last_mut()) {
                    if a.regional_group.is_none() {
                        a.regional_group = fw
                            .regional_group(rg)
                            .map(|g| g.id.clone())
                            .or(Some(rg.clone()));
                    }
                }
            } else if organization.is_some() {
                let what = [
                    position.as_deref(),
                    organization.as_deref(),
                    role.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                b.add(
                    organization.clone(),
                    None,
                    None,
                    "agenda",
                    format!("speaker of session {session}: {what}"),
                    0.9,
                    o.date,
                );
            }
        }
        if let Some(sig) = &o.signature {
            let fact = signature_memo
                .entry(sig.as_str())
                .or_insert_with(|| signature_fact(fw, sig, &own));
            if let Some(f) = fact {
                signature_events.push((o.date, b.add_fact(f, o.date)));
            }
        }
        if let Some(raw) = o.address.as_deref() {
            let a = address_memo
                .entry(raw)
                .or_insert_with(|| normalize_address(raw));
            if let Some(a) = a
                .as_deref()
                .filter(|a| person.addresses.iter().any(|x| x == a))
            {
                let fact = domain_memo
                    .entry(a.to_string())
                    .or_insert_with(|| domain_fact(fw, a, &own));
                if let Some(f) = fact {
                    b.add_fact(f, o.date);
                }
            }
        }
    }
    // addresses known only through merges (listed in a signature)
    for a in &person.addresses {
        if !b
            .out
            .iter()
            .any(|x| x.source == "email-domain" && x.evidence == *a)
        {
            let fact = domain_memo
                .entry(a.clone())
                .or_insert_with(|| domain_fact(fw, a, &own));
            if let Some(f) = fact {
                b.add_fact(f, None);
            }
        }
    }
    let mut out = b.out;
    // An address's organisation speaks for the person only if no institutional
    // address of theirs that names no organisation carries more of their mail: Uwe
    // Ligges writes 111 messages from a university address nothing here describes and
    // 14 from an `r-project.org` alias; the alias is not his employer.
    let unnamed = out
        .iter()
        .filter(|a| a.source == "email-domain" && a.organization.is_none())
        .map(|a| a.seen)
        .max()
        .unwrap_or(0);
    out.retain(|a| a.source != "email-domain" || a.organization.is_none() || a.seen >= unnamed);
    // a signature organisation that the person's later signatures no longer name,
    // more often than they named it: a former affiliation
    for (i, a) in out.iter_mut().enumerate() {
        if a.source != "signature" || a.organization.is_none() {
            continue;
        }
        let last = a.to.clone();
        let later = signature_events
            .iter()
            .filter(|(d, j)| *j != i && last.is_some() && day(*d) > last)
            .count();
        a.past = later >= 2 && later >= a.seen as usize;
    }
    // an organisation named only in free text needs saying twice, or an address of
    // the person's on its domain
    out.retain(|a| {
        a.source != "signature"
            || a.organization_id.is_some()
            || a.seen >= 2
            || a.organization
                .as_deref()
                .is_none_or(|o| domain_backs(o, person))
    });
    // facts naming an organisation or a group first (not a country alone, not a former
    // affiliation); then by trust, and among equals the one most sightings bear out,
    // then the latest
    out.sort_by(|x, y| {
        let now = |a: &Affiliation| {
            !a.past && (a.organization.is_some() || a.stakeholder_group.is_some())
        };
        now(y)
            .cmp(&now(x))
            .then(x.past.cmp(&y.past))
            .then(rank(&x.source).cmp(&rank(&y.source)))
            .then(y.confidence.total_cmp(&x.confidence))
            .then(y.seen.cmp(&x.seen))
            .then(y.to.cmp(&x.to))
    });
    out
}

/// Words that make a signature segment name a whole organisation, not a unit of one.
const TOP_WORDS: &[&str] = &[
    "ministry",
    "government",
    "agency",
    "commission",
    "council",
    "university",
    "universidad",
    "universidade",
    "université",
    "universitat",
    "universität",
    "universitaet",
    "hochschule",
    "college",
    "school",
    "hospital",
    "academy",
    "institute",
    "instituto",
    "institut",
    "association",
    "associação",
    "asociación",
    "foundation",
    "fundación",
    "fundação",
    "society",
    "coalition",
    "forum",
    "union",
    "organization",
    "organisation",
    "corporation",
    "company",
    "consultancy",
    "ltd",
    "limited",
    "inc",
    "gmbh",
    "llc",
    "plc",
    "bureau",
    "authority",
    "secretariat",
];

/// Job titles: a segment naming one is not an organisation ("University Lecturer").
const JOB_WORDS: &[&str] = &[
    "lecturer",
    "professor",
    "fellow",
    "student",
    "researcher",
    "candidate",
    "engineer",
    "scientist",
    "director",
    "manager",
    "consultant",
    "assistant",
    "associate",
    "postdoc",
    "major",
    "emeritus",
];

/// Greetings and sign-offs: a first signature line of two words that is not a name.
const SIGN_OFFS: &[&str] = &[
    "best",
    "regards",
    "cheers",
    "thanks",
    "thank",
    "kind",
    "warm",
    "warmest",
    "sincerely",
    "yours",
    "greetings",
    "ciao",
    "saludos",
    "cordialement",
    "hth",
    "all",
    "many",
    "with",
];

/// The parts of a signature line: "Professor, Statistics, McMaster University".
fn segments(l: &str) -> impl Iterator<Item = &str> {
    l.split([',', '|', '/', '\u{2013}', '\u{2014}', '\t'])
        .flat_map(|s| s.split("  "))
        .flat_map(|s| s.split(" - "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The first line of a signature names someone whose name shares no word with the
/// person's: the signature is another's (quoted, or a colleague's), not theirs.
fn signed_by_someone_else(lines: &[&str], own: &[String]) -> bool {
    let Some(first) = lines.first().and_then(|l| segments(l).next()) else {
        return false;
    };
    let words: Vec<&str> = first.split_whitespace().collect();
    let name_like = (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
        })
        && !words.iter().any(|w| {
            let f = crate::fold(w);
            let f = f.trim_end_matches('.');
            SIGN_OFFS.contains(&f) || ORG_WORDS.contains(&f) || TOP_WORDS.contains(&f)
        });
    if !name_like || own.is_empty() {
        return false;
    }
    !crate::name_tokens(first).iter().any(|t| own.contains(t))
}

/// What the person's signatures and addresses say, read once per person.
struct Own<'a> {
    /// Name tokens and address local parts.
    words: Vec<String>,
    holders: &'a DomainHolders,
}

/// The fact one signature gives (at most one), whatever its date: `affiliations` adds it
/// with each sighting's date.
fn signature_fact(fw: &Frameworks, sig: &str, own: &Own) -> Option<Fact> {
    let mut country = None;
    let mut found_org = false;
    let mut fact = None;
    let lines: Vec<&str> = signature_lines(sig).collect();
    if signed_by_someone_else(&lines, &own.words) {
        return None;
    }
    for l in &lines {
        if let Some(c) = fw.country(l) {
            country = Some(c.iso2.clone());
        }
    }
    // without a country line, an international phone number says where
    let mut phone_line = None;
    if country.is_none() {
        if let Some((l, cc)) = lines
            .iter()
            .find_map(|l| phone_country(l).map(|cc| (*l, cc)))
        {
            country = fw.country(cc).map(|c| c.iso2.clone());
            phone_line = Some(l.to_string());
        }
    }
    if let Some((org, l)) = signature_org(fw, sig) {
        let name = org.name.clone();
        fact = Some(Fact::new(
            Some(name),
            None,
            country.clone(),
            "signature",
            l,
            0.8,
        ));
        found_org = true;
    }
    if !found_org {
        // the home page of a known organisation (`www.apc.org`), not a link into a
        // service (`maps.google.com/?q=…`)
        'lines: for l in &lines {
            for w in l.split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '|') {
                let url = w
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '/');
                let (host, path) = url.split_once('/').unwrap_or((url, ""));
                let host = host.trim_start_matches("www.").to_lowercase();
                if !host.contains('.')
                    || host.contains('@')
                    || path.contains(['?', '/', '='])
                    || registrable_domain(&host).as_deref() != Some(host.as_str())
                {
                    continue;
                }
                if let Some(org) = fw.organization_by_domain(&host) {
                    let name = org.name.clone();
                    fact = Some(Fact::new(
                        Some(name),
                        None,
                        country.clone(),
                        "signature",
                        (*l).to_string(),
                        0.75,
                    ));
                    found_org = true;
                    break 'lines;
                }
            }
        }
    }
    if !found_org {
        if let Some((i, seg)) = named_org_segment(&lines) {
            fact = Some(Fact::new(
                Some(seg.clone()),
                group_from_words(&seg).map(str::to_string),
                country.clone(),
                "signature",
                lines
                    .get(i)
                    .map_or_else(|| seg.clone(), |l| (*l).to_string()),
                0.6,
            ));
            found_org = true;
        }
    }
    if !found_org {
        if let (Some(cc), Some(l)) = (country, phone_line) {
            fact = Some(Fact::new(None, None, Some(cc), "signature", l, 0.2));
        }
    }
    fact
}

/// A signature segment up to a contact label that a wrapped second column put on
/// its line ("University of Auckland Phone: +64-9-373-7599").
fn before_contact_label(seg: &str) -> &str {
    const LABELS: &[&str] = &[
        " phone:", " ph:", " tel:", " tel.", " fax:", " email:", " e-mail:", " mobile:", " mob:",
        " cell:",
    ];
    // ASCII lowering keeps byte offsets
    let lower = seg.to_ascii_lowercase();
    let cut = LABELS
        .iter()
        .filter_map(|l| lower.find(l))
        .min()
        .filter(|&i| seg.is_char_boundary(i));
    cut.map_or(seg, |i| seg[..i].trim_end())
}

/// The segment of a signature that names a whole organisation ("McMaster
/// University"), not a unit of one ("Department of Statistics") nor a job title,
/// with the index of its line; a name wrapped over two lines ("Research Institute
/// for Nature and" / "Forest") is joined.
fn named_org_segment(lines: &[&str]) -> Option<(usize, String)> {
    let words_of = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let candidates: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| org_like_line(l))
        .flat_map(|(i, l)| segments(l).map(move |s| (i, s)))
        // "Postdoctoral Fellow at University of Guelph"
        .map(|(i, s)| (i, s.rsplit_once(" at ").map_or(s, |(_, org)| org)))
        // two columns wrapped into one line: "University of Auckland Phone: +64-9-…"
        .map(|(i, s)| (i, before_contact_label(s)))
        .filter(|(_, s)| s.chars().filter(char::is_ascii_digit).count() <= 4)
        .collect();
    let best = candidates.iter().find(|(_, seg)| {
        let w = words_of(seg);
        let unit_first = ["department", "dept", "school", "faculty", "division"]
            .contains(&w.first().map(String::as_str).unwrap_or(""));
        (2..=10).contains(&seg.split_whitespace().count())
            && !unit_first
            && !w.iter().any(|x| JOB_WORDS.contains(&x.as_str()))
            && w.iter().any(|x| TOP_WORDS.contains(&x.as_str()))
    });
    // a name wrapped over two lines ("Research Institute for Nature and" / "Forest")
    best.map(|&(i, seg)| {
        let connector = seg
            .rsplit(' ')
            .next()
            .is_some_and(|w| ["and", "of", "for", "&", "und", "de"].contains(&w));
        match (connector, lines.get(i + 1).and_then(|l| segments(l).next())) {
            (true, Some(next)) if org_like_line(next) => (i, format!("{seg} {next}")),
            _ => (i, seg.to_string()),
        }
    })
}

/// Whether an organisation named only in free text is borne out by the person's own
/// address domains: `Pollenation Internet Ltd` and `pollenation.net`, `University
/// College Dublin` and `ucd.ie`.
fn domain_backs(org: &str, person: &Identity) -> bool {
    let tokens: Vec<String> = crate::fold(org)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect();
    let initials: String = org
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_lowercase();
    person
        .addresses
        .iter()
        .filter_map(|a| registrable_domain(a))
        .filter_map(|d| d.split('.').next().map(str::to_string))
        .any(|label| {
            tokens
                .iter()
                .any(|t| *t == label || label.split('-').any(|p| p == t))
                || (initials.chars().count() >= 2 && initials == label)
        })
}

/// International calling codes that name one country (ITU-T E.164; prefix-free).
/// +1 (North America and the Caribbean) and +7 (Russia and Kazakhstan) are left out:
/// they do not say which country.
const CALLING_CODES: &[(&str, &str)] = &[
    ("20", "EG"),
    ("27", "ZA"),
    ("30", "GR"),
    ("31", "NL"),
    ("32", "BE"),
    ("33", "FR"),
    ("34", "ES"),
    ("36", "HU"),
    ("39", "IT"),
    ("40", "RO"),
    ("41", "CH"),
    ("43", "AT"),
    ("44", "GB"),
    ("45", "DK"),
    ("46", "SE"),
    ("47", "NO"),
    ("48", "PL"),
    ("49", "DE"),
    ("51", "PE"),
    ("52", "MX"),
    ("53", "CU"),
    ("54", "AR"),
    ("55", "BR"),
    ("56", "CL"),
    ("57", "CO"),
    ("58", "VE"),
    ("60", "MY"),
    ("61", "AU"),
    ("62", "ID"),
    ("63", "PH"),
    ("64", "NZ"),
    ("65", "SG"),
    ("66", "TH"),
    ("81", "JP"),
    ("82", "KR"),
    ("84", "VN"),
    ("86", "CN"),
    ("90", "TR"),
    ("91", "IN"),
    ("92", "PK"),
    ("93", "AF"),
    ("94", "LK"),
    ("95", "MM"),
    ("98", "IR"),
    ("211", "SS"),
    ("212", "MA"),
    ("213", "DZ"),
    ("216", "TN"),
    ("218", "LY"),
    ("220", "GM"),
    ("221", "SN"),
    ("222", "MR"),
    ("223", "ML"),
    ("224", "GN"),
    ("225", "CI"),
    ("226", "BF"),
    ("227", "NE"),
    ("228", "TG"),
    ("229", "BJ"),
    ("230", "MU"),
    ("231", "LR"),
    ("232", "SL"),
    ("233", "GH"),
    ("234", "NG"),
    ("235", "TD"),
    ("236", "CF"),
    ("237", "CM"),
    ("238", "CV"),
    ("239", "ST"),
    ("240", "GQ"),
    ("241", "GA"),
    ("242", "CG"),
    ("243", "CD"),
    ("244", "AO"),
    ("245", "GW"),
    ("248", "SC"),
    ("249", "SD"),
    ("250", "RW"),
    ("251", "ET"),
    ("252", "SO"),
    ("253", "DJ"),
    ("254", "KE"),
    ("255", "TZ"),
    ("256", "UG"),
    ("257", "BI"),
    ("258", "MZ"),
    ("260", "ZM"),
    ("261", "MG"),
    ("263", "ZW"),
    ("264", "NA"),
    ("265", "MW"),
    ("266", "LS"),
    ("267", "BW"),
    ("268", "SZ"),
    ("269", "KM"),
    ("291", "ER"),
    ("351", "PT"),
    ("352", "LU"),
    ("353", "IE"),
    ("354", "IS"),
    ("355", "AL"),
    ("356", "MT"),
    ("357", "CY"),
    ("358", "FI"),
    ("359", "BG"),
    ("370", "LT"),
    ("371", "LV"),
    ("372", "EE"),
    ("373", "MD"),
    ("374", "AM"),
    ("375", "BY"),
    ("376", "AD"),
    ("377", "MC"),
    ("378", "SM"),
    ("380", "UA"),
    ("381", "RS"),
    ("382", "ME"),
    ("383", "XK"),
    ("385", "HR"),
    ("386", "SI"),
    ("387", "BA"),
    ("389", "MK"),
    ("420", "CZ"),
    ("421", "SK"),
    ("423", "LI"),
    ("501", "BZ"),
    ("502", "GT"),
    ("503", "SV"),
    ("504", "HN"),
    ("505", "NI"),
    ("506", "CR"),
    ("507", "PA"),
    ("509", "HT"),
    ("591", "BO"),
    ("592", "GY"),
    ("593", "EC"),
    ("595", "PY"),
    ("597", "SR"),
    ("598", "UY"),
    ("670", "TL"),
    ("673", "BN"),
    ("674", "NR"),
    ("675", "PG"),
    ("676", "TO"),
    ("677", "SB"),
    ("678", "VU"),
    ("679", "FJ"),
    ("680", "PW"),
    ("685", "WS"),
    ("686", "KI"),
    ("688", "TV"),
    ("691", "FM"),
    ("692", "MH"),
    ("850", "KP"),
    ("852", "HK"),
    ("853", "MO"),
    ("855", "KH"),
    ("856", "LA"),
    ("880", "BD"),
    ("886", "TW"),
    ("960", "MV"),
    ("961", "LB"),
    ("962", "JO"),
    ("963", "SY"),
    ("964", "IQ"),
    ("965", "KW"),
    ("966", "SA"),
    ("967", "YE"),
    ("968", "OM"),
    ("970", "PS"),
    ("971", "AE"),
    ("972", "IL"),
    ("973", "BH"),
    ("974", "QA"),
    ("975", "BT"),
    ("976", "MN"),
    ("977", "NP"),
    ("992", "TJ"),
    ("993", "TM"),
    ("994", "AZ"),
    ("995", "GE"),
    ("996", "KG"),
    ("998", "UZ"),
];

/// The country of an international phone number on a signature line
/// ("Tel: +41 22 730 5111", "M +27 (0)82 …"): weak evidence, used only when the
/// signature names no country.
fn phone_country(line: &str) -> Option<&'static str> {
    // The number starts the line or follows a short label ("Tel:", "M", "Mobile").
    let plus = line.find('+')?;
    let label = line[..plus].trim();
    if label.chars().count() > 10 || label.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = line[plus + 1..]
        .chars()
        .take_while(|c| {
            c.is_ascii_digit() || *c == ' ' || *c == '(' || *c == ')' || *c == '-' || *c == '.'
        })
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() < 8 {
        return None; // not a whole international number
    }
    (1..=3).rev().find_map(|n| {
        let p = digits.get(..n)?;
        CALLING_CODES
            .iter()
            .find(|(c, _)| *c == p)
            .map(|(_, cc)| *cc)
    })
}

/// Generic-use country-code TLDs: no evidence of a country.
const GENERIC_CCTLDS: &[&str] = &[
    "io", "co", "me", "tv", "ai", "ly", "fm", "am", "cc", "ws", "to", "gg", "sh", "la", "im",
    "info",
];

/// The fact an address of the person's gives (at most one), whatever its date.
fn domain_fact(fw: &Frameworks, address: &str, own: &Own) -> Option<Fact> {
    let domain = registrable_domain(address)?;
    if fw.is_personal_mail(&domain) {
        return None;
    }
    let host = address.rsplit('@').next().unwrap_or("").to_lowercase();
    if let Some(org) = fw.organization_by_domain(&host) {
        let name = org.name.clone();
        return Some(Fact::new(
            Some(name),
            None,
            None,
            "email-domain",
            address.to_string(),
            0.7,
        ));
    }
    let rule = fw.domain_rule(&host).cloned();
    let tld = domain.rsplit('.').next().unwrap_or("");
    let cc_country = (tld.len() == 2 && !GENERIC_CCTLDS.contains(&tld))
        .then(|| fw.country(&tld.to_uppercase()).map(|c| c.iso2.clone()))
        .flatten();
    match rule {
        Some(r) => Some(Fact::new(
            Some(domain.clone()),
            Some(r.stakeholder_group.clone()).filter(|g| !g.is_empty()),
            Some(r.country.clone())
                .filter(|c| !c.is_empty())
                .or(cc_country),
            "email-domain",
            address.to_string(),
            0.5,
        )),
        None => {
            // A domain nothing else describes is an organisation's only when others
            // write from it too, and never when it is named after its holder. (A
            // signature naming the domain is no evidence: personal home pages are
            // named there as often as employers.)
            let shared = own.holders.count(&domain) >= 2;
            if personal_host(&host, &domain, &own.words) || !shared {
                return cc_country.map(|c| {
                    Fact::new(
                        None,
                        None,
                        Some(c),
                        "email-domain",
                        address.to_string(),
                        0.2,
                    )
                });
            }
            Some(Fact::new(
                Some(domain.clone()),
                None,
                cc_country,
                "email-domain",
                address.to_string(),
                0.4,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{day, org_like_line, personal_host, phone_country, signed_by_someone_else};

    #[test]
    fn only_lines_that_look_like_an_organisation_name_one() {
        for good in [
            "Pollenation Internet Ltd",
            "Professor, Mathematics & Statistics and Biology, McMaster University",
            "Poisson Consulting Ltd.",
            "Association for Progressive Communications (APC)",
        ] {
            assert!(org_like_line(good), "{good}");
        }
        for junk in [
            "deeplist = ['centre']",
            "-- Salvor Hardin, Isaac Asimov's _Foundation",
            "PS. I test the program running:",
            "C:\\Program Files\\gs\\bin\\gswin64c.exe",
            "Such as Google suggesting AI-powered results.",
            "code?   I have both Google and Hadley's style recommendations",
            "Comment: Using GnuPG with Mozilla - http://enigmail.mozdev.org",
            "Look my work in Google Scholar",
            "## Home office: +49 30 1234",
            "[1] https://example.org/x",
            "Government or NOAA.\"",
        ] {
            assert!(!org_like_line(junk), "{junk}");
        }
    }

    #[test]
    fn domains_named_after_their_holder_are_personal() {
        let own = |w: &[&str]| w.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(personal_host(
            "kleinwaechter.info",
            "kleinwaechter.info",
            &own(&["wolfgang", "kleinwaechter"])
        ));
        assert!(personal_host(
            "dreid.org",
            "dreid.org",
            &own(&["david", "reid"])
        ));
        assert!(personal_host(
            "dewey.myzen.co.uk",
            "myzen.co.uk",
            &own(&["michael", "dewey", "lists"])
        ));
        assert!(!personal_host(
            "divmod.com",
            "divmod.com",
            &own(&["jean", "paul", "calderone", "exarkun"])
        ));
    }

    #[test]
    fn a_signature_under_someone_elses_name_is_theirs() {
        let own = vec!["thierry".to_string(), "onkelinx".to_string()];
        assert!(signed_by_someone_else(
            &["David Scott     Department of Statistics"],
            &own
        ));
        assert!(!signed_by_someone_else(
            &["Thierry Onkelinx", "Research Institute"],
            &own
        ));
        assert!(!signed_by_someone_else(&["Best regards", "Thierry"], &own));
    }

    #[test]
    fn phone_numbers_name_countries() {
        assert_eq!(phone_country("Tel: +41 22 730 5111"), Some("CH"));
        assert_eq!(phone_country("M +27 (0)82 555 0101"), Some("ZA"));
        assert_eq!(phone_country("+351 21 123 4567"), Some("PT"));
        assert_eq!(
            phone_country("Phone: +1 202 555 0100"),
            None,
            "+1 is several countries"
        );
        assert_eq!(phone_country("Room +44"), None, "not a phone line");
        assert_eq!(phone_country("Tel: +44 20"), None, "too short");
    }

    #[test]
    fn days() {
        assert_eq!(day(Some(0)).as_deref(), Some("1970-01-01"));
        assert_eq!(day(Some(1_753_286_400)).as_deref(), Some("2025-07-23"));
    }
}
