"""The ``fhir`` format: valid R4 documents (checked with ``fhir.resources``), safe narratives."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.narrative import Narrative
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painread
from painread.cli import main
from painread.errors import DisclaimerMissingError
from painread.renderers import PLACEMENTS, get_renderer, render
from painread.renderers.base import View, make_view
from painread.renderers.fhir import FhirRenderer, escape_xhtml
from tests.example_modules import load_example
from tests.fresh_process import run_fresh
from tests.i18n_helpers import ENGLISH, registry, whole, write_po
from tests.test_render_html import NOT_IN_HTML
from tests.test_render_properties import (
    disclaimer_blocks,
    fhir_narratives,
    fhir_part_notices,
    flat,
    hostile_text,
    xml_read,
    xml_safe,
)

__all__ = ["registry"]  # a fixture

LOCALES = ("en", "es", "de", "ar")
ARTICLES = {locale: painread.load(locale) for locale in LOCALES}
VIEWS = (None, *(section.id for section in ARTICLES["en"].sections))
CASES = list(itertools.product(LOCALES, VIEWS, PLACEMENTS))
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# What painread's narratives may use: a small part of FHIR's XHTML subset (the basic HTML
# formatting elements, with class, lang and dir), and nothing that runs, styles or links.
ELEMENTS = {"div", "p", "span", "strong", "q", "sup"}
ATTRIBUTES = {"class", "lang", XML_LANG, "dir", "xmlns"}
NEVER = {"script", "style", "a", "img", "link", "base", "iframe", "object", "embed", "form"}


def fhir(locale: str, view: str | None, placement: str) -> str:
    return render(ARTICLES[locale], "fhir", section=view, placement=placement)


def document(locale: str, view: str | None = None, placement: str = "bottom") -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(fhir(locale, view, placement))
    return parsed


def composition_of(bundle: dict[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = bundle["entry"][0]["resource"]
    return resource


def enum_values(model: Any, field: str) -> list[str]:
    """The codes FHIR fixes for an element, as ``fhir.resources`` records them."""
    extra = model.model_fields[field].json_schema_extra
    values: list[str] = extra["enum_values"]
    return values


# --- validity ------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "view", "placement"), CASES)
def test_every_output_is_a_valid_r4_document_that_round_trips(
    locale: str, view: str | None, placement: str
) -> None:
    output = fhir(locale, view, placement)
    # pydantic_core writes the document; json.dumps is the plain reference it must equal.
    assert output == json.dumps(json.loads(output), indent=2, ensure_ascii=False)
    bundle = Bundle.model_validate_json(output)

    assert json.loads(bundle.model_dump_json()) == json.loads(output)
    assert isinstance(bundle.entry[0].resource, Composition)


@pytest.mark.parametrize(("locale", "view", "placement"), CASES)
def test_document_rules_of_r4_hold(locale: str, view: str | None, placement: str) -> None:
    bundle = document(locale, view, placement)
    composition = composition_of(bundle)
    entries = bundle["entry"]
    full_urls = [entry["fullUrl"] for entry in entries]

    assert bundle["type"] == "document"
    assert bundle["identifier"]["system"] == "urn:ietf:rfc:3986"  # bdl-9
    assert bundle["identifier"]["value"] == f"urn:uuid:{bundle['id']}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", bundle["timestamp"])  # bdl-10
    assert composition["resourceType"] == "Composition"  # bdl-11
    assert len(set(full_urls)) == len(full_urls)  # bdl-7
    assert full_urls == [f"urn:uuid:{entry['resource']['id']}" for entry in entries]
    references = [composition["custodian"], *composition["author"]]
    assert {reference["reference"] for reference in references} <= set(full_urls)
    authors = [entry["resource"] for entry in entries if entry["fullUrl"] in full_urls[1:]]
    assert [author["resourceType"] for author in authors] == ["Organization"]
    assert all("text" in section for section in composition["section"])  # cmp-1


@pytest.mark.parametrize("locale", LOCALES)
def test_the_composition_says_what_the_document_is(locale: str) -> None:
    article = ARTICLES[locale]
    composition = composition_of(document(locale))
    meta = article.metadata

    assert composition["language"] == locale
    assert composition["title"] == article.title.text
    assert composition["date"] == meta.last_reviewed.isoformat()
    assert composition["status"] == "preliminary"  # no clinician has reviewed the text
    assert not meta.clinically_reviewed
    assert "attester" not in composition
    assert composition["identifier"]["system"] == "urn:ietf:rfc:3986"


def test_a_section_document_is_titled_by_its_section() -> None:
    section = ARTICLES["de"].section("dosage-and-safety")
    composition = composition_of(document("de", "dosage-and-safety"))
    assert composition["title"] == section.title.text
    ids = [part["id"] for part in composition["section"]]
    assert ids == ["notices", "section-dosage-and-safety", "notes", "disclaimer"]


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_one_section_per_part_in_reading_order(placement: str) -> None:
    article = ARTICLES["en"]
    sections = composition_of(document("en", None, placement))["section"]
    parts = ["notices", "summary", "introduction"]
    parts += [f"section-{section.id}" for section in article.sections]
    parts += ["conclusion", "notes"]
    parts = ["disclaimer", *parts] if placement != "bottom" else [*parts, "disclaimer"]

    assert [section["id"] for section in sections] == parts
    titles = {section["id"]: section["title"] for section in sections}
    assert titles["disclaimer"] == article.label("ui.disclaimer.heading")
    assert (
        titles["section-mechanisms-of-action"] == article.section("mechanisms-of-action").title.text
    )


def test_coded_elements_use_only_codes_fhir_fixes() -> None:
    for locale, view, placement in CASES:
        bundle = document(locale, view, placement)
        composition = composition_of(bundle)
        narratives = [composition["text"], *(section["text"] for section in composition["section"])]

        assert bundle["type"] in enum_values(Bundle, "type")
        assert composition["status"] in enum_values(Composition, "status")
        assert {n["status"] for n in narratives} <= set(enum_values(Narrative, "status"))
        assert '"coding"' not in json.dumps(bundle)  # no code system value is verified
        assert composition["type"] == {"text": "Consumer health article"}


# --- narratives ---------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "view", "placement"), CASES)
def test_every_narrative_carries_the_disclaimer_and_the_notices_that_apply(
    locale: str, view: str | None, placement: str
) -> None:
    article = ARTICLES[locale]
    copies = 2 if placement == "both" else 1
    narratives = fhir_narratives(fhir(locale, view, placement))

    assert len(narratives) >= 4
    for part, root in narratives:
        blocks = disclaimer_blocks(root)
        assert [flat(texts[-1]) for texts in blocks] == [flat(article.disclaimer.text)] * (
            1 if part == "disclaimer" else copies
        ), part
        assert all(flat(texts[0]) == article.label("ui.disclaimer.heading") for texts in blocks)
        text = flat("".join(root.itertext()))
        for notice in article.notices:
            expected = 1 if notice in fhir_part_notices(article, part, view) else 0
            assert text.count(flat(notice.text.text)) == expected, (part, notice.id)


@pytest.mark.parametrize(("locale", "view", "placement"), CASES)
def test_narratives_are_the_xhtml_subset(locale: str, view: str | None, placement: str) -> None:
    composition = composition_of(document(locale, view, placement))
    divs = [composition["text"]["div"], *(s["text"]["div"] for s in composition["section"])]
    direction = "rtl" if locale == "ar" else "ltr"

    for div in divs:
        assert div.startswith('<div xmlns="http://www.w3.org/1999/xhtml" ')
        root = ET.fromstring(div)
        assert root.tag == f"{XHTML}div"
        assert (root.get("lang"), root.get(XML_LANG), root.get("dir")) == (
            locale,
            locale,
            direction,
        )
        assert "".join(root.itertext()).strip()  # txt-2: some non-whitespace content
        _assert_subset(root)


def _assert_subset(root: ET.Element) -> None:
    for element in root.iter():
        assert element.tag.startswith(XHTML), element.tag
        name = element.tag.removeprefix(XHTML)
        assert name in ELEMENTS, name
        assert name not in NEVER
        assert set(element.attrib) <= ATTRIBUTES, element.attrib
        assert not any(attribute.lower().startswith("on") for attribute in element.attrib)
        assert not any(
            value.strip().lower().startswith(("javascript:", "http:", "https:", "data:", "//"))
            for value in element.attrib.values()
        )


def test_the_xhtml_check_can_fail() -> None:
    for bad in (
        '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>',
        '<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">a</p></div>',
        '<div xmlns="http://www.w3.org/1999/xhtml"><p style="color:red">a</p></div>',
        '<div xmlns="http://www.w3.org/1999/xhtml"><a href="https://example.org">a</a></div>',
        "<div><p>no namespace</p></div>",
    ):
        with pytest.raises(AssertionError):
            _assert_subset(ET.fromstring(bad))


def test_fallback_units_say_their_own_language() -> None:
    article = ARTICLES["ar"]
    english = article.model_copy(
        update={"summary": ARTICLES["en"].summary}
    )  # the summary served in the source language, as a fallback is
    composition = composition_of(json.loads(render(english, "fhir")))
    summary = next(s for s in composition["section"] if s["id"] == "summary")
    paragraph = ET.fromstring(summary["text"]["div"]).find(f"{XHTML}p")
    assert paragraph is not None
    assert (paragraph.get("lang"), paragraph.get(XML_LANG), paragraph.get("dir")) == (
        "en",
        "en",
        "ltr",
    )


@pytest.mark.usefixtures("registry")
def test_a_partial_translation_is_valid_and_marks_what_falls_back(tmp_path: Path) -> None:
    entries = whole("it")  # every text tagged "<it>", so escaping is exercised too
    write_po(tmp_path, "it", {unit: entries[unit] for unit in list(ENGLISH)[::2]})
    painread.add_translations(tmp_path)
    article = painread.load("it")
    notes = [unit for note in article.notes for unit in (note.anchor, note.text)]
    units = (*article.source_units(), *(n.text for n in article.notices), *notes)
    fallbacks = {unit.text for unit in (*units, article.disclaimer) if unit.locale == "en"}
    assert fallbacks

    for view, placement in itertools.product(VIEWS, PLACEMENTS):
        output = render(article, "fhir", section=view, placement=placement)
        Bundle.model_validate_json(output)
        for _, root in fhir_narratives(output):
            assert (root.get("lang"), root.get("dir")) == ("it", "ltr")
            _assert_subset(root)
            for element, lang in _languages(root, "it"):
                text = "".join(element.itertext())
                if text in fallbacks:
                    assert lang == "en", (element.tag, text)
                elif text.startswith("[it]"):
                    assert lang == "it", (element.tag, text)


def _languages(element: ET.Element, inherited: str) -> Iterator[tuple[ET.Element, str]]:
    """Each element with the language it is in: its own ``lang``, or its parent's."""
    own = element.get("lang", inherited)
    assert element.get(XML_LANG, own) == own
    yield element, own
    for child in element:
        yield from _languages(child, own)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, paragraph=hostile_text, view=st.sampled_from(VIEWS))
def test_hostile_source_text_stays_text(title: str, paragraph: str, view: str | None) -> None:
    article = ARTICLES["en"]
    section = article.sections[0]
    changed = section.model_copy(
        update={
            "title": section.title.model_copy(update={"text": title}),
            "paragraphs": (section.paragraphs[0].model_copy(update={"text": paragraph}),),
        }
    )
    hostile = article.model_copy(update={"sections": (changed, *article.sections[1:])})
    output = render(hostile, "fhir", section=view)

    Bundle.model_validate_json(output)
    for part, root in fhir_narratives(output):
        _assert_subset(root)
        if part == f"section-{section.id}":
            assert flat(xml_read(paragraph)) in flat("".join(root.itertext()))
    titles = {part["id"]: part["title"] for part in composition_of(json.loads(output))["section"]}
    if view in (None, section.id):
        assert titles[f"section-{section.id}"] == xml_safe(title)


def _xhtml(text: str) -> str:
    """The plain reference: every code point HTML forbids, and the form feed, as U+FFFD."""
    text = NOT_IN_HTML.sub("\ufffd", text).replace("\x0c", "\ufffd")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_escaping_replaces_every_code_point_xml_forbids() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert escape_xhtml(every) == _xhtml(every)


@given(text=st.text() | hostile_text)
def test_the_quick_check_for_what_xml_forbids_is_the_plain_one(text: str) -> None:
    assert escape_xhtml(text) == _xhtml(text)


@given(text=hostile_text)
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    root = ET.fromstring(f"<p>{escape_xhtml(text)}</p>")
    assert "".join(root.itertext()) == xml_read(text)


# --- determinism --------------------------------------------------------------------

_DIGESTS = (
    "import hashlib, painread\n"
    f"for locale in {LOCALES!r}:\n"
    "    article = painread.load(locale)\n"
    "    for view in (None, *(s.id for s in article.sections)):\n"
    "        for placement in painread.PLACEMENTS:\n"
    "            out = painread.render(article, 'fhir', section=view, placement=placement)\n"
    "            print(hashlib.sha256(out.encode()).hexdigest())\n"
)


def test_output_is_byte_identical_across_processes() -> None:
    first, loaded = run_fresh(_DIGESTS)
    second, _ = run_fresh(_DIGESTS)
    here = [
        hashlib.sha256(fhir(locale, view, placement).encode()).hexdigest()
        for locale in LOCALES
        for view in VIEWS
        for placement in PLACEMENTS
    ]

    assert first == second
    assert first.splitlines() == here
    assert not {name for name in loaded if name == "fhir" or name.startswith("fhir.")}


def test_the_base_withholds_a_document_that_lost_the_disclaimer() -> None:
    class Careless(FhirRenderer):
        def join(self, view: View, blocks: Sequence[tuple[str, Any]]) -> str:
            return json.dumps({"resourceType": "Bundle", "type": "document"})

    with pytest.raises(DisclaimerMissingError):
        Careless().render(make_view(ARTICLES["en"], None, "bottom"))


def test_ids_are_uuid5_of_content_hash_locale_view_and_placement() -> None:
    bundles = {case: document(*case) for case in CASES}
    ids = [bundle["id"] for bundle in bundles.values()]
    compositions = {case: composition_of(bundle) for case, bundle in bundles.items()}
    organizations = {bundle["entry"][1]["resource"]["id"] for bundle in bundles.values()}

    assert len(set(ids)) == len(CASES)
    assert all(uuid.UUID(value).version == 5 for value in ids)
    assert len(organizations) == 1
    for locale, view in itertools.product(LOCALES, VIEWS):
        identifiers = {
            compositions[locale, view, placement]["identifier"]["value"] for placement in PLACEMENTS
        }
        assert len(identifiers) == 1  # the same composition, however the disclaimer is placed
    assert len({c["identifier"]["value"] for c in compositions.values()}) == len(LOCALES) * len(
        VIEWS
    )


def test_a_changed_translation_is_another_document_of_the_same_composition() -> None:
    article = ARTICLES["es"]
    summary = article.summary.paragraphs[0]
    changed = article.model_copy(
        update={
            "summary": article.summary.model_copy(
                update={"paragraphs": (summary.model_copy(update={"text": summary.text + "."}),)}
            )
        }
    )
    before, after = document("es"), json.loads(render(changed, "fhir"))

    assert after["identifier"] != before["identifier"]
    assert composition_of(after)["identifier"] == composition_of(before)["identifier"]


def test_the_timestamp_comes_from_the_content_never_the_clock() -> None:
    article = ARTICLES["en"]
    meta = article.metadata
    earlier = meta.model_copy(
        update={"last_reviewed": meta.last_reviewed.replace(year=meta.last_reviewed.year - 1)}
    )
    bundle = json.loads(render(article.model_copy(update={"metadata": earlier}), "fhir"))

    assert bundle["timestamp"] == f"{earlier.last_reviewed.isoformat()}T00:00:00Z"
    assert composition_of(bundle)["date"] == earlier.last_reviewed.isoformat()
    assert bundle["identifier"] != document("en")["identifier"]


def test_encoding_matches_what_the_output_holds() -> None:
    article = ARTICLES["en"]
    hostile = 'a < b & c > d "quoted" \\ \x0c \x00 end'
    changed = article.model_copy(
        update={"disclaimer": article.disclaimer.model_copy(update={"text": hostile})}
    )
    output = render(changed, "fhir", placement="both")
    encoded = get_renderer("fhir").encode(hostile)

    assert encoded == 'a &lt; b &amp; c &gt; d \\"quoted\\" \\\\ \ufffd \ufffd end'
    assert output.count(encoded) >= 2 * len(fhir_narratives(output)) - 1


def test_the_cli_writes_the_document() -> None:
    out = io.StringIO()
    argv = ["show", "--format", "fhir", "--locale", "ar", "--section", "dosage-and-safety"]
    code = main(argv, stdout=out)
    out = out.getvalue()
    assert code == 0
    Bundle.model_validate_json(out)
    assert out.rstrip("\n") == fhir("ar", "dosage-and-safety", "bottom")
    assert 'dir=\\"rtl\\"' in out


# --- attaching the document ---------------------------------------------------------


def _example() -> ModuleType:
    return load_example("fhir_document_reference.py")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_example_document_reference_is_valid_and_carries_the_whole_bundle(
    locale: str,
) -> None:
    bundle_json = fhir(locale, None, "bottom")
    reference = _example().document_reference(bundle_json, "123")
    validated = DocumentReference.model_validate(reference)
    attachment = reference["content"][0]["attachment"]
    data = base64.b64decode(attachment["data"])

    assert json.loads(validated.model_dump_json()) == reference
    assert data.decode("utf-8") == bundle_json
    assert attachment["size"] == len(data)
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(data).digest()
    assert reference["masterIdentifier"] == json.loads(bundle_json)["identifier"]
    assert reference["status"] in enum_values(DocumentReference, "status")
    assert reference["docStatus"] in enum_values(DocumentReference, "docStatus")
    assert attachment["language"] == locale


def test_the_example_prints_a_document_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert _example().main(["42", "es-MX, es;q=0.9"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["subject"] == {"reference": "Patient/42"}
    assert printed["content"][0]["attachment"]["language"] == "es"


def test_the_documented_example_is_the_real_output() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "fhir.md").read_text("utf-8")
    example = page.split("## Example output", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    output = json.loads(fhir("en", "dosage-and-safety", "bottom"))

    assert json.loads(example) == _elided(output)


def _elided(node: Any) -> Any:
    """Each narrative cut after its opening tag, as the docs show them."""
    if isinstance(node, dict):
        return {
            key: value[: value.index(">") + 1] + "…</div>" if key == "div" else _elided(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_elided(value) for value in node]
    return node


@given(st.text())
def test_escaped_text_is_encoded_as_the_standard_json_module_encodes_it(text: str) -> None:
    encoded = FhirRenderer().encode(text)
    assert encoded == json.dumps(escape_xhtml(text), ensure_ascii=False)[1:-1]
