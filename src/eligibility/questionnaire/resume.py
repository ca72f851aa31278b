"""Resuming a questionnaire (``ask --from``): the saved answers read back, with the ruleset
hash they record, and what to tell the user about them.

:func:`eligibility.questionnaire.session.save` writes the file: a profile in the contract's
format with a comment header holding the hash (comments are not data, so the file stays a
valid profile for ``eligibility evaluate``, and a hand-written profile resumes too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from eligibility.display import Sentence
from eligibility.errors import InputFileError
from eligibility.profile.files import read_document
from eligibility.profile.model import FIELDS, parse_profile
from eligibility.questionnaire.questions import Lang, Questions
from eligibility.rules.loader import RuleSet

HASH_LINE = "# ruleset-hash: "
_HASH_RE = re.compile(r"^# ruleset-hash: (\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Saved:
    """A saved (or hand-written) profile to resume from."""

    path: str
    answers: dict[str, Any]
    profile_id: str
    name: str | None
    ruleset_hash: str | None


def load_saved(path: str) -> Saved:
    """Read a profile to resume from, with the ruleset hash it records (if any).

    Raises:
        InputFileError: the file cannot be read or parsed.
        ProfileError: it is not a valid profile.
    """
    if path == "-":
        # standard input carries the answers; a profile to resume from must be a file
        raise InputFileError("-", "answers come on standard input; give --from a file")
    data, name = read_document(path)
    if data is None:
        raise InputFileError(name, Sentence("is empty"))
    profile = parse_profile(data, source=name)  # rejects anything but a mapping
    fields = cast(Mapping[str, Any], data)
    text = Path(path).read_text(encoding="utf-8")
    match = _HASH_RE.search(text)
    answers = {f: fields[f] for f in FIELDS if f in fields}
    return Saved(name, answers, profile.id, profile.name, match.group(1) if match else None)


def ruleset_note(saved: Saved, ruleset: RuleSet, questions: Questions, lang: Lang) -> str:
    """What to tell the user when resuming: how many answers, and whether the rules changed."""
    m = questions.messages
    resumed = m.resumed_one if len(saved.answers) == 1 else m.resumed
    lines = [resumed(lang).format(path=saved.path, count=len(saved.answers))]
    if saved.ruleset_hash is None:
        lines.append(m.no_hash(lang).format(path=saved.path))
    elif saved.ruleset_hash != ruleset.hash:
        lines.append(
            m.rules_changed(lang).format(
                path=saved.path, old=saved.ruleset_hash[:19], new=ruleset.hash[:19]
            )
        )
    return "\n".join(lines)


def reopened_note(path: str, count: int, questions: Questions, lang: Lang) -> str:
    """What to tell the user resuming with ``--unknown``: how many "don't know" answers
    the file holds, each asked again if it can still change the decision."""
    m = questions.messages
    said = m.reopened_none if count == 0 else m.reopened_one if count == 1 else m.reopened
    return said(lang).format(path=path, count=count)
