"""Tests that drive a real browser (Chromium, through Playwright) against the live server."""

import os
from pathlib import Path

DEBIAN_CHROMIUM = "/usr/bin/chromium"


def chromium_path():
    """Chromium's executable (``NADZOR_CHROMIUM``, else Debian's), or None if it is absent."""
    path = Path(os.environ.get("NADZOR_CHROMIUM") or DEBIAN_CHROMIUM)
    return path if path.is_file() and os.access(path, os.X_OK) else None


SKIP_REASON = (
    "needs Chromium: install Debian's chromium package (apt-get install chromium) or set "
    "NADZOR_CHROMIUM=/path/to/chromium; Playwright never downloads a browser here"
)
