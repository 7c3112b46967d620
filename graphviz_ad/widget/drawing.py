"""The explorer's drawing: the graph laid out by one Graphviz run, then made compact for the
browser.

Graphviz's SVG spends most of its bytes on what the page does not need: a comment and an
internal id (``<title>n339</title>``) per element, the same ``font-family`` and
``text-anchor="start"`` (SVG's default) on every text, colours the explorer's CSS replaces
(it themes every shape and text), and coordinates to 0.01 pt. :func:`compact_svg` drops or shortens those (about a
third of a 1,000-node drawing), and gives every node and edge a hover title in the names the
reader sees (``v339``, ``args[0] → v339``) instead of Graphviz's ids.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape
from typing import Callable

from ..render.elements import HEAT_BLANK

__all__ = ["compact_svg"]

_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE[^>]*>|<!--.*?-->\n?", re.S)
_FONT = re.compile(r' font-family="([^"]*)"')
_HEX_PAINT = re.compile(r' (?:fill|stroke)="#[0-9a-fA-F]{3,8}"')
_COORDINATES = re.compile(r' (points|d|x|y)="([^"]*)"')
_DECIMALS = re.compile(r"(\d+\.\d)\d+")
_WHOLE_SIZE = re.compile(r'font-size="(\d+)\.00"')
_NODE_TITLE = re.compile(r"<title>n(\d+)</title>")
_EDGE_TITLE = re.compile(r"<title>n(\d+)-&gt;n(\d+)</title>")


def _one_decimal(match: re.Match[str]) -> str:
    """Coordinates to 0.1 pt (0.13 px at scale 1: invisible)."""
    return f' {match.group(1)}="{_DECIMALS.sub(_first_decimal, match.group(2))}"'


def _first_decimal(match: re.Match[str]) -> str:
    return match.group(1)


_NODE_GROUP = re.compile(r'<g id="node-.*?</g>', re.S)  # (a node's group holds no other group)
_CELL = re.compile(r'<polygon fill="(#[0-9a-fA-F]{6})" stroke="transparent"')
_HEAT_FRAME = re.compile(r'(class="gad-d?cell"[^\n]*\n)<polygon fill="none"')  # (dot draws it after the blocks)


def _heat_cells(group: re.Match[str]) -> str:
    """A node's heat-map blocks (table cells with a colour of their own): their colours kept
    (inline, over the CSS), the blocks a sweep colours in (HEAT_BLANK) marked for the page,
    and the map's frame marked (not a node outline the state styles thicken)."""
    def cell(match: re.Match[str]) -> str:
        colour = match.group(1).upper()
        if colour == HEAT_BLANK:
            return '<polygon class="gad-dcell" stroke="transparent"'
        return f'<polygon class="gad-cell" style="fill:{colour}" stroke="transparent"'
    return _HEAT_FRAME.sub(r'\1<polygon class="gad-heat-frame" fill="none"', _CELL.sub(cell, group.group(0)))


def compact_svg(svg: str, name_of: Callable[[int], str]) -> str:
    """``svg`` (Graphviz's) for the explorer page: the ``<svg>`` element alone, compact, with
    titles naming nodes by ``name_of(index)``. Every id, class and shape is kept."""
    svg = _PROLOG.sub("", svg).strip()
    fonts = Counter(_FONT.findall(svg))
    if fonts:  # the usual font once, on the root (inherited), instead of on every text
        common = fonts.most_common(1)[0][0]
        svg = svg.replace(f' font-family="{common}"', "")
        svg = svg.replace("<svg ", f'<svg font-family="{common}" ', 1)
    svg = svg.replace(' text-anchor="start"', "").replace(' stroke-width="1.2"', "")  # (the CSS's width)
    svg = _WHOLE_SIZE.sub(r'font-size="\1"', svg)
    first_node = svg.find('<g id="node-')  # (the graph's own background comes before it)
    if first_node >= 0 and _CELL.search(svg, first_node):  # (a pass over every node: only for heat maps)
        svg = _NODE_GROUP.sub(_heat_cells, svg)  # (before the colours go: a heat map keeps its own)
    svg = _HEX_PAINT.sub("", svg)  # the page's CSS colours every shape and text (fill="none" and
    # stroke="transparent", which its rules select on, stay)
    svg = _COORDINATES.sub(_one_decimal, svg)
    svg = _NODE_TITLE.sub(lambda m: f"<title>{escape(name_of(int(m.group(1))), quote=False)}</title>", svg)
    return _EDGE_TITLE.sub(lambda m: "<title>{} → {}</title>".format(
        escape(name_of(int(m.group(1))), quote=False), escape(name_of(int(m.group(2))), quote=False)), svg)
