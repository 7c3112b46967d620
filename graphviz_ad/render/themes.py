"""Colour themes (light and dark) built on the Okabe–Ito colour-blind-safe palette.

States are told apart by more than hue, so a greyscale print still reads: the current
node has a thick border and the strongest fill, done nodes a light fill, pending nodes
no fill and a dashed border; highlighted edges are thick.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Theme", "THEMES", "OKABE_ITO", "FONT"]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# form of colour blindness.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

# Helvetica is one of the PostScript fonts Graphviz maps everywhere (SVG: "Helvetica,sans-Serif";
# cairo: a metric-compatible sans such as Liberation Sans).
FONT = "Helvetica"


@dataclass(frozen=True)
class Theme:
    """Every colour a drawing uses. Fills for kinds apply to plain graphs; in a sweep
    frame the fill shows the state (done / current / pending) and the shape shows the kind."""

    name: str
    background: str
    text: str
    muted: str            # secondary text: ops, pending derivatives, constants
    border: str
    edge: str
    edge_label: str
    input_fill: str
    op_fill: str
    output_fill: str
    const_fill: str
    done_fill: str
    current_fill: str
    current_border: str
    pending_border: str
    derivative: str       # a known tangent or adjoint
    term: str             # the current step's chain-rule terms
    read_fill: str        # stored forward values the current reverse step reads
    read_text: str
    path: str
    cluster_fill: str
    cluster_border: str

    def __hash__(self) -> int:
        # Hashed for every node and edge drawn (the cached defaults in elements.py): the name
        # alone, instead of all the colours; equal themes have equal names.
        return hash(self.name)


LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1A1A1A",
    muted="#5F5F5F",
    border="#4D4D4D",
    edge="#5C5C5C",
    edge_label="#333333",
    input_fill="#DDEFFA",     # sky blue, light
    op_fill="#F4F4F4",
    output_fill="#FBE8C4",    # orange, light
    const_fill="#FFFFFF",
    done_fill="#CBEBDD",      # bluish green, light
    current_fill="#F7C36B",   # orange, strong
    current_border=OKABE_ITO["vermillion"],
    pending_border="#9A9A9A",
    derivative="#00664A",     # bluish green, dark enough for text
    term=OKABE_ITO["vermillion"],
    read_fill="#CFE7F8",
    read_text=OKABE_ITO["blue"],
    path="#A64D88",           # reddish purple, darkened to stand out on white and in greyscale
    cluster_fill="#FAFAFA",
    cluster_border="#B3B3B3",
)

DARK = Theme(
    name="dark",
    background="#1E1E1E",
    text="#EDEDED",
    muted="#A0A0A0",
    border="#BDBDBD",
    edge="#A8A8A8",
    edge_label="#D6D6D6",
    input_fill="#1D3B52",
    op_fill="#2C2C2C",
    output_fill="#4D3812",
    const_fill="#1E1E1E",
    done_fill="#124B38",
    current_fill="#7A5200",   # lighter than done_fill, so the two differ in greyscale too
    current_border=OKABE_ITO["orange"],
    pending_border="#777777",
    derivative="#5FD3AE",
    term=OKABE_ITO["orange"],
    read_fill="#163F5C",
    read_text=OKABE_ITO["sky_blue"],
    path=OKABE_ITO["reddish_purple"],
    cluster_fill="#252525",
    cluster_border="#5A5A5A",
)

THEMES = {"light": LIGHT, "dark": DARK}
