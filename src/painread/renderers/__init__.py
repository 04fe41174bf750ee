"""Renderers: one module per format behind one base that owns the disclaimer step."""

from __future__ import annotations

from painread.errors import UnknownFormatError
from painread.models import Article
from painread.renderers.base import PLACEMENTS, Placement, Renderer, View, make_view
from painread.renderers.text import TextRenderer

__all__ = ["FORMATS", "PLACEMENTS", "Placement", "Renderer", "View", "render"]

FORMATS: tuple[str, ...] = ("text",)


def render(
    article: Article,
    fmt: str = "text",
    *,
    section: str | None = None,
    placement: str = "bottom",
    width: int | None = None,
) -> str:
    """Render the article (or one section) in a format, disclaimer and notices included.

    Raises:
        UnknownFormatError: if ``fmt`` is not one of :data:`FORMATS`.
        UnknownSectionError: if ``section`` is not a section id of the article.
        UnknownPlacementError: if ``placement`` is not top, bottom or both.
    """
    renderer = _renderer(fmt, width)
    return renderer.render(make_view(article, section, placement))


def _renderer(fmt: str, width: int | None) -> Renderer[object]:
    if fmt == "text":
        return TextRenderer(width) if width is not None else TextRenderer()  # type: ignore[return-value]
    raise UnknownFormatError(fmt, FORMATS)
