"""Headless Chromium for the browser tests: where it is and how it is started."""

from __future__ import annotations

import os
import shutil

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
"""Flags for a root user on a machine whose only network is loopback."""


def chromium() -> str:
    """Chromium's path; a skip outside CI when it is absent, a failure in CI."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI is set but Chromium is missing: .ci/run must install Debian's chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium); CI requires it")
