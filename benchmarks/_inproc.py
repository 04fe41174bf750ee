"""In-process measurements, run by ``run.py`` in child processes (one JSON object out).

``python benchmarks/_inproc.py probe``
    What the installed painread offers (API, formats, translations) and the units and
    locale codes used to generate plugins.
``python benchmarks/_inproc.py warm [--quick]``
    Warm per-call timings (budget 4) with :mod:`timeit`.
``python benchmarks/_inproc.py scale-time|scale-mem MANIFEST --registration ep|api [--quick]``
    Budget 5 with generated plugins: ``negotiate`` timings, or memory with :mod:`tracemalloc`.

Each measurement that cannot run (a missing API, an error) is reported as
``{"na": "reason"}`` instead of failing the whole child.
"""

from __future__ import annotations

import argparse
import copy
import gc
import itertools
import json
import random
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

Result = dict[str, Any]

BUNDLED = {"en", "de", "es", "ar", "root"}
SCALE_LOCALES = 1000


def _na(reason: str) -> Result:
    return {"na": reason}


def _error(exc: BaseException) -> Result:
    return {"na": f"error: {type(exc).__name__}: {exc}"[:200]}


def _norm(locale: object) -> str:
    return str(locale).replace("-", "_").lower()


def _api(name: str) -> Any:
    import painread

    return getattr(painread, name, None)


def per_call(stmt: str, namespace: dict[str, Any], *, target_s: float, repeat: int) -> Result:
    """Median (and min) seconds per execution of ``stmt``, timeit-style."""
    timer = timeit.Timer(stmt, globals=namespace)
    number, elapsed = timer.autorange()
    number = max(1, int(number * target_s / max(elapsed, 1e-9)))
    runs = [total / number for total in timer.repeat(repeat=repeat, number=number)]
    return {
        "median_s": statistics.median(runs),
        "min_s": min(runs),
        "number": number,
        "repeat": repeat,
    }


def _clone(article: Any) -> Any:
    """An equal article that is a different object (defeats identity-keyed caches)."""
    copier = getattr(article, "model_copy", None)
    return copier() if copier is not None else copy.copy(article)


def _guarded(measure: Callable[[], Result]) -> Result:
    try:
        return measure()
    except Exception as exc:
        return _error(exc)


# --------------------------------------------------------------------------- probe


def probe() -> Result:
    """Capabilities of the installed package, plus material for the generated plugins."""
    import painread

    out: Result = {"version": getattr(painread, "__version__", "?"), "python": sys.version}
    names = (
        "load",
        "render",
        "negotiate",
        "add_translations",
        "use_locale",
        "available_locales",
        "set_locale_resolver",
        "locale_info",
        "FORMATS",
    )
    out["api"] = {name: _api(name) is not None for name in names}
    article = painread.load()
    out["formats"] = list(getattr(painread, "FORMATS", ()))
    try:
        html = painread.render(article, "html")
        out["html"] = isinstance(html, str) and bool(html)
    except Exception as exc:
        out["html"] = False
        out["html_reason"] = f"{type(exc).__name__}: {exc}"[:200]
    try:
        german = painread.load("de")
        served = _norm(german.locale)
        translated = served.startswith("de") and any(
            _norm(unit.locale).startswith("de") for unit in german.units()
        )
        out["de_served"] = str(german.locale)
        out["de_translated"] = translated
    except Exception as exc:
        out["de_served"] = None
        out["de_translated"] = False
        out["de_reason"] = f"{type(exc).__name__}: {exc}"[:200]
    out["section"] = article.sections[0].id
    out["units"] = _units_for_catalogs(article)
    from babel.localedata import locale_identifiers

    # Real CLDR codes; the source and bundled languages themselves are left out so a
    # generated catalog never competes with a shipped one.
    candidates = sorted(code for code in locale_identifiers() if code not in BUNDLED)
    out["locales"] = candidates[:SCALE_LOCALES]
    return out


def _units_for_catalogs(article: Any) -> list[dict[str, str]]:
    """A few units whose translation cannot break a note anchor: title, disclaimer..."""
    targets = {note.target for note in article.notes}
    chosen = [article.title, article.disclaimer]
    paragraphs = [
        unit
        for section in article.sections
        for unit in section.paragraphs
        if unit.id not in targets
    ]
    chosen += paragraphs[:2]
    chosen += list(article.labels[:1])
    return [{"id": unit.id, "text": unit.text} for unit in chosen]


# --------------------------------------------------------------------------- warm


def warm(quick: bool) -> Result:
    """Budget 4: repeated load and render, and an uncached HTML render vs its floor."""
    from markupsafe import escape

    import painread

    target_s, repeat = (0.03, 5) if quick else (0.15, 9)
    article = painread.load()
    section = article.sections[0].id
    out: Result = {}

    def timed(stmt: str, **names: Any) -> Result:
        return per_call(stmt, {"painread": painread, **names}, target_s=target_s, repeat=repeat)

    def load_en() -> Result:
        painread.load("en")
        return timed("load('en')", load=painread.load)

    def load_de() -> Result:
        served = str(painread.load("de").locale)
        return {**timed("load('de')", load=painread.load), "served": served}

    def load_context() -> Result:
        use_locale = _api("use_locale")
        if use_locale is None:
            return _na("not available: painread.use_locale")
        scope: AbstractContextManager[Any] = use_locale("de")
        with scope:
            served = str(painread.load().locale)
            return {**timed("load()", load=painread.load), "served": served}

    def repeated(fmt: str, section_id: str | None, placement: str) -> Callable[[], Result]:
        def measure() -> Result:
            if fmt not in getattr(painread, "FORMATS", ()):
                return _na(f"not available: format {fmt!r}")
            first = painread.render(article, fmt, section=section_id, placement=placement)
            again = painread.render(article, fmt, section=section_id, placement=placement)
            stmt = "render(article, fmt, section=section_id, placement=placement)"
            return {
                **timed(
                    stmt,
                    render=painread.render,
                    article=article,
                    fmt=fmt,
                    section_id=section_id,
                    placement=placement,
                ),
                "cached": first is again,
                "chars": len(first),
            }

        return measure

    texts = [unit.text for unit in article.units()]

    def floor() -> Result:
        return {
            **timed("'\\n'.join([escape(text) for text in texts])", escape=escape, texts=texts),
            "units": len(texts),
            "chars": sum(map(len, texts)),
        }

    def uncached(fmt: str) -> Result:
        if fmt not in getattr(painread, "FORMATS", ()):
            return _na(f"not available: format {fmt!r}")
        first = painread.render(article, fmt)
        if painread.render(_clone(article), fmt) is first:
            return _na("render result is cached by value; no way to bypass it")
        # Every timed call gets its own (equal) article, kept alive so no id() is reused.
        probe_timer = timeit.Timer(
            "render(clone(article), fmt)",
            globals={"render": painread.render, "article": article, "fmt": fmt, "clone": _clone},
        )
        number, elapsed = probe_timer.autorange()
        number = max(1, int(number * target_s / max(elapsed, 1e-9)))
        copies = [_clone(article) for _ in range(number * repeat)]
        feed = iter(copies)
        runs = [
            total / number
            for total in timeit.Timer(
                "render(next(feed), fmt)",
                globals={"render": painread.render, "feed": feed, "fmt": fmt},
            ).repeat(repeat=repeat, number=number)
        ]
        return {
            "median_s": statistics.median(runs),
            "min_s": min(runs),
            "number": number,
            "repeat": repeat,
            "chars": len(first),
        }

    def first_render() -> Result:
        # Each article is built anew outside the timed call, so the call also pays what
        # an article works out on its first render (4c's copies share it).
        build = getattr(type(article), "model_construct", None)
        if build is None:
            return _na("not available: Article.model_construct")
        fields = dict(article.__dict__)
        samples = []
        for _ in range(60 if quick else 300):
            fresh = build(**fields)
            start = time.perf_counter()
            painread.render(fresh, "html")
            samples.append(time.perf_counter() - start)
        return {"median_s": statistics.median(samples), "min_s": min(samples)}

    out["load_en"] = _guarded(load_en)
    out["load_de"] = _guarded(load_de)
    out["load_context_de"] = _guarded(load_context)
    out["render_text_whole"] = _guarded(repeated("text", None, "bottom"))
    out["render_html_whole"] = _guarded(repeated("html", None, "bottom"))
    out["render_html_section"] = _guarded(repeated("html", section, "both"))
    out["floor"] = _guarded(floor)
    out["page_floor"] = _guarded(lambda: _page_floor(painread, escape, timed, article))
    out["uncached_html"] = _guarded(lambda: uncached("html"))
    out["uncached_text"] = _guarded(lambda: uncached("text"))
    out["first_html"] = _guarded(first_render)
    return out


def _page_floor(painread: Any, escape: Any, timed: Callable[..., Result], article: Any) -> Result:
    """Context for 4c: the same floor over the text nodes of the rendered page itself.

    The page shows more text than the units once each (headings and labels, the
    table of contents, dates, quoted anchors), split where note markers sit.
    """
    from html.parser import HTMLParser

    if "html" not in getattr(painread, "FORMATS", ()):
        return _na("not available: format 'html'")

    class _Texts(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.texts: list[str] = []

        def handle_data(self, data: str) -> None:
            if data.strip():
                self.texts.append(data)

    parser = _Texts()
    parser.feed(painread.render(article, "html"))
    parser.close()
    texts = parser.texts
    return {
        **timed("'\\n'.join([escape(text) for text in texts])", escape=escape, texts=texts),
        "nodes": len(texts),
        "chars": sum(map(len, texts)),
    }


# --------------------------------------------------------------------------- scale


def _bcp47(locale: str) -> str:
    return locale.replace("_", "-")


def _headers(locales: list[str], count: int, seed: int = 7) -> list[str]:
    """``count`` distinct 5-entry Accept-Language headers over installed and unknown tags."""
    rng = random.Random(seed)
    pool = [*locales, "xx", "tlh", "fr-CA", "pt", "zh-Hant-TW", "de-AT", "es-MX"]
    headers: set[str] = set()
    while len(headers) < count:
        tags = rng.sample(pool, 5)
        weights = sorted((rng.randint(1, 9) / 10 for _ in tags), reverse=True)
        pairs = zip(tags, weights, strict=True)
        headers.add(", ".join(f"{_bcp47(tag)};q={q:.1f}" for tag, q in pairs))
    return sorted(headers)


def _register(manifest: Result, registration: str) -> Result:
    """Register the tree's catalogs (api) or rely on its entry points (ep, on PYTHONPATH)."""
    if registration == "ep":
        return {}
    add = _api("add_translations")
    if add is None:
        return _na("not available: painread.add_translations")
    start = time.perf_counter()
    for directory in manifest["catalog_dirs"]:
        add(directory)
    return {"register_s": time.perf_counter() - start}


def _discover(manifest: Result) -> tuple[bool, str]:
    """Trigger discovery the way a host does (one ``negotiate``); are the plugins seen?"""
    locales: list[str] = manifest["locales"]
    target = locales[len(locales) // 2]
    negotiate = _api("negotiate")
    if negotiate is not None:
        chosen = negotiate(_bcp47(target))
        return _norm(chosen) == _norm(target), f"negotiate({_bcp47(target)!r}) -> {chosen!r}"
    return _available(manifest)


def _available(manifest: Result) -> tuple[bool, str]:
    """Whether ``available_locales()`` lists every generated locale."""
    locales: list[str] = manifest["locales"]
    available = _api("available_locales")
    if available is None:
        return False, "no discovery API (negotiate, available_locales)"
    served = {_norm(code) for code in available()}
    found = sum(_norm(code) in served for code in locales)
    return found == len(locales), f"{found}/{len(locales)} generated locales available"


def scale_time(manifest: Result, registration: str, quick: bool) -> Result:
    """Budget 5: first discovery, a first listing, then 5-entry ``negotiate`` calls.

    The first pass over the distinct headers is timed on its own (each locale's
    chain is worked out once there); the budget is the steady state after it.
    """
    import painread  # noqa: F401  (discovery must be lazy: first API call below)

    registered = _register(manifest, registration)
    if "na" in registered:
        return {"negotiate": registered}
    start = time.perf_counter()
    ok, detail = _discover(manifest)
    out: Result = {
        **registered,
        "discover_s": time.perf_counter() - start,
        "discovered": ok,
        "detail": detail,
    }
    negotiate = _api("negotiate")
    if negotiate is None:
        out["negotiate"] = _na("not available: painread.negotiate")
        return out
    if not ok:
        out["negotiate"] = _na(f"generated plugins not discovered ({detail})")
        return out
    # Right after discovery, while nothing is read yet: what a first listing costs.
    start = time.perf_counter()
    listed, listed_detail = _available(manifest)
    out["available"] = {
        "first_s": time.perf_counter() - start,
        "ok": listed,
        "detail": listed_detail,
    }
    target_s, repeat = (0.03, 5) if quick else (0.15, 9)
    headers = _headers(manifest["locales"], 1000)
    start = time.perf_counter()
    for header in headers:
        negotiate(header)
    out["first_pass_s"] = (time.perf_counter() - start) / len(headers)
    feed: Iterator[str] = itertools.cycle(headers)
    distinct = _guarded(
        lambda: per_call(
            "negotiate(next(feed))",
            {"negotiate": negotiate, "feed": feed},
            target_s=target_s,
            repeat=repeat,
        )
    )
    same = _guarded(
        lambda: per_call(
            "negotiate(header)",
            {"negotiate": negotiate, "header": headers[0]},
            target_s=target_s,
            repeat=repeat,
        )
    )
    out["negotiate"] = {
        **distinct,
        "same_header": same,
        "example": headers[0],
        "chosen": str(negotiate(headers[0])),
    }
    return out


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def scale_mem(manifest: Result, registration: str, quick: bool) -> Result:
    """Budget 5: bytes held after registering/discovering, and per locale loaded.

    Tracing starts before ``import painread``, so discovery is counted wherever it
    happens (at first load or first negotiate); ``run.py`` subtracts a 10-locale run
    from the 1000-locale run, which cancels every fixed cost (imports, the English
    article) and leaves the cost per registered locale.
    """
    tracemalloc.start()
    base, rss_base = _traced(), _rss_bytes()
    import painread

    painread.render(painread.load(), "text")
    registered = _register(manifest, registration)
    if "na" in registered:
        return registered
    ok, detail = _discover(manifest)
    after_discovery, rss_discovery = _traced(), _rss_bytes()
    out: Result = {
        "discovered": ok,
        "detail": detail,
        "locales": len(manifest["locales"]),
        "registered_bytes": after_discovery - base,
        "registered_rss_bytes": rss_discovery - rss_base,
    }
    locales: list[str] = manifest["locales"]
    count = min(20 if quick else 50, len(locales) - 1)
    if not ok or count < 1:
        out["loaded"] = _na(f"generated plugins not discovered ({detail})")
        return out
    try:
        first = painread.load(locales[0])
        first_served = str(first.locale)
        warmed, rss_warmed = _traced(), _rss_bytes()
        served = [str(painread.load(code).locale) for code in locales[1 : count + 1]]
        loaded, rss_loaded = _traced(), _rss_bytes()
    except Exception as exc:
        out["loaded"] = _error(exc)
        return out
    out["loaded"] = {
        "count": count,
        "first_load_bytes": warmed - after_discovery,
        "first_served": first_served,
        "per_locale_bytes": (loaded - warmed) / count,
        "per_locale_rss_bytes": (rss_loaded - rss_warmed) / count,
        "available_locales_bytes": _available_growth(manifest, loaded),
        "served_as_requested": sum(
            _norm(got) == _norm(want)
            for got, want in zip(served, locales[1 : count + 1], strict=True)
        ),
    }
    tracemalloc.stop()
    return out


def _available_growth(manifest: Result, before: int) -> int | None:
    """Traced bytes that a first ``available_locales()`` adds (it may read every catalog)."""
    if _api("available_locales") is None:
        return None
    _available(manifest)
    return _traced() - before


def main(argv: list[str] | None = None) -> int:
    """Run one child measurement and print its JSON result."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("probe", "warm", "scale-time", "scale-mem"))
    parser.add_argument("manifest", nargs="?", type=Path)
    parser.add_argument("--registration", choices=("ep", "api"), default="ep")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    result: Result
    if args.what == "probe":
        result = probe()
    elif args.what == "warm":
        result = warm(args.quick)
    else:
        manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
        measure = scale_time if args.what == "scale-time" else scale_mem
        result = measure(manifest, args.registration, args.quick)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
