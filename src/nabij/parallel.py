"""Use the second core: a forked child does part of the work while the parent does the rest.

Most of nabij's work is single-threaded Python and numpy; on a machine with two or more cores a
forked child can take half of it. The child gets a copy of the parent's memory, so inputs are
not pickled (only :func:`fork_map`'s results are). Rules:

- :func:`beside` runs a task that writes files (atomically, :mod:`nabij.io.atomic`);
  :func:`fork_map` maps a pure function over items and returns the results in order;
- the child dies with its parent (``PR_SET_PDEATHSIG`` on Linux), so an interrupted command
  leaves no worker behind;
- only the main thread forks (never a web server's request thread); with one core, without
  ``fork`` or with ``NABIJ_NO_FORK`` set everything runs in the parent;
- when the child fails its share runs in the parent, so results never depend on the child.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _run_child(task: Callable[[], object], parent: int) -> None:
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent(parent)
        task()
        code = 0
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _forkable() -> bool:
    """Fork only from the main thread of a process on a machine with more than one core (a
    web server's request threads never fork), unless ``NABIJ_NO_FORK`` is set."""
    return (hasattr(os, "fork") and not os.environ.get("NABIJ_NO_FORK")
            and (os.cpu_count() or 1) > 1
            and threading.current_thread() is threading.main_thread())


@contextlib.contextmanager
def beside(task: Callable[[], object]) -> Iterator[None]:
    """Run ``task`` in a forked child while the ``with`` block runs; wait for it at the end.

    If the block raises, the child is killed. If the child fails, ``task`` runs in the
    parent after the block (its error, if any, is then raised normally).
    """
    if not _forkable():
        yield
        task()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        _run_child(task, parent)
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        task()


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        b = os.read(fd, 1 << 20)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def fork_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(x) for x in items]``, the second half computed by a forked child.

    The child's results come back pickled through a pipe; if it fails, the parent computes
    them itself (and raises whatever ``func`` raises there).
    """
    half = (len(items) + 1) // 2
    if len(items) < 2 or not _forkable():
        return [func(x) for x in items]
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)

        def send() -> None:
            data = pickle.dumps([func(x) for x in items[half:]], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(w, "wb") as f:
                f.write(data)

        _run_child(send, parent)
    os.close(w)
    try:
        first = [func(x) for x in items[:half]]
        data = _read_all(r)
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    finally:
        os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        second: list[R] = pickle.loads(data)  # noqa: S301 - our own child's results
    else:
        second = [func(x) for x in items[half:]]
    return first + second


def parent_only(report: Callable[[str], object] | None) -> Callable[[str], None]:
    """``report`` (a progress callback) as called from work that :func:`fork_map` may run in a
    child: only the process that made this wrapper reports; a forked child stays quiet."""
    parent = os.getpid()

    def call(message: str) -> None:
        if report is not None and os.getpid() == parent:
            report(message)

    return call
