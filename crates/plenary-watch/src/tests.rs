use super::*;

fn msg(n: usize) -> String {
    format!(
        "From: Ana <ana@example.org>\nTo: wg@example.org\nSubject: note {n}\n\
         Date: Mon, 1 Jun 2026 10:{:02}:00 +0000\nMessage-ID: <m{n}@example.org>\n\n\
         Body of message {n}.\n",
        n % 60
    )
}

fn mbox_entry(n: usize) -> String {
    format!(
        "From ana@example.org Mon Jun  1 10:00:00 2026\n{}\n",
        msg(n)
    )
}

struct Fixture {
    _dir: tempfile::TempDir,
    data: PathBuf,
    root: PathBuf,
    archive: Arc<Archive>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let root = dir.path().join("in");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&root).unwrap();
    let archive = Arc::new(Archive::open(&data).unwrap());
    Fixture {
        _dir: dir,
        data,
        root,
        archive,
    }
}

fn maildir(root: &Path) -> PathBuf {
    let md = root.join("wg");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(md.join(sub)).unwrap();
    }
    md
}

fn stored(f: &Fixture) -> u64 {
    f.archive.store().stats().unwrap().messages
}

/// Runs one scan and returns (messages handed over, new, duplicate).
fn scan(w: &mut Watcher) -> (usize, usize, usize) {
    let mut t = (0, 0, 0);
    w.scan_once(&mut |b| {
        t.0 += b.messages;
        t.1 += b.summary.new;
        t.2 += b.summary.duplicate;
    })
    .unwrap();
    t
}

fn quick() -> WatchOptions {
    WatchOptions {
        settle: Duration::from_secs(3600),
        ..Default::default()
    }
}

#[test]
fn maildir_move_from_new_to_cur_is_not_a_second_message() {
    let f = fixture();
    let md = maildir(&f.root);
    std::fs::write(md.join("new/1700000000.1.host"), msg(1)).unwrap();
    let mut w = Watcher::new(f.archive.clone(), std::slice::from_ref(&md), quick()).unwrap();
    assert_eq!(scan(&mut w), (1, 1, 0));
    std::fs::rename(
        md.join("new/1700000000.1.host"),
        md.join("cur/1700000000.1.host:2,S"),
    )
    .unwrap();
    // not even handed to the import again: the unique name is known
    assert_eq!(scan(&mut w), (0, 0, 0));
    // a restarted watcher knows it too (the state file)
    let mut again = Watcher::new(f.archive.clone(), std::slice::from_ref(&md), quick()).unwrap();
    assert_eq!(scan(&mut again), (0, 0, 0));
    std::fs::write(md.join("new/1700000001.2.host"), msg(2)).unwrap();
    assert_eq!(scan(&mut again), (1, 1, 0));
    assert_eq!(stored(&f), 2);
    assert!(f.data.join(STATE_FILE).exists());
}

#[test]
fn maildir_tmp_is_ignored() {
    let f = fixture();
    let md = maildir(&f.root);
    std::fs::write(md.join("tmp/1.x.host"), msg(1)).unwrap();
    let mut w = Watcher::new(f.archive.clone(), &[md], quick()).unwrap();
    assert_eq!(scan(&mut w), (0, 0, 0));
}

#[test]
fn mbox_resumes_from_its_offset() {
    let f = fixture();
    let mbox = f.root.join("wg.mbox");
    std::fs::write(&mbox, mbox_entry(1) + &mbox_entry(2) + &mbox_entry(3)).unwrap();
    let mut w = Watcher::new(f.archive.clone(), std::slice::from_ref(&mbox), quick()).unwrap();
    // the last message has no From line after it yet and the file is fresh: it waits
    assert_eq!(scan(&mut w), (2, 2, 0));
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&mbox)
        .unwrap();
    use std::io::Write;
    file.write_all(mbox_entry(4).as_bytes()).unwrap();
    // only message 3 is read (its end is now known), not 1 and 2 again
    assert_eq!(scan(&mut w), (1, 1, 0));
    // a restart reads from the offset too
    let mut again = Watcher::new(f.archive.clone(), std::slice::from_ref(&mbox), quick()).unwrap();
    assert_eq!(scan(&mut again), (0, 0, 0));
    // once the file has settled, the last message is imported whole
    let mut settled = Watcher::new(
        f.archive.clone(),
        std::slice::from_ref(&mbox),
        WatchOptions {
            settle: Duration::ZERO,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(scan(&mut settled), (1, 1, 0));
    assert_eq!(scan(&mut settled), (0, 0, 0));
    assert_eq!(stored(&f), 4);
}

#[test]
fn half_written_last_message_waits() {
    let f = fixture();
    let mbox = f.root.join("wg.mbox");
    let whole = mbox_entry(1) + &mbox_entry(2);
    let cut = whole.len() - 30;
    std::fs::write(&mbox, &whole[..cut]).unwrap();
    let mut w = Watcher::new(f.archive.clone(), std::slice::from_ref(&mbox), quick()).unwrap();
    assert_eq!(scan(&mut w), (1, 1, 0));
    std::fs::write(&mbox, whole.clone() + &mbox_entry(3)).unwrap();
    assert_eq!(scan(&mut w), (1, 1, 0));
    let store = f.archive.store();
    let t = store.threads(None, None, 100).unwrap();
    let body_cut = t.iter().any(|t| t.subject.contains("note 2"));
    assert!(body_cut, "message 2 imported after it was whole");
}

#[test]
fn a_rotated_mbox_is_read_from_the_start() {
    let f = fixture();
    let mbox = f.root.join("wg.mbox");
    std::fs::write(&mbox, mbox_entry(1) + &mbox_entry(2) + &mbox_entry(3)).unwrap();
    let mut w = Watcher::new(f.archive.clone(), std::slice::from_ref(&mbox), quick()).unwrap();
    assert_eq!(scan(&mut w), (2, 2, 0));
    // rotated: a new file (new inode) under the same name, shorter than the offset
    std::fs::rename(&mbox, f.root.join("wg.mbox.1")).unwrap();
    std::fs::write(&mbox, mbox_entry(5) + &mbox_entry(6)).unwrap();
    assert_eq!(scan(&mut w), (1, 1, 0));
    // rewritten in place with other first bytes, longer than the offset
    let long = mbox_entry(7) + &mbox_entry(8) + &mbox_entry(9) + &mbox_entry(10);
    std::fs::write(&mbox, long).unwrap();
    assert_eq!(scan(&mut w).0, 3);
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let f = fixture();
    let err = Watcher::new(f.archive.clone(), &[f.root.join("nope")], quick())
        .err()
        .unwrap();
    assert!(err.to_string().contains("no such file"), "{err}");
    let err = Watcher::new(f.archive.clone(), std::slice::from_ref(&f.root), quick())
        .err()
        .unwrap();
    assert!(err.to_string().contains("Maildir"), "{err}");
}

#[test]
fn bad_input_is_a_reject_not_a_stop() {
    let f = fixture();
    let md = maildir(&f.root);
    std::fs::write(md.join("new/1.bad.host"), b"\0\0\0 not mail").unwrap();
    std::fs::write(md.join("new/2.good.host"), msg(2)).unwrap();
    // over the 16 MiB message limit, as `plenary import` refuses it
    std::fs::write(
        md.join("new/3.huge.host"),
        msg(3) + &("x".repeat(79) + "\n").repeat(17 * 1024 * 1024 / 80),
    )
    .unwrap();
    let mut w = Watcher::new(f.archive.clone(), &[md], quick()).unwrap();
    let mut rejected = 0;
    w.scan_once(&mut |b| rejected += b.summary.rejected)
        .unwrap();
    assert_eq!(rejected, 2);
    assert_eq!(stored(&f), 1);
}

#[test]
fn run_until_sees_a_dropped_message() {
    let f = fixture();
    let md = maildir(&f.root);
    let mut w = Watcher::new(f.archive.clone(), std::slice::from_ref(&md), quick()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut n = 0;
        w.run_until(&stop2, &mut |b| n += b.summary.new).unwrap();
        n
    });
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(md.join("tmp/9.x.host"), msg(9)).unwrap();
    std::fs::rename(md.join("tmp/9.x.host"), md.join("new/9.x.host")).unwrap();
    let start = Instant::now();
    while stored(&f) == 0 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    assert_eq!(handle.join().unwrap(), 1);
}

#[test]
fn an_idle_watcher_does_not_rescan_after_its_own_reads() {
    // its scans open new/ and cur/ and read the files: inotify reports those
    // accesses, which must not start another scan (that loop once ran 5 times a second)
    let f = fixture();
    let md = maildir(&f.root);
    std::fs::write(md.join("new/1.a.host"), msg(1)).unwrap();
    let mut w = Watcher::new(f.archive.clone(), std::slice::from_ref(&md), quick()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let handle = std::thread::spawn(move || {
        w.run_until(&stop2, &mut |_| {}).unwrap();
        w
    });
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    let w = handle.join().unwrap();
    assert_eq!(w.scans, 1, "only the scan at start");
    assert_eq!(stored(&f), 1);
}

#[test]
fn the_state_forgets_messages_deleted_from_the_maildir() {
    let f = fixture();
    let md = maildir(&f.root);
    std::fs::write(md.join("new/1.gone.host"), msg(1)).unwrap();
    let mut w = Watcher::new(f.archive.clone(), std::slice::from_ref(&md), quick()).unwrap();
    assert_eq!(scan(&mut w), (1, 1, 0));
    std::fs::remove_file(md.join("new/1.gone.host")).unwrap();
    std::fs::write(md.join("new/2.kept.host"), msg(2)).unwrap();
    assert_eq!(scan(&mut w), (1, 1, 0));
    let state = std::fs::read_to_string(f.data.join(STATE_FILE)).unwrap();
    assert!(
        state.contains("2.kept.host") && !state.contains("1.gone.host"),
        "{state}"
    );
}

#[test]
fn an_oversized_mbox_message_is_a_reject_not_a_truncated_message() {
    let f = fixture();
    let mbox = f.root.join("wg.mbox");
    let huge = format!(
        "From ana@example.org Mon Jun  1 10:00:00 2026\n{}{}\n",
        msg(1),
        ("x".repeat(79) + "\n").repeat(17 * 1024 * 1024 / 80)
    );
    std::fs::write(&mbox, huge + &mbox_entry(2)).unwrap();
    let mut w = Watcher::new(
        f.archive.clone(),
        &[mbox],
        WatchOptions {
            settle: Duration::ZERO,
            ..Default::default()
        },
    )
    .unwrap();
    let mut t = (0, 0);
    w.scan_once(&mut |b| {
        t.0 += b.summary.new;
        t.1 += b.summary.rejected;
    })
    .unwrap();
    assert_eq!(t, (1, 1));
    assert_eq!(stored(&f), 1);
}
