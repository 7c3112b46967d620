"""Hostile input, generated: every outcome is a result or a GraphvizADError subclass (never
another exception), and the session stays usable afterwards."""

import math
import operator
import traceback
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphviz_ad as ad
from graphviz_ad.formatting import format_value

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = ["a", "b", "c", "x", "text", "1", "2.5", "0", "1e308", "10**400", "+", "-", "*", "/", "**", "@", "%",
          "//", "(", ")", "=", ";", ",", "\n", "exp(", "log(", "sqrt(", "maximum(", "abs(", "relu(", "sin(",
          "__import__", "lambda", "[", "]", "'s'", ".", "~", "<<", "if", "not", "¬", "∂", "\x00", "open(", " "]


def _raised_by_the_users_function(err: BaseException) -> bool:
    """An exception raised by the test's own traced function (``x * x`` on a dict the user
    passed), not by graphviz_ad: that one is the user's to see, unchanged."""
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and frames[-1].filename == __file__


def _usable():
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    assert g.reverse().gradient == {"a": 2.0, "b": 5.0}


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=14), st.dictionaries(
    st.sampled_from(["a", "b", "x", "text", "_hidden", "exp"]),
    st.one_of(st.floats(allow_nan=True), st.integers(-10**400, 10**400), st.just(np.ones((2, 2))),
              st.text(max_size=3), st.none()), max_size=3))
def test_parse_gives_a_graph_or_a_graphviz_ad_error(tokens, values):
    text = "".join(tokens)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (non-finite values warn; that is their job)
        try:
            g = ad.parse(text, **values)
        except ad.GraphvizADError:
            pass
        else:
            assert isinstance(g, ad.Graph)
            str(g)


BAD = st.one_of(st.none(), st.text(max_size=4), st.integers(-3, 10**30), st.floats(allow_nan=True),
                st.just(()), st.just([1, "a"]), st.just({"k": 1}), st.just(np.ones(3)), st.just(object()),
                st.just(slice(None)), st.just(10**400), st.booleans())


def _calls(g):
    return [
        lambda v: g.forward(wrt=v), lambda v: g.reverse(of=v), lambda v: g.reverse(seed=v),
        lambda v: g.forward(wrt="a", seed=v), lambda v: g[v], lambda v: g.paths(v, "e"),
        lambda v: g.paths("b", "e", limit=v), lambda v: g.count_paths("b", v),
        lambda v: g.reverse().steps[v] if not isinstance(v, (slice,)) else g.reverse().steps[0],
        lambda v: g.retrace(a=v), lambda v: g.to_dot(labels=v), lambda v: g.to_dot(digits=v),
        lambda v: g.to_dot(theme=v), lambda v: g.to_dot(rankdir=v), lambda v: g.to_dot(max_label=v),
        lambda v: ad.trace(v, 1.0), lambda v: ad.trace(lambda x: x * v, 1.0),
        lambda v: ad.trace(lambda x: x.sum(axis=v), np.ones((2, 2))),
        lambda v: ad.trace(lambda x: x.reshape(v), np.ones((2, 2))),
        lambda v: ad.trace(lambda x: x[v], np.ones((2, 2))),
        lambda v: ad.trace(lambda x: x.transpose(v), np.ones((2, 2))),
        lambda v: ad.trace(lambda x: np.clip(x, v, 1.0), np.ones(2)),
        lambda v: ad.trace(lambda x: np.concatenate([x, v]), np.ones(2)),
        lambda v: ad.grad(lambda x: x * x, argnums=v)(1.0), lambda v: ad.grad(lambda x: x * x)(v),
        lambda v: ad.jvp(lambda x: x * 2, (1.0,), (v,)), lambda v: ad.vjp(lambda x: x * 2, 1.0)[1](v),
        lambda v: ad.parse(v), lambda v: ad.check_grad(lambda x: x * x, v),
    ]


@FAST
@given(st.integers(0, 29), BAD)
def test_api_misuse_gives_a_graphviz_ad_error_and_the_graph_stays_usable(which, value):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    calls = _calls(g)
    call = calls[which % len(calls)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(value)
        except ad.GraphvizADError:
            pass
        except Exception as err:  # noqa: BLE001
            if not _raised_by_the_users_function(err):
                raise
    assert g.reverse().gradient == {"a": 2.0, "b": 5.0}
    _usable()


OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
             "@": operator.matmul, "%": operator.mod, "//": operator.floordiv, "<<": operator.lshift,
             ">>": operator.rshift, "&": operator.and_, "|": operator.or_, "^": operator.xor}


@FAST
@given(st.sampled_from(sorted(OPERATORS)), BAD, st.booleans())
def test_operators_on_traced_values_give_results_or_graphviz_ad_errors(op, other, reflected):
    def f(x):
        left, right = (other, x) if reflected else (x, other)
        return OPERATORS[op](left, right)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for argument in (1.5, np.ones(3)):
            try:
                ad.trace(f, argument)
            except ad.GraphvizADError:
                pass
    _usable()


@FAST
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=12),
       st.integers(1, 8))
def test_summaries_never_warn_or_raise_under_any_numpy_error_state(entries, digits):
    array = np.array(entries)
    with np.errstate(all="ignore"):
        huge = array * 1e308
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        for value in (array, array.reshape(1, -1), huge, float(array[0])):
            text = format_value(value, digits)
            assert isinstance(text, str) and text


def test_big_ints_work_where_a_float_holds_them_and_are_named_where_not():
    assert ad.trace(lambda x: x + 10**300, 1.0).value == 1e300
    for call, named in [(lambda: ad.trace(lambda x: x * 2, 10**400), "input 'x'"),
                        (lambda: ad.trace(lambda x: x + 10**400, 1.0), "argument 2 of add"),
                        (lambda: ad.trace(lambda x: x ** 10**400, 1.0), "argument 2 of pow"),
                        (lambda: ad.parse("c = a + b", a=1, b=2).retrace(a=10**400), "input 'a'")]:
        with pytest.raises(ad.TraceError, match=named):
            call()
    assert math.isfinite(ad.parse("a * 2", a=10**300).value)


def test_nested_traces_keep_their_own_scopes():
    def helper(h):
        with ad.scope("inner"):
            return h * h

    inner_graphs = []

    def outer(x):
        with ad.scope("outer"):
            y = x * 2
            ad.grad(helper)(1.0)
            inner_graphs.append(ad.trace(helper, 2.0))
            z = y + 1
        return z

    g = ad.trace(outer, 1.0)
    assert g["z"].scope == "outer" and g["y"].scope == "outer"
    assert inner_graphs[0]["out"].scope == "inner" and inner_graphs[0]["h"].scope == ""


def test_an_input_named_text_and_matmul_between_numbers_in_parse():
    assert ad.parse("text * 2", text=3).value == 6.0
    assert ad.parse("2 @ 3").value == 6.0 and ad.parse("x + 2 @ 3", x=1).value == 7.0  # numbers: their product
    with pytest.raises(ad.ShapeError, match=r"matmul \(@\) needs arrays .* got a scalar x"):
        ad.parse("x @ 2", x=1.0)
    assert ad.parse("a @ b", a=np.eye(2), b=np.ones(2)).value.tolist() == [1.0, 1.0]
