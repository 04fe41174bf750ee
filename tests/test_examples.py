"""examples/flask_app.py, through Flask's test client."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from types import ModuleType

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from werkzeug.test import TestResponse

import painread
from painread.renderers.base import make_view
from painread.renderers.html import HtmlRenderer
from tests.example_modules import load_example


def _load_example() -> ModuleType:
    return load_example("flask_app.py")


@pytest.fixture(scope="module")
def app() -> Flask:
    created: Flask = _load_example().create_app()
    created.testing = True
    return created


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class _Tags(HTMLParser):
    """The attributes of every start tag, by tag name."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, list[dict[str, str | None]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.setdefault(tag, []).append(dict(attrs))


def tags(page: str) -> dict[str, list[dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def written(article: painread.Article, unit: painread.TextUnit) -> str:
    """A unit as the HTML writes it (escaped, its language and direction marked)."""
    return HtmlRenderer().encode_unit(make_view(article, None, "bottom"), unit)


def assert_carries_the_disclaimer(page: str, article: painread.Article) -> None:
    assert written(article, article.disclaimer) in page
    assert 'class="painread-disclaimer painread-disclaimer--bottom" role="note"' in page


def assert_serves_the_article(
    page: str, headers: Mapping[str, str], article: painread.Article, tag: str, direction: str
) -> None:
    """A whole-article page in the reader's language, with every notice and the disclaimer."""
    assert headers["Content-Language"] == tag
    assert "Accept-Language" in headers["Vary"]
    assert tags(page)["html"] == [{"lang": tag, "dir": direction}]
    (shown,) = tags(page)["article"]
    assert {"class": "painread", "lang": tag, "dir": direction}.items() <= shown.items()
    assert f"<title>{escape(article.title.text)}</title>" in page
    assert_carries_the_disclaimer(page, article)
    for notice in article.notices:
        assert written(article, notice.text) in page


def assert_serves_one_section(page: str, article: painread.Article, section_id: str) -> None:
    """One section's page: its notices and the disclaimer, and no other section's text."""
    assert str(escape(article.section(section_id).title.text)) in page
    assert_carries_the_disclaimer(page, article)
    for notice in article.notices_for(section_id):
        assert written(article, notice.text) in page
    other = next(section for section in article.sections if section.id != section_id)
    assert str(escape(other.paragraphs[0].text)) not in page


@pytest.mark.parametrize(
    ("header", "code", "tag", "direction"),
    [
        ("ar-EG,ar;q=0.9,en;q=0.5", "ar", "ar", "rtl"),
        ("de-DE,de;q=0.9", "de", "de", "ltr"),
        ("es-MX,es;q=0.8", "es", "es", "ltr"),
        ("fr-CA,fr;q=0.9", "en", "en", "ltr"),
        ("", "en", "en", "ltr"),
    ],
)
def test_the_language_comes_from_accept_language(
    client: FlaskClient, header: str, code: str, tag: str, direction: str
) -> None:
    article = painread.load(code)
    response = client.get("/", headers={"Accept-Language": header})
    page = text_of(response)
    assert response.status_code == 200
    assert_serves_the_article(page, response.headers, article, tag, direction)


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("de", "ltr"), ("es", "ltr")])
def test_one_section_in_each_language(client: FlaskClient, code: str, direction: str) -> None:
    article = painread.load(code)
    response = client.get("/sections/dosage-and-safety", headers={"Accept-Language": code})
    page = text_of(response)
    assert response.status_code == 200
    assert tags(page)["html"] == [{"lang": code, "dir": direction}]
    assert_serves_one_section(page, article, "dosage-and-safety")


def test_lang_parameter_overrides_the_header(client: FlaskClient) -> None:
    response = client.get(
        "/sections/mechanisms-of-action?lang=ar", headers={"Accept-Language": "de"}
    )
    page = text_of(response)
    assert tags(page)["html"] == [{"lang": "ar", "dir": "rtl"}]
    assert_carries_the_disclaimer(page, painread.load("ar"))
    links = [a["href"] for a in tags(page)["a"]]
    assert "/sections/dosage-and-safety?lang=ar" in links  # the choice is kept
    assert "?lang=de" in links  # and can be changed


def test_a_well_formed_lang_that_is_not_installed_is_served_in_english(
    client: FlaskClient,
) -> None:
    response = client.get("/?lang=pt-BR", headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert tags(text_of(response))["html"] == [{"lang": "en", "dir": "ltr"}]


@pytest.mark.parametrize("lang", ["../../etc/passwd", "", "x" * 100, "<script>alert(1)</script>"])
def test_an_invalid_lang_is_a_400(client: FlaskClient, lang: str) -> None:
    response = client.get("/", query_string={"lang": lang})
    page = text_of(response)
    assert response.status_code == 400
    assert "invalid locale" in page
    assert "<script>" not in page  # the input is shown escaped: autoescaping is on


def test_an_unknown_section_is_a_404_naming_the_valid_ones(client: FlaskClient) -> None:
    response = client.get("/sections/nope")
    page = text_of(response)
    assert response.status_code == 404
    assert "unknown section" in page
    for entry in painread.load().toc:
        assert entry.id in page


def test_the_page_links_every_section_and_language(client: FlaskClient) -> None:
    links = [a["href"] for a in tags(text_of(client.get("/")))["a"]]
    for entry in painread.load().toc:
        assert f"/sections/{entry.id}" in links
    for code in painread.available_locales():
        assert f"?lang={painread.locale_info(code).tag}" in links


def test_the_templates_escape_and_rely_on_html_not_on_safe(app: Flask) -> None:
    example = _load_example()
    for template in (example.PAGE, example.ERROR):
        assert not re.search(r"\|\s*safe|autoescape\s+false", template)
    assert "<main>{{ embed }}</main>" in example.PAGE
    assert app.jinja_env.autoescape is True
    page = app.jinja_env.get_template("page.html")
    values = {"article": painread.load(), "info": painread.locale_info("en"), "languages": []}
    with app.test_request_context():
        html = page.render(**values, embed="<b>", title="<i>", lang=None)
    assert "<main>&lt;b&gt;</main>" in html
    assert "<title>&lt;i&gt;</title>" in html


def test_the_site_serves_and_links_painreads_stylesheet(client: FlaskClient) -> None:
    page = text_of(client.get("/"))
    assert '<link rel="stylesheet" href="/painread.css">' in page
    response = client.get("/painread.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.get_data(as_text=True) == painread.stylesheet()
