"""``painread.load``, what a locale serves, and the host hooks that choose a locale.

Each unit is taken from the first locale of the served chain (within a locale,
the first origin) with a usable translation of it, else from the English
source, so a missing, fuzzy or stale translation can never drop text. A note's
quoted anchor must occur in the text served for its target: when no
translation of the anchor does, the target falls back until both agree.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from contextlib import ContextDecorator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from painread.content import build_article
from painread.errors import ContentError, IncompleteTranslationError, InvalidLocaleError
from painread.locales import (
    SOURCE_LOCALE,
    display_name,
    parse_locale,
    same_language,
    text_direction,
    to_bcp47,
)
from painread.models import Article

if TYPE_CHECKING:
    from painread._locale_info import LocaleInfo
    from painread.translation import Catalog, Layers

LocaleResolver = Callable[[], "str | Sequence[str] | None"]
"""A host's hook: returns a locale, preferences in order, or ``None`` for the default."""

UNREVIEWED_NOTICE = "translation-unreviewed"
UNREVIEWED_LABEL = "ui.translation-unreviewed"


class _Served:
    """A served article and the catalogs that supplied its units."""

    __slots__ = ("__weakref__", "article", "catalogs")

    def __init__(self, article: Article, catalogs: tuple[Catalog, ...]) -> None:
        self.article, self.catalogs = article, catalogs


_alive: weakref.WeakValueDictionary[tuple[tuple[str, ...], int], _Served]
_alive = weakref.WeakValueDictionary()
"""Every build still held, by chain and generation. Requests' answers are kept longer than
builds, and a chain must still give the object an earlier request got."""


_lock = threading.RLock()
_english: Article | None = None
_Scope = tuple[str | None, "_Scope | None"]
_current: ContextVar[_Scope] = ContextVar("painread_locale", default=(None, None))
"""The innermost ``use_locale`` block of this context: its locale and the block around it."""
_resolver: LocaleResolver | None = None
_F = TypeVar("_F", bound=Callable[..., Any])


def load(locale: str | None = None, *, strict: bool = False) -> Article:
    """Return the article, immutable and cached, in the best locale available.

    What was checked before it shipped (the English source; a bundled catalog
    compiled for today's source) is not validated again. Any other translation
    is, and one that fails is replaced by English with a warning.

    Args:
        locale: BCP 47 or POSIX code, any case (``"es-MX"``, ``"pt_BR"``). When
            ``None``: the locale set by [`painread.use_locale`][], else the
            one from the resolver given to [`painread.set_locale_resolver`][],
            else English.
        strict: Raise instead of serving anything in another language, or
            another script, than the one asked for (``zh-Hant`` served as
            English, or any unit falling back); another region of the same
            language and script (``pt_BR`` for ``pt-PT``) is not a fallback.

    Returns:
        The same [`Article`][painread.Article] object on every call served by
        the same locales: ``article.locale`` is the locale served (``"es"`` for
        ``"es-MX"``), ``article.fallbacks`` the units that came from another.

    Raises:
        InvalidLocaleError: if the locale is not a valid, known locale.
        IncompleteTranslationError: with ``strict=True``, if any unit would fall back.
    """
    requested = requested_locale() if locale is None else locale
    if not isinstance(requested, str):  # first: ``==`` on array-likes has no truth value
        parse_locale(requested)  # raises InvalidLocaleError, naming what it got
    if requested == SOURCE_LOCALE:
        return _source_article()
    from painread import catalogs  # here, not at the top: English never needs a catalog

    return _serve(requested, strict, catalogs.generation()).article


@functools.lru_cache(maxsize=512)
def _serve(requested: str, strict: bool, generation: int) -> _Served:
    """What one request is served while the translations stay the same (errors not cached)."""
    locale = parse_locale(requested)
    served = _served_for(locale)
    article = served.article
    if strict:
        same = same_language(locale, article.locale)
        missing = list(article.fallbacks) if same else [unit.id for unit in article.units()]
        if missing:
            raise IncompleteTranslationError(locale, missing)
    return served


def _source_article() -> Article:
    """The English article, built once per process; no catalog can change it."""
    global _english
    article = _english
    if article is None:
        with _lock:
            if _english is None:
                _english = build_article(SOURCE_LOCALE, trusted=True)
            article = _english
    return article


def _served_for(locale: str) -> _Served:
    from painread import catalogs

    chain = catalogs.served_chain(locale)
    if chain == (SOURCE_LOCALE,):
        return _Served(_source_article(), ())
    generation = catalogs.generation()
    for code in chain[:-1]:  # read before the lock: a slow catalog must not hold up another locale
        catalogs.registry().catalogs(code)
    with _lock:  # one build, so one object, per chain
        served = _alive.get((chain, generation))
        if served is None:
            served = _alive[chain, generation] = _build(chain, generation)
        return served


@functools.lru_cache(maxsize=32)
def _build(chain: tuple[str, ...], generation: int) -> _Served:
    from painread import catalogs, translation

    layers = tuple((code, catalogs.registry().catalogs(code)) for code in chain[:-1])
    try:
        return _article_for(layers)
    except ContentError as exc:
        translation.warn(f"the {chain[0]!r} translation failed validation ({exc}); serving English")
        return _Served(_source_article(), ())


def _article_for(layers: Layers, *, validate: bool = False) -> _Served:
    """The article the layers make (ContentError if invalid), and the catalogs that served it."""
    from painread import translation

    choices = translation.choose(layers)
    serving = {choice.catalog for choice in choices.values()}
    used = tuple(catalog for _, found in layers for catalog in found if catalog in serving)

    def translate(unit_id: str, text: str) -> tuple[str, str] | None:
        choice = choices.get(unit_id)
        return (choice.text, choice.locale) if choice else None

    # Unvalidated only if it is the build gate's own work: one catalog it marked, alone.
    trusted = not validate and len(used) <= 1 and all(catalog.validated for catalog in used)
    notices: tuple[dict[str, Any], ...] = ()
    if not all(catalog.reviewed for catalog in used):  # a caution, in English too
        label = choices[UNREVIEWED_LABEL]
        english = translation.source_texts()[UNREVIEWED_LABEL]
        text = label.text if label.locale == SOURCE_LOCALE else f"{label.text} {english}"
        notices = (
            {
                "id": UNREVIEWED_NOTICE,
                "severity": "caution",
                "category": "translation",
                "applies_to": ["article"],
                "text": {
                    "id": f"notice.{UNREVIEWED_NOTICE}.text",
                    "origin": "editorial",
                    "text": text,
                    "locale": label.locale,
                },
            },
        )
    article = build_article(layers[0][0], translate, extra_notices=notices, trusted=trusted)
    return _Served(article, used)


def validated_article(locale: str, catalog: Catalog) -> Article:
    """The article one catalog serves on its own, fully validated: the build gate's check.

    Raises:
        ContentError: naming the field at fault, if the article fails validation.
    """
    return _article_for(((locale, (catalog,)),), validate=True).article


def locale_info(locale: str, display: str | None = None) -> LocaleInfo:
    """Describe what [`load`][painread.load] serves for ``locale``, read off the article it serves.

    So no field can disagree with what a reader gets (see
    [`LocaleInfo`][painread.LocaleInfo] for each field).

    Args:
        locale: Any locale code; the answer is about the locale actually served
            (``"pt"`` with no Portuguese installed describes English).
        display: The language to name it in; by default its own (``"español"``).

    Raises:
        InvalidLocaleError: if ``locale`` or ``display`` is not a valid locale.
    """
    from painread import catalogs, translation
    from painread._locale_info import LocaleInfo

    shown_in = parse_locale(display) if display is not None else None
    locale = parse_locale(locale)
    served = _served_for(locale)
    article, used = served.article, served.catalogs
    code = article.locale
    source_ids = translation.source_texts()
    here = sum(1 for unit in article.units() if unit.id in source_ids and unit.locale == code)
    origins = tuple(dict.fromkeys(catalog.origin for catalog in used)) or ("source",)
    used_locales = set(article.fallbacks.values())
    return LocaleInfo(
        code=code,
        tag=to_bcp47(code),
        display_name=display_name(code, shown_in),
        direction=text_direction(code),
        completeness=here / len(source_ids),
        reviewed=all(notice.id != UNREVIEWED_NOTICE for notice in article.notices),
        origin=origins[0],
        origins=origins,
        fallbacks=tuple(c for c in catalogs.served_chain(locale) if c in used_locales),
    )


class use_locale(ContextDecorator):
    """Serve ``locale`` to [`painread.load`][] calls without a locale, in this context.

    A context manager and a decorator (of plain, generator, coroutine and
    async-generator functions). It sets a `contextvars` variable, so threads
    and asyncio tasks never see each other's locale, and one object may be
    shared by all and entered again inside itself. ``None`` clears the locale
    for the block, handing the choice back to the resolver.

    Raises:
        InvalidLocaleError: at once, if ``locale`` is not a valid locale.
    """

    def __init__(self, locale: str | None) -> None:
        self.locale = None if locale is None else parse_locale(locale)

    def __enter__(self) -> str | None:
        _current.set((self.locale, _current.get()))
        return self.locale

    def __exit__(self, *exc_info: object) -> None:
        _current.set(_current.get()[1] or (None, None))

    def __call__(self, func: _F) -> _F:
        """``func`` run in the locale: each call, each step of a generator, a whole coroutine.

        The caller's own code between a generator's steps is not in the locale.
        """
        import inspect

        async def coroutine(*args: Any, **kwargs: Any) -> Any:
            with self:
                return await func(*args, **kwargs)

        def generator(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            with self:
                steps = func(*args, **kwargs)
            step, value = steps.send, None
            while True:
                with self:
                    try:
                        item = step(value)
                    except StopIteration as stop:
                        return stop.value
                try:
                    step, value = steps.send, (yield item)
                except BaseException as exc:  # GeneratorExit too, as close() would throw it
                    step, value = steps.throw, exc

        async def async_generator(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
            with self:
                steps = func(*args, **kwargs)
            step, value = steps.asend, None
            while True:
                with self:
                    try:
                        item = await step(value)
                    except StopAsyncIteration:
                        return
                try:
                    step, value = steps.asend, (yield item)
                except BaseException as exc:  # GeneratorExit too, as aclose() would throw it
                    step, value = steps.athrow, exc

        if inspect.isasyncgenfunction(func):
            wrapped: Callable[..., Any] = async_generator
        elif inspect.isgeneratorfunction(func):
            wrapped = generator
        elif inspect.iscoroutinefunction(func):
            wrapped = coroutine
        elif callable(func):
            return super().__call__(func)
        else:
            raise TypeError(f"use_locale decorates functions, not {type(func).__name__}")
        return functools.wraps(func)(wrapped)  # type: ignore[return-value]


def set_locale_resolver(resolver: LocaleResolver | None) -> LocaleResolver | None:
    """Register the host's hook for choosing a locale when none is given.

    [`painread.load`][] calls it only when no locale was passed and no
    [`use_locale`][painread.use_locale] is active. It may return a locale string (validated like
    an explicit one), preferences in order (negotiated, malformed ones ignored),
    or ``None`` for English. Pass ``None`` to unregister.

    Returns:
        The resolver it replaces, so a caller can restore it.
    """
    global _resolver
    if resolver is not None and not callable(resolver):
        raise TypeError(f"the locale resolver must be callable, got {type(resolver).__name__}")
    previous, _resolver = _resolver, resolver
    return previous


def requested_locale() -> str:
    """The locale asked for implicitly: the context's, else the resolver's, else English.

    Raises:
        InvalidLocaleError: if the resolver returns something that is not a locale.
    """
    current = _current.get()[0]
    if current is not None:
        return current
    chosen = None if _resolver is None else _resolver()
    if chosen is None:
        return SOURCE_LOCALE
    if isinstance(chosen, str):
        return chosen
    if isinstance(chosen, (list, tuple)):
        from painread.catalogs import negotiate

        return negotiate(chosen)
    raise InvalidLocaleError(chosen, "the locale resolver must return a string, a list or None")
