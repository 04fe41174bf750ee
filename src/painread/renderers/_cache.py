"""The outputs of recent renders (of immutable articles), so rendering again is a lookup.

Entries are keyed by the article's identity, not its value (hashing a pydantic model walks
every field), and hold the article, so its ``id()`` is not reused while the entry exists.
Lookups take no lock (a concurrent eviction only makes a miss); stores take one.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from painread.models import Article

_ENTRIES: OrderedDict[tuple[object, ...], tuple[Article, str]] = OrderedDict()
_STORING = Lock()


def kept(key: tuple[object, ...], article: Article) -> str | None:
    """The output stored for ``key`` if rendered from this article (TypeError if unhashable)."""
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
