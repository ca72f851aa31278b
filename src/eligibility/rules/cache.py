"""A disk cache of compiled durable networks, keyed by what determines them.

Compiling the catalogue's networks takes tens of milliseconds, a sizeable part of a CLI
call's start-up. The networks are a pure function of the ruleset's content and of the
compiler's code, so they are kept under a key hashing both, in the user's cache directory
(``$XDG_CACHE_HOME/eligibility``, or ``ELIGIBILITY_CACHE``; ``ELIGIBILITY_CACHE=off``
disables it). A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from eligibility.rules import compiler, logic
from eligibility.rules.loader import RuleSet


def cache_dir() -> Path | None:
    """Where compiled networks are kept, or None when caching is off."""
    configured = os.environ.get("ELIGIBILITY_CACHE")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eligibility"


def _code_hash() -> str:
    digest = hashlib.sha256()
    for module in (compiler, logic):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def cache_key(ruleset: RuleSet) -> str:
    """The key of a ruleset's compiled networks: its content hash and the compiler's code."""
    return hashlib.sha256(f"{ruleset.hash}|{_code_hash()}".encode()).hexdigest()[:32]


def compiled_networks(ruleset: RuleSet) -> list[dict[str, Any]]:
    """:func:`compiler.compile_networks`, read from the cache when it holds them."""
    directory = cache_dir()
    if directory is None:
        return compiler.compile_networks(ruleset)
    path = directory / f"networks-{cache_key(ruleset)}.json"
    try:
        cached: list[dict[str, Any]] = orjson.loads(path.read_bytes())
        return cached
    except (OSError, orjson.JSONDecodeError):
        pass  # absent or unreadable: compile
    networks = compiler.compile_networks(ruleset)
    with contextlib.suppress(OSError):  # a read-only home: no cache, no harm
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".networks-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(orjson.dumps(networks))
            Path(tmp).replace(path)  # atomic: a concurrent reader sees all of it or nothing
        finally:
            Path(tmp).unlink(missing_ok=True)
    return networks
