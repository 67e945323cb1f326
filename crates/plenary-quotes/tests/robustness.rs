//! Hostile and random input: analysis never panics, zones always tile the
//! body, limits hold.

use crate::common::assert_tiles;
use plenary_quotes::{analyze, analyze_with, similarity, Options, ZoneKind};
use std::path::Path;

/// xorshift64*, deterministic.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Lines that exercise every detector, to be shuffled into bodies.
const PIECES: &[&str] = &[
    "",
    ">",
    "> ",
    "> > ",
    ">>>",
    "Hi all,",
    "Dear Ana",
    "Thanks for this.",
    "Best,",
    "best, parminder",
    "Paul",
    "Paul Blaker",
    "-- ",
    "--",
    "Sent from my iPhone",
    "OFFICIAL",
    "[SEC=OFFICIAL]",
    "On Tue, Jul 22, 2025 at 5:06 PM Paul Blaker <paul@example.org> wrote:",
    "On 2025/07/23 18:36, Ana Neves via WG-Strategy wrote:",
    "On 23/07/25 19:02, Veni Markovski wrote:",
    "El 22 jul. 2025, a las 5:06 p. m., Wolfgang",
    "<wolfgang at example.info> escribió:",
    "Am Mi., 23. Juli 2025 um 10:15 Uhr schrieb Hans <h@example.de>:",
    "вт, 22 июл. 2025 г. в 17:06, Иван <i@example.ru>:",
    "2025年7月22日(火) 17:06 山田 <y@example.jp>:",
    "*De:*Blaker, Paul (DSIT) via WG-Strategy <wg-strategy at example.org>",
    "*Enviada:* 23 de julho de 2025 16:03",
    "*Para:* wg-strategy at example.org",
    "*Assunto:* Re: Text",
    "From: Someone <s@example.org>",
    "Sent: Tuesday, July 22, 2025 22:46",
    "To: list@example.org",
    "Subject: Re: hello",
    "<mailto:s@example.org>",
    "________________________________",
    "-----Original Message-----",
    "---------- Forwarded message ---------",
    "_______________________________________________",
    "WG-Strategy mailing list",
    "WG-Strategy at intgovforum.org",
    "http://intgovforum.org/mailman/listinfo/wg-strategy",
    "You received this message because you are subscribed to the Google Groups \"x\" group.",
    "-------------- next part --------------",
    "An HTML attachment was scrubbed...",
    "URL: <http://example.org/attachment.htm>",
    "I am sending this message at a time that works well for me.",
    "This email and any attachments are confidential and intended solely for the addressee.",
    "Yes, Paul, that is the default.",
    "A fairly ordinary line of prose about enhanced cooperation and the CSTD.",
    ":",
    "wrote:",
    "\u{feff}\u{200f}",
    "ñandú 日本語 العربية Ελληνικά",
    "> On Mon, 1 Jan 2024 at 10:00, A <a@x.org> wrote:",
    "> > deeper text",
];

fn soup(rng: &mut Rng, lines: usize) -> String {
    let mut s = String::new();
    for _ in 0..lines {
        let quote = match rng.below(6) {
            0 => "> ",
            1 => "> > ",
            2 => ">",
            _ => "",
        };
        s.push_str(quote);
        s.push_str(PIECES[rng.below(PIECES.len())]);
        s.push_str(if rng.below(10) == 0 { "\r\n" } else { "\n" });
    }
    if rng.below(2) == 0 {
        s.pop();
    }
    s
}

#[test]
fn random_line_soup_tiles() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..1500 {
        let n = 1 + rng.below(60);
        let body = soup(&mut rng, n);
        let a = analyze(&body);
        assert_tiles(&body, &a);
        if round % 7 == 0 {
            let opts = Options {
                footers: vec!["WG-Strategy mailing list\nWG-Strategy at intgovforum.org".into()],
                author: Some("Paul Blaker <paul@example.org>".into()),
                max_depth: 1 + rng.below(4) as u32,
                ..Options::default()
            };
            let a = analyze_with(&body, &opts);
            assert_tiles(&body, &a);
            assert!(a.messages.iter().all(|m| m.depth <= opts.max_depth));
        }
    }
}

#[test]
fn random_bytes_tile() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let alphabet = b"> \n\r\t:-_*<>@.,;/()[]0123456789aAoOnNwWrRtTeE";
    for _ in 0..1500 {
        let len = rng.below(400);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if rng.below(3) == 0 {
                    (rng.next() & 0xff) as u8
                } else {
                    alphabet[rng.below(alphabet.len())]
                }
            })
            .collect();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let a = analyze(&body);
        assert_tiles(&body, &a);
    }
}

#[test]
fn perturbed_seed_shapes_tile() {
    // take a realistic body and cut, duplicate and re-quote its lines
    let base = "Dear Ana\nThanks.\nAnriette\n\nOn 2025/07/23 18:36, Ana Neves via WG-Strategy wrote:\n>\n> Thanks, Paul.\n>\n> Ana\n>\n> *De:*Blaker, Paul (DSIT) via WG-Strategy <wg-strategy at intgovforum.org>\n> *Enviada:* 23 de julho de 2025 16:03\n> *Para:* wg-strategy at intgovforum.org\n> *Assunto:* Re: Text\n>\n> OFFICIAL\n>\n> Hi all\n>\n> On 23/07/25 19:02, Veni Markovski wrote:\n>\n> Thanks, Raul.\n>\n> Yes, Veni, agreed.\n>\n> best, parminder\n>\n> Best,\n>\n> v/\n>\n> _______________________________________________\n> WG-Strategy mailing list\n-------------- next part --------------\nAn HTML attachment was scrubbed...\n";
    let lines: Vec<&str> = base.lines().collect();
    let mut rng = Rng(42);
    for _ in 0..800 {
        let mut out = String::new();
        for _ in 0..rng.below(lines.len() * 2) {
            let l = lines[rng.below(lines.len())];
            if rng.below(4) == 0 {
                out.push_str("> ");
            }
            let l = if rng.below(5) == 0 {
                // cut the line at a char boundary
                let cut = rng.below(l.len() + 1);
                let mut c = cut;
                while !l.is_char_boundary(c) {
                    c -= 1;
                }
                &l[..c]
            } else {
                l
            };
            out.push_str(l);
            out.push('\n');
        }
        let a = analyze(&out);
        assert_tiles(&out, &a);
    }
}

#[test]
fn deep_nesting_is_capped() {
    // 300 levels of `>`
    let mut body = String::new();
    for d in 0..300 {
        body.push_str(&">".repeat(d));
        body.push_str(&format!(" level {d}\n"));
    }
    let a = analyze(&body);
    assert_tiles(&body, &a);
    assert!(a.messages.iter().all(|m| m.depth <= 64));
    assert!(a
        .zones
        .iter()
        .any(|z| z.kind == ZoneKind::Quoted && z.depth == 64));

    // 200 unmarked Outlook blocks, each owning everything below it
    let mut body = String::new();
    for d in 0..200 {
        body.push_str(&format!(
            "reply {d}\n\nFrom: Person {d} <p{d}@example.org>\nSent: 22 July 2025 10:{:02}\nTo: list@example.org\nSubject: Re: x\n\n",
            d % 60
        ));
    }
    let a = analyze(&body);
    assert_tiles(&body, &a);
    assert_eq!(a.messages.len(), 65);
}

#[test]
fn size_limit_and_long_lines() {
    let mut body = String::new();
    while body.len() < (1 << 20) + 5000 {
        body.push_str("> On Tue, Jul 22, 2025 at 5:06 PM A <a@example.org> wrote:\n> > quoted text here\nanswer\n");
    }
    let a = analyze(&body);
    assert_tiles(&body, &a);
    assert!(a.truncated);
    let last = a.zones.last().copied().expect("zones");
    assert_eq!(
        (last.kind, last.message, last.end),
        (ZoneKind::NewText, 0, body.len())
    );

    // one enormous line, and a line of nothing but markers
    for body in [
        "x".repeat(3 << 20),
        ">".repeat(200_000),
        format!("{}\n{}", "a ".repeat(100_000), "> b"),
    ] {
        let a = analyze(&body);
        assert_tiles(&body, &a);
    }
    let opts = Options {
        max_bytes: 10,
        ..Options::default()
    };
    let body = "line one\nline two\nline three\n";
    let a = analyze_with(body, &opts);
    assert_tiles(body, &a);
    assert!(a.truncated);
}

#[test]
fn empty_and_trivial() {
    for body in [
        "",
        "\n",
        "\n\n\n",
        ">",
        "> \n>",
        "x",
        "\r\n",
        "On x wrote:",
        "From: a",
    ] {
        let a = analyze(body);
        assert_tiles(body, &a);
    }
    assert_eq!(similarity("", ""), 1.0);
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Other parsers' test inputs: never panic, always tile.
#[test]
fn shared_fixtures_tile() {
    let root = Path::new("/work/shared/fixtures/quotes");
    if !root.exists() {
        println!("SKIPPED: {} not found", root.display());
        return;
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    let mut n = 0;
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let a = analyze(&body);
        assert_tiles(&body, &a);
        n += 1;
    }
    println!("{n} fixture files analysed");
}
