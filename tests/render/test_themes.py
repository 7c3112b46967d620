"""The README's promise about themes: readable in greyscale and with enough text contrast.

Greyscale keeps only luminance, so the states a frame distinguishes must differ in luminance
(or in stroke, which the SVG tests check); text must meet WCAG's 4.5:1 on its background.
"""

import pytest

from graphviz_ad.render.options import THEMES


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_states_differ_in_greyscale(name):
    theme = THEMES[name]
    # pending nodes have no fill (the background); done and current must stand apart from it and each other
    fills = {"pending": theme.background, "done": theme.done_fill, "current": theme.current_fill}
    for a in fills:
        for b in fills:
            if a < b:
                assert contrast(fills[a], fills[b]) >= 1.2, (name, a, b)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_text_is_readable_on_every_fill(name):
    theme = THEMES[name]
    for fill in (theme.background, theme.input_fill, theme.op_fill, theme.output_fill,
                 theme.done_fill, theme.current_fill, theme.read_fill):
        assert contrast(theme.text, fill) >= 4.5, (name, fill)
    assert contrast(theme.derivative, theme.done_fill) >= 4.5
    assert contrast(theme.edge_label, theme.background) >= 4.5
