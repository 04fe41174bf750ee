from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import painread
from painread import catalogs
from painread.content import source_document
from tests.i18n_helpers import use_registry

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = Path(__file__).resolve().parent / "data" / "kratom-pills-chronic-pain.txt"


@pytest.fixture(autouse=True, scope="session")
def hide_installed_plugins() -> Iterator[None]:
    """No installed translation plugin (or PAINREAD_TRANSLATIONS) reaches a test.

    Installing examples/translation-plugin into the development venv, as its
    README suggests, must not change what the suite sees. The process-wide
    registry is replaced by one that ignores installed plugins, and the
    variables are set for every process a test starts (docs samples, the
    CLI, the notebook's kernel). Tests of plugins build their own registry
    with fake entry points, or a fresh venv.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(catalogs.DISABLE_PLUGINS_VARIABLE, "1")
        patch.delenv(catalogs.TRANSLATIONS_VARIABLE, raising=False)
        use_registry(patch)
        yield


def plugins_enabled(environ: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for a process that should discover plugins (its own, in a fresh venv)."""
    environ = dict(os.environ if environ is None else environ)
    environ.pop(catalogs.DISABLE_PLUGINS_VARIABLE, None)
    return environ


@pytest.fixture(scope="session")
def article() -> painread.Article:
    return painread.load()


@pytest.fixture
def document() -> dict[str, Any]:
    """A deep, mutable copy of the shipped source document."""
    return copy.deepcopy(dict(source_document()))


@pytest.fixture(scope="session")
def source_lines() -> list[str]:
    return [line for line in SOURCE_TEXT.read_text(encoding="utf-8").split("\n") if line]


DocumentEdit = Callable[[dict[str, Any]], None]


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)
