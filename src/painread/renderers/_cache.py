"""The outputs of recent renders, so rendering the same thing again is a lookup.

Articles are immutable, so an output depends only on the article and the arguments. Entries
are keyed by the article's identity, never its value (hashing a pydantic model walks every
field), and hold the article, so its ``id()`` cannot be reused while the entry exists.
Lookups take no lock (a concurrent eviction can only turn a hit into a miss); stores take
one, so the bound holds under threads.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from painread.models import Article

_ENTRIES: OrderedDict[tuple[object, ...], tuple[Article, str]] = OrderedDict()
_STORING = Lock()


def kept(key: tuple[object, ...], article: Article) -> str | None:
    """The output stored for ``key`` if it was rendered from this very article.

    Raises:
        TypeError: if ``key`` holds an unhashable argument.
    """
    entry = _ENTRIES.get(key)
    if entry is None or entry[0] is not article:
        return None
    try:
        _ENTRIES.move_to_end(key)
    except KeyError:  # evicted by another thread meanwhile; the output still holds
        return entry[1]
    return entry[1]


def keep(key: tuple[object, ...], article: Article, output: str, maxsize: int) -> None:
    """Store an output, dropping the least recently used beyond ``maxsize``."""
    with _STORING:
        _ENTRIES[key] = (article, output)
        _ENTRIES.move_to_end(key)
        while len(_ENTRIES) > maxsize:
            _ENTRIES.popitem(last=False)
