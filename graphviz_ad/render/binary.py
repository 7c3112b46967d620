"""Running Graphviz's ``dot``: found on PATH at render time, run with an argv list (never a
shell) and a timeout, with one clear error when it is missing, too slow, or fails.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings

from .errors import INSTALL_HINT, DotFailedError, DotNotFoundError, DotTimeoutError, DotWarning

__all__ = ["find_program", "run_dot", "dot_available"]


def find_program(program: str = "dot") -> str:
    """The path of a Graphviz program (``dot``, ``neato``), or ``DotNotFoundError`` with
    install instructions."""
    path = shutil.which(program)
    if path is None:
        raise DotNotFoundError(INSTALL_HINT if program == "dot" else f"Graphviz's {program!r} was not found. {INSTALL_HINT}")
    return path


def dot_available() -> bool:
    return shutil.which("dot") is not None


def run_dot(source: str, fmt: str, *, timeout: float, args: tuple[str, ...] = (), what: str = "the graph",
            program: str = "dot") -> bytes:
    """``dot -T<fmt> [args]`` on ``source`` (or another Graphviz ``program``); its output as bytes.

    ``what`` describes the graph for messages (``"a graph of 1,200 nodes"``).
    """
    argv = [find_program(program), f"-T{fmt}", *args]
    try:
        done = subprocess.run(argv, input=source.encode("utf-8"), capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise DotTimeoutError(
            f"{program} did not finish drawing {what} within timeout={timeout:g} s and was stopped; "
            "pass collapse=True (one box per name scope) or a smaller max_nodes= to draw less, "
            "or a larger timeout= to wait longer") from None
    except OSError as err:  # found by which() a moment ago, but not runnable
        raise DotNotFoundError(f"could not run {argv[0]}: {err}. {INSTALL_HINT}") from None
    message = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        lines = message.splitlines()
        shown = "; ".join(lines[:3]) + (" ..." if len(lines) > 3 else "")
        raise DotFailedError(f"{program} failed on {what} (exit status {done.returncode}): {shown or 'no message'}")
    if message:
        warnings.warn(f"{program}: {message}", DotWarning, stacklevel=4)
    return done.stdout
