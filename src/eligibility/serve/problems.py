"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Bad input gets the message the command line prints for it (the ``detail``), with status
422, and for an invalid profile every field's problem in ``errors``; a body too large
gets 413. A library error the server cannot blame on the request (an engine failure, an
audit store it cannot reach) gets 500 or 503, still with its message; anything else is a
bug: 500, logged with its traceback, and the client is told only that much.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import Response

from eligibility.errors import (
    EligibilityError,
    EngineError,
    InputFileError,
    NoStoreError,
    ProfileError,
    StoreError,
)

PROBLEM_JSON = "application/problem+json"

log = logging.getLogger("eligibility.serve")


class FieldError(BaseModel):
    """One field's problem: where it is, what is wrong, the value found (when there is one)."""

    loc: str
    message: str
    value: Any = None


class ProblemDetails(BaseModel):
    """An error (RFC 9457): ``detail`` is the command line's message for the same input."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


def described(statuses: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses: each status, described, answered with problem details."""
    schema = {"$ref": "#/components/schemas/ProblemDetails"}
    return {
        code: {"description": text, "content": {PROBLEM_JSON: {"schema": schema}}}
        for code, text in statuses.items()
    }


class HttpProblem(Exception):
    """A problem with the request itself (its size, its media type): status and message."""

    def __init__(self, status: int, detail: str, kind: str = "about:blank") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind


def problem(
    status: int,
    detail: str,
    *,
    kind: str = "about:blank",
    title: str | None = None,
    errors: Sequence[dict[str, Any]] | None = None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem details response. ``kind`` is the problem type (a URI)."""
    body: dict[str, Any] = {
        "type": kind,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    if errors:
        body["errors"] = list(errors)
    return Response(
        orjson.dumps(body, option=orjson.OPT_INDENT_2) + b"\n",
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_errors(exc: ProfileError) -> list[dict[str, Any]]:
    out = []
    for p in exc.problems:
        entry: dict[str, Any] = {"loc": p.loc, "message": p.message}
        if p.has_value:
            entry["value"] = _plain(p.value)
        out.append(entry)
    return out


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (the repr of anything it cannot)."""
    try:
        orjson.dumps(value)
    except TypeError:
        return repr(value)
    return value


#: How a client of the API records a decision (which creates the audit store), named where
#: the library's message names the command line's ``--record``.
HTTP_RECORDING = "POST /v1/decisions?record=true"


def store_detail(exc: StoreError) -> str:
    """A store error's message, in the API's words where it says how to record."""
    return exc.recording_with(HTTP_RECORDING) if isinstance(exc, NoStoreError) else str(exc)


def library_problem(exc: EligibilityError, path: str) -> Response:
    """The problem details of a library error raised while serving ``path``."""
    if isinstance(exc, ProfileError):
        return problem(
            422,
            str(exc),
            kind="urn:eligibility:problem:invalid-profile",
            title="Invalid profile",
            errors=_field_errors(exc),
            instance=path,
        )
    if isinstance(exc, InputFileError):
        return problem(
            422,
            str(exc),
            kind="urn:eligibility:problem:unreadable-input",
            title="Unreadable input",
            instance=path,
        )
    if isinstance(exc, NoStoreError):
        return problem(404, store_detail(exc), title="No audit store", instance=path)
    if isinstance(exc, StoreError):
        return problem(503, str(exc), title="Audit store unavailable", instance=path)
    if isinstance(exc, EngineError):
        log.error("engine error on %s: %s", path, exc)
        return problem(500, str(exc), title="Rule engine error", instance=path)
    # usage errors and the rest: the request asked for something the tool does not do
    return problem(422, str(exc), title="Unprocessable request", instance=path)


def install(app: FastAPI) -> None:
    """Make every error of ``app`` a problem details response."""

    @app.exception_handler(EligibilityError)
    async def eligibility_error(request: Request, exc: EligibilityError) -> Response:
        return library_problem(exc, request.url.path)

    @app.exception_handler(HttpProblem)
    async def http_problem(request: Request, exc: HttpProblem) -> Response:
        return problem(exc.status, exc.detail, kind=exc.kind, instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        detail = "; ".join(f"{e['loc']}: {e['message']}" for e in errors)
        return problem(422, detail, errors=errors, instance=request.url.path)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return problem(
            exc.status_code, str(exc.detail), instance=request.url.path, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def internal_error(request: Request, _exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return problem(500, "The server failed on this request; its log says why.")
