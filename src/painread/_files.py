"""Files shipped with painread: the data folder, and what a compiled catalog records.

A compiled MO file records the SHA-256 of its PO file, since installers write a wheel's
files in any order and modification times cannot tell whether the PO file changed since.
Standard library only, so the build hook and the catalog reader can use it without Babel.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sys

    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

CATALOG_NAME = "painread"
"""The gettext domain: every catalog is ``<locale>/LC_MESSAGES/painread.po`` (or ``.mo``)."""
SOURCE_HEADER = "X-Painread-Source-Sha256"
"""The MO header field that holds `source_digest` of the PO file it was compiled from."""
VALIDATED_HEADER = "X-Painread-Validated"
"""The MO header field holding the English content hash the catalog was validated against."""
ARTICLE_SCHEMA = "article.schema.json"
"""The JSON Schema of the article, generated from the models by ``tools/gen_schema.py``."""


def source_digest(po: bytes) -> str:
    """The value of `SOURCE_HEADER` for a PO file with these bytes."""
    return hashlib.sha256(po).hexdigest()


def data() -> Traversable:
    """The package's data folder, zip-safe; serving English never needs it."""
    from importlib.resources import files

    return files("painread") / "data"


def data_text(name: str) -> str:
    """A text file of the data folder, verbatim."""
    return (data() / name).read_text(encoding="utf-8")
