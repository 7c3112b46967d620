"""What a drawing highlights: the state of a sweep after one step, and a highlighted path.

``Highlights`` is plain data (no DOT): which nodes are done, current or pending, the
tangent or adjoint known at each, the current step's chain-rule terms by edge, the stored
values that step reads, the caption lines, and the nodes and edges of ``path=``.
``envelope`` is the union of the highlights of every step of a sweep (all derivatives, all
terms, the longest captions): laid out once, it gives positions that fit every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..formatting import format_value
from ..graph import Graph, Path
from ..sweeps import Step, Term
from . import text

if TYPE_CHECKING:
    from ..sweeps import Sweep

__all__ = ["Highlights", "highlights", "envelope", "DONE", "CURRENT", "PENDING", "OFF"]


DONE, CURRENT, PENDING, OFF = "done", "current", "pending", "off"


@dataclass(frozen=True)
class Highlights:
    """The sweep state and path to draw on top of a graph (all empty for a plain graph).

    ``states`` maps node index → ``done`` / ``current`` / ``pending``; nodes a sweep never
    visits (constants, and in reverse mode nodes recorded after the seed) are absent and
    drawn ``off``. ``derivatives`` holds the tangent or adjoint of every done or current node.
    """

    mode: str | None = None
    seed_index: int = -1
    seed_element: str = ""  # "[1, 2]": one element of an array was seeded
    step: Step | None = None
    states: dict[int, str] = field(default_factory=dict)
    derivatives: dict[int, Any] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    reads: frozenset[int] = frozenset()
    captions: tuple[str, ...] = ()
    path: Path | None = None
    path_nodes: frozenset[int] = frozenset()
    path_edges: frozenset[str] = frozenset()

    def state(self, index: int) -> str:
        return self.states.get(index, OFF)


def _path_fields(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    return {"path": path, "path_nodes": frozenset(node.index for node in path.nodes),
            "path_edges": frozenset(edge.id for edge in path.edges)}


def _step_captions(graph: Graph, step: Step, count: int) -> tuple[str, ...]:
    lines = [text.step_caption(step, count)]
    if step.reads:
        shown = ", ".join(f"{text.visible(node.name)} = {format_value(node.value)}" for node in step.reads)
        lines.append(text.clip(f"Reads the stored forward value{'s' * (len(step.reads) > 1)} {shown}",
                                 text.CAPTION_LIMIT))
    return tuple(lines)


def highlights(graph: Graph, sweep: "Sweep | None" = None, step: int | None = None, path: Path | None = None) -> Highlights:
    """The highlights for ``sweep`` after ``sweep.steps[step]`` (``step`` already validated)
    and for ``path``."""
    if sweep is None:
        return Highlights(**_path_fields(path))
    steps = sweep.steps
    if step is None:
        step = len(steps) - 1
    states: dict[int, str] = {}
    derivatives: dict[int, Any] = {}
    for k, record in enumerate(steps):
        index = record.node.index
        if k <= step:
            states[index] = DONE if k < step else CURRENT
            derivatives[index] = record.value
        else:
            states[index] = PENDING
    current = steps[step]
    return Highlights(
        mode=sweep.mode, seed_index=sweep.seed_index, seed_element=sweep.seed_element, step=current,
        states=states, derivatives=derivatives,
        terms={term.edge.id: term for term in current.terms},
        reads=frozenset(node.index for node in current.reads),
        captions=_step_captions(graph, current, len(steps)),
        **_path_fields(path),
    )


def envelope(graph: Graph, sweep: "Sweep", path: Path | None = None) -> Highlights:
    """Every frame of ``sweep`` at once: each visited node current (bold, with its final
    derivative), every term on its edge, and for each caption line the longest text."""
    steps = sweep.steps
    final = highlights(graph, sweep, len(steps) - 1, path)
    captions: list[str] = []
    widths: list[int] = []
    for record in steps:
        for slot, line in enumerate(_step_captions(graph, record, len(steps))):
            width = text.text_width(line)
            if slot == len(captions):
                captions.append(line)
                widths.append(width)
            elif width > widths[slot]:
                captions[slot], widths[slot] = line, width
    # The widest line by an estimate: a margin of 10 % (non-breaking spaces) keeps a line
    # the estimate ranks a little too low inside the caption box of every frame.
    padded = tuple(line + "\u00a0" * (2 + len(line) // 5) for line in captions)
    return replace(
        final,
        states={index: CURRENT for index in final.states},
        terms={term.edge.id: term for record in steps for term in record.terms},
        captions=padded,
    )
