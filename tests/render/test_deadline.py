"""``timeout=`` covers the whole drawing: building the DOT too, not only Graphviz's run."""

import pytest

import graphviz_ad as ad
from graphviz_ad.render.options import DotTimeoutError


def _chain(n):
    def chain(x):
        for _ in range(n):
            x = x * 1.0001 + 0.1
        return x
    return ad.trace(chain, 1.0)


@pytest.mark.needs_dot
@pytest.mark.parametrize("collapse", [False, True])
def test_a_tiny_timeout_stops_the_building_not_only_dot(collapse):
    g = _chain(1_500)
    with pytest.raises(DotTimeoutError, match="building the drawing of a graph of 3,001 nodes took longer than timeout=1e-06 s"):
        g.to_svg(timeout=1e-6, max_nodes=10_000, collapse=collapse if collapse else None)
    with pytest.raises(DotTimeoutError, match="building the drawing"):
        g.save("never.dot", timeout=1e-6, max_nodes=10_000)
    # nothing is left changed: the same graph draws with time to spare, and other drawings too
    small = ad.parse("c = a * b", a=1, b=2)
    assert "∂c/∂a" in small.to_svg(timeout=30)
    assert g.to_svg(timeout=120, max_nodes=10_000, labels="none").count('class="node') == 3_001
