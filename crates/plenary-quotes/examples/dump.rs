//! Print the analysis of a file: `cargo run -p plenary-quotes --example dump -- FILE [SKIP_LINES]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump FILE [SKIP_LINES]");
        return;
    };
    let skip: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let raw = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("{path}: {e}");
            return;
        }
    };
    let body: String = raw.split_inclusive('\n').skip(skip).collect();
    let a = plenary_quotes::analyze(&body);
    for z in &a.zones {
        let text = &body[z.start..z.end];
        let first = text.lines().next().unwrap_or("");
        println!(
            "{:>6}..{:<6} {:<20} d{} q{} m{} | {}",
            z.start,
            z.end,
            format!("{:?}", z.kind),
            z.depth,
            z.quote_level,
            z.message,
            first.chars().take(70).collect::<String>()
        );
    }
    for (i, m) in a.messages.iter().enumerate() {
        println!(
            "\n=== message {i} depth {} parent {:?} interleaved {}",
            m.depth, m.parent, m.interleaved
        );
        if let Some(at) = &m.attribution {
            println!(
                "  {:?} lang {:?} name {:?} / {:?} addr {:?} via {:?}\n  date {:?} text {:?}\n  subject {:?} to {:?} cc {:?}",
                at.style, at.language, at.name, at.normalized_name, at.address, at.via_list, at.date, at.date_text, at.subject, at.to, at.cc
            );
        }
        let t: String = if std::env::var("FULL").is_ok() {
            m.text.clone()
        } else {
            m.text.chars().take(160).collect()
        };
        println!("  text: {t:?}");
        println!(
            "  sig: {:?}",
            m.signature
                .as_deref()
                .map(|s| s.chars().take(100).collect::<String>())
        );
    }
}
