"""Reading dot's SVG in tests: parse it as XML and look elements up by id."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The SVG document's root element (a parse error means the SVG is not well-formed)."""
    return ET.fromstring(svg.encode("utf-8"))


def ids(root: ET.Element) -> dict[str, ET.Element]:
    return {el.get("id"): el for el in root.iter() if el.get("id") is not None}


def texts(el: ET.Element) -> list[str]:
    """The text runs under ``el`` (dot writes one <text> per run), without the spacing
    (no-break spaces) around them."""
    return [(t.text or "").strip() for t in el.iter(f"{SVG_NS}text")]


def text(el: ET.Element) -> str:
    """All the text under ``el``, its runs joined by single spaces."""
    return " ".join(run for run in texts(el) if run)


def classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def tags(root: ET.Element) -> set[str]:
    return {el.tag.replace(SVG_NS, "") for el in root.iter()}
