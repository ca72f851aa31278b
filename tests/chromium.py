"""Headless Chromium as the browser tests and ``benchmarks/report.py`` run it."""

from __future__ import annotations

#: Flags that work as root in a container: no sandbox, no GPU, nothing fetched from outside.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
