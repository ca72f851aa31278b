"""The engine-neutral rule model: catalogue (journeys, steps) and rules, as pydantic models.

This one model is loaded from ``rules/``; the durable-rules ruleset is compiled from it,
and the plain-Python interpreter, the explanations, the questionnaire and the analysis
all read it. Rule files hold data only: no Python, no expressions to ``eval``.

One cohesive module although over 400 lines: the schema of the rule files is one
contract, and its classes are read together.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=1)]


class Confidence(enum.StrEnum):
    """How sure a statement is, by where it comes from."""

    official = "official"
    third_party = "third-party"
    seed = "seed"
    inference = "inference"

    @property
    def rests_on_authority(self) -> bool:
        """True for the tags that rest on an authority's own text (``official``, and
        ``seed``: the seed is a translation of the G_NIUS guided tours). Precedence rules
        (``rules check``) keep the others, ``third-party`` and ``inference``, from
        deciding against them unless a rule declares why."""
        return self in (Confidence.official, Confidence.seed)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a statement comes from: a URL, a pointer into the seed
    (``seed: <tour> <step>``, see ``rules/seed.yaml``) or a named document."""

    ref: str = Field(min_length=1)
    confidence: Confidence
    note: str | None = None


# --- conditions ---------------------------------------------------------------------------


class FieldTest(_Strict):
    """A test on one profile field. Exactly one operator is given."""

    field: str
    is_: Any = Field(default=None, alias="is")
    in_: list[Any] | None = Field(default=None, alias="in")
    contains: Any = None
    contains_any: list[Any] | None = None
    is_empty: bool | None = None
    gte: int | None = None
    lte: int | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_operator(self) -> FieldTest:
        given = [name for name in OPERATORS if getattr(self, name) is not None]
        if len(given) != 1:
            names = ", ".join(OPERATOR_NAMES)
            raise ValueError(f"a field test takes exactly one operator among {names}")
        return self

    @property
    def operator(self) -> str:
        """The operator's name as written in rule files."""
        for attr, name in zip(OPERATORS, OPERATOR_NAMES, strict=True):
            if getattr(self, attr) is not None:
                return name
        raise AssertionError("validated to have one operator")

    @property
    def operand(self) -> Any:
        """The operator's argument."""
        for attr in OPERATORS:
            value = getattr(self, attr)
            if value is not None:
                return value
        raise AssertionError("validated to have one operator")


OPERATORS = ("is_", "in_", "contains", "contains_any", "is_empty", "gte", "lte")
OPERATOR_NAMES = ("is", "in", "contains", "contains_any", "is_empty", "gte", "lte")


class FactTest(_Strict):
    """A test on a derived fact concluded by another rule."""

    fact: Id
    is_: bool = Field(default=True, alias="is")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AllOf(_Strict):
    """Holds when every sub-condition holds."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    """Holds when at least one sub-condition holds."""

    any: list[Condition] = Field(min_length=1)


class NotOf(_Strict):
    """Holds when the sub-condition does not."""

    not_: Condition = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if isinstance(value, dict):
        for key, tag in (
            ("all", "AllOf"),
            ("any", "AnyOf"),
            ("not", "NotOf"),
            ("fact", "FactTest"),
            ("field", "FieldTest"),
        ):
            if key in value:
                return tag
    return None


Condition = Annotated[
    Annotated[FieldTest, Tag("FieldTest")]
    | Annotated[FactTest, Tag("FactTest")]
    | Annotated[AllOf, Tag("AllOf")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[NotOf, Tag("NotOf")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message="a condition is one of {field: …}, {fact: …}, {all: […]}, "
        "{any: […]}, {not: …}",
    ),
]

AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()

# --- conclusions --------------------------------------------------------------------------

JourneyStatus = Literal["applies", "not_applicable"]
StepStatus = Literal["required", "optional", "done", "not_applicable"]


class Then(_Strict):
    """What a rule concludes when its condition holds. Exactly one target."""

    journey: Id | None = None
    step: Id | list[Id] | None = None
    prerequisite: Id | None = None
    fact: Id | None = None

    status: Literal["applies", "not_applicable", "required", "optional", "done"] | None = None
    variant: Id | None = None
    operations: list[Id] | None = None
    advice: str | None = None
    met: bool | None = None

    @model_validator(mode="after")
    def _shape(self) -> Then:
        targets = [t for t in ("journey", "step", "prerequisite", "fact") if getattr(self, t)]
        if len(targets) != 1:
            raise ValueError("then: names exactly one of journey, step, prerequisite, fact")
        target = targets[0]
        allowed = {
            "journey": {"status", "variant", "operations"},
            "step": {"status", "advice"},
            "prerequisite": {"met"},
            "fact": set(),
        }[target]
        given = {
            k
            for k in ("status", "variant", "operations", "advice", "met")
            if getattr(self, k) is not None
        }
        if given - allowed:
            raise ValueError(f"then: {target} does not take {', '.join(sorted(given - allowed))}")
        if target != "fact" and not given:
            raise ValueError(f"then: {target} needs one of {', '.join(sorted(allowed))}")
        if (
            target == "journey"
            and self.status is not None
            and self.status not in ("applies", "not_applicable")
        ):
            raise ValueError("then.status of a journey is applies or not_applicable")
        if (
            target == "step"
            and self.status is not None
            and self.status not in ("required", "optional", "done", "not_applicable")
        ):
            raise ValueError("then.status of a step is required, optional, done or not_applicable")
        return self

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps this conclusion is about (empty when it is not about steps)."""
        if self.step is None:
            return ()
        return (self.step,) if isinstance(self.step, str) else tuple(self.step)

    def describe(self) -> list[str]:
        """Short, stable descriptions of what is concluded (used in the trace)."""
        if self.fact:
            return [f"fact {self.fact}"]
        if self.journey:
            out = []
            if self.status:
                out.append(f"{self.journey}: {self.status}")
            if self.variant:
                out.append(f"{self.journey} variant: {self.variant}")
            if self.operations is not None:
                out.append(f"{self.journey} operations: {', '.join(self.operations)}")
            return out
        if self.prerequisite:
            return [f"{self.prerequisite}: {'met' if self.met else 'not met'}"]
        out = []
        for step in self.steps:
            if self.status:
                out.append(f"{step}: {self.status}")
            if self.advice:
                out.append(f"{step}: advice")
        return out


#: What a precedence declaration may name besides rule ids: the catalogue's own status of
#: the steps the rule concludes (required, or optional where the tour marks it so).
CATALOGUE = "catalogue"


class Precedence(_Strict):
    """A reviewed declaration that a rule is meant to decide where others say otherwise.

    ``rules check`` fails when a rule of lower confidence (inference, third-party) decides
    an outcome that a rule or catalogue step of higher confidence (seed, official) sets
    differently, and warns when two rules give one outcome different values. Writing this
    field is the review: ``over`` names the rules (or ``catalogue``) the rule is meant to
    win against, ``why`` says why, for the reader of every decision it makes.
    """

    over: list[str] = Field(min_length=1, description="Rule ids, or 'catalogue'.")
    why: str = Field(min_length=20, description="Why this rule decides there, for a reader.")


class Rule(_Strict):
    """One declarative rule: an id, a sentence, a source, a condition and a conclusion."""

    id: Id
    text: str = Field(min_length=1, description="What the rule says, for a publisher.")
    source: str = Field(
        min_length=1,
        description="A URL, 'seed: <tour> <step>' (rules/seed.yaml), or a named document.",
    )
    confidence: Confidence
    note: str | None = None
    when: Condition | None = None
    then: Then
    precedence: Precedence | None = None


# --- catalogue ----------------------------------------------------------------------------


class Variant(_Strict):
    """A variant of a journey."""

    id: Id
    title: str


class Prerequisite(_Strict):
    """Something that must be true before the journey's steps can go on.

    It comes before the journey's first step, unless ``obtained_by`` names the step of the
    journey that obtains it (the application whose acceptance it is): it then comes after
    that step and before the next.
    """

    id: Id
    title: str
    obtained_by: Id | None = Field(
        default=None,
        description=(
            "The step of this journey that obtains it (e.g. the application whose acceptance "
            "it is): it is awaited after that step, before the next ones."
        ),
    )


#: ``long``: order or start it early (test cards, certificates, CNDA contract).
LeadTime = Literal["long"]


class Step(_Strict):
    """One step of a journey, in guided-tour order."""

    id: Id
    title: str
    actors: list[str] = Field(min_length=1)
    description: str
    prerequisites: list[str] = []
    advice: list[str] = []
    vigilance: list[str] = []
    optional: bool = False
    sources: list[Source] = Field(min_length=1)
    shared: Id | None = Field(
        default=None,
        description="The shared step (rules/shared-steps.yaml) this step is an instance of.",
    )
    lead_time: LeadTime | None = None


class Dependency(_Strict):
    """A journey's need for another journey (``requires``) or for its steps first (``after``).

    ``when_variant`` / ``when_fact`` restrict it to a variant of the journey or to a derived
    fact; ``before`` names the step of this journey that needs the other journey (default:
    its first step); ``first`` the steps of the other journey to do before it (default: all).
    """

    id: Id
    journey: Id
    kind: Literal["requires", "after"] = "requires"
    reason: str = Field(min_length=1)
    source: str = Field(min_length=1)
    confidence: Confidence
    note: str | None = None
    when_variant: Id | None = None
    when_fact: Id | None = None
    before: Id | None = None
    first: list[Id] = []


class SharedStep(_Strict):
    """A step several journeys need (one ANS contract, one CNDA contract, ...)."""

    id: Id
    title: str
    description: str
    actors: list[str] = Field(min_length=1)
    prerequisites: list[Id] = Field(default=[], description="Shared steps to do before it.")
    lead_time: LeadTime | None = None
    advice: list[str] = []
    vigilance: list[str] = []
    sources: list[Source] = Field(min_length=1)


SHARED_STEPS_FILE = "shared-steps.yaml"  # beside ruleset.yaml


class SharedStepFile(_Strict):
    """``rules/shared-steps.yaml``."""

    shared_steps: list[SharedStep] = Field(min_length=1)


class Journey(_Strict):
    """A journey of the catalogue: its variants, prerequisites and steps."""

    id: Id
    title: str
    description: str
    actors: list[str] = Field(min_length=1)
    variants: list[Variant] = []
    prerequisites: list[Prerequisite] = []
    sources: list[Source] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    depends_on: list[Dependency] = []


class JourneyFile(_Strict):
    """``rules/<journey>/journey.yaml``."""

    journey: Journey


class RuleFile(_Strict):
    """``rules/<area>/rules.yaml``: a list of rules."""

    rules: list[Rule] = Field(min_length=1)


class RulesetFile(_Strict):
    """``rules/ruleset.yaml``: the name, version and journey order of the catalogue."""

    name: str
    version: str
    journeys: list[Id] = Field(min_length=1)


class RuleCase(_Strict):
    """One test case of a rule file: a partial profile and what must come of it."""

    name: str = Field(min_length=1)
    profile: dict[str, Any]
    decides: list[Id] = []
    not_decides: list[Id] = []
    expect: dict[Id, str] = {}


class RuleCaseFile(_Strict):
    """``rules/<area>/rules.test.yaml``."""

    cases: list[RuleCase] = Field(min_length=1)


class SeedTour(_Strict):
    """One guided tour of the seed and the statements a ``seed`` source may point to."""

    id: Id
    title: str
    statements: dict[str, str] = Field(
        min_length=1,
        description="Step number (or part: prerequisite, advice, vigilance) -> its opening words.",
    )


class SeedFile(_Strict):
    """``rules/seed.yaml``: the index of the seed text that ``seed`` sources point into."""

    tours: list[SeedTour] = Field(min_length=1)
