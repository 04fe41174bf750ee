"""Printed handouts: the article as a PDF whose every page carries the disclaimer.

A printed page travels alone, so each has a footer with the short disclaimer
line, "page N of M" and the content version; page 1 holds the title, byline and
full disclaimer, then the HTML format's text. WeasyPrint (the ``pdf`` extra,
imported on first use) writes tagged PDF/UA-1, after the laid-out pages are read
back: a page without the short line, or a page 1 without the disclaimer, raises
`painread.errors.DisclaimerMissingError`. Dates and identifier come from the content.
"""

from __future__ import annotations

import string
from typing import Any, Literal

from typing_extensions import override

from painread.errors import DisclaimerMissingError, MissingExtraError, UnknownPaperError
from painread.locales import text_direction, to_bcp47
from painread.models import Article
from painread.renderers.base import View, make_view
from painread.renderers.html import HtmlRenderer, escape_html
from painread.translation import SHORT_DISCLAIMER_UNIT

__all__ = [
    "FOOTER_LABEL",
    "PAPERS",
    "PDF_VARIANT",
    "SHORT_DISCLAIMER",
    "Paper",
    "handout",
    "handout_html",
]

Paper = Literal["A4", "Letter"]
PAPERS: tuple[Paper, ...] = ("A4", "Letter")
SHORT_DISCLAIMER = SHORT_DISCLAIMER_UNIT
FOOTER_LABEL = "ui.page-footer.label"
PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for screen readers, with the title shown and the language declared."""
_AUTHOR = "painread's editors"  # who wrote the title, disclaimer, notices and notes
_PAGE_SIZES: dict[str, str] = {"A4": "A4", "Letter": "letter"}


def handout(article: Article, *, section: str | None = None, paper: Paper = "A4") -> bytes:
    """The article (or one section) as a printable PDF, disclaimer on every page.

    Args:
        article: The article, e.g. from `painread.load`; the handout is in
            its locale, right to left where that locale is.
        section: A section id to print that section alone (with its notices,
            notes and the disclaimer), or ``None`` for the whole article.
        paper: ``"A4"`` or ``"Letter"``.

    Raises:
        UnknownPaperError: if ``paper`` is not one of `PAPERS`.
        UnknownSectionError: if ``section`` is not a section id of the article.
        MissingExtraError: if WeasyPrint (``pip install 'painread[pdf]'``) is
            not installed or cannot load its system libraries.
        DisclaimerMissingError: if a laid-out page lacks the short disclaimer
            line, or page 1 the full disclaimer; no PDF is returned then.
    """
    view = _view(article, section, paper)
    try:
        import weasyprint
    except ImportError as exc:
        raise MissingExtraError("painread.handout()", "pdf", "weasyprint") from exc
    except OSError as exc:  # installed, but Pango or its fonts cannot be loaded
        raise MissingExtraError("painread.handout()", "pdf", "weasyprint", str(exc)) from exc
    document = weasyprint.HTML(string=_document(view, paper)).render()
    _verify(view, _page_texts(document))
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True)
    return pdf


def handout_html(article: Article, *, section: str | None = None, paper: Paper = "A4") -> str:
    """The complete HTML document `handout` lays out, print stylesheet included.

    Raises:
        UnknownPaperError: if ``paper`` is not one of `PAPERS`.
        UnknownSectionError: if ``section`` is not a section id of the article.
    """
    return _document(_view(article, section, paper), paper)


def _view(article: Article, section: str | None, paper: object) -> View:
    if paper not in PAPERS:
        raise UnknownPaperError(paper, PAPERS)
    return make_view(article, section, "top")


class _TitleFirst(HtmlRenderer):
    """The HTML format with the header and top disclaimer swapped: print starts with the title."""

    @override
    def header_block(self, view: View) -> Any:
        return super().disclaimer_block(view, "top")

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Any:
        return super().header_block(view)


def _document(view: View, paper: str) -> str:
    from painread import __version__
    from painread._files import data_text

    article = view.article
    meta = article.metadata
    title = article.title.text
    if view.section is not None:
        title = f"{title} \u2014 {view.section.title.text}"
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{to_bcp47(article.locale)}" dir="{text_direction(article.locale)}">\n'
        '<head>\n<meta charset="utf-8">\n'
        f"<title>{escape_html(title)}</title>\n"
        f'<meta name="author" content="{escape_html(_AUTHOR)}">\n'
        f'<meta name="generator" content="painread {escape_html(__version__)}">\n'
        f'<meta name="dcterms.created" content="{meta.published.isoformat()}">\n'
        f'<meta name="dcterms.modified" content="{meta.last_reviewed.isoformat()}">\n'
        f"<style>\n{data_text('handout.css')}\n@page {{ size: {_PAGE_SIZES[paper]}; }}\n</style>\n"
        "</head>\n<body>\n"
    )
    return f"{head}{_footer(view)}\n{_TitleFirst().render(view)}</body>\n</html>\n"


def _footer(view: View) -> str:
    """The running footer: short disclaimer, then "page N of M" and the content version."""
    article = view.article
    short = article.unit(SHORT_DISCLAIMER)
    lang = ""
    if short.locale != article.locale:  # served from a fallback locale
        lang = f' lang="{to_bcp47(short.locale)}" dir="{text_direction(short.locale)}"'
    fields = {
        "page": '<span class="painread-handout-footer__page-number"></span>',
        "pages": '<span class="painread-handout-footer__page-count"></span>',
        "version": f'<bdi dir="ltr">{escape_html(article.metadata.version)}</bdi>',
    }
    page = "".join(
        escape_html(literal) + ("" if field is None else fields[field])
        for literal, field, _, _ in string.Formatter().parse(view.template(FOOTER_LABEL))
    )
    return (
        f'<footer class="painread-handout-footer">\n'
        f'<p class="painread-handout-footer__disclaimer"{lang}>'
        f"{HtmlRenderer().encode_unit(view, short)}</p>\n"
        f'<p class="painread-handout-footer__page">{page}</p>\n</footer>'
    )


def _page_texts(document: Any) -> list[tuple[str, str]]:
    """Each laid-out page's text: (its margins, its body), in logical order."""
    from weasyprint.formatting_structure.boxes import MarginBox

    pages = []
    for page in document.pages:
        box = getattr(page, "_page_box", None)
        if box is None:  # a WeasyPrint whose pages cannot be read back: never unchecked
            raise DisclaimerMissingError("pdf")
        margins: list[str] = []
        body: list[str] = []
        for child in box.children:
            texts = (getattr(part, "text", None) for part in child.descendants())
            (margins if isinstance(child, MarginBox) else body).extend(
                text for text in texts if isinstance(text, str)
            )
        pages.append(("".join(margins), "".join(body)))
    return pages


def _verify(view: View, pages: list[tuple[str, str]]) -> None:
    """Withhold a PDF with a page lacking the short line, or a page 1 lacking the disclaimer."""
    short = _bare(view.article.label(SHORT_DISCLAIMER))
    if not pages or not all(short in _bare(margins) for margins, _ in pages):
        raise DisclaimerMissingError("pdf")
    if _bare(view.article.disclaimer.text) not in _bare(pages[0][1]):
        raise DisclaimerMissingError("pdf")


def _bare(text: str) -> str:
    """Text without whitespace: layout breaks lines and drops spaces there."""
    return "".join(text.split())
