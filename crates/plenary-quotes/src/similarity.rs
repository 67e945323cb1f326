//! Text similarity for matching a quote to an archived original.

use std::collections::HashSet;

/// FNV-1a over the words of a shingle. Written here rather than taken from the `fnv` crate
/// the other crates use: plenary-quotes keeps its dependencies to serde and aho-corasick,
/// and these hashes live only in memory while two texts are compared.
fn fnv<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Calls `f` with the hash of each word 3-shingle of `s`, in order (of each word when
/// there are fewer than three). The words are lowercased into one buffer: a candidate
/// original is read for every quote it may hold, and a `String` per word was most of
/// the cost of reading it.
fn for_each_shingle(s: &str, mut f: impl FnMut(u64)) {
    let mut low: Vec<u8> = Vec::with_capacity(s.len());
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let start = low.len();
        if w.is_ascii() {
            low.extend(w.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            // (the whole word at once: a final sigma depends on it)
            low.extend_from_slice(w.to_lowercase().as_bytes());
        }
        spans.push((start, low.len()));
    }
    let word = |&(a, b): &(usize, usize)| low.get(a..b).unwrap_or_default();
    if spans.len() < 3 {
        spans.iter().for_each(|sp| f(fnv([word(sp)])));
    } else {
        spans
            .windows(3)
            .for_each(|win| f(fnv(win.iter().map(word))));
    }
}

/// Word 3-shingles (single words when a text has fewer than three), hashed.
fn shingles(s: &str) -> HashSet<u64> {
    let mut out = HashSet::new();
    for_each_shingle(s, |h| {
        out.insert(h);
    });
    out
}

/// Jaccard similarity of the word 3-shingles of `a` and `b` (case and
/// punctuation ignored, so quote markers and re-wrapping do not matter),
/// in `0.0..=1.0`. Two texts without words are identical (1.0). Linear in
/// the input size.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (shingles(a), shingles(b));
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    let inter = x.intersection(&y).count();
    let union = x.len() + y.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Share of `part`'s word 3-shingles found in `whole`, in `0.0..=1.0`: how
/// much of a (possibly trimmed) quote is in a candidate original.
pub fn containment(part: &str, whole: &str) -> f64 {
    let (x, y) = (shingles(part), shingles(whole));
    if x.is_empty() {
        return if y.is_empty() { 1.0 } else { 0.0 };
    }
    x.intersection(&y).count() as f64 / x.len() as f64
}

/// A text's shingles, taken once, for measuring how much of it is in many candidate
/// texts ([`containment`] with the same `part` against each).
#[derive(Debug, Clone)]
pub struct Shingled(HashSet<u64>);

impl Shingled {
    /// The shingles of `text`.
    pub fn new(text: &str) -> Shingled {
        Shingled(shingles(text))
    }

    /// `containment(part, whole)` for the `part` this was taken from.
    pub fn contained_in(&self, whole: &str) -> f64 {
        // the distinct shingles of `whole` that are this text's, without a set of all
        // of `whole`'s (candidates are often much longer than the quote)
        if self.0.is_empty() {
            let any_word = whole
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| !w.is_empty());
            return if any_word { 0.0 } else { 1.0 };
        }
        let mut found: HashSet<u64> = HashSet::new();
        for_each_shingle(whole, |h| {
            if self.0.contains(&h) {
                found.insert(h);
            }
        });
        found.len() as f64 / self.0.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shingles as first written: a `String` per lowercased word.
    fn shingles_by_words(s: &str) -> HashSet<u64> {
        let w: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect();
        let h = |ws: &[String]| fnv(ws.iter().map(String::as_bytes));
        if w.len() < 3 {
            return w.iter().map(|x| h(std::slice::from_ref(x))).collect();
        }
        w.windows(3).map(h).collect()
    }

    #[test]
    fn shingles_are_those_of_the_lowercased_words() {
        for t in [
            "",
            "one",
            "Two Words",
            "The CSTD could be leveraged more effectively.",
            "ΟΔΟΣ ΣΟΦΙΑΣ ΚΑΙ ΣΟΦΟΣ: final sigma Σ in words",
            "İstanbul ÇAĞRI straße STRASSE ǅemal Ⅻ ½ x²",
            "mixed-ASCII_and ünïcödé\u{a0}words, 1,2,3 and ⁂ and 中文 مرحبا",
        ] {
            assert_eq!(shingles(t), shingles_by_words(t), "{t}");
        }
    }

    #[test]
    fn basics() {
        let a = "The central role of the Commission on Science and Technology for Development should continue.";
        let b = "> The central role of the Commission on Science and\n> Technology for Development should continue.";
        assert!((similarity(a, b) - 1.0).abs() < 1e-9);
        assert!(similarity(a, "Something else entirely, about spam and cybercrime.") < 0.05);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("words here too", ""), 0.0);
        let part = "Commission on Science and Technology for Development";
        assert!((containment(part, a) - 1.0).abs() < 1e-9);
        for (x, y) in [
            (part, a),
            (a, b),
            ("", ""),
            ("", a),
            (a, ""),
            ("two words", b),
        ] {
            assert_eq!(Shingled::new(x).contained_in(y), containment(x, y));
        }
        assert!(similarity(part, a) < 1.0);
    }
}
