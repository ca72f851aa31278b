"""The HTTP API (``/v1``): what the command line does, for programs.

Each route reads its body within its size limit with the library's own readers, hands the
work to the engine thread (:class:`~eligibility.serve.service.Service`) and answers with
what the matching command prints in JSON: a decision is byte for byte
``evaluate --format json``, a portfolio's lines are ``batch --format jsonl``.

One cohesive module although over 400 lines: the API's routes, which share its body
readers, limits and problem answers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.responses import Response

from eligibility.audit.record import AuditRecord
from eligibility.audit.store import Filters
from eligibility.decision.model import Decision
from eligibility.errors import EligibilityError, StoreError
from eligibility.profile.model import FIELDS, Profile, parse_profile
from eligibility.profile.portfolio import RawRow
from eligibility.questionnaire.fields import profile_fields
from eligibility.questionnaire.session import DEFAULT_ID
from eligibility.questionnaire.step import Asked
from eligibility.render.fields import render_fields_json
from eligibility.serve.bodies import (
    PROFILE_TYPES,
    check_profile_type,
    document_of,
    is_json,
    media_type,
    profile_body,
    read_body,
    spool_body,
)
from eligibility.serve.problems import (
    HttpProblem,
    described,
    library_problem,
    problem,
    store_detail,
)
from eligibility.serve.service import Service
from eligibility.serve.settings import BODY

Lang = Literal["en", "fr"]
LangQuery = Annotated[Lang, Query(description="Language of the texts (field names never change).")]

#: Rows evaluated per hand-over to the engine thread (other requests are served between).
PORTFOLIO_CHUNK = 64

#: The media types a portfolio body may say it is, and the format each means.
PORTFOLIO_TYPES = {
    "text/csv": "csv",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
}

router = APIRouter(responses=described({422: "A parameter or the body is invalid."}))


def service_of(request: Request) -> Service:
    """The service of the application serving ``request``."""
    service: Service = request.app.state.service
    return service


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n",
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _profile_body(schema: str) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads a profile (JSON or YAML)."""
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {
        "requestBody": {
            "required": True,
            "content": {t: {"schema": ref} for t in PROFILE_TYPES[:2]},
        }
    }


def _labels(values: list[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise HttpProblem(422, f"label {value!r}: write key=value")
        labels[key.strip()] = text.strip()
    return labels


# -- decisions --------------------------------------------------------------------------------


@router.post(
    "/v1/decisions",
    tags=["decisions"],
    summary="Decide for one profile",
    response_class=Response,
    responses={
        200: {"model": Decision, "description": "The decision, as `evaluate --format json`."},
        201: {
            "model": Decision,
            "description": "The decision, recorded (`record=true`): `Location` names the "
            "record, `Eligibility-Record` its position and `Eligibility-Decision-Id` its id.",
        },
        **described(
            {
                413: "The body is larger than the server accepts.",
                415: "The body is neither JSON nor YAML.",
                422: "The profile is invalid or does not parse.",
                503: "The decision could not be recorded (`record=true`).",
            }
        ),
    },
    openapi_extra=_profile_body("Profile"),
)
async def decide(
    request: Request,
    lang: LangQuery = "en",
    trace: Annotated[bool, Query(description="Include the rule trace.")] = True,
    record: Annotated[bool, Query(description="Append the decision to the audit store.")] = False,
    label: Annotated[
        list[str], Query(description="KEY=VALUE kept with the record (repeatable).")
    ] = [],  # noqa: B006  # FastAPI's way to declare a repeatable query parameter
) -> Response:
    """A profile (JSON or YAML) in, its decision out: exactly what `eligibility evaluate
    --format json` prints for the same file (`trace=false` is `--no-trace`, `lang` is
    `--lang`). With `record=true` the decision is appended to the audit store, as with
    `--record`."""
    service = service_of(request)
    profile = await profile_body(request, service.settings.profile_body_bytes)
    labels = _labels(label) if record else None
    decided = await service.run(service.decide, profile, trace=trace, lang=lang, labels=labels)
    if decided.record is None:
        return Response(decided.json, media_type="application/json")
    seq = decided.record.seq
    headers = {
        "Location": f"/v1/audit/records/{quote(f'#{seq}')}",
        "Eligibility-Record": str(seq),
        "Eligibility-Decision-Id": decided.record.decision_id,
    }
    return Response(decided.json, status_code=201, media_type="application/json", headers=headers)


# -- the questionnaire ------------------------------------------------------------------------


#: What the questionnaire's body is (the ``Answers`` schema of the OpenAPI description).
ANSWERS = (
    "The answers so far: a profile whose every field is optional (null: answered \"I don't "
    'know"; left out: not asked yet); `id` defaults to `product`. The file `eligibility '
    "ask --save` writes is one."
)


class NextStep(BaseModel):
    """The next question (null: no answer can change the decision any more) and the
    decision so far (without its trace).

    The question's `field`, `kind`, `text`, `help`, `why`, `choices` (each `value` a value
    of `field`), `minimum`, `maximum`, `answered` and `answer` describe `field` asked on
    its own; `combined` (null when `ask` asks `field` alone) the question `ask` asks,
    settling several fields at once."""

    question: Asked | None
    decision: Decision


def answers_of(data: Any, name: str = BODY) -> tuple[Profile, dict[str, Any]]:
    """The answers a questionnaire document holds (``None``: no answer yet), validated as
    a profile whose ``id`` is optional; and its answered fields as JSON values (``None``:
    answered "I don't know").

    Raises:
        ProfileError: a field is not a profile field or has a value it cannot take.
    """
    if data is None:
        data = {}
    if isinstance(data, dict) and "id" not in data:
        data = {"id": DEFAULT_ID, **data}
    profile = parse_profile(data, source=name)  # a mapping, or a ProfileError
    values = profile.model_dump(mode="json")
    return profile, {f: values[f] for f in FIELDS if f in data}


@router.post(
    "/v1/questionnaire/next",
    tags=["questionnaire"],
    summary="The next question",
    response_class=Response,
    responses={
        200: {"model": NextStep, "description": "The next question and the decision so far."},
        **described(
            {
                413: "The body is larger than the server accepts.",
                415: "The body is neither JSON nor YAML.",
                422: "An answer is invalid, or the body does not parse.",
            }
        ),
    },
    openapi_extra=_profile_body("Answers"),
)
async def next_question(
    request: Request,
    lang: LangQuery = "en",
    declined: Annotated[
        list[str],
        Query(
            description="A checklist item left unticked that recorded nothing (one that is "
            "not a yes/no field): not asked again, as `ask` does not (repeatable)."
        ),
    ] = [],  # noqa: B006  # FastAPI's way to declare a repeatable query parameter
) -> Response:
    """The answers so far in, the question `eligibility ask` would ask next out: its text,
    help, choices and why it is asked, in `lang`; and the decision so far. `field` and the
    members beside it describe one field asked on its own: answer it alone, and the other
    fields are asked later, each on its own, when they still matter. When `ask` asks that
    field with others in one question, `combined` describes the whole question: its text,
    its `ticks` (more fields offered as one more choice each, after the choices of `field`)
    or its `checklist` (ticks only). The server keeps nothing: send every answer each
    time."""
    service = service_of(request)
    unknown = [f for f in declined if f not in FIELDS]
    if unknown:
        verb = "is not a profile field" if len(unknown) == 1 else "are not profile fields"
        raise HttpProblem(422, f"declined: {', '.join(unknown)} {verb}")
    check_profile_type(request)
    body = await read_body(request, service.settings.profile_body_bytes)
    data = document_of(body, json_text=is_json(request))
    profile, answers = answers_of(data)
    asked = await service.run(service.next_question, answers, lang, declined)
    decision = await service.run(service.evaluate, profile, lang)
    step = {
        "question": None if asked is None else asked.model_dump(mode="json"),
        "decision": orjson.Fragment(decision.to_json()),
    }
    return _json(step)


# -- portfolios -------------------------------------------------------------------------------


def _portfolio_format(request: Request, given: str | None) -> str:
    if given is not None:
        return given
    kind = media_type(request)
    fmt = PORTFOLIO_TYPES.get(kind)
    if fmt is None:
        accepted = ", ".join(f"{t} ({f})" for t, f in PORTFOLIO_TYPES.items())
        raise HttpProblem(
            415,
            f"{BODY}: cannot tell the portfolio format from media type {kind or '(none)'}; "
            f"send one of {accepted}, or say format=csv|json|jsonl|yaml",
        )
    return fmt


@router.post(
    "/v1/portfolio",
    tags=["portfolio"],
    summary="Decide for a portfolio",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/x-ndjson": {}},
            "description": "One line per row, as `batch --format jsonl`: the decision, or "
            "for a row that failed its error record (`errors` where a decision has "
            "`journeys`). A portfolio broken past one row ends with a problem details line.",
        },
        **described(
            {
                413: "The body is larger than the server accepts.",
                415: "The format cannot be told from the media type.",
                422: "The portfolio cannot be read at all.",
            }
        ),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {t: {"schema": {"type": "string"}} for t in PORTFOLIO_TYPES},
        }
    },
)
async def portfolio(
    request: Request,
    format: Annotated[
        Literal["csv", "json", "jsonl", "yaml"] | None,
        Query(description="The portfolio's format (default: from the media type)."),
    ] = None,
    trace: Annotated[bool, Query(description="Include each decision's rule trace.")] = True,
) -> Response:
    """A portfolio (the formats `eligibility batch` reads: CSV, JSON, JSONL, YAML) in, one
    JSON line per product out, streamed as the rows are evaluated, exactly the lines of
    `batch --format jsonl`. A bad row does not stop the others."""
    service = service_of(request)
    fmt = _portfolio_format(request, format)
    spool = await spool_body(request, service.settings.portfolio_body_bytes)
    try:
        rows = await service.run(service.portfolio_rows, spool.name, fmt)
        # The first rows before the answer starts: a file that cannot be read at all
        # still gets a status of its own.
        first = await service.run(service.portfolio_lines, rows, PORTFOLIO_CHUNK, trace=trace)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(
        _stream(service, spool, rows, first, trace, request.url.path),
        media_type="application/x-ndjson",
    )


async def _stream(
    service: Service,
    spool: Any,
    rows: Iterator[RawRow],
    first: list[bytes],
    trace: bool,
    path: str,
) -> AsyncIterator[bytes]:
    try:
        lines = first
        while lines:
            yield b"".join(lines)
            lines = await service.run(service.portfolio_lines, rows, PORTFOLIO_CHUNK, trace=trace)
    except EligibilityError as exc:
        # The status is sent already: the problem is the last line.
        yield orjson.dumps(orjson.loads(library_problem(exc, path).body)) + b"\n"
    finally:
        # Also when the client went away (the stream is cancelled): the rows' reader
        # keeps its own handle on the file, let go with the iterator.
        spool.close()


# -- reference --------------------------------------------------------------------------------


@router.get("/v1/rules", tags=["reference"], summary="The rules in force")
async def rules(request: Request, lang: LangQuery = "en") -> Response:
    """The ruleset's name, version and content hash (what decisions and records cite), and
    its journeys with their titles in `lang`."""
    service = service_of(request)
    rs = service.ruleset
    translation = service.translations[lang]
    journeys = [{"id": j.id, "title": translation.text(j.title)} for j in rs.journeys]
    return _json({"name": rs.name, "version": rs.version, "hash": rs.hash, "journeys": journeys})


@router.get("/v1/fields", tags=["reference"], summary="The profile contract")
async def fields(request: Request, lang: LangQuery = "en") -> Response:
    """Every field a profile may hold: its type, its allowed values and their labels, the
    question that asks it, and the journeys that read it, in `lang`: what `eligibility
    fields --format json` prints. A field left out or null is unknown."""
    service = service_of(request)
    listed = profile_fields(service.ruleset, service.questions, lang)
    return Response(render_fields_json(listed).encode(), media_type="application/json")


# -- the audit log (read only) ----------------------------------------------------------------


def _summary(record: AuditRecord) -> dict[str, Any]:
    c = record.content
    return {
        "seq": record.seq,
        "decision_id": record.decision_id,
        "recorded_at": record.recorded_at,
        "profile_id": record.profile_id,
        "ruleset": c["ruleset"],
        "statuses": record.journey_status(),
        "labels": record.labels,
        "actor": c["actor"],
        "href": f"/v1/audit/records/{quote(f'#{record.seq}')}",
    }


def _pairs(values: list[str], name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            raise HttpProblem(422, f"{name} {value!r}: write key=value")
        out[key] = text
    return out


@router.get("/v1/audit/records", tags=["audit log"], summary="Recorded decisions")
async def audit_records(
    request: Request,
    product: Annotated[str | None, Query(description="Only this product id.")] = None,
    since: Annotated[str | None, Query(description="Recorded on or after (ISO, UTC).")] = None,
    until: Annotated[str | None, Query(description="Recorded on or before (ISO, UTC).")] = None,
    ruleset: Annotated[str | None, Query(description="A ruleset version or hash.")] = None,
    status: Annotated[list[str], Query(description="JOURNEY=STATUS (repeatable).")] = [],  # noqa: B006
    label: Annotated[list[str], Query(description="KEY=VALUE (repeatable).")] = [],  # noqa: B006
    after: Annotated[int, Query(ge=0, description="Only records past this position.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many.")] = 100,
) -> Response:
    """The records, oldest first, as `eligibility audit list` lists them, a page at a time:
    `next` is the `after` of the next page (null on the last)."""
    service = service_of(request)
    filters = Filters(
        product, since, until, ruleset, _pairs(status, "status"), _pairs(label, "label")
    )
    found = await service.run(service.records, filters, after, limit + 1)
    page = found[:limit]
    following = page[-1].seq if len(found) > limit else None
    return _json({"records": [_summary(r) for r in page], "next": following})


@router.get(
    "/v1/audit/records/{ref}",
    tags=["audit log"],
    summary="One recorded decision",
    responses=described({404: "No such record, or no audit store."}),
)
async def audit_record(request: Request, ref: str) -> Response:
    """One record, as `eligibility audit export` writes it: `ref` is a decision id (or a
    unique prefix of at least 6 digits; the latest record of that decision) or `#SEQ`
    (`%23SEQ` in a URL)."""
    service = service_of(request)
    try:
        record = await service.run(service.find, ref)
    except StoreError as exc:
        if "is not a valid record" in exc.detail:
            raise
        return problem(404, store_detail(exc), title="No such record", instance=request.url.path)
    return _json(record.to_dict())


# -- health -----------------------------------------------------------------------------------


@router.get("/healthz", tags=["reference"], summary="Health")
async def healthz(request: Request) -> Response:
    """`ok` and the rules served (a load balancer's probe)."""
    service = service_of(request)
    rs = service.ruleset
    return _json(
        {
            "status": "ok",
            "rules": {"name": rs.name, "version": rs.version, "hash": rs.hash},
            "engine": service.settings.engine,
        }
    )
