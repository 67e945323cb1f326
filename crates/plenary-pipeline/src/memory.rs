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
/// command's progress prints phases), so that memory and time sampled from outside
/// can be put down to it.
pub(crate) fn mark(name: &str) {
    if std::env::var_os("PLENARY_PHASES").is_some() {
        eprintln!("phase: {name}");
    }
}
