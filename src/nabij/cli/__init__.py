"""The `nabij` command line (Typer): thin, calls the packages below it."""

from __future__ import annotations

import importlib
import os
import signal
import sys


def _interrupted_while_starting(signum, frame) -> None:  # noqa: ARG001
    """Ctrl-C/SIGTERM before the commands run: nothing was written yet."""
    sys.stderr.write("Fout: afgebroken; er is niets geschreven.\n")
    raise SystemExit(130)


if os.path.basename(sys.argv[0]) in ("nabij", "__main__.py"):  # the entry point, not a test
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    signal.signal(signal.SIGTERM, _interrupted_while_starting)

import typer  # noqa: E402

app = typer.Typer(
    name="nabij",
    help="nabij — planning, monitoring en governance voor passend en inclusief onderwijs.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# Command groups, each in its own module exposing `app` (a Typer) or `register(app)`.
_GROUPS = {
    "atlas": "Atlas bouwen, importeren, controleren en bekijken.",
    "scenario": "Regio-indelingen bouwen en naast elkaar meten.",
    "optimize": "Optimale regio-indeling zoeken onder randvoorwaarden.",
    "fonds": "Inclusiefonds: verdeling van budgetten over gemeenten of regio's.",
    "vervoer": "Leerlingenvervoer: kosten en wat-als-analyses.",
    "web": "Regionale werkruimte (webapplicatie) starten en beheren.",
    "monitor": "Monitor: indicatoren, doelen en de halfjaarlijkse rapportage per regio.",
}
_COMMANDS = ("demo", "report")  # modules exposing register(app) for top-level commands


def _install() -> None:
    for name in (*_GROUPS, *_COMMANDS):
        try:
            mod = importlib.import_module(f"nabij.cli.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"nabij.cli.{name}":
                continue
            raise
        if hasattr(mod, "register"):
            mod.register(app)
        else:
            app.add_typer(mod.app, name=name, help=_GROUPS[name])


_install()


def main() -> None:
    """Entry point. Exit codes: 0 done; 2 bad usage or input (Dutch message, nothing
    written); 1 unexpected error (one Dutch line, traceback in a log file); 130 interrupted
    (Ctrl-C or SIGTERM: "afgebroken", previous output untouched)."""
    from nabij.cli.errors import run

    code = run(app)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # finished: a late Ctrl-C changes nothing
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.exit(code)
