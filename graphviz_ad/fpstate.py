"""``quiet_fp()`` / ``restore_fp(token)``: numpy's floating-point warnings off for a stretch
of code, at a fraction of ``np.errstate``'s cost.

Tracing and the reverse sweep run numpy with its warnings off (graphviz_ad reports a
non-finite value itself, naming the node). ``np.errstate(all="ignore")`` rebuilds numpy's
error state from keyword arguments on every entry; ``value_and_grad`` enters it twice per
call, and right after a large matrix product has pushed that Python code out of the CPU
caches, the two entries cost tens of microseconds (measured in ``benchmarks/``). numpy 2
keeps the error state in a context variable and errstate only sets it, so setting one
prebuilt "ignore all" state is the same thing done once. Where that private variable is
missing (a future numpy), ``np.errstate`` itself is used.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

__all__ = ["quiet_fp", "restore_fp"]


def _quiet_with_errstate() -> Any:
    state = np.errstate(all="ignore")
    state.__enter__()
    return state


def _restore_errstate(state: Any) -> None:
    state.__exit__(None, None, None)


try:
    from numpy._core.umath import _extobj_contextvar, _make_extobj

    # Bound C functions: no Python frame of their own on the hot path.
    quiet_fp = functools.partial(_extobj_contextvar.set, _make_extobj(all="ignore"))
    restore_fp = _extobj_contextvar.reset
except (ImportError, AttributeError, TypeError, ValueError):  # pragma: no cover - numpy internals moved
    quiet_fp, restore_fp = _quiet_with_errstate, _restore_errstate

