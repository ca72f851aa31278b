"""How fast ``eligibility serve`` answers: decisions per second over HTTP with 1 and 2
server processes, their p50/p99 latency, beside the in-process rate; and the latency of the
questionnaire's next question over HTTP (target: p99 under 50 ms).

Each server is a real ``eligibility serve`` (access log on, as served) on a free loopback
port. Decisions: CLIENTS client threads post the shipped fixture profiles, in turn, for
DURATION seconds; the in-process rate is ``Evaluator.evaluate`` plus the JSON rendering,
in a loop, in this process. Next question: one client replays every fixture's answers
(unknown fields answered "don't know") through ``POST /v1/questionnaire/next``, timing each
question. The clients run on the same machine as the server, and share its cores.

    .venv/bin/python benchmarks/serve.py [--duration S] [--clients N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

from eligibility.decision.evaluator import Evaluator
from eligibility.profile.files import read_profile
from eligibility.render import render

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted((ROOT / "fixtures" / "profiles").glob("*.yaml"))


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of some values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def start(workers: int, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start a server; return it and its address once it answers."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    log = (home / f"server-{workers}.log").open("wb")
    command = [sys.executable, "-m", "eligibility", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)], stdout=log, stderr=log, env=env
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the server with {workers} workers did not start")


def load(url: str, query: str, clients: int, duration: float) -> tuple[int, list[float]]:
    """Post profiles from ``clients`` threads for ``duration`` s: count and latencies."""
    bodies = [p.read_bytes() for p in PROFILES]
    stop = time.perf_counter() + duration

    def client(first: int) -> list[float]:
        times: list[float] = []
        with httpx.Client(base_url=url, headers={"Content-Type": "application/yaml"}) as c:
            i = first
            while time.perf_counter() < stop:
                t = time.perf_counter()
                response = c.post(f"/v1/decisions{query}", content=bodies[i % len(bodies)])
                times.append(time.perf_counter() - t)
                assert response.status_code == 200, response.text
                i += 1
        return times

    with ThreadPoolExecutor(clients) as pool:
        latencies = [t for ts in pool.map(client, range(clients)) for t in ts]
    return len(latencies), latencies


def in_process(duration: float, trace: bool) -> float:
    """Decisions per second in this process: evaluate, then render as JSON."""
    evaluator = Evaluator()
    profiles = [read_profile(str(p)) for p in PROFILES]
    count = 0
    stop = time.perf_counter() + duration
    while time.perf_counter() < stop:
        render(evaluator.evaluate(profiles[count % len(profiles)], with_trace=trace), "json")
        count += 1
    return count / duration


def next_questions(url: str) -> list[float]:
    """Replay every fixture through the questionnaire over HTTP; time each question."""
    times: list[float] = []
    with httpx.Client(base_url=url) as c:
        for path in PROFILES:
            target: dict[str, Any] = yaml.safe_load(path.read_text())
            answers: dict[str, Any] = {"id": target["id"]}
            while True:
                t = time.perf_counter()
                response = c.post("/v1/questionnaire/next", json=answers)
                times.append(time.perf_counter() - t)
                assert response.status_code == 200, response.text
                question = response.json()["question"]
                if question is None:
                    break
                answers.update((f, target.get(f)) for f in question["fields"])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measure")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}")
    print(f"{len(PROFILES)} fixture profiles, {args.clients} clients, {args.duration:.0f} s each")
    print()
    print("| where | trace | decisions/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for trace in (False, True):
        rate = in_process(args.duration, trace)
        print(f"| in process | {'yes' if trace else 'no'} | {rate:,.0f} | | |")
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            process, url = start(workers, Path(tmp))
            try:
                for trace in (False, True):
                    query = "" if trace else "?trace=false"
                    load(url, query, args.clients, 1.0)  # warm up every worker
                    count, latencies = load(url, query, args.clients, args.duration)
                    print(
                        f"| HTTP, {workers} worker{'s' if workers > 1 else ''} "
                        f"| {'yes' if trace else 'no'} | {count / args.duration:,.0f} "
                        f"| {percentile(latencies, 50) * 1000:.1f} "
                        f"| {percentile(latencies, 99) * 1000:.1f} |"
                    )
                if workers == 1:
                    times = next_questions(url)
            finally:
                process.terminate()
                process.wait()
    print()
    print(
        f"next question over HTTP (1 worker, one client): {len(times)} questions, "
        f"p50 {percentile(times, 50) * 1000:.1f} ms, p99 {percentile(times, 99) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
