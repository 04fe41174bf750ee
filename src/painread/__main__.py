"""``python -m painread``: the same as the ``painread`` command."""

from __future__ import annotations

import sys

from painread.cli import main

if __name__ == "__main__":
    sys.exit(main())
