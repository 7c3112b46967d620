"""Random graphs with random names: every drawn node and edge keeps its SVG ids, every value
is drawn, and the DOT is the same on every build."""

from __future__ import annotations

import operator
import os
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphviz_ad as ad
from graphviz_ad.formatting import format_value
from graphviz_ad.render import ENGINE_VARIABLE
from graphviz_ad.render.elements import drawn_nodes
from graphviz_ad.render.options import DotWarning, Options
from graphviz_ad.render.text import visible

from . import svgtools

BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}
UNARY = {"sin": ad.sin, "tanh": ad.tanh, "exp": ad.exp}
names = st.text(alphabet=st.sampled_from('ab<>&"\'\\N]; =\n∂é😀-'), min_size=1, max_size=8).filter(str.strip)
steps = st.lists(
    st.tuples(st.sampled_from(sorted(BINARY) + sorted(UNARY)), st.integers(0, 99), st.integers(0, 99),
              st.one_of(st.none(), st.floats(-2, 2, allow_nan=False)), st.one_of(st.none(), names)),
    min_size=1, max_size=10)


def build(program):
    def f(x, y):
        values = [x, y]
        for op, i, j, constant, label in program:
            a = values[i % len(values)]
            if op in BINARY:
                b = constant if constant is not None else values[j % len(values)]
                value = BINARY[op](a, b)
            else:
                value = UNARY[op](ad.tanh(a))
            values.append(ad.name(value, label) if label else value)
        return values[-1]
    return ad.trace(f, x=0.3, y=-0.7)


@pytest.mark.needs_dot
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=steps, step=st.integers(0, 99), reverse=st.booleans(), show_constants=st.booleans())
def test_random_graph_frames_keep_the_id_contract(program, step, reverse, show_constants):
    g = build(program)
    sweep = g.reverse() if reverse else g.forward(wrt="x")
    k = step % len(sweep.steps)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DotWarning)  # e.g. a caption too wide for its pinned box
        if os.environ.get(ENGINE_VARIABLE) == "bundled" and any("\\" in visible(s[4] or "") for s in program):
            # graphviz-pure measures a drawn name's backslashes (its own, or a newline's \n)
            # as the label escapes them (doubled) in a fixed-size cell: a pair, as four
            # characters (system dot measures them as drawn)
            warnings.filterwarnings("ignore", "neato: Warning: cell size too small", DotWarning)
        root = svgtools.parse(sweep.to_svg(step=k, show_constants=show_constants))
    ids = svgtools.ids(root)
    drawn = drawn_nodes(g, Options(show_constants=show_constants))
    assert sorted(key for key in ids if key.startswith("node-")) == sorted(f"node-n{i}" for i in drawn)
    for i in drawn:
        assert ids[f"value-n{i}"].text == format_value(g.tape.values[i])
        assert f"deriv-n{i}" in ids
    current = sweep.steps[k].node.index
    assert "current" in svgtools.classes(ids[f"node-n{current}"])
    drawn_set = set(drawn)
    expected_edges = {f"edge-{e.id}" for e in g.edges if e.src.index in drawn_set}
    assert {key for key in ids if key.startswith("edge-")} == expected_edges


@pytest.mark.needs_dot
def test_every_frames_caption_fits_the_box_the_sweep_layout_gave_it():
    # Step 3's caption has no more characters than step 2's but is drawn wider (∂, ·): the
    # layout once sized the caption box by character count and that frame overflowed it.
    sweep = build([("add", 0, 0, None, None), ("add", 0, 0, 0.0, None)]).forward(wrt="x")
    assert len(sweep.steps[2].text) <= len(sweep.steps[1].text)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DotWarning)
        for k in range(len(sweep.steps)):
            sweep.to_svg(step=k)


@settings(max_examples=40, deadline=None)
@given(program=steps)
def test_random_graph_dot_is_deterministic(program):
    assert build(program).to_dot().source == build(program).to_dot().source
