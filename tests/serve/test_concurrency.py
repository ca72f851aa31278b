"""Many clients at once against two server processes: every decision answered, every one
recorded, and the audit chain they all append to still verifies."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from eligibility.audit.backend import open_store
from eligibility.audit.verify import verify
from tests.conftest import PROFILES
from tests.serve.conftest import Server, start_server

CLIENTS = 8
DECISIONS = 200


@pytest.fixture
def two_workers(tmp_path: Path, store_url: str) -> Iterator[Server]:
    """A server of two worker processes recording into ``store_url``."""
    running = start_server(tmp_path / "serve", "--workers", "2", store=store_url)
    yield running
    assert running.stop() == 0


def _server_processes(server: Server) -> set[str]:
    """The worker processes the server's log says have started, waiting up to a minute
    for the last to start."""
    deadline = time.monotonic() + 60
    while True:
        started = re.findall(r"Started server process \[(\d+)\]", server.log.read_text())
        if len(set(started)) >= 2 or time.monotonic() > deadline:
            return set(started)
        time.sleep(0.2)


def _decide(server: Server, bodies: list[bytes]) -> list[int]:
    with server.client(headers={"Content-Type": "application/yaml"}) as client:
        return [
            client.post("/v1/decisions?record=true&trace=false", content=body).status_code
            for body in bodies
        ]


def test_concurrent_decisions_are_all_answered_and_the_chain_verifies(
    two_workers: Server,
) -> None:
    """200 recorded decisions from 8 clients at once, served by two processes: 200 answers
    201, 200 records, and `audit verify` finds the chain whole."""
    assert len(_server_processes(two_workers)) == 2
    bodies = [PROFILES[i % len(PROFILES)].read_bytes() for i in range(DECISIONS)]
    shares = [bodies[i::CLIENTS] for i in range(CLIENTS)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [
            s for share in pool.map(_decide, [two_workers] * CLIENTS, shares) for s in share
        ]
    assert statuses == [201] * DECISIONS
    with two_workers.client() as client:
        listed = client.get("/v1/audit/records", params={"limit": 1000}).json()["records"]
    assert len(listed) == DECISIONS
    with open_store(two_workers.store) as store:
        result = verify(store)
    assert result.problem is None
    assert result.records == DECISIONS
