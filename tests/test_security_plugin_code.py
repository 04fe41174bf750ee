"""A plugin's own code can fail any way it likes, and cannot vouch for itself.

``SystemExit`` (and any other exception) from a plugin's entry point or from its
Traversable's methods skips that plugin with one warning; ``KeyboardInterrupt``
is the user's and propagates, and nothing about it is remembered, so the next
call tries again. A plugin that registers its own directory with
``add_translations`` while it is being loaded does not get its
``X-Painread-Reviewed: yes`` honoured.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import painread
from tests.i18n_helpers import FakeEntryPoint, registry, use_plugins, whole, write_po
from tests.test_security_plugins import HostileTraversable
from tests.test_security_translations import caught

__all__ = ["registry"]

UNREVIEWED = "translation-unreviewed"


class ExitingTraversable(HostileTraversable):
    """A plugin directory whose catalog read calls ``sys.exit``."""

    def iterdir(self) -> Iterator[ExitingTraversable]:
        yield ExitingTraversable("pt", self.fail)

    def joinpath(self, *parts: str) -> ExitingTraversable:
        return ExitingTraversable(parts[-1], self.fail)

    def is_file(self) -> bool:
        return self.name.endswith(".po")

    def read_bytes(self) -> bytes:
        raise SystemExit(3)

    def open(self, mode: str = "rb") -> Any:
        raise SystemExit(3)


@pytest.mark.parametrize(
    "failure", [SystemExit(2), SystemExit("bye"), GeneratorExit(), RecursionError("deep")]
)
def test_a_plugin_exiting_is_skipped_with_one_warning(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    write_po(tmp_path, "fi", whole("fi"))

    def exits() -> Path:
        raise failure

    use_plugins(
        monkeypatch,
        FakeEntryPoint("a-exits", exits),
        FakeEntryPoint("b-exits-reading", lambda: ExitingTraversable(fail="")),
        FakeEntryPoint("c-good", lambda: tmp_path),
    )

    (finnish, portuguese), seen = caught(lambda: (painread.load("fi"), painread.load("pt")))

    assert finnish.locale == "fi"
    assert portuguese.locale == "en"
    assert len([m for m in seen if "a-exits" in m]) == 1
    assert any(type(failure).__name__ in m for m in seen)
    assert len([m for m in seen if "cannot read: SystemExit: 3" in m]) == 1, seen


def test_keyboard_interrupt_propagates_and_the_next_call_tries_again(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "fi", whole("fi"))
    interrupted = [True]

    def plugin() -> Path:
        if interrupted[0]:
            interrupted[0] = False
            raise KeyboardInterrupt
        return tmp_path

    use_plugins(monkeypatch, FakeEntryPoint("ctrl-c", plugin))

    with pytest.raises(KeyboardInterrupt):
        painread.load("fi")
    article, seen = caught(lambda: painread.load("fi"))

    assert article.locale == "fi"
    assert seen == []


def test_a_plugin_cannot_register_itself_to_be_trusted(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "fi", whole("fi"), reviewed="yes")

    def sneaky() -> Path:
        painread.add_translations(tmp_path)
        return tmp_path

    use_plugins(monkeypatch, FakeEntryPoint("sneaky", sneaky))

    (article, info), seen = caught(lambda: (painread.load("fi"), painread.locale_info("fi")))

    assert article.locale == "fi"
    assert info.reviewed is False
    assert article.notices[-1].id == UNREVIEWED
    assert info.origin == "plugin:sneaky"
    assert any("sneaky" in message and "add_translations" in message for message in seen), seen


def test_a_host_registration_of_the_same_directory_is_still_trusted(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path, "fi", whole("fi"), reviewed="yes")
    use_plugins(monkeypatch, FakeEntryPoint("plain", lambda: tmp_path))
    painread.add_translations(tmp_path)

    info, _ = caught(lambda: painread.locale_info("fi"))

    assert info.reviewed is True
