//! Code is not a quote: R and Python consoles, shell and SQL prompts, diffs,
//! patches and mbox's `>From ` escape are the writer's own text when no
//! attribution claims them; prose quotes and attributed quotes of code stay
//! quotes. Bodies written in the shape of real list mail.

use crate::common::{by_author, run};
use plenary_quotes::{analyze, ZoneKind};

/// The body is one message: every zone at depth 0, no attribution, and the
/// top message's text holds `needle`.
fn own_text(body: &str, needle: &str) {
    let a = run(body);
    assert_eq!(a.messages.len(), 1, "{:#?}", a.messages);
    assert!(
        a.zones
            .iter()
            .all(|z| z.depth == 0 && z.kind != ZoneKind::Attribution && z.kind != ZoneKind::Quoted),
        "{:#?}",
        a.zones
    );
    assert!(
        a.messages[0].text.contains(needle),
        "{needle:?} not in {:?}",
        a.messages[0].text
    );
}

#[test]
fn r_console_transcript_is_own_text() {
    let body = "Hi all,\n\nrbinom() gives NA with an infinite size, is that intended?\n\n\
> rbinom(1, 3, Inf)\n[1] NA\nWarning message:\nIn rbinom(1, 3, Inf) : NAs produced\n\
> x <- c(1, 2)\n> mean(x)\n[1] 1.5\n\nThanks,\nJane\n";
    own_text(body, "> rbinom(1, 3, Inf)");
    let a = analyze(body);
    // the prompts keep their marker level in the zones, at depth 0
    assert!(a
        .zones
        .iter()
        .any(|z| z.kind == ZoneKind::NewText && z.quote_level == 1 && z.depth == 0));
    assert!(a.messages[0].text.contains("[1] 1.5"));
}

#[test]
fn r_code_block_and_continuations_are_own_text() {
    own_text(
        "Dear list,\n\nmy vignette fails on win-builder with this chunk:\n\n\
> library(mypkg)\n> fit <- mypkg::fit_model(data = iris, k = 3)\n> plot(fit)\n\n\
It works locally. Any idea?\n\nBest,\nJohn\n",
        "> fit <- mypkg::fit_model(data = iris, k = 3)",
    );
    own_text(
        "Why does this not dispatch?\n\n> f <- function(x) {\n+   UseMethod(\"f\")\n+ }\n> f(1)\n\
Error in UseMethod(\"f\") :\n  no applicable method for 'f' applied to an object of class \"c('double', 'numeric')\"\n",
        "+   UseMethod(\"f\")",
    );
}

#[test]
fn python_session_is_own_text() {
    own_text(
        "The resource renders twice:\n\n>>> from twisted.web import resource\n\
>>> r = resource.Resource()\n>>> r.render(req)\n'<html>'\n>>> for i in range(2):\n\
...     print(i)\n...\n0\n1\n\nIs that expected?\n",
        ">>> from twisted.web import resource",
    );
}

#[test]
fn shell_and_sql_prompts_are_own_text() {
    own_text(
        "Building fails:\n\n> $ R CMD build mypkg\n> $ R CMD check --as-cran mypkg_1.0.tar.gz\n\n\
and then it stops.\n",
        "$ R CMD check --as-cran",
    );
    own_text(
        "On the server:\n\n> ana@buildhost:~/src$ make check\n> ana@buildhost:~/src$ ls -l\n",
        "make check",
    );
    own_text(
        "The table is empty:\n\n> SQL> select count(*) from packages;\n> mysql> show tables;\n",
        "SQL> select count(*)",
    );
}

#[test]
fn format_patch_is_not_a_header_block() {
    own_text(
        "Here is the fix for the vignette.\n\n\
From 3f2a9c1e0b7d4a6f8e5c2b1a0d9e8f7c6b5a4d3e Mon Sep 17 00:00:00 2001\n\
From: Ana Neves <ana@example.org>\nDate: Tue, 22 Jul 2025 17:06:00 +0200\n\
Subject: [PATCH] Build the vignette without network access\n\n---\n vignettes/intro.Rmd | 2 +-\n\
 1 file changed, 1 insertion(+), 1 deletion(-)\n\n\
diff --git a/vignettes/intro.Rmd b/vignettes/intro.Rmd\nindex 1a2b3c4..5d6e7f8 100644\n\
--- a/vignettes/intro.Rmd\n+++ b/vignettes/intro.Rmd\n@@ -1,3 +1,3 @@\n-eval = TRUE\n+eval = FALSE\n",
        "Subject: [PATCH] Build the vignette",
    );
}

#[test]
fn diffs_are_own_text() {
    // a normal diff's `>` lines under its `---`
    own_text(
        "This patch to static.py fixes it for me.\n\n274c274,275\n<             return self.redirect(request)\n---\n\
>             return dirlist.DirectoryLister(self.fp.path,\n>                                            None)\n",
        "dirlist.DirectoryLister",
    );
    // a pasted command line that a client took for a quote
    own_text(
        "The tutorial names a method that does not exist:\n\n>diff -u tutorial.html.orig tutorial.html\n\
--- tutorial.html.orig\n+++ tutorial.html\n@@ -69,3 +69,3 @@\n-render_currentMonth\n+render_month\n",
        "diff -u tutorial.html.orig",
    );
}

#[test]
fn mbox_from_escape_is_text() {
    let body =
        "I read the changelog.\n\n>From the docs it seems the check is new in R 4.5.\n\nAna\n";
    own_text(body, ">From the docs");
    let a = analyze(body);
    assert!(a.zones.iter().all(|z| z.quote_level == 0));
    // inside a quote, `>From` is a quote line like its neighbours
    let a = run("> I think so too.\n>From here on we agree.\n> Ana\n\nGood.\n");
    assert_eq!(a.messages.len(), 2);
    assert!(a.messages[1].text.contains("From here on"));
}

#[test]
fn prose_quotes_without_attribution_stay_quotes() {
    for body in [
        "> I would like to submit my package to CRAN but the check fails.\n> Does anyone know why?\n\n\
You need to fix the NOTE first.\n",
        "> Should I use library(foo) or require(foo) in the vignette?\n\nUse library().\n",
        "> In my opinion (see below): the function (foo) is broken.\n\nIt is not.\n",
        "> I agree.\n[1] https://cran.r-project.org/web/packages/policies.html\n",
        "> tools::testInstalledPackage() is no longer silent about failures from examples.\n\nGood news.\n",
        ">>> I ran R CMD check and it failed\n>>> with two NOTEs.\n>> Which ones?\n> The usual ones.\n\nOK.\n",
    ] {
        let a = run(body);
        assert!(a.messages.len() >= 2, "{body:?} lost its quote");
        assert!(
            a.zones.iter().any(|z| z.kind == ZoneKind::Quoted),
            "{body:?}"
        );
    }
}

#[test]
fn attributed_quotes_of_code_stay_quotes() {
    // the quoted author's own transcript is their text, in their message
    let body = "That is the recycling rule.\n\n\
On Tue, Jul 22, 2025 at 5:06 PM Ana Neves <ana@example.org> wrote:\n\
> I ran\n>\n> > x <- c(1, 2)\n> > mean(x)\n> [1] 1.5\n>\n> and it works.\n";
    let a = run(body);
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let ana = &a.messages[1];
    assert_eq!(
        ana.attribution.as_ref().and_then(|x| x.name.as_deref()),
        Some("Ana Neves")
    );
    assert!(ana.text.contains("> mean(x)") && ana.text.contains("[1] 1.5"));
    assert!(!a.messages[0].text.contains("mean(x)"));

    // code right under an attribution is the quoted author's
    let a =
        run("On 22/07/2025 17:06, Ana Neves wrote:\n> x <- c(1, 2)\n> mean(x)\n\nThat works.\n");
    assert_eq!(a.messages.len(), 2);
    assert!(a.messages[1].text.contains("mean(x)"));
    assert_eq!(a.messages[0].text, "That works.");

    // an inline reply's next chunk of code belongs to the attributed quote
    let a = run("On 22/07/2025 17:06, Ana Neves wrote:\n> Does this work?\n\nNo.\n\n> x <- foo(1)\n\nIt fails.\n");
    assert_eq!(a.messages.len(), 2);
    assert!(a.messages[1].interleaved);
    assert!(a.messages[1].text.contains("x <- foo(1)"));

    // a prompt one level deeper with its output below (a named vector's names,
    // then its values) is the quoted author's own transcript
    let a = run("Thanks, that works.\n\nOn 02/07/2015 22:52, Jane Doe wrote:\n> From R 3.2.0, check:\n>\n>> capabilities(\"libcurl\")\n> libcurl\n>     TRUE\n>\n> TRUE means R was built with HTTPS support.\n");
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    assert!(a.messages[1].text.contains("> capabilities(\"libcurl\")"));
    assert!(a.messages[1].text.contains("TRUE means"));

    // the quoting author's own shell line between an inline quote's chunks,
    // with telnet's output below it, is their text, not the quote's
    let a = run("Alan Jern wrote:\n> When I run this script the variable 'html' has nothing in it.\n\nThis works for me:\n\nresource = Foo()\n\n# and then from your command prompt:\n >  telnet localhost 9000\nTrying 127.0.0.1...\nConnected to localhost.\nEscape character is '^]'.\n");
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    assert!(
        !a.messages[1].text.contains("telnet"),
        "{:?}",
        a.messages[1].text
    );
    assert!(a.messages[0].text.contains("telnet localhost 9000"));

    // a command set inside the quoted author's own sentence (the line above it
    // stops unfinished) is theirs, not a quote of a quote
    let a = run("Try an older R.\n\nOn 22/07/2025 17:06, Ana Neves wrote:\n> That brought other errors when checking in RStudio with\n>\n>> devtools::check(\"S:/Documents/pkg\")\n> I then saw a list of notes about sd and var.\n>\n> But you cannot add those to NAMESPACE. Well I did but\n>\n>> devtools::build()\n>\n> gets rid of it.\n");
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    for w in ["devtools::check(", "devtools::build()", "gets rid of it."] {
        assert!(
            a.messages[1].text.contains(w),
            "{w}: {:?}",
            a.messages[1].text
        );
    }

    // code the quoted author quoted (no transcript evidence) stays a level deeper
    let a = run("On 22/07/2025 17:06, Ana Neves wrote:\n> You wrote\n>\n>> library(foo)\n>> foo::bar()\n>\n> and that is fine.\n\nThanks.\n");
    assert_eq!(a.messages.len(), 3, "{:#?}", a.messages);
    assert!(a.messages[2].text.contains("foo::bar()"));
}

/// R's debugger and crash report below a prompt one level deeper are the
/// quoted author's transcript (`Called from:`, `Browse[1]> n`, `debug at #4:`,
/// ` *** caught segfault ***`), not a quote of a quote.
#[test]
fn r_debugger_transcript_under_a_deeper_prompt_is_the_authors() {
    let a = run("Solved.\n\nOn Wed, Jan 24, 2024 at 10:57 AM Carla Stein <c at example.org>\nwrote:\n\n> It runs fine until library.dynam2(path.lib), which it cannot find.\n>\n>\n> > my_load_dll()\n> Called from: my_load_dll()\n> Browse[1]> n\n> debug at #4: package <- pkg_name(path)\n>\n> and it crashes again.\n");
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
    let t = &a.messages[1].text;
    assert!(
        t.contains("> my_load_dll()") && t.contains("Browse[1]> n"),
        "{t:?}"
    );
    assert!(t.contains("and it crashes again."));
}

/// A console transcript inside a quoted quote, indented: the prompt right above
/// R's `Warning: unable to access index` lines is the deeper writer's, and the
/// table header's technical token re-wrapped one level up (`MD5sum`) is too.
#[test]
fn an_indented_transcript_in_a_quoted_quote_keeps_its_prompt() {
    let body = "Thanks.\n\nOn Sun, 31 Mar 2024 at 22:43, Mara Olsen <mo at example.org> wrote:\n\n> Does the order matter?\n>\n> On Sun, 31 Mar 2024 at 22:15, Dov Ebner <de at example.org> wrote:\n>\n> > When I do that here I get errors from first to last as we expect:\n> >\n> >    > available.packages()\n> >    Warning: unable to access index for repository\n> > http://localhost:3001/proxy/src/contrib:\n> >         Package Version Priority Depends Imports LinkingTo Suggests\n> > Enhances License License_is_FOSS License_restricts_use OS_type Archs\n> MD5sum\n> > NeedsCompilation File Repository\n> >    >\n> >\n> > Dov\n";
    let a = run(body);
    let dov = by_author(&a, "Dov Ebner");
    for w in [
        "> available.packages()",
        "Warning: unable",
        "MD5sum",
        "Repository\n   >",
    ] {
        assert!(dov.text.contains(w), "{w:?} lost: {}", dov.text);
    }
    let mara = by_author(&a, "Mara Olsen");
    assert!(!mara.text.contains("MD5sum"), "{}", mara.text);
}

/// Commands a forwarded mail introduces with `e.g.` are its writer's, not a
/// quote of a quote.
#[test]
fn commands_introduced_by_eg_in_a_forwarded_mail_are_the_writers() {
    let a = run("Thanks, that worked.\n\n---------- Forwarded message ---------\nFrom: Kim Ueda <ku at example.com>\nDate: Wed, May 21, 2025 at 8:26 PM\nSubject: Re: flags\nTo: Pei Zhao <pz at example.com>\n\nYou can force this by installing the package\nwith the MAKEFLAGS environment variable set appropriately; e.g.\n\n> Sys.setenv(MAKEFLAGS = \"CXXFLAGS+=-O3\")\n> remotes::install_github(\"owner/pkg\")\n\nBest,\nKim\n");
    let kim = by_author(&a, "Kim Ueda");
    assert!(kim.text.contains("> Sys.setenv(MAKEFLAGS"), "{}", kim.text);
    assert!(
        kim.text.contains("> remotes::install_github("),
        "{}",
        kim.text
    );
    assert_eq!(a.messages.len(), 2, "{:#?}", a.messages);
}
