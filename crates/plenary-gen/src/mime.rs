//! Low-level encoders: charsets, quoted-printable, base64, RFC 2047 encoded
//! words, RFC 2231 parameters and RFC 3676 format=flowed.

use crate::people::Charset;

const HEX: &[u8; 16] = b"0123456789ABCDEF";
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn charset_name(cs: Charset) -> &'static str {
    match cs {
        Charset::Utf8 => "utf-8",
        Charset::Latin1 => "iso-8859-1",
        Charset::Cp1252 => "windows-1252",
    }
}

fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        c if (c as u32) < 0x80 || ((c as u32) >= 0xA0 && (c as u32) <= 0xFF) => c as u32 as u8,
        _ => return None,
    };
    Some(b)
}

/// Encode `s` in `cs`; `None` when some character is not representable.
pub(crate) fn encode_charset(s: &str, cs: Charset) -> Option<Vec<u8>> {
    match cs {
        Charset::Utf8 => Some(s.as_bytes().to_vec()),
        Charset::Latin1 => {
            let mut out = Vec::with_capacity(s.len());
            for c in s.chars() {
                let v = c as u32;
                if v > 0xFF {
                    return None;
                }
                out.push(v as u8);
            }
            Some(out)
        }
        Charset::Cp1252 => {
            let mut out = Vec::with_capacity(s.len());
            for c in s.chars() {
                out.push(cp1252_byte(c)?);
            }
            Some(out)
        }
    }
}

/// Quoted-printable (RFC 2045) with LF line ends and soft breaks at 76.
/// With `escape_from`, a line starting with `From ` is written `=46rom `, as
/// careful encoders do to survive mbox storage.
pub(crate) fn qp_encode(data: &[u8], escape_from: bool, out: &mut Vec<u8>) {
    #[inline]
    fn lit(b: u8) -> bool {
        matches!(b, 33..=60 | 62..=126 | b' ' | b'\t')
    }
    out.reserve(data.len() + data.len() / 6 + 16);
    let n = data.len();
    let mut col = 0usize;
    let mut line_start = true;
    let mut i = 0usize;
    while i < n {
        let b = data[i];
        if b == b'\n' {
            out.push(b'\n');
            col = 0;
            line_start = true;
            i += 1;
            continue;
        }
        let from_escape = escape_from && line_start && data[i..].starts_with(b"From ");
        line_start = false;
        if !from_escape {
            // Longest run of bytes that may stay literal.
            let mut j = i;
            while j < n && lit(data[j]) {
                j += 1;
            }
            let mut end = j;
            if (j == n || data[j] == b'\n') && end > i && matches!(data[end - 1], b' ' | b'\t') {
                end -= 1; // whitespace before a line end must be encoded
            }
            let mut pos = i;
            while pos < end {
                if col >= 75 {
                    out.extend_from_slice(b"=\n");
                    col = 0;
                }
                let take = (75 - col).min(end - pos);
                out.extend_from_slice(&data[pos..pos + take]);
                col += take;
                pos += take;
            }
            i = end;
            if i >= n || data[i] == b'\n' {
                continue;
            }
        }
        // One encoded byte.
        let b = data[i];
        let at_eol = i + 1 == n || data[i + 1] == b'\n';
        if col + 3 > if at_eol { 76 } else { 75 } {
            out.extend_from_slice(b"=\n");
            col = 0;
        }
        out.extend_from_slice(&[b'=', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
        col += 3;
        i += 1;
    }
}

fn b64_chunk(chunk: &[u8], out: &mut Vec<u8>) {
    let b0 = chunk[0] as u32;
    let b1 = chunk.get(1).copied().unwrap_or(0) as u32;
    let b2 = chunk.get(2).copied().unwrap_or(0) as u32;
    let n = (b0 << 16) | (b1 << 8) | b2;
    out.push(B64[(n >> 18) as usize & 63]);
    out.push(B64[(n >> 12) as usize & 63]);
    out.push(if chunk.len() > 1 {
        B64[(n >> 6) as usize & 63]
    } else {
        b'='
    });
    out.push(if chunk.len() > 2 {
        B64[n as usize & 63]
    } else {
        b'='
    });
}

/// Base64 without line breaks.
pub(crate) fn b64(data: &[u8]) -> String {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        b64_chunk(chunk, &mut out);
    }
    // Only ASCII bytes were pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// Base64 body with 76-character lines, each ending in LF.
pub(crate) fn b64_lines(data: &[u8], out: &mut Vec<u8>) {
    out.reserve(data.len() / 3 * 4 + data.len() / 57 + 4);
    for line in data.chunks(57) {
        for chunk in line.chunks(3) {
            b64_chunk(chunk, out);
        }
        out.push(b'\n');
    }
}

fn q_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'!' | b'*' | b'+' | b'-' | b'/')
}

/// RFC 2047 encoding of a header phrase or text, folded into encoded words of
/// at most 75 characters joined by `\n `.  `b_encoding` picks `B` over `Q`.
/// Falls back to utf-8 when `cs` cannot represent the text.
pub(crate) fn encode_words(text: &str, cs: Charset, b_encoding: bool) -> String {
    let cs = if encode_charset(text, cs).is_some() {
        cs
    } else {
        Charset::Utf8
    };
    let name = match (cs, b_encoding) {
        (Charset::Utf8, false) => "utf-8?Q",
        (Charset::Utf8, true) => "utf-8?B",
        (Charset::Latin1, false) => "iso-8859-1?Q",
        (Charset::Latin1, true) => "iso-8859-1?B",
        (Charset::Cp1252, false) => "windows-1252?Q",
        (Charset::Cp1252, true) => "windows-1252?B",
    };
    let overhead = name.len() + 6; // "=?" name "?" ... "?="
    let budget = 75 - overhead;
    let mut words: Vec<String> = Vec::new();
    let mut cur_bytes: Vec<u8> = Vec::new();
    let mut cur_len = 0usize;
    let mut buf = [0u8; 4];
    let flush = |bytes: &mut Vec<u8>, words: &mut Vec<String>| {
        if bytes.is_empty() {
            return;
        }
        let payload = if b_encoding {
            b64(bytes)
        } else {
            let mut s = String::new();
            for &b in bytes.iter() {
                if b == b' ' {
                    s.push('_');
                } else if q_safe(b) {
                    s.push(b as char);
                } else {
                    s.push('=');
                    s.push(HEX[(b >> 4) as usize] as char);
                    s.push(HEX[(b & 15) as usize] as char);
                }
            }
            s
        };
        words.push(format!("=?{name}?{payload}?="));
        bytes.clear();
    };
    for c in text.chars() {
        let bytes: Vec<u8> = match cs {
            Charset::Utf8 => c.encode_utf8(&mut buf).as_bytes().to_vec(),
            _ => encode_charset(c.encode_utf8(&mut buf), cs).unwrap_or_default(),
        };
        let add = if b_encoding {
            // Length is computed on the whole chunk below.
            0
        } else {
            bytes
                .iter()
                .map(|&b| if b == b' ' || q_safe(b) { 1 } else { 3 })
                .sum()
        };
        let fits = if b_encoding {
            (cur_bytes.len() + bytes.len()).div_ceil(3) * 4 <= budget
        } else {
            cur_len + add <= budget
        };
        if !fits {
            flush(&mut cur_bytes, &mut words);
            cur_len = 0;
        }
        cur_bytes.extend_from_slice(&bytes);
        cur_len += add;
    }
    flush(&mut cur_bytes, &mut words);
    words.join("\n ")
}

/// A display name ready for a From/To header: bare if it is a plain atom
/// sequence, quoted if it has specials, RFC 2047 encoded if non-ASCII.
pub(crate) fn display_name(name: &str, cs: Charset, b_encoding: bool) -> String {
    if !name.is_ascii() {
        return encode_words(name, cs, b_encoding);
    }
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '!' | '*' | '+' | '/' | '_'))
    {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A mailbox `Name <addr>` with the name prepared by [`display_name`].
pub(crate) fn mailbox(name: &str, addr: &str, cs: Charset, b_encoding: bool) -> String {
    format!("{} <{}>", display_name(name, cs, b_encoding), addr)
}

/// RFC 2231 extended parameter value: `utf-8''Contribui%C3%A7%C3%A3o.pdf`.
pub(crate) fn rfc2231(value: &str) -> String {
    let mut s = String::from("utf-8''");
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            s.push(b as char);
        } else {
            s.push('%');
            s.push(HEX[(b >> 4) as usize] as char);
            s.push(HEX[(b & 15) as usize] as char);
        }
    }
    s
}

/// Greedy word wrap of one paragraph at `width` characters.  Returns the
/// pieces *with* the separating space kept at the end of each piece but the
/// last, which is exactly what format=flowed needs.
pub(crate) fn wrap_pieces(text: &str, width: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0usize;
    let mut last_space: Option<usize> = None;
    let mut col = 0usize;
    for (i, c) in text.char_indices() {
        if c == ' ' {
            last_space = Some(i);
        }
        col += 1;
        if col > width {
            if let Some(sp) = last_space.filter(|&sp| sp > start) {
                pieces.push(&text[start..=sp]);
                start = sp + 1;
                col = text[start..i + c.len_utf8()].chars().count();
                last_space = None;
            }
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// Does this (unquoted) line need RFC 3676 space-stuffing?
pub(crate) fn needs_stuffing(line: &str) -> bool {
    line.starts_with(' ') || line.starts_with("From ") || line.starts_with('>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qp_roundtrip_shape() {
        let mut out = Vec::new();
        let text = "Olá, ça va? ".repeat(20) + "\nFrom here on \nend=";
        qp_encode(text.as_bytes(), true, &mut out);
        let s = String::from_utf8(out).unwrap_or_default();
        for l in s.lines() {
            assert!(l.len() <= 76, "{l}");
            assert!(!l.ends_with(' '));
        }
        assert!(s.contains("\n=46rom here on=20\n"));
        assert!(s.ends_with("end=3D"));
    }

    fn qp_decode(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        while i < data.len() {
            if data[i] == b'=' {
                if data.get(i + 1) == Some(&b'\n') {
                    i += 2;
                    continue;
                }
                let a = data.get(i + 1).and_then(|&c| hex(c));
                let b = data.get(i + 2).and_then(|&c| hex(c));
                if let (Some(a), Some(b)) = (a, b) {
                    out.push(a * 16 + b);
                    i += 3;
                    continue;
                }
            }
            out.push(data[i]);
            i += 1;
        }
        out
    }

    #[test]
    fn qp_roundtrips_random_text() {
        let mut rng = crate::rng::Rng::new(9);
        let alphabet: Vec<u8> = b"abc XYZ=\t\nFrom \xC3\xA9\x00\xFF.>-_".to_vec();
        for round in 0..300 {
            let len = rng.index(400);
            let mut data: Vec<u8> = (0..len).map(|_| *rng.pick(&alphabet)).collect();
            if round % 3 == 0 {
                data.extend_from_slice(b"\nFrom the top \n");
            }
            let mut enc = Vec::new();
            qp_encode(&data, round % 2 == 0, &mut enc);
            for l in enc.split(|&b| b == b'\n') {
                assert!(l.len() <= 76, "{}", String::from_utf8_lossy(l));
                assert!(!l.ends_with(b" ") && !l.ends_with(b"\t"));
                assert!(l.iter().all(|&b| (32..127).contains(&b) || b == b'\t'));
                if round % 2 == 0 {
                    assert!(!l.starts_with(b"From "));
                }
            }
            assert_eq!(qp_decode(&enc), data, "round {round}");
        }
    }

    #[test]
    fn encoded_words() {
        assert_eq!(
            encode_words("José Pérez", Charset::Utf8, false),
            "=?utf-8?Q?Jos=C3=A9_P=C3=A9rez?="
        );
        assert_eq!(
            encode_words("José", Charset::Latin1, true),
            "=?iso-8859-1?B?Sm9z6Q==?="
        );
        let long = encode_words(&"Conceição ".repeat(12), Charset::Utf8, false);
        for w in long.split("\n ") {
            assert!(w.len() <= 75, "{w}");
        }
        assert_eq!(b64(b"hello"), "aGVsbG8=");
        assert_eq!(
            display_name("Neves, Ana", Charset::Utf8, false),
            "\"Neves, Ana\""
        );
    }

    #[test]
    fn wrapping_keeps_spaces_for_flowed() {
        let p = wrap_pieces("aaa bbb ccc ddd", 8);
        assert_eq!(p, vec!["aaa bbb ", "ccc ddd"]);
        assert_eq!(p.concat(), "aaa bbb ccc ddd");
    }
}
