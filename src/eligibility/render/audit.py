"""Text for the ``audit`` commands: record lists, a record, replays, summaries, verification.

A recorded decision is rebuilt into the one result model (:class:`Decision`) so that
``audit show`` renders it with the same renderers as ``evaluate``. With ``lang``, the
renderers' own words and sentences are in that language (:mod:`eligibility.i18n.words`,
:mod:`eligibility.i18n.messages`); ids, statuses and values stay as recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eligibility.audit.diff import Change
from eligibility.audit.record import AuditRecord
from eligibility.audit.replay import Replay, ReplaySummary
from eligibility.audit.verify import Verification
from eligibility.decision.model import decision_from_dict
from eligibility.i18n.messages import Message, localized, say
from eligibility.i18n.translation import Translation, localize
from eligibility.i18n.typography import french
from eligibility.i18n.words import STATUS_WORDS, colon, status_word, tr
from eligibility.render import RENDERERS, View
from eligibility.render.json import json_text


def _applies(record: AuditRecord, lang: str = "en") -> str:
    c = colon(lang)
    statuses = record.journey_status()
    applies = [j for j, s in statuses.items() if s == "applies"]
    open_ = [j for j, s in statuses.items() if s == "undetermined"]
    text = f"{tr('applies', lang)}{c} " + (", ".join(applies) or tr("none", lang))
    semicolon = french(" ;") if lang == "fr" else ";"
    return text + (f"{semicolon} {tr('undetermined', lang)}{c} {', '.join(open_)}" if open_ else "")


def render_list(records: Iterable[AuditRecord], lang: str = "en") -> str:
    """One line per record: position, time, id, product, rules version, what applies."""
    lines = [
        f"#{r.seq:<5} {r.recorded_at}  {r.decision_id[:12]}  {r.profile_id}  "
        f"{tr('rules', lang)} {r.content['ruleset']['version']}  {_applies(r, lang)}"
        + (f"  [{', '.join(f'{k}={v}' for k, v in r.labels.items())}]" if r.labels else "")
        for r in records
    ]
    return "\n".join(lines) + "\n" if lines else say("No records.", lang) + "\n"


def _metadata(record: AuditRecord, lang: str = "en") -> list[tuple[str, str]]:
    c = record.content
    rs = c["ruleset"]
    tool = say(
        "eligibility {tool}, durable-rules {durable}, engine {engine}",
        lang,
        tool=c["tool_version"],
        durable=c["durable_version"],
        engine=c["engine"],
    )
    rows = [
        ("Record", f"#{record.seq}"),
        ("Decision id", record.decision_id),
        ("Recorded at", record.recorded_at),
        ("Rules", f"{rs['name']} {rs['version']} ({rs['hash']})"),
        ("Tool", tool),
        ("Actor", c["actor"] or "-"),
        ("Labels", ", ".join(f"{k}={v}" for k, v in record.labels.items()) or "-"),
        ("Masked", ", ".join(record.masked) or "-"),
        ("Hash", record.hash),
        ("Previous", record.prev_hash),
    ]
    return [(tr(k, lang), v) for k, v in rows]


def render_show(
    record: AuditRecord, fmt: str = "text", translation: Translation | None = None
) -> str:
    """A record: its metadata, then the decision as ``evaluate --details`` renders it in
    ``fmt`` (an audit shows every step and every reason).

    With a ``translation``, the decision's texts and the renderers' words are in its
    language, as ``evaluate --lang`` shows them; JSON is the record as stored.
    """
    if fmt == "json":
        return json_text(record.to_dict())
    lang = translation.lang if translation is not None else "en"
    decision = decision_from_dict(record.content["decision"])
    if translation is not None:
        decision = localize(decision, translation)
    shown = RENDERERS[fmt](decision, lang, View(details=True))
    c = colon(lang)
    metadata = _metadata(record, lang)
    if fmt == "markdown":
        head = "\n".join(f"- **{k}**{c} `{v}`" for k, v in metadata)
        return f"## {say('Audit record #{seq}', lang, seq=record.seq)}\n\n{head}\n\n{shown}"
    width = max(len(k) + len(c) for k, _ in metadata) + 1
    head = "\n".join(f"{k + c:<{width}}{v}" for k, v in metadata)
    return f"{head}\n\n{shown}"


def _value(value: Any, lang: str) -> str:
    """A value of a decision as a reader says it (a status in words, a list as is)."""
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if value is None or value == "none":  # a summary holds values already as text
        return tr("none", lang)
    return status_word(str(value), lang) if str(value) in STATUS_WORDS else str(value)


def _change_lines(changes: Iterable[Change], lang: str = "en", indent: str = "  ") -> list[str]:
    out = []
    c_ = colon(lang)
    for c in changes:
        what = (
            say("missing answers", lang)
            if c.kind == "missing"
            else f"{tr(c.kind, lang)} {c.target}"
        )
        before, after = _value(c.before, lang), _value(c.after, lang)
        out.append(f"{indent}{what}{c_} {before} -> {after}")
        if c.rules_before or c.rules_after:
            before = ", ".join(c.rules_before) or "-"
            after = ", ".join(c.rules_after) or "-"
            out.append(f"{indent}    {say('was decided by: {rules}', lang, rules=before)}")
            out.append(f"{indent}    {say('now decided by: {rules}', lang, rules=after)}")
    return out


def render_replay(result: Replay, lang: str = "en") -> str:
    """The two replays of a record: exact under its rules; same or changed under others."""
    r = result.record
    rs = r.content["ruleset"]
    out = [
        say(
            "Record #{seq} (decision {decision}, {product})",
            lang,
            seq=r.seq,
            decision=r.decision_id[:12],
            product=r.profile_id,
        )
    ]
    version, hash_ = rs["version"], rs["hash"][:19]
    if result.recorded_identical:
        out.append(
            say(
                "Under its recorded rules ({version}, {hash}): identical",
                lang,
                version=version,
                hash=hash_,
            )
        )
    else:
        out.append(
            say(
                "Under its recorded rules ({version}, {hash}): DIFFERENT "
                "(the tool or engine no longer reproduces it)",
                lang,
                version=version,
                hash=hash_,
            )
        )
        out += _change_lines(result.recorded_changes, lang) or [
            f"  {say('(reasons or trace only)', lang)}"
        ]
    against = result.against
    if result.same_rules:
        out.append(say("Under {against}: the same rules, same decision", lang, against=against))
    elif not result.changes:
        out.append(say("Under {against}: same decision", lang, against=against))
    else:
        count = len(result.changes)
        if count == 1:
            out.append(say("Under {against}: 1 change", lang, against=against))
        else:
            out.append(say("Under {against}: {count} changes", lang, against=against, count=count))
        out += _change_lines(result.changes, lang)
    return "\n".join(out) + "\n"


def render_summary(summary: ReplaySummary, lang: str = "en") -> str:
    """What today's rules would change, over the replayed records."""
    c = colon(lang)
    against = summary.against
    out = [
        say("Replayed 1 record under {against}", lang, against=against)
        if summary.records == 1
        else say(
            "Replayed {count} records under {against}",
            lang,
            count=summary.records,
            against=against,
        ),
        f"  {say('same decision: {count}', lang, count=summary.unchanged)}",
        f"  {say('changed: {count}', lang, count=summary.changed)}",
    ]
    if summary.not_replayable:
        out.append(f"  {say('not replayable: {count}', lang, count=len(summary.not_replayable))}")
    if summary.not_exact:
        records = ", ".join(f"#{s}" for s in summary.not_exact)
        out.append(
            f"  {say('NOT reproduced under their own rules: {records}', lang, records=records)}"
        )
    if summary.transitions:
        out += ["", say("Changes (records affected, then the rules deciding now):", lang)]
        for (target, before, after), count in sorted(
            summary.transitions.items(), key=lambda kv: (-kv[1], kv[0])
        ):
            rules = ", ".join(sorted(summary.rules[(target, before, after)])) or "-"
            products = ", ".join(sorted(summary.products[(target, before, after)]))
            name = say("missing answers", lang) if target == "missing" else target
            said = f"{_value(before, lang)} -> {_value(after, lang)}"
            semicolon = french(" ;") if lang == "fr" else ";"
            out.append(f"  {name}{c} {said}  ({count}{semicolon} {products})")
            if rules != "-":
                out.append(f"      {say('now decided by: {rules}', lang, rules=rules)}")
    for seq, why in summary.not_replayable:
        out.append(f"  #{seq}{c} {localized(why, lang)}")
    return "\n".join(out) + "\n"


def _records(count: int) -> Message:
    """``1 record`` or ``N records``, translatable."""
    return Message("1 record") if count == 1 else Message("{count} records", count=count)


def render_verification(result: Verification, location: str, lang: str = "en") -> str:
    """The outcome of ``audit verify``: OK (and the checkpoint it extends) or TAMPERED."""
    if not result.ok:
        problem = localized(result.problem, lang)
        return (
            say("TAMPERED: {location}: {problem}", lang, location=location, problem=problem) + "\n"
        )
    text = say(
        "OK: {location}: {records}, {rulesets}",
        lang,
        location=location,
        records=Message("1 record chained and intact")
        if result.records == 1
        else Message("{count} records chained and intact", count=result.records),
        rulesets=Message("1 kept ruleset intact")
        if result.rulesets == 1
        else Message("{count} kept rulesets intact", count=result.rulesets),
    )
    checkpoint = result.checkpoint
    if checkpoint is not None:
        text += "\n" + say(
            "It extends the checkpoint of {records} signed {signed_at} with key {key}.",
            lang,
            records=_records(checkpoint.size),
            signed_at=checkpoint.signed_at,
            key=checkpoint.key,
        )
    return text + "\n"


def render_checkpoint_made(result: Verification, location: str, key: str, lang: str = "en") -> str:
    """What ``audit checkpoint`` says on standard error once it has signed."""
    return (
        say(
            "Signed a checkpoint of {location}: {records}, head {head}, key {key}",
            lang,
            location=location,
            records=_records(result.records),
            head=result.head,
            key=key,
        )
        + "\n"
    )
