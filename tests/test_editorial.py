"""Content checks from the editorial review: each one catches a defect that was fixed.

The facts behind the text are in docs/content.md ("What each unit says, and from which
facts"); these checks hold the wording to them in English and in every bundled locale.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

import painread
from painread.locales import format_month
from painread.models import Origin

ARTICLE = painread.load()
BUNDLED = ("es", "de", "ar")
TRANSLATIONS = {locale: painread.load(locale) for locale in BUNDLED}
ALL = {"en": ARTICLE, **TRANSLATIONS}

# The nine claims of the article that the facts single out, quoted exactly.
CLAIMS = {
    "fewer-side-effects": "a profile of side effects that may be fewer than traditional opioids",
    "different-risk-profile": "with a different risk profile for dependency and sedation",
    "opioid-side-effects-comparison": (
        "without the same level of side effects associated with traditional opioid medications"
    ),
    "sedation-dependency-comparison": "without the same level of sedation or dependency risk",
    "natural-alternative": "a natural alternative in chronic pain relief",
    "starting-dose-figure": (
        "a moderate starting point might range from 2 to 6 grams of powdered leaf"
    ),
    "promising-avenue": "this promising avenue within the realm of pain management",
    "morphine-not-endogenous": "mimicking the action of endogenous opioids like morphine",
    "no-recommended-dose": "do not exceed recommended dosages",
}

# Quotation marks used by the bundled locales; a quoted passage is a quote of the article.
_QUOTED = re.compile(r"“([^”]+)”|«([^»]+)»|„([^“]+)“")
# Quoted terms that are an agency's own words, not the article's.
AGENCY_TERMS = {
    "drug and chemical of concern",
    "droga y sustancia química de interés",
    "المخدرات والمواد الكيميائية المثيرة للقلق",
}


def _editorial(article: painread.Article) -> list[painread.TextUnit]:
    return [unit for unit in article.units() if unit.origin is Origin.EDITORIAL]


def _unit(article: painread.Article, unit_id: str) -> str:
    return article.unit(unit_id).text


def _digit_runs(text: str) -> Counter[str]:
    """Every run of digits: 27,338, 27.338 and 27 338 all give 27 and 338."""
    return Counter(re.findall(r"[0-9]+", text))


def _source_text(article: painread.Article) -> str:
    return "\n".join(unit.text for unit in article.source_units())


# 1. The CDC figure keeps all it says; "some" products, not all.


def test_the_overdose_figure_keeps_every_number_and_its_qualifiers() -> None:
    text = _unit(ARTICLE, "notice.contamination-adverse-events.text")
    assert text.startswith("Some kratom products have been contaminated.")
    for figure in ("27 states", "July 2016", "December 2017", "152 of 27,338", "a cause of 91"):
        assert figure in text
    assert "the only substance found in 7" in text
    assert "Most of these deaths involved other substances as well" in text


# 2, 3 and the facts' confidences: hedges stay where a fact asks for one.

HEDGES = {
    # Medium: combining with sedatives "may" add to the risks.
    "notice.interactions-sedatives.text": ("may add to sedation",),
    # Medium: state and city bans are reported, not established here.
    "notice.legal-status.text": ("are reported to ban or restrict", "not under international"),
    # Medium-High: liver injury rests on case reports.
    "notice.contamination-adverse-events.text": ("described in case reports",),
    # High, but the fact itself is a tendency.
    "notice.dosing-variability.text": ("lower doses tend to", "higher doses tend to"),
    "note.different-risk-profile.text": ("higher doses tend to be sedating",),
    "note.sedation-dependency-comparison.text": ("Higher doses of kratom tend to",),
}


@pytest.mark.parametrize(("unit_id", "phrases"), HEDGES.items())
def test_units_carrying_a_hedged_fact_keep_the_hedge(unit_id: str, phrases: tuple[str]) -> None:
    for phrase in phrases:
        assert phrase in _unit(ARTICLE, unit_id)


def test_no_english_unit_states_a_hedged_fact_flatly() -> None:
    for unit in _editorial(ARTICLE):
        text = unit.text.lower()
        if "higher doses" in text:
            assert re.search(r"higher doses (of kratom )?tend to", text), unit.id
        if "states and some cities" in text:
            assert "reported" in text, unit.id
        if "benzodiazepines" in text:
            assert "may add" in text, unit.id
        assert "not under control" not in text, unit.id


@pytest.mark.parametrize(
    ("locale", "phrase"),
    [
        ("es", "tienden a ser sedantes"),
        ("de", "wirken eher sedierend"),
        ("ar", "تميل إلى أن تكون مهدئة"),
    ],
)
def test_translations_keep_the_tendency_of_higher_doses(locale: str, phrase: str) -> None:
    assert phrase in _unit(TRANSLATIONS[locale], "note.different-risk-profile.text")


# 4 and 12. No claim beyond "no FDA-approved dose"; the two errors of the source get notes.


@pytest.mark.parametrize("locale", ALL)
def test_no_unit_claims_more_than_no_fda_approved_dose(locale: str) -> None:
    for unit in _editorial(ALL[locale]):
        assert "no approved dose" not in unit.text, unit.id
    english = ARTICLE.unit("note.starting-dose-figure.text").text
    assert "There is no FDA-approved dose of kratom." in english


def test_nine_notes_one_per_claim_quoted_exactly() -> None:
    assert {note.id: note.anchor.text for note in ARTICLE.notes} == CLAIMS


@pytest.mark.parametrize("locale", BUNDLED)
def test_every_note_is_translated_and_anchored_in_every_bundled_locale(locale: str) -> None:
    article = TRANSLATIONS[locale]
    assert [note.id for note in article.notes] == [note.id for note in ARTICLE.notes]
    for note in article.notes:
        assert note.anchor.locale == note.text.locale == locale, note.id
        assert note.anchor.text in article.unit(note.target).text, note.id


def test_the_morphine_note_says_what_the_bodys_own_opioids_are() -> None:
    text = _unit(ARTICLE, "note.morphine-not-endogenous.text")
    assert "factual error" in text
    assert "opium poppy" in text
    for peptide in ("endorphins", "enkephalins", "dynorphins"):
        assert peptide in text


def test_the_dosage_note_says_there_is_no_fda_approved_dose() -> None:
    text = _unit(ARTICLE, "note.no-recommended-dose.text")
    assert "no FDA-approved dose" in text
    assert "has not approved any kratom product" in text


# 5. Quotation marks mean an exact quote of the article.


@pytest.mark.parametrize("locale", ALL)
def test_quoted_passages_are_exact_quotes_of_the_article(locale: str) -> None:
    article = ALL[locale]
    source = _source_text(article)
    for unit in _editorial(article):
        for match in _QUOTED.finditer(unit.text):
            quoted = next(group for group in match.groups() if group)
            assert quoted in AGENCY_TERMS or quoted in source, (unit.id, quoted)


def test_the_dose_notice_quotes_the_pill_count_exactly() -> None:
    assert "“1 to 3 kratom pills”" in _unit(ARTICLE, "notice.dosing-variability.text")


# 6. The emergency number and the US Poison Help line are separate sentences.

COUNTRY = {"en": "United States", "es": "Estados Unidos", "de": "Vereinigten Staaten"}
COUNTRY["ar"] = "الولايات المتحدة"
EMERGENCY = {"en": "emergency", "es": "emergencia", "de": "Notfall", "ar": "الطوارئ"}


@pytest.mark.parametrize("locale", ALL)
def test_poison_help_is_named_with_its_country_apart_from_the_emergency_number(
    locale: str,
) -> None:
    sentences = re.split(r"(?<=[.!?])\s+", ALL[locale].disclaimer.text)
    emergency = [s for s in sentences if EMERGENCY[locale] in s]
    poison = [s for s in sentences if "1-800-222-1222" in s]
    assert len(emergency) == len(poison) == 1
    assert emergency != poison
    assert COUNTRY[locale] in poison[0]
    assert COUNTRY[locale] not in emergency[0]
    assert "Poison Help" in poison[0]
    english = ARTICLE.disclaimer.text
    assert "In an emergency, call your local emergency number." in english
    assert "For poisoning questions in the United States, call Poison Help" in english


# 8. "As of" keeps the precision of the facts: a month.


def test_dated_notices_say_the_month_their_facts_are_from() -> None:
    dated = [notice for notice in ARTICLE.notices if notice.as_of is not None]
    assert dated
    for notice in dated:
        assert f"as of {format_month(notice.as_of, 'en')}" in notice.text.text


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
def test_no_format_dates_an_as_of_fact_to_a_day(fmt: str) -> None:
    shown = re.sub(r"<[^>]+>", "", painread.render(ARTICLE, fmt))
    assert "As of November 2026" in " ".join(shown.split())
    assert "November 1, 2026" not in shown


# Numbers survive translation (the Poison Help number, 1.4, 152, 27,338...).


@pytest.mark.parametrize("locale", BUNDLED)
def test_translations_keep_every_number_of_the_english(locale: str) -> None:
    article = TRANSLATIONS[locale]
    for unit in _editorial(ARTICLE):
        translated = article.unit(unit.id)
        assert translated.locale == locale, unit.id
        assert _digit_runs(translated.text) == _digit_runs(unit.text), unit.id


# The 7-OH recommendation is a recommendation, nothing more.


def test_seven_oh_is_recommended_never_scheduled() -> None:
    text = _unit(ARTICLE, "notice.seven-oh-products.text")
    assert "recommended" in text
    for unit in _editorial(ARTICLE):
        assert "scheduled" not in unit.text.lower(), unit.id


# 11. No boilerplate sentence repeated across notes; jargon comes with plain words.


def test_no_sentence_is_repeated_across_notes() -> None:
    sentences = Counter(
        sentence
        for note in ARTICLE.notes
        for sentence in re.split(r"(?<=[.!?])\s+", note.text.text)
        if len(sentence.split()) > 8
    )
    assert [s for s, count in sentences.items() if count > 1] == []


def test_jargon_is_glossed_in_plain_words() -> None:
    seven_oh = _unit(ARTICLE, "notice.seven-oh-products.text")
    assert "Schedule I is the strictest group of controlled drugs" in seven_oh
    interactions = _unit(ARTICLE, "notice.interactions-sedatives.text")
    assert "1.4-fold, that is, to about 1.4 times the usual amount" in interactions


# 13. American spelling in English; the wording fixes of the translations.

BRITISH = re.compile(
    r"\b\w*(?:standardis|organis|recognis|summaris|localis|favour|colour|behaviour|licence"
    r"|catalogue)\w*",
    re.IGNORECASE,
)


def test_painreads_english_uses_american_spelling() -> None:
    texts = [unit.text for unit in _editorial(ARTICLE)]
    texts += [ARTICLE.metadata.review_status, ARTICLE.metadata.license]
    texts += [ARTICLE.metadata.attribution]
    texts += [source for item in (*ARTICLE.notices, *ARTICLE.notes) for source in item.sources]
    assert [BRITISH.findall(text) for text in texts if BRITISH.search(text)] == []


def test_german_wording() -> None:
    german = TRANSLATIONS["de"]
    assert german.label("ui.disclaimer.heading") == "Medizinischer Hinweis"
    every = " ".join(unit.text for unit in _editorial(german))
    assert "Haftungsausschluss" not in every
    named = set(re.findall(r"[\w-]+behörde \(FDA\)", every))
    assert named <= {"Arzneimittelbehörde (FDA)"}
    assert every.count("US-amerikanischen Lebensmittel- und Arzneimittelbehörde (FDA)") == (
        every.count("behörde (FDA)")
    )


def test_spanish_wording() -> None:
    every = " ".join(unit.text for unit in _editorial(TRANSLATIONS["es"]))
    assert "sumarse a la sedación" not in every
    assert "puede aumentar la sedación" in every
    assert "consejo médico" not in every
    assert "asesoramiento médico" in TRANSLATIONS["es"].disclaimer.text


def test_arabic_wording() -> None:
    every = " ".join(unit.text for unit in _editorial(TRANSLATIONS["ar"]))
    assert "ورق الكراتوم" not in every
    assert "أوراق الكراتوم" in _unit(TRANSLATIONS["ar"], "notice.seven-oh-products.text")
