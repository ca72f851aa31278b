"""Text for the ``audit`` commands: record lists, a record, replays, summaries, verification.

A recorded decision is rebuilt into the one result model (:class:`Decision`) so that
``audit show`` renders it with the same renderers as ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from eligibility.audit.diff import Change
from eligibility.audit.record import AuditRecord
from eligibility.audit.replay import Replay, ReplaySummary
from eligibility.audit.verify import Verification
from eligibility.decision import decision_from_dict
from eligibility.render import RENDERERS


def _applies(record: AuditRecord) -> str:
    statuses = record.journey_status()
    applies = [j for j, s in statuses.items() if s == "applies"]
    open_ = [j for j, s in statuses.items() if s == "undetermined"]
    text = "applies: " + (", ".join(applies) or "none")
    return text + (f"; undetermined: {', '.join(open_)}" if open_ else "")


def render_list(records: Iterable[AuditRecord]) -> str:
    """One line per record: position, time, id, product, rules version, what applies."""
    lines = [
        f"#{r.seq:<5} {r.recorded_at}  {r.decision_id[:12]}  {r.profile_id}  "
        f"rules {r.content['ruleset']['version']}  {_applies(r)}"
        + (f"  [{', '.join(f'{k}={v}' for k, v in r.labels.items())}]" if r.labels else "")
        for r in records
    ]
    return "\n".join(lines) + "\n" if lines else "No records.\n"


def _metadata(record: AuditRecord) -> list[tuple[str, str]]:
    c = record.content
    rs = c["ruleset"]
    return [
        ("Record", f"#{record.seq}"),
        ("Decision id", record.decision_id),
        ("Recorded at", record.recorded_at),
        ("Rules", f"{rs['name']} {rs['version']} ({rs['hash']})"),
        (
            "Tool",
            f"eligibility {c['tool_version']}, durable-rules {c['durable_version']}, "
            f"engine {c['engine']}",
        ),
        ("Actor", c["actor"] or "-"),
        ("Labels", ", ".join(f"{k}={v}" for k, v in record.labels.items()) or "-"),
        ("Masked", ", ".join(record.masked) or "-"),
        ("Hash", record.hash),
        ("Previous", record.prev_hash),
    ]


def render_show(record: AuditRecord, fmt: str = "text") -> str:
    """A record: its metadata, then the decision as ``evaluate`` renders it in ``fmt``."""
    if fmt == "json":
        return orjson.dumps(record.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"
    decision = RENDERERS[fmt](decision_from_dict(record.content["decision"]))
    if fmt == "markdown":
        head = "\n".join(f"- **{k}**: `{v}`" for k, v in _metadata(record))
        return f"## Audit record #{record.seq}\n\n{head}\n\n{decision}"
    head = "\n".join(f"{k + ':':<13}{v}" for k, v in _metadata(record))
    return f"{head}\n\n{decision}"


def _change_lines(changes: Iterable[Change], indent: str = "  ") -> list[str]:
    out = []
    for c in changes:
        what = "missing answers" if c.kind == "missing" else f"{c.kind} {c.target}"
        out.append(f"{indent}{what}: {c.before_text} -> {c.after_text}")
        if c.rules_before or c.rules_after:
            out.append(f"{indent}    was decided by: {', '.join(c.rules_before) or '-'}")
            out.append(f"{indent}    now decided by: {', '.join(c.rules_after) or '-'}")
    return out


def render_replay(result: Replay) -> str:
    """The two replays of a record: exact under its rules; same or changed under others."""
    r = result.record
    rs = r.content["ruleset"]
    out = [f"Record #{r.seq} (decision {r.decision_id[:12]}, {r.profile_id})"]
    if result.recorded_identical:
        out.append(f"Under its recorded rules ({rs['version']}, {rs['hash'][:19]}): identical")
    else:
        out.append(
            f"Under its recorded rules ({rs['version']}, {rs['hash'][:19]}): DIFFERENT "
            "(the tool or engine no longer reproduces it)"
        )
        out += _change_lines(result.recorded_changes) or ["  (reasons or trace only)"]
    if result.same_rules:
        out.append(f"Under {result.against}: the same rules, same decision")
    elif not result.changes:
        out.append(f"Under {result.against}: same decision")
    else:
        out.append(
            f"Under {result.against}: {len(result.changes)} "
            f"change{'s' if len(result.changes) != 1 else ''}"
        )
        out += _change_lines(result.changes)
    return "\n".join(out) + "\n"


def render_summary(summary: ReplaySummary) -> str:
    """What today's rules would change, over the replayed records."""
    out = [
        f"Replayed {summary.records} record{'s' if summary.records != 1 else ''} under "
        f"{summary.against}",
        f"  same decision: {summary.unchanged}",
        f"  changed: {summary.changed}",
    ]
    if summary.not_replayable:
        out.append(f"  not replayable: {len(summary.not_replayable)}")
    if summary.not_exact:
        out.append(
            f"  NOT reproduced under their own rules: "
            f"{', '.join(f'#{s}' for s in summary.not_exact)}"
        )
    if summary.transitions:
        out += ["", "Changes (records affected, then the rules deciding now):"]
        for (target, before, after), count in sorted(
            summary.transitions.items(), key=lambda kv: (-kv[1], kv[0])
        ):
            rules = ", ".join(sorted(summary.rules[(target, before, after)])) or "-"
            products = ", ".join(sorted(summary.products[(target, before, after)]))
            name = "missing answers" if target == "missing" else target
            out.append(f"  {name}: {before} -> {after}  ({count}; {products})")
            if rules != "-":
                out.append(f"      now decided by: {rules}")
    for seq, why in summary.not_replayable:
        out.append(f"  #{seq}: {why}")
    return "\n".join(out) + "\n"


def render_verification(result: Verification, location: str) -> str:
    """The outcome of ``audit verify``."""
    if result.ok:
        return (
            f"OK: {location}: {result.records} records chained and intact, "
            f"{result.rulesets} kept ruleset{'s' if result.rulesets != 1 else ''} intact\n"
        )
    return f"TAMPERED: {location}: {result.problem}\n"
