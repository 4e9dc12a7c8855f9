"""Write one file in a forked child process while the parent writes the others.

Writing an output folder is mostly single-threaded Python (CSV formatting, the XLSX writer); on
a machine with two or more cores a forked child can write the workbook at the same time. The
child gets a copy of the parent's memory, so nothing is pickled. Rules:

- the task writes files only (atomically, :mod:`nabij.io.atomic`) and returns nothing;
- the child dies with its parent (``PR_SET_PDEATHSIG`` on Linux), so an interrupted command
  leaves no writer behind in its temporary folder;
- when the child fails (or ``fork`` is not available, or ``NABIJ_NO_FORK`` is set) the task
  runs again in the parent, so the result never depends on the child.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator

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
    return hasattr(os, "fork") and not os.environ.get("NABIJ_NO_FORK") and (os.cpu_count() or 1) > 1


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
