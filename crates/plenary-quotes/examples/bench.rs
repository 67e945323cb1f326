//! Linear-time check: `cargo run --release -p plenary-quotes --example bench`.
//! Builds a 10 MB realistic body and a body with 10,000 nested quote levels,
//! analyses each five times, and prints a Markdown table of milliseconds.

use std::time::Instant;

use plenary_quotes::{analyze_with, Options, MAX_DEPTH_LIMIT};

fn realistic(target: usize) -> String {
    let reply = "Dear colleagues,\nI agree with the proposal on enhanced cooperation.\nBest,\nAna\n\nOn Tue, Jul 22, 2025 at 5:06 PM Paul Blaker <paul@x.uk> wrote:\n> The CSTD could be leveraged more effectively.\n> > On 21 Jul 2025, at 10:00, Raúl <raul@alai.lat> wrote:\n> > We should keep the old language.\n> _______________________________________________\n> WG-Strategy mailing list\n";
    let mut s = String::with_capacity(target + reply.len());
    while s.len() < target {
        s.push_str(reply);
    }
    s
}

fn nested(levels: usize) -> String {
    let mut s = String::new();
    for k in 0..levels {
        let marks = ">".repeat(k);
        s.push_str(&format!(
            "{marks} On Mon, Jan 1, 2024 at 10:00 AM Person {k} <p{k}@x.org> wrote:\n"
        ));
    }
    s.push_str(&">".repeat(levels));
    s.push_str(" the innermost words\n");
    s
}

fn main() {
    let cases = [
        ("10 MB realistic body", realistic(10 * 1024 * 1024)),
        ("10,000 nested quote levels", nested(10_000)),
    ];
    println!("| case | bytes | median ms | min ms | max ms | messages |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, body) in &cases {
        let opts = Options {
            max_bytes: body.len() + 1,
            max_depth: MAX_DEPTH_LIMIT,
            ..Options::default()
        };
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let a = analyze_with(body, &opts);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            n = a.messages.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} | {n} |",
            body.len(),
            times[2],
            times[0],
            times[4]
        );
    }
}
