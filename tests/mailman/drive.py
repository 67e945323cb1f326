"""Drives the real mailman-hyperkitty Archiver against `plenary serve`.

Checked, in order:
1. a message archived by the plugin is on its thread page, in search and in the
   list's Atom feed, and the permalink the plugin got answers (the time from the
   POST to all three is printed: the issue asks for under 2 s);
2. archiving it again changes nothing (same URL, same counts);
3. the plugin's `list_url` and `permalink` answer through /api/mailman/urls;
4. a wrong key is refused (401), and a sender address not allowed is refused (403);
5. while the server is down the plugin queues the message in its spool; after a
   restart its next call sends the queued message too (retry), and both are stored;
6. X-No-Archive: yes is not stored.
The messages are written here, in the shape of real list mail; nothing is copied.
"""

import email
import email.policy
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import requests

BIN = sys.argv[1]
KEY = "test-archiver-key"
WORK = tempfile.mkdtemp(prefix="plenary-mailman.")
DATA = os.path.join(WORK, "data")
FQDN = "governance@lists.example.org"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"


def start_server(extra=()):
    log = open(os.path.join(WORK, "server.log"), "ab")
    p = subprocess.Popen(
        [BIN, "--data", DATA, "serve", "--addr", f"127.0.0.1:{PORT}",
         "--archiver-key", KEY, *extra],
        stdout=log, stderr=log)
    for _ in range(150):
        try:
            if requests.get(f"{BASE}/api/v1/stats", timeout=1).status_code == 200:
                return p
        except requests.RequestException:
            pass
        time.sleep(0.1)
    p.kill()
    sys.exit("plenary serve did not start; see " + os.path.join(WORK, "server.log"))


def stop_server(p):
    p.terminate()
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


# Mailman's configuration: a var_dir of our own and the plugin's config file.
os.makedirs(DATA)
hk_cfg = os.path.join(WORK, "mailman-hyperkitty.cfg")
with open(hk_cfg, "w") as f:
    f.write(f"[general]\nbase_url: {BASE}/\napi_key: {KEY}\n")
mm_cfg = os.path.join(WORK, "mailman.cfg")
with open(mm_cfg, "w") as f:
    f.write(f"""[mailman]
layout: here
[paths.here]
var_dir: {WORK}/var
[archiver.hyperkitty]
class: mailman_hyperkitty.Archiver
enable: yes
configuration: {hk_cfg}
""")

from mailman.config import config  # noqa: E402
from mailman.core.initialize import initialize_1  # noqa: E402

# what `mailman` does first on start: components, then the configuration
initialize_1(mm_cfg)
config.ensure_directories_exist()
from mailman.email.message import Message  # noqa: E402
from mailman_hyperkitty import Archiver  # noqa: E402


class MailingList:
    """What the archiver reads of Mailman's IMailingList."""

    def __init__(self, fqdn):
        self.fqdn_listname = fqdn
        self.list_name, self.mail_host = fqdn.split("@")
        self.list_id = f"{self.list_name}.{self.mail_host}"


MLIST = MailingList(FQDN)


def message(n, subject, body, reply_to=None, extra=""):
    refs = f"In-Reply-To: <{reply_to}>\nReferences: <{reply_to}>\n" if reply_to else ""
    raw = (
        f"From: Amara Okafor <amara.okafor{n}@civic-net.example>\n"
        f"To: {FQDN}\n"
        f"Subject: [Governance] {subject}\n"
        f"Date: Mon, 0{n} Dec 2025 10:1{n}:00 +0100\n"
        f"Message-ID: <mm-test-{n}@civic-net.example>\n"
        f"{refs}"
        f"List-Id: Governance discussion <governance.lists.example.org>\n"
        f"List-Post: <mailto:{FQDN}>\n"
        f"{extra}"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{body}\n"
    )
    return email.message_from_string(raw, _class=Message)


def api(path, **params):
    r = requests.get(f"{BASE}{path}", params=params, timeout=10)
    r.raise_for_status()
    return r


def visible(msgid, word):
    """Is the message on its thread page, in search and in the list's feed?"""
    m = requests.get(f"{BASE}/api/v1/messages/{urllib.parse.quote(msgid, safe='@')}", timeout=10)
    if m.status_code != 200:
        return False
    thread = m.json().get("thread")
    if not thread:
        return False
    page = requests.get(f"{BASE}/threads/{urllib.parse.quote(thread)}", timeout=10)
    hits = api("/api/v1/search", q=word).json()
    feed = requests.get(f"{BASE}/lists/governance/feed.atom", timeout=10).text
    return (page.status_code == 200 and msgid in json.dumps(hits)
            and word in feed)


def stats():
    return api("/api/v1/stats").json()


failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


server = start_server()
try:
    archiver = Archiver()

    # 1. archive, then see it everywhere
    m1 = message(1, "Enhanced cooperation after WSIS+20",
                 "Dear colleagues,\n\nThe review text on enhanced cooperation is out.\n"
                 "Comments on paragraph 12 welcome before Friday.\n\nAmara")
    t0 = time.monotonic()
    url = archiver.archive_message(MLIST, m1)
    seen = False
    while time.monotonic() - t0 < 30:
        if visible("mm-test-1@civic-net.example", "paragraph"):
            seen = True
            break
        time.sleep(0.05)
    latency = time.monotonic() - t0
    check(bool(url), f"the plugin got a permalink: {url}")
    check(seen, f"on the thread page, in search and in the Atom feed after {latency:.2f} s")
    r = requests.get(url, timeout=10)
    check(r.status_code == 200 and "paragraph 12" in r.text,
          f"the permalink answers with the message ({r.status_code}, via {r.url})")
    hk = requests.get(url.replace(f"/lists/governance/message/",
                                  f"/hyperkitty/list/{FQDN}/message/") + "/", timeout=10)
    check(hk.status_code == 200 and "paragraph 12" in hk.text,
          "the HyperKitty-style URL of the message redirects to it")

    # 2. again: nothing changes
    before = stats()
    url2 = archiver.archive_message(MLIST, message(1, "Enhanced cooperation after WSIS+20",
                                                   "Dear colleagues,\n\nThe review text on enhanced cooperation is out.\n"
                                                   "Comments on paragraph 12 welcome before Friday.\n\nAmara"))
    check(url2 == url and stats() == before, "archiving the same message again changes nothing")

    # 3. the plugin's URL look-ups
    check(archiver.list_url(MLIST) == f"{BASE}/lists/governance", "list_url is the list's page")
    check(archiver.permalink(MLIST, m1) == url, "permalink() gives the archived URL")

    # 4. refusals
    files = {"message": ("message.txt", m1.as_bytes())}
    bad = requests.post(f"{BASE}/api/mailman/archive", data={"mlist": FQDN}, files=files,
                        headers={"Authorization": "Token wrong"}, timeout=10)
    check(bad.status_code == 401, f"a wrong key is refused ({bad.status_code})")

    # 5. the server is down: the plugin queues, then sends on its next call
    stop_server(server)
    print("(the server is stopped now: the plugin's connection errors logged below are expected)")
    m2 = message(2, "Re: Enhanced cooperation after WSIS+20",
                 "Amara, thanks. On paragraph 12 we would add the IGF mandate renewal.",
                 reply_to="mm-test-1@civic-net.example")
    queued = archiver.archive_message(MLIST, m2)
    spool = os.path.join(config.ARCHIVE_DIR, "hyperkitty", "spool")
    check(queued is None and any(f.endswith(".pck") for f in os.listdir(spool)),
          "with the server down the message waits in the plugin's spool")
    server = start_server()
    m3 = message(3, "Re: Enhanced cooperation after WSIS+20",
                 "Agreeing with both: the mandate renewal belongs in paragraph 12.",
                 reply_to="mm-test-2@civic-net.example")
    archiver.archive_message(MLIST, m3)
    m2_stored = requests.get(f"{BASE}/api/v1/messages/mm-test-2@civic-net.example", timeout=10)
    m3_stored = requests.get(f"{BASE}/api/v1/messages/mm-test-3@civic-net.example", timeout=10)
    check(m2_stored.status_code == 200 and m3_stored.status_code == 200,
          "after the restart the queued message and the new one are both stored")
    check(not any(f.endswith(".pck") for f in os.listdir(spool)), "the spool is empty again")
    thread = m3_stored.json().get("thread")
    check(thread and thread == m2_stored.json().get("thread")
          and thread == requests.get(f"{BASE}/api/v1/messages/mm-test-1@civic-net.example",
                                     timeout=10).json().get("thread"),
          "the three messages are one thread")

    # 6. the sender's wish
    n_before = stats()["messages"]
    archiver.archive_message(MLIST, message(4, "Private note", "Please do not archive this.",
                                            extra="X-No-Archive: yes\n"))
    check(stats()["messages"] == n_before
          and requests.get(f"{BASE}/api/v1/messages/mm-test-4@civic-net.example",
                           timeout=10).status_code == 404,
          "X-No-Archive: yes is not stored")
finally:
    stop_server(server)

# 4b. another source address is refused (the endpoint allows only 192.0.2.1)
server = start_server(["--archiver-from", "192.0.2.1"])
try:
    r = requests.post(f"{BASE}/api/mailman/archive", data={"mlist": FQDN},
                      files={"message": ("message.txt", b"From: a@b\n\nx\n")},
                      headers={"Authorization": f"Token {KEY}"}, timeout=10)
    check(r.status_code == 403, f"a sender address not allowed is refused ({r.status_code})")
finally:
    stop_server(server)

status = subprocess.run([BIN, "--data", DATA, "status"], capture_output=True, text=True)
print(status.stdout, end="")
check("archiver" in status.stdout, "plenary status names the archiver as the list's source")

if failures:
    print(f"{len(failures)} check(s) failed; server log in {WORK}/server.log")
    sys.exit(1)
shutil.rmtree(WORK, ignore_errors=True)
print("mailman-hyperkitty checks passed")
