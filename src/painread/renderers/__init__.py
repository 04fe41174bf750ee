"""Renderers: one module per format behind one base that owns the disclaimer step.

Each format's module is imported when that format is first asked for, so a host pays for
the formats it uses only (one rendering text never imports markupsafe).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from painread.errors import UnknownFormatError
from painread.models import Article
from painread.renderers import _cache
from painread.renderers.base import PLACEMENTS, Renderer, checked_heading_level, make_view

__all__ = ["FORMATS", "PLACEMENTS", "RENDER_CACHE_SIZE", "get_renderer", "render"]

_HOMES: dict[str, tuple[str, str]] = {
    "text": ("painread.renderers.text", "TextRenderer"),
    "markdown": ("painread.renderers.markdown", "MarkdownRenderer"),
    "html": ("painread.renderers.html", "HtmlRenderer"),
    "json": ("painread.renderers.jsonfmt", "JsonRenderer"),
    "jsonld": ("painread.renderers.jsonld", "JsonLdRenderer"),
    "fhir": ("painread.renderers.fhir", "FhirRenderer"),
}

_CLASSES: dict[str, Any] = {}
FORMATS: tuple[str, ...] = tuple(_HOMES)
"""Every format [`render`][painread.render] accepts: text, markdown, html, json, jsonld, fhir."""

RENDER_CACHE_SIZE = 144
"""How many outputs [`render`][painread.render] keeps.

Enough for every format, view and placement of two articles.
"""


def render(
    article: Article,
    fmt: str = "text",
    *,
    section: str | None = None,
    placement: str = "bottom",
    width: int | None = None,
    heading_level: int = 1,
) -> str:
    """Render the article (or one section) in a format, disclaimer and notices included.

    The outputs of the last `RENDER_CACHE_SIZE` distinct calls are kept, so rendering the same
    article object the same way again returns the same string for a dictionary lookup. Articles
    are immutable, so it is never stale; only successful calls are kept, so invalid ones raise.

    Args:
        article: The article, e.g. from [`painread.load`][].
        fmt: One of [`FORMATS`][painread.FORMATS].
        section: A section id to show that section alone (with its notices, notes and the
            disclaimer), or ``None`` for the whole article.
        placement: Where the disclaimer goes: ``"top"``, ``"bottom"`` or ``"both"``. JSON and
            JSON-LD carry it once and record the placement; FHIR places it in every narrative.
        width: Line width of the ``text`` format (default 80); other formats ignore it.
        heading_level: The level of the ``html`` fragment's top heading (1-6, default 1), so it
            nests under a host page's own headings; other formats ignore it.

    Raises:
        UnknownFormatError: if ``fmt`` is not one of [`FORMATS`][painread.FORMATS].
        UnknownSectionError: if ``section`` is not a section id of the article.
        UnknownPlacementError: if ``placement`` is not top, bottom or both.
        InvalidHeadingLevelError: if ``heading_level`` is not an integer from 1 to 6.
    """
    checked_heading_level(heading_level)
    key: tuple[object, ...] = (id(article), fmt, section, placement, width, heading_level)
    try:
        output = _cache.kept(key, article)
    except TypeError:  # an unhashable argument, refused (or ignored) below and never kept
        output, key = None, ()
    if output is None:
        renderer = get_renderer(fmt, width=width, heading_level=heading_level)
        output = renderer.render(make_view(article, section, placement))
        if key:
            _cache.keep(key, article, output, RENDER_CACHE_SIZE)
    return output


def get_renderer(fmt: str, *, width: int | None = None, heading_level: int = 1) -> Renderer[Any]:
    """The renderer of one format, so hosts can call its ``encode`` or subclass it.

    Raises:
        UnknownFormatError: naming the valid formats, if ``fmt`` is not one of them.
        InvalidHeadingLevelError: if ``heading_level`` is not an integer from 1 to 6.
    """
    home = _HOMES.get(fmt) if isinstance(fmt, str) else None
    if home is None:
        raise UnknownFormatError(fmt, FORMATS)
    checked_heading_level(heading_level)
    renderer_class = _CLASSES.get(fmt) or _CLASSES.setdefault(
        fmt, getattr(import_module(home[0]), home[1])
    )
    if fmt == "text" and width is not None:
        return renderer_class(width)  # type: ignore[no-any-return]
    if fmt == "html":
        return renderer_class(heading_level)  # type: ignore[no-any-return]
    return renderer_class()  # type: ignore[no-any-return]
