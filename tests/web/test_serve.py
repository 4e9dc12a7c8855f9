"""The one server-ready wait (`nabij.web.serve`) used by `nabij web`, the load test and the
browser test."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading

import pytest

from nabij.web.serve import READY_PATH, gunicorn_command, wait_until_ready


class _Login(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.seen.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_returns_once_the_login_page_answers():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Login)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        wait_until_ready(f"http://127.0.0.1:{server.server_address[1]}", timeout=5)
    finally:
        server.shutdown()
    assert _Login.seen == [READY_PATH]


def test_a_server_that_exits_is_reported_in_dutch():
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait()
    with pytest.raises(RuntimeError, match="gestopt \\(code 3\\)"):
        wait_until_ready("http://127.0.0.1:9", proc, timeout=5)


def test_nobody_answering_times_out():
    with pytest.raises(RuntimeError, match="antwoordde niet binnen"):
        wait_until_ready("http://127.0.0.1:9", timeout=0.3, interval=0.1)


def test_gunicorn_command_binds_loopback_only():
    cmd = gunicorn_command(8123, workers=3, threads=4, access_log=True)
    assert cmd[cmd.index("--bind") + 1] == "127.0.0.1:8123"
    assert cmd[cmd.index("--workers") + 1] == "3" and cmd[cmd.index("--threads") + 1] == "4"
    assert "--access-logfile" in cmd
    assert "--threads" not in gunicorn_command(8123)
