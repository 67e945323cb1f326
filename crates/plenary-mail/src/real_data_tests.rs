//! Tests against the real archives in `../shared` (skipped, saying so, when absent).

use std::path::PathBuf;

use crate::{parse_item, read_path, ParseOptions, ReadEvent};

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} not present", p.display());
        None
    }
}

#[test]
fn seed_message_rendering() {
    let Some(p) = shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt") else {
        return;
    };
    let mut items = Vec::new();
    read_path(&p, &mut |ev| {
        if let ReadEvent::Item(i) = ev {
            items.push(i)
        }
    })
    .expect("reads");
    assert_eq!(items.len(), 1);
    let m = parse_item(&items[0], &ParseOptions::default(), None).expect("parses");
    assert_eq!(
        m.list.as_ref().map(|l| l.name.as_str()),
        Some("WG-Strategy")
    );
    assert_eq!(m.author.name.as_deref(), Some("Anriette Esterhuysen"));
    assert_eq!(m.author.address.as_deref(), Some("anriette@apc.org"));
    assert_eq!(
        m.date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2025-07-23T18:30:34Z")
    );
    assert_eq!(
        m.subject.as_deref(),
        Some("[WG-Strategy] [Ext] Re: Text on Enhanced Cooperation")
    );
    assert_eq!(m.thread_subject, "Text on Enhanced Cooperation");
    assert!(m.body.starts_with("Dear Ana"));
    assert!(!m.body.contains("More information about the WG-Strategy"));
}

#[test]
fn pipermail_tree_pairs_txt_and_pages() {
    let Some(p) = shared("corpora/pipermail-twisted-web") else {
        return;
    };
    let mut items = 0;
    let mut paired = 0;
    let mut pages_alone = 0;
    read_path(&p, &mut |ev| {
        if let ReadEvent::Item(i) = ev {
            items += 1;
            if i.alt_page.is_some() {
                paired += 1;
            }
            if i.kind == crate::RawKind::PipermailPage {
                pages_alone += 1;
            }
        }
    })
    .expect("reads");
    eprintln!(
        "twisted-web: {items} items, {paired} paired with their page, {pages_alone} pages alone"
    );
    // 5,374 `From ` separators in the .txt files and 5,374 pages: one item each.
    assert_eq!(items, 5374, "{items}");
    assert_eq!(paired, 5374, "{paired}");
    assert_eq!(pages_alone, 0);
}
