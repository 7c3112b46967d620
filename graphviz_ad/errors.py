"""The exceptions and warnings graphviz_ad raises.

Every error is a ``GraphvizADError``; each subclass also derives from the built-in
exception a Python user would expect (``ValueError``, ``TypeError``, ``LookupError``), so
``except ValueError`` keeps working. Messages name the node, op or argument at fault and
say what to do.
"""

from __future__ import annotations

__all__ = [
    "GraphvizADError",
    "TraceError",
    "UnsupportedMethodError",
    "ParseError",
    "ShapeError",
    "NodeLookupError",
    "SeedError",
    "StepIndexError",
    "PathLimitError",
    "NonFiniteWarning",
]


class GraphvizADError(Exception):
    """Base class of every error raised by graphviz_ad."""


class TraceError(GraphvizADError, TypeError):
    """A value or operation that cannot be recorded on the tape."""


class UnsupportedMethodError(TraceError, AttributeError):
    """An ndarray method with no derivative rule called on a traced value (``x.sort()``).
    An ``AttributeError`` too, so that ``hasattr`` and numpy's protocol probes still work."""


class ShapeError(GraphvizADError, ValueError):
    """Array shapes that do not fit the operation (or a seed that does not fit its node)."""


class NodeLookupError(GraphvizADError, LookupError):
    """A node name (for ``g[...]``, ``wrt=``, ``of=``) that the graph does not have."""

    def __str__(self) -> str:  # LookupError would repr() a single argument
        return str(self.args[0]) if self.args else ""


class SeedError(GraphvizADError, ValueError):
    """A sweep that cannot start: a missing or ill-shaped seed, or an ambiguous output."""


class StepIndexError(GraphvizADError, IndexError):
    """A step number outside a sweep's steps."""

    def __str__(self) -> str:  # IndexError is a LookupError, which would repr() the message
        return str(self.args[0]) if self.args else ""


class PathLimitError(GraphvizADError, ValueError):
    """Too many paths to enumerate (their number grows exponentially with depth)."""


class ParseError(GraphvizADError, ValueError):
    """Expression text outside the safe grammar of ``ad.parse``.

    ``text`` is the source, ``offset`` the 0-based column of the offending part
    (when known); ``str()`` shows the text with a caret under it.
    """

    def __init__(self, message: str, text: str = "", offset: int | None = None, line: int = 1):
        self.message = message
        self.text = text
        self.offset = offset
        self.line = line
        super().__init__(self._format())

    def _format(self) -> str:
        if not self.text or self.offset is None:
            return self.message
        source_line = self.text.splitlines()[self.line - 1] if self.text.splitlines() else self.text
        where = f"line {self.line}, column {self.offset + 1}"
        return f"{self.message} ({where})\n    {source_line}\n    {' ' * self.offset}^"


class NonFiniteWarning(RuntimeWarning):
    """A node's value or derivative became inf or NaN (log of a negative, 0/0, ...)."""
