//! One-screen summary per file: `cargo run -p plenary-quotes --example summary -- FILES...`.
fn main() {
    for path in std::env::args().skip(1) {
        let Ok(b) = std::fs::read(&path) else {
            continue;
        };
        let body = String::from_utf8_lossy(&b).into_owned();
        let a = plenary_quotes::analyze(&body);
        let name = path.rsplit('/').next().unwrap_or(&path);
        println!("## {name}: {} msgs", a.messages.len());
        for (i, m) in a.messages.iter().enumerate() {
            let who = m.attribution.as_ref().map(|x| {
                format!(
                    "{:?} {:?} <{}> {} [{}]",
                    x.style,
                    x.name.as_deref().unwrap_or("-"),
                    x.address.as_deref().unwrap_or("-"),
                    x.date
                        .map(|d| format!(
                            "{}-{:02}-{:02} {:02}:{:02}",
                            d.year, d.month, d.day, d.hour, d.minute
                        ))
                        .unwrap_or("-".into()),
                    x.language.as_deref().unwrap_or("-")
                )
            });
            let t: String = m.text.replace('\n', " / ").chars().take(90).collect();
            let s: String = m
                .signature
                .as_deref()
                .unwrap_or("")
                .replace('\n', " / ")
                .chars()
                .take(40)
                .collect();
            println!(
                "  {i} d{} {}{}\n     text: {t}\n     sig: {s}",
                m.depth,
                if m.interleaved { "[interleaved] " } else { "" },
                who.unwrap_or_default()
            );
        }
        let kinds: Vec<String> = a
            .zones
            .iter()
            .filter(|z| {
                !matches!(
                    z.kind,
                    plenary_quotes::ZoneKind::NewText | plenary_quotes::ZoneKind::Quoted
                )
            })
            .map(|z| format!("{:?}@{}", z.kind, z.message))
            .collect();
        println!("  zones: {}", kinds.join(" "));
    }
}
