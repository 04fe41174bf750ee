"""load() in other locales: fallbacks, anchors, the unreviewed notice, strictness, caching,
isolation between threads and tasks, and the disclaimer in every locale and format."""

from __future__ import annotations

import asyncio
import html
import json
import re
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painread
from painread import catalogs, translation
from painread.errors import IncompleteTranslationError, InvalidLocaleError, PainreadWarning
from tests.i18n_helpers import ENGLISH, registry, tagged, whole, write_po

__all__ = ["registry"]

TITLE = "article.title"
SUMMARY = "summary.p1"
SUMMARY_ANCHORS = translation.note_anchors()[SUMMARY]


# --- acceptance ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("registry")
def test_es_mx_is_served_spanish() -> None:
    article = painread.load("es-MX")
    assert article.locale == "es"
    assert article.fallbacks == {}
    assert article.disclaimer.locale == "es"
    assert article.disclaimer.text != ENGLISH["disclaimer.text"]


@pytest.mark.usefixtures("registry")
def test_pt_is_served_english() -> None:
    article = painread.load("pt")
    assert article.locale == "en"
    assert article is painread.load("en")


@pytest.mark.usefixtures("registry")
def test_zh_hant_tw_falls_back_cleanly() -> None:
    article = painread.load("zh-Hant-TW")
    assert article.locale == "en"
    assert article.disclaimer.text == ENGLISH["disclaimer.text"]
    assert painread.render(article, "text")


@pytest.mark.usefixtures("registry")
def test_negotiate_acceptance() -> None:
    assert painread.negotiate("fr-CA;q=0.9, de;q=0.8") == "de"


@pytest.mark.usefixtures("registry")
def test_bundled_translations_ship_complete_and_rtl_is_known() -> None:
    assert {"ar", "de", "en", "es"} <= set(painread.available_locales())
    for code in ("ar", "de", "es"):
        info = painread.locale_info(code)
        assert info.completeness == 1.0
        assert info.origin == "bundled"
        assert info.reviewed is False
        article = painread.load(code)
        assert article.fallbacks == {}
        assert {unit.locale for unit in article.units()} == {code}
    assert painread.locale_info("ar").direction == "rtl"
    assert painread.locale_info("de").direction == "ltr"


@pytest.mark.usefixtures("registry")
def test_translated_note_anchors_occur_in_the_translated_text() -> None:
    for code in painread.available_locales():
        article = painread.load(code)
        for note in article.notes:
            target = article.unit(note.target)
            assert note.anchor.text in target.text
            assert note.anchor.locale == target.locale


# --- locale_info ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("registry")
def test_locale_info_describes_what_is_served() -> None:
    english = painread.locale_info("pt")
    assert english.model_dump() == {
        "code": "en",
        "tag": "en",
        "display_name": "English",
        "direction": "ltr",
        "completeness": 1.0,
        "reviewed": True,
        "origin": "source",
        "origins": ("source",),
        "fallbacks": (),
    }
    spanish = painread.locale_info("es-MX", display="de")
    assert (spanish.code, spanish.display_name) == ("es", "Spanisch")
    assert painread.locale_info("es").display_name == "español"
    with pytest.raises(InvalidLocaleError):
        painread.locale_info("es", display="../x")
    with pytest.raises(InvalidLocaleError):
        painread.locale_info("not a locale")


def test_locale_info_completeness_of_a_partial_translation(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "pt_BR", tagged("pt_BR", [TITLE, "ui.summary.heading"]))
    painread.add_translations(tmp_path)
    info = painread.locale_info("pt")
    assert info.code == "pt_BR"
    assert info.tag == "pt-BR"
    assert info.completeness == pytest.approx(2 / len(ENGLISH))
    assert info.origin == f"registered:{tmp_path}"
    assert info.reviewed is False
    with pytest.raises(Exception, match="frozen"):
        info.code = "x"  # type: ignore[misc]


# --- fallbacks, stale and fuzzy units ------------------------------------------------------------


def test_stale_and_fuzzy_units_are_never_served(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    entries = tagged("it", [TITLE, "ui.summary.heading", "ui.notes.heading", "disclaimer.text"])
    write_po(
        tmp_path,
        "it",
        entries,
        fuzzy={"ui.summary.heading", "disclaimer.text"},
        msgids={"ui.notes.heading": "Notes (old wording)"},
    )
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match=r"painread\.po:\d+: the disclaimer is marked fuzzy"):
        article = painread.load("it")
    assert article.locale == "it"
    assert article.title.locale == "it"
    for unit_id in ("ui.summary.heading", "ui.notes.heading", "disclaimer.text"):
        assert article.unit(unit_id).text == ENGLISH[unit_id]
        assert article.fallbacks[unit_id] == "en"
    assert article.disclaimer.locale == "en"


def test_a_partial_translation_falls_back_unit_by_unit(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", tagged("it", [TITLE]))
    painread.add_translations(tmp_path)
    article = painread.load("it")
    assert article.title.text == f"[it] {ENGLISH[TITLE]}"
    assert set(article.fallbacks) == {unit.id for unit in article.units()} - {TITLE}
    assert set(article.fallbacks.values()) == {"en"}
    assert len(article.notices) == len(painread.load("en").notices) + 1


# --- note anchors --------------------------------------------------------------------------------


def test_a_translated_paragraph_without_its_quotes_is_served_in_english(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", {TITLE: "Titolo", SUMMARY: "Un riassunto, senza citazioni."})
    painread.add_translations(tmp_path)
    article = painread.load("it")
    assert article.title.text == "Titolo"
    assert article.summary.paragraphs[0].text == ENGLISH[SUMMARY]
    assert {article.unit(a).locale for a in SUMMARY_ANCHORS} == {"en"}


def test_translated_quotes_without_their_paragraph_stay_english(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", {a: f"<it> {ENGLISH[a]}" for a in SUMMARY_ANCHORS})
    painread.add_translations(tmp_path)
    article = painread.load("it")
    assert {article.unit(a).text for a in SUMMARY_ANCHORS} == {ENGLISH[a] for a in SUMMARY_ANCHORS}


def test_a_paragraph_and_its_quotes_are_served_together(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    entries = whole("it")
    write_po(tmp_path, "it", {u: entries[u] for u in (SUMMARY, *SUMMARY_ANCHORS)})
    painread.add_translations(tmp_path)
    article = painread.load("it")
    assert article.summary.paragraphs[0].locale == "it"
    assert {article.unit(a).locale for a in SUMMARY_ANCHORS} == {"it"}
    assert painread.render(article, "text")


def test_a_quote_missing_from_its_translated_paragraph_is_reported(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    entries = whole("it")
    entries[SUMMARY_ANCHORS[0]] = "una citazione che non compare"
    write_po(tmp_path, "it", {u: entries[u] for u in (TITLE, SUMMARY, *SUMMARY_ANCHORS)})
    painread.add_translations(tmp_path)
    with pytest.warns(PainreadWarning, match=r"painread\.po:\d+: the quote does not occur"):
        article = painread.load("it")
    assert article.title.locale == "it"
    assert article.summary.paragraphs[0].text == ENGLISH[SUMMARY]
    assert {article.unit(a).locale for a in SUMMARY_ANCHORS} == {"en"}


def test_overlapping_quotes_are_never_served(registry: catalogs.Registry, tmp_path: Path) -> None:
    first, second = SUMMARY_ANCHORS
    write_po(
        tmp_path,
        "it",
        {SUMMARY: "uno due tre quattro", first: "uno due tre", second: "due tre quattro"},
    )
    painread.add_translations(tmp_path)
    article = painread.load("it")
    assert article.summary.paragraphs[0].text == ENGLISH[SUMMARY]
    assert painread.render(article, "html")


def test_a_paragraph_from_one_origin_needs_quotes_that_fit_it(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "es", {SUMMARY: "Un resumen reescrito sin las citas."})
    painread.add_translations(tmp_path)
    article = painread.load("es")
    bundled = registry.catalogs("es")[-1].units
    assert article.summary.paragraphs[0].text == bundled[SUMMARY]
    assert article.fallbacks == {}


# --- the unreviewed notice -----------------------------------------------------------------------


@pytest.mark.usefixtures("registry")
def test_unreviewed_translations_carry_a_notice_in_their_language_and_english() -> None:
    english_label = ENGLISH["ui.translation-unreviewed"]
    assert "translation-unreviewed" not in {n.id for n in painread.load("en").notices}
    for code in ("es", "de", "ar"):
        article = painread.load(code)
        notice = article.notices_for()[-1]
        assert notice.id == "translation-unreviewed"
        assert notice.category.value == "translation"
        assert notice.severity.value == "caution"
        assert notice.applies_to == ("article",)
        assert notice.text.text == f"{article.label('ui.translation-unreviewed')} {english_label}"
        assert notice.text.locale == code
        for section in article.sections:
            assert notice in article.notices_for(section.id)


def test_a_reviewed_registered_translation_has_no_notice(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", whole("it"), reviewed="yes")
    write_po(tmp_path, "nl", whole("nl"), reviewed="YES ")
    write_po(tmp_path, "fi", whole("fi"), reviewed=None)
    painread.add_translations(tmp_path)
    assert "translation-unreviewed" not in {n.id for n in painread.load("it").notices}
    assert "translation-unreviewed" not in {n.id for n in painread.load("nl").notices}
    assert "translation-unreviewed" in {n.id for n in painread.load("fi").notices}


def test_the_notice_is_english_only_when_its_label_is_not_translated(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    write_po(tmp_path, "it", tagged("it", [TITLE]))
    painread.add_translations(tmp_path)
    notice = painread.load("it").notices[-1]
    assert notice.text.text == ENGLISH["ui.translation-unreviewed"]
    assert notice.text.locale == "en"


# --- strict --------------------------------------------------------------------------------------


def test_strict_refuses_any_fallback(registry: catalogs.Registry, tmp_path: Path) -> None:
    assert painread.load("es-MX", strict=True).locale == "es"
    assert painread.load("en-GB", strict=True).locale == "en"
    with pytest.raises(IncompleteTranslationError) as caught:
        painread.load("pt", strict=True)
    assert caught.value.locale == "pt"
    assert isinstance(caught.value, LookupError)
    write_po(tmp_path, "it", tagged("it", [TITLE]))
    painread.add_translations(tmp_path)
    with pytest.raises(IncompleteTranslationError) as partial:
        painread.load("it", strict=True)
    assert TITLE not in partial.value.missing
    assert "disclaimer.text" in partial.value.missing
    assert painread.load("it").locale == "it"


# --- caching -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("registry")
def test_repeated_loads_return_the_same_object() -> None:
    article = painread.load("es")
    assert painread.load("es-MX") is article
    assert painread.load("ES_mx") is article
    assert painread.load("es-419") is article
    assert painread.load("de") is painread.load("de-AT")
    assert painread.load("de") is not article


def test_a_request_gets_the_object_an_earlier_one_got_however_many_locales_came_between(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    from babel.localedata import locale_identifiers

    languages = sorted(code for code in locale_identifiers() if len(code) == 2)
    codes = [code for code in languages if code not in ("ar", "de", "en", "es")][:40]
    for code in codes:
        write_po(tmp_path, code, tagged(code, [TITLE]))
    painread.add_translations(tmp_path)
    german = painread.load("de")
    served = {painread.load(code).locale for code in codes}  # 40 articles built after German's
    assert served == set(codes)
    assert painread.load("de-AT") is german


@pytest.mark.usefixtures("registry")
def test_invalid_locales_raise_every_time() -> None:
    for bad in ("../../etc/passwd", "", "x" * 100_000, "C", ["de"]):
        for _ in range(2):
            with pytest.raises(InvalidLocaleError):
                painread.load(bad)  # type: ignore[arg-type]


@pytest.mark.usefixtures("registry")
def test_memory_stays_bounded_however_many_requests_differ() -> None:
    def serve(start: int, stop: int) -> int:
        for index in range(start, stop):
            code = f"de-x-{index}"  # private use is dropped: a new request, served German
            assert painread.load(code).locale == "de"
            painread.negotiate(f"{code}, xx;q=0.5")
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        serve(0, 10_000)  # fills every cache keyed by what was asked
        before = serve(10_000, 20_000)
        after = serve(20_000, 30_000)
    finally:
        tracemalloc.stop()
    assert after - before < 256 * 1024, after - before  # about 2 MiB if every request were kept


# --- isolation between threads and tasks ---------------------------------------------------------


@pytest.fixture
def many_locales(registry: catalogs.Registry, tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Requested code -> (served locale, served title), over bundled and registered locales."""
    extra = ("it", "nl", "fi", "sv", "pl", "pt_BR", "zh_Hant", "he")
    for code in extra:
        write_po(tmp_path, code, tagged(code, [TITLE]))
    painread.add_translations(tmp_path)
    requested = {
        "en": "en", "es-MX": "es", "de-CH": "de", "ar-EG": "ar", "it": "it", "nl-BE": "nl",
        "fi": "fi", "sv-SE": "sv", "pl": "pl", "pt": "pt_BR", "zh-Hant-TW": "zh_Hant",
        "he": "he", "fr": "en", "ja": "en",
    }  # fmt: skip
    return {code: (served, painread.load(served).title.text) for code, served in requested.items()}


def test_threads_with_different_locales_get_their_own_articles(
    many_locales: dict[str, tuple[str, str]],
) -> None:
    codes = list(many_locales)
    threads_count = 48
    barrier = threading.Barrier(threads_count)
    errors: list[str] = []

    def work(index: int) -> None:
        code = codes[index % len(codes)]
        served, title = many_locales[code]
        barrier.wait()
        with painread.use_locale(code):
            for _ in range(200):
                article = painread.load()
                if article.locale != served or article.title.text != title:
                    errors.append(f"{code}: got {article.locale}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert painread.load().locale == "en"


def test_asyncio_tasks_with_different_locales_get_their_own_articles(
    many_locales: dict[str, tuple[str, str]],
) -> None:
    codes = list(many_locales)

    async def task(index: int) -> list[str]:
        code = codes[index % len(codes)]
        served, title = many_locales[code]
        seen = []
        with painread.use_locale(code):
            for _ in range(5):
                await asyncio.sleep(0)
                article = painread.load()
                if article.locale != served or article.title.text != title:
                    seen.append(f"{code}: got {article.locale}")
        return seen

    async def main() -> list[list[str]]:
        return await asyncio.gather(*(task(i) for i in range(240)))

    assert [error for errors in asyncio.run(main()) for error in errors] == []


# --- the disclaimer in every locale, format and section ------------------------------------------


def _visible(output: str, fmt: str) -> str:
    """The text a reader or a program gets from an output, without any whitespace."""
    if fmt.startswith("json"):
        text = " ".join(_strings(json.loads(output)))
    elif fmt == "fhir":
        narratives = " ".join(_strings(json.loads(output)))
        text = html.unescape(re.sub(r"<[^>]*>", " ", narratives))
    elif fmt == "html":
        text = html.unescape(re.sub(r"<[^>]*>", " ", output))
    else:
        text = re.sub(r"\\([^\w\s])", r"\1", output)
    # Unicode isolates (around left-to-right runs in right-to-left text) are not seen.
    return re.sub(r"[\s\u2066-\u2069]+", "", text)


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _assert_disclaimer_present(code: str, fmt: str, section: str | None, placement: str) -> None:
    article = painread.load(code)
    output = painread.render(article, fmt, section=section, placement=placement)
    disclaimer = re.sub(r"\s+", "", article.disclaimer.text)
    assert disclaimer in _visible(output, fmt), (code, fmt, section, placement)


@pytest.fixture
def with_partial_locale(registry: catalogs.Registry, tmp_path: Path) -> None:
    entries = whole("it")
    write_po(tmp_path, "it", {u: entries[u] for u in list(ENGLISH)[::2]})
    painread.add_translations(tmp_path)


@pytest.mark.usefixtures("with_partial_locale")
def test_every_locale_format_section_and_placement_has_the_disclaimer() -> None:
    sections = [None, *(section.id for section in painread.load())]
    for code in painread.available_locales():
        for fmt in painread.FORMATS:
            for section in sections:
                for placement in painread.PLACEMENTS:
                    _assert_disclaimer_present(code, fmt, section, placement)


_SECTIONS = [None, *(section.id for section in painread.load())]


@pytest.mark.usefixtures("registry")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    requested=st.sampled_from(
        ["en", "es", "de", "ar", "es-MX", "ar-SA", "de-AT", "pt", "zh-Hant-TW"]
    ),
    fmt=st.sampled_from(painread.FORMATS),
    section=st.sampled_from(_SECTIONS),
    placement=st.sampled_from(painread.PLACEMENTS),
)
def test_property_the_disclaimer_is_present(
    requested: str, fmt: str, section: str | None, placement: str
) -> None:
    _assert_disclaimer_present(requested, fmt, section, placement)


@pytest.mark.usefixtures("registry")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header=st.text(max_size=200))
def test_property_any_header_negotiates_to_an_available_locale(header: str) -> None:
    chosen = painread.negotiate(header)
    assert chosen in painread.available_locales()
    assert painread.load(chosen).disclaimer.text
