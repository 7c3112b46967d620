"""The drawing options, their defaults and their validation, in one frozen ``Options`` record.

Every drawing function takes the same keyword-only options; ``resolve`` checks them once
and says what is allowed when a name or value is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from ..graph import Graph, Path
from .errors import RenderOptionError
from .themes import THEMES

__all__ = ["Options", "resolve", "LABEL_MODES", "RANKDIRS", "DEFAULT_MAX_NODES", "DEFAULT_TIMEOUT"]

LABEL_MODES = ("both", "symbolic", "numeric", "none")
RANKDIRS = ("BT", "TB", "LR", "RL")
DEFAULT_MAX_NODES = 1500
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Options:
    """How to draw. See the package docstring of :mod:`graphviz_ad.render` for each option."""

    labels: str = "both"
    theme: str = "light"
    path: Path | None = None
    rankdir: str = "BT"
    collapse: bool | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    timeout: float = DEFAULT_TIMEOUT
    dpi: float = 150.0
    show_constants: bool = False
    digits: int = 4
    caption: bool | str | None = None
    max_label: int = 40
    derivative_placeholder: str | None = None


_NAMES = tuple(f.name for f in fields(Options))


def resolve(graph: Graph, options: dict[str, Any]) -> Options:
    """Check ``options`` (keyword arguments of a drawing call) and fill in the defaults."""
    unknown = sorted(set(options) - set(_NAMES))
    if unknown:
        raise RenderOptionError(
            f"unknown drawing option{'s' * (len(unknown) > 1)} {', '.join(map(repr, unknown))}; "
            f"the options are: {', '.join(_NAMES)}")
    # None means "the default" for every option (so the CLI can pass its flags through).
    opts = Options(**{key: value for key, value in options.items() if value is not None})
    _choice("labels", opts.labels, LABEL_MODES)
    _choice("theme", opts.theme, tuple(THEMES))
    _choice("rankdir", opts.rankdir, RANKDIRS)
    if opts.collapse not in (None, True, False):
        raise RenderOptionError(f"collapse= must be None (automatic), True or False; got {opts.collapse!r}")
    if not isinstance(opts.show_constants, bool):
        raise RenderOptionError(f"show_constants= must be True or False; got {opts.show_constants!r}")
    _positive_int("max_nodes", opts.max_nodes)
    _positive_int("digits", opts.digits)
    _positive_int("max_label", opts.max_label, minimum=4)
    _positive_number("timeout", opts.timeout)
    _positive_number("dpi", opts.dpi)
    if not (opts.caption is None or isinstance(opts.caption, (bool, str))):
        raise RenderOptionError(f"caption= must be None (automatic), True, False or a str; got {opts.caption!r}")
    if not (opts.derivative_placeholder is None or isinstance(opts.derivative_placeholder, str)):
        raise RenderOptionError(f"derivative_placeholder= must be None or a str; got {opts.derivative_placeholder!r}")
    if opts.path is not None:
        _check_path(graph, opts.path)
    return opts


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise RenderOptionError(f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}")


def _positive_int(name: str, value: Any, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RenderOptionError(f"{name}= must be an int ≥ {minimum}; got {value!r}")


def _positive_number(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise RenderOptionError(f"{name}= must be a positive number; got {value!r}")


def _check_path(graph: Graph, path: Any) -> None:
    if not isinstance(path, Path):
        raise RenderOptionError(
            f"path= must be one of the Path objects returned by g.paths(src, dst); got {type(path).__name__}")
    if any(edge.graph is not graph for edge in path.edges):
        raise RenderOptionError("path= belongs to a different graph; take it from this graph's g.paths(...)")
