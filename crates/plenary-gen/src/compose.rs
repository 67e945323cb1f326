//! Building one complete RFC 5322 message (headers, MIME structure, body) in
//! the style of the sender's mail client, as delivered through Mailman.

use crate::corpus::text;
use crate::lists::ListDef;
use crate::mime::{
    b64, b64_lines, charset_name, encode_charset, encode_words, mailbox, qp_encode, rfc2231,
};
use crate::people::{strict_dmarc_domain, Charset, Habit, Person};
use crate::rng::{exp, mix64, Rng};
use crate::text::{
    clip_lines, fill, own_text, paragraph, quote_lines, render_flowed, render_hard, render_long,
    signature, to_html, Line, OwnSpec, QuoteMark, Slots,
};
use crate::time::{
    apple_attribution, gmail_attribution, gmail_forward_date, outlook_sent, rfc5322,
    thunderbird_attribution, tm,
};
use crate::{Client, Lang, Locale, MalKind};

/// Largest quoted excerpt of a parent, and largest body kept for quoting.
const QUOTE_CAP: usize = 9_000;
const BODY_CAP: usize = 14_000;

/// What later replies need to know about a message.
#[derive(Clone, Debug)]
pub(crate) struct MsgRef {
    pub id: String,
    pub author: u32,
    /// Display name and address exactly as shown in From (maybe DMARC-munged).
    pub from_name: String,
    pub from_addr: String,
    pub date: i64,
    /// Decoded subject.
    pub subject: String,
    pub to_display: String,
    pub cc_display: Option<String>,
    /// Plain text as a reader sees it, without the list footer.
    pub body: String,
    /// The author's own paragraphs (for interleaved replies).
    pub paras: Vec<String>,
    /// References as written (empty if the header was absent).
    pub refs: Vec<String>,
    pub irt: Option<String>,
}

pub(crate) enum Kind<'a> {
    New {
        subject: &'a str,
    },
    Forward {
        subject: &'a str,
        orig: &'a Person,
        orig_lang: Lang,
    },
    Reply {
        parent: &'a MsgRef,
        parent_author: &'a Person,
    },
}

pub(crate) struct Req<'a> {
    pub index: u64,
    pub salt: u64,
    pub list: &'static ListDef,
    pub author: &'a Person,
    pub date: i64,
    pub lang: Lang,
    pub topic: usize,
    pub kind: Kind<'a>,
    pub malformed: Option<MalKind>,
    pub big_body_bytes: usize,
}

pub(crate) struct Built {
    /// Header block including the blank separator line (empty for
    /// `no_headers`).
    pub head: Vec<u8>,
    /// Body, ending in a newline.
    pub body: Vec<u8>,
    /// Byte range of `body` that must be written without mbox escaping.
    pub verbatim: Option<(usize, usize)>,
    /// Envelope sender for the mbox separator.
    pub envelope: String,
    pub date: i64,
    pub message_id: Option<String>,
    pub msgref: Option<MsgRef>,
}

// ---------------------------------------------------------------------------
// Small helpers

fn hex16(v: u64) -> String {
    format!("{v:016X}")
}

fn message_id(rng: &mut Rng, req: &Req, domain: &str) -> String {
    let u = mix64(req.index ^ req.salt); // unique per message (bijection)
    let r = rng.next_u64();
    let p = req.author;
    match p.client {
        Client::Gmail => {
            let mut bytes = Vec::with_capacity(27);
            bytes.extend_from_slice(&u.to_be_bytes());
            bytes.extend_from_slice(&r.to_be_bytes());
            bytes.extend_from_slice(&rng.next_u64().to_be_bytes());
            let n = 3 + rng.index(4);
            bytes.extend_from_slice(&rng.next_u64().to_be_bytes()[..n]);
            let s = b64(&bytes).replace('/', "_");
            let c = ["F", "H", "J", "K", "L", "M", "B", "E", "O", "G", "N", "P"][rng.index(12)];
            format!("<CA{c}{s}@mail.gmail.com>")
        }
        Client::Outlook => format!(
            "<{host}{a}{b}@{host}.{region}.prod.outlook.com>",
            host = p.ms_host,
            a = hex16(u),
            b = hex16(r),
            region = p.ms_region
        ),
        Client::Apple => format!(
            "<{:08X}-{:04X}-{:04X}-{:04X}-{:012X}@{}>",
            u >> 32,
            (u >> 16) & 0xFFFF,
            u & 0xFFFF,
            r >> 48,
            r & 0xFFFF_FFFF_FFFF,
            domain
        ),
        Client::Thunderbird => format!(
            "<{:08x}-{:04x}-{:04x}-{:04x}-{:012x}@{}>",
            u >> 32,
            (u >> 16) & 0xFFFF,
            u & 0xFFFF,
            r >> 48,
            r & 0xFFFF_FFFF_FFFF,
            domain
        ),
        Client::Notes => format!(
            "<OF{:08X}.{:08X}-ON{:08X}.{:08X}@{}>",
            u >> 32,
            u & 0xFFFF_FFFF,
            r >> 32,
            r & 0xFFFF_FFFF,
            domain
        ),
    }
}

fn reply_prefix(client: Client, loc: Locale) -> &'static str {
    match client {
        Client::Outlook => match loc {
            Locale::EnUs | Locale::EnGb | Locale::Es => "RE: ",
            Locale::Pt => "RES: ",
            Locale::Fr => "RE : ",
            Locale::De => "AW: ",
            Locale::Sv => "SV: ",
        },
        Client::Notes => match loc {
            Locale::Fr => "Réf. : ",
            Locale::De => "Antwort: ",
            _ => "Re: ",
        },
        _ => "Re: ",
    }
}

fn forward_prefix(client: Client, loc: Locale) -> &'static str {
    match client {
        Client::Outlook => match loc {
            Locale::EnUs | Locale::EnGb => "FW: ",
            Locale::Es => "RV: ",
            Locale::Pt => "ENC: ",
            Locale::Fr => "TR : ",
            Locale::De => "WG: ",
            Locale::Sv => "VB: ",
        },
        Client::Notes => "Fw: ",
        _ => "Fwd: ",
    }
}

const KNOWN_PREFIXES: &[&str] = &[
    "Re: ",
    "RE: ",
    "Re : ",
    "RE : ",
    "AW: ",
    "SV: ",
    "RES: ",
    "Réf. : ",
    "Antwort: ",
    "Fwd: ",
    "FW: ",
    "Fw: ",
    "RV: ",
    "TR : ",
    "WG: ",
    "ENC: ",
    "VB: ",
];

fn strip_one_prefix(s: &str) -> Option<&str> {
    KNOWN_PREFIXES.iter().find_map(|p| s.strip_prefix(p))
}

/// Subject without reply/forward prefixes, `[Ext]` and list tags.
pub(crate) fn base_subject(s: &str) -> &str {
    let mut s = s;
    loop {
        if let Some(r) = strip_one_prefix(s) {
            s = r;
        } else if let Some(r) = s.strip_prefix("[Ext] ") {
            s = r;
        } else if s.starts_with('[') {
            match s.find("] ") {
                Some(i) => s = &s[i + 2..],
                None => return s,
            }
        } else {
            return s;
        }
    }
}

fn reply_subject(rng: &mut Rng, parent: &str, p: &Person) -> String {
    let ours = reply_prefix(p.client, p.locale);
    if p.org.ext_tag {
        return format!("{ours}[Ext] {parent}");
    }
    if parent.starts_with(ours) {
        return parent.to_string();
    }
    match strip_one_prefix(parent) {
        Some(rest) if rng.chance(0.75) => format!("{ours}{rest}"),
        _ => format!("{ours}{parent}"),
    }
}

/// Header value for a subject: raw when ASCII, else RFC 2047 either as a
/// whole or only from the first non-ASCII word on.
fn encode_subject(rng: &mut Rng, s: &str, cs: Charset, b: bool) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    if rng.chance(0.4) {
        if let Some(first_non_ascii) = s.find(|c: char| !c.is_ascii()) {
            if let Some(sp) = s[..first_non_ascii].rfind(' ') {
                // The folding whitespace unfolds to the single space that
                // separated the plain part from the encoded word.
                return format!("{}\n {}", &s[..sp], encode_words(&s[sp + 1..], cs, b));
            }
        }
    }
    encode_words(s, cs, b)
}

fn fold_ids(ids: &[String]) -> String {
    let mut out = String::new();
    let mut col = 12usize;
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            if col + 1 + id.len() > 78 {
                out.push_str("\n ");
                col = 1;
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(id);
        col += id.len();
    }
    out
}

fn content_language(loc: Locale) -> &'static str {
    match loc {
        Locale::EnUs => "en-US",
        Locale::EnGb => "en-GB",
        Locale::Es => "es-ES",
        Locale::Pt => "pt-BR",
        Locale::Fr => "fr-FR",
        Locale::De => "de-DE",
        Locale::Sv => "sv-SE",
    }
}

fn outlook_labels(loc: Locale) -> [&'static str; 5] {
    match loc {
        Locale::EnUs | Locale::EnGb => ["From:", "Sent:", "To:", "Cc:", "Subject:"],
        Locale::Es => ["De:", "Enviado:", "Para:", "CC:", "Asunto:"],
        Locale::Pt => ["De:", "Enviada:", "Para:", "Cc:", "Assunto:"],
        Locale::Fr => ["De :", "Envoyé :", "À :", "Cc :", "Objet :"],
        Locale::De => ["Von:", "Gesendet:", "An:", "Cc:", "Betreff:"],
        Locale::Sv => ["Från:", "Skickat:", "Till:", "Kopia:", "Ämne:"],
    }
}

fn original_message_line(loc: Locale) -> &'static str {
    match loc {
        Locale::EnUs | Locale::EnGb => "-----Original Message-----",
        Locale::Es => "-----Mensaje original-----",
        Locale::Pt => "-----Mensagem original-----",
        Locale::Fr => "-----Message d'origine-----",
        Locale::De => "-----Ursprüngliche Nachricht-----",
        Locale::Sv => "-----Ursprungligt meddelande-----",
    }
}

// ---------------------------------------------------------------------------
// Headers

struct Headers {
    items: Vec<(&'static str, String)>,
}

impl Headers {
    fn new() -> Headers {
        Headers {
            items: Vec::with_capacity(32),
        }
    }
    fn set(&mut self, k: &'static str, v: String) {
        self.items.push((k, v));
    }
    fn write_ordered(&self, order: &[&'static str], client: Client, out: &mut Vec<u8>) {
        let mut done = vec![false; self.items.len()];
        let emit = |i: usize, out: &mut Vec<u8>| {
            let (k, v) = &self.items[i];
            let name = match (client, *k) {
                (Client::Apple, "Message-ID") => "Message-Id",
                (Client::Apple, "MIME-Version") => "Mime-Version",
                (_, k) => k,
            };
            out.extend_from_slice(name.as_bytes());
            out.push(b':');
            if !v.is_empty() {
                out.push(b' ');
                out.extend_from_slice(v.as_bytes());
            }
            out.push(b'\n');
        };
        for key in order {
            for (i, (k, _)) in self.items.iter().enumerate() {
                if !done[i] && k == key {
                    emit(i, out);
                    done[i] = true;
                }
            }
        }
        for (i, _) in done.iter().enumerate().filter(|(_, d)| !**d) {
            emit(i, out);
        }
    }
}

fn client_order(client: Client) -> &'static [&'static str] {
    match client {
        Client::Gmail => &[
            "Received",
            "MIME-Version",
            "References",
            "In-Reply-To",
            "From",
            "Date",
            "Message-ID",
            "Subject",
            "To",
            "Cc",
            "Content-Type",
            "Content-Transfer-Encoding",
        ],
        Client::Outlook => &[
            "Received",
            "From",
            "To",
            "Cc",
            "Subject",
            "Thread-Topic",
            "Thread-Index",
            "Date",
            "Message-ID",
            "References",
            "In-Reply-To",
            "Accept-Language",
            "Content-Language",
            "X-MS-Has-Attach",
            "X-MS-TNEF-Correlator",
            "Content-Type",
            "Content-Transfer-Encoding",
            "MIME-Version",
        ],
        Client::Apple => &[
            "Received",
            "Content-Type",
            "MIME-Version",
            "Subject",
            "From",
            "In-Reply-To",
            "Date",
            "Cc",
            "Content-Transfer-Encoding",
            "Message-ID",
            "References",
            "To",
            "X-Mailer",
        ],
        Client::Thunderbird => &[
            "Received",
            "Message-ID",
            "Date",
            "MIME-Version",
            "User-Agent",
            "Subject",
            "To",
            "Cc",
            "References",
            "From",
            "In-Reply-To",
            "Content-Language",
            "Content-Type",
            "Content-Transfer-Encoding",
        ],
        Client::Notes => &[
            "Received",
            "Subject",
            "To",
            "Cc",
            "From",
            "Message-ID",
            "Date",
            "References",
            "In-Reply-To",
            "MIME-Version",
            "X-Mailer",
            "Content-Type",
            "Content-Transfer-Encoding",
        ],
    }
}

fn received(rng: &mut Rng, p: &Person, list: &ListDef, domain: &str, date: i64) -> String {
    let (from_host, ip) = match p.client {
        Client::Gmail => (
            format!(
                "mail-{}-f{}.google.com",
                ["lj1", "wr1", "ed1", "pl1", "qk1", "yb1"][rng.index(6)],
                rng.range(41, 199)
            ),
            format!("209.85.{}.{}", rng.range(128, 255), rng.range(1, 254)),
        ),
        Client::Outlook => (
            format!(
                "{}-obe.outbound.protection.outlook.com",
                [
                    "EUR05-AM6",
                    "EUR03-DBA",
                    "NAM12-BN8",
                    "NAM10-DM6",
                    "BRA01-CP2",
                    "APC01-SG2"
                ][rng.index(6)]
            ),
            format!("40.107.{}.{}", rng.range(1, 255), rng.range(1, 254)),
        ),
        _ => (
            format!(
                "{}.{}",
                ["mail", "smtp", "mx1", "relay"][rng.index(4)],
                domain
            ),
            format!(
                "{}.{}.{}.{}",
                rng.range(31, 212),
                rng.range(0, 255),
                rng.range(0, 255),
                rng.range(1, 254)
            ),
        ),
    };
    let qid: String = (0..12)
        .map(|_| b"0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"[rng.index(52)] as char)
        .collect();
    format!(
        "from {from_host} ({from_host} [{ip}])\n\tby mail.{host} (Postfix) with ESMTPS id 4{qid}\n\tfor <{addr}>; {when} (UTC)",
        host = list.host,
        addr = list.address(),
        when = rfc5322(date + rng.range(1, 40) as i64, 0)
    )
}

fn mailman_headers(h: &mut Headers, list: &ListDef) {
    let host = list.host;
    let slug = list.slug;
    h.set("X-BeenThere", list.address());
    h.set("X-Mailman-Version", "2.1.39".into());
    h.set("Precedence", "list".into());
    h.set("List-Id", format!("{} <{slug}.{host}>", list.description));
    h.set(
        "List-Unsubscribe",
        format!("<https://{host}/mailman/options/{slug}>,\n <mailto:{slug}-request@{host}?subject=unsubscribe>"),
    );
    h.set(
        "List-Archive",
        format!("<https://{host}/pipermail/{slug}/>"),
    );
    h.set("List-Post", format!("<mailto:{slug}@{host}>"));
    h.set(
        "List-Help",
        format!("<mailto:{slug}-request@{host}?subject=help>"),
    );
    h.set(
        "List-Subscribe",
        format!("<https://{host}/mailman/listinfo/{slug}>,\n <mailto:{slug}-request@{host}?subject=subscribe>"),
    );
}

const MAILMAN_ORDER: &[&str] = &[
    "X-BeenThere",
    "X-Mailman-Version",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "List-Archive",
    "List-Post",
    "List-Help",
    "List-Subscribe",
    "Reply-To",
    "Errors-To",
    "Sender",
];

// ---------------------------------------------------------------------------
// Text parts

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cte {
    SevenBit,
    EightBit,
    Qp,
    Base64,
}

impl Cte {
    fn name(self) -> &'static str {
        match self {
            Cte::SevenBit => "7bit",
            Cte::EightBit => "8bit",
            Cte::Qp => "quoted-printable",
            Cte::Base64 => "base64",
        }
    }
}

struct Part {
    ct: String,
    cte: Cte,
    body: Vec<u8>,
}

fn charset_label(cs: Charset, ascii_label: bool, client: Client) -> String {
    let name = if ascii_label {
        "us-ascii"
    } else {
        charset_name(cs)
    };
    match client {
        Client::Gmail | Client::Thunderbird | Client::Notes => name.to_uppercase(),
        Client::Outlook if cs == Charset::Cp1252 => "Windows-1252".into(),
        _ => name.into(),
    }
}

struct TextOpts {
    allow_flowed: bool,
    force: Option<Cte>,
    footer: Option<String>,
}

fn text_part(rng: &mut Rng, p: &Person, lines: &[Line], o: &TextOpts) -> Part {
    let flowed = o.allow_flowed && p.flowed;
    let mut wire = if flowed {
        render_flowed(
            lines,
            if p.client == Client::Apple { 76 } else { 72 },
            p.delsp,
        )
    } else if p.hard_wrap {
        render_hard(
            lines,
            if p.client == Client::Thunderbird {
                72
            } else {
                76
            },
        )
    } else {
        render_long(lines)
    };
    if let Some(f) = &o.footer {
        wire.push_str(f);
    }
    let (cs, bytes) = match p
        .legacy
        .and_then(|cs| encode_charset(&wire, cs).map(|b| (cs, b)))
    {
        Some(x) => x,
        None => (Charset::Utf8, wire.into_bytes()),
    };
    let ascii = bytes.is_ascii();
    let ascii_label =
        ascii && matches!(p.client, Client::Apple | Client::Thunderbird) && rng.chance(0.5);
    let mut cte = if ascii {
        match p.client {
            Client::Outlook | Client::Notes => Cte::Qp,
            _ => Cte::SevenBit,
        }
    } else {
        match p.client {
            Client::Gmail => [Cte::Qp, Cte::EightBit, Cte::Base64][rng.weighted(&[55, 35, 10])],
            Client::Thunderbird => Cte::EightBit,
            _ => Cte::Qp,
        }
    };
    if rng.chance(0.01) {
        cte = Cte::Base64;
    }
    let longest = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.len())
        .max()
        .unwrap_or(0);
    if matches!(cte, Cte::SevenBit | Cte::EightBit) && longest > 990 {
        cte = Cte::Qp;
    }
    if let Some(f) = o.force {
        cte = f;
    }
    let label = charset_label(cs, ascii_label, p.client);
    let mut ct = match p.client {
        Client::Apple => format!("text/plain;\n\tcharset={label}"),
        Client::Thunderbird => format!("text/plain; charset={label}"),
        _ => format!("text/plain; charset=\"{label}\""),
    };
    if flowed {
        ct.push_str(if p.client == Client::Apple {
            ";\n\tformat=flowed"
        } else {
            "; format=flowed"
        });
        if p.delsp {
            ct.push_str(if p.client == Client::Apple {
                ";\n\tdelsp=yes"
            } else {
                "; delsp=yes"
            });
        }
    }
    let body = encode_body(bytes, cte, rng.chance(0.3));
    Part { ct, cte, body }
}

fn encode_body(bytes: Vec<u8>, cte: Cte, escape_from: bool) -> Vec<u8> {
    match cte {
        Cte::SevenBit | Cte::EightBit => bytes,
        Cte::Qp => {
            let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 6);
            qp_encode(&bytes, escape_from, &mut out);
            if !out.ends_with(b"\n") {
                out.push(b'\n');
            }
            out
        }
        Cte::Base64 => {
            let mut out = Vec::new();
            b64_lines(&bytes, &mut out);
            out
        }
    }
}

fn html_part(display: &str, client: Client) -> Part {
    let html = to_html(display, client);
    let mut body = Vec::with_capacity(html.len() + 200);
    qp_encode(html.as_bytes(), false, &mut body);
    if !body.ends_with(b"\n") {
        body.push(b'\n');
    }
    let ct = match client {
        Client::Apple => "text/html;\n\tcharset=utf-8".to_string(),
        Client::Outlook => "text/html; charset=\"utf-8\"".to_string(),
        _ => "text/html; charset=\"UTF-8\"".to_string(),
    };
    Part {
        ct,
        cte: Cte::Qp,
        body,
    }
}

fn write_part_headers(out: &mut Vec<u8>, ct: &str, cte: Option<Cte>, extra: &[String]) {
    out.extend_from_slice(b"Content-Type: ");
    out.extend_from_slice(ct.as_bytes());
    out.push(b'\n');
    for e in extra {
        out.extend_from_slice(e.as_bytes());
        out.push(b'\n');
    }
    if let Some(c) = cte {
        out.extend_from_slice(b"Content-Transfer-Encoding: ");
        out.extend_from_slice(c.name().as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
}

fn boundary(rng: &mut Rng, p: &Person) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    match p.client {
        Client::Gmail => format!("000000000000{:012x}", a & 0xFFFF_FFFF_FFFF),
        Client::Outlook => format!("_000_{}{:016X}_", p.ms_host, a),
        Client::Apple => format!(
            "Apple-Mail=_{:08X}-{:04X}-{:04X}-{:04X}-{:012X}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        ),
        Client::Thunderbird => {
            let s: String = (0..24)
                .map(|i| {
                    let v = (if i < 12 {
                        a >> (i * 5)
                    } else {
                        b >> ((i - 12) * 5)
                    }) & 31;
                    b"0123456789ABCDEFGHIJKLMNOPQRSTUV"[v as usize] as char
                })
                .collect();
            format!("------------{s}")
        }
        Client::Notes => format!("=_alternative {:08X}{:08X}_=", a >> 32, b >> 32),
    }
}

fn mailman_boundary(rng: &mut Rng) -> String {
    format!(
        "==============={:019}==",
        rng.next_u64() % 10_000_000_000_000_000_000
    )
}

fn multipart_ct(client: Client, sub: &str, b: &str) -> String {
    match client {
        Client::Apple => format!("multipart/{sub};\n\tboundary=\"{b}\""),
        _ => format!("multipart/{sub}; boundary=\"{b}\""),
    }
}

fn footer_part(out: &mut Vec<u8>, footer: &str) {
    out.extend_from_slice(
        b"Content-Type: text/plain; charset=\"us-ascii\"\nMIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\nContent-Disposition: inline\n\n",
    );
    out.extend_from_slice(footer.as_bytes());
}

/// The whole multipart/alternative entity (headers + body) as a part.
fn alternative_entity(rng: &mut Rng, p: &Person, text: Part, html: Part) -> (String, Vec<u8>) {
    let b = boundary(rng, p);
    let mut body = Vec::with_capacity(text.body.len() + html.body.len() + 400);
    for part in [text, html] {
        body.extend_from_slice(format!("--{b}\n").as_bytes());
        write_part_headers(&mut body, &part.ct, Some(part.cte), &[]);
        body.extend_from_slice(&part.body);
        body.push(b'\n');
    }
    body.extend_from_slice(format!("--{b}--\n").as_bytes());
    (multipart_ct(p.client, "alternative", &b), body)
}

struct Attachment {
    headers: Vec<String>,
    ct: String,
    data: Vec<u8>,
}

fn attachment(rng: &mut Rng, p: &Person, lang: Lang, date: i64) -> Attachment {
    let t = text(lang);
    let name = t.attachments[rng.index(t.attachments.len())];
    // Long-tailed size: 20 KB * e^X, X ~ Exp(mean 0.55), capped at 2 MB
    // (median ~30 KB, mean ~45 KB, about 1 in 300 above 500 KB).
    let size = (20_480.0 * exp(rng.exponential(0.55))).min(2_097_152.0) as usize;
    let pdf = name.ends_with(".pdf");
    let mut data = Vec::with_capacity(size + 64);
    if pdf {
        data.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Length 4096 /Filter /FlateDecode >>\nstream\n");
    } else {
        data.extend_from_slice(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00");
        data.extend_from_slice(&rng.next_u64().to_le_bytes());
        data.extend_from_slice(b"\x13\x00\x00\x00[Content_Types].xml");
    }
    let fill = size.saturating_sub(data.len() + 32);
    rng.fill_bytes(&mut data, fill);
    if pdf {
        data.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
    } else {
        data.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x0b\x00\x0b\x00");
    }
    let mime = if pdf {
        "application/pdf"
    } else {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    };
    let ascii = name.is_ascii();
    let quoted = |n: &str| format!("\"{n}\"");
    let (name_param, file_param) = if ascii {
        (
            format!("name={}", quoted(name)),
            format!("filename={}", quoted(name)),
        )
    } else {
        match p.client {
            Client::Thunderbird | Client::Apple => (
                format!("name*={}", rfc2231(name)),
                format!("filename*={}", rfc2231(name)),
            ),
            _ => {
                let enc = encode_words(name, Charset::Utf8, p.client == Client::Gmail);
                (format!("name=\"{enc}\""), format!("filename=\"{enc}\""))
            }
        }
    };
    let mut headers = Vec::new();
    let ct;
    match p.client {
        Client::Outlook => {
            ct = format!("{mime}; {name_param}");
            headers.push(format!("Content-Description: {name}"));
            headers.push(format!(
                "Content-Disposition: attachment; {file_param}; size={};\n\tcreation-date=\"{}\";\n\tmodification-date=\"{}\"",
                data.len(),
                rfc5322(date - 300, 0).replace("+0000", "GMT"),
                rfc5322(date - 60, 0).replace("+0000", "GMT")
            ));
        }
        Client::Apple => {
            ct = format!("{mime};\n\tx-unix-mode=0644;\n\t{name_param}");
            headers.push(format!("Content-Disposition: attachment;\n\t{file_param}"));
        }
        Client::Gmail => {
            ct = format!("{mime}; {name_param}");
            let id = format!("f_{:x}{}", rng.next_u64() & 0xFFFF_FFFF, rng.index(10));
            headers.push(format!("Content-Disposition: attachment; {file_param}"));
            headers.push(format!("Content-ID: <{id}>"));
            headers.push(format!("X-Attachment-Id: {id}"));
        }
        _ => {
            ct = format!("{mime}; {name_param}");
            headers.push(format!("Content-Disposition: attachment; {file_param}"));
        }
    }
    Attachment { headers, ct, data }
}

// ---------------------------------------------------------------------------
// Body text assembly

struct Bodies {
    lines: Vec<Line>,
    paras: Vec<String>,
}

fn quoted_block(rng: &mut Rng, req: &Req, parent: &MsgRef, trimmed: bool) -> String {
    let mut q = if trimmed {
        let keep = 1 + rng.index(2);
        let mut s = String::new();
        for (i, para) in parent.body.split("\n\n").enumerate() {
            if i >= keep {
                break;
            }
            if i > 0 {
                s.push('\n');
            }
            s.push_str(para.trim_end_matches('\n'));
            s.push('\n');
        }
        if rng.chance(0.4) {
            s.push_str("[...]\n");
        }
        s
    } else {
        clip_lines(&parent.body, QUOTE_CAP).to_string()
    };
    if !trimmed && rng.chance(0.3) {
        q.push_str(&req.list.footer());
    }
    q
}

fn reply_lines(rng: &mut Rng, req: &Req, parent: &MsgRef, parent_author: &Person) -> Bodies {
    let p = req.author;
    let slots = Slots {
        lang: req.lang,
        topic: req.topic,
        name: &parent_author.first,
        female: parent_author.female,
        month: tm(req.date, 0).month % 12 + 1,
    };
    let spec = OwnSpec {
        reply_to_first: Some(&parent_author.first),
        paragraphs: 1 + rng.index(2) + usize::from(rng.chance(0.2)),
        opener: rng.chance(0.45),
        extra: None,
    };
    let own = own_text(rng, p, &slots, &spec);
    let sig = signature(rng, p, req.lang);
    let (poff, _) = p.zone.at(parent.date);
    let pt = tm(parent.date, poff);

    let no_quote = match p.client {
        Client::Notes => true,
        Client::Outlook => rng.chance(0.05),
        _ => rng.chance(0.12),
    };
    let mut lines: Vec<Line> = Vec::new();
    if no_quote {
        lines.extend(own.lines);
        lines.extend(sig);
        return Bodies {
            lines,
            paras: own.paras,
        };
    }
    let trimmed = p.trims && rng.chance(0.7);
    let habit = if rng.chance(0.85) {
        p.habit
    } else {
        Habit::TopPost
    };

    if p.client == Client::Outlook {
        lines.extend(own.lines);
        lines.extend(sig);
        lines.push(Line::blank());
        let labels = outlook_labels(p.locale);
        if rng.chance(0.25) {
            lines.push(Line::fixed(original_message_line(p.locale)));
        } else {
            lines.push(Line::fixed("________________________________"));
        }
        let from = if p.locale == Locale::EnUs && rng.chance(0.15) {
            format!(
                "{} {} <{}-bounces@{}> on behalf of {} <{}>",
                labels[0],
                req.list.name,
                req.list.slug,
                req.list.host,
                parent.from_name,
                parent.from_addr
            )
        } else {
            format!("{} {} <{}>", labels[0], parent.from_name, parent.from_addr)
        };
        lines.push(Line::fixed(from));
        lines.push(Line::fixed(format!(
            "{} {}",
            labels[1],
            outlook_sent(p.locale, &pt)
        )));
        lines.push(Line::fixed(format!("{} {}", labels[2], parent.to_display)));
        if let Some(cc) = &parent.cc_display {
            lines.push(Line::fixed(format!("{} {}", labels[3], cc)));
        }
        lines.push(Line::fixed(format!("{} {}", labels[4], parent.subject)));
        lines.push(Line::blank());
        let q = quoted_block(rng, req, parent, trimmed);
        let q = q.trim_end_matches('\n');
        if !q.is_empty() {
            lines.push(Line::fixed(q));
        }
        return Bodies {
            lines,
            paras: own.paras,
        };
    }

    let (attribution, mark) = match p.client {
        Client::Gmail => (
            gmail_attribution(p.locale, &pt, &parent.from_name, &parent.from_addr),
            QuoteMark::Spaced,
        ),
        Client::Apple => (
            apple_attribution(p.locale, &pt, &parent.from_name, &parent.from_addr),
            QuoteMark::Spaced,
        ),
        _ => (
            thunderbird_attribution(p.locale, &pt, &parent.from_name),
            QuoteMark::Compact,
        ),
    };
    let apple_gap = p.client == Client::Apple;

    if habit == Habit::Interleave && !parent.paras.is_empty() {
        let t = text(req.lang);
        if let Some(g) = &own.greeting {
            lines.push(Line::fixed(g.clone()));
            lines.push(Line::blank());
        }
        lines.push(Line::fixed(attribution));
        if apple_gap {
            lines.push(Line::blank());
        }
        let mut answered = false;
        let mut after_quote = false;
        for para in &parent.paras {
            if after_quote {
                // Consecutive quoted paragraphs keep their blank quote line.
                lines.push(Line::fixed(">"));
            }
            quote_lines(para, mark, &mut lines);
            after_quote = true;
            if rng.chance(0.6) || !answered {
                after_quote = false;
                lines.push(Line::blank());
                let inline = t.inline[rng.index(t.inline.len())].to_string();
                let more = if rng.chance(0.4) {
                    format!(" {}", paragraph(rng, &slots, 1))
                } else {
                    String::new()
                };
                lines.push(Line::para(format!("{inline}{more}")));
                lines.push(Line::blank());
                answered = true;
            }
        }
        if !own.tail.is_empty() {
            if !lines.last().is_some_and(|l| l.text.is_empty()) {
                lines.push(Line::blank());
            }
            lines.extend(own.tail.iter().map(|l| Line::fixed(l.clone())));
        }
        lines.extend(sig);
        return Bodies {
            lines,
            paras: own.paras,
        };
    }

    let q = quoted_block(rng, req, parent, trimmed);
    let mut quote: Vec<Line> = vec![Line::fixed(attribution)];
    if apple_gap {
        quote.push(Line::blank());
    }
    quote_lines(&q, mark, &mut quote);

    if habit == Habit::BottomPost {
        lines.extend(quote);
        lines.push(Line::blank());
        lines.extend(own.lines);
        lines.extend(sig);
    } else {
        lines.extend(own.lines);
        lines.extend(sig);
        lines.push(Line::blank());
        lines.extend(quote);
    }
    Bodies {
        lines,
        paras: own.paras,
    }
}

fn new_lines(rng: &mut Rng, req: &Req, attach_note: bool) -> Bodies {
    let p = req.author;
    let slots = Slots {
        lang: req.lang,
        topic: req.topic,
        name: "",
        female: false,
        month: tm(req.date, 0).month % 12 + 1,
    };
    let extra = if attach_note {
        let t = text(req.lang);
        let tpl = t.attach_notes[rng.index(t.attach_notes.len())];
        Some(fill(rng, tpl, &slots))
    } else {
        None
    };
    let spec = OwnSpec {
        reply_to_first: None,
        paragraphs: 2 + rng.index(3),
        opener: false,
        extra,
    };
    let own = own_text(rng, p, &slots, &spec);
    let mut lines = own.lines;
    lines.extend(signature(rng, p, req.lang));
    Bodies {
        lines,
        paras: own.paras,
    }
}

fn forward_lines(
    rng: &mut Rng,
    req: &Req,
    orig: &Person,
    orig_lang: Lang,
    orig_subject: &str,
) -> Bodies {
    let p = req.author;
    let t = text(req.lang);
    let mut lines = vec![Line::para(
        t.forward_intro[rng.index(t.forward_intro.len())],
    )];
    let sig = signature(rng, p, req.lang);
    lines.extend(sig);
    lines.push(Line::blank());
    let when = req.date - rng.range(3_600, 5 * 86_400) as i64;
    let (off, abbr) = orig.zone.at(when);
    let ot = tm(when, off);
    let orig_addr = &orig.addrs[0];
    match p.client {
        Client::Gmail => {
            lines.push(Line::fixed("---------- Forwarded message ---------"));
            lines.push(Line::fixed(format!(
                "From: {} <{}>",
                orig.display, orig_addr
            )));
            lines.push(Line::fixed(format!("Date: {}", gmail_forward_date(&ot))));
            lines.push(Line::fixed(format!("Subject: {orig_subject}")));
            lines.push(Line::fixed(format!("To: <{}>", req.list.address())));
        }
        Client::Apple => {
            lines.push(Line::fixed("Begin forwarded message:"));
            lines.push(Line::blank());
            lines.push(Line::fixed(format!(
                "From: {} <{}>",
                orig.display, orig_addr
            )));
            lines.push(Line::fixed(format!("Subject: {orig_subject}")));
            lines.push(Line::fixed(format!(
                "Date: {} {} {} at {:02}:{:02}:{:02} {}",
                ot.day,
                crate::time::month_name(Lang::En, ot.month),
                ot.year,
                ot.hour,
                ot.min,
                ot.sec,
                abbr
            )));
            lines.push(Line::fixed(format!("To: {}", req.list.address())));
        }
        Client::Thunderbird => {
            lines.push(Line::fixed("-------- Forwarded Message --------"));
            lines.push(Line::fixed(format!("Subject: \t{orig_subject}")));
            lines.push(Line::fixed(format!("Date: \t{}", rfc5322(when, off))));
            lines.push(Line::fixed(format!(
                "From: \t{} <{}>",
                orig.display, orig_addr
            )));
            lines.push(Line::fixed(format!("To: \t{}", req.list.address())));
        }
        Client::Outlook | Client::Notes => {
            let labels = outlook_labels(p.locale);
            lines.push(Line::fixed("________________________________"));
            lines.push(Line::fixed(format!(
                "{} {} <{}>",
                labels[0], orig.display, orig_addr
            )));
            lines.push(Line::fixed(format!(
                "{} {}",
                labels[1],
                outlook_sent(p.locale, &ot)
            )));
            lines.push(Line::fixed(format!("{} {}", labels[2], req.list.address())));
            lines.push(Line::fixed(format!("{} {}", labels[4], orig_subject)));
        }
    }
    lines.push(Line::blank());
    let slots = Slots {
        lang: orig_lang,
        topic: req.topic,
        name: "",
        female: false,
        month: ot.month % 12 + 1,
    };
    let spec = OwnSpec {
        reply_to_first: None,
        paragraphs: 2 + rng.index(2),
        opener: false,
        extra: None,
    };
    let own = own_text(rng, orig, &slots, &spec);
    lines.extend(own.lines);
    lines.extend(signature(rng, orig, orig_lang));
    Bodies {
        lines,
        paras: Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// Malformed bodies

fn huge_text(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut block = String::new();
    let slots = Slots {
        lang: Lang::En,
        topic: rng.index(64),
        name: "",
        female: false,
        month: 1,
    };
    while block.len() < 32 * 1024 {
        let para = paragraph(rng, &slots, 4);
        block.push_str(&render_hard(&[Line::para(para)], 76));
        block.push('\n');
    }
    let block = block.into_bytes();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let take = (n - out.len()).min(block.len());
        out.extend_from_slice(&block[..take]);
    }
    if let Some(last) = out.last_mut() {
        *last = b'\n';
    }
    out
}

fn no_headers(rng: &mut Rng, req: &Req) -> Built {
    let b = new_lines(rng, req, false);
    let mut text = render_long(&b.lines);
    // The first line must not look like a header field.
    if let Some(nl) = text.find('\n') {
        if text[..nl].ends_with(':') {
            text.replace_range(nl - 1..nl, ",");
        }
        if text[..nl].contains(':') {
            let greeting = match req.lang {
                Lang::En => "Dear all,",
                Lang::Es => "Hola a todos,",
                Lang::Pt => "Olá a todos,",
                Lang::Fr => "Bonjour à tous,",
            };
            text.insert_str(0, &format!("{greeting}\n\n"));
        }
    }
    Built {
        head: Vec::new(),
        body: text.into_bytes(),
        verbatim: None,
        envelope: req.author.addrs[0].clone(),
        date: req.date,
        message_id: None,
        msgref: None,
    }
}

// ---------------------------------------------------------------------------
// The message

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Plain,
    Alternative,
    HtmlOnly,
    Attachment { alt: bool },
}

pub(crate) fn compose(rng: &mut Rng, req: &Req) -> Built {
    if req.malformed == Some(MalKind::NoHeaders) {
        return no_headers(rng, req);
    }
    let p = req.author;
    let list = req.list;
    let addr = if p.addrs.len() > 1 && rng.chance(0.2) {
        &p.addrs[1]
    } else {
        &p.addrs[0]
    };
    let domain = crate::people::Person::domain_of(addr);
    let year = tm(req.date, 0).year;
    let munged = strict_dmarc_domain(domain)
        || (p.org.strict_dmarc && domain == p.org.domain)
        || list.munge_all_from.is_some_and(|y| year >= y);
    let bare = rng.chance(0.04);
    let with_footer = !rng.chance(0.03);
    let hdr_cs = p.legacy.unwrap_or(Charset::Utf8);
    let b_enc = match p.client {
        Client::Gmail | Client::Notes => true,
        Client::Outlook => p.legacy.is_some() && rng.chance(0.5),
        Client::Thunderbird => p.legacy == Some(Charset::Latin1) && req.index.is_multiple_of(2),
        _ => false,
    };
    let fix_case = |s: String| -> String {
        if matches!(p.client, Client::Gmail | Client::Thunderbird) {
            s.replace("=?utf-8?", "=?UTF-8?")
        } else {
            s
        }
    };

    let mid = message_id(rng, req, domain);

    // Shape of the MIME tree.
    let shape = match req.malformed {
        Some(_) => Shape::Plain,
        None => {
            let r = rng.f64();
            if r < 0.03 {
                Shape::Attachment {
                    alt: rng.chance(0.4),
                }
            } else if r < 0.11 {
                Shape::Alternative
            } else if r < 0.13 {
                Shape::HtmlOnly
            } else {
                Shape::Plain
            }
        }
    };
    let has_attachment =
        matches!(shape, Shape::Attachment { .. }) || req.malformed == Some(MalKind::TruncatedMime);

    // Subject (decoded) and body lines.
    let (subject, bodies, parent) = match &req.kind {
        Kind::New { subject } => {
            let mut s = subject.to_string();
            if let (Some(tag), false) = (list.tag, bare) {
                s = format!("{tag} {s}");
            }
            (s, new_lines(rng, req, has_attachment), None)
        }
        Kind::Forward {
            subject,
            orig,
            orig_lang,
        } => {
            let mut s = format!("{}{}", forward_prefix(p.client, p.locale), subject);
            if let (Some(tag), false) = (list.tag, bare) {
                s = format!("{tag} {s}");
            }
            (s, forward_lines(rng, req, orig, *orig_lang, subject), None)
        }
        Kind::Reply {
            parent,
            parent_author,
        } => {
            let mut s = reply_subject(rng, &parent.subject, p);
            if let (Some(tag), false) = (list.tag, bare) {
                if !s.contains(tag) {
                    s = format!("{tag} {s}");
                }
            }
            (
                s,
                reply_lines(rng, req, parent, parent_author),
                Some(*parent),
            )
        }
    };
    let display = render_long(&bodies.lines);

    // Threading headers.
    let mut refs: Vec<String> = Vec::new();
    let mut irt: Option<String> = None;
    if let Some(par) = parent {
        let mut chain: Vec<String> = if !par.refs.is_empty() {
            par.refs.clone()
        } else if let Some(i) = &par.irt {
            vec![i.clone()]
        } else {
            Vec::new()
        };
        chain.push(par.id.clone());
        if chain.len() > 12 {
            let keep_tail = chain.split_off(chain.len() - 11);
            chain.truncate(1);
            chain.extend(keep_tail);
        }
        let r = rng.f64();
        let recent = req.date - par.date < 4 * 86_400;
        if r < 0.97 || (r >= 0.997 && !recent) {
            refs = chain;
            irt = Some(par.id.clone());
        } else if r < 0.99 {
            irt = Some(par.id.clone());
        } else if r < 0.997 {
            refs = chain;
        }
    }

    // Addressing.
    let list_to = match rng.index(4) {
        0 | 1 => list.address(),
        2 => format!("\"{}\" <{}>", list.name, list.address()),
        _ => format!("{} <{}>", list.name, list.address()),
    };
    let (to_hdr, to_display, cc_hdr, cc_display) = match parent {
        Some(par) if rng.chance(0.25) => (
            fix_case(mailbox(&par.from_name, &par.from_addr, hdr_cs, b_enc)),
            format!("{} <{}>", par.from_name, par.from_addr),
            Some(list_to.clone()),
            Some(list_to.replace('"', "")),
        ),
        _ => (list_to.clone(), list_to.replace('"', ""), None, None),
    };
    let (from_name, from_addr) = if munged {
        (format!("{} via {}", p.display, list.name), list.address())
    } else {
        (p.display.clone(), addr.clone())
    };

    // Date header.
    let (loff, abbr) = p.zone.at(req.date);
    let (doff, dabbr) = if p.client == Client::Outlook && rng.chance(0.6) {
        (0, "UTC")
    } else {
        (loff, abbr)
    };
    let mut date_hdr = rfc5322(req.date, doff);
    if p.date_comment && dabbr.starts_with(|c: char| c.is_ascii_alphabetic()) {
        date_hdr.push_str(&format!(" ({dabbr})"));
    }

    let mut h = Headers::new();
    h.set("Received", received(rng, p, list, domain, req.date));
    let from_hdr = if munged && from_name.is_ascii() {
        // Mailman quotes the rewritten display name.
        format!("\"{from_name}\" <{from_addr}>")
    } else {
        mailbox(&from_name, &from_addr, hdr_cs, b_enc)
    };
    h.set("From", fix_case(from_hdr));
    h.set("To", to_hdr);
    if let Some(cc) = cc_hdr {
        h.set("Cc", cc);
    }
    h.set(
        "Subject",
        fix_case(encode_subject(rng, &subject, hdr_cs, b_enc)),
    );
    h.set("Date", date_hdr);
    h.set("Message-ID", mid.clone());
    if let Some(i) = &irt {
        h.set("In-Reply-To", i.clone());
    }
    if !refs.is_empty() {
        h.set("References", fold_ids(&refs));
    }
    h.set(
        "MIME-Version",
        if p.client == Client::Apple {
            "1.0 (Mac OS X Mail 16.0 \\(3776.700.51\\))".into()
        } else {
            "1.0".into()
        },
    );
    match p.client {
        Client::Outlook => {
            let topic = base_subject(&subject).to_string();
            h.set(
                "Thread-Topic",
                fix_case(encode_subject(rng, &topic, hdr_cs, b_enc)),
            );
            let mut ti = Vec::new();
            rng.fill_bytes(&mut ti, 22);
            h.set("Thread-Index", b64(&ti));
            let lang = content_language(p.locale);
            h.set(
                "Accept-Language",
                if lang == "en-US" {
                    lang.to_string()
                } else {
                    format!("{lang}, en-US")
                },
            );
            h.set("Content-Language", content_language(p.locale).into());
            h.set(
                "X-MS-Has-Attach",
                if has_attachment {
                    "yes".into()
                } else {
                    String::new()
                },
            );
            h.set("X-MS-TNEF-Correlator", String::new());
        }
        Client::Apple => h.set("X-Mailer", "Apple Mail (2.3776.700.51)".into()),
        Client::Thunderbird => {
            h.set(
                "User-Agent",
                [
                    "Mozilla Thunderbird",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101\n Thunderbird/115.3.1",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101\n Thunderbird/128.5.0",
                ][rng.index(3)]
                    .into(),
            );
            h.set("Content-Language", content_language(p.locale).into());
        }
        Client::Notes => h.set(
            "X-Mailer",
            "Lotus Notes Release 9.0.1FP10 SHF383 December 09, 2019".into(),
        ),
        Client::Gmail => {}
    }
    let mut mm = Headers::new();
    if !bare {
        mailman_headers(&mut mm, list);
    }
    if munged {
        mm.set(
            "Reply-To",
            fix_case(mailbox(&p.display, addr, hdr_cs, b_enc)),
        );
    }
    if !bare {
        mm.set("Errors-To", format!("{}-bounces@{}", list.slug, list.host));
        mm.set(
            "Sender",
            format!("\"{}\" <{}-bounces@{}>", list.name, list.slug, list.host),
        );
    }

    let footer = if with_footer {
        Some(list.footer())
    } else {
        None
    };
    let mut body: Vec<u8> = Vec::with_capacity(display.len() + 2048);
    let mut verbatim: Option<(usize, usize)> = None;
    let topts = |allow_flowed: bool, force: Option<Cte>, footer: Option<String>| TextOpts {
        allow_flowed,
        force,
        footer,
    };

    match req.malformed {
        Some(MalKind::NulBytes) => {
            let part = text_part(
                rng,
                p,
                &bodies.lines,
                &topts(false, Some(Cte::EightBit), footer),
            );
            let mut b = part.body;
            let nls: Vec<usize> = b
                .iter()
                .enumerate()
                .filter(|(_, &c)| c == b'\n')
                .map(|(i, _)| i)
                .collect();
            if nls.is_empty() {
                b.extend_from_slice(b"\0\0\0\n");
            } else {
                let k = 1 + rng.index(3);
                let mut positions: Vec<usize> = (0..k).map(|_| nls[rng.index(nls.len())]).collect();
                positions.sort_unstable();
                positions.dedup();
                for &pos in positions.iter().rev() {
                    let run = 1 + rng.index(8);
                    b.splice(pos..pos, std::iter::repeat_n(0u8, run));
                }
            }
            h.set("Content-Type", part.ct);
            h.set("Content-Transfer-Encoding", "8bit".into());
            body = b;
        }
        Some(MalKind::InvalidBase64) => {
            let part = text_part(
                rng,
                p,
                &bodies.lines,
                &topts(false, Some(Cte::Base64), footer),
            );
            let mut b = part.body;
            // Corrupt: a line of prose and punctuation in the middle, and a
            // trailer that is clearly not base64.
            let mid_nl = b.iter().position(|&c| c == b'\n').unwrap_or(0);
            let garbage = "### message body damaged in transit — données corrompues !!! ~~~\n";
            b.splice(mid_nl + 1..mid_nl + 1, garbage.bytes());
            b.extend_from_slice("*** fin du message / end of message ***\n".as_bytes());
            h.set("Content-Type", part.ct);
            h.set("Content-Transfer-Encoding", "base64".into());
            body = b;
        }
        Some(MalKind::HugeBody) => {
            h.set("Content-Type", "text/plain; charset=\"utf-8\"".into());
            h.set("Content-Transfer-Encoding", "8bit".into());
            body = huge_text(rng, req.big_body_bytes);
        }
        Some(MalKind::UnescapedFrom) => {
            let cut = bodies
                .lines
                .iter()
                .position(|l| l.flow)
                .map(|i| i + 1)
                .unwrap_or(bodies.lines.len());
            let (pre, post) = bodies.lines.split_at(cut);
            let intro = match req.lang {
                Lang::En => "Below is the message exactly as it reached me:",
                Lang::Es => "Abajo va el mensaje tal como me llegó:",
                Lang::Pt => "Segue abaixo a mensagem exatamente como chegou:",
                Lang::Fr => "Voici le message tel que je l'ai reçu :",
            };
            let mut pre_lines = pre.to_vec();
            pre_lines.push(Line::blank());
            pre_lines.push(Line::fixed(intro));
            pre_lines.push(Line::blank());
            let mut post_lines = vec![
                Line::fixed(format!("Subject: {}", base_subject(&subject))),
                Line::blank(),
                Line::fixed(text(req.lang).inline[0]),
                Line::blank(),
            ];
            post_lines.extend_from_slice(post);
            let fake_ts = req.date - rng.range(86_400, 200 * 86_400) as i64;
            let fake = format!(
                "From {} {}\n",
                [
                    "someone@example.org",
                    "secretariat@example.net",
                    "noreply@example.com"
                ][rng.index(3)],
                crate::time::asctime(fake_ts)
            );
            let mut b = render_long(&pre_lines).into_bytes();
            let start = b.len();
            b.extend_from_slice(fake.as_bytes());
            let end = b.len();
            b.extend_from_slice(render_long(&post_lines).as_bytes());
            if let Some(f) = &footer {
                b.extend_from_slice(f.as_bytes());
            }
            h.set("Content-Type", "text/plain; charset=\"utf-8\"".into());
            h.set("Content-Transfer-Encoding", "8bit".into());
            verbatim = Some((start, end));
            body = b;
        }
        Some(MalKind::TruncatedMime) => {
            let b1 = boundary(rng, p);
            h.set("Content-Type", multipart_ct(p.client, "mixed", &b1));
            let text = text_part(rng, p, &bodies.lines, &topts(true, None, None));
            body.extend_from_slice(b"This is a multi-part message in MIME format.\n");
            body.extend_from_slice(format!("--{b1}\n").as_bytes());
            write_part_headers(&mut body, &text.ct, Some(text.cte), &[]);
            body.extend_from_slice(&text.body);
            body.push(b'\n');
            let att = attachment(rng, p, req.lang, req.date);
            body.extend_from_slice(format!("--{b1}\n").as_bytes());
            write_part_headers(&mut body, &att.ct, Some(Cte::Base64), &att.headers);
            let mut enc = Vec::new();
            b64_lines(&att.data, &mut enc);
            // Cut mid-line, at a position that is not a multiple of 4.
            let keep_lines = (enc.len() / 77 / 2).max(1);
            let cut = (keep_lines * 77 + 1 + rng.index(70)).min(enc.len().saturating_sub(1));
            let cut = if cut % 77 % 4 == 0 { cut + 1 } else { cut };
            body.extend_from_slice(&enc[..cut.min(enc.len())]);
            body.push(b'\n');
        }
        Some(MalKind::NoHeaders) | None => match shape {
            Shape::Plain => {
                let part = text_part(rng, p, &bodies.lines, &topts(true, None, footer));
                h.set("Content-Type", part.ct);
                h.set("Content-Transfer-Encoding", part.cte.name().into());
                body = part.body;
            }
            Shape::Alternative | Shape::HtmlOnly => {
                let (ct, entity_body, cte) = if shape == Shape::Alternative {
                    let text = text_part(rng, p, &bodies.lines, &topts(true, None, None));
                    let html = html_part(&display, p.client);
                    let (ct, b) = alternative_entity(rng, p, text, html);
                    (ct, b, None)
                } else {
                    let html = html_part(&display, p.client);
                    (html.ct, html.body, Some(html.cte))
                };
                match &footer {
                    Some(f) => {
                        let mb = mailman_boundary(rng);
                        h.set(
                            "Content-Type",
                            format!("multipart/mixed; boundary=\"{mb}\""),
                        );
                        body.extend_from_slice(format!("--{mb}\n").as_bytes());
                        write_part_headers(&mut body, &ct, cte, &[]);
                        body.extend_from_slice(&entity_body);
                        body.push(b'\n');
                        body.extend_from_slice(format!("--{mb}\n").as_bytes());
                        footer_part(&mut body, f);
                        body.extend_from_slice(format!("--{mb}--\n").as_bytes());
                    }
                    None => {
                        h.set("Content-Type", ct);
                        if let Some(c) = cte {
                            h.set("Content-Transfer-Encoding", c.name().into());
                        }
                        body = entity_body;
                    }
                }
            }
            Shape::Attachment { alt } => {
                let b1 = boundary(rng, p);
                let b1 = if b1.starts_with("000000000000") {
                    format!("{b1}x")
                } else {
                    format!("{b1}-m")
                };
                h.set("Content-Type", multipart_ct(p.client, "mixed", &b1));
                if p.client == Client::Thunderbird {
                    body.extend_from_slice(b"This is a multi-part message in MIME format.\n");
                }
                body.extend_from_slice(format!("--{b1}\n").as_bytes());
                if alt {
                    let text = text_part(rng, p, &bodies.lines, &topts(true, None, None));
                    let html = html_part(&display, p.client);
                    let (ct, b) = alternative_entity(rng, p, text, html);
                    write_part_headers(&mut body, &ct, None, &[]);
                    body.extend_from_slice(&b);
                } else {
                    let text = text_part(rng, p, &bodies.lines, &topts(true, None, None));
                    write_part_headers(&mut body, &text.ct, Some(text.cte), &[]);
                    body.extend_from_slice(&text.body);
                }
                body.push(b'\n');
                let att = attachment(rng, p, req.lang, req.date);
                body.extend_from_slice(format!("--{b1}\n").as_bytes());
                write_part_headers(&mut body, &att.ct, Some(Cte::Base64), &att.headers);
                b64_lines(&att.data, &mut body);
                body.push(b'\n');
                if let Some(f) = &footer {
                    body.extend_from_slice(format!("--{b1}\n").as_bytes());
                    footer_part(&mut body, f);
                }
                body.extend_from_slice(format!("--{b1}--\n").as_bytes());
            }
        },
    }

    let mut head = Vec::with_capacity(2500);
    h.write_ordered(client_order(p.client), p.client, &mut head);
    mm.write_ordered(MAILMAN_ORDER, p.client, &mut head);
    head.push(b'\n');
    if !body.is_empty() && !body.ends_with(b"\n") {
        body.push(b'\n');
    }

    let msgref = if req.malformed.is_none() {
        Some(MsgRef {
            id: mid.clone(),
            author: p.id,
            from_name,
            from_addr,
            date: req.date,
            subject,
            to_display,
            cc_display,
            body: clip_lines(&display, BODY_CAP).to_string(),
            paras: bodies.paras,
            refs,
            irt,
        })
    } else {
        None
    };
    Built {
        head,
        body,
        verbatim,
        envelope: addr.clone(),
        date: req.date,
        message_id: Some(mid),
        msgref,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert_eq!(
            base_subject("RE: [Ext] Re: [WG-Strategy] Next steps"),
            "Next steps"
        );
        assert_eq!(base_subject("AW: Fwd: Plan"), "Plan");
        assert_eq!(
            base_subject("Réf. : [IGF-MAG] Ordre du jour"),
            "Ordre du jour"
        );
    }
}
