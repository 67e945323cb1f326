#!/usr/bin/env python3
"""Writes 200 realistic search queries for a generated corpus, one per line,
as three tab-separated columns: plenary, notmuch and mu syntax.

Words and phrases come from a deterministic sample of the corpus's own
messages (common, middling and rare words; adjacent word pairs), authors from
people.jsonl, months from the sampled Date headers and lists from the
Maildir folders. Mix: 60 single words, 40 two-word AND, 30 phrases, 30
authors, 20 word + month range, 20 word + list.

    bench/search_queries.py CORPUS > queries.tsv
"""
import collections
import email
import email.policy
import email.utils
import os
import random
import re
import sys

corpus = sys.argv[1]
maildir = os.path.join(corpus, "maildir")
rng = random.Random(7)

files = []
lists = sorted(d for d in os.listdir(maildir) if not d.startswith("."))
for l in lists:
    for sub in ("cur", "new"):
        p = os.path.join(maildir, l, sub)
        if os.path.isdir(p):
            names = sorted(os.listdir(p))
            files.extend(os.path.join(p, n) for n in names[:: max(1, len(names) // 400)])
rng.shuffle(files)
files = files[:1500]

WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
words = collections.Counter()
pairs = collections.Counter()
months = set()
for path in files:
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    try:
        d = email.utils.parsedate_to_datetime(str(msg["Date"]))
        months.add((d.year, d.month))
    except Exception:
        pass
    try:
        part = msg.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
    except Exception:
        continue
    own = "\n".join(l for l in text.splitlines() if not l.startswith(">"))
    toks = [t.lower() for t in WORD.findall(own)]
    words.update(toks)
    pairs.update(zip(toks, toks[1:]))

ranked = [w for w, _ in words.most_common()]
common, middle, rare = ranked[:150], ranked[150:1500], ranked[1500:6000] or ranked[150:]
good_pairs = [p for p, n in pairs.most_common(3000) if n >= 3]
people = []
with open(os.path.join(corpus, "people.jsonl"), encoding="utf-8") as f:
    for line in f:
        p = __import__("json").loads(line)
        last = p["full"].split()[-1]
        if len(last) >= 4 and last.isalpha():
            people.append(last.lower())
months = sorted(months)


def word():
    band = rng.random()
    pool = common if band < 0.3 else middle if band < 0.8 else rare
    return rng.choice(pool)


def month_range():
    i = rng.randrange(len(months))
    j = min(len(months) - 1, i + rng.randrange(1, 6))
    a, b = months[i], months[j]
    return (f"{a[0]}-{a[1]:02d}", f"{b[0]}-{b[1]:02d}", a, b)


def mu_date(a, b):
    import calendar

    last = calendar.monthrange(b[0], b[1])[1]
    return f"date:{a[0]}{a[1]:02d}01..{b[0]}{b[1]:02d}{last:02d}"


rows = []
for _ in range(60):
    w = word()
    rows.append((w, w, w))
for _ in range(40):
    a, b = word(), word()
    rows.append((f"{a} {b}", f"{a} and {b}", f"{a} and {b}"))
for _ in range(30):
    a, b = rng.choice(good_pairs)
    rows.append((f'"{a} {b}"', f'"{a} {b}"', f'"{a} {b}"'))
for _ in range(30):
    n = rng.choice(people)
    rows.append((f"from:{n}", f"from:{n}", f"from:{n}"))
for _ in range(20):
    w = word()
    a, b, ta, tb = month_range()
    rows.append((f"{w} date:{a}..{b}", f"{w} and date:{a}..{b}", f"{w} and {mu_date(ta, tb)}"))
for _ in range(20):
    w = word()
    l = rng.choice(lists)
    rows.append((f"{w} list:{l}", f"{w} and folder:{l}", f"{w} and maildir:/{l}"))

for r in rows:
    print("\t".join(r))
