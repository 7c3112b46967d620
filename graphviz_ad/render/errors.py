"""The errors the render layer raises, all ``GraphvizADError`` subclasses.

Each message says what went wrong and what to do: which option to pass, how to install
Graphviz, how many nodes the graph has.
"""

from __future__ import annotations

from ..errors import GraphvizADError

__all__ = [
    "RenderError",
    "RenderOptionError",
    "GraphTooLargeError",
    "DotNotFoundError",
    "DotTimeoutError",
    "DotFailedError",
    "DotWarning",
    "INSTALL_HINT",
]

INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to draw graphs and was not found on PATH. Install Graphviz: "
    "'sudo apt install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS), or "
    "'conda install -c conda-forge graphviz' (conda); then restart Python. "
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
