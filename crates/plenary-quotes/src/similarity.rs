//! Text similarity for matching a quote to an archived original.

use std::collections::HashSet;

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// FNV-1a over the words of a shingle. Written here rather than taken from the `fnv` crate
/// the other crates use: plenary-quotes depends on nothing but serde, and these hashes
/// live only in memory while two texts are compared.
fn fnv(parts: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Word 3-shingles (single words when a text has fewer than three), hashed.
fn shingles(s: &str) -> HashSet<u64> {
    let w = words(s);
    if w.len() < 3 {
        return w.iter().map(|x| fnv(std::slice::from_ref(x))).collect();
    }
    w.windows(3).map(fnv).collect()
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
        let w = words(whole);
        if self.0.is_empty() {
            return if w.is_empty() { 1.0 } else { 0.0 };
        }
        // the distinct shingles of `whole` that are this text's, without a set of all
        // of `whole`'s (candidates are often much longer than the quote)
        let mut found: HashSet<u64> = HashSet::new();
        let mut see = |h: u64| {
            if self.0.contains(&h) {
                found.insert(h);
            }
        };
        if w.len() < 3 {
            w.iter().for_each(|x| see(fnv(std::slice::from_ref(x))));
        } else {
            w.windows(3).for_each(|x| see(fnv(x)));
        }
        found.len() as f64 / self.0.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
