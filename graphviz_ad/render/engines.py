"""Which Graphviz lays the drawings out: the system's ``dot`` or the bundled ``graphviz-pure``.

``graphviz-pure`` (a Rust port of Graphviz 16.1 with wheels for Linux, macOS and Windows,
installed with graphviz_ad) means ``pip install graphviz-ad`` draws SVG and PNG with nothing
else on the machine. The system's Graphviz is preferred when it is on PATH: it is the
reference implementation, measures every character of a label with real font metrics, and
also writes PDF. ``GRAPHVIZ_AD_ENGINE`` chooses explicitly: ``system``, ``bundled`` or
``auto`` (the default: system, else bundled). Each engine's output is deterministic on its
own; the two differ in small ways (text widths, so label boxes), never in the graph.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from .errors import INSTALL_HINT, DotNotFoundError, RenderError

__all__ = ["Engine", "ENGINE_VARIABLE", "choose_engine", "bundled_path", "engine_names"]

ENGINE_VARIABLE = "GRAPHVIZ_AD_ENGINE"
_CHOICES = ("auto", "system", "bundled")
#: Formats graphviz-pure cannot write (it has no cairo or PostScript back ends).
_BUNDLED_CANNOT = frozenset({"pdf", "ps", "eps"})
#: Lines graphviz-pure prints for every label with a non-ASCII character (∂, ·, →): its
#: fallback width is harmless for us (render measures label text itself), so they are not
#: passed on as warnings.
_BUNDLED_NOISE = ("no value for width of non-ASCII character",)


@dataclass(frozen=True)
class Engine:
    """A way to run Graphviz: ``command(program)`` is the argv prefix for ``dot`` or ``neato``."""

    name: str
    executable: str

    def command(self, program: str) -> list[str]:
        if self.name == "system":
            found = shutil.which(program)
            if found is None:
                raise DotNotFoundError(f"Graphviz's {program!r} was not found. {INSTALL_HINT}")
            return [found]
        return [self.executable, f"-K{program}"]

    def check_format(self, fmt: str) -> None:
        if self.name == "bundled" and fmt in _BUNDLED_CANNOT:
            raise RenderError(
                f"{fmt.upper()} needs the system Graphviz (the bundled graphviz-pure writes svg and png): "
                f"install Graphviz ({INSTALL_HINT.split('. ', 1)[-1]}) or save as .svg or .png")

    def quiet(self, message: str) -> str:
        """``message`` (the engine's stderr) without lines that mean nothing for our drawings."""
        if self.name != "bundled":
            return message
        lines = [line for line in message.splitlines() if not any(noise in line for noise in _BUNDLED_NOISE)]
        return "\n".join(lines).strip()


def bundled_path() -> str | None:
    """Where the ``graphviz-pure`` executable is: beside this Python (a venv that is not
    activated, a kernel), in the user's scripts folder, or on PATH."""
    name = "graphviz-pure" + (".exe" if sys.platform == "win32" else "")
    folders = [sysconfig.get_path("scripts"), Path(sys.executable).parent]
    try:
        folders.append(sysconfig.get_path("scripts", f"{os.name}_user"))
    except KeyError:
        pass
    for folder in folders:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("graphviz-pure")


def choose_engine() -> Engine:
    """The engine ``GRAPHVIZ_AD_ENGINE`` asks for (default ``auto``: the system's Graphviz if
    ``dot`` is on PATH, else the bundled graphviz-pure)."""
    wanted = os.environ.get(ENGINE_VARIABLE, "auto").strip().lower() or "auto"
    if wanted not in _CHOICES:
        raise RenderError(f"{ENGINE_VARIABLE}={wanted!r} is not one of {', '.join(_CHOICES)}")
    if wanted in ("auto", "system") and shutil.which("dot") is not None:
        return Engine("system", "dot")
    if wanted == "system":
        raise DotNotFoundError(f"{ENGINE_VARIABLE}=system but Graphviz's 'dot' is not on PATH. {INSTALL_HINT}")
    bundled = bundled_path()
    if bundled is None:
        raise DotNotFoundError(
            f"no Graphviz found: neither 'dot' on PATH nor the bundled graphviz-pure "
            f"(pip install graphviz-pure). {INSTALL_HINT}")
    return Engine("bundled", bundled)


def engine_names() -> tuple[str, ...]:
    """The engines present on this machine (for tests that run under each)."""
    present = []
    if shutil.which("dot") is not None:
        present.append("system")
    if bundled_path() is not None:
        present.append("bundled")
    return tuple(present)
