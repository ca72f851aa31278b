"""How fast ``eligibility serve`` answers: decisions per second over HTTP with 1 and 2
server processes, their p50/p99 latency, beside the in-process rate; and the latency of the
questionnaire's next question over HTTP, through the API and through the web pages
(target: p99 under 50 ms).

Each server is a real ``eligibility serve`` (access log on, as served) on a free loopback
port. Decisions: CLIENTS client threads post the shipped fixture profiles, in turn, for
DURATION seconds; the in-process rate is ``Evaluator.evaluate`` plus the JSON rendering,
in a loop, in this process. Next question: one client answers the questionnaire for every
fixture as ``ask``'s user would type the fixture's answers (unknown fields answered "don't
know"), once through ``POST /v1/questionnaire/next`` and once through the web pages
(``POST /ask``, each page up to the decision's), each on a server started afresh, timing
each question. The clients run on the same machine as the server, and share its cores.

    .venv/bin/python benchmarks/serve.py [--duration S] [--clients N] [--questionnaire-only]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
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
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import Prompt, load_questions
from eligibility.questionnaire.session import typed_answers
from eligibility.questionnaire.step import Asked, prompt_of
from eligibility.render import render

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted((ROOT / "fixtures" / "profiles").glob("*.yaml"))
QUESTIONS = load_questions(ROOT / "rules")


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


def next_questions(url: str) -> tuple[list[float], int]:
    """Replay every fixture through ``POST /v1/questionnaire/next`` as a client that
    answers the whole question as ``ask``'s user types it (``combined``: a question may
    settle several fields; checklist items left unticked that record nothing are sent back
    in ``declined``); time each question. Returns the times and the number of fields the
    answers settled."""
    times: list[float] = []
    settled = 0
    with httpx.Client(base_url=url) as c:
        for path in PROFILES:
            target: dict[str, Any] = yaml.safe_load(path.read_text())
            answers: dict[str, Any] = {"id": target["id"]}
            declined: list[str] = []
            while True:
                t = time.perf_counter()
                response = c.post(
                    "/v1/questionnaire/next", json=answers, params={"declined": declined}
                )
                times.append(time.perf_counter() - t)
                assert response.status_code == 200, response.text
                question = response.json()["question"]
                if question is None:
                    break
                prompt = Asked.model_validate(question).prompt()  # the combined question
                given = typed_answers(QUESTIONS, prompt, target)
                answers.update(given)
                settled += len(given)
                if prompt.checklist is not None:
                    declined += [f for f in prompt.ticks if f not in given]
    return times, settled


def _hidden(page: str) -> dict[str, str]:
    """A question page's hidden fields (its state and the question's key)."""
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)
    }


def _form_answer(prompt: Prompt, values: dict[str, Any]) -> dict[str, Any]:
    """The form a person sends to give ``values`` (what ``ask`` records from their typing)."""
    if prompt.main is not None and values.get(prompt.main, ...) is None:
        return {"action": "dontknow"}
    form: dict[str, Any] = {"action": "answer", "value": [], "tick": [], "unsure": []}
    if prompt.main is not None and prompt.main in values:
        value = values[prompt.main]
        kind = FIELDS[prompt.main].kind
        form["value"] = (
            value if kind == "list" else [json.dumps(value) if kind == "bool" else value]
        )
    for t in prompt.ticks:
        if t in values and values[t] is None:
            form["unsure"].append(t)
        elif t in values and values[t] == QUESTIONS.tick_value(t):
            form["tick"].append(t)
    return form


def web_steps(url: str) -> list[float]:
    """Replay every fixture through the web questionnaire's pages (``POST /ask``), as a
    browser sends each answer; time each page up to the decision's."""
    times: list[float] = []
    with httpx.Client(base_url=url) as c:
        for path in PROFILES:
            target: dict[str, Any] = yaml.safe_load(path.read_text())
            form: dict[str, Any] = {"action": "start", "id": target["id"], "lang": "en"}
            while True:
                t = time.perf_counter()
                response = c.post("/ask", data=form)
                times.append(time.perf_counter() - t)
                assert response.status_code == 200, response.text
                state = _hidden(response.text)
                prompt = prompt_of(QUESTIONS, state.get("prompt", ""))
                if prompt is None:
                    break
                values = typed_answers(QUESTIONS, prompt, target)
                form = {**state, **_form_answer(prompt, values)}
    return times


def decisions(duration: float, clients: int, home: Path) -> None:
    """The table of decisions per second and their latency."""
    print("| where | trace | decisions/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for trace in (False, True):
        rate = in_process(duration, trace)
        print(f"| in process | {'yes' if trace else 'no'} | {rate:,.0f} | | |")
    for workers in (1, 2):
        process, url = start(workers, home)
        try:
            for trace in (False, True):
                query = "" if trace else "?trace=false"
                load(url, query, clients, 1.0)  # warm up every worker
                count, latencies = load(url, query, clients, duration)
                print(
                    f"| HTTP, {workers} worker{'s' if workers > 1 else ''} "
                    f"| {'yes' if trace else 'no'} | {count / duration:,.0f} "
                    f"| {percentile(latencies, 50) * 1000:.1f} "
                    f"| {percentile(latencies, 99) * 1000:.1f} |"
                )
        finally:
            process.terminate()
            process.wait()


def questionnaire(home: Path) -> None:
    """The time to the next question, through the API then the pages, each on a server of
    its own started afresh (its questionnaire caches cold, as after a start)."""
    for name in ("API", "pages"):
        process, url = start(1, home)
        try:
            if name == "API":
                times, settled = next_questions(url)
                what = f"{len(times)} questions ({settled} fields settled)"
            else:
                times = web_steps(url)
                what = f"{len(times)} pages"
        finally:
            process.terminate()
            process.wait()
        print(
            f"next question, {name} (1 worker, one client): {what}, "
            f"p50 {percentile(times, 50) * 1000:.1f} ms, "
            f"p99 {percentile(times, 99) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measure")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument(
        "--questionnaire-only", action="store_true", help="only the next question's latency"
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.questionnaire_only:
            clients, duration = args.clients, args.duration
            print(f"{len(PROFILES)} fixture profiles, {clients} clients, {duration:.0f} s each")
            print()
            decisions(args.duration, args.clients, Path(tmp))
            print()
        questionnaire(Path(tmp))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
