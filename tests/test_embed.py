from __future__ import annotations

import dataclasses
import json

import flask
import jinja2
import pytest
from markupsafe import Markup, escape

import painread
from painread.errors import UnknownPlacementError, UnknownSectionError
from painread.renderers import render
from painread.renderers.embed import Embed, section_embed
from tests.fresh_process import run_fresh

ARTICLE = painread.load()
DISCLAIMER_HTML = str(escape(ARTICLE.disclaimer.text))
MIMETYPES = {"text/plain", "text/markdown", "text/html"}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_embed_is_immutable_and_hashable() -> None:
    embed = ARTICLE.embed(section="dosage-and-safety")
    with pytest.raises(dataclasses.FrozenInstanceError):
        embed.section = None  # type: ignore[misc]
    assert embed == Embed(ARTICLE, "dosage-and-safety", "bottom")
    assert len({embed, ARTICLE.embed(section="dosage-and-safety")}) == 1


def test_embed_rejects_unknown_section_or_placement_at_once() -> None:
    with pytest.raises(UnknownSectionError):
        ARTICLE.embed(section="nope")
    with pytest.raises(UnknownPlacementError):
        ARTICLE.embed(placement="middle")  # type: ignore[arg-type]


@pytest.mark.parametrize("section", [None, "mechanisms-of-action"])
@pytest.mark.parametrize("placement", ["top", "bottom", "both"])
def test_every_method_is_the_matching_render(section: str | None, placement: str) -> None:
    embed = ARTICLE.embed(section=section, placement=placement)  # type: ignore[arg-type]
    options = {"section": section, "placement": placement}
    assert embed.text() == render(ARTICLE, "text", **options)
    assert embed.text(width=50) == render(ARTICLE, "text", width=50, **options)
    assert embed.markdown() == render(ARTICLE, "markdown", **options)
    assert embed.html() == render(ARTICLE, "html", **options)
    assert embed.json() == render(ARTICLE, "json", **options)
    assert embed.jsonld() == render(ARTICLE, "jsonld", **options)
    assert embed.fhir() == render(ARTICLE, "fhir", **options)
    assert str(embed) == embed.text()
    assert embed.__html__() == str(embed.html())


def test_html_is_markup_so_escaping_leaves_it_alone() -> None:
    embed = ARTICLE.embed()
    assert isinstance(embed.html(), Markup)
    assert escape(embed) == embed.html()
    assert DISCLAIMER_HTML in escape(embed)


def test_showing_an_embed_again_reuses_the_rendered_output() -> None:
    embed = ARTICLE.embed(section="dosage-and-safety", placement="both")
    assert embed.json() is embed.json()
    assert embed.__html__() is embed.__html__()
    assert embed.text(width=50) is embed.text(width=50)
    assert embed.text(width=50) != embed.text(width=70)


def test_str_carries_the_disclaimer() -> None:
    assert flat(ARTICLE.disclaimer.text) in flat(str(ARTICLE.embed(section="dosage-and-safety")))


def test_mimebundle_has_the_three_types_each_with_the_disclaimer() -> None:
    bundle = ARTICLE.embed(section="dosage-and-safety")._repr_mimebundle_()
    assert set(bundle) == MIMETYPES
    assert flat(ARTICLE.disclaimer.text) in flat(bundle["text/plain"])
    assert "\n> " in bundle["text/markdown"]
    assert DISCLAIMER_HTML in bundle["text/html"]


def test_mimebundle_honours_include_and_exclude() -> None:
    embed = ARTICLE.embed()
    assert set(embed._repr_mimebundle_(include={"text/html"})) == {"text/html"}
    assert set(embed._repr_mimebundle_(exclude=["text/markdown"])) == {"text/plain", "text/html"}
    assert embed._repr_mimebundle_(include={"text/html"}, exclude={"text/html"}) == {}


def test_article_displays_itself_with_the_disclaimer() -> None:
    bundle = ARTICLE._repr_mimebundle_()
    assert bundle == ARTICLE.embed()._repr_mimebundle_()
    assert DISCLAIMER_HTML in bundle["text/html"]


@pytest.mark.parametrize("section_id", [section.id for section in ARTICLE.sections])
def test_a_section_displayed_alone_shows_the_disclaimer_and_its_notices(section_id: str) -> None:
    bundle = ARTICLE.section(section_id)._repr_mimebundle_()
    assert bundle == ARTICLE.embed(section=section_id)._repr_mimebundle_()
    assert DISCLAIMER_HTML in bundle["text/html"]
    for notice in ARTICLE.notices_for(section_id):
        assert str(escape(notice.text.text)) in bundle["text/html"]


def test_a_section_not_from_the_served_article_falls_back_to_the_english_disclaimer() -> None:
    original = ARTICLE.section("dosage-and-safety")
    changed = original.model_copy(
        update={
            "paragraphs": (original.paragraphs[0].model_copy(update={"text": "Edited <text>."}),)
        }
    )
    embed = section_embed(changed)
    assert embed.article is not ARTICLE
    assert embed.article.disclaimer == ARTICLE.disclaimer
    html = changed._repr_mimebundle_(include={"text/html"})["text/html"]
    assert "Edited &lt;text&gt;." in html
    assert DISCLAIMER_HTML in html
    for notice in ARTICLE.notices_for("dosage-and-safety"):
        assert str(escape(notice.text.text)) in html


def test_a_section_from_an_unknown_locale_still_shows_a_disclaimer() -> None:
    section = ARTICLE.sections[0]
    foreign = section.model_copy(
        update={"title": section.title.model_copy(update={"locale": "!!"})}
    )
    assert DISCLAIMER_HTML in foreign._repr_mimebundle_()["text/html"]


def test_jinja2_autoescape_renders_the_fragment_once() -> None:
    environment = jinja2.Environment(autoescape=True)
    template = environment.from_string("<main>{{ embed }}</main><p>{{ note }}</p>")
    embed = ARTICLE.embed(section="dosage-and-safety")
    page = template.render(embed=embed, note="<b>host text</b>")
    assert page == f"<main>{embed.html()}</main><p>&lt;b&gt;host text&lt;/b&gt;</p>"
    assert page.count(DISCLAIMER_HTML) == 1
    assert "&lt;article" not in page
    assert "&amp;lt;" not in page
    assert "&amp;#" not in page
    assert '<aside class="painread-disclaimer painread-disclaimer--bottom" role="note"' in page


def test_jinja2_does_not_double_escape_text_from_the_article() -> None:
    title = ARTICLE.title.model_copy(update={"text": "Pills & <pain>"})
    embed = ARTICLE.model_copy(update={"title": title}).embed()
    page = jinja2.Environment(autoescape=True).from_string("{{ embed }}").render(embed=embed)
    assert "Pills &amp; &lt;pain&gt;" in page
    assert "&amp;amp;" not in page
    assert "&amp;lt;" not in page


def test_flask_page_and_json_api() -> None:
    app = flask.Flask(__name__)

    @app.get("/kratom/<section>")
    def page(section: str) -> str:
        embed = painread.load().embed(section=section)
        return flask.render_template_string("<main>{{ embed }}</main>", embed=embed)

    @app.get("/api/kratom/<section>")
    def api(section: str) -> flask.Response:
        embed = painread.load().embed(section=section)
        return flask.Response(embed.json(), mimetype="application/json")

    client = app.test_client()
    html = client.get("/kratom/mechanisms-of-action").get_data(as_text=True)
    assert html.count(DISCLAIMER_HTML) == 1
    assert html.startswith('<main><article class="painread"')
    response = client.get("/api/kratom/mechanisms-of-action")
    assert response.mimetype == "application/json"
    assert (
        json.loads(response.get_data(as_text=True))["disclaimer"]["text"] == ARTICLE.disclaimer.text
    )


def test_models_do_not_import_renderers_or_ipython() -> None:
    code = (
        "import sys\n"
        "import painread\n"
        "article = painread.load()\n"
        "print('painread.renderers' in sys.modules)\n"
        "article.sections[0]._repr_mimebundle_(); article._repr_mimebundle_()\n"
    )
    renderers_loaded_by_load, loaded = run_fresh(code)
    assert renderers_loaded_by_load == "False"
    assert "IPython" not in loaded
    assert "painread.renderers.embed" in loaded
