#!/usr/bin/env python3
"""New replies to messages of a generated corpus (plenary gen-corpus), in its shape.

    incremental_replies.py CORPUS N OUT.mbox [latest]

Picks N messages spread evenly over the corpus's mbox files (each with a Message-ID,
a List-Id and a text body) and writes, for each, a reply by the author of another
message: References and In-Reply-To naming it, the list's List-Id and subject tag,
two hours later, a paragraph of new text, and the parent's first lines quoted under
an "On DATE, NAME <ADDRESS> wrote:" attribution. Deterministic: same corpus, same bytes.

With `latest`, the replies are what a live archive receives: replies to the corpus's
N latest messages, dated after everything it holds (two hours after its last message,
a minute apart), where the default replies are dated two hours after parents spread
over the corpus's whole span (an archive filled in late).
"""
import email.utils
import mailbox
import pathlib
import sys
import time
from email.header import decode_header, make_header
from email.message import EmailMessage

corpus, n, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), pathlib.Path(sys.argv[3])
msgs = []
for f in sorted((corpus / "mbox").glob("*.mbox")):
    for m in mailbox.mbox(str(f)):
        if m["Message-ID"] and m["List-Id"] and m.get_content_type() == "text/plain":
            msgs.append(m)
latest = len(sys.argv) > 4 and sys.argv[4] == "latest"
if latest:
    msgs.sort(key=lambda m: email.utils.parsedate_to_datetime(m["Date"]).timestamp())
    last = email.utils.parsedate_to_datetime(msgs[-1]["Date"]).timestamp()
    picked = msgs[-n:]
else:
    step = max(1, len(msgs) // n)
    picked = msgs[::step][:n]
texts = [
    "Thank you for this. We would support adding it to the agenda of the next call,\n"
    "and we can share our notes from the regional consultation beforehand.",
    "I agree with the direction, but the draft should say more clearly how\n"
    "non-governmental stakeholders take part in the follow-up.",
    "Could the secretariat circulate the revised text before Friday? Several\n"
    "delegations asked for more time to consult their capitals.",
]
with open(out, "w", encoding="utf-8") as w:
    for i, parent in enumerate(picked):
        k = (i * 7919 + 13) % len(msgs)
        while True:  # an author whose address is ASCII (From: cannot carry another)
            name, addr = email.utils.parseaddr(str(make_header(decode_header(msgs[k]["From"]))))
            if addr.isascii():
                break
            k = (k + 1) % len(msgs)
        pname, paddr = email.utils.parseaddr(str(make_header(decode_header(parent["From"]))))
        date = email.utils.parsedate_to_datetime(parent["Date"])
        when = last + 7200 + 60 * i if latest else date.timestamp() + 7200
        subject = str(make_header(decode_header(parent["Subject"] or "")))
        if not subject.lower().split("] ")[-1].startswith("re:"):
            subject = "Re: " + subject
        body = parent.get_payload(decode=True) or b""
        charset = parent.get_content_charset() or "utf-8"
        quoted = body.decode(charset, "replace").strip().splitlines()[:6]
        r = EmailMessage()
        r["From"] = email.utils.formataddr((name, addr))
        r["To"] = " ".join(str(make_header(decode_header(parent["To"] or ""))).split())
        r["Subject"] = subject
        r["Date"] = email.utils.formatdate(when, localtime=False)
        r["Message-ID"] = f"<incremental-bench-{i}@example.org>"
        r["In-Reply-To"] = str(parent["Message-ID"]).strip()
        refs = [" ".join(str(x).split()) for x in (parent["References"], parent["Message-ID"]) if x]
        r["References"] = " ".join(refs)
        r["List-Id"] = " ".join(str(parent["List-Id"]).split())
        r.set_content(
            f"{texts[i % len(texts)]}\n\n{name.split(' ')[0] if name else ''}\n\n"
            f"On {email.utils.format_datetime(date)}, {pname} <{paddr}> wrote:\n"
            + "\n".join("> " + l for l in quoted)
            + "\n"
        )
        frm = addr or "bench@example.org"
        w.write(f"From {frm} {time.asctime(time.gmtime(when))}\n")
        for line in r.as_string().splitlines():
            w.write((">" + line if line.startswith("From ") else line) + "\n")
        w.write("\n")
