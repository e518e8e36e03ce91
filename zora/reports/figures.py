"""Charts in reports: the SVG of `zora.core.charts`, made fit to sit several in one document.

`figure(svg, caption)` gives every id in the chart a prefix of its own (the core charts use
fixed ids such as "radar-title", which must be unique in a document with several charts), and
names the report font on the root element, so that the text renders the same in the PDF and in
the PNG made for Word (`svg_to_png`), Cyrillic included.
"""

import itertools
import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

FONT = "DejaVu Sans"
_counter = itertools.count(1)
_ID = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True)
class Figure:
    svg: SafeString
    caption: str
    alt: str


def _unique(svg: str, prefix: str) -> str:
    ids = set(_ID.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        svg = re.sub(rf'(?<=["\s#]){re.escape(old)}(?=["\s)])', f"{prefix}-{old}", svg)
    return svg


def _alt(svg: str) -> str:
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    return ". ".join(m.group(1) for m in (title, desc) if m)


def figure(svg: str, caption: str = "") -> Figure:
    prefix = f"fig{next(_counter)}"
    text = _unique(str(svg), prefix)
    text = text.replace("<svg ", f'<svg font-family="{FONT}" ', 1)
    return Figure(mark_safe(text), caption, _alt(text))  # noqa: S308 (the charts escape their text)


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """PNG of a chart for DOCX (vl-convert's resvg renders Cyrillic with the named font)."""
    import vl_convert

    return bytes(vl_convert.svg_to_png(svg, scale=scale))
