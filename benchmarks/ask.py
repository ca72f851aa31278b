"""How many questions the questionnaire asks, how many hindsight shows were wasted, and how
long choosing each question takes.

Every persona of ``fixtures/personas/`` (a complete answer set; ``null`` is "don't know")
answers the questionnaire from a fresh session (cold caches: one session as a user would
run it), timing every choice of the next question: the time between an answer and the
next question. For each persona it prints the questions asked, the answers they gave
(fields settled), the questions hindsight shows were wasted (removing their answers from
the final answers changes no outcome), and the fewest questions whose answers alone fix
the same decision (:mod:`eligibility.questionnaire.hindsight`); then the targets and p50/p99/max of
the time from an answer to the next question (wall clock and CPU), and apart from them
the time to the first question, which comes at start-up with nothing answered.

    .venv/bin/python benchmarks/ask.py [--repeat N] [--markdown]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from eligibility.decision.evaluator import Evaluator
from eligibility.profile.files import read_document
from eligibility.questionnaire.hindsight import Hindsight, hindsight, outcomes_with
from eligibility.questionnaire.questions import load_questions
from eligibility.questionnaire.session import Session, open_session, typed_answers
from eligibility.rules.loader import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "fixtures" / "personas"


def timed_replay(session: Session, data: dict[str, Any]) -> tuple[list[float], list[float]]:
    """Answer from ``data`` as :func:`questionnaire.session.replay` does, timing every choice.

    CPU time is reported too because on a shared machine the wall time also counts the
    time the process waited for a core.
    """
    wall: list[float] = []
    cpu: list[float] = []
    while True:
        start, start_cpu = time.perf_counter(), time.process_time()
        nxt = session.next_prompt()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if nxt is None:
            return wall, cpu
        prompt, _ = nxt
        session.answer(prompt, typed_answers(session.questions, prompt, data))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def label(question: tuple[str, ...]) -> str:
    """A question as the table names it: its first field, and how many more it settled."""
    return question[0] + (f" (+{len(question) - 1})" if len(question) > 1 else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="sessions per persona (timing)")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    args = parser.parse_args()
    ruleset = load_ruleset(ROOT / "rules")
    questions = load_questions(ROOT / "rules")
    outcomes = outcomes_with(Evaluator(ruleset, "python"))

    rows: list[tuple[str, bool, Session, Hindsight]] = []
    all_wall: list[float] = []
    all_cpu: list[float] = []
    first_wall: list[float] = []
    for path in sorted(PERSONAS.glob("*.yaml")):
        data, _ = read_document(str(path))
        assert isinstance(data, dict)
        session = open_session(ruleset, questions)[0]
        for _ in range(args.repeat):
            session = open_session(ruleset, questions)[0]
            wall, cpu = timed_replay(session, data)
            first_wall.append(wall[0])
            all_wall += wall[1:]
            all_cpu += cpu[1:]
        judged = hindsight(outcomes, session.answers, session.questions_asked())
        unsure = any(v is None for v in data.values())
        rows.append((path.stem, unsure, session, judged))

    if args.markdown:
        print("| persona | questions | answers | wasted | fewest | asked / fewest | which |")
        print("|---|---|---|---|---|---|---|")
    else:
        print(f"{'persona':<26} {'questions':>9} {'answers':>7} {'wasted':>6} {'fewest':>6}  ratio")
    for name, unsure, session, judged in rows:
        shown = name + (" (don't know)" if unsure else "")
        wasted = ", ".join(label(p) for p in judged.wasted)
        counts = (len(judged.asked), len(session.answers), len(judged.wasted), judged.fewest)
        if args.markdown:
            cells = [shown, *map(str, counts), f"{judged.ratio:.2f}", wasted]
            print("| " + " | ".join(cells) + " |")
        else:
            a, n, w, f = counts
            print(f"{shown:<26} {a:>9} {n:>7} {w:>6} {f:>6}  {judged.ratio:.2f}  {wasted}")
    sure = [judged for _, unsure, _, judged in rows if not unsure]
    print()
    print(
        f'wasted questions, personas without "don\'t know": '
        f"{sum(len(j.wasted) for j in sure)} over {len(sure)} personas"
    )
    mean = statistics.mean(j.ratio for _, _, _, j in rows)
    print(f"asked / fewest, mean over all {len(rows)} personas: {mean:.3f}")
    for name, values in (("wall", all_wall), ("cpu", all_cpu)):
        ms = [t * 1000 for t in values]
        print(
            f"time from an answer to the next question ({name}) over {len(ms)} answers: "
            f"p50 {statistics.median(ms):.2f} ms, p99 {percentile(ms, 99):.2f} ms, "
            f"max {max(ms):.2f} ms"
        )
    ms = [t * 1000 for t in first_wall]
    print(
        f"first question, at start-up (wall) over {len(ms)} sessions: "
        f"p50 {statistics.median(ms):.2f} ms, max {max(ms):.2f} ms"
    )


if __name__ == "__main__":
    main()
