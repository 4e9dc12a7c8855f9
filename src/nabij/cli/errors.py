"""The CLI's error path: every failure ends in Dutch with a clear exit code.

- usage errors and bad values (typer/click) and :class:`NabijError` → Dutch message, exit 2;
- files and folders the system refuses (full disk, read-only, no permission) → Dutch, exit 1;
- anything unexpected → one Dutch line plus a log file with the traceback, exit 1;
- Ctrl-C or SIGTERM → "Afgebroken.", exit 130 (outputs are written atomically, so the
  previous output stays as it was).
"""

from __future__ import annotations

import os
import re
import signal
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

import typer

from nabij.errors import NabijError
from nabij.io.oserrors import os_reason

EXIT_USAGE = 2
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130

_PATTERNS = [
    (r"Input should be a valid integer.*", "geen geheel getal"),
    (r"Input should be a valid (?:number|float).*", "geen getal"),
    (r"Input should be a valid boolean.*", "geen ja/nee-waarde (gebruik true of false)"),
    (r"Input should be greater than or equal to (.*)", r"moet minstens \1 zijn"),
    (r"Input should be less than or equal to (.*)", r"mag hoogstens \1 zijn"),
    (r"Input should be greater than (.*)", r"moet groter dan \1 zijn"),
    (r"Input should be less than (.*)", r"moet kleiner dan \1 zijn"),
    (r"Input should be (.*)", r"moet een van deze waarden zijn: \1"),
    (r"Path does not point to a file.*", "is geen bestand"),
    (r"Path does not point to a directory.*", "is geen map"),
    (r"Path does not exist.*", "bestaat niet"),
    (r"'(.*)' is not a valid integer( range)?\.?", r"'\1' is geen geheel getal"),
    (r"'(.*)' is not a valid float( range)?\.?", r"'\1' is geen getal"),
    (r"'(.*)' is not a valid boolean\.?", r"'\1' is geen ja/nee-waarde"),
    (r"(.*) is not in the range (.*)\.?", r"\1 ligt niet in het bereik \2"),
    (r"(.*) is not (?:one of|a valid choice)(.*)", r"\1 is geen geldige keuze\2"),
    (r"File '(.*)' does not exist\.?", r"bestand '\1' bestaat niet"),
    (r"Path '(.*)' does not exist\.?", r"pad '\1' bestaat niet"),
    (r"Directory '(.*)' does not exist\.?", r"map '\1' bestaat niet"),
    (r"(.*) is a directory\.?", r"\1 is een map"),
    (r"(.*) is a file\.?", r"\1 is een bestand"),
]


def _dutch_value(message: str) -> str:
    msg = message.strip()
    for pat, repl in _PATTERNS:
        if re.fullmatch(pat, msg, flags=re.S):
            return re.sub(pat, repl, msg, flags=re.S).replace(">=", "≥").replace("<=", "≤")
    return msg


def _hint(e) -> str:
    param = getattr(e, "param", None)
    hint = getattr(e, "param_hint", None)
    if hint is None and param is not None:
        opts = getattr(param, "opts", None) or [getattr(param, "name", "")]
        hint = opts
    if isinstance(hint, list | tuple):
        hint = " / ".join(str(h) for h in hint)
    return str(hint or "")


def usage_message(e: Exception) -> str:
    """A Dutch version of a typer/click usage error."""
    from typer._click import exceptions as ce  # the click copy bundled with typer

    name = type(e).__name__
    if isinstance(e, ce.MissingParameter) or name == "MissingParameter":
        return f"optie {_hint(e)} ontbreekt (verplicht)"
    if isinstance(e, ce.NoSuchOption):
        extra = (f"; bedoelde u {', '.join(sorted(e.possibilities))}?"
                 if e.possibilities else "")
        return f"onbekende optie {e.option_name}{extra}"
    if isinstance(e, ce.BadParameter):
        return f"ongeldige waarde voor {_hint(e)}: {_dutch_value(e.message)}"
    text = getattr(e, "message", str(e))
    m = re.fullmatch(r"No such command '(.*?)'\.?(?: Did you mean (.*)\?)?", text, flags=re.S)
    if m:
        extra = f"; bedoelde u {m.group(2)}?" if m.group(2) else ""
        return f"onbekende opdracht '{m.group(1)}'{extra}"
    m = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", text)
    if m:
        return f"onverwacht(e) extra argument(en): {m.group(1)}"
    m = re.fullmatch(r"Option '(.*)' requires an argument\.?", text)
    if m:
        return f"optie {m.group(1)} heeft een waarde nodig"
    m = re.fullmatch(r"Missing command\.?", text)
    if m:
        return "geef een opdracht op (zie --help)"
    return _dutch_value(text)


def _usage_hint(e: Exception) -> str:
    ctx = getattr(e, "ctx", None)
    if ctx is None:
        return "Zie 'nabij --help'."
    return f"Zie '{ctx.command_path} --help'."


def _print_error(message: str, hint: str = "") -> None:
    from rich.console import Console

    err = Console(stderr=True)
    err.print("Fout: ", style="bold red", end="")
    err.print(message, highlight=False, markup=False)
    if hint:
        err.print(hint, highlight=False, markup=False)


def os_message(e: OSError) -> str:
    """A Dutch line for a refused file operation: what and where."""
    what = os_reason(e)
    where = e.filename or ""
    if isinstance(where, bytes):
        where = where.decode(errors="replace")
    return f"{where}: {what}" if where else what


def log_dir() -> Path:
    env = os.environ.get("NABIJ_LOG_DIR")
    if env:
        return Path(env)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "nabij" / "logs"


def write_log(exc: BaseException) -> Path | None:
    """Write the traceback of ``exc`` to a new log file; returns its path (or None)."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    head = f"nabij {' '.join(sys.argv[1:])}\n{stamp}\n\n"
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "nabij-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"fout-{stamp}-{os.getpid()}.log"
            path.write_text(head + text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def _interrupt(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def run(app: typer.Typer, args: list[str] | None = None) -> int:
    """Run the app and map every outcome to an exit code (see the module docstring)."""
    from typer._click import exceptions as ce

    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        rv = app(args=args, standalone_mode=False)
    except KeyboardInterrupt:
        rv = EXIT_INTERRUPTED
    except NabijError as e:
        _print_error(str(e))
        return EXIT_USAGE
    except typer.Exit as e:
        return int(e.exit_code)
    except typer.Abort:
        rv = EXIT_INTERRUPTED
    except ce.NoArgsIsHelpError as e:
        e.show()
        return EXIT_USAGE
    except ce.UsageError as e:
        _print_error(usage_message(e), _usage_hint(e))
        return EXIT_USAGE
    except ce.ClickException as e:
        _print_error(_dutch_value(e.format_message()))
        return EXIT_USAGE
    except OSError as e:
        log = write_log(e)
        _print_error(os_message(e), f"Details: {log}" if log else "")
        return EXIT_ERROR
    except MemoryError as e:
        log = write_log(e)
        _print_error("onvoldoende geheugen; probeer een kleiner bestand of een kleinere schaal",
                     f"Details: {log}" if log else "")
        return EXIT_ERROR
    except Exception as e:  # noqa: BLE001 - the last line of defence
        log = write_log(e)
        _print_error(f"onverwachte fout ({type(e).__name__}): nabij kon dit niet afmaken; "
                     "er is niets half geschreven.",
                     f"Technische details staan in {log}" if log else "")
        return EXIT_ERROR
    if rv == EXIT_INTERRUPTED:
        _print_error("afgebroken (Ctrl-C); de vorige uitvoer is ongewijzigd.")
        return EXIT_INTERRUPTED
    return int(rv or 0) if isinstance(rv, int) else 0
