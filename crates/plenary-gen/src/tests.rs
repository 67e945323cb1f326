//! End-to-end properties of generated corpora.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "plenary-gen-test-{}-{}-{}",
            std::process::id(),
            tag,
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&p);
        TempDir(p)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn opts(messages: usize, seed: u64, format: Format, malformed: usize) -> GenOptions {
    GenOptions {
        messages,
        seed,
        format,
        malformed,
        big_body_bytes: 40_000,
    }
}

fn gen(tag: &str, o: &GenOptions) -> (TempDir, GenSummary) {
    let dir = TempDir::new(tag);
    let summary = generate(dir.path(), o).expect("generation succeeds");
    (dir, summary)
}

#[derive(Debug)]
struct Truth {
    message_id: Option<String>,
    list: String,
    parent: Option<String>,
    author: String,
    malformed: Option<String>,
}

fn truth(dir: &Path) -> Vec<Truth> {
    let text = fs::read_to_string(dir.join("truth.jsonl")).expect("truth.jsonl");
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            let s = |k: &str| v[k].as_str().map(str::to_string);
            Truth {
                message_id: s("message_id"),
                list: s("list").expect("list"),
                parent: s("parent"),
                author: s("author").expect("author"),
                malformed: s("malformed"),
            }
        })
        .collect()
}

fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>, root: &Path) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out, root);
        } else {
            let rel = p
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| p.clone());
            out.insert(rel, fs::read(&p).expect("read file"));
        }
    }
}

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    walk(dir, &mut m, dir);
    m
}

fn is_separator(line: &[u8]) -> bool {
    // From <addr> Www Mmm dd hh:mm:ss yyyy
    let Ok(s) = std::str::from_utf8(line) else {
        return false;
    };
    let Some(rest) = s.strip_prefix("From ") else {
        return false;
    };
    let Some((addr, date)) = rest.split_once(' ') else {
        return false;
    };
    let d = date.as_bytes();
    addr.contains('@')
        && d.len() == 24
        && d[3] == b' '
        && d[7] == b' '
        && d[10] == b' '
        && d[13] == b':'
        && d[16] == b':'
        && d[19] == b' '
        && d[20..].iter().all(u8::is_ascii_digit)
}

/// Messages of each mbox file as (list slug, separator line, unescaped raw
/// message).  Only valid for corpora without `unescaped_from`.
fn mbox_messages(dir: &Path) -> Vec<(String, String, Vec<u8>)> {
    let mut out = Vec::new();
    for (path, data) in tree(&dir.join("mbox")) {
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
        let mut cur: Option<(String, Vec<u8>)> = None;
        for (i, line) in lines.iter().enumerate() {
            let starts = line.starts_with(b"From ") && (i == 0 || lines[i - 1].is_empty());
            if starts {
                if let Some((sep, mut raw)) = cur.take() {
                    raw.pop(); // the blank line between messages
                    out.push((slug.clone(), sep, raw));
                }
                cur = Some((String::from_utf8_lossy(line).into_owned(), Vec::new()));
                continue;
            }
            if let Some((_, raw)) = cur.as_mut() {
                let k = line.iter().take_while(|&&b| b == b'>').count();
                if k > 0 && line[k..].starts_with(b"From ") {
                    raw.extend_from_slice(&line[1..]);
                } else {
                    raw.extend_from_slice(line);
                }
                raw.push(b'\n');
            }
        }
        if let Some((sep, mut raw)) = cur.take() {
            // The file ends "...\n\n": split yields a final empty piece.
            raw.pop();
            raw.pop();
            out.push((slug, sep, raw));
        }
    }
    out
}

/// Maildir messages in write order: (list, file name, bytes).
fn maildir_messages(dir: &Path) -> Vec<(String, String, Vec<u8>)> {
    let mut v: Vec<(u64, String, String, Vec<u8>)> = Vec::new();
    for (path, data) in tree(&dir.join("maildir")) {
        let mut comps = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let list = comps.next().unwrap_or_default();
        let sub = comps.next().unwrap_or_default();
        let name = comps.next().unwrap_or_default();
        assert!(sub == "cur" || sub == "new", "unexpected {path:?}");
        let q = name
            .split_once('Q')
            .and_then(|(_, r)| r.split('.').next())
            .and_then(|n| n.parse::<u64>().ok())
            .expect("Q index in file name");
        v.push((q, list, format!("{sub}/{name}"), data));
    }
    v.sort_by_key(|x| x.0);
    v.into_iter().map(|(_, l, n, d)| (l, n, d)).collect()
}

fn split_head(raw: &[u8]) -> (&[u8], &[u8]) {
    match raw.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&raw[..i + 1], &raw[i + 2..]),
        None => (&raw[..0], raw),
    }
}

/// Unfolded header fields (lower-cased names).
fn headers(raw: &[u8]) -> Vec<(String, String)> {
    let (head, _) = split_head(raw);
    let text = String::from_utf8_lossy(head)
        .replace("\n ", " ")
        .replace("\n\t", " ");
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .collect()
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    let name = name.to_ascii_lowercase();
    headers(raw)
        .into_iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn qp_decode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    while i < data.len() {
        if data[i] == b'=' {
            if data.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let (Some(a), Some(b)) = (
                data.get(i + 1).and_then(|&c| hex(c)),
                data.get(i + 2).and_then(|&c| hex(c)),
            ) {
                out.push(a * 16 + b);
                i += 3;
                continue;
            }
        }
        out.push(data[i]);
        i += 1;
    }
    out
}

fn b64_decode(data: &[u8]) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in data {
        if let Some(v) = val(c) {
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
    }
    out
}

/// Decoded text of single-part text/plain messages (None otherwise).
fn plain_text(raw: &[u8]) -> Option<String> {
    let ct = header(raw, "content-type")?.to_ascii_lowercase();
    if !ct.starts_with("text/plain") {
        return None;
    }
    let cte = header(raw, "content-transfer-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let (_, body) = split_head(raw);
    let bytes = match cte.as_str() {
        "quoted-printable" => qp_decode(body),
        "base64" => b64_decode(body),
        _ => body.to_vec(),
    };
    Some(if ct.contains("utf-8") || ct.contains("us-ascii") {
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    })
}

fn median(v: &mut [usize]) -> usize {
    v.sort_unstable();
    v[v.len() / 2]
}

// ---------------------------------------------------------------------------

#[test]
fn same_seed_is_byte_identical_and_other_seed_differs() {
    let o = opts(700, 7, Format::Mbox, 12);
    let (a, sa) = gen("det-a", &o);
    let (b, sb) = gen("det-b", &o);
    assert_eq!(sa, sb);
    let (ta, tb) = (tree(a.path()), tree(b.path()));
    assert!(ta.len() >= 4, "{:?}", ta.keys());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(tb[k] == *v, "{k:?} differs between runs");
    }

    let (c, _) = gen("det-c", &opts(700, 8, Format::Mbox, 12));
    let tc = tree(c.path());
    let truth_a = &ta[Path::new("truth.jsonl")];
    let truth_c = &tc[Path::new("truth.jsonl")];
    assert_ne!(truth_a, truth_c);
    let mbox_a: Vec<&Vec<u8>> = ta
        .iter()
        .filter(|(k, _)| k.starts_with("mbox"))
        .map(|(_, v)| v)
        .collect();
    let mbox_c: Vec<&Vec<u8>> = tc
        .iter()
        .filter(|(k, _)| k.starts_with("mbox"))
        .map(|(_, v)| v)
        .collect();
    assert_ne!(mbox_a, mbox_c);
    assert_ne!(
        ta[Path::new("agenda/sessions.json")],
        tc[Path::new("agenda/sessions.json")]
    );

    // Maildir output is deterministic too.
    let m = opts(300, 3, Format::Maildir, 6);
    let (d, _) = gen("det-d", &m);
    let (e, _) = gen("det-e", &m);
    assert!(tree(d.path()) == tree(e.path()));
}

#[test]
fn mbox_counts_separators_and_parents() {
    let o = opts(1500, 11, Format::Mbox, 24);
    let (dir, s) = gen("counts", &o);
    let t = truth(dir.path());
    assert_eq!(t.len(), 1500);
    assert_eq!(s.messages, 1500);
    assert_eq!(s.malformed, 24);
    assert_eq!(t.iter().filter(|x| x.malformed.is_some()).count(), 24);
    let unescaped = t
        .iter()
        .filter(|x| x.malformed.as_deref() == Some("unescaped_from"))
        .count();
    assert_eq!(unescaped, 4);

    // Every line starting "From " is a separator: the N real ones, plus one
    // fake per unescaped_from message.  All follow a blank line.
    let mut from_lines = 0;
    let mut bytes = 0u64;
    for (path, data) in tree(&dir.path().join("mbox")) {
        bytes += data.len() as u64;
        assert!(data.starts_with(b"From "), "{path:?}");
        assert!(data.ends_with(b"\n\n"), "{path:?}");
        let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with(b"From ") {
                from_lines += 1;
                assert!(
                    i == 0 || lines[i - 1].is_empty(),
                    "{path:?}:{i} not after a blank line"
                );
                assert!(is_separator(l), "{}", String::from_utf8_lossy(l));
            }
        }
    }
    assert_eq!(from_lines, 1500 + unescaped);
    assert_eq!(bytes, s.bytes);

    // Message-IDs unique; parents exist earlier, are never malformed, and
    // are in the same list.
    let mut seen: HashMap<String, (String, bool)> = HashMap::new();
    let mut roots = 0;
    for x in &t {
        match &x.parent {
            Some(p) => {
                let (list, mal) = seen
                    .get(p)
                    .unwrap_or_else(|| panic!("parent {p} not seen before"));
                assert!(!mal, "malformed parent {p}");
                assert_eq!(list, &x.list);
            }
            None => roots += 1,
        }
        assert_eq!(
            x.message_id.is_none(),
            x.malformed.as_deref() == Some("no_headers")
        );
        assert!(
            x.author.starts_with('p') && x.author.len() == 5,
            "{}",
            x.author
        );
        if let Some(id) = &x.message_id {
            assert!(
                id.starts_with('<') && id.ends_with('>') && id.contains('@'),
                "{id}"
            );
            assert!(
                seen.insert(id.clone(), (x.list.clone(), x.malformed.is_some()))
                    .is_none(),
                "duplicate {id}"
            );
        }
    }
    assert_eq!(roots, s.threads);
    let lists: HashSet<&str> = t.iter().map(|x| x.list.as_str()).collect();
    assert_eq!(lists.len(), s.lists.len());
}

#[test]
fn maildir_layout_and_counts() {
    let (dir, s) = gen("maildir", &opts(1200, 5, Format::Maildir, 12));
    let msgs = maildir_messages(dir.path());
    assert_eq!(msgs.len(), 1200);
    let cur = msgs
        .iter()
        .filter(|(_, n, _)| n.starts_with("cur/"))
        .count();
    assert!((840..=1080).contains(&cur), "{cur} in cur");
    for (_, n, _) in &msgs {
        assert_eq!(n.starts_with("cur/"), n.ends_with(":2,S"), "{n}");
    }
    for l in &s.lists {
        let tmp = dir.path().join("maildir").join(l).join("tmp");
        assert!(tmp.is_dir());
        assert_eq!(fs::read_dir(&tmp).map(|r| r.count()).unwrap_or(1), 0);
    }
    let bytes: u64 = msgs.iter().map(|(_, _, d)| d.len() as u64).sum();
    assert_eq!(bytes, s.bytes);
    // Truth lists match the folders, in write order.
    let t = truth(dir.path());
    for (x, (list, _, raw)) in t.iter().zip(&msgs) {
        assert_eq!(&x.list, list);
        if let Some(id) = &x.message_id {
            assert_eq!(header(raw, "message-id").as_deref(), Some(id.as_str()));
        }
    }
}

#[test]
fn mbox_is_mboxrd_escaped_maildir_of_same_corpus() {
    let (mb, _) = gen("rd-mbox", &opts(1500, 21, Format::Mbox, 0));
    let (md, _) = gen("rd-maildir", &opts(1500, 21, Format::Maildir, 0));
    let mbox = mbox_messages(mb.path());
    let maildir = maildir_messages(md.path());
    assert_eq!(mbox.len(), 1500);
    let mut by_list_mbox: BTreeMap<String, Vec<&Vec<u8>>> = BTreeMap::new();
    for (l, _, raw) in &mbox {
        by_list_mbox.entry(l.clone()).or_default().push(raw);
    }
    let mut by_list_md: BTreeMap<String, Vec<&Vec<u8>>> = BTreeMap::new();
    for (l, _, raw) in &maildir {
        by_list_md.entry(l.clone()).or_default().push(raw);
    }
    assert_eq!(
        by_list_mbox.keys().collect::<Vec<_>>(),
        by_list_md.keys().collect::<Vec<_>>()
    );
    for (l, v) in &by_list_mbox {
        let w = &by_list_md[l];
        assert_eq!(v.len(), w.len(), "{l}");
        for (i, (a, b)) in v.iter().zip(w.iter()).enumerate() {
            assert!(a == b, "{l} message {i} differs after unescaping");
        }
    }
    // Some body line really needed escaping.
    let escaped = tree(&mb.path().join("mbox"))
        .values()
        .map(|d| {
            d.split(|&b| b == b'\n')
                .filter(|l| l.starts_with(b">From "))
                .count()
        })
        .sum::<usize>();
    assert!(escaped >= 5, "{escaped} escaped From lines");
    let raw_from = maildir
        .iter()
        .filter(|(_, _, d)| d.split(|&b| b == b'\n').any(|l| l.starts_with(b"From ")))
        .count();
    assert!(
        raw_from >= 5,
        "{raw_from} messages with a body line starting 'From '"
    );
}

#[test]
fn lists_years_sizes_threads() {
    let (dir, s) = gen("shape", &opts(2000, 1, Format::Mbox, 0));
    let msgs = mbox_messages(dir.path());
    let t = truth(dir.path());
    assert_eq!(msgs.len(), 2000);
    assert!(s.lists.len() >= 4 && s.lists.len() <= 6, "{:?}", s.lists);

    let mut years = HashSet::new();
    let mut sizes = Vec::new();
    let mut last_ts: HashMap<String, String> = HashMap::new();
    let mut date_of: HashMap<String, (String, String)> = HashMap::new();
    for (list, sep, raw) in &msgs {
        let date = &sep[sep.len() - 24..];
        years.insert(date[20..].to_string());
        sizes.push(raw.len() + sep.len() + 2);
        // Chronological within a file (compare via sortable key).
        let key = sortable(date);
        if let Some(prev) = last_ts.get(list) {
            assert!(prev <= &key, "{list}: {prev} > {key}");
        }
        last_ts.insert(list.clone(), key.clone());
        if let Some(id) = header(raw, "message-id") {
            date_of.insert(id, (key[..6].to_string(), date.to_string()));
        }
    }
    assert!(years.len() >= 5, "{years:?}");
    let med = median(&mut sizes);
    assert!((1536..=6144).contains(&med), "median {med}");
    assert!(sizes.iter().any(|&x| x > 100_000), "no long-tail message");

    // Threads: long-tailed sizes, some crossing a month boundary.
    let mut root_of: HashMap<String, String> = HashMap::new();
    let mut size: HashMap<String, usize> = HashMap::new();
    let mut crosses = 0;
    for x in &t {
        let id = x.message_id.clone().unwrap_or_default();
        let root = match &x.parent {
            Some(p) => root_of.get(p).cloned().unwrap_or_else(|| p.clone()),
            None => id.clone(),
        };
        if x.parent.is_some() && date_of[&root].0 != date_of[&id].0 {
            crosses += 1;
        }
        *size.entry(root.clone()).or_default() += 1;
        root_of.insert(id, root);
    }
    assert_eq!(size.len(), s.threads);
    let singletons = size.values().filter(|&&n| n == 1).count();
    let biggest = size.values().copied().max().unwrap_or(0);
    assert!(
        singletons * 4 > size.len(),
        "{singletons} singletons of {}",
        size.len()
    );
    assert!(biggest >= 25, "largest thread {biggest}");
    assert!(
        crosses >= 20,
        "{crosses} replies in a later month than their root"
    );
}

fn sortable(asctime: &str) -> String {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mon = M.iter().position(|m| *m == &asctime[4..7]).unwrap_or(0) + 1;
    let day: u32 = asctime[8..10].trim().parse().unwrap_or(0);
    format!(
        "{}{:02}{:02}{}",
        &asctime[20..24],
        mon,
        day,
        &asctime[11..19]
    )
}

#[test]
fn headers_are_realistic() {
    let (dir, _) = gen("headers", &opts(2000, 2, Format::Mbox, 0));
    let msgs = mbox_messages(dir.path());
    let t = truth(dir.path());
    let parent_of: HashMap<&str, Option<&str>> = t
        .iter()
        .filter_map(|x| Some((x.message_id.as_deref()?, x.parent.as_deref())))
        .collect();

    let (mut both, mut irt_only, mut refs_only, mut neither, mut replies) = (0, 0, 0, 0, 0);
    let (mut list_id, mut list_post, mut tagged, mut tag_lists, mut footer) = (0, 0, 0, 0, 0);
    let (mut via, mut enc_utf8_q, mut enc_latin, mut gmail_id, mut outlook_id, mut uuid_id) =
        (0, 0, 0, 0, 0, 0);
    let mut offsets = HashSet::new();
    for (list, _, raw) in &msgs {
        let h = headers(raw);
        let get = |n: &str| h.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        let id = get("message-id").unwrap_or_default();
        if let Some(Some(parent)) = parent_of.get(id) {
            replies += 1;
            let irt = get("in-reply-to");
            let refs = get("references");
            if let Some(i) = irt {
                assert_eq!(i, *parent);
            }
            if let Some(r) = refs {
                assert!(r.ends_with(parent), "References must end with the parent");
            }
            match (irt.is_some(), refs.is_some()) {
                (true, true) => both += 1,
                (true, false) => irt_only += 1,
                (false, true) => refs_only += 1,
                (false, false) => neither += 1,
            }
        }
        if let Some(l) = get("list-id") {
            list_id += 1;
            assert!(l.contains(&format!(" <{list}.")) && l.ends_with('>'), "{l}");
        }
        if get("list-post").is_some() {
            list_post += 1;
        }
        let subj = get("subject").unwrap_or_default();
        if list != "governance" {
            tag_lists += 1;
            if subj.contains('[') && subj.contains(']') || subj.contains("?=") {
                tagged += 1;
            }
        }
        let listinfo = format!("/mailman/listinfo/{list}\n");
        if String::from_utf8_lossy(raw).contains(&listinfo)
            || plain_text(raw).is_some_and(|t| t.contains(&listinfo))
        {
            footer += 1;
        }
        let from = get("from").unwrap_or_default();
        if from.contains(" via ") {
            via += 1;
            assert!(get("reply-to").is_some(), "munged From without Reply-To");
            assert!(from.contains(&format!("<{list}@")), "{from}");
        }
        let lower = String::from_utf8_lossy(split_head(raw).0).to_ascii_lowercase();
        if lower.contains("=?utf-8?q?") {
            enc_utf8_q += 1;
        }
        if lower.contains("=?iso-8859-1?") || lower.contains("=?windows-1252?") {
            enc_latin += 1;
        }
        if id.ends_with("@mail.gmail.com>") && id.starts_with("<CA") {
            gmail_id += 1;
        } else if id.ends_with(".prod.outlook.com>") {
            outlook_id += 1;
        } else if id.len() > 38 && id.as_bytes()[9] == b'-' && id.as_bytes()[14] == b'-' {
            uuid_id += 1;
        }
        if let Some(d) = get("date") {
            let off = d.split_whitespace().nth(5).unwrap_or("").to_string();
            offsets.insert(off);
        }
    }
    assert!(replies > 1000, "{replies} replies");
    assert!(both * 100 >= replies * 93, "both {both} of {replies}");
    assert!(
        irt_only >= 10 && irt_only * 100 <= replies * 4,
        "irt only {irt_only}"
    );
    assert!(
        refs_only + neither >= 2,
        "refs only {refs_only}, neither {neither}"
    );
    assert!(list_id * 100 >= 2000 * 90 && list_id < 2000, "{list_id}");
    assert_eq!(list_id, list_post);
    assert!(
        tagged * 100 >= tag_lists * 90,
        "{tagged} of {tag_lists} tagged"
    );
    assert!(footer * 100 >= 2000 * 93, "{footer} footers");
    assert!(via >= 40, "{via} DMARC-munged");
    assert!(
        enc_utf8_q >= 100 && enc_latin >= 10,
        "{enc_utf8_q} {enc_latin}"
    );
    assert!(
        gmail_id >= 200 && outlook_id >= 200 && uuid_id >= 100,
        "{gmail_id} {outlook_id} {uuid_id}"
    );
    for o in ["+0000", "+0200", "+0530", "-0300"] {
        assert!(offsets.contains(o), "{o} missing from {offsets:?}");
    }
    assert!(offsets.len() >= 8, "{offsets:?}");
}

#[test]
fn mime_variety() {
    let (dir, _) = gen("mime", &opts(2000, 3, Format::Maildir, 0));
    let msgs = maildir_messages(dir.path());
    let n = msgs.len();
    let count = |f: &dyn Fn(&str, &[u8]) -> bool| {
        msgs.iter()
            .filter(|(_, _, raw)| {
                let ct = header(raw, "content-type")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                f(&ct, raw)
            })
            .count()
    };
    let contains = |raw: &[u8], s: &str| raw.windows(s.len()).any(|w| w == s.as_bytes());
    let flowed = count(&|ct, _| ct.contains("format=flowed"));
    let delsp = count(&|ct, _| ct.contains("delsp=yes"));
    let alt = count(&|_, raw| contains(raw, "multipart/alternative"));
    let html_only =
        count(&|_, raw| contains(raw, "text/html") && !contains(raw, "multipart/alternative"));
    let attach = count(&|_, raw| contains(raw, "Content-Disposition: attachment"));
    let qp = count(&|_, raw| contains(raw, "Content-Transfer-Encoding: quoted-printable"));
    let eight = count(&|_, raw| contains(raw, "Content-Transfer-Encoding: 8bit"));
    let legacy = count(&|ct, _| ct.contains("iso-8859-1") || ct.contains("windows-1252"));
    let pct = |x: usize| x * 100 / n;
    assert!((5..=16).contains(&pct(flowed)), "flowed {flowed}");
    assert!(delsp > 0 && delsp < flowed, "delsp {delsp}");
    assert!((4..=13).contains(&pct(alt)), "alternative {alt}");
    assert!(
        (1..=4).contains(&pct(html_only)) || html_only >= 15,
        "html-only {html_only}"
    );
    assert!(
        (1..=6).contains(&pct(attach)) || attach >= 20,
        "attachments {attach}"
    );
    assert!(qp > n / 4 && eight > n / 20, "qp {qp} 8bit {eight}");
    assert!(legacy >= 20, "legacy charsets {legacy}");
    let mut att_sizes: Vec<usize> = msgs
        .iter()
        .filter(|(_, _, raw)| contains(raw, "Content-Disposition: attachment"))
        .map(|(_, _, raw)| raw.len())
        .collect();
    assert!(median(&mut att_sizes) > 25_000);

    // format=flowed bodies: soft breaks end in a space; stuffed lines exist.
    let flowed_bodies: Vec<&Vec<u8>> = msgs
        .iter()
        .map(|(_, _, r)| r)
        .filter(|r| {
            header(r, "content-type")
                .unwrap_or_default()
                .contains("format=flowed")
        })
        .collect();
    let soft = flowed_bodies
        .iter()
        .filter(|r| {
            split_head(r)
                .1
                .split(|&b| b == b'\n')
                .any(|l| l.ends_with(b" ") && l != b"-- ")
        })
        .count();
    assert!(
        soft * 2 > flowed_bodies.len(),
        "{soft} of {} flowed bodies have soft breaks",
        flowed_bodies.len()
    );
}

#[test]
fn quoting_styles_and_languages() {
    let (dir, _) = gen("quotes", &opts(2000, 4, Format::Maildir, 0));
    let msgs = maildir_messages(dir.path());
    let bodies: Vec<String> = msgs
        .iter()
        .filter_map(|(_, _, raw)| plain_text(raw))
        .collect();
    assert!(
        bodies.len() > 1500,
        "{} single-part text bodies",
        bodies.len()
    );
    let any_line =
        |pred: &dyn Fn(&str) -> bool| bodies.iter().filter(|b| b.lines().any(pred)).count();

    let gmail_en = any_line(&|l| {
        l.starts_with("On ")
            && l.contains(", 20")
            && l.contains(" at ")
            && l.contains(" <")
            && l.ends_with("> wrote:")
    });
    let gmail_es =
        any_line(&|l| l.starts_with("El ") && l.contains(" a las ") && l.ends_with(">) escribió:"));
    let gmail_pt =
        any_line(&|l| l.starts_with("Em ") && l.contains(" às ") && l.ends_with("> escreveu:"));
    let gmail_fr =
        any_line(&|l| l.starts_with("Le ") && l.contains(" à ") && l.ends_with("> a écrit :"));
    let apple = any_line(&|l| {
        l.starts_with("On ")
            && l.contains(", at ")
            && l.ends_with("> wrote:")
            && l.split(' ')
                .nth(1)
                .is_some_and(|d| d.parse::<u32>().is_ok())
    });
    let thunderbird = any_line(&|l| {
        l.starts_with("On ")
            && l.ends_with(" wrote:")
            && !l.contains('<')
            && l.split(' ')
                .nth(1)
                .is_some_and(|d| d.matches('/').count() == 2)
    });
    let outlook = bodies
        .iter()
        .filter(|b| {
            let lines: Vec<&str> = b.lines().collect();
            lines.windows(3).any(|w| {
                (w[0] == "________________________________"
                    || w[0].starts_with("-----Original Message"))
                    && ["From: ", "De: ", "De : ", "Von: ", "Från: "]
                        .iter()
                        .any(|p| w[1].starts_with(p))
                    && [
                        "Sent: ",
                        "Enviado: ",
                        "Envoyé : ",
                        "Enviada: ",
                        "Gesendet: ",
                        "Skickat: ",
                    ]
                    .iter()
                    .any(|p| w[2].starts_with(p))
            })
        })
        .count();
    let outlook_translated = any_line(&|l| {
        l.starts_with("Enviado: ") || l.starts_with("Envoyé : ") || l.starts_with("Enviada: ")
    });
    let nested = any_line(&|l| l.starts_with("> > ") || l.starts_with(">> "));
    let interleaved = bodies
        .iter()
        .filter(|b| {
            // quote, own text, quote again
            let kinds: Vec<bool> = b
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.starts_with('>'))
                .collect();
            kinds.windows(3).any(|w| w[0] && !w[1] && w[2])
        })
        .count();
    for (name, c) in [
        ("gmail en", gmail_en),
        ("gmail es", gmail_es),
        ("gmail pt", gmail_pt),
        ("gmail fr", gmail_fr),
        ("apple", apple),
        ("thunderbird", thunderbird),
        ("outlook", outlook),
        ("outlook translated", outlook_translated),
        ("nested", nested),
        ("interleaved", interleaved),
    ] {
        assert!(c >= 5, "{name}: {c}");
    }

    // Languages, by typical closing / greeting formulas.
    let lang = |words: &[&str]| {
        bodies
            .iter()
            .filter(|b| words.iter().any(|w| b.contains(w)))
            .count()
    };
    let en = lang(&[
        "Best regards,",
        "Kind regards,",
        "Dear colleagues,",
        "Dear all,",
    ]);
    let es = lang(&[
        "Saludos cordiales,",
        "Un abrazo,",
        "Estimados colegas:",
        "Hola a todos,",
    ]);
    let pt = lang(&[
        "Abraços,",
        "Atenciosamente,",
        "Prezados colegas,",
        "Olá a todos,",
    ]);
    let fr = lang(&[
        "Bien cordialement,",
        "Cordialement,",
        "Chers collègues,",
        "Bonjour à tous,",
    ]);
    for (name, c) in [("en", en), ("es", es), ("pt", pt), ("fr", fr)] {
        assert!(c >= 40, "{name}: {c}");
    }
    // Localised reply prefixes.
    let subjects: Vec<String> = msgs
        .iter()
        .filter_map(|(_, _, r)| header(r, "subject"))
        .collect();
    assert!(subjects.iter().any(|s| s.starts_with("RE: ")));
    assert!(subjects.iter().any(|s| s.starts_with("Re: ")));
}

#[test]
fn malformed_kinds_are_present_and_well_formed_otherwise() {
    let o = opts(900, 9, Format::Maildir, 18);
    let (dir, _) = gen("malformed", &o);
    let t = truth(dir.path());
    let msgs = maildir_messages(dir.path());
    let positions: Vec<usize> = t
        .iter()
        .enumerate()
        .filter(|(_, x)| x.malformed.is_some())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(positions.len(), 18);
    assert!(
        positions[0] < 900 / 18 && positions[17] > 900 - 900 / 18,
        "{positions:?}"
    );
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in &positions {
        let x = &t[i];
        let kind = x.malformed.as_deref().unwrap_or("");
        *kinds.entry(kind).or_default() += 1;
        let raw = &msgs[i].2;
        if kind != "no_headers" {
            assert_eq!(
                header(raw, "message-id").as_deref(),
                x.message_id.as_deref(),
                "{kind}"
            );
            assert!(
                header(raw, "from").is_some() && header(raw, "date").is_some(),
                "{kind}"
            );
        }
        let (_, body) = split_head(raw);
        match kind {
            "no_headers" => {
                let first = raw.split(|&b| b == b'\n').next().unwrap_or_default();
                assert!(!first.contains(&b':'), "{}", String::from_utf8_lossy(first));
                assert!(header(raw, "message-id").is_none());
            }
            "nul_bytes" => assert!(raw.contains(&0u8)),
            "invalid_base64" => {
                assert_eq!(
                    header(raw, "content-transfer-encoding").as_deref(),
                    Some("base64")
                );
                assert!(body
                    .iter()
                    .any(|&c| !(c.is_ascii_alphanumeric() || b"+/=\n".contains(&c))));
            }
            "huge_body" => assert_eq!(body.len(), o.big_body_bytes),
            "unescaped_from" => {
                let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
                let i = lines
                    .iter()
                    .position(|l| is_separator(l))
                    .expect("fake separator in body");
                assert!(i > 0 && lines[i - 1].is_empty());
                assert!(lines.len() > i + 2 && !lines[i + 1].is_empty());
            }
            "truncated_mime" => {
                let ct = header(raw, "content-type").unwrap_or_default();
                assert!(ct.starts_with("multipart/mixed"), "{ct}");
                let b = ct
                    .split("boundary=\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .unwrap_or("");
                assert!(!b.is_empty());
                let text = String::from_utf8_lossy(body);
                assert!(text.contains(&format!("--{b}\n")));
                assert!(!text.contains(&format!("--{b}--")));
                let last = text.lines().rev().find(|l| !l.is_empty()).unwrap_or("");
                assert!(last.len() % 4 != 0 && last.len() < 76, "{last}");
            }
            other => panic!("unknown kind {other}"),
        }
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert!(kinds.values().all(|&c| c == 3), "{kinds:?}");
}

#[test]
fn six_malformed_cover_every_kind_and_unescaped_from_stays_unescaped() {
    let (dir, _) = gen("unescaped", &opts(300, 12, Format::Mbox, 6));
    let kinds: HashSet<String> = truth(dir.path())
        .into_iter()
        .filter_map(|x| x.malformed)
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    let all: Vec<u8> = tree(&dir.path().join("mbox"))
        .into_values()
        .flatten()
        .collect();
    let fake = all
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"From ") && is_separator(l))
        .filter(|l| {
            let s = String::from_utf8_lossy(l);
            s.contains("@example.")
        })
        .count();
    assert_eq!(fake, 1);
}

#[test]
fn progress_options_and_output_checks() {
    let dir = TempDir::new("progress");
    let mut calls = Vec::new();
    let s = generate_with_progress(dir.path(), &opts(2500, 1, Format::Mbox, 0), &mut |n| {
        calls.push(n)
    })
    .expect("generate");
    assert_eq!(calls, vec![1000, 2000, 2500]);
    assert!(dir.path().join("truth.jsonl").is_file());
    assert!(!dir.path().join("truth.jsonl.partial").exists());
    assert_eq!(s.messages, 2500);
    // A second run into the same directory is refused.
    assert!(matches!(
        generate(dir.path(), &opts(10, 1, Format::Mbox, 0)),
        Err(GenError::OutputNotEmpty(_))
    ));
    // More malformed than messages is refused.
    let other = TempDir::new("bad");
    assert!(matches!(
        generate(other.path(), &opts(5, 1, Format::Mbox, 6)),
        Err(GenError::InvalidOptions(_))
    ));
    // Zero messages is fine.
    let empty = TempDir::new("empty");
    let s = generate(empty.path(), &opts(0, 1, Format::Mbox, 0)).expect("empty corpus");
    assert_eq!((s.messages, s.threads, s.bytes), (0, 0, 0));
    assert!(s.lists.is_empty());
    assert_eq!(
        fs::read(empty.path().join("truth.jsonl"))
            .map(|v| v.len())
            .ok(),
        Some(0)
    );
    // All malformed is fine too.
    let all = TempDir::new("allbad");
    let s = generate(all.path(), &opts(12, 1, Format::Mbox, 12)).expect("all malformed");
    assert_eq!(s.malformed, 12);
    assert_eq!(GenOptions::default().messages, 2000);
    assert_eq!(GenOptions::default().big_body_bytes, 20 * 1024 * 1024);
}

#[test]
fn agenda_is_plausible() {
    let (dir, _) = gen("agenda", &opts(2000, 6, Format::Mbox, 0));
    let text = fs::read_to_string(dir.path().join("agenda/sessions.json")).expect("agenda");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let sessions = v.as_array().expect("array of sessions");
    assert!((20..=40).contains(&sessions.len()), "{}", sessions.len());
    let corpus: String = tree(&dir.path().join("mbox"))
        .values()
        .map(|d| String::from_utf8_lossy(d).into_owned())
        .collect();
    let (mut speakers, mut known) = (0, 0);
    let mut numbers = HashSet::new();
    for s in sessions {
        for k in [
            "event",
            "title",
            "start",
            "end",
            "room",
            "session_type",
            "participation",
            "description",
        ] {
            assert!(s[k].as_str().is_some_and(|x| !x.is_empty()), "{k} in {s}");
        }
        assert!(numbers.insert(s["number"].as_u64().expect("number")));
        let (start, end) = (
            s["start"].as_str().unwrap_or(""),
            s["end"].as_str().unwrap_or(""),
        );
        assert_eq!(start.len(), 25, "{start}");
        assert!(start[19..].starts_with('+') || start[19..].starts_with('-'));
        assert!(start < end, "{start} {end}");
        let ev = s["event"].as_str().unwrap_or("");
        assert!(
            ev.starts_with("WSIS Forum 20") || ev.starts_with("IGF 20"),
            "{ev}"
        );
        for k in ["organisers", "speakers", "action_lines", "sdgs", "topics"] {
            assert!(s[k].as_array().is_some_and(|a| !a.is_empty()), "{k}");
        }
        assert!(s["gdc_objectives"].is_array());
        for sp in s["speakers"].as_array().into_iter().flatten() {
            for k in ["honorific", "name", "position", "organization", "role"] {
                assert!(sp[k].as_str().is_some_and(|x| !x.is_empty()), "{k}");
            }
            speakers += 1;
            if corpus.contains(sp["name"].as_str().unwrap_or("?")) {
                known += 1;
            }
        }
        for a in s["action_lines"].as_array().into_iter().flatten() {
            assert!(a.as_str().is_some_and(|x| x.starts_with('C')));
        }
        for g in s["sdgs"].as_array().into_iter().flatten() {
            assert!((1..=17).contains(&g.as_u64().unwrap_or(0)));
        }
    }
    assert!(
        known * 3 >= speakers,
        "{known} of {speakers} speakers appear in the mail"
    );
}
