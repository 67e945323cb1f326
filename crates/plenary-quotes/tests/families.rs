//! Attribution families beyond "On … wrote:" and Outlook blocks (issue 12):
//! Lotus Notes, cc:Mail, GroupWise, Supercite/ESS, bug trackers and gateways,
//! Eudora, wrapped and `?`-mangled Outlook headers, summaries quoting several
//! people. Every input is written here in the shape a real client produces.

use crate::common::{attr, by_author, run, ymdhm, zone_text};
use plenary_quotes::{Analysis, AttributionStyle, ZoneKind};

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

// ------------------------------------------------------------ GroupWise, Supercite

#[test]
fn groupwise_arrows() {
    let body = "Fine, go ahead.\n\n>>> \"Ito, Ken\" <ken.ito@example.org> 01/22/01 11:12AM >>>\nCan we move the review to Thursday?\n\nKen\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Ito, Ken"));
    assert_eq!(at.address.as_deref(), Some("ken.ito@example.org"));
    assert_eq!(ymdhm(at), Some((2001, 1, 22, 11, 12)));
    assert_eq!(
        a.messages[1].text,
        "Can we move the review to Thursday?\n\nKen"
    );
    assert_eq!(a.zones[1].quote_level, 0, "the arrows are no quote levels");

    // inside a `>` quote, without an address
    let body = "Agreed.\n\n> Yes, Thursday.\n>\n> >>> Ken Ito 7/22/25 5:06 PM >>>\n> Can we move the review?\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 3, "{:#?}", a.messages);
    let at = attr(&a, 2);
    assert_eq!(at.name.as_deref(), Some("Ken Ito"));
    assert_eq!(ymdhm(at), Some((2025, 7, 22, 17, 6)));
    assert_eq!(a.messages[2].text, "Can we move the review?");
}

#[test]
fn supercite_and_ess() {
    let body = "I agree with Jane.\n\n>>>>> \"JD\" == Jane Doe <jane.doe@example.org> writes:\n\nJD> The build fails on Windows\nJD> since the last merge.\n\nMartin\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Jane Doe"));
    assert_eq!(at.address.as_deref(), Some("jane.doe@example.org"));
    assert_eq!(
        a.messages[1].text,
        "The build fails on Windows\nsince the last merge."
    );
    assert_eq!(a.messages[0].text, "I agree with Jane.\n\nMartin");

    // ESS wraps the attribution over two `>>>>>` lines and indents its `>`
    let body = ">>>>> Martin Maechler <maechler@example.ch>\n>>>>>     on Tue, 14 Mar 2017 10:13:04 +0100 writes:\n\n    > I think seq_len() should be used here.\n\nYes, indeed.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Martin Maechler"));
    assert_eq!(ymdhm(at), Some((2017, 3, 14, 10, 13)));
    assert_eq!(a.messages[1].text, "I think seq_len() should be used here.");

    // nested declared prefixes; an undeclared `SQL>` prompt is no quote
    let body = ">>>>> \"PD\" == Peter Dahl <pd@example.dk> writes:\n\nPD> Try this:\nPD> SQL> select 1 from dual;\n\nThanks.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    assert_eq!(a.messages[1].text, "Try this:\nSQL> select 1 from dual;");

    // a deep compact quote is still a quote
    let body = "Right.\n\n>>>>> I think the patch is fine\n>>>>> as it stands.\n";
    let a = run(body);
    assert_eq!(a.zones.last().map(|z| z.quote_level), Some(5));
}

// ------------------------------------------------------------ trackers and gateways

#[test]
fn bug_tracker_and_gateway_attributions() {
    let body = "https://bugs.example.org/show_bug.cgi?id=4521\n\n--- Comment #4 from Jane Doe <jane@example.org> 2016-05-02 10:11:12 UTC ---\n(In reply to John Roe from comment #3)\n> Does it crash with 2.3 too?\n\nYes, the crash also happens with the 2.3 release.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 3, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Jane Doe"));
    assert_eq!(at.address.as_deref(), Some("jane@example.org"));
    assert_eq!(ymdhm(at), Some((2016, 5, 2, 10, 11)));
    assert_eq!(
        a.messages[1].text,
        "Yes, the crash also happens with the 2.3 release."
    );
    assert_eq!(attr(&a, 2).name.as_deref(), Some("John Roe"));
    assert_eq!(a.messages[2].text, "Does it crash with 2.3 too?");

    let body = "    [ https://issues.example.org/jira/browse/PROJ-967?page=com.atlassian.jira.plugin.system.issuetabpanels:comment-tabpanel ]\n\nJane Doe commented on PROJ-967:\n-------------------------------\n\nThe patch looks fine to me.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Jane Doe"));
    assert_eq!(a.messages[1].text, "The patch looks fine to me.");
    let zt = attribution_text(body, &a);
    assert!(zt.contains("-----"), "the underline is part of it: {zt}");

    let body = "Ken Ito updated PROJ-12:\n------------------------\n    Attachment: fix.patch\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Ken Ito"));

    let body = "According to Jane Doe:\n> The meeting moved to 3pm.\n\nThanks for the heads-up.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Jane Doe"));
    assert_eq!(a.messages[1].text, "The meeting moved to 3pm.");

    // prose that starts the same way is not an attribution
    for body in [
        "According to the minutes:\n> the vote passed\n",
        "Ken Ito updated the wiki:\n------------------------\nsee the new page\n",
    ] {
        let a = run(body);
        assert!(
            a.messages
                .iter()
                .skip(1)
                .all(|m| m
                    .attribution
                    .as_ref()
                    .is_none_or(|x| x.name.as_deref() != Some("the minutes")
                        && x.name.as_deref() != Some("Ken Ito"))),
            "{body}\n{:#?}",
            a.messages
        );
    }
}

#[test]
fn eudora_at_time_you_wrote() {
    let body =
        "At 10:03 AM 1/24/01 -0600, you wrote:\n>Is the server down?\n\nIt was, for an hour.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name, None, "not \"you\", not \"you At\"");
    assert_eq!(ymdhm(at), Some((2001, 1, 24, 10, 3)));
    let opts = plenary_quotes::Options {
        addressee: Some("Jane Doe <jane@example.org>".into()),
        ..plenary_quotes::Options::default()
    };
    let a = plenary_quotes::analyze_with(body, &opts);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Jane Doe"));
    assert_eq!(at.address.as_deref(), Some("jane@example.org"));

    let body = "At 10:03 AM 1/24/01 -0600, Jane Doe wrote:\n>Is the server down?\n\nIt was.\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Jane Doe"));

    // "You wrote:" alone still introduces the quote below it
    let a = run("You wrote:\n> Is it fixed?\n\nYes.\n");
    assert_eq!(a.messages.len(), 2);
    assert_eq!(attr(&a, 1).name, None);
}

// ------------------------------------------------------------ Outlook, wrapped and mangled

#[test]
fn outlook_wrapped_and_mangled_headers() {
    let body = "Thanks, fixed in r2345.\n\n-----Original Message-----\nFrom: R-devel [mailto:r-devel-bounces@example.org] On\nBehalf Of Amber Brown\nSent: Tuesday, July 22, 2025 6:39 PM\nTo: r-devel@example.org; Ken Ito; Jane\nRoe\nSubject: Re: [Rd] seq_len\n\nseq_len(0) returns the wrong type.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    // the list sent it on behalf of its author
    assert_eq!(at.name.as_deref(), Some("Amber Brown"));
    assert_eq!(at.address, None);
    assert_eq!(ymdhm(at), Some((2025, 7, 22, 18, 39)));
    assert_eq!(at.subject.as_deref(), Some("Re: [Rd] seq_len"));
    assert_eq!(a.messages[1].text, "seq_len(0) returns the wrong type.");

    // pipermail turned the non-ASCII of a French Outlook block into `?`
    let body = "D'accord.\n\nDe?: Claire Morel <claire.morel@example.fr>\nEnvoy??: mardi 22 juillet 2025 17:06\n??: Liste <liste@example.org>\nObjet?: Re: budget\n\nLe budget est en ligne.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Claire Morel"));
    assert_eq!(ymdhm(at), Some((2025, 7, 22, 17, 6)));
    assert_eq!(at.subject.as_deref(), Some("Re: budget"));
    assert_eq!(a.messages[1].text, "Le budget est en ligne.");

    // Gmail's narrow no-break space before PM, mangled to `?`
    let body = "Yes.\n\nOn Tue, Jul 22, 2025 at 6:39?PM Jane Doe <jane@example.org> wrote:\n> Shall we merge?\n";
    let a = run(body);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Jane Doe"));
    assert_eq!(ymdhm(at), Some((2025, 7, 22, 18, 39)));
}

/// Outlook for Mac as pipermail stores it: a byte-order mark turned into `?`
/// before `On`, and both the name and the address marked `on behalf of`.
#[test]
fn outlook_for_mac_on_behalf_of_with_a_mangled_mark() {
    for mark in ["?", "\u{feff}", ""] {
        let body = format!("I agree with that.\n\n{mark}On 17/07/2024, 22.30, \"R-package-devel on behalf of Chung-hong Chan\" <r-package-devel-bounces at r-project.org <mailto:r-package-devel-bounces at r-project.org> on behalf of chainsawtiney at gmail.com <mailto:chainsawtiney at gmail.com>> wrote:\n\n> To add to this, extendr is fine.\n");
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{mark}: {:#?}", a.messages);
        let at = attr(&a, 1);
        assert_eq!(at.name.as_deref(), Some("Chung-hong Chan"), "{mark}");
        assert_eq!(
            at.address.as_deref(),
            Some("chainsawtiney@gmail.com"),
            "{mark}"
        );
        assert_eq!(ymdhm(at), Some((2024, 7, 17, 22, 30)), "{mark}");
    }
}

/// A forward pasted between two `===` rules, and one that mutt closes with its
/// end line: the forwarded mail ends there, and the lines below are the
/// writer's again, not the forwarded person's.
#[test]
fn a_forward_ends_at_its_closing_line() {
    let eq = "Here is a patch for gzip content encoding.\n\nHere is his mail:\n===\nFrom: Rob Ito <rob at example.com>\nTo: Vera Volk <vera at example.com>\nDate: Fri, 1 Oct 2004 20:50:35 -0400\nSubject: Re: gzstream\n\nYou may use my gzstream.\n\nOn Oct 1, 2004, at 8:33 PM, Vera Volk wrote:\n\n> May we include gzstream in the project?\n===\n\nThe files are attached, and the patch follows.\n\nIndex: web/http.py\n";
    let mutt = "Forwarding Rob's answer.\n\n----- Forwarded message from Rob Ito <rob at example.com> -----\n\nDate: Fri, 1 Oct 2004 20:50:35 -0400\nFrom: Rob Ito <rob at example.com>\nSubject: Re: gzstream\n\nYou may use my gzstream.\n\n----- End forwarded message -----\n\nThe files are attached, and the patch follows.\n";
    for body in [eq, mutt] {
        let a = run(body);
        let rob = by_author(&a, "Rob Ito");
        assert!(
            rob.text.contains("You may use my gzstream."),
            "{}",
            rob.text
        );
        assert!(!rob.text.contains("patch follows"), "{}", rob.text);
        assert!(
            a.messages[0].text.contains("The files are attached"),
            "{}",
            a.messages[0].text
        );
    }
}

/// A forwarded exchange whose header block is followed by a quote two levels
/// deeper and then text at its own level: the header heads that text's mail
/// (its writer opened with the older exchange), not the deeper quote's.
#[test]
fn a_header_block_over_a_two_level_quote_heads_its_own_text() {
    let body = "From an exchange with Dana:\n\n> From: Dana Reyes <dana at example.org>\n> Date: February 9, 2006 1:04:30 PM MST\n> To: Sam Ortiz <sam at example.com>\n> Subject: Re: xmlrpc auth patch\n>\n>>> The web client isn't done yet. It has decent test coverage\n>>> but no high level api.\n>>\n>> Great. Perfect for sprinting at the conference.\n>\n> I don't think we are going to be there. Perhaps a virtual sprint\n> could coincide with the conference sprints.\n\nI will be at the conference this year.\n";
    let a = run(body);
    let dana = by_author(&a, "Dana Reyes");
    assert!(
        dana.text.contains("I don't think we are going"),
        "{}",
        dana.text
    );
    assert!(
        !dana.text.contains("Perfect for sprinting"),
        "{}",
        dana.text
    );
}

/// `10/5/18` under an unattributed quote is read against the carrying mail's
/// date (5 October 2018), not left to the day-first default: a quote is older
/// than every message quoting it.
#[test]
fn an_ambiguous_date_under_an_unattributed_quote_is_read_against_the_carrier() {
    let body = "Thank you very much!\n\n> Don't forget to reply all.\n>\n> On 10/5/18 1:35 PM, ana at example.org wrote:\n> > How should I solve the problem in my package?\n";
    let opts = plenary_quotes::Options {
        date: Some(plenary_quotes::LocalDateTime {
            year: 2018,
            month: 10,
            day: 5,
            hour: 18,
            minute: 9,
            has_time: true,
            offset_minutes: Some(0),
            day_month_ambiguous: false,
        }),
        ..plenary_quotes::Options::default()
    };
    let a = plenary_quotes::analyze_with(body, &opts);
    let ana = a
        .messages
        .iter()
        .find_map(|m| m.attribution.as_ref().filter(|x| x.date.is_some()))
        .unwrap_or_else(|| panic!("{:#?}", a.messages));
    assert_eq!(ymdhm(ana), Some((2018, 10, 5, 13, 35)));
}

/// Thunderbird's French forward block, its accents turned to `?` by the
/// archive: `R?pondre ? :` is the reply-to field, not the sender's name.
#[test]
fn a_mangled_french_reply_to_field_is_no_name() {
    let body = "Voici le message.\n\n-------- Message transf?r? --------\nSujet :\tpkg 1.0 on CRAN\nDate :\tTue, 5 Jan 2021 10:11:12 +0100\nDe :\tCheck Service <checks at example.org>\nR?pondre ? :\tteam at example.org\nPour :\tana at example.org\n\nThanks, on its way to CRAN.\n";
    let a = run(body);
    let at = a
        .messages
        .iter()
        .find_map(|m| m.attribution.as_ref())
        .unwrap_or_else(|| panic!("{:#?}", a.messages));
    assert_eq!(at.name.as_deref(), Some("Check Service"), "{at:#?}");
}

/// A gateway's `EXTERNAL EMAIL` banner over a forwarded mail is a notice, not
/// the sender's words.
#[test]
fn a_gateway_banner_is_a_notice() {
    let body = "FYI.\n\nFrom: Check Service <checks at example.org>\nSent: Friday, May 3, 2024 9:12 AM\nTo: ana at example.com\nSubject: pkg 1.0 on its way\n\nEXTERNAL EMAIL\n\nDear maintainer,\n\nthanks, on its way to CRAN.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    assert!(
        !a.messages[1].text.contains("EXTERNAL"),
        "{}",
        a.messages[1].text
    );
    assert!(zone_text(body, &a, ZoneKind::Notice, None).contains("EXTERNAL EMAIL"));
    // in a sentence the words are text
    let a = run("We moved the external email relay.\n");
    assert!(a.messages[0].text.contains("external email"));
}

/// Pipermail's stub for a scrubbed attached message keeps its headers but not
/// its words: no quoted message.
#[test]
fn an_embedded_message_stub_is_no_quote() {
    let body = "Patch attached.\n\n-------------- next part --------------\nAn embedded message was scrubbed...\nFrom: Mia Neal <mn at example.com>\nSubject: Re: openmp\nDate: Mon, 24 Aug 2015 12:25:12 -0400\nSize: 3693\nURL: <https://lists.example.org/pipermail/dev/attachments/20150824/96efd608/attachment.mht>\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 1, "{:#?}", a.messages);
    assert!(zone_text(body, &a, ZoneKind::ScrubbedAttachment, None).contains("From: Mia Neal"));
}

/// An attribution Gmail wrapped after `<mailto:`, the tail two markers short,
/// is one attribution.
#[test]
fn an_attribution_wrapped_after_mailto_is_whole() {
    let body = "Any idea?\n\nOn Thu, May 11, 2017 at 3:01 PM, Rai Krug <rk at example.de> wrote:\n\n> > From: Rai Krug <rk at example.de>\n> > Date: 11 May 2017 at 14:41:03 GMT+2\n> >\n> >> On 11 May 2017, at 14:35, Hal Hofer <hh at example.com <mailto:\n> hh at example.com>> wrote:\n> >>\n> >> Why two packages?\n> >\n> > Because the data changes often.\n";
    let a = run(body);
    let hal = by_author(&a, "Hal Hofer");
    assert!(hal.text.contains("Why two packages?"), "{}", hal.text);
    let at = hal.attribution.as_ref().expect("attribution");
    assert_eq!(ymdhm(at), Some((2017, 5, 11, 14, 35)));
}

// ------------------------------------------------------------ summaries

#[test]
fn a_summary_quoting_several_people() {
    let body = "Thanks to everyone who answered. Summary:\n\nJane Doe:\n> Use seq_len() instead of 1:n.\n\nJohn Roe wrote:\n> vapply is safer than sapply.\n\nAna de Neves:\n> Both, really.\n\nCheers,\nKen\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 4, "{:#?}", a.messages);
    let names: Vec<Option<&str>> = a.messages[1..]
        .iter()
        .map(|m| m.attribution.as_ref().and_then(|x| x.name.as_deref()))
        .collect();
    assert_eq!(
        names,
        vec![Some("Jane Doe"), Some("John Roe"), Some("Ana de Neves")]
    );
    assert_eq!(a.messages[1].text, "Use seq_len() instead of 1:n.");
    assert_eq!(a.messages[3].text, "Both, really.");
    assert!(a.messages.iter().all(|m| !m.interleaved));

    // a heading above a quote is no person
    let a = run("Proposed Text:\n> The IGF shall meet yearly.\n\nI support this.\n");
    assert!(
        a.messages.get(1).is_some_and(|m| m.attribution.is_none()),
        "{:#?}",
        a.messages
    );
}

#[test]
fn outlook_tab_separated_fields() {
    let body = "Yes, we ran the numbers.\n\n -----Original Message-----\nFrom: \tCrews, David  \nSent:\tWednesday, May 30, 2001 9:20 AM\nTo:\tBuy, Rick\nCc:\tGorte, David\nSubject:\tRE: FYI - Project Lark\n\nWere we involved in the transaction?\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.style, AttributionStyle::OriginalMessage);
    assert_eq!(at.name.as_deref(), Some("Crews, David"));
    assert_eq!(ymdhm(at), Some((2001, 5, 30, 9, 20)));
    assert_eq!(at.cc, vec!["Gorte, David".to_string()]);
    assert_eq!(a.messages[1].text, "Were we involved in the transaction?");
}

#[test]
fn aol_in_a_message_dated() {
    let body = "Sure, see you there.\n\nIn a message dated 11/20/2000 10:06:02 AM Central Standard Time, jdoe@aol.com writes:\n\n<< Are we still on for Friday? >>\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name, None);
    assert_eq!(at.address.as_deref(), Some("jdoe@aol.com"));
    assert_eq!(ymdhm(at), Some((2000, 11, 20, 10, 6)));
    let a = run("In a message dated 7/22/2025 5:06:02 PM Pacific Daylight Time, Jane Doe writes:\n> Friday?\n");
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Jane Doe"));
}

#[test]
fn deep_quotes_are_not_supercite() {
    // five levels of quoted code and of a quoted "writes:" line stay quotes
    for body in [
        "Still broken.\n\n>>>>> if a == b:\n>>>>>     return a\n",
        "Still broken.\n\n>>>>> Jane writes:\n>>>>>> the build fails\n",
    ] {
        let a = run(body);
        let top = zone_text(body, &a, ZoneKind::NewText, Some(0));
        assert_eq!(top, "Still broken.\n\n", "{body}\n{:#?}", a.zones);
        assert!(
            a.zones.last().is_some_and(|z| z.quote_level >= 5),
            "{:#?}",
            a.zones
        );
    }
}

// ------------------------------------------------------------ snip markers

/// A reply that cut the top of what it quotes (`<snip>` under the
/// attribution) still quotes with `>`: its own words after the quote are its
/// own, not the quoted author's (issue 12 gold: the replier's text recovered as
/// the quoted message).
#[test]
fn snip_marker_between_attribution_and_quote() {
    for snip in [
        "<snip>",
        "[snip]",
        "*snip*",
        "[...]",
        "<...>",
        "\n[snip long, painful, ongoing discussion between Jean and Marc]\n",
    ] {
        let body = format!(
            "On 2 July 2013 15:41, Jean Dupont <jean at example.org> wrote:\n{snip}\n> It works, if you write the code to do it. I think what Rick meant\n> is that there is no endpoint for an existing descriptor.\n\nYes, I was also unaware of TLS support here.\nI assumed it needed a new reactor method.\n"
        );
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{snip}: {:#?}", a.messages);
        assert!(
            a.messages[0].text.contains("Yes, I was also unaware"),
            "{snip}"
        );
        assert!(
            a.messages[1].text.starts_with("It works"),
            "{snip}: {:?}",
            a.messages[1].text
        );
        assert!(!a.messages[1].text.contains("unaware"), "{snip}");
        assert_eq!(attr(&a, 1).name.as_deref(), Some("Jean Dupont"));
    }
}

/// Divmod Quotient writes a same-day attribution with the time only: the
/// time is not the author's name.
#[test]
fn time_only_attribution_names_the_address() {
    for line in [
        "On 09:07 pm, alex at example.com wrote:",
        "On 9:07 PM, alex at example.com wrote:",
        "On 21:07, alex at example.com wrote:",
    ] {
        let body = format!("{line}\n> I restarted the reactor and it works now,\n> thanks for the pointer.\n\nGood to hear.\n");
        let a = run(&body);
        let at = attr(&a, 1);
        assert_eq!(at.address.as_deref(), Some("alex@example.com"), "{line}");
        assert!(
            at.name.as_deref().is_none_or(|n| !n.contains(':')),
            "{line}: {:?}",
            at.name
        );
        assert_eq!(at.date, None, "{line}: no day is given");
    }
}

/// Outlook wraps a long `From:` line after `On Behalf Of`: the name goes on
/// (`Mike C.` / `Fletcher`) and the block with it.
#[test]
fn outlook_sender_name_wrapped_after_on_behalf_of() {
    let body = "Thanks, that helps.\n\n-----Original Message-----\nFrom: web-bounces at example.org\n[mailto:web-bounces at example.org] On Behalf Of Mike C.\nFletcher\nSent: Friday, November 05, 2004 2:55 PM\nTo: Web general discussion\nSubject: Re: Log in - state of the art?\n\nI did up a few howtos in my blog a while back.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert!(
        at.name.as_deref().is_some_and(|n| n.contains("Fletcher")),
        "{:?}",
        at.name
    );
    assert_eq!(
        at.subject.as_deref(),
        Some("Re: Log in - state of the art?")
    );
    assert!(at.date.is_some(), "Sent: is part of the block");
    assert!(
        a.messages[1].text.starts_with("I did up"),
        "{:?}",
        a.messages[1].text
    );
}

// ------------------------------------------------------------ verbs left in names

#[test]
fn postbox_wrote_on_date_is_not_part_of_the_name() {
    let body = "Thanks, that was it.\n\nJane Doe wrote on 5/16/19 11:36 AM:\n> Feel free to CC back to the list which dropped off.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Jane Doe"));
    assert_eq!(ymdhm(at), Some((2019, 5, 16, 11, 36)));
}

#[test]
fn mangled_verb_and_date_on_the_line_above() {
    // Russian Gmail: `В чт, 28 дек. 2023 г. …` / `Name <addr> написал:`, as
    // pipermail stores it with every Cyrillic letter turned into `?`
    let body = "Hi Jane,\n\n> ? Thu, 28 Dec 2023 14:57:55 +0200\n> Jane Doe <jane at example.org> ?????:\n>> I created a test file and it fails the same way.\n> Try it without the data.\n";
    let a = run(body);
    let jane = a
        .messages
        .iter()
        .find(|m| m.attribution.as_ref().is_some_and(|x| x.address.is_some()))
        .expect("Jane's quote");
    let at = jane.attribution.as_ref().expect("attribution");
    assert_eq!(at.name.as_deref(), Some("Jane Doe"));
    assert_eq!(at.address.as_deref(), Some("jane@example.org"));
    assert_eq!(ymdhm(at), Some((2023, 12, 28, 14, 57)));
    assert!(jane.text.contains("I created a test file"));
    // the date line is the attribution's, not the quoting author's text
    assert!(
        a.messages.iter().all(|m| !m.text.contains("14:57:55")),
        "{:#?}",
        a.messages
    );
}

/// pipermail's text archives write every letter outside ASCII as `?`: the verb
/// and the month still read (`escribi?`, `M?rz`), and the `?` never ends up in
/// the author's name as a word of its own.
#[test]
fn question_mark_mangled_verbs_and_months() {
    let body = "Gracias.\n\nEl lun., 4 mar. 2019 a las 10:12, Juan Prieto (<juan@example.org>) escribi?:\n> El paquete compila sin errores en Windows.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Juan Prieto"));
    assert_eq!(ymdhm(at), Some((2019, 3, 4, 10, 12)));
    let body = "Danke.\n\nAm Mo., 4. M?rz 2019 um 10:12 Uhr schrieb Uwe Beispiel <uwe@example.org>:\n> Das Paket baut ohne Fehler.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Uwe Beispiel"));
    assert_eq!(ymdhm(at), Some((2019, 3, 4, 10, 12)));
}

/// Yahoo's French attribution as pipermail stores it: `à` and `é` are `?`; the
/// date runs through the time and its zone, and the author is the address.
#[test]
fn question_mark_mangled_french_yahoo_attribution() {
    let body = "Merci.\n\n    Le dimanche 5 mai 2019 ? 14:44:24 UTC+2, carto at example.com <carto at example.com> a ?crit :  \n> Le paquet compile.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert!(
        at.name.as_deref().is_none_or(|n| !n.contains('?')),
        "{:?}",
        at.name
    );
    assert_eq!(ymdhm(at), Some((2019, 5, 5, 14, 44)));
}

/// A two-line signature as pipermail stores it — the name, then the address
/// written `x at y` — ends the quoted author's words, footer below or not.
#[test]
fn a_name_and_a_pipermail_address_are_a_signature() {
    let body = "Thanks, that helps.\n\nOn Tue, Mar 4, 2025 at 2:42 PM Michael Nealon <mike at example.org> wrote:\n> Apple wants to promote its own parallel computing tools, so this seems unlikely.\n>\n> Michael Nealon\n> mike at example.org\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let m = &a.messages[1];
    assert!(!m.text.contains("mike at example.org"), "{:?}", m.text);
    assert_eq!(
        m.signature.as_deref(),
        Some("Michael Nealon\nmike at example.org")
    );
}

// ------------------------------------------------------------ re-wrapped quotes

#[test]
fn rewrapped_tails_keep_their_level() {
    // Gmail quoting a quote: lines grown past its width are re-wrapped, and the
    // last word lands alone on the next line with one `>` fewer
    let body = "I agree with Tomas here.\n\nOn Tue, Mar 3, 2026 at 9:14 AM Tomas Varga <tv@example.org> wrote:\n\n> On Mon, Mar 2, 2026, 4:35 PM Lena Hartmann <lh@example.org> wrote:\n>\n> > I received a note from the maintainers saying that my package is not\n> \"failing\n> > gracefully\". The function returns NULL when the server is down, as it\n> should,\n> > but the vignette then calls a plotting function on that NULL, which throws\n> an\n> > error in such a case.\n> >\n> > Best,\n> > Lena\n>\n> A vignette can check for NULL first.\n>\n";
    let a = run(body);
    let lena = by_author(&a, "Lena Hartmann");
    for w in ["\"failing", "should,", "an\n", "throws"] {
        assert!(lena.text.contains(w), "{w:?} lost: {}", lena.text);
    }
    let tomas = by_author(&a, "Tomas Varga");
    assert_eq!(tomas.text.trim(), "A vignette can check for NULL first.");
}

#[test]
fn a_reply_between_quoted_lines_is_not_a_tail() {
    // a one-line answer under a long quoted question, and a capitalised one
    // under an unfinished line: the writer's own words
    let body = "On Tue, Mar 3, 2026 at 9:14 AM Tomas Varga <tv@example.org> wrote:\n> Should the release wait for the new build farm, or do we ship it now?\nNow.\n> And the documentation pages that still describe the old build farm setup\nYes, those too\n> need an update before we announce anything.\n";
    let a = run(body);
    let own = &a.messages[0].text;
    assert!(
        own.contains("Now.") && own.contains("Yes, those too"),
        "{own}"
    );
}

/// A robot's one-line paragraph, quoted twice: the quoting client pushed whole
/// clauses of it down with one `>` fewer. They are the robot's words, not the
/// middle writer's.
#[test]
fn long_clauses_rewrapped_out_of_a_deeper_quote_keep_their_level() {
    let body = "Hi Ana,\n\nthe license field is the problem.\n\nOn Wed, May 30, 2018 at 4:52 PM, Hugo Park <hp at example.org>\nwrote:\n\n> Read the check log first.\n>\n> > -----Original Message-----\n> > From: Check Service <checks at example.org>\n> > Sent: Wednesday, 30 May 2018 12:11 AM\n> > To: ana at example.org\n> > Subject: submission pkg 1.1.0\n> >\n> > Dear maintainer,\n> >\n> > package pkg_1.1.0.tar.gz does not pass the incoming checks\n> automatically, please see the following pre-tests:\n> > Status: 3 WARNINGs, 3 NOTEs\n> >\n> > If you are not sure how to fix the problems shown, please ask for help\n> on the package development mailing list:\n> > <https://lists.example.org/listinfo/pkg-devel>\n> >\n> > Best regards,\n> > The check service\n";
    let a = run(body);
    let robot = by_author(&a, "Check Service");
    for w in [
        "checks\nautomatically, please see",
        "help\non the package development mailing list:",
    ] {
        assert!(robot.text.contains(w), "{w:?} lost: {}", robot.text);
    }
    let hugo = by_author(&a, "Hugo Park");
    assert_eq!(hugo.text.trim(), "Read the check log first.");
}

/// A paragraph that was one long line, quoted three deep and re-wrapped by
/// Gmail: its lines come back one `>` only, each but the last long. They are
/// the deepest writer's.
#[test]
fn a_long_paragraph_rewrapped_two_levels_up_keeps_its_level() {
    let body = "See below.\n\nOn Thu, May 11, 2017 at 3:01 PM, Rai Krug <rk at example.de> wrote:\n\n> > Because the data changes often.\n> >\n> >> On 11 May 2017, at 14:35, Hal Hofer <hh at example.com> wrote:\n> >>\n> >> could you elaborate a little more on why you split this into two\n> packages in the first place? If you all kept it in one, you would have to\n> update this package regularly - but rebuilding the vignette would not be a\n> problem.\n> >>\n> >> Best\n> >> Hal\n";
    let a = run(body);
    let hal = by_author(&a, "Hal Hofer");
    for w in ["two\npackages in the first place?", "be a\nproblem."] {
        assert!(hal.text.contains(w), "{w:?} lost: {}", hal.text);
    }
}

/// A client that left the first line of each deeper paragraph one `>` short:
/// the line whose sentence runs on below, and a closing over the deeper
/// writer's name, are the deeper writer's.
#[test]
fn a_deeper_paragraphs_first_line_one_marker_short_keeps_its_level() {
    let body = "Indeed text works, but HTML does not.\n\nOn Mon, Mar 27, 2017 at 9:07 AM, Anna Zell <az at example.org>\nwrote:\n\n> On Mon, 27 Mar 2017, Kai Hansen wrote:\n>\n> Thanks.  It would be great to have this working in 3.4.  In Bioc there are\n>> multiple packages with CITATION files with multiple entries.\n>>\n>\n> But this is what citation() already does.\n>\n> Best,\n> Z\n>\n> Best,\n>> Kai\n>>\n";
    let a = run(body);
    let kai = by_author(&a, "Kai Hansen");
    assert!(
        kai.text.starts_with("Thanks.  It would be great"),
        "{}",
        kai.text
    );
    assert!(
        kai.text.contains("there are\nmultiple packages"),
        "{}",
        kai.text
    );
    let anna = by_author(&a, "Anna Zell");
    assert!(!anna.text.contains("Thanks."), "{}", anna.text);
    assert!(anna.text.contains("But this is what"), "{}", anna.text);
}

/// A French attribution whose verb the wrap split (`… <pw at example.com> a` /
/// `écrit :`) is still an attribution.
#[test]
fn an_attribution_whose_verb_the_wrap_split_is_whole() {
    let body = "There's a profiler!\n\n> Le Jun 21, 2012 à 6:52 AM, Pia West <pw at example.com> a\n> écrit :\n>\n>> How fast is rendering in nevow? I have a page which is mostly a large\n>> table.\n";
    let a = run(body);
    let pia = by_author(&a, "Pia West");
    assert!(
        pia.text.starts_with("How fast is rendering"),
        "{}",
        pia.text
    );
}

/// A path longer than any line, pushed whole out of its quote with the quote's
/// indentation (its `>` left alone on the line above), is the quoted writer's.
#[test]
fn a_long_path_pushed_out_of_its_quote_keeps_its_level() {
    let body = "Fixed in 0.2.1, thanks.\n\nOn Mon, Jul 15, 2024 at 11:44 AM Uwe Berg <ub at example.org> wrote:\n\n>     Thanks, we still see with gcc-UBSAN\n>\n>\n rpkg.Rcheck/rpkg-Ex.Rout:/data/build/R/test-dev/Eigen/include/Eigen/src/Cholesky/LLT.h:66:49:\n>     runtime error: load of value 20880, which is not a valid value\n>\n>     Please fix and resubmit.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    assert!(
        a.messages[1].text.contains("rpkg.Rcheck/rpkg-Ex.Rout:"),
        "{}",
        a.messages[1].text
    );
    assert!(
        !a.messages[0].text.contains("Rcheck"),
        "{}",
        a.messages[0].text
    );
}

#[test]
fn rewrapped_attribution_and_url_keep_their_level() {
    // Gmail wrapped a quoted attribution after `<` and pushed a long URL onto
    // its own line, both with one `>` fewer
    let body = "I second this: the best plugin example I have seen.\n\nOn Thu, Jul 14, 2011 at 7:05 AM, Sven Lund <\nsven at lund.example> wrote:\n> On Thu, Jul 14, 2011 at 13:50, Ivo <\nivo at example.ru> wrote:\n>> I have a very simple example that never stops:\n>>\n>> reactor.callWhenRunning(start)\n>\n> I put together a complete example application a few weeks ago.\n>\n> The repository is here:\nhttps://code.example.org/sven/plugin-example\n>\n> It shows how to do things in startService.\n>\n> Sven.\n";
    let a = run(body);
    let sven = by_author(&a, "Sven Lund");
    assert!(
        sven.text
            .contains("https://code.example.org/sven/plugin-example"),
        "{}",
        sven.text
    );
    assert!(sven.text.contains("startService"), "{}", sven.text);
    assert!(!sven.text.contains("wrote:"), "{}", sven.text);
    let ivo = by_author(&a, "Ivo");
    assert_eq!(
        ivo.attribution
            .as_ref()
            .and_then(|at| at.address.as_deref()),
        Some("ivo@example.ru")
    );
    assert!(
        ivo.text.starts_with("I have a very simple example"),
        "{}",
        ivo.text
    );
    assert!(
        !a.messages[0].text.contains("https://"),
        "{}",
        a.messages[0].text
    );
}

/// What follows a sign-off is a signature only when it reads as one: the
/// policy and code a writer appends below their name, ending with a second
/// sign-off, are still their message.
#[test]
fn a_postscript_with_code_after_the_sign_off_is_not_a_signature() {
    let body = "Try a hidden chunk.\n\nOn Mon, Dec 29, 2025 at 4:35 PM Lena Hartmann <lh@example.org> wrote:\n> I would appreciate your thoughts on this.\n>\n> best,\n> Lena Hartmann\n>\n> *Policy asks that:*\n>\n>    - Packages which use Internet resources should fail gracefully with an\n>    informative message if the resource is not available.\n>\n> # code causing the error\n>\n> library(aopdata)\n> df <- aopdata::read_population(city = 'Fortaleza')\n> ggplot() + geom_sf(data = df)\n>\n> best,\n> Lena Hartmann\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let m = &a.messages[1];
    for w in ["Policy asks that", "library(aopdata)", "geom_sf"] {
        assert!(m.text.contains(w), "{w}: {:?}", m.text);
    }
}

/// Thunderbird's French forward block as pipermail keeps it (the no-break
/// space before each colon mangled to `?`): `Pour` is the recipient, not more
/// of the sender's name.
#[test]
fn french_thunderbird_forward_with_mangled_colons() {
    let body = "This answers the question raised on this thread.\n\nBest,\n\nPatrick\n\n-------- Message transféré --------\nSujet?: \tFollow-up on R-devel\nDate?: \tMon, 31 Jan 2022 12:23:57 +0000\nDe?: \tRoland Berg <Roland.Berg at example.no>\nPour?: \tPatrick Girard <patrick.girard at example.fr>\nCopie?à?: \tR-package-devel <r-package-devel at r-project.org>\n\n\n\nDear Patrick,\n\nI will send a new version this weekend.\n\nBest wishes,\n\nRoland\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Roland Berg"));
    assert_eq!(ymdhm(at), Some((2022, 1, 31, 12, 23)));
    assert!(a.messages[1].text.contains("I will send a new version"));
}

#[test]
fn rewrapped_links_paths_and_numbers_keep_their_level() {
    // Gmail's nested quote as indented text under `>`, re-wrapped: an address
    // in angle brackets, a long path and a negative number fall one `>` short
    let body = "Please ask on the mailing list.\n\nBest,\nUwe Ligges\n\nOn 16.07.2024 08:32, Bill Huang wrote:\n> Hi, Uwe. I am not sure how to resolve this issue.\n>\n> On Mon, Jul 15, 2024 at 11:44 AM Uwe Ligges <ligges at example.de> wrote:\n>\n>     Thanks, we still see with gcc-UBSAN the runtime error in the examples of\n<https://cran.example.org/web/checks/check_results_rkriging.html>\n>     and this trace from the check directory of the package, in the file\n rkriging.Rcheck/rkriging-Ex.Rout:/data/gannet/test-dev/LLT.h:66:49:\n>     runtime error: load of value 20880, which is not a valid value for\ntype\n>     'ComputationInfo' in Eigen::LLT<Eigen::Matrix<double, -1, -1, 0, -1, -1>, 1, 0,\n-1,\n>     1>&&) so please fix and resubmit.\n>\n>     Best,\n>     Uwe Ligges\n";
    let a = run(body);
    let top = &a.messages[0].text;
    for w in ["<https://", "rkriging.Rcheck", "type", "-1,"] {
        assert!(!top.contains(w), "{w} left in the top message: {top}");
    }
    assert!(top.ends_with("Uwe Ligges"), "{top}");
}

// ------------------------------------------------ levels a client left unmarked

/// Thunderbird's Italian reply quoting a Thunderbird message that kept its own
/// "On … wrote:" but cut the quote below it: the words under it are the middle
/// writer's, not the person that line names.
#[test]
fn a_cut_quote_under_a_nested_attribution_credits_the_quoter() {
    let body = "Piero Bassi ha scritto:\n> Chiara Lodi ha scritto:\n>>\n>> On Sun, 16 Jul 2006 16:18:07 -0200, Piero Bassi\n>> <piero at example.it> wrote:\n>>\n>> That belongs on the users list, not here.\n\nI have copied the users list.\n";
    let a = run(body);
    let names: Vec<Option<&str>> = a
        .messages
        .iter()
        .map(|m| m.attribution.as_ref().and_then(|x| x.name.as_deref()))
        .collect();
    assert_eq!(
        names,
        vec![None, Some("Piero Bassi"), Some("Chiara Lodi")],
        "{:#?}",
        a.messages
    );
    assert_eq!(
        a.messages[2].text,
        "That belongs on the users list, not here."
    );
    // the dangling attribution line is marked, not text
    assert!(attribution_text(body, &a).contains("<piero at example.it> wrote:"));
}

/// Outlook's nested blocks stay unmarked quotes: the cut-quote reading needs a
/// writer who came under "On … wrote:" and `>`.
#[test]
fn an_unmarked_quote_under_a_header_block_is_kept() {
    let body = "Agreed.\n\nOn 2025/07/23 18:36, Ana Ruiz wrote:\n> Thanks, Paul.\n>\n> *From:* Omar Haddad <omar at example.org>\n> *Sent:* 23 July 2025 14:42\n> *Subject:* Re: text\n>\n> On 23/07/25 19:02, Lena Vogt wrote:\n>\n> The language was updated in 2015.\n>\n> Indeed, and again last year.\n";
    let a = run(body);
    let lena = by_author(&a, "Lena Vogt");
    assert!(
        lena.text.starts_with("The language was updated"),
        "{}",
        lena.text
    );
}

/// Gmail's HTML reply rendered as text by the quoting client: the quoted
/// writer's words indented by four spaces, the answers flush between them.
#[test]
fn an_indented_quote_with_flush_answers_is_split() {
    let body = "On 12/20/10 4:19 PM, Carl Moss wrote:\n> On Mon, Dec 20, 2010 at 5:01 PM, Dora Ilic <dora at example.ch\n> <mailto:dora at example.ch>> wrote:\n>\n>     Hi Carl\n>\n>     which version of the framework do you bundle? The latest fixes\n>     solved bugs when detaching widgets from a page.\n>\n>\n> It works on pretty much any version, but not with the\n> contextless page.\n>\n>     What should be improved first?\n>\n>\n> Mostly the bootstrapping: every new app repeats the same code.\n\nI see the point.\n\nDora\n";
    let a = run(body);
    let carl = by_author(&a, "Carl Moss");
    let dora = by_author(&a, "Dora Ilic");
    assert_eq!(dora.depth, 2);
    assert!(
        dora.text.starts_with("Hi Carl\n\nwhich version"),
        "{}",
        dora.text
    );
    assert!(dora.text.contains("What should be improved first?"));
    assert!(
        !dora.text.contains("pretty much any version"),
        "{}",
        dora.text
    );
    assert!(
        carl.text.starts_with("It works on pretty much"),
        "{}",
        carl.text
    );
    assert!(carl.text.contains("Mostly the bootstrapping"));
    assert!(!carl.text.contains("Hi Carl"), "{}", carl.text);
}

/// Indented code in a reply under a cut quote is the writer's code, not a quote.
#[test]
fn indented_code_under_an_attribution_is_not_an_indented_quote() {
    let body = "On Tue, 3 May 2011 at 09:12, Ravi Menon wrote:\n\n    def render(self, ctx):\n        return ctx.tag.clear()[self.rows()]\n\nThat is what I use, and it works.\n";
    let a = run(body);
    // not split: the code and the sentence below it stay in one message
    let with_code = a
        .messages
        .iter()
        .find(|m| m.text.contains("def render"))
        .unwrap_or_else(|| panic!("{:#?}", a.messages));
    assert!(
        with_code.text.contains("That is what I use"),
        "{:#?}",
        a.messages
    );
}

/// Outlook wraps a long `Subject:` in the quoted header block; the tail on the
/// next line, right above the blank line, is the subject's, not the body's.
#[test]
fn a_wrapped_subject_tail_is_not_the_body() {
    let body = "Thanks, that works.\n\n-----Original Message-----\nFrom: Jon Peters <jon.peters at example.org> \nSent: Friday, January 17, 2020 9:24 AM\nTo: Smith, Anna <anna-smith at example.edu>; pkg-devel at example.org\nSubject: [External] Re: [pkg-devel] S3 generic/method consistency\nwarning for formula method\n\nI am surprised that a generic with no arguments is allowed.\n\nJon\n";
    let a = run(body);
    let at = attr(&a, 1);
    assert_eq!(
        at.subject.as_deref(),
        Some("[External] Re: [pkg-devel] S3 generic/method consistency warning for formula method")
    );
    assert!(
        a.messages[1].text.starts_with("I am surprised"),
        "{}",
        a.messages[1].text
    );
    // a short subject and the body right below it: the body's first line stays
    let body = "Yes.\n\n-----Original Message-----\nFrom: Jon Peters <jon.peters at example.org>\nSent: Friday, January 17, 2020 9:24 AM\nSubject: Re: build\n\nIt fails\non Windows only\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).subject.as_deref(), Some("Re: build"));
    assert!(a.messages[1].text.starts_with("It fails"));
}

/// A quotation closing a `-- ` signature is the signature's, quoted or not; a
/// postscript after the signature is not.
#[test]
fn a_signature_epigram_is_signature() {
    let body = "Thanks for the reply.\n\nOn Sun, Apr 23, 2017 at 10:17:01AM +0200, Ines Morel wrote:\n>Could it be that the vignettes build quickly thanks to a cache?\n>CRAN does not like anything that takes more than a few seconds...\n>\n>-- \n>Ines Morel\n>\n>http://sites.example.org/inesmorel/home\n>\n>*\"Science is the belief in the ignorance of experts\"*, R. Feynman\n";
    let a = run(body);
    assert!(
        a.messages[1].text.ends_with("more than a few seconds..."),
        "{:?}",
        a.messages[1].text
    );
    let sig = zone_text(body, &a, ZoneKind::Signature, Some(1));
    assert!(sig.contains("R. Feynman"), "{sig}");
    let body = "Here it is.\n\n-- \nIgor Petrov\nhttp://example.org/igor\n\nP.S. I forgot the log, attached now.\n";
    let a = run(body);
    assert!(
        a.messages[0].text.contains("P.S. I forgot the log"),
        "{:?}",
        a.messages[0].text
    );
}

/// Gmail quoting a quote it rendered as indented text: the deeper level's lines
/// carry an indented `>`, and the lines it re-wrapped come back indented but
/// without it; they stay with the deeper level, however long.
#[test]
fn indented_nested_tails_keep_their_level() {
    let body = "Please fix and resubmit.\n\nOn Sat, Jul 13, 2024 at 11:47 PM Chen Hua <ch at example.org> wrote:\n\n> The form said:\n>\n>      > Maintainer: Chen Hua <ch at example.org\n>     <mailto:ch at example.org>>\n>      > Description: An 'Eigen'-based computationally efficient 'C++'\n>     implementation for fitting various kriging models to data. This\n>     research is supported by a National Science Foundation grant.\n>      > License: GPL (>= 2)\n>\n> Best,\n> Chen\n";
    let a = run(body);
    let deep = a
        .messages
        .iter()
        .find(|m| m.depth == 2)
        .unwrap_or_else(|| panic!("{:#?}", a.messages));
    for w in [
        "<mailto:ch at example.org>>",
        "implementation for fitting",
        "License: GPL",
    ] {
        assert!(deep.text.contains(w), "{w:?} lost: {}", deep.text);
    }
    let chen = &a.messages[1];
    assert!(
        !chen.text.contains("implementation for fitting"),
        "{}",
        chen.text
    );
    assert!(chen.text.contains("The form said:"));
}

/// A check report under the sign-off (`Found the following problems:` and the
/// indented lines it introduces) is the message's text, not its signature.
#[test]
fn a_report_under_the_sign_off_is_text() {
    let body = "Dear maintainer,\n\nplease see the pre-tests.\n\nBest regards,\nCRAN teams' auto-check service\nFlavor: r-devel-linux-x86_64-debian-gcc\nCheck: CRAN incoming feasibility, Result: NOTE\n  Possibly mis-spelled words in DESCRIPTION:\n    Minkowski (9:17)\n    Polytopes (4:49)\n";
    let a = run(body);
    assert!(
        a.messages[0].text.contains("Minkowski (9:17)"),
        "{}",
        a.messages[0].text
    );
    assert!(zone_text(body, &a, ZoneKind::Signature, None).is_empty());
    // the same with pipermail's `?` for the indentation: the `Key: value` lines
    // under the name are the report
    let body = "Dear maintainer,\n\nplease see the pre-tests.\n\nBest regards,\nCRAN teams' auto-check service\nFlavor: r-devel-linux-x86_64-debian-gcc\nCheck: CRAN incoming feasibility, Result: NOTE\n?Maintainer: 'J. O. Ramsay <jr at example.ca>'\n\nFlavor: r-devel-linux-x86_64-debian-gcc\nCheck: HTML version of manual, Result: NOTE\n?Found the following problems:\n?fRegress.Rd:325:22: Warning: nested emphasis\n";
    let a = run(body);
    assert!(
        a.messages[0].text.contains("nested emphasis"),
        "{}",
        a.messages[0].text
    );
    // a contact block under the name stays a signature
    let body =
        "See the log.\n\nBest regards,\nJo Reyes\nPhone: +1 555 0100\nEmail: jo at example.org\n";
    let a = run(body);
    assert!(zone_text(body, &a, ZoneKind::Signature, None).contains("Phone:"));
}

/// Outlook's security banner at the top of a quoted mail, and Mail for
/// Windows' device line wrapped with its link, are not the writer's words.
#[test]
fn client_banners_and_wrapped_device_lines_are_not_text() {
    let body = "Thanks.\n\nOn Tue, 21 May 2024 at 10:02, Kai Horn <kh at example.at> wrote:\n> [You don't often get email from kh at example.at. Learn why this is\n> important at https://aka.ms/LearnAboutSenderIdentification ]\n>\n> The check system uses LLVM 18 now.\n>\n> I've seen that note before.\n>\n>\n> Sent from Mail <https://go.microsoft.com/fwlink/?LinkId=550986> for\n> Windows 10\n";
    let a = run(body);
    let t = &a.messages[1].text;
    assert!(t.starts_with("The check system"), "{t:?}");
    assert!(t.ends_with("I've seen that note before."), "{t:?}");
}

/// The last line of a deeper run whose sentence a client re-wrapped onto the next
/// line, one `>` fewer, right before a blank line: the tail is the deeper writer's.
#[test]
fn a_rewrapped_last_line_closing_a_deeper_sentence_keeps_its_level() {
    let body = "Yes and no.\n\nLe 31/03/2025 à 18:00, Jerome Braun a écrit :\n> Hi Duncan!\n>\n>>   Since the compiler will supply stdbool.h, it's safer to use that than to\n> try to emulate it.\n>\n> Understood. It seems like the definitions are exactly the same.\n";
    let a = run(body);
    let jerome = &a.messages[1];
    assert!(!jerome.text.contains("try to emulate"), "{}", jerome.text);
    assert!(jerome.text.contains("Understood."));
    assert!(a
        .messages
        .iter()
        .any(|m| m.depth == 2 && m.text.ends_with("try to emulate it.")));
}

/// The same, two levels up: Gmail re-wraps a deeper quote's long line to the
/// level it quotes at.
#[test]
fn a_rewrapped_tail_two_levels_up_keeps_its_level() {
    let body = "Thanks.\n\nOn Wed, May 21, 2025 at 7:50 PM Karl Ueno <ku at example.com> wrote:\n> Some background first.\n>\n> >>> The manual seems unreadable at this point. Every sentence has at least\n> two words which I don't understand.\n>\n> There is a lot to learn here.\n";
    let a = run(body);
    let karl = &a.messages[1];
    assert!(!karl.text.contains("two words"), "{}", karl.text);
    assert!(karl.text.contains("There is a lot to learn here."));
    assert!(a
        .messages
        .iter()
        .any(|m| m.text.ends_with("two words which I don't understand.")));
}
