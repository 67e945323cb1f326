//! End-to-end tests: drive the `plenary` binary and its web server as a user would.
//! Tests that need the real archives in `../shared` say SKIPPED when it is absent.

mod agenda;
mod archiver;
mod corpora;
mod generated;
mod linked;
mod local_times;
mod mirror;
mod operations;
mod people;
mod quote_fixtures;
mod quote_matrix;
mod search;
mod serve;
mod site;
mod takedown;
mod transcripts;
mod watch;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The command as tests of derivation use it: addresses shown, so results
/// can be compared with the inputs.
pub fn plenary(data: &Path) -> Command {
    let mut c = plenary_as_published(data);
    c.arg("--show-addresses");
    c
}

/// The command with its defaults (addresses obfuscated in every output).
pub fn plenary_as_published(data: &Path) -> Command {
    let mut c = Command::cargo_bin("plenary").expect("binary built");
    c.arg("--data").arg(data).env_remove("PLENARY_DATA");
    c
}

pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "command failed: {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// A session's id as the store makes it from its JSON: slug of event and number.
pub fn session_id(s: &serde_json::Value) -> String {
    format!(
        "{} {}",
        s["event"].as_str().unwrap_or(""),
        s["number"].as_str().unwrap_or("")
    )
    .to_lowercase()
    .split(|c: char| !c.is_ascii_alphanumeric())
    .filter(|w| !w.is_empty())
    .collect::<Vec<_>>()
    .join("-")
}

pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} not present", p.display());
        None
    }
}

pub fn import_json(data: &Path, paths: &[&Path]) -> serde_json::Value {
    let mut c = plenary(data);
    c.arg("import").arg("--json");
    for p in paths {
        c.arg(p);
    }
    json(&run_ok(&mut c))
}
