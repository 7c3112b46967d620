"""Turning a Python function into a Graph: ``trace``, ``name`` and ``scope``.

``trace(f, *args, **kwargs)`` wraps every number or array leaf of the arguments as an
input node (named after its parameter and path: ``x``, ``params[3]``, ``W1``), runs ``f``
once, and returns the recorded ``Graph``. Unnamed intermediates take the name of the
local variable of ``f`` that holds them when ``f`` returns, where there is one.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import re
import sys
import weakref
from typing import Any, Callable, Iterator

import numpy as np

from .errors import GraphvizADError, TraceError
from .fpstate import quiet_fp, restore_fp
from .graph import Graph
from .tape import Tape, to_input_value
from .traced import Traced, check_finite_arrays, lift_traced_numbers
from .trees import LEAF, Structure, flatten

__all__ = ["trace", "trace_selected", "name", "scope"]

# The tapes being recorded right now, innermost last (for ``scope``).
_active_tapes: contextvars.ContextVar[tuple[Tape, ...]] = contextvars.ContextVar("active_tapes", default=())
# The scope path on each of those tapes, as a stack of names (one stack per tape, in the
# same order): a trace inside a traced function (ad.grad of a helper) has scopes of its
# own, and leaving them puts the outer tape back in the outer scope.
_scope_stacks: contextvars.ContextVar[tuple[tuple[str, ...], ...]] = contextvars.ContextVar("scope_stacks", default=())


# ---------------------------------------------------------------------------
# Tracing.

def _function_name(f: Callable[..., Any]) -> str:
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def trace(f: Callable[..., Any], *args: Any, **kwargs: Any) -> Graph:
    """Run ``f`` once on traced copies of its arguments and return the recorded Graph.

    Every number or array leaf of ``args``/``kwargs`` (which may be lists, tuples or
    dicts of them) becomes an input node named after its parameter and position::

        g = ad.trace(lambda a, b: (a + b) * (b + 1), a=2.0, b=1.0)
        g.value  # 6.0
    """
    if not callable(f):
        raise TraceError(f"trace needs a function to call; got {type(f).__name__} {f!r}")
    return trace_selected(f, args, kwargs, differentiate=None)


def trace_selected(f: Callable[..., Any], args: tuple, kwargs: dict,
                   differentiate: set[int] | None, *, name_locals: bool = True, keep: bool = True) -> Graph:
    """Trace ``f``; only positional arguments whose position is in ``differentiate``
    become inputs (``None``: every argument), the others are passed through unchanged.
    ``keep=False`` is for graphs used only within one call: arrays are not copied."""
    function_name = _function_name(f)
    tape = Tape(label=f"trace of {function_name}", keep=keep)
    position_names = _positional_names(f, len(args))
    traced_args: list[Any] = list(args)
    arg_structures: list[tuple[str, Structure | None]] = [("", None)] * len(args)
    for position, value in enumerate(args):
        if differentiate is None or position in differentiate:
            structure, traced_args[position] = _make_inputs(tape, position_names[position], value)
            arg_structures[position] = (position_names[position], structure)
    traced_kwargs = dict(kwargs)
    kwarg_structures = {}
    if differentiate is None:
        for key, value in kwargs.items():
            kwarg_structures[key], traced_kwargs[key] = _make_inputs(tape, key, value)

    frame_holder: list[Any] = []
    tokens = (_active_tapes.set(_active_tapes.get() + (tape,)), _scope_stacks.set(_scope_stacks.get() + ((),)))
    # Never displace a profiler or debugger the user is running.
    profiler_was_free = name_locals and sys.getprofile() is None
    if profiler_was_free:
        _watch_for_frame(f, frame_holder)
    # numpy's own floating-point warnings are off while f runs: graphviz_ad reports a
    # non-finite value itself, naming the node where it appeared (NonFiniteWarning).
    fp_token = quiet_fp()
    try:
        result = _lift_object_arrays(tape, f(*traced_args, **traced_kwargs))
        if tape.untested:
            check_finite_arrays(tape)
    except BaseException as err:
        tape.closed = True
        # f's frame refers back to this one, which holds frame_holder: let go of it, or the
        # pair is a cycle that keeps every value of the failed trace alive until gc runs.
        frame_holder.clear()
        if isinstance(err, TypeError):
            _check_call(f, args, kwargs)  # a call that does not fit f's signature: say so plainly
        if isinstance(err, (TypeError, ValueError)):
            _raise_ours_from_numpy(err)
        raise
    finally:
        restore_fp(fp_token)
        if profiler_was_free:
            sys.setprofile(None)
        _scope_stacks.reset(tokens[1])
        _active_tapes.reset(tokens[0])
    tape.closed = True
    if frame_holder:  # local variable names first: `e = c * d; return e` names the output e
        _name_from_locals(tape, frame_holder.pop())
    out_structure, outputs = _record_outputs(tape, result)
    graph = Graph(tape, outputs, out_structure=out_structure,
                  arg_structures=tuple(arg_structures), kwarg_structures=kwarg_structures,
                  function_name=function_name)
    if keep:  # (a graph made for one transform call is never retraced)
        graph.recipe = Retrace(f, args, kwargs, differentiate, name_locals)
    return graph


def _raise_ours_from_numpy(err: Exception) -> None:
    """numpy's loops over an object array of traced numbers wrap our error in their own
    (``np.array([x, y]).astype(float)`` calls float() on each) or find no loop at all
    (``np.logaddexp([x, y], 1.0)``): say it in our words, naming what was called."""
    cause = err.__cause__ or err.__context__
    if isinstance(cause, GraphvizADError):
        raise cause.with_traceback(cause.__traceback__) from None
    found = re.match(r"ufunc '(\w+)' not supported for the input types", str(err))
    if found and isinstance(err, TypeError):
        raise TraceError(
            f"np.{found.group(1)} has no loop over a list of traced numbers (numpy calls none for "
            "an object array): build the array first with np.stack([...])") from None


def _check_call(f: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        signature = inspect.signature(f)
    except (TypeError, ValueError):
        return  # builtins and some C callables: let the call itself complain
    try:
        signature.bind(*args, **kwargs)
    except TypeError as err:
        raise TraceError(f"cannot call {_function_name(f)} with these arguments: {err}") from None


# Positional parameter names by function (then by argument count), for as long as the
# function lives. grad(f) traces f on every call and inspect.signature costs ~75 µs, so
# they are cached; but weakly: a notebook makes closures by the hundred, and a cache that
# held them would keep alive whatever they captured (a training set, say).
_names_by_function: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _positional_names(f: Callable[..., Any], count: int) -> tuple[str, ...]:
    """Parameter names for ``count`` positional arguments (``args[i]`` past a ``*args``)."""
    try:
        by_count = _names_by_function.get(f)
        if by_count is None:
            by_count = _names_by_function[f] = {}
    except TypeError:  # a callable that is unhashable or cannot be weakly referenced
        return _find_positional_names(f, count)
    names = by_count.get(count)
    if names is None:
        names = by_count[count] = _find_positional_names(f, count)
    return names


def _find_positional_names(f: Callable[..., Any], count: int) -> tuple[str, ...]:
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        return tuple(f"arg{i}" for i in range(count))
    positional = [p.name for p in parameters if p.kind in (
        inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    star = next((p.name for p in parameters if p.kind is inspect.Parameter.VAR_POSITIONAL), None)
    if count > len(positional) and star is None:
        raise TraceError(f"{_function_name(f)} takes {len(positional)} positional arguments but {count} were given")
    return tuple(positional[i] if i < len(positional) else f"{star}[{i - len(positional)}]" for i in range(count))


def _make_inputs(tape: Tape, path: str, value: Any) -> tuple[Structure, Any]:
    """Make every leaf of ``value`` an input node, named by its path (``flatten``):
    returns the structure and the same nesting with traced leaves."""
    if type(value) is float:  # the usual case: a number, no tree to walk
        leaf_value = to_input_value(value, "input {!r}", path, keep=tape.keep)
        return LEAF, Traced(tape, tape.add_input(leaf_value, path), leaf_value)
    structure, pairs = flatten(value, path)
    traced = []
    for leaf_path, leaf in pairs:
        if type(leaf) is Traced:
            raise TraceError(f"input {leaf_path!r} is already a traced value; nested tracing is not supported")
        leaf_value = to_input_value(leaf, "input {!r}", leaf_path, keep=tape.keep)
        traced.append(Traced(tape, tape.add_input(leaf_value, leaf_path), leaf_value))
    return structure, structure.rebuild(iter(traced))


def _lift_object_arrays(tape: Tape, result: Any) -> Any:
    """``result`` with numpy's object arrays of traced numbers (``return np.array([x, y])``)
    recorded as array nodes, while the trace is still open."""
    if type(result) is Traced:
        return result
    structure, pairs = flatten(result, "out")
    if not any(type(leaf) is np.ndarray and leaf.dtype == object for _, leaf in pairs):
        return result
    lifted = (lift_traced_numbers(tape, leaf) if type(leaf) is np.ndarray and leaf.dtype == object else None
              for _, leaf in pairs)
    return structure.rebuild(new if new is not None else leaf for new, (_, leaf) in zip(lifted, pairs))


def _record_outputs(tape: Tape, result: Any) -> tuple[Structure, tuple[int, ...]]:
    if type(result) is Traced and result._tape is tape:  # one traced value: the usual case
        tape.names.setdefault(result._index, "out")
        return LEAF, (result._index,)
    structure, pairs = flatten(result, "out")
    outputs = []
    for leaf_name, leaf in pairs:
        if type(leaf) is Traced:
            if leaf._tape is not tape:
                raise TraceError(f"output {leaf_name!r} comes from a different trace")
            index = leaf._index
        else:
            index = tape.add_constant(leaf, "output {!r}", leaf_name)
        if index not in tape.names:
            tape.names[index] = leaf_name
        outputs.append(index)
    if not outputs:
        raise TraceError("the traced function returned no numbers or arrays")
    return structure, tuple(outputs)


def _watch_for_frame(f: Callable[..., Any], holder: list[Any]) -> None:
    """Catch the frame of ``f``'s call, so its local variable names can name nodes.

    A one-shot profile hook: it is removed on the first call of ``f``'s code object, so
    the traced function runs at full speed afterwards.
    """
    code = getattr(inspect.unwrap(f), "__code__", None)
    if code is None:
        return

    def hook(frame, event, arg):
        if event == "call" and frame.f_code is code:
            holder.append(frame)
            sys.setprofile(None)

    sys.setprofile(hook)


def _name_from_locals(tape: Tape, frame: Any) -> None:
    names = tape.names
    for var_name, value in frame.f_locals.items():
        if type(value) is Traced and value._tape is tape and not var_name.startswith("_"):
            names.setdefault(value._index, var_name)


class Retrace:
    """How a graph was recorded, so it can be recorded again at other input values."""

    __slots__ = ("function", "args", "kwargs", "differentiate", "name_locals")

    def __init__(self, function, args, kwargs, differentiate, name_locals) -> None:
        self.function = function
        self.args = args
        self.kwargs = kwargs
        self.differentiate = differentiate
        self.name_locals = name_locals

    def scalar_inputs(self) -> dict[str, float]:
        """The top-level arguments that are plain numbers, by name: what sliders can change."""
        names = _positional_names(self.function, len(self.args))
        found = {names[i]: float(v) for i, v in enumerate(self.args) if _is_number(v)
                 and (self.differentiate is None or i in self.differentiate)}
        found.update({k: float(v) for k, v in self.kwargs.items() if _is_number(v) and self.differentiate is None})
        return found

    def with_values(self, values: dict[str, Any]) -> Graph:
        scalars = self.scalar_inputs()
        unknown = [k for k in values if k not in scalars]
        if unknown:
            raise TraceError(
                f"cannot retrace with {', '.join(map(repr, unknown))}: only top-level number inputs can "
                f"change ({', '.join(scalars) or 'none here'})")
        names = _positional_names(self.function, len(self.args))
        args = tuple(values.get(names[i], v) for i, v in enumerate(self.args))
        kwargs = {k: values.get(k, v) for k, v in self.kwargs.items()}
        graph = trace_selected(self.function, args, kwargs, self.differentiate, name_locals=self.name_locals)
        return graph


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ---------------------------------------------------------------------------
# Naming and scopes while tracing.

def name(value: Any, label: str) -> Any:
    """Name the node of a traced value (``c = ad.name(a + b, "c")``) and return the value.

    On an untraced value it does nothing, so model code can name nodes unconditionally.
    """
    if not isinstance(label, str) or not label.strip():
        raise TraceError(f"a node name must be a non-empty string; got {label!r}")
    if type(value) is Traced:
        value._tape.check_open(f"the name {label!r}")
        value._tape.names[value._index] = label.strip()
    return value


@contextlib.contextmanager
def scope(label: str) -> Iterator[None]:
    """Group the nodes recorded inside the ``with`` block under ``label`` (nestable).

    Rendering draws a scope as a cluster, or as one box when the graph is collapsed.
    """
    if not isinstance(label, str) or not label.strip() or "/" in label:
        raise TraceError(f"a scope name must be a non-empty string without '/'; got {label!r}")
    # Every active tape enters the scope (a value of an outer trace used inside an inner
    # one records on the outer tape), each on its own stack.
    tapes = _active_tapes.get()
    stacks = tuple(stack + (label.strip(),) for stack in _scope_stacks.get())
    token = _scope_stacks.set(stacks)
    for tape, stack in zip(tapes, stacks):
        tape.mark_scope("/".join(stack))
    try:
        yield
    finally:
        _scope_stacks.reset(token)
        for tape, stack in zip(tapes, _scope_stacks.get()):
            if not tape.closed:
                tape.mark_scope("/".join(stack))
