//! The Mailman 3 archiver endpoint through a running server, request by request
//! (the real `mailman-hyperkitty` client drives it in tests/mailman/check.sh).

use std::io::Read;

use crate::serve::{get, start_server, start_server_with};
use crate::{json, plenary, run_ok};

const KEY: &str = "k3y-for-tests";
const FQDN: &str = "governance@lists.example.org";

/// A message in the shape of Mailman 3 list mail.
fn message(n: u32, extra: &str) -> String {
    format!(
        "From: Tomás Rivera <tomas.rivera@ngo-hub.example>\r\nTo: {FQDN}\r\n\
         Subject: [Governance] Open consultation on the IGF mandate\r\n\
         Date: Tue, 02 Dec 2025 09:{n:02}:00 -0500\r\nMessage-ID: <arch-e2e-{n}@ngo-hub.example>\r\n\
         List-Id: Governance discussion <governance.lists.example.org>\r\n{extra}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n\
         The consultation closes on Friday; comments on the mandate renewal welcome.\r\n"
    )
}

/// POSTs a multipart form (fields in order; `message` as a file field) and returns
/// the status and the JSON body.
fn post(url: &str, fields: &[(&str, &[u8])], auth: Option<&str>) -> (u16, serde_json::Value) {
    let boundary = "----plenary-e2e-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        if *name == "message" {
            body.extend_from_slice(
                b"Content-Disposition: form-data; name=\"message\"; filename=\"message.txt\"\r\n\
                  Content-Type: text/plain\r\n\r\n",
            );
        } else {
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut req = agent.post(url).header(
        "Content-Type",
        &format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(token) = auth {
        req = req.header("Authorization", &format!("Token {token}"));
    }
    let mut resp = req.send(&body[..]).expect("request");
    let status = resp.status().as_u16();
    let mut text = String::new();
    resp.body_mut()
        .as_reader()
        .read_to_string(&mut text)
        .expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

fn messages_stored(data: &std::path::Path) -> u64 {
    json(&run_ok(plenary(data).args(["stats", "--json"])))["messages"]
        .as_u64()
        .expect("count")
}

#[test]
fn archiver_endpoint_stores_refuses_and_keeps_rejects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");

    // Off without a key.
    {
        let (_server, base) = start_server(&data);
        let (st, _) = post(
            &format!("{base}/api/mailman/archive?key={KEY}"),
            &[
                ("mlist", FQDN.as_bytes()),
                ("message", message(1, "").as_bytes()),
            ],
            None,
        );
        assert_eq!(st, 404, "the endpoint is off unless a key is set");
    }

    // On, with the key in the data folder's configuration file.
    std::fs::write(
        data.join("plenary.toml"),
        format!("[archiver]\nkey = \"{KEY}\"\nprivate_lists = [\"board@lists.example.org\"]\n"),
    )
    .expect("config");
    let (_server, base) = start_server_with(&data, &[]);
    let archive = format!("{base}/api/mailman/archive");
    let m1 = message(1, "");

    let (st, _) = post(
        &archive,
        &[("mlist", FQDN.as_bytes()), ("message", m1.as_bytes())],
        Some("wrong"),
    );
    assert_eq!(st, 401, "a wrong key");
    let (st, _) = post(
        &archive,
        &[("mlist", FQDN.as_bytes()), ("message", m1.as_bytes())],
        None,
    );
    assert_eq!(st, 401, "no key");

    // The key as the old plugin sends it (?key=) and as the new one does (header).
    let (st, body) = post(
        &format!("{archive}?key={KEY}"),
        &[("mlist", FQDN.as_bytes()), ("message", m1.as_bytes())],
        None,
    );
    assert_eq!(st, 200, "{body}");
    let url = body["url"].as_str().expect("url").to_string();
    assert!(
        url.starts_with(&format!("{base}/lists/governance/message/")),
        "{url}"
    );
    let (st, again) = post(
        &archive,
        &[("mlist", FQDN.as_bytes()), ("message", m1.as_bytes())],
        Some(KEY),
    );
    assert_eq!(
        (st, again["url"].as_str()),
        (200, Some(url.as_str())),
        "idempotent"
    );
    assert_eq!(messages_stored(&data), 1);
    let (st, page) = get(&url);
    assert_eq!(st, 200);
    assert!(
        page.contains("mandate renewal"),
        "the permalink shows the message"
    );

    // /api/mailman/urls: the list, and a message's permalink.
    let (st, u) = get(&format!("{base}/api/mailman/urls?mlist={FQDN}&key={KEY}"));
    assert_eq!(st, 200);
    assert_eq!(json_of(&u)["url"], format!("{base}/lists/governance"));
    let (_, u) = get(&format!(
        "{base}/api/mailman/urls?mlist={FQDN}&msgid=arch-e2e-1@ngo-hub.example&key={KEY}"
    ));
    assert_eq!(json_of(&u)["url"], url.as_str());

    // HyperKitty's URLs lead to our pages.
    let hash = url.rsplit('/').next().expect("hash");
    let (st, page) = get(&format!("{base}/hyperkitty/list/{FQDN}/thread/{hash}/"));
    assert_eq!(st, 200);
    assert!(page.contains("Open consultation on the IGF mandate"));
    let (st, _) = get(&format!(
        "{base}/hyperkitty/list/{FQDN}/message/NOSUCHHASH/"
    ));
    assert_eq!(st, 404);

    // Malformed requests and messages.
    let (st, body) = post(&archive, &[("message", m1.as_bytes())], Some(KEY));
    assert_eq!(st, 400);
    assert!(body["error"].as_str().expect("error").contains("mlist"));
    let (st, body) = post(&archive, &[("mlist", FQDN.as_bytes())], Some(KEY));
    assert_eq!(st, 400);
    assert!(body["error"].as_str().expect("error").contains("message"));
    let (st, body) = post(
        &archive,
        &[
            ("mlist", FQDN.as_bytes()),
            ("message", b"Subject: x\r\n\r\nbinary \x00\x01\x02 junk"),
        ],
        Some(KEY),
    );
    assert_eq!(st, 400, "{body}");
    assert!(body["error"]
        .as_str()
        .expect("error")
        .contains("kept as a reject"));
    let rejects = json(&run_ok(plenary(&data).args(["rejects", "--json"])));
    assert!(
        rejects
            .to_string()
            .contains("archiver:governance@lists.example.org"),
        "the reject names where it came from: {rejects}"
    );

    // The sender's wish, and a private list.
    let (st, _) = post(
        &archive,
        &[
            ("mlist", FQDN.as_bytes()),
            ("message", message(2, "Archive: no\r\n").as_bytes()),
        ],
        Some(KEY),
    );
    assert_eq!(st, 200);
    let (st, body) = post(
        &archive,
        &[
            ("mlist", b"board@lists.example.org"),
            ("message", message(3, "").as_bytes()),
        ],
        Some(KEY),
    );
    assert_eq!(
        (st, &body["private"]),
        (200, &serde_json::Value::Bool(true))
    );
    assert_eq!(messages_stored(&data), 1, "neither is in the public record");
    let kept = std::fs::read_to_string(data.join("private/board.mbox")).expect("kept raw");
    assert!(kept.contains("arch-e2e-3@ngo-hub.example"));

    let status = json(&run_ok(plenary(&data).args(["status", "--json"])));
    let gov = status
        .as_array()
        .expect("lists")
        .iter()
        .find(|l| l["slug"] == "governance")
        .expect("governance")
        .clone();
    assert_eq!(gov["rejects"], 1, "{gov}");
    assert_eq!(gov["sources"][0]["source"], "archiver");
    assert_eq!(gov["sources"][0]["not_archived"], 1);
}

fn json_of(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("json")
}
