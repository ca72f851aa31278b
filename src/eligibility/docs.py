"""``rules docs``: the catalogue as Markdown, with a Mermaid diagram per journey.

One page, ``docs/catalogue.md``: per journey its description, actors, sources, variants
and prerequisites; a diagram of what decides its status, variant, prerequisites and steps
(profile fields and derived facts, into rules, into outcomes); its steps in guided-tour
order; and every rule with its condition in words, its conclusion, source and confidence.
The page is a pure function of the rule set (no date, no path), so a test can tell when
the checked-in copy is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from eligibility.rules.loader import RuleSet, journey_rules
from eligibility.rules.model import (
    AllOf,
    AnyOf,
    Condition,
    FactTest,
    FieldTest,
    Journey,
    NotOf,
    Rule,
    Source,
)

CATALOGUE_FILE = "catalogue.md"


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"`{v}`"


def condition_words(cond: Condition | None) -> str:
    """A condition as a sentence fragment: ``processes_health_data is true and ...``."""
    if cond is None:
        return "always"
    if isinstance(cond, FieldTest):
        name, op, arg = f"`{cond.field}`", cond.operator, cond.operand
        if op == "is":
            return f"{name} is {_value(arg)}"
        if op == "in":
            return f"{name} is one of {', '.join(_value(a) for a in arg)}"
        if op == "contains":
            return f"{name} contains {_value(arg)}"
        if op == "contains_any":
            return f"{name} contains any of {', '.join(_value(a) for a in arg)}"
        if op == "is_empty":
            return f"{name} is {'empty' if arg else 'not empty'}"
        return f"{name} is at {'least' if op == 'gte' else 'most'} {arg}"
    if isinstance(cond, FactTest):
        return f"fact `{cond.fact}` {'holds' if cond.is_ else 'does not hold'}"
    if isinstance(cond, NotOf):
        return f"not ({condition_words(cond.not_)})"
    parts = cond.all if isinstance(cond, AllOf) else cond.any
    joiner = " **and** " if isinstance(cond, AllOf) else " **or** "
    words = [condition_words(c) for c in parts]
    return joiner.join(
        f"({w})" if isinstance(c, AllOf | AnyOf) else w for w, c in zip(words, parts, strict=True)
    )


def conclusion_words(rule: Rule) -> str:
    """What a rule concludes, in words."""
    t = rule.then
    if t.fact:
        return f"fact `{t.fact}` holds"
    parts = [d.replace(": ", " → ", 1) for d in t.describe() if not d.endswith(": advice")]
    if t.advice:
        parts.append(f"advice on {', '.join(f'`{s}`' for s in t.steps)}: “{t.advice.strip()}”")
    return "; ".join(parts)


def _source(s: Source) -> str:
    ref = f"<{s.ref}>" if s.ref.startswith("http") else s.ref
    note = f"; {s.note}" if s.note else ""
    return f"{ref} ({s.confidence.value}{note})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _node(prefix: str, key: str) -> str:
    return prefix + re.sub(r"[^A-Za-z0-9]", "_", key)


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def mermaid(ruleset: RuleSet, journey: Journey) -> str:
    """A flowchart of what decides a journey: fields and facts → rules → outcomes."""
    lines = ["flowchart LR"]
    declared: set[str] = set()

    def node(name: str, shape: str) -> str:
        if name not in declared:
            declared.add(name)
            lines.append(f"  {name}{shape}")
        return name

    step_title = {s.id: s.title for s in journey.steps}
    for rid in journey_rules(ruleset, journey.id):
        rule = ruleset.rule_by_id[rid]
        r = node(_node("r_", rid), f"[{_label(rid)}]")
        for name in ruleset.fields_of(rid):
            lines.append(f"  {node(_node('f_', name), f'([{_label(name)}])')} --> {r}")
        for fact in ruleset.facts_of(rid):
            lines.append(f"  {node(_node('k_', fact), '{{' + _label(fact) + '}}')} --> {r}")
        t = rule.then
        if t.fact:
            lines.append(f"  {r} --> {node(_node('k_', t.fact), '{{' + _label(t.fact) + '}}')}")
        elif t.journey:
            if t.status:
                j = node(_node("j_", t.journey), f"[[{_label(journey.title)}]]")
                lines.append(f"  {r} -->|{t.status}| {j}")
            if t.variant:
                v = node(_node("v_", t.variant), f"[/{_label('variant ' + t.variant)}/]")
                lines.append(f"  {r} --> {v}")
        elif t.prerequisite:
            p = node(_node("p_", t.prerequisite), f"[/{_label(t.prerequisite)}/]")
            lines.append(f"  {r} -->|{'met' if t.met else 'not met'}| {p}")
        for step in t.steps:
            s = node(_node("s_", step), f"[{_label(step_title[step])}]")
            lines.append(f"  {r} -->|{t.status or 'advice'}| {s}")
    return "\n".join(lines)


def render_catalogue(ruleset: RuleSet) -> str:
    """The catalogue page (Markdown with Mermaid blocks)."""
    out = [
        f"# Rules catalogue: {ruleset.name} {ruleset.version}",
        "",
        "<!-- Generated by `eligibility rules docs` (make docs) from rules/: do not edit. -->",
        "",
        f"Rules hash: `{ruleset.hash}`. {len(ruleset.journeys)} journeys, "
        f"{len(ruleset.rules)} rules. For every outcome the first rule (in the order below) "
        "whose condition holds wins; when none holds, a journey does not apply, a step is "
        "to do (or optional), a prerequisite is not met. An unknown answer leaves what "
        "depends on it undetermined.",
        "",
    ]
    out += [f"- [{j.title}](#{j.id})" for j in ruleset.journeys]
    for j in ruleset.journeys:
        out += [
            "",
            f'<a id="{j.id}"></a>',
            "",
            f"## {j.title} (`{j.id}`)",
            "",
            j.description,
            "",
            f"**Actors:** {', '.join(j.actors)}",
            "",
            "**Sources:**",
            "",
        ]
        out += [f"- {_source(s)}" for s in j.sources]
        if j.variants:
            out += ["", "**Variants:** " + "; ".join(f"`{v.id}`: {v.title}" for v in j.variants)]
        if j.prerequisites:
            out += [
                "",
                "**Prerequisites:** " + "; ".join(f"`{p.id}`: {p.title}" for p in j.prerequisites),
            ]
        out += [
            "",
            "### What decides it",
            "",
            "```mermaid",
            mermaid(ruleset, j),
            "```",
            "",
            "### Steps",
            "",
            "| # | step | actors | sources |",
            "|---|---|---|---|",
        ]
        for n, s in enumerate(j.steps, start=1):
            optional = " *(optional)*" if s.optional else ""
            sources = "<br>".join(_source(src) for src in s.sources)
            out.append(
                f"| {n} | **{s.title}**{optional} (`{s.id}`): {s.description} | "
                f"{', '.join(s.actors)} | {sources} |"
            )
        out += ["", "### Rules"]
        for rid in journey_rules(ruleset, j.id):
            rule = ruleset.rule_by_id[rid]
            out += [
                "",
                f"#### `{rid}`",
                "",
                rule.text.strip(),
                "",
                f"- **When:** {condition_words(rule.when)}",
                f"- **Then:** {conclusion_words(rule)}",
                f"- **Source:** {_source(Source(ref=rule.source, confidence=rule.confidence))}"
                f" (in `{ruleset.rule_files[rid]}`)",
            ]
            if rule.note:
                out.append(f"- **Note:** {rule.note.strip()}")
    return "\n".join(out) + "\n"


def render_docs(ruleset: RuleSet) -> dict[str, str]:
    """Every generated documentation file, by name."""
    return {CATALOGUE_FILE: render_catalogue(ruleset)}


def stale_docs(ruleset: RuleSet, directory: str | Path) -> list[str]:
    """The generated files missing from ``directory`` or differing from what the rules give."""
    root = Path(directory)
    out = []
    for name, text in render_docs(ruleset).items():
        path = root / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out.append(str(path))
    return out


def write_docs(ruleset: RuleSet, directory: str | Path) -> list[str]:
    """Write the generated files into ``directory``; return their paths."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_docs(ruleset).items():
        (root / name).write_text(text, encoding="utf-8")
        written.append(str(root / name))
    return written
