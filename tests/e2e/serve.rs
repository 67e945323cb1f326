//! The web server, started as a user would start it.

use std::io::Read;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::{import_json, plenary, run_ok};

pub struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Starts `plenary serve` on a free port over `data`; the server stops when dropped.
pub fn start_server(data: &std::path::Path) -> (Server, String) {
    start_server_with(data, &[])
}

/// [`start_server`] with more `serve` arguments.
pub fn start_server_with(data: &std::path::Path, args: &[&str]) -> (Server, String) {
    let port = free_port();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("plenary"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let server = Server(child);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, format!("http://127.0.0.1:{port}"))
}

pub fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent.get(url).call().expect("request");
    let status = resp.status().as_u16();
    let mut body = String::new();
    resp.body_mut()
        .as_reader()
        .read_to_string(&mut body)
        .expect("body");
    (status, body)
}

#[test]
fn serves_lists_threads_messages_and_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    run_ok(plenary(&data).arg("gen-corpus").arg(&corpus).args([
        "--messages",
        "300",
        "--seed",
        "3",
    ]));
    import_json(&data, &[&corpus.join("mbox")]);
    let (_server, base) = start_server(&data);
    let (st, home) = get(&format!("{base}/"));
    assert_eq!(st, 200);
    assert!(home.contains("<main"), "home has a main landmark");
    let (st, lists) = get(&format!("{base}/api/v1/lists"));
    assert_eq!(st, 200);
    let lists: serde_json::Value = serde_json::from_str(&lists).expect("json");
    let slug = lists[0]["slug"].as_str().expect("slug").to_string();
    let (st, threads) = get(&format!("{base}/api/v1/lists/{slug}/threads"));
    assert_eq!(st, 200);
    let threads: serde_json::Value = serde_json::from_str(&threads).expect("json");
    let tid = threads[0]["id"].as_str().expect("id").to_string();
    let (st, thread) = get(&format!("{base}/api/v1/threads/{tid}"));
    assert_eq!(st, 200);
    let thread: serde_json::Value = serde_json::from_str(&thread).expect("json");
    assert_eq!(thread["id"], tid.as_str());
    // The CLI prints the same body as the API.
    let cli = crate::json(&run_ok(plenary(&data).args(["thread", &tid, "--json"])));
    assert_eq!(
        cli["messages"].as_array().map(Vec::len),
        thread["messages"].as_array().map(Vec::len)
    );
    let (st, page) = get(&format!("{base}/threads/{tid}"));
    assert_eq!(st, 200);
    assert!(page.contains(
        thread["subject"]
            .as_str()
            .expect("subject")
            .split('&')
            .next()
            .unwrap_or("")
    ));
    let (st, _) = get(&format!("{base}/threads/does-not-exist"));
    assert_eq!(st, 404);
    let (st, body) = get(&format!("{base}/api/v1/lists/{slug}/threads?month=2025-13"));
    assert_eq!(st, 400, "{body}");
}

#[test]
fn seed_thread_page_folds_quotes_and_marks_reconstructed_messages() {
    let Some(seed) = crate::shared("seeds/wg-strategy-2025-07-23-enhanced-cooperation.txt") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    import_json(dir.path(), &[&seed]);
    let threads = crate::json(&run_ok(plenary(dir.path()).args(["threads", "--json"])));
    let tid = threads[0]["id"].as_str().expect("id").to_string();
    let (_server, base) = start_server(dir.path());
    let (st, page) = get(&format!("{base}/threads/{tid}"));
    assert_eq!(st, 200);
    assert_eq!(page.matches("class=\"msg ").count(), 7);
    assert_eq!(page.matches(" reconstructed\"").count(), 6);
    assert!(page.contains("<details class=\"quoted\">"));
    assert!(page.contains("<pre class=\"body muted\">"));
    assert!(page.contains("Reconstructed</strong> from a quote"));
    // A reconstructed message has its own page, linked to its source.
    let t = crate::json(&run_ok(
        plenary(dir.path()).args(["thread", &tid, "--json"]),
    ));
    let ana = t["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["author"]["name"] == "Ana Neves")
        .expect("Ana");
    let (st, mp) = get(&format!(
        "{base}/messages/{}",
        ana["id"].as_str().expect("id")
    ));
    assert_eq!(st, 200);
    assert!(mp.contains("Reconstructed</strong> from a quote"));
    assert!(mp.contains("Thanks, Paul, for bringing up"));
    let (st, api) = get(&format!(
        "{base}/api/v1/messages/{}",
        ana["id"].as_str().expect("id")
    ));
    assert_eq!(st, 200);
    let api: serde_json::Value = serde_json::from_str(&api).expect("json");
    assert_eq!(api["reconstructed"], true);
    assert!(api["source"].is_string());
}
