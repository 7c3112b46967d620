"""Both Graphviz engines, where present: the system's ``dot`` and the bundled graphviz-pure.

Each draws SVG and PNG deterministically; without a system Graphviz the bundled one is
used; what the bundled one cannot write (PDF) is one clear error."""

import os
import subprocess
import sys
import sysconfig

import pytest

import graphviz_ad as ad
from graphviz_ad import render
from graphviz_ad.render.engine import bundled_path, choose_engine, engine_names

ENGINES = engine_names()


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


@pytest.mark.parametrize("engine", ENGINES)
def test_each_engine_draws_svg_and_png_deterministically(engine, colah, monkeypatch, tmp_path):
    monkeypatch.setenv(render.ENGINE_VARIABLE, engine)
    assert choose_engine().name == engine
    sweep = colah.reverse()
    first, again = sweep.to_svg(step=2), sweep.to_svg(step=2)
    assert first == again
    assert 'id="deriv-n2"' in first and "∂e/∂c = 2" in first
    png = colah.save(tmp_path / "g.png", dpi=72).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == colah.save(tmp_path / "again.png", dpi=72).read_bytes()


@pytest.mark.skipif(bundled_path() is None, reason="graphviz-pure is a dependency; installed by pip install -e .")
def test_without_a_system_graphviz_the_bundled_engine_draws(colah, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot anywhere on PATH
    monkeypatch.delenv(render.ENGINE_VARIABLE, raising=False)
    assert choose_engine().name == "bundled" and render.dot_available()
    assert "∂e/∂c" in colah.to_svg()
    assert colah.save(tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(render.RenderError, match="PDF needs the system Graphviz"):
        colah.save(tmp_path / "g.pdf")
    assert not (tmp_path / "g.pdf").exists()
    colah.to_svg()  # still usable after the refusal


def test_an_unknown_engine_name_is_one_clear_error(colah, monkeypatch):
    monkeypatch.setenv(render.ENGINE_VARIABLE, "graphviz-2")
    with pytest.raises(render.RenderError, match="GRAPHVIZ_AD_ENGINE='graphviz-2' is not one of auto, system, bundled"):
        colah.to_svg()


def test_the_bundled_engine_is_found_beside_this_python_without_path(monkeypatch, tmp_path):
    if bundled_path() is None:
        pytest.skip("graphviz-pure not installed")
    monkeypatch.setenv("PATH", str(tmp_path))
    found = bundled_path()  # a kernel started from a venv that is not activated has no venv on PATH
    assert found is not None and os.path.dirname(found) in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable))


@pytest.mark.skipif("bundled" not in ENGINES, reason="graphviz-pure is a dependency; installed by pip install -e .")
def test_the_bundled_engine_writes_the_circled_products_its_font_lacks_in_parentheses(monkeypatch):
    from graphviz_ad.render.engine import run_dot

    monkeypatch.setenv(render.ENGINE_VARIABLE, "bundled")
    elementwise = 'digraph { a [label="δ ⊙ σ′(z)"]; b [label="δ ⊗ a"]; }'
    png = run_dot(elementwise, "png", timeout=60)
    assert png == run_dot('digraph { a [label="δ (·) σ′(z)"]; b [label="δ (×) a"]; }', "png", timeout=60)
    as_given = subprocess.run([bundled_path(), "-Tpng"], input=elementwise.encode(), capture_output=True,
                              check=True, timeout=60).stdout
    assert as_given != png  # (as given: a missing-glyph box for each sign)
    # the same text in every format, so a frame drawn on an earlier run's layout fits it
    assert "δ (·) σ′(z)" in run_dot(elementwise, "svg", timeout=60).decode()


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="a developer machine may have one engine only")
def test_ci_has_both_engines_so_each_is_tested():
    assert set(ENGINES) == {"system", "bundled"}, ENGINES
