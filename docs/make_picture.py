"""Draw the README's picture: colah's e = (a + b)·(b + 1), the reverse sweep at ∂e/∂b.

Run ``python docs/make_picture.py``; ``tests/test_readme.py`` checks the checked-in picture
says what this draws."""

from pathlib import Path

import graphviz_ad as ad

PICTURE = Path(__file__).resolve().parent / "colah-reverse.svg"


def draw() -> str:
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    return g.reverse().to_svg(step=3)


if __name__ == "__main__":
    PICTURE.write_text(draw(), encoding="utf-8")
    print(f"wrote {PICTURE}")
