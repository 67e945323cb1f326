//! The frameworks every session, thread and message is measured against — WSIS Action
//! Lines (with C7's sub-lines), SDGs, Global Digital Compact objectives, the WSIS Forum
//! topic vocabulary, IGF subthemes, stakeholder groups, countries with their UN regional
//! group and M49 region — kept as data (`crates/plenary-frameworks/data/*.toml`,
//! embedded at build time) and extendable by the user with files of the same shape.
//!
//! [`Tagger`] tags free text with framework items from multilingual phrase lexicons and
//! keeps, for every tag, the phrases and positions that earned it.

mod slug;
mod tagger;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use slug::{slug, slug_with, SlugStyle};
pub use tagger::{fold, Evidence, Tag, Tagger};

/// The data files shipped with Plenary, embedded so the binary needs nothing beside it.
const BUILTIN: &[(&str, &str)] = &[
    (
        "action_lines.toml",
        include_str!("../data/action_lines.toml"),
    ),
    ("sdgs.toml", include_str!("../data/sdgs.toml")),
    ("gdc.toml", include_str!("../data/gdc.toml")),
    ("wsis_topics.toml", include_str!("../data/wsis_topics.toml")),
    (
        "igf_subthemes.toml",
        include_str!("../data/igf_subthemes.toml"),
    ),
    ("countries.toml", include_str!("../data/countries.toml")),
    (
        "stakeholder_groups.toml",
        include_str!("../data/stakeholder_groups.toml"),
    ),
    (
        "organizations.toml",
        include_str!("../data/organizations.toml"),
    ),
];

/// Id of the WSIS Action Lines framework (framework ids are used in URLs and tags).
pub const ACTION_LINES: &str = "action-lines";
/// Id of the Sustainable Development Goals framework.
pub const SDGS: &str = "sdgs";
/// Id of the Global Digital Compact objectives framework.
pub const GDC: &str = "gdc";
/// Id of the WSIS Forum topic vocabulary.
pub const TOPICS: &str = "topics";
/// Id of the IGF annual-meeting subthemes.
pub const IGF_SUBTHEMES: &str = "igf-subthemes";

/// A data file that cannot be read or does not have the expected shape.
#[derive(Debug, thiserror::Error)]
pub enum FrameworkError {
    /// A data file whose content is not valid.
    #[error("{file}: {reason}")]
    Invalid {
        /// The file's name.
        file: String,
        /// What is wrong in it.
        reason: String,
    },
    /// A file or folder that cannot be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why it cannot be read.
        source: std::io::Error,
    },
}

/// The `[framework]` table of a data file: which framework its items belong to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrameworkHead {
    /// The framework id used in URLs and tags (`action-lines`).
    pub id: String,
    /// Its display name ("WSIS Action Lines").
    pub name: String,
    /// The document that defines it.
    #[serde(default)]
    pub source: String,
}

/// One item of a framework: an Action Line, an SDG, a GDC objective, a topic, a subtheme.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Item {
    /// Its code, unique within the framework (`C7.4`, `16`, `igf2024-2`).
    pub code: String,
    /// Its number, for frameworks that number items.
    #[serde(default)]
    pub number: Option<u32>,
    /// The code of the item it belongs under (C7's sub-lines: `C7`).
    #[serde(default)]
    pub parent: Option<String>,
    /// The full title as the defining document gives it.
    pub title: String,
    /// A short name for labels and charts.
    #[serde(default)]
    pub short: Option<String>,
    /// Other wordings sources print instead of the title, resolved to this item.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The meeting year, for items that belong to one (IGF subthemes).
    #[serde(default)]
    pub year: Option<i32>,
    /// language code → phrases
    #[serde(default)]
    pub lexicon: BTreeMap<String, Vec<String>>,
}

impl Item {
    /// "C5 Building confidence…", "SDG 16 Peace, Justice…", "GDC 3 Foster…".
    pub fn label(&self) -> String {
        let name = self.short.as_deref().unwrap_or(&self.title);
        format!("{} {}", self.code, name)
    }
}

/// A framework with its items, as loaded from the data files.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Framework {
    /// The framework id used in URLs and tags.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The document that defines it.
    pub source: String,
    /// Its items in file order.
    pub items: Vec<Item>,
}

impl Framework {
    /// The item with this code (ASCII case-insensitive).
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.code.eq_ignore_ascii_case(code))
    }
}

/// A UN regional group (`african`, `asia-pacific`, …).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionalGroup {
    /// Its id, as countries reference it.
    pub id: String,
    /// Its display name ("African Group").
    pub name: String,
    /// Other names sources use for it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A country with its codes, UN regional group and M49 region.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub iso2: String,
    /// ISO 3166-1 alpha-3 code.
    #[serde(default)]
    pub iso3: String,
    /// UN M49 numeric code, as a string with leading zeros (`012`).
    #[serde(default)]
    pub m49: String,
    /// Its short English name.
    pub name: String,
    /// Official and other-language names sources print.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The id of its UN regional group.
    pub un_regional_group: String,
    /// M49 region ("Africa").
    #[serde(default)]
    pub m49_region: String,
    /// M49 intermediate or sub-region ("Northern Africa").
    #[serde(default)]
    pub m49_subregion: String,
    /// Whether M49 lists it as a developing region.
    #[serde(default)]
    pub developing: bool,
    /// Whether it is a Least Developed Country.
    #[serde(default)]
    pub ldc: bool,
    /// Sources and caveats for the entry.
    #[serde(default)]
    pub notes: String,
}

/// A stakeholder group (`government`, `civil-society`, …).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StakeholderGroup {
    /// Its id, as tags and organisations reference it.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The labels pages and forms print for it, resolved to this group.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Who belongs to it.
    #[serde(default)]
    pub description: String,
}

/// An organisation known by name, aliases and mail domains.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Organization {
    /// Its id.
    pub id: String,
    /// Its full name.
    pub name: String,
    /// Acronyms and other names it goes by.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Registrable domains whose addresses belong to it.
    #[serde(default)]
    pub domains: Vec<String>,
    /// The id of its stakeholder group.
    #[serde(default)]
    pub stakeholder_group: String,
    /// ISO 3166-1 alpha-2 of its seat; empty for intergovernmental bodies.
    #[serde(default)]
    pub country: String,
    /// Its website.
    #[serde(default)]
    pub url: String,
    /// Sources and caveats for the entry.
    #[serde(default)]
    pub note: String,
}

/// A domain suffix that says something about its holders (`gov.uk`, `.int`, `ac.za`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DomainRule {
    /// The suffix, with or without a leading dot.
    pub suffix: String,
    /// The stakeholder group its holders belong to, when it says so.
    #[serde(default)]
    pub stakeholder_group: String,
    /// ISO 3166-1 alpha-2 of the country it says, when it says one.
    #[serde(default)]
    pub country: String,
    /// Why the rule holds.
    #[serde(default)]
    pub note: String,
}

/// One data file: any of its sections may be present.
#[derive(Deserialize, Default)]
struct DataFile {
    #[serde(default)]
    organization: Vec<Organization>,
    #[serde(default)]
    domain_rule: Vec<DomainRule>,
    #[serde(default)]
    personal_mail_domains: Vec<String>,
    framework: Option<FrameworkHead>,
    #[serde(default)]
    item: Vec<Item>,
    #[serde(default)]
    regional_group: Vec<RegionalGroup>,
    #[serde(default)]
    country: Vec<Country>,
    #[serde(default)]
    stakeholder_group: Vec<StakeholderGroup>,
}

/// Every framework, country, group and organisation, with folded lookups.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Frameworks {
    /// The frameworks (Action Lines, SDGs, GDC, topics, subthemes, and user-added ones).
    pub frameworks: Vec<Framework>,
    /// UN regional groups.
    pub regional_groups: Vec<RegionalGroup>,
    /// Countries.
    pub countries: Vec<Country>,
    /// Stakeholder groups.
    pub stakeholder_groups: Vec<StakeholderGroup>,
    /// Known organisations.
    pub organizations: Vec<Organization>,
    /// Domain suffixes that say something about their holders.
    pub domain_rules: Vec<DomainRule>,
    /// Free-mail domains, whose addresses say nothing about an affiliation.
    pub personal_mail_domains: Vec<String>,
    /// Folded labels for the lookups, rebuilt after loading.
    #[serde(skip)]
    index: FoldedIndex,
}

#[derive(Debug, Clone, Default)]
struct OrgNames {
    /// " folded name " when it has two words or more.
    padded: Option<String>,
    first: String,
    /// (alias as written, " folded alias " when multi-word, its first folded word)
    aliases: Vec<(String, Option<String>, String)>,
}

#[derive(Debug, Clone, Default)]
struct FoldedIndex {
    org_exact: HashMap<String, usize>,
    /// Lower-cased domain → the first organisation (in table order) holding it.
    org_domain: HashMap<String, usize>,
    /// Per organisation: its name and aliases for the in-text search.
    org_names: Vec<OrgNames>,
    /// The in-text search's candidates: organisations (ascending) with a multi-word
    /// name or alias whose first folded word is the key, and with an acronym (an alias
    /// of one word, 3 letters or more) written as the key. A signature line is looked
    /// up by its words instead of against every organisation (people resolution asks
    /// for every signature).
    org_by_first: HashMap<String, Vec<usize>>,
    org_by_acronym: HashMap<String, Vec<usize>>,
    country: HashMap<String, usize>,
    regional: HashMap<String, usize>,
    stakeholder: HashMap<String, usize>,
}

impl Frameworks {
    /// The frameworks shipped with Plenary.
    pub fn builtin() -> Result<Frameworks, FrameworkError> {
        let mut f = Frameworks::default();
        for (name, text) in BUILTIN {
            f.add_file(name, text)?;
        }
        f.reindex();
        Ok(f)
    }

    /// The shipped frameworks extended by every `*.toml` in `dir` (when it exists): items
    /// with a known code gain the file's aliases and phrases, new codes and frameworks are
    /// added, countries and groups with a known id are replaced.
    pub fn load(dir: Option<&Path>) -> Result<Frameworks, FrameworkError> {
        let mut f = Frameworks::builtin()?;
        let Some(dir) = dir else { return Ok(f) };
        if !dir.is_dir() {
            return Ok(f);
        }
        let io = |source| FrameworkError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for p in files {
            let text = std::fs::read_to_string(&p).map_err(|source| FrameworkError::Io {
                path: p.clone(),
                source,
            })?;
            f.add_file(&p.display().to_string(), &text)?;
        }
        f.reindex();
        Ok(f)
    }

    fn reindex(&mut self) {
        let mut ix = FoldedIndex::default();
        for (i, o) in self.organizations.iter().enumerate() {
            let name = fold_label(&o.name);
            ix.org_exact.entry(name.clone()).or_insert(i);
            for d in &o.domains {
                ix.org_domain.entry(d.trim().to_lowercase()).or_insert(i);
            }
            let mut aliases = Vec::new();
            let candidate = |map: &mut HashMap<String, Vec<usize>>, key: &str| {
                let v = map.entry(key.to_string()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            };
            for a in &o.aliases {
                let fa = fold_label(a);
                ix.org_exact.entry(fa.clone()).or_insert(i);
                let first = fa.split(' ').next().unwrap_or("").to_string();
                let padded = (fa.split(' ').count() >= 2).then(|| format!(" {fa} "));
                match padded {
                    Some(_) => candidate(&mut ix.org_by_first, &first),
                    None if a.chars().count() >= 3 => candidate(&mut ix.org_by_acronym, a),
                    None => {}
                }
                aliases.push((a.clone(), padded, first));
            }
            let padded = (name.split(' ').count() >= 2).then(|| format!(" {name} "));
            let first = name.split(' ').next().unwrap_or("").to_string();
            if padded.is_some() {
                candidate(&mut ix.org_by_first, &first);
            }
            ix.org_names.push(OrgNames {
                padded,
                first,
                aliases,
            });
        }
        for (i, c) in self.countries.iter().enumerate() {
            for k in std::iter::once(fold_label(&c.name))
                .chain(c.aliases.iter().map(|a| fold_label(a)))
                .chain([c.iso2.to_lowercase(), c.iso3.to_lowercase()])
            {
                if !k.is_empty() {
                    ix.country.entry(k).or_insert(i);
                }
            }
        }
        for (i, g) in self.regional_groups.iter().enumerate() {
            for k in std::iter::once(g.id.clone())
                .chain(std::iter::once(fold_label(&g.name)))
                .chain(g.aliases.iter().map(|a| fold_label(a)))
            {
                ix.regional.entry(k).or_insert(i);
            }
        }
        for (i, g) in self.stakeholder_groups.iter().enumerate() {
            for k in std::iter::once(g.id.clone())
                .chain(std::iter::once(fold_label(&g.name)))
                .chain(g.aliases.iter().map(|a| fold_label(a)))
            {
                ix.stakeholder.entry(k).or_insert(i);
            }
        }
        self.index = ix;
    }

    fn add_file(&mut self, file: &str, text: &str) -> Result<(), FrameworkError> {
        let data: DataFile = toml::from_str(text).map_err(|e| FrameworkError::Invalid {
            file: file.to_string(),
            reason: e.to_string(),
        })?;
        if !data.item.is_empty() && data.framework.is_none() {
            return Err(FrameworkError::Invalid {
                file: file.to_string(),
                reason: "items without a [framework] section naming their framework".into(),
            });
        }
        if let Some(head) = data.framework {
            let fw = match self.frameworks.iter().position(|f| f.id == head.id) {
                Some(i) => &mut self.frameworks[i],
                None => {
                    self.frameworks.push(Framework {
                        id: head.id.clone(),
                        name: head.name.clone(),
                        source: head.source.clone(),
                        items: Vec::new(),
                    });
                    let last = self.frameworks.len() - 1;
                    &mut self.frameworks[last]
                }
            };
            for item in data.item {
                if item.code.trim().is_empty() {
                    return Err(FrameworkError::Invalid {
                        file: file.to_string(),
                        reason: format!("an item of {} has an empty code", head.id),
                    });
                }
                match fw.items.iter_mut().find(|i| i.code == item.code) {
                    Some(existing) => {
                        existing.aliases.extend(item.aliases);
                        for (lang, phrases) in item.lexicon {
                            existing.lexicon.entry(lang).or_default().extend(phrases);
                        }
                    }
                    None => fw.items.push(item),
                }
            }
        }
        for g in data.regional_group {
            self.regional_groups.retain(|x| x.id != g.id);
            self.regional_groups.push(g);
        }
        for c in data.country {
            self.countries.retain(|x| x.iso2 != c.iso2);
            self.countries.push(c);
        }
        for g in data.stakeholder_group {
            self.stakeholder_groups.retain(|x| x.id != g.id);
            self.stakeholder_groups.push(g);
        }
        for o in data.organization {
            self.organizations.retain(|x| x.id != o.id);
            self.organizations.push(o);
        }
        for r in data.domain_rule {
            self.domain_rules.retain(|x| x.suffix != r.suffix);
            self.domain_rules.push(r);
        }
        for d in data.personal_mail_domains {
            let d = d.trim().to_lowercase();
            if !self.personal_mail_domains.contains(&d) {
                self.personal_mail_domains.push(d);
            }
        }
        Ok(())
    }

    /// The framework with this id.
    pub fn get(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    /// The item `code` of the framework `framework`.
    pub fn item(&self, framework: &str, code: &str) -> Option<&Item> {
        self.get(framework)?.item(code)
    }

    /// The item of `framework` whose title, short name or an alias is `label`
    /// (accent- and case-insensitive, whitespace-normalised).
    pub fn item_by_label(&self, framework: &str, label: &str) -> Option<&Item> {
        let want = fold_label(label);
        self.get(framework)?.items.iter().find(|i| {
            fold_label(&i.title) == want
                || i.short.as_deref().is_some_and(|s| fold_label(s) == want)
                || i.aliases.iter().any(|a| fold_label(a) == want)
                || fold_label(&i.code) == want
        })
    }

    /// An Action Line's code from a label as agenda pages print it: "C5. Building
    /// confidence…", "С1" with a Cyrillic С, "C7. ICT applications: E-health" (→ C7.4),
    /// "AL C11", or the bare title.
    pub fn action_line_code(&self, label: &str) -> Option<String> {
        let t: String = label
            .trim()
            .trim_start_matches(['-', '•', '*', ' '])
            .chars()
            .map(|c| match c {
                'С' | 'с' => 'C', // Cyrillic Es, as some WSIS pages print it
                c => c,
            })
            .collect();
        let t = t
            .trim_start_matches("AL ")
            .trim_start_matches("Action Line ");
        let fw = self.get(ACTION_LINES)?;
        if let Some(rest) = t.strip_prefix(['C', 'c']) {
            let code: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let code = code.trim_end_matches('.');
            if !code.is_empty() && code.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                let code = format!("C{code}");
                if code == "C7" {
                    // a sub-line named after the code: "C7. ICT applications: E-health"
                    let folded = fold(t);
                    for i in fw
                        .items
                        .iter()
                        .filter(|i| i.parent.as_deref() == Some("C7"))
                    {
                        let names = std::iter::once(&i.title)
                            .chain(i.short.iter())
                            .chain(i.aliases.iter());
                        for n in names {
                            let n = fold(n);
                            if n.len() > 3 && folded.contains(&n) {
                                return Some(i.code.clone());
                            }
                        }
                    }
                }
                if fw.item(&code).is_some() {
                    return Some(code);
                }
            }
        }
        self.item_by_label(ACTION_LINES, t).map(|i| i.code.clone())
    }

    /// A topic's code (slug) from its label, or None when the vocabulary does not hold it.
    pub fn topic_code(&self, label: &str) -> Option<String> {
        self.item_by_label(TOPICS, label).map(|i| i.code.clone())
    }

    /// A country by ISO code, name or alias.
    pub fn country(&self, key: &str) -> Option<&Country> {
        let t = key.trim();
        // codes only as codes: "PT", "PRT" (not the word "to" or "can")
        let code = (t.len() == 2 || t.len() == 3) && t.chars().all(|c| c.is_ascii_uppercase());
        let k = if code {
            t.to_lowercase()
        } else {
            fold_label(t)
        };
        if !code && (k.len() <= 3) {
            return None;
        }
        self.index.country.get(&k).map(|&i| &self.countries[i])
    }

    /// A UN regional group by id or any label variant ("WEOG", "Asia-Pacific Group").
    pub fn regional_group(&self, label: &str) -> Option<&RegionalGroup> {
        let k = label.trim();
        self.index
            .regional
            .get(k)
            .or_else(|| self.index.regional.get(&fold_label(k)))
            .map(|&i| &self.regional_groups[i])
    }

    /// A stakeholder group by id or any label variant ("Civil Society", "Sociedad civil").
    pub fn stakeholder_group(&self, label: &str) -> Option<&StakeholderGroup> {
        let k = label.trim();
        self.index
            .stakeholder
            .get(k)
            .or_else(|| self.index.stakeholder.get(&fold_label(k)))
            .map(|&i| &self.stakeholder_groups[i])
    }
}

impl Frameworks {
    /// The organisation holding `domain` (a registrable domain or a host below one).
    pub fn organization_by_domain(&self, domain: &str) -> Option<&Organization> {
        // the host and each parent domain ("mail.apc.org", "apc.org", "org"); the
        // first organisation in table order among those holding one of them
        let d = domain.trim().to_lowercase();
        let mut best: Option<usize> = None;
        let mut rest = d.as_str();
        loop {
            if let Some(&i) = self.index.org_domain.get(rest) {
                best = Some(best.map_or(i, |b| b.min(i)));
            }
            match rest.split_once('.') {
                Some((_, parent)) if !parent.is_empty() => rest = parent,
                _ => break,
            }
        }
        best.map(|i| &self.organizations[i])
    }

    /// The organisation whose name or an alias is `name` (folded), or, for longer text
    /// such as a signature line, contains it as whole words (names of 2 words or more,
    /// aliases of 3 letters or more in their written case).
    pub fn organization_by_name(&self, text: &str) -> Option<&Organization> {
        let want = fold_label(text);
        if want.is_empty() {
            return None;
        }
        if let Some(&i) = self.index.org_exact.get(&want) {
            return Some(&self.organizations[i]);
        }
        let padded = format!(" {want} ");
        let folded_words: std::collections::HashSet<&str> = want.split(' ').collect();
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .collect();
        // only organisations one of the words can name (see `org_by_first`), in table
        // order as a scan of every organisation would meet them
        let mut candidates: Vec<usize> = folded_words
            .iter()
            .filter_map(|w| self.index.org_by_first.get(*w))
            .chain(
                words
                    .iter()
                    .filter_map(|w| self.index.org_by_acronym.get(*w)),
            )
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|i| self.index.org_names.get(i).map(|o| (i, o)))
            .filter(|(_, o)| {
                o.padded.as_ref().is_some_and(|p| {
                    folded_words.contains(o.first.as_str()) && padded.contains(p.as_str())
                }) || o.aliases.iter().any(|(a, p, first)| match p {
                    Some(p) => folded_words.contains(first.as_str()) && padded.contains(p.as_str()),
                    // acronyms match only as written ("APC", "FCT-FCCN")
                    None => a.chars().count() >= 3 && words.iter().any(|w| w == a),
                })
            })
            .map(|(i, _)| &self.organizations[i])
            .max_by_key(|o| o.name.len())
    }

    /// The most specific domain rule for `domain`.
    pub fn domain_rule(&self, domain: &str) -> Option<&DomainRule> {
        let d = domain.trim().to_lowercase();
        self.domain_rules
            .iter()
            .filter(|r| {
                let s = r.suffix.trim_start_matches('.');
                d == s || d.ends_with(&format!(".{s}"))
            })
            .max_by_key(|r| r.suffix.trim_start_matches('.').len())
    }

    /// Whether `domain` is a free-mail provider (lower-case comparison).
    pub fn is_personal_mail(&self, domain: &str) -> bool {
        let d = domain.trim().to_lowercase();
        self.personal_mail_domains.contains(&d)
    }
}

/// Labels compared loosely: [`fold`]ed, punctuation dropped, whitespace collapsed (a
/// comparison key built on `fold`, not a second folding).
fn fold_label(s: &str) -> String {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
