"""Files shipped with painread: the data folder, and what a compiled catalog records.

An MO file that painread compiles records the SHA-256 of its PO file's bytes,
so a reader can tell whether the PO file changed since, whatever modification
times say (installers write a wheel's files in any order). Standard library
only, so the build hook and the catalog reader can use it without Babel.
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
"""The MO header field the build gate writes: the content hash of the English source the
catalog's article was fully validated against (see ``painread.i18n.compile_validated``)."""
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
