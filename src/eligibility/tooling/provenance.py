"""The provenance lint of ``rules check``: a confidence tag must be backed by its source.

Every statement of the catalogue (a rule, a journey's or step's source, a dependency, a
shared step's source) carries a confidence tag, which is a claim about where it comes
from. The lint holds each tag to what it claims:

``official``
    The source is a URL on a domain of an official body (:data:`OFFICIAL_DOMAINS`), and
    not the landing page of another journey reused for this one: a page that is a
    journey's own source proves that journey's statements, not another's.
``seed``
    The source points to the seed statement it rests on, ``seed: <tour> <statement>``,
    resolved in ``rules/seed.yaml`` (a journey's own source may name the tour alone). Any
    source written as such a pointer must resolve, whatever its tag: an inference may
    build on a seed statement.
``inference``
    A note says what the inference rests on.

A tag that the lint cannot verify further (``third-party``: any named page) passes. Each
problem is a ``provenance`` finding (an error).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from eligibility.display import Sentence
from eligibility.errors import InputFileError
from eligibility.i18n.messages import Message
from eligibility.profile.limits import RULE_FILE_BYTES, RULE_FILE_VALUES
from eligibility.profile.textfile import read_text
from eligibility.profile.yamlio import load_yaml
from eligibility.rules.loader import RuleSet
from eligibility.rules.model import Confidence, SeedFile

#: Domains of official bodies, with their subdomains: the ANS (esante.gouv.fr: G_NIUS,
#: Portail Industriels; the MSSanté trust space it runs), Assurance Maladie (ameli.fr: the
#: CNDA; monespacesante.fr) and GIE SESAM-Vitale, HAS, ANSM, Légifrance and the ministry.
OFFICIAL_DOMAINS = (
    "esante.gouv.fr",
    "mssante.fr",
    "ameli.fr",
    "monespacesante.fr",
    "sesam-vitale.fr",
    "has-sante.fr",
    "ansm.sante.fr",
    "legifrance.gouv.fr",
    "sante.gouv.fr",
    "solidarites-sante.gouv.fr",
)
#: Official sources outside those domains: the ANS's own public repositories.
OFFICIAL_PREFIXES = ("https://github.com/ansforge/",)

SEED_PREFIX = "seed:"
MIN_NOTE = 20  # characters: a note that says what an inference rests on is a sentence


@dataclass(frozen=True)
class Claim:
    """One tagged statement: where it is, its source, its tag and note, and the journeys
    whose own sources it may cite."""

    where: Message
    source: str
    confidence: Confidence
    note: str | None
    journeys: frozenset[str]
    file: str | None = None
    rule: str | None = None
    journey_level: bool = False


@dataclass(frozen=True)
class Problem:
    """One tag its source does not back."""

    message: Message
    file: str | None
    rule: str | None


def seed_statements(root: str | Path) -> dict[str, set[str]] | Message:
    """The seed's tours and statement keys from ``<root>/seed.yaml``, or why they cannot be
    read."""
    path = Path(root) / "seed.yaml"
    try:
        text = read_text(
            path, RULE_FILE_BYTES, Sentence("rule file")
        )  # not UTF-8, too large: unread
    except InputFileError:
        return Message("seed.yaml, the index of the seed's statements, cannot be read")
    try:
        seed = SeedFile.model_validate(load_yaml(text, max_values=RULE_FILE_VALUES))
    except (yaml.YAMLError, ValidationError):
        return Message("seed.yaml is not a valid index of the seed's statements")
    return {t.id: set(t.statements) for t in seed.tours}


def claims(ruleset: RuleSet) -> Iterator[Claim]:
    """Every tagged statement of a rule set, in catalogue order."""
    for j in ruleset.journeys:
        mine = frozenset({j.id})
        path = f"{j.id}/journey.yaml"
        for s in j.sources:
            yield Claim(
                Message("journey {id}", id=j.id),
                s.ref,
                s.confidence,
                s.note,
                mine,
                path,
                None,
                True,
            )
        for step in j.steps:
            for s in step.sources:
                yield Claim(
                    Message("step {id}", id=step.id), s.ref, s.confidence, s.note, mine, path
                )
        for d in j.depends_on:
            both = frozenset({j.id, d.journey})
            yield Claim(
                Message("dependency {id}", id=d.id), d.source, d.confidence, d.note, both, path
            )
    users: dict[str, set[str]] = {}
    for j in ruleset.journeys:
        for step in j.steps:
            if step.shared:
                users.setdefault(step.shared, set()).add(j.id)
    for sh in ruleset.shared_steps:
        for s in sh.sources:
            yield Claim(
                Message("shared step {id}", id=sh.id),
                s.ref,
                s.confidence,
                s.note,
                frozenset(users.get(sh.id, ())),
                "shared-steps.yaml",
            )
    owner = ruleset.step_journey
    for r in ruleset.rules:
        file = ruleset.rule_files[r.id]
        about = {file.split("/", 1)[0], *(owner[s].id for s in r.then.steps)}
        if r.then.journey:
            about.add(r.then.journey)
        yield Claim(
            Message("rule {id}", id=r.id),
            r.source,
            r.confidence,
            r.note,
            frozenset(about),
            file,
            r.id,
        )


def _url(source: str) -> str | None:
    first = source.split(maxsplit=1)[0] if source.strip() else ""
    return first if first.startswith(("https://", "http://")) else None


def is_official_url(url: str) -> bool:
    """True when a URL is on an official body's domain (or is an ANS repository)."""
    if url.startswith(OFFICIAL_PREFIXES):
        return True
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def _landing_pages(ruleset: RuleSet) -> dict[str, str]:
    """Each URL that is a journey's own source -> that journey."""
    out: dict[str, str] = {}
    for j in ruleset.journeys:
        for s in j.sources:
            url = _url(s.ref)
            if url:
                out.setdefault(url.rstrip("/"), j.id)
    return out


def _seed_problem(claim: Claim, tours: dict[str, set[str]]) -> Message | None:
    text = claim.source.strip()
    if not text.startswith(SEED_PREFIX):
        return Message(
            "it does not point to the seed statement it rests on "
            "('seed: <tour> <statement>', see rules/seed.yaml)"
        )
    parts = text[len(SEED_PREFIX) :].split()
    if not parts or len(parts) > 2:
        return Message("{source} is not 'seed: <tour> <statement>'", source=repr(text))
    tour = parts[0]
    if tour not in tours:
        return Message(
            "the seed has no tour {tour} (tours: {tours})",
            tour=repr(tour),
            tours=", ".join(sorted(tours)),
        )
    if len(parts) == 1:
        if claim.journey_level:
            return None
        return Message("{source} names a tour but not its statement", source=repr(text))
    if parts[1] not in tours[tour]:
        return Message(
            "tour {tour} of the seed has no statement {statement} (it has: {known})",
            tour=tour,
            statement=repr(parts[1]),
            known=", ".join(sorted(tours[tour])),
        )
    return None


def provenance_problems(ruleset: RuleSet) -> list[Problem]:
    """Every tag of a rule set that its source does not back (see the module docstring)."""
    tours = seed_statements(ruleset.root)
    landing = _landing_pages(ruleset)
    out: list[Problem] = []
    for claim in claims(ruleset):
        why = _problem(claim, tours, landing)
        if why is not None:
            message = Message(
                "{where} is tagged {tag}, but {why}",
                where=claim.where,
                tag=claim.confidence.value,
                why=why,
            )
            out.append(Problem(message, claim.file, claim.rule))
    return out


def _problem(
    claim: Claim, tours: dict[str, set[str]] | Message, landing: dict[str, str]
) -> Message | None:
    source = claim.source.strip()
    points_to_seed = source.startswith(SEED_PREFIX) or source == "seed"
    if claim.confidence is Confidence.seed or points_to_seed:
        # an inference may build on a seed statement too: its pointer must hold as well
        seed = tours if isinstance(tours, Message) else _seed_problem(claim, tours)
        if seed is not None or claim.confidence is Confidence.seed:
            return seed
    if claim.confidence is Confidence.inference:
        if not claim.note or len(claim.note.strip()) < MIN_NOTE:
            return Message("it has no note saying what the inference rests on")
        return None
    if claim.confidence is Confidence.official:
        url = _url(source)
        if url is None or not is_official_url(url):
            return Message(
                "its source is not a page of an official body (ANS, G_NIUS, CNDA, Assurance "
                "Maladie, GIE SESAM-Vitale, HAS, ANSM, Légifrance, the ministry)"
            )
        other = landing.get(url.rstrip("/"))
        if other is not None and other not in claim.journeys:
            return Message(
                "its source is the page of journey {journey}: cite the page that states "
                "this claim, or tag it inference with a note",
                journey=other,
            )
    return None
