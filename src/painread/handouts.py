"""Printed handouts: the article as a PDF whose every page carries the disclaimer.

A printed page travels alone, so each page ends with a running footer: the short
disclaimer line (unit ``ui.disclaimer.short``), "page N of M" and the content
version (``ui.page-footer.label``). Page 1 holds the title, the byline and the
full disclaimer; the notices and editorial notes are those of the HTML format.

WeasyPrint (the ``pdf`` extra) lays the page out and writes a tagged PDF/UA-1
file; it is imported only when a handout is made. Before any byte is returned,
the laid-out pages are read back: a footer without the short line on any page,
or a first page without the full disclaimer, raises
`painread.errors.DisclaimerMissingError`.

The same article, section and paper give the same bytes: the PDF's dates come
from the content's metadata and its identifier from its own content.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import escape
from typing_extensions import override

from painread.errors import DisclaimerMissingError, MissingExtraError, UnknownPaperError
from painread.locales import text_direction, to_bcp47
from painread.renderers.base import View, make_view
from painread.renderers.html import HtmlRenderer, escape_html
from painread.translation import SHORT_DISCLAIMER_UNIT

if TYPE_CHECKING:
    from painread.models import Article

__all__ = [
    "AUTHOR",
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
"""The unit every page's footer carries."""
FOOTER_LABEL = "ui.page-footer.label"
AUTHOR = "painread's editors"
"""The PDF's author: who wrote the title, disclaimer, notices and notes."""
PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for screen readers, with the title shown and the language declared."""
EXTRA = "pdf"
_STYLESHEET = "handout.css"
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
    weasyprint = _weasyprint()
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


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use so nothing else pays for it."""
    try:
        import weasyprint
    except ImportError as exc:
        raise MissingExtraError("painread.handout()", EXTRA, "weasyprint") from exc
    except OSError as exc:  # installed, but Pango or its fonts cannot be loaded
        raise MissingExtraError("painread.handout()", EXTRA, "weasyprint", str(exc)) from exc
    return weasyprint


class _TitleFirst(HtmlRenderer):
    """The HTML format with the title and byline above the top disclaimer.

    `painread.renderers.base.Renderer.render` puts a top disclaimer
    before the header; a printed page starts with its title, so the two blocks
    trade places. Every check of ``render`` still runs on the result.
    """

    @override
    def header_block(self, view: View) -> Any:
        return super().disclaimer_block(view, "top")

    @override
    def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> Any:
        return super().header_block(view)


def _document(view: View, paper: str) -> str:
    article = view.article
    meta = article.metadata
    direction = text_direction(article.locale)
    body = _TitleFirst().render(view)
    title = article.title.text
    if view.section is not None:
        title = f"{title} \u2014 {view.section.title.text}"
    from painread import __version__

    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{to_bcp47(article.locale)}" dir="{direction}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f"<title>{escape_html(title)}</title>\n"
        f'<meta name="author" content="{escape(AUTHOR)}">\n'
        f'<meta name="generator" content="painread {escape(__version__)}">\n'
        f'<meta name="dcterms.created" content="{meta.published.isoformat()}">\n'
        f'<meta name="dcterms.modified" content="{meta.last_reviewed.isoformat()}">\n'
        f"<style>\n{_stylesheet()}\n@page {{ size: {_PAGE_SIZES[paper]}; }}\n</style>\n"
        "</head>\n<body>\n"
    )
    return f"{head}{_footer(view)}\n{body}</body>\n</html>\n"


def _stylesheet() -> str:
    from painread._files import data_text

    return data_text(_STYLESHEET)


def _footer(view: View) -> str:
    """The running footer: short disclaimer, then "page N of M" and the content version."""
    article = view.article
    short = article.unit(SHORT_DISCLAIMER)
    parts = ['<footer class="painread-handout-footer">\n']
    parts.append('<p class="painread-handout-footer__disclaimer"')
    if short.locale != article.locale:  # served from a fallback locale
        parts.append(f' lang="{to_bcp47(short.locale)}" dir="{text_direction(short.locale)}"')
    parts += ">", HtmlRenderer().encode_unit(view, short)
    parts.append('</p>\n<p class="painread-handout-footer__page">')
    fields = {
        "page": '<span class="painread-handout-footer__page-number"></span>',
        "pages": '<span class="painread-handout-footer__page-count"></span>',
        "version": f'<bdi dir="ltr">{escape_html(article.metadata.version)}</bdi>',
    }
    for literal, field, _, _ in string.Formatter().parse(view.template(FOOTER_LABEL)):
        parts.append(str(escape_html(literal)))
        if field is not None:
            parts.append(fields[field])
    parts.append("</p>\n</footer>")
    return "".join(parts)


def _page_texts(document: Any) -> list[tuple[str, str]]:
    """Each laid-out page's text: (its margins, its body), in logical order."""
    from weasyprint.formatting_structure.boxes import MarginBox

    pages = []
    for page in document.pages:
        box = getattr(page, "_page_box", None)
        if box is None:  # a WeasyPrint whose pages cannot be read back: never unchecked
            raise DisclaimerMissingError("pdf")
        margins = [child for child in box.children if isinstance(child, MarginBox)]
        body = [child for child in box.children if not isinstance(child, MarginBox)]
        pages.append(("".join(_texts(margins)), "".join(_texts(body))))
    return pages


def _texts(boxes: list[Any]) -> Iterator[str]:
    for box in boxes:
        for child in box.descendants():
            text = getattr(child, "text", None)
            if isinstance(text, str):
                yield text


def _verify(view: View, pages: list[tuple[str, str]]) -> None:
    """Withhold a PDF with a page lacking the short line, or a page 1 lacking the disclaimer.

    Text is compared without whitespace: layout breaks lines and drops spaces there.
    """
    short = _bare(view.article.label(SHORT_DISCLAIMER))
    if not pages or not all(short in _bare(margins) for margins, _ in pages):
        raise DisclaimerMissingError("pdf")
    if _bare(view.article.disclaimer.text) not in _bare(pages[0][1]):
        raise DisclaimerMissingError("pdf")


def _bare(text: str) -> str:
    return "".join(text.split())
