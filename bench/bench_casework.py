"""Benchmark: the loket with 10,000 synthetic cases, over HTTP on loopback.

Sets up a fresh data folder (SQLite by default; ``NABIJ_DATABASE_URL`` for PostgreSQL), loads
the demo (synthetic country, status-quo regions, users) plus a synthetic case register of
about 10,000 cases (modelled) in the first region, starts gunicorn on 127.0.0.1 and measures,
as the loket user, the case list (first page, and filtered; each request also writes one
read-log row per case shown), the filtered case list as CSV (every exported case logged) and
the Inspectie export (XLSX and CSV). Latency per request from the client side; p50/p95 of
``--requests`` requests each after a warm-up. Target (issue 14): case list and Inspectie
export ≤ 300 ms p95.

    python bench/bench_casework.py [--cases 10000] [--requests 60] [--workers 2]

Prints a Markdown table for BENCHMARKS.md and writes bench/results/casework.json.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

from nabij.web.serve import gunicorn_command, wait_until_ready

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(cases: int) -> tuple[int, str, str, int]:
    """Demo + ~``cases`` synthetic cases in the first region; (region pk, user, password, n)."""
    from nabij.web.runtime import setup

    setup(migrate=True)
    from nabij.atlas import build_atlas
    from nabij.casework.synthetic import region_population, synthetic_register
    from nabij.sources.synthetic import synthetic_country
    from nabij.web.casus.demo import store_register
    from nabij.web.casus.models import Case
    from nabij.web.regio.demo import load_demo

    users = load_demo(seed=2024, scale=0.3)
    from nabij.web.regio.models import Region

    region = Region.objects.order_by("code").first()
    Case.objects.filter(region=region).delete()
    atlas = build_atlas(synthetic_country(seed=2024, scale=0.3))
    pupils, schools = region_population(atlas, [g["code"] for g in region.gemeenten])
    today = date.today()
    probe = synthetic_register(region.code, pupils, schools, today, years=4)
    scale = cases / max(1, len(probe.cases))
    reg = synthetic_register(region.code, pupils, schools, today, years=4, scale=scale)
    n = store_register(region, reg)
    loket = next(u for u in users if u.username == "loket")
    return region.pk, loket.username, loket.password, n


def _session(base: str, user: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/inloggen/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"username": user, "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    req = urllib.request.Request(f"{base}/inloggen/", data=data,
                                 headers={"Referer": f"{base}/inloggen/"})
    opener.open(req).read()
    return opener


def _measure(opener, url: str, n: int) -> dict:
    for _ in range(5):  # warm-up
        opener.open(url).read()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        with opener.open(url) as r:
            body = r.read()
            assert r.status == 200, r.status
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))],
            "max_ms": times[-1], "bytes": len(body), "requests": n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    os.environ.setdefault("NABIJ_DATA_DIR", tempfile.mkdtemp(prefix="nabij-bench-casus-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "nabij.web.settings"
    t0 = time.perf_counter()
    rpk, user, password, n = load(args.cases)
    print(f"  {n} zaken geladen in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    port = _free_port()
    server = subprocess.Popen(gunicorn_command(port, args.workers), env=dict(os.environ),
                              cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, server)
        opener = _session(base, user, password)
        year = date.today().year
        quarter = (date.today().month - 1) // 3 + 1
        urls = {
            "zakenlijst (pagina 1)": f"{base}/casus/regio/{rpk}/",
            "zakenlijst (filter open thuiszitters)":
                f"{base}/casus/regio/{rpk}/?status=in_behandeling&kind=thuiszitter",
            "zakenlijst als CSV (filter open thuiszitters)":
                f"{base}/casus/regio/{rpk}/zaken.csv?status=in_behandeling&kind=thuiszitter",
            "Inspectie-export XLSX":
                f"{base}/casus/regio/{rpk}/inspectie/?periode={year}-K{quarter}&formaat=xlsx",
            "Inspectie-export CSV":
                f"{base}/casus/regio/{rpk}/inspectie/?periode={year}-K{quarter}&formaat=csv",
        }
        results = []
        for label, url in urls.items():
            r = _measure(opener, url, args.requests) | {"case": label}
            results.append(r)
            print(f"  {label}: p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms",
                  file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=20)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    doc = {"cases": n, "workers": args.workers, "database": os.environ.get(
        "NABIJ_DATABASE_URL", "sqlite"), "results": results, "target_p95_ms": TARGET_MS}
    (out / "casework.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    print(f"\n{n} zaken, gunicorn {args.workers} workers, {doc['database']}\n")
    print("| verzoek | p50 (ms) | p95 (ms) | max (ms) | doel p95 |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in results:
        ok = "✓" if r["p95_ms"] <= TARGET_MS else "✗"
        print(f"| {r['case']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['max_ms']:.0f} | "
              f"≤ {TARGET_MS:.0f} {ok} |")


if __name__ == "__main__":
    main()
