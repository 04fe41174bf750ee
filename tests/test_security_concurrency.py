"""Concurrency: 64 threads x 1,000 mixed calls agree with a single-threaded run; asyncio
tasks each keep their own ``use_locale``.

The single-threaded reference is computed first; the registry is then replaced by
a fresh one (same translations), so the threads start on cold caches and build
every catalog, chain and article while racing each other. Both runs also use
``use_locale`` objects created once and shared by every thread and task, entered
again inside themselves, and shared decorated coroutines and async generators.
"""

from __future__ import annotations

import asyncio
import random
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

import painread
from painread import catalogs
from painread.loader import requested_locale
from painread.models import Article
from tests.i18n_helpers import registry, use_registry, whole, write_po
from tests.test_security_corpus import record

__all__ = ["registry"]

THREADS = 64
CALLS = 1_000
LOCALES = ("en", "es", "es-MX", "de", "ar", "it", "pt", "zh-Hant-TW", "de_AT.UTF-8@euro")
HEADERS = ("it-CH, de;q=0.5", "pt-BR;q=0.9, es;q=0.8", "xx, ar-EG;q=0.7", "*, fr;q=0.1")
PLACEMENTS = ("top", "bottom", "both")

Key = tuple[str | None, ...]
SHARED = {locale: painread.use_locale(locale) for locale in LOCALES}
"""One object per locale, as a host would keep them, shared by every thread and task."""


def fingerprint(article: Article) -> str:
    """What distinguishes one served article from another, cheaply."""
    fallbacks = ",".join(sorted(article.fallbacks))
    return f"{article.locale}|{article.title.text}|{article.disclaimer.text}|{fallbacks}"


def _load(locale: str) -> str:
    return fingerprint(painread.load(locale))


def _within(locale: str) -> str:
    with painread.use_locale(locale) as chosen:
        article = painread.load()
        assert requested_locale() == chosen
    return fingerprint(article)


def _shared(locale: str) -> str:
    scope = SHARED[locale]
    with scope:
        with SHARED["es"]:
            inner = painread.load().locale
        with scope:
            again = painread.load()
        outer = painread.load()
    assert again is outer
    return f"{fingerprint(outer)}|{inner}|{requested_locale()}"


def _render(locale: str, fmt: str, section: str | None, placement: str) -> str:
    return painread.render(painread.load(locale), fmt, section=section, placement=placement)


def _render_within(locale: str, fmt: str, section: str | None) -> str:
    with painread.use_locale(locale):
        return painread.render(painread.load(), fmt, section=section)


def _info(locale: str) -> str:
    return painread.locale_info(locale).model_dump_json()


def _negotiate(header: str) -> str:
    return painread.negotiate(header)


def _search(locale: str) -> str:
    return repr(painread.load(locale).search("kratom"))


OPERATIONS: dict[str, Callable[..., str]] = {
    "load": _load,
    "use_locale": _within,
    "shared_use_locale": _shared,
    "render": _render,
    "render_within": _render_within,
    "locale_info": _info,
    "negotiate": _negotiate,
    "search": _search,
}


def keys() -> tuple[list[Key], list[float]]:
    """Every distinct call, and a weight per call that keeps renders about one call in four."""
    sections: list[str | None] = [None, *(s.id for s in painread.load("en").sections)]
    cheap: list[Key] = []
    cheap += [("load", locale) for locale in LOCALES]
    cheap += [("use_locale", locale) for locale in LOCALES]
    cheap += [("shared_use_locale", locale) for locale in LOCALES]
    cheap += [("locale_info", locale) for locale in LOCALES]
    cheap += [("negotiate", header) for header in HEADERS]
    cheap += [("search", locale) for locale in ("en", "es", "it")]
    costly: list[Key] = [
        ("render", locale, fmt, section, placement)
        for locale in LOCALES[:6]
        for fmt in painread.FORMATS
        for section in sections
        for placement in PLACEMENTS
    ]
    costly += [
        ("render_within", locale, "html", section) for locale in LOCALES for section in sections
    ]
    weights = [3 / len(cheap)] * len(cheap) + [1 / len(costly)] * len(costly)
    return cheap + costly, weights


def call(key: Key) -> str:
    operation, *arguments = key
    assert operation is not None
    return OPERATIONS[operation](*arguments)


def schedule(thread: int, all_keys: list[Key], weights: list[float]) -> list[Key]:
    return random.Random(thread).choices(all_keys, weights, k=CALLS)


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    write_po(tmp_path, "it", whole("it"))
    return tmp_path


def _worker(
    plan: list[Key],
    expected: dict[Key, str],
    start: threading.Barrier,
    mismatches: list[Key],
    errors: list[str],
) -> None:
    start.wait()
    for key in plan:
        try:
            if call(key) != expected[key]:
                mismatches.append(key)
        except Exception as exc:  # every exception is a failure to report
            errors.append(f"{key}: {type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_64_threads_x_1000_mixed_calls_match_a_single_threaded_run(
    registry: catalogs.Registry, translations: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    painread.add_translations(translations)
    all_keys, weights = keys()
    plans = [schedule(thread, all_keys, weights) for thread in range(THREADS)]
    used = {key for plan in plans for key in plan}
    expected = {key: call(key) for key in sorted(used, key=repr)}
    assert len(set(expected.values())) > len(used) // 2
    use_registry(monkeypatch)  # what the single-threaded run remembered is gone
    painread.add_translations(translations)
    start = threading.Barrier(THREADS)
    mismatches: list[Key] = []
    errors: list[str] = []
    workers = [
        threading.Thread(target=_worker, args=(plan, expected, start, mismatches, errors))
        for plan in plans
    ]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    began = time.perf_counter()
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
    finally:
        sys.setswitchinterval(interval)
    elapsed = time.perf_counter() - began
    assert not any(worker.is_alive() for worker in workers)
    assert errors == []
    assert mismatches == []
    kinds = {name: sum(key[0] == name for plan in plans for key in plan) for name in OPERATIONS}
    assert sum(kinds.values()) == THREADS * CALLS
    record(
        "concurrency",
        {
            "threads": THREADS,
            "calls_per_thread": CALLS,
            "calls": THREADS * CALLS,
            "distinct_calls": len(used),
            "calls_by_kind": kinds,
            "exceptions": len(errors),
            "mismatches": len(mismatches),
            "seconds": round(elapsed, 1),
        },
    )


# --- asyncio -------------------------------------------------------------------------------------

TASKS = 460


async def _task(index: int, seen: list[str]) -> None:
    locale = LOCALES[index % len(LOCALES)]
    served = painread.load(locale).locale
    with SHARED[locale] if index % 2 else painread.use_locale(locale):
        for step in range(20):
            await asyncio.sleep(0 if step % 3 else 0.001)
            here = painread.load().locale
            if here != served or requested_locale() != painread.use_locale(locale).locale:
                seen.append(f"task {index} ({locale}) saw {here} at step {step}")


@painread.use_locale("de")
async def _decorated(seen: list[str]) -> None:
    for _ in range(10):
        await asyncio.sleep(0)
        if painread.load().locale != "de":
            seen.append("a decorated coroutine lost its locale")


@SHARED["es"]
async def _decorated_steps() -> AsyncIterator[str]:
    for _ in range(5):
        await asyncio.sleep(0)
        yield painread.load().locale


async def _consumer(seen: list[str]) -> None:
    async for locale in _decorated_steps():
        if locale != "es":
            seen.append("a shared decorated async generator lost its locale")
        if painread.load().locale != "ar":
            seen.append("a shared decorated async generator leaked its locale")


async def _all_tasks(seen: list[str]) -> None:
    tasks = [asyncio.create_task(_task(index, seen)) for index in range(TASKS)]
    tasks += [asyncio.create_task(_decorated(seen)) for _ in range(20)]
    tasks += [asyncio.create_task(_consumer(seen)) for _ in range(20)]
    await asyncio.gather(*tasks)


def test_asyncio_tasks_never_see_each_others_locale(
    registry: catalogs.Registry, translations: Path
) -> None:
    painread.add_translations(translations)
    seen: list[str] = []
    with painread.use_locale("ar"):
        asyncio.run(_all_tasks(seen))
        assert painread.load().locale == "ar"
    assert seen == []
    assert painread.load().locale == "en"
    record(
        "asyncio",
        {
            "tasks": TASKS + 40,
            "shared_scopes": TASKS // 2 + 20,
            "switches_each": 20,
            "leaks": len(seen),
        },
    )


def _nested(depth: int) -> Iterator[str]:
    locale = LOCALES[depth % len(LOCALES)]
    with painread.use_locale(locale):
        yield painread.load().locale
        if depth:
            yield from _nested(depth - 1)
        yield painread.load().locale


def test_threads_keep_their_own_nested_locales(
    registry: catalogs.Registry, translations: Path
) -> None:
    painread.add_translations(translations)
    expected = list(_nested(8))
    results: list[list[str]] = []
    workers = [threading.Thread(target=lambda: results.append(list(_nested(8)))) for _ in range(32)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results == [expected] * 32
    assert painread.load().locale == "en"
