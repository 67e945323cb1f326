//! Learning a list's footer from its messages.

/// The longest common suffix, by whole lines, of a list's message bodies:
/// the footer the list software appends to every message. Lines are compared
/// with trailing whitespace removed and trailing blank lines ignored; the
/// result must hold at least two non-blank lines. Needs at least two bodies.
/// Pass the result in [`crate::Options::footers`].
pub fn learned_footer(bodies: &[&str]) -> Option<String> {
    if bodies.len() < 2 {
        return None;
    }
    let split: Vec<Vec<&str>> = bodies
        .iter()
        .map(|b| {
            let mut ls: Vec<&str> = b.lines().map(|l| l.trim_end()).collect();
            while ls.last().is_some_and(|l| l.is_empty()) {
                ls.pop();
            }
            ls
        })
        .collect();
    let shortest = split.iter().map(|l| l.len()).min()?;
    let first = &split[0];
    let mut k = 0;
    while k < shortest {
        let want = first[first.len() - 1 - k];
        if split.iter().all(|ls| ls[ls.len() - 1 - k] == want) {
            k += 1;
        } else {
            break;
        }
    }
    let mut suffix: Vec<&str> = first[first.len() - k..].to_vec();
    while suffix.first().is_some_and(|l| l.trim().is_empty()) {
        suffix.remove(0);
    }
    let non_blank = suffix.iter().filter(|l| !l.trim().is_empty()).count();
    (non_blank >= 2).then(|| suffix.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix() {
        let f = "_______________________________________________\nGovernance mailing list\nGovernance@lists.example.org\nhttps://lists.example.org/listinfo/governance";
        let a = format!("Hello all,\nI agree.\n\n{f}\n");
        let b = format!("Dear colleagues\n\nNo objection from us.\nBest\nMaria\n\n{f}\n\n");
        let c = format!("+1\n{f}");
        assert_eq!(learned_footer(&[&a, &b, &c]).as_deref(), Some(f));
        assert_eq!(learned_footer(&[&a]), None);
        assert_eq!(learned_footer(&["one\ntwo", "three\nfour"]), None);
        // one common line is not a footer
        assert_eq!(learned_footer(&["a\nThanks", "b\nThanks"]), None);
    }
}
