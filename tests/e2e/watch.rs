//! `plenary watch` and `plenary serve --watch`, started as a user would start them.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::serve::get;
use crate::{json, plenary, run_ok};

struct Running(Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(data: &Path, args: &[&str]) -> Running {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("plenary"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    Running(child)
}

fn message(n: usize) -> String {
    format!(
        "From: Ana <ana@example.org>\nTo: wg@example.org\nSubject: arrival {n}\n\
         Date: Mon, 1 Jun 2026 10:00:00 +0000\nMessage-ID: <arrival{n}@example.org>\n\n\
         Message {n} reached the list.\n"
    )
}

fn maildir(root: &Path) -> PathBuf {
    let md = root.join("wg");
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir_all(md.join(sub)).unwrap();
    }
    md
}

/// Delivers as an MTA does: written in tmp/, then renamed into new/.
fn deliver(md: &Path, n: usize) {
    let name = format!("1765000000.{n}.host");
    std::fs::write(md.join("tmp").join(&name), message(n)).unwrap();
    std::fs::rename(md.join("tmp").join(&name), md.join("new").join(&name)).unwrap();
}

fn stored(data: &Path) -> u64 {
    let out = run_ok(plenary(data).args(["stats", "--json"]));
    json(&out)["messages"].as_u64().unwrap()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what}: not seen in 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    start.elapsed()
}

#[test]
fn a_message_dropped_into_a_watched_maildir_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let md = maildir(dir.path());
    run_ok(plenary(&data).args(["stats"])); // creates the store
    let _w = spawn(&data, &["watch", md.to_str().unwrap()]);
    // the watcher's first scan finds nothing; give it a moment to set up inotify
    std::thread::sleep(Duration::from_millis(500));
    deliver(&md, 1);
    let latency = wait_for("the dropped message", || stored(&data) == 1);
    eprintln!("dropped → stored in {latency:?} (measured by bench/watch.sh, not asserted)");
    // moved to cur/ and flagged by a mail client: still one message
    std::fs::rename(
        md.join("new/1765000000.1.host"),
        md.join("cur/1765000000.1.host:2,S"),
    )
    .unwrap();
    deliver(&md, 2);
    wait_for("the second message", || stored(&data) == 2);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(stored(&data), 2);
    let status = run_ok(plenary(&data).args(["status", "--json"]));
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("watch"),
        "status names the watch as the source"
    );
}

#[test]
fn serve_watch_archives_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let md = maildir(dir.path());
    run_ok(plenary(&data).args(["stats"]));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let _s = spawn(
        &data,
        &[
            "serve",
            "--addr",
            &addr,
            "--watch",
            md.to_str().unwrap(),
            "--watch-list",
            "strategy",
        ],
    );
    wait_for("the server", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    deliver(&md, 7);
    let latency = wait_for("the message on /api/v1/stats", || {
        let (st, body) = get(&format!("http://{addr}/api/v1/stats"));
        st == 200 && serde_json::from_str::<serde_json::Value>(&body).unwrap()["messages"] == 1
    });
    eprintln!("dropped → served in {latency:?}");
    // and searchable: the watcher syncs the index the server searches
    wait_for("the message in search", || {
        let (st, body) = get(&format!("http://{addr}/api/v1/search?q=reached"));
        st == 200 && serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"] == 1
    });
    // a message naming no list is filed under --watch-list
    let (st, body) = get(&format!("http://{addr}/lists/strategy"));
    assert_eq!(st, 200, "{body}");
    assert!(body.contains("arrival 7"), "{body}");
}

#[test]
fn a_growing_mbox_is_read_from_where_the_last_run_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mbox = dir.path().join("wg.mbox");
    let entry = |n| {
        format!(
            "From ana@example.org Mon Jun  1 10:00:00 2026\n{}\n",
            message(n)
        )
    };
    std::fs::write(&mbox, entry(1) + &entry(2)).unwrap();
    // an old file: its last message is whole (nothing more is being written)
    std::thread::sleep(Duration::from_millis(2100));
    let once =
        |data: &Path| run_ok(plenary(data).args(["watch", mbox.to_str().unwrap(), "--once"]));
    let out = once(&data);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 new"));
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&mbox)
        .unwrap();
    f.write_all((entry(3) + &entry(4)).as_bytes()).unwrap();
    drop(f);
    std::thread::sleep(Duration::from_millis(2100));
    let out = once(&data);
    // only the two appended are read, not the file again
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 new, 0 duplicate"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(stored(&data), 4);
}

#[test]
fn a_missing_watched_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = plenary(&dir.path().join("data"))
        .args(["watch", dir.path().join("nope").to_str().unwrap(), "--once"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
}

#[test]
fn a_killed_watcher_restarted_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let md = maildir(dir.path());
    run_ok(plenary(&data).args(["stats"]));
    for n in 0..300 {
        deliver(&md, n);
    }
    // batches of 40: the kill falls between a committed batch and the next (or
    // between a commit and the state write that records it)
    let mut w = spawn(&data, &["watch", md.to_str().unwrap(), "--batch", "40"]);
    // kill it while it imports: as soon as the store has some of them, or after 2 s
    let start = Instant::now();
    while stored(&data) == 0 && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    w.0.kill().unwrap(); // SIGKILL
    w.0.wait().unwrap();
    let at_kill = stored(&data);
    eprintln!("killed with {at_kill} of 300 stored");
    // messages delivered while no watcher ran are not a gap either
    deliver(&md, 300);
    run_ok(plenary(&data).args(["watch", md.to_str().unwrap(), "--once"]));
    assert_eq!(stored(&data), 301);
    // and a second run reads nothing again
    let out = run_ok(plenary(&data).args(["watch", md.to_str().unwrap(), "--once"]));
    assert!(
        out.stdout.is_empty(),
        "nothing new: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(stored(&data), 301);
}
