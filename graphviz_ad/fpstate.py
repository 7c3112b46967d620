"""``quiet_fp()`` / ``restore_fp(token)``: numpy's floating-point warnings off for a stretch
of code, cheaper than ``np.errstate`` on a hot path.

Tracing and the reverse sweep run numpy with its warnings off: graphviz_ad reports a
non-finite value itself, naming the node (``NonFiniteWarning``). numpy 2 keeps its error
state in a context variable; ``quiet_fp`` sets one prebuilt "ignore all" state there
instead of building one from keyword arguments as ``np.errstate`` does (it is rebuilt
whenever the caller's own state, with its buffer size and error callback, changes). Where
that private variable is missing (a future numpy), ``np.errstate`` itself is used.

``current_state() is quiet_pair[1]`` says whether the state set by ``quiet_fp`` is still
in force (the traced function may have entered an ``np.errstate`` of its own).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["quiet_fp", "restore_fp", "current_state", "quiet_pair"]


def _quiet_with_errstate() -> Any:
    state = np.errstate(all="ignore")
    state.__enter__()
    return state


def _restore_errstate(state: Any) -> None:
    state.__exit__(None, None, None)


_extobj_contextvar: Any
try:
    from numpy._core.umath import _extobj_contextvar, _make_extobj
except ImportError:  # pragma: no cover - numpy internals moved: np.errstate it is
    _extobj_contextvar = None

# (a caller's state, the same state with every warning off). _make_extobj copies the
# current buffer size and error callback, so the pair is made again when the caller's
# state changes. One tuple, replaced whole, so threads never see half of a pair.
quiet_pair: tuple[Any, Any] = (None, None)


def _quiet_with_contextvar() -> Any:
    global quiet_pair
    current = _extobj_contextvar.get()
    pair = quiet_pair
    if current is not pair[0] and current is not pair[1]:  # (pair[1]: a trace inside a trace)
        pair = quiet_pair = (current, _make_extobj(all="ignore"))
    return _extobj_contextvar.set(pair[1])


if _extobj_contextvar is not None:
    quiet_fp = _quiet_with_contextvar
    restore_fp = _extobj_contextvar.reset  # a bound C method: no Python frame
    current_state = _extobj_contextvar.get
else:  # pragma: no cover
    quiet_fp, restore_fp = _quiet_with_errstate, _restore_errstate

    def current_state() -> Any:
        return "unknown"  # never quiet_pair[1]: callers take their careful path
