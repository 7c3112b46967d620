"""Interpreter work per ``value_and_grad`` call on the array MLP, counted, not timed.

    python benchmarks/bytecodes.py

Counts the Python bytecodes executed by one call (``sys.settrace`` opcode events), for
graphviz_ad, the minimal tape (``minimal_tape.py``) and hand-written backprop, at a toy
batch size where numpy's share is small. Unlike a time, the count is the same on every
run and every machine (for one Python version), so it shows whether a change to the hot
path did less work, where a timing would be lost in the noise. graphviz_ad's count is
split by phase: setting up the trace, recording (the traced function running), the
reverse sweep, and the rest (making the inputs, putting the gradient together).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import minimal_tape  # noqa: E402
from engine import minimal_tape_loss, mlp_data, mlp_loss, numpy_backprop  # noqa: E402

import graphviz_ad as ad  # noqa: E402

PHASES = {"mlp_loss": "recording", "minimal_tape_loss": "recording",
          "reverse_adjoints": "reverse sweep", "reverse_sweep": "reverse sweep", "trace_selected": "trace set-up"}


def count(call: Callable[[], object]) -> collections.Counter:
    """Bytecodes executed by one ``call()``, by phase (the innermost phase function on the stack)."""
    call()  # warm: first-call work (imports, caches) is not what we measure
    counts: collections.Counter = collections.Counter()

    def tracer(frame, event, arg):
        frame.f_trace_opcodes = True
        if event == "opcode":
            caller = frame
            while caller is not None and caller.f_code.co_name not in PHASES:
                caller = caller.f_back
            counts[PHASES[caller.f_code.co_name] if caller else "rest"] += 1
        return tracer

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return counts


def main() -> int:
    params, X, Y = mlp_data(batch=4)
    ours = ad.value_and_grad(mlp_loss)
    floor = minimal_tape.value_and_grad(minimal_tape_loss)
    for label, call in [("graphviz_ad value_and_grad", lambda: ours(params, X, Y)),
                        ("minimal tape", lambda: floor(params, X, Y)),
                        ("hand-written backprop", lambda: numpy_backprop(params, X, Y))]:
        counts = count(call)
        phases = ", ".join(f"{phase} {n:,}" for phase, n in counts.most_common())
        print(f"{label}: {sum(counts.values()):,} bytecodes" + (f" ({phases})" if len(counts) > 1 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
