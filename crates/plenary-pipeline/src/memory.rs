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

/// " (CPU C s, resident R MiB of which files F MiB, peak P MiB)": the CPU time the
/// process has used so far (user + system), its resident set now, the part of it that
/// is mapped files, and its high-water mark so far, where the system tells them
/// (Linux); empty elsewhere.
/// The peak at each phase line says which step raised it, whatever a sampler misses,
/// and the CPU between two lines is the step's, whatever else the machine runs.
pub fn resident_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let cpu = cpu_seconds().map_or(String::new(), |c| format!("CPU {c:.2} s, "));
    let field = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok()
    };
    // (files: pages of mapped files, such as the search index's segments, which the
    // system can drop; the rest is the process's own allocations)
    match (field("VmRSS:"), field("VmHWM:"), field("RssFile:")) {
        (Some(rss), Some(hwm), Some(file)) => format!(
            " ({cpu}resident {} MiB of which files {} MiB, peak {} MiB)",
            rss / 1024,
            file / 1024,
            hwm / 1024
        ),
        (Some(rss), Some(hwm), None) => {
            format!(
                " ({cpu}resident {} MiB, peak {} MiB)",
                rss / 1024,
                hwm / 1024
            )
        }
        _ => String::new(),
    }
}

/// User + system CPU seconds the process has used so far (Unix).
fn cpu_seconds() -> Option<f64> {
    #[cfg(unix)]
    {
        // SAFETY: getrusage writes one rusage struct into the zeroed one it is given
        // and reads nothing else.
        let usage = unsafe {
            let mut u: libc::rusage = std::mem::zeroed();
            (libc::getrusage(libc::RUSAGE_SELF, &mut u) == 0).then_some(u)
        }?;
        let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        Some(secs(usage.ru_utime) + secs(usage.ru_stime))
    }
    #[cfg(not(unix))]
    {
        None
    }
}
