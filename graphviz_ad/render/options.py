"""What a drawing may be asked for, and what goes wrong: the options (one frozen
``Options`` record, checked once by ``resolve``), the colour themes, and the errors.

Every drawing function takes the same keyword-only options; ``resolve`` says what is
allowed when a name or value is wrong. Themes (light and dark) are built on the Okabe–Ito
colour-blind-safe palette, and states are told apart by more than hue, so a greyscale
print still reads: the current node has a thick border and the strongest fill, done nodes
a light fill, pending nodes no fill and a dashed border; highlighted edges are thick.
Every error is a ``GraphvizADError`` subclass whose message says what to do: which option
to pass, how to install Graphviz, how many nodes the graph has.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from ..errors import GraphvizADError
from ..graph import Graph, Path

__all__ = [
    "RenderError", "RenderOptionError", "GraphTooLargeError", "DotNotFoundError", "DotTimeoutError",
    "DotFailedError", "DotWarning", "INSTALL_HINT", "Theme", "THEMES", "OKABE_ITO", "FONT", "Options",
    "resolve", "LABEL_MODES", "RANKDIRS", "DEFAULT_MAX_NODES", "DEFAULT_TIMEOUT",
]


INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to draw graphs and was not found on PATH. Install Graphviz: "
    "'sudo apt install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS), or "
    "'conda install -c conda-forge graphviz' (conda); then restart Python. (Or 'pip install graphviz-pure' "
    "for the bundled engine, which draws SVG and PNG.) "
    "Tracing, sweeps and g.to_dot() work without it.")


class RenderError(GraphvizADError):
    """Base class of every error raised while drawing."""


class RenderOptionError(RenderError, ValueError):
    """An unknown drawing option, or a value it does not accept."""


class GraphTooLargeError(RenderError, ValueError):
    """More nodes than ``max_nodes``: dot would run for minutes; collapse the graph instead."""

    def __init__(self, message: str, nodes: int, max_nodes: int) -> None:
        super().__init__(message)
        self.nodes = nodes
        self.max_nodes = max_nodes


class DotNotFoundError(RenderError, RuntimeError):
    """The ``dot`` binary is not installed (or not on PATH)."""


class DotTimeoutError(RenderError, TimeoutError):
    """``dot`` did not finish within ``timeout`` seconds (it was stopped)."""


class DotFailedError(RenderError, RuntimeError):
    """``dot`` exited with an error; the message carries what it printed."""


class DotWarning(UserWarning):
    """``dot`` finished but printed a warning (passed on, not swallowed)."""


# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# form of colour blindness.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

# Helvetica is one of the PostScript fonts Graphviz maps everywhere (SVG: "Helvetica,sans-Serif";
# cairo: a metric-compatible sans such as Liberation Sans).
FONT = "Helvetica"


@dataclass(frozen=True)
class Theme:
    """Every colour a drawing uses. Fills for kinds apply to plain graphs; in a sweep
    frame the fill shows the state (done / current / pending) and the shape shows the kind."""

    name: str
    background: str
    text: str
    muted: str            # secondary text: ops, pending derivatives, constants
    border: str
    edge: str
    edge_label: str
    input_fill: str
    op_fill: str
    output_fill: str
    const_fill: str
    done_fill: str
    current_fill: str
    current_border: str
    pending_border: str
    derivative: str       # a known tangent or adjoint
    term: str             # the current step's chain-rule terms
    read_fill: str        # stored forward values the current reverse step reads
    read_text: str
    path: str
    cluster_fill: str
    cluster_border: str

    def __hash__(self) -> int:
        # Hashed for every node and edge drawn (the cached defaults in elements.py): the name
        # alone, instead of all the colours; equal themes have equal names.
        return hash(self.name)


LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1A1A1A",
    muted="#5F5F5F",
    border="#4D4D4D",
    edge="#5C5C5C",
    edge_label="#333333",
    input_fill="#DDEFFA",     # sky blue, light
    op_fill="#F4F4F4",
    output_fill="#FBE8C4",    # orange, light
    const_fill="#FFFFFF",
    done_fill="#CBEBDD",      # bluish green, light
    current_fill="#F7C36B",   # orange, strong
    current_border=OKABE_ITO["vermillion"],
    pending_border="#9A9A9A",
    derivative="#00664A",     # bluish green, dark enough for text
    term=OKABE_ITO["vermillion"],
    read_fill="#CFE7F8",
    read_text=OKABE_ITO["blue"],
    path="#A64D88",           # reddish purple, darkened to stand out on white and in greyscale
    cluster_fill="#FAFAFA",
    cluster_border="#B3B3B3",
)

DARK = Theme(
    name="dark",
    background="#1E1E1E",
    text="#EDEDED",
    muted="#A0A0A0",
    border="#BDBDBD",
    edge="#A8A8A8",
    edge_label="#D6D6D6",
    input_fill="#1D3B52",
    op_fill="#2C2C2C",
    output_fill="#4D3812",
    const_fill="#1E1E1E",
    done_fill="#124B38",
    current_fill="#7A5200",   # lighter than done_fill, so the two differ in greyscale too
    current_border=OKABE_ITO["orange"],
    pending_border="#777777",
    derivative="#5FD3AE",
    term=OKABE_ITO["orange"],
    read_fill="#163F5C",
    read_text=OKABE_ITO["sky_blue"],
    path=OKABE_ITO["reddish_purple"],
    cluster_fill="#252525",
    cluster_border="#5A5A5A",
)

THEMES = {"light": LIGHT, "dark": DARK}


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
    collapse: bool | str | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    timeout: float = DEFAULT_TIMEOUT
    dpi: float = 150.0
    show_constants: bool = False
    digits: int = 4
    caption: bool | str | None = None
    max_label: int = 40
    derivative_placeholder: str | None = None
    derivative_reserve: Mapping[int, str] | None = None
    entry_reserve: Mapping[int, str] | None = None


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
    if opts.collapse not in (None, True, False, "neurons"):
        raise RenderOptionError(
            f"collapse= must be None (automatic), True (by scope), False or \"neurons\"; got {opts.collapse!r}")
    if not isinstance(opts.show_constants, bool):
        raise RenderOptionError(f"show_constants= must be True or False; got {opts.show_constants!r}")
    _positive_int("max_nodes", opts.max_nodes)
    _positive_int("digits", opts.digits, maximum=17)  # (a float has 17 significant digits)
    _positive_int("max_label", opts.max_label, minimum=4)
    _positive_number("timeout", opts.timeout)
    _positive_number("dpi", opts.dpi)
    if not (opts.caption is None or isinstance(opts.caption, (bool, str))):
        raise RenderOptionError(f"caption= must be None (automatic), True, False or a str; got {opts.caption!r}")
    if not (opts.derivative_placeholder is None or isinstance(opts.derivative_placeholder, str)):
        raise RenderOptionError(f"derivative_placeholder= must be None or a str; got {opts.derivative_placeholder!r}")
    for field in ("derivative_reserve", "entry_reserve"):
        reserve = getattr(opts, field)
        if reserve is not None and not (isinstance(reserve, Mapping) and all(
                isinstance(k, int) and isinstance(v, str) for k, v in reserve.items())):
            raise RenderOptionError(f"{field}= must be None or a mapping of node index (int) to text (str)")
        if reserve is not None and not isinstance(reserve, _FrozenTexts):
            opts = replace(opts, **{field: _FrozenTexts(reserve)})  # type: ignore[arg-type]
    if opts.path is not None:
        _check_path(graph, opts.path)
    return opts


class _FrozenTexts(dict):
    """A dict that hashes by content (options are hashed as layout-cache keys); not to be changed."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise RenderOptionError(f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}")


def _positive_int(name: str, value: Any, minimum: int = 1, maximum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum and value > maximum):
        bounds = f"≥ {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise RenderOptionError(f"{name}= must be an int {bounds}; got {value!r}")


def _positive_number(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise RenderOptionError(f"{name}= must be a positive number; got {value!r}")


def _check_path(graph: Graph, path: Any) -> None:
    if not isinstance(path, Path):
        raise RenderOptionError(
            f"path= must be one of the Path objects returned by g.paths(src, dst); got {type(path).__name__}")
    if any(edge.graph is not graph for edge in path.edges):
        raise RenderOptionError("path= belongs to a different graph; take it from this graph's g.paths(...)")
