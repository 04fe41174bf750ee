"""Resource limits: rendering and search stay linear in the size of their input.

Times are this process's CPU time (:func:`time.process_time`, so other processes on a
busy machine do not count), best of several runs, compared as ratios between a small and
a ten-times larger input, against bounds loose enough never to flake: linear work gives a
ratio near 10, quadratic work near 100. No absolute time is ever asserted.

A single translated unit is capped at :data:`painread._integrity.MAX_UNIT_CHARS`
(a 1 MB ``msgstr`` is refused, see ``test_security_catalogs.py``), so a 1 MB
*translation* is spread over the article's units, and a 1 MB *paragraph* is put
straight into the article model to show the renderers themselves stay linear.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

import painread
from painread import catalogs, translation
from painread._integrity import MAX_UNIT_CHARS, is_safety_unit
from painread.models import Article
from tests.i18n_helpers import ENGLISH, registry, whole, write_po
from tests.test_security_corpus import record

__all__ = ["registry"]

RATIO = 20.0
"""Ten times the input may take at most this many times as long (linear: about 10)."""
METACHARACTERS = r"(.*)+[a-z]{1,99}?\d|^$\\b(?=x)[^\]]*{0,}.?*+"


def _timed(action: Callable[[], object]) -> float:
    began = time.process_time()
    action()
    return time.process_time() - began


def _uncached(article: Article, fmt: str, **options: str) -> str:
    """A real render: ``render`` caches by article identity, and a copy is a new article."""
    return painread.render(article.model_copy(), fmt, **options)  # type: ignore[arg-type]


def ratio(small: Callable[[], object], large: Callable[[], object]) -> float:
    """How many times longer ``large`` takes than ``small``: the best of several tries.

    Runs alternate (so a busy machine slows both alike), garbage collection is
    off while timing, and each side keeps its fastest of seven runs. A linear
    algorithm gets under :data:`RATIO` on some try; a quadratic one never does.
    """
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(3):
            timings: tuple[list[float], list[float]] = ([], [])
            for _ in range(7):
                timings[0].append(_timed(small))
                timings[1].append(_timed(large))
            best = min(best, min(timings[1]) / min(timings[0]))
            if best < RATIO:
                break
    finally:
        if enabled:
            gc.enable()
    return best


def filler(size: int, seed: str = 'Pain relief < 2 g & "quoted" text. ') -> str:
    return (seed * (size // len(seed) + 1))[:size]


def spread_translation(total: int) -> dict[str, str]:
    """A whole translation whose prose units share ``total`` characters of text.

    Safety units may not grow past three times their English, so the article's own
    prose carries it, each unit within :data:`~painread._integrity.MAX_UNIT_CHARS`.
    """
    entries = whole("it")
    anchors = {a for ids in translation.note_anchors().values() for a in ids}
    prose = [
        u for u in ENGLISH if not u.startswith("ui.") and u not in anchors and not is_safety_unit(u)
    ]
    share = total // len(prose)
    for unit_id in prose:
        room = MAX_UNIT_CHARS - len(entries[unit_id]) - 1
        entries[unit_id] = filler(min(share, room)) + " " + entries[unit_id]
    return entries


def with_paragraph(article: Article, text: str) -> Article:
    """The article with its summary paragraph replaced (the model is not re-validated)."""
    paragraph = article.summary.paragraphs[0]
    anchors = " ".join(note.anchor.text for note in article.notes if note.target == paragraph.id)
    summary = article.summary.model_copy(
        update={"paragraphs": (paragraph.model_copy(update={"text": f"{text} {anchors}"}),)}
    )
    return article.model_copy(update={"summary": summary})


@pytest.fixture
def loaded(registry: catalogs.Registry, tmp_path: Path) -> Callable[[int], Article]:
    """Registers a translation of a given total size and loads it."""

    def load(total: int) -> Article:
        root = tmp_path / str(total)
        write_po(root, "it", spread_translation(total))
        painread.add_translations(root)
        article = painread.load("it")
        assert article.fallbacks == {}
        return article

    return load


@pytest.mark.slow
def test_a_1_mb_registered_translation_renders_in_linear_time(
    loaded: Callable[[int], Article],
) -> None:
    small, large = loaded(100_000), loaded(1_000_000)
    text_size = sum(len(unit.text) for unit in large.units())
    assert text_size > 1_000_000
    ratios = {}
    for fmt in painread.FORMATS:
        ratios[fmt] = ratio(
            partial(_uncached, small, fmt, placement="both"),
            partial(_uncached, large, fmt, placement="both"),
        )
    assert all(value < RATIO for value in ratios.values()), ratios
    html = painread.render(large, "html")
    assert html.count("Pain relief &lt; 2 g &amp; &#34;quoted&#34; text.") > 20_000
    record(
        "limits-translation",
        {"sizes": [100_000, 1_000_000], "ratio_by_format": _rounded(ratios)},
    )


@pytest.mark.slow
def test_a_1_mb_paragraph_renders_in_linear_time() -> None:
    english = painread.load("en")
    small = with_paragraph(english, filler(100_000))
    large = with_paragraph(english, filler(1_000_000))
    ratios = {}
    for fmt in painread.FORMATS:
        ratios[fmt] = ratio(partial(_uncached, small, fmt), partial(_uncached, large, fmt))
    assert all(value < RATIO for value in ratios.values()), ratios
    assert len(painread.render(large, "text")) > 1_000_000
    record("limits-paragraph", {"sizes": [100_000, 1_000_000], "ratio_by_format": _rounded(ratios)})


def _rounded(ratios: dict[str, float]) -> dict[str, float]:
    return {name: round(ratio, 1) for name, ratio in ratios.items()}


def test_a_10_kb_query_of_metacharacters_is_plain_text_and_prompt(
    registry: catalogs.Registry, tmp_path: Path
) -> None:
    query = filler(10_000, METACHARACTERS)
    entries = whole("it")
    entries["article.title"] = f"Before {query} after"
    write_po(tmp_path, "it", entries)
    painread.add_translations(tmp_path)
    article = painread.load("it")
    hits = article.search(query)
    assert len(hits) == 1
    assert hits[0].unit_id == "article.title"
    assert article.title.text[hits[0].start : hits[0].end] == query
    assert article.search(query.upper())[0].start == hits[0].start
    assert painread.load("en").search(query) == ()
    assert painread.load("en").search(METACHARACTERS) == ()
    assert painread.load("en").search(".*") == ()
    slower = ratio(partial(article.search, METACHARACTERS[:10]), partial(article.search, query))
    assert slower < RATIO, slower
    record("limits-query", {"query_chars": len(query), "ratio_vs_10_chars": round(slower, 2)})


@pytest.mark.slow
def test_search_stays_linear_on_an_adversarial_haystack() -> None:
    english = painread.load("en")
    needle = "a" * 5_000 + "b"
    small = with_paragraph(english, "a" * 100_000)
    large = with_paragraph(english, "a" * 1_000_000)
    assert large.search(needle) == ()
    slower = ratio(partial(small.search, needle), partial(large.search, needle))
    assert slower < RATIO, slower
    hits = large.search("a" * 5_000)
    assert len(hits) == 1_000_000 // 5_000
    assert all(hit.end - hit.start == 5_000 for hit in hits)
    record(
        "limits-search",
        {
            "haystack_sizes": [100_000, 1_000_000],
            "needle_chars": 5_001,
            "ratio": round(slower, 1),
        },
    )
