"""The public way to get the article: ``painread.load``, and what a locale serves.

Each unit is taken from the first locale of the served chain (and, within a
locale, the first origin) that has a usable translation of it; everything
else falls back, unit by unit, down to the English source, so a missing,
fuzzy or stale translation can never drop text. A note's quoted anchor must
occur in the text actually served for its target: when no translation of the
anchor does, the target itself falls back until both agree.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from painread import catalogs
from painread.catalogs import Catalog
from painread.content import SOURCE_LOCALE, build_article
from painread.errors import ContentError, IncompleteTranslationError
from painread.locales import (
    display_name,
    language_of,
    parse_locale,
    requested_locale,
    served_chain,
    text_direction,
    to_bcp47,
)
from painread.models import Article

__all__ = ["LocaleInfo", "load", "locale_info"]

UNREVIEWED_NOTICE = "translation-unreviewed"
UNREVIEWED_LABEL = "ui.translation-unreviewed"
_CACHED_REQUESTS = 512
_CACHED_ARTICLES = 32


@dataclass(frozen=True)
class _Choice:
    text: str
    locale: str
    catalog: Catalog | None


@dataclass(frozen=True)
class _Served:
    article: Article
    catalogs: tuple[Catalog, ...]


class LocaleInfo(BaseModel):
    """What a locale serves, for language pickers and "translated by" notes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="canonical code of the locale served, e.g. 'pt_BR'")
    tag: str = Field(description="the same as a BCP 47 tag, e.g. 'pt-BR', for lang attributes")
    display_name: str = Field(description="the locale's name in the display language")
    direction: Literal["ltr", "rtl"]
    completeness: float = Field(ge=0, le=1, description="share of source units served in it")
    reviewed: bool = Field(description="every catalog used was reviewed by a medical translator")
    origin: str = Field(description="'source', 'bundled', 'plugin:<name>' or 'registered:<path>'")
    origins: tuple[str, ...] = Field(description="every origin that served a unit, by precedence")


_requests: dict[tuple[str, bool], tuple[int, Article]] = {}
_served: OrderedDict[tuple[tuple[str, ...], int], _Served] = OrderedDict()
_lock = threading.RLock()


def load(locale: str | None = None, *, strict: bool = False) -> Article:
    """Return the article, validated, immutable and cached, in the best locale available.

    Args:
        locale: BCP 47 or POSIX code, any case (``"es-MX"``, ``"pt_BR"``). When
            ``None``: the locale set by :func:`painread.use_locale`, else the
            one from the resolver given to :func:`painread.set_locale_resolver`,
            else English.
        strict: Raise instead of serving anything in another language than the
            one asked for.

    Returns:
        The same :class:`~painread.models.Article` object on every call served
        by the same locales. ``article.locale`` is the locale served (``"es"``
        for ``"es-MX"``); ``article.fallbacks`` names the units that came from
        another one.

    Raises:
        InvalidLocaleError: if the locale is not a valid, known locale.
        IncompleteTranslationError: with ``strict=True``, if any unit would fall back.
    """
    requested = requested_locale() if locale is None else locale
    current = catalogs.generation()
    cached = _requests.get((requested, strict)) if isinstance(requested, str) else None
    if cached is not None and cached[0] == current:
        return cached[1]
    article = _serve(parse_locale(requested), strict)
    _remember((requested, strict), current, article)
    return article


def _remember(key: tuple[str, bool], current: int, article: Article) -> None:
    if len(_requests) >= _CACHED_REQUESTS:
        _requests.clear()
    _requests[key] = (current, article)


def _serve(locale: str, strict: bool) -> Article:
    article = _served_for(served_chain(locale)).article
    if strict:
        _require_complete(locale, article)
    return article


def _require_complete(locale: str, article: Article) -> None:
    if language_of(article.locale) != language_of(locale):
        missing: Sequence[str] = [unit.id for unit in article.units()]
    else:
        missing = list(article.fallbacks)
    if missing:
        raise IncompleteTranslationError(locale, missing)


def _served_for(chain: tuple[str, ...]) -> _Served:
    key = (chain, catalogs.generation())
    with _lock:
        served = _served.get(key)
        if served is None:
            served = _build(chain)
            _served[key] = served
            if len(_served) > _CACHED_ARTICLES:
                _served.popitem(last=False)
        else:
            _served.move_to_end(key)
        return served


def _build(chain: tuple[str, ...]) -> _Served:
    if chain == (SOURCE_LOCALE,):
        return _Served(build_article(SOURCE_LOCALE), ())
    layers = tuple((code, catalogs.registry().catalogs(code)) for code in chain[:-1])
    choices = _choose(layers)
    serving = {id(choice.catalog) for choice in choices.values()}
    used = tuple(catalog for _, found in layers for catalog in found if id(catalog) in serving)
    notices = _unreviewed_notice(choices, used)

    def translate(unit_id: str, text: str) -> tuple[str, str]:
        choice = choices.get(unit_id)
        return (choice.text, choice.locale) if choice else (text, SOURCE_LOCALE)

    try:
        article = build_article(chain[0], translate, extra_notices=notices)
    except ContentError as exc:
        catalogs.warn(f"the {chain[0]!r} translation failed validation ({exc}); serving English")
        return _served_for((SOURCE_LOCALE,))
    return _Served(article, used)


Layers = tuple[tuple[str, tuple[Catalog, ...]], ...]


def _candidates(unit_id: str, english: str, layers: Layers) -> Iterator[_Choice]:
    for code, found in layers:
        for catalog in found:
            entry = catalog.units.get(unit_id)
            if entry is not None:
                yield _Choice(entry.text, code, catalog)
    yield _Choice(english, SOURCE_LOCALE, None)


def _choose(layers: Layers) -> dict[str, _Choice]:
    english = catalogs.source_texts()
    anchored = catalogs.note_anchors()
    anchors = {anchor for ids in anchored.values() for anchor in ids}
    choices: dict[str, _Choice] = {}
    for unit_id, text in english.items():
        if unit_id in anchored:
            choices.update(_with_anchors(unit_id, anchored[unit_id], english, layers))
        elif unit_id not in anchors:
            choices[unit_id] = next(_candidates(unit_id, text, layers))
    return choices


def _with_anchors(
    target: str, anchor_ids: tuple[str, ...], english: Mapping[str, str], layers: Layers
) -> dict[str, _Choice]:
    options = {anchor: list(_candidates(anchor, english[anchor], layers)) for anchor in anchor_ids}
    for candidate in _candidates(target, english[target], layers):
        picked = {anchor: _anchor_in(candidate, found) for anchor, found in options.items()}
        chosen = {anchor: choice for anchor, choice in picked.items() if choice is not None}
        quotes = [choice.text for choice in chosen.values()]
        if len(chosen) == len(anchor_ids) and catalogs.anchors_fit(candidate.text, quotes):
            return {target: candidate, **chosen}
    return {unit: _Choice(english[unit], SOURCE_LOCALE, None) for unit in (target, *anchor_ids)}


def _anchor_in(target: _Choice, options: list[_Choice]) -> _Choice | None:
    """The first anchor found in the target's text, preferring the target's own locale."""
    fitting = [option for option in options if option.text in target.text]
    same = [option for option in fitting if option.locale == target.locale]
    return next(iter(same or fitting), None)


def _unreviewed_notice(
    choices: Mapping[str, _Choice], used: tuple[Catalog, ...]
) -> tuple[dict[str, Any], ...]:
    if all(catalog.reviewed for catalog in used):
        return ()
    label = choices[UNREVIEWED_LABEL]
    english = catalogs.source_texts()[UNREVIEWED_LABEL]
    text = label.text if label.locale == SOURCE_LOCALE else f"{label.text} {english}"
    return (
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


def locale_info(locale: str, display: str | None = None) -> LocaleInfo:
    """Describe the locale :func:`load` serves for ``locale``.

    Args:
        locale: Any locale code; the answer is about the locale actually served
            (``"pt"`` with no Portuguese installed describes English).
        display: The language to name it in; by default its own (``"español"``).

    Raises:
        InvalidLocaleError: if ``locale`` or ``display`` is not a valid locale.
    """
    shown_in = parse_locale(display) if display is not None else None
    chain = served_chain(parse_locale(locale))
    code = chain[0]
    served = _served_for(chain)
    source_ids = catalogs.source_texts()
    here = [u for u in served.article.units() if u.id in source_ids and u.locale == code]
    contributing = _contributing(code, served)
    origins = tuple(dict.fromkeys(c.origin for c in contributing)) or ("source",)
    return LocaleInfo(
        code=code,
        tag=to_bcp47(code),
        display_name=display_name(code, shown_in),
        direction=text_direction(code),
        completeness=len(here) / len(source_ids),
        reviewed=code == SOURCE_LOCALE or all(c.reviewed for c in contributing),
        origin=origins[0],
        origins=origins,
    )


def _contributing(code: str, served: _Served) -> list[Catalog]:
    if code == SOURCE_LOCALE:
        return []
    used = [catalog for catalog in served.catalogs if catalog.locale == code]
    return used or list(catalogs.registry().catalogs(code))
