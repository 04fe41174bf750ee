"""Run examples/browse.ipynb in a real Jupyter kernel and read what it displayed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from markupsafe import escape
from nbclient import NotebookClient

import painread
from painread.renderers.base import make_view
from painread.renderers.html import HtmlRenderer

pytestmark = pytest.mark.slow  # runs a Jupyter kernel; CI runs it in its slow step

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "browse.ipynb"
ARTICLE = painread.load()
GERMAN = painread.load("de")


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The notebook's code cells, by tag, after a run in the ``python3`` kernel.

    The kernel is ipykernel's own ``python3``; jupyter_client starts it with this
    interpreter, so it sees the painread under test.
    """
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("notebook")
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        startup_timeout=120,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    return {
        tag: cell
        for cell in notebook.cells
        if cell.cell_type == "code"
        for tag in cell.metadata.get("tags", [])
    }


def _display(cell: Any) -> dict[str, str]:
    results = [output for output in cell.outputs if output.output_type == "execute_result"]
    assert len(results) == 1
    data: dict[str, str] = results[0]["data"]
    return data


def test_every_cell_ran_without_error(executed: dict[str, Any]) -> None:
    assert set(executed) == {
        "load",
        "sections",
        "display-section",
        "languages",
        "display-section-de",
        "display-embed",
        "search",
        "search-de",
    }
    for cell in executed.values():
        assert cell.execution_count is not None
        assert not [output for output in cell.outputs if output.output_type == "error"]


def test_displayed_section_shows_the_disclaimer_in_html(executed: dict[str, Any]) -> None:
    data = _display(executed["display-section"])
    assert {"text/plain", "text/markdown", "text/html"} <= set(data)
    html = data["text/html"]
    assert str(escape(ARTICLE.disclaimer.text)) in html
    assert '<aside class="painread-disclaimer painread-disclaimer--bottom" role="note"' in html
    for notice in ARTICLE.notices_for("dosage-and-safety"):
        assert str(escape(notice.text.text)) in html
    assert " ".join(ARTICLE.disclaimer.text.split()) in " ".join(data["text/plain"].split())


def test_load_displays_the_title(executed: dict[str, Any]) -> None:
    assert _display(executed["load"])["text/plain"] == repr(ARTICLE.title.text)


def test_the_section_in_german_is_german_with_its_disclaimer(executed: dict[str, Any]) -> None:
    data = _display(executed["display-section-de"])
    html = data["text/html"]
    section = GERMAN.section("dosage-and-safety")
    assert GERMAN.locale == "de"
    style, fragment = html.split("</style>\n", 1)
    assert style == f"<style>\n{painread.stylesheet()}"
    assert fragment.startswith('<article class="painread" lang="de" dir="ltr" ')
    assert str(escape(GERMAN.title.text)) in html
    assert str(escape(section.title.text)) in html
    view = make_view(GERMAN, "dosage-and-safety", "bottom")
    assert HtmlRenderer().encode_unit(view, GERMAN.disclaimer) in html
    assert str(escape(ARTICLE.disclaimer.text)) not in html
    for notice in GERMAN.notices_for("dosage-and-safety"):
        assert HtmlRenderer().encode_unit(view, notice.text) in html
    assert "translation-unreviewed" in html
    assert " ".join(GERMAN.disclaimer.text.split()) in " ".join(data["text/plain"].split())
    assert GERMAN.disclaimer.text.split()[0] in data["text/markdown"]


def test_languages_lists_each_installed_locale(executed: dict[str, Any]) -> None:
    listing = "".join(output.get("text", "") for output in executed["languages"].outputs)
    assert listing.splitlines() == [
        "ar: Arabic (rtl), reviewed: False",
        "de: German (ltr), reviewed: False",
        "en: English (ltr), reviewed: True",
        "es: Spanish (ltr), reviewed: False",
    ]


def test_displayed_embed_shows_the_disclaimer_twice(executed: dict[str, Any]) -> None:
    html = _display(executed["display-embed"])["text/html"]
    assert html.count(str(escape(ARTICLE.disclaimer.text))) == 2


def test_sections_and_search_print(executed: dict[str, Any]) -> None:
    listing = "".join(output.get("text", "") for output in executed["sections"].outputs)
    for section in ARTICLE.sections:
        assert f"{section.id}: {section.title.text}" in listing
    found = "".join(output.get("text", "") for output in executed["search"].outputs)
    assert "opioid receptors" in found
    assert len(found.splitlines()) == len(ARTICLE.search("opioid receptors"))
    german = "".join(output.get("text", "") for output in executed["search-de"].outputs)
    hits = GERMAN.search("schmerzlinderung")
    assert german.splitlines() == [f"{h.section_id or '(no section)'}: {h.snippet}" for h in hits]
    assert "Schmerzlinderung" in german
