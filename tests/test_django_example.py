"""examples/django_app, through Django's test client."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import painread
from tests.test_examples import assert_serves_one_section, assert_serves_the_article, tags

django = pytest.importorskip("django")

from django.test import Client  # noqa: E402

SITE = Path(__file__).resolve().parent.parent / "examples" / "django_app"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """The example's settings, as ``python kratom_site.py runserver`` would load them."""
    sys.path.insert(0, str(SITE))
    previous = os.environ.get("DJANGO_SETTINGS_MODULE")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kratom_site"
    try:
        django.setup()
        yield Client()
    finally:
        sys.path.remove(str(SITE))
        if previous is None:
            os.environ.pop("DJANGO_SETTINGS_MODULE", None)
        else:
            os.environ["DJANGO_SETTINGS_MODULE"] = previous


@pytest.mark.parametrize(
    ("header", "code", "direction"),
    [
        ("ar-EG,ar;q=0.9,en;q=0.5", "ar", "rtl"),
        ("de-DE,de;q=0.9", "de", "ltr"),
        ("es-MX,es;q=0.8", "es", "ltr"),
        ("fr-CA,fr;q=0.9", "en", "ltr"),
        ("", "en", "ltr"),
    ],
)
def test_the_language_comes_from_locale_middleware(
    client: Client, header: str, code: str, direction: str
) -> None:
    article = painread.load(code)
    response = client.get("/", headers={"accept-language": header})
    page = response.content.decode("utf-8")
    assert response.status_code == 200
    assert_serves_the_article(page, response.headers, article, code, direction)


@pytest.mark.parametrize("code", ["ar", "de", "es", "en"])
def test_one_section_with_its_notices(client: Client, code: str) -> None:
    article = painread.load(code)
    response = client.get("/sections/dosage-and-safety", headers={"accept-language": code})
    page = response.content.decode("utf-8")
    assert response.status_code == 200
    assert_serves_one_section(page, article, "dosage-and-safety")


def test_the_page_links_every_section(client: Client) -> None:
    navigation = client.get("/").content.decode("utf-8").split("</nav>")[0]
    links = [a["href"] for a in tags(navigation)["a"]]
    assert links == ["/", *(f"/sections/{entry.id}" for entry in painread.load().toc)]


def test_an_unknown_section_is_a_404(client: Client) -> None:
    assert client.get("/sections/nope").status_code == 404


def test_the_template_relies_on_html_not_on_safe() -> None:
    template = (SITE / "templates" / "page.html").read_text(encoding="utf-8")
    assert not re.search(r"\|\s*safe|autoescape\s+off|safeseq", template)
    assert "<main>{{ embed }}</main>" in template


def test_the_template_escapes_what_it_is_given(client: Client) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "page.html",
        {
            "article": painread.load(),
            "info": painread.locale_info("en"),
            "title": "<i>",
            "embed": "<b>",
        },
    )
    assert "<main>&lt;b&gt;</main>" in html
    assert "<title>&lt;i&gt;</title>" in html
