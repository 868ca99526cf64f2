"""A chart's Drawing as inline SVG for a page: small, scalable, titled and described for screen readers, and safe
for any label (every attribute and text is escaped)."""

from __future__ import annotations

import re
from typing import Callable
from xml.etree import ElementTree

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from .chart_parts import clean
from .text import _

__all__ = ["to_svg", "responsive_svg"]

# Helvetica metrics fitted the labels; Arial and Liberation Sans share them, so put them first in the browser.
_SVG_NS = "{http://www.w3.org/2000/svg}"
_SVG_FONTS = 'Helvetica, Arial, "Liberation Sans", Roboto, sans-serif'
_SVG_TAGS = {"g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text"}
_SVG_GEOMETRY = {"x", "y", "width", "height", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "points", "d",
                 "transform"}
_CLOSED_LINE = re.compile(r"^M [-\d.,]+ L [-\d.,]+ Z$")
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
_SVG_DEFAULTS = {("stroke-linecap", "butt"), ("stroke-width", "1"), ("stroke-linejoin", "miter")}
_SVG_PRESENTATION = {"fill", "fill-rule", "fill-opacity", "stroke", "stroke-width", "stroke-linecap",
                     "stroke-linejoin", "stroke-dasharray", "stroke-opacity", "stroke-miterlimit", "font-size",
                     "opacity"}


def _svg_attr(value: str) -> str:
    """Quote an attribute value for HTML and XML alike."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return '"' + value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def _svg_text(value: str) -> str:
    """Escape character data; a label such as <script> must stay text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _round(match: re.Match[str]) -> str:
    """Two decimals are plenty at any screen size and halve the markup."""
    return f"{float(match.group()):.2f}".rstrip("0").rstrip(".")


def _svg_element(el: ElementTree.Element, out: list[str]) -> None:
    """Copy one element with known attributes only; styles become presentation attributes (CSP-safe)."""
    tag = el.tag.removeprefix(_SVG_NS)
    if tag not in _SVG_TAGS:
        return  # title, desc, clipPath: ours come first; the clip's id would clash with other charts on a page
    attrs: dict[str, str] = {k: _LONG_NUMBER.sub(_round, v) for k, v in el.attrib.items() if k in _SVG_GEOMETRY}
    for declaration in el.attrib.get("style", "").split(";"):
        name, _colon, value = (part.strip() for part in declaration.partition(":"))
        if name == "font-family":
            if "Bold" in value:
                attrs["font-weight"] = "bold"
            if "Oblique" in value or "Italic" in value:
                attrs["font-style"] = "italic"
        elif name in _SVG_PRESENTATION and value:
            if value.lower() == "none":
                value = "none"
            if (name, value) not in _SVG_DEFAULTS:
                attrs[name] = value.removesuffix("px") if name == "font-size" else value
    anchor = el.attrib.get("data-anchor")
    if tag == "text" and anchor in ("middle", "end") and "data-x" in el.attrib:
        attrs["x"], attrs["text-anchor"] = el.attrib["data-x"], anchor  # let the browser align in its own font
    if tag == "path" and _CLOSED_LINE.match(attrs.get("d", "")):
        attrs["d"] = attrs["d"][:-2]  # reportlab closes a Line's path; the way back would fill the dash gaps
    if tag == "g" and not attrs.get("transform", "").strip():
        attrs.pop("transform", None)
    out.append("<" + tag + "".join(f" {k}={_svg_attr(v)}" for k, v in attrs.items()))
    children = list(el)
    if tag == "text":
        out.append(">" + _svg_text(clean(el.text or "")) + "</text>")
    elif children:
        out.append(">")
        for child in children:
            _svg_element(child, out)
        out.append(f"</{tag}>")
    else:
        out.append("/>")


def to_svg(drawing: Drawing) -> str:
    """Render a Drawing as an inline <svg> that scales to its container and says what it shows."""
    root = ElementTree.fromstring(renderSVG.drawToString(drawing).encode("utf-8"))
    title = clean(getattr(drawing, "title", "") or _("Chart"))
    desc = clean(getattr(drawing, "desc", "") or "")
    w, h = (f"{float(v):g}" for v in (drawing.width, drawing.height))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
           f'preserveAspectRatio="xMidYMid meet" role="img" aria-label={_svg_attr(title)} class="chart" '
           f'font-family={_svg_attr(_SVG_FONTS)}>',
           f"<title>{_svg_text(title)}</title>"]
    if desc:
        out.append(f"<desc>{_svg_text(desc)}</desc>")
    for child in root:
        _svg_element(child, out)
    out.append("</svg>")
    return "".join(out)


def responsive_svg(draw: Callable[..., Drawing], font_size: float = 13) -> str:
    """Render a chart for a phone and for a wide screen, so labels stay legible on both; CSS shows one."""
    narrow = to_svg(draw(width=360, height=270, font_size=font_size))
    wide = to_svg(draw(width=760, height=300, font_size=font_size))
    return f'<div class="chart-narrow">{narrow}</div><div class="chart-wide">{wide}</div>'
