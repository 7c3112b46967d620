"""``parse``: build a Graph from expression text, safely (an ``ast`` whitelist, never ``eval``).

The grammar: statements separated by ``;`` or newlines, each ``name = expr`` (which names
that node) or a bare ``expr``; expressions of numbers, names, ``+ - * / ** @``, unary
minus, parentheses and calls to the elementary functions (``exp``, ``sin``, ``relu``,
``maximum``, ...). The last statement is the output. Anything else is a ``ParseError``
that points at the offending text.
"""

from __future__ import annotations

import ast
import operator
from typing import Any, Callable

import numpy as np

from .errors import GraphvizADError, ParseError
from .functions import ELEMENTARY, plain_apply
from .graph import Graph
from .primitives import REGISTRY
from .traced import Traced
from .tracing import name as name_node
from .tracing import trace_selected

__all__ = ["parse", "MAX_EXPRESSION_LENGTH"]

MAX_EXPRESSION_LENGTH = 20_000



def _arithmetic(prim_name: str, python_op):
    """``python_op`` on traced values (it records a node); IEEE results on plain numbers,
    so that ``1/0`` in an expression gives inf with a warning, not a ZeroDivisionError."""
    prim = REGISTRY[prim_name]

    def apply(x: Any, y: Any) -> Any:
        if type(x) is Traced or type(y) is Traced:
            return python_op(x, y)
        return plain_apply(prim, x, y)

    return apply


def _matrix_product(x: Any, y: Any) -> Any:
    # Between two plain numbers (constants in the text) @ is their product, a 1×1 matrix
    # product; on traced values it is numpy's matmul, which names a scalar operand.
    if type(x) is not Traced and type(y) is not Traced and np.ndim(x) == 0 and np.ndim(y) == 0:
        return plain_apply(REGISTRY["mul"], x, y)
    return operator.matmul(x, y)


_BINARY = {ast.Add: _arithmetic("add", operator.add), ast.Sub: _arithmetic("sub", operator.sub),
           ast.Mult: _arithmetic("mul", operator.mul), ast.Div: _arithmetic("div", operator.truediv),
           ast.Pow: _arithmetic("pow", operator.pow), ast.MatMult: _matrix_product}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_ARITY = {"maximum": 2}


def parse(text: str, /, **values: Any) -> Graph:
    """Trace the expression ``text`` with the named input ``values``::

        g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
        g["e"].value  # 6.0
    """
    if not isinstance(text, str):
        raise ParseError(f"parse needs the expression as a str; got {type(text).__name__}")
    statements = _validate(text, values)
    input_names = list(values)

    def evaluate(**inputs: Any) -> Any:
        env = dict(inputs)
        result = None
        for target, expression in statements:
            result = _evaluate(expression, env, text)
            if target is not None:
                env[target] = name_node(result, target)
        return result

    graph = trace_selected(evaluate, (), {k: values[k] for k in input_names}, differentiate=None,
                           name_locals=False)
    graph.function_name = repr(text) if len(text) <= 60 else repr(text[:57] + "...")
    graph.expression = text
    return graph


def _error(message: str, text: str, node: ast.AST | None) -> ParseError:
    if node is None or not hasattr(node, "col_offset"):
        return ParseError(message, text)
    return ParseError(message, text, node.col_offset, getattr(node, "lineno", 1))


def _validate(text: str, values: dict[str, Any]) -> list[tuple[str | None, ast.expr]]:
    """Check the whole text against the grammar before anything runs."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ParseError(f"the expression is {len(text):,} characters long; the limit is {MAX_EXPRESSION_LENGTH:,}")
    if not text.strip():
        raise ParseError("the expression is empty")
    for key in values:
        if not key.isidentifier() or key.startswith("_"):
            raise ParseError(f"input name {key!r} is not allowed (use a plain identifier not starting with _)")
        if key in ELEMENTARY:
            raise ParseError(f"input name {key!r} is the name of a function; choose another name")
        if isinstance(values[key], (list, tuple, dict)):  # trace would make each leaf an input
            raise ParseError(f"input {key!r} is a {type(values[key]).__name__}; parse takes numbers and "
                             f"numpy arrays (for a vector, pass np.array(...))")
    try:
        module = ast.parse(text, mode="exec")
    except SyntaxError as err:
        offset = (err.offset - 1) if err.offset else None
        raise ParseError(f"not a valid expression: {err.msg}", text, offset, err.lineno or 1) from None
    except (RecursionError, MemoryError):
        raise ParseError("the expression is nested too deeply to parse") from None
    if not module.body:
        raise ParseError("the expression is empty")
    defined = set(values)
    statements: list[tuple[str | None, ast.expr]] = []
    for statement in module.body:
        if isinstance(statement, ast.Assign):
            if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
                raise _error("only 'name = expression' assignments are allowed", text, statement)
            target = statement.targets[0].id
            _check_name(target, text, statement.targets[0])
            if target in ELEMENTARY:
                raise _error(f"cannot assign to {target!r}: it is a function", text, statement.targets[0])
            if target in defined:
                raise _error(f"{target!r} is already defined; each name is assigned once", text, statement.targets[0])
            if isinstance(statement.value, ast.Name):
                raise _error(f"'{target} = {statement.value.id}' only renames a node; "
                             "assign an expression instead", text, statement)
            _check_expression(statement.value, defined, text)
            defined.add(target)
            statements.append((target, statement.value))
        elif isinstance(statement, ast.Expr):
            _check_expression(statement.value, defined, text)
            statements.append((None, statement.value))
        else:
            raise _error(f"{type(statement).__name__} statements are not allowed; "
                         "use 'name = expression' or an expression", text, statement)
    return statements


def _check_name(identifier: str, text: str, node: ast.AST) -> None:
    if identifier.startswith("_"):
        raise _error(f"names starting with '_' are not allowed: {identifier!r}", text, node)


def _check_expression(root: ast.expr, defined: set[str], text: str) -> None:
    stack: list[ast.AST] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise _error(f"only numbers are allowed as constants, not {node.value!r}", text, node)
            try:
                float(node.value)  # type: ignore[arg-type]  # (an int or a float: checked above)
            except OverflowError:
                raise _error("this number is too large for a float", text, node) from None
        elif isinstance(node, ast.Name):
            _check_name(node.id, text, node)
            if node.id in ELEMENTARY:
                raise _error(f"{node.id!r} is a function; call it, e.g. {node.id}(x)", text, node)
            if node.id not in defined:
                raise _error(f"name {node.id!r} has no value; pass it as parse(..., {node.id}=...) "
                             "or assign it first", text, node)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise _error(f"the operator {type(node.op).__name__} is not allowed", text, node)
            stack.extend((node.right, node.left))
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise _error(f"the operator {type(node.op).__name__} is not allowed", text, node)
            stack.append(node.operand)
        elif isinstance(node, ast.Call):
            func = node.func
            if not isinstance(func, ast.Name) or func.id not in ELEMENTARY:
                shown = func.id if isinstance(func, ast.Name) else ast.get_source_segment(text, func) or "?"
                raise _error(f"calling {shown!r} is not allowed; the functions are: "
                             f"{', '.join(sorted(ELEMENTARY))}", text, func)
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise _error(f"{func.id}() takes plain positional arguments only", text, node)
            arity = _ARITY.get(func.id, 1)
            if len(node.args) != arity:
                raise _error(f"{func.id}() takes {arity} argument{'s' * (arity > 1)}, got {len(node.args)}",
                             text, node)
            stack.extend(reversed(node.args))
        else:
            raise _error(f"{type(node).__name__} is not allowed in an expression", text, node)


def _evaluate(root: ast.expr, env: dict[str, Any], text: str) -> Any:
    """Evaluate a validated expression with an explicit stack (no recursion depth limit)."""
    results: list[Any] = []
    stack: list[tuple[ast.AST, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, ast.Constant):
            results.append(float(node.value))  # type: ignore[arg-type]  # (validated: a number)
        elif isinstance(node, ast.Name):
            results.append(env[node.id])
        elif not children_done:
            stack.append((node, True))
            children: tuple[ast.AST, ...]
            if isinstance(node, ast.BinOp):
                children = (node.left, node.right)
            elif isinstance(node, ast.UnaryOp):
                children = (node.operand,)
            else:
                assert isinstance(node, ast.Call)  # (the only other node _validate lets through)
                children = tuple(node.args)
            stack.extend((child, False) for child in reversed(children))
        elif isinstance(node, ast.BinOp):
            right = results.pop()
            left = results.pop()
            try:
                results.append(_BINARY[type(node.op)](left, right))
            except (TypeError, ValueError) as err:
                if isinstance(err, GraphvizADError):
                    raise
                raise _error(str(err), text, node) from None
        elif isinstance(node, ast.UnaryOp):
            results.append(_UNARY[type(node.op)](results.pop()))
        else:  # a validated call of a function by name
            assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            count = len(node.args)
            arguments = results[-count:]
            del results[-count:]
            results.append(ELEMENTARY[node.func.id](*arguments))
    return results[0]
