//! One identity per person across archived messages, quoted messages and agenda
//! speakers: union-find over observations (a name form and/or an address), with every
//! merge recorded with its reason. List addresses are never identity keys.
//!
//! Hand-written: record-linkage crates (e.g. for census data) neither know mail's
//! conventions (`Last, First (ORG)`, `Name via List`, `user at host`, `+tags`,
//! addresses listed together in a signature) nor keep a reason per merge.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::curated::Curated;
use crate::fold;
use crate::names::full_name_key;
pub use crate::names::name_tokens;

/// Where an observation of a person comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// The author of an archived message.
    Message { id: String, list: String },
    /// The attribution of a quoted message inside archived message `source`.
    Quote { source: String, list: String },
    /// A speaker of a session, with what the agenda says about them (boxed: the
    /// observations of messages are the many, and an inline speaker made each of them
    /// 90 bytes larger).
    Speaker(Box<Speaker>),
    /// A From string given on its own (evaluation inputs).
    Plain { label: String },
}

/// A session's speaker as the agenda describes them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    pub session: String,
    pub role: Option<String>,
    pub organization: Option<String>,
    pub position: Option<String>,
    /// Declared on the page (IGF), not inferred.
    pub stakeholder_group: Option<String>,
    pub regional_group: Option<String>,
}

/// One sighting of a person: a name form, an address, or both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub name: Option<String>,
    pub address: Option<String>,
    /// Seconds since the epoch, when known.
    pub date: Option<i64>,
    /// The signature block under the person's own text, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    pub source: Source,
}

/// Why two observations were joined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merge {
    pub a: String,
    pub b: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    /// Stable: derived from the person's smallest identity key.
    pub id: String,
    /// The most used full name (two words or more when there is one).
    pub name: String,
    /// Name forms seen, most used first, with counts.
    pub names: Vec<(String, usize)>,
    pub addresses: Vec<String>,
    pub merges: Vec<Merge>,
    /// Indexes into the observations given to [`resolve`].
    pub observations: Vec<usize>,
}

pub struct Resolution {
    pub people: Vec<Identity>,
    /// For each observation, the index of its person in `people`.
    pub person_of: Vec<usize>,
}

// ---------------------------------------------------------------- normalising

/// `Tyrion+hand@Lanister.NET` → `tyrion@lanister.net`; `user at host` undone; trailing
/// punctuation and `mailto:` dropped. None when it is not an address.
pub fn normalize_address(a: &str) -> Option<String> {
    let a = a.trim().trim_start_matches("mailto:");
    let a = a.replace(" at ", "@");
    let a = a
        .trim_matches(|c: char| c == '<' || c == '>' || c == '"' || c == '\'' || c.is_whitespace())
        .to_lowercase();
    let (local, domain) = a.split_once('@')?;
    if local.is_empty() || domain.is_empty() || domain.contains('@') || local.contains(' ') {
        return None;
    }
    let local = local.split('+').next().unwrap_or(local);
    Some(format!("{local}@{domain}"))
}

/// The list's own posting address (`twisted-web@twistedmatrix.com` on list
/// `twisted-web`): pipermail's text archives print it as the From of messages whose
/// author hid their address, with the author's name beside it. Each list's obfuscated
/// name is worked out once.
#[derive(Default)]
struct PostingAddresses {
    mapped: std::cell::RefCell<HashMap<String, String>>,
}

impl PostingAddresses {
    /// Whether `a` is the posting address of the list `source` is from.
    fn is(&self, a: &str, source: &Source) -> bool {
        let list = match source {
            Source::Message { list, .. } | Source::Quote { list, .. } => list,
            _ => return false,
        };
        let local = a.split('@').next().unwrap_or("");
        if list.is_empty() {
            return false;
        }
        if local.eq_ignore_ascii_case(list) {
            return true;
        }
        // obfuscated: compare the list's name through the same map
        let mut cache = self.mapped.borrow_mut();
        // looked up before inserting: a list's name is cloned once, not per sighting
        if !cache.contains_key(list.as_str()) {
            let m = obfuscated_key(&format!("{list}@x"))
                .map(|k| k[2..].trim_end_matches("@x").to_string())
                .unwrap_or_default();
            cache.insert(list.clone(), m);
        }
        let Some(mapped) = cache.get(list.as_str()) else {
            return false;
        };
        !mapped.is_empty()
            && a.len() > mapped.len()
            && a.starts_with(mapped.as_str())
            && a.as_bytes().get(mapped.len()) == Some(&b'@')
    }
}

/// Addresses more than one person writes from, which are no evidence of identity.
pub struct SharedAddresses {
    /// Addresses whose From lines carry three or more unrelated full names (no name
    /// word in common), or two used alike: a list's, a gateway's or a shared
    /// mailbox's. Pipermail's text archives print the list's own address as the From
    /// of many messages, each with its real author's name: joining through it made
    /// one "person" of 70.
    pub shared: HashSet<String>,
    /// (address, name key) of a name seen once on an address another name uses
    /// often (a forged sender, a company name in the display name): that sighting
    /// does not join the address's owner.
    pub minor: HashSet<(String, String)>,
}

/// Reads only the From lines of archived messages: attributions in quotes are too
/// often misread ("het volgende geschreven") to say who writes from an address.
pub fn shared_addresses(obs: &[Observation]) -> SharedAddresses {
    let names: Vec<Option<String>> = obs
        .iter()
        .map(|o| o.name.as_deref().and_then(normalize_name))
        .collect();
    shared_addresses_named(obs, &names)
}

/// [`shared_addresses`], given each observation's normalised name.
fn shared_addresses_named(obs: &[Observation], names: &[Option<String>]) -> SharedAddresses {
    let mut names_of: HashMap<String, BTreeMap<Vec<String>, usize>> = HashMap::new();
    // an address's key and a name's sorted tokens, worked out once per distinct form
    let mut keys: HashMap<&str, Option<String>> = HashMap::new();
    // (tokens before dedup, sorted distinct tokens)
    let mut tokens: HashMap<&str, (usize, Vec<String>)> = HashMap::new();
    for (o, n) in obs.iter().zip(names) {
        if !matches!(o.source, Source::Message { .. }) {
            continue;
        }
        let Some(n) = n else {
            continue;
        };
        let Some(raw) = o.address.as_deref() else {
            continue;
        };
        let Some(a) = keys.entry(raw).or_insert_with(|| address_key(raw)).clone() else {
            continue;
        };
        let (written, t) = tokens.entry(n.as_str()).or_insert_with(|| {
            let mut t = name_tokens(n);
            let written = t.len();
            t.sort();
            t.dedup();
            (written, t)
        });
        if *written < 2 {
            continue;
        }
        *names_of.entry(a).or_default().entry(t.clone()).or_default() += 1;
    }
    let mut out = SharedAddresses {
        shared: HashSet::new(),
        minor: HashSet::new(),
    };
    for (a, names) in names_of {
        if names.len() < 2 {
            continue;
        }
        // clusters of names linked by a shared word
        let names: Vec<(&Vec<String>, usize)> = names.iter().map(|(k, n)| (k, *n)).collect();
        let mut dsu = Dsu {
            parent: (0..names.len()).collect(),
        };
        for i in 0..names.len() {
            for j in i + 1..names.len() {
                // a shared word, or one name in two spellings ("Jarosław"/"Yaroslav")
                if names[i].0.iter().any(|w| {
                    names[j]
                        .0
                        .iter()
                        .any(|x| x == w || crate::names::sound_alike(w, x))
                }) {
                    dsu.union(i, j);
                }
            }
        }
        let mut sizes: HashMap<usize, usize> = HashMap::new();
        for (i, (_, n)) in names.iter().enumerate() {
            *sizes.entry(dsu.find(i)).or_default() += n;
        }
        match sizes.len() {
            1 => {}
            2 => {
                let mut v: Vec<(usize, usize)> = sizes.into_iter().collect();
                v.sort_by_key(|x| x.1);
                let (small, big) = (v[0], v[1]);
                if small.1 == 1 && big.1 >= 3 {
                    for (i, (k, _)) in names.iter().enumerate() {
                        if dsu.find(i) == small.0 {
                            out.minor.insert((a.clone(), k.join(" ")));
                        }
                    }
                } else {
                    out.shared.insert(a);
                }
            }
            _ => {
                out.shared.insert(a);
            }
        }
    }
    out
}

/// The identity key of an address as an archive wrote it: the normalised address, or
/// for an address the archive obfuscated beyond reading (R's pipermail since 2018
/// writes `murdoch.duncan@gmail.com` as `murdoch@dunc@n @end|ng |rom gm@||@com`, and
/// earlier as `murdoch@dunc@n @ending from gm@il@com`) its [`obfuscated_key`], which
/// is the same for every form of one address. None when it is neither.
pub fn address_key(raw: &str) -> Option<String> {
    let t = raw.trim().to_lowercase();
    if t.contains('|') || t.contains(" @end") || t.contains(" m@i") || t.matches('@').count() > 1 {
        return obfuscated_key(&t);
    }
    normalize_address(raw)
}

/// The lossy maps R's pipermail applied over the years (`a s .` → `@`, `i l f` → `|`,
/// ` at ` → ` @end|ng |rom `; in other years also `n` → `@` and ` at ` → ` m@ili@g off `,
/// or `l` → `i`), applied at their coarsest to any form of an address: every form of
/// one address gives one key (`x:` + the mapped text), whichever year wrote it. Two
/// different addresses can share a key (`jan@x.org`, `jas@x.org`), so a key joins a
/// clear address only when an obfuscated form was seen and no other clear address
/// has that key. None without an `@`-separated host.
pub fn obfuscated_key(raw: &str) -> Option<String> {
    let t = raw.trim().to_lowercase();
    let t = t.trim_matches(|c: char| c == '<' || c == '>' || c.is_whitespace());
    let mapped: String = t
        .chars()
        .map(|c| match c {
            'a' | 's' | 'n' | '.' => '@',
            'i' | 'l' | 'f' | '|' => 'i',
            c => c,
        })
        .collect();
    // the separators, as the map leaves them: " @end|ng |rom ", " @ending from ",
    // " m@ili@g off ", " at "
    let mut t = mapped;
    for sep in [" @e@di@g irom ", " m@iii@g oii ", " @t "] {
        t = t.replace(sep, "@");
    }
    if t.is_empty() || !t.contains('@') || t.chars().any(char::is_whitespace) {
        return None;
    }
    Some(format!("x:{t}"))
}

/// pipermail cuts long addresses: `catelyn@stark.winterfell....`.
fn truncated(a: &str) -> bool {
    a.ends_with("...")
}

const HONORIFICS: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "ms",
    "mrs",
    "miss",
    "mx",
    "sir",
    "dame",
    "he",
    "h e",
    "amb",
    "ambassador",
    "hon",
    "eng",
    "ing",
    "rev",
    "excellency",
];

/// Words a misread attribution leaves where a name should be ("On Tue, … wrote").
const NOT_NAMES: &[&str] = &[
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "you",
    "he",
    "she",
    "they",
    "someone",
    "somebody",
    "wrote",
    "writes",
    "unknown",
    "anonymous",
];

/// "Blaker, Paul (DSIT)" → "Paul Blaker"; "Dr. Peter Major" → "Peter Major";
/// "Ana Neves via WG-Strategy" → "Ana Neves"; quotes and `"Blackfish"` nicknames dropped.
/// None when what is left is an address or empty.
pub fn normalize_name(n: &str) -> Option<String> {
    let mut n = n.trim().trim_matches('"').trim().to_string();
    if let Some(i) = n.rfind(" via ") {
        n.truncate(i);
    }
    // "Valentino Volonghi aka Dialtone": the nickname is not part of the name
    if let Some(i) = n.to_lowercase().find(" aka ") {
        n.truncate(i);
    }
    // "Andrew Bennetts <andrew": an address cut off after the name
    if let Some(i) = n.find('<') {
        n.truncate(i);
    }
    // parentheticals and quoted nicknames
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_quote = false;
    for c in n.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '"' | '“' | '”' => in_quote = !in_quote,
            _ if depth == 0 && !in_quote => out.push(c),
            _ => {}
        }
    }
    let mut n = out.trim().trim_end_matches(',').trim().to_string();
    if n.contains('@') || looks_like_address(&n) || looks_like_host(&n) {
        return None;
    }
    // "Last, First" (one comma, no more than 3 words each side)
    if let Some((last, first)) = n.split_once(',') {
        let (l, f) = (last.trim(), first.trim());
        if !l.is_empty() && !f.is_empty() && !f.contains(',') && l.split_whitespace().count() <= 3 {
            n = format!("{f} {l}");
        } else {
            // "Tyrion Lannister, Hand of the King": keep the name part
            n = l.to_string();
        }
    }
    // pipermail writes letters and spaces it cannot encode as `?`; quote markers and
    // an attribution's first word come along when a wrapped attribution is cut
    // (`? ? >>>> On`, `Simon Urbanek ? ? ?On`): words without a
    // letter are none of the name, nor is a trailing "On"/"Den"/"Le" there
    let mut words: Vec<&str> = n
        .split_whitespace()
        // `?car` is "Úcar": a `?` at a word's start may be a letter
        .map(|w| w.trim_start_matches('>'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    const INTROS: &[&str] = &["on", "den", "le", "am", "el", "il", "em", "op", "w"];
    // only in a cut attribution: "Thanh Le" keeps its family name
    let cut = n.contains(['?', '>']);
    while cut
        && words
            .last()
            .is_some_and(|w| INTROS.contains(&w.trim_start_matches('?').to_lowercase().as_str()))
    {
        words.pop();
    }
    let mut start = 0;
    while start < words.len() {
        let w = fold(words[start].trim_end_matches('.')).replace('.', " ");
        if HONORIFICS.contains(&w.trim()) && words.len() - start > 1 {
            start += 1;
        } else {
            break;
        }
    }
    let n = words[start..].join(" ");
    let n = n.trim().to_string();
    if NOT_NAMES.contains(&fold(&n).trim_end_matches(['.', ',']).trim()) {
        return None;
    }
    (!n.is_empty() && n.chars().any(char::is_alphabetic)).then_some(n)
}

/// `user at host.org`, as pipermail writes an address (a display name that is the
/// bare address is no name).
fn looks_like_address(n: &str) -> bool {
    let w: Vec<&str> = n.split_whitespace().collect();
    w.len() == 3 && w[1].eq_ignore_ascii_case("at") && w[2].contains('.') && !w[2].ends_with('.')
}

/// `Mobilisera.com`, `www.example.org`: a host name written where the name goes (a
/// company's web address, or the mail host) is no person's name. One word with a dot
/// and a public suffix the Public Suffix List knows.
fn looks_like_host(n: &str) -> bool {
    let n = n.trim().trim_end_matches('.');
    if n.split_whitespace().count() != 1 || !n.contains('.') || n.starts_with('.') {
        return false;
    }
    let lower = n.to_lowercase();
    lower
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && psl::suffix(lower.as_bytes()).is_some_and(|s| s.is_known())
}

/// Ways an address's local part spells a name ("tyrion.lannister", "ariastark",
/// "jmormont", "snow.john"). How an address local part may spell a name, best first: all the name's
/// words (rank 0), first and last (1), initial and last (2).
fn spellings(tokens: &[String]) -> Vec<(String, u8)> {
    if tokens.len() < 2 {
        return Vec::new();
    }
    let first = &tokens[0];
    let last = &tokens[tokens.len() - 1];
    let initial: String = first.chars().take(1).collect();
    let mut out: Vec<(String, u8)> = Vec::new();
    // A longer name is spelled whole: "sergey.popov" may be Sergey Popov or
    // Sergey Sokolov Popov, and nothing in the address says which.
    let rest: String = tokens[1..].concat();
    let candidates = if tokens.len() == 2 {
        vec![
            (tokens.concat(), 0),
            (format!("{last}{first}"), 1),
            (format!("{initial}{last}"), 2),
        ]
    } else {
        vec![(tokens.concat(), 0), (format!("{initial}{rest}"), 2)]
    };
    for (s, rank) in candidates {
        if !out.iter().any(|(x, _)| *x == s) {
            out.push((s, rank));
        }
    }
    out
}

/// Letters and digits only, folded: "R-package-devel" → "rpackagedevel".
fn letters_of(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn local_letters(addr: &str) -> String {
    addr.split('@')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect()
}

/// The addresses written in a signature ("anriette at apc.org//anriette at gmail.com").
pub fn signature_addresses(sig: &str) -> Vec<String> {
    let s = sig.replace(" at ", "@");
    let mut out = Vec::new();
    for raw in s.split(|c: char| c.is_whitespace() || "<>()[];,/|\"'".contains(c)) {
        let t = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if t.contains('@') && t.contains('.') {
            if let Some(a) = normalize_address(t) {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
    }
    out
}

/// Other addresses of the author's, listed with `author` on one line of a signature
/// ("anriette at apc.org//anriette at gmail.com"). Only the same mailbox name (or one
/// inside the other) counts: a quoted header block (`From: … To: …`), a garbled
/// `mailto:` or a colleague's address beside one's own are other people's.
pub fn own_addresses_listed(sig: &str, author: &str) -> Vec<String> {
    let mine = local_letters(author);
    let mut out = Vec::new();
    for line in sig.lines() {
        let l = line.to_lowercase();
        if l.contains("mailto:")
            || [
                "from:", "to:", "cc:", "sent:", "date:", "von:", "an:", "de:", "para:",
            ]
            .iter()
            .any(|h| l.contains(h))
        {
            continue;
        }
        let listed = signature_addresses(line);
        if !listed.iter().any(|x| x == author) {
            continue;
        }
        for other in listed.into_iter().filter(|x| x != author) {
            let theirs = local_letters(&other);
            let related = theirs.chars().count() >= 4
                && mine.chars().count() >= 4
                && (theirs.contains(&mine) || mine.contains(&theirs));
            if related && !out.contains(&other) {
                out.push(other);
            }
        }
    }
    out
}

/// A line that is a name and nothing else: capitalised words of letters (and `.-'`),
/// or the particles of names ("das", "van", "bin"); no address, title or number.
fn name_line(t: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "e", "el", "la", "le",
        "van", "von", "y", "bin", "bint", "al", "ibn", "ter", "ten", "zu",
    ];
    t.split_whitespace().all(|w| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
            && (w.chars().next().is_some_and(char::is_uppercase) || PARTICLES.contains(&w))
    }) && !t.split_whitespace().any(|w| w.eq_ignore_ascii_case("at"))
}

/// Name lines of a signature that extend the author's name ("Ana" / "Ana Neves" →
/// "Ana Cristina F. Amoroso das Neves"): all of the author's tokens, first first.
pub fn signature_names(sig: &str, author_tokens: &[String]) -> Vec<String> {
    if author_tokens.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for line in sig.lines().take(8) {
        let t = line.trim().trim_matches(|c: char| {
            c == '*' || c == '/' || c == '_' || c == '>' || c.is_whitespace()
        });
        let words = t.split_whitespace().count();
        if !(2..=7).contains(&words) || !name_line(t) {
            continue;
        }
        let toks = name_tokens(t);
        if toks.first() == author_tokens.first()
            && author_tokens.iter().all(|a| toks.contains(a))
            && toks.len() >= author_tokens.len()
        {
            if let Some(n) = normalize_name(t) {
                out.push(n);
            }
        }
    }
    out
}

// ---------------------------------------------------------------- union-find

struct Dsu {
    parent: Vec<usize>,
}

impl Dsu {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.parent[r] != r {
            r = self.parent[r];
        }
        let mut c = x;
        while self.parent[c] != r {
            let n = self.parent[c];
            self.parent[c] = r;
            c = n;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[hi] = lo;
        true
    }
}

/// Nodes are identity keys: `a:ADDRESS` or `n:NAME KEY`, plus one node per observation
/// without either.
struct Graph {
    index: HashMap<String, usize>,
    keys: Vec<String>,
    dsu: Dsu,
    merges: Vec<(usize, usize, String)>,
    /// keys that must not join anything (curated splits)
    blocked: HashSet<String>,
}

impl Graph {
    fn node(&mut self, key: &str) -> usize {
        if let Some(&i) = self.index.get(key) {
            return i;
        }
        let i = self.keys.len();
        self.keys.push(key.to_string());
        self.index.insert(key.to_string(), i);
        self.dsu.parent.push(i);
        i
    }
    /// Joins observation node `x` (nodes 0..n are the observations) with key `b`.
    /// Joins node `x` and key `b`; the reason is written only when they were apart.
    fn join_node(&mut self, x: usize, b: &str, reason: impl FnOnce() -> String) {
        if self.blocked.contains(b) {
            return;
        }
        let y = self.node(b);
        if self.dsu.union(x, y) {
            self.merges.push((x, y, reason()));
        }
    }
    /// Joins keys `a` and `b`; the reason is written only when they were apart.
    fn join(&mut self, a: &str, b: &str, reason: impl FnOnce() -> String) {
        if a == b || self.blocked.contains(a) || self.blocked.contains(b) {
            return;
        }
        let (x, y) = (self.node(a), self.node(b));
        if self.dsu.union(x, y) {
            self.merges.push((x, y, reason()));
        }
    }
}

/// Why a sighting joins a name. Written out only where it decides a merge: a
/// resolution holds one for every named sighting, and most are never read (as text
/// they were an eighth of resolution's memory).
#[derive(Debug, Clone)]
enum NameWhy {
    /// “same name “NAME” (WHERE)”, for the observation at this position.
    SameName(usize),
    Text(String),
    /// The reason, and the familiar form the name was written in (“Bill” for
    /// “William”).
    Familiar(Box<NameWhy>, String),
}

impl NameWhy {
    fn text(&self, obs: &[Observation]) -> String {
        match self {
            NameWhy::SameName(i) => match obs.get(*i) {
                Some(o) => format!(
                    "same name “{}” ({})",
                    o.name
                        .as_deref()
                        .and_then(normalize_name)
                        .unwrap_or_default(),
                    describe(o)
                ),
                None => String::new(),
            },
            NameWhy::Text(t) => t.clone(),
            NameWhy::Familiar(reason, familiar) => format!(
                "{}, a familiar form of the name ({familiar})",
                reason.text(obs)
            ),
        }
    }
}

fn describe(o: &Observation) -> String {
    match &o.source {
        Source::Message { id, .. } => format!("message {id}"),
        Source::Quote { source, .. } => format!("a quote in message {source}"),
        Source::Speaker(sp) => format!("speaker of session {}", sp.session),
        Source::Plain { label } => label.clone(),
    }
}

/// Resolves observations into people. `list_addresses` are never identity keys (Mailman
/// rewrites From to them); `curated` merges and splits override inference.
///
/// Addresses, signatures and curation join sightings outright. Names join them more
/// carefully: two groups that share a name are one person unless both have addresses at
/// organisations (by address, or named in their signatures; see [`OrgKeys`]) and those
/// differ — two
/// Christopher Williamses at two organisations stay two people, and a sighting that could
/// belong to either stays apart.
pub fn resolve(
    obs: &[Observation],
    list_addresses: &HashSet<String>,
    orgs: &dyn OrgKeys,
    curated: &Curated,
) -> Resolution {
    let posting = PostingAddresses::default();
    // nodes 0..n are the observations (no key string); keys come after
    let mut g = Graph {
        index: HashMap::new(),
        keys: vec![String::new(); obs.len()],
        dsu: Dsu {
            parent: (0..obs.len()).collect(),
        },
        merges: Vec::new(),
        blocked: curated.splits.iter().map(|s| key_of(s)).collect(),
    };
    // each observation's name and address, normalised once per distinct form (an
    // author's observations of many months repeat one)
    let names_of: Vec<Option<String>> = {
        let mut memo: HashMap<&str, Option<String>> = HashMap::new();
        obs.iter()
            .map(|o| {
                o.name
                    .as_deref()
                    .and_then(|n| memo.entry(n).or_insert_with(|| normalize_name(n)).clone())
            })
            .collect()
    };
    let SharedAddresses { shared, minor } = shared_addresses_named(obs, &names_of);
    let addresses_of: Vec<Option<String>> = {
        let mut memo: HashMap<&str, Option<String>> = HashMap::new();
        obs.iter()
            .map(|o| {
                o.address.as_deref().and_then(|a| {
                    memo.entry(a)
                        .or_insert_with(|| normalize_address(a))
                        .clone()
                })
            })
            .collect()
    };
    // the name key of a sighting, as `minor` holds it
    // (worked out once per distinct name)
    let minor_memo: std::cell::RefCell<HashMap<&str, String>> = Default::default();
    let minor_key = |i: usize| {
        let n = names_of[i].as_deref()?;
        let mut memo = minor_memo.borrow_mut();
        Some(
            memo.entry(n)
                .or_insert_with(|| {
                    let mut t = name_tokens(n);
                    t.sort();
                    t.dedup();
                    t.join(" ")
                })
                .clone(),
        )
    };
    let list_locals: HashSet<String> = list_addresses
        .iter()
        .map(|a| letters_of(a.split('@').next().unwrap_or("")))
        .filter(|l| !l.is_empty())
        .collect();
    let is_list = |a: &str| {
        list_addresses.contains(a)
            || shared.contains(a)
            || a.contains("-bounces")
            || a.contains("-request@")
            || a.contains("-owner@")
            || a.starts_with("mailman@")
            || a.starts_with("noreply")
            || a.starts_with("no-reply")
    };
    // full addresses known, for truncated ones
    let full: Vec<String> = addresses_of
        .iter()
        .filter_map(|a| a.as_ref().cloned())
        .filter(|a| !truncated(a))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut obs_node: Vec<usize> = Vec::with_capacity(obs.len());
    // an obfuscated key's first form as the archive wrote it, for reasons
    let mut written_as: HashMap<String, String> = HashMap::new();
    // (observation, fuller name signed under it)
    let mut signed: Vec<(usize, String)> = Vec::new();
    // (node, name key, reason): joins by name, decided after the outright ones
    let mut weak: Vec<(usize, String, NameWhy)> = Vec::new();
    // spellings of names, for address local parts: (rank, name key) per spelling
    let mut spelled: HashMap<String, Vec<(u8, String)>> = HashMap::new();
    let mut names_spelled: HashSet<&str> = HashSet::new();
    // Observations of one person repeat a name, a signature and an address month after
    // month: what each gives is worked out once.
    let mut full_keys: HashMap<String, Option<String>> = HashMap::new();
    let mut listed_memo: HashMap<(&str, String), Vec<String>> = HashMap::new();
    let mut signed_memo: HashMap<(&str, String), Vec<String>> = HashMap::new();
    for (i, o) in obs.iter().enumerate() {
        obs_node.push(i);
        let addr = addresses_of[i]
            .clone()
            .filter(|a| !is_list(a) && !posting.is(a, &o.source))
            .filter(|a| {
                minor.is_empty() || minor_key(i).is_none_or(|k| !minor.contains(&(a.clone(), k)))
            })
            .map(|a| {
                if truncated(&a) {
                    let prefix = a.trim_end_matches('.');
                    let mut m = full.iter().filter(|f| f.starts_with(prefix));
                    match (m.next(), m.next()) {
                        (Some(one), None) => one.clone(),
                        _ => a,
                    }
                } else {
                    a
                }
            });
        // "R-package-devel <r-package-devel@…>": a list's name is nobody's
        let name = names_of[i]
            .clone()
            .filter(|n| !list_locals.contains(&letters_of(n)));
        let what = || describe(o);
        if let Some(a) = &addr {
            g.join_node(i, &format!("a:{a}"), || {
                format!("same address {a} ({})", what())
            });
        }
        // an address the archive obfuscated beyond reading is still one address
        if let Some(raw) = o.address.as_deref().filter(|_| addr.is_none()) {
            if let Some(k) = address_key(raw).filter(|k| {
                k.starts_with("x:") && !shared.contains(k) && !posting.is(&k[2..], &o.source)
            }) {
                written_as
                    .entry(k.clone())
                    .or_insert_with(|| raw.trim().to_string());
                g.join_node(i, &k, || {
                    format!("same address, written {} ({})", raw.trim(), what())
                });
            }
        }
        let key = name.as_deref().and_then(|n| {
            full_keys
                .entry(n.to_string())
                .or_insert_with(|| full_name_key(n))
                .clone()
        });
        if let Some(k) = key {
            weak.push((i, k.clone(), NameWhy::SameName(i)));
            // a name's spellings are recorded at its first sighting (its later ones
            // would add nothing: an entry is added once per name key)
            if names_spelled.insert(names_of[i].as_deref().unwrap_or("")) {
                for (s, rank) in spellings(&name_tokens(name.as_deref().unwrap_or(""))) {
                    let v = spelled.entry(s).or_default();
                    if !v.iter().any(|(_, x)| *x == k) {
                        v.push((rank, k.clone()));
                    }
                }
            }
        }
        // a signature listing the author's addresses on one line
        if let (Some(sig), Some(a)) = (&o.signature, &addr) {
            let listed = listed_memo
                .entry((sig.as_str(), a.clone()))
                .or_insert_with(|| own_addresses_listed(sig, a));
            if !listed.is_empty() {
                for other in listed.iter().filter(|x| !is_list(x)) {
                    g.join(&format!("a:{a}"), &format!("a:{other}"), || {
                        format!(
                            "{a} and {other} listed together in the signature of {}",
                            what()
                        )
                    });
                }
            }
        }
        // a fuller form of the name in the signature
        if let (Some(sig), Some(n)) = (&o.signature, &name) {
            let fuller = signed_memo
                .entry((sig.as_str(), n.clone()))
                .or_insert_with(|| signature_names(sig, &name_tokens(n)));
            for full_name in fuller.iter() {
                signed.push((i, full_name.clone()));
                if let Some(k) = full_name_key(full_name) {
                    weak.push((
                        i,
                        k,
                        NameWhy::Text(format!("“{full_name}” signs {}", what())),
                    ));
                }
            }
        }
    }
    // a clear address and the obfuscated form later archives print of it
    let clear: Vec<String> = g
        .keys
        .iter()
        .filter_map(|k| k.strip_prefix("a:").map(str::to_string))
        .collect();
    let mut clear_of_key: HashMap<String, usize> = HashMap::new();
    for a in &clear {
        if let Some(k) = obfuscated_key(a) {
            *clear_of_key.entry(k).or_default() += 1;
        }
    }
    for a in clear {
        if let Some(k) = obfuscated_key(&a)
            .filter(|k| g.index.contains_key(k) && clear_of_key.get(k) == Some(&1))
        {
            g.join(&format!("a:{a}"), &k, || {
                format!(
                    "{a} is written {} in later archives",
                    written_as.get(&k).map_or(&k[2..], String::as_str)
                )
            });
        }
    }
    // address local parts that spell a name: "tyrion.lannister", "jmormont"
    let addr_keys: Vec<String> = g
        .keys
        .iter()
        .filter(|k| k.starts_with("a:"))
        .cloned()
        .collect();
    for ak in addr_keys {
        let a = &ak[2..];
        let letters = local_letters(a);
        if letters.chars().count() < 5 {
            continue;
        }
        // The best-ranked spelling decides; two names spelling the address
        // equally well ("cakpan": Chiamaka or Chinedu Akpan) join neither.
        let best = spelled.get(&letters).and_then(|v| {
            let top = v.iter().map(|(r, _)| *r).min()?;
            let mut at_top = v.iter().filter(|(r, _)| *r == top);
            match (at_top.next(), at_top.next()) {
                (Some((_, k)), None) => Some(k.clone()),
                _ => None,
            }
        });
        if let Some(k) = best {
            let node = g.node(&ak);
            weak.push((
                node,
                k.clone(),
                NameWhy::Text(format!("the address {a} spells the name {k}")),
            ));
        }
    }
    // curated merges
    for m in &curated.merges {
        let keys: Vec<String> = m.people.iter().map(|p| key_of(p)).collect();
        for w in keys.windows(2) {
            let (a, b) = (w[0].clone(), w[1].clone());
            // curated merges override splits
            let (x, y) = (g.node(&a), g.node(&b));
            if g.dsu.union(x, y) {
                g.merges.push((x, y, format!("curated: {}", m.reason)));
            }
        }
    }

    // organisations named in signatures, per observation node: a curated one's key,
    // else the name of one no curated one matches. Read once per signature text (an
    // author's observations of many months share one).
    let mut sig_orgs: Vec<(usize, String)> = Vec::new();
    let mut sig_names: Vec<(usize, String)> = Vec::new();
    let mut read_sigs: HashMap<&str, (Option<String>, Option<String>)> = HashMap::new();
    for (i, o) in obs.iter().enumerate() {
        let Some(sig) = o.signature.as_deref() else {
            continue;
        };
        let (key, name) = read_sigs
            .entry(sig)
            .or_insert_with(|| (orgs.of_signature(sig), orgs.signature_name(sig)));
        if let Some(k) = key {
            sig_orgs.push((obs_node[i], k.clone()));
        }
        if let Some(n) = name {
            sig_names.push((obs_node[i], n.clone()));
        }
    }
    drop(read_sigs);
    let dates: Vec<Option<i64>> = obs.iter().map(|o| o.date).collect();
    let weak = familiar_aliases(weak);
    join_by_names(
        &mut g,
        obs,
        weak,
        orgs,
        Signed {
            orgs: &sig_orgs,
            names: &sig_names,
        },
        &dates,
    );

    // collect people
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &n) in obs_node.iter().enumerate() {
        let r = g.dsu.find(n);
        groups.entry(r).or_default().push(i);
    }
    let mut root_merges: HashMap<usize, Vec<Merge>> = HashMap::new();
    let merges = std::mem::take(&mut g.merges);
    for (x, y, reason) in merges {
        let r = g.dsu.find(x);
        root_merges.entry(r).or_default().push(Merge {
            a: key_label(&g.keys, x),
            b: key_label(&g.keys, y),
            reason,
        });
    }
    // fuller names signed under a group's observations, per group root (looked up
    // per group, not scanned: a scan per group was quadratic in a large store)
    let mut signed_of: HashMap<usize, Vec<String>> = HashMap::new();
    for (i, n) in signed {
        signed_of
            .entry(g.dsu.find(obs_node[i]))
            .or_default()
            .push(n);
    }
    let mut people = Vec::with_capacity(groups.len());
    let mut person_of = vec![0; obs.len()];
    let mut used_ids: HashSet<String> = HashSet::new();
    for (root, members) in groups {
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut addresses: Vec<String> = Vec::new();
        // names as people write them in From headers and agendas; the names other
        // people's attributions give them (often misread: "Uwe Ligges a ?crit") only
        // for someone seen nowhere else
        let mut quoted_names: HashMap<String, usize> = HashMap::new();
        for &i in &members {
            if let Some(n) = names_of[i]
                .clone()
                .filter(|n| !list_locals.contains(&letters_of(n)))
            {
                let into = if matches!(obs[i].source, Source::Quote { .. }) {
                    &mut quoted_names
                } else {
                    &mut names
                };
                *into.entry(n).or_default() += 1;
            }
            if let Some(a) = addresses_of[i].clone() {
                if !is_list(&a)
                    && !posting.is(&a, &obs[i].source)
                    && !truncated(&a)
                    && !addresses.contains(&a)
                {
                    addresses.push(a);
                }
            }
        }
        if names.is_empty() {
            names = quoted_names;
        }
        for n in signed_of.remove(&root).into_iter().flatten() {
            names.entry(n).or_default();
        }
        // addresses joined through signatures
        for m in root_merges.get(&root).into_iter().flatten() {
            for k in [&m.a, &m.b] {
                if let Some(a) = k.strip_prefix("a:") {
                    if !addresses.iter().any(|x| x == a) {
                        addresses.push(a.to_string());
                    }
                }
            }
        }
        addresses.sort();
        let mut names: Vec<(String, usize)> = names.into_iter().collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let name = names
            .iter()
            .find(|(n, _)| n.split_whitespace().count() >= 2 && n.chars().any(char::is_uppercase))
            .or_else(|| {
                names
                    .iter()
                    .find(|(n, _)| n.split_whitespace().count() >= 2)
            })
            .or(names.first())
            .map(|(n, _)| n.clone())
            .or_else(|| addresses.first().cloned())
            .unwrap_or_else(|| "(unknown)".into());
        // stable id: the smallest address, else the smallest name key
        let key = addresses
            .first()
            .map(|a| format!("a:{a}"))
            .or_else(|| {
                names
                    .iter()
                    .filter_map(|(n, _)| full_name_key(n))
                    .min()
                    .map(|k| format!("n:{k}"))
            })
            .unwrap_or_else(|| format!("o:{}", members[0]));
        let idx = people.len();
        for &i in &members {
            person_of[i] = idx;
        }
        // two people apart under one name key get distinct ids (in store order)
        let mut id = stable_id(&key);
        let mut n = 1;
        while used_ids.contains(&id) {
            n += 1;
            id = stable_id(&format!("{key}#{n}"));
        }
        used_ids.insert(id.clone());
        people.push(Identity {
            id,
            name,
            names,
            addresses,
            merges: root_merges.remove(&root).unwrap_or_default(),
            observations: members,
        });
    }
    Resolution { people, person_of }
}

/// Which organisation an address or a signature points to, as a comparable key (a
/// curated organisation's id, else a registrable domain).
pub trait OrgKeys {
    /// None for personal mail providers.
    fn of_address(&self, addr: &str) -> Option<String>;
    fn of_signature(&self, sig: &str) -> Option<String>;
    /// An organisation a signature names that no curated one matches ("University
    /// of Auckland"), as written; compared with address domains by their words.
    fn signature_name(&self, _sig: &str) -> Option<String> {
        None
    }
}

/// Registrable domains, with a set of personal mail providers (tests, evaluation).
pub struct DomainKeys(pub HashSet<String>);

impl OrgKeys for DomainKeys {
    fn of_address(&self, addr: &str) -> Option<String> {
        let host = addr.rsplit('@').next()?.to_lowercase();
        let d = psl::domain_str(&host)?.to_string();
        (!self.0.contains(&d) && !self.0.contains(&host)).then_some(d)
    }
    fn of_signature(&self, _sig: &str) -> Option<String> {
        None
    }
    fn signature_name(&self, sig: &str) -> Option<String> {
        crate::affiliation::signature_org_name(sig)
    }
}

/// The least time between one name's messages from two places for them to be one
/// person moving on (30 days, in seconds).
const MOVE_GAP: i64 = 30 * 86_400;

/// Mailbox names many people have, in many places.
const GENERIC_MAILBOXES: &[&str] = &[
    "info",
    "admin",
    "contact",
    "mail",
    "office",
    "webmaster",
    "postmaster",
    "root",
    "user",
    "support",
    "help",
    "list",
    "lists",
    "news",
    "me",
    "secretariat",
    "press",
    "hello",
];

/// What signatures say about the organisations of observation nodes: curated
/// organisation keys, and names of organisations no curated one matches.
struct Signed<'a> {
    orgs: &'a [(usize, String)],
    names: &'a [(usize, String)],
}

fn join_by_names(
    g: &mut Graph,
    obs: &[Observation],
    weak: Vec<(usize, String, NameWhy)>,
    orgs: &dyn OrgKeys,
    signed: Signed<'_>,
    dates: &[Option<i64>],
) {
    // organisation domains per group root
    let mut dom: HashMap<usize, BTreeSet<String>> = HashMap::new();
    let addr_nodes: Vec<(usize, String)> = g
        .keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.strip_prefix("a:").map(|a| (i, a.to_string())))
        .collect();
    // groups writing from a personal mailbox (gmail, hotmail…)
    let mut personal: HashSet<usize> = HashSet::new();
    for (i, a) in addr_nodes {
        let r = g.dsu.find(i);
        match orgs.of_address(&a) {
            Some(d) => {
                dom.entry(r).or_default().insert(d);
            }
            None => {
                personal.insert(r);
            }
        }
    }
    for (node, k) in signed.orgs {
        let r = g.dsu.find(*node);
        dom.entry(r).or_default().insert(k.clone());
    }
    // the words of uncurated organisations signed with, per group root
    let mut sig_words: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for (node, name) in signed.names {
        let r = g.dsu.find(*node);
        sig_words.entry(r).or_default().extend(org_name_words(name));
    }
    // mailbox names per group root (`local:dp`), for the same mailbox at two places;
    // generic ones (info@, admin@) and one-letter ones say nothing
    let mut locals: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for (i, k) in g.keys.iter().enumerate() {
        let Some(a) = k.strip_prefix("a:") else {
            continue;
        };
        let local = a.split('@').next().unwrap_or("");
        if local.chars().count() < 2 || GENERIC_MAILBOXES.contains(&local) {
            continue;
        }
        let r = g.dsu.find(i);
        locals
            .entry(r)
            .or_default()
            .insert(format!("local:{local}"));
    }
    // groups holding at least one address (kept current as groups merge)
    let mut addr_roots: HashSet<usize> = HashSet::new();
    let addr_ids: Vec<usize> = g
        .keys
        .iter()
        .enumerate()
        .filter(|(_, k)| k.starts_with("a:"))
        .map(|(i, _)| i)
        .collect();
    for i in addr_ids {
        let r = g.dsu.find(i);
        addr_roots.insert(r);
    }
    // first and last date seen, per group root
    let mut spans: HashMap<usize, (i64, i64)> = HashMap::new();
    for (i, d) in dates.iter().enumerate() {
        if let Some(d) = *d {
            let r = g.dsu.find(i);
            let e = spans.entry(r).or_insert((d, d));
            e.0 = e.0.min(d);
            e.1 = e.1.max(d);
        }
    }
    let mut by_key: BTreeMap<String, Vec<(usize, NameWhy)>> = BTreeMap::new();
    for (node, key, reason) in weak {
        by_key.entry(key).or_default().push((node, reason));
    }
    let unusual = UnusualNames::new(by_key.keys());
    for (key, ends) in by_key {
        if g.blocked.contains(&format!("n:{key}")) {
            continue;
        }
        // the groups this name touches, with their organisation domains
        let mut roots: Vec<(usize, String)> = Vec::new();
        for (node, reason) in &ends {
            if g.blocked.contains(&g.keys[*node]) {
                continue;
            }
            let r = g.dsu.find(*node);
            if !roots.iter().any(|(x, _)| *x == r) {
                roots.push((r, reason.text(obs)));
            }
        }
        if roots.len() < 2 {
            continue;
        }
        // a vanity domain spells the name ("lanister.net" for Tyrion Lannister,
        // "kleinwaechter.info"): personal, not an organisation
        let tokens: Vec<&str> = key.split(' ').collect();
        let vanity = |d: &str| {
            let label = d.split('.').next().unwrap_or("");
            tokens.iter().any(|t| {
                t.chars().count() >= 4
                    && (label.contains(t)
                        || near(label, t)
                        || label.contains(&t.replace('ä', "ae")))
            })
        };
        let domains = |r: usize, dom: &HashMap<usize, BTreeSet<String>>| -> BTreeSet<String> {
            dom.get(&r)
                .map(|s| s.iter().filter(|d| !vanity(d)).cloned().collect())
                .unwrap_or_default()
        };
        // Units: the groups of this name that are one person by the evidence of
        // their addresses. An organisation unit holds groups sharing an organisation
        // domain; any two units are one person when they share a mailbox name
        // ("dp@ulaluma.com", later "dp@divmod.org"), when both write from domains
        // that spell the name ("thieengineering.ch", "thieprojects.ch"), or when
        // their periods do not overlap (a person moving on, not two at once).
        struct Unit {
            keys: BTreeSet<String>,
            /// every mailbox name, those spelling the name included
            mailboxes: BTreeSet<String>,
            /// first labels of the organisation keys ("auckland" of auckland.ac.nz)
            labels: BTreeSet<String>,
            /// words of uncurated organisations signed with
            signed: BTreeSet<String>,
            members: Vec<usize>,
            org: bool,
            /// writes from a personal mailbox too
            personal: bool,
            vanity: bool,
            span: Option<(i64, i64)>,
        }
        let mut units: Vec<Unit> = Vec::new();
        let mut bare = Vec::new();
        for (r, _) in &roots {
            let d = domains(*r, &dom);
            let root = g.dsu.find(*r);
            // the name is in the domain ("thieengineering.ch"); a mailbox spelling the
            // name ("chhetriarun84", "sophie.wright") is what namesakes have too
            let has_vanity = dom.get(r).is_some_and(|s| s.iter().any(|d| vanity(d)));
            if d.is_empty() && !addr_roots.contains(&root) {
                bare.push(*r);
                continue;
            }
            // a mailbox that only spells the name ("hjones", "harriet.jones") is one
            // that namesakes at other places have too: no evidence of one person
            let mut keys: BTreeSet<String> = locals
                .get(r)
                .map(|ls| {
                    ls.iter()
                        .filter(|l| !spells_name(l.trim_start_matches("local:"), &tokens))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            keys.extend(d.iter().cloned());
            units.push(Unit {
                keys,
                mailboxes: locals.get(r).cloned().unwrap_or_default(),
                labels: d
                    .iter()
                    .filter_map(|k| k.split('.').next())
                    .map(str::to_string)
                    .collect(),
                signed: sig_words.get(r).cloned().unwrap_or_default(),
                members: vec![*r],
                org: !d.is_empty(),
                personal: personal.contains(&root),
                vanity: has_vanity,
                span: spans.get(r).copied(),
            });
        }
        // one signs with the organisation the other writes from ("University of
        // Auckland" under a posteo.net address, beside r.turner@auckland.ac.nz)
        let signs_for = |a: &Unit, b: &Unit| !a.signed.is_disjoint(&b.labels);
        let one_person = |a: &Unit, b: &Unit| {
            !a.keys.is_disjoint(&b.keys)
                || (a.vanity && b.vanity)
                || signs_for(a, b)
                || signs_for(b, a)
                // a person moving on: a month or more between the last message from
                // one place and the first from the other (two namesakes posting the
                // same week are two people), and the same mailbox name at both
                // ("psanchez@nortel.com", later "psanchez@fosstel.com") — the periods
                // alone are what namesakes who write seldom have too
                || (!a.mailboxes.is_disjoint(&b.mailboxes)
                    && match (a.span, b.span) {
                        (Some((a0, a1)), Some((b0, b1))) => {
                            a1 + MOVE_GAP < b0 || b1 + MOVE_GAP < a0
                        }
                        _ => false,
                    })
        };
        loop {
            let mut pair = None;
            'find: for i in 0..units.len() {
                for j in i + 1..units.len() {
                    if one_person(&units[i], &units[j]) {
                        pair = Some((i, j));
                        break 'find;
                    }
                }
            }
            let Some((i, j)) = pair else { break };
            let u = units.remove(j);
            let t = &mut units[i];
            t.keys.extend(u.keys);
            t.mailboxes.extend(u.mailboxes);
            t.labels.extend(u.labels);
            t.signed.extend(u.signed);
            t.members.extend(u.members);
            t.org |= u.org;
            t.personal |= u.personal;
            t.vanity |= u.vanity;
            t.span = match (t.span, u.span) {
                (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
                (x, y) => x.or(y),
            };
        }
        // a name no one else here has is one person wherever they write from
        // (decided on the dated units, as below; the note only where it decides)
        let dated_n = units.iter().filter(|u| u.span.is_some()).count();
        let dated_orgs = units.iter().filter(|u| u.span.is_some() && u.org).count();
        let one_by_addresses = matches!((dated_n, dated_orgs), (0 | 1, _) | (2, 1));
        let rare = !one_by_addresses && unusual.is_unusual(&key);
        // a familiar form of the name joined this key: every merge by it says so
        let familiar = roots.iter().find_map(|(_, reason)| {
            reason
                .find(", a familiar form of the name")
                .map(|i| reason[i..].to_string())
        });
        let reason_of = |r: usize| {
            let mut reason = roots
                .iter()
                .find(|x| x.0 == r)
                .map(|x| x.1.clone())
                .unwrap_or_default();
            if let Some(note) = familiar.as_deref().filter(|n| !reason.contains(n)) {
                reason.push_str(note);
            }
            if rare {
                format!("{reason} (a name no one else here has)")
            } else {
                reason
            }
        };
        let mut unite = |g: &mut Graph, members: &[usize]| {
            let Some(&first) = members.first() else {
                return;
            };
            for &m in &members[1..] {
                let (a, b) = (g.dsu.find(first), g.dsu.find(m));
                if a == b {
                    continue;
                }
                if g.dsu.union(a, b) {
                    g.merges.push((first, m, reason_of(m)));
                    let keep = g.dsu.find(a);
                    if addr_roots.remove(&a) | addr_roots.remove(&b) {
                        addr_roots.insert(keep);
                    }
                    if personal.remove(&a) | personal.remove(&b) {
                        personal.insert(keep);
                    }
                    for map in [&mut dom, &mut locals, &mut sig_words] {
                        let mut all = map.remove(&a).unwrap_or_default();
                        all.extend(map.remove(&b).unwrap_or_default());
                        if !all.is_empty() {
                            map.insert(keep, all);
                        }
                    }
                    let merged = match (spans.remove(&a), spans.remove(&b)) {
                        (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
                        (x, y) => x.or(y),
                    };
                    if let Some(s) = merged {
                        spans.insert(keep, s);
                    }
                }
            }
        };
        // a unit seen only in other people's quotes (no dated message of its own)
        // is too little to say a second person of this name exists: it stays
        // apart, and the decision is the dated units'
        let (units, undated): (Vec<Unit>, Vec<Unit>) =
            units.into_iter().partition(|u| u.span.is_some());
        let orgs_n = units.iter().filter(|u| u.org).count();
        if rare {
            let all: Vec<usize> = roots.iter().map(|x| x.0).collect();
            unite(g, &all);
            continue;
        }
        for u in &undated {
            unite(g, &u.members);
        }
        // an organisation's unit that has its personal mailbox already: another
        // personal mailbox of the name is as likely a namesake's
        let org_has_personal = units.iter().any(|u| u.org && u.personal);
        match (units.len(), orgs_n) {
            // one person by their addresses, or one organisation and one personal
            // mailbox: the name joins them all
            (0 | 1, _) => {
                let all: Vec<usize> = roots.iter().map(|x| x.0).collect();
                unite(g, &all);
            }
            (2, 1) if !org_has_personal => {
                let all: Vec<usize> = roots.iter().map(|x| x.0).collect();
                unite(g, &all);
            }
            // namesakes' mailboxes at gmail and hotmail could be anyone's: the one
            // organisation keeps what only has the name
            (_, 1) => {
                for u in &units {
                    let mut m = u.members.clone();
                    if u.org {
                        m.extend(&bare);
                    }
                    unite(g, &m);
                }
            }
            // several people of this name: each keeps its own; the sightings with
            // the name alone could be any of them, and are one person apart
            _ => {
                for u in &units {
                    unite(g, &u.members);
                }
                unite(g, &bare);
            }
        }
    }
}

/// The words of an organisation's name that can be a domain's first label
/// ("auckland" of "University of Auckland"): folded, three letters or more, not
/// the words every organisation has.
fn org_name_words(name: &str) -> Vec<String> {
    const GENERIC: &[&str] = &[
        "the",
        "and",
        "for",
        "university",
        "universitat",
        "universite",
        "universidad",
        "universita",
        "institute",
        "institut",
        "instituto",
        "college",
        "school",
        "department",
        "faculty",
        "centre",
        "center",
        "foundation",
        "association",
        "society",
        "group",
        "company",
        "research",
        "national",
        "international",
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "corp",
        "technology",
        "technologies",
        "sciences",
        "science",
    ];
    crate::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !GENERIC.contains(w))
        .map(str::to_string)
        .collect()
}

/// The least number of distinct full names in a store for "no one else here has
/// this name" to mean anything: in a handful of names every name is unique.
const UNUSUAL_AMONG: usize = 100;

/// Name words too common to tell people apart: frequent family names across the
/// regions these archives come from, and frequent given names (five letters or
/// more; shorter words are never taken as unusual).
const COMMON_NAME_WORDS: &[&str] = &[
    // family names
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "miller",
    "davis",
    "garcia",
    "rodriguez",
    "wilson",
    "martinez",
    "anderson",
    "taylor",
    "thomas",
    "moore",
    "martin",
    "jackson",
    "thompson",
    "white",
    "lopez",
    "gonzalez",
    "harris",
    "clark",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "wright",
    "scott",
    "green",
    "baker",
    "adams",
    "nelson",
    "campbell",
    "mitchell",
    "roberts",
    "carter",
    "phillips",
    "evans",
    "turner",
    "parker",
    "collins",
    "edwards",
    "stewart",
    "morris",
    "murphy",
    "rogers",
    "morgan",
    "peterson",
    "cooper",
    "bailey",
    "kelly",
    "howard",
    "watson",
    "brooks",
    "james",
    "bennett",
    "hughes",
    "price",
    "sanders",
    "myers",
    "foster",
    "russell",
    "sullivan",
    "murray",
    "graham",
    "fisher",
    "hamilton",
    "wallace",
    "gibson",
    "marshall",
    "owens",
    "mueller",
    "muller",
    "schmidt",
    "schneider",
    "fischer",
    "weber",
    "meyer",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "richter",
    "klein",
    "neumann",
    "schwarz",
    "zimmermann",
    "braun",
    "hofmann",
    "hartmann",
    "lange",
    "schmitt",
    "werner",
    "krause",
    "meier",
    "lehmann",
    "schmid",
    "huang",
    "zhang",
    "singh",
    "kumar",
    "sharma",
    "patel",
    "gupta",
    "nguyen",
    "rossi",
    "russo",
    "ferrari",
    "esposito",
    "bianchi",
    "romano",
    "silva",
    "santos",
    "oliveira",
    "souza",
    "pereira",
    "costa",
    "ferreira",
    "rodrigues",
    "almeida",
    "martins",
    "dubois",
    "durand",
    "bernard",
    "petit",
    "leroy",
    "moreau",
    "simon",
    "laurent",
    "michel",
    "fernandez",
    "sanchez",
    "perez",
    "gomez",
    "hernandez",
    "jimenez",
    "moreno",
    "alvarez",
    "romero",
    "ivanov",
    "smirnov",
    "kuznetsov",
    "popov",
    "petrov",
    "jensen",
    "nielsen",
    "hansen",
    "pedersen",
    "andersen",
    "larsen",
    "johansson",
    "karlsson",
    "nilsson",
    "eriksson",
    "larsson",
    "olsson",
    "persson",
    "svensson",
    "jansen",
    "bakker",
    "visser",
    "mulder",
    "peters",
    "janssen",
    "mohamed",
    "ahmed",
    "hassan",
    "ibrahim",
    "hussein",
    "khan",
    // given names
    "robert",
    "michael",
    "william",
    "david",
    "richard",
    "joseph",
    "charles",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "donald",
    "steven",
    "andrew",
    "joshua",
    "kenneth",
    "kevin",
    "brian",
    "george",
    "timothy",
    "ronald",
    "edward",
    "jason",
    "jeffrey",
    "jacob",
    "nicholas",
    "jonathan",
    "stephen",
    "justin",
    "brandon",
    "benjamin",
    "samuel",
    "gregory",
    "alexander",
    "frank",
    "patrick",
    "raymond",
    "dennis",
    "peter",
    "henry",
    "mary",
    "patricia",
    "jennifer",
    "linda",
    "elizabeth",
    "barbara",
    "susan",
    "jessica",
    "sarah",
    "karen",
    "nancy",
    "betty",
    "margaret",
    "sandra",
    "ashley",
    "kimberly",
    "emily",
    "donna",
    "michelle",
    "carol",
    "amanda",
    "melissa",
    "deborah",
    "stephanie",
    "rebecca",
    "sharon",
    "laura",
    "cynthia",
    "kathleen",
    "angela",
    "maria",
    "klaus",
    "jurgen",
    "wolfgang",
    "andreas",
    "stefan",
    "christian",
    "markus",
    "sebastian",
    "philipp",
    "florian",
    "tobias",
    "julien",
    "nicolas",
    "pierre",
    "philippe",
    "francois",
    "olivier",
    "christophe",
    "antoine",
    "giuseppe",
    "giovanni",
    "francesco",
    "antonio",
    "marco",
    "andrea",
    "alessandro",
    "roberto",
    "stefano",
    "carlos",
    "miguel",
    "javier",
    "manuel",
    "pablo",
    "sergio",
    "alejandro",
    "fernando",
    "sergey",
    "alexey",
    "dmitry",
    "andrey",
    "vladimir",
    "mikhail",
    "jorge",
    "paulo",
    "rafael",
    "lucas",
    "gabriel",
    "ricardo",
    "eduardo",
    "marcos",
    "rodrigo",
    "diego",
    "mohammed",
    "muhammad",
    "ahmad",
    "rahul",
    "sanjay",
    "james",
    "thomas",
    "john",
    "paul",
    "mark",
    "jean",
    "hans",
    "anna",
];

/// Full names with a word no other name here shares except in fuller forms of the
/// same name ("Chhetri" in "Arun Chhetri" and "Arun Kumar Chhetri" only), in a store
/// with at least [`UNUSUAL_AMONG`] names.
struct UnusualNames {
    /// word → the name keys (as word sets) holding it; None when the store is too small
    by_word: Option<HashMap<String, Vec<BTreeSet<String>>>>,
}

impl UnusualNames {
    fn new<'a>(keys: impl Iterator<Item = &'a String>) -> UnusualNames {
        let keys: Vec<&String> = keys.collect();
        if keys.len() < UNUSUAL_AMONG {
            return UnusualNames { by_word: None };
        }
        let mut by_word: HashMap<String, Vec<BTreeSet<String>>> = HashMap::new();
        for k in keys {
            let words: BTreeSet<String> = k.split(' ').map(str::to_string).collect();
            for w in &words {
                by_word.entry(w.clone()).or_default().push(words.clone());
            }
        }
        UnusualNames {
            by_word: Some(by_word),
        }
    }

    fn is_unusual(&self, key: &str) -> bool {
        let Some(by_word) = &self.by_word else {
            return false;
        };
        let words: BTreeSet<String> = key.split(' ').map(str::to_string).collect();
        words.iter().any(|w| {
            w.chars().count() >= 5
                && w.chars().all(char::is_alphabetic)
                && !COMMON_NAME_WORDS.contains(&w.as_str())
                && by_word
                    .get(w)
                    .is_some_and(|holders| holders.iter().all(|h| h.is_superset(&words)))
        })
    }
}

/// "Bill Dunlap" is "William Dunlap" when the store has a William Dunlap and no other
/// formal name "Bill" could shorten with that family name (no Billy, Wilhelmina…):
/// the familiar form's sightings take the formal name's key, their reason saying so.
fn familiar_aliases(weak: Vec<(usize, String, NameWhy)>) -> Vec<(usize, String, NameWhy)> {
    let keys: HashSet<String> = weak.iter().map(|(_, k, _)| k.clone()).collect();
    let mut alias: HashMap<String, (String, String)> = HashMap::new();
    for k in &keys {
        let words: Vec<&str> = k.split(' ').collect();
        for (i, w) in words.iter().enumerate() {
            let formal = crate::names::formal_names(w);
            if formal.is_empty() {
                continue;
            }
            let candidates: Vec<(String, &str)> = formal
                .iter()
                .map(|f| {
                    let mut v: Vec<&str> = words.clone();
                    v[i] = f;
                    v.sort_unstable();
                    v.dedup();
                    (v.join(" "), *f)
                })
                .filter(|(c, _)| c != k && keys.contains(c))
                .collect();
            if let [(one, f)] = candidates.as_slice() {
                alias.insert(k.clone(), (one.clone(), format!("“{w}” for “{f}”")));
                break;
            }
        }
    }
    weak.into_iter()
        .map(|(node, k, reason)| match alias.get(&k) {
            Some((formal, familiar)) => (
                node,
                formal.clone(),
                NameWhy::Familiar(Box::new(reason), familiar.clone()),
            ),
            None => (node, k, reason),
        })
        .collect()
}

/// Whether a mailbox name is made only of the name's words and initials, with at
/// least one whole word ("hjones", "jones.harriet", "harriet"); "dp" (initials alone)
/// or "golux" are not.
fn spells_name(local: &str, tokens: &[&str]) -> bool {
    let letters: Vec<char> = crate::fold(local)
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    let n = letters.len();
    if n == 0 {
        return false;
    }
    // reach[i][w]: the first i letters split into words and initials, w = a whole word used
    let mut reach = vec![[false; 2]; n + 1];
    reach[0][0] = true;
    for i in 0..n {
        for w in 0..2 {
            if !reach[i][w] {
                continue;
            }
            for t in tokens {
                let t: Vec<char> = t.chars().collect();
                if t.is_empty() {
                    continue;
                }
                if letters[i..].starts_with(&t) {
                    reach[i + t.len()][1] = true;
                }
                if letters[i] == t[0] {
                    reach[i + 1][w] = true;
                }
            }
        }
    }
    reach[n][1]
}

/// Edit distance at most 1 between words of 6 letters or more ("lanister"/"lannister").
fn near(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 6 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

fn key_label(keys: &[String], i: usize) -> String {
    if keys[i].is_empty() {
        format!("sighting {i}")
    } else {
        keys[i].clone()
    }
}

/// A curated reference (address or name) as an identity key.
pub(crate) fn key_of(s: &str) -> String {
    match normalize_address(s) {
        Some(a) if s.contains('@') || s.contains(" at ") => format!("a:{a}"),
        _ => match normalize_name(s).as_deref().and_then(full_name_key) {
            Some(k) => format!("n:{k}"),
            None => format!("n:{}", fold(s.trim())),
        },
    }
}

/// `p` + 10 hex digits of FNV-1a (64 bit) over the key: stable across runs and machines.
fn stable_id(key: &str) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(key.as_bytes());
    format!("p{:010x}", h.finish() & 0xff_ffff_ffff)
}

#[cfg(test)]
mod stable_ids {
    /// Person ids are in links: the hash must not move.
    #[test]
    fn stable_id_is_pinned() {
        assert_eq!(super::stable_id("a:tyrion@lannister.net"), "pcf0a208422");
    }
}
