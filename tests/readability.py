"""Readability of painread's own text: what the gate in test_readability.py measures.

Run ``python -m tests.readability`` to print the tables of docs/content.md.

Flesch-Kincaid grades running text by sentence length and syllables per word,
so it needs sentences: a one- or two-word heading scores nonsense ("Introduction"
alone is grade 32). Units shorter than :data:`MIN_WORDS` (headings, severity
names, the "As of {date}" templates) are therefore not graded; every other unit
painread writes is. Proper names that plain words cannot replace (drug, enzyme
and peptide names, agency and law names) are graded as if each were the
two-syllable word "kratom", so "7-hydroxymitragynine" counts as one ordinary
word, not as eight syllables of jargon.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Callable, Iterator
from typing import NamedTuple

from textstat.textstat import textstat as _english
from textstat.textstat import textstatistics

import painread

MIN_WORDS = 5
STAND_IN = "kratom"
PROPER_NAMES = (
    "7-hydroxymitragynine",
    "mitragynine",
    "midazolam",
    "benzodiazepines",
    "Salmonella",
    "CYP2D6",
    "CYP3A",
    "endorphins",
    "enkephalins",
    "dynorphins",
    "Food and Drug Administration",
    "Drug Enforcement Administration",
    "Controlled Substances Act",
    "Expert Committee on Drug Dependence",
)
_NAMES = re.compile(
    "|".join(re.escape(name) for name in sorted(PROPER_NAMES, key=len)[::-1]), re.IGNORECASE
)


class Unit(NamedTuple):
    kind: str
    id: str
    text: str


def own_units(article: painread.Article) -> Iterator[Unit]:
    """painread's own units long enough to grade, by kind, in document order."""
    yield Unit("title", article.title.id, article.title.text)
    for notice in article.notices:
        yield Unit("notice", notice.text.id, notice.text.text)
    for note in article.notes:
        yield Unit("note", note.text.id, note.text.text)
    yield Unit("disclaimer", article.disclaimer.id, article.disclaimer.text)
    for label in article.labels:
        if len(label.text.split()) >= MIN_WORDS:
            yield Unit("label", label.id, label.text)


@functools.cache
def _textstat(language: str) -> textstatistics:
    """One textstat instance per language.

    textstat's own instance reads American English; another is made without
    ``__init__``, which would load the CMU dictionary again only to switch away.
    """
    if language == "en_US":
        return _english
    instance = textstatistics.__new__(textstatistics)
    instance.set_lang(language)
    return instance


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade with proper names graded as ordinary two-syllable words.

    "en_US" is the language textstat reads with the CMU pronouncing dictionary;
    plain "en" counts syllables by hyphenation alone and undercounts them.
    """
    return float(_textstat("en_US").flesch_kincaid_grade(_NAMES.sub(STAND_IN, text)))


def fernandez_huerta(text: str) -> float:
    """Spanish reading ease (higher is easier; 60-70 is plain)."""
    return float(_textstat("es").fernandez_huerta(text))


def wiener_sachtextformel(text: str) -> float:
    """German school grade (first variant; about 4-15)."""
    return float(_textstat("de").wiener_sachtextformel(text, 1))


def osman(text: str) -> float:
    """Arabic reading ease (higher is easier); textstat has no Arabic hyphenation, nor needs it."""
    return float(_textstat("en_US").osman(text))


SCORES: dict[str, tuple[str, Callable[[str], float]]] = {
    "en": ("Flesch-Kincaid grade", fk_grade),
    "es": ("Fernández-Huerta", fernandez_huerta),
    "de": ("Wiener Sachtextformel", wiener_sachtextformel),
    "ar": ("OSMAN", osman),
}


def by_kind(locale: str) -> dict[str, list[float]]:
    """Each kind of unit with the score of each of its units, for a bundled locale."""
    _, score = SCORES[locale]
    scores: dict[str, list[float]] = {}
    for unit in own_units(painread.load(locale)):
        scores.setdefault(unit.kind, []).append(score(unit.text))
    return scores


def table() -> str:
    """The readability table of docs/content.md (mean and range per kind of unit)."""
    columns = {locale: by_kind(locale) for locale in SCORES}
    kinds = list(columns["en"])
    head = "| Unit | " + " | ".join(f"{SCORES[loc][0]} ({loc})" for loc in SCORES) + " |"
    lines = [head, "| --- |" + " --- |" * len(SCORES)]
    for kind in kinds:
        cells = [_cell(columns[locale][kind]) for locale in SCORES]
        lines.append(f"| {kind} ({len(columns['en'][kind])}) | " + " | ".join(cells) + " |")
    every = {loc: [x for values in columns[loc].values() for x in values] for loc in SCORES}
    lines.append("| all | " + " | ".join(_cell(every[loc]) for loc in SCORES) + " |")
    return "\n".join(lines)


def _cell(values: list[float]) -> str:
    mean = statistics.fmean(values)
    if len(values) == 1:
        return f"{mean:.1f}"
    return f"{mean:.1f} ({min(values):.1f} to {max(values):.1f})"


if __name__ == "__main__":
    print(table())
    for unit in own_units(painread.load()):
        print(f"{unit.kind:10} {unit.id:45} {fk_grade(unit.text):5.1f}")
