//! How much an import has to read, and how far it got, in bytes of input files:
//! what a progress bar needs for a total and an ETA.
//!
//! The total is the size of every regular file under the paths given (folders
//! walked as the readers walk them: symbolic links followed, nothing else
//! opened). The position advances as the readers report: by the message bytes
//! of the file being read (at most its size), by a whole file once the readers
//! move past it or skip it, and to the exact total of each path once it is read,
//! so files a reader reads without naming them (a public-inbox's packs) cannot
//! leave it behind for long.

use std::collections::HashSet;
use std::path::Path;

/// Folders deeper than this are not walked (a symbolic link loop ends here;
/// the readers meet the same loop and report it).
const MAX_DEPTH: usize = 64;

/// The size in bytes of every regular file under `paths` (each a file or a
/// folder); what cannot be read counts 0.
pub fn input_bytes<P: AsRef<Path>>(paths: &[P]) -> u64 {
    paths.iter().map(|p| path_bytes(p.as_ref(), 0)).sum()
}

fn path_bytes(p: &Path, depth: usize) -> u64 {
    let Ok(meta) = std::fs::metadata(p) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    if !meta.is_dir() || depth >= MAX_DEPTH {
        return 0;
    }
    std::fs::read_dir(p)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| path_bytes(&e.path(), depth + 1))
                .sum()
        })
        .unwrap_or(0)
}

/// The import's position in its input, in bytes.
#[derive(Debug, Default)]
pub(crate) struct ByteTracker {
    /// Every file's bytes under the paths.
    pub(crate) total: u64,
    /// Bytes of the paths already read, and of files read or skipped in the current one.
    done: u64,
    /// The file being read, its size, and the message bytes read from it so far.
    current: Option<(String, u64, u64)>,
    /// Files (and folders) already counted in `done` or `current`.
    counted: HashSet<String>,
}

impl ByteTracker {
    pub(crate) fn new(total: u64) -> ByteTracker {
        ByteTracker {
            total,
            ..Default::default()
        }
    }

    /// Where reading is now: never past the total.
    pub(crate) fn position(&self) -> u64 {
        let partial = self
            .current
            .as_ref()
            .map_or(0, |(_, size, read)| (*read).min(*size));
        (self.done + partial).min(self.total)
    }

    /// A message of `len` bytes read from the file `source`; `origin` may name
    /// a second file read with it (a pipermail page after ` + `).
    pub(crate) fn item(&mut self, source: &str, origin: &str, len: usize) {
        if self.current.as_ref().is_none_or(|(s, _, _)| s != source) {
            self.finish_current();
            if self.counted.insert(source.to_string()) {
                let size = std::fs::metadata(source)
                    .ok()
                    .filter(|m| m.is_file())
                    .map_or(0, |m| m.len());
                self.current = Some((source.to_string(), size, 0));
            }
        }
        if let Some((_, _, read)) = &mut self.current {
            *read += len as u64;
        }
        if let Some((_, page)) = origin.split_once(" + ") {
            self.whole(page);
        }
    }

    /// A file or folder read past without messages (skipped, refused, not an
    /// archive): all of its bytes are behind.
    pub(crate) fn whole(&mut self, path: &str) {
        if self.current.as_ref().is_some_and(|(s, _, _)| s == path) {
            return;
        }
        let p = Path::new(path);
        if p.exists() && self.counted.insert(path.to_string()) {
            self.done += path_bytes(p, 0);
        }
    }

    /// One of the paths given is read: the position is the total of it and
    /// those before, `through` bytes.
    pub(crate) fn path_done(&mut self, through: u64) {
        self.current = None;
        self.done = through;
    }

    fn finish_current(&mut self) {
        if let Some((_, size, _)) = self.current.take() {
            self.done += size;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_walk_folders_and_positions_follow_what_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.mbox");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).expect("mkdir");
        let b = sub.join("b.mbox");
        let page = sub.join("000001.html");
        std::fs::write(&a, vec![b'x'; 1000]).expect("write");
        std::fs::write(&b, vec![b'y'; 3000]).expect("write");
        std::fs::write(&page, vec![b'z'; 500]).expect("write");
        assert_eq!(input_bytes(&[dir.path()]), 4500);
        assert_eq!(
            input_bytes(&[a.as_path(), dir.path().join("missing").as_path()]),
            1000
        );

        let mut t = ByteTracker::new(4500);
        let (a, b, page) = (
            a.display().to_string(),
            b.display().to_string(),
            page.display().to_string(),
        );
        t.item(&a, &format!("{a}#1"), 400);
        assert_eq!(t.position(), 400);
        // a message longer than what is left of its file (gzip): capped at the file
        t.item(&a, &format!("{a}#2"), 900);
        assert_eq!(t.position(), 1000);
        // the next file: the first counts whole
        t.item(&b, &format!("{b}#1 + {page}"), 1000);
        assert_eq!(t.position(), 1000 + 500 + 1000);
        // a file named twice is counted once
        t.whole(&page);
        t.whole(&b);
        assert_eq!(t.position(), 2500);
        t.path_done(4500);
        assert_eq!(t.position(), 4500);
        // never past the total
        t.whole(&dir.path().display().to_string());
        assert_eq!(t.position(), 4500);
    }
}
