//! Time the analysis of ~1 MB bodies of several shapes:
//! `cargo run --release -p plenary-quotes --example timing [SEED_FILE]`.
use std::time::Instant;

fn fill(unit: &str, size: usize) -> String {
    let mut s = String::with_capacity(size + unit.len());
    while s.len() < size {
        s.push_str(unit);
    }
    s
}

fn main() {
    const MB: usize = 1 << 20;
    let mut shapes: Vec<(String, String)> = Vec::new();
    if let Some(p) = std::env::args().nth(1) {
        if let Ok(seed) = std::fs::read_to_string(&p) {
            shapes.push((
                "seed x N (nested, flattened Outlook)".into(),
                fill(&seed, MB - 30_000),
            ));
        }
    }
    shapes.push((
        "prose".into(),
        fill("The central role of the Commission on Science and Technology for Development\nshould continue to be reinforced in the UN system, with a modernized mandate.\n\n", MB),
    ));
    shapes.push((
        "inline replies".into(),
        fill(
            "> What about option B?\n\nOption B has some drawbacks.\n\n",
            MB,
        ),
    ));
    shapes.push(("blank lines".into(), "\n".repeat(MB)));
    shapes.push((
        "attribution chain".into(),
        fill(
            "On 23/07/25 19:02, Veni Markovski wrote:\n\nThanks, Raul.\n",
            MB,
        ),
    ));
    shapes.push((
        "header blocks".into(),
        fill("From: A <a@example.org>\nSent: 23 July 2025 14:42\nTo: l@example.org\nSubject: x\n\nbody\n", MB),
    ));
    shapes.push((
        "deep markers".into(),
        fill(&format!("{} deep\n", "> ".repeat(80)), MB),
    ));
    shapes.push((
        "sign-offs".into(),
        fill("Best,\n\nPaul\n\nPaul Blaker\n", MB),
    ));
    shapes.push(("footers".into(), fill("_______________________________________________\nX mailing list\nX at example.org\nhttp://example.org/mailman/listinfo/x\n", MB)));
    shapes.push((
        "date-ish colon lines".into(),
        fill(&format!("{}:\n", "Mon at Jul 22 ".repeat(18)), MB),
    ));
    shapes.push((
        "wrote-ish colon lines".into(),
        fill(
            &format!(
                "On {} wrote:\n> x\n",
                "Tue, 22 Jul 2025 at 5:06 PM ".repeat(8)
            ),
            MB,
        ),
    ));
    for (name, body) in &shapes {
        let t = Instant::now();
        let mut n = 0;
        let runs = 3;
        for _ in 0..runs {
            let a = plenary_quotes::analyze(body);
            n = a.messages.len() + a.zones.len();
        }
        let dt = t.elapsed() / runs;
        println!(
            "{name:<40} {:>8} bytes  {:>8.1} ms  ({n} messages+zones)",
            body.len(),
            dt.as_secs_f64() * 1000.0
        );
    }
}
