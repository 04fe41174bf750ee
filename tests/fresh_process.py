"""Run a snippet in a new interpreter, for what only a cold process can show (its imports)."""

from __future__ import annotations

import json
import subprocess
import sys

_REPORT = "import json as _j, sys as _s; print(_j.dumps(sorted(_s.modules)))"


def run_fresh(code: str) -> tuple[str, frozenset[str]]:
    """What ``code`` printed, and every module imported by the time it finished."""
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\n{_REPORT}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    *printed, modules = result.stdout.strip().splitlines()
    return "\n".join(printed), frozenset(json.loads(modules))
