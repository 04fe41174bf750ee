"""Embed objects: what a host puts in a template, a notebook cell or a response.

An [`Embed`][painread.renderers.embed.Embed] renders what it names through
[`painread.render`][], so the disclaimer and notices come with every output, and speaks the
protocols hosts use: ``__html__`` (Jinja2, Django, markupsafe: ``{{ embed }}`` needs no
``|safe``), ``__str__`` and Jupyter's ``_repr_mimebundle_`` (without importing IPython).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from markupsafe import Markup

from painread.errors import PainreadError
from painread.loader import load
from painread.locales import SOURCE_LOCALE
from painread.models import Article, Section
from painread.renderers import render
from painread.renderers.base import Placement, checked_heading_level, make_view
from painread.renderers.text import DEFAULT_WIDTH


@dataclass(frozen=True)
class Embed:
    """The article, or one section of it, ready to show in any format.

    Attributes:
        article: The article shown (or the one the section belongs to).
        section: A section id, or ``None`` for the whole article.
        placement: Where the disclaimer goes: ``"top"``, ``"bottom"`` or ``"both"``.
        heading_level: The level of the HTML fragment's top heading (1-6), so it
            nests under the host page's own headings.

    Raises:
        UnknownSectionError: if ``section`` is not one of the article's sections.
        UnknownPlacementError: if ``placement`` is not top, bottom or both.
        InvalidHeadingLevelError: if ``heading_level`` is not an integer from 1 to 6.
    """

    article: Article
    section: str | None = None
    placement: Placement = "bottom"
    heading_level: int = 1

    def __post_init__(self) -> None:
        make_view(self.article, self.section, self.placement)
        checked_heading_level(self.heading_level)

    def text(self, width: int = DEFAULT_WIDTH) -> str:
        """Plain text wrapped to ``width``: for chat bots, e-mail and terminals."""
        return self._render("text", width=width)

    def markdown(self) -> str:
        """CommonMark, every piece of text escaped."""
        return self._render("markdown")

    def html(self) -> Markup:
        """The escaped ``<article>`` fragment, marked safe for template engines."""
        return Markup(self._render("html"))

    def json(self) -> str:
        """One JSON object (schema ``painread.render/1``)."""
        return self._render("json")

    def jsonld(self) -> str:
        """A schema.org ``MedicalWebPage``, safe inside ``<script type="application/ld+json">``."""
        return self._render("jsonld")

    def fhir(self) -> str:
        """A FHIR R4 document ``Bundle``, the disclaimer in every narrative."""
        return self._render("fhir")

    __str__ = text

    def __html__(self) -> str:
        """The fragment; template engines call this instead of escaping the object."""
        return self._render("html")

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        """Jupyter's display protocol: plain text, Markdown and HTML, disclaimer in each."""
        makers = {"text/plain": self.text, "text/markdown": self.markdown, "text/html": self._html}
        return {
            mimetype: make()
            for mimetype, make in makers.items()
            if (include is None or mimetype in include)
            and (exclude is None or mimetype not in exclude)
        }

    def _html(self) -> str:
        """The fragment after painread's stylesheet, for notebooks (which have no host CSS)."""
        from painread.renderers.html import stylesheet

        return f"<style>\n{stylesheet()}</style>\n{self.__html__()}"

    def _render(self, fmt: str, *, width: int | None = None) -> str:
        return render(
            self.article,
            fmt,
            section=self.section,
            placement=self.placement,
            width=width,
            heading_level=self.heading_level,
        )


def section_embed(section: Section, placement: Placement = "bottom") -> Embed:
    """An embed of a section handed over without its article (a section does not know it).

    The article served for the section's locale is used when it holds an equal section;
    otherwise (a section built or changed by hand, or from an article with notices of its own)
    it is shown inside the English article, which supplies the disclaimer and the notices that
    apply to its id.
    """
    try:
        article: Article | None = load(section.title.locale)
    except PainreadError:
        article = None
    if article is None or section not in article.sections:
        article = load(SOURCE_LOCALE).model_copy(update={"sections": (section,)})
    return Embed(article, section.id, placement)
