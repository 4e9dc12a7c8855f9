"""Load test of the regional workspace: gunicorn (4 workers) on PostgreSQL, 50 concurrent
logged-in users for 60 s on the main pages. A bounded thread script (standard library only).

    NABIJ_BENCH_POSTGRES_URL=postgresql://nabij:nabij@127.0.0.1:55432/nabij_bench \\
        python bench/bench_web.py [--gebruikers 50] [--duur 60] [--workers 4] [--threads 4]
        [--denktijd 1.0 2.0] [--schaal 1.0]

Steps (only the last is timed): load the demo (synthetic country at ``--schaal``, status-quo PO
regions) into the database, give every region an overleg (meetings, agenda, agreements), create
one regiocoördinator per simulated user spread over the regions, start ``gunicorn
nabij.web.wsgi:application`` on 127.0.0.1 (4 workers with 4 threads each: the pages wait mostly
on the database, so a worker serves others meanwhile), log every user in (CSRF + session, as a
browser does), then let each user walk the main pages in a loop with a think time drawn
uniformly from ``--denktijd`` (like locust's ``between``): start page, region page (map,
monitor, measures), overleg register, a meeting, an agreement, search, and now and then the
XLSX export. Prints per page: requests, errors, median, p95, p99 (ms) and the totals; exits 1
when there is any error or the overall p95 exceeds 300 ms.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from nabij.web.serve import gunicorn_command, wait_until_ready

PASSWORD = "bench-wachtwoord-123"


def prepare(users: int, scale: float) -> list[tuple[str, int, int, int]]:
    """Demo + overleg per region + users; returns (username, region, meeting, agreement)."""
    from nabij.web.runtime import setup

    setup(migrate=True)
    from django.contrib.auth import get_user_model

    from nabij.web.overleg.models import AgendaItem, Agreement, Meeting
    from nabij.web.regio.demo import load_demo
    from nabij.web.regio.models import Membership, Region

    if not Region.objects.exists():
        load_demo(scale=scale)
    regions = list(Region.objects.order_by("code"))
    today = date.today()
    plan = []
    for region in regions:
        meeting = Meeting.objects.filter(region=region).first()
        if meeting is None or Agreement.objects.filter(region=region).count() < 5:
            meeting = Meeting.objects.create(region=region, date=today - timedelta(days=40),
                                             minutes="Verslag van het overleg.")
            for i, kind in enumerate(("oogo", "lea", "oab", "vve", "school_werk")):
                AgendaItem.objects.create(meeting=meeting, kind=kind, title=f"Punt {i}")
            owner = region.parties.first().organisation
            for i in range(5):
                a = Agreement.objects.create(
                    region=region, meeting=meeting, title=f"Afspraak {i} {region.code}",
                    owner=owner, deadline=today + timedelta(days=30 * i - 60),
                    indicator="maatstaf:leerlingen", target=10000 + i)
                a.parties.set([owner])
        plan.append((region.pk, meeting.pk, Agreement.objects.filter(region=region).first().pk))
    User = get_user_model()
    out = []
    for k in range(users):
        rpk, mpk, apk = plan[k % len(plan)]
        user, created = User.objects.get_or_create(username=f"bench{k:03d}")
        if created or not user.has_usable_password():
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, region_id=rpk, role="regiocoordinator")
        out.append((user.username, rpk, mpk, apk))
    from django.db import connections

    connections.close_all()
    return out


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def add(self, page: str, seconds: float, ok: bool, note: str = "") -> None:
        with self.lock:
            self.times[page].append(seconds)
            if not ok:
                self.errors[page] += 1
                if len(self.samples) < 5:
                    self.samples.append(f"{page}: {note}")


class User:
    """One simulated browser: own cookie jar, logs in, then walks the pages."""

    def __init__(self, base: str, username: str, rpk: int, mpk: int, apk: int) -> None:
        self.base, self.username = base, username
        self.pages = [("start", "/", 2), ("regio", f"/regio/{rpk}/", 3),
                      ("overleg", f"/regio/{rpk}/overleg/", 3),
                      ("vergadering", f"/vergadering/{mpk}/", 1),
                      ("afspraak", f"/afspraak/{apk}/", 2),
                      ("zoeken", "/zoeken/?q=Afspraak", 1),
                      ("export xlsx", f"/regio/{rpk}/afspraken.xlsx", 0.3)]
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def fetch(self, path: str, data: dict | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body,
                                     headers={"Referer": self.base + "/inloggen/"})
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def login(self) -> bool:
        _, page = self.fetch("/inloggen/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page = self.fetch("/inloggen/", {"csrfmiddlewaretoken": token.decode(),
                                                 "username": self.username,
                                                 "password": PASSWORD})
        return status == 200 and b"Uitloggen" in page

    def run(self, until: float, think: tuple[float, float], rec: Recorder) -> None:
        names = [p for p in self.pages]
        weights = [w for *_, w in self.pages]
        rng = random.Random(self.username)
        while time.perf_counter() < until:
            name, path, _ = rng.choices(names, weights)[0]
            t0 = time.perf_counter()
            status, body = self.fetch(path)
            dt = time.perf_counter() - t0
            ok = status == 200 and (name == "export xlsx" or b"Uitloggen" in body)
            rec.add(name, dt, ok, f"HTTP {status}")
            time.sleep(rng.uniform(*think))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] * 1000


def report(rec: Recorder, duration: float) -> tuple[int, float]:
    print("| pagina | verzoeken | fouten | mediaan ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    every: list[float] = []
    for name, xs in sorted(rec.times.items()):
        every += xs
        print(f"| {name} | {len(xs)} | {rec.errors[name]} | {statistics.median(xs) * 1000:.0f} "
              f"| {_pct(xs, 0.95):.0f} | {_pct(xs, 0.99):.0f} |")
    errors = sum(rec.errors.values())
    p95 = _pct(every, 0.95)
    print(f"| **alle** | {len(every)} | {errors} | {statistics.median(every) * 1000:.0f} | "
          f"{p95:.0f} | {_pct(every, 0.99):.0f} |")
    print(f"\n{len(every) / duration:.1f} verzoeken per seconde over {duration:.0f} s")
    for s in rec.samples:
        print("fout:", s)
    return errors, p95


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gebruikers", type=int, default=50)
    ap.add_argument("--duur", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=4,
                    help="threads per gunicorn worker (gthread); 1 = sync workers")
    ap.add_argument("--denktijd", type=float, nargs=2, default=(1.0, 2.0))
    ap.add_argument("--schaal", type=float, default=1.0)
    ap.add_argument("--database", default=os.environ.get("NABIJ_BENCH_POSTGRES_URL", ""))
    args = ap.parse_args()
    if not args.database.startswith("postgres"):
        print("Geef een PostgreSQL-database met --database of NABIJ_BENCH_POSTGRES_URL",
              file=sys.stderr)
        return 2
    os.environ["NABIJ_DATABASE_URL"] = args.database
    os.environ.setdefault("NABIJ_DATA_DIR", str(Path.cwd() / "bench-web-data"))
    t0 = time.perf_counter()
    users = prepare(args.gebruikers, args.schaal)
    print(f"voorbereiding: {time.perf_counter() - t0:.0f} s, {len(users)} gebruikers",
          file=sys.stderr)
    port = _port()
    server = subprocess.Popen(
        gunicorn_command(port, args.workers, args.threads),
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="nabij.web.settings"),
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, server)
        sims = [User(base, *u) for u in users]
        failed = [s.username for s in sims if not s.login()]
        if failed:
            print(f"inloggen mislukt voor {failed[:5]}", file=sys.stderr)
            return 1
        rec = Recorder()
        start = time.perf_counter()
        until = start + args.duur
        threads = [threading.Thread(target=s.run, args=(until, tuple(args.denktijd), rec))
                   for s in sims]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        errors, p95 = report(rec, time.perf_counter() - start)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    return 0 if errors == 0 and p95 <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
