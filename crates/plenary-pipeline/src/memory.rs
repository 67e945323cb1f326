//! Giving freed memory back between derivation steps.

/// Hands the heap pages a finished step freed back to the system. glibc's
/// allocator keeps freed memory mapped for reuse, so a list's loaded messages
/// (reconstruction) or the identity input (people) would stay in the process's
/// resident set through every later step, and the steps' peaks would stack.
/// Elsewhere (another libc, another system) this does nothing.
pub(crate) fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointer
    // and leaves every live allocation where it is.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Names a step inside a phase on stderr when `PLENARY_PHASES` is set (as the
/// command's progress prints phases), once the step is done ("reconstruction: messages
/// read"), so that memory and time can be put down to it.
pub(crate) fn mark(name: &str) {
    if std::env::var_os("PLENARY_PHASES").is_some() {
        eprintln!("phase: {name}{}", resident_note());
    }
}

/// " (resident R MiB of which files F MiB, peak P MiB)": the process's resident set
/// now, the part of it that is mapped files, and its high-water mark so far, where the
/// system tells them (Linux); empty elsewhere.
/// The peak at each phase line says which step raised it, whatever a sampler misses.
pub fn resident_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok()
    };
    // (files: pages of mapped files, such as the search index's segments, which the
    // system can drop; the rest is the process's own allocations)
    match (field("VmRSS:"), field("VmHWM:"), field("RssFile:")) {
        (Some(rss), Some(hwm), Some(file)) => format!(
            " (resident {} MiB of which files {} MiB, peak {} MiB)",
            rss / 1024,
            file / 1024,
            hwm / 1024
        ),
        (Some(rss), Some(hwm), None) => {
            format!(" (resident {} MiB, peak {} MiB)", rss / 1024, hwm / 1024)
        }
        _ => String::new(),
    }
}
