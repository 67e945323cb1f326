//! Hand-written fixtures in the shapes real clients produce.

use crate::common::{assert_tiles, attr, run, ymdhm, zone_text};
use plenary_quotes::{
    analyze_with, learned_footer, parse_attribution, parse_date, AttributionStyle, Options,
    ZoneKind,
};

struct Case {
    line: &'static str,
    name: &'static str,
    address: Option<&'static str>,
    date: (i32, u8, u8, u8, u8),
    lang: &'static str,
    style: AttributionStyle,
}

const JUL22: (i32, u8, u8, u8, u8) = (2025, 7, 22, 17, 6);

fn on_wrote_cases() -> Vec<Case> {
    use AttributionStyle::*;
    let c = |line, name, address, date, lang, style| Case {
        line,
        name,
        address,
        date,
        lang,
        style,
    };
    vec![
        c("On Tue, Jul 22, 2025 at 5:06 PM Paul Blaker <paul.blaker@example.gov.uk> wrote:", "Paul Blaker", Some("paul.blaker@example.gov.uk"), JUL22, "en", OnWrote),
        c("On Jul 22, 2025, at 17:06, Paul Blaker <paul.blaker@example.gov.uk> wrote:", "Paul Blaker", Some("paul.blaker@example.gov.uk"), JUL22, "en", OnWrote),
        c("On 7/22/2025 5:06 PM, Paul Blaker wrote:", "Paul Blaker", None, JUL22, "en", OnWrote),
        c("On 22 Jul 2025, at 17:06, Ana Neves <ana.neves at example.pt> wrote:", "Ana Neves", Some("ana.neves@example.pt"), JUL22, "en", OnWrote),
        c("El mar, 22 jul 2025 a las 17:06, María López (<maria.lopez@example.org>) escribió:", "María López", Some("maria.lopez@example.org"), JUL22, "es", OnWrote),
        c("El 22 jul. 2025, a las 5:06 p. m., María López <maria.lopez@example.org> escribió:", "María López", Some("maria.lopez@example.org"), JUL22, "es", OnWrote),
        c("Em ter., 22 de jul. de 2025 às 17:06, João Silva <joao.silva@example.pt> escreveu:", "João Silva", Some("joao.silva@example.pt"), JUL22, "pt", OnWrote),
        c("Em 22 de jul. de 2025, à(s) 17:06, João Silva <joao.silva@example.pt> escreveu:", "João Silva", Some("joao.silva@example.pt"), JUL22, "pt", OnWrote),
        c("Le mar. 22 juil. 2025 à 17:06, Claire Dubois <claire.dubois@example.fr> a écrit :", "Claire Dubois", Some("claire.dubois@example.fr"), JUL22, "fr", OnWrote),
        c("Am Di., 22. Juli 2025 um 17:06 Uhr schrieb Hans Müller <hans.mueller@example.de>:", "Hans Müller", Some("hans.mueller@example.de"), JUL22, "de", OnWrote),
        c("Am 22.07.2025 um 17:06 schrieb Hans Müller:", "Hans Müller", None, JUL22, "de", OnWrote),
        c("Il giorno mar 22 lug 2025 alle ore 17:06 Giulia Rossi <giulia.rossi@example.it> ha scritto:", "Giulia Rossi", Some("giulia.rossi@example.it"), JUL22, "it", OnWrote),
        c("Op di 22 jul 2025 om 17:06 schreef Jan de Vries <jan.devries@example.nl>:", "Jan de Vries", Some("jan.devries@example.nl"), JUL22, "nl", OnWrote),
        c("Den tis 22 juli 2025 kl 17:06 skrev Sven Svensson <sven@example.se>:", "Sven Svensson", Some("sven@example.se"), JUL22, "sv", OnWrote),
        c("tir. 22. jul. 2025 kl. 17.06 skrev Lars Hansen <lars@example.dk>:", "Lars Hansen", Some("lars@example.dk"), JUL22, "da", OnWrote),
        c("tir. 22. jul. 2025 kl. 17:06 skrev Ola Nordmann <ola@example.no>:", "Ola Nordmann", Some("ola@example.no"), JUL22, "no", OnWrote),
        c("W dniu wt., 22.07.2025 o 17:06 Jan Kowalski <jan.kowalski@example.pl> napisał(a):", "Jan Kowalski", Some("jan.kowalski@example.pl"), JUL22, "pl", OnWrote),
        c("22.07.2025 17:06, Иван Петров пишет:", "Иван Петров", None, JUL22, "ru", OnWrote),
        c("вт, 22 июл. 2025 г. в 17:06, Иван Петров <ivan@example.ru>:", "Иван Петров", Some("ivan@example.ru"), JUL22, "ru", Fallback),
        c("在 2025/7/22 17:06, 张伟 写道:", "张伟", None, JUL22, "zh", OnWrote),
        c("张伟 <zhang.wei@example.cn> 于2025年7月22日周二 17:06写道：", "张伟", Some("zhang.wei@example.cn"), JUL22, "zh", OnWrote),
        c("2025年7月22日(火) 17:06 山田太郎 <yamada@example.jp>:", "山田太郎", Some("yamada@example.jp"), JUL22, "ja", Fallback),
        c("في الثلاثاء، 22 يوليو 2025 في 5:06 م، كتب أحمد علي <ahmed.ali@example.eg>:", "أحمد علي", Some("ahmed.ali@example.eg"), JUL22, "ar", OnWrote),
    ]
}

#[test]
fn attribution_languages() {
    for c in on_wrote_cases() {
        let body = format!("Agreed, thanks.\n\n{}\n> The draft is ready for review.\n> Please comment by Friday.\n", c.line);
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{}", c.line);
        assert_eq!(a.messages[0].text, "Agreed, thanks.", "{}", c.line);
        let m = &a.messages[1];
        assert_eq!(
            m.text, "The draft is ready for review.\nPlease comment by Friday.",
            "{}",
            c.line
        );
        let at = attr(&a, 1);
        assert_eq!(at.name.as_deref(), Some(c.name), "{}", c.line);
        assert_eq!(at.address.as_deref(), c.address, "{}", c.line);
        assert_eq!(ymdhm(at), Some(c.date), "{}", c.line);
        assert_eq!(at.language.as_deref(), Some(c.lang), "{}", c.line);
        assert_eq!(at.style, c.style, "{}", c.line);
        assert_eq!(at.raw, c.line);
        assert!(zone_text(&body, &a, ZoneKind::Attribution, Some(1)).starts_with(c.line));
    }
}

#[test]
fn wrapped_attributions() {
    let cases = [
        ("On Tue, Jul 22, 2025 at 5:06 PM Paul Blaker <\npaul.blaker@example.gov.uk> wrote:", "Paul Blaker", JUL22),
        ("El 22 jul. 2025, a las 5:06 p. m., Wolfgang Example\n<wolfgang at example.info>\n<mailto:wolfgang at example.info> escribió:", "Wolfgang Example", JUL22),
        ("Le lun. 15 nov. 2021 à 19:42, Claire Dubois <claire@example.fr>\na écrit :", "Claire Dubois", (2021, 11, 15, 19, 42)),
        ("On Tue, Jul 22, 2025 at 5:06 PM,\nPaul Blaker <paul.blaker@example.gov.uk>\nwrote:", "Paul Blaker", JUL22),
    ];
    for (line, name, date) in cases {
        let body =
            format!("Replying inline below.\n\n{line}\n\n> Quoted line one.\n> Quoted line two.\n");
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{line}");
        let at = attr(&a, 1);
        assert_eq!(at.name.as_deref(), Some(name), "{line}");
        assert_eq!(ymdhm(at), Some(date), "{line}");
        assert_eq!(at.raw.lines().count(), line.lines().count(), "{line}");
        assert_eq!(a.messages[0].text, "Replying inline below.");
        assert_eq!(a.messages[1].text, "Quoted line one.\nQuoted line two.");
    }
    // a greeting line above is not part of the attribution
    let body =
        "Hi,\nOn Tue, 2011-03-01 at 18:02 +0530, Abhishek Example wrote:\n> question\n\nanswer\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Abhishek Example"));
    assert_eq!(attr(&a, 1).date.and_then(|d| d.offset_minutes), Some(330));
}

struct Block {
    text: &'static str,
    name: &'static str,
    address: &'static str,
    date: (i32, u8, u8, u8, u8),
    subject: &'static str,
    lang: &'static str,
}

#[test]
fn header_blocks_in_languages() {
    let blocks = [
        Block {
            text: "________________________________\nFrom: Paul Blaker <paul.blaker@example.gov.uk>\nSent: Tuesday, July 22, 2025 5:06 PM\nTo: Governance List <governance@lists.example.org>\nCc: Ana Neves <ana@example.pt>; Doe, Jane <jane@example.org>\nSubject: RE: Draft outcome text",
            name: "Paul Blaker",
            address: "paul.blaker@example.gov.uk",
            date: JUL22,
            subject: "RE: Draft outcome text",
            lang: "en",
        },
        Block {
            text: "De: María López <maria@example.org>\nEnviado el: martes, 22 de julio de 2025 17:06\nPara: lista@example.org\nCC: Juan Pérez <juan@example.org>\nAsunto: RE: Texto del borrador",
            name: "María López",
            address: "maria@example.org",
            date: JUL22,
            subject: "RE: Texto del borrador",
            lang: "es",
        },
        Block {
            text: "De: João Silva <joao@example.pt>\nEnviada: terça-feira, 22 de julho de 2025 17:06\nPara: lista@example.org\nAssunto: RE: Texto",
            name: "João Silva",
            address: "joao@example.pt",
            date: JUL22,
            subject: "RE: Texto",
            lang: "pt",
        },
        Block {
            text: "De : Claire Dubois <claire@example.fr>\nEnvoyé : mardi 22 juillet 2025 17:06\nÀ : liste@example.org\nObjet : RE: Texte",
            name: "Claire Dubois",
            address: "claire@example.fr",
            date: JUL22,
            subject: "RE: Texte",
            lang: "fr",
        },
        Block {
            text: "Von: Hans Müller <hans@example.de>\nGesendet: Dienstag, 22. Juli 2025 17:06\nAn: liste@example.org\nBetreff: AW: Text",
            name: "Hans Müller",
            address: "hans@example.de",
            date: JUL22,
            subject: "AW: Text",
            lang: "de",
        },
        Block {
            text: "Da: Giulia Rossi <giulia@example.it>\nInviato: martedì 22 luglio 2025 17:06\nA: lista@example.org\nOggetto: R: Testo",
            name: "Giulia Rossi",
            address: "giulia@example.it",
            date: JUL22,
            subject: "R: Testo",
            lang: "it",
        },
        Block {
            text: "Van: Jan de Vries <jan@example.nl>\nVerzonden: dinsdag 22 juli 2025 17:06\nAan: lijst@example.org\nOnderwerp: RE: Tekst",
            name: "Jan de Vries",
            address: "jan@example.nl",
            date: JUL22,
            subject: "RE: Tekst",
            lang: "nl",
        },
        Block {
            text: "Od: Jan Kowalski <jan@example.pl>\nWysłano: wtorek, 22 lipca 2025 17:06\nDo: lista@example.org\nTemat: RE: Tekst",
            name: "Jan Kowalski",
            address: "jan@example.pl",
            date: JUL22,
            subject: "RE: Tekst",
            lang: "pl",
        },
        Block {
            text: "От: Иван Петров <ivan@example.ru>\nОтправлено: 22 июля 2025 г. 17:06\nКому: list@example.org\nТема: RE: Текст",
            name: "Иван Петров",
            address: "ivan@example.ru",
            date: JUL22,
            subject: "RE: Текст",
            lang: "ru",
        },
        Block {
            text: "Från: Sven Svensson <sven@example.se>\nSkickat: den 22 juli 2025 17:06\nTill: lista@example.org\nÄmne: SV: Text",
            name: "Sven Svensson",
            address: "sven@example.se",
            date: JUL22,
            subject: "SV: Text",
            lang: "sv",
        },
    ];
    for b in blocks {
        // unquoted, Outlook style: the block owns everything below it
        let body = format!(
            "Thanks, will do.\n\n{}\n\nCould you circulate the draft?\nRegards\n",
            b.text
        );
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{}", b.text);
        assert_eq!(a.messages[0].text, "Thanks, will do.", "{}", b.text);
        let at = attr(&a, 1);
        assert_eq!(at.style, AttributionStyle::HeaderBlock, "{}", b.text);
        assert_eq!(at.name.as_deref(), Some(b.name), "{}", b.text);
        assert_eq!(at.address.as_deref(), Some(b.address), "{}", b.text);
        assert_eq!(ymdhm(at), Some(b.date), "{}", b.text);
        assert_eq!(at.subject.as_deref(), Some(b.subject), "{}", b.text);
        assert_eq!(at.language.as_deref(), Some(b.lang), "{}", b.text);
        assert_eq!(at.to.len(), 1, "{}", b.text);
        assert!(
            a.messages[1]
                .text
                .starts_with("Could you circulate the draft?"),
            "{}",
            b.text
        );
        // and the same inside `>`
        let quoted: String = b.text.lines().map(|l| format!("> {l}\n")).collect();
        let body = format!("Thanks, will do.\n\n{quoted}>\n> Could you circulate the draft?\n");
        let a = run(&body);
        assert_eq!(a.messages.len(), 2, "{}", b.text);
        assert_eq!(attr(&a, 1).name.as_deref(), Some(b.name));
        assert_eq!(a.messages[1].text, "Could you circulate the draft?");
    }
    // recipients
    let body = "ok\n\nFrom: Paul Blaker <paul@example.gov.uk>\nSent: 22 July 2025 17:06\nTo: Governance List <governance@lists.example.org>\nCc: Ana Neves <ana@example.pt>; Doe, Jane <jane@example.org>\nSubject: x\n\nbody\n";
    let a = run(body);
    assert_eq!(
        attr(&a, 1).to,
        vec!["Governance List <governance@lists.example.org>"]
    );
    assert_eq!(
        attr(&a, 1).cc,
        vec!["Ana Neves <ana@example.pt>", "Doe, Jane <jane@example.org>"]
    );
}

#[test]
fn bold_and_separated_blocks() {
    // bold Outlook fields without `>` (HTML mail rendered as text)
    let body = "See below.\n\n*From:* Paul Blaker <paul@example.gov.uk>\n*Sent:* 23 July 2025 14:42\n*To:* list@example.org\n*Subject:* Re: Text\n\nOriginal words.\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Paul Blaker"));
    assert_eq!(attr(&a, 1).subject.as_deref(), Some("Re: Text"));
    assert_eq!(a.messages[1].text, "Original words.");
    // bold with the colon inside and a <mailto:> continuation line
    let body = "ok\n> *From: *Raúl Example <raul at example.lat> <mailto:raul at example.lat>\n> *Date: *Tuesday, July 22, 2025 at 22:46\n> *To: *list <list at example.org>\n> <mailto:list at example.org>\n> *Subject: *[Ext] Re: Text\n>\n> Hi.\n";
    let a = run(body);
    let at = attr(&a, 1);
    assert_eq!(at.name.as_deref(), Some("Raúl Example"));
    assert_eq!(at.address.as_deref(), Some("raul@example.lat"));
    assert_eq!(ymdhm(at), Some((2025, 7, 22, 22, 46)));
    assert_eq!(at.to, vec!["list <list@example.org>"]);
    assert_eq!(a.messages[1].text, "Hi.");
    // markdown bold
    let body = "ok\n\n**From:** Ana Neves <ana@example.pt>\n**Sent:** 23 July 2025 18:36\n**Subject:** Re: x\n\nQuoted.\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Ana Neves"));
    // Original Message separators, en and de
    for sep in [
        "-----Original Message-----",
        "-----Ursprüngliche Nachricht-----",
        "-----Mensaje original-----",
    ] {
        let body = format!("Top.\n\n{sep}\nFrom: Bob Example [mailto:bob@example.org]\nSent: Tuesday, July 22, 2025 5:06 PM\nTo: list@example.org\nSubject: x\n\nBob's words.\n");
        let a = run(&body);
        let at = attr(&a, 1);
        assert_eq!(at.style, AttributionStyle::OriginalMessage, "{sep}");
        assert_eq!(at.name.as_deref(), Some("Bob Example"));
        assert_eq!(at.address.as_deref(), Some("bob@example.org"));
        assert_eq!(a.messages[1].text, "Bob's words.");
    }
    // forwarded
    let body = "FYI\n\n---------- Forwarded message ---------\nFrom: Ana Neves <ana@example.pt>\nDate: Tue, Jul 22, 2025 at 5:06 PM\nSubject: Agenda\nTo: <list@example.org>\n\nThe agenda is attached.\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).style, AttributionStyle::Forwarded);
    assert_eq!(ymdhm(attr(&a, 1)), Some(JUL22));
    assert_eq!(a.messages[1].text, "The agenda is attached.");
    // a "From:" line in prose is not a block
    let a = run("The text came from: the chair's summary\nSubject: to change.\n\nMore.\n");
    assert_eq!(a.messages.len(), 1);
}

#[test]
fn nested_levels() {
    let body = "\
Top reply.

On Mon, 14 Jul 2025 at 10:00, Bob Example <bob@example.org> wrote:
> Bob's reply.
>
> On Sun, 13 Jul 2025 at 09:00, Carol Example <carol@example.org> wrote:
> > Carol's reply.
> >
> > On Sat, 12 Jul 2025 at 08:00, Dan Example <dan@example.org> wrote:
> > > Dan's original.
> >
> > Carol again.
>
> Bob again.
";
    let a = run(body);
    let names: Vec<_> = a
        .messages
        .iter()
        .skip(1)
        .map(|m| m.attribution.as_ref().and_then(|x| x.name.clone()))
        .collect();
    assert_eq!(
        names,
        vec![
            Some("Bob Example".into()),
            Some("Carol Example".into()),
            Some("Dan Example".into())
        ]
    );
    assert_eq!(a.messages[1].text, "Bob's reply.\n\nBob again.");
    assert_eq!(a.messages[2].text, "Carol's reply.\n\nCarol again.");
    assert_eq!(a.messages[3].text, "Dan's original.");
    assert_eq!(
        a.messages.iter().map(|m| m.depth).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
    let dan = a
        .zones
        .iter()
        .find(|z| z.message == 3 && z.kind == ZoneKind::Quoted)
        .expect("zone");
    assert_eq!((dan.depth, dan.quote_level), (3, 3));
}

#[test]
fn inline_replies() {
    let body = "\
On Mon, 14 Jul 2025 at 10:00, Bob Example <bob@example.org> wrote:
> What about paragraph 12?

We can accept it.

> And paragraph 71?
> It is the hard one.

Not without the compromise language.

Best,
Ana
";
    let a = run(body);
    assert_eq!(a.messages.len(), 2);
    let q = &a.messages[1];
    assert!(q.interleaved);
    assert_eq!(
        q.text,
        "What about paragraph 12?\n\nAnd paragraph 71?\nIt is the hard one."
    );
    assert_eq!(
        a.messages[0].text,
        "We can accept it.\n\nNot without the compromise language.\n\nBest,\nAna"
    );
    assert_eq!(
        zone_text(body, &a, ZoneKind::Closing, Some(0)),
        "Best,\nAna\n"
    );
    // quoted chunks are Quoted zones of message 1, the answers NewText of message 0
    for z in &a.zones {
        let t = &body[z.start..z.end];
        if t.starts_with("> What") || t.starts_with("> And") {
            assert_eq!((z.kind, z.message), (ZoneKind::Quoted, 1));
        }
        if t.starts_with("We can") || t.starts_with("Not without") {
            assert_eq!((z.kind, z.message), (ZoneKind::NewText, 0));
        }
    }
}

#[test]
fn unmarked_quotes_and_flattened_inline_reply() {
    // Thunderbird attribution whose quote lost its markers
    let body = "This is my reply.\n\nOn Nov 26, 2013, Bob Example wrote:\n\nThis is my quote.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2);
    assert_eq!(a.messages[1].text, "This is my quote.");
    // an inline reply flattened by Outlook: the quoting author answers in the
    // middle of the quoted message, addressing its author by name and signing
    let body = "\
From: Rita Example <rita@example.org>
Sent: 23 July 2025 14:42
To: list@example.org
Subject: Re: Text

On 23/07/25 19:02, Omar Example wrote:

Thanks, Lena.
The text was updated in 2015.

Yes, Omar, that is the default. But the default is not enough.

best, rita

Best,

Omar
";
    let a = run(body);
    assert_eq!(a.messages.len(), 3);
    let rita = &a.messages[1];
    let omar = &a.messages[2];
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Rita Example"));
    assert_eq!(attr(&a, 2).name.as_deref(), Some("Omar Example"));
    assert_eq!(
        rita.text,
        "Yes, Omar, that is the default. But the default is not enough.\n\nbest, rita"
    );
    assert!(omar.interleaved);
    assert_eq!(
        omar.text,
        "Thanks, Lena.\nThe text was updated in 2015.\n\nBest,\n\nOmar"
    );
}

#[test]
fn signatures_and_closings() {
    let body = "Hi all,\n\nPlease find the draft attached.\n\nBest regards,\nMaria\n\nMaria Example\nHead of Policy, Example Ministry\nTel: +1 555 0100\nwww.example.org\n";
    let a = run(body);
    let m = &a.messages[0];
    assert_eq!(
        m.text,
        "Hi all,\n\nPlease find the draft attached.\n\nBest regards,\nMaria"
    );
    assert_eq!(
        m.signature.as_deref(),
        Some("Maria Example\nHead of Policy, Example Ministry\nTel: +1 555 0100\nwww.example.org")
    );
    assert_eq!(
        zone_text(body, &a, ZoneKind::Salutation, Some(0)),
        "Hi all,\n\n"
    );
    assert!(zone_text(body, &a, ZoneKind::Closing, Some(0)).starts_with("Best regards,\nMaria"));

    // `-- ` delimiter
    let body = "Short note.\n\n-- \nJohn Example\nhttps://example.org\n";
    let a = run(body);
    assert_eq!(a.messages[0].text, "Short note.");
    assert_eq!(
        a.messages[0].signature.as_deref(),
        Some("--\nJohn Example\nhttps://example.org")
    );

    // no delimiter and no closing: a name heading title, organisation and contacts
    // to the end of the message is its signature (Enron-era and list mail alike)
    let body = "Please review the figures before Friday.\n\nChristina Valdez\nExample Net Works LLC\nPhone - 713.555-0106\nFax     - 713.555.0100\nchristina.valdez@example.com\n";
    let a = run(body);
    assert_eq!(
        a.messages[0].text,
        "Please review the figures before Friday."
    );
    assert_eq!(
        a.messages[0].signature.as_deref(),
        Some("Christina Valdez\nExample Net Works LLC\nPhone - 713.555-0106\nFax     - 713.555.0100\nchristina.valdez@example.com")
    );
    // a name line with prose under it is text, not a signature
    let body = "See the notes below.\n\nMaria Example\nsaid the meeting moves to Thursday, and that is fine by all of us.\n";
    let a = run(body);
    assert!(
        a.messages[0].signature.is_none(),
        "{:?}",
        a.messages[0].signature
    );

    // the name right under a closing heads the title block below it
    let body = "The call is at ten.\n\nThanks,\nTina Example\nAssistant to Greg Example\n";
    let a = run(body);
    assert_eq!(a.messages[0].text, "The call is at ten.\n\nThanks,");
    assert_eq!(
        a.messages[0].signature.as_deref(),
        Some("Tina Example\nAssistant to Greg Example")
    );

    // a `--` line above a pasted article: the article is the message's text
    let body = "Worth reading.\n--\nGovernor To Make Announcement\n\nSACRAMENTO (Example Wire)--In a highly unusual move, the governor asked radio and television\nstations in the state to clear five minutes of time on Thursday evening so he can make an\nimportant announcement about the state's energy plans and the shortfall expected next month.\n";
    let a = run(body);
    assert!(
        a.messages[0].text.contains("In a highly unusual move"),
        "{:?}",
        a.messages[0].text
    );

    // device signature
    let a = run("Yes.\n\nSent from my iPhone\n");
    assert_eq!(a.messages[0].text, "Yes.");
    assert_eq!(
        a.messages[0].signature.as_deref(),
        Some("Sent from my iPhone")
    );

    // name line followed by a full-name signature block
    let body = "I like this idea a lot.\nAnriette\nAnriette Example -anriette at example.org\n";
    let a = run(body);
    assert_eq!(a.messages[0].text, "I like this idea a lot.\nAnriette");
    assert_eq!(
        a.messages[0].signature.as_deref(),
        Some("Anriette Example -anriette at example.org")
    );

    // "thanks" opening a sentence is not a closing; prose after a sign-off stays text
    let body = "Thanks, Paul, for bringing up how the CSTD could be leveraged.\n\nWolfgang\n\nPS: Here is my view of the history, which is needed to understand the complexity.\n";
    let opts = Options {
        author: Some("Wolfgang Example <w@example.org>".into()),
        ..Options::default()
    };
    let a = analyze_with(body, &opts);
    assert_tiles(body, &a);
    assert!(a.messages[0].text.contains("PS: Here is my view"));
    assert_eq!(a.messages[0].signature, None);
    assert_eq!(
        zone_text(body, &a, ZoneKind::Closing, Some(0)),
        "Wolfgang\n\n"
    );
    assert!(!zone_text(body, &a, ZoneKind::Closing, Some(0)).contains("Thanks"));

    // "regards" inside a sentence is not a closing
    let a = run(
        "I wanted to discuss the issue with regards to payments.\n\nAs regards the rest, fine.\n",
    );
    assert!(a.zones.iter().all(|z| z.kind == ZoneKind::NewText));
}

/// Issue 12.4: a signature without `-- ` and without a closing — a name line
/// above contact lines at the end — is no part of the writer's text; contact
/// details in prose, a list being introduced, or only links stay text.
#[test]
fn undelimited_contact_block_signatures() {
    // name, address, phone, site
    let body = "The draft is fine with us; please send it to the chair.

Gina Roe
gina@example.com
(555) 346-9947
www.example.com
";
    let a = run(body);
    assert_tiles(body, &a);
    assert_eq!(
        a.messages[0].text,
        "The draft is fine with us; please send it to the chair."
    );
    assert_eq!(
        a.messages[0].signature.as_deref(),
        Some(
            "Gina Roe
gina@example.com
(555) 346-9947
www.example.com"
        )
    );
    // spread out over blank lines, with labels, above a quote
    let body = "We can host the session in room 4.

Jean Tremblay

Direction des affaires publiques

t. 555-931-0702

f. 555-875-7611

On Tue, Jul 22, 2025 at 5:06 PM Ana Neves <ana@example.pt> wrote:
> Who can host it?
";
    let a = run(body);
    assert_tiles(body, &a);
    assert_eq!(a.messages[0].text, "We can host the session in room 4.");
    assert!(a.messages[0]
        .signature
        .as_deref()
        .is_some_and(|s| s.starts_with("Jean Tremblay") && s.ends_with("f. 555-875-7611")));
    assert_eq!(a.messages[1].text, "Who can host it?");
    // contacts announced in the text stay text
    let body = "For registration, write to the secretariat:
Maria Lopez
maria@example.org
+41 22 730 5111
";
    assert_eq!(run(body).messages[0].signature, None);
    // links at the end are no signature
    let body = "The two reports are here.

Reports
https://example.org/a
https://example.org/b
";
    assert_eq!(run(body).messages[0].signature, None);
    // a date is no phone number
    let body = "The meeting moved.

New Date
2025-07-23
Room 4
";
    assert_eq!(run(body).messages[0].signature, None);
    // nothing but the block: no own words would be left, so it stays text
    let body = "Gina Roe
gina@example.com
(555) 346-9947
";
    assert_eq!(run(body).messages[0].signature, None);
}

#[test]
fn disclaimers_markings_notices() {
    let body = "\
UNCLASSIFIED

Dear colleagues,

The revised text is below.

Kind regards
Paul

OFFICIAL-SENSITIVE
[SEC=OFFICIAL]

This email and any attachments are confidential and intended solely for the
addressee. If you have received this email in error, please notify the sender
and delete it.

Any views expressed are not necessarily those of the department. The department
accepts no liability for viruses.

My working hours may not be your working hours. Please do not feel obliged to
reply outside of your working hours.
";
    let a = run(body);
    let m = &a.messages[0];
    assert_eq!(
        m.text,
        "Dear colleagues,\n\nThe revised text is below.\n\nKind regards\nPaul"
    );
    let cls = zone_text(body, &a, ZoneKind::Classification, Some(0));
    assert!(
        cls.contains("UNCLASSIFIED")
            && cls.contains("OFFICIAL-SENSITIVE")
            && cls.contains("[SEC=OFFICIAL]")
    );
    let d = zone_text(body, &a, ZoneKind::Disclaimer, Some(0));
    assert!(d.contains("This email and any attachments") && d.contains("accepts no liability"));
    assert!(zone_text(body, &a, ZoneKind::Notice, Some(0)).contains("My working hours may not be"));
    assert!(zone_text(body, &a, ZoneKind::Salutation, Some(0)).contains("Dear colleagues,"));
    assert_eq!(m.signature, None);
}

#[test]
fn list_footers() {
    let footers = [
        // Mailman 2
        "_______________________________________________\nGovernance mailing list\nGovernance@lists.example.org\nhttps://lists.example.org/mailman/listinfo/governance\n",
        // Mailman 2, pipermail-obfuscated and spread over paragraphs
        "_______________________________________________\n\nGovernance mailing list\n\nGovernance at lists.example.org\n\nTo unsubscribe or manage your options please go to\nhttp://lists.example.org/mailman/listinfo/governance\n",
        // Mailman 3
        "_______________________________________________\nGovernance mailing list -- governance@lists.example.org\nTo unsubscribe send an email to governance-leave@lists.example.org\n",
        // Google Groups
        "-- \nYou received this message because you are subscribed to the Google Groups \"Gov Forum\" group.\nTo unsubscribe from this group and stop receiving emails from it, send an email to\ngov-forum+unsubscribe@googlegroups.com.\nTo view this discussion visit https://groups.google.com/d/msgid/gov-forum/abc123.\n",
        // LISTSERV
        "########################################################################\n\nTo unsubscribe from the GOV-L list, click the following link:\nhttps://list.example.org/scripts/wa.exe?SUBED1=GOV-L&A=1\n",
        // Sympa
        "--\nYou received this message as a subscriber on the list:\n     gov@lists.example.org\nTo be removed from the list, send a message to:\n     gov-unsubscribe@lists.example.org\n",
    ];
    for f in footers {
        let body = format!("We support the proposal.\n\nRegards,\nKim\n\n{f}");
        let a = run(&body);
        assert_eq!(
            a.messages[0].text, "We support the proposal.\n\nRegards,\nKim",
            "{f}"
        );
        let z = zone_text(&body, &a, ZoneKind::ListFooter, Some(0));
        assert_eq!(z.trim_end(), f.trim_end(), "footer zone");
        // quoted footers are footers of the quoted message
        let quoted: String = body.lines().map(|l| format!("> {l}\n")).collect();
        let body = format!(
            "+1\n\nOn Tue, Jul 22, 2025 at 5:06 PM Kim Example <kim@example.org> wrote:\n{quoted}"
        );
        let a = run(&body);
        assert_eq!(
            a.messages[1].text, "We support the proposal.\n\nRegards,\nKim",
            "{f}"
        );
        assert!(!zone_text(&body, &a, ZoneKind::ListFooter, Some(1)).is_empty());
    }
}

#[test]
fn learned_footers() {
    let footer = "--\nGov-Forum: the public list of the Example Forum\nArchives and rules: https://example.org/gov-forum";
    let bodies = [
        format!("I agree with Maria.\n\n{footer}\n"),
        format!("Dear all,\n\nThe call is at 14:00 UTC.\n\nBest\nJon\n\n{footer}\n\n"),
        format!("+1\n{footer}"),
    ];
    let refs: Vec<&str> = bodies.iter().map(|s| s.as_str()).collect();
    let learned = learned_footer(&refs).expect("a common footer");
    assert_eq!(learned, footer);
    let opts = Options {
        footers: vec![learned],
        ..Options::default()
    };
    let body = format!("Thanks Jon.\n\n{footer}\n");
    let a = analyze_with(&body, &opts);
    assert_tiles(&body, &a);
    assert_eq!(a.messages[0].text, "Thanks Jon.");
    assert_eq!(
        zone_text(&body, &a, ZoneKind::ListFooter, Some(0)).trim_end(),
        footer
    );
    // without learning it, the lines would be a signature
    let a = run(&body);
    assert!(zone_text(&body, &a, ZoneKind::ListFooter, Some(0)).is_empty());
}

#[test]
fn scrubbed_attachments() {
    let body = "See attached.\n-------------- next part --------------\nA non-text attachment was scrubbed...\nName: draft.pdf\nType: application/pdf\nSize: 48211 bytes\nDesc: not available\nURL: <http://lists.example.org/pipermail/gov/attachments/20250723/abc/attachment.pdf>\n";
    let a = run(body);
    assert_eq!(a.messages[0].text, "See attached.");
    assert!(
        zone_text(body, &a, ZoneKind::ScrubbedAttachment, Some(0)).ends_with("attachment.pdf>\n")
    );
}

#[test]
fn dates_in_attributions() {
    let forms = [
        ("22 jul. 2025, a las 5:06 p. m.", (2025, 7, 22, 17, 6)),
        ("23 de julho de 2025 16:03", (2025, 7, 23, 16, 3)),
        ("23/07/25 19:02", (2025, 7, 23, 19, 2)),
        ("2025/07/23 18:36", (2025, 7, 23, 18, 36)),
        ("Tuesday, July 22, 2025 at 22:46", (2025, 7, 22, 22, 46)),
        ("Mi., 23. Juli 2025 um 10:15 Uhr", (2025, 7, 23, 10, 15)),
        ("Tue, 22 Jul 2025 17:06:00 +0200", (2025, 7, 22, 17, 6)),
    ];
    for (text, want) in forms {
        let d = parse_date(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!((d.year, d.month, d.day, d.hour, d.minute), want, "{text}");
        // the same inside a header block
        let body =
            format!("ok\n\nFrom: A Example <a@example.org>\nSent: {text}\nSubject: x\n\nbody\n");
        let a = run(&body);
        assert_eq!(ymdhm(attr(&a, 1)), Some(want), "{text}");
        assert_eq!(attr(&a, 1).date_text.as_deref(), Some(text));
    }
    assert_eq!(
        parse_date("Tue, 22 Jul 2025 17:06:00 +0200").and_then(|d| d.offset_minutes),
        Some(120)
    );
}

#[test]
fn day_month_resolution() {
    let body =
        "Noted.\n\nOn 03/07/2025 10:00, Bob Example <bob@example.org> wrote:\n> Meeting moved.\n";
    // without a reference: the day/month reading, flagged
    let a = run(body);
    let d = attr(&a, 1).date.expect("date");
    assert!(d.day_month_ambiguous);
    assert_eq!((d.day, d.month), (3, 7));
    // the quoting message was written on 10 March 2025: 7 March is the reading before it
    let opts = Options {
        date: parse_date("10 March 2025 09:00"),
        ..Options::default()
    };
    let a = analyze_with(body, &opts);
    let d = attr(&a, 1).date.expect("date");
    assert_eq!((d.day, d.month), (7, 3));
    // deeper levels use their parent's date
    let body = "Noted.\n\nOn Mon, 10 Mar 2025 at 09:00, Ana Example <ana@example.org> wrote:\n> Fine.\n>\n> On 03/07/2025 10:00, Bob Example <bob@example.org> wrote:\n> > Meeting moved.\n";
    let a = run(body);
    let d = attr(&a, 2).date.expect("date");
    assert_eq!((d.day, d.month), (7, 3));
    assert!(d.day_month_ambiguous);
}

#[test]
fn fallback_needs_a_quote_or_a_client_shape() {
    // date + address, right before a quote
    let body = "ok\n\n22/07/2025 17:06, Kim Example <kim@example.org>:\n> quoted\n";
    let a = run(body);
    assert_eq!(attr(&a, 1).style, AttributionStyle::Fallback);
    assert_eq!(attr(&a, 1).name.as_deref(), Some("Kim Example"));
    // a sentence with a date and an address is not an attribution
    let body = "Please send comments by 30 July 2025 to secretariat@example.org:\n\n1. on the preamble\n2. on the annex\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 1);
    // "On … wrote" in prose without date or address does not swallow what follows
    let body = "On the surface, this looks like a quote header.\n\nOn the other hand, we wrote:\n\nmore text\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 1);
}

#[test]
fn public_helpers() {
    let at = parse_attribution(
        "On Tue, Jul 22, 2025 at 5:06 PM Paul Blaker <paul@example.gov.uk> wrote:",
    )
    .expect("parsed");
    assert_eq!(at.name.as_deref(), Some("Paul Blaker"));
    let at = parse_attribution("*De:*Blaker, Paul (DSIT) via WG <wg at example.org>\n*Enviada:* 23 de julho de 2025 16:03\n*Assunto:* Re: x").expect("parsed");
    assert_eq!(at.normalized_name.as_deref(), Some("Paul Blaker"));
    assert_eq!(at.via_list.as_deref(), Some("WG"));
    assert_eq!(at.address.as_deref(), Some("wg@example.org"));
    assert!(parse_attribution("Just a sentence.").is_none());
    let orig = "The CSTD should continue to be reinforced in the UN system.";
    let a = run("Agreed.\n\nOn 2025/07/23 18:36, Ana Example wrote:\n> The CSTD should continue to be\n> reinforced in the UN system.\n");
    assert!(plenary_quotes::similarity(&a.messages[1].text, orig) > 0.99);
}

#[test]
fn serializes() {
    fn is_serialize<T: serde::Serialize>(_: &T) {}
    let a = run("x\n\nOn 2025/07/23 18:36, Ana Example wrote:\n> y\n");
    is_serialize(&a);
}
