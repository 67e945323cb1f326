#!/usr/bin/env python3
"""Times the queries of WORK/queries.tsv through plenary, notmuch and mu and
prints the Markdown table of bench/search.sh (see there).

    bench/search_run.py WORK PLENARY-BINARY RUNS N
"""
import json
import os
import statistics
import subprocess
import sys
import time

work, binary, runs, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(work, "queries.tsv"), encoding="utf-8")]
env = dict(os.environ, NOTMUCH_CONFIG=os.path.join(work, "notmuch-config"))

tools = {
    "plenary": lambda q: [binary, "--data", os.path.join(work, "pdata"), "search", "--json", "--per-page", "20", q[0]],
    "notmuch": lambda q: ["notmuch", "search", "--output=messages", "--limit=20", q[1]],
    "mu": lambda q: ["mu", "find", "--muhome=" + os.path.join(work, "mu"), "--maxnum=20", q[2]],
}


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


only = [t for t in os.environ.get("TOOLS", "plenary,notmuch,mu").split(",") if t in tools]
results = {}
failures = {}
for name, cmd in ((n, tools[n]) for n in only):
    p50s, p99s, means = [], [], []
    for r in range(runs + 1):  # the first pass warms the caches
        lat = []
        fails = 0
        for q in rows:
            t = time.perf_counter()
            out = subprocess.run(cmd(q), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            lat.append((time.perf_counter() - t) * 1000)
            # mu exits 2 (or 4) when nothing matches; that is not a failure
            if out.returncode not in (0, 2, 4) or (name != "mu" and out.returncode != 0):
                fails += 1
        if r > 0:
            p50s.append(pct(lat, 50))
            p99s.append(pct(lat, 99))
            means.append(statistics.mean(lat))
        failures[name] = fails
    results[name] = (statistics.median(p50s), statistics.median(p99s), statistics.median(means))
    print(f"{name}: p50 {results[name][0]:.1f} ms, p99 {results[name][1]:.1f} ms ({fails} failed)", file=sys.stderr)

# In process: the index opened once, as the server holds it.
def inprocess(*extra):
    out = subprocess.run(
        [binary, "--data", os.path.join(work, "pdata"), "bench", "search", "--queries",
         os.path.join(work, "queries.tsv"), "--runs", str(runs), "--json", *extra],
        check=True, stdout=subprocess.PIPE, text=True,
    )
    return json.loads(out.stdout)


inproc = inprocess()
inproc_nofacets = inprocess("--no-facets")

print(f"\n{n:,} messages, {len(rows)} queries, {runs} passes after a warm-up, medians of per-pass percentiles; {os.cpu_count()} cores\n")
print("| tool | p50 ms | p99 ms | mean ms | failed queries | p50 vs plenary | p99 vs plenary |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
pp50, pp99 = results["plenary"][0], results["plenary"][1]
for name, (p50, p99, mean) in results.items():
    print(f"| {name} (one process per query) | {p50:.1f} | {p99:.1f} | {mean:.1f} | {failures[name]} | {p50 / pp50:.2f}× | {p99 / pp99:.2f}× |")
print(f"| plenary (in process, index open, with facet counts) | {inproc['p50_ms']:.2f} | {inproc['p99_ms']:.2f} | {inproc['mean_ms']:.2f} | {inproc['failed']} | | |")
print(f"| plenary (in process, index open, facets=false) | {inproc_nofacets['p50_ms']:.2f} | {inproc_nofacets['p99_ms']:.2f} | {inproc_nofacets['mean_ms']:.2f} | {inproc_nofacets['failed']} | | |")
print(f"\nslowest in-process queries: " + "; ".join(f"`{q}` {ms:.1f} ms" for q, ms in inproc["slowest"][:5]))
for t in ("plenary-import", "notmuch-index", "mu-index"):
    p = os.path.join(work, t + ".time")
    if os.path.exists(p):
        u, s, e, m = open(p).read().split()[:4]
        print(f"\n{t}: {float(u) + float(s):.0f} CPU-s, {float(e):.0f} s wall, {int(m) // 1024} MB peak RSS", end="")
print("\n")
def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total // 1_000_000


print(f"on disk: plenary index {du(os.path.join(work, 'pdata', 'index'))} MB (store {du(os.path.join(work, 'pdata')) - du(os.path.join(work, 'pdata', 'index'))} MB), "
      f"notmuch {du(os.path.join(work, 'nmdb'))} MB, mu {du(os.path.join(work, 'mu'))} MB")
