//! How a long step tells its caller how far it got. The pipeline never prints: the
//! binary draws a progress bar, the server logs, tests ignore it.

/// Receives progress of an import or rebuild.
pub trait Progress {
    /// A new phase begins ("rebuilding threads").
    fn phase(&mut self, _name: &str) {}
    /// One more input item was read.
    fn item_read(&mut self) {}
    /// How far reading has got: `done` of `total` bytes of the input files
    /// (`total` is every file under the paths given, so a caller can show a
    /// share and an ETA; it is 0 when the input is empty).
    fn bytes_read(&mut self, _done: u64, _total: u64) {}
    /// Running totals after a stored batch.
    fn counts(&mut self, _new: usize, _duplicate: usize, _rejected: usize) {}
    /// An input was rejected (it is stored as a reject with this reason).
    fn rejected(&mut self, _origin: &str, _reason: &str) {}
    /// The step waits for something outside it (another process's lock).
    fn waiting(&mut self, _why: &str) {}
    /// A path was not read (not an archive, empty, not a regular file), with the reason.
    fn skipped(&mut self, _origin: &str, _reason: &str) {}
    /// A phase ends with nothing more to show.
    fn finish(&mut self) {}
}

/// Progress nobody watches.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {}
