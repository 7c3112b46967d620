"""The browser's what-if arithmetic (widget/whatif.js) against Python's registry, in Chromium:
every elementwise rule at sample points and kinks, whole sweeps on random graphs after an
input is edited, and number formatting."""

import json
import math

import numpy as np
import pytest

import graphviz_ad as ad
from graphviz_ad.formatting import format_number
from graphviz_ad.primitives import REGISTRY
from graphviz_ad.widget.whatif import SCRIPT, whatif_spec, why_no_whatif

pytestmark = pytest.mark.browser

ELEMENTWISE = sorted(name for name, prim in REGISTRY.items() if prim.elementwise)


@pytest.fixture
def whatif(page):
    page.set_content("<!doctype html><title>what-if</title>")
    page.add_script_tag(type="module", content=SCRIPT + "\nwindow.gadWhatif = {SCALAR_RULES, evaluate, "
                        "forwardTangents, reverseAdjoints, formatNumber};")
    page.wait_for_function("window.gadWhatif !== undefined")
    return page


def close(ours, theirs):
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if math.isinf(theirs):
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-14)


def test_every_elementwise_entry_has_a_browser_rule_and_nothing_else_does(whatif):
    names = whatif.evaluate("Object.keys(window.gadWhatif.SCALAR_RULES)")
    assert sorted(names) == ELEMENTWISE


def _samples(prim, rng):
    points = [tuple(float(rng.uniform(lo, hi)) for lo, hi in prim.domain) for _ in range(6)]
    if prim.arity == 1:
        points += [(0.0,), (1.0,), (-1.0,), (2.5,), (0.5,)]
    else:
        points += [(1.5, 1.5), (0.0, 2.0), (-2.0, 0.5), (3.0, -1.25)]
    return points


def test_every_rule_gives_python_s_value_and_partials(whatif):
    rng = np.random.default_rng(11)
    cases = []
    for name in ELEMENTWISE:
        prim = REGISTRY[name]
        for args in _samples(prim, rng):
            with np.errstate(all="ignore"):
                out = prim.impl(*args)
                partials = [prim.partials[slot](*args, out) for slot in range(prim.arity)]
            cases.append((name, args, out, partials))
    browser = whatif.evaluate(
        """cases => cases.map(([name, args]) => {
             const [f, ds] = window.gadWhatif.SCALAR_RULES[name];
             const out = f(...args);
             return [out, ds.map(d => d(...args, out))];
           })""", [[name, list(args)] for name, args, _, _ in cases])
    for (name, args, out, partials), (js_out, js_partials) in zip(cases, browser):
        assert close(js_out, float(out)), (name, args, js_out, out)
        for slot, (ours, theirs) in enumerate(zip(js_partials, partials)):
            assert close(ours, float(theirs)), (name, args, slot, ours, theirs)


def _random_program(rng):
    """A random scalar program over two or three inputs (a fresh trace of it, and a changed
    set of input values)."""
    unary = ["exp", "sin", "cos", "tanh", "sigmoid", "sinh", "arctan", "square", "expm1", "log1p_safe",
             "sqrt_safe", "relu", "abs", "fabs"]
    binary = ["add", "sub", "mul", "div_safe", "maximum", "minimum", "hypot", "arctan2", "logaddexp", "pow_safe"]
    steps = [(rng.choice(unary + binary), int(rng.integers(0, 100)), int(rng.integers(0, 100)),
              float(rng.uniform(-2, 2))) for _ in range(int(rng.integers(3, 12)))]

    def program(a, b, c):
        values = [a, b, c]
        for op, i, j, constant in steps:
            x, y = values[i % len(values)], values[j % len(values)] if j % 3 else constant
            if op == "log1p_safe":
                result = np.log1p(x * x)
            elif op == "sqrt_safe":
                result = np.sqrt(x * x + 0.5)
            elif op == "div_safe":
                result = x / (y * y + 1.0)
            elif op == "pow_safe":
                result = (x * x + 0.5) ** ad.tanh(y)
            elif op in ("add", "sub", "mul"):
                result = {"add": x + y, "sub": x - y, "mul": x * y}[op]
            elif op in binary:
                result = getattr(np, op)(x, y)
            elif op == "abs":
                result = abs(x)
            else:
                result = getattr(ad, op)(x) if op in ("sigmoid", "relu") else getattr(np, op)(x)
            values.append(result)
        return values[-1] + values[-2] * 0.5

    start = {name: float(v) for name, v in zip("abc", rng.uniform(-1.5, 1.5, 3))}
    edited = {name: float(v) for name, v in zip("abc", rng.uniform(-1.5, 1.5, 3))}
    return program, start, edited


def test_sweeps_recomputed_in_the_browser_equal_python_s_after_an_edit(whatif):
    rng = np.random.default_rng(5)
    jobs, expected = [], []
    while len(jobs) < 40:
        program, start, edited = _random_program(rng)
        g = ad.trace(program, **start)
        if why_no_whatif(g) is not None:
            continue
        again = g.retrace(**edited)
        if why_no_whatif(again) is not None:
            continue
        out = again.output_indices[0]
        inputs = {g[name].index: value for name, value in edited.items()}
        jobs.append([whatif_spec(g), inputs, [g[name].index for name in "abc"], out])
        reverse = again.reverse()
        expected.append({
            "values": [node.value for node in again.nodes],
            "adjoints": [reverse.gradient[name] for name in "abc"],
            "tangents": [again.forward(wrt=name).result for name in "abc"],
        })
    results = whatif.evaluate(
        """jobs => jobs.map(([spec, inputs, wrts, out]) => {
             const w = window.gadWhatif;
             const {values, partials} = w.evaluate(spec, inputs);
             const adjoints = w.reverseAdjoints(spec, partials, out);
             return {values, adjoints: wrts.map(i => adjoints[i]),
                     tangents: wrts.map(i => w.forwardTangents(spec, partials, i)[out])};
           })""", json.loads(json.dumps(jobs)))
    for got, want in zip(results, expected):
        for key in ("values", "adjoints", "tangents"):
            assert all(close(a, float(b)) for a, b in zip(got[key], want[key])), (key, got[key], want[key])


def test_colah_edited_in_the_browser(whatif):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    spec = whatif_spec(g)
    result = whatif.evaluate(
        """([spec, a, e, b]) => {
             const w = window.gadWhatif;
             const {values, partials} = w.evaluate(spec, {[a]: 3});
             return [values[e], w.reverseAdjoints(spec, partials, e)[b], w.formatNumber(values[e])];
           }""", [spec, g["a"].index, g["e"].index, g["b"].index])
    assert result == [8, 6, "8"]  # e = (3 + 1)·(1 + 1), ∂e/∂b = (b + 1) + (a + b) = 6


def test_numbers_are_written_as_python_writes_them(whatif):
    rng = np.random.default_rng(2)
    numbers = [0.0, -0.0, 1.0, 6.0, -2.5, 1e-5, 123456.0, 0.0001234, 12345.678, math.inf, -math.inf]
    numbers += list(rng.standard_normal(40) * 10.0 ** rng.integers(-7, 7, 40))
    for digits in (3, 4, 6):
        ours = whatif.evaluate("([xs, d]) => xs.map(x => window.gadWhatif.formatNumber(x, d))",
                               [[n if math.isfinite(n) else None for n in numbers], digits])
        for number, text in zip(numbers, ours):
            if math.isfinite(number):
                assert text == format_number(number, digits), (number, digits)


def test_graphs_the_browser_cannot_recompute_say_why():
    assert "array" in why_no_whatif(ad.trace(lambda x: x.sum(), np.ones(2)))
    chain = ad.parse("; ".join(["x1 = x0 * 2"] + [f"x{i + 1} = sin(x{i})" for i in range(1, 400)]), x0=0.5)
    assert "more than the 300 a page recomputes" in why_no_whatif(chain)  # (page size: see WHATIF_NODE_LIMIT)
    assert whatif_spec(ad.parse("e = a * b", a=1, b=2)) is not None
