"""Hostile names are drawn literally: no DOT attribute, HTML-label or SVG markup injection,
no Graphviz escape expansion (``\\N``), one line per name, long names clipped."""

from __future__ import annotations

import re

import pytest

import graphviz_ad as ad
from graphviz_ad.render import text as labels
from graphviz_ad.render.options import RenderOptionError

from . import svgtools

HOSTILE = [
    "<script>alert(1)</script>",
    '"];x[label="pwn',
    "a\nb\rc\td",
    "\\N\\G\\L\\",
    "&amp; &lt; &#92;",
    "</TD></TR></TABLE>>];evil[label=<x>",
    "x]; n0 -> n0 [id=\"pwn\"",
    "'single' \"double\"",
    "<!-- a--b --> -->",
    "]",  # dot 2.43 rejects a text run that is only "]" unless it is an entity
]
LONG = "Σ∂λ" * 40 + "😀"  # 121 characters, outside the BMP at the end


def hostile_graph(name: str, scope: str = "layer"):
    def f(a):
        with ad.scope(scope):
            h = ad.name(ad.sin(a), name)
        return h * 2.0
    return ad.trace(f, a=0.5)


def shown(name: str) -> str:
    """How a name is drawn: control characters as visible escapes."""
    return name.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


@pytest.mark.parametrize("name", HOSTILE)
def test_dot_source_keeps_hostile_names_inside_their_label(name):
    g = hostile_graph(name)
    source = g.to_dot().source
    # each statement stays on one line: 4 header lines, 3 nodes, 1 cluster (3 lines), 2 edges, "}"
    assert len(source.splitlines()) == 1 + 3 + 3 + 3 + 2 + 1
    statements = re.findall(r"^\t+(?!graph |node |edge )(\w+) \[", source, flags=re.M)
    assert statements == ["n0", "n3", "n1"]  # n1 (the hostile name) sits in its scope's cluster
    assert 'x[label="' not in source and "evil[label=<" not in source and 'id="pwn"' not in source
    assert "<script>" not in source and "</TABLE>>]" not in source
    if set(name) & set('<>"&'):
        assert name not in source


@pytest.mark.needs_dot
@pytest.mark.parametrize("name", HOSTILE)
def test_svg_draws_hostile_names_literally(name):
    g = hostile_graph(name, scope=name.replace("/", "|") or "s")
    svg = g.reverse().to_svg()
    root = svgtools.parse(svg)  # well-formed XML: no markup got through
    assert svgtools.tags(root) <= {"svg", "g", "title", "text", "polygon", "path", "ellipse", "polyline"}
    ids = svgtools.ids(root)
    assert sorted(k for k in ids if k.startswith("node-")) == ["node-n0", "node-n1", "node-n3"]
    assert not {"pwn", "x", "evil"} & set(ids)
    runs = svgtools.texts(ids["node-n1"])
    assert runs[0] == shown(name)  # the name, exactly, with \N and entities untouched
    assert svgtools.text(ids["cluster-0"]) == shown(name.replace("/", "|"))
    assert f"∂out/∂{shown(name)} = " in ids["deriv-n1"].text
    # no attribute of any element carries the payload
    for el in root.iter():
        for key, value in el.attrib.items():
            assert "pwn" not in value and "alert" not in value and "evil" not in key


@pytest.mark.needs_dot
def test_backslash_escapes_are_not_expanded():
    g = hostile_graph("\\N")
    ids = svgtools.ids(svgtools.parse(g.to_svg()))
    assert svgtools.texts(ids["node-n1"])[0] == "\\N"  # Graphviz would draw "\N" as the node's DOT name


def test_long_unicode_names_are_clipped_with_an_ellipsis():
    g = hostile_graph(LONG)
    source = g.to_dot().source
    assert LONG[:39] + "…" in source and LONG not in source
    assert LONG[:80] + "…" in g.to_dot(max_label=81).source


@pytest.mark.needs_dot
def test_long_unicode_names_in_svg():
    ids = svgtools.ids(svgtools.parse(hostile_graph(LONG).to_svg(max_label=200)))
    assert svgtools.texts(ids["node-n1"])[0] == LONG


def test_text_helpers():
    assert labels.visible("a\nb\x00c\u2028") == "a\\nb\\x00c\\u2028"
    assert labels.visible("  ") == "'  '"  # blank text would vanish from a label
    assert labels.markup('<b> & "q" \\N') == "&lt;b&gt; &amp; &quot;q&quot; \\\\N"
    assert labels.clip("abcdef", 4) == "abc…" and labels.clip("abcd", 4) == "abcd"


@pytest.mark.needs_dot
def test_hostile_caption_text():
    g = hostile_graph("h")
    ids = svgtools.ids(svgtools.parse(g.to_svg(caption='</text><script>x</script>"\n')))
    assert svgtools.text(ids["graph0"]).startswith('</text><script>x</script>"\\n')


def test_bidirectional_controls_and_lone_surrogates_in_names_are_shown_as_escapes():
    reversed_name = ad.trace(lambda x: ad.name(x * 2, "\u202eab") + x, 1.0)
    svg = reversed_name.to_svg()
    assert "\u202e" not in svg and "\\u202eab" in svg  # drawn "∂out/∂\u202eab", not reordered
    lone = ad.trace(lambda x: ad.name(x * 2, "\ud800"), 1.0)
    bundle = lone._repr_mimebundle_()
    assert "\\ud800" in bundle["image/svg+xml"]


def test_a_frame_step_and_sweep_are_checked_like_the_sweeps_own_drawing(tmp_path):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    rv = g.reverse()
    with pytest.raises(ad.StepIndexError, match=r"step=5 is out of range: this sweep has steps 0…4"):
        g.save(tmp_path / "x.png", sweep=rv, step=5)
    with pytest.raises(RenderOptionError, match="sweep of another graph"):
        ad.parse("c = a * b", a=1, b=2).to_svg(sweep=rv, step=1)
    with pytest.raises(RenderOptionError, match="pass sweep= as well"):
        g.to_svg(step=1)
    assert g.to_svg(sweep=rv, step=-1) == rv.to_svg(step=-1)  # the last step, not a blank frame
