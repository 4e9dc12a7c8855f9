"""Benchmark: the region page and the monitor page with the monitor's targets and notes from
the database, in process (Django test client, no network, no server).

Sets up a fresh data folder (SQLite by default; ``NABIJ_DATABASE_URL`` for PostgreSQL), loads
the web demo (synthetic country, status-quo PO regions, users, the loket's modelled cases, the
monitor re-read from the casework register), then measures as the coordinator, ``--requests``
times each after a warm-up: the region page without targets, the region page with a target on
every indicator of the region plus ``--notes`` notes (status computed by ``nabij.monitor`` per
request), and the region's monitor page. Reports the median and p95 wall clock and the
median CPU time in ms.

    python bench/bench_web_monitor.py [--scale 0.3] [--requests 30] [--notes 20]

Prints a Markdown table for BENCHMARKS.md and writes bench/results/web_monitor.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup(scale: float):
    os.environ.setdefault("NABIJ_DATA_DIR", tempfile.mkdtemp(prefix="nabij-bench-webmon-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "nabij.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from nabij.web.regio.demo import load_demo

    t0 = time.perf_counter()
    load_demo(scale=scale)
    return time.perf_counter() - t0


def _targets(region, notes: int) -> int:
    """A straight target on every monitor indicator with a published baseline, through the
    same validation as the form; ``notes`` dated notes."""
    from nabij.web.monitor.models import Note, Target
    from nabij.web.monitor.targets import TargetProblems, check_target

    made = 0
    for ind, v in (region.monitor or {}).items():
        pts = [p for p in v.get("punten", []) if p[2] is not None]
        if not pts:
            continue
        y0, _h, base = pts[0]
        fields = {"indicator": ind, "basisjaar": str(y0), "doeljaar": str(y0 + 8),
                  "doelwaarde": str(round(base * 0.9, 3))}
        try:
            spec, _ = check_target(region, fields)
        except TargetProblems:
            continue
        Target.objects.create(region=region, indicator=ind, basisjaar=spec.basisjaar,
                              doeljaar=spec.doeljaar, doelwaarde=spec.doelwaarde)
        made += 1
    inds = list(region.monitor or {})
    for k in range(notes):
        Note.objects.create(region=region, indicator=inds[k % len(inds)] if inds else "",
                            datum=date(2024, 1, 1) + timedelta(days=17 * k),
                            tekst=f"Toelichting {k}", auteur="bench")
    return made


def _time(client, url: str, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``n`` requests (CPU time is what the page costs;
    wall clock also holds the wait for a core on a shared machine)."""
    for _ in range(3):
        assert client.get(url).status_code == 200
    wall, cpu = [], []
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        r = client.get(url)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert r.status_code == 200
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.3)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--notes", type=int, default=20)
    args = ap.parse_args()
    load_s = _setup(args.scale)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from nabij.web.regio.models import Membership

    user = get_user_model().objects.get(username="coordinator")
    region = Membership.objects.get(user=user).region
    client = Client()
    client.force_login(user)
    detail = reverse("regio:detail", args=[region.pk])
    rows = {"regiopagina zonder doelen": _time(client, detail, args.requests)}
    made = _targets(region, args.notes)
    rows[f"regiopagina, {made} doelen + {args.notes} toelichtingen"] = _time(
        client, detail, args.requests)
    rows["monitorpagina van de regio"] = _time(
        client, reverse("monitor:region", args=[region.pk]), args.requests)
    result = {k: {"median_ms": statistics.median(w),
                  "p95_ms": sorted(w)[int(0.95 * (len(w) - 1))],
                  "cpu_median_ms": statistics.median(c), "n": len(w)}
              for k, (w, c) in rows.items()}
    result["demo_laden_s"] = {"seconds": load_s, "scale": args.scale}
    print(f"demo geladen in {load_s:.1f} s (schaal {args.scale})\n")
    print("| pagina | mediaan (ms) | p95 (ms) | CPU mediaan (ms) | n |\n"
          "| --- | ---: | ---: | ---: | ---: |")
    for k, v in result.items():
        if "median_ms" in v:
            print(f"| {k} | {v['median_ms']:.1f} | {v['p95_ms']:.1f} | "
                  f"{v['cpu_median_ms']:.1f} | {v['n']} |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "web_monitor.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
