//! Code and console transcripts that look like quotes: R's `> x <- c(1, 2)`
//! prompt, Python's `>>> import x`, a diff's `> new line`, pasted into a
//! message's own text. Each line is read on its own (fully unquoted content,
//! bounded work per line); [`Ctx`](crate::analyze) decides whether a `>` run
//! without attribution is such a block.

/// What one line's content looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Source or a command: `x <- f(1)`, `library(foo)`, `import os`,
    /// `R CMD check`, `diff -u a b`, `SQL> select …`.
    Code,
    /// What a console prints: `[1] 0.5`, `Error in f(x) :`, `Warning
    /// message:`, `Traceback (most recent call last):`.
    Output,
    /// A sentence: four words or more, mostly letters, no code signal.
    Prose,
    /// A comment (`# …`, `// …`): code's company, no evidence either way.
    Comment,
    /// Anything else (short lines, numbers, punctuation).
    Neutral,
}

/// Command lines pasted from a shell.
const COMMANDS: &[&str] = &[
    "R CMD ",
    "Rscript ",
    "sudo ",
    "git ",
    "pip install ",
    "python ",
    "python3 ",
    "apt-get install ",
    "brew install ",
    "./configure",
    "make ",
    "cd ",
    "export ",
    "twistd ",
    "trial ",
    "apt ",
    "dnf ",
    "yum ",
    "telnet ",
    "curl -",
    "wget http",
];

/// Lines longer than this are prose (no feature is computed).
const MAX_LINE: usize = 1000;

/// Classify a line's fully unquoted, trimmed content.
pub(crate) fn line_kind(t: &str) -> LineKind {
    let t = t.trim();
    if t.is_empty() {
        return LineKind::Neutral;
    }
    if t.len() > MAX_LINE {
        return LineKind::Prose;
    }
    // Python's continuation prompt and pipermail's `?` for a non-breaking space
    let t = t.strip_prefix("...").map_or(t, str::trim_start);
    let t = t.trim_start_matches(['?', ' ', '\u{a0}']);
    if t.is_empty() {
        return LineKind::Neutral;
    }
    if is_output(t) {
        return LineKind::Output;
    }
    if is_code(t) {
        return LineKind::Code;
    }
    if t.starts_with('#') || t.starts_with("//") {
        // a root shell's prompt: `# apt install r-base-dev`
        let cmd = t[1..].trim_start();
        if t.starts_with("# ") && COMMANDS.iter().any(|c| cmd.starts_with(c)) {
            return LineKind::Code;
        }
        return LineKind::Comment;
    }
    let words = t.split_whitespace().count();
    let non_space = t.chars().filter(|c| !c.is_whitespace()).count();
    let letters = t
        .chars()
        .filter(|c| c.is_alphabetic() || matches!(c, '\'' | ',' | '.' | '’' | '-'))
        .count();
    if words >= 4 && letters * 4 >= non_space * 3 {
        LineKind::Prose
    } else {
        LineKind::Neutral
    }
}

/// An identifier as R and Python write them: letters, digits, `_`, `.`.
fn ident_len(b: &[u8]) -> usize {
    b.iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        .count()
}

/// A name that may be called: identifiers joined by `::`, `:::`, `$`, `@`.
fn callee_len(b: &[u8]) -> usize {
    let mut p = 0;
    loop {
        let n = ident_len(&b[p..]);
        if n == 0 {
            return p;
        }
        p += n;
        let rest = &b[p..];
        let sep = if rest.starts_with(b":::") {
            3
        } else if rest.starts_with(b"::") {
            2
        } else if rest.starts_with(b"$") || rest.starts_with(b"@") {
            1
        } else {
            return p;
        };
        p += sep;
    }
}

fn starts_with_word(t: &str, w: &str) -> bool {
    t.strip_prefix(w)
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// Console output of R or Python.
fn is_output(t: &str) -> bool {
    if let Some(rest) = vector_index(t) {
        // `[1] 0.5`, `[1] TRUE FALSE`, `[1] "a" "b"`; not a footnote `[1] https://…`
        return rest.split_whitespace().all(|w| {
            w.starts_with('"')
                || w.starts_with('\'')
                || matches!(
                    w,
                    "TRUE" | "FALSE" | "NA" | "NaN" | "Inf" | "-Inf" | "NULL" | "<NA>"
                )
                || w.bytes().all(|c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'%' | b',')
                })
        });
    }
    // a named logical vector's values, below its names (`libcurl` / `TRUE`)
    let mut values = t.split_whitespace();
    if values.clone().count() <= 12 && values.all(|w| matches!(w, "TRUE" | "FALSE" | "NA")) {
        return true;
    }
    const STARTS: &[&str] = &[
        "Error in ",
        "Error: ",
        "Warning message:",
        "Warning messages:",
        "Warning: unable to ",
        "Warning: package ",
        "In addition: Warning",
        "Execution halted",
        "Traceback (most recent call last):",
        "Calls: ",
        // R's debugger and crash report: `Called from: f()`, `debug at #4: x <- 1`,
        // ` *** caught segfault ***`
        "Called from: ",
        "debug at ",
        "debugging in: ",
        "exiting from: ",
        "*** caught segfault ***",
        "*** caught bus error ***",
        // R CMD check and build
        "* checking ",
        "* using log directory",
        "* using R version",
        "* using platform",
        "* this is package ",
        "* installing ",
        "* preparing ",
        "* building ",
        "* creating vignettes",
        "* DONE",
    ];
    if STARTS.iter().any(|s| t.starts_with(s)) {
        return true;
    }
    // R's browser prompt: `Browse[2]> n`
    if let Some(rest) = t.strip_prefix("Browse[") {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 && rest[n..].starts_with("]>") {
            return true;
        }
    }
    // what telnet prints on connecting: `Trying 127.0.0.1...`, `Connected to
    // localhost.`, `Escape character is '^]'.`
    if t.strip_prefix("Trying ")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == ':'))
        || (t.starts_with("Connected to ") && t.split_whitespace().count() == 3)
        || t.starts_with("Escape character is ")
    {
        return true;
    }
    // `sessionInfo()`'s report
    const SESSION: &[&str] = &[
        "R version ",
        "R Under development",
        "Platform: ",
        "Running under: ",
        "Matrix products: ",
        "locale:",
        "attached base packages:",
        "other attached packages:",
        "loaded via a namespace",
    ];
    if SESSION.iter().any(|s| t.starts_with(s)) && t.len() <= 120 {
        return true;
    }
    // valgrind's `==9861== Invalid read of size 8`
    if let Some(rest) = t.strip_prefix("==") {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 && rest[n..].starts_with("==") {
            return true;
        }
    }
    // `traceback()`'s `13: execCallbacks(timeoutSecs, all, loop$id)`
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    if n > 0 && t[n..].starts_with(": ") {
        let call = &t[n + 2..];
        let m = callee_len(call.as_bytes());
        if m > 0 && call[m..].starts_with('(') {
            return true;
        }
    }
    // R's `In f(x) :` under a warning; Python's `File "x.py", line 3, in f`
    if let Some(rest) = t.strip_prefix("In ") {
        let n = callee_len(rest.as_bytes());
        if n > 0 && rest[n..].starts_with('(') && t.ends_with(':') && t.len() <= 200 {
            return true;
        }
    }
    if t.starts_with("File \"") && t.contains("\", line ") {
        return true;
    }
    // `NameError: name 'x' is not defined`
    if let Some((head, _)) = t.split_once(": ") {
        let h = head.as_bytes();
        if (head.ends_with("Error") || head.ends_with("Exception"))
            && !h.is_empty()
            && ident_len(h) == h.len()
            && h[0].is_ascii_uppercase()
        {
            return true;
        }
    }
    false
}

/// What follows `[12]` at the start of a line.
fn vector_index(t: &str) -> Option<&str> {
    let rest = t.strip_prefix('[')?;
    let close = rest.find(']')?;
    let (n, after) = (&rest[..close], &rest[close + 1..]);
    (!n.is_empty() && n.len() <= 7 && n.bytes().all(|c| c.is_ascii_digit())).then_some(after)
}

/// Source code or a command line.
fn is_code(t: &str) -> bool {
    let b = t.as_bytes();
    let words = t.split_whitespace().count();
    // a sentence that starts with a name (`tools::foo() is no longer silent.`)
    if words >= 6 && t.ends_with(['.', '?', '!']) && !t.ends_with("...") {
        return false;
    }
    // prompts: SQL consoles, shells, IPython
    const PROMPTS: &[&str] = &["SQL> ", "mysql> ", "sqlite> ", "postgres=# ", "postgres=> "];
    if PROMPTS
        .iter()
        .any(|p| t.len() > p.len() && t.starts_with(p))
    {
        return true;
    }
    if let Some(rest) = t.strip_prefix("$ ") {
        if rest.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '.' | '/' | '_')) {
            return true;
        }
    }
    // IPython's `In [3]: x = 1`
    if let Some(rest) = t.strip_prefix("In [") {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 && rest[n..].starts_with("]: ") {
            return true;
        }
    }
    // `user@host:~/src$ make`, `root@host:/# apt install r-base`
    if let Some((head, _)) = t.split_once(['$', '#']) {
        if !head.contains(' ') && head.contains('@') && head.contains(':') {
            return true;
        }
    }
    // patches and diffs
    const DIFF: &[&str] = &[
        "diff -",
        "diff --git ",
        "--- a/",
        "+++ b/",
        "@@ -",
        "Index: ",
        "index ",
    ];
    if DIFF.iter().any(|d| t.starts_with(d)) && !t.ends_with('.') {
        return true;
    }
    // commands
    if COMMANDS.iter().any(|c| t.starts_with(c))
        && !t.ends_with(['.', '?', '!'])
        && (words <= 6 || t.contains(" -") || t.contains('/'))
    {
        return true;
    }
    if t == "make" || t == "}" || t == "{" || t == "})" || t == ")" {
        return true;
    }
    // Python
    if starts_with_word(t, "import") && !t.ends_with(['.', '?', '!']) {
        let rest = &t[6..];
        if rest
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b',' | b' ' | b'*'))
            && rest.split_whitespace().count() <= 6
        {
            return true;
        }
    }
    if let Some(rest) = t.strip_prefix("from ") {
        let n = ident_len(rest.as_bytes());
        if n > 0 && rest[n..].starts_with(" import ") {
            return true;
        }
    }
    let block_head = ["for ", "if ", "elif ", "while ", "with "]
        .iter()
        .any(|k| t.starts_with(k))
        && t.ends_with(':')
        && (t.contains(['(', '[', '_']) || t.contains("=="));
    if block_head || matches!(t, "try:" | "else:" | "except:" | "finally:") {
        return true;
    }
    if (t.starts_with("def ") || t.starts_with("class ")) && t.ends_with(':') && t.contains('(')
        || t.starts_with("print \"")
        || t.starts_with("print '")
    {
        return true;
    }
    // R (and C-like) control flow, blocks
    if t.starts_with("if (")
        || t.starts_with("for (")
        || t.starts_with("while (")
        || t.starts_with("} else")
        || t.starts_with("}")
        || t.ends_with('{')
    {
        return true;
    }
    if t.contains("function(")
        || t.contains("<- function")
        || t.contains("= function")
        || has_arrow(b)
    {
        return true;
    }
    // a call or an assignment starting the line: `library(x)`, `str(aaa)`,
    // `tools::compactPDF(…)`, `db = available.packages(…)`, `x[2] <- 3`
    let start = usize::from(b[0] == b'!');
    let n = callee_len(&b[start..]);
    if n > 0 {
        let rest = &t[start + n..];
        // a call ends the line, or opens one that goes on below
        if rest.starts_with('(')
            && (t.ends_with([')', ',', '(', '{', '[', ';', '+', '=', '|', '>', '"', '\''])
                || t.contains(" #"))
        {
            return true;
        }
        let rest = rest.trim_start_matches(|c: char| c == '[' || c == ']' || c.is_ascii_digit());
        let r = rest.trim_start();
        if r.starts_with('=') && !r.starts_with("==") {
            let v = r[1..].trim_start();
            let vb = v.as_bytes();
            // the value: a call, a number, a string, a vector
            let m = callee_len(vb);
            if v.starts_with(['"', '\'', '[', '{', '('])
                || vb.first().is_some_and(u8::is_ascii_digit)
                || m > 0 && v[m..].starts_with('(')
            {
                return true;
            }
        }
    }
    false
}

/// R's assignment arrow `<-` / `<<-`, not an ASCII arrow `<--` or `<->`.
fn has_arrow(b: &[u8]) -> bool {
    b.windows(2).enumerate().any(|(k, w)| {
        w == b"<-"
            && b.get(k + 2).is_none_or(|&c| c != b'-' && c != b'>')
            && k > 0
            && (b[k - 1].is_ascii_alphanumeric() || matches!(b[k - 1], b' ' | b')' | b']' | b'<'))
    })
}

/// A diff's own lines around a `>` run: `---` between `<` and `>` lines, a
/// normal diff's `3c3,4`, a hunk header, `< old line`.
pub(crate) fn is_diff_marker(t: &str) -> bool {
    let t = t.trim();
    if t == "---" || t.starts_with("< ") || t.starts_with("@@ -") {
        return true;
    }
    // `12c12`, `3,4d3`, `7a8,9`
    let b = t.as_bytes();
    let Some(k) = b.iter().position(|c| matches!(c, b'a' | b'c' | b'd')) else {
        return false;
    };
    let range = |s: &[u8]| {
        !s.is_empty()
            && s.len() <= 15
            && s.iter().all(|c| c.is_ascii_digit() || *c == b',')
            && s.first().is_some_and(u8::is_ascii_digit)
            && s.last().is_some_and(u8::is_ascii_digit)
    };
    range(&b[..k]) && range(&b[k + 1..])
}

/// git format-patch's first line: `From <40 hex> Mon Sep 17 00:00:00 2001`.
pub(crate) fn is_patch_from(t: &str) -> bool {
    let Some(rest) = t.trim().strip_prefix("From ") else {
        return false;
    };
    let b = rest.as_bytes();
    b.len() > 41 && b[..40].iter().all(u8::is_ascii_hexdigit) && b[40] == b' '
}

#[cfg(test)]
mod tests {
    use super::*;
    use LineKind::*;

    #[test]
    fn r_lines() {
        for t in [
            "x <- c(1, 2)",
            "rbinom(1, 3, Inf)",
            "library(devtools)",
            "tools::compactPDF(gs_quality = \"ebook\", \"a.pdf\")",
            "db = available.packages(repos = \"https://cloud.r-project.org\")",
            "f <- function(z, ...) match.call()",
            "aaa[[1]][[1]] <- expression(base::c)[[1]]",
            "for (i in 1:10) {",
            "}",
            "benbad<-function(x, y){",
            "R CMD check --as-cran foo_1.0.tar.gz",
            "!is.null(x)",
        ] {
            assert_eq!(line_kind(t), Code, "{t}");
        }
        for t in [
            "[1] 0.5",
            "[1] TRUE FALSE NA",
            "[1] \"a\" \"b\"",
            "[13]  1.2 -3.4e-5",
            "Error in rbinom(1, 3, Inf) : invalid arguments",
            "Warning message:",
            "In file.remove(\"x\") :",
            "==9861== Invalid read of size 8",
            "13: execCallbacks(timeoutSecs, all, loop$id)",
            "R version 4.5.1 (2025-06-13)",
            "    TRUE",
            "TRUE FALSE  NA",
            "Trying 127.0.0.1...",
            "Connected to localhost.",
            "Called from: my_load_dll()",
            "Browse[2]> n",
            "debug at #4: package <- pkg_name(path)",
            "*** caught segfault ***",
            "Warning: unable to access index for repository",
            "* using log directory 'C:/Users/x/pkg.Rcheck'",
            "* checking for file 'pkg/DESCRIPTION' ... OK",
        ] {
            assert_eq!(line_kind(t), Output, "{t}");
        }
    }

    #[test]
    fn python_shell_sql() {
        for t in [
            "import os, sys",
            "from twisted.web import server",
            "... print(x)",
            "for i in range(2):",
            "def render(self, request):",
            "$ make check",
            "# apt install r-base-dev",
            "ana@laptop:~/src$ ls -l",
            "SQL> select * from dual;",
            "mysql> show tables;",
            "postgres=# \\dt",
            "diff --git a/R/foo.R b/R/foo.R",
            "--- a/R/foo.R",
            "@@ -1,3 +1,4 @@",
        ] {
            assert_eq!(line_kind(t), Code, "{t}");
        }
        assert_eq!(line_kind("Traceback (most recent call last):"), Output);
        assert_eq!(line_kind("NameError: name 'x' is not defined"), Output);
        assert!(is_diff_marker("274c274,279"));
        assert!(is_diff_marker("---"));
        assert!(!is_diff_marker("cat"));
        assert!(is_patch_from(
            "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001"
        ));
    }

    #[test]
    fn prose_is_not_code() {
        for t in [
            "I think the function (foo) is broken here.",
            "Use library(foo) instead of require.",
            "[1] https://cran.r-project.org/web/packages/policies.html",
            "[2] See the manual, section 1.5.",
            "import the data first, then run the check.",
            "From the docs, it is not clear to me.",
            "if you want, I can send the tarball",
            "for example in this case:",
            "A <-- B is how the arrow goes",
            "Thanks (again) for the help",
            "$ 100 is the fee",
            "exportPattern(\"^[[:alpha:]]+\") means",
            "tools::testInstalledPackage() is no longer silent about failures.",
            "R CMD check etc now warn when a package exports non-existing classes",
            "In [the] draft, we said so",
            "In my opinion (see below):",
            "we did this (twice);",
        ] {
            assert_ne!(line_kind(t), Code, "{t}");
            assert_ne!(line_kind(t), Output, "{t}");
        }
        assert_eq!(
            line_kind("I would like to submit my package to CRAN."),
            Prose
        );
    }
}
