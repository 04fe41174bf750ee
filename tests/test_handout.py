"""Printed handouts: every page of every PDF carries the short disclaimer line.

The PDFs are read back the way a person's tools read them: ``pdftotext`` (which
places text by where its glyphs are drawn, so a phone number drawn backwards
reads backwards), ``pdfinfo`` and pypdf. Tests that lay out PDFs are slow.
"""

from __future__ import annotations

import html as html_module
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from markupsafe import escape

import painread
from painread import handouts
from painread.cli import LOCALE_VARIABLES, main
from painread.errors import DisclaimerMissingError
from tests.fresh_process import run_fresh
from tests.i18n_helpers import registry, whole, write_po

__all__ = ["registry"]  # a fixture, used by name

POISON_HELP = "1-800-222-1222"
LOCALES = ("en", "es", "de", "ar")
VIEWS = (None, "understanding-kratom-pills", "mechanisms-of-action", "dosage-and-safety")
PAPER_POINTS = {"A4": "595.276 x 841.89", "Letter": "612 x 792"}
ARTIFACTS = Path(os.environ.get("PAINREAD_ARTIFACTS", "artifacts")) / "handouts"

# pdftotext writes right-to-left lines inside bidi embeddings, and the characters of
# one lam-alef ligature glyph in reverse; Arabic marks may fall on a line of their own;
# a word broken at its hyphen ("US-|amerikanischen") is joined without it.
_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), " "
)
_MARKS = re.compile("[\u064b-\u065f\u0670]")
_LAM_ALEF = re.compile("\u0644([\u0627\u0623\u0625\u0622\u0649])")
_WORD = re.compile(r"\w+(?:[-'\u2019.]\w+)*")


def words(text: str) -> list[str]:
    """The words of extracted text, without bidi controls, marks, hyphens and punctuation."""
    text = unicodedata.normalize("NFKC", text.translate(_CONTROLS))
    return [word.replace("-", "") for word in _WORD.findall(_MARKS.sub("", text))]


def extracted(text: str) -> list[str]:
    """The words pdftotext gives for a text drawn correctly."""
    return words(_LAM_ALEF.sub("\\1\u0644", text))


def contains(page: str, text: str) -> bool:
    haystack, needle = words(page), extracted(text)
    return any(
        haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1)
    )


@pytest.fixture(autouse=True)
def no_locale_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint as a machine without the extra has it: not importable."""
    for name in [name for name in sys.modules if name.startswith("weasyprint")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "weasyprint", None)


# --- without WeasyPrint ----------------------------------------------------------------------


def test_handout_is_public_and_nothing_pdf_is_imported_until_it_is_called() -> None:
    assert "handout" in painread.__all__
    assert painread.handout is handouts.handout
    _, loaded = run_fresh("import painread; painread.render(painread.load(), 'html')")
    assert not {"painread.handouts", "weasyprint"} & loaded


def test_missing_extra_is_an_import_error_naming_the_extra(no_weasyprint: None) -> None:
    with pytest.raises(painread.MissingExtraError) as caught:
        painread.handout(painread.load())
    error = caught.value
    assert isinstance(error, ImportError)
    assert isinstance(error, painread.PainreadError)
    assert (error.extra, error.package) == ("pdf", "weasyprint")
    assert "pip install 'painread[pdf]'" in str(error)


def test_cli_without_the_extra_says_what_to_install(
    no_weasyprint: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.pdf"
    assert main(["handout", "-o", str(target)], stdout=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("painread: error: ")
    assert "painread[pdf]" in err
    assert not target.exists()


@pytest.mark.parametrize("paper", ["A5", "a4", "letter", None, 4])
def test_unknown_paper_is_refused_before_anything_is_laid_out(
    paper: object, no_weasyprint: None
) -> None:
    with pytest.raises(painread.UnknownPaperError, match="valid papers: 'A4', 'Letter'") as caught:
        painread.handout(painread.load(), paper=paper)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert caught.value.paper == paper


def test_unknown_section_is_refused(no_weasyprint: None) -> None:
    with pytest.raises(painread.UnknownSectionError):
        painread.handout(painread.load(), section="nope")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_serves_its_own_short_line_with_the_number(locale: str) -> None:
    article = painread.load(locale)
    unit = article.unit(handouts.SHORT_DISCLAIMER)
    assert unit.locale == locale
    assert unit.origin.value == "editorial"
    assert POISON_HELP in unit.text


def test_i18n_check_requires_the_short_line_like_the_disclaimer(tmp_path: Path) -> None:
    entries = whole("it")
    del entries[handouts.SHORT_DISCLAIMER]
    po = write_po(tmp_path, "it", entries)
    out = io.StringIO()
    assert main(["i18n", "check", str(po)], stdout=out) == 1
    assert "no 'ui.disclaimer.short' entry: the short disclaimer line must be translated" in (
        out.getvalue()
    )
    write_po(tmp_path, "it", {**entries, handouts.SHORT_DISCLAIMER: ""})
    out = io.StringIO()
    assert main(["i18n", "check", str(po)], stdout=out) == 1
    assert "the short disclaimer line is empty" in out.getvalue()


@pytest.mark.usefixtures("registry")
def test_a_fuzzy_short_line_warns_and_the_next_locale_serves_it(tmp_path: Path) -> None:
    write_po(tmp_path, "it", whole("it"), fuzzy={handouts.SHORT_DISCLAIMER})
    painread.add_translations(tmp_path)
    with pytest.warns(painread.PainreadWarning, match="the short disclaimer line is marked fuzzy"):
        article = painread.load("it")
    assert article.unit(handouts.SHORT_DISCLAIMER).locale == "en"
    html = handouts.handout_html(article)
    short = str(escape(article.label(handouts.SHORT_DISCLAIMER)))
    assert f'class="painread-handout-footer__disclaimer" lang="en" dir="ltr">{short}</p>' in html


@pytest.mark.parametrize("locale", LOCALES)
def test_page_one_order_and_document_metadata(locale: str) -> None:
    article = painread.load(locale)
    html = handouts.handout_html(article, paper="Letter")
    direction = "rtl" if locale == "ar" else "ltr"
    assert html.startswith(f'<!DOCTYPE html>\n<html lang="{locale}" dir="{direction}">')
    assert f"<title>{escape(article.title.text)}</title>" in html
    assert '<meta name="author" content="painread&#39;s editors">' in html
    assert f'<meta name="dcterms.created" content="{article.metadata.published}">' in html
    assert "@page { size: letter; }" in html
    body = html[html.index("</footer>") :]
    order = [
        body.index('class="painread-title"'),
        body.index('class="painread-byline"'),
        body.index("painread-disclaimer__text"),
        body.index('class="painread-notices"'),
    ]
    assert order == sorted(order)
    assert body.count("painread-disclaimer__text") == 1


def test_footer_is_built_from_the_served_units() -> None:
    article = painread.load("de")
    html = handouts.handout_html(article, section="dosage-and-safety")
    footer = html[html.index("<footer") : html.index("</footer>")]
    shown = html_module.unescape(re.sub("<[^>]+>", "", footer))
    assert article.label(handouts.SHORT_DISCLAIMER) in shown
    assert '<span lang="en">Poison Help</span>' in footer  # English inside German is marked
    assert (
        "Seite "
        '<span class="painread-handout-footer__page-number"></span> von '
        '<span class="painread-handout-footer__page-count"></span> · Inhaltsversion '
        '<bdi dir="ltr">1.0.0</bdi>'
    ) in footer


def test_right_to_left_handouts_isolate_every_latin_run() -> None:
    html = handouts.handout_html(painread.load("ar"))
    assert (
        html.count(f'<bdi dir="ltr" class="painread-number">{POISON_HELP}</bdi>') == 2
    )  # disclaimer and footer
    assert '(<bdi dir="ltr" lang="en">FDA</bdi>)' in html
    assert '<bdi dir="ltr"><bdi' not in html  # the renderer isolates each run once
    english = handouts.handout_html(painread.load("en"))
    assert '<bdi dir="ltr">1.0.0</bdi>' in english
    assert f'<bdi dir="ltr" class="painread-number">{POISON_HELP}</bdi>' not in english


# --- laid out with WeasyPrint ----------------------------------------------------------------


def pdftotext_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.split("\f")[:-1]


def pdfinfo(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return {
        key: value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())
    }


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("section", VIEWS, ids=lambda s: s or "article")
@pytest.mark.parametrize("locale", LOCALES)
def test_each_page_carries_the_short_line_and_page_one_the_disclaimer(
    locale: str, section: str | None, paper: str, tmp_path: Path
) -> None:
    article = painread.load(locale)
    pdf = painread.handout(article, section=section, paper=paper)  # type: ignore[arg-type]
    pages = pdftotext_pages(pdf, tmp_path)
    info = pdfinfo(pdf, tmp_path)
    assert len(pages) == int(info["Pages"])
    assert info["Page size"].startswith(PAPER_POINTS[paper])
    short = article.label(handouts.SHORT_DISCLAIMER)
    version = article.metadata.version
    for number, page in enumerate(pages, start=1):
        assert contains(page, short), f"page {number}"
        assert POISON_HELP in page, f"page {number}"
        footer = article.label(
            handouts.FOOTER_LABEL, page=str(number), pages=str(len(pages)), version=version
        )
        assert contains(page, footer), f"page {number}"
    if locale == "ar":
        # Arabic marks split pdftotext's lines; every unmarked word is still on page 1.
        unmarked = " ".join(w for w in article.disclaimer.text.split() if not _MARKS.search(w))
        assert not Counter(extracted(unmarked)) - Counter(words(pages[0]))
        assert pages[0].count(POISON_HELP) == 2  # the disclaimer's and the footer's
    else:
        assert contains(pages[0], article.disclaimer.text)


@pytest.mark.slow
def test_the_same_input_gives_the_same_bytes_in_any_process() -> None:
    article = painread.load("ar")
    first = painread.handout(article, section="dosage-and-safety", paper="Letter")
    assert painread.handout(article, section="dosage-and-safety", paper="Letter") == first
    code = (
        "import hashlib, painread; print(hashlib.sha256(painread.handout(painread.load('ar'), "
        "section='dosage-and-safety', paper='Letter')).hexdigest())"
    )
    printed, _ = run_fresh(code)
    import hashlib

    assert printed == hashlib.sha256(first).hexdigest()
    assert painread.handout(article, section="dosage-and-safety") != first


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_pdf_metadata_and_tags(locale: str, tmp_path: Path) -> None:
    import pypdf

    article = painread.load(locale)
    pdf = painread.handout(article)
    info = pdfinfo(pdf, tmp_path)
    assert info["Title"] == article.title.text
    assert info["Author"] == "painread's editors"
    assert info["CreationDate"].startswith("Tue Nov 24 00:00:00 2026")
    assert info["Tagged"] == "yes"
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == locale
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp or 'pdfuaid:part="1"' in xmp
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "info.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert bool(re.search("Noto.?Sans.?Arabic", fonts)) == (locale == "ar")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("locale", "rule"),
    [
        ("es", ".painread-handout-footer__disclaimer { display: none; }"),  # no short line
        ("de", ".painread-disclaimer { break-before: page; }"),  # disclaimer off page 1
    ],
)
def test_pages_that_lose_a_disclaimer_are_never_returned(
    locale: str, rule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = handouts._document

    def with_rule(view: handouts.View, paper: str) -> str:
        return document(view, paper).replace("</style>", f"{rule}\n</style>")

    monkeypatch.setattr(handouts, "_document", with_rule)
    with pytest.raises(DisclaimerMissingError):
        painread.handout(painread.load(locale))


@pytest.mark.slow
def test_cli_writes_the_same_pdf_as_the_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "dosage-ar.pdf"
    argv = ["handout", "--locale", "ar", "--section", "dosage-and-safety", "--paper", "Letter"]
    assert main([*argv, "-o", str(target)], stdout=io.StringIO()) == 0
    expected = painread.handout(painread.load("ar"), section="dosage-and-safety", paper="Letter")
    assert target.read_bytes() == expected
    assert f"wrote {target}" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_reports_an_unwritable_file_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "x.pdf"
    assert main(["handout", "-o", str(target)], stdout=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot write" in err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_page_images_are_kept_for_review(locale: str, tmp_path: Path) -> None:
    """PNG pages of the whole article on A4, kept under artifacts/handouts/ by CI."""
    pdf = painread.handout(painread.load(locale))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"handout-{locale}.pdf"
    source.write_bytes(pdf)
    prefix = ARTIFACTS / f"handout-{locale}"
    for stale in ARTIFACTS.glob(f"handout-{locale}-*.png"):  # from a longer earlier handout
        stale.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(source), str(prefix)], check=True, timeout=120
    )
    images = sorted(ARTIFACTS.glob(f"handout-{locale}-*.png"))
    assert len(images) == int(pdfinfo(pdf, tmp_path)["Pages"])
