//! Mail of lists marked private: kept byte for byte under `DATA/private/`, one mbox
//! per list, never stored where the site, the API, search or the dataset read. The
//! operator still has every message (and may import it into another, non-public data
//! folder); the public record never shows it.

use std::io::Write;
use std::path::Path;

/// Appends a message to `DATA/private/LIST.mbox` unless a message with the same
/// Message-ID (or, without one, the same bytes) is there already. The caller holds
/// the data folder's write lock.
pub fn keep_private(
    data: &Path,
    list: &str,
    message_id: Option<&str>,
    bytes: &[u8],
) -> std::io::Result<()> {
    let dir = data.join("private");
    std::fs::create_dir_all(&dir)?;
    let slug = plenary_store::list_slug(list);
    let keys_path = dir.join(format!("{slug}.keys"));
    let key = match message_id {
        Some(id) => plenary_store::message_id_hash(id),
        None => plenary_store::sha256_hex(bytes),
    };
    let known = std::fs::read_to_string(&keys_path).unwrap_or_default();
    if known.lines().any(|l| l == key) {
        return Ok(());
    }
    let mut mbox = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{slug}.mbox")))?;
    let mut out = Vec::with_capacity(bytes.len() + 64);
    out.extend_from_slice(b"From plenary-archiver  Thu Jan  1 00:00:00 1970\n");
    // mboxrd: a body line starting with `From ` (or `>From `) gains one `>`
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let rest = line.iter().position(|&b| b != b'>').map(|i| &line[i..]);
        if rest.is_some_and(|r| r.starts_with(b"From ")) {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
    mbox.write_all(&out)?;
    mbox.sync_data()?;
    let mut keys = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&keys_path)?;
    writeln!(keys, "{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_mail_is_kept_once_and_escaped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let msg = b"From: a@x.org\nMessage-ID: <p1@x>\nSubject: s\n\nFrom the start\n>From here\n";
        keep_private(dir.path(), "Board", Some("p1@x"), msg).expect("kept");
        keep_private(dir.path(), "Board", Some("<p1@x>"), msg).expect("kept again");
        let mbox = std::fs::read_to_string(dir.path().join("private/board.mbox")).expect("mbox");
        assert_eq!(mbox.matches("From plenary-archiver").count(), 1);
        assert!(mbox.contains("\n>From the start\n>>From here\n"));
    }
}
