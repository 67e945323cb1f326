//! Attribution families beyond "On … wrote:" and Outlook blocks (issue 12):
//! Lotus Notes, cc:Mail, GroupWise, Supercite/ESS, bug trackers and gateways,
//! Eudora, wrapped and `?`-mangled Outlook headers, summaries quoting several
//! people. Every input is written here in the shape a real client produces.

use crate::common::{assert_tiles, zone_text};
use plenary_quotes::{analyze, Analysis, Attribution, AttributionStyle, ZoneKind};

fn run(body: &str) -> Analysis {
    let a = analyze(body);
    assert_tiles(body, &a);
    a
}

fn attr(a: &Analysis, i: usize) -> &Attribution {
    a.messages
        .get(i)
        .and_then(|m| m.attribution.as_ref())
        .unwrap_or_else(|| panic!("message {i} has no attribution: {:#?}", a.messages))
}

fn ymdhm(a: &Attribution) -> Option<(i32, u8, u8, u8, u8)> {
    a.date.map(|d| (d.year, d.month, d.day, d.hour, d.minute))
}

/// The attribution zones' text, joined.
fn attribution_text(body: &str, a: &Analysis) -> String {
    zone_text(body, a, ZoneKind::Attribution, None)
}

// ------------------------------------------------------------ Lotus Notes

#[test]
fn notes_block_name_then_date_then_fields() {
    let body = "Sounds good, I will call him.\n\n\n\n\nMarta Lindqvist\n11/20/2000 10:06 AM\nTo: Paul Okafor/HOU/ACME@ACME\ncc: Rina Shah/HOU/ACME@ACME, Tom \nBerger/LON/ACME@ACME \nSubject: Re: storage contract  \n\nPaul, can you check with legal before Friday?\n\nThanks\nMarta\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.style, AttributionStyle::HeaderBlock);
    assert_eq!(at.name.as_deref(), Some("Marta Lindqvist"));
    assert_eq!(ymdhm(at), Some((2000, 11, 20, 10, 6)));
    assert_eq!(at.subject.as_deref(), Some("Re: storage contract"));
    // the wrapped cc line is part of the block
    assert!(at.cc.len() >= 2, "{:?}", at.cc);
    let zt = attribution_text(body, &a);
    assert!(zt.contains("Berger/LON") && zt.contains("Subject:"), "{zt}");
    assert!(a.messages[1].text.starts_with("Paul, can you check"));
    assert_eq!(a.messages[0].text, "Sounds good, I will call him.");
}

#[test]
fn notes_block_shapes() {
    // (sender lines, expected name, address, date)
    type Case = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        (i32, u8, u8, u8, u8),
    );
    let cases: Vec<Case> = vec![
        // routing domain after the name, tab-indented fields
        ("Ola Brandt@ACME\n\t03/14/2001 02:01 PM\n\t\t \n\t\t To: Ken Ito/NA/Acme@Acme\n\t\t cc: \n\t\t Subject: Re: gas bullets", Some("Ola Brandt"), None, (2001, 3, 14, 14, 1)),
        // hierarchical name, a `Sent by:` line
        ("\tOla Brandt/ENRON@hub\n\tSent by: Lee Park\n\t04/20/2001 04:30 PM\n\t\t \n\t\t To: Ken Ito/NA/Acme@Acme\n\t\t cc: \n\t\t Subject: approvals", Some("Ola Brandt"), None, (2001, 4, 20, 16, 30)),
        // an internet sender through the gateway, time wrapped to the next line
        ("\"Doe, Jane\" <jane.doe@example.com> on 10/31/2000 \n01:59:11 PM\nTo: \"'ken.ito@acme.com'\" <ken.ito@acme.com>\ncc:  \n\nSubject: FW: lunch meeting", Some("Doe, Jane"), Some("jane.doe@example.com"), (2000, 10, 31, 13, 59)),
        // a bare address, seconds in the time, `Please respond to`
        ("ops@example.net on 02/20/2001 03:03:45 PM\nPlease respond to ops@example.net\nTo: ken.ito@acme.com\ncc:  \n\nSubject: outage tonight", None, Some("ops@example.net"), (2001, 2, 20, 15, 3)),
        // name and date on one line, spaces between
        ("   Kim Sato @ ACME                04/14/2001 05:44 PM\n\nTo: Ken Ito/Corp/Acme@ACME\ncc:  \nSubject: deal 5521", Some("Kim Sato"), None, (2001, 4, 14, 17, 44)),
        // `From:` with the date on its line, blank (tab-only) lines before `To:`
        ("From:  Rhea Collins @ ACME                           12/20/2000 11:19 AM\n\t\n\nTo: Ken Ito/HOU/ACME@ACME\ncc:  \nSubject: year-end party", Some("Rhea Collins"), None, (2000, 12, 20, 11, 19)),
        // `From: Name/ORG@ORG on DATE` (the `@ORG` and `on DATE` are not the name)
        ("From: Ola Brandt/ENRON@hub on 03/28/2001 04:42 PM\nTo: Ken Ito/HOU/ACME@ACME, Lee Park/HOU/ACME@ACME\ncc:  \nSubject: approvals", Some("Ola Brandt"), None, (2001, 3, 28, 16, 42)),
        // `From:` then the date alone on the next line
        ("From:  Julia Moss <jmoss@example.org>                           \n08/28/2000 05:28 PM\n\t\n\nTo: Ken Ito/HOU/ACME@ACME\ncc:  \nSubject: tickets", Some("Julia Moss"), Some("jmoss@example.org"), (2000, 8, 28, 17, 28)),
        // European office: dd/mm/yyyy and a 24-hour clock
        ("Tom Berger\n27/06/2000 20:03\nTo: Ken Ito/LON/ACME@ACME\ncc:  \n\nSubject: Re: operating standards", Some("Tom Berger"), None, (2000, 6, 27, 20, 3)),
        // the sender's name, a blank line, then the date
        ("Cullen Reyes\n\n06/13/2000 06:42 AM\nTo: Ken Ito/HOU/ACME@ACME\ncc:  \nSubject: meeting", Some("Cullen Reyes"), None, (2000, 6, 13, 6, 42)),
    ];
    for (block, name, address, date) in cases {
        let body =
            format!("See below.\n\n{block}\n\nThe numbers for March are in the attached sheet.\n");
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{block}\n{:#?}", a.messages);
        let at = attr(&a, 1);
        assert_eq!(at.name.as_deref(), name, "{block}");
        assert_eq!(at.address.as_deref(), address, "{block}");
        assert_eq!(ymdhm(at), Some(date), "{block}");
        assert!(at.subject.is_some(), "{block}");
        assert_eq!(
            a.messages[1].text, "The numbers for March are in the attached sheet.",
            "{block}"
        );
        // every line of the block is attribution
        for line in block.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                attribution_text(&body, &a).contains(line),
                "{line:?} in {block}"
            );
        }
    }
}

#[test]
fn notes_one_line_header() {
    let body = "Were we involved in this?\n\n\n\nOla Brandt/ENRON@hub 05/30/01 09:20 AM \t   To: Ken Ito/Acme Comms@Acme Comms  cc: Lee Park/ENRON@hub  Subject: RE: Project Lark\t\n\nPlease see the note from Legal below.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Ola Brandt"));
    assert_eq!(ymdhm(at), Some((2001, 5, 30, 9, 20)));
    assert_eq!(at.subject.as_deref(), Some("RE: Project Lark"));
    assert_eq!(at.to, vec!["Ken Ito".to_string()]);
    assert_eq!(a.messages[1].text, "Please see the note from Legal below.");
}

#[test]
fn notes_forward_chain() {
    // a forward of a forward of a reply: each hop is a message, the forwarder its
    // author; the wrapped forward line is one attribution
    let body = "Leslie, FYI.\n\nKen\n---------------------- Forwarded by Ken Ito/HOU/ACME on 11/20/2000 08:07 \nAM ---------------------------\n\n\n   \n\t\n\t\n\tFrom:  Rhea Collins                           11/17/2000 12:16 PM\n\t\n\nTo: Ken Ito/HOU/ACME@ACME\ncc: Tom Berger/LON/ACME@ACME \nSubject: Daily loss limit\n\nKen, the desk went over its limit on Thursday.\n\nRhea\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 3, "{:#?}", a.messages);
    let fwd = attr(&a, 1);
    assert_eq!(fwd.style, AttributionStyle::Forwarded);
    assert_eq!(fwd.name.as_deref(), Some("Ken Ito"));
    assert_eq!(ymdhm(fwd), Some((2000, 11, 20, 8, 7)));
    assert!(fwd.raw.contains("AM ----"), "{}", fwd.raw);
    let orig = attr(&a, 2);
    assert_eq!(orig.name.as_deref(), Some("Rhea Collins"));
    assert_eq!(ymdhm(orig), Some((2000, 11, 17, 12, 16)));
    assert_eq!(a.messages[2].parent, Some(1));
    assert!(a.messages[2].text.starts_with("Ken, the desk went over"));
    assert_eq!(a.messages[0].text, "Leslie, FYI.\n\nKen");

    // one-line form, other languages
    for (line, name, date) in [
        (
            "----- Forwarded by Ana Ruiz/NA/Acme on 03/22/2001 03:07 PM -----",
            "Ana Ruiz",
            (2001, 3, 22, 15, 7),
        ),
        (
            "----- Weitergeleitet von Hans Vogel/DE/Acme am 22.07.2025 17:06 -----",
            "Hans Vogel",
            (2025, 7, 22, 17, 6),
        ),
        (
            "----- Transféré par Claire Morel/FR/Acme le 22/07/2025 17:06 -----",
            "Claire Morel",
            (2025, 7, 22, 17, 6),
        ),
    ] {
        let body = format!("FYI\n{line}\n\nThe outage is planned for Sunday night.\n");
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{line}");
        let at = attr(&a, 1);
        assert_eq!(at.name.as_deref(), Some(name), "{line}");
        assert_eq!(ymdhm(at), Some(date), "{line}");
        assert_eq!(
            a.messages[1].text,
            "The outage is planned for Sunday night."
        );
    }
}

#[test]
fn notes_day_month_resolved_by_the_forward_date() {
    // `06/11/2000` under a forward dated 11/15/2000 (US office) is 6 November
    let body = "FYI\n---------------------- Forwarded by Ken Ito/NA/Acme on 11/15/2000 \n12:03 PM ---------------------------\n\n\nRina Shah@ACME\n11/06/2000 03:13 PM\nTo: Ken Ito/NA/Acme@Acme\ncc:  \n\nSubject: daily checklist\n\nAttached is the checklist.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 3, "{:#?}", a.messages);
    assert_eq!(ymdhm(attr(&a, 1)), Some((2000, 11, 15, 12, 3)));
    let at = attr(&a, 2);
    assert_eq!(at.name.as_deref(), Some("Rina Shah"));
    assert_eq!(ymdhm(at), Some((2000, 11, 6, 15, 13)));
}

#[test]
fn notes_lookalikes_are_not_headers() {
    for body in [
        // a schedule: a name, a date, but no recipient fields
        "The rota for next week:\n\nMarta Lindqvist\n11/20/2000 10:06 AM\nRoom 4B\n\nPlease swap if you need to.\n",
        // prose mentioning a date, then a To: line in a template
        "We spoke about it yesterday and I think we agreed on the plan for the next\nquarter, as minuted on 11/20/2000 10:06 AM by the secretary of the board.\nTo: all staff\n",
        // a commit pasted into a message
        "This is the commit that broke it:\n\ncommit 1f2e3d4c\nAuthor: Ken Ito <ken@example.org>\nDate:   Mon Jul 21 10:02:11 2025 +0200\n\n    parser: drop the fast path\n",
    ] {
        let a = run(body);
        assert_eq!(a.messages.len(), 1, "{body}\n{:#?}", a.messages);
    }
}

#[test]
fn cc_mail_reply_separator() {
    let body = "Tuesday works for me.\n\n____________________Reply Separator____________________\nSubject:    Meeting for group project\nAuthor: \"Moss; Julia (US - Boston)\" <SMTP:jmoss@example.com>\nDate:       03/23/2001 2:40 PM\n\nWhen would everyone like to get together?\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.style, AttributionStyle::OriginalMessage);
    assert_eq!(at.address.as_deref(), Some("jmoss@example.com"));
    assert_eq!(ymdhm(at), Some((2001, 3, 23, 14, 40)));
    assert_eq!(at.subject.as_deref(), Some("Meeting for group project"));
    assert_eq!(
        a.messages[1].text,
        "When would everyone like to get together?"
    );
}

#[test]
fn notes_two_column_gateway_header() {
    let body = "See you then.\n\n\n\n                    \"Ann Lee\"\n                    <ann.lee@exam        To:     <ken.ito@acme.com>\n                    ple.com>             cc:\n                                         Subject:     RE: Thursday\n                    05/17/2001 05:53\n                    PM\n\n\n\nThursday at 9 works for me.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Ann Lee"));
    assert_eq!(at.address.as_deref(), Some("ann.lee@example.com"));
    assert_eq!(ymdhm(at), Some((2001, 5, 17, 17, 53)));
    assert_eq!(at.subject.as_deref(), Some("RE: Thursday"));
    assert_eq!(at.to, vec!["ken.ito@acme.com".to_string()]);
    assert_eq!(a.messages[1].text, "Thursday at 9 works for me.");
}

#[test]
fn notes_from_line_alone() {
    let body = "See the summaries below.\n---------------------- Forwarded by Ken Ito/HOU/ACME on 03/21/2001 10:53 AM ---------------------------\nFrom: Joe Hart@ACME on 03/21/2001 10:46 AM\n\nRick -- attached is my list of rehearing issues.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 3, "{:#?}", a.messages);
    let at = attr(&a, 2);
    assert_eq!(at.name.as_deref(), Some("Joe Hart"));
    assert_eq!(ymdhm(at), Some((2001, 3, 21, 10, 46)));
    assert!(a.messages[2].text.starts_with("Rick -- attached"));
}
