from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import painread
from painread.content import source_document

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = Path(__file__).resolve().parent / "data" / "kratom-pills-chronic-pain.txt"


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
