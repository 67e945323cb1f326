#!/usr/bin/env python3
"""Writes a `git fast-import` stream that commits every message of a Maildir tree to
`refs/heads/master` the way public-inbox v2 stores mail: one commit per message, the
message as the blob `m` at the root, its author and date in the commit. Used by
bench/import.sh to give public-inbox-index the same bytes the other tools read.

    bench/pi_fast_import.py MAILDIR | git --git-dir=INBOX/git/0.git fast-import --quiet
"""
import email.parser
import email.utils
import os
import sys


def clean(s: str) -> bytes:
    s = "".join(c for c in s if c not in "<>\n\r\0").strip() or "unknown"
    return s.encode("utf-8", "replace")


def main() -> None:
    root = sys.argv[1]
    files = []
    for d, _, names in os.walk(root):
        if os.path.basename(d) in ("cur", "new"):
            files.extend(os.path.join(d, n) for n in names)
    files.sort()
    out = sys.stdout.buffer
    parser = email.parser.BytesHeaderParser()
    for i, path in enumerate(files, 1):
        with open(path, "rb") as f:
            data = f.read()
        h = parser.parsebytes(data)
        name, addr = email.utils.parseaddr(str(h.get("From", "")))
        try:
            ts = int(email.utils.parsedate_to_datetime(str(h.get("Date"))).timestamp())
        except Exception:
            ts = 0
        subject = clean(str(h.get("Subject", "")))
        who = b"%s <%s> %d +0000" % (clean(name or addr), clean(addr), max(ts, 0))
        out.write(b"blob\nmark :%d\ndata %d\n" % (i, len(data)))
        out.write(data)
        out.write(b"\ncommit refs/heads/master\n")
        out.write(b"author " + who + b"\ncommitter " + who + b"\n")
        out.write(b"data %d\n%s\n" % (len(subject), subject))
        out.write(b"M 100644 :%d m\n\n" % i)


if __name__ == "__main__":
    main()
