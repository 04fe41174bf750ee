from __future__ import annotations

import gc
import itertools
import threading
import weakref

import pytest

import painread
from painread.errors import UnknownFormatError, UnknownPlacementError, UnknownSectionError
from painread.models import Article
from painread.renderers import FORMATS, PLACEMENTS, RENDER_CACHE_SIZE, render

ARTICLE = painread.load()
VIEWS = (None, *(section.id for section in ARTICLE.sections))
SECTION_IDS = tuple(section.id for section in ARTICLE.sections)
CASES = list(itertools.product(FORMATS, VIEWS, PLACEMENTS))


def _retitled(title: str) -> Article:
    return ARTICLE.model_copy(update={"title": ARTICLE.title.model_copy(update={"text": title})})


@pytest.mark.parametrize(("fmt", "view", "placement"), CASES)
def test_a_repeated_render_is_the_same_string(fmt: str, view: str | None, placement: str) -> None:
    first = render(ARTICLE, fmt, section=view, placement=placement)
    assert render(ARTICLE, fmt, section=view, placement=placement) is first
    assert first == render(ARTICLE.model_copy(), fmt, section=view, placement=placement)


def test_every_argument_is_part_of_the_key() -> None:
    outputs = {
        (fmt, view, placement): render(ARTICLE, fmt, section=view, placement=placement)
        for fmt, view, placement in CASES
        if fmt != "jsonld"
    }
    assert len(set(outputs.values())) == len(outputs)
    assert render(ARTICLE, "text", width=40) != render(ARTICLE, "text", width=60)
    assert render(ARTICLE, "text", width=40) is render(ARTICLE, "text", width=40)


def test_the_article_is_part_of_the_key_by_identity_not_value() -> None:
    output = render(ARTICLE, "html")
    equal = ARTICLE.model_copy()
    copy_output = render(equal, "html")
    assert copy_output == output
    assert copy_output is not output
    assert render(equal, "html") is copy_output
    changed = render(_retitled("Another title"), "html")
    assert "Another title" in changed
    assert "Another title" not in output


def test_invalid_arguments_raise_the_same_errors_after_valid_calls() -> None:
    for fmt, view in itertools.product(FORMATS, VIEWS):
        render(ARTICLE, fmt, section=view)
    with pytest.raises(UnknownFormatError) as format_error:
        render(ARTICLE, "pdf")
    assert str(format_error.value) == str(UnknownFormatError("pdf", FORMATS))
    with pytest.raises(UnknownSectionError) as section_error:
        render(ARTICLE, "html", section="no-such-section")
    assert str(section_error.value) == str(UnknownSectionError("no-such-section", SECTION_IDS))
    with pytest.raises(UnknownPlacementError) as placement_error:
        render(ARTICLE, "html", placement="middle")
    assert str(placement_error.value) == str(UnknownPlacementError("middle", PLACEMENTS))
    with pytest.raises(UnknownPlacementError):
        render(ARTICLE, "html", placement="middle")


def test_unhashable_arguments_are_checked_as_before_and_never_kept() -> None:
    with pytest.raises(UnknownFormatError):
        render(ARTICLE, ["html"])  # type: ignore[arg-type]
    with pytest.raises(UnknownSectionError):
        render(ARTICLE, "html", section=["mechanisms-of-action"])  # type: ignore[arg-type]
    with pytest.raises(UnknownPlacementError):
        render(ARTICLE, "html", placement=["top"])  # type: ignore[arg-type]
    ignored_width = render(ARTICLE, "html", width=[80])  # type: ignore[arg-type]
    assert ignored_width == render(ARTICLE, "html")
    assert render(ARTICLE, "html", width=[80]) is not ignored_width  # type: ignore[arg-type]


def _fill(count: int) -> None:
    for _ in range(count):
        render(ARTICLE.model_copy(), "text")


def test_the_cache_is_bounded_and_forgets_the_least_recently_used() -> None:
    first = ARTICLE.model_copy()
    kept = render(first, "html")
    copies = [ARTICLE.model_copy() for _ in range(RENDER_CACHE_SIZE + 10)]
    outputs = [render(copy, "text") for copy in copies]
    newest = list(zip(copies, outputs, strict=True))[-RENDER_CACHE_SIZE:]
    assert all(render(copy, "text") is output for copy, output in reversed(newest))
    assert render(copies[0], "text") is not outputs[0]
    again = render(first, "html")
    assert again == kept
    assert again is not kept


def test_a_lookup_refreshes_an_entry() -> None:
    refreshed, forgotten = ARTICLE.model_copy(), ARTICLE.model_copy()
    kept, dropped = render(refreshed, "text"), render(forgotten, "text")
    _fill(RENDER_CACHE_SIZE - 2)
    assert render(refreshed, "text") is kept
    _fill(1)
    assert render(refreshed, "text") is kept
    assert render(forgotten, "text") is not dropped


def test_a_cached_article_stays_alive_so_its_id_cannot_be_reused() -> None:
    copy = _retitled("Kept alive by the cache")
    alive = weakref.ref(copy)
    output = render(copy, "text")
    del copy
    gc.collect()
    kept = alive()
    assert kept is not None
    assert render(kept, "text") is output
    del kept
    _fill(RENDER_CACHE_SIZE)
    gc.collect()
    assert alive() is None


def test_outputs_of_collected_articles_are_never_served_to_new_ones() -> None:
    seen: dict[int, str] = {}
    for number in range(200):
        title = f"Title number {number}"
        output = render(_retitled(title), "markdown")
        assert title in output
        seen[number] = output
    assert len(set(seen.values())) == len(seen)


def test_threads_share_the_cache_safely() -> None:
    articles = [_retitled(f"Thread title {n}") for n in range(8)]
    expected = {
        id(article): render(article.model_copy(), "html", placement="both") for article in articles
    }
    failures: list[str] = []

    def work() -> None:
        for _ in range(30):
            for article in articles:
                if render(article, "html", placement="both") != expected[id(article)]:
                    failures.append(article.title.text)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert all(
        render(a, "html", placement="both") is render(a, "html", placement="both") for a in articles
    )
