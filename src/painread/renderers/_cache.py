"""The outputs of recent renders, so rendering the same thing again is a lookup.

Articles are immutable, so an output depends only on the article and the
arguments. Entries are keyed by the article's identity, never its value
(hashing a pydantic model walks every field), and hold the article, so its
``id()`` cannot be reused while the entry exists; a lookup also checks the
entry's article *is* the one asked about.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from painread.models import Article

Key = tuple[int, object, object, object, object, object]
"""``(id(article), format, section, placement, width, heading_level)``."""


class RenderCache:
    """A bounded, least-recently-used map from (article, arguments) to output.

    Lookups take no lock: a concurrent eviction can only turn a hit into a
    miss. Stores take one, so the bound holds under threads.
    """

    def __init__(self, maxsize: int) -> None:
        """Keep at most ``maxsize`` outputs (and the articles they belong to)."""
        self.maxsize = maxsize
        self._entries: OrderedDict[Key, tuple[Article, str]] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key, article: Article) -> str | None:
        """The output stored for ``key`` if it was rendered from this very article."""
        entry = self._entries.get(key)
        if entry is None or entry[0] is not article:
            return None
        try:
            self._entries.move_to_end(key)
        except KeyError:  # evicted by another thread meanwhile; the output still holds
            return entry[1]
        return entry[1]

    def put(self, key: Key, article: Article, output: str) -> None:
        """Store an output, dropping the least recently used ones beyond the bound."""
        with self._lock:
            self._entries[key] = (article, output)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every output (and release the articles they held)."""
        with self._lock:
            self._entries.clear()
