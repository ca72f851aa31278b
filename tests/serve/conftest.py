"""A real server for the HTTP tests: ``eligibility serve`` in a child process, on a free
loopback port, stopped with SIGTERM as a service manager stops it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT

#: How long a server may take to start (imports, rules, the Rete networks) on a busy machine.
START_SECONDS = 60


@dataclass
class Server:
    """A running ``eligibility serve``: its address, audit store, process and log file."""

    url: str
    store: str
    process: subprocess.Popen[bytes]
    log: Path

    def client(self, **kwargs: object) -> httpx.Client:
        """An HTTP client for this server."""
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)  # type: ignore[arg-type]

    def stop(self) -> int:
        """Stop it as a service manager does (SIGTERM); return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(home: Path, *options: str, store: str | None = None) -> Server:
    """Start ``eligibility serve`` with ``options``; return once it answers /healthz."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    store = store or str(home / "audit.sqlite")
    log = home / "server.log"
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    env.pop("ELIGIBILITY_STORE", None)
    command = [sys.executable, "-m", "eligibility", "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--store", store, *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
    server = Server(f"http://127.0.0.1:{port}", store, process, log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"the server did not start: {log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per test module (one worker, a SQLite audit store of its own)."""
    running = start_server(tmp_path_factory.mktemp("serve"))
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    """A client of the shared server."""
    with server.client() as c:
        yield c
