"""``use_locale`` objects are shared by hosts: across threads, tasks, nesting and generators.

A host writes ``GERMAN = painread.use_locale("de")`` once and uses it in every
request. Overlapping blocks in different threads or tasks, re-entering the same
object, and decorated generator, coroutine and async-generator functions must
each see their own locale, and nothing may leak into later code that asked for
no locale.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import pytest

import painread

GERMAN = painread.use_locale("de")
SPANISH = painread.use_locale("es")


def served() -> str:
    return painread.load().locale


def test_one_object_shared_by_overlapping_threads() -> None:
    entered = [threading.Event(), threading.Event()]
    leave_first = threading.Event()
    seen: dict[str, list[str]] = {"first": [], "second": []}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with GERMAN:
                entered[0].set()
                assert entered[1].wait(10)
                seen["first"].append(served())
            leave_first.set()
            seen["first"].append(served())
        except BaseException as exc:
            errors.append(exc)
            leave_first.set()

    def second() -> None:
        try:
            assert entered[0].wait(10)
            with GERMAN:
                entered[1].set()
                assert leave_first.wait(10)
                seen["second"].append(served())
            seen["second"].append(served())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert seen == {"first": ["de", "en"], "second": ["de", "en"]}
    assert served() == "en"


def test_one_object_shared_by_overlapping_tasks() -> None:
    async def request(index: int, gate: asyncio.Event) -> list[str]:
        seen = []
        with GERMAN:
            seen.append(served())
            await gate.wait()
            seen.append(served())
        seen.append(served())
        return seen

    async def run() -> list[list[str]]:
        gate = asyncio.Event()
        tasks = [asyncio.create_task(request(index, gate)) for index in range(50)]
        await asyncio.sleep(0)
        gate.set()
        return await asyncio.gather(*tasks)

    assert asyncio.run(run()) == [["de", "de", "en"]] * 50
    assert served() == "en"


def test_the_same_object_can_be_re_entered() -> None:
    with GERMAN:
        with SPANISH:
            with GERMAN:
                assert served() == "de"
            assert served() == "es"
        assert served() == "de"
    assert served() == "en"


def test_decorated_generators_run_every_step_in_the_locale() -> None:
    @GERMAN
    def steps() -> Iterator[str]:
        yield served()
        yield served()

    consumer = []
    for step in steps():
        consumer.append((step, served()))
    assert consumer == [("de", "en"), ("de", "en")]

    gen = steps()
    assert next(gen) == "de"
    gen.close()
    assert served() == "en"


def test_decorated_generators_get_sent_values_and_return_values() -> None:
    @SPANISH
    def echo() -> Iterator[str]:
        received = yield served()
        yield f"{received}:{served()}"
        return

    gen = echo()
    assert next(gen) == "es"
    assert gen.send("sent") == "sent:es"
    with pytest.raises(StopIteration):
        next(gen)


def test_decorated_async_generators_and_coroutines() -> None:
    @GERMAN
    async def steps() -> AsyncIterator[str]:
        yield served()
        await asyncio.sleep(0)
        yield served()

    @SPANISH
    async def single() -> str:
        await asyncio.sleep(0)
        return served()

    async def run() -> tuple[list[tuple[str, str]], str]:
        consumer = [(step, served()) async for step in steps()]
        return consumer, await single()

    assert asyncio.run(run()) == ([("de", "en"), ("de", "en")], "es")
    assert served() == "en"


def test_decorated_functions_keep_their_kind() -> None:
    import inspect

    @GERMAN
    def plain() -> str:
        return served()

    @GERMAN
    def gen() -> Iterator[str]:
        yield served()

    @GERMAN
    async def coro() -> str:
        return served()

    @GERMAN
    async def agen() -> AsyncIterator[str]:
        yield served()

    assert plain() == "de"
    assert inspect.isgeneratorfunction(gen)
    assert inspect.iscoroutinefunction(coro)
    assert inspect.isasyncgenfunction(agen)
