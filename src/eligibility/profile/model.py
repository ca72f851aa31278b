"""The software profile (its fields for users: ``docs/profile.md``, ``eligibility fields``)
and its field catalogue.

A field that is absent or ``null`` is *unknown*. Unknown is an answer of its own: the
rules never read it as false. The :data:`FIELDS` catalogue describes every decisive field
(its kind and allowed values) for the fact builder, the questionnaire and the analysis.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eligibility.display import Sentence
from eligibility.errors import WHOLE_PROFILE, FieldProblem, ProfileError
from eligibility.profile.problems import field_problem


class Category(enum.StrEnum):
    """What kind of software the product is."""

    DPI = "DPI"
    GAP_GAM = "GAP_GAM"
    LGC = "LGC"
    LGO = "LGO"
    LAP = "LAP"
    SGL = "SGL"
    RIS = "RIS"
    PACS = "PACS"
    DUI = "DUI"
    EAI_PFI = "EAI_PFI"
    BED_MANAGEMENT = "BED_MANAGEMENT"
    ORIENTATION_TOOL = "ORIENTATION_TOOL"
    MSS_CLIENT = "MSS_CLIENT"
    TELECONSULTATION = "TELECONSULTATION"
    DMN = "DMN"
    PATIENT_APP = "PATIENT_APP"
    APPOINTMENT = "APPOINTMENT"
    OTHER = "OTHER"


class EndUser(enum.StrEnum):
    """Who uses the product."""

    health_professionals = "health_professionals"
    establishment_staff = "establishment_staff"
    patients = "patients"


class InsSource(enum.StrEnum):
    """Where the INS-referenced health data the product receives come from."""

    own_domain = "own_domain"
    other_domains = "other_domains"


class StorageRole(enum.StrEnum):
    """What the product does with the health data it keeps."""

    none = "none"
    operational = "operational"
    archive = "archive"


class RorRole(enum.StrEnum):
    """How the product connects to the ROR national."""

    consumer = "consumer"
    supplier = "supplier"


class CircleOfTrust(enum.StrEnum):
    """State of the application to the ROR national circle of trust."""

    not_applied = "not_applied"
    applied = "applied"
    accepted = "accepted"


class RorSupplierType(enum.StrEnum):
    """How a supplier feeds the ROR national."""

    regional_eai = "regional_eai"
    saas = "saas"
    proprietary = "proprietary"


class MesPurpose(enum.StrEnum):
    """What a Mon espace santé service is for."""

    prevention = "prevention"
    diagnosis = "diagnosis"
    care = "care"
    social_followup = "social_followup"
    wellbeing = "wellbeing"


class DmpAccess(enum.StrEnum):
    """What the software does with the DMP (the DMP-compatibility profiles)."""

    create = "create"
    feed = "feed"
    consult = "consult"


class DmpAuthentication(enum.StrEnum):
    """How the software authenticates to the DMP."""

    cps_card = "cps_card"
    organisation_certificate = "organisation_certificate"


class MssanteRole(enum.StrEnum):
    """How the software takes part in the MSSanté trust space."""

    operator = "operator"
    mailbox_provider = "mailbox_provider"
    client = "client"


class SegurVague(enum.StrEnum):
    """The Ségur numérique referencing wave the publisher applies to."""

    vague_1 = "vague_1"
    vague_2 = "vague_2"


class MdClass(enum.StrEnum):
    """Risk class of a medical device under the MDR."""

    I = "I"  # noqa: E741  (the regulation's own name for the class)
    IIa = "IIa"
    IIb = "IIb"
    III = "III"


class Reimbursement(enum.StrEnum):
    """Reimbursement routes for a digital medical device."""

    latm = "latm"
    lppr = "lppr"
    pecan = "pecan"
    pect = "pect"


class VitaleUse(enum.StrEnum):
    """What the software does with the Vitale card."""

    card_reading = "card_reading"
    billing = "billing"
    apcv = "apcv"


class EprescriptionRole(enum.StrEnum):
    """The software's side of the e-prescription circuit."""

    prescriber = "prescriber"
    executor = "executor"


ProductId = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+$", min_length=1, max_length=200)]


class Profile(BaseModel):
    """One software product of a publisher. Every field but ``id`` may be unknown (None)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: ProductId
    name: str | None = None
    categories: list[Category] | None = None
    end_users: list[EndUser] | None = None

    processes_health_data: bool | None = None
    is_identity_repository: bool | None = None
    receives_ins_data_from: list[InsSource] | None = None
    storage_role: StorageRole | None = None

    ror_roles: list[RorRole] | None = None
    ror_circle_of_trust: CircleOfTrust | None = None
    ror_access_profile: Annotated[int, Field(ge=0, le=5)] | None = None
    ror_supplier_type: RorSupplierType | None = None

    targets_mes_catalog: bool | None = None
    mes_data_exchange: bool | None = None
    mes_purposes: list[MesPurpose] | None = None
    has_read_doctrine: bool | None = None

    has_ans_membership_contract: bool | None = None
    has_legal_rep_card: bool | None = None
    has_cpa_cards: bool | None = None
    has_technical_admins: bool | None = None
    has_test_cards_or_certificates: bool | None = None
    has_sesam_vitale_industrial_account: bool | None = None
    has_cnda_contract: bool | None = None

    # Beyond the contract's fields: those the journeys beyond the seed read.
    authenticates_health_professionals: bool | None = None
    is_sensitive_service: bool | None = None
    dmp_access: list[DmpAccess] | None = None
    dmp_via_hospital_pfi: bool | None = None
    dmp_authentication: list[DmpAuthentication] | None = None
    mssante_roles: list[MssanteRole] | None = None
    seeks_segur_referencing: bool | None = None
    segur_vague: SegurVague | None = None
    hosts_health_data_for_third_parties: bool | None = None
    runs_own_hosting_infrastructure: bool | None = None
    is_medical_device: bool | None = None
    md_class: MdClass | None = None
    has_ce_marking: bool | None = None
    is_individual_use: bool | None = None
    seeks_reimbursement: list[Reimbursement] | None = None
    is_presumed_innovative: bool | None = None
    vitale_uses: list[VitaleUse] | None = None
    eprescription_roles: list[EprescriptionRole] | None = None
    has_isc_account: bool | None = None
    has_convergence_account: bool | None = None

    @cached_property
    def _known(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"id", "name"})
        return {k: v for k, v in data.items() if v is not None}

    def known(self) -> dict[str, Any]:
        """Return the decisive fields that are known, as JSON values, in model order.

        The dict is shared (computed once per profile): do not modify it.
        """
        return self._known

    def dont_know(self) -> frozenset[str]:
        """The decisive fields given as ``null`` ("I don't know" in ``ask``), as opposed to
        those left out (not asked); both are unknown to the rules."""
        given = self.model_fields_set - {"id", "name"}
        return frozenset(f for f in given if getattr(self, f) is None)

    def canonical(self) -> dict[str, Any]:
        """Return the profile as JSON values with unknown fields left out (stable for hashing)."""
        data = self.model_dump(mode="json")
        return {k: v for k, v in data.items() if v is not None}


FieldKind = Literal["bool", "enum", "list", "int"]


@dataclass(frozen=True)
class FieldSpec:
    """What the rules need to know about one decisive profile field."""

    name: str
    kind: FieldKind
    values: tuple[Any, ...]
    description: str = ""

    def atoms(self) -> tuple[Any, ...]:
        """Return the values a rule can test this field against."""
        return (True, False) if self.kind == "bool" else self.values


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _spec_for(name: str, annotation: Any) -> FieldSpec:
    inner = _unwrap_optional(annotation)
    if get_origin(inner) is Annotated:
        base, *meta = get_args(inner)
        if base is int:
            lo = next(m.ge for m in _flat_metadata(meta) if getattr(m, "ge", None) is not None)
            hi = next(m.le for m in _flat_metadata(meta) if getattr(m, "le", None) is not None)
            return FieldSpec(name, "int", tuple(range(lo, hi + 1)))
        inner = base
    if inner is bool:
        return FieldSpec(name, "bool", (True, False))
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return FieldSpec(name, "enum", tuple(m.value for m in inner))
    if get_origin(inner) is list:
        (item,) = get_args(inner)
        return FieldSpec(name, "list", tuple(m.value for m in item))
    raise TypeError(f"profile field {name} has no rule-readable type: {annotation!r}")


def _flat_metadata(meta: list[Any]) -> list[Any]:
    out: list[Any] = []
    for m in meta:
        out.extend(getattr(m, "metadata", []) or [m])
    return out


def _field_catalogue() -> dict[str, FieldSpec]:
    hints = typing.get_type_hints(Profile, include_extras=True)
    return {
        name: _spec_for(name, hints[name])
        for name in Profile.model_fields
        if name not in ("id", "name")
    }


#: Every decisive profile field, in contract order.
FIELDS: Mapping[str, FieldSpec] = _field_catalogue()


def parse_profile(data: object, source: str = "<profile>", row: int | None = None) -> Profile:
    """Validate raw data (from YAML, JSON, CSV) into a :class:`Profile`.

    Raises:
        ProfileError: naming the source, the row when given, and every bad field with its
            value and what is allowed.
    """
    if not isinstance(data, Mapping):
        raise ProfileError(
            source,
            [
                FieldProblem(
                    WHOLE_PROFILE,
                    Sentence("a profile must be a mapping of field names to values"),
                    type(data).__name__,
                    True,
                )
            ],
            row,
        )
    try:
        # JSON mode: enum strings become enums, while types stay strict (no "1" for true).
        return Profile.model_validate_json(_json_bytes(data, source, row))
    except ValidationError as exc:
        raise ProfileError(
            source, [field_problem(e, Profile.model_fields) for e in exc.errors()], row
        ) from None


# Dates (from an explicit YAML !!timestamp) are not turned into text: no field is a date.
_PLAIN_DATA = orjson.OPT_PASSTHROUGH_DATETIME


def _json_bytes(data: Mapping[str, Any], source: str, row: int | None) -> bytes:
    try:
        return orjson.dumps(data, option=_PLAIN_DATA)
    except TypeError as exc:
        # orjson stops at 254 levels of nesting; a profile has two.
        why = (
            Sentence("holds a value that is nested too deeply")
            if "ecursion" in str(exc)
            else Sentence("holds a value that is not plain data: {detail}", detail=str(exc))
        )
        problem = FieldProblem(WHOLE_PROFILE, why)
        raise ProfileError(source, [problem], row) from None
