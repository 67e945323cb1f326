//! Our own fixtures: every HTML mail client layout × every attribution language we claim,
//! as HTML-only messages decoded the way import decodes them, then analysed.
//! Each must give the reply's own text and one quoted message with its author and date.

struct Lang {
    code: &'static str,
    /// Gmail / Apple / Thunderbird "On … wrote:" line (with `NAME` and `ADDR`).
    on_wrote: &'static str,
    /// Outlook header block fields: From, Sent, To, Subject, and the date as written.
    outlook: [&'static str; 4],
    outlook_date: &'static str,
}

const LANGS: &[Lang] = &[
    Lang {
        code: "en",
        on_wrote: "On Tue, Jul 22, 2025 at 5:06 PM NAME &lt;ADDR&gt; wrote:",
        outlook: ["From", "Sent", "To", "Subject"],
        outlook_date: "Tuesday, July 22, 2025 5:06 PM",
    },
    Lang {
        code: "es",
        on_wrote: "El mar, 22 jul 2025 a las 17:06, NAME (&lt;ADDR&gt;) escribió:",
        outlook: ["De", "Enviado el", "Para", "Asunto"],
        outlook_date: "martes, 22 de julio de 2025 17:06",
    },
    Lang {
        code: "pt",
        on_wrote: "Em ter., 22 de jul. de 2025 às 17:06, NAME &lt;ADDR&gt; escreveu:",
        outlook: ["De", "Enviado", "Para", "Assunto"],
        outlook_date: "terça-feira, 22 de julho de 2025 17:06",
    },
    Lang {
        code: "fr",
        on_wrote: "Le mar. 22 juil. 2025 à 17:06, NAME &lt;ADDR&gt; a écrit :",
        outlook: ["De", "Envoyé", "À", "Objet"],
        outlook_date: "mardi 22 juillet 2025 17:06",
    },
    Lang {
        code: "de",
        on_wrote: "Am Di., 22. Juli 2025 um 17:06 Uhr schrieb NAME &lt;ADDR&gt;:",
        outlook: ["Von", "Gesendet", "An", "Betreff"],
        outlook_date: "Dienstag, 22. Juli 2025 17:06",
    },
    Lang {
        code: "it",
        on_wrote: "Il giorno mar 22 lug 2025 alle ore 17:06 NAME &lt;ADDR&gt; ha scritto:",
        outlook: ["Da", "Inviato", "A", "Oggetto"],
        outlook_date: "martedì 22 luglio 2025 17:06",
    },
    Lang {
        code: "nl",
        on_wrote: "Op di 22 jul 2025 om 17:06 schreef NAME &lt;ADDR&gt;:",
        outlook: ["Van", "Verzonden", "Aan", "Onderwerp"],
        outlook_date: "dinsdag 22 juli 2025 17:06",
    },
    Lang {
        code: "sv",
        on_wrote: "Den tis 22 juli 2025 kl 17:06 skrev NAME &lt;ADDR&gt;:",
        outlook: ["Från", "Skickat", "Till", "Ämne"],
        outlook_date: "den 22 juli 2025 17:06",
    },
    Lang {
        code: "pl",
        on_wrote: "W dniu wt., 22.07.2025 o 17:06 NAME &lt;ADDR&gt; napisał(a):",
        outlook: ["Od", "Wysłano", "Do", "Temat"],
        outlook_date: "wtorek, 22 lipca 2025 17:06",
    },
    Lang {
        code: "ru",
        on_wrote: "вт, 22 июл. 2025 г. в 17:06, NAME &lt;ADDR&gt;:",
        outlook: ["От", "Отправлено", "Кому", "Тема"],
        outlook_date: "22 июля 2025 г. 17:06",
    },
];

const NAME: &str = "Ana Neves";
const ADDR: &str = "ana.neves@example.pt";

/// The four client layouts, with the attribution or header block filled in.
fn clients(l: &Lang) -> Vec<(&'static str, String)> {
    let ow = l.on_wrote.replace("NAME", NAME).replace("ADDR", ADDR);
    let [from, sent, to, subject] = l.outlook;
    vec![
        (
            "gmail",
            format!(
                r#"<div dir="ltr">Agreed with the text.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{ow}<br></div><blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px solid #ccc">The CSTD could be leveraged more.<br>Best, Ana</blockquote></div>"#
            ),
        ),
        (
            "apple",
            format!(
                r#"<html><body><div>Agreed with the text.</div><div><br><blockquote type="cite"><div>{ow}</div><br><div>The CSTD could be leveraged more.</div><div>Best, Ana</div></blockquote></div></body></html>"#
            ),
        ),
        (
            "thunderbird",
            format!(
                r#"<html><body><p>Agreed with the text.</p><div class="moz-cite-prefix">{ow}<br></div><blockquote type="cite" cite="mid:x@y"><p>The CSTD could be leveraged more.<br>Best, Ana</p></blockquote></body></html>"#
            ),
        ),
        (
            "outlook",
            format!(
                r#"<html><body><div>Agreed with the text.</div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>{from}:</b> {NAME} &lt;{ADDR}&gt;<br><b>{sent}:</b> {}<br><b>{to}:</b> wg-strategy@example.org<br><b>{subject}:</b> Re: Text on Enhanced Cooperation</font><div>&nbsp;</div></div><div>The CSTD could be leveraged more.</div><div>Best, Ana</div></body></html>"#,
                l.outlook_date
            ),
        ),
    ]
}

fn eml(html: &str) -> Vec<u8> {
    format!(
        "From: Paul Blaker <paul@example.gov.uk>\r\nTo: wg-strategy@example.org\r\nSubject: Re: Text on Enhanced Cooperation\r\nDate: Wed, 23 Jul 2025 16:03:00 +0100\r\nMessage-ID: <matrix@example>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{html}\r\n"
    )
    .into_bytes()
}

#[test]
fn html_clients_by_language() {
    let mut failures = Vec::new();
    let mut n = 0;
    for l in LANGS {
        for (client, html) in clients(l) {
            n += 1;
            let item = plenary_mail::RawItem {
                bytes: eml(&html),
                kind: plenary_mail::RawKind::Rfc822,
                origin: format!("{client}-{}", l.code),
                source: "matrix".into(),
                envelope: None,
                list_hint: None,
                alt_page: None,
            };
            let m =
                match plenary_mail::parse_item(&item, &plenary_mail::ParseOptions::default(), None)
                {
                    Ok(m) => m,
                    Err(e) => {
                        failures.push(format!("{client}/{}: not decoded: {e:?}", l.code));
                        continue;
                    }
                };
            let a = plenary_quotes::analyze(&m.body);
            let ok = a.messages.len() == 2
                && a.messages[0].text.trim() == "Agreed with the text."
                && a.messages[1]
                    .text
                    .contains("The CSTD could be leveraged more.")
                && a.messages[1].attribution.as_ref().is_some_and(|at| {
                    at.normalized_name.as_deref() == Some(NAME)
                        && at.address.as_deref() == Some(ADDR)
                        && at.date.as_ref().is_some_and(|d| {
                            (d.year, d.month, d.day, d.hour, d.minute) == (2025, 7, 22, 17, 6)
                        })
                });
            if !ok {
                failures.push(format!(
                    "{client}/{}: {} messages; top {:?}; quoted {:?}",
                    l.code,
                    a.messages.len(),
                    a.messages.first().map(|m| m.text.clone()),
                    a.messages.get(1).map(|m| (
                        m.attribution.as_ref().map(|x| (
                            x.normalized_name.clone(),
                            x.address.clone(),
                            x.date
                        )),
                        m.text.clone()
                    )),
                ));
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("{}/{n} client × language cases", n - failures.len());
    assert!(failures.is_empty(), "{} of {n} failed", failures.len());
}
