from __future__ import annotations

import itertools
import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest
from pydantic import TypeAdapter
from tools.gen_schema import COMMAND, render_schema_source

import painread
from painread.renderers import PLACEMENTS, render
from painread.renderers.jsonfmt import (
    SCHEMA_VERSION,
    ArticleDocument,
    RenderedDocument,
    SectionDocument,
)

ARTICLE = painread.load()
VIEWS = (None, *(section.id for section in ARTICLE.sections))
CASES = list(itertools.product(VIEWS, PLACEMENTS))
SHIPPED = files("painread") / "data" / "render.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def test_shipped_schema_is_the_generated_one() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == render_schema_source(), (
        f"src/painread/data/render.schema.json is stale; regenerate it with `{COMMAND}`"
    )


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_output_validates_against_the_shipped_schema(
    validator: jsonschema.protocols.Validator, view: str | None, placement: str
) -> None:
    document = json.loads(render(ARTICLE, "json", section=view, placement=placement))
    errors = [error.message for error in validator.iter_errors(document)]
    assert errors == []
    assert document["schema"] == SCHEMA_VERSION
    assert document["view"] == ("article" if view is None else "section")


@pytest.mark.parametrize(
    "broken",
    [
        lambda d: d.pop("disclaimer"),
        lambda d: d["disclaimer"].pop("text"),
        lambda d: d["disclaimer"].update(text="   "),
        lambda d: d["disclaimer"].update(placement="middle"),
        lambda d: d.update(schema="painread.render/2"),
        lambda d: d.pop("notices"),
        lambda d: d.update(extra=1),
    ],
)
def test_schema_rejects_documents_missing_what_must_travel(
    validator: jsonschema.protocols.Validator, broken: Any
) -> None:
    document = json.loads(render(ARTICLE, "json", section="dosage-and-safety"))
    broken(document)
    assert not validator.is_valid(document)


@pytest.mark.parametrize(("view", "placement"), CASES)
def test_output_round_trips_to_the_article_models(view: str | None, placement: str) -> None:
    output = render(ARTICLE, "json", section=view, placement=placement)
    document = json.loads(output)
    assert json.loads(json.dumps(document)) == document
    parsed = TypeAdapter(RenderedDocument).validate_python(document)
    assert parsed.notices == ARTICLE.notices_for(view)
    assert {note.id for note in parsed.notes} == {note.id for note in ARTICLE.notes_for(view)}
    assert parsed.disclaimer.text == ARTICLE.disclaimer.text
    assert parsed.disclaimer.placement == placement
    assert parsed.metadata == ARTICLE.metadata
    assert (
        json.dumps(parsed.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False)
        == output
    )
    if view is None:
        assert isinstance(parsed, ArticleDocument)
        assert parsed.article.sections == ARTICLE.sections
        assert parsed.article.summary == ARTICLE.summary
    else:
        assert isinstance(parsed, SectionDocument)
        assert parsed.section == ARTICLE.section(view)
        assert parsed.article_id == ARTICLE.id


def test_notes_carry_the_numbers_of_their_markers() -> None:
    document = json.loads(render(ARTICLE, "json"))
    text = render(ARTICLE, "text")
    for note in document["notes"]:
        assert f"[{note['number']}] “{note['anchor']['text']}”" in " ".join(text.split())
    assert [note["number"] for note in document["notes"]] == list(range(1, 10))


def test_labels_and_direction_let_apps_lay_it_out() -> None:
    document = json.loads(render(ARTICLE, "json"))
    assert document["labels"]["ui.disclaimer.heading"] == document["disclaimer"]["heading"]
    assert document["direction"] == "ltr"
    assert document["locale"] == "en"
