"""Serve the workspace with gunicorn: the command line and the wait until it answers.

Used by ``nabij web``, the load test (``bench/bench_web.py``) and the browser test, so that
there is one way to start the server and one way to wait for it. Standard library only: no
Django import, so a caller may use it before (or without) setting Django up.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

READY_PATH = "/inloggen/"
"""A page every installation serves without a login: when it answers, the server is ready."""


def gunicorn_command(port: int, workers: int = 2, threads: int = 1,
                     access_log: bool = False) -> list[str]:
    """The gunicorn command line serving the workspace on 127.0.0.1:``port``."""
    cmd = [sys.executable, "-m", "gunicorn", "nabij.web.wsgi:application",
           "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]
    if threads > 1:
        cmd += ["--threads", str(threads)]
    if access_log:
        cmd += ["--access-logfile", "-"]
    return cmd


def wait_until_ready(base: str, process: subprocess.Popen | None = None,
                     timeout: float = 60.0, interval: float = 0.5) -> None:
    """Block until ``base`` + :data:`READY_PATH` answers; raise ``RuntimeError`` (Dutch) when
    ``process`` exits first or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"de webserver is gestopt (code {process.returncode}) voordat "
                               f"{base} antwoordde")
        try:
            with urllib.request.urlopen(base + READY_PATH, timeout=2) as response:
                response.read()
            return
        except OSError:
            if time.monotonic() >= deadline:
                raise RuntimeError(f"de webserver op {base} antwoordde niet binnen "
                                   f"{timeout:.0f} s") from None
            time.sleep(interval)
