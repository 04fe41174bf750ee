"""A partial French translation of painread's article, shipped as a plugin."""

from __future__ import annotations

import sys
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["translations"]


def translations() -> Traversable:
    """The folder painread reads catalogs from: ``<locale>/LC_MESSAGES/painread.po``."""
    return files(__name__) / "locales"
