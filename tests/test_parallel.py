"""nabij.parallel: the forked second-core helpers give the same results as running in one
process, and a failing or killed child never changes or loses a result."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from nabij import parallel
from nabij.io.atomic import atomic_write_text


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


@pytest.mark.skipif(not parallel._forkable(), reason="fork niet beschikbaar of één kern")
def test_fork_map_returns_results_in_order_and_uses_a_child() -> None:
    out = parallel.fork_map(_square_and_pid, list(range(9)))
    assert [v for v, _ in out] == [x * x for x in range(9)]
    pids = {p for _, p in out}
    assert os.getpid() in pids and len(pids) == 2  # half here, half in the child


def test_fork_map_without_fork_runs_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NABIJ_NO_FORK", "1")
    out = parallel.fork_map(_square_and_pid, list(range(5)))
    assert [v for v, _ in out] == [0, 1, 4, 9, 16]
    assert {p for _, p in out} == {os.getpid()}


def test_fork_map_redoes_the_share_of_a_failed_child() -> None:
    parent = os.getpid()

    def fails_in_child(x: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("kind faalt")
        return x + 1

    assert parallel.fork_map(fails_in_child, [1, 2, 3, 4]) == [2, 3, 4, 5]


def test_fork_map_raises_the_error_of_the_function() -> None:
    def bad(x: int) -> int:
        raise ValueError(f"fout bij {x}")

    with pytest.raises(ValueError, match="fout bij 0"):
        parallel.fork_map(bad, [0, 1, 2])


def test_no_fork_from_another_thread() -> None:
    seen: list[bool] = []
    t = threading.Thread(target=lambda: seen.append(parallel._forkable()))
    t.start()
    t.join()
    assert seen == [False]


def test_beside_writes_the_file_and_redoes_a_failed_child(tmp_path: Path) -> None:
    parent = os.getpid()
    target = tmp_path / "uit.txt"

    def write() -> None:
        if os.getpid() != parent:
            os._exit(3)  # the child dies without writing
        atomic_write_text(target, "inhoud")

    with parallel.beside(write):
        (tmp_path / "ander.txt").write_text("hier")
    assert target.read_text() == "inhoud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ander.txt", "uit.txt"]


def test_beside_kills_the_child_when_the_parent_fails(tmp_path: Path) -> None:
    marker = tmp_path / "kind-klaar.txt"

    def slow_write() -> None:
        import time

        time.sleep(2)
        marker.write_text("te laat")

    with pytest.raises(RuntimeError), parallel.beside(slow_write):
        raise RuntimeError("ouder faalt")
    import time

    time.sleep(2.5)
    assert not marker.exists()


def test_progress_only_from_the_parent() -> None:
    seen: list[str] = []
    report = parallel.parent_only(seen.append)

    def work(x: int) -> int:
        report(f"stap {x}")
        return x

    assert parallel.fork_map(work, [1, 2, 3, 4]) == [1, 2, 3, 4]
    if parallel._forkable():
        assert seen == ["stap 1", "stap 2"]  # the child's half reported nothing here
    else:
        assert seen == ["stap 1", "stap 2", "stap 3", "stap 4"]
