"""Fixtures and the ``needs_dot`` marker for the render tests.

Tests marked ``@pytest.mark.needs_dot`` run Graphviz's ``dot``; without it they are
skipped, except in CI (``CI=true``) where they fail. Golden DOT files live in
``golden/``; run with ``GRAPHVIZ_AD_UPDATE_GOLDEN=1`` to rewrite them.
"""

from __future__ import annotations

import os
import pathlib

import pytest

import graphviz_ad as ad
from graphviz_ad.render import ENGINE_VARIABLE
from graphviz_ad.render.engine import engine_names

GOLDEN = pathlib.Path(__file__).parent / "golden"
COLAH = "c = a + b; d = b + 1; e = c * d"


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_dot: runs Graphviz's dot binary (skipped without it, except in CI)")


def pytest_generate_tests(metafunc):
    """Each test that runs Graphviz runs under each engine present (render.engine): the
    system's ``dot`` and the bundled graphviz-pure, so both keep their output deterministic
    and their drawings right."""
    if metafunc.definition.get_closest_marker("needs_dot") is not None:
        metafunc.parametrize("graphviz_engine", engine_names() or ("auto",), indirect=True)


@pytest.fixture(autouse=True)
def graphviz_engine(request, monkeypatch):
    """The engine this test draws with (``GRAPHVIZ_AD_ENGINE``), for tests that run Graphviz."""
    engine = getattr(request, "param", None)
    if engine is not None:
        monkeypatch.setenv(ENGINE_VARIABLE, engine)  # (subprocesses, the CLI, inherit it)
    return engine


def pytest_collection_modifyitems(config, items):
    if engine_names() or os.environ.get("CI") == "true":
        return  # (each runs under each engine present; in CI a missing dot fails, see test_engines)
    skip = pytest.mark.skip(reason="no Graphviz: neither dot (apt install graphviz) nor graphviz-pure")
    for item in items:
        if "needs_dot" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def colah():
    """colah's graph from "Calculus on Computational Graphs": e = (a + b)·(b + 1) at a=2, b=1."""
    return ad.parse(COLAH, a=2, b=1)


@pytest.fixture
def golden():
    """``golden(name, text)`` compares ``text`` with ``golden/<name>`` (or rewrites it)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("GRAPHVIZ_AD_UPDATE_GOLDEN") == "1":
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run with GRAPHVIZ_AD_UPDATE_GOLDEN=1 to create it"
        expected = path.read_text(encoding="utf-8")
        # line by line, so that a failure shows which node or edge changed
        assert text.splitlines() == expected.splitlines(), (
            f"{name} differs from its golden file; if the change is intended, "
            "rerun with GRAPHVIZ_AD_UPDATE_GOLDEN=1 and review the diff")

    return check
