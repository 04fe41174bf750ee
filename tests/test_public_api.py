"""The public API is what the committed snapshot says: names, signatures, fields, methods.

When a change to the API is intended, rewrite the snapshot and commit it with the change
(and a line in CHANGELOG.md):

    python -m tests.test_public_api
"""

from __future__ import annotations

import enum
import inspect
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import painread

SNAPSHOT = Path(__file__).parent / "data" / "public_api.json"
UPDATE = "python -m tests.test_public_api"


def _signature(value: Any) -> str:
    try:
        return str(inspect.signature(value))
    except (TypeError, ValueError):
        return "(...)"


def _members(cls: type) -> dict[str, str]:
    """The public methods and properties a class defines or inherits from painread's classes."""
    found: dict[str, str] = {}
    for name, value in inspect.getmembers(cls):
        if name.startswith("_") and name not in ("__init__", "__html__", "__iter__"):
            continue
        owner = next((c for c in cls.__mro__ if name in vars(c)), None)
        if owner is None or not owner.__module__.startswith("painread"):
            continue
        if isinstance(value, property):
            found[name] = "property"
        elif callable(value):
            found[name] = _signature(value)
    return found


def describe(name: str) -> dict[str, Any]:
    """What a host can rely on about one public name."""
    value = getattr(painread, name)
    if name == "__version__":
        return {"kind": "str"}
    if isinstance(value, tuple):
        return {"kind": "tuple", "value": list(value)}
    if not inspect.isclass(value):
        return {"kind": "function", "signature": _signature(value)}
    shown: dict[str, Any] = {
        "kind": "class",
        "bases": [base.__qualname__ for base in value.__bases__],
        "members": _members(value),
    }
    if issubclass(value, enum.Enum):
        shown["values"] = [member.value for member in value]
    if issubclass(value, BaseModel):
        shown["fields"] = {
            field: str(info.annotation) for field, info in value.model_fields.items()
        }
    return shown


def current() -> dict[str, Any]:
    """The API as the installed package has it now."""
    return {name: describe(name) for name in sorted(painread.__all__)}


def test_the_public_api_matches_the_snapshot() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    now = current()
    changed = sorted(name for name in {*expected, *now} if expected.get(name) != now.get(name))
    assert not changed, (
        f"the public API changed: {changed}. If intended, rewrite the snapshot with "
        f"`{UPDATE}`, commit tests/data/public_api.json and note the change in CHANGELOG.md"
    )


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
