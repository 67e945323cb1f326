//! Affiliations with evidence and time: from curated facts, self-declared agenda
//! entries, speaker entries, signature blocks and the registrable email domain, in that
//! order of trust. Organisation → stakeholder group and country come from the curated
//! table in `data/frameworks/organizations.toml`; country → UN regional group and M49
//! region from `countries.toml`. No gender inference.

use plenary_frameworks::Frameworks;
use serde::Serialize;

use crate::curated::Curated;
use crate::identity::{key_of, normalize_address, Identity, Observation, Source};

#[derive(Debug, Clone, PartialEq, Serialize)]
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
    for l in sig
        .lines()
        .map(|l| {
            l.trim().trim_matches(|c: char| {
                c == '*' || c == '/' || c == '_' || c == '>' || c.is_whitespace()
            })
        })
        .filter(|l| !l.is_empty())
        .take(14)
    {
        if l.contains('@') || l.chars().filter(|c| c.is_ascii_digit()).count() > 4 {
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
    ) {
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
        if let Some(a) = self.out.iter_mut().find(|a| {
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
            return;
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
        });
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
        "department of",
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
) -> Vec<Affiliation> {
    let mut b = Builder {
        fw,
        out: Vec::new(),
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
        if let Source::Speaker {
            session,
            role,
            organization,
            position,
            stakeholder_group,
            regional_group,
        } = &o.source
        {
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
            signature_facts(&mut b, sig, o);
        }
        if let Some(a) = o.address.as_deref().and_then(normalize_address) {
            if person.addresses.contains(&a) {
                domain_facts(&mut b, &a, o.date);
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
            domain_facts(&mut b, a, None);
        }
    }
    let mut out = b.out;
    out.sort_by(|x, y| {
        rank(&x.source)
            .cmp(&rank(&y.source))
            .then(y.confidence.total_cmp(&x.confidence))
            .then(y.to.cmp(&x.to))
    });
    out
}

fn signature_facts(b: &mut Builder, sig: &str, o: &Observation) {
    let mut country = None;
    let mut found_org = false;
    let lines: Vec<&str> = sig
        .lines()
        .map(|l| {
            l.trim().trim_matches(|c: char| {
                c == '*' || c == '/' || c == '_' || c == '>' || c.is_whitespace()
            })
        })
        .filter(|l| !l.is_empty())
        .take(14)
        .collect();
    for l in &lines {
        if let Some(c) = b.fw.country(l) {
            country = Some(c.iso2.clone());
        }
    }
    if let Some((org, l)) = signature_org(b.fw, sig) {
        let name = org.name.clone();
        b.add(
            Some(name),
            None,
            country.clone(),
            "signature",
            l,
            0.8,
            o.date,
        );
        found_org = true;
    }
    if !found_org {
        // a web address in the signature names the organisation's domain
        for l in &lines {
            for w in l.split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '|') {
                let host = w
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .split('/')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("www.")
                    .trim_matches(|c: char| !c.is_alphanumeric());
                if !host.contains('.') || host.contains('@') {
                    continue;
                }
                if let Some(org) = b.fw.organization_by_domain(host) {
                    let name = org.name.clone();
                    b.add(
                        Some(name),
                        None,
                        country.clone(),
                        "signature",
                        (*l).to_string(),
                        0.75,
                        o.date,
                    );
                    found_org = true;
                    break;
                }
            }
            if found_org {
                break;
            }
        }
    }
    if !found_org {
        for l in &lines {
            let lower = l.to_lowercase();
            let words = l.split_whitespace().count();
            if (2..=10).contains(&words)
                && ORG_WORDS
                    .iter()
                    .any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w))
                && !l.ends_with(['.', '?', '!'])
            {
                b.add(
                    Some((*l).to_string()),
                    group_from_words(l).map(str::to_string),
                    country.clone(),
                    "signature",
                    (*l).to_string(),
                    0.6,
                    o.date,
                );
                break;
            }
        }
    }
}

/// Generic-use country-code TLDs: no evidence of a country.
const GENERIC_CCTLDS: &[&str] = &[
    "io", "co", "me", "tv", "ai", "ly", "fm", "am", "cc", "ws", "to", "gg", "sh", "la", "im",
    "info",
];

fn domain_facts(b: &mut Builder, address: &str, date: Option<i64>) {
    let Some(domain) = registrable_domain(address) else {
        return;
    };
    if b.fw.is_personal_mail(&domain) {
        return;
    }
    let host = address.rsplit('@').next().unwrap_or("").to_lowercase();
    if let Some(org) = b.fw.organization_by_domain(&host) {
        let name = org.name.clone();
        b.add(
            Some(name),
            None,
            None,
            "email-domain",
            address.to_string(),
            0.7,
            date,
        );
        return;
    }
    let rule = b.fw.domain_rule(&host).cloned();
    let tld = domain.rsplit('.').next().unwrap_or("");
    let cc_country = (tld.len() == 2 && !GENERIC_CCTLDS.contains(&tld))
        .then(|| b.fw.country(&tld.to_uppercase()).map(|c| c.iso2.clone()))
        .flatten();
    match rule {
        Some(r) => b.add(
            Some(domain.clone()),
            Some(r.stakeholder_group.clone()).filter(|g| !g.is_empty()),
            Some(r.country.clone())
                .filter(|c| !c.is_empty())
                .or(cc_country),
            "email-domain",
            address.to_string(),
            0.5,
            date,
        ),
        None => b.add(
            Some(domain.clone()),
            None,
            cc_country,
            "email-domain",
            address.to_string(),
            0.3,
            date,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::day;

    #[test]
    fn days() {
        assert_eq!(day(Some(0)).as_deref(), Some("1970-01-01"));
        assert_eq!(day(Some(1_753_286_400)).as_deref(), Some("2025-07-23"));
    }
}
