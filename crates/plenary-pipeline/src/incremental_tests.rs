//! Incremental derivation equals a full one: a corpus imported in parts (two halves,
//! and one message at a time), each import deriving only what it touched, leaves the
//! same threads, parents, analyses, reconstructions, tags, people and person links as
//! the same parts imported with every touched list derived whole
//! (`ImportOptions::whole_lists`, the derivation imports did before, and learned footers
//! and signatures learned from every body and applied over every message each time);
//! and the same
//! threads and parents as the corpus imported whole followed by `rethread` (two parts);
//! and people resolved from stored sightings equal people resolved from every message.
//!
//! (Analyses, and what depends on them, are compared with the same parts derived whole,
//! not with the corpus imported whole: a list's learned footers and signatures are
//! learned from what the list holds at each import, so they depend on how the corpus
//! was cut, with or without incremental derivation.)

use std::path::{Path, PathBuf};

use crate::{Archive, ImportOptions, NoProgress};

/// A generated corpus (plenary-gen, Maildir) with its message files in a fixed order
/// (file name: the generator names them in date order) and its agenda file.
fn corpus(dir: &Path, messages: usize, seed: u64) -> (Vec<PathBuf>, PathBuf) {
    let out = dir.join("corpus");
    plenary_gen::generate(
        &out,
        &plenary_gen::GenOptions {
            messages,
            seed,
            format: plenary_gen::Format::Maildir,
            ..Default::default()
        },
    )
    .expect("generating a corpus");
    let mut files = Vec::new();
    let mut stack = vec![out.join("maildir")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("reading the generated maildir") {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then(a.cmp(b)));
    (files, out.join("agenda").join("sessions.json"))
}

fn open(dir: &Path) -> Archive {
    Archive::open_with(
        dir,
        plenary_frameworks::Frameworks::builtin().expect("shipped frameworks"),
    )
    .expect("opening a data folder")
}

fn import(a: &Archive, paths: &[PathBuf], whole_lists: bool) -> crate::ImportSummary {
    let opts = ImportOptions {
        whole_lists,
        ..ImportOptions::default()
    };
    a.import(paths, &opts, &mut NoProgress).expect("importing")
}

fn rows(a: &Archive) -> Vec<String> {
    a.store().derived_rows().expect("reading derived rows")
}

/// Threads and each message's thread, parent, ghost parent and evidence.
fn thread_rows(rows: &[String]) -> Vec<String> {
    rows.iter()
        .filter_map(|r| {
            if r.starts_with("Text(\"thread\")") {
                Some(r.clone())
            } else if r.starts_with("Text(\"message\")") {
                Some(r.split('\t').take(6).collect::<Vec<_>>().join("\t"))
            } else {
                None
            }
        })
        .collect()
}

fn assert_same(label: &str, got: &[String], want: &[String]) {
    if got != want {
        let clip = |r: &&String| r.chars().take(300).collect::<String>();
        let missing: Vec<String> = want
            .iter()
            .filter(|r| !got.contains(r))
            .take(3)
            .map(|r| clip(&r))
            .collect();
        let extra: Vec<String> = got
            .iter()
            .filter(|r| !want.contains(r))
            .take(3)
            .map(|r| clip(&r))
            .collect();
        panic!(
            "{label}: {} rows, want {}; missing (first 3): {missing:#?}; extra (first 3): {extra:#?}",
            got.len(),
            want.len()
        );
    }
}

/// Imports `parts` in order into two data folders, incrementally and with whole-list
/// derivation, checking after each part that both stores hold the same derived rows.
/// Returns the rows.
fn import_parts_both_ways(dir: &Path, parts: &[Vec<PathBuf>], check_every: usize) -> Vec<String> {
    let inc = open(&dir.join("incremental"));
    let full = open(&dir.join("whole-lists"));
    let mut reused = 0;
    let mut from_stored = 0;
    for (i, part) in parts.iter().enumerate() {
        let a = import(&inc, part, false);
        // the reference goes over every message with the learned footers and
        // signatures, not only those newer than the last pass that applied the same,
        // and learns the signatures from every body, not from the counts kept
        full.store()
            .forget_learned_applied(None)
            .expect("forgetting the last pass");
        full.store()
            .forget_signature_counts()
            .expect("forgetting the signature counts");
        let b = import(&full, part, true);
        reused += usize::from(a.people_reused);
        from_stored += a.reconstructed_from_stored;
        assert_eq!(
            b.reconstructed_from_stored, 0,
            "whole lists are reconstructed whole"
        );
        // the whole-lists store resolves every person anew each time, so a reused
        // resolution in the incremental one is checked against a full one
        full.rebuild_people().expect("rebuilding people");
        assert_eq!(a.new, b.new);
        assert_eq!(
            a.threads, b.threads,
            "part {i}: threads in the touched lists"
        );
        assert_eq!(
            a.tagged_threads, b.tagged_threads,
            "part {i}: tagged threads"
        );
        assert_eq!(a.reconstructed, b.reconstructed, "part {i}: reconstructed");
        assert_eq!(a.people, b.people, "part {i}: people");
        if i % check_every == 0 || i + 1 == parts.len() {
            assert_same(&format!("after part {i}"), &rows(&inc), &rows(&full));
        }
    }
    if parts.len() > 20 {
        // one message at a time: many add no sighting that was not seen before
        assert!(reused > 0, "no import reused the last resolution");
        // messages arriving in date order mostly leave earlier reconstructions be
        assert!(
            from_stored > parts.len() / 2,
            "{from_stored} of {} imports reconstructed from the stored rows",
            parts.len()
        );
    }
    // People were resolved from stored sightings, kept up to date as messages were
    // added and re-analysed: reading every message whole again changes nothing.
    let before = rows(&inc);
    inc.rebuild_people().expect("rebuilding people");
    assert_same("people rebuilt from every message", &rows(&inc), &before);
    before
}

#[test]
fn importing_in_two_parts_derives_what_deriving_whole_lists_does() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (files, agenda) = corpus(tmp.path(), 1500, 7);
    let half = files.len() / 2;
    let mut first = vec![agenda.clone()];
    first.extend(files[..half].iter().cloned());
    let got = import_parts_both_ways(tmp.path(), &[first, files[half..].to_vec()], 1);
    for kind in ["thread", "reconstructed", "tag", "person", "person_link"] {
        let prefix = format!("Text(\"{kind}\")");
        assert!(got.iter().any(|r| r.starts_with(&prefix)), "no {kind} rows");
    }

    // threads depend on headers alone: the same as importing whole and rethreading
    let whole = open(&tmp.path().join("whole"));
    let mut all = vec![agenda];
    all.extend(files.iter().cloned());
    import(&whole, &all, false);
    let derived = rows(&whole);
    whole.rethread().expect("rethreading");
    let rethreaded = rows(&whole);
    assert_same(
        "threads of two parts against the whole",
        &thread_rows(&got),
        &thread_rows(&rethreaded),
    );
    // a rebuild of a derived store derives it again: threads, reconstructions, tags
    // (the lists' tagging mode kept) and people, as they were
    assert_same("a derived store rethreaded", &derived, &rethreaded);
    whole.reanalyze(None).expect("re-analysing");
    assert_same("a derived store re-analysed", &derived, &rows(&whole));
}

#[test]
fn importing_one_message_at_a_time_derives_what_deriving_whole_lists_does() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (files, agenda) = corpus(tmp.path(), 200, 11);
    let mut parts = vec![vec![agenda]];
    parts.extend(files.iter().map(|f| vec![f.clone()]));
    // (not compared with the corpus imported whole: one import learns which subject
    // tags name which list from all its messages, so a message imported alone may be
    // filed under its subject tag's list)
    import_parts_both_ways(tmp.path(), &parts, 25);
}
