"""Which PO file a compiled catalog came from.

An MO file that painread compiles records the SHA-256 of its PO file's bytes, so
a reader can tell whether the PO file changed since, whatever the files'
modification times say: installers write the files of a wheel in any order.
Kept apart from :mod:`painread._pofile`, which needs Babel, so that reading a
compiled catalog does not import it.
"""

from __future__ import annotations

import hashlib

__all__ = ["SOURCE_HEADER", "source_digest"]

SOURCE_HEADER = "X-Painread-Source-Sha256"
"""The MO header field that holds :func:`source_digest` of the PO file it was compiled from."""


def source_digest(po: bytes) -> str:
    """The value of :data:`SOURCE_HEADER` for a PO file with these bytes."""
    return hashlib.sha256(po).hexdigest()
