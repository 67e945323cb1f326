//! Bad input of every size and shape stays within bounded memory and linear
//! time, and becomes a problem or a skip with a reason naming the limit.
//! Memory is bounded structurally: every test checks that no event holds more
//! than the message cap (peak RSS of a parallel test binary is not a reliable
//! measure; `bench/bounds.sh` measures it on the `plenary` binary).

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::parse::{parse_item, ParseOptions};
use crate::source::{read_mbox_stream, read_path, read_path_with, RawItem, RawKind, ReadLimits};
use crate::ReadEvent;

#[derive(Default)]
struct Seen {
    items: Vec<RawItem>,
    problems: Vec<(String, String, Vec<u8>)>,
    skipped: Vec<(String, String)>,
    largest: usize,
}

impl Seen {
    fn take(&mut self, ev: ReadEvent) {
        match ev {
            ReadEvent::Item(i) => {
                self.largest = self.largest.max(i.bytes.len());
                self.items.push(i);
            }
            ReadEvent::Problem {
                origin,
                reason,
                bytes,
            } => {
                self.largest = self.largest.max(bytes.len());
                self.problems.push((origin, reason, bytes));
            }
            ReadEvent::Skipped { origin, reason } => self.skipped.push((origin, reason)),
        }
    }

    fn problem_with(&self, needle: &str) -> &(String, String, Vec<u8>) {
        self.problems
            .iter()
            .find(|p| p.1.contains(needle))
            .unwrap_or_else(|| panic!("no problem mentioning {needle:?} in {:?}", self.reasons()))
    }

    fn reasons(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| format!("{}: {}", p.0, p.1))
            .chain(
                self.skipped
                    .iter()
                    .map(|s| format!("skipped {}: {}", s.0, s.1)),
            )
            .collect()
    }
}

fn read_with(path: &Path, lim: &ReadLimits) -> Seen {
    let mut seen = Seen::default();
    read_path_with(path, lim, &mut |ev| seen.take(ev)).expect("readable");
    seen
}

/// Small limits so the tests run fast; the defaults are exercised by bench/bounds.sh.
fn small() -> ReadLimits {
    ReadLimits {
        max_message_bytes: MIB,
        kept_prefix_bytes: 64 * 1024,
        max_stream_bytes: 8 * MIB as u64,
        max_expansion: 4,
        line_piece_bytes: 64 * 1024,
    }
}

const MIB: usize = 1024 * 1024;
const HEAD: &[u8] = b"From a@b.example Mon Jan  1 00:00:00 2024\nFrom: a@b.example\nSubject: big\nMessage-ID: <big@b.example>\n\n";

/// Runs `f` on another thread and fails (instead of hanging) if it takes longer than `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not finish within {limit:?}"))
}

#[test]
fn gzip_bomb_stops_at_the_decompressed_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bomb.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&p).expect("create"),
        flate2::Compression::best(),
    );
    gz.write_all(HEAD).expect("gz");
    // 64 MiB of one line: a few dozen KiB compressed
    let zeros = vec![b'a'; MIB];
    for _ in 0..64 {
        gz.write_all(&zeros).expect("gz");
    }
    gz.finish().expect("finish");
    let lim = small();
    let seen = read_with(&p, &lim);
    let (origin, reason, _) =
        seen.problem_with("the decompressed gzip stream is longer than the 8 MiB cap");
    assert_eq!(origin, &p.display().to_string());
    assert!(reason.contains("stopped reading"), "{reason}");
    // the message itself: over the message cap, a real prefix kept
    let (origin, reason, kept) = seen.problem_with("over the 1 MiB message limit");
    assert!(origin.ends_with("bomb.txt.gz#1"), "{origin}");
    assert_eq!(kept.len(), lim.kept_prefix_bytes, "{reason}");
    assert!(kept.starts_with(b"From: a@b.example\nSubject: big\n"));
    assert!(seen.largest <= lim.max_message_bytes);
    assert!(seen.items.is_empty());
}

#[test]
fn gzip_cap_grows_with_the_compressed_size() {
    let lim = ReadLimits::default();
    assert_eq!(lim.gzip_cap(4 << 20), 1 << 30, "a 4 MB bomb stops at 1 GiB");
    assert_eq!(
        lim.gzip_cap(100 << 20),
        6400 << 20,
        "honest big archives read whole"
    );
}

/// Stands in for `/dev/zero` or a never-ending pipe: an mbox separator, then
/// endless bytes, never a newline.
struct Endless {
    head: &'static [u8],
    fill: u8,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.head.is_empty() {
            let n = self.head.len().min(buf.len());
            buf[..n].copy_from_slice(&self.head[..n]);
            self.head = &self.head[n..];
            return Ok(n);
        }
        buf.fill(self.fill);
        Ok(buf.len())
    }
}

#[test]
fn endless_stream_stops_at_the_stream_cap() {
    let seen = within(Duration::from_secs(60), || {
        let mut seen = Seen::default();
        let lim = small();
        read_mbox_stream(
            Endless {
                head: HEAD,
                fill: 0,
            },
            "endless",
            &lim,
            &mut |ev| seen.take(ev),
        );
        seen
    });
    let (origin, _, _) = seen.problem_with("the stream is longer than the 8 MiB cap");
    assert_eq!(origin, "endless");
    let (_, _, kept) = seen.problem_with("over the 1 MiB message limit");
    assert_eq!(kept.len(), small().kept_prefix_bytes);
    assert!(seen.largest <= small().max_message_bytes);
}

/// An endless stream of small messages: each is handed on as it is read,
/// then reading stops at the cap.
struct EndlessMessages(usize);

impl Read for EndlessMessages {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let msg = b"From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nSubject: again\n\nhello\n\n";
        let n = (msg.len() - self.0).min(buf.len());
        buf[..n].copy_from_slice(&msg[self.0..self.0 + n]);
        self.0 = (self.0 + n) % msg.len();
        Ok(n)
    }
}

#[test]
fn endless_stream_of_messages_stops_at_the_stream_cap() {
    let lim = ReadLimits {
        max_stream_bytes: MIB as u64,
        ..small()
    };
    let mut seen = Seen::default();
    let mut count = 0usize;
    read_mbox_stream(EndlessMessages(0), "pipe", &lim, &mut |ev| match ev {
        ReadEvent::Item(_) => count += 1,
        other => seen.take(other),
    });
    assert!(count > 10_000, "{count} messages read before the cap");
    seen.problem_with("the stream is longer than the 1 MiB cap");
}

#[test]
fn dev_zero_given_as_a_path_is_refused_unopened() {
    let p = Path::new("/dev/zero");
    if !p.exists() {
        eprintln!("SKIPPED: no /dev/zero");
        return;
    }
    let seen = within(Duration::from_secs(10), move || read_with(p, &small()));
    let (origin, reason, _) = seen.problem_with("not a regular file");
    assert_eq!(origin, "/dev/zero");
    assert!(reason.contains("character device"), "{reason}");
    assert!(seen.items.is_empty());
}

#[test]
fn fifo_in_a_folder_is_skipped_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.mbox");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        eprintln!("SKIPPED: mkfifo not available");
        return;
    }
    std::fs::write(
        dir.path().join("ok.eml"),
        "From: a@b\nSubject: ok\n\nfine\n",
    )
    .expect("write");
    let d = dir.path().to_path_buf();
    // Opening the FIFO would block forever: the thread would never return.
    let seen = within(Duration::from_secs(10), move || read_with(&d, &small()));
    let skip = seen
        .skipped
        .iter()
        .find(|s| s.0.ends_with("pipe.mbox"))
        .unwrap_or_else(|| panic!("FIFO not reported: {:?}", seen.reasons()));
    assert!(skip.1.contains("FIFO"), "{}", skip.1);
    assert_eq!(seen.items.len(), 1, "the regular file beside it is read");
    // named on the command line, it is a problem rather than a skip
    let seen = within(Duration::from_secs(10), move || read_with(&fifo, &small()));
    seen.problem_with("FIFO");
}

#[test]
fn dangling_links_and_empty_archives_are_reported_with_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("gone.mbox"), d.join("link.mbox")).expect("symlink");
    std::fs::write(d.join("empty.mbox"), "").expect("write");
    std::fs::write(d.join("blank.mbox"), "\n\n  \n").expect("write");
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(d.join("nothing.mbox.gz")).expect("create"),
        flate2::Compression::default(),
    );
    gz.finish().expect("finish");
    std::fs::write(d.join("ok.eml"), "From: a@b\nSubject: ok\n\nfine\n").expect("write");
    let seen = read_with(d, &small());
    let reason_of = |name: &str| {
        seen.skipped
            .iter()
            .find(|s| s.0.ends_with(name))
            .map(|s| s.1.clone())
            .unwrap_or_else(|| panic!("{name} not reported: {:?}", seen.reasons()))
    };
    #[cfg(unix)]
    assert!(reason_of("link.mbox").contains("dangling symbolic link"));
    assert!(reason_of("empty.mbox").contains("empty file"));
    assert!(reason_of("blank.mbox").contains("empty archive"));
    assert!(reason_of("nothing.mbox.gz").contains("empty archive"));
    assert_eq!(seen.items.len(), 1);
}

fn write_big_message(path: &Path, mbox: bool, size: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    if mbox {
        f.write_all(HEAD).expect("write");
    } else {
        f.write_all(&HEAD[HEAD.iter().position(|b| *b == b'\n').unwrap_or(0) + 1..])
            .expect("write");
    }
    let line = [b"x".repeat(75), b"\n".to_vec()].concat();
    let mut written = 0;
    while written < size {
        f.write_all(&line).expect("write");
        written += line.len();
    }
    if mbox {
        f.write_all(
            b"\nFrom c@d Tue Jan  2 00:00:00 2024\nFrom: c@d\nSubject: after\n\nstill read\n",
        )
        .expect("write");
    }
    f.flush().expect("flush");
}

#[test]
fn hundred_megabyte_message_keeps_a_one_mebibyte_prefix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lim = ReadLimits::default();
    for (name, mbox) in [("big.mbox", true), ("big.eml", false)] {
        let p = dir.path().join(name);
        write_big_message(&p, mbox, 100_000_000);
        let mut seen = Seen::default();
        read_path(&p, &mut |ev| seen.take(ev)).expect("readable");
        let (origin, reason, kept) = seen.problem_with("over the 16 MiB message limit");
        assert!(origin.contains(name), "{origin}");
        assert!(reason.contains("first 1048576 bytes are kept"), "{reason}");
        assert_eq!(kept.len(), lim.kept_prefix_bytes);
        assert!(kept.starts_with(b"From: a@b.example\nSubject: big\n"));
        assert!(seen.largest <= lim.max_message_bytes);
        if mbox {
            // nothing after the huge message is lost
            assert_eq!(seen.items.len(), 1, "{:?}", seen.reasons());
            assert!(seen.items[0].bytes.ends_with(b"still read\n"));
        }
        std::fs::remove_file(&p).expect("rm");
    }
}

#[test]
fn long_lines_under_the_cap_are_kept_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("long.mbox");
    let long = "y".repeat(300 * 1024);
    let text = format!(
        "From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\n{long}\n>From here\n\nFrom c@d Tue Jan  2 00:00:00 2024\nSubject: two\n\nbody {long}\n"
    );
    std::fs::write(&p, &text).expect("write");
    let seen = read_with(&p, &small());
    assert!(seen.problems.is_empty(), "{:?}", seen.reasons());
    assert_eq!(seen.items.len(), 2);
    assert_eq!(
        seen.items[0].bytes,
        format!("Subject: one\n\n{long}\nFrom here\n").into_bytes()
    );
    assert!(seen.items[1]
        .bytes
        .ends_with(format!("body {long}\n").as_bytes()));
}

fn item(bytes: Vec<u8>) -> RawItem {
    RawItem {
        bytes,
        kind: RawKind::Rfc822,
        origin: "deep.eml".into(),
        source: "deep.eml".into(),
        envelope: None,
        list_hint: None,
        alt_page: None,
    }
}

fn nested_multiparts(depth: usize) -> Vec<u8> {
    let mut m = b"From: a@b\nSubject: deep\nMessage-ID: <deep@b>\nMIME-Version: 1.0\n".to_vec();
    for i in 0..depth {
        m.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n").as_bytes(),
        );
    }
    m.extend_from_slice(b"Content-Type: text/plain\n\ninnermost text\n");
    for i in (0..depth).rev() {
        m.extend_from_slice(format!("--b{i}--\n").as_bytes());
    }
    m
}

#[test]
fn twenty_thousand_nested_multiparts_are_rejected_by_the_depth_limit() {
    let raw = nested_multiparts(20_000);
    assert!(raw.len() > 1_000_000);
    let started = Instant::now();
    let r = within(Duration::from_secs(60), move || {
        parse_item(&item(raw), &ParseOptions::default(), None)
    });
    let reason = r.expect_err("rejected").reason;
    assert!(reason.contains("over the limit of 64"), "{reason}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn multiparts_nested_within_the_limit_are_decoded() {
    let m =
        parse_item(&item(nested_multiparts(30)), &ParseOptions::default(), None).expect("decoded");
    assert!(m.body.contains("innermost text"), "{}", m.body);
}

fn nested_blockquotes(depth: usize) -> String {
    format!(
        "<html><body><p>top</p>{}deepest words{}<p>after</p></body></html>",
        "<blockquote type=\"cite\"><div>".repeat(depth),
        "</div></blockquote>".repeat(depth)
    )
}

#[test]
fn hundred_thousand_nested_blockquotes_convert_in_linear_time() {
    let html = nested_blockquotes(100_000);
    assert!(html.len() > 3_000_000);
    let started = Instant::now();
    let text = within(Duration::from_secs(60), move || {
        crate::html::html_to_quoted_text(&html)
    });
    assert!(text.contains("deepest words"));
    assert!(text.contains("after"));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // and as a whole HTML-only message through the parser
    let mut raw =
        b"From: a@b\nSubject: html\nMessage-ID: <h@b>\nContent-Type: text/html\n\n".to_vec();
    raw.extend_from_slice(nested_blockquotes(100_000).as_bytes());
    let m = within(Duration::from_secs(60), move || {
        parse_item(&item(raw), &ParseOptions::default(), None)
    })
    .expect("decoded");
    assert!(m.body.contains("deepest words"));
}

#[test]
fn html_nesting_within_the_limit_is_handed_on_untouched() {
    let html = nested_blockquotes(100);
    assert!(matches!(
        crate::html::bound_nesting(&html),
        std::borrow::Cow::Borrowed(_)
    ));
    let deep = nested_blockquotes(1000);
    let bounded = crate::html::bound_nesting(&deep);
    assert!(bounded.matches("<blockquote").count() < 300);
    assert!(bounded.contains("deepest words"));
}
