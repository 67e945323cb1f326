//! Text analysis shared by indexing, querying and snippets.
//!
//! Every text field is indexed twice: *folded* (lower-cased, accents folded,
//! no stemming; with positions, for phrases and exact words) and *stemmed*
//! with the stemmer of the document's detected language. A query word is
//! stemmed with every supported language's stemmer and matched against the
//! stemmed field, so `cooperação` (Portuguese stem `cooper`) meets
//! `cooperation` (English stem `cooper`) and `coopération`. Chinese, Japanese
//! and Korean runs have no word boundaries here: they become overlapping
//! character bigrams, the usual segmenter-free approach.

use std::collections::HashSet;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token,
};

/// Languages with a stemmer here, plus Chinese (bigrams) and anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// Portuguese.
    Pt,
    /// German.
    De,
    /// Italian.
    It,
    /// Russian.
    Ru,
    /// Arabic.
    Ar,
    /// Chinese (indexed as character bigrams, no stemmer).
    Zh,
    /// Undetermined or another language: folded words, no stemmer.
    Other,
}

/// The languages whose stemmers a query word goes through.
pub(crate) const STEMMED: [Lang; 8] = [
    Lang::En,
    Lang::Es,
    Lang::Fr,
    Lang::Pt,
    Lang::De,
    Lang::It,
    Lang::Ru,
    Lang::Ar,
];

impl Lang {
    /// ISO 639-1 code (`und` for [`Lang::Other`]).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
            Lang::De => "de",
            Lang::It => "it",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
            Lang::Zh => "zh",
            Lang::Other => "und",
        }
    }

    /// The language of an ISO 639-1 code ([`Lang::Other`] when not one of ours).
    pub fn from_code(code: &str) -> Lang {
        match code {
            "en" => Lang::En,
            "es" => Lang::Es,
            "fr" => Lang::Fr,
            "pt" => Lang::Pt,
            "de" => Lang::De,
            "it" => Lang::It,
            "ru" => Lang::Ru,
            "ar" => Lang::Ar,
            "zh" => Lang::Zh,
            _ => Lang::Other,
        }
    }

    fn stemmer(self) -> Option<Language> {
        Some(match self {
            Lang::En => Language::English,
            Lang::Es => Language::Spanish,
            Lang::Fr => Language::French,
            Lang::Pt => Language::Portuguese,
            Lang::De => Language::German,
            Lang::It => Language::Italian,
            Lang::Ru => Language::Russian,
            Lang::Ar => Language::Arabic,
            Lang::Zh | Lang::Other => return None,
        })
    }
}

/// The language of a text, from its first thousand bytes or so. Short or
/// mixed texts are unreliable: those get `Other` (folded words only) unless
/// the script alone decides (Han → Chinese, Arabic, Cyrillic → Russian).
pub fn detect(text: &str) -> Lang {
    // Detection is the costliest step of indexing; a paragraph is enough.
    let mut end = text.len().min(1200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    // Only the languages we can analyse are candidates: other Latin-script
    // languages would be treated as `Other` anyway, and fewer candidates
    // make detection several times cheaper.
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        whatlang::Detector::with_allowlist(vec![
            whatlang::Lang::Eng,
            whatlang::Lang::Spa,
            whatlang::Lang::Fra,
            whatlang::Lang::Por,
            whatlang::Lang::Deu,
            whatlang::Lang::Ita,
            whatlang::Lang::Rus,
            whatlang::Lang::Ara,
            whatlang::Lang::Cmn,
        ])
    });
    let Some(info) = detector.detect(sample) else {
        return Lang::Other;
    };
    let by_script = match info.script() {
        whatlang::Script::Mandarin => Some(Lang::Zh),
        whatlang::Script::Arabic => Some(Lang::Ar),
        whatlang::Script::Cyrillic => Some(Lang::Ru),
        _ => None,
    };
    if let Some(l) = by_script {
        return l;
    }
    if info.confidence() < 0.2 && sample.len() < 40 {
        return Lang::Other;
    }
    match info.lang() {
        whatlang::Lang::Eng => Lang::En,
        whatlang::Lang::Spa => Lang::Es,
        whatlang::Lang::Fra => Lang::Fr,
        whatlang::Lang::Por => Lang::Pt,
        whatlang::Lang::Deu => Lang::De,
        whatlang::Lang::Ita => Lang::It,
        whatlang::Lang::Rus => Lang::Ru,
        whatlang::Lang::Ara => Lang::Ar,
        whatlang::Lang::Cmn => Lang::Zh,
        _ => Lang::Other,
    }
}

/// The analyzers one indexing thread or one query needs.
#[derive(Clone)]
pub(crate) struct Analyzers {
    folded: TextAnalyzer,
    stemmers: Vec<(Lang, TextAnalyzer)>,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers::new()
    }
}

/// Tokens longer than this (base64 runs, URLs without breaks) are dropped.
const LONGEST: usize = 48;

pub(crate) fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

impl Analyzers {
    pub(crate) fn new() -> Analyzers {
        let stemmers = STEMMED
            .iter()
            .filter_map(|l| {
                l.stemmer().map(|s| {
                    (
                        *l,
                        TextAnalyzer::builder(SimpleTokenizer::default())
                            .filter(RemoveLongFilter::limit(LONGEST))
                            .filter(LowerCaser)
                            .filter(Stemmer::new(s))
                            .filter(AsciiFoldingFilter)
                            .build(),
                    )
                })
            })
            .collect();
        Analyzers {
            folded: folded_analyzer(),
            stemmers,
        }
    }

    /// Folded tokens with byte offsets and positions.
    pub(crate) fn folded(&mut self, text: &str) -> Vec<Token> {
        run(&mut self.folded, text)
    }

    /// Stemmed tokens of a text in `lang` (folded tokens when it has no stemmer).
    pub(crate) fn stemmed(&mut self, lang: Lang, text: &str) -> Vec<Token> {
        match self.stemmers.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, a)) => run(a, text),
            None => run(&mut self.folded, text),
        }
    }

    /// The stems of one query word in every supported language, plus the
    /// folded word itself (so documents in other languages still match).
    pub(crate) fn query_stems(&mut self, word: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in run(&mut self.folded, word) {
            if !out.contains(&t.text) {
                out.push(t.text);
            }
        }
        if has_cjk(word) {
            return out;
        }
        for (_, a) in &mut self.stemmers {
            for t in run(a, word) {
                if !out.contains(&t.text) {
                    out.push(t.text);
                }
            }
        }
        out
    }
}

/// The registered name of [`LangStemTokenizer`].
pub(crate) const STEM_TOKENIZER: &str = "plenary-stem";

/// Separates a stemmed field's language code from its text (see [`with_lang`]).
const LANG_MARK: char = '\u{1}';

/// A stemmed field's value: the text behind its language's code, so one
/// registered tokenizer stems every document in its own language. (Handing
/// tantivy pre-tokenized values instead costs a JSON round trip per value
/// inside tantivy's document: a third of the index's CPU.)
pub(crate) fn with_lang(lang: Lang, text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 4);
    s.push_str(lang.code());
    s.push(LANG_MARK);
    s.push_str(text);
    s
}

fn split_lang(text: &str) -> (Lang, &str) {
    match text.get(..4).and_then(|head| head.find(LANG_MARK)) {
        Some(i) => (
            Lang::from_code(&text[..i]),
            &text[i + LANG_MARK.len_utf8()..],
        ),
        None => (Lang::Other, text),
    }
}

/// The folded analysis with CJK bigrams, as a tantivy tokenizer: what every
/// folded field is indexed with.
#[derive(Clone, Default)]
pub(crate) struct FoldedTokenizer(Analyzers);

/// Stems a [`with_lang`] value with its language's stemmer.
#[derive(Clone, Default)]
pub(crate) struct LangStemTokenizer(Analyzers);

impl tantivy::tokenizer::Tokenizer for FoldedTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens::new(self.0.folded(text))
    }
}

impl tantivy::tokenizer::Tokenizer for LangStemTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let (lang, text) = split_lang(text);
        Tokens::new(self.0.stemmed(lang, text))
    }
}

/// Tokens already made, handed out one by one.
pub(crate) struct Tokens {
    tokens: Vec<Token>,
    /// One past the current token (0 before the first `advance`).
    next: usize,
    none: Token,
}

impl Tokens {
    fn new(tokens: Vec<Token>) -> Tokens {
        Tokens {
            tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

impl tantivy::tokenizer::TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        self.next
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.none)
    }
    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.none,
        }
    }
}

fn run(a: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut stream = a.token_stream(text);
    let mut position = 0;
    while let Some(t) = stream.next() {
        if has_cjk(&t.text) {
            for g in bigrams(&t.text) {
                out.push(Token {
                    offset_from: t.offset_from,
                    offset_to: t.offset_to,
                    position,
                    text: g,
                    position_length: 1,
                });
                position += 1;
            }
        } else {
            let mut t = t.clone();
            t.position = position;
            position += 1;
            out.push(t);
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

pub(crate) fn has_cjk(s: &str) -> bool {
    s.chars().any(is_cjk)
}

/// Overlapping character bigrams of a token (a single character stays one).
fn bigrams(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 2 {
        return vec![s.to_string()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// What a snippet highlights: folded words and stems of the query's words.
#[derive(Debug, Default, Clone)]
pub(crate) struct Highlight {
    pub folded: HashSet<String>,
    pub stems: HashSet<String>,
}

impl Highlight {
    pub(crate) fn is_empty(&self) -> bool {
        self.folded.is_empty() && self.stems.is_empty()
    }
}

/// An HTML-escaped extract of `text` around the first place the query
/// matches, with matches wrapped in `<mark>`; `None` when nothing matches.
pub(crate) fn snippet(
    an: &mut Analyzers,
    lang: Lang,
    text: &str,
    hl: &Highlight,
    width: usize,
) -> Option<String> {
    let text = &text[..floor_char_boundary(text, 20_000)];
    // Exact (folded) words first; the stemmer runs only when none is there,
    // which keeps snippets cheap on long texts.
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for t in an.folded(text) {
        if hl.folded.contains(&t.text) {
            hits.push((t.offset_from, t.offset_to));
        }
    }
    if hits.is_empty() && !hl.stems.is_empty() {
        for t in an.stemmed(lang, text) {
            if hl.stems.contains(&t.text) {
                hits.push((t.offset_from, t.offset_to));
            }
        }
    }
    if hits.is_empty() {
        return None;
    }
    hits.sort();
    hits.dedup();
    // Every position below is a byte offset that is moved to a character
    // boundary before it slices: text is any Unicode (no-break and narrow
    // spaces, combining marks, right-to-left scripts), never only ASCII.
    let first = hits[0].0;
    let mut start = floor_char_boundary(text, first.saturating_sub(width / 3));
    if start > 0 {
        // Start after the first whitespace before the hit (a word boundary).
        if let Some((i, c)) = text[start..first]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
        {
            start += i + c.len_utf8();
        }
    }
    let mut stop = floor_char_boundary(text, start.saturating_add(width));
    if stop < text.len() {
        if let Some((i, _)) = text[start..stop]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
        {
            if start + i > first {
                stop = start + i;
            }
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for (a, b) in hits {
        if a < at || b > stop {
            continue;
        }
        escape_into(&mut out, &text[at..a]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[a..b]);
        out.push_str("</mark>");
        at = b;
    }
    escape_into(&mut out, &text[at..stop]);
    if stop < text.len() {
        out.push('…');
    }
    Some(collapse_space(&out))
}

/// The first `width` bytes of a text, escaped, for hits that matched elsewhere.
pub(crate) fn head(text: &str, width: usize) -> String {
    let stop = floor_char_boundary(text, width);
    let mut out = String::new();
    escape_into(&mut out, &text[..stop]);
    if stop < text.len() {
        out.push('…');
    }
    collapse_space(&out)
}

/// The largest character boundary of `text` at or below `at` (the text's
/// length when `at` is past its end); `str::floor_char_boundary` is unstable.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn collapse_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portuguese_and_english_share_a_stem() {
        let mut an = Analyzers::new();
        let pt = an.query_stems("cooperação");
        let en = an.stemmed(Lang::En, "international cooperation");
        assert!(en.iter().any(|t| pt.contains(&t.text)), "{pt:?} vs {en:?}");
    }

    #[test]
    fn folding_lowercases_and_strips_accents() {
        let mut an = Analyzers::new();
        let t: Vec<String> = an
            .folded("Raúl Echeberría, KLEINWÄCHTER")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, ["raul", "echeberria", "kleinwachter"]);
    }

    #[test]
    fn chinese_becomes_bigrams() {
        let mut an = Analyzers::new();
        let t: Vec<String> = an.folded("数字合作").into_iter().map(|t| t.text).collect();
        assert_eq!(t, ["数字", "字合", "合作"]);
        assert_eq!(
            detect("全球数字合作契约是联合国会员国通过的一份文件"),
            Lang::Zh
        );
    }

    #[test]
    fn detects_the_main_languages() {
        assert_eq!(
            detect("The Commission on Science and Technology for Development should continue to be reinforced."),
            Lang::En
        );
        assert_eq!(
            detect("A cooperação digital internacional precisa de um mandato renovado para a comissão."),
            Lang::Pt
        );
        assert_eq!(
            detect("La coopération numérique internationale exige un mandat renouvelé pour la commission."),
            Lang::Fr
        );
    }

    #[test]
    fn snippet_marks_stem_matches_and_escapes() {
        let mut an = Analyzers::new();
        let mut hl = Highlight::default();
        hl.stems.extend(an.query_stems("cooperação"));
        let s = snippet(
            &mut an,
            Lang::En,
            "A <b> governance architecture that balances digital international cooperation and accountability.",
            &hl,
            200,
        )
        .unwrap_or_default();
        assert!(s.contains("<mark>cooperation</mark>"), "{s}");
        assert!(s.contains("&lt;b&gt;"), "{s}");
    }

    /// Characters that broke byte arithmetic before: no-break and narrow
    /// no-break spaces, an ideographic space, combining marks, right-to-left
    /// letters and marks, CJK and an emoji, mixed with plain words.
    fn hostile_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("\u{a0}".to_string()),
            Just("\u{202f}".to_string()),
            Just("\u{3000}".to_string()),
            Just("e\u{301}".to_string()),
            Just("\u{5e9}\u{5dc}\u{5d5}\u{5dd}".to_string()),
            Just("\u{200f}".to_string()),
            Just("\u{645}\u{631}\u{62d}\u{628}\u{627}".to_string()),
            Just("\u{5408}\u{4f5c}".to_string()),
            Just("\u{1f600}".to_string()),
            Just(" ".to_string()),
            "[a-z]{1,8}",
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..120).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn snippets_never_split_a_character(
            before in hostile_text(),
            after in hostile_text(),
            width in 0usize..400,
        ) {
            let mut an = Analyzers::new();
            let mut hl = Highlight::default();
            hl.folded.insert("first".to_string());
            hl.stems.extend(an.query_stems("first"));
            let text = format!("{before}\u{a0}first\u{202f}{after}");
            let s = snippet(&mut an, Lang::En, &text, &hl, width);
            proptest::prop_assert!(s.is_some(), "no snippet for {text:?}");
            let _ = head(&text, width);
        }
    }

    #[test]
    fn snippet_starts_after_a_no_break_space() {
        // The case that panicked on a kernel list: the word boundary before
        // the hit is U+00A0, two bytes wide.
        let mut an = Analyzers::new();
        let mut hl = Highlight::default();
        hl.folded.insert("first".to_string());
        let text = format!("{}\u{a0}x first thing", "word ".repeat(30));
        let s = snippet(&mut an, Lang::En, &text, &hl, 60).unwrap_or_default();
        assert!(s.contains("<mark>first</mark>"), "{s}");
    }
}
