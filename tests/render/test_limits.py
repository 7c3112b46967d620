"""Large graphs never start a multi-minute dot run, slow runs stop, and a missing dot
binary gives one clear error at render time only."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

import graphviz_ad as ad
from graphviz_ad import render

from .test_cli import ROOT


def chain(n: int, scoped: bool = False):
    def f(x):
        for k in range(n):
            if scoped:
                with ad.scope(f"block{k // 100}"):
                    x = ad.sin(x) * 0.5
            else:
                x = ad.sin(x) * 0.5
        return x
    return ad.trace(f, x=0.3)


def test_too_many_nodes_without_scopes_is_a_clear_error():
    g = chain(100)  # 201 drawn nodes
    with pytest.raises(render.GraphTooLargeError) as caught:
        g.to_dot(max_nodes=150)
    message = str(caught.value)
    assert "201 nodes" in message and "max_nodes=150" in message and "ad.scope" in message
    assert caught.value.nodes == 201 and caught.value.max_nodes == 150


def test_collapse_false_names_both_ways_out():
    with pytest.raises(render.GraphTooLargeError, match=r"201 nodes.*collapse=True.*max_nodes=201"):
        chain(100, scoped=True).to_dot(max_nodes=150, collapse=False)


def test_large_scoped_graph_collapses_automatically_and_says_so():
    g = chain(300, scoped=True)  # 601 nodes in 3 scopes
    source = g.to_dot(max_nodes=500).source
    assert source.count("class=scope") == 3 and "n0 [" in source
    assert "Collapsed by scope: 601 nodes is more than max_nodes=500" in source
    assert len(g.to_dot().source) > 10 * len(source)  # under the default limit it is drawn in full


def test_collapse_neurons_draws_one_box_per_neuron():
    def mlp(x0, x1, *w):
        weights = iter(w)
        hidden = [ad.tanh(next(weights) * x0 + next(weights) * x1 + next(weights)) for _ in range(3)]
        return sum(next(weights) * h for h in hidden)

    g = ad.trace(mlp, 0.5, -0.3, *np.linspace(-1, 1, 12))
    svg = render.to_svg(g, collapse="neurons")
    titles = re.findall(r'class="node[^"]*">\s*<title>([^<]*)</title>', svg)
    boxes = re.findall(r'<text[^>]*font-weight="bold"[^>]*>(v\d+: tanh|out: add)</text>', svg)
    assert len(titles) == 2 + 3 + 1  # the inputs x0, x1 (used by three neurons), three neurons, the output's
    assert sorted(b.split(":")[1] for b in boxes) == [" add", " tanh", " tanh", " tanh"]
    assert svg.count("<g id=\"node-") == 2 and len(g) > 20  # only x0 and x1 drawn as nodes: weights etc. in boxes
    with pytest.raises(render.RenderOptionError, match="neurons"):
        render.to_svg(g, collapse="by neuron")


def test_default_limit_is_1500():
    chain(740).to_dot()  # 1,481 nodes: drawn in full
    with pytest.raises(render.GraphTooLargeError, match="1,601 nodes"):
        chain(800).to_svg()  # raised before dot is started, so no dot is needed


@pytest.mark.needs_dot
def test_a_slow_dot_run_is_stopped_with_a_clear_error():
    with pytest.raises(render.DotTimeoutError, match=r"timeout=0\.01 s.*collapse=True"):
        chain(150).to_svg(timeout=0.01)


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH with no Graphviz on it (the real lookup, not a mock), and the system's
    Graphviz asked for, so the bundled one does not stand in."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("GRAPHVIZ_AD_ENGINE", "system")


def test_missing_dot_is_one_clear_error_at_render_time(colah, no_dot, tmp_path):
    sweep = colah.reverse()  # tracing and sweeps need no Graphviz
    assert sweep.gradient == {"a": 2.0, "b": 5.0}
    assert "digraph" in colah.to_dot().source
    assert colah.save(tmp_path / "g.dot").exists()
    with pytest.raises(render.DotNotFoundError) as caught:
        colah.to_svg()
    message = str(caught.value)
    assert all(hint in message for hint in ("apt install graphviz", "brew install graphviz", "conda install"))
    with pytest.raises(render.DotNotFoundError):
        sweep.save(tmp_path / "frame.png", step=1)
    assert not render.dot_available()


def test_missing_dot_display_falls_back_to_text(colah, no_dot):
    for shown in (colah, colah.reverse(), colah.reverse().frame(0)):
        bundle = shown._repr_mimebundle_()
        assert set(bundle) == {"text/plain"}
        assert "Graphviz" in bundle["text/plain"] and "apt install graphviz" in bundle["text/plain"]


def test_missing_dot_in_the_command_line(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(ROOT), "GRAPHVIZ_AD_ENGINE": "system"}
    done = subprocess.run([sys.executable, "-m", "graphviz_ad", "render", "c = a * b", "--at", "a=2", "b=3",
                           "-o", str(tmp_path / "g.svg")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "apt install graphviz" in done.stderr
    assert not (tmp_path / "g.svg").exists()
