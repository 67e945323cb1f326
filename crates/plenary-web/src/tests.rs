//! Drives the router with real stored messages.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use plenary_mail::{parse_item, ParseOptions, RawItem, RawKind};
use plenary_store::{NewMessage, Store};
use serde_json::Value;
use tower::ServiceExt;

use crate::{router, WebOptions, CONTENT_SECURITY_POLICY};

/// The archive in `dir`, to share.
fn archive(dir: &std::path::Path) -> std::sync::Arc<plenary_pipeline::Archive> {
    std::sync::Arc::new(plenary_pipeline::Archive::open(dir).expect("archive"))
}

/// The site over the archive in `dir`.
fn app(dir: &std::path::Path, show_addresses: bool) -> axum::Router {
    let archive = plenary_pipeline::Archive::open(dir).expect("archive");
    router(
        std::sync::Arc::new(archive),
        WebOptions {
            show_addresses,
            ..Default::default()
        },
    )
    .expect("router")
}

const ROOT_ID: &str = "2025/03+plan$1@apc.org";
const ROOT_ENC: &str = "2025%2F03%2Bplan%241@apc.org";
const REPLY_ID: &str = "CAF=ana.reply@mail.gmail.com";
const REPLY_ENC: &str = "CAF%3Dana.reply@mail.gmail.com";

const ROOT: &str = "From: Anriette Esterhuysen <anriette@apc.org>\n\
To: wg-strategy@intgovforum.org\n\
Subject: [WG-Strategy] IGF 2025 strategy\n\
Message-ID: <2025/03+plan$1@apc.org>\n\
Date: Mon, 31 Mar 2025 23:00:00 +0200\n\
List-Id: WG-Strategy <wg-strategy.intgovforum.org>\n\
List-Post: <mailto:wg-strategy@intgovforum.org>\n\
\n\
Dear colleagues,\n\
please see the plan. Write to anriette@apc.org with comments.\n";

const REPLY: &str = "From: \"Ana Neves via WG-Strategy\" <wg-strategy@intgovforum.org>\n\
Reply-To: Ana Neves <ana.neves@fct.pt>\n\
To: WG-Strategy <wg-strategy@intgovforum.org>\n\
Subject: Re: [WG-Strategy] IGF 2025 strategy\n\
Message-ID: <CAF=ana.reply@mail.gmail.com>\n\
In-Reply-To: <2025/03+plan$1@apc.org>\n\
References: <2025/03+plan$1@apc.org>\n\
Date: Tue, 1 Apr 2025 09:15:00 +0100\n\
List-Id: WG-Strategy <wg-strategy.intgovforum.org>\n\
List-Post: <mailto:wg-strategy@intgovforum.org>\n\
\n\
Thanks. Beware of <script>alert(\"x\")</script> & friends.\n\
\n\
> please see the plan. Write to anriette@apc.org with comments.\n";

const MAG: &str = "From: Markus Kummer <markus@example.org>\n\
To: igf-mag@intgovforum.org\n\
Subject: Re: [IGF-MAG] Agenda for Geneva\n\
Message-ID: <mag-2@example.org>\n\
In-Reply-To: <not-archived@example.org>\n\
References: <not-archived@example.org>\n\
Date: Wed, 15 Jan 2025 10:00:00 +0000\n\
MIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"XYZ\"\n\
\n\
--XYZ\n\
Content-Type: text/plain; charset=utf-8\n\
\n\
The agenda is attached.\n\
--XYZ\n\
Content-Type: application/pdf; name=\"agenda.pdf\"\n\
Content-Disposition: attachment; filename=\"agenda.pdf\"\n\
Content-Transfer-Encoding: base64\n\
\n\
JVBERi0xLjQKJcfsj6IK\n\
--XYZ--\n";

fn new_message(raw: &str) -> NewMessage {
    let item = RawItem {
        bytes: raw.as_bytes().to_vec(),
        kind: RawKind::Rfc822,
        origin: "test".into(),
        source: "test".into(),
        envelope: None,
        list_hint: None,
        alt_page: None,
    };
    let parsed = parse_item(&item, &ParseOptions::default(), None).expect("parses");
    NewMessage {
        parsed,
        raw: item.bytes,
        alt_raw: None,
        origin: "test".into(),
        analysis: None,
    }
}

struct Site {
    dir: tempfile::TempDir,
    app: Router,
    shown: Router,
    wg_thread: String,
    mag_thread: String,
}

fn site() -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    let out = store
        .insert_batch(vec![
            new_message(ROOT),
            new_message(REPLY),
            new_message(MAG),
        ])
        .expect("insert");
    assert_eq!(out.new, 3);
    store.rethread(&[]).expect("rethread");
    let wg = store
        .threads(Some("wg-strategy"), None, 10)
        .expect("threads");
    assert_eq!(wg.len(), 1, "root and reply share a thread");
    let mag = store.threads(Some("igf-mag"), None, 10).expect("threads");
    assert_eq!(mag.len(), 1);
    drop(store);
    let shown = app(dir.path(), true);
    let app = app(dir.path(), false);
    Site {
        wg_thread: wg[0].id.clone(),
        mag_thread: mag[0].id.clone(),
        dir,
        app,
        shown,
    }
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("json body")
    }
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn get(app: &Router, uri: &str) -> Got {
    let res = app
        .clone()
        .oneshot(
            Request::builder()
                .uri(uri)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Got {
        status,
        headers,
        body,
    }
}

fn assert_html_ok(g: &Got) -> String {
    assert_eq!(g.status, StatusCode::OK);
    assert!(
        g.content_type().starts_with("text/html"),
        "{}",
        g.content_type()
    );
    assert_eq!(
        g.headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok()),
        Some(CONTENT_SECURITY_POLICY)
    );
    let t = g.text();
    assert!(t.contains("<main id=\"content\""), "main landmark");
    assert!(t.contains("href=\"#content\""), "skip link");
    assert!(!t.contains("<script"), "no scripts on pages");
    assert!(
        !t.contains("http://") && !t.contains("https://"),
        "no remote resources"
    );
    t
}

#[tokio::test]
async fn home_lists_and_months() {
    let s = site();
    let home = assert_html_ok(&get(&s.app, "/").await);
    assert!(home.contains("href=\"/lists/wg-strategy\">WG-Strategy</a>"));
    assert!(home.contains("href=\"/lists/igf-mag\">IGF-MAG</a>"));
    assert!(home.contains("wg-strategy at intgovforum.org"));
    assert!(home.contains(&format!(
        "href=\"/threads/{}\">IGF 2025 strategy</a>",
        s.wg_thread
    )));
    assert!(home.contains("Agenda for Geneva"));
    // WG-Strategy row: 2 messages, 1 thread.
    let row = home.split("WG-Strategy</a>").nth(1).expect("row");
    assert!(
        row.contains("<td class=\"num\">2</td>\n<td class=\"num\">1</td>"),
        "{row}"
    );

    let lists = assert_html_ok(&get(&s.app, "/lists").await);
    assert!(lists.contains("aria-current=\"page\">Lists"));
    assert!(lists.contains("IGF-MAG"));

    let list = assert_html_ok(&get(&s.app, "/lists/wg-strategy").await);
    assert!(list.contains("<h1>WG-Strategy</h1>"));
    assert!(list.contains("wg-strategy at intgovforum.org"));
    assert!(list.contains("href=\"/lists/wg-strategy/2025-03\""));
    assert!(list.contains("href=\"/lists/wg-strategy/2025-04\""));
    assert!(list.contains("April 2025"));
    assert!(list.contains(&format!("/threads/{}", s.wg_thread)));

    // The thread spans March (UTC) and April.
    let april = assert_html_ok(&get(&s.app, "/lists/wg-strategy/2025-04").await);
    assert!(april.contains("IGF 2025 strategy"));
    assert!(april.contains("rel=\"prev\" href=\"/lists/wg-strategy/2025-03\""));
    let may = assert_html_ok(&get(&s.app, "/lists/wg-strategy/2025-05").await);
    assert!(may.contains("No threads."));
    assert!(!may.contains("IGF 2025 strategy"));

    for bad in [
        "/lists/wg-strategy/2025-13",
        "/lists/wg-strategy/march",
        "/lists/wg-strategy/2025-4",
        "/lists/no-such-list",
        "/lists/no-such-list/2025-03",
        "/nowhere",
    ] {
        let g = get(&s.app, bad).await;
        assert_eq!(g.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(g.content_type().starts_with("text/html"), "{bad}");
        assert!(g.text().contains("<h1>Not found</h1>"), "{bad}");
    }

    let css = get(&s.app, "/static/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type().starts_with("text/css"));
    assert!(css.text().contains("prefers-color-scheme: dark"));
}

#[tokio::test]
async fn thread_page_is_a_tree() {
    let s = site();
    let page = assert_html_ok(&get(&s.app, &format!("/threads/{}", s.wg_thread)).await);
    assert!(page.contains("<h1>IGF 2025 strategy</h1>"));
    let root = page
        .find("<li id=\"m1\" class=\"msg depth-0\" data-depth=\"0\">")
        .expect("root at depth 0");
    let reply = page
        .find("<li id=\"m2\" class=\"msg depth-1\" data-depth=\"1\">")
        .expect("reply indented at depth 1");
    assert!(root < reply, "root comes first");
    let (root_part, reply_part) = page.split_at(reply);
    assert!(root_part.contains(&format!("href=\"/messages/{ROOT_ENC}\">message</a>")));
    assert!(
        root_part.contains("class=\"who\"><a href=\"/people/"),
        "the author links to their person page"
    );
    assert!(root_part.contains("\">Anriette Esterhuysen</a></h2>"));
    assert!(root_part.contains("anriette at apc.org"));
    assert!(root_part.contains("Dear colleagues,"));
    assert!(reply_part.contains(&format!("href=\"/messages/{REPLY_ENC}\">message</a>")));
    assert!(reply_part.contains("\">Ana Neves</a></h2>"));
    assert!(reply_part.contains("ana.neves at fct.pt"));
    assert!(reply_part
        .contains("via list address <span class=\"addr\">wg-strategy at intgovforum.org</span>"));
    assert!(reply_part.contains("reply to <a href=\"#m1\">Anriette Esterhuysen</a>"));
    assert!(
        reply_part.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; friends.")
    );
    // Quotes are folded.
    assert!(reply_part.contains("<details class=\"quoted\"><summary>Quoted text (1 line)</summary><pre class=\"body quote\">&#62; please see the plan. Write to anriette at apc.org"), "{reply_part}");
    // Subject differs only by prefix and tag: not repeated.
    assert!(!page.contains("<p class=\"subj\">"));
    assert!(!page.contains("anriette@apc.org"));
    assert!(!page.contains("ana.neves@fct.pt"));
    assert!(!page.contains("Reply to a message not in the archive"));

    let mag = assert_html_ok(&get(&s.app, &format!("/threads/{}", s.mag_thread)).await);
    assert!(mag.contains("<p class=\"ghost\">Reply to a message not in the archive.</p>"));
    assert!(mag.contains("1 attachment"));
    assert!(mag.contains("Re: [IGF-MAG] Agenda for Geneva") || mag.contains("Agenda for Geneva"));

    let none = get(&s.app, "/threads/0000000000000000").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.content_type().starts_with("text/html"));
}

#[tokio::test]
async fn message_pages_escape_obfuscate_and_link() {
    let s = site();
    let page = assert_html_ok(&get(&s.app, &format!("/messages/{REPLY_ID}")).await);
    assert!(page.contains("<h1>Re: [WG-Strategy] IGF 2025 strategy</h1>"));
    assert!(page.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;"));
    assert!(!page.contains("<script"));
    // The author links to their person page.
    assert!(
        page.contains(
            "\">Ana Neves</a></span> <span class=\"addr\">&lt;ana.neves at fct.pt&gt;</span>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"who\"><a href=\"/people/"),
        "{page}"
    );
    assert!(page.contains("via list address <span class=\"addr\">wg-strategy at intgovforum.org</span> (not the author’s address)"));
    assert!(!page.contains("ana.neves@fct.pt"));
    assert!(!page.contains("wg-strategy@intgovforum.org"));
    assert!(page.contains("<time datetime=\"2025-04-01T08:15:00Z\">2025-04-01 08:15 UTC</time>"));
    assert!(page.contains("sender’s time: 2025-04-01 09:15 +0100"));
    assert!(page.contains(&format!(
        "<a href=\"/messages/{ROOT_ENC}\">Parent message</a>"
    )));
    assert!(page.contains(&format!(
        "<a href=\"/messages/{ROOT_ENC}\"><code>{ROOT_ID}</code></a>"
    )));
    assert!(page.contains(&format!(
        "<a href=\"/threads/{}\">Whole thread</a>",
        s.wg_thread
    )));
    assert!(page.contains(&format!(
        "href=\"/messages/{REPLY_ENC}/raw\" download>Raw message"
    )));
    assert!(page.contains("From rewritten by Mailman"));

    // The id with `/`, `+` and `$` round-trips through its encoded link…
    let root = assert_html_ok(&get(&s.app, &format!("/messages/{ROOT_ENC}")).await);
    assert!(root.contains(&format!("<code>{ROOT_ID}</code>")));
    assert!(root.contains("Write to anriette at apc.org with comments."));
    assert!(root.contains("sender’s time: 2025-03-31 23:00 +0200"));
    assert!(root.contains("2025-03-31 21:00 UTC"));
    // …and a hand-typed path with literal slashes still finds it.
    let typed = assert_html_ok(&get(&s.app, "/messages/2025/03+plan$1@apc.org").await);
    assert!(typed.contains(&format!("<code>{ROOT_ID}</code>")));

    let mag = assert_html_ok(&get(&s.app, "/messages/mag-2@example.org").await);
    assert!(
        mag.contains("agenda.pdf <span class=\"meta\">(application/pdf, 15 bytes)</span>"),
        "{mag}"
    );
    assert!(mag
        .contains("Reply to a message not in the archive (<code>not-archived@example.org</code>)"));

    let shown = get(&s.shown, &format!("/messages/{REPLY_ID}")).await.text();
    assert!(shown.contains("&lt;ana.neves@fct.pt&gt;"));
    assert!(
        shown.contains("via list address <span class=\"addr\">wg-strategy@intgovforum.org</span>")
    );

    for bad in [
        "/messages/nope@x",
        "/messages/nope@x/raw",
        "/messages/a/b/c",
    ] {
        let g = get(&s.app, bad).await;
        assert_eq!(g.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(g.text().contains("<h1>Not found</h1>"), "{bad}");
    }
    assert_eq!(
        get(&s.app, "/messages/%FF").await.status,
        StatusCode::BAD_REQUEST
    );
}

/// Raw downloads are the stored bytes when the server shows addresses; by
/// default the same message with its addresses obfuscated (ids kept).
#[tokio::test]
async fn raw_download_is_exact_when_addresses_are_shown() {
    let s = site();
    for uri in [
        format!("/messages/{ROOT_ENC}/raw"),
        "/messages/2025/03+plan$1@apc.org/raw".to_string(),
        format!("/api/v1/messages/{ROOT_ENC}/raw"),
    ] {
        let g = get(&s.shown, &uri).await;
        assert_eq!(g.status, StatusCode::OK, "{uri}");
        assert_eq!(g.body, ROOT.as_bytes(), "{uri}");
        assert_eq!(g.content_type(), "message/rfc822");
        assert_eq!(
            g.headers
                .get(header::CONTENT_DISPOSITION)
                .and_then(|v| v.to_str().ok()),
            Some("attachment; filename=\"2025_03_plan_1_apc.org.eml\"")
        );
        let hidden = get(&s.app, &uri).await;
        assert_eq!(hidden.status, StatusCode::OK, "{uri}");
        assert_eq!(
            hidden.text(),
            ROOT.replace("anriette@apc.org", "anriette at apc.org")
                .replace(
                    "wg-strategy@intgovforum.org",
                    "wg-strategy at intgovforum.org"
                ),
            "{uri}"
        );
    }
    let g = get(&s.shown, &format!("/messages/{REPLY_ID}/raw")).await;
    assert_eq!(g.body, REPLY.as_bytes());
}

#[tokio::test]
async fn api_shapes() {
    let s = site();
    let lists = get(&s.app, "/api/v1/lists").await;
    assert_eq!(lists.status, StatusCode::OK);
    assert!(lists.content_type().starts_with("application/json"));
    let lists = lists.json();
    let arr = lists.as_array().expect("array");
    assert_eq!(arr.len(), 2);
    let wg = arr.iter().find(|l| l["slug"] == "wg-strategy").expect("wg");
    assert_eq!(
        wg["name"], "WG-Strategy",
        "List-Id, spelled as the subject tag spells it"
    );
    assert_eq!(wg["address"], "wg-strategy at intgovforum.org");
    assert_eq!(wg["messages"], 2);
    assert_eq!(wg["threads"], 1);
    assert_eq!(wg["first"], "2025-03-31T21:00:00Z");
    assert_eq!(wg["last"], "2025-04-01T08:15:00Z");

    let threads = get(&s.app, "/api/v1/lists/wg-strategy/threads")
        .await
        .json();
    let t = &threads.as_array().expect("array")[0];
    assert_eq!(t["id"], s.wg_thread.as_str());
    assert_eq!(t["subject"], "IGF 2025 strategy");
    assert_eq!(t["list"], "wg-strategy");
    assert_eq!(t["count"], 2);
    let mut keys: Vec<&str> = t
        .as_object()
        .expect("obj")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "count",
            "first",
            "id",
            "last",
            "list",
            "messages",
            "participants",
            "recovered",
            "subject"
        ]
    );
    assert_eq!(t["messages"], 2);
    assert_eq!(t["participants"], 2);
    let march = get(&s.app, "/api/v1/lists/wg-strategy/threads?month=2025-03")
        .await
        .json();
    assert_eq!(march.as_array().map(Vec::len), Some(1));
    let may = get(&s.app, "/api/v1/lists/wg-strategy/threads?month=2025-05")
        .await
        .json();
    assert_eq!(may.as_array().map(Vec::len), Some(0));
    for bad in [
        "/api/v1/lists/wg-strategy/threads?month=2025-13",
        "/api/v1/lists/wg-strategy/threads?month=March",
        "/api/v1/lists/wg-strategy/threads?limit=-1",
    ] {
        let g = get(&s.app, bad).await;
        assert_eq!(g.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            g.json()["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{bad}"
        );
    }
    let g = get(&s.app, "/api/v1/lists/nope/threads").await;
    assert_eq!(g.status, StatusCode::NOT_FOUND);
    assert!(g.json()["error"].is_string());

    let th = get(&s.app, &format!("/api/v1/threads/{}", s.wg_thread))
        .await
        .json();
    assert_eq!(th["id"], s.wg_thread.as_str());
    assert_eq!(th["subject"], "IGF 2025 strategy");
    assert_eq!(th["list"], "wg-strategy");
    let msgs = th["messages"].as_array().expect("messages");
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0]["id"], ROOT_ID);
    assert_eq!(msgs[0]["parent"], Value::Null);
    assert_eq!(msgs[0]["author"]["name"], "Anriette Esterhuysen");
    assert_eq!(msgs[0]["author"]["address"], "anriette at apc.org");
    assert_eq!(msgs[0]["date"], "2025-03-31T21:00:00Z");
    assert_eq!(msgs[0]["reconstructed"], false);
    assert_eq!(msgs[1]["id"], REPLY_ID);
    assert_eq!(msgs[1]["parent"], ROOT_ID);
    assert_eq!(msgs[1]["depth"], 1);
    assert_eq!(msgs[1]["subject"], "Re: [WG-Strategy] IGF 2025 strategy");
    assert_eq!(msgs[1]["author"]["address"], "ana.neves at fct.pt");

    let m = get(&s.app, &format!("/api/v1/messages/{REPLY_ID}"))
        .await
        .json();
    assert_eq!(m["id"], REPLY_ID);
    assert_eq!(m["message_id"], REPLY_ID);
    assert_eq!(m["list"], "wg-strategy");
    assert_eq!(m["thread"], s.wg_thread.as_str());
    assert_eq!(m["parent"], ROOT_ID);
    assert_eq!(m["in_reply_to"], ROOT_ID);
    assert_eq!(m["author"]["name"], "Ana Neves");
    assert_eq!(m["author"]["address"], "ana.neves at fct.pt");
    assert_eq!(m["author"]["via_list"], "wg-strategy at intgovforum.org");
    assert_eq!(m["to"][0], "wg-strategy at intgovforum.org");
    assert_eq!(m["date_offset_seconds"], 3600);
    assert_eq!(m["raw_len"], REPLY.len());
    let body = m["body"].as_str().expect("body");
    assert!(
        body.contains("<script>alert(\"x\")</script>"),
        "JSON keeps text as text"
    );
    assert!(body.contains("Write to anriette at apc.org"));
    assert!(!body.contains("anriette@apc.org"));

    let root = get(&s.app, &format!("/api/v1/messages/{ROOT_ENC}"))
        .await
        .json();
    assert_eq!(root["id"], ROOT_ID);
    let mag = get(&s.app, "/api/v1/messages/mag-2@example.org")
        .await
        .json();
    assert_eq!(mag["ghost_parent"], "not-archived@example.org");
    assert_eq!(mag["attachments"][0]["name"], "agenda.pdf");

    let shown = get(&s.shown, &format!("/api/v1/messages/{REPLY_ID}"))
        .await
        .json();
    assert_eq!(shown["author"]["address"], "ana.neves@fct.pt");
    assert_eq!(shown["author"]["via_list"], "wg-strategy@intgovforum.org");

    let stats = get(&s.app, "/api/v1/stats").await.json();
    assert_eq!(stats["messages"], 3);
    assert_eq!(stats["threads"], 2);
    assert_eq!(stats["lists"], 2);
    assert_eq!(stats["rejected"], 0);

    for uri in [
        "/api/v1/threads/0000000000000000",
        "/api/v1/messages/nope@x",
        "/api/v1/messages/nope@x/raw",
        "/api/v1/nothing",
    ] {
        let g = get(&s.app, uri).await;
        assert_eq!(g.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(g.content_type().starts_with("application/json"), "{uri}");
        assert!(g.json()["error"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn store_failure_is_a_500_not_a_panic() {
    let s = site();
    // Overwrite the database file in place under the open pool.
    let db = s.dir.path().join("plenary.sqlite3");
    let len = std::fs::metadata(&db).expect("db").len();
    let garbage = vec![0x5a_u8; usize::try_from(len).expect("len").max(8192)];
    std::fs::write(&db, garbage).expect("overwrite");
    let g = get(&s.app, "/").await;
    assert_eq!(g.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(g.content_type().starts_with("text/html"));
    let t = g.text();
    assert!(t.contains("<h1>Server error</h1>"));
    assert!(!t.contains("plenary.sqlite3"), "no paths leak: {t}");
    let g = get(&s.app, "/api/v1/stats").await;
    assert_eq!(g.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(g.json()["error"], "the archive could not be read");
    let g = get(&s.app, &format!("/threads/{}", s.wg_thread)).await;
    assert_eq!(g.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[test]
fn unreadable_store_fails_at_startup() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("plenary.sqlite3"), vec![0x5a_u8; 8192]).expect("write");
    let err = match plenary_pipeline::Archive::open(dir.path()) {
        Ok(_) => panic!("an unreadable store opened"),
        Err(e) => e,
    };
    assert!(
        matches!(err, plenary_pipeline::PipelineError::Store(_)),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_over_tcp_and_reports_bind_errors() {
    use std::io::{Read, Write};
    let s = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr");
    let err = crate::serve(archive(s.dir.path()), WebOptions::default(), addr)
        .await
        .expect_err("port in use");
    assert!(matches!(err, crate::WebError::Bind { .. }), "{err}");
    drop(taken);

    let server = tokio::spawn(crate::serve(
        archive(s.dir.path()),
        WebOptions::default(),
        addr,
    ));
    let reply = tokio::task::spawn_blocking(move || {
        let start = std::time::Instant::now();
        let mut conn = loop {
            match std::net::TcpStream::connect(addr) {
                Ok(c) => break c,
                Err(e) if start.elapsed().as_secs() > 10 => panic!("server did not start: {e}"),
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        };
        conn.write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            .expect("write");
        let mut out = String::new();
        conn.read_to_string(&mut out).expect("read");
        out
    })
    .await
    .expect("client");
    server.abort();
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(reply.contains("\"messages\":3"), "{reply}");
    assert!(reply
        .to_ascii_lowercase()
        .contains("content-security-policy: default-src 'self'"));
}

/// Issue 16.5: agenda data is input like any other; a `javascript:` or `data:`
/// URL in it is shown as text, never as a link.
#[tokio::test]
async fn agenda_urls_other_than_http_are_not_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("agenda.json");
    std::fs::write(
        &file,
        r#"{"sessions": [{"event": "CSTD 2026", "number": "9", "title": "Links test",
            "start": "2026-04-14T15:00:00+02:00",
            "source_url": "javascript:alert(document.cookie)",
            "documents": [{"title": "Report", "url": "JavaScript:alert(1)"},
                          {"title": "Data", "url": "data:text/html,<script>alert(1)</script>"},
                          {"title": "Real", "url": "https://example.org/r.pdf"}],
            "speakers": []}]}"#,
    )
    .expect("write");
    let data = dir.path().join("data");
    let archive = archive(&data);
    archive
        .import(
            &[file],
            &plenary_pipeline::ImportOptions::default(),
            &mut plenary_pipeline::NoProgress,
        )
        .expect("import");
    let app = router(archive, WebOptions::default()).expect("router");
    let got = get(&app, "/sessions/cstd-2026-9").await;
    assert_eq!(got.status, StatusCode::OK);
    let page = got.text();
    let lower = page.to_lowercase();
    assert!(!lower.contains("href=\"javascript:"), "{page}");
    assert!(!lower.contains("href=\"data:text"), "{page}");
    assert!(
        page.contains("href=\"https://example.org/r.pdf\""),
        "{page}"
    );
    assert!(page.contains("Report"), "the document is still listed");
}

/// Issue 16.8: a message whose Message-ID is `.` (or `..`) has a page URL a
/// browser does not collapse, and its links use it.
#[tokio::test]
async fn dot_message_ids_have_working_page_urls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    let dot = ROOT.replace("<2025/03+plan$1@apc.org>", "<.>");
    let dots = MAG.replace("<mag-2@example.org>", "<..>");
    store
        .insert_batch(vec![new_message(&dot), new_message(&dots)])
        .expect("insert");
    store.rethread(&[]).expect("rethread");
    drop(store);
    let app = app(dir.path(), false);
    for (id, subject) in [(".", "IGF 2025 strategy"), ("..", "Agenda for Geneva")] {
        let href = crate::links::message_href(id);
        assert!(
            !href.ends_with("/%2E") && !href.contains("/%2E%2E"),
            "{href}"
        );
        let page = assert_html_ok(&get(&app, &href).await);
        assert!(page.contains(subject), "{href}: {page}");
        let raw = get(&app, &crate::links::raw_href(id)).await;
        assert_eq!(raw.status, StatusCode::OK, "{id}");
        assert!(raw.text().contains(subject));
    }
    let list = assert_html_ok(&get(&app, "/lists/wg-strategy").await);
    assert!(!list.contains("/messages/%2E\""), "{list}");
}

/// Issue 16.1: a taken-down message's URL says it was removed (410 Gone),
/// on the page and in the API, and its raw bytes are gone.
#[tokio::test]
async fn taken_down_messages_are_gone() {
    let s = site();
    let archive = archive(s.dir.path());
    archive
        .takedown(
            &plenary_pipeline::TakedownTarget::Message(REPLY_ID.into()),
            "asked",
            "test",
            &mut plenary_pipeline::NoProgress,
        )
        .expect("takedown");
    let app = router(archive, WebOptions::default()).expect("router");
    for uri in [
        format!("/messages/{REPLY_ENC}"),
        format!("/messages/{REPLY_ENC}/raw"),
        format!("/api/v1/messages/{REPLY_ENC}"),
    ] {
        let g = get(&app, &uri).await;
        assert_eq!(g.status, StatusCode::GONE, "{uri}");
        assert!(g.text().contains("removed"), "{uri}");
        assert!(!g.text().contains("Beware of"), "{uri}");
    }
    assert_eq!(
        get(&app, "/messages/nope@x").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Issue 16.2: with default options, a crawl of every page the site links to,
/// every export and every API resource finds none of the archive's addresses
/// in the clear (raw downloads and mbox exports included); with
/// `--show-addresses` they are there.
#[tokio::test]
async fn crawl_finds_no_address_in_the_clear() {
    let mut s = site();
    {
        // a second name form at the same address: a merge whose reason names it
        let mut store = Store::open(s.dir.path()).expect("open");
        let other = ROOT
            .replace("Anriette Esterhuysen <", "\"Esterhuysen, A.\" <")
            .replace("<2025/03+plan$1@apc.org>", "<second@apc.org>")
            .replace(
                "Subject: [WG-Strategy] IGF 2025 strategy",
                "Subject: [WG-Strategy] Budget",
            )
            .replace("please see the plan", "see anriette@apc.org");
        store
            .insert_batch(vec![new_message(&other)])
            .expect("insert");
    }
    s.app = app(s.dir.path(), false);
    const KNOWN: &[&str] = &[
        "anriette@apc.org",
        "ana.neves@fct.pt",
        "markus@example.org",
        "wg-strategy@intgovforum.org",
        "igf-mag@intgovforum.org",
    ];
    let mut queue: Vec<String> = vec![
        "/".into(),
        "/lists".into(),
        "/people".into(),
        "/search?q=plan".into(),
        "/search?q=apc.org".into(),
        "/search/feed.atom?q=plan".into(),
        "/search/mbox?q=plan".into(),
        "/api/v1/lists".into(),
        "/api/v1/people".into(),
        "/api/v1/stats".into(),
        "/api/v1/search?q=plan".into(),
        "/api/v1/search?q=anriette".into(),
        format!("/api/v1/threads/{}", s.wg_thread),
        format!("/api/v1/threads/{}", s.mag_thread),
        format!("/api/v1/messages/{ROOT_ENC}"),
        format!("/api/v1/messages/{REPLY_ENC}"),
        format!("/api/v1/messages/{ROOT_ENC}/raw"),
        format!("/api/v1/messages/{REPLY_ENC}/raw"),
        "/api/v1/messages/mag-2@example.org/raw".into(),
    ];
    let people = get(&s.app, "/api/v1/people").await.json();
    for p in people.as_array().expect("people") {
        let id = p["id"].as_str().expect("id");
        queue.push(format!("/api/v1/people/{id}"));
        queue.push(format!("/people/{id}"));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut crawled = 0;
    while let Some(uri) = queue.pop() {
        if !seen.insert(uri.clone()) || seen.len() > 400 {
            continue;
        }
        let g = get(&s.app, &uri).await;
        if g.status != StatusCode::OK {
            continue;
        }
        crawled += 1;
        // search matches are wrapped in <mark>: look through them too
        let body = String::from_utf8_lossy(&g.body)
            .replace("<mark>", "")
            .replace("</mark>", "");
        for a in KNOWN {
            assert!(!body.contains(a), "{uri} shows {a} in the clear");
        }
        if g.content_type().starts_with("text/html") {
            for part in body.split("href=\"").skip(1) {
                let href = part.split('"').next().unwrap_or("").replace("&amp;", "&");
                if href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/static")
                {
                    queue.push(href.split('#').next().unwrap_or("").to_string());
                }
            }
        }
    }
    assert!(crawled > 30, "only {crawled} resources crawled");
    let merged = people.as_array().map(|v| v.len()).unwrap_or(0);
    let after = get(&s.app, "/api/v1/people").await.json();
    assert!(
        after.to_string().contains("same address"),
        "a merge by address is in the crawl ({merged} people): {after}"
    );
    // shown when the server is told to
    let raw = get(&s.shown, &format!("/messages/{ROOT_ENC}/raw")).await;
    assert!(raw.text().contains("anriette@apc.org"));
    let mbox = get(&s.shown, &format!("/threads/{}/mbox", s.wg_thread)).await;
    assert!(mbox.text().contains("anriette@apc.org"));
    // and hidden ones keep their identifiers: threading survives
    let mbox = get(&s.app, &format!("/threads/{}/mbox", s.wg_thread)).await;
    assert!(mbox
        .text()
        .contains("In-Reply-To: <2025/03+plan$1@apc.org>"));
}

#[test]
fn groups_are_shown_in_words() {
    let fw = plenary_frameworks::Frameworks::builtin().expect("frameworks");
    assert_eq!(
        crate::views::group_label(&fw, "civil-society"),
        "Civil Society"
    );
    assert_eq!(crate::views::group_label(&fw, "african"), "African Group");
    assert_eq!(
        crate::views::group_label(&fw, "global-south"),
        "Global south"
    );
    assert_eq!(crate::views::group_label(&fw, "unknown"), "Unknown");
    assert_eq!(crate::views::group_label(&fw, "APC"), "APC");
}

#[tokio::test]
async fn month_views_and_message_neighbours() {
    let s = site();
    let page = assert_html_ok(&get(&s.app, "/lists/wg-strategy/2025-04?by=date").await);
    assert!(page.contains("1 message by date"), "{page}");
    assert!(page.contains("Show by:"), "{page}");
    let page = assert_html_ok(&get(&s.app, "/lists/wg-strategy/2025-04?by=subject").await);
    assert!(page.contains("<h3>IGF 2025 strategy</h3>"), "{page}");
    let all = get(&s.app, "/lists/wg-strategy/2025-03?by=author").await;
    let page = assert_html_ok(&all);
    assert!(page.contains("<h3>Anriette Esterhuysen</h3>"), "{page}");
    assert!(!page.contains("anriette@apc.org"));
    let bad = get(&s.app, "/lists/wg-strategy/2025-03?by=colour").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // the reply: previous in thread and by date is the root
    let page = assert_html_ok(&get(&s.app, &format!("/messages/{REPLY_ENC}")).await);
    assert!(
        page.contains(&format!(
            "<a rel=\"prev\" href=\"/messages/{ROOT_ENC}\">← in thread: Anriette Esterhuysen</a>"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("<a href=\"/messages/{ROOT_ENC}\">← by date:")),
        "{page}"
    );
    let r = get(&s.app, "/pipermail/wg-strategy/2025-March/author.html").await;
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/lists/wg-strategy/2025-03?by=author")
    );
}

/// The `<entry>` elements of an Atom feed, as text.
fn feed_entries(feed: &str) -> Vec<String> {
    feed.split("<entry>")
        .skip(1)
        .map(|e| e.split("</entry>").next().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn feed_entries_name_their_authors_and_link_their_people() {
    let s = site();
    let g = get(&s.app, "/lists/wg-strategy/feed.atom").await;
    assert_eq!(g.status, StatusCode::OK);
    let entries = feed_entries(&g.text());
    assert_eq!(entries.len(), 2, "{}", g.text());
    for e in &entries {
        assert!(e.contains("<author><name>"), "no author: {e}");
        assert!(!e.contains("<name></name>"), "a blank author: {e}");
        assert!(
            e.contains("/people/"),
            "the author is not linked to a person: {e}"
        );
    }
    assert!(entries
        .iter()
        .any(|e| e.contains("<name>Anriette Esterhuysen</name>")));

    // A From with an address only: the (obfuscated) address names the author.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    store
        .insert_batch(vec![new_message(
            "From: bare@example.org\nTo: wg-strategy@intgovforum.org\nList-Id: <wg-strategy.intgovforum.org>\n\
             Subject: no name\nMessage-ID: <bare-1@example.org>\nDate: Wed, 15 Jan 2025 10:00:00 +0000\n\n\
             Only an address.\n",
        )])
        .expect("insert");
    store.rethread(&[]).expect("rethread");
    drop(store);
    let app = app(dir.path(), false);
    let feed = get(&app, "/lists/wg-strategy/feed.atom").await.text();
    let entries = feed_entries(&feed);
    assert_eq!(entries.len(), 1, "{feed}");
    assert!(
        entries[0].contains("<name>bare at example.org</name>"),
        "{}",
        entries[0]
    );
}
